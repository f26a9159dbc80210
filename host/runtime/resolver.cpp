#include "runtime/resolver.hpp"

#include <QHash>
#include <QStringList>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace tessera::host {

QString stateName(PluginState state) {
    switch (state) {
        case PluginState::Disabled: return QStringLiteral("disabled");
        case PluginState::Pending: return QStringLiteral("pending");
        case PluginState::Resolved: return QStringLiteral("resolved");
        case PluginState::Started: return QStringLiteral("started");
        case PluginState::Stopped: return QStringLiteral("stopped");
        case PluginState::Failed: return QStringLiteral("failed");
        case PluginState::Skipped: return QStringLiteral("skipped");
    }
    return {};
}

namespace {

// Enabled specs with a valid manifest, by id (after duplicates were failed).
using ById = std::map<QString, PluginSpec*>;

void failDuplicates(std::vector<PluginSpec>& specs) {
    std::map<QString, std::vector<PluginSpec*>> byId;
    for (auto& s : specs)
        if (s.manifest) byId[s.id].push_back(&s);
    for (auto& [id, list] : byId) {
        if (list.size() < 2) continue;
        QStringList where;
        for (auto* s : list) where << s->manifest->file;
        for (auto* s : list) {
            // Which copy was meant cannot be known, so neither runs.
            if (s->enabled || s->state == PluginState::Disabled)
                s->fail(QStringLiteral("duplicate plugin id '%1': defined by %2").arg(id, where.join(QStringLiteral(" and "))));
        }
    }
}

void checkDependencies(PluginSpec& s, const ById& enabled, const std::map<QString, PluginSpec*>& installed) {
    const Manifest& m = *s.manifest;
    QStringList problems;
    for (const auto& dep : m.dependencies) {
        auto it = enabled.find(dep.id);
        if (it == enabled.end()) {
            if (dep.optional) continue;
            const bool isInstalled = installed.count(dep.id) > 0;
            problems << QStringLiteral("requires %1 %2, which is %3")
                            .arg(dep.id, dep.range.toString(),
                                 isInstalled ? QStringLiteral("installed but not enabled in this deployment")
                                             : QStringLiteral("not installed"));
            continue;
        }
        const Version& have = it->second->manifest->version;
        if (!dep.range.contains(have)) {
            problems << QStringLiteral("requires %1 %2%3, but version %4 is enabled")
                            .arg(dep.id, dep.range.toString(),
                                 dep.optional ? QStringLiteral(" (optional)") : QString(), have.toString());
        }
    }
    for (const auto& c : m.conflicts) {
        auto it = enabled.find(c.id);
        if (it != enabled.end() && it->second != &s && c.range.contains(it->second->manifest->version)) {
            problems << QStringLiteral("conflicts with %1 %2, which is enabled")
                            .arg(c.id, it->second->manifest->version.toString());
        }
    }
    if (!problems.isEmpty()) s.fail(problems.join(QStringLiteral("; ")));
}

// Edges from a plugin to the enabled plugins it depends on (required or optional).
std::vector<PluginSpec*> edges(const PluginSpec& s, const ById& enabled) {
    std::vector<PluginSpec*> out;
    for (const auto& dep : s.manifest->dependencies)
        if (auto it = enabled.find(dep.id); it != enabled.end()) out.push_back(it->second);
    return out;
}

// Tarjan's strongly connected components: every plugin on a cycle fails, naming the cycle.
void failCycles(const ById& enabled) {
    std::map<const PluginSpec*, int> index, low;
    std::set<const PluginSpec*> onStack;
    std::vector<PluginSpec*> stack;
    int counter = 0;
    std::function<void(PluginSpec*)> visit = [&](PluginSpec* v) {
        index[v] = low[v] = counter++;
        stack.push_back(v);
        onStack.insert(v);
        for (PluginSpec* w : edges(*v, enabled)) {
            if (!index.count(w)) {
                visit(w);
                low[v] = std::min(low[v], low[w]);
            } else if (onStack.count(w)) {
                low[v] = std::min(low[v], index[w]);
            }
        }
        if (low[v] != index[v]) return;
        std::vector<PluginSpec*> component;
        PluginSpec* w = nullptr;
        do {
            w = stack.back();
            stack.pop_back();
            onStack.erase(w);
            component.push_back(w);
        } while (w != v);
        const auto self = edges(*v, enabled);
        const bool selfLoop = std::find(self.begin(), self.end(), v) != self.end();
        if (component.size() < 2 && !selfLoop) return;
        std::sort(component.begin(), component.end(), [](auto* a, auto* b) { return a->id < b->id; });
        // Write the cycle as a path: start at the smallest id, follow edges inside it.
        std::set<PluginSpec*> members(component.begin(), component.end());
        QStringList path{component.front()->id};
        PluginSpec* at = component.front();
        std::set<PluginSpec*> seen{at};
        for (;;) {
            PluginSpec* next = nullptr;
            for (PluginSpec* e : edges(*at, enabled))
                if (members.count(e)) { next = e; if (!seen.count(e) || e == component.front()) break; }
            if (!next) break;
            path << next->id;
            if (seen.count(next)) break;
            seen.insert(next);
            at = next;
        }
        for (auto* s : component) s->fail(QStringLiteral("dependency cycle: %1").arg(path.join(QStringLiteral(" -> "))));
    };
    for (auto& [id, s] : enabled)
        if (!index.count(s)) visit(s);
}

}  // namespace

