// The tessera command as scripts use it: output, and exit codes they can rely on
// (0 ok, 1 problem found, 2 usage error, 3 cannot start).

#include "host_fixture.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <csignal>

using namespace tessera::test;

namespace {

struct CliRun {
    int exitCode = -1;
    QString out;
    QString err;
};

CliRun runCli(const QStringList& args) {
    QProcess p;
    p.start(QStringLiteral(TESSERA_CLI), args);
    p.waitForFinished(60000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QString customersConfig(const TempDir& dir, const QString& overrides = {}) {
    return dir.write(QStringLiteral("deployment.xml"),
                     RunningHost::deploymentXml({builtPluginDir()}, {{QStringLiteral("biz.customers"), overrides}}).toUtf8());
}

}  // namespace

TEST(Cli, HelpForEveryCommandExitsZero) {
    for (const QStringList& args : {QStringList{QStringLiteral("--help")}, {QStringLiteral("serve"), QStringLiteral("--help")},
                                    {QStringLiteral("plugins"), QStringLiteral("list"), QStringLiteral("--help")},
                                    {QStringLiteral("plugins"), QStringLiteral("info"), QStringLiteral("--help")},
                                    {QStringLiteral("config"), QStringLiteral("check"), QStringLiteral("--help")},
                                    {QStringLiteral("migrate"), QStringLiteral("--help")},
                                    {QStringLiteral("demo"), QStringLiteral("--help")}}) {
        CliRun r = runCli(args);
        EXPECT_EQ(r.exitCode, 0) << args.join(QLatin1Char(' ')).toStdString();
        EXPECT_TRUE(r.out.contains(QStringLiteral("Usage:"))) << args.join(QLatin1Char(' ')).toStdString();
    }
}

TEST(Cli, OutputTheDiskDoesNotTakeFailsTheCommand) {
    // /dev/full: every write fails with ENOSPC, here at the last flush of a short output.
    QProcess p;
    p.setStandardOutputFile(QStringLiteral("/dev/full"));
    p.start(QStringLiteral(TESSERA_CLI), {QStringLiteral("--version")});
    ASSERT_TRUE(p.waitForFinished(60000));
    EXPECT_EQ(p.exitCode(), 1) << "a script must not take an empty file for the answer";
    EXPECT_TRUE(QString::fromUtf8(p.readAllStandardError()).contains(QStringLiteral("cannot write the output")));
}

TEST(Cli, UsageErrorsExitTwo) {
    EXPECT_EQ(runCli({}).exitCode, 2);
    EXPECT_EQ(runCli({QStringLiteral("frobnicate")}).exitCode, 2);
    CliRun noConfig = runCli({QStringLiteral("serve")});
    EXPECT_EQ(noConfig.exitCode, 2);
    EXPECT_TRUE(noConfig.err.contains(QStringLiteral("--config FILE is required")));
    CliRun unknownOption = runCli({QStringLiteral("migrate"), QStringLiteral("--config"), QStringLiteral("x.xml"), QStringLiteral("--dryrun")});
    EXPECT_EQ(unknownOption.exitCode, 2);
    EXPECT_TRUE(unknownOption.err.contains(QStringLiteral("unknown option --dryrun")));
    EXPECT_EQ(runCli({QStringLiteral("serve"), QStringLiteral("--config"), QStringLiteral("x.xml"), QStringLiteral("--port"), QStringLiteral("99999")}).exitCode, 2);
    EXPECT_EQ(runCli({QStringLiteral("plugins"), QStringLiteral("remove")}).exitCode, 2);
}

TEST(Cli, ConfigCheckAcceptsAValidDeploymentAndCreatesNothing) {
    TempDir dir;
    CliRun r = runCli({QStringLiteral("config"), QStringLiteral("check"), customersConfig(dir)});
    EXPECT_EQ(r.exitCode, 0) << r.err.toStdString();
    EXPECT_TRUE(r.out.contains(QStringLiteral("valid (1 plugin(s) enabled)")));
    EXPECT_FALSE(QFile::exists(dir.file(QStringLiteral("deployment.db"))));
}

TEST(Cli, ConfigCheckReportsPluginProblemsWithFileAndLine) {
    TempDir dir;
    CliRun r = runCli({QStringLiteral("config"), QStringLiteral("check"),
                     customersConfig(dir, QStringLiteral("<setting name=\"page-size\" value=\"many\"/>"))});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains(dir.file(QStringLiteral("deployment.xml")) + QStringLiteral(":"))) << r.err.toStdString();
    EXPECT_TRUE(r.err.contains(QStringLiteral("setting 'page-size' of biz.customers needs a whole number, not 'many'")))
        << r.err.toStdString();
}

TEST(Cli, ConfigCheckReportsInvalidXmlAndMissingFiles) {
    TempDir dir;
    const QString bad = dir.write(QStringLiteral("bad.xml"), "<deployment name=\"x\">\n  <databse path=\"a.db\"/>\n</deployment>\n");
    CliRun r = runCli({QStringLiteral("config"), QStringLiteral("check"), bad});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains(bad + QStringLiteral(":2:"))) << r.err.toStdString();
    EXPECT_EQ(runCli({QStringLiteral("config"), QStringLiteral("check"), dir.file(QStringLiteral("none.xml"))}).exitCode, 3);
}

