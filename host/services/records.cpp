#include "services/records.hpp"

#include "identity/access_control.hpp"
#include "identity/duty_holders.hpp"
#include "identity/unit_labels.hpp"
#include "runtime/json_text.hpp"
#include "runtime/language.hpp"
#include "runtime/messages.hpp"
#include "store/record_tables.hpp"

#include <tessera/jobs.hpp>
#include <tessera/params.hpp>
#include <tessera/table_files.hpp>

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

#include <cmath>
#include <limits>

namespace tessera::host {

using tessera::FieldError;
using tessera::Params;
using tessera::Request;
using tessera::Response;
using tessera::Row;

namespace {

constexpr int kMaxPageSize = 200;
constexpr int kMaxSearchLength = 100;
constexpr qsizetype kMaxExportIds = 1000;  // records an export of selected rows names

bool isText(const FieldDecl& f) { return f.kind == FieldKind::Text || f.kind == FieldKind::Textarea; }
bool isRanged(const FieldDecl& f) {
    return f.kind == FieldKind::Date || f.kind == FieldKind::DateTime || f.kind == FieldKind::Integer || f.kind == FieldKind::Decimal ||
           f.kind == FieldKind::Number;
}
bool isEmptyValue(const QVariant& v) { return v.isNull() || (v.typeId() == QMetaType::QString && v.toString().isEmpty()); }

qint64 codePoints(const QString& s) { return s.toUcs4().size(); }

// The JSON names that are not fields: they may come back in a PUT body (clients send back
// what they read) and are ignored there.
const QSet<QString> kRecordKeys{QStringLiteral("id"),        QStringLiteral("version"),  QStringLiteral("createdAt"),
                                QStringLiteral("updatedAt"), QStringLiteral("labels"),   QStringLiteral("unitName"),
                                QStringLiteral("unitPath"),  QStringLiteral("warnings"), QStringLiteral("may")};

}  // namespace

QString nowText(tessera::Context& ctx) { return ctx.clock().now().toUTC().toString(Qt::ISODateWithMs); }

// A unit in a refusal: by its label where the caller knows of it, else by the id they sent
// (as one that does not exist: nothing said about others' units).
QString unitNamed(qint64 unit, const tessera::Access* access, tessera::Database& db, const QString& permission) {
    Result<std::optional<UnitLabel>> label = std::optional<UnitLabel>();
    if (access) label = UnitLabels(db, *access, permission).label(unit);
    return label && *label ? (*label)->shown() : QString::number(unit);
}
QString unitNamed(qint64 unit, const Request& r, tessera::Database& db, const QString& permission) {
    return unitNamed(unit, r.access, db, permission);
}

// A stored value as the API shows it.
// Where a record's JSON goes. Each takes a member at a time (key, value); writeValue() and
// RecordCard::writeRecord() say what a record is once, for all of them.
//
// Into a QJsonObject: answers the engine goes on changing (warnings, steps), the audit's
// before and after, documents.
class ObjectOut {
public:
    explicit ObjectOut(QJsonObject& o) : o_(o) {}
    void string(QStringView key, const QString& s) { o_.insert(key, s); }
    void integer(QStringView key, qint64 n) { o_.insert(key, n); }
    void boolean(QStringView key, bool b) { o_.insert(key, b); }
    void null(QStringView key) { o_.insert(key, QJsonValue::Null); }
    void value(QStringView key, const QJsonValue& v) { o_.insert(key, v); }
    template <class Fill>
    void object(QStringView key, Fill&& fill) {
        QJsonObject inner;
        ObjectOut out(inner);
        fill(out);
        o_.insert(key, inner);
    }

private:
    QJsonObject& o_;
};

// Straight into JSON text, in the caller's language (what HostApp does with a QJsonObject's
// strings afterwards): a GET's answer, with no object built on the way.
class TextOut {
public:
    TextOut(JsonText& text, Language language) : text_(text), language_(language) {}
    void string(QStringView key, const QString& s) {
        text_.key(key);
        if (tessera::hasText(s))
            text_.string(messages().render(s, language_));
        else
            text_.string(s);
    }
    void integer(QStringView key, qint64 n) {
        text_.key(key);
        text_.integer(n);
    }
    void boolean(QStringView key, bool b) {
        text_.key(key);
        text_.boolean(b);
    }
    void null(QStringView key) {
        text_.key(key);
        text_.null();
    }
    void value(QStringView key, const QJsonValue& v) {
        text_.key(key);
        text_.value(messages().render(v, language_));
    }
    template <class Fill>
    void object(QStringView key, Fill&& fill) {
        text_.key(key);
        text_.beginObject();
        fill(*this);
        text_.endObject();
    }

private:
    JsonText& text_;
    Language language_;
};

// One value, for jsonOf().
class ValueOut {
public:
    QJsonValue v;
    void string(QStringView, const QString& s) { v = s; }
    void integer(QStringView, qint64 n) { v = n; }
    void boolean(QStringView, bool b) { v = b; }
    void null(QStringView) { v = QJsonValue::Null; }
    void value(QStringView, const QJsonValue& j) { v = j; }
};

// A stored value as the JSON of its field's kind.
template <class Out>
void writeValue(Out& out, QStringView key, const FieldDecl& f, const QVariant& v) {
    switch (f.kind) {
    case FieldKind::Text:
    case FieldKind::Textarea:
        return out.string(key, v.toString());
    case FieldKind::Checkbox:
        return out.boolean(key, v.toLongLong() != 0);
    case FieldKind::Subform:
        return out.value(key, QJsonDocument::fromJson(v.toString().toUtf8()).array());
    case FieldKind::Number:
        return v.isNull() ? out.null(key) : out.value(key, v.toDouble());
    case FieldKind::Decimal:
        return v.isNull() ? out.null(key) : out.string(key, formatDecimal(v.toLongLong(), f.scale));
    case FieldKind::Integer:
    case FieldKind::Unit:
    case FieldKind::Reference:
        return v.isNull() ? out.null(key) : out.integer(key, v.toLongLong());
    case FieldKind::User: {
        if (!f.multiple) return v.isNull() ? out.null(key) : out.integer(key, v.toLongLong());
        QJsonArray ids;
        for (qint64 id : storedUsers(f, v)) ids.append(id);
        return out.value(key, ids);
    }
    default:
        return isEmptyValue(v) ? out.null(key) : out.string(key, v.toString());
    }
}

QJsonValue jsonOf(const FieldDecl& f, const QVariant& v) {
    ValueOut out;
    writeValue(out, {}, f, v);
    return out.v;
}

QList<qint64> storedUsers(const FieldDecl& f, const QVariant& v) {
    if (v.isNull()) return {};
    if (!f.multiple) return {v.toLongLong()};
    QList<qint64> out;
    for (const QString& part : v.toString().split(u',', Qt::SkipEmptyParts))
        if (const qint64 id = part.toLongLong(); id > 0) out << id;
    return out;
}

QString usersText(const QList<qint64>& ids) {
    if (ids.isEmpty()) return QString();
    QStringList parts;
    for (qint64 id : ids) parts << QString::number(id);
    return u',' + parts.join(u',') + u',';
}

// What a field the client left empty is stored as.
QVariant emptyValue(const FieldDecl& f) {
    return emptyIsText(f) ? QVariant(QString()) : f.kind == FieldKind::Checkbox ? QVariant(qint64(0)) : QVariant();
}

// Whether `v` shows as emptyValue(f) does (jsonOf gives both the same JSON).
bool isStoredEmpty(const FieldDecl& f, const QVariant& v) {
    if (v.isNull()) return true;
    if (emptyIsText(f)) return v.typeId() == QMetaType::QString && v.toString().isEmpty();
    return f.kind == FieldKind::Checkbox && v.toLongLong() == 0;
}

// A whole number in JSON (1, not 1.5, not "1"), within what a double holds exactly.
std::optional<qint64> jsonWholeNumber(const QJsonValue& v) {
    if (!v.isDouble()) return std::nullopt;
    const double d = v.toDouble();
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9007199254740991.0) return std::nullopt;
    return static_cast<qint64>(d);
}

