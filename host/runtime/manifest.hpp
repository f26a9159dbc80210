#pragma once
// A plugin's manifest.xml: what the plugin is, needs and offers. The schema is written in
// configs/manifest.xsd and docs/manifests.md; Manifest::load checks all of it and names the
// file and line of every problem.

#include "runtime/file_error.hpp"
#include "runtime/semver.hpp"

#include <QDate>
#include <QString>
#include <QHash>
#include <QStringList>
#include <QVariant>

#include <optional>
#include <vector>

namespace tessera::host {

/// A text in the languages the shell shows: zh-CN (required) and en.
struct LocalizedText {
    QString zhCN;
    QString en;
};

struct DependencyDecl {
    QString id;
    VersionRange range = VersionRange::any();
    bool optional = false;
    int line = 0;
};

/// Another plugin that must not be enabled together with this one (in the given versions).
struct ConflictDecl {
    QString id;
    VersionRange range = VersionRange::any();
    int line = 0;
};

struct FeatureDecl {
    QString name;
    bool enabledByDefault = true;
    LocalizedText label;
};

enum class SettingType { Int, Number, Bool, String };

struct SettingDecl {
    QString name;
    SettingType type = SettingType::String;
    QVariant defaultValue;  // already converted to the type: qint64, double, bool, QString
    LocalizedText label;

    /// Converts text (from a manifest or deployment) to this setting's type; nullopt if invalid.
    std::optional<QVariant> convert(const QString& text) const;
};

struct PermissionDecl {
    QString id;  // must start with "<plugin-id>."
    LocalizedText label;
};

struct MenuEntryDecl {
    QString id;
    QString path;        // shell path, e.g. "/m/biz.customers/customers"
    QString permission;  // empty: visible to every user
    int order = 0;
    LocalizedText label;
};

/// One entry of a dictionary: a code (what records store) and its label.
struct DictionaryItem {
    QString code;  // non-empty, no white space around it
    LocalizedText label;
    QString tag;   // tag="success": how lists colour the value (primary, success, info, warning, danger); empty: plain
};

/// A list of codes for drop-downs (ethnicity, customer level, ...): either written inline
/// as <item>s or read from a CSV file in the plugin folder.
struct DictionaryDecl {
    QString id;
    LocalizedText label;
    std::vector<DictionaryItem> items;  // for a file dictionary, filled by Manifest::load
    QString file;                       // as written: relative to the manifest's folder; empty if inline
    /// The file's columns holding the code, the zh-CN label and (optionally) the en label;
    /// without an en column the zh-CN label serves for both. Default: code, zh-CN, en.
    QStringList columns{QStringLiteral("code"), QStringLiteral("zh-CN"), QStringLiteral("en")};
    QHash<QString, QString> aliases;  // <alias code="46">崩龙族</alias>: other names of codes, read by imports
    int line = 0;

    const DictionaryItem* item(const QString& code) const;
};

/// How a card field is entered in the shell and, for a card the host serves, stored:
/// text and textarea (TEXT), number (REAL; measurements, never money), integer (INTEGER),
/// decimal (exact: INTEGER in units of 10^-scale, shown as "12.30"), date ("2026-12-04"),
/// datetime ("2026-12-04T17:41:00", local time, to the second), dropdown (a dictionary
/// code), checkbox (0/1), unit (an organisation unit id), reference (the id of a record of
/// another served card) and subform (rows of child fields).
enum class FieldKind {
    Text,
    Textarea,
    Number,
    Date,
    Dropdown,
    Unit,
    Subform,
    Checkbox,
    Integer,
    Decimal,
    DateTime,
    Reference,
    Attachments,
    User
};

/// Whether a field must be filled (product.md, "Cards").
enum class Requirement {
    Optional,  // may stay empty
    Required,  // must be filled, but shown differently from System
    System,    // the record cannot be saved without it (marked * in the shell)
};

/// <through card field unit when sets> in a reference field: the target's records are also
/// within a writer's reach through records of another card that name them (a flowing member
/// through the flow to the writer's organisation, docs/records.md "References through another
/// card"). The writer's unit so found is written into `sets`, a unit field of the card.
struct ThroughDecl {
    QString card;       // "<plugin-id>/<card-id>": a served card of this plugin or of a dependency
    QString field;      // its reference field naming a record of the same target
    QString unit;       // its unit field: the unit within whose reach the target is
    QString whenField;  // when="state=out": only its records whose field has this code
    QString whenCode;
    QString sets;  // this card's unit field that takes the unit found
    int line = 0;
};

struct FieldDecl {
    QString name;  // the JSON name in the resource, e.g. "unitId"
    FieldKind kind = FieldKind::Text;
    Requirement requirement = Requirement::Optional;
    QString dictionary;             // dropdown only: a dictionary of this manifest
    std::optional<int> maxLength;   // text and textarea only
    std::optional<int> minLength;   // text and textarea only
    std::optional<double> min, max; // number, integer and decimal only
    LocalizedText label;
    std::vector<FieldDecl> children;  // subform only: the fields of one sub-record

