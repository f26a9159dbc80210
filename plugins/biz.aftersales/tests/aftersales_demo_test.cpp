// `tessera demo` with biz.aftersales: a service department with repair calls, contracts,
// dispatch tickets in every state and class (class A charged to the fen), a survey, a
// complaint and a work log, numbered as the cards say, with the home reminders they call
// for; without a technician no tickets; the demo customers shared with biz.orders; and no
// second helping on a deployment that has calls.

#include "host_fixture.hpp"

#include <tessera/decimal.hpp>

#include <QDate>
#include <QJsonArray>
#include <QMap>
#include <QSet>

#include <algorithm>
#include <functional>

#include <gtest/gtest.h>

using namespace tessera::test;

namespace {

QJsonArray itemsOf(HttpClient& c, const char* path) {
    return c.get(QByteArray("/api/v1/biz.aftersales/") + path + "?size=50").json().value(QStringLiteral("items")).toArray();
}

QString textOf(const QJsonValue& item, const char* field) { return item.toObject().value(QLatin1String(field)).toString(); }

// Numbers of `prefix`{year}-{seq} given in order of `by`: each year's run from 1, with `digits` digits.
void expectNumberedInOrder(const QJsonArray& array, const char* number, const char* by, const QString& prefix, int digits,
                           const std::function<int(const QJsonValue&)>& yearOf) {
    QList<QJsonValue> items(array.begin(), array.end());
    std::sort(items.begin(), items.end(), [&](const QJsonValue& a, const QJsonValue& b) { return textOf(a, by) < textOf(b, by); });
    QMap<int, int> seq;
    for (const auto& item : items) {
        const int year = yearOf(item);
        EXPECT_EQ(textOf(item, number), QStringLiteral("%1%2-%3").arg(prefix).arg(year).arg(++seq[year], digits, 10, QLatin1Char('0')))
            << textOf(item, by).toStdString();
    }
}

int yearOfDay(const QString& iso) { return QDate::fromString(iso.left(10), Qt::ISODate).year(); }

}  // namespace

