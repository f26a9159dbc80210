// The store's locking: a write that may be skipped gives up at once while another connection
// holds the write lock (a long import), instead of waiting out the busy timeout.

#include "store/sqlite_store.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <future>
#include <thread>

using namespace tessera::host;

TEST(SqliteStore, AWriteThatMayBeSkippedGivesUpWhileAnotherConnectionHoldsTheLock) {
    tessera::test::TempDir dir;
    auto db = std::move(SqliteStore::open(dir.file(QStringLiteral("l.db")))).value();
    ASSERT_TRUE(db->execute(QStringLiteral("CREATE TABLE t(x INTEGER)")));
    std::promise<void> locked, release;
    auto releaseFuture = release.get_future().share();
    // Each thread has its own connection: this one holds the write lock until told to let go.
    std::thread holder([&] {
        (void)db->transaction([&]() -> tessera::Status {
            if (auto w = db->execute(QStringLiteral("INSERT INTO t(x) VALUES (1)")); !w) return w.error();
            locked.set_value();
            releaseFuture.wait();
            return {};
        });
    });
    locked.get_future().wait();
    auto skipped = db->executeIfFree(QStringLiteral("INSERT INTO t(x) VALUES (2)"));
    ASSERT_FALSE(skipped);
    EXPECT_EQ(skipped.error().code, QStringLiteral("db.busy"));
    release.set_value();
    holder.join();
    EXPECT_TRUE(db->executeIfFree(QStringLiteral("INSERT INTO t(x) VALUES (3)"))) << "free again: it writes";
    EXPECT_EQ(db->queryOne(QStringLiteral("SELECT group_concat(x) AS xs FROM (SELECT x FROM t ORDER BY x)"))->value(QStringLiteral("xs")).toString(),
              QStringLiteral("1,3"));
}
