// The record engine: fx.records declares a visit card (every kind of field, a reference to
// biz.customers' customer) and no route; the host creates its table and serves it.

#include "host_fixture.hpp"
#include "services/records.hpp"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QUrl>

#include <gtest/gtest.h>

using namespace tessera::test;

namespace {

QStringList fieldsIn(const HttpReply& r) {
    QStringList fields;
    for (const auto& e : r.json().value(QStringLiteral("errors")).toArray()) fields << e.toObject().value(QStringLiteral("field")).toString();
    return fields;
}

QString today() { return QDate::currentDate().toString(Qt::ISODate); }

class Records : public ::testing::Test {
protected:
    void SetUp() override { start({fixturePluginDir(), builtPluginDir()}); }

    void start(const QStringList& dirs) {
        host = std::make_unique<RunningHost>(dirs, std::vector<EnablePlugin>{{QStringLiteral("biz.customers"), {}}, {QStringLiteral("fx.records"), {}}});
        ASSERT_EQ(host->app().runtime().plugin(QStringLiteral("fx.records"))->state, tessera::host::PluginState::Started)
            << host->app().runtime().plugin(QStringLiteral("fx.records"))->reason.toStdString();
        auto& units = host->app().units();
        root = units.ensureRoot(QStringLiteral("t"))->id;
        east = units.create(root, QStringLiteral("东区"))->id;
        west = units.create(root, QStringLiteral("西区"))->id;
        admin = std::make_unique<HttpClient>(host->client());
    }

    qint64 customer(const QString& name, qint64 unit) {
        auto r = admin->send("POST", "/api/v1/biz.customers/customers", QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("unitId"), unit}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }

    HttpReply visit(QJsonObject fields, HttpClient* as = nullptr) {
        if (!fields.contains(QStringLiteral("visitDate"))) fields.insert(QStringLiteral("visitDate"), today());
        if (!fields.contains(QStringLiteral("unitId"))) fields.insert(QStringLiteral("unitId"), east);
        return (as ? as : admin.get())->send("POST", "/api/v1/fx.records/visits", fields);
    }

    qint64 visitOk(QJsonObject fields) {
        auto r = visit(std::move(fields));
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }

    HttpClient scoped(const QString& name, qint64 unit) {
        HttpClient c = host->anonymousClient();
        c.setDefaultHeader("Authorization", "Bearer " + host->userToken(name, QStringLiteral("admin"), QStringLiteral("subtree"), unit));
        return c;
    }

    std::unique_ptr<RunningHost> host;
    std::unique_ptr<HttpClient> admin;
    qint64 root = 0, east = 0, west = 0;
};

}  // namespace

TEST_F(Records, TheHostCreatesTheTableWithItsIndexesFromTheCard) {
    auto columns = host->app().store().query(QStringLiteral("SELECT name, type FROM pragma_table_info('fx_visits') ORDER BY cid"));
    ASSERT_TRUE(columns.ok());
    QStringList names;
    for (const auto& c : *columns) names << c.value(QStringLiteral("name")).toString() + u':' + c.value(QStringLiteral("type")).toString();
    EXPECT_EQ(names, (QStringList{"id:INTEGER", "subject:TEXT", "subject_sort:BLOB", "unit_id:INTEGER", "customer_id:INTEGER",
                                  "visit_date:TEXT", "channel:TEXT", "follow_up:INTEGER", "minutes:INTEGER", "fee:INTEGER", "code:TEXT",
                                  "attendees:TEXT", "summary:TEXT", "notes:TEXT", "version:INTEGER", "created_at:TEXT", "updated_at:TEXT"}));
    auto indexes = host->app().store().query(QStringLiteral("SELECT name FROM pragma_index_list('fx_visits') ORDER BY name"));
    ASSERT_TRUE(indexes.ok());
    QStringList indexNames;
    for (const auto& i : *indexes) indexNames << i.value(QStringLiteral("name")).toString();
    for (const char* expected : {"fx_visits_subject_unique", "fx_visits_unit_id", "fx_visits_customer_id", "fx_visits_visit_date",
                                 "fx_visits_channel", "fx_visits_subject_sort", "fx_visits_fee", "fx_visits_by_customer_id_visit_date"})
        EXPECT_TRUE(indexNames.contains(QLatin1String(expected))) << expected << " in " << indexNames.join(u' ').toStdString();
}

TEST_F(Records, StoresEveryKindExactlyAndAnswersWithETagAndLocation) {
    const qint64 c = customer(QStringLiteral("东海电器"), east);
    auto r = visit({{QStringLiteral("subject"), QStringLiteral("  年度回访 ")}, {QStringLiteral("customerId"), c},
                    {QStringLiteral("channel"), QStringLiteral("phone")}, {QStringLiteral("followUp"), true}, {QStringLiteral("minutes"), 30},
                    {QStringLiteral("fee"), QStringLiteral("1234.5")}, {QStringLiteral("code"), QStringLiteral("AB1234")},
                    {QStringLiteral("notes"), QStringLiteral("第一行\n第二行")}});
    ASSERT_EQ(r.status, 201) << r.body.toStdString();
    const QJsonObject v = r.json();
    EXPECT_EQ(v.value(QStringLiteral("subject")).toString(), QStringLiteral("年度回访"));
    EXPECT_EQ(v.value(QStringLiteral("fee")).toString(), QStringLiteral("1234.50"));
    EXPECT_EQ(v.value(QStringLiteral("followUp")).toBool(), true);
    EXPECT_EQ(v.value(QStringLiteral("minutes")).toInt(), 30);
    EXPECT_EQ(v.value(QStringLiteral("version")).toInt(), 1);
    EXPECT_EQ(v.value(QStringLiteral("labels")).toObject().value(QStringLiteral("customerId")).toString(), QStringLiteral("东海电器"));
    EXPECT_EQ(r.header("location"), "/api/v1/fx.records/visits/" + QByteArray::number(v.value(QStringLiteral("id")).toInteger()));
    EXPECT_EQ(r.header("etag"), "\"1\"");
    // Money is exact: stored in fen, 0.1 + 0.2 is not a problem anywhere.
    auto fee = host->app().store().queryOne(QStringLiteral("SELECT fee FROM fx_visits WHERE id = ?1"), {v.value(QStringLiteral("id")).toInteger()});
    EXPECT_EQ(fee->value(QStringLiteral("fee")).toLongLong(), 123450);
    auto small = visit({{QStringLiteral("subject"), QStringLiteral("小额")}, {QStringLiteral("fee"), 0.3}});
    ASSERT_EQ(small.status, 201) << small.body.toStdString();
    EXPECT_EQ(small.json().value(QStringLiteral("fee")).toString(), QStringLiteral("0.30"));
}

