// Administration never escalates (docs/admin-guide.md, "Who may administer whom"): over real
// HTTP against the real host, a unit-scoped administrator acting on users and roles inside,
// across and outside their scope; the last administrator of all units; assignments whose
// stored scope is not understood grant nothing.

#include "host_fixture.hpp"

#include <QJsonArray>

#include <gtest/gtest.h>

#include <map>

using namespace tessera;
using namespace tessera::test;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");

QByteArray num(qint64 n) { return QByteArray::number(n); }

int logInStatus(RunningHost& host, const QString& user, const QString& password) {
    return host.anonymousClient()
        .send("POST", "/api/v1/auth/login", QJsonObject{{QStringLiteral("username"), user}, {QStringLiteral("password"), password}})
        .status;
}

// The tree: root -> A -> A1; root -> B. The scoped administrator manages users of A and
// below and holds nothing else; "keeper" holds the same and reads customers under A too.
class Escalation : public ::testing::Test {
protected:
    void SetUp() override {
        host_ = std::make_unique<RunningHost>(QStringList{builtPluginDir()}, std::vector<EnablePlugin>{{QStringLiteral("biz.customers"), {}}});
        admin_ = std::make_unique<HttpClient>(host_->client());
        auto& units = host_->app().units();
        root_ = units.ensureRoot(QStringLiteral("test"))->id;
        a_ = units.create(root_, QStringLiteral("甲支部"))->id;
        a1_ = units.create(a_, QStringLiteral("甲一小组"))->id;
        b_ = units.create(root_, QStringLiteral("乙支部"))->id;
        role(QStringLiteral("useradmin"), {QStringLiteral("core.users.manage")});
        role(QStringLiteral("keeper"), {QStringLiteral("core.users.manage"), QStringLiteral("biz.customers.read")});
        role(QStringLiteral("reader"), {QStringLiteral("biz.customers.read")});
        role(QStringLiteral("auditor"), {QStringLiteral("core.audit.read")});
        scoped_ = as(host_->userToken(QStringLiteral("scoped"), QStringLiteral("useradmin"), QStringLiteral("subtree"), a_));
        // Inside A's subtree by their own unit, but administrator of everything.
        (void)host_->userToken(QStringLiteral("boss"), host::kAdministratorRole, QStringLiteral("all"), a1_);
        (void)host_->userToken(QStringLiteral("plain"), {}, {}, a1_);
        (void)host_->userToken(QStringLiteral("reads"), QStringLiteral("reader"), QStringLiteral("unit"), a1_);
        (void)host_->userToken(QStringLiteral("outsider"), {}, {}, b_);
        auditorToken_ = host_->userToken(QStringLiteral("auditor"), QStringLiteral("auditor"), QStringLiteral("all"), b_);
    }

    qint64 role(const QString& name, const QStringList& permissions) {
        auto r = admin_->send("POST", "/api/v1/roles", QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("permissions"), QJsonArray::fromStringList(permissions)}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }
    HttpClient as(const QByteArray& token) const {
        HttpClient c = host_->anonymousClient();
        c.setDefaultHeader("Authorization", "Bearer " + token);
        return c;
    }
    qint64 userId(const QString& name) { return host_->app().accounts().userByName(name)->id; }
    QByteArray user(const QString& name) { return "/api/v1/users/" + num(userId(name)); }
    qint64 roleId(const QString& name) { return host_->app().accounts().roleByName(name)->id; }
    qint64 version(const QString& name) { return host_->app().accounts().userByName(name)->version; }

    std::unique_ptr<RunningHost> host_;
    std::unique_ptr<HttpClient> admin_;
    HttpClient scoped_{0};
    QByteArray auditorToken_;
    qint64 root_ = 0, a_ = 0, a1_ = 0, b_ = 0;
};

}  // namespace