TEST(Cli, PluginsListShowsStatesAsTextAndJson) {
    TempDir dir;
    const QString config = customersConfig(dir);
    CliRun text = runCli({QStringLiteral("plugins"), QStringLiteral("list"), QStringLiteral("--config"), config});
    EXPECT_EQ(text.exitCode, 0) << text.err.toStdString();
    EXPECT_TRUE(text.out.contains(QStringLiteral("biz.customers")));
    EXPECT_TRUE(text.out.contains(QStringLiteral("resolved")));
    CliRun json = runCli({QStringLiteral("plugins"), QStringLiteral("list"), QStringLiteral("--config"), config, QStringLiteral("--json")});
    ASSERT_EQ(json.exitCode, 0);
    const QJsonArray items = QJsonDocument::fromJson(json.out.toUtf8()).object().value(QStringLiteral("items")).toArray();
    // Every built plugin is listed; only the enabled one is resolved, the others are disabled.
    bool found = false;
    for (const auto& item : items) {
        const QJsonObject p = item.toObject();
        if (p.value(QStringLiteral("id")).toString() == QLatin1String("biz.customers")) {
            found = true;
            EXPECT_EQ(p.value(QStringLiteral("version")).toString(), QStringLiteral("1.0.0"));
            EXPECT_EQ(p.value(QStringLiteral("state")).toString(), QStringLiteral("resolved"));
        } else {
            EXPECT_EQ(p.value(QStringLiteral("state")).toString(), QStringLiteral("disabled")) << p.value(QStringLiteral("id")).toString().toStdString();
        }
    }
    EXPECT_TRUE(found);
}

TEST(Cli, PluginsListExitsOneWhenAnEnabledPluginWouldNotRun) {
    TempDir dir;
    const QString config = dir.write(QStringLiteral("d.xml"),
                                     RunningHost::deploymentXml({fixturePluginDir()}, {{QStringLiteral("fx.wrong-api"), {}}}).toUtf8());
    CliRun r = runCli({QStringLiteral("plugins"), QStringLiteral("list"), QStringLiteral("--config"), config});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.out.contains(QStringLiteral("built for SDK API 99, host provides %1").arg(tessera::kApiVersion))) << r.out.toStdString();
}

TEST(Cli, PluginsInfoShowsOnePluginOrExitsOne) {
    TempDir dir;
    const QString config = customersConfig(dir);
    CliRun r = runCli({QStringLiteral("plugins"), QStringLiteral("info"), QStringLiteral("biz.customers"), QStringLiteral("--config"), config});
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_TRUE(r.out.contains(QStringLiteral("客户档案")));
    EXPECT_TRUE(r.out.contains(QStringLiteral("biz.customers.write")));
    CliRun none = runCli({QStringLiteral("plugins"), QStringLiteral("info"), QStringLiteral("no.such"), QStringLiteral("--config"), config});
    EXPECT_EQ(none.exitCode, 1);
    EXPECT_TRUE(none.err.contains(QStringLiteral("no plugin 'no.such'")));
}

