#include "runtime/manifest.hpp"

#include "test_support.hpp"

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

#include <gtest/gtest.h>

using tessera::host::FileError;
using tessera::host::Manifest;
using tessera::host::Parsed;
using tessera::host::SettingDecl;
using tessera::host::SettingType;
using tessera::host::Version;
using tessera::test::TempDir;

namespace {

// The example from docs/manifests.md; line numbers below refer to it.
const QByteArray example = R"(<?xml version="1.0" encoding="UTF-8"?>
<plugin id="biz.customers" version="1.0.0" sdk-api="1">
  <name lang="zh-CN">客户档案</name>
  <name lang="en">Customers</name>
  <library>biz.customers</library>
  <dependencies>
    <dependency id="party.daily" version="^1.0.0"/>
    <dependency id="biz.orders" version=">=1.2.0 &lt;2.0.0" optional="true"/>
  </dependencies>
  <conflicts>
    <conflict id="biz.legacy-customers" version="*"/>
  </conflicts>
  <features>
    <feature name="search" default="true"><label lang="zh-CN">搜索</label><label lang="en">Search</label></feature>
  </features>
  <settings>
    <setting name="page-size" type="int" default="20"><label lang="zh-CN">每页条数</label><label lang="en">Page size</label></setting>
  </settings>
  <permissions>
    <permission id="biz.customers.read"><label lang="zh-CN">查看客户</label><label lang="en">Read customers</label></permission>
  </permissions>
  <menu>
    <entry id="customers" path="/m/biz.customers/customers" permission="biz.customers.read" order="10"><label lang="zh-CN">客户</label><label lang="en">Customers</label></entry>
  </menu>
</plugin>
)";

const char* const file = "/plugins/biz.customers/manifest.xml";

Parsed<Manifest> parse(const QByteArray& xml) { return Manifest::parse(xml, QString::fromUtf8(file)); }

// A minimal valid manifest with `body` after the library (line 5 onwards).
QByteArray withBody(const QByteArray& body, const QByteArray& rootAttributes = R"(id="biz.customers" version="1.0.0" sdk-api="1")") {
    return "<?xml version=\"1.0\"?>\n<plugin " + rootAttributes +
           ">\n  <name lang=\"zh-CN\">客户</name><name lang=\"en\">Customers</name>\n"
           "  <library>biz.customers</library>\n" +
           body + "</plugin>\n";
}

const QByteArray labels = R"(<label lang="zh-CN">标签</label><label lang="en">Label</label>)";

// The errors of a manifest that must not parse, as "line: message".
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

// The only error of a manifest that must not parse.
std::string onlyErrorOf(const QByteArray& xml) {
    const auto errors = errorsOf(xml);
    EXPECT_EQ(errors.size(), 1u) << testing::PrintToString(errors);
    return errors.empty() ? std::string() : errors.front();
}

}  // namespace

TEST(Manifest, ReadsTheDocumentedExample) {
    const auto parsed = parse(example);
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    const Manifest& m = *parsed.value;
    EXPECT_EQ(m.id, QStringLiteral("biz.customers"));
    EXPECT_EQ(m.version, *Version::parse(QStringLiteral("1.0.0")));
    EXPECT_EQ(m.sdkApi, 1);
    EXPECT_EQ(m.name.zhCN, QStringLiteral("客户档案"));
    EXPECT_EQ(m.name.en, QStringLiteral("Customers"));
    EXPECT_EQ(m.library, QStringLiteral("biz.customers"));

    ASSERT_EQ(m.dependencies.size(), 2u);
    EXPECT_EQ(m.dependencies[0].id, QStringLiteral("party.daily"));
    EXPECT_EQ(m.dependencies[0].range.toString(), QStringLiteral("^1.0.0"));
    EXPECT_FALSE(m.dependencies[0].optional);
    EXPECT_EQ(m.dependencies[0].line, 7);
    EXPECT_EQ(m.dependencies[1].id, QStringLiteral("biz.orders"));
    EXPECT_EQ(m.dependencies[1].range.toString(), QStringLiteral(">=1.2.0 <2.0.0"));
    EXPECT_TRUE(m.dependencies[1].range.contains(*Version::parse(QStringLiteral("1.5.0"))));
    EXPECT_TRUE(m.dependencies[1].optional);
    EXPECT_EQ(m.dependencies[1].line, 8);

    ASSERT_EQ(m.conflicts.size(), 1u);
    EXPECT_EQ(m.conflicts[0].id, QStringLiteral("biz.legacy-customers"));
    EXPECT_EQ(m.conflicts[0].line, 11);

    ASSERT_EQ(m.features.size(), 1u);
    EXPECT_EQ(m.features[0].name, QStringLiteral("search"));
    EXPECT_TRUE(m.features[0].enabledByDefault);
    EXPECT_EQ(m.features[0].label.zhCN, QStringLiteral("搜索"));
    EXPECT_EQ(m.features[0].label.en, QStringLiteral("Search"));

    ASSERT_EQ(m.settings.size(), 1u);
    EXPECT_EQ(m.settings[0].name, QStringLiteral("page-size"));
    EXPECT_EQ(m.settings[0].type, SettingType::Int);
    EXPECT_EQ(m.settings[0].defaultValue, QVariant::fromValue(qint64{20}));
    EXPECT_EQ(m.settings[0].label.en, QStringLiteral("Page size"));

    ASSERT_EQ(m.permissions.size(), 1u);
    EXPECT_EQ(m.permissions[0].id, QStringLiteral("biz.customers.read"));
    EXPECT_EQ(m.permissions[0].label.zhCN, QStringLiteral("查看客户"));

    ASSERT_EQ(m.menu.size(), 1u);
    EXPECT_EQ(m.menu[0].id, QStringLiteral("customers"));
    EXPECT_EQ(m.menu[0].path, QStringLiteral("/m/biz.customers/customers"));
    EXPECT_EQ(m.menu[0].permission, QStringLiteral("biz.customers.read"));
    EXPECT_EQ(m.menu[0].order, 10);
    EXPECT_EQ(m.menu[0].label.en, QStringLiteral("Customers"));

    EXPECT_EQ(m.feature(QStringLiteral("search")), &m.features[0]);
    EXPECT_EQ(m.feature(QStringLiteral("nope")), nullptr);
    EXPECT_EQ(m.setting(QStringLiteral("page-size")), &m.settings[0]);
    EXPECT_EQ(m.setting(QStringLiteral("nope")), nullptr);
}