TEST_F(Escalation, AScopedAdministratorCannotTakeOverAnAdministratorWhoseUnitIsInTheirScope) {
    auto pw = scoped_.send("POST", user(QStringLiteral("boss")) + "/password", QJsonObject{{QStringLiteral("password"), QStringLiteral("taken over 123")}});
    EXPECT_EQ(pw.status, 403) << pw.body.toStdString();
    EXPECT_TRUE(pw.json().value(QStringLiteral("detail")).toString().contains(QStringLiteral("'admin'"))) << pw.body.toStdString();
    EXPECT_EQ(logInStatus(*host_, QStringLiteral("boss"), QStringLiteral("taken over 123")), 401);
    EXPECT_EQ(logInStatus(*host_, QStringLiteral("boss"), kPassword), 200);

    auto disable = scoped_.send("PUT", user(QStringLiteral("boss")), QJsonObject{{QStringLiteral("displayName"), QStringLiteral("boss")},
                                                                                  {QStringLiteral("unitId"), a1_},
                                                                                  {QStringLiteral("disabled"), true},
                                                                                  {QStringLiteral("version"), version(QStringLiteral("boss"))}});
    EXPECT_EQ(disable.status, 403);
    EXPECT_FALSE(host_->app().accounts().userByName(QStringLiteral("boss"))->disabled);
    const qint64 bossAdmin = host_->app().accounts().assignments(userId(QStringLiteral("boss")))->front().id;
    EXPECT_EQ(scoped_.request("DELETE", user(QStringLiteral("boss")) + "/assignments/" + num(bossAdmin)).status, 403);
    EXPECT_EQ(host_->app().accounts().assignments(userId(QStringLiteral("boss")))->size(), 1u);
}

TEST_F(Escalation, AUserHoldingAPermissionTheAdministratorLacksIsRefusedWithTheReason) {
    auto pw = scoped_.send("POST", user(QStringLiteral("reads")) + "/password", QJsonObject{{QStringLiteral("password"), QStringLiteral("taken over 123")}});
    EXPECT_EQ(pw.status, 403);
    EXPECT_TRUE(pw.json().value(QStringLiteral("detail")).toString().contains(QStringLiteral("biz.customers.read"))) << pw.body.toStdString();
    // Reading the user is allowed and says up front why acting is not.
    auto read = scoped_.get(user(QStringLiteral("reads")));
    ASSERT_EQ(read.status, 200);
    EXPECT_FALSE(read.json().value(QStringLiteral("manageable")).toBool());
    EXPECT_FALSE(read.json().value(QStringLiteral("notManageableReason")).toString().isEmpty());
    // An administrator who holds that permission there may act.
    HttpClient keeper = as(host_->userToken(QStringLiteral("keeper1"), QStringLiteral("keeper"), QStringLiteral("subtree"), a_));
    EXPECT_EQ(keeper.send("POST", user(QStringLiteral("reads")) + "/password", QJsonObject{{QStringLiteral("password"), QStringLiteral("a new one 123")}}).status, 204);
    EXPECT_EQ(logInStatus(*host_, QStringLiteral("reads"), QStringLiteral("a new one 123")), 200);
}

TEST_F(Escalation, UsersOutsideTheScopeDoNotExistForTheAdministrator) {
    EXPECT_EQ(scoped_.get(user(QStringLiteral("outsider"))).status, 404);
    EXPECT_EQ(scoped_.send("POST", user(QStringLiteral("outsider")) + "/password", QJsonObject{{QStringLiteral("password"), QStringLiteral("taken over 123")}}).status, 404);
    EXPECT_EQ(scoped_.send("POST", user(QStringLiteral("auditor")) + "/assignments",
                           QJsonObject{{QStringLiteral("role"), QStringLiteral("useradmin")}, {QStringLiteral("scope"), QStringLiteral("unit")}, {QStringLiteral("unitId"), a_}}).status,
              404);
    QStringList listed;
    for (const auto& u : scoped_.get("/api/v1/users").json().value(QStringLiteral("items")).toArray()) listed << u.toObject().value(QStringLiteral("username")).toString();
    EXPECT_FALSE(listed.contains(QStringLiteral("outsider")));
    EXPECT_FALSE(listed.contains(QStringLiteral("auditor")));
    EXPECT_TRUE(listed.contains(QStringLiteral("plain")));
}

TEST_F(Escalation, AUserOnlyInsideTheScopeIsManaged) {
    EXPECT_EQ(scoped_.send("POST", user(QStringLiteral("plain")) + "/password", QJsonObject{{QStringLiteral("password"), QStringLiteral("a new one 123")}}).status, 204);
    auto read = scoped_.get(user(QStringLiteral("plain")));
    EXPECT_TRUE(read.json().value(QStringLiteral("manageable")).toBool());
    // Granting what the administrator holds, where they hold it: user management of A1 and below.
    auto granted = scoped_.send("POST", user(QStringLiteral("plain")) + "/assignments",
                                QJsonObject{{QStringLiteral("role"), QStringLiteral("useradmin")}, {QStringLiteral("scope"), QStringLiteral("subtree")}, {QStringLiteral("unitId"), a1_}});
    EXPECT_EQ(granted.status, 201) << granted.body.toStdString();
    // ... and taking it back.
    EXPECT_EQ(scoped_.request("DELETE", user(QStringLiteral("plain")) + "/assignments/" + num(granted.json().value(QStringLiteral("id")).toInteger())).status, 204);
}

