#pragma once
// Routes a plugin offers under /api/v1/<plugin-id>/, with JSON requests and responses.

#include <tessera/access.hpp>
#include <tessera/result.hpp>
#include <tessera/text.hpp>

#include <QByteArray>
#include <QHash>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <functional>

namespace tessera {

class Context;

enum class Method { Get, Post, Put, Patch, Delete };

/// One invalid field of a request, reported back in the problem's "errors" list.
struct FieldError {
    QString field;    // JSON name of the field, e.g. "phone"
    QString message;  // what is wrong with it, for people
};

/// A request as a plugin sees it: already routed, body parsed as JSON.
struct Request {
    Method method = Method::Get;
    QString path;                        // full path, e.g. /api/v1/biz.customers/customers/7
    QHash<QString, QString> pathParams;  // {id} in the route pattern -> "7"
    QHash<QString, QString> query;       // decoded query string (last value wins)
    QHash<QByteArray, QByteArray> headers;  // names in lower case
    QJsonValue body = QJsonValue::Undefined;  // Undefined when the request had no body
    QString clientAddress;               // the peer's IP address
    /// The caller and their rights; set by the host for every routed request.
    const Access* access = nullptr;
    /// The units reachable with this route's permission (access->scope(route.permission));
    /// never null: noUnits() until the host sets it.
    const Scope* scope = &noUnits();
    /// Only on the host's upload route: the file the body was streamed to (body is then Undefined).
    QString bodyFile;

    QString param(const QString& name) const { return pathParams.value(name); }
    QString queryValue(const QString& name, const QString& fallback = {}) const {
        return query.value(name, fallback);
    }
    QByteArray header(const QByteArray& lowerCaseName) const { return headers.value(lowerCaseName); }
};

/// A response: status, JSON body (or none), extra headers.
struct Response {
    int status = 200;
    QJsonValue body = QJsonValue::Undefined;  // Undefined: no body
    QList<QPair<QByteArray, QByteArray>> headers;
    bool problem = false;  // body is an RFC 9457 problem (application/problem+json)
    QByteArray bytes;        // a non-JSON body (images, files); used when bytesType is set
    QByteArray bytesType;    // its Content-Type, e.g. "image/png"
    QString file;            // a body sent from this file as it is read (downloads); used when set, with bytesType

    static Response json(const QJsonValue& body, int status = 200);
    static Response created(const QJsonValue& body) { return json(body, 201); }
    static Response noContent() { Response r; r.status = 204; return r; }
    /// A body that is not JSON, sent as is with `contentType`.
    static Response raw(QByteArray data, QByteArray contentType, int status = 200) {
        Response r;
        r.status = status;
        r.bytes = std::move(data);
        r.bytesType = std::move(contentType);
        return r;
    }
    /// The contents of the file at `path` as the body, streamed from disk (a big download
    /// never sits in memory); a file that cannot be opened then is a 500.
    static Response fromFile(QString path, QByteArray contentType, int status = 200) {
        Response r;
        r.status = status;
        r.file = std::move(path);
        r.bytesType = std::move(contentType);
        return r;
    }
    /// An error in application/problem+json: {type, title, status, detail, errors[]}.
    static Response error(int status, const QString& title, const QString& detail,
                          const QList<FieldError>& fieldErrors = {});
    /// 422 with every bad field listed.
    static Response invalid(const QList<FieldError>& fieldErrors);
    /// The answer to a store that could not be read or written: 507 Insufficient Storage for
    /// a full disk (error code "disk.full"; the host words it in the caller's language), else
    /// 500 with `detail` (which names no server path; log the error itself).
    static Response storageFailure(const Error& e, const QString& detail);
    static Response notFound(const QString& detail) { return error(404, QStringLiteral("Not Found"), detail); }
    /// The answer to an Error, by its code and field: a field -> 422 on that field;
    /// "*.not_found" -> 404; "*.invalid" -> 422; "*.conflict", "*.stale", "db.constraint" ->
    /// 409; "disk.full" -> 507; "*.busy", "*.unavailable" -> 503; anything else 500 saying
    /// only its code (log the message: it may name files or SQL).
    static Response fromError(const Error& e);

    Response& withHeader(const QByteArray& name, const QByteArray& value) {
        headers.append({name, value});
        return *this;
    }
};

/// Handles one request. Runs on a server thread; must not throw (the host answers 500 if it does).
using Handler = std::function<Response(const Request&, Context&)>;

/// One route: method, a pattern relative to /api/v1/<plugin-id>/ such as "customers/{id}",
/// and the permission the caller needs: one declared in the plugin's manifest, or
/// kPublicRoute. A route without a permission is refused when the plugin is declared.
struct Route {
    Method method = Method::Get;
    QString pattern;
    Handler handler;
    QString permission;
};

QString methodName(Method m);

}  // namespace tessera

#include <tessera/detail/http_inline.hpp>
