#pragma once
// Tables in files, for exports and imports: CSV (UTF-8 with a byte order mark, so Excel
// reads Chinese text right) and Excel .xlsx. The host writes them; plugins only give rows.

#include <tessera/result.hpp>

#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace tessera {

enum class TableFormat { Csv, Xlsx };

/// Writes one table, a row at a time; nothing is complete until finish() succeeds.
class TableWriter {
public:
    virtual ~TableWriter() = default;
    /// Appends a row of text cells (the first is usually the header row).
    virtual Status row(const QStringList& cells) = 0;
    /// Completes the file; an Error ("table.write") says what failed (disk full, ...).
    virtual Status finish() = 0;
};

class TableFiles {
public:
    virtual ~TableFiles() = default;
    /// Creates (or replaces) the file at `path`. `sheet` names the worksheet of an .xlsx.
    virtual Result<std::unique_ptr<TableWriter>> create(const QString& path, TableFormat format,
                                                        const QString& sheet = QStringLiteral("Sheet1")) = 0;
    /// "csv" or "xlsx" -> the format; nullopt for anything else.
    static std::optional<TableFormat> formatNamed(const QString& name) {
        if (name == QLatin1String("csv")) return TableFormat::Csv;
        if (name == QLatin1String("xlsx")) return TableFormat::Xlsx;
        return std::nullopt;
    }
};

}  // namespace tessera
