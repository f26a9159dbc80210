// No data from outside the caller's scope, by any path (issue 10, section 3), and strict,
// consistent input on biz.customers (section 4), over real HTTP against the real host and
// plugins. Each test starts its own host, so what one test changes another never sees.
//
// The tree: root -> 甲支部 (A) -> 甲一小组 (A1), 甲二小组 (A2); root -> 乙支部 (B).

#include "host_fixture.hpp"

#include <QJsonArray>

#include <gtest/gtest.h>

using namespace tessera;
using namespace tessera::test;

namespace {

class ScopeLeaks : public ::testing::Test {
protected:
    void SetUp() override {
        host_ = std::make_unique<RunningHost>(QStringList{builtPluginDir()}, std::vector<EnablePlugin>{{QStringLiteral("biz.customers"), {}}});
        auto& units = host_->app().units();
        root_ = units.ensureRoot(QStringLiteral("test"))->id;
        a_ = units.create(root_, QStringLiteral("甲支部"))->id;
        a1_ = units.create(a_, QStringLiteral("甲一小组"))->id;
        a2_ = units.create(a_, QStringLiteral("甲二小组"))->id;
        b_ = units.create(root_, QStringLiteral("乙支部"))->id;
        admin_ = host_->client();
    }

    // A role granting `permissions`, made through the API as the administrator.
    void role(const QString& name, const QStringList& permissions) {
        auto r = admin_.send("POST", "/api/v1/roles", QJsonObject{{QStringLiteral("name"), name},
                                                                  {QStringLiteral("permissions"), QJsonArray::fromStringList(permissions)}});
        ASSERT_EQ(r.status, 201) << r.body.toStdString();
    }

    // A user of own unit `unitId` holding each (role, scope, unit) grant; a client acting as them.
    HttpClient user(const QString& name, qint64 unitId, const std::vector<std::tuple<QString, host::ScopeKind, qint64>>& grants) {
        auto& accounts = host_->app().accounts();
        auto id = accounts.addUser(name, name, QStringLiteral("correct horse battery"), unitId);
        EXPECT_TRUE(id.ok()) << id.error().message.toStdString();
        for (const auto& [roleName, kind, unit] : grants) {
            auto r = accounts.roleByName(roleName);
            EXPECT_TRUE(r.ok());
            auto granted = accounts.grant(*id, r->id, kind, kind == host::ScopeKind::All ? 0 : unit);
            EXPECT_TRUE(granted.ok()) << granted.error().message.toStdString();
        }
        auto token = host_->app().sessions().createToken(*id, QStringLiteral("test"), std::nullopt);
        HttpClient c = host_->anonymousClient();
        c.setDefaultHeader("Authorization", "Bearer " + token->second.toLatin1());
        return c;
    }

    qint64 customer(const QString& name, qint64 unit, const QString& phone = {}) {
        auto r = admin_.send("POST", "/api/v1/biz.customers/customers",
                             QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("unitId"), unit}, {QStringLiteral("phone"), phone}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }

    static QByteArray unitPath(qint64 id) { return "/api/v1/units/" + QByteArray::number(id); }

    std::unique_ptr<RunningHost> host_;
    HttpClient admin_{0};
    qint64 root_ = 0, a_ = 0, a1_ = 0, a2_ = 0, b_ = 0;
};

QStringList remindersOf(const HttpReply& r) {
    QStringList plugins;
    for (const auto& item : r.json().value(QStringLiteral("items")).toArray()) plugins << item.toObject().value(QStringLiteral("plugin")).toString();
    return plugins;
}

}  // namespace

