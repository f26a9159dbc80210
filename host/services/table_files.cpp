#include "services/table_files.hpp"

#include "runtime/csv.hpp"
#include "runtime/storage_error.hpp"

#include <QFile>
#include <QFileInfo>

#include <pugixml.hpp>
#include <xlsxwriter.h>
#include <zip.h>

#include <algorithm>
#include <cerrno>
#include <deque>
#include <fcntl.h>
#include <unistd.h>

namespace tessera::host {

namespace {

// Messages name no path: they reach people (a job's error), and the path is the server's.
Error writeError(const QString& why) { return Error{QStringLiteral("table.write"), QStringLiteral("cannot write the table: %1").arg(why)}; }
Error writeFailure(int errnum) { return storageError(errnum, QStringLiteral("table.write"), QStringLiteral("cannot write the table")); }

// RFC 4180: a field with a separator, a quote or a line break goes in quotes, quotes doubled.
// A cell that a spreadsheet would take for a formula (= + - @, tab, CR first) gets a leading
// ' (OWASP's CSV injection advice): opening an export must never run what a user typed.
QByteArray csvField(const QString& text) {
    const bool formulaLike = !text.isEmpty() && QStringLiteral("=+-@\t\r").contains(text.front());
    QByteArray utf8 = (formulaLike ? QStringLiteral("'") + text : text).toUtf8();
    if (!utf8.contains(',') && !utf8.contains('"') && !utf8.contains('\n') && !utf8.contains('\r')) return utf8;
    utf8.replace("\"", "\"\"");
    return '"' + utf8 + '"';
}

// The inverse of csvField's guard: a ' before = + - @ tab or CR is ours, and goes, so that an
// export imports again as it was (a phone "+86 ..." stays "+86 ...").
void unguard(QString& cell) {
    if (cell.size() >= 2 && cell.front() == QLatin1Char('\'') && QStringLiteral("=+-@\t\r").contains(cell.at(1))) cell.remove(0, 1);
}

// Written through a descriptor of our own, buffered, so that every write, the flush to disk
// and the close are checked: a full disk often shows only at the last flush, and an export
// that lost its end must fail, not succeed with a short file. Unfinished, the file goes.
class CsvWriter final : public tessera::TableWriter {
public:
    explicit CsvWriter(QString path) : path_(std::move(path)) {}
    ~CsvWriter() override {
        if (fd_ < 0) return;
        ::close(fd_);
        removePartialFile(path_);
    }
    CsvWriter(const CsvWriter&) = delete;
    CsvWriter& operator=(const CsvWriter&) = delete;

    Status open() {
        fd_ = ::open(QFile::encodeName(path_).constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
        if (fd_ < 0) return writeFailure(errno);
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
        if (fd_ < 0) return writeError(QStringLiteral("the file is not open"));
        if (auto s = drain(); !s) return s;
        if (const int failure = syncAndClose(std::exchange(fd_, -1))) return discard(failure);
        return {};
    }

private:
    static constexpr qsizetype kBuffer = 64 * 1024;

    Status put(const QByteArray& bytes) {
        if (fd_ < 0) return writeError(QStringLiteral("the file is not open"));
        buffer_ += bytes;
        return buffer_.size() >= kBuffer ? drain() : Status{};
    }
    Status drain() {
        const char* data = buffer_.constData();
        qsizetype left = buffer_.size();
        while (left > 0) {
            const ssize_t n = ::write(fd_, data, static_cast<std::size_t>(left));
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                const int failure = errno;
                ::close(std::exchange(fd_, -1));
                return discard(failure);
            }
            data += n;
            left -= n;
        }
        buffer_.clear();
        return {};
    }
    // A failed writer keeps nothing: the file goes at once, and later calls fail.
    Status discard(int failure) {
        buffer_.clear();
        removePartialFile(path_);
        return writeFailure(failure);
    }

