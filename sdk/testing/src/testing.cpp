#include <tessera/testing.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThread>

#include <cstdio>
#include <optional>
#include <stdexcept>

namespace tessera::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

[[noreturn]] void fail(const QString& what) { throw std::runtime_error(what.toStdString()); }

beast::string_view view(const QByteArray& b) { return {b.constData(), static_cast<std::size_t>(b.size())}; }

// The plugins installed with a host: <prefix>/bin/tessera -> <prefix>/lib/tessera/plugins.
QString installedPlugins(const QString& executable) {
    return QDir::cleanPath(QFileInfo(executable).absolutePath() + QStringLiteral("/../lib/tessera/plugins"));
}

QString xmlEscaped(QString s) {
    return s.replace(u'&', QStringLiteral("&amp;")).replace(u'<', QStringLiteral("&lt;")).replace(u'"', QStringLiteral("&quot;"));
}

}  // namespace

QByteArray Reply::header(const QByteArray& lowerCaseName) const {
    for (const auto& [k, v] : headers)
        if (k.compare(lowerCaseName, Qt::CaseInsensitive) == 0) return v;
    return {};
}

QJsonObject Reply::json() const { return QJsonDocument::fromJson(body).object(); }

struct Client::Impl {
    std::uint16_t port = 0;
    QByteArray token;
    QByteArray language;  // Accept-Language, when set
    asio::io_context ioc;
    std::optional<beast::tcp_stream> stream;
    beast::flat_buffer buffer;

    Reply roundTrip(const bhttp::request<bhttp::string_body>& req) {
        bhttp::write(*stream, req);
        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(256 * 1024 * 1024);
        bhttp::read(*stream, buffer, parser);
        auto res = parser.release();
        Reply reply;
        reply.status = static_cast<int>(res.result_int());
        for (const auto& f : res)
            reply.headers.append({QByteArray(f.name_string().data(), static_cast<int>(f.name_string().size())).toLower(),
                                  QByteArray(f.value().data(), static_cast<int>(f.value().size()))});
        reply.body = QByteArray::fromStdString(res.body());
        if (!res.keep_alive()) stream.reset();
        return reply;
    }
};

Client::Client(std::uint16_t port, QByteArray token) : impl_(std::make_unique<Impl>()) {
    impl_->port = port;
    impl_->token = std::move(token);
}
void Client::setLanguage(const QByteArray& acceptLanguage) { impl_->language = acceptLanguage; }
Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

Reply Client::request(const QByteArray& method, const QByteArray& target, const QByteArray& body,
                      const QList<QPair<QByteArray, QByteArray>>& headers) {
    bhttp::request<bhttp::string_body> req;
    req.method_string(view(method));
    req.target(view(target));
    req.version(11);
    req.set(bhttp::field::host, "127.0.0.1");
    if (!impl_->token.isEmpty()) req.set(bhttp::field::authorization, view("Bearer " + impl_->token));
    if (!impl_->language.isEmpty()) req.set(bhttp::field::accept_language, view(impl_->language));
    for (const auto& [k, v] : headers) req.set(view(k), view(v));
    if (!body.isEmpty() || method == "POST" || method == "PUT" || method == "PATCH") {
        req.body() = body.toStdString();
        req.prepare_payload();
    }
    // One retry on a fresh connection: the host may have closed an idle keep-alive one.
    for (int attempt = 0;; ++attempt) {
        try {
            if (!impl_->stream) {
                impl_->stream.emplace(impl_->ioc);
                impl_->stream->connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), impl_->port));
                impl_->buffer.clear();
            }
            return impl_->roundTrip(req);
        } catch (const std::exception& e) {
            impl_->stream.reset();
            if (attempt > 0) fail(QStringLiteral("%1 %2: %3").arg(QString::fromUtf8(method), QString::fromUtf8(target), QString::fromLocal8Bit(e.what())));
        }
    }
}

