// biz.customers over real HTTP: the host loads the built plugin, serves on a loopback port,
// and stores in a real SQLite file.

#include "host_fixture.hpp"

#include <QJsonArray>
#include <QUrl>

#include <gtest/gtest.h>

using namespace tessera::test;

namespace {

class CustomersHttp : public ::testing::Test {
protected:
    void SetUp() override {
        host = std::make_unique<RunningHost>(QStringList{builtPluginDir()},
                                             std::vector<EnablePlugin>{{QStringLiteral("biz.customers"), overrides}});
        ASSERT_EQ(host->app().runtime().plugin(QStringLiteral("biz.customers"))->state, tessera::host::PluginState::Started)
            << host->app().runtime().plugin(QStringLiteral("biz.customers"))->reason.toStdString();
    }

    HttpReply create(const QJsonObject& customer) {
        return host->client().send("POST", "/api/v1/biz.customers/customers", customer);
    }
    qint64 createOk(const QString& name, const QString& phone = {}) {
        auto r = create(QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("phone"), phone}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }
    static QStringList fieldsIn(const HttpReply& r) {
        QStringList fields;
        for (const auto& e : r.json().value(QStringLiteral("errors")).toArray())
            fields << e.toObject().value(QStringLiteral("field")).toString();
        return fields;
    }
    static QByteArray path(qint64 id) { return "/api/v1/biz.customers/customers/" + QByteArray::number(id); }

    QString overrides;
    std::unique_ptr<RunningHost> host;
};

}  // namespace

TEST_F(CustomersHttp, CreatesAndReadsACustomer) {
    auto created = create(QJsonObject{{QStringLiteral("name"), QStringLiteral("北京华联商厦")},
                                      {QStringLiteral("contact"), QStringLiteral("张伟")},
                                      {QStringLiteral("phone"), QStringLiteral("010-6512 3456")},
                                      {QStringLiteral("address"), QStringLiteral("北京市东城区")},
                                      {QStringLiteral("notes"), QStringLiteral("老客户")}});
    ASSERT_EQ(created.status, 201) << created.body.toStdString();
    const qint64 id = created.json().value(QStringLiteral("id")).toInteger();
    EXPECT_EQ(created.header("Location"), path(id));
    EXPECT_EQ(created.header("ETag"), "\"1\"");

    auto got = host->client().get(path(id));
    ASSERT_EQ(got.status, 200);
    const QJsonObject c = got.json();
    EXPECT_EQ(c.value(QStringLiteral("name")).toString(), QStringLiteral("北京华联商厦"));
    EXPECT_EQ(c.value(QStringLiteral("contact")).toString(), QStringLiteral("张伟"));
    EXPECT_EQ(c.value(QStringLiteral("version")).toInteger(), 1);
    EXPECT_FALSE(c.value(QStringLiteral("createdAt")).toString().isEmpty());
    EXPECT_EQ(c.value(QStringLiteral("createdAt")), c.value(QStringLiteral("updatedAt")));
    EXPECT_TRUE(got.header("Content-Type").startsWith("application/json"));
}

TEST_F(CustomersHttp, ReportsEveryInvalidFieldAtOnce) {
    auto r = create(QJsonObject{{QStringLiteral("name"), QStringLiteral("  ")},
                                {QStringLiteral("phone"), QStringLiteral("call me")},
                                {QStringLiteral("adress"), QStringLiteral("typo")},
                                {QStringLiteral("notes"), 42}});
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.header("Content-Type").startsWith("application/problem+json"));
    const QStringList fields = fieldsIn(r);
    EXPECT_TRUE(fields.contains(QStringLiteral("name")));
    EXPECT_TRUE(fields.contains(QStringLiteral("phone")));
    EXPECT_TRUE(fields.contains(QStringLiteral("adress")));
    EXPECT_TRUE(fields.contains(QStringLiteral("notes")));
    EXPECT_EQ(host->client().get("/api/v1/biz.customers/customers").json().value(QStringLiteral("total")).toInt(), 0);
}

TEST_F(CustomersHttp, RefusesOverlongTextInsteadOfTruncating) {
    auto r = create(QJsonObject{{QStringLiteral("name"), QString(201, QChar(0x5BA2))}});
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(fieldsIn(r), QStringList{QStringLiteral("name")});
}

