// `tessera demo` with biz.orders: the company's catalogue at the top, a sales branch selling
// from it, orders of that branch in every state with their lines and exact totals, one
// return; and no second helping on a deployment that has orders.

#include "host_fixture.hpp"

#include <QJsonArray>
#include <QSet>

#include <gtest/gtest.h>

using namespace tessera::test;

namespace {

}  // namespace

TEST(OrdersDemo, MakesACatalogueOrdersInEveryStateWithTheirLinesAndAReturn) {
    TempDir dir;
    const QString config = dir.write(
        QStringLiteral("deployment.xml"),
        RunningHost::deploymentXml({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}, {QStringLiteral("biz.orders"), {}}})
            .toUtf8());
    const QStringList demo{QStringLiteral("demo"), QStringLiteral("--config"), config};
    CliResult made = runTessera(demo);
    ASSERT_EQ(made.exitCode, 0) << made.err.toStdString();
    EXPECT_TRUE(made.out.contains(QStringLiteral("biz.orders: 7 products, 7 orders"))) << made.out.toStdString();
    {
        RunningHost host(config);
        auto c = host.client();
        EXPECT_EQ(c.get("/api/v1/biz.orders/products").json().value(QStringLiteral("total")).toInteger(), 7);
        auto orders = c.get("/api/v1/biz.orders/orders?size=50").json().value(QStringLiteral("items")).toArray();
        ASSERT_EQ(orders.size(), 7);
        QSet<QString> states;
        for (const auto& o : orders) {
            const QJsonObject order = o.toObject();
            states << order.value(QStringLiteral("state")).toString();
            EXPECT_TRUE(order.value(QStringLiteral("orderNo")).toString().startsWith(QStringLiteral("DD"))) << "numbered";
            EXPECT_NE(order.value(QStringLiteral("total")).toString(), QStringLiteral("0.00")) << "priced from its lines";
        }
        EXPECT_EQ(states,
                  (QSet<QString>{QStringLiteral("placed"), QStringLiteral("confirmed"), QStringLiteral("assigned"), QStringLiteral("paid"),
                                 QStringLiteral("shipped"), QStringLiteral("completed"), QStringLiteral("cancelled")}));
        auto returns = c.get("/api/v1/biz.orders/returns").json();
        EXPECT_EQ(returns.value(QStringLiteral("total")).toInteger(), 1);
        EXPECT_EQ(returns.value(QStringLiteral("items")).toArray()[0].toObject().value(QStringLiteral("refund")).toString(),
                  QStringLiteral("299.00"));
        EXPECT_EQ(c.get("/api/v1/biz.orders/lines").json().value(QStringLiteral("total")).toInteger(), 13);
    }
    CliResult again = runTessera(demo);
    EXPECT_NE(again.exitCode, 0);
    EXPECT_TRUE(again.err.contains(QStringLiteral("biz.orders already has data"))) << again.err.toStdString();
}
