#include "runtime/manifest.hpp"

#include "test_support.hpp"

#include <QDate>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

#include <gtest/gtest.h>

#include <tuple>

using tessera::host::CardDecl;
using tessera::host::FieldDecl;
using tessera::host::FileError;
using tessera::host::Manifest;
using tessera::host::Parsed;
using tessera::host::SettingDecl;
using tessera::host::SettingType;
using tessera::host::StepDecl;
using tessera::host::Version;
using tessera::host::WorkflowDecl;
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

// The dictionaries and views example from docs/manifests.md, as the body of withBody() (so
// its first line is line 5).
const QByteArray viewsExample = R"(  <dictionaries>
    <dictionary id="customer-level">
      <label lang="zh-CN">客户等级</label><label lang="en">Customer level</label>
      <item code="A"><label lang="zh-CN">重要客户</label><label lang="en">Key account</label></item>
      <item code="B"><label lang="zh-CN">普通客户</label><label lang="en">Regular</label></item>
    </dictionary>
    <dictionary id="ethnicity" file="dictionaries/ethnicity.csv">
      <label lang="zh-CN">民族</label><label lang="en">Ethnicity</label>
    </dictionary>
  </dictionaries>
  <views>
    <list id="customers" resource="customers" card="customer" page-size="20">
      <label lang="zh-CN">客户列表</label><label lang="en">Customers</label>
      <column field="name" width="240"/>
      <column field="contact"/>
      <column field="phone"/>
      <filter param="q" kind="text"><label lang="zh-CN">名称/联系人/电话</label><label lang="en">Name, contact or phone</label></filter>
      <filter param="level" kind="dropdown" dictionary="customer-level"><label lang="zh-CN">等级</label><label lang="en">Level</label></filter>
    </list>
    <card id="customer" resource="customers">
      <label lang="zh-CN">客户卡片</label><label lang="en">Customer card</label>
      <section id="basic">
        <label lang="zh-CN">基本信息</label><label lang="en">Basic information</label>
        <field name="name" kind="text" required="system" max-length="200"><label lang="zh-CN">客户名称</label><label lang="en">Name</label></field>
        <field name="unitId" kind="unit" required="required"><label lang="zh-CN">所属单位</label><label lang="en">Unit</label></field>
        <field name="contact" kind="text" max-length="200"><label lang="zh-CN">联系人</label><label lang="en">Contact</label></field>
        <field name="phone" kind="text" max-length="200"><label lang="zh-CN">电话</label><label lang="en">Phone</label></field>
        <field name="level" kind="dropdown" dictionary="customer-level"><label lang="zh-CN">等级</label><label lang="en">Level</label></field>
        <field name="since" kind="date"><label lang="zh-CN">合作开始</label><label lang="en">Customer since</label></field>
        <field name="employees" kind="number" min="0" max="1000000"><label lang="zh-CN">员工人数</label><label lang="en">Employees</label></field>
      </section>
      <section id="more">
        <label lang="zh-CN">更多</label><label lang="en">More</label>
        <field name="notes" kind="textarea" max-length="4000"><label lang="zh-CN">备注</label><label lang="en">Notes</label></field>
        <field name="contacts" kind="subform" required="required">
          <label lang="zh-CN">联系人</label><label lang="en">Contacts</label>
          <field name="name" kind="text" required="system"><label lang="zh-CN">姓名</label><label lang="en">Name</label></field>
          <field name="phone" kind="text"><label lang="zh-CN">电话</label><label lang="en">Phone</label></field>
          <field name="ethnicity" kind="dropdown" dictionary="ethnicity"><label lang="zh-CN">民族</label><label lang="en">Ethnicity</label></field>
        </field>
      </section>
    </card>
  </views>
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
    EXPECT_EQ(onlyErrorOf(withBody("  <widgets/>\n")), "5: unknown element <widgets> in <plugin>");
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

namespace {

// A manifest with a dictionary "level" (line 5) and `views` inside <views> (from line 7).
QByteArray withViews(const QByteArray& views) {
    return withBody("<dictionaries><dictionary id=\"level\">" + labels + "<item code=\"A\">" + labels +
                    "</item></dictionary></dictionaries>\n<views>\n" + views + "</views>\n");
}

// A <field> with `attributes`, labels and `inner` content.
QByteArray field(const QByteArray& attributes, const QByteArray& inner = "") {
    return "<field " + attributes + ">" + labels + inner + "</field>";
}

// A card "c" on line 7 whose only section holds `fields` (from line 8).
QByteArray cardWith(const QByteArray& fields) {
    return "<card id=\"c\" resource=\"r\">" + labels + "<section id=\"s\">" + labels + "\n" + fields +
           "</section></card>\n";
}

}  // namespace

using tessera::host::ChartKind;
using tessera::host::FieldKind;
using tessera::host::FilterKind;
using tessera::host::Requirement;

TEST(ManifestViews, ReadsTheDocumentedExample) {
    const auto parsed = parse(withBody(viewsExample));
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    const Manifest& m = *parsed.value;

    ASSERT_EQ(m.dictionaries.size(), 2u);
    const auto& level = m.dictionaries[0];
    EXPECT_EQ(level.id, QStringLiteral("customer-level"));
    EXPECT_EQ(level.label.zhCN, QStringLiteral("客户等级"));
    EXPECT_EQ(level.label.en, QStringLiteral("Customer level"));
    EXPECT_TRUE(level.file.isEmpty());
    EXPECT_EQ(level.line, 6);
    ASSERT_EQ(level.items.size(), 2u);
    EXPECT_EQ(level.items[0].code, QStringLiteral("A"));
    EXPECT_EQ(level.items[0].label.zhCN, QStringLiteral("重要客户"));
    EXPECT_EQ(level.items[1].label.en, QStringLiteral("Regular"));
    EXPECT_EQ(level.item(QStringLiteral("B")), &level.items[1]);
    EXPECT_EQ(level.item(QStringLiteral("C")), nullptr);
    const auto& ethnicity = m.dictionaries[1];
    EXPECT_EQ(ethnicity.file, QStringLiteral("dictionaries/ethnicity.csv"));
    EXPECT_TRUE(ethnicity.items.empty());  // parse() reads no other file
    EXPECT_EQ(m.dictionary(QStringLiteral("ethnicity")), &ethnicity);
    EXPECT_EQ(m.dictionary(QStringLiteral("nope")), nullptr);

    ASSERT_EQ(m.lists.size(), 1u);
    const auto& list = m.lists[0];
    EXPECT_EQ(m.list(QStringLiteral("customers")), &list);
    EXPECT_EQ(m.list(QStringLiteral("customer")), nullptr);
    EXPECT_EQ(list.resource, QStringLiteral("customers"));
    EXPECT_EQ(list.card, QStringLiteral("customer"));
    EXPECT_EQ(list.pageSize, 20);
    EXPECT_EQ(list.label.zhCN, QStringLiteral("客户列表"));
    ASSERT_EQ(list.columns.size(), 3u);
    EXPECT_EQ(list.columns[0].field, QStringLiteral("name"));
    EXPECT_EQ(list.columns[0].width, 240);
    EXPECT_EQ(list.columns[2].field, QStringLiteral("phone"));
    EXPECT_FALSE(list.columns[2].width);
    ASSERT_EQ(list.filters.size(), 2u);
    EXPECT_EQ(list.filters[0].param, QStringLiteral("q"));
    EXPECT_EQ(list.filters[0].kind, FilterKind::Text);
    EXPECT_TRUE(list.filters[0].dictionary.isEmpty());
    EXPECT_EQ(list.filters[0].label.en, QStringLiteral("Name, contact or phone"));
    EXPECT_EQ(list.filters[1].kind, FilterKind::Dropdown);
    EXPECT_EQ(list.filters[1].dictionary, QStringLiteral("customer-level"));

    ASSERT_EQ(m.cards.size(), 1u);
    const auto& card = m.cards[0];
    EXPECT_EQ(m.card(QStringLiteral("customer")), &card);
    EXPECT_EQ(m.card(QStringLiteral("customers")), nullptr);
    EXPECT_EQ(card.resource, QStringLiteral("customers"));
    EXPECT_EQ(card.label.en, QStringLiteral("Customer card"));
    ASSERT_EQ(card.sections.size(), 2u);
    EXPECT_EQ(card.sections[0].id, QStringLiteral("basic"));
    EXPECT_EQ(card.sections[0].label.zhCN, QStringLiteral("基本信息"));
    const auto& basic = card.sections[0].fields;
    ASSERT_EQ(basic.size(), 7u);
    EXPECT_EQ(basic[0].name, QStringLiteral("name"));
    EXPECT_EQ(basic[0].kind, FieldKind::Text);
    EXPECT_EQ(basic[0].requirement, Requirement::System);
    EXPECT_EQ(basic[0].maxLength, 200);
    EXPECT_EQ(basic[0].label.zhCN, QStringLiteral("客户名称"));
    EXPECT_EQ(basic[1].kind, FieldKind::Unit);
    EXPECT_EQ(basic[1].requirement, Requirement::Required);
    EXPECT_EQ(basic[2].requirement, Requirement::Optional);
    EXPECT_EQ(basic[4].kind, FieldKind::Dropdown);
    EXPECT_EQ(basic[4].dictionary, QStringLiteral("customer-level"));
    EXPECT_EQ(basic[5].kind, FieldKind::Date);
    EXPECT_FALSE(basic[5].maxLength);
    EXPECT_EQ(basic[6].kind, FieldKind::Number);
    EXPECT_EQ(basic[6].min, 0.0);
    EXPECT_EQ(basic[6].max, 1000000.0);
    const auto& more = card.sections[1].fields;
    ASSERT_EQ(more.size(), 2u);
    EXPECT_EQ(more[0].kind, FieldKind::Textarea);
    EXPECT_EQ(more[0].maxLength, 4000);
    const auto& contacts = more[1];
    EXPECT_EQ(contacts.kind, FieldKind::Subform);
    EXPECT_EQ(contacts.requirement, Requirement::Required);
    ASSERT_EQ(contacts.children.size(), 3u);
    EXPECT_EQ(contacts.children[0].name, QStringLiteral("name"));
    EXPECT_EQ(contacts.children[0].requirement, Requirement::System);
    EXPECT_EQ(contacts.children[2].dictionary, QStringLiteral("ethnicity"));
    EXPECT_EQ(contacts.child(QStringLiteral("phone")), &contacts.children[1]);
    EXPECT_EQ(contacts.child(QStringLiteral("unitId")), nullptr);
    EXPECT_EQ(card.field(QStringLiteral("employees")), &basic[6]);
    EXPECT_EQ(card.field(QStringLiteral("contacts")), &more[1]);
    EXPECT_EQ(card.field(QStringLiteral("ethnicity")), nullptr);  // a subform's field is not the card's
}

TEST(ManifestViews, AreOptionalAndMayBeEmpty) {
    const auto parsed = parse(withBody("<menu/><dictionaries/><views/>\n"));
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    EXPECT_TRUE(parsed.value->dictionaries.empty());
    EXPECT_TRUE(parsed.value->lists.empty());
    EXPECT_TRUE(parsed.value->cards.empty());
}

TEST(ManifestViews, UsesDefaultsAndAllowsAListWithoutACard) {
    const auto parsed = parse(withViews("<list id=\"all\" resource=\"customers/all\">" + labels +
                                        "<column field=\"anything\"/></list>\n" +
                                        cardWith(field("name=\"a\" kind=\"text\""))));
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    const auto& list = parsed.value->lists.at(0);
    EXPECT_EQ(list.pageSize, 20);
    EXPECT_TRUE(list.card.isEmpty());
    EXPECT_TRUE(list.filters.empty());
    const auto& f = parsed.value->cards.at(0).sections.at(0).fields.at(0);
    EXPECT_EQ(f.requirement, Requirement::Optional);
    EXPECT_FALSE(f.maxLength);
    EXPECT_FALSE(f.min);
    EXPECT_FALSE(f.max);
    EXPECT_TRUE(f.children.empty());
}

