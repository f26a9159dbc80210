#include "services/jobs.hpp"

#include "identity/access_control.hpp"
#include "identity/secrets.hpp"
#include "runtime/storage_error.hpp"
#include "store/audit_actor.hpp"

#include <tessera/text.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

namespace tessera::host {

namespace {

constexpr qint64 kOutputRetentionSecs = 24 * 3600;
constexpr int kFinalRetries = 120;  // a job's ending waits up to ~10 minutes for the write lock

QString iso(const QDateTime& t) { return t.isValid() ? t.toString(Qt::ISODateWithMs) : QString(); }
QJsonValue isoOrNull(const QDateTime& t) { return t.isValid() ? QJsonValue(iso(t)) : QJsonValue(QJsonValue::Null); }

// A job id names a file in the output folder: only these characters, never a path.
bool plausibleId(const QString& id) {
    if (id.size() < 8 || id.size() > 64) return false;
    return std::all_of(id.begin(), id.end(), [](QChar c) {
        return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
               (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('-') || c == QLatin1Char('_');
    });
}


JobInfo fromRow(const tessera::Row& row) {
    JobInfo j;
    j.id = row.value(QStringLiteral("id")).toString();
    j.pluginId = row.value(QStringLiteral("plugin_id")).toString();
    j.kind = row.value(QStringLiteral("kind")).toString();
    j.title = row.value(QStringLiteral("title")).toString();
    j.ownerId = row.value(QStringLiteral("owner_id")).toLongLong();
    j.ownerName = row.value(QStringLiteral("owner_name")).toString();
    j.state = row.value(QStringLiteral("state")).toString();
    j.done = row.value(QStringLiteral("done")).toLongLong();
    j.total = row.value(QStringLiteral("total")).toLongLong();
    j.stage = row.value(QStringLiteral("stage")).toString();
    j.result = QJsonDocument::fromJson(row.value(QStringLiteral("result")).toString().toUtf8()).object();
    j.errorCode = row.value(QStringLiteral("error_code")).toString();
    j.error = row.value(QStringLiteral("error")).toString();
    j.outputName = row.value(QStringLiteral("output_name")).toString();
    j.outputType = row.value(QStringLiteral("output_type")).toString().toUtf8();
    j.outputBytes = row.value(QStringLiteral("output_bytes")).toLongLong();
    j.createdAt = QDateTime::fromString(row.value(QStringLiteral("created_at")).toString(), Qt::ISODateWithMs);
    j.startedAt = QDateTime::fromString(row.value(QStringLiteral("started_at")).toString(), Qt::ISODateWithMs);
    j.finishedAt = QDateTime::fromString(row.value(QStringLiteral("finished_at")).toString(), Qt::ISODateWithMs);
    return j;
}

}  // namespace

QJsonObject JobInfo::toJson() const {
    QJsonObject o{{QStringLiteral("id"), id},
                  {QStringLiteral("plugin"), pluginId},
                  {QStringLiteral("kind"), kind},
                  {QStringLiteral("title"), title},
                  {QStringLiteral("owner"), ownerName},
                  {QStringLiteral("state"), state},
                  {QStringLiteral("done"), done},
                  {QStringLiteral("total"), total},
                  {QStringLiteral("stage"), stage},
                  {QStringLiteral("cancelRequested"), cancelRequested},
                  {QStringLiteral("createdAt"), isoOrNull(createdAt)},
                  {QStringLiteral("startedAt"), isoOrNull(startedAt)},
                  {QStringLiteral("finishedAt"), isoOrNull(finishedAt)}};
    // A percentage only when the total is known; 100 once the job succeeded.
    if (state == QLatin1String("succeeded")) o.insert(QStringLiteral("percent"), 100);
    else if (total > 0) o.insert(QStringLiteral("percent"), static_cast<int>(std::min<qint64>(99, done * 100 / total)));
    else o.insert(QStringLiteral("percent"), QJsonValue::Null);
    if (state == QLatin1String("succeeded")) o.insert(QStringLiteral("result"), result);
    if (!error.isEmpty()) o.insert(QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), errorCode}, {QStringLiteral("message"), error}});
    if (!outputName.isEmpty() && state == QLatin1String("succeeded")) {
        o.insert(QStringLiteral("output"), QJsonObject{{QStringLiteral("name"), outputName},
                                                       {QStringLiteral("type"), QString::fromUtf8(outputType)},
                                                       {QStringLiteral("bytes"), outputBytes},
                                                       {QStringLiteral("href"), QStringLiteral("/api/v1/jobs/%1/output").arg(id)}});
    }
    return o;
}

