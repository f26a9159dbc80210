// Health through a real host under load: it answers while every handler thread is busy with
// lists, because it runs on the network threads and reads nothing from the database.

#include "host_fixture.hpp"

#include <QJsonObject>

#include <gtest/gtest.h>

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace tessera::test;
using Clock = std::chrono::steady_clock;

namespace {

// Customers written straight into the database file (no audit, no API): enough that a search
// which matches none scans for a while, so that 64 of them keep every handler thread busy.
void seedCustomers(const QString& databasePath, qint64 unitId, int count) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(databasePath.toUtf8().constData(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    const QByteArray sql = QStringLiteral("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %1) "
                                          "INSERT INTO biz_customers(name, contact, phone, address, notes, created_at, updated_at, unit_id) "
                                          "SELECT '客户' || i, '联系人' || i, '138' || i, '地址' || i, '', '2026-01-01T00:00:00.000Z', "
                                          "'2026-01-01T00:00:00.000Z', %2 FROM n")
                               .arg(count)
                               .arg(unitId)
                               .toUtf8();
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.constData(), nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error ? error : "");
    sqlite3_free(error);
    sqlite3_close(db);
}

}  // namespace

TEST(Health, AnswersWithinTwoSecondsWhile64ClientsLoadLists) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    const QByteArray token = host.adminToken();
    seedCustomers(host.databasePath(), host.app().units().ensureRoot(QStringLiteral("t"))->id, 200000);

    std::atomic<bool> stop{false};
    std::atomic<int> lists{0}, failures{0};
    std::vector<std::thread> clients;
    for (int i = 0; i < 64; ++i) {
        clients.emplace_back([&] {
            HttpClient c(host.port());
            c.setDefaultHeader("Authorization", "Bearer " + token);
            while (!stop) {
                // A search that matches nothing reads every row: each list keeps a thread busy.
                auto r = c.get("/api/v1/biz.customers/customers?q=zzz&size=100");
                if (r.status == 200) ++lists;
                else ++failures;
            }
        });
    }
    // The load is on once lists are being answered; health is then asked a few times.
    for (int i = 0; i < 3000 && lists.load() < 4; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_GE(lists.load(), 4) << "the load never got going";
    std::chrono::milliseconds worst{0};
    for (int i = 0; i < 5; ++i) {
        HttpClient probe = host.anonymousClient();
        const auto started = Clock::now();
        auto health = probe.get("/api/v1/health");
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
        worst = std::max(worst, took);
        EXPECT_EQ(health.status, 200) << health.body.toStdString();
        EXPECT_EQ(health.json().value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    const int listsDuringProbes = lists.load();
    stop = true;
    for (auto& t : clients) t.join();
    EXPECT_LT(worst.count(), 2000) << "health waited behind the lists";
    EXPECT_EQ(failures.load(), 0);
    EXPECT_GT(listsDuringProbes, 4) << "the lists were served meanwhile";
}
