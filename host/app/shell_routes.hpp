#pragma once
// What the browser shell needs beyond the plugins' own routes:
//   GET /api/v1/shell                         the caller's modules (tiles, menus, views) and admin pages
//   GET /api/v1/reminders[?date=YYYY-MM-DD]   reminders for the caller's own unit, each from a module whose
//                                             records the caller may read there (a subtree provider's also
//                                             of the units below it, within the caller's scope)
//   GET|PUT|DELETE /api/v1/shell/tiles/{id}/image   a module tile's picture (PUT/DELETE: core.plugins.manage)

#include "app/host_route.hpp"
#include "identity/unit_tree.hpp"
#include "runtime/runtime.hpp"

#include <QJsonObject>

#include <functional>
#include <optional>

namespace tessera::host {

/// The manifest's declarative views as JSON for the shell.
using ViewsJson = std::function<QJsonObject(const Manifest&)>;

/// Largest tile picture accepted, after base64 decoding.
inline constexpr qsizetype kMaxTileImageBytes = 512 * 1024;

/// Whether the caller may read record `id` of a card the host serves ("<plugin>/<card>"):
/// nullopt when the host serves no such card (the plugin's own GET answers then).
using ServedRecordVisible = std::function<std::optional<bool>(const tessera::Request& r, const QString& card, qint64 id)>;

/// The host's own reminders for the caller's unit (records waiting there for them in a workflow).
using HostReminders = std::function<tessera::Result<std::vector<tessera::Reminder>>(const tessera::Access& access, qint64 unitId)>;

HostRoutes shellRoutes(Runtime& runtime, UnitTree& units, tessera::Database& db, const tessera::Clock& clock,
                       const QString& deploymentName, ViewsJson views, ServedRecordVisible servedVisible, HostReminders hostReminders);

/// The image type of `data` from its first bytes (PNG, JPEG, GIF, WebP), or empty. SVG is
/// refused on purpose: it can carry scripts.
QByteArray imageTypeOf(const QByteArray& data);

}  // namespace tessera::host