TEST(Manifest, EverySectionIsOptional) {
    const auto parsed = parse(withBody(""));
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    EXPECT_TRUE(parsed.value->dependencies.empty());
    EXPECT_TRUE(parsed.value->conflicts.empty());
    EXPECT_TRUE(parsed.value->features.empty());
    EXPECT_TRUE(parsed.value->settings.empty());
    EXPECT_TRUE(parsed.value->permissions.empty());
    EXPECT_TRUE(parsed.value->menu.empty());
}

TEST(Manifest, SectionsMayBeEmpty) {
    const auto parsed = parse(withBody("<dependencies/><conflicts></conflicts><features/><settings/>"
                                       "<permissions/><menu>\n</menu>\n"));
    EXPECT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
}

TEST(Manifest, LoadSetsTheAbsoluteFileAndFolder) {
    TempDir dir;
    const QString path = dir.write(QStringLiteral("biz.customers/manifest.xml"), example);
    const auto parsed = Manifest::load(path);
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    const QString folder = QFileInfo(path).absolutePath();
    EXPECT_EQ(parsed.value->file, QFileInfo(path).absoluteFilePath());
    EXPECT_EQ(parsed.value->dir, folder);
    EXPECT_EQ(parsed.value->libraryPath(), folder + QStringLiteral("/libbiz.customers.so"));
}

TEST(Manifest, LoadMakesARelativePathAbsolute) {
    TempDir dir;
    const QString path = dir.write(QStringLiteral("p/manifest.xml"), example);
    const QString relative = QDir::current().relativeFilePath(path);
    const auto parsed = Manifest::load(relative);
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    EXPECT_EQ(parsed.value->file, QFileInfo(path).absoluteFilePath());
}

TEST(Manifest, LoadReportsAMissingFileWithoutALine) {
    TempDir dir;
    const auto parsed = Manifest::load(dir.file(QStringLiteral("nope/manifest.xml")));
    EXPECT_FALSE(parsed.ok());
    ASSERT_EQ(parsed.errors.size(), 1u);
    EXPECT_EQ(parsed.errors[0].line, 0);
    EXPECT_EQ(parsed.errors[0].file, dir.file(QStringLiteral("nope/manifest.xml")));
    EXPECT_EQ(parsed.errors[0].message, QStringLiteral("file not found"));
}

TEST(Manifest, LoadReportsErrorsWithTheAbsolutePath) {
    TempDir dir;
    const QString path = dir.write(QStringLiteral("p/manifest.xml"), "<plugin>\n");
    const auto parsed = Manifest::load(path);
    ASSERT_FALSE(parsed.errors.empty());
    EXPECT_EQ(parsed.errors[0].file, QFileInfo(path).absoluteFilePath());
}

TEST(Manifest, ReportsMalformedXmlWithPugixmlsLineAndReason) {
    const auto errors = errorsOf("<?xml version=\"1.0\"?>\n<plugin id=\"a.b\">\n  <name>\n</plugin>\n");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0], "4: malformed XML: Start-end tags mismatch");
}

TEST(Manifest, ReportsAnEmptyFile) {
    EXPECT_EQ(onlyErrorOf(""), "1: malformed XML: No document element found");
}

TEST(Manifest, ReportsTheWrongRootElement) {
    EXPECT_EQ(onlyErrorOf("<?xml version=\"1.0\"?>\n\n<deployment/>\n"),
              "3: root element is <deployment>, expected <plugin>");
}

TEST(Manifest, ReportsASecondRootElement) {
    EXPECT_EQ(onlyErrorOf(withBody("") + "<plugin/>\n"), "6: unexpected element <plugin> after the root element");
}

TEST(Manifest, ReportsUnknownElementWithItsLine) {
    EXPECT_EQ(onlyErrorOf(withBody("  <features>\n    <featurez name=\"x\"/>\n  </features>\n")),
              "6: unknown element <featurez> in <features>");
}