namespace {

// A query parameter's text as the field's stored value (filters); nullopt when it is not one.
std::optional<QVariant> paramValue(const FieldDecl& f, const QString& text) {
    switch (f.kind) {
    case FieldKind::Checkbox:
        if (text == u"true" || text == u"1") return QVariant(qint64(1));
        if (text == u"false" || text == u"0") return QVariant(qint64(0));
        return std::nullopt;
    case FieldKind::Integer:
    case FieldKind::Unit:
    case FieldKind::Reference:
    case FieldKind::User: {
        bool ok = false;
        const qint64 n = text.toLongLong(&ok);
        return ok ? std::optional<QVariant>(n) : std::nullopt;
    }
    case FieldKind::Decimal:
        if (const auto units = parseDecimal(text, f.scale)) return QVariant(*units);
        return std::nullopt;
    case FieldKind::Number: {
        bool ok = false;
        const double d = text.toDouble(&ok);
        return ok && std::isfinite(d) ? std::optional<QVariant>(d) : std::nullopt;
    }
    case FieldKind::Date:
        if (QDate::fromString(text, Qt::ISODate).isValid() && text.size() == 10) return QVariant(text);
        return std::nullopt;
    case FieldKind::DateTime: {
        const QDateTime t = QDateTime::fromString(text, Qt::ISODate);
        return t.isValid() ? std::optional<QVariant>(t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"))) : std::nullopt;
    }
    default: return QVariant(text);
    }
}

QString expectedParam(const FieldDecl& f) {
    switch (f.kind) {
    case FieldKind::Checkbox: return tessera::text("true or false");
    case FieldKind::Integer:
    case FieldKind::Unit:
    case FieldKind::Reference: return tessera::text("a whole number");
    case FieldKind::User:
        return tessera::text("a user id, or me");
    case FieldKind::Decimal: return tessera::text("a decimal number with at most %1 digits after the point", f.scale);
    case FieldKind::Number: return tessera::text("a number");
    case FieldKind::Date:
        return tessera::text("a date like 2026-12-04, or today");
    case FieldKind::DateTime: return tessera::text("a date and time like 2026-12-04T17:41");
    default: return QStringLiteral("text");
    }
}

qint64 callerId(const Request& r) { return r.access ? r.access->caller().userId : 0; }

QString base64Cursor(const QJsonArray& a) {
    return QString::fromLatin1(QJsonDocument(a).toJson(QJsonDocument::Compact).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

// A referenced record as the caller may name it: its title, or, where they may not read it,
// words that say so (not its id: people would read "#12" as a broken page, and the title is
// not theirs to see).
QString referenceLabel(const QHash<qint64, QString>& titles, qint64 id) {
    const auto t = titles.constFind(id);
    return t != titles.constEnd() ? *t : tessera::text("a record you may not see");
}

// A user as people name them; one deleted since is said to be.
QString userLabel(const QHash<qint64, QString>& names, qint64 id) {
    const auto n = names.constFind(id);
    return n != names.constEnd() ? *n : tessera::text("a user who no longer exists");
}

}  // namespace

QString userNamesText(const QHash<qint64, QString>& names, const QList<qint64>& ids) {
    QStringList out;
    for (qint64 id : ids) out << userLabel(names, id);
    return out.join(QStringLiteral("、"));
}

QString cardName(const CardDecl& card) { return tessera::localized(card.label.zhCN, card.label.en.isEmpty() ? card.id : card.label.en); }

QString peopleTime(const QVariant& utc) {
    const QDateTime t = QDateTime::fromString(utc.toString(), Qt::ISODateWithMs);
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : utc.toString();
}

// ---------------------------------------------------------------------------------------

struct RecordCard::Filter {
    QString where;  // " WHERE ..."
    Params params;
    // What list() needs to count the total by subtraction, when the filter is no more than
    // the roll and a whole subtree whose outside is small (or the whole table):
    bool plain = true;      // no search, no field filter
    bool wholeBut = false;  // the records are those not matching `outside`
    QString outside;        // the units outside, or empty for none (and no record without a unit either); parameters `outsideParams`
    Params outsideParams;
    enum class Roll { All, Current, Former } roll = Roll::All;  // which records of the roll (All: no roll)
};

RecordCard::RecordCard(const ServedCard& served, RecordCards& all)
    : pluginId_(served.pluginId),
      manifest_(*served.manifest),
      card_(*served.card),
      ctx_(*served.context),
      all_(all),
      hooks_(served.hooks),
      pureRules_(served.pureRules) {
    fields_ = card_.fields();
    unit_ = card_.unitField();
    for (const FieldDecl* f : fields_) byName_.insert(f->name, f);
    for (const FieldDecl* f : fields_)
        if (f->kind == FieldKind::User) users_.push_back(f);
    // Compiled here, before any thread matches them: a const QRegularExpression is then
    // matched by every request and import without compiling it per value.
    std::function<void(const FieldDecl&)> compile = [&](const FieldDecl& f) {
        if (!f.pattern.isEmpty()) {
            QRegularExpression re(QRegularExpression::anchoredPattern(f.pattern));
            re.optimize();
            patterns_.insert(&f, re);
        }
        for (const FieldDecl& child : f.children) compile(child);
    };
    for (const FieldDecl* f : fields_) compile(*f);
    for (const FieldDecl* f : fields_)
        if (!f->readOnly) emptyDraft_.insert(f->name, jsonOf(*f, emptyValue(*f)));
    for (const FieldDecl* f : fields_) {
        fieldSlots_.push_back(columns_.add(f->column));
        sortSlots_.push_back(hasSortKey(*f) ? columns_.add(sortKeyColumn(*f)) : -1);
    }
    columns_.add(QStringLiteral("id"));
    columns_.add(kScopeColumn);
    QStringList columns{QStringLiteral("id")};
    for (const FieldDecl* f : fields_) columns << (isStored(card_, *f) ? f->column : valueSql(*f) + QStringLiteral(" AS ") + f->column);
    columns << QStringLiteral("version") << QStringLiteral("created_at") << QStringLiteral("updated_at");
    selectColumns_ = columns.join(QStringLiteral(", "));
}

Result<QString> RecordCard::unitUsage(qint64 unitId) {
    auto n = ctx_.database().queryOne(QStringLiteral("SELECT count(*) AS n FROM %1 WHERE %2 = ?1").arg(card_.table, kScopeColumn), {unitId});
    if (!n) return n.error();
    const qint64 count = n->value(QStringLiteral("n")).toLongLong();
    return count ? tessera::text("records of %2: %1", count, cardName(card_)) : QString();
}

Status RecordCard::link() {
    targets_.clear();
    for (const FieldDecl* f : fields_) {
        if (f->kind != FieldKind::Reference) continue;
        RecordCard* target = all_.find(f->reference);
        if (!target)
            return Error{QStringLiteral("record.reference"),
                         tessera::text("field %1 of card %2 refers to card %3, which no running plugin has the host serve", f->name, key(), f->reference)};
        targets_.insert(f->name, target);
    }
    // <through>: the other card, when its plugin runs (without it nothing is reached through it).
    throughs_.clear();
    for (const FieldDecl* f : fields_) {
        if (!f->through) continue;
        const ThroughDecl& t = *f->through;
        const RecordCard* via = all_.find(t.card);
        const QString what = QStringLiteral("<through card=\"%1\"> of field %2 of card %3").arg(t.card, f->name, key());
        if (!via) {
            const QString plugin = t.card.section(u'/', 0, 0);
            if (std::any_of(all_.all().begin(), all_.all().end(), [&](const auto& c) { return c->pluginId() == plugin; }))
                return Error{QStringLiteral("record.reference"),
                             tessera::text("%1: plugin %2 runs, but has no served card %3", what, plugin, t.card)};
            continue;
        }
        Through linked{via, via->card().field(t.field), via->card().field(t.unit), nullptr, t.whenCode, card_.field(t.sets)};
        if (!linked.field || linked.field->kind != FieldKind::Reference || linked.field->reference != f->reference)
            return Error{QStringLiteral("record.reference"),
                         tessera::text("%1: %2 is not a reference field of that card to %3", what, t.field, f->reference)};
        if (!linked.unit || linked.unit->kind != FieldKind::Unit || !via->card().units.contains(t.unit))
            return Error{QStringLiteral("record.reference"), tessera::text("%1: %2 is not one of that card's units", what, t.unit)};
        if (!t.whenField.isEmpty()) {
            linked.when = via->card().field(t.whenField);
            if (!linked.when || linked.when->kind == FieldKind::Subform)
                return Error{QStringLiteral("record.reference"), tessera::text("%1: %2 is not a field of that card", what, t.whenField)};
        }
        throughs_.insert(f->name, linked);
    }
    return {};
}

Result<qint64> RecordCard::unitThrough(const Through& t, qint64 id, const tessera::Scope& scope) const {
    Params params{id};
    QString sql = QStringLiteral("SELECT %1 AS unit FROM %2 WHERE %3 = ?1").arg(t.unit->column, t.via->card().table, t.field->column);
    if (t.when) {
        params.push_back(t.code);
        sql += QStringLiteral(" AND %1 = ?%2").arg(t.when->column).arg(params.size());
    }
    sql += QStringLiteral(" AND ") + scope.condition(t.unit->column, params) + QStringLiteral(" ORDER BY id DESC LIMIT 1");
    auto row = ctx_.database().queryOne(sql, params);
    if (!row) return row.error();
    return row->isEmpty() ? 0 : row->value(QStringLiteral("unit")).toLongLong();
}

QSet<QString> RecordCard::reachThrough(QJsonObject& o, const Row* stored, const Request& r, QList<FieldError>& errors) {
    QSet<QString> reached;
    if (!r.access || !r.scope) return reached;
    for (auto it = throughs_.constBegin(); it != throughs_.constEnd(); ++it) {
        const FieldDecl* f = card_.field(it.key());
        const auto id = jsonWholeNumber(o.value(f->name));
        if (!id || *id <= 0 || (stored && stored->value(f->column).toLongLong() == *id)) continue;  // none, or unchanged
        RecordCard* target = targets_.value(f->name);
        auto readable = target->titles({*id}, r.access->scope(target->card().readPermission));
        if (!readable) {
            errors.append({f->name, tessera::text("could not be checked: %1", readable.error().message)});
            continue;
        }
        if (!readable->isEmpty()) continue;  // within the caller's reach anyway
        auto unit = unitThrough(*it, *id, *r.scope);
        if (!unit) {
            errors.append({f->name, tessera::text("could not be checked: %1", unit.error().message)});
            continue;
        }
        if (!*unit) continue;  // the engine's own check says it does not exist
        o.insert(it->sets->name, *unit);
        reached.insert(f->name);
    }
    return reached;
}

Result<QHash<qint64, QString>> RecordCard::referenceTitles(const QString& field, const QList<qint64>& ids, const tessera::Access& access) {
    RecordCard* target = targets_.value(field);
    if (!target) return QHash<qint64, QString>();
    auto found = target->titles(ids, access.scope(target->card().readPermission));
    if (!found) return found.error();
    if (card_.field(field)->reachAbove) return namedHere(field, ids, access, std::move(*found));
    const auto t = throughs_.constFind(field);
    if (t == throughs_.constEnd() || target->card().titleField.isEmpty()) return found;
    // The others, through a record of the other card (of any state: a member who flowed here
    // and went back stays named in what was recorded here) in a unit this card's reader reads.
    Params params;
    QStringList marks;
    for (qint64 id : ids)
        if (!found->contains(id)) {
            params.push_back(id);
            marks << QStringLiteral("?%1").arg(params.size());
        }
    if (marks.isEmpty()) return found;
    const QString inScope = access.scope(card_.readPermission).condition(QStringLiteral("v.") + t->unit->column, params);
    auto rows = ctx_.database().query(QStringLiteral("SELECT t.id AS id, t.%1 AS title FROM %2 t WHERE t.id IN (%3) AND EXISTS "
                                                     "(SELECT 1 FROM %4 v WHERE v.%5 = t.id AND %6)")
                                          .arg(target->card().field(target->card().titleField)->column, target->card().table,
                                               marks.join(u','), t->via->card().table, t->field->column, inScope),
                                      params);
    if (!rows) return rows.error();
    for (const auto& row : *rows)
        found->insert(row.value(QStringLiteral("id")).toLongLong(), row.value(QStringLiteral("title")).toString());
    return found;
}

Result<QHash<qint64, QString>> RecordCard::namedHere(const QString& field, const QList<qint64>& ids, const tessera::Access& access,
                                                     QHash<qint64, QString> found) {
    RecordCard* target = targets_.value(field);
    if (target->card().titleField.isEmpty()) return found;
    // The others (a head office's product on a branch's line): named to the readers of a record
    // of this card that names them, as the record itself is.
    Params params;
    QStringList marks;
    for (qint64 id : ids)
        if (!found.contains(id)) {
            params.push_back(id);
            marks << QStringLiteral("?%1").arg(params.size());
        }
    if (marks.isEmpty()) return found;
    const QString inScope = access.scope(card_.readPermission).condition(QStringLiteral("v.") + kScopeColumn, params);
    auto rows = ctx_.database().query(QStringLiteral("SELECT t.id AS id, t.%1 AS title FROM %2 t WHERE t.id IN (%3) AND EXISTS "
                                                     "(SELECT 1 FROM %4 v WHERE v.%5 = t.id AND %6)")
                                          .arg(target->card().field(target->card().titleField)->column, target->card().table,
                                               marks.join(u','), card_.table, card_.field(field)->column, inScope),
                                      params);
    if (!rows) return rows.error();
    for (const auto& row : *rows) found.insert(row.value(QStringLiteral("id")).toLongLong(), row.value(QStringLiteral("title")).toString());
    return found;
}

Result<QHash<qint64, QString>> RecordCard::titlesAbove(const QList<qint64>& ids, qint64 unit) {
    QHash<qint64, QString> out;
    if (ids.isEmpty() || card_.titleField.isEmpty() || unit <= 0) return out;
    Params params{unit};
    QStringList marks;
    for (qint64 id : ids) {
        params.push_back(id);
        marks << QStringLiteral("?%1").arg(params.size());
    }
    // a: the record's unit; u: `unit`, which lies in a's subtree (or is a).
    auto rows = ctx_.database().query(
        QStringLiteral("SELECT t.id AS id, t.%1 AS title FROM %2 t JOIN core_units a ON a.id = t.%3 JOIN core_units u ON u.id = ?1 "
                       "WHERE t.id IN (%4) AND u.path >= a.path AND u.path < substr(a.path, 1, length(a.path) - 1) || '0'")
            .arg(card_.field(card_.titleField)->column, card_.table, kScopeColumn, marks.join(u',')),
        params);
    if (!rows) return rows.error();
    for (const auto& row : *rows) out.insert(row.value(QStringLiteral("id")).toLongLong(), row.value(QStringLiteral("title")).toString());
    return out;
}

QString RecordCard::valueSql(const FieldDecl& f) const {
    // The parent of a card that is a unit is the unit tree's.
    if (!isStored(card_, f)) return QStringLiteral("(SELECT parent_id FROM core_units WHERE core_units.id = %1.id)").arg(card_.table);
    return f.column;
}

Response RecordCard::storageError(const Error& e) {
    ctx_.log().error(QStringLiteral("%1: %2").arg(key(), e.message));
    return Response::storageFailure(e, tessera::text("the records of %1 could not be read or written", cardName(card_)));
}

QString RecordCard::recordName(const Row& row) const {
    if (const FieldDecl* title = card_.titleField.isEmpty() ? nullptr : card_.field(card_.titleField))
        if (const QString t = row.value(title->column).toString().trimmed(); !t.isEmpty()) return t;
    return row.value(QStringLiteral("id")).toString();
}

Response RecordCard::noSuchRecord(const QString& id) const {
    return Response::notFound(tessera::text("%1 %2 does not exist", cardName(card_), id));
}

QString RecordCard::scopeCondition(const tessera::Scope& scope, Params& params, Reach reach) const {
    if (reach == Reach::Own || card_.units.size() < 2) return scope.condition(kScopeColumn, params);
    QStringList any;
    for (const QString& name : card_.units) any << scope.condition(card_.field(name)->column, params);
    return u'(' + any.join(QStringLiteral(" OR ")) + u')';
}

Result<Row> RecordCard::fetch(qint64 id, const tessera::Scope* scope, Reach reach) {
    Params params{id};
    const QString inScope = scope ? scopeCondition(*scope, params, reach) : QStringLiteral("1=0");
    return ctx_.database().queryOne(
        QStringLiteral("SELECT %1 FROM %2 WHERE id = ?1 AND %3").arg(selectColumns(), card_.table, inScope), params);
}

std::optional<Response> RecordCard::readRecord(const Request& r, Row& row, bool refuseParams) {
    QList<FieldError> errors;
    if (refuseParams) tessera::refuseUnknownParams(r, {}, errors);
    if (!errors.isEmpty()) return Response::invalid(errors);
    const auto id = tessera::idParam(r);
    if (!id) return noSuchRecord(r.param(QStringLiteral("id")));
    auto found = fetch(*id, r.scope, Reach::Shared);
    if (!found) return storageError(found.error());
    if (found->isEmpty()) return noSuchRecord(r.param(QStringLiteral("id")));
    row = std::move(*found);
    return std::nullopt;
}

Result<QHash<qint64, QString>> RecordCard::titles(const QList<qint64>& ids, const tessera::Scope& scope) {
    QHash<qint64, QString> out;
    if (ids.isEmpty() || card_.titleField.isEmpty()) return out;
    const FieldDecl* title = card_.field(card_.titleField);
    Params params;
    QStringList marks;
    for (qint64 id : ids) {
        params.push_back(id);
        marks << QStringLiteral("?%1").arg(params.size());
    }
    const QString inScope = scopeCondition(scope, params, Reach::Shared);
    auto rows = ctx_.database().query(QStringLiteral("SELECT id, %1 AS title FROM %2 WHERE id IN (%3) AND %4")
                                          .arg(title->column, card_.table, marks.join(u','), inScope),
                                      params);
    if (!rows) return rows.error();
    for (const auto& row : *rows) out.insert(row.value(QStringLiteral("id")).toLongLong(), row.value(QStringLiteral("title")).toString());
    return out;
}

Result<QHash<qint64, UnitLabel>> RecordCard::unitLabelsOf(const tessera::Rows& rows, UnitLabels& reader) {
    QList<qint64> ids;
    for (const Row& row : rows)
        for (const QString& name : card_.units) ids << row.value(card_.field(name)->column).toLongLong();
    auto units = reader.labels(ids);
    if (!units) return units.error();
    // A record that several units share names each of them to everyone who reads it (a
    // transfer's receiver sees who sends it): a unit the reader does not know of otherwise
    // by its path from the top of the tree.
    if (card_.units.size() > 1) {
        QList<qint64> unknown;
        for (qint64 id : ids)
            if (id && !units->contains(id) && !unknown.contains(id)) unknown << id;
        auto named = UnitLabels(ctx_.database(), nullptr).labels(unknown);
        if (!named) return named.error();
        units->insert(*named);
    }
    return units;
}

Result<QHash<qint64, QString>> RecordCard::namesOfUsers(const tessera::Rows& rows, tessera::Database& db, const QString& column) const {
    QSet<qint64> ids;
    for (const FieldDecl* f : users_)
        for (const Row& row : rows)
            for (qint64 id : storedUsers(*f, row.value(column.isEmpty() ? f->column : column))) ids.insert(id);
    return tessera::host::userNames(db, ids.values());
}

void RecordCard::checkReferences(const ColumnValues& values, const Row* stored, const Request& r, const QSet<QString>& reachedThrough,
                                 QList<FieldError>& errors) {
    for (auto it = targets_.constBegin(); it != targets_.constEnd(); ++it) {
        const FieldDecl* f = card_.field(it.key());
        const QVariant v = values.value(f->column);
        if (v.isNull() || (stored && stored->value(f->column) == v)) continue;  // an unchanged reference stays valid
        if (reachedThrough.contains(f->name)) continue;
        // The system (Records::create and change) has an access reaching every unit: the target must exist.
        if (!r.access) {
            errors.append({f->name, tessera::text("cannot be checked without a caller")});
            continue;
        }
        auto found = (*it)->titles({v.toLongLong()}, r.access->scope((*it)->card().readPermission));
        if (!found) {
            errors.append({f->name, tessera::text("could not be checked: %1", found.error().message)});
            continue;
        }
        if (found->isEmpty() && f->reachAbove) {
            // reach="above": also a record of the record's own unit or a unit above it.
            found = (*it)->titlesAbove({v.toLongLong()},
                                       values.value(unit_->column, stored ? stored->value(unit_->column) : QVariant()).toLongLong());
            if (!found) {
                errors.append({f->name, tessera::text("could not be checked: %1", found.error().message)});
                continue;
            }
        }
        if (found->isEmpty()) errors.append({f->name, tessera::text("%1 %2 does not exist", cardName((*it)->card()), v.toLongLong())});
    }
}

void RecordCard::checkUsers(const ColumnValues& values, const Row* stored, const Request& r, QList<FieldError>& errors) {
    if (users_.empty()) return;
    const QVariant storedUnit = stored && unit_ ? stored->value(unit_->column) : QVariant();
    const qint64 unit = unit_ ? values.value(unit_->column, storedUnit).toLongLong() : 0;
    const bool moved = !stored || storedUnit.toLongLong() != unit;
    for (const FieldDecl* f : users_) {
        if (f->readOnly) continue;  // copied by the plugin from a record where it was checked (a survey's technician, from its ticket)
        const QVariant* v = values.find(f->column);
        if (!v || v->isNull()) continue;
        const QList<qint64> kept = moved ? QList<qint64>() : storedUsers(*f, stored->value(f->column));
        for (qint64 user : storedUsers(*f, *v)) {
            if (kept.contains(user)) continue;  // unchanged, where it was
            if (!unit) {
                errors.append({f->name, tessera::text("cannot be checked: %1 has no unit", cardName(card_))});
                break;
            }
            auto holds = tessera::host::holdsDuty(ctx_.database(), user, f->permission, unit);
            if (!holds) {
                errors.append({f->name, tessera::text("could not be checked: %1", holds.error().message)});
                break;
            }
            // The same words for a user who does not exist: an id tells nothing about others.
            if (!*holds) {
                errors.append(
                    {f->name, tessera::text("is not someone who holds %1 at %2; pick one from the list", permissionLabel(f->permission),
                                            unitNamed(unit, r, ctx_.database(), card_.readPermission))});
                break;
            }
        }
    }
}

Result<RecordCard::RowNames> RecordCard::namesFor(const tessera::Rows& rows, const tessera::Access* access) {
    RowNames names;
    if (!access) return names;
    // The titles of referenced records, one query per reference field, only those the caller
    // may read: an id alone says nothing, a title outside the caller's scope would.
    for (auto it = targets_.constBegin(); it != targets_.constEnd(); ++it) {
        const FieldDecl* f = card_.field(it.key());
        QList<qint64> ids;
        for (const Row& row : rows)
            if (const QVariant v = row.value(f->column); !v.isNull() && !ids.contains(v.toLongLong())) ids << v.toLongLong();
        if (ids.isEmpty()) continue;
        auto found = referenceTitles(it.key(), ids, *access);
        if (!found) return found.error();
        names.titles.insert(it.key(), *found);
    }
    // Users by name: one query for every user field of every row.
    if (!users_.empty()) {
        auto named = namesOfUsers(rows, ctx_.database());
        if (!named) return named.error();
        names.userNames = std::move(*named);
    }
    // Each record's unit by the path the caller knows it by (a name alone is shared by many).
    UnitLabels reader(ctx_.database(), *access, card_.readPermission);
    auto found = unitLabelsOf(rows, reader);
    if (!found) return found.error();
    names.units = std::move(*found);
    return names;
}

template <class Out>
void RecordCard::writeRecord(Out& out, const Row& row, const RowNames& names, const tessera::Access* access) const {
    out.integer(u"id", row.value(QStringLiteral("id")).toLongLong());
    for (const FieldDecl* f : fields_) writeValue(out, f->name, *f, row.value(f->column));
    if (!targets_.isEmpty() || !users_.empty() || card_.units.size() > 1) {
        out.object(u"labels", [&](Out& labels) {
            for (const FieldDecl* f : fields_) {
                const QVariant v = row.value(f->column);
                if (f->kind == FieldKind::Reference && !v.isNull() && access)
                    labels.string(f->name, referenceLabel(names.titles.value(f->name), v.toLongLong()));
                if (f->kind == FieldKind::User && !isStoredEmpty(*f, v) && access)
                    labels.string(f->name, userNamesText(names.userNames, storedUsers(*f, v)));
            }
            for (const QString& name : card_.units.mid(1)) {
                const auto unit = names.units.constFind(row.value(card_.field(name)->column).toLongLong());
                if (unit != names.units.constEnd()) labels.string(name, unit->shown());
            }
        });
    }
    if (access) {
        const auto unit = names.units.constFind(row.value(unit_->column).toLongLong());
        if (unit == names.units.constEnd()) {
            out.null(u"unitName");
            out.null(u"unitPath");
        } else {
            out.string(u"unitName", unit->shown());
            out.string(u"unitPath", unit->full());
        }
    }
    out.string(u"createdAt", row.value(QStringLiteral("created_at")).toString());
    out.string(u"updatedAt", row.value(QStringLiteral("updated_at")).toString());
    out.integer(u"version", row.value(QStringLiteral("version")).toLongLong());
}

Result<QList<QJsonObject>> RecordCard::toJson(const tessera::Rows& rows, const tessera::Access* access) {
    auto names = namesFor(rows, access);
    if (!names) return names.error();
    QList<QJsonObject> out;
    out.reserve(static_cast<qsizetype>(rows.size()));
    for (const Row& row : rows) {
        QJsonObject o;
        ObjectOut members(o);
        writeRecord(members, row, *names, access);
        out.append(o);
    }
    return out;
}

template <class Out>
Status RecordCard::writeCard(Out& out, const Row& row, const tessera::Access* access) {
    auto names = namesFor(tessera::Rows{row}, access);
    if (!names) return names.error();
    writeRecord(out, row, *names, access);
    if (!access) return {};
    auto files = attachmentsOf(row.value(QStringLiteral("id")).toLongLong());
    if (!files) return files.error();
    for (const auto& [f, array] : *files) out.value(f->name, array);
    return {};
}

Result<QJsonObject> RecordCard::toJson(const Row& row, const tessera::Access* access) {
    QJsonObject o;
    ObjectOut out(o);
    if (auto s = writeCard(out, row, access); !s) return s.error();
    return o;
}

// ---------------------------------------------------------------------------------------
// Lists, counts and exports share one filter: the caller's scope, the unit picked in the
// tree (unit=), the search text (q=) and each declared filter (field=, fieldFrom=, fieldTo=).

QStringList RecordCard::knownListParams() const {
    QStringList known{QStringLiteral("unit")};
    if (!card_.roll.isEmpty()) known << QStringLiteral("roll");
    if (std::any_of(fields_.begin(), fields_.end(), [](const FieldDecl* f) { return f->search; })) known << QStringLiteral("q");
    for (const FieldDecl* f : fields_) {
        if (!f->filter || f == unit_) continue;
        known << f->name;
        if (isRanged(*f)) known << f->name + QStringLiteral("From") << f->name + QStringLiteral("To");
        if (f->kind == FieldKind::Date) known << f->name + QStringLiteral("Month");
    }
    return known;
}

Result<RecordCard::Filter> RecordCard::filterFrom(const QHash<QString, QString>& query, const tessera::Scope* scope,
                                                  QList<FieldError>& errors, qint64 me) const {
    Filter out;
    QStringList conditions;
    const QString unitText = query.value(QStringLiteral("unit"));
    qint64 unit = 0;
    if (!unitText.isEmpty()) {
        const auto id = tessera::parseId(unitText);
        if (!id) errors.append({QStringLiteral("unit"), tessera::text("must be a unit id, not '%1'", unitText)});
        else unit = *id;
    }
    auto within = unitCondition(unit, scope, out);
    if (!within) return within.error();
    conditions << *within;
    const QString q = query.value(QStringLiteral("q")).trimmed();
    if (!q.isEmpty()) {
        if (!card_.searchFeature.isEmpty() && !ctx_.feature(card_.searchFeature))
            errors.append({QStringLiteral("q"), tessera::text("search is switched off in this deployment")});
        else if (q.size() > kMaxSearchLength)
            errors.append({QStringLiteral("q"), tessera::text("at most %1 characters", kMaxSearchLength)});
        else {
            // LIKE with our own escape character, so % and _ in the search text match literally.
            out.params.push_back(tessera::likeContaining(q));
            QStringList any;
            for (const FieldDecl* f : fields_)
                if (f->search) any << QStringLiteral("%1 LIKE ?%2 ESCAPE '\\'").arg(f->column).arg(out.params.size());
            conditions << u'(' + any.join(QStringLiteral(" OR ")) + u')';
            out.plain = false;
        }
    }
    // The roll: records whose roll date is set have left it; lists show the others unless asked.
    if (!card_.roll.isEmpty()) {
        const QString roll = query.value(QStringLiteral("roll"), QStringLiteral("current"));
        const QString column = card_.field(card_.roll)->column;
        if (roll == u"current") {
            conditions << QStringLiteral("%1 IS NULL").arg(column);
            out.roll = Filter::Roll::Current;
        } else if (roll == u"former") {
            conditions << QStringLiteral("%1 IS NOT NULL").arg(column);
            out.roll = Filter::Roll::Former;
        } else if (roll != u"all") {
            errors.append({QStringLiteral("roll"), tessera::text("must be current (on the roll, the default), former (left it) or all, not '%1'", roll)});
        }
    }
    const qsizetype unfiltered = conditions.size();
    for (const FieldDecl* f : fields_) {
        if (!f->filter || f == unit_) continue;
        // A dropdown takes several codes, comma-separated: any of them.
        if (f->kind == FieldKind::Dropdown) {
            const QString given = query.value(f->name);
            if (given.isEmpty()) continue;
            const QHash<QString, QString> codes = ctx_.dictionary(f->dictionary);
            QStringList marks;
            for (const QString& code : given.split(u',', Qt::SkipEmptyParts)) {
                if (!codes.contains(code.trimmed())) {
                    errors.append({f->name, tessera::text("'%1' is not a code of %2", code.trimmed(), f->dictionary)});
                    continue;
                }
                out.params.push_back(code.trimmed());
                marks << QStringLiteral("?%1").arg(out.params.size());
            }
            if (!marks.isEmpty())
                conditions << (marks.size() == 1 ? QStringLiteral("%1 = %2").arg(f->column, marks.front())
                                                 : QStringLiteral("%1 IN (%2)").arg(f->column, marks.join(u',')));
            continue;
        }
        // A text field filters by what it contains (literally: % and _ are no wildcards).
        if (isText(*f)) {
            const QString given = query.value(f->name).trimmed();
            if (given.isEmpty()) continue;
            out.params.push_back(tessera::likeContaining(given));
            conditions << QStringLiteral("%1 LIKE ?%2 ESCAPE '\\'").arg(f->column).arg(out.params.size());
            continue;
        }
        auto bound = [&](const QString& param, const char* op) {
            const auto it = query.constFind(param);
            if (it == query.constEnd() || it->isEmpty()) return;
            // A user field's "me": the caller (a technician's own tickets); no one without a caller.
            // A date's "today": the deployment's today (a link kept in a menu: due today or before).
            const auto v = f->kind == FieldKind::User && *it == u"me" ? std::optional<QVariant>(me > 0 ? me : -1)
                           : f->kind == FieldKind::Date && *it == u"today"
                               ? std::optional<QVariant>(ctx_.clock().now().toLocalTime().date().toString(Qt::ISODate))
                               : paramValue(*f, *it);
            if (!v) {
                errors.append({param, tessera::text("must be %1, not '%2'", expectedParam(*f), *it)});
                return;
            }
            out.params.push_back(*v);
            if (f->kind == FieldKind::User && f->multiple)  // any of them (",3,7," holds ",7,")
                conditions << QStringLiteral("instr(%1, ',' || ?%2 || ',') > 0").arg(f->column).arg(out.params.size());
            else
                conditions << QStringLiteral("%1 %2 ?%3").arg(f->column, QLatin1String(op)).arg(out.params.size());
        };
        bound(f->name, "=");
        if (isRanged(*f)) {
            bound(f->name + QStringLiteral("From"), ">=");
            bound(f->name + QStringLiteral("To"), "<=");
        }
        // A date's month in any year (birthdays this month): <field>Month=1..12.
        if (f->kind == FieldKind::Date) {
            const QString param = f->name + QStringLiteral("Month");
            const QString given = query.value(param).trimmed();
            if (given.isEmpty()) continue;
            bool ok = false;
            const int month = given.toInt(&ok);
            if (!ok || month < 1 || month > 12) {
                errors.append({param, tessera::text("must be a month from 1 to 12, not '%1'", given)});
                continue;
            }
            out.params.push_back(QStringLiteral("%1").arg(month, 2, 10, QLatin1Char('0')));
            conditions << QStringLiteral("substr(%1, 6, 2) = ?%2").arg(f->column).arg(out.params.size());
        }
    }
    if (conditions.size() > unfiltered) out.plain = false;
    out.where = QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
    return out;
}

// The records of the unit picked in the tree and below it, within the caller's scope. Near
// the top of a large tree the subtree holds most units, and "unit in the subtree" checked
// row by row (or unit by unit) costs more than the whole count: when few units lie outside
// the subtree, one look at their records (nearly always none) stands for the check of every
// row. Both forms are one condition of one statement, so they see the same data.
Result<QString> RecordCard::unitCondition(qint64 unit, const tessera::Scope* scope, Filter& out) const {
    constexpr int kFewOutside = 64;
    const QString& column = kScopeColumn;
    if (!scope) return QStringLiteral("1=0");
    if (card_.units.size() > 1) {
        // A record several units share is in the list of each: any of its units in the scope
        // (and in the subtree picked).
        out.plain = false;
        if (!unit) return scope->all() ? QStringLiteral("1=1") : scopeCondition(*scope, out.params, Reach::Shared);
        QStringList any;
        for (const QString& name : card_.units) any << scope->conditionWithin(card_.field(name)->column, unit, out.params);
        return u'(' + any.join(QStringLiteral(" OR ")) + u')';
    }
    if (!unit) {
        if (!scope->all()) return out.plain = false, scope->condition(column, out.params);
        out.wholeBut = true;  // the whole table
        return QStringLiteral("1=1");
    }
    // A scope that does not reach every unit below the one picked keeps its own condition.
    if (!scope->all() && !coversSubtree(*scope, unit)) return out.plain = false, scope->conditionWithin(column, unit, out.params);
    auto picked = ctx_.database().queryOne(QStringLiteral("SELECT path FROM core_units WHERE id = ?1"), {unit});
    if (!picked) return picked.error();
    if (picked->isEmpty()) return QStringLiteral("1=0");
    const QString from = picked->value(QStringLiteral("path")).toString(), to = pathRangeEnd(from);
    auto outside = ctx_.database().queryOne(QStringLiteral("SELECT count(*) AS n FROM (SELECT 1 FROM core_units WHERE path < ?1 OR path >= ?2 LIMIT %1)")
                                                .arg(kFewOutside + 1),
                                            {from, to});
    if (!outside) return outside.error();
    out.params.push_back(from);
    out.params.push_back(to);
    const QString a = QStringLiteral("?%1").arg(out.params.size() - 1), b = QStringLiteral("?%1").arg(out.params.size());
    const QString inside = QStringLiteral("%1 IN (SELECT id FROM core_units WHERE path >= %2 AND path < %3)").arg(column, a, b);
    if (outside->value(QStringLiteral("n")).toLongLong() > kFewOutside) return out.plain = false, inside;
    out.wholeBut = true;
    out.outside = QStringLiteral("%1 IN (SELECT id FROM core_units WHERE path < ?1 OR path >= ?2)").arg(column);
    out.outsideParams = {from, to};
    // The look outside is one scalar subquery, computed once; each row then costs a test of
    // its value (two EXISTS cost twice that).
    return QStringLiteral("((SELECT NOT EXISTS (SELECT 1 FROM %1 outside_ WHERE outside_.%2 IN (SELECT id FROM core_units WHERE path < %3 OR path >= %4)) "
                          "AND NOT EXISTS (SELECT 1 FROM %1 outside_ WHERE outside_.%2 IS NULL)) OR %5)")
        .arg(card_.table, column, a, b, inside);
}

// The list's total when the filter is the roll and a subtree with a small outside (see
// unitCondition): the table's count, which SQLite keeps at hand, less the records off the
// roll and those outside, each found through an index. One statement: one state of the data.
Result<qint64> RecordCard::countByOmission(const Filter& filter) {
    using Roll = Filter::Roll;
    const QString left = filter.roll == Roll::All ? QString() : card_.field(card_.roll)->column;
    const QString table = QStringLiteral("(SELECT count(*) FROM %1)").arg(card_.table);
    const QString former = QStringLiteral("(SELECT count(*) FROM %1 WHERE %2 IS NOT NULL)").arg(card_.table, left);
    QString sql = QStringLiteral("SELECT ") + (filter.roll == Roll::All ? table : filter.roll == Roll::Former ? former : table + QStringLiteral(" - ") + former);
    // Outside: the records of the units outside the subtree, and those of no unit (each its
    // own count: together SQLite would read them all to find the few).
    const QString onRoll = filter.roll == Roll::All ? QString() : QStringLiteral(" AND %1 IS %2NULL").arg(left, filter.roll == Roll::Former ? QStringLiteral("NOT ") : QString());
    if (!filter.outside.isEmpty())
        sql += QStringLiteral(" - (SELECT count(*) FROM %1 WHERE %2%3) - (SELECT count(*) FROM %1 WHERE %4 IS NULL%3)")
                   .arg(card_.table, filter.outside, onRoll, kScopeColumn);
    auto n = ctx_.database().queryOne(sql + QStringLiteral(" AS n"), filter.outsideParams);
    if (!n) return n.error();
    return n->value(QStringLiteral("n")).toLongLong();
}

Response RecordCard::list(const Request& r) {
    QList<FieldError> errors;
    QStringList known = knownListParams();
    known << QStringLiteral("page") << QStringLiteral("size") << QStringLiteral("sort") << QStringLiteral("cursor");
    tessera::refuseUnknownParams(r, known, errors);
    // Page sizes: the plugin's page-size and max-page-size settings when it declares them,
    // else the list's page-size and 200.
    const QVariant maxSetting = ctx_.setting(QStringLiteral("max-page-size"));
    const qint64 maxSize = maxSetting.isValid() ? std::clamp<qint64>(maxSetting.toLongLong(), 1, 1000) : kMaxPageSize;
    qint64 defaultSize = 20;
    for (const auto& l : manifest_.lists)
        if (l.card == card_.id) defaultSize = l.pageSize;
    if (const QVariant s = ctx_.setting(QStringLiteral("page-size")); s.isValid()) defaultSize = s.toLongLong();
    const qint64 page = tessera::wholeNumberParam(r, QStringLiteral("page"), 1, 1, 1'000'000'000, errors);
    const qint64 size = tessera::wholeNumberParam(r, QStringLiteral("size"), std::clamp<qint64>(defaultSize, 1, maxSize), 1, maxSize, errors);
    // Sort: a field that sorts (text by its pinyin key), id, createdAt or updatedAt; '-' first
    // for descending. Ties go by id in the same direction, so the order is total.
    const QString sortText = r.queryValue(QStringLiteral("sort"), card_.order);
    const bool descending = sortText.startsWith(u'-');
    const QString sortName = descending ? sortText.mid(1) : sortText;
    QString sortColumn;
    if (sortName == u"id") sortColumn = QStringLiteral("id");
    else if (sortName == u"createdAt") sortColumn = QStringLiteral("created_at");
    else if (sortName == u"updatedAt") sortColumn = QStringLiteral("updated_at");
    else if (const FieldDecl* f = card_.field(sortName); f && f->sort) sortColumn = hasSortKey(*f) ? sortKeyColumn(*f) : f->column;
    if (sortColumn.isEmpty()) {
        QStringList sortable{QStringLiteral("id"), QStringLiteral("createdAt"), QStringLiteral("updatedAt")};
        for (const FieldDecl* f : fields_)
            if (f->sort) sortable << f->name;
        errors.append({QStringLiteral("sort"), tessera::text("cannot sort by '%1'; sort by %2, with '-' before it for descending", sortName, sortable.join(QStringLiteral(", ")))});
    }
    // A cursor (the `next` of the page before) continues after the row it names.
    std::optional<QJsonArray> cursor;
    if (const QString c = r.queryValue(QStringLiteral("cursor")); !c.isEmpty()) {
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromBase64(c.toLatin1(), QByteArray::Base64UrlEncoding));
        if (!doc.isArray() || doc.array().size() != 3 || doc.array().at(0).toString() != sortText || !doc.array().at(2).isDouble())
            errors.append({QStringLiteral("cursor"), tessera::text("is not the next of a page of this list sorted by '%1'; start again without it", sortText)});
        else
            cursor = doc.array();
        if (r.query.contains(QStringLiteral("page")))
            errors.append({QStringLiteral("page"), tessera::text("a page number and a cursor cannot be used together")});
    }
    auto filter = filterFrom(r.query, r.scope, errors, callerId(r));
    if (!errors.isEmpty()) return Response::invalid(errors);
    if (!filter) return storageError(filter.error());

    // A cursor page counts nothing: scrolling on through a long list stays as fast as its index.
    qint64 total = -1;
    if (!cursor && filter->plain && filter->wholeBut) {
        auto counted = countByOmission(*filter);
        if (!counted) return storageError(counted.error());
        total = *counted;
    } else if (!cursor) {
        auto counted = ctx_.database().queryOne(QStringLiteral("SELECT count(*) AS n FROM %1%2").arg(card_.table, filter->where), filter->params);
        if (!counted) return storageError(counted.error());
        total = counted->value(QStringLiteral("n")).toLongLong();
    }
    Params params = filter->params;
    QString where = filter->where;
    if (cursor) {
        // NULL sorts first ascending and last descending, in SQLite as in PostgreSQL with
        // the NULLS clauses below.
        const QJsonValue after = cursor->at(1);
        params.push_back(cursor->at(2).toInteger());
        const QString id = QStringLiteral("?%1").arg(params.size());
        const char* idOp = descending ? "<" : ">";
        if (after.isNull()) {
            where += descending ? QStringLiteral(" AND (%1 IS NULL AND id < %2)").arg(sortColumn, id)
                                : QStringLiteral(" AND ((%1 IS NULL AND id > %2) OR %1 IS NOT NULL)").arg(sortColumn, id);
        } else {
            QVariant v = after.toVariant();
            if (sortColumn.endsWith(QStringLiteral("_sort"))) v = QByteArray::fromBase64(after.toString().toLatin1());
            params.push_back(v);
            const QString value = QStringLiteral("?%1").arg(params.size());
            where += QStringLiteral(" AND (%1 %2 %3 OR (%1 = %3 AND id %4 %5)%6)")
                         .arg(sortColumn, QLatin1String(descending ? "<" : ">"), value, QLatin1String(idOp), id,
                              descending ? QStringLiteral(" OR %1 IS NULL").arg(sortColumn) : QString());
        }
    }
    const QString direction = descending ? QStringLiteral("DESC") : QStringLiteral("ASC");
    const QString order = sortColumn == u"id" ? QStringLiteral(" ORDER BY id %1").arg(direction)
                                              : QStringLiteral(" ORDER BY %1 %2 NULLS %3, id %2").arg(sortColumn, direction,
                                                                                                      descending ? QStringLiteral("LAST") : QStringLiteral("FIRST"));
    // What the caller may do with each row, by get()'s rule (the write permission at the
    // record's own unit), answered by the same query: a row costs no query of its own.
    const QString writes = r.access ? scopeCondition(r.access->scope(card_.writePermission), params, Reach::Own) : QStringLiteral("0");
    params.push_back(size + 1);  // one more, to know whether there is a next page
    QString limit = QStringLiteral(" LIMIT ?%1").arg(params.size());
    if (!cursor) {
        params.push_back((page - 1) * size);
        limit += QStringLiteral(" OFFSET ?%1").arg(params.size());
    }
    const bool sortKey = sortColumn.endsWith(QStringLiteral("_sort"));
    auto rows = ctx_.database().query(
        QStringLiteral("SELECT %1%2, (%3) AS may_write FROM %4%5%6%7")
            .arg(selectColumns(), sortKey ? QStringLiteral(", ") + sortColumn : QString(), writes, card_.table, where, order, limit),
        params);
    if (!rows) return storageError(rows.error());
    const bool more = static_cast<qint64>(rows->size()) > size;
    if (more) rows->pop_back();
    auto items = toJson(*rows, r.access);
    if (!items) return storageError(items.error());
    QJsonArray array;
    for (qsizetype i = 0; i < items->size(); ++i) {
        QJsonObject item = items->at(i);
        const bool may = (*rows)[static_cast<size_t>(i)].value(QStringLiteral("may_write")).toLongLong() != 0;
        item.insert(QStringLiteral("may"), QJsonObject{{QStringLiteral("edit"), may}, {QStringLiteral("delete"), may}});
        array.append(item);
    }
    QJsonObject body{{QStringLiteral("items"), array}, {QStringLiteral("size"), size}};
    if (!cursor) {
        body.insert(QStringLiteral("page"), page);
        body.insert(QStringLiteral("total"), total);
    }
    body.insert(QStringLiteral("next"), QJsonValue::Null);  // the last page
    if (more) {
        const Row& last = rows->back();
        QJsonValue value = sortColumn == u"id" ? QJsonValue(last.value(QStringLiteral("id")).toLongLong())
                           : sortKey           ? QJsonValue(QString::fromLatin1(last.value(sortColumn).toByteArray().toBase64()))
                                               : QJsonValue::fromVariant(last.value(sortColumn));
        body.insert(QStringLiteral("next"), base64Cursor(QJsonArray{sortText, value, last.value(QStringLiteral("id")).toLongLong()}));
    }
    return Response::json(body);
}

Response RecordCard::get(const Request& r) {
    const auto id = tessera::idParam(r);
    if (!id) return noSuchRecord(r.param(QStringLiteral("id")));
    auto row = fetch(*id, r.scope, Reach::Shared);
    if (!row) return storageError(row.error());
    if (row->isEmpty()) return noSuchRecord(r.param(QStringLiteral("id")));
    // Written as text at once: the card as toJson() has it, in the caller's language.
    JsonText text;
    TextOut out(text, preferredLanguage(r.header("accept-language")));
    text.beginObject();
    if (auto s = writeCard(out, *row, r.access); !s) return storageError(s.error());
    // What the caller may do with it, so a form offers only that (the server decides again):
    // edit and delete at the record's own unit with the card's write permission.
    const qint64 own = card_.isUnit ? *id : row->value(unit_->column).toLongLong();
    const bool writes = r.access && r.access->scope(card_.writePermission).contains(own);
    out.object(u"may", [&](TextOut& may) {
        may.boolean(u"edit", writes);
        may.boolean(u"delete", writes);
        // Attachments fields with a write of their own (a signature the technician takes).
        const auto fields = card_.attachmentFields();
        if (std::none_of(fields.begin(), fields.end(), [](const FieldDecl* f) { return !f->filesWrite.isEmpty(); })) return;
        may.object(u"files", [&](TextOut& files) {
            for (const FieldDecl* f : fields)
                if (!f->filesWrite.isEmpty()) files.boolean(f->name, r.access && r.access->scope(f->filesWrite).contains(own));
        });
    });
    text.endObject();
    return Response::raw(text.take(), "application/json; charset=utf-8")
        .withHeader("ETag", tessera::versionETag(row->value(QStringLiteral("version")).toLongLong()));
}

// ---------------------------------------------------------------------------------------
// Writes.

// One value of field `f` as stored, or nullopt (with its errors, named `name`: "awards[0].date"
// for a subform's field).
std::optional<QVariant> RecordCard::readValue(const FieldDecl& field, const QJsonValue& v, const QString& name, const QDate& today,
                                              QList<FieldError>& errors) {
    const FieldDecl* f = &field;
    bool ok = true;
    auto fail = [&](const QString& message) {
        errors.append({name, message});
        ok = false;
    };
    QVariant out;
    switch (f->kind) {
    case FieldKind::Text:
    case FieldKind::Textarea: {
        if (!v.isString()) {
            fail(tessera::text("must be a string"));
            return std::nullopt;
        }
        const QString text = v.toString().trimmed();
        const qint64 length = codePoints(text);
        if (f->kind == FieldKind::Text && (text.contains(u'\n') || text.contains(u'\r')))
            fail(tessera::text("must be one line"));
        if (f->maxLength && length > *f->maxLength)
            fail(tessera::text("is %1 characters long; at most %2 are allowed", length, *f->maxLength));
        if (f->minLength && length < *f->minLength)
            fail(tessera::text("is %1 characters long; at least %2 are needed", length, *f->minLength));
        if (!f->pattern.isEmpty()) {
            if (!patterns_.value(f).match(text).hasMatch())
                fail(f->patternHint.en.isEmpty() ? tessera::text("'%1' is not in the expected form", text)
                                                 : tessera::text("'%1': %2", text, tessera::localized(f->patternHint.zhCN, f->patternHint.en)));
        }
        out = text;
        break;
    }
    case FieldKind::Dropdown: {
        const QString code = v.isString() ? v.toString().trimmed() : QString();
        if (!v.isString() || !ctx_.dictionary(f->dictionary).contains(code))
            fail(tessera::text("'%1' is not a code of the dictionary %2", v.isString() ? code : QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact)), f->dictionary));
        out = code;
        break;
    }
    case FieldKind::Checkbox:
        if (!v.isBool()) fail(tessera::text("must be true or false"));
        out = qint64(v.toBool() ? 1 : 0);
        break;
    case FieldKind::User: {
        if (f->multiple) {
            // Several: [3, 7], each once, in the order named.
            constexpr int kMostUsers = 20;
            QList<qint64> ids;
            const QJsonArray given = v.toArray();
            for (const QJsonValue& one : given) {
                const auto n = jsonWholeNumber(one);
                if (!n || *n <= 0) {
                    fail(tessera::text("must be a list of user ids"));
                    return std::nullopt;
                }
                if (!ids.contains(*n)) ids << *n;
            }
            if (!v.isArray())
                fail(tessera::text("must be a list of user ids"));
            else if (ids.size() > kMostUsers)
                fail(tessera::text("names %1 people; at most %2 are allowed", ids.size(), kMostUsers));
            out = usersText(ids);
            break;
        }
        const auto n = jsonWholeNumber(v);
        if (!n || *n <= 0) {
            fail(tessera::text("must be a user id"));
            return std::nullopt;
        }
        out = *n;
        break;
    }
    case FieldKind::Integer:
    case FieldKind::Reference: {
        const auto n = jsonWholeNumber(v);
        if (!n) {
            fail(f->kind == FieldKind::Reference ? tessera::text("must be a record id") : tessera::text("must be a whole number"));
            return std::nullopt;
        }
        if (f->min && *n < *f->min) fail(tessera::text("must be at least %1", *f->min));
        if (f->max && *n > *f->max) fail(tessera::text("must be at most %1", *f->max));
        out = *n;
        break;
    }
    case FieldKind::Number: {
        if (!v.isDouble() || !std::isfinite(v.toDouble())) {
            fail(tessera::text("must be a number"));
            return std::nullopt;
        }
        if (f->min && v.toDouble() < *f->min) fail(tessera::text("must be at least %1", *f->min));
        if (f->max && v.toDouble() > *f->max) fail(tessera::text("must be at most %1", *f->max));
        out = v.toDouble();
        break;
    }
    case FieldKind::Decimal: {
        // Exact: "12.30" as text, or a JSON number read by its shortest decimal form.
        const QString text = v.isString() ? v.toString() : v.isDouble() ? QString::number(v.toDouble(), 'f', f->scale + 3) : QString();
        const auto units = parseDecimal(text, f->scale);
        if (!units) {
            fail(tessera::text("must be a decimal number with at most %1 digits after the point, like \"12.30\"", f->scale));
            return std::nullopt;
        }
        qint64 scaleUnits = 1;
        for (int i = 0; i < f->scale; ++i) scaleUnits *= 10;
        if (f->min && *units < std::llround(*f->min * double(scaleUnits))) fail(tessera::text("must be at least %1", *f->min));
        if (f->max && *units > std::llround(*f->max * double(scaleUnits))) fail(tessera::text("must be at most %1", *f->max));
        out = *units;
        break;
    }
    case FieldKind::Date: {
        const QString text = v.isString() ? v.toString().trimmed() : QString();
        const QDate d = QDate::fromString(text, Qt::ISODate);
        if (!d.isValid() || text.size() != 10) {
            fail(tessera::text("must be a date like 2026-12-04"));
            return std::nullopt;
        }
        if (f->notFuture && d > today) fail(tessera::text("%1 is in the future", text));
        out = text;
        break;
    }
    case FieldKind::DateTime: {
        const QString text = v.isString() ? v.toString().trimmed() : QString();
        const QDateTime t = QDateTime::fromString(text, Qt::ISODate);
        if (!t.isValid() || text.size() < 16) {
            fail(tessera::text("must be a date and time like 2026-12-04T17:41"));
            return std::nullopt;
        }
        if (f->notFuture && t.date() > today) fail(tessera::text("%1 is in the future", text));
        out = t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
        break;
    }
    case FieldKind::Subform: {
        if (!v.isArray()) {
            fail(tessera::text("must be a list of rows"));
            return std::nullopt;
        }
        const QJsonArray rows = v.toArray();
        QJsonArray clean;
        const qsizetype errorsBefore = errors.size();
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const QString rowName = QStringLiteral("%1[%2]").arg(name).arg(i);
            if (!rows[i].isObject()) {
                errors.append({rowName, tessera::text("must be an object")});
                continue;
            }
            const QJsonObject row = rows[i].toObject();
            for (auto it = row.begin(); it != row.end(); ++it)
                if (!f->child(it.key())) errors.append({rowName + u'.' + it.key(), tessera::text("unknown field")});
            QJsonObject cleanRow;
            for (const FieldDecl& child : f->children) {
                const QJsonValue value = row.value(child.name);
                const QString childName = rowName + u'.' + child.name;
                if (value.isUndefined() || value.isNull() || (value.isString() && value.toString().trimmed().isEmpty())) {
                    if (child.requirement != Requirement::Optional) errors.append({childName, tessera::text("is required")});
                    continue;
                }
                if (auto got = readValue(child, value, childName, today, errors)) cleanRow.insert(child.name, jsonOf(child, *got));
            }
            clean.append(cleanRow);
        }
        if (errors.size() > errorsBefore) return std::nullopt;
        if (clean.isEmpty() && f->requirement != Requirement::Optional) fail(tessera::text("needs at least one row"));
        // No rows are stored as nothing, as when the field is left out: one empty value, not two.
        out = clean.isEmpty() ? QString() : QString::fromUtf8(QJsonDocument(clean).toJson(QJsonDocument::Compact));
        break;
    }
    default: fail(tessera::text("cannot be stored"));
    }
    return ok ? std::optional<QVariant>(out) : std::nullopt;
}

