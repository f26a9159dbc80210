#include "identity/accounts.hpp"

#include "identity/secrets.hpp"
#include "store/migrations.hpp"
#include "store/sqlite_store.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <stdexcept>

static void PrintTo(const QString& s, std::ostream* os) { *os << '"' << s.toStdString() << '"'; }

using tessera::host::Accounts;
using tessera::host::Assignment;
using tessera::host::kAdministratorRole;
using tessera::host::Role;
using tessera::host::ScopeKind;
using tessera::host::User;

namespace {

using tessera::test::english;
using tessera::test::FakeClock;
using tessera::test::ListedScope;
using tessera::test::must;

// A fresh database with the host's schema, the built-in roles and a small unit tree:
// 1 head office, 2 north (under 1), 3 north-east (under 2).
struct World {
    World() {
        store = must(tessera::host::SqliteStore::open(dir.file(QStringLiteral("accounts.db"))));
        (void)must(tessera::host::Migrations(*store).apply(tessera::host::kCoreMigrationOwner, QStringLiteral("test"),
                                                           tessera::host::coreMigrations()));
        accounts = std::make_unique<Accounts>(*store, clock);
        must(accounts->ensureBuiltinRoles());
        addUnit(1, 0, QStringLiteral("总部 Head office"));
        addUnit(2, 1, QStringLiteral("North"));
        addUnit(3, 2, QStringLiteral("North-east"));
    }

