#pragma once
// Citizen ID numbers (公民身份号码, GB 11643-1999): 6-digit area code, birth date YYYYMMDD
// (digits 7-14), 3-digit sequence whose last digit is odd for men, and a check digit: the
// sum of each digit times its weight (7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2), mod 11, maps
// to 1 0 X 9 8 7 6 5 4 3 2. Legacy 15-digit numbers (GB 11643-1989: YYMMDD, no check
// digit) are upgraded to 18 digits (19YY, and the check digit computed).

#include <QDate>
#include <QString>

#include <optional>

namespace party::daily {

struct CitizenId {
    QString number;  // 18 characters, an upper-case X for a check value of 10
    QDate birthDate;
    bool male = false;
    QString genderCode() const { return male ? QStringLiteral("1") : QStringLiteral("2"); }
};

/// The check character for the first 17 digits.
QChar citizenIdCheckDigit(const QString& first17);

/// Whether the first two digits of an area code name a province-level division of GB/T 2260
/// (11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71 Taiwan, 81 Hong Kong, 82 Macao).
bool isProvinceCode(int twoDigits);

/// Reads a number as people have them: 18 digits (a lower-case x accepted), or a legacy 15
/// digits, upgraded. nullopt with `why` set (for people) when it is malformed, its area is no
/// province, its birth date is not a real date from 1900 to `today` (not checked against
/// today when `today` is null), or its check digit does not match.
std::optional<CitizenId> parseCitizenId(const QString& text, QString* why = nullptr, const QDate& today = {});

/// Upgrades a legacy 15-digit number to 18 digits (birth year 19YY); nullopt with `why`
/// for anything that is not 15 digits of a province with a real date.
std::optional<CitizenId> upgradeCitizenId15(const QString& text, QString* why = nullptr, const QDate& today = {});

/// Whole years between `birth` and `on` (the age on that day).
int ageOn(const QDate& birth, const QDate& on);

}  // namespace party::daily
