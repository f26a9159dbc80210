#include "runtime/deployment.hpp"

#include "test_support.hpp"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

#include <gtest/gtest.h>

using tessera::host::Deployment;
using tessera::host::FileError;
using tessera::host::Parsed;
using tessera::test::TempDir;

namespace {

// The example from docs/manifests.md; line numbers below refer to it.
const QByteArray example = R"(<?xml version="1.0" encoding="UTF-8"?>
<deployment name="Demo">
  <database path="var/demo.db"/>
  <listen address="127.0.0.1" port="8080"/>
  <limits max-body-bytes="1048576" read-timeout-ms="15000" idle-timeout-ms="60000" threads="2" shutdown-grace-ms="5000"/>
  <plugin-dir path="../build/plugins"/>
  <plugins>
    <plugin id="biz.customers">
      <feature name="search" enabled="false"/>
      <setting name="page-size" value="50"/>
    </plugin>
  </plugins>
</deployment>
)";

const char* const file = "/srv/tessera/configs/demo.xml";

Parsed<Deployment> parse(const QByteArray& xml) { return Deployment::parse(xml, QString::fromUtf8(file)); }

// A minimal deployment: line 1 is <deployment>, `middle` starts on line 3 and `plugins` on
// the line after it.
QByteArray withParts(const QByteArray& middle, const QByteArray& plugins = "<plugins/>\n") {
    return "<deployment name=\"Test\">\n<database path=\"t.db\"/>\n" + middle + "<plugin-dir path=\"p\"/>\n" +
           plugins + "</deployment>\n";
}

// A minimal deployment whose <plugins> element starts on line 4 and holds `plugins`.
QByteArray withPlugins(const QByteArray& plugins) { return withParts("", "<plugins>\n" + plugins + "</plugins>\n"); }

std::vector<std::string> errorsOf(const QByteArray& xml) {
    const auto parsed = parse(xml);
    EXPECT_FALSE(parsed.ok()) << "expected errors";
    std::vector<std::string> out;
    for (const FileError& e : parsed.errors) {
        EXPECT_EQ(e.file, QString::fromUtf8(file));
        out.push_back(std::to_string(e.line) + ": " + e.message.toStdString());
    }
    return out;
}

std::string onlyErrorOf(const QByteArray& xml) {
    const auto errors = errorsOf(xml);
    EXPECT_EQ(errors.size(), 1u) << testing::PrintToString(errors);
    return errors.empty() ? std::string() : errors.front();
}

}  // namespace

TEST(Deployment, ReadsTheDocumentedExample) {
    const auto parsed = parse(example);
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    const Deployment& d = *parsed.value;
    EXPECT_EQ(d.file, QString::fromUtf8(file));
    EXPECT_EQ(d.name, QStringLiteral("Demo"));
    EXPECT_EQ(d.databasePath, QStringLiteral("/srv/tessera/configs/var/demo.db"));
    EXPECT_EQ(d.listenAddress, QStringLiteral("127.0.0.1"));
    EXPECT_EQ(d.port, 8080);
    EXPECT_EQ(d.limits.maxBodyBytes, 1048576);
    EXPECT_EQ(d.limits.readTimeoutMs, 15000);
    EXPECT_EQ(d.limits.idleTimeoutMs, 60000);
    EXPECT_EQ(d.limits.threads, 2);
    EXPECT_EQ(d.limits.shutdownGraceMs, 5000);
    EXPECT_EQ(d.pluginDirs, QStringList{QStringLiteral("/srv/tessera/build/plugins")});
    ASSERT_EQ(d.plugins.size(), 1u);
    const auto& p = d.plugins[0];
    EXPECT_EQ(p.id, QStringLiteral("biz.customers"));
    EXPECT_EQ(p.line, 8);
    ASSERT_EQ(p.features.size(), 1u);
    EXPECT_EQ(p.features[0].name, QStringLiteral("search"));
    EXPECT_FALSE(p.features[0].enabled);
    EXPECT_EQ(p.features[0].line, 9);
    ASSERT_EQ(p.settings.size(), 1u);
    EXPECT_EQ(p.settings[0].name, QStringLiteral("page-size"));
    EXPECT_EQ(p.settings[0].value, QStringLiteral("50"));
    EXPECT_EQ(p.settings[0].line, 10);
    EXPECT_EQ(d.enabled(QStringLiteral("biz.customers")), &d.plugins[0]);
    EXPECT_EQ(d.enabled(QStringLiteral("party.daily")), nullptr);
}

