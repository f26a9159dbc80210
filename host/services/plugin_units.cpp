#include "services/plugin_units.hpp"

#include "identity/access_control.hpp"

namespace tessera::host {

namespace {

tessera::UnitInfo info(const Unit& u) { return tessera::UnitInfo{u.id, u.parentId, u.name, u.code, u.depth}; }

}  // namespace

Result<tessera::UnitInfo> PluginUnits::get(qint64 id) {
    auto u = tree_.get(id);
    if (!u) return u.error();
    return info(*u);
}

Result<tessera::UnitInfo> PluginUnits::create(qint64 parentId, const QString& name, const QString& code) {
    auto u = tree_.create(parentId, name, code);
    if (!u) return u.error();
    return info(*u);
}

Result<tessera::UnitInfo> PluginUnits::rename(qint64 id, const QString& name, const QString& code) {
    auto current = tree_.get(id);
    if (!current) return current.error();
    auto u = tree_.rename(id, name, code, current->sortOrder, UnitTree::kAnyVersion);
    if (!u) return u.error();
    return info(*u);
}

// Like remove(): a refusal names the units to the caller on this thread, by their paths.
Result<tessera::UnitInfo> PluginUnits::move(qint64 id, qint64 newParentId) {
    auto u = tree_.move(id, newParentId, UnitTree::kAnyVersion, nullptr, currentAccess());
    if (!u) return u.error();
    return info(*u);
}

// The plugin passes no request: the caller of the request or job running on this thread is
// who the refusal speaks to.
Status PluginUnits::remove(qint64 id) { return tree_.remove(id, UnitTree::kAnyVersion, currentAccess()); }

Result<QStringList> PluginUnits::pathNames(qint64 id) {
    auto above = tree_.ancestors(id);
    if (!above) return above.error();
    auto self = tree_.get(id);
    if (!self) return self.error();
    QStringList names;
    for (const auto& u : *above) names << u.name;
    names << self->name;
    return names;
}

}  // namespace tessera::host
