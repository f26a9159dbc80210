#include "identity/access_control.hpp"

#include "identity/accounts.hpp"
#include "store/migrations.hpp"
#include "store/sqlite_store.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <ostream>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

static void PrintTo(const QString& s, std::ostream* os) { *os << '"' << s.toStdString() << '"'; }

using tessera::Params;
using tessera::host::Accounts;
using tessera::host::CallerAccess;
using tessera::host::Grant;
using tessera::host::GrantScope;
using tessera::host::loadAccess;
using tessera::host::pathRangeEnd;
using tessera::host::RightsCache;
using tessera::host::ScopeKind;

namespace {

using tessera::test::english;
using tessera::test::FakeClock;
using tessera::test::ListedScope;
using tessera::test::must;

using Ids = std::set<qint64>;

// The record that belongs to no unit shows up as this id in query results.
constexpr qint64 kNoUnit = 0;

// A fresh database with the host's schema and this tree, whose ids are chosen so that
// textual prefixes mislead ("/1/5/" is not a prefix of "/1/50/" or "/1/55/"):
//
//   1 /1/
//   ├── 2 /1/2/
//   │   └── 3 /1/2/3/
//   ├── 5 /1/5/
//   │   ├── 8 /1/5/8/
//   │   └── 51 /1/5/51/
//   │       └── 7 /1/5/51/7/
//   ├── 50 /1/50/
//   │   └── 9 /1/50/9/
//   └── 55 /1/55/
//
// plus a table `records` holding one record per unit and one with no unit.
struct World {
    World() {
        store = must(tessera::host::SqliteStore::open(dir.file(QStringLiteral("access.db"))));
        (void)must(tessera::host::Migrations(*store).apply(tessera::host::kCoreMigrationOwner, QStringLiteral("test"),
                                                           tessera::host::coreMigrations()));
        accounts = std::make_unique<Accounts>(*store, clock);
        must(accounts->ensureBuiltinRoles());
        (void)must(store->execute(QStringLiteral("CREATE TABLE records (id INTEGER PRIMARY KEY, unit_id INTEGER REFERENCES core_units(id))")));
        addUnit(1, 0);
        addUnit(2, 1);
        addUnit(3, 2);
        addUnit(5, 1);
        addUnit(8, 5);
        addUnit(51, 5);
        addUnit(7, 51);
        addUnit(50, 1);
        addUnit(9, 50);
        addUnit(55, 1);
        (void)must(store->execute(QStringLiteral("INSERT INTO records(id, unit_id) VALUES (1000, NULL)")));
    }