    void addUnit(qint64 id, qint64 parentId, const QString& name) {
        QString path = QStringLiteral("/");
        int depth = 0;
        if (parentId) {
            auto parent = must(store->queryOne(QStringLiteral("SELECT path, depth FROM core_units WHERE id = ?1"), {parentId}));
            path = parent.value(QStringLiteral("path")).toString();
            depth = parent.value(QStringLiteral("depth")).toInt() + 1;
        }
        must(store->execute(QStringLiteral("INSERT INTO core_units(id, parent_id, name, path, depth, created_at, updated_at) "
                                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"),
                            {id, parentId ? QVariant(parentId) : QVariant(), name, path + QString::number(id) + QLatin1Char('/'), depth,
                             QStringLiteral("2026-03-01T09:00:00.000Z")}));
    }

    // A user straight into the table, for tests where the password does not matter
    // (hashing costs ~64 MiB and a noticeable fraction of a second).
    qint64 insertUser(const QString& username) {
        return must(store->execute(QStringLiteral("INSERT INTO core_users(username, password_hash, created_at, updated_at) "
                                                  "VALUES (?1, 'not-a-hash', ?2, ?2)"),
                                   {username, QStringLiteral("2026-03-01T09:00:00.000Z")}))
            .lastInsertId;
    }

    void insertSession(qint64 userId, const QString& tokenHash) {
        must(store->execute(QStringLiteral("INSERT INTO core_sessions(token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) "
                                           "VALUES (?1, ?2, 'csrf', ?3, ?3, '2026-03-01T11:00:00.000Z')"),
                            {tokenHash, userId, QStringLiteral("2026-03-01T09:00:00.000Z")}));
    }

    qint64 sessionsOf(qint64 userId) {
        return must(store->queryOne(QStringLiteral("SELECT count(*) AS n FROM core_sessions WHERE user_id = ?1"), {userId}))
            .value(QStringLiteral("n"))
            .toLongLong();
    }

    qint64 count(const QString& table) {
        return must(store->queryOne(QStringLiteral("SELECT count(*) AS n FROM ") + table)).value(QStringLiteral("n")).toLongLong();
    }

    qint64 adminRoleId() { return must(accounts->roleByName(kAdministratorRole)).id; }

    tessera::test::TempDir dir;
    std::unique_ptr<tessera::host::SqliteStore> store;
    FakeClock clock;
    std::unique_ptr<Accounts> accounts;
};

QStringList roleNames(const std::vector<Role>& roles) {
    QStringList out;
    for (const auto& r : roles) out << r.name;
    return out;
}

QStringList userNames(const std::vector<User>& users) {
    QStringList out;
    for (const auto& u : users) out << u.username;
    return out;
}

}  // namespace

// --- users -------------------------------------------------------------------------------

TEST(Accounts, AddsAUserWithAnArgon2idHashOfThePassword) {
    World w;
    const qint64 id = must(w.accounts->addUser(QStringLiteral("alice"), QStringLiteral("  Alice Liddell "), QStringLiteral("wonderland"), 2));
    const User u = must(w.accounts->user(id));
    EXPECT_EQ(u.username, QStringLiteral("alice"));
    EXPECT_EQ(u.displayName, QStringLiteral("Alice Liddell"));
    EXPECT_EQ(u.unitId, 2);
    EXPECT_FALSE(u.disabled);
    EXPECT_EQ(u.version, 1);
    EXPECT_TRUE(u.passwordHash.startsWith(QStringLiteral("$argon2id$")));
    EXPECT_TRUE(tessera::host::verifyPassword(u.passwordHash, QStringLiteral("wonderland")));
    EXPECT_EQ(must(w.accounts->userByName(QStringLiteral("alice"))).id, id);
}

TEST(Accounts, AUserWithoutAUnitHasUnitZero) {
    World w;
    const qint64 id = must(w.accounts->addUser(QStringLiteral("bob"), QString(), QStringLiteral("builder-bob")));
    EXPECT_EQ(must(w.accounts->user(id)).unitId, 0);
    EXPECT_TRUE(must(w.store->queryOne(QStringLiteral("SELECT unit_id FROM core_users WHERE id = ?1"), {id}))
                    .value(QStringLiteral("unit_id"))
                    .isNull());
}

TEST(Accounts, RefusesUserNamesThatAreNotTwoTo64LowerCaseLettersDigitsDotsUnderscoresOrDashes) {
    World w;
    for (const QString& name : {QString(), QStringLiteral("a"), QStringLiteral("Alice"), QStringLiteral("-alice"),
                                QStringLiteral(".alice"), QStringLiteral("al ice"), QStringLiteral("al@ice"),
                                QStringLiteral("张三"), QString(65, QLatin1Char('a'))}) {
        auto r = w.accounts->addUser(name, QString(), QStringLiteral("long enough"));
        ASSERT_FALSE(r) << name.toStdString();
        EXPECT_EQ(r.error().code, QStringLiteral("user.invalid")) << name.toStdString();
        EXPECT_TRUE(english(r.error().message).contains(QStringLiteral("user name"))) << english(r.error().message).toStdString();
    }
    EXPECT_EQ(w.count(QStringLiteral("core_users")), 0);
}

TEST(Accounts, AcceptsTheShortestAndLongestUserNames) {
    World w;
    EXPECT_TRUE(w.accounts->addUser(QStringLiteral("a1"), QString(), QStringLiteral("long enough")));
    EXPECT_TRUE(w.accounts->addUser(QStringLiteral("a") + QString(63, QLatin1Char('.')), QString(), QStringLiteral("long enough")));
}

TEST(Accounts, RefusesAShortPasswordSayingWhy) {
    World w;
    auto r = w.accounts->addUser(QStringLiteral("alice"), QString(), QStringLiteral("short"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, QStringLiteral("user.invalid"));
    EXPECT_EQ(english(r.error().message), QStringLiteral("password must have at least 8 characters"));
    EXPECT_EQ(w.count(QStringLiteral("core_users")), 0);
}

TEST(Accounts, RefusesADisplayNameOfMoreThan100Characters) {
    World w;
    auto r = w.accounts->addUser(QStringLiteral("alice"), QString(101, QLatin1Char('x')), QStringLiteral("long enough"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, QStringLiteral("user.invalid"));
}

TEST(Accounts, RefusesADuplicateUserName) {
    World w;
    w.insertUser(QStringLiteral("alice"));
    auto r = w.accounts->addUser(QStringLiteral("alice"), QString(), QStringLiteral("another one"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, QStringLiteral("user.exists"));
    EXPECT_EQ(w.count(QStringLiteral("core_users")), 1);
}

TEST(Accounts, RefusesAnUnknownUnit) {
    World w;
    auto r = w.accounts->addUser(QStringLiteral("alice"), QString(), QStringLiteral("long enough"), 99);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, QStringLiteral("user.invalid"));
    EXPECT_TRUE(english(r.error().message).contains(QStringLiteral("99")));
    EXPECT_EQ(w.count(QStringLiteral("core_users")), 0);
}

TEST(Accounts, UnknownUsersAreNotFound) {
    World w;
    auto byId = w.accounts->user(42);
    ASSERT_FALSE(byId);
    EXPECT_EQ(byId.error().code, QStringLiteral("user.not_found"));
    auto byName = w.accounts->userByName(QStringLiteral("nobody"));
    ASSERT_FALSE(byName);
    EXPECT_EQ(byName.error().code, QStringLiteral("user.not_found"));
}

TEST(Accounts, ListsUsersByName) {
    World w;
    w.insertUser(QStringLiteral("carol"));
    w.insertUser(QStringLiteral("alice"));
    w.insertUser(QStringLiteral("bob"));
    EXPECT_EQ(userNames(must(w.accounts->users())), (QStringList{QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol")}));
}

TEST(Accounts, ANewPasswordReplacesTheOldOneAndEndsEverySessionOfThatUser) {
    World w;
    const qint64 alice = must(w.accounts->addUser(QStringLiteral("alice"), QString(), QStringLiteral("first password")));
    const qint64 bob = w.insertUser(QStringLiteral("bob"));
    w.insertSession(alice, QStringLiteral("a1"));
    w.insertSession(alice, QStringLiteral("a2"));
    w.insertSession(bob, QStringLiteral("b1"));

    must(w.accounts->setPassword(alice, QStringLiteral("second password")));

    const User u = must(w.accounts->user(alice));
    EXPECT_TRUE(tessera::host::verifyPassword(u.passwordHash, QStringLiteral("second password")));
    EXPECT_FALSE(tessera::host::verifyPassword(u.passwordHash, QStringLiteral("first password")));
    EXPECT_EQ(u.version, 2);
    EXPECT_EQ(w.sessionsOf(alice), 0);
    EXPECT_EQ(w.sessionsOf(bob), 1);
}

TEST(Accounts, RefusesAWeakNewPasswordAndKeepsTheOldOneAndTheSessions) {
    World w;
    const qint64 alice = w.insertUser(QStringLiteral("alice"));
    w.insertSession(alice, QStringLiteral("a1"));
    auto s = w.accounts->setPassword(alice, QStringLiteral("        "));
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, QStringLiteral("user.invalid"));
    EXPECT_EQ(english(s.error().message), QStringLiteral("password must not be blank"));
    EXPECT_EQ(must(w.accounts->user(alice)).passwordHash, QStringLiteral("not-a-hash"));
    EXPECT_EQ(w.sessionsOf(alice), 1);
}

TEST(Accounts, SettingThePasswordOfAnUnknownUserFails) {
    World w;
    auto s = w.accounts->setPassword(42, QStringLiteral("long enough"));
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, QStringLiteral("user.not_found"));
}

TEST(Accounts, DisablingAUserEndsTheirSessionsAndEnablingKeepsTheirData) {
    World w;
    const qint64 alice = w.insertUser(QStringLiteral("alice"));
    w.insertSession(alice, QStringLiteral("a1"));

    must(w.accounts->setDisabled(alice, true));
    EXPECT_TRUE(must(w.accounts->user(alice)).disabled);
    EXPECT_EQ(w.sessionsOf(alice), 0);
    EXPECT_EQ(must(w.accounts->user(alice)).version, 2);

    must(w.accounts->setDisabled(alice, false));
    const User u = must(w.accounts->user(alice));
    EXPECT_FALSE(u.disabled);
    EXPECT_EQ(u.passwordHash, QStringLiteral("not-a-hash"));
    EXPECT_EQ(u.version, 3);
}

TEST(Accounts, DisablingAnUnknownUserFails) {
    World w;
    auto s = w.accounts->setDisabled(42, true);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, QStringLiteral("user.not_found"));
}

TEST(Accounts, UpdatesNameAndUnitWhenGivenTheCurrentVersion) {
    World w;
    const qint64 alice = w.insertUser(QStringLiteral("alice"));
    must(w.accounts->updateUser(alice, QStringLiteral(" Alice L. "), 3, 1));
    User u = must(w.accounts->user(alice));
    EXPECT_EQ(u.displayName, QStringLiteral("Alice L."));
    EXPECT_EQ(u.unitId, 3);
    EXPECT_EQ(u.version, 2);

    must(w.accounts->updateUser(alice, QStringLiteral("Alice L."), 0, 2));
    u = must(w.accounts->user(alice));
    EXPECT_EQ(u.unitId, 0);
    EXPECT_EQ(u.version, 3);
}

TEST(Accounts, RefusesAnUpdateBasedOnAStaleVersionAndSaysWhichIsCurrent) {
    World w;
    const qint64 alice = w.insertUser(QStringLiteral("alice"));
    must(w.accounts->updateUser(alice, QStringLiteral("First edit"), 0, 1));

    auto s = w.accounts->updateUser(alice, QStringLiteral("Second edit from an old form"), 2, 1);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, QStringLiteral("user.stale"));
    EXPECT_TRUE(english(s.error().message).contains(QStringLiteral("version 2"))) << english(s.error().message).toStdString();
    const User u = must(w.accounts->user(alice));
    EXPECT_EQ(u.displayName, QStringLiteral("First edit"));
    EXPECT_EQ(u.unitId, 0);
    EXPECT_EQ(u.version, 2);
}

TEST(Accounts, UpdatingAnUnknownUserOrToAnUnknownUnitFails) {
    World w;
    auto missing = w.accounts->updateUser(42, QStringLiteral("x"), 0, 1);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, QStringLiteral("user.not_found"));

    const qint64 alice = w.insertUser(QStringLiteral("alice"));
    auto badUnit = w.accounts->updateUser(alice, QStringLiteral("x"), 99, 1);
    ASSERT_FALSE(badUnit);
    EXPECT_EQ(badUnit.error().code, QStringLiteral("user.invalid"));
    EXPECT_EQ(must(w.accounts->user(alice)).version, 1);

    auto longName = w.accounts->updateUser(alice, QString(101, QLatin1Char('x')), 0, 1);
    ASSERT_FALSE(longName);
    EXPECT_EQ(longName.error().code, QStringLiteral("user.invalid"));
}

// --- roles -------------------------------------------------------------------------------

TEST(Accounts, TheBuiltInAdministratorRoleHoldsEveryPermission) {
    World w;
    const Role admin = must(w.accounts->roleByName(QStringLiteral("admin")));
    EXPECT_TRUE(admin.builtin);
    EXPECT_EQ(admin.permissions, QStringList{QStringLiteral("*")});
    EXPECT_FALSE(admin.label.isEmpty());
}

TEST(Accounts, EnsuringTheBuiltInRolesTwiceCreatesThemOnce) {
    World w;
    must(w.accounts->ensureBuiltinRoles());
    EXPECT_EQ(roleNames(must(w.accounts->roles())), QStringList{QStringLiteral("admin")});
    EXPECT_EQ(w.count(QStringLiteral("core_role_permissions")), 1);
}

TEST(Accounts, CreatesARoleWithItsPermissionsOnceEach) {
    World w;
    const qint64 id = must(w.accounts->createRole(QStringLiteral("officer"), QStringLiteral("Branch officer"),
                                                  {QStringLiteral("members.read"), QStringLiteral("dues.write"), QStringLiteral("members.read")}));
    const Role r = must(w.accounts->role(id));
    EXPECT_EQ(r.name, QStringLiteral("officer"));
    EXPECT_EQ(r.label, QStringLiteral("Branch officer"));
    EXPECT_FALSE(r.builtin);
    EXPECT_EQ(r.version, 1);
    EXPECT_EQ(r.permissions, (QStringList{QStringLiteral("dues.write"), QStringLiteral("members.read")}));
    EXPECT_EQ(roleNames(must(w.accounts->roles())), (QStringList{QStringLiteral("admin"), QStringLiteral("officer")}));
}

TEST(Accounts, RefusesRoleNamesThatAreNotLowerCaseLettersDigitsUnderscoresOrDashes) {
    World w;
    for (const QString& name : {QString(), QStringLiteral("Officer"), QStringLiteral("1officer"), QStringLiteral("_officer"),
                                QStringLiteral("off icer"), QStringLiteral("off.icer"), QString(65, QLatin1Char('a'))}) {
        auto r = w.accounts->createRole(name, QString(), {});
        ASSERT_FALSE(r) << name.toStdString();
        EXPECT_EQ(r.error().code, QStringLiteral("role.invalid")) << name.toStdString();
    }
    EXPECT_TRUE(w.accounts->createRole(QStringLiteral("o"), QString(), {}));
    EXPECT_TRUE(w.accounts->createRole(QStringLiteral("branch_officer-2"), QString(), {}));
}

TEST(Accounts, RefusesUnknownPermissionsWhenTheKnownOnesAreGivenNamingThem) {
    World w;
    const QStringList known{QStringLiteral("members.read"), QStringLiteral("members.write")};
    auto r = w.accounts->createRole(QStringLiteral("officer"), QString(),
                                    {QStringLiteral("members.read"), QStringLiteral("members.delete"), QStringLiteral("dues.read")}, known);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, QStringLiteral("role.invalid"));
    EXPECT_TRUE(english(r.error().message).contains(QStringLiteral("members.delete")));
    EXPECT_TRUE(english(r.error().message).contains(QStringLiteral("dues.read")));
    EXPECT_FALSE(english(r.error().message).contains(QStringLiteral("members.read")));
    EXPECT_FALSE(w.accounts->roleByName(QStringLiteral("officer")));

