#pragma once
// Problems found in an XML file, each naming the file, the line and what is wrong.

#include <QString>

#include <optional>
#include <vector>

namespace tessera::host {

/// One problem in a file. line is 1-based; 0 when the problem is about the whole file.
struct FileError {
    QString file;
    int line = 0;
    QString message;

    /// "path/manifest.xml:12: unknown element <featurez> in <features>"
    QString toString() const;
};

/// A parsed value, or the list of everything wrong with the file (never both).
template <class T>
struct Parsed {
    std::optional<T> value;
    std::vector<FileError> errors;

    bool ok() const { return value.has_value(); }
    /// All errors, one per line.
    QString errorText() const {
        QString text;
        for (const auto& e : errors) text += e.toString() + QLatin1Char('\n');
        return text.trimmed();
    }
};

}  // namespace tessera::host
