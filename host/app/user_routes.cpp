#include "app/user_routes.hpp"

#include "identity/access_control.hpp"
#include "identity/delegation.hpp"

#include <tessera/params.hpp>

#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace tessera::host {

namespace {

using tessera::Method;
using tessera::Request;
using tessera::Response;

Response failure(const Error& e) {
    const QString& c = e.code;
    if (c.endsWith(QStringLiteral(".not_found"))) return Response::notFound(e.message);
    if (c.endsWith(QStringLiteral(".exists")) || c == QStringLiteral("role.in_use") || c == QStringLiteral("role.builtin") ||
        c == QStringLiteral("account.last_admin"))
        return Response::error(409, tessera::text("Conflict"), e.message);
    if (c.endsWith(QStringLiteral(".stale"))) return Response::error(409, tessera::text("Conflict"), e.message);
    if (c.endsWith(QStringLiteral(".invalid"))) {
        if (!e.field.isEmpty()) return Response::invalid({{e.field, e.message}});
        return Response::error(422, tessera::text("Validation failed"), e.message);
    }
    return Response::error(500, tessera::text("Internal Server Error"), tessera::text("identity store error: %1", c));
}

Response forbidden(const QString& reason) { return Response::error(403, tessera::text("Forbidden"), reason); }

QJsonObject userJson(const User& u) {
    return QJsonObject{{QStringLiteral("id"), u.id},
                       {QStringLiteral("username"), u.username},
                       {QStringLiteral("displayName"), u.displayName},
                       {QStringLiteral("unitId"), u.unitId ? QJsonValue(u.unitId) : QJsonValue()},
                       {QStringLiteral("disabled"), u.disabled},
                       {QStringLiteral("language"), u.language},
                       {QStringLiteral("version"), u.version}};
}

QJsonObject roleJson(const Role& r) {
    return QJsonObject{{QStringLiteral("id"), r.id},           {QStringLiteral("name"), r.name},
                       {QStringLiteral("label"), r.label},     {QStringLiteral("builtin"), r.builtin},
                       {QStringLiteral("permissions"), QJsonArray::fromStringList(r.permissions)},
                       {QStringLiteral("version"), r.version}};
}

// Runs `handle` in one transaction, undone unless it answers with success: the checks it
// makes and the changes it makes see the same data, and a refusal after a first write (the
// last administrator cannot be disabled) leaves nothing behind.
Response atomically(Accounts& accounts, const std::function<Response()>& handle) {
    Response response;
    const QString refused = QStringLiteral("http.refused");
    const Status s = accounts.atomically([&]() -> Status {
        response = handle();
        if (response.status < 400) return {};
        return Error{refused, {}};
    });
    if (!s && s.error().code != refused) return failure(s.error());
    return response;
}

// A user's unit in the caller's user-management scope (users without a unit: only for
// managers of every unit). Listing needs this; acting needs Delegation::user.
bool inScope(const Request& r, const User& u) { return r.scope->all() || (u.unitId && r.scope->contains(u.unitId)); }

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
    auto delegation = [&accounts](const Request& r) { return Delegation(*r.access, accounts, kUsersManage); };
    // The user of the path, when the caller may read them (their unit is in the caller's
    // user-management scope: otherwise 404, as if they did not exist).
    auto readable = [&accounts](const Request& r) -> std::optional<User> {
        const auto id = tessera::idParam(r);
        if (!id) return std::nullopt;
        auto user = accounts.user(*id);
        if (!user || !inScope(r, *user)) return std::nullopt;
        return *user;
    };
    auto noUser = [](const Request& r) { return Response::notFound(tessera::text("no user %1", r.param(QStringLiteral("id")))); };
    // Runs `then` when the caller may act on the user of the path: 404 outside their scope,
    // 403 with the reason for a user inside it holding rights the caller does not.
    auto withManaged = [&accounts, readable, noUser, delegation](const Request& r,
                                                                 const std::function<Response(const User&, const Delegation&)>& then) {
        return atomically(accounts, [&] {
            const auto user = readable(r);
            if (!user) return noUser(r);
            const Delegation d = delegation(r);
            auto verdict = d.user(*user);
            if (!verdict) return failure(verdict.error());
            if (verdict->reach == Delegation::Reach::Outside) return noUser(r);
            if (verdict->reach == Delegation::Reach::Wider) return forbidden(verdict->reason);
            return then(*user, d);
        });
    };