TEST_F(CustomersHttp, ListsNewestFirstWithPagingAndTotal) {
    for (int i = 1; i <= 5; ++i) createOk(QStringLiteral("客户%1").arg(i));
    auto page1 = host->client().get("/api/v1/biz.customers/customers?page=1&size=2");
    ASSERT_EQ(page1.status, 200);
    const QJsonObject p = page1.json();
    EXPECT_EQ(p.value(QStringLiteral("total")).toInt(), 5);
    EXPECT_EQ(p.value(QStringLiteral("size")).toInt(), 2);
    const QJsonArray items = p.value(QStringLiteral("items")).toArray();
    ASSERT_EQ(items.size(), 2);
    EXPECT_EQ(items[0].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("客户5"));
    auto page3 = host->client().get("/api/v1/biz.customers/customers?page=3&size=2").json();
    ASSERT_EQ(page3.value(QStringLiteral("items")).toArray().size(), 1);
    EXPECT_EQ(page3.value(QStringLiteral("items")).toArray()[0].toObject().value(QStringLiteral("name")).toString(),
              QStringLiteral("客户1"));
}

TEST_F(CustomersHttp, RefusesBadPagingParameters) {
    for (const QByteArray q : {"page=0", "page=abc", "size=0", "size=100000", "size=-1"}) {
        auto r = host->client().get("/api/v1/biz.customers/customers?" + q);
        EXPECT_EQ(r.status, 422) << q.toStdString();
    }
}

TEST_F(CustomersHttp, SearchesNameContactAndPhoneLiterally) {
    createOk(QStringLiteral("上海浦东发展公司"), QStringLiteral("021-5888 0000"));
    createOk(QStringLiteral("深圳100%服务"), QStringLiteral("0755-8888 6666"));
    createOk(QStringLiteral("广州贸易"));
    auto byName = host->client().get("/api/v1/biz.customers/customers?q=" + QUrl::toPercentEncoding(QStringLiteral("浦东"))).json();
    EXPECT_EQ(byName.value(QStringLiteral("total")).toInt(), 1);
    auto byPhone = host->client().get("/api/v1/biz.customers/customers?q=0755").json();
    EXPECT_EQ(byPhone.value(QStringLiteral("total")).toInt(), 1);
    // % is a literal character in the search, not a wildcard.
    auto percent = host->client().get("/api/v1/biz.customers/customers?q=" + QUrl::toPercentEncoding(QStringLiteral("0%"))).json();
    EXPECT_EQ(percent.value(QStringLiteral("total")).toInt(), 1);
}

TEST_F(CustomersHttp, UpdatesWithIfMatchAndRefusesAStaleVersionWith412) {
    const qint64 id = createOk(QStringLiteral("原名"));
    auto first = host->client().send("PUT", path(id), QJsonObject{{QStringLiteral("name"), QStringLiteral("新名")}},
                                     {{"If-Match", "\"1\""}});
    ASSERT_EQ(first.status, 200) << first.body.toStdString();
    EXPECT_EQ(first.json().value(QStringLiteral("version")).toInt(), 2);
    EXPECT_EQ(first.header("ETag"), "\"2\"");

    auto stale = host->client().send("PUT", path(id), QJsonObject{{QStringLiteral("name"), QStringLiteral("覆盖")}},
                                     {{"If-Match", "\"1\""}});
    EXPECT_EQ(stale.status, 412);
    EXPECT_TRUE(stale.json().value(QStringLiteral("detail")).toString().contains(QStringLiteral("changed by someone else")));
    EXPECT_EQ(host->client().get(path(id)).json().value(QStringLiteral("name")).toString(), QStringLiteral("新名"));
}

TEST_F(CustomersHttp, RefusesAStaleBodyVersionWith409) {
    const qint64 id = createOk(QStringLiteral("原名"));
    ASSERT_EQ(host->client().send("PUT", path(id), QJsonObject{{QStringLiteral("name"), QStringLiteral("甲")}, {QStringLiteral("version"), 1}}).status, 200);
    auto stale = host->client().send("PUT", path(id), QJsonObject{{QStringLiteral("name"), QStringLiteral("乙")}, {QStringLiteral("version"), 1}});
    EXPECT_EQ(stale.status, 409);
    EXPECT_EQ(host->client().get(path(id)).json().value(QStringLiteral("name")).toString(), QStringLiteral("甲"));
}

