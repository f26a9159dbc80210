#include "identity/unit_tree.hpp"

#include "store/migrations.hpp"
#include "store/sqlite_store.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <QSet>

using tessera::Error;
using tessera::Params;
using tessera::host::Unit;
using tessera::host::UnitTree;

namespace {

using tessera::test::english;
using tessera::test::FakeClock;
using tessera::test::ListedScope;
using tessera::test::must;

// Records every statement, so a test can ask SQLite how it runs the tree's own queries.
class RecordingDatabase final : public tessera::Database {
public:
    explicit RecordingDatabase(tessera::Database& inner) : inner_(inner) {}
    tessera::Result<std::unique_ptr<tessera::Statement>> prepare(const QString& sql) override {
        statements.push_back(sql);
        return inner_.prepare(sql);
    }
    tessera::Status transaction(const std::function<tessera::Status()>& work) override { return inner_.transaction(work); }
    tessera::Status bulkTransaction(const QString& description, const std::function<tessera::Status()>& work) override {
        return inner_.bulkTransaction(description, work);
    }
    tessera::Result<tessera::WriteResult> execute(const QString& sql, const Params& params) override {
        statements.push_back(sql);
        return inner_.execute(sql, params);
    }
    std::vector<QString> statements;

private:
    tessera::Database& inner_;
};

// A fresh database with the host's schema, and a tree on it.
struct World {
    World() {
        auto opened = tessera::host::SqliteStore::open(dir.file(QStringLiteral("units.db")));
        if (!opened) throw std::runtime_error(opened.error().message.toStdString());
        store = std::move(opened).value();
        auto applied = tessera::host::Migrations(*store).apply(tessera::host::kCoreMigrationOwner, QStringLiteral("test"),
                                                               tessera::host::coreMigrations());
        if (!applied) throw std::runtime_error(applied.error().message.toStdString());
        tree = std::make_unique<UnitTree>(*store, clock);
    }

    Unit root(const QString& name = QStringLiteral("总部")) { return must(tree->ensureRoot(name)); }
    Unit add(qint64 parentId, const QString& name, const QString& code = {}, int sortOrder = 0) {
        return must(tree->create(parentId, name, code, sortOrder));
    }
    Unit get(qint64 id) { return must(tree->get(id)); }

    template <class T>
    static T must(tessera::Result<T> r) {
        if (!r) throw std::runtime_error((r.error().code + QStringLiteral(": ") + r.error().message).toStdString());
        return std::move(r).value();
    }

    // Every row as text, to show that a refused or failed write changed nothing.
    QString snapshot() {
        auto rows = store->query(QStringLiteral("SELECT * FROM core_units ORDER BY id"));
        if (!rows) return rows.error().message;
        QStringList lines;
        for (const auto& row : *rows) {
            QStringList cells;
            for (auto it = row.begin(); it != row.end(); ++it) cells << it.key() + QLatin1Char('=') + it.value().toString();
            lines << cells.join(QLatin1Char(' '));
        }
        return lines.join(QLatin1Char('\n'));
    }

    qint64 count() { return store->queryOne(QStringLiteral("SELECT count(*) AS n FROM core_units"))->value(QStringLiteral("n")).toLongLong(); }

    tessera::test::TempDir dir;
    std::unique_ptr<tessera::host::SqliteStore> store;
    tessera::test::FakeClock clock;
    std::unique_ptr<UnitTree> tree;
};

std::vector<QString> names(const std::vector<Unit>& units) {
    std::vector<QString> out;
    for (const Unit& u : units) out.push_back(u.name);
    return out;
}

std::vector<QString> paths(const std::vector<Unit>& units) {
    std::vector<QString> out;
    for (const Unit& u : units) out.push_back(u.path);
    return out;
}

// "SEARCH u USING INDEX ..." lines of SQLite's plan for `sql` (parameters left unbound).
QStringList planOf(tessera::Database& db, const QString& sql) {
    QStringList details;
    // Inside a transaction: the store refuses a write statement (even EXPLAINed) outside one.
    tessera::Status s = db.transaction([&]() -> tessera::Status {
        auto rows = db.query(QStringLiteral("EXPLAIN QUERY PLAN ") + sql);
        if (!rows) return rows.error();
        for (const auto& row : *rows) details << row.value(QStringLiteral("detail")).toString();
        return {};
    });
    if (!s) return {QStringLiteral("error: ") + s.error().message};
    return details;
}

QString statementWith(const std::vector<QString>& statements, const QString& part) {
    for (const QString& s : statements) {
        if (s.contains(part)) return s;
    }
    return {};
}

}  // namespace

// ---- root and create ------------------------------------------------------------------

