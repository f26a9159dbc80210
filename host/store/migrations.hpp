#pragma once
// Each plugin's numbered SQL migrations (<plugin>/migrations/0001_create_customers.sql),
// applied once each, in order, each inside its own transaction, and recorded in
// core_migrations with the plugin id and version and the file's SHA-256. A failing
// migration rolls back completely; a recorded migration whose file changed is refused.
//
// A migration that rebuilds tables (SQLite changes a column or the key of a table only by
// copying it into a new one) says so on a line of its own, `-- tessera: rebuilds tables`.
// It then runs as SQLite's procedure for that has it: with foreign keys off, so that
// dropping the old table neither fails nor cascades into the tables that refer to it, and
// PRAGMA foreign_key_check must find nothing before it commits. Its row copies are audited
// as one "bulk" entry, not as every row inserted anew.

#include "runtime/schema_migrations.hpp"
#include "store/sqlite_store.hpp"

#include <tessera/result.hpp>

#include <QString>

#include <vector>

namespace tessera::host {

struct MigrationFile {
    int number = 0;
    QString name;  // file name, e.g. 0001_create_customers.sql
    QString path;  // where it came from, for messages ("core:0001_units.sql" for the host's own)
    QByteArray sha256;  // hex
    QByteArray sql;
};

/// The host's own schema (core_* tables): host/migrations/*.sql, compiled into the host.
std::vector<MigrationFile> coreMigrations();

class Migrations {
public:
    explicit Migrations(SqliteStore& store) : store_(store) {}

    /// The migration files in `dir` in order. Missing folder: none. Error (code
    /// "migration.file") for a badly named file, a duplicate number or an unreadable file.
    static Result<std::vector<MigrationFile>> list(const QString& dir);

    /// Creates core_migrations if needed.
    Status prepare();
    /// Files not yet applied for `pluginId`; error if an applied file changed or vanished.
    Result<std::vector<MigrationFile>> pending(const QString& pluginId, const QString& dir);
    Result<std::vector<MigrationFile>> pending(const QString& pluginId, const std::vector<MigrationFile>& files);
    /// Applies the pending files; returns how many were applied. Error code "migration.failed"
    /// names the file and SQLite's reason; that file's changes are rolled back.
    Result<int> apply(const QString& pluginId, const QString& pluginVersion, const QString& dir);
    Result<int> apply(const QString& pluginId, const QString& pluginVersion, const std::vector<MigrationFile>& files);

private:
    SqliteStore& store_;
};

/// The runtime's SchemaMigrations over this store: the host's own files (coreMigrations(),
/// recorded with the host's version) and each plugin's folder.
class StoreSchemaMigrations final : public SchemaMigrations {
public:
    explicit StoreSchemaMigrations(SqliteStore& store) : store_(store), migrations_(store) {}
    Result<QStringList> pendingCore() override;
    Result<int> applyCore() override;
    Result<QStringList> pending(const QString& pluginId, const QString& dir) override;
    Result<int> apply(const QString& pluginId, const QString& pluginVersion, const QString& dir,
                      const std::vector<CardDecl>& cards) override;
    Result<QStringList> applyCards(const std::vector<CardDecl>& cards) override;

private:
    SqliteStore& store_;
    Migrations migrations_;
};

}  // namespace tessera::host
