// party.flow over real HTTP: branch A's member flows out to a city, with branch B there as
// the host organisation; B sees its flowing-in member, C nothing; the member stays on A's roll
// and is checked back in on return.

#include "../../party.daily/tests/daily_test_support.hpp"

#include <QDate>
#include <QJsonArray>

namespace {

using party::daily::test::memberJson;
using tessera::test::fieldsOf;
using tessera::test::HttpClient;
using tessera::test::HttpReply;

QString day(int fromToday) { return QDate::currentDate().addDays(fromToday).toString(Qt::ISODate); }

class Flows : public ::testing::Test {
protected:
    void SetUp() override {
        using namespace tessera::test;
        host = std::make_unique<RunningHost>(QStringList{builtPluginDir()}, std::vector<EnablePlugin>{{QStringLiteral("party.daily"), {}},
                                                                                                      {QStringLiteral("party.flow"), {}}});
        for (const char* id : {"party.daily", "party.flow"}) {
            const auto* spec = host->app().runtime().plugin(QString::fromLatin1(id));
            ASSERT_EQ(spec->state, tessera::host::PluginState::Started) << id << ": " << spec->reason.toStdString();
        }
        admin = std::make_unique<HttpClient>(host->client());
        auto& units = host->app().units();
        root = units.ensureRoot(QStringLiteral("t"))->id;
        branchA = units.create(root, QStringLiteral("甲村党支部"))->id;
        branchB = units.create(root, QStringLiteral("流入地党支部"))->id;
        branchC = units.create(root, QStringLiteral("丙村党支部"))->id;
        auto role = admin->send("POST", "/api/v1/roles",
                                QJsonObject{{QStringLiteral("name"), QStringLiteral("secretary")},
                                            {QStringLiteral("permissions"),
                                             QJsonArray{QStringLiteral("party.daily.read"), QStringLiteral("party.daily.write"),
                                                        QStringLiteral("party.flow.read"), QStringLiteral("party.flow.write")}}});
        ASSERT_EQ(role.status, 201) << role.body.toStdString();
        for (auto [client, name, unit] :
             {std::tuple{&a, "sec-a", branchA}, std::tuple{&b, "sec-b", branchB}, std::tuple{&c, "sec-c", branchC}}) {
            *client = std::make_unique<HttpClient>(host->anonymousClient());
            (*client)->setDefaultHeader("Authorization", "Bearer " + host->userToken(QString::fromLatin1(name), QStringLiteral("secretary"),
                                                                                     QStringLiteral("unit"), unit));
        }
        auto m = admin->send("POST", "/api/v1/party.daily/members",
                             memberJson(QStringLiteral("赵六"), branchA, QStringLiteral("19850101"), QStringLiteral("201")));
        ASSERT_EQ(m.status, 201) << m.body.toStdString();
        member = m.json().value(QStringLiteral("id")).toInteger();
    }

    HttpReply flowOut(QJsonObject body) {
        for (auto [k, v] : {std::pair{"memberId", QJsonValue(member)}, std::pair{"destination", QJsonValue(QStringLiteral("广东省深圳市"))},
                            std::pair{"reason", QJsonValue(QStringLiteral("work"))}, std::pair{"leftOn", QJsonValue(day(-10))}})
            if (!body.contains(QLatin1String(k))) body.insert(QLatin1String(k), v);
        return a->send("POST", "/api/v1/party.flow/flows", body);
    }

    QByteArray path(qint64 id, const QByteArray& tail = {}) { return "/api/v1/party.flow/flows/" + QByteArray::number(id) + tail; }

    std::unique_ptr<tessera::test::RunningHost> host;
    std::unique_ptr<HttpClient> admin, a, b, c;
    qint64 root = 0, branchA = 0, branchB = 0, branchC = 0, member = 0;
};

}  // namespace