TEST_F(ScopeLeaks, AReminderIsShownOnlyToUsersWhoMayReadWhatItCountsInTheirUnit) {
    customer(QStringLiteral("甲客户一"), a_);
    customer(QStringLiteral("甲客户二"), a_);
    customer(QStringLiteral("甲一客户"), a1_);  // below the user's unit: never counted
    role(QStringLiteral("customer-reader"), {QStringLiteral("biz.customers.read")});
    // Own unit A, customer rights only in B: A's customers are not theirs to count.
    HttpClient elsewhere = user(QStringLiteral("elsewhere"), a_, {{QStringLiteral("customer-reader"), host::ScopeKind::Unit, b_}});
    const HttpReply hidden = elsewhere.get("/api/v1/reminders");
    ASSERT_EQ(hidden.status, 200) << hidden.body.toStdString();
    EXPECT_FALSE(remindersOf(hidden).contains(QStringLiteral("biz.customers"))) << hidden.body.toStdString();
    EXPECT_FALSE(hidden.body.contains("customers have no phone number")) << hidden.body.toStdString();

    // Customer rights on A: the reminder counts A's own customers, and only those.
    HttpClient here = user(QStringLiteral("here"), a_, {{QStringLiteral("customer-reader"), host::ScopeKind::Unit, a_}});
    const HttpReply shown = here.get("/api/v1/reminders");
    ASSERT_EQ(shown.status, 200);
    EXPECT_TRUE(shown.body.contains("2 customers have no phone number")) << shown.body.toStdString();
}

TEST_F(ScopeLeaks, ARefusalToDeleteAUnitSaysNotWhatNorHowManyRecordsOutsideTheCallersViewUseIt) {
    customer(QStringLiteral("甲二客户"), a2_);
    role(QStringLiteral("unit-keeper"), {QStringLiteral("core.units.read"), QStringLiteral("core.units.write")});
    HttpClient keeper = user(QStringLiteral("keeper"), a_, {{QStringLiteral("unit-keeper"), host::ScopeKind::Subtree, a_}});
    const HttpReply used = keeper.request("DELETE", unitPath(a2_));
    EXPECT_EQ(used.status, 409) << used.body.toStdString();
    const QString detail = used.json().value(QStringLiteral("detail")).toString();
    EXPECT_TRUE(detail.contains(QStringLiteral("records outside your view"))) << detail.toStdString();
    EXPECT_FALSE(detail.contains(QStringLiteral("customer"))) << detail.toStdString();
    EXPECT_FALSE(detail.contains(QStringLiteral("1 "))) << detail.toStdString();
    // Who may read the customers there is told what they are.
    const HttpReply told = admin_.request("DELETE", unitPath(a2_));
    EXPECT_EQ(told.status, 409);
    EXPECT_TRUE(told.json().value(QStringLiteral("detail")).toString().contains(QStringLiteral("records of Customer card: 1")))
        << told.body.toStdString();

    // Child units the caller cannot see are neither named nor counted.
    HttpClient onlyA = user(QStringLiteral("only-a"), a_, {{QStringLiteral("unit-keeper"), host::ScopeKind::Unit, a_}});
    const HttpReply withChildren = onlyA.request("DELETE", unitPath(a_));
    EXPECT_EQ(withChildren.status, 409) << withChildren.body.toStdString();
    const QString childDetail = withChildren.json().value(QStringLiteral("detail")).toString();
    EXPECT_TRUE(childDetail.contains(QStringLiteral("outside your view"))) << childDetail.toStdString();
    EXPECT_FALSE(childDetail.contains(QStringLiteral("甲一小组")) || childDetail.contains(QStringLiteral("甲二小组")) ||
                 childDetail.contains(QStringLiteral("2 child")))
        << childDetail.toStdString();
    EXPECT_TRUE(host_->app().units().get(a_).ok());
    EXPECT_TRUE(host_->app().units().get(a2_).ok());
}

TEST_F(ScopeLeaks, AMoveNeedsTheMoversWriteScopeToCoverTheWholeSubtreeAndTheDestination) {
    role(QStringLiteral("unit-keeper"), {QStringLiteral("core.units.read"), QStringLiteral("core.units.write")});
    // May change A itself and everything under B, but not A1 and A2 below A.
    HttpClient mover = user(QStringLiteral("mover"), a_,
                            {{QStringLiteral("unit-keeper"), host::ScopeKind::Unit, a_}, {QStringLiteral("unit-keeper"), host::ScopeKind::Subtree, b_}});
    const QJsonObject underB{{QStringLiteral("parentId"), b_}, {QStringLiteral("version"), 1}};
    const HttpReply refused = mover.send("POST", unitPath(a_) + "/move", underB);
    EXPECT_EQ(refused.status, 403) << refused.body.toStdString();
    EXPECT_FALSE(refused.body.contains("甲一小组") || refused.body.contains("甲二小组")) << refused.body.toStdString();
    EXPECT_EQ(host_->app().units().get(a_)->parentId, root_);
    EXPECT_EQ(host_->app().units().get(a1_)->parentId, a_);

    // A leaf the mover may change goes to a destination they may change...
    HttpClient leafMover = user(QStringLiteral("leaf-mover"), a_,
                                {{QStringLiteral("unit-keeper"), host::ScopeKind::Unit, a1_}, {QStringLiteral("unit-keeper"), host::ScopeKind::Subtree, b_}});
    const HttpReply moved = leafMover.send("POST", unitPath(a1_) + "/move", underB);
    EXPECT_EQ(moved.status, 200) << moved.body.toStdString();
    EXPECT_EQ(host_->app().units().get(a1_)->parentId, b_);
    // ...but not to one they may not change.
    const HttpReply back = leafMover.send("POST", unitPath(a1_) + "/move", QJsonObject{{QStringLiteral("parentId"), a_}, {QStringLiteral("version"), 2}});
    EXPECT_EQ(back.status, 422) << back.body.toStdString();
    EXPECT_EQ(host_->app().units().get(a1_)->parentId, b_);
}

