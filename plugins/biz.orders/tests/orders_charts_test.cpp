// biz.orders' charts over real HTTP: each month's sales, the ten products and customers with
// the largest amounts and the rest as 其他, exact to the fen, from the same lines as the sales
// summary (orders confirmed and not cancelled, by the order's day); only the caller's scope;
// bad and unknown parameters refused in Chinese.

#include "host_fixture.hpp"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>

#include <gtest/gtest.h>

using namespace tessera::test;

namespace {

class OrdersCharts : public ::testing::Test {
protected:
    void SetUp() override {
        clockFile = dir.path() + QStringLiteral("/clock");
        QFile f(clockFile);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        // Late in the year, so that every month of it can have orders.
        f.write(QDateTime(QDate(2026, 12, 20), QTime(9, 0), Qt::LocalTime).toUTC().toString(Qt::ISODate).toUtf8());
        f.close();
        qputenv("TESSERA_TEST_CLOCK_FILE", clockFile.toUtf8());
        host = std::make_unique<RunningHost>(QStringList{builtPluginDir()}, std::vector<EnablePlugin>{{QStringLiteral("biz.customers"), {}},
                                                                                                      {QStringLiteral("biz.orders"), {}}});
        ASSERT_EQ(host->app().runtime().plugin(QStringLiteral("biz.orders"))->state, tessera::host::PluginState::Started);
        admin = std::make_unique<HttpClient>(host->client());
        auto& units = host->app().units();
        const qint64 root = units.ensureRoot(QStringLiteral("公司"))->id;
        branch = units.create(root, QStringLiteral("华东销售部"))->id;
        other = units.create(root, QStringLiteral("华南销售部"))->id;
        QJsonArray permissions;
        for (const char* p : {"biz.customers.read", "biz.orders.read", "biz.orders.products", "biz.orders.sell"})
            permissions.append(QString::fromLatin1(p));
        ASSERT_EQ(admin
                      ->send("POST", "/api/v1/roles",
                             QJsonObject{{QStringLiteral("name"), QStringLiteral("staff")}, {QStringLiteral("permissions"), permissions}})
                      .status,
                  201);
        clerk = user(QStringLiteral("clerk"), branch);
        stranger = user(QStringLiteral("stranger"), other);
    }
    void TearDown() override { qunsetenv("TESSERA_TEST_CLOCK_FILE"); }

