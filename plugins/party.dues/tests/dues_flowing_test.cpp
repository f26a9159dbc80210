// party.dues with party.flow over real HTTP: a flowing member pays at the organisation they
// flowed to. Its clerk finds the member (the picker's source: the flows list), records the
// payment, which is then that organisation's own, and the home organisation sees it (list,
// member card, paid-up-to); a third branch can do neither; back home, the host may no longer.

#include "dues_test_support.hpp"

#include <QDate>
#include <QJsonArray>

namespace {

using party::daily::test::memberJson;
using tessera::test::fieldsOf;
using tessera::test::HttpClient;
using tessera::test::HttpReply;

QString month(int fromThis) { return QDate::currentDate().addMonths(fromThis).toString(QStringLiteral("yyyy-MM")); }
QString today() { return QDate::currentDate().toString(Qt::ISODate); }

class DuesFlowing : public ::testing::Test {
protected:
    void SetUp() override {
        host = party::daily::test::hostWith({QStringLiteral("party.daily"), QStringLiteral("party.flow"), QStringLiteral("party.dues")});
        admin = std::make_unique<HttpClient>(host->client());
        auto& units = host->app().units();
        root = units.ensureRoot(QStringLiteral("t"))->id;
        home = units.create(root, QStringLiteral("甲村党支部"))->id;
        hosting = units.create(root, QStringLiteral("流入地党支部"))->id;
        other = units.create(root, QStringLiteral("丙村党支部"))->id;
        auto role = admin->send("POST", "/api/v1/roles",
                                QJsonObject{{QStringLiteral("name"), QStringLiteral("dues-clerk")},
                                            {QStringLiteral("permissions"),
                                             QJsonArray{QStringLiteral("party.daily.read"), QStringLiteral("party.flow.read"),
                                                        QStringLiteral("party.dues.read"), QStringLiteral("party.dues.write")}}});
        ASSERT_EQ(role.status, 201) << role.body.toStdString();
        for (auto [client, name, unit] :
             {std::tuple{&a, "dues-a", home}, std::tuple{&b, "dues-b", hosting}, std::tuple{&c, "dues-c", other}})
            *client = party::daily::test::userClient(*host, QString::fromLatin1(name), QStringLiteral("dues-clerk"), QStringLiteral("unit"),
                                                     unit, "zh-CN");
        auto m = admin->send("POST", "/api/v1/party.daily/members",
                             memberJson(QStringLiteral("赵六"), home, QStringLiteral("19850101"), QStringLiteral("201")));
        ASSERT_EQ(m.status, 201) << m.body.toStdString();
        member = m.json().value(QStringLiteral("id")).toInteger();
        auto base = admin->send("POST", "/api/v1/party.dues/profiles",
                                QJsonObject{{QStringLiteral("memberId"), member},
                                            {QStringLiteral("category"), QStringLiteral("employed")},
                                            {QStringLiteral("base"), QStringLiteral("4000")},
                                            {QStringLiteral("fromMonth"), month(-3)}});
        ASSERT_EQ(base.status, 201) << base.body.toStdString();
        auto flow = admin->send("POST", "/api/v1/party.flow/flows",
                                QJsonObject{{QStringLiteral("memberId"), member},
                                            {QStringLiteral("destination"), QStringLiteral("广东省深圳市")},
                                            {QStringLiteral("toUnitId"), hosting},
                                            {QStringLiteral("reason"), QStringLiteral("work")},
                                            {QStringLiteral("leftOn"), QDate::currentDate().addMonths(-2).toString(Qt::ISODate)}});
        ASSERT_EQ(flow.status, 201) << flow.body.toStdString();
        flowId = flow.json().value(QStringLiteral("id")).toInteger();
    }

    // A payment of the member's first unpaid month, the amount left to the server.
    HttpReply pay(HttpClient& as) {
        return as.send("POST", "/api/v1/party.dues/payments",
                       QJsonObject{{QStringLiteral("memberId"), member},
                                   {QStringLiteral("paidOn"), today()},
                                   {QStringLiteral("method"), QStringLiteral("cash")}});
    }

    qint64 total(HttpClient& as, const QByteArray& path) {
        auto r = as.get(path);
        EXPECT_EQ(r.status, 200) << r.body.toStdString();
        return r.json().value(QStringLiteral("total")).toInteger();
    }

    std::unique_ptr<tessera::test::RunningHost> host;
    std::unique_ptr<HttpClient> admin, a, b, c;
    qint64 root = 0, home = 0, hosting = 0, other = 0, member = 0, flowId = 0;
};

}  // namespace

