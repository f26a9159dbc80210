#pragma once
// The home page's party reminders (product.md, 首页提醒), about the members of the user's own
// unit and of the units below it that the user may read:
//   - probationary members whose year ends within remind-probation-days, or has ended;
//   - members on the roll whose birthday is this month (remind-birthdays);
//   - members out of contact for remind-lost-contact-months or more.
// Each links to the member list showing those members, where the list can filter them.

#include <tessera/tessera.hpp>

#include <QDate>

#include <vector>

namespace party::daily {

/// The day a probationary member's year ends: one year after joining (the branch meeting).
QDate probationEnds(const QDate& joined);

/// The latest join date whose probation year ends on or before `day` (a join on 2024-02-29
/// ends on 2025-02-28, as does one on 2024-02-28): the rule as a bound for the list's joinDateTo.
QDate lastJoinEndingBy(const QDate& day);

/// The day a member out of contact since `since` has been so for `months` months.
QDate lostContactReaches(const QDate& since, int months);

/// The latest date of losing contact that makes `months` months by `day` (the rule as a bound).
QDate lastLossReaching(const QDate& day, int months);

/// The reminders for `request.unitId` and the units below it, inside `request.scope`.
tessera::Result<std::vector<tessera::Reminder>> partyReminders(const tessera::ReminderRequest& request, tessera::Context& ctx);

}  // namespace party::daily
