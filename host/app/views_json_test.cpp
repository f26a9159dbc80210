#include "app/views_json.hpp"

#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

using namespace tessera::host;

namespace {

Manifest parse(const QByteArray& views) {
    const QByteArray xml = "<plugin id=\"biz.customers\" version=\"1.0.0\" sdk-api=\"1\">"
                           "<name lang=\"zh-CN\">客户</name><name lang=\"en\">Customers</name>"
                           "<library>biz.customers</library>" +
                           views + "</plugin>";
    auto parsed = Manifest::parse(xml, QStringLiteral("manifest.xml"));
    EXPECT_TRUE(parsed.ok()) << parsed.errorText().toStdString();
    return parsed.ok() ? *parsed.value : Manifest{};
}

QJsonValue json(const char* text) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    EXPECT_EQ(error.error, QJsonParseError::NoError) << error.errorString().toStdString();
    return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}

std::string show(const QJsonObject& o) { return QJsonDocument(o).toJson().toStdString(); }

}  // namespace

TEST(ViewsJson, IsEmptyWithoutViews) {
    EXPECT_EQ(viewsJson(parse("")), json(R"({"dictionaries": [], "lists": [], "cards": [], "charts": [], "reports": []})").toObject());
}

TEST(ViewsJson, DescribesDictionariesListsAndCards) {
    const Manifest m = parse(R"(
<dictionaries>
  <dictionary id="customer-level">
    <label lang="zh-CN">客户等级</label><label lang="en">Customer level</label>
    <item code="A"><label lang="zh-CN">重要客户</label><label lang="en">Key account</label></item>
  </dictionary>
</dictionaries>
<views>
  <list id="customers" resource="customers" card="customer" page-size="50" export="customers/export">
    <label lang="zh-CN">客户列表</label><label lang="en">Customers</label>
    <column field="name" width="240"/>
    <column field="level"/>
    <filter param="q" kind="text"><label lang="zh-CN">搜索</label><label lang="en">Search</label></filter>
    <filter param="level" kind="dropdown" dictionary="customer-level"><label lang="zh-CN">等级</label><label lang="en">Level</label></filter>
  </list>
  <list id="recent" resource="customers/recent">
    <label lang="zh-CN">最近</label><label lang="en">Recent</label>
    <column field="name"/>
  </list>
  <card id="customer" resource="customers">
    <label lang="zh-CN">客户卡片</label><label lang="en">Customer card</label>
    <section id="basic">
      <label lang="zh-CN">基本信息</label><label lang="en">Basic information</label>
      <field name="name" kind="text" required="system" max-length="200"><label lang="zh-CN">名称</label><label lang="en">Name</label></field>
      <field name="unitId" kind="unit" required="required"><label lang="zh-CN">单位</label><label lang="en">Unit</label></field>
      <field name="level" kind="dropdown" dictionary="customer-level"><label lang="zh-CN">等级</label><label lang="en">Level</label></field>
      <field name="employees" kind="number" min="0" max="2.5"><label lang="zh-CN">人数</label><label lang="en">Employees</label></field>
      <field name="contacts" kind="subform">
        <label lang="zh-CN">联系人</label><label lang="en">Contacts</label>
        <field name="phone" kind="text"><label lang="zh-CN">电话</label><label lang="en">Phone</label></field>
      </field>
    </section>
  </card>
  <chart id="by-month" resource="customers/stats/monthly" kind="line">
    <label lang="zh-CN">每月新增</label><label lang="en">New per month</label>
  </chart>
  <chart id="by-level" resource="customers/stats/levels"><label lang="zh-CN">按等级</label><label lang="en">By level</label></chart>
</views>
)");
    const QJsonObject expected = json(R"({
      "dictionaries": [
        {"id": "customer-level", "label": {"zh-CN": "客户等级", "en": "Customer level"},
         "items": [{"code": "A", "label": {"zh-CN": "重要客户", "en": "Key account"}}]}
      ],
      "lists": [
        {"id": "customers", "resource": "customers", "card": "customer", "pageSize": 50, "export": "customers/export",
         "label": {"zh-CN": "客户列表", "en": "Customers"},
         "columns": [{"field": "name", "width": 240}, {"field": "level"}],
         "filters": [
           {"param": "q", "kind": "text", "label": {"zh-CN": "搜索", "en": "Search"}},
           {"param": "level", "kind": "dropdown", "dictionary": "customer-level",
            "label": {"zh-CN": "等级", "en": "Level"}}
         ]},
        {"id": "recent", "resource": "customers/recent", "pageSize": 20,
         "label": {"zh-CN": "最近", "en": "Recent"}, "columns": [{"field": "name"}], "filters": []}
      ],
      "cards": [
        {"id": "customer", "resource": "customers", "label": {"zh-CN": "客户卡片", "en": "Customer card"},
         "sections": [
           {"id": "basic", "label": {"zh-CN": "基本信息", "en": "Basic information"},
            "fields": [
              {"name": "name", "kind": "text", "required": "system", "maxLength": 200,
               "label": {"zh-CN": "名称", "en": "Name"}},
              {"name": "unitId", "kind": "unit", "required": "required", "label": {"zh-CN": "单位", "en": "Unit"}},
              {"name": "level", "kind": "dropdown", "required": "optional", "dictionary": "customer-level",
               "label": {"zh-CN": "等级", "en": "Level"}},
              {"name": "employees", "kind": "number", "required": "optional", "min": 0, "max": 2.5,
               "label": {"zh-CN": "人数", "en": "Employees"}},
              {"name": "contacts", "kind": "subform", "required": "optional",
               "label": {"zh-CN": "联系人", "en": "Contacts"},
               "fields": [{"name": "phone", "kind": "text", "required": "optional",
                           "label": {"zh-CN": "电话", "en": "Phone"}}]}
            ]}
         ]}
      ],
      "charts": [
        {"id": "by-month", "resource": "customers/stats/monthly", "kind": "line",
         "label": {"zh-CN": "每月新增", "en": "New per month"}},
        {"id": "by-level", "resource": "customers/stats/levels", "kind": "bar",
         "label": {"zh-CN": "按等级", "en": "By level"}}
      ],
      "reports": []
    })")
                                     .toObject();
    const QJsonObject actual = viewsJson(m);
    EXPECT_EQ(actual, expected) << show(actual);
}

