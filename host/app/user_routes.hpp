#pragma once
// Users, roles and role assignments, for callers with core.users.manage. A manager sees and
// changes users whose unit lies in their scope, grants only on units in their scope, and
// never hands out a permission they do not hold themselves.
//   GET|POST /api/v1/users, GET|PUT /api/v1/users/{id}, POST /api/v1/users/{id}/password
//   POST /api/v1/users/{id}/assignments, DELETE /api/v1/users/{id}/assignments/{aid}
//   GET|POST /api/v1/roles, PUT|DELETE /api/v1/roles/{id}, GET /api/v1/permissions

#include "app/host_route.hpp"
#include "identity/accounts.hpp"

#include <QJsonArray>

#include <functional>

namespace tessera::host {

/// Every permission that exists in this deployment: the host's and those of started plugins,
/// as {id, plugin, label: {zh-CN, en}}.
using PermissionCatalog = std::function<QJsonArray()>;

HostRoutes userRoutes(Accounts& accounts, PermissionCatalog catalog);

}  // namespace tessera::host