ColumnValues RecordCard::readBody(const Request& r, const Row* stored, QList<FieldError>& errors, ImportMemo* memo) {
    ColumnValues values(columns_);  // column -> value to store
    if (!r.body.isObject()) {
        errors.append({QStringLiteral("(body)"), tessera::text("expected a JSON object with the fields of %1", cardName(card_))});
        return values;
    }
    QJsonObject o = r.body.toObject();
    for (auto it = o.constBegin(); it != o.constEnd(); ++it)
        if (!byName_.contains(it.key()) && !kRecordKeys.contains(it.key()) && !card_.attachmentField(it.key()))  // attachments change by their routes
            errors.append({it.key(), tessera::text("unknown field")});
    // Read-only fields are the plugin's to compute (derive), never the client's to set.
    const bool derived = memo && std::exchange(memo->bodyDerived, false);  // an import derived it already
    if (!derived)
        for (const FieldDecl* f : fields_)
            if (f->readOnly) o.remove(f->name);
    std::optional<tessera::Record> storedJson;
    if (stored) {
        auto json = toJson(*stored, nullptr);
        if (json) storedJson = *json;
    }
    if (!derived && hooks_ && hooks_->derive) hooks_->derive(o, storedJson ? &*storedJson : nullptr, ctx_);
    // A new record of a workflow starts in its declared state (one of them, when the plugin's
    // derive picked one of several: a serious complaint goes straight to the manager); only
    // steps change it after.
    if (!stored && card_.workflow.declared() && !card_.workflow.starts.contains(o.value(card_.workflow.field).toString()))
        o.insert(card_.workflow.field, card_.workflow.start);
    const QSet<QString> reachedThrough = reachThrough(o, stored, r, errors);
    const QDate today = ctx_.clock().now().toLocalTime().date();
    for (std::size_t i = 0; i < fields_.size(); ++i) {
        const FieldDecl* f = fields_[i];
        if (f->readOnly && !o.contains(f->name)) continue;  // not derived: an update keeps it, a new record has it empty
        const QJsonValue v = o.value(f->name);
        const bool absent = v.isUndefined() || v.isNull() || (v.isString() && v.toString().trimmed().isEmpty());
        auto fail = [&](const QString& message) { errors.append({f->name, message}); };
        if (f == unit_) {
            // A card that is a unit: the top of the tree has no parent and stays where it is.
            if (card_.isUnit && stored && stored->value(f->column).isNull()) {
                if (!absent) fail(tessera::text("the top unit has no parent: it cannot be moved"));
                values.set(fieldSlots_[i], QVariant());
                continue;
            }
            // The unit: the given one, else (new records) the caller's own, else (updates) the stored one.
            qint64 unit = 0;
            if (absent) unit = stored ? stored->value(f->column).toLongLong() : r.access ? r.access->caller().unitId : 0;
            else if (const auto n = jsonWholeNumber(v); n && *n > 0) unit = *n;
            else {
                fail(tessera::text("must be a unit id"));
                continue;
            }
            const bool moved = !stored || unit != stored->value(f->column).toLongLong();
            const bool known = memo && memo->unitsInScope.contains(unit);  // an import checks each unit once
            if (!unit) fail(tessera::text("is required (you have no own unit)"));
            else if (moved && !known && (!r.scope || !r.scope->contains(unit) || !ctx_.units().get(unit)))  // the same words for both: nothing said about others' units
                // A unit the plugin derived (a transfer's, from its member) is not echoed back: the caller never gave it.
                fail(f->readOnly ? tessera::text("is not a unit you may add %1 to", cardName(card_))
                                 : tessera::text("there is no unit %1 you may add %2 to",
                                                 unitNamed(unit, r, ctx_.database(), card_.readPermission), cardName(card_)));
            else if (card_.isUnit && !stored && !coversSubtree(*r.scope, unit))  // a new unit below it would be out of reach
                fail(tessera::text("a %1 under unit %2 would lie outside the units you may change", cardName(card_), unitNamed(unit, r, ctx_.database(), card_.readPermission)));
            else if (moved && memo) memo->unitsInScope.insert(unit);
            values.set(fieldSlots_[i], unit);
            continue;
        }
        if (f->kind == FieldKind::Unit) {
            // Another unit the record involves (a transfer's receiver): any unit of the tree
            // with reach="tree", else one the writer may change.
            if (absent) {
                if (f->requirement == Requirement::System) fail(tessera::text("is required"));
                values.set(fieldSlots_[i], QVariant());
                continue;
            }
            const auto n = jsonWholeNumber(v);
            if (!n || *n <= 0) {
                fail(tessera::text("must be a unit id"));
                continue;
            }
            const bool unchanged = stored && stored->value(f->column).toLongLong() == *n;
            if (!unchanged && (!ctx_.units().get(*n) || (!f->anyUnit && !r.scope->contains(*n))))
                fail(f->anyUnit ? tessera::text("there is no unit %1", *n)
                                : tessera::text("there is no unit %1 you may add %2 to",
                                                unitNamed(*n, r, ctx_.database(), card_.readPermission), cardName(card_)));
            values.set(fieldSlots_[i], *n);
            continue;
        }
        if (absent && !stored && f->defaultMe && callerId(r) > 0) {
            values.set(fieldSlots_[i], callerId(r));  // default="me": whoever creates it (checked as any other choice)
            continue;
        }
        if (absent) {
            // System-required blocks the save; required is for people to complete (the shell warns, imports report it).
            if (f->requirement == Requirement::System && f->kind != FieldKind::Checkbox) fail(tessera::text("is required"));
            values.set(fieldSlots_[i], emptyValue(*f));
            continue;
        }
        if (auto value = readValue(*f, v, f->name, today, errors)) {
            values.set(fieldSlots_[i], *value);
            if (sortSlots_[i] >= 0) values.set(sortSlots_[i], ctx_.sortKey(value->toString()));
        }
    }
    // References: the target must exist and lie in the caller's scope for reading it (or be
    // reached through another card), before the plugin's rules see the draft.
    checkReferences(values, stored, r, reachedThrough, errors);
    checkUsers(values, stored, r, errors);
    // The plugin's own rules, on a draft that passed the card's.
    if (errors.isEmpty() && hooks_ && hooks_->validate) {
        // Every field the client may set is in `values` now; those left empty are already in
        // the template, so only the others are written into the draft.
        tessera::Record draft = emptyDraft_;
        for (std::size_t i = 0; i < fields_.size(); ++i) {
            const FieldDecl* f = fields_[i];
            const QVariant* v = values.at(fieldSlots_[i]);
            if (!v) {
                if (storedJson) draft.insert(f->name, storedJson->value(f->name));
                else if (!f->readOnly) draft.remove(f->name);
            } else if (f->readOnly || !isStoredEmpty(*f, *v)) {
                draft.insert(f->name, jsonOf(*f, *v));
            }
        }
        if (stored) draft.insert(QStringLiteral("id"), stored->value(QStringLiteral("id")).toLongLong());
        errors.append(hooks_->validate(draft, storedJson ? &*storedJson : nullptr, r, ctx_));
    }
    return values;
}

