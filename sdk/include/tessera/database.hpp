#pragma once
// The one database interface plugins use: prepared statements with bound parameters and
// transactions. Plugins never see the driver (SQLite today, PostgreSQL later), so keep SQL
// portable: bound parameters only, no driver-specific syntax.

#include <tessera/result.hpp>

#include <QString>
#include <QVariant>
#include <QVariantMap>

#include <functional>
#include <initializer_list>
#include <memory>
#include <vector>

namespace tessera {

/// One row of a query result, column name -> value (null, qint64, double, QString, QByteArray).
using Row = QVariantMap;
using Rows = std::vector<Row>;

/// Positional parameters (1-based in SQL as ?1, ?2, ... or plain ?).
using Params = std::vector<QVariant>;

/// What a write did.
struct WriteResult {
    qint64 changes = 0;      // rows inserted, updated or deleted
    qint64 lastInsertId = 0; // rowid of the last insert
};

/// A prepared statement. Bind, then step through rows; reset to run it again.
class Statement {
public:
    virtual ~Statement() = default;
    /// Binds a value to the 1-based parameter `index`. A null QVariant binds SQL NULL.
    virtual Status bind(int index, const QVariant& value) = 0;
    /// Advances to the next row: true when a row is ready, false when done.
    virtual Result<bool> step() = 0;
    virtual int columnCount() const = 0;
    virtual QString columnName(int column) const = 0;
    virtual QVariant value(int column) const = 0;
    /// Makes the statement ready to run again (bindings are kept).
    virtual void reset() = 0;
};

/// A connection to the deployment's database, safe to use from any request thread.
class Database {
public:
    virtual ~Database() = default;

    /// Compiles one SQL statement. Errors carry code "db.syntax" and the driver's message.
    virtual Result<std::unique_ptr<Statement>> prepare(const QString& sql) = 0;

    /// Runs `work` in a transaction: commits if it returns ok, rolls back otherwise (also
    /// when it throws, after which the exception propagates). Nested calls use savepoints.
    virtual Status transaction(const std::function<Status()>& work) = 0;

    /// A transaction for many rows at once (imports, sample data): like transaction(), but
    /// the audit log records one entry saying `description` and how many rows of each table
    /// were inserted, updated and deleted, instead of one entry per row.
    virtual Status bulkTransaction(const QString& description, const std::function<Status()>& work) = 0;

    /// Runs a query and collects all rows.
    Result<Rows> query(const QString& sql, const Params& params = {});
    /// Runs a query expected to return at most one row; an empty Row when there is none.
    Result<Row> queryOne(const QString& sql, const Params& params = {});
    /// Runs a write (INSERT, UPDATE, DELETE, DDL).
    virtual Result<WriteResult> execute(const QString& sql, const Params& params = {}) = 0;

    /// Runs a read-only aggregate (counts, sums for charts and statistics), which the database
    /// may answer from memory with the rows it gave before, as long as nothing has been
    /// written since: the same rows query() gives, read again only after a write. For a
    /// query that pages have shown the same way many times (the counts at the top of a large
    /// tree read every record); never for one with side effects.
    virtual Result<Rows> queryAggregate(const QString& sql, const Params& params = {}) { return query(sql, params); }
};

inline Result<Rows> Database::query(const QString& sql, const Params& params) {
    auto stmt = prepare(sql);
    if (!stmt) return stmt.error();
    for (std::size_t i = 0; i < params.size(); ++i) {
        if (auto s = (*stmt)->bind(static_cast<int>(i) + 1, params[i]); !s) return s.error();
    }
    Rows rows;
    for (;;) {
        auto more = (*stmt)->step();
        if (!more) return more.error();
        if (!*more) break;
        Row row;
        const int n = (*stmt)->columnCount();
        for (int c = 0; c < n; ++c) row.insert((*stmt)->columnName(c), (*stmt)->value(c));
        rows.push_back(std::move(row));
    }
    return rows;
}

inline Result<Row> Database::queryOne(const QString& sql, const Params& params) {
    auto rows = query(sql, params);
    if (!rows) return rows.error();
    if (rows->empty()) return Row{};
    return std::move(rows->front());
}

}  // namespace tessera
