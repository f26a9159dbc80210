// biz.aftersales' sample data for `tessera demo`: see aftersales_demo.hpp.

#include "aftersales_demo.hpp"
#include "aftersales_rules.hpp"

#include <QDate>
#include <QJsonArray>

#include <optional>

namespace biz::aftersales {

namespace {

using tessera::Record;


// A repair call as the desk wrote it down: whose, what, the customer's words, when.
struct DemoCall {
    int customer;
    const char* product;
    const char* situation;
    int daysAgo;
    const char* time;
};

constexpr DemoCall kCalls[] = {
    {0, "网络摄像机（三楼东侧）", "三楼东边那个摄像头从前天晚上开始就没画面了，录像机上显示视频丢失，别的摄像头都正常。", 9, "09:20"},
    {2, "千兆交换机", "仓库那台交换机指示灯全灭了，插上电也不亮，仓库的电脑都上不了网。", 6, "15:40"},
    {3, "园区监控系统", "下周一园区开放日，想请你们提前来把大厅的监控和大屏都检查一遍。", 5, "11:00"},
    {0, "硬盘录像机", "录像机开不了机了，风扇转一下就停，前面板的灯一直闪红灯。", 4, "16:30"},
    {4, "网络摄像机（地下车库入口）", "地下车库入口的摄像头一到晚上画面全是雪花，车牌根本看不清。", 2, "09:15"},
    {1, "硬盘录像机", "录像机一直嘀嘀报警，屏幕上提示硬盘错误，昨天的录像调不出来了。", 1, "10:20"},
    {1, "门禁考勤机", "前台的考勤机这两天刷卡没反应，要刷好几次才有声音。", 1, "16:45"},
};

// A maintenance contract of a demo customer, started and ending relative to today.
struct DemoContract {
    int customer;
    int startedDaysAgo;
    int endsInDays;
    const char* products;
    int visits;
    const char* fee;
};

constexpr DemoContract kContracts[] = {
    {1, 120, 245, "硬盘录像机 2 台、网络摄像机 24 台及配套交换机", 4, "6800.00"},
    {3, 345, 20, "园区监控系统：网络摄像机 36 台、硬盘录像机 3 台、拼接大屏 1 套", 6, "12500.00"},
};

class Demo {
public:
    explicit Demo(tessera::Context& ctx) : ctx_(ctx), today_(ctx.clock().now().toLocalTime().date()) {}

    tessera::Result<QString> run(qint64 rootUnitId) {
        for (const char* table : {"biz_as_registrations", "biz_as_tickets", "biz_as_contracts", "biz_as_complaints"}) {
            auto n = ctx_.database().queryOne(QStringLiteral("SELECT count(*) AS n FROM %1").arg(QLatin1String(table)));
            if (!n) return n.error();
            if (n->value(QStringLiteral("n")).toLongLong() > 0)
                return tessera::Error{QStringLiteral("demo.not_empty"),
                                      QStringLiteral("biz.aftersales already has data (%1); sample data goes only into an empty deployment")
                                          .arg(QLatin1String(table))};
        }
        auto branch = ctx_.units().create(rootUnitId, QStringLiteral("华东售后服务部"), QStringLiteral("SERVICE-EAST"));
        if (!branch) return branch.error();
        branch_ = branch->id;
        if (auto s = customers(rootUnitId); !s) return s.error();

        // Two maintenance contracts: 上海浦东's covers its class B call, 深圳南山's ends within the notice days.
        for (const DemoContract& c : kContracts) {
            const QDate starts = today_.addDays(-c.startedDaysAgo);
            auto id = ctx_.records().create(
                QStringLiteral("biz.aftersales/contract"),
                Record{
                    {QStringLiteral("contractNo"), QStringLiteral("BY%1-%2").arg(starts.year()).arg(++contracts_, 3, 10, QLatin1Char('0'))},
                    {QStringLiteral("customerId"), customers_.value(c.customer)},
                    {QStringLiteral("unitId"), branch_},
                    {QStringLiteral("startsOn"), starts.toString(Qt::ISODate)},
                    {QStringLiteral("endsOn"), day(-c.endsInDays)},
                    {QStringLiteral("products"), QString::fromUtf8(c.products)},
                    {QStringLiteral("visits"), c.visits},
                    {QStringLiteral("fee"), QLatin1String(c.fee)}});
            if (!id) return id.error();
        }

        // The calls, oldest first, so that their numbers follow the time they came in.
        for (const DemoCall& c : kCalls) {
            auto customer = ctx_.records().read(kCustomerCard, customers_.value(c.customer));  // who called: its contact
            if (!customer) return customer.error();
            auto id =
                ctx_.records().create(kRegistrationCard, Record{{QStringLiteral("customerId"), customers_.value(c.customer)},
                                                                {QStringLiteral("unitId"), branch_},
                                                                {QStringLiteral("contact"), customer->value(QStringLiteral("contact"))},
                                                                {QStringLiteral("product"), QString::fromUtf8(c.product)},
                                                                {QStringLiteral("situation"), QString::fromUtf8(c.situation)},
                                                                {QStringLiteral("receivedAt"), at(c.daysAgo, c.time)},
                                                                {QStringLiteral("receivedBy"), QStringLiteral("周敏")}});
            if (!id) return id.error();
            calls_ << *id;
        }

        // Tickets name a technician, who must hold the technician's duty at the department:
        // sample data cannot make people, so it takes the first one an administrator made (and
        // a second, where there is one, to assist).
        auto technicians = ctx_.records().dutyHolders(QStringLiteral("biz.aftersales.work"), branch_, 2);
        if (!technicians) return technicians.error();
        std::optional<qint64> carriedBack;
        QString made;
        if (technicians->isEmpty()) {
            made = QStringLiteral(
                "; no dispatch tickets, survey or work log: nobody holds biz.aftersales.work at 华东售后服务部 "
                "(grant it on the root unit and below before `tessera demo`)");
        } else {
            auto tickets = dispatchTickets(technicians->front(), technicians->value(1));
            if (!tickets) return tickets.error();
            carriedBack = *tickets;
            made = QStringLiteral(
                ", 6 dispatch tickets (1 dispatched, 1 on site, 2 carried back, 2 closed), 1 satisfaction survey, "
                "1 work log entry");
        }

        // 广州天河 calls about its switch, carried back a week ago.
        Record complaint{
            {QStringLiteral("customerId"), customers_.value(2)},
            {QStringLiteral("unitId"), branch_},
            {QStringLiteral("kind"), QStringLiteral("complaint")},
            {QStringLiteral("severity"), QStringLiteral("general")},
            {QStringLiteral("content"), QStringLiteral("交换机拿回去快一个星期了，一直没人告诉我们修得怎么样，仓库现在只能临时拉线上网。")},
            {QStringLiteral("contact"), QStringLiteral("王芳 020-3888 1234")},
            {QStringLiteral("receivedOn"), day(1)}};
        if (carriedBack) complaint.insert(QStringLiteral("ticketId"), *carriedBack);
        auto filed = ctx_.records().create(QStringLiteral("biz.aftersales/complaint"), complaint);
        if (!filed) return filed.error();
        return QStringLiteral("%1 repair calls, 2 maintenance contracts, 1 complaint%2").arg(calls_.size()).arg(made);
    }

private:
    QString day(int daysAgo) const { return today_.addDays(-daysAgo).toString(Qt::ISODate); }
    // A moment `daysAgo` days before today at `time` ("09:20"), local.
    QString at(int daysAgo, const char* time) const { return QStringLiteral("%1T%2:00").arg(day(daysAgo), QLatin1String(time)); }

