#pragma once
// Uploads (for imports):
//   POST   /api/v1/files?name=<file name>   the body is the file, any content type, streamed to
//                                           disk (a file route); 201 {id, name, size, contentType, href}
//   GET    /api/v1/files/{id}               the upload's description (its uploader only)
//   DELETE /api/v1/files/{id}               removes it before its day is over

#include "app/host_route.hpp"
#include "services/uploads.hpp"

namespace tessera::host {

/// The body route (POST) is a file route: HostApp adds it with Router::addFileRoute.
HostRoutes uploadRoutes(UploadStore& uploads);
bool isFileRoute(const HostRoute& route);

}  // namespace tessera::host
