#pragma once
// Reading request parameters the same way in every plugin: whole numbers in a range, record
// ids, If-Match versions, and search text for LIKE.

#include <tessera/http.hpp>

#include <QList>
#include <QString>

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
        errors.append({name, QStringLiteral("must be a whole number from %1 to %2, not '%3'").arg(min).arg(max).arg(text)});
        return fallback;
    }
    return v;
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

/// A LIKE pattern matching `text` anywhere, literally: use with ESCAPE '\'.
inline QString likeContaining(QString text) {
    text.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('%'), QStringLiteral("\\%")).replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return QLatin1Char('%') + text + QLatin1Char('%');
}

/// The ETag of a record at `version`: "3" in quotes.
inline QByteArray versionETag(qint64 version) { return '"' + QByteArray::number(version) + '"'; }

}  // namespace tessera
