// party.daily imports over real HTTP: upload a CSV or xlsx file, start the import job, read
// its report. All or nothing, dry runs, re-imports that change nothing, bad rows reported
// with row, column and reason while the database stays as it was.

#include "daily_test_support.hpp"
#include "services/table_files.hpp"
#include "test_support.hpp"

#include <QFile>
#include <QJsonArray>
#include <QStringEncoder>
#include <QUrl>

#include <gtest/gtest.h>

using namespace tessera::test;
using party::daily::test::csv;
using party::daily::test::idNumber;

namespace {

const QStringList kOrgHeader{QStringLiteral("党组织代码"), QStringLiteral("党组织全称"), QStringLiteral("简称"), QStringLiteral("党组织类别"),
                             QStringLiteral("上级党组织"), QStringLiteral("建立日期")};
const QStringList kMemberHeader{QStringLiteral("姓名"),     QStringLiteral("公民身份号码"), QStringLiteral("民族"),
                                QStringLiteral("学历"),     QStringLiteral("所在党组织"),   QStringLiteral("人员类别"),
                                QStringLiteral("入党日期"), QStringLiteral("转正日期"),     QStringLiteral("手机")};

class Import : public party::daily::test::PartyDailyHost {
protected:

    QString upload(const QByteArray& bytes, const QString& name, HttpClient* client = nullptr) {
        auto r = (client ? client : admin.get())->request("POST", "/api/v1/files?name=" + QUrl::toPercentEncoding(name), bytes);
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toString();
    }
    // Uploads `bytes`, imports them into `what` (members or orgs) and returns the finished job.
    QJsonObject import(const QByteArray& what, const QByteArray& bytes, bool dryRun = false, const QString& name = QStringLiteral("data.csv"),
                       HttpClient* client = nullptr) {
        HttpClient& c = client ? *client : *admin;
        const QString file = upload(bytes, name, &c);
        auto r = c.send("POST", "/api/v1/party.daily/" + what + "/import",
                        QJsonObject{{QStringLiteral("file"), file}, {QStringLiteral("dryRun"), dryRun}});
        EXPECT_EQ(r.status, 202) << r.body.toStdString();
        auto job = waitForJob(c, r.json().value(QStringLiteral("href")).toString().toUtf8());
        EXPECT_EQ(job.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded")) << QJsonDocument(job).toJson().toStdString();
        return job;
    }
    static QJsonObject result(const QJsonObject& job) { return job.value(QStringLiteral("result")).toObject(); }
    static QStringList errorsOf(const QJsonObject& job) {
        QStringList out;
        for (const auto& e : result(job).value(QStringLiteral("errors")).toArray()) {
            const QJsonObject o = e.toObject();
            out << QStringLiteral("%1|%2|%3").arg(o.value(QStringLiteral("row")).toInteger()).arg(o.value(QStringLiteral("column")).toString(),
                                                                                                  o.value(QStringLiteral("reason")).toString());
        }
        return out;
    }
    qint64 count(const QString& table) {
        return host->app().store().queryOne(QStringLiteral("SELECT count(*) AS n FROM ") + table)->value(QStringLiteral("n")).toLongLong();
    }
    // Every stored member as text, to compare the database before and after.
    QString snapshot() {
        QString out;
        for (const char* sql : {"SELECT * FROM party_members ORDER BY id", "SELECT * FROM party_orgs ORDER BY id",
                                "SELECT id, parent_id, name, code FROM core_units ORDER BY id"}) {
            auto rows = host->app().store().query(QLatin1String(sql));
            EXPECT_TRUE(rows);
            if (!rows) continue;
            for (const auto& row : *rows)
                for (auto it = row.begin(); it != row.end(); ++it) out += it.key() + QLatin1Char('=') + it.value().toString() + QLatin1Char(';');
        }
        return out;
    }
    QByteArray orgFile() {
        return csv({kOrgHeader,
                    {QStringLiteral("P01"), QStringLiteral("中共某市委员会"), QStringLiteral("市委"), QStringLiteral("党委"), QString(), QStringLiteral("1950/10/1")},
                    {QStringLiteral("P02"), QStringLiteral("中共某市机关第一支部委员会"), QStringLiteral("第一支部"), QStringLiteral("党支部"),
                     QStringLiteral("P01"), QStringLiteral("1990-07-01")},
                    {QStringLiteral("P03"), QStringLiteral("中共某市机关第二支部委员会"), QString(), QStringLiteral("branch"),
                     QStringLiteral("中共某市委员会"), QStringLiteral("19910701")}});
    }
    QByteArray memberFile() {
        return csv({kMemberHeader,
                    {QStringLiteral("张伟"), idNumber(QStringLiteral("19800101"), QStringLiteral("123")), QStringLiteral("汉族"),
                     QStringLiteral("大学本科"), QStringLiteral("P02"), QStringLiteral("正式党员"), QStringLiteral("2005-07-01"),
                     QStringLiteral("2006-07-01"), QStringLiteral("+8613800000001")},  // a CSV export guards the +
                    // A legacy 15-digit number, a former ethnicity name, codes instead of labels.
                    {QStringLiteral("岩温"), QStringLiteral("110105750315121"), QStringLiteral("崩龙族"), QStringLiteral("21"),
                     QStringLiteral("中共某市机关第二支部委员会"), QStringLiteral("formal"), QStringLiteral("2000-07-01"),
                     QStringLiteral("2001-07-01"), QString()},
                    {QStringLiteral("覃丽"), idNumber(QStringLiteral("19900505"), QStringLiteral("142")), QStringLiteral("毛难族"),
                     QStringLiteral("31"), QStringLiteral("P03"), QStringLiteral("预备党员"), QStringLiteral("2026-01-05"), QString(), QString()}});
    }

};

}  // namespace

TEST_F(Import, OrganisationsThenMembersAreImportedAndReimportingChangesNothing) {
    auto orgs = import("orgs", orgFile());
    EXPECT_EQ(result(orgs).value(QStringLiteral("created")).toInt(), 3) << QJsonDocument(orgs).toJson().toStdString();
    EXPECT_TRUE(result(orgs).value(QStringLiteral("committed")).toBool());
    auto tree = admin->get("/api/v1/party.daily/orgs?q=P02").json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(tree.size(), 1);
    const QJsonObject branch = tree.first().toObject();
    EXPECT_EQ(branch.value(QStringLiteral("orgType")).toString(), QStringLiteral("branch"));
    const qint64 top = admin->get("/api/v1/party.daily/orgs?q=P01").json().value(QStringLiteral("items")).toArray().first().toObject()
                           .value(QStringLiteral("id")).toInteger();
    EXPECT_EQ(branch.value(QStringLiteral("parentId")).toInteger(), top);
    EXPECT_EQ(admin->get("/api/v1/units/" + QByteArray::number(top)).json().value(QStringLiteral("parentId")).toInteger(), root)
        << "an organisation without a parent goes under the importer's own unit";

    auto members = import("members", memberFile());
    const QJsonObject m = result(members);
    EXPECT_EQ(m.value(QStringLiteral("rows")).toInt(), 3);
    EXPECT_EQ(m.value(QStringLiteral("created")).toInt(), 3) << QJsonDocument(members).toJson().toStdString();
    EXPECT_EQ(m.value(QStringLiteral("errorCount")).toInt(), 0);
    auto listed = admin->get("/api/v1/party.daily/members?q=" + QUrl::toPercentEncoding(QStringLiteral("岩温"))).json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(listed.size(), 1);
    auto card = admin->get("/api/v1/party.daily/members/" + QByteArray::number(listed.first().toObject().value(QStringLiteral("id")).toInteger())).json();
    EXPECT_EQ(card.value(QStringLiteral("idNumber")).toString(), QStringLiteral("11010519750315121") + party::daily::citizenIdCheckDigit(QStringLiteral("11010519750315121")))
        << "the 15-digit number is stored upgraded";
    EXPECT_EQ(card.value(QStringLiteral("ethnicity")).toString(), QStringLiteral("46")) << "崩龙族 is 德昂族 now";
    EXPECT_EQ(card.value(QStringLiteral("birthDate")).toString(), QStringLiteral("1975-03-15"));
    EXPECT_EQ(card.value(QStringLiteral("gender")).toString(), QStringLiteral("1"));
    auto qin = admin->get("/api/v1/party.daily/members?q=" + QUrl::toPercentEncoding(QStringLiteral("覃丽"))).json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(qin.size(), 1);
    EXPECT_EQ(admin->get("/api/v1/party.daily/members/" + QByteArray::number(qin.first().toObject().value(QStringLiteral("id")).toInteger()))
                  .json().value(QStringLiteral("ethnicity")).toString(), QStringLiteral("36")) << "毛难族 is 毛南族 now";

    // The same files again: nothing changes, not even a version.
    const QString before = snapshot();
    auto again = result(import("members", memberFile()));
    EXPECT_EQ(again.value(QStringLiteral("created")).toInt(), 0);
    EXPECT_EQ(again.value(QStringLiteral("updated")).toInt(), 0);
    EXPECT_EQ(again.value(QStringLiteral("unchanged")).toInt(), 3);
    auto orgsAgain = result(import("orgs", orgFile()));
    EXPECT_EQ(orgsAgain.value(QStringLiteral("unchanged")).toInt(), 3) << QJsonDocument(orgsAgain).toJson().toStdString();
    EXPECT_EQ(snapshot(), before);

    // A changed cell updates that member only, and only that column.
    QByteArray changed = memberFile();
    changed.replace("13800000001", "13900000009");
    auto update = result(import("members", changed));
    EXPECT_EQ(update.value(QStringLiteral("updated")).toInt(), 1);
    EXPECT_EQ(update.value(QStringLiteral("unchanged")).toInt(), 2);
    auto zhang = admin->get("/api/v1/party.daily/members?q=" + QUrl::toPercentEncoding(QStringLiteral("张伟"))).json().value(QStringLiteral("items")).toArray();
    auto zhangCard = admin->get("/api/v1/party.daily/members/" + QByteArray::number(zhang.first().toObject().value(QStringLiteral("id")).toInteger())).json();
    EXPECT_EQ(zhangCard.value(QStringLiteral("mobile")).toString(), QStringLiteral("+8613900000009"));
    EXPECT_EQ(zhangCard.value(QStringLiteral("version")).toInt(), 2);
}

TEST_F(Import, AnOrganisationImportMovesAndRenamesUnitsAndNamesOnlyParentsAboveIt) {
    ASSERT_TRUE(result(import("orgs", orgFile())).value(QStringLiteral("committed")).toBool());
    auto unitOf = [&](const QString& code) {
        return host->app().store().queryOne(QStringLiteral("SELECT u.id, u.parent_id, u.name FROM core_units u JOIN party_orgs o ON o.id = u.id "
                                                           "WHERE o.code = ?1"),
                                            {code}).value();
    };
    const QString before = snapshot();
    // A parent named on a row below its child is not there yet: the child's row says so, and
    // nothing of the file is kept.
    auto early = import("orgs", csv({kOrgHeader,
                                     {QStringLiteral("P05"), QStringLiteral("中共某市机关第三支部委员会"), QString(), QStringLiteral("党支部"),
                                      QStringLiteral("P06"), QStringLiteral("1992-07-01")},
                                     {QStringLiteral("P06"), QStringLiteral("中共某市机关工委"), QString(), QStringLiteral("党委"), QStringLiteral("P01"),
                                      QStringLiteral("1992-01-01")}}));
    EXPECT_EQ(errorsOf(early), QStringList{QStringLiteral("2|上级党组织|there is no unit 'P06' you may add Party organisation card to")});
    EXPECT_EQ(snapshot(), before);
    // P03 moves under P02 and is renamed by its short name; a new P06 goes under P01 and a new
    // P05 under it, named on the row before.
    auto moved = import("orgs", csv({kOrgHeader,
                                     {QStringLiteral("P03"), QStringLiteral("中共某市机关第二支部委员会"), QStringLiteral("二支部"), QStringLiteral("党支部"),
                                      QStringLiteral("P02"), QStringLiteral("1991-07-01")},
                                     {QStringLiteral("P06"), QStringLiteral("中共某市机关工委"), QString(), QStringLiteral("党委"), QStringLiteral("P01"),
                                      QStringLiteral("1992-01-01")},
                                     {QStringLiteral("P05"), QStringLiteral("中共某市机关第三支部委员会"), QString(), QStringLiteral("党支部"),
                                      QStringLiteral("中共某市机关工委"), QStringLiteral("1992-07-01")}}));
    EXPECT_EQ(errorsOf(moved), QStringList());
    EXPECT_EQ(result(moved).value(QStringLiteral("created")).toInt(), 2);
    EXPECT_EQ(result(moved).value(QStringLiteral("updated")).toInt(), 1);
    const auto p03 = unitOf(QStringLiteral("P03"));
    EXPECT_EQ(p03.value(QStringLiteral("parent_id")).toLongLong(), unitOf(QStringLiteral("P02")).value(QStringLiteral("id")).toLongLong());
    EXPECT_EQ(p03.value(QStringLiteral("name")).toString(), QStringLiteral("二支部"));
    EXPECT_EQ(unitOf(QStringLiteral("P05")).value(QStringLiteral("parent_id")).toLongLong(), unitOf(QStringLiteral("P06")).value(QStringLiteral("id")).toLongLong());
    // The same file again changes nothing.
    const QString after = snapshot();
    auto again = import("orgs", csv({kOrgHeader,
                                     {QStringLiteral("P03"), QStringLiteral("中共某市机关第二支部委员会"), QStringLiteral("二支部"), QStringLiteral("党支部"),
                                      QStringLiteral("P02"), QStringLiteral("1991-07-01")}}));
    EXPECT_EQ(result(again).value(QStringLiteral("unchanged")).toInt(), 1) << QJsonDocument(again).toJson().toStdString();
    EXPECT_EQ(snapshot(), after);
}

TEST_F(Import, ADryRunReportsWhatWouldHappenAndWritesNothing) {
    ASSERT_TRUE(result(import("orgs", orgFile())).value(QStringLiteral("committed")).toBool());
    const QString before = snapshot();
    auto dry = result(import("members", memberFile(), true));
    EXPECT_TRUE(dry.value(QStringLiteral("dryRun")).toBool());
    EXPECT_FALSE(dry.value(QStringLiteral("committed")).toBool());
    EXPECT_EQ(dry.value(QStringLiteral("created")).toInt(), 3);
    EXPECT_EQ(snapshot(), before);
    EXPECT_EQ(count(QStringLiteral("party_members")), 0);
}

namespace {

// Each of `errors` (row|column|reason) starts as the one expected.
void expectReported(const QStringList& errors, const QStringList& expectedStarts) {
    ASSERT_EQ(errors.size(), expectedStarts.size()) << errors.join(QLatin1Char('\n')).toStdString();
    for (qsizetype i = 0; i < errors.size(); ++i)
        EXPECT_TRUE(errors[i].startsWith(expectedStarts[i]))
            << errors[i].toStdString() << "\n  expected: " << expectedStarts[i].toStdString();
}

// A member file with a good row and a bad row of each kind, and the start of each error the
// import reports (row|column|reason).
std::pair<QByteArray, QStringList> badMemberFile() {
    QString wrongCheck = idNumber(QStringLiteral("19800202"), QStringLiteral("131"));
    wrongCheck[17] = wrongCheck[17] == QLatin1Char('1') ? QLatin1Char('2') : QLatin1Char('1');
    const QString good = idNumber(QStringLiteral("19810303"), QStringLiteral("151"));
    const QString twice = idNumber(QStringLiteral("19820404"), QStringLiteral("161"));
    const QByteArray file =
        csv({kMemberHeader,
             {QStringLiteral("好人"), good, QStringLiteral("汉族"), QStringLiteral("大学本科"), QStringLiteral("P02"),
              QStringLiteral("正式党员"), QStringLiteral("2005-07-01"), QStringLiteral("2006-07-01"), QString()},
             {QStringLiteral("错号"), wrongCheck, QStringLiteral("汉族"), QStringLiteral("大学本科"), QStringLiteral("P02"),
              QStringLiteral("正式党员"), QStringLiteral("2005-07-01"), QStringLiteral("2006-07-01"), QString()},
             {QStringLiteral("错族"), idNumber(QStringLiteral("19830505"), QStringLiteral("171")), QStringLiteral("火星族"),
              QStringLiteral("大学本科"), QStringLiteral("P02"), QStringLiteral("正式党员"), QStringLiteral("2005-07-01"),
              QStringLiteral("2006-07-01"), QString()},
             {QString(), idNumber(QStringLiteral("19840606"), QStringLiteral("181")), QStringLiteral("汉族"), QStringLiteral("大学本科"),
              QStringLiteral("P02"), QStringLiteral("正式党员"), QStringLiteral("2005-07-01"), QStringLiteral("2006-07-01"), QString()},
             {QStringLiteral("甲"), twice, QStringLiteral("汉族"), QStringLiteral("大学本科"), QStringLiteral("P02"),
              QStringLiteral("正式党员"), QStringLiteral("2005-07-01"), QStringLiteral("2006-07-01"), QString()},
             {QStringLiteral("乙"), twice, QStringLiteral("汉族"), QStringLiteral("大学本科"), QStringLiteral("P02"),
              QStringLiteral("正式党员"), QStringLiteral("2005-07-01"), QStringLiteral("2006-07-01"), QString()},
             {QStringLiteral("无组织"), idNumber(QStringLiteral("19850707"), QStringLiteral("191")), QStringLiteral("汉族"),
              QStringLiteral("大学本科"), QStringLiteral("P99"), QStringLiteral("正式党员"), QStringLiteral("2005-07-01"),
              QStringLiteral("2006-07-01"), QString()},
             {QStringLiteral("太早"), idNumber(QStringLiteral("19900101"), QStringLiteral("211")), QStringLiteral("汉族"),
              QStringLiteral("大学本科"), QStringLiteral("P02"), QStringLiteral("预备党员"), QStringLiteral("2005-07-01"), QString(),
              QString()}});
    const QStringList expectedStarts{
        QStringLiteral("3|公民身份号码|'%1' is not a valid citizen ID number").arg(wrongCheck),
        QStringLiteral("4|民族|'火星族' is not one of 汉族、蒙古族"),
        QStringLiteral("5|姓名|is required"),
        QStringLiteral("7|公民身份号码|'%1' is also on row 6 of this file").arg(twice),
        QStringLiteral("8|所在党组织|there is no unit 'P99' you may add Member card to"),
        QStringLiteral("9|入党日期|on 2005-07-01 the member was 15; members join at 18 or older"),
    };
    return {file, expectedStarts};
}

}  // namespace

TEST_F(Import, BadRowsAreReportedWithRowColumnAndReasonAndNothingIsImported) {
    ASSERT_TRUE(result(import("orgs", orgFile())).value(QStringLiteral("committed")).toBool());
    ASSERT_TRUE(result(import("members", memberFile())).value(QStringLiteral("committed")).toBool());
    const QString before = snapshot();
    const auto [file, expectedStarts] = badMemberFile();
    auto job = import("members", file);
    const QJsonObject r = result(job);
    EXPECT_FALSE(r.value(QStringLiteral("committed")).toBool());
    const QStringList errors = errorsOf(job);
    EXPECT_EQ(r.value(QStringLiteral("errorCount")).toInt(), errors.size());
    expectReported(errors, expectedStarts);
    EXPECT_EQ(snapshot(), before) << "not even the good row was imported";

    // The whole report is the job's output, a CSV.
    auto report = admin->get(job.value(QStringLiteral("output")).toObject().value(QStringLiteral("href")).toString().toUtf8());
    ASSERT_EQ(report.status, 200) << QJsonDocument(job).toJson().toStdString();
    const QString text = QString::fromUtf8(report.body);
    EXPECT_TRUE(text.contains(QStringLiteral("行号,列,原因"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("4,民族,"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral("'火星族' is not one of"))) << "in the language of the one who imported: " << text.toStdString();
    EXPECT_FALSE(text.contains(QChar(0x1E))) << "no message template left unsaid";
}

// Into an empty table the rows are checked on the thread that reads them (party.daily's rules
// are pure), ahead of the thread that writes them: the report is the same, row for row.
TEST_F(Import, BadRowsIntoAnEmptyTableAreReportedAsIntoAFullOne) {
    ASSERT_TRUE(result(import("orgs", orgFile())).value(QStringLiteral("committed")).toBool());
    const auto [file, expectedStarts] = badMemberFile();
    auto job = import("members", file);
    EXPECT_FALSE(result(job).value(QStringLiteral("committed")).toBool());
    const QStringList errors = errorsOf(job);
    expectReported(errors, expectedStarts);
    EXPECT_EQ(count(QStringLiteral("party_members")), 0);
    // The same rows without the bad ones go in, derived (birth date and gender from the ID number).
    ASSERT_TRUE(result(import("members", memberFile())).value(QStringLiteral("committed")).toBool());
    const QJsonObject first =
        admin->get("/api/v1/party.daily/members?size=1").json().value(QStringLiteral("items")).toArray().first().toObject();
    EXPECT_FALSE(first.value(QStringLiteral("birthDate")).toString().isEmpty()) << QJsonDocument(first).toJson().toStdString();
    EXPECT_FALSE(first.value(QStringLiteral("gender")).toString().isEmpty()) << QJsonDocument(first).toJson().toStdString();
}

TEST_F(Import, AFileWithoutTheRequiredColumnsOrWithUnknownOnesIsRefusedAtItsHeader) {
    // 身份证号 is another header of 公民身份号码; 人员类别 and 入党日期 are missing; 爱好 is no column of the card.
    auto job = import("members", csv({{QStringLiteral("姓名"), QStringLiteral("身份证号"), QStringLiteral("爱好")},
                                      {QStringLiteral("张三"), idNumber(QStringLiteral("19800101"), QStringLiteral("123")), QStringLiteral("读书")}}));
    const QStringList errors = errorsOf(job);
    EXPECT_EQ(errors, (QStringList{QStringLiteral("1|人员类别|the file has no column '人员类别', which is required"),
                                   QStringLiteral("1|入党日期|the file has no column '入党日期', which is required")}));
    const QJsonArray warnings = result(job).value(QStringLiteral("warnings")).toArray();
    ASSERT_EQ(warnings.size(), 1);
    EXPECT_EQ(warnings.first().toObject().value(QStringLiteral("reason")).toString(), QStringLiteral("'爱好' is not a column of Member card: it is not read"));
    EXPECT_EQ(result(job).value(QStringLiteral("rows")).toInt(), 0);
    EXPECT_EQ(count(QStringLiteral("party_members")), 0);
}

TEST_F(Import, AnExcelFileImportsLikeACsv) {
    ASSERT_TRUE(result(import("orgs", orgFile())).value(QStringLiteral("committed")).toBool());
    TempDir dir;
    const QString path = dir.path() + QStringLiteral("/members.xlsx");
    tessera::host::HostTableFiles files;
    {
        auto w = files.create(path, tessera::TableFormat::Xlsx, QStringLiteral("党员"));
        ASSERT_TRUE(w);
        ASSERT_TRUE((*w)->row(kMemberHeader));
        ASSERT_TRUE((*w)->row({QStringLiteral("张伟"), idNumber(QStringLiteral("19800101"), QStringLiteral("123")), QStringLiteral("汉族"),
                               QStringLiteral("大学本科"), QStringLiteral("P02"), QStringLiteral("正式党员"), QStringLiteral("2005-07-01"),
                               QStringLiteral("2006-07-01"), QStringLiteral("13800000001")}));
        ASSERT_TRUE((*w)->finish());
    }
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    auto r = result(import("members", f.readAll(), false, QStringLiteral("党员名册.xlsx")));
    EXPECT_EQ(r.value(QStringLiteral("created")).toInt(), 1) << QJsonDocument(r).toJson().toStdString();
    EXPECT_EQ(count(QStringLiteral("party_members")), 1);
}

TEST_F(Import, MembersGoOnlyIntoOrganisationsTheImporterMayWrite) {
    ASSERT_TRUE(result(import("orgs", orgFile())).value(QStringLiteral("committed")).toBool());
    const qint64 p02 = admin->get("/api/v1/party.daily/orgs?q=P02").json().value(QStringLiteral("items")).toArray().first().toObject()
                           .value(QStringLiteral("id")).toInteger();
    HttpClient officer(host->port());
    officer.setDefaultHeader("Authorization", "Bearer " + host->userToken(QStringLiteral("officer"), QStringLiteral("admin"), QStringLiteral("subtree"), p02));
    auto job = import("members", memberFile(), false, QStringLiteral("data.csv"), &officer);
    const QStringList errors = errorsOf(job);
    ASSERT_EQ(errors.size(), 2) << errors.join(QLatin1Char('\n')).toStdString();
    EXPECT_TRUE(errors[0].startsWith(
        QStringLiteral("3|所在党组织|there is no unit '中共某市机关第二支部委员会' you may add Member card to")))
        << errors[0].toStdString();
    EXPECT_EQ(count(QStringLiteral("party_members")), 0);
    // The officer's export of their own subtree leaves its parent (outside their scope) empty
    // and imports again unchanged: an organisation without a parent stays where it is.
    auto started = officer.request("POST", "/api/v1/party.daily/orgs/export?format=csv");
    ASSERT_EQ(started.status, 202) << started.body.toStdString();
    auto exportJob = waitForJob(officer, started.json().value(QStringLiteral("href")).toString().toUtf8());
    const QByteArray theirOrgs = officer.get(exportJob.value(QStringLiteral("output")).toObject().value(QStringLiteral("href")).toString().toUtf8()).body;
    EXPECT_TRUE(QString::fromUtf8(theirOrgs).contains(QStringLiteral(",中共某市机关第一支部委员会,第一支部,P02,党支部,,")))
        << theirOrgs.toStdString();
    auto again = import("orgs", theirOrgs, false, QStringLiteral("orgs.csv"), &officer);
    EXPECT_EQ(result(again).value(QStringLiteral("unchanged")).toInt(), 1) << QJsonDocument(again).toJson().toStdString();
    EXPECT_EQ(result(again).value(QStringLiteral("errorCount")).toInt(), 0);
    // Another user's upload cannot be imported.
    const QString mine = upload(memberFile(), QStringLiteral("m.csv"));
    auto theirs = officer.send("POST", "/api/v1/party.daily/members/import", QJsonObject{{QStringLiteral("file"), mine}});
    EXPECT_EQ(theirs.status, 422) << theirs.body.toStdString();
    auto txt = admin->send("POST", "/api/v1/party.daily/members/import", QJsonObject{{QStringLiteral("file"), upload("x", QStringLiteral("m.txt"))}});
    EXPECT_EQ(txt.status, 422);
    EXPECT_TRUE(txt.body.contains("neither a .csv nor an .xlsx")) << txt.body.toStdString();
    // A file that is no workbook: the job fails naming the upload, never the server's path.
    auto fake = admin->send("POST", "/api/v1/party.daily/members/import",
                            QJsonObject{{QStringLiteral("file"), upload("not a workbook", QStringLiteral("名册.xlsx"))}});
    ASSERT_EQ(fake.status, 202) << fake.body.toStdString();
    auto failed = waitForJob(*admin, fake.json().value(QStringLiteral("href")).toString().toUtf8());
    EXPECT_EQ(failed.value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
    const QString message = failed.value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString();
    EXPECT_TRUE(message.startsWith(QStringLiteral("名册.xlsx: "))) << message.toStdString();
    EXPECT_FALSE(message.contains(QStringLiteral(".uploads"))) << message.toStdString();
}

TEST_F(Import, AnExportImportsAgainUnchangedInBothFormats) {
    ASSERT_TRUE(result(import("orgs", orgFile())).value(QStringLiteral("committed")).toBool());
    ASSERT_TRUE(result(import("members", memberFile())).value(QStringLiteral("committed")).toBool());
    const QString before = snapshot();
    auto exported = [&](const QByteArray& what, const QByteArray& format) {
        auto r = admin->request("POST", "/api/v1/party.daily/" + what + "/export?format=" + format);
        EXPECT_EQ(r.status, 202) << r.body.toStdString();
        auto job = waitForJob(*admin, r.json().value(QStringLiteral("href")).toString().toUtf8());
        EXPECT_EQ(job.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded")) << QJsonDocument(job).toJson().toStdString();
        auto file = admin->get(job.value(QStringLiteral("output")).toObject().value(QStringLiteral("href")).toString().toUtf8());
        EXPECT_EQ(file.status, 200);
        return file.body;
    };
    const QByteArray orgsCsv = exported("orgs", "csv");
    const QString orgText = QString::fromUtf8(orgsCsv);
    EXPECT_TRUE(orgsCsv.startsWith("\xEF\xBB\xBF")) << "a byte order mark, for Excel";
    EXPECT_TRUE(orgText.contains(QStringLiteral("编号,党组织全称,简称,党组织代码,党组织类别,上级党组织,单位情况,建立日期"))) << orgText.toStdString();
    EXPECT_LT(orgText.indexOf(QStringLiteral("P01,")), orgText.indexOf(QStringLiteral("P02,"))) << "parents come first";
    EXPECT_TRUE(orgText.contains(QStringLiteral(",中共某市机关第一支部委员会,第一支部,P02,党支部,P01,,1990-07-01"))) << orgText.toStdString();
    const QByteArray membersCsv = exported("members", "csv");
    // Members in the host's export: 编号 first, the organisation by its path below the root, labels for codes.
    EXPECT_TRUE(
        QString::fromUtf8(membersCsv)
            .contains(QStringLiteral(",张伟,%1,男,1980-01-01,汉族,,大学本科,,市委/第一支部,正式党员,2005-07-01,,2006-07-01,正常,,,否")
                          .arg(idNumber(QStringLiteral("19800101"), QStringLiteral("123")))))
        << membersCsv.toStdString();

    for (const auto& [what, bytes, name] : {std::tuple{QByteArray("orgs"), orgsCsv, QStringLiteral("orgs.csv")},
                                            std::tuple{QByteArray("members"), membersCsv, QStringLiteral("members.csv")},
                                            std::tuple{QByteArray("orgs"), exported("orgs", "xlsx"), QStringLiteral("orgs.xlsx")},
                                            std::tuple{QByteArray("members"), exported("members", "xlsx"), QStringLiteral("members.xlsx")}}) {
        auto again = result(import(what, bytes, false, name));
        EXPECT_EQ(again.value(QStringLiteral("errorCount")).toInt(), 0) << name.toStdString() << QJsonDocument(again).toJson().toStdString();
        EXPECT_EQ(again.value(QStringLiteral("unchanged")).toInt(), 3) << name.toStdString() << QJsonDocument(again).toJson().toStdString();
    }
    EXPECT_EQ(snapshot(), before);

    // An export is the list as filtered; a bad filter is refused before any job starts.
    EXPECT_EQ(admin->request("POST", "/api/v1/party.daily/members/export?format=pdf").status, 422);
    EXPECT_EQ(admin->request("POST", "/api/v1/party.daily/members/export?category=x").status, 422);
    auto filtered = admin->request("POST", "/api/v1/party.daily/members/export?category=probationary");
    auto job = waitForJob(*admin, filtered.json().value(QStringLiteral("href")).toString().toUtf8());
    EXPECT_EQ(job.value(QStringLiteral("result")).toObject().value(QStringLiteral("rows")).toInt(), 1);
}

TEST_F(Import, AValueThatWouldBeLostIsAnErrorAndAFileWrongThroughoutStops) {
    ASSERT_TRUE(result(import("orgs", orgFile())).value(QStringLiteral("committed")).toBool());
    // An unquoted comma in the last column makes an eleventh cell: nothing is silently cut.
    QByteArray file = memberFile();
    file.replace("13800000001", "138,00000001");
    auto job = import("members", file);
    const QStringList errors = errorsOf(job);
    ASSERT_EQ(errors.size(), 1) << errors.join(QLatin1Char('\n')).toStdString();
    EXPECT_TRUE(errors[0].startsWith(QStringLiteral("2||the row has 10 cells but the header names 9 columns"))) << errors[0].toStdString();
    EXPECT_EQ(count(QStringLiteral("party_members")), 0);

    // Every row wrong: the import stops after 10000 errors instead of reading on.
    QList<QStringList> rows{kMemberHeader};
    for (int i = 0; i < 10005; ++i)
        rows.append({QStringLiteral("某"), idNumber(QStringLiteral("198001%1").arg(1 + i / 1000, 2, 10, QLatin1Char('0')), QStringLiteral("%1").arg(i % 1000, 3, 10, QLatin1Char('0'))),
                     QStringLiteral("汉族"), QStringLiteral("大学本科"), QStringLiteral("P02"), QStringLiteral("正式党员"),
                     QStringLiteral("2005-13-01"), QString(), QString()});
    auto wrong = result(import("members", csv(rows)));
    EXPECT_EQ(wrong.value(QStringLiteral("errorCount")).toInt(), 10001);
    EXPECT_EQ(wrong.value(QStringLiteral("rows")).toInt(), 10000);
    EXPECT_EQ(wrong.value(QStringLiteral("errors")).toArray().size(), 200) << "the result lists the first 200; errors.csv has them all";
    EXPECT_EQ(count(QStringLiteral("party_members")), 0);
}

TEST_F(Import, ACsvInGb18030WithCrLineEndsAndATitleRowImports) {
    // Excel's plain "CSV" on Chinese Windows is GB18030 (GBK); classic Mac programs end lines
    // with CR alone; templates put a title above the header.
    auto asSaved = [](const QByteArray& utf8) {
        QByteArray text = utf8.mid(3);  // no byte order mark
        text.replace("\r\n", "\r");
        QStringEncoder gb18030("GB18030");
        return QByteArray(gb18030.encode(QStringLiteral("党组织名册\r\r") + QString::fromUtf8(text)));
    };
    auto orgs = result(import("orgs", asSaved(orgFile())));
    EXPECT_EQ(orgs.value(QStringLiteral("created")).toInt(), 3) << QJsonDocument(orgs).toJson().toStdString();
    auto members = import("members", asSaved(memberFile()));
    EXPECT_EQ(result(members).value(QStringLiteral("created")).toInt(), 3) << QJsonDocument(members).toJson().toStdString();
    auto listed = admin->get("/api/v1/party.daily/members?q=" + QUrl::toPercentEncoding(QStringLiteral("覃丽"))).json();
    EXPECT_EQ(listed.value(QStringLiteral("items")).toArray().size(), 1) << "the names are read right";
}

namespace {

QByteArray spreadsheet(const char* name) {
    QFile f(QStringLiteral(TESSERA_SOURCE_DIR "/tests/data/spreadsheets/") + QLatin1String(name));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly)) << name;
    return f.readAll();
}

}  // namespace

TEST_F(Import, AWorkbookAsPeopleMakeItImportsFromTheSheetAndRowOfItsHeader) {
    ASSERT_TRUE(result(import("orgs", orgFile())).value(QStringLiteral("committed")).toBool());
    // tests/data/spreadsheets/make.py: instructions on sheet 1; on sheet 2 a title, an empty
    // row, the header on row 3; a date-time, full-width ID number and code, phones as numbers.
    auto job = import("members", spreadsheet("members.xlsx"), false, QStringLiteral("党员名册.xlsx"));
    const QJsonObject r = result(job);
    EXPECT_TRUE(r.value(QStringLiteral("committed")).toBool()) << QJsonDocument(job).toJson().toStdString();
    EXPECT_EQ(r.value(QStringLiteral("created")).toInt(), 2);
    EXPECT_EQ(r.value(QStringLiteral("sheet")).toString(), QStringLiteral("党员"));
    auto zhang = admin->get("/api/v1/party.daily/members?q=" + QUrl::toPercentEncoding(QStringLiteral("张伟"))).json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(zhang.size(), 1);
    auto card = admin->get("/api/v1/party.daily/members/" + QByteArray::number(zhang.first().toObject().value(QStringLiteral("id")).toInteger())).json();
    EXPECT_EQ(card.value(QStringLiteral("idNumber")).toString(), QStringLiteral("11010519820202123X")) << "full-width digits and Ｘ normalised";
    EXPECT_EQ(card.value(QStringLiteral("joinDate")).toString(), QStringLiteral("2005-07-01")) << "the day of a date-time";
    EXPECT_EQ(card.value(QStringLiteral("fullDate")).toString(), QStringLiteral("2006-07-01"));
    EXPECT_EQ(card.value(QStringLiteral("mobile")).toString(), QStringLiteral("13800000001"));

    // A phone the spreadsheet kept as a number may have lost its leading 0: a warning, naming
    // the cell, that does not stop the import; a mobile number lost nothing.
    const QJsonArray warnings = r.value(QStringLiteral("warnings")).toArray();
    ASSERT_EQ(warnings.size(), 1) << QJsonDocument(r).toJson().toStdString();
    const QJsonObject w = warnings.first().toObject();
    EXPECT_EQ(w.value(QStringLiteral("row")).toInt(), 4);
    EXPECT_EQ(w.value(QStringLiteral("column")).toString(), QStringLiteral("联系电话"));
    EXPECT_TRUE(w.value(QStringLiteral("reason")).toString().startsWith(QStringLiteral("J4: the spreadsheet holds 1012345678 as a number")))
        << w.value(QStringLiteral("reason")).toString().toStdString();
    EXPECT_EQ(r.value(QStringLiteral("warningCount")).toInt(), 1);
}

TEST_F(Import, CellsASpreadsheetCannotGiveAreRowErrorsNamingTheCellOnce) {
    ASSERT_TRUE(result(import("orgs", orgFile())).value(QStringLiteral("committed")).toBool());
    auto job = import("members", spreadsheet("members-bad-cells.xlsx"), false, QStringLiteral("名册.xlsx"));
    EXPECT_FALSE(result(job).value(QStringLiteral("committed")).toBool());
    const QStringList errors = errorsOf(job);
    const QString all = errors.join(QLatin1Char('\n'));
    EXPECT_TRUE(errors.contains(QStringLiteral("2|民族|C2: #N/A is an error value in the spreadsheet"))) << all.toStdString();
    EXPECT_TRUE(std::any_of(errors.begin(), errors.end(), [](const QString& e) {
        return e.startsWith(QStringLiteral("2|学历|D2: the formula =VLOOKUP(A2,Sheet2!A:B,2,FALSE) has no value saved with it"));
    })) << all.toStdString();
    const auto onRow3 = std::count_if(errors.begin(), errors.end(), [](const QString& e) { return e.startsWith(QStringLiteral("3|")); });
    EXPECT_EQ(onRow3, 1) << "an ID number the spreadsheet rounded is reported once: " << all.toStdString();
    EXPECT_TRUE(errors.filter(QStringLiteral("3|公民身份号码|")).value(0).contains(QStringLiteral("a number the spreadsheet rounded"))) << all.toStdString();
    EXPECT_EQ(count(QStringLiteral("party_members")), 0);
}
