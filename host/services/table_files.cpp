#include "services/table_files.hpp"

#include "runtime/csv.hpp"
#include "runtime/storage_error.hpp"

#include <tessera/text.hpp>

#include <QDate>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStringDecoder>
#include <QTime>

#include <pugixml.hpp>
#include <xlsxwriter.h>
#include <zip.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <deque>
#include <future>
#include <string_view>
#include <unordered_map>
#include <fcntl.h>
#include <unistd.h>

namespace tessera::host {

namespace {

// Messages name no path: they reach people (a job's error), and the path is the server's.
Error writeError(const QString& why) { return Error{QStringLiteral("table.write"), tessera::text("cannot write the table: %1", why)}; }
Error writeFailure(int errnum) { return storageError(errnum, QStringLiteral("table.write"), tessera::text("cannot write the table")); }

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
    void setDateColumns(const QSet<qsizetype>&) override {}  // a CSV has only text
    void setNumberColumns(const QSet<qsizetype>&) override {}
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
        if (fd_ < 0) return writeError(tessera::text("the file is not open"));
        if (auto s = drain(); !s) return s;
        if (const int failure = syncAndClose(std::exchange(fd_, -1))) return discard(failure);
        return {};
    }

private:
    static constexpr qsizetype kBuffer = 64 * 1024;