TEST_F(Records, EnforcesEveryDeclaredConstraintAndReportsThemAllAtOnce) {
    auto r = visit({{QStringLiteral("subject"), QStringLiteral("x")},           {QStringLiteral("visitDate"), QDate::currentDate().addDays(2).toString(Qt::ISODate)},
                    {QStringLiteral("channel"), QStringLiteral("fax")},         {QStringLiteral("followUp"), QStringLiteral("yes")},
                    {QStringLiteral("minutes"), 601},                           {QStringLiteral("fee"), QStringLiteral("1.234")},
                    {QStringLiteral("code"), QStringLiteral("ab12")},           {QStringLiteral("notes"), QString(201, u'长')},
                    {QStringLiteral("customerId"), 999},                        {QStringLiteral("colour"), QStringLiteral("red")}});
    ASSERT_EQ(r.status, 422) << r.body.toStdString();
    QStringList fields = fieldsIn(r);
    fields.sort();
    EXPECT_EQ(fields, (QStringList{"channel", "code", "colour", "customerId", "fee", "followUp", "minutes", "notes", "subject", "visitDate"}));
    EXPECT_TRUE(messageOf(r, QStringLiteral("code")).contains(QStringLiteral("two capital letters"))) << messageOf(r, QStringLiteral("code")).toStdString();
    EXPECT_TRUE(messageOf(r, QStringLiteral("visitDate")).contains(QStringLiteral("future")));
    EXPECT_TRUE(messageOf(r, QStringLiteral("notes")).contains(QStringLiteral("201")));
    // System-required blocks the save; required (the date) is for people to complete: taken.
    auto missing = admin->send("POST", "/api/v1/fx.records/visits", QJsonObject{{QStringLiteral("unitId"), east}});
    EXPECT_EQ(fieldsIn(missing), (QStringList{"subject"}));
    auto undated = admin->send("POST", "/api/v1/fx.records/visits", QJsonObject{{QStringLiteral("unitId"), east}, {QStringLiteral("subject"), QStringLiteral("无日期")}});
    ASSERT_EQ(undated.status, 201) << undated.body.toStdString();
    EXPECT_TRUE(undated.json().value(QStringLiteral("visitDate")).isNull());
    ASSERT_EQ(admin->request("DELETE", "/api/v1/fx.records/visits/" + QByteArray::number(undated.json().value(QStringLiteral("id")).toInteger())).status, 204);
    // Unique, checked by the server (and by an index under concurrency).
    visitOk({{QStringLiteral("subject"), QStringLiteral("唯一主题")}});
    auto twice = visit({{QStringLiteral("subject"), QStringLiteral("唯一主题")}});
    ASSERT_EQ(twice.status, 422);
    EXPECT_EQ(fieldsIn(twice), QStringList{QStringLiteral("subject")});
    EXPECT_EQ(admin->get("/api/v1/fx.records/visits").json().value(QStringLiteral("total")).toInt(), 1) << "nothing half-written";
}

TEST_F(Records, AReferenceMustExistInTheCallersScopeAndShowsOnlyWhatTheyMayRead) {
    const qint64 eastCustomer = customer(QStringLiteral("东方商贸"), east);
    const qint64 westCustomer = customer(QStringLiteral("西部物流"), west);
    HttpClient officer = scoped(QStringLiteral("east"), east);
    // A customer outside the officer's scope does not exist for them, as everywhere else.
    auto refused = visit({{QStringLiteral("subject"), QStringLiteral("越权")}, {QStringLiteral("customerId"), westCustomer}}, &officer);
    ASSERT_EQ(refused.status, 422);
    EXPECT_EQ(fieldsIn(refused), QStringList{QStringLiteral("customerId")});
    EXPECT_FALSE(refused.body.contains("西部物流"));
    EXPECT_EQ(visit({{QStringLiteral("subject"), QStringLiteral("本区")}, {QStringLiteral("customerId"), eastCustomer}}, &officer).status, 201);
    // The administrator records a visit in the east with the west's customer: the officer sees
    // the visit but not the customer's name.
    const qint64 across = visitOk({{QStringLiteral("subject"), QStringLiteral("跨区")}, {QStringLiteral("customerId"), westCustomer}});
    auto list = officer.get("/api/v1/fx.records/visits?sort=subject").json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(list.size(), 2);
    QStringList labels;
    for (const auto& v : list) labels << v.toObject().value(QStringLiteral("labels")).toObject().value(QStringLiteral("customerId")).toString();
    EXPECT_EQ(labels, (QStringList{QStringLiteral("东方商贸"), QStringLiteral("a record you may not see")}))
        << "本区 sorts before 跨区 (ben < kua)";
    // The record and its history say so too, in the reader's language, never by id or title.
    const QByteArray path = "/api/v1/fx.records/visits/" + QByteArray::number(across);
    auto one = officer.request("GET", path, {}, {{"Accept-Language", "zh-CN"}});
    ASSERT_EQ(one.status, 200) << one.body.toStdString();
    EXPECT_EQ(one.json().value(QStringLiteral("labels")).toObject().value(QStringLiteral("customerId")).toString(),
              QStringLiteral("无权查看的记录"));
    EXPECT_FALSE(one.body.contains("西部物流"));
    for (const qint64 to : {customer(QStringLiteral("西部货运"), west), westCustomer}) {  // to another and back
        QJsonObject changed = admin->get(path).json();
        changed.insert(QStringLiteral("customerId"), to);
        ASSERT_EQ(admin->send("PUT", path, changed).status, 200);
    }
    auto history = officer.request("GET", path + "/history", {}, {{"Accept-Language", "zh-CN"}});
    ASSERT_EQ(history.status, 200) << history.body.toStdString();
    const QJsonObject change = history.json()
                                   .value(QStringLiteral("items"))
                                   .toArray()
                                   .last()
                                   .toObject()
                                   .value(QStringLiteral("changes"))
                                   .toArray()
                                   .first()
                                   .toObject();
    EXPECT_EQ(change.value(QStringLiteral("field")).toString(), QStringLiteral("customerId"));
    EXPECT_EQ(change.value(QStringLiteral("beforeLabel")).toString(), QStringLiteral("无权查看的记录"));
    EXPECT_EQ(change.value(QStringLiteral("afterLabel")).toString(), QStringLiteral("无权查看的记录"));
    EXPECT_FALSE(history.body.contains("西部")) << history.body.toStdString();
    EXPECT_FALSE(history.body.contains("#")) << history.body.toStdString();
    for (const QString& label :
         {change.value(QStringLiteral("beforeLabel")).toString(), change.value(QStringLiteral("afterLabel")).toString()})
        EXPECT_FALSE(label.contains(QString::number(westCustomer)));
    // Filter by the reference.
    EXPECT_EQ(admin->get("/api/v1/fx.records/visits?customerId=" + QByteArray::number(westCustomer)).json().value(QStringLiteral("total")).toInt(), 1);
    // A referenced customer cannot be deleted; the refusal says by what, within the caller's sight.
    auto del = admin->request("DELETE", "/api/v1/biz.customers/customers/" + QByteArray::number(eastCustomer), {}, {{"Accept-Language", "zh-CN"}});
    EXPECT_EQ(del.status, 409) << del.body.toStdString();
    EXPECT_TRUE(del.json().value(QStringLiteral("detail")).toString().contains(QStringLiteral("1 条回访 引用了它"))) << del.body.toStdString();
    HttpClient westOfficer = scoped(QStringLiteral("west"), west);
    auto hidden = westOfficer.request("DELETE", "/api/v1/biz.customers/customers/" + QByteArray::number(westCustomer));
    EXPECT_EQ(hidden.status, 409);
    EXPECT_TRUE(hidden.json().value(QStringLiteral("detail")).toString().contains(QStringLiteral("records you cannot see"))) << hidden.body.toStdString();
    EXPECT_FALSE(hidden.body.contains("跨区"));
}

