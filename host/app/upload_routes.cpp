#include "app/upload_routes.hpp"

#include "runtime/storage_error.hpp"

namespace tessera::host {

namespace {

using tessera::Request;
using tessera::Response;

const QString kFiles = QStringLiteral("/api/v1/files");

Response uploadError(const Error& e, const Request& r) {
    if (e.code == QLatin1String("upload.not_found")) return Response::notFound(e.message);
    if (e.code == QLatin1String("upload.name")) return Response::invalid({{QStringLiteral("name"), e.message}});
    if (e.code == kDiskFull) return diskFullResponse(preferredLanguage(r.header("accept-language")));
    return Response::error(500, tessera::text("Internal Server Error"), tessera::text("the upload could not be stored"));
}

}  // namespace

bool isFileRoute(const HostRoute& route) { return route.method == tessera::Method::Post && route.pattern == kFiles; }

HostRoutes uploadRoutes(UploadStore& uploads) {
    HostRoutes routes;
    routes.push_back({tessera::Method::Post, kFiles, kAnyUser, [&uploads](const Request& r) {
        auto kept = uploads.keep(r.access->caller().userId, r.queryValue(QStringLiteral("name")),
                                 r.header("content-type"), r.bodyFile);
        if (!kept) return uploadError(kept.error(), r);
        return Response::created(UploadStore::toJson(*kept)).withHeader("Location", (kFiles + QLatin1Char('/') + kept->id).toUtf8());
    }});
    routes.push_back({tessera::Method::Get, kFiles + QStringLiteral("/{id}"), kAnyUser, [&uploads](const Request& r) {
        auto f = uploads.find(r.access->caller().userId, r.param(QStringLiteral("id")));
        if (!f) return uploadError(f.error(), r);
        return Response::json(UploadStore::toJson(*f));
    }});
    routes.push_back({tessera::Method::Delete, kFiles + QStringLiteral("/{id}"), kAnyUser, [&uploads](const Request& r) {
        if (auto s = uploads.remove(r.access->caller().userId, r.param(QStringLiteral("id"))); !s) return uploadError(s.error(), r);
        return Response::noContent();
    }});
    return routes;
}

}  // namespace tessera::host
