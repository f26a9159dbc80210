#pragma once
// The organisation-unit tree as plugins see it. The host owns the tree (core_units); a
// plugin that extends units with its own card (a party organisation) creates and renames
// them through here, inside its own transaction when it wants both to happen or neither.

#include <tessera/result.hpp>

#include <QString>
#include <QStringList>

namespace tessera {

/// One organisation unit.
struct UnitInfo {
    qint64 id = 0;
    qint64 parentId = 0;  // 0 for the root
    QString name;
    QString code;
    int depth = 0;  // 0 for the root
};

/// Error codes: "unit.not_found", "unit.invalid" (a bad name, code or parent), and the
/// database's "db.*". Writes are audited as the caller, like every write.
class Units {
public:
    virtual ~Units() = default;
    virtual Result<UnitInfo> get(qint64 id) = 0;
    /// A new unit under `parentId`; name and code are trimmed.
    virtual Result<UnitInfo> create(qint64 parentId, const QString& name, const QString& code = {}) = 0;
    /// Changes a unit's name and code.
    virtual Result<UnitInfo> rename(qint64 id, const QString& name, const QString& code = {}) = 0;
    /// Moves the unit with its subtree under `newParentId` ("unit.cycle" under itself, "unit.root").
    virtual Result<UnitInfo> move(qint64 id, qint64 newParentId) = 0;
    /// Deletes a unit without children; the usage checks of every plugin run first, so a
    /// plugin deleting its own card of the unit does that before, in the same transaction.
    /// "unit.not_empty" names what still belongs to it.
    virtual Status remove(qint64 id) = 0;
    /// The names from the root down to the unit (exports, print headings).
    virtual Result<QStringList> pathNames(qint64 id) = 0;
};

/// A unit as people name it in a card's section or a message: its path below the top of the
/// tree ("机关党委/第一党支部"), the top itself by its name; empty for no unit.
inline QString unitPath(Units& units, qint64 id) {
    if (id <= 0) return {};
    auto names = units.pathNames(id);
    if (!names || names->isEmpty()) return {};
    return names->size() > 1 ? names->mid(1).join(u'/') : names->front();
}

/// Whether unit `inner` is `outer` or below it (false when either cannot be read).
inline bool unitWithin(Units& units, qint64 inner, qint64 outer) {
    for (int depth = 0; inner > 0 && depth < 64; ++depth) {
        if (inner == outer) return true;
        auto unit = units.get(inner);
        if (!unit) return false;
        inner = unit->parentId;
    }
    return false;
}

}  // namespace tessera
