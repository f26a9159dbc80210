#include "app/shell_routes.hpp"

#include "identity/access_control.hpp"

#include <tessera/params.hpp>

#include <QJsonArray>

#include <algorithm>

namespace tessera::host {

namespace {

using tessera::Method;
using tessera::Request;
using tessera::Response;

QJsonObject localized(const LocalizedText& t) {
    return QJsonObject{{QStringLiteral("zh-CN"), t.zhCN}, {QStringLiteral("en"), t.en}};
}

Response storeError(const Error& e) {
    return Response::error(500, tessera::text("Internal Server Error"), tessera::text("store error: %1", e.code));
}

// A module is the caller's when they hold one of its permissions somewhere.
bool usable(const Manifest& m, const tessera::Access& access) {
    return std::any_of(m.permissions.begin(), m.permissions.end(), [&](const PermissionDecl& p) { return access.can(p.id); });
}

const PluginSpec* startedPlugin(Runtime& runtime, const QString& id) {
    const PluginSpec* s = runtime.plugin(id);
    return s && s->state == PluginState::Started && s->manifest ? s : nullptr;
}

}  // namespace

QByteArray imageTypeOf(const QByteArray& data) {
    if (data.startsWith("\x89PNG\r\n\x1a\n")) return "image/png";
    if (data.startsWith("\xff\xd8\xff")) return "image/jpeg";
    if (data.startsWith("GIF87a") || data.startsWith("GIF89a")) return "image/gif";
    if (data.size() > 12 && data.startsWith("RIFF") && data.mid(8, 4) == "WEBP") return "image/webp";
    return {};
}

HostRoutes shellRoutes(Runtime& runtime, UnitTree& units, tessera::Database& db, const tessera::Clock& clock, const QString& deploymentName,
                       ViewsJson views, ServedRecordVisible servedVisible, HostReminders hostReminders) {
    HostRoutes routes;

    routes.push_back({Method::Get, QStringLiteral("/api/v1/shell"), kAnyUser, [&runtime, &units, &db, deploymentName, views](const Request& r) {
        const auto& caller = r.access->caller();
        QJsonArray modules;
        for (const auto& spec : runtime.plugins()) {
            if (spec.state != PluginState::Started || !spec.manifest || !usable(*spec.manifest, *r.access)) continue;
            const Manifest& m = *spec.manifest;
            QJsonArray menu;
            for (const auto& e : m.menu) {
                if (!e.permission.isEmpty() && !r.access->can(e.permission)) continue;
                menu.append(QJsonObject{{QStringLiteral("id"), e.id}, {QStringLiteral("path"), e.path},
                                        {QStringLiteral("label"), localized(e.label)}, {QStringLiteral("order"), e.order},
                                        {QStringLiteral("permission"), e.permission}});
            }
            auto image = db.queryOne(QStringLiteral("SELECT 1 AS x FROM core_tile_images WHERE plugin_id = ?1"), {spec.id});
            if (!image) return storeError(image.error());
            modules.append(QJsonObject{
                {QStringLiteral("id"), spec.id},
                {QStringLiteral("name"), localized(m.name)},
                {QStringLiteral("version"), m.version.toString()},
                {QStringLiteral("menu"), menu},
                {QStringLiteral("permissions"), [&] {
                     QJsonArray held;
                     for (const auto& p : m.permissions)
                         if (r.access->can(p.id)) held.append(p.id);
                     return held;
                 }()},
                {QStringLiteral("tileImage"), image->isEmpty() ? QJsonValue()
                                                               : QJsonValue(QStringLiteral("/api/v1/shell/tiles/%1/image").arg(spec.id))},
                {QStringLiteral("views"), views ? views(m) : QJsonObject()}});
        }
        QString unitName;
        if (caller.unitId)
            if (auto unit = units.get(caller.unitId)) unitName = unit->name;
        QJsonArray permissions;
        for (const auto& p : hostPermissions())
            if (r.access->can(p.id)) permissions.append(p.id);
        return Response::json(QJsonObject{
            {QStringLiteral("deployment"), deploymentName},
            {QStringLiteral("user"), QJsonObject{{QStringLiteral("id"), caller.userId},
                                                 {QStringLiteral("username"), caller.username},
                                                 {QStringLiteral("displayName"), caller.displayName},
                                                 {QStringLiteral("unitId"), caller.unitId ? QJsonValue(caller.unitId) : QJsonValue()},
                                                 {QStringLiteral("unitName"), unitName},
                                                 {QStringLiteral("language"), languageSettingOf(*r.access)}}},
            {QStringLiteral("permissions"), permissions},
            {QStringLiteral("modules"), modules},
            {QStringLiteral("admin"), QJsonObject{{QStringLiteral("units"), r.access->can(kUnitsRead)},
                                                  {QStringLiteral("users"), r.access->can(kUsersManage)},
                                                  {QStringLiteral("audit"), r.access->can(kAuditRead)},
                                                  {QStringLiteral("plugins"), r.access->can(kPluginsManage)}}}});
    }});

    routes.push_back(
        {Method::Get, QStringLiteral("/api/v1/reminders"), kAnyUser, [&runtime, &clock, hostReminders](const Request& r) {
             QDate date = clock.now().date();
             if (const QString d = r.queryValue(QStringLiteral("date")); !d.isEmpty()) {
                 date = QDate::fromString(d, Qt::ISODate);
                 if (!date.isValid()) return Response::invalid({{QStringLiteral("date"), tessera::text("must be a date like 2026-11-25")}});
             }
             const qint64 unitId = r.access->caller().unitId;
             QJsonArray items;
             // The caller's own unit, as the seed system specifies (subordinate units have their
             // own officers who see their own reminders); a provider of the unit and below is
             // given the caller's scope and counts only inside it.
             if (unitId) {
                 // What waits at the unit for the caller in a workflow, first: it is theirs to do.
                 if (hostReminders) {
                     auto waiting = hostReminders(*r.access, unitId);
                     if (!waiting)
                         items.append(QJsonObject{
                             {QStringLiteral("plugin"), QStringLiteral("core")},
                             {QStringLiteral("level"), QStringLiteral("warning")},
                             {QStringLiteral("text"), tessera::text("the to-do list is unavailable (%1)", waiting.error().message)}});
                     else
                         for (const auto& rem : *waiting)
                             items.append(QJsonObject{{QStringLiteral("plugin"), QStringLiteral("core")},
                                                      {QStringLiteral("text"), rem.text},
                                                      {QStringLiteral("level"), rem.level},
                                                      {QStringLiteral("link"), rem.link}});
                 }
                 for (const auto& p : runtime.reminderProviders()) {
                     const PluginSpec* spec = startedPlugin(runtime, p.pluginId);
                     // A reminder counts records of the unit: only for users who may read them there.
                     const tessera::Scope& scope = r.access->scope(p.readPermission);
                     if (!spec || !scope.contains(unitId)) continue;
                     tessera::Result<std::vector<tessera::Reminder>> reminders = std::vector<tessera::Reminder>{};
                     try {
                         reminders = p.provider(tessera::ReminderRequest{unitId, date, scope}, *p.context);
                     } catch (...) {
                         reminders = Error{QStringLiteral("reminder.threw"), tessera::text("the provider threw")};
                     }
                     if (!reminders) {
                         items.append(QJsonObject{
                             {QStringLiteral("plugin"), p.pluginId},
                             {QStringLiteral("level"), QStringLiteral("warning")},
                             {QStringLiteral("text"), tessera::text("%1: reminders are unavailable (%2)",
                                                                    tessera::localized(spec->manifest->name.zhCN, spec->manifest->name.en),
                                                                    reminders.error().message)}});
                         continue;
                     }
                     for (const auto& rem : *reminders) {
                         QJsonObject o{{QStringLiteral("plugin"), p.pluginId},
                                       {QStringLiteral("text"), rem.text},
                                       {QStringLiteral("level"), rem.level}};
                         if (!rem.link.isEmpty()) o.insert(QStringLiteral("link"), rem.link);
                         if (rem.due.isValid()) o.insert(QStringLiteral("due"), rem.due.toString(Qt::ISODate));
                         items.append(o);
                     }
                 }
             }
             return Response::json(QJsonObject{{QStringLiteral("unitId"), unitId ? QJsonValue(unitId) : QJsonValue()},
                                               {QStringLiteral("date"), date.toString(Qt::ISODate)},
                                               {QStringLiteral("items"), items}});
         }});

    // The sections other plugins add to a card, for one record: each the caller may see (holds
    // its permission), with the rows its provider gives for the caller's scope.
    routes.push_back({Method::Get, QStringLiteral("/api/v1/cards/{plugin}/{card}/{id}/sections"), kAnyUser, [&runtime, servedVisible](const Request& r) {
        const QString pluginId = r.param(QStringLiteral("plugin")), cardId = r.param(QStringLiteral("card"));
        const Response missing = Response::notFound(tessera::text("no record '%1' of card %2/%3", r.param(QStringLiteral("id")), pluginId, cardId));
        const auto id = tessera::idParam(r);
        if (!id) return missing;
        const qint64 recordId = *id;
        // The record itself must be one the caller may read: its plugin's own GET answers that,
        // with the caller's rights, so a section never tells of a record outside the scope.
        const PluginSpec* owner = startedPlugin(runtime, pluginId);
        const CardDecl* card = owner ? owner->manifest->card(cardId) : nullptr;
        if (!card) return missing;
        bool visible = false;
        if (const auto served = servedVisible ? servedVisible(r, pluginId + u'/' + cardId, recordId) : std::nullopt) visible = *served;
        else for (const auto& route : runtime.routes()) {
            if (route.pluginId != pluginId || route.route.method != Method::Get || route.route.pattern != card->resource + QStringLiteral("/{id}")) continue;
            if (!r.access->can(route.route.permission)) break;
            Request probe = r;
            probe.path = QStringLiteral("/api/v1/%1/%2/%3").arg(pluginId, card->resource).arg(recordId);
            probe.pathParams = {{QStringLiteral("id"), QString::number(recordId)}};
            probe.query.clear();
            probe.scope = &r.access->scope(route.route.permission);
            try {
                visible = route.route.handler(probe, *route.context).status == 200;
            } catch (...) {
                visible = false;
            }
            break;
        }
        if (!visible) return missing;
        QJsonArray items;
        for (const auto& s : runtime.cardSections(r.param(QStringLiteral("plugin")) + QLatin1Char('/') + r.param(QStringLiteral("card")))) {
            if (!r.access->can(s.section.permission)) continue;
            Request scoped = r;
            scoped.scope = &r.access->scope(s.section.permission);
            QJsonArray columns;
            for (const auto& c : s.section.columns)
                columns.append(QJsonObject{{QStringLiteral("field"), c.field},
                                           {QStringLiteral("label"), QJsonObject{{QStringLiteral("zh-CN"), c.label.zhCN}, {QStringLiteral("en"), c.label.en}}}});
            QJsonObject section{{QStringLiteral("id"), s.section.id},
                                {QStringLiteral("plugin"), s.pluginId},
                                {QStringLiteral("label"), QJsonObject{{QStringLiteral("zh-CN"), s.section.label.zhCN}, {QStringLiteral("en"), s.section.label.en}}},
                                {QStringLiteral("columns"), columns}};
            tessera::Result<QJsonArray> rows = QJsonArray{};
            try {
                rows = s.provider(recordId, scoped, *s.context);
            } catch (...) {
                rows = Error{QStringLiteral("section.threw"), tessera::text("the provider threw")};
            }
            if (rows) section.insert(QStringLiteral("rows"), *rows);
            else section.insert(QStringLiteral("error"), rows.error().message);
            items.append(section);
        }
        return Response::json(QJsonObject{{QStringLiteral("items"), items}});
    }});

    routes.push_back({Method::Get, QStringLiteral("/api/v1/shell/tiles/{id}/image"), kAnyUser, [&db](const Request& r) {
        auto row = db.queryOne(QStringLiteral("SELECT content_type, data FROM core_tile_images WHERE plugin_id = ?1"),
                               {r.param(QStringLiteral("id"))});
        if (!row) return storeError(row.error());
        if (row->isEmpty()) return Response::notFound(tessera::text("module %1 uses the default tile", r.param(QStringLiteral("id"))));
        return Response::raw(row->value(QStringLiteral("data")).toByteArray(), row->value(QStringLiteral("content_type")).toByteArray())
            .withHeader("Cache-Control", "no-cache");
    }});

    routes.push_back({Method::Put, QStringLiteral("/api/v1/shell/tiles/{id}/image"), kPluginsManage, [&runtime, &db, &clock](const Request& r) {
        const QString id = r.param(QStringLiteral("id"));
        if (!startedPlugin(runtime, id)) return Response::notFound(tessera::text("no running module %1", id));
        const QJsonObject b = r.body.toObject();
        QList<tessera::FieldError> errors;
        const QByteArray data = QByteArray::fromBase64(b.value(QStringLiteral("data")).toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        const QByteArray type = imageTypeOf(data);
        if (!b.value(QStringLiteral("data")).isString() || data.isEmpty())
            errors.append({QStringLiteral("data"), tessera::text("must be the picture, base64-encoded")});
        else if (data.size() > kMaxTileImageBytes)
            errors.append({QStringLiteral("data"), tessera::text("the picture has %1 KiB; at most %2 KiB are allowed", data.size() / 1024, kMaxTileImageBytes / 1024)});
        else if (type.isEmpty())
            errors.append({QStringLiteral("data"), tessera::text("must be a PNG, JPEG, GIF or WebP picture")});
        else if (b.contains(QStringLiteral("contentType")) && b.value(QStringLiteral("contentType")).toString().toLatin1() != type)
            errors.append({QStringLiteral("contentType"), tessera::text("says %1 but the picture is %2", b.value(QStringLiteral("contentType")).toString(), QString::fromLatin1(type))});
        if (!errors.isEmpty()) return Response::invalid(errors);
        auto w = db.execute(QStringLiteral("INSERT INTO core_tile_images(plugin_id, content_type, data, updated_at) VALUES (?1, ?2, ?3, ?4) "
                                           "ON CONFLICT(plugin_id) DO UPDATE SET content_type = ?2, data = ?3, updated_at = ?4"),
                            {id, QString::fromLatin1(type), data, clock.now().toString(Qt::ISODateWithMs)});
        if (!w) return storeError(w.error());
        return Response::noContent();
    }});

    routes.push_back({Method::Delete, QStringLiteral("/api/v1/shell/tiles/{id}/image"), kPluginsManage, [&db](const Request& r) {
        auto w = db.execute(QStringLiteral("DELETE FROM core_tile_images WHERE plugin_id = ?1"), {r.param(QStringLiteral("id"))});
        if (!w) return storeError(w.error());
        return Response::noContent();
    }});
    return routes;
}

}  // namespace tessera::host