TEST_F(CustomersHttp, RequiresAVersionToUpdate) {
    const qint64 id = createOk(QStringLiteral("原名"));
    auto r = host->client().send("PUT", path(id), QJsonObject{{QStringLiteral("name"), QStringLiteral("新名")}});
    EXPECT_EQ(r.status, 428);
    EXPECT_EQ(host->client().get(path(id)).json().value(QStringLiteral("name")).toString(), QStringLiteral("原名"));
}

TEST_F(CustomersHttp, InvalidUpdateChangesNothing) {
    const qint64 id = createOk(QStringLiteral("原名"), QStringLiteral("010-1234 5678"));
    auto r = host->client().send("PUT", path(id), QJsonObject{{QStringLiteral("name"), QString()}, {QStringLiteral("version"), 1}});
    EXPECT_EQ(r.status, 422);
    const QJsonObject c = host->client().get(path(id)).json();
    EXPECT_EQ(c.value(QStringLiteral("name")).toString(), QStringLiteral("原名"));
    EXPECT_EQ(c.value(QStringLiteral("version")).toInt(), 1);
}

TEST_F(CustomersHttp, DeletesAndThenAnswers404) {
    const qint64 id = createOk(QStringLiteral("待删除"));
    EXPECT_EQ(host->client().request("DELETE", path(id), {}, {{"If-Match", "\"2\""}}).status, 412);
    EXPECT_EQ(host->client().request("DELETE", path(id)).status, 204);
    EXPECT_EQ(host->client().get(path(id)).status, 404);
    EXPECT_EQ(host->client().request("DELETE", path(id)).status, 404);
}

TEST_F(CustomersHttp, UnknownOrMalformedIdsAre404) {
    EXPECT_EQ(host->client().get(path(999)).status, 404);
    EXPECT_EQ(host->client().get("/api/v1/biz.customers/customers/abc").status, 404);
    EXPECT_EQ(host->client().send("PUT", path(999), QJsonObject{{QStringLiteral("name"), QStringLiteral("x")}, {QStringLiteral("version"), 1}}).status, 404);
}

TEST_F(CustomersHttp, RefusesMalformedJsonAndWrongContentType) {
    auto bad = host->client().request("POST", "/api/v1/biz.customers/customers", "{\"name\": ", {{"Content-Type", "application/json"}});
    EXPECT_EQ(bad.status, 400);
    auto text = host->client().request("POST", "/api/v1/biz.customers/customers", "name=x", {{"Content-Type", "text/plain"}});
    EXPECT_EQ(text.status, 415);
    EXPECT_EQ(host->client().get("/api/v1/biz.customers/customers").json().value(QStringLiteral("total")).toInt(), 0);
}

TEST(CustomersPersistence, KeepsDataAcrossARestart) {
    TempDir dir;
    const QString config = dir.write(QStringLiteral("deployment.xml"),
                                     RunningHost::deploymentXml({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}}).toUtf8());
    qint64 id = 0;
    {
        RunningHost first(config);
        auto r = first.client().send("POST", "/api/v1/biz.customers/customers", QJsonObject{{QStringLiteral("name"), QStringLiteral("持久客户")}});
        ASSERT_EQ(r.status, 201);
        id = r.json().value(QStringLiteral("id")).toInteger();
    }
    RunningHost second(config);
    auto got = second.client().get("/api/v1/biz.customers/customers/" + QByteArray::number(id));
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(got.json().value(QStringLiteral("name")).toString(), QStringLiteral("持久客户"));
}

class CustomersSearchOff : public CustomersHttp {
protected:
    CustomersSearchOff() { overrides = QStringLiteral("<feature name=\"search\" enabled=\"false\"/>"); }
};

TEST_F(CustomersSearchOff, RefusesSearchWhenTheFeatureIsOff) {
    auto r = host->client().get("/api/v1/biz.customers/customers?q=abc");
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(fieldsIn(r), QStringList{QStringLiteral("q")});
    EXPECT_EQ(host->client().get("/api/v1/biz.customers/customers").status, 200);
}

