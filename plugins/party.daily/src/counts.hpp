#pragma once
// Simple counts of the members of a subtree (党员统计): by category, gender, ethnicity,
// education group and age band, for the chart views.

#include <tessera/context.hpp>
#include <tessera/http.hpp>

#include <QDate>
#include <QString>

#include <vector>

namespace party::daily {

/// An age band of the party statistics: from `min` to `max` years (inclusive; -1: open).
struct AgeBand {
    int min;
    int max;
    QString label;
};
/// 30岁及以下, 31至35岁, ..., 61至70岁, 71岁及以上.
const std::vector<AgeBand>& ageBands();

/// GET members/counts/{dimension}?<the member list's filters>  -> {"items": [{"key", "label",
/// "value"}], "total"}: the members the list shows for the same query (q, unit, roll and
/// every filter of the card, as the host's record engine reads them), counted; an unknown
/// parameter is 422, as on the list.
tessera::Response memberCounts(const tessera::Request& r, tessera::Context& ctx);

}  // namespace party::daily
