#pragma once
// One running deployment: its config, database, plugin runtime and HTTP server, wired
// together. The only place where the runtime (plugins) meets the http layer (routes).

#include "app/host_route.hpp"
#include "http/router.hpp"
#include "identity/access_control.hpp"
#include "identity/accounts.hpp"
#include "identity/sessions.hpp"
#include "identity/unit_tree.hpp"
#include "http/server.hpp"
#include "runtime/deployment.hpp"
#include "runtime/language.hpp"
#include "runtime/log.hpp"
#include "runtime/runtime.hpp"
#include "services/attachment_store.hpp"
#include "services/jobs.hpp"
#include "services/plugin_units.hpp"
#include "services/records.hpp"
#include "services/scheduler.hpp"
#include "services/table_files.hpp"
#include "services/uploads.hpp"
#include "store/audit_log.hpp"
#include "store/migrations.hpp"
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

    /// Applies the host's schema, creates the built-in role and the root unit (named after
    /// the deployment); false (logged) on failure.
    bool prepareCore();
    /// Starts the plugins and builds the route table (host routes and plugin routes).
    void startPlugins();

    Accounts& accounts() { return *accounts_; }
    Sessions& sessions() { return *sessions_; }
    UnitTree& units() { return *units_; }
    AuditLog& audit() { return *audit_; }
    JobRunner& jobs() { return *jobs_; }
    Scheduler& scheduler() { return *scheduler_; }
    /// The file store of records' attachments (<database>.files/).
    AttachmentStore& attachments() { return *attachments_; }

    /// One route as served, with the permission it needs and who owns it ("core" or a plugin).
    struct ServedRoute {
        tessera::Method method;
        QString pattern;
        QString permission;
        QString owner;
    };
    const std::vector<ServedRoute>& routes() const { return served_; }
    /// Every permission of this deployment (host and started plugins) with its labels.
    QJsonArray permissionCatalog() const;
    /// Listens on the deployment's address (portOverride >= 0 replaces its port).
    Status listen(int portOverride = -1);
    std::uint16_t port() const;
    /// Serves until SIGINT/SIGTERM or stop(), then stops plugins in reverse order.
    void serve();
    void stop();

private:
    HostApp(Deployment deployment, std::unique_ptr<SqliteStore> store, Log& log);
    void addHostRoutes();
    tessera::Response describeOne(const QString& pluginId);
    void addRoute(const QString& owner, tessera::Method method, const QString& pattern, const QString& permission,
                  http::BoundHandler handler);
    /// A route whose body is a file (uploads), checked like addRoute's before the body is read.
    void addFileRoute(const QString& owner, tessera::Method method, const QString& pattern, const QString& permission,
                      http::BoundHandler handler);
    /// Authenticates, checks CSRF and the permission, fills access and scope, sets the audit
    /// actor, then runs `handler`; the answer, refusals included, in the caller's language.
    tessera::Response guarded(tessera::Request request, const QString& owner, const QString& permission, const http::BoundHandler& handler);
    /// guarded()'s checks and the handler's answer, not yet said in a language; `language`
    /// becomes the caller's own setting once they are known.
    tessera::Response admitted(tessera::Request request, const QString& owner, const QString& permission, const http::BoundHandler& handler,
                               Language& language);

    Deployment deployment_;
    std::unique_ptr<SqliteStore> store_;
    Log& log_;
    SystemClock clock_;
    std::unique_ptr<UploadStore> uploads_;
    std::unique_ptr<AttachmentStore> attachments_;
    std::unique_ptr<JobRunner> jobs_;  // before runtime_: jobs end before plugins are unloaded
    std::unique_ptr<Scheduler> scheduler_;  // the plugins' scheduled work, while serving
    std::unique_ptr<UnitTree> units_;  // before runtime_: plugins use it through pluginUnits_
    std::unique_ptr<PluginUnits> pluginUnits_;
    std::unique_ptr<StoreSchemaMigrations> migrations_;  // before runtime_, which applies them
    HostTableFiles tables_;                              // before runtime_: plugins read and write through it
    std::unique_ptr<Runtime> runtime_;
    std::unique_ptr<RecordCards> records_;  // after runtime_: its cards point into the plugins' manifests and contexts
    std::unique_ptr<Accounts> accounts_;
    std::unique_ptr<Sessions> sessions_;
    std::unique_ptr<AuditLog> audit_;
    std::unique_ptr<RightsCache> rights_;
    std::vector<ServedRoute> served_;
    std::vector<QString> usageCheckOwners_;  // plugins whose unit usage checks the tree holds
    http::Router router_;
    std::unique_ptr<http::Server> server_;
};

/// The JSON description of one plugin as GET /api/v1/plugins and `plugins list --json` show it.
/// With `deployment` and the plugin's administrator `switches`, each feature also says what
/// the config and the switch set, what the next start uses and whether that needs a restart.
QJsonObject describePlugin(const PluginSpec& spec, const Deployment* deployment = nullptr,
                           const QHash<QString, bool>* switches = nullptr);

}  // namespace tessera::host
