#include "runtime/manifest.hpp"

#include "runtime/xml_reader.hpp"

#include <QDir>
#include <QFileInfo>
#include <QSet>

#include <cmath>

namespace tessera::host {

namespace {

using Presence = XmlReader::Presence;
constexpr int unbounded = ChildRule::unbounded;

struct SettingTypeName {
    SettingType type;
    const char16_t* name;
};
constexpr SettingTypeName settingTypes[] = {{SettingType::Int, u"int"},
                                            {SettingType::Number, u"number"},
                                            {SettingType::Bool, u"bool"},
                                            {SettingType::String, u"string"}};

QString settingTypeName(SettingType type) {
    for (const auto& t : settingTypes)
        if (t.type == type) return QString::fromUtf16(t.name);
    return {};
}

// Reads a <plugin> element into a Manifest, recording every problem in the XmlReader.
class ManifestReader {
public:
    ManifestReader(XmlReader& xml, Manifest& manifest) : xml_(xml), m_(manifest) {}

    void read(const pugi::xml_node& plugin) {
        xml_.checkAttributes(plugin, {"id", "version", "sdk-api"});
        xml_.checkChildren(plugin, {{"name", 0, unbounded},
                                    {"library", 1, 1},
                                    {"dependencies"},
                                    {"conflicts"},
                                    {"features"},
                                    {"settings"},
                                    {"permissions"},
                                    {"menu"}});
        if (const auto id = pluginId(plugin, "id")) m_.id = *id;
        if (const auto text = xml_.attribute(plugin, "version", Presence::Required)) {
            if (const auto version = Version::parse(*text))
                m_.version = *version;
            else
                xml_.error(plugin, QStringLiteral("invalid version=\"%1\" on <plugin>: expected a "
                                                  "semantic version like 1.2.0")
                                       .arg(*text));
        }
        if (const auto api = xml_.intAttribute(plugin, "sdk-api", Presence::Required))
            m_.sdkApi = static_cast<int>(*api);
        m_.name = localized(plugin, "name");
        if (const auto library = plugin.child("library")) readLibrary(library);
        // Permissions first: menu entries refer to them.
        readPermissions(plugin.child("permissions"));
        readDependencies(plugin.child("dependencies"));
        readConflicts(plugin.child("conflicts"));
        readFeatures(plugin.child("features"));
        readSettings(plugin.child("settings"));
        readMenu(plugin.child("menu"));
    }

private:
    // A required attribute holding a plugin id.
    std::optional<QString> pluginId(const pugi::xml_node& element, const char* attribute) {
        const auto id = xml_.attribute(element, attribute, Presence::Required);
        if (!id) return std::nullopt;
        if (isValidPluginId(*id)) return id;
        xml_.error(element, QStringLiteral("invalid %1=\"%2\" on %3: expected a plugin id of dotted "
                                           "lower-case segments like biz.customers")
                                .arg(QString::fromUtf8(attribute), *id, xmlTag(element)));
        return std::nullopt;
    }

    // A required attribute holding a feature, setting or menu entry name.
    std::optional<QString> localName(const pugi::xml_node& element, const char* attribute) {
        const auto value = xml_.attribute(element, attribute, Presence::Required);
        if (!value) return std::nullopt;
        if (isValidName(*value)) return value;
        xml_.error(element, QStringLiteral("invalid %1=\"%2\" on %3: expected lower-case letters, "
                                           "digits and '-', starting with a letter")
                                .arg(QString::fromUtf8(attribute), *value, xmlTag(element)));
        return std::nullopt;
    }

    std::optional<VersionRange> range(const pugi::xml_node& element) {
        const auto text = xml_.attribute(element, "version", Presence::Optional);
        if (!text) return VersionRange::any();
        if (auto range = VersionRange::parse(*text)) return range;
        xml_.error(element, QStringLiteral("invalid version range \"%1\" on %2").arg(*text, xmlTag(element)));
        return std::nullopt;
    }

    // The <name> or <label> children of `parent`: exactly one in zh-CN and one in en.
    LocalizedText localized(const pugi::xml_node& parent, const char* element) {
        LocalizedText text;
        QHash<QString, int> seen;
        for (pugi::xml_node child : parent.children(element)) {
            xml_.checkAttributes(child, {"lang"});
            const auto value = xml_.text(child);
            const auto lang = xml_.attribute(child, "lang", Presence::Required);
            if (!lang) continue;
            QString* target = *lang == u"zh-CN" ? &text.zhCN : *lang == u"en" ? &text.en : nullptr;
            if (!target) {
                xml_.error(child, QStringLiteral("invalid lang=\"%1\" on %2: expected zh-CN or en")
                                      .arg(*lang, xmlTag(child)));
                continue;
            }
            const QString what = QStringLiteral("<%1 lang=\"%2\"> in %3")
                                     .arg(QString::fromUtf8(element), *lang, xmlTag(parent));
            if (xml_.checkUnique(seen, *lang, child, what) && value) *target = *value;
        }
        for (const char16_t* lang : {u"zh-CN", u"en"})
            if (!seen.contains(QString::fromUtf16(lang)))
                xml_.error(parent, QStringLiteral("missing <%1 lang=\"%2\"> in %3")
                                       .arg(QString::fromUtf8(element), QString::fromUtf16(lang), xmlTag(parent)));
        return text;
    }

