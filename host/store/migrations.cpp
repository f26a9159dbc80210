#include "store/migrations.hpp"

#include "store/record_tables.hpp"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRegularExpression>

#include <algorithm>
#include <map>

namespace tessera::host {

namespace {
Error fileError(const QString& message) { return Error{QStringLiteral("migration.file"), message}; }
}  // namespace

Result<std::vector<MigrationFile>> Migrations::list(const QString& dir) {
    std::vector<MigrationFile> files;
    QDir d(dir);
    if (!d.exists()) return files;
    static const QRegularExpression pattern(QStringLiteral("^(\\d{4})_[a-z0-9_]+\\.sql$"));
    std::map<int, QString> seen;
    for (const QString& name : d.entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name)) {
        const auto m = pattern.match(name);
        if (!m.hasMatch()) {
            return fileError(QStringLiteral("%1: migration file names are NNNN_lower_case_words.sql").arg(d.filePath(name)));
        }
        const int number = m.captured(1).toInt();
        if (number == 0) return fileError(QStringLiteral("%1: migrations are numbered from 0001").arg(d.filePath(name)));
        if (auto it = seen.find(number); it != seen.end()) {
            return fileError(QStringLiteral("%1: number %2 is also used by %3").arg(d.filePath(name)).arg(number).arg(it->second));
        }
        seen[number] = name;
        QFile f(d.filePath(name));
        if (!f.open(QIODevice::ReadOnly)) return fileError(QStringLiteral("%1: cannot read: %2").arg(f.fileName(), f.errorString()));
        const QByteArray sql = f.readAll();
        files.push_back({number, name, d.filePath(name), QCryptographicHash::hash(sql, QCryptographicHash::Sha256).toHex(), sql});
    }
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.number < b.number; });
    return files;
}

Status Migrations::prepare() {
    return store_.executeScript(QStringLiteral(
        "CREATE TABLE IF NOT EXISTS core_migrations ("
        " plugin_id TEXT NOT NULL, number INTEGER NOT NULL, name TEXT NOT NULL,"
        " plugin_version TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL,"
        " PRIMARY KEY (plugin_id, number))"));
}

Result<std::vector<MigrationFile>> Migrations::pending(const QString& pluginId, const QString& dir) {
    auto files = list(dir);
    if (!files) return files.error();
    return pending(pluginId, *files);
}

Result<int> Migrations::apply(const QString& pluginId, const QString& pluginVersion, const QString& dir) {
    auto files = list(dir);
    if (!files) return files.error();
    return apply(pluginId, pluginVersion, *files);
}

Result<std::vector<MigrationFile>> Migrations::pending(const QString& pluginId, const std::vector<MigrationFile>& files) {
    if (auto s = prepare(); !s) return s.error();
    auto applied = store_.query(QStringLiteral("SELECT number, name, sha256 FROM core_migrations WHERE plugin_id = ?1"),
                                {pluginId});
    if (!applied) return applied.error();
    std::map<int, Row> byNumber;
    for (auto& row : *applied) byNumber[row.value(QStringLiteral("number")).toInt()] = row;

    std::vector<MigrationFile> todo;
    for (const auto& f : files) {
        auto it = byNumber.find(f.number);
        if (it == byNumber.end()) {
            todo.push_back(f);
            continue;
        }
        if (it->second.value(QStringLiteral("sha256")).toByteArray() != f.sha256) {
            return Error{QStringLiteral("migration.changed"),
                         QStringLiteral("%1 was changed after it was applied; add a new migration instead").arg(f.path)};
        }
        byNumber.erase(it);
    }
    if (!byNumber.empty()) {
        return Error{QStringLiteral("migration.missing"),
                     QStringLiteral("migration %1 of %2 was applied but its file is gone")
                         .arg(byNumber.begin()->second.value(QStringLiteral("name")).toString(), pluginId)};
    }
    return todo;
}

