#pragma once
// The plugin lifecycle, in one place:
//   discover manifests -> validate -> resolve -> check API -> load (Boost.DLL) -> migrate
//   -> declare -> start in dependency order ... stop in reverse order.
// A plugin that fails at any step is marked Failed with its reason and its dependents are
// Skipped with theirs; everything else keeps going. Knows nothing about HTTP.

#include "runtime/deployment.hpp"
#include "runtime/log.hpp"
#include "runtime/plugin_spec.hpp"
#include "runtime/schema_migrations.hpp"

#include <tessera/uploads.hpp>
#include <tessera/context.hpp>
#include <tessera/database.hpp>
#include <tessera/http.hpp>
#include <tessera/module.hpp>

#include <functional>
#include <memory>
#include <vector>

namespace tessera::host {

/// A route a started plugin declared, with the context its handler runs in.
struct DeclaredRoute {
    QString pluginId;
    tessera::Route route;
    tessera::Context* context = nullptr;
};

/// A started plugin's check that records still belong to a unit.
struct DeclaredUnitUsage {
    QString pluginId;
    QString readPermission;  // reads the records the check counts
    tessera::UnitUsageHandler handler;
    tessera::Context* context = nullptr;
};

/// A started plugin's provider of home-page reminders.
struct DeclaredReminders {
    QString pluginId;
    QString readPermission;  // reads the records the reminders count
    tessera::SubtreeReminderProvider provider;  // given the scope of readPermission
    tessera::Context* context = nullptr;
};

/// A started plugin's scheduled work.
struct DeclaredSchedule {
    QString pluginId;
    QString id;
    tessera::Every every = tessera::Every::Month;
    tessera::ScheduledWork work;
    tessera::Context* context = nullptr;
};

/// A section a started plugin adds to another plugin's card, with its provider.
struct DeclaredCardSection {
    QString pluginId;
    CardSectionDecl section;
    tessera::CardSectionProvider provider;
    tessera::Context* context = nullptr;
};

/// A started plugin's sample data generator.
struct DeclaredDemo {
    QString pluginId;
    tessera::DemoGenerator generator;
    tessera::Context* context = nullptr;
};

/// A card a started plugin has the host serve (CardDecl::served), with the plugin's context.
struct ServedCard {
    QString pluginId;
    const Manifest* manifest = nullptr;
    const CardDecl* card = nullptr;
    tessera::Context* context = nullptr;
    const tessera::RecordHooks* hooks = nullptr;  // the plugin's domain rules, if it declared any
    bool pureRules = false;                       // its derive and validate hooks are pure (Declarations::pureRules)
};

/// A migration that `migrate --dry-run` would apply.
struct PendingMigration {
    QString pluginId;
    QString file;
};

/// Makes the Jobs a plugin's Context hands out (the host's job runner); without one,
/// starting a job fails with "job.unavailable".
/// The record engine's filters, as plugins reach them through Context::records(); the app
/// sets it once the engine is built (services implement it).
class RecordFilters {
public:
    virtual ~RecordFilters() = default;
    virtual Result<tessera::RecordFilter> filter(const QString& pluginId, const QString& cardId, const tessera::Request& r,
                                                 const QStringList& otherParams, QList<tessera::FieldError>& errors) = 0;
    /// tessera::Records::read and change, for plugin `pluginId` (which must own the card or
    /// depend on its plugin).
    virtual Result<tessera::Record> read(const QString& pluginId, const QString& card, qint64 id) = 0;
    virtual Status change(const QString& pluginId, const QString& card, qint64 id, const tessera::Record& fields) = 0;
    virtual Result<qint64> create(const QString& pluginId, const QString& card, const tessera::Record& fields) = 0;
    /// tessera::Records::userNames.
    virtual Result<QHash<qint64, QString>> userNames(const QList<qint64>& ids) = 0;
    /// tessera::Records::dutyHolders, for plugin `pluginId` (only its own permissions).
    virtual Result<QList<qint64>> dutyHolders(const QString& pluginId, const QString& permission, qint64 unitId, int limit) = 0;
    /// tessera::Records::counts.
    virtual Result<std::vector<tessera::RecordCount>> counts(const QString& pluginId, const QString& cardId, const tessera::Request& r,
                                                             const QString& field, const QStringList& otherParams,
                                                             QList<tessera::FieldError>& errors) = 0;
};

using JobsFactory = std::function<std::unique_ptr<tessera::Jobs>(const QString& pluginId, tessera::Context& context)>;

class Runtime {
public:
    /// Plugins reach `database` through their Context; `migrations` applies the host's and
    /// their schema. `units` is the tree plugins see through their Context, `tables` their
    /// CSV and xlsx files (nullptr: none, every call fails).
    Runtime(const Deployment& deployment, tessera::Database& database, SchemaMigrations& migrations, Log& log,
            const tessera::Clock& clock, JobsFactory jobs = {}, tessera::Units* units = nullptr,
            tessera::Uploads* uploads = nullptr, tessera::TableFiles* tables = nullptr);
    ~Runtime();  // stops what is running
    Runtime(const Runtime&) = delete;
    Runtime& operator=(const Runtime&) = delete;

