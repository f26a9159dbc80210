#pragma once
// The deployment's SQLite database behind the SDK's Database interface. One connection per
// thread (WAL lets readers run beside the writer), each with foreign keys on and a busy
// timeout; prepared statements are cached per connection. Only the host sees SQLite.

#include <tessera/database.hpp>

#include <QString>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace tessera::host {

class SqliteStore final : public tessera::Database {
public:
    /// Opens (creating if needed) the database file and switches it to WAL.
    /// Fails with code "db.open" naming the file and SQLite's reason.
    static Result<std::unique_ptr<SqliteStore>> open(const QString& path);
    ~SqliteStore() override;
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    Result<std::unique_ptr<Statement>> prepare(const QString& sql) override;
    Status transaction(const std::function<Status()>& work) override;
    Result<WriteResult> execute(const QString& sql, const Params& params = {}) override;

    /// Runs a script of several statements (migrations); no parameters.
    Status executeScript(const QString& sql);
    /// Whether the calling thread is inside transaction().
    bool inTransaction();
    const QString& path() const { return path_; }

    class Connection;

private:
    explicit SqliteStore(QString path);
    Connection& connection();

    QString path_;
    std::uint64_t id_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<Connection>> connections_;
};

}  // namespace tessera::host