TEST_F(Records, ListsFilterSearchSortAndPageByCursorWithoutGapsOrRepeats) {
    const QStringList subjects{QStringLiteral("张家回访"), QStringLiteral("李家回访"), QStringLiteral("王家回访"), QStringLiteral("赵家回访"),
                               QStringLiteral("陈家回访"), QStringLiteral("安家回访"), QStringLiteral("周家回访")};
    int i = 0;
    for (const QString& s : subjects)
        visitOk({{QStringLiteral("subject"), s}, {QStringLiteral("channel"), i % 2 ? QStringLiteral("phone") : QStringLiteral("visit")},
                 {QStringLiteral("visitDate"), QDate(2026, 1, 1 + i).toString(Qt::ISODate)}, {QStringLiteral("unitId"), i < 5 ? east : west},
                 {QStringLiteral("fee"), QString::number(10 * ++i)}});
    // Pinyin order: an, chen, li, wang, zhang, zhao, zhou.
    QStringList seen;
    QByteArray query = "/api/v1/fx.records/visits?sort=subject&size=3";
    for (int pages = 0; pages < 5; ++pages) {
        auto page = admin->get(query);
        ASSERT_EQ(page.status, 200) << page.body.toStdString();
        if (pages == 0) EXPECT_EQ(page.json().value(QStringLiteral("total")).toInt(), 7);
        else EXPECT_FALSE(page.json().contains(QStringLiteral("total"))) << "a cursor page counts nothing";
        for (const auto& v : page.json().value(QStringLiteral("items")).toArray()) seen << v.toObject().value(QStringLiteral("subject")).toString();
        const QString next = page.json().value(QStringLiteral("next")).toString();
        if (next.isEmpty()) break;
        query = "/api/v1/fx.records/visits?sort=subject&size=3&cursor=" + next.toUtf8();
    }
    EXPECT_EQ(seen, (QStringList{QStringLiteral("安家回访"), QStringLiteral("陈家回访"), QStringLiteral("李家回访"), QStringLiteral("王家回访"),
                                 QStringLiteral("张家回访"), QStringLiteral("赵家回访"), QStringLiteral("周家回访")}));
    // Descending by date, by cursor, too.
    seen.clear();
    query = "/api/v1/fx.records/visits?sort=-visitDate&size=4";
    for (;;) {
        auto page = admin->get(query).json();
        for (const auto& v : page.value(QStringLiteral("items")).toArray()) seen << v.toObject().value(QStringLiteral("visitDate")).toString();
        if (page.value(QStringLiteral("next")).toString().isEmpty()) break;
        query = "/api/v1/fx.records/visits?sort=-visitDate&size=4&cursor=" + page.value(QStringLiteral("next")).toString().toUtf8();
    }
    EXPECT_EQ(seen.size(), 7);
    EXPECT_EQ(seen.front(), QStringLiteral("2026-01-07"));
    EXPECT_EQ(seen.back(), QStringLiteral("2026-01-01"));
    // Filters combine: channel, a date range, a fee range, the unit and the search.
    auto filtered = admin->get("/api/v1/fx.records/visits?channel=visit&visitDateFrom=2026-01-02&feeTo=60&unit=" + QByteArray::number(east) +
                               "&q=" + QUrl::toPercentEncoding(QStringLiteral("家")))
                        .json();
    QStringList names;
    for (const auto& v : filtered.value(QStringLiteral("items")).toArray()) names << v.toObject().value(QStringLiteral("subject")).toString();
    EXPECT_EQ(names, (QStringList{QStringLiteral("陈家回访"), QStringLiteral("王家回访")}));
    // The list's page-size is the default; unknown and bad parameters are 422, naming them.
    EXPECT_EQ(admin->get("/api/v1/fx.records/visits").json().value(QStringLiteral("size")).toInt(), 10);
    auto bad = admin->get("/api/v1/fx.records/visits?chanel=phone&sort=notes&feeFrom=abc&cursor=zzz");
    ASSERT_EQ(bad.status, 422);
    QStringList fields = fieldsIn(bad);
    fields.sort();
    EXPECT_EQ(fields, (QStringList{"chanel", "cursor", "feeFrom", "sort"}));
}

TEST_F(Records, UpdatesAreOptimisticAndHistoryShowsEachFieldChange) {
    const qint64 id = visitOk({{QStringLiteral("subject"), QStringLiteral("原主题")}, {QStringLiteral("channel"), QStringLiteral("phone")}});
    const QByteArray path = "/api/v1/fx.records/visits/" + QByteArray::number(id);
    QJsonObject v = admin->get(path).json();
    v.insert(QStringLiteral("subject"), QStringLiteral("新主题"));
    v.insert(QStringLiteral("fee"), QStringLiteral("12.00"));
    auto updated = admin->send("PUT", path, v, {{"If-Match", "\"1\""}});
    ASSERT_EQ(updated.status, 200) << updated.body.toStdString();
    EXPECT_EQ(updated.header("etag"), "\"2\"");
    EXPECT_EQ(admin->send("PUT", path, v, {{"If-Match", "\"1\""}}).status, 412);
    EXPECT_EQ(admin->send("PUT", path, v).status, 409) << "the body's version 1 is stale";
    v.remove(QStringLiteral("version"));
    EXPECT_EQ(admin->send("PUT", path, v).status, 428);
    auto history = admin->get(path + "/history");
    ASSERT_EQ(history.status, 200) << history.body.toStdString();
    const QJsonArray items = history.json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(items.size(), 2);
    EXPECT_EQ(items[0].toObject().value(QStringLiteral("action")).toString(), QStringLiteral("insert"));
    const QJsonArray changes = items[1].toObject().value(QStringLiteral("changes")).toArray();
    ASSERT_EQ(changes.size(), 3) << QJsonDocument(changes).toJson().toStdString();  // subject, fee and the summary derived from the subject
    EXPECT_EQ(changes[0].toObject().value(QStringLiteral("field")).toString(), QStringLiteral("subject"));
    EXPECT_EQ(changes[0].toObject().value(QStringLiteral("before")).toString(), QStringLiteral("原主题"));
    EXPECT_EQ(changes[0].toObject().value(QStringLiteral("after")).toString(), QStringLiteral("新主题"));
    EXPECT_EQ(changes[1].toObject().value(QStringLiteral("after")).toString(), QStringLiteral("12.00"));
    EXPECT_EQ(items[1].toObject().value(QStringLiteral("user")).toString(), QStringLiteral("admin"));
    // Out of scope: no record, no history.
    HttpClient westOfficer = scoped(QStringLiteral("west"), west);
    EXPECT_EQ(westOfficer.get(path + "/history").status, 404);
    EXPECT_EQ(westOfficer.get(path).status, 404);
    EXPECT_EQ(westOfficer.request("DELETE", path).status, 404);
    EXPECT_EQ(admin->request("DELETE", path, {}, {{"If-Match", "\"1\""}}).status, 412);
    EXPECT_EQ(admin->request("DELETE", path).status, 204);
    EXPECT_EQ(admin->get(path).status, 404);
}
TEST_F(Records, HistoryNamesWhoChangedARecordByTheirDisplayName) {
    HttpClient officer = scoped(QStringLiteral("zhangwei"), east);
    auto& accounts = host->app().accounts();
    const auto user = accounts.userByName(QStringLiteral("zhangwei"));
    ASSERT_TRUE(user.ok());
    ASSERT_TRUE(accounts.updateUser(user->id, QStringLiteral("张伟"), east, user->version).ok());
    auto created = visit({{QStringLiteral("subject"), QStringLiteral("署名回访")}}, &officer);
    ASSERT_EQ(created.status, 201) << created.body.toStdString();
    const QByteArray path = "/api/v1/fx.records/visits/" + QByteArray::number(created.json().value(QStringLiteral("id")).toInteger());
    auto history = admin->get(path + "/history");
    ASSERT_EQ(history.status, 200) << history.body.toStdString();
    const QJsonObject entry = history.json().value(QStringLiteral("items")).toArray().first().toObject();
    EXPECT_EQ(entry.value(QStringLiteral("user")).toString(), QStringLiteral("张伟"));
    EXPECT_EQ(entry.value(QStringLiteral("username")).toString(), QStringLiteral("zhangwei"));
    // Without a display name, the login name.
    const auto renamed = accounts.userByName(QStringLiteral("zhangwei"));
    ASSERT_TRUE(accounts.updateUser(renamed->id, QString(), east, renamed->version).ok());
    EXPECT_EQ(admin->get(path + "/history")
                  .json()
                  .value(QStringLiteral("items"))
                  .toArray()
                  .first()
                  .toObject()
                  .value(QStringLiteral("user"))
                  .toString(),
              QStringLiteral("zhangwei"));
}

