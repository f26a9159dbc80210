#include "store/migrations.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

using namespace tessera;
using namespace tessera::host;

namespace {
struct MigrationsTest : ::testing::Test {
    test::TempDir dir;
    std::unique_ptr<SqliteStore> db = std::move(SqliteStore::open(dir.file(QStringLiteral("m.db")))).value();
    Migrations migrations{*db};
    QString migrationDir = dir.file(QStringLiteral("plugin/migrations"));

    int count(const QString& table) {
        return db->queryOne(QStringLiteral("SELECT count(*) AS n FROM %1").arg(table))->value(QStringLiteral("n")).toInt();
    }
};
}  // namespace

TEST_F(MigrationsTest, AppliesEachFileOnceInOrderAndRecordsIt) {
    dir.write(QStringLiteral("plugin/migrations/0002_add_rows.sql"), "INSERT INTO t VALUES (1); INSERT INTO t VALUES (2);");
    dir.write(QStringLiteral("plugin/migrations/0001_create.sql"), "CREATE TABLE t(x INTEGER);");
    auto first = migrations.apply(QStringLiteral("x.test"), QStringLiteral("1.0.0"), migrationDir);
    ASSERT_TRUE(first.ok()) << first.error().message.toStdString();
    EXPECT_EQ(*first, 2);
    auto again = migrations.apply(QStringLiteral("x.test"), QStringLiteral("1.0.0"), migrationDir);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, 0);
    EXPECT_EQ(count(QStringLiteral("t")), 2);
    auto rec = db->query(QStringLiteral("SELECT plugin_id, number, plugin_version FROM core_migrations ORDER BY number"));
    ASSERT_EQ(rec->size(), 2u);
    EXPECT_EQ(rec->at(0).value(QStringLiteral("plugin_version")).toString(), QStringLiteral("1.0.0"));
}

TEST_F(MigrationsTest, AFailingMigrationRollsBackCompletely) {
    dir.write(QStringLiteral("plugin/migrations/0001_create.sql"), "CREATE TABLE t(x INTEGER);");
    dir.write(QStringLiteral("plugin/migrations/0002_broken.sql"),
              "CREATE TABLE half(y INTEGER); INSERT INTO t VALUES (1); INSERT INTO no_such_table VALUES (1);");
    auto r = migrations.apply(QStringLiteral("x.test"), QStringLiteral("1.0.0"), migrationDir);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, QStringLiteral("migration.failed"));
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("0002_broken.sql")));
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("no_such_table")));
    EXPECT_EQ(count(QStringLiteral("t")), 0);
    EXPECT_FALSE(db->query(QStringLiteral("SELECT * FROM half")).ok());
    auto pending = migrations.pending(QStringLiteral("x.test"), migrationDir);
    ASSERT_TRUE(pending.ok());
    ASSERT_EQ(pending->size(), 1u);
    EXPECT_EQ(pending->front().number, 2);
}

TEST_F(MigrationsTest, RefusesAnAppliedFileThatChanged) {
    const QString path = dir.write(QStringLiteral("plugin/migrations/0001_create.sql"), "CREATE TABLE t(x INTEGER);");
    ASSERT_TRUE(migrations.apply(QStringLiteral("x.test"), QStringLiteral("1.0.0"), migrationDir).ok());
    dir.write(QStringLiteral("plugin/migrations/0001_create.sql"), "CREATE TABLE t(x INTEGER, y TEXT);");
    auto r = migrations.pending(QStringLiteral("x.test"), migrationDir);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, QStringLiteral("migration.changed"));
    EXPECT_TRUE(r.error().message.contains(path));
}

TEST_F(MigrationsTest, RefusesBadlyNamedAndDuplicateFiles) {
    dir.write(QStringLiteral("plugin/migrations/create.sql"), "SELECT 1;");
    auto r = Migrations::list(migrationDir);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(r.error().message.contains(QStringLiteral("create.sql")));

    test::TempDir other;
    other.write(QStringLiteral("m/0001_a.sql"), "SELECT 1;");
    other.write(QStringLiteral("m/0001_b.sql"), "SELECT 1;");
    auto dup = Migrations::list(other.file(QStringLiteral("m")));
    ASSERT_FALSE(dup.ok());
    EXPECT_TRUE(dup.error().message.contains(QStringLiteral("0001_a.sql")));
}

TEST_F(MigrationsTest, KeepsPluginsApart) {
    dir.write(QStringLiteral("plugin/migrations/0001_create.sql"), "CREATE TABLE IF NOT EXISTS t(x INTEGER);");
    ASSERT_TRUE(migrations.apply(QStringLiteral("a.one"), QStringLiteral("1.0.0"), migrationDir).ok());
    auto other = migrations.pending(QStringLiteral("b.two"), migrationDir);
    ASSERT_TRUE(other.ok());
    EXPECT_EQ(other->size(), 1u);
}
