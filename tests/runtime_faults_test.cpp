// Every fault a plugin can have, loaded beside good plugins: each faulty one is marked with
// its state and reason, its dependents are skipped, and the good ones run and serve.

#include "host_fixture.hpp"
#include "store/sqlite_store.hpp"

#include <QFile>
#include <QJsonArray>

#include <gtest/gtest.h>

using namespace tessera;
using namespace tessera::test;
using tessera::host::PluginState;

namespace {

const std::vector<EnablePlugin> kAllFixtures = {
    {QStringLiteral("fx.base"), {}},
    {QStringLiteral("fx.dependent"), {}},
    {QStringLiteral("fx.malformed-xml"), {}},
    {QStringLiteral("fx.unknown-element"), {}},
    {QStringLiteral("fx.missing-library"), {}},
    {QStringLiteral("fx.no-factory"), {}},
    {QStringLiteral("fx.wrong-api"), {}},
    {QStringLiteral("fx.manifest-api"), {}},
    {QStringLiteral("fx.throws-in-start"), {}},
    {QStringLiteral("fx.dependent-of-throw"), {}},
    {QStringLiteral("fx.missing-dependency"), {}},
    {QStringLiteral("fx.cycle-a"), {}},
    {QStringLiteral("fx.cycle-b"), {}},
    {QStringLiteral("fx.duplicate"), {}},
    {QStringLiteral("fx.version-range"), {}},
    {QStringLiteral("fx.failing-migration"), {}},
    {QStringLiteral("fx.wrong-rules"), {}},
    {QStringLiteral("fx.not-anywhere"), {}},
};

class RuntimeFaults : public ::testing::Test {
protected:
    static void SetUpTestSuite() { host_ = new RunningHost({fixturePluginDir()}, kAllFixtures); }
    static void TearDownTestSuite() {
        delete host_;
        host_ = nullptr;
    }

    static const host::PluginSpec& spec(const QString& id) {
        const auto* s = host_->app().runtime().plugin(id);
        if (!s) throw std::runtime_error("no plugin " + id.toStdString());
        return *s;
    }
    static void expectState(const QString& id, PluginState state, const QString& reasonPart) {
        const auto& s = spec(id);
        EXPECT_EQ(host::stateName(s.state), host::stateName(state)) << id.toStdString() << ": " << s.reason.toStdString();
        EXPECT_TRUE(s.reason.contains(reasonPart))
            << id.toStdString() << " reason is \"" << s.reason.toStdString() << "\", expected it to contain \""
            << reasonPart.toStdString() << "\"";
    }

    static RunningHost* host_;
};

RunningHost* RuntimeFaults::host_ = nullptr;

}  // namespace

TEST_F(RuntimeFaults, GoodPluginsStartAndServeBesideBrokenOnes) {
    expectState(QStringLiteral("fx.base"), PluginState::Started, {});
    expectState(QStringLiteral("fx.dependent"), PluginState::Started, {});
    auto reply = host_->client().get("/api/v1/fx.base/ping");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.json().value(QStringLiteral("plugin")).toString(), QStringLiteral("fx.base"));
    EXPECT_EQ(host_->client().get("/api/v1/fx.dependent/ping").status, 200);
}

TEST_F(RuntimeFaults, MalformedXmlFailsWithFileAndLine) {
    const auto& s = spec(QStringLiteral("fx.malformed-xml"));
    EXPECT_EQ(s.state, PluginState::Failed);
    EXPECT_TRUE(s.reason.contains(QStringLiteral("fx.malformed-xml/manifest.xml:"))) << s.reason.toStdString();
}

TEST_F(RuntimeFaults, UnknownElementFailsNamingIt) {
    expectState(QStringLiteral("fx.unknown-element"), PluginState::Failed, QStringLiteral("manifest.xml:6:"));
    expectState(QStringLiteral("fx.unknown-element"), PluginState::Failed, QStringLiteral("bogus"));
}

TEST_F(RuntimeFaults, MissingLibraryFileFails) {
    expectState(QStringLiteral("fx.missing-library"), PluginState::Failed, QStringLiteral("library file not found"));
    expectState(QStringLiteral("fx.missing-library"), PluginState::Failed, QStringLiteral("libfx.missing-library.so"));
}

TEST_F(RuntimeFaults, MissingFactorySymbolFails) {
    expectState(QStringLiteral("fx.no-factory"), PluginState::Failed, QStringLiteral("does not export tessera_create_module"));
}

