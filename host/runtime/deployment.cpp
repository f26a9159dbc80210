#include "runtime/deployment.hpp"

#include "runtime/byte_size.hpp"
#include "runtime/manifest.hpp"
#include "runtime/xml_reader.hpp"

#include <QDir>
#include <QFileInfo>
#include <QUrl>

namespace tessera::host {

namespace {

using Presence = XmlReader::Presence;
constexpr int unbounded = ChildRule::unbounded;

// Reads a <deployment> element, recording every problem in the XmlReader.
class DeploymentReader {
public:
    DeploymentReader(XmlReader& xml, Deployment& deployment)
        : xml_(xml), d_(deployment), base_(QFileInfo(deployment.file).absolutePath()) {}

    void read(const pugi::xml_node& root) {
        xml_.checkAttributes(root, {"name"});
        xml_.checkChildren(root, {{"database", 1, 1},
                                  {"listen"},
                                  {"limits"},
                                  {"files"},
                                  {"plugin-dir", 1, unbounded},
                                  {"plugins", 1, 1}});
        if (const auto name = nonEmpty(root, "name")) d_.name = *name;
        if (const auto database = root.child("database")) {
            xml_.checkLeaf(database, {"path"});
            if (const auto path = nonEmpty(database, "path")) d_.databasePath = resolve(*path);
        }
        if (const auto listen = root.child("listen")) readListen(listen);
        if (const auto limits = root.child("limits")) readLimits(limits);
        if (const auto files = root.child("files")) readFiles(files);
        for (pugi::xml_node dir : root.children("plugin-dir")) {
            xml_.checkLeaf(dir, {"path"});
            if (const auto path = nonEmpty(dir, "path")) d_.pluginDirs.push_back(resolve(*path));
        }
        if (const auto plugins = root.child("plugins")) readPlugins(plugins);
    }

private:
    QString resolve(const QString& path) const { return QDir::cleanPath(QDir(base_).absoluteFilePath(path)); }

    // A required attribute that must not be empty.
    std::optional<QString> nonEmpty(const pugi::xml_node& element, const char* attribute) {
        const auto value = xml_.attribute(element, attribute, Presence::Required);
        if (value && value->isEmpty()) {
            xml_.error(element, QStringLiteral("empty %1 on %2").arg(QString::fromUtf8(attribute), xmlTag(element)));
            return std::nullopt;
        }
        return value;
    }

    // A required attribute holding a feature or setting name.
    std::optional<QString> localName(const pugi::xml_node& element) {
        const auto value = xml_.attribute(element, "name", Presence::Required);
        if (!value || isValidName(*value)) return value;
        xml_.error(element, QStringLiteral("invalid name=\"%1\" on %2: expected lower-case letters, "
                                           "digits and '-', starting with a letter")
                                .arg(*value, xmlTag(element)));
        return std::nullopt;
    }

    void readListen(const pugi::xml_node& listen) {
        xml_.checkLeaf(listen, {"address", "port", "public-url"});
        if (const auto address = xml_.attribute(listen, "address", Presence::Optional)) {
            if (address->isEmpty())
                xml_.error(listen, QStringLiteral("empty address on <listen>"));
            else
                d_.listenAddress = *address;
        }
        if (const auto port = xml_.intAttribute(listen, "port", Presence::Optional, 0, 65535))
            d_.port = static_cast<std::uint16_t>(*port);
        // Where users reach the deployment, e.g. behind a TLS-terminating proxy.
        if (const auto url = xml_.attribute(listen, "public-url", Presence::Optional)) {
            const QUrl parsed(*url, QUrl::StrictMode);
            const QString scheme = parsed.scheme();
            if (!parsed.isValid() || parsed.host().isEmpty() || (scheme != QStringLiteral("https") && scheme != QStringLiteral("http")))
                xml_.error(listen, QStringLiteral("public-url=\"%1\" on <listen>: expected an address such as https://party.example.cn/").arg(*url));
            else
                d_.publicUrl = *url;
        }
    }

    void readLimits(const pugi::xml_node& limits) {
        xml_.checkLeaf(limits, {"max-body-bytes", "read-timeout-ms", "idle-timeout-ms", "threads",
                                "shutdown-grace-ms", "max-upload-bytes"});
        Limits& l = d_.limits;
        const auto positiveInt = [&](const char* name, int& target, std::int64_t max) {
            if (const auto n = xml_.intAttribute(limits, name, Presence::Optional, 1, max))
                target = static_cast<int>(*n);
        };
        if (const auto n = xml_.intAttribute(limits, "max-body-bytes", Presence::Optional, 1,
                                             std::numeric_limits<std::int64_t>::max()))
            l.maxBodyBytes = *n;
        if (const auto n = xml_.intAttribute(limits, "max-upload-bytes", Presence::Optional, 1,
                                             std::numeric_limits<std::int64_t>::max()))
            l.maxUploadBytes = *n;
        positiveInt("read-timeout-ms", l.readTimeoutMs, std::numeric_limits<int>::max());
        positiveInt("idle-timeout-ms", l.idleTimeoutMs, std::numeric_limits<int>::max());
        positiveInt("threads", l.threads, 256);
        positiveInt("shutdown-grace-ms", l.shutdownGraceMs, std::numeric_limits<int>::max());
    }

