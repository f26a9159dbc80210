#include "runtime/storage_error.hpp"

#include <QFile>
#include <QJsonObject>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <unistd.h>

namespace tessera::host {

bool isDiskFull(int errnum) { return errnum == ENOSPC || errnum == EDQUOT; }

tessera::Error storageError(int errnum, const QString& code, const QString& what) {
    if (isDiskFull(errnum)) return tessera::Error{kDiskFull, diskFullMessage(Language::ZhCN)};
    return tessera::Error{code, QStringLiteral("%1: %2").arg(what, QString::fromLocal8Bit(std::strerror(errnum)))};
}

tessera::Response diskFullResponse(Language language) {
    tessera::Response r = tessera::Response::error(507, QStringLiteral("Insufficient Storage"), diskFullMessage(language));
    QJsonObject body = r.body.toObject();
    body.insert(QStringLiteral("code"), kDiskFull);
    r.body = body;
    return r;
}

int syncAndClose(int fd) {
    int failure = 0;
    if (::fsync(fd) != 0 && errno != EINVAL && errno != EROFS && errno != ENOTSUP) failure = errno;
    // close() is not retried after EINTR on Linux: the descriptor is gone either way.
    if (::close(fd) != 0 && !failure && errno != EINTR) failure = errno;
    return failure;
}

void removePartialFile(const QString& path) {
    std::error_code ec;
    const std::filesystem::path p(QFile::encodeName(path).toStdString());
    // A link is removed as a link (remove() does not follow it); its target stays.
    if (std::filesystem::is_symlink(std::filesystem::symlink_status(p, ec)) || std::filesystem::is_regular_file(p, ec))
        std::filesystem::remove(p, ec);
}

}  // namespace tessera::host
