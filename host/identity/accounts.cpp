#include "identity/accounts.hpp"

#include "identity/secrets.hpp"
#include "runtime/language.hpp"

#include <tessera/text.hpp>

#include <QRegularExpression>
#include <QSet>

namespace tessera::host {

namespace {

Error invalid(const QString& code, const QString& message) { return Error{code, message}; }

User toUser(const Row& r) {
    User u;
    u.id = r.value(QStringLiteral("id")).toLongLong();
    u.username = r.value(QStringLiteral("username")).toString();
    u.displayName = r.value(QStringLiteral("display_name")).toString();
    u.unitId = r.value(QStringLiteral("unit_id")).toLongLong();
    u.disabled = r.value(QStringLiteral("disabled")).toBool();
    u.passwordHash = r.value(QStringLiteral("password_hash")).toString();
    u.version = r.value(QStringLiteral("version")).toLongLong();
    u.language = r.value(QStringLiteral("language")).toString();
    return u;
}

const QString kUserColumns = QStringLiteral("id, username, display_name, unit_id, disabled, password_hash, version, language");

Error badLanguage(const QString& message) { return Error{QStringLiteral("user.invalid"), message, QStringLiteral("language")}; }

bool isValidUsername(const QString& name) {
    static const QRegularExpression re(QStringLiteral("^[a-z0-9][a-z0-9._-]{1,63}$"));
    return re.match(name).hasMatch();
}

bool isValidRoleName(const QString& name) {
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9_-]{0,63}$"));
    return re.match(name).hasMatch();
}

}  // namespace

Result<QString> languageSetting(const QJsonValue& value) {
    if (value.isNull()) return QString();
    if (!value.isString()) return badLanguage(tessera::text("must be zh-CN, en or empty (follow the browser)"));
    const QString name = value.toString();
    if (!name.isEmpty() && !languageNamed(name))
        return badLanguage(tessera::text("must be zh-CN, en or empty (follow the browser), not '%1'", name.left(100)));
    return name;
}

QString scopeName(ScopeKind kind) {
    switch (kind) {
        case ScopeKind::Unit: return QStringLiteral("unit");
        case ScopeKind::Subtree: return QStringLiteral("subtree");
        case ScopeKind::All: return QStringLiteral("all");
    }
    return {};
}

QString scopeName(const std::optional<ScopeKind>& kind) { return kind ? scopeName(*kind) : QStringLiteral("unknown"); }

std::optional<ScopeKind> parseScope(const QString& text) {
    if (text == QStringLiteral("unit")) return ScopeKind::Unit;
    if (text == QStringLiteral("subtree")) return ScopeKind::Subtree;
    if (text == QStringLiteral("all")) return ScopeKind::All;
    return std::nullopt;
}

Status Accounts::ensureBuiltinRoles() {
    return db_.transaction([&]() -> Status {
        auto existing = db_.queryOne(QStringLiteral("SELECT id FROM core_roles WHERE name = ?1"), {kAdministratorRole});
        if (!existing) return existing.error();
        if (!existing->isEmpty()) return {};
        auto w = db_.execute(QStringLiteral("INSERT INTO core_roles(name, label, builtin, created_at, updated_at) "
                                            "VALUES (?1, ?2, 1, ?3, ?3)"),
                             {kAdministratorRole, QStringLiteral("系统管理员 Administrator"), now()});
        if (!w) return w.error();
        return db_.execute(QStringLiteral("INSERT INTO core_role_permissions(role_id, permission) VALUES (?1, '*')"),
                           {w->lastInsertId});
    });
}

