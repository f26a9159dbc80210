// biz.aftersales' charts: see aftersales_charts.hpp.

#include "aftersales_charts.hpp"
#include "aftersales_values.hpp"

#include <QDateTime>

#include <algorithm>
#include <limits>

namespace biz::aftersales {

namespace {

// The tickets of the year asked for in the caller's scope: a condition on biz_as_tickets with
// the year as ?1; nullopt and `refused` on bad parameters.
struct TicketsOfYear {
    qint64 year = 0;
    QString where;
    tessera::Params params;
};

std::optional<TicketsOfYear> ticketsOfYear(const tessera::Request& r, tessera::Context& ctx, tessera::Response& refused) {
    auto asked = yearInScope(r, ctx, refused);
    if (!asked) return std::nullopt;
    return TicketsOfYear{asked->year, QStringLiteral("substr(received_at, 1, 4) = ?1 AND %1").arg(asked->inScope), asked->params};
}

QJsonObject yearParams(qint64 year) { return {{QStringLiteral("year"), QString::number(year)}}; }

}  // namespace

tessera::Response ticketsByClass(const tessera::Request& r, tessera::Context& ctx) {
    tessera::Response refused;
    const auto tickets = ticketsOfYear(r, ctx, refused);
    if (!tickets) return refused;
    auto rows = ctx.database().query(
        QStringLiteral("SELECT service_class AS k, count(*) AS n FROM biz_as_tickets WHERE %1 GROUP BY 1").arg(tickets->where),
        tickets->params);
    if (!rows) return tessera::Response::storageFailure(rows.error(), tessera::text("the tickets could not be counted"));
    QMap<QString, qint64> counts;  // by code, in the dictionary's order (A, B, C, D)
    const QHash<QString, QString> classes = ctx.dictionary(QStringLiteral("service-class"));
    for (auto it = classes.constBegin(); it != classes.constEnd(); ++it) counts.insert(it.key(), 0);
    for (const auto& row : *rows) counts[row.value(QStringLiteral("k")).toString()] += row.value(QStringLiteral("n")).toLongLong();
    QJsonArray items;
    qint64 total = 0;
    for (auto it = counts.constBegin(); it != counts.constEnd(); ++it) {
        items.append(QJsonObject{{QStringLiteral("key"), it.key()},
                                 {QStringLiteral("label"), classes.value(it.key(), it.key())},
                                 {QStringLiteral("value"), it.value()}});
        total += it.value();
    }
    return tessera::Response::json(QJsonObject{{QStringLiteral("title"), tessera::text("tickets of %1 by service class", tickets->year)},
                                               {QStringLiteral("params"), yearParams(tickets->year)},
                                               {QStringLiteral("items"), items},
                                               {QStringLiteral("total"), total}});
}

tessera::Response ticketsByTechnician(const tessera::Request& r, tessera::Context& ctx) {
    tessera::Response refused;
    const auto tickets = ticketsOfYear(r, ctx, refused);
    if (!tickets) return refused;
    // Hours are kept in tenths (a decimal of scale 1).
    auto rows = ctx.database().query(QStringLiteral("SELECT technician AS k, count(*) AS n, coalesce(sum(hours), 0) AS tenths "
                                                    "FROM biz_as_tickets WHERE %1 GROUP BY 1 ORDER BY 2 DESC, 3 DESC, 1")
                                         .arg(tickets->where),
                                     tickets->params);
    if (!rows) return tessera::Response::storageFailure(rows.error(), tessera::text("the tickets could not be counted"));
    QList<qint64> ids;
    for (const auto& row : *rows) ids << row.value(QStringLiteral("k")).toLongLong();
    auto names = ctx.records().userNames(ids);
    if (!names) return tessera::Response::storageFailure(names.error(), tessera::text("the technicians' names could not be read"));
    QJsonArray items;
    qint64 count = 0, tenths = 0;
    for (const auto& row : *rows) {
        const qint64 id = row.value(QStringLiteral("k")).toLongLong(), n = row.value(QStringLiteral("n")).toLongLong(),
                     h = row.value(QStringLiteral("tenths")).toLongLong();
        items.append(QJsonObject{{QStringLiteral("key"), QString::number(id)},
                                 {QStringLiteral("label"), names->value(id, tessera::text("user %1", id))},
                                 {QStringLiteral("tickets"), n},
                                 {QStringLiteral("hours"), double(h) / 10}});
        count += n;
        tenths += h;
    }
    return tessera::Response::json(QJsonObject{
        {QStringLiteral("title"), tessera::text("tickets of %1 by technician", tickets->year)},
        {QStringLiteral("params"), yearParams(tickets->year)},
        {QStringLiteral("items"), items},
        {QStringLiteral("total"), QJsonObject{{QStringLiteral("tickets"), count}, {QStringLiteral("hours"), double(tenths) / 10}}}});
}

tessera::Response responseTimes(const tessera::Request& r, tessera::Context& ctx) {
    tessera::Response refused;
    const auto tickets = ticketsOfYear(r, ctx, refused);
    if (!tickets) return refused;
    // Response in whole minutes from the call to the arrival (times are local, to the second),
    // as the statistics report counts it; each band includes its upper end.
    const QString m = QStringLiteral("CAST(round((julianday(arrived_at) - julianday(received_at)) * 1440) AS INTEGER)");
    auto row = ctx.database().queryOne(QStringLiteral("SELECT count(*) AS n, sum(arrived_at IS NULL) AS waiting, "
                                                      "sum(%1 <= 240) AS h4, sum(%1 > 240 AND %1 <= 480) AS h8, "
                                                      "sum(%1 > 480 AND %1 <= 1440) AS h24, sum(%1 > 1440 AND %1 <= 2880) AS h48, "
                                                      "sum(%1 > 2880) AS later FROM biz_as_tickets WHERE %2")
                                           .arg(m, tickets->where),
                                       tickets->params);
    if (!row) return tessera::Response::storageFailure(row.error(), tessera::text("the tickets could not be counted"));
    const std::pair<const char*, QString> bands[] = {
        {"h4", tessera::text("within 4 hours")},  {"h8", tessera::text("4 to 8 hours")},     {"h24", tessera::text("8 to 24 hours")},
        {"h48", tessera::text("24 to 48 hours")}, {"later", tessera::text("over 48 hours")}, {"waiting", tessera::text("not arrived yet")}};
    QJsonArray items;
    for (const auto& [key, label] : bands)
        items.append(QJsonObject{{QStringLiteral("key"), QLatin1String(key)},
                                 {QStringLiteral("label"), label},
                                 {QStringLiteral("value"), row->value(QLatin1String(key)).toLongLong()}});
    return tessera::Response::json(QJsonObject{{QStringLiteral("title"), tessera::text("response times of %1", tickets->year)},
                                               {QStringLiteral("params"), yearParams(tickets->year)},
                                               {QStringLiteral("items"), items},
                                               {QStringLiteral("total"), row->value(QStringLiteral("n")).toLongLong()}});
}

std::optional<YearInScope> yearInScope(const tessera::Request& r, tessera::Context& ctx, tessera::Response& refused) {
    QList<tessera::FieldError> errors;
    tessera::refuseUnknownParams(r, {QStringLiteral("year"), QStringLiteral("unit")}, errors);
    const QDate today = ctx.clock().now().toLocalTime().date();
    const qint64 year = tessera::wholeNumberParam(r, QStringLiteral("year"), today.year(), 2000, today.year(), errors);
    const qint64 unit = tessera::wholeNumberParam(r, QStringLiteral("unit"), 0, 1, std::numeric_limits<qint64>::max(), errors);
    if (!errors.isEmpty()) {
        refused = tessera::Response::invalid(errors);
        return std::nullopt;
    }
    YearInScope out{year, {}, {QString::number(year)}};
    out.inScope = unit ? r.scope->conditionWithin(QStringLiteral("unit_id"), unit, out.params)
                       : r.scope->condition(QStringLiteral("unit_id"), out.params);
    return out;
}

}  // namespace biz::aftersales