// A job of this process. `info` is guarded by the runner's mutex; the flags are atomics so the
// work can poll them without it.
class JobRunner::Running final : public tessera::Job {
public:
    Running(JobRunner& runner, JobInfo i, std::shared_ptr<const CallerAccess> access, QString address,
            tessera::JobWork w, tessera::Context& ctx)
        : runner_(runner), info(std::move(i)), access_(std::move(access)), address_(std::move(address)),
          work(std::move(w)), context(ctx) {}

    QString id() const override { return info.id; }  // immutable after construction
    const tessera::Access& access() const override { return *access_; }
    void setTotal(qint64 total) override {
        std::lock_guard lock(runner_.mutex_);
        info.total = std::max<qint64>(0, total);
    }
    void setProgress(qint64 done, const QString& stage) override {
        std::lock_guard lock(runner_.mutex_);
        info.done = std::max<qint64>(0, done);
        if (!stage.isNull()) info.stage = stage;
    }
    bool cancelRequested() const override { return cancel.load(); }
    Result<QString> outputFile(const QString& fileName, const QByteArray& contentType) override {
        const QString name = QFileInfo(fileName).fileName();
        if (name.isEmpty() || name != fileName)
            return Error{QStringLiteral("job.output"), tessera::text("output file name '%1' must be a plain file name", fileName)};
        {
            std::lock_guard lock(runner_.mutex_);
            if (!info.outputName.isEmpty())
                return Error{QStringLiteral("job.output"), tessera::text("a job has one output file; it already has '%1'", info.outputName)};
            info.outputName = name;
            info.outputType = contentType.isEmpty() ? QByteArrayLiteral("application/octet-stream") : contentType;
        }
        std::error_code ec;
        std::filesystem::create_directories(QFile::encodeName(runner_.outputDir_).toStdString(), ec);
        if (ec) {
            runner_.log_.error(QStringLiteral("cannot create the job output folder %1: %2").arg(runner_.outputDir_, QString::fromStdString(ec.message())));
            return storageError(ec.value(), QStringLiteral("job.output"), tessera::text("cannot create the job's output file"));
        }
        return runner_.outputPath(info.id);
    }

    const QString& address() const { return address_; }
    const CallerAccess& callerAccess() const { return *access_; }

    JobRunner& runner_;
    JobInfo info;
    std::shared_ptr<const CallerAccess> access_;
    QString address_;
    tessera::JobWork work;
    tessera::Context& context;
    std::atomic<bool> cancel{false};
};

class JobRunner::PluginJobs final : public tessera::Jobs {
public:
    PluginJobs(JobRunner& runner, QString pluginId, tessera::Context& context)
        : runner_(runner), pluginId_(std::move(pluginId)), context_(context) {}
    Result<QString> start(const tessera::Request& request, const QString& kind, const QString& title,
                          tessera::JobWork work) override {
        return runner_.start(pluginId_, context_, request, kind, title, std::move(work));
    }

private:
    JobRunner& runner_;
    QString pluginId_;
    tessera::Context& context_;
};

JobRunner::JobRunner(SqliteStore& store, QString outputDir, const tessera::Clock& clock, Log log, int threads)
    : store_(store), outputDir_(std::move(outputDir)), clock_(clock), log_(std::move(log)) {
    for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { workLoop(); });
}

