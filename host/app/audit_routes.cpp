#include "app/audit_routes.hpp"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

#include <cstring>
#include <limits>
#include <optional>

namespace tessera::host {

namespace {

using tessera::FieldError;
using tessera::Request;
using tessera::Response;

QJsonValue textOrNull(const QString& s) { return s.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(s); }

QJsonObject toJson(const AuditEntry& e) {
    return QJsonObject{{QStringLiteral("id"), e.id},
                       {QStringLiteral("at"), e.at},
                       {QStringLiteral("userId"), e.userId},
                       {QStringLiteral("username"), e.username},
                       {QStringLiteral("pluginId"), textOrNull(e.pluginId)},
                       {QStringLiteral("address"), textOrNull(e.address)},
                       {QStringLiteral("action"), e.action},
                       {QStringLiteral("table"), textOrNull(e.table)},
                       {QStringLiteral("recordId"), e.recordId ? QJsonValue(*e.recordId) : QJsonValue(QJsonValue::Null)},
                       {QStringLiteral("unitId"), e.unitId ? QJsonValue(*e.unitId) : QJsonValue(QJsonValue::Null)},
                       {QStringLiteral("before"), e.before},
                       {QStringLiteral("after"), e.after},
                       {QStringLiteral("detail"), textOrNull(e.detail)}};
}

// An ISO date ("2024-05-01") or date-time ("2024-05-01T08:30:00.000+08:00"); without an
// offset, UTC. A date alone is the first (or, for `to`, the last) millisecond of that day.
std::optional<QDateTime> parseTime(QString text, bool endOfDay) {
    static const QRegularExpression dateOnly(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    // An unencoded '+' of an offset arrives as a space (form encoding): take it back.
    static const QRegularExpression spacedOffset(QStringLiteral("^(\\d{4}-\\d{2}-\\d{2}T[\\d:.]+) (\\d{2}:?\\d{2})$"));
    if (dateOnly.match(text).hasMatch()) {
        const QDate d = QDate::fromString(text, Qt::ISODate);
        if (!d.isValid()) return std::nullopt;
        return endOfDay ? d.endOfDay(Qt::UTC) : d.startOfDay(Qt::UTC);
    }
    if (const auto m = spacedOffset.match(text); m.hasMatch()) text = m.captured(1) + QLatin1Char('+') + m.captured(2);
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid()) return std::nullopt;
    if (t.timeSpec() == Qt::LocalTime) t.setTimeSpec(Qt::UTC);
    return t;
}

// Reads the filter from the query string; every bad parameter goes into `errors`.
AuditFilter readFilter(const Request& r, QList<FieldError>& errors) {
    AuditFilter f;
    auto value = [&](const char* name) { return r.queryValue(QLatin1String(name)).trimmed(); };
    auto number = [&](const char* name, qint64 min, qint64 max) -> std::optional<qint64> {
        const QString text = value(name);
        if (text.isEmpty()) return std::nullopt;
        bool ok = false;
        const qint64 v = text.toLongLong(&ok);
        if (!ok || v < min || v > max) {
            errors.append({QLatin1String(name),
                           tessera::text("must be a whole number from %1 to %2, not '%3'", min, max, text)});
            return std::nullopt;
        }
        return v;
    };
    auto matching = [&](const char* name, const QRegularExpression& pattern, const QString& what) {
        const QString text = value(name);
        if (!text.isEmpty() && !pattern.match(text).hasMatch()) {
            errors.append({QLatin1String(name), tessera::text("must be %1, not '%2'", what, text.left(100))});
            return QString();
        }
        return text;
    };

    if (const QString user = value("user"); !user.isEmpty()) {
        static const QRegularExpression digits(QStringLiteral("^\\d+$"));
        if (!digits.match(user).hasMatch()) {
            if (user.size() > 100) errors.append({QStringLiteral("user"), tessera::text("at most 100 characters")});
            else f.username = user;
        } else if (auto id = number("user", 0, std::numeric_limits<qint64>::max())) {
            f.userId = id;
        }
    }
    static const QRegularExpression pluginId(QStringLiteral("^[a-z0-9][a-z0-9._-]{0,99}$"));
    static const QRegularExpression tableName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]{0,99}$"));
    static const QRegularExpression actionName(QStringLiteral("^[a-z][a-z0-9._-]{0,49}$"));
    f.pluginId = matching("plugin", pluginId, tessera::text("a plugin id such as biz.customers"));
    f.table = matching("table", tableName, tessera::text("a table name such as biz_customers"));
    f.action = matching("action", actionName, tessera::text("an action such as update or login.failed"));
    f.recordId = number("record", 1, std::numeric_limits<qint64>::max());
    for (const char* name : {"from", "to"}) {
        const QString text = value(name);
        if (text.isEmpty()) continue;
        const auto t = parseTime(text, std::strcmp(name, "to") == 0);
        if (!t) {
            errors.append({QLatin1String(name),
                           tessera::text("must be an ISO date or date-time such as 2024-05-01 or "
                                         "2024-05-01T08:30:00+08:00, not '%1'", text.left(100))});
            continue;
        }
        (std::strcmp(name, "to") == 0 ? f.to : f.from) = *t;
    }
    if (f.from.isValid() && f.to.isValid() && f.from > f.to)
        errors.append({QStringLiteral("to"), tessera::text("must not be before from")});
    f.page = static_cast<int>(number("page", 1, 1'000'000).value_or(1));
    f.size = static_cast<int>(number("size", 1, AuditFilter::kMaxSize).value_or(f.size));
    return f;
}

Response list(AuditLog& log, const Request& r) {
    QList<FieldError> errors;
    const AuditFilter filter = readFilter(r, errors);
    if (!errors.isEmpty()) return Response::invalid(errors);
    // An auditor reads the entries of the records in their scope, and no others (no scope:
    // an internal call without authentication, as in unit_routes).
    auto page = log.query(filter, r.scope);
    if (!page) {
        return Response::error(500, tessera::text("Storage error"),
                               tessera::text("the audit log could not be read: %1", page.error().message));
    }
    QJsonArray items;
    for (const auto& e : page->items) items.append(toJson(e));
    return Response::json(QJsonObject{{QStringLiteral("items"), items},
                                      {QStringLiteral("page"), page->page},
                                      {QStringLiteral("size"), page->size},
                                      {QStringLiteral("total"), page->total}});
}

}  // namespace

HostRoutes auditRoutes(AuditLog& log) {
    return {HostRoute{tessera::Method::Get, QStringLiteral("/api/v1/audit"), kAuditRead,
                      [&log](const Request& r) { return list(log, r); }}};
}

}  // namespace tessera::host
