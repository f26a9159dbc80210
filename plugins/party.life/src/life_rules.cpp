#include "life_rules.hpp"

#include <QDate>
#include <QHash>
#include <QJsonArray>
#include <QSet>
#include <QUrlQuery>

namespace party::life {

namespace {

using tessera::FieldError;
using tessera::Record;

qint64 number(const Record& r, const char* field) { return r.value(QLatin1String(field)).toInteger(); }
QString iso(const QDate& d) { return d.toString(Qt::ISODate); }

const QStringList kKinds{QStringLiteral("general"),   QStringLiteral("committee"),    QStringLiteral("group"),    QStringLiteral("lecture"),
                         QStringLiteral("theme-day"), QStringLiteral("life-meeting"), QStringLiteral("appraisal")};

// A member as the roster knows them: their name, unit, and whether they are on a roll.
struct Person {
    QString name;
    qint64 unitId = 0;
    bool onRoll = false;
};

tessera::Result<Person> personOf(qint64 memberId, tessera::Context& ctx) {
    auto row = ctx.database().queryOne(QStringLiteral("SELECT name, unit_id, left_date FROM party_members WHERE id = ?1"), {memberId});
    if (!row) return row.error();
    if (row->isEmpty()) return Person{};
    return Person{row->value(QStringLiteral("name")).toString(), row->value(QStringLiteral("unit_id")).toLongLong(),
                  row->value(QStringLiteral("left_date")).isNull()};
}

// The members flowing in to `unitId` now (party.flow: away from home, hosted there).
tessera::Result<QSet<qint64>> flowingIn(qint64 unitId, tessera::Context& ctx) {
    auto rows = ctx.database().query(QStringLiteral("SELECT member_id FROM party_flows WHERE to_unit_id = ?1 AND state = 'out'"), {unitId});
    if (!rows) return rows.error();
    QSet<qint64> out;
    for (const auto& row : *rows) out.insert(row.value(QStringLiteral("member_id")).toLongLong());
    return out;
}

// The year a stats route or section is about: ?year=, else this one.
int yearOf(const tessera::Request& r, tessera::Context& ctx, QList<FieldError>& errors) {
    const int thisYear = ctx.clock().now().toLocalTime().date().year();
    return static_cast<int>(tessera::wholeNumberParam(r, QStringLiteral("year"), thisYear, 2000, thisYear + 1, errors));
}

// The meetings of a year in the caller's scope, in the picked unit and below: SQL with params.
struct YearQuery {
    QString where;
    tessera::Params params;
};
YearQuery meetingsOfYear(const tessera::Request& r, int year, qint64 unit) {
    YearQuery q{QStringLiteral(" WHERE held_on >= ?1 AND held_on <= ?2 AND "),
                {QStringLiteral("%1-01-01").arg(year), QStringLiteral("%1-12-31").arg(year)}};
    q.where += unit ? r.scope->conditionWithin(QStringLiteral("unit_id"), unit, q.params)
                    : r.scope->condition(QStringLiteral("unit_id"), q.params);
    return q;
}

}  // namespace

void deriveMeeting(Record& draft, const Record* stored, tessera::Context& ctx) {
    if (stored) draft.insert(QStringLiteral("unitId"), stored->value(QStringLiteral("unitId")));
    const qint64 unitId = number(draft, "unitId");
    QJsonArray rows = draft.value(QStringLiteral("attendance")).toArray();
    auto flowing = flowingIn(unitId, ctx);
    if (!flowing) return;  // the rules say it could not be checked
    if (!stored && rows.isEmpty() && unitId > 0) {
        // Everyone the meeting is for, present until the clerk says otherwise.
        auto members = ctx.database().query(
            QStringLiteral("SELECT id FROM party_members WHERE unit_id = ?1 AND left_date IS NULL ORDER BY name_sort, id"), {unitId});
        if (!members) return;
        for (const auto& m : *members)
            rows.append(QJsonObject{{QStringLiteral("memberId"), m.value(QStringLiteral("id")).toLongLong()},
                                    {QStringLiteral("status"), QStringLiteral("present")}});
        for (const qint64 id : *flowing)
            rows.append(QJsonObject{{QStringLiteral("memberId"), id}, {QStringLiteral("status"), QStringLiteral("present")}});
    }
    qint64 expected = 0, present = 0, leave = 0, absent = 0;
    for (auto&& value : rows) {
        QJsonObject row = value.toObject();
        const qint64 id = row.value(QStringLiteral("memberId")).toInteger();
        auto person = personOf(id, ctx);
        if (person && !person->name.isEmpty()) row.insert(QStringLiteral("name"), person->name);
        const bool guest = flowing->contains(id) && !(person && person->onRoll && tessera::unitWithin(ctx.units(), person->unitId, unitId));
        row.insert(QStringLiteral("flowingIn"), guest);
        value = row;
        if (guest) continue;  // attends, without a vote: not counted among the organisation's own
        ++expected;
        const QString status = row.value(QStringLiteral("status")).toString();
        if (status == u"present")
            ++present;
        else if (status == u"leave")
            ++leave;
        else if (status == u"absent")
            ++absent;
    }
    draft.insert(QStringLiteral("attendance"), rows);
    draft.insert(QStringLiteral("expected"), expected);
    draft.insert(QStringLiteral("present"), present);
    draft.insert(QStringLiteral("onLeave"), leave);
    draft.insert(QStringLiteral("absent"), absent);
}

QList<FieldError> checkMeeting(const Record& draft, const Record* stored, tessera::Context& ctx) {
    QList<FieldError> errors;
    const qint64 unitId = number(draft, "unitId");
    auto flowing = flowingIn(unitId, ctx);
    if (!flowing) return {{QStringLiteral("attendance"), tessera::text("could not be checked: %1", flowing.error().message)}};
    QSet<qint64> listedBefore;
    if (stored)
        for (const auto& v : stored->value(QStringLiteral("attendance")).toArray())
            listedBefore.insert(v.toObject().value(QStringLiteral("memberId")).toInteger());
    const QString unitName = tessera::unitPath(ctx.units(), unitId);
    QHash<qint64, QString> statusOf;
    const QJsonArray rows = draft.value(QStringLiteral("attendance")).toArray();
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const QJsonObject row = rows[i].toObject();
        const QString at = QStringLiteral("attendance[%1]").arg(i);
        const qint64 id = row.value(QStringLiteral("memberId")).toInteger();
        auto person = personOf(id, ctx);
        if (!person) return {{at + QStringLiteral(".memberId"), tessera::text("could not be checked: %1", person.error().message)}};
        const QString name = person->name.isEmpty() ? QString::number(id) : person->name;
        if (statusOf.contains(id)) errors.append({at + QStringLiteral(".memberId"), tessera::text("%1 is listed twice", name)});
        statusOf.insert(id, row.value(QStringLiteral("status")).toString());
        // Someone listed at a meeting already recorded stays on it after moving or leaving.
        const bool member = person->onRoll && tessera::unitWithin(ctx.units(), person->unitId, unitId);
        if (!listedBefore.contains(id) && !member && !flowing->contains(id))
            errors.append({at + QStringLiteral(".memberId"),
                           person->name.isEmpty() ? tessera::text("is no member")
                                                  : tessera::text("%1 is neither on the roll of %2 nor flowing in to it", name, unitName)});
        if (row.value(QStringLiteral("status")).toString() == u"leave" &&
            row.value(QStringLiteral("reason")).toString().trimmed().isEmpty())
            errors.append({at + QStringLiteral(".reason"), tessera::text("is required for a member on leave")});
    }
    for (const char* field : {"chairedBy", "recordedBy"}) {
        const qint64 id = number(draft, field);
        if (id > 0 && statusOf.value(id) != u"present") {
            auto person = personOf(id, ctx);
            errors.append({QLatin1String(field), tessera::text("%1 is not among those present",
                                                               person && !person->name.isEmpty() ? person->name : QString::number(id))});
        }
    }
    return errors;
}