TEST(ViewsJson, DescribesAReportsParamsAndColumns) {
    const Manifest m = parse(R"(
<dictionaries>
  <dictionary id="summed-by"><label lang="zh-CN">汇总方式</label><label lang="en">Summed by</label>
    <item code="unit"><label lang="zh-CN">按党组织</label><label lang="en">by organisation</label></item>
  </dictionary>
</dictionaries>
<views>
  <report id="summary" resource="dues/summary">
    <label lang="zh-CN">汇总</label><label lang="en">Summary</label>
    <param name="year" kind="year"><label lang="zh-CN">年度</label><label lang="en">Year</label></param>
    <param name="by" kind="dropdown" dictionary="summed-by"><label lang="zh-CN">方式</label><label lang="en">By</label></param>
    <column field="label"><label lang="zh-CN">项目</label><label lang="en">Item</label></column>
    <column field="members" kind="number"><label lang="zh-CN">人数</label><label lang="en">Members</label></column>
    <column field="paid" kind="decimal"><label lang="zh-CN">实交</label><label lang="en">Paid</label></column>
  </report>
</views>)");
    const QJsonValue expected = json(R"([{"id": "summary", "resource": "dues/summary", "label": {"zh-CN": "汇总", "en": "Summary"},
      "params": [{"name": "year", "kind": "year", "label": {"zh-CN": "年度", "en": "Year"}},
                 {"name": "by", "kind": "dropdown", "dictionary": "summed-by", "label": {"zh-CN": "方式", "en": "By"}}],
      "columns": [{"field": "label", "kind": "text", "label": {"zh-CN": "项目", "en": "Item"}},
                  {"field": "members", "kind": "number", "label": {"zh-CN": "人数", "en": "Members"}},
                  {"field": "paid", "kind": "decimal", "label": {"zh-CN": "实交", "en": "Paid"}}]}])");
    EXPECT_EQ(viewsJson(m).value(QStringLiteral("reports")), expected) << show(viewsJson(m));
}

TEST(ViewsJson, DescribesAChartsParamsAndSeries) {
    const Manifest m = parse(R"(
<views>
  <chart id="by-technician" resource="charts/technicians">
    <label lang="zh-CN">技术员工作量</label><label lang="en">Work per technician</label>
    <param name="year" kind="year"><label lang="zh-CN">年度</label><label lang="en">Year</label></param>
    <series field="tickets"><label lang="zh-CN">派工单数</label><label lang="en">Tickets</label></series>
    <series field="amount" kind="money"><label lang="zh-CN">金额</label><label lang="en">Amount</label></series>
  </chart>
</views>)");
    const QJsonValue expected = json(R"([{"id": "by-technician", "resource": "charts/technicians", "kind": "bar",
      "label": {"zh-CN": "技术员工作量", "en": "Work per technician"},
      "params": [{"name": "year", "kind": "year", "label": {"zh-CN": "年度", "en": "Year"}}],
      "series": [{"field": "tickets", "kind": "number", "label": {"zh-CN": "派工单数", "en": "Tickets"}},
                 {"field": "amount", "kind": "money", "label": {"zh-CN": "金额", "en": "Amount"}}]}])");
    EXPECT_EQ(viewsJson(m).value(QStringLiteral("charts")), expected) << show(viewsJson(m));
}

