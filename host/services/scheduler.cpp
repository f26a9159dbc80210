#include "services/scheduler.hpp"

#include <chrono>

namespace tessera::host {

namespace {
constexpr qint64 kRetrySecs = 3600;  // a failed or interrupted run is tried again after an hour
QString utcText(const QDateTime& t) { return t.toUTC().toString(Qt::ISODateWithMs); }
}  // namespace

Scheduler::Scheduler(SqliteStore& store, const tessera::Clock& clock, Log log) : store_(store), clock_(clock), log_(std::move(log)) {}

Scheduler::~Scheduler() { stop(); }

QString Scheduler::periodOf(tessera::Every every, const QDateTime& now) {
    const QDate day = now.toLocalTime().date();
    return every == tessera::Every::Day ? day.toString(Qt::ISODate) : day.toString(QStringLiteral("yyyy-MM"));
}

void Scheduler::start(std::vector<DeclaredSchedule> jobs) {
    jobs_ = std::move(jobs);
    if (jobs_.empty()) return;
    thread_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            lock.unlock();
            runDue();
            lock.lock();
            wake_.wait_for(lock, std::chrono::minutes(1), [this] { return stopping_; });
        }
    });
}

void Scheduler::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    jobs_.clear();  // the work is the plugins' code: let go of it before they are unloaded
}

void Scheduler::runDue() {
    std::lock_guard round(runMutex_);
    const QDateTime now = clock_.now();
    for (const DeclaredSchedule& job : jobs_) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
        }
        const QString period = periodOf(job.every, now);
        // Done in this period, or tried within the hour: not now.
        auto last = store_.queryOne(
            QStringLiteral("SELECT coalesce(max(state = 'ok'), 0) AS done, max(started_at) AS tried FROM core_scheduled_runs "
                           "WHERE plugin = ?1 AND job = ?2 AND period = ?3"),
            {job.pluginId, job.id, period});
        if (!last) {
            log_.error(QStringLiteral("scheduled %1/%2: %3").arg(job.pluginId, job.id, last.error().message));
            continue;
        }
        if (last->value(QStringLiteral("done")).toLongLong()) continue;
        const QDateTime tried = QDateTime::fromString(last->value(QStringLiteral("tried")).toString(), Qt::ISODateWithMs);
        if (tried.isValid() && tried.secsTo(now) < kRetrySecs) continue;
        runOne(job, period);
    }
}

void Scheduler::runOne(const DeclaredSchedule& job, const QString& period) {
    auto row = store_.execute(
        QStringLiteral("INSERT INTO core_scheduled_runs (plugin, job, period, state, started_at) VALUES (?1, ?2, ?3, 'running', ?4)"),
        {job.pluginId, job.id, period, utcText(clock_.now())});
    if (!row) {
        log_.error(QStringLiteral("scheduled %1/%2: %3").arg(job.pluginId, job.id, row.error().message));
        return;
    }
    tessera::Result<QString> outcome = tessera::Error{QStringLiteral("scheduled.failed"), QStringLiteral("no outcome")};
    try {
        outcome = job.work(period, *job.context);
    } catch (const std::exception& e) {
        outcome = tessera::Error{QStringLiteral("scheduled.exception"), QString::fromUtf8(e.what())};
    }
    const bool ok = outcome.ok();
    const QString summary = ok ? *outcome : QString();
    const QString error = ok ? QString() : outcome.error().code + QStringLiteral(": ") + outcome.error().message;
    if (ok)
        log_.info(QStringLiteral("scheduled %1/%2 for %3: %4").arg(job.pluginId, job.id, period, summary));
    else
        log_.error(QStringLiteral("scheduled %1/%2 for %3 failed: %4").arg(job.pluginId, job.id, period, error));
    auto done = store_.execute(
        QStringLiteral("UPDATE core_scheduled_runs SET state = ?2, finished_at = ?3, summary = ?4, error = ?5 WHERE id = ?1"),
        {row->lastInsertId, ok ? QStringLiteral("ok") : QStringLiteral("failed"), utcText(clock_.now()), summary, error});
    if (!done) log_.error(QStringLiteral("scheduled %1/%2: %3").arg(job.pluginId, job.id, done.error().message));
}

}  // namespace tessera::host