tessera::Response meetingsByKind(const tessera::Request& r, tessera::Context& ctx) {
    QList<FieldError> errors;
    tessera::refuseUnknownParams(r, {QStringLiteral("unit"), QStringLiteral("year")}, errors);
    const int year = yearOf(r, ctx, errors);
    const qint64 unit = tessera::wholeNumberParam(r, QStringLiteral("unit"), 0, 1, std::numeric_limits<qint64>::max(), errors);
    if (!errors.isEmpty()) return tessera::Response::invalid(errors);
    YearQuery q = meetingsOfYear(r, year, unit);
    auto rows = ctx.database().query(
        QStringLiteral("SELECT kind, count(*) AS n FROM party_meetings") + q.where + QStringLiteral(" GROUP BY kind"), q.params);
    if (!rows) return tessera::Response::storageFailure(rows.error(), tessera::text("the meetings could not be counted"));
    QHash<QString, qint64> counts;
    for (const auto& row : *rows) counts.insert(row.value(QStringLiteral("kind")).toString(), row.value(QStringLiteral("n")).toLongLong());
    const auto labels = ctx.dictionary(QStringLiteral("meeting-kind"));
    QJsonArray items;
    qint64 total = 0;
    for (const QString& kind : kKinds) {
        total += counts.value(kind);
        items.append(QJsonObject{
            {QStringLiteral("key"), kind}, {QStringLiteral("label"), labels.value(kind)}, {QStringLiteral("value"), counts.value(kind)}});
    }
    return tessera::Response::json(QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("total"), total}});
}