TEST(Deployment, UsesDefaultsForListenAndLimits) {
    const auto parsed = parse(withParts(""));
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    EXPECT_EQ(parsed.value->listenAddress, QStringLiteral("127.0.0.1"));
    EXPECT_EQ(parsed.value->port, 8080);
    EXPECT_EQ(parsed.value->limits.maxBodyBytes, 1024 * 1024);
    EXPECT_EQ(parsed.value->limits.readTimeoutMs, 15000);
    EXPECT_EQ(parsed.value->limits.idleTimeoutMs, 60000);
    EXPECT_EQ(parsed.value->limits.threads, 2);
    EXPECT_EQ(parsed.value->limits.shutdownGraceMs, 5000);
    EXPECT_TRUE(parsed.value->plugins.empty());
}

TEST(Deployment, EachListenAndLimitsAttributeIsOptional) {
    const auto parsed = parse(withParts("<listen port=\"0\"/>\n<limits threads=\"8\"/>\n"));
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    EXPECT_EQ(parsed.value->listenAddress, QStringLiteral("127.0.0.1"));
    EXPECT_EQ(parsed.value->port, 0);
    EXPECT_EQ(parsed.value->limits.threads, 8);
    EXPECT_EQ(parsed.value->limits.readTimeoutMs, 15000);

    const auto addressOnly = parse(withParts("<listen address=\"0.0.0.0\"/>\n<limits/>\n"));
    ASSERT_TRUE(addressOnly.ok()) << addressOnly.errorText().toStdString();
    EXPECT_EQ(addressOnly.value->listenAddress, QStringLiteral("0.0.0.0"));
    EXPECT_EQ(addressOnly.value->port, 8080);
}

TEST(Deployment, APublicHttpsUrlMeansServedOverHttps) {
    const auto plain = parse(withParts(""));
    ASSERT_TRUE(plain.ok());
    EXPECT_FALSE(plain.value->servedOverHttps());
    const auto proxied = parse(withParts("<listen port=\"8080\" public-url=\"https://party.example.cn/\"/>\n"));
    ASSERT_TRUE(proxied.ok()) << proxied.errorText().toStdString();
    EXPECT_EQ(proxied.value->publicUrl, QStringLiteral("https://party.example.cn/"));
    EXPECT_TRUE(proxied.value->servedOverHttps());
    const auto http = parse(withParts("<listen public-url=\"http://10.0.0.5:8080/\"/>\n"));
    ASSERT_TRUE(http.ok());
    EXPECT_FALSE(http.value->servedOverHttps());
    for (const char* bad : {"party.example.cn", "ftp://party.example.cn/", "https://", ""}) {
        const std::string error = onlyErrorOf(withParts(QByteArray("<listen public-url=\"") + bad + "\"/>\n"));
        EXPECT_NE(error.find("3: public-url="), std::string::npos) << error;
    }
}

TEST(Deployment, ResolvesRelativePathsAgainstTheConfigFolderAndKeepsAbsoluteOnes) {
    const auto parsed = parse("<deployment name=\"x\">\n"
                              "<database path=\"/var/lib/tessera/./db.sqlite\"/>\n"
                              "<plugin-dir path=\"plugins/../more-plugins/\"/>\n"
                              "<plugin-dir path=\"/usr/lib/tessera/plugins\"/>\n"
                              "<plugin-dir path=\".\"/>\n"
                              "<plugins/>\n</deployment>\n");
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    EXPECT_EQ(parsed.value->databasePath, QStringLiteral("/var/lib/tessera/db.sqlite"));
    EXPECT_EQ(parsed.value->pluginDirs,
              (QStringList{QStringLiteral("/srv/tessera/configs/more-plugins"),
                           QStringLiteral("/usr/lib/tessera/plugins"), QStringLiteral("/srv/tessera/configs")}));
}

