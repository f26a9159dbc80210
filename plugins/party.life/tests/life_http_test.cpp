// party.life over real HTTP: a branch's meeting gets its roster (its members, and the members
// flowing in to it, who attend without a vote), the clerk marks who was on leave or absent,
// every rule refuses on its field; the 三会一课 rhythm is a reminder of the committee above
// when a branch falls behind; the organisation and member cards show the meetings.

#include "../../party.daily/tests/daily_test_support.hpp"

#include <QDate>
#include <QJsonArray>

namespace {

using party::daily::test::memberJson;
using tessera::test::fieldsOf;
using tessera::test::HttpClient;
using tessera::test::HttpReply;
using tessera::test::ifMatch;

QString iso(const QDate& d) { return d.toString(Qt::ISODate); }

class Life : public ::testing::Test {
protected:
    void SetUp() override {
        host = party::daily::test::hostWith({QStringLiteral("party.daily"), QStringLiteral("party.flow"), QStringLiteral("party.life")});
        admin = std::make_unique<HttpClient>(host->client());
        root = host->app().units().ensureRoot(QStringLiteral("t"))->id;
        committee = org(QStringLiteral("机关党委"), QStringLiteral("committee"), root);
        branch = org(QStringLiteral("第一党支部"), QStringLiteral("branch"), committee);
        small = org(QStringLiteral("第二党支部"), QStringLiteral("branch"), committee);
        other = org(QStringLiteral("北区党支部"), QStringLiteral("branch"), root);
        auto role = admin->send(
            "POST", "/api/v1/roles",
            QJsonObject{{QStringLiteral("name"), QStringLiteral("clerk")},
                        {QStringLiteral("permissions"), QJsonArray{QStringLiteral("party.daily.read"), QStringLiteral("party.life.read"),
                                                                   QStringLiteral("party.life.write")}}});
        ASSERT_EQ(role.status, 201) << role.body.toStdString();
        clerk = user(QStringLiteral("sec-a"), QStringLiteral("unit"), branch);
        officer = user(QStringLiteral("org-k"), QStringLiteral("subtree"), committee);
        outsider = user(QStringLiteral("sec-n"), QStringLiteral("unit"), other);
        const QString names = QStringLiteral("甲乙丙丁戊己庚辛");
        for (int i = 0; i < 8; ++i) members.push_back(member(QStringLiteral("成员") + names[i], branch, i));
        lone = member(QStringLiteral("二支甲"), small, 20);
        visitor = member(QStringLiteral("北区甲"), other, 21);
        stranger = member(QStringLiteral("北区乙"), other, 22);
        // 北区甲 works near the first branch: flowing in to it.
        auto flow = admin->send("POST", "/api/v1/party.flow/flows",
                                QJsonObject{{QStringLiteral("memberId"), visitor},
                                            {QStringLiteral("destination"), QStringLiteral("某市")},
                                            {QStringLiteral("toUnitId"), branch},
                                            {QStringLiteral("reason"), QStringLiteral("work")},
                                            {QStringLiteral("leftOn"), QStringLiteral("2025-01-01")}});
        ASSERT_EQ(flow.status, 201) << flow.body.toStdString();
    }

    qint64 org(const QString& name, const QString& type, qint64 parent) { return party::daily::test::newOrg(*admin, name, type, parent); }

    std::unique_ptr<HttpClient> user(const QString& name, const QString& scope, qint64 unit) {
        return party::daily::test::userClient(*host, name, QStringLiteral("clerk"), scope, unit, "zh-CN");
    }

    qint64 member(const QString& name, qint64 unit, int n) {
        auto r = admin->send("POST", "/api/v1/party.daily/members",
                             memberJson(name, unit, QStringLiteral("19800101"), QString::number(100 + n)));
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }

    HttpReply meeting(HttpClient& as, qint64 unit, const QString& kind, const QDate& on, QJsonObject more = {}) {
        more.insert(QStringLiteral("unitId"), unit);
        more.insert(QStringLiteral("kind"), kind);
        more.insert(QStringLiteral("heldOn"), iso(on));
        if (!more.contains(QStringLiteral("topic"))) more.insert(QStringLiteral("topic"), QStringLiteral("学习贯彻会议精神"));
        return as.send("POST", "/api/v1/party.life/meetings", more);
    }

    std::unique_ptr<tessera::test::RunningHost> host;
    std::unique_ptr<HttpClient> admin, clerk, officer, outsider;
    qint64 root = 0, committee = 0, branch = 0, small = 0, other = 0, lone = 0, visitor = 0, stranger = 0;
    std::vector<qint64> members;
};

}  // namespace

