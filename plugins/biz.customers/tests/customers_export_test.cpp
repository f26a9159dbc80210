// biz.customers exports as jobs: the list as filtered and scoped, to CSV or .xlsx, with
// progress, downloaded from the job's output.

#include "host_fixture.hpp"

#include <QJsonArray>
#include <QUrl>

#include <gtest/gtest.h>

using namespace tessera::test;

namespace {

class CustomersExport : public ::testing::Test {
protected:
    void SetUp() override {
        host = std::make_unique<RunningHost>(QStringList{builtPluginDir()}, std::vector<EnablePlugin>{{QStringLiteral("biz.customers"), {}}});
        auto& units = host->app().units();
        root = units.ensureRoot(QStringLiteral("t"))->id;
        east = units.create(root, QStringLiteral("东区"))->id;
        west = units.create(root, QStringLiteral("西区"))->id;
        admin = std::make_unique<HttpClient>(host->client());
        add(QStringLiteral("东方商贸"), east, QStringLiteral("010-1"), QStringLiteral("备注, 带逗号 \"和引号\"\n第二行"));
        add(QStringLiteral("东海电器"), east, QStringLiteral("010-2"));
        add(QStringLiteral("西部物流"), west, QStringLiteral("029-3"));
    }
    void add(const QString& name, qint64 unit, const QString& phone, const QString& notes = {}) {
        auto r = admin->send("POST", "/api/v1/biz.customers/customers",
                             QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("unitId"), unit},
                                         {QStringLiteral("phone"), phone}, {QStringLiteral("notes"), notes}});
        ASSERT_EQ(r.status, 201) << r.body.toStdString();
    }
    // Runs an export and returns the finished job; the file in `file`.
    QJsonObject exportWith(HttpClient& c, const QByteArray& query, QByteArray& file) {
        auto started = c.request("POST", "/api/v1/biz.customers/customers/export" + query);
        EXPECT_EQ(started.status, 202) << started.body.toStdString();
        const QJsonObject job = waitForJob(c, started.json().value(QStringLiteral("href")).toString().toUtf8());
        EXPECT_EQ(job.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded")) << QJsonDocument(job).toJson().toStdString();
        auto got = c.get(job.value(QStringLiteral("output")).toObject().value(QStringLiteral("href")).toString().toUtf8());
        EXPECT_EQ(got.status, 200);
        file = got.body;
        return job;
    }

    std::unique_ptr<RunningHost> host;
    std::unique_ptr<HttpClient> admin;
    qint64 root = 0, east = 0, west = 0;
};

// The data lines of a CSV export (header and byte order mark checked and dropped).
QStringList csvNames(const QByteArray& csv) {
    EXPECT_TRUE(csv.startsWith("\xEF\xBB\xBF")) << "no byte order mark";
    const QString text = QString::fromUtf8(csv.mid(3));
    EXPECT_TRUE(text.startsWith(QStringLiteral("编号,客户名称,所属单位,联系人,电话,地址,备注,创建时间,更新时间\r\n"))) << text.left(80).toStdString();
    QStringList names;
    for (const QString& line : text.split(QStringLiteral("\r\n"), Qt::SkipEmptyParts).mid(1)) names << line.section(QLatin1Char(','), 1, 1);
    names.sort();
    return names;
}

}  // namespace

TEST_F(CustomersExport, ExportsEveryCustomerInScopeAsCsvWithProgress) {
    QByteArray csv;
    const QJsonObject job = exportWith(*admin, "", csv);
    EXPECT_EQ(job.value(QStringLiteral("total")).toInt(), 3);
    EXPECT_EQ(job.value(QStringLiteral("done")).toInt(), 3);
    EXPECT_EQ(job.value(QStringLiteral("result")).toObject().value(QStringLiteral("rows")).toInt(), 3);
    EXPECT_EQ(job.value(QStringLiteral("output")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("customers.csv"));
    // The note with a comma, quotes and a line break is quoted (RFC 4180), not cut or mangled.
    EXPECT_TRUE(QString::fromUtf8(csv).contains(QStringLiteral("\"备注, 带逗号 \"\"和引号\"\"\n第二行\"")));
    const QString text = QString::fromUtf8(csv);
    // The unit by its path of names below the exporter's top unit (the root), not by its id.
    EXPECT_TRUE(text.contains(QStringLiteral(",东海电器,东区,,010-2,"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral(",西部物流,西区,,029-3,")));
}

TEST_F(CustomersExport, ExportsOnlyTheCallersScopeTheSearchAndThePickedUnit) {
    HttpClient officer = host->anonymousClient();
    officer.setDefaultHeader("Authorization", "Bearer " + host->userToken(QStringLiteral("east"), QStringLiteral("admin"), QStringLiteral("subtree"), east));
    QByteArray csv;
    exportWith(officer, "", csv);
    const QString text = QString::fromUtf8(csv);
    EXPECT_TRUE(text.contains(QStringLiteral("东海电器")));
    EXPECT_FALSE(text.contains(QStringLiteral("西部物流")));
    // Picking the other branch never widens the scope.
    exportWith(officer, "?unit=" + QByteArray::number(west), csv);
    EXPECT_EQ(QString::fromUtf8(csv).count(QStringLiteral("\r\n")), 1) << "only the header";

    exportWith(*admin, "?q=" + QUrl::toPercentEncoding(QStringLiteral("东海")), csv);
    EXPECT_TRUE(QString::fromUtf8(csv).contains(QStringLiteral("东海电器")));
    EXPECT_FALSE(QString::fromUtf8(csv).contains(QStringLiteral("东方商贸")));
    exportWith(*admin, "?unit=" + QByteArray::number(west), csv);
    EXPECT_EQ(csvNames(csv), QStringList{QStringLiteral("西部物流")});
}

TEST_F(CustomersExport, ExportsXlsx) {
    QByteArray xlsx;
    const QJsonObject job = exportWith(*admin, "?format=xlsx", xlsx);
    EXPECT_EQ(job.value(QStringLiteral("output")).toObject().value(QStringLiteral("name")).toString(), QStringLiteral("customers.xlsx"));
    EXPECT_EQ(job.value(QStringLiteral("output")).toObject().value(QStringLiteral("type")).toString(),
              QStringLiteral("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    EXPECT_TRUE(xlsx.startsWith("PK\x03\x04")) << "an .xlsx is a zip archive";
    EXPECT_GT(xlsx.size(), 1000);
}

TEST_F(CustomersExport, RefusesABadFormatOrFilterBeforeStartingAJob) {
    auto bad = admin->request("POST", "/api/v1/biz.customers/customers/export?format=pdf&unit=x");
    ASSERT_EQ(bad.status, 422) << bad.body.toStdString();
    QStringList fields;
    for (const auto& e : bad.json().value(QStringLiteral("errors")).toArray()) fields << e.toObject().value(QStringLiteral("field")).toString();
    EXPECT_EQ(fields, (QStringList{QStringLiteral("format"), QStringLiteral("unit")}));
    EXPECT_EQ(admin->get("/api/v1/jobs").json().value(QStringLiteral("items")).toArray().size(), 0);
}
