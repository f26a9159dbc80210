// biz.orders over real HTTP with the host's clock set by the test: products coded once and
// priced exactly; orders numbered per day, also when eight clients place them at once, with
// the customer's address; lines priced from the product, discounted and totalled to the fen;
// the lifecycle under each payment type with its refusals (edit after confirmation, shipping
// before payment, payment on delivery before shipping); returns never above what was shipped
// less what came back; the summaries, their export and the customer card's orders; another
// branch sees none of it.

#include "host_fixture.hpp"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <thread>

using namespace tessera::test;

namespace {

class Orders : public ::testing::Test {
protected:
    void SetUp() override {
        clockFile = dir.path() + QStringLiteral("/clock");
        setClock(start);
        qputenv("TESSERA_TEST_CLOCK_FILE", clockFile.toUtf8());
        host = std::make_unique<RunningHost>(QStringList{builtPluginDir()}, std::vector<EnablePlugin>{{QStringLiteral("biz.customers"), {}},
                                                                                                      {QStringLiteral("biz.orders"), {}}});
        ASSERT_EQ(host->app().runtime().plugin(QStringLiteral("biz.orders"))->state, tessera::host::PluginState::Started)
            << host->app().runtime().plugin(QStringLiteral("biz.orders"))->reason.toStdString();
        admin = std::make_unique<HttpClient>(host->client());
        auto& units = host->app().units();
        root = units.ensureRoot(QStringLiteral("公司"))->id;
        branch = units.create(root, QStringLiteral("华东销售部"))->id;
        other = units.create(root, QStringLiteral("华南销售部"))->id;
        role(QStringLiteral("seller"), {"biz.customers.read", "biz.orders.read", "biz.orders.sell"});
        role(QStringLiteral("staff"), {"biz.customers.read", "biz.orders.read", "biz.orders.products", "biz.orders.sell",
                                       "biz.orders.fulfil", "biz.orders.pay", "biz.orders.returns"});
        clerk = user(QStringLiteral("clerk"), QStringLiteral("staff"), branch);
        clerkId = clerk->get("/api/v1/auth/me").json().value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toInteger();
        seller = user(QStringLiteral("seller"), QStringLiteral("seller"), branch);
        stranger = user(QStringLiteral("stranger"), QStringLiteral("staff"), other);
        customer = newCustomer(QStringLiteral("华联商厦"), QStringLiteral("北京市东城区王府井大街1号"));
        second = newCustomer(QStringLiteral("东方宾馆"), QStringLiteral("广州市越秀区"));
        camera = productOk(QStringLiteral("P-001"), QStringLiteral("网络摄像机"), QStringLiteral("19.99"));
        recorder = productOk(QStringLiteral("P-002"), QStringLiteral("硬盘录像机"), QStringLiteral("1280.00"));
    }
    void TearDown() override { qunsetenv("TESSERA_TEST_CLOCK_FILE"); }

    void setClock(const QDateTime& t) {
        QFile f(clockFile);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(t.toUTC().toString(Qt::ISODate).toUtf8());
    }
    void role(const QString& name, std::initializer_list<const char*> permissions) {
        QJsonArray p;
        for (const char* id : permissions) p.append(QString::fromLatin1(id));
        auto r = admin->send("POST", "/api/v1/roles", QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("permissions"), p}});
        ASSERT_EQ(r.status, 201) << r.body.toStdString();
    }
    QByteArray token(const QString& name, const QString& roleName, qint64 unit) {
        return host->userToken(name, roleName, QStringLiteral("unit"), unit);
    }
    std::unique_ptr<HttpClient> user(const QString& name, const QString& roleName, qint64 unit) {
        auto c = std::make_unique<HttpClient>(host->anonymousClient());
        c->setDefaultHeader("Authorization", "Bearer " + token(name, roleName, unit));
        c->setLanguage("zh-CN");
        return c;
    }
    qint64 newCustomer(const QString& name, const QString& address) {
        auto r = admin->send("POST", "/api/v1/biz.customers/customers",
                             QJsonObject{{QStringLiteral("name"), name},
                                         {QStringLiteral("phone"), QStringLiteral("010-6512 3456")},
                                         {QStringLiteral("address"), address},
                                         {QStringLiteral("unitId"), branch}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }
    HttpReply product(const QString& code, const QString& name, const QString& price, QJsonObject more = {}) {
        more.insert(QStringLiteral("code"), code);
        more.insert(QStringLiteral("name"), name);
        more.insert(QStringLiteral("price"), price);
        if (!more.contains(QStringLiteral("measure"))) more.insert(QStringLiteral("measure"), QStringLiteral("台"));
        more.insert(QStringLiteral("unitId"), branch);
        return clerk->send("POST", "/api/v1/biz.orders/products", more);
    }
    qint64 productOk(const QString& code, const QString& name, const QString& price, QJsonObject more = {}) {
        auto r = product(code, name, price, std::move(more));
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }
    HttpReply order(const QString& payment, QJsonObject more = {}) {
        if (!more.contains(QStringLiteral("customerId"))) more.insert(QStringLiteral("customerId"), customer);
        more.insert(QStringLiteral("paymentType"), payment);
        more.insert(QStringLiteral("unitId"), branch);
        return clerk->send("POST", "/api/v1/biz.orders/orders", more);
    }
    qint64 orderOk(const QString& payment, QJsonObject more = {}) {
        auto r = order(payment, std::move(more));
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }
    HttpReply line(qint64 orderId, qint64 productId, qint64 quantity, QJsonObject more = {}) {
        more.insert(QStringLiteral("orderId"), orderId);
        more.insert(QStringLiteral("productId"), productId);
        more.insert(QStringLiteral("quantity"), quantity);
        return clerk->send("POST", "/api/v1/biz.orders/lines", more);
    }
    qint64 lineOk(qint64 orderId, qint64 productId, qint64 quantity, QJsonObject more = {}) {
        auto r = line(orderId, productId, quantity, std::move(more));
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }
    static QByteArray path(const char* resource, qint64 id) {
        return "/api/v1/biz.orders/" + QByteArray(resource) + '/' + QByteArray::number(id);
    }
    QJsonObject get(const char* resource, qint64 id) { return clerk->get(path(resource, id)).json(); }
    // A step on the record as it is now (its current version).
    HttpReply step(const char* resource, qint64 id, const char* stepId, const QJsonObject& body = {}, HttpClient* as = nullptr) {
        const qint64 version = get(resource, id).value(QStringLiteral("version")).toInteger();
        return (as ? as : clerk.get())->send("POST", path(resource, id) + "/steps/" + stepId, body, ifMatch(version));
    }
    void stepOk(const char* resource, qint64 id, const char* stepId, const QJsonObject& body = {}) {
        auto r = step(resource, id, stepId, body);
        ASSERT_EQ(r.status, 200) << stepId << ": " << r.body.toStdString();
    }
    // An order of `payment` with one line of `quantity` cameras, confirmed and assigned.
    qint64 assignedOrder(const QString& payment, qint64 quantity = 5) {
        const qint64 id = orderOk(payment);
        lineOk(id, camera, quantity);
        stepOk("orders", id, "confirm");
        stepOk("orders", id, "assign",
               {{QStringLiteral("assignee"), clerkId}, {QStringLiteral("assigneeNote"), QStringLiteral("一号仓库")}});
        return id;
    }

    const QDateTime start = QDateTime(QDate(2026, 6, 10), QTime(9, 0), Qt::LocalTime);
    TempDir dir;
    QString clockFile;
    std::unique_ptr<RunningHost> host;
    std::unique_ptr<HttpClient> admin, clerk, seller, stranger;
    qint64 root = 0, branch = 0, other = 0, customer = 0, second = 0, camera = 0, recorder = 0, clerkId = 0;
};

}  // namespace