    routes.push_back({Method::Get, QStringLiteral("/api/v1/users"), kUsersManage, [&accounts](const Request& r) {
        auto users = accounts.users();
        if (!users) return failure(users.error());
        QJsonArray items;
        for (const auto& u : *users)
            if (inScope(r, u)) items.append(userJson(u));
        return Response::json(QJsonObject{{QStringLiteral("items"), items}});
    }});

    routes.push_back({Method::Post, QStringLiteral("/api/v1/users"), kUsersManage, [&accounts](const Request& r) {
        const QJsonObject b = r.body.toObject();
        QList<tessera::FieldError> errors;
        for (const char* f : {"username", "password"})
            if (!b.value(QLatin1String(f)).isString()) errors.append({QLatin1String(f), tessera::text("is required")});
        const qint64 unitId = b.value(QStringLiteral("unitId")).toInteger();
        if (unitId ? !r.scope->contains(unitId) : !r.scope->all())
            errors.append({QStringLiteral("unitId"), tessera::text("must be a unit you manage")});
        const auto language = languageSetting(b.value(QStringLiteral("language")).isUndefined() ? QJsonValue(QString())
                                                                                                  : b.value(QStringLiteral("language")));
        if (!language) errors.append({language.error().field, language.error().message});
        if (!errors.isEmpty()) return Response::invalid(errors);
        auto id = accounts.addUser(b.value(QStringLiteral("username")).toString(), b.value(QStringLiteral("displayName")).toString(),
                                   b.value(QStringLiteral("password")).toString(), unitId, *language);
        if (!id) return failure(id.error());
        return Response::created(userJson(*accounts.user(*id)));
    }});

    routes.push_back({Method::Get, QStringLiteral("/api/v1/users/{id}"), kUsersManage, [&accounts, readable, noUser, delegation](const Request& r) {
        const auto u = readable(r);
        if (!u) return noUser(r);
        auto verdict = delegation(r).user(*u);
        if (!verdict) return failure(verdict.error());
        QJsonObject o = userJson(*u);
        // Whether the caller may act on the user, and if not why, so a page can say it up front.
        o.insert(QStringLiteral("manageable"), verdict->reach == Delegation::Reach::Within);
        if (verdict->reach != Delegation::Reach::Within) o.insert(QStringLiteral("notManageableReason"), verdict->reason);
        QJsonArray list;
        auto assignments = accounts.assignments(u->id);
        if (!assignments) return failure(assignments.error());
        for (const auto& a : *assignments) {
            // A unit outside the caller's scope is not named.
            const bool visible = a.unitId && r.scope->contains(a.unitId);
            list.append(QJsonObject{{QStringLiteral("id"), a.id}, {QStringLiteral("role"), a.roleName},
                                    {QStringLiteral("roleId"), a.roleId}, {QStringLiteral("scope"), scopeName(a.scope)},
                                    {QStringLiteral("unitId"), visible ? QJsonValue(a.unitId) : QJsonValue()},
                                    {QStringLiteral("unitName"), visible ? QJsonValue(a.unitName) : QJsonValue()}});
        }
        o.insert(QStringLiteral("assignments"), list);
        return Response::json(o).withHeader("ETag", tessera::versionETag(u->version));
    }});

