#include "app/audit_routes.hpp"
#include "http/router.hpp"
#include "store/migrations.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace tessera;
using namespace tessera::host;

namespace {

struct AuditRoutes : ::testing::Test {
    test::TempDir dir;
    std::unique_ptr<SqliteStore> db = std::move(SqliteStore::open(dir.file(QStringLiteral("r.db")))).value();
    AuditLog log{*db};
    HostRoutes routes = auditRoutes(log);

    void SetUp() override {
        auto applied = Migrations(*db).apply(kCoreMigrationOwner, QStringLiteral("test"), coreMigrations());
        ASSERT_TRUE(applied.ok()) << applied.error().message.toStdString();
        ASSERT_TRUE(db->executeScript(QStringLiteral("CREATE TABLE notes(id INTEGER PRIMARY KEY, title TEXT)")));
    }

    Response get(const QHash<QString, QString>& query) {
        Request r;
        r.scope = &tessera::test::allUnits();  // an auditor of every unit
        r.path = QStringLiteral("/api/v1/audit");
        r.query = query;
        return routes.at(0).handler(r);
    }

    QStringList badFields(const Response& r) {
        QStringList fields;
        for (const auto& e : r.body.toObject().value(QStringLiteral("errors")).toArray())
            fields << e.toObject().value(QStringLiteral("field")).toString();
        return fields;
    }
};

}  // namespace

TEST_F(AuditRoutes, OnlyReadingExistsAndItNeedsTheAuditPermission) {
    ASSERT_EQ(routes.size(), 1u);
    EXPECT_EQ(routes[0].method, Method::Get);
    EXPECT_EQ(routes[0].pattern, QStringLiteral("/api/v1/audit"));
    EXPECT_EQ(routes[0].permission, kAuditRead);

    http::Router router;
    for (const auto& route : routes) ASSERT_TRUE(router.add(route.method, route.pattern, route.handler).ok());
    for (Method m : {Method::Post, Method::Put, Method::Patch, Method::Delete}) {
        EXPECT_EQ(router.match(m, QStringLiteral("/api/v1/audit")).kind, http::Router::Match::Kind::MethodNotAllowed);
        EXPECT_EQ(router.match(m, QStringLiteral("/api/v1/audit/1")).kind, http::Router::Match::Kind::NotFound);
    }
}