TEST_F(Records, CountsAndExportsFollowTheListsFiltersAndScope) {
    const qint64 c = customer(QStringLiteral("东海电器"), east);
    visitOk({{QStringLiteral("subject"), QStringLiteral("甲访")}, {QStringLiteral("channel"), QStringLiteral("phone")}, {QStringLiteral("customerId"), c},
             {QStringLiteral("fee"), QStringLiteral("1.5")}, {QStringLiteral("followUp"), true}, {QStringLiteral("minutes"), 30}});
    visitOk({{QStringLiteral("subject"), QStringLiteral("乙访")}, {QStringLiteral("channel"), QStringLiteral("phone")}});
    visitOk({{QStringLiteral("subject"), QStringLiteral("丙访")}, {QStringLiteral("channel"), QStringLiteral("visit")}, {QStringLiteral("unitId"), west}});
    auto counts = admin->get("/api/v1/fx.records/visits/counts?by=channel");
    ASSERT_EQ(counts.status, 200) << counts.body.toStdString();
    const QJsonArray items = counts.json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(items.size(), 2);
    EXPECT_EQ(items[0].toObject().value(QStringLiteral("label")).toString(), QStringLiteral("电话"));
    EXPECT_EQ(items[0].toObject().value(QStringLiteral("value")).toInt(), 2);
    EXPECT_EQ(counts.json().value(QStringLiteral("total")).toInt(), 3);
    HttpClient officer = scoped(QStringLiteral("east"), east);
    EXPECT_EQ(officer.get("/api/v1/fx.records/visits/counts?by=unitId").json().value(QStringLiteral("total")).toInt(), 2);
    EXPECT_EQ(admin->get("/api/v1/fx.records/visits/counts?by=notes").status, 422);

    auto started = officer.request("POST", "/api/v1/fx.records/visits/export?followUp=true");
    ASSERT_EQ(started.status, 202) << started.body.toStdString();
    const QJsonObject job = waitForJob(officer, started.json().value(QStringLiteral("href")).toString().toUtf8());
    ASSERT_EQ(job.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded")) << QJsonDocument(job).toJson().toStdString();
    const QString csv = QString::fromUtf8(officer.get(job.value(QStringLiteral("output")).toObject().value(QStringLiteral("href")).toString().toUtf8()).body.mid(3));
    const QStringList lines = csv.split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
    ASSERT_EQ(lines.size(), 2) << csv.toStdString();
    EXPECT_EQ(lines[0], QStringLiteral("编号,主题,单位,客户,回访日期,方式,需跟进,时长(分钟),费用,编码,摘要,备注,创建时间,更新时间"));
    // The unit below the officer's top unit: 东区 itself, by its name; the root above it is not theirs.
    EXPECT_TRUE(lines[1].contains(QStringLiteral(",甲访,东区,东海电器,%1,电话,是,30,1.50,,甲访 / phone,,").arg(today()))) << lines[1].toStdString();
}

// 导出选中: ids= keeps only those records of the export, within the caller's scope and the
// list's filters; anything but record ids is a 422 before a job starts.
TEST_F(Records, AnExportOfSelectedRowsHoldsExactlyThoseTheCallerMayRead) {
    const qint64 a = visitOk({{QStringLiteral("subject"), QStringLiteral("甲访")}, {QStringLiteral("channel"), QStringLiteral("phone")}});
    visitOk({{QStringLiteral("subject"), QStringLiteral("乙访")}, {QStringLiteral("channel"), QStringLiteral("phone")}});
    const qint64 c = visitOk({{QStringLiteral("subject"), QStringLiteral("丙访")}, {QStringLiteral("channel"), QStringLiteral("visit")}});
    const qint64 w = visitOk({{QStringLiteral("subject"), QStringLiteral("西访")},
                              {QStringLiteral("channel"), QStringLiteral("phone")},
                              {QStringLiteral("unitId"), west}});
    auto subjects = [](HttpClient& as, const QByteArray& query) {
        auto started = as.request("POST", "/api/v1/fx.records/visits/export?" + query);
        EXPECT_EQ(started.status, 202) << started.body.toStdString();
        const QJsonObject job = waitForJob(as, started.json().value(QStringLiteral("href")).toString().toUtf8());
        EXPECT_EQ(job.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded")) << QJsonDocument(job).toJson().toStdString();
        const QString csv = QString::fromUtf8(
            as.get(job.value(QStringLiteral("output")).toObject().value(QStringLiteral("href")).toString().toUtf8()).body.mid(3));
        QStringList out;
        for (const QString& line : csv.split(QStringLiteral("\r\n"), Qt::SkipEmptyParts).mid(1)) out << line.section(u',', 1, 1);
        out.sort();
        return out;
    };
    const QByteArray ids = QByteArray::number(a) + ',' + QByteArray::number(c) + ',' + QByteArray::number(w);
    EXPECT_EQ(subjects(*admin, "ids=" + ids), (QStringList{QStringLiteral("丙访"), QStringLiteral("甲访"), QStringLiteral("西访")}));
    EXPECT_EQ(subjects(*admin, "channel=phone&ids=" + ids), (QStringList{QStringLiteral("甲访"), QStringLiteral("西访")}));
    HttpClient officer = scoped(QStringLiteral("east"), east);
    EXPECT_EQ(subjects(officer, "ids=" + ids), (QStringList{QStringLiteral("丙访"), QStringLiteral("甲访")}))
        << "west's visit is not theirs";
    for (const QByteArray& bad : {QByteArray("ids="), QByteArray("ids=1,x"), QByteArray("ids=-3")})
        EXPECT_EQ(admin->request("POST", "/api/v1/fx.records/visits/export?" + bad).status, 422) << bad.toStdString();
}

// <date field>Month=1..12: the records whose date lies in that month of any year (a birthday
// this month); in lists, counts and exports alike.
TEST_F(Records, ADateFiltersByItsMonthInAnyYear) {
    visitOk({{QStringLiteral("subject"), QStringLiteral("一月访")}, {QStringLiteral("visitDate"), QStringLiteral("2024-01-31")}});
    visitOk({{QStringLiteral("subject"), QStringLiteral("又一月")}, {QStringLiteral("visitDate"), QStringLiteral("2025-01-02")}});
    visitOk({{QStringLiteral("subject"), QStringLiteral("十一月")}, {QStringLiteral("visitDate"), QStringLiteral("2025-11-01")}});
    auto total = [&](const QByteArray& query) {
        return admin->get("/api/v1/fx.records/visits?" + query).json().value(QStringLiteral("total")).toInteger();
    };
    EXPECT_EQ(total("visitDateMonth=1"), 2);
    EXPECT_EQ(total("visitDateMonth=01"), 2);
    EXPECT_EQ(total("visitDateMonth=11"), 1);
    EXPECT_EQ(total("visitDateMonth=1&visitDateFrom=2025-01-01"), 1);
    EXPECT_EQ(admin->get("/api/v1/fx.records/visits/counts?by=channel&visitDateMonth=11").json().value(QStringLiteral("total")).toInteger(),
              1);
    for (const QByteArray& bad : {QByteArray("visitDateMonth=13"), QByteArray("visitDateMonth=0"), QByteArray("visitDateMonth=june")})
        EXPECT_EQ(admin->get("/api/v1/fx.records/visits?" + bad).status, 422) << bad.toStdString();
}

// Near the top of a tree the engine checks the few units outside the picked one instead of
// every record's unit, and counts a list's total from the table's count: the same answers.
TEST_F(Records, AUnitNearTheTopListsAndCountsExactlyItsOwnRecords) {
    const qint64 sub = host->app().units().create(east, QStringLiteral("东区一组"))->id;
    visitOk({{QStringLiteral("subject"), QStringLiteral("甲访")}, {QStringLiteral("channel"), QStringLiteral("phone")}});
    visitOk({{QStringLiteral("subject"), QStringLiteral("乙访")}, {QStringLiteral("channel"), QStringLiteral("visit")}, {QStringLiteral("unitId"), sub}});
    auto totalAt = [&](HttpClient& as, qint64 unit, const QByteArray& more = {}) {
        auto page = as.get("/api/v1/fx.records/visits?unit=" + QByteArray::number(unit) + more);
        EXPECT_EQ(page.status, 200) << page.body.toStdString();
        const qint64 total = page.json().value(QStringLiteral("total")).toInteger();
        EXPECT_EQ(page.json().value(QStringLiteral("items")).toArray().size(), total) << "unit " << unit;
        auto counts = as.get("/api/v1/fx.records/visits/counts?by=channel&unit=" + QByteArray::number(unit) + more);
        EXPECT_EQ(counts.json().value(QStringLiteral("total")).toInteger(), total) << counts.body.toStdString();
        return total;
    };
    EXPECT_EQ(totalAt(*admin, east), 2);  // nothing outside east
    EXPECT_EQ(totalAt(*admin, root), 2);
    visitOk({{QStringLiteral("subject"), QStringLiteral("丙访")}, {QStringLiteral("channel"), QStringLiteral("phone")}, {QStringLiteral("unitId"), west}});
    visitOk({{QStringLiteral("subject"), QStringLiteral("丁访")}, {QStringLiteral("channel"), QStringLiteral("phone")}, {QStringLiteral("unitId"), root}});
    EXPECT_EQ(totalAt(*admin, east), 2);  // now records lie outside it
    EXPECT_EQ(totalAt(*admin, sub), 1);
    EXPECT_EQ(totalAt(*admin, west), 1);
    EXPECT_EQ(totalAt(*admin, root), 4);
    EXPECT_EQ(totalAt(*admin, east, "&channel=phone"), 1);
    HttpClient officer = scoped(QStringLiteral("east"), east);
    EXPECT_EQ(totalAt(officer, east), 2);
    EXPECT_EQ(totalAt(officer, sub), 1);
    EXPECT_EQ(officer.get("/api/v1/fx.records/visits").json().value(QStringLiteral("total")).toInteger(), 2);
    EXPECT_EQ(totalAt(officer, root), 2) << "of the root's tree, only what the officer's scope reaches";
}

// A field added to the card in the manifest, with no C++: the host adds its column on the next
// start, and the field is in the record, the list's filter, the export and the history.
TEST(RecordsEvolve, ANewFieldInTheManifestBecomesAColumnOnTheNextStart) {
    TempDir plugins;
    const QString source = fixturePluginDir() + QStringLiteral("/records");
    const QString copy = plugins.path() + QStringLiteral("/records");
    QDir().mkpath(copy);
    for (const QString& f : QDir(source).entryList(QDir::Files)) QFile::copy(source + u'/' + f, copy + u'/' + f);
    TempDir dir;
    const QString config = dir.write(QStringLiteral("deployment.xml"),
                                     RunningHost::deploymentXml({plugins.path(), builtPluginDir()},
                                                                {{QStringLiteral("biz.customers"), {}}, {QStringLiteral("fx.records"), {}}})
                                         .toUtf8());
    qint64 id = 0;
    {
        RunningHost first(config);
        auto r = first.client().send("POST", "/api/v1/fx.records/visits",
                                     QJsonObject{{QStringLiteral("subject"), QStringLiteral("老记录")}, {QStringLiteral("visitDate"), today()}});
        ASSERT_EQ(r.status, 201) << r.body.toStdString();
        id = r.json().value(QStringLiteral("id")).toInteger();
    }
    QFile manifest(copy + QStringLiteral("/manifest.xml"));
    ASSERT_TRUE(manifest.open(QIODevice::ReadOnly));
    QString xml = QString::fromUtf8(manifest.readAll());
    manifest.close();
    xml.replace(
        QStringLiteral("<field name=\"notes\""),
        QStringLiteral("<field name=\"mood\" kind=\"dropdown\" dictionary=\"channel\" filter=\"true\" counted=\"true\" header=\"心情\">"
                       "<label lang=\"zh-CN\">心情</label><label lang=\"en\">Mood</label></field>\n"
                       "<field name=\"firstSubject\" kind=\"text\" max-length=\"100\" fill-from=\"subject\" export=\"false\">"
                       "<label lang=\"zh-CN\">原主题</label><label lang=\"en\">First subject</label></field>\n<field name=\"notes\""));
    ASSERT_TRUE(manifest.open(QIODevice::WriteOnly | QIODevice::Truncate));
    manifest.write(xml.toUtf8());
    manifest.close();
    RunningHost second(config);
    auto c = second.client();
    const QByteArray path = "/api/v1/fx.records/visits/" + QByteArray::number(id);
    QJsonObject v = c.get(path).json();
    EXPECT_TRUE(v.contains(QStringLiteral("mood"))) << "the old record has the new field, empty";
    EXPECT_TRUE(v.value(QStringLiteral("mood")).isNull());
    EXPECT_EQ(v.value(QStringLiteral("firstSubject")).toString(), QStringLiteral("老记录"))
        << "fill-from: the rows there take the other field's value";
    v.insert(QStringLiteral("mood"), QStringLiteral("visit"));
    ASSERT_EQ(c.send("PUT", path, v).status, 200);
    EXPECT_EQ(c.get("/api/v1/fx.records/visits?mood=visit").json().value(QStringLiteral("total")).toInt(), 1);
    auto kept = second.app().store().query(
        QStringLiteral("SELECT quote(value) AS v, n FROM core_kept_counts WHERE tbl = 'fx_visits' AND col = 'mood' ORDER BY value"));
    ASSERT_TRUE(kept.ok());
    ASSERT_EQ(kept->size(), 2u) << "counted=\"true\" on the new field: its counts made at the start, kept since";
    EXPECT_EQ((*kept)[0].value(QStringLiteral("v")).toString() + u'=' + (*kept)[0].value(QStringLiteral("n")).toString(),
              QStringLiteral("''=0"))
        << "the old record, empty, as counted at the start";
    EXPECT_EQ((*kept)[1].value(QStringLiteral("v")).toString() + u'=' + (*kept)[1].value(QStringLiteral("n")).toString(),
              QStringLiteral("'visit'=1"));
    EXPECT_EQ(c.get("/api/v1/fx.records/visits/counts?by=mood").json().value(QStringLiteral("items")).toArray().size(), 1);
    EXPECT_EQ(c.get("/api/v1/fx.records/visits?mood=phone").json().value(QStringLiteral("total")).toInt(), 0);
    const QJsonArray history = c.get(path + "/history").json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(history.size(), 2);
    EXPECT_EQ(history[1].toObject().value(QStringLiteral("changes")).toArray()[0].toObject().value(QStringLiteral("field")).toString(), QStringLiteral("mood"));
    auto started = c.request("POST", "/api/v1/fx.records/visits/export");
    const QJsonObject job = waitForJob(c, started.json().value(QStringLiteral("href")).toString().toUtf8());
    const QString csv = QString::fromUtf8(c.get(job.value(QStringLiteral("output")).toObject().value(QStringLiteral("href")).toString().toUtf8()).body);
    EXPECT_TRUE(csv.contains(QStringLiteral(",心情,备注,"))) << csv.toStdString();
    EXPECT_TRUE(csv.contains(QStringLiteral(",上门,"))) << csv.toStdString();
}

namespace {

// Uploads `bytes` as `name` and runs the card's import; returns the finished job.
QJsonObject importFile(HttpClient& c, const QByteArray& resource, const QByteArray& name, const QByteArray& bytes, bool dryRun = false) {
    auto up = c.request("POST", "/api/v1/files?name=" + QUrl::toPercentEncoding(QString::fromUtf8(name)), bytes, {{"Content-Type", "application/octet-stream"}});
    EXPECT_EQ(up.status, 201) << up.body.toStdString();
    auto started = c.send("POST", "/api/v1/fx.records/" + resource + "/import",
                          QJsonObject{{QStringLiteral("file"), up.json().value(QStringLiteral("id")).toString()}, {QStringLiteral("dryRun"), dryRun}});
    EXPECT_EQ(started.status, 202) << started.body.toStdString();
    return waitForJob(c, started.json().value(QStringLiteral("href")).toString().toUtf8());
}

}  // namespace

TEST_F(Records, ImportsWhatPeopleTypeAllOrNothingAndAnExportImportsBackUnchanged) {
    customer(QStringLiteral("东海电器"), east);
    const QByteArray csv = QStringLiteral("回访记录表\n\n"  // a title row and an empty row above the header
                                          "主题,单位,客户,回访日期,方式,需跟进,时长(分钟),费用,编码\n"
                                          "上门回访,test/东区,东海电器,2026/1/5,上门,是,45,\"1,200.5\",ＡＢ１２３４\n"
                                          "电话回访,西区,,2026年1月6日,phone,否,,,\n")
                               .toUtf8();
    // A dry run says what would happen and stores nothing.
    QJsonObject dry = importFile(*admin, "visits", "回访.csv", csv, true).value(QStringLiteral("result")).toObject();
    EXPECT_EQ(dry.value(QStringLiteral("created")).toInt(), 2) << QJsonDocument(dry).toJson().toStdString();
    EXPECT_FALSE(dry.value(QStringLiteral("committed")).toBool());
    EXPECT_EQ(admin->get("/api/v1/fx.records/visits").json().value(QStringLiteral("total")).toInt(), 0);

    QJsonObject done = importFile(*admin, "visits", "回访.csv", csv).value(QStringLiteral("result")).toObject();
    ASSERT_TRUE(done.value(QStringLiteral("committed")).toBool()) << QJsonDocument(done).toJson().toStdString();
    EXPECT_EQ(done.value(QStringLiteral("created")).toInt(), 2);
    const QJsonArray items = admin->get("/api/v1/fx.records/visits?sort=visitDate").json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(items.size(), 2);
    const QJsonObject first = items[0].toObject();
    EXPECT_EQ(first.value(QStringLiteral("visitDate")).toString(), QStringLiteral("2026-01-05"));
    EXPECT_EQ(first.value(QStringLiteral("channel")).toString(), QStringLiteral("visit"));
    EXPECT_EQ(first.value(QStringLiteral("followUp")).toBool(), true);
    EXPECT_EQ(first.value(QStringLiteral("fee")).toString(), QStringLiteral("1200.50"));
    EXPECT_EQ(first.value(QStringLiteral("code")).toString(), QStringLiteral("AB1234")) << "full-width letters and digits read as ASCII";
    EXPECT_EQ(first.value(QStringLiteral("unitId")).toInteger(), east);
    EXPECT_EQ(first.value(QStringLiteral("labels")).toObject().value(QStringLiteral("customerId")).toString(), QStringLiteral("东海电器"));
    EXPECT_EQ(items[1].toObject().value(QStringLiteral("unitId")).toInteger(), west);

    // The export, imported again, changes nothing; an edited cell updates that record only.
    auto started = admin->request("POST", "/api/v1/fx.records/visits/export");
    const QJsonObject job = waitForJob(*admin, started.json().value(QStringLiteral("href")).toString().toUtf8());
    const QByteArray exported = admin->get(job.value(QStringLiteral("output")).toObject().value(QStringLiteral("href")).toString().toUtf8()).body;
    QJsonObject again = importFile(*admin, "visits", "visits.csv", exported).value(QStringLiteral("result")).toObject();
    EXPECT_TRUE(again.value(QStringLiteral("committed")).toBool()) << QJsonDocument(again).toJson().toStdString();
    EXPECT_EQ(again.value(QStringLiteral("unchanged")).toInt(), 2);
    EXPECT_EQ(again.value(QStringLiteral("created")).toInt() + again.value(QStringLiteral("updated")).toInt(), 0);
    QByteArray edited = exported;
    edited.replace("电话回访", "电话回访二");
    QJsonObject changed = importFile(*admin, "visits", "visits.csv", edited).value(QStringLiteral("result")).toObject();
    EXPECT_EQ(changed.value(QStringLiteral("updated")).toInt(), 1) << QJsonDocument(changed).toJson().toStdString();
    EXPECT_EQ(changed.value(QStringLiteral("unchanged")).toInt(), 1);
}

// counted="true" (channel, customerId): the counts at the top of the tree and of a unit with
// few units outside come from the counts the host keeps, and stay what the records say
// through an import into the empty table (the triggers suspended, the counts made after),
// every write of the API, and SQL that another writer runs.
TEST_F(Records, KeptCountsStayWhatTheRecordsSayThroughEveryWrite) {
    const qint64 sub = host->app().units().create(east, QStringLiteral("东区一组"))->id;
    const qint64 shop = customer(QStringLiteral("东海电器"), east);
    auto& store = host->app().store();
    const auto check = [&](const char* when) {
        for (const char* by : {"channel", "customerId", "visitDate"})
            for (qint64 unit : {qint64(0), root, east, west, sub}) {
                // What the records say, grouped by SQL over the subtree.
                QString sql = QStringLiteral("SELECT ifnull(%1, '') AS k, count(*) AS n FROM fx_visits")
                                  .arg(by == QByteArray("customerId")  ? "customer_id"
                                       : by == QByteArray("visitDate") ? "visit_date"
                                                                       : by);
                if (unit)
                    sql += QStringLiteral(
                               " WHERE unit_id IN (SELECT u.id FROM core_units u, core_units a WHERE a.id = %1 AND substr(u.path, 1, "
                               "length(a.path)) = a.path)")
                               .arg(unit);
                auto expected = store.query(sql + QStringLiteral(" GROUP BY 1"));
                ASSERT_TRUE(expected.ok());
                QMap<QString, qint64> want, got;
                for (const auto& row : *expected)
                    want.insert(row.value(QStringLiteral("k")).toString(), row.value(QStringLiteral("n")).toLongLong());
                auto counts =
                    admin->get("/api/v1/fx.records/visits/counts?by=" + QByteArray(by) + (unit ? "&unit=" + QByteArray::number(unit) : ""));
                ASSERT_EQ(counts.status, 200) << counts.body.toStdString();
                for (const auto& item : counts.json().value(QStringLiteral("items")).toArray()) {
                    const QJsonValue key = item.toObject().value(QStringLiteral("key"));
                    got.insert(key.isNull()     ? QString()
                               : key.isDouble() ? QString::number(key.toInteger())
                                                : key.toString(),
                               item.toObject().value(QStringLiteral("value")).toInteger());
                }
                EXPECT_EQ(got, want) << when << ": by " << by << " at unit " << unit << ": " << counts.body.toStdString();
            }
    };
    const auto kept = [&](const char* column) {
        return store
            .queryOne(QStringLiteral("SELECT ifnull(sum(n), -1) AS n FROM core_kept_counts WHERE tbl = 'fx_visits' AND col = ?1"),
                      {QString::fromLatin1(column)})
            ->value(QStringLiteral("n"))
            .toLongLong();
    };
    EXPECT_EQ(kept("channel"), -1) << "nothing to count yet";
    EXPECT_EQ(kept("visit_date"), -1) << "visitDate is not counted=\"true\"";

    // An import into the empty table: the counts are made once, after the rows.
    QByteArray csv = "主题,单位,客户,回访日期,方式\n";
    for (int i = 0; i < 30; ++i)
        csv += QStringLiteral("导入回访%1,%2,%3,2026-01-%4,%5\n")
                   .arg(i)
                   .arg(i % 3 == 0   ? QStringLiteral("test/东区/东区一组")
                        : i % 3 == 1 ? QStringLiteral("西区")
                                     : QStringLiteral("test"))
                   .arg(i % 2 ? QStringLiteral("东海电器") : QString())
                   .arg(i % 9 + 1, 2, 10, QLatin1Char('0'))
                   .arg(i % 4 == 0   ? QString()
                        : i % 4 == 1 ? QStringLiteral("上门")
                                     : QStringLiteral("电话"))
                   .toUtf8();
    const QJsonObject done = importFile(*admin, "visits", "回访.csv", csv).value(QStringLiteral("result")).toObject();
    ASSERT_EQ(done.value(QStringLiteral("created")).toInt(), 30) << QJsonDocument(done).toJson().toStdString();
    EXPECT_EQ(kept("channel"), 30);
    EXPECT_EQ(kept("customer_id"), 30);
    check("after the import");

    // The API's writes: a new record, a changed value, a move to another unit, a deletion.
    const qint64 made =
        visitOk({{QStringLiteral("subject"), QStringLiteral("新回访")}, {QStringLiteral("channel"), QStringLiteral("phone")}});
    const QByteArray path = "/api/v1/fx.records/visits/" + QByteArray::number(made);
    QJsonObject v = admin->get(path).json();
    v.insert(QStringLiteral("channel"), QStringLiteral("visit"));
    v.insert(QStringLiteral("customerId"), shop);
    v.insert(QStringLiteral("unitId"), west);
    auto changed = admin->send("PUT", path, v);
    ASSERT_EQ(changed.status, 200) << changed.body.toStdString();
    check("after a change");
    const QByteArray first =
        "/api/v1/fx.records/visits/" +
        QByteArray::number(store.queryOne(QStringLiteral("SELECT min(id) AS id FROM fx_visits"))->value(QStringLiteral("id")).toLongLong());
    ASSERT_EQ(admin->request("DELETE", first).status, 204);
    check("after a deletion");

    // Another writer's SQL (a plugin's own statement, the command line): the triggers count it.
    ASSERT_TRUE(store.execute(QStringLiteral("UPDATE fx_visits SET channel = 'visit' WHERE channel = ''")).ok());
    ASSERT_TRUE(store.execute(QStringLiteral("DELETE FROM fx_visits WHERE unit_id = ?1"), {sub}).ok());
    check("after other SQL");
    // A row INSERT OR REPLACE removes (same subject) is counted out too.
    ASSERT_TRUE(
        store
            .execute(QStringLiteral("INSERT OR REPLACE INTO fx_visits (subject, unit_id, visit_date, channel, created_at, updated_at) "
                                    "VALUES ('导入回访1', ?1, '2026-01-02', 'visit', 'x', 'x')"),
                     {east})
            .ok());
    check("after INSERT OR REPLACE");
    EXPECT_EQ(store.queryOne(QStringLiteral("SELECT count(*) AS n FROM core_audit WHERE table_name = 'core_kept_counts'"))
                  ->value(QStringLiteral("n"))
                  .toLongLong(),
              0)
        << "the kept counts follow from audited records: no audit rows of their own";
    EXPECT_EQ(kept("channel"), 21) << "30 imported, 1 made, the first (in 东区一组) deleted, the other 9 of 东区一组 deleted by SQL";

    // The counts at the top come from the kept rows (a kept count set wrong would show).
    ASSERT_TRUE(store
                    .execute(QStringLiteral(
                        "UPDATE core_kept_counts SET n = n + 100 WHERE tbl = 'fx_visits' AND col = 'channel' AND value = 'visit'"))
                    .ok());
    EXPECT_EQ(admin->get("/api/v1/fx.records/visits/counts?by=channel&unit=" + QByteArray::number(root))
                  .json()
                  .value(QStringLiteral("total"))
                  .toInteger(),
              121);
    EXPECT_EQ(admin->get("/api/v1/fx.records/visits/counts?by=channel&unit=" + QByteArray::number(root) + "&followUp=false")
                  .json()
                  .value(QStringLiteral("total"))
                  .toInteger(),
              21)
        << "a query with a field's filter counts the records";
}

TEST_F(Records, AnImportWithAnyBadRowStoresNothingAndSaysWhereEachProblemIs) {
    HttpClient officer = scoped(QStringLiteral("east"), east);
    const QByteArray csv = QStringLiteral("主题,单位,回访日期,方式,颜色\n"
                                          "好的一行,东区,2026-01-05,上门,\n"
                                          "坏日期,东区,2026-02-30,传真,\n"
                                          "越权,西区,2026-01-05,上门,\n"
                                          "多一列,东区,2026-01-05,上门,,多余\n"
                                          "有颜色,东区,2026-01-05,上门,红\n")
                               .toUtf8();
    const QJsonObject job = importFile(officer, "visits", "bad.csv", csv);
    const QJsonObject result = job.value(QStringLiteral("result")).toObject();
    EXPECT_FALSE(result.value(QStringLiteral("committed")).toBool());
    EXPECT_EQ(result.value(QStringLiteral("created")).toInt(), 0) << "nothing is said to be added when nothing was";
    QStringList where;
    for (const auto& e : result.value(QStringLiteral("errors")).toArray())
        where << QStringLiteral("%1:%2").arg(e.toObject().value(QStringLiteral("row")).toInt()).arg(e.toObject().value(QStringLiteral("column")).toString());
    EXPECT_EQ(where, (QStringList{"3:回访日期", "3:方式", "4:单位", "5:", "6:"})) << QJsonDocument(result).toJson().toStdString();
    EXPECT_EQ(result.value(QStringLiteral("warnings")).toArray()[0].toObject().value(QStringLiteral("column")).toString(), QStringLiteral("颜色"));
    EXPECT_EQ(admin->get("/api/v1/fx.records/visits").json().value(QStringLiteral("total")).toInt(), 0);
    const QString errors = QString::fromUtf8(officer.get(job.value(QStringLiteral("output")).toObject().value(QStringLiteral("href")).toString().toUtf8()).body);
    EXPECT_TRUE(errors.contains(QStringLiteral("行号,列,原因"))) << errors.toStdString();
    EXPECT_FALSE(errors.contains(QStringLiteral("西部"))) << "the refusal names no unit of the other branch beyond what the file said";
}

// The plugin's domain rules run where the engine says: derive before the checks, validate
// after the card's own, afterSave in the write's transaction, refuseDelete before a delete.
TEST_F(Records, ThePluginsRulesRunAsHooksOnEveryPath) {
    // derive: the summary is computed, and a client cannot set it.
    auto created = visit({{QStringLiteral("subject"), QStringLiteral("上门")}, {QStringLiteral("channel"), QStringLiteral("visit")},
                          {QStringLiteral("summary"), QStringLiteral("forged")}});
    ASSERT_EQ(created.status, 201) << created.body.toStdString();
    EXPECT_EQ(created.json().value(QStringLiteral("summary")).toString(), QStringLiteral("上门 / visit"));
    const QByteArray path = "/api/v1/fx.records/visits/" + QByteArray::number(created.json().value(QStringLiteral("id")).toInteger());
    // validate: a rule across fields, on its field; and one against the stored record.
    auto rule = visit({{QStringLiteral("subject"), QStringLiteral("跟进")}, {QStringLiteral("followUp"), true}});
    ASSERT_EQ(rule.status, 422);
    EXPECT_EQ(fieldsIn(rule), QStringList{QStringLiteral("minutes")});
    QJsonObject v = created.json();
    v.insert(QStringLiteral("channel"), QStringLiteral("phone"));
    auto changed = admin->send("PUT", path, v);
    ASSERT_EQ(changed.status, 422) << changed.body.toStdString();
    EXPECT_EQ(fieldsIn(changed), QStringList{QStringLiteral("channel")});
    // afterSave: its error rolls the write back and names its field.
    v = created.json();
    v.insert(QStringLiteral("notes"), QStringLiteral("拒绝"));
    auto refused = admin->send("PUT", path, v);
    EXPECT_EQ(refused.status, 422) << refused.body.toStdString();
    EXPECT_EQ(fieldsIn(refused), QStringList{QStringLiteral("notes")});
    EXPECT_EQ(admin->get(path).json().value(QStringLiteral("version")).toInt(), 1) << "rolled back";
    // The same rules hold for imports.
    const QByteArray csv = QStringLiteral("主题,单位,回访日期,需跟进\n导入跟进,东区,2026-01-05,是\n").toUtf8();
    const QJsonObject result = importFile(*admin, "visits", "rule.csv", csv).value(QStringLiteral("result")).toObject();
    ASSERT_EQ(result.value(QStringLiteral("errorCount")).toInt(), 1) << QJsonDocument(result).toJson().toStdString();
    EXPECT_EQ(result.value(QStringLiteral("errors")).toArray()[0].toObject().value(QStringLiteral("field")).toString(), QStringLiteral("minutes"));
    // refuseDelete: the refusal says why.
    v = created.json();
    v.insert(QStringLiteral("followUp"), true);
    v.insert(QStringLiteral("minutes"), 20);
    ASSERT_EQ(admin->send("PUT", path, v).status, 200);
    auto kept = admin->request("DELETE", path);
    EXPECT_EQ(kept.status, 409);
    EXPECT_TRUE(kept.json().value(QStringLiteral("detail")).toString().contains(QStringLiteral("需跟进的回访不能删除"))) << kept.body.toStdString();
}

TEST_F(Records, AUnitWithRecordsOfAServedCardStays) {
    const qint64 branch = host->app().units().create(east, QStringLiteral("东区一组"))->id;
    visitOk({{QStringLiteral("subject"), QStringLiteral("一组回访")}, {QStringLiteral("unitId"), branch}});
    auto refused = admin->request("DELETE", "/api/v1/units/" + QByteArray::number(branch));
    EXPECT_EQ(refused.status, 409);
    EXPECT_TRUE(refused.json().value(QStringLiteral("detail")).toString().contains(QStringLiteral("records of Visit: 1")))
        << refused.body.toStdString();
    EXPECT_EQ(admin->get("/api/v1/units/" + QByteArray::number(branch)).status, 200);
}

TEST_F(Records, ASubformKeepsItsRowsCheckedFieldByField) {
    auto bad = visit({{QStringLiteral("subject"), QStringLiteral("座谈")},
                      {QStringLiteral("attendees"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("张三")}},
                                                               QJsonObject{{QStringLiteral("since"), QStringLiteral("2026-13-01")}, {QStringLiteral("x"), 1}}}}});
    ASSERT_EQ(bad.status, 422);
    QStringList fields = fieldsIn(bad);
    fields.sort();
    EXPECT_EQ(fields, (QStringList{"attendees[1].name", "attendees[1].since", "attendees[1].x"})) << bad.body.toStdString();
    auto good = visit({{QStringLiteral("subject"), QStringLiteral("座谈")},
                       {QStringLiteral("attendees"), QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral(" 张三 ")}, {QStringLiteral("since"), QStringLiteral("2020-01-02")}}}}});
    ASSERT_EQ(good.status, 201) << good.body.toStdString();
    const QJsonArray rows = good.json().value(QStringLiteral("attendees")).toArray();
    ASSERT_EQ(rows.size(), 1);
    EXPECT_EQ(rows[0].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("张三"));
    EXPECT_EQ(admin->get("/api/v1/fx.records/visits/" + QByteArray::number(good.json().value(QStringLiteral("id")).toInteger()))
                  .json().value(QStringLiteral("attendees")).toArray().size(), 1);
    // Not in exports: a spreadsheet cell is no place for rows.
    EXPECT_TRUE(visit({{QStringLiteral("subject"), QStringLiteral("无人")}}).json().value(QStringLiteral("attendees")).toArray().isEmpty());
}

