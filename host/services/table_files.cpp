#include "services/table_files.hpp"

#include <QFile>
#include <QSaveFile>

#include <xlsxwriter.h>

namespace tessera::host {

namespace {

Error writeError(const QString& path, const QString& why) {
    return Error{QStringLiteral("table.write"), QStringLiteral("cannot write %1: %2").arg(path, why)};
}

// RFC 4180: a field with a separator, a quote or a line break goes in quotes, quotes doubled.
// Cells are written as they are (no formula-guard prefix), so a re-import reads the same text.
QByteArray csvField(const QString& cell) {
    QByteArray utf8 = cell.toUtf8();
    if (!utf8.contains(',') && !utf8.contains('"') && !utf8.contains('\n') && !utf8.contains('\r')) return utf8;
    utf8.replace("\"", "\"\"");
    return '"' + utf8 + '"';
}

class CsvWriter final : public tessera::TableWriter {
public:
    explicit CsvWriter(const QString& path) : file_(path) {}
    Status open() {
        if (!file_.open(QIODevice::WriteOnly)) return writeError(file_.fileName(), file_.errorString());
        return put("\xEF\xBB\xBF");  // byte order mark: Excel then reads the file as UTF-8
    }
    Status row(const QStringList& cells) override {
        QByteArray line;
        for (qsizetype i = 0; i < cells.size(); ++i) {
            if (i) line += ',';
            line += csvField(cells[i]);
        }
        line += "\r\n";
        return put(line);
    }
    Status finish() override {
        // QSaveFile: the file appears whole under its name, or not at all.
        if (!file_.commit()) return writeError(file_.fileName(), file_.errorString());
        return {};
    }

private:
    Status put(const QByteArray& bytes) {
        if (file_.write(bytes) != bytes.size()) return writeError(file_.fileName(), file_.errorString());
        return {};
    }
    QSaveFile file_;
};

class XlsxWriter final : public tessera::TableWriter {
public:
    XlsxWriter(QString path, lxw_workbook* book, lxw_worksheet* sheet) : path_(std::move(path)), book_(book), sheet_(sheet) {}
    ~XlsxWriter() override {
        if (book_) {
            workbook_close(book_);  // an unfinished export: close, then drop the partial file
            QFile::remove(path_);
        }
    }
    Status row(const QStringList& cells) override {
        if (row_ >= kMaxRows) return writeError(path_, QStringLiteral("an .xlsx sheet holds at most %1 rows; export as CSV instead").arg(kMaxRows));
        for (qsizetype c = 0; c < cells.size(); ++c) {
            if (cells[c].isEmpty()) continue;
            if (cells[c].size() > kMaxCell)
                return writeError(path_, QStringLiteral("row %1, column %2: an .xlsx cell holds at most %3 characters").arg(row_ + 1).arg(c + 1).arg(kMaxCell));
            const QByteArray utf8 = cells[c].toUtf8();
            if (lxw_error e = worksheet_write_string(sheet_, row_, static_cast<lxw_col_t>(c), utf8.constData(), nullptr); e != LXW_NO_ERROR)
                return writeError(path_, QString::fromUtf8(lxw_strerror(e)));
        }
        ++row_;
        return {};
    }
    Status finish() override {
        lxw_workbook* book = std::exchange(book_, nullptr);
        if (lxw_error e = workbook_close(book); e != LXW_NO_ERROR) {
            QFile::remove(path_);
            return writeError(path_, QString::fromUtf8(lxw_strerror(e)));
        }
        return {};
    }

private:
    static constexpr lxw_row_t kMaxRows = 1'048'576;
    static constexpr qsizetype kMaxCell = 32'767;
    QString path_;
    lxw_workbook* book_;
    lxw_worksheet* sheet_;
    lxw_row_t row_ = 0;
};

}  // namespace

Result<std::unique_ptr<tessera::TableWriter>> HostTableFiles::create(const QString& path, tessera::TableFormat format,
                                                                     const QString& sheet) {
    if (format == tessera::TableFormat::Csv) {
        auto writer = std::make_unique<CsvWriter>(path);
        if (auto s = writer->open(); !s) return s.error();
        return std::unique_ptr<tessera::TableWriter>(std::move(writer));
    }
    const QByteArray file = QFile::encodeName(path);
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;  // rows go to disk as they are written
    lxw_workbook* book = workbook_new_opt(file.constData(), &options);
    if (!book) return writeError(path, QStringLiteral("cannot create the workbook"));
    // Sheet names: at most 31 characters, none of []:*?/\ (Excel's rules).
    QString name = sheet.left(31);
    for (QChar& c : name)
        if (QStringLiteral("[]:*?/\\").contains(c)) c = QLatin1Char('_');
    if (name.isEmpty()) name = QStringLiteral("Sheet1");
    lxw_worksheet* ws = workbook_add_worksheet(book, name.toUtf8().constData());
    if (!ws) {
        workbook_close(book);
        QFile::remove(path);
        return writeError(path, QStringLiteral("cannot add the worksheet '%1'").arg(name));
    }
    return std::unique_ptr<tessera::TableWriter>(std::make_unique<XlsxWriter>(path, book, ws));
}

}  // namespace tessera::host
