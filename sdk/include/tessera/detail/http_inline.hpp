#pragma once
// Inline definitions for http.hpp (kept here so the header above reads as the contract).

#include <QJsonArray>
#include <QJsonObject>

namespace tessera {

inline Response Response::json(const QJsonValue& body, int status) {
    Response r;
    r.status = status;
    r.body = body;
    return r;
}

inline Response Response::storageFailure(const Error& e, const QString& detail) {
    if (e.code != QStringLiteral("disk.full")) return error(500, tessera::text("Storage error"), detail);
    Response r = error(507, tessera::text("Insufficient Storage"), e.message);
    QJsonObject body = r.body.toObject();
    body.insert(QStringLiteral("code"), e.code);
    r.body = body;
    return r;
}

inline Response Response::error(int status, const QString& title, const QString& detail,
                                const QList<FieldError>& fieldErrors) {
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("about:blank")},
                  {QStringLiteral("title"), textOf(title)},
                  {QStringLiteral("status"), status},
                  {QStringLiteral("detail"), detail}};
    if (!fieldErrors.isEmpty()) {
        QJsonArray errors;
        for (const auto& e : fieldErrors)
            errors.append(QJsonObject{{QStringLiteral("field"), e.field}, {QStringLiteral("message"), e.message}});
        o.insert(QStringLiteral("errors"), errors);
    }
    Response r = json(o, status);
    r.problem = true;
    return r;
}

inline Response Response::invalid(const QList<FieldError>& fieldErrors) {
    QStringList names;
    for (const auto& e : fieldErrors) names << e.field;
    return error(422, tessera::text("Validation failed"),
                 tessera::text("Invalid fields: %1", names.join(QStringLiteral(", "))), fieldErrors);
}

inline Response Response::fromError(const Error& e) {
    const auto is = [&](const char* suffix) { return e.code.endsWith(QLatin1String(suffix)); };
    if (!e.field.isEmpty()) return invalid({{e.field, e.message}});
    if (is(".not_found")) return notFound(e.message);
    if (is(".invalid")) return invalid({{QStringLiteral("(body)"), e.message}});
    if (is(".conflict") || is(".stale") || e.code == QLatin1String("db.constraint")) return error(409, QStringLiteral("Conflict"), e.message);
    if (e.code == QLatin1String("disk.full")) return storageFailure(e, e.message);
    if (is(".busy") || is(".unavailable")) return error(503, tessera::text("Service Unavailable"), e.message);
    return error(500, tessera::text("Internal Server Error"), tessera::text("the request failed (%1); the server log says why", e.code));
}

inline QString methodName(Method m) {
    switch (m) {
        case Method::Get: return QStringLiteral("GET");
        case Method::Post: return QStringLiteral("POST");
        case Method::Put: return QStringLiteral("PUT");
        case Method::Patch: return QStringLiteral("PATCH");
        case Method::Delete: return QStringLiteral("DELETE");
    }
    return {};
}

}  // namespace tessera
