#pragma once
// Failures to write the files the host creates (exports, job outputs, upload bodies). A full
// disk (ENOSPC, EDQUOT) is an error of its own, code "disk.full", so that every boundary
// answers it the same way: HTTP 507, or a failed job, in the user's language. No message
// names a server path: people see what went wrong, the log says where.

#include "runtime/language.hpp"

#include <tessera/http.hpp>
#include <tessera/result.hpp>

#include <QString>

namespace tessera::host {

/// The error code of a full disk or an exhausted quota.
inline const QString kDiskFull = QStringLiteral("disk.full");

/// Whether `errnum` (an errno value) says the disk or the quota is full.
bool isDiskFull(int errnum);

/// Error "disk.full" (message: diskFullMessage in zh-CN) when `errnum` says the disk is full,
/// else Error `code` "<what>: <the system's reason>".
tessera::Error storageError(int errnum, const QString& code, const QString& what);

/// The HTTP answer to a full disk: 507 Insufficient Storage, problem+json with code
/// "disk.full" and the message in `language`.
tessera::Response diskFullResponse(Language language);

/// Flushes `fd` to the disk and closes it, checking both: a full disk often shows only here
/// (delayed allocation, network file systems). Returns 0 or the errno of the first failure;
/// the descriptor is closed either way. A device that cannot be synced is not a failure.
int syncAndClose(int fd);

/// Removes `path` when it is a regular file (through a symbolic link, only the link): what a
/// failed writer leaves is never kept, and never is a device or a folder removed.
void removePartialFile(const QString& path);

}  // namespace tessera::host
