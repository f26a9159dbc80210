#pragma once
// The Content-Disposition header of a download: the file's name as given (RFC 6266, with
// RFC 5987's filename* for what is not ASCII; the plain filename keeps ASCII only, for old
// clients). `inlined`: shown in the browser (an image, a video) rather than saved.

#include <QByteArray>
#include <QString>

namespace tessera::host {

QByteArray contentDisposition(const QString& name, bool inlined = false);

}  // namespace tessera::host