    EXPECT_TRUE(w.accounts->createRole(QStringLiteral("officer"), QString(), {QStringLiteral("members.read")}, known));
}

TEST(Accounts, AcceptsAnyPermissionWhenNoKnownListIsGiven) {
    World w;
    const qint64 id = must(w.accounts->createRole(QStringLiteral("future"), QString(), {QStringLiteral("plugin.not.loaded.yet")}));
    EXPECT_EQ(must(w.accounts->role(id)).permissions, QStringList{QStringLiteral("plugin.not.loaded.yet")});
}

TEST(Accounts, RefusesADuplicateRoleName) {
    World w;
    (void)must(w.accounts->createRole(QStringLiteral("officer"), QString(), {}));
    for (const QString& name : {QStringLiteral("officer"), QStringLiteral("admin")}) {
        auto r = w.accounts->createRole(name, QString(), {});
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, QStringLiteral("role.exists"));
    }
}

TEST(Accounts, UpdatingARoleReplacesItsLabelAndPermissions) {
    World w;
    const qint64 id = must(w.accounts->createRole(QStringLiteral("officer"), QStringLiteral("Officer"),
                                                  {QStringLiteral("a.read"), QStringLiteral("b.read")}));
    must(w.accounts->updateRole(id, QStringLiteral("Senior officer"), {QStringLiteral("b.read"), QStringLiteral("c.write")}));
    const Role r = must(w.accounts->role(id));
    EXPECT_EQ(r.label, QStringLiteral("Senior officer"));
    EXPECT_EQ(r.permissions, (QStringList{QStringLiteral("b.read"), QStringLiteral("c.write")}));
    EXPECT_EQ(r.version, 2);
}