tessera::Response meetingsByQuarter(const tessera::Request& r, tessera::Context& ctx) {
    QList<FieldError> errors;
    tessera::refuseUnknownParams(r, {QStringLiteral("unit"), QStringLiteral("year"), QStringLiteral("kind")}, errors);
    const int year = yearOf(r, ctx, errors);
    const qint64 unit = tessera::wholeNumberParam(r, QStringLiteral("unit"), 0, 1, std::numeric_limits<qint64>::max(), errors);
    const QString kind = r.queryValue(QStringLiteral("kind"));
    if (!kind.isEmpty() && !kKinds.contains(kind))
        errors.append({QStringLiteral("kind"), tessera::text("'%1' is not a kind of meeting", kind)});
    if (!errors.isEmpty()) return tessera::Response::invalid(errors);
    YearQuery q = meetingsOfYear(r, year, unit);
    q.params.push_back(kind);
    q.where += QStringLiteral(" AND (?%1 = '' OR kind = ?%1)").arg(q.params.size());
    auto rows = ctx.database().query(
        QStringLiteral("SELECT (CAST(substr(held_on, 6, 2) AS INTEGER) + 2) / 3 AS quarter, count(*) AS n FROM party_meetings") + q.where +
            QStringLiteral(" GROUP BY quarter"),
        q.params);
    if (!rows) return tessera::Response::storageFailure(rows.error(), tessera::text("the meetings could not be counted"));
    QHash<int, qint64> counts;
    for (const auto& row : *rows) counts.insert(row.value(QStringLiteral("quarter")).toInt(), row.value(QStringLiteral("n")).toLongLong());
    QJsonArray items;
    qint64 total = 0;
    for (int quarter = 1; quarter <= 4; ++quarter) {
        total += counts.value(quarter);
        items.append(QJsonObject{{QStringLiteral("key"), QStringLiteral("%1-Q%2").arg(year).arg(quarter)},
                                 {QStringLiteral("label"), tessera::text("quarter %1", quarter)},
                                 {QStringLiteral("value"), counts.value(quarter)}});
    }
    return tessera::Response::json(QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("total"), total}});
}

tessera::Result<QJsonArray> orgRhythm(qint64 orgId, const tessera::Request& r, tessera::Context& ctx) {
    const int year = ctx.clock().now().toLocalTime().date().year();
    YearQuery q = meetingsOfYear(r, year, orgId);
    auto rows = ctx.database().query(
        QStringLiteral("SELECT kind, (CAST(substr(held_on, 6, 2) AS INTEGER) + 2) / 3 AS quarter, count(*) AS n, max(held_on) AS last "
                       "FROM party_meetings") +
            q.where + QStringLiteral(" GROUP BY kind, quarter"),
        q.params);
    if (!rows) return rows.error();
    QHash<QString, QJsonObject> byKind;
    for (const auto& row : *rows) {
        QJsonObject& o = byKind[row.value(QStringLiteral("kind")).toString()];
        const qint64 n = row.value(QStringLiteral("n")).toLongLong();
        o.insert(QStringLiteral("q%1").arg(row.value(QStringLiteral("quarter")).toInt()), n);
        o.insert(QStringLiteral("year"), o.value(QStringLiteral("year")).toInteger() + n);
        if (row.value(QStringLiteral("last")).toString() > o.value(QStringLiteral("last")).toString())
            o.insert(QStringLiteral("last"), row.value(QStringLiteral("last")).toString());
    }
    const auto labels = ctx.dictionary(QStringLiteral("meeting-kind"));
    QJsonArray out;
    for (const QString& kind : kKinds) {
        QJsonObject o = byKind.value(kind);
        o.insert(QStringLiteral("kind"), labels.value(kind));
        for (const char* k : {"q1", "q2", "q3", "q4", "year"})
            if (!o.contains(QLatin1String(k))) o.insert(QLatin1String(k), 0);
        out.append(o);
    }
    return out;
}

