#include "store/sqlite_store.hpp"

#include "runtime/storage_error.hpp"
#include "store/audit_actor.hpp"

// The preupdate hook's declarations are only visible with this defined; the library itself
// must be built with it too (Debian's is; open() checks).
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>

#include <malloc.h>

#include <QByteArray>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <initializer_list>
#include <cstring>
#include <optional>
#include <string>
#include <unordered_map>

namespace tessera::host {

namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr int kBulkCacheKiB = 256 * 1024;  // page cache of a bulk transaction (imports, sample data)
constexpr std::size_t kStatementCacheSize = 64;

Error sqliteError(sqlite3* db, int rc, const QString& what) {
    const int primary = rc & 0xff;
    QString code = QStringLiteral("db.error");
    if (primary == SQLITE_CONSTRAINT) code = QStringLiteral("db.constraint");
    else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) code = QStringLiteral("db.busy");
    // A full disk is the same condition wherever it shows: the database's is answered like a file's.
    else if (primary == SQLITE_FULL) return storageError(ENOSPC, code, what);
    const char* msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    return Error{code, QStringLiteral("%1: %2").arg(what, QString::fromUtf8(msg))};
}

std::atomic<std::uint64_t> nextStoreId{1};

// --- Audit capture -------------------------------------------------------------------------
// The preupdate hook sees every row change before it happens, on this connection, with the
// old and new values. It must not touch the database, so it only buffers the change
// (CapturedChange); the buffer is written to core_audit ("flushed") by the connection at
// safe points that are all inside the writing transaction:
//   - before a write statement starts, when kFlushBatch changes are waiting (so a bulk loop
//     holds little in memory) or when the statement changes the schema (so every change is
//     named with the columns it was made with); after each statement of a script;
//   - before a savepoint opens and before RELEASE/COMMIT.
// Flushing only before a write (and restoring last_insert_rowid() after it) keeps audit rows
// invisible to the caller: changes() and last_insert_rowid() describe its own last write.
// A statement that fails is undone by SQLite, so the changes captured since it started are
// discarded; a rolled-back transaction or savepoint discards what is still buffered, and
// SQLite itself undoes the audit rows already flushed inside it.

// Changes wait in memory until this many are captured (or a boundary comes), so the schema
// check and the statement bookkeeping of a flush are paid once per batch, not per row.
constexpr std::size_t kFlushBatch = 256;

constexpr char kInsertAudit[] =
    "INSERT INTO core_audit(at, user_id, username, plugin_id, address, action, table_name, record_id, "
    "before, after, detail, unit_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
// Before host migration 0009 core_audit has no unit_id.
constexpr char kInsertAuditWithoutUnit[] =
    "INSERT INTO core_audit(at, user_id, username, plugin_id, address, action, table_name, record_id, "
    "before, after, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

// The unit a row belongs to, for the audit entry (a scoped auditor reads only the entries of
// their units): the row's unit_id column, by the one convention every unit-bound table
// follows; a unit's own row belongs to itself. Other tables' entries have no unit.
constexpr int kNoUnitColumn = -2;
constexpr int kUnitIsRowid = -1;

// One row change seen by the hook, waiting to be written to core_audit.
struct CapturedChange {
    int op = 0;  // SQLITE_INSERT, SQLITE_UPDATE or SQLITE_DELETE
    QString table;
    qint64 rowid = 0;
    qint64 atMs = 0;
    AuditActor actor;  // at capture time: the change belongs to whoever made it
    std::vector<std::pair<int, QJsonValue>> before, after;  // (column index, value)
    std::optional<qint64> unitId;  // the unit the row belongs to (after the change; before, for a delete)
};

// Rows changed per table, for a transactionWithSummary().
struct TableCounts {
    QString table;
    qint64 inserted = 0, updated = 0, deleted = 0;
};
using Counts = std::vector<TableCounts>;

void count(Counts& counts, const QString& table, int op, qint64 n = 1) {
    auto it = std::find_if(counts.begin(), counts.end(), [&](const TableCounts& t) { return t.table == table; });
    if (it == counts.end()) it = counts.insert(counts.end(), TableCounts{table});
    (op == SQLITE_INSERT ? it->inserted : op == SQLITE_UPDATE ? it->updated : it->deleted) += n;
}

void merge(Counts& into, const Counts& from) {
    for (const auto& t : from) {
        count(into, t.table, SQLITE_INSERT, t.inserted);
        count(into, t.table, SQLITE_UPDATE, t.updated);
        count(into, t.table, SQLITE_DELETE, t.deleted);
    }
}

// A transactionWithSummary() in progress: its row changes are counted, not recorded.
struct Summary {
    QString description;
    AuditActor actor;
    qint64 atMs = 0;
    Counts counts;
};

// What the flush needs to know about a table; read outside the hook, cached until the
// schema changes.
struct TableShape {
    QStringList columns;          // by column index, hidden and generated columns included
    std::vector<bool> redacted;   // by column index
    bool withoutRowid = false;    // then the hook's rowid means nothing
};

// The hook's cached decision about one table name.
struct TableVerdict {
    QString name;
    bool audited = true;
};

AuditActor actorNow() {
    const AuditActor* a = currentAuditActor();
    return a ? *a : AuditActor{};
}

QJsonValue jsonValue(sqlite3_value* v) {
    switch (sqlite3_value_type(v)) {
        case SQLITE_INTEGER: return QJsonValue(static_cast<qint64>(sqlite3_value_int64(v)));
        case SQLITE_FLOAT: return sqlite3_value_double(v);
        case SQLITE_TEXT: {
            const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(v));
            return QString::fromUtf8(text, sqlite3_value_bytes(v));
        }
        case SQLITE_BLOB: {
            const auto* blob = static_cast<const char*>(sqlite3_value_blob(v));
            const QByteArray bytes(blob, sqlite3_value_bytes(v));
            return QJsonObject{{QStringLiteral("$base64"), QString::fromLatin1(bytes.toBase64())}};
        }
        default: return QJsonValue::Null;
    }
}