    void readLibrary(const pugi::xml_node& library) {
        xml_.checkAttributes(library, {});
        const auto base = xml_.text(library);
        if (!base) return;
        if (base->contains(u'/') || base->contains(QStringLiteral(".."))) {
            xml_.error(library, QStringLiteral("invalid <library> \"%1\": expected a file base name "
                                               "without '/' or '..'")
                                    .arg(*base));
            return;
        }
        m_.library = *base;
    }

    // Checks a section element (no attributes, only `item` children) and returns its items.
    auto items(const pugi::xml_node& section, const char* item) {
        if (section) {
            xml_.checkAttributes(section, {});
            xml_.checkChildren(section, {{item, 0, unbounded}});
        }
        return section.children(item);
    }

    void readDependencies(const pugi::xml_node& section) {
        QHash<QString, int> seen;
        for (pugi::xml_node element : items(section, "dependency")) {
            xml_.checkLeaf(element, {"id", "version", "optional"});
            DependencyDecl d;
            d.line = xml_.line(element);
            const auto id = pluginId(element, "id");
            const auto versions = range(element);
            const auto optional = xml_.boolAttribute(element, "optional", Presence::Optional);
            if (!id) continue;
            if (*id == m_.id)
                xml_.error(element, QStringLiteral("plugin %1 depends on itself").arg(*id));
            else
                xml_.checkUnique(seen, *id, element, QStringLiteral("dependency %1").arg(*id));
            d.id = *id;
            if (versions) d.range = *versions;
            d.optional = optional.value_or(false);
            m_.dependencies.push_back(std::move(d));
        }
    }

    void readConflicts(const pugi::xml_node& section) {
        QHash<QString, int> seen;
        for (pugi::xml_node element : items(section, "conflict")) {
            xml_.checkLeaf(element, {"id", "version"});
            ConflictDecl c;
            c.line = xml_.line(element);
            const auto id = pluginId(element, "id");
            const auto versions = range(element);
            if (!id) continue;
            if (*id == m_.id)
                xml_.error(element, QStringLiteral("plugin %1 conflicts with itself").arg(*id));
            else
                xml_.checkUnique(seen, *id, element, QStringLiteral("conflict %1").arg(*id));
            c.id = *id;
            if (versions) c.range = *versions;
            m_.conflicts.push_back(std::move(c));
        }
    }

    void readFeatures(const pugi::xml_node& section) {
        QHash<QString, int> seen;
        for (pugi::xml_node element : items(section, "feature")) {
            xml_.checkAttributes(element, {"name", "default"});
            xml_.checkChildren(element, {{"label", 0, unbounded}});
            FeatureDecl f;
            const auto featureName = localName(element, "name");
            f.enabledByDefault = xml_.boolAttribute(element, "default", Presence::Optional).value_or(true);
            f.label = localized(element, "label");
            if (!featureName) continue;
            xml_.checkUnique(seen, *featureName, element, QStringLiteral("feature %1").arg(*featureName));
            f.name = *featureName;
            m_.features.push_back(std::move(f));
        }
    }

    void readSettings(const pugi::xml_node& section) {
        QHash<QString, int> seen;
        for (pugi::xml_node element : items(section, "setting")) {
            xml_.checkAttributes(element, {"name", "type", "default"});
            xml_.checkChildren(element, {{"label", 0, unbounded}});
            SettingDecl s;
            const auto settingName = localName(element, "name");
            const auto type = settingType(element);
            const auto defaultText = xml_.attribute(element, "default", Presence::Required);
            s.label = localized(element, "label");
            if (settingName)
                xml_.checkUnique(seen, *settingName, element, QStringLiteral("setting %1").arg(*settingName));
            if (!settingName || !type || !defaultText) continue;
            s.name = *settingName;
            s.type = *type;
            if (const auto value = s.convert(*defaultText)) {
                s.defaultValue = *value;
            } else {
                xml_.error(element, QStringLiteral("default \"%1\" of setting %2 is not a valid %3")
                                        .arg(*defaultText, s.name, settingTypeName(s.type)));
            }
            m_.settings.push_back(std::move(s));
        }
    }

    std::optional<SettingType> settingType(const pugi::xml_node& element) {
        const auto text = xml_.attribute(element, "type", Presence::Required);
        if (!text) return std::nullopt;
        for (const auto& t : settingTypes)
            if (*text == QStringView(t.name)) return t.type;
        xml_.error(element, QStringLiteral("invalid type=\"%1\" on <setting>: expected int, number, "
                                           "bool or string")
                                .arg(*text));
        return std::nullopt;
    }