TEST_F(ScopeLeaks, AScopedAuditorReadsOnlyTheEntriesOfRecordsInTheirScope) {
    const qint64 inA = customer(QStringLiteral("甲审计客户"), a1_, QStringLiteral("110101"));
    const qint64 inB = customer(QStringLiteral("乙机密客户"), b_, QStringLiteral("990099"));
    role(QStringLiteral("auditor"), {QStringLiteral("core.audit.read")});
    HttpClient auditor = user(QStringLiteral("auditor-a"), a_, {{QStringLiteral("auditor"), host::ScopeKind::Subtree, a_}});

    const HttpReply page = auditor.get("/api/v1/audit?size=200");
    ASSERT_EQ(page.status, 200) << page.body.toStdString();
    EXPECT_TRUE(page.body.contains("甲审计客户")) << "the entries of A's records are the auditor's to read";
    EXPECT_FALSE(page.body.contains("乙机密客户") || page.body.contains("990099") || page.body.contains("乙支部")) << page.body.toStdString();
    // Roles, logins and other entries without a unit are not theirs either.
    EXPECT_FALSE(page.body.contains("\"core_roles\"")) << page.body.toStdString();
    for (const auto& item : page.json().value(QStringLiteral("items")).toArray()) {
        const qint64 unit = item.toObject().value(QStringLiteral("unitId")).toInteger();
        EXPECT_TRUE(unit == a_ || unit == a1_ || unit == a2_) << QJsonDocument(item.toObject()).toJson().toStdString();
    }
    const HttpReply asked = auditor.get("/api/v1/audit?table=biz_customers&record=" + QByteArray::number(inB));
    ASSERT_EQ(asked.status, 200);
    EXPECT_EQ(asked.json().value(QStringLiteral("total")).toInteger(), 0) << asked.body.toStdString();
    EXPECT_EQ(auditor.get("/api/v1/audit?table=biz_customers&record=" + QByteArray::number(inA)).json().value(QStringLiteral("total")).toInteger(), 1);

    // An auditor of every unit reads everything.
    const HttpReply all = admin_.get("/api/v1/audit?size=200");
    EXPECT_TRUE(all.body.contains("乙机密客户") && all.body.contains("\"core_roles\"")) << all.body.toStdString();
}

TEST_F(ScopeLeaks, AUnitsChildCountCountsOnlyTheChildrenTheCallerSees) {
    role(QStringLiteral("unit-reader"), {QStringLiteral("core.units.read")});
    // Sees the root and A themselves, nothing below A.
    HttpClient reader = user(QStringLiteral("reader"), a_,
                             {{QStringLiteral("unit-reader"), host::ScopeKind::Unit, root_}, {QStringLiteral("unit-reader"), host::ScopeKind::Unit, a_}});
    const HttpReply r = reader.get("/api/v1/units?parent=" + QByteArray::number(root_));
    ASSERT_EQ(r.status, 200) << r.body.toStdString();
    const QJsonArray items = r.json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(items.size(), 1) << r.body.toStdString();
    EXPECT_EQ(items[0].toObject().value(QStringLiteral("id")).toInteger(), a_);
    EXPECT_EQ(items[0].toObject().value(QStringLiteral("childCount")).toInteger(-1), 0) << r.body.toStdString();
    // The administrator sees both children of A.
    const HttpReply all = admin_.get("/api/v1/units?parent=" + QByteArray::number(root_));
    for (const auto& item : all.json().value(QStringLiteral("items")).toArray()) {
        if (item.toObject().value(QStringLiteral("id")).toInteger() == a_) {
            EXPECT_EQ(item.toObject().value(QStringLiteral("childCount")).toInteger(), 2);
        }
    }
}

