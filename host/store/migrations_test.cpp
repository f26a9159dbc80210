#include "store/migrations.hpp"

#include "runtime/manifest.hpp"

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

TEST_F(MigrationsTest, TheRebuildThatStopsIdReuseKeepsEveryRowAndWhatRefersToIt) {
    // The host's schema before migration 0010, with data in it.
    std::vector<MigrationFile> before, all = coreMigrations();
    for (const auto& f : all)
        if (f.number < 10) before.push_back(f);
    ASSERT_TRUE(migrations.apply(kCoreMigrationOwner, QStringLiteral("test"), before).ok());
    ASSERT_TRUE(db->executeScript(QStringLiteral(
        "INSERT INTO core_units(id, parent_id, name, path, depth, created_at, updated_at) VALUES "
        "  (1, NULL, 'root', '/1/', 0, 't', 't'), (2, 1, 'a', '/1/2/', 1, 't', 't'), (3, 1, 'gone', '/1/3/', 1, 't', 't');"
        "DELETE FROM core_units WHERE id = 3;"
        "INSERT INTO core_users(id, username, password_hash, unit_id, created_at, updated_at) VALUES (1, 'u', 'h', 2, 't', 't');"
        "INSERT INTO core_roles(id, name, created_at, updated_at) VALUES (1, 'admin', 't', 't'), (2, 'reader', 't', 't');"
        "INSERT INTO core_role_permissions VALUES (1, '*'), (2, 'core.units.read');"
        "INSERT INTO core_assignments(id, user_id, role_id, unit_id, scope, created_at) VALUES (1, 1, 1, NULL, 'all', 't'), (2, 1, 2, 2, 'unit', 't');"
        "INSERT INTO core_sessions VALUES ('hash', 1, 'csrf', '', 't', 't', 't');")));

    ASSERT_TRUE(migrations.apply(kCoreMigrationOwner, QStringLiteral("test"), all).ok());
    // Nothing was lost, nor deleted in cascade when the old tables went.
    EXPECT_EQ(count(QStringLiteral("core_units")), 2);
    EXPECT_EQ(count(QStringLiteral("core_roles")), 2);
    EXPECT_EQ(count(QStringLiteral("core_role_permissions")), 2);
    EXPECT_EQ(count(QStringLiteral("core_assignments")), 2);
    EXPECT_EQ(count(QStringLiteral("core_sessions")), 1);
    EXPECT_TRUE(db->query(QStringLiteral("PRAGMA foreign_key_check"))->empty());
    // The id of the unit deleted before the migration is not given again, nor any other.
    auto unit = db->execute(QStringLiteral("INSERT INTO core_units(parent_id, name, path, depth, created_at, updated_at) "
                                           "VALUES (1, 'new', '/1/x/', 1, 't', 't')"));
    ASSERT_TRUE(unit.ok());
    EXPECT_EQ(unit->lastInsertId, 4);
    // The foreign keys hold: a role still assigned cannot go.
    EXPECT_FALSE(db->execute(QStringLiteral("DELETE FROM core_roles WHERE id = 2")).ok());
    // The identity stamp still moves with changes that alter rights.
    const qint64 stamp = db->queryOne(QStringLiteral("SELECT stamp FROM core_identity_stamp"))->value(QStringLiteral("stamp")).toLongLong();
    ASSERT_TRUE(db->execute(QStringLiteral("DELETE FROM core_assignments WHERE id = 2")).ok());
    EXPECT_GT(db->queryOne(QStringLiteral("SELECT stamp FROM core_identity_stamp"))->value(QStringLiteral("stamp")).toLongLong(), stamp);
    ASSERT_TRUE(db->execute(QStringLiteral("DELETE FROM core_roles WHERE id = 2")).ok());
    EXPECT_EQ(count(QStringLiteral("core_role_permissions")), 1) << "deleting a role still takes its permissions";
    auto role = db->execute(QStringLiteral("INSERT INTO core_roles(name, created_at, updated_at) VALUES ('next', 't', 't')"));
    ASSERT_TRUE(role.ok());
    EXPECT_EQ(role->lastInsertId, 3);
}

