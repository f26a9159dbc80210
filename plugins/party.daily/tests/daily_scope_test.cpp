// party.daily against a unit-scoped officer, over real HTTP: exports name
// nothing outside the caller's scope and import again; imports refuse what the
// card API refuses, with its words; counts count what the list shows; ids are
// strict, never reused, and a delete's If-Match is checked where the delete is
// written.

#include "daily_test_support.hpp"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QUrl>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

using namespace tessera::test;
using party::daily::test::csv;
using party::daily::test::idNumber;

namespace {

const QStringList kOrgHeader{QStringLiteral("党组织代码"), QStringLiteral("党组织全称"), QStringLiteral("简称"),
                             QStringLiteral("党组织类别"), QStringLiteral("上级党组织"), QStringLiteral("建立日期")};
const QStringList kMemberHeader{QStringLiteral("姓名"),     QStringLiteral("公民身份号码"), QStringLiteral("民族"),
                                QStringLiteral("学历"),     QStringLiteral("所在党组织"),   QStringLiteral("人员类别"),
                                QStringLiteral("入党日期"), QStringLiteral("转正日期")};

class Scoped : public party::daily::test::PartyDailyHost {
protected:
    qint64 createOrg(const QString& fullName, qint64 parent, const QString& code, const QString& type = QStringLiteral("branch")) {
        auto r = admin->send("POST", "/api/v1/party.daily/orgs",
                             QJsonObject{{QStringLiteral("fullName"), fullName},
                                         {QStringLiteral("orgType"), type},
                                         {QStringLiteral("code"), code},
                                         {QStringLiteral("parentId"), parent},
                                         {QStringLiteral("setupDate"), QStringLiteral("2010-07-01")}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }
    static QJsonObject member(const QString& name, qint64 unit, const QString& birth, const QString& sequence = QStringLiteral("123")) {
        return party::daily::test::memberJson(name, unit, birth, sequence);
    }
    qint64 create(const QByteArray& resource, const QJsonObject& body) {
        auto r = admin->send("POST", "/api/v1/party.daily/" + resource, body);
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }
    HttpClient officer(const QString& name, const QString& scope, qint64 unit) {
        HttpClient c(host->port());
        c.setDefaultHeader("Authorization", "Bearer " + host->userToken(name, QStringLiteral("admin"), scope, unit));
        return c;
    }
    // Uploads `bytes` as `client` and imports them into `what` (members or orgs):
    // the finished job's result.
    QJsonObject import(HttpClient& client, const QByteArray& what, const QByteArray& bytes) {
        auto up = client.request("POST", "/api/v1/files?name=data.csv", bytes);
        EXPECT_EQ(up.status, 201) << up.body.toStdString();
        auto r = client.send("POST", "/api/v1/party.daily/" + what + "/import",
                             QJsonObject{{QStringLiteral("file"), up.json().value(QStringLiteral("id"))}});
        EXPECT_EQ(r.status, 202) << r.body.toStdString();
        auto job = waitForJob(client, r.json().value(QStringLiteral("href")).toString().toUtf8());
        EXPECT_EQ(job.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded")) << QJsonDocument(job).toJson().toStdString();
        return job.value(QStringLiteral("result")).toObject();
    }
    // The import's errors as "row|column|reason", one a line.
    static std::string errorsOf(const QJsonObject& result) {
        QStringList out;
        for (const auto& e : result.value(QStringLiteral("errors")).toArray()) {
            const QJsonObject o = e.toObject();
            out << QStringLiteral("%1|%2|%3")
                       .arg(o.value(QStringLiteral("row")).toInteger())
                       .arg(o.value(QStringLiteral("column")).toString(), o.value(QStringLiteral("reason")).toString());
        }
        return out.join(QLatin1Char('\n')).toStdString();
    }
    QByteArray exported(HttpClient& client, const QByteArray& what) {
        auto r = client.request("POST", "/api/v1/party.daily/" + what + "/export?format=csv");
        EXPECT_EQ(r.status, 202) << r.body.toStdString();
        auto job = waitForJob(client, r.json().value(QStringLiteral("href")).toString().toUtf8());
        EXPECT_EQ(job.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded")) << QJsonDocument(job).toJson().toStdString();
        return client.get(job.value(QStringLiteral("output")).toObject().value(QStringLiteral("href")).toString().toUtf8()).body;
    }
    QString units() {
        QString out;
        auto rows = host->app().store().query(QStringLiteral("SELECT id, parent_id, name, code FROM core_units ORDER BY id"));
        EXPECT_TRUE(rows);
        if (!rows) return out;
        for (const auto& row : *rows)
            for (auto it = row.begin(); it != row.end(); ++it)
                out += it.key() + QLatin1Char('=') + it.value().toString() + QLatin1Char(';');
        return out;
    }
    qint64 count(const QString& table) {
        return host->app().store().queryOne(QStringLiteral("SELECT count(*) AS n FROM ") + table)->value(QStringLiteral("n")).toLongLong();
    }
};

}  // namespace

TEST_F(Scoped, AnOrganisationExportNamesNoParentOutsideTheCallersScopeAndImportsAgainUnchanged) {
    const qint64 top = createOrg(QStringLiteral("中共某市委员会"), root, QStringLiteral("P01"), QStringLiteral("committee"));
    const qint64 p02 = createOrg(QStringLiteral("中共某市机关第一支部委员会"), top, QStringLiteral("P02"));
    createOrg(QStringLiteral("中共某市机关第一支部第一小组"), p02, QStringLiteral("P03"));
    HttpClient branch = officer(QStringLiteral("officer"), QStringLiteral("subtree"), p02);

    const QByteArray file = exported(branch, "orgs");
    const QString text = QString::fromUtf8(file);
    EXPECT_FALSE(text.contains(QStringLiteral("P01"))) << text.toStdString();
    EXPECT_FALSE(text.contains(QStringLiteral("中共某市委员会"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral(",中共某市机关第一支部委员会,,P02,党支部,,,2010-07-01")))
        << "the parent outside the scope is left empty\n"
        << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral(",中共某市机关第一支部第一小组,,P03,党支部,P02,,2010-07-01")))
        << "a parent in the scope is named\n"
        << text.toStdString();

    // The officer imports their own export again: nothing changes, nothing moves.
    const QString before = units();
    auto again = import(branch, "orgs", file);
    EXPECT_TRUE(again.value(QStringLiteral("committed")).toBool()) << QJsonDocument(again).toJson().toStdString();
    EXPECT_EQ(again.value(QStringLiteral("errorCount")).toInt(), 0) << QJsonDocument(again).toJson().toStdString();
    EXPECT_EQ(again.value(QStringLiteral("unchanged")).toInt(), 2);
    EXPECT_EQ(units(), before);

    // A row added to it without a parent goes under the importing officer's own
    // unit.
    auto added = import(branch, "orgs", file + QStringLiteral(",中共某市机关第一支部第二小组,,P04,党支部,,,2011-07-01\r\n").toUtf8());
    EXPECT_EQ(added.value(QStringLiteral("created")).toInt(), 1) << QJsonDocument(added).toJson().toStdString();
    auto p04 = branch.get("/api/v1/party.daily/orgs?q=P04").json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(p04.size(), 1);
    EXPECT_EQ(p04.first().toObject().value(QStringLiteral("parentId")).toInteger(), p02);
}

TEST_F(Scoped, AUnitOnlyWriterIsRefusedAChildOrganisationInAnImportAsThroughTheCardApi) {
    const qint64 top = createOrg(QStringLiteral("中共某市委员会"), root, QStringLiteral("P01"), QStringLiteral("committee"));
    const qint64 p02 = createOrg(QStringLiteral("中共某市机关第一支部委员会"), top, QStringLiteral("P02"));
    HttpClient unitOnly = officer(QStringLiteral("secretary"), QStringLiteral("unit"), p02);
    const qint64 orgs = count(QStringLiteral("party_orgs"));

    auto api = unitOnly.send("POST", "/api/v1/party.daily/orgs",
                             QJsonObject{{QStringLiteral("fullName"), QStringLiteral("新支部")},
                                         {QStringLiteral("orgType"), QStringLiteral("branch")},
                                         {QStringLiteral("code"), QStringLiteral("P09")},
                                         {QStringLiteral("parentId"), p02}});
    ASSERT_EQ(api.status, 422) << api.body.toStdString();
    const QString reason = messageOf(api, QStringLiteral("parentId"));
    ASSERT_FALSE(reason.isEmpty()) << api.body.toStdString();

    auto imported = import(
        unitOnly, "orgs",
        csv({kOrgHeader,
             {QStringLiteral("P09"), QStringLiteral("新支部"), QString(), QStringLiteral("党支部"), QStringLiteral("P02"), QString()}}));
    EXPECT_FALSE(imported.value(QStringLiteral("committed")).toBool());
    EXPECT_EQ(errorsOf(imported), (QStringLiteral("2|上级党组织|%1").arg(reason)).toStdString());
    // The same without a parent: the default parent, their own unit, gets the
    // same refusal.
    auto defaulted = import(
        unitOnly, "orgs",
        csv({kOrgHeader, {QStringLiteral("P09"), QStringLiteral("新支部"), QString(), QStringLiteral("党支部"), QString(), QString()}}));
    EXPECT_EQ(errorsOf(defaulted), (QStringLiteral("2|上级党组织|%1").arg(reason)).toStdString());
    EXPECT_EQ(count(QStringLiteral("party_orgs")), orgs);
    EXPECT_EQ(unitOnly.get("/api/v1/party.daily/orgs?q=P09").json().value(QStringLiteral("total")).toInt(), 0);
}

TEST_F(Scoped, AnImportRefusesWhatTheCardApiRefusesWithTheSameReasonOnTheSameColumn) {
    const qint64 top = createOrg(QStringLiteral("中共某市委员会"), root, QStringLiteral("P01"), QStringLiteral("committee"));
    const qint64 p02 = createOrg(QStringLiteral("中共某市机关第一支部委员会"), top, QStringLiteral("P02"));
    const qint64 county = createOrg(QStringLiteral("中共某县委员会"), root, QStringLiteral("Q01"), QStringLiteral("committee"));
    create("members", member(QStringLiteral("外人"), county, QStringLiteral("19700101")));
    HttpClient branch = officer(QStringLiteral("officer"), QStringLiteral("subtree"), p02);
    const QString outsiderId = idNumber(QStringLiteral("19700101"));

    // An ID number recorded outside the scope.
    auto apiDuplicate = branch.send("POST", "/api/v1/party.daily/members", member(QStringLiteral("某人"), p02, QStringLiteral("19700101")));
    ASSERT_EQ(apiDuplicate.status, 422) << apiDuplicate.body.toStdString();
    auto duplicate =
        import(branch, "members",
               csv({kMemberHeader,
                    {QStringLiteral("某人"), outsiderId, QStringLiteral("汉族"), QStringLiteral("大学本科"), QStringLiteral("P02"),
                     QStringLiteral("正式党员"), QStringLiteral("2005-07-01"), QStringLiteral("2006-07-01")}}));
    EXPECT_EQ(errorsOf(duplicate),
              (QStringLiteral("2|公民身份号码|%1").arg(messageOf(apiDuplicate, QStringLiteral("idNumber")))).toStdString());

    // A unit outside the scope: refused with the card API's words, and the same
    // words as for a code nobody has, so the answer says nothing of organisations
    // the officer cannot see.
    auto apiOutside =
        branch.send("POST", "/api/v1/party.daily/members", member(QStringLiteral("某人"), county, QStringLiteral("19800101")));
    ASSERT_EQ(apiOutside.status, 422) << apiOutside.body.toStdString();
    const QString apiReason = messageOf(apiOutside, QStringLiteral("unitId"));
    ASSERT_TRUE(apiReason.startsWith(QStringLiteral("there is no unit %1 ").arg(county))) << apiReason.toStdString();
    auto intoUnit = [&](const QString& unit) {
        return import(
            branch, "members",
            csv({kMemberHeader,
                 {QStringLiteral("某人"), idNumber(QStringLiteral("19800101")), QStringLiteral("汉族"), QStringLiteral("大学本科"), unit,
                  QStringLiteral("正式党员"), QStringLiteral("2005-07-01"), QStringLiteral("2006-07-01")}}));
    };
    const QString sameWords = QString(apiReason).replace(QStringLiteral("unit %1").arg(county), QStringLiteral("unit '%1'"));
    EXPECT_EQ(errorsOf(intoUnit(QStringLiteral("Q01"))),
              (QStringLiteral("2|所在党组织|%1").arg(sameWords.arg(QStringLiteral("Q01")))).toStdString());
    EXPECT_EQ(errorsOf(intoUnit(QStringLiteral("中共某县委员会"))),
              (QStringLiteral("2|所在党组织|%1").arg(sameWords.arg(QStringLiteral("中共某县委员会")))).toStdString());
    EXPECT_EQ(errorsOf(intoUnit(QStringLiteral("Z99"))),
              (QStringLiteral("2|所在党组织|%1").arg(sameWords.arg(QStringLiteral("Z99")))).toStdString());

    // An organisation code another organisation, outside the scope, has.
    auto apiCode = branch.send("POST", "/api/v1/party.daily/orgs",
                               QJsonObject{{QStringLiteral("fullName"), QStringLiteral("新小组")},
                                           {QStringLiteral("orgType"), QStringLiteral("branch")},
                                           {QStringLiteral("code"), QStringLiteral("Q01")},
                                           {QStringLiteral("parentId"), p02}});
    ASSERT_EQ(apiCode.status, 422) << apiCode.body.toStdString();
    auto code = import(
        branch, "orgs",
        csv({kOrgHeader,
             {QStringLiteral("Q01"), QStringLiteral("新小组"), QString(), QStringLiteral("党支部"), QStringLiteral("P02"), QString()}}));
    EXPECT_EQ(errorsOf(code), (QStringLiteral("2|党组织代码|%1").arg(messageOf(apiCode, QStringLiteral("code")))).toStdString());

    // A parent outside the scope, for a new organisation: the card API's words
    // again.
    auto apiParent = branch.send("POST", "/api/v1/party.daily/orgs",
                                 QJsonObject{{QStringLiteral("fullName"), QStringLiteral("新小组")},
                                             {QStringLiteral("orgType"), QStringLiteral("branch")},
                                             {QStringLiteral("code"), QStringLiteral("P08")},
                                             {QStringLiteral("parentId"), top}});
    ASSERT_EQ(apiParent.status, 422) << apiParent.body.toStdString();
    auto parent = import(
        branch, "orgs",
        csv({kOrgHeader,
             {QStringLiteral("P08"), QStringLiteral("新小组"), QString(), QStringLiteral("党支部"), QStringLiteral("P01"), QString()}}));
    EXPECT_EQ(errorsOf(parent), (QStringLiteral("2|上级党组织|%1")
                                     .arg(QString(messageOf(apiParent, QStringLiteral("parentId")))
                                              .replace(QStringLiteral("unit %1").arg(top), QStringLiteral("unit 'P01'"))))
                                    .toStdString());
    EXPECT_EQ(count(QStringLiteral("party_members")), 1);
}

TEST_F(Scoped, AnOrganisationIsNotMovedWhereItsWriterCouldNoLongerSeeItThroughTheApiOrAnImport) {
    // An officer who writes in branch A alone (its unit only) and in committee B's subtree.
    const qint64 a = createOrg(QStringLiteral("甲支部"), root, QStringLiteral("A01"));
    const qint64 b = createOrg(QStringLiteral("乙党委"), root, QStringLiteral("B01"), QStringLiteral("committee"));
    const qint64 c = createOrg(QStringLiteral("乙党委第一支部"), b, QStringLiteral("B02"));
    HttpClient both = officer(QStringLiteral("officer"), QStringLiteral("subtree"), b);
    auto& accounts = host->app().accounts();
    ASSERT_TRUE(accounts.grant(accounts.userByName(QStringLiteral("officer"))->id, accounts.roleByName(QStringLiteral("admin"))->id,
                               tessera::host::ScopeKind::Unit, a));
    const QString before = units();

    // Under A, C would lie outside what the officer reaches: the card API refuses the move.
    auto api = both.send("PUT", "/api/v1/party.daily/orgs/" + QByteArray::number(c),
                         QJsonObject{{QStringLiteral("fullName"), QStringLiteral("乙党委第一支部")},
                                     {QStringLiteral("orgType"), QStringLiteral("branch")},
                                     {QStringLiteral("code"), QStringLiteral("B02")},
                                     {QStringLiteral("setupDate"), QStringLiteral("2010-07-01")},
                                     {QStringLiteral("parentId"), a},
                                     {QStringLiteral("version"), 1}});
    ASSERT_EQ(api.status, 422) << api.body.toStdString();
    const QString reason = messageOf(api, QStringLiteral("parentId"));
    ASSERT_FALSE(reason.isEmpty()) << api.body.toStdString();
    // The parent by its name as the officer knows it, not by its id.
    EXPECT_TRUE(reason.contains(QStringLiteral("甲支部"))) << reason.toStdString();
    EXPECT_FALSE(reason.contains(QString::number(a))) << reason.toStdString();
    // And the import, for the same row.
    auto imported = import(both, "orgs",
                           csv({kOrgHeader,
                                {QStringLiteral("B02"), QStringLiteral("乙党委第一支部"), QString(), QStringLiteral("党支部"),
                                 QStringLiteral("A01"), QStringLiteral("2010-07-01")}}));
    EXPECT_EQ(errorsOf(imported), QStringLiteral("2|上级党组织|%1").arg(reason).toStdString());
    EXPECT_EQ(units(), before);
    EXPECT_EQ(both.get("/api/v1/party.daily/orgs/" + QByteArray::number(c)).status, 200);

    // Under its own branch: the committee and the branch both by their paths, with no id.
    auto cycle = both.send("PUT", "/api/v1/party.daily/orgs/" + QByteArray::number(b),
                           QJsonObject{{QStringLiteral("fullName"), QStringLiteral("乙党委")},
                                       {QStringLiteral("orgType"), QStringLiteral("committee")},
                                       {QStringLiteral("code"), QStringLiteral("B01")},
                                       {QStringLiteral("setupDate"), QStringLiteral("2010-07-01")},
                                       {QStringLiteral("parentId"), c},
                                       {QStringLiteral("version"), 1}});
    ASSERT_EQ(cycle.status, 422) << cycle.body.toStdString();
    const QString inside = messageOf(cycle, QStringLiteral("parentId"));
    EXPECT_TRUE(inside.contains(QStringLiteral("\"乙党委\"")) && inside.contains(QStringLiteral("\"乙党委/乙党委第一支部\"")))
        << inside.toStdString();
    EXPECT_FALSE(inside.contains(QStringLiteral("(%1)").arg(b)) || inside.contains(QStringLiteral("(%1)").arg(c))) << inside.toStdString();
    EXPECT_EQ(units(), before);
}

TEST_F(Scoped, MemberCountsCountTheMembersTheListShowsForTheSameQuery) {
    const qint64 a = createOrg(QStringLiteral("甲支部"), root, QStringLiteral("A01"));
    const qint64 b = createOrg(QStringLiteral("乙支部"), root, QStringLiteral("B01"));
    create("members", member(QStringLiteral("张三"), a, QStringLiteral("19800101")));
    QJsonObject li = member(QStringLiteral("李四"), a, QStringLiteral("19850202"), QStringLiteral("124"));
    li.insert(QStringLiteral("category"), QStringLiteral("probationary"));
    li.insert(QStringLiteral("joinDate"), QStringLiteral("2025-07-01"));
    li.remove(QStringLiteral("fullDate"));
    create("members", li);
    create("members", member(QStringLiteral("王五"), b, QStringLiteral("19860303")));
    QJsonObject left = member(QStringLiteral("赵六"), b, QStringLiteral("19600404"));
    left.insert(QStringLiteral("leftDate"), QStringLiteral("2020-01-01"));
    left.insert(QStringLiteral("leftReason"), QStringLiteral("died"));
    create("members", left);

    const QList<QByteArray> queries{"q=" + QUrl::toPercentEncoding(QStringLiteral("张三")),
                                    "q=19850202",
                                    "category=probationary",
                                    "gender=2",
                                    "unit=" + QByteArray::number(a),
                                    "unit=" + QByteArray::number(b) + "&roll=all",
                                    "roll=former",
                                    "joinDateFrom=2020-01-01",
                                    "education=21&ethnicity=01"};
    for (const QByteArray& query : queries) {
        const qint64 listed = admin->get("/api/v1/party.daily/members?" + query).json().value(QStringLiteral("total")).toInteger();
        for (const char* dimension : {"category", "gender", "age", "education", "ethnicity"}) {
            auto counts = admin->get("/api/v1/party.daily/members/counts/" + QByteArray(dimension) + "?" + query);
            ASSERT_EQ(counts.status, 200) << query.toStdString() << ": " << counts.body.toStdString();
            EXPECT_EQ(counts.json().value(QStringLiteral("total")).toInteger(), listed) << dimension << "?" << query.toStdString();
        }
    }
    EXPECT_EQ(admin->get("/api/v1/party.daily/members/counts/category?q=" + QUrl::toPercentEncoding(QStringLiteral("张三")))
                  .json()
                  .value(QStringLiteral("total"))
                  .toInteger(),
              1);

    // What the list refuses, counts refuse; and what only pages a list is no
    // filter of counts.
    for (const QByteArray& bad :
         {QByteArray("unitId=1"), QByteArray("category=x"), QByteArray("roll=some"), QByteArray("page=2"), QByteArray("size=5")}) {
        auto refused = admin->get("/api/v1/party.daily/members/counts/gender?" + bad);
        EXPECT_EQ(refused.status, 422) << bad.toStdString() << ": " << refused.body.toStdString();
        EXPECT_TRUE(refused.body.contains(bad.left(bad.indexOf('=')))) << refused.body.toStdString();
    }
}

TEST_F(Scoped, AnIdInAPathIsReadStrictlySoOnlyARecordsOwnIdNamesIt) {
    const qint64 a = createOrg(QStringLiteral("甲支部"), root, QStringLiteral("A01"));
    const qint64 m = create("members", member(QStringLiteral("张三"), a, QStringLiteral("19800101")));
    const qint64 p = create("applicants", QJsonObject{{QStringLiteral("name"), QStringLiteral("王五")},
                                                      {QStringLiteral("idNumber"), idNumber(QStringLiteral("20000101"))},
                                                      {QStringLiteral("applicationDate"), QStringLiteral("2024-03-01")},
                                                      {QStringLiteral("unitId"), a}});
    for (const auto& [resource, id] :
         {std::pair{QByteArray("members/"), m}, std::pair{QByteArray("applicants/"), p}, std::pair{QByteArray("orgs/"), a}}) {
        const QByteArray good = QByteArray::number(id);
        ASSERT_EQ(admin->get("/api/v1/party.daily/" + resource + good).status, 200);
        for (const QByteArray& bad : {"%2B" + good, "0" + good, "%20" + good, good + "%20", good + ".0", "+" + good}) {
            const QByteArray target = "/api/v1/party.daily/" + resource + bad;
            EXPECT_EQ(admin->get(target).status, 404) << target.toStdString();
            EXPECT_EQ(admin->send("PUT", target, QJsonObject{{QStringLiteral("version"), 1}}).status, 404) << target.toStdString();
            EXPECT_EQ(admin->request("DELETE", target).status, 404) << target.toStdString();
        }
        ASSERT_EQ(admin->get("/api/v1/party.daily/" + resource + good).status, 200) << "nothing was deleted";
    }
}

TEST_F(Scoped, AUnitFilterOrACursorNamesARecordOnlyByItsOwnId) {
    const qint64 a = createOrg(QStringLiteral("甲支部"), root, QStringLiteral("A01"));
    create("members", member(QStringLiteral("张三"), a, QStringLiteral("19800101")));
    // The unit a list, its counts and its export are narrowed to is an id like a
    // path's.
    const QByteArray unit = QByteArray::number(a);
    for (const QByteArray& bad : {"%2B" + unit, "0" + unit, "%20" + unit, unit + ".0"})
        for (const QByteArray& target : {"/api/v1/party.daily/members?unit=" + bad, "/api/v1/party.daily/orgs?unit=" + bad,
                                         "/api/v1/party.daily/members/counts/gender?unit=" + bad})
            EXPECT_EQ(admin->get(target).status, 422) << target.toStdString();
    EXPECT_EQ(admin->request("POST", "/api/v1/party.daily/members/export?unit=0" + unit).status, 422);
    // A cursor names a row by its id: one altered to "+id" is not a cursor this
    // list gave.
    create("members", member(QStringLiteral("李四"), a, QStringLiteral("19810101")));
    const QString next = admin->get("/api/v1/party.daily/members?size=1").json().value(QStringLiteral("next")).toString();
    ASSERT_FALSE(next.isEmpty());
    QByteArray raw = QByteArray::fromBase64(next.toLatin1(), QByteArray::Base64UrlEncoding);
    raw.insert(raw.indexOf('.') + 1, '+');
    const QByteArray forged = raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    EXPECT_EQ(admin->get("/api/v1/party.daily/members?size=1&cursor=" + next.toLatin1()).status, 200);
    EXPECT_EQ(admin->get("/api/v1/party.daily/members?size=1&cursor=" + forged).status, 422);
}

TEST_F(Scoped, ARecordIdIsNeverUsedAgainAfterADelete) {
    const qint64 a = createOrg(QStringLiteral("甲支部"), root, QStringLiteral("A01"));
    const qint64 first = create("members", member(QStringLiteral("张三"), a, QStringLiteral("19800101")));
    ASSERT_EQ(admin->request("DELETE", "/api/v1/party.daily/members/" + QByteArray::number(first)).status, 204);
    const qint64 second = create("members", member(QStringLiteral("李四"), a, QStringLiteral("19810101")));
    EXPECT_GT(second, first);
    EXPECT_EQ(admin->get("/api/v1/party.daily/members/" + QByteArray::number(first)).status, 404);

    auto applicant = [&](const QString& name, const QString& birth) {
        return QJsonObject{{QStringLiteral("name"), name},
                           {QStringLiteral("idNumber"), idNumber(birth)},
                           {QStringLiteral("applicationDate"), QStringLiteral("2024-03-01")},
                           {QStringLiteral("unitId"), a}};
    };
    const qint64 applied = create("applicants", applicant(QStringLiteral("王五"), QStringLiteral("20000101")));
    ASSERT_EQ(admin->request("DELETE", "/api/v1/party.daily/applicants/" + QByteArray::number(applied)).status, 204);
    EXPECT_GT(create("applicants", applicant(QStringLiteral("赵六"), QStringLiteral("20010101"))), applied);
}

// An upgrade from a database made before ids were kept: a party.daily without
// migrations 0005 and 0006 makes and deletes records, then the current one migrates it.
// (The old tables keep the pinyin key in name_key; 0006 renames it to the engine's
// name_sort, so the sort keys are compared apart from the rest.)
TEST(PartyDailyUpgrade, KeepsEveryRecordAndIndexAndNeverReusesAnIdDeletedBeforeIt) {
    TempDir dir;
    const QString builtDaily = builtPluginDir() + QStringLiteral("/party.daily");
    const QString oldDaily = dir.path() + QStringLiteral("/old-plugins/party.daily");
    QDirIterator files(builtDaily, QDir::Files, QDirIterator::Subdirectories);
    while (files.hasNext()) {
        const QString from = files.next();
        const QString relative = QDir(builtDaily).relativeFilePath(from);
        if (relative.startsWith(QStringLiteral("migrations/0005")) || relative.startsWith(QStringLiteral("migrations/0006")) ||
            relative.startsWith(QStringLiteral("migrations/0007")) || relative.startsWith(QStringLiteral("migrations/0008")))
            continue;
        ASSERT_TRUE(QDir().mkpath(QFileInfo(oldDaily + QLatin1Char('/') + relative).path()));
        ASSERT_TRUE(QFile::copy(from, oldDaily + QLatin1Char('/') + relative)) << relative.toStdString();
    }
    // Before 0007 the plugin served the organisation card itself: the host does not.
    {
        QFile manifest(oldDaily + QStringLiteral("/manifest.xml"));
        ASSERT_TRUE(manifest.open(QIODevice::ReadOnly));
        QString text = QString::fromUtf8(manifest.readAll());
        manifest.close();
        const qsizetype at = text.indexOf(QStringLiteral("<card id=\"org\""));
        ASSERT_GE(at, 0);
        text.replace(at, text.indexOf(u'>', at) - at + 1, QStringLiteral("<card id=\"org\" resource=\"orgs\">"));
        ASSERT_TRUE(manifest.open(QIODevice::WriteOnly | QIODevice::Truncate));
        manifest.write(text.toUtf8());
    }
    const std::vector<EnablePlugin> daily{{QStringLiteral("party.daily"), {}}};
    const QString config = dir.write(QStringLiteral("deployment.xml"),
                                     RunningHost::deploymentXml({dir.path() + QStringLiteral("/old-plugins")}, daily).toUtf8());
    auto schema = [](RunningHost& h) {
        QString out;
        auto rows =
            h.app().store().query(QStringLiteral("SELECT name, sql FROM sqlite_master "
                                                 "WHERE tbl_name IN ('party_members', 'party_applicants') AND type <> "
                                                 "'table' ORDER BY name"));
        EXPECT_TRUE(rows);
        if (!rows) return out;
        for (const auto& row : *rows)  // an index on the pinyin key is on the engine's name_sort after the upgrade
            if (!row.value(QStringLiteral("name")).toString().endsWith(QStringLiteral("_sort")))
                out += row.value(QStringLiteral("name")).toString() + QLatin1Char(':') +
                       row.value(QStringLiteral("sql")).toString().replace(QStringLiteral("name_key"), QStringLiteral("name_sort")) + QLatin1Char('\n');
        return out;
    };
    auto records = [](RunningHost& h) {
        QString out;
        for (const char* sql : {"SELECT * FROM party_members ORDER BY id", "SELECT * FROM party_applicants ORDER BY id"}) {
            auto rows = h.app().store().query(QLatin1String(sql));
            EXPECT_TRUE(rows);
            if (!rows) continue;
            for (const auto& row : *rows)
                for (auto it = row.begin(); it != row.end(); ++it)
                    if (it.key() != u"name_key" && it.key() != u"name_sort" && it.key() != u"probation_ends")  // 0008 fills it: below
                        out += it.key() + QLatin1Char('=') + it.value().toString() + QLatin1Char(';');
        }
        return out;
    };
    // Each record's pinyin key, as the old tables had it and as the engine reads it after.
    auto sortKeys = [](RunningHost& h, const QString& column) {
        QString out;
        for (const char* table : {"party_members", "party_applicants"}) {
            auto rows = h.app().store().query(QStringLiteral("SELECT id, %1 AS k FROM %2 ORDER BY id").arg(column, QLatin1String(table)));
            EXPECT_TRUE(rows) << column.toStdString();
            if (!rows) continue;
            for (const auto& row : *rows) out += row.value(QStringLiteral("id")).toString() + u'=' + QString::fromLatin1(row.value(QStringLiteral("k")).toByteArray().toHex()) + u';';
        }
        return out;
    };
    QString indexesBefore, rowsBefore, keysBefore;
    qint64 unit = 0, deletedMember = 0, deletedApplicant = 0;
    {
        RunningHost old(config);
        HttpClient admin = old.client();
        const qint64 root = old.app().units().ensureRoot(QStringLiteral("t"))->id;
        // Written as the old party.daily wrote them (its tables keep the pinyin key in
        // name_key, which the current one, running here, no longer writes; an organisation
        // card is keyed by its unit, a missing code is NULL, no rows '[]'); the store audits
        // them as it audits every write.
        auto& db = old.app().store();
        const QString now = QStringLiteral("2026-01-01T00:00:00.000Z");
        for (const auto& [name, code] : {std::pair{"甲支部", "A01"}, std::pair{"乙支部", ""}}) {
            auto made = old.app().units().create(root, QString::fromUtf8(name), QString::fromUtf8(code));
            ASSERT_TRUE(made) << made.error().message.toStdString();
            unit = unit ? unit : made->id;
            auto w = db.execute(QStringLiteral("INSERT INTO party_orgs(unit_id, full_name, code, org_type, setup_date, unit_info, awards, name_key, "
                                               "created_at, updated_at) VALUES (?1, ?2, ?3, 'branch', '2001-07-01', '[]', ?4, ?5, ?6, ?6)"),
                                {made->id, QString::fromUtf8(name), *code ? QVariant(QString::fromUtf8(code)) : QVariant(),
                                 *code ? QStringLiteral("[{\"date\":\"2010-07-01\",\"title\":\"先进基层党组织\"}]") : QStringLiteral("[]"),
                                 QByteArray(*code ? "jia zhi bu" : "yi zhi bu"), now});
            ASSERT_TRUE(w) << w.error().message.toStdString();
        }
        qint64 last = 0;
        for (const char* birth : {"19800101", "19810101", "19820101"}) {
            auto w = db.execute(QStringLiteral("INSERT INTO party_members(unit_id, name, name_key, id_number, gender, birth_date, ethnicity, "
                                               "education, category, join_date, full_date, created_at, updated_at) "
                                               "VALUES (?1, '某人', ?2, ?3, '1', ?4, '01', '21', 'formal', '2005-07-01', '2006-07-01', ?5, ?5)"),
                                {unit, QByteArray("mou ren"), idNumber(QLatin1String(birth)),
                                 QDate::fromString(QLatin1String(birth), QStringLiteral("yyyyMMdd")).toString(Qt::ISODate), now});
            ASSERT_TRUE(w) << w.error().message.toStdString();
            last = w->lastInsertId;
        }
        deletedMember = last;
        // Probationary members, one of them joined on 02-29: their probation ends a year on (the 28th).
        for (const auto& [birth, joined] : {std::pair{"19900101", "2024-02-29"}, std::pair{"19910101", "2025-07-01"}}) {
            auto w =
                db.execute(QStringLiteral("INSERT INTO party_members(unit_id, name, name_key, id_number, gender, birth_date, ethnicity, "
                                          "education, category, join_date, created_at, updated_at) "
                                          "VALUES (?1, '预备', ?2, ?3, '1', ?4, '01', '21', 'probationary', ?5, ?6, ?6)"),
                           {unit, QByteArray("yu bei"), idNumber(QLatin1String(birth)),
                            QDate::fromString(QLatin1String(birth), QStringLiteral("yyyyMMdd")).toString(Qt::ISODate),
                            QString::fromLatin1(joined), now});
            ASSERT_TRUE(w) << w.error().message.toStdString();
        }
        ASSERT_TRUE(db.execute(QStringLiteral("DELETE FROM party_members WHERE id = ?1"), {deletedMember}));
        auto applied = db.execute(QStringLiteral("INSERT INTO party_applicants(unit_id, name, name_key, id_number, birth_date, application_date, "
                                                 "created_at, updated_at) VALUES (?1, '申请人', ?2, ?3, '2000-01-01', '2024-03-01', ?4, ?4)"),
                                  {unit, QByteArray("shen qing ren"), idNumber(QStringLiteral("20000101")), now});
        ASSERT_TRUE(applied) << applied.error().message.toStdString();
        deletedApplicant = applied->lastInsertId;
        ASSERT_TRUE(db.execute(QStringLiteral("DELETE FROM party_applicants WHERE id = ?1"), {deletedApplicant}));
        indexesBefore = schema(old);
        rowsBefore = records(old);
        keysBefore = sortKeys(old, QStringLiteral("name_key"));
    }
    dir.write(QStringLiteral("deployment.xml"), RunningHost::deploymentXml({builtPluginDir()}, daily).toUtf8());
    RunningHost upgraded(config);
    const auto* spec = upgraded.app().runtime().plugin(QStringLiteral("party.daily"));
    ASSERT_EQ(spec->state, tessera::host::PluginState::Started) << spec->reason.toStdString();
    EXPECT_EQ(records(upgraded), rowsBefore);
    auto ends =
        upgraded.app().store().query(QStringLiteral("SELECT category, coalesce(probation_ends, '-') AS e FROM party_members ORDER BY id"));
    ASSERT_TRUE(ends);
    QStringList probationEnds;
    for (const auto& row : *ends) probationEnds << row.value(QStringLiteral("e")).toString();
    EXPECT_EQ(probationEnds,
              (QStringList{QStringLiteral("-"), QStringLiteral("-"), QStringLiteral("2025-02-28"), QStringLiteral("2026-07-01")}))
        << "full members' ends are not known; probationary members' are a year from joining";
    EXPECT_EQ(sortKeys(upgraded, QStringLiteral("name_sort")), keysBefore);
    EXPECT_EQ(schema(upgraded), indexesBefore);
    EXPECT_FALSE(indexesBefore.isEmpty());
    HttpClient admin = upgraded.client();
    auto again = admin.send("POST", "/api/v1/party.daily/members",
                            QJsonObject{{QStringLiteral("name"), QStringLiteral("新人")},
                                        {QStringLiteral("idNumber"), idNumber(QStringLiteral("19830101"))},
                                        {QStringLiteral("unitId"), unit},
                                        {QStringLiteral("ethnicity"), QStringLiteral("01")},
                                        {QStringLiteral("education"), QStringLiteral("21")},
                                        {QStringLiteral("category"), QStringLiteral("formal")},
                                        {QStringLiteral("joinDate"), QStringLiteral("2005-07-01")},
                                        {QStringLiteral("fullDate"), QStringLiteral("2006-07-01")}});
    ASSERT_EQ(again.status, 201) << again.body.toStdString();
    EXPECT_GT(again.json().value(QStringLiteral("id")).toInteger(), deletedMember) << "the id deleted before the upgrade stays unused";
    auto applicantAgain = admin.send("POST", "/api/v1/party.daily/applicants",
                                     QJsonObject{{QStringLiteral("name"), QStringLiteral("申请人")},
                                                 {QStringLiteral("idNumber"), idNumber(QStringLiteral("20010101"))},
                                                 {QStringLiteral("applicationDate"), QStringLiteral("2024-03-01")},
                                                 {QStringLiteral("unitId"), unit}});
    ASSERT_EQ(applicantAgain.status, 201) << applicantAgain.body.toStdString();
    EXPECT_GT(applicantAgain.json().value(QStringLiteral("id")).toInteger(), deletedApplicant);
    // The organisation cards, now the engine's: the same records under their units' ids, in
    // pinyin order, an empty code and no rows as the engine keeps them.
    auto orgs = admin.get("/api/v1/party.daily/orgs").json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(orgs.size(), 2);
    const QJsonObject jia = orgs[0].toObject(), yi = orgs[1].toObject();
    EXPECT_EQ(jia.value(QStringLiteral("id")).toInteger(), unit);
    EXPECT_EQ(jia.value(QStringLiteral("fullName")).toString(), QStringLiteral("甲支部"));
    EXPECT_EQ(jia.value(QStringLiteral("code")).toString(), QStringLiteral("A01"));
    EXPECT_EQ(jia.value(QStringLiteral("awards")).toArray().size(), 1);
    EXPECT_EQ(jia.value(QStringLiteral("setupDate")).toString(), QStringLiteral("2001-07-01"));
    EXPECT_EQ(jia.value(QStringLiteral("parentId")).toInteger(), upgraded.app().units().get(unit)->parentId);
    EXPECT_EQ(yi.value(QStringLiteral("code")).toString(), QString());
    EXPECT_EQ(yi.value(QStringLiteral("awards")).toArray().size(), 0);
    // Saved again, it renames its unit; a second organisation without a code is no clash.
    QJsonObject renamed = yi;
    renamed.insert(QStringLiteral("shortName"), QStringLiteral("乙"));
    auto put = admin.send("PUT", "/api/v1/party.daily/orgs/" + QByteArray::number(yi.value(QStringLiteral("id")).toInteger()), renamed);
    ASSERT_EQ(put.status, 200) << put.body.toStdString();
    EXPECT_EQ(upgraded.app().units().get(yi.value(QStringLiteral("id")).toInteger())->name, QStringLiteral("乙"));
}

TEST_F(Scoped, ADeleteWithIfMatchChecksTheVersionWhereTheDeleteIsWritten) {
    const qint64 a = createOrg(QStringLiteral("甲支部"), root, QStringLiteral("A01"));
    const qint64 m = create("members", member(QStringLiteral("张三"), a, QStringLiteral("19800101")));
    for (const auto& record : {std::tuple{QByteArray("orgs/"), QStringLiteral("party_orgs"), QStringLiteral("unit_id"), a},
                               std::tuple{QByteArray("members/"), QStringLiteral("party_members"), QStringLiteral("id"), m}}) {
        const QByteArray path = std::get<0>(record);
        const QString table = std::get<1>(record), key = std::get<2>(record);
        const qint64 id = std::get<3>(record);
        // While the test holds the write lock, a DELETE of version 1 arrives and
        // waits for it; meanwhile the record becomes version 2. The delete must see
        // version 2.
        HttpReply reply;
        std::thread deleting;
        auto held = host->app().store().transaction([&]() -> tessera::Status {
            deleting = std::thread([&] {
                HttpClient c(host->port());
                c.setDefaultHeader("Authorization", "Bearer " + host->adminToken());
                reply = c.request("DELETE", "/api/v1/party.daily/" + path + QByteArray::number(id), {}, {{"If-Match", "\"1\""}});
            });
            std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the request is in, waiting for the lock
            auto w = host->app().store().execute(QStringLiteral("UPDATE %1 SET version = 2 WHERE %2 = ?1").arg(table, key), {id});
            if (!w) return w.error();
            return {};
        });
        deleting.join();
        ASSERT_TRUE(held) << held.error().message.toStdString();
        EXPECT_EQ(reply.status, 412) << path.toStdString() << reply.body.toStdString();
        EXPECT_EQ(admin->get("/api/v1/party.daily/" + path + QByteArray::number(id)).status, 200) << "version 2 is still there";
    }
}