Result<qint64> Accounts::addUser(const QString& username, const QString& displayName, const QString& password, qint64 unitId,
                                 const QString& language) {
    if (!isValidUsername(username)) {
        return invalid(QStringLiteral("user.invalid"),
                       tessera::text("user name '%1' must be 2-64 characters: lower-case letters, digits, '.', '_' or '-'", username));
    }
    if (displayName.size() > 100) return invalid(QStringLiteral("user.invalid"), tessera::text("display name: at most 100 characters"));
    if (const QString p = passwordProblem(password); !p.isEmpty())
        return invalid(QStringLiteral("user.invalid"), tessera::text("password %1", p));
    if (auto setting = languageSetting(language); !setting) return setting.error();
    auto hash = hashPassword(password);
    if (!hash) return hash.error();
    qint64 id = 0;
    Status s = db_.transaction([&]() -> Status {
        auto existing = db_.queryOne(QStringLiteral("SELECT id FROM core_users WHERE username = ?1"), {username});
        if (!existing) return existing.error();
        if (!existing->isEmpty()) return Error{QStringLiteral("user.exists"), tessera::text("user '%1' already exists", username)};
        if (unitId) {
            auto unit = db_.queryOne(QStringLiteral("SELECT id FROM core_units WHERE id = ?1"), {unitId});
            if (!unit) return unit.error();
            if (unit->isEmpty()) return Error{QStringLiteral("user.invalid"), tessera::text("unit %1 does not exist", unitId)};
        }
        auto w = db_.execute(QStringLiteral("INSERT INTO core_users(username, display_name, password_hash, unit_id, created_at, updated_at, language) "
                                            "VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)"),
                             {username, displayName.trimmed(), *hash, unitId ? QVariant(unitId) : QVariant(), now(), language});
        if (!w) return w.error();
        id = w->lastInsertId;
        return {};
    });
    if (!s) return s.error();
    return id;
}

Status Accounts::setPassword(qint64 userId, const QString& password) {
    if (const QString p = passwordProblem(password); !p.isEmpty())
        return invalid(QStringLiteral("user.invalid"), tessera::text("password %1", p));
    auto hash = hashPassword(password);
    if (!hash) return hash.error();
    return db_.transaction([&]() -> Status {
        auto w = db_.execute(QStringLiteral("UPDATE core_users SET password_hash = ?1, updated_at = ?2, version = version + 1 WHERE id = ?3"),
                             {*hash, now(), userId});
        if (!w) return w.error();
        if (w->changes == 0) return Error{QStringLiteral("user.not_found"), tessera::text("user %1 does not exist", userId)};
        // A new password ends every session of the user.
        return db_.execute(QStringLiteral("DELETE FROM core_sessions WHERE user_id = ?1"), {userId});
    });
}

Status Accounts::setLanguage(qint64 userId, const QString& language) {
    if (auto setting = languageSetting(language); !setting) return setting.error();
    auto w = db_.execute(QStringLiteral("UPDATE core_users SET language = ?1, updated_at = ?2, version = version + 1 WHERE id = ?3"),
                         {language, now(), userId});
    if (!w) return w.error();
    if (w->changes == 0) return Error{QStringLiteral("user.not_found"), tessera::text("user %1 does not exist", userId)};
    return {};
}

Result<qint64> Accounts::allUnitAdministrators() {
    auto row = db_.queryOne(QStringLiteral("SELECT count(DISTINCT u.id) AS n FROM core_users u "
                                           "JOIN core_assignments a ON a.user_id = u.id AND a.scope = 'all' "
                                           "JOIN core_role_permissions p ON p.role_id = a.role_id AND p.permission = '*' "
                                           "WHERE u.disabled = 0"));
    if (!row) return row.error();
    return row->value(QStringLiteral("n")).toLongLong();
}

Status Accounts::keepingAnAdministrator(const std::function<Status()>& change) {
    return db_.transaction([&]() -> Status {
        auto before = allUnitAdministrators();
        if (!before) return before.error();
        if (auto s = change(); !s) return s;
        auto after = allUnitAdministrators();
        if (!after) return after.error();
        if (*before > 0 && *after == 0)
            return Error{QStringLiteral("account.last_admin"),
                         tessera::text("this would leave no administrator of all units; make another user one first")};
        return {};
    });
}

Status Accounts::setDisabled(qint64 userId, bool disabled) {
    return keepingAnAdministrator([&]() -> Status {
        auto w = db_.execute(QStringLiteral("UPDATE core_users SET disabled = ?1, updated_at = ?2, version = version + 1 WHERE id = ?3"),
                             {disabled ? 1 : 0, now(), userId});
        if (!w) return w.error();
        if (w->changes == 0) return Error{QStringLiteral("user.not_found"), tessera::text("user %1 does not exist", userId)};
        if (!disabled) return {};
        // Disabling ends every session and revokes every API token for good: enabling the
        // user again does not bring back a token that may have leaked meanwhile.
        if (auto d = db_.execute(QStringLiteral("DELETE FROM core_sessions WHERE user_id = ?1"), {userId}); !d) return d.error();
        return db_.execute(QStringLiteral("UPDATE core_api_tokens SET revoked_at = ?1 WHERE user_id = ?2 AND revoked_at IS NULL"),
                           {now(), userId});
    });
}

