#include "citizen_id.hpp"

#include <tessera/text.hpp>

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

bool isProvinceCode(int p) {
    return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) || (p >= 41 && p <= 46) ||
           (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p == 71 || p == 81 || p == 82;
}

std::optional<CitizenId> parseCitizenId(const QString& text, QString* why, const QDate& today) {
    auto fail = [&](const QString& message) -> std::optional<CitizenId> {
        if (why) *why = message;
        return std::nullopt;
    };
    const QString n = text.trimmed().toUpper();
    if (n.size() == 15) return upgradeCitizenId15(n, why, today);
    if (n.size() != 18) return fail(tessera::text("must have 18 characters (or 15 for an old number), not %1", n.size()));
    if (!allDigits(n.left(17))) return fail(tessera::text("the first 17 characters must be digits"));
    const QChar last = n.at(17);
    if (!last.isDigit() && last != QLatin1Char('X')) return fail(tessera::text("the last character must be a digit or X"));
    auto number = [&](int from, int length) {
        int v = 0;
        for (int i = from; i < from + length; ++i) v = v * 10 + (n.at(i).unicode() - '0');
        return v;
    };
    if (!isProvinceCode(number(0, 2)))
        return fail(tessera::text("the first two digits (%1) are no province's code: the number was probably mistyped; "
                                  "compare it with the ID card", n.left(2)));
    const QDate birth(number(6, 4), number(10, 2), number(12, 2));
    if (!birth.isValid()) return fail(tessera::text("characters 7-14 (%1) are not a real birth date", n.mid(6, 8)));
    if (birth < QDate(1900, 1, 1) || (today.isValid() && birth > today))
        return fail(tessera::text("characters 7-14 (%1) are a birth date %2", n.mid(6, 8), birth.year() < 1900 ? tessera::text("before 1900")
                                                                                                            : tessera::text("in the future")));
    // The check digit guards the other 17: a mismatch says a digit anywhere was mistyped, so
    // the message points at the card, not at the last digit.
    if (citizenIdCheckDigit(n.left(17)) != last)
        return fail(tessera::text("the number does not add up (its check digit does not match): it was probably mistyped; "
                                  "compare every digit with the ID card"));
    return CitizenId{n, birth, (n.at(16).unicode() - '0') % 2 == 1};
}

std::optional<CitizenId> upgradeCitizenId15(const QString& text, QString* why, const QDate& today) {
    const QString n = text.trimmed();
    if (n.size() != 15 || !allDigits(n)) {
        if (why) *why = tessera::text("an old (15-digit) number has 15 digits");
        return std::nullopt;
    }
    const QString first17 = n.left(6) + QStringLiteral("19") + n.mid(6);
    return parseCitizenId(first17 + citizenIdCheckDigit(first17), why, today);
}

int ageOn(const QDate& birth, const QDate& on) {
    int age = on.year() - birth.year();
    if (on.month() < birth.month() || (on.month() == birth.month() && on.day() < birth.day())) --age;
    return age;
}

}  // namespace party::daily