    Status put(const QByteArray& bytes) {
        if (fd_ < 0) return writeError(tessera::text("the file is not open"));
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
        : path_(std::move(path)), tmpdir_(std::move(tmpdir)), book_(book), sheet_(sheet), dateFormat_(workbook_add_format(book)) {
        format_set_num_format(dateFormat_, "yyyy-mm-dd");
    }
    ~XlsxWriter() override {
        if (book_) {
            workbook_close(book_);  // an unfinished export: close, then drop the partial file
            removePartialFile(path_);
        }
    }
    void setDateColumns(const QSet<qsizetype>& columns) override { dateColumns_ = columns; }
    void setNumberColumns(const QSet<qsizetype>& columns) override { numberColumns_ = columns; }
    Status row(const QStringList& cells) override {
        if (row_ >= kMaxRows) return writeError(tessera::text("an .xlsx sheet holds at most %1 rows; export as CSV instead", kMaxRows));
        for (qsizetype c = 0; c < cells.size(); ++c) {
            if (cells[c].isEmpty()) continue;
            if (cells[c].size() > kMaxCell)
                return writeError(tessera::text("row %1, column %2: an .xlsx cell holds at most %3 characters", row_ + 1, c + 1, kMaxCell));
            if (dateColumns_.contains(c))
                if (const QDate d = QDate::fromString(cells[c], Qt::ISODate); d.isValid() && cells[c].size() == 10) {
                    lxw_datetime when{d.year(), d.month(), d.day(), 0, 0, 0};
                    if (lxw_error e = worksheet_write_datetime(sheet_, row_, static_cast<lxw_col_t>(c), &when, dateFormat_); e != LXW_NO_ERROR)
                        return writeError(QString::fromUtf8(lxw_strerror(e)));
                    continue;
                }
            if (numberColumns_.contains(c))
                if (const auto match = kPlainNumber.match(cells[c]); match.hasMatch()) {
                    const qsizetype decimals = match.capturedLength(1);
                    if (lxw_error e =
                            worksheet_write_number(sheet_, row_, static_cast<lxw_col_t>(c), cells[c].toDouble(), numberFormat(decimals));
                        e != LXW_NO_ERROR)
                        return writeError(QString::fromUtf8(lxw_strerror(e)));
                    continue;
                }
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
    // A number cell's format: 0, 0.0, 0.00 ... as many decimals as its text (at most 6).
    lxw_format* numberFormat(qsizetype decimals) {
        decimals = std::min<qsizetype>(decimals, 6);
        lxw_format*& format = numberFormats_[static_cast<std::size_t>(decimals)];
        if (!format) {
            format = workbook_add_format(book_);
            const QByteArray pattern = decimals ? "0." + QByteArray(decimals, '0') : QByteArrayLiteral("0");
            format_set_num_format(format, pattern.constData());
        }
        return format;
    }
    static inline const QRegularExpression kPlainNumber{QStringLiteral("^-?(?:0|[1-9][0-9]{0,14})(?:\\.([0-9]{1,6}))?$")};
    static constexpr lxw_row_t kMaxRows = 1'048'576;
    static constexpr qsizetype kMaxCell = 32'767;
    QString path_;
    QByteArray tmpdir_;  // the workbook's options point at it
    lxw_workbook* book_;
    lxw_worksheet* sheet_;
    lxw_format* dateFormat_;  // owned by the workbook
    QSet<qsizetype> dateColumns_, numberColumns_;
    std::array<lxw_format*, 7> numberFormats_{};  // by decimals, owned by the workbook
    lxw_row_t row_ = 0;
};

Error readError(const QString& why) { return Error{QStringLiteral("table.read"), tessera::text("cannot read the file: %1", why)}; }

// The encoding of a CSV from its first bytes: UTF-8 when they are UTF-8 (a byte order mark
// says so too), else GB18030, the superset of GBK that Excel on Chinese Windows saves its
// plain "CSV" in. A sample cut inside a character is still UTF-8: only an error counts.
QByteArray csvEncoding(QFile& file) {
    const QByteArray sample = file.peek(64 * 1024);
    if (sample.startsWith("\xEF\xBB\xBF")) return QByteArrayLiteral("UTF-8");
    QStringDecoder utf8(QStringDecoder::Utf8);
    (void)QString(utf8.decode(sample));
    if (!utf8.hasError()) return QByteArrayLiteral("UTF-8");
    return QStringDecoder("GB18030").isValid() ? QByteArrayLiteral("GB18030") : QByteArrayLiteral("UTF-8");
}

// CSV in chunks of whole records (about 1 MiB each: a chunk ends at a line end where the
// quotes seen so far are balanced, so no field is cut), each parsed by the host's CSV parser.
// Lines may end in LF, CRLF or a lone CR (classic Mac programs); they reach the parser as LF.
class CsvReader final : public tessera::TableReader {
public:
    explicit CsvReader(const QString& path) : file_(path) {}
    Status open() {
        if (!file_.open(QIODevice::ReadOnly)) return readError(file_.errorString());
        if (const QByteArray encoding = csvEncoding(file_); encoding != "UTF-8") decoder_ = QStringDecoder(encoding.constData());
        return {};
    }
    Result<std::optional<tessera::TableRow>> next() override {
        // The next chunk is read and parsed on another thread while the rows of this one are
        // imported; only one chunk is in flight, and this thread touches the file only when
        // none is.
        while (pending_.empty()) {
            if (!ahead_.valid()) {
                if (atEnd()) return std::optional<tessera::TableRow>{};
                ahead_ = std::async(std::launch::async, [this] { return readChunk(); });
            }
            pending_ = ahead_.get();
            if (!atEnd()) ahead_ = std::async(std::launch::async, [this] { return readChunk(); });
        }
        Item item = std::move(pending_.front());
        pending_.pop_front();
        if (!item.problem.isEmpty()) return Error{QStringLiteral("table.row"), item.problem};
        return std::optional<tessera::TableRow>(std::move(item.row));
    }
    QString sheet() const override { return {}; }

private:
    struct Item {
        qint64 line = 0;
        tessera::TableRow row;
        QString problem;  // why the row could not be read; empty when it was
    };
    static constexpr qsizetype kChunk = 1 << 20;
    static constexpr qsizetype kMaxRecordRun = 64 << 20;  // a chunk this big with its quotes still open is an error

    bool atEnd() const { return raw_.isEmpty() && file_.atEnd(); }

    // The next line with its end as LF (none at the end of the file), in UTF-8.
    QByteArray readLine() {
        for (;;) {
            const qsizetype end = [&] {
                for (qsizetype i = 0; i < raw_.size(); ++i)
                    if (raw_[i] == '\n' || raw_[i] == '\r') return i;
                return qsizetype{-1};
            }();
            // A CR as the last byte read may be the first half of a CRLF: read on to know.
            if (end >= 0 && (raw_[end] == '\n' || end + 1 < raw_.size() || file_.atEnd())) {
                const qsizetype skip = raw_[end] == '\r' && end + 1 < raw_.size() && raw_[end + 1] == '\n' ? 2 : 1;
                QByteArray line = raw_.left(end) + '\n';
                raw_.remove(0, end + skip);
                return utf8(std::move(line));
            }
            if (file_.atEnd()) return utf8(std::exchange(raw_, {}));
            raw_ += file_.read(64 * 1024);
        }
    }
    // GB18030 never uses the bytes of a comma, a quote, CR or LF inside a character, so its
    // lines split like UTF-8's and each converts on its own.
    QByteArray utf8(QByteArray line) {
        if (first_) {
            if (line.startsWith("\xEF\xBB\xBF")) line.remove(0, 3);
            first_ = false;
        }
        if (!decoder_.isValid()) return line;
        const QString text = decoder_.decode(line);
        return text.toUtf8();
    }

    std::deque<Item> readChunk() {
        std::deque<Item> out;
        std::swap(out, chunk_);
        fill();
        std::swap(out, chunk_);
        return out;
    }

    bool fill() {
        if (atEnd()) return false;
        QByteArray chunk;
        qint64 quotes = 0;
        qsizetype balancedEnd = 0;  // where the chunk last ended with its quotes balanced
        qint64 balancedLines = 0;   // and how many lines it had then
        qint64 lines = 0;
        while (!atEnd()) {
            QByteArray line = readLine();
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
                chunk_.push_back({from, {}, tessera::text("line %1: a quoted value that starts on this line runs on for more than "
                                                            "%2 MiB; a closing quote is missing (write a quote inside a value as \"\")",
                                                            from, kMaxRecordRun >> 20)});
                raw_.clear();
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
            items.push_back({r.line + base, {r.line + base, cells, {}, {}}, {}});
        }
        for (const CsvProblem& p : table.problems) items.push_back({p.line + base, {}, tessera::text("line %1: %2", p.line + base, p.message)});
        std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.line < b.line; });
        for (auto& i : items) chunk_.push_back(std::move(i));
        line_ += chunk.count('\n');
    }

    QFile file_;
    QStringDecoder decoder_;  // valid only for a file that is not UTF-8
    QByteArray raw_;          // bytes read from the file and not yet given as a line
    bool first_ = true;
    qint64 line_ = 1;  // the file's line the next chunk starts on
    std::deque<Item> chunk_;    // the chunk being read (by readChunk's thread)
    std::deque<Item> pending_;  // the rows read and not yet given
    std::future<std::deque<Item>> ahead_;  // the next chunk; last, so that it is waited for before the rest goes
};

// An .xlsx (a zip of XML parts): workbook.xml lists the sheets and the date system,
// relationships give each sheet's part, sharedStrings.xml holds the texts cells refer to and
// styles.xml the number formats that make a number a date.
class XlsxBook {
public:
    struct Sheet {
        QString name;
        std::string part;
    };
    enum class Style { Number, Date, Time };