TEST(ManifestViews, ComeAfterTheMenuDictionariesFirst) {
    EXPECT_EQ(errorsOf(withBody("<views/>\n<dictionaries/>\n<menu/>\n")),
              (std::vector<std::string>{"6: element <dictionaries> must come before <views> in <plugin>",
                                        "7: element <menu> must come before <views> in <plugin>"}));
    EXPECT_EQ(onlyErrorOf(withViews(cardWith(field("name=\"a\" kind=\"text\"")) +
                                    "<list id=\"l\" resource=\"r\">" + labels + "<column field=\"a\"/></list>\n")),
              "9: element <list> must come before <card> in <views>");
    EXPECT_EQ(onlyErrorOf(withBody("<views>\n<view id=\"x\"/>\n</views>\n")), "6: unknown element <view> in <views>");
}

TEST(ManifestViews, ReportsInvalidDictionaries) {
    const QByteArray item = "<item code=\"A\">" + labels + "</item>";
    const auto errors = errorsOf(withBody("<dictionaries>\n"
                                          "<dictionary id=\"a\" file=\"a.csv\">" + labels + item + "</dictionary>\n" +
                                          "<dictionary id=\"b\">" + labels + "</dictionary>\n" +
                                          "<dictionary id=\"c\" file=\"/etc/c.csv\">" + labels + "</dictionary>\n" +
                                          "<dictionary id=\"d\" file=\"../d.csv\">" + labels + "</dictionary>\n" +
                                          "<dictionary id=\"e\" file=\"x/../../e.csv\">" + labels + "</dictionary>\n" +
                                          "<dictionary id=\"f\" file=\"\">" + labels + "</dictionary>\n" +
                                          "<dictionary id=\"Level\">" + labels + item + "</dictionary>\n" +
                                          "<dictionary id=\"a\">" + labels + item + "</dictionary>\n" +
                                          "<dictionary id=\"g\" kind=\"x\">" + labels + item + "</dictionary>\n" +
                                          "<dictionary id=\"h\"><label lang=\"en\">H</label>" + item + "</dictionary>\n" +
                                          "<dictionary id=\"i\">" + item + labels + "</dictionary>\n" +
                                          "</dictionaries>\n"));
    const std::string badFile = "\" on <dictionary>: expected a path relative to the plugin folder, without '..' and "
                                "not starting with '/'";
    EXPECT_EQ(errors, (std::vector<std::string>{
                          "6: dictionary a has both a file and <item>s: use one or the other",
                          "7: dictionary b has neither <item>s nor a file",
                          "8: invalid file=\"/etc/c.csv" + badFile,
                          "9: invalid file=\"../d.csv" + badFile,
                          "10: invalid file=\"x/../../e.csv" + badFile,
                          "11: invalid file=\"" + badFile,
                          "12: invalid id=\"Level\" on <dictionary>: expected lower-case letters, digits and '-', "
                          "starting with a letter",
                          "13: duplicate dictionary a (first on line 6)",
                          "14: unknown attribute kind on <dictionary>",
                          "15: missing <label lang=\"zh-CN\"> in <dictionary>",
                          "16: element <label> must come before <item> in <dictionary>",
                          "16: element <label> must come before <item> in <dictionary>"}));
}

TEST(ManifestViews, ReportsInvalidDictionaryItems) {
    const auto errors = errorsOf(withBody("<dictionaries>\n<dictionary id=\"d\">" + labels + "\n" +
                                          "<item code=\"A\">" + labels + "</item>\n" +
                                          "<item code=\"A\">" + labels + "</item>\n" +
                                          "<item code=\"\">" + labels + "</item>\n" +
                                          "<item code=\" B\">" + labels + "</item>\n" +
                                          "<item>" + labels + "</item>\n" +
                                          "<item code=\"C\"><label lang=\"zh-CN\">丙</label></item>\n" +
                                          "<item code=\"D\" order=\"1\">" + labels + "</item>\n" +
                                          "<item code=\"E\">" + labels + "<item code=\"F\"/></item>\n" +
                                          "<item code=\"G\" tag=\"red\">" + labels + "</item>\n" +
                                          "</dictionary></dictionaries>\n"));
    const std::string badCode = "\" on <item>: expected a non-empty code without white space around it";
    EXPECT_EQ(errors, (std::vector<std::string>{
                          "8: duplicate code A in dictionary d (first on line 7)",
                          "9: invalid code=\"" + badCode,
                          "10: invalid code=\" B" + badCode,
                          "11: missing attribute code on <item>",
                          "12: missing <label lang=\"en\"> in <item>",
                          "13: unknown attribute order on <item>",
                          "14: unknown element <item> in <item>",
                          "15: invalid tag=\"red\" on <item>: expected one of primary, success, info, warning, danger"}));
}

TEST(ManifestViews, AcceptsCodesWithSpacesInside) {
    const auto parsed = parse(withBody("<dictionaries><dictionary id=\"d\">" + labels + "<item code=\"01 a\">" +
                                       labels + "</item><item code=\"汉\">" + labels +
                                       "</item></dictionary></dictionaries>\n"));
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    EXPECT_EQ(parsed.value->dictionaries.at(0).items.at(1).code, QStringLiteral("汉"));
}

TEST(ManifestViews, AnItemSaysHowListsColourIt) {
    const auto parsed = parse(withBody("<dictionaries><dictionary id=\"d\">" + labels + "<item code=\"a\" tag=\"danger\">" + labels +
                                       "</item><item code=\"b\">" + labels + "</item></dictionary></dictionaries>\n"));
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    EXPECT_EQ(parsed.value->dictionaries.at(0).items.at(0).tag, QStringLiteral("danger"));
    EXPECT_EQ(parsed.value->dictionaries.at(0).items.at(1).tag, QString());
}

TEST(ManifestViews, ReportsInvalidFields) {
    const auto errors = errorsOf(withViews(cardWith(
        field("name=\"unit_id\" kind=\"text\"") + "\n" +                                    // 8
        field("name=\"a\" kind=\"toggle\"") + "\n" +                                      // 9
        field("name=\"b\" kind=\"text\" required=\"yes\"") + "\n" +                         // 10
        field("name=\"c\" kind=\"dropdown\"") + "\n" +                                      // 11
        field("name=\"d\" kind=\"dropdown\" dictionary=\"nope\"") + "\n" +                  // 12
        field("name=\"e\" kind=\"text\" dictionary=\"level\"") + "\n" +                     // 13
        field("name=\"f\" kind=\"number\" max-length=\"10\"") + "\n" +                      // 14
        field("name=\"g\" kind=\"text\" min=\"1\" max=\"2\"") + "\n" +                      // 15
        field("name=\"h\" kind=\"number\" min=\"5\" max=\"-5\"") + "\n" +                   // 16
        field("name=\"i\" kind=\"number\" min=\"1e3\" max=\"+1\"") + "\n" +                 // 17
        field("name=\"j\" kind=\"textarea\" max-length=\"0\"") + "\n" +                     // 18
        field("kind=\"date\" width=\"3\"") + "\n" +                                         // 19
        "<field name=\"k\" kind=\"date\"><label lang=\"en\">K</label></field>\n" +            // 20
        field("name=\"l\" kind=\"date\"", "<field name=\"x\" kind=\"text\">" + labels + "</field>") + "\n")));  // 21
    EXPECT_EQ(errors, (std::vector<std::string>{"8: invalid name=\"unit_id\" on <field>: expected a JSON name of ASCII letters and digits, "
                                                "starting with a letter, like unitId",
                                                "9: invalid kind=\"toggle\" on <field>: expected text, textarea, number, date, dropdown, "
                                                "unit, subform, checkbox, integer, decimal, datetime, reference, attachments or user",
                                                "10: invalid required=\"yes\" on <field>: expected system, required or optional",
                                                "11: dropdown field c needs a dictionary attribute",
                                                "12: field d needs dictionary \"nope\", which this manifest does not declare",
                                                "13: dictionary=\"level\" on field e: only a dropdown has a dictionary",
                                                "14: max-length on field f: only text and textarea fields have a max-length",
                                                "15: min on field g: only number, integer and decimal fields have a min",
                                                "15: max on field g: only number, integer and decimal fields have a max",
                                                "16: min=\"5\" is greater than max=\"-5\" on field h",
                                                "17: invalid min=\"1e3\" on <field>: expected a decimal number like 0, -5 or 2.5",
                                                "17: invalid max=\"+1\" on <field>: expected a decimal number like 0, -5 or 2.5",
                                                "18: invalid max-length=\"0\" on <field>: expected a positive integer",
                                                "19: unknown attribute width on <field>", "19: missing attribute name on <field>",
                                                "20: missing <label lang=\"zh-CN\"> in <field>",
                                                "21: <field> in field l of kind date: only a subform has fields"}));
}

TEST(ManifestViews, AcceptsDecimalBoundsWithSpaces) {
    const auto parsed = parse(withViews(cardWith(field("name=\"n\" kind=\"number\" min=\" -2.5 \" max=\"10\""))));
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    const auto& f = parsed.value->cards.at(0).sections.at(0).fields.at(0);
    EXPECT_EQ(f.min, -2.5);
    EXPECT_EQ(f.max, 10.0);
    EXPECT_FALSE(parse(withViews(cardWith(field("name=\"n\" kind=\"number\" min=\"1\" max=\"1\"")))).errors.size());
}

TEST(ManifestViews, ReportsInvalidSubforms) {
    const QByteArray text = field("name=\"t\" kind=\"text\"");
    const auto errors = errorsOf(withViews(cardWith(
        field("name=\"a\" kind=\"subform\"") + "\n" +                                        // 8
        field("name=\"b\" kind=\"subform\" required=\"system\"", text) + "\n" +             // 9
        field("name=\"c\" kind=\"subform\"", "\n" +                                          // 10
              field("name=\"s\" kind=\"subform\"", text) + "\n" +                           // 11
              field("name=\"u\" kind=\"unit\"") + "\n" +                                     // 12
              field("name=\"t\" kind=\"text\"") + "\n" +                                     // 13
              field("name=\"t\" kind=\"date\"") + "\n" +                                     // 14
              field("name=\"d\" kind=\"dropdown\" dictionary=\"level\" required=\"system\"") + "\n") +  // 15
        "\n" + field("name=\"t\" kind=\"text\"") + "\n")));                                  // 16-17
    EXPECT_EQ(errors, (std::vector<std::string>{
                          "8: subform a has no <field>",
                          "9: required=\"system\" on subform b: a subform is required or optional",
                          "11: field s in subform c: a subform's fields cannot be of kind subform",
                          "11: <field> in field s, which is in subform c: subforms do not nest",
                          "12: field u in subform c: a subform's fields cannot be of kind unit",
                          "14: duplicate field t in subform c (first on line 13)"}));
}

TEST(ManifestViews, ReportsInvalidCardsAndDuplicates) {
    const QByteArray text = field("name=\"a\" kind=\"text\"");
    const auto errors = errorsOf(withViews(
        "<card id=\"c\" resource=\"r\">" + labels + "\n" +                                   // 7
        "<section id=\"s\">" + labels + text + "</section>\n" +                              // 8
        "<section id=\"s\">" + labels + field("name=\"b\" kind=\"text\"") + "</section>\n" + // 9
        "<section id=\"t\">" + labels + text + "</section>\n" +                              // 10
        "<section id=\"u\">" + labels + "</section>\n" +                                     // 11
        "<section id=\"V\">" + labels + field("name=\"c\" kind=\"text\"") + "</section>\n" + // 12
        "</card>\n" +                                                                         // 13
        "<card id=\"d\" resource=\"/r\">" + labels + "</card>\n" +                           // 14
        "<card id=\"c\">" + labels + "<section id=\"s\">" + labels + text + "</section></card>\n" +  // 15
        "<card resource=\"a/b\">" + labels + "<section id=\"s\">" + labels + text + "</section></card>\n"));  // 16
    EXPECT_EQ(errors, (std::vector<std::string>{
                          "9: duplicate section s in card c (first on line 8)",
                          "10: duplicate field a in card c (first on line 8)",
                          "11: missing <field> in <section>",
                          "12: invalid id=\"V\" on <section>: expected lower-case letters, digits and '-', starting "
                          "with a letter",
                          "14: missing <section> in <card>",
                          "14: invalid resource=\"/r\" on <card>: expected an API path relative to the plugin's, of "
                          "lower-case letters, digits and '-' in segments joined by '/', like customers",
                          "15: duplicate view c (first on line 7)",
                          "15: missing attribute resource on <card>",
                          "16: missing attribute id on <card>"}));
}