TEST_F(Escalation, GrantingNeedsEveryPermissionOfTheRoleOverTheWholeReachOfTheAssignment) {
    auto grant = [&](HttpClient& c, const QString& role, const QString& scope, qint64 unit) {
        QJsonObject body{{QStringLiteral("role"), role}, {QStringLiteral("scope"), scope}};
        if (unit) body.insert(QStringLiteral("unitId"), unit);
        return c.send("POST", user(QStringLiteral("plain")) + "/assignments", body);
    };
    // A permission the administrator does not hold.
    auto reader = grant(scoped_, QStringLiteral("reader"), QStringLiteral("unit"), a1_);
    EXPECT_EQ(reader.status, 403);
    EXPECT_TRUE(reader.json().value(QStringLiteral("detail")).toString().contains(QStringLiteral("biz.customers.read")));
    EXPECT_EQ(grant(scoped_, host::kAdministratorRole, QStringLiteral("unit"), a1_).status, 403);
    // Beyond the administrator's units: all units, or a unit outside (not named).
    EXPECT_EQ(grant(scoped_, QStringLiteral("useradmin"), QStringLiteral("all"), 0).status, 403);
    auto outside = grant(scoped_, QStringLiteral("useradmin"), QStringLiteral("unit"), b_);
    EXPECT_EQ(outside.status, 422);
    EXPECT_FALSE(outside.body.contains("乙支部"));
    EXPECT_EQ(grant(scoped_, QStringLiteral("useradmin"), QStringLiteral("subtree"), root_).status, 422);
    // Managing A alone does not reach below A: no subtree grants there.
    HttpClient unitOnly = as(host_->userToken(QStringLiteral("unitonly"), QStringLiteral("useradmin"), QStringLiteral("unit"), a_));
    (void)host_->app().accounts().updateUser(userId(QStringLiteral("plain")), QStringLiteral("plain"), a_, version(QStringLiteral("plain")));
    EXPECT_EQ(grant(unitOnly, QStringLiteral("useradmin"), QStringLiteral("subtree"), a_).status, 403);
    EXPECT_EQ(grant(unitOnly, QStringLiteral("useradmin"), QStringLiteral("unit"), a_).status, 201);
    EXPECT_EQ(host_->app().accounts().assignments(userId(QStringLiteral("plain")))->size(), 1u);
}

TEST_F(Escalation, AScopedAdministratorCannotChangeAnyRoleTheirOwnIncluded) {
    HttpClient auditor = as(auditorToken_);
    ASSERT_EQ(auditor.get("/api/v1/audit").status, 200);
    auto emptied = scoped_.send("PUT", "/api/v1/roles/" + num(roleId(QStringLiteral("auditor"))), QJsonObject{{QStringLiteral("permissions"), QJsonArray{}}});
    EXPECT_EQ(emptied.status, 403) << emptied.body.toStdString();
    EXPECT_EQ(auditor.get("/api/v1/audit").status, 200);
    auto widened = scoped_.send("PUT", "/api/v1/roles/" + num(roleId(QStringLiteral("useradmin"))),
                                QJsonObject{{QStringLiteral("permissions"), QJsonArray{QStringLiteral("core.users.manage"), QStringLiteral("core.audit.read")}}});
    EXPECT_EQ(widened.status, 403);
    EXPECT_EQ(host_->app().accounts().roleByName(QStringLiteral("useradmin"))->permissions, QStringList{QStringLiteral("core.users.manage")});
    EXPECT_EQ(scoped_.send("POST", "/api/v1/roles", QJsonObject{{QStringLiteral("name"), QStringLiteral("mine")}, {QStringLiteral("permissions"), QJsonArray{}}}).status, 403);
    EXPECT_EQ(scoped_.request("DELETE", "/api/v1/roles/" + num(roleId(QStringLiteral("auditor")))).status, 403);
    EXPECT_EQ(scoped_.get("/api/v1/users/" + num(userId(QStringLiteral("auditor")))).status, 404);
}

