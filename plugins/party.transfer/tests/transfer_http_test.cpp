// party.transfer over real HTTP: the secretary of branch A transfers a member to branch B,
// whose secretary confirms or returns it; the secretary of branch C sees nothing of it. Out of
// the system, A prints the introduction letter and records its return slip.

#include "../../party.daily/tests/daily_test_support.hpp"

#include <QDate>
#include <QJsonArray>
#include <QJsonDocument>

namespace {

using party::daily::test::memberJson;
using tessera::test::fieldsOf;
using tessera::test::HttpClient;
using tessera::test::HttpReply;
using tessera::test::ifMatch;

QString today() { return QDate::currentDate().toString(Qt::ISODate); }

class Transfers : public ::testing::Test {
protected:
    void SetUp() override {
        host = party::daily::test::hostWith({QStringLiteral("party.daily"), QStringLiteral("party.transfer")});
        admin = std::make_unique<HttpClient>(host->client());
        auto& units = host->app().units();
        root = units.ensureRoot(QStringLiteral("t"))->id;
        const qint64 committee = units.create(root, QStringLiteral("机关党委"))->id;
        branchA = units.create(committee, QStringLiteral("第一党支部"))->id;
        branchB = units.create(committee, QStringLiteral("第二党支部"))->id;
        branchC = units.create(root, QStringLiteral("北区党支部"))->id;
        auto role = admin->send("POST", "/api/v1/roles",
                                QJsonObject{{QStringLiteral("name"), QStringLiteral("secretary")},
                                            {QStringLiteral("permissions"),
                                             QJsonArray{QStringLiteral("party.daily.read"), QStringLiteral("party.daily.write"),
                                                        QStringLiteral("party.transfer.read"), QStringLiteral("party.transfer.send"),
                                                        QStringLiteral("party.transfer.receive")}}});
        ASSERT_EQ(role.status, 201) << role.body.toStdString();
        a = secretary(QStringLiteral("sec-a"), branchA);
        b = secretary(QStringLiteral("sec-b"), branchB);
        c = secretary(QStringLiteral("sec-c"), branchC);
        member = newMember(QStringLiteral("张三"), branchA, QStringLiteral("101"));
    }

    std::unique_ptr<HttpClient> secretary(const QString& name, qint64 unit) {
        return party::daily::test::userClient(*host, name, QStringLiteral("secretary"), QStringLiteral("unit"), unit);
    }

    qint64 newMember(const QString& name, qint64 unit, const QString& sequence) {
        auto r = admin->send("POST", "/api/v1/party.daily/members", memberJson(name, unit, QStringLiteral("19800101"), sequence));
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }

    HttpReply start(HttpClient& as, QJsonObject body) {
        if (!body.contains(QStringLiteral("memberId"))) body.insert(QStringLiteral("memberId"), member);
        if (!body.contains(QStringLiteral("kind"))) body.insert(QStringLiteral("kind"), QStringLiteral("within"));
        if (!body.contains(QStringLiteral("startedOn"))) body.insert(QStringLiteral("startedOn"), today());
        return as.send("POST", "/api/v1/party.transfer/transfers", body);
    }

