#pragma once
// Decides which enabled plugins can run and in which order: duplicates, SDK API, required and
// optional dependencies with version ranges, conflicts and cycles. Works on manifests only;
// nothing is loaded here.

#include "runtime/plugin_spec.hpp"

#include <vector>

namespace tessera::host {

class Resolver {
public:
    explicit Resolver(int hostApiVersion) : hostApi_(hostApiVersion) {}

    /// Marks every enabled spec Resolved, Failed or Skipped (with its reason) and returns the
    /// resolved ones in start order: each after the plugins it depends on (ties by id).
    std::vector<PluginSpec*> resolve(std::vector<PluginSpec>& specs) const;

    /// After a plugin failed at a later stage: skips every usable plugin that requires
    /// `failed`, directly or through others.
    static void skipDependentsOf(const PluginSpec& failed, std::vector<PluginSpec>& specs);

private:
    int hostApi_;
};

}  // namespace tessera::host