TEST_F(Orders, ProductsHaveOneCodeAnExactPriceAndSortByPinyin) {
    productOk(QStringLiteral("P-003"), QStringLiteral("安装服务"), QStringLiteral("300"),
              {{QStringLiteral("category"), QStringLiteral("services")}});
    EXPECT_EQ(fieldsOf(product(QStringLiteral("P-001"), QStringLiteral("另一个"), QStringLiteral("1.00"))),
              QStringList{QStringLiteral("code")});
    EXPECT_EQ(fieldsOf(product(QStringLiteral("P-009"), QStringLiteral("分"), QStringLiteral("0.125"))),
              QStringList{QStringLiteral("price")});
    EXPECT_EQ(fieldsOf(product(QStringLiteral("P-010"), QStringLiteral("负"), QStringLiteral("-1"))), QStringList{QStringLiteral("price")});
    const QJsonObject made = get("products", camera);
    EXPECT_EQ(made.value(QStringLiteral("price")).toString(), QStringLiteral("19.99"));
    EXPECT_TRUE(made.value(QStringLiteral("active")).toBool()) << "a new product is on sale";
    QStringList names;
    for (const auto& p : clerk->get("/api/v1/biz.orders/products?sort=name").json().value(QStringLiteral("items")).toArray())
        names << p.toObject().value(QStringLiteral("name")).toString();
    // an, wang, ying: by pinyin, not by code point.
    EXPECT_EQ(names, (QStringList{QStringLiteral("安装服务"), QStringLiteral("网络摄像机"), QStringLiteral("硬盘录像机")}));
    EXPECT_EQ(stranger->get("/api/v1/biz.orders/products").json().value(QStringLiteral("total")).toInteger(), 0);
}

TEST_F(Orders, AnOrderIsNumberedPerDayOfItsDateAndDeliversToTheCustomersAddress) {
    auto first = order(QStringLiteral("cod"));
    ASSERT_EQ(first.status, 201) << first.body.toStdString();
    EXPECT_EQ(first.json().value(QStringLiteral("orderNo")).toString(), QStringLiteral("DD20260610-0001"));
    EXPECT_EQ(first.json().value(QStringLiteral("orderDate")).toString(), QStringLiteral("2026-06-10")) << "today by the host's clock";
    EXPECT_EQ(first.json().value(QStringLiteral("address")).toString(), QStringLiteral("北京市东城区王府井大街1号"));
    EXPECT_EQ(first.json().value(QStringLiteral("state")).toString(), QStringLiteral("placed"));
    EXPECT_EQ(first.json().value(QStringLiteral("total")).toString(), QStringLiteral("0.00"));
    auto own = order(QStringLiteral("prepaid"), {{QStringLiteral("address"), QStringLiteral("北京市朝阳区建国路88号")},
                                                 {QStringLiteral("orderNo"), QStringLiteral("mine")}});
    EXPECT_EQ(own.json().value(QStringLiteral("orderNo")).toString(), QStringLiteral("DD20260610-0002"))
        << "the client's number is ignored";
    EXPECT_EQ(own.json().value(QStringLiteral("address")).toString(), QStringLiteral("北京市朝阳区建国路88号"));
    auto earlier = order(QStringLiteral("escrow"), {{QStringLiteral("orderDate"), QStringLiteral("2026-06-09")}});
    EXPECT_EQ(earlier.json().value(QStringLiteral("orderNo")).toString(), QStringLiteral("DD20260609-0001"));
    EXPECT_EQ(fieldsOf(order(QStringLiteral("barter"))), QStringList{QStringLiteral("paymentType")});
    EXPECT_EQ(fieldsOf(order(QStringLiteral("cod"), {{QStringLiteral("orderDate"), QStringLiteral("2026-06-11")}})),
              QStringList{QStringLiteral("orderDate")});
    EXPECT_EQ(fieldsOf(order(QStringLiteral("cod"), {{QStringLiteral("paidOn"), QStringLiteral("2026-06-10")}})),
              QStringList{QStringLiteral("paidOn")})
        << "what the steps record is not written by hand";
    // Another branch neither sees the orders nor orders for a customer it may not read.
    EXPECT_EQ(stranger->get("/api/v1/biz.orders/orders").json().value(QStringLiteral("total")).toInteger(), 0);
    EXPECT_EQ(stranger
                  ->send("POST", "/api/v1/biz.orders/orders",
                         QJsonObject{{QStringLiteral("customerId"), customer}, {QStringLiteral("paymentType"), QStringLiteral("cod")}})
                  .status,
              422);
}

TEST_F(Orders, EightClientsPlacingOrdersAtOnceNeverShareANumber) {
    constexpr int kClients = 8, kEach = 3;
    const QByteArray bearer = "Bearer " + token(QStringLiteral("clerk2"), QStringLiteral("staff"), branch);
    std::vector<QString> numbers(kClients * kEach);
    std::vector<std::thread> threads;
    for (int i = 0; i < kClients; ++i)
        threads.emplace_back([&, i] {
            HttpClient c = host->anonymousClient();
            c.setDefaultHeader("Authorization", bearer);
            for (int k = 0; k < kEach; ++k) {
                auto r = c.send("POST", "/api/v1/biz.orders/orders",
                                QJsonObject{{QStringLiteral("customerId"), i % 2 ? customer : second},
                                            {QStringLiteral("paymentType"), QStringLiteral("cod")},
                                            {QStringLiteral("unitId"), branch}});
                numbers[std::size_t(i * kEach + k)] =
                    r.status == 201 ? r.json().value(QStringLiteral("orderNo")).toString() : QString::number(r.status) + r.body;
            }
        });
    for (auto& t : threads) t.join();
    QStringList expected;
    for (int i = 1; i <= kClients * kEach; ++i) expected << QStringLiteral("DD20260610-%1").arg(i, 4, 10, QLatin1Char('0'));
    QStringList got(numbers.begin(), numbers.end());
    got.sort();
    EXPECT_EQ(got, expected);
}