// The card's import-key (a unique field: an ID number, a code) matches rows without 编号 to
// their records; a key held by a record outside the importer's write scope is refused
// without showing that record.
TEST_F(Records, AnImportKeyMatchesRowsToTheirRecords) {
    visitOk({{QStringLiteral("subject"), QStringLiteral("东区回访")}, {QStringLiteral("channel"), QStringLiteral("phone")}});
    visitOk({{QStringLiteral("subject"), QStringLiteral("西区回访")}, {QStringLiteral("unitId"), west}});
    const QByteArray csv = QStringLiteral("主题,单位,回访日期,方式\n东区回访,东区,2026-01-05,上门\n新的回访,东区,2026-01-06,电话\n").toUtf8();
    const QJsonObject done = importFile(*admin, "visits", "keyed.csv", csv).value(QStringLiteral("result")).toObject();
    EXPECT_EQ(done.value(QStringLiteral("updated")).toInt(), 1) << QJsonDocument(done).toJson().toStdString();
    EXPECT_EQ(done.value(QStringLiteral("created")).toInt(), 1);
    EXPECT_EQ(admin->get("/api/v1/fx.records/visits?channel=visit").json().value(QStringLiteral("total")).toInt(), 1);
    HttpClient officer = scoped(QStringLiteral("east"), east);
    const QByteArray foreign = QStringLiteral("主题,单位,回访日期\n西区回访,东区,2026-01-05\n").toUtf8();
    const QJsonObject refused = importFile(officer, "visits", "foreign.csv", foreign).value(QStringLiteral("result")).toObject();
    ASSERT_EQ(refused.value(QStringLiteral("errorCount")).toInt(), 1) << QJsonDocument(refused).toJson().toStdString();
    EXPECT_EQ(refused.value(QStringLiteral("errors")).toArray()[0].toObject().value(QStringLiteral("column")).toString(), QStringLiteral("主题"));
    EXPECT_FALSE(QJsonDocument(refused).toJson().contains("西区/")) << "nothing about where that record is";
}

