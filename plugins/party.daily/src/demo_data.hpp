#pragma once
// Sample data for demos and benchmarks (`tessera demo`): a province-like tree of party
// organisations, each level one factor larger, branches (党支部) at the bottom, and members
// with valid, unique ID numbers spread over the branches.

#include <tessera/module.hpp>

namespace party::daily {

tessera::Result<QString> makeDemoData(const tessera::DemoScale& scale, qint64 rootUnitId, tessera::Context& ctx);

}  // namespace party::daily
