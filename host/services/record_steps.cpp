// Workflows of served cards (docs/records.md, "Workflows"): the steps a record takes from
// state to state, each by whoever holds its permission at one of the record's units, with
// the fields it sets, its guard hook and its history; and the to-do list of the records
// waiting for a caller.

#include "services/records.hpp"

#include "identity/unit_labels.hpp"
#include "store/record_tables.hpp"

#include <tessera/params.hpp>

#include <QJsonArray>

#include <algorithm>

namespace tessera::host {

using tessera::FieldError;
using tessera::Params;
using tessera::Request;
using tessera::Response;
using tessera::Row;

namespace {

constexpr qint64 kMaxComment = 2000;
constexpr int kMaxTodoPage = 200;

QString commentKind(StepComment c) {
    switch (c) {
        case StepComment::Required:
            return QStringLiteral("required");
        case StepComment::None:
            return QStringLiteral("none");
        default:
            return QStringLiteral("optional");
    }
}

}  // namespace

QString labelOf(const LocalizedText& t, const QString& fallback) {
    if (t.zhCN.isEmpty() && t.en.isEmpty()) return fallback;
    return tessera::localized(t.zhCN.isEmpty() ? t.en : t.zhCN, t.en.isEmpty() ? t.zhCN : t.en);
}

QString RecordCard::permissionLabel(const QString& permission) const {
    for (const PermissionDecl& p : manifest_.permissions)
        if (p.id == permission) return labelOf(p.label, p.id);
    return permission;
}

std::pair<QString, QString> RecordCard::whoMay(const QString& permission, const FieldDecl& unitField, const Row& row,
                                               const tessera::Access* access) {
    const QString who = permissionLabel(permission);
    auto json = toJson(row, access);
    const QString unitName = !json                 ? QString()
                             : &unitField == unit_ ? json->value(QStringLiteral("unitName")).toString()
                                                   : json->value(QStringLiteral("labels")).toObject().value(unitField.name).toString();
    return {who, unitName.isEmpty() ? tessera::text("the unit of %1", labelOf(unitField.label, unitField.name)) : unitName};
}

bool RecordCard::isTheOneFor(const StepDecl& step, const Row& row, const tessera::Access& access) const {
    if (step.byField.isEmpty()) return true;
    // A record that names no one (kept from before the field was a person's) is the step's
    // to every holder of its permission, as it was then.
    const QVariant named = row.value(card_.field(step.byField)->column);
    return named.isNull() || named.toLongLong() == access.caller().userId;
}

QString RecordCard::stateLabel(const QString& code) const {
    const FieldDecl* f = card_.field(card_.workflow.field);
    for (const auto& d : manifest_.dictionaries)
        if (d.id == f->dictionary)
            if (const DictionaryItem* item = d.item(code)) return labelOf(item->label, code);
    return code;
}

QString RecordCard::stepLabel(const StepDecl& step) const { return labelOf(step.label, step.id); }

QJsonObject RecordCard::stepJson(const StepDecl& step) const {
    QJsonArray fields, mustFill;
    for (const QString& f : step.fields) fields.append(f);
    for (const QString& f : step.mustFill) mustFill.append(f);
    QJsonObject o{{QStringLiteral("id"), step.id},          {QStringLiteral("label"), stepLabel(step)},
                  {QStringLiteral("to"), step.to},          {QStringLiteral("toLabel"), stateLabel(step.to)},
                  {QStringLiteral("unit"), step.unitField}, {QStringLiteral("fields"), fields},
                  {QStringLiteral("requires"), mustFill},   {QStringLiteral("comment"), commentKind(step.comment)}};
    if (!step.dateField.isEmpty()) o.insert(QStringLiteral("date"), step.dateField);
    return o;
}

std::vector<const StepDecl*> RecordCard::openSteps(const Row& row, const tessera::Access* access) const {
    std::vector<const StepDecl*> out;
    if (!access || !card_.workflow.declared()) return out;
    const QString state = row.value(card_.field(card_.workflow.field)->column).toString();
    for (const StepDecl& step : card_.workflow.steps) {
        if (!step.from.contains(state)) continue;
        const qint64 unit = row.value(card_.field(step.unitField)->column).toLongLong();
        if (access->scope(step.permission).contains(unit) && isTheOneFor(step, row, *access)) out.push_back(&step);
    }
    return out;
}

// GET <resource>/{id}/steps: the record's state, the steps the caller may take now, and
// every step taken so far.
Response RecordCard::steps(const Request& r) {
    Row row;
    if (auto refused = readRecord(r, row)) return *refused;
    const qint64 id = row.value(QStringLiteral("id")).toLongLong();
    auto taken = ctx_.database().query(QStringLiteral("SELECT step, from_state, to_state, username, display_name, at, comment, version "
                                                      "FROM core_record_steps WHERE card = ?1 AND record_id = ?2 ORDER BY id"),
                                       {key(), id});
    if (!taken) return storageError(taken.error());
    QJsonArray history;
    for (const Row& t : *taken) {
        const QString stepId = t.value(QStringLiteral("step")).toString();
        const StepDecl* step = card_.workflow.step(stepId);
        const QString from = t.value(QStringLiteral("from_state")).toString(), to = t.value(QStringLiteral("to_state")).toString();
        const QString name = t.value(QStringLiteral("display_name")).toString();
        history.append(QJsonObject{{QStringLiteral("step"), stepId},
                                   {QStringLiteral("label"), step ? stepLabel(*step) : stepId},
                                   {QStringLiteral("from"), from},
                                   {QStringLiteral("fromLabel"), stateLabel(from)},
                                   {QStringLiteral("to"), to},
                                   {QStringLiteral("toLabel"), stateLabel(to)},
                                   {QStringLiteral("by"), name.isEmpty() ? t.value(QStringLiteral("username")).toString() : name},
                                   {QStringLiteral("at"), peopleTime(t.value(QStringLiteral("at")))},
                                   {QStringLiteral("comment"), t.value(QStringLiteral("comment")).toString()},
                                   {QStringLiteral("version"), t.value(QStringLiteral("version")).toLongLong()}});
    }
    QJsonArray open;
    for (const StepDecl* step : openSteps(row, r.access)) open.append(stepJson(*step));
    const QString state = row.value(card_.field(card_.workflow.field)->column).toString();
    return Response::json(QJsonObject{{QStringLiteral("state"), state},
                                      {QStringLiteral("stateLabel"), stateLabel(state)},
                                      {QStringLiteral("version"), row.value(QStringLiteral("version")).toLongLong()},
                                      {QStringLiteral("steps"), open},
                                      {QStringLiteral("history"), history}});
}

// POST <resource>/{id}/steps/{step}: takes the step, with the fields it sets and a comment,
// at the version the caller read (If-Match or "version"), as an update is.
Response RecordCard::takeStep(const Request& r) {
    const auto id = tessera::idParam(r);
    if (!id) return noSuchRecord(r.param(QStringLiteral("id")));
    // The record must be one the caller may read before anything about it is said.
    auto existing = fetch(*id, r.scope, Reach::Shared);
    if (!existing) return storageError(existing.error());
    if (existing->isEmpty()) return noSuchRecord(r.param(QStringLiteral("id")));
    const Row& stored = *existing;
    const StepDecl* step = card_.workflow.step(r.param(QStringLiteral("step")));
    if (!step) return Response::notFound(tessera::text("%1 has no step '%2'", cardName(card_), r.param(QStringLiteral("step"))));
    const FieldDecl* stateField = card_.field(card_.workflow.field);
    const QString state = stored.value(stateField->column).toString();
    const QString to = step->to.isEmpty() ? state : step->to;
    auto storedJson = toJson(stored, r.access);
    if (!storedJson) return storageError(storedJson.error());

    // Who may take it: the step's permission at the record's unit it names.
    const FieldDecl* unitField = card_.field(step->unitField);
    const qint64 unit = stored.value(unitField->column).toLongLong();
    if (!r.access || !r.access->scope(step->permission).contains(unit)) {
        const auto [permission, where] = whoMay(step->permission, *unitField, stored, r.access);
        return Response::error(403, tessera::text("Forbidden"),
                               tessera::text("only someone who may %1 at %2 takes the step %3 of %4 %5", permission, where,
                                             stepLabel(*step), cardName(card_), recordName(stored)));
    }
    if (!isTheOneFor(*step, stored, *r.access)) {
        const FieldDecl* by = card_.field(step->byField);
        return Response::error(403, tessera::text("Forbidden"),
                               tessera::text("only the %1 of %2 %3 takes the step %4", labelOf(by->label, by->name), cardName(card_),
                                             recordName(stored), stepLabel(*step)));
    }
    if (!step->from.contains(state)) {
        QStringList from;
        for (const QString& s : step->from) from << stateLabel(s);
        return Response::error(409, tessera::text("Conflict"),
                               tessera::text("%1 %2 is %3; the step %4 is taken only from %5", cardName(card_), recordName(stored),
                                             stateLabel(state), stepLabel(*step), from.join(u'/')))
            .withHeader("ETag", tessera::versionETag(stored.value(QStringLiteral("version")).toLongLong()));
    }

    QList<FieldError> errors;
    QJsonObject body;
    if (r.body.isObject())
        body = r.body.toObject();
    else if (!r.body.isNull() && !r.body.isUndefined())
        errors.append({QStringLiteral("(body)"), tessera::text("expected a JSON object with the fields of the step %1", stepLabel(*step))});
    for (auto it = body.constBegin(); it != body.constEnd(); ++it) {
        if (it.key() == u"comment" || it.key() == u"version" || step->fields.contains(it.key())) continue;
        errors.append({it.key(), byName_.contains(it.key()) ? tessera::text("is not set by the step %1", stepLabel(*step))
                                                            : tessera::text("unknown field")});
    }
    const auto expected = tessera::expectedVersion(r, errors);
    const QDate today = ctx_.clock().now().toLocalTime().date();
    ColumnValues values(columns_);  // column -> value
    for (const QString& name : step->fields) {
        const FieldDecl* f = card_.field(name);
        const QJsonValue v = body.value(name);
        const bool absent = v.isUndefined() || v.isNull() || (v.isString() && v.toString().trimmed().isEmpty());
        if (absent) {
            if (name == step->dateField)
                values.insert(f->column, today.toString(Qt::ISODate));
            else if (body.contains(name))
                values.insert(f->column, emptyValue(*f));
            continue;
        }
        if (auto value = readValue(*f, v, f->name, today, errors)) {
            values.insert(f->column, *value);
            if (hasSortKey(*f)) values.insert(sortKeyColumn(*f), ctx_.sortKey(value->toString()));
        }
    }
    checkReferences(values, &stored, r, {}, errors);
    checkUsers(values, &stored, r, errors);
    for (const QString& name : step->mustFill) {
        const FieldDecl* f = card_.field(name);
        const QVariant v = values.contains(f->column) ? values.value(f->column) : stored.value(f->column);
        const bool reported = std::any_of(errors.begin(), errors.end(), [&](const FieldError& e) { return e.field == name; });
        if (isStoredEmpty(*f, v) && !reported) errors.append({name, tessera::text("is required to %1", stepLabel(*step))});
    }
    const QJsonValue commentValue = body.value(QStringLiteral("comment"));
    QString comment;
    if (!commentValue.isUndefined() && !commentValue.isNull() && !commentValue.isString())
        errors.append({QStringLiteral("comment"), tessera::text("must be a string")});
    else {
        comment = commentValue.toString().trimmed();
        const qint64 length = comment.toUcs4().size();
        if (step->comment == StepComment::Required && comment.isEmpty())
            errors.append({QStringLiteral("comment"), tessera::text("is required to %1", stepLabel(*step))});
        else if (step->comment == StepComment::None && !comment.isEmpty())
            errors.append({QStringLiteral("comment"), tessera::text("the step %1 takes no comment", stepLabel(*step))});
        else if (length > kMaxComment)
            errors.append({QStringLiteral("comment"), tessera::text("is %1 characters long; at most %2 are allowed", length, kMaxComment)});
    }
    // The plugin's rules, on the record as the step leaves it.
    tessera::Record draft = *storedJson;
    if (errors.isEmpty() && hooks_ && hooks_->guard) {
        for (const QString& name : step->fields) {
            const FieldDecl* f = card_.field(name);
            if (values.contains(f->column)) draft.insert(name, jsonOf(*f, values.value(f->column)));
        }
        draft.insert(stateField->name, to);
        errors.append(hooks_->guard(step->id, draft, *storedJson, r, ctx_));
    }
    if (!errors.isEmpty()) return Response::invalid(errors);
    if (!expected)
        return Response::error(428, tessera::text("Precondition Required"),
                               tessera::text("send If-Match with the ETag you read, or the \"version\" field, so that a step is never "
                                             "taken on a record that changed since"));

    values.insert(stateField->column, to);
    const QString now = nowText(ctx_);
    bool stale = false, missing = false;
    qint64 current = 0;
    tessera::Status s = ctx_.database().transaction([&]() -> tessera::Status {
        if (auto u = checkUnique(values, *id, r, errors); !u) return u;
        if (!errors.isEmpty()) return {};
        auto w = updateRow(*id, expected->version, values, now);
        if (!w) return w.error();
        if (w->changes != 1) {
            auto row = ctx_.database().queryOne(QStringLiteral("SELECT version FROM %1 WHERE id = ?1").arg(card_.table), {*id});
            if (!row) return row.error();
            missing = row->isEmpty();
            stale = !missing;
            current = row->value(QStringLiteral("version")).toLongLong();
            return {};
        }
        const tessera::Caller& caller = r.access->caller();
        auto logged = ctx_.database().execute(
            QStringLiteral(
                "INSERT INTO core_record_steps(card, record_id, step, from_state, to_state, user_id, username, display_name, at, "
                "comment, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
            {key(), *id, step->id, state, to, caller.userId ? QVariant(caller.userId) : QVariant(), caller.username, caller.displayName,
             now, comment, expected->version + 1});
        if (!logged) return logged.error();
        const QJsonObject event{
            {QStringLiteral("id"), *id}, {QStringLiteral("step"), step->id}, {QStringLiteral("from"), state}, {QStringLiteral("to"), to}};
        if (auto p = ctx_.events().publish(card_.events + u'.' + step->id, event); !p) return p.error();
        if (hooks_ && hooks_->afterStep) {
            auto saved =
                ctx_.database().queryOne(QStringLiteral("SELECT %1 FROM %2 WHERE id = ?1").arg(selectColumns(), card_.table), {*id});
            if (!saved) return saved.error();
            auto savedJson = toJson(*saved, nullptr);
            if (!savedJson) return savedJson.error();
            auto before = toJson(stored, nullptr);
            if (!before) return before.error();
            if (auto a = hooks_->afterStep(step->id, *savedJson, *before, r, ctx_); !a) return a.error();
        }
        return {};
    });
    if (!s)
        return s.error().field.isEmpty() ? storageError(s.error()) : Response::fromError(s.error());  // a hook's refusal names its field
    if (!errors.isEmpty()) return Response::invalid(errors);
    if (missing) return noSuchRecord(r.param(QStringLiteral("id")));
    if (stale)
        return Response::error(expected->staleStatus(),
                               expected->fromIfMatch ? tessera::text("Precondition Failed") : tessera::text("Conflict"),
                               tessera::text("%1 %2 was changed by someone else (you read version %3, it is now version %4); "
                                             "reload it and see whether the step %5 is still to be taken",
                                             cardName(card_), recordName(stored), expected->version, current, stepLabel(*step)))
            .withHeader("ETag", tessera::versionETag(current));
    auto row = fetch(*id, r.scope, Reach::Shared);
    if (!row) return storageError(row.error());
    if (row->isEmpty()) return noSuchRecord(r.param(QStringLiteral("id")));
    auto json = toJson(*row, r.access);
    if (!json) return storageError(json.error());
    addWarnings(*json, &*storedJson, r);  // what the step leaves to be looked at, as a save does
    return Response::json(*json).withHeader("ETag", tessera::versionETag(row->value(QStringLiteral("version")).toLongLong()));
}

// ---------------------------------------------------------------------------------------
// The to-do list: records in a state some step leaves (todo="true"), at a unit of theirs
// where the caller holds that step's permission.

QString RecordCard::waitingCondition(const tessera::Access& access, Params& params, qint64 atUnit) const {
    QStringList any;
    const QString state = card_.field(card_.workflow.field)->column;
    for (const StepDecl& step : card_.workflow.steps) {
        if (!step.todo) continue;
        const tessera::Scope& scope = access.scope(step.permission);
        if (scope.empty() || (atUnit && !scope.contains(atUnit))) continue;
        QStringList marks;
        for (const QString& s : step.from) {
            params.push_back(s);
            marks << QStringLiteral("?%1").arg(params.size());
        }
        const QString column = card_.field(step.unitField)->column;
        QString where;
        if (atUnit) {
            params.push_back(atUnit);
            where = QStringLiteral("%1 = ?%2").arg(column).arg(params.size());
        } else {
            where = scope.condition(column, params);
        }
        if (!step.byField.isEmpty()) {  // only the user the record names
            params.push_back(access.caller().userId);
            where += QStringLiteral(" AND (%1 = ?%2 OR %1 IS NULL)").arg(card_.field(step.byField)->column).arg(params.size());
        }
        any << QStringLiteral("(%1 IN (%2) AND %3)").arg(state, marks.join(u','), where);
    }
    return any.join(QStringLiteral(" OR "));
}

Result<RecordCard::Waiting> RecordCard::waiting(const tessera::Access& access, int limit) {
    Waiting out;
    if (!card_.workflow.declared()) return out;
    Params params;
    const QString where = waitingCondition(access, params, 0);
    if (where.isEmpty()) return out;
    auto n = ctx_.database().queryOne(QStringLiteral("SELECT count(*) AS n FROM %1 WHERE %2").arg(card_.table, where), params);
    if (!n) return n.error();
    out.total = n->value(QStringLiteral("n")).toLongLong();
    if (!out.total || limit <= 0) return out;
    auto rows = ctx_.database().query(
        QStringLiteral("SELECT %1 FROM %2 WHERE %3 ORDER BY updated_at, id LIMIT %4").arg(selectColumns(), card_.table, where).arg(limit),
        params);
    if (!rows) return rows.error();
    auto json = toJson(*rows, &access);
    if (!json) return json.error();
    const FieldDecl* title = card_.titleField.isEmpty() ? nullptr : card_.field(card_.titleField);
    const QString stateColumn = card_.field(card_.workflow.field)->column;
    for (std::size_t i = 0; i < rows->size(); ++i) {
        const Row& row = (*rows)[i];
        const QJsonObject& record = (*json)[qsizetype(i)];
        QJsonArray open;
        for (const StepDecl* step : openSteps(row, &access))
            if (step->todo) open.append(QJsonObject{{QStringLiteral("id"), step->id}, {QStringLiteral("label"), stepLabel(*step)}});
        const QString state = row.value(stateColumn).toString();
        out.items.emplace_back(row.value(QStringLiteral("updated_at")).toString(),
                               QJsonObject{{QStringLiteral("plugin"), pluginId_},
                                           {QStringLiteral("card"), card_.id},
                                           {QStringLiteral("resource"), card_.resource},
                                           {QStringLiteral("cardLabel"), cardName(card_)},
                                           {QStringLiteral("id"), record.value(QStringLiteral("id"))},
                                           {QStringLiteral("title"), title ? record.value(title->name) : QJsonValue()},
                                           {QStringLiteral("state"), state},
                                           {QStringLiteral("stateLabel"), stateLabel(state)},
                                           {QStringLiteral("unitName"), record.value(QStringLiteral("unitName"))},
                                           {QStringLiteral("unitPath"), record.value(QStringLiteral("unitPath"))},
                                           {QStringLiteral("labels"), record.value(QStringLiteral("labels"))},
                                           {QStringLiteral("since"), peopleTime(row.value(QStringLiteral("updated_at")))},
                                           {QStringLiteral("steps"), open}});
    }
    return out;
}

Result<std::vector<tessera::Reminder>> RecordCard::waitingAt(const tessera::Access& access, qint64 unitId) {
    std::vector<tessera::Reminder> out;
    if (!card_.workflow.declared() || !unitId) return out;
    Params params;
    const QString where = waitingCondition(access, params, unitId);
    if (where.isEmpty()) return out;
    const QString state = card_.field(card_.workflow.field)->column;
    auto rows = ctx_.database().query(
        QStringLiteral("SELECT %1 AS state, count(*) AS n FROM %2 WHERE %3 GROUP BY %1 ORDER BY %1").arg(state, card_.table, where),
        params);
    if (!rows) return rows.error();
    for (const Row& row : *rows)
        out.push_back({tessera::text("%1 %2 %3, waiting for you", row.value(QStringLiteral("n")).toLongLong(), cardName(card_),
                                     stateLabel(row.value(QStringLiteral("state")).toString())),
                       QStringLiteral("warning"), QStringLiteral("/todo"), QDate()});
    return out;
}

Response RecordCards::todo(const Request& r) {
    QList<FieldError> errors;
    tessera::refuseUnknownParams(r, {QStringLiteral("page"), QStringLiteral("size")}, errors);
    const int size = static_cast<int>(tessera::wholeNumberParam(r, QStringLiteral("size"), 20, 1, kMaxTodoPage, errors));
    const int page = static_cast<int>(tessera::wholeNumberParam(r, QStringLiteral("page"), 1, 1, 10000, errors));
    if (!errors.isEmpty()) return Response::invalid(errors);
    if (!r.access)
        return Response::error(
            401, tessera::text("Unauthorized"),
            tessera::text("log in first (POST /api/v1/auth/login) or send an API token (Authorization: Bearer ...); a session "
                          "that expired must log in again"));
    qint64 total = 0;
    std::vector<std::pair<QString, QJsonObject>> items;
    const int wanted = page * size;
    for (const auto& card : cards_) {
        auto w = card->waiting(*r.access, wanted);
        if (!w) {
            card->ctx_.log().error(QStringLiteral("%1: to-do list: %2").arg(card->key(), w.error().message));
            return Response::storageFailure(w.error(), tessera::text("the to-do list could not be read"));
        }
        total += w->total;
        for (auto& item : w->items) items.push_back(std::move(item));
    }
    // What has waited longest first, across cards; ties by card and id, so that pages neither
    // repeat nor skip.
    std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
        if (a.first != b.first) return a.first < b.first;
        const QString ka = a.second.value(QStringLiteral("plugin")).toString() + u'/' + a.second.value(QStringLiteral("card")).toString();
        const QString kb = b.second.value(QStringLiteral("plugin")).toString() + u'/' + b.second.value(QStringLiteral("card")).toString();
        if (ka != kb) return ka < kb;
        return a.second.value(QStringLiteral("id")).toInteger() < b.second.value(QStringLiteral("id")).toInteger();
    });
    QJsonArray out;
    for (std::size_t i = std::size_t(page - 1) * std::size_t(size); i < items.size() && out.size() < size; ++i) out.append(items[i].second);
    return Response::json(QJsonObject{
        {QStringLiteral("items"), out}, {QStringLiteral("total"), total}, {QStringLiteral("page"), page}, {QStringLiteral("size"), size}});
}