TEST(Deployment, LoadResolvesPathsAgainstTheFilesRealFolder) {
    TempDir dir;
    const QString path = dir.write(QStringLiteral("configs/demo.xml"), example);
    const auto parsed = Deployment::load(QDir::current().relativeFilePath(path));
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    const QString configs = QFileInfo(path).absolutePath();
    EXPECT_EQ(parsed.value->file, QFileInfo(path).absoluteFilePath());
    EXPECT_EQ(parsed.value->databasePath, configs + QStringLiteral("/var/demo.db"));
    EXPECT_EQ(parsed.value->pluginDirs, QStringList{QFileInfo(dir.path()).absoluteFilePath() + QStringLiteral("/build/plugins")});
}

TEST(Deployment, LoadReportsAMissingFileWithoutALine) {
    TempDir dir;
    const auto parsed = Deployment::load(dir.file(QStringLiteral("missing.xml")));
    ASSERT_EQ(parsed.errors.size(), 1u);
    EXPECT_EQ(parsed.errors[0].line, 0);
    EXPECT_EQ(parsed.errors[0].message, QStringLiteral("file not found"));
    EXPECT_EQ(parsed.errors[0].toString(), dir.file(QStringLiteral("missing.xml")) + QStringLiteral(": file not found"));
}

TEST(Deployment, ReportsMalformedXmlWithItsLine) {
    EXPECT_EQ(onlyErrorOf("<deployment name=\"x\">\n<database path=\"a\"\n</deployment>\n"),
              "3: malformed XML: Error parsing start element tag");
}

TEST(Deployment, ReportsTheWrongRootElement) {
    EXPECT_EQ(onlyErrorOf("\n<plugin/>\n"), "2: root element is <plugin>, expected <deployment>");
}

TEST(Deployment, RequiresANameDatabasePluginDirAndPlugins) {
    EXPECT_EQ(errorsOf("<deployment>\n</deployment>\n"),
              (std::vector<std::string>{"1: missing <database> in <deployment>",
                                        "1: missing <plugin-dir> in <deployment>",
                                        "1: missing <plugins> in <deployment>",
                                        "1: missing attribute name on <deployment>"}));
}

TEST(Deployment, RequiresNonEmptyPaths) {
    EXPECT_EQ(errorsOf("<deployment name=\"\">\n<database/>\n<plugin-dir path=\"\"/>\n<plugins/>\n</deployment>\n"),
              (std::vector<std::string>{"1: empty name on <deployment>", "2: missing attribute path on <database>",
                                        "3: empty path on <plugin-dir>"}));
}

TEST(Deployment, ReportsUnknownElementsAndAttributesWithTheirLines) {
    const auto errors = errorsOf("<deployment name=\"x\" owner=\"me\">\n"
                                 "<database path=\"a\" mode=\"wal\"/>\n"
                                 "<backups path=\"f\"/>\n"
                                 "<listen address=\"::1\" portt=\"1\"/>\n"
                                 "<limits threads=\"2\" max-threads=\"4\"/>\n"
                                 "<plugin-dir path=\"p\" recursive=\"true\"/>\n"
                                 "<plugins all=\"true\">\n"
                                 "<plugin id=\"a.b\" version=\"1\">\n"
                                 "<feature name=\"f\" enabled=\"true\" default=\"true\"/>\n"
                                 "<setting name=\"s\" value=\"1\" type=\"int\"/>\n"
                                 "<option name=\"o\"/>\n"
                                 "</plugin>\n"
                                 "<module id=\"c.d\"/>\n"
                                 "</plugins>\n"
                                 "</deployment>\n");
    EXPECT_EQ(errors, (std::vector<std::string>{"1: unknown attribute owner on <deployment>",
                                                 "2: unknown attribute mode on <database>",
                                                 "3: unknown element <backups> in <deployment>",
                                                 "4: unknown attribute portt on <listen>",
                                                 "5: unknown attribute max-threads on <limits>",
                                                 "6: unknown attribute recursive on <plugin-dir>",
                                                 "7: unknown attribute all on <plugins>",
                                                 "8: unknown attribute version on <plugin>",
                                                 "9: unknown attribute default on <feature>",
                                                 "10: unknown attribute type on <setting>",
                                                 "11: unknown element <option> in <plugin>",
                                                 "13: unknown element <module> in <plugins>"}));
}

