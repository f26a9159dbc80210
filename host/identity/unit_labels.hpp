#pragma once
// How a unit is named to one viewer. In a large tree many units share a name (the demo has 80
// branches called 第1党支部), so a unit is shown by its path of names; but only by the part of
// the path the viewer may know of: nobody gets more than they hold, so a unit above the top
// of the viewer's scope is never named, and a unit they may not know of has no label at all.
//
// A viewer's units start at their top units: the units of their scope whose parent is not in
// it (for an administrator, the root). A unit is named by the path below its top unit, which
// is what tells it apart from the other units the viewer sees; with several top units the
// top's own name starts the path, as two tops may hold units of the same names.

#include <tessera/access.hpp>
#include <tessera/database.hpp>
#include <tessera/result.hpp>

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace tessera::host {

class CallerAccess;

/// A unit's names as one viewer may see them.
struct UnitLabel {
    QStringList names;          // from the viewer's top unit down to the unit: 根, 东区, 街道3, 第1党支部
    bool topNamed = false;      // the viewer has several top units: the top's name is part of the path

    /// What identifies the unit to the viewer: the path below their top unit (the top unit by
    /// its own name), "东区/街道3/第1党支部". Exports write it, imports read it.
    QString relative() const;
    /// relative(), with the middle elided when it has more than three levels: the first
    /// level and the last two, "东区/…/社区5/第1党支部". Lists and cards show it.
    QString shown() const;
    /// Every name the viewer may see, from their top unit down, "根/东区/街道3/社区5/第1党支部":
    /// on hover and in print.
    QString full() const;

    static inline const QString kSeparator = QStringLiteral("/");
    static inline const QString kElision = QStringLiteral("…");
};

/// The units `access` may know of while `permission` is at hand: those it reaches with that
/// permission (their records name them) and those whose tree it reads (core.units.read).
std::shared_ptr<const tessera::Scope> knownUnits(tessera::Database& db, const tessera::Access& access, const QString& permission);

/// Labels units for one viewer: for a request or a job, as it keeps what it read (a list page
/// costs two queries; an export reads each unit once).
class UnitLabels {
public:
    /// For `access` with `permission` at hand (knownUnits()).
    UnitLabels(tessera::Database& db, const tessera::Access& access, const QString& permission);
    /// For a viewer who may know of the units of `known`; nullptr: every unit (the system).
    UnitLabels(tessera::Database& db, std::shared_ptr<const tessera::Scope> known);

    /// The labels of `ids`; an id the viewer may not know of (or of no unit) is left out. A
    /// user's are kept with their rights, so a card or page asks the tree once per unit.
    Result<QHash<qint64, UnitLabel>> labels(const QList<qint64>& ids);
    /// The label of `id`, or nullopt when the viewer may not know of it.
    Result<std::optional<UnitLabel>> label(qint64 id);
    /// The label of every unit the viewer may know of, by id (one query).
    Result<QHash<qint64, UnitLabel>> everyLabel();

private:
    Result<QHash<qint64, UnitLabel>> readLabels(const QList<qint64>& ids);
    Result<bool> severalTops();
    /// The labels of `ids`, once every name on their paths is read (names_ and unknown_).
    Result<QHash<qint64, UnitLabel>> labelsKnown(const QList<qint64>& ids);
    bool knows(qint64 id, const QString& path) const;  // whether the viewer may know of unit `id` at `path`
    std::optional<UnitLabel> labelOf(qint64 id, bool topNamed) const;

    tessera::Database& db_;
    const CallerAccess* caller_ = nullptr;  // keeps the labels worked out for it (CallerAccess::keepLabel)
    QString permission_;
    std::shared_ptr<const tessera::Scope> known_;
    std::optional<bool> severalTops_;
    QHash<qint64, QString> paths_;  // units looked up: id -> materialized path ("/1/5/12/")
    QHash<qint64, QString> names_;  // units on those paths the viewer may know of: id -> name
    QSet<qint64> unknown_;          // units on those paths the viewer may not know of
};

}  // namespace tessera::host
