#pragma once
// biz.orders' rules (订单管理), as the record engine's hooks call them. The product, order,
// line and return cards are declared in manifest.xml; these are what the cards cannot say.

#include <tessera/tessera.hpp>

namespace biz::orders {

inline const QString kCustomerCard = QStringLiteral("biz.customers/customer");
inline const QString kProductCard = QStringLiteral("biz.orders/product");
inline const QString kOrderCard = QStringLiteral("biz.orders/order");
inline const QString kLineCard = QStringLiteral("biz.orders/line");

/// A line's amount in fen: quantity x unit price less the discount (a percentage with two
/// decimals, in hundredths of a percent), rounded half up to the fen once, at the end:
/// 3 x 19.99 at 12.5% off is 5997 x 8750 / 10000 = 5247.375 -> 52.47.
qint64 lineTotal(qint64 quantity, qint64 unitPriceFen, qint64 discountHundredthsOfPercent);

/// At most this many fen of a line's amount come back for `quantity` of its `lineQuantity`:
/// its share of the amount paid, rounded half up.
qint64 refundLimit(qint64 lineTotalFen, qint64 lineQuantity, qint64 quantity);

/// A new product is on sale unless it says otherwise.
void deriveProduct(tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);

/// An order: the customer's name, and their address and phone where it gives none; today
/// when it has no date (an edit leaving it empty keeps the one it had); its total, the sum of
/// its lines.
void deriveOrder(tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);

/// An order is edited only while placed, and what the steps record (the assignee, payment,
/// shipping, completion) is not written by hand.
QList<tessera::FieldError> checkOrder(const tessera::Record& draft, const tessera::Record* stored, const tessera::Request& r,
                                      tessera::Context& ctx);

/// The steps' rules: an order without lines is not confirmed; cash on delivery is paid after
/// it is shipped; an order paid before shipping (or into escrow) ships only once paid; an
/// order completes only shipped and paid.
QList<tessera::FieldError> guardOrder(const QString& step, const tessera::Record& draft, const tessera::Record& stored,
                                      tessera::Context& ctx);

/// Completing an escrow order releases the escrow (on the day it completes).
tessera::Status afterOrderStep(const QString& step, const tessera::Record& saved, tessera::Context& ctx);

/// An order's date, customer or unit changed (while placed): its lines follow.
tessera::Status afterOrderSave(const tessera::Record& saved, const tessera::Record* before, tessera::Context& ctx);

/// An order placed and never confirmed may go; any other is the customer's history.
tessera::Result<QString> refuseOrderDelete(const tessera::Record& order, tessera::Context& ctx);

/// A line: the product's name, its price where the line names none, the order's date,
/// customer and unit, and the line's amount.
void deriveLine(tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);

/// Lines change only while their order is placed, stay on their order, and name products on
/// sale.
QList<tessera::FieldError> checkLine(const tessera::Record& draft, const tessera::Record* stored, const tessera::Request& r,
                                     tessera::Context& ctx);

/// After a line is saved: its order is still placed (checked again in the writing
/// transaction), and its total (and version) follow.
tessera::Status afterLineSave(const tessera::Record& saved, const tessera::Record* before, tessera::Context& ctx);

/// A line goes only while its order is placed; its order's total then drops it.
tessera::Result<QString> refuseLineDelete(const tessera::Record& line, tessera::Context& ctx);

/// A return takes its line's order, product and unit; a refund left empty is the returned
/// quantity's share of what the line cost.
void deriveReturn(tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);

/// A return is of a shipped order's line, not more than was shipped less what came back
/// before; a refund gives money back (not above the share paid), an exchange a product.
QList<tessera::FieldError> checkReturn(const tessera::Record& draft, const tessera::Record* stored, const tessera::Request& r,
                                       tessera::Context& ctx);

/// The quantity rule again, in the writing transaction (two returns of a line at once).
tessera::Status afterReturnSave(const tessera::Record& saved, const tessera::Record* before, tessera::Context& ctx);

/// GET summary?year=&by=month|state|customer|assignee&unit=: the orders of a year (by their
/// date) in the caller's scope: how many and their amount, with the total.
tessera::Response ordersSummary(const tessera::Request& r, tessera::Context& ctx);

/// GET sales?year=&by=month|product|customer&unit=: what the lines of orders confirmed and
/// not cancelled sold in a year: lines, quantity and amount, with the total.
tessera::Response salesSummary(const tessera::Request& r, tessera::Context& ctx);

/// The home reminders of a selling branch: orders confirmed or assigned that have waited
/// more than the `waiting-days` setting since their order date for payment (paid before
/// shipping or into escrow) or for shipping (cash on delivery, or paid), each linking to the
/// orders list filtered to them.
tessera::Result<std::vector<tessera::Reminder>> orderReminders(qint64 unitId, const QDate& date, tessera::Context& ctx);

/// `tessera demo`: the company's product catalogue at the top unit, a sales branch with a
/// product of its own, the demo customers, orders of the branch in every state with their
/// lines, and a return; only into a deployment without products or orders.
tessera::Result<QString> makeDemoOrders(const tessera::DemoScale& scale, qint64 rootUnitId, tessera::Context& ctx);

/// What one month, product or customer sold: the lines, their quantity and amount in fen.
struct SalesRow {
    QString key, label;  // a month "2026-03", a product's or customer's id and name
    qint64 lines = 0, quantity = 0, fen = 0;
};

/// The sales salesSummary shows: the lines of orders confirmed and not cancelled dated in
/// `year`, in the caller's scope (within `unit` and below when not 0), by `by` (month,
/// product or customer): months in order, products and customers by amount, most first.
tessera::Result<std::vector<SalesRow>> sales(const QString& by, qint64 year, qint64 unit, const tessera::Request& r, tessera::Context& ctx);

/// The customer card's section: the customer's orders in the caller's scope, newest first.
tessera::Result<QJsonArray> customerOrders(qint64 customerId, const tessera::Request& r, tessera::Context& ctx);

/// The order card's section: its lines (product, quantity, price, discount, amount) and how
/// many of each have come back or are coming back.
tessera::Result<QJsonArray> orderLines(qint64 orderId, const tessera::Request& r, tessera::Context& ctx);

}  // namespace biz::orders
