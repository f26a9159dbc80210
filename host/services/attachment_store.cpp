#include "services/attachment_store.hpp"

#include "runtime/byte_size.hpp"
#include "runtime/storage_error.hpp"

#include <tessera/text.hpp>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QImageReader>
#include <QPainter>
#include <QRandomGenerator>

#include <openssl/evp.h>

#include <memory>

#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <unistd.h>

namespace tessera::host {

namespace {

QString iso(const QDateTime& t) { return t.toUTC().toString(Qt::ISODateWithMs); }

bool plausibleHash(const QString& sha256) {
    if (sha256.size() != 64) return false;
    for (QChar c : sha256)
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f'))) return false;
    return true;
}

Attachment attachmentOf(const tessera::Row& row) {
    Attachment a;
    a.id = row.value(QStringLiteral("id")).toLongLong();
    a.field = row.value(QStringLiteral("field")).toString();
    a.sha256 = row.value(QStringLiteral("sha256")).toString();
    a.name = row.value(QStringLiteral("name")).toString();
    a.size = row.value(QStringLiteral("size")).toLongLong();
    a.mime = row.value(QStringLiteral("mime")).toString();
    a.kind = row.value(QStringLiteral("kind")).toString();
    a.uploadedBy = row.value(QStringLiteral("uploaded_by_name")).toString();
    a.uploadedAt = row.value(QStringLiteral("uploaded_at")).toString();
    return a;
}

const QString kColumns = QStringLiteral("id, field, sha256, name, size, mime, kind, uploaded_by_name, uploaded_at");

// Copies `from` to `to` a piece at a time (another disk: no rename), flushed to disk; on any
// failure nothing of `to` is left. Returns 0 or the errno.
int copyFile(const QString& from, const QString& to) {
    const int in = ::open(QFile::encodeName(from).constData(), O_RDONLY | O_CLOEXEC);
    if (in < 0) return errno;
    const int out = ::open(QFile::encodeName(to).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (out < 0) {
        const int e = errno;
        ::close(in);
        return e;
    }
    int failure = 0;
    std::vector<char> buffer(1 << 20);
    for (;;) {
        const ssize_t n = ::read(in, buffer.data(), buffer.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            failure = errno;
            break;
        }
        if (n == 0) break;
        for (ssize_t done = 0; done < n;) {
            const ssize_t w = ::write(out, buffer.data() + done, static_cast<std::size_t>(n - done));
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) {
                failure = errno;
                break;
            }
            done += w;
        }
        if (failure) break;
    }
    ::close(in);
    const int closed = syncAndClose(out);
    if (!failure) failure = closed;
    if (failure) removePartialFile(to);
    return failure;
}

}  // namespace

AttachmentStore::AttachmentStore(SqliteStore& store, QString dir, FileStoreSettings settings, const tessera::Clock& clock, Log log)
    : store_(store), dir_(std::move(dir)), settings_(settings), clock_(clock), log_(std::move(log)) {}

QString AttachmentStore::pathOf(const QString& sha256) const {
    return QStringLiteral("%1/%2/%3/%4").arg(dir_, sha256.left(2), sha256.mid(2, 2), sha256);
}

Result<QString> AttachmentStore::sha256Of(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("attachment.store"), QStringLiteral("cannot read %1: %2").arg(path, f.errorString())};
    // OpenSSL's SHA-256 uses the CPU's SHA extensions where it has them: ~5x libsodium's
    // portable one here, which made hashing a 1 GiB video the slowest step of attaching it
    // (bench/upload-stream.sh).
    const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
        return Error{QStringLiteral("attachment.store"), QStringLiteral("cannot hash %1: OpenSSL's SHA-256 is unavailable").arg(path)};
    QByteArray buffer(1 << 20, Qt::Uninitialized);
    for (;;) {
        const qint64 n = f.read(buffer.data(), buffer.size());
        if (n < 0) return Error{QStringLiteral("attachment.store"), QStringLiteral("cannot read %1: %2").arg(path, f.errorString())};
        if (n == 0) break;
        EVP_DigestUpdate(ctx.get(), buffer.constData(), static_cast<std::size_t>(n));
    }
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx.get(), digest, &length);
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(digest), static_cast<qsizetype>(length)).toHex());
}