TEST_F(AuditRoutes, ListsEntriesNewestFirstWithFiltersAndPaging) {
    const AuditActor alice{7, QStringLiteral("alice"), QStringLiteral("biz.notes"), QStringLiteral("10.0.0.7")};
    {
        AuditActorScope as(alice);
        for (int i = 1; i <= 3; ++i) ASSERT_TRUE(db->execute(QStringLiteral("INSERT INTO notes(title) VALUES (?1)"), {i}).ok());
        ASSERT_TRUE(db->execute(QStringLiteral("UPDATE notes SET title = 'x' WHERE id = 2")).ok());
    }
    ASSERT_TRUE(log.record({QStringLiteral("login"), {}, alice, {}, {}}).ok());

    Response r = get({{QStringLiteral("table"), QStringLiteral("notes")}, {QStringLiteral("record"), QStringLiteral("2")}});
    ASSERT_EQ(r.status, 200) << QJsonDocument(r.body.toObject()).toJson().toStdString();
    QJsonObject body = r.body.toObject();
    EXPECT_EQ(body.value(QStringLiteral("total")).toInt(), 2);
    const QJsonArray items = body.value(QStringLiteral("items")).toArray();
    ASSERT_EQ(items.size(), 2);
    const QJsonObject update = items[0].toObject();
    EXPECT_EQ(update.value(QStringLiteral("action")).toString(), QStringLiteral("update"));
    EXPECT_EQ(update.value(QStringLiteral("userId")).toInt(), 7);
    EXPECT_EQ(update.value(QStringLiteral("username")).toString(), QStringLiteral("alice"));
    EXPECT_EQ(update.value(QStringLiteral("pluginId")).toString(), QStringLiteral("biz.notes"));
    EXPECT_EQ(update.value(QStringLiteral("address")).toString(), QStringLiteral("10.0.0.7"));
    EXPECT_EQ(update.value(QStringLiteral("table")).toString(), QStringLiteral("notes"));
    EXPECT_EQ(update.value(QStringLiteral("recordId")).toInt(), 2);
    EXPECT_EQ(update.value(QStringLiteral("before")).toObject(), (QJsonObject{{QStringLiteral("title"), QStringLiteral("2")}}));
    EXPECT_EQ(update.value(QStringLiteral("after")).toObject(), (QJsonObject{{QStringLiteral("title"), QStringLiteral("x")}}));
    EXPECT_TRUE(update.value(QStringLiteral("detail")).isNull());
    EXPECT_TRUE(update.contains(QStringLiteral("at")));
    EXPECT_TRUE(items[1].toObject().value(QStringLiteral("before")).isNull());

    r = get({{QStringLiteral("user"), QStringLiteral("alice")}, {QStringLiteral("action"), QStringLiteral("login")}});
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.body.toObject().value(QStringLiteral("total")).toInt(), 1);
    EXPECT_TRUE(r.body.toObject().value(QStringLiteral("items")).toArray()[0].toObject().value(QStringLiteral("table")).isNull());

    r = get({{QStringLiteral("user"), QStringLiteral("7")}, {QStringLiteral("plugin"), QStringLiteral("biz.notes")},
             {QStringLiteral("from"), QDate::currentDate().addDays(-1).toString(Qt::ISODate)},
             {QStringLiteral("to"), QDateTime::currentDateTimeUtc().addSecs(60).toString(Qt::ISODate)},
             {QStringLiteral("page"), QStringLiteral("2")}, {QStringLiteral("size"), QStringLiteral("3")}});
    ASSERT_EQ(r.status, 200);
    body = r.body.toObject();
    EXPECT_EQ(body.value(QStringLiteral("total")).toInt(), 5);
    EXPECT_EQ(body.value(QStringLiteral("page")).toInt(), 2);
    EXPECT_EQ(body.value(QStringLiteral("size")).toInt(), 3);
    EXPECT_EQ(body.value(QStringLiteral("items")).toArray().size(), 2);

    // A date alone as `to` takes in the whole day; an offset sent as an unencoded '+' still works.
    r = get({{QStringLiteral("to"), QDate::currentDate().addDays(1).toString(Qt::ISODate)},
             {QStringLiteral("from"), QStringLiteral("2000-01-01T08:00:00 08:00")}});
    ASSERT_EQ(r.status, 200) << QJsonDocument(r.body.toObject()).toJson().toStdString();
    EXPECT_EQ(r.body.toObject().value(QStringLiteral("total")).toInt(), 5);
}

TEST_F(AuditRoutes, RejectsBadFiltersWith422ListingEveryOne) {
    Response r = get({{QStringLiteral("record"), QStringLiteral("abc")},
                      {QStringLiteral("table"), QStringLiteral("notes; DROP TABLE x")},
                      {QStringLiteral("plugin"), QStringLiteral("Biz Notes")},
                      {QStringLiteral("action"), QStringLiteral("UPDATE")},
                      {QStringLiteral("from"), QStringLiteral("yesterday")},
                      {QStringLiteral("to"), QStringLiteral("2024-02-30")},
                      {QStringLiteral("page"), QStringLiteral("0")},
                      {QStringLiteral("size"), QStringLiteral("201")}});
    EXPECT_EQ(r.status, 422);
    EXPECT_TRUE(r.problem);
    EXPECT_EQ(badFields(r), (QStringList{QStringLiteral("plugin"), QStringLiteral("table"), QStringLiteral("action"),
                                         QStringLiteral("record"), QStringLiteral("from"), QStringLiteral("to"),
                                         QStringLiteral("page"), QStringLiteral("size")}));

    r = get({{QStringLiteral("from"), QStringLiteral("2024-05-02")}, {QStringLiteral("to"), QStringLiteral("2024-05-01")}});
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(badFields(r), QStringList{QStringLiteral("to")});

    r = get({{QStringLiteral("user"), QStringLiteral("99999999999999999999")}});
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(badFields(r), QStringList{QStringLiteral("user")});
}
