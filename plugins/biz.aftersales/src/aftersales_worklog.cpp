// biz.aftersales' work log and weekly summary: see aftersales_worklog.hpp.

#include "aftersales_worklog.hpp"
#include "aftersales_values.hpp"

#include <QDateTime>
#include <QJsonArray>

#include <limits>
#include <map>

namespace biz::aftersales {

using tessera::FieldError;
using tessera::Record;

namespace {


}  // namespace

void deriveWorklog(Record& draft, const Record* stored, tessera::Context& ctx) {
    (void)stored;
    // A day at a ticket: what its steps recorded, where the entry leaves it empty.
    QString ticketNo;
    if (const qint64 ticketId = number(draft, "ticketId"); ticketId > 0) {
        auto ticket = ctx.records().read(QStringLiteral("biz.aftersales/ticket"), ticketId);
        if (ticket && !ticket->isEmpty()) {
            ticketNo = text(*ticket, "ticketNo");
            const struct {
                const char* own;
                const char* fromTicket;
            } defaults[] = {{"arrivedAt", "arrivedAt"}, {"leftAt", "closedAt"}, {"work", "workDone"}, {"unitId", "unitId"}};
            for (const auto& d : defaults)
                if (text(draft, d.own).isEmpty() || (QLatin1String(d.own) == u"unitId" && number(draft, "unitId") <= 0))
                    if (!text(*ticket, d.fromTicket).isEmpty())
                        draft.insert(QLatin1String(d.own), ticket->value(QLatin1String(d.fromTicket)));
        }
    }
    const QDateTime arrived = localTime(text(draft, "arrivedAt")), left = localTime(text(draft, "leftAt"));
    // Its name where one is shown (history, breadcrumbs): the day, who, and the ticket.
    QStringList heading{arrived.isValid() ? arrived.date().toString(Qt::ISODate) : QString()};
    if (const qint64 who = number(draft, "technician"); who > 0)
        if (auto names = ctx.records().userNames({who}); names && names->contains(who)) heading << names->value(who);
    if (!ticketNo.isEmpty()) heading << ticketNo;
    draft.insert(QStringLiteral("heading"), heading.join(u' ').trimmed());
    draft.insert(QStringLiteral("workDate"), arrived.isValid() ? QJsonValue(arrived.date().toString(Qt::ISODate)) : QJsonValue());
    if (arrived.isValid() && left.isValid() && left >= arrived)
        draft.insert(QStringLiteral("workHours"),
                     tessera::formatDecimal(tessera::divideRoundingHalfUp(arrived.secsTo(left) / 60 * 10, 60), 1));
    else
        draft.insert(QStringLiteral("workHours"), QJsonValue());
}

QList<FieldError> checkWorklog(const Record& draft, const Record* stored, const tessera::Request& r, tessera::Context& ctx) {
    (void)ctx;
    (void)stored;
    QList<FieldError> errors;
    const QDateTime arrived = localTime(text(draft, "arrivedAt")), left = localTime(text(draft, "leftAt"));
    if (arrived.isValid() && left.isValid()) {
        if (left < arrived)
            errors.append({QStringLiteral("leftAt"),
                           tessera::text("is before the arrival (%1)", arrived.toString(QStringLiteral("yyyy-MM-dd HH:mm")))});
        else if (arrived.secsTo(left) > 24 * 3600)
            errors.append({QStringLiteral("leftAt"), tessera::text("is more than 24 hours after the arrival: write one entry per day")});
    }
    // A technician writes their own log; the manager may write anyone's of the department.
    const qint64 unit = number(draft, "unitId");
    if (r.access && r.access->caller().userId > 0 && number(draft, "technician") != r.access->caller().userId &&
        !r.access->scope(QStringLiteral("biz.aftersales.dispatch")).contains(unit))
        errors.append(
            {QStringLiteral("technician"), tessera::text("a technician writes their own work log; the manager may write anyone's")});
    return errors;
}

tessera::Response weeklySummary(const tessera::Request& r, tessera::Context& ctx) {
    QList<FieldError> errors;
    tessera::refuseUnknownParams(r, {QStringLiteral("week"), QStringLiteral("unit")}, errors);
    const QDate today = ctx.clock().now().toLocalTime().date();
    const qint64 unit = tessera::wholeNumberParam(r, QStringLiteral("unit"), 0, 1, std::numeric_limits<qint64>::max(), errors);
    QDate day = today;
    if (const QString week = r.queryValue(QStringLiteral("week"), QString()); !week.isEmpty()) {
        day = QDate::fromString(week, Qt::ISODate);
        if (!day.isValid())
            errors.append({QStringLiteral("week"), tessera::text("must be a day of the week, like 2026-12-04, not '%1'", week)});
    }
    if (!errors.isEmpty()) return tessera::Response::invalid(errors);
    const QDate monday = day.addDays(1 - day.dayOfWeek()), sunday = monday.addDays(6);
    const QString from = monday.toString(Qt::ISODate), to = sunday.toString(Qt::ISODate);
    tessera::Params params{from, to};
    auto scoped = [&](const QString& column) {
        return unit ? r.scope->conditionWithin(column, unit, params) : r.scope->condition(column, params);
    };
    // One row per technician: tickets closed in the week by class and their hours; the work
    // log's hours and travel of the week; the surveys of the week and the share of answers
    // 满意 or better among all four questions.
    const QString tickets = scoped(QStringLiteral("unit_id"));
    const QString logs = scoped(QStringLiteral("unit_id"));
    const QString surveys = scoped(QStringLiteral("unit_id"));
    const QString sql =
        QStringLiteral(
            "SELECT technician AS who, sum(closed) AS closed, sum(a) AS a, sum(b) AS b, sum(c) AS c, sum(d) AS d, sum(ticket_hours) AS "
            "ticket_hours, "
            "sum(log_hours) AS log_hours, sum(travel) AS travel, sum(surveys) AS surveys, sum(good) AS good FROM ("
            " SELECT technician, 1 AS closed, service_class = 'A' AS a, service_class = 'B' AS b, service_class = 'C' AS c, service_class "
            "= 'D' AS d,"
            "  coalesce(hours, 0) AS ticket_hours, 0 AS log_hours, 0 AS travel, 0 AS surveys, 0 AS good FROM biz_as_tickets"
            "  WHERE state = 'closed' AND substr(closed_at, 1, 10) BETWEEN ?1 AND ?2 AND %1"
            " UNION ALL SELECT technician, 0, 0, 0, 0, 0, 0, coalesce(work_hours, 0), coalesce(travel_hours, 0), 0, 0 FROM biz_as_worklog"
            "  WHERE work_date BETWEEN ?1 AND ?2 AND %2"
            " UNION ALL SELECT technician, 0, 0, 0, 0, 0, 0, 0, 0, 1, (attitude >= '3') + (skill >= '3') + (timeliness >= '3') + (promise "
            ">= '3')"
            "  FROM biz_as_surveys WHERE surveyed_on BETWEEN ?1 AND ?2 AND %3"
            ") WHERE technician IS NOT NULL GROUP BY technician")
            .arg(tickets, logs, surveys);
    auto rows = ctx.database().query(sql, params);
    if (!rows) return tessera::Response::storageFailure(rows.error(), tessera::text("the week could not be summed up"));
    QList<qint64> ids;
    for (const auto& row : *rows) ids << row.value(QStringLiteral("who")).toLongLong();
    auto names = ctx.records().userNames(ids);
    if (!names) return tessera::Response::storageFailure(names.error(), tessera::text("the week could not be summed up"));
    struct Line {
        qint64 closed = 0, a = 0, b = 0, c = 0, d = 0, ticketHours = 0, logHours = 0, travel = 0, surveys = 0, good = 0;
        void add(const Line& o) {
            closed += o.closed, a += o.a, b += o.b, c += o.c, d += o.d, ticketHours += o.ticketHours, logHours += o.logHours,
                travel += o.travel, surveys += o.surveys, good += o.good;
        }
        QJsonObject json(const QString& label) const {
            QJsonObject o{{QStringLiteral("label"), label},
                          {QStringLiteral("closed"), closed},
                          {QStringLiteral("classA"), a},
                          {QStringLiteral("classB"), b},
                          {QStringLiteral("classC"), c},
                          {QStringLiteral("classD"), d},
                          {QStringLiteral("ticketHours"), tessera::formatDecimal(ticketHours, 1)},
                          {QStringLiteral("logHours"), tessera::formatDecimal(logHours, 1)},
                          {QStringLiteral("travelHours"), tessera::formatDecimal(travel, 1)},
                          {QStringLiteral("surveys"), surveys}};
            if (surveys > 0)
                o.insert(QStringLiteral("satisfied"), tessera::formatDecimal(tessera::divideRoundingHalfUp(good * 1000, surveys * 4), 1));
            return o;
        }
    };
    // By name, as people look for themselves.
    std::multimap<std::pair<QByteArray, QString>, Line> lines;
    Line total;
    for (const auto& row : *rows) {
        auto n = [&](const char* c) { return row.value(QLatin1String(c)).toLongLong(); };
        const Line line{n("closed"),       n("a"),         n("b"),      n("c"),       n("d"),
                        n("ticket_hours"), n("log_hours"), n("travel"), n("surveys"), n("good")};
        const qint64 who = n("who");
        const QString name = names->value(who, QString::number(who));
        lines.emplace(std::pair{ctx.sortKey(name), name}, line);
        total.add(line);
    }
    QJsonArray items;
    for (const auto& [key, line] : lines) items.append(line.json(key.second));
    return tessera::Response::json(QJsonObject{{QStringLiteral("title"), tessera::text("technicians' week from %1 to %2", from, to)},
                                               {QStringLiteral("params"), QJsonObject{{QStringLiteral("week"), from}}},
                                               {QStringLiteral("items"), items},
                                               {QStringLiteral("total"), total.json(tessera::text("total"))}});
}

}  // namespace biz::aftersales
