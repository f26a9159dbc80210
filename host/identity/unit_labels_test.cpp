#include "identity/unit_labels.hpp"

#include "identity/access_control.hpp"
#include "identity/unit_tree.hpp"
#include "store/migrations.hpp"
#include "store/sqlite_store.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <ostream>

static void PrintTo(const QString& s, std::ostream* os) { *os << '"' << s.toStdString() << '"'; }

using tessera::host::Grant;
using tessera::host::GrantScope;
using tessera::host::UnitLabel;
using tessera::host::UnitLabels;
using tessera::host::UnitTree;

namespace {

using tessera::test::FakeClock;
using tessera::test::ListedScope;
using tessera::test::must;

// 总部
// ├── 东区 ── 街道3 ── 第1党支部
// │                └── 社区5 ── 网格2 ── 第1党支部 (deep)
// └── 西区 ── 街道3 ── 第1党支部
struct World {
    World() {
        store = must(tessera::host::SqliteStore::open(dir.file(QStringLiteral("labels.db"))));
        (void)must(tessera::host::Migrations(*store).apply(tessera::host::kCoreMigrationOwner, QStringLiteral("test"),
                                                           tessera::host::coreMigrations()));
        tree = std::make_unique<UnitTree>(*store, clock);
        root = must(tree->ensureRoot(QStringLiteral("总部"))).id;
        east = add(root, QStringLiteral("东区"));
        eastStreet = add(east, QStringLiteral("街道3"));
        eastBranch = add(eastStreet, QStringLiteral("第1党支部"));
        community = add(eastStreet, QStringLiteral("社区5"));
        grid = add(community, QStringLiteral("网格2"));
        deep = add(grid, QStringLiteral("第1党支部"));
        west = add(root, QStringLiteral("西区"));
        westStreet = add(west, QStringLiteral("街道3"));
        westBranch = add(westStreet, QStringLiteral("第1党支部"));
    }
    qint64 add(qint64 parent, const QString& name) { return must(tree->create(parent, name)).id; }
    QString pathOf(qint64 id) { return must(tree->get(id)).path; }
    Grant grant(Grant::Kind kind, qint64 unitId, const QString& permission = QStringLiteral("records.read")) {
        Grant g;
        g.kind = kind;
        g.unitId = unitId;
        g.unitPath = unitId ? pathOf(unitId) : QString();
        g.permissions = {permission};
        return g;
    }
    std::shared_ptr<const tessera::Scope> scope(std::vector<Grant> grants) { return std::make_shared<GrantScope>(*store, std::move(grants)); }
    UnitLabel labelOf(UnitLabels& labels, qint64 id) {
        auto label = must(labels.label(id));
        if (!label) throw std::runtime_error("no label");
        return *label;
    }

    tessera::test::TempDir dir;
    std::unique_ptr<tessera::host::SqliteStore> store;
    FakeClock clock;
    std::unique_ptr<UnitTree> tree;
    qint64 root = 0, east = 0, eastStreet = 0, eastBranch = 0, community = 0, grid = 0, deep = 0, west = 0, westStreet = 0, westBranch = 0;
};

}  // namespace

TEST(UnitLabels, AnAdministratorSeesThePathBelowTheRootAndTellsSameNamedBranchesApart) {
    World w;
    UnitLabels labels(*w.store, nullptr);
    const UnitLabel east = w.labelOf(labels, w.eastBranch), west = w.labelOf(labels, w.westBranch);
    EXPECT_EQ(east.shown(), QStringLiteral("东区/街道3/第1党支部"));
    EXPECT_EQ(west.shown(), QStringLiteral("西区/街道3/第1党支部"));
    EXPECT_EQ(east.relative(), QStringLiteral("东区/街道3/第1党支部"));
    EXPECT_EQ(east.full(), QStringLiteral("总部/东区/街道3/第1党支部"));
    EXPECT_EQ(w.labelOf(labels, w.root).shown(), QStringLiteral("总部")) << "the top unit by its own name";
    EXPECT_EQ(w.labelOf(labels, w.east).shown(), QStringLiteral("东区"));
}

TEST(UnitLabels, AnAllUnitsGrantViewsTheTreeFromTheRoot) {
    World w;
    UnitLabels labels(*w.store, w.scope({w.grant(Grant::Kind::All, 0)}));
    EXPECT_EQ(w.labelOf(labels, w.westBranch).full(), QStringLiteral("总部/西区/街道3/第1党支部"));
    EXPECT_EQ(w.labelOf(labels, w.westBranch).relative(), QStringLiteral("西区/街道3/第1党支部"));
}