TEST(Manifest, ReportsUnknownElementInThePlugin) {
    EXPECT_EQ(onlyErrorOf(withBody("  <views/>\n")), "5: unknown element <views> in <plugin>");
}

TEST(Manifest, ReportsUnknownElementInALeaf) {
    EXPECT_EQ(onlyErrorOf(withBody("<conflicts>\n<conflict id=\"a.b\"><x/></conflict></conflicts>\n")),
              "6: unknown element <x> in <conflict>");
}

TEST(Manifest, ReportsUnknownElementInsideText) {
    EXPECT_EQ(onlyErrorOf(withBody("<features><feature name=\"f\"><label lang=\"zh-CN\">a<b>b</b></label>"
                                   "<label lang=\"en\">x</label></feature></features>\n")),
              "5: unknown element <b> in <label>");
}

TEST(Manifest, ReportsUnknownAttributes) {
    EXPECT_EQ(onlyErrorOf(withBody("", R"(id="biz.customers" version="1.0.0" sdk-api="1" vendor="x")")),
              "2: unknown attribute vendor on <plugin>");
    EXPECT_EQ(onlyErrorOf(withBody("<dependencies>\n<dependency id=\"a.b\" versions=\"1.x\"/>\n</dependencies>\n")),
              "6: unknown attribute versions on <dependency>");
    EXPECT_EQ(onlyErrorOf(withBody("<menu>\n<entry id=\"e\" path=\"/e\" icon=\"x\">" + labels + "</entry></menu>\n")),
              "6: unknown attribute icon on <entry>");
}

TEST(Manifest, ReportsUnknownAttributeOnSectionsAndTexts) {
    const auto errors = errorsOf(withBody("<features kind=\"x\">\n<feature name=\"f\">"
                                          "<label lang=\"zh-CN\" dir=\"ltr\">a</label><label lang=\"en\">b</label>"
                                          "</feature></features>\n"));
    EXPECT_EQ(errors, (std::vector<std::string>{"5: unknown attribute kind on <features>",
                                                 "6: unknown attribute dir on <label>"}));
}

TEST(Manifest, ReportsARepeatedAttribute) {
    EXPECT_EQ(onlyErrorOf(withBody("", R"(id="biz.customers" version="1.0.0" sdk-api="1" sdk-api="2")")),
              "2: duplicate attribute sdk-api on <plugin>");
}

TEST(Manifest, ReportsStrayText) {
    EXPECT_EQ(onlyErrorOf(withBody("  hello\n")), "4: unexpected text in <plugin>");
}

TEST(Manifest, ReportsContentInElementsThatMustBeEmpty) {
    EXPECT_EQ(onlyErrorOf(withBody("<dependencies>\n<dependency id=\"a.b\"> </dependency>\n</dependencies>\n")),
              "6: <dependency> must be empty");
}

TEST(Manifest, ReportsElementsOutOfOrder) {
    const QByteArray xml = "<plugin id=\"biz.customers\" version=\"1.0.0\" sdk-api=\"1\">\n"
                           "  <library>biz.customers</library>\n"
                           "  <name lang=\"zh-CN\">客户</name><name lang=\"en\">Customers</name>\n"
                           "  <menu/>\n"
                           "  <features/>\n"
                           "</plugin>\n";
    EXPECT_EQ(errorsOf(xml), (std::vector<std::string>{"3: element <name> must come before <library> in <plugin>",
                                                       "3: element <name> must come before <library> in <plugin>",
                                                       "5: element <features> must come before <menu> in <plugin>"}));
}

TEST(Manifest, ReportsMissingRequiredAttributes) {
    const auto errors = errorsOf(withBody("", ""));
    EXPECT_EQ(errors, (std::vector<std::string>{"2: missing attribute id on <plugin>",
                                                 "2: missing attribute version on <plugin>",
                                                 "2: missing attribute sdk-api on <plugin>"}));
}

TEST(Manifest, ReportsMissingLibrary) {
    EXPECT_EQ(onlyErrorOf("<plugin id=\"biz.customers\" version=\"1.0.0\" sdk-api=\"1\">\n"
                          "<name lang=\"zh-CN\">客户</name><name lang=\"en\">Customers</name>\n</plugin>"),
              "1: missing <library> in <plugin>");
}

TEST(Manifest, ReportsARepeatedLibraryOrSection) {
    EXPECT_EQ(onlyErrorOf(withBody("  <library>other</library>\n")),
              "5: duplicate <library> in <plugin> (first on line 4)");
    EXPECT_EQ(onlyErrorOf(withBody("  <features/>\n  <features/>\n")),
              "6: duplicate <features> in <plugin> (first on line 5)");
}

