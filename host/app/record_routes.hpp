#pragma once
// The routes of every card the host serves (services/records.hpp), under the plugin's own
// path, /api/v1/<plugin-id>/<resource>:
//   GET    <resource>                 list: filters, q, unit, sort, page and size, or cursor
//   GET    <resource>/counts?by=      counts grouped by a field, under the list's filters
//   POST   <resource>/export?format=  the filtered list as CSV or xlsx, as a job (202)
//   POST   <resource>/import          {"file": upload id, "dryRun"}: a CSV or xlsx, as a job (202)
//   GET    <resource>/{id}            one record, with ETag "<version>"
//   GET    <resource>/{id}/history    its field-level changes from the audit log
//   POST   <resource>                 create
//   PUT    <resource>/{id}            full update; If-Match (412 when stale) or "version" (409)
//   DELETE <resource>/{id}            delete; honours If-Match; refused while referenced
//   GET|POST <resource>/{id}/attachments/{field}, GET|DELETE .../{field}/{attachment}
//                                     a card's attachments fields (docs/records.md, "Attachments")
// Reads need the card's read permission, writes its write permission, each limited to the
// units of the caller's scope for it.

#include "app/host_route.hpp"
#include "services/records.hpp"

namespace tessera::host {

struct RecordRoute {
    QString pluginId;  // the owner: routes and audit entries are the plugin's
    HostRoute route;
};

std::vector<RecordRoute> recordRoutes(RecordCards& cards);

}  // namespace tessera::host
