#include "store/sqlite_store.hpp"

#include <sqlite3.h>

#include <QByteArray>
#include <QDateTime>

#include <unordered_map>

namespace tessera::host {

namespace {

constexpr int kBusyTimeoutMs = 5000;
constexpr std::size_t kStatementCacheSize = 64;

Error sqliteError(sqlite3* db, int rc, const QString& what) {
    const int primary = rc & 0xff;
    QString code = QStringLiteral("db.error");
    if (primary == SQLITE_CONSTRAINT) code = QStringLiteral("db.constraint");
    else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) code = QStringLiteral("db.busy");
    const char* msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    return Error{code, QStringLiteral("%1: %2").arg(what, QString::fromUtf8(msg))};
}

std::atomic<std::uint64_t> nextStoreId{1};

}  // namespace

// One SQLite connection, used by one thread at a time, with its statement cache and the
// depth of the transaction it is in.
class SqliteStore::Connection {
public:
    sqlite3* db = nullptr;
    int transactionDepth = 0;
    // Idle prepared statements by SQL text. A statement in use is taken out and put back
    // when its wrapper dies, so two live wrappers never share one sqlite3_stmt.
    std::unordered_multimap<QString, sqlite3_stmt*> idle;

    ~Connection() {
        for (auto& [sql, stmt] : idle) sqlite3_finalize(stmt);
        if (db) sqlite3_close_v2(db);
    }

    void giveBack(const QString& sql, sqlite3_stmt* stmt) {
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
        if (idle.size() >= kStatementCacheSize) {
            sqlite3_finalize(stmt);
            return;
        }
        idle.emplace(sql, stmt);
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
};

namespace {

class SqliteStatement final : public Statement {
public:
    SqliteStatement(SqliteStore::Connection& c, QString sql, sqlite3_stmt* stmt)
        : connection_(c), sql_(std::move(sql)), stmt_(stmt) {}
    ~SqliteStatement() override { connection_.giveBack(sql_, stmt_); }

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
                    const QByteArray b = v.toByteArray();
                    rc = sqlite3_bind_blob64(stmt_, index, b.constData(), static_cast<sqlite3_uint64>(b.size()),
                                             SQLITE_TRANSIENT);
                    break;
                }
                case QMetaType::QDateTime: {
                    const QByteArray t = v.toDateTime().toUTC().toString(Qt::ISODateWithMs).toUtf8();
                    rc = sqlite3_bind_text64(stmt_, index, t.constData(), static_cast<sqlite3_uint64>(t.size()),
                                             SQLITE_TRANSIENT, SQLITE_UTF8);
                    break;
                }
                default: {
                    const QByteArray t = v.toString().toUtf8();
                    rc = sqlite3_bind_text64(stmt_, index, t.constData(), static_cast<sqlite3_uint64>(t.size()),
                                             SQLITE_TRANSIENT, SQLITE_UTF8);
                    break;
                }
            }
        }
        if (rc != SQLITE_OK) return sqliteError(connection_.db, rc, QStringLiteral("binding parameter %1").arg(index));
        return {};
    }

    Result<bool> step() override {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        Error e = sqliteError(connection_.db, rc, QStringLiteral("running statement"));
        sqlite3_reset(stmt_);
        return e;
    }

    int columnCount() const override { return sqlite3_column_count(stmt_); }
    QString columnName(int column) const override { return QString::fromUtf8(sqlite3_column_name(stmt_, column)); }

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
    SqliteStore::Connection& connection_;
    QString sql_;
    sqlite3_stmt* stmt_;
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

    auto c = std::make_unique<Connection>();
    const QByteArray file = path_.toUtf8();
    if (sqlite3_open_v2(file.constData(), &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) == SQLITE_OK) {
        sqlite3_busy_timeout(c->db, kBusyTimeoutMs);
        sqlite3_extended_result_codes(c->db, 1);
        (void)c->run("PRAGMA foreign_keys=ON");
        (void)c->run("PRAGMA synchronous=NORMAL");
    }
    std::lock_guard lock(mutex_);
    connections_.push_back(std::move(c));
    mine[id_] = connections_.back().get();
    return *connections_.back();
}

Result<std::unique_ptr<Statement>> SqliteStore::prepare(const QString& sql) {
    auto& c = connection();
    if (auto it = c.idle.find(sql); it != c.idle.end()) {
        sqlite3_stmt* stmt = it->second;
        c.idle.erase(it);
        return std::unique_ptr<Statement>(std::make_unique<SqliteStatement>(c, sql, stmt));
    }
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
    return std::unique_ptr<Statement>(std::make_unique<SqliteStatement>(c, sql, stmt));
}

Result<WriteResult> SqliteStore::execute(const QString& sql, const Params& params) {
    auto stmt = prepare(sql);
    if (!stmt) return stmt.error();
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (auto s = (*stmt)->bind(static_cast<int>(i) + 1, params[i]); !s) return s.error();
    }
    for (;;) {
        auto more = (*stmt)->step();
        if (!more) return more.error();
        if (!*more) break;
    }
    auto& c = connection();
    return WriteResult{sqlite3_changes64(c.db), sqlite3_last_insert_rowid(c.db)};
}

Status SqliteStore::transaction(const std::function<Status()>& work) {
    auto& c = connection();
    const int depth = c.transactionDepth;
    const QByteArray savepoint = "sp" + QByteArray::number(depth);
    // IMMEDIATE takes the write lock up front, so two writers wait (busy timeout) instead of
    // deadlocking when both try to upgrade a read lock.
    if (auto s = c.run(depth == 0 ? "BEGIN IMMEDIATE" : ("SAVEPOINT " + savepoint).constData()); !s) return s;
    ++c.transactionDepth;
    auto rollback = [&] {
        --c.transactionDepth;
        if (depth == 0) (void)c.run("ROLLBACK");
        else (void)c.run(("ROLLBACK TO " + savepoint + "; RELEASE " + savepoint).constData());
    };
    Status result;
    try {
        result = work();
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

Status SqliteStore::executeScript(const QString& sql) {
    return connection().run(sql.toUtf8().constData());
}

bool SqliteStore::inTransaction() { return connection().transactionDepth > 0; }

}  // namespace tessera::host