TEST_F(Life, AMeetingsRosterIsTheBranchAndItsGuestsAndEveryRuleRefusesOnItsField) {
    const QDate today = QDate::currentDate();
    auto made = meeting(*clerk, branch, QStringLiteral("general"), today);
    ASSERT_EQ(made.status, 201) << made.body.toStdString();
    QJsonObject m = made.json();
    const QJsonArray roster = m.value(QStringLiteral("attendance")).toArray();
    ASSERT_EQ(roster.size(), 9) << made.body.toStdString();
    EXPECT_EQ(roster[0].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("成员丙"))
        << "by pinyin: bing, ding, geng, ...";
    EXPECT_EQ(roster[8].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("北区甲"));
    EXPECT_TRUE(roster[8].toObject().value(QStringLiteral("flowingIn")).toBool()) << "attends, without a vote";
    EXPECT_FALSE(roster[0].toObject().value(QStringLiteral("flowingIn")).toBool());
    EXPECT_EQ(m.value(QStringLiteral("expected")).toInteger(), 8) << "the branch's own members";
    EXPECT_EQ(m.value(QStringLiteral("present")).toInteger(), 8);
    const QByteArray path = "/api/v1/party.life/meetings/" + QByteArray::number(m.value(QStringLiteral("id")).toInteger());

    // The clerk marks 成员乙 on leave, without the reason: refused on that row's reason.
    QJsonArray rows = roster;
    qsizetype leaveRow = -1;
    auto mark = [&](qint64 who, const QString& status, const QString& reason = {}) {
        for (qsizetype i = 0; i < rows.size(); ++i) {
            QJsonObject row = rows[i].toObject();
            if (row.value(QStringLiteral("memberId")).toInteger() != who) continue;
            row.insert(QStringLiteral("status"), status);
            if (!reason.isEmpty()) row.insert(QStringLiteral("reason"), reason);
            rows[i] = row;
            if (status == u"leave") leaveRow = i;
        }
        m.insert(QStringLiteral("attendance"), rows);
    };
    mark(members[1], QStringLiteral("leave"));
    mark(members[2], QStringLiteral("absent"));
    auto noReason = clerk->send("PUT", path, m, ifMatch(1));
    EXPECT_EQ(fieldsOf(noReason), QStringList{QStringLiteral("attendance[%1].reason").arg(leaveRow)}) << noReason.body.toStdString();
    mark(members[1], QStringLiteral("leave"), QStringLiteral("出差"));
    // Whoever chaired was present.
    m.insert(QStringLiteral("chairedBy"), members[1]);
    auto chairAway = clerk->send("PUT", path, m, ifMatch(1));
    EXPECT_EQ(fieldsOf(chairAway), QStringList{QStringLiteral("chairedBy")});
    EXPECT_TRUE(chairAway.body.contains("成员乙不在出席人员中")) << chairAway.body.toStdString();
    m.insert(QStringLiteral("chairedBy"), members[0]);
    auto marked = clerk->send("PUT", path, m, ifMatch(1));
    ASSERT_EQ(marked.status, 200) << marked.body.toStdString();
    EXPECT_EQ(marked.json().value(QStringLiteral("present")).toInteger(), 6);
    EXPECT_EQ(marked.json().value(QStringLiteral("onLeave")).toInteger(), 1);
    EXPECT_EQ(marked.json().value(QStringLiteral("absent")).toInteger(), 1);

    // Nobody from elsewhere, and nobody twice.
    QJsonObject wrong = marked.json();
    QJsonArray more = wrong.value(QStringLiteral("attendance")).toArray();
    more.append(QJsonObject{{QStringLiteral("memberId"), stranger}, {QStringLiteral("status"), QStringLiteral("present")}});
    more.append(QJsonObject{{QStringLiteral("memberId"), members[3]}, {QStringLiteral("status"), QStringLiteral("present")}});
    wrong.insert(QStringLiteral("attendance"), more);
    admin->setLanguage("zh-CN");
    auto refused = admin->send("PUT", path, wrong, ifMatch(2));
    EXPECT_EQ(fieldsOf(refused), (QStringList{QStringLiteral("attendance[9].memberId"), QStringLiteral("attendance[10].memberId")}))
        << refused.body.toStdString();
    EXPECT_TRUE(refused.body.contains("北区乙既不是机关党委/第一党支部的在册党员，也不是流入该组织的流动党员"))
        << refused.body.toStdString();
    EXPECT_TRUE(refused.body.contains("成员丁重复列出")) << refused.body.toStdString();

    // The member card shows their meetings; the outsider sees nothing of the branch's.
    auto sections = clerk->get("/api/v1/cards/party.daily/member/" + QByteArray::number(members[1]) + "/sections");
    EXPECT_TRUE(sections.body.contains("支部党员大会") && sections.body.contains("请假")) << sections.body.toStdString();
    EXPECT_EQ(outsider->get(path).status, 404);
    EXPECT_EQ(outsider->get("/api/v1/party.life/meetings").json().value(QStringLiteral("total")).toInteger(), 0);
    EXPECT_EQ(meeting(*outsider, branch, QStringLiteral("lecture"), today).status, 422) << "not the outsider's to record";
}