JobRunner::~JobRunner() { shutdown(); }

void JobRunner::shutdown() {
    std::vector<std::shared_ptr<Running>> dropped;
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && threads_.empty()) return;
        stopping_ = true;
        for (auto& [id, job] : live_) job->cancel = true;
        dropped.assign(queue_.begin(), queue_.end());
        queue_.clear();
    }
    wake_.notify_all();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
    // Jobs that never ran: recorded as cancelled by the shutdown.
    for (auto& job : dropped) {
        JobInfo info;
        {
            std::lock_guard lock(mutex_);
            job->info.state = QStringLiteral("cancelled");
            job->info.error = tessera::text("the host stopped before the job ran");
            job->info.errorCode = QStringLiteral("job.cancelled");
            job->info.finishedAt = clock_.now();
            info = job->info;
            live_.erase(info.id);
        }
        if (auto s = storeFinal(info); !s) log_.error(QStringLiteral("job %1: %2").arg(info.id, s.error().message));
    }
}

Status JobRunner::recover() {
    auto w = store_.execute(QStringLiteral("UPDATE core_jobs SET state = 'interrupted', error_code = 'job.interrupted', "
                                           "error = ?2, finished_at = ?1 WHERE state IN ('queued', 'running')"),
                            {iso(clock_.now()), tessera::text("the host stopped while the job was queued or running")});
    if (!w) return w.error();
    if (w->changes) log_.warning(QStringLiteral("%1 job(s) of a previous run were interrupted").arg(w->changes));
    sweepOutputs();
    return {};
}

void JobRunner::sweepOutputs() {
    QDir dir(outputDir_);
    if (!dir.exists()) return;
    const QDateTime cutoff = clock_.now().addSecs(-kOutputRetentionSecs);
    for (const QFileInfo& f : dir.entryInfoList(QDir::Files)) {
        if (f.lastModified().toUTC() < cutoff) QFile::remove(f.absoluteFilePath());
    }
}

std::unique_ptr<tessera::Jobs> JobRunner::jobsFor(const QString& pluginId, tessera::Context& context) {
    return std::make_unique<PluginJobs>(*this, pluginId, context);
}

bool JobRunner::outputExpired(const JobInfo& job) const {
    return job.finishedAt.isValid() && job.finishedAt.addSecs(kOutputRetentionSecs) < clock_.now();
}

QString JobRunner::outputPath(const QString& jobId) const { return outputDir_ + QLatin1Char('/') + jobId + QStringLiteral(".out"); }

Result<QString> JobRunner::start(const QString& pluginId, tessera::Context& context, const tessera::Request& request,
                                 const QString& kind, const QString& title, tessera::JobWork work) {
    const auto* caller = dynamic_cast<const CallerAccess*>(request.access);
    if (!caller || caller->caller().userId == 0)
        return Error{QStringLiteral("job.no_owner"), tessera::text("a job needs a logged-in caller to own it")};
    if (!work) return Error{QStringLiteral("job.no_work"), tessera::text("a job needs work to do")};
    JobInfo info;
    info.id = randomToken(18);
    info.pluginId = pluginId;
    info.kind = kind.left(40);
    info.title = title.left(200);
    info.ownerId = caller->caller().userId;
    info.ownerName = caller->caller().username;
    info.state = QStringLiteral("queued");
    info.createdAt = clock_.now();
    // Recorded before it is queued, so a job is never live without its row.
    auto w = store_.execute(QStringLiteral("INSERT INTO core_jobs(id, plugin_id, kind, title, owner_id, owner_name, state, created_at) "
                                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'queued', ?7)"),
                            {info.id, info.pluginId, info.kind, info.title, info.ownerId, info.ownerName, iso(info.createdAt)});
    if (!w) return w.error();
    auto job = std::make_shared<Running>(*this, info, std::make_shared<const CallerAccess>(*caller), request.clientAddress,
                                         std::move(work), context);
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            (void)store_.execute(QStringLiteral("DELETE FROM core_jobs WHERE id = ?1"), {info.id});
            return Error{QStringLiteral("job.stopping"), tessera::text("the host is stopping and takes no new jobs")};
        }
        live_.emplace(info.id, job);
        queue_.push_back(job);
    }
    wake_.notify_one();
    return info.id;
}

