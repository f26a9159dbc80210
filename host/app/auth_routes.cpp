#include "app/auth_routes.hpp"

#include "identity/access_control.hpp"

#include <tessera/params.hpp>

#include <QJsonArray>
#include <QJsonObject>

namespace tessera::host {

namespace {

using tessera::Method;
using tessera::Request;
using tessera::Response;

Response serverError(const Error& e) {
    return Response::error(500, tessera::text("Internal Server Error"), tessera::text("identity store error: %1", e.code));
}

QByteArray cookie(const QString& value, qint64 maxAgeSeconds, bool secure) {
    // HttpOnly: scripts cannot read it; SameSite=Strict: other sites cannot send it; Secure
    // (served over HTTPS): never sent in clear text.
    return kSessionCookie + '=' + value.toLatin1() + "; Path=/; HttpOnly; SameSite=Strict; " + (secure ? "Secure; " : "") +
           "Max-Age=" + QByteArray::number(maxAgeSeconds);
}

QJsonObject tokenJson(const ApiToken& t) {
    QJsonObject o{{QStringLiteral("id"), t.id}, {QStringLiteral("name"), t.name}, {QStringLiteral("prefix"), t.prefix},
                  {QStringLiteral("createdAt"), t.createdAt}};
    o.insert(QStringLiteral("expiresAt"), t.expiresAt.isEmpty() ? QJsonValue() : QJsonValue(t.expiresAt));
    o.insert(QStringLiteral("lastUsedAt"), t.lastUsedAt.isEmpty() ? QJsonValue() : QJsonValue(t.lastUsedAt));
    o.insert(QStringLiteral("revokedAt"), t.revokedAt.isEmpty() ? QJsonValue() : QJsonValue(t.revokedAt));
    return o;
}

// GET /auth/me: the caller with their language setting (`language`), assignments and
// permissions, and the session's CSRF token.
Response me(Accounts& accounts, Sessions& sessions, const Request& r, const QString& language) {
    const auto& caller = r.access->caller();
    auto assignments = accounts.assignments(caller.userId);
    if (!assignments) return serverError(assignments.error());
    QJsonArray list;
    for (const auto& a : *assignments)
        list.append(QJsonObject{{QStringLiteral("id"), a.id}, {QStringLiteral("role"), a.roleName},
                                {QStringLiteral("scope"), scopeName(a.scope)},
                                {QStringLiteral("unitId"), a.unitId ? QJsonValue(a.unitId) : QJsonValue()},
                                {QStringLiteral("unitName"), a.unitName}});
    QJsonObject me{{QStringLiteral("user"), QJsonObject{{QStringLiteral("id"), caller.userId},
                                                        {QStringLiteral("username"), caller.username},
                                                        {QStringLiteral("displayName"), caller.displayName},
                                                        {QStringLiteral("unitId"), caller.unitId},
                                                        {QStringLiteral("language"), language}}},
                   {QStringLiteral("assignments"), list}};
    if (const auto* access = dynamic_cast<const CallerAccess*>(r.access))
        me.insert(QStringLiteral("permissions"), QJsonArray::fromStringList(access->permissions()));
    // A page reloaded in the browser gets its session's CSRF token back from here.
    if (auto session = sessions.session(sessionCookie(r.header("cookie"))); session && *session)
        me.insert(QStringLiteral("csrfToken"), (*session)->csrfToken);
    return Response::json(me).withHeader("Cache-Control", "no-store");
}

}  // namespace

QString sessionCookie(const QByteArray& cookieHeader) {
    for (const QByteArray& part : cookieHeader.split(';')) {
        const QByteArray trimmed = part.trimmed();
        if (trimmed.startsWith(kSessionCookie + '=')) return QString::fromLatin1(trimmed.mid(kSessionCookie.size() + 1));
    }
    return {};
}

HostRoutes authRoutes(Accounts& accounts, Sessions& sessions, bool secureCookies) {
    HostRoutes routes;
    routes.push_back({Method::Post, QStringLiteral("/api/v1/auth/login"), tessera::kPublicRoute, [&accounts, &sessions, secureCookies](const Request& r) {
        const QJsonObject body = r.body.toObject();
        QList<tessera::FieldError> errors;
        if (!body.value(QStringLiteral("username")).isString() || body.value(QStringLiteral("username")).toString().isEmpty())
            errors.append({QStringLiteral("username"), tessera::text("is required")});
        if (!body.value(QStringLiteral("password")).isString() || body.value(QStringLiteral("password")).toString().isEmpty())
            errors.append({QStringLiteral("password"), tessera::text("is required")});
        if (!errors.isEmpty()) return Response::invalid(errors);
        auto start = sessions.login(body.value(QStringLiteral("username")).toString().trimmed(),
                                    body.value(QStringLiteral("password")).toString(), r.clientAddress);
        if (!start) {
            const QString code = start.error().code;
            if (code == QStringLiteral("auth.locked"))
                return Response::error(429, tessera::text("Too Many Requests"), start.error().message)
                    .withHeader("Retry-After", QByteArray::number(sessions.policy().lockSeconds));
            if (code == QStringLiteral("auth.invalid") || code == QStringLiteral("auth.disabled"))
                return Response::error(401, tessera::text("Unauthorized"), start.error().message);
            return serverError(start.error());
        }
        auto user = accounts.user(start->userId);
        if (!user) return serverError(user.error());
        return Response::json(QJsonObject{{QStringLiteral("user"), QJsonObject{{QStringLiteral("id"), user->id},
                                                                                 {QStringLiteral("username"), user->username},
                                                                                 {QStringLiteral("displayName"), user->displayName},
                                                                                 {QStringLiteral("unitId"), user->unitId},
                                                                                 {QStringLiteral("language"), user->language}}},
                                          {QStringLiteral("csrfToken"), start->csrfToken},
                                          {QStringLiteral("expiresAt"), start->expiresAt.toString(Qt::ISODateWithMs)}})
            .withHeader("Set-Cookie", cookie(start->token, sessions.policy().sessionMaxSeconds, secureCookies))
            .withHeader("Cache-Control", "no-store");
    }});

    routes.push_back({Method::Post, QStringLiteral("/api/v1/auth/logout"), kAnyUser, [&sessions, secureCookies](const Request& r) {
        const QString token = sessionCookie(r.header("cookie"));
        if (!token.isEmpty())
            if (auto s = sessions.logout(token); !s) return serverError(s.error());
        return Response::noContent().withHeader("Set-Cookie", cookie(QString(), 0, secureCookies));
    }});

    routes.push_back({Method::Get, QStringLiteral("/api/v1/auth/me"), kAnyUser, [&](const Request& r) {
        return me(accounts, sessions, r, languageSettingOf(*r.access));
    }});

    // What a user may change on themselves: their language.
    routes.push_back({Method::Patch, QStringLiteral("/api/v1/auth/me"), kAnyUser, [&](const Request& r) {
        QList<tessera::FieldError> errors;
        if (!r.body.isObject()) errors.append({QStringLiteral("(body)"), tessera::text("send {\"language\": \"zh-CN\"|\"en\"|\"\"}")});
        const QJsonObject body = r.body.toObject();
        for (auto it = body.begin(); it != body.end(); ++it)
            if (it.key() != QLatin1String("language")) errors.append({it.key(), tessera::text("cannot be changed here")});
        auto language = languageSetting(body.value(QStringLiteral("language")));
        if (body.contains(QStringLiteral("language")) && !language) errors.append({language.error().field, language.error().message});
        if (!errors.isEmpty()) return Response::invalid(errors);
        if (!body.contains(QStringLiteral("language"))) return me(accounts, sessions, r, languageSettingOf(*r.access));
        if (auto s = accounts.setLanguage(r.access->caller().userId, *language); !s) return serverError(s.error());
        return me(accounts, sessions, r, *language);
    }});

    routes.push_back({Method::Get, QStringLiteral("/api/v1/auth/tokens"), kAnyUser, [&](const Request& r) {
        auto tokens = sessions.tokens(r.access->caller().userId);
        if (!tokens) return serverError(tokens.error());
        QJsonArray items;
        for (const auto& t : *tokens) items.append(tokenJson(t));
        return Response::json(QJsonObject{{QStringLiteral("items"), items}});
    }});

    routes.push_back({Method::Post, QStringLiteral("/api/v1/auth/tokens"), kAnyUser, [&](const Request& r) {
        const QJsonObject body = r.body.toObject();
        QList<tessera::FieldError> errors;
        const QJsonValue name = body.value(QStringLiteral("name"));
        if (!name.isString() || name.toString().trimmed().isEmpty() || name.toString().size() > 100)
            errors.append({QStringLiteral("name"), tessera::text("is required, at most 100 characters")});
        std::optional<QDateTime> expires;
        if (body.contains(QStringLiteral("expiresAt")) && !body.value(QStringLiteral("expiresAt")).isNull()) {
            const QDateTime t = QDateTime::fromString(body.value(QStringLiteral("expiresAt")).toString(), Qt::ISODateWithMs);
            if (!t.isValid()) errors.append({QStringLiteral("expiresAt"), tessera::text("must be an ISO 8601 date and time")});
            else expires = t;
        }
        for (auto it = body.begin(); it != body.end(); ++it)
            if (it.key() != QStringLiteral("name") && it.key() != QStringLiteral("expiresAt")) errors.append({it.key(), tessera::text("unknown field")});
        if (!errors.isEmpty()) return Response::invalid(errors);
        auto created = sessions.createToken(r.access->caller().userId, name.toString(), expires);
        if (!created) {
            if (created.error().code == QStringLiteral("token.invalid"))
                return Response::invalid({{QStringLiteral("expiresAt"), created.error().message}});
            return serverError(created.error());
        }
        QJsonObject o = tokenJson(created->first);
        o.insert(QStringLiteral("token"), created->second);  // the only time it is shown
        return Response::created(o).withHeader("Cache-Control", "no-store");
    }});

    routes.push_back({Method::Delete, QStringLiteral("/api/v1/auth/tokens/{id}"), kAnyUser, [&](const Request& r) {
        const auto id = tessera::idParam(r);
        if (!id) return Response::notFound(tessera::text("no token %1", r.param(QStringLiteral("id"))));
        if (auto s = sessions.revokeToken(r.access->caller().userId, *id); !s) {
            if (s.error().code == QStringLiteral("token.not_found")) return Response::notFound(s.error().message);
            return serverError(s.error());
        }
        return Response::noContent();
    }});
    return routes;
}

}  // namespace tessera::host
