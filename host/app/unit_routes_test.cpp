#include "app/unit_routes.hpp"

#include "store/migrations.hpp"
#include "store/sqlite_store.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

#include <stdexcept>

using tessera::Method;
using tessera::Params;
using tessera::Request;
using tessera::Response;
using tessera::host::HostRoute;
using tessera::host::HostRoutes;
using tessera::host::Unit;
using tessera::host::UnitTree;

namespace {

using tessera::test::FakeClock;
using tessera::test::ListedScope;
using tessera::test::must;

// A tree on a fresh database:  总部 (1) ── 东区 (2) ── 一支部 (4) ── 一组 (5)
//                                      └─ 西区 (3)
struct World {
    World() {
        auto opened = tessera::host::SqliteStore::open(dir.file(QStringLiteral("units.db")));
        if (!opened) throw std::runtime_error(opened.error().message.toStdString());
        store = std::move(opened).value();
        auto applied = tessera::host::Migrations(*store).apply(tessera::host::kCoreMigrationOwner, QStringLiteral("test"),
                                                               tessera::host::coreMigrations());
        if (!applied) throw std::runtime_error(applied.error().message.toStdString());
        tree = std::make_unique<UnitTree>(*store, clock);
        root = must(tree->ensureRoot(QStringLiteral("总部")));
        east = must(tree->create(root.id, QStringLiteral("东区"), QStringLiteral("E")));
        west = must(tree->create(root.id, QStringLiteral("西区"), QStringLiteral("W")));
        branch = must(tree->create(east.id, QStringLiteral("一支部"), QStringLiteral("E-01")));
        group = must(tree->create(branch.id, QStringLiteral("一组")));
        routes = tessera::host::unitRoutes(*tree);
    }

    template <class T>
    static T must(tessera::Result<T> r) {
        if (!r) throw std::runtime_error(r.error().message.toStdString());
        return std::move(r).value();
    }

    // A request the test gives no scope is the administrator's, who reaches every unit.
    Response call(Method method, const QString& pattern, Request r) {
        if (r.scope == &tessera::noUnits()) r.scope = &tessera::test::allUnits();
        for (const HostRoute& route : routes) {
            if (route.method == method && route.pattern == pattern) {
                r.method = method;
                return route.handler(r);
            }
        }
        throw std::runtime_error("no route " + pattern.toStdString());
    }

    tessera::test::TempDir dir;
    std::unique_ptr<tessera::host::SqliteStore> store;
    tessera::test::FakeClock clock;
    std::unique_ptr<UnitTree> tree;
    Unit root, east, west, branch, group;
    HostRoutes routes;
};

const QString kList = QStringLiteral("/api/v1/units");
const QString kOne = QStringLiteral("/api/v1/units/{id}");
const QString kSubtree = QStringLiteral("/api/v1/units/{id}/subtree");
const QString kSearch = QStringLiteral("/api/v1/units/search");
const QString kMove = QStringLiteral("/api/v1/units/{id}/move");

Request withId(qint64 id, const tessera::Scope* scope = nullptr) {
    Request r;
    r.pathParams.insert(QStringLiteral("id"), QString::number(id));
    r.scope = scope;
    return r;
}

Request withBody(Request r, const QJsonObject& body) {
    r.body = body;
    return r;
}

Request withIfMatch(Request r, const QByteArray& etag) {
    r.headers.insert("if-match", etag);
    return r;
}

QByteArray header(const Response& r, const QByteArray& name) {
    for (const auto& [key, value] : r.headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0) return value;
    }
    return {};
}

std::vector<QString> itemNames(const Response& r) {
    std::vector<QString> out;
    for (const auto& v : r.body.toObject().value(QStringLiteral("items")).toArray())
        out.push_back(v.toObject().value(QStringLiteral("name")).toString());
    return out;
}

QStringList errorFields(const Response& r) {
    QStringList out;
    for (const auto& v : r.body.toObject().value(QStringLiteral("errors")).toArray())
        out << v.toObject().value(QStringLiteral("field")).toString();
    return out;
}