Result<int> Migrations::apply(const QString& pluginId, const QString& pluginVersion, const std::vector<MigrationFile>& files) {
    auto todo = pending(pluginId, files);
    if (!todo) return todo.error();
    int applied = 0;
    static const QRegularExpression rebuildsTables(QStringLiteral("^-- tessera: rebuilds tables\\s*$"),
                                                   QRegularExpression::MultilineOption);
    for (const auto& f : *todo) {
        const QString sql = QString::fromUtf8(f.sql);
        const bool rebuilds = rebuildsTables.match(sql).hasMatch();
        // The switch is a no-op inside a transaction: it goes before and after one.
        if (rebuilds) {
            if (auto off = store_.execute(QStringLiteral("PRAGMA foreign_keys=OFF")); !off) return off.error();
        }
        auto work = [&]() -> Status {
            if (auto run = store_.executeScript(sql); !run) return run;
            if (rebuilds) {
                auto broken = store_.query(QStringLiteral("PRAGMA foreign_key_check"));
                if (!broken) return broken.error();
                if (!broken->empty()) {
                    return Error{QStringLiteral("migration.foreign_key"),
                                 QStringLiteral("a row of %1 refers to a missing row of %2 after the rebuild")
                                     .arg(broken->front().value(QStringLiteral("table")).toString(),
                                          broken->front().value(QStringLiteral("parent")).toString())};
                }
            }
            return store_.execute(QStringLiteral("INSERT INTO core_migrations(plugin_id, number, name, plugin_version, "
                                                 "sha256, applied_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
                                  {pluginId, f.number, f.name, pluginVersion, QString::fromLatin1(f.sha256),
                                   QDateTime::currentDateTimeUtc().toString(Qt::ISODate)});
        };
        Status s = rebuilds ? store_.transactionWithSummary(QStringLiteral("migration %1 rebuilt tables").arg(f.path), work)
                            : store_.transaction(work);
        if (rebuilds) {
            if (auto on = store_.execute(QStringLiteral("PRAGMA foreign_keys=ON")); !on && s) s = on.error();
        }
        if (!s) {
            return Error{QStringLiteral("migration.failed"),
                         QStringLiteral("migration %1 failed and was rolled back: %2").arg(f.path, s.error().message)};
        }
        ++applied;
    }
    return applied;
}

namespace {
Result<QStringList> pathsOf(Result<std::vector<MigrationFile>> files) {
    if (!files) return files.error();
    QStringList paths;
    for (const auto& f : *files) paths << f.path;
    return paths;
}
}  // namespace

Result<QStringList> StoreSchemaMigrations::pendingCore() { return pathsOf(migrations_.pending(kCoreMigrationOwner, coreMigrations())); }

Result<int> StoreSchemaMigrations::applyCore() {
    return migrations_.apply(kCoreMigrationOwner, QStringLiteral(TESSERA_VERSION), coreMigrations());
}

Result<QStringList> StoreSchemaMigrations::pending(const QString& pluginId, const QString& dir) {
    return pathsOf(migrations_.pending(pluginId, dir));
}

Result<int> StoreSchemaMigrations::apply(const QString& pluginId, const QString& pluginVersion, const QString& dir,
                                         const std::vector<CardDecl>& cards) {
    auto files = migrations_.pending(pluginId, dir);
    if (!files) return files.error();
    if (!files->empty())
        for (const CardDecl& card : cards)
            if (card.served())
                if (auto s = dropKeptCountTriggers(store_, card.table); !s) return s.error();
    return migrations_.apply(pluginId, pluginVersion, dir);
}

Result<QStringList> StoreSchemaMigrations::applyCards(const std::vector<CardDecl>& cards) {
    QStringList done;
    for (const CardDecl& card : cards) {
        if (!card.served()) continue;
        auto changed = reconcileCardTable(store_, card);
        if (!changed) return changed.error();
        done << *changed;
    }
    return done;
}

}  // namespace tessera::host