    QString path_;
    int fd_ = -1;
    QByteArray buffer_;
};

class XlsxWriter final : public tessera::TableWriter {
public:
    XlsxWriter(QString path, QByteArray tmpdir, lxw_workbook* book, lxw_worksheet* sheet)
        : path_(std::move(path)), tmpdir_(std::move(tmpdir)), book_(book), sheet_(sheet) {}
    ~XlsxWriter() override {
        if (book_) {
            workbook_close(book_);  // an unfinished export: close, then drop the partial file
            removePartialFile(path_);
        }
    }
    Status row(const QStringList& cells) override {
        if (row_ >= kMaxRows) return writeError(QStringLiteral("an .xlsx sheet holds at most %1 rows; export as CSV instead").arg(kMaxRows));
        for (qsizetype c = 0; c < cells.size(); ++c) {
            if (cells[c].isEmpty()) continue;
            if (cells[c].size() > kMaxCell)
                return writeError(QStringLiteral("row %1, column %2: an .xlsx cell holds at most %3 characters").arg(row_ + 1).arg(c + 1).arg(kMaxCell));
            const QByteArray utf8 = cells[c].toUtf8();
            if (lxw_error e = worksheet_write_string(sheet_, row_, static_cast<lxw_col_t>(c), utf8.constData(), nullptr); e != LXW_NO_ERROR)
                return writeError(QString::fromUtf8(lxw_strerror(e)));
        }
        ++row_;
        return {};
    }
    Status finish() override {
        lxw_workbook* book = std::exchange(book_, nullptr);
        errno = 0;
        if (lxw_error e = workbook_close(book); e != LXW_NO_ERROR) {
            // libxlsxwriter says which step failed, not why: the errno of its failed write
            // (or close) tells a full disk from the rest.
            const int failure = errno;
            removePartialFile(path_);
            if (isDiskFull(failure)) return writeFailure(failure);
            return writeError(QString::fromUtf8(lxw_strerror(e)));
        }
        return {};
    }

private:
    static constexpr lxw_row_t kMaxRows = 1'048'576;
    static constexpr qsizetype kMaxCell = 32'767;
    QString path_;
    QByteArray tmpdir_;  // the workbook's options point at it
    lxw_workbook* book_;
    lxw_worksheet* sheet_;
    lxw_row_t row_ = 0;
};

Error readError(const QString& why) { return Error{QStringLiteral("table.read"), QStringLiteral("cannot read the file: %1").arg(why)}; }

// CSV in chunks of whole records (about 1 MiB each: a chunk ends at a line end where the
// quotes seen so far are balanced, so no field is cut), each parsed by the host's CSV parser.
class CsvReader final : public tessera::TableReader {
public:
    explicit CsvReader(const QString& path) : file_(path) {}
    Status open() {
        if (!file_.open(QIODevice::ReadOnly)) return readError(file_.errorString());
        return {};
    }
    Result<std::optional<tessera::TableRow>> next() override {
        while (pending_.empty())
            if (!fill()) return std::optional<tessera::TableRow>{};
        Item item = std::move(pending_.front());
        pending_.pop_front();
        if (!item.problem.isEmpty()) return Error{QStringLiteral("table.row"), item.problem};
        return std::optional<tessera::TableRow>(std::move(item.row));
    }

private:
    struct Item {
        qint64 line = 0;
        tessera::TableRow row;
        QString problem;  // why the row could not be read; empty when it was
    };
    static constexpr qsizetype kChunk = 1 << 20;
    static constexpr qsizetype kMaxRecordRun = 64 << 20;  // a chunk this big with its quotes still open is an error

    bool fill() {
        if (file_.atEnd()) return false;
        QByteArray chunk;
        qint64 quotes = 0;
        qsizetype balancedEnd = 0;  // where the chunk last ended with its quotes balanced
        qint64 balancedLines = 0;   // and how many lines it had then
        qint64 lines = 0;
        while (!file_.atEnd()) {
            QByteArray line = file_.readLine();
            if (first_) {
                if (line.startsWith("\xEF\xBB\xBF")) line.remove(0, 3);
                first_ = false;
            }
            quotes += line.count('"');
            chunk += line;
            ++lines;
            if (quotes % 2 == 0) {
                balancedEnd = chunk.size();
                balancedLines = lines;
            }
            if (chunk.size() >= kChunk && quotes % 2 == 0) break;
            if (chunk.size() >= kMaxRecordRun) {
                // A quote opened and never closed (a value like 5" screen) would make the
                // rest of the file one record: the rows before it are read, the error says
                // where it starts, and reading stops there.
                const qint64 from = line_ + balancedLines;
                parse(chunk.left(balancedEnd));
                line_ = from;
                pending_.push_back({from, {}, QStringLiteral("line %1: a quoted value that starts on this line runs on for more than "
                                                             "%2 MiB; a closing quote is missing (write a quote inside a value as \"\")")
                                                  .arg(from)
                                                  .arg(kMaxRecordRun >> 20)});
                file_.seek(file_.size());
                return true;
            }
        }
        parse(chunk);
        return true;
    }

