#pragma once
// Files users upload for imports. A browser or script sends the file's bytes as the body of
// POST /api/v1/files?name=<file name> (any content type, streamed to disk, up to the
// deployment's upload limit) and gets an id back; an import route then takes that id and
// reads the file in a job. Uploads are private to their uploader and kept for a day.

#include <tessera/http.hpp>
#include <tessera/result.hpp>

#include <QByteArray>
#include <QString>

namespace tessera {

/// An uploaded file as a plugin sees it.
struct UploadedFile {
    QString id;
    QString name;  // the file name the uploader gave ("党员名册.xlsx")
    QString path;  // where its bytes are; read it, never write or move it
    qint64 size = 0;
    QByteArray contentType;
};

class Uploads {
public:
    virtual ~Uploads() = default;
    /// The file the caller of `request` uploaded as `id`. Error "upload.not_found" when there
    /// is none by that id, it is someone else's, or it has expired (the message says which
    /// id, never whose it is).
    virtual Result<UploadedFile> find(const Request& request, const QString& id) = 0;
};

}  // namespace tessera
