// biz.orders' sample data for `tessera demo`: see orders_rules.hpp (makeDemoOrders).

#include "orders_rules.hpp"

#include <QDate>

namespace biz::orders {

namespace {

using tessera::Record;

struct DemoProduct {
    const char* code;
    const char* name;
    const char* specification;
    const char* measure;
    const char* price;
    const char* category;
};

// The company's catalogue, kept at the top unit: every branch sells from it.
constexpr DemoProduct kCatalogue[] = {
    {"P-001", "网络摄像机", "400万像素 红外30米", "台", "299.00", "equipment"},
    {"P-002", "硬盘录像机", "16路 H.265", "台", "1280.00", "equipment"},
    {"P-003", "监控硬盘", "4TB 7200转", "块", "599.00", "parts"},
    {"P-004", "千兆交换机", "8口 网线供电", "台", "459.00", "equipment"},
    {"P-005", "超五类网线", "305米/箱", "箱", "368.50", "consumables"},
    {"P-006", "上门安装调试", "每点位", "次", "80.00", "services"},
};


class Demo {
public:
    explicit Demo(tessera::Context& ctx) : ctx_(ctx), today_(ctx.clock().now().toLocalTime().date()) {}

    tessera::Result<QString> run(qint64 rootUnitId) {
        for (const char* table : {"biz_ord_products", "biz_ord_orders"}) {
            auto n = ctx_.database().queryOne(QStringLiteral("SELECT count(*) AS n FROM %1").arg(QLatin1String(table)));
            if (!n) return n.error();
            if (n->value(QStringLiteral("n")).toLongLong() > 0)
                return tessera::Error{QStringLiteral("demo.not_empty"),
                                      QStringLiteral("biz.orders already has data (%1); sample data goes only into an empty deployment")
                                          .arg(QLatin1String(table))};
        }
        auto branch = ctx_.units().create(rootUnitId, QStringLiteral("华东销售部"), QStringLiteral("SALES-EAST"));
        if (!branch) return branch.error();
        branch_ = branch->id;
        for (const DemoProduct& p : kCatalogue) {
            auto id = ctx_.records().create(kProductCard, Record{{QStringLiteral("code"), QString::fromUtf8(p.code)},
                                                                 {QStringLiteral("name"), QString::fromUtf8(p.name)},
                                                                 {QStringLiteral("specification"), QString::fromUtf8(p.specification)},
                                                                 {QStringLiteral("measure"), QString::fromUtf8(p.measure)},
                                                                 {QStringLiteral("price"), QString::fromUtf8(p.price)},
                                                                 {QStringLiteral("category"), QString::fromUtf8(p.category)},
                                                                 {QStringLiteral("unitId"), rootUnitId}});
            if (!id) return id.error();
            products_ << *id;
        }
        // The branch's own product, beside the company's.
        auto own = ctx_.records().create(kProductCard, Record{{QStringLiteral("code"), QStringLiteral("HD-001")},
                                                              {QStringLiteral("name"), QStringLiteral("华东区定制机柜")},
                                                              {QStringLiteral("measure"), QStringLiteral("台")},
                                                              {QStringLiteral("price"), QStringLiteral("1850.00")},
                                                              {QStringLiteral("category"), QStringLiteral("equipment")},
                                                              {QStringLiteral("unitId"), branch_}});
        if (!own) return own.error();
        products_ << *own;
        if (auto s = customers(rootUnitId); !s) return s.error();

        // Orders in every state of the lifecycle, with their lines, placed over the last weeks.
        auto placed = order(0, "cod", 1, {{0, 4, ""}, {5, 4, ""}});
        if (!placed) return placed.error();
        auto confirmed = order(1, "prepaid", 6, {{1, 1, ""}, {2, 2, "5"}});
        if (!confirmed) return confirmed.error();
        if (auto s = advance(*confirmed, "confirmed", {{"confirmed_on", day(5)}}); !s) return s.error();
        auto assigned = order(2, "cod", 3, {{3, 2, ""}, {4, 1, ""}});
        if (!assigned) return assigned.error();
        if (auto s = advance(*assigned, "assigned", {{"confirmed_on", day(3)}, {"assignee_note", QStringLiteral("一号仓库")}}); !s)
            return s.error();
        auto paid = order(3, "escrow", 5, {{6, 1, ""}});
        if (!paid) return paid.error();
        if (auto s = advance(*paid, "paid",
                             {{"confirmed_on", day(5)},
                              {"assignee_note", QStringLiteral("一号仓库")},
                              {"paid_on", day(4)},
                              {"payment_ref", QStringLiteral("支付宝担保 2026A0158")}});
            !s)
            return s.error();
        auto shipped = order(4, "prepaid", 9, {{0, 8, "10"}, {1, 1, ""}, {2, 2, ""}});
        if (!shipped) return shipped.error();
        if (auto s = advance(*shipped, "shipped",
                             {{"confirmed_on", day(9)},
                              {"assignee_note", QStringLiteral("二号仓库")},
                              {"paid_on", day(8)},
                              {"payment_ref", QStringLiteral("银行回单 0042")},
                              {"shipped_on", day(7)},
                              {"waybill", QStringLiteral("SF1234567890")}});
            !s)
            return s.error();
        auto completed = order(0, "cod", 20, {{0, 6, ""}, {5, 6, ""}});
        if (!completed) return completed.error();
        if (auto s = advance(*completed, "completed",
                             {{"confirmed_on", day(20)},
                              {"assignee_note", QStringLiteral("一号仓库")},
                              {"shipped_on", day(18)},
                              {"waybill", QStringLiteral("YT9876543210")},
                              {"paid_on", day(17)},
                              {"completed_on", day(17)}});
            !s)
            return s.error();
        auto cancelled = order(2, "cod", 2, {{4, 3, ""}});
        if (!cancelled) return cancelled.error();
        if (auto s = advance(*cancelled, "cancelled", {}); !s) return s.error();

        // One camera of the completed order came back broken: a refund, requested.
        auto line =
            ctx_.database().queryOne(QStringLiteral("SELECT id FROM biz_ord_lines WHERE order_id = ?1 ORDER BY id LIMIT 1"), {*completed});
        if (!line) return line.error();
        auto back = ctx_.records().create(QStringLiteral("biz.orders/return"),
                                          Record{{QStringLiteral("lineId"), line->value(QStringLiteral("id")).toLongLong()},
                                                 {QStringLiteral("kind"), QStringLiteral("refund")},
                                                 {QStringLiteral("quantity"), 1},
                                                 {QStringLiteral("reason"), QStringLiteral("安装后无图像，外壳有裂纹")}});
        if (!back) return back.error();
        return QStringLiteral("%1 products, 7 orders in every state with %2 lines, 1 return").arg(products_.size()).arg(lines_);
    }

private:
    struct Line {
        int product;
        qint64 quantity;
        const char* discount;
    };