// A plugin's migration may drop a counted column (counted="true"), which the triggers keeping
// its counts name: they go before the plugin's files run, and the cards' tables are then
// reconciled with their triggers made again and the counts made afresh.
TEST_F(MigrationsTest, APluginMigrationMayDropACountedColumn) {
    const auto card = [](const QByteArray& fields) {
        const QByteArray labels = R"(<label lang="zh-CN">标签</label><label lang="en">Label</label>)";
        auto parsed = Manifest::parse(
            "<?xml version=\"1.0\"?>\n<plugin id=\"x.test\" version=\"1.0.0\" sdk-api=\"1\">"
            "<name lang=\"zh-CN\">测试</name><name lang=\"en\">Test</name><library>x.test</library>"
            "<permissions><permission id=\"x.test.read\">" +
                labels + "</permission></permissions><dictionaries><dictionary id=\"st\">" + labels + "<item code=\"a\">" + labels +
                "</item><item code=\"b\">" + labels +
                "</item></dictionary></dictionaries><views><card id=\"c\" resource=\"cs\" table=\"x_c\" "
                "read=\"x.test.read\" write=\"x.test.read\" roll=\"gone\">" +
                labels + "<section id=\"s\">" + labels + "<field name=\"unitId\" kind=\"unit\">" + labels +
                "</field><field name=\"gone\" kind=\"date\">" + labels + "</field>" + fields + "</section></card></views></plugin>\n",
            QStringLiteral("/plugins/x.test/manifest.xml"));
        EXPECT_TRUE(parsed.ok()) << (parsed.errors.empty() ? std::string() : parsed.errors.front().message.toStdString());
        return parsed.value->cards;
    };
    const QByteArray labels = R"(<label lang="zh-CN">标签</label><label lang="en">Label</label>)";
    const auto before = card("<field name=\"state\" kind=\"dropdown\" dictionary=\"st\" filter=\"true\" counted=\"true\">" + labels +
                             "</field><field name=\"size\" kind=\"integer\" counted=\"true\">" + labels + "</field>");
    StoreSchemaMigrations schema(*db);
    ASSERT_TRUE(schema.applyCore().ok());
    ASSERT_TRUE(schema.applyCards(before).ok());
    ASSERT_TRUE(
        db->execute(QStringLiteral("INSERT INTO x_c (state, size, created_at, updated_at) VALUES ('a', 3, 'x', 'x'), ('b', 3, 'x', 'x'), "
                                   "('a', NULL, 'x', 'x')"))
            .ok());
    const auto kept = [&] {
        QStringList out;
        auto rows = db->query(
            QStringLiteral("SELECT col || ':' || on_roll || ':' || quote(value) || '=' || n AS k FROM core_kept_counts WHERE tbl = 'x_c' "
                           "ORDER BY col, on_roll, value"));
        EXPECT_TRUE(rows.ok());
        if (rows)
            for (const auto& row : *rows) out << row.value(QStringLiteral("k")).toString();
        return out.join(u' ');
    };
    EXPECT_EQ(kept(), QStringLiteral("size:1:3=2 size:1:X''=1 state:1:'a'=2 state:1:'b'=1"));
    ASSERT_TRUE(db->execute(QStringLiteral("UPDATE x_c SET gone = '2026-01-01' WHERE state = 'b'")).ok());
    EXPECT_EQ(kept(), QStringLiteral("size:0:3=1 size:1:3=1 size:1:X''=1 state:0:'b'=1 state:1:'a'=2 state:1:'b'=0"));

    dir.write(QStringLiteral("plugin/migrations/0001_drop_state.sql"), "DROP INDEX x_c_state; ALTER TABLE x_c DROP COLUMN state;");
    auto applied = schema.apply(QStringLiteral("x.test"), QStringLiteral("1.1.0"), migrationDir, before);
    ASSERT_TRUE(applied.ok()) << applied.error().message.toStdString();
    const auto after = card("<field name=\"size\" kind=\"integer\" counted=\"true\">" + labels + "</field>");
    auto done = schema.applyCards(after);
    ASSERT_TRUE(done.ok()) << done.error().message.toStdString();
    EXPECT_TRUE(done->contains(QStringLiteral("keeping counts of x_c by size"))) << done->join(u'\n').toStdString();
    EXPECT_EQ(kept(), QStringLiteral("size:0:3=1 size:1:3=1 size:1:X''=1")) << "counted afresh, on the roll and off it";
    ASSERT_TRUE(db->execute(QStringLiteral("INSERT INTO x_c (size, created_at, updated_at) VALUES (3, 'x', 'x')")).ok());
    EXPECT_EQ(kept(), QStringLiteral("size:0:3=1 size:1:3=2 size:1:X''=1")) << "kept by the triggers made again";

    // A table renamed by a migration keeps its triggers under the old name; the host finds
    // them by the table they are on, and an import's suspension and a new card drop them.
    dir.write(QStringLiteral("plugin/migrations/0002_rename.sql"), "ALTER TABLE x_c RENAME TO x_d;");
    ASSERT_TRUE(schema.apply(QStringLiteral("x.test"), QStringLiteral("1.2.0"), migrationDir, after).ok());
    EXPECT_EQ(count(QStringLiteral("sqlite_master WHERE type = 'trigger' AND name GLOB '*_kept_count_*'")), 0)
        << "dropped before the files ran";
    ASSERT_TRUE(db->execute(QStringLiteral("ALTER TABLE x_d RENAME TO x_c")).ok());
    ASSERT_TRUE(schema.applyCards(card("")).ok());
    EXPECT_EQ(kept(), QString()) << "nothing counted any more: no counts kept";
}
