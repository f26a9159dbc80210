#include "identity/duty_holders.hpp"

#include <tessera/params.hpp>

namespace tessera::host {

namespace {

// Users enabled and assigned a role naming ?1 at the unit ?2, there or above it with its subtree,
// or everywhere (a unit's subtree: the paths from its own up to the end of its range).
const QString kHolding = QStringLiteral(
    "FROM core_users u WHERE u.disabled = 0 AND EXISTS ("
    "SELECT 1 FROM core_assignments a JOIN core_role_permissions p ON p.role_id = a.role_id AND p.permission = ?1 "
    "JOIN core_units t ON t.id = ?2 LEFT JOIN core_units au ON au.id = a.unit_id "
    "WHERE a.user_id = u.id AND (a.scope = 'all' OR (a.scope = 'unit' AND a.unit_id = t.id) OR "
    "(a.scope = 'subtree' AND t.path >= au.path AND t.path < substr(au.path, 1, length(au.path) - 1) || '0')))");

QString nameOf(const Row& row) {
    const QString display = row.value(QStringLiteral("display_name")).toString();
    return display.isEmpty() ? row.value(QStringLiteral("username")).toString() : display;
}

}  // namespace

Result<std::vector<DutyHolder>> dutyHolders(tessera::Database& db, const QString& permission, qint64 unitId, const QString& search,
                                            int limit) {
    Params params{permission, unitId};
    QString sql = QStringLiteral("SELECT u.id, u.username, u.display_name ") + kHolding;
    if (!search.trimmed().isEmpty()) {
        params.push_back(tessera::likeContaining(search.trimmed()));
        sql += QStringLiteral(" AND (u.display_name LIKE ?3 ESCAPE '\\' OR u.username LIKE ?3 ESCAPE '\\')");
    }
    params.push_back(limit);
    sql += QStringLiteral(" ORDER BY u.display_name, u.username LIMIT ?%1").arg(params.size());
    auto rows = db.query(sql, params);
    if (!rows) return rows.error();
    std::vector<DutyHolder> out;
    for (const Row& row : *rows)
        out.push_back({row.value(QStringLiteral("id")).toLongLong(), nameOf(row), row.value(QStringLiteral("username")).toString()});
    return out;
}

Result<bool> holdsDuty(tessera::Database& db, qint64 userId, const QString& permission, qint64 unitId) {
    auto row =
        db.queryOne(QStringLiteral("SELECT count(*) AS n ") + kHolding + QStringLiteral(" AND u.id = ?3"), {permission, unitId, userId});
    if (!row) return row.error();
    return row->value(QStringLiteral("n")).toLongLong() > 0;
}

Result<QHash<qint64, QString>> userNames(tessera::Database& db, const QList<qint64>& ids) {
    QHash<qint64, QString> out;
    constexpr qsizetype kBatch = 500;  // well within SQLite's parameters per statement
    for (qsizetype from = 0; from < ids.size(); from += kBatch) {
        Params params;
        QStringList marks;
        for (qint64 id : ids.mid(from, kBatch)) {
            params.push_back(id);
            marks << QStringLiteral("?%1").arg(params.size());
        }
        auto rows =
            db.query(QStringLiteral("SELECT id, username, display_name FROM core_users WHERE id IN (%1)").arg(marks.join(u',')), params);
        if (!rows) return rows.error();
        for (const Row& row : *rows) out.insert(row.value(QStringLiteral("id")).toLongLong(), nameOf(row));
    }
    return out;
}

Result<QList<qint64>> dutyHoldersNamed(tessera::Database& db, const QString& permission, const QString& name) {
    auto rows = db.query(QStringLiteral("SELECT u.id FROM core_users u WHERE u.disabled = 0 AND (u.display_name = ?1 OR u.username = ?1) "
                                        "AND EXISTS (SELECT 1 FROM core_assignments a JOIN core_role_permissions p "
                                        "ON p.role_id = a.role_id AND p.permission = ?2 WHERE a.user_id = u.id) ORDER BY u.id"),
                         {name.trimmed(), permission});
    if (!rows) return rows.error();
    QList<qint64> out;
    for (const Row& row : *rows) out << row.value(QStringLiteral("id")).toLongLong();
    return out;
}

}  // namespace tessera::host
