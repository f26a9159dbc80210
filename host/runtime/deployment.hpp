#pragma once
// A deployment config (configs/*.xml): database, listen address, limits, plugin folders and
// the enabled plugins with their feature and setting overrides. Schema: configs/deployment.xsd
// and docs/manifests.md. Relative paths are resolved against the config file's folder.

#include "runtime/file_error.hpp"

#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace tessera::host {

struct FeatureOverride {
    QString name;
    bool enabled = true;
    int line = 0;
};

struct SettingOverride {
    QString name;
    QString value;  // text; checked against the manifest's declared type by the runtime
    int line = 0;
};

/// One enabled plugin.
struct EnabledPlugin {
    QString id;
    std::vector<FeatureOverride> features;
    std::vector<SettingOverride> settings;
    int line = 0;
};

struct Limits {
    std::int64_t maxBodyBytes = 1024 * 1024;
    std::int64_t maxUploadBytes = std::int64_t{1} << 30;  // files uploaded for imports
    int readTimeoutMs = 15000;   // whole request must arrive within this
    int idleTimeoutMs = 60000;   // keep-alive connection closed after this much silence
    int threads = 2;             // HTTP network threads, and as many route handler threads
    int shutdownGraceMs = 5000;  // in-flight requests get this long on SIGTERM
};

/// The store of records' attachments (<files>), <database>.files/ beside the database.
struct FileStoreSettings {
    std::int64_t quota = 0;      // quota="20GB": bytes of all files together; 0: no quota
    std::int64_t unitQuota = 0;  // unit-quota="2GB": bytes of the files of one unit's records; 0: none
    int keepDeletedDays = 30;    // keep-deleted-days: a deleted record's files stay this long (0: until the next sweep)
};

struct Deployment {
    QString file;          // absolute path of the config
    QString name;          // human name of the deployment
    QString databasePath;  // absolute
    QString listenAddress = QStringLiteral("127.0.0.1");
    std::uint16_t port = 8080;
    QString publicUrl;  // where users reach it (<listen public-url>), empty if not said
    Limits limits;
    FileStoreSettings files;
    QStringList pluginDirs;  // absolute; each holds <id>/manifest.xml folders
    std::vector<EnabledPlugin> plugins;

    static Parsed<Deployment> load(const QString& path);
    /// file is fileForMessages made absolute; relative paths are resolved against its folder.
    static Parsed<Deployment> parse(const QByteArray& xml, const QString& fileForMessages);

    const EnabledPlugin* enabled(const QString& id) const;
    /// Whether users reach the deployment over HTTPS (a public-url of https://, typically a
    /// proxy terminating TLS in front of the host): session cookies are then marked Secure.
    bool servedOverHttps() const { return publicUrl.startsWith(QStringLiteral("https://")); }
};

}  // namespace tessera::host
