#pragma once
// A real host for tests: a deployment config in a temporary folder, its SQLite file, the
// plugins from the given folders, and the HTTP server on a free loopback port.

#include "app/host_app.hpp"
#include "http_client.hpp"
#include "test_support.hpp"

#include <QStringList>

#include <memory>
#include <thread>

namespace tessera::test {

/// One <plugin> element of the generated deployment.
struct EnablePlugin {
    QString id;
    QString overridesXml;  // e.g. <feature name="search" enabled="false"/>
};

class RunningHost {
public:
    /// Writes a deployment enabling `plugins` from `pluginDirs` into a temporary folder.
    RunningHost(const QStringList& pluginDirs, const std::vector<EnablePlugin>& plugins, const QString& limitsXml = {});
    /// Runs an existing deployment config (its database stays after the host is gone).
    explicit RunningHost(const QString& configPath);
    ~RunningHost();

    host::HostApp& app() { return *app_; }
    std::uint16_t port() const { return app_->port(); }
    /// A client that sends the administrator's API token (created on first use).
    HttpClient client();
    /// A client that sends no credentials.
    HttpClient anonymousClient() const { return HttpClient(port()); }
    /// Creates a user whose own unit is `unitId` (0: none), optionally granting `role` with
    /// `scope` on that unit (on all units for scope "all"); returns an API token for them.
    QByteArray userToken(const QString& username, const QString& role = {}, const QString& scope = {}, qint64 unitId = 0);
    /// The administrator's API token (user "admin" of the root unit, role admin on all units).
    QByteArray adminToken();
    QString configPath() const { return config_; }
    QString databasePath() const { return app_->deployment().databasePath; }
    /// Stops serving (graceful) and stops the plugins; idempotent.
    void stop();

    static QString deploymentXml(const QStringList& pluginDirs, const std::vector<EnablePlugin>& plugins,
                                 const QString& limitsXml = {});

private:
    void start();
    TempDir dir_;
    QString config_;
    host::Log log_{QStringLiteral("host"), host::LogLevel::Warning};
    std::unique_ptr<host::HostApp> app_;
    std::thread serving_;
    QByteArray adminToken_;
};

/// Polls a job (GET href) until it has ended (succeeded, failed, cancelled, interrupted) and
/// returns it; a test failure when it has not ended within 20 s (a bound, not a timing).
QJsonObject waitForJob(HttpClient& client, const QByteArray& href);

/// What a run of the tessera command line said: its exit code (-1 when it crashed or did not
/// end in time), standard output and standard error.
struct CliResult {
    int exitCode = -1;
    QString out, err;
};
/// Runs the built `tessera` with `args`, `input` on its standard input (a password).
CliResult runTessera(const QStringList& args, const QByteArray& input = {});

/// The folder the build stages real plugins in, and the one with the fixture plugins.
QString builtPluginDir();
QString fixturePluginDir();

}  // namespace tessera::test