Status Accounts::updateUser(qint64 userId, const QString& displayName, qint64 unitId, qint64 expectedVersion) {
    if (displayName.size() > 100) return invalid(QStringLiteral("user.invalid"), tessera::text("display name: at most 100 characters"));
    return db_.transaction([&]() -> Status {
        if (unitId) {
            auto unit = db_.queryOne(QStringLiteral("SELECT id FROM core_units WHERE id = ?1"), {unitId});
            if (!unit) return unit.error();
            if (unit->isEmpty()) return Error{QStringLiteral("user.invalid"), tessera::text("unit %1 does not exist", unitId)};
        }
        auto w = db_.execute(QStringLiteral("UPDATE core_users SET display_name = ?1, unit_id = ?2, updated_at = ?3, version = version + 1 "
                                            "WHERE id = ?4 AND version = ?5"),
                             {displayName.trimmed(), unitId ? QVariant(unitId) : QVariant(), now(), userId, expectedVersion});
        if (!w) return w.error();
        if (w->changes == 1) return {};
        auto u = db_.queryOne(QStringLiteral("SELECT version FROM core_users WHERE id = ?1"), {userId});
        if (!u) return u.error();
        if (u->isEmpty()) return Error{QStringLiteral("user.not_found"), tessera::text("user %1 does not exist", userId)};
        return Error{QStringLiteral("user.stale"), tessera::text("user %1 was changed by someone else (now version %2)", userId, u->value(QStringLiteral("version")).toLongLong())};
    });
}

Result<User> Accounts::user(qint64 id) {
    auto r = db_.queryOne(QStringLiteral("SELECT ") + kUserColumns + QStringLiteral(" FROM core_users WHERE id = ?1"), {id});
    if (!r) return r.error();
    if (r->isEmpty()) return Error{QStringLiteral("user.not_found"), tessera::text("user %1 does not exist", id)};
    return toUser(*r);
}

Result<User> Accounts::userByName(const QString& username) {
    auto r = db_.queryOne(QStringLiteral("SELECT ") + kUserColumns + QStringLiteral(" FROM core_users WHERE username = ?1"), {username});
    if (!r) return r.error();
    if (r->isEmpty()) return Error{QStringLiteral("user.not_found"), tessera::text("user '%1' does not exist", username)};
    return toUser(*r);
}

Result<std::vector<User>> Accounts::users() {
    auto rows = db_.query(QStringLiteral("SELECT ") + kUserColumns + QStringLiteral(" FROM core_users ORDER BY username"));
    if (!rows) return rows.error();
    std::vector<User> out;
    for (const auto& r : *rows) out.push_back(toUser(r));
    return out;
}

Status Accounts::checkPermissions(const QStringList& permissions, const QStringList& known) const {
    if (known.isEmpty()) return {};
    QStringList unknown;
    for (const auto& p : permissions)
        if (p != QStringLiteral("*") && !known.contains(p)) unknown << p;
    if (!unknown.isEmpty())
        return Error{QStringLiteral("role.invalid"), tessera::text("unknown permission(s): %1", unknown.join(QStringLiteral(", ")))};
    return {};
}