TEST(UnitLabels, APathOfMoreThanThreeLevelsKeepsTheFirstAndTheLastTwo) {
    World w;
    UnitLabels labels(*w.store, nullptr);
    const UnitLabel deep = w.labelOf(labels, w.deep);
    EXPECT_EQ(deep.shown(), QStringLiteral("东区/…/网格2/第1党支部"));
    EXPECT_EQ(deep.relative(), QStringLiteral("东区/街道3/社区5/网格2/第1党支部")) << "exports write the path whole";
    EXPECT_EQ(deep.full(), QStringLiteral("总部/东区/街道3/社区5/网格2/第1党支部"));
}

TEST(UnitLabels, AScopedViewerSeesThePathBelowTheirTopUnitAndNothingAboveIt) {
    World w;
    UnitLabels labels(*w.store, w.scope({w.grant(Grant::Kind::Subtree, w.east)}));
    const UnitLabel branch = w.labelOf(labels, w.eastBranch);
    EXPECT_EQ(branch.shown(), QStringLiteral("街道3/第1党支部"));
    EXPECT_EQ(branch.relative(), QStringLiteral("街道3/第1党支部"));
    EXPECT_EQ(branch.full(), QStringLiteral("东区/街道3/第1党支部")) << "the root lies above the viewer's scope";
    EXPECT_EQ(w.labelOf(labels, w.east).full(), QStringLiteral("东区"));
    EXPECT_EQ(w.labelOf(labels, w.deep).shown(), QStringLiteral("街道3/…/网格2/第1党支部"));
    EXPECT_EQ(w.labelOf(labels, w.deep).relative(), QStringLiteral("街道3/社区5/网格2/第1党支部"));
}

TEST(UnitLabels, AUnitTheViewerMayNotKnowOfHasNoLabel) {
    World w;
    UnitLabels labels(*w.store, w.scope({w.grant(Grant::Kind::Subtree, w.east)}));
    auto found = must(labels.labels({w.root, w.west, w.westBranch, w.eastBranch, 999999}));
    EXPECT_EQ(found.keys(), QList<qint64>{w.eastBranch}) << "the parent of the top unit, another branch and no unit at all";
    EXPECT_FALSE(must(labels.label(w.root)).has_value());
}

TEST(UnitLabels, SeveralTopUnitsStartThePathWithTheTopUnitsName) {
    World w;
    UnitLabels labels(*w.store, w.scope({w.grant(Grant::Kind::Subtree, w.east), w.grant(Grant::Kind::Subtree, w.west)}));
    EXPECT_EQ(w.labelOf(labels, w.eastBranch).shown(), QStringLiteral("东区/街道3/第1党支部"));
    EXPECT_EQ(w.labelOf(labels, w.westBranch).shown(), QStringLiteral("西区/街道3/第1党支部"));
    EXPECT_EQ(w.labelOf(labels, w.westBranch).relative(), QStringLiteral("西区/街道3/第1党支部"));
    EXPECT_EQ(w.labelOf(labels, w.west).shown(), QStringLiteral("西区"));
}

TEST(UnitLabels, AUnitBelowAGapInTheScopeStartsItsOwnPath) {
    World w;
    // 东区 alone, and the branch two levels below it: 街道3 between them is not the viewer's.
    UnitLabels labels(*w.store, w.scope({w.grant(Grant::Kind::Unit, w.east), w.grant(Grant::Kind::Subtree, w.eastBranch)}));
    const UnitLabel branch = w.labelOf(labels, w.eastBranch);
    EXPECT_EQ(branch.full(), QStringLiteral("第1党支部"));
    EXPECT_EQ(branch.shown(), QStringLiteral("第1党支部"));
    EXPECT_FALSE(must(labels.label(w.eastStreet)).has_value());
}

TEST(UnitLabels, EveryLabelNamesExactlyTheUnitsOfTheScope) {
    World w;
    UnitLabels labels(*w.store, w.scope({w.grant(Grant::Kind::Subtree, w.west)}));
    const auto every = must(labels.everyLabel());
    EXPECT_EQ(every.size(), 3);
    EXPECT_EQ(every.value(w.westBranch).relative(), QStringLiteral("街道3/第1党支部"));
    EXPECT_EQ(every.value(w.west).relative(), QStringLiteral("西区"));
    EXPECT_FALSE(every.contains(w.root));
}