    // What the record engine does with the field of a served card (CardDecl::table).
    QString column;           // the table column: column="..." or the name in snake_case
    bool unique = false;      // no two records share a non-empty value
    bool search = false;      // the list's q matches it (text kinds)
    bool filter = false;      // a query parameter of list, counts and export: exact value (ranges for dates)
    bool indexed = true;      // index="false": a filter without an index of its own (few values, or covered by another)
    bool counted = false;     // counted="true": the host keeps the table's counts by it up to date (records.md, "Counts kept up to date")
    bool sort = false;        // a sort key of the list (text by pinyin)
    bool exported = true;     // a column of exports
    bool imported = true;     // read by imports (derived fields are not)
    bool readOnly = false;    // computed by the plugin's hooks: never taken from a client
    QString header;           // import and export column header; default: the zh-CN label
    QStringList aliases;      // <alias>: other headers imports accept for its column
    QString pattern;          // a regular expression the whole text must match
    LocalizedText patternHint;  // what the pattern asks for, said when a value does not match
    bool notFuture = false;   // date and datetime: not after today
    int scale = 2;            // decimal: digits after the point (0..6)
    QString reference;        // reference: the target card, "<plugin-id>/<card-id>"
    bool anyUnit = false;     // unit, reach="tree": any unit of the tree (a transfer's destination), not only the writer's
    bool createsTarget = false;  // reference, create="true": the form offers to create the target record in place
    bool anyRoll = false;        // reference, roll="all": the picker offers the target's records off the roll too
    bool reachAbove =
        false;  // reference, reach="above": also targets of the record's unit and the units above it (a head office's catalogue)
    std::optional<ThroughDecl> through;  // reference: records also within reach through another card
    QString permission;                  // user: the permission (of this manifest) the user holds at the record's unit
    bool defaultMe = false;              // a user field with default="me": a new record's empty value is its creator
    bool multiple = false;               // user, multiple="true": several users (a ticket's assistants), stored as ",3,7,"
    QString fillFrom;                    // fill-from="unitId": when the host adds the field's column, existing rows take that field's value
    // number="BX{year}-{seq:4}": a text field the engine numbers when a record is created (the
    // sequence restarts each period its pattern names: {date} or {day} daily, {month} monthly,
    // {year} yearly); read-only and unique. number-date: the date field whose day counts
    // (default: today).
    QString number;
    QString numberDate;
    // attachments: files kept apart from the table (docs/records.md, "Attachments").
    QStringList accept;       // the kinds of file it takes: image, video, audio, document
    int maxCount = 0;         // at most this many files
    qint64 maxSize = 0;       // bytes, each file
    QString capture;          // capture="signature": the shell draws the file (a signature pad) rather than picks it
    QString filesWrite;       // write="...": who adds and removes its files (default the card's write)
    int line = 0;