    void readPermissions(const pugi::xml_node& section) {
        QHash<QString, int> seen;
        for (pugi::xml_node element : items(section, "permission")) {
            xml_.checkAttributes(element, {"id"});
            xml_.checkChildren(element, {{"label", 0, unbounded}});
            PermissionDecl p;
            const auto id = xml_.attribute(element, "id", Presence::Required);
            p.label = localized(element, "label");
            if (!id) continue;
            // Without a valid plugin id there is no prefix to check against.
            const QString prefix = m_.id.isEmpty() ? QString() : m_.id + QLatin1Char('.');
            if (!isValidPluginId(*id) || !id->startsWith(prefix)) {
                xml_.error(element, QStringLiteral("invalid permission id \"%1\": expected %2<name> "
                                                   "in dotted lower-case segments")
                                        .arg(*id, prefix.isEmpty() ? QStringLiteral("<plugin-id>.") : prefix));
                continue;
            }
            xml_.checkUnique(seen, *id, element, QStringLiteral("permission %1").arg(*id));
            p.id = *id;
            m_.permissions.push_back(std::move(p));
        }
    }

    void readMenu(const pugi::xml_node& section) {
        QSet<QString> declared;
        for (const auto& p : m_.permissions) declared.insert(p.id);
        QHash<QString, int> seen;
        for (pugi::xml_node element : items(section, "entry")) {
            xml_.checkAttributes(element, {"id", "path", "permission", "order"});
            xml_.checkChildren(element, {{"label", 0, unbounded}});
            MenuEntryDecl e;
            const auto id = localName(element, "id");
            const auto path = xml_.attribute(element, "path", Presence::Required);
            const auto permission = xml_.attribute(element, "permission", Presence::Optional);
            const auto order = xml_.intAttribute(element, "order", Presence::Optional,
                                                 std::numeric_limits<int>::min(),
                                                 std::numeric_limits<int>::max());
            e.label = localized(element, "label");
            if (id) xml_.checkUnique(seen, *id, element, QStringLiteral("menu entry %1").arg(*id));
            if (path && !path->startsWith(u'/'))
                xml_.error(element, QStringLiteral("invalid path=\"%1\" on <entry>: expected a shell "
                                                   "path starting with /")
                                        .arg(*path));
            if (permission && !declared.contains(*permission))
                xml_.error(element, QStringLiteral("menu entry %1 needs permission \"%2\", which this "
                                                   "manifest does not declare")
                                        .arg(id.value_or(QString()), *permission));
            if (!id || !path) continue;
            e.id = *id;
            e.path = *path;
            e.permission = permission.value_or(QString());
            e.order = static_cast<int>(order.value_or(0));
            m_.menu.push_back(std::move(e));
        }
    }

    XmlReader& xml_;
    Manifest& m_;
};

}  // namespace

bool isValidName(const QString& name) {
    if (name.isEmpty() || !(name[0] >= u'a' && name[0] <= u'z')) return false;
    return std::all_of(name.begin(), name.end(), [](QChar c) {
        return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-';
    });
}

bool isValidPluginId(const QString& id) {
    const QStringList segments = id.split(u'.');
    return segments.size() >= 2 && std::all_of(segments.begin(), segments.end(), isValidName);
}

std::optional<QVariant> SettingDecl::convert(const QString& text) const {
    switch (type) {
    case SettingType::Int:
        if (const auto n = parseXmlInteger(text)) return QVariant::fromValue(static_cast<qint64>(*n));
        return std::nullopt;
    case SettingType::Number: {
        bool ok = false;
        const double d = trimXmlSpace(text).toDouble(&ok);
        if (ok && std::isfinite(d)) return QVariant(d);
        return std::nullopt;
    }
    case SettingType::Bool:
        if (text == u"true") return QVariant(true);
        if (text == u"false") return QVariant(false);
        return std::nullopt;
    case SettingType::String: return QVariant(text);
    }
    return std::nullopt;
}

Parsed<Manifest> Manifest::load(const QString& path) {
    const QString file = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    FileError error;
    const auto xml = readXmlFile(file, error);
    if (!xml) return {std::nullopt, {error}};
    return parse(*xml, file);
}

Parsed<Manifest> Manifest::parse(const QByteArray& xml, const QString& fileForMessages) {
    XmlReader reader(xml, fileForMessages);
    Manifest m;
    m.file = QDir::cleanPath(QFileInfo(fileForMessages).absoluteFilePath());
    m.dir = QFileInfo(m.file).absolutePath();
    if (const auto root = reader.root("plugin")) ManifestReader(reader, m).read(root);
    return reader.finish(std::move(m));
}

QString Manifest::libraryPath() const {
    return dir + QStringLiteral("/lib") + library + QStringLiteral(".so");
}

const FeatureDecl* Manifest::feature(const QString& featureName) const {
    for (const auto& f : features)
        if (f.name == featureName) return &f;
    return nullptr;
}

const SettingDecl* Manifest::setting(const QString& settingName) const {
    for (const auto& s : settings)
        if (s.name == settingName) return &s;
    return nullptr;
}

}  // namespace tessera::host
