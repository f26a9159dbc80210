#pragma once
// The record engine (docs/records.md): every card a manifest declares with a table is served
// by the host, with no plugin code: list (filters, search, sort, page or cursor, total), get,
// create, update with optimistic concurrency, delete, history (from the audit log), counts
// grouped by a field, and export as a job. Every path is limited to the caller's scope,
// audited by the store and publishes the card's events. The server enforces every constraint
// the card declares; the browser only repeats them.

#include "identity/unit_labels.hpp"
#include "services/column_values.hpp"
#include "runtime/manifest.hpp"
#include "runtime/runtime.hpp"

#include <tessera/context.hpp>
#include <tessera/decimal.hpp>
#include <tessera/http.hpp>
#include <tessera/module.hpp>
#include <tessera/records.hpp>
#include <tessera/result.hpp>

#include <QHash>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace tessera::host {

class RecordCards;
class AttachmentStore;
class UploadStore;
struct Attachment;

/// One served card, bound to the plugin that declares it.
class RecordCard {
public:
    RecordCard(const ServedCard& served, RecordCards& all);

    const CardDecl& card() const { return card_; }
    const QString& pluginId() const { return pluginId_; }
    /// "<plugin-id>/<card-id>", as references name it.
    QString key() const { return pluginId_ + u'/' + card_.id; }

    /// The route handlers; the request's scope is the scope of the route's permission
    /// (read for list, get, history, counts and export; write for the others).
    tessera::Response list(const tessera::Request& r);
    tessera::Response get(const tessera::Request& r);
    tessera::Response create(const tessera::Request& r);
    tessera::Response update(const tessera::Request& r);
    tessera::Response remove(const tessera::Request& r);
    tessera::Response history(const tessera::Request& r);
    tessera::Response counts(const tessera::Request& r);
    tessera::Response exportList(const tessera::Request& r);
    tessera::Response importFile(const tessera::Request& r);
    /// GET .../people/{field}: the users a writer may name in a user field (write scope).
    tessera::Response people(const tessera::Request& r);
    /// GET .../choices/{field}: the records a writer may name in a reference field with
    /// reach="above" for a record of a unit of their write scope.
    tessera::Response choices(const tessera::Request& r);
    /// The workflow (record_steps.cpp): GET .../{id}/steps (state, the steps the caller may take,
    /// the history) and POST .../{id}/steps/{step}; both need the read permission's scope, and
    /// a step its own permission at the record's unit it names.
    tessera::Response steps(const tessera::Request& r);
    tessera::Response takeStep(const tessera::Request& r);
    /// Documents (record_documents.cpp): GET .../{id}/documents (what prints, the copies),
    /// POST .../{id}/documents/{document} (numbers, fills and keeps a copy), GET
    /// .../{id}/printed/{copy} (a kept copy); the read scope, and to print the document's
    /// permission at the record's unit it names.
    tessera::Response documents(const tessera::Request& r);
    tessera::Response printDocument(const tessera::Request& r);
    tessera::Response printedCopy(const tessera::Request& r);
    /// Attachments (record_attachments.cpp): GET .../{id}/attachments/{field} (the files),
    /// POST .../{id}/attachments/{field} {"upload"} (an upload becomes a file of the field),
    /// GET .../{id}/attachments/{field}/{attachment} (the file, ranges, ?thumb=1), DELETE the
    /// same (the file leaves the record). The read scope finds the record; a change needs the
    /// write permission at the record's own unit.
    tessera::Response attachments(const tessera::Request& r);
    tessera::Response attach(const tessera::Request& r);
    tessera::Response attachment(const tessera::Request& r);
    tessera::Response detach(const tessera::Request& r);

