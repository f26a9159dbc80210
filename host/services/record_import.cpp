// Imports of a served card (docs/records.md, "Imports"): a CSV or .xlsx read as people fill
// it in, each row checked by the same rules as POST and PUT, all or nothing, as a job.

#include "services/records.hpp"

#include "identity/duty_holders.hpp"
#include "identity/unit_labels.hpp"
#include "runtime/messages.hpp"

#include "store/record_tables.hpp"

#include <tessera/jobs.hpp>
#include <tessera/params.hpp>
#include <tessera/table_files.hpp>
#include <tessera/uploads.hpp>

#include <QJsonArray>
#include <QRegularExpression>

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <thread>

namespace tessera::host {

using tessera::FieldError;
using tessera::Request;
using tessera::Response;
using tessera::Row;

namespace {

const QString kRollback = QStringLiteral("record.import.rollback");
constexpr qint64 kMaxErrors = 10000;  // a file wrong throughout is not read to its end
constexpr std::size_t kReported = 200;
constexpr qint64 kProgressEvery = 500;

struct RowError {
    qint64 row = 0;
    QString column;  // the header as the file has it, or empty for the whole row
    QString field;
    QString reason;
};

}  // namespace

std::optional<QString> peopleDate(QString text) {
    text = text.trimmed();
    // As ISO writes it (exports do, and most files): taken as it is.
    if (text.size() == 10 && text[4] == u'-' && text[7] == u'-') {
        int digits[8], n = 0;
        for (qsizetype i = 0; i < 10; ++i)
            if (i != 4 && i != 7 && text[i] >= u'0' && text[i] <= u'9') digits[n++] = text[i].unicode() - u'0';
        if (n == 8) {
            const QDate d(digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3], digits[4] * 10 + digits[5], digits[6] * 10 + digits[7]);
            if (d.isValid()) return text;
        }
    }
    // A date with a time (2024-05-01 08:30:00 from a date-time cell, 2024/5/1 8:30, ISO's
    // 2024-05-01T08:30:00, or a day number with a fraction, 45413.35): the date is the day.
    static const QRegularExpression time(QStringLiteral("^(\\S+)[ T]+\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?$"));
    static const QRegularExpression fraction(QStringLiteral("^(\\d{1,5})\\.\\d+$"));
    if (auto m = text.size() > 10 ? time.match(text) : QRegularExpressionMatch(); m.hasMatch()) text = m.captured(1);
    else if (auto f = text.contains(u'.') ? fraction.match(text) : QRegularExpressionMatch(); f.hasMatch()) text = f.captured(1);
    static const QRegularExpression parts(QStringLiteral("^(\\d{4})\\s*[-/.年]\\s*(\\d{1,2})\\s*[-/.月]\\s*(\\d{1,2})\\s*日?$"));
    static const QRegularExpression compact(QStringLiteral("^(\\d{4})(\\d{2})(\\d{2})$"));
    static const QRegularExpression serial(QStringLiteral("^\\d{1,5}(\\.0+)?$"));
    QDate d;
    if (auto m = parts.match(text); m.hasMatch()) d = QDate(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    else if (auto c = compact.match(text); c.hasMatch()) d = QDate(c.captured(1).toInt(), c.captured(2).toInt(), c.captured(3).toInt());
    else if (serial.match(text).hasMatch()) {
        const qint64 n = static_cast<qint64>(text.toDouble());
        if (n >= 1900 && n <= 2100) return std::nullopt;  // a year alone is no date
        if (n >= 1) d = QDate(1899, 12, 30).addDays(n);  // Excel's day count, its 1900 leap-year bug included
    }
    if (!d.isValid()) return std::nullopt;
    return d.toString(Qt::ISODate);
}

std::optional<bool> peopleFlag(const QString& cell) {
    const QString t = cell.trimmed().toLower();
    for (const char16_t* yes : {u"是", u"true", u"1", u"y", u"yes", u"√"})
        if (t == QStringView(yes)) return true;
    for (const char16_t* no : {u"否", u"false", u"0", u"n", u"no", u"×"})
        if (t == QStringView(no)) return false;
    return std::nullopt;
}

namespace {

// Full-width digits and letters (１２３, Ｘ) as ASCII, as NFKC has them.
QString halfWidth(const QString& text) { return text.normalized(QString::NormalizationForm_KC); }

// A row as read, its cells as the API's JSON values, with what was wrong in them (in the
// order of the cells).
struct ReadRow {
    tessera::TableRow row;
    QJsonObject given;
    std::vector<RowError> errors, warnings;
    bool bad = false;    // an error: the row goes no further
    bool empty = false;  // nothing in it: not a row
    QString readError;   // the reader could not give the row
    // Checked ahead, on the reading thread (RecordImport::checkNew): the new record's values
    // and what is wrong with them, and its import key as derived (nullopt: the row gives none).
    bool checked = false;
    tessera::host::ColumnValues values;
    QList<tessera::FieldError> fieldErrors;
    std::optional<QString> key;
};

// The rows of a file read and made ReadRows on a thread of their own, a few hundred ahead of
// the thread that checks and writes them: reading a big file and converting its cells (dates,
// units by path, dictionary labels) then costs the writing thread nothing. Without `ahead`,
// each row is read when asked for. Neither the reader nor `read` may touch the database.
class RowsAhead {
public:
    using Read = std::function<ReadRow(tessera::TableRow)>;
    RowsAhead(tessera::TableReader& reader, Read read, bool ahead) : reader_(reader), read_(std::move(read)) {
        if (ahead) thread_ = std::thread([this] { fill(); });
    }
    ~RowsAhead() {
        if (!thread_.joinable()) return;
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        changed_.notify_all();
        thread_.join();
    }

    /// The next row, nullopt after the last.
    std::optional<ReadRow> next() {
        if (!thread_.joinable()) return readOne();
        if (taken_.empty()) {
            std::unique_lock lock(mutex_);
            changed_.wait(lock, [&] { return !batches_.empty() || done_; });
            if (batches_.empty()) return std::nullopt;
            taken_ = std::move(batches_.front());
            batches_.pop_front();
            changed_.notify_all();
        }
        ReadRow row = std::move(taken_.front());
        taken_.pop_front();
        return row;
    }

private:
    // Rows go across in batches, so that the threads meet once per batch, not once per row.
    static constexpr std::size_t kBatch = 256, kBatchesAhead = 4;

