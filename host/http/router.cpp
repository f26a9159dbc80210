#include "http/router.hpp"

#include <QByteArray>
#include <QStringList>
#include <QStringView>
#include <QVarLengthArray>

#include <algorithm>
#include <utility>

namespace tessera::host::http {

namespace {

constexpr int kInlineSegments = 16;  // deeper paths still work, they just allocate

bool isParam(const QString& segment) { return segment.startsWith(QLatin1Char('{')); }

// "/a/b/" and "/a/b" are the same path; "/" stays "/" (no segments).
QStringView withoutTrailingSlash(QStringView path) {
    if (path.size() > 1 && path.endsWith(QLatin1Char('/'))) path.chop(1);
    return path;
}

tessera::Error routeError(const QString& message) { return {QStringLiteral("http.route"), message}; }

// Splits and checks a route pattern. Each segment is a literal or a whole "{name}".
tessera::Result<QStringList> parsePattern(const QString& pattern) {
    const auto fail = [&](const QString& why) {
        return routeError(QStringLiteral("Route pattern '%1' %2").arg(pattern, why));
    };
    if (!pattern.startsWith(QLatin1Char('/'))) return fail(QStringLiteral("must start with '/'"));
    const QStringView body = withoutTrailingSlash(pattern).mid(1);
    QStringList segments;
    if (body.isEmpty()) return segments;  // "/"
    QStringList names;
    for (const QStringView segment : body.split(QLatin1Char('/'))) {
        if (segment.isEmpty()) return fail(QStringLiteral("has an empty segment ('//')"));
        const auto opens = segment.count(QLatin1Char('{'));
        const auto closes = segment.count(QLatin1Char('}'));
        if (opens == 0 && closes == 0) {
            segments << segment.toString();
            continue;
        }
        if (opens != closes) return fail(QStringLiteral("has unbalanced braces in '%1'").arg(segment));
        if (segment == u"{}") return fail(QStringLiteral("has a parameter without a name ('{}')"));
        if (opens != 1 || !segment.startsWith(QLatin1Char('{')) || !segment.endsWith(QLatin1Char('}')))
            return fail(QStringLiteral("has '%1': a parameter must be a whole segment, like '{id}'").arg(segment));
        const QString name = segment.mid(1, segment.size() - 2).toString();
        if (names.contains(name)) return fail(QStringLiteral("uses the parameter '%1' twice").arg(name));
        names << name;
        segments << segment.toString();
    }
    return segments;
}

QString shown(const QStringList& segments) {
    return QLatin1Char('/') + segments.join(QLatin1Char('/'));
}

// A request path cut into percent-decoded segments. Segments without '%' are views into
// the caller's string, so the common case allocates nothing.
class PathSegments {
public:
    // False when the path is not absolute (it then matches nothing).
    bool split(const QString& path) {
        if (!path.startsWith(QLatin1Char('/'))) return false;
        const QStringView body = withoutTrailingSlash(path).mid(1);
        if (body.isEmpty()) return true;
        const auto count = body.count(QLatin1Char('/')) + 1;
        // Sized once up front: views_ may point into decoded_, which must not move.
        decoded_.resize(count);
        views_.reserve(count);
        qsizetype start = 0;
        for (qsizetype i = 0; i < count; ++i) {
            qsizetype end = body.indexOf(QLatin1Char('/'), start);
            if (end < 0) end = body.size();
            const QStringView raw = body.sliced(start, end - start);
            if (raw.contains(QLatin1Char('%'))) {
                decoded_[i] = QString::fromUtf8(QByteArray::fromPercentEncoding(raw.toUtf8()));
                views_.append(decoded_[i]);
            } else {
                views_.append(raw);
            }
            start = end + 1;
        }
        return true;
    }