    /// The titles of the records `ids` that lie in `scope` (those outside are left out).
    Result<QHash<qint64, QString>> titles(const QList<qint64>& ids, const tessera::Scope& scope);
    /// The titles of the records `ids` of unit `unit` or a unit above it (a head office's
    /// catalogue, which a reference with reach="above" names from a branch).
    Result<QHash<qint64, QString>> titlesAbove(const QList<qint64>& ids, qint64 unit);
    /// What of this card still belongs to unit `unitId`, for people ("3 条回访记录"), or an
    /// empty string: the host's check before a unit is deleted.
    Result<QString> unitUsage(qint64 unitId);
    /// The record of `scope` whose title is `text`, or the value of a unique text field (an ID
    /// number), or whose id it is; an error says why none.
    Result<qint64> idByTitle(const QString& text, const tessera::Scope& scope);
    /// The list's filter for `r` (unknown parameters beyond `otherParams` are errors).
    Result<tessera::RecordFilter> listFilter(const tessera::Request& r, const QStringList& otherParams, QList<tessera::FieldError>& errors) const;
    /// Records::counts of this card.
    Result<std::vector<tessera::RecordCount>> listCounts(const tessera::Request& r, const QString& field, const QStringList& otherParams,
                                                         QList<tessera::FieldError>& errors);
    /// Connects reference fields to their target cards; an error names a target not served.
    Status link();
    /// Records::read and change (tessera/records.hpp): as the system, every unit in reach.
    Result<tessera::Record> readAsSystem(qint64 id);
    Status changeAsSystem(qint64 id, const tessera::Record& fields);
    Result<qint64> createAsSystem(const tessera::Record& fields);
    Result<ColumnValues> bodyAsSystem(tessera::Method method, const QJsonObject& body, const tessera::Row* stored, qint64 id,
                                      QList<tessera::FieldError>& errors);