Status RecordCard::checkUnique(const ColumnValues& values, qint64 id, const Request& r, QList<FieldError>& errors, const ImportMemo* memo) {
    for (const FieldDecl* f : fields_) {
        if (!f->unique) continue;
        const QVariant v = values.value(f->column);
        if (isEmptyValue(v)) continue;
        if (memo && memo->startedEmpty) {
            // An import into an empty table: only its own earlier rows can hold the value.
            const auto holders = memo->written.constFind(f->column);
            const qint64 holder = holders == memo->written.constEnd() ? 0 : holders->value(v.toString());
            if (!holder || holder == id) continue;
        }
        const FieldDecl* title = card_.field(card_.titleField);
        auto other = ctx_.database().queryOne(QStringLiteral("SELECT id, %1 AS unit, %2 AS title FROM %3 WHERE %4 = ?1 AND id <> ?2 LIMIT 1")
                                                  .arg(kScopeColumn, title ? title->column : QStringLiteral("id"), card_.table, f->column),
                                              {v, id});
        if (!other) return other.error();
        if (other->isEmpty()) continue;
        // Name the other record only to a caller who may read it.
        const qint64 unit = other->value(QStringLiteral("unit")).toLongLong();
        const bool visible = r.access && r.access->scope(card_.readPermission).contains(unit);
        errors.append({f->name, visible ? tessera::text("'%1' is already used by %2 (编号 %3)", v.toString(), other->value(QStringLiteral("title")).toString(),
                                                        other->value(QStringLiteral("id")).toLongLong())
                                        : tessera::text("'%1' is already used by a record you cannot see", v.toString())});
    }
    return {};
}

