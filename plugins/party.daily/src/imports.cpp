#include "imports.hpp"

#include "citizen_id.hpp"
#include "member.hpp"
#include "org.hpp"
#include "table_columns.hpp"

#include <tessera/access.hpp>

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>

#include <span>
#include <unordered_map>
#include <unordered_set>

namespace party::daily {

namespace {

using tessera::Context;
using tessera::Error;
using tessera::FieldError;
using tessera::Status;

const QString kWrite = QStringLiteral("party.daily.write");
const QString kRollback = QStringLiteral("party.import.rollback");
constexpr qint64 kProgressEvery = 1000;
constexpr qint64 kMaxErrors = 10000;  // a file wrong throughout is not read to its end

struct RowError {
    qint64 row = 0;
    QString column;  // the header as the file has it, or empty for the whole row
    QString field;   // the card field, or empty
    QString reason;
};

// A value as stored, comparable with what a row would store.
QString comparable(const QVariant& v) { return v.isNull() ? QStringLiteral("\x01") : v.toString(); }

class Importer {
public:
    Importer(const ImportFile& file, const Dictionaries& dictionaries, tessera::Job& job, Context& ctx)
        : file_(file), dictionaries_(dictionaries), cells_(dictionaries), job_(job), ctx_(ctx),
          scope_(job.access().scope(kWrite)), today_(ctx.clock().now().date()), now_(ctx.clock().now().toString(Qt::ISODateWithMs)),
          spec_(orgFields()), columns_(orgColumns()), table_(QStringLiteral("party_orgs")) {
        for (const FieldSpec& f : spec_) specOf_.insert(f.json, &f);
    }