TEST(Manifest, RequiresANameInChineseAndInEnglish) {
    const QByteArray onlyChinese = "<plugin id=\"biz.customers\" version=\"1.0.0\" sdk-api=\"1\">\n"
                                   "  <name lang=\"zh-CN\">客户</name>\n"
                                   "  <library>biz.customers</library>\n</plugin>\n";
    EXPECT_EQ(onlyErrorOf(onlyChinese), "1: missing <name lang=\"en\"> in <plugin>");
    const QByteArray none = "<plugin id=\"biz.customers\" version=\"1.0.0\" sdk-api=\"1\">\n"
                            "  <library>biz.customers</library>\n</plugin>\n";
    EXPECT_EQ(errorsOf(none), (std::vector<std::string>{"1: missing <name lang=\"zh-CN\"> in <plugin>",
                                                        "1: missing <name lang=\"en\"> in <plugin>"}));
}

TEST(Manifest, ReportsANameInAnotherLanguage) {
    const QByteArray xml = "<plugin id=\"biz.customers\" version=\"1.0.0\" sdk-api=\"1\">\n"
                           "  <name lang=\"zh-CN\">客户</name><name lang=\"en\">Customers</name>\n"
                           "  <name lang=\"fr\">Clients</name>\n"
                           "  <library>biz.customers</library>\n</plugin>\n";
    EXPECT_EQ(onlyErrorOf(xml), "3: invalid lang=\"fr\" on <name>: expected zh-CN or en");
}

TEST(Manifest, ReportsANameGivenTwiceInOneLanguage) {
    const QByteArray xml = "<plugin id=\"biz.customers\" version=\"1.0.0\" sdk-api=\"1\">\n"
                           "  <name lang=\"zh-CN\">客户</name><name lang=\"en\">Customers</name>\n"
                           "  <name lang=\"en\">Clients</name>\n"
                           "  <library>biz.customers</library>\n</plugin>\n";
    EXPECT_EQ(onlyErrorOf(xml), "3: duplicate <name lang=\"en\"> in <plugin> (first on line 2)");
}

TEST(Manifest, ReportsANameWithoutLangOrText) {
    const QByteArray xml = "<plugin id=\"biz.customers\" version=\"1.0.0\" sdk-api=\"1\">\n"
                           "  <name lang=\"zh-CN\">  </name><name lang=\"en\">Customers</name>\n"
                           "  <name>Clients</name>\n"
                           "  <library>biz.customers</library>\n</plugin>\n";
    EXPECT_EQ(errorsOf(xml), (std::vector<std::string>{"2: empty <name>", "3: missing attribute lang on <name>"}));
}

TEST(Manifest, TrimsTextsAndAcceptsCdata) {
    const QByteArray xml = "<plugin id=\"biz.customers\" version=\"1.0.0\" sdk-api=\"1\">\n"
                           "  <name lang=\"zh-CN\">\n    客户\n  </name><name lang=\"en\"><![CDATA[A & B]]></name>\n"
                           "  <library> biz.customers </library>\n</plugin>\n";
    const auto parsed = parse(xml);
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    EXPECT_EQ(parsed.value->name.zhCN, QStringLiteral("客户"));
    EXPECT_EQ(parsed.value->name.en, QStringLiteral("A & B"));
    EXPECT_EQ(parsed.value->library, QStringLiteral("biz.customers"));
}

TEST(Manifest, RequiresADottedLowerCaseIdOfAtLeastTwoSegments) {
    for (const char* id : {"customers", "Biz.customers", "biz..customers", "biz.customers.", ".biz.customers",
                           "biz.1customers", "biz.-customers", "biz_x.customers", "biz.cus tomers", ""}) {
        const QByteArray attributes = QByteArray("id=\"") + id + "\" version=\"1.0.0\" sdk-api=\"1\"";
        EXPECT_EQ(onlyErrorOf(withBody("", attributes)),
                  std::string("2: invalid id=\"") + id +
                      "\" on <plugin>: expected a plugin id of dotted lower-case segments like biz.customers")
            << id;
    }
    for (const char* id : {"a.b", "biz.customers", "party.daily-2", "a.b.c-d.e9"}) {
        const QByteArray attributes = QByteArray("id=\"") + id + "\" version=\"1.0.0\" sdk-api=\"1\"";
        EXPECT_TRUE(parse(withBody("", attributes)).ok()) << id;
    }
}

TEST(Manifest, RequiresAStrictSemanticVersion) {
    for (const char* version : {"1.0", "1.0.0.0", "01.0.0", "v1.0.0", "1.0.0-", "latest"}) {
        const QByteArray attributes = QByteArray("id=\"biz.customers\" version=\"") + version + "\" sdk-api=\"1\"";
        EXPECT_EQ(onlyErrorOf(withBody("", attributes)),
                  std::string("2: invalid version=\"") + version +
                      "\" on <plugin>: expected a semantic version like 1.2.0")
            << version;
    }
    const auto parsed = parse(withBody("", R"(id="biz.customers" version="2.1.0-rc.1+build.7" sdk-api="1")"));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed.value->version.toString(), QStringLiteral("2.1.0-rc.1"));
}

TEST(Manifest, RequiresAPositiveSdkApi) {
    for (const char* api : {"0", "-1", "one", "1.5", "", "+1", "99999999999"}) {
        const QByteArray attributes = QByteArray("id=\"biz.customers\" version=\"1.0.0\" sdk-api=\"") + api + "\"";
        EXPECT_EQ(onlyErrorOf(withBody("", attributes)),
                  std::string("2: invalid sdk-api=\"") + api + "\" on <plugin>: expected a positive integer")
            << api;
    }
    const auto parsed = parse(withBody("", R"(id="biz.customers" version="1.0.0" sdk-api=" 3 ")"));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed.value->sdkApi, 3);
}