    struct Filter;  // the WHERE clause of a list, counts or export

private:
    friend class RecordImport;
    friend class RecordCards;
    /// A reference field's <through> as linked (docs/records.md, "References through another card").
    struct Through {
        const RecordCard* via = nullptr;   // the other card
        const FieldDecl* field = nullptr;  // its reference to the same target
        const FieldDecl* unit = nullptr;   // its unit field
        const FieldDecl* when = nullptr;   // its field compared with `code` (nullptr: any record)
        QString code;
        const FieldDecl* sets = nullptr;  // this card's unit field that takes the unit found
    };
    /// The records waiting for a caller (the to-do list): their count, and the first `limit`
    /// by the time they have waited, as (updated_at, item).
    struct Waiting {
        qint64 total = 0;
        std::vector<std::pair<QString, QJsonObject>> items;
    };
    Result<Waiting> waiting(const tessera::Access& access, int limit);
    /// The home reminders of unit `unitId`: how many records wait there for the caller, by state.
    Result<std::vector<tessera::Reminder>> waitingAt(const tessera::Access& access, qint64 unitId);
    /// The condition of records waiting for `access` (at `atUnit` only, when not 0); empty: none can.
    QString waitingCondition(const tessera::Access& access, Params& params, qint64 atUnit) const;
    /// User fields of `values` (kind="user"): each an enabled user holding the field's permission
    /// at the record's unit, checked when the user or the record's unit changes.
    void checkUsers(const ColumnValues& values, const Row* stored, const tessera::Request& r, QList<FieldError>& errors);
    /// Reference fields of `values` that changed (but those `reachedThrough` another card): the
    /// target exists and lies in the caller's read scope (or, reach="above", at or above the
    /// record's unit).
    void checkReferences(const ColumnValues& values, const Row* stored, const tessera::Request& r, const QSet<QString>& reachedThrough,
                         QList<FieldError>& errors);
    /// The users the user fields of `rows` name (or the rows' `column`), by id.
    Result<QHash<qint64, QString>> namesOfUsers(const tessera::Rows& rows, tessera::Database& db, const QString& column = {}) const;
    /// A permission of the plugin by its label, as people read it.
    QString permissionLabel(const QString& permission) const;
    /// Whether `access`'s caller is the user a step's by="..." field names on `row` (true without one).
    bool isTheOneFor(const StepDecl& step, const Row& row, const tessera::Access& access) const;
    /// The steps `access` may take on `row` now.
    std::vector<const StepDecl*> openSteps(const tessera::Row& row, const tessera::Access* access) const;
    QString stateLabel(const QString& code) const;
    QString stepLabel(const StepDecl& step) const;
    QJsonObject stepJson(const StepDecl& step) const;
    /// For a refusal: `permission` by its label, and the unit of the record's `unitField` by
    /// the name the caller reads it by.
    /// A record as messages name it: its title ("张三"), else its id.
    QString recordName(const tessera::Row& row) const;
    std::pair<QString, QString> whoMay(const QString& permission, const FieldDecl& unitField, const tessera::Row& row,
                                       const tessera::Access* access);
    QJsonObject copyJson(const tessera::Row& row, bool withHtml) const;
    /// Why `row` may not print `doc` for want of a field it requires, or an empty string.
    QString unfilledFor(const DocumentDecl& doc, const tessera::Row& row) const;
    QJsonObject attachmentJson(const Attachment& a, qint64 recordId) const;
    /// The files of record `id`, as arrays by attachments field (each field has one).
    Result<QList<std::pair<const FieldDecl*, QJsonArray>>> attachmentsOf(qint64 id);
    /// Record `id` was deleted (in its transaction): its files are kept, marked, for a while.
    Status attachmentsGone(qint64 id);
    /// The record of {id} the caller may read and its attachments field {field}, with the
    /// write permission at its own unit when `change`; else the answer (404, 403, 422).
    std::optional<tessera::Response> attachmentPreamble(const tessera::Request& r, tessera::Row& row, const FieldDecl*& field, bool change,
                                                        const QStringList& params);
    Result<QString> placeholderValue(const QString& spec, const tessera::Row& row, const QJsonObject& json, const tessera::Access& access,
                                     const QHash<QString, QString>& document);
    /// The latest image of attachments field `field` of the record as an <img> with its bytes, or "".
    Result<QString> attachedImage(const QString& field, const tessera::Row& row);
    Result<QString> fillTemplate(const DocumentDecl& doc, const tessera::Row& row, const tessera::Access& access,
                                 const QHash<QString, QString>& document);
    struct ImportMemo;
    /// Inserts a checked record, publishes <events>.created and runs the afterSave hook; returns
    /// its id. A card that is a unit makes its unit first (or, with "id" in `values`, adopts that
    /// unit), refusing a place outside `scope`.
    Result<qint64> insert(ColumnValues values, const QString& now, const tessera::Scope* scope);
    /// Updates record `id` at `version`, publishes <events>.updated and runs the afterSave hook
    /// (`stored` is the record before); returns the rows changed (0: stale or gone). A card that
    /// is a unit moves and renames its unit first.
    Result<qint64> write(qint64 id, qint64 version, ColumnValues values, const QString& now, const tessera::Row& stored,
                         const tessera::Scope* scope);
    /// UPDATE of record `id` at `version`: `values` (column -> value), updated_at, version + 1.
    Result<tessera::WriteResult> updateRow(qint64 id, qint64 version, const ColumnValues& values, const QString& now);
    /// A card that is a unit: makes unit `id` (when 0, and sets it), or moves and renames it, as
    /// `values` say, and turns the parent in `values` into the record's id and unit_id. Errors
    /// of the tree carry the field they are about.
    Status placeUnit(qint64& id, ColumnValues& values, const tessera::Row& stored, const tessera::Scope* scope);
    /// The SQL of field `f`'s value in a row of the table: its column, or for the parent of a
    /// card that is a unit, the tree's.
    QString valueSql(const FieldDecl& f) const;
    /// Numbered fields (number="..."): the next number of each, into `values` of a new record,
    /// in the inserting transaction.
    Status assignNumbers(ColumnValues& values);
    /// The afterSave hook for record `id` (`before`: the stored row, empty for a new record).
    Status afterSave(qint64 id, const tessera::Row& before);
    /// `me`: the caller's user id, for a user field's filter "me" (0: none).
    Result<Filter> filterFrom(const QHash<QString, QString>& query, const tessera::Scope* scope, QList<tessera::FieldError>& errors,
                              qint64 me = 0) const;
    /// The condition on the unit column for the unit picked (0: none) within `scope`.
    Result<QString> unitCondition(qint64 unit, const tessera::Scope* scope, Filter& out) const;
    /// A list's total counted as the table's count less what the filter leaves out.
    Result<qint64> countByOmission(const Filter& filter);
    /// The records of `filter` by their value of `f`, most first (ties in the order of values).
    Result<std::vector<tessera::RecordCount>> countBy(const FieldDecl& f, const Filter& filter);
    /// Whom a record's scope check looks at: its own unit (writes), or every unit it belongs
    /// to (reads, steps: a transfer's receiver too).
    enum class Reach { Own, Shared };
    QString scopeCondition(const tessera::Scope& scope, Params& params, Reach reach) const;
    Result<tessera::Row> fetch(qint64 id, const tessera::Scope* scope, Reach reach = Reach::Own);
    /// The record of the route's {id} that the caller may read (any of its units), into `row`;
    /// else the answer to give: 404, or 422 for query parameters when `refuseParams`.
    std::optional<tessera::Response> readRecord(const tessera::Request& r, tessera::Row& row, bool refuseParams = true);
    Result<QJsonObject> toJson(const tessera::Row& row, const tessera::Access* access);
    Result<QList<QJsonObject>> toJson(const tessera::Rows& rows, const tessera::Access* access);
    /// What a record's JSON names besides its own values, read once for a set of rows: the
    /// titles of referenced records, users' names and units' labels, as the caller knows them.
    struct RowNames {
        QHash<QString, QHash<qint64, QString>> titles;  // by reference field, then target id
        QHash<qint64, QString> userNames;
        QHash<qint64, UnitLabel> units;
    };
    Result<RowNames> namesFor(const tessera::Rows& rows, const tessera::Access* access);
    /// One record's members (the JSON a record is) into `out` (see records.cpp).
    template <class Out>
    void writeRecord(Out& out, const tessera::Row& row, const RowNames& names, const tessera::Access* access) const;
    /// One record as its card shows it: its members, and for a caller its attachments too.
    template <class Out>
    Status writeCard(Out& out, const tessera::Row& row, const tessera::Access* access);
    /// The labels of the units of `rows` (every unit field of card_.units) as `reader` knows
    /// them; on a record several units share, the others too, by their path from the top.
    Result<QHash<qint64, UnitLabel>> unitLabelsOf(const tessera::Rows& rows, UnitLabels& reader);
    /// Reads the body into column values; errors per field. `stored` is the record being
    /// updated (nullptr when creating).
    ColumnValues readBody(const tessera::Request& r, const tessera::Row* stored, QList<tessera::FieldError>& errors,
                          ImportMemo* memo = nullptr);
    std::optional<QVariant> readValue(const FieldDecl& field, const QJsonValue& v, const QString& name, const QDate& today,
                                      QList<tessera::FieldError>& errors);
    Status checkUnique(const ColumnValues& values, qint64 id, const tessera::Request& r, QList<tessera::FieldError>& errors,
                       const ImportMemo* memo = nullptr);
    tessera::Response adoptUnit(qint64 id, const tessera::Request& r);
    /// The warn hook's warnings about a saved record, as "warnings" beside it.
    void addWarnings(QJsonObject& saved, const tessera::Record* before, const tessera::Request& r);
    /// Why the record cannot go (references to it), or an empty string.
    Result<QString> referencedBy(qint64 id, const tessera::Request& r);
    /// The titles of the records `ids` of reference field `field` that `access` may name: those
    /// of the target it may read, and those a <through> record puts in its read scope of this card.
    Result<QHash<qint64, QString>> referenceTitles(const QString& field, const QList<qint64>& ids, const tessera::Access& access);
    /// `found` and the others of `ids` that a record of this card in `access`'s read scope
    /// names in `field` (reach="above": a record names its target to those who read it).
    Result<QHash<qint64, QString>> namedHere(const QString& field, const QList<qint64>& ids, const tessera::Access& access,
                                             QHash<qint64, QString> found);
    /// The unit of `scope` a <through> record of the current kind (its `when`) holds target
    /// record `id` in, or 0 when none does.
    Result<qint64> unitThrough(const Through& t, qint64 id, const tessera::Scope& scope) const;
    /// A new or changed reference of `o` to a target the caller may not read, that a <through>
    /// record puts in the caller's write scope: the unit found goes into the field `sets`.
    /// Returns the reference fields so reached (the engine's own check passes them).
    QSet<QString> reachThrough(QJsonObject& o, const tessera::Row* stored, const tessera::Request& r, QList<tessera::FieldError>& errors);
    tessera::Response storageError(const Error& e);
    tessera::Response noSuchRecord(const QString& id) const;
    /// The columns a record is read with (its fields' values, id, version, times).
    const QString& selectColumns() const { return selectColumns_; }
    QStringList knownListParams() const;