TEST(AftersalesDemo, MakesCallsContractsTicketsInEveryStateAndClassASurveyAComplaintAndAWorkLog) {
    TempDir dir;
    const QString config = dir.write(
        QStringLiteral("deployment.xml"),
        RunningHost::deploymentXml({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}, {QStringLiteral("biz.aftersales"), {}}})
            .toUtf8());
    // Sample data cannot make people: an administrator grants the technician's duty first,
    // on the root unit and below (to two: the second assists).
    QByteArray techToken, zhaoToken;
    {
        RunningHost host(config);
        auto admin = host.client();
        const qint64 root = host.app().units().ensureRoot(QStringLiteral("test"))->id;
        auto role = admin.send("POST", "/api/v1/roles",
                               QJsonObject{{QStringLiteral("name"), QStringLiteral("technician")},
                                           {QStringLiteral("permissions"),
                                            QJsonArray{QStringLiteral("biz.customers.read"), QStringLiteral("biz.aftersales.read"),
                                                       QStringLiteral("biz.aftersales.work")}}});
        ASSERT_EQ(role.status, 201) << role.body.toStdString();
        techToken = host.userToken(QStringLiteral("tech"), QStringLiteral("technician"), QStringLiteral("subtree"), root);
        zhaoToken = host.userToken(QStringLiteral("zhao"), QStringLiteral("technician"), QStringLiteral("subtree"), root);
        auto managerRole =
            admin.send("POST", "/api/v1/roles",
                       QJsonObject{{QStringLiteral("name"), QStringLiteral("manager")},
                                   {QStringLiteral("permissions"),
                                    QJsonArray{QStringLiteral("biz.customers.read"), QStringLiteral("biz.aftersales.read"),
                                               QStringLiteral("biz.aftersales.register"), QStringLiteral("biz.aftersales.dispatch")}}});
        ASSERT_EQ(managerRole.status, 201) << managerRole.body.toStdString();
    }
    const QStringList demo{QStringLiteral("demo"), QStringLiteral("--config"), config};
    CliResult made = runTessera(demo);
    ASSERT_EQ(made.exitCode, 0) << made.err.toStdString();
    EXPECT_TRUE(
        made.out.contains(QStringLiteral("biz.aftersales: 7 repair calls, 2 maintenance contracts, 1 complaint, 6 dispatch tickets")))
        << made.out.toStdString();
    const QDate today = QDate::currentDate();
    {
        RunningHost host(config);
        auto c = host.client();
        EXPECT_EQ(c.get("/api/v1/biz.customers/customers").json().value(QStringLiteral("total")).toInteger(), 5);

        const QJsonArray calls = itemsOf(c, "registrations");
        ASSERT_EQ(calls.size(), 7);
        for (const auto& call : calls) {
            EXPECT_FALSE(textOf(call, "situation").isEmpty());
            EXPECT_FALSE(textOf(call, "phone").isEmpty()) << "the customer's phone";
        }
        expectNumberedInOrder(calls, "registrationNo", "receivedAt", QStringLiteral("BX"), 4,
                              [](const QJsonValue& v) { return yearOfDay(textOf(v, "receivedOn")); });
        const qint64 branch = calls[0].toObject().value(QStringLiteral("unitId")).toInteger();

        const QJsonArray contracts = itemsOf(c, "contracts");
        ASSERT_EQ(contracts.size(), 2);
        qint64 covering = 0;
        QStringList endsOn;
        for (const auto& contract : contracts) {
            EXPECT_TRUE(textOf(contract, "contractNo").startsWith(QStringLiteral("BY%1-").arg(yearOfDay(textOf(contract, "startsOn")))));
            endsOn << textOf(contract, "endsOn");
            if (textOf(contract, "customerName") == u"上海浦东发展有限公司")
                covering = contract.toObject().value(QStringLiteral("id")).toInteger();
        }
        EXPECT_TRUE(endsOn.contains(today.addDays(20).toString(Qt::ISODate))) << "one ends within the notice days";

        const QJsonArray tickets = itemsOf(c, "tickets");
        ASSERT_EQ(tickets.size(), 6);
        QMap<QString, int> states, classes;
        QStringList charged;
        for (const auto& t : tickets) {
            const QJsonObject ticket = t.toObject();
            ++states[textOf(t, "state")];
            ++classes[textOf(t, "serviceClass")];
            EXPECT_EQ(ticket.value(QStringLiteral("labels")).toObject().value(QStringLiteral("technician")).toString(),
                      QStringLiteral("tech"));
            // The contract's ticket is assisted by the second technician; the others by no one.
            EXPECT_EQ(ticket.value(QStringLiteral("labels")).toObject().value(QStringLiteral("assistants")).toString(),
                      textOf(t, "serviceClass") == u"B" ? QStringLiteral("zhao") : QString());
            if (textOf(t, "serviceClass") == u"A") charged << textOf(t, "total");
            if (textOf(t, "serviceClass") == u"B") {
                EXPECT_EQ(ticket.value(QStringLiteral("contractId")).toInteger(), covering) << "under 上海浦东's contract";
            }
        }
        EXPECT_EQ(states, (QMap<QString, int>{{QStringLiteral("dispatched"), 1},
                                              {QStringLiteral("on-site"), 1},
                                              {QStringLiteral("carried-back"), 2},
                                              {QStringLiteral("closed"), 2}}));
        EXPECT_EQ(classes, (QMap<QString, int>{
                               {QStringLiteral("A"), 2}, {QStringLiteral("B"), 1}, {QStringLiteral("C"), 2}, {QStringLiteral("D"), 1}}));
        charged.sort();
        EXPECT_EQ(charged, (QStringList{QStringLiteral("225.80"), QStringLiteral("518.50")}));
        // Ticket numbers follow the calls, in the year they were dispatched (today's).
        expectNumberedInOrder(tickets, "ticketNo", "receivedAt", QStringLiteral("PG"), 4, [&](const QJsonValue&) { return today.year(); });
        // Today's visits, each technician's day (我的派工单): the waiting call and the contract's
        // site, where the second one assists.
        const auto day = [&](const QByteArray& token) {
            auto as = host.anonymousClient();
            as.setDefaultHeader("Authorization", "Bearer " + token);
            return as.get("/api/v1/biz.aftersales/tickets?crew=me&visitOn=today").json().value(QStringLiteral("total")).toInteger();
        };
        EXPECT_EQ(day(techToken), 2);
        EXPECT_EQ(day(zhaoToken), 1);

        // What class A charged, to the fen, in the statistics of the years the calls fell in.
        qint64 fen = 0;
        for (int year : QSet<int>{today.year(), today.addDays(-9).year()}) {
            auto stats = c.get(QStringLiteral("/api/v1/biz.aftersales/statistics?year=%1").arg(year).toUtf8()).json();
            fen += tessera::parseDecimal(stats.value(QStringLiteral("total")).toObject().value(QStringLiteral("charged")).toString(), 2)
                       .value_or(-1);
        }
        EXPECT_EQ(fen, 74430);

        const QJsonArray surveys = itemsOf(c, "surveys");
        ASSERT_EQ(surveys.size(), 1);
        EXPECT_EQ(textOf(surveys[0], "serviceClass"), QStringLiteral("A"));
        const QJsonArray complaints = itemsOf(c, "complaints");
        ASSERT_EQ(complaints.size(), 1) << "the survey made no complaint of its own";
        EXPECT_EQ(textOf(complaints[0], "state"), QStringLiteral("open"));
        EXPECT_EQ(textOf(complaints[0], "complaintNo"), QStringLiteral("TS%1-0001").arg(today.addDays(-1).year()));
        const QJsonArray log = itemsOf(c, "worklog");
        ASSERT_EQ(log.size(), 1);
        EXPECT_EQ(textOf(log[0], "workHours"), QStringLiteral("1.5")) << "the ticket's times";

        // The department's manager is reminded of the call waiting past 24 hours and the contract ending.
        HttpClient manager = host.anonymousClient();
        manager.setDefaultHeader("Authorization", "Bearer " + host.userToken(QStringLiteral("manager"), QStringLiteral("manager"),
                                                                             QStringLiteral("unit"), branch));
        manager.setLanguage("zh-CN");
        auto reminders = manager.get("/api/v1/reminders");
        EXPECT_TRUE(reminders.body.contains(QStringLiteral("1 张派工单报修已超过 24 小时，技术员仍未到达").toUtf8()))
            << reminders.body.toStdString();
        EXPECT_TRUE(reminders.body.contains(QStringLiteral("1 份保养合同将于 30 天内到期").toUtf8())) << reminders.body.toStdString();
    }
    CliResult again = runTessera(demo);
    EXPECT_NE(again.exitCode, 0);
    EXPECT_TRUE(again.err.contains(QStringLiteral("biz.aftersales already has data"))) << again.err.toStdString();
}

