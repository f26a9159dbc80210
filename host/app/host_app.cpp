#include "app/host_app.hpp"

#include <tessera/api.hpp>

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace tessera::host {

namespace {

QJsonObject localized(const LocalizedText& t) {
    return QJsonObject{{QStringLiteral("zh-CN"), t.zhCN}, {QStringLiteral("en"), t.en}};
}

}  // namespace

QJsonObject describePlugin(const PluginSpec& spec) {
    QJsonObject o{{QStringLiteral("id"), spec.id},
                  {QStringLiteral("state"), stateName(spec.state)},
                  {QStringLiteral("enabled"), spec.enabled}};
    if (!spec.reason.isEmpty()) o.insert(QStringLiteral("reason"), spec.reason);
    if (!spec.dir.isEmpty()) o.insert(QStringLiteral("dir"), spec.dir);
    if (const auto& m = spec.manifest) {
        o.insert(QStringLiteral("version"), m->version.toString());
        o.insert(QStringLiteral("sdkApi"), m->sdkApi);
        o.insert(QStringLiteral("name"), localized(m->name));
        QJsonArray deps;
        for (const auto& d : m->dependencies)
            deps.append(QJsonObject{{QStringLiteral("id"), d.id},
                                    {QStringLiteral("version"), d.range.toString()},
                                    {QStringLiteral("optional"), d.optional}});
        o.insert(QStringLiteral("dependencies"), deps);
        QJsonArray features;
        for (const auto& f : m->features)
            features.append(QJsonObject{{QStringLiteral("name"), f.name},
                                        {QStringLiteral("default"), f.enabledByDefault},
                                        {QStringLiteral("label"), localized(f.label)}});
        o.insert(QStringLiteral("features"), features);
        QJsonArray permissions;
        for (const auto& p : m->permissions) permissions.append(p.id);
        o.insert(QStringLiteral("permissions"), permissions);
        QJsonArray menu;
        for (const auto& e : m->menu)
            menu.append(QJsonObject{{QStringLiteral("id"), e.id},
                                    {QStringLiteral("path"), e.path},
                                    {QStringLiteral("order"), e.order},
                                    {QStringLiteral("label"), localized(e.label)}});
        o.insert(QStringLiteral("menu"), menu);
    }
    return o;
}

Result<std::unique_ptr<HostApp>> HostApp::open(const QString& configPath, Log& log, Database database) {
    auto parsed = Deployment::load(configPath);
    if (!parsed.ok()) return Error{QStringLiteral("config.invalid"), parsed.errorText()};
    Deployment d = std::move(*parsed.value);
    if (database == Database::Open) QDir().mkpath(QFileInfo(d.databasePath).absolutePath());
    auto store = SqliteStore::open(database == Database::Open ? d.databasePath : QStringLiteral(":memory:"));
    if (!store) return store.error();
    return std::unique_ptr<HostApp>(new HostApp(std::move(d), std::move(store).value(), log));
}

HostApp::HostApp(Deployment deployment, std::unique_ptr<SqliteStore> store, Log& log)
    : deployment_(std::move(deployment)), store_(std::move(store)), log_(log) {
    runtime_ = std::make_unique<Runtime>(deployment_, *store_, log_, clock_);
}

HostApp::~HostApp() {
    // The server holds handlers from plugin libraries: it goes first, then the plugins.
    server_.reset();
    router_ = http::Router();
    runtime_.reset();
}

void HostApp::addHostRoutes() {
    (void)router_.add(tessera::Method::Get, QStringLiteral("/api/v1/health"), [this](const tessera::Request&) {
        int started = 0, failed = 0;
        for (const auto& s : runtime_->plugins()) {
            if (s.state == PluginState::Started) ++started;
            if (s.state == PluginState::Failed || s.state == PluginState::Skipped) ++failed;
        }
        return tessera::Response::json(QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")},
                                                   {QStringLiteral("version"), QStringLiteral(TESSERA_VERSION)},
                                                   {QStringLiteral("sdkApi"), tessera::kApiVersion},
                                                   {QStringLiteral("deployment"), deployment_.name},
                                                   {QStringLiteral("pluginsStarted"), started},
                                                   {QStringLiteral("pluginsNotRunning"), failed}});
    });
    (void)router_.add(tessera::Method::Get, QStringLiteral("/api/v1/plugins"), [this](const tessera::Request&) {
        QJsonArray list;
        for (const auto& s : runtime_->plugins()) list.append(describePlugin(s));
        return tessera::Response::json(QJsonObject{{QStringLiteral("items"), list}});
    });
    (void)router_.add(tessera::Method::Get, QStringLiteral("/api/v1/plugins/{id}"), [this](const tessera::Request& r) {
        const PluginSpec* s = runtime_->plugin(r.param(QStringLiteral("id")));
        if (!s) return tessera::Response::notFound(QStringLiteral("no plugin '%1' in this deployment").arg(r.param(QStringLiteral("id"))));
        return tessera::Response::json(describePlugin(*s));
    });
}

void HostApp::startPlugins() {
    runtime_->start();
    addHostRoutes();
    for (const auto& declared : runtime_->routes()) {
        const QString full = QStringLiteral("/api/v1/%1/%2").arg(declared.pluginId, declared.route.pattern);
        auto status = router_.add(declared.route.method, full,
                                  [handler = declared.route.handler, context = declared.context](const tessera::Request& r) {
                                      return handler(r, *context);
                                  });
        if (!status) log_.error(QStringLiteral("plugin %1: route not served: %2").arg(declared.pluginId, status.error().message));
    }
}

Status HostApp::listen(int portOverride) {
    http::ServerOptions options;
    options.address = deployment_.listenAddress.toStdString();
    options.port = portOverride >= 0 ? static_cast<std::uint16_t>(portOverride) : deployment_.port;
    options.maxBodyBytes = deployment_.limits.maxBodyBytes;
    options.readTimeout = std::chrono::milliseconds(deployment_.limits.readTimeoutMs);
    options.idleTimeout = std::chrono::milliseconds(deployment_.limits.idleTimeoutMs);
    options.threads = deployment_.limits.threads;
    server_ = std::make_unique<http::Server>(options, router_);
    return server_->listen();
}

std::uint16_t HostApp::port() const { return server_ ? server_->port() : 0; }

void HostApp::serve() {
    server_->stopOnSignals(std::chrono::milliseconds(deployment_.limits.shutdownGraceMs));
    log_.info(QStringLiteral("serving %1 on http://%2:%3/").arg(deployment_.name, deployment_.listenAddress).arg(port()));
    server_->run();
    log_.info(QStringLiteral("shutting down: stopping plugins"));
    runtime_->stop();
}

void HostApp::stop() {
    if (server_) server_->stop(std::chrono::milliseconds(deployment_.limits.shutdownGraceMs));
}

}  // namespace tessera::host