bool sameValue(sqlite3_value* a, sqlite3_value* b) {
    const int type = sqlite3_value_type(a);
    if (type != sqlite3_value_type(b)) return false;
    switch (type) {
        case SQLITE_NULL: return true;
        case SQLITE_INTEGER: return sqlite3_value_int64(a) == sqlite3_value_int64(b);
        case SQLITE_FLOAT: return sqlite3_value_double(a) == sqlite3_value_double(b);
        default: {
            const void* pa = type == SQLITE_TEXT ? static_cast<const void*>(sqlite3_value_text(a)) : sqlite3_value_blob(a);
            const void* pb = type == SQLITE_TEXT ? static_cast<const void*>(sqlite3_value_text(b)) : sqlite3_value_blob(b);
            const int na = sqlite3_value_bytes(a);
            return na == sqlite3_value_bytes(b) && (na == 0 || std::memcmp(pa, pb, static_cast<std::size_t>(na)) == 0);
        }
    }
}

QString isoUtc(qint64 msecs) {
    return QDateTime::fromMSecsSinceEpoch(msecs, Qt::UTC).toString(Qt::ISODateWithMs);
}

// Whether the statement's SQL starts with one of `keywords` (each of length 6 or less).
bool startsWithAny(sqlite3_stmt* stmt, std::initializer_list<const char*> keywords) {
    const char* sql = sqlite3_sql(stmt);
    while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '\r') ++sql;
    return std::any_of(keywords.begin(), keywords.end(), [sql](const char* k) {
        const int n = static_cast<int>(std::strlen(k));
        return sqlite3_strnicmp(sql, k, n) == 0 && !std::isalnum(static_cast<unsigned char>(sql[n]));
    });
}

// A prepared statement kept by its connection for reuse, with its column names as read the
// last time (most statements are run again and again, and a row's names need no new strings).
struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool inUse = false;  // a live wrapper has it: never handed out twice
    std::vector<std::pair<QByteArray, QString>> columns;  // (UTF-8 as SQLite gave it, the name)
};

}  // namespace

// One SQLite connection, used by one thread at a time, with its statement cache and the
// depth of the transaction it is in.
class SqliteStore::Connection {
public:
    explicit Connection(SqliteStore& owner) : store(owner) {}

    SqliteStore& store;
    sqlite3* db = nullptr;
    int transactionDepth = 0;
    // Prepared statements by SQL text, kCachedStatements at most. A statement in use is
    // marked and given back when its wrapper dies, so two live wrappers never share one
    // sqlite3_stmt; a statement that does not fit the cache is finalized then.
    std::unordered_map<QString, std::vector<std::unique_ptr<CachedStatement>>> statements;
    std::size_t cachedStatements = 0;

    // queryAggregate()'s rows by statement and parameters, with the state of the database they
    // were read in: (data_version, this connection's total changes).
    struct Aggregate {
        qint64 dataVersion = -1, changes = -1;
        Rows rows;
    };
    QHash<QString, Aggregate> aggregates;

    // Audit (see the comment at the top of this file).
    std::vector<CapturedChange> captured;  // since the last flush
    Counts capturedCounts;                 // instead of `captured` while a summary runs
    std::optional<Summary> summary;
    bool captureFailed = false;

    // A read transaction opened by SqliteStore::holdReads(): the reads that follow share it
    // until the guard goes or a write needs the connection (endHeldRead()).
    bool readHeld = false;

    ~Connection() {
        for (auto& [sql, list] : statements)
            for (auto& cached : list) sqlite3_finalize(cached->stmt);
        for (sqlite3_stmt* stmt : {auditInsert_, schemaVersion_, beginRead_, endRead_}) sqlite3_finalize(stmt);
        if (db) sqlite3_close_v2(db);
    }

    static void onPreupdate(void* self, sqlite3*, int op, const char* database, const char* table, sqlite3_int64 oldRowid,
                            sqlite3_int64 newRowid) {
        static_cast<Connection*>(self)->capture(op, database, table, oldRowid, newRowid);
    }

    // Runs inside the hook: no database access, no exceptions out.
    void capture(int op, const char* database, const char* table, sqlite3_int64 oldRowid, sqlite3_int64 newRowid) noexcept {
        if (std::strcmp(database, "main") != 0) return;  // temp and attached databases are scratch space
        if (op == SQLITE_DELETE && sqlite3_preupdate_blobwrite(db) >= 0) return;  // incremental blob I/O: not in the SDK
        try {
            const TableVerdict& verdict = verdictOn(table);
            if (!verdict.audited) return;
            if (summary) {
                count(capturedCounts, verdict.name, op);
                return;
            }
            CapturedChange change;
            change.op = op;
            change.table = verdict.name;
            change.rowid = op == SQLITE_DELETE ? oldRowid : newRowid;
            const int columns = sqlite3_preupdate_count(db);
            sqlite3_value* before = nullptr;
            sqlite3_value* after = nullptr;
            for (int i = 0; i < columns; ++i) {
                if ((op != SQLITE_INSERT && sqlite3_preupdate_old(db, i, &before) != SQLITE_OK) ||
                    (op != SQLITE_DELETE && sqlite3_preupdate_new(db, i, &after) != SQLITE_OK)) {
                    captureFailed = true;
                    return;
                }
                if (op == SQLITE_UPDATE && sameValue(before, after)) continue;
                if (op != SQLITE_INSERT) change.before.emplace_back(i, jsonValue(before));
                if (op != SQLITE_DELETE) change.after.emplace_back(i, jsonValue(after));
            }
            if (op == SQLITE_UPDATE && change.after.empty()) return;  // nothing changed
            if (const int unitColumn = unitColumnOf(table); unitColumn == kUnitIsRowid) {
                change.unitId = change.rowid;
            } else if (unitColumn >= 0 && unitColumn < columns) {
                sqlite3_value* unit = nullptr;
                if ((op == SQLITE_DELETE ? sqlite3_preupdate_old(db, unitColumn, &unit) : sqlite3_preupdate_new(db, unitColumn, &unit)) !=
                    SQLITE_OK) {
                    captureFailed = true;
                    return;
                }
                if (sqlite3_value_type(unit) == SQLITE_INTEGER) change.unitId = sqlite3_value_int64(unit);
            }
            change.atMs = QDateTime::currentMSecsSinceEpoch();
            change.actor = actorNow();
            captured.push_back(std::move(change));
        } catch (...) {
            captureFailed = true;  // the next flush refuses the write rather than lose its entry
        }
    }