TEST(Accounts, UpdatingARoleWithAnUnknownPermissionChangesNothing) {
    World w;
    const qint64 id = must(w.accounts->createRole(QStringLiteral("officer"), QStringLiteral("Officer"), {QStringLiteral("a.read")}));
    auto s = w.accounts->updateRole(id, QStringLiteral("Changed"), {QStringLiteral("z.read")}, {QStringLiteral("a.read")});
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, QStringLiteral("role.invalid"));
    const Role r = must(w.accounts->role(id));
    EXPECT_EQ(r.label, QStringLiteral("Officer"));
    EXPECT_EQ(r.permissions, QStringList{QStringLiteral("a.read")});
}

TEST(Accounts, RefusesToUpdateOrDeleteABuiltInRole) {
    World w;
    const qint64 admin = w.adminRoleId();
    auto updated = w.accounts->updateRole(admin, QStringLiteral("Reduced"), {QStringLiteral("a.read")});
    ASSERT_FALSE(updated);
    EXPECT_EQ(updated.error().code, QStringLiteral("role.builtin"));
    auto deleted = w.accounts->deleteRole(admin);
    ASSERT_FALSE(deleted);
    EXPECT_EQ(deleted.error().code, QStringLiteral("role.builtin"));

    const Role r = must(w.accounts->role(admin));
    EXPECT_EQ(r.permissions, QStringList{QStringLiteral("*")});
    EXPECT_NE(r.label, QStringLiteral("Reduced"));
}

