#pragma once
// Members (党员) and applicants (入党申请人): the rules a valid card follows, each in one
// named place. The cards themselves (fields, kinds, lengths, dictionaries) are declared in
// the manifest and served by the host; these are the hooks it calls (tessera/records.hpp).
// Records are the API's JSON: "idNumber", "birthDate": "1980-01-01", "lostContact": true.

#include <tessera/http.hpp>
#include <tessera/records.hpp>

#include <QDate>
#include <QList>

#include <optional>

namespace party::daily {

/// What a card derives from its citizen ID number (GB 11643), when the number is valid: the
/// number itself normalised (full-width digits and spaces as people type them, a legacy
/// 15-digit one upgraded, a lower-case x upper-case), the
/// birth date and, with `withGender`, the gender, each only when not given.
void deriveFromCitizenId(tessera::Record& draft, bool withGender, const QDate& today);

/// The citizen ID is valid; birth date and gender, when given, agree with it.
QList<tessera::FieldError> checkCitizenId(const tessera::Record& draft, bool withGender, const QDate& today);

/// The day a probation ends: a year after joining (the branch meeting), on the 28th for a
/// join on 02-29, and `extendedMonths` later when it was extended (《细则》: once, 6 to 12 months).
QDate probationEnds(const QDate& joined, int extendedMonths = 0);

/// By how many months a probation from `joined` to `ends` was extended: 0, or 6 to 12;
/// nothing when `ends` is neither the year nor an allowed extension of it.
std::optional<int> probationExtension(const QDate& joined, const QDate& ends);

/// A member's derived fields: those of the ID number, the status normal when not given, and
/// a probationary member's probation end when not given (it moves with a corrected join date,
/// keeping its extension).
void deriveMember(tessera::Record& draft, const tessera::Record* stored, const QDate& today);

/// Members: the ID rule; joined at 18 or older and not in the future; a full member's
/// full-membership date after the join date, a probationary member without one; a status
/// other than normal has its date and reason; lost contact has its date, not before joining;
/// a decrease (减少) has its date and reason, not before joining, not in the future; the
/// probation ends a year from joining, or 6 to 12 months after that when extended.
QList<tessera::FieldError> checkMember(const tessera::Record& member, const QDate& today);

/// Applicants: the ID rule; at least 18 on the application date (《中国共产党章程》:
/// 年满十八岁), which is not in the future.
QList<tessera::FieldError> checkApplicant(const tessera::Record& applicant, const QDate& today);

/// Whether someone born on `birth` may apply on `applied` (18 or older that day).
bool isOldEnoughToApply(const QDate& birth, const QDate& applied);

}  // namespace party::daily