TEST(Deployment, ReportsRepeatedAndMisplacedElements) {
    const auto errors = errorsOf("<deployment name=\"x\">\n"
                                 "<database path=\"a\"/>\n"
                                 "<plugin-dir path=\"p\"/>\n"
                                 "<listen port=\"1\"/>\n"
                                 "<database path=\"b\"/>\n"
                                 "<plugins/>\n"
                                 "<plugins/>\n"
                                 "</deployment>\n");
    EXPECT_EQ(errors, (std::vector<std::string>{"4: element <listen> must come before <plugin-dir> in <deployment>",
                                                 "5: element <database> must come before <plugin-dir> in <deployment>",
                                                 "5: duplicate <database> in <deployment> (first on line 2)",
                                                 "7: duplicate <plugins> in <deployment> (first on line 6)"}));
}

TEST(Deployment, ReportsContentInElementsThatMustBeEmpty) {
    EXPECT_EQ(errorsOf(withParts("<listen port=\"1\">80</listen>\n<limits> </limits>\n")),
              (std::vector<std::string>{"3: <listen> must be empty", "4: <limits> must be empty"}));
}

TEST(Deployment, AcceptsPortsFromZeroTo65535) {
    for (const char* port : {"0", "1", "65535"}) {
        const auto parsed = parse(withParts(QByteArray("<listen port=\"") + port + "\"/>\n"));
        ASSERT_TRUE(parsed.ok()) << port << parsed.errorText().toStdString();
        EXPECT_EQ(parsed.value->port, QByteArray(port).toInt());
    }
    for (const char* port : {"-1", "65536", "http", "", "80.5"})
        EXPECT_EQ(onlyErrorOf(withParts(QByteArray("<listen port=\"") + port + "\"/>\n")),
                  std::string("3: invalid port=\"") + port + "\" on <listen>: expected an integer from 0 to 65535")
            << port;
}

TEST(Deployment, RequiresANonEmptyListenAddress) {
    EXPECT_EQ(onlyErrorOf(withParts("<listen address=\"\"/>\n")), "3: empty address on <listen>");
}

TEST(Deployment, RequiresPositiveLimits) {
    const auto errors = errorsOf(withParts("<limits max-body-bytes=\"0\" read-timeout-ms=\"-5\" idle-timeout-ms=\"x\"\n"
                                           "        threads=\"0\" shutdown-grace-ms=\"2147483648\"/>\n"));
    EXPECT_EQ(errors, (std::vector<std::string>{
                          "3: invalid max-body-bytes=\"0\" on <limits>: expected a positive integer",
                          "3: invalid read-timeout-ms=\"-5\" on <limits>: expected a positive integer",
                          "3: invalid idle-timeout-ms=\"x\" on <limits>: expected a positive integer",
                          "3: invalid threads=\"0\" on <limits>: expected an integer from 1 to 256",
                          "3: invalid shutdown-grace-ms=\"2147483648\" on <limits>: expected a positive integer"}));
}

TEST(Deployment, AllowsOneTo256ThreadsAndLargeBodies) {
    const auto parsed = parse(withParts("<limits threads=\"256\" max-body-bytes=\"10737418240\"/>\n"));
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    EXPECT_EQ(parsed.value->limits.threads, 256);
    EXPECT_EQ(parsed.value->limits.maxBodyBytes, 10737418240);
    EXPECT_EQ(onlyErrorOf(withParts("<limits threads=\"257\"/>\n")),
              "3: invalid threads=\"257\" on <limits>: expected an integer from 1 to 256");
}

TEST(Deployment, ReadsTheFileStoresQuotasAsSizes) {
    const auto parsed = parse(withParts("<files quota=\"20GB\" unit-quota=\"2gb\" keep-deleted-days=\"7\"/>\n"));
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    EXPECT_EQ(parsed.value->files.quota, std::int64_t{20} << 30);
    EXPECT_EQ(parsed.value->files.unitQuota, std::int64_t{2} << 30);
    EXPECT_EQ(parsed.value->files.keepDeletedDays, 7);
    const auto defaults = parse(withParts(""));
    ASSERT_TRUE(defaults.ok());
    EXPECT_EQ(defaults.value->files.quota, 0);
    EXPECT_EQ(defaults.value->files.keepDeletedDays, 30);
    EXPECT_EQ(onlyErrorOf(withParts("<files quota=\"lots\"/>\n")),
              "3: quota=\"lots\" on <files>: expected a size such as 20GB, 500MB or 2TB");
}

