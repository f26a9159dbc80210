#include "runtime/xml_reader.hpp"

#include <QFile>
#include <QFileInfo>

#include <cstring>

namespace tessera::host {

namespace {

QString utf8(const char* s) { return QString::fromUtf8(s); }

bool isXmlSpace(QChar c) { return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r'; }

QString describeRange(std::int64_t min, std::int64_t max) {
    if (min == 1 && max == std::numeric_limits<int>::max()) return QStringLiteral("a positive integer");
    if (min == 1 && max == std::numeric_limits<std::int64_t>::max())
        return QStringLiteral("a positive integer");
    if (min == std::numeric_limits<int>::min() && max == std::numeric_limits<int>::max())
        return QStringLiteral("an integer");
    return QStringLiteral("an integer from %1 to %2").arg(min).arg(max);
}

}  // namespace

QString trimXmlSpace(const QString& s) {
    qsizetype begin = 0, end = s.size();
    while (begin < end && isXmlSpace(s[begin])) ++begin;
    while (end > begin && isXmlSpace(s[end - 1])) --end;
    return s.mid(begin, end - begin);
}

std::optional<std::int64_t> parseXmlInteger(const QString& text) {
    const QString digits = trimXmlSpace(text);
    const QStringView unsignedPart = QStringView(digits).mid(digits.startsWith(u'-') ? 1 : 0);
    if (unsignedPart.isEmpty() ||
        !std::all_of(unsignedPart.begin(), unsignedPart.end(), [](QChar c) { return c >= u'0' && c <= u'9'; }))
        return std::nullopt;
    bool ok = false;
    const qlonglong n = digits.toLongLong(&ok);  // fails on overflow
    if (!ok) return std::nullopt;
    return n;
}

QString xmlTag(const char* name) { return QLatin1Char('<') + utf8(name) + QLatin1Char('>'); }
QString xmlTag(const pugi::xml_node& element) { return xmlTag(element.name()); }

XmlReader::XmlReader(QByteArray xml, QString fileForMessages)
    : xml_(std::move(xml)), file_(std::move(fileForMessages)) {
    lineStarts_.push_back(0);
    for (qsizetype i = 0; i < xml_.size(); ++i)
        if (xml_[i] == '\n') lineStarts_.push_back(i + 1);
    // The line of each node comes from its offset in this buffer; pugixml keeps offsets for
    // UTF-8 input, which is what the formats are written in.
    // parse_ws_pcdata_single keeps white space that is an element's only content, so that
    // elements which must be empty can reject it, as XML Schema does.
    const pugi::xml_parse_result result =
        doc_.load_buffer(xml_.constData(), static_cast<std::size_t>(xml_.size()),
                         pugi::parse_default | pugi::parse_ws_pcdata_single);
    parsed_ = static_cast<bool>(result);
    if (!parsed_)
        errors_.push_back({file_, lineAtOffset(result.offset),
                           QStringLiteral("malformed XML: %1").arg(utf8(result.description()))});
}

int XmlReader::lineAtOffset(std::ptrdiff_t offset) const {
    if (offset < 0) return 0;
    const auto it = std::upper_bound(lineStarts_.begin(), lineStarts_.end(), offset);
    return static_cast<int>(it - lineStarts_.begin());
}

int XmlReader::line(const pugi::xml_node& node) const { return lineAtOffset(node.offset_debug()); }

void XmlReader::error(const pugi::xml_node& at, const QString& message) {
    errors_.push_back({file_, line(at), message});
}

pugi::xml_node XmlReader::root(const char* name) {
    if (!parsed_) return {};
    pugi::xml_node root;
    for (pugi::xml_node child : doc_.children()) {
        if (child.type() == pugi::node_element && !root) {
            root = child;
        } else if (child.type() == pugi::node_element) {
            error(child, QStringLiteral("unexpected element %1 after the root element").arg(xmlTag(child)));
        } else if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
            error(child, QStringLiteral("unexpected text outside the root element"));
        }
    }
    if (!root) {
        errors_.push_back({file_, 0, QStringLiteral("no root element: expected %1").arg(xmlTag(name))});
        return {};
    }
    if (std::strcmp(root.name(), name) != 0) {
        error(root, QStringLiteral("root element is %1, expected %2").arg(xmlTag(root), xmlTag(name)));
        return {};
    }
    return root;
}

void XmlReader::checkAttributes(const pugi::xml_node& element,
                                std::initializer_list<std::string_view> known) {
    std::vector<std::string_view> seen;
    for (pugi::xml_attribute a : element.attributes()) {
        const std::string_view name = a.name();
        if (std::find(known.begin(), known.end(), name) == known.end())
            error(element, QStringLiteral("unknown attribute %1 on %2").arg(utf8(a.name()), xmlTag(element)));
        else if (std::find(seen.begin(), seen.end(), name) != seen.end())
            error(element, QStringLiteral("duplicate attribute %1 on %2").arg(utf8(a.name()), xmlTag(element)));
        seen.push_back(name);
    }
}

void XmlReader::checkChildren(const pugi::xml_node& element, std::initializer_list<ChildRule> rules) {
    const std::vector<ChildRule> rule(rules);
    std::vector<int> count(rule.size(), 0), firstLine(rule.size(), 0);
    std::ptrdiff_t furthest = -1;  // the last rule matched, for the order check
    bool textReported = false;
    for (pugi::xml_node child : element.children()) {
        if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
            // White space between child elements is layout; an empty element allows none.
            const bool mustBeEmpty = rules.size() == 0;
            if (textReported || (!mustBeEmpty && trimXmlSpace(utf8(child.value())).isEmpty())) continue;
            error(child, (mustBeEmpty ? QStringLiteral("%1 must be empty") : QStringLiteral("unexpected text in %1"))
                             .arg(xmlTag(element)));
            textReported = true;
            continue;
        }
        if (child.type() != pugi::node_element) continue;
        const auto it = std::find_if(rule.begin(), rule.end(), [&](const ChildRule& r) {
            return std::strcmp(r.name, child.name()) == 0;
        });
        if (it == rule.end()) {
            error(child, QStringLiteral("unknown element %1 in %2").arg(xmlTag(child), xmlTag(element)));
            continue;
        }
        const auto index = it - rule.begin();
        if (index < furthest)
            error(child, QStringLiteral("element %1 must come before %2 in %3")
                             .arg(xmlTag(child), xmlTag(rule[static_cast<std::size_t>(furthest)].name), xmlTag(element)));
        furthest = std::max(furthest, index);
        const auto i = static_cast<std::size_t>(index);
        if (++count[i] == 1) {
            firstLine[i] = line(child);
        } else if (it->max != ChildRule::unbounded && count[i] > it->max) {
            error(child, QStringLiteral("duplicate %1 in %2 (first on line %3)")
                             .arg(xmlTag(child), xmlTag(element))
                             .arg(firstLine[i]));
        }
    }
    for (std::size_t i = 0; i < rule.size(); ++i)
        if (count[i] < rule[i].min)
            error(element, QStringLiteral("missing %1 in %2").arg(xmlTag(rule[i].name), xmlTag(element)));
}