TEST(UnitTree, EnsureRootCreatesTheSingleRootOnceAndThenReturnsIt) {
    World w;
    const Unit root = w.root(QStringLiteral("  总部  "));
    EXPECT_EQ(root.name, QStringLiteral("总部"));
    EXPECT_EQ(root.parentId, 0);
    EXPECT_EQ(root.path, QStringLiteral("/%1/").arg(root.id));
    EXPECT_EQ(root.depth, 0);
    EXPECT_EQ(root.version, 1);
    EXPECT_EQ(root.createdAt, w.clock.time);

    const Unit again = w.root(QStringLiteral("another name"));
    EXPECT_EQ(again.id, root.id);
    EXPECT_EQ(again.name, QStringLiteral("总部"));
    EXPECT_EQ(w.count(), 1);
}

TEST(UnitTree, EnsureRootRefusesAnEmptyName) {
    World w;
    auto r = w.tree->ensureRoot(QStringLiteral("   "));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, QStringLiteral("unit.invalid"));
    EXPECT_EQ(w.count(), 0);
}

TEST(UnitTree, CreatesAUnitBelowItsParentWithItsPathAndDepth) {
    World w;
    const Unit root = w.root();
    const Unit branch = w.add(root.id, QStringLiteral(" 第一支部 "), QStringLiteral(" B01 "), 3);
    EXPECT_EQ(branch.parentId, root.id);
    EXPECT_EQ(branch.name, QStringLiteral("第一支部"));
    EXPECT_EQ(branch.code, QStringLiteral("B01"));
    EXPECT_EQ(branch.sortOrder, 3);
    EXPECT_EQ(branch.depth, 1);
    EXPECT_EQ(branch.path, root.path + QStringLiteral("%1/").arg(branch.id));
    EXPECT_EQ(branch.version, 1);
    EXPECT_EQ(branch.createdAt, w.clock.time);
    EXPECT_EQ(branch.updatedAt, w.clock.time);

    const Unit group = w.add(branch.id, QStringLiteral("第一小组"));
    EXPECT_EQ(group.depth, 2);
    EXPECT_EQ(group.path, branch.path + QStringLiteral("%1/").arg(group.id));
    EXPECT_EQ(w.get(group.id).path, group.path);
}

TEST(UnitTree, RefusesAMissingOrTooLongNameAndATooLongCode) {
    World w;
    const Unit root = w.root();

    auto empty = w.tree->create(root.id, QStringLiteral("  "));
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().code, QStringLiteral("unit.invalid"));
    EXPECT_TRUE(english(empty.error().message).contains(QStringLiteral("name"))) << english(empty.error().message).toStdString();

    auto longName = w.tree->create(root.id, QString(UnitTree::kMaxNameLength + 1, QLatin1Char('x')));
    ASSERT_FALSE(longName.ok());
    EXPECT_EQ(longName.error().code, QStringLiteral("unit.invalid"));
    EXPECT_TRUE(english(longName.error().message).contains(QStringLiteral("101 characters"))) << english(longName.error().message).toStdString();

    auto longCode = w.tree->create(root.id, QStringLiteral("ok"), QString(UnitTree::kMaxCodeLength + 1, QLatin1Char('c')));
    ASSERT_FALSE(longCode.ok());
    EXPECT_TRUE(english(longCode.error().message).startsWith(QStringLiteral("code:"))) << english(longCode.error().message).toStdString();
    EXPECT_EQ(longCode.error().field, QStringLiteral("code")) << "a card that is a unit puts it on its code field";
    EXPECT_EQ(longName.error().field, QStringLiteral("name"));

    EXPECT_TRUE(w.tree->create(root.id, QString(UnitTree::kMaxNameLength, QLatin1Char('x')),
                               QString(UnitTree::kMaxCodeLength, QLatin1Char('c')))
                    .ok());
    EXPECT_EQ(w.count(), 2);
}

TEST(UnitTree, RefusesToCreateUnderAParentThatDoesNotExistOrWithoutAParent) {
    World w;
    w.root();
    const QString before = w.snapshot();
    auto orphan = w.tree->create(999, QStringLiteral("无主"));
    ASSERT_FALSE(orphan.ok());
    EXPECT_EQ(orphan.error().code, QStringLiteral("unit.invalid"));
    EXPECT_TRUE(english(orphan.error().message).contains(QStringLiteral("999"))) << english(orphan.error().message).toStdString();

    auto secondRoot = w.tree->create(0, QStringLiteral("第二个根"));
    ASSERT_FALSE(secondRoot.ok());
    EXPECT_EQ(secondRoot.error().code, QStringLiteral("unit.invalid"));
    EXPECT_EQ(w.snapshot(), before);
}

TEST(UnitTree, AFailedCreateLeavesNoUnitBehind) {
    World w;
    const Unit root = w.root();
    const QString before = w.snapshot();
    // Fail the second step (setting the real path) after the insert has happened.
    ASSERT_TRUE(w.store->executeScript(QStringLiteral(
        "CREATE TRIGGER fail_path BEFORE UPDATE OF path ON core_units BEGIN SELECT RAISE(ABORT, 'injected'); END")));
    auto r = w.tree->create(root.id, QStringLiteral("半途"));
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(english(r.error().message).contains(QStringLiteral("injected"))) << english(r.error().message).toStdString();
    EXPECT_EQ(w.snapshot(), before);
}

