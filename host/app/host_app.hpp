#pragma once
// One running deployment: its config, database, plugin runtime and HTTP server, wired
// together. The only place where the runtime (plugins) meets the http layer (routes).

#include "http/router.hpp"
#include "http/server.hpp"
#include "runtime/deployment.hpp"
#include "runtime/log.hpp"
#include "runtime/runtime.hpp"
#include "store/sqlite_store.hpp"

#include <tessera/result.hpp>

#include <memory>

namespace tessera::host {

class HostApp {
public:
    enum class Database { Open, None };
    /// Loads and validates the deployment config and opens its database (no plugin is
    /// loaded yet); with Database::None a throw-away in-memory one (checks that must not
    /// create files). Errors: code "config.invalid" with every problem, or "db.open".
    static Result<std::unique_ptr<HostApp>> open(const QString& configPath, Log& log,
                                                 Database database = Database::Open);
    ~HostApp();

    const Deployment& deployment() const { return deployment_; }
    Runtime& runtime() { return *runtime_; }
    SqliteStore& store() { return *store_; }

    /// Starts the plugins and builds the route table (host routes and plugin routes).
    void startPlugins();
    /// Listens on the deployment's address (portOverride >= 0 replaces its port).
    Status listen(int portOverride = -1);
    std::uint16_t port() const;
    /// Serves until SIGINT/SIGTERM or stop(), then stops plugins in reverse order.
    void serve();
    void stop();

private:
    HostApp(Deployment deployment, std::unique_ptr<SqliteStore> store, Log& log);
    void addHostRoutes();

    Deployment deployment_;
    std::unique_ptr<SqliteStore> store_;
    Log& log_;
    SystemClock clock_;
    std::unique_ptr<Runtime> runtime_;
    http::Router router_;
    std::unique_ptr<http::Server> server_;
};

/// The JSON description of one plugin as GET /api/v1/plugins and `plugins list --json` show it.
QJsonObject describePlugin(const PluginSpec& spec);

}  // namespace tessera::host
