#pragma once
// biz.aftersales' sample data for `tessera demo` (售后服务演示数据).

#include <tessera/tessera.hpp>

namespace biz::aftersales {

/// `tessera demo`: a service department (华东售后服务部) under the root unit, the demo
/// customers (found by name when another plugin's sample data made them, else made at the
/// root), repair calls in the customers' own words, two maintenance contracts (one covering a
/// class B call, one ending within the notice days), dispatch tickets of classes A to D in
/// every state with exact class A fees, a satisfaction survey of a closed ticket, a complaint
/// and a work log entry, all dated relative to today. The tickets, survey and log name a
/// technician: the first user holding biz.aftersales.work at the department (granted on the
/// root unit and below before the demo runs); without one they are left out and the result
/// says so. "demo.not_empty" when the plugin already has data.
tessera::Result<QString> makeDemoAftersales(const tessera::DemoScale& scale, qint64 rootUnitId, tessera::Context& ctx);

}  // namespace biz::aftersales
