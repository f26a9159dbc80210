#include "app/host_app.hpp"

#include "runtime/messages.hpp"

#include "app/audit_routes.hpp"
#include "app/job_routes.hpp"
#include "app/record_routes.hpp"
#include "app/report_routes.hpp"
#include "app/upload_routes.hpp"
#include "runtime/feature_switches.hpp"
#include "runtime/storage_error.hpp"
#include "app/auth_routes.hpp"
#include "app/shell_routes.hpp"
#include "app/views_json.hpp"
#include "app/unit_routes.hpp"
#include "app/user_routes.hpp"
#include "identity/access_control.hpp"
#include "http/static_files.hpp"
#include "store/audit_actor.hpp"

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

QJsonObject describePlugin(const PluginSpec& spec, const Deployment* deployment, const QHash<QString, bool>* switches) {
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
        // Per feature: the manifest's default, the config's value, the administrator's switch,
        // what the next start uses (`next`), and what the running plugin has (`enabled`).
        const EnabledPlugin* enabledBy = deployment ? deployment->enabled(spec.id) : nullptr;
        const bool running = spec.state == PluginState::Started;
        QJsonArray features;
        for (const auto& f : m->features) {
            QJsonObject feature{{QStringLiteral("name"), f.name},
                                {QStringLiteral("default"), f.enabledByDefault},
                                {QStringLiteral("label"), localized(f.label)}};
            bool next = f.enabledByDefault;
            QJsonValue configured = QJsonValue::Null;
            if (enabledBy) {
                for (const auto& given : enabledBy->features) {
                    if (given.name != f.name) continue;
                    next = given.enabled;
                    configured = given.enabled;
                }
            }
            QJsonValue adminSwitch = QJsonValue::Null;
            if (switches && switches->contains(f.name)) {
                next = switches->value(f.name);
                adminSwitch = next;
            }
            const bool now = running && spec.features.contains(f.name) ? spec.features.value(f.name) : next;
            feature.insert(QStringLiteral("configured"), configured);
            feature.insert(QStringLiteral("switch"), adminSwitch);
            feature.insert(QStringLiteral("next"), next);
            feature.insert(QStringLiteral("enabled"), now);
            feature.insert(QStringLiteral("restartNeeded"), running && now != next);
            features.append(feature);
        }
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
    // Job outputs (exports) live in one folder beside the database: <database>.jobs/.
    jobs_ = std::make_unique<JobRunner>(*store_, deployment_.databasePath + QStringLiteral(".jobs"), clock_, log_.tagged(QStringLiteral("jobs")));
    scheduler_ = std::make_unique<Scheduler>(*store_, clock_, log_.tagged(QStringLiteral("scheduler")));
    uploads_ = std::make_unique<UploadStore>(*store_, deployment_.databasePath + QStringLiteral(".uploads"), clock_, log_.tagged(QStringLiteral("uploads")));
    // Records' attachments in a folder of their own beside it: <database>.files/.
    attachments_ = std::make_unique<AttachmentStore>(*store_, deployment_.databasePath + QStringLiteral(".files"), deployment_.files, clock_,
                                                     log_.tagged(QStringLiteral("files")));
    units_ = std::make_unique<UnitTree>(*store_, clock_);
    pluginUnits_ = std::make_unique<PluginUnits>(*units_);
    migrations_ = std::make_unique<StoreSchemaMigrations>(*store_);
    runtime_ = std::make_unique<Runtime>(
        deployment_, *store_, *migrations_, log_, clock_,
        [this](const QString& pluginId, tessera::Context& context) { return jobs_->jobsFor(pluginId, context); }, pluginUnits_.get(),
        uploads_.get(), &tables_);
    accounts_ = std::make_unique<Accounts>(*store_, clock_);
    sessions_ = std::make_unique<Sessions>(*store_, clock_);
    audit_ = std::make_unique<AuditLog>(*store_);
    rights_ = std::make_unique<RightsCache>(*store_);
    // Sessions and throttling counters change on every login and request: their story is
    // told by the explicit security events below, not row by row. Secrets never enter the log.
    store_->setUnaudited({QStringLiteral("core_sessions"), QStringLiteral("core_login_attempts"), QStringLiteral("core_api_tokens"),
                          QStringLiteral("core_jobs"), QStringLiteral("core_uploads"), QStringLiteral("core_scheduled_runs"),
                          // The files on disk; what a record holds (core_attachments) is audited.
                          QStringLiteral("core_files"),
                          // A workflow's steps are its own log; the record's change is audited with them.
                          QStringLiteral("core_record_steps"),
                          // Printed copies and their numbers are their own record of who printed what.
                          QStringLiteral("core_document_numbers"), QStringLiteral("core_printed_documents")});
    store_->setRedactedColumns({QStringLiteral("core_users.password_hash")});
    sessions_->onSecurityEvent([this](const QString& action, qint64 userId, const QString& username, const QString& address,
                                      const QString& detail) {
        AuditEvent event;
        event.action = action;
        event.detail = detail;
        event.actor = AuditActor{userId, username, QStringLiteral("core"), address};
        if (auto s = audit_->record(event); !s) log_.error(QStringLiteral("audit: %1").arg(s.error().message));
    });
    // A unit that users still belong to cannot go: say so instead of a bare foreign-key error.
    units_->addUsageCheck(QStringLiteral("core"), kUsersManage, [this](qint64 unitId) -> tessera::Result<QString> {
        auto n = store_->queryOne(QStringLiteral("SELECT count(*) AS n FROM core_users WHERE unit_id = ?1"), {unitId});
        if (!n) return n.error();
        const qint64 users = n->value(QStringLiteral("n")).toLongLong();
        return users ? (users == 1 ? tessera::text("1 user") : tessera::text("%1 users", users)) : QString();
    });
}

