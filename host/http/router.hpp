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
#include <utility>
#include <vector>

namespace tessera::host::http {

/// A handler with its context already bound (the http layer knows nothing about plugins).
/// It is given the request to keep: the host adds the caller's rights and language to it
/// in place instead of copying it.
using BoundHandler = std::function<tessera::Response(tessera::Request)>;

/// A route whose body is a file (uploads): the server streams it to disk instead of parsing
/// JSON. `admit` runs on the request's header alone, before any body byte is read, and
/// answers status 0 to let it in, any other response to refuse it (not logged in ...).
struct FileBody {
    BoundHandler admit;
};

class Router {
public:
    struct Match {
        enum class Kind { Found, NotFound, MethodNotAllowed } kind = Kind::NotFound;
        const BoundHandler* handler = nullptr;
        QHash<QString, QString> params;
        QList<tessera::Method> allowed;  // for 405: the methods the path does accept
        const FileBody* fileBody = nullptr;  // set for routes added with a FileBody
        bool immediate = false;              // added with addImmediate
    };

    /// Fails (code "http.route") on a malformed pattern or one already taken for that method.
    tessera::Status add(tessera::Method method, const QString& pattern, BoundHandler handler);
    /// A route the server answers at once on its network threads, never queued behind the
    /// handlers that may wait (database, disk): for checks such as health, which must answer
    /// while the server is busy. Its handler must not block.
    tessera::Status addImmediate(tessera::Method method, const QString& pattern, BoundHandler handler);
    /// A route whose body the server streams to a file; the handler finds its path in
    /// Request::bodyFile and may move the file away (the server removes what is left).
    tessera::Status addFileRoute(tessera::Method method, const QString& pattern, FileBody body, BoundHandler handler);
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
    tessera::Status insert(tessera::Method method, const QString& pattern, BoundHandler handler, std::shared_ptr<FileBody> fileBody,
                           bool immediate = false);
    struct Entry {
        tessera::Method method;
        QString pattern;                                        // normalised, for messages
        std::vector<std::pair<qsizetype, QString>> parameters;  // segment position and name of each {name}
        BoundHandler handler;
        std::shared_ptr<FileBody> fileBody;
        bool immediate = false;
    };
    // A trie of pattern segments, so that a request looks at the few routes its path can
    // reach instead of all of them. A node's entries are the routes whose pattern ends there
    // (one per method); one child per literal segment, and one for any parameter.
    struct Node {
        std::vector<std::pair<QString, std::unique_ptr<Node>>> literals;  // sorted by segment
        std::unique_ptr<Node> parameter;
        std::vector<Entry> entries;
    };
    Node root_;
    std::size_t size_ = 0;
    BoundHandler fallback_;
};

}  // namespace tessera::host::http
