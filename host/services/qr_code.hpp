#pragma once
// QR codes in printed documents (docs/records.md, "Documents"): a text, such as a record's
// link, as an inline SVG a template places with {{...|qr}}, drawn by libqrencode, so the
// printed page needs no image from elsewhere.

#include <tessera/result.hpp>

#include <QString>

#include <vector>

namespace tessera::host {

/// A QR code's modules: size x size, row by row, true where dark (the quiet zone not included).
struct QrModules {
    int size = 0;
    std::vector<bool> dark;
    bool at(int x, int y) const { return dark[static_cast<std::size_t>(y) * static_cast<std::size_t>(size) + static_cast<std::size_t>(x)]; }
};

/// `text` (UTF-8, 8-bit mode, error correction M) as QR modules; an Error when it is too long
/// for a QR code.
Result<QrModules> qrModules(const QString& text);

/// The QR code of `text` as an inline <svg>: one path of unit squares in a viewBox with a
/// quiet zone of four modules, `data-qr` holding the text, sized by CSS (class "qr"; 30mm
/// unless the template says otherwise).
Result<QString> qrSvg(const QString& text);

}  // namespace tessera::host