TEST(Manifest, RequiresALibraryBaseName) {
    const QByteArray head = "<plugin id=\"biz.customers\" version=\"1.0.0\" sdk-api=\"1\">\n"
                            "<name lang=\"zh-CN\">客户</name><name lang=\"en\">Customers</name>\n";
    EXPECT_EQ(onlyErrorOf(head + "<library>../evil</library></plugin>"),
              "3: invalid <library> \"../evil\": expected a file base name without '/' or '..'");
    EXPECT_EQ(onlyErrorOf(head + "<library>lib/x</library></plugin>"),
              "3: invalid <library> \"lib/x\": expected a file base name without '/' or '..'");
    EXPECT_EQ(onlyErrorOf(head + "<library>a..b</library></plugin>"),
              "3: invalid <library> \"a..b\": expected a file base name without '/' or '..'");
    EXPECT_EQ(onlyErrorOf(head + "<library></library></plugin>"), "3: empty <library>");
    EXPECT_EQ(onlyErrorOf(head + "<library kind=\"so\">x</library></plugin>"),
              "3: unknown attribute kind on <library>");
}

TEST(Manifest, ReadsDependenciesWithRangesAndOptionality) {
    const auto parsed = parse(withBody("<dependencies>\n"
                                       "<dependency id=\"a.b\"/>\n"
                                       "<dependency id=\"c.d\" version=\"1.x || ^2.1\" optional=\"false\"/>\n"
                                       "</dependencies>\n"));
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    const auto& deps = parsed.value->dependencies;
    ASSERT_EQ(deps.size(), 2u);
    EXPECT_EQ(deps[0].range.toString(), QStringLiteral("*"));  // no version: any
    EXPECT_TRUE(deps[0].range.contains(*Version::parse(QStringLiteral("9.0.0"))));
    EXPECT_FALSE(deps[0].optional);
    EXPECT_EQ(deps[0].line, 6);
    EXPECT_TRUE(deps[1].range.contains(*Version::parse(QStringLiteral("2.5.0"))));
    EXPECT_FALSE(deps[1].range.contains(*Version::parse(QStringLiteral("3.0.0"))));
    EXPECT_EQ(deps[1].line, 7);
}

TEST(Manifest, ReportsAnInvalidDependency) {
    const auto errors = errorsOf(withBody("<dependencies>\n"
                                          "<dependency version=\"1.x\"/>\n"
                                          "<dependency id=\"Party\"/>\n"
                                          "<dependency id=\"a.b\" version=\"1.2.3.4\"/>\n"
                                          "<dependency id=\"c.d\" optional=\"yes\"/>\n"
                                          "</dependencies>\n"));
    EXPECT_EQ(errors,
              (std::vector<std::string>{
                  "6: missing attribute id on <dependency>",
                  "7: invalid id=\"Party\" on <dependency>: expected a plugin id of dotted lower-case segments like "
                  "biz.customers",
                  "8: invalid version range \"1.2.3.4\" on <dependency>",
                  "9: invalid optional=\"yes\" on <dependency>: expected true or false"}));
}

TEST(Manifest, ReportsADependencyOnItself) {
    EXPECT_EQ(onlyErrorOf(withBody("<dependencies>\n<dependency id=\"biz.customers\"/>\n</dependencies>\n")),
              "6: plugin biz.customers depends on itself");
}

TEST(Manifest, ReportsADuplicateDependencyNamingTheFirstLine) {
    EXPECT_EQ(onlyErrorOf(withBody("<dependencies>\n<dependency id=\"a.b\"/>\n<dependency id=\"c.d\"/>\n"
                                   "<dependency id=\"a.b\" optional=\"true\"/>\n</dependencies>\n")),
              "8: duplicate dependency a.b (first on line 6)");
}

TEST(Manifest, ReadsConflictsAndReportsInvalidOnes) {
    const auto parsed = parse(withBody("<conflicts>\n<conflict id=\"a.b\" version=\"&lt;2\"/>\n</conflicts>\n"));
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    EXPECT_TRUE(parsed.value->conflicts[0].range.contains(*Version::parse(QStringLiteral("1.9.0"))));
    EXPECT_FALSE(parsed.value->conflicts[0].range.contains(*Version::parse(QStringLiteral("2.0.0"))));

    const auto errors = errorsOf(withBody("<conflicts>\n<conflict id=\"a.b\"/>\n<conflict id=\"a.b\"/>\n"
                                          "<conflict id=\"biz.customers\"/>\n<conflict id=\"c.d\" version=\"^\"/>\n"
                                          "<conflict optional=\"true\" id=\"e.f\"/>\n</conflicts>\n"));
    EXPECT_EQ(errors, (std::vector<std::string>{"7: duplicate conflict a.b (first on line 6)",
                                                 "8: plugin biz.customers conflicts with itself",
                                                 "9: invalid version range \"^\" on <conflict>",
                                                 "10: unknown attribute optional on <conflict>"}));
}