TEST_F(Orders, LinesArePricedFromTheProductDiscountedToTheFenAndTheOrderSumsThem) {
    const qint64 id = orderOk(QStringLiteral("prepaid"));
    // 3 x 19.99 at 12.5% off: 5997 x 0.875 = 5247.375 fen -> 52.47.
    auto cameras = line(id, camera, 3, {{QStringLiteral("discount"), QStringLiteral("12.5")}});
    ASSERT_EQ(cameras.status, 201) << cameras.body.toStdString();
    EXPECT_EQ(cameras.json().value(QStringLiteral("unitPrice")).toString(), QStringLiteral("19.99")) << "the product's price";
    EXPECT_EQ(cameras.json().value(QStringLiteral("productName")).toString(), QStringLiteral("网络摄像机"));
    EXPECT_EQ(cameras.json().value(QStringLiteral("total")).toString(), QStringLiteral("52.47"));
    EXPECT_EQ(cameras.json().value(QStringLiteral("orderDate")).toString(), QStringLiteral("2026-06-10"));
    lineOk(id, recorder, 2);  // 2560.00
    // A price of its own: 7 x 0.10 at 33.33% off = 70 x 0.6667 = 46.669 fen -> 0.47.
    auto cheap = line(id, recorder, 7,
                      {{QStringLiteral("unitPrice"), QStringLiteral("0.10")}, {QStringLiteral("discount"), QStringLiteral("33.33")}});
    EXPECT_EQ(cheap.json().value(QStringLiteral("total")).toString(), QStringLiteral("0.47")) << cheap.body.toStdString();
    EXPECT_EQ(get("orders", id).value(QStringLiteral("total")).toString(), QStringLiteral("2612.94"));
    // Bad input, each on its field.
    EXPECT_EQ(fieldsOf(line(id, camera, 0)), QStringList{QStringLiteral("quantity")});
    EXPECT_EQ(fieldsOf(line(id, camera, 1, {{QStringLiteral("discount"), QStringLiteral("101")}})),
              QStringList{QStringLiteral("discount")});
    EXPECT_EQ(fieldsOf(line(id, camera, 1, {{QStringLiteral("unitPrice"), QStringLiteral("1.005")}})),
              QStringList{QStringLiteral("unitPrice")});
    EXPECT_EQ(fieldsOf(line(id, 999999, 1)), QStringList{QStringLiteral("productId")});
    const qint64 old =
        productOk(QStringLiteral("P-100"), QStringLiteral("旧款摄像机"), QStringLiteral("9.90"), {{QStringLiteral("active"), false}});
    auto retired = line(id, old, 1);
    EXPECT_EQ(fieldsOf(retired), QStringList{QStringLiteral("productId")});
    EXPECT_EQ(messageOf(retired, QStringLiteral("productId")), QStringLiteral("旧款摄像机 已停售"));
    // A line changed or removed: the order's total follows.
    const qint64 cheapId = cheap.json().value(QStringLiteral("id")).toInteger();
    auto changed = clerk->send("PUT", path("lines", cheapId),
                               QJsonObject{{QStringLiteral("orderId"), id},
                                           {QStringLiteral("productId"), recorder},
                                           {QStringLiteral("quantity"), 1},
                                           {QStringLiteral("unitPrice"), QStringLiteral("1000.00")},
                                           {QStringLiteral("discount"), QStringLiteral("10")}},
                               ifMatch(1));
    ASSERT_EQ(changed.status, 200) << changed.body.toStdString();
    EXPECT_EQ(changed.json().value(QStringLiteral("total")).toString(), QStringLiteral("900.00"));
    EXPECT_EQ(get("orders", id).value(QStringLiteral("total")).toString(), QStringLiteral("3512.47"));
    ASSERT_EQ(clerk->request("DELETE", path("lines", cheapId), {}, ifMatch(2)).status, 204);
    EXPECT_EQ(get("orders", id).value(QStringLiteral("total")).toString(), QStringLiteral("2612.47"));
}

TEST_F(Orders, AnOrdersLinesFollowItsDateAndCustomerWhileItIsPlaced) {
    const qint64 id = orderOk(QStringLiteral("cod"));
    const qint64 l = lineOk(id, camera, 1);
    QJsonObject body{{QStringLiteral("customerId"), second},
                     {QStringLiteral("orderDate"), QStringLiteral("2026-06-01")},
                     {QStringLiteral("paymentType"), QStringLiteral("cod")},
                     {QStringLiteral("unitId"), branch}};
    auto moved = clerk->send("PUT", path("orders", id), body, ifMatch(get("orders", id).value(QStringLiteral("version")).toInteger()));
    ASSERT_EQ(moved.status, 200) << moved.body.toStdString();
    EXPECT_EQ(moved.json().value(QStringLiteral("orderNo")).toString(), QStringLiteral("DD20260610-0001")) << "a number is kept";
    EXPECT_EQ(moved.json().value(QStringLiteral("customerName")).toString(), QStringLiteral("东方宾馆"));
    EXPECT_EQ(moved.json().value(QStringLiteral("total")).toString(), QStringLiteral("19.99"));
    const QJsonObject line = get("lines", l);
    EXPECT_EQ(line.value(QStringLiteral("orderDate")).toString(), QStringLiteral("2026-06-01"));
    EXPECT_EQ(line.value(QStringLiteral("customerId")).toInteger(), second);
    // An edit that leaves the day empty keeps the order's day.
    body.remove(QStringLiteral("orderDate"));
    auto kept = clerk->send("PUT", path("orders", id), body, ifMatch(get("orders", id).value(QStringLiteral("version")).toInteger()));
    ASSERT_EQ(kept.status, 200) << kept.body.toStdString();
    EXPECT_EQ(kept.json().value(QStringLiteral("orderDate")).toString(), QStringLiteral("2026-06-01"));
}

TEST_F(Orders, APlacedOrderIsEditedOrCancelledWithItsReasonAndNothingAfterConfirmation) {
    const qint64 empty = orderOk(QStringLiteral("cod"));
    auto unconfirmable = step("orders", empty, "confirm");
    EXPECT_EQ(fieldsOf(unconfirmable), QStringList{QStringLiteral("(step)")}) << unconfirmable.body.toStdString();
    EXPECT_EQ(fieldsOf(step("orders", empty, "cancel")), QStringList{QStringLiteral("comment")}) << "a cancellation says why";
    stepOk("orders", empty, "cancel", {{QStringLiteral("comment"), QStringLiteral("客户改变主意")}});
    EXPECT_EQ(get("orders", empty).value(QStringLiteral("state")).toString(), QStringLiteral("cancelled"));

    const qint64 id = orderOk(QStringLiteral("prepaid"));
    const qint64 l = lineOk(id, camera, 2);
    QJsonObject body = get("orders", id);
    body.insert(QStringLiteral("notes"), QStringLiteral("下午送货"));
    for (const char* drop : {"id", "version", "createdAt", "updatedAt", "labels", "unitName", "unitPath", "may", "orderNo", "customerName",
                             "total", "state", "escrowReleasedOn"})
        body.remove(QLatin1String(drop));
    auto edited = clerk->send("PUT", path("orders", id), body, ifMatch(get("orders", id).value(QStringLiteral("version")).toInteger()));
    ASSERT_EQ(edited.status, 200) << "edited while placed: " << edited.body.toStdString();
    stepOk("orders", id, "confirm");
    // Confirmed: no edit, no line changes, no cancellation, each refused with its reason.
    body.insert(QStringLiteral("notes"), QStringLiteral("改为上午送货"));
    auto late = clerk->send("PUT", path("orders", id), body, ifMatch(get("orders", id).value(QStringLiteral("version")).toInteger()));
    EXPECT_EQ(fieldsOf(late), QStringList{QStringLiteral("state")});
    EXPECT_EQ(messageOf(late, QStringLiteral("state")), QStringLiteral("订单已确认：只能在确认前修改"));
    auto more = line(id, recorder, 1);
    EXPECT_EQ(fieldsOf(more), QStringList{QStringLiteral("orderId")});
    EXPECT_TRUE(messageOf(more, QStringLiteral("orderId")).contains(QStringLiteral("订单确认后不能再修改明细"))) << more.body.toStdString();
    EXPECT_EQ(clerk->request("DELETE", path("lines", l), {}, ifMatch(1)).status, 409);
    EXPECT_EQ(
        clerk->request("DELETE", path("orders", id), {}, ifMatch(get("orders", id).value(QStringLiteral("version")).toInteger())).status,
        409);
    auto cancel = step("orders", id, "cancel", {{QStringLiteral("comment"), QStringLiteral("太晚了")}});
    EXPECT_EQ(cancel.status, 409) << cancel.body.toStdString();
    EXPECT_EQ(get("orders", id).value(QStringLiteral("total")).toString(), QStringLiteral("39.98"));
    // The seller confirms and cancels, but does not assign: that is the warehouse's.
    auto assign = step("orders", id, "assign", {{QStringLiteral("assignee"), clerkId}}, seller.get());
    EXPECT_EQ(assign.status, 403) << assign.body.toStdString();
    EXPECT_EQ(fieldsOf(step("orders", id, "assign")), QStringList{QStringLiteral("assignee")});
}