// ---- rename ----------------------------------------------------------------------------

TEST(UnitTree, RenameChangesNameCodeAndSortOrderAndBumpsTheVersion) {
    World w;
    const Unit root = w.root();
    const Unit branch = w.add(root.id, QStringLiteral("一支部"), QStringLiteral("B1"));
    w.clock.time = w.clock.time.addSecs(60);
    const Unit renamed = w.must(w.tree->rename(branch.id, QStringLiteral(" 第一支部 "), QStringLiteral("B01"), 7, branch.version));
    EXPECT_EQ(renamed.name, QStringLiteral("第一支部"));
    EXPECT_EQ(renamed.code, QStringLiteral("B01"));
    EXPECT_EQ(renamed.sortOrder, 7);
    EXPECT_EQ(renamed.version, 2);
    EXPECT_EQ(renamed.createdAt, branch.createdAt);
    EXPECT_EQ(renamed.updatedAt, w.clock.time);
    EXPECT_EQ(renamed.path, branch.path);
}

TEST(UnitTree, RenameRefusesAStaleVersionAndChangesNothing) {
    World w;
    const Unit root = w.root();
    const Unit branch = w.add(root.id, QStringLiteral("一支部"));
    w.must(w.tree->rename(branch.id, QStringLiteral("一支部（新）"), {}, 0, 1));
    const QString before = w.snapshot();
    auto r = w.tree->rename(branch.id, QStringLiteral("覆盖"), {}, 0, 1);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, QStringLiteral("unit.stale"));
    EXPECT_TRUE(english(r.error().message).contains(QStringLiteral("version 1"))) << english(r.error().message).toStdString();
    EXPECT_TRUE(english(r.error().message).contains(QStringLiteral("version 2"))) << english(r.error().message).toStdString();
    EXPECT_EQ(w.snapshot(), before);
}

TEST(UnitTree, RenameWithAnyVersionSkipsTheCheck) {
    World w;
    const Unit root = w.root();
    const Unit branch = w.add(root.id, QStringLiteral("一支部"));
    w.must(w.tree->rename(branch.id, QStringLiteral("A"), {}, 0, 1));
    EXPECT_EQ(w.must(w.tree->rename(branch.id, QStringLiteral("B"), {}, 0, UnitTree::kAnyVersion)).version, 3);
}

TEST(UnitTree, RenameOfAMissingUnitOrToAnEmptyNameIsRefused) {
    World w;
    const Unit root = w.root();
    auto missing = w.tree->rename(42, QStringLiteral("x"), {}, 0, 1);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, QStringLiteral("unit.not_found"));
    EXPECT_TRUE(english(missing.error().message).contains(QStringLiteral("42")));
    auto empty = w.tree->rename(root.id, QString(), {}, 0, 1);
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().code, QStringLiteral("unit.invalid"));
    EXPECT_EQ(w.get(root.id).name, root.name);
}

// ---- move ------------------------------------------------------------------------------

TEST(UnitTree, MovesASubtreeAndRewritesEveryPath) {
    World w;
    const Unit root = w.root();
    const Unit east = w.add(root.id, QStringLiteral("东区"));
    const Unit west = w.add(root.id, QStringLiteral("西区"));
    const Unit branch = w.add(east.id, QStringLiteral("一支部"));
    const Unit group = w.add(branch.id, QStringLiteral("一组"));
    const Unit cell = w.add(group.id, QStringLiteral("一班"));
    const Unit stay = w.add(east.id, QStringLiteral("二支部"));
    const QString westBefore = w.snapshot().section(QLatin1Char('\n'), 2, 2);
    w.clock.time = w.clock.time.addSecs(3600);

    const Unit moved = w.must(w.tree->move(branch.id, west.id, branch.version));
    EXPECT_EQ(moved.parentId, west.id);
    EXPECT_EQ(moved.path, west.path + QStringLiteral("%1/").arg(branch.id));
    EXPECT_EQ(moved.depth, 2);
    EXPECT_EQ(moved.version, branch.version + 1);
    EXPECT_EQ(moved.updatedAt, w.clock.time);

    EXPECT_EQ(w.get(group.id).path, moved.path + QStringLiteral("%1/").arg(group.id));
    EXPECT_EQ(w.get(group.id).depth, 3);
    EXPECT_EQ(w.get(cell.id).path, moved.path + QStringLiteral("%1/%2/").arg(group.id).arg(cell.id));
    EXPECT_EQ(w.get(cell.id).depth, 4);
    EXPECT_EQ(w.get(cell.id).version, 1);  // its own fields did not change
    EXPECT_EQ(w.get(stay.id).path, stay.path);
    EXPECT_EQ(w.snapshot().section(QLatin1Char('\n'), 2, 2), westBefore);  // the new parent itself is untouched
    EXPECT_EQ(names(w.must(w.tree->subtree(west.id))),
              (std::vector<QString>{QStringLiteral("西区"), QStringLiteral("一支部"), QStringLiteral("一组"), QStringLiteral("一班")}));
    EXPECT_EQ(names(w.must(w.tree->subtree(east.id))), (std::vector<QString>{QStringLiteral("东区"), QStringLiteral("二支部")}));
}