TEST(Deployment, ThePluginListMayBeEmpty) {
    const auto parsed = parse(withPlugins(""));
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    EXPECT_TRUE(parsed.value->plugins.empty());
}

TEST(Deployment, KeepsPluginsInTheirOrderWithTheirLines) {
    const auto parsed = parse(withPlugins("<plugin id=\"party.daily\"/>\n<plugin id=\"biz.customers\"/>\n"));
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    ASSERT_EQ(parsed.value->plugins.size(), 2u);
    EXPECT_EQ(parsed.value->plugins[0].id, QStringLiteral("party.daily"));
    EXPECT_EQ(parsed.value->plugins[0].line, 5);
    EXPECT_EQ(parsed.value->plugins[1].id, QStringLiteral("biz.customers"));
    EXPECT_EQ(parsed.value->plugins[1].line, 6);
}

TEST(Deployment, ReportsInvalidPluginIds) {
    EXPECT_EQ(errorsOf(withPlugins("<plugin id=\"Customers\"/>\n<plugin/>\n")),
              (std::vector<std::string>{"5: invalid id=\"Customers\" on <plugin>: expected a plugin id of dotted "
                                        "lower-case segments like biz.customers",
                                        "6: missing attribute id on <plugin>"}));
}

TEST(Deployment, ReportsADuplicatePluginNamingBothLines) {
    EXPECT_EQ(onlyErrorOf(withPlugins("<plugin id=\"a.b\"/>\n<plugin id=\"c.d\"/>\n<plugin id=\"a.b\"/>\n")),
              "7: duplicate plugin a.b (first on line 5)");
}

TEST(Deployment, ReadsFeatureAndSettingOverrides) {
    const auto parsed = parse(withPlugins("<plugin id=\"a.b\">\n"
                                          "<feature name=\"x\" enabled=\"true\"/>\n"
                                          "<feature name=\"y\" enabled=\"false\"/>\n"
                                          "<setting name=\"greeting\" value=\" hello \"/>\n"
                                          "<setting name=\"empty\" value=\"\"/>\n"
                                          "</plugin>\n"));
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    const auto& p = parsed.value->plugins.at(0);
    ASSERT_EQ(p.features.size(), 2u);
    EXPECT_TRUE(p.features[0].enabled);
    EXPECT_FALSE(p.features[1].enabled);
    EXPECT_EQ(p.features[1].line, 7);
    ASSERT_EQ(p.settings.size(), 2u);
    EXPECT_EQ(p.settings[0].value, QStringLiteral(" hello "));  // kept as written; the manifest's type decides
    EXPECT_EQ(p.settings[1].value, QString());
    EXPECT_EQ(p.settings[1].line, 9);
}

TEST(Deployment, ReportsInvalidOverrides) {
    const auto errors = errorsOf(withPlugins("<plugin id=\"a.b\">\n"
                                             "<feature name=\"x\" enabled=\"yes\"/>\n"
                                             "<feature name=\"x\" enabled=\"true\"/>\n"
                                             "<feature name=\"x\" enabled=\"false\"/>\n"
                                             "<feature enabled=\"false\"/>\n"
                                             "<feature name=\"Bad\" enabled=\"false\"/>\n"
                                             "<setting name=\"s\"/>\n"
                                             "<setting name=\"t\" value=\"1\"/>\n"
                                             "<setting name=\"t\" value=\"2\"/>\n"
                                             "</plugin>\n"));
    EXPECT_EQ(errors, (std::vector<std::string>{
                          "6: invalid enabled=\"yes\" on <feature>: expected true or false",
                          "8: duplicate feature x in plugin a.b (first on line 7)",
                          "9: missing attribute name on <feature>",
                          "10: invalid name=\"Bad\" on <feature>: expected lower-case letters, digits and '-', "
                          "starting with a letter",
                          "11: missing attribute value on <setting>",
                          "13: duplicate setting t in plugin a.b (first on line 12)"}));
}

