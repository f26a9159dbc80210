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

}  // namespace tessera