    ~XlsxBook() {
        if (zip_) zip_close(zip_);
    }

    static Result<std::shared_ptr<XlsxBook>> open(const QString& path) {
        auto book = std::make_shared<XlsxBook>();
        int error = 0;
        book->zip_ = zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY, &error);
        if (!book->zip_) return readError(tessera::text("not an .xlsx file (not a zip archive)"));
        QByteArray workbook, rels, strings, styles;
        if (!book->part("xl/workbook.xml", workbook) || !book->part("xl/_rels/workbook.xml.rels", rels))
            return readError(tessera::text("not an .xlsx file (no xl/workbook.xml)"));
        pugi::xml_document wb, rl;
        wb.load_buffer(workbook.constData(), static_cast<std::size_t>(workbook.size()));
        rl.load_buffer(rels.constData(), static_cast<std::size_t>(rels.size()));
        // "1" or "true" (xsd:boolean): dates count from 1904-01-01, not 1899-12-30.
        book->date1904_ = wb.child("workbook").child("workbookPr").attribute("date1904").as_bool();
        for (pugi::xml_node sheet : wb.child("workbook").child("sheets").children("sheet")) {
            const std::string rid = sheet.attribute("r:id").value();
            std::string target;
            for (pugi::xml_node r : rl.child("Relationships").children("Relationship"))
                if (rid == r.attribute("Id").value()) target = r.attribute("Target").value();
            if (target.empty()) continue;
            target = target.front() == '/' ? target.substr(1) : "xl/" + target;
            book->sheets_.push_back({QString::fromUtf8(sheet.attribute("name").value()), target});
        }
        if (book->sheets_.empty()) return readError(tessera::text("the workbook names no sheet"));
        if (book->part("xl/sharedStrings.xml", strings)) {
            pugi::xml_document sst;
            sst.load_buffer(strings.constData(), static_cast<std::size_t>(strings.size()));
            for (pugi::xml_node si : sst.child("sst").children("si")) book->shared_.push_back(textOf(si));
        }
        if (book->part("xl/styles.xml", styles)) book->readStyles(styles);
        return book;
    }