    void readFiles(const pugi::xml_node& files) {
        xml_.checkLeaf(files, {"quota", "unit-quota", "keep-deleted-days"});
        const auto size = [&](const char* name, std::int64_t& target) {
            const auto text = xml_.attribute(files, name, Presence::Optional);
            if (!text) return;
            if (const auto bytes = parseByteSize(*text)) target = *bytes;
            else
                xml_.error(files, QStringLiteral("%1=\"%2\" on <files>: expected a size such as 20GB, 500MB or 2TB")
                                      .arg(QString::fromUtf8(name), *text));
        };
        size("quota", d_.files.quota);
        size("unit-quota", d_.files.unitQuota);
        if (const auto days = xml_.intAttribute(files, "keep-deleted-days", Presence::Optional, 0, 36500))
            d_.files.keepDeletedDays = static_cast<int>(*days);
    }

    void readPlugins(const pugi::xml_node& plugins) {
        xml_.checkAttributes(plugins, {});
        xml_.checkChildren(plugins, {{"plugin", 0, unbounded}});
        QHash<QString, int> seen;
        for (pugi::xml_node element : plugins.children("plugin")) {
            xml_.checkAttributes(element, {"id"});
            xml_.checkChildren(element, {{"feature", 0, unbounded}, {"setting", 0, unbounded}});
            EnabledPlugin p;
            p.line = xml_.line(element);
            const auto id = xml_.attribute(element, "id", Presence::Required);
            if (id && !isValidPluginId(*id)) {
                xml_.error(element, QStringLiteral("invalid id=\"%1\" on <plugin>: expected a plugin id "
                                                   "of dotted lower-case segments like biz.customers")
                                        .arg(*id));
            } else if (id) {
                xml_.checkUnique(seen, *id, element, QStringLiteral("plugin %1").arg(*id));
                p.id = *id;
            }
            readOverrides(element, p);
            d_.plugins.push_back(std::move(p));
        }
    }

    void readOverrides(const pugi::xml_node& plugin, EnabledPlugin& p) {
        const QString inPlugin = p.id.isEmpty() ? QString() : QStringLiteral(" in plugin %1").arg(p.id);
        QHash<QString, int> seenFeatures;
        for (pugi::xml_node element : plugin.children("feature")) {
            xml_.checkLeaf(element, {"name", "enabled"});
            const auto name = localName(element);
            const auto enabled = xml_.boolAttribute(element, "enabled", Presence::Required);
            if (!name || !enabled) continue;
            xml_.checkUnique(seenFeatures, *name, element, QStringLiteral("feature %1%2").arg(*name, inPlugin));
            p.features.push_back({*name, *enabled, xml_.line(element)});
        }
        QHash<QString, int> seenSettings;
        for (pugi::xml_node element : plugin.children("setting")) {
            xml_.checkLeaf(element, {"name", "value"});
            const auto name = localName(element);
            const auto value = xml_.attribute(element, "value", Presence::Required);
            if (!name || !value) continue;
            xml_.checkUnique(seenSettings, *name, element, QStringLiteral("setting %1%2").arg(*name, inPlugin));
            p.settings.push_back({*name, *value, xml_.line(element)});
        }
    }

    XmlReader& xml_;
    Deployment& d_;
    QString base_;
};

}  // namespace

Parsed<Deployment> Deployment::load(const QString& path) {
    const QString file = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    FileError error;
    const auto xml = readXmlFile(file, error);
    if (!xml) return {std::nullopt, {error}};
    return parse(*xml, file);
}

Parsed<Deployment> Deployment::parse(const QByteArray& xml, const QString& fileForMessages) {
    XmlReader reader(xml, fileForMessages);
    Deployment d;
    d.file = QDir::cleanPath(QFileInfo(fileForMessages).absoluteFilePath());
    if (const auto root = reader.root("deployment")) DeploymentReader(reader, d).read(root);
    return reader.finish(std::move(d));
}

const EnabledPlugin* Deployment::enabled(const QString& id) const {
    for (const auto& p : plugins)
        if (p.id == id) return &p;
    return nullptr;
}

}  // namespace tessera::host