// The detail as an English reader reads it (the handlers are called here without the host,
// which says an answer's texts in the caller's language).
QString detail(const Response& r) { return tessera::test::english(r.body.toObject().value(QStringLiteral("detail")).toString()); }

}  // namespace

TEST(UnitRoutes, ReadRoutesNeedTheReadPermissionAndWriteRoutesTheWritePermission) {
    World w;
    ASSERT_EQ(w.routes.size(), 9u);
    for (const HostRoute& route : w.routes) {
        EXPECT_EQ(route.permission, route.method == Method::Get ? tessera::host::kUnitsRead : tessera::host::kUnitsWrite)
            << route.pattern.toStdString();
    }
}

// ---- reads -----------------------------------------------------------------------------

TEST(UnitRoutes, ListsTheRootWithoutParentAndTheChildrenOfAParent) {
    World w;
    const Response top = w.call(Method::Get, kList, Request());
    EXPECT_EQ(top.status, 200);
    EXPECT_EQ(itemNames(top), (std::vector<QString>{QStringLiteral("总部")}));
    EXPECT_TRUE(top.body[QStringLiteral("items")][0][QStringLiteral("parentId")].isNull());

    Request r;
    r.query.insert(QStringLiteral("parent"), QString::number(w.root.id));
    const Response children = w.call(Method::Get, kList, r);
    EXPECT_EQ(children.status, 200);
    EXPECT_EQ(itemNames(children), (std::vector<QString>{QStringLiteral("东区"), QStringLiteral("西区")}));
    const QJsonObject eastJson = children.body[QStringLiteral("items")][0].toObject();
    EXPECT_EQ(eastJson.value(QStringLiteral("childCount")).toInteger(), 1);
    EXPECT_EQ(eastJson.value(QStringLiteral("parentId")).toInteger(), w.root.id);
    EXPECT_EQ(eastJson.value(QStringLiteral("code")).toString(), QStringLiteral("E"));
    EXPECT_EQ(eastJson.value(QStringLiteral("path")).toString(), w.east.path);
    EXPECT_EQ(eastJson.value(QStringLiteral("createdAt")).toString(), QStringLiteral("2026-03-01T09:30:00.000Z"));

    r.query.insert(QStringLiteral("parent"), QStringLiteral("abc"));
    const Response bad = w.call(Method::Get, kList, r);
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(errorFields(bad), QStringList{QStringLiteral("parent")});
}

TEST(UnitRoutes, ListsOnlyUnitsInsideTheCallersScope) {
    World w;
    const ListedScope eastOnly({w.east.id, w.branch.id});
    Request r;
    r.scope = &eastOnly;
    EXPECT_EQ(itemNames(w.call(Method::Get, kList, r)), (std::vector<QString>{QStringLiteral("东区")}));

    r.query.insert(QStringLiteral("parent"), QString::number(w.root.id));
    EXPECT_EQ(w.call(Method::Get, kList, r).status, 404);  // the root is outside the scope

    r.query.insert(QStringLiteral("parent"), QString::number(w.east.id));
    EXPECT_EQ(itemNames(w.call(Method::Get, kList, r)), (std::vector<QString>{QStringLiteral("一支部")}));

    EXPECT_EQ(itemNames(w.call(Method::Get, kSubtree, withId(w.east.id, &eastOnly))),
              (std::vector<QString>{QStringLiteral("东区"), QStringLiteral("一支部")}));  // 一组 is outside
}

TEST(UnitRoutes, GetAnswersTheUnitWithItsEtagAndAncestors) {
    World w;
    const Response r = w.call(Method::Get, kOne, withId(w.group.id));
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(header(r, "ETag"), QByteArray("\"1\""));
    const QJsonObject o = r.body.toObject();
    EXPECT_EQ(o.value(QStringLiteral("name")).toString(), QStringLiteral("一组"));
    EXPECT_EQ(o.value(QStringLiteral("depth")).toInt(), 3);
    EXPECT_EQ(o.value(QStringLiteral("version")).toInteger(), 1);
    QStringList ancestors;
    for (const auto& a : o.value(QStringLiteral("ancestors")).toArray()) ancestors << a.toObject().value(QStringLiteral("name")).toString();
    EXPECT_EQ(ancestors, (QStringList{QStringLiteral("总部"), QStringLiteral("东区"), QStringLiteral("一支部")}));

    // Inside a narrower scope, the ancestors outside it are not shown either.
    const ListedScope branchDown({w.branch.id, w.group.id});
    const Response scoped = w.call(Method::Get, kOne, withId(w.group.id, &branchDown));
    ASSERT_EQ(scoped.status, 200);
    EXPECT_EQ(scoped.body[QStringLiteral("ancestors")].toArray().size(), 1);
}