TEST(UnitTree, MovesASubtreeUpTowardsTheRoot) {
    World w;
    const Unit root = w.root();
    const Unit a = w.add(root.id, QStringLiteral("A"));
    const Unit b = w.add(a.id, QStringLiteral("B"));
    const Unit c = w.add(b.id, QStringLiteral("C"));
    const Unit d = w.add(c.id, QStringLiteral("D"));
    const Unit moved = w.must(w.tree->move(c.id, root.id, c.version));
    EXPECT_EQ(moved.depth, 1);
    EXPECT_EQ(moved.path, QStringLiteral("/%1/%2/").arg(root.id).arg(c.id));
    EXPECT_EQ(w.get(d.id).depth, 2);
    EXPECT_EQ(w.get(d.id).path, QStringLiteral("/%1/%2/%3/").arg(root.id).arg(c.id).arg(d.id));
    EXPECT_EQ(names(w.must(w.tree->subtree(a.id))), (std::vector<QString>{QStringLiteral("A"), QStringLiteral("B")}));
}

TEST(UnitTree, RefusesToMoveAUnitUnderItselfOrItsOwnDescendant) {
    World w;
    const Unit root = w.root();
    const Unit branch = w.add(root.id, QStringLiteral("一支部"));
    const Unit group = w.add(branch.id, QStringLiteral("一组"));
    const Unit cell = w.add(group.id, QStringLiteral("一班"));
    const QString before = w.snapshot();

    auto underItself = w.tree->move(branch.id, branch.id, branch.version);
    ASSERT_FALSE(underItself.ok());
    EXPECT_EQ(underItself.error().code, QStringLiteral("unit.cycle"));
    EXPECT_TRUE(english(underItself.error().message).contains(QStringLiteral("under itself"))) << english(underItself.error().message).toStdString();

    auto underDescendant = w.tree->move(branch.id, cell.id, branch.version);
    ASSERT_FALSE(underDescendant.ok());
    EXPECT_EQ(underDescendant.error().code, QStringLiteral("unit.cycle"));
    EXPECT_TRUE(english(underDescendant.error().message).contains(QStringLiteral("一班"))) << english(underDescendant.error().message).toStdString();
    EXPECT_TRUE(english(underDescendant.error().message).contains(QStringLiteral("一支部")));
    EXPECT_EQ(w.snapshot(), before);
}

TEST(UnitTree, RefusesToMoveTheRoot) {
    World w;
    const Unit root = w.root();
    const Unit branch = w.add(root.id, QStringLiteral("一支部"));
    auto r = w.tree->move(root.id, branch.id, root.version);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, QStringLiteral("unit.root"));
}

TEST(UnitTree, RefusesAMoveWithAStaleVersionOrToAMissingParent) {
    World w;
    const Unit root = w.root();
    const Unit east = w.add(root.id, QStringLiteral("东区"));
    const Unit branch = w.add(root.id, QStringLiteral("一支部"));
    w.must(w.tree->rename(branch.id, QStringLiteral("第一支部"), {}, 0, branch.version));
    const QString before = w.snapshot();

    auto stale = w.tree->move(branch.id, east.id, branch.version);
    ASSERT_FALSE(stale.ok());
    EXPECT_EQ(stale.error().code, QStringLiteral("unit.stale"));

    auto nowhere = w.tree->move(branch.id, 777, UnitTree::kAnyVersion);
    ASSERT_FALSE(nowhere.ok());
    EXPECT_EQ(nowhere.error().code, QStringLiteral("unit.invalid"));
    EXPECT_TRUE(english(nowhere.error().message).contains(QStringLiteral("777")));

    auto missing = w.tree->move(555, east.id, UnitTree::kAnyVersion);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, QStringLiteral("unit.not_found"));
    EXPECT_EQ(w.snapshot(), before);
}

TEST(UnitTree, MovingUnderTheSameParentChangesNothing) {
    World w;
    const Unit root = w.root();
    const Unit branch = w.add(root.id, QStringLiteral("一支部"));
    const QString before = w.snapshot();
    const Unit same = w.must(w.tree->move(branch.id, root.id, branch.version));
    EXPECT_EQ(same.version, branch.version);
    EXPECT_EQ(w.snapshot(), before);
}