    const std::vector<Sheet>& sheets() const { return sheets_; }
    bool date1904() const { return date1904_; }
    QString shared(std::size_t i) const { return i < shared_.size() ? shared_[i] : QString(); }
    Style style(std::size_t xf) const { return xf < styles_.size() ? styles_[xf] : Style::Number; }

    bool part(const char* name, QByteArray& out) {
        zip_stat_t st;
        if (zip_stat(zip_, name, 0, &st) != 0) return false;
        if (st.size > kMaxPartBytes) return false;  // a declared size we will not allocate
        zip_file_t* f = zip_fopen(zip_, name, 0);
        if (!f) return false;
        out.resize(static_cast<qsizetype>(st.size));
        const zip_int64_t got = zip_fread(f, out.data(), st.size);
        zip_fclose(f);
        return got == static_cast<zip_int64_t>(st.size);
    }

    // The text of a string item: its own <t>, or its rich text runs' <t>s; never the
    // phonetic guide (<rPh>, a reading written above the characters).
    static QString textOf(const pugi::xml_node& item) {
        QString text;
        for (pugi::xml_node child : item.children()) {
            if (std::string_view(child.name()) == "t") text += QString::fromUtf8(child.text().get());
            else if (std::string_view(child.name()) == "r") text += QString::fromUtf8(child.child("t").text().get());
        }
        return text;
    }

private:
    // Which cell formats (cellXfs, by index) show numbers as dates or times: the built-in
    // formats 14-22 and 45-47 (ECMA-376 18.8.30) and custom codes with date or time letters
    // outside quotes, escapes and [colour] brackets.
    void readStyles(const QByteArray& xml) {
        pugi::xml_document doc;
        doc.load_buffer(xml.constData(), static_cast<std::size_t>(xml.size()));
        const pugi::xml_node root = doc.child("styleSheet");
        std::unordered_map<unsigned, Style> custom;
        for (pugi::xml_node f : root.child("numFmts").children("numFmt"))
            custom[f.attribute("numFmtId").as_uint()] = styleOfCode(f.attribute("formatCode").value());
        for (pugi::xml_node xf : root.child("cellXfs").children("xf")) {
            const unsigned id = xf.attribute("numFmtId").as_uint();
            Style s = Style::Number;
            if (auto it = custom.find(id); it != custom.end()) s = it->second;
            else if ((id >= 14 && id <= 17) || id == 22) s = Style::Date;
            else if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47)) s = Style::Time;
            styles_.push_back(s);
        }
    }
    static Style styleOfCode(std::string_view code) {
        bool date = false, time = false;
        for (std::size_t i = 0; i < code.size(); ++i) {
            const char c = code[i];
            if (c == '"') {
                i = code.find('"', i + 1);
                if (i == std::string_view::npos) break;
            } else if (c == '\\' || c == '_' || c == '*') {
                ++i;
            } else if (c == '[') {
                i = code.find(']', i + 1);
                if (i == std::string_view::npos) break;
            } else if (c == ';') {
                break;  // the format of positive numbers decides
            } else {
                const char l = static_cast<char>(c | 0x20);
                date = date || l == 'y' || l == 'd';
                time = time || l == 'h' || l == 's';
            }
        }
        return date ? Style::Date : time ? Style::Time : Style::Number;
    }

    static constexpr zip_uint64_t kMaxPartBytes = zip_uint64_t{1} << 31;
    zip_t* zip_ = nullptr;
    bool date1904_ = false;
    std::vector<Sheet> sheets_;
    std::vector<QString> shared_;
    std::vector<Style> styles_;
};

