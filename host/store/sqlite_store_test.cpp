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

TEST(SqliteStore, ACachedStatementNamesTheColumnsTheTableHasAfterItsSchemaChanged) {
    tessera::test::TempDir dir;
    auto db = std::move(SqliteStore::open(dir.file(QStringLiteral("n.db")))).value();
    ASSERT_TRUE(db->execute(QStringLiteral("CREATE TABLE t(a INTEGER, b TEXT)")));
    ASSERT_TRUE(db->execute(QStringLiteral("INSERT INTO t(a, b) VALUES (1, 'x')")));
    const QString all = QStringLiteral("SELECT * FROM t");
    EXPECT_EQ(db->queryOne(all)->keys(), (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    // The same text again comes from the cache; after the change SQLite prepares it anew.
    ASSERT_TRUE(db->execute(QStringLiteral("ALTER TABLE t RENAME COLUMN b TO renamed")));
    ASSERT_TRUE(db->execute(QStringLiteral("ALTER TABLE t ADD COLUMN c INTEGER DEFAULT 7")));
    const auto row = db->queryOne(all);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->keys(), (QStringList{QStringLiteral("a"), QStringLiteral("c"), QStringLiteral("renamed")}));
    EXPECT_EQ(row->value(QStringLiteral("renamed")).toString(), QStringLiteral("x"));
    EXPECT_EQ(row->value(QStringLiteral("c")).toInt(), 7);
}

TEST(SqliteStore, TheSameStatementRunsTwiceAtOnceWithoutSharingItsState) {
    tessera::test::TempDir dir;
    auto db = std::move(SqliteStore::open(dir.file(QStringLiteral("s.db")))).value();
    ASSERT_TRUE(db->execute(QStringLiteral("CREATE TABLE t(a INTEGER)")));
    ASSERT_TRUE(db->execute(QStringLiteral("INSERT INTO t(a) VALUES (1), (2)")));
    const QString sql = QStringLiteral("SELECT a FROM t ORDER BY a");
    auto outer = db->prepare(sql);
    ASSERT_TRUE(outer);
    ASSERT_TRUE(*(*outer)->step());
    EXPECT_EQ((*outer)->value(0).toInt(), 1);
    // A nested run of the same text gets a statement of its own, from the start.
    auto inner = db->query(sql);
    ASSERT_TRUE(inner);
    ASSERT_EQ(inner->size(), 2u);
    EXPECT_EQ((*inner)[0].value(QStringLiteral("a")).toInt(), 1);
    ASSERT_TRUE(*(*outer)->step());
    EXPECT_EQ((*outer)->value(0).toInt(), 2);
}

// An aggregate is read again only after a write: by this connection, another connection of
// the process, or another process (here: another store on the same file).
TEST(SqliteStore, AnAggregateIsRememberedUntilAnyWriteCommits) {
    tessera::test::TempDir dir;
    const QString file = dir.file(QStringLiteral("a.db"));
    auto db = std::move(SqliteStore::open(file)).value();
    ASSERT_TRUE(db->execute(QStringLiteral("CREATE TABLE t(x INTEGER)")));
    // random() shows whether the rows were read again.
    const QString sql = QStringLiteral("SELECT count(*) AS n, random() AS r FROM t WHERE x > ?1");
    auto read = [&](tessera::Database& d) { return d.queryAggregate(sql, {0}).value().front(); };
    const auto first = read(*db);
    EXPECT_EQ(first.value(QStringLiteral("n")).toLongLong(), 0);
    EXPECT_EQ(read(*db).value(QStringLiteral("r")), first.value(QStringLiteral("r"))) << "remembered";
    EXPECT_NE(db->queryAggregate(sql, {1}).value().front().value(QStringLiteral("r")), first.value(QStringLiteral("r")))
        << "other parameters are another statement";

    ASSERT_TRUE(db->execute(QStringLiteral("INSERT INTO t VALUES (1)")));
    EXPECT_EQ(read(*db).value(QStringLiteral("n")).toLongLong(), 1) << "a write of this connection";
    std::thread([&] { ASSERT_TRUE(db->execute(QStringLiteral("INSERT INTO t VALUES (2)"))); }).join();
    EXPECT_EQ(read(*db).value(QStringLiteral("n")).toLongLong(), 2) << "a write of another connection";
    {
        auto other = std::move(SqliteStore::open(file)).value();
        ASSERT_TRUE(other->execute(QStringLiteral("INSERT INTO t VALUES (3)")));
    }
    EXPECT_EQ(read(*db).value(QStringLiteral("n")).toLongLong(), 3) << "a write of another process";
    // Inside a write, its own uncommitted rows count.
    const tessera::Status rolledBack = db->transaction([&]() -> tessera::Status {
        if (auto w = db->execute(QStringLiteral("INSERT INTO t VALUES (4)")); !w) return w.error();
        EXPECT_EQ(read(*db).value(QStringLiteral("n")).toLongLong(), 4);
        return tessera::Error{QStringLiteral("test.rollback"), QStringLiteral("rolled back")};
    });
    ASSERT_FALSE(rolledBack);
    EXPECT_EQ(read(*db).value(QStringLiteral("n")).toLongLong(), 3) << "the rolled-back row is not counted";
}

TEST(SqliteStore, HeldReadsShareOneSnapshotUntilTheGuardGoesOrTheThreadWrites) {
    tessera::test::TempDir dir;
    const QString file = dir.file(QStringLiteral("h.db"));
    auto db = std::move(SqliteStore::open(file)).value();
    ASSERT_TRUE(db->execute(QStringLiteral("CREATE TABLE t(x INTEGER)")));
    ASSERT_TRUE(db->execute(QStringLiteral("INSERT INTO t VALUES (1)")));
    auto count = [&] {
        return db->queryOne(QStringLiteral("SELECT count(*) AS n FROM t")).value().value(QStringLiteral("n")).toLongLong();
    };
    auto aggregate = [&] {
        return db->queryAggregate(QStringLiteral("SELECT count(*) AS n FROM t")).value().front().value(QStringLiteral("n")).toLongLong();
    };
    auto writeElsewhere = [&](int x) {
        std::thread([&] { ASSERT_TRUE(db->execute(QStringLiteral("INSERT INTO t VALUES (?1)"), {x})); }).join();
    };
    {
        auto held = db->holdReads();
        EXPECT_EQ(count(), 1);
        writeElsewhere(2);
        EXPECT_EQ(count(), 1) << "the snapshot of the first read";
        EXPECT_EQ(aggregate(), 1) << "an aggregate reads in the same snapshot";
        auto nested = db->holdReads();  // holds nothing more
        EXPECT_EQ(count(), 1);
    }
    EXPECT_EQ(count(), 2) << "the guard is gone: the latest state";
    EXPECT_EQ(aggregate(), 2);

    {
        auto held = db->holdReads();
        EXPECT_EQ(count(), 2);
        writeElsewhere(3);  // another connection commits after the snapshot was taken
        // A write would fail (SQLITE_BUSY_SNAPSHOT) on the stale snapshot: it ends the hold first.
        ASSERT_TRUE(db->execute(QStringLiteral("INSERT INTO t VALUES (4)")));
        EXPECT_EQ(count(), 4) << "after its write the thread reads the latest state";
        const tessera::Status written = db->transaction([&]() -> tessera::Status {
            if (auto w = db->execute(QStringLiteral("INSERT INTO t VALUES (5)")); !w) return w.error();
            return {};
        });
        EXPECT_TRUE(written) << written.error().message.toStdString();
    }
    EXPECT_EQ(count(), 5);

    // Inside a transaction there is nothing to hold: the transaction's own reads go on.
    const tessera::Status inside = db->transaction([&]() -> tessera::Status {
        auto held = db->holdReads();
        if (auto w = db->execute(QStringLiteral("INSERT INTO t VALUES (6)")); !w) return w.error();
        EXPECT_EQ(count(), 6);
        return {};
    });
    EXPECT_TRUE(inside) << inside.error().message.toStdString();
    EXPECT_EQ(count(), 6);
}