    tessera::Result<QJsonObject> run() {
        // Reading starts at the first row that names the required columns, on the first sheet
        // that has one: instructions, titles and empty rows above it are passed over.
        auto reader = ctx_.tables().open(file_.path, file_.format, [this](const QStringList& cells) { return namesRequiredColumns(cells); });
        if (!reader)  // its message names no file: say which upload it is about
            return Error{reader.error().code, QStringLiteral("%1: %2").arg(file_.name, reader.error().message)};
        auto s = ctx_.database().bulkTransaction(tessera::text("import of party organisations from %1", file_.name), [&]() -> Status {
            if (auto loaded = loadOrgs(); !loaded) return loaded;
            if (auto loaded = loadKeys(); !loaded) return loaded;
            bool header = true;
            for (;;) {
                auto next = (*reader)->next();
                if (!next) {  // a row the file cannot give: reported, and reading goes on
                    if (header) {  // not even the header: most likely not UTF-8 (Excel's plain "CSV" on Chinese Windows is GBK)
                        report({1, {}, {}, tessera::text("%1; save the file as \"CSV UTF-8\" or as an Excel workbook", next.error().message)});
                        break;
                    }
                    report({0, {}, {}, next.error().message});
                    if (errorCount() >= kMaxErrors) break;
                    continue;
                }
                if (!*next) break;
                const tessera::TableRow& row = **next;
                if (header) {
                    header = false;
                    sheet_ = (*reader)->sheet();
                    if (!readHeader(row)) break;  // without its columns no row can be read
                    continue;
                }
                if (row.unreadable.isEmpty() &&
                    std::all_of(row.cells.begin(), row.cells.end(), [](const QString& c) { return c.trimmed().isEmpty(); }))
                    continue;
                ++rows_;
                warnOfLostZeros(row);
                if (!strayCells(row) && !unreadableCells(row))
                    if (auto st = importOrg(row); !st) return st;
                if (errorCount() >= kMaxErrors) {
                    report({row.line, {}, {}, tessera::text("stopped here after %1 errors: correct these and import again", kMaxErrors)});
                    break;
                }
                if (rows_ % kProgressEvery == 0) {
                    if (job_.cancelRequested())
                        return Error{QStringLiteral("job.cancelled"), tessera::text("cancelled after %1 rows; nothing was imported", rows_)};
                    job_.setProgress(rows_, QStringLiteral("已检查 %1 行").arg(rows_));
                }
            }
            if (header && !errorCount()) report({1, {}, {}, tessera::text("the file is empty: the first row must name the columns")});
            job_.setProgress(rows_, QStringLiteral("已检查 %1 行").arg(rows_));
            if (errorCount() || file_.dryRun) return Error{kRollback, tessera::text("not committed")};
            return ctx_.events().publish(QStringLiteral("party.orgs.imported"),
                                         QJsonObject{{QStringLiteral("created"), created_}, {QStringLiteral("updated"), updated_}});
        });
        if (!s && s.error().code != kRollback) return s.error();
        if (errorCount()) {
            if (auto w = writeErrorFile(); !w) return w.error();
        }
        auto reported = [](const std::vector<RowError>& all) {
            QJsonArray out;
            for (const RowError& e : std::span(all).first(std::min<std::size_t>(all.size(), kReportedErrors)))
                out.append(QJsonObject{{QStringLiteral("row"), e.row}, {QStringLiteral("column"), e.column},
                                       {QStringLiteral("field"), e.field}, {QStringLiteral("reason"), e.reason}});
            return out;
        };
        QJsonObject result{{QStringLiteral("dryRun"), file_.dryRun},
                           {QStringLiteral("committed"), bool(s)},
                           {QStringLiteral("file"), file_.name},
                           {QStringLiteral("rows"), rows_},
                           {QStringLiteral("created"), created_},
                           {QStringLiteral("updated"), updated_},
                           {QStringLiteral("unchanged"), unchanged_},
                           {QStringLiteral("errorCount"), errorCount()},
                           {QStringLiteral("errors"), reported(all_)},
                           {QStringLiteral("warningCount"), static_cast<qint64>(warnings_.size())},
                           {QStringLiteral("warnings"), reported(warnings_)}};
        if (!sheet_.isEmpty()) result.insert(QStringLiteral("sheet"), sheet_);
        return result;
    }

private:
    // A value beyond the header's columns, or under a column without a name, would be lost:
    // an unquoted comma in a CSV value does that. The row is reported instead.
    bool strayCells(const tessera::TableRow& row) {
        for (qsizetype i = 0; i < row.cells.size(); ++i) {
            if (row.cells[i].trimmed().isEmpty() || (i < headerWidth_ && namedCell_.contains(i))) continue;
            report({row.line, {}, {},
                    i >= headerWidth_ ? tessera::text("the row has %1 cells but the header names %2 columns; a value with a comma needs quotes", row.cells.size(), headerWidth_)
                                      : tessera::text("cell %1 ('%2') is under a column without a name", i + 1, row.cells[i].left(50))});
            return true;
        }
        return false;
    }

    // A cell the spreadsheet cannot give (an error value such as #N/A, a formula saved without
    // its result) under a column the import reads: its row is reported, naming the cell.
    bool unreadableCells(const tessera::TableRow& row) {
        QList<qsizetype> cells = row.unreadable.keys();
        std::sort(cells.begin(), cells.end());  // reported left to right
        bool any = false;
        for (qsizetype cell : cells) {
            if (!namedCell_.contains(cell)) continue;
            const QString json = cellOfJson_.key(cell);
            report({row.line, headerOf_.value(json), json,
                    QStringLiteral("%1: %2").arg(tessera::TableFiles::cellName(row.line, cell), row.unreadable.value(cell))});
            any = true;
        }
        return any;
    }

    // A value a spreadsheet kept as a number, in a column whose values may begin with 0 (a
    // phone, a code): the 0 would be gone without a word, so the cell gets a warning. A mobile
    // number (11 digits from 1) lost nothing.
    void warnOfLostZeros(const tessera::TableRow& row) {
        for (const char* json : {"phone", "mobile", "code", "unitId", "parentId"}) {
            const qsizetype index = cellOfJson_.value(QLatin1String(json), -1);
            if (index < 0 || !row.numbers.contains(index)) continue;
            const QString value = row.cells.value(index).trimmed();
            static const QRegularExpression mobile(QStringLiteral("^1\\d{10}$"));
            if ((qstrcmp(json, "phone") == 0 || qstrcmp(json, "mobile") == 0) && mobile.match(value).hasMatch()) continue;
            warnings_.push_back({row.line, headerOf_.value(QLatin1String(json)), QLatin1String(json),
                                 QStringLiteral("%1: the spreadsheet holds %2 as a number, so a 0 it began with is gone; check it, and format "
                                                "the column as text")
                                     .arg(tessera::TableFiles::cellName(row.line, index), value)});
        }
    }

