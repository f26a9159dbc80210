#include "http/router.hpp"

#include <gtest/gtest.h>

#include <ostream>

// Readable failure messages for QString (gtest finds this by argument-dependent lookup).
static void PrintTo(const QString& s, std::ostream* os) { *os << '"' << s.toStdString() << '"'; }

using tessera::Method;
using tessera::Request;
using tessera::Response;
using tessera::host::http::BoundHandler;
using tessera::host::http::Router;
using Kind = Router::Match::Kind;

namespace {

// A handler that answers with its own name, so a test can tell which route matched.
BoundHandler named(const QString& name) {
    return [name](const Request&) { return Response::json(name); };
}

QString whoAnswers(const Router::Match& m) {
    if (m.kind != Kind::Found || m.handler == nullptr) return QStringLiteral("<no match>");
    return (*m.handler)(Request{}).body.toString();
}

void add(Router& router, Method method, const QString& pattern, const QString& name) {
    const auto status = router.add(method, pattern, named(name));
    ASSERT_TRUE(status.ok()) << status.error().message.toStdString();
}

QString addError(Router& router, Method method, const QString& pattern) {
    const auto status = router.add(method, pattern, named(QStringLiteral("x")));
    if (status.ok()) return QStringLiteral("<accepted>");
    EXPECT_EQ(status.error().code, QStringLiteral("http.route"));
    return status.error().message;
}

}  // namespace

TEST(Router, MatchesALiteralPath) {
    Router router;
    add(router, Method::Get, QStringLiteral("/api/v1/biz.customers/customers"), QStringLiteral("list"));
    const auto m = router.match(Method::Get, QStringLiteral("/api/v1/biz.customers/customers"));
    EXPECT_EQ(m.kind, Kind::Found);
    EXPECT_EQ(whoAnswers(m), QStringLiteral("list"));
    EXPECT_TRUE(m.params.isEmpty());
    EXPECT_EQ(router.size(), 1u);
}

TEST(Router, CapturesParametersPercentDecoded) {
    Router router;
    add(router, Method::Get, QStringLiteral("/api/v1/t/{kind}/{id}"), QStringLiteral("item"));
    const auto m = router.match(Method::Get, QStringLiteral("/api/v1/t/a%20b/%E5%BC%A0%2F7"));
    ASSERT_EQ(m.kind, Kind::Found);
    EXPECT_EQ(m.params.value(QStringLiteral("kind")), QStringLiteral("a b"));
    // An encoded slash stays inside its segment instead of splitting the path.
    EXPECT_EQ(m.params.value(QStringLiteral("id")), QString::fromUtf8("张/7"));
}

TEST(Router, PrefersALiteralSegmentOverAParameter) {
    Router router;
    // Registered parameter first: order of registration must not decide.
    add(router, Method::Get, QStringLiteral("/c/{id}"), QStringLiteral("by id"));
    add(router, Method::Get, QStringLiteral("/c/new"), QStringLiteral("new form"));
    add(router, Method::Get, QStringLiteral("/{a}/x"), QStringLiteral("param first"));
    add(router, Method::Get, QStringLiteral("/c/{id}/x"), QStringLiteral("literal first"));
    EXPECT_EQ(whoAnswers(router.match(Method::Get, QStringLiteral("/c/new"))), QStringLiteral("new form"));
    EXPECT_EQ(whoAnswers(router.match(Method::Get, QStringLiteral("/c/42"))), QStringLiteral("by id"));
    EXPECT_EQ(whoAnswers(router.match(Method::Get, QStringLiteral("/c/1/x"))), QStringLiteral("literal first"));
    EXPECT_EQ(whoAnswers(router.match(Method::Get, QStringLiteral("/d/x"))), QStringLiteral("param first"));
}

TEST(Router, IgnoresATrailingSlashOnPathsAndPatterns) {
    Router router;
    add(router, Method::Get, QStringLiteral("/a/b"), QStringLiteral("ab"));
    add(router, Method::Get, QStringLiteral("/c/"), QStringLiteral("c"));
    EXPECT_EQ(whoAnswers(router.match(Method::Get, QStringLiteral("/a/b/"))), QStringLiteral("ab"));
    EXPECT_EQ(whoAnswers(router.match(Method::Get, QStringLiteral("/c"))), QStringLiteral("c"));
    EXPECT_EQ(addError(router, Method::Get, QStringLiteral("/a/b/")),
              QStringLiteral("Route GET /a/b/ is already taken by GET /a/b"));
}

