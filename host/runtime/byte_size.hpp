#pragma once
// Sizes as people write them in manifests and configs: 200MB, 2GB, 512KB, 1048576 (bytes).
// Units are binary (1 KB = 1024 bytes), as disks and file managers on the desktop show them.

#include <QString>

#include <optional>

namespace tessera::host {

/// "200MB" -> 209715200; digits then B, KB, MB, GB or TB (any case, a space allowed between),
/// or digits alone (bytes). nullopt for anything else, zero, or more than 2^62 bytes.
std::optional<qint64> parseByteSize(const QString& text);

/// A size as people read it: 200 MB, 1.5 GB, 512 KB, 300 B.
QString formatByteSize(qint64 bytes);

}  // namespace tessera::host