    /// Discovers, validates and resolves (no library is loaded). Idempotent.
    void resolve();
    /// resolve(), then applies pending migrations of every resolved plugin (no loading).
    /// With dryRun, applies nothing and returns what would be applied.
    std::vector<PendingMigration> migrate(bool dryRun);
    /// resolve(), then loads each resolved plugin's library to check its entry point and API
    /// version, and unloads it again: nothing is migrated or started (config check).
    void inspect();
    /// resolve(), then load, migrate, declare and start each resolved plugin in order.
    void start();
    /// Stops started plugins in reverse start order. Idempotent.
    void stop();

    const std::vector<PluginSpec>& plugins() const { return specs_; }
    const PluginSpec* plugin(const QString& id) const;
    /// Routes of the started plugins.
    std::vector<DeclaredRoute> routes() const;
    /// Unit usage checks of the started plugins.
    std::vector<DeclaredUnitUsage> unitUsageChecks() const;
    /// Reminder providers of the started plugins.
    std::vector<DeclaredReminders> reminderProviders() const;
    /// The scheduled work of every started plugin.
    std::vector<DeclaredSchedule> schedules() const;
    /// Fact "<plugin-id>/<name>" about record `id`, told by that plugin if it is started and
    /// tells it (tessera::Records::fact); nullopt otherwise.
    Result<std::optional<QJsonValue>> fact(const QString& name, qint64 id) const;
    /// The card sections started plugins provide, for the card "<plugin-id>/<card-id>", by order.
    std::vector<DeclaredCardSection> cardSections(const QString& card) const;
    /// The cards the started plugins have the host serve, in start order.
    std::vector<ServedCard> servedCards() const;
    /// Sample data generators of the started plugins, in start order.
    std::vector<DeclaredDemo> demoGenerators() const;
    /// The bus plugins publish on (also usable by the host).
    tessera::Events& events();
    /// What plugins' Context::records() answers with (nullptr: no engine, every call fails).
    void setRecordFilters(RecordFilters* filters) { recordFilters_ = filters; }

    class Loaded;

private:
    void discover();
public:
    /// Applies (or lists) the host's own schema migrations; on failure every plugin fails.
    bool migrateCore(bool dryRun, std::vector<PendingMigration>* pending);

private:
    void checkOverrides(PluginSpec& spec, const EnabledPlugin& enabled);
    bool load(PluginSpec& spec, Loaded& loaded);
    bool migrateOne(PluginSpec& spec);
    bool startOne(PluginSpec& spec, Loaded& loaded);
    void failAndSkipDependents(PluginSpec& spec, const QString& reason);

    const Deployment& deployment_;
    tessera::Database& database_;
    SchemaMigrations& migrations_;
    Log& log_;
    const tessera::Clock& clock_;
    JobsFactory jobsFactory_;
    tessera::Units* units_;
    tessera::Uploads* uploads_;
    tessera::TableFiles* tables_;
    RecordFilters* recordFilters_ = nullptr;
    bool resolved_ = false;
    std::vector<PluginSpec> specs_;
    std::vector<PluginSpec*> order_;
    class Bus;
    std::unique_ptr<Bus> bus_;
    std::vector<std::unique_ptr<Loaded>> started_;  // in start order
};

}  // namespace tessera::host
