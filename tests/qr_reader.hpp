#pragma once
// Reads back the QR code a printed document carries (docs/records.md, "Documents"): the
// first <svg class="qr"> of the HTML, its modules taken from the drawing, decoded by zbar.

#include <QString>

#include <optional>

namespace tessera::test {

/// The text the first QR code of `html` encodes, as a reader reads it from the drawing;
/// nullopt when there is none or it does not read. Built without zbar, the drawing is
/// compared module by module with the symbol libqrencode makes of the text it claims.
std::optional<QString> readQrCode(const QString& html);

/// Whether readQrCode decodes with zbar (else it compares with libqrencode).
bool qrReaderIsZbar();

}  // namespace tessera::test