TEST(Manifest, ReadsFeaturesEnabledByDefaultUnlessSaidOtherwise) {
    const auto parsed = parse(withBody("<features>\n<feature name=\"a\">" + labels + "</feature>\n" +
                                       "<feature name=\"b\" default=\"false\">" + labels + "</feature>\n</features>\n"));
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    ASSERT_EQ(parsed.value->features.size(), 2u);
    EXPECT_TRUE(parsed.value->features[0].enabledByDefault);
    EXPECT_FALSE(parsed.value->features[1].enabledByDefault);
}

TEST(Manifest, ReportsInvalidFeatures) {
    const auto errors = errorsOf(withBody("<features>\n"
                                          "<feature name=\"Search\">" + labels + "</feature>\n" +
                                          "<feature name=\"a\" default=\"1\">" + labels + "</feature>\n" +
                                          "<feature name=\"a\">" + labels + "</feature>\n" +
                                          "<feature>" + labels + "</feature>\n" +
                                          "</features>\n"));
    EXPECT_EQ(errors, (std::vector<std::string>{
                          "6: invalid name=\"Search\" on <feature>: expected lower-case letters, digits and '-', "
                          "starting with a letter",
                          "7: invalid default=\"1\" on <feature>: expected true or false",
                          "8: duplicate feature a (first on line 7)",
                          "9: missing attribute name on <feature>"}));
}

TEST(Manifest, RequiresLabelsInChineseAndInEnglish) {
    const auto errors = errorsOf(withBody("<features>\n"
                                          "<feature name=\"a\"><label lang=\"zh-CN\">甲</label></feature>\n"
                                          "<feature name=\"b\"/>\n"
                                          "<feature name=\"c\"><label lang=\"zh-CN\">丙</label>"
                                          "<label lang=\"de\">C</label><label lang=\"en\">C</label></feature>\n"
                                          "</features>\n"));
    EXPECT_EQ(errors, (std::vector<std::string>{"6: missing <label lang=\"en\"> in <feature>",
                                                 "7: missing <label lang=\"zh-CN\"> in <feature>",
                                                 "7: missing <label lang=\"en\"> in <feature>",
                                                 "8: invalid lang=\"de\" on <label>: expected zh-CN or en"}));
}

TEST(Manifest, ReadsSettingsOfEveryTypeWithConvertedDefaults) {
    const auto parsed = parse(withBody("<settings>\n"
                                       "<setting name=\"i\" type=\"int\" default=\"-42\">" + labels + "</setting>\n" +
                                       "<setting name=\"n\" type=\"number\" default=\"2.5\">" + labels + "</setting>\n" +
                                       "<setting name=\"b\" type=\"bool\" default=\"false\">" + labels + "</setting>\n" +
                                       "<setting name=\"s\" type=\"string\" default=\"\">" + labels + "</setting>\n" +
                                       "</settings>\n"));
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    const auto& s = parsed.value->settings;
    ASSERT_EQ(s.size(), 4u);
    EXPECT_EQ(s[0].type, SettingType::Int);
    EXPECT_EQ(s[0].defaultValue.typeId(), QMetaType::LongLong);
    EXPECT_EQ(s[0].defaultValue.toLongLong(), -42);
    EXPECT_EQ(s[1].type, SettingType::Number);
    EXPECT_EQ(s[1].defaultValue.typeId(), QMetaType::Double);
    EXPECT_DOUBLE_EQ(s[1].defaultValue.toDouble(), 2.5);
    EXPECT_EQ(s[2].type, SettingType::Bool);
    EXPECT_EQ(s[2].defaultValue, QVariant(false));
    EXPECT_EQ(s[3].type, SettingType::String);
    EXPECT_EQ(s[3].defaultValue, QVariant(QString()));
    EXPECT_EQ(s[3].defaultValue.typeId(), QMetaType::QString);
}

TEST(Manifest, ReportsInvalidSettings) {
    const auto errors = errorsOf(withBody("<settings>\n"
                                          "<setting name=\"a\" type=\"float\" default=\"1\">" + labels + "</setting>\n" +
                                          "<setting name=\"b\" type=\"int\" default=\"ten\">" + labels + "</setting>\n" +
                                          "<setting name=\"c\" type=\"bool\">" + labels + "</setting>\n" +
                                          "<setting name=\"b\" type=\"string\" default=\"x\">" + labels + "</setting>\n" +
                                          "<setting name=\"d\" default=\"x\">" + labels + "</setting>\n" +
                                          "</settings>\n"));
    EXPECT_EQ(errors, (std::vector<std::string>{
                          "6: invalid type=\"float\" on <setting>: expected int, number, bool or string",
                          "7: default \"ten\" of setting b is not a valid int",
                          "8: missing attribute default on <setting>",
                          "9: duplicate setting b (first on line 7)",
                          "10: missing attribute type on <setting>"}));
}

