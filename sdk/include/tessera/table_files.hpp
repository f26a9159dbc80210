#pragma once
// Tables in files, for exports and imports: CSV (UTF-8 with a byte order mark, so Excel
// reads Chinese text right) and Excel .xlsx. The host writes them; plugins only give rows.

#include <tessera/result.hpp>

#include <QByteArray>
#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace tessera {

enum class TableFormat { Csv, Xlsx };

/// Writes one table, a row at a time; nothing is complete until finish() succeeds.
class TableWriter {
public:
    virtual ~TableWriter() = default;
    /// Marks the columns (by index) that hold dates: an ISO date (2024-05-01) in them goes into
    /// an .xlsx as a date cell shown as 2024-05-01, which spreadsheets sort, filter and
    /// compute with as a date; any other text stays text, and a CSV writes text throughout.
    virtual void setDateColumns(const QSet<qsizetype>& columns) = 0;
    /// Appends a row of text cells (the first is usually the header row).
    virtual Status row(const QStringList& cells) = 0;
    /// Completes the file: writes what is buffered, flushes it to disk and closes it, each
    /// step checked. Error "disk.full" when the disk or quota is full, "table.write" for any
    /// other failure (row() gives the same errors); a writer dropped or failed removes its file.
    virtual Status finish() = 0;
    /// Marks the columns (by index) that hold numbers: a plain decimal in them (12, -3, 1234.50,
    /// as tessera/decimal.hpp formats money) goes into an .xlsx as a number cell showing as many
    /// decimals as the text has, so spreadsheets sum it; any other text stays text, and a CSV
    /// writes text throughout. (The cell holds the nearest binary number, as every spreadsheet
    /// does; the text in the CSV, and the host's own sums, stay exact.)
    virtual void setNumberColumns(const QSet<qsizetype>& columns) = 0;
};

/// One row read from a table file: its cells as text, and where it is (the CSV line it starts
/// on, or the spreadsheet row number) for error reports. An .xlsx date cell reads as an ISO
/// date (2024-05-01), or date and time (2024-05-01 08:30:00), in the workbook's date system;
/// a formula as its cached result.
struct TableRow {
    qint64 line = 0;
    QStringList cells;
    /// Cells with no value to read, by index, and why: a spreadsheet's error value (#N/A,
    /// #VALUE!) or a formula saved without its result. Their text is empty.
    QHash<qsizetype, QString> unreadable;
    /// Cells an .xlsx holds as numbers (not dates), by index: a leading 0 typed into one is gone.
    QSet<qsizetype> numbers;
};

/// Reads one table a row at a time, without holding the file in memory (CSV; an .xlsx sheet
/// is read whole). next() gives nullopt at the end; a row the file cannot give (a CSV quote
/// left open, bytes that are not UTF-8) is an Error "table.row" naming its line, after which
/// reading goes on with the next row.
class TableReader {
public:
    virtual ~TableReader() = default;
    virtual Result<std::optional<TableRow>> next() = 0;
    /// The name of the .xlsx sheet being read; empty for a CSV.
    virtual QString sheet() const = 0;
};

/// Says whether a row's cells are the header a reader should start at.
using HeaderTest = std::function<bool(const QStringList& cells)>;

class TableFiles {
public:
    virtual ~TableFiles() = default;
    /// Creates (or replaces) the file at `path`. `sheet` names the worksheet of an .xlsx.
    virtual Result<std::unique_ptr<TableWriter>> create(const QString& path, TableFormat format,
                                                        const QString& sheet = QStringLiteral("Sheet1")) = 0;
    /// Opens a CSV or an .xlsx. A CSV is UTF-8 (a byte order mark skipped) or, when its start
    /// is not UTF-8, GB18030 (what Excel on Chinese Windows saves as "CSV"); lines end in LF,
    /// CRLF or CR. With `isHeader`, reading starts at the first row it accepts among a sheet's
    /// first kHeaderSearchRows, on the first sheet that has one (title rows, empty rows and
    /// sheets of notes before it are skipped); when no sheet has one, or without it, at row 1
    /// of the first sheet. Error "table.read" when the file cannot be opened or is not of
    /// that format.
    virtual Result<std::unique_ptr<TableReader>> open(const QString& path, TableFormat format, const HeaderTest& isHeader = {}) = 0;
    static constexpr int kHeaderSearchRows = 50;
    /// A cell's name as spreadsheets show it: (5, 2) -> "C5".
    static QString cellName(qint64 line, qsizetype column) {
        QString letters;
        for (qsizetype n = column + 1; n > 0; n = (n - 1) / 26) letters.prepend(QChar(u'A' + static_cast<char16_t>((n - 1) % 26)));
        return letters + QString::number(line);
    }
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