    void addUnit(qint64 id, qint64 parentId) {
        const QString path = (parentId ? pathOf(parentId) : QStringLiteral("/")) + QString::number(id) + QLatin1Char('/');
        (void)must(store->execute(QStringLiteral("INSERT INTO core_units(id, parent_id, name, path, depth, created_at, updated_at) "
                                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"),
                                  {id, parentId ? QVariant(parentId) : QVariant(), QStringLiteral("unit %1").arg(id), path,
                                   path.count(QLatin1Char('/')) - 2, QStringLiteral("2026-03-01T09:00:00.000Z")}));
        (void)must(store->execute(QStringLiteral("INSERT INTO records(unit_id) VALUES (?1)"), {id}));
        units.insert(id);
    }

    QString pathOf(qint64 unitId) {
        return must(store->queryOne(QStringLiteral("SELECT path FROM core_units WHERE id = ?1"), {unitId})).value(QStringLiteral("path")).toString();
    }

    Grant grant(Grant::Kind kind, qint64 unitId = 0, QSet<QString> permissions = {QStringLiteral("records.read")}) {
        Grant g;
        g.kind = kind;
        g.unitId = unitId;
        g.unitPath = unitId ? pathOf(unitId) : QString();
        g.permissions = std::move(permissions);
        return g;
    }

    // The units of the records a scope's condition lets through (kNoUnit for the record without one).
    Ids matching(const tessera::Scope& scope) {
        Params params;
        const QString condition = scope.condition(QStringLiteral("r.unit_id"), params);
        const auto rows = must(store->query(QStringLiteral("SELECT r.unit_id FROM records r WHERE ") + condition, params));
        Ids out;
        for (const auto& row : rows) out.insert(row.value(QStringLiteral("unit_id")).toLongLong());
        return out;
    }

    // The units within a path range, as the schema's comment describes the subtree query.
    Ids inRange(const QString& path) {
        const auto rows = must(store->query(QStringLiteral("SELECT id FROM core_units WHERE path >= ?1 AND path < ?2"),
                                            {path, pathRangeEnd(path)}));
        Ids out;
        for (const auto& row : rows) out.insert(row.value(QStringLiteral("id")).toLongLong());
        return out;
    }

    qint64 insertUser(const QString& username, qint64 unitId = 0) {
        return must(store->execute(QStringLiteral("INSERT INTO core_users(username, display_name, password_hash, unit_id, created_at, updated_at) "
                                                  "VALUES (?1, ?2, 'not-a-hash', ?3, ?4, ?4)"),
                                   {username, username.toUpper(), unitId ? QVariant(unitId) : QVariant(),
                                    QStringLiteral("2026-03-01T09:00:00.000Z")}))
            .lastInsertId;
    }

    qint64 role(const QString& name, const QStringList& permissions) { return must(accounts->createRole(name, QString(), permissions)); }
    qint64 adminRole() { return must(accounts->roleByName(tessera::host::kAdministratorRole)).id; }

    std::unique_ptr<CallerAccess> load(qint64 userId) { return must(loadAccess(*store, userId)); }

    tessera::test::TempDir dir;
    std::unique_ptr<tessera::host::SqliteStore> store;
    FakeClock clock;
    std::unique_ptr<Accounts> accounts;
    Ids units;
};

Ids containedUnits(World& w, const tessera::Scope& scope) {
    Ids out;
    for (const qint64 id : w.units)
        if (scope.contains(id)) out.insert(id);
    return out;
}

}  // namespace

// --- path ranges -------------------------------------------------------------------------

TEST(AccessControl, ThePathRangeOfAUnitEndsWhereItsLastSlashBecomesZero) {
    EXPECT_EQ(pathRangeEnd(QStringLiteral("/1/5/")), QStringLiteral("/1/50"));
    EXPECT_EQ(pathRangeEnd(QStringLiteral("/1/")), QStringLiteral("/10"));
    EXPECT_EQ(pathRangeEnd(QStringLiteral("/12/345/")), QStringLiteral("/12/3450"));
}

TEST(AccessControl, ThePathRangeHoldsExactlyTheUnitAndItsDescendants) {
    World w;
    EXPECT_EQ(w.inRange(QStringLiteral("/1/5/")), (Ids{5, 8, 51, 7}));
    EXPECT_EQ(w.inRange(QStringLiteral("/1/50/")), (Ids{50, 9}));
    EXPECT_EQ(w.inRange(QStringLiteral("/1/55/")), (Ids{55}));
    EXPECT_EQ(w.inRange(QStringLiteral("/1/")), w.units);
}

TEST(AccessControl, ThePathRangeOfEveryUnitMatchesItsPathPrefix) {
    World w;
    for (const qint64 id : w.units) {
        const QString path = w.pathOf(id);
        Ids expected;
        for (const qint64 other : w.units)
            if (w.pathOf(other).startsWith(path)) expected.insert(other);
        EXPECT_EQ(w.inRange(path), expected) << "unit " << id;
    }
}

// --- scopes ------------------------------------------------------------------------------

TEST(GrantScope, AUnitGrantReachesOnlyThatUnit) {
    World w;
    const GrantScope scope(*w.store, {w.grant(Grant::Kind::Unit, 5)});
    EXPECT_EQ(w.matching(scope), (Ids{5}));
    EXPECT_EQ(containedUnits(w, scope), (Ids{5}));
    EXPECT_FALSE(scope.all());
    EXPECT_FALSE(scope.empty());
}

TEST(GrantScope, ASubtreeGrantReachesTheUnitAndAllItsDescendants) {
    World w;
    const GrantScope scope(*w.store, {w.grant(Grant::Kind::Subtree, 5)});
    EXPECT_EQ(w.matching(scope), (Ids{5, 8, 51, 7}));
    EXPECT_EQ(containedUnits(w, scope), (Ids{5, 8, 51, 7}));
}

TEST(GrantScope, ASubtreeGrantReachesNeitherSiblingsWithSimilarIdsNorTheParent) {
    World w;
    const GrantScope scope(*w.store, {w.grant(Grant::Kind::Subtree, 5)});
    for (const qint64 outside : {1, 2, 50, 9, 55}) {
        EXPECT_FALSE(scope.contains(outside)) << outside;
        EXPECT_FALSE(w.matching(scope).count(outside)) << outside;
    }
}

TEST(GrantScope, AParentUnitIsNeverImpliedByAChild) {
    World w;
    const GrantScope scope(*w.store, {w.grant(Grant::Kind::Subtree, 51)});
    EXPECT_EQ(w.matching(scope), (Ids{51, 7}));
    EXPECT_FALSE(scope.contains(5));
    EXPECT_FALSE(scope.contains(1));
}

TEST(GrantScope, SeveralGrantsCombineByUnion) {
    World w;
    const GrantScope scope(*w.store, {w.grant(Grant::Kind::Unit, 2), w.grant(Grant::Kind::Subtree, 50), w.grant(Grant::Kind::Unit, 7)});
    EXPECT_EQ(w.matching(scope), (Ids{2, 50, 9, 7}));
    EXPECT_EQ(containedUnits(w, scope), (Ids{2, 50, 9, 7}));
}

TEST(GrantScope, SubtreesWhoseIdsShareAPrefixStaySeparate) {
    World w;
    // "/1/5/" must not swallow "/1/50/" as redundant, nor the other way round.
    const GrantScope scope(*w.store, {w.grant(Grant::Kind::Subtree, 5), w.grant(Grant::Kind::Subtree, 50)});
    EXPECT_EQ(w.matching(scope), (Ids{5, 8, 51, 7, 50, 9}));
    EXPECT_EQ(containedUnits(w, scope), (Ids{5, 8, 51, 7, 50, 9}));
}

TEST(GrantScope, DropsGrantsThatASubtreeGrantAlreadyCoversWithoutChangingWhatItReaches) {
    World w;
    const GrantScope scope(*w.store, {w.grant(Grant::Kind::Unit, 8), w.grant(Grant::Kind::Subtree, 5), w.grant(Grant::Kind::Subtree, 51),
                                      w.grant(Grant::Kind::Subtree, 5), w.grant(Grant::Kind::Unit, 5)});
    Params params;
    (void)scope.condition(QStringLiteral("unit_id"), params);
    EXPECT_EQ(params.size(), 2u) << "one range for the subtree of 5";
    EXPECT_EQ(w.matching(scope), (Ids{5, 8, 51, 7}));
    EXPECT_EQ(containedUnits(w, scope), (Ids{5, 8, 51, 7}));
}

TEST(GrantScope, AllReachesEveryRowIncludingRowsWithoutAUnit) {
    World w;
    const GrantScope scope(*w.store, {w.grant(Grant::Kind::Unit, 2), w.grant(Grant::Kind::All)});
    EXPECT_TRUE(scope.all());
    EXPECT_FALSE(scope.empty());
    Params params;
    EXPECT_EQ(scope.condition(QStringLiteral("r.unit_id"), params), QStringLiteral("1=1"));
    EXPECT_TRUE(params.empty());
    Ids everything = w.units;
    everything.insert(kNoUnit);
    EXPECT_EQ(w.matching(scope), everything);
    EXPECT_TRUE(scope.contains(9));
    EXPECT_TRUE(scope.contains(12345)) << "all() does not look units up";
}

TEST(GrantScope, AScopeOtherThanAllNeverReachesRowsWithoutAUnit) {
    World w;
    const GrantScope scope(*w.store, {w.grant(Grant::Kind::Subtree, 1)});
    EXPECT_EQ(w.matching(scope), w.units);
    EXPECT_FALSE(scope.contains(kNoUnit));
    EXPECT_FALSE(scope.all());
}

TEST(GrantScope, AnEmptyScopeReachesNothing) {
    World w;
    const GrantScope scope(*w.store, {});
    EXPECT_TRUE(scope.empty());
    EXPECT_FALSE(scope.all());
    Params params;
    EXPECT_EQ(scope.condition(QStringLiteral("r.unit_id"), params), QStringLiteral("1=0"));
    EXPECT_TRUE(params.empty());
    EXPECT_TRUE(w.matching(scope).empty());
    EXPECT_TRUE(containedUnits(w, scope).empty());
    EXPECT_FALSE(scope.contains(kNoUnit));
}

TEST(GrantScope, ContainsAgreesWithTheConditionOnEveryUnit) {
    World w;
    const std::vector<std::vector<Grant>> cases = {
        {w.grant(Grant::Kind::Unit, 1)},
        {w.grant(Grant::Kind::Subtree, 2)},
        {w.grant(Grant::Kind::Subtree, 5), w.grant(Grant::Kind::Unit, 55)},
        {w.grant(Grant::Kind::Subtree, 51), w.grant(Grant::Kind::Subtree, 50), w.grant(Grant::Kind::Unit, 3)},
        {w.grant(Grant::Kind::Unit, 5), w.grant(Grant::Kind::Unit, 50), w.grant(Grant::Kind::Unit, 51)},
        {w.grant(Grant::Kind::Subtree, 9), w.grant(Grant::Kind::Subtree, 1)},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const GrantScope scope(*w.store, cases[i]);
        Ids matched = w.matching(scope);
        EXPECT_EQ(containedUnits(w, scope), matched) << "case " << i;
        EXPECT_FALSE(scope.contains(999)) << "an unknown unit, case " << i;
    }
}

TEST(GrantScope, NumbersItsParametersAfterTheCallersOwn) {
    World w;
    const GrantScope scope(*w.store, {w.grant(Grant::Kind::Unit, 2), w.grant(Grant::Kind::Subtree, 5)});
    Params params{qint64{1000}, qint64{8}};
    const QString sql = QStringLiteral("SELECT r.unit_id FROM records r WHERE r.id <> ?1 AND r.unit_id <> ?2 AND ") +
                        scope.condition(QStringLiteral("r.unit_id"), params);
    EXPECT_EQ(params.size(), 5u);
    Ids found;
    for (const auto& row : must(w.store->query(sql, params))) found.insert(row.value(QStringLiteral("unit_id")).toLongLong());
    EXPECT_EQ(found, (Ids{2, 5, 51, 7}));
}

// --- a user's rights ---------------------------------------------------------------------

TEST(AccessControl, LoadsTheCallerAsTheUser) {
    World w;
    const qint64 alice = w.insertUser(QStringLiteral("alice"), 3);
    const auto access = w.load(alice);
    EXPECT_EQ(access->caller().userId, alice);
    EXPECT_EQ(access->caller().username, QStringLiteral("alice"));
    EXPECT_EQ(access->caller().displayName, QStringLiteral("ALICE"));
    EXPECT_EQ(access->caller().unitId, 3);
}

TEST(AccessControl, AUserWithoutAssignmentsCanDoNothing) {
    World w;
    const auto access = w.load(w.insertUser(QStringLiteral("alice")));
    EXPECT_FALSE(access->can(QStringLiteral("records.read")));
    EXPECT_TRUE(access->scope(QStringLiteral("records.read")).empty());
    EXPECT_TRUE(access->permissions().isEmpty());
}

TEST(AccessControl, UnitesThePermissionsOfEveryAssignment) {
    World w;
    const qint64 alice = w.insertUser(QStringLiteral("alice"));
    must(w.accounts->grant(alice, w.role(QStringLiteral("reader"), {QStringLiteral("records.read")}), ScopeKind::Unit, 2));
    must(w.accounts->grant(alice, w.role(QStringLiteral("clerk"), {QStringLiteral("records.write"), QStringLiteral("dues.read")}),
                           ScopeKind::Subtree, 5));
    const auto access = w.load(alice);
    EXPECT_EQ(access->permissions(), (QStringList{QStringLiteral("dues.read"), QStringLiteral("records.read"), QStringLiteral("records.write")}));
    EXPECT_TRUE(access->can(QStringLiteral("records.read")));
    EXPECT_TRUE(access->can(QStringLiteral("records.write")));
    EXPECT_TRUE(access->can(QStringLiteral("dues.read")));
    EXPECT_FALSE(access->can(QStringLiteral("dues.write")));
    EXPECT_EQ(access->grants().size(), 2u);
}

TEST(AccessControl, TheScopeOfAPermissionUsesOnlyTheAssignmentsWhoseRoleHasIt) {
    World w;
    const qint64 alice = w.insertUser(QStringLiteral("alice"));
    must(w.accounts->grant(alice, w.role(QStringLiteral("reader"), {QStringLiteral("records.read")}), ScopeKind::Subtree, 2));
    must(w.accounts->grant(alice, w.role(QStringLiteral("clerk"), {QStringLiteral("records.read"), QStringLiteral("records.write")}),
                           ScopeKind::Unit, 5));
    const auto access = w.load(alice);

    EXPECT_EQ(w.matching(access->scope(QStringLiteral("records.read"))), (Ids{2, 3, 5}));
    EXPECT_EQ(w.matching(access->scope(QStringLiteral("records.write"))), (Ids{5}));
    EXPECT_FALSE(access->scope(QStringLiteral("records.write")).contains(2));
    EXPECT_TRUE(access->scope(QStringLiteral("records.delete")).empty());
    EXPECT_TRUE(w.matching(access->scope(QStringLiteral("records.delete"))).empty());
}

TEST(AccessControl, AnAdministratorOfAllUnitsCanDoAnythingAnywhere) {
    World w;
    const qint64 root = w.insertUser(QStringLiteral("root"));
    must(w.accounts->grant(root, w.adminRole(), ScopeKind::All, 0));
    const auto access = w.load(root);
    EXPECT_TRUE(access->can(QStringLiteral("records.read")));
    EXPECT_TRUE(access->can(QStringLiteral("some.plugin.permission")));
    EXPECT_TRUE(access->scope(QStringLiteral("some.plugin.permission")).all());
    EXPECT_EQ(access->permissions(), QStringList{QStringLiteral("*")});
}

TEST(AccessControl, TheAdministratorRoleOnOneUnitReachesOnlyThatUnit) {
    World w;
    const qint64 boss = w.insertUser(QStringLiteral("boss"));
    must(w.accounts->grant(boss, w.adminRole(), ScopeKind::Unit, 2));
    const auto access = w.load(boss);
    EXPECT_TRUE(access->can(QStringLiteral("records.read")));
    const auto& scope = access->scope(QStringLiteral("records.read"));
    EXPECT_FALSE(scope.all());
    EXPECT_EQ(w.matching(scope), (Ids{2}));
}

TEST(AccessControl, ARoleWithoutPermissionsGrantsNothing) {
    World w;
    const qint64 alice = w.insertUser(QStringLiteral("alice"));
    must(w.accounts->grant(alice, w.role(QStringLiteral("nothing"), {}), ScopeKind::Subtree, 1));
    const auto access = w.load(alice);
    EXPECT_TRUE(access->grants().empty());
    EXPECT_TRUE(access->scope(QStringLiteral("records.read")).empty());
}

TEST(AccessControl, ADisabledOrDeletedUserIsUnknown) {
    World w;
    const qint64 alice = w.insertUser(QStringLiteral("alice"));
    must(w.accounts->grant(alice, w.adminRole(), ScopeKind::All, 0));
    // Another administrator of all units, so alice is not the last one (who cannot be disabled).
    must(w.accounts->grant(w.insertUser(QStringLiteral("bob")), w.adminRole(), ScopeKind::All, 0));
    must(w.accounts->setDisabled(alice, true));
    auto disabled = loadAccess(*w.store, alice);
    ASSERT_FALSE(disabled);
    EXPECT_EQ(disabled.error().code, QStringLiteral("auth.unknown_user"));

    (void)must(w.store->execute(QStringLiteral("DELETE FROM core_users WHERE id = ?1"), {alice}));
    auto deleted = loadAccess(*w.store, alice);
    ASSERT_FALSE(deleted);
    EXPECT_EQ(deleted.error().code, QStringLiteral("auth.unknown_user"));
    EXPECT_EQ(english(deleted.error().message), english(disabled.error().message));

    auto never = loadAccess(*w.store, 4242);
    ASSERT_FALSE(never);
    EXPECT_EQ(never.error().code, QStringLiteral("auth.unknown_user"));
}

TEST(AccessControl, AChangeToAssignmentsOrRolesAppliesToTheNextLoad) {
    World w;
    const qint64 alice = w.insertUser(QStringLiteral("alice"));
    const qint64 reader = w.role(QStringLiteral("reader"), {QStringLiteral("records.read")});
    EXPECT_FALSE(w.load(alice)->can(QStringLiteral("records.read")));

    const qint64 assignment = must(w.accounts->grant(alice, reader, ScopeKind::Unit, 5));
    EXPECT_EQ(w.matching(w.load(alice)->scope(QStringLiteral("records.read"))), (Ids{5}));

    must(w.accounts->updateRole(reader, QString(), {QStringLiteral("records.read"), QStringLiteral("records.write")}));
    EXPECT_TRUE(w.load(alice)->can(QStringLiteral("records.write")));

    must(w.accounts->revoke(assignment));
    EXPECT_FALSE(w.load(alice)->can(QStringLiteral("records.read")));
}

TEST(AccessControl, AMovedSubtreeIsReachedAtItsNewPlaceOnTheNextLoad) {
    World w;
    const qint64 alice = w.insertUser(QStringLiteral("alice"));
    must(w.accounts->grant(alice, w.role(QStringLiteral("reader"), {QStringLiteral("records.read")}), ScopeKind::Subtree, 2));
    EXPECT_EQ(w.matching(w.load(alice)->scope(QStringLiteral("records.read"))), (Ids{2, 3}));

    // Move unit 55 under unit 2 the way the tree does: rewrite its path.
    (void)must(w.store->execute(QStringLiteral("UPDATE core_units SET parent_id = 2, path = '/1/2/55/', depth = 2 WHERE id = 55")));
    EXPECT_EQ(w.matching(w.load(alice)->scope(QStringLiteral("records.read"))), (Ids{2, 3, 55}));
    EXPECT_TRUE(w.load(alice)->scope(QStringLiteral("records.read")).contains(55));
}

TEST(AccessControl, AnAnonymousCallerCanDoNothing) {
    World w;
    const auto access = tessera::host::anonymousAccess(*w.store);
    EXPECT_EQ(access->caller().userId, 0);
    EXPECT_FALSE(access->can(QStringLiteral("records.read")));
    EXPECT_TRUE(access->scope(QStringLiteral("records.read")).empty());
    EXPECT_TRUE(w.matching(access->scope(QStringLiteral("records.read"))).empty());
}

TEST(AccessControl, AskingForTheSameScopeTwiceGivesTheSameAnswer) {
    World w;
    const qint64 alice = w.insertUser(QStringLiteral("alice"));
    must(w.accounts->grant(alice, w.role(QStringLiteral("reader"), {QStringLiteral("records.read")}), ScopeKind::Subtree, 5));
    const auto access = w.load(alice);
    const tessera::Scope& first = access->scope(QStringLiteral("records.read"));
    for (int i = 0; i < 50; ++i) (void)access->scope(QStringLiteral("other.%1").arg(i));  // grow the cache
    EXPECT_EQ(&first, &access->scope(QStringLiteral("records.read")));
    EXPECT_EQ(w.matching(first), (Ids{5, 8, 51, 7}));
}

// --- the rights cache ---------------------------------------------------------------------

TEST(RightsCache, TheSameRightsAreSharedWhileTheStampStandsAndReloadedAfterAChange) {
    World w;
    const qint64 alice = w.insertUser(QStringLiteral("alice"));
    const qint64 assignment = must(w.accounts->grant(alice, w.role(QStringLiteral("reader"), {QStringLiteral("records.read")}), ScopeKind::Subtree, 2));
    RightsCache cache(*w.store);
    const qint64 stamp = must(cache.stamp());
    const auto first = must(cache.rights(alice, stamp));
    EXPECT_EQ(first, must(cache.rights(alice, must(cache.stamp())))) << "nothing changed: the same rights";
    EXPECT_EQ(w.matching(first->access->scope(QStringLiteral("records.read"))), (Ids{2, 3}));

    // Narrowing the assignment (as another process would) moves the stamp: the next request
    // gets the new scope, not the one worked out before.
    (void)must(w.store->execute(QStringLiteral("UPDATE core_assignments SET scope = 'unit' WHERE id = ?1"), {assignment}));
    const qint64 after = must(cache.stamp());
    EXPECT_NE(after, stamp);
    const auto second = must(cache.rights(alice, after));
    EXPECT_NE(second, first);
    EXPECT_EQ(w.matching(second->access->scope(QStringLiteral("records.read"))), (Ids{2}));
}

TEST(RightsCache, ADisabledUserIsUnknownOnTheNextLookUp) {
    World w;
    const qint64 alice = w.insertUser(QStringLiteral("alice"));
    RightsCache cache(*w.store);
    ASSERT_TRUE(cache.rights(alice, must(cache.stamp())));
    must(w.accounts->setDisabled(alice, true));
    auto refused = cache.rights(alice, must(cache.stamp()));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, QStringLiteral("auth.unknown_user"));
}

