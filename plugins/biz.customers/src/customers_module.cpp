// biz.customers: customer master data (客户档案) shared by the business modules. The host
// serves the customer card declared in manifest.xml (list, card, create, update, delete,
// history, counts and export; docs/records.md). This library adds what is the module's own:
//   GET customers/stats/monthly?months=&q=&unit=   new customers per month, for the chart view
// and a home reminder of customers without a phone.

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

class CustomersModule final : public tessera::Module {
public:
    void declare(tessera::Declarations& d) override {
        const QString read = QStringLiteral("biz.customers.read");
        d.route(tessera::Method::Get, QStringLiteral("customers/stats/monthly"), monthlyStats, read);
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
