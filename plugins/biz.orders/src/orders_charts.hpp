#pragma once
// biz.orders' charts (销售统计图): the routes the manifest's <chart>s draw, from the same sales
// query as the 销售汇总 report (orders_rules.hpp, sales()): the lines of orders confirmed and
// not cancelled dated in a year, in the caller's scope (the picked unit and below).

#include <tessera/tessera.hpp>

namespace biz::orders {

/// GET charts/monthly?year=&unit=: the amount sold in each month of the year (all twelve,
/// none: "0.00"): {items: [{key "2026-03", label, amount "1234.50"}], total: {amount}}.
tessera::Response monthlySales(const tessera::Request& r, tessera::Context& ctx);

/// GET charts/products?year=&unit=: the ten products that sold most (by amount), the rest
/// summed as 其他: {items: [{key (product id, or "other"), label, amount}], total: {amount}}.
tessera::Response topProducts(const tessera::Request& r, tessera::Context& ctx);

/// GET charts/customers?year=&unit=: the ten customers who bought most, the rest as 其他.
tessera::Response topCustomers(const tessera::Request& r, tessera::Context& ctx);

}  // namespace biz::orders