TEST(RightsCache, SharedRightsAnswerTheSameScopesFromManyThreadsAtOnce) {
    World w;
    const qint64 alice = w.insertUser(QStringLiteral("alice"));
    must(w.accounts->grant(alice, w.role(QStringLiteral("reader"), {QStringLiteral("records.read")}), ScopeKind::Subtree, 5));
    RightsCache cache(*w.store);
    const auto rights = must(cache.rights(alice, must(cache.stamp())));
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                const tessera::Scope& scope = rights->access->scope(QStringLiteral("records.read"));
                if (!scope.contains(8) || scope.contains(2)) ++wrong;
                (void)rights->access->scope(QStringLiteral("other.%1.%2").arg(t).arg(i));  // grow the cache meanwhile
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(wrong.load(), 0);
    EXPECT_EQ(&rights->access->scope(QStringLiteral("records.read")), &rights->access->scope(QStringLiteral("records.read")));
}

TEST(RightsCache, ATokensOwnerIsAskedAgainOnceTheStampMoves) {
    World w;
    const qint64 alice = w.insertUser(QStringLiteral("alice"));
    RightsCache cache(*w.store);
    int lookups = 0;
    std::optional<qint64> owner = alice;
    const auto lookup = [&](const QString&) -> tessera::Result<std::optional<qint64>> {
        ++lookups;
        return owner;
    };
    const qint64 stamp = must(cache.stamp());
    EXPECT_EQ(must(cache.tokenUser(QStringLiteral("tsr_one"), stamp, lookup)), owner);
    EXPECT_EQ(must(cache.tokenUser(QStringLiteral("tsr_one"), stamp, lookup)), owner);
    EXPECT_EQ(lookups, 1) << "the second request is answered from the cache";
    EXPECT_EQ(must(cache.tokenUser(QStringLiteral("tsr_two"), stamp, lookup)), owner);
    EXPECT_EQ(lookups, 2) << "another token is another entry";

    // Revoking a token moves the stamp (a trigger): the next request asks the store again.
    must(w.accounts->setDisabled(alice, true));
    owner.reset();
    const qint64 after = must(cache.stamp());
    ASSERT_NE(after, stamp);
    EXPECT_EQ(must(cache.tokenUser(QStringLiteral("tsr_one"), after, lookup)), std::nullopt);
    EXPECT_EQ(lookups, 3);
}
