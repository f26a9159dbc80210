#pragma once
// Uploaded files (for imports): the HTTP server streams an upload's body to a file in
// <database>.uploads/incoming/; keep() moves it beside its row in core_uploads. Each upload
// belongs to its uploader alone, a user keeps at most kPerUser of them, and each goes after
// a day (swept as new ones come and at start).

#include "runtime/log.hpp"
#include "store/sqlite_store.hpp"

#include <tessera/context.hpp>
#include <tessera/uploads.hpp>

#include <QJsonObject>
#include <QString>

#include <mutex>

namespace tessera::host {

class UploadStore final : public tessera::Uploads {
public:
    static constexpr int kPerUser = 20;
    static constexpr qint64 kRetentionSecs = 24 * 3600;

    UploadStore(SqliteStore& store, QString dir, const tessera::Clock& clock, Log log);

    /// Where the server writes bodies while they arrive.
    QString incomingDir() const { return dir_ + QStringLiteral("/incoming"); }

    /// Takes the body file the server wrote as `userId`'s upload called `name`. Errors:
    /// "upload.name" (a name that is not a plain file name), "upload.store".
    Result<tessera::UploadedFile> keep(qint64 userId, const QString& name, const QByteArray& contentType, const QString& bodyFile);
    /// `userId`'s upload `id`; Error "upload.not_found" otherwise.
    Result<tessera::UploadedFile> find(qint64 userId, const QString& id);
    /// Removes `userId`'s upload `id`; Error "upload.not_found" if there is none.
    Status remove(qint64 userId, const QString& id);
    /// Forgets upload `id` of whoever made it, with its file if it is still there (used up by
    /// an attachment: moved into the file store, or refused).
    void discard(const QString& id);
    /// Removes uploads past their day, rows and files, and stray files nothing refers to.
    void sweep();

    Result<tessera::UploadedFile> find(const tessera::Request& request, const QString& id) override;

    static QJsonObject toJson(const tessera::UploadedFile& f);

private:
    QString pathOf(const QString& id) const { return dir_ + QLatin1Char('/') + id; }
    Status removeRow(const QString& id);

    SqliteStore& store_;
    QString dir_;
    const tessera::Clock& clock_;
    Log log_;
    std::mutex sweepMutex_;
};

}  // namespace tessera::host