TEST_F(Records, BadImportRequestsAndHistoryParametersAreRefusedBeforeAnyJob) {
    auto noFile = admin->send("POST", "/api/v1/fx.records/visits/import", QJsonObject{{QStringLiteral("dryRun"), QStringLiteral("yes")}, {QStringLiteral("fil"), 1}});
    ASSERT_EQ(noFile.status, 422) << noFile.body.toStdString();
    QStringList fields = fieldsIn(noFile);
    fields.sort();
    EXPECT_EQ(fields, (QStringList{"dryRun", "fil", "file"}));
    auto foreign = admin->send("POST", "/api/v1/fx.records/visits/import", QJsonObject{{QStringLiteral("file"), QStringLiteral("not-an-upload")}});
    EXPECT_EQ(foreign.status, 422);
    EXPECT_EQ(fieldsIn(foreign), QStringList{QStringLiteral("file")});
    EXPECT_EQ(admin->get("/api/v1/jobs").json().value(QStringLiteral("items")).toArray().size(), 0);
    const qint64 id = visitOk({{QStringLiteral("subject"), QStringLiteral("有历史")}});
    auto bad = admin->get("/api/v1/fx.records/visits/" + QByteArray::number(id) + "/history?page=2");
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(fieldsIn(bad), QStringList{QStringLiteral("page")});
}