    std::optional<ReadRow> readOne() {
        auto next = reader_.next();
        if (!next) {
            ReadRow failed;
            failed.readError = next.error().message;
            return failed;
        }
        if (!*next) return std::nullopt;
        return read_(std::move(**next));
    }

    void fill() {
        for (bool end = false; !end;) {
            std::deque<ReadRow> batch;
            while (batch.size() < kBatch) {
                std::optional<ReadRow> row = readOne();
                if (!row) {
                    end = true;
                    break;
                }
                batch.push_back(std::move(*row));
            }
            std::unique_lock lock(mutex_);
            changed_.wait(lock, [&] { return batches_.size() < kBatchesAhead || stop_; });
            if (stop_) return;
            if (!batch.empty()) batches_.push_back(std::move(batch));
            done_ = end;
            changed_.notify_all();
        }
    }

    tessera::TableReader& reader_;
    Read read_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::deque<ReadRow>> batches_;
    std::deque<ReadRow> taken_;  // the batch being given, row by row (this thread's alone)
    bool done_ = false, stop_ = false;
    std::thread thread_;  // last: started when everything it uses is there
};

}  // namespace

// One import run: the job's work.
class RecordImport {
public:
    RecordImport(RecordCard& card, tessera::Job& job, tessera::Context& ctx, QString path, QString name, tessera::TableFormat format, bool dryRun,
                 Language language)
        : card_(card), job_(job), ctx_(ctx), path_(std::move(path)), name_(std::move(name)), format_(format), dryRun_(dryRun), language_(language) {
        for (const FieldDecl* f : card_.fields_)
            if (f->imported && !f->readOnly) importable_.push_back(f);
    }

    tessera::Result<QJsonObject> run() {
        auto reader = ctx_.tables().open(path_, format_, [this](const QStringList& cells) { return namesRequired(cells); });
        if (!reader) return Error{reader.error().code, QStringLiteral("%1: %2").arg(name_, reader.error().message)};
        auto s = ctx_.database().bulkTransaction(tessera::text("import of %1 from %2", card_.card_.table, name_), [&]() -> Status {
            auto any = ctx_.database().queryOne(QStringLiteral("SELECT id FROM %1 LIMIT 1").arg(card_.card_.table));
            if (!any) return any.error();
            memo_.startedEmpty = any->isEmpty();
            // Into an empty table the rows go first and the indexes are built after them, unless a
            // field refers to this same card (its import looks records up by title as it goes).
            std::optional<SuspendedIndexes> suspended;
            if (memo_.startedEmpty && std::none_of(card_.targets_.begin(), card_.targets_.end(), [&](const RecordCard* t) { return t == &card_; })) {
                auto dropped = SuspendedIndexes::suspend(ctx_.database(), card_.card_);
                if (!dropped) return dropped.error();
                suspended = std::move(*dropped);
            }
            // The header is read here; the rows after it are read and their cells converted on
            // another thread (RowsAhead) while this one checks and writes the rows before.
            bool header = true;
            auto first = (*reader)->next();
            if (!first) report({1, {}, {}, first.error().message});
            if (first && *first) {
                header = false;
                sheet_ = (*reader)->sheet();
                if (readHeader(**first)) {
                    if (auto loaded = loadUnits(); !loaded) return loaded;
                    // A reference is looked up in this thread's transaction, and a card that is a unit
                    // names parents its earlier rows made: then the cells are read here too.
                    const bool readAhead = card_.targets_.isEmpty() && !card_.card_.isUnit;
                    const bool checkAhead = readAhead && mayCheckAhead();
                    RowsAhead ahead(
                        **reader,
                        [this, checkAhead](tessera::TableRow row) {
                            ReadRow read = readCells(std::move(row));
                            if (checkAhead && !read.bad && !read.empty) checkNew(read);
                            return read;
                        },
                        readAhead);
                    while (auto read = ahead.next()) {
                        if (!read->readError.isEmpty()) {
                            report({0, {}, {}, read->readError});
                            if (errors_.size() >= kMaxErrors) break;
                            continue;
                        }
                        if (read->empty) continue;
                        ++rows_;
                        for (RowError& e : read->errors) report(std::move(e));
                        for (RowError& w : read->warnings) warnings_.push_back(std::move(w));
                        if (!read->bad)
                            if (auto st = importRow(*read); !st) return st;
                        if (static_cast<qint64>(errors_.size()) >= kMaxErrors) {
                            report({read->row.line, {}, {}, tessera::text("stopped here after %1 errors: correct these and import again", kMaxErrors)});
                            break;
                        }
                        if (rows_ % kProgressEvery == 0) {
                            if (job_.cancelRequested())
                                return Error{QStringLiteral("job.cancelled"), tessera::text("cancelled after %1 rows; nothing was imported", rows_)};
                            job_.setProgress(rows_, QStringLiteral("已检查 %1 行").arg(rows_));
                        }
                    }
                }
            }
            // What only the rows needed (a million keys and more) goes now, so that the heap is
            // trimmed of it when the transaction ends.
            keysSeen_ = {};
            memo_ = {};
            aheadMemo_ = {};
            unitOf_ = {};
            paths_ = {};
            ownPaths_ = {};
            byName_ = {};
            byCode_ = {};
            namesOf_ = {};
            writable_ = {};
            if (header && errors_.empty()) report({1, {}, {}, tessera::text("the file is empty: the first row must name the columns")});
            job_.setProgress(rows_, QStringLiteral("已检查 %1 行").arg(rows_));
            if (!errors_.empty() || dryRun_) return Error{kRollback, tessera::text("not committed")};  // the indexes come back with it
            if (suspended) {
                job_.setProgress(rows_, QStringLiteral("已检查 %1 行，正在建立索引").arg(rows_));
                if (auto built = suspended->restore(ctx_.database()); !built) return built;
            }
            return ctx_.events().publish(card_.card_.events + QStringLiteral(".imported"),
                                         QJsonObject{{QStringLiteral("created"), created_}, {QStringLiteral("updated"), updated_}});
        });
        if (!s && s.error().code != kRollback) return s.error();
        if (!errors_.empty())
            if (auto w = writeErrorFile(); !w) return w.error();
        auto reported = [](const std::vector<RowError>& all) {
            QJsonArray out;
            for (const RowError& e : std::span(all).first(std::min(all.size(), kReported)))
                out.append(QJsonObject{{QStringLiteral("row"), e.row}, {QStringLiteral("column"), e.column},
                                       {QStringLiteral("field"), e.field}, {QStringLiteral("reason"), e.reason}});
            return out;
        };
        const bool committed = bool(s);
        QJsonObject result{{QStringLiteral("dryRun"), dryRun_},
                           {QStringLiteral("committed"), committed},
                           {QStringLiteral("file"), name_},
                           {QStringLiteral("rows"), rows_},
                           // What was (or, on a dry run, would be) done; nothing when rolled back for errors.
                           {QStringLiteral("created"), errors_.empty() ? created_ : 0},
                           {QStringLiteral("updated"), errors_.empty() ? updated_ : 0},
                           {QStringLiteral("unchanged"), errors_.empty() ? unchanged_ : 0},
                           {QStringLiteral("errorCount"), static_cast<qint64>(errors_.size())},
                           {QStringLiteral("errors"), reported(errors_)},
                           {QStringLiteral("warningCount"), static_cast<qint64>(warnings_.size())},
                           {QStringLiteral("warnings"), reported(warnings_)}};
        if (!sheet_.isEmpty()) result.insert(QStringLiteral("sheet"), sheet_);
        return result;
    }

private:
    // The header names a field by its column header, its zh-CN or en label, or its JSON name.
    const FieldDecl* fieldNamed(const QString& cell) const {
        const QString text = cell.trimmed().remove(u'*');
        for (const FieldDecl* f : importable_)
            if (text == f->columnHeader() || text == f->label.zhCN || text.compare(f->label.en, Qt::CaseInsensitive) == 0 || text == f->name ||
                f->aliases.contains(text))
                return f;
        return nullptr;
    }