Result<qint64> AttachmentStore::bytesInUse() {
    auto row = store_.queryOne(QStringLiteral("SELECT coalesce(sum(size), 0) AS n FROM core_files"));
    if (!row) return row.error();
    return row->value(QStringLiteral("n")).toLongLong();
}

Result<Attachment> AttachmentStore::add(const NewAttachment& a, const QString& source, const std::function<QString(qint64)>& unitName) {
    std::lock_guard lock(filesMutex_);
    const QString target = pathOf(a.sha256);
    const QString now = iso(clock_.now());
    bool moved = false;  // the file is ours now: removed again if the transaction fails
    Attachment out;
    auto s = store_.transaction([&]() -> Status {
        auto held = store_.queryOne(QStringLiteral("SELECT count(*) AS n FROM core_attachments WHERE plugin = ?1 AND card = ?2 AND "
                                                   "record_id = ?3 AND field = ?4 AND deleted_at IS NULL"),
                                    {a.place.plugin, a.place.card, a.place.recordId, a.place.field});
        if (!held) return held.error();
        if (held->value(QStringLiteral("n")).toLongLong() >= a.maxCount)
            return Error{QStringLiteral("attachment.count"), tessera::text("it holds %1 files already, the most it takes", a.maxCount)};
        auto known = store_.queryOne(QStringLiteral("SELECT size FROM core_files WHERE sha256 = ?1"), {a.sha256});
        if (!known) return known.error();
        const bool newFile = known->isEmpty() || !QFileInfo::exists(target);
        if (settings_.quota > 0 && known->isEmpty()) {
            auto used = bytesInUse();
            if (!used) return used.error();
            if (*used + a.size > settings_.quota)
                return Error{QStringLiteral("files.quota"),
                             tessera::text("the deployment's files would exceed their quota of %1 (%2 in use, this file is %3); ask the "
                                           "administrator to free space or raise the quota",
                                           formatByteSize(settings_.quota), formatByteSize(*used), formatByteSize(a.size))};
        }
        if (settings_.unitQuota > 0) {
            auto used = store_.queryOne(QStringLiteral("SELECT coalesce(sum(size), 0) AS n FROM core_attachments WHERE unit_id = ?1 "
                                                       "AND deleted_at IS NULL"),
                                        {a.unitId});
            if (!used) return used.error();
            const qint64 n = used->value(QStringLiteral("n")).toLongLong();
            if (n + a.size > settings_.unitQuota)
                return Error{
                    QStringLiteral("files.quota"),
                    tessera::text("the files of %1 would exceed the quota of each unit, %2 (%3 in use, this file is %4); "
                                  "delete files of its records or ask the administrator to raise the quota",
                                  unitName(a.unitId), formatByteSize(settings_.unitQuota), formatByteSize(n), formatByteSize(a.size))};
        }
        if (known->isEmpty()) {
            auto in = store_.execute(QStringLiteral("INSERT INTO core_files(sha256, size, created_at) VALUES (?1, ?2, ?3)"),
                                     {a.sha256, a.size, now});
            if (!in) return in.error();
        }
        auto in = store_.execute(
            QStringLiteral("INSERT INTO core_attachments(plugin, card, record_id, field, unit_id, sha256, name, "
                           "size, mime, kind, uploaded_by, uploaded_by_name, uploaded_at) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"),
            {a.place.plugin, a.place.card, a.place.recordId, a.place.field, a.unitId ? QVariant(a.unitId) : QVariant(), a.sha256, a.name,
             a.size, a.type.mime, fileKindName(a.type.kind), a.userId ? QVariant(a.userId) : QVariant(), a.uploadedBy, now});
        if (!in) return in.error();
        out.id = in->lastInsertId;
        if (!newFile) return {};
        // The file last, so that a refusal above leaves the store as it was.
        std::error_code ec;
        std::filesystem::create_directories(QFile::encodeName(QFileInfo(target).absolutePath()).toStdString(), ec);
        if (ec) return storageError(ec.value(), QStringLiteral("attachment.store"), tessera::text("the file could not be stored"));
        if (std::rename(QFile::encodeName(source).constData(), QFile::encodeName(target).constData()) != 0) {
            if (errno != EXDEV)
                return storageError(errno, QStringLiteral("attachment.store"), tessera::text("the file could not be stored"));
            // The uploads are on another disk: copied, then renamed into place whole.
            const QString part = target + QStringLiteral(".part");
            if (const int failure = copyFile(source, part))
                return storageError(failure, QStringLiteral("attachment.store"), tessera::text("the file could not be stored"));
            if (std::rename(QFile::encodeName(part).constData(), QFile::encodeName(target).constData()) != 0) {
                const int failure = errno;
                removePartialFile(part);
                return storageError(failure, QStringLiteral("attachment.store"), tessera::text("the file could not be stored"));
            }
        }
        moved = true;
        return {};
    });
    if (!s) {
        if (moved) removePartialFile(target);
        if (s.error().code != QLatin1String("attachment.count") && s.error().code != QLatin1String("files.quota"))
            log_.error(QStringLiteral("cannot attach %1 to %2/%3 %4: %5")
                           .arg(a.name, a.place.plugin, a.place.card)
                           .arg(a.place.recordId)
                           .arg(s.error().message));
        return s.error();
    }
    if (!lastSweep_.isValid() || lastSweep_.secsTo(clock_.now()) >= kSweepEverySecs) sweepLocked(false);
    out.field = a.place.field;
    out.sha256 = a.sha256;
    out.name = a.name;
    out.size = a.size;
    out.mime = a.type.mime;
    out.kind = fileKindName(a.type.kind);
    out.uploadedBy = a.uploadedBy;
    out.uploadedAt = now;
    return out;
}