    std::unique_ptr<HttpClient> user(const QString& name, qint64 unit) {
        auto c = std::make_unique<HttpClient>(host->anonymousClient());
        c->setDefaultHeader("Authorization", "Bearer " + host->userToken(name, QStringLiteral("staff"), QStringLiteral("unit"), unit));
        c->setLanguage("zh-CN");
        return c;
    }
    qint64 created(HttpClient& c, const char* resource, const QJsonObject& body) {
        auto r = c.send("POST", "/api/v1/biz.orders/" + QByteArray(resource), body);
        EXPECT_EQ(r.status, 201) << resource << ": " << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }
    qint64 customer(HttpClient& c, const QString& name, qint64 unit) {
        auto r = c.send(
            "POST", "/api/v1/biz.customers/customers",
            QJsonObject{
                {QStringLiteral("name"), name}, {QStringLiteral("address"), QStringLiteral("北京")}, {QStringLiteral("unitId"), unit}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }
    qint64 product(HttpClient& c, const QString& code, const QString& name, const QString& price, qint64 unit) {
        return created(c, "products",
                       {{QStringLiteral("code"), code},
                        {QStringLiteral("name"), name},
                        {QStringLiteral("price"), price},
                        {QStringLiteral("measure"), QStringLiteral("台")},
                        {QStringLiteral("unitId"), unit}});
    }
    qint64 order(HttpClient& c, qint64 who, const QString& day, qint64 unit) {
        return created(c, "orders",
                       {{QStringLiteral("customerId"), who},
                        {QStringLiteral("paymentType"), QStringLiteral("cod")},
                        {QStringLiteral("orderDate"), day},
                        {QStringLiteral("unitId"), unit}});
    }
    void line(HttpClient& c, qint64 orderId, qint64 productId, qint64 quantity, QJsonObject more = {}) {
        more.insert(QStringLiteral("orderId"), orderId);
        more.insert(QStringLiteral("productId"), productId);
        more.insert(QStringLiteral("quantity"), quantity);
        created(c, "lines", more);
    }
    void confirm(HttpClient& c, qint64 orderId) {
        const QByteArray path = "/api/v1/biz.orders/orders/" + QByteArray::number(orderId);
        const qint64 version = c.get(path).json().value(QStringLiteral("version")).toInteger();
        auto r = c.send("POST", path + "/steps/confirm", {}, ifMatch(version));
        ASSERT_EQ(r.status, 200) << r.body.toStdString();
    }
    static QStringList labels(const QJsonObject& answer) {
        QStringList out;
        for (const auto& i : answer.value(QStringLiteral("items")).toArray()) out << i.toObject().value(QStringLiteral("label")).toString();
        return out;
    }
    static QStringList amounts(const QJsonObject& answer) {
        QStringList out;
        for (const auto& i : answer.value(QStringLiteral("items")).toArray())
            out << i.toObject().value(QStringLiteral("amount")).toString();
        return out;
    }

    TempDir dir;
    QString clockFile;
    std::unique_ptr<RunningHost> host;
    std::unique_ptr<HttpClient> admin, clerk, stranger;
    qint64 branch = 0, other = 0;
};

}  // namespace

// Twelve customers each buy in their month (the i-th in month i) i pieces of the i-th of
// twelve products priced i x 10 yuan: 10 x i² yuan; the first also 3 of the first at 12.5% off.
TEST_F(OrdersCharts, MonthsAndTheTopTenProductsAndCustomersSumTheSalesExactly) {
    qint64 first = 0, firstOrder = 0;
    for (int i = 1; i <= 12; ++i) {
        const qint64 p = product(*clerk, QStringLiteral("P-%1").arg(100 + i), QStringLiteral("商品%1").arg(i),
                                 QStringLiteral("%1.00").arg(i * 10), branch);
        const qint64 c = customer(*admin, QStringLiteral("客户%1").arg(i), branch);
        const qint64 o = order(*clerk, c, QStringLiteral("2026-%1-05").arg(i, 2, 10, QLatin1Char('0')), branch);
        line(*clerk, o, p, i);
        if (i == 1) {
            first = p;
            firstOrder = o;
            line(*clerk, o, p, 3, {{QStringLiteral("discount"), QStringLiteral("12.5")}});  // 26.25
        }
        confirm(*clerk, o);
    }
    // Not sold: an order placed and not confirmed; last year's order counts in last year.
    const qint64 placed = order(*clerk, customer(*admin, QStringLiteral("未确认客户"), branch), QStringLiteral("2026-03-20"), branch);
    line(*clerk, placed, first, 100);
    const qint64 lastYear = order(*clerk, customer(*admin, QStringLiteral("去年客户"), branch), QStringLiteral("2025-12-31"), branch);
    line(*clerk, lastYear, first, 7);
    confirm(*clerk, lastYear);
    (void)firstOrder;
    // Another branch's sales are its own.
    const qint64 south = order(*stranger, customer(*admin, QStringLiteral("南方客户"), other), QStringLiteral("2026-05-01"), other);
    line(*stranger, south, product(*admin, QStringLiteral("S-1"), QStringLiteral("南方商品"), QStringLiteral("999.99"), other), 1);
    confirm(*stranger, south);

    auto monthly = clerk->get("/api/v1/biz.orders/charts/monthly?year=2026");
    ASSERT_EQ(monthly.status, 200) << monthly.body.toStdString();
    const QJsonObject m = monthly.json();
    EXPECT_EQ(labels(m), (QStringList{"2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09",
                                      "2026-10", "2026-11", "2026-12"}));
    EXPECT_EQ(amounts(m), (QStringList{"36.25", "40.00", "90.00", "160.00", "250.00", "360.00", "490.00", "640.00", "810.00", "1000.00",
                                       "1210.00", "1440.00"}));
    EXPECT_EQ(m.value(QStringLiteral("items")).toArray()[0].toObject().value(QStringLiteral("key")).toString(), QStringLiteral("2026-01"));
    EXPECT_EQ(m.value(QStringLiteral("total")).toObject().value(QStringLiteral("amount")).toString(), QStringLiteral("6526.25"));
    EXPECT_EQ(m.value(QStringLiteral("title")).toString(), QStringLiteral("2026年每月销售额"));
    EXPECT_EQ(m.value(QStringLiteral("params")).toObject().value(QStringLiteral("year")).toString(), QStringLiteral("2026"));
    // The same as the sales summary by month.
    EXPECT_EQ(clerk->get("/api/v1/biz.orders/sales?year=2026")
                  .json()
                  .value(QStringLiteral("total"))
                  .toObject()
                  .value(QStringLiteral("amount"))
                  .toString(),
              QStringLiteral("6526.25"));

    auto products = clerk->get("/api/v1/biz.orders/charts/products?year=2026").json();
    EXPECT_EQ(labels(products),
              (QStringList{"商品12", "商品11", "商品10", "商品9", "商品8", "商品7", "商品6", "商品5", "商品4", "商品3", "其他"}));
    EXPECT_EQ(amounts(products),
              (QStringList{"1440.00", "1210.00", "1000.00", "810.00", "640.00", "490.00", "360.00", "250.00", "160.00", "90.00", "76.25"}))
        << "商品2 (40.00) and 商品1 (36.25) as 其他";
    EXPECT_EQ(products.value(QStringLiteral("items")).toArray()[10].toObject().value(QStringLiteral("key")).toString(),
              QStringLiteral("other"));
    EXPECT_EQ(products.value(QStringLiteral("total")).toObject().value(QStringLiteral("amount")).toString(), QStringLiteral("6526.25"));
    auto customers = clerk->get("/api/v1/biz.orders/charts/customers?year=2026").json();
    EXPECT_EQ(labels(customers).first(), QStringLiteral("客户12"));
    EXPECT_EQ(labels(customers).last(), QStringLiteral("其他"));
    EXPECT_EQ(amounts(customers).last(), QStringLiteral("76.25"));
    EXPECT_EQ(customers.value(QStringLiteral("title")).toString(), QStringLiteral("2026年购买额前十的客户"));

    // Last year: December's order alone; ten or fewer products have no 其他.
    auto before = clerk->get("/api/v1/biz.orders/charts/monthly?year=2025").json();
    EXPECT_EQ(amounts(before).last(), QStringLiteral("70.00"));
    EXPECT_EQ(before.value(QStringLiteral("total")).toObject().value(QStringLiteral("amount")).toString(), QStringLiteral("70.00"));
    EXPECT_EQ(labels(clerk->get("/api/v1/biz.orders/charts/products?year=2025").json()), QStringList{QStringLiteral("商品1")});

    // Scope: the other branch sees its own sale only; the picked unit narrows the administrator's.
    auto south2026 = stranger->get("/api/v1/biz.orders/charts/products?year=2026").json();
    EXPECT_EQ(labels(south2026), QStringList{QStringLiteral("南方商品")});
    EXPECT_EQ(south2026.value(QStringLiteral("total")).toObject().value(QStringLiteral("amount")).toString(), QStringLiteral("999.99"));
    EXPECT_EQ(admin->get("/api/v1/biz.orders/charts/monthly?year=2026")
                  .json()
                  .value(QStringLiteral("total"))
                  .toObject()
                  .value(QStringLiteral("amount"))
                  .toString(),
              QStringLiteral("7526.24"));
    EXPECT_EQ(admin->get("/api/v1/biz.orders/charts/monthly?year=2026&unit=" + QByteArray::number(branch))
                  .json()
                  .value(QStringLiteral("total"))
                  .toObject()
                  .value(QStringLiteral("amount"))
                  .toString(),
              QStringLiteral("6526.25"));
}

TEST_F(OrdersCharts, BadAndUnknownParametersAreRefusedInChinese) {
    for (const char* chart : {"monthly", "products", "customers"}) {
        const QByteArray path = "/api/v1/biz.orders/charts/" + QByteArray(chart);
        auto bad = clerk->get(path + "?year=abc");
        ASSERT_EQ(bad.status, 422) << chart << ": " << bad.body.toStdString();
        EXPECT_EQ(fieldsOf(bad), QStringList{QStringLiteral("year")});
        EXPECT_EQ(messageOf(bad, QStringLiteral("year")), QStringLiteral("应为 2000 到 2027 之间的整数，而不是“abc”"));
        auto unknown = clerk->get(path + "?year=2026&by=month");
        ASSERT_EQ(unknown.status, 422) << chart;
        EXPECT_EQ(fieldsOf(unknown), QStringList{QStringLiteral("by")});
        EXPECT_EQ(messageOf(unknown, QStringLiteral("by")), QStringLiteral("不是这里的参数；可用的参数有 year, unit"));
        EXPECT_EQ(fieldsOf(clerk->get(path + "?unit=0")), QStringList{QStringLiteral("unit")});
        EXPECT_EQ(clerk->get(path).status, 200) << "this year by default";
    }
}