    /// Opens a deferred transaction: the first read takes the snapshot and its locks once for
    /// all the reads that follow. The two statements are kept prepared: this runs per request.
    Status holdRead() {
        if (auto s = stepOnce(beginRead_, "BEGIN"); !s) return s;
        readHeld = true;
        return {};
    }

    /// Runs one statement without results from `stmt`, preparing it from `sql` the first time.
    Status stepOnce(sqlite3_stmt*& stmt, const char* sql) {
        if (!stmt) {
            if (const int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr); rc != SQLITE_OK)
                return sqliteError(db, rc, QString::fromLatin1(sql));
        }
        const int rc = sqlite3_step(stmt);
        sqlite3_reset(stmt);
        if (rc != SQLITE_DONE) return sqliteError(db, rc, QString::fromLatin1(sql));
        return {};
    }

    /// Ends the read transaction holdRead() opened, if it is still open. COMMIT ends a read
    /// transaction even while a read statement is still stepping (only pending writes block
    /// it); should it fail all the same, ROLLBACK does.
    void endHeldRead() {
        if (!readHeld) return;
        readHeld = false;
        if (!stepOnce(endRead_, "COMMIT")) (void)run("ROLLBACK");
    }

    /// Writes the captured changes to core_audit (or adds them to the running summary).
    Status flushAudit() {
        if (captureFailed) {
            discardCaptured();
            return Error{QStringLiteral("audit.capture"),
                         QStringLiteral("a change could not be captured for the audit log, so the write was refused")};
        }
        if (summary) {
            merge(summary->counts, capturedCounts);
            capturedCounts.clear();
        }
        if (captured.empty()) return {};
        std::vector<CapturedChange> batch;
        batch.swap(captured);
        const sqlite3_int64 lastRowid = sqlite3_last_insert_rowid(db);
        Status s = writeChanges(batch);
        sqlite3_set_last_insert_rowid(db, lastRowid);
        return s;
    }

    /// Called before a write statement runs: flushes when due, and remembers where the
    /// statement's own changes will start.
    Status beforeWrite(bool changesSchema) {
        if (summary) {
            merge(summary->counts, capturedCounts);
            capturedCounts.clear();
        }
        if (changesSchema || captured.size() >= kFlushBatch) {
            if (auto s = flushAudit(); !s) return s;
        }
        // The hook may not read the schema: the unit columns it needs are known beforehand
        // (not while a summary runs, which only counts rows: a bulk import pays nothing).
        if (!summary) {
            if (auto s = checkSchema(); !s) return s;
        }
        statementStart_ = captured.size();
        return {};
    }

    /// The statement that began with beforeWrite() failed, and SQLite undid its changes.
    void discardStatement() {
        captured.erase(captured.begin() + static_cast<std::ptrdiff_t>(std::min(statementStart_, captured.size())),
                       captured.end());
        capturedCounts.clear();
    }

    /// Forgets what was captured since the last flush (SQLite undid those changes).
    void discardCaptured() {
        captured.clear();
        capturedCounts.clear();
        captureFailed = false;
    }

    /// Writes the running summary's one entry (when it counted anything) and ends it.
    Status finishSummary() {
        if (auto s = flushAudit(); !s) return s;
        Summary done = std::move(*summary);
        summary.reset();
        if (done.counts.empty()) return {};
        if (auto s = checkSchema(); !s || !auditInsert_) return s;
        QJsonObject after;
        for (const auto& t : done.counts) {
            QJsonObject n;
            if (t.inserted) n.insert(QStringLiteral("insert"), t.inserted);
            if (t.updated) n.insert(QStringLiteral("update"), t.updated);
            if (t.deleted) n.insert(QStringLiteral("delete"), t.deleted);
            after.insert(t.table, n);
        }
        const sqlite3_int64 lastRowid = sqlite3_last_insert_rowid(db);
        Status s = insertAudit(done.atMs, done.actor, "bulk", done.counts.size() == 1 ? done.counts.front().table : QString(),
                               std::nullopt, {}, QJsonDocument(after).toJson(QJsonDocument::Compact), done.description,
                               std::nullopt);
        sqlite3_set_last_insert_rowid(db, lastRowid);
        return s;
    }

    /// An idle cached statement for `sql`, marked in use; nullptr when there is none.
    CachedStatement* takeCached(const QString& sql) {
        const auto it = statements.find(sql);
        if (it == statements.end()) return nullptr;
        for (auto& cached : it->second) {
            if (cached->inUse) continue;
            cached->inUse = true;
            return cached.get();
        }
        return nullptr;
    }

    /// Keeps a newly prepared statement (marked in use) while the cache has room; otherwise
    /// the caller owns it and giveBack() finalizes it.
    std::unique_ptr<CachedStatement> keep(const QString& sql, std::unique_ptr<CachedStatement> prepared, CachedStatement*& at) {
        prepared->inUse = true;
        at = prepared.get();
        if (cachedStatements >= kStatementCacheSize) return prepared;
        statements[sql].push_back(std::move(prepared));
        ++cachedStatements;
        return nullptr;
    }

    void giveBack(CachedStatement* cached, std::unique_ptr<CachedStatement> owned) {
        sqlite3_reset(cached->stmt);
        sqlite3_clear_bindings(cached->stmt);
        cached->inUse = false;
        if (owned) sqlite3_finalize(owned->stmt);
    }

    Status run(const char* sql) {
        char* err = nullptr;
        const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
        if (rc == SQLITE_OK) return {};
        Error e = sqliteError(db, rc, QString::fromUtf8(sql));
        if (err) {
            e.message = QStringLiteral("%1: %2").arg(QString::fromUtf8(sql).left(200), QString::fromUtf8(err));
            sqlite3_free(err);
        }
        return e;
    }

