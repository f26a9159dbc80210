#pragma once
// Reading request parameters the same way in every plugin: whole numbers in a range, record
// ids, If-Match versions, search text for LIKE, and refusing parameters a route does not know.

#include <tessera/http.hpp>

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace tessera {

/// The query parameter `name` as a whole number from `min` to `max`; `fallback` when it is
/// absent. A bad value adds an error for `name` to `errors` and gives `fallback`.
inline qint64 wholeNumberParam(const Request& r, const QString& name, qint64 fallback, qint64 min, qint64 max,
                               QList<FieldError>& errors) {
    const QString text = r.queryValue(name);
    if (text.isEmpty()) return fallback;
    bool ok = false;
    const qint64 v = text.toLongLong(&ok);
    if (!ok || v < min || v > max) {
        errors.append({name, tessera::text("must be a whole number from %1 to %2, not '%3'", min, max, text)});
        return fallback;
    }
    return v;
}

/// Adds an error to `errors` for every query parameter of `r` not in `known`, naming the
/// known ones: a mistyped filter (`unitId` for `unit`) must be refused, not ignored, or the
/// list silently shows more than was asked for.
inline void refuseUnknownParams(const Request& r, const QStringList& known, QList<FieldError>& errors) {
    QStringList names = r.query.keys();
    names.sort();  // the same answer whatever the order of the query string
    for (const QString& name : names)
        if (!known.contains(name))
            errors.append({name, tessera::text("is not a parameter here; the known ones are %1", known.join(QStringLiteral(", ")))});
}

/// `text` as a record id: a positive whole number written as ids are written (digits, no
/// sign, no leading zero, no spaces); nullopt for anything else ("abc", "0", "+1", "01").
inline std::optional<qint64> parseId(const QString& text) {
    if (text.isEmpty() || text.size() > 18 || text.front() == QLatin1Char('0')) return std::nullopt;
    for (const QChar c : text)
        if (c < QLatin1Char('0') || c > QLatin1Char('9')) return std::nullopt;
    return text.toLongLong();
}

/// The path parameter `name` as a record id (see parseId); nullopt for anything else, which
/// callers answer with 404, so "/customers/+1" or "/customers/01" is never record 1.
inline std::optional<qint64> idParam(const Request& r, const QString& name = QStringLiteral("id")) {
    return parseId(r.param(name));
}

/// The version in If-Match ("3", W/"3"): nullopt when the header is absent, -1 when it is
/// present but not one of the ETags records are served with.
inline std::optional<qint64> ifMatchVersion(const Request& r) {
    QByteArray v = r.header("if-match").trimmed();
    if (v.isEmpty()) return std::nullopt;
    if (v.startsWith("W/")) v = v.mid(2);
    if (v.size() < 3 || !v.startsWith('"') || !v.endsWith('"')) return -1;
    bool ok = false;
    const qint64 version = v.mid(1, v.size() - 2).toLongLong(&ok);
    return ok ? version : -1;
}

/// The version of a record a client edited, for an update that must not overwrite a change
/// it has not seen: If-Match (a stale one is answered 412) wins over the body's "version"
/// (409). nullopt when neither was sent (answer 428); a malformed one adds an error.
struct ExpectedVersion {
    qint64 version = 0;
    bool fromIfMatch = false;
    int staleStatus() const { return fromIfMatch ? 412 : 409; }
};
inline std::optional<ExpectedVersion> expectedVersion(const Request& r, QList<FieldError>& errors) {
    if (const auto matched = ifMatchVersion(r)) {
        if (*matched < 0) {
            errors.append({QStringLiteral("If-Match"), tessera::text("must be an ETag from GET, like \"3\"")});
            return std::nullopt;
        }
        return ExpectedVersion{*matched, true};
    }
    const QJsonValue v = r.body.isObject() ? r.body.toObject().value(QStringLiteral("version")) : QJsonValue(QJsonValue::Undefined);
    if (v.isUndefined()) return std::nullopt;
    const double d = v.toDouble();
    if (!v.isDouble() || d < 1 || d > 9007199254740991.0 || d != double(qint64(d))) {
        errors.append({QStringLiteral("version"), tessera::text("must be the whole-number version you read")});
        return std::nullopt;
    }
    return ExpectedVersion{qint64(d), false};
}

/// A LIKE pattern matching `text` anywhere, literally: use with ESCAPE '\'.
inline QString likeContaining(QString text) {
    text.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('%'), QStringLiteral("\\%")).replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return QLatin1Char('%') + text + QLatin1Char('%');
}

/// The ETag of a record at `version`: "3" in quotes.
inline QByteArray versionETag(qint64 version) { return '"' + QByteArray::number(version) + '"'; }

}  // namespace tessera