TEST(ViewsJson, IncludesTheItemsOfFileDictionariesOnceLoaded) {
    Manifest m = parse(R"(<dictionaries><dictionary id="ethnicity" file="ethnicity.csv">
      <label lang="zh-CN">民族</label><label lang="en">Ethnicity</label></dictionary></dictionaries>)");
    ASSERT_EQ(m.dictionaries.size(), 1u);
    m.dictionaries[0].items.push_back({QStringLiteral("01"), {QStringLiteral("汉族"), QStringLiteral("Han")}, {}});
    const QJsonObject d = viewsJson(m).value(QStringLiteral("dictionaries")).toArray().at(0).toObject();
    EXPECT_EQ(d, json(R"({"id": "ethnicity", "label": {"zh-CN": "民族", "en": "Ethnicity"},
                          "items": [{"code": "01", "label": {"zh-CN": "汉族", "en": "Han"}}]})").toObject());
}

TEST(ViewsJson, SaysWhichFieldHoldsAWorkflowsStateItsStepsAndTheDocumentsACardPrints) {
    const Manifest m = parse(R"(
<permissions>
  <permission id="biz.customers.read"><label lang="zh-CN">查看</label><label lang="en">read</label></permission>
  <permission id="biz.customers.send"><label lang="zh-CN">发出</label><label lang="en">send</label></permission>
</permissions>
<dictionaries>
  <dictionary id="state"><label lang="zh-CN">状态</label><label lang="en">State</label>
    <item code="pending"><label lang="zh-CN">待接收</label><label lang="en">pending</label></item>
    <item code="accepted"><label lang="zh-CN">已接收</label><label lang="en">accepted</label></item>
  </dictionary>
</dictionaries>
<views>
  <card id="handover" resource="handovers" table="fx_handovers" read="biz.customers.read" write="biz.customers.send" title="subject" units="unitId toUnitId">
    <label lang="zh-CN">交接</label><label lang="en">handover</label>
    <section id="main"><label lang="zh-CN">基本</label><label lang="en">Main</label>
      <field name="subject" kind="text"><label lang="zh-CN">事项</label><label lang="en">Subject</label></field>
      <field name="unitId" kind="unit" required="system"><label lang="zh-CN">发出单位</label><label lang="en">From</label></field>
      <field name="toUnitId" kind="unit" reach="tree"><label lang="zh-CN">接收单位</label><label lang="en">To</label></field>
      <field name="state" kind="dropdown" dictionary="state"><label lang="zh-CN">状态</label><label lang="en">State</label></field>
    </section>
    <workflow field="state" start="pending">
      <step id="accept" from="pending" to="accepted" permission="biz.customers.send" unit="toUnitId">
        <label lang="zh-CN">接收</label><label lang="en">accept</label>
      </step>
    </workflow>
    <document id="slip" template="documents/slip.html"><label lang="zh-CN">交接单</label><label lang="en">handover slip</label></document>
  </card>
</views>
)");
    ASSERT_EQ(m.cards.size(), 1u);
    const QJsonObject card = viewsJson(m).value(QStringLiteral("cards")).toArray().at(0).toObject();
    EXPECT_EQ(card.value(QStringLiteral("units")), json(R"(["unitId", "toUnitId"])")) << show(card);
    EXPECT_EQ(card.value(QStringLiteral("workflow")),
              json(R"({"field": "state", "steps": [{"id": "accept", "label": {"zh-CN": "接收", "en": "accept"}}]})"))
        << show(card);
    EXPECT_EQ(card.value(QStringLiteral("documents")), json(R"([{"id": "slip", "label": {"zh-CN": "交接单", "en": "handover slip"}}])"))
        << show(card);
    const QJsonArray fields = card.value(QStringLiteral("sections")).toArray().at(0).toObject().value(QStringLiteral("fields")).toArray();
    EXPECT_EQ(fields.at(2).toObject().value(QStringLiteral("reach")).toString(), QStringLiteral("tree"));
    EXPECT_FALSE(fields.at(1).toObject().contains(QStringLiteral("reach")));
}

TEST(ViewsJson, SaysNothingOfWorkflowsDocumentsOrUnitsACardDoesNotHave) {
    const Manifest m = parse(R"(<views><card id="c" resource="cs"><label lang="zh-CN">卡</label><label lang="en">card</label>
      <section id="s"><label lang="zh-CN">基本</label><label lang="en">Main</label>
        <field name="unitId" kind="unit"><label lang="zh-CN">单位</label><label lang="en">Unit</label></field>
      </section></card></views>)");
    const QJsonObject card = viewsJson(m).value(QStringLiteral("cards")).toArray().at(0).toObject();
    EXPECT_FALSE(card.contains(QStringLiteral("workflow")));
    EXPECT_FALSE(card.contains(QStringLiteral("documents")));
    EXPECT_FALSE(card.contains(QStringLiteral("units")));
}
