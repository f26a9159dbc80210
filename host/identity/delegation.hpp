#pragma once
// What an administrator may do to users and roles. The one rule: nobody gives, keeps or
// takes more than they hold, where they hold it.
// - Acting on a user (edit, password, disable, enable, grant, revoke) needs every assignment
//   of that user to lie inside the caller's user-management scope and to grant only
//   permissions the caller holds there. A user whose unit is outside that scope does not
//   exist for the caller (404); one inside it with wider rights is refused with the reason.
// - Granting needs the caller to hold user management and every permission of the role on
//   the whole reach of the assignment (a subtree grant needs the subtree, "all" needs all).
// - Roles are shared by every unit, so changing them (create, edit, delete) needs user
//   management on all units and every permission of the role, before and after the change,
//   on all units; and nobody widens a role they hold themselves.
// Data this code does not understand (an unknown scope) is treated as reaching everything.

#include "identity/accounts.hpp"

#include <tessera/access.hpp>

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace tessera::host {

/// The administrator's powers over users and roles, for one request.
class Delegation {
public:
    /// `access`: the caller's rights; `manage`: the permission that manages users.
    Delegation(const tessera::Access& access, Accounts& accounts, QString manage);

    /// Whether the caller holds `permission` ("*" only through a grant of every permission)
    /// over the whole reach of a `scope` assignment on `unitId`; nullopt scope needs all units.
    bool holds(const QString& permission, std::optional<ScopeKind> scope, qint64 unitId) const;
    /// The permissions of `permissions` the caller does not hold over that reach.
    QStringList missing(const QStringList& permissions, std::optional<ScopeKind> scope, qint64 unitId) const;

    /// Whether the caller may act on a user.
    enum class Reach { Outside, Wider, Within };
    struct Verdict {
        Reach reach = Reach::Outside;
        QString reason;  // for Wider: which role reaches beyond the caller, in words
    };
    Result<Verdict> user(const User& user) const;

    /// Why the caller may not grant `role` with `scope` on `unitId` (empty when they may).
    QString grantRefusal(const Role& role, ScopeKind scope, qint64 unitId) const;
    /// Why the caller may not change a role from `before` to `after` permissions (empty lists
    /// for create and delete), or nullopt when they may. `holdsRole`: the caller has it.
    std::optional<QString> roleChangeRefusal(const QStringList& before, const QStringList& after, bool holdsRole) const;

private:
    Result<QStringList> rolePermissions(qint64 roleId) const;

    const tessera::Access& access_;
    Accounts& accounts_;
    QString manage_;
    mutable QHash<qint64, QStringList> roles_;
};

}  // namespace tessera::host