bool HostApp::prepareCore() {
    if (!runtime_->migrateCore(false, nullptr)) return false;
    if (auto s = accounts_->ensureBuiltinRoles(); !s) {
        log_.error(QStringLiteral("cannot create the built-in roles: %1").arg(s.error().message));
        return false;
    }
    if (auto root = units_->ensureRoot(deployment_.name.isEmpty() ? QStringLiteral("本单位") : deployment_.name); !root) {
        log_.error(QStringLiteral("cannot create the root unit: %1").arg(root.error().message));
        return false;
    }
    return true;
}

QJsonArray HostApp::permissionCatalog() const {
    QJsonArray list;
    for (const auto& p : hostPermissions())
        list.append(QJsonObject{{QStringLiteral("id"), p.id}, {QStringLiteral("plugin"), QStringLiteral("core")},
                                {QStringLiteral("label"), QJsonObject{{QStringLiteral("zh-CN"), p.zhCN}, {QStringLiteral("en"), p.en}}}});
    for (const auto& spec : runtime_->plugins()) {
        if (spec.state != PluginState::Started || !spec.manifest) continue;
        for (const auto& p : spec.manifest->permissions)
            list.append(QJsonObject{{QStringLiteral("id"), p.id}, {QStringLiteral("plugin"), spec.id},
                                    {QStringLiteral("label"), localized(p.label)}});
    }
    return list;
}

namespace {
bool isUnsafe(tessera::Method m) { return m != tessera::Method::Get; }
tessera::Response featureSwitchStoreError() {
    return tessera::Response::error(500, tessera::text("Internal Server Error"), tessera::text("feature switch store error"));
}
QString bearerToken(const QByteArray& authorization) {
    if (!authorization.startsWith("Bearer ")) return {};
    return QString::fromLatin1(authorization.mid(7).trimmed());
}
}  // namespace

tessera::Response HostApp::guarded(tessera::Request request, const QString& owner, const QString& permission,
                                   const http::BoundHandler& handler) {
    // The caller's language: their own setting once they are known, else Accept-Language.
    Language language = preferredLanguage(request.header(QByteArrayLiteral("accept-language")));
    tessera::Response response = admitted(std::move(request), owner, permission, handler, language);
    // A full disk (Response::storageFailure) is worded here, once, in the caller's language.
    if (response.status == 507 && response.problem && response.body.toObject().value(QStringLiteral("code")).toString() == kDiskFull)
        return diskFullResponse(language);
    // Every message for people in the answer (tessera::text) is said in the caller's language,
    // refusals before the handler included.
    response.body = messages().render(response.body, language);
    return response;
}

