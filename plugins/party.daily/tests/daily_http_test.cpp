// party.daily over real HTTP: organisations (with their units), members and applicants,
// each rule with its error, scoping, and the refusal to delete an organisation in use.

#include "daily_test_support.hpp"

#include <QJsonArray>
#include <QUrl>

#include <gtest/gtest.h>

using namespace tessera::test;
using party::daily::test::idNumber;

namespace {

QStringList fieldsIn(const HttpReply& r) {
    QStringList fields;
    for (const auto& e : r.json().value(QStringLiteral("errors")).toArray()) fields << e.toObject().value(QStringLiteral("field")).toString();
    return fields;
}
class Daily : public party::daily::test::PartyDailyHost {
protected:

    qint64 createOrg(const QString& fullName, qint64 parent, const QString& type = QStringLiteral("branch")) {
        auto r = admin->send("POST", "/api/v1/party.daily/orgs",
                             QJsonObject{{QStringLiteral("fullName"), fullName}, {QStringLiteral("orgType"), type},
                                         {QStringLiteral("parentId"), parent}, {QStringLiteral("setupDate"), QStringLiteral("2010-07-01")}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }
    QJsonObject member(const QString& name, qint64 unit, const QString& birth = QStringLiteral("19800101"),
                       const QString& sequence = QStringLiteral("123")) {
        return party::daily::test::memberJson(name, unit, birth, sequence);
    }
    qint64 createMember(const QJsonObject& m) {
        auto r = admin->send("POST", "/api/v1/party.daily/members", m);
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }

};

}  // namespace

TEST_F(Daily, AnOrganisationIsAUnitWithItsCard) {
    const qint64 org = createOrg(QStringLiteral("中共某某公司第一支部委员会"), root);
    auto unit = admin->get("/api/v1/units/" + QByteArray::number(org));
    ASSERT_EQ(unit.status, 200);
    EXPECT_EQ(unit.json().value(QStringLiteral("name")).toString(), QStringLiteral("中共某某公司第一支部委员会"));
    auto card = admin->get("/api/v1/party.daily/orgs/" + QByteArray::number(org));
    ASSERT_EQ(card.status, 200);
    EXPECT_EQ(card.json().value(QStringLiteral("orgType")).toString(), QStringLiteral("branch"));
    EXPECT_EQ(card.json().value(QStringLiteral("parentId")).toInteger(), root);
    EXPECT_EQ(card.json().value(QStringLiteral("status")).toString(), QStringLiteral("normal"));
    EXPECT_EQ(card.header("ETag"), "\"1\"");

    // The short name renames the unit; a stale version is refused.
    QJsonObject changed = card.json();
    changed.insert(QStringLiteral("shortName"), QStringLiteral("第一支部"));
    for (const char* k : {"id", "version", "createdAt", "updatedAt"}) changed.remove(QLatin1String(k));
    auto put = admin->send("PUT", "/api/v1/party.daily/orgs/" + QByteArray::number(org), changed, {{"If-Match", "\"1\""}});
    ASSERT_EQ(put.status, 200) << put.body.toStdString();
    EXPECT_EQ(admin->get("/api/v1/units/" + QByteArray::number(org)).json().value(QStringLiteral("name")).toString(), QStringLiteral("第一支部"));
    EXPECT_EQ(admin->send("PUT", "/api/v1/party.daily/orgs/" + QByteArray::number(org), changed, {{"If-Match", "\"1\""}}).status, 412);
}

TEST_F(Daily, OrganisationRulesAreCheckedFieldByField) {
    auto r = admin->send("POST", "/api/v1/party.daily/orgs",
                         QJsonObject{{QStringLiteral("fullName"), QStringLiteral("x")}, {QStringLiteral("orgType"), QStringLiteral("club")},
                                     {QStringLiteral("status"), QStringLiteral("dissolved")}, {QStringLiteral("parentId"), 999999}});
    ASSERT_EQ(r.status, 422);
    EXPECT_EQ(fieldsIn(r), (QStringList{QStringLiteral("orgType"), QStringLiteral("parentId")}));
    EXPECT_EQ(messageOf(r, QStringLiteral("orgType")), QStringLiteral("'club' is not a code of the dictionary org-type"));
    // The organisation's own rules come once the card's checks pass: a dissolved one needs its date.
    auto dissolved = admin->send("POST", "/api/v1/party.daily/orgs",
                                 QJsonObject{{QStringLiteral("fullName"), QStringLiteral("x")}, {QStringLiteral("orgType"), QStringLiteral("branch")},
                                             {QStringLiteral("status"), QStringLiteral("dissolved")}, {QStringLiteral("parentId"), root},
                                             {QStringLiteral("setupDate"), QStringLiteral("2030-01-01")}});
    ASSERT_EQ(dissolved.status, 422);
    EXPECT_EQ(fieldsIn(dissolved), QStringList{QStringLiteral("setupDate")}) << "not in the future: the card says so";
    auto undated = admin->send("POST", "/api/v1/party.daily/orgs",
                               QJsonObject{{QStringLiteral("fullName"), QStringLiteral("x")}, {QStringLiteral("orgType"), QStringLiteral("branch")},
                                           {QStringLiteral("status"), QStringLiteral("dissolved")}, {QStringLiteral("parentId"), root}});
    ASSERT_EQ(undated.status, 422);
    EXPECT_EQ(fieldsIn(undated), QStringList{QStringLiteral("dissolvedDate")});
    // A code is unique among organisations.
    auto first = admin->send("POST", "/api/v1/party.daily/orgs",
                             QJsonObject{{QStringLiteral("fullName"), QStringLiteral("甲")}, {QStringLiteral("orgType"), QStringLiteral("branch")},
                                         {QStringLiteral("code"), QStringLiteral("C001")}, {QStringLiteral("parentId"), root}});
    ASSERT_EQ(first.status, 201) << first.body.toStdString();
    auto second = admin->send("POST", "/api/v1/party.daily/orgs",
                              QJsonObject{{QStringLiteral("fullName"), QStringLiteral("乙")}, {QStringLiteral("orgType"), QStringLiteral("branch")},
                                          {QStringLiteral("code"), QStringLiteral("C001")}, {QStringLiteral("parentId"), root}});
    EXPECT_EQ(second.status, 422) << second.body.toStdString();
    EXPECT_EQ(fieldsIn(second), QStringList{QStringLiteral("code")});
    EXPECT_EQ(admin->get("/api/v1/units?parent=" + QByteArray::number(root)).json().value(QStringLiteral("items")).toArray().size(), 1)
        << "the refused organisation left no unit behind";
}

TEST_F(Daily, MembersAreListedInPinyinOrderAndFilteredByCategoryAndSubtree) {
    const qint64 a = createOrg(QStringLiteral("甲支部"), root);
    const qint64 b = createOrg(QStringLiteral("乙支部"), root);
    createMember(member(QStringLiteral("赵敏"), a, QStringLiteral("19800101"), QStringLiteral("121")));
    createMember(member(QStringLiteral("阿依古丽"), b, QStringLiteral("19800102"), QStringLiteral("122")));
    QJsonObject probationary = member(QStringLiteral("李娜"), a, QStringLiteral("19800103"), QStringLiteral("124"));
    probationary.insert(QStringLiteral("category"), QStringLiteral("probationary"));
    probationary.remove(QStringLiteral("fullDate"));
    createMember(probationary);
    auto names = [](const HttpReply& r) {
        QStringList out;
        for (const auto& i : r.json().value(QStringLiteral("items")).toArray()) out << i.toObject().value(QStringLiteral("name")).toString();
        return out;
    };
    EXPECT_EQ(names(admin->get("/api/v1/party.daily/members")),
              (QStringList{QStringLiteral("阿依古丽"), QStringLiteral("李娜"), QStringLiteral("赵敏")}));
    EXPECT_EQ(names(admin->get("/api/v1/party.daily/members?unit=" + QByteArray::number(a))),
              (QStringList{QStringLiteral("李娜"), QStringLiteral("赵敏")}));
    EXPECT_EQ(names(admin->get("/api/v1/party.daily/members?category=probationary")), QStringList{QStringLiteral("李娜")});
    EXPECT_EQ(names(admin->get("/api/v1/party.daily/members?gender=2")), (QStringList{QStringLiteral("阿依古丽"), QStringLiteral("李娜")}))
        << "17th digits 2 and 4: women";
    EXPECT_EQ(names(admin->get("/api/v1/party.daily/members?q=" + QUrl::toPercentEncoding(QStringLiteral("赵")))), QStringList{QStringLiteral("赵敏")});
    EXPECT_EQ(admin->get("/api/v1/party.daily/members?category=x").status, 422);
}

TEST_F(Daily, EveryMemberRuleGivesItsFieldError) {
    const qint64 a = createOrg(QStringLiteral("甲支部"), root);
    QJsonObject bad = member(QStringLiteral("张三"), a);
    bad.insert(QStringLiteral("idNumber"), QStringLiteral("110105198001011230"));
    auto r = admin->send("POST", "/api/v1/party.daily/members", bad);
    ASSERT_EQ(r.status, 422);
    EXPECT_EQ(fieldsIn(r), QStringList{QStringLiteral("idNumber")});
    EXPECT_TRUE(messageOf(r, QStringLiteral("idNumber")).contains(QStringLiteral("probably mistyped"))) << r.body.toStdString();

    bad = member(QStringLiteral("张三"), a);
    bad.insert(QStringLiteral("ethnicity"), QStringLiteral("99"));
    bad.insert(QStringLiteral("category"), QStringLiteral("probationary"));
    bad.insert(QStringLiteral("birthDate"), QStringLiteral("1980-02-01"));
    bad.insert(QStringLiteral("awards"), QJsonArray{QJsonObject{{QStringLiteral("date"), QStringLiteral("2019-01-01")}, {QStringLiteral("kind"), QStringLiteral("award")}}});
    bad.insert(QStringLiteral("shoeSize"), 42);
    r = admin->send("POST", "/api/v1/party.daily/members", bad);
    ASSERT_EQ(r.status, 422);
    EXPECT_EQ(fieldsIn(r), (QStringList{QStringLiteral("shoeSize"), QStringLiteral("ethnicity"), QStringLiteral("awards[0].title")}))
        << "the card's own checks first";
    // The domain rules check a card that passed the card's checks.
    bad.remove(QStringLiteral("shoeSize"));
    bad.insert(QStringLiteral("ethnicity"), QStringLiteral("01"));
    bad.remove(QStringLiteral("awards"));
    r = admin->send("POST", "/api/v1/party.daily/members", bad);
    ASSERT_EQ(r.status, 422);
    EXPECT_EQ(fieldsIn(r), (QStringList{QStringLiteral("birthDate"), QStringLiteral("fullDate")}));
    EXPECT_EQ(admin->get("/api/v1/party.daily/members").json().value(QStringLiteral("total")).toInt(), 0) << "nothing stored";

    // ID numbers are unique: the second member with the same number is refused.
    createMember(member(QStringLiteral("张三"), a));
    r = admin->send("POST", "/api/v1/party.daily/members", member(QStringLiteral("张三三"), a));
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(fieldsIn(r), QStringList{QStringLiteral("idNumber")});
    EXPECT_TRUE(messageOf(r, QStringLiteral("idNumber")).startsWith(QStringLiteral("'%1' is already used by 张三 (编号 ").arg(idNumber(QStringLiteral("19800101")))))
        << messageOf(r, QStringLiteral("idNumber")).toStdString();
}

TEST_F(Daily, AMemberDerivesBirthDateAndGenderFromTheIdAndKeepsItsSubforms) {
    const qint64 a = createOrg(QStringLiteral("甲支部"), root);
    QJsonObject m = member(QStringLiteral("王芳"), a, QStringLiteral("19850315"), QStringLiteral("128"));
    m.insert(QStringLiteral("family"), QJsonArray{QJsonObject{{QStringLiteral("relation"), QStringLiteral("母亲")}, {QStringLiteral("name"), QStringLiteral("李秀英")}}});
    m.insert(QStringLiteral("lostContact"), false);
    const qint64 id = createMember(m);
    auto got = admin->get("/api/v1/party.daily/members/" + QByteArray::number(id));
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(got.json().value(QStringLiteral("birthDate")).toString(), QStringLiteral("1985-03-15"));
    EXPECT_EQ(got.json().value(QStringLiteral("gender")).toString(), QStringLiteral("2"));
    EXPECT_EQ(got.json().value(QStringLiteral("status")).toString(), QStringLiteral("normal"));
    EXPECT_EQ(got.json().value(QStringLiteral("family")).toArray().at(0).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("李秀英"));
    EXPECT_FALSE(got.json().value(QStringLiteral("lostContact")).toBool());
}

TEST_F(Daily, AnApplicantIsAtLeast18OnTheApplicationDate) {
    const qint64 a = createOrg(QStringLiteral("甲支部"), root);
    auto r = admin->send("POST", "/api/v1/party.daily/applicants",
                         QJsonObject{{QStringLiteral("name"), QStringLiteral("小明")}, {QStringLiteral("idNumber"), idNumber(QStringLiteral("20080601"))},
                                     {QStringLiteral("applicationDate"), QStringLiteral("2026-05-31")}, {QStringLiteral("unitId"), a}});
    // 2026-05-31 lies after "today" only if the clock says so; the age rule is what is tested here.
    ASSERT_EQ(r.status, 422) << r.body.toStdString();
    EXPECT_TRUE(messageOf(r, QStringLiteral("applicationDate")).contains(QStringLiteral("one applies at 18 or older")) ||
                messageOf(r, QStringLiteral("applicationDate")).contains(QStringLiteral("in the future")));
    r = admin->send("POST", "/api/v1/party.daily/applicants",
                    QJsonObject{{QStringLiteral("name"), QStringLiteral("小明")}, {QStringLiteral("idNumber"), idNumber(QStringLiteral("20060601"))},
                                {QStringLiteral("applicationDate"), QStringLiteral("2024-05-31")}, {QStringLiteral("unitId"), a}});
    ASSERT_EQ(r.status, 422);
    EXPECT_EQ(messageOf(r, QStringLiteral("applicationDate")), QStringLiteral("on 2024-05-31 the applicant was 17; one applies at 18 or older"));
    r = admin->send("POST", "/api/v1/party.daily/applicants",
                    QJsonObject{{QStringLiteral("name"), QStringLiteral("小明")}, {QStringLiteral("idNumber"), idNumber(QStringLiteral("20060601"))},
                                {QStringLiteral("applicationDate"), QStringLiteral("2024-06-01")}, {QStringLiteral("unitId"), a}});
    EXPECT_EQ(r.status, 201) << r.body.toStdString();
}

TEST_F(Daily, AnOrganisationWithMembersOrChildrenIsNotDeletedAndTheRefusalNamesThem) {
    const qint64 a = createOrg(QStringLiteral("甲党委"), root, QStringLiteral("committee"));
    const qint64 a1 = createOrg(QStringLiteral("甲一支部"), a);
    const qint64 m = createMember(member(QStringLiteral("张三"), a1));
    auto refused = admin->request("DELETE", "/api/v1/party.daily/orgs/" + QByteArray::number(a1));
    EXPECT_EQ(refused.status, 409);
    EXPECT_TRUE(refused.json().value(QStringLiteral("detail")).toString().contains(QStringLiteral("records of Member card: 1"))) << refused.body.toStdString();
    EXPECT_EQ(admin->get("/api/v1/party.daily/orgs/" + QByteArray::number(a1)).status, 200) << "the card is still there";
    // Through the host's unit API too.
    auto viaUnits = admin->request("DELETE", "/api/v1/units/" + QByteArray::number(a1));
    EXPECT_EQ(viaUnits.status, 409);
    EXPECT_TRUE(viaUnits.json().value(QStringLiteral("detail")).toString().contains(QStringLiteral("records of Member card: 1"))) << viaUnits.body.toStdString();
    // The parent has a child organisation.
    EXPECT_EQ(admin->request("DELETE", "/api/v1/party.daily/orgs/" + QByteArray::number(a)).status, 409);

    ASSERT_EQ(admin->request("DELETE", "/api/v1/party.daily/members/" + QByteArray::number(m)).status, 204);
    EXPECT_EQ(admin->request("DELETE", "/api/v1/party.daily/orgs/" + QByteArray::number(a1)).status, 204);
    EXPECT_EQ(admin->get("/api/v1/units/" + QByteArray::number(a1)).status, 404);
    EXPECT_EQ(admin->request("DELETE", "/api/v1/party.daily/orgs/" + QByteArray::number(a)).status, 204);
}

TEST_F(Daily, RecordsOfAnotherBranchAreInvisible) {
    const qint64 a = createOrg(QStringLiteral("甲支部"), root);
    const qint64 b = createOrg(QStringLiteral("乙支部"), root);
    const qint64 mb = createMember(member(QStringLiteral("李四"), b));
    HttpClient officer = host->anonymousClient();
    officer.setDefaultHeader("Authorization", "Bearer " + host->userToken(QStringLiteral("officer-a"), QStringLiteral("admin"), QStringLiteral("subtree"), a));
    EXPECT_EQ(officer.get("/api/v1/party.daily/members/" + QByteArray::number(mb)).status, 404);
    EXPECT_EQ(officer.get("/api/v1/party.daily/orgs/" + QByteArray::number(b)).status, 404);
    EXPECT_EQ(officer.get("/api/v1/party.daily/members").json().value(QStringLiteral("total")).toInt(), 0);
    EXPECT_EQ(officer.request("DELETE", "/api/v1/party.daily/members/" + QByteArray::number(mb)).status, 404);
    auto intoB = officer.send("POST", "/api/v1/party.daily/members", member(QStringLiteral("王五"), b, QStringLiteral("19800105")));
    EXPECT_EQ(intoB.status, 422);
    EXPECT_EQ(fieldsIn(intoB), QStringList{QStringLiteral("unitId")});
    // A duplicate ID number in the other branch is refused without naming whose it is.
    auto dup = officer.send("POST", "/api/v1/party.daily/members", member(QStringLiteral("李四四"), a));
    EXPECT_EQ(dup.status, 422);
    EXPECT_FALSE(dup.body.contains("李四")) << dup.body.toStdString();
}

TEST_F(Daily, CountsMembersOfASubtreeByCategoryGenderAgeEducationAndEthnicity) {
    const qint64 a = createOrg(QStringLiteral("甲党委"), root, QStringLiteral("committee"));
    const qint64 a1 = createOrg(QStringLiteral("甲一支部"), a);
    const qint64 b = createOrg(QStringLiteral("乙支部"), root);
    createMember(member(QStringLiteral("赵一"), a1, QStringLiteral("19800101"), QStringLiteral("111")));  // man
    QJsonObject second = member(QStringLiteral("钱二"), a1, QStringLiteral("19800202"), QStringLiteral("112"));  // woman
    second.insert(QStringLiteral("ethnicity"), QStringLiteral("03"));
    second.insert(QStringLiteral("education"), QStringLiteral("14"));  // 硕士研究生毕业 -> 研究生
    second.insert(QStringLiteral("category"), QStringLiteral("probationary"));
    second.remove(QStringLiteral("fullDate"));
    createMember(second);
    createMember(member(QStringLiteral("孙三"), b, QStringLiteral("19800303"), QStringLiteral("113")));
    auto counts = [&](const QByteArray& dimension, qint64 unit) {
        auto r = admin->get("/api/v1/party.daily/members/counts/" + dimension + "?unit=" + QByteArray::number(unit));
        EXPECT_EQ(r.status, 200) << r.body.toStdString();
        QStringList out;
        for (const auto& i : r.json().value(QStringLiteral("items")).toArray())
            out << QStringLiteral("%1=%2").arg(i.toObject().value(QStringLiteral("label")).toString()).arg(i.toObject().value(QStringLiteral("value")).toInt());
        return out;
    };
    EXPECT_EQ(counts("category", a), (QStringList{QStringLiteral("正式党员=1"), QStringLiteral("预备党员=1")}));
    EXPECT_EQ(counts("gender", a), (QStringList{QStringLiteral("男=1"), QStringLiteral("女=1")}));
    EXPECT_EQ(counts("ethnicity", a), (QStringList{QStringLiteral("汉族=1"), QStringLiteral("回族=1")}));
    EXPECT_EQ(counts("education", a), (QStringList{QStringLiteral("研究生=1"), QStringLiteral("大学本科=1")}));
    EXPECT_EQ(counts("category", root), (QStringList{QStringLiteral("正式党员=2"), QStringLiteral("预备党员=1")}));
    EXPECT_EQ(counts("category", b), (QStringList{QStringLiteral("正式党员=1"), QStringLiteral("预备党员=0")}));
    // Ages as of today: all three were born in 1980, so they share one band.
    const QStringList ages = counts("age", root);
    EXPECT_EQ(ages.size(), 9);
    EXPECT_EQ(ages.filter(QStringLiteral("=3")).size(), 1) << ages.join(QLatin1Char(' ')).toStdString();
    EXPECT_EQ(admin->get("/api/v1/party.daily/members/counts/shoe-size").status, 404);
}

TEST_F(Daily, TheRootGetsItsCardWithoutAParentAndVersionsAndUnitsAreChecked) {
    // The root (made by the host) has no card yet: PUT gives it one, without a parentId.
    auto root_card = admin->send("PUT", "/api/v1/party.daily/orgs/" + QByteArray::number(root),
                                 QJsonObject{{QStringLiteral("fullName"), QStringLiteral("中共某某省委员会")}, {QStringLiteral("orgType"), QStringLiteral("committee")}});
    ASSERT_EQ(root_card.status, 201) << root_card.body.toStdString();
    // A stale "version" in the body is 409 (If-Match would be 412); a bad one is a field error.
    QJsonObject again{{QStringLiteral("fullName"), QStringLiteral("中共某某省委")}, {QStringLiteral("orgType"), QStringLiteral("committee")},
                      {QStringLiteral("version"), 7}};
    EXPECT_EQ(admin->send("PUT", "/api/v1/party.daily/orgs/" + QByteArray::number(root), again).status, 409);
    again.insert(QStringLiteral("version"), 1.5);
    auto bad = admin->send("PUT", "/api/v1/party.daily/orgs/" + QByteArray::number(root), again);
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(fieldsIn(bad), QStringList{QStringLiteral("version")});
    // The root cannot be deleted: a refusal, not an error.
    EXPECT_EQ(admin->request("DELETE", "/api/v1/party.daily/orgs/" + QByteArray::number(root)).status, 409);
    // A unit that does not exist is a field error, also for an administrator whose scope is "all".
    auto nowhere = admin->send("POST", "/api/v1/party.daily/members", member(QStringLiteral("张三"), 999999));
    EXPECT_EQ(nowhere.status, 422);
    EXPECT_EQ(fieldsIn(nowhere), QStringList{QStringLiteral("unitId")});
    // Deleting with a stale If-Match is refused.
    const qint64 a = createOrg(QStringLiteral("甲支部"), root);
    EXPECT_EQ(admin->request("DELETE", "/api/v1/party.daily/orgs/" + QByteArray::number(a), {}, {{"If-Match", "\"9\""}}).status, 412);
    EXPECT_EQ(admin->request("DELETE", "/api/v1/party.daily/orgs/" + QByteArray::number(a), {}, {{"If-Match", "\"1\""}}).status, 204);
}

TEST_F(Daily, TheOrganisationCardShowsItsMembersAndTheBranchWarnings) {
    const qint64 branch = createOrg(QStringLiteral("中共某单位第一支部委员会"), root);
    auto section = [&]() {
        auto r = admin->get("/api/v1/cards/party.daily/org/" + QByteArray::number(branch) + "/sections");
        EXPECT_EQ(r.status, 200) << r.body.toStdString();
        for (const auto& s : r.json().value(QStringLiteral("items")).toArray())
            if (s.toObject().value(QStringLiteral("id")).toString() == QLatin1String("org-checks")) {
                QStringList rows;
                for (const auto& row : s.toObject().value(QStringLiteral("rows")).toArray())
                    rows << row.toObject().value(QStringLiteral("item")).toString() + QLatin1Char(':') + row.toObject().value(QStringLiteral("value")).toString();
                return rows;
            }
        ADD_FAILURE() << "no org-checks section: " << r.body.toStdString();
        return QStringList{};
    };
    createMember(member(QStringLiteral("甲"), branch, QStringLiteral("19800101"), QStringLiteral("111")));
    createMember(member(QStringLiteral("乙"), branch, QStringLiteral("19800101"), QStringLiteral("113")));
    QStringList rows = section();
    ASSERT_EQ(rows.size(), 3) << rows.join(QLatin1Char('\n')).toStdString();
    EXPECT_EQ(rows[0], QStringLiteral("正式党员:2人"));
    EXPECT_EQ(rows[1], QStringLiteral("预备党员:0人"));
    EXPECT_TRUE(rows[2].startsWith(QStringLiteral("提醒:党支部应有正式党员3人以上（现有2人）"))) << rows[2].toStdString();
    for (int i = 0; i < 5; ++i) createMember(member(QStringLiteral("丙"), branch, QStringLiteral("19800102"), QStringLiteral("11%1").arg(i * 2 + 1)));
    rows = section();
    ASSERT_EQ(rows.size(), 3) << rows.join(QLatin1Char('\n')).toStdString();
    EXPECT_TRUE(rows[2].startsWith(QStringLiteral("提醒:正式党员7人以上（现有7人）的党支部应设立支部委员会"))) << rows[2].toStdString();
}

TEST_F(Daily, ACursorWalksTheWholeListInTheOrderOfThePages) {
    const qint64 a = createOrg(QStringLiteral("甲支部"), root);
    const QStringList names{QStringLiteral("赵一"), QStringLiteral("钱二"), QStringLiteral("孙三"), QStringLiteral("李四"), QStringLiteral("周五")};
    for (int i = 0; i < names.size(); ++i)
        createMember(member(names[i], a, QStringLiteral("1980010%1").arg(i + 1), QStringLiteral("1%1%2").arg(i).arg(1)));
    auto namesOf = [](const QJsonObject& page) {
        QStringList out;
        for (const auto& i : page.value(QStringLiteral("items")).toArray()) out << i.toObject().value(QStringLiteral("name")).toString();
        return out;
    };
    QStringList byPages;
    for (int page = 1; page <= 3; ++page) byPages << namesOf(admin->get("/api/v1/party.daily/members?size=2&page=" + QByteArray::number(page)).json());
    QStringList byCursor;
    QJsonObject page = admin->get("/api/v1/party.daily/members?size=2").json();
    byCursor << namesOf(page);
    int pages = 1;
    while (!page.value(QStringLiteral("next")).isNull() && pages < 10) {
        auto r = admin->get("/api/v1/party.daily/members?size=2&cursor=" + page.value(QStringLiteral("next")).toString().toLatin1());
        ASSERT_EQ(r.status, 200) << r.body.toStdString();
        page = r.json();
        EXPECT_FALSE(page.contains(QStringLiteral("total"))) << "a cursor page counts nothing";
        byCursor << namesOf(page);
        ++pages;
    }
    EXPECT_EQ(byPages.size(), 5);
    EXPECT_EQ(byCursor, byPages);
    EXPECT_EQ(pages, 3);
    EXPECT_EQ(admin->get("/api/v1/party.daily/members?cursor=not-a-cursor").status, 422);
    EXPECT_EQ(admin->get("/api/v1/party.daily/members?page=2&cursor=" + admin->get("/api/v1/party.daily/members?size=2").json()
                                                                            .value(QStringLiteral("next")).toString().toLatin1()).status,
              422);
}

TEST_F(Daily, EveryCardFieldFiltersTheListAndAMistypedFilterIsRefused) {
    const qint64 a = createOrg(QStringLiteral("甲支部"), root);
    QJsonObject zhang = member(QStringLiteral("张三"), a, QStringLiteral("19800101"), QStringLiteral("111"));
    zhang.insert(QStringLiteral("ethnicity"), QStringLiteral("03"));
    zhang.insert(QStringLiteral("nativePlace"), QStringLiteral("湖南长沙"));
    zhang.insert(QStringLiteral("lostContact"), true);
    zhang.insert(QStringLiteral("lostContactDate"), QStringLiteral("2020-01-01"));
    createMember(zhang);
    QJsonObject li = member(QStringLiteral("李四"), a, QStringLiteral("19850101"), QStringLiteral("131"));
    li.insert(QStringLiteral("joinDate"), QStringLiteral("2010-07-01"));
    li.insert(QStringLiteral("fullDate"), QStringLiteral("2011-07-01"));
    li.insert(QStringLiteral("education"), QStringLiteral("31"));
    createMember(li);
    auto names = [&](const QByteArray& query) {
        auto r = admin->get("/api/v1/party.daily/members?" + query);
        EXPECT_EQ(r.status, 200) << query.toStdString() << ": " << r.body.toStdString();
        QStringList out;
        for (const auto& i : r.json().value(QStringLiteral("items")).toArray()) out << i.toObject().value(QStringLiteral("name")).toString();
        return out;
    };
    EXPECT_EQ(names("ethnicity=03"), QStringList{QStringLiteral("张三")});
    EXPECT_EQ(names("education=21,31"), (QStringList{QStringLiteral("李四"), QStringLiteral("张三")}));
    EXPECT_EQ(names("education=31"), QStringList{QStringLiteral("李四")});
    EXPECT_EQ(names("nativePlace=" + QUrl::toPercentEncoding(QStringLiteral("长沙"))), QStringList{QStringLiteral("张三")});
    EXPECT_EQ(names("lostContact=true"), QStringList{QStringLiteral("张三")});
    EXPECT_EQ(names("lostContact=false"), QStringList{QStringLiteral("李四")});
    EXPECT_EQ(names("joinDateFrom=2008-01-01"), QStringList{QStringLiteral("李四")});
    EXPECT_EQ(names("joinDateTo=2008-01-01"), QStringList{QStringLiteral("张三")});
    EXPECT_EQ(names("birthDate=1985-01-01&category=formal"), QStringList{QStringLiteral("李四")});
    for (const QByteArray& bad : {QByteArray("categroy=formal"), QByteArray("ethnicity=99"), QByteArray("joinDateFrom=2008"),
                                 QByteArray("lostContact=yes"), QByteArray("awards=x"), QByteArray("nameFrom=a")}) {
        auto r = admin->get("/api/v1/party.daily/members?" + bad);
        EXPECT_EQ(r.status, 422) << bad.toStdString() << ": " << r.body.toStdString();
    }
    EXPECT_TRUE(messageOf(admin->get("/api/v1/party.daily/members?categroy=formal"), QStringLiteral("categroy")).contains(QStringLiteral("is not a parameter here")));
    // Organisations filter by their fields too.
    const qint64 committee = createOrg(QStringLiteral("某党委"), root, QStringLiteral("committee"));
    auto orgs = admin->get("/api/v1/party.daily/orgs?orgType=committee").json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(orgs.size(), 1);
    EXPECT_EQ(orgs.first().toObject().value(QStringLiteral("id")).toInteger(), committee);
}

TEST_F(Daily, AMemberWhoLeavesIsRecordedAsADecreaseAndStaysAsHistory) {
    const qint64 a = createOrg(QStringLiteral("甲支部"), root);
    const qint64 stays = createMember(member(QStringLiteral("留任"), a, QStringLiteral("19800101"), QStringLiteral("111")));
    const qint64 leaves = createMember(member(QStringLiteral("减员"), a, QStringLiteral("19800102"), QStringLiteral("113")));
    (void)stays;
    const QByteArray href = "/api/v1/party.daily/members/" + QByteArray::number(leaves);
    auto edit = [&](const QJsonObject& changes) {
        auto card = admin->get(href);
        QJsonObject body = card.json();
        for (const char* k : {"id", "version", "createdAt", "updatedAt"}) body.remove(QLatin1String(k));
        for (auto it = changes.begin(); it != changes.end(); ++it) body.insert(it.key(), it.value());
        return admin->send("PUT", href, body, {{"If-Match", card.header("ETag")}});
    };
    // A reason without its date, a date before joining: refused on the field.
    auto noDate = edit({{QStringLiteral("leftReason"), QStringLiteral("died")}});
    EXPECT_EQ(noDate.status, 422);
    EXPECT_EQ(fieldsIn(noDate), QStringList{QStringLiteral("leftDate")});
    auto early = edit({{QStringLiteral("leftReason"), QStringLiteral("died")}, {QStringLiteral("leftDate"), QStringLiteral("2001-01-01")}});
    EXPECT_EQ(early.status, 422);
    EXPECT_EQ(fieldsIn(early), QStringList{QStringLiteral("leftDate")});
    auto left = edit({{QStringLiteral("leftReason"), QStringLiteral("transferred-out")}, {QStringLiteral("leftDate"), QStringLiteral("2020-03-01")}});
    ASSERT_EQ(left.status, 200) << left.body.toStdString();

    auto names = [&](const QByteArray& query) {
        QStringList out;
        for (const auto& i : admin->get("/api/v1/party.daily/members?" + query).json().value(QStringLiteral("items")).toArray())
            out << i.toObject().value(QStringLiteral("name")).toString();
        return out;
    };
    EXPECT_EQ(names(""), QStringList{QStringLiteral("留任")}) << "the roll shows who is on it";
    EXPECT_EQ(names("roll=former"), QStringList{QStringLiteral("减员")}) << "who left stays, as history";
    EXPECT_EQ(names("roll=all").size(), 2);
    auto total = [&](const QByteArray& query) {
        return admin->get("/api/v1/party.daily/members?" + query).json().value(QStringLiteral("total")).toInteger();
    };
    for (const QByteArray& unit : {QByteArray(), "unit=" + QByteArray::number(a) + "&"})  // the whole table, a subtree
        EXPECT_EQ((QList<qint64>{total(unit), total(unit + "roll=former"), total(unit + "roll=all")}), (QList<qint64>{1, 1, 2})) << unit.toStdString();
    EXPECT_EQ(admin->get("/api/v1/party.daily/members?roll=gone").status, 422);
    EXPECT_EQ(admin->get(href).json().value(QStringLiteral("leftReason")).toString(), QStringLiteral("transferred-out"));
    qint64 counted = 0;
    for (const auto& item : admin->get("/api/v1/party.daily/members/counts/category").json().value(QStringLiteral("items")).toArray())
        counted += item.toObject().value(QStringLiteral("value")).toInteger();
    EXPECT_EQ(counted, 1) << "counts are of the roll";
    for (const char* roll : {"former", "all"}) {
        qint64 n = 0;
        for (const auto& item : admin->get("/api/v1/party.daily/members/counts/category?roll=" + QByteArray(roll))
                                    .json()
                                    .value(QStringLiteral("items"))
                                    .toArray())
            n += item.toObject().value(QStringLiteral("value")).toInteger();
        EXPECT_EQ(n, roll == QByteArray("all") ? 2 : 1) << "counts of roll=" << roll << " (kept counts, by place on the roll)";
    }
    // The organisation keeps its history: deleting it is still refused, naming the record.
    EXPECT_EQ(admin->request("DELETE", "/api/v1/party.daily/orgs/" + QByteArray::number(a)).status, 409);
}