// One sheet of an .xlsx. A cell comes as text: a number as written in the file ("42",
// "3.5"), a date-formatted number as its ISO date (and time, when it has one), a shared or
// inline string as its text, a formula as its cached result; an error value or a formula
// without a result is empty and named in the row's `unreadable`.
class XlsxReader final : public tessera::TableReader {
public:
    XlsxReader(std::shared_ptr<XlsxBook> book, std::size_t sheet) : book_(std::move(book)), sheet_(book_->sheets().at(sheet)) {}

    Status open() {
        QByteArray xml;
        if (!book_->part(sheet_.part.c_str(), xml)) return readError(tessera::text("the sheet %1 is missing", sheet_.name));
        if (!doc_.load_buffer(xml.constData(), static_cast<std::size_t>(xml.size())))
            return readError(tessera::text("the sheet %1 is not well-formed XML", sheet_.name));
        row_ = doc_.child("worksheet").child("sheetData").child("row");
        return {};
    }

    QString sheet() const override { return sheet_.name; }

    Result<std::optional<tessera::TableRow>> next() override {
        if (!row_) return std::optional<tessera::TableRow>{};
        tessera::TableRow out;
        out.line = row_.attribute("r").as_llong(++rowNumber_);
        rowNumber_ = out.line;
        for (pugi::xml_node c : row_.children("c")) {
            const qsizetype column = columnOf(c.attribute("r").value(), out.cells.size());
            while (out.cells.size() < column) out.cells.append(QString());
            out.cells.append(cellText(c, column, out));
        }
        row_ = row_.next_sibling("row");
        return std::optional<tessera::TableRow>(std::move(out));
    }

private:
    QString cellText(const pugi::xml_node& c, qsizetype column, tessera::TableRow& row) const {
        const std::string_view type = c.attribute("t").value();
        const pugi::xml_node v = c.child("v");
        if (type == "inlineStr") return XlsxBook::textOf(c.child("is"));
        if (type == "e") {
            row.unreadable.insert(column, tessera::text("%1 is an error value in the spreadsheet", QString::fromUtf8(v.text().get())));
            return {};
        }
        if (c.child("f") && (!v || !*v.text().get())) {
            row.unreadable.insert(column, tessera::text("the formula %1 has no value saved with it (the program that wrote the file does not "
                                                        "calculate): open the file in Excel or LibreOffice and save it again",
                                                        QStringLiteral("=") + QString::fromUtf8(c.child("f").text().get())));
            return {};
        }
        if (type == "s") return book_->shared(static_cast<std::size_t>(v.text().as_ullong()));
        const QString text = QString::fromUtf8(v.text().get());
        if (!type.empty() && type != "n") return text;  // str (a formula's text), b (0 or 1), d (ISO 8601)
        if (text.isEmpty()) return text;
        if (book_->style(c.attribute("s").as_uint()) == XlsxBook::Style::Date)
            if (auto date = dateOf(text)) return *date;
        row.numbers.insert(column);
        return text;
    }

