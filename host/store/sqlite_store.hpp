#pragma once
// The deployment's SQLite database behind the SDK's Database interface. One connection per
// thread (WAL lets readers run beside the writer), each with foreign keys on and a busy
// timeout; prepared statements are cached per connection. Only the host sees SQLite.
//
// Audit: every row change on every connection is captured by SQLite's preupdate hook and
// written to core_audit inside the same transaction (see sqlite_store.cpp), so no plugin can
// forget to audit and a rolled-back change leaves no entry. Writes therefore always run in a
// transaction: execute() and executeScript() open one when needed; a write stepped through
// prepare() outside transaction() is refused ("db.no_transaction").

#include <tessera/database.hpp>

#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace tessera::host {

class SqliteStore final : public tessera::Database {
public:
    class Connection;

    /// Opens (creating if needed) the database file and switches it to WAL.
    /// Fails with code "db.open" naming the file and SQLite's reason.
    static Result<std::unique_ptr<SqliteStore>> open(const QString& path);
    ~SqliteStore() override;
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    Result<std::unique_ptr<Statement>> prepare(const QString& sql) override;
    Status transaction(const std::function<Status()>& work) override;
    Result<WriteResult> execute(const QString& sql, const Params& params = {}) override;
    /// query(), answered from the calling connection's memory while the database is what it
    /// was when the rows were read: read in one snapshot with SQLite's data version (which
    /// other connections' and processes' commits move) and this connection's change count.
    Result<Rows> queryAggregate(const QString& sql, const Params& params = {}) override;
    /// execute() that gives up at once (Error "db.busy") instead of waiting while another
    /// connection holds the write lock: for writes that may be skipped (a session's idle
    /// expiry) and must not hold a request up behind a long import.
    Result<WriteResult> executeIfFree(const QString& sql, const Params& params = {});

    /// Like transaction(), but the row changes inside it are recorded as one audit entry
    /// (action "bulk", detail `description`, `after` = {table: {insert, update, delete}
    /// counts}) instead of one entry per row: for imports of many rows. Nested inside
    /// another summary it is a plain transaction (the outer summary counts its rows).
    Status transactionWithSummary(const QString& description, const std::function<Status()>& work);
    Status bulkTransaction(const QString& description, const std::function<Status()>& work) override {
        return transactionWithSummary(description, work);
    }

    /// Runs a script of several statements (migrations); no parameters. Runs inside a
    /// transaction (its own if none is open), so it must not contain BEGIN/COMMIT; its row
    /// changes are audited as user "system".
    Status executeScript(const QString& sql);
    /// Tables whose row changes are not audited (e.g. sessions touched on every request).
    /// core_audit, core_migrations, core_identity_stamp, core_kept_counts (bookkeeping) and sqlite_* are never audited. Replaces the
    /// previous list.
    void setUnaudited(const QStringList& tables);
    /// Columns ("table.column") whose values the audit log shows as "[redacted]" (password
    /// hashes, token hashes): the entry still says that they changed. Replaces the previous list.
    void setRedactedColumns(const QStringList& tableDotColumns);
    /// While the returned guard lives, the calling thread's reads share one read transaction:
    /// one snapshot of the database, and SQLite's locks taken once instead of per statement
    /// (a request's identity check and its record read). A write on the thread (transaction(),
    /// execute()) ends it first and starts from the latest state. Nothing is held inside a
    /// transaction or a hold already. Destroy it on the thread that made it.
    class HeldReads {
    public:
        HeldReads(HeldReads&& other) noexcept : connection_(std::exchange(other.connection_, nullptr)) {}
        HeldReads& operator=(HeldReads&&) = delete;
        ~HeldReads();

    private:
        friend class SqliteStore;
        explicit HeldReads(Connection* c) : connection_(c) {}
        Connection* connection_;
    };
    [[nodiscard]] HeldReads holdReads();
    /// Whether the calling thread is inside transaction().
    bool inTransaction();
    const QString& path() const { return path_; }

private:
    explicit SqliteStore(QString path);
    Connection& connection();

    QString path_;
    std::uint64_t id_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<Connection>> connections_;
    // Audit settings, read by every connection; a connection rereads them (under mutex_)
    // when auditSettingsVersion_ moved since it last looked.
    QStringList unaudited_;
    QStringList redacted_;
    std::atomic<std::uint64_t> auditSettingsVersion_{0};
};

}  // namespace tessera::host