TEST(Router, MatchesTheRootPath) {
    Router router;
    add(router, Method::Get, QStringLiteral("/"), QStringLiteral("root"));
    EXPECT_EQ(whoAnswers(router.match(Method::Get, QStringLiteral("/"))), QStringLiteral("root"));
    EXPECT_EQ(router.match(Method::Get, QStringLiteral("/x")).kind, Kind::NotFound);
}

TEST(Router, ReportsNotFoundForUnknownPaths) {
    Router router;
    add(router, Method::Get, QStringLiteral("/a/{id}"), QStringLiteral("a"));
    EXPECT_EQ(router.match(Method::Get, QStringLiteral("/b/1")).kind, Kind::NotFound);
    EXPECT_EQ(router.match(Method::Get, QStringLiteral("/a/1/2")).kind, Kind::NotFound);
    EXPECT_EQ(router.match(Method::Get, QStringLiteral("/a")).kind, Kind::NotFound);
    EXPECT_EQ(router.match(Method::Get, QStringLiteral("a/1")).kind, Kind::NotFound);
    EXPECT_EQ(router.match(Method::Get, QStringLiteral("/a//")).kind, Kind::NotFound);
}

TEST(Router, ReportsMethodNotAllowedWithTheMethodsThePathAccepts) {
    Router router;
    add(router, Method::Delete, QStringLiteral("/items/{id}"), QStringLiteral("delete"));
    add(router, Method::Get, QStringLiteral("/items/{id}"), QStringLiteral("get"));
    add(router, Method::Put, QStringLiteral("/items/special"), QStringLiteral("put special"));
    const auto m = router.match(Method::Post, QStringLiteral("/items/special"));
    EXPECT_EQ(m.kind, Kind::MethodNotAllowed);
    EXPECT_EQ(m.handler, nullptr);
    EXPECT_EQ(m.allowed, (QList<Method>{Method::Get, Method::Put, Method::Delete}));
    EXPECT_EQ(router.allowedMethods(QStringLiteral("/items/1")), (QList<Method>{Method::Get, Method::Delete}));
    EXPECT_TRUE(router.allowedMethods(QStringLiteral("/nothing")).isEmpty());
}

TEST(Router, FallsBackToAParameterRouteWhenTheLiteralOneHasAnotherMethod) {
    Router router;
    add(router, Method::Get, QStringLiteral("/items/special"), QStringLiteral("get special"));
    add(router, Method::Post, QStringLiteral("/items/{id}"), QStringLiteral("post item"));
    const auto m = router.match(Method::Post, QStringLiteral("/items/special"));
    EXPECT_EQ(whoAnswers(m), QStringLiteral("post item"));
    EXPECT_EQ(m.params.value(QStringLiteral("id")), QStringLiteral("special"));
}

TEST(Router, AcceptsTheSamePatternForDifferentMethods) {
    Router router;
    add(router, Method::Get, QStringLiteral("/a/{id}"), QStringLiteral("get"));
    add(router, Method::Put, QStringLiteral("/a/{id}"), QStringLiteral("put"));
    EXPECT_EQ(whoAnswers(router.match(Method::Put, QStringLiteral("/a/1"))), QStringLiteral("put"));
    EXPECT_EQ(router.size(), 2u);
}

TEST(Router, RefusesADuplicateMethodAndPattern) {
    Router router;
    add(router, Method::Get, QStringLiteral("/a/{id}"), QStringLiteral("first"));
    EXPECT_EQ(addError(router, Method::Get, QStringLiteral("/a/{id}")),
              QStringLiteral("Route GET /a/{id} is already taken by GET /a/{id}"));
    // Another parameter name claims exactly the same paths.
    EXPECT_EQ(addError(router, Method::Get, QStringLiteral("/a/{key}")),
              QStringLiteral("Route GET /a/{key} is already taken by GET /a/{id}"));
    EXPECT_EQ(router.size(), 1u);
}