Result<qint64> RecordCard::insert(ColumnValues values, const QString& now, const tessera::Scope* scope) {
    if (card_.isUnit) {
        qint64 unit = values.value(QStringLiteral("id")).toLongLong();  // a unit that had no card yet, or 0 for a new one
        if (auto placed = placeUnit(unit, values, Row{}, scope); !placed) return placed.error();
    }
    if (auto numbered = assignNumbers(values); !numbered) return numbered.error();
    Params params;
    params.reserve(static_cast<std::size_t>(values.size()) + 1);
    values.forEach([&](const QString&, const QVariant& v) { params.push_back(v); });
    params.push_back(now);
    // The statement for these columns, made once per thread and card while they stay the
    // same (an import's rows all have the same columns).
    thread_local struct {
        QString table;
        QStringList columns;
        QString sql;
    } last;
    const QStringList columns = values.keys();
    if (last.table != card_.table || last.columns != columns) {
        QStringList marks;
        for (qsizetype i = 1; i <= columns.size() + 1; ++i) marks << QStringLiteral("?%1").arg(i);
        const QString at = marks.back();
        marks << at << QStringLiteral("1");
        last = {card_.table, columns, QStringLiteral("INSERT INTO %1(%2, created_at, updated_at, version) VALUES (%3)")
                                   .arg(card_.table, columns.join(QStringLiteral(", ")), marks.join(QStringLiteral(", ")))};
    }
    auto w = ctx_.database().execute(last.sql, params);
    if (!w) return w.error();
    if (auto s = ctx_.events().publish(card_.events + QStringLiteral(".created"), QJsonObject{{QStringLiteral("id"), w->lastInsertId}}); !s) return s.error();
    if (auto s = afterSave(w->lastInsertId, Row{}); !s) return s.error();
    return w->lastInsertId;
}

Status RecordCard::assignNumbers(ColumnValues& values) {
    for (const FieldDecl* f : fields_) {
        if (f->number.isEmpty()) continue;
        QDate day = ctx_.clock().now().toLocalTime().date();
        if (const FieldDecl* d = f->numberDate.isEmpty() ? nullptr : card_.field(f->numberDate))
            if (const QDate given = QDate::fromString(values.value(d->column).toString(), Qt::ISODate); given.isValid()) day = given;
        const QString series = key() + u'/' + f->name, period = numberPeriod(f->number, day);
        // The next of the series for the period: it only ever grows, in this (write) transaction.
        auto bumped = ctx_.database().execute(QStringLiteral("INSERT INTO core_record_numbers(series, period, last) VALUES (?1, ?2, 1) "
                                                             "ON CONFLICT (series, period) DO UPDATE SET last = last + 1"),
                                              {series, period});
        if (!bumped) return bumped.error();
        auto last = ctx_.database().queryOne(QStringLiteral("SELECT last FROM core_record_numbers WHERE series = ?1 AND period = ?2"),
                                             {series, period});
        if (!last) return last.error();
        QString unitCode;
        if (f->number.contains(QStringLiteral("{unitCode}"))) {
            auto unit = ctx_.database().queryOne(QStringLiteral("SELECT code FROM core_units WHERE id = ?1"), {values.value(kScopeColumn)});
            if (!unit) return unit.error();
            unitCode = unit->value(QStringLiteral("code")).toString();
        }
        values.insert(f->column, numberText(f->number, day, last->value(QStringLiteral("last")).toLongLong(), unitCode));
    }
    return {};
}

Status RecordCard::afterSave(qint64 id, const Row& before) {
    if (!hooks_ || !hooks_->afterSave) return {};
    auto saved = ctx_.database().queryOne(QStringLiteral("SELECT %1 FROM %2 WHERE id = ?1").arg(selectColumns(), card_.table), {id});
    if (!saved) return saved.error();
    auto savedJson = toJson(*saved, nullptr);
    if (!savedJson) return savedJson.error();
    if (before.isEmpty()) return hooks_->afterSave(*savedJson, nullptr, ctx_);
    auto beforeJson = toJson(before, nullptr);
    if (!beforeJson) return beforeJson.error();
    return hooks_->afterSave(*savedJson, &*beforeJson, ctx_);
}

Result<tessera::WriteResult> RecordCard::updateRow(qint64 id, qint64 version, const ColumnValues& values, const QString& now) {
    QStringList sets;
    Params params;
    values.forEach([&](const QString& column, const QVariant& v) {
        params.push_back(v);
        sets << QStringLiteral("%1 = ?%2").arg(column).arg(params.size());
    });
    params.push_back(now);
    sets << QStringLiteral("updated_at = ?%1").arg(params.size()) << QStringLiteral("version = version + 1");
    params.push_back(id);
    params.push_back(version);
    return ctx_.database().execute(QStringLiteral("UPDATE %1 SET %2 WHERE id = ?%3 AND version = ?%4")
                                       .arg(card_.table, sets.join(QStringLiteral(", ")))
                                       .arg(params.size() - 1)
                                       .arg(params.size()),
                                   params);
}

Result<qint64> RecordCard::write(qint64 id, qint64 version, ColumnValues values, const QString& now, const Row& stored,
                                 const tessera::Scope* scope) {
    if (card_.isUnit) {
        if (auto placed = placeUnit(id, values, stored, scope); !placed) return placed.error();
        values.remove(QStringLiteral("id"));
    }
    auto w = updateRow(id, version, values, now);
    if (!w) return w.error();
    if (w->changes == 1) {
        if (auto s = ctx_.events().publish(card_.events + QStringLiteral(".updated"), QJsonObject{{QStringLiteral("id"), id}}); !s) return s.error();
        if (auto s = afterSave(id, stored); !s) return s.error();
    }
    return w->changes;
}

Status RecordCard::placeUnit(qint64& id, ColumnValues& values, const Row& stored, const tessera::Scope* scope) {
    const QVariant parent = values.take(unit_->column);  // not a column: the tree keeps it
    auto text = [&](const QString& field) {
        const FieldDecl* f = card_.field(field);
        return (values.contains(f->column) ? values.value(f->column) : stored.value(f->column)).toString().trimmed();
    };
    QString name;
    for (const QString& field : card_.unitNameFields)
        if (name = text(field); !name.isEmpty()) break;
    const QString code = card_.unitCodeField.isEmpty() ? QString() : text(card_.unitCodeField);
    // The tree's refusals (a bad name or code, a move under itself), on the card's field they are about.
    auto refused = [&](const Error& e) -> Status {
        if (!e.code.startsWith(QLatin1String("unit."))) return e;
        const QString field = e.field == u"code" && !card_.unitCodeField.isEmpty() ? card_.unitCodeField
                              : e.field == u"name"                                 ? card_.unitNameFields.value(0)
                                                                                   : unit_->name;
        return Error{e.code, e.message, field};
    };
    if (!id) {
        auto made = ctx_.units().create(parent.toLongLong(), name, code);
        if (!made) return refused(made.error());
        id = made->id;
    } else {
        auto unit = ctx_.units().get(id);
        if (!unit) return unit.error();
        if (!parent.isNull() && parent.toLongLong() != unit->parentId) {
            if (auto moved = ctx_.units().move(id, parent.toLongLong()); !moved) return refused(moved.error());
            // Checked where the unit now lies, in this transaction: a unit-only grant keeps it in reach, a subtree grant above the new
            // parent too. The parent by its path, as the caller (of the request or import on this thread) knows it.
            if (scope && !scope->contains(id))
                return Error{QStringLiteral("unit.forbidden"),
                             tessera::text("a %1 under unit %2 would lie outside the units you may change", cardName(card_),
                                           unitNamed(parent.toLongLong(), currentAccess(), ctx_.database(), card_.readPermission)),
                             unit_->name};
        }
        if (unit->name != name || unit->code != code)
            if (auto renamed = ctx_.units().rename(id, name, code); !renamed) return refused(renamed.error());
    }
    values.insert(QStringLiteral("id"), id);
    values.insert(kScopeColumn, id);
    return {};
}

