#pragma once
// The host's job runner: long operations of plugins (imports, exports) run on a few worker
// threads, never on the HTTP threads. Live progress is kept in memory (a job's own writes
// happen in its transaction on its thread's connection, so progress could not be written
// beside them); the row in core_jobs is written when a job is queued and when it ends.
// Output files live in one folder beside the database and are removed after a day.

#include "identity/access_control.hpp"
#include "runtime/log.hpp"
#include "store/sqlite_store.hpp"

#include <tessera/context.hpp>
#include <tessera/jobs.hpp>

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace tessera::host {

/// One job as the API shows it.
struct JobInfo {
    QString id;
    QString pluginId;
    QString kind;
    QString title;
    qint64 ownerId = 0;
    QString ownerName;
    QString state;  // queued, running, succeeded, failed, cancelled, interrupted
    qint64 done = 0;
    qint64 total = 0;
    QString stage;
    QJsonObject result;
    QString errorCode;
    QString error;
    QString outputName;
    QByteArray outputType;
    qint64 outputBytes = 0;
    QDateTime createdAt;
    QDateTime startedAt;
    QDateTime finishedAt;
    bool cancelRequested = false;

    bool finished() const { return state != QLatin1String("queued") && state != QLatin1String("running"); }
    QJsonObject toJson() const;
};

class JobRunner {
public:
    /// `outputDir` is created when the first output file is.
    JobRunner(SqliteStore& store, QString outputDir, const tessera::Clock& clock, Log log, int threads = 2);
    ~JobRunner();  // shutdown()
    JobRunner(const JobRunner&) = delete;
    JobRunner& operator=(const JobRunner&) = delete;

    /// At start-up: marks jobs a previous process left queued or running as interrupted and
    /// removes output files older than a day.
    Status recover();
    /// The Jobs a plugin's Context hands out: starts jobs owned by that plugin.
    std::unique_ptr<tessera::Jobs> jobsFor(const QString& pluginId, tessera::Context& context);

    /// A job by id (live or stored); nullopt when there is none.
    Result<std::optional<JobInfo>> find(const QString& id);
    /// The newest jobs first: of `ownerId`, or of everyone when it is 0.
    Result<std::vector<JobInfo>> list(qint64 ownerId, int limit);
    /// Asks a queued or running job to stop (a queued one is cancelled at once). False when
    /// the job has already finished.
    bool cancel(const QString& id);
    /// Where a finished job's output file is.
    QString outputPath(const QString& jobId) const;
    /// Whether a finished job's output is past its day (then it is gone or about to be).
    bool outputExpired(const JobInfo& job) const;

    /// Stops taking jobs, asks running ones to cancel and waits for the threads. Idempotent.
    void shutdown();

    class Running;  // a job in this process (queued or running)

private:
    Result<QString> start(const QString& pluginId, tessera::Context& context, const tessera::Request& request,
                          const QString& kind, const QString& title, tessera::JobWork work);
    void workLoop();
    void run(const std::shared_ptr<Running>& job);
    Status storeFinal(const JobInfo& info);
    Status storeFinalOnce(const JobInfo& info);
    void sweepOutputs();

    SqliteStore& store_;
    QString outputDir_;
    const tessera::Clock& clock_;
    Log log_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::shared_ptr<Running>> queue_;
    std::map<QString, std::shared_ptr<Running>> live_;  // queued and running, by id
    std::vector<std::thread> threads_;
    bool stopping_ = false;

    class PluginJobs;
};

}  // namespace tessera::host
