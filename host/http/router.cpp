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

// Literal segments rank before parameters, position by position from the left, so that
// "/a/new" is tried before "/a/{id}" and "/a/{id}/x" before "/{p}/b/x". Patterns of
// different lengths never match the same path; their relative order does not matter.
bool moreSpecific(const QStringList& a, const QStringList& b) {
    if (a.size() != b.size()) return a.size() < b.size();
    for (qsizetype i = 0; i < a.size(); ++i) {
        const bool pa = isParam(a[i]);
        const bool pb = isParam(b[i]);
        if (pa != pb) return !pa;
    }
    return false;
}

// Same shape: equal literals and parameters at the same places (names do not matter,
// "/a/{id}" and "/a/{key}" would both claim the same paths).
bool sameShape(const QStringList& a, const QStringList& b) {
    if (a.size() != b.size()) return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const bool pa = isParam(a[i]);
        if (pa != isParam(b[i]) || (!pa && a[i] != b[i])) return false;
    }
    return true;
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

    bool matches(const QStringList& pattern) const {
        if (pattern.size() != views_.size()) return false;
        for (qsizetype i = 0; i < views_.size(); ++i) {
            // A parameter needs a value: "/a//" is not "/a/{id}" with an empty id.
            if (isParam(pattern[i]) ? views_[i].isEmpty() : pattern[i] != views_[i]) return false;
        }
        return true;
    }

private:
    QVarLengthArray<QStringView, kInlineSegments> views_;
    QVarLengthArray<QString, kInlineSegments> decoded_;
};

void addOnce(QList<tessera::Method>& methods, tessera::Method m) {
    if (!methods.contains(m)) methods.append(m);
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
    for (const Entry& e : entries_) {
        if (e.method == method && sameShape(e.segments, *segments))
            return routeError(QStringLiteral("Route %1 %2 is already taken by %1 %3")
                                  .arg(methodName(method), pattern, shown(e.segments)));
    }
    // upper_bound keeps registration order among equally specific patterns.
    const auto at = std::upper_bound(entries_.begin(), entries_.end(), *segments,
                                     [](const QStringList& s, const Entry& e) { return moreSpecific(s, e.segments); });
    entries_.insert(at, Entry{method, std::move(*segments), std::move(handler), std::move(fileBody), immediate});
    return {};
}

Router::Match Router::match(tessera::Method method, const QString& path) const {
    Match result;
    PathSegments segments;
    if (!segments.split(path)) return result;
    // entries_ is ordered most specific first, so the first entry that fits is the answer.
    for (const Entry& e : entries_) {
        if (!segments.matches(e.segments)) continue;
        if (e.method != method) {
            addOnce(result.allowed, e.method);
            continue;
        }
        result.kind = Match::Kind::Found;
        result.handler = &e.handler;
        result.fileBody = e.fileBody.get();
        result.immediate = e.immediate;
        result.allowed.clear();
        for (qsizetype i = 0; i < segments.size(); ++i) {
            const QString& s = e.segments[i];
            if (isParam(s)) result.params.insert(s.mid(1, s.size() - 2), segments[i].toString());
        }
        return result;
    }
    if (!result.allowed.isEmpty()) {
        result.kind = Match::Kind::MethodNotAllowed;
        std::sort(result.allowed.begin(), result.allowed.end());
    }
    return result;
}

QList<tessera::Method> Router::allowedMethods(const QString& path) const {
    QList<tessera::Method> methods;
    PathSegments segments;
    if (!segments.split(path)) return methods;
    for (const Entry& e : entries_)
        if (segments.matches(e.segments)) addOnce(methods, e.method);
    std::sort(methods.begin(), methods.end());
    return methods;
}

std::size_t Router::size() const { return entries_.size(); }

}  // namespace tessera::host::http
