#pragma once
// Tables in files, for exports and imports: CSV (UTF-8 with a byte order mark, so Excel
// reads Chinese text right) and Excel .xlsx. The host writes them; plugins only give rows.

#include <tessera/result.hpp>

#include <QByteArray>
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
    /// Completes the file: writes what is buffered, flushes it to disk and closes it, each
    /// step checked. Error "disk.full" when the disk or quota is full, "table.write" for any
    /// other failure (row() gives the same errors); a writer dropped or failed removes its file.
    virtual Status finish() = 0;
};

/// One row read from a table file: its cells as text, and where it is (the CSV line it starts
/// on, or the spreadsheet row number) for error reports.
struct TableRow {
    qint64 line = 0;
    QStringList cells;
};

/// Reads one table a row at a time, without holding the file in memory (CSV; an .xlsx sheet
/// is read whole). next() gives nullopt at the end; a row the file cannot give (a CSV quote
/// left open, bytes that are not UTF-8) is an Error "table.row" naming its line, after which
/// reading goes on with the next row.
class TableReader {
public:
    virtual ~TableReader() = default;
    virtual Result<std::optional<TableRow>> next() = 0;
};

class TableFiles {
public:
    virtual ~TableFiles() = default;
    /// Creates (or replaces) the file at `path`. `sheet` names the worksheet of an .xlsx.
    virtual Result<std::unique_ptr<TableWriter>> create(const QString& path, TableFormat format,
                                                        const QString& sheet = QStringLiteral("Sheet1")) = 0;
    /// Opens a CSV (UTF-8, a byte order mark skipped) or the first sheet of an .xlsx.
    /// Error "table.read" when the file cannot be opened or is not of that format.
    virtual Result<std::unique_ptr<TableReader>> open(const QString& path, TableFormat format) = 0;
    /// "csv" or "xlsx" -> the format; nullopt for anything else.
    static std::optional<TableFormat> formatNamed(const QString& name) {
        if (name == QLatin1String("csv")) return TableFormat::Csv;
        if (name == QLatin1String("xlsx")) return TableFormat::Xlsx;
        return std::nullopt;
    }
    /// The media type of a file in `format`, for a download (Job::outputFile).
    static QByteArray mediaType(TableFormat format) {
        return format == TableFormat::Csv ? QByteArrayLiteral("text/csv; charset=utf-8")
                                          : QByteArrayLiteral("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    }
    /// The format of a file by its name's suffix (".csv", ".xlsx", any case); nullopt otherwise.
    static std::optional<TableFormat> formatOfFile(const QString& fileName) {
        const int dot = fileName.lastIndexOf(QLatin1Char('.'));
        return dot < 0 ? std::nullopt : formatNamed(fileName.mid(dot + 1).toLower());
    }
};

}  // namespace tessera
