// Attachments bound to records (docs/records.md, "Attachments"): a card's attachments field
// holds files of the kinds it accepts, taken from uploads into the deployment's file store,
// typed by their bytes, within the field's count and size and the deployment's quotas; they
// are read with the record's read scope and changed with its write permission at its own unit.

#include "services/records.hpp"

#include "identity/unit_labels.hpp"
#include "runtime/byte_size.hpp"
#include "runtime/content_disposition.hpp"
#include "runtime/storage_error.hpp"
#include "services/attachment_store.hpp"
#include "services/uploads.hpp"
#include "store/record_tables.hpp"

#include <tessera/params.hpp>

#include <QJsonArray>
#include <QScopeGuard>
#include <QUrl>

namespace tessera::host {

using tessera::FieldError;
using tessera::Request;
using tessera::Response;
using tessera::Row;

namespace {

// The kinds a field takes, for people: 图片 / 视频.
QString kindsForPeople(const QStringList& kinds) {
    QStringList out;
    for (const QString& k : kinds) {
        if (k == u"image")
            out << tessera::text("images");
        else if (k == u"video")
            out << tessera::text("videos");
        else if (k == u"audio")
            out << tessera::text("audio");
        else
            out << tessera::text("documents");
    }
    return out.join(QStringLiteral(" / "));
}

}  // namespace

QJsonObject RecordCard::attachmentJson(const Attachment& a, qint64 recordId) const {
    const QString url =
        QStringLiteral("/api/v1/%1/%2/%3/attachments/%4/%5").arg(pluginId_, card_.resource).arg(recordId).arg(a.field).arg(a.id);
    QJsonObject o{{QStringLiteral("id"), a.id},
                  {QStringLiteral("name"), a.name},
                  {QStringLiteral("size"), a.size},
                  {QStringLiteral("type"), a.mime},
                  {QStringLiteral("kind"), a.kind},
                  {QStringLiteral("uploadedBy"), a.uploadedBy},
                  {QStringLiteral("uploadedAt"), a.uploadedAt},
                  {QStringLiteral("url"), url}};
    if (a.kind == u"image") o.insert(QStringLiteral("thumbUrl"), url + QStringLiteral("?thumb=1"));
    return o;
}

Result<QList<std::pair<const FieldDecl*, QJsonArray>>> RecordCard::attachmentsOf(qint64 id) {
    const auto fields = card_.attachmentFields();
    if (fields.empty() || !all_.attachments()) return QList<std::pair<const FieldDecl*, QJsonArray>>{};
    auto held = all_.attachments()->list(pluginId_, card_.id, id);
    if (!held) return held.error();
    QHash<QString, QJsonArray> byField;
    for (const Attachment& a : *held) byField[a.field].append(attachmentJson(a, id));
    QList<std::pair<const FieldDecl*, QJsonArray>> out;
    for (const FieldDecl* f : fields) out.append({f, byField.value(f->name)});
    return out;
}

Status RecordCard::attachmentsGone(qint64 id) {
    if (card_.attachmentFields().empty() || !all_.attachments()) return {};
    return all_.attachments()->recordDeleted(pluginId_, card_.id, id);
}

std::optional<Response> RecordCard::attachmentPreamble(const Request& r, Row& row, const FieldDecl*& field, bool change,
                                                       const QStringList& params) {
    QList<FieldError> errors;
    tessera::refuseUnknownParams(r, params, errors);
    if (!errors.isEmpty()) return Response::invalid(errors);
    if (auto refused = readRecord(r, row, false)) return refused;
    field = card_.attachmentField(r.param(QStringLiteral("field")));
    if (!field)
        return Response::notFound(tessera::text("%1 has no attachments field %2", cardName(card_), r.param(QStringLiteral("field"))));
    if (!all_.attachments() || !all_.uploads())
        return Response::error(503, tessera::text("Service Unavailable"), tessera::text("this server keeps no attachments"));
    // Only the record's own unit changes it (a transfer's receiver reads its files), with the
    // field's write permission (the card's unless it names its own).
    const QString& write = field->filesWrite.isEmpty() ? card_.writePermission : field->filesWrite;
    if (change && !(r.access && r.access->scope(write).contains(row.value(kScopeColumn).toLongLong()))) {
        const auto [permission, where] = whoMay(write, *unit_, row, r.access);
        return Response::error(403, tessera::text("Forbidden"),
                               tessera::text("only someone who may %1 at %2 changes the files of %3 %4", permission, where, cardName(card_),
                                             row.value(QStringLiteral("id")).toLongLong()));
    }
    return std::nullopt;
}

// GET .../{id}/attachments/{field}: the files the field holds.
Response RecordCard::attachments(const Request& r) {
    Row row;
    const FieldDecl* field = nullptr;
    if (auto refused = attachmentPreamble(r, row, field, false, {})) return *refused;
    const qint64 id = row.value(QStringLiteral("id")).toLongLong();
    auto held = all_.attachments()->list(pluginId_, card_.id, id);
    if (!held) return storageError(held.error());
    QJsonArray items;
    for (const Attachment& a : *held)
        if (a.field == field->name) items.append(attachmentJson(a, id));
    return Response::json(QJsonObject{{QStringLiteral("items"), items}});
}

// POST .../{id}/attachments/{field} {"upload": "<upload id>"}: the upload becomes a file of the
// field, or is refused with the reason; either way the upload is used up.
Response RecordCard::attach(const Request& r) {
    Row row;
    const FieldDecl* field = nullptr;
    if (auto refused = attachmentPreamble(r, row, field, true, {})) return *refused;
    const QString upload = QStringLiteral("upload");
    QList<FieldError> errors;
    const QJsonObject body = r.body.toObject();
    if (!r.body.isObject()) errors.append({upload, tessera::text("send {\"upload\": \"<id>\"} with the id POST /api/v1/files gave")});
    for (auto it = body.constBegin(); it != body.constEnd(); ++it)
        if (it.key() != upload) errors.append({it.key(), tessera::text("unknown field")});
    const QString uploadId = body.value(upload).toString();
    if (r.body.isObject() && uploadId.isEmpty())
        errors.append({upload, tessera::text("required: the id of an upload (POST /api/v1/files)")});
    if (!errors.isEmpty()) return Response::invalid(errors);
    const qint64 userId = r.access->caller().userId;
    auto file = all_.uploads()->find(userId, uploadId);
    if (!file)
        return file.error().code == QLatin1String("upload.not_found") ? Response::invalid({{upload, file.error().message}})
                                                                      : storageError(file.error());
    // From here the upload is this attachment's: taken into the store, or refused and gone.
    const auto usedUp = qScopeGuard([&] { all_.uploads()->discard(uploadId); });
    const QString label = labelOf(field->label, field->name);
    if (file->size > field->maxSize) {
        const QString why = tessera::text("%1 is %2; %3 takes files of at most %4", file->name, formatByteSize(file->size), label,
                                          formatByteSize(field->maxSize));
        return Response::error(413, tessera::text("Content Too Large"), why, {{upload, why}});
    }
    QString unknown;
    const auto type = sniffFileType(file->path, &unknown);
    if (!type || !field->accept.contains(fileKindName(type->kind)))
        return Response::invalid({{upload, tessera::text("%1 is %2; %3 takes %4", file->name, type ? type->description : unknown, label,
                                                         kindsForPeople(field->accept))}});
    auto sha = AttachmentStore::sha256Of(file->path);
    if (!sha) return storageError(sha.error());
    const tessera::Caller& caller = r.access->caller();
    NewAttachment a;
    a.place = {pluginId_, card_.id, row.value(QStringLiteral("id")).toLongLong(), field->name};
    a.unitId = row.value(kScopeColumn).toLongLong();
    a.name = file->name;
    a.size = file->size;
    a.sha256 = *sha;
    a.type = *type;
    a.userId = caller.userId;
    a.uploadedBy = caller.displayName.isEmpty() ? caller.username : caller.displayName;
    a.maxCount = field->maxCount;
    auto added = all_.attachments()->add(a, file->path, [&](qint64 unit) {
        auto known = UnitLabels(ctx_.database(), *r.access, card_.readPermission).label(unit);
        if (known && *known) return (*known)->shown();
        auto named = UnitLabels(ctx_.database(), nullptr).label(unit);
        return named && *named ? (*named)->full() : QString::number(unit);
    });
    if (!added) {
        const Error& e = added.error();
        if (e.code == QLatin1String("attachment.count"))
            return Response::invalid({{upload, tessera::text("%1 takes no more files: %2", label, e.message)}});
        if (e.code == QLatin1String("files.quota")) {
            Response full = Response::error(507, tessera::text("Insufficient Storage"), e.message, {{upload, e.message}});
            QJsonObject problem = full.body.toObject();
            problem.insert(QStringLiteral("code"), e.code);
            full.body = problem;
            return full;
        }
        return storageError(e);
    }
    const QJsonObject json = attachmentJson(*added, a.place.recordId);
    return Response::created(json).withHeader("Location", json.value(QStringLiteral("url")).toString().toUtf8());
}

// GET .../{id}/attachments/{field}/{attachment}[?thumb=1]: the file, from disk, in ranges.
Response RecordCard::attachment(const Request& r) {
    Row row;
    const FieldDecl* field = nullptr;
    if (auto refused = attachmentPreamble(r, row, field, false, {QStringLiteral("thumb")})) return *refused;
    const qint64 recordId = row.value(QStringLiteral("id")).toLongLong();
    bool ok = false;
    const qint64 id = r.param(QStringLiteral("attachment")).toLongLong(&ok);
    auto found =
        ok ? all_.attachments()->find({pluginId_, card_.id, recordId, field->name}, id) : Result<std::optional<Attachment>>(std::nullopt);
    if (!found) return storageError(found.error());
    if (!*found)
        return Response::notFound(tessera::text("%1 %2 holds no file %3 in %4", cardName(card_), recordId,
                                                r.param(QStringLiteral("attachment")), labelOf(field->label, field->name)));
    const Attachment& a = **found;
    const QString thumb = r.queryValue(QStringLiteral("thumb"));
    if (!thumb.isEmpty() && thumb != u"1" && thumb != u"0")
        return Response::invalid({{QStringLiteral("thumb"), tessera::text("expected 1 (a thumbnail of an image) or 0")}});
    if (thumb == u"1" && a.kind == u"image") {
        if (auto path = all_.attachments()->thumbnail(a.sha256)) {
            return Response::fromFile(*path, "image/jpeg")
                .withHeader("ETag", "\"" + a.sha256.toLatin1() + "-thumb\"")
                .withHeader("Cache-Control", "private, max-age=86400")
                .withHeader("X-Content-Type-Options", "nosniff");
        } else {
            // An image Qt cannot read (a WebP without its plugin): the image itself, which the browser scales.
            ctx_.log().warning(QStringLiteral("no thumbnail: %1").arg(path.error().message));
        }
    }
    FileType type;
    type.kind = fileKindFromName(a.kind).value_or(FileKind::Document);
    type.mime = a.mime;
    Response file = Response::fromFile(all_.attachments()->pathOf(a.sha256), a.mime.toLatin1());
    file.withHeader("Accept-Ranges", "bytes")
        .withHeader("ETag", "\"" + a.sha256.toLatin1() + "\"")
        .withHeader("Content-Disposition", contentDisposition(a.name, type.inline_()))
        .withHeader("Cache-Control", "private, max-age=86400")
        .withHeader("X-Content-Type-Options", "nosniff");
    // A file is shown, never run (the browser's PDF viewer is the exception it needs).
    if (a.mime != u"application/pdf")
        file.withHeader("Content-Security-Policy", "default-src 'none'; media-src 'self'; img-src 'self'; sandbox");
    return file;
}

// DELETE .../{id}/attachments/{field}/{attachment}: the file leaves the record (audited); the
// store keeps it while another record holds the same content.
Response RecordCard::detach(const Request& r) {
    Row row;
    const FieldDecl* field = nullptr;
    if (auto refused = attachmentPreamble(r, row, field, true, {})) return *refused;
    const qint64 recordId = row.value(QStringLiteral("id")).toLongLong();
    bool ok = false;
    const qint64 id = r.param(QStringLiteral("attachment")).toLongLong(&ok);
    auto found =
        ok ? all_.attachments()->find({pluginId_, card_.id, recordId, field->name}, id) : Result<std::optional<Attachment>>(std::nullopt);
    if (!found) return storageError(found.error());
    if (!*found)
        return Response::notFound(tessera::text("%1 %2 holds no file %3 in %4", cardName(card_), recordId,
                                                r.param(QStringLiteral("attachment")), labelOf(field->label, field->name)));
    if (auto s = all_.attachments()->remove(id); !s) return storageError(s.error());
    return Response::noContent();
}

}  // namespace tessera::host