// Cells as people type them in the files they import.
TEST(PeopleCells, ADateWithATimeIsItsDay) {
    EXPECT_EQ(tessera::host::peopleDate(QStringLiteral("2024-05-01 08:30:00")), QStringLiteral("2024-05-01")) << "an .xlsx date-time cell";
    EXPECT_EQ(tessera::host::peopleDate(QStringLiteral("2024-05-01T08:30:00")), QStringLiteral("2024-05-01"));
    EXPECT_EQ(tessera::host::peopleDate(QStringLiteral("2024/5/1 8:30")), QStringLiteral("2024-05-01")) << "as LibreOffice writes it to a CSV";
    EXPECT_EQ(tessera::host::peopleDate(QStringLiteral("45413.3541666667")), QStringLiteral("2024-05-01")) << "a day number with its time";
    EXPECT_FALSE(tessera::host::peopleDate(QStringLiteral("2024-05-01 late")));
    EXPECT_FALSE(tessera::host::peopleDate(QStringLiteral("1990.5")));
}

TEST(PeopleCells, ReadsCellsAsPeopleTypeThem) {
    EXPECT_EQ(tessera::host::peopleDate(QStringLiteral("2024-05-01")), QStringLiteral("2024-05-01"));
    EXPECT_EQ(tessera::host::peopleDate(QStringLiteral("2024/5/1")), QStringLiteral("2024-05-01"));
    EXPECT_EQ(tessera::host::peopleDate(QStringLiteral("2024.05.01")), QStringLiteral("2024-05-01"));
    EXPECT_EQ(tessera::host::peopleDate(QStringLiteral("2024年5月1日")), QStringLiteral("2024-05-01"));
    EXPECT_EQ(tessera::host::peopleDate(QStringLiteral("20240501")), QStringLiteral("2024-05-01"));
    EXPECT_EQ(tessera::host::peopleDate(QStringLiteral("45413")), QStringLiteral("2024-05-01")) << "an Excel day number";
    EXPECT_FALSE(tessera::host::peopleDate(QStringLiteral("1990"))) << "a year alone is no date";
    EXPECT_FALSE(tessera::host::peopleDate(QStringLiteral("2024-02-30")));
    EXPECT_FALSE(tessera::host::peopleDate(QStringLiteral("next week")));
    EXPECT_EQ(tessera::host::peopleFlag(QStringLiteral("是")), true);
    EXPECT_EQ(tessera::host::peopleFlag(QStringLiteral("否")), false);
    EXPECT_FALSE(tessera::host::peopleFlag(QStringLiteral("maybe")));
}