TEST(UnitLabels, AScopeOfAnotherKindFindsItsTopUnitsInTheTree) {
    World w;
    UnitLabels one(*w.store, std::make_shared<ListedScope>(QSet<qint64>{w.eastStreet, w.eastBranch}));
    EXPECT_EQ(w.labelOf(one, w.eastBranch).shown(), QStringLiteral("第1党支部"));
    EXPECT_EQ(w.labelOf(one, w.eastBranch).full(), QStringLiteral("街道3/第1党支部"));
    UnitLabels two(*w.store, std::make_shared<ListedScope>(QSet<qint64>{w.eastStreet, w.eastBranch, w.westStreet, w.westBranch}));
    EXPECT_EQ(w.labelOf(two, w.eastBranch).shown(), QStringLiteral("街道3/第1党支部"));
    EXPECT_EQ(w.labelOf(two, w.eastBranch).relative(), QStringLiteral("街道3/第1党支部"));
}

TEST(UnitLabels, TheUnitsACallerMayKnowOfAreThoseOfThePermissionAndOfTheTree) {
    World w;
    // Records of the street's subtree, and the tree of 东区 alone.
    tessera::Caller caller{1, QStringLiteral("li"), QStringLiteral("李"), w.eastBranch};
    tessera::host::CallerAccess access(*w.store, caller,
                                       {w.grant(Grant::Kind::Subtree, w.eastStreet), w.grant(Grant::Kind::Unit, w.east, UnitTree::kReadPermission),
                                        w.grant(Grant::Kind::All, 0, QStringLiteral("other.read"))});
    UnitLabels labels(*w.store, access, QStringLiteral("records.read"));
    EXPECT_EQ(w.labelOf(labels, w.eastBranch).full(), QStringLiteral("东区/街道3/第1党支部"));
    EXPECT_EQ(w.labelOf(labels, w.eastBranch).shown(), QStringLiteral("街道3/第1党支部"));
    EXPECT_FALSE(must(labels.label(w.westBranch)).has_value()) << "another permission's scope names nothing here";
    UnitLabels tree(*w.store, access, UnitTree::kReadPermission);
    EXPECT_EQ(w.labelOf(tree, w.east).full(), QStringLiteral("东区"));
}

TEST(GrantScope, CountsItsTopUnitsFromTheGrants) {
    World w;
    EXPECT_EQ(GrantScope(*w.store, {w.grant(Grant::Kind::All, 0)}).topUnitCount(), 1);
    EXPECT_EQ(GrantScope(*w.store, {}).topUnitCount(), 0);
    EXPECT_EQ(GrantScope(*w.store, {w.grant(Grant::Kind::Subtree, w.east), w.grant(Grant::Kind::Unit, w.eastBranch)}).topUnitCount(), 1);
    EXPECT_EQ(GrantScope(*w.store, {w.grant(Grant::Kind::Unit, w.eastStreet), w.grant(Grant::Kind::Unit, w.eastBranch)}).topUnitCount(), 1)
        << "the branch's parent is granted";
    EXPECT_EQ(GrantScope(*w.store, {w.grant(Grant::Kind::Unit, w.east), w.grant(Grant::Kind::Unit, w.eastBranch)}).topUnitCount(), 2);
    EXPECT_EQ(GrantScope(*w.store, {w.grant(Grant::Kind::Subtree, w.east), w.grant(Grant::Kind::Subtree, w.west)}).topUnitCount(), 2);
    EXPECT_EQ(GrantScope(*w.store, {w.grant(Grant::Kind::Subtree, w.root)}).topUnitCount(), 1);
}

TEST(GrantScope, TellsFromAUnitsPathWhatContainsTellsFromTheTree) {
    World w;
    const std::vector<std::vector<Grant>> scopes{{w.grant(Grant::Kind::All, 0)},
                                                 {w.grant(Grant::Kind::Subtree, w.east)},
                                                 {w.grant(Grant::Kind::Unit, w.east), w.grant(Grant::Kind::Subtree, w.grid)},
                                                 {w.grant(Grant::Kind::Unit, w.westStreet), w.grant(Grant::Kind::Unit, w.eastBranch)},
                                                 {}};
    for (const auto& grants : scopes) {
        const GrantScope scope(*w.store, grants);
        for (const qint64 id : {w.root, w.east, w.eastStreet, w.eastBranch, w.community, w.grid, w.deep, w.west, w.westStreet, w.westBranch})
            EXPECT_EQ(scope.containsPath(id, w.pathOf(id)), scope.contains(id)) << "unit " << id << " in a scope of " << grants.size() << " grants";
    }
}