    // Parses whole records and queues their rows and problems in line order.
    void parse(const QByteArray& chunk) {
        const qint64 base = line_ - 1;
        const CsvTable table = parseCsv(chunk);
        std::vector<Item> items;
        for (const CsvRecord& r : table.records) {
            QStringList cells = r.fields;
            for (QString& c : cells) unguard(c);
            items.push_back({r.line + base, {r.line + base, cells}, {}});
        }
        for (const CsvProblem& p : table.problems) items.push_back({p.line + base, {}, QStringLiteral("line %1: %2").arg(p.line + base).arg(p.message)});
        std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.line < b.line; });
        for (auto& i : items) pending_.push_back(std::move(i));
        line_ += chunk.count('\n');
    }

    QFile file_;
    bool first_ = true;
    qint64 line_ = 1;  // the file's line the next chunk starts on
    std::deque<Item> pending_;
};

// The first sheet of an .xlsx (a zip of XML parts): workbook.xml names it, its relationship
// gives the part, sharedStrings.xml holds the texts cells refer to. Cells come as text: a
// number as written in the file ("42", "3.5"), a shared or inline string as its text.
class XlsxReader final : public tessera::TableReader {
public:
    explicit XlsxReader(QString path) : path_(std::move(path)) {}

    Status open() {
        int error = 0;
        zip_t* zip = zip_open(QFile::encodeName(path_).constData(), ZIP_RDONLY, &error);
        if (!zip) return readError(QStringLiteral("not an .xlsx file (not a zip archive)"));
        auto part = [&](const char* name, QByteArray& out) {
            zip_stat_t st;
            if (zip_stat(zip, name, 0, &st) != 0) return false;
            if (st.size > kMaxPartBytes) return false;  // a declared size we will not allocate
            zip_file_t* f = zip_fopen(zip, name, 0);
            if (!f) return false;
            out.resize(static_cast<qsizetype>(st.size));
            const zip_int64_t got = zip_fread(f, out.data(), st.size);
            zip_fclose(f);
            return got == static_cast<zip_int64_t>(st.size);
        };
        QByteArray workbook, rels, strings, sheet;
        const bool ok = part("xl/workbook.xml", workbook) && part("xl/_rels/workbook.xml.rels", rels);
        if (!ok) {
            zip_close(zip);
            return readError(QStringLiteral("not an .xlsx file (no xl/workbook.xml)"));
        }
        pugi::xml_document wb, rl;
        wb.load_buffer(workbook.constData(), static_cast<std::size_t>(workbook.size()));
        rl.load_buffer(rels.constData(), static_cast<std::size_t>(rels.size()));
        const pugi::xml_node first = wb.child("workbook").child("sheets").child("sheet");
        const std::string rid = first.attribute("r:id").value();
        std::string target;
        for (pugi::xml_node r : rl.child("Relationships").children("Relationship"))
            if (rid == r.attribute("Id").value()) target = r.attribute("Target").value();
        if (target.empty()) {
            zip_close(zip);
            return readError(QStringLiteral("the workbook names no first sheet"));
        }
        target = target.front() == '/' ? target.substr(1) : "xl/" + target;
        if (part("xl/sharedStrings.xml", strings)) {
            pugi::xml_document sst;
            sst.load_buffer(strings.constData(), static_cast<std::size_t>(strings.size()));
            for (pugi::xml_node si : sst.child("sst").children("si")) shared_.push_back(textOf(si));
        }
        const bool sheetOk = part(target.c_str(), sheet);
        zip_close(zip);
        if (!sheetOk) return readError(QStringLiteral("the sheet %1 is missing").arg(QString::fromStdString(target)));
        if (!sheet_.load_buffer(sheet.constData(), static_cast<std::size_t>(sheet.size())))
            return readError(QStringLiteral("the sheet is not well-formed XML"));
        row_ = sheet_.child("worksheet").child("sheetData").child("row");
        return {};
    }