    // The sample customers biz.customers' demo made at the top unit, oldest first.
    tessera::Status customers(qint64 rootUnitId) {
        auto rows = ctx_.database().query(QStringLiteral("SELECT id FROM biz_customers WHERE unit_id = ?1 ORDER BY id LIMIT 5"), {rootUnitId});
        if (!rows) return rows.error();
        for (const auto& row : *rows) customers_ << row.value(QStringLiteral("id")).toLongLong();
        if (customers_.size() < 5)
            return tessera::Error{QStringLiteral("demo.customers"),
                                  QStringLiteral("%1's sample data needs the five sample customers biz.customers' demo makes at the top unit; "
                                                 "there are %2").arg(QStringLiteral("biz.aftersales")).arg(customers_.size())};
        return {};
    }

    // The calls dispatched to `technician` in every state and class, the closed class A one
    // surveyed and in the technician's work log; `assistant` (0: none) goes with them to the
    // contract's site; today's visits are the waiting call and the contract's second day. The id
    // of the switch carried back.
    tessera::Result<qint64> dispatchTickets(qint64 technician, qint64 assistant) {
        // Dispatched in the order the calls came in (calls_[6], the newest, still waits).
        auto chargedOnSite = ticket(0, "A", technician,
                                    {{"labourFee", QStringLiteral("180.00")},
                                     {"partsFee", QStringLiteral("45.80")},
                                     {"invoiceState", QStringLiteral("issued")},
                                     {"invoiceNo", QStringLiteral("04512876")},
                                     {"invoiceDate", day(8)},
                                     {"paidOn", day(8)},
                                     {"visitOn", day(9)}});
        if (!chargedOnSite) return chargedOnSite.error();
        if (auto s = advance(*chargedOnSite, "closed",
                             {{"arrived_at", at(9, "13:10")},
                              {"work_done", QStringLiteral("更换三楼东侧摄像机的电源适配器，重新压接两端网线水晶头，画面恢复，录像正常。")},
                              {"parts", QStringLiteral("电源适配器 12V 2A 1 个，水晶头 2 个")},
                              {"hours", 15},
                              {"closed_at", at(9, "14:40")}});
            !s)
            return s.error();
        auto warranty = ticket(1, "C", technician, {{"visitOn", day(5)}});
        if (!warranty) return warranty.error();
        if (auto s = advance(*warranty, "carried-back",
                             {{"arrived_at", at(5, "10:30")},
                              {"goods_taken", QStringLiteral("千兆交换机 1 台（8 口，外壳完好，通电后指示灯不亮），电源线 1 根")}});
            !s)
            return s.error();
        auto internal = ticket(2, "D", technician, {{"visitOn", day(3)}});
        if (!internal) return internal.error();
        if (auto s =
                advance(*internal, "closed",
                        {{"arrived_at", at(3, "09:00")},
                         {"work_done", QStringLiteral("大厅 12 路摄像机逐一检查，清洁镜头 4 个，重新调整大屏拼接参数，系统运行正常。")},
                         {"hours", 30},
                         {"closed_at", at(3, "12:00")}});
            !s)
            return s.error();
        auto chargedBack = ticket(3, "A", technician,
                                  {{"labourFee", QStringLiteral("150.00")}, {"partsFee", QStringLiteral("368.50")}, {"visitOn", day(3)}});
        if (!chargedBack) return chargedBack.error();
        if (auto s = advance(*chargedBack, "carried-back",
                             {{"arrived_at", at(3, "10:00")},
                              {"goods_taken", QStringLiteral("硬盘录像机 1 台（16 路，机身左侧有划痕，机内硬盘 2 块），遥控器 1 个")}});
            !s)
            return s.error();
        // Waiting for the technician since two days ago: past the response target.
        auto waiting = ticket(4, "C", technician, {});
        if (!waiting) return waiting.error();
        // Under 上海浦东's contract, found by the call's day.
        auto underContract = ticket(5, "B", technician, {}, assistant);
        if (!underContract) return underContract.error();
        if (auto s = advance(*underContract, "on-site", {{"arrived_at", at(1, "14:05")}}); !s) return s.error();

        auto survey =
            ctx_.records().create(QStringLiteral("biz.aftersales/survey"), Record{{QStringLiteral("ticketId"), *chargedOnSite},
                                                                                  {QStringLiteral("attitude"), QStringLiteral("4")},
                                                                                  {QStringLiteral("skill"), QStringLiteral("4")},
                                                                                  {QStringLiteral("timeliness"), QStringLiteral("3")},
                                                                                  {QStringLiteral("promise"), QStringLiteral("4")},
                                                                                  {QStringLiteral("source"), QStringLiteral("phone")},
                                                                                  {QStringLiteral("surveyedOn"), day(8)},
                                                                                  {QStringLiteral("surveyedBy"), QStringLiteral("周敏")}});
        if (!survey) return survey.error();
        // The day at the closed class A ticket: its times and work from the ticket's steps.
        auto logged = ctx_.records().create(QStringLiteral("biz.aftersales/workday"),
                                            Record{{QStringLiteral("technician"), technician},
                                                   {QStringLiteral("unitId"), branch_},
                                                   {QStringLiteral("ticketId"), *chargedOnSite},
                                                   {QStringLiteral("travelHours"), QStringLiteral("0.5")},
                                                   {QStringLiteral("travel"), QStringLiteral("地铁 1 号线至王府井站，步行 10 分钟")}});
        if (!logged) return logged.error();
        return *warranty;
    }