TEST(ManifestViews, ReportsInvalidLists) {
    const auto errors = errorsOf(withViews(
        "<list id=\"a\" resource=\"Customers\" card=\"c\" page-size=\"0\">" + labels + "\n" +  // 7
        "<column field=\"a\" width=\"-1\"/>\n" +                                             // 8
        "<column field=\"b\"/>\n" +                                                           // 9
        "<column field=\"a\"/>\n" +                                                           // 10
        "<column field=\"sub\"><x/></column>\n" +                                            // 11
        "<column field=\"t\"/>\n" +                                                           // 12
        "<filter param=\"page-size\" kind=\"text\">" + labels + "</filter>\n" +              // 13
        "<filter param=\"q\" kind=\"number\">" + labels + "</filter>\n" +                    // 14
        "<filter param=\"level\" kind=\"dropdown\">" + labels + "</filter>\n" +              // 15
        "<filter param=\"l2\" kind=\"dropdown\" dictionary=\"nope\">" + labels + "</filter>\n" +  // 16
        "<filter param=\"q\" kind=\"text\" dictionary=\"level\">" + labels + "</filter>\n" + // 17
        "<filter param=\"q\" kind=\"date\">" + labels + "</filter>\n" +                      // 18
        "</list>\n" +                                                                         // 19
        "<list id=\"b\" resource=\"r\" card=\"nope\" page-size=\"201\" export=\"../x\">" + labels + "</list>\n" +  // 20
        "<list id=\"a\" resource=\"r\">" + labels + "<filter param=\"q\" kind=\"text\">" + labels +
        "</filter><column field=\"x\"/></list>\n" +                                           // 21
        cardWith(field("name=\"a\" kind=\"text\"") +
                 field("name=\"sub\" kind=\"subform\"", field("name=\"t\" kind=\"text\""))))); // 22-23
    EXPECT_EQ(errors, (std::vector<std::string>{
                          "7: invalid resource=\"Customers\" on <list>: expected an API path relative to the "
                          "plugin's, of lower-case letters, digits and '-' in segments joined by '/', like customers",
                          "7: invalid page-size=\"0\" on <list>: expected an integer from 1 to 200",
                          "8: invalid width=\"-1\" on <column>: expected a positive integer",
                          "9: column b of list a is not a field of card c",
                          "10: duplicate column a in list a (first on line 8)",
                          "11: unknown element <x> in <column>",
                          "12: column t of list a is not a field of card c",
                          "13: invalid param=\"page-size\" on <filter>: expected a JSON name of ASCII letters and "
                          "digits, starting with a letter, like unitId",
                          "14: invalid kind=\"number\" on <filter>: expected text, dropdown, unit or date",
                          "15: dropdown filter level needs a dictionary attribute",
                          "16: filter l2 needs dictionary \"nope\", which this manifest does not declare",
                          "17: dictionary=\"level\" on filter q: only a dropdown has a dictionary",
                          "17: duplicate filter q in list a (first on line 14)",
                          "18: duplicate filter q in list a (first on line 14)",
                          "20: missing <column> in <list>",
                          "20: invalid page-size=\"201\" on <list>: expected an integer from 1 to 200",
                          "20: invalid export=\"../x\" on <list>: expected an API path relative to the "
                          "plugin's, of lower-case letters, digits and '-' in segments joined by '/', like customers",
                          "20: list b opens card \"nope\", which this manifest does not declare",
                          "21: duplicate view a (first on line 7)",
                          "21: element <column> must come before <filter> in <list>"}));
}

TEST(ManifestViews, ListsAndCardsShareIds) {
    EXPECT_EQ(onlyErrorOf(withViews("<list id=\"c\" resource=\"r\">" + labels + "<column field=\"a\"/></list>\n" +
                                    cardWith(field("name=\"a\" kind=\"text\"")))),
              "8: duplicate view c (first on line 7)");
}

TEST(ManifestViews, LoadReadsDictionaryFiles) {
    TempDir dir;
    const QString path = dir.write(QStringLiteral("p/manifest.xml"), withBody(viewsExample));
    dir.write(QStringLiteral("p/dictionaries/ethnicity.csv"),
              "\xEF\xBB\xBF"
              "code,zh-CN,en\r\n"
              "01,汉族,Han\r\n"
              "\r\n"
              "02,\"蒙古族\",\"Mongol, \"\"Mongolian\"\"\"\r\n"
              "03, 回族 ,Hui");
    const auto parsed = Manifest::load(path);
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    const auto& items = parsed.value->dictionary(QStringLiteral("ethnicity"))->items;
    ASSERT_EQ(items.size(), 3u);
    EXPECT_EQ(items[0].code, QStringLiteral("01"));
    EXPECT_EQ(items[0].label.zhCN, QStringLiteral("汉族"));
    EXPECT_EQ(items[0].label.en, QStringLiteral("Han"));
    EXPECT_EQ(items[1].label.zhCN, QStringLiteral("蒙古族"));
    EXPECT_EQ(items[1].label.en, QStringLiteral("Mongol, \"Mongolian\""));
    EXPECT_EQ(items[2].label.zhCN, QStringLiteral("回族"));  // labels are trimmed
    // Inline dictionaries are unchanged.
    EXPECT_EQ(parsed.value->dictionary(QStringLiteral("customer-level"))->items.size(), 2u);
}

TEST(ManifestViews, LoadReportsAMissingDictionaryFile) {
    TempDir dir;
    const QString path = dir.write(QStringLiteral("p/manifest.xml"), withBody(viewsExample));
    const auto parsed = Manifest::load(path);
    ASSERT_FALSE(parsed.ok());
    ASSERT_EQ(parsed.errors.size(), 1u);
    const QString csv = QFileInfo(path).absolutePath() + QStringLiteral("/dictionaries/ethnicity.csv");
    EXPECT_EQ(parsed.errors[0].file, csv);
    EXPECT_EQ(parsed.errors[0].line, 0);
    EXPECT_EQ(parsed.errors[0].message,
              QStringLiteral("file not found (the file of dictionary ethnicity, %1:11)").arg(QFileInfo(path).absoluteFilePath()));
}

TEST(ManifestViews, LoadReportsBadDictionaryRowsWithTheCsvLine) {
    TempDir dir;
    // A manifest error too: the manifest's errors come first, then the CSV's.
    const QString path = dir.write(QStringLiteral("p/manifest.xml"),
                                   withBody(QByteArray(viewsExample).replace("page-size=\"20\"", "page-size=\"x\"")));
    const QString csv = dir.write(QStringLiteral("p/dictionaries/ethnicity.csv"),
                                  "code,zh-CN,en\n"
                                  "01,汉族,Han\n"
                                  "02,蒙古族\n"
                                  ",无,None\n"
                                  "01,又,Again\n"
                                  " 04,回族,Hui\n"
                                  "05,,Tibetan\n"
                                  "06,\"维吾尔\"族,Uyghur\n"
                                  "07,\"壮\n族\",\"Zhuang\n"
                                  "08,苗族,Miao\n");
    const auto parsed = Manifest::load(path);
    ASSERT_FALSE(parsed.ok());
    std::vector<std::string> errors;
    for (const FileError& e : parsed.errors)
        errors.push_back(QFileInfo(e.file).fileName().toStdString() + ":" + std::to_string(e.line) + ": " +
                         e.message.toStdString());
    EXPECT_EQ(errors, (std::vector<std::string>{
                          "manifest.xml:16: invalid page-size=\"x\" on <list>: expected an integer from 1 to 200",
                          "ethnicity.csv:3: expected 3 fields (code,zh-CN,en), found 2",
                          "ethnicity.csv:4: invalid code \"\": expected a non-empty code without white space around it",
                          "ethnicity.csv:5: duplicate code 01 (first on line 2)",
                          "ethnicity.csv:6: invalid code \" 04\": expected a non-empty code without white space "
                          "around it",
                          "ethnicity.csv:7: empty zh-CN label",
                          "ethnicity.csv:8: unexpected text after a closing quote (write \"\" for a quote inside a "
                          "quoted field)",
                          // the field opened on line 10 ("Zhuang...) never ends
                          "ethnicity.csv:10: quoted field is not closed: a \" is missing"}));
    EXPECT_EQ(parsed.errors.back().file, csv);
}

TEST(ManifestViews, LoadRequiresTheCsvHeaderAndARow) {
    TempDir dir;
    const QString path = dir.write(QStringLiteral("p/manifest.xml"), withBody(viewsExample));
    const auto onlyCsvError = [&](const QByteArray& content) {
        dir.write(QStringLiteral("p/dictionaries/ethnicity.csv"), content);
        const auto parsed = Manifest::load(path);
        EXPECT_EQ(parsed.errors.size(), 1u) << parsed.errorText().toStdString();
        return parsed.errors.empty() ? std::string()
                                     : std::to_string(parsed.errors[0].line) + ": " + parsed.errors[0].message.toStdString();
    };
    EXPECT_EQ(onlyCsvError(""), "1: expected the header line code,zh-CN,en");
    EXPECT_EQ(onlyCsvError("code,en,zh-CN\n01,Han,汉族\n"), "1: expected the header line code,zh-CN,en");
    EXPECT_EQ(onlyCsvError("\n01,汉族,Han\n"), "2: expected the header line code,zh-CN,en");
    EXPECT_EQ(onlyCsvError("code,zh-CN,en\n"), "1: no entries after the header line");
    EXPECT_EQ(onlyCsvError("code,zh-CN,en\n01,\xff,Han\n"), "2: not valid UTF-8 text");
    EXPECT_EQ(onlyCsvError("co\"de,zh-CN,en\n01,汉族,Han\n"),
              "1: quote inside an unquoted field (put the field in quotes and write the quote as \"\")");
}