TEST_F(RuntimeFaults, WrongExportedApiVersionFailsBeforeAnyPluginCodeRuns) {
    expectState(QStringLiteral("fx.wrong-api"), PluginState::Failed, QStringLiteral("built for SDK API 99, host provides %1").arg(tessera::kApiVersion));
}

TEST_F(RuntimeFaults, WrongManifestApiVersionFails) {
    expectState(QStringLiteral("fx.manifest-api"), PluginState::Failed, QStringLiteral("manifest says sdk-api 5, host provides SDK API 4"));
}

TEST_F(RuntimeFaults, ExceptionInStartFailsThePluginAndSkipsItsDependents) {
    expectState(QStringLiteral("fx.throws-in-start"), PluginState::Failed, QStringLiteral("start threw: fixture refuses to start"));
    expectState(QStringLiteral("fx.dependent-of-throw"), PluginState::Skipped, QStringLiteral("required plugin fx.throws-in-start failed"));
    EXPECT_EQ(host_->client().get("/api/v1/fx.throws-in-start/ping").status, 404);
}

TEST_F(RuntimeFaults, RulesForACardTheManifestDoesNotServeFailThePlugin) {
    expectState(QStringLiteral("fx.wrong-rules"), PluginState::Failed,
                QStringLiteral("record hooks for card 'visit', which the manifest does not declare with a table"));
    expectState(QStringLiteral("fx.wrong-rules"), PluginState::Failed,
                QStringLiteral("pure rules for card 'visit', which the manifest does not declare with a table"));
    EXPECT_EQ(host_->client().get("/api/v1/fx.wrong-rules/ping").status, 404);
}

TEST_F(RuntimeFaults, MissingDependencyFails) {
    expectState(QStringLiteral("fx.missing-dependency"), PluginState::Failed,
                QStringLiteral("requires fx.nowhere ^1.0.0, which is not installed"));
}

TEST_F(RuntimeFaults, DependencyCycleFailsEveryMember) {
    expectState(QStringLiteral("fx.cycle-a"), PluginState::Failed, QStringLiteral("dependency cycle: fx.cycle-a -> fx.cycle-b -> fx.cycle-a"));
    expectState(QStringLiteral("fx.cycle-b"), PluginState::Failed, QStringLiteral("dependency cycle: fx.cycle-a -> fx.cycle-b -> fx.cycle-a"));
}

TEST_F(RuntimeFaults, DuplicateIdFailsBothCopies) {
    int copies = 0;
    for (const auto& s : host_->app().runtime().plugins()) {
        if (s.id != QStringLiteral("fx.duplicate")) continue;
        ++copies;
        EXPECT_EQ(s.state, PluginState::Failed);
        EXPECT_TRUE(s.reason.contains(QStringLiteral("duplicate plugin id 'fx.duplicate'")));
        EXPECT_TRUE(s.reason.contains(QStringLiteral("duplicate-1/manifest.xml")));
        EXPECT_TRUE(s.reason.contains(QStringLiteral("duplicate-2/manifest.xml")));
    }
    EXPECT_EQ(copies, 2);
}

TEST_F(RuntimeFaults, UnsatisfiedVersionRangeFails) {
    expectState(QStringLiteral("fx.version-range"), PluginState::Failed,
                QStringLiteral("requires fx.base ^2.0.0, but version 1.2.0 is enabled"));
}

TEST_F(RuntimeFaults, FailingMigrationRollsBackAndFailsOnlyThatPlugin) {
    expectState(QStringLiteral("fx.failing-migration"), PluginState::Failed, QStringLiteral("0002_broken.sql failed and was rolled back"));
    auto db = std::move(host::SqliteStore::open(host_->databasePath())).value();
    // 0001 applied and recorded; nothing of 0002 remains.
    EXPECT_TRUE(db->query(QStringLiteral("SELECT * FROM fx_ok")).ok());
    EXPECT_EQ(db->queryOne(QStringLiteral("SELECT count(*) AS n FROM fx_ok"))->value(QStringLiteral("n")).toInt(), 0);
    EXPECT_FALSE(db->query(QStringLiteral("SELECT * FROM fx_half")).ok());
    EXPECT_EQ(db->queryOne(QStringLiteral("SELECT count(*) AS n FROM core_migrations WHERE plugin_id = 'fx.failing-migration'"))
                  ->value(QStringLiteral("n")).toInt(), 1);
}

