// biz.orders (订单管理): products, orders numbered per day with their lines, the order's
// workflow under its payment type, and returns and exchanges are declared in manifest.xml and
// served by the host (docs/records.md). This library adds the rules (orders_rules.hpp), the
// order and sales summaries and the customer card's orders.

#include "orders_charts.hpp"
#include "orders_rules.hpp"

namespace biz::orders {

namespace {

class OrdersModule final : public tessera::Module {
public:
    void declare(tessera::Declarations& d) override {
        tessera::RecordHooks products;
        products.derive = deriveProduct;
        d.records(QStringLiteral("product"), std::move(products));

        tessera::RecordHooks orders;
        orders.derive = deriveOrder;
        orders.validate = checkOrder;
        orders.afterSave = afterOrderSave;
        orders.refuseDelete = refuseOrderDelete;
        orders.guard = [](const QString& step, const tessera::Record& draft, const tessera::Record& stored, const tessera::Request&,
                          tessera::Context& ctx) { return guardOrder(step, draft, stored, ctx); };
        orders.afterStep = [](const QString& step, const tessera::Record& saved, const tessera::Record&, const tessera::Request&,
                              tessera::Context& ctx) { return afterOrderStep(step, saved, ctx); };
        d.records(QStringLiteral("order"), std::move(orders));

        tessera::RecordHooks lines;
        lines.derive = deriveLine;
        lines.validate = checkLine;
        lines.afterSave = afterLineSave;
        lines.refuseDelete = refuseLineDelete;
        d.records(QStringLiteral("line"), std::move(lines));

        tessera::RecordHooks returns;
        returns.derive = deriveReturn;
        returns.validate = checkReturn;
        returns.afterSave = afterReturnSave;
        returns.refuseDelete = [](const tessera::Record& r, tessera::Context&) -> tessera::Result<QString> {
            return r.value(QStringLiteral("state")).toString() == u"requested" ? QString()
                                                                               : tessera::text("a return is deleted only while requested");
        };
        d.records(QStringLiteral("return"), std::move(returns));

        d.route(tessera::Method::Get, QStringLiteral("summary"), ordersSummary, QStringLiteral("biz.orders.read"));
        d.route(tessera::Method::Get, QStringLiteral("sales"), salesSummary, QStringLiteral("biz.orders.read"));
        d.reminders(QStringLiteral("biz.orders.read"), orderReminders);
        d.demo(makeDemoOrders);
        d.route(tessera::Method::Get, QStringLiteral("charts/monthly"), monthlySales, QStringLiteral("biz.orders.read"));
        d.route(tessera::Method::Get, QStringLiteral("charts/products"), topProducts, QStringLiteral("biz.orders.read"));
        d.route(tessera::Method::Get, QStringLiteral("charts/customers"), topCustomers, QStringLiteral("biz.orders.read"));
        d.cardSection(QStringLiteral("orders"), customerOrders);
        d.cardSection(QStringLiteral("order-lines"), orderLines);
    }
};

}  // namespace

}  // namespace biz::orders

TESSERA_MODULE(biz::orders::OrdersModule)