TEST(ManifestViews, TheCustomersPluginDeclaresItsViews) {
    const auto parsed = Manifest::load(QStringLiteral(TESSERA_SOURCE_DIR "/plugins/biz.customers/manifest.xml"));
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    const auto* card = parsed.value->card(QStringLiteral("customer"));
    ASSERT_NE(card, nullptr);
    // Only fields the customers API accepts (plugins/biz.customers/src/customer.cpp).
    const QStringList writable{QStringLiteral("unitId"), QStringLiteral("name"), QStringLiteral("contact"),
                               QStringLiteral("phone"), QStringLiteral("address"), QStringLiteral("notes")};
    std::size_t count = 0;
    for (const auto& section : card->sections) {
        for (const auto& f : section.fields) {
            EXPECT_TRUE(writable.contains(f.name)) << f.name.toStdString();
            ++count;
        }
    }
    EXPECT_EQ(count, 6u);
    EXPECT_EQ(card->field(QStringLiteral("name"))->requirement, Requirement::System);
    EXPECT_EQ(card->field(QStringLiteral("name"))->maxLength, 200);
    EXPECT_EQ(card->field(QStringLiteral("unitId"))->kind, FieldKind::Unit);
    EXPECT_EQ(card->field(QStringLiteral("notes"))->maxLength, 4000);
    const auto* list = parsed.value->list(QStringLiteral("customers"));
    ASSERT_NE(list, nullptr);
    EXPECT_EQ(list->card, QStringLiteral("customer"));
    ASSERT_EQ(list->filters.size(), 1u);
    EXPECT_EQ(list->filters[0].param, QStringLiteral("q"));
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
    // Dictionaries and views (only what XML Schema can say: see the top of the schema).
    const QByteArray text = field("name=\"a\" kind=\"text\"");
    const QByteArray list = "<list id=\"l\" resource=\"r\">" + labels + "<column field=\"a\"/></list>\n";
    const auto dictionary = [](const QByteArray& attributes, const QByteArray& items) {
        return withBody("<dictionaries><dictionary " + attributes + ">" + labels + items +
                        "</dictionary></dictionaries>\n");
    };
    const QByteArray itemA = "<item code=\"A\">" + labels + "</item>";
    documents.insert(
        documents.end(),
        {
            withBody(viewsExample),
            withBody("<menu/><dictionaries/><views/>\n"),
            withBody("<views/><dictionaries/>\n"),
            withBody("<views/><menu/>\n"),
            dictionary("id=\"d\"", itemA + "<item code=\"01 b\">" + labels + "</item>"),
            dictionary("id=\"d\"", itemA + itemA),
            dictionary("id=\"d\"", "<item code=\" A\">" + labels + "</item>"),
            dictionary("id=\"d\"", "<item code=\"\">" + labels + "</item>"),
            dictionary("id=\"d\"", "<item code=\"A\"><label lang=\"en\">x</label></item>"),
            dictionary("id=\"D\"", itemA),
            dictionary("id=\"d\" file=\"d.csv\"", ""),
            dictionary("id=\"d\" file=\"./a.b/d.csv\"", ""),
            dictionary("id=\"d\" file=\".d\"", ""),
            dictionary("id=\"d\" file=\"d.\"", ""),
            dictionary("id=\"d\" file=\".\"", ""),
            dictionary("id=\"d\" file=\"/d.csv\"", ""),
            dictionary("id=\"d\" file=\"../d.csv\"", ""),
            dictionary("id=\"d\" file=\"a/../d.csv\"", ""),
            dictionary("id=\"d\" file=\"..\"", ""),
            dictionary("id=\"d\" file=\"\"", ""),
            withBody("<dictionaries><dictionary id=\"d\">" + labels + itemA + "</dictionary><dictionary id=\"d\">" + labels + itemA +
                     "</dictionary></dictionaries>\n"),
            withViews(list + cardWith(text)),
            withViews(cardWith(text) + list),
            withViews("<list id=\"l\" resource=\"customers/all-2\" card=\"c\" page-size=\" 200 \">" + labels +
                      "<column field=\"a\" width=\"1\"/><filter param=\"q\" kind=\"date\">" + labels +
                      "</filter><filter param=\"lv\" kind=\"dropdown\" dictionary=\"level\">" + labels + "</filter></list>\n" +
                      cardWith(text)),
            withViews("<list id=\"l\" resource=\"r\" card=\"x\">" + labels + "<column field=\"a\"/></list>\n" + cardWith(text)),
            withViews("<list id=\"c\" resource=\"r\">" + labels + "<column field=\"a\"/></list>\n" + cardWith(text)),
            withViews(list + list),
            withViews("<list id=\"l\" resource=\"r\" page-size=\"0\">" + labels + "<column field=\"a\"/></list>\n"),
            withViews("<list id=\"l\" resource=\"r\" page-size=\"201\">" + labels + "<column field=\"a\"/></list>\n"),
            withViews("<list id=\"l\" resource=\"/r\">" + labels + "<column field=\"a\"/></list>\n"),
            withViews("<list id=\"l\" resource=\"a//b\">" + labels + "<column field=\"a\"/></list>\n"),
            withViews("<list id=\"l\" resource=\"R\">" + labels + "<column field=\"a\"/></list>\n"),
            withViews("<list id=\"l\" resource=\"r\">" + labels + "</list>\n"),
            withViews("<list id=\"l\" resource=\"r\">" + labels + "<column field=\"a\" width=\"0\"/></list>\n"),
            withViews("<list id=\"l\" resource=\"r\">" + labels + "<column field=\"a\"/><column field=\"a\"/></list>\n"),
            withViews("<list id=\"l\" resource=\"r\">" + labels + "<column field=\"a-b\"/></list>\n"),
            withViews("<list id=\"l\" resource=\"r\">" + labels + "<filter param=\"q\" kind=\"text\">" + labels +
                      "</filter><column field=\"a\"/></list>\n"),
            withViews("<list id=\"l\" resource=\"r\">" + labels +
                      "<column field=\"a\"/><filter param=\"q\" "
                      "kind=\"text\">" +
                      labels + "</filter><filter param=\"q\" kind=\"date\">" + labels + "</filter></list>\n"),
            withViews("<list id=\"l\" resource=\"r\">" + labels +
                      "<column field=\"a\"/><filter param=\"q\" "
                      "kind=\"number\">" +
                      labels + "</filter></list>\n"),
            withViews("<list id=\"l\" resource=\"r\">" + labels +
                      "<column field=\"a\"/><filter param=\"q\" "
                      "kind=\"dropdown\" dictionary=\"nope\">" +
                      labels + "</filter></list>\n"),
            withViews(cardWith(field("name=\"unitId\" kind=\"unit\" required=\"required\""))),
            withViews(cardWith(field("name=\"a\" kind=\"dropdown\" dictionary=\"level\" required=\"system\""))),
            withViews(cardWith(field("name=\"a\" kind=\"dropdown\" dictionary=\"nope\""))),
            withViews(cardWith(field("name=\"a\" kind=\"number\" min=\" -2.5 \" max=\"10\""))),
            withViews(cardWith(field("name=\"a\" kind=\"number\" min=\"1e3\""))),
            withViews(cardWith(field("name=\"a\" kind=\"number\" max=\"+1\""))),
            withViews(cardWith(field("name=\"a\" kind=\"number\" max=\".5\""))),
            withViews(cardWith(field("name=\"a\" kind=\"text\" max-length=\"0\""))),
            withViews(cardWith(field("name=\"a\" kind=\"toggle\""))),
            withViews(cardWith(field("name=\"a\" kind=\"text\" required=\"yes\""))),
            withViews(cardWith(field("name=\"a_b\" kind=\"text\""))),
            withViews(cardWith(field("name=\"1a\" kind=\"text\""))),
            withViews(cardWith(field("kind=\"text\""))),
            withViews(cardWith("<field name=\"a\" kind=\"text\"><label lang=\"zh-CN\">x</label></field>")),
            withViews(cardWith(text + text)),
            withViews(cardWith(field("name=\"s\" kind=\"subform\"", text))),
            withViews(cardWith(text + field("name=\"s\" kind=\"subform\"", text + field("name=\"b\" kind=\"date\"")))),
            withViews(cardWith(field("name=\"s\" kind=\"subform\"", text + text))),
            withViews(cardWith(field("name=\"s\" kind=\"subform\"", field("name=\"u\" kind=\"unit\"")))),
            withViews(cardWith(field("name=\"s\" kind=\"subform\"", field("name=\"t\" kind=\"subform\"", text)))),
            withViews(cardWith(field("name=\"s\" kind=\"subform\"", field("name=\"t\" kind=\"text\"", text)))),
            withViews(cardWith(field("name=\"s\" kind=\"subform\"", field("name=\"d\" kind=\"dropdown\" dictionary=\"nope\"")))),
            withViews("<card id=\"c\" resource=\"r\">" + labels + "</card>\n"),
            withViews("<card id=\"c\" resource=\"r\">" + labels + "<section id=\"s\">" + labels + "</section></card>\n"),
            withViews("<card id=\"c\">" + labels + "<section id=\"s\">" + labels + text + "</section></card>\n"),
            withViews("<card id=\"c\" resource=\"r\">" + labels + "<section id=\"s\">" + labels + text + "</section><section id=\"s\">" +
                      labels + field("name=\"b\" kind=\"text\"") + "</section></card>\n"),
            withViews("<card id=\"c\" resource=\"r\">" + labels + "<section id=\"s\">" + labels + text + "</section><section id=\"t\">" +
                      labels + text + "</section></card>\n"),
            withViews(cardWith(text) + cardWith(text)),
            withBody("<dictionaries><dictionary id=\"by\">" + labels + "<item code=\"u\">" + labels +
                     "</item></dictionary></dictionaries>\n" + "<views><report id=\"r\" resource=\"r\">" + labels +
                     "<param name=\"y\" kind=\"year\">" + labels + "</param>" + "<param name=\"by\" kind=\"dropdown\" dictionary=\"by\">" +
                     labels + "</param>" + "<column field=\"a\" kind=\"decimal\">" + labels + "</column></report></views>\n"),
            withViews("<report id=\"r\" resource=\"r\">" + labels + "</report>\n"),
            withViews("<report id=\"r\" resource=\"r\">" + labels + "<param name=\"y\" kind=\"week\">" + labels +
                      "</param><column field=\"a\">" + labels + "</column></report>\n"),
            withViews("<report id=\"r\" resource=\"r\">" + labels + "<param name=\"y\" kind=\"dropdown\" dictionary=\"none\">" + labels +
                      "</param><column field=\"a\">" + labels + "</column></report>\n"),
            withViews("<report id=\"r\" resource=\"r\">" + labels + "<column field=\"a\">" + labels + "</column><column field=\"a\">" +
                      labels + "</column></report>\n"),
            withViews("<chart id=\"r\" resource=\"r\">" + labels + "</chart><report id=\"r\" resource=\"r\">" + labels +
                      "<column field=\"a\">" + labels + "</column></report>\n"),
            withViews("<chart id=\"r\" resource=\"r\">" + labels + "<param name=\"y\" kind=\"year\">" + labels +
                      "</param><series field=\"a\" kind=\"money\">" + labels + "</series><series field=\"b\">" + labels +
                      "</series></chart>\n"),
            withViews("<chart id=\"r\" resource=\"r\">" + labels + "<series field=\"a\" kind=\"euro\">" + labels + "</series></chart>\n"),
            withViews("<chart id=\"r\" resource=\"r\">" + labels + "<series field=\"a\">" + labels + "</series><series field=\"a\">" +
                      labels + "</series></chart>\n"),
        });
    for (const QByteArray& xml : documents)
        EXPECT_EQ(schemaAccepts(xml), parse(xml).ok()) << xml.toStdString();
}

TEST(ManifestViews, ReadsChartsAndReportsInvalidOnes) {
    const auto good = parse(withViews("<chart id=\"by-month\" resource=\"customers/stats/monthly\">" + labels + "</chart>\n" +
                                      "<chart id=\"share\" resource=\"customers/stats/share\" kind=\"pie\">" + labels + "</chart>\n"));
    ASSERT_TRUE(good.ok()) << good.errorText().toStdString();
    ASSERT_EQ(good.value->charts.size(), 2U);
    EXPECT_EQ(good.value->charts[0].kind, ChartKind::Bar);
    EXPECT_EQ(good.value->charts[1].kind, ChartKind::Pie);
    EXPECT_EQ(good.value->charts[1].resource, QStringLiteral("customers/stats/share"));
    const auto errors = errorsOf(withViews("<chart id=\"a\" resource=\"Bad\" kind=\"donut\">" + labels + "</chart>\n" +  // 7
                                           "<chart id=\"a\" resource=\"r\" colour=\"red\">" + labels + "<x/></chart>\n"));  // 8
    EXPECT_EQ(errors, (std::vector<std::string>{
                          "7: invalid resource=\"Bad\" on <chart>: expected an API path relative to the plugin's, of "
                          "lower-case letters, digits and '-' in segments joined by '/', like customers",
                          "7: invalid kind=\"donut\" on <chart>: expected bar, pie or line",
                          "8: duplicate view a (first on line 7)",
                          "8: unknown attribute colour on <chart>",
                          "8: unknown element <x> in <chart>"}));
}

