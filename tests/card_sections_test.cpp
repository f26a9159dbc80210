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
    const qint64 branch = host.app().units().create(root, QStringLiteral("一支部"))->id;
    const qint64 other = host.app().units().create(root, QStringLiteral("二支部"))->id;
    auto created = c.send("POST", "/api/v1/party.daily/members",
                          QJsonObject{{QStringLiteral("name"), QStringLiteral("张三")}, {QStringLiteral("idNumber"), QStringLiteral("11010519491231002X")},
                                      {QStringLiteral("unitId"), branch}, {QStringLiteral("category"), QStringLiteral("formal")},
                                      {QStringLiteral("joinDate"), QStringLiteral("1970-07-01")}});
    ASSERT_EQ(created.status, 201) << created.body.toStdString();
    const QByteArray id = QByteArray::number(created.json().value(QStringLiteral("id")).toInteger());

    auto sections = c.get("/api/v1/cards/party.daily/member/" + id + "/sections");
    ASSERT_EQ(sections.status, 200) << sections.body.toStdString();
    const QJsonArray items = sections.json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(items.size(), 1);
    const QJsonObject history = items[0].toObject();
    EXPECT_EQ(history.value(QStringLiteral("id")).toString(), QStringLiteral("history"));
    EXPECT_EQ(history.value(QStringLiteral("plugin")).toString(), QStringLiteral("fx.sections"));
    EXPECT_EQ(history.value(QStringLiteral("label")).toObject().value(QStringLiteral("zh-CN")).toString(), QStringLiteral("履历"));
    EXPECT_EQ(history.value(QStringLiteral("columns")).toArray().size(), 2);
    EXPECT_EQ(history.value(QStringLiteral("rows")).toArray().at(0).toObject().value(QStringLiteral("event")).toString(),
              QStringLiteral("record %1, scope all").arg(QString::fromLatin1(id)));

    // A record the caller may not read (or that does not exist) is 404, whatever sections exist:
    // a clerk without party.daily.read, an officer of another branch, an unknown id.
    HttpClient clerk = host.anonymousClient();
    clerk.setDefaultHeader("Authorization", "Bearer " + host.userToken(QStringLiteral("clerk"), {}, {}, root));
    EXPECT_EQ(clerk.get("/api/v1/cards/party.daily/member/" + id + "/sections").status, 404);
    HttpClient elsewhere = host.anonymousClient();
    elsewhere.setDefaultHeader("Authorization", "Bearer " + host.userToken(QStringLiteral("elsewhere"), QStringLiteral("admin"), QStringLiteral("subtree"), other));
    EXPECT_EQ(elsewhere.get("/api/v1/cards/party.daily/member/" + id + "/sections").status, 404);
    EXPECT_EQ(c.get("/api/v1/cards/party.daily/member/999999/sections").status, 404);
    EXPECT_EQ(c.get("/api/v1/cards/party.daily/member/x/sections").status, 404);
    EXPECT_EQ(c.get("/api/v1/cards/party.daily/nocard/1/sections").status, 404);
    // Someone who may read the member but not the section's plugin gets the card without it.
    HttpClient reader = host.anonymousClient();
    ASSERT_EQ(c.send("POST", "/api/v1/roles", QJsonObject{{QStringLiteral("name"), QStringLiteral("party-reader")},
                                                         {QStringLiteral("permissions"), QJsonArray{QStringLiteral("party.daily.read")}}}).status, 201);
    reader.setDefaultHeader("Authorization", "Bearer " + host.userToken(QStringLiteral("reader"), QStringLiteral("party-reader"), QStringLiteral("subtree"), branch));
    auto without = reader.get("/api/v1/cards/party.daily/member/" + id + "/sections");
    EXPECT_EQ(without.status, 200);
    EXPECT_EQ(without.json().value(QStringLiteral("items")).toArray().size(), 0);
}