Result<std::vector<Attachment>> AttachmentStore::list(const QString& plugin, const QString& card, qint64 recordId) {
    auto rows = store_.query(QStringLiteral("SELECT %1 FROM core_attachments WHERE plugin = ?1 AND card = ?2 AND record_id = ?3 AND "
                                            "deleted_at IS NULL ORDER BY id")
                                 .arg(kColumns),
                             {plugin, card, recordId});
    if (!rows) return rows.error();
    std::vector<Attachment> out;
    for (const auto& row : *rows) out.push_back(attachmentOf(row));
    return out;
}

Result<std::optional<Attachment>> AttachmentStore::find(const AttachmentPlace& place, qint64 id) {
    auto row = store_.queryOne(QStringLiteral("SELECT %1 FROM core_attachments WHERE id = ?1 AND plugin = ?2 AND card = ?3 AND "
                                              "record_id = ?4 AND field = ?5 AND deleted_at IS NULL")
                                   .arg(kColumns),
                               {id, place.plugin, place.card, place.recordId, place.field});
    if (!row) return row.error();
    if (row->isEmpty()) return std::optional<Attachment>();
    return std::optional<Attachment>(attachmentOf(*row));
}

Status AttachmentStore::remove(qint64 id) {
    auto w = store_.execute(QStringLiteral("DELETE FROM core_attachments WHERE id = ?1"), {id});
    if (!w) return w.error();
    sweep();
    return {};
}

Status AttachmentStore::recordDeleted(const QString& plugin, const QString& card, qint64 recordId) {
    auto w = store_.execute(QStringLiteral("UPDATE core_attachments SET deleted_at = ?4 WHERE plugin = ?1 AND card = ?2 AND record_id = ?3 "
                                           "AND deleted_at IS NULL"),
                            {plugin, card, recordId, iso(clock_.now())});
    if (!w) return w.error();
    return {};
}

