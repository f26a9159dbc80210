#pragma once
// Exports of the party organisation list, as filtered, to CSV or Excel, as jobs. The
// files have the import's columns (labels for codes, 是/否, organisations by code), so an
// export imports again unchanged; organisations come parents first. A file names only
// organisations the caller may read: the parent of an organisation at the top of the
// caller's scope is left empty (an import keeps it where it is).

#include "table_columns.hpp"

#include <tessera/context.hpp>

namespace party::daily {

/// POST orgs/export?format=csv|xlsx&<the list's query>: 202 with the job, or 422
/// for a bad format or filter (checked before any job starts).
tessera::Response startExport(const tessera::Request& r, tessera::Context& ctx, const ListQuery& query,
                              const Dictionaries& dictionaries);

}  // namespace party::daily