// A chart takes parameters as a report does, and may draw several series of its items' fields.
TEST(ManifestViews, ReadsChartsParamsAndSeriesAndRefusesBadOnes) {
    const QByteArray dictionary =
        "<dictionaries><dictionary id=\"by\">" + labels + "<item code=\"class\">" + labels + "</item></dictionary></dictionaries>\n";
    const auto good =
        parse(withBody(dictionary + "<views><chart id=\"by-technician\" resource=\"charts/technicians\">" + labels +
                       "<param name=\"year\" kind=\"year\">" + labels + "</param>" +
                       "<param name=\"by\" kind=\"dropdown\" dictionary=\"by\">" + labels + "</param>" + "<series field=\"tickets\">" +
                       labels + "</series>" + "<series field=\"amount\" kind=\"money\">" + labels + "</series></chart></views>\n"));
    ASSERT_TRUE(good.ok()) << good.errorText().toStdString();
    const tessera::host::ChartDecl& c = good.value->charts.at(0);
    ASSERT_EQ(c.params.size(), 2U);
    EXPECT_EQ(c.params[0].name, QStringLiteral("year"));
    EXPECT_EQ(c.params[0].kind, tessera::host::ReportParamKind::Year);
    EXPECT_EQ(c.params[1].dictionary, QStringLiteral("by"));
    ASSERT_EQ(c.series.size(), 2U);
    EXPECT_EQ(c.series[0].field, QStringLiteral("tickets"));
    EXPECT_EQ(c.series[0].kind, tessera::host::ChartSeriesKind::Number);
    EXPECT_EQ(c.series[1].kind, tessera::host::ChartSeriesKind::Money);
    EXPECT_EQ(c.series[1].label.zhCN, QStringLiteral("标签"));

    const auto errors = errorsOf(withViews("<chart id=\"a\" resource=\"r\" kind=\"pie\">" + labels + "\n" +          // 7
                                           "<param name=\"unit\" kind=\"year\">" + labels + "</param>\n" +           // 8
                                           "<param name=\"by\" kind=\"dropdown\">" + labels + "</param>\n" +         // 9
                                           "<series field=\"label\">" + labels + "</series>\n" +                     // 10
                                           "<series field=\"n\" kind=\"percent\">" + labels + "</series>\n" +        // 11
                                           "<series field=\"n\">" + labels + "</series>\n" +                         // 12
                                           "<series field=\"m\" colour=\"red\">" + labels + "</series></chart>\n" +  // 13
                                           "<chart id=\"b\" resource=\"r\">" + labels + "<series field=\"x\">" + labels +
                                           "</series><param name=\"y\" kind=\"year\">" + labels + "</param></chart>\n"));  // 14
    EXPECT_EQ(errors,
              (std::vector<std::string>{"7: chart a is a pie, which draws one series: declare at most one <series>",
                                        "8: param unit in chart a: the host gives unit= itself; choose another name",
                                        "9: dropdown param by needs a dictionary attribute",
                                        "10: series label in chart a: an item's label names its category; choose another field",
                                        "11: invalid kind=\"percent\" on <series>: expected number or money",
                                        "12: duplicate series n in chart a (first on line 11)", "13: unknown attribute colour on <series>",
                                        "14: element <param> must come before <series> in <chart>"}));
}

TEST(ManifestViews, ReadsReportsTheirParamsAndColumnsAndRefusesWhatTheHostCannotServe) {
    const QByteArray dictionary =
        "<dictionaries><dictionary id=\"by\">" + labels + "<item code=\"unit\">" + labels + "</item></dictionary></dictionaries>\n";
    const QByteArray report = "<views><report id=\"summary\" resource=\"dues/summary\">" + labels + "<param name=\"year\" kind=\"year\">" +
                              labels +
                              "</param>"
                              "<param name=\"by\" kind=\"dropdown\" dictionary=\"by\">" +
                              labels +
                              "</param>"
                              "<column field=\"label\">" +
                              labels +
                              "</column>"
                              "<column field=\"paid\" kind=\"decimal\">" +
                              labels + "</column></report></views>\n";
    const QByteArray goodXml = withBody(dictionary + report);
    const auto good = parse(goodXml);
    ASSERT_TRUE(good.ok()) << good.errorText().toStdString();
    ASSERT_EQ(good.value->reports.size(), 1U);
    const tessera::host::ReportDecl& r = good.value->reports[0];
    EXPECT_EQ(r.resource, QStringLiteral("dues/summary"));
    ASSERT_EQ(r.params.size(), 2U);
    EXPECT_EQ(r.params[1].kind, tessera::host::ReportParamKind::Dropdown);
    EXPECT_EQ(r.params[1].dictionary, QStringLiteral("by"));
    ASSERT_EQ(r.columns.size(), 2U);
    EXPECT_EQ(r.columns[0].kind, tessera::host::ReportColumnKind::Text);
    EXPECT_EQ(r.columns[1].kind, tessera::host::ReportColumnKind::Decimal);

    const auto errors = errorsOf(withViews("<chart id=\"a\" resource=\"r\">" + labels + "</chart>\n" +                    // 7
                                           "<report id=\"a\" resource=\"r\">" + labels + "\n" +                           // 8
                                           "<param name=\"unit\" kind=\"year\">" + labels + "</param>\n" +                // 9
                                           "<param name=\"by\" kind=\"dropdown\">" + labels + "</param>\n" +              // 10
                                           "<param name=\"y\" kind=\"week\" dictionary=\"x\">" + labels + "</param>\n" +  // 11
                                           "<column field=\"label\" kind=\"money\">" + labels + "</column>\n" +           // 12
                                           "<column field=\"label\">" + labels + "</column></report>\n" +                 // 13
                                           "<report id=\"b\" resource=\"r\">" + labels + "</report>\n"));                 // 14
    EXPECT_EQ(errors,
              (std::vector<std::string>{"8: duplicate view a (first on line 7)",
                                        "9: param unit in report a: the host gives unit= itself; choose another name",
                                        "10: dropdown param by needs a dictionary attribute",
                                        "11: invalid kind=\"week\" on <param>: expected year, month, date or dropdown",
                                        "12: invalid kind=\"money\" on <column>: expected text, number or decimal",
                                        "13: duplicate column label in report a (first on line 12)", "14: missing <column> in <report>"}));
}

TEST(ManifestViews, DictionaryFilesNameTheirColumnsSoNationalTablesShipAsPublished) {
    TempDir dir;
    const QByteArray body = "<dictionaries>\n"
                            "<dictionary id=\"ethnicity\" file=\"data/gb3304.csv\" columns=\"code name roman\">" + labels + "</dictionary>\n"
                            "<dictionary id=\"education\" file=\"data/gb4658.csv\" columns=\"code name\">" + labels + "</dictionary>\n"
                            "</dictionaries>\n";
    const QString path = dir.write(QStringLiteral("p/manifest.xml"), withBody(body));
    dir.write(QStringLiteral("p/data/gb3304.csv"), "code,name,alpha,roman\n01,汉族,HA,Han\n02,蒙古族,MG,Mongol\n");
    dir.write(QStringLiteral("p/data/gb4658.csv"), "code,name,group\n10,研究生教育,研究生\n");
    const auto parsed = Manifest::load(path);
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    const auto& ethnicity = parsed.value->dictionary(QStringLiteral("ethnicity"))->items;
    ASSERT_EQ(ethnicity.size(), 2u);
    EXPECT_EQ(ethnicity[1].code, QStringLiteral("02"));
    EXPECT_EQ(ethnicity[1].label.zhCN, QStringLiteral("蒙古族"));
    EXPECT_EQ(ethnicity[1].label.en, QStringLiteral("Mongol"));
    const auto& education = parsed.value->dictionary(QStringLiteral("education"))->items;
    ASSERT_EQ(education.size(), 1u);
    EXPECT_EQ(education[0].label.en, QStringLiteral("研究生教育")) << "without an en column the zh-CN label serves";

    // A header without a named column, a short row, and bad columns attributes.
    dir.write(QStringLiteral("p/data/gb3304.csv"), "code,name,alpha\n01,汉族,HA\n");
    dir.write(QStringLiteral("p/data/gb4658.csv"), "code,name,group\n10,研究生教育\n");
    const auto broken = Manifest::load(path);
    ASSERT_FALSE(broken.ok());
    QStringList messages;
    for (const FileError& e : broken.errors) messages << QStringLiteral("%1:%2: %3").arg(QFileInfo(e.file).fileName()).arg(e.line).arg(e.message);
    EXPECT_EQ(messages, (QStringList{
                            QStringLiteral("gb3304.csv:1: expected a header line with the columns code, name, roman (columns=\"code name roman\" of dictionary ethnicity)"),
                            QStringLiteral("gb4658.csv:2: expected 3 fields as in the header line, found 2")}));
    EXPECT_EQ(errorsOf(withBody("<dictionaries>\n<dictionary id=\"a\" columns=\"code name\">" + labels +
                                "<item code=\"1\">" + labels + "</item></dictionary>\n"
                                "<dictionary id=\"b\" file=\"b.csv\" columns=\"code\">" + labels + "</dictionary>\n"
                                "<dictionary id=\"c\" file=\"c.csv\" columns=\"code code\">" + labels + "</dictionary>\n</dictionaries>\n")),
              (std::vector<std::string>{
                  "6: columns=\"code name\" on <dictionary> needs a file",
                  "7: invalid columns=\"code\" on <dictionary>: expected two or three different column names: code, zh-CN label and optionally en label",
                  "8: invalid columns=\"code code\" on <dictionary>: expected two or three different column names: code, zh-CN label and optionally en label"}));
}

