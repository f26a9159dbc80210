#pragma once
// The HTTP face of the unit tree, limited to the caller's scope (a unit outside it answers
// 404, as if it did not exist):
//   GET    /api/v1/units?parent=ID          children of ID; without parent, where the caller's tree starts
//   GET    /api/v1/units/{id}               one unit with its ancestors, ETag "<version>"
//   GET    /api/v1/units/{id}/subtree       the unit and everything below it, in tree order
//   GET    /api/v1/units/search?q=&limit=   units whose name or code contains q, with their path of names
//   POST   /api/v1/units                    {parentId, name, code, sortOrder} -> 201
//   PUT    /api/v1/units/{id}               {name, code, sortOrder}; If-Match (412) or body version (409), else 428
//   POST   /api/v1/units/{id}/move          {parentId, version} (or If-Match)
//   DELETE /api/v1/units/{id}               honours If-Match; 409 with the reason when still in use

#include "app/host_route.hpp"
#include "identity/unit_tree.hpp"

#include <tessera/context.hpp>

namespace tessera::host {

/// The unit routes, reading and writing through `tree`. Storage failures answer 500 and are
/// written to `log` when one is given. `tree` (and `log`) must outlive the routes.
HostRoutes unitRoutes(UnitTree& tree, tessera::Logger* log = nullptr);

}  // namespace tessera::host