Result<qint64> Accounts::createRole(const QString& name, const QString& label, const QStringList& permissions,
                                    const QStringList& knownPermissions) {
    if (!isValidRoleName(name))
        return invalid(QStringLiteral("role.invalid"),
                       tessera::text("role name '%1' must be 1-64 characters: lower-case letters, digits, '_' or '-'", name));
    if (auto s = checkPermissions(permissions, knownPermissions); !s) return s.error();
    qint64 id = 0;
    Status s = db_.transaction([&]() -> Status {
        auto existing = db_.queryOne(QStringLiteral("SELECT id FROM core_roles WHERE name = ?1"), {name});
        if (!existing) return existing.error();
        if (!existing->isEmpty()) return Error{QStringLiteral("role.exists"), tessera::text("role '%1' already exists", name)};
        auto w = db_.execute(QStringLiteral("INSERT INTO core_roles(name, label, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)"),
                             {name, label, now()});
        if (!w) return w.error();
        id = w->lastInsertId;
        for (const auto& p : QSet<QString>(permissions.begin(), permissions.end())) {
            auto pw = db_.execute(QStringLiteral("INSERT INTO core_role_permissions(role_id, permission) VALUES (?1, ?2)"), {id, p});
            if (!pw) return pw.error();
        }
        return {};
    });
    if (!s) return s.error();
    return id;
}

Status Accounts::updateRole(qint64 roleId, const QString& label, const QStringList& permissions, const QStringList& knownPermissions) {
    if (auto s = checkPermissions(permissions, knownPermissions); !s) return s;
    return keepingAnAdministrator([&]() -> Status {
        auto r = role(roleId);
        if (!r) return r.error();
        if (r->builtin) return Error{QStringLiteral("role.builtin"), tessera::text("role '%1' is built in and cannot be changed", r->name)};
        if (auto w = db_.execute(QStringLiteral("UPDATE core_roles SET label = ?1, updated_at = ?2, version = version + 1 WHERE id = ?3"),
                                 {label, now(), roleId}); !w)
            return w.error();
        if (auto w = db_.execute(QStringLiteral("DELETE FROM core_role_permissions WHERE role_id = ?1"), {roleId}); !w) return w.error();
        for (const auto& p : QSet<QString>(permissions.begin(), permissions.end())) {
            auto pw = db_.execute(QStringLiteral("INSERT INTO core_role_permissions(role_id, permission) VALUES (?1, ?2)"), {roleId, p});
            if (!pw) return pw.error();
        }
        return {};
    });
}

Status Accounts::deleteRole(qint64 roleId) {
    return db_.transaction([&]() -> Status {
        auto r = role(roleId);
        if (!r) return r.error();
        if (r->builtin) return Error{QStringLiteral("role.builtin"), tessera::text("role '%1' is built in and cannot be deleted", r->name)};
        auto users = db_.query(QStringLiteral("SELECT DISTINCT u.username FROM core_assignments a JOIN core_users u ON u.id = a.user_id "
                                              "WHERE a.role_id = ?1 ORDER BY u.username LIMIT 6"),
                               {roleId});
        if (!users) return users.error();
        if (!users->empty()) {
            QStringList names;
            for (const auto& u : *users) names << u.value(QStringLiteral("username")).toString();
            return Error{QStringLiteral("role.in_use"),
                         tessera::text("role '%1' is still assigned to %2; revoke those assignments first", r->name, names.join(QStringLiteral(", ")))};
        }
        return db_.execute(QStringLiteral("DELETE FROM core_roles WHERE id = ?1"), {roleId});
    });
}

Result<Role> Accounts::role(qint64 id) {
    auto r = db_.queryOne(QStringLiteral("SELECT id, name, label, builtin, version FROM core_roles WHERE id = ?1"), {id});
    if (!r) return r.error();
    if (r->isEmpty()) return Error{QStringLiteral("role.not_found"), tessera::text("role %1 does not exist", id)};
    Role role;
    role.id = id;
    role.name = r->value(QStringLiteral("name")).toString();
    role.label = r->value(QStringLiteral("label")).toString();
    role.builtin = r->value(QStringLiteral("builtin")).toBool();
    role.version = r->value(QStringLiteral("version")).toLongLong();
    auto perms = db_.query(QStringLiteral("SELECT permission FROM core_role_permissions WHERE role_id = ?1 ORDER BY permission"), {id});
    if (!perms) return perms.error();
    for (const auto& p : *perms) role.permissions << p.value(QStringLiteral("permission")).toString();
    return role;
}

Result<Role> Accounts::roleByName(const QString& name) {
    auto r = db_.queryOne(QStringLiteral("SELECT id FROM core_roles WHERE name = ?1"), {name});
    if (!r) return r.error();
    if (r->isEmpty()) return Error{QStringLiteral("role.not_found"), tessera::text("role '%1' does not exist", name)};
    return role(r->value(QStringLiteral("id")).toLongLong());
}