TEST(CustomersLimits, DeploymentBodyLimitRefusesOversizeBodiesAndStoresNothing) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}},
                     QStringLiteral("<limits max-body-bytes=\"256\"/>"));
    auto big = host.client().send("POST", "/api/v1/biz.customers/customers",
                                  QJsonObject{{QStringLiteral("name"), QString(300, QLatin1Char('x'))}});
    EXPECT_EQ(big.status, 413);
    EXPECT_TRUE(big.json().value(QStringLiteral("detail")).toString().contains(QStringLiteral("256"))) << big.body.toStdString();
    auto small = host.client().send("POST", "/api/v1/biz.customers/customers", QJsonObject{{QStringLiteral("name"), QStringLiteral("小")}});
    EXPECT_EQ(small.status, 201);
    EXPECT_EQ(host.client().get("/api/v1/biz.customers/customers").json().value(QStringLiteral("total")).toInt(), 1);
}

TEST(CustomersAudit, EveryWriteIsInTheAuditTrailWithWhoAndBeforeAndAfter) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    auto c = host.client();
    auto created = c.send("POST", "/api/v1/biz.customers/customers",
                          QJsonObject{{QStringLiteral("name"), QStringLiteral("审计客户")}, {QStringLiteral("phone"), QStringLiteral("010-1234 5678")}});
    ASSERT_EQ(created.status, 201);
    const qint64 id = created.json().value(QStringLiteral("id")).toInteger();
    const QByteArray path = "/api/v1/biz.customers/customers/" + QByteArray::number(id);
    ASSERT_EQ(c.send("PUT", path, QJsonObject{{QStringLiteral("name"), QStringLiteral("审计客户二")}, {QStringLiteral("phone"), QStringLiteral("010-1234 5678")},
                                             {QStringLiteral("version"), 1}}).status, 200);
    ASSERT_EQ(c.request("DELETE", path).status, 204);

    auto trail = c.get("/api/v1/audit?table=biz_customers&record=" + QByteArray::number(id));
    ASSERT_EQ(trail.status, 200) << trail.body.toStdString();
    const QJsonArray items = trail.json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(items.size(), 3);  // newest first
    const QJsonObject removed = items[0].toObject(), updated = items[1].toObject(), inserted = items[2].toObject();
    for (const auto& e : {removed, updated, inserted}) {
        EXPECT_EQ(e.value(QStringLiteral("username")).toString(), QStringLiteral("admin"));
        EXPECT_EQ(e.value(QStringLiteral("pluginId")).toString(), QStringLiteral("biz.customers"));
        EXPECT_EQ(e.value(QStringLiteral("recordId")).toInteger(), id);
        EXPECT_FALSE(e.value(QStringLiteral("at")).toString().isEmpty());
    }
    EXPECT_EQ(inserted.value(QStringLiteral("action")).toString(), QStringLiteral("insert"));
    EXPECT_EQ(inserted.value(QStringLiteral("after")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("审计客户"));
    EXPECT_EQ(updated.value(QStringLiteral("action")).toString(), QStringLiteral("update"));
    EXPECT_EQ(updated.value(QStringLiteral("before")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("审计客户"));
    EXPECT_EQ(updated.value(QStringLiteral("after")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("审计客户二"));
    // Only what changed is recorded for an update.
    EXPECT_FALSE(updated.value(QStringLiteral("after")).toObject().contains(QStringLiteral("phone")));
    EXPECT_EQ(removed.value(QStringLiteral("action")).toString(), QStringLiteral("delete"));
    EXPECT_EQ(removed.value(QStringLiteral("before")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("审计客户二"));

    // A refused write leaves no trace; the log cannot be changed through the API.
    EXPECT_EQ(c.send("POST", "/api/v1/biz.customers/customers", QJsonObject{{QStringLiteral("name"), QString()}}).status, 422);
    EXPECT_EQ(c.get("/api/v1/audit?table=biz_customers").json().value(QStringLiteral("total")).toInt(), 3);
    EXPECT_EQ(c.request("DELETE", "/api/v1/audit").status, 405);
    EXPECT_EQ(c.send("POST", "/api/v1/audit", QJsonObject{}).status, 405);
}

TEST(CustomersAudit, LoginsAndLockoutsAreAudited) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    auto admin = host.client();
    auto anon = host.anonymousClient();
    EXPECT_EQ(anon.send("POST", "/api/v1/auth/login", QJsonObject{{QStringLiteral("username"), QStringLiteral("admin")},
                                                                  {QStringLiteral("password"), QStringLiteral("correct horse battery")}}).status, 200);
    for (int i = 0; i < host.app().sessions().policy().accountFailures; ++i)
        (void)anon.send("POST", "/api/v1/auth/login", QJsonObject{{QStringLiteral("username"), QStringLiteral("admin")},
                                                                  {QStringLiteral("password"), QStringLiteral("wrong-%1").arg(i)}});
    EXPECT_EQ(admin.get("/api/v1/audit?action=login").json().value(QStringLiteral("total")).toInt(), 1);
    EXPECT_EQ(admin.get("/api/v1/audit?action=login.failed").json().value(QStringLiteral("total")).toInt(),
              host.app().sessions().policy().accountFailures);
    auto lockout = admin.get("/api/v1/audit?action=lockout").json();
    EXPECT_EQ(lockout.value(QStringLiteral("total")).toInt(), 1);
    EXPECT_EQ(lockout.value(QStringLiteral("items")).toArray()[0].toObject().value(QStringLiteral("address")).toString(), QStringLiteral("127.0.0.1"));
}

TEST(CustomersAudit, OnlyAuditReadersSeeTheLog) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    const qint64 root = host.app().units().ensureRoot(QStringLiteral("t"))->id;
    HttpClient clerk = host.anonymousClient();
    clerk.setDefaultHeader("Authorization", "Bearer " + host.userToken(QStringLiteral("clerk"), {}, {}, root));
    EXPECT_EQ(clerk.get("/api/v1/audit").status, 403);
    EXPECT_EQ(host.client().get("/api/v1/audit").status, 200);
}

TEST(CustomersUnits, AUnitWithCustomersCannotBeDeletedAndTheRefusalSaysWhy) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    auto c = host.client();
    const qint64 root = host.app().units().ensureRoot(QStringLiteral("t"))->id;
    const qint64 unit = host.app().units().create(root, QStringLiteral("门店"))->id;
    ASSERT_EQ(c.send("POST", "/api/v1/biz.customers/customers", QJsonObject{{QStringLiteral("name"), QStringLiteral("甲")}, {QStringLiteral("unitId"), unit}}).status, 201);
    ASSERT_EQ(c.send("POST", "/api/v1/biz.customers/customers", QJsonObject{{QStringLiteral("name"), QStringLiteral("乙")}, {QStringLiteral("unitId"), unit}}).status, 201);
    auto refused = c.request("DELETE", "/api/v1/units/" + QByteArray::number(unit));
    EXPECT_EQ(refused.status, 409);
    EXPECT_TRUE(refused.json().value(QStringLiteral("detail")).toString().contains(QStringLiteral("records of Customer card: 2")))
        << refused.body.toStdString();
    EXPECT_EQ(c.get("/api/v1/units/" + QByteArray::number(unit)).status, 200);
}