Response RecordCard::create(const Request& r) {
    QList<FieldError> errors;
    ColumnValues values = readBody(r, nullptr, errors);
    if (!errors.isEmpty()) return Response::invalid(errors);
    const QString now = nowText(ctx_);
    qint64 id = 0;
    tessera::Status s = ctx_.database().transaction([&]() -> tessera::Status {
        if (auto u = checkUnique(values, 0, r, errors); !u) return u;
        if (!errors.isEmpty()) return {};
        auto inserted = insert(values, now, r.scope);
        if (!inserted) return inserted.error();
        id = *inserted;
        return {};
    });
    if (!s) return s.error().field.isEmpty() ? storageError(s.error()) : Response::fromError(s.error());  // a hook's refusal names its field
    if (!errors.isEmpty()) return Response::invalid(errors);
    auto row = fetch(id, r.scope);
    if (!row) return storageError(row.error());
    auto json = toJson(*row, r.access);
    if (!json) return storageError(json.error());
    addWarnings(*json, nullptr, r);
    return Response::created(*json)
        .withHeader("Location", QStringLiteral("/api/v1/%1/%2/%3").arg(pluginId_, card_.resource).arg(id).toUtf8())
        .withHeader("ETag", tessera::versionETag(1));
}

Response RecordCard::update(const Request& r) {
    const auto id = tessera::idParam(r);
    if (!id) return noSuchRecord(r.param(QStringLiteral("id")));
    // The record must be in scope before anything about it is revealed.
    auto existing = fetch(*id, r.scope);
    if (!existing) return storageError(existing.error());
    if (existing->isEmpty()) return card_.isUnit ? adoptUnit(*id, r) : noSuchRecord(r.param(QStringLiteral("id")));
    QList<FieldError> errors;
    ColumnValues values = readBody(r, &*existing, errors);
    // The version the client edited: If-Match wins (412 when stale), else the body's (409).
    const auto expected = tessera::expectedVersion(r, errors);
    if (!errors.isEmpty()) return Response::invalid(errors);
    if (!expected)
        return Response::error(428, tessera::text("Precondition Required"),
                               tessera::text("send If-Match with the ETag you read, or the \"version\" field, so a "
                                             "concurrent change is never overwritten"));
    const QString now = nowText(ctx_);
    bool stale = false, missing = false;
    qint64 current = 0;
    tessera::Status s = ctx_.database().transaction([&]() -> tessera::Status {
        if (auto u = checkUnique(values, *id, r, errors); !u) return u;
        if (!errors.isEmpty()) return {};
        auto changed = write(*id, expected->version, values, now, *existing, r.scope);
        if (!changed) return changed.error();
        if (*changed == 1) return {};
        auto row = ctx_.database().queryOne(QStringLiteral("SELECT version FROM %1 WHERE id = ?1").arg(card_.table), {*id});
        if (!row) return row.error();
        missing = row->isEmpty();
        stale = !missing;
        current = row->value(QStringLiteral("version")).toLongLong();
        return {};
    });
    if (!s) return s.error().field.isEmpty() ? storageError(s.error()) : Response::fromError(s.error());  // a hook's refusal names its field
    if (!errors.isEmpty()) return Response::invalid(errors);
    if (missing) return noSuchRecord(r.param(QStringLiteral("id")));
    if (stale)
        return Response::error(expected->staleStatus(),
                               expected->fromIfMatch ? tessera::text("Precondition Failed") : QStringLiteral("Conflict"),
                               tessera::text("%1 %2 was changed by someone else (you edited version %3, it is now version %4); "
                                             "reload it and apply your change again",
                                             cardName(card_), recordName(*existing), expected->version, current))
            .withHeader("ETag", tessera::versionETag(current));
    auto row = fetch(*id, r.scope);
    if (!row) return storageError(row.error());
    if (row->isEmpty()) return noSuchRecord(r.param(QStringLiteral("id")));  // moved out of the caller's scope
    auto json = toJson(*row, r.access);
    if (!json) return storageError(json.error());
    if (auto before = toJson(*existing, r.access)) addWarnings(*json, &*before, r);
    return Response::json(*json).withHeader("ETag", tessera::versionETag(row->value(QStringLiteral("version")).toLongLong()));
}

// PUT of a card that is a unit, for a unit of the caller's scope that has no card yet (the
// top of the tree, a unit made in the tree itself): the card is made, 201.
void RecordCard::addWarnings(QJsonObject& saved, const tessera::Record* before, const Request& r) {
    if (!hooks_ || !hooks_->warn) return;
    QJsonArray warnings;
    for (const FieldError& w : hooks_->warn(saved, before, r, ctx_))
        warnings.append(QJsonObject{{QStringLiteral("field"), w.field}, {QStringLiteral("message"), w.message}});
    if (!warnings.isEmpty()) saved.insert(QStringLiteral("warnings"), warnings);
}

Response RecordCard::adoptUnit(qint64 id, const Request& r) {
    if (!r.scope || !r.scope->contains(id)) return noSuchRecord(r.param(QStringLiteral("id")));
    auto unit = ctx_.units().get(id);
    if (!unit) return unit.error().code == QLatin1String("unit.not_found") ? noSuchRecord(r.param(QStringLiteral("id"))) : storageError(unit.error());
    // The unit as it stands is the record "before": it stays where it is unless the body moves it.
    const Row before{{QStringLiteral("id"), id}, {unit_->column, unit->parentId ? QVariant(unit->parentId) : QVariant()}};
    QList<FieldError> errors;
    ColumnValues values = readBody(r, &before, errors);
    if (!errors.isEmpty()) return Response::invalid(errors);
    values.insert(QStringLiteral("id"), id);
    const QString now = nowText(ctx_);
    bool made = false;  // by someone else, meanwhile
    tessera::Status s = ctx_.database().transaction([&]() -> tessera::Status {
        auto there = ctx_.database().queryOne(QStringLiteral("SELECT id FROM %1 WHERE id = ?1").arg(card_.table), {id});
        if (!there) return there.error();
        if (!there->isEmpty()) return made = true, tessera::Status();
        if (auto u = checkUnique(values, id, r, errors); !u) return u;
        if (!errors.isEmpty()) return {};
        auto inserted = insert(values, now, r.scope);
        if (!inserted) return inserted.error();
        return {};
    });
    if (!s) return s.error().field.isEmpty() ? storageError(s.error()) : Response::fromError(s.error());
    if (!errors.isEmpty()) return Response::invalid(errors);
    if (made)
        return Response::error(409, QStringLiteral("Conflict"),
                               tessera::text("%1 %2 was made by someone else meanwhile; reload it and apply your change again", cardName(card_), id));
    auto row = fetch(id, r.scope);
    if (!row) return storageError(row.error());
    if (row->isEmpty()) return noSuchRecord(r.param(QStringLiteral("id")));
    auto json = toJson(*row, r.access);
    if (!json) return storageError(json.error());
    return Response::json(*json, 201).withHeader("ETag", tessera::versionETag(1));
}

Result<QString> RecordCard::referencedBy(qint64 id, const Request& r) {
    QStringList visible;
    bool hidden = false;
    for (const auto& other : all_.all()) {
        for (auto it = other->targets_.constBegin(); it != other->targets_.constEnd(); ++it) {
            if (*it != this) continue;
            const FieldDecl* f = other->card_.field(it.key());
            auto n = ctx_.database().queryOne(QStringLiteral("SELECT count(*) AS n FROM %1 WHERE %2 = ?1").arg(other->card_.table, f->column), {id});
            if (!n) return n.error();
            if (n->value(QStringLiteral("n")).toLongLong() == 0) continue;
            // Count only what the caller may read; the rest is said to exist, never what it is.
            Params params{id};
            const tessera::Scope& scope = r.access->scope(other->card_.readPermission);
            auto seen = ctx_.database().queryOne(QStringLiteral("SELECT count(*) AS n FROM %1 WHERE %2 = ?1 AND %3")
                                                     .arg(other->card_.table, f->column, scope.condition(kScopeColumn, params)),
                                                 params);
            if (!seen) return seen.error();
            const qint64 count = seen->value(QStringLiteral("n")).toLongLong();
            if (count) visible << tessera::text("records of %2: %1", count, cardName(other->card_));
            if (count < n->value(QStringLiteral("n")).toLongLong()) hidden = true;
        }
    }
    if (visible.isEmpty() && !hidden) return QString();
    QString reason = visible.join(QStringLiteral(", "));
    if (hidden) reason += (reason.isEmpty() ? QString() : tessera::text(", and ")) + tessera::text("records you cannot see");
    return reason;
}

Response RecordCard::remove(const Request& r) {
    const auto id = tessera::idParam(r);
    if (!id) return noSuchRecord(r.param(QStringLiteral("id")));
    const auto matched = tessera::ifMatchVersion(r);
    if (matched && *matched < 0) return Response::invalid({{QStringLiteral("If-Match"), tessera::text("must be an ETag from GET, like \"3\"")}});
    bool missing = false, stale = false;
    qint64 current = 0;
    QString refusal, name = QString::number(*id);
    // The version is read and the row deleted in one writing transaction, and the DELETE
    // names the version it checked: a change committed in between cannot be deleted unseen.
    tessera::Status s = ctx_.database().transaction([&]() -> tessera::Status {
        auto row = fetch(*id, r.scope);
        if (!row) return row.error();
        if (row->isEmpty()) return missing = true, tessera::Status();
        current = row->value(QStringLiteral("version")).toLongLong();
        name = recordName(*row);
        if (matched && *matched != current) return stale = true, tessera::Status();
        auto by = referencedBy(*id, r);
        if (!by) return by.error();
        if (!by->isEmpty()) return refusal = tessera::text("%1 refer to it", *by), tessera::Status();
        if (hooks_ && hooks_->refuseDelete) {
            auto json = toJson(*row, nullptr);
            if (!json) return json.error();
            auto reason = hooks_->refuseDelete(*json, ctx_);
            if (!reason) return reason.error();
            if (!reason->isEmpty()) return refusal = *reason, tessera::Status();
        }
        auto w = ctx_.database().execute(QStringLiteral("DELETE FROM %1 WHERE id = ?1 AND version = ?2").arg(card_.table), {*id, current});
        if (!w) return w.error();
        if (w->changes != 1) return Error{QStringLiteral("db.changed"), tessera::text("record %1 changed while it was deleted", *id)};
        if (auto kept = attachmentsGone(*id); !kept) return kept;
        // A card that is a unit goes with its unit; the tree refuses, naming them, while child
        // units or other records (of every plugin) still belong to it, and then the card stays.
        if (card_.isUnit)
            if (auto removed = ctx_.units().remove(*id); !removed) {
                if (removed.error().code == QLatin1String("unit.not_empty") || removed.error().code == QLatin1String("unit.root"))
                    refusal = removed.error().message;
                return removed;
            }
        return ctx_.events().publish(card_.events + QStringLiteral(".deleted"), QJsonObject{{QStringLiteral("id"), *id}});
    });
    if (!refusal.isEmpty())
        return Response::error(409, QStringLiteral("Conflict"),
                               tessera::text("%1 %2 cannot be deleted: %3", cardName(card_), name, refusal));
    if (!s) return storageError(s.error());
    if (missing) return noSuchRecord(r.param(QStringLiteral("id")));
    if (stale)
        return Response::error(
            412, tessera::text("Precondition Failed"),
            tessera::text("%1 %2 is now version %3, not the one you read; reload before deleting", cardName(card_), name, current));
    if (!refusal.isEmpty())
        return Response::error(409, QStringLiteral("Conflict"),
                               tessera::text("%1 %2 cannot be deleted: %3", cardName(card_), name, refusal));
    return Response::noContent();
}

// ---------------------------------------------------------------------------------------
// History: the record's own entries of the audit log, field by field.

namespace {

// Who made a change of the history, as people read it: a user by their display name (their
// login where they have none), the system (rules, sample data, the CLI) and a customer's
// public link (no login) in words.
QString whoChanged(const Row& entry) {
    const QString name = entry.value(QStringLiteral("name")).toString();
    if (entry.value(QStringLiteral("user_id")).toLongLong() != 0) return name;
    if (name == u"public") return tessera::text("someone through a public link");
    if (name == u"system") return tessera::text("the system");
    if (name == u"cli") return tessera::text("the command line");
    return name;
}

}  // namespace

Response RecordCard::history(const Request& r) {
    Row row;
    if (auto refused = readRecord(r, row)) return *refused;
    const qint64 id = row.value(QStringLiteral("id")).toLongLong();
    // Who by the name people know them by; the login name where the user has none (the
    // system, or a user whose row is gone).
    auto entries = ctx_.database().query(
        QStringLiteral("SELECT a.id, a.at, a.user_id, a.username, coalesce(nullif(u.display_name, ''), a.username) AS name, "
                       "a.action, a.before, a.after, a.detail FROM core_audit a "
                       "LEFT JOIN core_users u ON u.id = a.user_id AND a.user_id <> 0 "
                       "WHERE a.table_name = ?1 AND a.record_id = ?2 ORDER BY a.id"),
        {card_.table, id});
    if (!entries) return storageError(entries.error());
    QHash<QString, const FieldDecl*> byColumn;
    for (const FieldDecl* f : fields_) byColumn.insert(f->column, f);
    QJsonArray items;
    for (const Row& e : *entries) {
        const QJsonObject before = QJsonDocument::fromJson(e.value(QStringLiteral("before")).toString().toUtf8()).object();
        const QJsonObject after = QJsonDocument::fromJson(e.value(QStringLiteral("after")).toString().toUtf8()).object();
        QJsonArray changes;
        for (const FieldDecl* f : fields_) {
            const bool had = before.contains(f->column), has = after.contains(f->column);
            if (!had && !has) continue;
            const QVariant b = had ? before.value(f->column).toVariant() : QVariant(), a = has ? after.value(f->column).toVariant() : QVariant();
            const QJsonValue bj = had ? jsonOf(*f, b) : QJsonValue(), aj = has ? jsonOf(*f, a) : QJsonValue();
            auto empty = [](const QJsonValue& j) {
                return j.isNull() || j.isUndefined() || (j.isString() && j.toString().isEmpty()) || (j.isArray() && j.toArray().isEmpty());
            };
            if (bj == aj || (empty(bj) && empty(aj))) continue;  // a new record's empty fields are no change
            QJsonObject change{{QStringLiteral("field"), f->name},
                               {QStringLiteral("label"), QJsonObject{{QStringLiteral("zh-CN"), f->label.zhCN}, {QStringLiteral("en"), f->label.en}}},
                               {QStringLiteral("before"), bj},
                               {QStringLiteral("after"), aj}};
            // A referenced record by its title, where the caller may read it.
            if (RecordCard* target = targets_.value(f->name); target && r.access) {
                QList<qint64> ids;
                for (const QJsonValue& j : {bj, aj})
                    if (j.isDouble()) ids << j.toInteger();
                auto found = referenceTitles(f->name, ids, *r.access);
                if (!found) return storageError(found.error());
                if (bj.isDouble()) change.insert(QStringLiteral("beforeLabel"), referenceLabel(*found, bj.toInteger()));
                if (aj.isDouble()) change.insert(QStringLiteral("afterLabel"), referenceLabel(*found, aj.toInteger()));
            }
            if (f->kind == FieldKind::User) {
                // One user (an id) or several (a list of ids), by name.
                const auto idsOf = [](const QJsonValue& j) {
                    QList<qint64> ids;
                    if (j.isDouble()) ids << j.toInteger();
                    for (const QJsonValue& one : j.toArray()) ids << one.toInteger();
                    return ids;
                };
                auto named = tessera::host::userNames(ctx_.database(), idsOf(bj) + idsOf(aj));
                if (!named) return storageError(named.error());
                if (!idsOf(bj).isEmpty()) change.insert(QStringLiteral("beforeLabel"), userNamesText(*named, idsOf(bj)));
                if (!idsOf(aj).isEmpty()) change.insert(QStringLiteral("afterLabel"), userNamesText(*named, idsOf(aj)));
            }
            changes.append(change);
        }
        items.append(QJsonObject{{QStringLiteral("at"), e.value(QStringLiteral("at")).toString()},
                                 {QStringLiteral("user"), whoChanged(e)},
                                 {QStringLiteral("username"), e.value(QStringLiteral("username")).toString()},
                                 {QStringLiteral("action"), e.value(QStringLiteral("action")).toString()},
                                 {QStringLiteral("changes"), changes}});
    }
    return Response::json(QJsonObject{{QStringLiteral("items"), items}});
}

