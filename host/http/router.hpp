#pragma once
// Maps (method, path) to a handler. Patterns are full paths with {name} segments, e.g.
// "/api/v1/biz.customers/customers/{id}". Literal segments win over parameters.

#include <tessera/http.hpp>
#include <tessera/result.hpp>

#include <QHash>
#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace tessera::host::http {

/// A handler with its context already bound (the http layer knows nothing about plugins).
using BoundHandler = std::function<tessera::Response(const tessera::Request&)>;

class Router {
public:
    struct Match {
        enum class Kind { Found, NotFound, MethodNotAllowed } kind = Kind::NotFound;
        const BoundHandler* handler = nullptr;
        QHash<QString, QString> params;
        QList<tessera::Method> allowed;  // for 405: the methods the path does accept
    };

    /// Fails (code "http.route") on a malformed pattern or one already taken for that method.
    tessera::Status add(tessera::Method method, const QString& pattern, BoundHandler handler);
    /// `path` as received (percent-encoded, query removed); a trailing slash is ignored.
    Match match(tessera::Method method, const QString& path) const;
    /// Handles GET requests outside /api/ that match no route (the web shell's files).
    void setFallback(BoundHandler handler) { fallback_ = std::move(handler); }
    const BoundHandler* fallback() const { return fallback_ ? &fallback_ : nullptr; }
    /// The methods some route accepts on `path` (empty: no route has that path). For
    /// answering methods the router cannot hold (HEAD, OPTIONS ...) with 405 and Allow.
    QList<tessera::Method> allowedMethods(const QString& path) const;
    std::size_t size() const;

private:
    struct Entry {
        tessera::Method method;
        QStringList segments;
        BoundHandler handler;
    };
    std::vector<Entry> entries_;
    BoundHandler fallback_;  // most specific first (see router.cpp), so the first hit wins
};

}  // namespace tessera::host::http
