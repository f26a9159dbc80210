// Documents printed from records (docs/records.md, "Documents"): a card's HTML template filled
// from the record and its references, numbered per unit and year by a sequence that never
// gives a number twice, and kept as printed with who printed it and when.

#include "services/records.hpp"

#include "identity/unit_labels.hpp"
#include "services/attachment_store.hpp"
#include "services/qr_code.hpp"

#include <tessera/params.hpp>

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>

namespace tessera::host {

using tessera::FieldError;
using tessera::Request;
using tessera::Response;
using tessera::Row;

namespace {

// A date as a printed document writes it: 2026年12月5日 (|date), 2026年12月 (|month), 2026 (|year).
QString documentDate(const QString& iso, const QString& filter) {
    // A month alone (2026-11, 党费交至) is read as its first day.
    const QDate d = QDate::fromString(iso.size() == 7 ? iso + QStringLiteral("-01") : iso.left(10), Qt::ISODate);
    if (!d.isValid() || filter.isEmpty()) return iso;
    if (filter == u"year") return QString::number(d.year());
    if (filter == u"month") return QStringLiteral("%1年%2月").arg(d.year()).arg(d.month());
    return QStringLiteral("%1年%2月%3日").arg(d.year()).arg(d.month()).arg(d.day());
}

QString copyTime(const Row& row) { return peopleTime(row.value(QStringLiteral("at"))); }

}  // namespace

// The shell shows a record at /m/<plugin>/<card>/<id> (web/src/router.js). The base is the
// deployment's public-url when it says one (behind a proxy, the only address users know);
// else the Host the printing browser reached us by, which is where the printer's colleagues
// reach it too.
QString RecordCards::recordLink(const RecordCard& card, qint64 id, const Request& r) const {
    QString base = publicUrl_;
    if (base.isEmpty()) {
        const QString host = QString::fromLatin1(r.header("host")).trimmed();
        // A Host of anything but host[:port] is not put on paper.
        static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9.\\-]+(:[0-9]{1,5})?$|^\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?$"));
        if (valid.match(host).hasMatch()) base = QStringLiteral("http://") + host;
    }
    while (base.endsWith(u'/')) base.chop(1);
    return base + QStringLiteral("/m/") + card.pluginId() + u'/' + card.card().id + u'/' + QString::number(id);
}

QString RecordCard::unfilledFor(const DocumentDecl& doc, const Row& row) const {
    QStringList missing;
    for (const QString& name : doc.mustFill) {
        const FieldDecl* f = card_.field(name);
        if (f && isStoredEmpty(*f, row.value(f->column))) missing << labelOf(f->label, f->name);
    }
    if (missing.isEmpty()) return {};
    return tessera::text("%1 prints only a %2 whose %3 is filled: %4 has none", labelOf(doc.label, doc.id), cardName(card_),
                         missing.join(u'、'), recordName(row));
}

namespace {

// Whether `access` holds one of the permissions that print `doc` at `unit`.
bool mayPrintDocument(const DocumentDecl& doc, qint64 unit, const tessera::Access* access) {
    return access &&
           std::any_of(doc.permissions.begin(), doc.permissions.end(), [&](const QString& p) { return access->scope(p).contains(unit); });
}

}  // namespace

QJsonObject RecordCard::copyJson(const Row& row, bool withHtml) const {
    const DocumentDecl* doc = card_.document(row.value(QStringLiteral("document")).toString());
    const QString name = row.value(QStringLiteral("display_name")).toString();
    QJsonObject o{{QStringLiteral("id"), row.value(QStringLiteral("id")).toLongLong()},
                  {QStringLiteral("document"), row.value(QStringLiteral("document")).toString()},
                  {QStringLiteral("label"), doc ? labelOf(doc->label, doc->id) : row.value(QStringLiteral("document")).toString()},
                  {QStringLiteral("number"), row.value(QStringLiteral("number")).toString()},
                  {QStringLiteral("printedOn"), row.value(QStringLiteral("printed_on")).toString()},
                  {QStringLiteral("at"), copyTime(row)},
                  {QStringLiteral("by"), name.isEmpty() ? row.value(QStringLiteral("username")).toString() : name}};
    if (withHtml) o.insert(QStringLiteral("html"), row.value(QStringLiteral("html")).toString());
    return o;
}

