#include "qr_reader.hpp"

#include "services/qr_code.hpp"

#include <QImage>
#include <QRegularExpression>

#ifdef TESSERA_HAVE_ZBAR
#include <zbar.h>
#endif

namespace tessera::test {

namespace {

// The drawing's modules: the viewBox's side, and each "Mx yh1v1h-1z" square of the path.
struct Drawing {
    int side = 0;
    QImage image;  // 8 pixels a module, white with black squares
    QString claimed;
};

std::optional<Drawing> drawingOf(const QString& html) {
    static const QRegularExpression svgRe(QStringLiteral("<svg class=\"qr\"[^>]*>.*?</svg>"),
                                          QRegularExpression::DotMatchesEverythingOption);
    const auto svg = svgRe.match(html);
    if (!svg.hasMatch()) return std::nullopt;
    const QString text = svg.captured(0);
    static const QRegularExpression viewBox(QStringLiteral("viewBox=\"0 0 (\\d+) (\\d+)\""));
    static const QRegularExpression claimed(QStringLiteral("data-qr=\"([^\"]*)\""));
    static const QRegularExpression square(QStringLiteral("M(\\d+) (\\d+)h1v1h-1z"));
    const auto box = viewBox.match(text);
    if (!box.hasMatch()) return std::nullopt;
    Drawing d;
    d.side = box.captured(1).toInt();
    constexpr int scale = 8;
    d.image = QImage(d.side * scale, d.side * scale, QImage::Format_Grayscale8);
    d.image.fill(255);
    for (const auto& m : square.globalMatch(text)) {
        const int x = m.captured(1).toInt(), y = m.captured(2).toInt();
        for (int dy = 0; dy < scale; ++dy)
            for (int dx = 0; dx < scale; ++dx) d.image.setPixel(x * scale + dx, y * scale + dy, qRgb(0, 0, 0));
    }
    d.claimed = claimed.match(text).captured(1);
    // The attribute is HTML-escaped, as the template got it.
    d.claimed.replace(QStringLiteral("&quot;"), QStringLiteral("\""))
        .replace(QStringLiteral("&lt;"), QStringLiteral("<"))
        .replace(QStringLiteral("&gt;"), QStringLiteral(">"))
        .replace(QStringLiteral("&amp;"), QStringLiteral("&"));
    return d;
}

}  // namespace

bool qrReaderIsZbar() {
#ifdef TESSERA_HAVE_ZBAR
    return true;
#else
    return false;
#endif
}

std::optional<QString> readQrCode(const QString& html) {
    const auto d = drawingOf(html);
    if (!d) return std::nullopt;
#ifdef TESSERA_HAVE_ZBAR
    using namespace zbar;  // zbar.h declares its C API in namespace zbar for C++
    zbar_image_scanner_t* scanner = zbar_image_scanner_create();
    zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    QImage gray = d->image;
    const int w = gray.width(), h = gray.height();
    QByteArray pixels;
    for (int y = 0; y < h; ++y) pixels.append(reinterpret_cast<const char*>(gray.constScanLine(y)), w);
    zbar_image_t* image = zbar_image_create();
    zbar_image_set_format(image, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(image, static_cast<unsigned>(w), static_cast<unsigned>(h));
    zbar_image_set_data(image, pixels.constData(), static_cast<unsigned long>(pixels.size()), nullptr);
    std::optional<QString> out;
    if (zbar_scan_image(scanner, image) > 0)
        if (const zbar_symbol_t* symbol = zbar_image_first_symbol(image))
            out = QString::fromUtf8(zbar_symbol_get_data(symbol), static_cast<qsizetype>(zbar_symbol_get_data_length(symbol)));
    zbar_image_destroy(image);
    zbar_image_scanner_destroy(scanner);
    return out;
#else
    auto expected = tessera::host::qrModules(d->claimed);
    if (!expected || expected->size + 8 != d->side) return std::nullopt;
    for (int y = 0; y < expected->size; ++y)
        for (int x = 0; x < expected->size; ++x)
            if (expected->at(x, y) != (qGray(d->image.pixel((x + 4) * 8, (y + 4) * 8)) < 128)) return std::nullopt;
    return d->claimed;
#endif
}

}  // namespace tessera::test