    qint64 errorCount() const { return static_cast<qint64>(all_.size()); }

    // The columns a file must have.
    QStringList requiredColumns() const {
        return {QStringLiteral("code"), QStringLiteral("fullName"), QStringLiteral("orgType")};
    }
    // The column a header cell names: by its header, one of its aliases or its field name,
    // with a trailing * (templates mark required columns so) ignored.
    const TableColumn* columnNamed(QString name) const {
        name = name.trimmed();
        if (name.endsWith(QLatin1Char('*'))) name.chop(1);
        if (name.isEmpty()) return nullptr;
        const auto it = std::find_if(columns_.begin(), columns_.end(), [&](const TableColumn& c) {
            return c.header == name || c.json == name || c.aliases.contains(name);
        });
        return it == columns_.end() ? nullptr : &*it;
    }
    // Whether a row is the header: it names every required column.
    bool namesRequiredColumns(const QStringList& cells) const {
        QSet<QString> named;
        for (const QString& cell : cells)
            if (const TableColumn* c = columnNamed(cell)) named.insert(c->json);
        const QStringList required = requiredColumns();
        return std::all_of(required.begin(), required.end(), [&](const QString& json) { return named.contains(json); });
    }

    void report(RowError e) {
        all_.push_back(std::move(e));
    }
    void reportFields(qint64 row, const QList<FieldError>& errors) {
        for (const FieldError& e : errors) report({row, headerOf_.value(e.field, e.field), e.field, e.message});
    }

    // Maps the header row's cells to columns: a column's header, one of its aliases or its
    // field name, with a trailing * (templates mark required columns so) ignored.
    bool readHeader(const tessera::TableRow& row) {
        const QStringList required = requiredColumns();
        bool ok = true;
        headerWidth_ = row.cells.size();
        for (qsizetype i = 0; i < row.cells.size(); ++i) {
            QString name = row.cells[i].trimmed();
            if (name.endsWith(QLatin1Char('*'))) name.chop(1);
            if (name.isEmpty()) continue;
            const TableColumn* it = columnNamed(name);
            if (!it) {
                QStringList known;
                for (const TableColumn& c : columns_) known << c.header;
                report({row.line, name, {}, tessera::text("unknown column; the columns are %1", known.join(QStringLiteral(", ")))});
                ok = false;
                continue;
            }
            if (headerOf_.contains(it->json)) {
                report({row.line, name, it->json, tessera::text("the column %1 appears twice", it->header)});
                ok = false;
                continue;
            }
            headerOf_.insert(it->json, name);
            cellOfJson_.insert(it->json, i);
            namedCell_.insert(i);
        }
        cellOfSpec_.clear();
        for (const FieldSpec& f : spec_) cellOfSpec_.push_back(cellOfJson_.value(f.json, -1));
        for (const QString& json : required) {
            if (headerOf_.contains(json)) continue;
            const auto it = std::find_if(columns_.begin(), columns_.end(), [&](const TableColumn& c) { return c.json == json; });
            report({row.line, it->header, json, tessera::text("the required column %1 is missing", it->header)});
            ok = false;
        }
        return ok;
    }

    // Every party organisation by code and by full name, to resolve 所在党组织 and 上级党组织.
    Status loadOrgs() {
        auto rows = ctx_.database().query(QStringLiteral("SELECT unit_id, code, full_name FROM party_orgs"));
        if (!rows) return rows.error();
        for (const auto& r : *rows) remember(r.value(QStringLiteral("unit_id")).toLongLong(), r.value(QStringLiteral("code")).toString(),
                                             r.value(QStringLiteral("full_name")).toString());
        return {};
    }
    // The keys already stored, so that a new row (most of a big import) needs no lookup.
    Status loadKeys() {
        auto keys = ctx_.database().prepare(QStringLiteral("SELECT code FROM party_orgs WHERE code IS NOT NULL"));
        if (!keys) return keys.error();
        for (;;) {
            auto more = (*keys)->step();
            if (!more) return more.error();
            if (!*more) return {};
            storedCodes_.insert((*keys)->value(0).toString());
        }
    }