TEST(Router, RefusesMalformedPatterns) {
    Router router;
    EXPECT_EQ(addError(router, Method::Get, QStringLiteral("/a/{}")),
              QStringLiteral("Route pattern '/a/{}' has a parameter without a name ('{}')"));
    EXPECT_EQ(addError(router, Method::Get, QStringLiteral("/a/{id")),
              QStringLiteral("Route pattern '/a/{id' has unbalanced braces in '{id'"));
    EXPECT_EQ(addError(router, Method::Get, QStringLiteral("/a/id}")),
              QStringLiteral("Route pattern '/a/id}' has unbalanced braces in 'id}'"));
    EXPECT_EQ(addError(router, Method::Get, QStringLiteral("/a/x{id}")),
              QStringLiteral("Route pattern '/a/x{id}' has 'x{id}': a parameter must be a whole segment, like '{id}'"));
    EXPECT_EQ(addError(router, Method::Get, QStringLiteral("/a/{a}{b}")),
              QStringLiteral("Route pattern '/a/{a}{b}' has '{a}{b}': a parameter must be a whole segment, like '{id}'"));
    EXPECT_EQ(addError(router, Method::Get, QStringLiteral("a/b")), QStringLiteral("Route pattern 'a/b' must start with '/'"));
    EXPECT_EQ(addError(router, Method::Get, QStringLiteral("/a//b")),
              QStringLiteral("Route pattern '/a//b' has an empty segment ('//')"));
    EXPECT_EQ(addError(router, Method::Get, QStringLiteral("/a/{id}/{id}")),
              QStringLiteral("Route pattern '/a/{id}/{id}' uses the parameter 'id' twice"));
    EXPECT_EQ(router.size(), 0u);
}

TEST(Router, RefusesARouteWithoutHandler) {
    Router router;
    const auto status = router.add(Method::Get, QStringLiteral("/a"), BoundHandler{});
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, QStringLiteral("http.route"));
    EXPECT_EQ(status.error().message, QStringLiteral("Route GET /a has no handler"));
}

TEST(Router, FindsEachOfManyRoutesAndOnlyThose) {
    Router router;
    // As many routes as a large deployment serves: every plugin the same few shapes.
    for (int p = 0; p < 60; ++p) {
        const QString base = QStringLiteral("/api/v1/plugin%1/things").arg(p);
        add(router, Method::Get, base, QStringLiteral("list %1").arg(p));
        add(router, Method::Post, base, QStringLiteral("create %1").arg(p));
        add(router, Method::Get, base + QStringLiteral("/{id}"), QStringLiteral("get %1").arg(p));
        add(router, Method::Delete, base + QStringLiteral("/{id}"), QStringLiteral("delete %1").arg(p));
        add(router, Method::Get, base + QStringLiteral("/{id}/history"), QStringLiteral("history %1").arg(p));
    }
    EXPECT_EQ(router.size(), 300u);
    for (int p = 0; p < 60; ++p) {
        const QString base = QStringLiteral("/api/v1/plugin%1/things").arg(p);
        EXPECT_EQ(whoAnswers(router.match(Method::Get, base)), QStringLiteral("list %1").arg(p));
        EXPECT_EQ(whoAnswers(router.match(Method::Post, base + QStringLiteral("/"))), QStringLiteral("create %1").arg(p));
        const auto item = router.match(Method::Delete, base + QStringLiteral("/%1").arg(p));
        EXPECT_EQ(whoAnswers(item), QStringLiteral("delete %1").arg(p));
        EXPECT_EQ(item.params.value(QStringLiteral("id")), QString::number(p));
        EXPECT_EQ(whoAnswers(router.match(Method::Get, base + QStringLiteral("/7/history"))), QStringLiteral("history %1").arg(p));
        const auto wrong = router.match(Method::Put, base + QStringLiteral("/7"));
        EXPECT_EQ(wrong.kind, Kind::MethodNotAllowed);
        EXPECT_EQ(wrong.allowed, (QList<Method>{Method::Get, Method::Delete}));
    }
    EXPECT_EQ(router.match(Method::Get, QStringLiteral("/api/v1/plugin60/things")).kind, Kind::NotFound);
    EXPECT_EQ(router.match(Method::Get, QStringLiteral("/api/v1/plugin1/things/7/future")).kind, Kind::NotFound);
    EXPECT_EQ(router.match(Method::Get, QStringLiteral("/api/v1")).kind, Kind::NotFound);
}

TEST(Router, PrefersLiteralsFromTheLeftAtEveryDepth) {
    Router router;
    add(router, Method::Get, QStringLiteral("/{a}/{b}/c"), QStringLiteral("literal last"));
    add(router, Method::Get, QStringLiteral("/{a}/b/{c}"), QStringLiteral("literal in the middle"));
    add(router, Method::Get, QStringLiteral("/x/{b}/{c}"), QStringLiteral("literal first"));
    add(router, Method::Get, QStringLiteral("/x/{b}/c"), QStringLiteral("literal first and last"));
    // The leftmost position where the patterns differ decides, not how many literals they have.
    EXPECT_EQ(whoAnswers(router.match(Method::Get, QStringLiteral("/x/b/c"))), QStringLiteral("literal first and last"));
    EXPECT_EQ(whoAnswers(router.match(Method::Get, QStringLiteral("/x/b/z"))), QStringLiteral("literal first"));
    EXPECT_EQ(whoAnswers(router.match(Method::Get, QStringLiteral("/y/b/c"))), QStringLiteral("literal in the middle"));
    EXPECT_EQ(whoAnswers(router.match(Method::Get, QStringLiteral("/y/z/c"))), QStringLiteral("literal last"));
    EXPECT_EQ(router.match(Method::Get, QStringLiteral("/y/z/z")).kind, Kind::NotFound);
}

