#pragma once
// tessera::testing, the SDK's test kit (link Tessera::testing): test a plugin as a third
// party builds it, against the installed host. A Host is a real `tessera serve` on a
// temporary database and a free loopback port, with your plugin (and the installed ones it
// needs) enabled, an administrator of every unit, and a clock the test sets. A Client speaks
// HTTP to it with a user's API token. Independent of any test framework: failures throw
// std::runtime_error with what the host said.
//
//   tessera::testing::Host host({.pluginDirs = {PLUGIN_DIR}, .plugins = {"crm.visits"}});
//   auto admin = host.admin();
//   auto reply = admin.send("POST", "/api/v1/crm.visits/visits", QJsonObject{...});

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>

namespace tessera::testing {

namespace detail {
// The installed host: Tessera::testing defines TESSERA_TESTING_HOST for the code that uses it.
#ifdef TESSERA_TESTING_HOST
inline QString installedHost() { return QStringLiteral(TESSERA_TESTING_HOST); }
#else
inline QString installedHost() { return {}; }
#endif
}  // namespace detail

/// One HTTP answer.
struct Reply {
    int status = 0;
    QList<QPair<QByteArray, QByteArray>> headers;  // names in lower case
    QByteArray body;

    QByteArray header(const QByteArray& lowerCaseName) const;
    QJsonObject json() const;
};

/// A connection to the host as one user (keep-alive; reconnects when the host closed it). It
/// sends no Accept-Language unless told to: the host then answers as it answers a browser
/// that names no language, in Chinese (zh-CN), unless the user has a language setting.
class Client {
public:
    Client(std::uint16_t port, QByteArray token);
    ~Client();
    Client(Client&&) noexcept;
    Client& operator=(Client&&) noexcept;

    Reply request(const QByteArray& method, const QByteArray& target, const QByteArray& body = {},
                  const QList<QPair<QByteArray, QByteArray>>& headers = {});
    Reply get(const QByteArray& target) { return request("GET", target); }
    /// Sends `acceptLanguage` as Accept-Language with every request from now on ("en" for
    /// English, "zh-CN"; empty: none, the default); a request's own headers still win.
    void setLanguage(const QByteArray& acceptLanguage);
    /// `json` as the body, with Content-Type application/json.
    Reply send(const QByteArray& method, const QByteArray& target, const QJsonObject& json,
               const QList<QPair<QByteArray, QByteArray>>& headers = {});

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

struct HostOptions {
    QStringList pluginDirs;      // folders holding plugin folders (your build's plugins/); the installed ones are added
    QStringList plugins;         // the plugin ids to enable, dependencies included
    QString pluginXml;           // extra XML inside every <plugin> element, e.g. <setting name="x" value="1"/>
    QDateTime now;               // the host's clock at start; invalid: the current time
    QString deploymentName = QStringLiteral("测试单位");  // the root unit's name
    /// The tessera executable; its installation's plugins (<prefix>/lib/tessera/plugins) are
    /// added to pluginDirs. Default: the installed one (the environment's TESSERA_TESTING_HOST wins).
    QString executable = qEnvironmentVariable("TESSERA_TESTING_HOST", detail::installedHost());
};

/// A running host. Starting takes a second or so; stopping is graceful.
class Host {
public:
    explicit Host(HostOptions options);
    ~Host();
    Host(const Host&) = delete;
    Host& operator=(const Host&) = delete;

    std::uint16_t port() const;
    /// The administrator: every permission on every unit.
    Client admin();
    /// A client with a user's API token.
    Client as(const QByteArray& token);
    /// A new user of unit `unitId` holding `role` ("admin" or a role the test created) on that
    /// unit ("unit") or on it and below ("subtree"); returns their API token.
    QByteArray user(const QString& username, qint64 unitId, const QString& role = QStringLiteral("admin"),
                    const QString& scope = QStringLiteral("subtree"));
    /// The root unit's id, and a new unit under `parentId` (returns its id).
    qint64 rootUnit();
    qint64 addUnit(qint64 parentId, const QString& name);
    /// Moves the host's clock (every plugin's Context::clock() reads it).
    void setNow(const QDateTime& now);
    /// What the host has written to its output so far (for failure messages).
    QString output() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace tessera::testing