    void remember(qint64 unitId, const QString& code, const QString& fullName) {
        if (!code.isEmpty()) orgByCode_.insert(code, unitId);
        orgByName_[fullName].append(unitId);
    }

    // An organisation named in a cell, by code or by full name, among those the importer may
    // write in; nullopt otherwise, with `why` set only when several match (else the caller
    // words the refusal as the card API does: an organisation outside the scope and one
    // that does not exist get the same answer).
    std::optional<qint64> resolveOrg(const QString& cell, QString& why) const {
        if (auto it = orgByCode_.constFind(cell); it != orgByCode_.constEnd() && scope_.contains(it.value())) return it.value();
        QList<qint64> reachable;
        for (qint64 id : orgByName_.value(cell))
            if (scope_.contains(id)) reachable.append(id);
        if (reachable.size() == 1) return reachable.first();
        if (reachable.size() > 1)
            why = tessera::text("%1 party organisations are called %2: give the organisation's code instead", reachable.size(), cell);
        return std::nullopt;
    }

    // A row read as readRecord() reads a card body (the same checks and messages), from
    // cells as people type them: codes from labels, dates in any usual form. Fields without
    // a column are absent; `unitCell` gets the organisation column's text. Problems of a
    // cell's form are reported once, on its field.
    ReadRecord readRow(const tessera::TableRow& row, QString& unitCell) const {
        ReadRecord in;
        for (std::size_t k = 0; k < spec_.size(); ++k) {
            const FieldSpec& f = spec_[k];
            const qsizetype index = cellOfSpec_[k];
            const QString cell = index >= 0 && index < row.cells.size() ? typed(f.json, row.cells[index]) : QString();
            if (f.kind == Kind::Unit) unitCell = cell;
            if (cell.isEmpty() || f.kind == Kind::Unit) {
                if (f.required) in.errors.append({f.json, tessera::text("is required")});
                in.values.insert(f.column, absentValue(f));
                continue;
            }
            QJsonValue value(QJsonValue::Undefined);
            auto bad = [&](const QString& message) { in.errors.append({f.json, message}); };
            switch (f.kind) {
            case Kind::Date:
                if (auto d = CellReader::date(cell)) value = *d;
                else bad(tessera::text("'%1' is not a date; write it like 2024-05-01", cell));
                break;
            case Kind::Code:
                if (auto c = cells_.code(f.dictionary, cell)) value = *c;
                else bad(tessera::text("'%1' is not in the dictionary %2 (a name such as %3, or its code)", cell, f.dictionary, cells_.label(f.dictionary, dictionaries_.value(f.dictionary).keys().value(0))));
                break;
            case Kind::Bool:
                if (auto b = CellReader::flag(cell)) value = *b;
                else bad(tessera::text("'%1' is not 是 or 否", cell));
                break;
            default: value = cell;
            }
            std::optional<QVariant> read;
            if (!value.isUndefined()) read = readField(f, value, dictionaries_, in.errors);
            in.values.insert(f.column, read ? *read : absentValue(f));
        }
        return in;
    }

    QString cellOf(const tessera::TableRow& row, const QString& json) const {
        const qsizetype index = cellOfJson_.value(json, -1);
        return index >= 0 && index < row.cells.size() ? typed(json, row.cells[index]) : QString();
    }

    // A cell's text, trimmed; in an ID number, a code or a phone, full-width digits and
    // letters (０１２, ＡＢ: what a Chinese input method types in its full-width mode) become
    // ASCII (Unicode's compatibility normalisation, NFKC).
    static QString typed(const QString& json, const QString& cell) {
        static const QSet<QString> codeLike{QStringLiteral("idNumber"), QStringLiteral("code"),   QStringLiteral("unitId"),
                                            QStringLiteral("parentId"), QStringLiteral("phone"), QStringLiteral("mobile")};
        return codeLike.contains(json) ? cell.normalized(QString::NormalizationForm_KC).trimmed() : cell.trimmed();
    }