    const FieldDecl* child(const QString& childName) const;
    /// The import/export header: header, else the zh-CN label, else the name.
    QString columnHeader() const;
};

/// Whether a step of a workflow takes a comment (recorded with the step).
enum class StepComment { Optional, Required, None };

/// A step of a card's workflow: from one of `from` to `to`, taken by a caller holding
/// `permission` at the unit of the record's field `unitField`.
struct StepDecl {
    QString id;
    LocalizedText label;
    QStringList from;  // states (codes of the state field's dictionary)
    QString to;        // empty: the record stays in the state it is in (a reassignment)
    QString permission;    // one the manifest declares
    QString unitField;     // a unit field of the card's `units`; default the record's own
    QStringList fields;    // fields the step's body may set
    QStringList mustFill;  // requires="...": fields that must be filled once the step is taken
    QString dateField;     // a date field of `fields` the step fills with today when left empty
    StepComment comment = StepComment::Optional;
    bool todo = true;  // records waiting for the step are in the to-do list of who may take it
    QString byField;   // by="...": a user field; only the user it names takes the step
    int line = 0;
};

/// A card's workflow (docs/records.md, "Workflows"): the state field, a dropdown the engine
/// alone sets, the state of a new record, and the steps between states.
struct WorkflowDecl {
    QString field;  // empty: the card has no workflow
    QString start;  // where a new record starts
    QStringList starts;  // start="a b": the states a new record may start in, the first by default (the plugin's derive picks)
    std::vector<StepDecl> steps;

    bool declared() const { return !field.isEmpty(); }
    const StepDecl* step(const QString& id) const;
};

/// A record number's text: `pattern` with {year}, {month}, {day} (two digits), {date}
/// (yyyyMMdd), {unitCode} and {seq} or {seq:N} (N digits, zero-padded) filled in.
QString numberText(const QString& pattern, const QDate& day, qint64 seq, const QString& unitCode = {});
/// The period a numbered field's sequence runs over for `day`: "20261204" when the pattern
/// names the day, "202612" the month, "2026" the year, "" when it never restarts.
QString numberPeriod(const QString& pattern, const QDate& day);

/// A document printed from a record (docs/records.md, "Documents"): an HTML template filled
/// from the record and its references, numbered per unit and year, kept when printed.
struct DocumentDecl {
    QString id;
    LocalizedText label;
    QString templateFile;  // template="documents/letter.html", relative to the plugin folder
    QString templateText;  // its text, read when the manifest is loaded from a file
    QString permission;    // who prints it: this permission at the record's `unitField`; default the card's write
    QStringList permissions;  // permission="a b": any of them (the first is `permission`, named when refusing)
    QString unitField;     // whose sequence numbers it: a unit field of the card's `units`; default the record's own
    QString number = QStringLiteral("{year}-{seq:4}");  // the number: {year}, {seq} or {seq:N} (zero-padded), {unitCode}
    QStringList mustFill;                               // requires="goodsTaken": it prints only a record with these fields filled
    int line = 0;
};

struct SectionDecl {
    QString id;
    LocalizedText label;
    std::vector<FieldDecl> fields;
};

/// A form showing one record of `resource` (GET/PUT <resource>/{id}), in sections. With a
/// `table` it is also the record's schema, and the host serves the resource (docs/records.md).
struct CardDecl {
    QString id;
    QString resource;  // API path relative to /api/v1/<plugin-id>/, e.g. "customers"
    LocalizedText label;
    std::vector<SectionDecl> sections;