// The assignee is a person holding the warehouse's duty at the branch, picked by name; they
// alone ship and complete the order, which waits in their to-do list; the summary names them.
TEST_F(Orders, TheAssigneeIsAPersonOfTheWarehouseWhoAloneShipsAndCompletes) {
    const qint64 id = orderOk(QStringLiteral("cod"));
    lineOk(id, camera, 2);
    stepOk("orders", id, "confirm");
    const qint64 sellerId =
        seller->get("/api/v1/auth/me").json().value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toInteger();
    auto notWarehouse = step("orders", id, "assign", {{QStringLiteral("assignee"), sellerId}});
    EXPECT_EQ(fieldsOf(notWarehouse), QStringList{QStringLiteral("assignee")}) << notWarehouse.body.toStdString();
    auto faraway = user(QStringLiteral("faraway"), QStringLiteral("staff"), other);
    const qint64 farawayId =
        faraway->get("/api/v1/auth/me").json().value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toInteger();
    EXPECT_EQ(fieldsOf(step("orders", id, "assign", {{QStringLiteral("assignee"), farawayId}})), QStringList{QStringLiteral("assignee")})
        << "the other branch's warehouse";
    auto people = clerk->get("/api/v1/biz.orders/orders/people/assignee?unit=" + QByteArray::number(branch));
    ASSERT_EQ(people.status, 200) << people.body.toStdString();
    QStringList names;
    for (const auto& p : people.json().value(QStringLiteral("items")).toArray())
        names << p.toObject().value(QStringLiteral("name")).toString();
    EXPECT_EQ(names, QStringList{QStringLiteral("clerk")}) << "the seller holds no warehouse duty";
    auto colleague = user(QStringLiteral("colleague"), QStringLiteral("staff"), branch);
    const qint64 colleagueId =
        colleague->get("/api/v1/auth/me").json().value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toInteger();
    auto assigned = step("orders", id, "assign", {{QStringLiteral("assignee"), colleagueId}});
    ASSERT_EQ(assigned.status, 200) << assigned.body.toStdString();
    EXPECT_EQ(assigned.json().value(QStringLiteral("labels")).toObject().value(QStringLiteral("assignee")).toString(),
              QStringLiteral("colleague"));
    auto notTheirs = step("orders", id, "ship");
    EXPECT_EQ(notTheirs.status, 403) << "the clerk is not the assignee: " << notTheirs.body.toStdString();
    auto todo = colleague->get("/api/v1/todo").json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(todo.size(), 1);
    EXPECT_EQ(todo[0].toObject().value(QStringLiteral("id")).toInteger(), id);
    EXPECT_EQ(step("orders", id, "ship", {}, colleague.get()).status, 200);
    EXPECT_EQ(clerk->get("/api/v1/biz.orders/orders?assignee=" + QByteArray::number(colleagueId))
                  .json()
                  .value(QStringLiteral("total"))
                  .toInteger(),
              1);
    // An order assigned before the assignee was a person keeps the words it had (migration
    // 0001 moved them to assigneeNote): named by them, and shipped by anyone of the warehouse.
    const qint64 old = assignedOrder(QStringLiteral("cod"), 1);
    ASSERT_TRUE(host->app().store().execute(QStringLiteral("UPDATE biz_ord_orders SET assignee = NULL WHERE id = ?1"), {old}));
    EXPECT_EQ(get("orders", old).value(QStringLiteral("assigneeNote")).toString(), QStringLiteral("一号仓库"));
    auto byAssignee = clerk->get("/api/v1/biz.orders/summary?year=2026&by=assignee").json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(byAssignee.size(), 2);
    EXPECT_EQ(byAssignee[0].toObject().value(QStringLiteral("label")).toString(), QStringLiteral("colleague"));
    EXPECT_EQ(byAssignee[0].toObject().value(QStringLiteral("amount")).toString(), QStringLiteral("39.98"));
    EXPECT_EQ(byAssignee[1].toObject().value(QStringLiteral("label")).toString(), QStringLiteral("一号仓库"));
    EXPECT_EQ(step("orders", old, "ship", {}, colleague.get()).status, 200) << "no one named: the warehouse's";
}

