// An upgrade from a biz.orders whose assignee was words typed at the assign step (before
// migration 0001): an order assigned to "一号仓库" keeps those words as its assignment note,
// names no one as its assignee, is counted under them by the summary, and is shipped by any
// holder of the warehouse's duty, as before; an order confirmed before migration 0002 takes
// the day of its confirm step as its confirmation day.

#include "host_fixture.hpp"

#include <QDate>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>

#include <gtest/gtest.h>

using namespace tessera::test;

TEST(OrdersUpgrade, AnOrderAssignedInWordsKeepsThemAndIsShippedByTheWarehouse) {
    TempDir dir;
    const QString built = builtPluginDir();
    const QString old = dir.path() + QStringLiteral("/old-plugins");
    // The old biz.orders: no migrations, the assignee a text field, its steps anyone's.
    for (const QString& plugin : {QStringLiteral("biz.customers"), QStringLiteral("biz.orders")}) {
        QDirIterator files(built + u'/' + plugin, QDir::Files, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            const QString from = files.next();
            const QString relative = QDir(built + u'/' + plugin).relativeFilePath(from);
            if (plugin == u"biz.orders" && relative.startsWith(QStringLiteral("migrations/"))) continue;
            const QString to = old + u'/' + plugin + u'/' + relative;
            ASSERT_TRUE(QDir().mkpath(QFileInfo(to).path()));
            ASSERT_TRUE(QFile::copy(from, to)) << relative.toStdString();
        }
    }
    {
        QFile manifest(old + QStringLiteral("/biz.orders/manifest.xml"));
        ASSERT_TRUE(manifest.open(QIODevice::ReadOnly));
        QString text = QString::fromUtf8(manifest.readAll());
        manifest.close();
        text.replace(QStringLiteral("kind=\"user\" permission=\"biz.orders.fulfil\""), QStringLiteral("kind=\"text\" max-length=\"50\""));
        text.remove(
            QRegularExpression(QStringLiteral("<field name=\"assigneeNote\".*?</field>"), QRegularExpression::DotMatchesEverythingOption));
        text.replace(QStringLiteral("fields=\"assignee assigneeNote\""), QStringLiteral("fields=\"assignee\""));
        text.remove(QStringLiteral(" by=\"assignee\""));
        // Nor did it know the day an order was confirmed (migration 0002), nor reassign.
        text.remove(
            QRegularExpression(QStringLiteral("<field name=\"confirmedOn\".*?</field>"), QRegularExpression::DotMatchesEverythingOption));
        text.remove(QStringLiteral(" fields=\"confirmedOn\" date=\"confirmedOn\""));
        text.remove(QRegularExpression(QStringLiteral("<step id=\"reassign\".*?</step>"), QRegularExpression::DotMatchesEverythingOption));
        ASSERT_TRUE(manifest.open(QIODevice::WriteOnly | QIODevice::Truncate));
        manifest.write(text.toUtf8());
    }
    const std::vector<EnablePlugin> plugins{{QStringLiteral("biz.customers"), {}}, {QStringLiteral("biz.orders"), {}}};
    const QString oldConfig = dir.write(QStringLiteral("old.xml"), RunningHost::deploymentXml({old}, plugins).toUtf8());
    const QString newConfig = dir.write(QStringLiteral("new.xml"), RunningHost::deploymentXml({built}, plugins).toUtf8());
    const auto step = [](HttpClient& c, qint64 id, const char* stepId, const QJsonObject& body) {
        const QByteArray path = "/api/v1/biz.orders/orders/" + QByteArray::number(id);
        return c.send("POST", path + "/steps/" + stepId, body, ifMatch(c.get(path).json().value(QStringLiteral("version")).toInteger()));
    };
    qint64 order = 0, branch = 0;
    {
        RunningHost host(oldConfig);
        ASSERT_EQ(host.app().runtime().plugin(QStringLiteral("biz.orders"))->state, tessera::host::PluginState::Started)
            << host.app().runtime().plugin(QStringLiteral("biz.orders"))->reason.toStdString();
        HttpClient admin = host.client();
        const qint64 root = host.app().units().ensureRoot(QStringLiteral("公司"))->id;
        branch = host.app().units().create(root, QStringLiteral("华东销售部"))->id;
        const qint64 customer =
            admin
                .send("POST", "/api/v1/biz.customers/customers",
                      QJsonObject{{QStringLiteral("name"), QStringLiteral("华联商厦")}, {QStringLiteral("unitId"), branch}})
                .json()
                .value(QStringLiteral("id"))
                .toInteger();
        const qint64 product = admin
                                   .send("POST", "/api/v1/biz.orders/products",
                                         QJsonObject{{QStringLiteral("code"), QStringLiteral("P-001")},
                                                     {QStringLiteral("name"), QStringLiteral("网络摄像机")},
                                                     {QStringLiteral("measure"), QStringLiteral("台")},
                                                     {QStringLiteral("price"), QStringLiteral("19.99")},
                                                     {QStringLiteral("unitId"), branch}})
                                   .json()
                                   .value(QStringLiteral("id"))
                                   .toInteger();
        order = admin
                    .send("POST", "/api/v1/biz.orders/orders",
                          QJsonObject{{QStringLiteral("customerId"), customer},
                                      {QStringLiteral("paymentType"), QStringLiteral("cod")},
                                      {QStringLiteral("unitId"), branch}})
                    .json()
                    .value(QStringLiteral("id"))
                    .toInteger();
        ASSERT_GT(order, 0);
        ASSERT_EQ(
            admin
                .send("POST", "/api/v1/biz.orders/lines",
                      QJsonObject{
                          {QStringLiteral("orderId"), order}, {QStringLiteral("productId"), product}, {QStringLiteral("quantity"), 3}})
                .status,
            201);
        ASSERT_EQ(step(admin, order, "confirm", {}).status, 200);
        auto assigned = step(admin, order, "assign", {{QStringLiteral("assignee"), QStringLiteral("一号仓库")}});
        ASSERT_EQ(assigned.status, 200) << assigned.body.toStdString();
    }
    RunningHost host(newConfig);
    ASSERT_EQ(host.app().runtime().plugin(QStringLiteral("biz.orders"))->state, tessera::host::PluginState::Started)
        << host.app().runtime().plugin(QStringLiteral("biz.orders"))->reason.toStdString();
    HttpClient admin = host.client();
    const QJsonObject upgraded = admin.get("/api/v1/biz.orders/orders/" + QByteArray::number(order)).json();
    EXPECT_EQ(upgraded.value(QStringLiteral("assigneeNote")).toString(), QStringLiteral("一号仓库"));
    EXPECT_TRUE(upgraded.value(QStringLiteral("assignee")).isNull());
    EXPECT_EQ(upgraded.value(QStringLiteral("state")).toString(), QStringLiteral("assigned"));
    EXPECT_EQ(upgraded.value(QStringLiteral("confirmedOn")).toString(), QDate::currentDate().toString(Qt::ISODate))
        << "the day its confirm step was taken (migration 0002)";
    const QJsonArray byAssignee =
        admin.get("/api/v1/biz.orders/summary?year=" + QByteArray::number(QDate::currentDate().year()) + "&by=assignee")
            .json()
            .value(QStringLiteral("items"))
            .toArray();
    ASSERT_EQ(byAssignee.size(), 1);
    EXPECT_EQ(byAssignee[0].toObject().value(QStringLiteral("label")).toString(), QStringLiteral("一号仓库"));
    auto role = admin.send(
        "POST", "/api/v1/roles",
        QJsonObject{{QStringLiteral("name"), QStringLiteral("warehouse")},
                    {QStringLiteral("permissions"), QJsonArray{QStringLiteral("biz.orders.read"), QStringLiteral("biz.orders.fulfil")}}});
    ASSERT_EQ(role.status, 201) << role.body.toStdString();
    HttpClient keeper = host.anonymousClient();
    keeper.setDefaultHeader(
        "Authorization", "Bearer " + host.userToken(QStringLiteral("keeper"), QStringLiteral("warehouse"), QStringLiteral("unit"), branch));
    auto shipped = step(keeper, order, "ship", {});
    EXPECT_EQ(shipped.status, 200) << "named no one: the warehouse's to ship. " << shipped.body.toStdString();
}
