// biz.aftersales' charts over real HTTP with the host's clock moved by the test: a year's
// tickets by service class, per technician (tickets and hours, by the technicians' names) and
// by how soon the technician arrived, each in the caller's scope; bad and unknown parameters
// refused in Chinese.

#include "host_fixture.hpp"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>

#include <gtest/gtest.h>

using namespace tessera::test;

namespace {

class AftersalesCharts : public ::testing::Test {
protected:
    void SetUp() override {
        clockFile = dir.path() + QStringLiteral("/clock");
        setClock(start);
        qputenv("TESSERA_TEST_CLOCK_FILE", clockFile.toUtf8());
        host = std::make_unique<RunningHost>(
            QStringList{builtPluginDir()},
            std::vector<EnablePlugin>{{QStringLiteral("biz.customers"), {}}, {QStringLiteral("biz.aftersales"), {}}});
        ASSERT_EQ(host->app().runtime().plugin(QStringLiteral("biz.aftersales"))->state, tessera::host::PluginState::Started);
        admin = std::make_unique<HttpClient>(host->client());
        auto& units = host->app().units();
        const qint64 root = units.ensureRoot(QStringLiteral("公司"))->id;
        service = units.create(root, QStringLiteral("售后服务部"))->id;
        other = units.create(root, QStringLiteral("二部"))->id;
        role(QStringLiteral("manager"),
             {"biz.customers.read", "biz.aftersales.read", "biz.aftersales.register", "biz.aftersales.dispatch"});
        role(QStringLiteral("technician"), {"biz.customers.read", "biz.aftersales.read", "biz.aftersales.work"});
        manager = user(QStringLiteral("manager"), QStringLiteral("manager"), service);
        tech = user(QStringLiteral("tech"), QStringLiteral("technician"), service);
        tech2 = user(QStringLiteral("tech2"), QStringLiteral("technician"), service);
        tech3 = user(QStringLiteral("tech3"), QStringLiteral("technician"), other);
        stranger = user(QStringLiteral("stranger"), QStringLiteral("manager"), other);
        auto c = admin->send("POST", "/api/v1/biz.customers/customers",
                             QJsonObject{{QStringLiteral("name"), QStringLiteral("华联商厦")},
                                         {QStringLiteral("address"), QStringLiteral("北京市东城区王府井大街1号")},
                                         {QStringLiteral("unitId"), service}});
        ASSERT_EQ(c.status, 201) << c.body.toStdString();
        customer = c.json().value(QStringLiteral("id")).toInteger();
    }
    void TearDown() override { qunsetenv("TESSERA_TEST_CLOCK_FILE"); }

    void setClock(const QDateTime& t) {
        QFile f(clockFile);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(t.toUTC().toString(Qt::ISODate).toUtf8());
    }
    static QString local(const QDateTime& t) { return t.toLocalTime().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")); }
    void role(const QString& name, std::initializer_list<const char*> permissions) {
        QJsonArray p;
        for (const char* id : permissions) p.append(QString::fromLatin1(id));
        ASSERT_EQ(
            admin->send("POST", "/api/v1/roles", QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("permissions"), p}}).status,
            201);
    }
    std::unique_ptr<HttpClient> user(const QString& name, const QString& roleName, qint64 unit) {
        auto c = std::make_unique<HttpClient>(host->anonymousClient());
        c->setDefaultHeader("Authorization", "Bearer " + host->userToken(name, roleName, QStringLiteral("unit"), unit));
        c->setLanguage("zh-CN");
        return c;
    }
    static qint64 idOf(HttpClient& c) {
        return c.get("/api/v1/auth/me").json().value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toInteger();
    }
    // A call received now (or at `receivedAt`) and its ticket of `cls` for `technician`, by the
    // administrator at `unit`.
    qint64 ticket(const QString& cls, HttpClient& technician, qint64 unit, const QString& receivedAt = {}) {
        QJsonObject call{{QStringLiteral("customerId"), customer},
                         {QStringLiteral("unitId"), unit},
                         {QStringLiteral("situation"), QStringLiteral("录像机报警")},
                         {QStringLiteral("receivedBy"), QStringLiteral("李娜")}};
        if (!receivedAt.isEmpty()) call.insert(QStringLiteral("receivedAt"), receivedAt);
        auto r = admin->send("POST", "/api/v1/biz.aftersales/registrations", call);
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        auto t = admin->send("POST", "/api/v1/biz.aftersales/tickets",
                             QJsonObject{{QStringLiteral("registrationId"), r.json().value(QStringLiteral("id")).toInteger()},
                                         {QStringLiteral("serviceClass"), cls},
                                         {QStringLiteral("unitId"), unit},
                                         {QStringLiteral("technician"), idOf(technician)}});
        EXPECT_EQ(t.status, 201) << t.body.toStdString();
        return t.json().value(QStringLiteral("id")).toInteger();
    }
    void step(HttpClient& technician, qint64 id, const char* stepId, const QJsonObject& body) {
        const QByteArray path = "/api/v1/biz.aftersales/tickets/" + QByteArray::number(id);
        const qint64 version = technician.get(path).json().value(QStringLiteral("version")).toInteger();
        auto r = technician.send("POST", path + "/steps/" + stepId, body, ifMatch(version));
        ASSERT_EQ(r.status, 200) << stepId << ": " << r.body.toStdString();
    }
    // The technician arrives `hours` after the call (received at `start`) and, with `worked`
    // hours, closes the work on site.
    void arrive(HttpClient& technician, qint64 id, double hours) {
        step(technician, id, "arrive", {{QStringLiteral("arrivedAt"), local(start.addSecs(qint64(hours * 3600)))}});
    }
    void close(HttpClient& technician, qint64 id, const QString& worked) {
        step(technician, id, "close",
             {{QStringLiteral("workDone"), QStringLiteral("更换硬盘")},
              {QStringLiteral("hours"), worked},
              {QStringLiteral("closedAt"), local(start.addSecs(60 * 3600))}});
    }
    static QStringList column(const QJsonObject& answer, const char* field) {
        QStringList out;
        for (const auto& i : answer.value(QStringLiteral("items")).toArray()) {
            const QJsonValue v = i.toObject().value(QLatin1String(field));
            out << (v.isString() ? v.toString() : QString::number(v.toDouble()));
        }
        return out;
    }