    Status importOrg(const tessera::TableRow& row) {
        QString parentCell = cellOf(row, QStringLiteral("parentId"));
        ReadRecord in = readRow(row, parentCell);
        QList<FieldError> errors = std::move(in.errors);
        const QString code = in.values.value(QStringLiteral("code")).toString();
        if (code.isEmpty() && std::none_of(errors.begin(), errors.end(), [](const FieldError& e) { return e.field == QLatin1String("code"); }))
            errors.append({QStringLiteral("code"), tessera::text("is required: imports match organisations by their code")});
        tessera::Row existing;
        if (!code.isEmpty()) {
            auto found = stored(QStringLiteral("code"), code);
            if (!found) return found.error();
            existing = std::move(*found);
        }
        const qint64 unitId = existing.isEmpty() ? 0 : existing.value(QStringLiteral("unit_id")).toLongLong();
        // Another's code, as the card API says it: the organisation that has it may lie outside the scope.
        if (unitId && !scope_.contains(unitId)) errors.append({QStringLiteral("code"), codeTakenRefusal(code)});
        // The parent: named in the file (in the writer's scope, like the card API's parentId);
        // when empty, an organisation stays where it is and a new one goes under the
        // importer's own unit. An export leaves a parent outside the caller's scope empty.
        std::optional<qint64> parent;
        if (!parentCell.isEmpty()) {
            QString why;
            parent = resolveOrg(parentCell, why);
            if (!parent && why.isEmpty()) {
                why = parentRefusal(tessera::text("the party organisation %1", parentCell), unitId != 0);
                if (unitId) why += tessera::text(" (leave the column empty to keep the organisation where it is)");
            }
            if (!parent)
                errors.append({QStringLiteral("parentId"), why});
            else if (*parent == unitId) errors.append({QStringLiteral("parentId"), tessera::text("an organisation cannot be its own parent")});
        } else if (!unitId) {
            const qint64 own = job_.access().caller().unitId;
            if (own && scope_.contains(own)) parent = own;
            else errors.append({QStringLiteral("parentId"), tessera::text("is required: the code or full name of the parent organisation")});
        }
        QVariantMap values = existing.isEmpty() ? std::move(in.values) : merged(existing, in.values);
        checkOrg(values, today_, errors);
        if (!code.isEmpty()) {
            if (auto seen = codesSeen_.constFind(code); seen != codesSeen_.constEnd())
                errors.append({QStringLiteral("code"), tessera::text("%1 is also on row %2 of this file", code, seen.value())});
            else
                codesSeen_.insert(code, row.line);
        }
        if (!errors.isEmpty()) {
            reportFields(row.line, errors);
            return {};
        }
        const QString fullName = values.value(QStringLiteral("full_name")).toString();
        const QString unitName = orgUnitName(values);
        values.insert(QStringLiteral("name_key"), ctx_.sortKey(fullName));
        if (existing.isEmpty()) {
            auto unit = ctx_.units().create(*parent, unitName, code);
            if (!unit) return treeRefusal(row.line, unit.error());
            if (auto outside = placementRefusal(scope_, unit->id, *parent)) {
                reportFields(row.line, {*outside});
                return {};
            }
            values.insert(QStringLiteral("unit_id"), unit->id);
            remember(unit->id, code, fullName);
            return write(existing, values, QStringLiteral("unit_id"));
        }
        auto unit = ctx_.units().get(unitId);
        if (!unit) return unit.error();
        if (parent && *parent != unit->parentId) {
            if (auto moved = ctx_.units().move(unitId, *parent); !moved) return treeRefusal(row.line, moved.error());
            if (auto outside = placementRefusal(scope_, unitId, *parent)) {
                reportFields(row.line, {*outside});
                return {};
            }
        }
        if (unit->name != unitName || unit->code != code) {
            if (auto renamed = ctx_.units().rename(unitId, unitName, code); !renamed) return treeRefusal(row.line, renamed.error());
        }
        return write(existing, values, QStringLiteral("unit_id"));
    }

