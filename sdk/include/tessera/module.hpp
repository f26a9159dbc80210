#pragma once
// What a plugin implements. Lifecycle, driven by the host in dependency order:
//   factory -> declare(Declarations&) -> start(Context&) ... serve ... -> stop()
// Exceptions must not escape: the host catches them at this boundary and marks the plugin
// failed, but a Status error is the intended way to refuse to start.

#include <tessera/access.hpp>
#include <tessera/api.hpp>
#include <tessera/context.hpp>
#include <tessera/http.hpp>
#include <tessera/records.hpp>
#include <tessera/result.hpp>

#include <QDate>
#include <QJsonArray>
#include <QJsonObject>

#include <functional>
#include <vector>

namespace tessera {

/// Runs when a subscribed event is published (inside the publisher's transaction).
using EventHandler = std::function<Status(const QJsonObject& payload, Context&)>;

/// Says whether records of this plugin still belong to an organisation unit: an empty string
/// when none do, else what does, for people ("3 customers"). The host asks before it deletes
/// a unit; the refusal names the answer only to a caller who may read those records in that
/// unit (see Declarations::unitUsage), and to anyone else says just that records they cannot
/// see still use it, never what or how many.
using UnitUsageHandler = std::function<Result<QString>(qint64 unitId, Context&)>;

/// Something the home page should remind a unit of ("3 members have not paid dues for 6
/// months"). `level` is "info", "warning" or "urgent"; `link` a shell path to act on it.
struct Reminder {
    QString text;
    QString level = QStringLiteral("info");
    QString link;
    QDate due;  // invalid: no due date
};

/// Returns the reminders for one unit (the user's own, never its subordinates) on a date.
/// The host asks only when the user may read the provider's records in that unit (see
/// Declarations::reminders), so a reminder counts the unit's records and nothing else.
/// Thresholds belong in the plugin's settings, not in code.
using ReminderProvider = std::function<Result<std::vector<Reminder>>(qint64 unitId, const QDate& date, Context&)>;

/// What the home page asks a SubtreeReminderProvider about.
struct ReminderRequest {
    qint64 unitId = 0;   // the user's own unit
    QDate date;          // the day the reminders are for
    const Scope& scope;  // where the user may read the provider's records (its read permission)
};

/// Returns the reminders for the user's own unit and the units below it, counting only the
/// records inside `request.scope` (Scope::conditionWithin(column, request.unitId, params)):
/// a committee's officer is reminded of its branches' members, never of ones they may not read.
using SubtreeReminderProvider = std::function<Result<std::vector<Reminder>>(const ReminderRequest& request, Context&)>;

/// Gives the rows of a section this plugin adds to another plugin's card (declared in the
/// manifest as <card-section id="..." card="party.daily/member">): for record `recordId` of
/// that card, limited to what the caller of `request` may see (request.scope is the scope of
/// the section's permission). Each row is an object with the section's column fields.
using CardSectionProvider = std::function<Result<QJsonArray>(qint64 recordId, const Request& request, Context&)>;

/// How often a plugin's scheduled work runs, by the host's clock in local time.
enum class Every { Day, Month };

/// A plugin's scheduled work for one period ("2026-12" for a monthly job, "2026-12-05" for a
/// daily one). The host runs it once per period: at the period's start, or when the host is
/// up again after being down then; each run is recorded (core_scheduled_runs). Returns what it
/// did, for people ("2 members in arrears"), or an Error: the run is tried again an hour later
/// within the period. It runs on the host's scheduler thread, outside any request.
using ScheduledWork = std::function<Result<QString>(const QString& period, Context&)>;

/// A fact a plugin tells about one record (its own or another plugin's card's), for plugins
/// that work without it and so cannot depend on it: party.dues tells a member's 交至年月
/// ("paid-up-to"), which party.transfer's letter states when party.dues runs. Read as the
/// system; null when there is nothing to tell about that record.
using FactProvider = std::function<Result<QJsonValue>(qint64 recordId, Context&)>;

/// How much sample data `tessera demo` asks for.
struct DemoScale {
    qint64 organisations = 50;  // units to create in all
    qint64 people = 1000;       // member-like records in all
    int depth = 5;              // levels of units below the root (province-like: 5)
    quint64 seed = 1;           // the same seed gives the same data
};

/// Fills an empty deployment with realistic sample data under `rootUnitId` (demo
/// deployments, benchmarks). Runs inside one bulk transaction; returns what it made, for
/// people ("50 organisations, 1000 members"), or an Error ("demo.not_empty" when the
/// plugin already has data).
using DemoGenerator = std::function<Result<QString>(const DemoScale& scale, qint64 rootUnitId, Context&)>;

/// What a module offers, recorded by the host before start().
class Declarations {
public:
    virtual ~Declarations() = default;
    /// Adds a route under /api/v1/<plugin-id>/. `pattern` segments in braces are parameters.
    virtual void route(Method method, const QString& pattern, Handler handler,
                       const QString& permission = {}) = 0;
    /// Subscribes to a named event published by this or another plugin.
    virtual void subscribe(const QString& event, EventHandler handler) = 0;
    /// Registers the check that keeps a unit this plugin's records belong to from deletion.
    /// `readPermission` (declared in the manifest) is the one that reads those records: a
    /// refusal shows the check's answer only to a caller whose scope for it holds the unit.
    virtual void unitUsage(const QString& readPermission, UnitUsageHandler handler) = 0;
    /// Registers a provider of home-page reminders about the records `readPermission` (declared
    /// in the manifest) reads: it is asked only for users whose scope for it holds their unit.
    virtual void reminders(const QString& readPermission, ReminderProvider provider) = 0;
    /// Provides the rows of the card section `sectionId` the manifest declares.
    virtual void cardSection(const QString& sectionId, CardSectionProvider provider) = 0;
    /// Registers the plugin's sample data generator (`tessera demo`).
    virtual void demo(DemoGenerator generator) = 0;
    /// Adds the domain rules of a card the host serves (the manifest's <card table="...">
    /// with id `cardId`); declaring hooks for any other card makes the plugin fail to start.
    virtual void records(const QString& cardId, RecordHooks hooks) = 0;
    /// Like reminders(), about the user's unit and the units below it: asked on the same
    /// condition, the provider is given the scope of `readPermission` and counts only inside it.
    /// (Last in the class, so that plugins built before it was added keep working.)
    virtual void subtreeReminders(const QString& readPermission, SubtreeReminderProvider provider) = 0;
    /// Registers work the host runs once a day or once a month (`id`: unique in the plugin).
    /// (After subtreeReminders, for the same reason.)
    virtual void schedule(const QString& id, Every every, ScheduledWork work) = 0;
    /// Tells fact `name` ([a-z][a-z0-9-]*, unique in the plugin) about records, which other
    /// plugins ask for as "<plugin-id>/<name>" (Records::fact). (Last, for the same reason.)
    virtual void fact(const QString& name, FactProvider provider) = 0;
    /// Says that the derive and validate hooks of card `cardId` (records()) use only their
    /// arguments and the context's clock and dictionaries: no database, no Records, no state
    /// of the plugin's own that anything changes. An import may then check its next rows with
    /// them on a thread of its own while it writes the rows before. Say it only when true; a
    /// hook that reads the database must not be declared so. (Last, for the same reason.)
    virtual void pureRules(const QString& cardId) = 0;
};

/// The interface every plugin's main class implements.
class Module {
public:
    virtual ~Module() = default;
    virtual void declare(Declarations& declarations) = 0;
    virtual Status start(Context& context) {
        (void)context;
        return {};
    }
    virtual void stop() {}
};

}  // namespace tessera