tessera::Response HostApp::admitted(tessera::Request request, const QString& owner, const QString& permission,
                                    const http::BoundHandler& handler, Language& language) {
    using tessera::Response;
    const auto identityStoreError = [] {
        return Response::error(500, tessera::text("Internal Server Error"), tessera::text("identity store error"));
    };
    // A read's identity check and the handler's reads share one snapshot, and SQLite's locks
    // are taken once for all of them (a write in the handler ends it first).
    std::optional<SqliteStore::HeldReads> reads;
    if (request.method == tessera::Method::Get) reads.emplace(store_->holdReads());
    // Who is calling: an API token (scripts) or a session cookie (browsers).
    auto stamp = rights_->stamp();
    if (!stamp) return identityStoreError();
    qint64 userId = 0;
    bool viaSession = false;
    QString csrf;
    if (const QString token = bearerToken(request.header(QByteArrayLiteral("authorization"))); !token.isEmpty()) {
        auto user = rights_->tokenUser(token, *stamp, [this](const QString& t) { return sessions_->tokenUser(t); });
        if (!user) return identityStoreError();
        if (!*user)
            return Response::error(401, tessera::text("Unauthorized"), tessera::text("the API token is unknown, expired or revoked"))
                .withHeader("WWW-Authenticate", "Bearer realm=\"tessera\"");
        userId = **user;
    } else if (const QString cookie = sessionCookie(request.header("cookie")); !cookie.isEmpty()) {
        auto session = sessions_->session(cookie);
        if (!session) return identityStoreError();
        if (*session) {
            userId = (*session)->userId;
            csrf = (*session)->csrfToken;
            viaSession = true;
        }
    }
    const bool isPublic = permission == tessera::kPublicRoute;
    if (!userId && !isPublic) {
        return Response::error(401, tessera::text("Unauthorized"),
                               tessera::text("log in first (POST /api/v1/auth/login) or send an API token "
                                             "(Authorization: Bearer ...); a session that expired must log in again"))
            .withHeader("WWW-Authenticate", "Bearer realm=\"tessera\"");
    }
    // A known caller's Access comes with their cached rights, scopes already worked out, and
    // their language setting, which from here on wins over the browser's.
    std::shared_ptr<const CallerAccess> access;
    if (userId) {
        auto rights = rights_->rights(userId, *stamp);
        if (!rights) {
            if (rights.error().code == QStringLiteral("auth.unknown_user"))
                return Response::error(401, tessera::text("Unauthorized"), rights.error().message);
            return identityStoreError();
        }
        access = (*rights)->access;
        if (const auto own = access->language()) language = *own;
    } else {
        access = anonymousAccess(*store_);
    }
    // A cookie is sent by the browser on its own; the CSRF token proves the page sent it.
    // A session without a CSRF token (data not understood) fails closed: nothing matches it.
    if (viaSession && isUnsafe(request.method) && (csrf.isEmpty() || request.header("x-csrf-token") != csrf.toLatin1())) {
        return Response::error(403, tessera::text("Forbidden"),
                               tessera::text("missing or wrong X-CSRF-Token header: send the csrfToken you got at login"));
    }
    if (!isPublic && permission != kAnyUser && !access->can(permission))
        return Response::error(403, tessera::text("Forbidden"), tessera::text("you do not have the permission %1", permission));
    request.access = access.get();
    request.scope = &access->scope(permission);
    // The handler, and the jobs it starts, read the caller's language where they always have.
    request.headers.insert(QByteArrayLiteral("accept-language"), languageName(language).toLatin1());
    // Someone without a login on a public route (a customer's survey link) is "public" in the
    // audit log, not the system.
    AuditActorScope actor(AuditActor{userId, userId ? access->caller().username : QStringLiteral("public"), owner, request.clientAddress});
    CurrentAccessScope caller(*access);
    return handler(std::move(request));
}

