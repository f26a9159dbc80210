#include "app/user_routes.hpp"

#include "identity/access_control.hpp"

#include <QJsonObject>
#include <QSet>

namespace tessera::host {

namespace {

using tessera::Method;
using tessera::Request;
using tessera::Response;

Response failure(const Error& e) {
    const QString& c = e.code;
    if (c.endsWith(QStringLiteral(".not_found"))) return Response::notFound(e.message);
    if (c.endsWith(QStringLiteral(".exists")) || c == QStringLiteral("role.in_use") || c == QStringLiteral("role.builtin"))
        return Response::error(409, QStringLiteral("Conflict"), e.message);
    if (c.endsWith(QStringLiteral(".stale"))) return Response::error(409, QStringLiteral("Conflict"), e.message);
    if (c.endsWith(QStringLiteral(".invalid"))) return Response::error(422, QStringLiteral("Validation failed"), e.message);
    return Response::error(500, QStringLiteral("Internal Server Error"), QStringLiteral("identity store error: %1").arg(c));
}

std::optional<qint64> idParam(const Request& r, const QString& name) {
    bool ok = false;
    const qint64 id = r.param(name).toLongLong(&ok);
    if (!ok || id <= 0) return std::nullopt;
    return id;
}

QJsonObject userJson(const User& u) {
    return QJsonObject{{QStringLiteral("id"), u.id},
                       {QStringLiteral("username"), u.username},
                       {QStringLiteral("displayName"), u.displayName},
                       {QStringLiteral("unitId"), u.unitId ? QJsonValue(u.unitId) : QJsonValue()},
                       {QStringLiteral("disabled"), u.disabled},
                       {QStringLiteral("version"), u.version}};
}

QJsonObject roleJson(const Role& r) {
    return QJsonObject{{QStringLiteral("id"), r.id},           {QStringLiteral("name"), r.name},
                       {QStringLiteral("label"), r.label},     {QStringLiteral("builtin"), r.builtin},
                       {QStringLiteral("permissions"), QJsonArray::fromStringList(r.permissions)},
                       {QStringLiteral("version"), r.version}};
}

// A user is manageable when their unit is in the manager's scope (users without a unit
// only by managers of every unit).
bool manages(const Request& r, const User& u) {
    return r.scope->all() || (u.unitId && r.scope->contains(u.unitId));
}

// The caller may hand out only permissions they hold themselves.
QStringList beyondCaller(const Request& r, const QStringList& permissions) {
    QStringList beyond;
    for (const auto& p : permissions)
        if (!r.access->can(p)) beyond << p;
    return beyond;
}

QStringList stringList(const QJsonValue& v, bool* ok) {
    QStringList out;
    *ok = v.isArray();
    for (const auto& item : v.toArray()) {
        if (!item.isString()) *ok = false;
        out << item.toString();
    }
    return out;
}

QStringList ids(const QJsonArray& catalog) {
    QStringList out{QStringLiteral("*")};
    for (const auto& p : catalog) out << p.toObject().value(QStringLiteral("id")).toString();
    return out;
}

}  // namespace

HostRoutes userRoutes(Accounts& accounts, PermissionCatalog catalog) {
    HostRoutes routes;
    auto withUser = [&accounts](const Request& r, const std::function<Response(const User&)>& then) {
        const auto id = idParam(r, QStringLiteral("id"));
        if (!id) return Response::notFound(QStringLiteral("no user %1").arg(r.param(QStringLiteral("id"))));
        auto user = accounts.user(*id);
        if (!user || !manages(r, *user)) return Response::notFound(QStringLiteral("no user %1").arg(*id));
        return then(*user);
    };

    routes.push_back({Method::Get, QStringLiteral("/api/v1/users"), kUsersManage, [&accounts](const Request& r) {
        auto users = accounts.users();
        if (!users) return failure(users.error());
        QJsonArray items;
        for (const auto& u : *users)
            if (manages(r, u)) items.append(userJson(u));
        return Response::json(QJsonObject{{QStringLiteral("items"), items}});
    }});

    routes.push_back({Method::Post, QStringLiteral("/api/v1/users"), kUsersManage, [&accounts](const Request& r) {
        const QJsonObject b = r.body.toObject();
        QList<tessera::FieldError> errors;
        for (const char* f : {"username", "password"})
            if (!b.value(QLatin1String(f)).isString()) errors.append({QLatin1String(f), QStringLiteral("is required")});
        const qint64 unitId = b.value(QStringLiteral("unitId")).toInteger();
        if (unitId ? !r.scope->contains(unitId) : !r.scope->all())
            errors.append({QStringLiteral("unitId"), QStringLiteral("must be a unit you manage")});
        if (!errors.isEmpty()) return Response::invalid(errors);
        auto id = accounts.addUser(b.value(QStringLiteral("username")).toString(), b.value(QStringLiteral("displayName")).toString(),
                                   b.value(QStringLiteral("password")).toString(), unitId);
        if (!id) return failure(id.error());
        return Response::created(userJson(*accounts.user(*id)));
    }});

    routes.push_back({Method::Get, QStringLiteral("/api/v1/users/{id}"), kUsersManage, [&accounts, withUser](const Request& r) {
        return withUser(r, [&](const User& u) {
            QJsonObject o = userJson(u);
            QJsonArray list;
            if (auto assignments = accounts.assignments(u.id))
                for (const auto& a : *assignments)
                    list.append(QJsonObject{{QStringLiteral("id"), a.id}, {QStringLiteral("role"), a.roleName},
                                            {QStringLiteral("roleId"), a.roleId}, {QStringLiteral("scope"), scopeName(a.scope)},
                                            {QStringLiteral("unitId"), a.unitId ? QJsonValue(a.unitId) : QJsonValue()},
                                            {QStringLiteral("unitName"), a.unitName}});
            o.insert(QStringLiteral("assignments"), list);
            return Response::json(o).withHeader("ETag", '"' + QByteArray::number(u.version) + '"');
        });
    }});

    routes.push_back({Method::Put, QStringLiteral("/api/v1/users/{id}"), kUsersManage, [&accounts, withUser](const Request& r) {
        return withUser(r, [&](const User& u) {
            const QJsonObject b = r.body.toObject();
            if (!b.value(QStringLiteral("version")).isDouble())
                return Response::invalid({{QStringLiteral("version"), QStringLiteral("send the version you read")}});
            const qint64 unitId = b.value(QStringLiteral("unitId")).toInteger();
            if (unitId ? !r.scope->contains(unitId) : !r.scope->all())
                return Response::invalid({{QStringLiteral("unitId"), QStringLiteral("must be a unit you manage")}});
            if (auto s = accounts.updateUser(u.id, b.value(QStringLiteral("displayName")).toString(), unitId,
                                             b.value(QStringLiteral("version")).toInteger());
                !s)
                return failure(s.error());
            if (b.contains(QStringLiteral("disabled")))
                if (auto s = accounts.setDisabled(u.id, b.value(QStringLiteral("disabled")).toBool()); !s) return failure(s.error());
            return Response::json(userJson(*accounts.user(u.id)));
        });
    }});

    routes.push_back({Method::Post, QStringLiteral("/api/v1/users/{id}/password"), kUsersManage, [&accounts, withUser](const Request& r) {
        return withUser(r, [&](const User& u) {
            if (!r.body.toObject().value(QStringLiteral("password")).isString())
                return Response::invalid({{QStringLiteral("password"), QStringLiteral("is required")}});
            if (auto s = accounts.setPassword(u.id, r.body.toObject().value(QStringLiteral("password")).toString()); !s) {
                if (s.error().code == QStringLiteral("user.invalid"))
                    return Response::invalid({{QStringLiteral("password"), s.error().message}});
                return failure(s.error());
            }
            return Response::noContent();
        });
    }});

    routes.push_back({Method::Post, QStringLiteral("/api/v1/users/{id}/assignments"), kUsersManage, [&accounts, withUser](const Request& r) {
        return withUser(r, [&](const User& u) {
            const QJsonObject b = r.body.toObject();
            QList<tessera::FieldError> errors;
            auto role = accounts.roleByName(b.value(QStringLiteral("role")).toString());
            if (!role) errors.append({QStringLiteral("role"), QStringLiteral("no such role")});
            const auto scope = parseScope(b.value(QStringLiteral("scope")).toString());
            if (!scope) errors.append({QStringLiteral("scope"), QStringLiteral("must be unit, subtree or all")});
            const qint64 unitId = b.value(QStringLiteral("unitId")).toInteger();
            if (scope == ScopeKind::All ? !r.scope->all() : !r.scope->contains(unitId))
                errors.append({QStringLiteral("unitId"), QStringLiteral("must be a unit you manage")});
            if (role && !beyondCaller(r, role->permissions).isEmpty())
                errors.append({QStringLiteral("role"), QStringLiteral("grants permissions you do not hold: %1")
                                                           .arg(beyondCaller(r, role->permissions).join(QStringLiteral(", ")))});
            if (!errors.isEmpty()) return Response::invalid(errors);
            auto id = accounts.grant(u.id, role->id, *scope, *scope == ScopeKind::All ? 0 : unitId);
            if (!id) return failure(id.error());
            return Response::created(QJsonObject{{QStringLiteral("id"), *id}});
        });
    }});

    routes.push_back({Method::Delete, QStringLiteral("/api/v1/users/{id}/assignments/{assignment}"), kUsersManage,
                      [&accounts, withUser](const Request& r) {
        return withUser(r, [&](const User& u) {
            const auto aid = idParam(r, QStringLiteral("assignment"));
            auto assignments = accounts.assignments(u.id);
            if (!assignments) return failure(assignments.error());
            for (const auto& a : *assignments) {
                if (!aid || a.id != *aid) continue;
                if (a.scope == ScopeKind::All ? !r.scope->all() : !r.scope->contains(a.unitId)) break;
                if (auto s = accounts.revoke(a.id); !s) return failure(s.error());
                return Response::noContent();
            }
            return Response::notFound(QStringLiteral("user %1 has no assignment %2").arg(u.id).arg(r.param(QStringLiteral("assignment"))));
        });
    }});

    routes.push_back({Method::Get, QStringLiteral("/api/v1/roles"), kUsersManage, [&accounts](const Request&) {
        auto roles = accounts.roles();
        if (!roles) return failure(roles.error());
        QJsonArray items;
        for (const auto& role : *roles) items.append(roleJson(role));
        return Response::json(QJsonObject{{QStringLiteral("items"), items}});
    }});

    auto readRole = [](const Request& r, QStringList& permissions) -> QList<tessera::FieldError> {
        QList<tessera::FieldError> errors;
        bool ok = false;
        permissions = stringList(r.body.toObject().value(QStringLiteral("permissions")), &ok);
        if (!ok) errors.append({QStringLiteral("permissions"), QStringLiteral("must be a list of permission ids")});
        else if (const auto beyond = beyondCaller(r, permissions); !beyond.isEmpty())
            errors.append({QStringLiteral("permissions"), QStringLiteral("you do not hold: %1").arg(beyond.join(QStringLiteral(", ")))});
        return errors;
    };

    routes.push_back({Method::Post, QStringLiteral("/api/v1/roles"), kUsersManage, [&accounts, catalog, readRole](const Request& r) {
        QStringList permissions;
        if (auto errors = readRole(r, permissions); !errors.isEmpty()) return Response::invalid(errors);
        const QJsonObject b = r.body.toObject();
        auto id = accounts.createRole(b.value(QStringLiteral("name")).toString(), b.value(QStringLiteral("label")).toString(),
                                      permissions, ids(catalog()));
        if (!id) return failure(id.error());
        return Response::created(roleJson(*accounts.role(*id)));
    }});

    routes.push_back({Method::Put, QStringLiteral("/api/v1/roles/{id}"), kUsersManage, [&accounts, catalog, readRole](const Request& r) {
        const auto id = idParam(r, QStringLiteral("id"));
        if (!id) return Response::notFound(QStringLiteral("no role %1").arg(r.param(QStringLiteral("id"))));
        QStringList permissions;
        if (auto errors = readRole(r, permissions); !errors.isEmpty()) return Response::invalid(errors);
        if (auto s = accounts.updateRole(*id, r.body.toObject().value(QStringLiteral("label")).toString(), permissions, ids(catalog())); !s)
            return failure(s.error());
        return Response::json(roleJson(*accounts.role(*id)));
    }});

    routes.push_back({Method::Delete, QStringLiteral("/api/v1/roles/{id}"), kUsersManage, [&accounts](const Request& r) {
        const auto id = idParam(r, QStringLiteral("id"));
        if (!id) return Response::notFound(QStringLiteral("no role %1").arg(r.param(QStringLiteral("id"))));
        auto role = accounts.role(*id);
        if (!role) return failure(role.error());
        if (!beyondCaller(r, role->permissions).isEmpty())
            return Response::error(403, QStringLiteral("Forbidden"), QStringLiteral("the role grants permissions you do not hold"));
        if (auto s = accounts.deleteRole(*id); !s) return failure(s.error());
        return Response::noContent();
    }});

    routes.push_back({Method::Get, QStringLiteral("/api/v1/permissions"), kUsersManage, [catalog](const Request&) {
        return Response::json(QJsonObject{{QStringLiteral("items"), catalog()}});
    }});
    return routes;
}

}  // namespace tessera::host
