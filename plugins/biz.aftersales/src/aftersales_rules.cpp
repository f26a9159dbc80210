// biz.aftersales' rules: see aftersales_rules.hpp.

#include "aftersales_rules.hpp"
#include "aftersales_values.hpp"

#include <QDateTime>
#include <QJsonArray>

#include <limits>

namespace biz::aftersales {

using tessera::FieldError;
using tessera::Record;

namespace {

// Money in fen from a decimal field ("12.30"), when given.
std::optional<qint64> fen(const Record& r, const char* field) { return tessera::parseDecimal(text(r, field), 2); }
QString dateTimeText(const QDateTime& t) { return t.toLocalTime().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")); }
QString className(const QString& code, tessera::Context& ctx) { return ctx.dictionary(QStringLiteral("service-class")).value(code, code); }

// The contract of `customer` covering `day`, the one ending last: its id, or 0.
tessera::Result<qint64> coveringContract(qint64 customer, const QString& day, tessera::Context& ctx) {
    auto row = ctx.database().queryOne(QStringLiteral("SELECT id FROM biz_as_contracts WHERE customer_id = ?1 AND starts_on <= ?2 "
                                                      "AND ends_on >= ?2 ORDER BY ends_on DESC, id DESC LIMIT 1"),
                                       {customer, day});
    if (!row) return row.error();
    return row->isEmpty() ? 0 : row->value(QStringLiteral("id")).toLongLong();
}

}  // namespace

void deriveRegistration(Record& draft, const Record* stored, tessera::Context& ctx) {
    auto customer = ctx.records().read(kCustomerCard, number(draft, "customerId"));
    if (customer && !customer->isEmpty()) {
        draft.insert(QStringLiteral("customerName"), customer->value(QStringLiteral("name")));
        for (const char* field : {"address", "phone"})
            if (text(draft, field).isEmpty()) draft.insert(QLatin1String(field), customer->value(QLatin1String(field)));
    }
    if (!stored && text(draft, "receivedAt").isEmpty()) draft.insert(QStringLiteral("receivedAt"), dateTimeText(ctx.clock().now()));
    const QDateTime at = localTime(text(draft, "receivedAt"));
    draft.insert(QStringLiteral("receivedOn"), at.isValid() ? QJsonValue(at.date().toString(Qt::ISODate)) : QJsonValue());
}

void deriveTicket(Record& draft, const Record* stored, tessera::Context& ctx) {
    auto call = ctx.records().read(kRegistrationCard, number(draft, "registrationId"));
    if (call && !call->isEmpty()) {
        for (const char* field : {"customerId", "customerName", "address", "phone", "situation", "receivedAt"})
            draft.insert(QLatin1String(field), call->value(QLatin1String(field)));
    }
    const QString cls = text(draft, "serviceClass");
    // Class B: the customer's contract covering the call's day, when none is named.
    if (cls == u"B" && number(draft, "contractId") <= 0 && number(draft, "customerId") > 0) {
        const QDateTime at = localTime(text(draft, "receivedAt"));
        if (auto found = coveringContract(number(draft, "customerId"), at.date().toString(Qt::ISODate), ctx); found && *found)
            draft.insert(QStringLiteral("contractId"), *found);
    }
    if (text(draft, "invoiceState").isEmpty() && !cls.isEmpty())
        draft.insert(QStringLiteral("invoiceState"), cls == u"A" ? QStringLiteral("to-issue") : QStringLiteral("none"));
    const auto labour = fen(draft, "labourFee"), parts = fen(draft, "partsFee");
    draft.insert(QStringLiteral("total"),
                 labour || parts ? QJsonValue(tessera::formatDecimal(labour.value_or(0) + parts.value_or(0), 2)) : QJsonValue());
    // The visit is due today unless the manager plans another day (or it had one).
    if (text(draft, "visitOn").isEmpty())
        draft.insert(QStringLiteral("visitOn"),
                     stored && !text(*stored, "visitOn").isEmpty() ? stored->value(QStringLiteral("visitOn")) : QJsonValue(today(ctx)));
    // Everyone on the ticket, the lead first: whose list it is in (我的派工单).
    QJsonArray crew;
    if (const qint64 lead = number(draft, "technician"); lead > 0) crew.append(lead);
    for (const QJsonValue& one : draft.value(QStringLiteral("assistants")).toArray())
        if (!crew.contains(one)) crew.append(one);
    draft.insert(QStringLiteral("crew"), crew);
}

QList<FieldError> checkTicket(const Record& draft, const Record* stored, const tessera::Request&, tessera::Context& ctx) {
    QList<FieldError> errors;
    // What the technician's steps record is theirs: an edit neither writes nor changes it (the
    // 收货单 prints what the carry-back step recorded, the response time counts the arrival).
    for (const char* field : {"arrivedAt", "goodsTaken", "workDone", "parts", "hours", "closedAt"})
        if (text(draft, field) != (stored ? text(*stored, field) : QString()))
            errors.append({QLatin1String(field), tessera::text("is recorded by the technician's step, not by an edit")});
    if (const qint64 lead = number(draft, "technician");
        lead > 0 && draft.value(QStringLiteral("assistants")).toArray().contains(QJsonValue(lead)))
        errors.append({QStringLiteral("assistants"), tessera::text("names the lead technician: list only those who assist")});
    const QString cls = text(draft, "serviceClass");
    const qint64 contract = number(draft, "contractId");
    const QString day = localTime(text(draft, "receivedAt")).date().toString(Qt::ISODate);
    if (cls == u"B") {
        if (contract <= 0) {
            errors.append({QStringLiteral("contractId"),
                           tessera::text("%1 has no maintenance contract covering %2: class B work needs one (record the contract, or "
                                         "choose another class)",
                                         text(draft, "customerName"), day)});
        } else {
            auto c = ctx.records().read(QStringLiteral("biz.aftersales/contract"), contract);
            if (!c) return {{QStringLiteral("contractId"), tessera::text("could not be checked: %1", c.error().message)}};
            if (!c->isEmpty() && number(*c, "customerId") != number(draft, "customerId"))
                errors.append({QStringLiteral("contractId"), tessera::text("contract %1 is %2's, not %3's", text(*c, "contractNo"),
                                                                           text(*c, "customerName"), text(draft, "customerName"))});
            else if (!c->isEmpty() && (text(*c, "startsOn") > day || text(*c, "endsOn") < day))
                errors.append(
                    {QStringLiteral("contractId"), tessera::text("contract %1 runs from %2 to %3, which does not cover the call on %4",
                                                                 text(*c, "contractNo"), text(*c, "startsOn"), text(*c, "endsOn"), day)});
        }
    } else if (contract > 0) {
        errors.append({QStringLiteral("contractId"), tessera::text("only class B work is done under a contract")});
    }
    if (cls != u"A") {
        for (const char* field : {"labourFee", "partsFee", "paidOn"})
            if (!text(draft, field).isEmpty())
                errors.append({QLatin1String(field), tessera::text("%1 is not charged: only class A work is", className(cls, ctx))});
        if (text(draft, "invoiceState") != u"none" && !text(draft, "invoiceState").isEmpty())
            errors.append({QStringLiteral("invoiceState"), tessera::text("%1 is not charged: only class A work is", className(cls, ctx))});
    }
    if (text(draft, "invoiceState") == u"issued") {
        for (const char* field : {"invoiceNo", "invoiceDate"})
            if (text(draft, field).isEmpty())
                errors.append({QLatin1String(field), tessera::text("is required once the invoice is issued")});
    }
    return errors;
}

QList<FieldError> guardTicket(const QString& step, const Record& draft, const Record& stored) {
    (void)stored;
    QList<FieldError> errors;
    const QDateTime received = localTime(text(draft, "receivedAt")), arrived = localTime(text(draft, "arrivedAt")),
                    closed = localTime(text(draft, "closedAt"));
    if (step == u"arrive" && received.isValid() && arrived.isValid() && arrived < received)
        errors.append({QStringLiteral("arrivedAt"),
                       tessera::text("is before the call was received (%1)", received.toString(QStringLiteral("yyyy-MM-dd HH:mm")))});
    if ((step == u"close" || step == u"return") && arrived.isValid() && closed.isValid() && closed < arrived)
        errors.append({QStringLiteral("closedAt"),
                       tessera::text("is before the technician arrived (%1)", arrived.toString(QStringLiteral("yyyy-MM-dd HH:mm")))});
    return errors;
}

QList<FieldError> warnTicket(const Record& saved, const Record* before, int hours) {
    // Said once, when the arrival is recorded.
    if (before && !text(*before, "arrivedAt").isEmpty()) return {};
    const QDateTime received = localTime(text(saved, "receivedAt")), arrived = localTime(text(saved, "arrivedAt"));
    if (!received.isValid() || !arrived.isValid()) return {};
    const qint64 minutes = received.secsTo(arrived) / 60;
    if (minutes <= qint64(hours) * 60) return {};
    return {
        {QStringLiteral("arrivedAt"), tessera::text("arrived %1 hours after the call: later than the %2-hour response target",
                                                    tessera::formatDecimal(tessera::divideRoundingHalfUp(minutes * 10, 60), 1), hours)}};
}

void deriveContract(Record& draft, const Record* stored, tessera::Context& ctx) {
    (void)stored;
    auto customer = ctx.records().read(kCustomerCard, number(draft, "customerId"));
    if (customer && !customer->isEmpty()) draft.insert(QStringLiteral("customerName"), customer->value(QStringLiteral("name")));
}

QList<FieldError> checkContract(const Record& draft, const Record* stored, const tessera::Request&, tessera::Context&) {
    (void)stored;
    if (!text(draft, "startsOn").isEmpty() && !text(draft, "endsOn").isEmpty() && text(draft, "endsOn") < text(draft, "startsOn"))
        return {{QStringLiteral("endsOn"), tessera::text("is before the contract starts (%1)", text(draft, "startsOn"))}};
    return {};
}

tessera::Result<std::vector<tessera::Reminder>> serviceReminders(qint64 unitId, const QDate& date, tessera::Context& ctx) {
    std::vector<tessera::Reminder> out;
    const int hours = ctx.setting(QStringLiteral("response-hours")).toInt();
    const QString due = dateTimeText(ctx.clock().now().addSecs(-qint64(hours) * 3600));
    auto late = ctx.database().queryOne(QStringLiteral("SELECT count(*) AS n, min(received_at) AS first FROM biz_as_tickets "
                                                       "WHERE unit_id = ?1 AND state = 'dispatched' AND received_at <= ?2"),
                                        {unitId, due});
    if (!late) return late.error();
    if (const qint64 n = late->value(QStringLiteral("n")).toLongLong())
        out.push_back({tessera::text("%1 dispatch tickets have waited more than %2 hours for a technician", n, hours),
                       QStringLiteral("urgent"),
                       QStringLiteral("/m/biz.aftersales/tickets?state=dispatched"),
                       {}});
    const int days = ctx.setting(QStringLiteral("contract-notice-days")).toInt();
    auto ending = ctx.database().queryOne(QStringLiteral("SELECT count(*) AS n, min(ends_on) AS first FROM biz_as_contracts "
                                                         "WHERE unit_id = ?1 AND ends_on BETWEEN ?2 AND ?3"),
                                          {unitId, date.toString(Qt::ISODate), date.addDays(days).toString(Qt::ISODate)});
    if (!ending) return ending.error();
    if (const qint64 n = ending->value(QStringLiteral("n")).toLongLong())
        out.push_back({tessera::text("%1 maintenance contracts end within %2 days: send the expiry notice and talk about renewal", n, days),
                       QStringLiteral("warning"),
                       QStringLiteral("/m/biz.aftersales/contracts?endsOnFrom=%1&endsOnTo=%2")
                           .arg(date.toString(Qt::ISODate), date.addDays(days).toString(Qt::ISODate)),
                       QDate::fromString(ending->value(QStringLiteral("first")).toString(), Qt::ISODate)});
    return out;
}

namespace {

// One row of the statistics: counts, response minutes of those arrived, fen charged.
struct Tally {
    qint64 tickets = 0, closed = 0, arrived = 0, onTime = 0, minutes = 0, charged = 0;
    void add(const Tally& o) {
        tickets += o.tickets;
        closed += o.closed;
        arrived += o.arrived;
        onTime += o.onTime;
        minutes += o.minutes;
        charged += o.charged;
    }
    QJsonObject json(const QString& label) const {
        QJsonObject o{{QStringLiteral("label"), label},   {QStringLiteral("tickets"), tickets},
                      {QStringLiteral("closed"), closed}, {QStringLiteral("arrived"), arrived},
                      {QStringLiteral("onTime"), onTime}, {QStringLiteral("charged"), tessera::formatDecimal(charged, 2)}};
        if (arrived > 0) {
            o.insert(QStringLiteral("onTimeRate"), tessera::formatDecimal(tessera::divideRoundingHalfUp(onTime * 1000, arrived), 1));
            o.insert(QStringLiteral("averageHours"), tessera::formatDecimal(tessera::divideRoundingHalfUp(minutes * 10, arrived * 60), 1));
        }
        return o;
    }
};

}  // namespace

tessera::Response serviceStatistics(const tessera::Request& r, tessera::Context& ctx) {
    QList<FieldError> errors;
    tessera::refuseUnknownParams(r, {QStringLiteral("year"), QStringLiteral("by"), QStringLiteral("unit")}, errors);
    const QDate today = ctx.clock().now().toLocalTime().date();
    const qint64 year = tessera::wholeNumberParam(r, QStringLiteral("year"), today.year(), 2000, today.year(), errors);
    const qint64 unit = tessera::wholeNumberParam(r, QStringLiteral("unit"), 0, 1, std::numeric_limits<qint64>::max(), errors);
    const QString by = r.queryValue(QStringLiteral("by"), QStringLiteral("class"));
    if (by != u"class" && by != u"month")
        errors.append({QStringLiteral("by"), tessera::text("must be class (by service class) or month, not '%1'", by)});
    if (!errors.isEmpty()) return tessera::Response::invalid(errors);
    const int hours = ctx.setting(QStringLiteral("response-hours")).toInt();
    tessera::Params params{QString::number(year), qint64(hours) * 60};
    const QString inScope =
        unit ? r.scope->conditionWithin(QStringLiteral("unit_id"), unit, params) : r.scope->condition(QStringLiteral("unit_id"), params);
    // Response in whole minutes from the call to the arrival (times are local, to the second).
    const QString minutes = QStringLiteral("CAST(round((julianday(arrived_at) - julianday(received_at)) * 1440) AS INTEGER)");
    auto rows = ctx.database().query(
        QStringLiteral("SELECT %1 AS k, count(*) AS tickets, sum(state = 'closed') AS closed, count(arrived_at) AS arrived, "
                       "sum(arrived_at IS NOT NULL AND %2 <= ?2) AS on_time, coalesce(sum(%2), 0) AS minutes, "
                       "coalesce(sum(CASE WHEN service_class = 'A' THEN coalesce(labour_fee, 0) + coalesce(parts_fee, 0) END), 0) AS fen "
                       "FROM biz_as_tickets WHERE substr(received_at, 1, 4) = ?1 AND %3 GROUP BY 1 ORDER BY 1")
            .arg(by == u"month" ? QStringLiteral("substr(received_at, 1, 7)") : QStringLiteral("service_class"), minutes, inScope),
        params);
    if (!rows) return tessera::Response::storageFailure(rows.error(), tessera::text("the tickets could not be counted"));
    const QHash<QString, QString> classes = ctx.dictionary(QStringLiteral("service-class"));
    QJsonArray items;
    Tally total;
    for (const auto& row : *rows) {
        Tally t{row.value(QStringLiteral("tickets")).toLongLong(), row.value(QStringLiteral("closed")).toLongLong(),
                row.value(QStringLiteral("arrived")).toLongLong(), row.value(QStringLiteral("on_time")).toLongLong(),
                row.value(QStringLiteral("minutes")).toLongLong(), row.value(QStringLiteral("fen")).toLongLong()};
        const QString key = row.value(QStringLiteral("k")).toString();
        items.append(t.json(by == u"month" ? key : classes.value(key, key)));
        total.add(t);
    }
    const QString how = by == u"month" ? tessera::text("by month") : tessera::text("by service class");
    return tessera::Response::json(
        QJsonObject{{QStringLiteral("title"), tessera::text("after-sales service in %1 (%2)", year, how)},
                    {QStringLiteral("params"), QJsonObject{{QStringLiteral("year"), QString::number(year)}, {QStringLiteral("by"), by}}},
                    {QStringLiteral("items"), items},
                    {QStringLiteral("total"), total.json(tessera::text("total"))}});
}

}  // namespace biz::aftersales