    const QDateTime start = QDateTime(QDate(2026, 6, 10), QTime(9, 0), Qt::LocalTime);
    TempDir dir;
    QString clockFile;
    std::unique_ptr<RunningHost> host;
    std::unique_ptr<HttpClient> admin, manager, tech, tech2, tech3, stranger;
    qint64 service = 0, other = 0, customer = 0;
};

}  // namespace

// Seven tickets of the department this year, all called in at 09:00 on 2026-06-10: tech has
// four (arrived after 3 h, 6 h, 50 h and 10 h), tech2 three (after exactly 4 h, 30 h, and
// one not yet); one of last year's and one of another department's are not counted.
TEST_F(AftersalesCharts, TicketsByClassTechnicianAndResponseTimeOfTheYearInScope) {
    const qint64 t1 = ticket(QStringLiteral("C"), *tech, service), t2 = ticket(QStringLiteral("C"), *tech, service),
                 t3 = ticket(QStringLiteral("A"), *tech2, service), t4 = ticket(QStringLiteral("D"), *tech2, service),
                 t5 = ticket(QStringLiteral("A"), *tech, service), t6 = ticket(QStringLiteral("C"), *tech2, service),
                 t7 = ticket(QStringLiteral("C"), *tech, service);
    (void)t6;
    ticket(QStringLiteral("C"), *tech, service, QStringLiteral("2025-12-20T10:00:00"));
    const qint64 theirs = ticket(QStringLiteral("A"), *tech3, other);
    setClock(start.addSecs(100 * 3600));
    arrive(*tech, t1, 3);
    close(*tech, t1, QStringLiteral("1.5"));
    arrive(*tech, t2, 6);
    close(*tech, t2, QStringLiteral("2"));
    arrive(*tech2, t3, 4);
    close(*tech2, t3, QStringLiteral("3.5"));
    arrive(*tech2, t4, 30);
    close(*tech2, t4, QStringLiteral("1"));
    arrive(*tech, t5, 50);
    close(*tech, t5, QStringLiteral("4"));
    arrive(*tech, t7, 10);  // still on site: no hours yet
    arrive(*tech3, theirs, 1);

    auto classes = manager->get("/api/v1/biz.aftersales/charts/classes?year=2026");
    ASSERT_EQ(classes.status, 200) << classes.body.toStdString();
    const QJsonObject c = classes.json();
    EXPECT_EQ(column(c, "label"), (QStringList{QStringLiteral("A 收费服务"), QStringLiteral("B 合同服务"),
                                               QStringLiteral("C 免费服务（保修期内）"), QStringLiteral("D 一般行政工作")}));
    EXPECT_EQ(column(c, "key"), (QStringList{"A", "B", "C", "D"}));
    EXPECT_EQ(column(c, "value"), (QStringList{"2", "0", "4", "1"}));
    EXPECT_EQ(c.value(QStringLiteral("total")).toInteger(), 7);
    EXPECT_EQ(c.value(QStringLiteral("title")).toString(), QStringLiteral("2026年派工单（按服务类别）"));
    EXPECT_EQ(c.value(QStringLiteral("params")).toObject().value(QStringLiteral("year")).toString(), QStringLiteral("2026"));

    auto technicians = manager->get("/api/v1/biz.aftersales/charts/technicians?year=2026");
    ASSERT_EQ(technicians.status, 200) << technicians.body.toStdString();
    const QJsonObject t = technicians.json();
    EXPECT_EQ(column(t, "label"), (QStringList{QStringLiteral("tech"), QStringLiteral("tech2")})) << "by the users' names";
    EXPECT_EQ(column(t, "key"), (QStringList{QString::number(idOf(*tech)), QString::number(idOf(*tech2))}));
    EXPECT_EQ(column(t, "tickets"), (QStringList{"4", "3"}));
    EXPECT_EQ(column(t, "hours"), (QStringList{"7.5", "4.5"}));
    EXPECT_EQ(t.value(QStringLiteral("total")).toObject().value(QStringLiteral("tickets")).toInteger(), 7);
    EXPECT_EQ(t.value(QStringLiteral("total")).toObject().value(QStringLiteral("hours")).toDouble(), 12.0);

    auto response = manager->get("/api/v1/biz.aftersales/charts/response?year=2026");
    ASSERT_EQ(response.status, 200) << response.body.toStdString();
    const QJsonObject r = response.json();
    EXPECT_EQ(column(r, "label"), (QStringList{QStringLiteral("4小时内"), QStringLiteral("4至8小时"), QStringLiteral("8至24小时"),
                                               QStringLiteral("24至48小时"), QStringLiteral("超过48小时"), QStringLiteral("尚未到达")}));
    EXPECT_EQ(column(r, "value"), (QStringList{"2", "1", "1", "1", "1", "1"})) << "exactly 4 hours is within 4 hours";
    EXPECT_EQ(r.value(QStringLiteral("total")).toInteger(), 7);

    // Last year's ticket alone in 2025; the picked unit gives the same; another department
    // sees its own ticket only.
    EXPECT_EQ(column(manager->get("/api/v1/biz.aftersales/charts/classes?year=2025").json(), "value"), (QStringList{"0", "0", "1", "0"}));
    EXPECT_EQ(column(manager->get("/api/v1/biz.aftersales/charts/response?year=2025").json(), "value"),
              (QStringList{"0", "0", "0", "0", "0", "1"}));
    EXPECT_EQ(manager->get("/api/v1/biz.aftersales/charts/technicians?year=2026&unit=" + QByteArray::number(service)).json(), t);
    const QJsonObject theirTechnicians = stranger->get("/api/v1/biz.aftersales/charts/technicians?year=2026").json();
    EXPECT_EQ(column(theirTechnicians, "label"), QStringList{QStringLiteral("tech3")});
    EXPECT_EQ(column(stranger->get("/api/v1/biz.aftersales/charts/response?year=2026").json(), "value"),
              (QStringList{"1", "0", "0", "0", "0", "0"}));
    EXPECT_EQ(admin->get("/api/v1/biz.aftersales/charts/classes?year=2026").json().value(QStringLiteral("total")).toInteger(), 8);
}

