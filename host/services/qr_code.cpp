#include "services/qr_code.hpp"

#include <qrencode.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace tessera::host {

Result<QrModules> qrModules(const QString& text) {
    const QByteArray utf8 = text.toUtf8();
    // 8-bit mode: a URL's lower-case letters and punctuation are not in QR's alphanumeric set,
    // and a reader gets the bytes back exactly. M corrects a smudge on paper (15%).
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeData(static_cast<int>(utf8.size()), reinterpret_cast<const unsigned char*>(utf8.constData()), 0, QR_ECLEVEL_M),
        &QRcode_free);
    if (!code)
        return Error{QStringLiteral("document.qr"),
                     QStringLiteral("no QR code of %1 characters: %2").arg(text.size()).arg(QString::fromLocal8Bit(std::strerror(errno)))};
    QrModules m;
    m.size = code->width;
    m.dark.resize(static_cast<std::size_t>(m.size) * static_cast<std::size_t>(m.size));
    // libqrencode's byte per module: bit 0 is dark, the others say what the module is for.
    for (std::size_t i = 0; i < m.dark.size(); ++i) m.dark[i] = (code->data[i] & 1) != 0;
    return m;
}

Result<QString> qrSvg(const QString& text) {
    auto m = qrModules(text);
    if (!m) return m.error();
    constexpr int quiet = 4;  // the quiet zone the standard asks for around the symbol
    const int side = m->size + 2 * quiet;
    QString path;
    for (int y = 0; y < m->size; ++y)
        for (int x = 0; x < m->size; ++x)
            if (m->at(x, y)) path += QStringLiteral("M%1 %2h1v1h-1z").arg(x + quiet).arg(y + quiet);
    return QStringLiteral(
               "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %1 %1\" width=\"30mm\" height=\"30mm\" "
               "shape-rendering=\"crispEdges\" data-qr=\"%2\">"
               "<rect width=\"%1\" height=\"%1\" fill=\"#fff\"/><path fill=\"#000\" d=\"%3\"/></svg>")
        .arg(side)
        .arg(text.toHtmlEscaped(), path);
}

}  // namespace tessera::host