TEST_F(Escalation, RolesChangeOnlyInTheHandsOfWhoHoldsAllTheirPermissionsOnAllUnits) {
    // User management and customer reading on all units, nothing else.
    const QByteArray token = host_->userToken(QStringLiteral("global"), QStringLiteral("keeper"), QStringLiteral("all"));
    HttpClient global = as(token);
    const QByteArray reader = "/api/v1/roles/" + num(roleId(QStringLiteral("reader")));
    EXPECT_EQ(global.send("PUT", reader, QJsonObject{{QStringLiteral("permissions"), QJsonArray{}}}).status, 200);
    EXPECT_EQ(global.send("PUT", reader, QJsonObject{{QStringLiteral("permissions"), QJsonArray{QStringLiteral("biz.customers.read")}}}).status, 200);
    // Adding a permission they lack, or touching a role with one.
    EXPECT_EQ(global.send("PUT", reader, QJsonObject{{QStringLiteral("permissions"), QJsonArray{QStringLiteral("biz.customers.write")}}}).status, 403);
    EXPECT_EQ(global.send("PUT", "/api/v1/roles/" + num(roleId(QStringLiteral("auditor"))), QJsonObject{{QStringLiteral("permissions"), QJsonArray{}}}).status, 403);
    // Nobody widens a role they hold: even within what they hold, another administrator must.
    auto own = global.send("PUT", "/api/v1/roles/" + num(roleId(QStringLiteral("useradmin"))),
                           QJsonObject{{QStringLiteral("permissions"), QJsonArray{QStringLiteral("core.users.manage"), QStringLiteral("biz.customers.read")}}});
    EXPECT_EQ(own.status, 200) << "useradmin is not held by 'global': " << own.body.toStdString();
    auto keeper = global.send("PUT", "/api/v1/roles/" + num(roleId(QStringLiteral("keeper"))),
                              QJsonObject{{QStringLiteral("permissions"), QJsonArray{QStringLiteral("core.users.manage"), QStringLiteral("biz.customers.read"), QStringLiteral("core.units.read")}}});
    EXPECT_EQ(keeper.status, 403);
    // Narrowing one's own role is taking from oneself: allowed.
    EXPECT_EQ(global.send("PUT", "/api/v1/roles/" + num(roleId(QStringLiteral("keeper"))),
                          QJsonObject{{QStringLiteral("permissions"), QJsonArray{QStringLiteral("core.users.manage")}}}).status, 200);
}

TEST_F(Escalation, TheLastAdministratorOfAllUnitsCannotBeDisabledOrDemoted) {
    auto& accounts = host_->app().accounts();
    // Two administrators of all units: admin and boss. Disabling boss leaves one.
    auto off = admin_->send("PUT", user(QStringLiteral("boss")), QJsonObject{{QStringLiteral("displayName"), QStringLiteral("boss")},
                                                                              {QStringLiteral("unitId"), a1_},
                                                                              {QStringLiteral("disabled"), true},
                                                                              {QStringLiteral("version"), version(QStringLiteral("boss"))}});
    ASSERT_EQ(off.status, 200) << off.body.toStdString();
    const qint64 admin = userId(QStringLiteral("admin"));
    const qint64 adminAssignment = accounts.assignments(admin)->front().id;
    auto revoke = admin_->request("DELETE", "/api/v1/users/" + num(admin) + "/assignments/" + num(adminAssignment));
    EXPECT_EQ(revoke.status, 409) << revoke.body.toStdString();
    EXPECT_TRUE(revoke.json().value(QStringLiteral("detail")).toString().contains(QStringLiteral("no administrator"))) << revoke.body.toStdString();
    auto disable = admin_->send("PUT", "/api/v1/users/" + num(admin), QJsonObject{{QStringLiteral("displayName"), QStringLiteral("admin")},
                                                                                  {QStringLiteral("unitId"), root_},
                                                                                  {QStringLiteral("disabled"), true},
                                                                                  {QStringLiteral("version"), version(QStringLiteral("admin"))}});
    EXPECT_EQ(disable.status, 409);
    EXPECT_EQ(accounts.assignments(admin)->size(), 1u);
    EXPECT_FALSE(accounts.user(admin)->disabled);
    EXPECT_EQ(admin_->get("/api/v1/users").status, 200);
    // A role of every permission, held on all units, made into something less: refused too.
    const qint64 super = role(QStringLiteral("super"), {QStringLiteral("*")});
    ASSERT_TRUE(accounts.grant(userId(QStringLiteral("plain")), super, host::ScopeKind::All, 0));
    ASSERT_TRUE(accounts.revoke(adminAssignment));  // plain is now the only one
    EXPECT_FALSE(accounts.updateRole(super, {}, {QStringLiteral("core.users.manage")}));
    EXPECT_FALSE(accounts.setDisabled(userId(QStringLiteral("plain")), true));
    // With another administrator again, the change goes through.
    ASSERT_TRUE(accounts.setDisabled(userId(QStringLiteral("boss")), false));
    EXPECT_TRUE(accounts.setDisabled(userId(QStringLiteral("plain")), true));
}

