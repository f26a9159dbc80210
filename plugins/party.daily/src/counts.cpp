#include "counts.hpp"

#include <QJsonArray>

#include <algorithm>
#include <limits>
#include <map>

namespace party::daily {

namespace {

using tessera::Request;
using tessera::Response;

struct Count {
    QString key;
    QString label;
    qint64 value = 0;
};

Response answer(const std::vector<Count>& counts) {
    QJsonArray items;
    qint64 total = 0;
    for (const Count& c : counts) {
        items.append(QJsonObject{{QStringLiteral("key"), c.key}, {QStringLiteral("label"), c.label}, {QStringLiteral("value"), c.value}});
        total += c.value;
    }
    return Response::json(QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("total"), total}});
}

}  // namespace

const std::vector<AgeBand>& ageBands() {
    static const std::vector<AgeBand> bands{
        {0, 30, QStringLiteral("30岁及以下")},  {31, 35, QStringLiteral("31至35岁")}, {36, 40, QStringLiteral("36至40岁")},
        {41, 45, QStringLiteral("41至45岁")},   {46, 50, QStringLiteral("46至50岁")}, {51, 55, QStringLiteral("51至55岁")},
        {56, 60, QStringLiteral("56至60岁")},   {61, 70, QStringLiteral("61至70岁")}, {71, -1, QStringLiteral("71岁及以上")}};
    return bands;
}

Response memberCounts(const Request& r, tessera::Context& ctx) {
    const QString dimension = r.param(QStringLiteral("dimension"));
    static const QHash<QString, QString> columns{{QStringLiteral("category"), QStringLiteral("category")},
                                                 {QStringLiteral("gender"), QStringLiteral("gender")},
                                                 {QStringLiteral("ethnicity"), QStringLiteral("ethnicity")},
                                                 {QStringLiteral("education"), QStringLiteral("education")},
                                                 {QStringLiteral("age"), QStringLiteral("birth_date")}};
    if (!columns.contains(dimension))
        return Response::notFound(tessera::text("no count by '%1' (category, gender, ethnicity, education or age)", dimension));
    // The members the list shows for the same query, as the host's engine filters the list.
    QList<tessera::FieldError> errors;
    auto filter = ctx.records().filter(QStringLiteral("member"), r, {}, errors);
    if (!errors.isEmpty()) return Response::invalid(errors);
    auto fail = [&](const tessera::Error& e) {
        ctx.log().error(tessera::text("database: %1", e.message));
        return Response::storageFailure(e, tessera::text("the member store could not be read"));
    };
    if (!filter) return fail(filter.error());
    const QString& where = filter->where;
    tessera::Params params = filter->params;

    if (dimension == QLatin1String("age")) {
        // Born after (today - max - 1 years) and on or before (today - min years) -> in the band.
        // Each band is a range of birth dates, counted on its own: through the birth date's
        // index a band reads only its own members (a CASE over every member would read them all
        // and sort them by band), all bands in one statement, so they add up.
        const QDate today = ctx.clock().now().date();
        QStringList bands;
        for (std::size_t i = 0; i < ageBands().size(); ++i) {
            const AgeBand& b = ageBands()[i];
            params.push_back(today.addYears(-b.min).toString(Qt::ISODate));
            QString range = QStringLiteral("birth_date <= ?%1").arg(params.size());
            if (b.max >= 0) {
                params.push_back(today.addYears(-b.max - 1).toString(Qt::ISODate));
                range += QStringLiteral(" AND birth_date > ?%1").arg(params.size());
            }
            bands << QStringLiteral("(SELECT count(*) FROM party_members%1 AND %2) AS b%3").arg(where, range).arg(i);
        }
        // Counts pages show again and again: read again only after a write.
        auto read = ctx.database().queryAggregate(QStringLiteral("SELECT ") + bands.join(QStringLiteral(", ")), params);
        if (!read) return fail(read.error());
        const tessera::Row row = read->empty() ? tessera::Row{} : read->front();
        std::vector<Count> counts;
        for (std::size_t i = 0; i < ageBands().size(); ++i)
            counts.push_back({ageBands()[i].label, ageBands()[i].label, row.value(QStringLiteral("b%1").arg(i)).toLongLong()});
        return answer(counts);
    }

    const QString column = columns.value(dimension);
    auto rows = ctx.database().queryAggregate(QStringLiteral("SELECT %1 AS code, count(*) AS n FROM party_members%2 GROUP BY %1").arg(column, where),
                                              params);
    if (!rows) return fail(rows.error());
    const QString dictionary = dimension == QLatin1String("category") ? QStringLiteral("member-category")
                               : dimension == QLatin1String("education") ? QStringLiteral("education-group")
                                                                          : dimension;
    const auto labels = ctx.dictionary(dictionary);
    // Education codes fall into coarse groups (研究生, 大学本科, ...), in the order of their codes.
    std::map<QString, Count> byKey;  // ordered by key: the code, or the group's smallest code
    for (const auto& row : *rows) {
        const QString code = row.value(QStringLiteral("code")).toString();
        const qint64 n = row.value(QStringLiteral("n")).toLongLong();
        const QString label = code.isEmpty() ? QStringLiteral("未填") : labels.value(code, code);
        if (dimension == QLatin1String("education")) {
            auto it = std::find_if(byKey.begin(), byKey.end(), [&](const auto& e) { return e.second.label == label; });
            if (it == byKey.end()) {
                byKey.emplace(code.isEmpty() ? QStringLiteral("~") : code, Count{label, label, n});
            } else {
                Count c = it->second;
                c.value += n;
                const QString key = std::min(it->first, code.isEmpty() ? QStringLiteral("~") : code);
                byKey.erase(it);
                byKey.emplace(key, c);
            }
        } else {
            byKey.emplace(code.isEmpty() ? QStringLiteral("~") : code, Count{code, label, n});
        }
    }
    // Every category and gender is shown, also with no members; ethnicities only when present.
    if (dimension == QLatin1String("category") || dimension == QLatin1String("gender"))
        for (auto it = labels.begin(); it != labels.end(); ++it)
            if (!byKey.count(it.key())) byKey.emplace(it.key(), Count{it.key(), it.value(), 0});
    std::vector<Count> counts;
    for (auto& [key, c] : byKey) counts.push_back(c);
    if (dimension == QLatin1String("ethnicity"))
        std::stable_sort(counts.begin(), counts.end(), [](const Count& a, const Count& b) { return a.value > b.value; });
    return answer(counts);
}

}  // namespace party::daily