    QString pluginId_;
    const Manifest& manifest_;
    const CardDecl& card_;
    tessera::Context& ctx_;
    RecordCards& all_;
    std::vector<const FieldDecl*> fields_;
    QString selectColumns_;                    // set with fields_: read on every request
    QHash<QString, const FieldDecl*> byName_;  // fields_ by name
    const FieldDecl* unit_ = nullptr;
    QHash<QString, RecordCard*> targets_;  // reference field name -> its target card
    std::vector<const FieldDecl*> users_;  // the user fields (kind="user")
    QHash<QString, Through> throughs_;     // reference field name -> its <through>, when the other card is served
    const tessera::RecordHooks* hooks_ = nullptr;  // the plugin's domain rules, if any
    bool pureRules_ = false;                       // derive and validate are pure (Declarations::pureRules)
    QHash<const FieldDecl*, QRegularExpression> patterns_;  // each field's pattern, compiled once
    QJsonObject emptyDraft_;  // every field a client may set, empty: where hooks' drafts start
    ColumnSlots columns_;     // what a write may store: the fields' columns, their sort keys', id
    std::vector<qsizetype> fieldSlots_, sortSlots_;  // of fields_[i]'s column and sort key (-1: none)
};

/// What an import learns once and every later row reuses, so that each row is checked as
/// POST checks it without asking the database the same question a million times.
struct RecordCard::ImportMemo {
    /// Units found to exist and to lie in the importer's write scope.
    QSet<qint64> unitsInScope;
    /// The table had no records when the import began (its write transaction keeps others
    /// out): a record holding an import key or a unique value is one this import wrote, and
    /// `written` has them all.
    bool startedEmpty = false;
    QHash<QString, QHash<QString, qint64>> written;  // unique column -> value -> id of the record holding it
    /// The next row's body is a new record's, already through the derive hook (which the
    /// import ran to find its key) and without read-only fields from the file.
    bool bodyDerived = false;
};