// ---------------------------------------------------------------------------------------
// Counts grouped by a field, under the list's filters.

namespace {

// A picker's `unit` (default the caller's own, where they hold one of `setters`, the
// permissions that set the field) and `q` for `card`: the refusal to answer, if any (`errors`
// holds the query's other problems already).
std::optional<Response> pickerQuery(const Request& r, const CardDecl& card, const QStringList& setters, tessera::Database& db,
                                    QList<FieldError>& errors, qint64& unit, QString& q) {
    const QString unitText = r.queryValue(QStringLiteral("unit"));
    unit = r.access ? r.access->caller().unitId : 0;
    if (!unitText.isEmpty()) {
        const auto id = tessera::parseId(unitText);
        if (!id)
            errors.append({QStringLiteral("unit"), tessera::text("must be a unit id, not '%1'", unitText)});
        else
            unit = *id;
    }
    q = r.queryValue(QStringLiteral("q")).trimmed();
    if (q.size() > kMaxSearchLength) errors.append({QStringLiteral("q"), tessera::text("at most %1 characters", kMaxSearchLength)});
    if (!errors.isEmpty()) return Response::invalid(errors);
    const auto maySet = [&](const QString& permission) { return r.access->scope(permission).contains(unit); };
    if (!unit || !r.access || std::none_of(setters.begin(), setters.end(), maySet))  // the same words for a unit that does not exist
        return Response::error(
            403, tessera::text("Forbidden"),
            tessera::text("there is no unit %1 you may add %2 to", unitNamed(unit, r, db, card.readPermission), cardName(card)));
    return std::nullopt;
}

}  // namespace

// GET .../people/{field}?unit=&q=: who a caller may name in a user field of a record of `unit`
// (default their own): the enabled users holding the field's permission there, by name.
// Names only, and only for a unit where the caller may set the field (by an edit or a step).
Response RecordCard::people(const Request& r) {
    QList<FieldError> errors;
    tessera::refuseUnknownParams(r, {QStringLiteral("unit"), QStringLiteral("q")}, errors);
    const QString name = r.param(QStringLiteral("field"));
    const FieldDecl* f = card_.field(name);
    if (!f || f->kind != FieldKind::User) return Response::notFound(tessera::text("%1 has no user field %2", cardName(card_), name));
    qint64 unit = 0;
    QString q;
    // Who sets the field: the card's writers when an edit does, and whoever takes a step that does.
    QStringList setters;
    if (!f->readOnly) setters << card_.writePermission;
    for (const StepDecl& s : card_.workflow.steps)
        if (s.fields.contains(f->name)) setters << s.permission;
    if (auto refused = pickerQuery(r, card_, setters, ctx_.database(), errors, unit, q)) return *refused;
    constexpr int kPeople = 50;
    auto holders = tessera::host::dutyHolders(ctx_.database(), f->permission, unit, q, kPeople);
    if (!holders) return storageError(holders.error());
    QJsonArray items;
    for (const auto& h : *holders) items.append(QJsonObject{{QStringLiteral("id"), h.id}, {QStringLiteral("name"), h.name}});
    return Response::json(QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("duty"), permissionLabel(f->permission)}});
}

// GET .../choices/{field}?unit=&q=: the records a writer may name in a reference field with
// reach="above" for a record of `unit` (default their own, one of their write scope): those of
// the target they read and those of `unit` and the units above it (a head office's catalogue),
// whose title or searched text contains q, by title, 20 at most. Titles only.
Response RecordCard::choices(const Request& r) {
    QList<FieldError> errors;
    tessera::refuseUnknownParams(r, {QStringLiteral("unit"), QStringLiteral("q")}, errors);
    const QString name = r.param(QStringLiteral("field"));
    const FieldDecl* f = card_.field(name);
    RecordCard* target = f ? targets_.value(f->name) : nullptr;
    if (!target || !f->reachAbove || target->card().titleField.isEmpty())
        return Response::notFound(tessera::text("%1 has no reference field %2 that reaches above", cardName(card_), name));
    qint64 unit = 0;
    QString q;
    if (auto refused = pickerQuery(r, card_, {card_.writePermission}, ctx_.database(), errors, unit, q)) return *refused;
    const CardDecl& t = target->card();
    const FieldDecl* title = t.field(t.titleField);
    Params params{unit};
    const QString readable = target->scopeCondition(r.access->scope(t.readPermission), params, Reach::Shared);
    QString sql = QStringLiteral(
                      "SELECT t.id AS id, t.%1 AS title FROM %2 t WHERE (%3 OR EXISTS (SELECT 1 FROM core_units a "
                      "JOIN core_units u ON u.id = ?1 WHERE a.id = t.%4 AND u.path >= a.path AND "
                      "u.path < substr(a.path, 1, length(a.path) - 1) || '0'))")
                      .arg(title->column, t.table, readable, kScopeColumn);
    if (!q.isEmpty()) {
        params.push_back(tessera::likeContaining(q));
        QStringList any{QStringLiteral("t.%1 LIKE ?%2 ESCAPE '\\'").arg(title->column).arg(params.size())};
        for (const FieldDecl* s : t.fields())
            if (s->search && s != title) any << QStringLiteral("t.%1 LIKE ?%2 ESCAPE '\\'").arg(s->column).arg(params.size());
        sql += QStringLiteral(" AND (") + any.join(QStringLiteral(" OR ")) + u')';
    }
    // Their roll (a member who left) as the target's own picker: those on it.
    if (!t.roll.isEmpty() && !f->anyRoll) sql += QStringLiteral(" AND t.%1 IS NULL").arg(t.field(t.roll)->column);
    sql += QStringLiteral(" ORDER BY %1, t.id LIMIT 20")
               .arg(hasSortKey(*title) ? QStringLiteral("t.") + sortKeyColumn(*title) : QStringLiteral("t.") + title->column);
    auto rows = ctx_.database().query(sql, params);
    if (!rows) return storageError(rows.error());
    QJsonArray items;
    for (const auto& row : *rows)
        items.append(QJsonObject{{QStringLiteral("id"), row.value(QStringLiteral("id")).toLongLong()},
                                 {QStringLiteral("title"), row.value(QStringLiteral("title")).toString()}});
    return Response::json(QJsonObject{{QStringLiteral("items"), items}});
}

Result<std::vector<tessera::RecordCount>> RecordCard::countBy(const FieldDecl& f, const Filter& filter) {
    std::vector<tessera::RecordCount> out;
    const auto kept = keptCountFields(card_);
    if (!filter.plain || !filter.wholeBut || std::find(kept.begin(), kept.end(), &f) == kept.end()) {
        // Counts pages show again and again: the database reads them again only after a write.
        auto rows = ctx_.database().queryAggregate(QStringLiteral("SELECT %1 AS k, count(*) AS n FROM %2%3 GROUP BY k ORDER BY n DESC, k")
                                                       .arg(valueSql(f), card_.table, filter.where),
                                                   filter.params);
        if (!rows) return rows.error();
        out.reserve(rows->size());
        for (const Row& row : *rows) out.push_back({row.value(QStringLiteral("k")), row.value(QStringLiteral("n")).toLongLong()});
        return out;
    }
    // The roll and a whole subtree with few units outside (see unitCondition): the counts the
    // host keeps of the whole table (core_kept_counts, in the order of their values), then the
    // records of the units outside and of no unit (few), each through the unit's index, to
    // take away. One statement: one state of the data. (Summed and sorted here: a GROUP BY
    // over the union and an ORDER BY would sort the 20,000 birth dates of a million members
    // twice, 20 ms, where reading them takes 1.)
    using Roll = Filter::Roll;
    Params params = filter.outsideParams;  // ?1, ?2 of filter.outside
    params.push_back(card_.table);
    params.push_back(f.column);
    // One place on the roll (or a card without one, all on it): a row per value, in the key's
    // order. Both places (roll=all): summed, which costs as much again as the reading.
    const bool both = filter.roll == Roll::All && !card_.roll.isEmpty();
    QString sql = QStringLiteral("SELECT 0 AS o, nullif(value, x'') AS k, %1 AS n FROM core_kept_counts WHERE tbl = ?%2 AND col = ?%3")
                      .arg(both ? QStringLiteral("sum(n)") : QStringLiteral("n"))
                      .arg(params.size() - 1)
                      .arg(params.size());
    QString onRoll;
    if (both) {
        sql += QStringLiteral(" GROUP BY value");
    } else {
        sql += QStringLiteral(" AND on_roll = %1").arg(filter.roll == Roll::Former ? 0 : 1);
        if (filter.roll != Roll::All)
            onRoll = QStringLiteral(" AND %1 IS %2NULL")
                         .arg(card_.field(card_.roll)->column, filter.roll == Roll::Former ? QStringLiteral("NOT ") : QString());
    }
    if (!filter.outside.isEmpty())
        sql += QStringLiteral(
                   " UNION ALL SELECT 1, %1, count(*) FROM %2 WHERE %3%4 GROUP BY 2 UNION ALL SELECT 1, %1, count(*) FROM %2 WHERE %5 IS "
                   "NULL%4 GROUP BY 2")
                   .arg(f.column, card_.table, filter.outside, onRoll, kScopeColumn);
    auto stmt = ctx_.database().prepare(sql);
    if (!stmt) return stmt.error();
    for (std::size_t i = 0; i < params.size(); ++i)
        if (auto b = (*stmt)->bind(static_cast<int>(i) + 1, params[i]); !b) return b.error();
    std::vector<tessera::RecordCount> outside;
    for (;;) {
        auto more = (*stmt)->step();
        if (!more) return more.error();
        if (!*more) break;
        ((*stmt)->value(0).toInt() == 0 ? out : outside).push_back({(*stmt)->value(1), (*stmt)->value(2).toLongLong()});
    }
    if (!outside.empty()) {
        const auto keyOf = [](const QVariant& v) { return v.isNull() ? QString() : QString::number(v.typeId()) + u':' + v.toString(); };
        QHash<QString, std::size_t> at;  // a value's place in `out`
        for (std::size_t i = 0; i < out.size(); ++i) at.insert(keyOf(out[i].value), i);
        for (const tessera::RecordCount& c : outside)
            if (const auto it = at.constFind(keyOf(c.value)); it != at.constEnd()) out[*it].count -= c.count;
    }
    std::erase_if(out, [](const tessera::RecordCount& c) { return c.count <= 0; });
    // Most first; ties in the order of values, the empty value first (as the other path's
    // ORDER BY n DESC, k has them; the kept empty value, x'', comes last in the key's order).
    std::stable_sort(out.begin(), out.end(), [](const tessera::RecordCount& a, const tessera::RecordCount& b) {
        return a.count != b.count ? a.count > b.count : a.value.isNull() && !b.value.isNull();
    });
    return out;
}

Response RecordCard::counts(const Request& r) {
    QList<FieldError> errors;
    tessera::refuseUnknownParams(r, knownListParams() << QStringLiteral("by"), errors);
    const QString by = r.queryValue(QStringLiteral("by"));
    const FieldDecl* f = card_.field(by);
    const auto groupable = [&](const FieldDecl* g) { return (g->filter || g == unit_) && !isText(*g) && !g->multiple; };
    if (!f || !groupable(f)) {
        QStringList names;
        for (const FieldDecl* g : fields_)
            if (groupable(g)) names << g->name;
        errors.append({QStringLiteral("by"), tessera::text("cannot count by '%1'; count by %2", by, names.join(QStringLiteral(", ")))});
    }
    auto filter = filterFrom(r.query, r.scope, errors, callerId(r));
    if (!errors.isEmpty()) return Response::invalid(errors);
    if (!filter) return storageError(filter.error());
    auto rows = countBy(*f, *filter);
    if (!rows) return storageError(rows.error());
    const QHash<QString, QString> dictionary = f->kind == FieldKind::Dropdown ? ctx_.dictionary(f->dictionary) : QHash<QString, QString>();
    QHash<qint64, QString> titles;
    if (f->kind == FieldKind::Reference && r.access) {
        QList<qint64> ids;
        for (const tessera::RecordCount& c : *rows)
            if (!c.value.isNull()) ids << c.value.toLongLong();
        auto found = referenceTitles(f->name, ids, *r.access);
        if (!found) return storageError(found.error());
        titles = *found;
    }
    QHash<qint64, QString> users;
    if (f->kind == FieldKind::User) {
        Rows keys;
        for (const tessera::RecordCount& c : *rows) keys.push_back({{QStringLiteral("k"), c.value}});
        auto named = namesOfUsers(keys, ctx_.database(), QStringLiteral("k"));
        if (!named) return storageError(named.error());
        users = std::move(*named);
    }
    QHash<qint64, UnitLabel> units;  // a unit by the path the caller knows it by
    if (f->kind == FieldKind::Unit && r.access) {
        QList<qint64> ids;
        for (const tessera::RecordCount& c : *rows) ids << c.value.toLongLong();
        auto found = UnitLabels(ctx_.database(), *r.access, card_.readPermission).labels(ids);
        if (!found) return storageError(found.error());
        units = *found;
    }
    QJsonArray items;
    qint64 total = 0;
    for (const auto& [k, n] : *rows) {
        total += n;
        QString label;
        if (isEmptyValue(k)) label = QStringLiteral("(空)");
        else if (f->kind == FieldKind::Dropdown) label = dictionary.value(k.toString(), k.toString());
        else if (f->kind == FieldKind::Checkbox) label = k.toLongLong() ? QStringLiteral("是") : QStringLiteral("否");
        else if (f->kind == FieldKind::Unit)
            label = units.contains(k.toLongLong()) ? units.value(k.toLongLong()).shown() : tessera::text("a unit outside your view");
        else if (f->kind == FieldKind::Reference)
            label = referenceLabel(titles, k.toLongLong());
        else if (f->kind == FieldKind::User)
            label = userLabel(users, k.toLongLong());
        else label = jsonOf(*f, k).toVariant().toString();
        items.append(QJsonObject{{QStringLiteral("key"), jsonOf(*f, k)}, {QStringLiteral("label"), label}, {QStringLiteral("value"), n}});
    }
    return Response::json(QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("total"), total}});
}

// ---------------------------------------------------------------------------------------
// Export: the filtered list as CSV or xlsx, as a job, in the columns imports read.

