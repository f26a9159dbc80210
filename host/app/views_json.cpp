#include "app/views_json.hpp"

#include <algorithm>

#include <QJsonArray>

namespace tessera::host {

namespace {

QJsonObject label(const LocalizedText& t) {
    return QJsonObject{{QStringLiteral("zh-CN"), t.zhCN}, {QStringLiteral("en"), t.en}};
}

QJsonObject dictionaryJson(const DictionaryDecl& d) {
    QJsonArray items;
    for (const auto& item : d.items)
    {
        QJsonObject o{{QStringLiteral("code"), item.code}, {QStringLiteral("label"), label(item.label)}};
        if (!item.tag.isEmpty()) o.insert(QStringLiteral("tag"), item.tag);
        items.append(o);
    }
    return QJsonObject{{QStringLiteral("id"), d.id},
                       {QStringLiteral("label"), label(d.label)},
                       {QStringLiteral("items"), items}};
}

QJsonObject fieldJson(const FieldDecl& f) {
    QJsonObject o{{QStringLiteral("name"), f.name},
                  {QStringLiteral("kind"), fieldKindName(f.kind)},
                  {QStringLiteral("required"), requirementName(f.requirement)},
                  {QStringLiteral("label"), label(f.label)}};
    if (!f.dictionary.isEmpty()) o.insert(QStringLiteral("dictionary"), f.dictionary);
    if (f.maxLength) o.insert(QStringLiteral("maxLength"), *f.maxLength);
    if (f.minLength) o.insert(QStringLiteral("minLength"), *f.minLength);
    if (f.min) o.insert(QStringLiteral("min"), *f.min);
    if (f.max) o.insert(QStringLiteral("max"), *f.max);
    // What the record engine checks and offers (docs/records.md); the shell repeats the checks.
    if (!f.pattern.isEmpty()) {
        o.insert(QStringLiteral("pattern"), f.pattern);
        o.insert(QStringLiteral("hint"), label(f.patternHint));
    }
    if (f.notFuture) o.insert(QStringLiteral("notFuture"), true);
    if (f.kind == FieldKind::Decimal) o.insert(QStringLiteral("scale"), f.scale);
    if (f.kind == FieldKind::Reference) o.insert(QStringLiteral("card"), f.reference);
    if (f.kind == FieldKind::User) o.insert(QStringLiteral("permission"), f.permission);
    if (f.multiple) o.insert(QStringLiteral("multiple"), true);
    if (f.defaultMe) o.insert(QStringLiteral("default"), QStringLiteral("me"));
    if (f.createsTarget) o.insert(QStringLiteral("create"), true);
    if (f.anyRoll) o.insert(QStringLiteral("roll"), QStringLiteral("all"));
    // The picker also offers the records the other card puts in reach (its list, filtered).
    if (f.through) {
        QJsonObject through{{QStringLiteral("card"), f.through->card}, {QStringLiteral("field"), f.through->field}};
        if (!f.through->whenField.isEmpty())
            through.insert(QStringLiteral("when"), QJsonObject{{f.through->whenField, f.through->whenCode}});
        o.insert(QStringLiteral("through"), through);
    }
    if (f.sort) o.insert(QStringLiteral("sort"), true);
    if (f.filter) o.insert(QStringLiteral("filter"), true);
    if (f.search) o.insert(QStringLiteral("search"), true);
    if (f.unique) o.insert(QStringLiteral("unique"), true);
    if (f.readOnly) o.insert(QStringLiteral("readOnly"), true);
    if (f.anyUnit) o.insert(QStringLiteral("reach"), QStringLiteral("tree"));
    // What an uploader needs: the kinds taken (checked by the server from the bytes), how many, how big.
    if (f.kind == FieldKind::Attachments) {
        o.insert(QStringLiteral("accept"), QJsonArray::fromStringList(f.accept));
        o.insert(QStringLiteral("maxCount"), f.maxCount);
        o.insert(QStringLiteral("maxSize"), f.maxSize);
        if (!f.capture.isEmpty()) o.insert(QStringLiteral("capture"), f.capture);
    }
    if (f.kind == FieldKind::Subform) {
        QJsonArray children;
        for (const auto& child : f.children) children.append(fieldJson(child));
        o.insert(QStringLiteral("fields"), children);
    }
    return o;
}

QJsonObject cardJson(const CardDecl& c, const QString& pluginId) {
    QJsonArray sections;
    for (const auto& s : c.sections) {
        QJsonArray fields;
        for (const auto& f : s.fields) {
            QJsonObject o = fieldJson(f);
            // A user field's picker: who may be named in it (docs/records.md, "User fields").
            // Not for a read-only one no step sets: no one picks it, and no route serves it.
            const bool picked = !f.readOnly || std::any_of(c.workflow.steps.begin(), c.workflow.steps.end(),
                                                           [&](const StepDecl& st) { return st.fields.contains(f.name); });
            if (f.kind == FieldKind::User && picked && c.served())
                o.insert(QStringLiteral("people"), QStringLiteral("/api/v1/%1/%2/people/%3").arg(pluginId, c.resource, f.name));
            // reach="above": the picker asks the host (the target's list alone would leave out
            // the records of the units above the writer's).
            if (f.kind == FieldKind::Reference && f.reachAbove && c.served())
                o.insert(QStringLiteral("choices"), QStringLiteral("/api/v1/%1/%2/choices/%3").arg(pluginId, c.resource, f.name));
            fields.append(o);
        }
        sections.append(QJsonObject{{QStringLiteral("id"), s.id},
                                    {QStringLiteral("label"), label(s.label)},
                                    {QStringLiteral("fields"), fields}});
    }
    QJsonObject o{{QStringLiteral("id"), c.id},
                  {QStringLiteral("resource"), c.resource},
                  {QStringLiteral("label"), label(c.label)},
                  {QStringLiteral("sections"), sections}};
    // A card the host serves has history, counts, sorting and references (docs/records.md).
    if (c.served()) {
        o.insert(QStringLiteral("served"), true);
        o.insert(QStringLiteral("title"), c.titleField);
        o.insert(QStringLiteral("order"), c.order);
        o.insert(QStringLiteral("write"), c.writePermission);  // the shell offers 新建 and 导入 to its holders
    }
    // Several units (a transfer's sender and receiver): the shell names each one.
    if (c.units.size() > 1) o.insert(QStringLiteral("units"), QJsonArray::fromStringList(c.units));
    // What the shell needs to draw a workflow: the state field (a tag, never edited) and the
    // steps' labels; which steps a caller may take now it asks per record (GET .../steps).
    if (c.workflow.declared()) {
        QJsonArray steps;
        for (const auto& s : c.workflow.steps)
            steps.append(QJsonObject{{QStringLiteral("id"), s.id}, {QStringLiteral("label"), label(s.label)}});
        o.insert(QStringLiteral("workflow"), QJsonObject{{QStringLiteral("field"), c.workflow.field}, {QStringLiteral("steps"), steps}});
    }
    if (!c.documents.empty()) {
        QJsonArray documents;
        for (const auto& d : c.documents)
            documents.append(QJsonObject{{QStringLiteral("id"), d.id}, {QStringLiteral("label"), label(d.label)}});
        o.insert(QStringLiteral("documents"), documents);
    }
    return o;
}

QJsonObject listJson(const ListDecl& l) {
    QJsonArray columns;
    for (const auto& c : l.columns) {
        QJsonObject column{{QStringLiteral("field"), c.field}};
        if (c.width) column.insert(QStringLiteral("width"), *c.width);
        columns.append(column);
    }
    QJsonArray filters;
    for (const auto& f : l.filters) {
        QJsonObject filter{{QStringLiteral("param"), f.param},
                           {QStringLiteral("kind"), filterKindName(f.kind)},
                           {QStringLiteral("label"), label(f.label)}};
        if (!f.dictionary.isEmpty()) filter.insert(QStringLiteral("dictionary"), f.dictionary);
        filters.append(filter);
    }
    QJsonObject o{{QStringLiteral("id"), l.id},
                  {QStringLiteral("resource"), l.resource},
                  {QStringLiteral("pageSize"), l.pageSize},
                  {QStringLiteral("label"), label(l.label)},
                  {QStringLiteral("columns"), columns},
                  {QStringLiteral("filters"), filters}};
    if (!l.card.isEmpty()) o.insert(QStringLiteral("card"), l.card);
    if (!l.exportResource.isEmpty()) o.insert(QStringLiteral("export"), l.exportResource);
    if (!l.importResource.isEmpty()) o.insert(QStringLiteral("import"), l.importResource);
    return o;
}

// A chart's or report's parameters, as the shell shows them above the view.
QJsonArray paramsJson(const std::vector<ViewParamDecl>& params) {
    QJsonArray out;
    for (const auto& p : params) {
        QJsonObject o{{QStringLiteral("name"), p.name},
                      {QStringLiteral("kind"), reportParamKindName(p.kind)},
                      {QStringLiteral("label"), label(p.label)}};
        if (!p.dictionary.isEmpty()) o.insert(QStringLiteral("dictionary"), p.dictionary);
        out.append(o);
    }
    return out;
}

}  // namespace

QJsonObject viewsJson(const Manifest& manifest) {
    QJsonArray dictionaries, lists, cards, charts, reports;
    for (const auto& d : manifest.dictionaries) dictionaries.append(dictionaryJson(d));
    for (const auto& l : manifest.lists) lists.append(listJson(l));
    for (const auto& c : manifest.cards) cards.append(cardJson(c, manifest.id));
    for (const auto& c : manifest.charts) {
        QJsonObject chart{{QStringLiteral("id"), c.id},
                          {QStringLiteral("resource"), c.resource},
                          {QStringLiteral("kind"), chartKindName(c.kind)},
                          {QStringLiteral("label"), label(c.label)}};
        // Each left out when none is declared: without series the chart draws its items' `value`.
        if (!c.params.empty()) chart.insert(QStringLiteral("params"), paramsJson(c.params));
        if (!c.series.empty()) {
            QJsonArray series;
            for (const auto& s : c.series)
                series.append(QJsonObject{{QStringLiteral("field"), s.field},
                                          {QStringLiteral("kind"), chartSeriesKindName(s.kind)},
                                          {QStringLiteral("label"), label(s.label)}});
            chart.insert(QStringLiteral("series"), series);
        }
        charts.append(chart);
    }
    for (const auto& report : manifest.reports) {
        QJsonArray columns;
        for (const auto& c : report.columns)
            columns.append(QJsonObject{{QStringLiteral("field"), c.field},
                                       {QStringLiteral("kind"), reportColumnKindName(c.kind)},
                                       {QStringLiteral("label"), label(c.label)}});
        reports.append(QJsonObject{{QStringLiteral("id"), report.id},
                                   {QStringLiteral("resource"), report.resource},
                                   {QStringLiteral("label"), label(report.label)},
                                   {QStringLiteral("params"), paramsJson(report.params)},
                                   {QStringLiteral("columns"), columns}});
    }
    return QJsonObject{{QStringLiteral("dictionaries"), dictionaries},
                       {QStringLiteral("lists"), lists},
                       {QStringLiteral("cards"), cards},
                       {QStringLiteral("charts"), charts},
                       {QStringLiteral("reports"), reports}};
}

}  // namespace tessera::host