TEST(UnitRoutes, AUnitOutsideTheScopeOrMissingAnswers404) {
    World w;
    const ListedScope westOnly({w.west.id});
    EXPECT_EQ(w.call(Method::Get, kOne, withId(w.east.id, &westOnly)).status, 404);
    EXPECT_EQ(w.call(Method::Get, kSubtree, withId(w.east.id, &westOnly)).status, 404);
    EXPECT_EQ(w.call(Method::Get, kOne, withId(999)).status, 404);
    EXPECT_EQ(w.call(Method::Get, kSubtree, withId(999)).status, 404);
    Request abc;
    abc.pathParams.insert(QStringLiteral("id"), QStringLiteral("abc"));
    const Response r = w.call(Method::Get, kOne, abc);
    EXPECT_EQ(r.status, 404);
    EXPECT_TRUE(r.problem);
}

TEST(UnitRoutes, SubtreeListsTheUnitAndEverythingBelowInTreeOrder) {
    World w;
    const Response r = w.call(Method::Get, kSubtree, withId(w.east.id));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(itemNames(r), (std::vector<QString>{QStringLiteral("东区"), QStringLiteral("一支部"), QStringLiteral("一组")}));
}

TEST(UnitRoutes, SearchFindsUnitsWithTheirPathOfNamesAndNeedsQ) {
    World w;
    Request r;
    r.query.insert(QStringLiteral("q"), QStringLiteral("e-01"));
    const Response found = w.call(Method::Get, kSearch, r);
    ASSERT_EQ(found.status, 200);
    ASSERT_EQ(itemNames(found), (std::vector<QString>{QStringLiteral("一支部")}));
    EXPECT_EQ(found.body[QStringLiteral("items")][0][QStringLiteral("pathNames")].toArray(),
              QJsonArray({QStringLiteral("总部"), QStringLiteral("东区"), QStringLiteral("一支部")}));

    const ListedScope westOnly({w.west.id});
    r.scope = &westOnly;
    EXPECT_TRUE(itemNames(w.call(Method::Get, kSearch, r)).empty());

    Request none;
    const Response missing = w.call(Method::Get, kSearch, none);
    EXPECT_EQ(missing.status, 422);
    EXPECT_EQ(errorFields(missing), QStringList{QStringLiteral("q")});
    none.query.insert(QStringLiteral("q"), QStringLiteral("区"));
    none.query.insert(QStringLiteral("limit"), QStringLiteral("1000"));
    EXPECT_EQ(errorFields(w.call(Method::Get, kSearch, none)), QStringList{QStringLiteral("limit")});
}

// ---- create ----------------------------------------------------------------------------

TEST(UnitRoutes, CreateAnswers201WithLocationAndEtag) {
    World w;
    const Response r = w.call(Method::Post, kList,
                              withBody(Request(), QJsonObject{{QStringLiteral("parentId"), w.west.id},
                                                              {QStringLiteral("name"), QStringLiteral(" 二支部 ")},
                                                              {QStringLiteral("code"), QStringLiteral("W-02")},
                                                              {QStringLiteral("sortOrder"), 5}}));
    ASSERT_EQ(r.status, 201) << detail(r).toStdString();
    const qint64 id = r.body[QStringLiteral("id")].toInteger();
    EXPECT_EQ(header(r, "Location"), QStringLiteral("/api/v1/units/%1").arg(id).toUtf8());
    EXPECT_EQ(header(r, "ETag"), QByteArray("\"1\""));
    EXPECT_EQ(r.body[QStringLiteral("name")].toString(), QStringLiteral("二支部"));
    EXPECT_EQ(r.body[QStringLiteral("sortOrder")].toInt(), 5);
    EXPECT_EQ(r.body[QStringLiteral("path")].toString(), w.west.path + QStringLiteral("%1/").arg(id));
}