TEST_F(CustomersHttp, CountsNewCustomersPerMonthForTheChart) {
    createOk(QStringLiteral("甲"));
    createOk(QStringLiteral("乙"));
    auto r = host->client().get("/api/v1/biz.customers/customers/stats/monthly?months=3");
    ASSERT_EQ(r.status, 200) << r.body.toStdString();
    const QJsonArray items = r.json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(items.size(), 3);
    const QDate now = QDateTime::currentDateTimeUtc().date();
    EXPECT_EQ(items[2].toObject().value(QStringLiteral("key")).toString(), now.toString(QStringLiteral("yyyy-MM")));
    EXPECT_EQ(items[2].toObject().value(QStringLiteral("value")).toInt(), 2);
    EXPECT_EQ(items[0].toObject().value(QStringLiteral("key")).toString(), now.addMonths(-2).toString(QStringLiteral("yyyy-MM")));
    EXPECT_EQ(items[0].toObject().value(QStringLiteral("value")).toInt(), 0);
    EXPECT_EQ(r.json().value(QStringLiteral("total")).toInt(), 2);
    // The search narrows the counts like the list; a bad parameter is a field error.
    auto searched = host->client().get("/api/v1/biz.customers/customers/stats/monthly?q=" + QUrl::toPercentEncoding(QStringLiteral("甲")));
    EXPECT_EQ(searched.json().value(QStringLiteral("total")).toInt(), 1);
    EXPECT_EQ(searched.json().value(QStringLiteral("items")).toArray().size(), 12);
    auto bad = host->client().get("/api/v1/biz.customers/customers/stats/monthly?months=0");
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(fieldsIn(bad), QStringList{QStringLiteral("months")});
}