// A workflow: its state field becomes the engine's, its steps name states, permissions,
// units and fields of the card; the schema and the parser agree on the fixture that uses one.
TEST(ManifestRecords, AWorkflowAndItsDocumentsNameOnlyWhatTheCardAndManifestDeclare) {
    const QString fixture = QStringLiteral(TESSERA_SOURCE_DIR "/tests/fixtures/workflow/manifest.xml");
    const auto parsed = Manifest::load(fixture);
    ASSERT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    const CardDecl* card = parsed.value->card(QStringLiteral("handover"));
    ASSERT_TRUE(card);
    EXPECT_EQ(card->units, (QStringList{QStringLiteral("unitId"), QStringLiteral("toUnitId")}));
    EXPECT_TRUE(card->field(QStringLiteral("state"))->readOnly) << "only steps set the state";
    EXPECT_FALSE(card->field(QStringLiteral("state"))->imported);
    ASSERT_EQ(card->workflow.steps.size(), 4u);
    const StepDecl* accept = card->workflow.step(QStringLiteral("accept"));
    ASSERT_TRUE(accept);
    EXPECT_EQ(accept->unitField, QStringLiteral("toUnitId"));
    EXPECT_EQ(accept->mustFill, (QStringList{QStringLiteral("acceptedOn"), QStringLiteral("receiptNo")}));
    EXPECT_EQ(card->workflow.step(QStringLiteral("withdraw"))->unitField, QStringLiteral("unitId")) << "default: the record's own unit";
    EXPECT_FALSE(card->workflow.step(QStringLiteral("withdraw"))->todo);
    ASSERT_EQ(card->documents.size(), 1u);
    EXPECT_EQ(card->documents[0].permission, QStringLiteral("fx.workflow.send")) << "default: the card's write permission";
    EXPECT_TRUE(card->documents[0].templateText.contains(QStringLiteral("{{document.number}}")));
    const QString xmllint = QStandardPaths::findExecutable(QStringLiteral("xmllint"));
    if (!xmllint.isEmpty()) {
        QProcess p;
        p.start(xmllint, {QStringLiteral("--noout"), QStringLiteral("--schema"), QStringLiteral(TESSERA_SOURCE_DIR "/configs/manifest.xsd"), fixture});
        p.waitForFinished();
        EXPECT_EQ(p.exitCode(), 0) << p.readAllStandardError().toStdString();
    }

    QFile file(fixture);
    ASSERT_TRUE(file.open(QIODevice::ReadOnly));
    const QByteArray good = file.readAll();
    auto errors = [&](const QByteArray& from, const QByteArray& to) {
        QByteArray xml = good;
        EXPECT_TRUE(xml.contains(from)) << from.toStdString();
        xml.replace(from, to);
        std::string all;
        for (const auto& e : errorsOf(xml)) all += e + "\n";
        return all;
    };
    const std::vector<std::tuple<QByteArray, QByteArray, const char*>> cases = {
        {R"(<workflow field="state" start="pending">)", R"(<workflow field="subject" start="pending">)",
         "<workflow field=\"subject\"> in card handover: expected a dropdown field of the card"},
        {R"(start="pending">)", R"(start="lost">)", "start=\"lost\" in the workflow of card handover: not a state"},
        {R"(from="pending" to="accepted")", R"(from="pending sent" to="done")",
         "from=\"sent\" in the workflow of card handover: not a state"},
        {R"(permission="fx.workflow.receive" unit="toUnitId"
              fields="acceptedOn)",
         R"(permission="fx.workflow.fly" unit="subject"
              fields="acceptedOn)",
         "permission=\"fx.workflow.fly\" on step accept of card handover: the manifest declares no such permission"},
        {R"(permission="fx.workflow.receive" unit="toUnitId"
              fields="acceptedOn)",
         R"(permission="fx.workflow.receive" unit="subject"
              fields="acceptedOn)",
         "unit=\"subject\" on step accept of card handover: expected one of the units the record belongs to (unitId toUnitId)"},
        {R"(fields="acceptedOn receiptNo")", R"(fields="acceptedOn state")",
         "fields=\"acceptedOn state\" on step accept of card handover: state is not a field a step can set"},
        {R"(date="acceptedOn")", R"(date="receiptNo")",
         "date=\"receiptNo\" on step accept of card handover: expected a date field of its fields"},
        {R"(comment="none")", R"(comment="maybe")",
         "comment=\"maybe\" on step give-back of card handover: expected optional, required or none"},
        {R"(<step id="resend")", R"(<step id="updated")",
         "step updated of card handover: updated is the name of an event every record has"},
        {R"(units="unitId toUnitId")", R"(units="toUnitId unitId")",
         "the first is the record's own unit, the field kept in unit_id (unitId)"},
        {R"(units="unitId toUnitId")", "", "field toUnitId of card handover: a second unit field is one of the units a record belongs to"},
        {R"(reach="tree")", R"(reach="world")", "reach=\"world\" on field toUnitId: expected scope"},
        {R"(number="交字{year}第{seq:3}号")", R"(number="{year}")", "a number needs {seq} once, the sequence that never repeats"},
        {R"(number="交字{year}第{seq:3}号")", R"(number="{month}{seq}")",
         "{month} is not one of {seq}, {seq:N} (N from 1 to 9 digits), {year}, {unitCode}"},
        {R"(template="documents/slip.html")", R"(template="../slip.html")",
         "invalid template=\"../slip.html\" on document slip of card handover"},
        {R"(<document id="slip" )", R"(<document id="slip" permission="fx.workflow.print" )",
         "permission=\"fx.workflow.print\" on document slip of card handover: the manifest declares no such permission"},
        {R"(<document id="slip" )", R"(<document id="slip" requires="subject colour" )",
         "requires=\"subject colour\" on document slip of card handover: colour is not a field of the card with a value to require"},
    };
    for (const auto& [from, to, expected] : cases) {
        const std::string all = errors(from, to);
        EXPECT_NE(all.find(expected), std::string::npos) << expected << "\nin:\n" << all;
    }
    // A template is read with the manifest: one that is missing, or names what the card lacks, stops the plugin.
    TempDir dir;
    const QString copied = dir.write(QStringLiteral("manifest.xml"), good);
    const auto missing = Manifest::load(copied);
    ASSERT_FALSE(missing.ok());
    EXPECT_TRUE(missing.errorText().contains(QStringLiteral("template=\"documents/slip.html\" on document slip of card handover"))) << missing.errorText().toStdString();
    dir.write(QStringLiteral("documents/slip.html"), "<p>{{subject}} {{document.number}} {{toUnitId.path}} {{colour|date}}</p>");
    const auto unknown = Manifest::load(copied);
    ASSERT_FALSE(unknown.ok());
    EXPECT_TRUE(unknown.errorText().contains(QStringLiteral("{{colour|date}} names no field of the card"))) << unknown.errorText().toStdString();
    EXPECT_FALSE(unknown.errorText().contains(QStringLiteral("{{subject}}")));
    // Filters are the date's and the QR code's.
    dir.write(QStringLiteral("documents/slip.html"), "<p>{{subject|qr}} {{document.link|qr}} {{subject|upper}}</p>");
    const auto filtered = Manifest::load(copied);
    ASSERT_FALSE(filtered.ok());
    EXPECT_TRUE(
        filtered.errorText().contains(QStringLiteral("{{subject|upper}} has no filter 'upper'; expected one of date, month, year, qr")))
        << filtered.errorText().toStdString();
    EXPECT_FALSE(filtered.errorText().contains(QStringLiteral("|qr}}"))) << filtered.errorText().toStdString();
}

// A card the host serves is a schema: everything it says must hold, or the manifest is
// refused with each problem on its line.
TEST(ManifestRecords, RefusesAServedCardThatIsNoSchema) {
    const QByteArray permissions = "<permissions><permission id=\"biz.customers.read\">" + labels +
                                   "</permission></permissions>\n";
    const auto f = [](const QByteArray& attributes) { return "<field " + attributes + ">" + labels + "</field>"; };
    auto messages = [&](const QByteArray& card) {
        std::string all;
        for (const auto& e : errorsOf(withBody(permissions + "<views>" + card + "</views>\n"))) all += e + "\n";
        return all;
    };
    const std::string noUnit = messages("<card id=\"c\" resource=\"cs\" table=\"biz_c\" read=\"biz.customers.read\" write=\"biz.customers.nope\" "
                                        "title=\"n\" import-key=\"t\">" + labels + "<section id=\"s\">" + labels +
                                        f("name=\"n\" kind=\"integer\"") + f("name=\"t\" kind=\"text\" column=\"version\"") +
                                        f("name=\"r\" kind=\"reference\" card=\"party.daily/member\"") +
                                        f("name=\"p\" kind=\"text\" pattern=\"([a-z\"") + f("name=\"unitName\" kind=\"text\"") + "</section></card>");
    for (const char* expected : {"write=\"biz.customers.nope\" on card c: the manifest declares no such permission",
                                 "title=\"n\" on card c: expected a text field of the card",
                                 "import-key=\"t\" on card c: expected an imported field of the card with unique=\"true\"",
                                 "field t of card c: invalid column \"version\"",
                                 "field r refers to card party.daily/member, but plugin party.daily is not a required dependency",
                                 "is not a regular expression",
                                 "field unitName of card c: unitName is a name the record engine gives the record itself",
                                 "card c has 0 field(s) of kind unit kept in unit_id; a card the host serves has exactly one"})
        EXPECT_NE(noUnit.find(expected), std::string::npos) << expected << "\nin:\n" << noUnit;
    const std::string twoUnits = messages("<card id=\"c\" resource=\"cs\" table=\"core_c\">" + labels + "<section id=\"s\">" + labels +
                                          f("name=\"u\" kind=\"unit\"") + f("name=\"unitId\" kind=\"unit\"") + "</section></card>");
    for (const char* expected : {"invalid table=\"core_c\"", "missing attribute read", "missing attribute write",
                                 "field u of card c: a second unit field is one of the units a record belongs to; list it in units="})
        EXPECT_NE(twoUnits.find(expected), std::string::npos) << expected << "\nin:\n" << twoUnits;
    const std::string unserved = messages("<card id=\"c\" resource=\"cs\" read=\"biz.customers.read\">" + labels + "<section id=\"s\">" +
                                          labels + f("name=\"n\" kind=\"text\"") + "</section></card>");
    EXPECT_NE(unserved.find("read on card c without a table: only a card the host serves has it"), std::string::npos) << unserved;
    // indexes="...": fields of the card with a column of their own.
    const std::string badIndex = messages(
        "<card id=\"c\" resource=\"cs\" table=\"biz_c\" read=\"biz.customers.read\" write=\"biz.customers.read\" "
        "indexes=\"n d; nope\">" +
        labels + "<section id=\"s\">" + labels + f("name=\"n\" kind=\"text\"") + f("name=\"d\" kind=\"date\"") +
        f("name=\"unitId\" kind=\"unit\"") + "</section></card>");
    EXPECT_NE(badIndex.find("indexes=\"...\" on card c: nope is not a field of the card kept in a column of its own"), std::string::npos)
        << badIndex;
    EXPECT_EQ(badIndex.find("n is not a field"), std::string::npos) << badIndex;
    // A card that is a unit: its unit field is the parent, which the tree keeps; its unit is
    // named by text fields of the card.
    const std::string badUnit = messages("<card id=\"c\" resource=\"cs\" table=\"biz_c\" read=\"biz.customers.read\" write=\"biz.customers.read\" "
                                         "is-unit=\"true\" unit-name=\"n x\" unit-code=\"k\">" + labels + "<section id=\"s\">" + labels +
                                         f("name=\"n\" kind=\"integer\"") + f("name=\"k\" kind=\"date\"") +
                                         f("name=\"unitId\" kind=\"unit\" filter=\"true\"") + "</section></card>");
    for (const char* expected : {"unit-name=\"n x\" on card c: n is not a text field of the card", "unit-name=\"n x\" on card c: x is not a text field",
                                 "unit-code=\"k\" on card c: expected a text field of the card",
                                 "field unitId of card c: on a card that is a unit, the unit field is the unit's parent"})
        EXPECT_NE(badUnit.find(expected), std::string::npos) << expected << "\nin:\n" << badUnit;
    const std::string unnamed = messages("<card id=\"c\" resource=\"cs\" table=\"biz_c\" read=\"biz.customers.read\" write=\"biz.customers.read\" "
                                         "is-unit=\"yes\" unit-code=\"n\">" + labels + "<section id=\"s\">" + labels +
                                         f("name=\"n\" kind=\"text\"") + f("name=\"parentId\" kind=\"unit\"") + "</section></card>");
    for (const char* expected : {"is-unit=\"yes\" on card c: expected true or false", "unit-name and unit-code on card c: only a card with is-unit"})
        EXPECT_NE(unnamed.find(expected), std::string::npos) << expected << "\nin:\n" << unnamed;
    const auto good = parse(withBody(permissions + "<views><card id=\"c\" resource=\"cs\" table=\"biz_c\" read=\"biz.customers.read\" "
                                                   "write=\"biz.customers.read\" is-unit=\"true\" unit-name=\"short n\" unit-code=\"k\">" + labels +
                                     "<section id=\"s\">" + labels + f("name=\"n\" kind=\"text\"") + f("name=\"short\" kind=\"text\"") +
                                     f("name=\"k\" kind=\"text\"") + f("name=\"parentId\" kind=\"unit\"") + "</section></card></views>\n"));
    ASSERT_TRUE(good.ok()) << (good.errors.empty() ? std::string() : good.errors.front().message.toStdString());
    const tessera::host::CardDecl& unitCard = good.value->cards.front();
    EXPECT_TRUE(unitCard.isUnit);
    EXPECT_EQ(unitCard.unitNameFields, (QStringList{QStringLiteral("short"), QStringLiteral("n")}));
    EXPECT_EQ(unitCard.unitCodeField, QStringLiteral("k"));
}