std::optional<QString> XmlReader::attribute(const pugi::xml_node& element, const char* name,
                                            Presence presence) {
    const pugi::xml_attribute a = element.attribute(name);
    if (!a) {
        if (presence == Presence::Required)
            error(element, QStringLiteral("missing attribute %1 on %2").arg(utf8(name), xmlTag(element)));
        return std::nullopt;
    }
    return utf8(a.value());
}

std::optional<bool> XmlReader::boolAttribute(const pugi::xml_node& element, const char* name,
                                             Presence presence) {
    const auto value = attribute(element, name, presence);
    if (!value) return std::nullopt;
    if (*value == u"true") return true;
    if (*value == u"false") return false;
    error(element, QStringLiteral("invalid %1=\"%2\" on %3: expected true or false")
                       .arg(utf8(name), *value, xmlTag(element)));
    return std::nullopt;
}

std::optional<std::int64_t> XmlReader::intAttribute(const pugi::xml_node& element, const char* name,
                                                    Presence presence, std::int64_t min,
                                                    std::int64_t max) {
    const auto value = attribute(element, name, presence);
    if (!value) return std::nullopt;
    if (const auto n = parseXmlInteger(*value); n && *n >= min && *n <= max) return n;
    error(element, QStringLiteral("invalid %1=\"%2\" on %3: expected %4")
                       .arg(utf8(name), *value, xmlTag(element), describeRange(min, max)));
    return std::nullopt;
}

std::optional<QString> XmlReader::text(const pugi::xml_node& element) {
    QString text;
    for (pugi::xml_node child : element.children()) {
        if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata)
            text += utf8(child.value());
        else if (child.type() == pugi::node_element)
            error(child, QStringLiteral("unknown element %1 in %2").arg(xmlTag(child), xmlTag(element)));
    }
    text = trimXmlSpace(text);
    if (text.isEmpty()) {
        error(element, QStringLiteral("empty %1").arg(xmlTag(element)));
        return std::nullopt;
    }
    return text;
}

bool XmlReader::checkUnique(QHash<QString, int>& seen, const QString& key, const pugi::xml_node& at,
                            const QString& what) {
    if (const auto it = seen.constFind(key); it != seen.constEnd()) {
        error(at, QStringLiteral("duplicate %1 (first on line %2)").arg(what).arg(*it));
        return false;
    }
    seen.insert(key, line(at));
    return true;
}

std::optional<QByteArray> readXmlFile(const QString& absolutePath, FileError& error) {
    error = {absolutePath, 0, {}};
    QFile f(absolutePath);
    if (!QFileInfo(absolutePath).isFile()) {
        error.message = QStringLiteral("file not found");
        return std::nullopt;
    }
    if (!f.open(QIODevice::ReadOnly)) {
        error.message = QStringLiteral("cannot read: %1").arg(f.errorString());
        return std::nullopt;
    }
    return f.readAll();
}

}  // namespace tessera::host
