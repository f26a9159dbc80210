#pragma once
// A plugin's manifest.xml: what the plugin is, needs and offers. The schema is written in
// configs/manifest.xsd and docs/manifests.md; Manifest::load checks all of it and names the
// file and line of every problem.

#include "runtime/file_error.hpp"
#include "runtime/semver.hpp"

#include <QString>
#include <QVariant>

#include <vector>

namespace tessera::host {

/// A text in the languages the shell shows: zh-CN (required) and en.
struct LocalizedText {
    QString zhCN;
    QString en;
};

struct DependencyDecl {
    QString id;
    VersionRange range = VersionRange::any();
    bool optional = false;
    int line = 0;
};

/// Another plugin that must not be enabled together with this one (in the given versions).
struct ConflictDecl {
    QString id;
    VersionRange range = VersionRange::any();
    int line = 0;
};

struct FeatureDecl {
    QString name;
    bool enabledByDefault = true;
    LocalizedText label;
};

enum class SettingType { Int, Number, Bool, String };

struct SettingDecl {
    QString name;
    SettingType type = SettingType::String;
    QVariant defaultValue;  // already converted to the type: qint64, double, bool, QString
    LocalizedText label;

    /// Converts text (from a manifest or deployment) to this setting's type; nullopt if invalid.
    std::optional<QVariant> convert(const QString& text) const;
};

struct PermissionDecl {
    QString id;  // must start with "<plugin-id>."
    LocalizedText label;
};

struct MenuEntryDecl {
    QString id;
    QString path;        // shell path, e.g. "/m/biz.customers/customers"
    QString permission;  // empty: visible to every user
    int order = 0;
    LocalizedText label;
};

struct Manifest {
    QString file;  // absolute path of manifest.xml
    QString dir;   // its folder: library and migrations/ are looked up here

    QString id;  // dotted lower-case, e.g. "biz.customers"
    Version version;
    int sdkApi = 0;
    LocalizedText name;
    QString library;  // library base name; the file is <dir>/lib<library>.so
    std::vector<DependencyDecl> dependencies;
    std::vector<ConflictDecl> conflicts;
    std::vector<FeatureDecl> features;
    std::vector<SettingDecl> settings;
    std::vector<PermissionDecl> permissions;
    std::vector<MenuEntryDecl> menu;

    static Parsed<Manifest> load(const QString& path);
    /// file and dir are taken from fileForMessages (made absolute); messages name it as given.
    static Parsed<Manifest> parse(const QByteArray& xml, const QString& fileForMessages);

    QString libraryPath() const;  // <dir>/lib<library>.so
    const FeatureDecl* feature(const QString& name) const;
    const SettingDecl* setting(const QString& name) const;
};

/// A plugin id: lower-case segments [a-z][a-z0-9-]* joined by '.', at least two ("biz.customers").
bool isValidPluginId(const QString& id);
/// A feature, setting or menu entry name: [a-z][a-z0-9-]* ("page-size").
bool isValidName(const QString& name);

}  // namespace tessera::host
