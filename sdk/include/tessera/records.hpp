#pragma once
// The domain rules of a card the host serves (docs/records.md). The card's fields, their
// kinds and constraints are declared in the manifest, and the host enforces them; a plugin
// adds only what is its own, as hooks the host calls at fixed points:
//
//   POST/PUT/import row -> derive -> the card's constraints -> validate -> write ->
//   afterSave (same transaction) ;  DELETE -> refuseDelete -> delete ;
//   POST .../{id}/steps/{step} -> the step's rules -> guard -> write -> afterStep
//
// A record here is the API's JSON of it: field name -> value ("unitId": 7, "fee": "12.30").

#include <tessera/database.hpp>
#include <tessera/http.hpp>
#include <tessera/result.hpp>

#include <QJsonObject>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace tessera {

class Context;

/// A record as the API shows it: field name -> JSON value.
using Record = QJsonObject;

struct RecordHooks {
    /// Fills the read-only (derived) fields of a draft from the others before it is checked:
    /// birth date and gender from an ID number. `draft` holds what the client sent (without
    /// read-only fields) over the stored record; `stored` is nullptr for a new record.
    std::function<void(Record& draft, const Record* stored, Context&)> derive;
    /// The domain rules beyond the card's constraints, given the checked draft (values as the
    /// API shows them) and the stored record: one FieldError per bad field, on that field.
    std::function<QList<FieldError>(const Record& draft, const Record* stored, const Request&, Context&)> validate;
    /// After a record is created or updated, inside the same transaction (an Error rolls the
    /// write back): `before` is nullptr for a new record.
    std::function<Status(const Record& saved, const Record* before, Context&)> afterSave;
    /// Before a record is deleted, inside the deleting transaction: a reason for people why
    /// it must stay ("党员仍在册"), or an empty string to let it go.
    std::function<Result<QString>(const Record& record, Context&)> refuseDelete;
    /// Warnings about a record that is saved all the same (a threshold that needs a higher
    /// committee's approval, a member who should transfer rather than flow): called after a
    /// POST, a PUT or a workflow step with the record as saved and as it was (nullptr when
    /// new); the answer carries them beside the record, `"warnings": [{field, message}]`.
    std::function<QList<FieldError>(const Record& saved, const Record* before, const Request&, Context&)> warn;
    /// Before a step of the card's workflow is taken (docs/records.md, "Workflows"): `step` is
    /// its id, `draft` the record as the step leaves it (the stored record with the step's
    /// fields and its new state), `stored` the record before. One FieldError per reason the
    /// step may not be taken, on the field it is about ("(step)" for the record as a whole).
    std::function<QList<FieldError>(const QString& step, const Record& draft, const Record& stored, const Request&, Context&)> guard;
    /// After a step is taken, inside its transaction (an Error undoes the step): what the
    /// step does beyond the record itself (a confirmed transfer moves the member).
    std::function<Status(const QString& step, const Record& saved, const Record& before, const Request&, Context&)> afterStep;
};

/// The records a card's list shows for a query, as SQL: ` WHERE ...` over the card's table
/// with its bound parameters (numbered ?1, ?2, ...; append your own after them).
struct RecordFilter {
    QString where;
    Params params;
};

/// How many records hold one value of a field (Records::counts).
struct RecordCount {
    QVariant value;  // as stored: '' for an empty text or drop-down, a null QVariant for an empty number, date, unit or reference
    qint64 count = 0;
};

/// The host's record engine as a plugin reaches it (Context::records()).
class Records {
public:
    virtual ~Records() = default;
    /// The records of this plugin's served card `cardId` that its list shows for `r`'s query:
    /// the caller's scope (the route's permission), `unit`, `q`, `roll` and every declared
    /// filter. For a plugin's own statistics over the same records as the list ("count the
    /// members the list shows, by age"). A query parameter that is no filter of the card and
    /// not in `otherParams`, or a bad value, is added to `errors` (answer 422 with them).
    virtual Result<RecordFilter> filter(const QString& cardId, const Request& r, const QStringList& otherParams,
                                        QList<FieldError>& errors) = 0;
    /// A record of any served card (`card`: "<plugin-id>/<card-id>", of this plugin or one it
    /// depends on) as the API shows it, read as the system: what a rule needs of another
    /// record (the member a transfer moves). An empty Record when there is none. Never hand
    /// it to a caller who may not read it.
    virtual Result<Record> read(const QString& card, qint64 id) = 0;
    /// Changes `fields` of that record as the system, inside the caller's transaction: what a
    /// step of this plugin means for another record (a confirmed transfer moves its member to
    /// the receiving organisation). The card's constraints and hooks run as for an update,
    /// the change is audited (as the caller's) and publishes <events>.updated; a refusal is an
    /// Error with the field it is about.
    virtual Status change(const QString& card, qint64 id, const Record& fields) = 0;
    /// Creates a record of that card as the system, inside the caller's transaction, and gives
    /// its id: what a rule of this plugin adds on its own (a complaint from a survey's
    /// comments, a survey a customer filled through a link). Constraints and hooks run as for
    /// a POST, the record is numbered, audited (as the caller's) and publishes
    /// <events>.created; a refusal is an Error with the field it is about.
    virtual Result<qint64> create(const QString& card, const Record& fields) = 0;
    /// A fact another plugin tells about record `id` (`name`: "<plugin-id>/<fact>", e.g.
    /// "party.dues/paid-up-to" of a member): nullopt when that plugin is not running here (or
    /// tells no such fact), so a plugin that works without it goes on without it. Read as the
    /// system, like read(): never hand it to a caller who may not read the record.
    virtual Result<std::optional<QJsonValue>> fact(const QString& name, qint64 id) = 0;
    /// The users behind `ids` as people name them (display name, else username), for a
    /// plugin's statistics over a user field (tickets by technician); ids of no user are left
    /// out. Names only, never rights: the caller already reads the records that hold the ids.
    virtual Result<QHash<qint64, QString>> userNames(const QList<qint64>& ids) = 0;
    /// The enabled users holding `permission` (one this plugin's manifest declares) at unit
    /// `unitId` (assigned there, above it with its subtree, or everywhere; the administrators'
    /// "*" is no duty), by name, at most `limit`: whom a user field of this plugin may name
    /// where nobody picks one (sample data's technician). Ids only, never rights.
    /// (Last in the class, so that plugins built before it was added keep working.)
    virtual Result<QList<qint64>> dutyHolders(const QString& permission, qint64 unitId, int limit) = 0;
    /// The records filter() gives for `r`, counted by their value of `field` (a field of the
    /// card with one value per record: not text or several users), most first. A field the
    /// card declares counted="true" is counted from the counts the host keeps up to date, in
    /// a handful of rows however large the table, when the query is no more than the roll and
    /// a unit (at the top of a large tree, or below it with few units outside); any other
    /// query counts the records. For a plugin's statistics: members by age are counted by
    /// birth date, then the dates summed into bands. Errors as for filter().
    /// (Last in the class, so that plugins built before it was added keep working.)
    virtual Result<std::vector<RecordCount>> counts(const QString& cardId, const Request& r, const QString& field,
                                                    const QStringList& otherParams, QList<FieldError>& errors) = 0;
};

}  // namespace tessera