/// Every served card of the deployment, so that references find their targets.
class RecordCards final : public RecordFilters {
public:
    /// Builds the engine for the started plugins' served cards; errors (a reference to a card
    /// that is not served) are returned per card, and those cards are left out.
    QStringList build(const std::vector<ServedCard>& served);
    RecordCard* find(const QString& key) const;
    const std::vector<std::unique_ptr<RecordCard>>& all() const { return cards_; }
    /// A plugin's view of its cards' list filters (Context::records()).
    Result<tessera::RecordFilter> filter(const QString& pluginId, const QString& cardId, const tessera::Request& r,
                                         const QStringList& otherParams, QList<tessera::FieldError>& errors) override;
    /// Records::read and change for plugin `pluginId` (runtime.hpp).
    Result<tessera::Record> read(const QString& pluginId, const QString& card, qint64 id) override;
    Status change(const QString& pluginId, const QString& card, qint64 id, const tessera::Record& fields) override;
    Result<qint64> create(const QString& pluginId, const QString& card, const tessera::Record& fields) override;
    /// Records::userNames, from the deployment's users (setDatabase; none set: an error).
    Result<QHash<qint64, QString>> userNames(const QList<qint64>& ids) override;
    Result<QList<qint64>> dutyHolders(const QString& pluginId, const QString& permission, qint64 unitId, int limit) override;
    /// Records::counts of a plugin's own card.
    Result<std::vector<tessera::RecordCount>> counts(const QString& pluginId, const QString& cardId, const tessera::Request& r,
                                                     const QString& field, const QStringList& otherParams,
                                                     QList<tessera::FieldError>& errors) override;
    void setDatabase(tessera::Database* db) { db_ = db; }
    /// GET /api/v1/todo: the records of every workflow waiting for the caller, what has waited
    /// longest first (record_steps.cpp).
    tessera::Response todo(const tessera::Request& r);
    /// GET /api/v1/units/lookup: units a field with reach="tree" may name, by name or code.
    tessera::Response unitLookup(const tessera::Request& r);
    /// The home reminders of the caller's own unit: the records waiting there for them.
    Result<std::vector<tessera::Reminder>> reminders(const tessera::Access& access, qint64 unitId);
    /// The file store of attachments fields, and the uploads files come from (none: no attachments).
    void setFiles(AttachmentStore* attachments, UploadStore* uploads) {
        attachments_ = attachments;
        uploads_ = uploads;
    }
    AttachmentStore* attachments() const { return attachments_; }
    UploadStore* uploads() const { return uploads_; }
    /// Where users reach the deployment (<listen public-url>, Deployment::publicUrl): the
    /// base of a printed record's link; empty: the printing request's Host.
    void setPublicUrl(const QString& url) { publicUrl_ = url; }
    /// The absolute address of record `id` of `card` in the web shell, for printed documents.
    QString recordLink(const RecordCard& card, qint64 id, const tessera::Request& r) const;

private:
    Result<RecordCard*> reachable(const QString& pluginId, const QString& key) const;

