// Card sections: fx.sections adds a "history" section to party.daily's member card; the host
// gathers it for a record, for callers holding the section's permission, with their scope.

#include "host_fixture.hpp"

#include <QFileInfo>
#include <QJsonArray>

#include <gtest/gtest.h>

using namespace tessera::test;

TEST(CardSections, AnotherPluginsSectionShowsOnTheCardForCallersWhoMaySeeIt) {
    if (!QFileInfo::exists(builtPluginDir() + QStringLiteral("/party.daily/manifest.xml"))) GTEST_SKIP() << "party.daily is not built";
    RunningHost host({builtPluginDir(), fixturePluginDir()}, {{QStringLiteral("party.daily"), {}}, {QStringLiteral("fx.sections"), {}}});
    ASSERT_EQ(host.app().runtime().plugin(QStringLiteral("fx.sections"))->state, tessera::host::PluginState::Started)
        << host.app().runtime().plugin(QStringLiteral("fx.sections"))->reason.toStdString();
    auto c = host.client();
    const qint64 root = host.app().units().ensureRoot(QStringLiteral("t"))->id;

    auto sections = c.get("/api/v1/cards/party.daily/member/42/sections");
    ASSERT_EQ(sections.status, 200) << sections.body.toStdString();
    const QJsonArray items = sections.json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(items.size(), 1);
    const QJsonObject history = items[0].toObject();
    EXPECT_EQ(history.value(QStringLiteral("id")).toString(), QStringLiteral("history"));
    EXPECT_EQ(history.value(QStringLiteral("plugin")).toString(), QStringLiteral("fx.sections"));
    EXPECT_EQ(history.value(QStringLiteral("label")).toObject().value(QStringLiteral("zh-CN")).toString(), QStringLiteral("履历"));
    EXPECT_EQ(history.value(QStringLiteral("columns")).toArray().size(), 2);
    EXPECT_EQ(history.value(QStringLiteral("rows")).toArray().at(0).toObject().value(QStringLiteral("event")).toString(),
              QStringLiteral("record 42, scope all"));

    // Someone without the section's permission does not get it; another card has none.
    HttpClient clerk = host.anonymousClient();
    clerk.setDefaultHeader("Authorization", "Bearer " + host.userToken(QStringLiteral("clerk"), {}, {}, root));
    EXPECT_EQ(clerk.get("/api/v1/cards/party.daily/member/42/sections").json().value(QStringLiteral("items")).toArray().size(), 0);
    EXPECT_EQ(c.get("/api/v1/cards/party.daily/org/42/sections").json().value(QStringLiteral("items")).toArray().size(), 0);
    EXPECT_EQ(c.get("/api/v1/cards/party.daily/member/x/sections").status, 404);
}
