// biz.orders' rules: see orders_rules.hpp.

#include "orders_rules.hpp"

#include <QDateTime>

#include <algorithm>
#include <iterator>
#include <limits>

namespace biz::orders {

using tessera::FieldError;
using tessera::Record;

namespace {

QString text(const Record& r, const char* field) { return r.value(QLatin1String(field)).toString().trimmed(); }
qint64 number(const Record& r, const char* field) { return r.value(QLatin1String(field)).toInteger(); }
// Money (or a percentage) in hundredths from a decimal field ("12.30"), when given.
std::optional<qint64> hundredths(const Record& r, const char* field) { return tessera::parseDecimal(text(r, field), 2); }
QString yuan(qint64 fen) { return tessera::formatDecimal(fen, 2); }
QString today(tessera::Context& ctx) { return ctx.clock().now().toLocalTime().date().toString(Qt::ISODate); }
QString stateLabel(const QString& dictionary, const QString& code, tessera::Context& ctx) {
    return ctx.dictionary(dictionary).value(code, code);
}

// The order's total follows its lines (leaving out line `exceptLine`, one about to go); its
// version moves, so no one acts on a total they did not see. Audited as every write is.
tessera::Status refreshOrderTotal(qint64 orderId, qint64 exceptLine, tessera::Context& ctx) {
    auto w = ctx.database().execute(
        QStringLiteral("UPDATE biz_ord_orders SET total = (SELECT coalesce(sum(total), 0) FROM biz_ord_lines WHERE order_id = ?1 "
                       "AND id <> ?2), version = version + 1, updated_at = ?3 WHERE id = ?1"),
        {orderId, exceptLine, ctx.clock().now().toUTC().toString(Qt::ISODateWithMs)});
    if (!w) return w.error();
    return {};
}

// Fields of the order its lines keep a copy of (the sales summaries read the lines alone).
constexpr const char* kCopiedToLines[] = {"orderDate", "customerId", "unitId"};

// Fields the order's steps record: never written by hand.
constexpr const char* kStepFields[] = {"confirmedOn", "assignee",  "assigneeNote", "paidOn",
                                       "paymentRef",  "shippedOn", "waybill",      "completedOn"};

// A field's value as written, whatever its kind: "" for none (a user's id as its digits).
QString written(const Record& r, const char* field) {
    const QJsonValue v = r.value(QLatin1String(field));
    return v.isDouble() ? QString::number(v.toInteger()) : v.toString().trimmed();
}

}  // namespace

qint64 lineTotal(qint64 quantity, qint64 unitPriceFen, qint64 discountHundredthsOfPercent) {
    // At most 100,000 x 1,000,000,000 fen x 10,000: 10^18, within 64 bits (and twice it, to round).
    return tessera::divideRoundingHalfUp(quantity * unitPriceFen * (10000 - discountHundredthsOfPercent), 10000);
}

qint64 refundLimit(qint64 lineTotalFen, qint64 lineQuantity, qint64 quantity) {
    if (lineQuantity <= 0) return 0;
    return tessera::divideRoundingHalfUp(lineTotalFen * quantity, lineQuantity);
}

void deriveProduct(Record& draft, const Record* stored, tessera::Context&) {
    if (!stored && !draft.contains(QStringLiteral("active"))) draft.insert(QStringLiteral("active"), true);
}

void deriveOrder(Record& draft, const Record* stored, tessera::Context& ctx) {
    auto customer = ctx.records().read(kCustomerCard, number(draft, "customerId"));
    if (customer && !customer->isEmpty()) {
        draft.insert(QStringLiteral("customerName"), customer->value(QStringLiteral("name")));
        for (const char* field : {"address", "phone"})
            if (text(draft, field).isEmpty()) draft.insert(QLatin1String(field), customer->value(QLatin1String(field)));
    }
    // Never without a day (it numbers the order and dates its lines): today, or the one it had.
    if (text(draft, "orderDate").isEmpty())
        draft.insert(QStringLiteral("orderDate"),
                     stored && !text(*stored, "orderDate").isEmpty() ? stored->value(QStringLiteral("orderDate")) : QJsonValue(today(ctx)));
    qint64 total = 0;
    if (stored) {
        auto row = ctx.database().queryOne(QStringLiteral("SELECT coalesce(sum(total), 0) AS fen FROM biz_ord_lines WHERE order_id = ?1"),
                                           {number(*stored, "id")});
        if (row) total = row->value(QStringLiteral("fen")).toLongLong();
    }
    draft.insert(QStringLiteral("total"), yuan(total));
}

QList<FieldError> checkOrder(const Record& draft, const Record* stored, const tessera::Request&, tessera::Context& ctx) {
    QList<FieldError> errors;
    if (stored && text(*stored, "state") != u"placed") {
        errors.append({QStringLiteral("state"), tessera::text("the order is %1: it can be edited only before it is confirmed",
                                                              stateLabel(QStringLiteral("order-state"), text(*stored, "state"), ctx))});
        return errors;
    }
    for (const char* field : kStepFields)
        if (written(draft, field) != (stored ? written(*stored, field) : QString()))
            errors.append({QLatin1String(field), tessera::text("is recorded by the order's steps, not edited")});
    return errors;
}

QList<FieldError> guardOrder(const QString& step, const Record& draft, const Record& stored, tessera::Context& ctx) {
    QList<FieldError> errors;
    const bool cod = text(stored, "paymentType") == u"cod";
    if (step == u"confirm") {
        auto lines =
            ctx.database().queryOne(QStringLiteral("SELECT count(*) AS n FROM biz_ord_lines WHERE order_id = ?1"), {number(stored, "id")});
        if (!lines) return {{QStringLiteral("(step)"), tessera::text("could not be checked: %1", lines.error().message)}};
        if (lines->value(QStringLiteral("n")).toLongLong() == 0)
            errors.append({QStringLiteral("(step)"), tessera::text("an order without lines cannot be confirmed: add its lines first")});
    } else if (step == u"reassign") {
        if (written(draft, "assignee") == written(stored, "assignee"))
            errors.append({QStringLiteral("assignee"), tessera::text("the order is assigned to them already: name someone else")});
    } else if (step == u"pay") {
        if (cod && text(stored, "shippedOn").isEmpty())
            errors.append({QStringLiteral("paidOn"), tessera::text("cash on delivery is paid after the goods are shipped: ship it first")});
    } else if (step == u"ship") {
        if (!text(stored, "shippedOn").isEmpty())
            errors.append({QStringLiteral("(step)"), tessera::text("the order was shipped on %1 already", text(stored, "shippedOn"))});
        else if (!cod && text(stored, "paidOn").isEmpty())
            errors.append({QStringLiteral("paidOn"), tessera::text("is not recorded: an order paid before shipping (or into escrow) "
                                                                   "ships only once it is paid")});
    } else if (step == u"complete") {
        if (text(stored, "shippedOn").isEmpty())
            errors.append({QStringLiteral("shippedOn"), tessera::text("is not recorded: an order is completed only once shipped")});
        if (text(stored, "paidOn").isEmpty())
            errors.append({QStringLiteral("paidOn"), tessera::text("is not recorded: an order is completed only once paid")});
    }
    // A step's day is not before the order's, nor before the step it follows.
    const QString ordered = text(stored, "orderDate");
    for (const char* field : {"confirmedOn", "paidOn", "shippedOn", "completedOn"}) {
        const QString day = text(draft, field);
        if (day.isEmpty() || day == text(stored, field)) continue;
        if (!ordered.isEmpty() && day < ordered)
            errors.append({QLatin1String(field), tessera::text("is before the order date (%1)", ordered)});
        else if (QLatin1String(field) == u"completedOn" && day < text(stored, "shippedOn"))
            errors.append({QLatin1String(field), tessera::text("is before the order was shipped (%1)", text(stored, "shippedOn"))});
    }
    return errors;
}

tessera::Status afterOrderStep(const QString& step, const Record& saved, tessera::Context& ctx) {
    if (step != u"complete" || text(saved, "paymentType") != u"escrow") return {};
    auto w = ctx.database().execute(QStringLiteral("UPDATE biz_ord_orders SET escrow_released_on = ?2 WHERE id = ?1"),
                                    {number(saved, "id"), text(saved, "completedOn")});
    if (!w) return w.error();
    return {};
}

tessera::Status afterOrderSave(const Record& saved, const Record* before, tessera::Context& ctx) {
    if (!before) return {};
    const bool moved = std::any_of(std::begin(kCopiedToLines), std::end(kCopiedToLines), [&](const char* field) {
        return saved.value(QLatin1String(field)) != before->value(QLatin1String(field));
    });
    if (!moved) return {};
    auto w = ctx.database().execute(QStringLiteral("UPDATE biz_ord_lines SET order_date = ?2, customer_id = ?3, unit_id = ?4, "
                                                   "version = version + 1, updated_at = ?5 WHERE order_id = ?1"),
                                    {number(saved, "id"), text(saved, "orderDate"), number(saved, "customerId"), number(saved, "unitId"),
                                     ctx.clock().now().toUTC().toString(Qt::ISODateWithMs)});
    if (!w) return w.error();
    return {};
}

tessera::Result<QString> refuseOrderDelete(const Record& order, tessera::Context& ctx) {
    if (text(order, "state") == u"placed") return QString();
    return tessera::text("the order is %1: only an order not yet confirmed may be deleted (a placed order is cancelled instead)",
                         stateLabel(QStringLiteral("order-state"), text(order, "state"), ctx));
}

void deriveLine(Record& draft, const Record* stored, tessera::Context& ctx) {
    (void)stored;
    auto order = ctx.records().read(kOrderCard, number(draft, "orderId"));
    if (order && !order->isEmpty())
        for (const char* field : {"unitId", "orderDate", "customerId"})
            draft.insert(QLatin1String(field), order->value(QLatin1String(field)));
    auto product = ctx.records().read(kProductCard, number(draft, "productId"));
    if (product && !product->isEmpty()) {
        draft.insert(QStringLiteral("productName"), product->value(QStringLiteral("name")));
        if (text(draft, "unitPrice").isEmpty()) draft.insert(QStringLiteral("unitPrice"), product->value(QStringLiteral("price")));
    }
    const qint64 quantity = number(draft, "quantity");
    const auto price = hundredths(draft, "unitPrice");
    const auto discount = text(draft, "discount").isEmpty() ? std::optional<qint64>(0) : hundredths(draft, "discount");
    const bool computable = quantity > 0 && quantity <= 100000 && price && *price >= 0 && *price <= 1000000000 && discount &&
                            *discount >= 0 && *discount <= 10000;
    draft.insert(QStringLiteral("total"), computable ? QJsonValue(yuan(lineTotal(quantity, *price, *discount))) : QJsonValue());
}

QList<FieldError> checkLine(const Record& draft, const Record* stored, const tessera::Request&, tessera::Context& ctx) {
    QList<FieldError> errors;
    if (stored && number(draft, "orderId") != number(*stored, "orderId"))
        errors.append({QStringLiteral("orderId"), tessera::text("a line stays on its order: delete it and add it to the other")});
    auto order = ctx.records().read(kOrderCard, number(stored ? *stored : draft, "orderId"));
    if (!order) return {{QStringLiteral("orderId"), tessera::text("could not be checked: %1", order.error().message)}};
    if (!order->isEmpty() && text(*order, "state") != u"placed")
        errors.append({QStringLiteral("orderId"),
                       tessera::text("order %1 is %2: its lines can be changed only before it is confirmed", text(*order, "orderNo"),
                                     stateLabel(QStringLiteral("order-state"), text(*order, "state"), ctx))});
    if (!stored || number(draft, "productId") != number(*stored, "productId")) {
        auto product = ctx.records().read(kProductCard, number(draft, "productId"));
        if (product && !product->isEmpty() && !product->value(QStringLiteral("active")).toBool())
            errors.append({QStringLiteral("productId"), tessera::text("%1 is not on sale", text(*product, "name"))});
    }
    return errors;
}

tessera::Status afterLineSave(const Record& saved, const Record* before, tessera::Context& ctx) {
    (void)before;
    // Checked again in the writing transaction: an order confirmed meanwhile takes no line.
    auto order =
        ctx.database().queryOne(QStringLiteral("SELECT order_no, state FROM biz_ord_orders WHERE id = ?1"), {number(saved, "orderId")});
    if (!order) return order.error();
    const QString state = order->value(QStringLiteral("state")).toString();
    if (state != u"placed")
        return tessera::Error(
            QStringLiteral("biz.orders.confirmed"),
            tessera::text("order %1 is %2: its lines can be changed only before it is confirmed",
                          order->value(QStringLiteral("order_no")).toString(), stateLabel(QStringLiteral("order-state"), state, ctx)),
            QStringLiteral("orderId"));
    return refreshOrderTotal(number(saved, "orderId"), 0, ctx);
}

tessera::Result<QString> refuseLineDelete(const Record& line, tessera::Context& ctx) {
    auto order = ctx.records().read(kOrderCard, number(line, "orderId"));
    if (!order) return order.error();
    if (!order->isEmpty() && text(*order, "state") != u"placed")
        return tessera::text("order %1 is %2: its lines can be changed only before it is confirmed", text(*order, "orderNo"),
                             stateLabel(QStringLiteral("order-state"), text(*order, "state"), ctx));
    if (auto s = refreshOrderTotal(number(line, "orderId"), number(line, "id"), ctx); !s) return s.error();
    return QString();
}

void deriveReturn(Record& draft, const Record* stored, tessera::Context& ctx) {
    (void)stored;
    auto line = ctx.records().read(kLineCard, number(draft, "lineId"));
    if (!line || line->isEmpty()) return;
    for (const char* field : {"orderId", "productName", "unitId"}) draft.insert(QLatin1String(field), line->value(QLatin1String(field)));
    const QString kind = text(draft, "kind");
    const qint64 quantity = number(draft, "quantity");
    const auto paid = hundredths(*line, "total");
    if (kind == u"refund" && text(draft, "refund").isEmpty() && quantity > 0 && paid)
        draft.insert(QStringLiteral("refund"), yuan(refundLimit(*paid, number(*line, "quantity"), quantity)));
    if (kind == u"exchange" && number(draft, "replacementProductId") <= 0)
        draft.insert(QStringLiteral("replacementProductId"), line->value(QStringLiteral("productId")));
}

QList<FieldError> checkReturn(const Record& draft, const Record* stored, const tessera::Request&, tessera::Context& ctx) {
    QList<FieldError> errors;
    if (stored && text(*stored, "state") != u"requested")
        return {{QStringLiteral("state"), tessera::text("the return is %1: it can be edited only while requested",
                                                        stateLabel(QStringLiteral("return-state"), text(*stored, "state"), ctx))}};
    auto line = ctx.records().read(kLineCard, number(draft, "lineId"));
    if (!line) return {{QStringLiteral("lineId"), tessera::text("could not be checked: %1", line.error().message)}};
    if (line->isEmpty()) return errors;
    auto order = ctx.records().read(kOrderCard, number(*line, "orderId"));
    if (!order) return {{QStringLiteral("lineId"), tessera::text("could not be checked: %1", order.error().message)}};
    if (text(*order, "shippedOn").isEmpty() || text(*order, "state") == u"cancelled") {
        errors.append({QStringLiteral("lineId"), tessera::text("order %1 is %2: only goods shipped come back", text(*order, "orderNo"),
                                                               stateLabel(QStringLiteral("order-state"), text(*order, "state"), ctx))});
        return errors;
    }
    auto back = ctx.database().queryOne(QStringLiteral("SELECT coalesce(sum(quantity), 0) AS n FROM biz_ord_returns "
                                                       "WHERE line_id = ?1 AND state <> 'rejected' AND id <> ?2"),
                                        {number(*line, "id"), stored ? number(*stored, "id") : 0});
    if (!back) return {{QStringLiteral("quantity"), tessera::text("could not be checked: %1", back.error().message)}};
    const qint64 shipped = number(*line, "quantity"), returned = back->value(QStringLiteral("n")).toLongLong();
    const qint64 quantity = number(draft, "quantity");
    if (quantity > shipped - returned)
        errors.append({QStringLiteral("quantity"),
                       tessera::text("at most %1 can come back: %2 were shipped and %3 have come back or are coming back already",
                                     qMax<qint64>(0, shipped - returned), shipped, returned)});
    const QString kind = text(draft, "kind");
    const auto refund = hundredths(draft, "refund");
    if (kind == u"refund") {
        const qint64 limit = refundLimit(hundredths(*line, "total").value_or(0), shipped, qMin(quantity, shipped));
        if (refund && *refund > limit)
            errors.append({QStringLiteral("refund"), tessera::text("is more than the %1 yuan paid for %2 of them", yuan(limit), quantity)});
        if (number(draft, "replacementProductId") > 0)
            errors.append({QStringLiteral("replacementProductId"), tessera::text("only an exchange names a replacement")});
    } else if (kind == u"exchange" && refund && *refund != 0) {
        errors.append({QStringLiteral("refund"), tessera::text("an exchange refunds nothing: return the goods for a refund instead")});
    }
    return errors;
}

tessera::Status afterReturnSave(const Record& saved, const Record* before, tessera::Context& ctx) {
    (void)before;
    // Checked again in the writing transaction, where two returns of one line cannot interleave.
    auto row =
        ctx.database().queryOne(QStringLiteral("SELECT l.quantity AS shipped, (SELECT coalesce(sum(quantity), 0) FROM "
                                               "biz_ord_returns WHERE line_id = l.id AND state <> 'rejected' AND id <> ?2) AS returned "
                                               "FROM biz_ord_lines l WHERE l.id = ?1"),
                                {number(saved, "lineId"), number(saved, "id")});
    if (!row) return row.error();
    const qint64 shipped = row->value(QStringLiteral("shipped")).toLongLong(),
                 returned = row->value(QStringLiteral("returned")).toLongLong();
    if (number(saved, "quantity") > shipped - returned)
        return tessera::Error(QStringLiteral("biz.orders.returned"),
                              tessera::text("at most %1 can come back: %2 were shipped and %3 have come back or are coming back already",
                                            qMax<qint64>(0, shipped - returned), shipped, returned),
                              QStringLiteral("quantity"));
    return {};
}

namespace {

struct Period {
    qint64 year;
    QString from, to;  // [from, to) as ISO dates
};

std::optional<Period> yearParam(const tessera::Request& r, tessera::Context& ctx, QList<FieldError>& errors) {
    const QDate now = ctx.clock().now().toLocalTime().date();
    const qint64 year = tessera::wholeNumberParam(r, QStringLiteral("year"), now.year(), 2000, now.year() + 1, errors);
    return Period{year, QStringLiteral("%1-01-01").arg(year), QStringLiteral("%1-01-01").arg(year + 1)};
}

}  // namespace

tessera::Response ordersSummary(const tessera::Request& r, tessera::Context& ctx) {
    QList<FieldError> errors;
    tessera::refuseUnknownParams(r, {QStringLiteral("year"), QStringLiteral("by"), QStringLiteral("unit")}, errors);
    const auto period = yearParam(r, ctx, errors);
    const qint64 unit = tessera::wholeNumberParam(r, QStringLiteral("unit"), 0, 1, std::numeric_limits<qint64>::max(), errors);
    const QString by = r.queryValue(QStringLiteral("by"), QStringLiteral("month"));
    static const QHash<QString, QString> keys{{QStringLiteral("month"), QStringLiteral("substr(order_date, 1, 7)")},
                                              {QStringLiteral("state"), QStringLiteral("state")},
                                              {QStringLiteral("customer"), QStringLiteral("customer_name")},
                                              {QStringLiteral("assignee"), QStringLiteral("assignee")}};
    // Orders assigned before the assignee was a person are counted by the words they kept.
    const QString note =
        by == u"assignee" ? QStringLiteral("CASE WHEN assignee IS NULL THEN assignee_note ELSE '' END") : QStringLiteral("''");
    if (!keys.contains(by))
        errors.append({QStringLiteral("by"), tessera::text("must be month, state, customer or assignee, not '%1'", by)});
    if (!errors.isEmpty()) return tessera::Response::invalid(errors);
    tessera::Params params{period->from, period->to};
    const QString inScope =
        unit ? r.scope->conditionWithin(QStringLiteral("unit_id"), unit, params) : r.scope->condition(QStringLiteral("unit_id"), params);
    const bool byAmount = by == u"customer" || by == u"assignee";
    auto rows =
        ctx.database().query(QStringLiteral("SELECT %1 AS k, %2 AS note, count(*) AS n, coalesce(sum(total), 0) AS fen FROM biz_ord_orders "
                                            "WHERE order_date >= ?1 AND order_date < ?2 AND %3 GROUP BY 1, 2 ORDER BY %4")
                                 .arg(keys.value(by), note, inScope, byAmount ? QStringLiteral("4 DESC, 1, 2") : QStringLiteral("1, 2")),
                             params);
    if (!rows) return tessera::Response::storageFailure(rows.error(), tessera::text("the orders could not be counted"));
    const QHash<QString, QString> states = ctx.dictionary(QStringLiteral("order-state"));
    QHash<qint64, QString> assignees;
    if (by == u"assignee") {
        QList<qint64> ids;
        for (const auto& row : *rows)
            if (const qint64 id = row.value(QStringLiteral("k")).toLongLong(); id > 0) ids << id;
        auto names = ctx.records().userNames(ids);
        if (!names) return tessera::Response::storageFailure(names.error(), tessera::text("the orders could not be counted"));
        assignees = *names;
    }
    QJsonArray items;
    qint64 orders = 0, fen = 0;
    for (const auto& row : *rows) {
        const QString key = row.value(QStringLiteral("k")).toString();
        QString label = key;
        if (by == u"state") label = states.value(key, key);
        if (by == u"assignee") {
            const qint64 id = row.value(QStringLiteral("k")).toLongLong();
            const QString words = row.value(QStringLiteral("note")).toString();
            label = id > 0             ? assignees.value(id, tessera::text("a user who no longer exists"))
                    : !words.isEmpty() ? words
                                       : tessera::text("not assigned");
        }
        const qint64 n = row.value(QStringLiteral("n")).toLongLong(), amount = row.value(QStringLiteral("fen")).toLongLong();
        items.append(
            QJsonObject{{QStringLiteral("label"), label}, {QStringLiteral("orders"), n}, {QStringLiteral("amount"), yuan(amount)}});
        orders += n;
        fen += amount;
    }
    return tessera::Response::json(QJsonObject{
        {QStringLiteral("title"), tessera::text("orders in %1", period->year)},
        {QStringLiteral("params"), QJsonObject{{QStringLiteral("year"), QString::number(period->year)}, {QStringLiteral("by"), by}}},
        {QStringLiteral("items"), items},
        {QStringLiteral("total"), QJsonObject{{QStringLiteral("label"), tessera::text("total")},
                                              {QStringLiteral("orders"), orders},
                                              {QStringLiteral("amount"), yuan(fen)}}}});
}

tessera::Result<std::vector<SalesRow>> sales(const QString& by, qint64 year, qint64 unit, const tessera::Request& r,
                                             tessera::Context& ctx) {
    // The key, and the label people read for it (the names as the lines and orders keep them).
    static const QHash<QString, QPair<QString, QString>> keys{
        {QStringLiteral("month"), {QStringLiteral("substr(l.order_date, 1, 7)"), QStringLiteral("substr(l.order_date, 1, 7)")}},
        {QStringLiteral("product"), {QStringLiteral("l.product_id"), QStringLiteral("max(l.product_name)")}},
        {QStringLiteral("customer"), {QStringLiteral("l.customer_id"), QStringLiteral("max(o.customer_name)")}}};
    Q_ASSERT(keys.contains(by));
    tessera::Params params{QStringLiteral("%1-01-01").arg(year), QStringLiteral("%1-01-01").arg(year + 1)};
    const QString inScope = unit ? r.scope->conditionWithin(QStringLiteral("l.unit_id"), unit, params)
                                 : r.scope->condition(QStringLiteral("l.unit_id"), params);
    // Sold: the lines of orders confirmed and not cancelled, by the order's day.
    auto rows = ctx.database().query(
        QStringLiteral("SELECT %1 AS k, %2 AS label, count(*) AS n, sum(l.quantity) AS quantity, sum(l.total) AS fen "
                       "FROM biz_ord_lines l JOIN biz_ord_orders o ON o.id = l.order_id "
                       "WHERE l.order_date >= ?1 AND l.order_date < ?2 AND o.state NOT IN ('placed', 'cancelled') AND %3 "
                       "GROUP BY 1 ORDER BY %4")
            .arg(keys.value(by).first, keys.value(by).second, inScope, by == u"month" ? QStringLiteral("1") : QStringLiteral("5 DESC, 2")),
        params);
    if (!rows) return rows.error();
    std::vector<SalesRow> out;
    for (const auto& row : *rows)
        out.push_back({row.value(QStringLiteral("k")).toString(), row.value(QStringLiteral("label")).toString(),
                       row.value(QStringLiteral("n")).toLongLong(), row.value(QStringLiteral("quantity")).toLongLong(),
                       row.value(QStringLiteral("fen")).toLongLong()});
    return out;
}

tessera::Response salesSummary(const tessera::Request& r, tessera::Context& ctx) {
    QList<FieldError> errors;
    tessera::refuseUnknownParams(r, {QStringLiteral("year"), QStringLiteral("by"), QStringLiteral("unit")}, errors);
    const auto period = yearParam(r, ctx, errors);
    const qint64 unit = tessera::wholeNumberParam(r, QStringLiteral("unit"), 0, 1, std::numeric_limits<qint64>::max(), errors);
    const QString by = r.queryValue(QStringLiteral("by"), QStringLiteral("month"));
    if (by != u"month" && by != u"product" && by != u"customer")
        errors.append({QStringLiteral("by"), tessera::text("must be month, product or customer, not '%1'", by)});
    if (!errors.isEmpty()) return tessera::Response::invalid(errors);
    auto rows = sales(by, period->year, unit, r, ctx);
    if (!rows) return tessera::Response::storageFailure(rows.error(), tessera::text("the sales could not be summed"));
    QJsonArray items;
    qint64 lines = 0, quantity = 0, fen = 0;
    for (const SalesRow& row : *rows) {
        items.append(QJsonObject{{QStringLiteral("label"), row.label},
                                 {QStringLiteral("lines"), row.lines},
                                 {QStringLiteral("quantity"), row.quantity},
                                 {QStringLiteral("amount"), yuan(row.fen)}});
        lines += row.lines;
        quantity += row.quantity;
        fen += row.fen;
    }
    return tessera::Response::json(QJsonObject{
        {QStringLiteral("title"), tessera::text("sales in %1", period->year)},
        {QStringLiteral("params"), QJsonObject{{QStringLiteral("year"), QString::number(period->year)}, {QStringLiteral("by"), by}}},
        {QStringLiteral("items"), items},
        {QStringLiteral("total"), QJsonObject{{QStringLiteral("label"), tessera::text("total")},
                                              {QStringLiteral("lines"), lines},
                                              {QStringLiteral("quantity"), quantity},
                                              {QStringLiteral("amount"), yuan(fen)}}}});
}

tessera::Result<std::vector<tessera::Reminder>> orderReminders(qint64 unitId, const QDate& date, tessera::Context& ctx) {
    const int days = ctx.setting(QStringLiteral("waiting-days")).toInt();
    const QString before = date.addDays(-days - 1).toString(Qt::ISODate);  // then or earlier: more than `days` ago
    // What each waits for (its states and payment types, as the list filters them) since the
    // day it was confirmed, or paid.
    struct Waiting {
        const char* states;
        const char* payments;
        const char* since;  // the field and its column
        const char* column;
    };
    static constexpr Waiting kWaiting[] = {
        {"confirmed,assigned", "prepaid,escrow", "confirmedOn", "confirmed_on"},  // payment
        {"confirmed,assigned", "cod", "confirmedOn", "confirmed_on"},             // shipping, paid on delivery
        {"paid", "prepaid,escrow", "paidOn", "paid_on"},                          // shipping, paid
    };
    std::vector<tessera::Reminder> out;
    for (const Waiting& w : kWaiting) {
        const QStringList states = QString::fromLatin1(w.states).split(u','), payments = QString::fromLatin1(w.payments).split(u',');
        tessera::Params params{unitId, before};
        QStringList stateMarks, paymentMarks;
        for (const QString& s : states) {
            params.push_back(s);
            stateMarks << QStringLiteral("?%1").arg(params.size());
        }
        for (const QString& p : payments) {
            params.push_back(p);
            paymentMarks << QStringLiteral("?%1").arg(params.size());
        }
        auto row = ctx.database().queryOne(QStringLiteral("SELECT count(*) AS n, min(%3) AS first FROM biz_ord_orders "
                                                          "WHERE unit_id = ?1 AND %3 <= ?2 AND state IN (%1) AND payment_type IN (%2)")
                                               .arg(stateMarks.join(u','), paymentMarks.join(u','), QLatin1String(w.column)),
                                           params);
        if (!row) return row.error();
        const qint64 n = row->value(QStringLiteral("n")).toLongLong();
        if (!n) continue;
        const QString words = &w == &kWaiting[0]   ? tessera::text("%1 orders confirmed more than %2 days ago wait for payment", n, days)
                              : &w == &kWaiting[1] ? tessera::text(
                                                         "%1 orders on cash on delivery confirmed more than %2 days ago wait "
                                                         "to be shipped",
                                                         n, days)
                                                   : tessera::text("%1 orders paid more than %2 days ago wait to be shipped", n, days);
        out.push_back({words, QStringLiteral("warning"),
                       QStringLiteral("/m/biz.orders/orders?state=%1&paymentType=%2&%3To=%4")
                           .arg(QLatin1String(w.states), QLatin1String(w.payments), QLatin1String(w.since), before),
                       QDate::fromString(row->value(QStringLiteral("first")).toString(), Qt::ISODate).addDays(days + 1)});
    }
    return out;
}

tessera::Result<QJsonArray> customerOrders(qint64 customerId, const tessera::Request& r, tessera::Context& ctx) {
    tessera::Params params{customerId};
    const QString inScope = r.scope->condition(QStringLiteral("unit_id"), params);
    auto rows = ctx.database().query(QStringLiteral("SELECT order_no, order_date, state, total FROM biz_ord_orders "
                                                    "WHERE customer_id = ?1 AND %1 ORDER BY order_date DESC, id DESC LIMIT 100")
                                         .arg(inScope),
                                     params);
    if (!rows) return rows.error();
    const QHash<QString, QString> states = ctx.dictionary(QStringLiteral("order-state"));
    QJsonArray out;
    for (const auto& row : *rows)
        out.append(QJsonObject{{QStringLiteral("orderNo"), row.value(QStringLiteral("order_no")).toString()},
                               {QStringLiteral("orderDate"), row.value(QStringLiteral("order_date")).toString()},
                               {QStringLiteral("state"), states.value(row.value(QStringLiteral("state")).toString())},
                               {QStringLiteral("total"), yuan(row.value(QStringLiteral("total")).toLongLong())}});
    return out;
}

tessera::Result<QJsonArray> orderLines(qint64 orderId, const tessera::Request& r, tessera::Context& ctx) {
    tessera::Params params{orderId};
    const QString inScope = r.scope->condition(QStringLiteral("l.unit_id"), params);
    auto rows = ctx.database().query(
        QStringLiteral("SELECT l.product_name, l.quantity, l.unit_price, l.discount, l.total, (SELECT coalesce(sum(quantity), 0) "
                       "FROM biz_ord_returns WHERE line_id = l.id AND state <> 'rejected') AS returned "
                       "FROM biz_ord_lines l WHERE l.order_id = ?1 AND %1 ORDER BY l.id")
            .arg(inScope),
        params);
    if (!rows) return rows.error();
    QJsonArray out;
    const auto money = [](const QVariant& v) { return v.isNull() ? QString() : yuan(v.toLongLong()); };
    for (const auto& row : *rows)
        out.append(QJsonObject{{QStringLiteral("product"), row.value(QStringLiteral("product_name")).toString()},
                               {QStringLiteral("quantity"), row.value(QStringLiteral("quantity")).toLongLong()},
                               {QStringLiteral("unitPrice"), money(row.value(QStringLiteral("unit_price")))},
                               {QStringLiteral("discount"), money(row.value(QStringLiteral("discount")))},
                               {QStringLiteral("total"), money(row.value(QStringLiteral("total")))},
                               {QStringLiteral("returned"), row.value(QStringLiteral("returned")).toLongLong()}});
    return out;
}

}  // namespace biz::orders
