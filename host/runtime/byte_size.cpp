#include "runtime/byte_size.hpp"

#include <QRegularExpression>

namespace tessera::host {

std::optional<qint64> parseByteSize(const QString& text) {
    static const QRegularExpression form(QStringLiteral("^\\s*([0-9]{1,19})\\s*([KMGT]?B?)\\s*$"),
                                         QRegularExpression::CaseInsensitiveOption);
    const auto m = form.match(text);
    if (!m.hasMatch()) return std::nullopt;
    bool ok = false;
    const qulonglong n = m.captured(1).toULongLong(&ok);
    if (!ok || n == 0) return std::nullopt;
    const QString unit = m.captured(2).toUpper();
    int shift = 0;
    if (unit.startsWith(u'K'))
        shift = 10;
    else if (unit.startsWith(u'M'))
        shift = 20;
    else if (unit.startsWith(u'G'))
        shift = 30;
    else if (unit.startsWith(u'T'))
        shift = 40;
    else if (!unit.isEmpty() && unit != u"B")
        return std::nullopt;
    if (n > (qulonglong{1} << (62 - shift))) return std::nullopt;
    return static_cast<qint64>(n << shift);
}

QString formatByteSize(qint64 bytes) {
    static const char* const units[] = {"B", "KB", "MB", "GB", "TB"};
    int unit = 0;
    while (unit < 4 && bytes >= (qint64{1} << (10 * (unit + 1)))) ++unit;
    const qint64 scale = qint64{1} << (10 * unit);
    const QString name = QString::fromLatin1(units[unit]);
    if (bytes % scale == 0) return QStringLiteral("%1 %2").arg(bytes / scale).arg(name);
    // One decimal, rounded half up, in whole numbers (200.5 MB).
    // (unit >= 1 here: every size is a whole number of bytes.)
    const qint64 rounded = (bytes / (scale / 1024) * 10 + 512) / 1024;
    return QStringLiteral("%1.%2 %3").arg(rounded / 10).arg(rounded % 10).arg(name);
}

}  // namespace tessera::host
