// party.daily's domain rules, read as the rules' text.

#include "citizen_id.hpp"
#include "member.hpp"
#include "org.hpp"

#include "runtime/messages.hpp"

#include <gtest/gtest.h>

using namespace party::daily;

namespace {

// A valid ID number with the given area, birth date and sequence (check digit computed).
QString idNumber(const QString& birth, const QString& sequence = QStringLiteral("123")) {
    const QString first17 = QStringLiteral("110105") + birth + sequence;
    return first17 + citizenIdCheckDigit(first17);
}

}  // namespace

namespace {

// A message as an English reader reads it (tessera::text carries template and values).
QString en(const QString& message) { return tessera::host::messages().render(message, tessera::host::Language::En); }

}  // namespace

TEST(CitizenId, TheCheckDigitIsTheWeightedSumMod11) {
    // The example of GB 11643-1999: 11010519491231002X.
    EXPECT_EQ(citizenIdCheckDigit(QStringLiteral("11010519491231002")), QLatin1Char('X'));
    const auto id = parseCitizenId(QStringLiteral("11010519491231002x"));
    ASSERT_TRUE(id);
    EXPECT_EQ(id->number, QStringLiteral("11010519491231002X"));
    EXPECT_EQ(id->birthDate, QDate(1949, 12, 31));
    EXPECT_FALSE(id->male) << "the 17th digit 2 is even: a woman";
}

TEST(CitizenId, AMistypedDigitIsCaughtByTheCheckDigitAndTheCardIsToBeCheckedNotTheLastDigit) {
    QString why;
    EXPECT_FALSE(parseCitizenId(QStringLiteral("110105194912310021"), &why));
    EXPECT_TRUE(en(why).contains(QStringLiteral("probably mistyped"))) << en(why).toStdString();
    EXPECT_TRUE(en(why).contains(QStringLiteral("ID card"))) << en(why).toStdString();
    EXPECT_FALSE(en(why).contains(QStringLiteral("expected"))) << "naming the digit that would fit invites typing it in";
    EXPECT_FALSE(en(why).contains(QLatin1Char('X')));
}

TEST(CitizenId, TheAreaMustBeAProvinceOfGbt2260) {
    for (int p : {11, 15, 21, 23, 31, 37, 41, 46, 50, 54, 61, 65, 71, 81, 82}) EXPECT_TRUE(isProvinceCode(p)) << p;
    for (int p : {0, 10, 16, 20, 24, 30, 38, 40, 47, 49, 55, 60, 66, 70, 72, 80, 83, 99}) EXPECT_FALSE(isProvinceCode(p)) << p;
    const QString first17 = QStringLiteral("99010519491231002");
    QString why;
    EXPECT_FALSE(parseCitizenId(first17 + citizenIdCheckDigit(first17), &why));
    EXPECT_TRUE(en(why).contains(QStringLiteral("(99) are no province"))) << en(why).toStdString();
    const QString hongKong = QStringLiteral("81000019800101002");
    EXPECT_TRUE(parseCitizenId(hongKong + citizenIdCheckDigit(hongKong)));
}

TEST(CitizenId, TheBirthDateLiesFrom1900ToToday) {
    auto withBirth = [](const QString& birth) {
        const QString first17 = QStringLiteral("110105") + birth + QStringLiteral("002");
        return first17 + citizenIdCheckDigit(first17);
    };
    QString why;
    EXPECT_FALSE(parseCitizenId(withBirth(QStringLiteral("18991231")), &why));
    EXPECT_TRUE(en(why).contains(QStringLiteral("before 1900"))) << en(why).toStdString();
    EXPECT_TRUE(parseCitizenId(withBirth(QStringLiteral("19000101"))));
    const QDate today(2026, 3, 1);
    EXPECT_TRUE(parseCitizenId(withBirth(QStringLiteral("20260301")), &why, today));
    EXPECT_FALSE(parseCitizenId(withBirth(QStringLiteral("20260302")), &why, today));
    EXPECT_TRUE(en(why).contains(QStringLiteral("in the future"))) << en(why).toStdString();
}

