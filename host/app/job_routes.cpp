#include "app/job_routes.hpp"

#include "runtime/content_disposition.hpp"
#include "runtime/language.hpp"
#include "runtime/storage_error.hpp"

#include <QFile>
#include <QJsonArray>
#include <QUrl>

namespace tessera::host {

namespace {

using tessera::Request;
using tessera::Response;

Response storeError() { return Response::error(500, tessera::text("Internal Server Error"), tessera::text("job store error")); }

// The job, when the caller may see it: their own, or anyone's with core.jobs.all.
// Everything else is "not found", so ids of other people's jobs reveal nothing.
Result<std::optional<JobInfo>> visibleJob(JobRunner& jobs, const Request& r) {
    auto job = jobs.find(r.param(QStringLiteral("id")));
    if (!job) return job.error();
    if (*job && (*job)->ownerId != r.access->caller().userId && !r.access->can(kJobsAll)) return std::optional<JobInfo>{};
    return job;
}

// A job as the caller sees it: a full disk is told in the language of whoever asks (the
// stored message is in the default one).
QJsonObject jobJson(const JobInfo& job, const Request& r) {
    QJsonObject o = job.toJson();
    if (job.errorCode == kDiskFull)
        o.insert(QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), job.errorCode},
                                                      {QStringLiteral("message"), diskFullMessage(preferredLanguage(r.header("accept-language")))}});
    return o;
}

// A job's state in words ("running"), for the refusals that name it.
QString stateInWords(const QString& state) {
    if (state == u"queued") return tessera::text("queued");
    if (state == u"running") return tessera::text("running");
    if (state == u"succeeded") return tessera::text("succeeded");
    if (state == u"failed") return tessera::text("failed");
    if (state == u"cancelled") return tessera::text("cancelled");
    if (state == u"interrupted") return tessera::text("interrupted");
    return state;
}

Response noSuchJob(const Request& r) {
    return Response::notFound(tessera::text("no job '%1' of yours", r.param(QStringLiteral("id"))));
}

}  // namespace

HostRoutes jobRoutes(JobRunner& jobs) {
    HostRoutes routes;
    routes.push_back({tessera::Method::Get, QStringLiteral("/api/v1/jobs"), kAnyUser, [&jobs](const Request& r) {
        const QString all = r.queryValue(QStringLiteral("all"));
        if (!all.isEmpty() && all != QLatin1String("0") && all != QLatin1String("1"))
            return Response::invalid({{QStringLiteral("all"), tessera::text("must be 0 or 1, not '%1'", all)}});
        if (all == QLatin1String("1") && !r.access->can(kJobsAll))
            return Response::error(403, tessera::text("Forbidden"), tessera::text("you do not have the permission %1", kJobsAll));
        auto list = jobs.list(all == QLatin1String("1") ? 0 : r.access->caller().userId, 50);
        if (!list) return storeError();
        QJsonArray items;
        for (const auto& j : *list) items.append(jobJson(j, r));
        return Response::json(QJsonObject{{QStringLiteral("items"), items}});
    }});
    routes.push_back({tessera::Method::Get, QStringLiteral("/api/v1/jobs/{id}"), kAnyUser, [&jobs](const Request& r) {
        auto job = visibleJob(jobs, r);
        if (!job) return storeError();
        if (!*job) return noSuchJob(r);
        return Response::json(jobJson(**job, r));
    }});
    routes.push_back({tessera::Method::Post, QStringLiteral("/api/v1/jobs/{id}/cancel"), kAnyUser, [&jobs](const Request& r) {
        auto job = visibleJob(jobs, r);
        if (!job) return storeError();
        if (!*job) return noSuchJob(r);
        if ((*job)->finished() || !jobs.cancel((*job)->id))
            return Response::error(409, tessera::text("Conflict"), tessera::text("the job has already ended (%1)", stateInWords((*job)->state)));
        auto now = jobs.find((*job)->id);
        if (!now || !*now) return storeError();
        return Response::json(jobJson(**now, r), 202);
    }});
    routes.push_back({tessera::Method::Get, QStringLiteral("/api/v1/jobs/{id}/output"), kAnyUser, [&jobs](const Request& r) {
        auto job = visibleJob(jobs, r);
        if (!job) return storeError();
        if (!*job) return noSuchJob(r);
        const JobInfo& j = **job;
        // The file holds what its owner's scope reached: only the owner downloads it, also
        // when an administrator may see and cancel the job.
        if (j.ownerId != r.access->caller().userId) return noSuchJob(r);
        if (!j.finished())
            return Response::error(409, tessera::text("Conflict"), tessera::text("the job is still %1; its output comes when it has succeeded", stateInWords(j.state)));
        if (j.state != QLatin1String("succeeded") || j.outputName.isEmpty())
            return Response::notFound(tessera::text("job '%1' has no output file (%2)", j.id, stateInWords(j.state)));
        const QString path = jobs.outputPath(j.id);
        if (jobs.outputExpired(j) || !QFile::exists(path))
            return Response::error(410, tessera::text("Gone"), tessera::text("the output of job '%1' is no longer kept (outputs are kept for a day)", j.id));
        return Response::fromFile(path, j.outputType).withHeader("Content-Disposition", contentDisposition(j.outputName));
    }});
    return routes;
}

}  // namespace tessera::host
