#pragma once
// The deployment's file store of records' attachments (docs/records.md, "Attachments"):
// <database>.files/ab/cd/<sha256>, one file per content however many records hold it, and a
// JPEG thumbnail beside an image (<sha256>.thumb.jpg), made when first asked for. core_files
// lists the files on disk, core_attachments what each record's field holds. A file comes from
// an upload by a rename (hashed by streaming, never read whole into memory); the quotas of
// the deployment and of each unit are checked in the transaction that records it; a sweep
// removes what no record holds any more, and what a crash left behind.

#include "runtime/deployment.hpp"
#include "runtime/log.hpp"
#include "services/file_types.hpp"
#include "store/sqlite_store.hpp"

#include <tessera/context.hpp>
#include <tessera/result.hpp>

#include <QDateTime>
#include <QString>

#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace tessera::host {

/// The field of a record that holds attachments.
struct AttachmentPlace {
    QString plugin;
    QString card;  // the card's id in its plugin
    qint64 recordId = 0;
    QString field;
};

/// One file a record's field holds.
struct Attachment {
    qint64 id = 0;
    QString field;
    QString sha256;
    QString name;
    qint64 size = 0;
    QString mime;
    QString kind;        // image, video, audio, document
    QString uploadedBy;  // the uploader's display name, else their user name
    QString uploadedAt;  // UTC, ISO 8601 with milliseconds
};

/// A file to attach: where, whose unit, and what its bytes are.
struct NewAttachment {
    AttachmentPlace place;
    qint64 unitId = 0;  // the record's own unit (its quota)
    QString name;
    qint64 size = 0;
    QString sha256;
    FileType type;
    qint64 userId = 0;
    QString uploadedBy;
    int maxCount = 0;  // the field holds at most this many
};

class AttachmentStore {
public:
    AttachmentStore(SqliteStore& store, QString dir, FileStoreSettings settings, const tessera::Clock& clock, Log log);

    const QString& dir() const { return dir_; }
    /// The SHA-256 of the file at `path` (lower-case hex), read a piece at a time.
    static Result<QString> sha256Of(const QString& path);

    /// Records `a` and takes the file at `source` into the store (moved; when the store holds
    /// the same content already, `source` is left for the caller to remove). Errors:
    /// "attachment.count" (the field holds maxCount files), "files.quota" (the deployment's or
    /// the unit's quota; `unitName` names the unit for people), "disk.full", "attachment.store".
    Result<Attachment> add(const NewAttachment& a, const QString& source, const std::function<QString(qint64)>& unitName);
    /// The files the record holds (every attachments field), oldest first.
    Result<std::vector<Attachment>> list(const QString& plugin, const QString& card, qint64 recordId);
    /// Attachment `id` of `place`; nullopt when it holds none such.
    Result<std::optional<Attachment>> find(const AttachmentPlace& place, qint64 id);
    /// Removes attachment `id` from its record (audited; the file goes with the next sweep).
    Status remove(qint64 id);
    /// The record was deleted: its attachments are kept, marked, for keep-deleted-days. Runs in
    /// the caller's transaction.
    Status recordDeleted(const QString& plugin, const QString& card, qint64 recordId);
    /// Where the file of `sha256` is.
    QString pathOf(const QString& sha256) const;
    /// The thumbnail of image `sha256` (the long side kThumbSize pixels, JPEG), made once;
    /// Error "attachment.thumbnail" when the image cannot be read.
    Result<QString> thumbnail(const QString& sha256);
    /// Forgets the attachments of records deleted longer than keep-deleted-days ago, and
    /// removes the files no attachment holds any more; with `strays`, also files without a
    /// row (a crash between the move and the commit) and unfinished thumbnails.
    void sweep(bool strays = false);

    static constexpr int kThumbSize = 320;
    /// How often, at most, adding a file sweeps too (so a long-running server forgets deleted
    /// records' files when their days are over, without a scheduler).
    static constexpr qint64 kSweepEverySecs = 3600;

private:
    Result<qint64> bytesInUse();
    void sweepLocked(bool strays);
    QDateTime lastSweep_;  // under filesMutex_
    SqliteStore& store_;
    QString dir_;
    FileStoreSettings settings_;
    const tessera::Clock& clock_;
    Log log_;
    std::mutex filesMutex_;  // a file is added or swept at a time: a sweep never takes a file an add has just found
};

}  // namespace tessera::host