// The company's catalogue (products of the units above a branch) is the branch's to sell
// from, and to pick by name, but not to edit; another branch's products are neither.
TEST_F(Orders, ABranchSellsFromTheCompanysCatalogueWithoutEditingIt) {
    const auto companyProduct = [&](const QString& code, const QString& name, qint64 unit) {
        auto r = admin->send("POST", "/api/v1/biz.orders/products",
                             QJsonObject{{QStringLiteral("code"), code},
                                         {QStringLiteral("name"), name},
                                         {QStringLiteral("price"), QStringLiteral("350.00")},
                                         {QStringLiteral("measure"), QStringLiteral("台")},
                                         {QStringLiteral("unitId"), unit}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    };
    const qint64 router = companyProduct(QStringLiteral("C-001"), QStringLiteral("千兆路由器"), root);
    const qint64 theirs = companyProduct(QStringLiteral("S-001"), QStringLiteral("南方专供交换机"), other);
    auto sellerOrder =
        seller->send("POST", "/api/v1/biz.orders/orders",
                     QJsonObject{{QStringLiteral("customerId"), customer}, {QStringLiteral("paymentType"), QStringLiteral("cod")}});
    ASSERT_EQ(sellerOrder.status, 201) << sellerOrder.body.toStdString();
    const qint64 id = sellerOrder.json().value(QStringLiteral("id")).toInteger();
    auto picked =
        seller->send("POST", "/api/v1/biz.orders/lines",
                     QJsonObject{{QStringLiteral("orderId"), id}, {QStringLiteral("productId"), router}, {QStringLiteral("quantity"), 2}});
    ASSERT_EQ(picked.status, 201) << picked.body.toStdString();
    EXPECT_EQ(picked.json().value(QStringLiteral("total")).toString(), QStringLiteral("700.00")) << "priced from the company's product";
    EXPECT_EQ(picked.json().value(QStringLiteral("labels")).toObject().value(QStringLiteral("productId")).toString(),
              QStringLiteral("千兆路由器"));
    auto line = seller->get(path("lines", picked.json().value(QStringLiteral("id")).toInteger())).json();
    EXPECT_EQ(line.value(QStringLiteral("labels")).toObject().value(QStringLiteral("productId")).toString(), QStringLiteral("千兆路由器"))
        << "named to those who read the line";
    auto sibling =
        seller->send("POST", "/api/v1/biz.orders/lines",
                     QJsonObject{{QStringLiteral("orderId"), id}, {QStringLiteral("productId"), theirs}, {QStringLiteral("quantity"), 1}});
    EXPECT_EQ(fieldsOf(sibling), QStringList{QStringLiteral("productId")}) << "another branch's product";
    EXPECT_FALSE(sibling.body.contains(QStringLiteral("南方专供").toUtf8()));
    // The picker offers the branch's products and the company's, not the other branch's.
    auto choices = seller->get("/api/v1/biz.orders/lines/choices/productId?unit=" + QByteArray::number(branch));
    ASSERT_EQ(choices.status, 200) << choices.body.toStdString();
    QStringList titles;
    for (const auto& c : choices.json().value(QStringLiteral("items")).toArray())
        titles << c.toObject().value(QStringLiteral("title")).toString();
    titles.sort();
    QStringList expected{QStringLiteral("千兆路由器"), QStringLiteral("网络摄像机"), QStringLiteral("硬盘录像机")};
    expected.sort();
    EXPECT_EQ(titles, expected);
    auto searched = seller->get("/api/v1/biz.orders/lines/choices/productId?q=C-00").json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(searched.size(), 1) << "by the product's code too";
    EXPECT_EQ(searched[0].toObject().value(QStringLiteral("id")).toInteger(), router);
    EXPECT_EQ(seller->get("/api/v1/biz.orders/lines/choices/productId?unit=" + QByteArray::number(other)).status, 403);
    EXPECT_EQ(seller->get("/api/v1/biz.orders/lines/choices/orderId").status, 404) << "only a field that reaches above";
    // Not the branch's to edit, nor to read as a product of its own.
    EXPECT_EQ(clerk->get(path("products", router)).status, 404);
    auto edit = clerk->send("PUT", path("products", router),
                            QJsonObject{{QStringLiteral("code"), QStringLiteral("C-001")},
                                        {QStringLiteral("name"), QStringLiteral("改名")},
                                        {QStringLiteral("price"), QStringLiteral("1.00")},
                                        {QStringLiteral("measure"), QStringLiteral("台")}},
                            ifMatch(1));
    EXPECT_EQ(edit.status, 404);
}

// Orders waiting more than the setting's 3 days for payment or shipping since they were
// confirmed (for payment, or shipping on delivery) or paid (shipping) are on the branch's home
// page, linking to the list of them; how long ago they were placed does not count.
TEST_F(Orders, OrdersWaitingMoreThanThreeDaysForPaymentOrShippingAreReminded) {
    const auto confirmed = [&](const QString& payment, const QString& day) {
        const qint64 id = orderOk(payment, {{QStringLiteral("orderDate"), QStringLiteral("2026-06-01")}});
        lineOk(id, camera, 1);
        stepOk("orders", id, "confirm", {{QStringLiteral("confirmedOn"), day}});
        return id;
    };
    confirmed(QStringLiteral("prepaid"), QStringLiteral("2026-06-06"));  // four days: late
    confirmed(QStringLiteral("escrow"), QStringLiteral("2026-06-07"));   // three: not yet, though placed nine days ago
    const qint64 cod = confirmed(QStringLiteral("cod"), QStringLiteral("2026-06-02"));
    const qint64 paid = confirmed(QStringLiteral("prepaid"), QStringLiteral("2026-06-01"));
    stepOk("orders", paid, "assign", {{QStringLiteral("assignee"), clerkId}});
    stepOk("orders", paid, "pay", {{QStringLiteral("paidOn"), QStringLiteral("2026-06-05")}});
    const qint64 justPaid = confirmed(QStringLiteral("escrow"), QStringLiteral("2026-06-01"));
    stepOk("orders", justPaid, "assign", {{QStringLiteral("assignee"), clerkId}});
    stepOk("orders", justPaid, "pay", {{QStringLiteral("paidOn"), QStringLiteral("2026-06-08")}});
    EXPECT_EQ(get("orders", paid).value(QStringLiteral("confirmedOn")).toString(), QStringLiteral("2026-06-01"));
    auto reminders = clerk->get("/api/v1/reminders");
    ASSERT_EQ(reminders.status, 200) << reminders.body.toStdString();
    const QString body = QString::fromUtf8(reminders.body);
    EXPECT_TRUE(body.contains(QStringLiteral("1 个订单确认已超过 3 天，仍待付款"))) << body.toStdString();
    EXPECT_TRUE(body.contains(QStringLiteral("1 个货到付款订单确认已超过 3 天，仍待发货"))) << body.toStdString();
    EXPECT_TRUE(body.contains(QStringLiteral("1 个订单付款已超过 3 天，仍待发货"))) << body.toStdString();
    // Each link's list holds exactly the late ones.
    for (const char* link : {"state=confirmed,assigned&paymentType=prepaid,escrow&confirmedOnTo=2026-06-06",
                             "state=confirmed,assigned&paymentType=cod&confirmedOnTo=2026-06-06",
                             "state=paid&paymentType=prepaid,escrow&paidOnTo=2026-06-06"}) {
        EXPECT_TRUE(body.contains(QStringLiteral("/m/biz.orders/orders?") + QLatin1String(link))) << link << body.toStdString();
        auto listed = clerk->get("/api/v1/biz.orders/orders?" + QByteArray(link));
        EXPECT_EQ(listed.json().value(QStringLiteral("total")).toInteger(), 1) << link << listed.body.toStdString();
    }
    EXPECT_FALSE(stranger->get("/api/v1/reminders").body.contains(QStringLiteral("订单").toUtf8())) << "another branch";
    stepOk("orders", cod, "assign", {{QStringLiteral("assignee"), clerkId}});
    stepOk("orders", cod, "ship");
    EXPECT_FALSE(clerk->get("/api/v1/reminders").body.contains(QStringLiteral("货到付款订单").toUtf8())) << "shipped";
    // A confirmation day is the step's: not typed in an edit, not before the order, not ahead.
    const qint64 placed = orderOk(QStringLiteral("cod"), {{QStringLiteral("orderDate"), QStringLiteral("2026-06-05")}});
    lineOk(placed, camera, 1);
    EXPECT_EQ(clerk
                  ->send("PUT", path("orders", placed),
                         QJsonObject{{QStringLiteral("customerId"), customer},
                                     {QStringLiteral("paymentType"), QStringLiteral("cod")},
                                     {QStringLiteral("unitId"), branch},
                                     {QStringLiteral("confirmedOn"), QStringLiteral("2026-06-05")}},
                         ifMatch(get("orders", placed).value(QStringLiteral("version")).toInteger()))
                  .status,
              422);
    auto early = step("orders", placed, "confirm", {{QStringLiteral("confirmedOn"), QStringLiteral("2026-06-04")}});
    EXPECT_EQ(early.status, 422);
    EXPECT_TRUE(messageOf(early, QStringLiteral("confirmedOn")).contains(QStringLiteral("2026-06-05"))) << early.body.toStdString();
    EXPECT_EQ(step("orders", placed, "confirm", {{QStringLiteral("confirmedOn"), QStringLiteral("2026-06-11")}}).status, 422);
    stepOk("orders", placed, "confirm");
    EXPECT_EQ(get("orders", placed).value(QStringLiteral("confirmedOn")).toString(), QStringLiteral("2026-06-10")) << "today";
}

// A warehouse that only fulfils (no right to sell) assigns and reassigns orders by name: the
// people picker answers whoever may take a step that sets the field. Reassigning keeps the
// order where it is, names who has it now, and is in no one's to-do list.
TEST_F(Orders, AWarehouseAssignsAndReassignsByNameWithoutTheRightToSell) {
    role(QStringLiteral("warehouse"), {"biz.customers.read", "biz.orders.read", "biz.orders.fulfil"});
    auto keeper = user(QStringLiteral("keeper"), QStringLiteral("warehouse"), branch);
    const qint64 keeperId =
        keeper->get("/api/v1/auth/me").json().value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toInteger();
    auto picked = keeper->get("/api/v1/biz.orders/orders/people/assignee");
    ASSERT_EQ(picked.status, 200) << picked.body.toStdString();
    QStringList names;
    for (const auto& p : picked.json().value(QStringLiteral("items")).toArray())
        names << p.toObject().value(QStringLiteral("name")).toString();
    EXPECT_TRUE(names.contains(QStringLiteral("keeper")) && names.contains(QStringLiteral("clerk"))) << names.join(u',').toStdString();
    EXPECT_FALSE(names.contains(QStringLiteral("seller"))) << "only those holding the duty";
    EXPECT_EQ(keeper->get("/api/v1/biz.orders/orders/people/assignee?unit=" + QByteArray::number(other)).status, 403)
        << "not at another branch";
    EXPECT_EQ(seller->get("/api/v1/biz.orders/orders/people/assignee").status, 200) << "a seller may not take the step, but edits";
    role(QStringLiteral("reader"), {"biz.customers.read", "biz.orders.read"});
    auto reader = user(QStringLiteral("reader"), QStringLiteral("reader"), branch);
    auto refused = reader->get("/api/v1/biz.orders/orders/people/assignee");
    EXPECT_EQ(refused.status, 403) << "a reader sets the field nowhere: " << refused.body.toStdString();
    EXPECT_FALSE(refused.body.contains("clerk"));

    const qint64 id = orderOk(QStringLiteral("prepaid"));
    lineOk(id, camera, 2);
    stepOk("orders", id, "confirm");
    auto assigned = step("orders", id, "assign", {{QStringLiteral("assignee"), clerkId}}, keeper.get());
    ASSERT_EQ(assigned.status, 200) << assigned.body.toStdString();
    stepOk("orders", id, "pay");
    // The clerk is away: the warehouse gives it to the keeper; it stays paid.
    auto same = step("orders", id, "reassign", {{QStringLiteral("assignee"), clerkId}}, keeper.get());
    EXPECT_EQ(same.status, 422);
    EXPECT_EQ(messageOf(same, QStringLiteral("assignee")), QStringLiteral("订单已分派给此人，请选择其他人")) << same.body.toStdString();
    EXPECT_EQ(step("orders", id, "reassign", {}, keeper.get()).status, 422) << "someone must be named";
    EXPECT_EQ(step("orders", id, "reassign", {{QStringLiteral("assignee"), keeperId}}, seller.get()).status, 403) << "not a seller's";
    auto moved = step("orders", id, "reassign",
                      {{QStringLiteral("assignee"), keeperId}, {QStringLiteral("comment"), QStringLiteral("张三休假")}}, keeper.get());
    ASSERT_EQ(moved.status, 200) << moved.body.toStdString();
    const QJsonObject now = get("orders", id);
    EXPECT_EQ(now.value(QStringLiteral("state")).toString(), QStringLiteral("paid"));
    EXPECT_EQ(now.value(QStringLiteral("assignee")).toInteger(), keeperId);
    auto steps = keeper->get(path("orders", id) + "/steps").json();
    const QJsonObject last = steps.value(QStringLiteral("history")).toArray().last().toObject();
    EXPECT_EQ(last.value(QStringLiteral("step")).toString(), QStringLiteral("reassign"));
    EXPECT_EQ(last.value(QStringLiteral("from")).toString(), QStringLiteral("paid"));
    EXPECT_EQ(last.value(QStringLiteral("to")).toString(), QStringLiteral("paid"));
    EXPECT_EQ(last.value(QStringLiteral("comment")).toString(), QStringLiteral("张三休假"));
    bool offered = false;
    for (const auto& st : steps.value(QStringLiteral("steps")).toArray()) {
        const QJsonObject o = st.toObject();
        if (o.value(QStringLiteral("id")).toString() == u"reassign") {
            offered = true;
            EXPECT_EQ(o.value(QStringLiteral("to")).toString(), QString()) << "it moves nothing";
        }
    }
    EXPECT_TRUE(offered);
    // Now the keeper ships it, and the clerk no longer may.
    EXPECT_EQ(step("orders", id, "ship").status, 403);
    ASSERT_EQ(step("orders", id, "ship", {}, keeper.get()).status, 200);
    // The to-do list offers no one the reassignment.
    const QByteArray todo = keeper->get("/api/v1/todo").body;
    EXPECT_FALSE(todo.contains("reassign")) << todo.toStdString();
}

TEST_F(Orders, PayBeforeShippingShipsOnlyOncePaidAndEveryStepSaysWhoAndWhen) {
    const qint64 id = assignedOrder(QStringLiteral("prepaid"));
    auto unpaid = step("orders", id, "ship");
    EXPECT_EQ(fieldsOf(unpaid), QStringList{QStringLiteral("paidOn")});
    EXPECT_EQ(messageOf(unpaid, QStringLiteral("paidOn")), QStringLiteral("尚未登记：先款后货（或担保交易）的订单须付款后才能发货"));
    EXPECT_EQ(step("orders", id, "complete").status, 409) << "not a step from assigned";
    stepOk("orders", id, "pay", {{QStringLiteral("paymentRef"), QStringLiteral("银行回单 0042")}});
    EXPECT_EQ(get("orders", id).value(QStringLiteral("paidOn")).toString(), QStringLiteral("2026-06-10")) << "today";
    EXPECT_EQ(fieldsOf(step("orders", id, "ship", {{QStringLiteral("shippedOn"), QStringLiteral("2026-06-01")}})),
              QStringList{QStringLiteral("shippedOn")})
        << "before the order date";
    stepOk("orders", id, "ship", {{QStringLiteral("waybill"), QStringLiteral("SF1234567890")}});
    EXPECT_EQ(step("orders", id, "ship").status, 409) << "shipped once";
    stepOk("orders", id, "complete");
    const QJsonObject done = get("orders", id);
    EXPECT_EQ(done.value(QStringLiteral("state")).toString(), QStringLiteral("completed"));
    EXPECT_TRUE(done.value(QStringLiteral("escrowReleasedOn")).isNull());
    auto steps = clerk->get(path("orders", id) + "/steps").json();
    QStringList taken;
    for (const auto& h : steps.value(QStringLiteral("history")).toArray()) {
        const QJsonObject s = h.toObject();
        taken << s.value(QStringLiteral("step")).toString();
        EXPECT_FALSE(s.value(QStringLiteral("by")).toString().isEmpty());
        EXPECT_FALSE(s.value(QStringLiteral("at")).toString().isEmpty());
    }
    EXPECT_EQ(taken, (QStringList{QStringLiteral("confirm"), QStringLiteral("assign"), QStringLiteral("pay"), QStringLiteral("ship"),
                                  QStringLiteral("complete")}));
}

TEST_F(Orders, CashOnDeliveryIsPaidAfterShippingAndCompletesOncePaid) {
    const qint64 id = assignedOrder(QStringLiteral("cod"));
    auto early = step("orders", id, "pay");
    EXPECT_EQ(fieldsOf(early), QStringList{QStringLiteral("paidOn")});
    EXPECT_EQ(messageOf(early, QStringLiteral("paidOn")), QStringLiteral("货到付款的订单在发货后收款：请先发货"));
    stepOk("orders", id, "ship");
    auto unpaid = step("orders", id, "complete");
    EXPECT_EQ(fieldsOf(unpaid), QStringList{QStringLiteral("paidOn")});
    stepOk("orders", id, "pay");
    EXPECT_EQ(get("orders", id).value(QStringLiteral("state")).toString(), QStringLiteral("paid"));
    EXPECT_EQ(step("orders", id, "ship").status, 422) << "paid on delivery: shipped already";
    stepOk("orders", id, "complete");
    EXPECT_EQ(get("orders", id).value(QStringLiteral("state")).toString(), QStringLiteral("completed"));
}

TEST_F(Orders, EscrowIsPaidBeforeShippingAndReleasedOnCompletion) {
    const qint64 id = assignedOrder(QStringLiteral("escrow"));
    EXPECT_EQ(fieldsOf(step("orders", id, "ship")), QStringList{QStringLiteral("paidOn")});
    stepOk("orders", id, "pay");
    stepOk("orders", id, "ship");
    EXPECT_TRUE(get("orders", id).value(QStringLiteral("escrowReleasedOn")).isNull()) << "held until the order completes";
    setClock(start.addDays(3));
    stepOk("orders", id, "complete");
    const QJsonObject done = get("orders", id);
    EXPECT_EQ(done.value(QStringLiteral("completedOn")).toString(), QStringLiteral("2026-06-13"));
    EXPECT_EQ(done.value(QStringLiteral("escrowReleasedOn")).toString(), QStringLiteral("2026-06-13"));
}

TEST_F(Orders, ReturnsNeverExceedWhatWasShippedLessWhatCameBack) {
    const qint64 id = assignedOrder(QStringLiteral("prepaid"), 5);  // 5 x 19.99 = 99.95
    const qint64 l = clerk->get("/api/v1/biz.orders/lines?orderId=" + QByteArray::number(id))
                         .json()
                         .value(QStringLiteral("items"))
                         .toArray()[0]
                         .toObject()
                         .value(QStringLiteral("id"))
                         .toInteger();
    auto request = [&](qint64 quantity, const QString& kind, QJsonObject more = {}) {
        more.insert(QStringLiteral("lineId"), l);
        more.insert(QStringLiteral("quantity"), quantity);
        more.insert(QStringLiteral("kind"), kind);
        more.insert(QStringLiteral("reason"), QStringLiteral("画面有坏点"));
        return clerk->send("POST", "/api/v1/biz.orders/returns", more);
    };
    auto unshipped = request(1, QStringLiteral("refund"));
    EXPECT_EQ(fieldsOf(unshipped), QStringList{QStringLiteral("lineId")}) << "not shipped yet";
    stepOk("orders", id, "pay");
    stepOk("orders", id, "ship");
    auto three = request(3, QStringLiteral("refund"));
    ASSERT_EQ(three.status, 201) << three.body.toStdString();
    EXPECT_EQ(three.json().value(QStringLiteral("refund")).toString(), QStringLiteral("59.97")) << "3/5 of 99.95";
    EXPECT_EQ(three.json().value(QStringLiteral("orderId")).toInteger(), id);
    EXPECT_TRUE(three.json().value(QStringLiteral("returnNo")).toString().startsWith(QStringLiteral("TH2026-")));
    auto tooMany = request(3, QStringLiteral("exchange"));
    EXPECT_EQ(fieldsOf(tooMany), QStringList{QStringLiteral("quantity")});
    EXPECT_EQ(messageOf(tooMany, QStringLiteral("quantity")), QStringLiteral("最多可退换 2：已发货 5，已退换或正在退换 3"));
    EXPECT_EQ(fieldsOf(request(1, QStringLiteral("refund"), {{QStringLiteral("refund"), QStringLiteral("20.00")}})),
              QStringList{QStringLiteral("refund")})
        << "more than the 19.99 paid for one";
    EXPECT_EQ(fieldsOf(request(1, QStringLiteral("exchange"), {{QStringLiteral("refund"), QStringLiteral("1.00")}})),
              QStringList{QStringLiteral("refund")});
    auto swap = request(2, QStringLiteral("exchange"));
    ASSERT_EQ(swap.status, 201) << swap.body.toStdString();
    EXPECT_EQ(swap.json().value(QStringLiteral("replacementProductId")).toInteger(), camera) << "the same product";
    // Rejected, a return no longer counts; approved and completed, it does.
    const qint64 threeId = three.json().value(QStringLiteral("id")).toInteger();
    EXPECT_EQ(fieldsOf(step("returns", threeId, "reject")), QStringList{QStringLiteral("comment")});
    stepOk("returns", threeId, "reject", {{QStringLiteral("comment"), QStringLiteral("人为损坏，不予退货")}});
    auto again = request(3, QStringLiteral("refund"), {{QStringLiteral("refund"), QStringLiteral("50.00")}});
    ASSERT_EQ(again.status, 201) << again.body.toStdString();
    const qint64 againId = again.json().value(QStringLiteral("id")).toInteger();
    stepOk("returns", againId, "approve");
    EXPECT_EQ(clerk->request("DELETE", path("returns", againId), {}, ifMatch(2)).status, 409);
    stepOk("returns", againId, "complete");
    EXPECT_EQ(get("returns", againId).value(QStringLiteral("state")).toString(), QStringLiteral("completed"));
    EXPECT_EQ(fieldsOf(request(1, QStringLiteral("refund"))), QStringList{QStringLiteral("quantity")}) << "all 5 accounted for";
    // The order card's lines say how many came back.
    const QJsonArray sections = clerk->get("/api/v1/cards/biz.orders/order/" + QByteArray::number(id) + "/sections")
                                    .json()
                                    .value(QStringLiteral("items"))
                                    .toArray();
    ASSERT_EQ(sections.size(), 1);
    const QJsonObject row = sections[0].toObject().value(QStringLiteral("rows")).toArray()[0].toObject();
    EXPECT_EQ(row.value(QStringLiteral("product")).toString(), QStringLiteral("网络摄像机"));
    EXPECT_EQ(row.value(QStringLiteral("total")).toString(), QStringLiteral("99.95"));
    EXPECT_EQ(row.value(QStringLiteral("returned")).toInteger(), 5);
    stepOk("orders", id, "complete");
    EXPECT_EQ(stranger->get("/api/v1/biz.orders/returns").json().value(QStringLiteral("total")).toInteger(), 0);
}

TEST_F(Orders, SummariesSumTheSalesExactlyAndTheCustomerCardListsTheOrders) {
    const qint64 a = assignedOrder(QStringLiteral("prepaid"), 3);  // 59.97, June
    lineOk(orderOk(QStringLiteral("cod")), recorder, 1);           // placed: not sold
    const qint64 b = orderOk(QStringLiteral("cod"),
                             {{QStringLiteral("customerId"), second}, {QStringLiteral("orderDate"), QStringLiteral("2026-05-20")}});
    lineOk(b, recorder, 2, {{QStringLiteral("discount"), QStringLiteral("5")}});  // 2432.00, May
    lineOk(b, camera, 1);                                                         // 19.99
    stepOk("orders", b, "confirm");
    (void)a;
    auto byMonth = clerk->get("/api/v1/biz.orders/sales?year=2026&by=month");
    ASSERT_EQ(byMonth.status, 200) << byMonth.body.toStdString();
    const QJsonArray months = byMonth.json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(months.size(), 2) << byMonth.body.toStdString();
    EXPECT_EQ(months[0].toObject().value(QStringLiteral("label")).toString(), QStringLiteral("2026-05"));
    EXPECT_EQ(months[0].toObject().value(QStringLiteral("amount")).toString(), QStringLiteral("2451.99"));
    EXPECT_EQ(months[1].toObject().value(QStringLiteral("amount")).toString(), QStringLiteral("59.97"));
    EXPECT_EQ(byMonth.json().value(QStringLiteral("total")).toObject().value(QStringLiteral("amount")).toString(),
              QStringLiteral("2511.96"));
    EXPECT_EQ(byMonth.json().value(QStringLiteral("title")).toString(), QStringLiteral("2026年销售汇总"));
    const QJsonArray products = clerk->get("/api/v1/biz.orders/sales?year=2026&by=product").json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(products.size(), 2);
    EXPECT_EQ(products[0].toObject().value(QStringLiteral("label")).toString(), QStringLiteral("硬盘录像机"));
    EXPECT_EQ(products[1].toObject().value(QStringLiteral("quantity")).toInteger(), 4);
    const QJsonArray customers =
        clerk->get("/api/v1/biz.orders/sales?year=2026&by=customer").json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(customers.size(), 2);
    EXPECT_EQ(customers[0].toObject().value(QStringLiteral("label")).toString(), QStringLiteral("东方宾馆"));
    EXPECT_EQ(fieldsOf(clerk->get("/api/v1/biz.orders/sales?by=week")), QStringList{QStringLiteral("by")});
    EXPECT_EQ(stranger->get("/api/v1/biz.orders/sales?year=2026").json().value(QStringLiteral("items")).toArray().size(), 0);

    auto byState = clerk->get("/api/v1/biz.orders/summary?year=2026&by=state").json();
    QStringList states;
    for (const auto& i : byState.value(QStringLiteral("items")).toArray()) states << i.toObject().value(QStringLiteral("label")).toString();
    EXPECT_EQ(states, (QStringList{QStringLiteral("已分派"), QStringLiteral("已确认"), QStringLiteral("已下单")}));
    EXPECT_EQ(byState.value(QStringLiteral("total")).toObject().value(QStringLiteral("orders")).toInteger(), 3);
    EXPECT_EQ(clerk->get("/api/v1/biz.orders/summary?year=2026&by=assignee")
                  .json()
                  .value(QStringLiteral("items"))
                  .toArray()[0]
                  .toObject()
                  .value(QStringLiteral("label"))
                  .toString(),
              QStringLiteral("未分派"));
    auto csv = clerk->get("/api/v1/reports/biz.orders/sales/export?format=csv&year=2026&by=month");
    ASSERT_EQ(csv.status, 200) << csv.body.toStdString();
    EXPECT_TRUE(csv.body.contains("2451.99") && csv.body.contains(QStringLiteral("合计").toUtf8())) << csv.body.toStdString();

    auto sections = clerk->get("/api/v1/cards/biz.customers/customer/" + QByteArray::number(second) + "/sections");
    ASSERT_EQ(sections.status, 200) << sections.body.toStdString();
    EXPECT_TRUE(sections.body.contains(QStringLiteral("DD20260520-0001").toUtf8()) && sections.body.contains("2451.99"))
        << sections.body.toStdString();
    EXPECT_FALSE(sections.body.contains(QStringLiteral("DD20260610").toUtf8())) << "the other customer's orders";
}

// Returns of one line racing for what is left: each is checked again in its writing
// transaction, so however the clients interleave, exactly as many come through as fit. Ten
// shipped: eight clients asking 3 each leave room for three of them (9), then eight asking for
// the last one leave room for one; the sum never exceeds what was shipped.
TEST_F(Orders, ReturnsRacingForTheLastUnitsOfALineTakeBackExactlyWhatFits) {
    const qint64 id = assignedOrder(QStringLiteral("cod"), 10);
    stepOk("orders", id, "ship");
    const qint64 l = clerk->get("/api/v1/biz.orders/lines?orderId=" + QByteArray::number(id))
                         .json()
                         .value(QStringLiteral("items"))
                         .toArray()[0]
                         .toObject()
                         .value(QStringLiteral("id"))
                         .toInteger();
    constexpr int kClients = 8;
    const QByteArray bearer = "Bearer " + token(QStringLiteral("clerk3"), QStringLiteral("staff"), branch);
    // All clients start their request at once, each on its own connection.
    const auto race = [&](qint64 quantity) {
        std::vector<int> status(kClients);
        std::vector<std::thread> threads;
        std::atomic<int> ready{0};
        for (int i = 0; i < kClients; ++i)
            threads.emplace_back([&, i] {
                HttpClient c = host->anonymousClient();
                c.setDefaultHeader("Authorization", bearer);
                ++ready;
                while (ready.load() < kClients) std::this_thread::yield();
                status[std::size_t(i)] = c.send("POST", "/api/v1/biz.orders/returns",
                                                QJsonObject{{QStringLiteral("lineId"), l},
                                                            {QStringLiteral("quantity"), quantity},
                                                            {QStringLiteral("kind"), QStringLiteral("refund")},
                                                            {QStringLiteral("reason"), QStringLiteral("外壳破损")}})
                                             .status;
            });
        for (auto& t : threads) t.join();
        return status;
    };
    const auto returned = [&] {
        qint64 sum = 0;
        for (const auto& r : clerk->get("/api/v1/biz.orders/returns?size=100&lineId=" + QByteArray::number(l))
                                 .json()
                                 .value(QStringLiteral("items"))
                                 .toArray())
            sum += r.toObject().value(QStringLiteral("quantity")).toInteger();
        return sum;
    };
    auto threes = race(3);
    EXPECT_EQ(std::count(threes.begin(), threes.end(), 201), 3);
    EXPECT_EQ(std::count(threes.begin(), threes.end(), 422), kClients - 3);
    EXPECT_EQ(returned(), 9);
    auto last = race(1);
    EXPECT_EQ(std::count(last.begin(), last.end(), 201), 1) << "exactly one takes the last unit";
    EXPECT_EQ(std::count(last.begin(), last.end(), 422), kClients - 1);
    EXPECT_EQ(returned(), 10) << "never more than the ten shipped";
}

TEST_F(Orders, ProductsAreImportedByTheirCodeWithExactPricesAndExportedBack) {
    // A price list as people keep it: ¥ and thousands separators; P-001 updated by its code.
    const QByteArray csv = QStringLiteral(
                               "商品编码,商品名称,规格型号,计量单位,单价,类别,所属单位\r\n"
                               "P-001,网络摄像机,400万像素,台,¥21.50,设备,华东销售部\r\n"
                               "P-200,监控硬盘,4TB,块,\"1,099.00\",配件,华东销售部\r\n")
                               .toUtf8();
    auto up = clerk->request("POST", "/api/v1/files?name=" + QUrl::toPercentEncoding(QStringLiteral("价目表.csv")), csv);
    ASSERT_EQ(up.status, 201) << up.body.toStdString();
    auto started = clerk->send(
        "POST", "/api/v1/biz.orders/products/import",
        QJsonObject{{QStringLiteral("file"), up.json().value(QStringLiteral("id")).toString()}, {QStringLiteral("dryRun"), false}});
    ASSERT_EQ(started.status, 202) << started.body.toStdString();
    const QJsonObject job = waitForJob(*clerk, started.json().value(QStringLiteral("href")).toString().toUtf8());
    const QJsonObject result = job.value(QStringLiteral("result")).toObject();
    EXPECT_EQ(result.value(QStringLiteral("created")).toInteger(), 1) << QJsonDocument(job).toJson().toStdString();
    EXPECT_EQ(result.value(QStringLiteral("updated")).toInteger(), 1);
    EXPECT_EQ(get("products", camera).value(QStringLiteral("price")).toString(), QStringLiteral("21.50"));
    const QJsonArray disks = clerk->get("/api/v1/biz.orders/products?q=P-200").json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(disks.size(), 1);
    EXPECT_EQ(disks[0].toObject().value(QStringLiteral("price")).toString(), QStringLiteral("1099.00"));
    EXPECT_TRUE(disks[0].toObject().value(QStringLiteral("active")).toBool());
    // Exported back, in the same headers.
    auto exported = clerk->request("POST", "/api/v1/biz.orders/products/export?format=csv");
    ASSERT_EQ(exported.status, 202) << exported.body.toStdString();
    const QJsonObject done = waitForJob(*clerk, exported.json().value(QStringLiteral("href")).toString().toUtf8());
    auto file = clerk->get(done.value(QStringLiteral("output")).toObject().value(QStringLiteral("href")).toString().toUtf8());
    ASSERT_EQ(file.status, 200);
    const QString text = QString::fromUtf8(file.body);
    EXPECT_TRUE(text.contains(QStringLiteral("商品编码")) && text.contains(QStringLiteral("P-200,监控硬盘,4TB,块,1099.00")))
        << text.toStdString();
}