    // A ticket of call `call` (of calls_) in class `cls` for `technician` (and `assistant`,
    // unless 0), with `more` fields; visited today unless `more` says another day.
    tessera::Result<qint64> ticket(int call, const char* cls, qint64 technician,
                                   std::initializer_list<std::pair<const char*, QString>> more, qint64 assistant = 0) {
        Record fields{{QStringLiteral("registrationId"), calls_.value(call)},
                      {QStringLiteral("unitId"), branch_},
                      {QStringLiteral("serviceClass"), QLatin1String(cls)},
                      {QStringLiteral("technician"), technician}};
        if (assistant > 0) fields.insert(QStringLiteral("assistants"), QJsonArray{assistant});
        for (const auto& [field, value] : more) fields.insert(QLatin1String(field), value);
        return ctx_.records().create(QStringLiteral("biz.aftersales/ticket"), fields);
    }

    // The ticket as the technician's steps would have left it (sample data has no step history).
    tessera::Status advance(qint64 id, const char* state, std::initializer_list<std::pair<const char*, QVariant>> columns) {
        QStringList sets{QStringLiteral("state = ?2")};
        tessera::Params params{id, QLatin1String(state)};
        for (const auto& [column, value] : columns) {
            params.push_back(value);
            sets << QStringLiteral("%1 = ?%2").arg(QLatin1String(column)).arg(params.size());
        }
        auto w = ctx_.database().execute(QStringLiteral("UPDATE biz_as_tickets SET %1 WHERE id = ?1").arg(sets.join(QStringLiteral(", "))),
                                         params);
        if (!w) return w.error();
        return {};
    }

    tessera::Context& ctx_;
    const QDate today_;
    qint64 branch_ = 0;
    int contracts_ = 0;
    QList<qint64> customers_, calls_;
};

}  // namespace

tessera::Result<QString> makeDemoAftersales(const tessera::DemoScale&, qint64 rootUnitId, tessera::Context& ctx) {
    return Demo(ctx).run(rootUnitId);
}

}  // namespace biz::aftersales
