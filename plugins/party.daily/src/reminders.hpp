#pragma once
// The home page's party reminders (product.md, 首页提醒), about the members of the user's own
// unit and of the units below it that the user may read:
//   - probationary members whose probation (the card's 预备期满日期) ends within
//     remind-probation-days, or has ended;
//   - members on the roll whose birthday is this month (remind-birthdays);
//   - members out of contact for remind-lost-contact-months or more.
// Each links to the member list showing those members, where the list can filter them.

#include <tessera/tessera.hpp>

#include <QDate>

#include <vector>

namespace party::daily {

/// The day a member out of contact since `since` has been so for `months` months.
QDate lostContactReaches(const QDate& since, int months);

/// The latest date of losing contact that makes `months` months by `day` (the rule as a bound).
QDate lastLossReaching(const QDate& day, int months);

/// The reminders for `request.unitId` and the units below it, inside `request.scope`.
tessera::Result<std::vector<tessera::Reminder>> partyReminders(const tessera::ReminderRequest& request, tessera::Context& ctx);

}  // namespace party::daily