// <through> on a reference field reaches targets through another card's records; fill-from
// fills a new column from another field. Both name only what the card declares.
TEST(ManifestRecords, ThroughAndFillFromNameWhatTheCardDeclares) {
    const QByteArray permissions = "<permissions><permission id=\"biz.customers.read\">" + labels + "</permission></permissions>\n";
    const auto card = [&](const QByteArray& fields) {
        return withBody(permissions +
                        "<views><card id=\"c\" resource=\"cs\" table=\"biz_c\" read=\"biz.customers.read\" "
                        "write=\"biz.customers.read\" units=\"unitId otherUnitId\">" +
                        labels + "<section id=\"s\">" + labels + "<field name=\"n\" kind=\"text\">" + labels +
                        "</field><field name=\"unitId\" kind=\"unit\">" + labels +
                        "</field><field name=\"otherUnitId\" kind=\"unit\" reach=\"tree\" fill-from=\"unitId\">" + labels + "</field>" +
                        fields + "</section></card></views>\n");
    };
    const auto good =
        parse(card("<field name=\"r\" kind=\"reference\" card=\"biz.customers/c\">" + labels +
                   "<through card=\"biz.customers/c\" field=\"r\" unit=\"otherUnitId\" when=\"n=x\" sets=\"unitId\"/></field>"));
    ASSERT_TRUE(good.ok()) << (good.errors.empty() ? std::string() : good.errors.front().message.toStdString());
    const auto* r = good.value->cards.front().field(QStringLiteral("r"));
    ASSERT_TRUE(r && r->through);
    EXPECT_EQ(r->through->unit, QStringLiteral("otherUnitId"));
    EXPECT_EQ(r->through->whenField, QStringLiteral("n"));
    EXPECT_EQ(r->through->whenCode, QStringLiteral("x"));
    EXPECT_EQ(good.value->cards.front().field(QStringLiteral("otherUnitId"))->fillFrom, QStringLiteral("unitId"));
    std::string all;
    for (const auto& e :
         errorsOf(card("<field name=\"t\" kind=\"text\" fill-from=\"r\">" + labels +
                       "<through card=\"biz.customers/c\" field=\"r\" unit=\"u\" sets=\"n\"/></field>"
                       "<field name=\"r\" kind=\"reference\" card=\"party.daily/member\">" +
                       labels + "<through card=\"party.flow/flow\" field=\"m\" unit=\"u\" when=\"state\" sets=\"n\"/></field>")))
        all += e + "\n";
    for (const char* expected : {"<through> in field t: only a reference field reaches records through another card",
                                 "<through card=\"party.flow/flow\"> in field r: plugin party.flow is not a dependency of this one",
                                 "when=\"state\" on <through> in field r: expected field=code",
                                 "<through sets=\"n\"> in field r of card c: expected a unit field of the card's units",
                                 "fill-from=\"r\" on field t of card c: expected another field of the card of the same kind (text)"})
        EXPECT_NE(all.find(expected), std::string::npos) << expected << "\nin:\n" << all;
}

// reach="above" on a reference field: its targets may also be records of the record's unit and
// the units above it (a head office's catalogue); a reference has no other reach but the
// default, and a text field none.
TEST(ManifestRecords, AReferenceReachesAboveTheRecordsUnitOnlyWhenItSaysSo) {
    const QByteArray permissions = "<permissions><permission id=\"biz.customers.read\">" + labels + "</permission></permissions>\n";
    const auto card = [&](const QByteArray& fields) {
        return withBody(permissions +
                        "<views><card id=\"c\" resource=\"cs\" table=\"biz_c\" read=\"biz.customers.read\" "
                        "write=\"biz.customers.read\">" +
                        labels + "<section id=\"s\">" + labels + "<field name=\"n\" kind=\"text\">" + labels +
                        "</field><field name=\"unitId\" kind=\"unit\">" + labels + "</field>" + fields + "</section></card></views>\n");
    };
    const auto good =
        parse(card("<field name=\"r\" kind=\"reference\" card=\"biz.customers/c\" reach=\"above\">" + labels +
                   "</field><field name=\"s\" kind=\"reference\" card=\"biz.customers/c\" reach=\"scope\">" + labels + "</field>"));
    ASSERT_TRUE(good.ok()) << (good.errors.empty() ? std::string() : good.errors.front().message.toStdString());
    EXPECT_TRUE(good.value->cards.front().field(QStringLiteral("r"))->reachAbove);
    EXPECT_FALSE(good.value->cards.front().field(QStringLiteral("s"))->reachAbove);
    std::string all;
    for (const auto& e : errorsOf(card("<field name=\"r\" kind=\"reference\" card=\"biz.customers/c\" reach=\"tree\">" + labels +
                                       "</field><field name=\"t\" kind=\"text\" reach=\"above\">" + labels + "</field>")))
        all += e + "\n";
    for (const char* expected : {"reach=\"tree\" on field r: expected scope (records the writer may read, the default) or above",
                                 "reach on field t: only unit and reference fields have a reach"})
        EXPECT_NE(all.find(expected), std::string::npos) << expected << "\nin:\n" << all;
}

// kind="user": a user holding a permission the manifest declares; permission= on no other kind.
TEST(ManifestRecords, AUserFieldNamesAPermissionOfTheManifest) {
    const QByteArray permissions = "<permissions><permission id=\"biz.customers.read\">" + labels + "</permission></permissions>\n";
    const auto card = [&](const QByteArray& fields) {
        return withBody(permissions +
                        "<views><card id=\"c\" resource=\"cs\" table=\"biz_c\" read=\"biz.customers.read\" "
                        "write=\"biz.customers.read\">" +
                        labels + "<section id=\"s\">" + labels + "<field name=\"unitId\" kind=\"unit\">" + labels + "</field>" + fields +
                        "</section></card></views>\n");
    };
    const auto good =
        parse(card("<field name=\"who\" kind=\"user\" permission=\"biz.customers.read\" filter=\"true\">" + labels + "</field>"));
    ASSERT_TRUE(good.ok()) << (good.errors.empty() ? std::string() : good.errors.front().message.toStdString());
    EXPECT_EQ(good.value->cards.front().field(QStringLiteral("who"))->permission, QStringLiteral("biz.customers.read"));
    std::string all;
    for (const auto& e : errorsOf(card("<field name=\"a\" kind=\"user\">" + labels + "</field>" +
                                       "<field name=\"b\" kind=\"user\" permission=\"biz.nope\">" + labels + "</field>" +
                                       "<field name=\"c\" kind=\"text\" permission=\"biz.customers.read\">" + labels + "</field>")))
        all += e + "\n";
    for (const char* expected :
         {"missing attribute permission", "permission=\"biz.nope\" on field b: the manifest declares no such permission",
          "permission on field c: only user fields name the permission their user holds"})
        EXPECT_NE(all.find(expected), std::string::npos) << expected << "\nin:\n" << all;
}

// default="me" on a user field: whoever creates the record; no other default, on no other kind.
TEST(ManifestRecords, AUserFieldDefaultsOnlyToItsCreator) {
    const QByteArray permissions = "<permissions><permission id=\"biz.customers.read\">" + labels + "</permission></permissions>\n";
    const auto card = [&](const QByteArray& fields) {
        return withBody(permissions +
                        "<views><card id=\"c\" resource=\"cs\" table=\"biz_c\" read=\"biz.customers.read\" "
                        "write=\"biz.customers.read\">" +
                        labels + "<section id=\"s\">" + labels + "<field name=\"unitId\" kind=\"unit\">" + labels + "</field>" + fields +
                        "</section></card></views>\n");
    };
    const auto good =
        parse(card("<field name=\"who\" kind=\"user\" permission=\"biz.customers.read\" default=\"me\">" + labels + "</field>"));
    ASSERT_TRUE(good.ok()) << (good.errors.empty() ? std::string() : good.errors.front().message.toStdString());
    EXPECT_TRUE(good.value->cards.front().field(QStringLiteral("who"))->defaultMe);
    std::string all;
    for (const auto& e : errorsOf(card("<field name=\"a\" kind=\"user\" permission=\"biz.customers.read\" default=\"admin\">" + labels +
                                       "</field><field name=\"b\" kind=\"text\" default=\"me\">" + labels + "</field>")))
        all += e + "\n";
    for (const char* expected :
         {"default=\"admin\" on field a: a user field's default can only be \"me\"", "default on field b: only a user field has a default"})
        EXPECT_NE(all.find(expected), std::string::npos) << expected << "\nin:\n" << all;
}

// multiple="true": a user field naming several users; not on other kinds, not sorted, unique
// or defaulted, never indexed, and never a step's by=.
TEST(ManifestRecords, AUserFieldMayNameSeveralUsers) {
    const QByteArray permissions = "<permissions><permission id=\"biz.customers.read\">" + labels + "</permission></permissions>\n";
    const QByteArray states =
        "<dictionaries><dictionary id=\"st\">" + labels + "<item code=\"a\">" + labels + "</item></dictionary></dictionaries>\n";
    const auto card = [&](const QByteArray& fields, const QByteArray& workflow = {}) {
        return withBody(permissions + states +
                        "<views><card id=\"c\" resource=\"cs\" table=\"biz_c\" read=\"biz.customers.read\" "
                        "write=\"biz.customers.read\">" +
                        labels + "<section id=\"s\">" + labels + "<field name=\"unitId\" kind=\"unit\">" + labels + "</field>" +
                        "<field name=\"state\" kind=\"dropdown\" dictionary=\"st\">" + labels + "</field>" + fields + "</section>" +
                        workflow + "</card></views>\n");
    };
    const auto good = parse(card("<field name=\"crew\" kind=\"user\" permission=\"biz.customers.read\" multiple=\"true\" filter=\"true\">" +
                                 labels + "</field>"));
    ASSERT_TRUE(good.ok()) << (good.errors.empty() ? std::string() : good.errors.front().message.toStdString());
    const FieldDecl* crew = good.value->cards.front().field(QStringLiteral("crew"));
    EXPECT_TRUE(crew->multiple);
    EXPECT_FALSE(crew->indexed) << "matched by containment";
    std::string all;
    for (const auto& e : errorsOf(card(
             "<field name=\"a\" kind=\"text\" multiple=\"true\">" + labels +
                 "</field><field name=\"b\" kind=\"user\" permission=\"biz.customers.read\" multiple=\"true\" sort=\"true\">" + labels +
                 "</field><field name=\"d\" kind=\"user\" permission=\"biz.customers.read\" multiple=\"true\">" + labels + "</field>",
             "<workflow field=\"state\" start=\"a\"><step id=\"go\" from=\"a\" to=\"a\" by=\"d\" "
             "permission=\"biz.customers.read\">" +
                 labels + "</step></workflow>")))
        all += e + "\n";
    for (const char* expected : {"multiple on field a: only a user field names several users",
                                 "multiple on field b: a field of several users is not sorted, unique or defaulted",
                                 "by=\"d\" on step go of card c: expected a user field of the card naming one user"})
        EXPECT_NE(all.find(expected), std::string::npos) << expected << "\nin:\n" << all;
}

// counted="true": counts kept of a field with one value per record, never of text or of
// several users.
TEST(ManifestRecords, CountsAreKeptOfFieldsWithOneValuePerRecord) {
    const QByteArray permissions = "<permissions><permission id=\"biz.customers.read\">" + labels + "</permission></permissions>\n";
    const QByteArray states =
        "<dictionaries><dictionary id=\"st\">" + labels + "<item code=\"a\">" + labels + "</item></dictionary></dictionaries>\n";
    const auto card = [&](const QByteArray& fields) {
        return withBody(permissions + states +
                        "<views><card id=\"c\" resource=\"cs\" table=\"biz_c\" read=\"biz.customers.read\" "
                        "write=\"biz.customers.read\">" +
                        labels + "<section id=\"s\">" + labels + "<field name=\"unitId\" kind=\"unit\" counted=\"true\">" + labels +
                        "</field>" + "<field name=\"state\" kind=\"dropdown\" dictionary=\"st\" counted=\"true\">" + labels + "</field>" +
                        fields + "</section></card></views>\n");
    };
    const auto good = parse(card("<field name=\"born\" kind=\"date\" counted=\"true\">" + labels + "</field>"));
    ASSERT_TRUE(good.ok()) << (good.errors.empty() ? std::string() : good.errors.front().message.toStdString());
    EXPECT_TRUE(good.value->cards.front().field(QStringLiteral("state"))->counted);
    EXPECT_TRUE(good.value->cards.front().field(QStringLiteral("born"))->counted);
    EXPECT_FALSE(good.value->cards.front().field(QStringLiteral("born"))->filter) << "counted is no filter";
    std::string all;
    for (const auto& e : errorsOf(card("<field name=\"a\" kind=\"text\" counted=\"true\">" + labels +
                                       "</field><field name=\"b\" kind=\"user\" permission=\"biz.customers.read\" multiple=\"true\" "
                                       "counted=\"true\">" +
                                       labels + "</field><field name=\"c\" kind=\"number\" counted=\"yes\">" + labels + "</field>")))
        all += e + "\n";
    for (const char* expected : {"counted on field a: counts are kept of fields with few values, one per record (a drop-down, checkbox, "
                                 "date, date-time, integer, decimal, unit, reference or user), not of text",
                                 "counted on field b: counts are kept of fields with few values, one per record (a drop-down, checkbox, "
                                 "date, date-time, integer, decimal, unit, reference or user), not of several users",
                                 "counted"})
        EXPECT_NE(all.find(expected), std::string::npos) << expected << "\nin:\n" << all;
    EXPECT_EQ(std::count(all.begin(), all.end(), '\n'), 3) << all;
}