TEST(AftersalesDemo, WithoutATechnicianMakesNoTicketsAndSharesTheCustomersWithOrders) {
    TempDir dir;
    const QString config =
        dir.write(QStringLiteral("deployment.xml"), RunningHost::deploymentXml({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}},
                                                                                                    {QStringLiteral("biz.aftersales"), {}},
                                                                                                    {QStringLiteral("biz.orders"), {}}})
                                                        .toUtf8());
    CliResult made = runTessera({QStringLiteral("demo"), QStringLiteral("--config"), config});
    ASSERT_EQ(made.exitCode, 0) << made.err.toStdString();
    EXPECT_TRUE(
        made.out.contains(QStringLiteral("biz.aftersales: 7 repair calls, 2 maintenance contracts, 1 complaint; no dispatch tickets")))
        << made.out.toStdString();
    EXPECT_TRUE(made.out.contains(QStringLiteral("biz.orders: 7 products, 7 orders"))) << made.out.toStdString();
    RunningHost host(config);
    auto c = host.client();
    EXPECT_EQ(c.get("/api/v1/biz.customers/customers").json().value(QStringLiteral("total")).toInteger(), 5) << "made once, by either";
    EXPECT_EQ(c.get("/api/v1/biz.aftersales/tickets").json().value(QStringLiteral("total")).toInteger(), 0);
    EXPECT_EQ(c.get("/api/v1/biz.aftersales/registrations").json().value(QStringLiteral("total")).toInteger(), 7);
}

// The technician the demo names: Records::dutyHolders, the users holding one of the plugin's
// own permissions at a unit (assigned there or above it with its subtree; an administrator's
// "*" is no duty), by name; another plugin's permission is not asked about.
TEST(AftersalesDemo, FindsItsTechnicianAmongThoseHoldingTheDutyAtTheDepartment) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}, {QStringLiteral("biz.aftersales"), {}}});
    auto admin = host.client();
    auto& units = host.app().units();
    const qint64 root = units.ensureRoot(QStringLiteral("test"))->id;
    const qint64 service = units.create(root, QStringLiteral("售后服务部"))->id, other = units.create(root, QStringLiteral("二部"))->id;
    auto role = admin.send("POST", "/api/v1/roles",
                           QJsonObject{{QStringLiteral("name"), QStringLiteral("technician")},
                                       {QStringLiteral("permissions"), QJsonArray{QStringLiteral("biz.aftersales.work")}}});
    ASSERT_EQ(role.status, 201) << role.body.toStdString();
    host.userToken(QStringLiteral("zhang"), QStringLiteral("technician"), QStringLiteral("subtree"), root);
    host.userToken(QStringLiteral("li"), QStringLiteral("technician"), QStringLiteral("unit"), service);
    host.userToken(QStringLiteral("wang"), QStringLiteral("technician"), QStringLiteral("unit"), other);
    tessera::Context* ctx = nullptr;
    for (const auto& g : host.app().runtime().demoGenerators())
        if (g.pluginId == u"biz.aftersales") ctx = g.context;
    ASSERT_NE(ctx, nullptr);
    auto names = [&](const tessera::Result<QList<qint64>>& ids) {
        QStringList out;
        if (!ids) return QStringList{ids.error().code};
        auto named = ctx->records().userNames(*ids);
        for (qint64 id : *ids) out << named->value(id);
        return out;
    };
    EXPECT_EQ(names(ctx->records().dutyHolders(QStringLiteral("biz.aftersales.work"), service, 10)),
              (QStringList{QStringLiteral("li"), QStringLiteral("zhang")}));
    EXPECT_EQ(names(ctx->records().dutyHolders(QStringLiteral("biz.aftersales.work"), service, 1)), QStringList{QStringLiteral("li")});
    EXPECT_EQ(names(ctx->records().dutyHolders(QStringLiteral("biz.aftersales.dispatch"), service, 10)), QStringList{})
        << "the administrator holds every permission, and no duty";
    EXPECT_EQ(names(ctx->records().dutyHolders(QStringLiteral("biz.customers.read"), service, 10)),
              QStringList{QStringLiteral("records.permission")});
}

