// biz.aftersales over real HTTP with the host's clock moved by the test: a call registered with
// the customer's address and phone, numbered per year; a ticket dispatched from it, class B
// only under a contract of that customer covering the call's day, only class A charged, in
// exact money; the technician's steps with the 24-hour response target as a warning and a
// home reminder; contracts about to end as a reminder; another department sees nothing.

#include "host_fixture.hpp"
#include "qr_reader.hpp"

#include <QBuffer>
#include <QDateTime>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

#include <gtest/gtest.h>

using namespace tessera::test;

namespace {

class Aftersales : public ::testing::Test {
protected:
    void SetUp() override {
        clockFile = dir.path() + QStringLiteral("/clock");
        setClock(start);
        qputenv("TESSERA_TEST_CLOCK_FILE", clockFile.toUtf8());
        QString xml = RunningHost::deploymentXml(
            QStringList{builtPluginDir()},
            std::vector<EnablePlugin>{{QStringLiteral("biz.customers"), {}}, {QStringLiteral("biz.aftersales"), {}}});
        if (!publicUrl().isEmpty())
            xml.replace(QStringLiteral("port=\"0\"/>"), QStringLiteral("port=\"0\" public-url=\"%1\"/>").arg(publicUrl()));
        host = std::make_unique<RunningHost>(dir.write(QStringLiteral("deployment.xml"), xml.toUtf8()));
        ASSERT_EQ(host->app().runtime().plugin(QStringLiteral("biz.aftersales"))->state, tessera::host::PluginState::Started)
            << host->app().runtime().plugin(QStringLiteral("biz.aftersales"))->reason.toStdString();
        admin = std::make_unique<HttpClient>(host->client());
        auto& units = host->app().units();
        root = units.ensureRoot(QStringLiteral("公司"))->id;
        service = units.create(root, QStringLiteral("售后服务部"))->id;
        other = units.create(root, QStringLiteral("二部"))->id;
        role(QStringLiteral("clerk"), {"biz.customers.read", "biz.aftersales.read", "biz.aftersales.register"});
        role(QStringLiteral("manager"),
             {"biz.customers.read", "biz.aftersales.read", "biz.aftersales.register", "biz.aftersales.dispatch"});
        role(QStringLiteral("technician"), {"biz.customers.read", "biz.aftersales.read", "biz.aftersales.work"});
        clerk = user(QStringLiteral("clerk"), QStringLiteral("clerk"), service);
        manager = user(QStringLiteral("manager"), QStringLiteral("manager"), service);
        tech = user(QStringLiteral("tech"), QStringLiteral("technician"), service);
        techId = tech->get("/api/v1/auth/me").json().value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toInteger();
        zhao = user(QStringLiteral("zhao"), QStringLiteral("technician"), service);  // who assists
        zhaoId = zhao->get("/api/v1/auth/me").json().value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toInteger();
        stranger = user(QStringLiteral("stranger"), QStringLiteral("manager"), other);
        customer = newCustomer(QStringLiteral("华联商厦"), QStringLiteral("010-6512 3456"), QStringLiteral("北京市东城区王府井大街1号"));
        second = newCustomer(QStringLiteral("东方宾馆"), QStringLiteral("020-8666 9900"), QStringLiteral("广州市越秀区"));
    }
    void TearDown() override { qunsetenv("TESSERA_TEST_CLOCK_FILE"); }
    /// The deployment's <listen public-url>, none unless a test's fixture says one.
    virtual QString publicUrl() const { return {}; }

