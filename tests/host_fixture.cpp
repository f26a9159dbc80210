#include "host_fixture.hpp"

#include <stdexcept>

namespace tessera::test {

QString builtPluginDir() { return QStringLiteral(TESSERA_PLUGIN_OUTPUT_DIR); }
QString fixturePluginDir() { return QStringLiteral(TESSERA_FIXTURE_PLUGIN_DIR); }

QString RunningHost::deploymentXml(const QStringList& pluginDirs, const std::vector<EnablePlugin>& plugins,
                                   const QString& limitsXml) {
    QString xml = QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<deployment name=\"test\">\n"
                                 "  <database path=\"deployment.db\"/>\n  <listen address=\"127.0.0.1\" port=\"0\"/>\n");
    if (!limitsXml.isEmpty()) xml += QStringLiteral("  ") + limitsXml + QLatin1Char('\n');
    for (const auto& d : pluginDirs) xml += QStringLiteral("  <plugin-dir path=\"%1\"/>\n").arg(d);
    xml += QStringLiteral("  <plugins>\n");
    for (const auto& p : plugins)
        xml += QStringLiteral("    <plugin id=\"%1\">%2</plugin>\n").arg(p.id, p.overridesXml);
    xml += QStringLiteral("  </plugins>\n</deployment>\n");
    return xml;
}

RunningHost::RunningHost(const QStringList& pluginDirs, const std::vector<EnablePlugin>& plugins, const QString& limitsXml) {
    config_ = dir_.write(QStringLiteral("deployment.xml"), deploymentXml(pluginDirs, plugins, limitsXml).toUtf8());
    start();
}

RunningHost::RunningHost(const QString& configPath) : config_(configPath) { start(); }

void RunningHost::start() {
    auto app = host::HostApp::open(config_, log_);
    if (!app) throw std::runtime_error(app.error().message.toStdString());
    app_ = std::move(app).value();
    app_->startPlugins();
    if (auto s = app_->listen(); !s) throw std::runtime_error(s.error().message.toStdString());
    serving_ = std::thread([this] { app_->serve(); });
}

void RunningHost::stop() {
    if (!serving_.joinable()) return;
    app_->stop();
    serving_.join();
}

RunningHost::~RunningHost() { stop(); }

}  // namespace tessera::test