TEST_F(Escalation, AnAssignmentWithAScopeThatIsNotUnderstoodGrantsNothing) {
    const qint64 reader = roleId(QStringLiteral("reader"));
    HttpClient admin = host_->client();
    (void)admin.send("POST", "/api/v1/biz.customers/customers", QJsonObject{{QStringLiteral("name"), QStringLiteral("甲客户")}, {QStringLiteral("unitId"), a_}});
    int n = 0, stored = 0;
    for (const QVariant& scope : {QVariant(QString()), QVariant(QStringLiteral("bogus")), QVariant(QStringLiteral("Subtree")),
                                  QVariant(QStringLiteral("subtree ")), QVariant(QStringLiteral("unit ")), QVariant(QStringLiteral("ALL")), QVariant()}) {
        const QString name = QStringLiteral("odd%1").arg(++n);
        HttpClient c = as(host_->userToken(name, {}, {}, a_));
        // Written straight into the database past its CHECK, as a hand edit or an older
        // schema could have; NOT NULL still refuses NULL, which would grant nothing either.
        auto& store = host_->app().store();
        ASSERT_TRUE(store.execute(QStringLiteral("PRAGMA ignore_check_constraints = ON")));
        auto w = store.execute(QStringLiteral("INSERT INTO core_assignments(user_id, role_id, unit_id, scope, created_at) "
                                                              "VALUES (?1, ?2, ?3, ?4, '2026-01-01T00:00:00Z')"),
                                              {userId(name), reader, a_, scope});
        ASSERT_TRUE(store.execute(QStringLiteral("PRAGMA ignore_check_constraints = OFF")));
        if (!w) continue;
        ++stored;
        const std::string what = scope.isNull() ? "NULL" : scope.toString().toStdString();
        EXPECT_EQ(c.get("/api/v1/biz.customers/customers").status, 403) << what;
        EXPECT_EQ(c.get("/api/v1/auth/me").json().value(QStringLiteral("permissions")).toArray().size(), 0) << what;
        // An administrator sees it for what it is and needs all units to act on the user.
        auto shown = admin.get(user(name));
        EXPECT_EQ(shown.json().value(QStringLiteral("assignments")).toArray().at(0).toObject().value(QStringLiteral("scope")).toString(),
                  QStringLiteral("unknown")) << what;
        HttpClient keeper = as(host_->userToken(QStringLiteral("k%1").arg(n), QStringLiteral("keeper"), QStringLiteral("subtree"), root_));
        EXPECT_EQ(keeper.send("POST", user(name) + "/password", QJsonObject{{QStringLiteral("password"), QStringLiteral("a new one 123")}}).status, 403) << what;
    }
    EXPECT_EQ(stored, n - 1) << "every text but NULL is stored past the CHECK, so the reading is what refuses it";
}

