// Feature switches set by an administrator: stored, shown beside the config's value and the
// default, applied when the plugin next starts, audited; bad requests refused.

#include "host_fixture.hpp"

#include <QJsonArray>

#include <gtest/gtest.h>

using namespace tessera::test;

namespace {

QJsonObject featureOf(HttpClient& c, const QString& name) {
    auto r = c.get("/api/v1/plugins/biz.customers");
    EXPECT_EQ(r.status, 200) << r.body.toStdString();
    for (const auto& f : r.json().value(QStringLiteral("features")).toArray())
        if (f.toObject().value(QStringLiteral("name")).toString() == name) return f.toObject();
    ADD_FAILURE() << "no feature " << name.toStdString();
    return {};
}

const QByteArray kSearch = "/api/v1/biz.customers/customers?q=abc";
const QByteArray kSwitch = "/api/v1/plugins/biz.customers/features/search";

}  // namespace

TEST(FeatureSwitches, AnAdministratorsSwitchAppliesAtTheNextStartAndOverridesTheConfig) {
    // The deployment switches search off.
    auto first = std::make_unique<RunningHost>(QStringList{builtPluginDir()},
                                               std::vector<EnablePlugin>{{QStringLiteral("biz.customers"), QStringLiteral("<feature name=\"search\" enabled=\"false\"/>")}});
    const QString config = first->configPath();
    auto c = first->client();
    QJsonObject f = featureOf(c, QStringLiteral("search"));
    EXPECT_TRUE(f.value(QStringLiteral("default")).toBool());
    EXPECT_FALSE(f.value(QStringLiteral("configured")).toBool());
    EXPECT_TRUE(f.value(QStringLiteral("switch")).isNull());
    EXPECT_FALSE(f.value(QStringLiteral("enabled")).toBool());
    EXPECT_FALSE(f.value(QStringLiteral("restartNeeded")).toBool());

    auto on = c.send("PUT", kSwitch, QJsonObject{{QStringLiteral("enabled"), true}});
    ASSERT_EQ(on.status, 200) << on.body.toStdString();
    f = featureOf(c, QStringLiteral("search"));
    EXPECT_TRUE(f.value(QStringLiteral("switch")).toBool());
    EXPECT_TRUE(f.value(QStringLiteral("next")).toBool());
    EXPECT_FALSE(f.value(QStringLiteral("enabled")).toBool()) << "the running plugin keeps what it started with";
    EXPECT_TRUE(f.value(QStringLiteral("restartNeeded")).toBool());
    EXPECT_EQ(c.get(kSearch).status, 422);

    // The change is in the audit log.
    auto audit = c.get("/api/v1/audit?table=core_feature_switches");
    ASSERT_EQ(audit.status, 200);
    EXPECT_EQ(audit.json().value(QStringLiteral("total")).toInt(), 1);

    first->stop();
    {
        RunningHost second(config);
        auto c2 = second.client();
        EXPECT_EQ(c2.get(kSearch).status, 200) << "the switch wins over the config after a restart";
        f = featureOf(c2, QStringLiteral("search"));
        EXPECT_TRUE(f.value(QStringLiteral("enabled")).toBool());
        EXPECT_FALSE(f.value(QStringLiteral("restartNeeded")).toBool());
        // Removing the switch brings the config's value back at the next start.
        auto cleared = c2.request("DELETE", kSwitch);
        ASSERT_EQ(cleared.status, 200) << cleared.body.toStdString();
        f = featureOf(c2, QStringLiteral("search"));
        EXPECT_TRUE(f.value(QStringLiteral("switch")).isNull());
        EXPECT_FALSE(f.value(QStringLiteral("next")).toBool());
        EXPECT_TRUE(f.value(QStringLiteral("restartNeeded")).toBool());
        second.stop();
    }
    RunningHost third(config);
    EXPECT_EQ(third.client().get(kSearch).status, 422);
}

TEST(FeatureSwitches, RefusesUnknownPluginsFeaturesAndBadBodiesWithoutStoringAnything) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    auto c = host.client();
    EXPECT_EQ(c.send("PUT", "/api/v1/plugins/no.such/features/search", QJsonObject{{QStringLiteral("enabled"), true}}).status, 404);
    EXPECT_EQ(c.send("PUT", "/api/v1/plugins/biz.customers/features/nope", QJsonObject{{QStringLiteral("enabled"), true}}).status, 404);
    auto bad = c.send("PUT", kSwitch, QJsonObject{{QStringLiteral("enabled"), QStringLiteral("yes")}, {QStringLiteral("extra"), 1}});
    ASSERT_EQ(bad.status, 422);
    QStringList fields;
    for (const auto& e : bad.json().value(QStringLiteral("errors")).toArray()) fields << e.toObject().value(QStringLiteral("field")).toString();
    EXPECT_EQ(fields, (QStringList{QStringLiteral("enabled"), QStringLiteral("extra")}));
    EXPECT_EQ(c.request("PUT", kSwitch, "[true]", {{"Content-Type", "application/json"}}).status, 422);
    EXPECT_TRUE(featureOf(c, QStringLiteral("search")).value(QStringLiteral("switch")).isNull());
    // Only plugin managers may switch.
    HttpClient clerk = host.anonymousClient();
    clerk.setDefaultHeader("Authorization", "Bearer " + host.userToken(QStringLiteral("clerk"), {}, {}, host.app().units().ensureRoot(QStringLiteral("t"))->id));
    EXPECT_EQ(clerk.send("PUT", kSwitch, QJsonObject{{QStringLiteral("enabled"), false}}).status, 403);
}
