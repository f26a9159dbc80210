#pragma once
// Reports (a manifest's <report>) as files:
//   GET /api/v1/reports/<plugin-id>/<report-id>/export?format=xlsx|csv&unit=&<params>
// made from the plugin's own answer to GET /api/v1/<plugin-id>/<resource> with the same
// parameters, by the same caller: the file holds exactly what the page shows them, with the
// report's column labels as headers and its totals row last. Numbers and money go into an
// .xlsx as number cells, so the spreadsheet sums them.

#include "app/record_routes.hpp"
#include "runtime/runtime.hpp"

#include <tessera/table_files.hpp>

namespace tessera::host {

/// One route per report whose plugin serves its resource with GET; `workDir` holds the file
/// while it is written. `problems` gets a line for each report without such a route.
std::vector<RecordRoute> reportRoutes(const Runtime& runtime, tessera::TableFiles& tables, const QString& workDir, QStringList& problems);

}  // namespace tessera::host