TEST(UnitTree, AMoveThatFailsHalfwayLeavesEveryPathAsItWas) {
    World w;
    const Unit root = w.root();
    const Unit east = w.add(root.id, QStringLiteral("东区"));
    const Unit west = w.add(root.id, QStringLiteral("西区"));
    const Unit branch = w.add(east.id, QStringLiteral("一支部"));
    w.add(branch.id, QStringLiteral("一组"));
    const QString before = w.snapshot();
    // The subtree's paths are rewritten first; then setting the parent fails.
    ASSERT_TRUE(w.store->executeScript(QStringLiteral(
        "CREATE TRIGGER fail_parent BEFORE UPDATE OF parent_id ON core_units BEGIN SELECT RAISE(ABORT, 'injected'); END")));
    auto r = w.tree->move(branch.id, west.id, branch.version);
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(english(r.error().message).contains(QStringLiteral("injected"))) << english(r.error().message).toStdString();
    EXPECT_EQ(w.snapshot(), before);
}

// ---- remove ----------------------------------------------------------------------------

TEST(UnitTree, RemovesAUnitWithoutChildrenOrData) {
    World w;
    const Unit root = w.root();
    const Unit branch = w.add(root.id, QStringLiteral("一支部"));
    ASSERT_TRUE(w.tree->remove(branch.id, branch.version).ok());
    auto gone = w.tree->get(branch.id);
    ASSERT_FALSE(gone.ok());
    EXPECT_EQ(gone.error().code, QStringLiteral("unit.not_found"));
}

TEST(UnitTree, RefusesToRemoveAUnitWithChildrenNamingHowManyAndTheFirstFew) {
    World w;
    const Unit root = w.root();
    const Unit branch = w.add(root.id, QStringLiteral("一支部"));
    w.add(branch.id, QStringLiteral("丁组"), {}, 4);
    w.add(branch.id, QStringLiteral("甲组"), {}, 1);
    w.add(branch.id, QStringLiteral("乙组"), {}, 2);
    w.add(branch.id, QStringLiteral("丙组"), {}, 3);
    const QString before = w.snapshot();
    tessera::Status s = w.tree->remove(branch.id);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, QStringLiteral("unit.not_empty"));
    EXPECT_EQ(english(s.error().message),
              QStringLiteral("unit \"一支部\" (%1) still has 4 child units (甲组, 乙组, 丙组 and 1 more); move or remove them first")
                  .arg(branch.id));
    EXPECT_EQ(w.snapshot(), before);
}

TEST(UnitTree, RefusesToRemoveAUnitThatAPluginStillUses) {
    World w;
    const Unit root = w.root();
    const Unit branch = w.add(root.id, QStringLiteral("一支部"));
    qint64 asked = 0;
    w.tree->addUsageCheck(QStringLiteral("biz.customers"), QStringLiteral("biz.customers.read"), [&](qint64 unitId) -> tessera::Result<QString> {
        asked = unitId;
        return QStringLiteral("3 customers");
    });
    w.tree->addUsageCheck(QStringLiteral("party.daily"), QStringLiteral("party.daily.read"), [](qint64) -> tessera::Result<QString> { return QString(); });
    w.tree->addUsageCheck(QStringLiteral("party.dues"), QStringLiteral("party.dues.read"), [](qint64) -> tessera::Result<QString> { return QStringLiteral("2 dues records"); });

    tessera::Status s = w.tree->remove(branch.id);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(asked, branch.id);
    EXPECT_EQ(s.error().code, QStringLiteral("unit.not_empty"));
    EXPECT_EQ(english(s.error().message), QStringLiteral("unit \"一支部\" (%1) is still in use: 3 customers, 2 dues records; "
                                                         "move or remove those first")
                                              .arg(branch.id));
    EXPECT_TRUE(w.tree->get(branch.id).ok());

    w.tree->removeUsageChecks(QStringLiteral("biz.customers"));
    w.tree->removeUsageChecks(QStringLiteral("party.dues"));
    EXPECT_TRUE(w.tree->remove(branch.id).ok());
}

TEST(UnitTree, AFailingUsageCheckKeepsTheUnitAndSaysWhichCheckFailed) {
    World w;
    const Unit root = w.root();
    const Unit branch = w.add(root.id, QStringLiteral("一支部"));
    w.tree->addUsageCheck(QStringLiteral("biz.broken"), QStringLiteral("biz.broken.read"), [](qint64) -> tessera::Result<QString> {
        return Error{QStringLiteral("db.error"), QStringLiteral("no such table: biz_broken")};
    });
    w.tree->addUsageCheck(QStringLiteral("biz.throws"), QStringLiteral("biz.throws.read"), [](qint64) -> tessera::Result<QString> { throw std::runtime_error("boom"); });
    tessera::Status s = w.tree->remove(branch.id);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, QStringLiteral("unit.usage_check"));
    EXPECT_TRUE(english(s.error().message).contains(QStringLiteral("biz.broken"))) << english(s.error().message).toStdString();
    EXPECT_TRUE(english(s.error().message).contains(QStringLiteral("no such table"))) << english(s.error().message).toStdString();

    w.tree->removeUsageChecks(QStringLiteral("biz.broken"));
    tessera::Status thrown = w.tree->remove(branch.id);
    ASSERT_FALSE(thrown.ok());
    EXPECT_TRUE(english(thrown.error().message).contains(QStringLiteral("boom"))) << english(thrown.error().message).toStdString();
    EXPECT_TRUE(w.tree->get(branch.id).ok());
}

