#pragma once
// What the lifecycle needs of schema migrations: which numbered SQL files are still to apply,
// for the host's own schema and for each plugin's migrations/ folder, and applying them. The
// store implements it over SQLite (store/migrations.hpp); the runtime only says when and for
// whom, so it knows nothing about the database behind it.

#include "runtime/manifest.hpp"

#include <tessera/result.hpp>

#include <QString>
#include <QStringList>

namespace tessera::host {

/// The owner of the host's own schema (core_* tables) in the record of applied migrations.
inline const QString kCoreMigrationOwner = QStringLiteral("core");

class SchemaMigrations {
public:
    virtual ~SchemaMigrations() = default;
    /// The host's own files not yet applied (their paths, for messages).
    virtual Result<QStringList> pendingCore() = 0;
    /// Applies them; returns how many were applied.
    virtual Result<int> applyCore() = 0;
    /// The files in `dir` (a plugin's migrations/) not yet applied for `pluginId`; an error if
    /// an applied file changed or vanished.
    virtual Result<QStringList> pending(const QString& pluginId, const QString& dir) = 0;
    /// Applies them, recording `pluginVersion`; returns how many were applied. When there are
    /// any, the triggers that keep the counts of `cards`' tables go first (a file may drop or
    /// rename a counted column, which a trigger naming it would refuse); applyCards() makes
    /// them again and counts afresh.
    virtual Result<int> apply(const QString& pluginId, const QString& pluginVersion, const QString& dir,
                              const std::vector<CardDecl>& cards) = 0;
    /// After the plugin's migrations: creates or extends the tables of the cards it has the
    /// host serve (docs/records.md); returns what changed, for the log.
    virtual Result<QStringList> applyCards(const std::vector<CardDecl>& cards) = 0;
};

}  // namespace tessera::host