private:
    // Rereads the store's audit settings when they changed.
    void syncSettings() {
        const std::uint64_t version = store.auditSettingsVersion_.load(std::memory_order_acquire);
        if (version == settingsVersion_) return;
        std::lock_guard lock(store.mutex_);
        unaudited_.clear();
        for (const QString& t : store.unaudited_) unaudited_.insert(t.toLower());
        redacted_.clear();
        for (const QString& c : store.redacted_) redacted_.insert(c.toLower());
        verdicts_.clear();
        lastVerdict_ = nullptr;
        shapes_.clear();
        settingsVersion_ = version;
    }

    const TableVerdict& verdictOn(const char* table) {
        syncSettings();
        if (lastVerdict_ && lastTable_ == table) return *lastVerdict_;
        auto [it, added] = verdicts_.try_emplace(table);
        if (added) {
            it->second.name = QString::fromUtf8(table);
            const QString lower = it->second.name.toLower();
            it->second.audited = lower != QLatin1String("core_audit") && lower != QLatin1String("core_migrations") &&
                                 lower != QLatin1String("core_identity_stamp") &&
                                 lower != QLatin1String("core_kept_counts") &&  // derived from the audited records
                                 !lower.startsWith(QLatin1String("sqlite_")) && !unaudited_.contains(lower);
        }
        lastTable_ = table;
        lastVerdict_ = &it->second;
        return it->second;
    }

    // Notices schema changes (from any connection): forgets table shapes and finds out
    // whether core_audit exists yet.
    Status checkSchema() {
        syncSettings();
        if (!schemaVersion_) {
            const int rc = sqlite3_prepare_v3(db, "PRAGMA schema_version", -1, SQLITE_PREPARE_PERSISTENT, &schemaVersion_, nullptr);
            if (rc != SQLITE_OK) return sqliteError(db, rc, QStringLiteral("reading the schema version"));
        }
        int rc = sqlite3_step(schemaVersion_);
        const qint64 version = rc == SQLITE_ROW ? sqlite3_column_int64(schemaVersion_, 0) : -1;
        sqlite3_reset(schemaVersion_);
        if (rc != SQLITE_ROW) return sqliteError(db, rc, QStringLiteral("reading the schema version"));
        if (version == shapesSchema_) return {};
        shapes_.clear();
        sqlite3_finalize(auditInsert_);
        auditInsert_ = nullptr;
        // Before the host's migration 0003 there is no core_audit, and nothing to record into.
        if (sqlite3_table_column_metadata(db, "main", "core_audit", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr) ==
            SQLITE_OK) {
            auditHasUnit_ = sqlite3_table_column_metadata(db, "main", "core_audit", "unit_id", nullptr, nullptr, nullptr, nullptr,
                                                          nullptr) == SQLITE_OK;
            rc = sqlite3_prepare_v3(db, auditHasUnit_ ? kInsertAudit : kInsertAuditWithoutUnit, -1, SQLITE_PREPARE_PERSISTENT,
                                    &auditInsert_, nullptr);
            if (rc != SQLITE_OK) return sqliteError(db, rc, QStringLiteral("preparing the audit insert"));
        }
        if (auto s = readUnitColumns(); !s) return s;
        shapesSchema_ = version;
        return {};
    }

    // Which column of each table holds the unit its rows belong to (see kNoUnitColumn).
    Status readUnitColumns() {
        unitColumns_.clear();
        lastUnitTable_.clear();
        sqlite3_stmt* stmt = nullptr;
        int rc = sqlite3_prepare_v2(db,
                                    "SELECT m.name, c.cid FROM sqlite_schema m JOIN pragma_table_xinfo(m.name, 'main') c "
                                    "WHERE m.type = 'table' AND c.name = 'unit_id'",
                                    -1, &stmt, nullptr);
        while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            unitColumns_[reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))] = sqlite3_column_int(stmt, 1);
            rc = SQLITE_OK;
        }
        sqlite3_finalize(stmt);
        if (rc != SQLITE_DONE) return sqliteError(db, rc, QStringLiteral("reading the unit columns"));
        unitColumns_["core_units"] = kUnitIsRowid;
        return {};
    }

    int unitColumnOf(const char* table) {
        if (lastUnitTable_ == table) return lastUnitColumn_;
        const auto it = unitColumns_.find(table);
        lastUnitTable_ = table;
        lastUnitColumn_ = it == unitColumns_.end() ? kNoUnitColumn : it->second;
        return lastUnitColumn_;
    }

    Result<const TableShape*> shapeOf(const QString& table) {
        if (auto it = shapes_.find(table); it != shapes_.end()) return &it->second;
        TableShape shape;
        const QByteArray name = table.toUtf8();
        sqlite3_stmt* stmt = nullptr;
        int rc = sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_xinfo(?1, 'main') ORDER BY cid", -1, &stmt, nullptr);
        if (rc == SQLITE_OK) sqlite3_bind_text(stmt, 1, name.constData(), static_cast<int>(name.size()), SQLITE_STATIC);
        while (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            shape.columns << QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
            shape.redacted.push_back(redacted_.contains(table.toLower() + QLatin1Char('.') + shape.columns.back().toLower()));
            rc = SQLITE_OK;
        }
        sqlite3_finalize(stmt);
        if (rc != SQLITE_DONE) return sqliteError(db, rc, QStringLiteral("reading the columns of %1").arg(table));
        rc = sqlite3_prepare_v2(db, "SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?1", -1, &stmt, nullptr);
        if (rc == SQLITE_OK) sqlite3_bind_text(stmt, 1, name.constData(), static_cast<int>(name.size()), SQLITE_STATIC);
        if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) shape.withoutRowid = sqlite3_column_int(stmt, 0) != 0;
        sqlite3_finalize(stmt);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sqliteError(db, rc, QStringLiteral("reading the kind of %1").arg(table));
        return &shapes_.emplace(table, std::move(shape)).first->second;
    }

    Status writeChanges(const std::vector<CapturedChange>& batch) {
        if (auto s = checkSchema(); !s || !auditInsert_) return s;
        for (const auto& change : batch) {
            auto shape = shapeOf(change.table);
            if (!shape) return shape.error();
            const TableShape& t = **shape;
            auto json = [&t](const std::vector<std::pair<int, QJsonValue>>& values) {
                if (values.empty()) return QByteArray();
                QJsonObject o;
                for (const auto& [i, v] : values) {
                    const bool known = i < t.columns.size();
                    o.insert(known ? t.columns[i] : QStringLiteral("column%1").arg(i),
                             known && t.redacted[static_cast<std::size_t>(i)] ? QJsonValue(QStringLiteral("[redacted]")) : v);
                }
                return QJsonDocument(o).toJson(QJsonDocument::Compact);
            };
            const char* action = change.op == SQLITE_INSERT ? "insert" : change.op == SQLITE_UPDATE ? "update" : "delete";
            if (auto s = insertAudit(change.atMs, change.actor, action, change.table,
                                     t.withoutRowid ? std::nullopt : std::optional<qint64>(change.rowid), json(change.before),
                                     json(change.after), QString(), change.unitId);
                !s) {
                return s;
            }
        }
        return {};
    }

    Status insertAudit(qint64 atMs, const AuditActor& actor, const char* action, const QString& table,
                       std::optional<qint64> recordId, const QByteArray& before, const QByteArray& after, const QString& detail,
                       std::optional<qint64> unitId) {
        sqlite3_stmt* st = auditInsert_;
        auto text = [st](int index, const QByteArray& value) {
            if (value.isEmpty()) sqlite3_bind_null(st, index);
            else sqlite3_bind_text(st, index, value.constData(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
        };
        const QString username = actor.userId == 0 && actor.username.isEmpty() ? QStringLiteral("system") : actor.username;
        if (atMs != lastStampMs_) {  // rows of a bulk write share their millisecond
            lastStamp_ = isoUtc(atMs).toUtf8();
            lastStampMs_ = atMs;
        }
        text(1, lastStamp_);
        sqlite3_bind_int64(st, 2, actor.userId);
        text(3, username.toUtf8());
        text(4, actor.pluginId.toUtf8());
        text(5, actor.address.toUtf8());
        text(6, QByteArray(action));
        text(7, table.toUtf8());
        if (recordId) sqlite3_bind_int64(st, 8, *recordId);
        else sqlite3_bind_null(st, 8);
        text(9, before);
        text(10, after);
        text(11, detail.toUtf8());
        if (auditHasUnit_) {
            if (unitId) sqlite3_bind_int64(st, 12, *unitId);
            else sqlite3_bind_null(st, 12);
        }
        const int rc = sqlite3_step(st);
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        if (rc != SQLITE_DONE) return sqliteError(db, rc, QStringLiteral("writing the audit log"));
        return {};
    }

    std::size_t statementStart_ = 0;
    qint64 lastStampMs_ = -1;
    QByteArray lastStamp_;
    std::uint64_t settingsVersion_ = ~std::uint64_t{0};
    QSet<QString> unaudited_;  // lower case
    QSet<QString> redacted_;   // lower case "table.column"
    std::unordered_map<std::string, TableVerdict> verdicts_;
    std::string lastTable_;
    const TableVerdict* lastVerdict_ = nullptr;
    qint64 shapesSchema_ = -1;
    std::unordered_map<QString, TableShape> shapes_;
    sqlite3_stmt* schemaVersion_ = nullptr;
    sqlite3_stmt* beginRead_ = nullptr;  // holdRead()'s BEGIN and COMMIT
    sqlite3_stmt* endRead_ = nullptr;
    sqlite3_stmt* auditInsert_ = nullptr;  // null while there is no core_audit
    bool auditHasUnit_ = false;             // core_audit has unit_id (host migration 0009)
    std::unordered_map<std::string, int> unitColumns_;  // table -> unit column (kUnitIsRowid for core_units)
    std::string lastUnitTable_;
    int lastUnitColumn_ = kNoUnitColumn;
};

namespace {

class SqliteStatement final : public Statement {
public:
    SqliteStatement(SqliteStore::Connection& c, QString sql, CachedStatement* cached, std::unique_ptr<CachedStatement> owned)
        : connection_(c), sql_(std::move(sql)), cached_(cached), owned_(std::move(owned)), stmt_(cached->stmt),
          writes_(!sqlite3_stmt_readonly(stmt_) && sqlite3_stmt_isexplain(stmt_) == 0),
          // PRAGMA and VACUUM change no rows, and some of them cannot run in a transaction.
          needsTransaction_(writes_ && !startsWithAny(stmt_, {"PRAGMA", "VACUUM"})),
          changesSchema_(writes_ && startsWithAny(stmt_, {"CREATE", "ALTER", "DROP"})) {}
    ~SqliteStatement() override { connection_.giveBack(cached_, std::move(owned_)); }

    Status bind(int index, const QVariant& v) override {
        int rc = SQLITE_OK;
        if (!v.isValid() || v.isNull()) {
            rc = sqlite3_bind_null(stmt_, index);
        } else {
            switch (v.typeId()) {
                case QMetaType::Bool:
                case QMetaType::Int:
                case QMetaType::UInt:
                case QMetaType::Long:
                case QMetaType::LongLong:
                case QMetaType::Short:
                case QMetaType::ULong:
                case QMetaType::ULongLong:
                    rc = sqlite3_bind_int64(stmt_, index, v.toLongLong());
                    break;
                case QMetaType::Double:
                case QMetaType::Float:
                    rc = sqlite3_bind_double(stmt_, index, v.toDouble());
                    break;
                case QMetaType::QByteArray: {
                    const QByteArray& b = keep(index, v.toByteArray());
                    rc = sqlite3_bind_blob64(stmt_, index, b.constData(), static_cast<sqlite3_uint64>(b.size()), SQLITE_STATIC);
                    break;
                }
                case QMetaType::QDateTime: {
                    const QByteArray t = v.toDateTime().toUTC().toString(Qt::ISODateWithMs).toUtf8();
                    rc = sqlite3_bind_text64(stmt_, index, t.constData(), static_cast<sqlite3_uint64>(t.size()),
                                             SQLITE_TRANSIENT, SQLITE_UTF8);
                    break;
                }
                default: {
                    const QByteArray& t = keep(index, v.toString().toUtf8());
                    rc = sqlite3_bind_text64(stmt_, index, t.constData(), static_cast<sqlite3_uint64>(t.size()), SQLITE_STATIC,
                                             SQLITE_UTF8);
                    break;
                }
            }
        }
        if (rc != SQLITE_OK) return sqliteError(connection_.db, rc, QStringLiteral("binding parameter %1").arg(index));
        return {};
    }

    Result<bool> step() override {
        if (writes_ && !sqlite3_stmt_busy(stmt_)) {
            if (connection_.transactionDepth == 0) connection_.endHeldRead();  // a write needs the latest state
            if (needsTransaction_ && connection_.transactionDepth == 0) {
                return Error{QStringLiteral("db.no_transaction"),
                             QStringLiteral("writes through prepare() must run inside Database::transaction() (or use "
                                            "execute(), which opens one), so that they and their audit entries commit "
                                            "together: \"%1\"").arg(sql_.left(200))};
            }
            if (auto s = connection_.beforeWrite(changesSchema_); !s) return s.error();
        }
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        Error e = sqliteError(connection_.db, rc, QStringLiteral("running statement"));
        if (writes_) connection_.discardStatement();
        sqlite3_reset(stmt_);
        return e;
    }

    bool writes() const { return writes_; }
    bool needsTransaction() const { return needsTransaction_; }

    int columnCount() const override { return sqlite3_column_count(stmt_); }
    QString columnName(int column) const override {
        const char* name = sqlite3_column_name(stmt_, column);
        if (!name || column < 0) return {};
        // Compared by content, not assumed: a schema change re-prepares the statement, and
        // "SELECT *" may then name other columns.
        auto& names = cached_->columns;
        if (names.size() <= static_cast<std::size_t>(column)) names.resize(static_cast<std::size_t>(column) + 1);
        auto& [utf8, text] = names[static_cast<std::size_t>(column)];
        if (utf8.isNull() || std::strcmp(utf8.constData(), name) != 0) {
            utf8 = QByteArray(name);
            text = QString::fromUtf8(utf8);
        }
        return text;
    }

    QVariant value(int column) const override {
        switch (sqlite3_column_type(stmt_, column)) {
            case SQLITE_INTEGER: return QVariant::fromValue<qint64>(sqlite3_column_int64(stmt_, column));
            case SQLITE_FLOAT: return sqlite3_column_double(stmt_, column);
            case SQLITE_TEXT:
                return QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column)),
                                         sqlite3_column_bytes(stmt_, column));
            case SQLITE_BLOB:
                return QByteArray(static_cast<const char*>(sqlite3_column_blob(stmt_, column)),
                                  sqlite3_column_bytes(stmt_, column));
            default: return {};
        }
    }

    void reset() override { sqlite3_reset(stmt_); }