// A step without to= keeps the record's state, and is in no to-do list unless it says so.
TEST(ManifestRecords, AStepMayKeepTheRecordsState) {
    const QByteArray body =
        "<permissions><permission id=\"biz.customers.read\">" + labels + "</permission></permissions>\n" +
        "<dictionaries><dictionary id=\"st\">" + labels + "<item code=\"a\">" + labels + "</item></dictionary></dictionaries>\n" +
        "<views><card id=\"c\" resource=\"cs\" table=\"biz_c\" read=\"biz.customers.read\" write=\"biz.customers.read\">" + labels +
        "<section id=\"s\">" + labels + "<field name=\"unitId\" kind=\"unit\">" + labels + "</field>" +
        "<field name=\"state\" kind=\"dropdown\" dictionary=\"st\">" + labels + "</field></section>" +
        "<workflow field=\"state\" start=\"a\"><step id=\"note\" from=\"a\" permission=\"biz.customers.read\">" + labels +
        "</step><step id=\"remind\" from=\"a\" permission=\"biz.customers.read\" todo=\"true\">" + labels +
        "</step></workflow></card></views>\n";
    const auto parsed = parse(withBody(body));
    ASSERT_TRUE(parsed.ok()) << (parsed.errors.empty() ? std::string() : parsed.errors.front().message.toStdString());
    const WorkflowDecl& w = parsed.value->cards.front().workflow;
    ASSERT_EQ(w.steps.size(), 2u);
    EXPECT_TRUE(w.steps[0].to.isEmpty());
    EXPECT_FALSE(w.steps[0].todo);
    EXPECT_TRUE(w.steps[1].todo);
}

// start="a b": a new record starts in the first state, or another of them its plugin picks.
TEST(ManifestRecords, AWorkflowMayStartInOneOfSeveralStates) {
    const QByteArray body = "<permissions><permission id=\"biz.customers.read\">" + labels + "</permission></permissions>\n" +
                            "<dictionaries><dictionary id=\"st\">" + labels + "<item code=\"open\">" + labels +
                            "</item><item code=\"up\">" + labels + "</item><item code=\"done\">" + labels +
                            "</item></dictionary></dictionaries>\n";
    const auto card = [&](const QByteArray& start) {
        return withBody(body +
                        "<views><card id=\"c\" resource=\"cs\" table=\"biz_c\" read=\"biz.customers.read\" "
                        "write=\"biz.customers.read\">" +
                        labels + "<section id=\"s\">" + labels + "<field name=\"unitId\" kind=\"unit\">" + labels +
                        "</field><field name=\"state\" kind=\"dropdown\" dictionary=\"st\">" + labels +
                        "</field></section><workflow field=\"state\" start=\"" + start +
                        "\"><step id=\"end\" from=\"open up\" to=\"done\" permission=\"biz.customers.read\">" + labels +
                        "</step></workflow></card></views>\n");
    };
    const auto good = parse(card("open up"));
    ASSERT_TRUE(good.ok()) << (good.errors.empty() ? std::string() : good.errors.front().message.toStdString());
    EXPECT_EQ(good.value->cards.front().workflow.start, QStringLiteral("open"));
    EXPECT_EQ(good.value->cards.front().workflow.starts, (QStringList{QStringLiteral("open"), QStringLiteral("up")}));
    std::string all;
    for (const auto& e : errorsOf(card("open later"))) all += e + "\n";
    EXPECT_NE(all.find("start=\"later\" in the workflow of card c: not a state"), std::string::npos) << all;
}

// number="...": a served card's text field with {seq} once and known placeholders.
TEST(ManifestRecords, ANumberedFieldIsATextFieldWithOneSequence) {
    const QByteArray permissions = "<permissions><permission id=\"biz.customers.read\">" + labels + "</permission></permissions>\n";
    const auto card = [&](const QByteArray& fields) {
        return withBody(permissions +
                        "<views><card id=\"c\" resource=\"cs\" table=\"biz_c\" read=\"biz.customers.read\" "
                        "write=\"biz.customers.read\">" +
                        labels + "<section id=\"s\">" + labels + "<field name=\"n\" kind=\"text\">" + labels +
                        "</field><field name=\"on\" kind=\"date\">" + labels + "</field><field name=\"unitId\" kind=\"unit\">" + labels +
                        "</field>" + fields + "</section></card></views>\n");
    };
    const auto good =
        parse(card("<field name=\"no\" kind=\"text\" number=\"BX{year}{month}-{seq:4}\" number-date=\"on\">" + labels + "</field>"));
    ASSERT_TRUE(good.ok()) << (good.errors.empty() ? std::string() : good.errors.front().message.toStdString());
    const auto* no = good.value->cards.front().field(QStringLiteral("no"));
    EXPECT_TRUE(no->readOnly && no->unique && !no->imported);
    EXPECT_EQ(tessera::host::numberText(no->number, QDate(2026, 3, 5), 7), QStringLiteral("BX202603-0007"));
    EXPECT_EQ(tessera::host::numberPeriod(no->number, QDate(2026, 3, 5)), QStringLiteral("202603"));
    EXPECT_EQ(tessera::host::numberPeriod(QStringLiteral("{date}{seq}"), QDate(2026, 3, 5)), QStringLiteral("20260305"));
    EXPECT_EQ(tessera::host::numberPeriod(QStringLiteral("N{seq:6}"), QDate(2026, 3, 5)), QString());
    std::string all;
    for (const auto& e : errorsOf(card("<field name=\"a\" kind=\"integer\" number=\"{seq}\">" + labels +
                                       "</field>"
                                       "<field name=\"b\" kind=\"text\" number=\"B{year}\">" +
                                       labels +
                                       "</field>"
                                       "<field name=\"c\" kind=\"text\" number=\"{day}{seq}{week}\" number-date=\"n\">" +
                                       labels +
                                       "</field>"
                                       "<field name=\"d\" kind=\"text\" number-date=\"on\">" +
                                       labels + "</field>")))
        all += e + "\n";
    for (const char* expected :
         {"number on field a: only a card's text fields are numbered", "number=\"B{year}\" on field b: a number needs {seq} once",
          "{week} is not one of {seq}, {seq:N} (N from 1 to 9 digits), {year}, {month}, {day}, {date}, {unitCode}",
          "{day} needs {year} and {month} beside it (or write {date})",
          "number-date=\"n\" on field c of card c: expected a date field of the card", "number-date on field d: only a numbered field"})
        EXPECT_NE(all.find(expected), std::string::npos) << expected << "\nin:\n" << all;
}

TEST(ManifestRecords, AnAttachmentsFieldSaysWhatFilesItTakesAndHasNoColumn) {
    const QByteArray permissions = "<permissions><permission id=\"biz.customers.read\">" + labels + "</permission></permissions>\n";
    const auto f = [](const QByteArray& attributes) { return "<field " + attributes + ">" + labels + "</field>"; };
    const auto card = [&](const QByteArray& fields, const QByteArray& table = " table=\"biz_c\" read=\"biz.customers.read\" write=\"biz.customers.read\"") {
        return withBody(permissions + "<views><card id=\"c\" resource=\"cs\"" + table + ">" + labels + "<section id=\"s\">" + labels +
                        f("name=\"n\" kind=\"text\"") + f("name=\"unitId\" kind=\"unit\"") + fields + "</section></card></views>\n");
    };
    const auto good = parse(card(f("name=\"photos\" kind=\"attachments\" accept=\"image video\" max-count=\"9\" max-size=\"200MB\"") +
                                 f("name=\"papers\" kind=\"attachments\"")));
    ASSERT_TRUE(good.ok()) << (good.errors.empty() ? std::string() : good.errors.front().message.toStdString());
    const tessera::host::CardDecl& c = good.value->cards.front();
    ASSERT_EQ(c.attachmentFields().size(), 2u);
    const auto* photos = c.attachmentField(QStringLiteral("photos"));
    ASSERT_NE(photos, nullptr);
    EXPECT_EQ(photos->accept, (QStringList{QStringLiteral("image"), QStringLiteral("video")}));
    EXPECT_EQ(photos->maxCount, 9);
    EXPECT_EQ(photos->maxSize, qint64{200} << 20);
    // The defaults: every kind, 20 files of at most 50 MB.
    const auto* papers = c.attachmentField(QStringLiteral("papers"));
    EXPECT_EQ(papers->accept.size(), 4);
    EXPECT_EQ(papers->maxCount, 20);
    EXPECT_EQ(papers->maxSize, qint64{50} << 20);
    // Not a column of the table: the engine's fields leave it out.
    EXPECT_EQ(c.fields().size(), 2u);
    EXPECT_EQ(c.field(QStringLiteral("photos")), nullptr);

    auto messages = [&](const QByteArray& xml) {
        std::string all;
        for (const auto& e : errorsOf(xml)) all += e + "\n";
        return all;
    };
    const std::string bad = messages(card(f("name=\"a\" kind=\"attachments\" accept=\"photo image\" max-size=\"big\" max-count=\"0\"") +
                                          f("name=\"b\" kind=\"attachments\" column=\"b_files\" filter=\"true\" required=\"system\"") +
                                          f("name=\"t\" kind=\"text\" accept=\"image\" max-size=\"1MB\"") +
                                          f("name=\"version\" kind=\"attachments\"")));
    for (const char* expected : {"accept=\"photo image\" on field a: photo is not a kind of file; expected some of image video audio document",
                                 "max-size=\"big\" on field a: expected the largest file as a size such as 200MB",
                                 "max-count",
                                 "column on field b: an attachments field keeps its files apart from the card's table",
                                 "filter on field b: an attachments field", "required on field b: an attachments field",
                                 "accept on field t: only attachments fields take files", "max-size on field t: only attachments fields take files",
                                 "field version of card c: version is a name the record engine gives the record itself"})
        EXPECT_NE(bad.find(expected), std::string::npos) << expected << "\nin:\n" << bad;
    // A signature: drawn on a pad (an image), added by someone with a permission of the field's own.
    const auto signature =
        parse(card(f("name=\"sign\" kind=\"attachments\" accept=\"image\" max-count=\"1\" capture=\"signature\" "
                     "write=\"biz.customers.read\"")));
    ASSERT_TRUE(signature.ok()) << (signature.errors.empty() ? std::string() : signature.errors.front().message.toStdString());
    const auto* sign = signature.value->cards.front().attachmentField(QStringLiteral("sign"));
    ASSERT_NE(sign, nullptr);
    EXPECT_EQ(sign->capture, QStringLiteral("signature"));
    EXPECT_EQ(sign->filesWrite, QStringLiteral("biz.customers.read"));
    EXPECT_TRUE(photos->capture.isEmpty() && photos->filesWrite.isEmpty()) << "default: picked files, the card's write";
    const std::string badSignature = messages(card(f("name=\"a\" kind=\"attachments\" accept=\"document\" capture=\"signature\"") +
                                                   f("name=\"b\" kind=\"attachments\" capture=\"camera\" write=\"biz.customers.fly\"") +
                                                   f("name=\"t\" kind=\"text\" capture=\"signature\" write=\"biz.customers.read\"")));
    for (const char* expected :
         {"capture=\"signature\" on field a: a signature is kept as a PNG image, so accept must take image",
          "capture=\"camera\" on field b: expected signature",
          "write=\"biz.customers.fly\" on field b: the manifest declares no such permission",
          "capture on field t: only attachments fields take files", "write on field t: only attachments fields take files"})
        EXPECT_NE(badSignature.find(expected), std::string::npos) << expected << "\nin:\n" << badSignature;
    const std::string unserved = messages(card(f("name=\"a\" kind=\"attachments\""), " read=\"biz.customers.read\""));
    EXPECT_NE(unserved.find("field a of card c without a table: only a card the host serves keeps attachments"), std::string::npos) << unserved;
}
