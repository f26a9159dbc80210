#pragma once
// Who holds a duty where: the users whose roles name a permission at a unit (assigned there,
// to a unit above it with its subtree, or everywhere). A user field of a card (a ticket's
// technician, an order's salesperson) takes only such a user, and its picker lists them.
// A role granting every permission ("*", the administrators') is administration, not a duty:
// its holders are not listed as technicians, and not taken as one.

#include <tessera/database.hpp>
#include <tessera/result.hpp>

#include <QHash>
#include <QList>
#include <QString>

#include <vector>

namespace tessera::host {

struct DutyHolder {
    qint64 id = 0;
    QString name;  // the display name, else the username
    QString username;
};

/// The enabled users holding `permission` at `unitId`, by name; with `search`, those whose
/// display name or username contains it; at most `limit`.
Result<std::vector<DutyHolder>> dutyHolders(tessera::Database& db, const QString& permission, qint64 unitId, const QString& search,
                                            int limit);

/// Whether user `userId` is enabled and holds `permission` at `unitId`.
Result<bool> holdsDuty(tessera::Database& db, qint64 userId, const QString& permission, qint64 unitId);

/// Users by id as people name them (display name, else username); ids of no user are left out.
Result<QHash<qint64, QString>> userNames(tessera::Database& db, const QList<qint64>& ids);

/// The enabled users holding `permission` somewhere whose display name or username is exactly
/// `name` (an import's cell): no one else is named to an importer.
Result<QList<qint64>> dutyHoldersNamed(tessera::Database& db, const QString& permission, const QString& name);

}  // namespace tessera::host