private:
    // The bytes of a bound text or blob, kept until the statement goes back to the cache
    // (which clears its bindings): SQLite reads them in place instead of copying each value.
    const QByteArray& keep(int index, QByteArray bytes) {
        const auto slot = static_cast<std::size_t>(index);
        if (bound_.size() <= slot) bound_.resize(slot + 1);
        bound_[slot] = std::move(bytes);
        return bound_[slot];
    }

    SqliteStore::Connection& connection_;
    QString sql_;
    CachedStatement* cached_;
    std::unique_ptr<CachedStatement> owned_;  // set when the cache had no room for it
    sqlite3_stmt* stmt_;
    bool writes_;            // may change the database (not read-only, not EXPLAIN)
    bool needsTransaction_;  // a write that changes rows (not PRAGMA, VACUUM)
    bool changesSchema_;     // CREATE, ALTER, DROP
    std::vector<QByteArray> bound_;  // by parameter index; declared last, so freed after giveBack() cleared the bindings
};

}  // namespace

SqliteStore::SqliteStore(QString path) : path_(std::move(path)), id_(nextStoreId++) {}

SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const QString& path) {
    std::unique_ptr<SqliteStore> store(new SqliteStore(path));
    // Opening the first connection creates the file and checks it is a database.
    sqlite3* db = nullptr;
    const QByteArray file = path.toUtf8();
    int rc = sqlite3_open_v2(file.constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
        Error e{QStringLiteral("db.open"),
                QStringLiteral("cannot open database %1: %2").arg(path, QString::fromUtf8(sqlite3_errstr(rc)))};
        sqlite3_close_v2(db);
        return e;
    }
    sqlite3_close_v2(db);
    if (!sqlite3_compileoption_used("ENABLE_PREUPDATE_HOOK")) {
        return Error{QStringLiteral("db.open"),
                     QStringLiteral("this SQLite library was built without SQLITE_ENABLE_PREUPDATE_HOOK, which the audit "
                                    "log needs")};
    }
    auto& c = store->connection();
    if (!c.db) return Error{QStringLiteral("db.open"), QStringLiteral("cannot open database %1").arg(path)};
    if (auto s = c.run("PRAGMA journal_mode=WAL"); !s) {
        return Error{QStringLiteral("db.open"),
                     QStringLiteral("%1 is not a usable SQLite database: %2").arg(path, s.error().message)};
    }
    return store;
}