// The value a placeholder stands for: {{field}}, {{field|date}}, {{unitField.path}},
// {{reference.field}}, {{document.number}} ...; text, never HTML. A document is written in
// its template's language, Chinese, whoever prints it: labels are the zh-CN ones.
Result<QString> RecordCard::placeholderValue(const QString& spec, const Row& row, const QJsonObject& json, const tessera::Access& access,
                                             const QHash<QString, QString>& document) {
    const QString filter = spec.section(u'|', 1).trimmed();
    const QString path = spec.section(u'|', 0, 0).trimmed();
    const QString name = path.section(u'.', 0, 0), sub = path.section(u'.', 1);
    if (name == u"document") return document.value(sub);
    const FieldDecl* f = card_.field(name);
    if (!f) {
        const QJsonValue v = json.value(name);
        return v.isDouble() ? QString::number(v.toInteger()) : v.toString();
    }
    const QVariant v = row.value(f->column);
    if (isStoredEmpty(*f, v)) return QString();
    switch (f->kind) {
        case FieldKind::Dropdown: {
            for (const auto& d : manifest_.dictionaries)
                if (d.id == f->dictionary)
                    if (const DictionaryItem* item = d.item(v.toString()))
                        return item->label.zhCN.isEmpty() ? item->label.en : item->label.zhCN;
            return v.toString();
        }
        case FieldKind::Checkbox:
            return v.toLongLong() ? QStringLiteral("是") : QStringLiteral("否");
        case FieldKind::DateTime:
            // A moment as people write it, to the minute (2026-06-10 09:00); filters give its day.
            if (filter.isEmpty()) return v.toString().left(16).replace(u'T', u' ');
            return documentDate(v.toString(), filter);
        case FieldKind::Date:
            return documentDate(v.toString(), filter);
        case FieldKind::Unit: {
            // A unit by its own name (中共第1党支部委员会), or its whole path (.path).
            auto labels = UnitLabels(ctx_.database(), nullptr).labels({v.toLongLong()});
            if (!labels) return labels.error();
            const auto label = labels->constFind(v.toLongLong());
            if (label == labels->constEnd()) return QString();
            return sub == u"path" ? label->full() : label->names.value(label->names.size() - 1);
        }
        case FieldKind::User:
            return json.value(QStringLiteral("labels")).toObject().value(f->name).toString();
        case FieldKind::Reference: {
            RecordCard* target = targets_.value(f->name);
            if (!target) return QString();
            if (sub.isEmpty()) return json.value(QStringLiteral("labels")).toObject().value(f->name).toString();
            // A field of the referenced record, where the printer may read it.
            auto targetRow = target->fetch(v.toLongLong(), &access.scope(target->card().readPermission), Reach::Shared);
            if (!targetRow) return targetRow.error();
            if (targetRow->isEmpty()) return QString();
            auto targetJson = target->toJson(*targetRow, &access);
            if (!targetJson) return targetJson.error();
            return target->placeholderValue(sub + (filter.isEmpty() ? QString() : u'|' + filter), *targetRow, *targetJson, access,
                                            document);
        }
        default: {
            const QJsonValue j = jsonOf(*f, v);
            // A date kept as text (a month, 2026-11) takes the date filters too.
            return j.isDouble() ? QString::number(j.toDouble(), 'g', 15) : documentDate(j.toString(), filter);
        }
    }
}

Result<QString> RecordCard::attachedImage(const QString& field, const Row& row) {
    AttachmentStore* store = all_.attachments();
    if (!store) return QString();
    auto files = store->list(pluginId_, card_.id, row.value(QStringLiteral("id")).toLongLong());
    if (!files) return files.error();
    const Attachment* latest = nullptr;
    for (const Attachment& a : *files)
        if (a.field == field && a.kind == u"image") latest = &a;
    if (!latest) return QString();
    QFile f(store->pathOf(latest->sha256));
    if (!f.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("attachment.store"),
                     QStringLiteral("%1 of %2: %3").arg(latest->name, recordName(row), f.errorString())};
    return QStringLiteral("<img class=\"attached-image\" alt=\"%1\" src=\"data:%2;base64,%3\">")
        .arg(latest->name.toHtmlEscaped(), latest->mime.toHtmlEscaped(), QString::fromLatin1(f.readAll().toBase64()));
}

