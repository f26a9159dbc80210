#pragma once
// What the runtime knows about one plugin: where it was found, what its manifest says, and
// the state it reached, with the reason when it did not start. Shown to users as data
// (`tessera plugins list`, GET /api/v1/plugins).

#include "runtime/manifest.hpp"

#include <QHash>
#include <QString>

#include <optional>

namespace tessera::host {

enum class PluginState {
    Disabled,  // installed, not enabled in this deployment
    Pending,   // enabled, no verdict yet
    Resolved,  // manifest valid, dependencies satisfied; ready to load
    Started,
    Stopped,
    Failed,    // its own fault: reason says what
    Skipped,   // a required dependency failed or was skipped: reason names it
};

QString stateName(PluginState state);

struct PluginSpec {
    QString id;    // from the manifest, or the folder name when the manifest is unreadable
    QString dir;   // folder holding manifest.xml ("" if the plugin was never found)
    std::optional<Manifest> manifest;
    bool enabled = false;
    int configLine = 0;  // line of its <plugin> in the deployment, if enabled
    PluginState state = PluginState::Disabled;
    QString reason;
    QHash<QString, bool> features;  // the feature switches it started with (empty until started)

    bool usable() const { return state == PluginState::Pending || state == PluginState::Resolved; }
    void fail(QString why) {
        state = PluginState::Failed;
        reason = std::move(why);
    }
    void skip(QString why) {
        state = PluginState::Skipped;
        reason = std::move(why);
    }
};

}  // namespace tessera::host