SqliteStore::Connection& SqliteStore::connection() {
    // Each thread keeps the connection it last used for each store; ids are never reused,
    // so a destroyed store's entry can never be mistaken for a live one.
    thread_local std::unordered_map<std::uint64_t, Connection*> mine;
    if (auto it = mine.find(id_); it != mine.end()) return *it->second;

    auto c = std::make_unique<Connection>(*this);
    const QByteArray file = path_.toUtf8();
    if (sqlite3_open_v2(file.constData(), &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) == SQLITE_OK) {
        sqlite3_busy_timeout(c->db, kBusyTimeoutMs);
        sqlite3_extended_result_codes(c->db, 1);
        (void)c->run("PRAGMA foreign_keys=ON");
        (void)c->run("PRAGMA synchronous=NORMAL");
        // A row that INSERT OR REPLACE removes fires its delete triggers too (the kept counts';
        // without this SQLite skips them).
        (void)c->run("PRAGMA recursive_triggers=ON");
        sqlite3_preupdate_hook(c->db, &Connection::onPreupdate, c.get());
    }
    std::lock_guard lock(mutex_);
    connections_.push_back(std::move(c));
    mine[id_] = connections_.back().get();
    return *connections_.back();
}

Result<std::unique_ptr<Statement>> SqliteStore::prepare(const QString& sql) {
    auto& c = connection();
    if (CachedStatement* cached = c.takeCached(sql))
        return std::unique_ptr<Statement>(std::make_unique<SqliteStatement>(c, sql, cached, nullptr));
    const QByteArray text = sql.toUtf8();
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(c.db, text.constData(), static_cast<int>(text.size()), SQLITE_PREPARE_PERSISTENT,
                                      &stmt, &tail);
    if (rc != SQLITE_OK) {
        Error e = sqliteError(c.db, rc, QStringLiteral("preparing \"%1\"").arg(sql.left(200)));
        if ((rc & 0xff) == SQLITE_ERROR) e.code = QStringLiteral("db.syntax");
        return e;
    }
    if (!stmt) return Error{QStringLiteral("db.syntax"), QStringLiteral("empty statement")};
    if (tail && *tail && QByteArray(tail).trimmed().size() > 0 && QByteArray(tail).trimmed() != ";") {
        sqlite3_finalize(stmt);
        return Error{QStringLiteral("db.syntax"),
                     QStringLiteral("one statement at a time: \"%1\" has more after the first").arg(sql.left(200))};
    }
    auto prepared = std::make_unique<CachedStatement>();
    prepared->stmt = stmt;
    CachedStatement* at = nullptr;
    auto owned = c.keep(sql, std::move(prepared), at);
    return std::unique_ptr<Statement>(std::make_unique<SqliteStatement>(c, sql, at, std::move(owned)));
}

