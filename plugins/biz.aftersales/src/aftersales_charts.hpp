#pragma once
// biz.aftersales' charts (统计图): the routes the manifest's <chart>s draw, each over the
// tickets of a year (by the call's time) in the caller's scope (the picked unit and below).

#include <tessera/tessera.hpp>

namespace biz::aftersales {

/// GET charts/classes?year=&unit=: the year's tickets per service class, every class of the
/// dictionary in its order (none: 0): {items: [{key, label, value}], total}.
tessera::Response ticketsByClass(const tessera::Request& r, tessera::Context& ctx);

/// GET charts/technicians?year=&unit=: the year's tickets and the hours their steps recorded
/// per technician (named by the users' display names), most tickets first:
/// {items: [{key (user id), label, tickets, hours}], total: {tickets, hours}}.
tessera::Response ticketsByTechnician(const tessera::Request& r, tessera::Context& ctx);

/// GET charts/response?year=&unit=: how soon the technician arrived after the call: within 4
/// hours, 4-8, 8-24, 24-48, over 48, and not yet arrived: {items: [{key, label, value}], total}.
/// Fixed bands, whatever the response-hours setting (the statistics report's rate).
tessera::Response responseTimes(const tessera::Request& r, tessera::Context& ctx);

}  // namespace biz::aftersales