TEST(ManifestSetting, ConvertsTextToItsType) {
    SettingDecl s;
    s.type = SettingType::Int;
    EXPECT_EQ(s.convert(QStringLiteral("20")), QVariant::fromValue(qint64{20}));
    EXPECT_EQ(s.convert(QStringLiteral(" -7 ")), QVariant::fromValue(qint64{-7}));
    EXPECT_EQ(s.convert(QStringLiteral("9223372036854775807")), QVariant::fromValue(qint64{9223372036854775807}));
    for (const char* bad : {"", "1.5", "+3", "0x10", "1e3", "ten", "9223372036854775808"})
        EXPECT_FALSE(s.convert(QString::fromUtf8(bad))) << bad;

    s.type = SettingType::Number;
    EXPECT_EQ(s.convert(QStringLiteral("0.25")), QVariant(0.25));
    EXPECT_EQ(s.convert(QStringLiteral("-3")), QVariant(-3.0));
    EXPECT_EQ(s.convert(QStringLiteral("1e3")), QVariant(1000.0));
    for (const char* bad : {"", "abc", "1,5", "inf", "nan"}) EXPECT_FALSE(s.convert(QString::fromUtf8(bad))) << bad;

    s.type = SettingType::Bool;
    EXPECT_EQ(s.convert(QStringLiteral("true")), QVariant(true));
    EXPECT_EQ(s.convert(QStringLiteral("false")), QVariant(false));
    for (const char* bad : {"", "1", "yes", "TRUE", " true"}) EXPECT_FALSE(s.convert(QString::fromUtf8(bad))) << bad;

    s.type = SettingType::String;
    EXPECT_EQ(s.convert(QStringLiteral(" any text ")), QVariant(QStringLiteral(" any text ")));
}

TEST(Manifest, RequiresPermissionIdsToStartWithThePluginId) {
    const auto errors = errorsOf(withBody("<permissions>\n"
                                          "<permission id=\"biz.orders.read\">" + labels + "</permission>\n" +
                                          "<permission id=\"read\">" + labels + "</permission>\n" +
                                          "<permission id=\"biz.customersread\">" + labels + "</permission>\n" +
                                          "<permission id=\"biz.customers.\">" + labels + "</permission>\n" +
                                          "<permission id=\"biz.customers.read\">" + labels + "</permission>\n" +
                                          "<permission id=\"biz.customers.read\">" + labels + "</permission>\n" +
                                          "<permission>" + labels + "</permission>\n" +
                                          "</permissions>\n"));
    const std::string expected = "\": expected biz.customers.<name> in dotted lower-case segments";
    EXPECT_EQ(errors, (std::vector<std::string>{
                          "6: invalid permission id \"biz.orders.read" + expected,
                          "7: invalid permission id \"read" + expected,
                          "8: invalid permission id \"biz.customersread" + expected,
                          "9: invalid permission id \"biz.customers." + expected,
                          "11: duplicate permission biz.customers.read (first on line 10)",
                          "12: missing attribute id on <permission>"}));
}

TEST(Manifest, AcceptsDeeperPermissionIds) {
    const auto parsed = parse(withBody("<permissions><permission id=\"biz.customers.export.xlsx\">" + labels +
                                       "</permission></permissions>\n"));
    EXPECT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
}

TEST(Manifest, ReadsMenuEntriesWithOptionalPermissionAndOrder) {
    const auto parsed = parse(withBody("<menu><entry id=\"home\" path=\"/m/biz.customers\">" + labels +
                                       "</entry><entry id=\"last\" path=\"/x\" order=\"-5\">" + labels +
                                       "</entry></menu>\n"));
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    ASSERT_EQ(parsed.value->menu.size(), 2u);
    EXPECT_TRUE(parsed.value->menu[0].permission.isEmpty());
    EXPECT_EQ(parsed.value->menu[0].order, 0);
    EXPECT_EQ(parsed.value->menu[1].order, -5);
}

TEST(Manifest, ReportsInvalidMenuEntries) {
    const auto errors = errorsOf(withBody("<permissions><permission id=\"biz.customers.read\">" + labels +
                                          "</permission></permissions>\n"
                                          "<menu>\n"
                                          "<entry id=\"a\" path=\"/a\" permission=\"biz.customers.write\">" + labels + "</entry>\n" +
                                          "<entry id=\"b\" path=\"b\">" + labels + "</entry>\n" +
                                          "<entry id=\"c\" path=\"/c\" order=\"first\">" + labels + "</entry>\n" +
                                          "<entry id=\"a\" path=\"/a2\" permission=\"biz.customers.read\">" + labels + "</entry>\n" +
                                          "<entry id=\"D\">" + labels + "</entry>\n" +
                                          "</menu>\n"));
    EXPECT_EQ(errors, (std::vector<std::string>{
                          "7: menu entry a needs permission \"biz.customers.write\", which this manifest does not "
                          "declare",
                          "8: invalid path=\"b\" on <entry>: expected a shell path starting with /",
                          "9: invalid order=\"first\" on <entry>: expected an integer",
                          "10: duplicate menu entry a (first on line 7)",
                          "11: invalid id=\"D\" on <entry>: expected lower-case letters, digits and '-', starting "
                          "with a letter",
                          "11: missing attribute path on <entry>"}));
}