Result<QString> RecordCard::fillTemplate(const DocumentDecl& doc, const Row& row, const tessera::Access& access,
                                         const QHash<QString, QString>& document) {
    static const QRegularExpression placeholder(QStringLiteral("\\{\\{\\s*([^}]*?)\\s*\\}\\}"));
    auto json = toJson(row, &access);
    if (!json) return json.error();
    QString out;
    qsizetype at = 0;
    for (const auto& m : placeholder.globalMatch(doc.templateText)) {
        out += QStringView(doc.templateText).mid(at, m.capturedStart() - at);
        // {{field|image}}: the field's latest image (a customer's signature), embedded so the
        // kept copy shows it without the store; nothing while there is none.
        if (m.captured(1).section(u'|', 1).trimmed() == u"image") {
            auto image = attachedImage(m.captured(1).section(u'|', 0, 0).trimmed(), row);
            if (!image) return image.error();
            out += *image;
            at = m.capturedEnd();
            continue;
        }
        // {{...|qr}}: the value's QR code, an inline SVG (one of the placeholders that give markup).
        const bool qr = m.captured(1).section(u'|', 1).trimmed() == u"qr";
        auto value = placeholderValue(qr ? m.captured(1).section(u'|', 0, 0) : m.captured(1), row, *json, access, document);
        if (!value) return value.error();
        if (qr && !value->isEmpty()) {
            auto svg = qrSvg(*value);
            if (!svg) return svg.error();
            out += *svg;
        } else {
            // Values are text: escaped, their line breaks kept.
            out += value->toHtmlEscaped().replace(u'\n', QStringLiteral("<br>"));
        }
        at = m.capturedEnd();
    }
    out += QStringView(doc.templateText).mid(at);
    return out;
}

// GET .../{id}/documents: what the record prints, whether the caller may print each, and
// the copies printed so far.
Response RecordCard::documents(const Request& r) {
    Row row;
    if (auto refused = readRecord(r, row)) return *refused;
    const qint64 id = row.value(QStringLiteral("id")).toLongLong();
    QJsonArray available;
    for (const DocumentDecl& doc : card_.documents) {
        const FieldDecl* unitField = card_.field(doc.unitField);
        const qint64 unit = row.value(unitField->column).toLongLong();
        const bool mayPrint = mayPrintDocument(doc, unit, r.access);
        const QString unfilled = unfilledFor(doc, row);
        QJsonObject o{{QStringLiteral("id"), doc.id},
                      {QStringLiteral("label"), labelOf(doc.label, doc.id)},
                      {QStringLiteral("canPrint"), mayPrint && unfilled.isEmpty()}};
        if (!mayPrint) {  // why not, as the refused POST would say it
            const auto [permission, where] = whoMay(doc.permission, *unitField, row, r.access);
            o.insert(QStringLiteral("why"), tessera::text("only someone who may %1 at %2 prints %3 of %4 %5", permission, where,
                                                          labelOf(doc.label, doc.id), cardName(card_), recordName(row)));
        } else if (!unfilled.isEmpty()) {
            o.insert(QStringLiteral("why"), unfilled);
        }
        available.append(o);
    }
    auto copies = ctx_.database().query(
        QStringLiteral("SELECT id, document, number, printed_on, at, username, display_name FROM core_printed_documents "
                       "WHERE card = ?1 AND record_id = ?2 ORDER BY id"),
        {key(), id});
    if (!copies) return storageError(copies.error());
    QJsonArray printed;
    for (const Row& c : *copies) printed.append(copyJson(c, false));
    return Response::json(QJsonObject{{QStringLiteral("documents"), available}, {QStringLiteral("printed"), printed}});
}