void HostApp::addRoute(const QString& owner, tessera::Method method, const QString& pattern, const QString& permission,
                       http::BoundHandler handler) {
    auto status = router_.add(method, pattern, [this, owner, permission, handler = std::move(handler)](tessera::Request r) {
        return guarded(std::move(r), owner, permission, handler);
    });
    if (!status) {
        log_.error(QStringLiteral("%1: route not served: %2").arg(owner, status.error().message));
        return;
    }
    served_.push_back({method, pattern, permission, owner});
}

void HostApp::addFileRoute(const QString& owner, tessera::Method method, const QString& pattern, const QString& permission,
                           http::BoundHandler handler) {
    // The same checks run twice: on the header before a byte is stored, and with the body.
    http::FileBody body{[this, owner, permission](tessera::Request r) {
        return guarded(std::move(r), owner, permission, [](const tessera::Request&) {
            tessera::Response admitted;
            admitted.status = 0;
            return admitted;
        });
    }};
    auto status =
        router_.addFileRoute(method, pattern, std::move(body), [this, owner, permission, handler = std::move(handler)](tessera::Request r) {
            return guarded(std::move(r), owner, permission, handler);
        });
    if (!status) {
        log_.error(QStringLiteral("%1: route not served: %2").arg(owner, status.error().message));
        return;
    }
    served_.push_back({method, pattern, permission, owner});
}

tessera::Response HostApp::describeOne(const QString& pluginId) {
    const PluginSpec* s = runtime_->plugin(pluginId);
    if (!s) return tessera::Response::notFound(tessera::text("no plugin '%1' in this deployment", pluginId));
    auto switches = FeatureSwitches(*store_).of(pluginId);
    if (!switches) return featureSwitchStoreError();
    return tessera::Response::json(describePlugin(*s, &deployment_, &*switches));
}

HostApp::~HostApp() {
    // The server and the unit tree hold handlers from plugin libraries: they let go first,
    // then the plugins are unloaded.
    server_.reset();
    scheduler_->stop();
    jobs_->shutdown();
    for (const auto& owner : usageCheckOwners_) units_->removeUsageChecks(owner);
    router_ = http::Router();
    if (runtime_) runtime_->setRecordFilters(nullptr);
    records_.reset();
    runtime_.reset();
}

