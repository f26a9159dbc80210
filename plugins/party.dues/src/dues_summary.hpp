#pragma once
// party.dues' reports (the manifest's <report>s; the host exports them as xlsx and CSV).

#include <tessera/tessera.hpp>

namespace party::dues {

/// GET summary?year=&by=unit|month&unit=  a year's dues against what was due (up to the month
/// it is now), by organisation (the one each member is in now; money received by the one that
/// recorded it) or by month: members, due, paid for those months, unpaid, the rate paid, the
/// money received in the year, and voluntary large dues apart from the ordinary totals.
tessera::Response duesSummary(const tessera::Request& r, tessera::Context& ctx);

/// GET standing?year=&unit=  each member's year: due, paid, unpaid, months unpaid, and 交至年月
/// (the last month paid up to, which a transfer letter states). At most 20,000 members.
tessera::Response duesStanding(const tessera::Request& r, tessera::Context& ctx);

}  // namespace party::dues