// The administrative routes, as the scoped administrator, on a user inside their scope with no
// wider rights, one inside with wider rights, one outside; roles they do not fully hold.
TEST_F(Escalation, EveryAdministrativeRouteInsideAcrossAndOutsideTheScope) {
    struct Case {
        QByteArray method;
        QByteArray path;  // {u} is the target user's id
        QJsonObject body;
        std::map<QString, int> expected;  // target -> status
    };
    const QJsonObject grantBody{{QStringLiteral("role"), QStringLiteral("useradmin")}, {QStringLiteral("scope"), QStringLiteral("unit")}, {QStringLiteral("unitId"), a1_}};
    const std::vector<Case> cases{
        {"GET", "/api/v1/users/{u}", {}, {{QStringLiteral("plain"), 200}, {QStringLiteral("boss"), 200}, {QStringLiteral("outsider"), 404}}},
        {"PUT", "/api/v1/users/{u}", {{QStringLiteral("displayName"), QStringLiteral("x")}, {QStringLiteral("unitId"), a1_}},
         {{QStringLiteral("plain"), 200}, {QStringLiteral("boss"), 403}, {QStringLiteral("outsider"), 404}}},
        {"POST", "/api/v1/users/{u}/password", {{QStringLiteral("password"), QStringLiteral("a new one 123")}},
         {{QStringLiteral("plain"), 204}, {QStringLiteral("boss"), 403}, {QStringLiteral("outsider"), 404}}},
        {"POST", "/api/v1/users/{u}/assignments", grantBody, {{QStringLiteral("plain"), 201}, {QStringLiteral("boss"), 403}, {QStringLiteral("outsider"), 404}}},
        {"DELETE", "/api/v1/users/{u}/assignments/999999", {}, {{QStringLiteral("plain"), 404}, {QStringLiteral("boss"), 403}, {QStringLiteral("outsider"), 404}}},
    };
    for (const auto& c : cases)
        for (const auto& [target, status] : c.expected) {
            QByteArray path = c.path;
            path.replace("{u}", num(userId(target)));
            QJsonObject body = c.body;
            if (c.method == "PUT") body.insert(QStringLiteral("version"), version(target));
            auto r = c.method == "GET" ? scoped_.get(path) : c.method == "DELETE" ? scoped_.request("DELETE", path) : scoped_.send(c.method, path, body);
            EXPECT_EQ(r.status, status) << c.method.toStdString() << ' ' << c.path.toStdString() << " on " << target.toStdString() << ": "
                                        << r.body.toStdString();
        }
    for (const QString& role : {QStringLiteral("useradmin"), QStringLiteral("reader"), QStringLiteral("auditor"), host::kAdministratorRole}) {
        const QByteArray path = "/api/v1/roles/" + num(roleId(role));
        EXPECT_EQ(scoped_.send("PUT", path, QJsonObject{{QStringLiteral("permissions"), QJsonArray{}}}).status, 403) << role.toStdString();
        EXPECT_EQ(scoped_.request("DELETE", path).status, 403) << role.toStdString();
    }
}

TEST_F(Escalation, ADisabledUsersTokensStayRevokedWhenTheUserIsEnabledAgain) {
    HttpClient plain = as(host_->userToken(QStringLiteral("scripted"), QStringLiteral("reader"), QStringLiteral("unit"), a_));
    ASSERT_EQ(plain.get("/api/v1/biz.customers/customers").status, 200);
    auto& accounts = host_->app().accounts();
    const qint64 id = userId(QStringLiteral("scripted"));
    ASSERT_TRUE(accounts.setDisabled(id, true));
    EXPECT_EQ(plain.get("/api/v1/biz.customers/customers").status, 401);
    ASSERT_TRUE(accounts.setDisabled(id, false));
    EXPECT_EQ(plain.get("/api/v1/biz.customers/customers").status, 401);
    // A new token works.
    auto fresh = host_->app().sessions().createToken(id, QStringLiteral("again"), std::nullopt);
    ASSERT_TRUE(fresh);
    EXPECT_EQ(as(fresh->second.toLatin1()).get("/api/v1/biz.customers/customers").status, 200);
}

TEST_F(Escalation, IdsInPathsAreWrittenAsIdsOrNotFound) {
    const QByteArray plain = num(userId(QStringLiteral("plain")));
    EXPECT_EQ(admin_->get("/api/v1/users/" + plain).status, 200);
    for (const QByteArray& odd : {"+" + plain, "0" + plain, plain + ".0", "%20" + plain, plain + "%20", "-" + plain, QByteArray("0x1")})
        EXPECT_EQ(admin_->get("/api/v1/users/" + odd).status, 404) << odd.toStdString();
    auto created = admin_->send("POST", "/api/v1/biz.customers/customers", QJsonObject{{QStringLiteral("name"), QStringLiteral("客户")}});
    const QByteArray customer = num(created.json().value(QStringLiteral("id")).toInteger());
    EXPECT_EQ(admin_->get("/api/v1/biz.customers/customers/" + customer).status, 200);
    EXPECT_EQ(admin_->get("/api/v1/biz.customers/customers/+" + customer).status, 404);
    EXPECT_EQ(admin_->get("/api/v1/biz.customers/customers/0" + customer).status, 404);
}
