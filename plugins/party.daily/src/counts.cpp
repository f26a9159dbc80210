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
    static const QHash<QString, QString> fields{{QStringLiteral("category"), QStringLiteral("category")},
                                                {QStringLiteral("gender"), QStringLiteral("gender")},
                                                {QStringLiteral("ethnicity"), QStringLiteral("ethnicity")},
                                                {QStringLiteral("education"), QStringLiteral("education")},
                                                {QStringLiteral("age"), QStringLiteral("birthDate")}};
    if (!fields.contains(dimension))
        return Response::notFound(tessera::text("no count by '%1' (category, gender, ethnicity, education or age)", dimension));
    // The members the list shows for the same query, counted by the engine (from the counts
    // it keeps of these fields, where it can: manifest, counted="true").
    QList<tessera::FieldError> errors;
    auto rows = ctx.records().counts(QStringLiteral("member"), r, fields.value(dimension), {}, errors);
    if (!errors.isEmpty()) return Response::invalid(errors);
    if (!rows) {
        ctx.log().error(tessera::text("database: %1", rows.error().message));
        return Response::storageFailure(rows.error(), tessera::text("the member store could not be read"));
    }

    if (dimension == QLatin1String("age")) {
        // Born after (today - max - 1 years) and on or before (today - min years) -> in the band;
        // no birth date, no band.
        // (At the top of a large tree a date each: some 20,000.)
        const QDate today = ctx.clock().now().date();
        std::vector<Count> counts;
        std::vector<std::pair<QString, QString>> ranges;  // (latest, after) of each band, ISO dates
        for (const AgeBand& b : ageBands()) {
            counts.push_back({b.label, b.label, 0});
            ranges.emplace_back(today.addYears(-b.min).toString(Qt::ISODate),
                                b.max >= 0 ? today.addYears(-b.max - 1).toString(Qt::ISODate) : QString());
        }
        for (const tessera::RecordCount& c : *rows) {
            if (c.value.isNull()) continue;
            const QString born = c.value.toString();
            for (std::size_t i = 0; i < ranges.size(); ++i)
                if (born <= ranges[i].first && (ranges[i].second.isEmpty() || born > ranges[i].second)) {
                    counts[i].value += c.count;
                    break;  // the bands do not overlap
                }
        }
        return answer(counts);
    }

    const QString dictionary = dimension == QLatin1String("category") ? QStringLiteral("member-category")
                               : dimension == QLatin1String("education") ? QStringLiteral("education-group")
                                                                          : dimension;
    const auto labels = ctx.dictionary(dictionary);
    // Education codes fall into coarse groups (研究生, 大学本科, ...), in the order of their codes.
    std::map<QString, Count> byKey;  // ordered by key: the code, or the group's smallest code
    for (const tessera::RecordCount& row : *rows) {
        const QString code = row.value.toString();
        const qint64 n = row.count;
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
