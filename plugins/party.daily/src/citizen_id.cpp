#include "citizen_id.hpp"

#include <array>

namespace party::daily {

namespace {

bool allDigits(const QString& s) {
    for (QChar c : s)
        if (c < QLatin1Char('0') || c > QLatin1Char('9')) return false;
    return true;
}

}  // namespace

QChar citizenIdCheckDigit(const QString& first17) {
    static constexpr std::array<int, 17> weights{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const QString checks = QStringLiteral("10X98765432");
    int sum = 0;
    for (int i = 0; i < 17; ++i) sum += (first17.at(i).unicode() - '0') * weights[static_cast<std::size_t>(i)];
    return checks.at(sum % 11);
}

std::optional<CitizenId> parseCitizenId(const QString& text, QString* why) {
    auto fail = [&](const QString& message) -> std::optional<CitizenId> {
        if (why) *why = message;
        return std::nullopt;
    };
    const QString n = text.trimmed().toUpper();
    if (n.size() != 18) return fail(QStringLiteral("must have 18 characters, not %1").arg(n.size()));
    if (!allDigits(n.left(17))) return fail(QStringLiteral("the first 17 characters must be digits"));
    const QChar last = n.at(17);
    if (!last.isDigit() && last != QLatin1Char('X')) return fail(QStringLiteral("the last character must be a digit or X"));
    auto number = [&](int from, int length) {
        int v = 0;
        for (int i = from; i < from + length; ++i) v = v * 10 + (n.at(i).unicode() - '0');
        return v;
    };
    const QDate birth(number(6, 4), number(10, 2), number(12, 2));
    if (!birth.isValid()) return fail(QStringLiteral("characters 7-14 (%1) are not a real birth date").arg(n.mid(6, 8)));
    if (const QChar expected = citizenIdCheckDigit(n.left(17)); expected != last)
        return fail(QStringLiteral("wrong check digit %1 (expected %2): a digit was mistyped").arg(last).arg(expected));
    return CitizenId{n, birth, (n.at(16).unicode() - '0') % 2 == 1};
}

std::optional<CitizenId> upgradeCitizenId15(const QString& text, QString* why) {
    const QString n = text.trimmed();
    if (n.size() != 15 || !allDigits(n)) {
        if (why) *why = QStringLiteral("a legacy number has 15 digits");
        return std::nullopt;
    }
    const QString first17 = n.left(6) + QStringLiteral("19") + n.mid(6);
    return parseCitizenId(first17 + citizenIdCheckDigit(first17), why);
}

int ageOn(const QDate& birth, const QDate& on) {
    int age = on.year() - birth.year();
    if (on.month() < birth.month() || (on.month() == birth.month() && on.day() < birth.day())) --age;
    return age;
}

}  // namespace party::daily