std::vector<PluginSpec*> Resolver::resolve(std::vector<PluginSpec>& specs) const {
    failDuplicates(specs);

    std::map<QString, PluginSpec*> installed;
    for (auto& s : specs)
        if (s.manifest) installed[s.id] = &s;

    for (auto& s : specs) {
        if (!s.enabled || !s.usable() || !s.manifest) continue;
        if (s.manifest->sdkApi != hostApi_) {
            s.fail(QStringLiteral("manifest says sdk-api %1, host provides SDK API %2").arg(s.manifest->sdkApi).arg(hostApi_));
        }
    }

    // Dependencies are looked up among every enabled plugin with a valid manifest, even one
    // that already failed: its dependents are then skipped below, naming it and its reason.
    ById enabled;
    for (auto& s : specs)
        if (s.enabled && s.manifest) enabled[s.id] = &s;
    for (auto& [id, s] : enabled)
        if (s->usable()) checkDependencies(*s, enabled, installed);

    ById live;
    for (auto& [id, s] : enabled)
        if (s->usable()) live[id] = s;
    failCycles(live);

    // Start order: Kahn's algorithm over the survivors, smallest id first among the ready.
    // A plugin whose required dependency did not survive is skipped, naming it.
    std::vector<PluginSpec*> order;
    std::set<QString> done;
    bool progress = true;
    while (progress) {
        progress = false;
        for (auto& [id, s] : enabled) {
            if (!s->usable() || done.count(id)) continue;
            bool ready = true;
            for (const auto& dep : s->manifest->dependencies) {
                auto it = enabled.find(dep.id);
                if (it == enabled.end()) continue;  // optional and absent (required ones failed above)
                PluginSpec* d = it->second;
                if (d->state == PluginState::Failed || d->state == PluginState::Skipped) {
                    if (dep.optional) continue;
                    s->skip(QStringLiteral("required plugin %1 %2: %3")
                                .arg(dep.id, d->state == PluginState::Failed ? QStringLiteral("failed")
                                                                            : QStringLiteral("was skipped"),
                                     d->reason));
                    progress = true;
                    ready = false;
                    break;
                }
                if (!done.count(dep.id)) ready = false;
            }
            if (ready && s->usable()) {
                s->state = PluginState::Resolved;
                s->reason.clear();
                order.push_back(s);
                done.insert(id);
                progress = true;
            }
        }
    }
    return order;
}

void Resolver::skipDependentsOf(const PluginSpec& failed, std::vector<PluginSpec>& specs) {
    bool progress = true;
    std::set<QString> down{failed.id};
    while (progress) {
        progress = false;
        for (auto& s : specs) {
            if (!s.usable() || !s.manifest) continue;
            for (const auto& dep : s.manifest->dependencies) {
                if (dep.optional || !down.count(dep.id)) continue;
                s.skip(dep.id == failed.id
                           ? QStringLiteral("required plugin %1 failed: %2").arg(failed.id, failed.reason)
                           : QStringLiteral("required plugin %1 was skipped").arg(dep.id));
                down.insert(s.id);
                progress = true;
                break;
            }
        }
    }
}

}  // namespace tessera::host
