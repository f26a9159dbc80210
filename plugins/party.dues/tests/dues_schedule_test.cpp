// The host's scheduled work, through party.dues' monthly arrears check: it runs once per
// month by the host's clock (moved here through TESSERA_TEST_CLOCK_FILE), each run recorded;
// a month missed while the host was down runs when it is up again.

#include "../../party.daily/tests/daily_test_support.hpp"

#include <QDate>
#include <QFile>
#include <QJsonArray>

#include <chrono>
#include <thread>

namespace {

using party::daily::test::memberJson;
using tessera::test::HttpClient;
using tessera::test::RunningHost;

class DuesSchedule : public ::testing::Test {
protected:
    void SetUp() override {
        clockFile = dir.file(QStringLiteral("clock"));
        setClock(firstOf(2));
        qputenv("TESSERA_TEST_CLOCK_FILE", clockFile.toUtf8());
        config = dir.write(QStringLiteral("deployment.xml"),
                           RunningHost::deploymentXml({tessera::test::builtPluginDir()},
                                                      {{QStringLiteral("party.daily"), {}}, {QStringLiteral("party.dues"), {}}})
                               .toUtf8());
    }
    void TearDown() override { qunsetenv("TESSERA_TEST_CLOCK_FILE"); }

    // The first day of the month `months` from this one, at 09:00 UTC.
    static QDateTime firstOf(int months) {
        const QDate today = QDate::currentDate();
        return QDateTime(QDate(today.year(), today.month(), 1).addMonths(months), QTime(9, 0), Qt::UTC);
    }
    void setClock(const QDateTime& t) {
        QFile f(clockFile);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(t.toString(Qt::ISODate).toUtf8());
    }
    // The runs recorded, as "period state" in the order they started; waits up to 10 s for
    // `atLeast` of them (the scheduler's thread runs a round when the host starts serving).
    QStringList runs(RunningHost& host, int atLeast = 0) {
        QStringList out;
        for (int i = 0; i < 1000; ++i) {
            out.clear();
            auto rows =
                host.app().store().query(QStringLiteral("SELECT period, state FROM core_scheduled_runs WHERE plugin = 'party.dues' "
                                                        "AND job = 'arrears-check' ORDER BY id"));
            if (!rows) return {rows.error().message};
            for (const auto& r : *rows)
                out << r.value(QStringLiteral("period")).toString() + u' ' + r.value(QStringLiteral("state")).toString();
            // Enough runs, none still under way (a host just started runs the due check at once).
            if (out.size() >= atLeast && (out.isEmpty() || !out.back().endsWith(QStringLiteral(" running")))) return out;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        return out;
    }
    static QString period(const QDateTime& t) { return t.toString(QStringLiteral("yyyy-MM")); }

    tessera::test::TempDir dir;
    QString clockFile, config;
};

}  // namespace

TEST_F(DuesSchedule, TheArrearsCheckRunsOncePerMonthAndAfterDowntime) {
    qint64 member = 0;
    {
        RunningHost host(config);
        // At start, the month's check runs by itself, once.
        EXPECT_EQ(runs(host, 1), QStringList{period(firstOf(2)) + QStringLiteral(" ok")});
        HttpClient admin = host.client();
        const qint64 root = host.app().units().ensureRoot(QStringLiteral("t"))->id;
        const qint64 branch = host.app().units().create(root, QStringLiteral("第一党支部"))->id;
        auto made = admin.send("POST", "/api/v1/party.daily/members", memberJson(QStringLiteral("欠交甲"), branch));
        ASSERT_EQ(made.status, 201) << made.body.toStdString();
        member = made.json().value(QStringLiteral("id")).toInteger();
        const QString since = QDate::currentDate().addMonths(-9).toString(QStringLiteral("yyyy-MM"));
        auto base = admin.send("POST", "/api/v1/party.dues/profiles",
                               QJsonObject{{QStringLiteral("memberId"), member},
                                           {QStringLiteral("category"), QStringLiteral("student")},
                                           {QStringLiteral("fromMonth"), since}});
        ASSERT_EQ(base.status, 201) << base.body.toStdString();
        host.app().scheduler().runDue();
        EXPECT_EQ(runs(host).size(), 1) << "once a month";
        // The next month begins: the check runs and keeps who is in arrears then.
        setClock(firstOf(3));
        host.app().scheduler().runDue();
        host.app().scheduler().runDue();
        EXPECT_EQ(runs(host), (QStringList{period(firstOf(2)) + QStringLiteral(" ok"), period(firstOf(3)) + QStringLiteral(" ok")}));
        auto kept = host.app().store().queryOne(QStringLiteral("SELECT months FROM party_dues_arrears WHERE member_id = ?1 AND month = ?2"),
                                                {member, period(firstOf(3))});
        ASSERT_TRUE(kept.ok());
        EXPECT_EQ(kept->value(QStringLiteral("months")).toLongLong(), 12) << "nine months back to two months ahead, less this one";
        admin.setLanguage("zh-CN");
        auto sections = admin.get("/api/v1/cards/party.daily/member/" + QByteArray::number(member) + "/sections");
        EXPECT_TRUE(sections.body.contains(QStringLiteral("截至%1初连续12个月未交").arg(period(firstOf(3))).toUtf8()))
            << sections.body.toStdString();
    }
    // Down over two month starts: up again, the current month's check runs at once.
    setClock(firstOf(5).addDays(3));
    RunningHost again(config);
    const QStringList after = runs(again, 3);
    ASSERT_EQ(after.size(), 3) << after.join(u'|').toStdString();
    EXPECT_EQ(after[2], period(firstOf(5)) + QStringLiteral(" ok"));
}
