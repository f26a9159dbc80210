// party.dues' reports over real HTTP, on the host's clock moved to 2026-12-15: a year's dues
// against what was due by organisation and by month, each member's year with 交至年月, the
// host's export of a report as xlsx and CSV, and exact sums over 100,000 payments.

#include "dues_test_support.hpp"

#include "services/table_files.hpp"

#include <QDate>
#include <QFile>
#include <QJsonArray>
#include <QUrl>

#include <tuple>

namespace {

using party::daily::test::memberJson;
using tessera::test::HttpClient;
using tessera::test::HttpReply;

// The message a problem answer gives for `field` (empty: none).
QString messageOn(const HttpReply& r, const QString& field) {
    for (const auto& e : r.json().value(QStringLiteral("errors")).toArray())
        if (e.toObject().value(QStringLiteral("field")).toString() == field)
            return e.toObject().value(QStringLiteral("message")).toString();
    return {};
}

class DuesSummary : public ::testing::Test {
protected:
    void SetUp() override {
        clockFile = dir.write(QStringLiteral("clock"), QByteArrayLiteral("2026-12-15T09:00:00Z"));
        qputenv("TESSERA_TEST_CLOCK_FILE", clockFile.toUtf8());
        host = party::daily::test::hostWith({QStringLiteral("party.daily"), QStringLiteral("party.dues")});
        admin = std::make_unique<HttpClient>(host->client());
        admin->setLanguage("zh-CN");
        auto& units = host->app().units();
        root = units.ensureRoot(QStringLiteral("机关党委"))->id;
        branchA = units.create(root, QStringLiteral("第一党支部"))->id;
        branchB = units.create(root, QStringLiteral("第二党支部"))->id;
        party::dues::test::addTreasurerRole(*admin);
        clerkA = party::daily::test::userClient(*host, QStringLiteral("sec-a"), QStringLiteral("treasurer"), QStringLiteral("unit"),
                                                branchA, "zh-CN");
    }
    void TearDown() override { qunsetenv("TESSERA_TEST_CLOCK_FILE"); }

    qint64 member(const QString& name, qint64 unit, int n) {
        auto r = admin->send("POST", "/api/v1/party.daily/members",
                             memberJson(name, unit, QStringLiteral("19800101"), QString::number(100 + n)));
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }
    HttpReply post(const char* resource, const QJsonObject& body) {
        return admin->send("POST", QByteArray("/api/v1/party.dues/") + resource, body);
    }
    QJsonObject get(const QByteArray& path, HttpClient* as = nullptr) {
        auto r = (as ? as : admin.get())->get(path);
        EXPECT_EQ(r.status, 200) << path.toStdString() << ": " << r.body.toStdString();
        return r.json();
    }
    static QJsonObject row(const QJsonObject& report, const QString& label, const char* field = "label") {
        for (const QJsonValue& v : report.value(QStringLiteral("items")).toArray())
            if (v.toObject().value(QLatin1String(field)).toString() == label) return v.toObject();
        ADD_FAILURE() << "no row " << label.toStdString() << " in " << QJsonDocument(report).toJson().toStdString();
        return {};
    }
    // Some fields of a row, "field=value" joined by spaces, to compare at a glance.
    static std::string figures(const QJsonObject& o, std::initializer_list<const char*> fields) {
        QStringList out;
        for (const char* f : fields) {
            const QJsonValue v = o.value(QLatin1String(f));
            out << QStringLiteral("%1=%2").arg(QLatin1String(f), v.isDouble() ? QString::number(v.toInteger()) : v.toString());
        }
        return out.join(u' ').toStdString();
    }

    tessera::test::TempDir dir;
    QString clockFile;
    std::unique_ptr<tessera::test::RunningHost> host;
    std::unique_ptr<HttpClient> admin, clerkA;
    qint64 root = 0, branchA = 0, branchB = 0;
};

}  // namespace