void JobRunner::workLoop() {
    for (;;) {
        std::shared_ptr<Running> job;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (stopping_) return;
            job = queue_.front();
            queue_.pop_front();
            job->info.state = QStringLiteral("running");
            job->info.startedAt = clock_.now();
        }
        sweepOutputs();  // outputs past their day go as new jobs come, not only at start-up
        run(job);
    }
}

void JobRunner::run(const std::shared_ptr<Running>& job) {
    Result<QJsonObject> outcome = QJsonObject{};
    {
        // The job writes as its owner, from the plugin that started it.
        const auto& caller = job->callerAccess().caller();
        AuditActorScope actor(AuditActor{caller.userId, caller.username, job->info.pluginId, job->address()});
        CurrentAccessScope access(job->callerAccess());
        (void)store_.execute(QStringLiteral("UPDATE core_jobs SET state = 'running', started_at = ?2 WHERE id = ?1"),
                             {job->info.id, iso(job->info.startedAt)});
        if (job->cancel.load()) {
            outcome = Error{QStringLiteral("job.cancelled"), tessera::text("cancelled before it started")};
        } else {
            try {
                outcome = job->work(*job, job->context);
            } catch (...) {
                outcome = Error{QStringLiteral("job.exception"), tessera::text("the job threw: %1", describeException(std::current_exception()))};
            }
        }
    }
    JobInfo info;
    {
        std::lock_guard lock(mutex_);
        JobInfo& i = job->info;
        i.finishedAt = clock_.now();
        if (outcome) {
            i.state = QStringLiteral("succeeded");
            i.result = *outcome;
            if (!i.outputName.isEmpty()) {
                const QFileInfo out(outputPath(i.id));
                if (out.exists()) {
                    i.outputBytes = out.size();
                } else {
                    i.state = QStringLiteral("failed");
                    i.errorCode = QStringLiteral("job.output");
                    i.error = tessera::text("the job asked for an output file but wrote none");
                }
            }
        } else {
            const bool cancelled = outcome.error().code == QLatin1String("job.cancelled");
            i.state = cancelled ? QStringLiteral("cancelled") : QStringLiteral("failed");
            i.errorCode = outcome.error().code;
            i.error = outcome.error().message;
        }
        info = i;
    }
    if (info.state != QLatin1String("succeeded")) QFile::remove(outputPath(info.id));
    if (auto s = storeFinal(info); !s) log_.error(QStringLiteral("job %1: %2").arg(info.id, s.error().message));
    {
        std::lock_guard lock(mutex_);
        live_.erase(info.id);
    }
    log_.info(QStringLiteral("job %1 (%2 %3 by %4) %5%6")
                  .arg(info.id, info.pluginId, info.kind, info.ownerName, info.state,
                       info.error.isEmpty() ? QString() : QStringLiteral(": ") + info.error));
}

Status JobRunner::storeFinal(const JobInfo& i) {
    // Another job's bulk transaction (a big import) may hold the database's write lock for
    // longer than the busy timeout: the ending is kept, retried until the lock is free.
    Status s = storeFinalOnce(i);
    for (int attempt = 0; !s && s.error().code == QLatin1String("db.busy") && attempt < kFinalRetries; ++attempt) {
        std::this_thread::sleep_for(std::chrono::seconds(1));
        s = storeFinalOnce(i);
    }
    return s;
}

