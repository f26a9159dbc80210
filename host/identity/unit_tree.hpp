#pragma once
// The organisation-unit tree: the host service every plugin scopes its data to. Units are
// stored with a materialized path of ids ("/1/5/12/", see host/migrations/0001_units.sql),
// so a subtree is one range on the unique path index, costing O(size of the subtree), and
// moving a subtree rewrites only its own rows. Every write runs in one transaction and
// either happens completely or not at all.

#include "identity/unit_labels.hpp"

#include <tessera/access.hpp>
#include <tessera/context.hpp>
#include <tessera/database.hpp>
#include <tessera/result.hpp>

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <functional>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace tessera::host {

/// One organisation unit (a row of core_units).
struct Unit {
    qint64 id = 0;
    qint64 parentId = 0;  // 0 for the root
    QString name;
    QString code;
    QString path;  // ids from the root down to this unit, "/1/5/12/"
    int depth = 0;  // 0 for the root
    int sortOrder = 0;
    std::optional<qint64> childCount;  // filled only by children()
    QDateTime createdAt;
    QDateTime updatedAt;
    qint64 version = 1;
};

/// A search hit with the names from the top of the caller's scope down to it ("总部 / 一支部").
struct UnitMatch {
    Unit unit;
    QStringList pathNames;
};

/// Tells whether data of `owner` still belongs to a unit: an empty string when none does,
/// otherwise what does, e.g. "3 customers". Runs inside remove()'s transaction.
using UnitUsageCheck = std::function<tessera::Result<QString>(qint64 unitId)>;

/// The tree of organisation units. Error codes: "unit.not_found" (the unit operated on does
/// not exist), "unit.invalid" (a bad name, code or parent), "unit.stale" (the unit changed
/// since the caller read it), "unit.cycle" (a move under itself), "unit.root" (the root
/// cannot be moved or removed), "unit.not_empty" (children or other data still belong to
/// it), "unit.usage_check" (a usage check failed), "unit.forbidden" (a move would carry units
/// the mover may not change), and the database's own "db.*" codes.
class UnitTree {
public:
    /// Pass as expectedVersion to skip the optimistic concurrency check (versions start at 1).
    static constexpr qint64 kAnyVersion = 0;
    static constexpr int kMaxNameLength = 100;
    static constexpr int kMaxCodeLength = 50;
    static constexpr int kMaxSearchResults = 100;
    /// The permission that reads units (kUnitsRead of the app, which identity cannot include):
    /// a refusal names only the child units the caller sees with it.
    static inline const QString kReadPermission = QStringLiteral("core.units.read");

    UnitTree(tessera::Database& db, const tessera::Clock& clock);
    UnitTree(const UnitTree&) = delete;
    UnitTree& operator=(const UnitTree&) = delete;

    /// The root unit, created with `name` if the tree is empty (a later call returns it as is).
    Result<Unit> ensureRoot(const QString& name);
    /// A new unit under `parentId` (which must exist); name and code are trimmed.
    Result<Unit> create(qint64 parentId, const QString& name, const QString& code = {}, int sortOrder = 0);
    /// Changes name, code and sort order, if the unit is still at `expectedVersion`.
    Result<Unit> rename(qint64 id, const QString& name, const QString& code, int sortOrder, qint64 expectedVersion);
    /// Moves the unit and its whole subtree under `newParentId`. With `within` (the mover's
    /// scope for changing units), every unit of the subtree must lie in it ("unit.forbidden").
    /// A refusal names the units to `viewer` by their paths (UnitLabels), as remove() does;
    /// without a viewer (the system) by their names and ids.
    Result<Unit> move(qint64 id, qint64 newParentId, qint64 expectedVersion, const tessera::Scope* within = nullptr,
                      const tessera::Access* viewer = nullptr);
    /// Deletes a unit that has no children and no data belonging to it. A refusal tells
    /// `viewer` only what they may read: the child units in their scope for kReadPermission
    /// and the answers of the usage checks whose permission reaches the unit; of anything
    /// else only that it exists. It names the unit to them by its path (UnitLabels). Without
    /// a viewer (the system) it tells everything, the unit by its name and id.
    Status remove(qint64 id, qint64 expectedVersion = kAnyVersion, const tessera::Access* viewer = nullptr);

    /// The unit, or "unit.not_found".
    Result<Unit> get(qint64 id) const;
    // The lists below leave out the units outside `within` when it is given (nullptr: all).
    /// The units directly under `parentId`, by sort order then id, each with its childCount
    /// (the children within `within`, too).
    Result<std::vector<Unit>> children(qint64 parentId, const tessera::Scope* within = nullptr) const;
    /// The unit and all its descendants, ordered by path (each parent before its children).
    Result<std::vector<Unit>> subtree(qint64 id, const tessera::Scope* within = nullptr) const;
    /// The units above `id`, the root first (without the unit itself).
    Result<std::vector<Unit>> ancestors(qint64 id, const tessera::Scope* within = nullptr) const;
    /// Units whose name or code contains `text` (literally), in tree order, at most `limit`.
    Result<std::vector<UnitMatch>> search(const QString& text, int limit, const tessera::Scope* within = nullptr) const;
    /// Where a caller's view of the tree starts: the units in `within` whose parent is not
    /// (the root for a scope of all units, or none). Cost: O(units in the scope).
    Result<std::vector<Unit>> topUnits(const tessera::Scope* within) const;
    /// Whether `unitId` is `ancestorId` or lies below it.
    Result<bool> contains(qint64 ancestorId, qint64 unitId) const;
    /// Names units as `viewer` may see them while `permission` is at hand (unit_labels.hpp).
    UnitLabels labelsFor(const tessera::Access& viewer, const QString& permission) const { return UnitLabels(db_, viewer, permission); }

    /// Registers a check that remove() asks before deleting a unit; `owner` (a plugin id)
    /// names it in the refusal and in removeUsageChecks(). Its answer is shown only to
    /// callers whose scope for `readPermission` holds the unit.
    void addUsageCheck(const QString& owner, const QString& readPermission, UnitUsageCheck check);
    /// Forgets `owner`'s checks (before its plugin is unloaded).
    void removeUsageChecks(const QString& owner);

    /// What is wrong with a unit name (after trimming), or nullopt when it is fine.
    static std::optional<QString> checkName(const QString& name);
    /// What is wrong with a unit code (after trimming), or nullopt when it is fine.
    static std::optional<QString> checkCode(const QString& code);
    /// The exclusive upper bound of the paths under `pathPrefix` ("/1/5/" -> "/1/50"): every
    /// path starting with the prefix, and no other, lies in [pathPrefix, rangeEnd).
    static QString rangeEnd(const QString& pathPrefix);

private:
    Result<Unit> find(qint64 id) const;  // an empty Unit (id 0) when there is none
    Result<std::vector<Unit>> units(const QString& sqlAfterSelect, tessera::Params params) const;
    Status checkUnused(const Unit& unit, const QString& named, const tessera::Access* viewer);
    // `unit` as a refusal names it: to `viewer` by its path as they know it, else by name and id.
    Result<QString> namedFor(const Unit& unit, const tessera::Access* viewer) const;

    tessera::Database& db_;
    const tessera::Clock& clock_;
    std::mutex checksMutex_;
    struct UsageCheck {
        QString owner;
        QString readPermission;
        UnitUsageCheck check;
    };
    std::vector<UsageCheck> checks_;
};

}  // namespace tessera::host
