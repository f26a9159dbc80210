#pragma once
// The party organisation card as data: its JSON fields, columns and checks listed once
// (FieldSpec), read and listed by the functions here. Members and applicants are served by
// the host's record engine; the organisation card follows when the engine serves a card that
// is a unit.

#include <tessera/context.hpp>
#include <tessera/http.hpp>

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QVariantMap>

#include <functional>
#include <optional>
#include <vector>

namespace party::daily {

enum class Kind { Text, Date, Code, Bool, Unit, Number, Subform };

/// One field of a card: JSON name, column, kind and checks.
struct FieldSpec {
    QString json;
    QString column;  // empty for a sub-form row's field
    Kind kind = Kind::Text;
    int maxLength = 0;      // Text
    bool required = false;  // must be given and not empty
    QString dictionary;     // Code: the manifest dictionary its codes come from
    std::vector<FieldSpec> rows;  // Subform: the fields of each row
};

/// Dictionary id -> code -> zh-CN label, read from the manifest at start.
using Dictionaries = QHash<QString, QHash<QString, QString>>;

/// A body read against a spec: column -> value (QString, qint64, double or null), the JSON
/// fields that were given, and every bad field.
struct ReadRecord {
    QVariantMap values;
    QSet<QString> given;
    QList<tessera::FieldError> errors;
};

/// Reads a JSON object; unknown fields, wrong types, over-long text, bad dates and codes are
/// errors. `version` is allowed (optimistic concurrency) and not returned.
ReadRecord readRecord(const QJsonValue& body, const std::vector<FieldSpec>& spec, const Dictionaries& dictionaries);

/// One field as readRecord() reads it from a given, non-empty value (errors name f.json).
std::optional<QVariant> readField(const FieldSpec& f, const QJsonValue& v, const Dictionaries& dictionaries,
                                  QList<tessera::FieldError>& errors);
/// What readRecord() stores for a field that was not given: NULL, 0, "" or "[]".
QVariant absentValue(const FieldSpec& f);

/// A row as JSON (every spec field, plus id, version, createdAt, updatedAt).
QJsonObject recordJson(const tessera::Row& row, const std::vector<FieldSpec>& spec, const QString& idColumn);

/// A date as stored (ISO), or an invalid QDate for null and empty.
QDate dateOf(const QVariant& value);

QByteArray etag(qint64 version);

/// INSERT INTO `table` the columns of `values` (names come from our own specs, never from requests).
tessera::Result<tessera::WriteResult> insertRow(tessera::Database& db, const QString& table, const QVariantMap& values);

/// UPDATE `table` SET the columns of `values`, version + 1, WHERE `keyColumn` = key AND version
/// = expected: changes 0 rows when the record is gone or at another version.
tessera::Result<tessera::WriteResult> updateRow(tessera::Database& db, const QString& table, const QVariantMap& values,
                                                const QString& keyColumn, qint64 key, qint64 expectedVersion);

/// What a card list reads: its table, the key that orders rows of the same name, the columns
/// `q` searches, and the card's fields, each of which filters the list.
struct ListQuery {
    QString table;
    QString keyColumn;
    QStringList searchColumns;
    std::vector<FieldSpec> fields;
};

/// The WHERE clause (" WHERE ...") of a list's filters within `scope`; parameters are
/// appended to `params`, bad ones to `errors`. Besides q and unit, every
/// card field filters: a code field by its code (several: comma-separated), a flag by
/// true/false, a text field by what it contains, a date field by the date or a range
/// (<field>From, <field>To, inclusive). Any other parameter (bar paging's and export's) is an
/// error, so a mistyped filter never silently lists everything.
QString listFilter(const tessera::Request& r, const tessera::Scope* scope, const ListQuery& query, const Dictionaries& dictionaries,
                   tessera::Params& params, QList<tessera::FieldError>& errors);

/// GET <list>?q=&unit=&page=&size=&<filters>: one page in pinyin order of name_key, within
/// the caller's scope (narrowed to `unit`), with the total and `next`, a cursor for
/// ?after=<next> (the following page found through the index at any depth, no total); bad
/// parameters are 422.
tessera::Response listPage(const tessera::Request& r, tessera::Context& ctx, const ListQuery& query, const Dictionaries& dictionaries,
                           const std::function<QJsonObject(const tessera::Row&)>& toJson);


}  // namespace party::daily
