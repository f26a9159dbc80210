#pragma once
// The SDK's Units over the host's UnitTree.

#include "identity/unit_tree.hpp"

#include <tessera/units.hpp>

#include <QString>

namespace tessera::host {

class PluginUnits final : public tessera::Units {
public:
    explicit PluginUnits(UnitTree& tree) : tree_(tree) {}
    Result<tessera::UnitInfo> get(qint64 id) override;
    Result<tessera::UnitInfo> create(qint64 parentId, const QString& name, const QString& code) override;
    Result<tessera::UnitInfo> rename(qint64 id, const QString& name, const QString& code) override;
    Result<tessera::UnitInfo> move(qint64 id, qint64 newParentId) override;
    Status remove(qint64 id) override;
    Result<QStringList> pathNames(qint64 id) override;

private:
    UnitTree& tree_;
};

}  // namespace tessera::host