    // The unit tree's refusal (a name or code taken, a move under itself) is the row's error,
    // on the field the card API gives it; anything else is a storage failure that ends the import.
    Status treeRefusal(qint64 line, const Error& e) {
        if (!e.code.startsWith(QLatin1String("unit."))) return e;
        reportFields(line, {{unitRefusalField(e), e.message}});
        return {};
    }

    // The stored record whose `column` is `value` (empty when there is none). The keys stored
    // before the import answer "none" for most rows of a big import without a query.
    tessera::Result<tessera::Row> stored(const QString& column, const QString& value) {
        if (!storedCodes_.contains(value)) return tessera::Row{};
        return ctx_.database().queryOne(QStringLiteral("SELECT * FROM %1 WHERE %2 = ?1").arg(table_, column), {value});
    }

    // INSERT through one prepared statement while rows have the same columns (they do: a
    // card's columns, always all of them), else through insertRow.
    Status insert(const QVariantMap& values) {
        if (!insert_ || values.size() != insertColumns_.size() ||
            !std::equal(insertColumns_.begin(), insertColumns_.end(), values.keyBegin())) {
            insert_.reset();
            insertColumns_ = values.keys();
            QStringList marks;
            for (qsizetype i = 1; i <= insertColumns_.size(); ++i) marks << QStringLiteral("?%1").arg(i);
            auto p = ctx_.database().prepare(QStringLiteral("INSERT INTO %1(%2) VALUES (%3)")
                                                 .arg(table_, insertColumns_.join(QStringLiteral(", ")), marks.join(QStringLiteral(", "))));
            if (!p) return p.error();
            insert_ = std::move(*p);
        }
        int index = 0;
        for (const QVariant& v : values)
            if (auto s = insert_->bind(++index, v); !s) return s;
        auto done = insert_->step();
        insert_->reset();
        if (!done) return done.error();
        return {};
    }

    // The stored record with the row's values over it: only the columns the file has.
    QVariantMap merged(const tessera::Row& existing, const QVariantMap& given) const {
        QVariantMap values;
        for (const FieldSpec& f : spec_) values.insert(f.column, existing.value(f.column));
        for (auto it = headerOf_.begin(); it != headerOf_.end(); ++it)
            if (const FieldSpec* f = specOf_.value(it.key())) values.insert(f->column, given.value(f->column));
        return values;
    }

    // Inserts a new record, or updates the columns that differ; an equal one stays as it is.
    Status write(const tessera::Row& existing, QVariantMap values, const QString& keyColumn) {
        const QString& now = now_;
        if (existing.isEmpty()) {
            values.insert(QStringLiteral("created_at"), now);
            values.insert(QStringLiteral("updated_at"), now);
            values.insert(QStringLiteral("version"), 1);
            if (auto s = insert(values); !s) return s;
            ++created_;
            return {};
        }
        QVariantMap changed;
        for (auto it = values.begin(); it != values.end(); ++it)
            if (comparable(it.value()) != comparable(existing.value(it.key()))) changed.insert(it.key(), it.value());
        if (changed.isEmpty()) {
            ++unchanged_;
            return {};
        }
        changed.insert(QStringLiteral("updated_at"), now);
        auto w = updateRow(ctx_.database(), table_, changed, keyColumn, existing.value(keyColumn).toLongLong(),
                           existing.value(QStringLiteral("version")).toLongLong());
        if (!w) return w.error();
        ++updated_;
        return {};
    }

    tessera::Status writeErrorFile() {
        auto path = job_.outputFile(QStringLiteral("errors.csv"), tessera::TableFiles::mediaType(tessera::TableFormat::Csv));
        if (!path) return path.error();
        auto out = ctx_.tables().create(*path, tessera::TableFormat::Csv);
        if (!out) return out.error();
        if (auto s = (*out)->row({QStringLiteral("行号"), QStringLiteral("列"), QStringLiteral("原因")}); !s) return s;
        for (const RowError& e : all_)
            if (auto s = (*out)->row({e.row ? QString::number(e.row) : QString(), e.column, e.reason}); !s) return s;
        return (*out)->finish();
    }

