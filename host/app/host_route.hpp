#pragma once
// A route the host itself serves (units, users, audit ...). The app checks authentication
// and `permission` and fills Request::access and Request::scope before calling the handler,
// exactly as for plugin routes.

#include <tessera/http.hpp>

#include <QString>

#include <functional>
#include <vector>

namespace tessera::host {

struct HostRoute {
    tessera::Method method = tessera::Method::Get;
    QString pattern;     // full path, e.g. "/api/v1/units/{id}"
    QString permission;  // e.g. "core.units.read", or tessera::kPublicRoute
    std::function<tessera::Response(const tessera::Request&)> handler;
};

using HostRoutes = std::vector<HostRoute>;

/// The host's own permissions (plugins declare theirs in their manifests).
inline const QString kUnitsRead = QStringLiteral("core.units.read");
inline const QString kUnitsWrite = QStringLiteral("core.units.write");
inline const QString kUsersManage = QStringLiteral("core.users.manage");
inline const QString kAuditRead = QStringLiteral("core.audit.read");
inline const QString kPluginsManage = QStringLiteral("core.plugins.manage");
inline const QString kJobsAll = QStringLiteral("core.jobs.all");
/// Pseudo-permission of host routes any logged-in user may call (their own profile, logout).
inline const QString kAnyUser = QStringLiteral("authenticated");

/// The host's permissions with their labels, for roles and the admin pages.
struct HostPermission {
    QString id;
    QString zhCN;
    QString en;
};
inline const std::vector<HostPermission>& hostPermissions() {
    static const std::vector<HostPermission> list{
        {kUnitsRead, QStringLiteral("查看组织机构"), QStringLiteral("Read organisation units")},
        {kUnitsWrite, QStringLiteral("维护组织机构"), QStringLiteral("Edit organisation units")},
        {kUsersManage, QStringLiteral("用户与权限管理"), QStringLiteral("Manage users and roles")},
        {kAuditRead, QStringLiteral("查看审计日志"), QStringLiteral("Read the audit log")},
        {kPluginsManage, QStringLiteral("管理插件与导航页"), QStringLiteral("Manage plugins and the home page")},
        {kJobsAll, QStringLiteral("查看与取消所有人的后台任务"), QStringLiteral("See and cancel everyone's background jobs")},
    };
    return list;
}

}  // namespace tessera::host
