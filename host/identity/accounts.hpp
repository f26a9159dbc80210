#pragma once
// Users, roles (bundles of permissions) and role assignments bound to an organisation unit
// with a scope: this unit only, this unit and below, or all units. Stored in core_users,
// core_roles, core_role_permissions and core_assignments.

#include <tessera/context.hpp>
#include <tessera/database.hpp>
#include <tessera/result.hpp>

#include <QDateTime>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace tessera::host {

enum class ScopeKind { Unit, Subtree, All };
QString scopeName(ScopeKind kind);
/// "unknown" for a stored scope this code does not understand (it grants nothing).
QString scopeName(const std::optional<ScopeKind>& kind);
std::optional<ScopeKind> parseScope(const QString& text);

struct User {
    qint64 id = 0;
    QString username;
    QString displayName;
    qint64 unitId = 0;  // 0: none
    bool disabled = false;
    QString passwordHash;
    qint64 version = 0;
    QString language;  // "zh-CN" or "en"; empty: the browser's (Accept-Language)
};

/// The language setting a request's `language` value names: "zh-CN" or "en", or "" (follow
/// the browser) for "" and null; Error "user.invalid" on the field "language" otherwise.
Result<QString> languageSetting(const QJsonValue& value);

struct Role {
    qint64 id = 0;
    QString name;
    QString label;
    bool builtin = false;
    QStringList permissions;  // "*" = every permission
    qint64 version = 0;
};

struct Assignment {
    qint64 id = 0;
    qint64 userId = 0;
    qint64 roleId = 0;
    QString roleName;
    qint64 unitId = 0;  // 0 when scope is All
    QString unitName;
    std::optional<ScopeKind> scope;  // nullopt: a stored scope not understood, granting nothing
};

/// The built-in role holding every permission.
inline const QString kAdministratorRole = QStringLiteral("admin");

class Accounts {
public:
    Accounts(tessera::Database& db, const tessera::Clock& clock) : db_(db), clock_(clock) {}

    /// Creates the built-in administrator role if missing.
    Status ensureBuiltinRoles();

    /// Errors: "user.invalid" (bad name, password or language: says which), "user.exists".
    Result<qint64> addUser(const QString& username, const QString& displayName, const QString& password, qint64 unitId = 0,
                           const QString& language = {});
    Status setPassword(qint64 userId, const QString& password);
    Status setDisabled(qint64 userId, bool disabled);
    /// The language the user reads the server in ("zh-CN", "en", or "" for the browser's);
    /// takes effect with their next request. Errors: "user.invalid", "user.not_found".
    Status setLanguage(qint64 userId, const QString& language);
    /// Updates name and unit with optimistic concurrency ("user.stale").
    Status updateUser(qint64 userId, const QString& displayName, qint64 unitId, qint64 expectedVersion);
    Result<User> user(qint64 id);
    Result<User> userByName(const QString& username);
    Result<std::vector<User>> users();

    /// Errors: "role.invalid", "role.exists"; unknown permissions are refused when
    /// `knownPermissions` is not empty.
    Result<qint64> createRole(const QString& name, const QString& label, const QStringList& permissions,
                              const QStringList& knownPermissions = {});
    Status updateRole(qint64 roleId, const QString& label, const QStringList& permissions,
                      const QStringList& knownPermissions = {});
    /// Refuses built-in roles and roles still assigned ("role.in_use", naming the users).
    Status deleteRole(qint64 roleId);
    Result<Role> role(qint64 id);
    Result<Role> roleByName(const QString& name);
    Result<std::vector<Role>> roles();

    /// Errors: "assignment.invalid" (unit missing for a unit scope, unit given for all,
    /// unknown unit), "assignment.exists".
    Result<qint64> grant(qint64 userId, qint64 roleId, ScopeKind scope, qint64 unitId);
    /// Error "assignment.not_found".
    Status revoke(qint64 assignmentId);
    /// Runs `work` in one transaction (nested calls of the methods above become part of it):
    /// a check and the change it allows see the same data.
    Status atomically(const std::function<Status()>& work) { return db_.transaction(work); }
    /// The enabled users holding every permission on all units; setDisabled, revoke and
    /// updateRole refuse ("account.last_admin") to leave a deployment that had one without.
    Result<qint64> allUnitAdministrators();
    Result<std::vector<Assignment>> assignments(qint64 userId);

private:
    Status checkPermissions(const QStringList& permissions, const QStringList& known) const;
    /// Runs `change` in a transaction, undone when it leaves no all-unit administrator.
    Status keepingAnAdministrator(const std::function<Status()>& change);
    QString now() const { return clock_.now().toString(Qt::ISODateWithMs); }

    tessera::Database& db_;
    const tessera::Clock& clock_;
};

}  // namespace tessera::host