TEST(UnitTree, TurnsAForeignKeyRefusalIntoNotEmpty) {
    World w;
    const Unit root = w.root();
    const Unit branch = w.add(root.id, QStringLiteral("一支部"));
    ASSERT_TRUE(w.store->executeScript(QStringLiteral(
        "CREATE TABLE biz_things(id INTEGER PRIMARY KEY, unit_id INTEGER NOT NULL REFERENCES core_units(id));"
        "INSERT INTO biz_things(unit_id) VALUES (%1);").arg(branch.id)));
    const QString before = w.snapshot();
    tessera::Status s = w.tree->remove(branch.id);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, QStringLiteral("unit.not_empty"));
    EXPECT_TRUE(english(s.error().message).contains(QStringLiteral("other records still belong to it"))) << english(s.error().message).toStdString();
    EXPECT_TRUE(english(s.error().message).contains(QStringLiteral("一支部")));
    EXPECT_EQ(w.snapshot(), before);
}

TEST(UnitTree, RefusesToRemoveTheRootAStaleVersionOrAMissingUnit) {
    World w;
    const Unit root = w.root();
    const Unit branch = w.add(root.id, QStringLiteral("一支部"));
    w.must(w.tree->rename(branch.id, QStringLiteral("第一支部"), {}, 0, branch.version));
    const QString before = w.snapshot();

    tessera::Status rootRemoval = w.tree->remove(root.id);
    ASSERT_FALSE(rootRemoval.ok());
    EXPECT_EQ(rootRemoval.error().code, QStringLiteral("unit.root"));

    tessera::Status stale = w.tree->remove(branch.id, branch.version);
    ASSERT_FALSE(stale.ok());
    EXPECT_EQ(stale.error().code, QStringLiteral("unit.stale"));

    tessera::Status missing = w.tree->remove(404);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, QStringLiteral("unit.not_found"));
    EXPECT_EQ(w.snapshot(), before);
}

// ---- reads -----------------------------------------------------------------------------

TEST(UnitTree, ListsChildrenBySortOrderThenIdWithTheirChildCounts) {
    World w;
    const Unit root = w.root();
    const Unit c = w.add(root.id, QStringLiteral("C"), {}, 2);
    const Unit a = w.add(root.id, QStringLiteral("A"), {}, 1);
    const Unit b = w.add(root.id, QStringLiteral("B"), {}, 2);
    w.add(a.id, QStringLiteral("A1"));
    w.add(a.id, QStringLiteral("A2"));
    w.add(b.id, QStringLiteral("B1"));
    const auto children = w.must(w.tree->children(root.id));
    ASSERT_EQ(children.size(), 3u);
    EXPECT_EQ(names(children), (std::vector<QString>{QStringLiteral("A"), QStringLiteral("C"), QStringLiteral("B")}));
    EXPECT_LT(c.id, b.id);
    EXPECT_EQ(children[0].childCount, 2);
    EXPECT_EQ(children[1].childCount, 0);
    EXPECT_EQ(children[2].childCount, 1);
    EXPECT_FALSE(w.get(a.id).childCount.has_value());  // only children() counts
    EXPECT_TRUE(w.must(w.tree->children(c.id)).empty());

    auto missing = w.tree->children(999);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, QStringLiteral("unit.not_found"));
}

TEST(UnitTree, SubtreeIsTheUnitAndAllItsDescendantsInPathOrder) {
    World w;
    const Unit root = w.root();
    const Unit a = w.add(root.id, QStringLiteral("A"));
    const Unit b = w.add(root.id, QStringLiteral("B"));
    const Unit a1 = w.add(a.id, QStringLiteral("A1"));
    w.add(b.id, QStringLiteral("B1"));
    w.add(a1.id, QStringLiteral("A1x"));
    w.add(a.id, QStringLiteral("A2"));
    const auto sub = w.must(w.tree->subtree(a.id));
    EXPECT_EQ(names(sub), (std::vector<QString>{QStringLiteral("A"), QStringLiteral("A1"), QStringLiteral("A1x"), QStringLiteral("A2")}));
    auto sorted = paths(sub);
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(paths(sub), sorted);
    EXPECT_EQ(w.must(w.tree->subtree(root.id)).size(), 7u);
}