    Result<std::optional<tessera::TableRow>> next() override {
        if (!row_) return std::optional<tessera::TableRow>{};
        tessera::TableRow out;
        out.line = row_.attribute("r").as_llong(++rowNumber_);
        rowNumber_ = out.line;
        for (pugi::xml_node c : row_.children("c")) {
            const qsizetype column = columnOf(c.attribute("r").value(), out.cells.size());
            while (out.cells.size() < column) out.cells.append(QString());
            const std::string_view type = c.attribute("t").value();
            QString text;
            if (type == "s") {
                const auto i = static_cast<std::size_t>(c.child("v").text().as_ullong());
                text = i < shared_.size() ? shared_[i] : QString();
            } else if (type == "inlineStr") {
                text = textOf(c.child("is"));
            } else {
                text = QString::fromUtf8(c.child("v").text().get());
            }
            out.cells.append(text);
        }
        row_ = row_.next_sibling("row");
        return std::optional<tessera::TableRow>(std::move(out));
    }

private:
    // All <t> texts below `node` (a rich text string has several runs).
    static QString textOf(const pugi::xml_node& node) {
        QString text;
        for (pugi::xpath_node t : node.select_nodes(".//t")) text += QString::fromUtf8(t.node().text().get());
        return text;
    }
    // "C7" -> 2; without a reference, the next column. Excel has 16384 columns (XFD): a
    // reference beyond them is read as the next column, never as a reason to pad.
    static qsizetype columnOf(const char* ref, qsizetype next) {
        qsizetype column = 0;
        bool any = false;
        for (; *ref >= 'A' && *ref <= 'Z' && column <= kMaxColumns; ++ref) {
            column = column * 26 + (*ref - 'A' + 1);
            any = true;
        }
        return any && column <= kMaxColumns ? column - 1 : next;
    }
    static constexpr qsizetype kMaxColumns = 16384;
    static constexpr zip_uint64_t kMaxPartBytes = zip_uint64_t{1} << 31;

    QString path_;
    std::vector<QString> shared_;
    pugi::xml_document sheet_;
    pugi::xml_node row_;
    qint64 rowNumber_ = 0;
};

}  // namespace

Result<std::unique_ptr<tessera::TableReader>> HostTableFiles::open(const QString& path, tessera::TableFormat format) {
    if (format == tessera::TableFormat::Csv) {
        auto reader = std::make_unique<CsvReader>(path);
        if (auto s = reader->open(); !s) return s.error();
        return std::unique_ptr<tessera::TableReader>(std::move(reader));
    }
    auto reader = std::make_unique<XlsxReader>(path);
    if (auto s = reader->open(); !s) return s.error();
    return std::unique_ptr<tessera::TableReader>(std::move(reader));
}

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
    // ... into temporary files beside the output, not in /tmp: on the disk whose space the
    // export needs, so that running out of it fails the export instead of cutting the sheet.
    QByteArray tmpdir = QFile::encodeName(QFileInfo(path).absolutePath());
    options.tmpdir = tmpdir.data();
    lxw_workbook* book = workbook_new_opt(file.constData(), &options);
    if (!book) return writeError(QStringLiteral("cannot create the workbook"));
    // Sheet names: at most 31 characters, none of []:*?/\ (Excel's rules).
    QString name = sheet.left(31);
    for (QChar& c : name)
        if (QStringLiteral("[]:*?/\\").contains(c)) c = QLatin1Char('_');
    if (name.isEmpty()) name = QStringLiteral("Sheet1");
    lxw_worksheet* ws = workbook_add_worksheet(book, name.toUtf8().constData());
    if (!ws) {
        workbook_close(book);
        removePartialFile(path);
        return writeError(QStringLiteral("cannot add the worksheet '%1'").arg(name));
    }
    return std::unique_ptr<tessera::TableWriter>(std::make_unique<XlsxWriter>(path, std::move(tmpdir), book, ws));
}

}  // namespace tessera::host
