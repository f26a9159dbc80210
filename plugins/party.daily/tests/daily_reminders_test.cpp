// party.daily's reminders on the home page, over real HTTP with the host's clock set by the
// test: probation years ending or ended, birthdays this month, members out of contact for
// months; for the user's own unit and the units below it they may read; thresholds are the
// plugin's settings; each reminder counts what its link's member list shows.
//
// The tree: root -> 东区党委 (committee) -> 一支部 (A), 二支部 (B); root -> 西区党委 -> 三支部 (C).

#include "daily_test_support.hpp"
#include "reminders.hpp"

#include <QJsonArray>
#include <QProcess>
#include <QUrl>
#include <QUrlQuery>

#include <gtest/gtest.h>

using namespace tessera::test;
using party::daily::test::memberJson;

namespace {

// What the home page shows: its items, and the one whose text contains `words`.
struct Panel {
    QJsonArray items;
    QJsonObject with(const QString& words) const {
        for (const auto& i : items)
            if (i.toObject().value(QStringLiteral("text")).toString().contains(words)) return i.toObject();
        return {};
    }
    QStringList texts() const {
        QStringList out;
        for (const auto& i : items) out << i.toObject().value(QStringLiteral("text")).toString();
        return out;
    }
};

// A host whose clock is a file the test writes (TESSERA_TEST_CLOCK_FILE, as tessera::testing
// sets it for a host it runs): today is 2026-06-15 unless a test moves it.
class PartyReminders : public ::testing::Test {
protected:
    void SetUp() override { setNow(QDate(2026, 6, 15)); }
    void TearDown() override {
        host.reset();
        qunsetenv("TESSERA_TEST_CLOCK_FILE");
    }

    void setNow(const QDate& day) { clockDir.write(QStringLiteral("clock"), QDateTime(day, QTime(9, 0), Qt::UTC).toString(Qt::ISODate).toUtf8()); }

    // Starts the host with party.daily and `settingsXml`; the clock is read for the host's life.
    void start(const QString& settingsXml = {}) {
        qputenv("TESSERA_TEST_CLOCK_FILE", clockDir.file(QStringLiteral("clock")).toUtf8());
        host = std::make_unique<RunningHost>(QStringList{builtPluginDir()}, std::vector<EnablePlugin>{{QStringLiteral("party.daily"), settingsXml}});
        admin = std::make_unique<HttpClient>(host->client());
        admin->setLanguage("zh-CN");  // the reminders as a Chinese reader has them; English below
        root = host->app().units().ensureRoot(QStringLiteral("t"))->id;
        east = org(QStringLiteral("东区党委"), root, QStringLiteral("committee"));
        a = org(QStringLiteral("一支部"), east);
        b = org(QStringLiteral("二支部"), east);
        west = org(QStringLiteral("西区党委"), root, QStringLiteral("committee"));
        c = org(QStringLiteral("三支部"), west);
    }

