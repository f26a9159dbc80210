#pragma once
// biz.aftersales' work log (工作日志) and the weekly summary per technician (技术员周报), as the
// record engine's hooks and the plugin's routes call them.

#include "aftersales_rules.hpp"

namespace biz::aftersales {

/// An entry at a ticket takes what the ticket's steps recorded where it says nothing (arrival,
/// closing as leaving, the work, the department); its day and hours from arrival and leaving.
void deriveWorklog(tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);

/// Leaving after arriving, within a day; a technician writes their own log, the manager
/// (biz.aftersales.dispatch at the department) anyone's.
QList<tessera::FieldError> checkWorklog(const tessera::Record& draft, const tessera::Record* stored, const tessera::Request& r,
                                        tessera::Context& ctx);

/// GET weekly?week=&unit=: the week (Monday to Sunday) holding `week` (default today) per
/// technician in the caller's scope, the picked unit and below: tickets closed by class and
/// their hours, the log's hours and travel, the surveys and the share of answers 满意 or better
/// (%, one decimal, half up), with the totals; a report the shell draws and exports.
tessera::Response weeklySummary(const tessera::Request& r, tessera::Context& ctx);

}  // namespace biz::aftersales