Result<WriteResult> SqliteStore::execute(const QString& sql, const Params& params) {
    auto prepared = prepare(sql);
    if (!prepared) return prepared.error();
    // prepare() makes nothing but SqliteStatements.
    auto& stmt = static_cast<SqliteStatement&>(**prepared);
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (auto s = stmt.bind(static_cast<int>(i) + 1, params[i]); !s) return s.error();
    }
    auto& c = connection();
    auto run = [&]() -> Result<WriteResult> {
        for (;;) {
            auto more = stmt.step();
            if (!more) return more.error();
            if (!*more) break;
        }
        return WriteResult{sqlite3_changes64(c.db), sqlite3_last_insert_rowid(c.db)};
    };
    if (c.transactionDepth > 0 || !stmt.needsTransaction()) return run();
    // A write on its own gets its own transaction, so that its audit entries commit with it.
    Result<WriteResult> result = WriteResult{};
    if (Status s = transaction([&]() -> Status { return result = run(); }); !s) return s.error();
    return result;
}

Result<Rows> SqliteStore::queryAggregate(const QString& sql, const Params& params) {
    constexpr qsizetype kRemembered = 128;  // statements per connection
    auto& c = connection();
    // Inside a write, the rows are of its own uncommitted state: read them.
    if (c.transactionDepth > 0) return query(sql, params);
    // One read transaction: the version read and the rows read are of the same snapshot
    // (PRAGMA data_version starts it, and gives the version of what it sees).
    // (Within holdReads() the held transaction is that snapshot already.)
    const bool own = !c.readHeld;
    if (own) {
        if (auto s = c.run("BEGIN"); !s) return s.error();
    }
    struct End {
        Connection& c;
        bool own;
        ~End() {
            if (own) (void)c.run("COMMIT");
        }
    } end{c, own};
    auto version = query(QStringLiteral("PRAGMA data_version"));
    if (!version) return version.error();
    const qint64 dataVersion = version->empty() ? -1 : version->front().value(QStringLiteral("data_version")).toLongLong();
    const qint64 changes = sqlite3_total_changes64(c.db);
    QString key = sql;
    for (const QVariant& p : params) key += QChar(0x1F) + QString::number(p.typeId()) + u':' + p.toString();
    if (const auto it = c.aggregates.constFind(key); it != c.aggregates.constEnd() && it->dataVersion == dataVersion && it->changes == changes)
        return it->rows;
    auto rows = query(sql, params);
    if (!rows) return rows;
    if (c.aggregates.size() >= kRemembered) c.aggregates.clear();
    c.aggregates.insert(key, {dataVersion, changes, *rows});
    return rows;
}