// The demo script's way: the technicians' role, a technician and the grant made with the CLI
// before `tessera demo` (which then names him on its tickets); a role naming a permission no
// enabled plugin declares, or a name taken, is refused with the reason.
TEST(AftersalesDemo, AScriptMakesTheTechniciansRoleAndUserWithTheCli) {
    TempDir dir;
    const QString config = dir.write(
        QStringLiteral("deployment.xml"),
        RunningHost::deploymentXml({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}, {QStringLiteral("biz.aftersales"), {}}})
            .toUtf8());
    qint64 root = 0;
    {
        RunningHost host(config);
        root = host.app().units().ensureRoot(QStringLiteral("test"))->id;
    }
    const QString conf = QStringLiteral("--config");
    const QStringList add{QStringLiteral("role"),
                          QStringLiteral("add"),
                          QStringLiteral("technician"),
                          QStringLiteral("--label"),
                          QStringLiteral("技术员"),
                          QStringLiteral("--permissions"),
                          QStringLiteral("biz.customers.read, biz.aftersales.read,biz.aftersales.work"),
                          conf,
                          config};
    CliResult made = runTessera(add);
    ASSERT_EQ(made.exitCode, 0) << made.err.toStdString();
    EXPECT_TRUE(made.out.startsWith(QStringLiteral("role technician added"))) << made.out.toStdString();
    CliResult again = runTessera(add);
    EXPECT_EQ(again.exitCode, 1);
    EXPECT_TRUE(again.err.contains(QStringLiteral("technician"))) << again.err.toStdString();
    CliResult unknown = runTessera({QStringLiteral("role"), QStringLiteral("add"), QStringLiteral("clerk"), QStringLiteral("--permissions"),
                                    QStringLiteral("biz.orders.sell"), conf, config});
    EXPECT_EQ(unknown.exitCode, 1) << "biz.orders is not enabled here";
    EXPECT_TRUE(unknown.err.contains(QStringLiteral("biz.orders.sell"))) << unknown.err.toStdString();
    EXPECT_EQ(runTessera({QStringLiteral("role"), QStringLiteral("add"), QStringLiteral("nothing"), conf, config}).exitCode, 2)
        << "--permissions is required";
    CliResult listed = runTessera({QStringLiteral("role"), QStringLiteral("list"), conf, config});
    ASSERT_EQ(listed.exitCode, 0) << listed.err.toStdString();
    EXPECT_TRUE(listed.out.contains(QStringLiteral("biz.aftersales.read, biz.aftersales.work, biz.customers.read")))
        << listed.out.toStdString();

    CliResult user = runTessera({QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("wang"), QStringLiteral("--display-name"),
                                 QStringLiteral("王师傅"), QStringLiteral("--unit"), QString::number(root), QStringLiteral("--password-stdin"),
                                 conf, config},
                                "tessera-demo\n");
    ASSERT_EQ(user.exitCode, 0) << user.err.toStdString();
    CliResult granted =
        runTessera({QStringLiteral("user"), QStringLiteral("grant"), QStringLiteral("wang"), QStringLiteral("technician"),
                    QStringLiteral("--scope"), QStringLiteral("subtree"), QStringLiteral("--unit"), QString::number(root), conf, config});
    ASSERT_EQ(granted.exitCode, 0) << granted.err.toStdString();
    CliResult demo = runTessera({QStringLiteral("demo"), conf, config});
    ASSERT_EQ(demo.exitCode, 0) << demo.err.toStdString();
    EXPECT_TRUE(demo.out.contains(QStringLiteral("6 dispatch tickets"))) << demo.out.toStdString();
    RunningHost host(config);
    auto c = host.client();
    const QJsonArray tickets = c.get("/api/v1/biz.aftersales/tickets").json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(tickets.size(), 6);
    EXPECT_EQ(tickets[0].toObject().value(QStringLiteral("labels")).toObject().value(QStringLiteral("technician")).toString(),
              QStringLiteral("王师傅"));
}