TEST(Accounts, UpdatingOrDeletingAnUnknownRoleFails) {
    World w;
    auto updated = w.accounts->updateRole(42, QString(), {});
    ASSERT_FALSE(updated);
    EXPECT_EQ(updated.error().code, QStringLiteral("role.not_found"));
    auto deleted = w.accounts->deleteRole(42);
    ASSERT_FALSE(deleted);
    EXPECT_EQ(deleted.error().code, QStringLiteral("role.not_found"));
    auto byName = w.accounts->roleByName(QStringLiteral("nobody"));
    ASSERT_FALSE(byName);
    EXPECT_EQ(byName.error().code, QStringLiteral("role.not_found"));
}

TEST(Accounts, RefusesToDeleteARoleStillAssignedNamingTheUsers) {
    World w;
    const qint64 role = must(w.accounts->createRole(QStringLiteral("officer"), QString(), {QStringLiteral("a.read")}));
    const qint64 zoe = w.insertUser(QStringLiteral("zoe"));
    const qint64 bob = w.insertUser(QStringLiteral("bob"));
    const qint64 a1 = must(w.accounts->grant(zoe, role, ScopeKind::Unit, 2));
    const qint64 a2 = must(w.accounts->grant(bob, role, ScopeKind::Subtree, 1));
    const qint64 a3 = must(w.accounts->grant(bob, role, ScopeKind::Unit, 3));

    auto s = w.accounts->deleteRole(role);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, QStringLiteral("role.in_use"));
    EXPECT_TRUE(english(s.error().message).contains(QStringLiteral("bob, zoe"))) << english(s.error().message).toStdString();
    EXPECT_TRUE(w.accounts->role(role));

    must(w.accounts->revoke(a1));
    must(w.accounts->revoke(a2));
    must(w.accounts->revoke(a3));
    must(w.accounts->deleteRole(role));
    EXPECT_FALSE(w.accounts->role(role));
    EXPECT_EQ(must(w.store->queryOne(QStringLiteral("SELECT count(*) AS n FROM core_role_permissions WHERE role_id = ?1"), {role}))
                  .value(QStringLiteral("n"))
                  .toLongLong(),
              0);
}

