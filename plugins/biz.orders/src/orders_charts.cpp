// biz.orders' charts: see orders_charts.hpp.

#include "orders_charts.hpp"

#include "orders_rules.hpp"

#include <QDate>

#include <limits>
#include <variant>

namespace biz::orders {

namespace {

constexpr int kTop = 10;

QString yuan(qint64 fen) { return tessera::formatDecimal(fen, 2); }

// The sales of the year asked for (default this year) by `by`, as sales() gives them; a 422
// for bad or unknown parameters.
std::variant<std::vector<SalesRow>, tessera::Response> salesOfYear(const QString& by, const tessera::Request& r, tessera::Context& ctx,
                                                                   qint64& year) {
    QList<tessera::FieldError> errors;
    tessera::refuseUnknownParams(r, {QStringLiteral("year"), QStringLiteral("unit")}, errors);
    const QDate today = ctx.clock().now().toLocalTime().date();
    year = tessera::wholeNumberParam(r, QStringLiteral("year"), today.year(), 2000, today.year() + 1, errors);
    const qint64 unit = tessera::wholeNumberParam(r, QStringLiteral("unit"), 0, 1, std::numeric_limits<qint64>::max(), errors);
    if (!errors.isEmpty()) return tessera::Response::invalid(errors);
    auto rows = sales(by, year, unit, r, ctx);
    if (!rows) return tessera::Response::storageFailure(rows.error(), tessera::text("the sales could not be summed"));
    return std::move(*rows);
}

tessera::Response answer(const QString& title, qint64 year, const QJsonArray& items, qint64 fen) {
    return tessera::Response::json(QJsonObject{{QStringLiteral("title"), title},
                                               {QStringLiteral("params"), QJsonObject{{QStringLiteral("year"), QString::number(year)}}},
                                               {QStringLiteral("items"), items},
                                               {QStringLiteral("total"), QJsonObject{{QStringLiteral("amount"), yuan(fen)}}}});
}

// The first ten rows (sales() gives them by amount, most first) and the rest summed as 其他.
tessera::Response topTen(const QString& by, QString (*title)(qint64 year), const tessera::Request& r, tessera::Context& ctx) {
    qint64 year = 0;
    auto got = salesOfYear(by, r, ctx, year);
    if (auto* refused = std::get_if<tessera::Response>(&got)) return std::move(*refused);
    const auto& rows = std::get<std::vector<SalesRow>>(got);
    QJsonArray items;
    qint64 fen = 0, rest = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        fen += rows[i].fen;
        if (i < kTop)
            items.append(QJsonObject{{QStringLiteral("key"), rows[i].key},
                                     {QStringLiteral("label"), rows[i].label},
                                     {QStringLiteral("amount"), yuan(rows[i].fen)}});
        else
            rest += rows[i].fen;
    }
    if (rows.size() > kTop)
        items.append(QJsonObject{{QStringLiteral("key"), QStringLiteral("other")},
                                 {QStringLiteral("label"), tessera::text("other")},
                                 {QStringLiteral("amount"), yuan(rest)}});
    return answer(title(year), year, items, fen);
}

}  // namespace

tessera::Response monthlySales(const tessera::Request& r, tessera::Context& ctx) {
    qint64 year = 0;
    auto got = salesOfYear(QStringLiteral("month"), r, ctx, year);
    if (auto* refused = std::get_if<tessera::Response>(&got)) return std::move(*refused);
    QHash<QString, qint64> byMonth;
    for (const SalesRow& row : std::get<std::vector<SalesRow>>(got)) byMonth.insert(row.key, row.fen);
    QJsonArray items;
    qint64 fen = 0;
    for (int m = 1; m <= 12; ++m) {
        const QString key = QStringLiteral("%1-%2").arg(year).arg(m, 2, 10, QLatin1Char('0'));
        items.append(QJsonObject{
            {QStringLiteral("key"), key}, {QStringLiteral("label"), key}, {QStringLiteral("amount"), yuan(byMonth.value(key))}});
        fen += byMonth.value(key);
    }
    return answer(tessera::text("sales of %1 by month", year), year, items, fen);
}

tessera::Response topProducts(const tessera::Request& r, tessera::Context& ctx) {
    return topTen(
        QStringLiteral("product"), [](qint64 year) { return tessera::text("the products that sold most in %1", year); }, r, ctx);
}

tessera::Response topCustomers(const tessera::Request& r, tessera::Context& ctx) {
    return topTen(
        QStringLiteral("customer"), [](qint64 year) { return tessera::text("the customers who bought most in %1", year); }, r, ctx);
}

}  // namespace biz::orders