TEST(Router, TriesTheParameterWhenTheLiteralLeadsNowhereDeeper) {
    Router router;
    add(router, Method::Get, QStringLiteral("/a/b/c"), QStringLiteral("all literal"));
    add(router, Method::Get, QStringLiteral("/{x}/b/d"), QStringLiteral("parameter first"));
    const auto m = router.match(Method::Get, QStringLiteral("/a/b/d"));
    EXPECT_EQ(whoAnswers(m), QStringLiteral("parameter first"));
    EXPECT_EQ(m.params.value(QStringLiteral("x")), QStringLiteral("a"));
    EXPECT_EQ(whoAnswers(router.match(Method::Get, QStringLiteral("/a/b/c"))), QStringLiteral("all literal"));
}

TEST(Router, CollectsTheAllowedMethodsOfLiteralAndParameterRoutesAlike) {
    Router router;
    add(router, Method::Get, QStringLiteral("/a/{id}/x"), QStringLiteral("get"));
    add(router, Method::Post, QStringLiteral("/{p}/b/x"), QStringLiteral("post"));
    add(router, Method::Delete, QStringLiteral("/a/b/{y}"), QStringLiteral("delete"));
    const auto m = router.match(Method::Put, QStringLiteral("/a/b/x"));
    EXPECT_EQ(m.kind, Kind::MethodNotAllowed);
    EXPECT_EQ(m.allowed, (QList<Method>{Method::Get, Method::Post, Method::Delete}));
    EXPECT_EQ(router.allowedMethods(QStringLiteral("/a/b/x/")), (QList<Method>{Method::Get, Method::Post, Method::Delete}));
    // A deeper literal route of another method does not hide a parameter route of this one.
    EXPECT_EQ(whoAnswers(router.match(Method::Post, QStringLiteral("/a/b/x"))), QStringLiteral("post"));
    EXPECT_EQ(whoAnswers(router.match(Method::Delete, QStringLiteral("/a/b/x"))), QStringLiteral("delete"));
}

TEST(Router, NamesParametersAsTheMatchedRouteDoes) {
    Router router;
    add(router, Method::Get, QStringLiteral("/a/{id}"), QStringLiteral("get"));
    add(router, Method::Delete, QStringLiteral("/a/{key}"), QStringLiteral("delete"));
    EXPECT_EQ(router.match(Method::Get, QStringLiteral("/a/7")).params,
              (QHash<QString, QString>{{QStringLiteral("id"), QStringLiteral("7")}}));
    EXPECT_EQ(router.match(Method::Delete, QStringLiteral("/a/7")).params,
              (QHash<QString, QString>{{QStringLiteral("key"), QStringLiteral("7")}}));
    EXPECT_EQ(addError(router, Method::Get, QStringLiteral("/a/{other}/")),
              QStringLiteral("Route GET /a/{other}/ is already taken by GET /a/{id}"));
}

TEST(Router, MatchesLiteralSegmentsPercentDecoded) {
    Router router;
    add(router, Method::Get, QStringLiteral("/c/new"), QStringLiteral("new form"));
    add(router, Method::Get, QStringLiteral("/c/{id}"), QStringLiteral("by id"));
    EXPECT_EQ(whoAnswers(router.match(Method::Get, QStringLiteral("/%63/n%65w"))), QStringLiteral("new form"));
    const auto m = router.match(Method::Get, QStringLiteral("/c/new%2F"));
    EXPECT_EQ(whoAnswers(m), QStringLiteral("by id"));
    EXPECT_EQ(m.params.value(QStringLiteral("id")), QStringLiteral("new/"));
}

TEST(Router, KeepsTheRootApartFromAParameterAtTheTop) {
    Router router;
    add(router, Method::Get, QStringLiteral("/"), QStringLiteral("root"));
    add(router, Method::Get, QStringLiteral("/{page}"), QStringLiteral("page"));
    EXPECT_EQ(whoAnswers(router.match(Method::Get, QStringLiteral("/"))), QStringLiteral("root"));
    EXPECT_EQ(whoAnswers(router.match(Method::Get, QStringLiteral("/about/"))), QStringLiteral("page"));
    EXPECT_EQ(router.match(Method::Get, QStringLiteral("/about//")).kind, Kind::NotFound);
}
