#pragma once
// The audit log (core_audit, host migration 0003). Row changes are recorded by the store
// itself (SqliteStore); this class records the events that are not row changes (logins,
// lockouts, tokens ...) and answers queries over both. It has no way to change or delete an
// entry: the log is append-only.

#include "store/audit_actor.hpp"
#include "store/sqlite_store.hpp"

#include <tessera/access.hpp>
#include <tessera/result.hpp>

#include <QDateTime>
#include <QJsonValue>
#include <QString>

#include <optional>
#include <vector>

namespace tessera::host {

/// An event that is not a row change, e.g. {"login.failed", "wrong password"}. Events have
/// no unit: only auditors of all units read them.
struct AuditEvent {
    QString action;                   // "login", "login.failed", "lockout", "logout", "token.created" ...
    QString detail;                   // for people: "wrong password", "token 'ci' of user 7"
    std::optional<AuditActor> actor;  // who; by default the thread's current actor (or the system)
    QString table;                    // the record the event is about, if any (e.g. "core_users")
    std::optional<qint64> recordId;
};

/// One entry as stored.
struct AuditEntry {
    qint64 id = 0;
    QString at;  // UTC ISO 8601 with milliseconds
    qint64 userId = 0;
    QString username;
    QString pluginId;  // empty: none
    QString address;   // empty: none
    QString action;
    QString table;  // empty: none
    std::optional<qint64> recordId;
    std::optional<qint64> unitId;  // the unit the record belongs to; none when unknown
    QJsonValue before = QJsonValue::Null;  // JSON object or null
    QJsonValue after = QJsonValue::Null;
    QString detail;
};

/// What to look for; empty fields do not filter. `from` and `to` are inclusive.
struct AuditFilter {
    std::optional<qint64> userId;
    QString username;
    QString pluginId;
    QString table;
    std::optional<qint64> recordId;
    QString action;
    QDateTime from;
    QDateTime to;
    int page = 1;   // from 1
    int size = 20;  // 1 to kMaxSize
    static constexpr int kMaxSize = 200;
};

/// One page of entries, newest first, and how many match in all.
struct AuditPage {
    std::vector<AuditEntry> items;
    qint64 total = 0;
    int page = 1;
    int size = 20;
};

class AuditLog {
public:
    explicit AuditLog(SqliteStore& store) : store_(store) {}

    /// Writes one event, inside the caller's transaction if one is open, else in its own.
    /// Error "audit.invalid" for an empty action or a row action (insert, update, delete,
    /// bulk), which only the store records.
    Status record(const AuditEvent& event);
    /// Error "audit.invalid" for a page below 1 or a size outside 1..kMaxSize. With `within`
    /// (a reader's scope) only entries whose unit lies in it: an entry of unknown unit is
    /// left out unless the scope holds every unit.
    Result<AuditPage> query(const AuditFilter& filter, const tessera::Scope* within = nullptr);

private:
    SqliteStore& store_;
};

}  // namespace tessera::host
