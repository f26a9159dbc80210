#include "runtime/runtime.hpp"

#include "runtime/messages.hpp"

#include "runtime/feature_switches.hpp"
#include "runtime/resolver.hpp"
#include "runtime/sort_key.hpp"

#include <tessera/api.hpp>

#include <boost/dll/shared_library.hpp>

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QStringList>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace tessera::host {

namespace {

// Runtime::fact, for a plugin's Context::records().
using FactLookup = std::function<Result<std::optional<QJsonValue>>(const QString& name, qint64 id)>;

// The context one plugin runs in: its settings and features resolved once at load.
class PluginContext final : public tessera::Context {
public:
    PluginContext(QString id, tessera::Database& database, tessera::Events& events, Log log, const tessera::Clock& clock,
                  tessera::Units* units, tessera::Uploads* uploads, tessera::TableFiles* tables, RecordFilters* const& filters,
                  FactLookup facts)
        : id_(std::move(id)), database_(database), events_(events), log_(std::move(log)), clock_(clock), tables_(tables), units_(units),
          uploads_(uploads), records_(id_, filters, std::move(facts)) {}

    QString pluginId() const override { return id_; }
    tessera::Database& database() override { return database_; }
    tessera::Events& events() override { return events_; }
    tessera::Jobs& jobs() override { return jobs_ ? *jobs_ : noJobs_; }
    tessera::TableFiles& tables() override { return tables_ ? *tables_ : noTables_; }
    tessera::Units& units() override { return units_ ? *units_ : noUnits_; }
    tessera::Uploads& uploads() override { return uploads_ ? *uploads_ : noUploads_; }
    tessera::Records& records() override { return records_; }
    QByteArray sortKey(const QString& text) const override { return zhSortKey(text); }
    tessera::Logger& log() override { return log_; }
    const tessera::Clock& clock() const override { return clock_; }
    QVariant setting(const QString& name) const override { return settings_.value(name); }
    bool feature(const QString& name) const override { return features_.value(name, false); }
    QHash<QString, QString> dictionary(const QString& id) const override { return dictionaries_.value(id); }

    QHash<QString, QVariant> settings_;
    QHash<QString, bool> features_;
    std::unique_ptr<tessera::Jobs> jobs_;
    QHash<QString, QHash<QString, QString>> dictionaries_;  // id -> code -> zh-CN label

private:
    QString id_;
    tessera::Database& database_;
    tessera::Events& events_;
    Log log_;
    const tessera::Clock& clock_;
    tessera::TableFiles* tables_;
    tessera::Units* units_;
    tessera::Uploads* uploads_;

    // The engine's filters for this plugin's cards; the runtime's pointer, set once the engine is built.
    struct BoundRecords final : tessera::Records {
        BoundRecords(const QString& id, RecordFilters* const& filters, FactLookup facts)
            : id_(id), filters_(filters), facts_(std::move(facts)) {}
        Result<tessera::RecordFilter> filter(const QString& cardId, const tessera::Request& r, const QStringList& otherParams,
                                             QList<tessera::FieldError>& errors) override {
            if (!filters_) return Error{QStringLiteral("records.unavailable"), QStringLiteral("this process serves no records")};
            return filters_->filter(id_, cardId, r, otherParams, errors);
        }
        Result<tessera::Record> read(const QString& card, qint64 id) override {
            if (!filters_) return Error{QStringLiteral("records.unavailable"), QStringLiteral("this process serves no records")};
            return filters_->read(id_, card, id);
        }
        Status change(const QString& card, qint64 id, const tessera::Record& fields) override {
            if (!filters_) return Error{QStringLiteral("records.unavailable"), QStringLiteral("this process serves no records")};
            return filters_->change(id_, card, id, fields);
        }
        Result<qint64> create(const QString& card, const tessera::Record& fields) override {
            if (!filters_) return Error{QStringLiteral("records.unavailable"), QStringLiteral("this process serves no records")};
            return filters_->create(id_, card, fields);
        }
        Result<std::optional<QJsonValue>> fact(const QString& name, qint64 id) override { return facts_(name, id); }
        Result<QHash<qint64, QString>> userNames(const QList<qint64>& ids) override {
            if (!filters_) return Error{QStringLiteral("records.unavailable"), QStringLiteral("this process serves no records")};
            return filters_->userNames(ids);
        }
        Result<QList<qint64>> dutyHolders(const QString& permission, qint64 unitId, int limit) override {
            if (!filters_) return Error{QStringLiteral("records.unavailable"), QStringLiteral("this process serves no records")};
            return filters_->dutyHolders(id_, permission, unitId, limit);
        }
        Result<std::vector<tessera::RecordCount>> counts(const QString& cardId, const tessera::Request& r, const QString& field,
                                                         const QStringList& otherParams, QList<tessera::FieldError>& errors) override {
            if (!filters_) return Error{QStringLiteral("records.unavailable"), QStringLiteral("this process serves no records")};
            return filters_->counts(id_, cardId, r, field, otherParams, errors);
        }
        const QString& id_;
        RecordFilters* const& filters_;
        FactLookup facts_;
    } records_;

    // Where no upload store is given (CLI commands, tests of the runtime alone).
    struct NoUploads final : tessera::Uploads {
        Result<tessera::UploadedFile> find(const tessera::Request&, const QString& id) override {
            return Error{QStringLiteral("upload.not_found"), QStringLiteral("no upload '%1': this process takes no uploads").arg(id)};
        }
    } noUploads_;

    // Where no table files are given (tests of the runtime alone): every call fails.
    struct NoTables final : tessera::TableFiles {
        static Error none() { return Error{QStringLiteral("table.unavailable"), QStringLiteral("this process reads and writes no tables")}; }
        Result<std::unique_ptr<tessera::TableWriter>> create(const QString&, tessera::TableFormat, const QString&) override { return none(); }
        Result<std::unique_ptr<tessera::TableReader>> open(const QString&, tessera::TableFormat, const tessera::HeaderTest&) override { return none(); }
    } noTables_;

    // Where no unit tree is given (tests of the runtime alone): every call fails.
    struct NoUnits final : tessera::Units {
        static Error none() { return Error{QStringLiteral("unit.unavailable"), QStringLiteral("this process has no unit tree")}; }
        Result<tessera::UnitInfo> get(qint64) override { return none(); }
        Result<tessera::UnitInfo> create(qint64, const QString&, const QString&) override { return none(); }
        Result<tessera::UnitInfo> rename(qint64, const QString&, const QString&) override { return none(); }
        Result<tessera::UnitInfo> move(qint64, qint64) override { return none(); }
        Status remove(qint64) override { return none(); }
        Result<QStringList> pathNames(qint64) override { return none(); }
    } noUnits_;

    // Where no job runner serves (CLI commands that do not serve): every start fails.
    struct NoJobs final : tessera::Jobs {
        Result<QString> start(const tessera::Request&, const QString&, const QString&, tessera::JobWork) override {
            return Error{QStringLiteral("job.unavailable"), QStringLiteral("this process runs no jobs")};
        }
    } noJobs_;
};


}  // namespace

// The event bus: subscribers are recorded at declare time and become live when their plugin
// has started; publish() runs them in order on the caller's thread.
class Runtime::Bus final : public tessera::Events {
public:
    struct Subscriber {
        QString pluginId;
        tessera::EventHandler handler;
        tessera::Context* context;
    };

    Status publish(const QString& name, const QJsonObject& payload) override {
        auto it = subscribers.find(name);
        if (it == subscribers.end()) return {};
        for (const auto& sub : it->second) {
            try {
                if (auto s = sub.handler(payload, *sub.context); !s) return s;
            } catch (...) {
                return Error{QStringLiteral("event.handler"),
                             QStringLiteral("%1's handler of %2 threw: %3").arg(sub.pluginId, name, describeException(std::current_exception()))};
            }
        }
        return {};
    }

    std::map<QString, std::vector<Subscriber>> subscribers;
};

// A loaded plugin. Members are destroyed in reverse order, so everything made from the
// library's code (routes, handlers, the module) goes before the library is unloaded.
class Runtime::Loaded final : public tessera::Declarations {
public:
    explicit Loaded(PluginSpec& s) : spec(s) {}
    ~Loaded() override {
        routes.clear();
        subscriptions.clear();
        unitUsageChecks.clear();
        reminderProviders.clear();
        schedules.clear();
        demoGenerators.clear();
        sectionProviders.clear();
        facts.clear();
        recordHooks.clear();
        module.reset();
    }

    void route(tessera::Method method, const QString& pattern, tessera::Handler handler,
               const QString& permission) override {
        if (pattern.startsWith(QLatin1Char('/')) || pattern.contains(QLatin1Char('?'))) {
            declareErrors << QStringLiteral("route pattern '%1' must be relative to /api/v1/%2/ and have no query")
                                 .arg(pattern, spec.id);
            return;
        }
        if (permission.isEmpty()) {
            declareErrors << QStringLiteral("route %1 %2 declares no permission (use one from the manifest, or "
                                            "tessera::kPublicRoute)").arg(methodName(method), pattern);
            return;
        }
        if (permission != tessera::kPublicRoute &&
            std::none_of(spec.manifest->permissions.begin(), spec.manifest->permissions.end(),
                         [&](const PermissionDecl& p) { return p.id == permission; })) {
            declareErrors << QStringLiteral("route %1 %2 needs permission '%3', which the manifest does not declare")
                                 .arg(methodName(method), pattern, permission);
            return;
        }
        for (const auto& r : routes) {
            if (r.method == method && r.pattern == pattern) {
                declareErrors << QStringLiteral("route %1 %2 declared twice").arg(methodName(method), pattern);
                return;
            }
        }
        routes.push_back(tessera::Route{method, pattern, std::move(handler), permission});
    }

    void subscribe(const QString& event, tessera::EventHandler handler) override {
        subscriptions.emplace_back(event, std::move(handler));
    }

    void unitUsage(const QString& readPermission, tessera::UnitUsageHandler handler) override {
        if (declaresPermission(readPermission, QStringLiteral("unit usage check")))
            unitUsageChecks.push_back({readPermission, std::move(handler)});
    }
    // A provider of the user's own unit alone is asked like one of the unit and below that
    // looks at neither the units below nor the scope.
    void reminders(const QString& readPermission, tessera::ReminderProvider provider) override {
        subtreeReminders(readPermission, [provider = std::move(provider)](const tessera::ReminderRequest& r, tessera::Context& ctx) {
            return provider(r.unitId, r.date, ctx);
        });
    }
    void subtreeReminders(const QString& readPermission, tessera::SubtreeReminderProvider provider) override {
        if (declaresPermission(readPermission, QStringLiteral("reminder provider")))
            reminderProviders.push_back({readPermission, std::move(provider)});
    }
    void schedule(const QString& id, tessera::Every every, tessera::ScheduledWork work) override {
        static const QRegularExpression name(QStringLiteral("^[a-z][a-z0-9-]*$"));
        if (!name.match(id).hasMatch()) {
            declareErrors << QStringLiteral("scheduled work '%1': an id is lower-case letters, digits and '-'").arg(id);
            return;
        }
        if (std::any_of(schedules.begin(), schedules.end(), [&](const auto& s) { return std::get<0>(s) == id; })) {
            declareErrors << QStringLiteral("scheduled work '%1' declared twice").arg(id);
            return;
        }
        schedules.emplace_back(id, every, std::move(work));
    }
    void fact(const QString& name, tessera::FactProvider provider) override {
        static const QRegularExpression valid(QStringLiteral("^[a-z][a-z0-9-]*$"));
        if (!valid.match(name).hasMatch()) {
            declareErrors << QStringLiteral("fact '%1': a name is lower-case letters, digits and '-'").arg(name);
            return;
        }
        if (facts.count(name)) {
            declareErrors << QStringLiteral("fact '%1' declared twice").arg(name);
            return;
        }
        facts[name] = std::move(provider);
    }
    void demo(tessera::DemoGenerator generator) override { demoGenerators.push_back(std::move(generator)); }
    void cardSection(const QString& sectionId, tessera::CardSectionProvider provider) override {
        const auto& declared = spec.manifest->cardSections;
        if (std::none_of(declared.begin(), declared.end(), [&](const CardSectionDecl& d) { return d.id == sectionId; })) {
            declareErrors << QStringLiteral("card section '%1' is not declared in the manifest (<card-section id=\"%1\" ...>)").arg(sectionId);
            return;
        }
        sectionProviders[sectionId] = std::move(provider);
    }

    void records(const QString& cardId, tessera::RecordHooks hooks) override {
        const CardDecl* card = spec.manifest->card(cardId);
        if (!card || !card->served()) {
            declareErrors << QStringLiteral("record hooks for card '%1', which the manifest does not declare with a table (<card id=\"%1\" table=\"...\">)")
                                 .arg(cardId);
            return;
        }
        if (recordHooks.contains(cardId)) {
            declareErrors << QStringLiteral("record hooks for card '%1' declared twice").arg(cardId);
            return;
        }
        recordHooks.insert(cardId, std::move(hooks));
    }

    void pureRules(const QString& cardId) override {
        const CardDecl* card = spec.manifest->card(cardId);
        if (!card || !card->served()) {
            declareErrors
                << QStringLiteral(
                       "pure rules for card '%1', which the manifest does not declare with a table (<card id=\"%1\" table=\"...\">)")
                       .arg(cardId);
            return;
        }
        pureCards.insert(cardId);
    }

    // Whether the manifest declares `permission`, which scopes what `what` shows; else a
    // declaration error: an unscoped reminder or refusal would show records to anyone.
    bool declaresPermission(const QString& permission, const QString& what) {
        if (std::any_of(spec.manifest->permissions.begin(), spec.manifest->permissions.end(),
                        [&](const PermissionDecl& p) { return p.id == permission; }))
            return true;
        declareErrors << QStringLiteral("%1 reads with permission '%2', which the manifest does not declare").arg(what, permission);
        return false;
    }

    PluginSpec& spec;
    boost::dll::shared_library library;
    std::unique_ptr<PluginContext> context;
    std::unique_ptr<tessera::Module> module;
    std::vector<tessera::Route> routes;
    std::vector<std::pair<QString, tessera::EventHandler>> subscriptions;
    std::vector<std::pair<QString, tessera::UnitUsageHandler>> unitUsageChecks;    // (read permission, check)
    std::vector<std::pair<QString, tessera::SubtreeReminderProvider>> reminderProviders;  // (read permission, provider)
    std::vector<std::tuple<QString, tessera::Every, tessera::ScheduledWork>> schedules;   // (id, every, work)
    std::vector<tessera::DemoGenerator> demoGenerators;
    std::map<QString, tessera::CardSectionProvider> sectionProviders;
    QSet<QString> pureCards;  // cards whose derive and validate hooks are pure (pureRules)
    std::map<QString, tessera::FactProvider> facts;
    QHash<QString, tessera::RecordHooks> recordHooks;  // card id -> its domain rules
    QStringList declareErrors;
};

Runtime::Runtime(const Deployment& deployment, tessera::Database& database, SchemaMigrations& migrations, Log& log,
                 const tessera::Clock& clock, JobsFactory jobs, tessera::Units* units, tessera::Uploads* uploads,
                 tessera::TableFiles* tables)
    : deployment_(deployment), database_(database), migrations_(migrations), log_(log), clock_(clock), jobsFactory_(std::move(jobs)),
      units_(units), uploads_(uploads), tables_(tables), bus_(std::make_unique<Bus>()) {}

Runtime::~Runtime() {
    stop();
    // Unload in reverse start order, after every plugin has stopped.
    while (!started_.empty()) started_.pop_back();
}

const PluginSpec* Runtime::plugin(const QString& id) const {
    for (const auto& s : specs_)
        if (s.id == id) return &s;
    return nullptr;
}

tessera::Events& Runtime::events() { return *bus_; }

void Runtime::discover() {
    for (const QString& dirPath : deployment_.pluginDirs) {
        QDir dir(dirPath);
        if (!dir.exists()) {
            log_.warning(QStringLiteral("plugin folder %1 does not exist (named in %2)").arg(dirPath, deployment_.file));
            continue;
        }
        for (const QString& name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            const QString manifestPath = dir.filePath(name + QStringLiteral("/manifest.xml"));
            if (!QFileInfo::exists(manifestPath)) continue;
            PluginSpec spec;
            spec.dir = QFileInfo(dir.filePath(name)).absoluteFilePath();
            auto parsed = Manifest::load(manifestPath);
            if (parsed.ok()) {
                spec.id = parsed.value->id;
                spec.manifest = std::move(parsed.value);
            } else {
                spec.id = name;  // the best name we have for a manifest we cannot read
                spec.fail(QStringLiteral("invalid manifest: %1").arg(parsed.errorText()));
            }
            specs_.push_back(std::move(spec));
        }
    }

    for (const auto& enabled : deployment_.plugins) {
        bool found = false;
        for (auto& spec : specs_) {
            if (spec.id != enabled.id) continue;
            found = true;
            spec.enabled = true;
            spec.configLine = enabled.line;
            if (spec.state == PluginState::Disabled) spec.state = PluginState::Pending;
            if (spec.usable()) checkOverrides(spec, enabled);
        }
        if (!found) {
            PluginSpec missing;
            missing.id = enabled.id;
            missing.enabled = true;
            missing.configLine = enabled.line;
            missing.fail(QStringLiteral("%1:%2: enabled, but no %3/manifest.xml in the plugin folders (%4)")
                             .arg(deployment_.file)
                             .arg(enabled.line)
                             .arg(enabled.id, deployment_.pluginDirs.join(QStringLiteral(", "))));
            specs_.push_back(std::move(missing));
        }
    }
}

void Runtime::checkOverrides(PluginSpec& spec, const EnabledPlugin& enabled) {
    const Manifest& m = *spec.manifest;
    QStringList problems;
    for (const auto& f : enabled.features) {
        if (!m.feature(f.name)) {
            QStringList declared;
            for (const auto& d : m.features) declared << d.name;
            problems << QStringLiteral("%1:%2: %3 has no feature '%4' (it declares: %5)")
                            .arg(deployment_.file)
                            .arg(f.line)
                            .arg(m.id, f.name, declared.isEmpty() ? QStringLiteral("none") : declared.join(QStringLiteral(", ")));
        }
    }
    for (const auto& s : enabled.settings) {
        const SettingDecl* decl = m.setting(s.name);
        if (!decl) {
            problems << QStringLiteral("%1:%2: %3 has no setting '%4'").arg(deployment_.file).arg(s.line).arg(m.id, s.name);
        } else if (!decl->convert(s.value)) {
            problems << QStringLiteral("%1:%2: setting '%3' of %4 needs a %5, not '%6'")
                            .arg(deployment_.file)
                            .arg(s.line)
                            .arg(s.name, m.id,
                                 decl->type == SettingType::Int      ? QStringLiteral("whole number")
                                 : decl->type == SettingType::Number ? QStringLiteral("number")
                                 : decl->type == SettingType::Bool   ? QStringLiteral("true or false")
                                                                     : QStringLiteral("text"),
                                 s.value);
        }
    }
    if (!problems.isEmpty()) spec.fail(problems.join(QStringLiteral("; ")));
}

void Runtime::resolve() {
    if (resolved_) return;
    resolved_ = true;
    discover();
    order_ = Resolver(tessera::kApiVersion).resolve(specs_);
    for (const auto& s : specs_) {
        if (s.state == PluginState::Failed || s.state == PluginState::Skipped)
            log_.warning(QStringLiteral("plugin %1 %2: %3").arg(s.id, stateName(s.state), s.reason));
    }
}

bool Runtime::migrateCore(bool dryRun, std::vector<PendingMigration>* pending) {
    auto todo = migrations_.pendingCore();
    if (todo && pending)
        for (const auto& path : *todo) pending->push_back({kCoreMigrationOwner, path});
    Status s = todo ? Status() : Status(todo.error());
    if (todo && !dryRun) s = migrations_.applyCore();
    if (s) return true;
    // Without the host's own tables nothing can run safely.
    log_.error(QStringLiteral("host schema: %1").arg(s.error().message));
    for (auto& spec : specs_)
        if (spec.enabled && spec.usable()) spec.fail(QStringLiteral("the host's schema could not be migrated: %1").arg(s.error().message));
    return false;
}

std::vector<PendingMigration> Runtime::migrate(bool dryRun) {
    resolve();
    std::vector<PendingMigration> result;
    if (!migrateCore(dryRun, &result)) return result;
    for (PluginSpec* spec : order_) {
        if (!spec->usable()) continue;
        const QString dir = spec->dir + QStringLiteral("/migrations");
        auto pending = migrations_.pending(spec->id, dir);
        if (!pending) {
            failAndSkipDependents(*spec, pending.error().message);
            continue;
        }
        for (const auto& path : *pending) result.push_back({spec->id, path});
        if (!dryRun && !migrateOne(*spec)) continue;
    }
    return result;
}

void Runtime::failAndSkipDependents(PluginSpec& spec, const QString& reason) {
    spec.fail(reason);
    log_.error(QStringLiteral("plugin %1 failed: %2").arg(spec.id, reason));
    Resolver::skipDependentsOf(spec, specs_);
}

bool Runtime::migrateOne(PluginSpec& spec) {
    auto applied =
        migrations_.apply(spec.id, spec.manifest->version.toString(), spec.dir + QStringLiteral("/migrations"), spec.manifest->cards);
    if (!applied) {
        failAndSkipDependents(spec, applied.error().message);
        return false;
    }
    if (*applied > 0) log_.info(QStringLiteral("plugin %1: applied %2 migration(s)").arg(spec.id).arg(*applied));
    auto cards = migrations_.applyCards(spec.manifest->cards);
    if (!cards) {
        failAndSkipDependents(spec, cards.error().message);
        return false;
    }
    for (const QString& change : *cards) log_.info(QStringLiteral("plugin %1: %2").arg(spec.id, change));
    return true;
}

bool Runtime::load(PluginSpec& spec, Loaded& loaded) {
    const Manifest& m = *spec.manifest;
    const QString path = m.libraryPath();
    if (!QFileInfo::exists(path)) {
        failAndSkipDependents(spec, QStringLiteral("library file not found: %1").arg(path));
        return false;
    }
    try {
        loaded.library.load(boost::dll::fs::path(path.toStdString()), boost::dll::load_mode::rtld_now);
    } catch (...) {
        failAndSkipDependents(spec, QStringLiteral("cannot load %1: %2").arg(path, describeException(std::current_exception())));
        return false;
    }
    // The API version is checked before any of the plugin's code runs.
    if (!loaded.library.has("tessera_sdk_api") || !loaded.library.has("tessera_create_module")) {
        failAndSkipDependents(spec, QStringLiteral("%1 does not export tessera_create_module and tessera_sdk_api: "
                                                   "was it built with TESSERA_MODULE(...)?")
                                        .arg(path));
        return false;
    }
    const int api = loaded.library.get_alias<const int>("tessera_sdk_api");
    if (api != tessera::kApiVersion) {
        failAndSkipDependents(spec, QStringLiteral("built for SDK API %1, host provides %2").arg(api).arg(tessera::kApiVersion));
        return false;
    }
    try {
        auto& create = loaded.library.get_alias<tessera::Module*()>("tessera_create_module");
        loaded.module.reset(create());
    } catch (...) {
        failAndSkipDependents(spec, QStringLiteral("creating the module threw: %1").arg(describeException(std::current_exception())));
        return false;
    }
    if (!loaded.module) {
        failAndSkipDependents(spec, QStringLiteral("the factory returned no module"));
        return false;
    }
    return true;
}

bool Runtime::startOne(PluginSpec& spec, Loaded& loaded) {
    const Manifest& m = *spec.manifest;
    loaded.context = std::make_unique<PluginContext>(spec.id, database_, *bus_, log_.tagged(spec.id), clock_, units_, uploads_, tables_, recordFilters_,
                                                   [this](const QString& name, qint64 id) { return fact(name, id); });
    if (jobsFactory_) loaded.context->jobs_ = jobsFactory_(spec.id, *loaded.context);
    const EnabledPlugin* enabled = deployment_.enabled(spec.id);
    for (const auto& f : m.features) loaded.context->features_[f.name] = f.enabledByDefault;
    for (const auto& s : m.settings) loaded.context->settings_[s.name] = s.defaultValue;
    for (const auto& d : m.dictionaries) {
        auto& items = loaded.context->dictionaries_[d.id];
        for (const auto& item : d.items) items.insert(item.code, item.label.zhCN);
    }
    if (enabled) {
        for (const auto& f : enabled->features) loaded.context->features_[f.name] = f.enabled;
        for (const auto& s : enabled->settings)
            if (const auto* decl = m.setting(s.name)) loaded.context->settings_[s.name] = decl->convert(s.value).value_or(QVariant());
    }
    // An administrator's switches win over the config (see feature_switches.hpp).
    if (auto switches = FeatureSwitches(database_).of(spec.id); switches) {
        for (auto it = switches->begin(); it != switches->end(); ++it)
            if (m.feature(it.key())) loaded.context->features_[it.key()] = it.value();
    } else {
        log_.warning(QStringLiteral("%1: feature switches not read, the config applies: %2").arg(spec.id, switches.error().message));
    }
    spec.features = loaded.context->features_;
    // Its messages in Chinese, beside the manifest (tessera/text.hpp).
    if (const QString catalogue = m.dir + QStringLiteral("/messages/zh-CN.tsv"); QFileInfo::exists(catalogue)) {
        if (auto loadedMessages = messages().load(catalogue, Language::ZhCN); !loadedMessages) {
            failAndSkipDependents(spec, loadedMessages.error().message);
            return false;
        }
    }

    try {
        loaded.module->declare(loaded);
    } catch (...) {
        failAndSkipDependents(spec, QStringLiteral("declare threw: %1").arg(describeException(std::current_exception())));
        return false;
    }
    if (!loaded.declareErrors.isEmpty()) {
        failAndSkipDependents(spec, loaded.declareErrors.join(QStringLiteral("; ")));
        return false;
    }

    try {
        if (auto s = loaded.module->start(*loaded.context); !s) {
            failAndSkipDependents(spec, QStringLiteral("start failed: %1").arg(s.error().message));
            return false;
        }
    } catch (...) {
        failAndSkipDependents(spec, QStringLiteral("start threw: %1").arg(describeException(std::current_exception())));
        return false;
    }
    for (auto& [event, handler] : loaded.subscriptions)
        bus_->subscribers[event].push_back({spec.id, handler, loaded.context.get()});
    spec.state = PluginState::Started;
    spec.reason.clear();
    log_.info(QStringLiteral("plugin %1 %2 started").arg(spec.id, m.version.toString()));
    return true;
}

void Runtime::inspect() {
    resolve();
    for (PluginSpec* spec : order_) {
        if (!spec->usable()) continue;
        Loaded loaded(*spec);
        (void)load(*spec, loaded);
    }
}

void Runtime::start() {
    resolve();
    if (!migrateCore(false, nullptr)) return;
    for (PluginSpec* spec : order_) {
        if (!spec->usable()) continue;  // skipped because something it needs failed earlier
        auto loaded = std::make_unique<Loaded>(*spec);
        if (!load(*spec, *loaded)) continue;
        if (!migrateOne(*spec)) continue;
        if (!startOne(*spec, *loaded)) continue;
        started_.push_back(std::move(loaded));
    }
}

void Runtime::stop() {
    for (auto it = started_.rbegin(); it != started_.rend(); ++it) {
        Loaded& l = **it;
        if (l.spec.state != PluginState::Started) continue;
        try {
            l.module->stop();
        } catch (...) {
            log_.error(QStringLiteral("plugin %1: stop threw: %2").arg(l.spec.id, describeException(std::current_exception())));
        }
        l.spec.state = PluginState::Stopped;
    }
    bus_->subscribers.clear();
}

std::vector<DeclaredUnitUsage> Runtime::unitUsageChecks() const {
    std::vector<DeclaredUnitUsage> out;
    for (const auto& l : started_) {
        if (l->spec.state != PluginState::Started) continue;
        for (const auto& [permission, h] : l->unitUsageChecks) out.push_back({l->spec.id, permission, h, l->context.get()});
    }
    return out;
}

std::vector<DeclaredCardSection> Runtime::cardSections(const QString& card) const {
    std::vector<DeclaredCardSection> out;
    for (const auto& l : started_) {
        for (const auto& decl : l->spec.manifest->cardSections) {
            auto it = l->sectionProviders.find(decl.id);
            if (decl.card == card && it != l->sectionProviders.end()) out.push_back({l->spec.id, decl, it->second, l->context.get()});
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const DeclaredCardSection& a, const DeclaredCardSection& b) { return a.section.order < b.section.order; });
    return out;
}

std::vector<ServedCard> Runtime::servedCards() const {
    std::vector<ServedCard> out;
    for (const auto& l : started_) {
        if (l->spec.state != PluginState::Started) continue;
        for (const auto& card : l->spec.manifest->cards)
            if (card.served()) {
                const auto hooks = l->recordHooks.constFind(card.id);
                out.push_back({l->spec.id, &*l->spec.manifest, &card, l->context.get(),
                               hooks == l->recordHooks.constEnd() ? nullptr : &*hooks, l->pureCards.contains(card.id)});
            }
    }
    return out;
}

std::vector<DeclaredDemo> Runtime::demoGenerators() const {
    std::vector<DeclaredDemo> out;
    for (const auto& l : started_)
        for (const auto& g : l->demoGenerators) out.push_back({l->spec.id, g, l->context.get()});
    return out;
}

Result<std::optional<QJsonValue>> Runtime::fact(const QString& name, qint64 id) const {
    const qsizetype slash = name.indexOf(u'/');
    const QString plugin = name.left(slash), fact = name.mid(slash + 1);
    for (const auto& l : started_) {
        if (l->spec.id != plugin || l->spec.state != PluginState::Started) continue;
        const auto provider = l->facts.find(fact);
        if (slash < 0 || provider == l->facts.end()) break;
        auto told = provider->second(id, *l->context);
        if (!told) return told.error();
        return std::optional<QJsonValue>(*told);
    }
    return std::optional<QJsonValue>();
}

std::vector<DeclaredSchedule> Runtime::schedules() const {
    std::vector<DeclaredSchedule> out;
    for (const auto& l : started_) {
        if (l->spec.state != PluginState::Started) continue;
        for (const auto& [id, every, work] : l->schedules) out.push_back({l->spec.id, id, every, work, l->context.get()});
    }
    return out;
}

std::vector<DeclaredReminders> Runtime::reminderProviders() const {
    std::vector<DeclaredReminders> out;
    for (const auto& l : started_) {
        if (l->spec.state != PluginState::Started) continue;
        for (const auto& [permission, p] : l->reminderProviders) out.push_back({l->spec.id, permission, p, l->context.get()});
    }
    return out;
}

std::vector<DeclaredRoute> Runtime::routes() const {
    std::vector<DeclaredRoute> out;
    for (const auto& l : started_) {
        if (l->spec.state != PluginState::Started) continue;
        for (const auto& r : l->routes) out.push_back({l->spec.id, r, l->context.get()});
    }
    return out;
}

}  // namespace tessera::host
