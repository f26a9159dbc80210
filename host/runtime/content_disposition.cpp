#include "runtime/content_disposition.hpp"

#include <QUrl>

namespace tessera::host {

QByteArray contentDisposition(const QString& name, bool inlined) {
    QByteArray ascii;
    for (QChar c : name) ascii += (c.unicode() >= 0x20 && c.unicode() < 0x7F && c != u'"' && c != u'\\') ? char(c.unicode()) : '_';
    return (inlined ? QByteArrayLiteral("inline") : QByteArrayLiteral("attachment")) + "; filename=\"" + ascii + "\"; filename*=UTF-8''" +
           QUrl::toPercentEncoding(name);
}

}  // namespace tessera::host