Result<std::vector<Role>> Accounts::roles() {
    auto rows = db_.query(QStringLiteral("SELECT id FROM core_roles ORDER BY name"));
    if (!rows) return rows.error();
    std::vector<Role> out;
    for (const auto& r : *rows) {
        auto role = this->role(r.value(QStringLiteral("id")).toLongLong());
        if (!role) return role.error();
        out.push_back(*role);
    }
    return out;
}

Result<qint64> Accounts::grant(qint64 userId, qint64 roleId, ScopeKind scope, qint64 unitId) {
    if (scope == ScopeKind::All && unitId)
        return invalid(QStringLiteral("assignment.invalid"), tessera::text("scope 'all' takes no unit"));
    if (scope != ScopeKind::All && !unitId)
        return invalid(QStringLiteral("assignment.invalid"), tessera::text("scope '%1' needs a unit", scopeName(scope)));
    qint64 id = 0;
    Status s = db_.transaction([&]() -> Status {
        if (auto u = user(userId); !u) return u.error();
        if (auto r = role(roleId); !r) return r.error();
        if (unitId) {
            auto unit = db_.queryOne(QStringLiteral("SELECT id FROM core_units WHERE id = ?1"), {unitId});
            if (!unit) return unit.error();
            if (unit->isEmpty()) return Error{QStringLiteral("assignment.invalid"), tessera::text("unit %1 does not exist", unitId)};
        }
        auto existing = db_.queryOne(QStringLiteral("SELECT id FROM core_assignments WHERE user_id = ?1 AND role_id = ?2 "
                                                    "AND ifnull(unit_id, 0) = ?3 AND scope = ?4"),
                                     {userId, roleId, unitId, scopeName(scope)});
        if (!existing) return existing.error();
        if (!existing->isEmpty()) return Error{QStringLiteral("assignment.exists"), tessera::text("the user already has this assignment")};
        auto w = db_.execute(QStringLiteral("INSERT INTO core_assignments(user_id, role_id, unit_id, scope, created_at) VALUES (?1, ?2, ?3, ?4, ?5)"),
                             {userId, roleId, unitId ? QVariant(unitId) : QVariant(), scopeName(scope), now()});
        if (!w) return w.error();
        id = w->lastInsertId;
        return {};
    });
    if (!s) return s.error();
    return id;
}

Status Accounts::revoke(qint64 assignmentId) {
    return keepingAnAdministrator([&]() -> Status {
        auto w = db_.execute(QStringLiteral("DELETE FROM core_assignments WHERE id = ?1"), {assignmentId});
        if (!w) return w.error();
        if (w->changes == 0)
            return Error{QStringLiteral("assignment.not_found"), tessera::text("assignment %1 does not exist", assignmentId)};
        return {};
    });
}

Result<std::vector<Assignment>> Accounts::assignments(qint64 userId) {
    auto rows = db_.query(QStringLiteral("SELECT a.id, a.user_id, a.role_id, r.name AS role_name, a.unit_id, u.name AS unit_name, a.scope "
                                         "FROM core_assignments a JOIN core_roles r ON r.id = a.role_id "
                                         "LEFT JOIN core_units u ON u.id = a.unit_id WHERE a.user_id = ?1 ORDER BY a.id"),
                          {userId});
    if (!rows) return rows.error();
    std::vector<Assignment> out;
    for (const auto& r : *rows) {
        Assignment a;
        a.id = r.value(QStringLiteral("id")).toLongLong();
        a.userId = userId;
        a.roleId = r.value(QStringLiteral("role_id")).toLongLong();
        a.roleName = r.value(QStringLiteral("role_name")).toString();
        a.unitId = r.value(QStringLiteral("unit_id")).toLongLong();
        a.unitName = r.value(QStringLiteral("unit_name")).toString();
        const QVariant scope = r.value(QStringLiteral("scope"));
        if (scope.typeId() == QMetaType::QString) a.scope = parseScope(scope.toString());
        out.push_back(a);
    }
    return out;
}

}  // namespace tessera::host