TEST(UnitTree, SubtreeOfUnit2DoesNotIncludeUnit20WhoseIdStartsAlike) {
    World w;
    const Unit root = w.root();
    std::vector<Unit> level1;
    for (int i = 0; i < 25; ++i) level1.push_back(w.add(root.id, QStringLiteral("U%1").arg(i)));
    const Unit two = w.get(2), twenty = w.get(20);
    ASSERT_EQ(two.path, QStringLiteral("/1/2/"));
    ASSERT_EQ(twenty.path, QStringLiteral("/1/20/"));
    w.add(twenty.id, QStringLiteral("under twenty"));
    w.add(two.id, QStringLiteral("under two"));
    EXPECT_EQ(UnitTree::rangeEnd(QStringLiteral("/1/2/")), QStringLiteral("/1/20"));
    EXPECT_EQ(names(w.must(w.tree->subtree(two.id))), (std::vector<QString>{two.name, QStringLiteral("under two")}));
    EXPECT_EQ(names(w.must(w.tree->subtree(twenty.id))), (std::vector<QString>{twenty.name, QStringLiteral("under twenty")}));
    EXPECT_TRUE(w.must(w.tree->contains(two.id, two.id)));
    EXPECT_FALSE(w.must(w.tree->contains(two.id, twenty.id)));
}

TEST(UnitTree, AncestorsStartAtTheRootAndExcludeTheUnit) {
    World w;
    const Unit root = w.root();
    const Unit a = w.add(root.id, QStringLiteral("A"));
    const Unit b = w.add(a.id, QStringLiteral("B"));
    const Unit c = w.add(b.id, QStringLiteral("C"));
    EXPECT_EQ(names(w.must(w.tree->ancestors(c.id))), (std::vector<QString>{root.name, QStringLiteral("A"), QStringLiteral("B")}));
    EXPECT_TRUE(w.must(w.tree->ancestors(root.id)).empty());
    EXPECT_FALSE(w.tree->ancestors(999).ok());
}

TEST(UnitTree, ContainsIsTrueForTheUnitItselfAndEverythingBelowOnly) {
    World w;
    const Unit root = w.root();
    const Unit a = w.add(root.id, QStringLiteral("A"));
    const Unit a1 = w.add(a.id, QStringLiteral("A1"));
    const Unit b = w.add(root.id, QStringLiteral("B"));
    EXPECT_TRUE(w.must(w.tree->contains(root.id, a1.id)));
    EXPECT_TRUE(w.must(w.tree->contains(a.id, a1.id)));
    EXPECT_TRUE(w.must(w.tree->contains(a.id, a.id)));
    EXPECT_FALSE(w.must(w.tree->contains(a1.id, a.id)));
    EXPECT_FALSE(w.must(w.tree->contains(b.id, a1.id)));
    EXPECT_EQ(w.tree->contains(a.id, 999).error().code, QStringLiteral("unit.not_found"));
}

TEST(UnitTree, SearchFindsNameOrCodeAndGivesThePathOfNames) {
    World w;
    const Unit root = w.root();
    const Unit east = w.add(root.id, QStringLiteral("东区"), QStringLiteral("E"));
    w.add(east.id, QStringLiteral("第一支部"), QStringLiteral("E-01"));
    w.add(east.id, QStringLiteral("第二支部"), QStringLiteral("E-02"));
    w.add(root.id, QStringLiteral("西区 100%"), QStringLiteral("W_1"));

    const auto byName = w.must(w.tree->search(QStringLiteral("支部"), 10));
    ASSERT_EQ(byName.size(), 2u);
    EXPECT_EQ(byName[0].unit.name, QStringLiteral("第一支部"));
    EXPECT_EQ(byName[0].pathNames, (QStringList{QStringLiteral("总部"), QStringLiteral("东区"), QStringLiteral("第一支部")}));

    const auto byCode = w.must(w.tree->search(QStringLiteral("e-02"), 10));
    ASSERT_EQ(byCode.size(), 1u);
    EXPECT_EQ(byCode[0].unit.name, QStringLiteral("第二支部"));

    // % and _ are matched literally, not as wildcards.
    EXPECT_EQ(w.must(w.tree->search(QStringLiteral("0%"), 10)).size(), 1u);
    EXPECT_EQ(w.must(w.tree->search(QStringLiteral("W_"), 10)).size(), 1u);
    EXPECT_EQ(w.must(w.tree->search(QStringLiteral("E_"), 10)).size(), 0u);

    EXPECT_EQ(w.must(w.tree->search(QStringLiteral("区"), 1)).size(), 1u);
    EXPECT_EQ(w.tree->search(QStringLiteral("  "), 10).error().code, QStringLiteral("unit.invalid"));
}

