#pragma once
// Reading the host's XML files (manifests, deployments) with pugixml: 1-based line numbers
// for nodes, the structural checks both formats share, and every problem found, so that a
// file's errors are all reported at once. Internal to runtime/.

#include "runtime/file_error.hpp"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <pugixml.hpp>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string_view>
#include <vector>

namespace tessera::host {

/// An allowed child element, listed in the order children must appear.
struct ChildRule {
    static constexpr int unbounded = -1;
    const char* name;
    int min = 0;
    int max = 1;  // or unbounded
};

/// One XML file being checked.
class XmlReader {
public:
    enum class Presence { Optional, Required };

    /// Parses `xml`; a malformed document becomes one error (with pugixml's line and reason).
    XmlReader(QByteArray xml, QString fileForMessages);
    XmlReader(const XmlReader&) = delete;
    XmlReader& operator=(const XmlReader&) = delete;

    /// The document element if the file parsed and its root is <name>; otherwise records why
    /// not and returns an empty node.
    pugi::xml_node root(const char* name);

    int line(const pugi::xml_node& node) const;
    void error(const pugi::xml_node& at, const QString& message);

    /// Reports attributes of `element` not listed in `known`, and repeated attributes.
    void checkAttributes(const pugi::xml_node& element, std::initializer_list<std::string_view> known);
    /// Reports unknown, misplaced, missing and repeated child elements, and text where only
    /// elements belong. An empty rule list means the element must be empty.
    void checkChildren(const pugi::xml_node& element, std::initializer_list<ChildRule> rules);
    /// Checks `element` has only the `known` attributes and no content at all.
    void checkLeaf(const pugi::xml_node& element, std::initializer_list<std::string_view> known) {
        checkAttributes(element, known);
        checkChildren(element, {});
    }

    /// The attribute's value; nullopt if absent (an error when required).
    std::optional<QString> attribute(const pugi::xml_node& element, const char* name, Presence presence);
    /// "true" or "false"; nullopt if absent or invalid (invalid is always an error).
    std::optional<bool> boolAttribute(const pugi::xml_node& element, const char* name, Presence presence);
    /// A decimal integer in [min, max], white space around it allowed (as in XML Schema);
    /// nullopt if absent or invalid.
    std::optional<std::int64_t> intAttribute(const pugi::xml_node& element, const char* name,
                                             Presence presence, std::int64_t min = 1,
                                             std::int64_t max = std::numeric_limits<int>::max());
    /// The element's text, trimmed; reports child elements and empty text.
    std::optional<QString> text(const pugi::xml_node& element);

    /// Records `key` as seen at `at`; if it was seen before, reports "duplicate <what> (first on line N)".
    bool checkUnique(QHash<QString, int>& seen, const QString& key, const pugi::xml_node& at,
                     const QString& what);

    /// The value if no error was found, otherwise all errors in line order.
    template <class T>
    Parsed<T> finish(T value) {
        Parsed<T> result;
        if (errors_.empty()) {
            result.value = std::move(value);
        } else {
            std::stable_sort(errors_.begin(), errors_.end(),
                             [](const FileError& a, const FileError& b) { return a.line < b.line; });
            result.errors = std::move(errors_);
        }
        return result;
    }

private:
    int lineAtOffset(std::ptrdiff_t offset) const;

    QByteArray xml_;
    QString file_;
    std::vector<std::ptrdiff_t> lineStarts_;
    pugi::xml_document doc_;
    bool parsed_ = false;
    std::vector<FileError> errors_;
};

/// Strips the XML white-space characters (space, tab, CR, LF) around `s`.
QString trimXmlSpace(const QString& s);
/// A decimal integer with an optional '-', white space around it allowed (as in XML Schema).
std::optional<std::int64_t> parseXmlInteger(const QString& text);

/// "<name>" for messages.
QString xmlTag(const pugi::xml_node& element);
QString xmlTag(const char* name);

/// Reads a whole file; on failure returns nullopt and sets `error` (line 0).
std::optional<QByteArray> readXmlFile(const QString& absolutePath, FileError& error);

}  // namespace tessera::host