    void setClock(const QDateTime& t) {
        QFile f(clockFile);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(t.toUTC().toString(Qt::ISODate).toUtf8());
    }
    static QString local(const QDateTime& t) { return t.toLocalTime().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")); }

    void role(const QString& name, std::initializer_list<const char*> permissions) {
        QJsonArray p;
        for (const char* id : permissions) p.append(QString::fromLatin1(id));
        auto r = admin->send("POST", "/api/v1/roles", QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("permissions"), p}});
        ASSERT_EQ(r.status, 201) << r.body.toStdString();
    }
    std::unique_ptr<HttpClient> user(const QString& name, const QString& roleName, qint64 unit) {
        auto c = std::make_unique<HttpClient>(host->anonymousClient());
        c->setDefaultHeader("Authorization", "Bearer " + host->userToken(name, roleName, QStringLiteral("unit"), unit));
        c->setLanguage("zh-CN");
        return c;
    }
    qint64 newCustomer(const QString& name, const QString& phone, const QString& address) {
        auto r = admin->send("POST", "/api/v1/biz.customers/customers",
                             QJsonObject{{QStringLiteral("name"), name},
                                         {QStringLiteral("phone"), phone},
                                         {QStringLiteral("address"), address},
                                         {QStringLiteral("unitId"), service}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }
    HttpReply call(qint64 who, QJsonObject more = {}) {
        more.insert(QStringLiteral("customerId"), who);
        more.insert(QStringLiteral("unitId"), service);
        if (!more.contains(QStringLiteral("situation")))
            more.insert(QStringLiteral("situation"), QStringLiteral("三楼监控画面全黑，录像机报警"));
        more.insert(QStringLiteral("receivedBy"), QStringLiteral("李娜"));
        return clerk->send("POST", "/api/v1/biz.aftersales/registrations", more);
    }
    qint64 callOk(qint64 who, QJsonObject more = {}) {
        auto r = call(who, std::move(more));
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }
    HttpReply ticket(qint64 registration, const QString& cls, QJsonObject more = {}) {
        more.insert(QStringLiteral("registrationId"), registration);
        more.insert(QStringLiteral("serviceClass"), cls);
        more.insert(QStringLiteral("unitId"), service);
        if (!more.contains(QStringLiteral("technician"))) more.insert(QStringLiteral("technician"), techId);
        if (!more.contains(QStringLiteral("assistants"))) more.insert(QStringLiteral("assistants"), QJsonArray{zhaoId});
        return manager->send("POST", "/api/v1/biz.aftersales/tickets", more);
    }
    HttpReply contract(const QString& no, qint64 who, const QString& from, const QString& to) {
        return manager->send("POST", "/api/v1/biz.aftersales/contracts",
                             QJsonObject{{QStringLiteral("contractNo"), no},
                                         {QStringLiteral("customerId"), who},
                                         {QStringLiteral("unitId"), service},
                                         {QStringLiteral("startsOn"), from},
                                         {QStringLiteral("endsOn"), to},
                                         {QStringLiteral("products"), QStringLiteral("监控系统、门禁系统")},
                                         {QStringLiteral("visits"), 4},
                                         {QStringLiteral("fee"), QStringLiteral("12000.00")}});
    }
    HttpReply print(HttpClient& c, qint64 ticketId, const char* document, QList<QPair<QByteArray, QByteArray>> headers = {}) {
        return c.request("POST", "/api/v1/biz.aftersales/tickets/" + QByteArray::number(ticketId) + "/documents/" + document, {}, headers);
    }
    QJsonObject documentState(HttpClient& c, qint64 ticketId, const QString& document) {
        const auto all = c.get("/api/v1/biz.aftersales/tickets/" + QByteArray::number(ticketId) + "/documents")
                             .json()
                             .value(QStringLiteral("documents"));
        for (const auto& d : all.toArray())
            if (d.toObject().value(QStringLiteral("id")).toString() == document) return d.toObject();
        return {};
    }
    HttpReply attachSignature(HttpClient& c, qint64 ticketId, const QString& name, const QByteArray& bytes,
                              const QByteArray& field = "signature") {
        auto up = c.request("POST", "/api/v1/files?name=" + QUrl::toPercentEncoding(name), bytes, {{"Content-Type", "image/png"}});
        EXPECT_EQ(up.status, 201) << up.body.toStdString();
        return c.send("POST", "/api/v1/biz.aftersales/tickets/" + QByteArray::number(ticketId) + "/attachments/" + field,
                      QJsonObject{{QStringLiteral("upload"), up.json().value(QStringLiteral("id")).toString()}});
    }
    HttpReply step(qint64 ticketId, const char* id, const QJsonObject& body, int version) {
        return tech->send("POST", "/api/v1/biz.aftersales/tickets/" + QByteArray::number(ticketId) + "/steps/" + id, body,
                          {{"If-Match", "\"" + QByteArray::number(version) + "\""}});
    }

    const QDateTime start = QDateTime(QDate(2026, 6, 10), QTime(9, 0), Qt::LocalTime);
    TempDir dir;
    QString clockFile;
    std::unique_ptr<RunningHost> host;
    std::unique_ptr<HttpClient> admin, clerk, manager, tech, zhao, stranger;
    qint64 root = 0, service = 0, other = 0, customer = 0, second = 0, techId = 0, zhaoId = 0;
};

}  // namespace

TEST_F(Aftersales, ACallTakesTheCustomersAddressAndPhoneAndIsNumberedPerYear) {
    auto first = call(customer);
    ASSERT_EQ(first.status, 201) << first.body.toStdString();
    const QJsonObject c = first.json();
    EXPECT_EQ(c.value(QStringLiteral("registrationNo")).toString(), QStringLiteral("BX2026-0001"));
    EXPECT_EQ(c.value(QStringLiteral("customerName")).toString(), QStringLiteral("华联商厦"));
    EXPECT_EQ(c.value(QStringLiteral("address")).toString(), QStringLiteral("北京市东城区王府井大街1号"));
    EXPECT_EQ(c.value(QStringLiteral("phone")).toString(), QStringLiteral("010-6512 3456"));
    EXPECT_EQ(c.value(QStringLiteral("receivedAt")).toString(), local(start)) << "received now, by the host's clock";
    EXPECT_EQ(c.value(QStringLiteral("receivedOn")).toString(), QStringLiteral("2026-06-10"));
    // The caller's own phone; a call written up later, last year's: numbered in that year.
    auto own = call(customer, {{QStringLiteral("phone"), QStringLiteral("138 0013 8000")}});
    EXPECT_EQ(own.json().value(QStringLiteral("registrationNo")).toString(), QStringLiteral("BX2026-0002"));
    EXPECT_EQ(own.json().value(QStringLiteral("phone")).toString(), QStringLiteral("138 0013 8000"));
    auto late = call(second, {{QStringLiteral("receivedAt"), QStringLiteral("2025-12-31T16:30:00")}});
    EXPECT_EQ(late.json().value(QStringLiteral("registrationNo")).toString(), QStringLiteral("BX2025-0001")) << late.body.toStdString();
    EXPECT_EQ(fieldsOf(call(customer, {{QStringLiteral("situation"), QString()}})), QStringList{QStringLiteral("situation")});
    // Another department neither sees the calls nor registers for a customer it may not read.
    EXPECT_EQ(stranger->get("/api/v1/biz.aftersales/registrations").json().value(QStringLiteral("total")).toInteger(), 0);
    EXPECT_EQ(clerk->get("/api/v1/biz.aftersales/registrations").json().value(QStringLiteral("total")).toInteger(), 3);
}

TEST_F(Aftersales, ClassBNeedsACoveringContractOfTheCustomerAndOnlyClassAIsCharged) {
    auto backwards = contract(QStringLiteral("HT-2026-009"), customer, QStringLiteral("2026-12-31"), QStringLiteral("2026-01-01"));
    EXPECT_EQ(fieldsOf(backwards), QStringList{QStringLiteral("endsOn")});
    auto made = contract(QStringLiteral("HT-2026-001"), customer, QStringLiteral("2026-01-01"), QStringLiteral("2026-12-31"));
    ASSERT_EQ(made.status, 201) << made.body.toStdString();
    const qint64 contractId = made.json().value(QStringLiteral("id")).toInteger();

    // The customer's contract covering the call's day is found; the ticket takes the call's details.
    auto b = ticket(callOk(customer), QStringLiteral("B"));
    ASSERT_EQ(b.status, 201) << b.body.toStdString();
    EXPECT_EQ(b.json().value(QStringLiteral("ticketNo")).toString(), QStringLiteral("PG2026-0001"));
    EXPECT_EQ(b.json().value(QStringLiteral("contractId")).toInteger(), contractId);
    EXPECT_EQ(b.json().value(QStringLiteral("customerName")).toString(), QStringLiteral("华联商厦"));
    EXPECT_EQ(b.json().value(QStringLiteral("address")).toString(), QStringLiteral("北京市东城区王府井大街1号"));
    EXPECT_EQ(b.json().value(QStringLiteral("state")).toString(), QStringLiteral("dispatched"));
    EXPECT_EQ(b.json().value(QStringLiteral("invoiceState")).toString(), QStringLiteral("none"));

    // Without a contract, with another customer's, or one that does not cover the call's day: refused.
    auto none = ticket(callOk(second), QStringLiteral("B"));
    EXPECT_EQ(fieldsOf(none), QStringList{QStringLiteral("contractId")});
    EXPECT_TRUE(messageOf(none, QStringLiteral("contractId")).contains(QStringLiteral("东方宾馆 在 2026-06-10 没有有效的保养合同")))
        << none.body.toStdString();
    auto foreign = ticket(callOk(second), QStringLiteral("B"), {{QStringLiteral("contractId"), contractId}});
    EXPECT_TRUE(messageOf(foreign, QStringLiteral("contractId")).contains(QStringLiteral("属于 华联商厦"))) << foreign.body.toStdString();
    const qint64 lastYear = callOk(customer, {{QStringLiteral("receivedAt"), QStringLiteral("2025-12-20T10:00:00")}});
    EXPECT_EQ(fieldsOf(ticket(lastYear, QStringLiteral("B"))), QStringList{QStringLiteral("contractId")});
    auto outside = ticket(lastYear, QStringLiteral("B"), {{QStringLiteral("contractId"), contractId}});
    EXPECT_TRUE(messageOf(outside, QStringLiteral("contractId")).contains(QStringLiteral("不包括报修日期 2025-12-20")))
        << outside.body.toStdString();
    EXPECT_EQ(fieldsOf(ticket(callOk(customer), QStringLiteral("C"), {{QStringLiteral("contractId"), contractId}})),
              QStringList{QStringLiteral("contractId")});

    // Only class A is charged: in exact money, invoiced with a number and date.
    auto free = ticket(callOk(customer), QStringLiteral("C"), {{QStringLiteral("labourFee"), QStringLiteral("50.00")}});
    EXPECT_EQ(fieldsOf(free), QStringList{QStringLiteral("labourFee")});
    EXPECT_TRUE(messageOf(free, QStringLiteral("labourFee")).contains(QStringLiteral("C 免费服务（保修期内）不收费")))
        << free.body.toStdString();
    auto charged = ticket(callOk(customer), QStringLiteral("A"),
                          {{QStringLiteral("labourFee"), QStringLiteral("120.50")}, {QStringLiteral("partsFee"), QStringLiteral("35.25")}});
    ASSERT_EQ(charged.status, 201) << charged.body.toStdString();
    EXPECT_EQ(charged.json().value(QStringLiteral("total")).toString(), QStringLiteral("155.75"));
    EXPECT_EQ(charged.json().value(QStringLiteral("invoiceState")).toString(), QStringLiteral("to-issue"));
    EXPECT_EQ(fieldsOf(ticket(callOk(customer), QStringLiteral("A"), {{QStringLiteral("labourFee"), QStringLiteral("0.001")}})),
              QStringList{QStringLiteral("labourFee")})
        << "money has two digits after the point";
    const QByteArray path = "/api/v1/biz.aftersales/tickets/" + QByteArray::number(charged.json().value(QStringLiteral("id")).toInteger());
    QJsonObject invoiced = charged.json();
    invoiced.insert(QStringLiteral("invoiceState"), QStringLiteral("issued"));
    EXPECT_EQ(fieldsOf(manager->send("PUT", path, invoiced, {{"If-Match", "\"1\""}})),
              (QStringList{QStringLiteral("invoiceNo"), QStringLiteral("invoiceDate")}));
    invoiced.insert(QStringLiteral("invoiceNo"), QStringLiteral("No.04412077"));
    invoiced.insert(QStringLiteral("invoiceDate"), QStringLiteral("2026-06-10"));
    auto issued = manager->send("PUT", path, invoiced, {{"If-Match", "\"1\""}});
    ASSERT_EQ(issued.status, 200) << issued.body.toStdString();
    EXPECT_EQ(issued.json().value(QStringLiteral("total")).toString(), QStringLiteral("155.75"));
    auto stats = manager->get("/api/v1/biz.aftersales/statistics?year=2026");
    EXPECT_EQ(stats.json().value(QStringLiteral("total")).toObject().value(QStringLiteral("charged")).toString(), QStringLiteral("155.75"))
        << stats.body.toStdString();
    // The clerk registers calls but does not dispatch.
    EXPECT_EQ(clerk
                  ->send("POST", "/api/v1/biz.aftersales/tickets",
                         QJsonObject{{QStringLiteral("registrationId"), 1}, {QStringLiteral("serviceClass"), QStringLiteral("C")}})
                  .status,
              403);
}

TEST_F(Aftersales, TheTechnicianArrivesAndClosesAndLateArrivalsAreWarnedAndReminded) {
    const qint64 id = ticket(callOk(customer), QStringLiteral("C")).json().value(QStringLiteral("id")).toInteger();
    const qint64 carried = ticket(callOk(customer), QStringLiteral("C")).json().value(QStringLiteral("id")).toInteger();
    ASSERT_GT(id, 0);
    // Within the target: no reminder.
    EXPECT_FALSE(manager->get("/api/v1/reminders").body.contains("派工单")) << "nothing is late yet";
    // 25 hours on, nobody has arrived: the manager is reminded; another department is not.
    setClock(start.addSecs(25 * 3600));
    auto reminders = manager->get("/api/v1/reminders");
    EXPECT_TRUE(reminders.body.contains(QStringLiteral("2 张派工单报修已超过 24 小时，技术员仍未到达").toUtf8()))
        << reminders.body.toStdString();
    EXPECT_FALSE(stranger->get("/api/v1/reminders").body.contains("派工单"));

    EXPECT_EQ(fieldsOf(step(id, "arrive", {{QStringLiteral("arrivedAt"), local(start.addSecs(-3600))}}, 1)),
              QStringList{QStringLiteral("arrivedAt")})
        << "not before the call";
    auto arrived = step(id, "arrive", {{QStringLiteral("arrivedAt"), local(start.addSecs(25 * 3600))}}, 1);
    ASSERT_EQ(arrived.status, 200) << arrived.body.toStdString();
    EXPECT_EQ(arrived.json().value(QStringLiteral("state")).toString(), QStringLiteral("on-site"));
    const QJsonArray warnings = arrived.json().value(QStringLiteral("warnings")).toArray();
    ASSERT_EQ(warnings.size(), 1) << arrived.body.toStdString();
    EXPECT_EQ(warnings[0].toObject().value(QStringLiteral("message")).toString(),
              QStringLiteral("报修后 25.0 小时才到达，超过 24 小时响应时限"));
    EXPECT_TRUE(manager->get("/api/v1/reminders").body.contains(QStringLiteral("1 张派工单").toUtf8()));
    EXPECT_EQ(fieldsOf(step(id, "close",
                            {{QStringLiteral("workDone"), QStringLiteral("更换硬盘")}, {QStringLiteral("closedAt"), local(start)}}, 2)),
              QStringList{QStringLiteral("closedAt")})
        << "not before the arrival";
    auto closed = step(id, "close",
                       {{QStringLiteral("workDone"), QStringLiteral("更换录像机硬盘，恢复录像")},
                        {QStringLiteral("parts"), QStringLiteral("4TB 监控硬盘 1 块")},
                        {QStringLiteral("hours"), QStringLiteral("1.5")},
                        {QStringLiteral("closedAt"), local(start.addSecs(25 * 3600))}},
                       2);
    ASSERT_EQ(closed.status, 200) << closed.body.toStdString();
    EXPECT_EQ(closed.json().value(QStringLiteral("state")).toString(), QStringLiteral("closed"));
    EXPECT_FALSE(closed.json().contains(QStringLiteral("warnings"))) << "the late arrival is said once";

    // Carried back with a receipt of what was taken, closed when returned repaired.
    ASSERT_EQ(step(carried, "arrive", {{QStringLiteral("arrivedAt"), local(start.addSecs(3 * 3600))}}, 1).status, 200);
    EXPECT_EQ(fieldsOf(step(carried, "carry-back", {}, 2)), QStringList{QStringLiteral("goodsTaken")});
    ASSERT_EQ(step(carried, "carry-back", {{QStringLiteral("goodsTaken"), QStringLiteral("硬盘录像机 1 台，外壳完好，无硬盘")}}, 2).status,
              200);
    auto back = step(
        carried, "return",
        {{QStringLiteral("workDone"), QStringLiteral("更换电源板")}, {QStringLiteral("closedAt"), local(start.addSecs(25 * 3600))}}, 3);
    ASSERT_EQ(back.status, 200) << back.body.toStdString();
    EXPECT_EQ(back.json().value(QStringLiteral("state")).toString(), QStringLiteral("closed"));
    EXPECT_FALSE(manager->get("/api/v1/reminders").body.contains("派工单"));
    // Work done stays: the ticket is the customer's service history.
    EXPECT_EQ(manager->request("DELETE", "/api/v1/biz.aftersales/tickets/" + QByteArray::number(id), {}, {{"If-Match", "\"3\""}}).status,
              409);
    // The manager does not take the technician's steps.
    const qint64 third = ticket(callOk(customer), QStringLiteral("D")).json().value(QStringLiteral("id")).toInteger();

    // The year's statistics: one of the two arrivals on time, on average 14 hours after the call.
    auto stats = manager->get("/api/v1/biz.aftersales/statistics?year=2026");
    ASSERT_EQ(stats.status, 200) << stats.body.toStdString();
    const QJsonArray rows = stats.json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(rows.size(), 2) << stats.body.toStdString();
    const QJsonObject free = rows[0].toObject();
    EXPECT_EQ(free.value(QStringLiteral("label")).toString(), QStringLiteral("C 免费服务（保修期内）"));
    EXPECT_EQ(free.value(QStringLiteral("tickets")).toInteger(), 2);
    EXPECT_EQ(free.value(QStringLiteral("closed")).toInteger(), 2);
    EXPECT_EQ(free.value(QStringLiteral("onTime")).toInteger(), 1);
    EXPECT_EQ(free.value(QStringLiteral("onTimeRate")).toString(), QStringLiteral("50.0"));
    EXPECT_EQ(free.value(QStringLiteral("averageHours")).toString(), QStringLiteral("14.0"));
    EXPECT_EQ(rows[1].toObject().value(QStringLiteral("arrived")).toInteger(), 0);
    EXPECT_EQ(stats.json().value(QStringLiteral("total")).toObject().value(QStringLiteral("tickets")).toInteger(), 3);
    EXPECT_EQ(stats.json().value(QStringLiteral("title")).toString(), QStringLiteral("2026年售后服务统计（按服务类别）"));
    auto byMonth = manager->get("/api/v1/biz.aftersales/statistics?year=2026&by=month");
    EXPECT_EQ(byMonth.json().value(QStringLiteral("items")).toArray()[0].toObject().value(QStringLiteral("label")).toString(),
              QStringLiteral("2026-06"));
    EXPECT_EQ(fieldsOf(manager->get("/api/v1/biz.aftersales/statistics?by=week")), QStringList{QStringLiteral("by")});
    EXPECT_EQ(stranger->get("/api/v1/biz.aftersales/statistics?year=2026").json().value(QStringLiteral("items")).toArray().size(), 0);
    // As a file, from the host's report export.
    auto csv = manager->get("/api/v1/reports/biz.aftersales/statistics/export?format=csv&year=2026");
    ASSERT_EQ(csv.status, 200) << csv.body.toStdString();
    EXPECT_TRUE(csv.body.contains(QStringLiteral("按时响应率（%）").toUtf8()) && csv.body.contains(QStringLiteral("合计").toUtf8()))
        << csv.body.toStdString();
    EXPECT_EQ(manager
                  ->send("POST", "/api/v1/biz.aftersales/tickets/" + QByteArray::number(third) + "/steps/arrive",
                         QJsonObject{{QStringLiteral("arrivedAt"), local(start.addSecs(25 * 3600))}}, {{"If-Match", "\"1\""}})
                  .status,
              403);
}

// The ticket names its technician: someone holding the technician's duty at the department.
// Only they take its steps, it waits in their to-do list alone, and "my tickets" lists theirs.
TEST_F(Aftersales, ATicketsTechnicianAloneTakesItsStepsAndListsItAsTheirs) {
    role(QStringLiteral("technician2"), {"biz.customers.read", "biz.aftersales.read", "biz.aftersales.work"});
    auto tech2 = user(QStringLiteral("tech2"), QStringLiteral("technician2"), service);
    const qint64 managerId =
        manager->get("/api/v1/auth/me").json().value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toInteger();
    auto notATechnician = ticket(callOk(customer), QStringLiteral("C"), {{QStringLiteral("technician"), managerId}});
    ASSERT_EQ(notATechnician.status, 422) << notATechnician.body.toStdString();
    EXPECT_EQ(messageOf(notATechnician, QStringLiteral("technician")),
              QStringLiteral("不是在 售后服务部 担任“现场服务、携回修护（技术员）”的人员，请从列表中选择"));
    // The manager's picker lists the department's technicians by name.
    auto people = manager->get("/api/v1/biz.aftersales/tickets/people/technician");
    ASSERT_EQ(people.status, 200) << people.body.toStdString();
    QStringList names;
    for (const auto& p : people.json().value(QStringLiteral("items")).toArray())
        names << p.toObject().value(QStringLiteral("name")).toString();
    EXPECT_EQ(names, (QStringList{QStringLiteral("tech"), QStringLiteral("tech2"), QStringLiteral("zhao")}));

    const qint64 id = ticket(callOk(customer), QStringLiteral("C")).json().value(QStringLiteral("id")).toInteger();
    ASSERT_GT(id, 0);
    auto mine = tech->get("/api/v1/biz.aftersales/tickets?technician=me");
    EXPECT_EQ(mine.json().value(QStringLiteral("total")).toInteger(), 1) << mine.body.toStdString();
    EXPECT_EQ(mine.json()
                  .value(QStringLiteral("items"))
                  .toArray()[0]
                  .toObject()
                  .value(QStringLiteral("labels"))
                  .toObject()
                  .value(QStringLiteral("technician"))
                  .toString(),
              QStringLiteral("tech"));
    EXPECT_EQ(tech2->get("/api/v1/biz.aftersales/tickets?technician=me").json().value(QStringLiteral("total")).toInteger(), 0);
    EXPECT_EQ(tech->get("/api/v1/todo").json().value(QStringLiteral("total")).toInteger(), 1);
    EXPECT_EQ(tech2->get("/api/v1/todo").json().value(QStringLiteral("total")).toInteger(), 0) << "not theirs to do";
    EXPECT_TRUE(tech2->get("/api/v1/biz.aftersales/tickets/" + QByteArray::number(id) + "/steps")
                    .json()
                    .value(QStringLiteral("steps"))
                    .toArray()
                    .isEmpty());
    auto refused = tech2->send("POST", "/api/v1/biz.aftersales/tickets/" + QByteArray::number(id) + "/steps/arrive",
                               QJsonObject{{QStringLiteral("arrivedAt"), local(start)}}, {{"If-Match", "\"1\""}});
    EXPECT_EQ(refused.status, 403) << refused.body.toStdString();
    EXPECT_TRUE(QString::fromUtf8(refused.body).contains(QStringLiteral("只有服务派工单 PG2026-0001 的主修技术员才能到达现场")))
        << refused.body.toStdString();
    EXPECT_EQ(step(id, "arrive", {{QStringLiteral("arrivedAt"), local(start)}}, 1).status, 200);
    // What the steps record is not the manager's to type in or change by an edit.
    QJsonObject edited = manager->get("/api/v1/biz.aftersales/tickets/" + QByteArray::number(id)).json();
    edited.insert(QStringLiteral("arrivedAt"), local(start.addSecs(-600)));
    edited.insert(QStringLiteral("goodsTaken"), QStringLiteral("录像机"));
    auto refusedEdit = manager->send("PUT", "/api/v1/biz.aftersales/tickets/" + QByteArray::number(id), edited, {{"If-Match", "\"2\""}});
    EXPECT_EQ(fieldsOf(refusedEdit), (QStringList{QStringLiteral("arrivedAt"), QStringLiteral("goodsTaken")}))
        << refusedEdit.body.toStdString();
    EXPECT_EQ(messageOf(refusedEdit, QStringLiteral("goodsTaken")), QStringLiteral("由技术员办理相应步骤时填写，不能在编辑中填写或修改"));
}

namespace {

// Uploads `bytes` as `name` and runs the tickets' import; returns the finished job's result.
QJsonObject importTickets(HttpClient& c, const QByteArray& bytes) {
    auto up = c.request("POST", "/api/v1/files?name=tickets.csv", bytes, {{"Content-Type", "application/octet-stream"}});
    EXPECT_EQ(up.status, 201) << up.body.toStdString();
    auto started = c.send("POST", "/api/v1/biz.aftersales/tickets/import",
                          QJsonObject{{QStringLiteral("file"), up.json().value(QStringLiteral("id")).toString()}});
    EXPECT_EQ(started.status, 202) << started.body.toStdString();
    return waitForJob(c, started.json().value(QStringLiteral("href")).toString().toUtf8()).value(QStringLiteral("result")).toObject();
}

}  // namespace

// A ticket names its assistants as people (a field of several users), and everyone on it, the
// lead first, is its crew: a technician's day (我的派工单, crew=me&visitOn=today) lists the
// tickets they lead or assist on whose visit is today. Names, not ids, in labels, history,
// the printed ticket and the export, which imports back.
TEST_F(Aftersales, AssistantsArePeopleAndATechniciansDayListsTodaysTicketsOfTheirCrew) {
    role(QStringLiteral("technician2"), {"biz.customers.read", "biz.aftersales.read", "biz.aftersales.work"});
    auto tech2 = user(QStringLiteral("tech2"), QStringLiteral("technician2"), service);
    const qint64 tech2Id =
        tech2->get("/api/v1/auth/me").json().value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toInteger();
    const qint64 managerId =
        manager->get("/api/v1/auth/me").json().value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toInteger();
    auto made = ticket(callOk(customer), QStringLiteral("C"));
    ASSERT_EQ(made.status, 201) << made.body.toStdString();
    const qint64 id = made.json().value(QStringLiteral("id")).toInteger();
    const QByteArray path = "/api/v1/biz.aftersales/tickets/" + QByteArray::number(id);
    QJsonObject got = tech->get(path).json();
    EXPECT_EQ(got.value(QStringLiteral("assistants")).toArray(), (QJsonArray{zhaoId}));
    EXPECT_EQ(got.value(QStringLiteral("crew")).toArray(), (QJsonArray{techId, zhaoId}));
    EXPECT_EQ(got.value(QStringLiteral("visitOn")).toString(), QStringLiteral("2026-06-10")) << "today, when left empty";
    const QJsonObject labels = got.value(QStringLiteral("labels")).toObject();
    EXPECT_EQ(labels.value(QStringLiteral("assistants")).toString(), QStringLiteral("zhao"));
    EXPECT_EQ(labels.value(QStringLiteral("crew")).toString(), QStringLiteral("tech、zhao"));
    // Tomorrow's visit is not today's.
    ASSERT_EQ(ticket(callOk(second), QStringLiteral("C"), {{QStringLiteral("visitOn"), QStringLiteral("2026-06-11")}}).status, 201);
    const auto today = [](HttpClient& c) {
        return c.get("/api/v1/biz.aftersales/tickets?crew=me&visitOn=today").json().value(QStringLiteral("total")).toInteger();
    };
    EXPECT_EQ(today(*tech), 1);
    EXPECT_EQ(today(*zhao), 1) << "an assistant's day holds it too";
    EXPECT_EQ(today(*tech2), 0);
    EXPECT_EQ(zhao->get("/api/v1/biz.aftersales/tickets?crew=me").json().value(QStringLiteral("total")).toInteger(), 2);
    EXPECT_EQ(manager->get("/api/v1/biz.aftersales/tickets?assistants=" + QByteArray::number(zhaoId))
                  .json()
                  .value(QStringLiteral("total"))
                  .toInteger(),
              2);
    auto badDay = tech->get("/api/v1/biz.aftersales/tickets?visitOn=tomorrow");
    EXPECT_EQ(badDay.status, 422);
    EXPECT_TRUE(messageOf(badDay, QStringLiteral("visitOn")).contains(QStringLiteral("today"))) << badDay.body.toStdString();
    EXPECT_EQ(manager->get("/api/v1/biz.aftersales/tickets/counts?by=crew").status, 422) << "not counted by a field of several";

    // Each assistant holds the technicians' duty there, is not the lead, and is a list of ids.
    const auto refusal = [&](const QJsonValue& assistants) {
        return ticket(callOk(customer), QStringLiteral("C"), {{QStringLiteral("assistants"), assistants}});
    };
    auto lead = refusal(QJsonArray{zhaoId, techId});
    EXPECT_EQ(messageOf(lead, QStringLiteral("assistants")), QStringLiteral("列入了主修技术员：只填协助的技术员"))
        << lead.body.toStdString();
    auto notATechnician = refusal(QJsonArray{managerId});
    EXPECT_EQ(messageOf(notATechnician, QStringLiteral("assistants")),
              QStringLiteral("不是在 售后服务部 担任“现场服务、携回修护（技术员）”的人员，请从列表中选择"));
    EXPECT_EQ(messageOf(refusal(QStringLiteral("赵工")), QStringLiteral("assistants")), QStringLiteral("应为用户编号的列表"));
    EXPECT_EQ(messageOf(refusal(QJsonArray{zhaoId, QStringLiteral("x")}), QStringLiteral("assistants")),
              QStringLiteral("应为用户编号的列表"));
    QJsonArray many;
    for (int i = 1; i <= 21; ++i) many.append(1000 + i);
    EXPECT_EQ(messageOf(refusal(many), QStringLiteral("assistants")), QStringLiteral("填写了 21 人，最多 20 人"));
    EXPECT_EQ(zhao->get("/api/v1/biz.aftersales/tickets?crew=me").json().value(QStringLiteral("total")).toInteger(), 2) << "none stored";

    // Two assistants, then the same again in another order: the history names them.
    got.insert(QStringLiteral("assistants"), QJsonArray{tech2Id, zhaoId, tech2Id});
    auto changed = manager->send("PUT", path, got, {{"If-Match", "\"1\""}});
    ASSERT_EQ(changed.status, 200) << changed.body.toStdString();
    EXPECT_EQ(changed.json().value(QStringLiteral("assistants")).toArray(), (QJsonArray{tech2Id, zhaoId})) << "each once";
    EXPECT_EQ(changed.json().value(QStringLiteral("crew")).toArray(), (QJsonArray{techId, tech2Id, zhaoId}));
    EXPECT_EQ(today(*tech2), 1);
    auto history = manager->get(path + "/history").json().value(QStringLiteral("items")).toArray();
    ASSERT_FALSE(history.isEmpty());
    bool named = false;
    for (const auto& entry : history)
        for (const auto& c : entry.toObject().value(QStringLiteral("changes")).toArray())
            if (c.toObject().value(QStringLiteral("field")).toString() == u"assistants" &&
                c.toObject().value(QStringLiteral("beforeLabel")).toString() == u"zhao") {
                named = true;
                EXPECT_EQ(c.toObject().value(QStringLiteral("afterLabel")).toString(), QStringLiteral("tech2、zhao"));
            }
    EXPECT_TRUE(named) << QJsonDocument(history).toJson().toStdString();

    // The export names them; imported back it changes nothing; a name taken out is taken out.
    auto started = manager->request("POST", "/api/v1/biz.aftersales/tickets/export?crew=" + QByteArray::number(tech2Id));
    ASSERT_EQ(started.status, 202) << started.body.toStdString();
    const QJsonObject job = waitForJob(*manager, started.json().value(QStringLiteral("href")).toString().toUtf8());
    const QByteArray exported =
        manager->get(job.value(QStringLiteral("output")).toObject().value(QStringLiteral("href")).toString().toUtf8()).body;
    const QString csv = QString::fromUtf8(exported);
    EXPECT_TRUE(csv.contains(QStringLiteral("协助技术员"))) << csv.toStdString();
    EXPECT_TRUE(csv.contains(QStringLiteral(",tech2、zhao,"))) << csv.toStdString();
    EXPECT_FALSE(csv.contains(QStringLiteral("服务人员"))) << "the crew is derived, not exported";
    const QJsonObject again = importTickets(*manager, exported);
    EXPECT_EQ(again.value(QStringLiteral("unchanged")).toInt(), 1) << QJsonDocument(again).toJson().toStdString();
    QByteArray edited = exported;
    edited.replace(QStringLiteral(",tech2、zhao,").toUtf8(), QStringLiteral(",zhao,").toUtf8());
    const QJsonObject fewer = importTickets(*manager, edited);
    EXPECT_EQ(fewer.value(QStringLiteral("updated")).toInt(), 1) << QJsonDocument(fewer).toJson().toStdString();
    EXPECT_EQ(manager->get(path).json().value(QStringLiteral("assistants")).toArray(), (QJsonArray{zhaoId}));
    EXPECT_EQ(today(*tech2), 0);
    QByteArray unknown = exported;
    unknown.replace(QStringLiteral(",tech2、zhao,").toUtf8(), QStringLiteral(",zhao、王五,").toUtf8());
    const QJsonObject refused = importTickets(*manager, unknown);
    EXPECT_FALSE(refused.value(QStringLiteral("committed")).toBool());
    EXPECT_TRUE(QJsonDocument(refused).toJson().contains(QStringLiteral("王五").toUtf8())) << QJsonDocument(refused).toJson().toStdString();
}

TEST_F(Aftersales, AContractEndingWithinAMonthIsAReminder) {
    ASSERT_EQ(contract(QStringLiteral("HT-2025-007"), customer, QStringLiteral("2025-07-01"), QStringLiteral("2026-06-30")).status, 201);
    ASSERT_EQ(contract(QStringLiteral("HT-2025-011"), second, QStringLiteral("2025-08-01"), QStringLiteral("2026-07-20")).status, 201);
    auto reminders = manager->get("/api/v1/reminders");
    EXPECT_TRUE(reminders.body.contains(QStringLiteral("1 份保养合同将于 30 天内到期").toUtf8())) << reminders.body.toStdString();
    EXPECT_FALSE(stranger->get("/api/v1/reminders").body.contains(QStringLiteral("保养合同").toUtf8()));
    setClock(start.addDays(15));
    EXPECT_TRUE(manager->get("/api/v1/reminders").body.contains(QStringLiteral("2 份保养合同将于 30 天内到期").toUtf8()));
}

TEST_F(Aftersales, TheDispatchTicketPrintsWithAQrCodeOfItsOwnLink) {
    const qint64 id = ticket(callOk(customer, {{QStringLiteral("product"), QStringLiteral("海康硬盘录像机 DS-7808")}}), QStringLiteral("A"))
                          .json()
                          .value(QStringLiteral("id"))
                          .toInteger();
    ASSERT_GT(id, 0);
    const auto state = documentState(*manager, id, QStringLiteral("dispatch"));
    EXPECT_TRUE(state.value(QStringLiteral("canPrint")).toBool()) << QJsonDocument(state).toJson().toStdString();
    // No public-url in this deployment: the link is where the printing browser reached us.
    auto printed = print(*manager, id, "dispatch", {{"Host", "service.example.com:8080"}});
    ASSERT_EQ(printed.status, 201) << printed.body.toStdString();
    const QString html = printed.json().value(QStringLiteral("html")).toString();
    for (const char* text :
         {"服务派工单", "华联商厦", "北京市东城区王府井大街1号", "010-6512 3456", "三楼监控画面全黑，录像机报警", "海康硬盘录像机 DS-7808",
          "A 收费服务", "<td>tech</td>", "<td>zhao</td>", "技术员签字", "客户签字", "日期", "报修时间：2026-06-10 09:00"})
        EXPECT_TRUE(html.contains(QString::fromUtf8(text))) << text;
    EXPECT_TRUE(html.contains(QStringLiteral("<svg class=\"qr\""))) << "inline, no image from elsewhere";
    const auto read = readQrCode(html);
    ASSERT_TRUE(read) << (qrReaderIsZbar() ? "zbar" : "libqrencode") << " could not read the QR code";
    EXPECT_EQ(*read, QStringLiteral("http://service.example.com:8080/m/biz.aftersales/ticket/%1").arg(id));
    // A technician may read the ticket but not print it for the manager.
    EXPECT_EQ(print(*tech, id, "dispatch").status, 403);
    EXPECT_EQ(print(*stranger, id, "dispatch").status, 404) << "another department's ticket is not there for them";
}

// Behind a proxy the deployment says where users reach it: the printed link is based there,
// whatever Host the request came with.
class AftersalesBehindAProxy : public Aftersales {
protected:
    QString publicUrl() const override { return QStringLiteral("https://service.example.com/tessera/"); }
};

TEST_F(AftersalesBehindAProxy, ThePrintedLinkIsBasedOnThePublicUrl) {
    const qint64 id = ticket(callOk(customer), QStringLiteral("C")).json().value(QStringLiteral("id")).toInteger();
    ASSERT_GT(id, 0);
    auto printed = print(*manager, id, "dispatch", {{"Host", "10.0.0.7:8080"}});
    ASSERT_EQ(printed.status, 201) << printed.body.toStdString();
    EXPECT_EQ(readQrCode(printed.json().value(QStringLiteral("html")).toString()).value_or(QString()),
              QStringLiteral("https://service.example.com/tessera/m/biz.aftersales/ticket/%1").arg(id));
}

TEST_F(Aftersales, AGoodsReceiptIsPrintedOnlyForGoodsCarriedBack) {
    const qint64 id = ticket(callOk(customer), QStringLiteral("C")).json().value(QStringLiteral("id")).toInteger();
    ASSERT_GT(id, 0);
    const auto before = documentState(*manager, id, QStringLiteral("receipt"));
    EXPECT_FALSE(before.value(QStringLiteral("canPrint")).toBool());
    EXPECT_TRUE(before.value(QStringLiteral("why")).toString().contains(QStringLiteral("不能打印收货单")))
        << before.value(QStringLiteral("why")).toString().toStdString();
    auto refused = print(*manager, id, "receipt");
    EXPECT_EQ(refused.status, 409) << refused.body.toStdString();
    EXPECT_TRUE(refused.json().value(QStringLiteral("detail")).toString().contains(QStringLiteral("携回物品及状况")))
        << refused.body.toStdString();
    setClock(start.addSecs(2 * 3600));
    ASSERT_EQ(step(id, "arrive", {{QStringLiteral("arrivedAt"), local(start.addSecs(3600))}}, 1).status, 200);
    EXPECT_EQ(print(*manager, id, "receipt").status, 409) << "on site, nothing carried back yet";
    ASSERT_EQ(step(id, "carry-back", {{QStringLiteral("goodsTaken"), QStringLiteral("硬盘录像机 1 台，外壳完好，无硬盘")}}, 2).status, 200);
    EXPECT_TRUE(documentState(*manager, id, QStringLiteral("receipt")).value(QStringLiteral("canPrint")).toBool());
    // The technician hands it over on site; the desk does not print it.
    EXPECT_TRUE(documentState(*tech, id, QStringLiteral("receipt")).value(QStringLiteral("canPrint")).toBool());
    EXPECT_FALSE(documentState(*tech, id, QStringLiteral("dispatch")).value(QStringLiteral("canPrint")).toBool());
    EXPECT_EQ(print(*clerk, id, "receipt").status, 403);
    auto receipt = print(*tech, id, "receipt");
    ASSERT_EQ(receipt.status, 201) << receipt.body.toStdString();
    EXPECT_EQ(receipt.json().value(QStringLiteral("number")).toString(), QStringLiteral("SH2026-0001"));
    const QString html = receipt.json().value(QStringLiteral("html")).toString();
    EXPECT_TRUE(html.contains(QStringLiteral("硬盘录像机 1 台，外壳完好，无硬盘")));
    EXPECT_TRUE(html.contains(QStringLiteral("客户商品收货单")));
    EXPECT_EQ(readQrCode(html).value_or(QString()), QStringLiteral("http://127.0.0.1/m/biz.aftersales/ticket/%1").arg(id));
}

TEST_F(Aftersales, TheTechnicianTakesTheCustomersSignatureAsAnImageOfTheTicket) {
    const qint64 id = ticket(callOk(customer), QStringLiteral("C")).json().value(QStringLiteral("id")).toInteger();
    ASSERT_GT(id, 0);
    QImage image(300, 120, QImage::Format_RGB32);
    image.fill(Qt::white);
    for (int x = 20; x < 280; ++x) image.setPixel(x, 60 + (x % 20), qRgb(0, 0, 0));
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    // The technician may not change the ticket, yet takes the signature: the field says so.
    auto card = tech->get("/api/v1/biz.aftersales/tickets/" + QByteArray::number(id)).json().value(QStringLiteral("may")).toObject();
    EXPECT_FALSE(card.value(QStringLiteral("edit")).toBool());
    EXPECT_TRUE(card.value(QStringLiteral("files")).toObject().value(QStringLiteral("signature")).toBool());
    EXPECT_FALSE(clerk->get("/api/v1/biz.aftersales/tickets/" + QByteArray::number(id))
                     .json()
                     .value(QStringLiteral("may"))
                     .toObject()
                     .value(QStringLiteral("files"))
                     .toObject()
                     .value(QStringLiteral("signature"))
                     .toBool());
    auto refused = attachSignature(*clerk, id, QStringLiteral("签字.png"), png);
    EXPECT_EQ(refused.status, 403) << refused.body.toStdString();
    auto text = attachSignature(*tech, id, QStringLiteral("签字.png"), QByteArray("not a picture"));
    EXPECT_EQ(text.status, 422) << text.body.toStdString();
    auto signedOff = attachSignature(*tech, id, QStringLiteral("签字.png"), png);
    ASSERT_EQ(signedOff.status, 201) << signedOff.body.toStdString();
    EXPECT_EQ(signedOff.json().value(QStringLiteral("type")).toString(), QStringLiteral("image/png"));
    EXPECT_EQ(attachSignature(*tech, id, QStringLiteral("again.png"), png).status, 422) << "one signature";
    // Photos on site are the technician's too.
    EXPECT_EQ(attachSignature(*tech, id, QStringLiteral("现场.png"), png, "photos").status, 201);
    EXPECT_EQ(attachSignature(*tech, id, QStringLiteral("现场2.png"), png, "photos").status, 201) << "several photos";
    EXPECT_EQ(attachSignature(*clerk, id, QStringLiteral("现场.png"), png, "photos").status, 403);
    // The 派工单 printed after the work carries the signature, embedded in the kept copy.
    auto printed = print(*manager, id, "dispatch");
    ASSERT_EQ(printed.status, 201) << printed.body.toStdString();
    const QString html = printed.json().value(QStringLiteral("html")).toString();
    EXPECT_TRUE(html.contains(QStringLiteral("src=\"data:image/png;base64,") + QString::fromLatin1(png.toBase64()) + u'"'))
        << "the signature's own bytes";
    auto views = admin->get("/api/v1/shell");
    EXPECT_TRUE(views.body.contains("\"capture\":\"signature\"")) << "the shell draws it on a pad";
}

namespace {

class AftersalesFeedback : public Aftersales {
protected:
    // A ticket of `cls` the technician reached an hour after the call and closed 1.5 hours later.
    qint64 closed(const QString& cls = QStringLiteral("C")) {
        const qint64 id = ticket(callOk(customer), cls).json().value(QStringLiteral("id")).toInteger();
        EXPECT_EQ(step(id, "arrive", {{QStringLiteral("arrivedAt"), local(start.addSecs(3600))}}, 1).status, 200);
        auto done = step(id, "close",
                         {{QStringLiteral("workDone"), QStringLiteral("更换录像机硬盘")},
                          {QStringLiteral("hours"), QStringLiteral("1.5")},
                          {QStringLiteral("closedAt"), local(start.addSecs(3600 + 90 * 60))}},
                         2);
        EXPECT_EQ(done.status, 200) << done.body.toStdString();
        return id;
    }
    HttpReply survey(HttpClient& c, qint64 ticketId, QJsonObject more = {}) {
        more.insert(QStringLiteral("ticketId"), ticketId);
        for (const char* d : {"attitude", "skill", "timeliness", "promise"})
            if (!more.contains(QLatin1String(d))) more.insert(QLatin1String(d), QStringLiteral("4"));
        if (!more.contains(QStringLiteral("source"))) more.insert(QStringLiteral("source"), QStringLiteral("phone"));
        return c.send("POST", "/api/v1/biz.aftersales/surveys", more);
    }
    QJsonArray complaints(HttpClient& c, const QByteArray& query = {}) {
        return c.get("/api/v1/biz.aftersales/complaints" + query).json().value(QStringLiteral("items")).toArray();
    }
    HttpReply complaintStep(HttpClient& c, const QJsonObject& complaint, const char* id, const QJsonObject& body) {
        return c.send(
            "POST",
            "/api/v1/biz.aftersales/complaints/" + QByteArray::number(complaint.value(QStringLiteral("id")).toInteger()) + "/steps/" + id,
            body, {{"If-Match", "\"" + QByteArray::number(complaint.value(QStringLiteral("version")).toInteger()) + "\""}});
    }
    static QJsonObject reply() {
        return {{QStringLiteral("outcome"), QStringLiteral("调整派工流程，报修后先电话确认到达时间")},
                {QStringLiteral("reply"), QStringLiteral("已向您致歉，今后技术员出发前会先电话告知")},
                {QStringLiteral("repliedVia"), QStringLiteral("phone")},
                {QStringLiteral("repliedOn"), QStringLiteral("2026-06-10")}};
    }
    HttpReply link(HttpClient& c, qint64 ticketId) {
        return c.send("POST", "/api/v1/biz.aftersales/tickets/" + QByteArray::number(ticketId) + "/survey-link", QJsonObject{});
    }
    QByteArray formUrl(const HttpReply& link) {
        return "/api/v1/biz.aftersales/survey/" + link.json().value(QStringLiteral("token")).toString().toUtf8();
    }
};

}  // namespace

TEST_F(AftersalesFeedback, ASurveyFollowsTheWorkAndItsComplaintGoesToTheManager) {
    const qint64 open = ticket(callOk(customer), QStringLiteral("C")).json().value(QStringLiteral("id")).toInteger();
    auto early = survey(*clerk, open);
    EXPECT_EQ(fieldsOf(early), QStringList{QStringLiteral("ticketId")}) << early.body.toStdString();
    EXPECT_TRUE(early.body.contains(QStringLiteral("尚未完工").toUtf8())) << early.body.toStdString();
    const qint64 id = closed();
    EXPECT_EQ(fieldsOf(survey(*clerk, id, {{QStringLiteral("source"), QStringLiteral("online")}})), QStringList{QStringLiteral("source")})
        << "only the customer answers through the link";
    EXPECT_EQ(fieldsOf(survey(*clerk, id, {{QStringLiteral("attitude"), QStringLiteral("5")}})), QStringList{QStringLiteral("attitude")});
    auto made = survey(*clerk, id,
                       {{QStringLiteral("skill"), QStringLiteral("3")},
                        {QStringLiteral("timeliness"), QStringLiteral("1")},
                        {QStringLiteral("promise"), QStringLiteral("2")},
                        {QStringLiteral("complaint"), QStringLiteral("报修后第二天才来人，耽误营业")},
                        {QStringLiteral("suggestions"), QStringLiteral("希望出发前先打电话")},
                        {QStringLiteral("surveyedBy"), QStringLiteral("李娜")}});
    ASSERT_EQ(made.status, 201) << made.body.toStdString();
    const QJsonObject s = made.json();
    EXPECT_EQ(s.value(QStringLiteral("customerName")).toString(), QStringLiteral("华联商厦"));
    EXPECT_EQ(s.value(QStringLiteral("technician")).toInteger(), techId);
    EXPECT_EQ(s.value(QStringLiteral("labels")).toObject().value(QStringLiteral("technician")).toString(), QStringLiteral("tech"));
    EXPECT_EQ(s.value(QStringLiteral("serviceClass")).toString(), QStringLiteral("C"));
    EXPECT_EQ(s.value(QStringLiteral("surveyedOn")).toString(), QStringLiteral("2026-06-10"));
    EXPECT_EQ(fieldsOf(survey(*clerk, id)), QStringList{QStringLiteral("ticketId")}) << "one survey per ticket";

    // The complaint (with a 不满意) is serious and with the manager from the start; the
    // suggestion waits for the desk's reply.
    const QJsonArray book = complaints(*clerk);
    ASSERT_EQ(book.size(), 2) << "a complaint and a suggestion";
    QJsonObject serious, suggestion;
    for (const auto& c : book)
        (c.toObject().value(QStringLiteral("kind")).toString() == u"complaint" ? serious : suggestion) = c.toObject();
    EXPECT_EQ(serious.value(QStringLiteral("severity")).toString(), QStringLiteral("serious"));
    EXPECT_EQ(serious.value(QStringLiteral("state")).toString(), QStringLiteral("escalated"));
    EXPECT_EQ(serious.value(QStringLiteral("content")).toString(), QStringLiteral("报修后第二天才来人，耽误营业"));
    EXPECT_EQ(serious.value(QStringLiteral("ticketId")).toInteger(), id);
    EXPECT_EQ(serious.value(QStringLiteral("surveyId")).toInteger(), s.value(QStringLiteral("id")).toInteger());
    EXPECT_TRUE(serious.value(QStringLiteral("complaintNo")).toString().startsWith(u"TS2026-"));
    EXPECT_EQ(suggestion.value(QStringLiteral("severity")).toString(), QStringLiteral("general"));
    EXPECT_EQ(suggestion.value(QStringLiteral("state")).toString(), QStringLiteral("open"));
    auto reminders = manager->get("/api/v1/reminders");
    EXPECT_TRUE(reminders.body.contains(QStringLiteral("1 件严重投诉等待部门经理处理并答复客户").toUtf8())) << reminders.body.toStdString();
    EXPECT_FALSE(stranger->get("/api/v1/reminders").body.contains(QStringLiteral("投诉").toUtf8()));

    // The desk answers the suggestion; the serious one is the manager's alone.
    EXPECT_EQ(complaintStep(*clerk, serious, "answer", reply()).status, 403);
    EXPECT_EQ(complaintStep(*clerk, serious, "reply", reply()).status, 409) << "not open: with the manager";
    EXPECT_EQ(fieldsOf(complaintStep(*manager, serious, "answer", {{QStringLiteral("outcome"), QStringLiteral("已处理")}})),
              (QStringList{QStringLiteral("reply"), QStringLiteral("repliedVia"), QStringLiteral("repliedOn")}))
        << "the reply to the customer is recorded";
    auto answered = complaintStep(*manager, serious, "answer", reply());
    ASSERT_EQ(answered.status, 200) << answered.body.toStdString();
    EXPECT_EQ(answered.json().value(QStringLiteral("state")).toString(), QStringLiteral("replied"));
    EXPECT_EQ(answered.json().value(QStringLiteral("reply")).toString(), QStringLiteral("已向您致歉，今后技术员出发前会先电话告知"));
    auto replied = complaintStep(*clerk, suggestion, "reply", reply());
    EXPECT_EQ(replied.status, 200) << replied.body.toStdString();
    EXPECT_EQ(
        clerk->request("DELETE", "/api/v1/biz.aftersales/complaints/" + QByteArray::number(serious.value(QStringLiteral("id")).toInteger()))
            .status,
        409)
        << "the customer had the reply";

    // A general complaint the desk escalates; one made serious later is not the desk's to answer.
    auto phoned = clerk->send("POST", "/api/v1/biz.aftersales/complaints",
                              QJsonObject{{QStringLiteral("customerId"), second},
                                          {QStringLiteral("kind"), QStringLiteral("complaint")},
                                          {QStringLiteral("severity"), QStringLiteral("general")},
                                          {QStringLiteral("ticketId"), id},
                                          {QStringLiteral("content"), QStringLiteral("发票开错抬头")}});
    EXPECT_EQ(fieldsOf(phoned), QStringList{QStringLiteral("ticketId")}) << "the ticket is another customer's";
    auto general = clerk->send("POST", "/api/v1/biz.aftersales/complaints",
                               QJsonObject{{QStringLiteral("customerId"), second},
                                           {QStringLiteral("kind"), QStringLiteral("complaint")},
                                           {QStringLiteral("severity"), QStringLiteral("serious")},
                                           {QStringLiteral("content"), QStringLiteral("发票开错抬头，三次未改")}});
    ASSERT_EQ(general.status, 201) << general.body.toStdString();
    EXPECT_EQ(general.json().value(QStringLiteral("state")).toString(), QStringLiteral("escalated"));
}

TEST_F(AftersalesFeedback, TheCustomersSurveyLinkIsSingleUseExpiresAndOpensNothingElse) {
    const qint64 open = ticket(callOk(customer), QStringLiteral("C")).json().value(QStringLiteral("id")).toInteger();
    EXPECT_EQ(link(*clerk, open).status, 409) << "not closed";
    const qint64 id = closed();
    EXPECT_EQ(link(*stranger, id).status, 404) << "another department's ticket";
    auto made = link(*tech, id);
    ASSERT_EQ(made.status, 201) << made.body.toStdString();
    const QString path = made.json().value(QStringLiteral("path")).toString();
    EXPECT_EQ(path, QStringLiteral("/p/biz.aftersales/survey/") + made.json().value(QStringLiteral("token")).toString())
        << "the shell's public form";
    EXPECT_EQ(made.json().value(QStringLiteral("token")).toString().size(), 43) << "256 random bits, base64url";
    EXPECT_EQ(made.json().value(QStringLiteral("expiresAt")).toString(), QStringLiteral("2026-06-17 09:00"));

    HttpClient customerPhone(host->anonymousClient());
    customerPhone.setLanguage("zh-CN");
    auto form = customerPhone.get(formUrl(made));
    ASSERT_EQ(form.status, 200) << form.body.toStdString();
    EXPECT_EQ(form.json().value(QStringLiteral("customerName")).toString(), QStringLiteral("华联商厦"));
    EXPECT_EQ(form.json().value(QStringLiteral("technician")).toString(), QStringLiteral("tech"));
    EXPECT_EQ(form.json().value(QStringLiteral("closedAt")).toString(), QStringLiteral("2026-06-10 11:30"));
    EXPECT_EQ(form.json().value(QStringLiteral("questions")).toArray().size(), 4);
    EXPECT_EQ(form.json().value(QStringLiteral("levels")).toArray()[0].toObject().value(QStringLiteral("label")).toString(),
              QStringLiteral("很满意"));
    // The token is no key to anything else.
    const QByteArray token = made.json().value(QStringLiteral("token")).toString().toUtf8();
    EXPECT_EQ(
        customerPhone.request("GET", "/api/v1/biz.aftersales/tickets/" + QByteArray::number(id), {}, {{"Authorization", "Bearer " + token}})
            .status,
        401);
    EXPECT_EQ(customerPhone.get("/api/v1/biz.aftersales/surveys").status, 401);
    EXPECT_EQ(customerPhone.get("/api/v1/biz.aftersales/survey/not-a-token").status, 404);

    // A wrong answer leaves the link usable; the right one uses it.
    auto wrong = customerPhone.send("POST", formUrl(made), QJsonObject{{QStringLiteral("attitude"), QStringLiteral("9")}});
    EXPECT_EQ(wrong.status, 422) << wrong.body.toStdString();
    EXPECT_EQ(fieldsOf(customerPhone.send("POST", formUrl(made), QJsonObject{{QStringLiteral("source"), QStringLiteral("phone")}})),
              QStringList{QStringLiteral("source")});
    const QJsonObject answers{{QStringLiteral("attitude"), QStringLiteral("4")},
                              {QStringLiteral("skill"), QStringLiteral("4")},
                              {QStringLiteral("timeliness"), QStringLiteral("3")},
                              {QStringLiteral("promise"), QStringLiteral("4")},
                              {QStringLiteral("suggestions"), QStringLiteral("师傅很专业")}};
    auto answered = customerPhone.send("POST", formUrl(made), answers);
    ASSERT_EQ(answered.status, 201) << answered.body.toStdString();
    auto again = customerPhone.send("POST", formUrl(made), answers);
    EXPECT_EQ(again.status, 410);
    EXPECT_TRUE(again.body.contains(QStringLiteral("已经填写").toUtf8())) << again.body.toStdString();
    EXPECT_EQ(customerPhone.get(formUrl(made)).status, 410);
    const QJsonArray surveys = clerk->get("/api/v1/biz.aftersales/surveys").json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(surveys.size(), 1);
    const QJsonObject s = surveys[0].toObject();
    EXPECT_EQ(s.value(QStringLiteral("source")).toString(), QStringLiteral("online"));
    EXPECT_EQ(s.value(QStringLiteral("timeliness")).toString(), QStringLiteral("3"));
    // Its history says who made it in words: the customer through the link, not a blank.
    const QJsonArray made_by =
        clerk->get("/api/v1/biz.aftersales/surveys/" + QByteArray::number(s.value(QStringLiteral("id")).toInteger()) + "/history")
            .json()
            .value(QStringLiteral("items"))
            .toArray();
    ASSERT_FALSE(made_by.isEmpty());
    EXPECT_EQ(made_by[0].toObject().value(QStringLiteral("user")).toString(), QStringLiteral("通过公开链接填写的人"));
    // Staff do not change what the customer answered.
    auto edited = clerk->send("PUT", "/api/v1/biz.aftersales/surveys/" + QByteArray::number(s.value(QStringLiteral("id")).toInteger()),
                              QJsonObject{{QStringLiteral("ticketId"), id},
                                          {QStringLiteral("attitude"), QStringLiteral("4")},
                                          {QStringLiteral("skill"), QStringLiteral("4")},
                                          {QStringLiteral("timeliness"), QStringLiteral("4")},
                                          {QStringLiteral("promise"), QStringLiteral("4")},
                                          {QStringLiteral("suggestions"), QStringLiteral("师傅很专业")},
                                          {QStringLiteral("source"), QStringLiteral("online")},
                                          {QStringLiteral("surveyedOn"), QStringLiteral("2026-06-10")},
                                          {QStringLiteral("version"), s.value(QStringLiteral("version"))}});
    EXPECT_EQ(fieldsOf(edited), QStringList{QStringLiteral("timeliness")}) << edited.body.toStdString();
    EXPECT_EQ(link(*clerk, id).status, 409) << "surveyed already";

    // A link expires; a newer one retires the one before.
    const qint64 later = closed();
    auto older = link(*clerk, later);
    auto newer = link(*manager, later);
    ASSERT_EQ(newer.status, 201);
    EXPECT_EQ(customerPhone.get(formUrl(older)).status, 410) << "retired by the newer link";
    setClock(start.addDays(8));
    auto expired = customerPhone.get(formUrl(newer));
    EXPECT_EQ(expired.status, 410);
    EXPECT_TRUE(expired.body.contains(QStringLiteral("2026-06-17 09:00 过期").toUtf8())) << expired.body.toStdString();
    EXPECT_EQ(customerPhone.send("POST", formUrl(newer), answers).status, 410);
}

TEST_F(AftersalesFeedback, ATechniciansWorkLogAndTheWeeklySummary) {
    const qint64 id = closed(QStringLiteral("A"));
    auto tech2 = user(QStringLiteral("tech2"), QStringLiteral("technician"), service);
    const qint64 tech2Id =
        tech2->get("/api/v1/auth/me").json().value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toInteger();
    // The day at the ticket: times and work from its steps, the technician the writer.
    auto day = tech->send("POST", "/api/v1/biz.aftersales/worklog",
                          QJsonObject{{QStringLiteral("ticketId"), id},
                                      {QStringLiteral("travelHours"), QStringLiteral("0.5")},
                                      {QStringLiteral("travel"), QStringLiteral("地铁1号线")}});
    ASSERT_EQ(day.status, 201) << day.body.toStdString();
    EXPECT_EQ(day.json().value(QStringLiteral("technician")).toInteger(), techId);
    EXPECT_EQ(day.json().value(QStringLiteral("arrivedAt")).toString(), QStringLiteral("2026-06-10T10:00:00"));
    EXPECT_EQ(day.json().value(QStringLiteral("leftAt")).toString(), QStringLiteral("2026-06-10T11:30:00"));
    EXPECT_EQ(day.json().value(QStringLiteral("workDate")).toString(), QStringLiteral("2026-06-10"));
    EXPECT_EQ(day.json().value(QStringLiteral("workHours")).toString(), QStringLiteral("1.5"));
    EXPECT_EQ(day.json().value(QStringLiteral("work")).toString(), QStringLiteral("更换录像机硬盘"));
    EXPECT_EQ(day.json().value(QStringLiteral("unitId")).toInteger(), service);
    // Internal work; leaving before arriving; someone else's log.
    const QJsonObject internal{{QStringLiteral("arrivedAt"), QStringLiteral("2026-06-09T13:00:00")},
                               {QStringLiteral("leftAt"), QStringLiteral("2026-06-09T17:20:00")},
                               {QStringLiteral("work"), QStringLiteral("整理备件库")}};
    QJsonObject backwards = internal;
    backwards.insert(QStringLiteral("leftAt"), QStringLiteral("2026-06-09T12:00:00"));
    EXPECT_EQ(fieldsOf(tech->send("POST", "/api/v1/biz.aftersales/worklog", backwards)), QStringList{QStringLiteral("leftAt")});
    QJsonObject others = internal;
    others.insert(QStringLiteral("technician"), tech2Id);
    EXPECT_EQ(fieldsOf(tech->send("POST", "/api/v1/biz.aftersales/worklog", others)), QStringList{QStringLiteral("technician")});
    others.insert(QStringLiteral("unitId"), service);
    // The manager, who also works on tickets, writes anyone's.
    role(QStringLiteral("lead"), {"biz.customers.read", "biz.aftersales.read", "biz.aftersales.work", "biz.aftersales.dispatch"});
    auto lead = user(QStringLiteral("lead"), QStringLiteral("lead"), service);
    auto byManager = lead->send("POST", "/api/v1/biz.aftersales/worklog", others);
    ASSERT_EQ(byManager.status, 201) << byManager.body.toStdString();
    EXPECT_EQ(byManager.json().value(QStringLiteral("workHours")).toString(), QStringLiteral("4.3"));
    EXPECT_EQ(survey(*clerk, id, {{QStringLiteral("skill"), QStringLiteral("2")}}).status, 201);

    auto week = manager->get("/api/v1/biz.aftersales/weekly?week=2026-06-12");
    ASSERT_EQ(week.status, 200) << week.body.toStdString();
    EXPECT_EQ(week.json().value(QStringLiteral("params")).toObject().value(QStringLiteral("week")).toString(),
              QStringLiteral("2026-06-08"));
    const QJsonArray items = week.json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(items.size(), 2) << week.body.toStdString();
    const QJsonObject mine = items[0].toObject(), theirs = items[1].toObject();
    EXPECT_EQ(mine.value(QStringLiteral("label")).toString(), QStringLiteral("tech"));
    EXPECT_EQ(mine.value(QStringLiteral("closed")).toInteger(), 1);
    EXPECT_EQ(mine.value(QStringLiteral("classA")).toInteger(), 1);
    EXPECT_EQ(mine.value(QStringLiteral("ticketHours")).toString(), QStringLiteral("1.5"));
    EXPECT_EQ(mine.value(QStringLiteral("logHours")).toString(), QStringLiteral("1.5"));
    EXPECT_EQ(mine.value(QStringLiteral("travelHours")).toString(), QStringLiteral("0.5"));
    EXPECT_EQ(mine.value(QStringLiteral("surveys")).toInteger(), 1);
    EXPECT_EQ(mine.value(QStringLiteral("satisfied")).toString(), QStringLiteral("75.0")) << "three of four answers 满意 or better";
    EXPECT_EQ(theirs.value(QStringLiteral("label")).toString(), QStringLiteral("tech2"));
    EXPECT_EQ(theirs.value(QStringLiteral("logHours")).toString(), QStringLiteral("4.3"));
    EXPECT_FALSE(theirs.contains(QStringLiteral("satisfied")));
    EXPECT_EQ(week.json().value(QStringLiteral("total")).toObject().value(QStringLiteral("logHours")).toString(), QStringLiteral("5.8"));
    EXPECT_EQ(manager->get("/api/v1/biz.aftersales/weekly?week=2026-06-15").json().value(QStringLiteral("items")).toArray().size(), 0);
    EXPECT_EQ(stranger->get("/api/v1/biz.aftersales/weekly?week=2026-06-12").json().value(QStringLiteral("items")).toArray().size(), 0);
    auto bad = manager->get("/api/v1/biz.aftersales/weekly?week=last");
    EXPECT_EQ(fieldsOf(bad), QStringList{QStringLiteral("week")});
    EXPECT_TRUE(bad.body.contains(QStringLiteral("2026-12-04").toUtf8())) << bad.body.toStdString();
    auto xlsx = manager->get("/api/v1/reports/biz.aftersales/weekly/export?week=2026-06-12&format=csv");
    EXPECT_EQ(xlsx.status, 200) << xlsx.body.toStdString();
    EXPECT_TRUE(xlsx.body.contains("tech2"));
}

TEST_F(AftersalesFeedback, SatisfactionByMonthIsEachQuestionsAverageScore) {
    const qint64 june10 = closed(), june9 = closed();
    ASSERT_EQ(survey(*clerk, june10, {{QStringLiteral("skill"), QStringLiteral("3")}, {QStringLiteral("timeliness"), QStringLiteral("1")}})
                  .status,
              201);
    ASSERT_EQ(survey(*clerk, june9,
                     {{QStringLiteral("skill"), QStringLiteral("2")}, {QStringLiteral("surveyedOn"), QStringLiteral("2026-06-09")}})
                  .status,
              201);
    auto chart = manager->get("/api/v1/biz.aftersales/charts/satisfaction?year=2026");
    ASSERT_EQ(chart.status, 200) << chart.body.toStdString();
    const QJsonArray items = chart.json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(items.size(), 6) << "January to this month, June";
    EXPECT_TRUE(items[0].toObject().value(QStringLiteral("attitude")).isNull()) << "no survey in January: a gap";
    const QJsonObject june = items[5].toObject();
    EXPECT_EQ(june.value(QStringLiteral("key")).toString(), QStringLiteral("2026-06"));
    EXPECT_EQ(june.value(QStringLiteral("label")).toString(), QStringLiteral("2026年6月"));
    EXPECT_EQ(june.value(QStringLiteral("surveys")).toInteger(), 2);
    EXPECT_EQ(june.value(QStringLiteral("attitude")).toDouble(), 4.0);
    EXPECT_EQ(june.value(QStringLiteral("skill")).toDouble(), 2.5);
    EXPECT_EQ(june.value(QStringLiteral("timeliness")).toDouble(), 2.5);
    EXPECT_EQ(chart.json().value(QStringLiteral("total")).toObject().value(QStringLiteral("surveys")).toInteger(), 2);
    EXPECT_EQ(stranger->get("/api/v1/biz.aftersales/charts/satisfaction")
                  .json()
                  .value(QStringLiteral("total"))
                  .toObject()
                  .value(QStringLiteral("surveys"))
                  .toInteger(),
              0)
        << "another department's surveys are not counted";
    EXPECT_EQ(fieldsOf(manager->get("/api/v1/biz.aftersales/charts/satisfaction?year=abc")), QStringList{QStringLiteral("year")});
    EXPECT_EQ(fieldsOf(manager->get("/api/v1/biz.aftersales/charts/satisfaction?by=month")), QStringList{QStringLiteral("by")});
}
