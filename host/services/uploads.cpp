#include "services/uploads.hpp"

#include "identity/secrets.hpp"
#include "runtime/storage_error.hpp"

#include <tessera/text.hpp>

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstdio>
#include <filesystem>

namespace tessera::host {

namespace {

QString iso(const QDateTime& t) { return t.toUTC().toString(Qt::ISODateWithMs); }

Error notFound(const QString& id) {
    return Error{QStringLiteral("upload.not_found"), tessera::text("no upload '%1' of yours (uploads are kept for a day)", id)};
}

// Ids are ours (hex from randomToken); anything else cannot name a file of ours.
bool plausibleId(const QString& id) {
    if (id.size() != 32) return false;
    for (QChar c : id)
        if (!((c >= QLatin1Char('0') && c <= QLatin1Char('9')) || (c >= QLatin1Char('a') && c <= QLatin1Char('f')))) return false;
    return true;
}

}  // namespace

UploadStore::UploadStore(SqliteStore& store, QString dir, const tessera::Clock& clock, Log log)
    : store_(store), dir_(std::move(dir)), clock_(clock), log_(std::move(log)) {}

Result<tessera::UploadedFile> UploadStore::keep(qint64 userId, const QString& name, const QByteArray& contentType, const QString& bodyFile) {
    const QString plain = QFileInfo(name).fileName();
    if (name.isEmpty() || plain != name || name.size() > 255 || name.startsWith(QLatin1Char('.')))
        return Error{QStringLiteral("upload.name"),
                     tessera::text("'%1' is not a file name: give ?name= a plain name such as members.csv (no folders, at most 255 characters)", name)};
    for (QChar c : name)
        if (c.category() == QChar::Other_Control)
            return Error{QStringLiteral("upload.name"), tessera::text("the file name holds a control character")};
    sweep();
    tessera::UploadedFile f;
    f.id = QString::fromLatin1(QByteArray::fromBase64(randomToken(16).toLatin1(), QByteArray::Base64UrlEncoding).toHex());
    f.name = name;
    f.path = pathOf(f.id);
    f.size = QFileInfo(bodyFile).size();
    f.contentType = contentType.isEmpty() ? QByteArrayLiteral("application/octet-stream") : contentType.left(200);
    // The body is on the same disk: taking it is a rename, which a full disk refuses only
    // when the folder must grow (the answer is then the same as for the body itself).
    std::error_code ec;
    std::filesystem::create_directories(QFile::encodeName(dir_).toStdString(), ec);
    if (!ec && std::rename(QFile::encodeName(bodyFile).constData(), QFile::encodeName(f.path).constData()) != 0)
        ec.assign(errno, std::generic_category());
    if (ec) {
        log_.error(QStringLiteral("cannot move the upload body %1 into %2: %3").arg(bodyFile, dir_, QString::fromStdString(ec.message())));
        return storageError(ec.value(), QStringLiteral("upload.store"), tessera::text("the upload could not be stored"));
    }
    auto w = store_.transaction([&]() -> Status {
        auto in = store_.execute(QStringLiteral("INSERT INTO core_uploads(id, owner_id, name, size, content_type, created_at) "
                                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
                                 {f.id, userId, f.name, f.size, QString::fromLatin1(f.contentType), iso(clock_.now())});
        if (!in) return in.error();
        // A user keeps their newest kPerUser uploads.
        auto old = store_.query(QStringLiteral("SELECT id FROM core_uploads WHERE owner_id = ?1 ORDER BY created_at DESC, rowid DESC LIMIT -1 OFFSET ?2"),
                                {userId, kPerUser});
        if (!old) return old.error();
        for (const auto& row : *old) {
            const QString id = row.value(QStringLiteral("id")).toString();
            if (auto s = removeRow(id); !s) return s;
            QFile::remove(pathOf(id));
        }
        return {};
    });
    if (!w) {
        QFile::remove(f.path);
        log_.error(QStringLiteral("cannot record upload %1: %2").arg(f.id, w.error().message));
        if (w.error().code == kDiskFull) return w.error();
        return Error{QStringLiteral("upload.store"), tessera::text("the upload could not be stored")};
    }
    return f;
}

Result<tessera::UploadedFile> UploadStore::find(qint64 userId, const QString& id) {
    if (!plausibleId(id)) return notFound(id);
    auto row = store_.queryOne(QStringLiteral("SELECT * FROM core_uploads WHERE id = ?1 AND owner_id = ?2 AND created_at >= ?3"),
                               {id, userId, iso(clock_.now().addSecs(-kRetentionSecs))});
    if (!row) return row.error();
    if (row->isEmpty() || !QFileInfo::exists(pathOf(id))) return notFound(id);
    tessera::UploadedFile f;
    f.id = id;
    f.name = row->value(QStringLiteral("name")).toString();
    f.path = pathOf(id);
    f.size = row->value(QStringLiteral("size")).toLongLong();
    f.contentType = row->value(QStringLiteral("content_type")).toString().toLatin1();
    return f;
}

Result<tessera::UploadedFile> UploadStore::find(const tessera::Request& request, const QString& id) {
    if (!request.access || !request.access->caller().userId) return notFound(id);
    return find(request.access->caller().userId, id);
}

Status UploadStore::remove(qint64 userId, const QString& id) {
    auto f = find(userId, id);
    if (!f) return f.error();
    if (auto s = removeRow(id); !s) return s;
    QFile::remove(pathOf(id));
    return {};
}

void UploadStore::discard(const QString& id) {
    if (!plausibleId(id)) return;
    if (auto s = removeRow(id); !s) log_.error(QStringLiteral("cannot forget upload %1: %2").arg(id, s.error().message));
    QFile::remove(pathOf(id));
}

Status UploadStore::removeRow(const QString& id) {
    auto w = store_.execute(QStringLiteral("DELETE FROM core_uploads WHERE id = ?1"), {id});
    if (!w) return w.error();
    return {};
}

void UploadStore::sweep() {
    std::lock_guard lock(sweepMutex_);
    const QDateTime cutoff = clock_.now().addSecs(-kRetentionSecs);
    auto old = store_.query(QStringLiteral("SELECT id FROM core_uploads WHERE created_at < ?1"), {iso(cutoff)});
    if (!old) {
        log_.error(QStringLiteral("cannot sweep uploads: %1").arg(old.error().message));
        return;
    }
    for (const auto& row : *old) {
        const QString id = row.value(QStringLiteral("id")).toString();
        if (removeRow(id)) QFile::remove(pathOf(id));
    }
    // Files without a row (a crash between the move and the insert) and bodies the server
    // left behind when the process died mid-upload. Their age is the file system's: it stamps
    // them by the machine's time, so a host clock set ahead (tests) never takes a body that
    // is still arriving.
    const QDateTime fileCutoff = QDateTime::currentDateTimeUtc().addSecs(-kRetentionSecs);
    for (const QString& folder : {dir_, incomingDir()}) {
        for (const QFileInfo& f : QDir(folder).entryInfoList(QDir::Files)) {
            if (f.lastModified().toUTC() >= fileCutoff) continue;
            QFile::remove(f.absoluteFilePath());
        }
    }
}

QJsonObject UploadStore::toJson(const tessera::UploadedFile& f) {
    return QJsonObject{{QStringLiteral("id"), f.id},
                       {QStringLiteral("name"), f.name},
                       {QStringLiteral("size"), f.size},
                       {QStringLiteral("contentType"), QString::fromLatin1(f.contentType)},
                       {QStringLiteral("href"), QStringLiteral("/api/v1/files/") + f.id}};
}

}  // namespace tessera::host