TEST_F(ScopeLeaks, AnUnknownQueryParameterOfTheCustomerListsIsA422NamingTheKnownOnes) {
    customer(QStringLiteral("甲客户"), a_);
    customer(QStringLiteral("乙客户"), b_);
    auto refused = [](const HttpReply& r, const char* param, const QStringList& known) {
        EXPECT_EQ(r.status, 422) << r.body.toStdString();
        const QJsonArray errors = r.json().value(QStringLiteral("errors")).toArray();
        ASSERT_EQ(errors.size(), 1) << r.body.toStdString();
        EXPECT_EQ(errors[0].toObject().value(QStringLiteral("field")).toString(), QLatin1String(param));
        for (const QString& name : known)
            EXPECT_TRUE(errors[0].toObject().value(QStringLiteral("message")).toString().contains(name)) << r.body.toStdString();
        EXPECT_FALSE(r.body.contains("乙客户"));
    };
    refused(admin_.get("/api/v1/biz.customers/customers?unitId=" + QByteArray::number(a_)), "unitId",
            {QStringLiteral("q"), QStringLiteral("unit"), QStringLiteral("page"), QStringLiteral("size")});
    refused(admin_.get("/api/v1/biz.customers/customers/stats/monthly?unitId=" + QByteArray::number(a_)), "unitId",
            {QStringLiteral("q"), QStringLiteral("unit"), QStringLiteral("months")});
    refused(admin_.request("POST", "/api/v1/biz.customers/customers/export?format=csv&unitId=" + QByteArray::number(a_)), "unitId",
            {QStringLiteral("q"), QStringLiteral("unit"), QStringLiteral("format")});
    // The known ones still work.
    const HttpReply listed = admin_.get("/api/v1/biz.customers/customers?unit=" + QByteArray::number(a_) + "&page=1&size=5&q=");
    EXPECT_EQ(listed.status, 200) << listed.body.toStdString();
    EXPECT_EQ(listed.json().value(QStringLiteral("total")).toInteger(), 1);
}