void HostApp::addHostRoutes() {
    const QString core = QStringLiteral("core");
    // Health answers at once, on the server's network threads, without the guard (which reads
    // sessions from the database) and without queuing behind busy handlers: a load balancer
    // must hear from a busy server that it is alive. It reads only the plugins' states, which
    // change only while the host starts and stops.
    const QString health = QStringLiteral("/api/v1/health");
    if (auto added = router_.addImmediate(tessera::Method::Get, health, [this](const tessera::Request&) {
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
        added)
        served_.push_back({tessera::Method::Get, health, tessera::kPublicRoute, core});
    else
        log_.error(QStringLiteral("core: route not served: %1").arg(added.error().message));
    addRoute(core, tessera::Method::Get, QStringLiteral("/api/v1/plugins"), kAnyUser, [this](const tessera::Request&) {
        QJsonArray list;
        for (const auto& s : runtime_->plugins()) {
            auto switches = FeatureSwitches(*store_).of(s.id);
            if (!switches) return featureSwitchStoreError();
            list.append(describePlugin(s, &deployment_, &*switches));
        }
        return tessera::Response::json(QJsonObject{{QStringLiteral("items"), list}});
    });
    addRoute(core, tessera::Method::Get, QStringLiteral("/api/v1/plugins/{id}"), kAnyUser, [this](const tessera::Request& r) {
        return describeOne(r.param(QStringLiteral("id")));
    });
    // Feature switches: take effect when the host next starts the plugin (restart).
    auto setSwitch = [this](const tessera::Request& r) {
        const QString id = r.param(QStringLiteral("id")), name = r.param(QStringLiteral("name"));
        const PluginSpec* s = runtime_->plugin(id);
        if (!s || !s->manifest) return tessera::Response::notFound(tessera::text("no plugin '%1' in this deployment", id));
        if (!s->manifest->feature(name)) return tessera::Response::notFound(tessera::text("plugin '%1' has no feature '%2'", id, name));
        FeatureSwitches switches(*store_);
        if (r.method == tessera::Method::Delete) {
            if (auto st = switches.clear(id, name); !st) return featureSwitchStoreError();
            return describeOne(id);
        }
        const QJsonValue enabled = r.body.toObject().value(QStringLiteral("enabled"));
        QList<tessera::FieldError> errors;
        if (!r.body.isObject()) errors.append({QStringLiteral("enabled"), tessera::text("send {\"enabled\": true|false}")});
        else if (!enabled.isBool()) errors.append({QStringLiteral("enabled"), tessera::text("must be true or false")});
        for (const QString& key : r.body.toObject().keys())
            if (key != QLatin1String("enabled")) errors.append({key, tessera::text("unknown field")});
        if (!errors.isEmpty()) return tessera::Response::invalid(errors);
        if (auto st = switches.set(id, name, enabled.toBool(), clock_.now()); !st) return featureSwitchStoreError();
        return describeOne(id);
    };
    addRoute(core, tessera::Method::Put, QStringLiteral("/api/v1/plugins/{id}/features/{name}"), kPluginsManage, setSwitch);
    addRoute(core, tessera::Method::Delete, QStringLiteral("/api/v1/plugins/{id}/features/{name}"), kPluginsManage, setSwitch);
    HostRoutes all = authRoutes(*accounts_, *sessions_, deployment_.servedOverHttps());
    for (auto& r : userRoutes(*accounts_, [this] { return permissionCatalog(); })) all.push_back(std::move(r));
    for (auto& r : unitRoutes(*units_, &log_)) all.push_back(std::move(r));
    for (auto& r : auditRoutes(*audit_)) all.push_back(std::move(r));
    for (auto& r : jobRoutes(*jobs_)) all.push_back(std::move(r));
    for (auto& r : uploadRoutes(*uploads_)) {
        if (isFileRoute(r)) addFileRoute(core, r.method, r.pattern, r.permission, std::move(r.handler));
        else all.push_back(std::move(r));
    }
    for (auto& r : shellRoutes(
             *runtime_, *units_, *store_, clock_, deployment_.name, viewsJson,
             [this](const tessera::Request&r, const QString&key, qint64 id) -> std::optional<bool> {
                 RecordCard* card = records_ ? records_->find(key) : nullptr;
                 if (!card) return std::nullopt;
                 if (!r.access->can(card->card().readPermission)) return false;
                 tessera::Request probe = r;
                 probe.query.clear();
                 probe.pathParams = {{QStringLiteral("id"), QString::number(id)}};
                 probe.scope = &r.access->scope(card->card().readPermission);
                 return card->get(probe).status == 200;
             },
             [this](const tessera::Access&access, qint64 unitId) -> tessera::Result<std::vector<tessera::Reminder>> {
                 if (!records_) return std::vector<tessera::Reminder>{};
                 return records_->reminders(access, unitId);
             }))
        all.push_back(std::move(r));
    // Units a field may name anywhere in the tree (a transfer's destination), for its picker.
    all.push_back({tessera::Method::Get, QStringLiteral("/api/v1/units/lookup"), kAnyUser, [this](const tessera::Request& r) {
                       if (!records_)
                           return tessera::Response::notFound(tessera::text("no card of this deployment names units anywhere in the tree"));
                       return records_->unitLookup(r);
                   }});
    // The to-do list (待办): the records of every workflow waiting for the caller.
    all.push_back(
        {tessera::Method::Get, QStringLiteral("/api/v1/todo"), kAnyUser, [this](const tessera::Request& r) {
             if (!records_)
                 return tessera::Response::json(QJsonObject{{QStringLiteral("items"), QJsonArray()}, {QStringLiteral("total"), 0}});
             return records_->todo(r);
         }});
    for (auto& r : all) addRoute(core, r.method, r.pattern, r.permission, std::move(r.handler));
}

void HostApp::startPlugins() {
    if (clock_.fromFile()) log_.warning(QStringLiteral("the clock is read from TESSERA_TEST_CLOCK_FILE: for tests only, never in production"));
    runtime_->resolve();
    if (prepareCore()) {
        // This process serves the deployment now: jobs an earlier one left unfinished are over.
        if (auto s = jobs_->recover(); !s) log_.error(QStringLiteral("jobs: %1").arg(s.error().message));
        uploads_->sweep();  // uploads past their day go at start too, not only as new ones come
        attachments_->sweep(true);  // and files no record holds, or that a crash left without a row
        runtime_->start();
    }
    addHostRoutes();
    for (const auto& check : runtime_->unitUsageChecks()) {
        units_->addUsageCheck(check.pluginId, check.readPermission, [handler = check.handler, context = check.context](qint64 unitId) {
            return handler(unitId, *context);
        });
        usageCheckOwners_.push_back(check.pluginId);
    }
    // The web shell: TESSERA_WEB_ROOT, else share/tessera/web beside the executable's bin/.
    const QString exeDir = QFileInfo(QFileInfo(QStringLiteral("/proc/self/exe")).canonicalFilePath()).absolutePath();
    auto files = std::make_shared<http::StaticFiles>(
        qEnvironmentVariable("TESSERA_WEB_ROOT", exeDir + QStringLiteral("/../share/tessera/web")));
    if (files->available()) {
        router_.setFallback([files](const tessera::Request& r) { return files->serve(r.path); });
    } else {
        log_.info(QStringLiteral("no web shell in %1 (build it, or set TESSERA_WEB_ROOT): only the API is served").arg(files->root()));
        router_.setFallback([root = files->root()](const tessera::Request&) {
            return tessera::Response::notFound(tessera::text("the web shell is not installed (looked in %1); the API is under /api/v1/", root));
        });
    }
    // The cards the host serves for the plugins, before the plugins' own routes: a plugin
    // route on the same path is refused (and logged), not silently preferred.
    records_ = std::make_unique<RecordCards>();
    for (const QString& problem : records_->build(runtime_->servedCards())) log_.error(QStringLiteral("records: %1").arg(problem));
    runtime_->setRecordFilters(records_.get());
    records_->setFiles(attachments_.get(), uploads_.get());
    records_->setPublicUrl(deployment_.publicUrl);
    records_->setDatabase(store_.get());
    for (auto& r : recordRoutes(*records_)) addRoute(r.pluginId, r.route.method, r.route.pattern, r.route.permission, std::move(r.route.handler));
    // A unit records of a served card belong to stays until they are moved or deleted.
    for (const auto& card : records_->all()) {
        units_->addUsageCheck(card->pluginId(), card->card().readPermission, [c = card.get()](qint64 unitId) { return c->unitUsage(unitId); });
        usageCheckOwners_.push_back(card->pluginId());
    }
    QStringList problems;
    for (auto& r : reportRoutes(*runtime_, tables_, uploads_->incomingDir(), problems))
        addRoute(r.pluginId, r.route.method, r.route.pattern, r.route.permission, std::move(r.route.handler));
    for (const QString& problem : problems) log_.error(problem);
    for (const auto& declared : runtime_->routes()) {
        addRoute(declared.pluginId, declared.route.method,
                 QStringLiteral("/api/v1/%1/%2").arg(declared.pluginId, declared.route.pattern), declared.route.permission,
                 [handler = declared.route.handler, context = declared.context](const tessera::Request& r) {
                     return handler(r, *context);
                 });
    }
}

Status HostApp::listen(int portOverride) {
    http::ServerOptions options;
    options.address = deployment_.listenAddress.toStdString();
    options.port = portOverride >= 0 ? static_cast<std::uint16_t>(portOverride) : deployment_.port;
    options.maxBodyBytes = deployment_.limits.maxBodyBytes;
    options.maxUploadBytes = deployment_.limits.maxUploadBytes;
    options.uploadDir = uploads_->incomingDir().toStdString();
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
    if (runtime_) scheduler_->start(runtime_->schedules());  // work a period missed while down runs now
    server_->run();
    log_.info(QStringLiteral("shutting down: stopping jobs and plugins"));
    scheduler_->stop();
    jobs_->shutdown();
    runtime_->stop();
}

void HostApp::stop() {
    if (server_) server_->stop(std::chrono::milliseconds(deployment_.limits.shutdownGraceMs));
}

}  // namespace tessera::host