TEST(Cli, MigrateDryRunChangesNothingThenMigrateAppliesOnce) {
    TempDir dir;
    const QString config = customersConfig(dir);
    CliRun dry = runCli({QStringLiteral("migrate"), QStringLiteral("--config"), config, QStringLiteral("--dry-run")});
    EXPECT_EQ(dry.exitCode, 0) << dry.err.toStdString();
    EXPECT_TRUE(dry.out.contains(QStringLiteral("pending biz.customers"))) << dry.out.toStdString();
    CliRun dryAgain = runCli({QStringLiteral("migrate"), QStringLiteral("--config"), config, QStringLiteral("--dry-run")});
    EXPECT_TRUE(dryAgain.out.contains(QStringLiteral("pending biz.customers")));
    CliRun real = runCli({QStringLiteral("migrate"), QStringLiteral("--config"), config});
    EXPECT_EQ(real.exitCode, 0);
    EXPECT_TRUE(real.out.contains(QStringLiteral("applied biz.customers")));
    CliRun again = runCli({QStringLiteral("migrate"), QStringLiteral("--config"), config});
    EXPECT_EQ(again.exitCode, 0);
    EXPECT_TRUE(again.out.contains(QStringLiteral("nothing to migrate")));
}

TEST(Cli, MigrateExitsOneWhenAMigrationFails) {
    TempDir dir;
    const QString config = dir.write(QStringLiteral("d.xml"),
                                     RunningHost::deploymentXml({fixturePluginDir()}, {{QStringLiteral("fx.failing-migration"), {}}}).toUtf8());
    CliRun r = runCli({QStringLiteral("migrate"), QStringLiteral("--config"), config});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_TRUE(r.err.contains(QStringLiteral("0002_broken.sql failed and was rolled back"))) << r.err.toStdString();
}

TEST(Cli, ServeAnswersAndStopsCleanlyOnSigterm) {
    TempDir dir;
    QProcess p;
    p.start(QStringLiteral(TESSERA_CLI), {QStringLiteral("serve"), QStringLiteral("--config"), customersConfig(dir), QStringLiteral("--port"), QStringLiteral("0")});
    ASSERT_TRUE(p.waitForStarted());
    QString line;
    for (int i = 0; i < 100 && !line.startsWith(QStringLiteral("listening on")); ++i) {
        p.waitForReadyRead(100);
        line = QString::fromUtf8(p.readLine()).trimmed();
    }
    ASSERT_TRUE(line.startsWith(QStringLiteral("listening on http://127.0.0.1:"))) << line.toStdString();
    const auto port = static_cast<std::uint16_t>(line.section(QLatin1Char(':'), 2).remove(QLatin1Char('/')).toUInt());
    HttpClient client(port);
    EXPECT_EQ(client.get("/api/v1/health").status, 200);
    EXPECT_EQ(client.get("/api/v1/biz.customers/customers").status, 401);
    ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
    ASSERT_TRUE(p.waitForFinished(10000));
    EXPECT_EQ(p.exitStatus(), QProcess::NormalExit);
    EXPECT_EQ(p.exitCode(), 0);
    EXPECT_TRUE(QString::fromUtf8(p.readAllStandardError()).contains(QStringLiteral("stopping jobs and plugins")));
}

TEST(Cli, ServeExitsThreeWhenTheAddressIsTaken) {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor taken(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    TempDir dir;
    CliRun r = runCli({QStringLiteral("serve"), QStringLiteral("--config"), customersConfig(dir), QStringLiteral("--port"),
                     QString::number(taken.local_endpoint().port())});
    EXPECT_EQ(r.exitCode, 3);
    EXPECT_FALSE(r.err.isEmpty());
}