TEST(Manifest, ReportsAllErrorsOfAFileInLineOrder) {
    const QByteArray xml = "<?xml version=\"1.0\"?>\n"
                           "<plugin id=\"Biz\" version=\"1.0\" sdk-api=\"0\">\n"  // 2: three bad attributes
                           "  <name lang=\"zh-CN\">客户</name>\n"                 // 3
                           "  <library>x/y</library>\n"                            // 4
                           "  <dependencies>\n"                                    // 5
                           "    <dependency id=\"a.b\" version=\"^^1\"/>\n"        // 6
                           "  </dependencies>\n"                                   // 7
                           "  <features>\n"                                        // 8
                           "    <featurez name=\"x\"/>\n"                          // 9
                           "  </features>\n"                                       // 10
                           "</plugin>\n";
    const auto errors = errorsOf(xml);
    EXPECT_EQ(errors, (std::vector<std::string>{
                          "2: invalid id=\"Biz\" on <plugin>: expected a plugin id of dotted lower-case segments "
                          "like biz.customers",
                          "2: invalid version=\"1.0\" on <plugin>: expected a semantic version like 1.2.0",
                          "2: invalid sdk-api=\"0\" on <plugin>: expected a positive integer",
                          "2: missing <name lang=\"en\"> in <plugin>",
                          "4: invalid <library> \"x/y\": expected a file base name without '/' or '..'",
                          "6: invalid version range \"^^1\" on <dependency>",
                          "9: unknown element <featurez> in <features>"}));
    EXPECT_EQ(parse(xml).errors.front().toString().toStdString(),
              std::string(file) + ":2: invalid id=\"Biz\" on <plugin>: expected a plugin id of dotted lower-case "
                                  "segments like biz.customers");
}

TEST(Manifest, CountsLinesInFilesWithCarriageReturns) {
    QByteArray xml = withBody("<features>\n<featurez/>\n</features>\n");
    xml.replace("\n", "\r\n");
    EXPECT_EQ(onlyErrorOf(xml), "6: unknown element <featurez> in <features>");
}

// configs/manifest.xsd must accept exactly what the parser accepts, as far as XML Schema can say.
TEST(ManifestSchema, AgreesWithTheParser) {
    const QString xmllint = QStandardPaths::findExecutable(QStringLiteral("xmllint"));
    if (xmllint.isEmpty()) GTEST_SKIP() << "xmllint is not installed";
    const QString schema = QStringLiteral(TESSERA_SOURCE_DIR "/configs/manifest.xsd");
    TempDir dir;
    const auto schemaAccepts = [&](const QByteArray& xml) {
        const QString path = dir.write(QStringLiteral("manifest.xml"), xml);
        QProcess p;
        p.start(xmllint, {QStringLiteral("--noout"), QStringLiteral("--schema"), schema, path});
        p.waitForFinished();
        return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    };
    const auto dependency = [](const char* version) {
        const QByteArray escaped = QByteArray(version).replace("<", "&lt;");
        return withBody("<dependencies><dependency id=\"a.b\" version=\"" + escaped + "\"/></dependencies>\n");
    };
    std::vector<QByteArray> documents = {
        example,
        withBody(""),
        withBody("<features><feature name=\"a\">" + labels + "</feature></features>\n"),
        withBody("<features><feature name=\"a\"><label lang=\"en\">x</label></feature></features>\n"),
        withBody("<features><feature name=\"a\">" + labels + "</feature><feature name=\"a\">" + labels +
                 "</feature></features>\n"),
        withBody("<menu><entry id=\"a\" path=\"/a\" permission=\"biz.customers.x\">" + labels + "</entry></menu>\n"),
        withBody("<settings><setting name=\"a\" type=\"float\" default=\"1\">" + labels + "</setting></settings>\n"),
        withBody("<views/>\n"),
        withBody("", R"(id="biz.customers" version="1.0.0" sdk-api="0")"),
        withBody("", R"(id="biz.customers" version="1.0.0" sdk-api=" 2 ")"),
        withBody("", R"(id="biz" version="1.0.0" sdk-api="1")"),
        withBody("", R"(id="biz.customers" version="1.0.0-01" sdk-api="1")"),
        withBody("<dependencies><dependency id=\"a.b\"> </dependency></dependencies>\n"),
        withBody("<dependencies>\n</dependencies>\n"),
    };
    for (const char* range : {"^1.0.0", ">=1.2.0 <2.0.0", "1.x || 2.1.x", "*", "~1", ">1.2", "<=1.2.3-rc.1+b",
                              " 1.x ", "1.x||2.x", "", "1.x ||", ">= 1.0.0", "1.x.3", "x.1", "01.2.3", "1.2-beta",
                              "1.2.3 - 2.0.0", "^", ">>1", "=1.2.3", "~*", "X", "x.x.x", "1.x.x", "^0.0", "<1.2.x",
                              "1.0.0-rc.1", "1.0.0-01", "1.0.0-a..b", "1 2", "1 ||2", "1.2.3+", "v1", "1.2.3.x"})
        documents.push_back(dependency(range));
    for (const QByteArray& xml : documents)
        EXPECT_EQ(schemaAccepts(xml), parse(xml).ok()) << xml.toStdString();
}