TEST_F(RuntimeFaults, EnabledButNotInstalledFails) {
    expectState(QStringLiteral("fx.not-anywhere"), PluginState::Failed, QStringLiteral("no fx.not-anywhere/manifest.xml in the plugin folders"));
}

TEST_F(RuntimeFaults, PluginsEndpointShowsStateAndReasonOfEveryPlugin) {
    auto reply = host_->client().get("/api/v1/plugins");
    ASSERT_EQ(reply.status, 200);
    const QJsonArray items = reply.json().value(QStringLiteral("items")).toArray();
    EXPECT_EQ(items.size(), static_cast<qsizetype>(host_->app().runtime().plugins().size()));
    bool sawThrow = false;
    for (const auto& v : items) {
        const QJsonObject o = v.toObject();
        EXPECT_FALSE(o.value(QStringLiteral("state")).toString().isEmpty());
        if (o.value(QStringLiteral("id")).toString() == QStringLiteral("fx.throws-in-start")) {
            sawThrow = true;
            EXPECT_EQ(o.value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
            EXPECT_TRUE(o.value(QStringLiteral("reason")).toString().contains(QStringLiteral("fixture refuses to start")));
        }
    }
    EXPECT_TRUE(sawThrow);
    auto health = host_->client().get("/api/v1/health");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.json().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
}

TEST(RuntimeSettings, DeploymentOverridesFeaturesAndSettings) {
    RunningHost host({fixturePluginDir()},
                     {{QStringLiteral("fx.base"),
                       QStringLiteral("<feature name=\"loud\" enabled=\"true\"/><setting name=\"greeting\" value=\"你好\"/>")}});
    auto reply = host.client().get("/api/v1/fx.base/ping");
    ASSERT_EQ(reply.status, 200);
    EXPECT_EQ(reply.json().value(QStringLiteral("greeting")).toString(), QStringLiteral("你好"));
    EXPECT_TRUE(reply.json().value(QStringLiteral("loud")).toBool());
}

TEST(RuntimeSettings, UnknownFeatureInDeploymentFailsThePluginNamingTheLine) {
    RunningHost host({fixturePluginDir()}, {{QStringLiteral("fx.base"), QStringLiteral("<feature name=\"quiet\" enabled=\"true\"/>")}});
    const auto* s = host.app().runtime().plugin(QStringLiteral("fx.base"));
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->state, PluginState::Failed);
    EXPECT_TRUE(s->reason.contains(QStringLiteral("deployment.xml:"))) << s->reason.toStdString();
    EXPECT_TRUE(s->reason.contains(QStringLiteral("no feature 'quiet'"))) << s->reason.toStdString();
}

TEST(RuntimeSettings, BadlyTypedSettingFailsThePlugin) {
    RunningHost host({builtPluginDir()},
                     {{QStringLiteral("biz.customers"), QStringLiteral("<setting name=\"page-size\" value=\"lots\"/>")}});
    const auto* s = host.app().runtime().plugin(QStringLiteral("biz.customers"));
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->state, PluginState::Failed);
    EXPECT_TRUE(s->reason.contains(QStringLiteral("needs a whole number, not 'lots'"))) << s->reason.toStdString();
}

TEST(RuntimeLifecycle, StopsPluginsInReverseStartOrderAndMarksThemStopped) {
    TempDir dir;
    const QString stopLog = dir.file(QStringLiteral("stopped.txt"));
    const QString setting = QStringLiteral("<setting name=\"stop-log\" value=\"%1\"/>").arg(stopLog);
    // Enabled dependent first: the start order comes from the dependencies, not the config.
    RunningHost host({fixturePluginDir()}, {{QStringLiteral("fx.dependent"), setting}, {QStringLiteral("fx.base"), setting}});
    ASSERT_EQ(host.app().runtime().plugin(QStringLiteral("fx.dependent"))->state, PluginState::Started)
        << host.app().runtime().plugin(QStringLiteral("fx.dependent"))->reason.toStdString();
    host.stop();
    EXPECT_EQ(host.app().runtime().plugin(QStringLiteral("fx.dependent"))->state, PluginState::Stopped);
    EXPECT_EQ(host.app().runtime().plugin(QStringLiteral("fx.base"))->state, PluginState::Stopped);
    QFile f(stopLog);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    EXPECT_EQ(QString::fromUtf8(f.readAll()), QStringLiteral("fx.dependent\nfx.base\n"));
}
