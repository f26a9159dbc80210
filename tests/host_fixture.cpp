#include "host_fixture.hpp"

#include <gtest/gtest.h>

#include <QJsonDocument>
#include <QProcess>

#include <chrono>
#include <stdexcept>

namespace tessera::test {

QString builtPluginDir() { return QStringLiteral(TESSERA_PLUGIN_OUTPUT_DIR); }
QString fixturePluginDir() { return QStringLiteral(TESSERA_FIXTURE_PLUGIN_DIR); }

CliResult runTessera(const QStringList& args, const QByteArray& input) {
    QProcess p;
    p.start(QStringLiteral(TESSERA_CLI), args);
    if (!input.isEmpty()) p.write(input);
    p.closeWriteChannel();
    const bool ended = p.waitForFinished(120000);
    return {ended && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QJsonObject waitForJob(HttpClient& client, const QByteArray& href) {
    QJsonObject job;
    for (int i = 0; i < 2000; ++i) {
        auto r = client.get(href);
        if (r.status != 200) {
            ADD_FAILURE() << "GET " << href.toStdString() << " answered " << r.status << ": " << r.body.toStdString();
            return {};
        }
        job = r.json();
        const QString state = job.value(QStringLiteral("state")).toString();
        if (state != QLatin1String("queued") && state != QLatin1String("running")) return job;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "job " << href.toStdString() << " did not end: " << QJsonDocument(job).toJson().toStdString();
    return job;
}

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

QByteArray RunningHost::userToken(const QString& username, const QString& role, const QString& scope, qint64 unitId) {
    auto& accounts = app_->accounts();
    auto id = accounts.addUser(username, username, QStringLiteral("correct horse battery"), unitId);
    if (!id) throw std::runtime_error(id.error().message.toStdString());
    if (!role.isEmpty()) {
        auto r = accounts.roleByName(role);
        if (!r) throw std::runtime_error(r.error().message.toStdString());
        const auto kind = *host::parseScope(scope);
        auto granted = accounts.grant(*id, r->id, kind, kind == host::ScopeKind::All ? 0 : unitId);
        if (!granted) throw std::runtime_error(granted.error().message.toStdString());
    }
    auto token = app_->sessions().createToken(*id, QStringLiteral("test"), std::nullopt);
    if (!token) throw std::runtime_error(token.error().message.toStdString());
    return token->second.toLatin1();
}

QByteArray RunningHost::adminToken() {
    if (adminToken_.isEmpty()) {
        auto root = app_->units().ensureRoot(QStringLiteral("test"));
        if (!root) throw std::runtime_error(root.error().message.toStdString());
        // A restarted deployment already has its administrator.
        if (auto existing = app_->accounts().userByName(QStringLiteral("admin"))) {
            auto token = app_->sessions().createToken(existing->id, QStringLiteral("test"), std::nullopt);
            if (!token) throw std::runtime_error(token.error().message.toStdString());
            adminToken_ = token->second.toLatin1();
        } else {
            adminToken_ = userToken(QStringLiteral("admin"), host::kAdministratorRole, QStringLiteral("all"), root->id);
        }
    }
    return adminToken_;
}

HttpClient RunningHost::client() {
    HttpClient c(port());
    c.setDefaultHeader("Authorization", "Bearer " + adminToken());
    return c;
}

void RunningHost::stop() {
    if (!serving_.joinable()) return;
    app_->stop();
    serving_.join();
}

RunningHost::~RunningHost() { stop(); }

}  // namespace tessera::test
