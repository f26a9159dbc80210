#pragma once
// Who is calling, and which organisation units they may reach. The host checks a route's
// permission before the handler runs; the handler then limits what it reads and writes to
// the scope, so a record outside it behaves as if it did not exist (404, never 403).

#include <tessera/database.hpp>

#include <QString>

namespace tessera {

/// The permission of a route anyone may call without logging in (health checks, login).
inline const QString kPublicRoute = QStringLiteral("public");

/// The authenticated user behind a request.
struct Caller {
    qint64 userId = 0;  // 0 only on public routes called without a session
    QString username;
    QString displayName;
    qint64 unitId = 0;  // the user's own unit (home page reminders), 0 if none
};

/// The organisation units reachable with one permission: the union of the caller's role
/// assignments that carry it (this unit only / this unit and below / all).
class Scope {
public:
    virtual ~Scope() = default;
    /// Every unit, including records that belong to no unit.
    virtual bool all() const = 0;
    /// No unit at all.
    virtual bool empty() const = 0;
    /// An SQL condition restricting `unitColumn` (e.g. "c.unit_id") to the scope. Its
    /// parameters are appended to `params` and numbered from params.size() + 1, so call it
    /// after binding the query's own parameters. Cost: one index range per assignment.
    virtual QString condition(const QString& unitColumn, Params& params) const = 0;
    /// Whether `unitId` lies in the scope.
    virtual bool contains(qint64 unitId) const = 0;
    /// condition() narrowed to `unitId` and the units below it (the unit the user picked in
    /// the organisation tree); parameters appended as for condition().
    virtual QString conditionWithin(const QString& unitColumn, qint64 unitId, Params& params) const = 0;
};

/// The scope of nothing: no unit, no record. A Request's scope is this until the host sets
/// it, so a handler never meets a null scope and a forgotten one reaches nothing.
class NoUnits final : public Scope {
public:
    bool all() const override { return false; }
    bool empty() const override { return true; }
    QString condition(const QString&, Params&) const override { return QStringLiteral("1=0"); }
    bool contains(qint64) const override { return false; }
    QString conditionWithin(const QString&, qint64, Params&) const override { return QStringLiteral("1=0"); }
};

inline const Scope& noUnits() {
    static const NoUnits none;
    return none;
}

/// The caller's rights, for checks beyond the route's own permission.
class Access {
public:
    virtual ~Access() = default;
    virtual const Caller& caller() const = 0;
    /// Whether the caller holds `permission` for at least one unit.
    virtual bool can(const QString& permission) const = 0;
    /// The units the caller reaches with `permission` (empty if none).
    virtual const Scope& scope(const QString& permission) const = 0;
};

}  // namespace tessera