    std::vector<std::unique_ptr<RecordCard>> cards_;
    AttachmentStore* attachments_ = nullptr;
    tessera::Database* db_ = nullptr;
    UploadStore* uploads_ = nullptr;
    QString publicUrl_;
};

/// A card's name for people, in the reader's language (a text: tessera::localized).
QString cardName(const CardDecl& card);

/// Exact decimals: "12.30" <-> 1230 at scale 2 (the SDK's, tessera/decimal.hpp).
using tessera::formatDecimal;
using tessera::parseDecimal;

/// A date as people write it in a file: 2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日, 20240501,
/// an Excel day number, or any of these with a time after it (its day is taken); as ISO text.
std::optional<QString> peopleDate(QString text);
/// A checkbox as people write it: 是/否, true/false, 1/0, y/n, yes/no, √/×.
std::optional<bool> peopleFlag(const QString& cell);

// Values as the engine's sources (records.cpp, record_import.cpp, record_steps.cpp) share them.

/// Now, as the engine stores times: UTC, ISO 8601 with milliseconds.
QString nowText(tessera::Context& ctx);
/// A stored UTC time as people write it, in the server's local time: 2026-12-04 17:41:05.
QString peopleTime(const QVariant& utc);
/// A stored value as the API shows it.
QJsonValue jsonOf(const FieldDecl& f, const QVariant& v);
/// What a field the client left empty is stored as.
QVariant emptyValue(const FieldDecl& f);
/// Whether `v` shows as emptyValue(f) does (jsonOf gives both the same JSON).
bool isStoredEmpty(const FieldDecl& f, const QVariant& v);
/// A whole number in JSON (1, not 1.5, not "1"), within what a double holds exactly.
std::optional<qint64> jsonWholeNumber(const QJsonValue& v);
/// The users a user field names in its stored value: none, one, or (multiple="true", stored
/// as ",3,7,") several, in the order they were named.
QList<qint64> storedUsers(const FieldDecl& f, const QVariant& v);
/// Several users as a multiple user field stores them: ",3,7,", or "" for none.
QString usersText(const QList<qint64>& ids);
/// The names of `ids` as a field of several users shows them: "张三、李四".
QString userNamesText(const QHash<qint64, QString>& names, const QList<qint64>& ids);
/// A manifest's label in the reader's language, or `fallback` when it has none.
QString labelOf(const LocalizedText& label, const QString& fallback);
/// A unit in a refusal: by its label where the caller knows of it, else by the id they sent
/// (as one that does not exist: nothing said about others' units).
QString unitNamed(qint64 unit, const tessera::Request& r, tessera::Database& db, const QString& permission);

}  // namespace tessera::host