Reply Client::send(const QByteArray& method, const QByteArray& target, const QJsonObject& json,
                   const QList<QPair<QByteArray, QByteArray>>& headers) {
    auto all = headers;
    all.append(qMakePair(QByteArray("content-type"), QByteArray("application/json")));
    return request(method, target, QJsonDocument(json).toJson(QJsonDocument::Compact), all);
}

// ---------------------------------------------------------------------------------------

struct Host::Impl {
    QString executable;
    QTemporaryDir dir;
    QString config;
    QString clockFile;
    QProcess serve;
    QByteArray out;
    std::uint16_t port = 0;
    QByteArray adminToken;

    // Runs the installed CLI on the deployment; its standard output, or a failure naming what it said.
    QByteArray cli(const QStringList& args, const QByteArray& input = {}) {
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(executable, args + QStringList{QStringLiteral("--config"), config});
        if (!p.waitForStarted(10000)) fail(QStringLiteral("cannot run %1").arg(executable));
        if (!input.isEmpty()) p.write(input);
        p.closeWriteChannel();
        p.waitForFinished(60000);
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
            fail(QStringLiteral("tessera %1 failed: %2%3").arg(args.join(u' '), QString::fromUtf8(p.readAllStandardOutput()),
                                                              QString::fromUtf8(p.readAllStandardError())));
        return p.readAllStandardOutput().trimmed();
    }

    QProcessEnvironment environment() const {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("TESSERA_TEST_CLOCK_FILE"), clockFile);
        return env;
    }
};

Host::Host(HostOptions options) : impl_(std::make_unique<Impl>()) {
    Impl& d = *impl_;
    if (!d.dir.isValid()) fail(QStringLiteral("cannot create a temporary folder"));
    d.executable = options.executable;
    if (d.executable.isEmpty() || !QFileInfo(d.executable).isExecutable())
        fail(QStringLiteral("no tessera executable at '%1': set HostOptions::executable or TESSERA_TESTING_HOST").arg(d.executable));
    d.clockFile = d.dir.filePath(QStringLiteral("clock"));
    setNow(options.now.isValid() ? options.now : QDateTime::currentDateTimeUtc());
    QString dirs;
    for (const QString& p : options.pluginDirs + QStringList{installedPlugins(d.executable)})
        dirs += QStringLiteral("  <plugin-dir path=\"%1\"/>\n").arg(xmlEscaped(QDir(p).absolutePath()));
    QString plugins;
    for (const QString& id : options.plugins) plugins += QStringLiteral("    <plugin id=\"%1\">%2</plugin>\n").arg(xmlEscaped(id), options.pluginXml);
    d.config = d.dir.filePath(QStringLiteral("deployment.xml"));
    QFile f(d.config);
    if (!f.open(QIODevice::WriteOnly))
        fail(QStringLiteral("cannot write %1").arg(d.config));
    f.write(QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<deployment name=\"%1\">\n  <database path=\"test.db\"/>\n"
                           "  <listen address=\"127.0.0.1\" port=\"0\"/>\n%2  <plugins>\n%3  </plugins>\n</deployment>\n")
                .arg(xmlEscaped(options.deploymentName), dirs, plugins)
                .toUtf8());
    f.close();
    d.cli({QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("admin"), QStringLiteral("--admin"), QStringLiteral("--password-stdin")},
          "a-long-test-password\n");
    d.adminToken = d.cli({QStringLiteral("user"), QStringLiteral("token"), QStringLiteral("admin"), QStringLiteral("--label"), QStringLiteral("test")});
    d.serve.setProcessEnvironment(d.environment());
    d.serve.setProcessChannelMode(QProcess::MergedChannels);
    d.serve.start(d.executable, {QStringLiteral("serve"), QStringLiteral("--config"), d.config, QStringLiteral("--port"), QStringLiteral("0")});
    if (!d.serve.waitForStarted(10000)) fail(QStringLiteral("cannot start %1").arg(d.executable));
    static const QRegularExpression listening(QStringLiteral("listening on http://127\\.0\\.0\\.1:(\\d+)/"));
    QElapsedTimer waited;
    waited.start();
    while (!d.port && waited.elapsed() < 30000) {
        d.serve.waitForReadyRead(200);
        d.out += d.serve.readAll();
        if (const auto m = listening.match(QString::fromUtf8(d.out)); m.hasMatch()) d.port = static_cast<std::uint16_t>(m.captured(1).toUInt());
        if (d.serve.state() == QProcess::NotRunning) break;
    }
    if (!d.port) fail(QStringLiteral("the host did not start:\n%1").arg(QString::fromUtf8(d.out)));
    // Every enabled plugin must run: a test of a plugin that failed to start tests nothing.
    const Reply described = admin().get("/api/v1/plugins");
    for (const auto& p : described.json().value(QStringLiteral("items")).toArray()) {
        const QJsonObject o = p.toObject();
        if (options.plugins.contains(o.value(QStringLiteral("id")).toString()) && o.value(QStringLiteral("state")).toString() != u"started")
            fail(QStringLiteral("plugin %1 is %2: %3").arg(o.value(QStringLiteral("id")).toString(), o.value(QStringLiteral("state")).toString(),
                                                          o.value(QStringLiteral("reason")).toString()));
    }
}