// --- assignments -------------------------------------------------------------------------

TEST(Accounts, TheScopeAllTakesNoUnit) {
    World w;
    const qint64 alice = w.insertUser(QStringLiteral("alice"));
    auto r = w.accounts->grant(alice, w.adminRoleId(), ScopeKind::All, 1);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, QStringLiteral("assignment.invalid"));
    EXPECT_TRUE(w.accounts->grant(alice, w.adminRoleId(), ScopeKind::All, 0));
}

TEST(Accounts, TheScopesUnitAndSubtreeNeedAUnit) {
    World w;
    const qint64 alice = w.insertUser(QStringLiteral("alice"));
    for (const ScopeKind scope : {ScopeKind::Unit, ScopeKind::Subtree}) {
        auto r = w.accounts->grant(alice, w.adminRoleId(), scope, 0);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, QStringLiteral("assignment.invalid"));
        EXPECT_TRUE(english(r.error().message).contains(tessera::host::scopeName(scope)));
    }
    EXPECT_EQ(w.count(QStringLiteral("core_assignments")), 0);
}

TEST(Accounts, RefusesAGrantOnAnUnknownUnitUserOrRole) {
    World w;
    const qint64 alice = w.insertUser(QStringLiteral("alice"));
    auto unit = w.accounts->grant(alice, w.adminRoleId(), ScopeKind::Subtree, 99);
    ASSERT_FALSE(unit);
    EXPECT_EQ(unit.error().code, QStringLiteral("assignment.invalid"));
    auto user = w.accounts->grant(42, w.adminRoleId(), ScopeKind::Unit, 1);
    ASSERT_FALSE(user);
    EXPECT_EQ(user.error().code, QStringLiteral("user.not_found"));
    auto role = w.accounts->grant(alice, 42, ScopeKind::Unit, 1);
    ASSERT_FALSE(role);
    EXPECT_EQ(role.error().code, QStringLiteral("role.not_found"));
    EXPECT_EQ(w.count(QStringLiteral("core_assignments")), 0);
}