TEST_F(AftersalesCharts, BadAndUnknownParametersAreRefusedInChinese) {
    for (const char* chart : {"classes", "technicians", "response"}) {
        const QByteArray path = "/api/v1/biz.aftersales/charts/" + QByteArray(chart);
        auto bad = manager->get(path + "?year=abc");
        ASSERT_EQ(bad.status, 422) << chart << ": " << bad.body.toStdString();
        EXPECT_EQ(fieldsOf(bad), QStringList{QStringLiteral("year")});
        EXPECT_EQ(messageOf(bad, QStringLiteral("year")), QStringLiteral("应为 2000 到 2026 之间的整数，而不是“abc”"));
        EXPECT_EQ(fieldsOf(manager->get(path + "?year=2027")), QStringList{QStringLiteral("year")}) << "not a year to come";
        auto unknown = manager->get(path + "?year=2026&by=class");
        ASSERT_EQ(unknown.status, 422) << chart;
        EXPECT_EQ(fieldsOf(unknown), QStringList{QStringLiteral("by")});
        EXPECT_EQ(messageOf(unknown, QStringLiteral("by")), QStringLiteral("不是这里的参数；可用的参数有 year, unit"));
        auto thisYear = manager->get(path);
        EXPECT_EQ(thisYear.status, 200) << "this year by default";
        EXPECT_EQ(thisYear.json().value(QStringLiteral("params")).toObject().value(QStringLiteral("year")).toString(),
                  QStringLiteral("2026"));
    }
}