    // A served card (the record engine):
    QString table;            // its table; empty: the plugin serves the resource itself
    QString readPermission;   // read="..." reads records (list, get, history, counts, export)
    QString writePermission;  // write="..." creates, updates, deletes, imports
    QString titleField;       // title="..." names a record (references show it); default: first text field
    QString events;           // events="..." publishes <events>.created/updated/deleted; default <plugin-id>.<card-id>
    QString order;            // order="..." default list order: a field, "-" for descending; default "-id"
    QString searchFeature;    // search-feature="..." the feature that switches q on; empty: always on
    QString importKey;        // import-key="..." a unique field that matches import rows to records; empty: 编号 only
    QString roll;             // roll="..." a date field set when a record leaves the roll: lists show those without it
    // is-unit="true": each record is a unit of the organisation tree (a party organisation's
    // card). Its id is the unit's id (kept also in unit_id, its own scope), its unit field is
    // the unit's parent, read from the tree and not stored, and saving it creates, renames or
    // moves the unit; deleting it removes the unit.
    bool isUnit = false;
    QStringList unitNameFields;  // unit-name="shortName fullName": the unit is named by the first that is not empty
    QString unitCodeField;       // unit-code="code": the unit's code
    // units="unitId toUnitId": the unit fields whose units each see the record (a transfer's
    // sender and receiver). The first is the record's own unit (unit_id: writes, the audit
    // log); the others read it and take the workflow's steps that name them. Default: the
    // record's own unit alone.
    QStringList units;
    // indexes="memberId toMonth; ...": indexes the host keeps on the card's table for a
    // plugin's own queries (the fields' columns in order, then id), beyond those it makes for
    // filters, sorts, references and units.
    std::vector<QStringList> indexes;
    WorkflowDecl workflow;
    std::vector<DocumentDecl> documents;
    int line = 0;

    const DocumentDecl* document(const QString& documentId) const;

    bool served() const { return !table.isEmpty(); }
    /// A field of any section kept in the table (not a subform's field, not attachments); nullptr if none.
    const FieldDecl* field(const QString& fieldName) const;
    /// Every field of every section kept in the table, in order (attachments are not).
    std::vector<const FieldDecl*> fields() const;
    /// The fields of kind attachments, whose files the host keeps apart from the table.
    std::vector<const FieldDecl*> attachmentFields() const;
    const FieldDecl* attachmentField(const QString& fieldName) const;
    /// The field of kind unit: the unit the record belongs to (the scope), or for a card that
    /// is a unit, its parent; nullptr if none.
    const FieldDecl* unitField() const;
};

struct ColumnDecl {
    QString field;
    std::optional<int> width;  // in pixels
};

enum class FilterKind { Text, Dropdown, Unit, Date };

/// A query parameter the list's resource accepts, shown as an input above the list.
struct FilterDecl {
    QString param;
    FilterKind kind = FilterKind::Text;
    QString dictionary;  // dropdown only
    LocalizedText label;
};

/// A paged list of `resource` (GET <resource>?page=&size=&<filters>).
struct ListDecl {
    QString id;
    QString resource;
    QString card;  // the card that opens a row; empty: none
    int pageSize = 20;
    QString exportResource;  // POST <export>?format=csv|xlsx&<filters> starts an export job; empty: none
    QString importResource;  // POST <import> {"file", "dryRun"} starts an import job; empty: none
    std::vector<ColumnDecl> columns;
    std::vector<FilterDecl> filters;
    LocalizedText label;
};

enum class ReportParamKind { Year, Month, Date, Dropdown };
enum class ReportColumnKind { Text, Number, Decimal };

/// A query parameter of a chart or report (`<param name kind dictionary>`): the shell shows it
/// as a control above the view, keeps it in the URL and passes it to the resource.
struct ViewParamDecl {
    QString name;
    ReportParamKind kind = ReportParamKind::Year;
    QString dictionary;  // a dropdown's
    LocalizedText label;
};

enum class ChartKind { Bar, Pie, Line };
enum class ChartSeriesKind { Number, Money };

/// Counts drawn as a chart (and a table) from `GET <resource>?unit=&<param>=`, which answers
/// {"items": [{"key", "label", "value"}], "total"}: statistics of a module. A chart with
/// `series` draws one series per declared field instead: items [{"key", "label", <field>: n}].
struct ChartDecl {
    QString id;
    QString resource;
    ChartKind kind = ChartKind::Bar;
    LocalizedText label;
    std::vector<ViewParamDecl> params;
    struct Series {
        QString field;
        ChartSeriesKind kind = ChartSeriesKind::Number;  // Money: exact strings such as "1234.50"
        LocalizedText label;
    };
    std::vector<Series> series;
};

/// A table of figures with parameters and a totals row, from `GET <resource>?unit=&<param>=`,
/// which answers {"title", "params", "items": [{<field>: value}], "total"}; the host exports
/// it as CSV or xlsx (`GET /api/v1/reports/<plugin-id>/<id>/export?format=`).
struct ReportDecl {
    QString id;
    QString resource;
    LocalizedText label;
    using Param = ViewParamDecl;
    std::vector<Param> params;
    struct Column {
        QString field;
        ReportColumnKind kind = ReportColumnKind::Text;
        LocalizedText label;
    };
    std::vector<Column> columns;
};

/// A read-only section this plugin adds to another plugin's card ("party.daily/member"):
/// a table whose rows the plugin's CardSectionProvider gives, shown under the card's own
/// sections for callers holding `permission`.
struct CardSectionDecl {
    QString id;
    QString card;        // "<plugin-id>/<card-id>"
    QString permission;  // one this manifest declares
    int order = 0;
    LocalizedText label;
    struct Column {
        QString field;
        LocalizedText label;
    };
    std::vector<Column> columns;
};

struct Manifest {
    QString file;  // absolute path of manifest.xml
    QString dir;   // its folder: library and migrations/ are looked up here