TEST_F(ScopeLeaks, ARecordIdIsNeverGivenAgainAfterItsRecordIsDeleted) {
    const qint64 first = customer(QStringLiteral("先有客户"), a_);
    ASSERT_EQ(admin_.request("DELETE", "/api/v1/biz.customers/customers/" + QByteArray::number(first)).status, 204);
    const qint64 second = customer(QStringLiteral("后来客户"), a_);
    EXPECT_NE(second, first);
    // The audit history of the first id is the first record's alone.
    const HttpReply history = admin_.get("/api/v1/audit?table=biz_customers&record=" + QByteArray::number(first));
    EXPECT_FALSE(history.body.contains("后来客户")) << history.body.toStdString();

    // Units, roles and role assignments likewise.
    auto unitCreated = [&] {
        auto r = admin_.send("POST", "/api/v1/units", QJsonObject{{QStringLiteral("parentId"), b_}, {QStringLiteral("name"), QStringLiteral("临时")}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    };
    const qint64 unit = unitCreated();
    ASSERT_EQ(admin_.request("DELETE", unitPath(unit)).status, 204);
    EXPECT_NE(unitCreated(), unit);

    auto roleCreated = [&](const QString& name) {
        auto r = admin_.send("POST", "/api/v1/roles", QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("permissions"), QJsonArray{QStringLiteral("core.units.read")}}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    };
    const qint64 roleId = roleCreated(QStringLiteral("short-lived"));
    ASSERT_EQ(admin_.request("DELETE", "/api/v1/roles/" + QByteArray::number(roleId)).status, 204);
    EXPECT_NE(roleCreated(QStringLiteral("next")), roleId);

    const qint64 userId = *host_->app().accounts().addUser(QStringLiteral("granted"), QStringLiteral("granted"), QStringLiteral("correct horse battery"), a_);
    auto assigned = [&] {
        auto r = admin_.send("POST", "/api/v1/users/" + QByteArray::number(userId) + "/assignments",
                             QJsonObject{{QStringLiteral("role"), QStringLiteral("next")}, {QStringLiteral("scope"), QStringLiteral("unit")}, {QStringLiteral("unitId"), a_}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    };
    const qint64 assignment = assigned();
    ASSERT_EQ(admin_.request("DELETE", "/api/v1/users/" + QByteArray::number(userId) + "/assignments/" + QByteArray::number(assignment)).status, 204);
    EXPECT_NE(assigned(), assignment);
}

TEST_F(ScopeLeaks, ADeleteWithAStaleIfMatchLeavesTheCustomerAsItIs) {
    const qint64 id = customer(QStringLiteral("版本客户"), a_);
    const QByteArray path = "/api/v1/biz.customers/customers/" + QByteArray::number(id);
    ASSERT_EQ(admin_.send("PUT", path, QJsonObject{{QStringLiteral("name"), QStringLiteral("改过")}, {QStringLiteral("unitId"), a_}},
                          {{"If-Match", "\"1\""}}).status, 200);
    const HttpReply stale = admin_.request("DELETE", path, {}, {{"If-Match", "\"1\""}});
    EXPECT_EQ(stale.status, 412) << stale.body.toStdString();
    EXPECT_EQ(admin_.get(path).status, 200);
    EXPECT_EQ(admin_.request("DELETE", path, {}, {{"If-Match", "\"2\""}}).status, 204);
    EXPECT_EQ(admin_.get(path).status, 404);
}

TEST(ScopeLeaksThroughPlugins, ARefusalReachedThroughAPluginTellsTheCallerOnlyWhatTheyMayRead) {
    // party.daily deletes an organisation's unit through the SDK, without passing its request:
    // the refusal still speaks to the request's caller.
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}, {QStringLiteral("party.daily"), {}}});
    HttpClient admin = host.client();
    const qint64 root = host.app().units().ensureRoot(QStringLiteral("test"))->id;
    auto created = admin.send("POST", "/api/v1/party.daily/orgs",
                              QJsonObject{{QStringLiteral("fullName"), QStringLiteral("甲支部")}, {QStringLiteral("orgType"), QStringLiteral("branch")},
                                          {QStringLiteral("parentId"), root}, {QStringLiteral("setupDate"), QStringLiteral("2010-07-01")}});
    ASSERT_EQ(created.status, 201) << created.body.toStdString();
    const qint64 org = created.json().value(QStringLiteral("id")).toInteger();
    ASSERT_EQ(admin.send("POST", "/api/v1/biz.customers/customers", QJsonObject{{QStringLiteral("name"), QStringLiteral("甲客户")}, {QStringLiteral("unitId"), org}}).status, 201);
    ASSERT_EQ(admin.send("POST", "/api/v1/roles", QJsonObject{{QStringLiteral("name"), QStringLiteral("party-officer")},
                                                              {QStringLiteral("permissions"), QJsonArray{QStringLiteral("party.daily.read"), QStringLiteral("party.daily.write")}}})
                  .status,
              201);
    HttpClient officer = host.anonymousClient();
    officer.setDefaultHeader("Authorization", "Bearer " + host.userToken(QStringLiteral("officer"), QStringLiteral("party-officer"), QStringLiteral("subtree"), org));

    const HttpReply refused = officer.request("DELETE", "/api/v1/party.daily/orgs/" + QByteArray::number(org));
    EXPECT_EQ(refused.status, 409) << refused.body.toStdString();
    const QString detail = refused.json().value(QStringLiteral("detail")).toString();
    EXPECT_TRUE(detail.contains(QStringLiteral("records outside your view"))) << detail.toStdString();
    EXPECT_FALSE(detail.contains(QStringLiteral("customer"))) << detail.toStdString();
    EXPECT_EQ(officer.get("/api/v1/party.daily/orgs/" + QByteArray::number(org)).status, 200) << "the card is still there";
    // The administrator, who may read the customers, is told what they are.
    const HttpReply told = admin.request("DELETE", "/api/v1/party.daily/orgs/" + QByteArray::number(org));
    EXPECT_TRUE(told.json().value(QStringLiteral("detail")).toString().contains(QStringLiteral("records of Customer card: 1")))
        << told.body.toStdString();
}
