#pragma once
// Members (党员) and applicants (入党申请人): their card fields and the rules a valid card
// follows, each rule in one named place.

#include "records.hpp"

namespace party::daily {

/// The member card's fields.
std::vector<FieldSpec> memberFields();
/// The applicant card's fields.
std::vector<FieldSpec> applicantFields();

/// The citizen ID is valid (GB 11643); birth date and gender, when given, agree with it,
/// and are taken from it when not. Sets id_number (normalised), birth_date and, with
/// `genderColumn`, gender.
void checkCitizenId(QVariantMap& values, bool withGender, const QDate& today, QList<tessera::FieldError>& errors);

/// Members: the ID rule; joined at 18 or older and not in the future; a full member's
/// full-membership date after the join date, a probationary member without one; a status
/// other than normal has its date and reason; lost contact has its date, not before joining; a decrease
/// (减少) has its date and reason, not before joining, not in the future.
void checkMember(QVariantMap& values, const QDate& today, QList<tessera::FieldError>& errors);

/// Applicants: the ID rule; at least 18 on the application date (《中国共产党章程》:
/// 年满十八岁), which is not in the future.
void checkApplicant(QVariantMap& values, const QDate& today, QList<tessera::FieldError>& errors);

/// Whether someone born on `birth` may apply on `applied` (18 or older that day).
bool isOldEnoughToApply(const QDate& birth, const QDate& applied);

}  // namespace party::daily