TEST(UnitRoutes, CreateListsEveryBadFieldAtOnce) {
    World w;
    const Response r = w.call(Method::Post, kList,
                              withBody(Request(), QJsonObject{{QStringLiteral("parentId"), QStringLiteral("x")},
                                                              {QStringLiteral("code"), QString(51, QLatin1Char('c'))},
                                                              {QStringLiteral("sortOrder"), 1.5},
                                                              {QStringLiteral("colour"), QStringLiteral("red")}}));
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.problem);
    QStringList fields = errorFields(r);
    fields.sort();
    EXPECT_EQ(fields, (QStringList{QStringLiteral("code"), QStringLiteral("colour"), QStringLiteral("name"),
                                   QStringLiteral("parentId"), QStringLiteral("sortOrder")}));
    EXPECT_EQ(w.call(Method::Post, kList, Request()).status, 422);  // no body at all
}

TEST(UnitRoutes, CreateUnderAParentOutsideTheWriteScopeOrMissingIs422OnParentId) {
    World w;
    const ListedScope westOnly({w.west.id});
    Request r = withBody(Request(), QJsonObject{{QStringLiteral("parentId"), w.east.id}, {QStringLiteral("name"), QStringLiteral("越权")}});
    r.scope = &westOnly;
    const Response outside = w.call(Method::Post, kList, r);
    EXPECT_EQ(outside.status, 422);
    EXPECT_EQ(errorFields(outside), QStringList{QStringLiteral("parentId")});

    const Response missing = w.call(
        Method::Post, kList,
        withBody(Request(), QJsonObject{{QStringLiteral("parentId"), 999}, {QStringLiteral("name"), QStringLiteral("无主")}}));
    EXPECT_EQ(missing.status, 422);
    EXPECT_EQ(errorFields(missing), QStringList{QStringLiteral("parentId")});
    EXPECT_EQ(w.tree->subtree(w.root.id)->size(), 5u);
}

// ---- update ----------------------------------------------------------------------------

TEST(UnitRoutes, UpdateNeedsIfMatchOrTheVersionElse428) {
    World w;
    const Response r = w.call(Method::Put, kOne, withBody(withId(w.west.id), QJsonObject{{QStringLiteral("name"), QStringLiteral("西区新")}}));
    EXPECT_EQ(r.status, 428);
    EXPECT_EQ(w.tree->get(w.west.id)->name, QStringLiteral("西区"));
}

TEST(UnitRoutes, UpdateWithIfMatchChangesTheUnitAndAnswersTheNewEtag) {
    World w;
    const Response r = w.call(Method::Put, kOne,
                              withIfMatch(withBody(withId(w.west.id), QJsonObject{{QStringLiteral("name"), QStringLiteral("西区新")},
                                                                                  {QStringLiteral("code"), QStringLiteral("W2")}}),
                                          "\"1\""));
    ASSERT_EQ(r.status, 200) << detail(r).toStdString();
    EXPECT_EQ(header(r, "ETag"), QByteArray("\"2\""));
    EXPECT_EQ(r.body[QStringLiteral("name")].toString(), QStringLiteral("西区新"));
    EXPECT_EQ(r.body[QStringLiteral("code")].toString(), QStringLiteral("W2"));

    const Response byBody = w.call(Method::Put, kOne,
                                   withBody(withId(w.west.id), QJsonObject{{QStringLiteral("name"), QStringLiteral("西区")},
                                                                           {QStringLiteral("version"), 2}}));
    ASSERT_EQ(byBody.status, 200) << detail(byBody).toStdString();
    EXPECT_EQ(byBody.body[QStringLiteral("version")].toInteger(), 3);
    EXPECT_EQ(byBody.body[QStringLiteral("code")].toString(), QString());  // a full update: omitted code is empty
}