Status JobRunner::storeFinalOnce(const JobInfo& i) {
    auto w = store_.execute(
        QStringLiteral("UPDATE core_jobs SET state = ?2, done = ?3, total = ?4, stage = ?5, result = ?6, error_code = ?7, error = ?8, "
                       "output_name = ?9, output_type = ?10, output_bytes = ?11, started_at = ?12, finished_at = ?13 WHERE id = ?1"),
        {i.id, i.state, i.done, i.total, i.stage,
         i.state == QLatin1String("succeeded") ? QVariant(QString::fromUtf8(QJsonDocument(i.result).toJson(QJsonDocument::Compact))) : QVariant(),
         i.errorCode.isEmpty() ? QVariant() : QVariant(i.errorCode), i.error.isEmpty() ? QVariant() : QVariant(i.error),
         i.outputName.isEmpty() || i.state != QLatin1String("succeeded") ? QVariant() : QVariant(i.outputName),
         i.outputName.isEmpty() || i.state != QLatin1String("succeeded") ? QVariant() : QVariant(QString::fromUtf8(i.outputType)),
         i.outputName.isEmpty() || i.state != QLatin1String("succeeded") ? QVariant() : QVariant(i.outputBytes),
         i.startedAt.isValid() ? QVariant(iso(i.startedAt)) : QVariant(), iso(i.finishedAt)});
    if (!w) return w.error();
    return {};
}

Result<std::optional<JobInfo>> JobRunner::find(const QString& id) {
    if (!plausibleId(id)) return std::optional<JobInfo>{};
    {
        std::lock_guard lock(mutex_);
        if (auto it = live_.find(id); it != live_.end()) {
            JobInfo info = it->second->info;
            info.cancelRequested = it->second->cancel.load();
            return std::optional<JobInfo>(std::move(info));
        }
    }
    auto row = store_.queryOne(QStringLiteral("SELECT * FROM core_jobs WHERE id = ?1"), {id});
    if (!row) return row.error();
    if (row->isEmpty()) return std::optional<JobInfo>{};
    return std::optional<JobInfo>(fromRow(*row));
}

Result<std::vector<JobInfo>> JobRunner::list(qint64 ownerId, int limit) {
    auto rows = ownerId ? store_.query(QStringLiteral("SELECT * FROM core_jobs WHERE owner_id = ?1 ORDER BY created_at DESC, id LIMIT ?2"),
                                       {ownerId, limit})
                        : store_.query(QStringLiteral("SELECT * FROM core_jobs ORDER BY created_at DESC, id LIMIT ?1"), {limit});
    if (!rows) return rows.error();
    std::vector<JobInfo> out;
    std::lock_guard lock(mutex_);
    for (const auto& row : *rows) {
        JobInfo info = fromRow(row);
        // The stored row of a live job lags behind: show its progress as it is now.
        if (auto it = live_.find(info.id); it != live_.end()) {
            info = it->second->info;
            info.cancelRequested = it->second->cancel.load();
        }
        out.push_back(std::move(info));
    }
    return out;
}

bool JobRunner::cancel(const QString& id) {
    std::shared_ptr<Running> dropped;
    {
        std::lock_guard lock(mutex_);
        auto it = live_.find(id);
        if (it == live_.end()) return false;
        it->second->cancel = true;
        if (it->second->info.state == QLatin1String("queued")) {
            for (auto q = queue_.begin(); q != queue_.end(); ++q) {
                if (*q == it->second) {
                    dropped = *q;
                    queue_.erase(q);
                    break;
                }
            }
        }
        if (dropped) {
            dropped->info.state = QStringLiteral("cancelled");
            dropped->info.errorCode = QStringLiteral("job.cancelled");
            dropped->info.error = tessera::text("cancelled before it started");
            dropped->info.finishedAt = clock_.now();
        }
    }
    if (dropped) {
        // Stored before it leaves the live jobs, so nobody sees it queued again.
        if (auto s = storeFinal(dropped->info); !s) log_.error(QStringLiteral("job %1: %2").arg(id, s.error().message));
        std::lock_guard lock(mutex_);
        live_.erase(id);
    }
    return true;
}

}  // namespace tessera::host
