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
        more.insert(QStringLiteral("assistants"), QStringLiteral("赵工"));
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
    HttpReply attachSignature(HttpClient& c, qint64 ticketId, const QString& name, const QByteArray& bytes) {
        auto up = c.request("POST", "/api/v1/files?name=" + QUrl::toPercentEncoding(name), bytes, {{"Content-Type", "image/png"}});
        EXPECT_EQ(up.status, 201) << up.body.toStdString();
        return c.send("POST", "/api/v1/biz.aftersales/tickets/" + QByteArray::number(ticketId) + "/attachments/signature",
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
    std::unique_ptr<HttpClient> admin, clerk, manager, tech, stranger;
    qint64 root = 0, service = 0, other = 0, customer = 0, second = 0, techId = 0;
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
    EXPECT_EQ(names, (QStringList{QStringLiteral("tech"), QStringLiteral("tech2")}));

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
          "A 收费服务", "<td>tech</td>", "<td>赵工</td>", "技术员签字", "客户签字", "日期", "报修时间：2026-06-10 09:00"})
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
    auto receipt = print(*manager, id, "receipt");
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
    auto views = admin->get("/api/v1/shell");
    EXPECT_TRUE(views.body.contains("\"capture\":\"signature\"")) << "the shell draws it on a pad";
}
