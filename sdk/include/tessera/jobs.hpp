#pragma once
// Long operations (imports, exports, backups) run as jobs: a route starts one and answers
// 202 at once; the work runs on the host's job threads and reports its progress, which
// GET /api/v1/jobs/{id} exposes to the browser and to scripts. A job may leave one file
// (an export) that its owner downloads from GET /api/v1/jobs/{id}/output.

#include <tessera/access.hpp>
#include <tessera/http.hpp>
#include <tessera/result.hpp>

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <functional>

namespace tessera {

class Context;

/// What a running job sees of itself.
class Job {
public:
    virtual ~Job() = default;
    virtual QString id() const = 0;
    /// The rights of whoever started the job, as they were then: scope reads and writes with
    /// them exactly as the starting request would have. Writes are audited as that user.
    virtual const Access& access() const = 0;
    /// Sets how many steps the job has (rows, pages); 0 while unknown.
    virtual void setTotal(qint64 total) = 0;
    /// Reports `done` steps finished and, optionally, what is happening now ("写入第 2 万行").
    /// Cheap to call often: the host keeps at most a few updates a second.
    virtual void setProgress(qint64 done, const QString& stage = {}) = 0;
    /// Whether the owner asked to cancel; the work should then stop, undo what it started and
    /// return Error{"job.cancelled", ...}.
    virtual bool cancelRequested() const = 0;
    /// The path of the job's one output file, to be written by the work; `fileName` is what
    /// the download is called ("customers.csv"), `contentType` its media type. Error
    /// "job.output" when the file cannot be created or a second one is asked for.
    virtual Result<QString> outputFile(const QString& fileName, const QByteArray& contentType) = 0;
};

/// The work of a job: returns a JSON summary of what it did ({"rows": 1200}) or an Error,
/// which becomes the job's failure reason. Runs on a job thread; must not throw (the host
/// catches and fails the job).
using JobWork = std::function<Result<QJsonObject>(Job& job, Context& context)>;

/// Starts jobs for the plugin that owns the Context.
class Jobs {
public:
    virtual ~Jobs() = default;
    /// Queues `work` on behalf of the caller of `request` (who owns the job and alone, with
    /// administrators, sees it). `kind` names the operation ("export", "import"), `title`
    /// says what it is for people ("导出客户"). Returns the job's id.
    virtual Result<QString> start(const Request& request, const QString& kind, const QString& title, JobWork work) = 0;

    /// The answer of a route that started a job: 202 with {"job": id, "href": ...} and a
    /// Location header to poll.
    static Response accepted(const QString& jobId) {
        const QString href = QStringLiteral("/api/v1/jobs/") + jobId;
        Response r = Response::json(QJsonObject{{QStringLiteral("job"), jobId}, {QStringLiteral("href"), href}}, 202);
        r.withHeader("Location", href.toUtf8());
        return r;
    }
};

}  // namespace tessera
