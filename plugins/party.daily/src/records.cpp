#include "records.hpp"

#include <tessera/params.hpp>

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <cctype>
#include <limits>

namespace party::daily {

namespace {

using tessera::FieldError;
using tessera::Request;
using tessera::Response;

bool isWholeNumber(const QJsonValue& v, double min) {
    return v.isDouble() && v.toDouble() >= min && v.toDouble() == double(v.toInteger());
}

// One value of `f` from `v` (given, not null); nullopt after adding an error for `name`.
std::optional<QVariant> readValue(const FieldSpec& f, const QJsonValue& v, const QString& name, const Dictionaries& dictionaries,
                                  QList<FieldError>& errors) {
    auto bad = [&](const QString& message) -> std::optional<QVariant> {
        errors.append({name, message});
        return std::nullopt;
    };
    switch (f.kind) {
    case Kind::Bool:
        if (!v.isBool()) return bad(tessera::text("must be true or false"));
        return QVariant(v.toBool() ? 1 : 0);
    case Kind::Unit:
        if (!isWholeNumber(v, 1)) return bad(tessera::text("must be a unit id"));
        return QVariant(v.toInteger());
    case Kind::Number:
        if (!v.isDouble()) return bad(tessera::text("must be a number"));
        return QVariant(v.toDouble());
    case Kind::Subform: {
        if (!v.isArray()) return bad(tessera::text("must be a list of rows"));
        const QJsonArray rows = v.toArray();
        QJsonArray clean;
        for (qsizetype i = 0; i < rows.size(); ++i) {
            const QString rowName = QStringLiteral("%1[%2]").arg(name).arg(i);
            if (!rows[i].isObject()) {
                errors.append({rowName, tessera::text("must be an object")});
                continue;
            }
            const QJsonObject row = rows[i].toObject();
            QJsonObject out;
            for (auto it = row.begin(); it != row.end(); ++it) {
                if (std::none_of(f.rows.begin(), f.rows.end(), [&](const FieldSpec& s) { return s.json == it.key(); }))
                    errors.append({rowName + QLatin1Char('.') + it.key(), tessera::text("unknown field")});
            }
            for (const FieldSpec& sub : f.rows) {
                const QJsonValue value = row.value(sub.json);
                const QString subName = rowName + QLatin1Char('.') + sub.json;
                if (value.isUndefined() || value.isNull() || (value.isString() && value.toString().trimmed().isEmpty())) {
                    if (sub.required) errors.append({subName, tessera::text("is required")});
                    continue;
                }
                if (auto got = readValue(sub, value, subName, dictionaries, errors)) out.insert(sub.json, QJsonValue::fromVariant(*got));
            }
            clean.append(out);
        }
        return QVariant(QString::fromUtf8(QJsonDocument(clean).toJson(QJsonDocument::Compact)));
    }
    case Kind::Text:
    case Kind::Date:
    case Kind::Code: {
        if (!v.isString()) return bad(tessera::text("must be a string"));
        const QString text = v.toString().trimmed();
        if (f.kind == Kind::Text) {
            if (f.maxLength && text.size() > f.maxLength)
                return bad(tessera::text("is %1 characters long; at most %2 are allowed", text.size(), f.maxLength));
            return QVariant(text);
        }
        if (f.kind == Kind::Date) {
            static const QRegularExpression iso(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
            if (!iso.match(text).hasMatch() || !QDate::fromString(text, Qt::ISODate).isValid())
                return bad(tessera::text("'%1' is not a date like 2024-05-01", text));
            return QVariant(text);
        }
        const auto dictionary = dictionaries.value(f.dictionary);
        if (!dictionary.contains(text))
            return bad(tessera::text("'%1' is not a code of the dictionary %2", text, f.dictionary));
        return QVariant(text);
    }
    }
    return std::nullopt;
}

// The stored form of an absent value: dates, units and numbers are NULL, the rest empty.
QVariant absent(const FieldSpec& f) {
    switch (f.kind) {
    case Kind::Date:
    case Kind::Unit:
    case Kind::Number: return QVariant();
    case Kind::Bool: return QVariant(0);
    case Kind::Subform: return QVariant(QStringLiteral("[]"));
    default: return QVariant(QString());
    }
}

// A list cursor: the sort key and id of the last row of a page, opaque to clients.
QString encodeCursor(const QByteArray& nameKey, qint64 id) {
    return QString::fromLatin1((nameKey.toHex() + '.' + QByteArray::number(id)).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

std::optional<std::pair<QByteArray, qint64>> decodeCursor(const QString& text) {
    const auto decoded = QByteArray::fromBase64Encoding(text.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded) return std::nullopt;
    const QByteArray& raw = *decoded;
    const qsizetype dot = raw.indexOf('.');
    if (dot < 0 || dot % 2 != 0) return std::nullopt;
    const QByteArray hex = raw.left(dot);
    for (char c : hex)
        if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    const auto id = tessera::parseId(QString::fromLatin1(raw.mid(dot + 1)));
    if (!id) return std::nullopt;
    return std::pair{QByteArray::fromHex(hex), *id};
}

}  // namespace

std::optional<QVariant> readField(const FieldSpec& f, const QJsonValue& v, const Dictionaries& dictionaries, QList<FieldError>& errors) {
    return readValue(f, v, f.json, dictionaries, errors);
}

QVariant absentValue(const FieldSpec& f) { return absent(f); }

QDate dateOf(const QVariant& value) {
    if (value.isNull()) return {};
    return QDate::fromString(value.toString(), Qt::ISODate);
}

QByteArray etag(qint64 version) { return tessera::versionETag(version); }

tessera::Result<tessera::WriteResult> updateRow(tessera::Database& db, const QString& table, const QVariantMap& values,
                                                const QString& keyColumn, qint64 key, qint64 expectedVersion) {
    QStringList sets;
    tessera::Params params;
    for (auto it = values.begin(); it != values.end(); ++it) {
        params.push_back(it.value());
        sets << QStringLiteral("%1 = ?%2").arg(it.key()).arg(params.size());
    }
    params.push_back(key);
    params.push_back(expectedVersion);
    return db.execute(QStringLiteral("UPDATE %1 SET %2, version = version + 1 WHERE %3 = ?%4 AND version = ?%5")
                          .arg(table, sets.join(QStringLiteral(", ")), keyColumn)
                          .arg(params.size() - 1)
                          .arg(params.size()),
                      params);
}

tessera::Result<tessera::WriteResult> insertRow(tessera::Database& db, const QString& table, const QVariantMap& values) {
    QStringList columns, marks;
    tessera::Params params;
    for (auto it = values.begin(); it != values.end(); ++it) {
        columns << it.key();
        params.push_back(it.value());
        marks << QStringLiteral("?%1").arg(params.size());
    }
    return db.execute(QStringLiteral("INSERT INTO %1(%2) VALUES (%3)").arg(table, columns.join(QStringLiteral(", ")), marks.join(QStringLiteral(", "))),
                      params);
}

ReadRecord readRecord(const QJsonValue& body, const std::vector<FieldSpec>& spec, const Dictionaries& dictionaries) {
    ReadRecord out;
    if (!body.isObject()) {
        out.errors.append({QStringLiteral("(body)"), tessera::text("expected a JSON object with the card's fields")});
        return out;
    }
    const QJsonObject o = body.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (it.key() != QLatin1String("version") &&
            std::none_of(spec.begin(), spec.end(), [&](const FieldSpec& f) { return f.json == it.key(); }))
            out.errors.append({it.key(), tessera::text("unknown field")});
    }
    for (const FieldSpec& f : spec) {
        const QJsonValue v = o.value(f.json);
        const bool empty = v.isUndefined() || v.isNull() || (v.isString() && v.toString().trimmed().isEmpty());
        if (empty) {
            if (f.required) out.errors.append({f.json, tessera::text("is required")});
            out.values.insert(f.column, absent(f));
            continue;
        }
        out.given.insert(f.json);
        if (auto value = readValue(f, v, f.json, dictionaries, out.errors)) out.values.insert(f.column, *value);
    }
    return out;
}

QJsonObject recordJson(const tessera::Row& row, const std::vector<FieldSpec>& spec, const QString& idColumn) {
    QJsonObject o{{QStringLiteral("id"), row.value(idColumn).toLongLong()},
                  {QStringLiteral("version"), row.value(QStringLiteral("version")).toLongLong()},
                  {QStringLiteral("createdAt"), row.value(QStringLiteral("created_at")).toString()},
                  {QStringLiteral("updatedAt"), row.value(QStringLiteral("updated_at")).toString()}};
    for (const FieldSpec& f : spec) {
        const QVariant v = row.value(f.column);
        switch (f.kind) {
        case Kind::Bool: o.insert(f.json, v.toLongLong() != 0); break;
        case Kind::Unit: o.insert(f.json, v.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(v.toLongLong())); break;
        case Kind::Number: o.insert(f.json, v.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(v.toDouble())); break;
        case Kind::Subform: o.insert(f.json, QJsonDocument::fromJson(v.toString().toUtf8()).array()); break;
        case Kind::Date: o.insert(f.json, v.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(v.toString())); break;
        default: o.insert(f.json, v.toString());
        }
    }
    return o;
}

namespace {

// The filters every card field gives a list (see listFilter in records.hpp).
void fieldFilters(const Request& r, const ListQuery& query, const Dictionaries& dictionaries, tessera::Params& params, QStringList& where,
                  QList<FieldError>& errors) {
    static const QStringList reserved{QStringLiteral("q"),     QStringLiteral("unit"),   QStringLiteral("page"), QStringLiteral("size"),
                                      QStringLiteral("after"), QStringLiteral("format"), QStringLiteral("roll")};
    QStringList keys = r.query.keys();
    keys.sort();  // the same SQL for the same filters, whatever the order of the query string
    for (const QString& param : keys) {
        const QString value = r.query.value(param).trimmed();
        if (reserved.contains(param) || value.isEmpty()) continue;
        QString name = param;
        QString op = QStringLiteral("=");
        if (param.endsWith(QLatin1String("From"))) {
            name.chop(4);
            op = QStringLiteral(">=");
        } else if (param.endsWith(QLatin1String("To"))) {
            name.chop(2);
            op = QStringLiteral("<=");
        }
        const auto f = std::find_if(query.fields.begin(), query.fields.end(), [&](const FieldSpec& s) { return s.json == name; });
        const bool ranged = op != QLatin1String("=");
        if (f == query.fields.end() || f->column.isEmpty() || (ranged && f->kind != Kind::Date) || f->kind == Kind::Subform ||
            f->kind == Kind::Unit || f->kind == Kind::Number) {
            QStringList known;
            for (const FieldSpec& s : query.fields)
                if (s.kind != Kind::Subform && s.kind != Kind::Unit && s.kind != Kind::Number) known << s.json;
            errors.append({param, tessera::text("is not a filter of this list; filter by q, unit or a field: %1 (dates also as <field>From, <field>To)", known.join(QStringLiteral(", ")))});
            continue;
        }
        switch (f->kind) {
        case Kind::Code: {
            QStringList marks;
            for (const QString& code : value.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                if (!dictionaries.value(f->dictionary).contains(code.trimmed())) {
                    errors.append({param, tessera::text("'%1' is not a code of the dictionary %2", code.trimmed(), f->dictionary)});
                    continue;
                }
                params.push_back(code.trimmed());
                marks << QStringLiteral("?%1").arg(params.size());
            }
            if (!marks.isEmpty()) where << QStringLiteral("%1 IN (%2)").arg(f->column, marks.join(QStringLiteral(", ")));
            break;
        }
        case Kind::Bool:
            if (value != QLatin1String("true") && value != QLatin1String("false")) {
                errors.append({param, tessera::text("must be true or false")});
                break;
            }
            params.push_back(value == QLatin1String("true") ? 1 : 0);
            where << QStringLiteral("%1 = ?%2").arg(f->column).arg(params.size());
            break;
        case Kind::Date:
            if (!QDate::fromString(value, Qt::ISODate).isValid() || value.size() != 10) {
                errors.append({param, tessera::text("'%1' is not a date like 2024-05-01", value)});
                break;
            }
            params.push_back(value);
            where << QStringLiteral("%1 %2 ?%3").arg(f->column, op).arg(params.size());
            break;
        default:
            if (value.size() > 100) {
                errors.append({param, tessera::text("at most 100 characters")});
                break;
            }
            params.push_back(tessera::likeContaining(value));
            where << QStringLiteral("%1 LIKE ?%2 ESCAPE '\\'").arg(f->column).arg(params.size());
        }
    }
}

}  // namespace

QString listFilter(const Request& r, const tessera::Scope* scope, const ListQuery& query, const Dictionaries& dictionaries,
                   tessera::Params& params, QList<FieldError>& errors) {
    // The unit picked in the tree, read as strictly as a path's id: "01" or "+1" is no unit.
    const QString unitText = r.queryValue(QStringLiteral("unit"));
    const std::optional<qint64> picked = unitText.isEmpty() ? std::optional<qint64>(0) : tessera::parseId(unitText);
    if (!picked) errors.append({QStringLiteral("unit"), tessera::text("must be a unit id, like 12, not '%1'", unitText)});
    const qint64 unit = picked.value_or(0);
    const QString q = r.queryValue(QStringLiteral("q")).trimmed();
    if (q.size() > 100) errors.append({QStringLiteral("q"), tessera::text("at most 100 characters")});
    QStringList where;
    fieldFilters(r, query, dictionaries, params, where, errors);
    // The organisation list has no roll (members', served by the engine, do).
    if (r.query.contains(QStringLiteral("roll"))) errors.append({QStringLiteral("roll"), tessera::text("is not a filter of this list")});
    if (!q.isEmpty() && !query.searchColumns.isEmpty()) {
        params.push_back(tessera::likeContaining(q));
        QStringList any;
        for (const QString& column : query.searchColumns) any << QStringLiteral("%1 LIKE ?%2 ESCAPE '\\'").arg(column).arg(params.size());
        where << QLatin1Char('(') + any.join(QStringLiteral(" OR ")) + QLatin1Char(')');
    }
    const QString column = QStringLiteral("unit_id");
    where << (!scope ? QStringLiteral("1=0") : unit ? scope->conditionWithin(column, unit, params) : scope->condition(column, params));
    return QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
}

Response listPage(const Request& r, tessera::Context& ctx, const ListQuery& query, const Dictionaries& dictionaries,
                  const std::function<QJsonObject(const tessera::Row&)>& toJson) {
    QList<FieldError> errors;
    const qint64 page = tessera::wholeNumberParam(r, QStringLiteral("page"), 1, 1, 1'000'000'000, errors);
    const qint64 size = tessera::wholeNumberParam(r, QStringLiteral("size"), 20, 1, 200, errors);
    tessera::Params params;
    QString filter = listFilter(r, r.scope, query, dictionaries, params, errors);
    // ?after=<cursor>: the page after the row the cursor names, found through the index
    // however deep it is (OFFSET walks every row before it); no total is counted then.
    const QString after = r.queryValue(QStringLiteral("after"));
    std::optional<std::pair<QByteArray, qint64>> cursor;
    if (!after.isEmpty()) {
        cursor = decodeCursor(after);
        if (!cursor) errors.append({QStringLiteral("after"), tessera::text("is not a cursor this list gave (its \"next\")")});
        if (r.query.contains(QStringLiteral("page"))) errors.append({QStringLiteral("page"), tessera::text("give either page or after, not both")});
    }
    if (!errors.isEmpty()) return Response::invalid(errors);
    auto failed = [&](const tessera::Error& e) {
        ctx.log().error(tessera::text("database: %1", e.message));
        return Response::storageFailure(e, tessera::text("the %1 table could not be read", query.table));
    };
    auto nextOf = [&](const tessera::Rows& rows) {
        if (static_cast<qint64>(rows.size()) < size) return QJsonValue(QJsonValue::Null);
        return QJsonValue(encodeCursor(rows.back().value(QStringLiteral("name_key")).toByteArray(), rows.back().value(query.keyColumn).toLongLong()));
    };
    if (cursor) {
        params.push_back(cursor->first);
        params.push_back(cursor->second);
        filter += QStringLiteral(" AND (name_key, %1) > (?%2, ?%3)").arg(query.keyColumn).arg(params.size() - 1).arg(params.size());
        params.push_back(size);
        auto rows = ctx.database().query(QStringLiteral("SELECT * FROM %1").arg(query.table) + filter +
                                             QStringLiteral(" ORDER BY name_key, %1 LIMIT ?%2").arg(query.keyColumn).arg(params.size()),
                                         params);
        if (!rows) return failed(rows.error());
        QJsonArray items;
        for (const auto& row : *rows) items.append(toJson(row));
        return Response::json(QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("size"), size}, {QStringLiteral("next"), nextOf(*rows)}});
    }
    auto total = ctx.database().queryOne(QStringLiteral("SELECT count(*) AS n FROM %1").arg(query.table) + filter, params);
    if (!total) return failed(total.error());
    tessera::Params pageParams = params;
    pageParams.push_back(size);
    pageParams.push_back((page - 1) * size);
    auto rows = ctx.database().query(QStringLiteral("SELECT * FROM %1").arg(query.table) + filter +
                                         QStringLiteral(" ORDER BY name_key, %1 LIMIT ?%2 OFFSET ?%3")
                                             .arg(query.keyColumn)
                                             .arg(params.size() + 1)
                                             .arg(params.size() + 2),
                                     pageParams);
    if (!rows) return failed(rows.error());
    QJsonArray items;
    for (const auto& row : *rows) items.append(toJson(row));
    return Response::json(QJsonObject{{QStringLiteral("items"), items},
                                      {QStringLiteral("page"), page},
                                      {QStringLiteral("size"), size},
                                      {QStringLiteral("total"), total->value(QStringLiteral("n")).toLongLong()},
                                      {QStringLiteral("next"), nextOf(*rows)}});
}

}  // namespace party::daily
