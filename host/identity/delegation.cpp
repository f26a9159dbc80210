#include "identity/delegation.hpp"

#include "identity/access_control.hpp"

#include <tessera/text.hpp>

#include <QSet>

namespace tessera::host {

namespace {

QString reachInWords(std::optional<ScopeKind> scope) {
    if (!scope) return tessera::text("with a scope that is not understood");
    switch (*scope) {
        case ScopeKind::All: return tessera::text("on all units");
        case ScopeKind::Subtree: return tessera::text("on a unit and the units below it");
        case ScopeKind::Unit: return tessera::text("on a unit");
    }
    return {};
}

}  // namespace

Delegation::Delegation(const tessera::Access& access, Accounts& accounts, QString manage)
    : access_(access), accounts_(accounts), manage_(std::move(manage)) {}

bool Delegation::holds(const QString& permission, std::optional<ScopeKind> scope, qint64 unitId) const {
    // Access::scope("*") is the scope of the grants of every permission, as wanted.
    const tessera::Scope& where = access_.scope(permission);
    if (!scope || *scope == ScopeKind::All) return where.all();
    if (*scope == ScopeKind::Unit) return where.contains(unitId);
    return coversSubtree(where, unitId);
}

QStringList Delegation::missing(const QStringList& permissions, std::optional<ScopeKind> scope, qint64 unitId) const {
    QStringList out;
    for (const auto& p : permissions)
        if (!holds(p, scope, unitId) && !out.contains(p)) out << p;
    return out;
}

Result<QStringList> Delegation::rolePermissions(qint64 roleId) const {
    if (auto it = roles_.find(roleId); it != roles_.end()) return *it;
    auto role = accounts_.role(roleId);
    if (!role) return role.error();
    roles_.insert(roleId, role->permissions);
    return role->permissions;
}

Result<Delegation::Verdict> Delegation::user(const User& user) const {
    const tessera::Scope& manages = access_.scope(manage_);
    // A user without a unit belongs to every unit's administrators only.
    if (!(manages.all() || (user.unitId && manages.contains(user.unitId)))) return Verdict{Reach::Outside, {}};
    auto assignments = accounts_.assignments(user.id);
    if (!assignments) return assignments.error();
    for (const auto& a : *assignments) {
        if (!holds(manage_, a.scope, a.unitId))
            return Verdict{Reach::Wider, tessera::text("user '%1' holds role '%2' %3, beyond the units you manage users of", user.username, a.roleName, reachInWords(a.scope))};
        auto permissions = rolePermissions(a.roleId);
        if (!permissions) return permissions.error();
        if (const auto beyond = missing(*permissions, a.scope, a.unitId); !beyond.isEmpty())
            return Verdict{Reach::Wider, tessera::text("user '%1' holds role '%2' %3 with permissions you do not hold there: %4", user.username, a.roleName, reachInWords(a.scope), beyond.join(QStringLiteral(", ")))};
    }
    return Verdict{Reach::Within, {}};
}

QString Delegation::grantRefusal(const Role& role, ScopeKind scope, qint64 unitId) const {
    if (!holds(manage_, scope, unitId))
        return scope == ScopeKind::All ? tessera::text("granting on all units needs user management on all units")
               : scope == ScopeKind::Subtree
                   ? tessera::text("granting on a unit and the units below it needs user management on all of them")
                   : tessera::text("must be a unit you manage");
    if (const auto beyond = missing(role.permissions, scope, unitId); !beyond.isEmpty())
        return scope == ScopeKind::All
                   ? tessera::text("role '%1' grants permissions you do not hold on all units: %2", role.name, beyond.join(QStringLiteral(", ")))
                   : tessera::text("role '%1' grants permissions you do not hold there: %2", role.name, beyond.join(QStringLiteral(", ")));
    return {};
}

std::optional<QString> Delegation::roleChangeRefusal(const QStringList& before, const QStringList& after, bool holdsRole) const {
    if (!holds(manage_, ScopeKind::All, 0))
        return tessera::text("roles are shared by every unit: changing them needs user management on all units");
    if (const auto beyond = missing(before + after, ScopeKind::All, 0); !beyond.isEmpty())
        return tessera::text("changing this role needs every permission it has, before and after, on all units; you do not hold: %1", beyond.join(QStringLiteral(", ")));
    const QSet<QString> had(before.begin(), before.end());
    if (holdsRole)
        for (const auto& p : after)
            if (!had.contains(p)) return tessera::text("you hold this role yourself: another administrator must widen it");
    return std::nullopt;
}

}  // namespace tessera::host