TEST_F(DuesSummary, AYearAgainstWhatWasDueByOrganisationByMonthAndByMember) {
    ASSERT_EQ(post("starts", {{QStringLiteral("unitId"), branchA}, {QStringLiteral("startMonth"), QStringLiteral("2026-10")}}).status, 201);
    const qint64 a1 = member(QStringLiteral("张一"), branchA, 1), a2 = member(QStringLiteral("李二"), branchA, 2),
                 a3 = member(QStringLiteral("王三"), branchA, 3), b1 = member(QStringLiteral("赵四"), branchB, 4);
    auto base = [&](qint64 m, const char* category, const char* amount, const char* from, bool quarterly = false) {
        QJsonObject body{{QStringLiteral("memberId"), m},
                         {QStringLiteral("category"), QLatin1String(category)},
                         {QStringLiteral("fromMonth"), QLatin1String(from)},
                         {QStringLiteral("quarterly"), quarterly}};
        if (*amount) body.insert(QStringLiteral("base"), QLatin1String(amount));
        auto r = post("profiles", body);
        ASSERT_EQ(r.status, 201) << r.body.toStdString();
    };
    base(a1, "employed", "4000.00", "2026-10", true);  // 40.00 a month, by the quarter
    base(a2, "retired", "6000.00", "2026-10");         // 60.00
    base(a3, "student", "", "2026-10");                // 0.20, exempt in November and December
    base(b1, "employed", "12000.00", "2026-01");       // 240.00
    ASSERT_EQ(post("exemptions", {{QStringLiteral("memberId"), a3},
                                  {QStringLiteral("kind"), QStringLiteral("exempt")},
                                  {QStringLiteral("fromMonth"), QStringLiteral("2026-11")},
                                  {QStringLiteral("toMonth"), QStringLiteral("2026-12")},
                                  {QStringLiteral("reason"), QStringLiteral("生活困难")},
                                  {QStringLiteral("decidedOn"), QStringLiteral("2026-10-20")},
                                  {QStringLiteral("approvedBy"), QStringLiteral("机关党委")},
                                  {QStringLiteral("approvedOn"), QStringLiteral("2026-10-25")}})
                  .status,
              201);
    // The quarter, with the first month and the amount left for the server to fill in.
    auto quarter = clerkA->send("POST", "/api/v1/party.dues/payments",
                                QJsonObject{{QStringLiteral("memberId"), a1},
                                            {QStringLiteral("toMonth"), QStringLiteral("2026-12")},
                                            {QStringLiteral("paidOn"), QStringLiteral("2026-10-08")},
                                            {QStringLiteral("method"), QStringLiteral("cash")}});
    ASSERT_EQ(quarter.status, 201) << quarter.body.toStdString();
    EXPECT_EQ(figures(quarter.json(), {"fromMonth", "toMonth", "amount", "expected"}),
              "fromMonth=2026-10 toMonth=2026-12 amount=120.00 expected=120.00");
    auto pay = [&](qint64 m, const char* from, const char* to, const char* amount, const char* on) {
        auto r = post("payments", {{QStringLiteral("memberId"), m},
                                   {QStringLiteral("fromMonth"), QLatin1String(from)},
                                   {QStringLiteral("toMonth"), QLatin1String(to)},
                                   {QStringLiteral("amount"), QLatin1String(amount)},
                                   {QStringLiteral("paidOn"), QLatin1String(on)},
                                   {QStringLiteral("method"), QStringLiteral("transfer")}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
    };
    pay(a2, "2026-10", "2026-10", "60.00", "2026-10-09");
    pay(b1, "2026-01", "2026-06", "1440.00", "2026-06-30");
    // A student left with no base: nothing to count the months from.
    auto none = clerkA->send("POST", "/api/v1/party.dues/payments",
                             QJsonObject{{QStringLiteral("memberId"), member(QStringLiteral("钱五"), branchA, 5)},
                                         {QStringLiteral("paidOn"), QStringLiteral("2026-11-02")},
                                         {QStringLiteral("method"), QStringLiteral("cash")}});
    EXPECT_EQ(none.status, 422);
    EXPECT_EQ(messageOn(none, QStringLiteral("fromMonth")), QStringLiteral("钱五还没有党费基数：请先登记党费基数"));
    ASSERT_EQ(post("large", {{QStringLiteral("memberId"), a1},
                             {QStringLiteral("amount"), QStringLiteral("1000.00")},
                             {QStringLiteral("paidOn"), QStringLiteral("2026-11-01")}})
                  .status,
              201);

    // By organisation: 王三's October only (exempt after), 钱五 without a base due nothing.
    const QJsonObject byUnit = get("/api/v1/party.dues/summary?year=2026");
    EXPECT_EQ(byUnit.value(QStringLiteral("title")).toString(), QStringLiteral("2026年党费收缴汇总（按党组织）"));
    EXPECT_EQ(figures(row(byUnit, QStringLiteral("第一党支部")), {"members", "due", "paid", "unpaid", "rate", "received", "large"}),
              "members=4 due=300.20 paid=180.00 unpaid=120.20 rate=60.0 received=180.00 large=1000.00");
    EXPECT_EQ(figures(row(byUnit, QStringLiteral("第二党支部")), {"members", "due", "paid", "unpaid", "rate", "received", "large"}),
              "members=1 due=2880.00 paid=1440.00 unpaid=1440.00 rate=50.0 received=1440.00 large=0.00");
    EXPECT_EQ(figures(byUnit.value(QStringLiteral("total")).toObject(), {"label", "members", "due", "paid", "unpaid", "received", "large"}),
              "label=合计 members=5 due=3180.20 paid=1620.00 unpaid=1560.20 received=1620.00 large=1000.00");
    // By month: members with a base that month; money received in the month it was paid.
    const QJsonObject byMonth = get("/api/v1/party.dues/summary?year=2026&by=month");
    EXPECT_EQ(byMonth.value(QStringLiteral("items")).toArray().size(), 12);
    EXPECT_EQ(figures(row(byMonth, QStringLiteral("2026-01")), {"members", "due", "paid", "received"}),
              "members=1 due=240.00 paid=240.00 received=0.00");
    EXPECT_EQ(figures(row(byMonth, QStringLiteral("2026-06")), {"members", "due", "paid", "received"}),
              "members=1 due=240.00 paid=240.00 received=1440.00");
    EXPECT_EQ(figures(row(byMonth, QStringLiteral("2026-10")), {"members", "due", "paid", "received"}),
              "members=4 due=340.20 paid=100.00 received=180.00");
    EXPECT_EQ(figures(row(byMonth, QStringLiteral("2026-11")), {"members", "due", "paid", "large"}),
              "members=4 due=340.00 paid=40.00 large=1000.00");
    EXPECT_EQ(figures(byMonth.value(QStringLiteral("total")).toObject(), {"members", "due", "paid", "received", "large"}),
              "members=4 due=3180.20 paid=1620.00 received=1620.00 large=1000.00");

    // Each member of the branch, with 交至年月, to its secretary, who sees no other branch.
    const QJsonObject standing = get(QByteArray("/api/v1/party.dues/standing?year=2026"), clerkA.get());
    EXPECT_EQ(standing.value(QStringLiteral("items")).toArray().size(), 4);
    EXPECT_EQ(
        figures(row(standing, QStringLiteral("张一"), "name"), {"unit", "category", "monthly", "due", "paid", "unpaidMonths", "paidTo"}),
        "unit=第一党支部 category=在职（工资收入） monthly=40.00 due=120.00 paid=120.00 unpaidMonths=0 paidTo=2026-12");
    EXPECT_EQ(figures(row(standing, QStringLiteral("李二"), "name"), {"due", "paid", "unpaid", "unpaidMonths", "paidTo"}),
              "due=180.00 paid=60.00 unpaid=120.00 unpaidMonths=2 paidTo=2026-10");
    EXPECT_EQ(figures(row(standing, QStringLiteral("王三"), "name"), {"due", "paid", "unpaidMonths", "paidTo"}),
              "due=0.20 paid=0.00 unpaidMonths=1 paidTo=");
    const QJsonObject own = get("/api/v1/party.dues/summary?year=2026", clerkA.get());
    EXPECT_EQ(own.value(QStringLiteral("items")).toArray().size(), 1);
    EXPECT_EQ(own.value(QStringLiteral("total")).toObject().value(QStringLiteral("due")).toString(), QStringLiteral("300.20"));
    auto beyond = clerkA->get(QByteArray("/api/v1/party.dues/summary?unit=") + QByteArray::number(branchB));
    EXPECT_EQ(beyond.status, 200);
    EXPECT_TRUE(beyond.json().value(QStringLiteral("items")).toArray().isEmpty()) << beyond.body.toStdString();

    // Refused parameters, in the caller's language.
    auto future = admin->get("/api/v1/party.dues/summary?year=2027&by=week&colour=red");
    EXPECT_EQ(future.status, 422);
    const QStringList errors = tessera::test::fieldsOf(future);
    EXPECT_TRUE(errors.contains(QStringLiteral("year"))) << future.body.toStdString();
    EXPECT_EQ(messageOn(future, QStringLiteral("by")), QStringLiteral("应为 unit（按党组织）或 month（按月份），而不是“week”"));
    EXPECT_TRUE(errors.contains(QStringLiteral("colour")));
}

TEST_F(DuesSummary, TheHostExportsAReportAsTheCallerSeesItInXlsxAndCsv) {
    const qint64 a1 = member(QStringLiteral("张一"), branchA, 1), b1 = member(QStringLiteral("赵四"), branchB, 2);
    for (qint64 m : {a1, b1})
        ASSERT_EQ(post("profiles", {{QStringLiteral("memberId"), m},
                                    {QStringLiteral("category"), QStringLiteral("employed")},
                                    {QStringLiteral("base"), QStringLiteral("4000.00")},
                                    {QStringLiteral("fromMonth"), QStringLiteral("2026-12")}})
                      .status,
                  201);
    // The secretary's CSV: their branch only, the labels as headers, the totals last.
    auto csv = clerkA->get("/api/v1/reports/party.dues/summary/export?format=csv&year=2026");
    ASSERT_EQ(csv.status, 200) << csv.body.toStdString();
    EXPECT_EQ(csv.header("content-type"), "text/csv; charset=utf-8");
    EXPECT_TRUE(csv.header("content-disposition").contains("filename*=UTF-8''2026%E5%B9%B4"))
        << csv.header("content-disposition").toStdString();
    const QString text = QString::fromUtf8(csv.body).remove(QChar(0xFEFF));
    const QStringList lines = text.split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
    ASSERT_EQ(lines.size(), 3) << text.toStdString();
    EXPECT_TRUE(lines[0].startsWith(QStringLiteral("党组织/月份,党员人数,应交（元）,已交（元）,未交（元）,收缴率（%）")))
        << lines[0].toStdString();
    EXPECT_TRUE(lines[1].startsWith(QStringLiteral("第一党支部,1,40.00,0.00,40.00,0.0,"))) << lines[1].toStdString();
    EXPECT_TRUE(lines[2].startsWith(QStringLiteral("合计,1,40.00,"))) << lines[2].toStdString();
    // The administrator's .xlsx: money as number cells, so the spreadsheet sums them.
    auto xlsx = admin->get("/api/v1/reports/party.dues/summary/export?year=2026&by=unit");
    ASSERT_EQ(xlsx.status, 200) << xlsx.body.toStdString();
    EXPECT_TRUE(xlsx.body.startsWith("PK"));
    const QString path = dir.file(QStringLiteral("summary.xlsx"));
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    f.write(xlsx.body);
    f.close();
    tessera::host::HostTableFiles files;
    auto reader = files.open(path, tessera::TableFormat::Xlsx);
    ASSERT_TRUE(reader) << reader.error().message.toStdString();
    QList<tessera::TableRow> rows;
    while (true) {
        auto next = (*reader)->next();
        ASSERT_TRUE(next);
        if (!*next) break;
        rows.push_back(**next);
    }
    ASSERT_EQ(rows.size(), 4);
    EXPECT_EQ(rows[3].cells.mid(0, 3), (QStringList{QStringLiteral("合计"), QStringLiteral("2"), QStringLiteral("80")}));
    EXPECT_TRUE(rows[3].numbers.contains(2));
    EXPECT_FALSE(rows[1].numbers.contains(0));
    // What the caller may not call, nor ask for wrongly.
    EXPECT_EQ(admin->get("/api/v1/reports/party.dues/summary/export?format=pdf").status, 422);
    EXPECT_EQ(admin->get("/api/v1/reports/party.dues/summary/export?year=1800").status, 422);
    auto nobody = party::daily::test::userClient(*host, QStringLiteral("reader"), QStringLiteral("treasurer"), QStringLiteral("unit"),
                                                 branchB, "zh-CN");
    auto theirs = nobody->get("/api/v1/reports/party.dues/standing/export?format=csv");
    ASSERT_EQ(theirs.status, 200);
    EXPECT_FALSE(QString::fromUtf8(theirs.body).contains(QStringLiteral("张一")));
    EXPECT_TRUE(QString::fromUtf8(theirs.body).contains(QStringLiteral("赵四")));
}

TEST_F(DuesSummary, SumsOverAHundredThousandPaymentsAreExact) {
    // 8,334 members of one branch, each with a base of an awkward number of fen and twelve
    // monthly payments in 2026: 100,008 payments, summed in fen by the report.
    const qint64 first = member(QStringLiteral("模板"), branchA, 1);
    ASSERT_EQ(post("profiles", {{QStringLiteral("memberId"), first},
                                {QStringLiteral("category"), QStringLiteral("employed")},
                                {QStringLiteral("base"), QStringLiteral("2999.99")},
                                {QStringLiteral("fromMonth"), QStringLiteral("2026-01")}})
                  .status,
              201);
    ASSERT_EQ(post("payments", {{QStringLiteral("memberId"), first},
                                {QStringLiteral("fromMonth"), QStringLiteral("2026-01")},
                                {QStringLiteral("toMonth"), QStringLiteral("2026-01")},
                                {QStringLiteral("paidOn"), QStringLiteral("2026-01-10")},
                                {QStringLiteral("method"), QStringLiteral("cash")}})
                  .status,
              201);
    const qint64 firstPayment = get("/api/v1/party.dues/payments")
                                    .value(QStringLiteral("items"))
                                    .toArray()
                                    .at(0)
                                    .toObject()
                                    .value(QStringLiteral("id"))
                                    .toInteger();
    auto& store = host->app().store();
    // Rows made from a template row (t) in `from`, with some columns computed, the others copied.
    auto clone = [&](const QString& table, const QString& with, const QString& from, const QHash<QString, QString>& computed) {
        auto columns = store.query(QStringLiteral("SELECT name FROM pragma_table_info('%1')").arg(table));
        ASSERT_TRUE(columns);
        QStringList names, values;
        for (const auto& c : *columns) {
            const QString name = c.value(QStringLiteral("name")).toString();
            if (name == u"id") continue;
            names << name;
            values << computed.value(name, QStringLiteral("t.") + name);
        }
        auto done = store.execute(
            QStringLiteral("%1 INSERT INTO %2 (%3) SELECT %4 FROM %5").arg(with, table, names.join(u','), values.join(u','), from));
        ASSERT_TRUE(done) << done.error().message.toStdString();
    };
    const int members = 8500;  // and the first: 8,501 members, 12 months each, some unpaid
    clone(QStringLiteral("party_members"),
          QStringLiteral("WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %1)").arg(members),
          QStringLiteral("party_members t, seq WHERE t.id = %1").arg(first),
          {{QStringLiteral("name"), QStringLiteral("'党员' || n")},
           {QStringLiteral("name_sort"), QStringLiteral("printf('dangyuan%06d', n)")},
           {QStringLiteral("id_number"), QStringLiteral("printf('T%017d', n)")}});
    // Bases of 1,000.01 to 99,999.99 yuan, every bracket: dues of 5.00 to 2,000.00 yuan a month,
    // in fen rounded half up, as the brackets say.
    const QString base = QStringLiteral("(100001 + (m.id * 7919) % 9899999)");
    const QString rate =
        QStringLiteral("(CASE WHEN %1 <= 300000 THEN 5 WHEN %1 <= 500000 THEN 10 WHEN %1 <= 1000000 THEN 15 ELSE 20 END)").arg(base);
    clone(QStringLiteral("party_dues_profiles"), QString(),
          QStringLiteral("party_members m, party_dues_profiles t WHERE t.member_id = %1 AND m.id <> %1").arg(first),
          {{QStringLiteral("member_id"), QStringLiteral("m.id")},
           {QStringLiteral("member_name"), QStringLiteral("m.name")},
           {QStringLiteral("member_name_sort"), QStringLiteral("m.name_sort")},
           {QStringLiteral("base"), base},
           {QStringLiteral("rate_percent"), rate},
           {QStringLiteral("monthly"), QStringLiteral("(%1 * %2 + 500) / 1000").arg(base, rate)}});
    clone(QStringLiteral("party_dues_payments"),
          QStringLiteral("WITH RECURSIVE months(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM months WHERE k < 12)"),
          QStringLiteral("party_dues_profiles b, months, party_dues_payments t WHERE t.id = %1 AND b.member_id <> %2 "
                         "AND (b.member_id + k) % 97 <> 0")
              .arg(firstPayment)
              .arg(first),
          {{QStringLiteral("member_id"), QStringLiteral("b.member_id")},
           {QStringLiteral("member_name"), QStringLiteral("b.member_name")},
           {QStringLiteral("member_name_sort"), QStringLiteral("b.member_name_sort")},
           {QStringLiteral("from_month"), QStringLiteral("printf('2026-%02d', k)")},
           {QStringLiteral("to_month"), QStringLiteral("printf('2026-%02d', k)")},
           {QStringLiteral("from_month_sort"), QStringLiteral("printf('2026-%02d', k)")},
           {QStringLiteral("amount"), QStringLiteral("b.monthly")},
           {QStringLiteral("expected"), QStringLiteral("b.monthly")},
           {QStringLiteral("paid_on"), QStringLiteral("printf('2026-%02d-10', k)")}});
    auto expected =
        store.query(QStringLiteral("SELECT count(*) AS n, sum(amount) AS paid, "
                                   "(SELECT sum(monthly) * 12 FROM party_dues_profiles) AS due FROM party_dues_payments"));
    ASSERT_TRUE(expected);
    const qint64 count = expected->front().value(QStringLiteral("n")).toLongLong();
    ASSERT_GE(count, 100000);
    const QString paid = tessera::formatDecimal(expected->front().value(QStringLiteral("paid")).toLongLong(), 2);
    const QString due = tessera::formatDecimal(expected->front().value(QStringLiteral("due")).toLongLong(), 2);
    const QJsonObject total = get("/api/v1/party.dues/summary?year=2026&by=month").value(QStringLiteral("total")).toObject();
    EXPECT_EQ(total.value(QStringLiteral("paid")).toString(), paid);
    EXPECT_EQ(total.value(QStringLiteral("received")).toString(), paid);
    EXPECT_EQ(total.value(QStringLiteral("due")).toString(), due);
    const QJsonObject byUnit = get("/api/v1/party.dues/summary?year=2026").value(QStringLiteral("total")).toObject();
    EXPECT_EQ(byUnit.value(QStringLiteral("paid")).toString(), paid);
    EXPECT_EQ(byUnit.value(QStringLiteral("members")).toInteger(), members + 1);
    std::cout << count << " payments, " << paid.toStdString() << " yuan paid of " << due.toStdString() << " due\n";
}

// A transfer letter out of the system states 党费交至: party.transfer asks party.dues (which it
// does not depend on) for the month the member has paid up to when the secretary leaves it.
TEST(DuesFacts, ATransferLetterStatesTheMonthPaidUpToFromTheDuesRecords) {
    auto host = party::daily::test::hostWith({QStringLiteral("party.daily"), QStringLiteral("party.dues"), QStringLiteral("party.transfer")});
    HttpClient admin = host->client();
    const qint64 root = host->app().units().ensureRoot(QStringLiteral("机关党委"))->id;
    const qint64 branch = host->app().units().create(root, QStringLiteral("第一党支部"))->id;
    auto newMember = [&](const QString& name, const QString& n) {
        auto r = admin.send("POST", "/api/v1/party.daily/members", memberJson(name, branch, QStringLiteral("19800101"), n));
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    };
    const qint64 paid = newMember(QStringLiteral("张三"), QStringLiteral("101")), unpaid = newMember(QStringLiteral("李四"), QStringLiteral("102"));
    const QString lastMonth = QDate::currentDate().addMonths(-1).toString(QStringLiteral("yyyy-MM"));
    ASSERT_EQ(admin.send("POST", "/api/v1/party.dues/profiles",
                         QJsonObject{{QStringLiteral("memberId"), paid},
                                     {QStringLiteral("category"), QStringLiteral("student")},
                                     {QStringLiteral("fromMonth"), lastMonth}})
                  .status,
              201);
    auto payment = admin.send("POST", "/api/v1/party.dues/payments",
                              QJsonObject{{QStringLiteral("memberId"), paid},
                                          {QStringLiteral("paidOn"), QDate::currentDate().toString(Qt::ISODate)},
                                          {QStringLiteral("method"), QStringLiteral("cash")}});
    ASSERT_EQ(payment.status, 201) << payment.body.toStdString();
    auto letter = [&](qint64 member, QJsonObject more = {}) {
        more.insert(QStringLiteral("memberId"), member);
        more.insert(QStringLiteral("kind"), QStringLiteral("out"));
        more.insert(QStringLiteral("toOrgName"), QStringLiteral("中共某某市委组织部"));
        more.insert(QStringLiteral("startedOn"), QDate::currentDate().toString(Qt::ISODate));
        return admin.send("POST", "/api/v1/party.transfer/transfers", more);
    };
    auto stated = letter(paid);
    ASSERT_EQ(stated.status, 201) << stated.body.toStdString();
    EXPECT_EQ(stated.json().value(QStringLiteral("duesPaidTo")).toString(), lastMonth);
    // What the secretary writes stands; a member who never paid still needs it written.
    EXPECT_EQ(tessera::test::fieldsOf(letter(unpaid)), QStringList{QStringLiteral("duesPaidTo")});
    auto written = letter(unpaid, {{QStringLiteral("duesPaidTo"), QStringLiteral("2025-06")}});
    ASSERT_EQ(written.status, 201) << written.body.toStdString();
    EXPECT_EQ(written.json().value(QStringLiteral("duesPaidTo")).toString(), QStringLiteral("2025-06"));
}

// A bank's list of dues collected, made with openpyxl (tests/data/spreadsheets/make.py): a
// title row, columns the card does not have, members by their ID number (two are called
// 张一), amounts as numbers; the first month and what is due filled in by the server.
TEST_F(DuesSummary, ABanksListOfPaymentsImportsWithADryRunAndARowReport) {
    ASSERT_EQ(post("starts", {{QStringLiteral("unitId"), branchA}, {QStringLiteral("startMonth"), QStringLiteral("2026-10")}}).status, 201);
    const qint64 a = member(QStringLiteral("张一"), branchA, 1), b = member(QStringLiteral("张一"), branchA, 2),
                 c = member(QStringLiteral("王三"), branchA, 3);
    for (auto [m, category, amount] : {std::tuple{a, "employed", "4000.00"}, std::tuple{b, "retired", "6000.00"}, std::tuple{c, "student", ""}}) {
        QJsonObject body{{QStringLiteral("memberId"), m},
                         {QStringLiteral("category"), QLatin1String(category)},
                         {QStringLiteral("fromMonth"), QStringLiteral("2026-10")},
                         {QStringLiteral("quarterly"), true}};
        if (*amount) body.insert(QStringLiteral("base"), QLatin1String(amount));
        ASSERT_EQ(post("profiles", body).status, 201);
    }
    QFile file(QStringLiteral(TESSERA_SOURCE_DIR "/tests/data/spreadsheets/dues-payments.xlsx"));
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    auto run = [&](bool dryRun) {
        auto up = clerkA->request("POST", "/api/v1/files?name=" + QUrl::toPercentEncoding(QStringLiteral("党费代收清单.xlsx")), bytes);
        EXPECT_EQ(up.status, 201) << up.body.toStdString();
        auto started = clerkA->send("POST", "/api/v1/party.dues/payments/import",
                                    QJsonObject{{QStringLiteral("file"), up.json().value(QStringLiteral("id"))}, {QStringLiteral("dryRun"), dryRun}});
        EXPECT_EQ(started.status, 202) << started.body.toStdString();
        return tessera::test::waitForJob(*clerkA, started.json().value(QStringLiteral("href")).toString().toUtf8())
            .value(QStringLiteral("result"))
            .toObject();
    };
    const QJsonObject trial = run(true);
    EXPECT_EQ(trial.value(QStringLiteral("errors")).toArray().size(), 0) << QJsonDocument(trial).toJson().toStdString();
    EXPECT_EQ(trial.value(QStringLiteral("created")).toInteger(), 3) << QJsonDocument(trial).toJson().toStdString();
    EXPECT_FALSE(trial.value(QStringLiteral("committed")).toBool());
    EXPECT_TRUE(get("/api/v1/party.dues/payments").value(QStringLiteral("items")).toArray().isEmpty()) << "a dry run stores nothing";
    const QJsonObject done = run(false);
    EXPECT_TRUE(done.value(QStringLiteral("committed")).toBool()) << QJsonDocument(done).toJson().toStdString();
    const QJsonObject standing = get("/api/v1/party.dues/standing?year=2026", clerkA.get());
    QStringList paid;
    for (const QJsonValue& v : standing.value(QStringLiteral("items")).toArray())
        paid << v.toObject().value(QStringLiteral("name")).toString() + u' ' + v.toObject().value(QStringLiteral("paid")).toString() + u' ' +
                    v.toObject().value(QStringLiteral("paidTo")).toString();
    paid.sort();
    EXPECT_EQ(paid, (QStringList{QStringLiteral("张一 120.00 2026-12"), QStringLiteral("张一 60.00 2026-10"), QStringLiteral("王三 0.40 2026-11")}));
    // The same list again: every row refused, nothing stored twice, each row says why.
    const QJsonObject again = run(false);
    EXPECT_FALSE(again.value(QStringLiteral("committed")).toBool());
    const QJsonArray errors = again.value(QStringLiteral("errors")).toArray();
    ASSERT_EQ(errors.size(), 3) << QJsonDocument(again).toJson().toStdString();
    EXPECT_EQ(errors.at(0).toObject().value(QStringLiteral("row")).toInteger(), 3);
    EXPECT_TRUE(errors.at(0).toObject().value(QStringLiteral("reason")).toString().contains(QStringLiteral("已交"))) << QJsonDocument(again).toJson().toStdString();
    EXPECT_EQ(get("/api/v1/party.dues/payments").value(QStringLiteral("total")).toInteger(), 3);
}