TEST_F(DuesFlowing, TheHostOrganisationRecordsAFlowingMembersPaymentAndTheHomeOrganisationSeesIt) {
    // The host's clerk cannot read the member, but finds them where the picker looks: the flows
    // list of those flowing in, which names them.
    EXPECT_EQ(b->get("/api/v1/party.daily/members/" + QByteArray::number(member)).status, 404);
    auto flowing = b->get("/api/v1/party.flow/flows?state=out&q=" + QUrl::toPercentEncoding(QStringLiteral("赵")));
    ASSERT_EQ(flowing.json().value(QStringLiteral("total")).toInteger(), 1) << flowing.body.toStdString();
    EXPECT_EQ(flowing.json().value(QStringLiteral("items")).toArray()[0].toObject().value(QStringLiteral("memberId")).toInteger(), member);

    auto paid = pay(*b);
    ASSERT_EQ(paid.status, 201) << paid.body.toStdString();
    const QJsonObject payment = paid.json();
    const qint64 id = payment.value(QStringLiteral("id")).toInteger();
    EXPECT_EQ(payment.value(QStringLiteral("unitId")).toInteger(), hosting) << "collected by the host: its own record";
    EXPECT_EQ(payment.value(QStringLiteral("memberUnitId")).toInteger(), home);
    EXPECT_EQ(payment.value(QStringLiteral("fromMonth")).toString(), month(-3)) << "the first month unpaid, as at home";
    EXPECT_EQ(payment.value(QStringLiteral("amount")).toString(), QStringLiteral("40.00"));
    EXPECT_EQ(payment.value(QStringLiteral("labels")).toObject().value(QStringLiteral("memberId")).toString(), QStringLiteral("赵六"))
        << "the member is named to the host through the flow";
    EXPECT_EQ(payment.value(QStringLiteral("labels")).toObject().value(QStringLiteral("memberUnitId")).toString(),
              QStringLiteral("甲村党支部"));

    // The host's rules are the home's: the same months are not paid twice, from either side.
    auto again = b->send("POST", "/api/v1/party.dues/payments",
                         QJsonObject{{QStringLiteral("memberId"), member},
                                     {QStringLiteral("fromMonth"), month(-3)},
                                     {QStringLiteral("paidOn"), today()},
                                     {QStringLiteral("method"), QStringLiteral("cash")}});
    EXPECT_EQ(again.status, 422) << again.body.toStdString();
    auto next = pay(*a);
    ASSERT_EQ(next.status, 201) << next.body.toStdString();
    EXPECT_EQ(next.json().value(QStringLiteral("fromMonth")).toString(), month(-2)) << "after the month the host collected";
    EXPECT_EQ(next.json().value(QStringLiteral("unitId")).toInteger(), home) << "the home's own payment stays the home's";

    // The home organisation sees the host's payment, and may not change it; the host sees its own.
    EXPECT_EQ(total(*a, "/api/v1/party.dues/payments"), 2);
    EXPECT_EQ(total(*b, "/api/v1/party.dues/payments"), 1);
    const QByteArray path = "/api/v1/party.dues/payments/" + QByteArray::number(id);
    EXPECT_EQ(a->get(path).status, 200);
    EXPECT_EQ(a->request("DELETE", path, {}, {{"If-Match", "\"1\""}}).status, 404);
    QJsonObject edit = payment;
    edit.insert(QStringLiteral("notes"), QStringLiteral("现金收讫"));
    auto edited = b->send("PUT", path, edit, {{"If-Match", "\"1\""}});
    ASSERT_EQ(edited.status, 200) << edited.body.toStdString();
    EXPECT_EQ(edited.json().value(QStringLiteral("unitId")).toInteger(), hosting) << "an edit keeps who collected it";
    // The member card's dues section at home counts it; so does the transfer letter's 党费交至.
    auto sections = a->get("/api/v1/cards/party.daily/member/" + QByteArray::number(member) + "/sections");
    EXPECT_TRUE(sections.body.contains(month(-2).toUtf8())) << sections.body.toStdString();

    // A third branch neither reaches the member nor sees the payments; nothing names them to it.
    auto refused = pay(*c);
    EXPECT_EQ(fieldsOf(refused), (QStringList{QStringLiteral("unitId"), QStringLiteral("memberId")})) << "as for any member not theirs";
    EXPECT_FALSE(refused.body.contains(QStringLiteral("赵六").toUtf8())) << refused.body.toStdString();
    EXPECT_EQ(total(*c, "/api/v1/party.dues/payments"), 0);
    EXPECT_EQ(c->get(path).status, 404);

    // Back home, the member is the host's no longer: its payment stays, still naming them.
    auto back = admin->send("POST", "/api/v1/party.flow/flows/" + QByteArray::number(flowId) + "/steps/return", QJsonObject{},
                            {{"If-Match", "\"1\""}});
    ASSERT_EQ(back.status, 200) << back.body.toStdString();
    EXPECT_EQ(fieldsOf(pay(*b)), (QStringList{QStringLiteral("unitId"), QStringLiteral("memberId")}));
    auto kept = b->get(path);
    ASSERT_EQ(kept.status, 200);
    EXPECT_EQ(kept.json().value(QStringLiteral("labels")).toObject().value(QStringLiteral("memberId")).toString(), QStringLiteral("赵六"));
}