    // A day number as ISO text: days since 1899-12-30 (Excel's 1900 system, which counts a
    // 29 February 1900 that never was) or since 1904-01-01; a fraction is the time of day.
    std::optional<QString> dateOf(const QString& text) const {
        bool ok = false;
        const double serial = text.toDouble(&ok);
        if (!ok || serial < 0 || serial > 2958466) return std::nullopt;  // 9999-12-31
        qint64 days = static_cast<qint64>(serial);
        qint64 seconds = std::llround((serial - static_cast<double>(days)) * 86400.0);
        if (seconds >= 86400) {
            ++days;
            seconds -= 86400;
        }
        const QDate base = book_->date1904() ? QDate(1904, 1, 1) : days < 61 ? QDate(1899, 12, 31) : QDate(1899, 12, 30);
        const QDate date = base.addDays(days);
        if (seconds == 0) return date.toString(Qt::ISODate);
        return date.toString(Qt::ISODate) + QLatin1Char(' ') + QTime(0, 0).addSecs(static_cast<int>(seconds)).toString(QStringLiteral("HH:mm:ss"));
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

    std::shared_ptr<XlsxBook> book_;
    XlsxBook::Sheet sheet_;
    pugi::xml_document doc_;
    pugi::xml_node row_;
    qint64 rowNumber_ = 0;
};

// A table read from its header: the first kHeaderSearchRows rows (and rows the file could not
// give) are read ahead; reading starts at the first row `isHeader` accepts, or, when none
// does, at the first row read.
class FromHeader final : public tessera::TableReader {
public:
    FromHeader(std::unique_ptr<tessera::TableReader> table, const tessera::HeaderTest& isHeader) : table_(std::move(table)) {
        for (int n = 0; n < tessera::TableFiles::kHeaderSearchRows; ++n) {
            auto row = table_->next();
            const bool end = row && !*row;
            if (row && *row && !found_ && isHeader((*row)->cells)) {
                found_ = true;
                ahead_.clear();
            }
            ahead_.push_back(std::move(row));
            if (end || found_) break;
        }
    }
    bool found() const { return found_; }
    Result<std::optional<tessera::TableRow>> next() override {
        if (ahead_.empty()) return table_->next();
        auto row = std::move(ahead_.front());
        ahead_.pop_front();
        return row;
    }
    QString sheet() const override { return table_->sheet(); }

private:
    std::unique_ptr<tessera::TableReader> table_;
    std::deque<Result<std::optional<tessera::TableRow>>> ahead_;
    bool found_ = false;
};

}  // namespace

Result<std::unique_ptr<tessera::TableReader>> HostTableFiles::open(const QString& path, tessera::TableFormat format,
                                                                   const tessera::HeaderTest& isHeader) {
    if (format == tessera::TableFormat::Csv) {
        auto reader = std::make_unique<CsvReader>(path);
        if (auto s = reader->open(); !s) return s.error();
        if (!isHeader) return std::unique_ptr<tessera::TableReader>(std::move(reader));
        return std::unique_ptr<tessera::TableReader>(std::make_unique<FromHeader>(std::move(reader), isHeader));
    }
    auto book = XlsxBook::open(path);
    if (!book) return book.error();
    auto sheet = [&](std::size_t i) -> Result<std::unique_ptr<tessera::TableReader>> {
        auto reader = std::make_unique<XlsxReader>(*book, i);
        if (auto s = reader->open(); !s) return s.error();
        return std::unique_ptr<tessera::TableReader>(std::move(reader));
    };
    // The first sheet with the header: a workbook often opens with a sheet of instructions.
    if (isHeader)
        for (std::size_t i = 0; i < (*book)->sheets().size(); ++i) {
            auto reader = sheet(i);
            if (!reader) continue;
            auto fromHeader = std::make_unique<FromHeader>(std::move(*reader), isHeader);
            if (fromHeader->found()) return std::unique_ptr<tessera::TableReader>(std::move(fromHeader));
        }
    return sheet(0);
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
    if (!book) return writeError(tessera::text("cannot create the workbook"));
    // Sheet names: at most 31 characters, none of []:*?/\ (Excel's rules).
    QString name = sheet.left(31);
    for (QChar& c : name)
        if (QStringLiteral("[]:*?/\\").contains(c)) c = QLatin1Char('_');
    if (name.isEmpty()) name = QStringLiteral("Sheet1");
    lxw_worksheet* ws = workbook_add_worksheet(book, name.toUtf8().constData());
    if (!ws) {
        workbook_close(book);
        removePartialFile(path);
        return writeError(tessera::text("cannot add the worksheet '%1'", name));
    }
    return std::unique_ptr<tessera::TableWriter>(std::make_unique<XlsxWriter>(path, std::move(tmpdir), book, ws));
}

}  // namespace tessera::host