TEST(CitizenId, AValidOld15DigitNumberIsReadAsItsUpgrade) {
    const auto id = parseCitizenId(QStringLiteral(" 110105491231002 "));
    ASSERT_TRUE(id);
    EXPECT_EQ(id->number, QStringLiteral("11010519491231002X"));
    QString why;
    EXPECT_FALSE(parseCitizenId(QStringLiteral("990105491231002"), &why)) << "no province";
    EXPECT_FALSE(parseCitizenId(QStringLiteral("110105490230002"), &why)) << "no 30 February";
}

TEST(CitizenId, RefusesWrongLengthsLettersAndImpossibleDates) {
    QString why;
    EXPECT_FALSE(parseCitizenId(QStringLiteral("1101051949123100"), &why));
    EXPECT_EQ(en(why), QStringLiteral("must have 18 characters (or 15 for an old number), not 16"));
    EXPECT_FALSE(parseCitizenId(QStringLiteral("11010519491231A02X"), &why));
    EXPECT_EQ(en(why), QStringLiteral("the first 17 characters must be digits"));
    EXPECT_FALSE(parseCitizenId(QStringLiteral("110105194902300021"), &why));
    EXPECT_EQ(en(why), QStringLiteral("characters 7-14 (19490230) are not a real birth date"));
}

TEST(CitizenId, ALegacy15DigitNumberIsUpgradedTo18) {
    const auto id = upgradeCitizenId15(QStringLiteral("110105491231002"));
    ASSERT_TRUE(id);
    EXPECT_EQ(id->number, QStringLiteral("11010519491231002X"));
    EXPECT_FALSE(upgradeCitizenId15(QStringLiteral("11010549123100")));
}

TEST(Applicants, MustBeAtLeast18OnTheApplicationDate) {
    EXPECT_FALSE(isOldEnoughToApply(QDate(2000, 6, 15), QDate(2018, 6, 14)));
    EXPECT_TRUE(isOldEnoughToApply(QDate(2000, 6, 15), QDate(2018, 6, 15)));
    tessera::Record applicant{{QStringLiteral("idNumber"), idNumber(QStringLiteral("20000615"))},
                              {QStringLiteral("applicationDate"), QStringLiteral("2018-06-14")}};
    deriveFromCitizenId(applicant, false, QDate(2026, 1, 1));
    EXPECT_EQ(applicant.value(QStringLiteral("birthDate")).toString(), QStringLiteral("2000-06-15")) << "taken from the ID number";
    const auto errors = checkApplicant(applicant, QDate(2026, 1, 1));
    ASSERT_EQ(errors.size(), 1);
    EXPECT_EQ(errors[0].field, QStringLiteral("applicationDate"));
    EXPECT_EQ(en(errors[0].message), QStringLiteral("on 2018-06-14 the applicant was 17; one applies at 18 or older"));
}

TEST(Members, AProbationaryMemberHasNoFullMembershipDateAndAFullOneIsAfterJoining) {
    const QDate today(2026, 1, 1);
    auto member = [&](const char* category, const char* joined, const QJsonValue& full) {
        tessera::Record m{{QStringLiteral("idNumber"), idNumber(QStringLiteral("19800101"))},
                          {QStringLiteral("category"), QLatin1String(category)},
                          {QStringLiteral("joinDate"), QLatin1String(joined)},
                          {QStringLiteral("fullDate"), full}};
        deriveMember(m, nullptr, today);
        QStringList out;
        for (const auto& e : checkMember(m, today)) out << e.field + QStringLiteral(": ") + en(e.message);
        return out;
    };
    EXPECT_EQ(member("formal", "2005-07-01", QStringLiteral("2006-07-01")), QStringList{});
    EXPECT_EQ(member("formal", "2005-07-01", QStringLiteral("2005-07-01")),
              QStringList{QStringLiteral("fullDate: 2005-07-01 is not after the join date 2005-07-01")});
    EXPECT_EQ(member("probationary", "2025-07-01", QStringLiteral("2026-01-01")),
              QStringList{QStringLiteral("fullDate: a probationary member has no full-membership date yet")});
    EXPECT_EQ(member("probationary", "1997-07-01", QJsonValue()),
              QStringList{QStringLiteral("joinDate: on 1997-07-01 the member was 17; members join at 18 or older")});
    EXPECT_EQ(member("formal", "2026-03-01", QJsonValue()), QStringList{QStringLiteral("joinDate: 2026-03-01 is in the future")});
}