    QString day(int daysAgo) const { return today_.addDays(-daysAgo).toString(Qt::ISODate); }

    // The sample customers biz.customers' demo made at the top unit, oldest first.
    tessera::Status customers(qint64 rootUnitId) {
        auto rows = ctx_.database().query(QStringLiteral("SELECT id FROM biz_customers WHERE unit_id = ?1 ORDER BY id LIMIT 5"), {rootUnitId});
        if (!rows) return rows.error();
        for (const auto& row : *rows) customers_ << row.value(QStringLiteral("id")).toLongLong();
        if (customers_.size() < 5)
            return tessera::Error{QStringLiteral("demo.customers"),
                                  QStringLiteral("%1's sample data needs the five sample customers biz.customers' demo makes at the top unit; "
                                                 "there are %2").arg(QStringLiteral("biz.orders")).arg(customers_.size())};
        return {};
    }

    // A placed order of customer `customer`, `daysAgo` days old, with its lines.
    tessera::Result<qint64> order(int customer, const char* payment, int daysAgo, std::initializer_list<Line> lines) {
        auto id = ctx_.records().create(kOrderCard, Record{{QStringLiteral("customerId"), customers_.value(customer % customers_.size())},
                                                           {QStringLiteral("paymentType"), QLatin1String(payment)},
                                                           {QStringLiteral("orderDate"), day(daysAgo)},
                                                           {QStringLiteral("unitId"), branch_}});
        if (!id) return id.error();
        for (const Line& l : lines) {
            Record line{{QStringLiteral("orderId"), *id},
                        {QStringLiteral("productId"), products_.value(l.product)},
                        {QStringLiteral("quantity"), l.quantity}};
            if (*l.discount) line.insert(QStringLiteral("discount"), QLatin1String(l.discount));
            auto made = ctx_.records().create(kLineCard, line);
            if (!made) return made.error();
            ++lines_;
        }
        return *id;
    }

    // The order as its steps would have left it (sample data has no step history).
    tessera::Status advance(qint64 id, const char* state, std::initializer_list<std::pair<const char*, QString>> columns) {
        QStringList sets{QStringLiteral("state = ?2")};
        tessera::Params params{id, QLatin1String(state)};
        for (const auto& [column, value] : columns) {
            params.push_back(value);
            sets << QStringLiteral("%1 = ?%2").arg(QLatin1String(column)).arg(params.size());
        }
        auto w = ctx_.database().execute(QStringLiteral("UPDATE biz_ord_orders SET %1 WHERE id = ?1").arg(sets.join(QStringLiteral(", "))),
                                         params);
        if (!w) return w.error();
        return {};
    }

    tessera::Context& ctx_;
    const QDate today_;
    qint64 branch_ = 0;
    QList<qint64> products_, customers_;
    int lines_ = 0;
};

}  // namespace

tessera::Result<QString> makeDemoOrders(const tessera::DemoScale&, qint64 rootUnitId, tessera::Context& ctx) {
    return Demo(ctx).run(rootUnitId);
}

}  // namespace biz::orders
