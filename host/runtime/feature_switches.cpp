#include "runtime/feature_switches.hpp"

namespace tessera::host {

Result<QHash<QString, bool>> FeatureSwitches::of(const QString& pluginId) {
    auto rows = db_.query(QStringLiteral("SELECT feature, enabled FROM core_feature_switches WHERE plugin_id = ?1"), {pluginId});
    if (!rows) return rows.error();
    QHash<QString, bool> out;
    for (const auto& r : *rows) out.insert(r.value(QStringLiteral("feature")).toString(), r.value(QStringLiteral("enabled")).toLongLong() != 0);
    return out;
}

Status FeatureSwitches::set(const QString& pluginId, const QString& feature, bool enabled, const QDateTime& now) {
    auto w = db_.execute(QStringLiteral("INSERT INTO core_feature_switches(plugin_id, feature, enabled, updated_at) VALUES (?1, ?2, ?3, ?4) "
                                        "ON CONFLICT(plugin_id, feature) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at"),
                         {pluginId, feature, enabled ? 1 : 0, now.toString(Qt::ISODateWithMs)});
    if (!w) return w.error();
    return {};
}

Status FeatureSwitches::clear(const QString& pluginId, const QString& feature) {
    auto w = db_.execute(QStringLiteral("DELETE FROM core_feature_switches WHERE plugin_id = ?1 AND feature = ?2"), {pluginId, feature});
    if (!w) return w.error();
    return {};
}

}  // namespace tessera::host
