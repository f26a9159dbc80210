#include "reminders.hpp"

#include <tessera/text.hpp>

#include <QStringList>
#include <QUrlQuery>

#include <functional>

namespace party::daily {

namespace {

using tessera::Context;
using tessera::Reminder;
using Reminders = std::vector<Reminder>;

// The latest start whose end (later for a later start) falls on or before `day`, from a first
// guess a day or two off: month lengths make the rule's inverse inexact near a month's end.
QDate latestStartEndingBy(const QDate& day, QDate guess, const std::function<QDate(const QDate&)>& end) {
    while (end(guess.addDays(1)) <= day) guess = guess.addDays(1);
    while (end(guess) > day) guess = guess.addDays(-1);
    return guess;
}

QString iso(const QDate& d) { return d.toString(Qt::ISODate); }

// The member list of the unit and below, with `filters` (the list's own query parameters).
QString memberList(qint64 unitId, const QList<QPair<QString, QString>>& filters = {}) {
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("unit"), QString::number(unitId));
    for (const auto& [name, value] : filters) query.addQueryItem(name, value);
    return QStringLiteral("/m/party.daily/members?") + query.toString(QUrl::FullyEncoded);
}

// Members on the roll, in the unit or below it and inside the caller's scope; the caller's
// own parameters come first in `params`.
QString onTheRollWithin(const tessera::ReminderRequest& r, tessera::Params& params) {
    // The list's own test of the roll (the card's roll="leftDate": no decrease date), so that a
    // reminder counts what its link shows.
    return QStringLiteral("left_date IS NULL AND ") + r.scope.conditionWithin(QStringLiteral("unit_id"), r.unitId, params);
}

// The probation's end is the member card's own date (预备期满日期: a year from joining, later
// when extended), so that a reminder and the list it links to agree with every extension.
tessera::Status probation(const tessera::ReminderRequest& r, qint64 days, Context& ctx, Reminders& out) {
    const QDate endedBy = r.date.addDays(-1), endingBy = r.date.addDays(days);
    tessera::Params params{iso(endedBy), iso(endingBy)};
    const QString where = onTheRollWithin(r, params);
    auto row = ctx.database().queryOne(
        QStringLiteral("SELECT count(*) AS n, coalesce(sum(CASE WHEN probation_ends <= ?1 THEN 1 ELSE 0 END), 0) AS ended, "
                       "min(CASE WHEN probation_ends > ?1 THEN probation_ends END) AS next_end "
                       "FROM party_members WHERE category = 'probationary' AND probation_ends <= ?2 AND ") +
            where,
        params);
    if (!row) return row.error();
    const qint64 ended = row->value(QStringLiteral("ended")).toLongLong();
    const qint64 ending = row->value(QStringLiteral("n")).toLongLong() - ended;
    const QString probationary = QStringLiteral("probationary");
    if (ended > 0)
        out.push_back(
            {tessera::text("%1 probationary members have completed their probation year and are not yet full members", ended),
             QStringLiteral("urgent"),
             memberList(r.unitId, {{QStringLiteral("category"), probationary}, {QStringLiteral("probationEndsTo"), iso(endedBy)}}),
             {}});
    if (ending > 0)
        out.push_back({tessera::text("%1 probationary members' probation year ends within %2 days", ending, days),
                       QStringLiteral("warning"),
                       memberList(r.unitId, {{QStringLiteral("category"), probationary},
                                             {QStringLiteral("probationEndsFrom"), iso(r.date)},
                                             {QStringLiteral("probationEndsTo"), iso(endingBy)}}),
                       QDate::fromString(row->value(QStringLiteral("next_end")).toString(), Qt::ISODate)});
    return {};
}

tessera::Status birthdays(const tessera::ReminderRequest& r, Context& ctx, Reminders& out) {
    tessera::Params params{r.date.toString(QStringLiteral("MM"))};
    const QString where = QStringLiteral(" FROM party_members WHERE substr(birth_date, 6, 2) = ?1 AND ") + onTheRollWithin(r, params);
    auto n = ctx.database().queryOne(QStringLiteral("SELECT count(*) AS n") + where, params);
    if (!n) return n.error();
    const qint64 count = n->value(QStringLiteral("n")).toLongLong();
    if (count == 0) return {};
    // The first few by day of the month, so that a branch secretary sees whom to greet.
    constexpr int kNamed = 3;
    auto first = ctx.database().query(QStringLiteral("SELECT name") + where +
                                          QStringLiteral(" ORDER BY substr(birth_date, 9, 2), name_sort, id LIMIT %1").arg(kNamed),
                                      params);
    if (!first) return first.error();
    QStringList names;
    for (const auto& row : *first) names << row.value(QStringLiteral("name")).toString();
    out.push_back({count > kNamed
                       ? tessera::text("%1 members have their birthday this month: %2 and others", count, names.join(QStringLiteral("、")))
                       : tessera::text("%1 members have their birthday this month: %2", count, names.join(QStringLiteral("、"))),
                   QStringLiteral("info"),
                   memberList(r.unitId, {{QStringLiteral("birthDateMonth"), QString::number(r.date.month())}}),
                   {}});
    return {};
}

tessera::Status lostContact(const tessera::ReminderRequest& r, qint64 months, Context& ctx, Reminders& out) {
    const QDate lostBy = lastLossReaching(r.date, static_cast<int>(months));
    tessera::Params params{iso(lostBy)};
    const QString where = onTheRollWithin(r, params);
    auto n = ctx.database().queryOne(
        QStringLiteral("SELECT count(*) AS n FROM party_members WHERE lost_contact = 1 AND lost_contact_date <= ?1 AND ") + where, params);
    if (!n) return n.error();
    if (const qint64 count = n->value(QStringLiteral("n")).toLongLong(); count > 0)
        out.push_back({tessera::text("%1 members have been out of contact for %2 months or more", count, months),
                       QStringLiteral("warning"),
                       memberList(r.unitId, {{QStringLiteral("lostContact"), QStringLiteral("true")},
                                             {QStringLiteral("lostContactDateTo"), iso(lostBy)}}),
                       {}});
    return {};
}

// A threshold setting, which a deployment may have set out of range.
tessera::Result<qint64> threshold(Context& ctx, const QString& name, qint64 max) {
    const qint64 value = ctx.setting(name).toLongLong();
    if (value < 0 || value > max)
        return tessera::Error{QStringLiteral("party.setting"), tessera::text("the setting %1 is %2; it must be 0 to %3", name, value, max)};
    return value;
}

}  // namespace

QDate lostContactReaches(const QDate& since, int months) { return since.addMonths(months); }

QDate lastLossReaching(const QDate& day, int months) {
    return latestStartEndingBy(day, day.addMonths(-months), [months](const QDate& since) { return lostContactReaches(since, months); });
}

tessera::Result<std::vector<tessera::Reminder>> partyReminders(const tessera::ReminderRequest& request, tessera::Context& ctx) {
    Reminders out;
    auto days = threshold(ctx, QStringLiteral("remind-probation-days"), 366);
    if (!days) return days.error();
    auto months = threshold(ctx, QStringLiteral("remind-lost-contact-months"), 1200);
    if (!months) return months.error();
    if (auto s = probation(request, *days, ctx, out); !s) return s.error();
    if (ctx.setting(QStringLiteral("remind-birthdays")).toBool())
        if (auto s = birthdays(request, ctx, out); !s) return s.error();
    if (auto s = lostContact(request, *months, ctx, out); !s) return s.error();
    return out;
}

}  // namespace party::daily