TEST(Deployment, ReportsFeaturesAfterSettings) {
    EXPECT_EQ(onlyErrorOf(withPlugins("<plugin id=\"a.b\">\n<setting name=\"s\" value=\"1\"/>\n"
                                      "<feature name=\"f\" enabled=\"true\"/>\n</plugin>\n")),
              "7: element <feature> must come before <setting> in <plugin>");
}

TEST(Deployment, ReportsAllErrorsOfAFileInLineOrder) {
    const auto errors = errorsOf("<?xml version=\"1.0\"?>\n"
                                 "<deployment name=\"Demo\">\n"
                                 "  <listen port=\"99999\"/>\n"
                                 "  <limits threads=\"0\"/>\n"
                                 "  <plugin-dir path=\"p\"/>\n"
                                 "  <plugins>\n"
                                 "    <plugin id=\"a.b\"/>\n"
                                 "    <plugin id=\"a.b\"/>\n"
                                 "  </plugins>\n"
                                 "  <extra/>\n"
                                 "</deployment>\n");
    EXPECT_EQ(errors, (std::vector<std::string>{
                          "2: missing <database> in <deployment>",
                          "3: invalid port=\"99999\" on <listen>: expected an integer from 0 to 65535",
                          "4: invalid threads=\"0\" on <limits>: expected an integer from 1 to 256",
                          "8: duplicate plugin a.b (first on line 7)",
                          "10: unknown element <extra> in <deployment>"}));
}

// configs/deployment.xsd must accept exactly what the parser accepts, as far as XML Schema can say.
TEST(DeploymentSchema, AgreesWithTheParser) {
    const QString xmllint = QStandardPaths::findExecutable(QStringLiteral("xmllint"));
    if (xmllint.isEmpty()) GTEST_SKIP() << "xmllint is not installed";
    const QString schema = QStringLiteral(TESSERA_SOURCE_DIR "/configs/deployment.xsd");
    TempDir dir;
    const auto schemaAccepts = [&](const QByteArray& xml) {
        const QString path = dir.write(QStringLiteral("deployment.xml"), xml);
        QProcess p;
        p.start(xmllint, {QStringLiteral("--noout"), QStringLiteral("--schema"), schema, path});
        p.waitForFinished();
        return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    };
    const std::vector<QByteArray> documents = {
        example,
        withParts(""),
        withPlugins(""),
        withParts("<listen port=\"65536\"/>\n"),
        withParts("<listen port=\" 80 \"/>\n"),
        withParts("<listen address=\"\"/>\n"),
        withParts("<limits threads=\"257\"/>\n"),
        withParts("<limits max-body-bytes=\"10737418240\"/>\n"),
        withParts("<limits read-timeout-ms=\"+5\"/>\n"),
        withParts("<limits> </limits>\n"),
        withParts("<files quota=\"20GB\" unit-quota=\"500 MB\" keep-deleted-days=\"0\"/>\n"),
        withParts("<files quota=\"lots\"/>\n"),
        withParts("<files unit-quota=\"1.5GB\"/>\n"),
        withParts("<files keep-deleted-days=\"-1\"/>\n"),
        withPlugins("<plugin id=\"a.b\"/><plugin id=\"a.b\"/>\n"),
        withPlugins("<plugin id=\"a\"/>\n"),
        withPlugins("<plugin id=\"a.b\"><feature name=\"f\" enabled=\"1\"/></plugin>\n"),
        withPlugins("<plugin id=\"a.b\"><feature name=\"f\" enabled=\"true\"/><feature name=\"f\" enabled=\"true\"/></plugin>\n"),
        withPlugins("<plugin id=\"a.b\"><setting name=\"s\" value=\"\"/></plugin>\n"),
        withPlugins("<plugin id=\"a.b\"><setting name=\"s\" value=\"1\"/><feature name=\"f\" enabled=\"true\"/></plugin>\n"),
        "<deployment name=\"x\"><database path=\"a\"/><plugins/></deployment>",
        "<deployment><database path=\"a\"/><plugin-dir path=\"p\"/><plugins/></deployment>",
    };
    for (const QByteArray& xml : documents)
        EXPECT_EQ(schemaAccepts(xml), parse(xml).ok()) << xml.toStdString();
}