TEST_F(Flows, AFlowingMemberStaysOnTheHomeRollAndTheHostSeesThemUntilTheyReturn) {
    auto out = flowOut(QJsonObject{{QStringLiteral("toUnitId"), branchB}, {QStringLiteral("certificateNo"), QStringLiteral("LD2026-001")}});
    ASSERT_EQ(out.status, 201) << out.body.toStdString();
    const qint64 id = out.json().value(QStringLiteral("id")).toInteger();
    EXPECT_EQ(out.json().value(QStringLiteral("state")).toString(), QStringLiteral("out"));
    EXPECT_EQ(out.json().value(QStringLiteral("unitId")).toInteger(), branchA);
    EXPECT_FALSE(out.json().contains(QStringLiteral("warnings")));
    // The member stays A's; B sees its flowing-in member, by the list's filter too; C nothing.
    EXPECT_EQ(a->get("/api/v1/party.daily/members/" + QByteArray::number(member)).status, 200);
    EXPECT_EQ(b->get("/api/v1/party.daily/members/" + QByteArray::number(member)).status, 404);
    EXPECT_EQ(b->get(path(id)).status, 200);
    auto flowingIn = b->get("/api/v1/party.flow/flows?toUnitId=" + QByteArray::number(branchB) + "&state=out");
    EXPECT_EQ(flowingIn.json().value(QStringLiteral("total")).toInteger(), 1) << flowingIn.body.toStdString();
    EXPECT_EQ(c->get("/api/v1/party.flow/flows").json().value(QStringLiteral("total")).toInteger(), 0);
    EXPECT_EQ(c->get(path(id)).status, 404);
    // Counts by reason and by state follow the same scope.
    auto counts = a->get("/api/v1/party.flow/flows/counts?by=reason");
    ASSERT_EQ(counts.status, 200) << counts.body.toStdString();
    EXPECT_EQ(counts.json().value(QStringLiteral("total")).toInteger(), 1);
    // Away once at a time.
    EXPECT_EQ(fieldsOf(flowOut(QJsonObject{})), QStringList{QStringLiteral("memberId")});
    // Back: checked in by the home organisation (the host may not), not before leaving.
    EXPECT_EQ(b->send("POST", path(id, "/steps/return"), QJsonObject{}, {{"If-Match", "\"1\""}}).status, 403);
    EXPECT_EQ(fieldsOf(a->send("POST", path(id, "/steps/return"), QJsonObject{{QStringLiteral("returnedOn"), day(-20)}},
                               {{"If-Match", "\"1\""}})),
              QStringList{QStringLiteral("returnedOn")});
    auto back = a->send("POST", path(id, "/steps/return"), QJsonObject{}, {{"If-Match", "\"1\""}});
    ASSERT_EQ(back.status, 200) << back.body.toStdString();
    EXPECT_EQ(back.json().value(QStringLiteral("returnedOn")).toString(), day(0));
    EXPECT_EQ(b->get("/api/v1/party.flow/flows?toUnitId=" + QByteArray::number(branchB) + "&state=out")
                  .json()
                  .value(QStringLiteral("total"))
                  .toInteger(),
              0);
    // The member card shows the flow; a flow that ended is history and stays as it is.
    auto sections = a->get("/api/v1/cards/party.daily/member/" + QByteArray::number(member) + "/sections");
    EXPECT_TRUE(sections.body.contains("广东省深圳市") && sections.body.contains("流入地党支部")) << sections.body.toStdString();
    auto edit = a->send("PUT", path(id),
                        QJsonObject{{QStringLiteral("memberId"), member},
                                    {QStringLiteral("destination"), QStringLiteral("北京")},
                                    {QStringLiteral("reason"), QStringLiteral("work")},
                                    {QStringLiteral("leftOn"), day(-10)}},
                        {{"If-Match", "\"2\""}});
    EXPECT_EQ(fieldsOf(edit), QStringList{QStringLiteral("state")});
    // Away again later: a new flow.
    EXPECT_EQ(flowOut(QJsonObject{}).status, 201);
}

TEST_F(Flows, AMemberLongAwayAtAFixedPlaceIsToldToTransferButMayStillFlow) {
    auto longAway = flowOut(QJsonObject{{QStringLiteral("fixedPlace"), true}, {QStringLiteral("expectedBack"), day(200)}});
    ASSERT_EQ(longAway.status, 201) << longAway.body.toStdString();
    const QJsonArray warnings = longAway.json().value(QStringLiteral("warnings")).toArray();
    ASSERT_EQ(warnings.size(), 1);
    EXPECT_EQ(warnings[0].toObject().value(QStringLiteral("field")).toString(), QStringLiteral("expectedBack"));
    a->setLanguage("zh-CN");
    const qint64 id = longAway.json().value(QStringLiteral("id")).toInteger();
    auto again = a->send("PUT", path(id),
                         QJsonObject{{QStringLiteral("memberId"), member},
                                     {QStringLiteral("destination"), QStringLiteral("广东省深圳市")},
                                     {QStringLiteral("reason"), QStringLiteral("work")},
                                     {QStringLiteral("leftOn"), day(-10)},
                                     {QStringLiteral("fixedPlace"), true},
                                     {QStringLiteral("expectedBack"), day(200)}},
                         {{"If-Match", "\"1\""}});
    ASSERT_EQ(again.status, 200) << again.body.toStdString();
    EXPECT_TRUE(again.json()
                    .value(QStringLiteral("warnings"))
                    .toArray()[0]
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("转接组织关系")));
    // Refusals, each on its field, in Chinese.
    auto bad = a->send("PUT", path(id),
                       QJsonObject{{QStringLiteral("memberId"), member},
                                   {QStringLiteral("destination"), QStringLiteral("深圳")},
                                   {QStringLiteral("reason"), QStringLiteral("work")},
                                   {QStringLiteral("leftOn"), day(-10)},
                                   {QStringLiteral("expectedBack"), day(-30)},
                                   {QStringLiteral("toUnitId"), branchA}},
                       {{"If-Match", "\"2\""}});
    EXPECT_EQ(fieldsOf(bad), (QStringList{QStringLiteral("toUnitId"), QStringLiteral("expectedBack")}));
    for (const QString& m : tessera::test::messagesOf(bad)) EXPECT_FALSE(tessera::test::hasEnglishSentence(m)) << m.toStdString();
    // Back home, the warning is over: the return step's answer says nothing of it.
    auto back = a->send("POST", path(id, "/steps/return"), QJsonObject{}, {{"If-Match", "\"2\""}});
    ASSERT_EQ(back.status, 200) << back.body.toStdString();
    EXPECT_FALSE(back.json().contains(QStringLiteral("warnings"))) << back.body.toStdString();
}