    routes.push_back({Method::Put, QStringLiteral("/api/v1/users/{id}"), kUsersManage, [&accounts, withManaged](const Request& r) {
        return withManaged(r, [&](const User& u, const Delegation&) {
            const QJsonObject b = r.body.toObject();
            if (!b.value(QStringLiteral("version")).isDouble())
                return Response::invalid({{QStringLiteral("version"), tessera::text("send the version you read")}});
            if (b.contains(QStringLiteral("disabled")) && !b.value(QStringLiteral("disabled")).isBool())
                return Response::invalid({{QStringLiteral("disabled"), tessera::text("must be true or false")}});
            const qint64 unitId = b.value(QStringLiteral("unitId")).toInteger();
            if (unitId ? !r.scope->contains(unitId) : !r.scope->all())
                return Response::invalid({{QStringLiteral("unitId"), tessera::text("must be a unit you manage")}});
            // The language is kept when the body does not name it (a page that does not show it).
            std::optional<QString> language;
            if (b.contains(QStringLiteral("language"))) {
                auto setting = languageSetting(b.value(QStringLiteral("language")));
                if (!setting) return failure(setting.error());
                language = *setting;
            }
            if (auto s = accounts.updateUser(u.id, b.value(QStringLiteral("displayName")).toString(), unitId,
                                             b.value(QStringLiteral("version")).toInteger());
                !s)
                return failure(s.error());
            if (b.contains(QStringLiteral("disabled")))
                if (auto s = accounts.setDisabled(u.id, b.value(QStringLiteral("disabled")).toBool()); !s) return failure(s.error());
            if (language)
                if (auto s = accounts.setLanguage(u.id, *language); !s) return failure(s.error());
            return Response::json(userJson(*accounts.user(u.id)));
        });
    }});

    routes.push_back({Method::Post, QStringLiteral("/api/v1/users/{id}/password"), kUsersManage, [&accounts, withManaged](const Request& r) {
        return withManaged(r, [&](const User& u, const Delegation&) {
            if (!r.body.toObject().value(QStringLiteral("password")).isString())
                return Response::invalid({{QStringLiteral("password"), tessera::text("is required")}});
            if (auto s = accounts.setPassword(u.id, r.body.toObject().value(QStringLiteral("password")).toString()); !s) {
                if (s.error().code == QStringLiteral("user.invalid"))
                    return Response::invalid({{QStringLiteral("password"), s.error().message}});
                return failure(s.error());
            }
            return Response::noContent();
        });
    }});

    routes.push_back({Method::Post, QStringLiteral("/api/v1/users/{id}/assignments"), kUsersManage, [&accounts, withManaged](const Request& r) {
        return withManaged(r, [&](const User& u, const Delegation& d) {
            const QJsonObject b = r.body.toObject();
            QList<tessera::FieldError> errors;
            auto role = accounts.roleByName(b.value(QStringLiteral("role")).toString());
            if (!role) errors.append({QStringLiteral("role"), tessera::text("no such role")});
            const auto scope = parseScope(b.value(QStringLiteral("scope")).toString());
            if (!scope) errors.append({QStringLiteral("scope"), tessera::text("must be unit, subtree or all")});
            const QJsonValue unit = b.value(QStringLiteral("unitId"));
            const qint64 unitId = scope == ScopeKind::All ? 0 : unit.toInteger();
            if (scope && *scope != ScopeKind::All && (!unit.isDouble() || unitId <= 0 || !r.scope->contains(unitId)))
                errors.append({QStringLiteral("unitId"), tessera::text("must be a unit you manage")});
            if (!errors.isEmpty()) return Response::invalid(errors);
            if (const QString refusal = d.grantRefusal(*role, *scope, unitId); !refusal.isEmpty()) return forbidden(refusal);
            auto id = accounts.grant(u.id, role->id, *scope, unitId);
            if (!id) return failure(id.error());
            return Response::created(QJsonObject{{QStringLiteral("id"), *id}});
        });
    }});

    routes.push_back({Method::Delete, QStringLiteral("/api/v1/users/{id}/assignments/{assignment}"), kUsersManage,
                      [&accounts, withManaged](const Request& r) {
        return withManaged(r, [&](const User& u, const Delegation&) {
            // The user is within the caller's reach, so is each of their assignments.
            const auto aid = tessera::idParam(r, QStringLiteral("assignment"));
            auto assignments = accounts.assignments(u.id);
            if (!assignments) return failure(assignments.error());
            for (const auto& a : *assignments) {
                if (!aid || a.id != *aid) continue;
                if (auto s = accounts.revoke(a.id); !s) return failure(s.error());
                return Response::noContent();
            }
            return Response::notFound(tessera::text("user %1 has no assignment %2", u.id, r.param(QStringLiteral("assignment"))));
        });
    }});