TEST_F(Life, ABranchBehindTheRhythmIsAReminderAboveItAndTheCountsAreCharted) {
    // The last whole month and quarter before today.
    const QDate today = QDate::currentDate();
    const QDate thisMonth(today.year(), today.month(), 1);
    const QDate lastMonth = thisMonth.addMonths(-1);
    const QDate thisQuarter(today.year(), ((today.month() - 1) / 3) * 3 + 1, 1);
    const QDate lastQuarter = thisQuarter.addMonths(-3);
    // The first branch held its committee meeting last month (it has 8 full members), and a
    // party lecture last quarter; the second (one member, no committee) held nothing.
    ASSERT_EQ(meeting(*clerk, branch, QStringLiteral("committee"), lastMonth.addDays(5)).status, 201);
    ASSERT_EQ(meeting(*clerk, branch, QStringLiteral("lecture"), lastQuarter.addDays(10)).status, 201);

    QStringList texts;
    for (const auto& r : officer->get("/api/v1/reminders?date=" + iso(today).toUtf8()).json().value(QStringLiteral("items")).toArray())
        texts << r.toObject().value(QStringLiteral("text")).toString();
    const QString quarter = QStringLiteral("在%1至%2期间").arg(iso(lastQuarter), iso(thisQuarter.addDays(-1)));
    EXPECT_TRUE(texts.contains(QStringLiteral("2个党支部%1未召开支部党员大会").arg(quarter))) << texts.join(u'|').toStdString();
    EXPECT_TRUE(texts.contains(QStringLiteral("1个党支部%1未召开党课").arg(quarter))) << texts.join(u'|').toStdString();
    EXPECT_TRUE(texts.filter(QStringLiteral("支部委员会")).isEmpty()) << "held by the branch that has a committee";
    EXPECT_TRUE(texts.filter(QStringLiteral("党小组会")).isEmpty()) << "no branch holds group meetings";
    // The branch's own clerk is reminded of the branch alone; the outsider of none of these.
    QStringList own;
    for (const auto& r : clerk->get("/api/v1/reminders?date=" + iso(today).toUtf8()).json().value(QStringLiteral("items")).toArray())
        own << r.toObject().value(QStringLiteral("text")).toString();
    EXPECT_TRUE(own.contains(QStringLiteral("1个党支部%1未召开支部党员大会").arg(quarter))) << own.join(u'|').toStdString();
    EXPECT_TRUE(own.filter(QStringLiteral("党课")).isEmpty()) << own.join(u'|').toStdString();

    // The charts: this year's meetings by kind and by quarter, in the caller's scope.
    const QByteArray year = QByteArray::number(lastQuarter.year());
    auto byKind = officer->get("/api/v1/party.life/meetings/stats/by-kind?year=" + year);
    ASSERT_EQ(byKind.status, 200) << byKind.body.toStdString();
    const QJsonArray kinds = byKind.json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(kinds.size(), 7);
    EXPECT_EQ(kinds[3].toObject().value(QStringLiteral("label")).toString(), QStringLiteral("党课"));
    EXPECT_EQ(kinds[3].toObject().value(QStringLiteral("value")).toInteger(), 1);
    EXPECT_EQ(outsider->get("/api/v1/party.life/meetings/stats/by-kind?year=" + year).json().value(QStringLiteral("total")).toInteger(), 0);
    auto byQuarter = officer->get("/api/v1/party.life/meetings/stats/by-quarter?kind=lecture&year=" + year);
    ASSERT_EQ(byQuarter.status, 200) << byQuarter.body.toStdString();
    EXPECT_EQ(byQuarter.json()
                  .value(QStringLiteral("items"))
                  .toArray()[(lastQuarter.month() - 1) / 3]
                  .toObject()
                  .value(QStringLiteral("value"))
                  .toInteger(),
              1);
    auto bad = officer->get("/api/v1/party.life/meetings/stats/by-quarter?kind=party&year=1999");
    EXPECT_EQ(fieldsOf(bad), (QStringList{QStringLiteral("year"), QStringLiteral("kind")})) << bad.body.toStdString();
    // The organisation card: this year's meetings per kind and quarter.
    auto sections = officer->get("/api/v1/cards/party.daily/org/" + QByteArray::number(branch) + "/sections");
    ASSERT_EQ(sections.status, 200) << sections.body.toStdString();
    EXPECT_TRUE(sections.body.contains("三会一课")) << sections.body.toStdString();
}