TEST(Members, AProbationEndsAYearFromJoiningOrSixToTwelveMonthsLaterWhenExtended) {
    using party::daily::probationEnds;
    using party::daily::probationExtension;
    EXPECT_EQ(probationEnds(QDate(2025, 7, 1)), QDate(2026, 7, 1));
    EXPECT_EQ(probationEnds(QDate(2024, 2, 29)), QDate(2025, 2, 28));  // no 02-29 that year: the 28th
    EXPECT_EQ(probationEnds(QDate(2024, 2, 29), 6), QDate(2025, 8, 28));
    EXPECT_EQ(probationExtension(QDate(2025, 7, 1), QDate(2026, 7, 1)), 0);
    EXPECT_EQ(probationExtension(QDate(2025, 7, 1), QDate(2027, 1, 1)), 6);
    EXPECT_EQ(probationExtension(QDate(2025, 7, 1), QDate(2027, 7, 1)), 12);
    EXPECT_EQ(probationExtension(QDate(2025, 7, 1), QDate(2026, 12, 1)), std::nullopt);  // five months
    EXPECT_EQ(probationExtension(QDate(2025, 7, 1), QDate(2027, 8, 1)), std::nullopt);   // thirteen
    EXPECT_EQ(probationExtension(QDate(2025, 7, 1), QDate(2026, 7, 2)), std::nullopt);

    const QDate today(2026, 9, 1);
    auto probationary = [](const char* joined, const QJsonValue& ends) {
        return tessera::Record{{QStringLiteral("idNumber"), idNumber(QStringLiteral("19800101"))},
                               {QStringLiteral("category"), QStringLiteral("probationary")},
                               {QStringLiteral("joinDate"), QLatin1String(joined)},
                               {QStringLiteral("probationEnds"), ends}};
    };
    auto errors = [&](const tessera::Record& m) {
        QStringList out;
        for (const auto& e : checkMember(m, today)) out << e.field + QStringLiteral(": ") + en(e.message);
        return out;
    };
    // Not given, it is the year; given, it is the year or an extension of it.
    tessera::Record derived = probationary("2024-02-29", QJsonValue());
    deriveMember(derived, nullptr, today);
    EXPECT_EQ(derived.value(QStringLiteral("probationEnds")).toString(), QStringLiteral("2025-02-28"));
    EXPECT_EQ(errors(derived), QStringList{});
    EXPECT_EQ(errors(probationary("2025-07-01", QStringLiteral("2027-03-01"))), QStringList{});  // extended by eight months
    EXPECT_EQ(errors(probationary("2025-07-01", QStringLiteral("2026-10-01"))),
              QStringList{QStringLiteral("probationEnds: 2026-10-01 is not when a probation from 2025-07-01 ends: a year later, "
                                         "2026-07-01, or extended once by 6 to 12 months, 2027-01-01 to 2027-07-01")});
    // A corrected join date moves the end with it, keeping the extension; an end changed too stays as given.
    const tessera::Record stored = probationary("2025-07-01", QStringLiteral("2027-03-01"));
    tessera::Record corrected = probationary("2025-07-10", QStringLiteral("2027-03-01"));
    deriveMember(corrected, &stored, today);
    EXPECT_EQ(corrected.value(QStringLiteral("probationEnds")).toString(), QStringLiteral("2027-03-10"));
    tessera::Record both = probationary("2025-07-10", QStringLiteral("2026-07-10"));
    deriveMember(both, &stored, today);
    EXPECT_EQ(both.value(QStringLiteral("probationEnds")).toString(), QStringLiteral("2026-07-10"));
    // A full member's is not derived (whether it was extended is not known), and is checked when given.
    tessera::Record full{{QStringLiteral("idNumber"), idNumber(QStringLiteral("19800101"))},
                         {QStringLiteral("category"), QStringLiteral("formal")},
                         {QStringLiteral("joinDate"), QStringLiteral("2005-07-01")}};
    deriveMember(full, nullptr, today);
    EXPECT_FALSE(full.contains(QStringLiteral("probationEnds")));
}

