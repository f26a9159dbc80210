#include "store/sqlite_store.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <thread>

using namespace tessera;
using tessera::host::SqliteStore;

namespace {
std::unique_ptr<SqliteStore> openStore(const test::TempDir& dir) {
    auto store = SqliteStore::open(dir.file(QStringLiteral("t.db")));
    EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().message.toStdString());
    return std::move(store).value();
}
}  // namespace

TEST(SqliteStore, UsesWalAndForeignKeys) {
    test::TempDir dir;
    auto db = openStore(dir);
    EXPECT_EQ(db->queryOne(QStringLiteral("PRAGMA journal_mode"))->value(QStringLiteral("journal_mode")).toString(),
              QStringLiteral("wal"));
    EXPECT_EQ(db->queryOne(QStringLiteral("PRAGMA foreign_keys"))->value(QStringLiteral("foreign_keys")).toInt(), 1);
    EXPECT_GT(db->queryOne(QStringLiteral("PRAGMA busy_timeout"))->value(QStringLiteral("timeout")).toInt(), 0);
}

TEST(SqliteStore, BindsParametersAndReadsTypedValues) {
    test::TempDir dir;
    auto db = openStore(dir);
    ASSERT_TRUE(db->executeScript(QStringLiteral("CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)")));
    auto w = db->execute(QStringLiteral("INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)"),
                         {qint64(42), 2.5, QStringLiteral("客户 'quoted'"), QByteArray("\x00\x01", 2), QVariant()});
    ASSERT_TRUE(w.ok());
    EXPECT_EQ(w->changes, 1);
    auto row = db->queryOne(QStringLiteral("SELECT * FROM t WHERE s = ?1"), {QStringLiteral("客户 'quoted'")});
    ASSERT_TRUE(row.ok());
    EXPECT_EQ(row->value(QStringLiteral("i")).toLongLong(), 42);
    EXPECT_DOUBLE_EQ(row->value(QStringLiteral("r")).toDouble(), 2.5);
    EXPECT_EQ(row->value(QStringLiteral("b")).toByteArray(), QByteArray("\x00\x01", 2));
    EXPECT_TRUE(row->value(QStringLiteral("n")).isNull());
}

TEST(SqliteStore, ReportsSyntaxAndConstraintErrorsAsValues) {
    test::TempDir dir;
    auto db = openStore(dir);
    auto bad = db->prepare(QStringLiteral("SELEC nonsense"));
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, QStringLiteral("db.syntax"));
    ASSERT_TRUE(db->executeScript(QStringLiteral("CREATE TABLE u(x TEXT UNIQUE)")));
    ASSERT_TRUE(db->execute(QStringLiteral("INSERT INTO u VALUES ('a')")).ok());
    auto dup = db->execute(QStringLiteral("INSERT INTO u VALUES ('a')"));
    ASSERT_FALSE(dup.ok());
    EXPECT_EQ(dup.error().code, QStringLiteral("db.constraint"));
}

TEST(SqliteStore, RefusesTwoStatementsInOnePrepare) {
    test::TempDir dir;
    auto db = openStore(dir);
    auto two = db->prepare(QStringLiteral("SELECT 1; DROP TABLE x"));
    ASSERT_FALSE(two.ok());
    EXPECT_EQ(two.error().code, QStringLiteral("db.syntax"));
}

TEST(SqliteStore, RollsBackATransactionThatFails) {
    test::TempDir dir;
    auto db = openStore(dir);
    ASSERT_TRUE(db->executeScript(QStringLiteral("CREATE TABLE t(x INTEGER)")));
    Status s = db->transaction([&]() -> Status {
        EXPECT_TRUE(db->execute(QStringLiteral("INSERT INTO t VALUES (1)")).ok());
        return Error{QStringLiteral("test"), QStringLiteral("changed my mind")};
    });
    EXPECT_FALSE(s.ok());
    EXPECT_EQ(db->queryOne(QStringLiteral("SELECT count(*) AS n FROM t"))->value(QStringLiteral("n")).toInt(), 0);
    EXPECT_FALSE(db->inTransaction());
}

TEST(SqliteStore, NestedTransactionRollsBackOnlyItsOwnPart) {
    test::TempDir dir;
    auto db = openStore(dir);
    ASSERT_TRUE(db->executeScript(QStringLiteral("CREATE TABLE t(x INTEGER)")));
    Status outer = db->transaction([&]() -> Status {
        EXPECT_TRUE(db->execute(QStringLiteral("INSERT INTO t VALUES (1)")).ok());
        Status inner = db->transaction([&]() -> Status {
            EXPECT_TRUE(db->execute(QStringLiteral("INSERT INTO t VALUES (2)")).ok());
            return Error{QStringLiteral("test"), QStringLiteral("inner fails")};
        });
        EXPECT_FALSE(inner.ok());
        return {};
    });
    EXPECT_TRUE(outer.ok());
    auto rows = db->query(QStringLiteral("SELECT x FROM t"));
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ(rows->front().value(QStringLiteral("x")).toInt(), 1);
}

TEST(SqliteStore, RollsBackWhenWorkThrows) {
    test::TempDir dir;
    auto db = openStore(dir);
    ASSERT_TRUE(db->executeScript(QStringLiteral("CREATE TABLE t(x INTEGER)")));
    EXPECT_THROW((void)db->transaction([&]() -> Status {
        (void)db->execute(QStringLiteral("INSERT INTO t VALUES (1)"));
        throw std::runtime_error("boom");
    }), std::runtime_error);
    EXPECT_EQ(db->queryOne(QStringLiteral("SELECT count(*) AS n FROM t"))->value(QStringLiteral("n")).toInt(), 0);
}

TEST(SqliteStore, ThreadsWriteConcurrentlyWithoutLosingRows) {
    test::TempDir dir;
    auto db = openStore(dir);
    ASSERT_TRUE(db->executeScript(QStringLiteral("CREATE TABLE t(x INTEGER)")));
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                Status s = db->transaction([&]() -> Status {
                    return db->execute(QStringLiteral("INSERT INTO t VALUES (?1)"), {t * 1000 + i});
                });
                EXPECT_TRUE(s.ok()) << s.error().message.toStdString();
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(db->queryOne(QStringLiteral("SELECT count(*) AS n FROM t"))->value(QStringLiteral("n")).toInt(), 200);
}

TEST(SqliteStore, RefusesAFileThatIsNotADatabase) {
    test::TempDir dir;
    const QString path = dir.write(QStringLiteral("junk.db"), QByteArray(4096, 'x'));
    auto store = SqliteStore::open(path);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.error().code, QStringLiteral("db.open"));
    EXPECT_TRUE(store.error().message.contains(path));
}
