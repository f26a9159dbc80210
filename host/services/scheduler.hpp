#pragma once
// The plugins' scheduled work (tessera::Declarations::schedule): a thread that wakes each
// minute and runs each job whose period (a day or a month, by the host's clock) has no
// successful run yet, recording every try in core_scheduled_runs. A job missed while the
// host was down runs when it is up again; a failed one is tried again an hour later.

#include "runtime/log.hpp"
#include "runtime/runtime.hpp"
#include "store/sqlite_store.hpp"

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace tessera::host {

class Scheduler {
public:
    Scheduler(SqliteStore& store, const tessera::Clock& clock, Log log);
    ~Scheduler();  // stop()
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    /// The period a job of `every` is in at `now`: "2026-12" or "2026-12-05" (local time).
    static QString periodOf(tessera::Every every, const QDateTime& now);

    /// Starts the thread for `jobs`; the first round runs at once.
    void start(std::vector<DeclaredSchedule> jobs);
    /// Runs every job that is due now, on the calling thread (the thread's round; tests).
    void runDue();
    /// Stops the thread, letting a running job finish, and lets go of the jobs (plugin code,
    /// before the plugins are unloaded). Idempotent.
    void stop();

private:
    void runOne(const DeclaredSchedule& job, const QString& period);

    SqliteStore& store_;
    const tessera::Clock& clock_;
    Log log_;
    std::vector<DeclaredSchedule> jobs_;
    std::mutex runMutex_;  // one round at a time: the thread's and a caller's
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace tessera::host
