// biz.customers: customer master data (客户档案) shared by the business modules. The host
// serves the customer card declared in manifest.xml (list, card, create, update, delete,
// history, counts and export; docs/records.md). This library adds what is the module's own:
//   GET customers/stats/monthly?months=&q=&unit=   new customers per month, for the chart view
// a home reminder of customers without a phone, and sample customers for `tessera demo`.

#include <tessera/tessera.hpp>

#include <QJsonArray>
#include <QJsonObject>

namespace biz::customers {

namespace {

using tessera::Context;
using tessera::Request;
using tessera::Response;

// GET customers/stats/monthly?months=12&q=&unit=  new customers per month (by created_at),
// the last `months` months up to this one, oldest first, months without any included. The
// search and the picked unit narrow it as they narrow the list.
Response monthlyStats(const Request& r, Context& ctx) {
    QList<tessera::FieldError> errors;
    tessera::refuseUnknownParams(r, {QStringLiteral("months"), QStringLiteral("q"), QStringLiteral("unit")}, errors);
    const qint64 months = tessera::wholeNumberParam(r, QStringLiteral("months"), 12, 1, 120, errors);
    const qint64 unit = tessera::wholeNumberParam(r, QStringLiteral("unit"), 0, 1, std::numeric_limits<qint64>::max(), errors);
    const QString q = r.queryValue(QStringLiteral("q")).trimmed();
    if (!q.isEmpty() && !ctx.feature(QStringLiteral("search")))
        errors.append({QStringLiteral("q"), tessera::text("search is switched off in this deployment")});
    if (!errors.isEmpty()) return Response::invalid(errors);
    const QDate thisMonth = ctx.clock().now().date();
    const QDate first = QDate(thisMonth.year(), thisMonth.month(), 1).addMonths(static_cast<int>(1 - months));
    tessera::Params params{first.toString(Qt::ISODate), tessera::likeContaining(q)};
    QString where = QStringLiteral(" WHERE created_at >= ?1 AND (?2 = '%%' OR name LIKE ?2 ESCAPE '\\' OR contact LIKE ?2 ESCAPE '\\' "
                                   "OR phone LIKE ?2 ESCAPE '\\') AND ");
    where += unit ? r.scope->conditionWithin(QStringLiteral("unit_id"), unit, params) : r.scope->condition(QStringLiteral("unit_id"), params);
    auto rows = ctx.database().query(
        QStringLiteral("SELECT substr(created_at, 1, 7) AS month, count(*) AS n FROM biz_customers") + where + QStringLiteral(" GROUP BY month"), params);
    if (!rows) return Response::storageFailure(rows.error(), tessera::text("the customers could not be counted"));
    QHash<QString, qint64> counts;
    for (const auto& row : *rows) counts.insert(row.value(QStringLiteral("month")).toString(), row.value(QStringLiteral("n")).toLongLong());
    QJsonArray items;
    qint64 total = 0;
    for (QDate m = first; m <= thisMonth; m = m.addMonths(1)) {
        const QString key = m.toString(QStringLiteral("yyyy-MM"));
        total += counts.value(key);
        items.append(QJsonObject{{QStringLiteral("key"), key}, {QStringLiteral("label"), key}, {QStringLiteral("value"), counts.value(key)}});
    }
    return Response::json(QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("total"), total}});
}

// `tessera demo`: the customers the business modules' sample data sells to and serves, at the
// top unit (none when it has customers already).
tessera::Result<QString> demoCustomers(const tessera::DemoScale&, qint64 root, Context& ctx) {
    static constexpr const char* kCustomers[][4] = {
        {"北京华联商厦", "张伟", "010-6512 3456", "北京市东城区王府井大街 88 号"},
        {"上海浦东发展有限公司", "李娜", "021-5888 0000", "上海市浦东新区世纪大道 100 号"},
        {"广州天河贸易公司", "王芳", "020-3888 1234", "广州市天河区天河路 385 号"},
        {"深圳南山科技服务中心", "刘洋", "0755-8888 6666", "深圳市南山区科技园"},
        {"成都锦江物业管理处", "陈静", "028-8666 7777", "成都市锦江区春熙路 12 号"}};
    auto n = ctx.database().queryOne(QStringLiteral("SELECT count(*) AS n FROM biz_customers WHERE unit_id = ?1"), {root});
    if (!n) return n.error();
    if (n->value(QStringLiteral("n")).toLongLong() > 0) return QStringLiteral("customers at the top unit already, none added");
    for (const auto& c : kCustomers) {
        const QStringList v{QString::fromUtf8(c[0]), QString::fromUtf8(c[1]), QString::fromUtf8(c[2]), QString::fromUtf8(c[3])};
        auto id = ctx.records().create(QStringLiteral("biz.customers/customer"),
                                       tessera::Record{{QStringLiteral("name"), v[0]}, {QStringLiteral("contact"), v[1]},
                                                       {QStringLiteral("phone"), v[2]}, {QStringLiteral("address"), v[3]}, {QStringLiteral("unitId"), root}});
        if (!id) return id.error();
    }
    return QStringLiteral("5 customers");
}

class CustomersModule final : public tessera::Module {
public:
    void declare(tessera::Declarations& d) override {
        const QString read = QStringLiteral("biz.customers.read");
        d.route(tessera::Method::Get, QStringLiteral("customers/stats/monthly"), monthlyStats, read);
        d.demo(demoCustomers);
        // Home page: customers of the user's own unit that cannot be phoned.
        d.reminders(read, [](qint64 unitId, const QDate&, Context& ctx) -> tessera::Result<std::vector<tessera::Reminder>> {
            std::vector<tessera::Reminder> out;
            if (!ctx.setting(QStringLiteral("remind-missing-phone")).toBool()) return out;
            auto n = ctx.database().queryOne(QStringLiteral("SELECT count(*) AS n FROM biz_customers WHERE unit_id = ?1 AND phone = ''"), {unitId});
            if (!n) return n.error();
            if (const qint64 count = n->value(QStringLiteral("n")).toLongLong(); count > 0)
                out.push_back({tessera::text("%1 customers have no phone number", count), QStringLiteral("info"),
                               QStringLiteral("/m/biz.customers/customers"), {}});
            return out;
        });
    }
};

}  // namespace

}  // namespace biz::customers

TESSERA_MODULE(biz::customers::CustomersModule)