TEST(UnitTree, ReadsStayInsideTheCallersScope) {
    World w;
    const Unit root = w.root();
    const Unit east = w.add(root.id, QStringLiteral("东区"));
    const Unit west = w.add(root.id, QStringLiteral("西区"));
    const Unit e1 = w.add(east.id, QStringLiteral("东一支部"));
    const Unit e2 = w.add(east.id, QStringLiteral("东二支部"));
    const Unit e1a = w.add(e1.id, QStringLiteral("东一甲组"));
    w.add(west.id, QStringLiteral("西一支部"));
    const ListedScope eastOnly({east.id, e1.id, e1a.id});  // e2 left out on purpose

    EXPECT_EQ(names(w.must(w.tree->children(east.id, &eastOnly))), (std::vector<QString>{QStringLiteral("东一支部")}));
    EXPECT_EQ(names(w.must(w.tree->subtree(east.id, &eastOnly))),
              (std::vector<QString>{QStringLiteral("东区"), QStringLiteral("东一支部"), QStringLiteral("东一甲组")}));
    EXPECT_EQ(names(w.must(w.tree->ancestors(e1a.id, &eastOnly))), (std::vector<QString>{QStringLiteral("东区"), QStringLiteral("东一支部")}));

    const auto found = w.must(w.tree->search(QStringLiteral("支部"), 10, &eastOnly));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].unit.id, e1.id);
    EXPECT_EQ(found[0].pathNames, (QStringList{QStringLiteral("东区"), QStringLiteral("东一支部")}));

    EXPECT_EQ(names(w.must(w.tree->topUnits(&eastOnly))), (std::vector<QString>{QStringLiteral("东区")}));
    const ListedScope scattered({e2.id, e1a.id, west.id});
    // Each unit whose parent is outside the scope starts a branch of its own, in tree order.
    EXPECT_EQ(names(w.must(w.tree->topUnits(&scattered))),
              (std::vector<QString>{QStringLiteral("东一甲组"), QStringLiteral("东二支部"), QStringLiteral("西区")}));
    EXPECT_EQ(names(w.must(w.tree->topUnits(nullptr))), (std::vector<QString>{root.name}));
    const ListedScope nothing({});
    EXPECT_TRUE(w.must(w.tree->topUnits(&nothing)).empty());
    EXPECT_TRUE(w.must(w.tree->subtree(root.id, &nothing)).empty());
}

// ---- cost ------------------------------------------------------------------------------

TEST(UnitTree, SubtreeQueryIsOneRangeOnThePathIndex) {
    World w;
    const Unit root = w.root();
    const Unit a = w.add(root.id, QStringLiteral("A"));
    for (int i = 0; i < 50; ++i) w.add(i % 2 ? a.id : root.id, QStringLiteral("U%1").arg(i));

    RecordingDatabase recorded(*w.store);
    UnitTree tree(recorded, w.clock);
    ASSERT_TRUE(tree.subtree(a.id).ok());
    const QString subtreeSql = statementWith(recorded.statements, QStringLiteral("path >="));
    ASSERT_FALSE(subtreeSql.isEmpty());
    EXPECT_FALSE(subtreeSql.contains(QStringLiteral("LIKE"), Qt::CaseInsensitive));
    const QStringList plan = planOf(*w.store, subtreeSql);
    const QString shown = plan.join(QStringLiteral(" | "));
    EXPECT_TRUE(shown.contains(QStringLiteral("SEARCH"))) << shown.toStdString();
    EXPECT_TRUE(shown.contains(QStringLiteral("USING INDEX"))) << shown.toStdString();
    EXPECT_TRUE(shown.contains(QStringLiteral("path>? AND path<?"))) << shown.toStdString();
    EXPECT_FALSE(shown.contains(QStringLiteral("SCAN"))) << shown.toStdString();
    EXPECT_FALSE(shown.contains(QStringLiteral("TEMP B-TREE"))) << shown.toStdString();  // already in path order

    // The move's rewrite touches the same range, and nothing else.
    recorded.statements.clear();
    const Unit target = w.add(root.id, QStringLiteral("target"));
    ASSERT_TRUE(tree.move(a.id, target.id, UnitTree::kAnyVersion).ok());
    const QString rewrite = statementWith(recorded.statements, QStringLiteral("substr(path"));
    ASSERT_FALSE(rewrite.isEmpty());
    const QString movePlan = planOf(*w.store, rewrite).join(QStringLiteral(" | "));
    EXPECT_TRUE(movePlan.contains(QStringLiteral("SEARCH"))) << movePlan.toStdString();
    EXPECT_TRUE(movePlan.contains(QStringLiteral("INDEX sqlite_autoindex_core_units_1"))) << movePlan.toStdString();
    EXPECT_FALSE(movePlan.contains(QStringLiteral("SCAN"))) << movePlan.toStdString();
}

TEST(UnitTree, ChildrenQueryUsesTheParentIndex) {
    World w;
    const Unit root = w.root();
    for (int i = 0; i < 20; ++i) w.add(root.id, QStringLiteral("U%1").arg(i));
    RecordingDatabase recorded(*w.store);
    UnitTree tree(recorded, w.clock);
    ASSERT_TRUE(tree.children(root.id).ok());
    const QString sql = statementWith(recorded.statements, QStringLiteral("child_count"));
    ASSERT_FALSE(sql.isEmpty());
    const QString shown = planOf(*w.store, sql).join(QStringLiteral(" | "));
    EXPECT_TRUE(shown.contains(QStringLiteral("core_units_parent"))) << shown.toStdString();
    EXPECT_FALSE(shown.contains(QStringLiteral("SCAN"))) << shown.toStdString();
    EXPECT_FALSE(shown.contains(QStringLiteral("TEMP B-TREE"))) << shown.toStdString();
}