// POST .../{id}/documents/{document}: gives the next number of the record's unit and year,
// fills the template and keeps the copy; 201 with it, HTML included.
Response RecordCard::printDocument(const Request& r) {
    const auto id = tessera::idParam(r);
    if (!id) return noSuchRecord(r.param(QStringLiteral("id")));
    auto existing = fetch(*id, r.scope, Reach::Shared);
    if (!existing) return storageError(existing.error());
    if (existing->isEmpty()) return noSuchRecord(r.param(QStringLiteral("id")));
    const DocumentDecl* doc = card_.document(r.param(QStringLiteral("document")));
    if (!doc) return Response::notFound(tessera::text("%1 prints no document '%2'", cardName(card_), r.param(QStringLiteral("document"))));
    QList<FieldError> errors;
    tessera::refuseUnknownParams(r, {}, errors);
    if (r.body.isObject() && !r.body.toObject().isEmpty())
        for (const QString& k : r.body.toObject().keys()) errors.append({k, tessera::text("unknown field")});
    if (!errors.isEmpty()) return Response::invalid(errors);
    const FieldDecl* unitField = card_.field(doc->unitField);
    const qint64 unit = existing->value(unitField->column).toLongLong();
    if (!mayPrintDocument(*doc, unit, r.access)) {
        const auto [permission, where] = whoMay(doc->permission, *unitField, *existing, r.access);
        return Response::error(403, tessera::text("Forbidden"),
                               tessera::text("only someone who may %1 at %2 prints %3 of %4 %5", permission, where,
                                             labelOf(doc->label, doc->id), cardName(card_), recordName(*existing)));
    }
    // A document of what the record does not hold yet (a receipt of goods not carried back).
    if (const QString unfilled = unfilledFor(*doc, *existing); !unfilled.isEmpty())
        return Response::error(409, tessera::text("Conflict"), unfilled);
    if (doc->templateText.isEmpty())
        return storageError(Error{QStringLiteral("document.template"), QStringLiteral("template %1 is empty").arg(doc->templateFile)});
    const QDateTime now = ctx_.clock().now();
    const QDate today = now.toLocalTime().date();
    const QString series = key() + u'/' + doc->id;
    const tessera::Caller& caller = r.access->caller();
    Row copy;
    tessera::Status s = ctx_.database().transaction([&]() -> tessera::Status {
        // The next number of the series for this unit and year: it only ever grows.
        auto bumped =
            ctx_.database().execute(QStringLiteral("INSERT INTO core_document_numbers(series, unit_id, year, last) VALUES (?1, ?2, ?3, 1) "
                                                   "ON CONFLICT (series, unit_id, year) DO UPDATE SET last = last + 1"),
                                    {series, unit, today.year()});
        if (!bumped) return bumped.error();
        auto last = ctx_.database().queryOne(
            QStringLiteral("SELECT last FROM core_document_numbers WHERE series = ?1 AND unit_id = ?2 AND year = ?3"),
            {series, unit, today.year()});
        if (!last) return last.error();
        const qint64 seq = last->value(QStringLiteral("last")).toLongLong();
        auto unitRow = ctx_.database().queryOne(QStringLiteral("SELECT code FROM core_units WHERE id = ?1"), {unit});
        if (!unitRow) return unitRow.error();
        const QString number = numberText(doc->number, today, seq, unitRow->value(QStringLiteral("code")).toString());
        const QHash<QString, QString> document{
            {QStringLiteral("number"), number},
            {QStringLiteral("date"), documentDate(today.toString(Qt::ISODate), QStringLiteral("date"))},
            {QStringLiteral("isoDate"), today.toString(Qt::ISODate)},
            {QStringLiteral("year"), QString::number(today.year())},
            {QStringLiteral("printedBy"), caller.displayName.isEmpty() ? caller.username : caller.displayName},
            {QStringLiteral("link"), all_.recordLink(*this, *id, r)}};
        auto html = fillTemplate(*doc, *existing, *r.access, document);
        if (!html) return html.error();
        auto kept = ctx_.database().execute(
            QStringLiteral("INSERT INTO core_printed_documents(card, record_id, document, number, unit_id, year, seq, printed_on, at, "
                           "user_id, username, "
                           "display_name, html) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"),
            {key(), *id, doc->id, number, unit, today.year(), seq, today.toString(Qt::ISODate), now.toUTC().toString(Qt::ISODateWithMs),
             caller.userId ? QVariant(caller.userId) : QVariant(), caller.username, caller.displayName, *html});
        if (!kept) return kept.error();
        auto row = ctx_.database().queryOne(QStringLiteral("SELECT * FROM core_printed_documents WHERE id = ?1"), {kept->lastInsertId});
        if (!row) return row.error();
        copy = *row;
        return ctx_.events().publish(
            card_.events + QStringLiteral(".printed"),
            QJsonObject{{QStringLiteral("id"), *id}, {QStringLiteral("document"), doc->id}, {QStringLiteral("number"), number}});
    });
    if (!s) return storageError(s.error());
    return Response::created(copyJson(copy, true))
        .withHeader("Location", QStringLiteral("/api/v1/%1/%2/%3/printed/%4")
                                    .arg(pluginId_, card_.resource)
                                    .arg(*id)
                                    .arg(copy.value(QStringLiteral("id")).toLongLong())
                                    .toUtf8());
}

// GET .../{id}/printed/{copy}: a kept copy, as it was printed (to print it again).
Response RecordCard::printedCopy(const Request& r) {
    const auto id = tessera::idParam(r);
    if (!id) return noSuchRecord(r.param(QStringLiteral("id")));
    auto existing = fetch(*id, r.scope, Reach::Shared);
    if (!existing) return storageError(existing.error());
    if (existing->isEmpty()) return noSuchRecord(r.param(QStringLiteral("id")));
    const auto copyId = tessera::idParam(r, QStringLiteral("copy"));
    const Response none =
        Response::notFound(tessera::text("%1 %2 has no printed copy %3", cardName(card_), *id, r.param(QStringLiteral("copy"))));
    if (!copyId) return none;
    auto copy = ctx_.database().queryOne(
        QStringLiteral("SELECT * FROM core_printed_documents WHERE id = ?1 AND card = ?2 AND record_id = ?3"), {*copyId, key(), *id});
    if (!copy) return storageError(copy.error());
    if (copy->isEmpty()) return none;
    return Response::json(copyJson(*copy, true));
}

}  // namespace tessera::host
