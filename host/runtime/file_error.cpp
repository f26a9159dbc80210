#include "runtime/file_error.hpp"

namespace tessera::host {

QString FileError::toString() const {
    if (line > 0) return QStringLiteral("%1:%2: %3").arg(file).arg(line).arg(message);
    return QStringLiteral("%1: %2").arg(file, message);
}

}  // namespace tessera::host
