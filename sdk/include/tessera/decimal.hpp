#pragma once
// Exact decimals (money): the record engine keeps a decimal field as an integer count of
// 10^-scale units (fen at scale 2) and shows it as text ("12.30"). Plugins computing with such
// values (dues from a base) parse and format them here, never through floating point.

#include <QRegularExpression>
#include <QString>

#include <optional>

namespace tessera {

/// The largest count of units a decimal holds: 15 digits, exact in a double and in JSON.
inline constexpr qint64 kMaxDecimalUnits = 999'999'999'999'999;

/// "12.30" -> 1230 at scale 2 ("12.3", "12", "+12.300" too); nullopt for anything that is not
/// a decimal number with at most `scale` significant digits after the point and at most 15
/// before it.
inline std::optional<qint64> parseDecimal(const QString& input, int scale) {
    static const QRegularExpression shape(QStringLiteral("^([+-]?)([0-9]{1,15})(?:\\.([0-9]*))?$"));
    const auto m = shape.match(input.trimmed());
    if (!m.hasMatch()) return std::nullopt;
    QString fraction = m.captured(3);
    while (fraction.size() > scale && fraction.endsWith(u'0')) fraction.chop(1);  // 12.300 at scale 2 is 12.30
    if (fraction.size() > scale) return std::nullopt;
    fraction = fraction.leftJustified(scale, u'0');
    qint64 units = m.captured(2).toLongLong();
    for (int i = 0; i < scale; ++i) units *= 10;
    if (scale > 0) units += fraction.toLongLong();
    if (units > kMaxDecimalUnits) return std::nullopt;
    return m.captured(1) == u"-" ? -units : units;
}

/// 1230 -> "12.30" at scale 2.
inline QString formatDecimal(qint64 units, int scale) {
    const bool negative = units < 0;
    QString digits = QString::number(negative ? -units : units).rightJustified(scale + 1, u'0');
    if (scale > 0) digits.insert(digits.size() - scale, u'.');
    return negative ? u'-' + digits : digits;
}

/// numerator / denominator rounded half up (away from zero at the half), for a non-negative
/// numerator and a positive denominator: 1 fen of dues at 0.5% of 1.00 yuan is 0.5 -> 1.
inline qint64 divideRoundingHalfUp(qint64 numerator, qint64 denominator) { return (2 * numerator + denominator) / (2 * denominator); }

}  // namespace tessera