Result<QString> AttachmentStore::thumbnail(const QString& sha256) {
    if (!plausibleHash(sha256)) return Error{QStringLiteral("attachment.thumbnail"), QStringLiteral("no such file")};
    const QString path = pathOf(sha256) + QStringLiteral(".thumb.jpg");
    if (QFileInfo::exists(path)) return path;
    QImageReader reader(pathOf(sha256));
    reader.setAutoTransform(true);  // as the camera held it (EXIF orientation)
    const QSize size = reader.size();
    if (size.isValid() && (size.width() > kThumbSize || size.height() > kThumbSize))
        reader.setScaledSize(
            size.scaled(kThumbSize, kThumbSize, Qt::KeepAspectRatio));  // decoded small: a big photo never sits whole in memory
    QImage image = reader.read();
    if (image.isNull())
        return Error{QStringLiteral("attachment.thumbnail"), QStringLiteral("cannot read image %1: %2").arg(sha256, reader.errorString())};
    if (image.width() > kThumbSize || image.height() > kThumbSize)
        image = image.scaled(kThumbSize, kThumbSize, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    if (image.hasAlphaChannel()) {
        // JPEG has no transparency: on white, as the page shows it.
        QImage flat(image.size(), QImage::Format_RGB32);
        flat.fill(Qt::white);
        QPainter painter(&flat);
        painter.drawImage(0, 0, image);
        painter.end();
        image = flat;
    }
    // Written beside it and renamed: a reader never sees half a thumbnail.
    const QString part = path + QStringLiteral(".%1.part").arg(QRandomGenerator::global()->generate64(), 0, 16);
    if (!image.save(part, "JPEG", 85)) {
        removePartialFile(part);
        return Error{QStringLiteral("attachment.thumbnail"), QStringLiteral("cannot write the thumbnail of %1").arg(sha256)};
    }
    if (std::rename(QFile::encodeName(part).constData(), QFile::encodeName(path).constData()) != 0) {
        removePartialFile(part);
        return Error{QStringLiteral("attachment.thumbnail"), QStringLiteral("cannot write the thumbnail of %1").arg(sha256)};
    }
    return path;
}

void AttachmentStore::sweep(bool strays) {
    std::lock_guard lock(filesMutex_);
    sweepLocked(strays);
}

void AttachmentStore::sweepLocked(bool strays) {
    lastSweep_ = clock_.now();
    const QString cutoff = iso(clock_.now().addDays(-settings_.keepDeletedDays));
    QStringList gone;
    auto s = store_.transaction([&]() -> Status {
        auto purged =
            store_.execute(QStringLiteral("DELETE FROM core_attachments WHERE deleted_at IS NOT NULL AND deleted_at <= ?1"), {cutoff});
        if (!purged) return purged.error();
        auto orphans =
            store_.query(QStringLiteral("SELECT sha256 FROM core_files f WHERE NOT EXISTS "
                                        "(SELECT 1 FROM core_attachments a WHERE a.sha256 = f.sha256)"));
        if (!orphans) return orphans.error();
        for (const auto& row : *orphans) {
            const QString sha = row.value(QStringLiteral("sha256")).toString();
            auto d = store_.execute(QStringLiteral("DELETE FROM core_files WHERE sha256 = ?1"), {sha});
            if (!d) return d.error();
            gone << sha;
        }
        return {};
    });
    if (!s) {
        log_.error(QStringLiteral("cannot sweep the file store: %1").arg(s.error().message));
        return;
    }
    for (const QString& sha : gone) {
        removePartialFile(pathOf(sha));
        removePartialFile(pathOf(sha) + QStringLiteral(".thumb.jpg"));
        // Empty folders go too, so the store holds what it has and nothing else.
        QDir().rmdir(QFileInfo(pathOf(sha)).absolutePath());
        QDir().rmdir(QFileInfo(QFileInfo(pathOf(sha)).absolutePath()).absolutePath());
    }
    if (!strays) return;
    const QDateTime old = clock_.now().addSecs(-3600);
    QDirIterator it(dir_, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QFileInfo f(it.next());
        QString sha = f.fileName();
        if (sha.endsWith(QStringLiteral(".part"))) {
            if (f.lastModified() < old) removePartialFile(f.absoluteFilePath());
            continue;
        }
        if (sha.endsWith(QStringLiteral(".thumb.jpg"))) sha.chop(10);
        auto row = store_.queryOne(QStringLiteral("SELECT 1 AS x FROM core_files WHERE sha256 = ?1"), {sha});
        if (row && row->isEmpty()) removePartialFile(f.absoluteFilePath());
    }
}

}  // namespace tessera::host