TEST(Accounts, RefusesTheSameAssignmentTwice) {
    World w;
    const qint64 alice = w.insertUser(QStringLiteral("alice"));
    const qint64 admin = w.adminRoleId();
    (void)must(w.accounts->grant(alice, admin, ScopeKind::Subtree, 2));
    (void)must(w.accounts->grant(alice, admin, ScopeKind::All, 0));

    auto again = w.accounts->grant(alice, admin, ScopeKind::Subtree, 2);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, QStringLiteral("assignment.exists"));
    auto allAgain = w.accounts->grant(alice, admin, ScopeKind::All, 0);
    ASSERT_FALSE(allAgain);
    EXPECT_EQ(allAgain.error().code, QStringLiteral("assignment.exists"));

    // The same role on the same unit with another scope, or on another unit, is a new assignment.
    EXPECT_TRUE(w.accounts->grant(alice, admin, ScopeKind::Unit, 2));
    EXPECT_TRUE(w.accounts->grant(alice, admin, ScopeKind::Subtree, 3));
    EXPECT_EQ(w.count(QStringLiteral("core_assignments")), 4);
}

TEST(Accounts, RevokingAnUnknownAssignmentFails) {
    World w;
    const qint64 alice = w.insertUser(QStringLiteral("alice"));
    const qint64 id = must(w.accounts->grant(alice, w.adminRoleId(), ScopeKind::Unit, 1));
    must(w.accounts->revoke(id));
    for (const qint64 missing : {id, qint64{42}}) {
        auto s = w.accounts->revoke(missing);
        ASSERT_FALSE(s);
        EXPECT_EQ(s.error().code, QStringLiteral("assignment.not_found"));
    }
}

TEST(Accounts, ListsAUsersAssignmentsWithRoleAndUnitNames) {
    World w;
    const qint64 alice = w.insertUser(QStringLiteral("alice"));
    const qint64 bob = w.insertUser(QStringLiteral("bob"));
    const qint64 officer = must(w.accounts->createRole(QStringLiteral("officer"), QString(), {QStringLiteral("a.read")}));
    const qint64 first = must(w.accounts->grant(alice, officer, ScopeKind::Subtree, 2));
    const qint64 second = must(w.accounts->grant(alice, w.adminRoleId(), ScopeKind::All, 0));
    const qint64 third = must(w.accounts->grant(alice, officer, ScopeKind::Unit, 1));
    (void)must(w.accounts->grant(bob, officer, ScopeKind::Unit, 3));

    const std::vector<Assignment> list = must(w.accounts->assignments(alice));
    ASSERT_EQ(list.size(), 3u);

    EXPECT_EQ(list[0].id, first);
    EXPECT_EQ(list[0].userId, alice);
    EXPECT_EQ(list[0].roleId, officer);
    EXPECT_EQ(list[0].roleName, QStringLiteral("officer"));
    EXPECT_EQ(list[0].unitId, 2);
    EXPECT_EQ(list[0].unitName, QStringLiteral("North"));
    EXPECT_EQ(list[0].scope, ScopeKind::Subtree);

    EXPECT_EQ(list[1].id, second);
    EXPECT_EQ(list[1].roleName, QStringLiteral("admin"));
    EXPECT_EQ(list[1].unitId, 0);
    EXPECT_EQ(list[1].unitName, QString());
    EXPECT_EQ(list[1].scope, ScopeKind::All);

    EXPECT_EQ(list[2].id, third);
    EXPECT_EQ(list[2].unitName, QStringLiteral("总部 Head office"));
    EXPECT_EQ(list[2].scope, ScopeKind::Unit);

    EXPECT_TRUE(must(w.accounts->assignments(42)).empty());
}

TEST(Accounts, ScopeNamesReadBackAsTheirScopes) {
    for (const ScopeKind kind : {ScopeKind::Unit, ScopeKind::Subtree, ScopeKind::All})
        EXPECT_EQ(tessera::host::parseScope(tessera::host::scopeName(kind)), kind);
    EXPECT_EQ(tessera::host::scopeName(ScopeKind::Subtree), QStringLiteral("subtree"));
    EXPECT_FALSE(tessera::host::parseScope(QStringLiteral("everything")));
    EXPECT_FALSE(tessera::host::parseScope(QStringLiteral("Unit")));
}
