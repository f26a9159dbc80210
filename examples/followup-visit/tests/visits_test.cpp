// crm.visits through a real host (tessera::testing): the card the manifest declares is served,
// its rules hold, the reminder counts the unit's visits that need a follow-up.
#include <tessera/testing.hpp>

#include <gtest/gtest.h>

#include <QJsonArray>

using tessera::testing::Client;
using tessera::testing::Host;

class Visits : public ::testing::Test {
protected:
    Host host{{.pluginDirs = {QStringLiteral(PLUGIN_DIR)},
               .plugins = {QStringLiteral("biz.customers"), QStringLiteral("crm.visits")},
               .now = QDateTime(QDate(2026, 12, 4), QTime(9, 0), Qt::UTC)}};
    Client admin = host.admin();
    qint64 root = host.rootUnit();

    qint64 customer(const QString& name) {
        auto r = admin.send("POST", "/api/v1/biz.customers/customers", QJsonObject{{"name", name}, {"unitId", root}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value("id").toInteger();
    }
    tessera::testing::Reply visit(QJsonObject fields) {
        fields.insert("unitId", root);
        return admin.send("POST", "/api/v1/crm.visits/visits", fields);
    }
};

TEST_F(Visits, AVisitIsRecordedWithItsCustomerByName) {
    const qint64 c = customer("东海电器");
    auto r = visit({{"customerId", c}, {"visitDate", "2026-12-03"}, {"channel", "phone"}, {"outcome", "满意"}});
    ASSERT_EQ(r.status, 201) << r.body.toStdString();
    EXPECT_EQ(r.json().value("labels").toObject().value("customerId").toString(), "东海电器");
    auto list = admin.get("/api/v1/crm.visits/visits?customerId=" + QByteArray::number(c)).json();
    EXPECT_EQ(list.value("total").toInt(), 1);
}

TEST_F(Visits, TheCardsRulesAreTheServers) {
    auto r = visit({{"customerId", 999}, {"visitDate", "2026-12-05"}, {"channel", "fax"}});
    ASSERT_EQ(r.status, 422);
    QStringList fields;
    for (const auto& e : r.json().value("errors").toArray()) fields << e.toObject().value("field").toString();
    fields.sort();
    EXPECT_EQ(fields, (QStringList{"channel", "customerId", "outcome", "visitDate"})) << r.body.toStdString();
    // "Not in the future" follows the host's clock.
    host.setNow(QDateTime(QDate(2026, 12, 6), QTime(9, 0), Qt::UTC));
    EXPECT_EQ(visit({{"customerId", customer("西部物流")}, {"visitDate", "2026-12-05"}, {"channel", "visit"}, {"outcome", "待报价"}}).status, 201);
}

TEST_F(Visits, RefusalsAreInChineseUnlessTheClientAsksForEnglish) {
    auto message = [](const tessera::testing::Reply& r) {
        return r.json().value("errors").toArray().at(0).toObject().value("message").toString();
    };
    const QJsonObject noDate{{"customerId", customer("南方建材")}, {"channel", "phone"}, {"outcome", "满意"}};
    EXPECT_EQ(message(visit(noDate)), "必填") << "no Accept-Language: the host's default, Chinese";
    admin.setLanguage("en");
    EXPECT_EQ(message(visit(noDate)), "is required");
}

TEST_F(Visits, TheHomePageRemindsOfVisitsNeedingAFollowUp) {
    Client clerk = host.as(host.user("clerk", root));  // reminders are for the user's own unit
    const qint64 c = customer("东方商贸");
    visit({{"customerId", c}, {"visitDate", "2026-12-01"}, {"channel", "visit"}, {"outcome", "需要报价"}, {"followUp", true}});
    visit({{"customerId", c}, {"visitDate", "2026-12-02"}, {"channel", "phone"}, {"outcome", "已解决"}, {"followUp", false}});
    const QByteArray home = clerk.get("/api/v1/reminders").body;
    EXPECT_TRUE(QString::fromUtf8(home).contains("1 次客户回访需要跟进")) << home.toStdString();
    // A customer with visits cannot be deleted.
    EXPECT_EQ(admin.request("DELETE", "/api/v1/biz.customers/customers/" + QByteArray::number(c)).status, 409);
}