    qint64 org(const QString& name, qint64 parent, const QString& type = QStringLiteral("branch")) {
        auto r = admin->send("POST", "/api/v1/party.daily/orgs",
                             QJsonObject{{QStringLiteral("fullName"), name}, {QStringLiteral("orgType"), type}, {QStringLiteral("parentId"), parent},
                                         {QStringLiteral("setupDate"), QStringLiteral("2010-07-01")}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }

    // A member of `unit` born on `birth` (yyyyMMdd) with `changes` over a formal member's card.
    qint64 member(const QString& name, qint64 unit, const QString& birth, const QJsonObject& changes = {}) {
        QJsonObject m = memberJson(name, unit, birth, QStringLiteral("%1").arg(++sequence, 3, 10, QLatin1Char('0')));
        for (auto it = changes.begin(); it != changes.end(); ++it) {
            if (it.value().isNull()) m.remove(it.key());
            else m.insert(it.key(), it.value());
        }
        auto r = admin->send("POST", "/api/v1/party.daily/members", m);
        EXPECT_EQ(r.status, 201) << name.toStdString() << ": " << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }
    qint64 probationary(const QString& name, qint64 unit, const QString& joined, const QJsonObject& more = {}) {
        QJsonObject changes{{QStringLiteral("category"), QStringLiteral("probationary")}, {QStringLiteral("joinDate"), joined},
                            {QStringLiteral("fullDate"), QJsonValue::Null}};
        for (auto it = more.begin(); it != more.end(); ++it) changes.insert(it.key(), it.value());
        return member(name, unit, QStringLiteral("19900101"), changes);
    }
    qint64 lost(const QString& name, qint64 unit, const QString& since) {
        return member(name, unit, QStringLiteral("19800101"), {{QStringLiteral("lostContact"), true}, {QStringLiteral("lostContactDate"), since}});
    }

    HttpClient user(const QString& name, qint64 unit, const QString& scope = QStringLiteral("subtree")) {
        HttpClient client = host->anonymousClient();
        client.setDefaultHeader("Authorization", "Bearer " + host->userToken(name, tessera::host::kAdministratorRole, scope, unit));
        client.setLanguage("zh-CN");
        return client;
    }

    static Panel panel(HttpClient& client, const QByteArray& query = {}) {
        const HttpReply r = client.get("/api/v1/reminders" + query);
        EXPECT_EQ(r.status, 200) << r.body.toStdString();
        Panel p;
        for (const auto& i : r.json().value(QStringLiteral("items")).toArray())
            if (i.toObject().value(QStringLiteral("plugin")).toString() == QLatin1String("party.daily")) p.items.append(i);
        return p;
    }

    // The member list a reminder links to (a shell path /m/party.daily/members?...), as `client` sees it.
    static QStringList linkedNames(HttpClient& client, const QJsonObject& reminder) {
        const QUrl link(reminder.value(QStringLiteral("link")).toString());
        EXPECT_EQ(link.path(), QStringLiteral("/m/party.daily/members")) << link.toString().toStdString();
        QUrlQuery query(link);
        query.addQueryItem(QStringLiteral("size"), QStringLiteral("100"));
        const HttpReply r = client.get("/api/v1/party.daily/members?" + query.toString(QUrl::FullyEncoded).toUtf8());
        EXPECT_EQ(r.status, 200) << r.body.toStdString();
        QStringList names;
        for (const auto& m : r.json().value(QStringLiteral("items")).toArray()) names << m.toObject().value(QStringLiteral("name")).toString();
        names.sort();
        return names;
    }

    TempDir clockDir;
    std::unique_ptr<RunningHost> host;
    std::unique_ptr<HttpClient> admin;
    qint64 root = 0, east = 0, a = 0, b = 0, west = 0, c = 0;
    int sequence = 100;
};

}  // namespace

TEST(LostContact, SixMonthsFromAMonthsLastDayEndOnTheShorterMonthsLastDay) {
    EXPECT_EQ(party::daily::lostContactReaches(QDate(2025, 12, 15), 6), QDate(2026, 6, 15));
    EXPECT_EQ(party::daily::lostContactReaches(QDate(2025, 8, 31), 6), QDate(2026, 2, 28));
    // By 2026-02-28 six months are full for a loss on 08-28 up to 08-31.
    EXPECT_EQ(party::daily::lastLossReaching(QDate(2026, 2, 28), 6), QDate(2025, 8, 31));
    EXPECT_EQ(party::daily::lastLossReaching(QDate(2026, 6, 15), 6), QDate(2025, 12, 15));
}

TEST_F(PartyReminders, AProbationYearEndingWithinThirtyDaysOrEndedIsRemindedWithTheMembersItCounts) {
    start();
    probationary(QStringLiteral("已满甲"), a, QStringLiteral("2025-06-10"));   // ended on 2026-06-10
    probationary(QStringLiteral("今满乙"), a, QStringLiteral("2025-06-15"));   // ends today
    probationary(QStringLiteral("将满丙"), b, QStringLiteral("2025-07-10"));   // in 25 days
    probationary(QStringLiteral("将满丁"), a, QStringLiteral("2025-07-15"));   // in 30 days
    probationary(QStringLiteral("未到戊"), a, QStringLiteral("2025-07-16"));   // in 31 days: not yet
    probationary(QStringLiteral("已减己"), a, QStringLiteral("2025-06-01"),    // left the roll: not counted
                 {{QStringLiteral("leftDate"), QStringLiteral("2026-01-05")}, {QStringLiteral("leftReason"), QStringLiteral("transferred-out")}});
    member(QStringLiteral("正式庚"), a, QStringLiteral("19800101"));          // a full member since 2006
    probationary(QStringLiteral("延长辛"), a, QStringLiteral("2025-06-01"),   // extended by six months: ends 2026-12-01
                 {{QStringLiteral("probationEnds"), QStringLiteral("2026-12-01")}});
    const qint64 extended = probationary(QStringLiteral("延长壬"), b, QStringLiteral("2024-12-10"),  // by 7: ends in 25 days
                                         {{QStringLiteral("probationEnds"), QStringLiteral("2026-07-10")}});

    HttpClient officer = user(QStringLiteral("east-officer"), east);
    const Panel p = panel(officer);
    const QJsonObject ended = p.with(QStringLiteral("预备期已满"));
    EXPECT_EQ(ended.value(QStringLiteral("text")).toString(), QStringLiteral("1 名预备党员预备期已满，尚未转正")) << p.texts().join('|').toStdString();
    EXPECT_EQ(ended.value(QStringLiteral("level")).toString(), QStringLiteral("urgent"));
    EXPECT_EQ(linkedNames(officer, ended), QStringList{QStringLiteral("已满甲")});

    const QJsonObject ending = p.with(QStringLiteral("天内期满"));
    EXPECT_EQ(ending.value(QStringLiteral("text")).toString(), QStringLiteral("4 名预备党员预备期将在 30 天内期满"))
        << p.texts().join('|').toStdString();
    EXPECT_EQ(ending.value(QStringLiteral("level")).toString(), QStringLiteral("warning"));
    EXPECT_EQ(ending.value(QStringLiteral("due")).toString(), QStringLiteral("2026-06-15"));  // the first to end
    EXPECT_EQ(linkedNames(officer, ending),
              (QStringList{QStringLiteral("今满乙"), QStringLiteral("将满丁"), QStringLiteral("将满丙"), QStringLiteral("延长壬")}));
    // Each probation's end is on the member card: a year from joining, or as extended.
    EXPECT_EQ(admin->get(QStringLiteral("/api/v1/party.daily/members/%1").arg(extended).toUtf8())
                  .json()
                  .value(QStringLiteral("probationEnds"))
                  .toString(),
              QStringLiteral("2026-07-10"));

    // A reader of English has them in English, from the same catalogue entries.
    officer.setLanguage("en");
    EXPECT_EQ(panel(officer).texts().filter(QStringLiteral("probation")),
              (QStringList{QStringLiteral("1 probationary members have completed their probation year and are not yet full members"),
                           QStringLiteral("4 probationary members' probation year ends within 30 days")}));
}

TEST_F(PartyReminders, TheDayIsTheHostsClockOrTheOneAskedFor) {
    start();
    probationary(QStringLiteral("未到戊"), a, QStringLiteral("2025-07-16"));
    HttpClient officer = user(QStringLiteral("east-officer"), east);
    EXPECT_TRUE(panel(officer).with(QStringLiteral("天内期满")).isEmpty());
    setNow(QDate(2026, 6, 16));  // the clock moves on a day: its year ends in 30 days
    EXPECT_EQ(panel(officer).with(QStringLiteral("天内期满")).value(QStringLiteral("due")).toString(), QStringLiteral("2026-07-16"));
    EXPECT_EQ(panel(officer, "?date=2026-07-20").with(QStringLiteral("预备期已满")).value(QStringLiteral("text")).toString(),
              QStringLiteral("1 名预备党员预备期已满，尚未转正"));
}

TEST_F(PartyReminders, MembersWhoseBirthdayIsThisMonthAreCountedAndTheFirstOnesNamed) {
    start();
    member(QStringLiteral("六月二十"), a, QStringLiteral("19850620"));
    member(QStringLiteral("六月一日"), b, QStringLiteral("19700601"));
    member(QStringLiteral("七月一日"), a, QStringLiteral("19850701"));
    member(QStringLiteral("六月已减"), a, QStringLiteral("19850603"),
           {{QStringLiteral("leftDate"), QStringLiteral("2020-01-05")}, {QStringLiteral("leftReason"), QStringLiteral("died")}});
    for (int day = 10; day < 14; ++day) member(QStringLiteral("西区%1").arg(day), c, QStringLiteral("198006%1").arg(day));

    HttpClient officer = user(QStringLiteral("east-officer"), east);
    const QJsonObject birthdays = panel(officer).with(QStringLiteral("过生日"));
    EXPECT_EQ(birthdays.value(QStringLiteral("text")).toString(), QStringLiteral("本月有 2 名党员过生日：六月一日、六月二十"));
    EXPECT_EQ(birthdays.value(QStringLiteral("level")).toString(), QStringLiteral("info"));
    // Its link lists exactly those it counts: born in June of any year, on the roll.
    EXPECT_EQ(linkedNames(officer, birthdays), (QStringList{QStringLiteral("六月一日"), QStringLiteral("六月二十")}));
    // The administrator of the root: six, the first three by day of the month.
    EXPECT_EQ(panel(*admin).with(QStringLiteral("过生日")).value(QStringLiteral("text")).toString(),
              QStringLiteral("本月有 6 名党员过生日：六月一日、西区10、西区11等"));
}

TEST_F(PartyReminders, MembersOutOfContactForSixMonthsOrMoreAreRemindedWithTheMembersItCounts) {
    start();
    lost(QStringLiteral("失联半年"), a, QStringLiteral("2025-12-15"));   // six months today
    lost(QStringLiteral("失联一年"), b, QStringLiteral("2025-06-01"));
    lost(QStringLiteral("失联不足"), a, QStringLiteral("2025-12-16"));   // a day short
    member(QStringLiteral("联系正常"), a, QStringLiteral("19800101"));

    HttpClient officer = user(QStringLiteral("east-officer"), east);
    const QJsonObject reminder = panel(officer).with(QStringLiteral("失去联系"));
    EXPECT_EQ(reminder.value(QStringLiteral("text")).toString(), QStringLiteral("2 名党员失去联系已满 6 个月"));
    EXPECT_EQ(reminder.value(QStringLiteral("level")).toString(), QStringLiteral("warning"));
    EXPECT_EQ(linkedNames(officer, reminder), (QStringList{QStringLiteral("失联一年"), QStringLiteral("失联半年")}));
}

TEST_F(PartyReminders, ThresholdsAreTheDeploymentsSettings) {
    start(QStringLiteral("<setting name=\"remind-probation-days\" value=\"40\"/>"
                         "<setting name=\"remind-lost-contact-months\" value=\"3\"/>"
                         "<setting name=\"remind-birthdays\" value=\"false\"/>"));
    probationary(QStringLiteral("未到戊"), a, QStringLiteral("2025-07-16"));   // in 31 days
    lost(QStringLiteral("失联四月"), a, QStringLiteral("2026-02-10"));
    member(QStringLiteral("六月生日"), a, QStringLiteral("19850620"));
    const Panel p = panel(*admin);
    EXPECT_EQ(p.with(QStringLiteral("天内期满")).value(QStringLiteral("text")).toString(), QStringLiteral("1 名预备党员预备期将在 40 天内期满"));
    EXPECT_EQ(p.with(QStringLiteral("失去联系")).value(QStringLiteral("text")).toString(), QStringLiteral("1 名党员失去联系已满 3 个月"));
    EXPECT_TRUE(p.with(QStringLiteral("过生日")).isEmpty()) << p.texts().join('|').toStdString();
}

TEST_F(PartyReminders, AThresholdOutOfRangeSaysTheRemindersAreUnavailableAndWhy) {
    start(QStringLiteral("<setting name=\"remind-probation-days\" value=\"-1\"/>"));
    const Panel p = panel(*admin);
    ASSERT_EQ(p.items.size(), 1) << p.texts().join('|').toStdString();
    EXPECT_TRUE(p.texts().first().contains(QStringLiteral("remind-probation-days"))) << p.texts().first().toStdString();
}

TEST_F(PartyReminders, CoverTheUsersUnitAndBelowAndNothingTheyMayNotRead) {
    start();
    lost(QStringLiteral("东区本级"), east, QStringLiteral("2025-01-01"));
    lost(QStringLiteral("一支部的"), a, QStringLiteral("2025-01-01"));
    lost(QStringLiteral("二支部的"), b, QStringLiteral("2025-01-01"));
    lost(QStringLiteral("三支部的"), c, QStringLiteral("2025-01-01"));
    auto count = [](HttpClient& client) { return panel(client).with(QStringLiteral("失去联系")).value(QStringLiteral("text")).toString(); };

    HttpClient committee = user(QStringLiteral("east-subtree"), east);
    EXPECT_EQ(count(committee), QStringLiteral("3 名党员失去联系已满 6 个月"));
    HttpClient branch = user(QStringLiteral("a-secretary"), a);
    EXPECT_EQ(count(branch), QStringLiteral("1 名党员失去联系已满 6 个月"));
    EXPECT_EQ(count(*admin), QStringLiteral("4 名党员失去联系已满 6 个月"));
    // Rights on the committee itself only: its branches' members are not the user's to count.
    HttpClient unitOnly = user(QStringLiteral("east-unit"), east, QStringLiteral("unit"));
    EXPECT_EQ(count(unitOnly), QStringLiteral("1 名党员失去联系已满 6 个月"));
    EXPECT_EQ(linkedNames(unitOnly, panel(unitOnly).with(QStringLiteral("失去联系"))), QStringList{QStringLiteral("东区本级")});
    // Rights somewhere else only: nothing about the user's own unit.
    HttpClient elsewhere = host->anonymousClient();
    elsewhere.setDefaultHeader("Authorization", "Bearer " + host->userToken(QStringLiteral("elsewhere"), {}, {}, east));
    EXPECT_TRUE(panel(elsewhere).items.isEmpty());
}

TEST_F(PartyReminders, TheDemoDeploymentRemindsItsAdministratorOfProbationAndBirthdays) {
    // `tessera demo` as scripts/demo runs it, on the clock's day.
    qputenv("TESSERA_TEST_CLOCK_FILE", clockDir.file(QStringLiteral("clock")).toUtf8());
    TempDir dir;
    const QString config = dir.write(QStringLiteral("deployment.xml"),
                                     RunningHost::deploymentXml({builtPluginDir()}, {{QStringLiteral("party.daily"), {}}}).toUtf8());
    QProcess demo;
    demo.start(QStringLiteral(TESSERA_CLI), {QStringLiteral("demo"), QStringLiteral("--organisations"), QStringLiteral("120"),
                                             QStringLiteral("--people"), QStringLiteral("3000"), QStringLiteral("--config"), config});
    ASSERT_TRUE(demo.waitForFinished(120000));
    ASSERT_EQ(demo.exitCode(), 0) << demo.readAllStandardError().toStdString();
    host = std::make_unique<RunningHost>(config);
    HttpClient administrator = host->client();  // of the root, as scripts/demo makes it
    administrator.setLanguage("zh-CN");

    const Panel today = panel(administrator);
    const QJsonObject ending = today.with(QStringLiteral("天内期满"));
    ASSERT_FALSE(ending.isEmpty()) << today.texts().join('|').toStdString();
    EXPECT_FALSE(today.with(QStringLiteral("过生日")).isEmpty()) << today.texts().join('|').toStdString();
    // The demo makes a member probationary while their year has not ended: none has ended yet,
    // and a reminder's count is what its link lists.
    EXPECT_TRUE(today.with(QStringLiteral("预备期已满")).isEmpty()) << today.texts().join('|').toStdString();
    const qsizetype due = linkedNames(administrator, ending).size();
    EXPECT_EQ(ending.value(QStringLiteral("text")).toString(), QStringLiteral("%1 名预备党员预备期将在 30 天内期满").arg(due));
    // A year on, every probationary member of the demo has ended their year.
    const Panel later = panel(administrator, "?date=2027-06-16");
    const qint64 probationaryMembers = administrator.get("/api/v1/party.daily/members?category=probationary&size=1").json().value(QStringLiteral("total")).toInteger();
    EXPECT_GT(probationaryMembers, due);
    EXPECT_EQ(later.with(QStringLiteral("预备期已满")).value(QStringLiteral("text")).toString(),
              QStringLiteral("%1 名预备党员预备期已满，尚未转正").arg(probationaryMembers));
}