    qint64 startWithin() {
        auto r = start(*a, QJsonObject{{QStringLiteral("toUnitId"), branchB}, {QStringLiteral("reason"), QStringLiteral("工作调动")}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }

    QByteArray path(qint64 id, const QByteArray& tail = {}) { return "/api/v1/party.transfer/transfers/" + QByteArray::number(id) + tail; }
    QByteArray memberPath() { return "/api/v1/party.daily/members/" + QByteArray::number(member); }

    std::unique_ptr<tessera::test::RunningHost> host;
    std::unique_ptr<HttpClient> admin, a, b, c;
    qint64 root = 0, branchA = 0, branchB = 0, branchC = 0, member = 0;
};

}  // namespace

TEST_F(Transfers, WithinTheSystemTheReceiverConfirmsAndTheMemberMovesOnlyThen) {
    auto started = start(*a, QJsonObject{{QStringLiteral("toUnitId"), branchB}, {QStringLiteral("unitId"), branchC}});
    ASSERT_EQ(started.status, 201) << started.body.toStdString();
    const QJsonObject t = started.json();
    const qint64 id = t.value(QStringLiteral("id")).toInteger();
    EXPECT_EQ(t.value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
    EXPECT_EQ(t.value(QStringLiteral("memberName")).toString(), QStringLiteral("张三"));
    EXPECT_EQ(t.value(QStringLiteral("unitId")).toInteger(), branchA) << "the member's own organisation sends, whatever the client says";
    EXPECT_EQ(t.value(QStringLiteral("labels")).toObject().value(QStringLiteral("toUnitId")).toString(),
              QStringLiteral("机关党委/第二党支部"));

    // Until confirmed the member stays on A's roll, and A stays responsible.
    EXPECT_EQ(a->get(memberPath()).status, 200);
    EXPECT_EQ(b->get(memberPath()).status, 404);
    // B sees the transfer, in its to-do list and as a reminder of its unit; C sees nothing.
    auto seen = b->get(path(id));
    EXPECT_EQ(seen.status, 200);
    // The receiver reads it but edits and deletes nothing of it: the form offers neither.
    EXPECT_EQ(seen.json().value(QStringLiteral("may")).toObject(),
              (QJsonObject{{QStringLiteral("edit"), false}, {QStringLiteral("delete"), false}}));
    EXPECT_EQ(a->get(path(id)).json().value(QStringLiteral("may")).toObject().value(QStringLiteral("edit")).toBool(), true);
    EXPECT_EQ(b->get("/api/v1/todo").json().value(QStringLiteral("total")).toInteger(), 1);
    b->setLanguage("zh-CN");
    const QJsonArray reminders = b->get("/api/v1/reminders").json().value(QStringLiteral("items")).toArray();
    ASSERT_FALSE(reminders.isEmpty());
    EXPECT_EQ(reminders[0].toObject().value(QStringLiteral("text")).toString(), QStringLiteral("1 条组织关系转接待确认，待您处理"));
    EXPECT_EQ(c->get("/api/v1/party.transfer/transfers").json().value(QStringLiteral("total")).toInteger(), 0);
    EXPECT_EQ(c->get(path(id)).status, 404);
    EXPECT_EQ(c->get("/api/v1/todo").json().value(QStringLiteral("total")).toInteger(), 0);
    EXPECT_EQ(c->send("POST", path(id, "/steps/confirm"), QJsonObject{}, ifMatch(1)).status, 404);
    // The sender cannot confirm for the receiver.
    EXPECT_EQ(a->send("POST", path(id, "/steps/confirm"), QJsonObject{}, ifMatch(1)).status, 403);

    auto confirmed =
        b->send("POST", path(id, "/steps/confirm"), QJsonObject{{QStringLiteral("comment"), QStringLiteral("已接收")}}, ifMatch(1));
    ASSERT_EQ(confirmed.status, 200) << confirmed.body.toStdString();
    EXPECT_EQ(confirmed.json().value(QStringLiteral("state")).toString(), QStringLiteral("confirmed"));
    EXPECT_EQ(confirmed.json().value(QStringLiteral("confirmedOn")).toString(), today());
    // The member is B's now, and no longer A's.
    auto moved = b->get(memberPath());
    ASSERT_EQ(moved.status, 200);
    EXPECT_EQ(moved.json().value(QStringLiteral("unitId")).toInteger(), branchB);
    EXPECT_EQ(a->get(memberPath()).status, 404);
    // Both still read the transfer; it is done: neither edits nor deletes it.
    EXPECT_EQ(a->get(path(id)).status, 200);
    auto edit = a->send("PUT", path(id),
                        QJsonObject{{QStringLiteral("memberId"), member},
                                    {QStringLiteral("kind"), QStringLiteral("within")},
                                    {QStringLiteral("toUnitId"), branchC},
                                    {QStringLiteral("startedOn"), today()}},
                        ifMatch(2));
    EXPECT_EQ(edit.status, 422);
    EXPECT_EQ(fieldsOf(edit), QStringList{QStringLiteral("state")});
    EXPECT_EQ(a->request("DELETE", path(id)).status, 409);
    EXPECT_EQ(b->get("/api/v1/todo").json().value(QStringLiteral("total")).toInteger(), 0);
    // The member's card shows the transfer to whoever may read it.
    auto sections = b->get("/api/v1/cards/party.daily/member/" + QByteArray::number(member) + "/sections");
    ASSERT_EQ(sections.status, 200) << sections.body.toStdString();
    EXPECT_TRUE(sections.body.contains("机关党委/第一党支部") && sections.body.contains("已转入")) << sections.body.toStdString();
    // The step is in the transfer's history, with who took it.
    const QJsonArray history = a->get(path(id, "/steps")).json().value(QStringLiteral("history")).toArray();
    ASSERT_EQ(history.size(), 1);
    EXPECT_EQ(history[0].toObject().value(QStringLiteral("by")).toString(), QStringLiteral("sec-b"));
}

TEST_F(Transfers, AReturnedTransferGoesBackToTheSenderToSendAgainOrCancel) {
    const qint64 id = startWithin();
    auto returned = b->send("POST", path(id, "/steps/return"),
                            QJsonObject{{QStringLiteral("returnReason"), QStringLiteral("转入单位有误")}}, ifMatch(1));
    ASSERT_EQ(returned.status, 200) << returned.body.toStdString();
    EXPECT_EQ(a->get("/api/v1/todo").json().value(QStringLiteral("total")).toInteger(), 1);
    EXPECT_EQ(b->get("/api/v1/todo").json().value(QStringLiteral("total")).toInteger(), 0);
    // The sender corrects it while it is back with them, then sends it again.
    auto corrected = a->send("PUT", path(id),
                             QJsonObject{{QStringLiteral("memberId"), member},
                                         {QStringLiteral("kind"), QStringLiteral("within")},
                                         {QStringLiteral("toUnitId"), branchC},
                                         {QStringLiteral("startedOn"), today()}},
                             ifMatch(2));
    ASSERT_EQ(corrected.status, 200) << corrected.body.toStdString();
    ASSERT_EQ(a->send("POST", path(id, "/steps/resend"), QJsonObject{}, ifMatch(3)).status, 200);
    EXPECT_EQ(c->get("/api/v1/todo").json().value(QStringLiteral("total")).toInteger(), 1) << "now waiting for C";
    EXPECT_EQ(b->get(path(id)).status, 404) << "no longer B's to see";
    auto cancelled =
        a->send("POST", path(id, "/steps/cancel"), QJsonObject{{QStringLiteral("comment"), QStringLiteral("本人不再调动")}}, ifMatch(4));
    ASSERT_EQ(cancelled.status, 200) << cancelled.body.toStdString();
    EXPECT_EQ(a->get(memberPath()).json().value(QStringLiteral("unitId")).toInteger(), branchA);
    // A cancelled transfer leaves the member free to be transferred again.
    EXPECT_EQ(start(*a, QJsonObject{{QStringLiteral("toUnitId"), branchB}}).status, 201);
}

TEST_F(Transfers, EveryRuleRefusesWithItsReasonOnItsField) {
    const qint64 other = newMember(QStringLiteral("李四"), branchC, QStringLiteral("102"));
    auto notHers = start(*a, QJsonObject{{QStringLiteral("memberId"), other}, {QStringLiteral("toUnitId"), branchB}});
    EXPECT_EQ(notHers.status, 422);
    EXPECT_TRUE(fieldsOf(notHers).contains(QStringLiteral("memberId"))) << notHers.body.toStdString();
    EXPECT_FALSE(notHers.body.contains("北区")) << "nothing said of the other branch";
    EXPECT_EQ(fieldsOf(start(*a, QJsonObject{})), QStringList{QStringLiteral("toUnitId")});
    EXPECT_EQ(fieldsOf(start(*a, QJsonObject{{QStringLiteral("toUnitId"), branchA}})), QStringList{QStringLiteral("toUnitId")});
    EXPECT_EQ(fieldsOf(start(*a, QJsonObject{{QStringLiteral("toUnitId"), branchB},
                                             {QStringLiteral("startedOn"), QDate::currentDate().addDays(2).toString(Qt::ISODate)}})),
              QStringList{QStringLiteral("startedOn")});
    auto out = start(*a, QJsonObject{{QStringLiteral("kind"), QStringLiteral("out")},
                                     {QStringLiteral("toUnitId"), branchB},
                                     {QStringLiteral("duesPaidTo"), QStringLiteral("2026-13")}});
    EXPECT_EQ(fieldsOf(out), (QStringList{QStringLiteral("duesPaidTo")})) << out.body.toStdString();
    auto outMissing = start(*a, QJsonObject{{QStringLiteral("kind"), QStringLiteral("out")}, {QStringLiteral("toUnitId"), branchB}});
    EXPECT_EQ(fieldsOf(outMissing), (QStringList{QStringLiteral("toUnitId"), QStringLiteral("toOrgName"), QStringLiteral("duesPaidTo")}));
    const qint64 id = startWithin();
    auto twice = start(*a, QJsonObject{{QStringLiteral("toUnitId"), branchC}});
    EXPECT_EQ(fieldsOf(twice), QStringList{QStringLiteral("memberId")});
    // A step on a stale copy, or one that is not for this kind of transfer.
    ASSERT_EQ(a->send("PUT", path(id),
                      QJsonObject{{QStringLiteral("memberId"), member},
                                  {QStringLiteral("kind"), QStringLiteral("within")},
                                  {QStringLiteral("toUnitId"), branchB},
                                  {QStringLiteral("reason"), QStringLiteral("升学")},
                                  {QStringLiteral("startedOn"), today()}},
                      ifMatch(1))
                  .status,
              200);
    EXPECT_EQ(b->send("POST", path(id, "/steps/confirm"), QJsonObject{}, ifMatch(1)).status, 412);
    auto receipt = a->send("POST", path(id, "/steps/receipt"), QJsonObject{}, ifMatch(2));
    EXPECT_EQ(receipt.status, 422);
    EXPECT_EQ(fieldsOf(receipt), QStringList{QStringLiteral("(step)")});
    // Every refusal reads in Chinese for a Chinese reader.
    a->setLanguage("zh-CN");
    b->setLanguage("zh-CN");
    for (const HttpReply& r :
         {start(*a, QJsonObject{{QStringLiteral("toUnitId"), branchC}}),
          a->send("POST", path(id, "/steps/receipt"), QJsonObject{}, ifMatch(2)),
          a->send("POST", path(id, "/steps/confirm"), QJsonObject{}, ifMatch(2)),
          start(*a, QJsonObject{{QStringLiteral("kind"), QStringLiteral("out")},
                                {QStringLiteral("toUnitId"), branchB},
                                {QStringLiteral("memberId"), newMember(QStringLiteral("王五"), branchA, QStringLiteral("103"))}}),
          b->send("POST", path(id, "/steps/return"), QJsonObject{}, ifMatch(2))}) {
        EXPECT_GE(r.status, 400);
        for (const QString& m : tessera::test::messagesOf(r))
            EXPECT_FALSE(tessera::test::hasEnglishSentence(m)) << r.status << ": " << m.toStdString();
    }
}

TEST_F(Transfers, OutOfTheSystemTheLetterIsPrintedAndTheReturnSlipTakesTheMemberOffTheRoll) {
    auto started = start(*a, QJsonObject{{QStringLiteral("kind"), QStringLiteral("out")},
                                         {QStringLiteral("toOrgName"), QStringLiteral("中共某某市委组织部")},
                                         {QStringLiteral("duesPaidTo"), QStringLiteral("2026-11")}});
    ASSERT_EQ(started.status, 201) << started.body.toStdString();
    const qint64 id = started.json().value(QStringLiteral("id")).toInteger();
    EXPECT_EQ(started.json().value(QStringLiteral("validDays")).toInteger(), 30) << "the setting's default validity";
    // Only the sender sees it; it waits for its return slip in the sender's to-do list.
    EXPECT_EQ(b->get(path(id)).status, 404);
    EXPECT_EQ(a->get("/api/v1/todo").json().value(QStringLiteral("total")).toInteger(), 1);

    auto letter = a->send("POST", path(id, "/documents/letter"), QJsonObject{});
    ASSERT_EQ(letter.status, 201) << letter.body.toStdString();
    const QString year = QString::number(QDate::currentDate().year());
    EXPECT_EQ(letter.json().value(QStringLiteral("number")).toString(), QStringLiteral("%1第0001号").arg(year));
    const QString html = letter.json().value(QStringLiteral("html")).toString();
    EXPECT_EQ(html.count(QStringLiteral("class=\"letter-page\"")), 3) << "stub, letter and return slip";
    for (const QString& part : {QStringLiteral("张三"), QStringLiteral("1980年1月1日"), QStringLiteral("汉族"), QStringLiteral("正式党员"),
                                QStringLiteral("中共某某市委组织部"), QStringLiteral("2026年11月"), QStringLiteral(">30</span>天"),
                                QStringLiteral("第一党支部"), QStringLiteral("编号：%1第0001号").arg(year)})
        EXPECT_TRUE(html.contains(part)) << part.toStdString() << "\n" << html.toStdString();
    EXPECT_EQ(b->send("POST", path(id, "/documents/letter"), QJsonObject{}).status, 404);

    // Once its validity lapses without the return slip, the sender is reminded.
    a->setLanguage("zh-CN");
    auto nothingYet = a->get("/api/v1/reminders");
    EXPECT_FALSE(nothingYet.body.contains("介绍信已过有效期")) << nothingYet.body.toStdString();
    auto later = a->get("/api/v1/reminders?date=" + QDate::currentDate().addDays(31).toString(Qt::ISODate).toUtf8());
    EXPECT_TRUE(later.body.contains("1 封介绍信已过有效期，尚未收到回执")) << later.body.toStdString();
    auto slip = a->send("POST", path(id, "/steps/receipt"), QJsonObject{{QStringLiteral("receiptFrom"), QStringLiteral("某某市委组织部")}},
                        ifMatch(1));
    ASSERT_EQ(slip.status, 200) << slip.body.toStdString();
    EXPECT_EQ(slip.json().value(QStringLiteral("state")).toString(), QStringLiteral("arrived"));
    // The member has left A's roll as transferred out, and stays findable there as a former member.
    auto former = a->get(memberPath());
    ASSERT_EQ(former.status, 200);
    EXPECT_EQ(former.json().value(QStringLiteral("leftDate")).toString(), today());
    EXPECT_EQ(former.json().value(QStringLiteral("leftReason")).toString(), QStringLiteral("transferred-out"));
    EXPECT_EQ(fieldsOf(start(*a, QJsonObject{{QStringLiteral("toUnitId"), branchB}})), QStringList{QStringLiteral("memberId")})
        << "no longer on the roll";
}

TEST_F(Transfers, AWholeOrganisationMovesWithItsMembersWithinTheMoversScopeAtBothEnds) {
    auto org = [&](const QString& name, const QString& type, qint64 parent) {
        return party::daily::test::newOrg(*admin, name, type, parent);
    };
    const qint64 committee = org(QStringLiteral("中共某某机关委员会"), QStringLiteral("committee"), root);
    const qint64 general = org(QStringLiteral("第一党总支"), QStringLiteral("general-branch"), committee);
    const qint64 third = org(QStringLiteral("第三党支部"), QStringLiteral("branch"), committee);
    const qint64 someone = newMember(QStringLiteral("钱七"), third, QStringLiteral("104"));
    auto officer = std::make_unique<HttpClient>(host->anonymousClient());
    officer->setDefaultHeader("Authorization", "Bearer " + host->userToken(QStringLiteral("sec-k"), QStringLiteral("secretary"),
                                                                           QStringLiteral("subtree"), committee));
    const QByteArray moves = "/api/v1/party.transfer/org-moves";

    // A branch secretary cannot move their branch where they may not reach.
    auto outOfReach = a->send(
        "POST", moves,
        QJsonObject{{QStringLiteral("unitId"), branchA}, {QStringLiteral("toParentId"), general}, {QStringLiteral("movedOn"), today()}});
    EXPECT_EQ(outOfReach.status, 422);
    EXPECT_TRUE(fieldsOf(outOfReach).contains(QStringLiteral("toParentId"))) << outOfReach.body.toStdString();

    auto moved = officer->send("POST", moves,
                               QJsonObject{{QStringLiteral("unitId"), third},
                                           {QStringLiteral("toParentId"), general},
                                           {QStringLiteral("movedOn"), today()},
                                           {QStringLiteral("documentNo"), QStringLiteral("机党发〔2026〕5号")}});
    ASSERT_EQ(moved.status, 201) << moved.body.toStdString();
    EXPECT_EQ(moved.json().value(QStringLiteral("fromParentId")).toInteger(), committee);
    // The organisation is under its new parent, with its members, at once.
    auto card = officer->get("/api/v1/party.daily/orgs/" + QByteArray::number(third));
    EXPECT_EQ(card.json().value(QStringLiteral("parentId")).toInteger(), general);
    auto card2 = officer->get("/api/v1/party.daily/members/" + QByteArray::number(someone));
    ASSERT_EQ(card2.status, 200);
    EXPECT_EQ(card2.json().value(QStringLiteral("unitId")).toInteger(), third);
    EXPECT_TRUE(card2.json().value(QStringLiteral("unitPath")).toString().contains(QStringLiteral("第一党总支/第三党支部")))
        << card2.body.toStdString();
    // A move under itself is refused on the new parent, and nothing moves.
    auto cycle = officer->send(
        "POST", moves,
        QJsonObject{{QStringLiteral("unitId"), general}, {QStringLiteral("toParentId"), third}, {QStringLiteral("movedOn"), today()}});
    EXPECT_EQ(cycle.status, 422) << cycle.body.toStdString();
    EXPECT_EQ(fieldsOf(cycle), QStringList{QStringLiteral("toParentId")});
    EXPECT_EQ(officer->get("/api/v1/party.daily/orgs/" + QByteArray::number(general)).json().value(QStringLiteral("parentId")).toInteger(),
              committee);
    EXPECT_EQ(officer->get(moves).json().value(QStringLiteral("total")).toInteger(), 1);
    // It is history: not changed, not deleted.
    const qint64 id = moved.json().value(QStringLiteral("id")).toInteger();
    auto edit = officer->send(
        "PUT", moves + "/" + QByteArray::number(id),
        QJsonObject{{QStringLiteral("unitId"), third}, {QStringLiteral("toParentId"), committee}, {QStringLiteral("movedOn"), today()}},
        ifMatch(1));
    EXPECT_EQ(edit.status, 422);
    EXPECT_EQ(officer->request("DELETE", moves + "/" + QByteArray::number(id)).status, 409);
}

TEST_F(Transfers, ApplicantsAndActivistsTransferToo) {
    auto made = admin->send(
        "POST", "/api/v1/party.daily/applicants",
        QJsonObject{{QStringLiteral("name"), QStringLiteral("孙八")},
                    {QStringLiteral("idNumber"), party::daily::test::idNumber(QStringLiteral("19990101"), QStringLiteral("301"))},
                    {QStringLiteral("applicationDate"), QStringLiteral("2025-03-01")},
                    {QStringLiteral("unitId"), branchA}});
    ASSERT_EQ(made.status, 201) << made.body.toStdString();
    const qint64 applicant = made.json().value(QStringLiteral("id")).toInteger();
    auto both = start(*a, QJsonObject{{QStringLiteral("applicantId"), applicant}, {QStringLiteral("toUnitId"), branchB}});
    EXPECT_EQ(fieldsOf(both), QStringList{QStringLiteral("memberId")});
    auto neither = a->send("POST", "/api/v1/party.transfer/transfers",
                           QJsonObject{{QStringLiteral("kind"), QStringLiteral("within")},
                                       {QStringLiteral("toUnitId"), branchB},
                                       {QStringLiteral("startedOn"), today()}});
    EXPECT_TRUE(fieldsOf(neither).contains(QStringLiteral("memberId"))) << neither.body.toStdString();
    auto out = a->send("POST", "/api/v1/party.transfer/transfers",
                       QJsonObject{{QStringLiteral("applicantId"), applicant},
                                   {QStringLiteral("kind"), QStringLiteral("out")},
                                   {QStringLiteral("toOrgName"), QStringLiteral("某单位")},
                                   {QStringLiteral("duesPaidTo"), QStringLiteral("2026-11")},
                                   {QStringLiteral("startedOn"), today()}});
    EXPECT_EQ(fieldsOf(out), QStringList{QStringLiteral("kind")});
    auto started = a->send("POST", "/api/v1/party.transfer/transfers",
                           QJsonObject{{QStringLiteral("applicantId"), applicant},
                                       {QStringLiteral("kind"), QStringLiteral("within")},
                                       {QStringLiteral("toUnitId"), branchB},
                                       {QStringLiteral("startedOn"), today()}});
    ASSERT_EQ(started.status, 201) << started.body.toStdString();
    EXPECT_EQ(started.json().value(QStringLiteral("memberName")).toString(), QStringLiteral("孙八"));
    const qint64 id = started.json().value(QStringLiteral("id")).toInteger();
    ASSERT_EQ(b->send("POST", path(id, "/steps/confirm"), QJsonObject{}, ifMatch(1)).status, 200);
    auto moved = b->get("/api/v1/party.daily/applicants/" + QByteArray::number(applicant));
    ASSERT_EQ(moved.status, 200);
    EXPECT_EQ(moved.json().value(QStringLiteral("unitId")).toInteger(), branchB);
}

// 系统外转入: B's secretary records the letter another system's organisation wrote; a new
// member's card is created from its own form first, a member who once transferred out is
// brought back onto the roll.
TEST_F(Transfers, InFromOutsideTheSystemANewCardOrAFormerMemberBroughtBack) {
    const QByteArray intakes = "/api/v1/party.transfer/intakes";
    auto letter = [&](QJsonObject body) {
        for (auto [k, v] :
             {std::pair{"letterNo", QStringLiteral("2026第0815号")}, std::pair{"fromOrgName", QStringLiteral("中共某县委组织部")},
              std::pair{"arrivedOn", today()}, std::pair{"kind", QStringLiteral("member")}})
            if (!body.contains(QLatin1String(k))) body.insert(QLatin1String(k), v);
        return body;
    };
    // A new member: their card is made at B (the form's 新建), then the letter names it.
    auto created =
        b->send("POST", "/api/v1/party.daily/members", memberJson(QStringLiteral("王五"), branchB, QStringLiteral("19850303"), "201"));
    ASSERT_EQ(created.status, 201) << created.body.toStdString();
    const qint64 newcomer = created.json().value(QStringLiteral("id")).toInteger();
    auto received = b->send("POST", intakes,
                            letter({{QStringLiteral("memberId"), newcomer},
                                    {QStringLiteral("unitId"), branchB},
                                    {QStringLiteral("letterDate"), QDate::currentDate().addDays(-3).toString(Qt::ISODate)},
                                    {QStringLiteral("duesPaidTo"), QStringLiteral("2026-10")}}));
    ASSERT_EQ(received.status, 201) << received.body.toStdString();
    const qint64 intake = received.json().value(QStringLiteral("id")).toInteger();
    EXPECT_EQ(received.json().value(QStringLiteral("memberName")).toString(), QStringLiteral("王五"));
    // The same person is not received twice; nor is A's member, who is on a roll in the system.
    auto twice = b->send("POST", intakes, letter({{QStringLiteral("memberId"), newcomer}, {QStringLiteral("unitId"), branchB}}));
    EXPECT_EQ(fieldsOf(twice), QStringList{QStringLiteral("memberId")});
    EXPECT_TRUE(twice.body.contains("2026第0815号")) << twice.body.toStdString();
    admin->setLanguage("zh-CN");
    auto onARoll = admin->send("POST", intakes, letter({{QStringLiteral("memberId"), member}, {QStringLiteral("unitId"), branchB}}));
    EXPECT_EQ(fieldsOf(onARoll), QStringList{QStringLiteral("memberId")});
    EXPECT_TRUE(onARoll.body.contains("张三在机关党委/第一党支部在册，应办理系统内关系转接")) << onARoll.body.toStdString();
    // B cannot name A's member at all: the engine does not say it exists.
    EXPECT_EQ(fieldsOf(b->send("POST", intakes, letter({{QStringLiteral("memberId"), member}, {QStringLiteral("unitId"), branchB}}))),
              QStringList{QStringLiteral("memberId")});
    // Every rule on its field: the card's constraints first, then the transfer's rules.
    auto missing =
        b->send("POST", intakes, QJsonObject{{QStringLiteral("kind"), QStringLiteral("member")}, {QStringLiteral("unitId"), branchB}});
    EXPECT_EQ(fieldsOf(missing), (QStringList{QStringLiteral("letterNo"), QStringLiteral("fromOrgName"), QStringLiteral("arrivedOn")}))
        << missing.body.toStdString();
    auto bad = b->send("POST", intakes,
                       letter({{QStringLiteral("unitId"), branchB},
                               {QStringLiteral("letterDate"), today()},
                               {QStringLiteral("arrivedOn"), QDate::currentDate().addDays(-1).toString(Qt::ISODate)}}));
    EXPECT_EQ(fieldsOf(bad), (QStringList{QStringLiteral("arrivedOn"), QStringLiteral("memberId")})) << bad.body.toStdString();

    // The intake stays with who came and where: a PUT changes the letter's details only.
    auto edited = b->send("PUT", intakes + "/" + QByteArray::number(intake),
                          letter({{QStringLiteral("memberId"), member},
                                  {QStringLiteral("unitId"), branchC},
                                  {QStringLiteral("letterNo"), QStringLiteral("2026第0816号")}}),
                          ifMatch(1));
    ASSERT_EQ(edited.status, 200) << edited.body.toStdString();
    EXPECT_EQ(edited.json().value(QStringLiteral("memberId")).toInteger(), newcomer);
    EXPECT_EQ(edited.json().value(QStringLiteral("unitId")).toInteger(), branchB);
    EXPECT_EQ(edited.json().value(QStringLiteral("letterNo")).toString(), QStringLiteral("2026第0816号"));
    auto kept = b->request("DELETE", intakes + "/" + QByteArray::number(intake));
    EXPECT_EQ(kept.status, 409) << kept.body.toStdString();
    // C sees nothing of it; B prints the return slip for the organisation that wrote the letter.
    EXPECT_EQ(c->get(intakes + "/" + QByteArray::number(intake)).status, 404);
    EXPECT_EQ(c->get(intakes).json().value(QStringLiteral("total")).toInteger(), 0);
    auto slip = b->send("POST", intakes + "/" + QByteArray::number(intake) + "/documents/receipt", QJsonObject{});
    ASSERT_EQ(slip.status, 201) << slip.body.toStdString();
    const QString year = QString::number(QDate::currentDate().year());
    EXPECT_EQ(slip.json().value(QStringLiteral("number")).toString(), QStringLiteral("收%1第0001号").arg(year));
    for (const QString& part :
         {QStringLiteral("中共某县委组织部"), QStringLiteral("2026第0816号"), QStringLiteral("王五"), QStringLiteral("第二党支部")})
        EXPECT_TRUE(slip.json().value(QStringLiteral("html")).toString().contains(part)) << part.toStdString();
    // The member's card shows it among their transfers.
    b->setLanguage("zh-CN");
    auto sections = b->get("/api/v1/cards/party.daily/member/" + QByteArray::number(newcomer) + "/sections");
    EXPECT_TRUE(sections.body.contains("从系统外转入") && sections.body.contains("中共某县委组织部")) << sections.body.toStdString();

    // A member who transferred out of the system comes back to B: A's card, off the roll, is
    // brought back onto B's roll (by an officer whose scope holds both).
    auto leaving = [&](const QByteArray& at, QString reason) {
        QJsonObject body = admin->get(at).json();
        body.insert(QStringLiteral("leftDate"), QStringLiteral("2025-01-10"));
        body.insert(QStringLiteral("leftReason"), reason);
        return admin->send("PUT", at, body, ifMatch(body.value(QStringLiteral("version")).toInteger()));
    };
    auto away = leaving(memberPath(), QStringLiteral("transferred-out"));
    ASSERT_EQ(away.status, 200) << away.body.toStdString();
    auto back = admin->send("POST", intakes, letter({{QStringLiteral("memberId"), member}, {QStringLiteral("unitId"), branchB}}));
    ASSERT_EQ(back.status, 201) << back.body.toStdString();
    auto again = b->get(memberPath());
    ASSERT_EQ(again.status, 200) << "on B's roll now";
    EXPECT_TRUE(again.json().value(QStringLiteral("leftDate")).isNull()) << again.body.toStdString();
    EXPECT_TRUE(again.json().value(QStringLiteral("leftReason")).toString().isEmpty());
    EXPECT_EQ(b->get("/api/v1/party.daily/members?q=张三").json().value(QStringLiteral("total")).toInteger(), 1);
    // Someone who left the party otherwise is not brought back by a letter.
    const qint64 died = newMember(QStringLiteral("赵六"), branchA, QStringLiteral("401"));
    ASSERT_EQ(leaving("/api/v1/party.daily/members/" + QByteArray::number(died), QStringLiteral("died")).status, 200);
    auto refused = admin->send("POST", intakes, letter({{QStringLiteral("memberId"), died}, {QStringLiteral("unitId"), branchB}}));
    EXPECT_EQ(fieldsOf(refused), QStringList{QStringLiteral("memberId")});
    EXPECT_TRUE(refused.body.contains("不能办理转入")) << refused.body.toStdString();

    // An applicant comes in too, their card made at B.
    auto applicant =
        b->send("POST", "/api/v1/party.daily/applicants",
                QJsonObject{{QStringLiteral("name"), QStringLiteral("孙八")},
                            {QStringLiteral("idNumber"), party::daily::test::idNumber(QStringLiteral("19990101"), QStringLiteral("301"))},
                            {QStringLiteral("applicationDate"), QStringLiteral("2025-03-01")},
                            {QStringLiteral("unitId"), branchB}});
    ASSERT_EQ(applicant.status, 201) << applicant.body.toStdString();
    auto mismatched = b->send(
        "POST", intakes,
        letter({{QStringLiteral("applicantId"), applicant.json().value(QStringLiteral("id"))}, {QStringLiteral("unitId"), branchB}}));
    EXPECT_EQ(fieldsOf(mismatched), (QStringList{QStringLiteral("applicantId"), QStringLiteral("memberId")}))
        << mismatched.body.toStdString();
    auto applicantIn = b->send("POST", intakes,
                               letter({{QStringLiteral("kind"), QStringLiteral("applicant")},
                                       {QStringLiteral("applicantId"), applicant.json().value(QStringLiteral("id"))},
                                       {QStringLiteral("unitId"), branchB}}));
    ASSERT_EQ(applicantIn.status, 201) << applicantIn.body.toStdString();
    EXPECT_EQ(applicantIn.json().value(QStringLiteral("memberName")).toString(), QStringLiteral("孙八"));
}

// An import names the receiving organisation anywhere in the tree, as the form does; the
// sending one stays the member's, within the importer's scope.
TEST_F(Transfers, AnImportNamesTheReceiverAnywhereInTheTree) {
    auto import = [&](const QString& text) {
        auto up = a->request("POST", "/api/v1/files?name=transfers.csv", text.toUtf8());
        EXPECT_EQ(up.status, 201) << up.body.toStdString();
        auto started = a->send("POST", "/api/v1/party.transfer/transfers/import",
                               QJsonObject{{QStringLiteral("file"), up.json().value(QStringLiteral("id"))}});
        EXPECT_EQ(started.status, 202) << started.body.toStdString();
        return tessera::test::waitForJob(*a, started.json().value(QStringLiteral("href")).toString().toUtf8())
            .value(QStringLiteral("result"))
            .toObject();
    };
    const QString header = QStringLiteral("党员,转接类型,转入党组织,转出日期\n");
    const QJsonObject nowhere = import(header + QStringLiteral("张三,系统内转出,不存在的支部,%1\n").arg(today()));
    EXPECT_FALSE(nowhere.value(QStringLiteral("committed")).toBool());
    ASSERT_EQ(nowhere.value(QStringLiteral("errors")).toArray().size(), 1) << QJsonDocument(nowhere).toJson().toStdString();
    EXPECT_EQ(nowhere.value(QStringLiteral("errors")).toArray()[0].toObject().value(QStringLiteral("column")).toString(),
              QStringLiteral("转入党组织"));
    const QJsonObject done = import(header + QStringLiteral("张三,系统内转出,北区党支部,%1\n").arg(today()));
    EXPECT_TRUE(done.value(QStringLiteral("committed")).toBool()) << QJsonDocument(done).toJson().toStdString();
    EXPECT_EQ(done.value(QStringLiteral("created")).toInt(), 1);
    const QJsonArray mine = c->get("/api/v1/todo").json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(mine.size(), 1) << "C, outside A's scope, receives it";
    EXPECT_EQ(mine[0].toObject().value(QStringLiteral("title")).toString(), QStringLiteral("张三"));
}
