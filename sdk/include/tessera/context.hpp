#pragma once
// Everything a plugin gets from the host: database, events, settings and feature flags,
// jobs for long operations, logger and clock. One Context per plugin, valid from start() until stop() returns.

#include <tessera/database.hpp>
#include <tessera/jobs.hpp>
#include <tessera/records.hpp>
#include <tessera/table_files.hpp>
#include <tessera/units.hpp>
#include <tessera/uploads.hpp>
#include <tessera/result.hpp>

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QVariant>

namespace tessera {

/// Where a plugin writes its log lines (tagged with the plugin id by the host).
class Logger {
public:
    virtual ~Logger() = default;
    virtual void info(const QString& message) = 0;
    virtual void warning(const QString& message) = 0;
    virtual void error(const QString& message) = 0;
};

/// The current time; tests inject a fixed one.
class Clock {
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const = 0;  // UTC
};

/// Named events between plugins. publish() runs every subscriber synchronously, on the
/// caller's thread and inside the caller's transaction, so they commit or fail together.
class Events {
public:
    virtual ~Events() = default;
    /// Fails with the first subscriber's error; the caller should then roll back.
    virtual Status publish(const QString& name, const QJsonObject& payload) = 0;
};

class Context {
public:
    virtual ~Context() = default;
    virtual QString pluginId() const = 0;
    virtual Database& database() = 0;
    virtual Events& events() = 0;
    /// Starts long operations (imports, exports) in the background with visible progress.
    virtual Jobs& jobs() = 0;
    /// Writes CSV and Excel files (exports).
    virtual TableFiles& tables() = 0;
    /// The organisation-unit tree.
    virtual Units& units() = 0;
    /// A key that sorts names the way Chinese users expect (pinyin order, zh_CN collation,
    /// then other scripts): store it beside the name in a BLOB column and ORDER BY it; keys
    /// compare bytewise, in SQL as in memory. The same text always gives the same key.
    virtual QByteArray sortKey(const QString& text) const = 0;
    virtual Logger& log() = 0;
    virtual const Clock& clock() const = 0;
    /// A setting declared in the manifest: the deployment's override or the declared default,
    /// converted to the declared type (int -> qint64, bool, string). Invalid if undeclared.
    virtual QVariant setting(const QString& name) const = 0;
    /// Whether a feature declared in the manifest is on (deployment override, else default).
    virtual bool feature(const QString& name) const = 0;
    /// The items of a dictionary the manifest declares, code -> zh-CN label (empty when it
    /// declares none by that id): for checking codes and for reading labels on import.
    virtual QHash<QString, QString> dictionary(const QString& id) const = 0;
    /// Files the caller uploaded (POST /api/v1/files), for imports.
    virtual Uploads& uploads() = 0;
    /// The record engine: the filters of this plugin's served cards (docs/records.md).
    virtual Records& records() = 0;
};

}  // namespace tessera
