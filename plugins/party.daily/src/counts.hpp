#pragma once
// Simple counts of the members of a subtree (党员统计): by category, gender, ethnicity,
// education group and age band, for the chart views.

#include "records.hpp"

#include <QDate>

namespace party::daily {

/// An age band of the party statistics: from `min` to `max` years (inclusive; -1: open).
struct AgeBand {
    int min;
    int max;
    QString label;
};
/// 30岁及以下, 31至35岁, ..., 61至70岁, 71岁及以上.
const std::vector<AgeBand>& ageBands();

/// GET members/counts/{dimension}?unit=  -> {"items": [{"key", "label", "value"}], "total"}.
tessera::Response memberCounts(const tessera::Request& r, tessera::Context& ctx, const Dictionaries& dictionaries);

}  // namespace party::daily