    QString id;  // dotted lower-case, e.g. "biz.customers"
    Version version;
    int sdkApi = 0;
    LocalizedText name;
    QString library;  // library base name; the file is <dir>/lib<library>.so
    std::vector<DependencyDecl> dependencies;
    std::vector<ConflictDecl> conflicts;
    std::vector<FeatureDecl> features;
    std::vector<SettingDecl> settings;
    std::vector<PermissionDecl> permissions;
    std::vector<MenuEntryDecl> menu;
    std::vector<DictionaryDecl> dictionaries;
    std::vector<ListDecl> lists;
    std::vector<CardDecl> cards;
    std::vector<ChartDecl> charts;
    std::vector<ReportDecl> reports;
    std::vector<CardSectionDecl> cardSections;

    /// Reads and checks the manifest, and the dictionary files it names (their problems are
    /// reported with the CSV file's path and line, after the manifest's own).
    static Parsed<Manifest> load(const QString& path);
    /// file and dir are taken from fileForMessages (made absolute); messages name it as given.
    /// Reads no other file: a file dictionary's path is checked but its items stay empty.
    static Parsed<Manifest> parse(const QByteArray& xml, const QString& fileForMessages);

    QString libraryPath() const;  // <dir>/lib<library>.so
    const FeatureDecl* feature(const QString& name) const;
    const SettingDecl* setting(const QString& name) const;
    const DictionaryDecl* dictionary(const QString& id) const;
    const ListDecl* list(const QString& id) const;
    const CardDecl* card(const QString& id) const;
};

/// The names used in manifests and in the shell's JSON: "text", "dropdown", "system", ...
QString fieldKindName(FieldKind kind);
QString requirementName(Requirement requirement);
QString filterKindName(FilterKind kind);
QString chartKindName(ChartKind kind);
QString chartSeriesKindName(ChartSeriesKind kind);
QString reportParamKindName(ReportParamKind kind);
QString reportColumnKindName(ReportColumnKind kind);

/// A plugin id: lower-case segments [a-z][a-z0-9-]* joined by '.', at least two ("biz.customers").
bool isValidPluginId(const QString& id);
/// A feature, setting, menu entry, dictionary, view or section name: [a-z][a-z0-9-]* ("page-size").
bool isValidName(const QString& name);
/// A field name or query parameter as it appears in JSON: [a-zA-Z][a-zA-Z0-9]* ("unitId").
bool isValidJsonName(const QString& name);

}  // namespace tessera::host