TEST(UnitRoutes, AStaleIfMatchIs412AndAStaleBodyVersionIs409) {
    World w;
    ASSERT_TRUE(w.tree->rename(w.west.id, QStringLiteral("西区二"), {}, 0, 1).ok());
    const Response ifMatch = w.call(
        Method::Put, kOne, withIfMatch(withBody(withId(w.west.id), QJsonObject{{QStringLiteral("name"), QStringLiteral("覆盖")}}), "\"1\""));
    EXPECT_EQ(ifMatch.status, 412);
    EXPECT_EQ(header(ifMatch, "ETag"), QByteArray("\"2\""));
    EXPECT_TRUE(detail(ifMatch).contains(QStringLiteral("version 2"))) << detail(ifMatch).toStdString();

    const Response body = w.call(
        Method::Put, kOne,
        withBody(withId(w.west.id), QJsonObject{{QStringLiteral("name"), QStringLiteral("覆盖")}, {QStringLiteral("version"), 1}}));
    EXPECT_EQ(body.status, 409);
    EXPECT_EQ(w.tree->get(w.west.id)->name, QStringLiteral("西区二"));

    const Response garbled = w.call(
        Method::Put, kOne, withIfMatch(withBody(withId(w.west.id), QJsonObject{{QStringLiteral("name"), QStringLiteral("覆盖")}}), "yesterday"));
    EXPECT_EQ(garbled.status, 422);
    EXPECT_EQ(errorFields(garbled), QStringList{QStringLiteral("If-Match")});
}

TEST(UnitRoutes, UpdateRefusesAParentIdAndPointsToMove) {
    World w;
    const Response r = w.call(Method::Put, kOne,
                              withBody(withId(w.west.id), QJsonObject{{QStringLiteral("name"), QStringLiteral("西区")},
                                                                      {QStringLiteral("parentId"), w.east.id},
                                                                      {QStringLiteral("version"), 1}}));
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(errorFields(r), QStringList{QStringLiteral("parentId")});
    EXPECT_TRUE(r.body.toObject().value(QStringLiteral("errors")).toArray().at(0).toObject().value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("/move")));
}

TEST(UnitRoutes, UpdateOfAUnitOutsideTheWriteScopeIs404) {
    World w;
    const ListedScope westOnly({w.west.id});
    const Response r = w.call(Method::Put, kOne,
                              withBody(withId(w.east.id, &westOnly),
                                       QJsonObject{{QStringLiteral("name"), QStringLiteral("越权")}, {QStringLiteral("version"), 1}}));
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(w.tree->get(w.east.id)->name, QStringLiteral("东区"));
}

// ---- move ------------------------------------------------------------------------------

TEST(UnitRoutes, MoveRewritesTheSubtreeAndAnswersTheMovedUnit) {
    World w;
    const Response r = w.call(Method::Post, kMove,
                              withBody(withId(w.branch.id), QJsonObject{{QStringLiteral("parentId"), w.west.id}, {QStringLiteral("version"), 1}}));
    ASSERT_EQ(r.status, 200) << detail(r).toStdString();
    EXPECT_EQ(r.body[QStringLiteral("parentId")].toInteger(), w.west.id);
    EXPECT_EQ(header(r, "ETag"), QByteArray("\"2\""));
    EXPECT_EQ(w.tree->get(w.group.id)->path, w.west.path + QStringLiteral("%1/%2/").arg(w.branch.id).arg(w.group.id));
}

TEST(UnitRoutes, MoveIntoItsOwnDescendantIs422OnParentId) {
    World w;
    const Response r = w.call(Method::Post, kMove,
                              withBody(withId(w.east.id), QJsonObject{{QStringLiteral("parentId"), w.group.id}, {QStringLiteral("version"), 1}}));
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(errorFields(r), QStringList{QStringLiteral("parentId")});
    EXPECT_TRUE(detail(r).contains(QStringLiteral("parentId")));
    EXPECT_EQ(w.tree->get(w.east.id)->parentId, w.root.id);
}

