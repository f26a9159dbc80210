#include "store/audit_log.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace tessera::host {

namespace {

Error invalid(const QString& message) { return Error{QStringLiteral("audit.invalid"), message}; }

QVariant orNull(const QString& s) { return s.isEmpty() ? QVariant() : QVariant(s); }

QString isoUtc(const QDateTime& t) { return t.toUTC().toString(Qt::ISODateWithMs); }

QJsonValue parsedJson(const QVariant& v) {
    if (v.isNull()) return QJsonValue::Null;
    const QJsonDocument doc = QJsonDocument::fromJson(v.toString().toUtf8());
    if (doc.isObject()) return doc.object();
    if (doc.isArray()) return doc.array();
    return QJsonValue::Null;
}

}  // namespace

Status AuditLog::record(const AuditEvent& event) {
    static const QStringList rowActions{QStringLiteral("insert"), QStringLiteral("update"), QStringLiteral("delete"),
                                        QStringLiteral("bulk")};
    if (event.action.trimmed().isEmpty()) return invalid(QStringLiteral("an audit event needs an action"));
    if (rowActions.contains(event.action)) {
        return invalid(QStringLiteral("'%1' is recorded by the store for row changes, not as an event").arg(event.action));
    }
    const AuditActor* current = currentAuditActor();
    const AuditActor actor = event.actor ? *event.actor : current ? *current : AuditActor{};
    const QString username = actor.userId == 0 && actor.username.isEmpty() ? QStringLiteral("system") : actor.username;
    // core_audit is never audited itself, and execute() opens a transaction when none is.
    return store_.execute(
        QStringLiteral("INSERT INTO core_audit(at, user_id, username, plugin_id, address, action, table_name, record_id, "
                       "detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
        {isoUtc(QDateTime::currentDateTimeUtc()), actor.userId, username, orNull(actor.pluginId), orNull(actor.address),
         event.action, orNull(event.table), event.recordId ? QVariant(*event.recordId) : QVariant(), orNull(event.detail)});
}

Result<AuditPage> AuditLog::query(const AuditFilter& filter, const tessera::Scope* within) {
    if (filter.page < 1) return invalid(QStringLiteral("page must be 1 or more, not %1").arg(filter.page));
    if (filter.size < 1 || filter.size > AuditFilter::kMaxSize) {
        return invalid(QStringLiteral("size must be from 1 to %1, not %2").arg(AuditFilter::kMaxSize).arg(filter.size));
    }
    QStringList conditions;
    Params params;
    auto where = [&](const QString& column, const char* op, const QVariant& value) {
        params.push_back(value);
        conditions << QStringLiteral("%1 %2 ?%3").arg(column, QLatin1String(op)).arg(params.size());
    };
    if (filter.userId) where(QStringLiteral("user_id"), "=", *filter.userId);
    if (!filter.username.isEmpty()) where(QStringLiteral("username"), "=", filter.username);
    if (!filter.pluginId.isEmpty()) where(QStringLiteral("plugin_id"), "=", filter.pluginId);
    if (!filter.table.isEmpty()) where(QStringLiteral("table_name"), "=", filter.table);
    if (filter.recordId) where(QStringLiteral("record_id"), "=", *filter.recordId);
    if (!filter.action.isEmpty()) where(QStringLiteral("action"), "=", filter.action);
    // `at` is stored as UTC ISO text with milliseconds, so text order is time order.
    if (filter.from.isValid()) where(QStringLiteral("at"), ">=", isoUtc(filter.from));
    if (filter.to.isValid()) where(QStringLiteral("at"), "<=", isoUtc(filter.to));
    // NULL (an unknown unit) satisfies no scope condition: such entries stay hidden.
    if (within && !within->all()) conditions << QLatin1Char('(') + within->condition(QStringLiteral("unit_id"), params) + QLatin1Char(')');
    const QString whereClause = conditions.isEmpty() ? QString() : QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));

    auto total = store_.queryOne(QStringLiteral("SELECT count(*) AS n FROM core_audit") + whereClause, params);
    if (!total) return total.error();
    Params pageParams = params;
    pageParams.push_back(filter.size);
    pageParams.push_back(static_cast<qint64>(filter.page - 1) * filter.size);
    // Ids grow with time (writers take turns, and each entry is stamped while writing).
    auto rows = store_.query(
        QStringLiteral("SELECT id, at, user_id, username, plugin_id, address, action, table_name, record_id, unit_id, before, "
                       "after, detail FROM core_audit%1 ORDER BY id DESC LIMIT ?%2 OFFSET ?%3")
            .arg(whereClause)
            .arg(params.size() + 1)
            .arg(params.size() + 2),
        pageParams);
    if (!rows) return rows.error();

    AuditPage page;
    page.total = total->value(QStringLiteral("n")).toLongLong();
    page.page = filter.page;
    page.size = filter.size;
    for (const Row& row : *rows) {
        AuditEntry e;
        e.id = row.value(QStringLiteral("id")).toLongLong();
        e.at = row.value(QStringLiteral("at")).toString();
        e.userId = row.value(QStringLiteral("user_id")).toLongLong();
        e.username = row.value(QStringLiteral("username")).toString();
        e.pluginId = row.value(QStringLiteral("plugin_id")).toString();
        e.address = row.value(QStringLiteral("address")).toString();
        e.action = row.value(QStringLiteral("action")).toString();
        e.table = row.value(QStringLiteral("table_name")).toString();
        if (const QVariant id = row.value(QStringLiteral("record_id")); !id.isNull()) e.recordId = id.toLongLong();
        if (const QVariant unit = row.value(QStringLiteral("unit_id")); !unit.isNull()) e.unitId = unit.toLongLong();
        e.before = parsedJson(row.value(QStringLiteral("before")));
        e.after = parsedJson(row.value(QStringLiteral("after")));
        e.detail = row.value(QStringLiteral("detail")).toString();
        page.items.push_back(std::move(e));
    }
    return page;
}

}  // namespace tessera::host