// GET /api/v1/units/lookup?field=<plugin>/<card>/<field>&q=: the units a reach="tree" field
// may name (a transfer's destination is any organisation of the system), for its picker.
Response RecordCards::unitLookup(const Request& r) {
    constexpr int kMaxQuery = 50, kMaxUnits = 20;
    QList<FieldError> errors;
    tessera::refuseUnknownParams(r, {QStringLiteral("field"), QStringLiteral("q")}, errors);
    const QString key = r.queryValue(QStringLiteral("field"));
    RecordCard* card = find(key.section(u'/', 0, 1));
    const FieldDecl* f = card ? card->card().field(key.section(u'/', 2)) : nullptr;
    if (!f || f->kind != FieldKind::Unit || !f->anyUnit)
        errors.append({QStringLiteral("field"), tessera::text("must name a unit field that may name any unit of the tree, like %1",
                                                              QStringLiteral("party.transfer/transfer/toUnitId"))});
    const QString q = r.queryValue(QStringLiteral("q")).trimmed();
    if (q.isEmpty())
        errors.append({QStringLiteral("q"), tessera::text("is required")});
    else if (q.size() > kMaxQuery)
        errors.append({QStringLiteral("q"), tessera::text("is %1 characters long; at most %2 are allowed", q.size(), kMaxQuery)});
    if (!errors.isEmpty()) return Response::invalid(errors);
    // Only who may write such records learns the tree's names this way.
    if (!r.access || !r.access->can(card->card().writePermission))
        return Response::error(403, tessera::text("Forbidden"),
                               tessera::text("you do not have the permission %1", card->card().writePermission));
    tessera::Database& db = card->ctx_.database();
    auto rows = db.query(
        QStringLiteral("SELECT id FROM core_units WHERE name LIKE ?1 ESCAPE '\\' OR code LIKE ?1 ESCAPE '\\' ORDER BY path LIMIT %1")
            .arg(kMaxUnits),
        {tessera::likeContaining(q)});
    if (!rows) return Response::storageFailure(rows.error(), tessera::text("the units could not be read"));
    QList<qint64> ids;
    for (const Row& row : *rows) ids << row.value(QStringLiteral("id")).toLongLong();
    auto labels = UnitLabels(db, nullptr).labels(ids);
    if (!labels) return Response::storageFailure(labels.error(), tessera::text("the units could not be read"));
    QJsonArray items;
    for (qint64 id : ids) {
        const auto label = labels->constFind(id);
        if (label == labels->constEnd()) continue;
        items.append(QJsonObject{{QStringLiteral("id"), id},
                                 {QStringLiteral("name"), label->names.value(label->names.size() - 1)},
                                 {QStringLiteral("path"), label->full()}});
    }
    return Response::json(QJsonObject{{QStringLiteral("items"), items}});
}

Result<std::vector<tessera::Reminder>> RecordCards::reminders(const tessera::Access& access, qint64 unitId) {
    std::vector<tessera::Reminder> out;
    for (const auto& card : cards_) {
        auto found = card->waitingAt(access, unitId);
        if (!found) return found.error();
        out.insert(out.end(), found->begin(), found->end());
    }
    return out;
}

}  // namespace tessera::host