Host::~Host() {
    impl_->serve.terminate();
    if (!impl_->serve.waitForFinished(15000)) impl_->serve.kill();
}

std::uint16_t Host::port() const { return impl_->port; }
Client Host::admin() { return Client(impl_->port, impl_->adminToken); }
Client Host::as(const QByteArray& token) { return Client(impl_->port, token); }

QByteArray Host::user(const QString& username, qint64 unitId, const QString& role, const QString& scope) {
    const QString unit = QString::number(unitId);
    impl_->cli({QStringLiteral("user"), QStringLiteral("add"), username, QStringLiteral("--unit"), unit, QStringLiteral("--password-stdin")},
               "a-long-test-password\n");
    impl_->cli({QStringLiteral("user"), QStringLiteral("grant"), username, role, QStringLiteral("--scope"), scope, QStringLiteral("--unit"), unit});
    return impl_->cli({QStringLiteral("user"), QStringLiteral("token"), username, QStringLiteral("--label"), QStringLiteral("test")});
}

qint64 Host::rootUnit() {
    const Reply r = admin().get("/api/v1/units");
    const QJsonArray items = r.json().value(QStringLiteral("items")).toArray();
    if (r.status != 200 || items.isEmpty()) fail(QStringLiteral("GET /api/v1/units: %1 %2").arg(r.status).arg(QString::fromUtf8(r.body)));
    return items.first().toObject().value(QStringLiteral("id")).toInteger();
}

qint64 Host::addUnit(qint64 parentId, const QString& name) {
    const Reply r = admin().send("POST", "/api/v1/units", QJsonObject{{QStringLiteral("parentId"), parentId}, {QStringLiteral("name"), name}});
    if (r.status != 201) fail(QStringLiteral("POST /api/v1/units: %1 %2").arg(r.status).arg(QString::fromUtf8(r.body)));
    return r.json().value(QStringLiteral("id")).toInteger();
}

void Host::setNow(const QDateTime& now) {
    // Written beside and renamed over, so the host never reads half a time.
    const QString next = impl_->clockFile + QStringLiteral(".next");
    QFile f(next);
    if (!f.open(QIODevice::WriteOnly) || f.write(now.toUTC().toString(Qt::ISODateWithMs).toUtf8()) < 0) fail(QStringLiteral("cannot write the clock"));
    f.close();
    if (::rename(QFile::encodeName(next).constData(), QFile::encodeName(impl_->clockFile).constData()) != 0) fail(QStringLiteral("cannot move the clock"));
}

QString Host::output() const {
    impl_->out += impl_->serve.readAll();
    return QString::fromUtf8(impl_->out);
}

}  // namespace tessera::testing