Status SqliteStore::transaction(const std::function<Status()>& work) {
    auto& c = connection();
    const int depth = c.transactionDepth;
    const QByteArray savepoint = "sp" + QByteArray::number(depth);
    // Changes made before a savepoint belong to the outer part: record them before it opens,
    // so that rolling the savepoint back discards exactly its own.
    if (depth == 0) {
        c.endHeldRead();  // a write starts from the latest state, not from a held snapshot
        c.discardCaptured();
    } else if (auto s = c.flushAudit(); !s) {
        return s;
    }
    // IMMEDIATE takes the write lock up front, so two writers wait (busy timeout) instead of
    // deadlocking when both try to upgrade a read lock.
    if (auto s = c.run(depth == 0 ? "BEGIN IMMEDIATE" : ("SAVEPOINT " + savepoint).constData()); !s) return s;
    ++c.transactionDepth;
    const std::optional<Counts> summaryCounts = c.summary ? std::optional(c.summary->counts) : std::nullopt;
    auto rollback = [&] {
        --c.transactionDepth;
        c.discardCaptured();
        if (summaryCounts && c.summary) c.summary->counts = *summaryCounts;
        if (depth == 0) (void)c.run("ROLLBACK");
        else (void)c.run(("ROLLBACK TO " + savepoint + "; RELEASE " + savepoint).constData());
    };
    Status result;
    try {
        result = work();
        // The audit entries go in before COMMIT/RELEASE, inside the same transaction.
        if (result) result = c.flushAudit();
    } catch (...) {
        rollback();
        throw;
    }
    if (!result) {
        rollback();
        return result;
    }
    --c.transactionDepth;
    if (auto s = c.run(depth == 0 ? "COMMIT" : ("RELEASE " + savepoint).constData()); !s) {
        if (depth == 0) (void)c.run("ROLLBACK");
        return s;
    }
    return {};
}

Result<WriteResult> SqliteStore::executeIfFree(const QString& sql, const Params& params) {
    auto& c = connection();
    sqlite3_busy_timeout(c.db, 0);
    auto result = execute(sql, params);
    sqlite3_busy_timeout(c.db, kBusyTimeoutMs);
    return result;
}

Status SqliteStore::transactionWithSummary(const QString& description, const std::function<Status()>& work) {
    auto& c = connection();
    if (c.summary) return transaction(work);
    // Bulk work touches many index pages: a bigger page cache for its duration keeps them in
    // memory instead of spilling them to the WAL before the commit (the default is 2 MiB).
    (void)c.run(("PRAGMA cache_size=-" + QByteArray::number(kBulkCacheKiB)).constData());
    struct RestoreCache {
        Connection& c;
        ~RestoreCache() {
            (void)c.run("PRAGMA cache_size=-2000");
            // The shrunk cache's pages go back to the heap; give the heap's free memory back to
            // the system, or a million-row import leaves hundreds of MiB resident for good.
            malloc_trim(0);
        }
    } restore{c};
    return transaction([&]() -> Status {
        c.summary = Summary{description, actorNow(), QDateTime::currentMSecsSinceEpoch(), {}};
        struct EndSummary {
            Connection& c;
            ~EndSummary() {
                c.summary.reset();
                c.capturedCounts.clear();
            }
        } end{c};
        if (Status s = work(); !s) return s;
        return c.finishSummary();
    });
}

Status SqliteStore::executeScript(const QString& sql) {
    auto& c = connection();
    if (c.transactionDepth == 0) return transaction([&] { return executeScript(sql); });
    // Scripts are migrations: the system changes the schema and its rows, whoever started it.
    AuditActor system;
    system.username = QStringLiteral("system");
    if (const AuditActor* current = currentAuditActor()) {
        system.pluginId = current->pluginId;
        system.address = current->address;
    }
    if (auto s = c.flushAudit(); !s) return s;  // earlier changes keep their own actor
    AuditActorScope asSystem(system);
    // One statement at a time (not sqlite3_exec), so each one's row changes are recorded
    // while the table still has the columns they were made with.
    const QByteArray text = sql.toUtf8();
    const char* next = text.constData();
    const char* const end = next + text.size();
    while (next < end) {
        sqlite3_stmt* stmt = nullptr;
        const char* tail = nullptr;
        int rc = sqlite3_prepare_v2(c.db, next, static_cast<int>(end - next), &stmt, &tail);
        const QString statement = QString::fromUtf8(next, static_cast<int>((tail ? tail : end) - next)).trimmed();
        if (rc != SQLITE_OK) return sqliteError(c.db, rc, statement.left(200));
        next = tail ? tail : end;
        if (!stmt) continue;  // only whitespace or comments
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        }
        if (rc != SQLITE_DONE) {
            Error e = sqliteError(c.db, rc, statement.left(200));
            sqlite3_finalize(stmt);
            c.discardCaptured();
            return e;
        }
        sqlite3_finalize(stmt);
        if (auto s = c.flushAudit(); !s) return s;
    }
    return {};
}

void SqliteStore::setUnaudited(const QStringList& tables) {
    std::lock_guard lock(mutex_);
    unaudited_ = tables;
    auditSettingsVersion_.fetch_add(1, std::memory_order_release);
}

void SqliteStore::setRedactedColumns(const QStringList& tableDotColumns) {
    std::lock_guard lock(mutex_);
    redacted_ = tableDotColumns;
    auditSettingsVersion_.fetch_add(1, std::memory_order_release);
}

SqliteStore::HeldReads SqliteStore::holdReads() {
    auto& c = connection();
    if (c.transactionDepth > 0 || c.readHeld) return HeldReads(nullptr);  // inside one already
    if (!c.holdRead()) return HeldReads(nullptr);                         // reads then take their own transactions, as without
    return HeldReads(&c);
}

SqliteStore::HeldReads::~HeldReads() {
    if (connection_) connection_->endHeldRead();
}

bool SqliteStore::inTransaction() { return connection().transactionDepth > 0; }

}  // namespace tessera::host