TEST(UnitRoutes, MoveRefusalsNameTheirReason) {
    World w;
    // Without a version: 428.
    EXPECT_EQ(w.call(Method::Post, kMove, withBody(withId(w.branch.id), QJsonObject{{QStringLiteral("parentId"), w.west.id}})).status, 428);
    // The root: 409.
    const Response root = w.call(Method::Post, kMove,
                                 withBody(withId(w.root.id), QJsonObject{{QStringLiteral("parentId"), w.west.id}, {QStringLiteral("version"), 1}}));
    EXPECT_EQ(root.status, 409);
    EXPECT_TRUE(detail(root).contains(QStringLiteral("root"))) << detail(root).toStdString();
    // A target outside the write scope: 422 on parentId, as if it did not exist.
    const ListedScope eastOnly({w.east.id, w.branch.id, w.group.id});
    const Response outside = w.call(Method::Post, kMove,
                                    withBody(withId(w.branch.id, &eastOnly),
                                             QJsonObject{{QStringLiteral("parentId"), w.west.id}, {QStringLiteral("version"), 1}}));
    EXPECT_EQ(outside.status, 422);
    EXPECT_EQ(errorFields(outside), QStringList{QStringLiteral("parentId")});
    // A missing target: the same.
    const Response missing = w.call(Method::Post, kMove,
                                    withBody(withId(w.branch.id), QJsonObject{{QStringLiteral("parentId"), 999}, {QStringLiteral("version"), 1}}));
    EXPECT_EQ(missing.status, 422);
    EXPECT_EQ(errorFields(missing), QStringList{QStringLiteral("parentId")});
    // Stale If-Match: 412.
    EXPECT_EQ(w.call(Method::Post, kMove, withIfMatch(withBody(withId(w.branch.id), QJsonObject{{QStringLiteral("parentId"), w.west.id}}), "\"7\""))
                  .status,
              412);
    EXPECT_EQ(w.tree->get(w.branch.id)->parentId, w.east.id);
}

// ---- delete ----------------------------------------------------------------------------

TEST(UnitRoutes, DeleteAnswers204AndHonoursIfMatch) {
    World w;
    EXPECT_EQ(w.call(Method::Delete, kOne, withIfMatch(withId(w.group.id), "\"3\"")).status, 412);
    EXPECT_TRUE(w.tree->get(w.group.id).ok());
    EXPECT_EQ(w.call(Method::Delete, kOne, withIfMatch(withId(w.group.id), "\"1\"")).status, 204);
    EXPECT_FALSE(w.tree->get(w.group.id).ok());
    EXPECT_EQ(w.call(Method::Delete, kOne, withId(w.west.id)).status, 204);  // If-Match is optional
    EXPECT_EQ(w.call(Method::Delete, kOne, withId(w.west.id)).status, 404);
}

TEST(UnitRoutes, DeleteOfAUnitWithChildrenOrDataIs409WithTheReason) {
    World w;
    const Response withChildren = w.call(Method::Delete, kOne, withId(w.branch.id));
    EXPECT_EQ(withChildren.status, 409);
    EXPECT_TRUE(detail(withChildren).contains(QStringLiteral("1 child unit (一组)"))) << detail(withChildren).toStdString();

    w.tree->addUsageCheck(QStringLiteral("biz.customers"), QStringLiteral("biz.customers.read"), [](qint64) -> tessera::Result<QString> { return QStringLiteral("3 customers"); });
    const Response used = w.call(Method::Delete, kOne, withId(w.group.id));
    EXPECT_EQ(used.status, 409);
    EXPECT_TRUE(detail(used).contains(QStringLiteral("3 customers"))) << detail(used).toStdString();
    EXPECT_TRUE(w.tree->get(w.group.id).ok());
}

TEST(UnitRoutes, DeleteOfAUnitOutsideTheWriteScopeIs404) {
    World w;
    const ListedScope westOnly({w.west.id});
    EXPECT_EQ(w.call(Method::Delete, kOne, withId(w.group.id, &westOnly)).status, 404);
    EXPECT_TRUE(w.tree->get(w.group.id).ok());
}