    bool skipped(const QString& cell) const {
        const QString text = cell.trimmed().remove(u'*');
        for (const FieldDecl* f : card_.fields_)
            if ((!f->imported || f->readOnly) && (text == f->columnHeader() || text == f->label.zhCN || text == f->name)) return true;
        return false;
    }

    bool namesRequired(const QStringList& cells) const {
        int found = 0, required = 0;
        for (const FieldDecl* f : importable_) {
            if (f->requirement != Requirement::System || f == card_.unit_) continue;
            ++required;
            found += std::any_of(cells.begin(), cells.end(), [&](const QString& c) { return fieldNamed(c) == f; }) ? 1 : 0;
        }
        return required ? found == required : std::any_of(cells.begin(), cells.end(), [&](const QString& c) { return fieldNamed(c) != nullptr; });
    }

    bool readHeader(const tessera::TableRow& row) {
        width_ = row.cells.size();
        for (qsizetype i = 0; i < row.cells.size(); ++i) {
            const QString text = row.cells[i].trimmed();
            if (text.isEmpty()) continue;
            headers_.insert(i, text);
            if (text == u"编号" || text.compare(QStringLiteral("id"), Qt::CaseInsensitive) == 0) {
                idCell_ = i;
                namedCells_.insert(i);
                continue;
            }
            if (text == u"创建时间" || text == u"更新时间") {  // exports write them; they are the host's to keep
                namedCells_.insert(i);
                continue;
            }
            const FieldDecl* f = fieldNamed(text);
            if (!f && skipped(text)) {  // a field exports show but imports leave to the host (derived ones)
                namedCells_.insert(i);
                continue;
            }
            if (!f) {  // read by nobody: a value under it is an error of its row, an empty column a warning
                warnings_.push_back({1, text, {}, tessera::text("'%1' is not a column of %2: it is not read", text, cardName(card_.card_))});
                continue;
            }
            namedCells_.insert(i);
            if (cellOf_.contains(f->name)) {
                report({1, text, f->name, tessera::text("column '%1' is in the file twice", text)});
                continue;
            }
            cellOf_.insert(f->name, i);
            headerOf_.insert(f->name, text);
        }
        for (auto it = cellOf_.constBegin(); it != cellOf_.constEnd(); ++it) columns_.emplace_back(it.value(), card_.card_.field(it.key()));
        std::sort(columns_.begin(), columns_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (const FieldDecl* f : importable_)
            if (f->requirement == Requirement::System && f != card_.unit_ && !cellOf_.contains(f->name))
                report({1, f->columnHeader(), f->name, tessera::text("the file has no column '%1', which is required", f->columnHeader())});
        return errors_.empty();
    }

    ReadRow readCells(tessera::TableRow row) {
        ReadRow read;
        read.row = std::move(row);
        const tessera::TableRow& r = read.row;
        if (r.unreadable.isEmpty() && std::all_of(r.cells.begin(), r.cells.end(), [](const QString& c) { return c.trimmed().isEmpty(); })) {
            read.empty = true;
            return read;
        }
        auto fail = [&](RowError e) {
            read.errors.push_back(std::move(e));
            read.bad = true;
        };
        // A value beyond the header's columns or under a column without a name would be lost.
        for (qsizetype i = 0; i < r.cells.size(); ++i) {
            if (r.cells[i].trimmed().isEmpty() || (i < width_ && namedCells_.contains(i))) continue;
            fail({r.line, {}, {},
                  i >= width_ ? tessera::text("the row has %1 cells but the header names %2 columns; a value with a comma needs quotes", r.cells.size(), width_)
                  : headers_.contains(i)
                      ? tessera::text("cell %1 ('%2') is under '%3', which is not a column of %4; its value would be lost", tessera::TableFiles::cellName(r.line, i),
                                          r.cells[i].left(50), headers_.value(i), cardName(card_.card_))
                      : tessera::text("cell %1 ('%2') is under a column without a name", tessera::TableFiles::cellName(r.line, i), r.cells[i].left(50))});
            return read;
        }
        // The row's cells as the API's JSON values, left to right, so the report reads like the row.
        for (const auto& [cell, f] : columns_) {
            if (r.unreadable.contains(cell)) {
                fail({r.line, headerOf_.value(f->name), f->name, QStringLiteral("%1: %2").arg(tessera::TableFiles::cellName(r.line, cell), r.unreadable.value(cell))});
                continue;
            }
            const QString text = r.cells.value(cell).trimmed();
            // Text the spreadsheet turned into a number of more than 15 digits (an ID number,
            // a bank account) lost its last digits, or shows as 1.10105E+17: an error, said once.
            static const QRegularExpression scientific(QStringLiteral("^\\d(\\.\\d+)?[eE]\\+?\\d+$"));
            const bool rounded = (text.contains(u'e') || text.contains(u'E')) && scientific.match(text).hasMatch();
            if (f->kind == FieldKind::Text && (rounded || (r.numbers.contains(cell) && text.size() > 15))) {
                fail({r.line, headerOf_.value(f->name), f->name,
                      tessera::text("%1: '%2' is a number the spreadsheet rounded; format the column as text and type the digits again",
                                    tessera::TableFiles::cellName(r.line, cell), text)});
                continue;
            }
            static const QRegularExpression mobile(QStringLiteral("^1\\d{10}$"));
            if (r.numbers.contains(cell) && (f->kind == FieldKind::Text) && text.size() > 1 && !mobile.match(text).hasMatch())
                read.warnings.push_back({r.line, headerOf_.value(f->name), f->name,
                                         tessera::text("%1: the spreadsheet holds %2 as a number, so a 0 it began with is gone; check it, and format the column as text",
                                                       tessera::TableFiles::cellName(r.line, cell), text)});
            auto value = cellValue(*f, text);
            if (!value) {
                fail({r.line, headerOf_.value(f->name), f->name, value.error().message});
                continue;
            }
            read.given.insert(f->name, *value);
        }
        return read;
    }

    // The rest of a row that readCells found no error in: the record it is about, the checks
    // of POST or PUT, the write.
    Status importRow(const ReadRow& read) {
        const tessera::TableRow& row = read.row;
        const QJsonObject& given = read.given;
        // The record the row is about: the one its 编号 names, in the caller's write scope.
        const tessera::Scope& scope = job_.access().scope(card_.card_.writePermission);
        if (read.checked) return importChecked(read, scope);
        Row stored;
        std::optional<tessera::Record> derivedNew;  // the row as derive made it, for a new record
        if (idCell_ >= 0 && !row.cells.value(idCell_).trimmed().isEmpty()) {
            const QString idText = halfWidth(row.cells.value(idCell_).trimmed());
            const auto id = tessera::parseId(idText.endsWith(QStringLiteral(".0")) ? idText.chopped(2) : idText);
            auto found = id ? card_.fetch(*id, &scope) : tessera::Result<Row>(Row{});
            if (!found) return found.error();
            if (found->isEmpty()) {
                report({row.line, headerText(idCell_), QStringLiteral("id"),
                        tessera::text("there is no %1 with 编号 %2 that you may change; leave 编号 empty to add a new one", cardName(card_.card_), idText)});
                return {};
            }
            stored = *found;
        } else if (const FieldDecl* key = card_.byName_.value(card_.card_.importKey); key && given.contains(key->name) && !given.value(key->name).isNull()) {
            // The card's import key (an ID number, a code) matches the row to its record, as
            // the card stores it (the plugin's derive hook normalises it: a legacy ID number
            // is upgraded), and names a record only once per file.
            tessera::Record derived = given;
            if (card_.hooks_ && card_.hooks_->derive) card_.hooks_->derive(derived, nullptr, ctx_);
            const QString value = derived.value(key->name).toVariant().toString().trimmed();
            if (const auto seen = keysSeen_.constFind(value); seen != keysSeen_.constEnd()) {
                report({row.line, headerOf_.value(key->name), key->name, tessera::text("'%1' is also on row %2 of this file", value, *seen)});
                return {};
            }
            keysSeen_.insert(value, row.line);
            // Into an empty table, no stored record can hold it: the rows before are in keysSeen_.
            auto other = memo_.startedEmpty ? tessera::Result<Row>(Row{})
                                            : ctx_.database().queryOne(QStringLiteral("SELECT id, %1 AS unit FROM %2 WHERE %3 = ?1")
                                                                           .arg(kScopeColumn, card_.card_.table, key->column),
                                                                       {value});
            if (!other) return other.error();
            if (!other->isEmpty()) {
                if (!scope.contains(other->value(QStringLiteral("unit")).toLongLong())) {
                    report({row.line, headerOf_.value(key->name), key->name,
                            tessera::text("'%1' is already used by a record you cannot see", value)});  // as POST says it
                    return {};
                }
                auto found = card_.fetch(other->value(QStringLiteral("id")).toLongLong(), &scope);
                if (!found) return found.error();
                stored = *found;
            } else {
                derivedNew = std::move(derived);
            }
        }
        // The row as the API's JSON: the stored record, with the file's columns over it.
        // A new record's row went through derive already (to find its key), as readBody would
        // send it: readBody takes it as derived. A stored record's is derived with it.
        QJsonObject body = derivedNew ? *derivedNew : given;
        memo_.bodyDerived = derivedNew.has_value();
        if (!stored.isEmpty()) {
            auto json = card_.toJson(stored, nullptr);
            if (!json) return json.error();
            body = *json;
            body.remove(QStringLiteral("labels"));
            for (auto it = given.constBegin(); it != given.constEnd(); ++it) body.insert(it.key(), it.value());
        }
        Request request;
        request.body = body;
        request.access = &job_.access();
        request.scope = &scope;
        QList<FieldError> errors;
        ColumnValues values = card_.readBody(request, stored.isEmpty() ? nullptr : &stored, errors, &memo_);
        return save(row, values, errors, request, stored, scope);
    }

    // Whether rows may be checked ahead, as new records, on the thread that reads them
    // (checkNew): the table started empty and the file names no records by 编号, so every row
    // is a new record or repeats a key of a row before; the plugin declared its derive and
    // validate hooks pure; and checking a row asks the database nothing: no references, user
    // fields or other units, and each row's unit one the importer may write to, as loadUnits
    // found them (aheadMemo_; a row of another unit waits for this thread). The database stays
    // this thread's, in the import's transaction.
    bool mayCheckAhead() {
        if (!memo_.startedEmpty || idCell_ >= 0 || !card_.pureRules_ || !card_.unit_ || !card_.users_.empty() || !card_.throughs_.isEmpty())
            return false;
        if (std::any_of(card_.fields_.begin(), card_.fields_.end(),
                        [&](const FieldDecl* f) { return f->kind == FieldKind::Unit && f != card_.unit_; }))
            return false;
        if (allUnits_)
            for (const auto& ids : std::as_const(byName_))
                for (qint64 id : ids) aheadMemo_.unitsInScope.insert(id);
        else
            aheadMemo_.unitsInScope = writable_;
        return true;
    }

    // The checks of a new record for `read` (on the reading thread): the import key's derive,
    // then readBody as POST checks it. The writing thread does the rest (importChecked).
    void checkNew(ReadRow& read) {
        const FieldDecl* unit = card_.unit_;
        const QJsonValue given = read.given.value(unit->name);
        const auto n = jsonWholeNumber(given);
        const qint64 unitId = given.isUndefined() || given.isNull() ? job_.access().caller().unitId : n ? *n : 0;
        if (!aheadMemo_.unitsInScope.contains(unitId)) return;  // a unit to look up: the writing thread checks the row
        try {
            checkNewOnce(read);
        } catch (...) {  // a hook that throws does so again on the writing thread, which fails the job as before
            read.values = {};
            read.fieldErrors.clear();
            read.key.reset();
            read.checked = false;
        }
    }

    void checkNewOnce(ReadRow& read) {
        tessera::Record body = read.given;
        aheadMemo_.bodyDerived = false;
        if (const FieldDecl* key = card_.byName_.value(card_.card_.importKey);
            key && read.given.contains(key->name) && !read.given.value(key->name).isNull()) {
            if (card_.hooks_ && card_.hooks_->derive) card_.hooks_->derive(body, nullptr, ctx_);
            read.key = body.value(key->name).toVariant().toString().trimmed();
            aheadMemo_.bodyDerived = true;
        }
        Request request;
        request.body = body;
        request.access = &job_.access();
        request.scope = &job_.access().scope(card_.card_.writePermission);
        read.values = card_.readBody(request, nullptr, read.fieldErrors, &aheadMemo_);
        read.checked = true;
    }

    // A row checkNew checked: a new record, unless its key is on a row before.
    Status importChecked(const ReadRow& read, const tessera::Scope& scope) {
        if (read.key) {
            const FieldDecl* key = card_.byName_.value(card_.card_.importKey);
            if (const auto seen = keysSeen_.constFind(*read.key); seen != keysSeen_.constEnd()) {
                report({read.row.line, headerOf_.value(key->name), key->name,
                        tessera::text("'%1' is also on row %2 of this file", *read.key, *seen)});
                return {};
            }
            keysSeen_.insert(*read.key, read.row.line);
        }
        Request request;
        request.access = &job_.access();
        request.scope = &scope;
        QList<FieldError> errors = read.fieldErrors;
        return save(read.row, read.values, errors, request, Row{}, scope);
    }

    // The end of a row whose values readBody gave: the unique values, then the write.
    Status save(const tessera::TableRow& row, const ColumnValues& values, QList<FieldError>& errors, const Request& request,
                const Row& stored, const tessera::Scope& scope) {
        if (errors.isEmpty()) {
            if (auto u = card_.checkUnique(values, stored.isEmpty() ? 0 : stored.value(QStringLiteral("id")).toLongLong(), request, errors, &memo_); !u)
                return u;
        }
        for (const FieldError& e : errors) report({row.line, headerOf_.value(e.field), e.field, e.message});
        if (!errors.isEmpty()) return {};
        // Required (not system-required) fields left empty are taken, and said, for someone to complete.
        for (const FieldDecl* f : importable_)
            if (f->requirement == Requirement::Required && f != card_.unit_ && f->kind != FieldKind::Checkbox && values.contains(f->column) &&
                (values.value(f->column).isNull() || values.value(f->column).toString().isEmpty()))
                warnings_.push_back({row.line, headerOf_.value(f->name, f->columnHeader()), f->name, tessera::text("%1 is empty: it is required, fill it in", f->columnHeader())});
        const QString now = nowText();
        if (stored.isEmpty()) {
            auto id = card_.insert(values, now, &scope);
            if (!id && !id.error().field.isEmpty()) {  // the plugin's afterSave (or the unit tree) refused it: an error of this row
                report({row.line, headerOf_.value(id.error().field), id.error().field, id.error().message});
                return {};
            }
            if (!id) return id.error();
            if (card_.card_.isUnit)
                if (auto added = unitAdded(*id); !added) return added;
            remember(*id, values, Row{});
            ++created_;
            return {};
        }
        bool same = true;
        for (const FieldDecl* f : card_.fields_)
            if (values.contains(f->column) && values.value(f->column).toString() != stored.value(f->column).toString()) same = false;
        if (same) {
            ++unchanged_;
            return {};
        }
        const qint64 id = stored.value(QStringLiteral("id")).toLongLong();
        auto w = card_.write(id, stored.value(QStringLiteral("version")).toLongLong(), values, now, stored, &scope);
        unitsMoved_ = unitsMoved_ || card_.card_.isUnit;  // perhaps renamed or moved: the paths are read again when one is not found
        if (!w && !w.error().field.isEmpty()) {
            report({row.line, headerOf_.value(w.error().field), w.error().field, w.error().message});
            return {};
        }
        if (!w) return w.error();
        remember(id, values, stored);
        ++updated_;
        return {};
    }

    // The unique values record `id` now holds, for the next rows' checks (see ImportMemo).
    void remember(qint64 id, const ColumnValues& values, const Row& before) {
        if (!memo_.startedEmpty) return;
        for (const FieldDecl* f : card_.fields_) {
            if (!f->unique) continue;
            auto& holders = memo_.written[f->column];
            if (const QString old = before.value(f->column).toString(); !old.isEmpty() && holders.value(old) == id) holders.remove(old);
            const QString value = values.contains(f->column) ? values.value(f->column).toString() : before.value(f->column).toString();
            if (!value.isEmpty()) holders.insert(value, id);
        }
    }

    // The clock's time as stored; rows written in the same millisecond share the text.
    const QString& nowText() {
        const QDateTime now = ctx_.clock().now();
        if (now.toMSecsSinceEpoch() != nowMs_ || now_.isEmpty()) {
            nowMs_ = now.toMSecsSinceEpoch();
            now_ = now.toUTC().toString(Qt::ISODateWithMs);
        }
        return now_;
    }

    QString headerText(qsizetype cell) const { return cell == idCell_ ? QStringLiteral("编号") : QString(); }

    // A cell as people type it, as the API's JSON value of the field.
    tessera::Result<QJsonValue> cellValue(const FieldDecl& f, const QString& text) {
        if (text.isEmpty()) return QJsonValue(QJsonValue::Null);
        auto refuse = [&](const QString& why) { return Error{QStringLiteral("import.cell"), why}; };
        switch (f.kind) {
        case FieldKind::Text:
            return QJsonValue(f.pattern.isEmpty() ? text : halfWidth(text));
        case FieldKind::Textarea: return QJsonValue(text);
        case FieldKind::Integer: {
            bool ok = false;
            const double d = halfWidth(text).toDouble(&ok);
            if (!ok) return refuse(tessera::text("'%1' is not a whole number", text));
            return QJsonValue(d);
        }
        case FieldKind::Number: {
            bool ok = false;
            const double d = halfWidth(text).remove(u',').toDouble(&ok);
            if (!ok) return refuse(tessera::text("'%1' is not a number", text));
            return QJsonValue(d);
        }
        case FieldKind::Decimal: return QJsonValue(halfWidth(text).remove(u',').remove(u'¥').remove(u'￥').remove(QStringLiteral("元")).trimmed());
        case FieldKind::Date: {
            const auto d = peopleDate(halfWidth(text));
            if (!d) return refuse(tessera::text("'%1' is not a date (write 2024-05-01, 2024/5/1 or 2024年5月1日)", text));
            return QJsonValue(*d);
        }
        case FieldKind::DateTime: {
            QString t = halfWidth(text).replace(u' ', u'T');
            if (QDateTime::fromString(t, Qt::ISODate).isValid()) return QJsonValue(t);
            if (const auto d = peopleDate(text)) return QJsonValue(*d + QStringLiteral("T00:00:00"));
            return refuse(tessera::text("'%1' is not a date and time (write 2024-05-01 08:30)", text));
        }
        case FieldKind::Checkbox: {
            const auto b = peopleFlag(text);
            if (!b) return refuse(tessera::text("'%1' is neither 是 nor 否", text));
            return QJsonValue(*b);
        }
        case FieldKind::Dropdown: {
            if (const auto code = dropdownCode(f.dictionary, text)) return QJsonValue(*code);
            QStringList labels;
            if (const DictionaryDecl* d = card_.manifest_.dictionary(f.dictionary))
                for (const DictionaryItem& item : d->items) labels << item.label.zhCN;
            return refuse(tessera::text("'%1' is not one of %2%3", text, labels.mid(0, 12).join(QStringLiteral("、")), labels.size() > 12 ? QStringLiteral("…") : QString()));
        }
        case FieldKind::Unit: {
            // reach="tree" (a transfer's destination): any unit of the tree, not only the importer's.
            auto id = unitByPath(text, f.anyUnit);
            // A code typed in full-width (Ｐ０２); names keep theirs (（一）支部), so this comes second.
            if (!id && halfWidth(text) != text)
                if (auto half = unitByPath(halfWidth(text), f.anyUnit)) id = half;
            if (!id) return id.error();
            return QJsonValue(*id);
        }
        case FieldKind::Reference: {
            RecordCard* target = card_.targets_.value(f.name);
            auto id = target->idByTitle(text, job_.access().scope(target->card().readPermission));
            if (!id) return id.error();
            return QJsonValue(*id);
        }
        case FieldKind::User: {
            // A user holding the duty, by display name or username (several, for a field of
            // several users, as an export writes them: 张三、李四); the engine then checks they
            // hold it at the record's unit.
            static const QRegularExpression separators(QStringLiteral("[、,，;；]"));
            const QStringList names = f.multiple ? text.split(separators, Qt::SkipEmptyParts) : QStringList{text};
            const QString duty = card_.permissionLabel(f.permission);
            QJsonArray picked;
            for (const QString& given : names) {
                const QString name = given.trimmed();
                if (name.isEmpty()) continue;
                auto ids = tessera::host::dutyHoldersNamed(ctx_.database(), f.permission, name);
                if (!ids) return ids.error();
                if (ids->isEmpty()) return refuse(tessera::text("no one named '%1' holds %2", name, duty));
                if (ids->size() > 1)
                    return refuse(tessera::text("%1 people named '%2' hold %3; write the username instead", ids->size(), name, duty));
                picked.append(ids->front());
            }
            if (picked.isEmpty()) return QJsonValue(QJsonValue::Null);
            return f.multiple ? QJsonValue(picked) : picked.first();
        }
        default: return refuse(tessera::text("cannot be imported"));
        }
    }

    // A dictionary code from what people write: the code, its zh-CN or en label, an alias the
    // manifest gives (a former name), or the start of exactly one label (汉 for 汉族, 正式 for
    // 正式党员). Read once per dictionary and text.
    std::optional<QString> dropdownCode(const QString& dictionary, const QString& text) {
        auto& known = codes_[dictionary];
        if (known.isEmpty()) {
            const DictionaryDecl* d = card_.manifest_.dictionary(dictionary);
            if (!d) return std::nullopt;
            for (const DictionaryItem& item : d->items) {
                known.insert(item.code, item.code);
                if (!item.label.zhCN.isEmpty()) known.insert(item.label.zhCN, item.code);
                if (!item.label.en.isEmpty()) known.insert(item.label.en.toLower(), item.code);
            }
            for (auto it = d->aliases.constBegin(); it != d->aliases.constEnd(); ++it) known.insert(it.key(), it.value());
        }
        if (auto it = known.constFind(text); it != known.constEnd()) return it.value().isEmpty() ? std::nullopt : std::optional<QString>(*it);
        if (auto it = known.constFind(text.toLower()); it != known.constEnd() && !it.value().isEmpty()) return *it;
        QString found;
        if (const DictionaryDecl* d = card_.manifest_.dictionary(dictionary))
            for (const DictionaryItem& item : d->items)
                if (item.label.zhCN.startsWith(text) && item.code != found) {
                    if (!found.isEmpty()) {
                        found.clear();
                        break;
                    }
                    found = item.code;
                }
        known.insert(text, found);  // an empty code: not one of the dictionary's
        return found.isEmpty() ? std::nullopt : std::optional<QString>(found);
    }

    // A unit by its path of names as exports write it (根/东区/一支部, or below the importer's
    // top unit: 街道3/一支部), the path below the root, or its name alone when that is unique;
    // never a unit outside the caller's write scope.
    // The unit tree as the file may name its units, and the units the importer may add records
    // to: read once, before the rows, so that reading a row asks the database nothing.
    Status loadUnits() {
        auto rows = ctx_.database().query(QStringLiteral("SELECT id, parent_id, name, code FROM core_units"));
        if (!rows) return rows.error();
        QHash<qint64, std::pair<qint64, QString>> units;
        for (const Row& r : *rows) {
            units.insert(r.value(QStringLiteral("id")).toLongLong(), {r.value(QStringLiteral("parent_id")).toLongLong(), r.value(QStringLiteral("name")).toString()});
            if (const QString code = r.value(QStringLiteral("code")).toString(); !code.isEmpty()) byCode_[code] << r.value(QStringLiteral("id")).toLongLong();
        }
        for (auto it = units.constBegin(); it != units.constEnd(); ++it) {
            QStringList names;
            for (qint64 at = it.key(); at && names.size() < 64; at = units.value(at).first) names.prepend(units.value(at).second);
            addUnitPath(it.key(), names);
        }
        const tessera::Scope& scope = job_.access().scope(card_.card_.writePermission);
        allUnits_ = scope.all();
        if (allUnits_) return {};
        // The paths the importer's own exports write: below their top unit (UnitLabels). Two
        // units of one path (two top units of the same name) are named by neither.
        auto own = UnitLabels(ctx_.database(), job_.access(), card_.card_.readPermission).everyLabel();
        if (!own) return own.error();
        for (auto it = own->constBegin(); it != own->constEnd(); ++it) {
            const QString path = it->relative();
            ownPaths_.insert(path, ownPaths_.contains(path) ? 0 : it.key());
        }
        tessera::Params params;
        auto writable = ctx_.database().query(QStringLiteral("SELECT id FROM core_units WHERE ") + scope.condition(QStringLiteral("id"), params), params);
        if (!writable) return writable.error();
        for (const Row& r : *writable) writable_.insert(r.value(QStringLiteral("id")).toLongLong());
        return {};
    }

    void addUnitPath(qint64 id, const QStringList& names) {
        paths_.insert(names.join(u'/'), id);
        if (names.size() > 1) paths_.insert(names.mid(1).join(u'/'), id);
        byName_[names.last()] << id;
        if (card_.card_.isUnit) namesOf_.insert(id, names);
    }

    // A card that is a unit made unit `id`: later rows may name it (as their parent).
    Status unitAdded(qint64 id) {
        auto unit = ctx_.units().get(id);
        if (!unit) return unit.error();
        addUnitPath(id, namesOf_.value(unit->parentId) << unit->name);
        if (!unit->code.isEmpty()) byCode_[unit->code] << id;
        if (!allUnits_) writable_.insert(id);
        return {};
    }

    tessera::Result<qint64> unitByPath(const QString& text, bool anyUnit) {
        auto found = unitNamed(text, anyUnit);
        if (found || !unitsMoved_) return found;
        // Units this import renamed or moved are named as they are now.
        unitsMoved_ = false;
        unitOf_.clear();
        anyUnitOf_.clear();
        paths_.clear();
        byName_.clear();
        byCode_.clear();
        namesOf_.clear();
        writable_.clear();
        if (auto loaded = loadUnits(); !loaded) return loaded.error();
        return unitNamed(text, anyUnit);
    }

    tessera::Result<qint64> unitNamed(const QString& text, bool anyUnit) {
        // Each unit once per import: most rows name a unit an earlier row named.
        QHash<QString, qint64>& seen = anyUnit ? anyUnitOf_ : unitOf_;
        if (const auto known = seen.constFind(text); known != seen.constEnd()) return *known;
        QStringList names = text.split(u'/');
        for (QString& name : names) name = name.trimmed();
        const QString key = names.join(u'/');
        qint64 id = ownPaths_.value(key);
        if (!id) id = paths_.value(key);
        if (!id && byName_.value(key).size() == 1) id = byName_.value(key).front();
        if (!id && byName_.value(key).isEmpty() && byCode_.value(key).size() == 1) id = byCode_.value(key).front();
        if (!id && byName_.value(key).isEmpty() && card_.card_.isUnit) {
            // A card that is a unit also names one by its title (a full name where the tree has a short one).
            auto titled = card_.idByTitle(key, job_.access().scope(card_.card_.writePermission));
            if (titled) id = *titled;
        }
        if (!id && byName_.value(key).size() > 1)
            return Error{QStringLiteral("import.cell"), tessera::text("several units are named '%1'; write its path, like 上级/%1", key)};
        if (!id && anyUnit) return Error{QStringLiteral("import.cell"), tessera::text("there is no unit '%1'", text)};
        if (!id || !(anyUnit || allUnits_ || writable_.contains(id)))
            return Error{QStringLiteral("import.cell"), tessera::text("there is no unit '%1' you may add %2 to", text, cardName(card_.card_))};
        seen.insert(text, id);
        return id;
    }

    void report(RowError e) { errors_.push_back(std::move(e)); }

    Status writeErrorFile() {
        auto path = job_.outputFile(QStringLiteral("errors.csv"), tessera::TableFiles::mediaType(tessera::TableFormat::Csv));
        if (!path) return path.error();
        auto out = ctx_.tables().create(*path, tessera::TableFormat::Csv);
        if (!out) return out.error();
        if (auto s = (*out)->row({QStringLiteral("行号"), QStringLiteral("列"), QStringLiteral("原因")}); !s) return s;
        for (const RowError& e : errors_)
            if (auto s = (*out)->row({e.row ? QString::number(e.row) : QString(), e.column, messages().render(e.reason, language_)}); !s) return s;
        return (*out)->finish();
    }

    RecordCard& card_;
    tessera::Job& job_;
    tessera::Context& ctx_;
    const QString path_, name_;
    const tessera::TableFormat format_;
    const bool dryRun_;
    const Language language_;  // of the one who started it: errors.csv is read by them
    std::vector<const FieldDecl*> importable_;
    QHash<QString, qsizetype> cellOf_;    // field -> its cell
    QHash<QString, QString> headerOf_;    // field -> its header as the file has it
    std::vector<std::pair<qsizetype, const FieldDecl*>> columns_;  // the fields read, by cell, left to right
    qsizetype idCell_ = -1;               // the 编号 column, if any
    qsizetype width_ = 0;
    QSet<qsizetype> namedCells_;          // cells under a header the import reads (or knows to skip)
    QHash<qsizetype, QString> headers_;   // every non-empty header
    QHash<QString, qint64> paths_;        // unit path -> id
    QHash<QString, qint64> ownPaths_;     // unit path below the importer's top unit -> id (0: several)
    QHash<QString, QList<qint64>> byName_;
    QHash<QString, QList<qint64>> byCode_;  // unit code -> ids
    QHash<qint64, QStringList> namesOf_;    // a card that is a unit: unit id -> its path of names
    bool unitsMoved_ = false;               // a card that is a unit may have renamed or moved units
    QHash<QString, qint64> unitOf_;         // a cell's text -> the unit it named, in the importer's scope
    QHash<QString, qint64> anyUnitOf_;      // the same for reach="tree" fields: any unit of the tree
    bool allUnits_ = false;                 // the importer may write records of every unit
    QSet<qint64> writable_;                 // else: the units they may write records of
    RecordCard::ImportMemo memo_;
    RecordCard::ImportMemo aheadMemo_;  // the reading thread's own (checkNew)
    qint64 nowMs_ = 0;
    QString now_;
    QHash<QString, qint64> keysSeen_;       // import key -> the row it is on
    QHash<QString, QHash<QString, QString>> codes_;  // dictionary -> text people write -> code ("" for none)
    qint64 rows_ = 0, created_ = 0, updated_ = 0, unchanged_ = 0;
    std::vector<RowError> errors_, warnings_;
    QString sheet_;
};

Result<qint64> RecordCard::idByTitle(const QString& text, const tessera::Scope& scope) {
    const FieldDecl* title = card_.field(card_.titleField);
    Params params{text};
    auto rows = ctx_.database().query(QStringLiteral("SELECT id FROM %1 WHERE %2 = ?1 AND %3 LIMIT 2")
                                          .arg(card_.table, title ? title->column : QStringLiteral("id"), scope.condition(kScopeColumn, params)),
                                      params);
    if (!rows) return rows.error();
    if (rows->size() == 1) return rows->front().value(QStringLiteral("id")).toLongLong();
    // A value of a unique field (an ID number: what a bank or payroll list names people by),
    // before a duplicate name is refused: it names one record where the name does not.
    for (const FieldDecl* f : fields_) {
        if (!f->unique || f->kind != FieldKind::Text) continue;
        Params byUnique{text};
        auto held = ctx_.database().query(QStringLiteral("SELECT id FROM %1 WHERE %2 = ?1 AND %3 LIMIT 1")
                                              .arg(card_.table, f->column, scope.condition(kScopeColumn, byUnique)),
                                          byUnique);
        if (!held) return held.error();
        if (!held->empty()) return held->front().value(QStringLiteral("id")).toLongLong();
    }
    if (rows->size() > 1) {
        QStringList unique;
        for (const FieldDecl* f : fields_)
            if (f->unique && f->kind == FieldKind::Text) unique << f->label.zhCN;
        if (unique.isEmpty()) return Error{QStringLiteral("import.cell"), tessera::text("several %1 are named '%2'", cardName(card_), text)};
        return Error{QStringLiteral("import.cell"), tessera::text("several %1 are named '%2'; give their %3 instead", cardName(card_), text,
                                                                  unique.join(QStringLiteral("、")))};
    }
    if (const auto id = tessera::parseId(text)) {
        auto found = titles({*id}, scope);
        if (!found) return found.error();
        if (!found->isEmpty()) return *id;
    }
    return Error{QStringLiteral("import.cell"), tessera::text("there is no %1 '%2' that you may see", cardName(card_), text)};
}

Response RecordCard::importFile(const Request& r) {
    QList<FieldError> errors;
    tessera::refuseUnknownParams(r, {}, errors);
    const QJsonObject body = r.body.toObject();
    if (!r.body.isObject()) errors.append({QStringLiteral("(body)"), tessera::text("send {\"file\": \"<upload id>\", \"dryRun\": true|false}")});
    for (const QString& key : body.keys())
        if (key != u"file" && key != u"dryRun" && key != u"format") errors.append({key, tessera::text("unknown field")});
    const QJsonValue dry = body.value(QStringLiteral("dryRun"));
    if (!dry.isUndefined() && !dry.isBool()) errors.append({QStringLiteral("dryRun"), tessera::text("must be true or false")});
    QString path, name;
    tessera::TableFormat format = tessera::TableFormat::Csv;
    const QJsonValue id = body.value(QStringLiteral("file"));
    if (r.body.isObject() && !id.isString()) {
        errors.append({QStringLiteral("file"), tessera::text("is required: the id POST /api/v1/files gave the uploaded file")});
    } else if (id.isString()) {
        auto upload = ctx_.uploads().find(r, id.toString());
        if (!upload) {
            errors.append({QStringLiteral("file"), upload.error().message});
        } else {
            path = upload->path;
            name = upload->name;
            const QJsonValue given = body.value(QStringLiteral("format"));
            const auto chosen = given.isString() ? tessera::TableFiles::formatNamed(given.toString()) : tessera::TableFiles::formatOfFile(name);
            if (!given.isUndefined() && !chosen) errors.append({QStringLiteral("format"), tessera::text("must be csv or xlsx")});
            else if (!chosen) errors.append({QStringLiteral("file"), tessera::text("%1 is neither a .csv nor an .xlsx file; say which with \"format\"", name)});
            else format = *chosen;
        }
    }
    if (!errors.isEmpty()) return Response::invalid(errors);
    const bool dryRun = dry.toBool(false);
    const QString title = dryRun ? tessera::text("trial import of %1: %2", cardName(card_), name) : tessera::text("import of %1: %2", cardName(card_), name);
    const Language language = preferredLanguage(r.header("accept-language"));
    auto started = ctx_.jobs().start(r, QStringLiteral("import"), title, [this, path, name, format, dryRun, language](tessera::Job& job, tessera::Context& c) {
        return RecordImport(*this, job, c, path, name, format, dryRun, language).run();
    });
    if (!started) return Response::error(503, tessera::text("Service Unavailable"), started.error().message);
    return tessera::Jobs::accepted(*started);
}

}  // namespace tessera::host