TEST(Members, BirthDateAndGenderMustAgreeWithTheIdNumberAndAreTakenFromIt) {
    tessera::Record m{{QStringLiteral("idNumber"), idNumber(QStringLiteral("19800101"), QStringLiteral("124"))},
                      {QStringLiteral("birthDate"), QStringLiteral("1980-01-02")},
                      {QStringLiteral("gender"), QStringLiteral("1")}};
    const auto errors = checkCitizenId(m, true, QDate(2026, 3, 1));
    ASSERT_EQ(errors.size(), 2);
    EXPECT_EQ(en(errors[0].message), QStringLiteral("1980-01-02 differs from the birth date in the ID number, 1980-01-01"));
    EXPECT_EQ(en(errors[1].message), QStringLiteral("the ID number is a woman's (its 17th digit is 4)"));
    // Not given, they are taken from it; a legacy 15-digit number is upgraded, a lower-case x upper-cased.
    tessera::Record legacy{{QStringLiteral("idNumber"), QStringLiteral("110105491231002")}};
    deriveMember(legacy, nullptr, QDate(2026, 3, 1));
    EXPECT_EQ(legacy.value(QStringLiteral("idNumber")).toString(), QStringLiteral("11010519491231002X"));
    EXPECT_EQ(legacy.value(QStringLiteral("birthDate")).toString(), QStringLiteral("1949-12-31"));
    EXPECT_EQ(legacy.value(QStringLiteral("gender")).toString(), QStringLiteral("2"));
    EXPECT_EQ(legacy.value(QStringLiteral("status")).toString(), QStringLiteral("normal"));
    EXPECT_TRUE(checkCitizenId(legacy, true, QDate(2026, 3, 1)).isEmpty());
}

TEST(Members, AStatusOtherThanNormalNeedsItsDateAndReasonAndLostContactItsDate) {
    tessera::Record m{{QStringLiteral("idNumber"), idNumber(QStringLiteral("19800101"))}, {QStringLiteral("category"), QStringLiteral("formal")},
                      {QStringLiteral("joinDate"), QStringLiteral("2005-07-01")}, {QStringLiteral("status"), QStringLiteral("stopped")},
                      {QStringLiteral("lostContact"), true}};
    QStringList fields;
    for (const auto& e : checkMember(m, QDate(2026, 1, 1))) fields << e.field;
    EXPECT_EQ(fields, (QStringList{QStringLiteral("statusDate"), QStringLiteral("statusReason"), QStringLiteral("lostContactDate")}));
}

TEST(BranchWarnings, FollowTheBranchWorkRegulations) {
    using party::daily::branchWarnings;
    EXPECT_EQ(branchWarnings(QStringLiteral("branch"), {2, 5}).size(), 1) << "fewer than 3 full members";
    EXPECT_TRUE(branchWarnings(QStringLiteral("branch"), {3, 0}).isEmpty());
    EXPECT_TRUE(branchWarnings(QStringLiteral("joint-branch"), {2, 0}).isEmpty()) << "a joint branch is the answer to fewer than 3";
    EXPECT_TRUE(branchWarnings(QStringLiteral("branch"), {7, 0}).first().contains(QStringLiteral("支部委员会")));
    EXPECT_TRUE(branchWarnings(QStringLiteral("branch"), {6, 40}).isEmpty()) << "46 members, 6 full: no warning";
    EXPECT_EQ(branchWarnings(QStringLiteral("branch"), {45, 6}).size(), 2) << "a committee, and over 50";
    EXPECT_TRUE(branchWarnings(QStringLiteral("committee"), {0, 0}).isEmpty()) << "a 党委 is not a branch";
}