    routes.push_back({Method::Get, QStringLiteral("/api/v1/roles"), kUsersManage, [&accounts](const Request&) {
        auto roles = accounts.roles();
        if (!roles) return failure(roles.error());
        QJsonArray items;
        for (const auto& role : *roles) items.append(roleJson(role));
        return Response::json(QJsonObject{{QStringLiteral("items"), items}});
    }});

    auto readPermissions = [](const Request& r, QStringList& permissions) -> QList<tessera::FieldError> {
        bool ok = false;
        permissions = stringList(r.body.toObject().value(QStringLiteral("permissions")), &ok);
        if (!ok) return {{QStringLiteral("permissions"), tessera::text("must be a list of permission ids")}};
        return {};
    };
    // Whether the caller holds the role `roleId` themselves (any scope; when unsure, yes).
    auto holdsRole = [&accounts](const Request& r, qint64 roleId) {
        auto mine = accounts.assignments(r.access->caller().userId);
        return !mine || std::any_of(mine->begin(), mine->end(), [&](const Assignment& a) { return a.roleId == roleId; });
    };

    routes.push_back({Method::Post, QStringLiteral("/api/v1/roles"), kUsersManage, [&accounts, catalog, readPermissions, delegation](const Request& r) {
        QStringList permissions;
        if (auto errors = readPermissions(r, permissions); !errors.isEmpty()) return Response::invalid(errors);
        if (const auto refusal = delegation(r).roleChangeRefusal({}, permissions, false)) return forbidden(*refusal);
        const QJsonObject b = r.body.toObject();
        auto id = accounts.createRole(b.value(QStringLiteral("name")).toString(), b.value(QStringLiteral("label")).toString(),
                                      permissions, ids(catalog()));
        if (!id) return failure(id.error());
        return Response::created(roleJson(*accounts.role(*id)));
    }});

    routes.push_back({Method::Put, QStringLiteral("/api/v1/roles/{id}"), kUsersManage,
                      [&accounts, catalog, readPermissions, delegation, holdsRole](const Request& r) {
        const auto id = tessera::idParam(r);
        if (!id) return Response::notFound(tessera::text("no role %1", r.param(QStringLiteral("id"))));
        QStringList permissions;
        if (auto errors = readPermissions(r, permissions); !errors.isEmpty()) return Response::invalid(errors);
        const QJsonValue version = r.body.toObject().value(QStringLiteral("version"));
        if (!version.isUndefined() && !version.isDouble())
            return Response::invalid({{QStringLiteral("version"), tessera::text("must be the version you read")}});
        // Checked against the role as it is when written, not as it was read.
        return atomically(accounts, [&] {
            auto role = accounts.role(*id);
            if (!role) return failure(role.error());
            if (version.isDouble() && version.toInteger() != role->version)
                return Response::error(409, tessera::text("Conflict"), tessera::text("role '%1' was changed by someone else (now version %2)", role->name, role->version));
            if (const auto refusal = delegation(r).roleChangeRefusal(role->permissions, permissions, holdsRole(r, *id)))
                return forbidden(*refusal);
            if (auto s = accounts.updateRole(*id, r.body.toObject().value(QStringLiteral("label")).toString(), permissions, ids(catalog())); !s)
                return failure(s.error());
            return Response::json(roleJson(*accounts.role(*id)));
        });
    }});

    routes.push_back({Method::Delete, QStringLiteral("/api/v1/roles/{id}"), kUsersManage, [&accounts, delegation](const Request& r) {
        const auto id = tessera::idParam(r);
        if (!id) return Response::notFound(tessera::text("no role %1", r.param(QStringLiteral("id"))));
        return atomically(accounts, [&] {
            auto role = accounts.role(*id);
            if (!role) return failure(role.error());
            if (const auto refusal = delegation(r).roleChangeRefusal(role->permissions, {}, false)) return forbidden(*refusal);
            if (auto s = accounts.deleteRole(*id); !s) return failure(s.error());
            return Response::noContent();
        });
    }});

    routes.push_back({Method::Get, QStringLiteral("/api/v1/permissions"), kUsersManage, [catalog](const Request&) {
        return Response::json(QJsonObject{{QStringLiteral("items"), catalog()}});
    }});
    return routes;
}

}  // namespace tessera::host
