#pragma once
// Feature switches set by administrators (core_feature_switches). What a plugin starts with:
// the admin's switch, else the deployment config's <feature>, else the manifest's default.

#include <tessera/database.hpp>
#include <tessera/result.hpp>

#include <QDateTime>
#include <QHash>
#include <QString>

namespace tessera::host {

class FeatureSwitches {
public:
    explicit FeatureSwitches(tessera::Database& db) : db_(db) {}
    /// The switches of one plugin, feature name -> on.
    Result<QHash<QString, bool>> of(const QString& pluginId);
    /// Sets (or replaces) a switch.
    Status set(const QString& pluginId, const QString& feature, bool enabled, const QDateTime& now);
    /// Removes a switch, so the config and the default apply again.
    Status clear(const QString& pluginId, const QString& feature);

private:
    tessera::Database& db_;
};

}  // namespace tessera::host