    const ImportFile& file_;
    const Dictionaries& dictionaries_;
    CellReader cells_;
    tessera::Job& job_;
    Context& ctx_;
    const tessera::Scope& scope_;
    const QDate today_;
    const QString now_;  // created_at and updated_at of what the import writes
    const std::vector<FieldSpec> spec_;
    const std::vector<TableColumn>& columns_;
    const QString table_;
    QHash<QString, const FieldSpec*> specOf_;
    std::unique_ptr<tessera::Statement> insert_;
    QStringList insertColumns_;

    QHash<QString, qsizetype> cellOfJson_;  // field -> the index of its cell in a row
    qsizetype headerWidth_ = 0;             // cells in the header row
    QSet<qsizetype> namedCell_;             // the cells under a known column
    std::vector<qsizetype> cellOfSpec_;     // spec_[k] -> the index of its cell, or -1
    QHash<QString, QString> headerOf_;                               // field -> header as in the file
    QHash<QString, qint64> orgByCode_;
    QHash<QString, QList<qint64>> orgByName_;
    QSet<QString> storedCodes_;                     // the organisation codes stored before it
    QHash<QString, qint64> codesSeen_;  // organisation code -> the row it is on

    qint64 rows_ = 0, created_ = 0, updated_ = 0, unchanged_ = 0;
    std::vector<RowError> all_;  // the result shows the first kReportedErrors, errors.csv all
    std::vector<RowError> warnings_;  // what the import takes but someone should check
    QString sheet_;                   // the .xlsx sheet read
};

}  // namespace

tessera::Result<QJsonObject> runImport(const ImportFile& file, const Dictionaries& dictionaries, tessera::Job& job, Context& ctx) {
    return Importer(file, dictionaries, job, ctx).run();
}

tessera::Response startImport(const tessera::Request& r, Context& ctx, const Dictionaries& dictionaries) {
    QList<FieldError> errors;
    const QJsonObject body = r.body.toObject();
    if (!r.body.isObject()) errors.append({QStringLiteral("(body)"), tessera::text("send {\"file\": \"<upload id>\", \"dryRun\": true|false}")});
    for (const QString& key : body.keys())
        if (key != QLatin1String("file") && key != QLatin1String("dryRun") && key != QLatin1String("format"))
            errors.append({key, tessera::text("unknown field")});
    const QJsonValue dry = body.value(QStringLiteral("dryRun"));
    if (!dry.isUndefined() && !dry.isBool()) errors.append({QStringLiteral("dryRun"), tessera::text("must be true or false")});
    ImportFile file;
    file.dryRun = dry.toBool(false);
    const QJsonValue id = body.value(QStringLiteral("file"));
    if (r.body.isObject() && !id.isString()) {
        errors.append({QStringLiteral("file"), tessera::text("is required: the id POST /api/v1/files gave the uploaded file")});
    } else if (id.isString()) {
        auto upload = ctx.uploads().find(r, id.toString());
        if (!upload) {
            errors.append({QStringLiteral("file"), upload.error().message});
        } else {
            file.path = upload->path;
            file.name = upload->name;
            const QJsonValue format = body.value(QStringLiteral("format"));
            const auto chosen = format.isString() ? tessera::TableFiles::formatNamed(format.toString())
                                                  : tessera::TableFiles::formatOfFile(upload->name);
            if (!format.isUndefined() && !chosen) errors.append({QStringLiteral("format"), tessera::text("must be csv or xlsx")});
            else if (!chosen)
                errors.append({QStringLiteral("file"), tessera::text("%1 is neither a .csv nor an .xlsx file; say which with \"format\"", upload->name)});
            else file.format = *chosen;
        }
    }
    if (!errors.isEmpty()) return tessera::Response::invalid(errors);
    const QString title = (file.dryRun ? QStringLiteral("试导入党组织：%1") : QStringLiteral("导入党组织：%1")).arg(file.name);
    auto started = ctx.jobs().start(r, QStringLiteral("import"), title,
                                    [file, dictionaries](tessera::Job& job, Context& c) { return runImport(file, dictionaries, job, c); });
    if (!started) return tessera::Response::error(503, tessera::text("Service Unavailable"), started.error().message);
    return tessera::Jobs::accepted(*started);
}

}  // namespace party::daily