    qsizetype size() const { return views_.size(); }
    QStringView operator[](qsizetype i) const { return views_[i]; }

private:
    QVarLengthArray<QStringView, kInlineSegments> views_;
    QVarLengthArray<QString, kInlineSegments> decoded_;
};

// The child of `node` for the literal `segment`, or null.
template <class Node>
const Node* literalChild(const Node& node, QStringView segment) {
    const auto it = std::lower_bound(node.literals.begin(), node.literals.end(), segment,
                                     [](const auto& child, QStringView s) { return QStringView(child.first) < s; });
    return it != node.literals.end() && it->first == segment ? it->second.get() : nullptr;
}

// Calls `visit` on each entry whose pattern fits `path`, until it returns true (then so does
// this). Below each node the literal child goes before the parameter child: the entries come
// most specific first, literal segments before parameters position by position from the left
// ("/a/new" before "/a/{id}", "/a/{id}/x" before "/{p}/b/x").
template <class Node, class Visit>
bool visitFitting(const Node& node, const PathSegments& path, qsizetype depth, const Visit& visit) {
    if (depth == path.size()) {
        for (const auto& e : node.entries)
            if (visit(e)) return true;
        return false;
    }
    const QStringView segment = path[depth];
    if (const Node* literal = literalChild(node, segment); literal && visitFitting(*literal, path, depth + 1, visit)) return true;
    // A parameter needs a value: "/a//" is not "/a/{id}" with an empty id.
    return node.parameter && !segment.isEmpty() && visitFitting(*node.parameter, path, depth + 1, visit);
}

// The methods of the routes whose patterns fit `path`, in order (for 405 and Allow).
template <class Node>
QList<tessera::Method> methodsFitting(const Node& root, const PathSegments& path) {
    QList<tessera::Method> methods;
    visitFitting(root, path, 0, [&](const auto& e) {
        if (!methods.contains(e.method)) methods.append(e.method);
        return false;
    });
    std::sort(methods.begin(), methods.end());
    return methods;
}

}  // namespace

tessera::Status Router::add(tessera::Method method, const QString& pattern, BoundHandler handler) {
    return insert(method, pattern, std::move(handler), nullptr);
}

tessera::Status Router::addImmediate(tessera::Method method, const QString& pattern, BoundHandler handler) {
    return insert(method, pattern, std::move(handler), nullptr, true);
}

tessera::Status Router::addFileRoute(tessera::Method method, const QString& pattern, FileBody body, BoundHandler handler) {
    if (!body.admit) return routeError(QStringLiteral("File route %1 %2 has no admit check").arg(methodName(method), pattern));
    return insert(method, pattern, std::move(handler), std::make_shared<FileBody>(std::move(body)));
}

tessera::Status Router::insert(tessera::Method method, const QString& pattern, BoundHandler handler, std::shared_ptr<FileBody> fileBody,
                               bool immediate) {
    auto segments = parsePattern(pattern);
    if (!segments) return segments.error();
    if (!handler)
        return routeError(QStringLiteral("Route %1 %2 has no handler").arg(methodName(method), pattern));
    // Parameters share one child whatever their names: "/a/{id}" and "/a/{key}" claim the
    // same paths, and so are the same route.
    Node* node = &root_;
    std::vector<std::pair<qsizetype, QString>> parameters;
    for (qsizetype i = 0; i < segments->size(); ++i) {
        const QString& segment = (*segments)[i];
        if (isParam(segment)) {
            parameters.emplace_back(i, segment.mid(1, segment.size() - 2));
            if (!node->parameter) node->parameter = std::make_unique<Node>();
            node = node->parameter.get();
            continue;
        }
        auto it = std::lower_bound(node->literals.begin(), node->literals.end(), segment,
                                   [](const auto& child, const QString& s) { return child.first < s; });
        if (it == node->literals.end() || it->first != segment) it = node->literals.emplace(it, segment, std::make_unique<Node>());
        node = it->second.get();
    }
    for (const Entry& e : node->entries) {
        if (e.method == method)
            return routeError(QStringLiteral("Route %1 %2 is already taken by %1 %3").arg(methodName(method), pattern, e.pattern));
    }
    node->entries.push_back(Entry{method, shown(*segments), std::move(parameters), std::move(handler), std::move(fileBody), immediate});
    ++size_;
    return {};
}

Router::Match Router::match(tessera::Method method, const QString& path) const {
    Match result;
    PathSegments segments;
    if (!segments.split(path)) return result;
    const Entry* found = nullptr;
    visitFitting(root_, segments, 0, [&](const Entry& e) {
        if (e.method != method) return false;
        found = &e;
        return true;
    });
    if (!found) {
        // Only now the other methods: a found route needs none of them.
        result.allowed = methodsFitting(root_, segments);
        if (!result.allowed.isEmpty()) result.kind = Match::Kind::MethodNotAllowed;
        return result;
    }
    result.kind = Match::Kind::Found;
    result.handler = &found->handler;
    result.fileBody = found->fileBody.get();
    result.immediate = found->immediate;
    for (const auto& [position, name] : found->parameters) result.params.insert(name, segments[position].toString());
    return result;
}

QList<tessera::Method> Router::allowedMethods(const QString& path) const {
    PathSegments segments;
    if (!segments.split(path)) return {};
    return methodsFitting(root_, segments);
}

std::size_t Router::size() const { return size_; }

}  // namespace tessera::host::http