Response RecordCard::exportList(const Request& r) {
    QList<FieldError> errors;
    tessera::refuseUnknownParams(r, knownListParams() << QStringLiteral("format") << QStringLiteral("ids"), errors);
    const QString formatName = r.queryValue(QStringLiteral("format"), QStringLiteral("csv"));
    const auto format = tessera::TableFiles::formatNamed(formatName);
    if (!format) errors.append({QStringLiteral("format"), tessera::text("must be csv or xlsx, not '%1'", formatName)});
    // ids: only these records of the filtered list (the rows selected in a list, 导出选中).
    QStringList selected;
    const QString idsText = r.queryValue(QStringLiteral("ids"));
    if (r.query.contains(QStringLiteral("ids"))) {
        for (const QString& part : idsText.split(u',', Qt::SkipEmptyParts)) {
            const auto id = tessera::parseId(part.trimmed());
            if (!id) {
                errors.append({QStringLiteral("ids"), tessera::text("must be record ids separated by commas, not '%1'", idsText)});
                selected.clear();
                break;
            }
            selected << QString::number(*id);
        }
        if (selected.isEmpty() && errors.isEmpty())
            errors.append({QStringLiteral("ids"), tessera::text("must be record ids separated by commas, not '%1'", idsText)});
        if (selected.size() > kMaxExportIds) errors.append({QStringLiteral("ids"), tessera::text("at most %1 records", kMaxExportIds)});
    }
    auto probe = filterFrom(r.query, r.scope, errors, callerId(r));  // a bad filter is a 422 now, not a failed job
    if (!errors.isEmpty()) return Response::invalid(errors);
    if (!probe) return storageError(probe.error());
    const QHash<QString, QString> query = r.query;  // the job outlives the request: keep only what it needs
    auto started = ctx_.jobs().start(
        r, QStringLiteral("export"),
        // The format as people call it (CSV, Excel), not its code.
        tessera::text("export of %1 (%2)", cardName(card_), formatName == u"xlsx" ? QStringLiteral("Excel") : QStringLiteral("CSV")),
        [this, query, only = selected, format = *format, formatName](tessera::Job& job,
                                                                     tessera::Context& c) -> tessera::Result<QJsonObject> {
            QList<FieldError> ignored;
            auto filter = filterFrom(query, &job.access().scope(card_.readPermission), ignored, job.access().caller().userId);
            if (!filter) return filter.error();
            // Checked numbers only, so they are written into the statement as they are.
            if (!only.isEmpty())
                filter->where = QStringLiteral(" WHERE (%1) AND %2.id IN (%3)").arg(filter->where.mid(7), card_.table, only.join(u','));
            auto total = c.database().queryOne(QStringLiteral("SELECT count(*) AS n FROM %1%2").arg(card_.table, filter->where), filter->params);
            if (!total) return total.error();
            job.setTotal(total->value(QStringLiteral("n")).toLongLong());
            auto path = job.outputFile(QStringLiteral("%1.%2").arg(card_.resource.section(u'/', -1), formatName), tessera::TableFiles::mediaType(format));
            if (!path) return path.error();
            auto out = c.tables().create(*path, format, card_.label.zhCN);
            if (!out) return out.error();
            std::vector<const FieldDecl*> columns;
            QStringList header{QStringLiteral("编号")};
            for (const FieldDecl* f : fields_)
                if (f->exported) {
                    columns.push_back(f);
                    header << f->columnHeader();
                }
            header << QStringLiteral("创建时间") << QStringLiteral("更新时间");
            if (auto s = (*out)->row(header); !s) return s.error();
            // Units by their path below the exporter's top unit, as their imports read it.
            UnitLabels unitLabels(c.database(), job.access(), card_.readPermission);
            QHash<qint64, QString> parentCodes;  // of a card that is a unit: parent id -> its cell
            QHash<QString, QHash<QString, QString>> dictionaries;
            constexpr qint64 kBatch = 1000;
            // Newest first; the units of a card that is a unit in the tree's order, each parent
            // before its children, so that an import of the file finds every parent it names.
            const QString order = card_.isUnit ? QStringLiteral("(SELECT path FROM core_units WHERE core_units.id = %1.id)").arg(card_.table)
                                               : QStringLiteral("id");
            qint64 done = 0;
            QVariant after = card_.isUnit ? QVariant(QString()) : QVariant(std::numeric_limits<qint64>::max());
            for (;;) {
                if (job.cancelRequested())
                    return tessera::Error{QStringLiteral("job.cancelled"), tessera::text("cancelled after %1 rows", done)};
                Params batch = filter->params;
                batch.push_back(after);
                batch.push_back(kBatch);
                auto rows = c.database().query(QStringLiteral("SELECT %1, %2 AS order_ FROM %3%4 AND %2 %5 ?%6 ORDER BY order_ %7 LIMIT ?%8")
                                                   .arg(selectColumns(), order, card_.table, filter->where, card_.isUnit ? QStringLiteral(">") : QStringLiteral("<"))
                                                   .arg(batch.size() - 1)
                                                   .arg(card_.isUnit ? QStringLiteral("ASC") : QStringLiteral("DESC"))
                                                   .arg(batch.size()),
                                               batch);
                if (!rows) return rows.error();
                // Referenced records by their titles, where the job's owner may read them.
                QHash<QString, QHash<qint64, QString>> titles;
                for (auto it = targets_.constBegin(); it != targets_.constEnd(); ++it) {
                    const FieldDecl* f = card_.field(it.key());
                    QList<qint64> ids;
                    for (const Row& row : *rows)
                        if (!row.value(f->column).isNull()) ids << row.value(f->column).toLongLong();
                    auto found = referenceTitles(it.key(), ids, job.access());
                    if (!found) return found.error();
                    titles.insert(it.key(), *found);
                }
                auto users = namesOfUsers(*rows, c.database());
                if (!users) return users.error();
                auto units = unitLabelsOf(*rows, unitLabels);
                if (!units) return units.error();
                for (const Row& row : *rows) {
                    QStringList cells{row.value(QStringLiteral("id")).toString()};
                    for (const FieldDecl* f : columns) {
                        const QVariant v = row.value(f->column);
                        QString cell;
                        if (isEmptyValue(v))
                            cell = QString();
                        else if (f->kind == FieldKind::Unit) {
                            const qint64 unit = v.toLongLong();
                            cell = units->value(unit).relative();
                            // The parent of a card that is a unit: by its code where it has one,
                            // and not at all outside what the job's owner may read.
                            if (card_.isUnit) {
                                if (!parentCodes.contains(unit)) {
                                    auto parent = c.units().get(unit);
                                    parentCodes.insert(unit, !job.access().scope(card_.readPermission).contains(unit) ? QString()
                                                             : parent && !parent->code.isEmpty()                     ? parent->code
                                                                                                                      : cell);
                                }
                                cell = parentCodes.value(unit);
                            }
                        } else if (f->kind == FieldKind::Dropdown) {
                            if (!dictionaries.contains(f->dictionary)) dictionaries.insert(f->dictionary, c.dictionary(f->dictionary));
                            cell = dictionaries.value(f->dictionary).value(v.toString(), v.toString());
                        } else if (f->kind == FieldKind::Checkbox)
                            cell = v.toLongLong() ? QStringLiteral("是") : QStringLiteral("否");
                        else if (f->kind == FieldKind::Reference)
                            cell = referenceLabel(titles.value(f->name), v.toLongLong());  // never a bare id
                        else if (f->kind == FieldKind::User)
                            cell = userNamesText(*users, storedUsers(*f, v));
                        else
                            cell = jsonOf(*f, v).toVariant().toString();
                        cells << cell;
                    }
                    cells << peopleTime(row.value(QStringLiteral("created_at"))) << peopleTime(row.value(QStringLiteral("updated_at")));
                    if (auto s = (*out)->row(cells); !s) return s.error();
                    after = row.value(QStringLiteral("order_"));
                }
                done += static_cast<qint64>(rows->size());
                job.setProgress(done, QStringLiteral("已导出 %1 行").arg(done));
                if (static_cast<qint64>(rows->size()) < kBatch) break;
            }
            if (auto s = (*out)->finish(); !s) return s.error();
            return QJsonObject{{QStringLiteral("rows"), done}, {QStringLiteral("format"), formatName}};
        });
    if (!started) return Response::error(503, tessera::text("Service Unavailable"), started.error().message);
    return tessera::Jobs::accepted(*started);
}

// ---------------------------------------------------------------------------------------

QStringList RecordCards::build(const std::vector<ServedCard>& served) {
    cards_.clear();
    for (const ServedCard& s : served) cards_.push_back(std::make_unique<RecordCard>(s, *this));
    // A card whose target is not served is left out, and then so are the cards referring to
    // it: link again until nothing changes.
    QStringList problems;
    for (bool again = true; again;) {
        again = false;
        for (auto it = cards_.begin(); it != cards_.end();) {
            if (auto linked = (*it)->link(); !linked) {
                problems << linked.error().message;
                it = cards_.erase(it);
                again = true;
            } else {
                ++it;
            }
        }
    }
    return problems;
}

Result<tessera::RecordFilter> RecordCard::listFilter(const Request& r, const QStringList& otherParams, QList<FieldError>& errors) const {
    tessera::refuseUnknownParams(r, knownListParams() << otherParams, errors);
    auto filter = filterFrom(r.query, r.scope, errors, callerId(r));
    if (!filter) return filter.error();
    return tessera::RecordFilter{filter->where, filter->params};
}

Result<std::vector<tessera::RecordCount>> RecordCard::listCounts(const Request& r, const QString& field, const QStringList& otherParams,
                                                                 QList<FieldError>& errors) {
    const FieldDecl* f = card_.field(field);
    if (!f || isText(*f) || f->multiple || f->kind == FieldKind::Subform || f->kind == FieldKind::Attachments)
        return Error{QStringLiteral("records.no_count"),
                     tessera::text("card %1 has no field '%2' to count by (one value per record, not text)", key(), field)};
    tessera::refuseUnknownParams(r, knownListParams() << otherParams, errors);
    auto filter = filterFrom(r.query, r.scope, errors, callerId(r));
    if (!filter) return filter.error();
    if (!errors.isEmpty()) return std::vector<tessera::RecordCount>{};
    return countBy(*f, *filter);
}

Result<std::vector<tessera::RecordCount>> RecordCards::counts(const QString& pluginId, const QString& cardId, const Request& r,
                                                              const QString& field, const QStringList& otherParams,
                                                              QList<FieldError>& errors) {
    RecordCard* card = find(pluginId + u'/' + cardId);
    if (!card) return Error{QStringLiteral("records.no_card"), tessera::text("plugin %1 has no card %2 the host serves", pluginId, cardId)};
    return card->listCounts(r, field, otherParams, errors);
}

Result<tessera::RecordFilter> RecordCards::filter(const QString& pluginId, const QString& cardId, const Request& r,
                                                  const QStringList& otherParams, QList<FieldError>& errors) {
    RecordCard* card = find(pluginId + u'/' + cardId);
    if (!card) return Error{QStringLiteral("records.no_card"), tessera::text("plugin %1 has no card %2 the host serves", pluginId, cardId)};
    return card->listFilter(r, otherParams, errors);
}

// What a plugin may reach through Records::read and change: its own cards and those of the
// plugins it requires.
Result<RecordCard*> RecordCards::reachable(const QString& pluginId, const QString& key) const {
    RecordCard* card = find(key);
    const QString owner = key.section(u'/', 0, 0);
    bool allowed = owner == pluginId;
    for (const auto& c : cards_)
        if (c->pluginId() == pluginId)
            for (const DependencyDecl& d : c->manifest_.dependencies)
                if (d.id == owner && !d.optional) allowed = true;
    if (!allowed)
        return Error{QStringLiteral("records.not_a_dependency"),
                     tessera::text("plugin %1 reaches only its own cards and those of plugins it requires, not %2", pluginId, key)};
    if (!card) return Error{QStringLiteral("records.no_card"), tessera::text("no running plugin has the host serve card %1", key)};
    return card;
}

Result<tessera::Record> RecordCards::read(const QString& pluginId, const QString& key, qint64 id) {
    auto card = reachable(pluginId, key);
    if (!card) return card.error();
    return (*card)->readAsSystem(id);
}

Status RecordCards::change(const QString& pluginId, const QString& key, qint64 id, const tessera::Record& fields) {
    auto card = reachable(pluginId, key);
    if (!card) return card.error();
    return (*card)->changeAsSystem(id, fields);
}

Result<qint64> RecordCards::create(const QString& pluginId, const QString& key, const tessera::Record& fields) {
    auto card = reachable(pluginId, key);
    if (!card) return card.error();
    return (*card)->createAsSystem(fields);
}

Result<QHash<qint64, QString>> RecordCards::userNames(const QList<qint64>& ids) {
    if (!db_) return Error{QStringLiteral("records.unavailable"), QStringLiteral("this process has no users")};
    return tessera::host::userNames(*db_, ids);
}

Result<QList<qint64>> RecordCards::dutyHolders(const QString& pluginId, const QString& permission, qint64 unitId, int limit) {
    if (!db_) return Error{QStringLiteral("records.unavailable"), QStringLiteral("this process has no users")};
    // A plugin asks only about the duties it declares (permission ids start with its id).
    if (!permission.startsWith(pluginId + u'.'))
        return Error{QStringLiteral("records.permission"),
                     QStringLiteral("%1 asks who holds %2, which is not one of its permissions").arg(pluginId, permission)};
    auto holders = tessera::host::dutyHolders(*db_, permission, unitId, {}, limit);
    if (!holders) return holders.error();
    QList<qint64> ids;
    for (const auto& h : *holders) ids << h.id;
    return ids;
}

namespace {
// The system's reach: every unit, and records of none.
class EveryUnit final : public tessera::Scope {
public:
    bool all() const override { return true; }
    bool empty() const override { return false; }
    QString condition(const QString&, Params&) const override { return QStringLiteral("1=1"); }
    bool contains(qint64 unitId) const override { return unitId > 0; }
    QString conditionWithin(const QString& unitColumn, qint64 unitId, Params& params) const override {
        params.push_back(unitId);
        return QStringLiteral(
                   "%1 IN (SELECT u.id FROM core_units t JOIN core_units u ON u.path >= t.path AND "
                   "u.path < substr(t.path, 1, length(t.path) - 1) || '0' WHERE t.id = ?%2)")
            .arg(unitColumn)
            .arg(params.size());
    }
};
const EveryUnit kEveryUnit;
// The system, for what a plugin's rule writes on its own: every unit for every permission.
class SystemAccess final : public tessera::Access {
public:
    const tessera::Caller& caller() const override { return caller_; }
    bool can(const QString&) const override { return true; }
    const tessera::Scope& scope(const QString&) const override { return kEveryUnit; }

private:
    tessera::Caller caller_{0, QStringLiteral("system"), QString(), 0};
};
const SystemAccess kSystem;
}  // namespace

Result<tessera::Record> RecordCard::readAsSystem(qint64 id) {
    auto row = fetch(id, &kEveryUnit);
    if (!row) return row.error();
    if (row->isEmpty()) return tessera::Record{};
    return toJson(*row, nullptr);
}

// A body a plugin's rule writes as the system, read and checked as a client's would be
// (every unit reachable): the columns to write, with the card's errors in `errors`.
Result<ColumnValues> RecordCard::bodyAsSystem(tessera::Method method, const QJsonObject& body, const Row* stored, qint64 id,
                                              QList<FieldError>& errors) {
    Request r;
    r.method = method;
    r.body = body;
    r.scope = &kEveryUnit;
    r.access = &kSystem;
    ColumnValues values = readBody(r, stored, errors);
    if (errors.isEmpty())
        if (auto u = checkUnique(values, id, r, errors); !u) return u.error();
    return values;
}

Status RecordCard::changeAsSystem(qint64 id, const tessera::Record& fields) {
    auto row = fetch(id, &kEveryUnit);
    if (!row) return row.error();
    if (row->isEmpty()) return Error{QStringLiteral("record.not_found"), tessera::text("%1 %2 does not exist", cardName(card_), id)};
    auto stored = toJson(*row, nullptr);
    if (!stored) return stored.error();
    QJsonObject body = *stored;
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it) body.insert(it.key(), it.value());
    QList<FieldError> errors;
    auto values = bodyAsSystem(tessera::Method::Put, body, &*row, id, errors);
    if (!values) return values.error();
    if (!errors.isEmpty())
        return Error{QStringLiteral("record.invalid"),
                     tessera::text("%1 %2: %3 %4", cardName(card_), id, errors.front().field, errors.front().message),
                     errors.front().field};
    auto changed = write(id, row->value(QStringLiteral("version")).toLongLong(), *values, nowText(ctx_), *row, &kEveryUnit);
    if (!changed) return changed.error();
    if (*changed != 1) return Error{QStringLiteral("record.stale"), tessera::text("%1 %2 was changed meanwhile", cardName(card_), id)};
    return {};
}

Result<qint64> RecordCard::createAsSystem(const tessera::Record& fields) {
    QList<FieldError> errors;
    auto values = bodyAsSystem(tessera::Method::Post, fields, nullptr, 0, errors);
    if (!values) return values.error();
    if (!errors.isEmpty())
        return Error{QStringLiteral("record.invalid"), errors.front().message, errors.front().field};  // the field says which
    return insert(*values, nowText(ctx_), &kEveryUnit);
}

RecordCard* RecordCards::find(const QString& key) const {
    for (const auto& c : cards_)
        if (c->key() == key) return c.get();
    return nullptr;
}

}  // namespace tessera::host