tessera::Result<QJsonArray> memberMeetings(qint64 memberId, const tessera::Request& r, tessera::Context& ctx) {
    // A cheap test of the text first (the rows are compact JSON with sorted keys), then the rows.
    tessera::Params params{memberId, QStringLiteral("\"memberId\":%1,").arg(memberId)};
    const QString inScope = r.scope->condition(QStringLiteral("m.unit_id"), params);
    auto rows = ctx.database().query(
        QStringLiteral("SELECT m.id, m.held_on, m.kind, m.topic, json_extract(a.value, '$.status') AS status "
                       "FROM party_meetings m, json_each(m.attendance) a WHERE instr(m.attendance, ?2) > 0 "
                       "AND json_extract(a.value, '$.memberId') = ?1 AND %1 ORDER BY m.held_on DESC, m.id DESC LIMIT 200")
            .arg(inScope),
        params);
    if (!rows) return rows.error();
    const auto kinds = ctx.dictionary(QStringLiteral("meeting-kind"));
    const auto statuses = ctx.dictionary(QStringLiteral("attendance"));
    QJsonArray out;
    for (const auto& row : *rows)
        out.append(QJsonObject{{QStringLiteral("id"), row.value(QStringLiteral("id")).toLongLong()},
                               {QStringLiteral("heldOn"), row.value(QStringLiteral("held_on")).toString()},
                               {QStringLiteral("kind"), kinds.value(row.value(QStringLiteral("kind")).toString())},
                               {QStringLiteral("topic"), row.value(QStringLiteral("topic")).toString()},
                               {QStringLiteral("status"), statuses.value(row.value(QStringLiteral("status")).toString())}});
    return out;
}

tessera::Result<std::vector<tessera::Reminder>> branchesBehind(const tessera::ReminderRequest& r, tessera::Context& ctx) {
    struct Rule {
        const char* kind;
        const char* setting;
    };
    static const Rule rules[] = {{"general", "general-meeting-months"},
                                 {"committee", "committee-meeting-months"},
                                 {"group", "group-meeting-months"},
                                 {"lecture", "lecture-months"}};
    const auto labels = ctx.dictionary(QStringLiteral("meeting-kind"));
    const qint64 committeeFrom = ctx.setting(QStringLiteral("committee-from-members")).toInt();
    std::vector<tessera::Reminder> out;
    for (const Rule& rule : rules) {
        const int months = ctx.setting(QLatin1String(rule.setting)).toInt();
        if (months <= 0 || 12 % months != 0) continue;
        // The last whole period before the date, periods counted from January.
        const int period = (r.date.month() - 1) / months;
        const QDate thisStart(r.date.year(), period * months + 1, 1);
        const QDate start = thisStart.addMonths(-months), end = thisStart.addDays(-1);
        tessera::Params params{iso(start), iso(end), QString::fromLatin1(rule.kind), committeeFrom};
        QString which = QStringLiteral(
            "o.org_type IN ('branch', 'joint-branch') AND (o.setup_date IS NULL OR o.setup_date <= ?1) AND o.status <> 'dissolved'");
        if (QLatin1String(rule.kind) == QLatin1String("committee"))  // only a branch large enough has a committee
            which += QStringLiteral(
                " AND (SELECT count(*) FROM party_members p WHERE p.unit_id = o.unit_id AND p.left_date IS NULL "
                "AND p.category = 'formal') >= ?4");
        if (QLatin1String(rule.kind) == QLatin1String("group"))  // only a branch that holds group meetings has groups
            which += QStringLiteral(" AND EXISTS (SELECT 1 FROM party_meetings g WHERE g.unit_id = o.unit_id AND g.kind = 'group')");
        which += QStringLiteral(" AND ") + r.scope.conditionWithin(QStringLiteral("o.unit_id"), r.unitId, params);
        auto row = ctx.database().queryOne(
            QStringLiteral("SELECT count(*) AS n FROM party_orgs o WHERE %1 AND NOT EXISTS (SELECT 1 FROM party_meetings m "
                           "WHERE m.unit_id = o.unit_id AND m.kind = ?3 AND m.held_on >= ?1 AND m.held_on <= ?2)")
                .arg(which),
            params);
        if (!row) return row.error();
        if (const qint64 n = row->value(QStringLiteral("n")).toLongLong(); n > 0) {
            QUrlQuery link;
            link.addQueryItem(QStringLiteral("unit"), QString::number(r.unitId));
            link.addQueryItem(QStringLiteral("kind"), QString::fromLatin1(rule.kind));
            link.addQueryItem(QStringLiteral("heldOnFrom"), iso(start));
            link.addQueryItem(QStringLiteral("heldOnTo"), iso(end));
            out.push_back({tessera::text("%1 branches held no %2 from %3 to %4", n, labels.value(QString::fromLatin1(rule.kind)),
                                         iso(start), iso(end)),
                           QStringLiteral("warning"),
                           QStringLiteral("/m/party.life/meetings?") + link.toString(QUrl::FullyEncoded),
                           {}});
        }
    }
    return out;
}

}  // namespace party::life
