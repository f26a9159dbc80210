#include "member.hpp"

#include "citizen_id.hpp"

namespace party::daily {

namespace {

constexpr int kAdultAge = 18;
constexpr int kLeastExtension = 6, kMostExtension = 12;  // 《细则》第三十二条: a probation extended by six months to a year

QString text(const tessera::Record& r, const char* field) { return r.value(QLatin1String(field)).toString(); }
QDate date(const tessera::Record& r, const char* field) { return QDate::fromString(text(r, field), Qt::ISODate); }
QString iso(const QDate& d) { return d.toString(Qt::ISODate); }

}  // namespace

void deriveFromCitizenId(tessera::Record& draft, bool withGender, const QDate& today) {
    // As people type it: full-width digits and Ｘ (an input method's full-width mode), spaces.
    const QString typed = text(draft, "idNumber").normalized(QString::NormalizationForm_KC).remove(QLatin1Char(' '));
    const auto id = parseCitizenId(typed, nullptr, today);
    if (!id) return;  // checkCitizenId says why
    draft.insert(QStringLiteral("idNumber"), id->number);
    if (text(draft, "birthDate").trimmed().isEmpty()) draft.insert(QStringLiteral("birthDate"), iso(id->birthDate));
    if (withGender && text(draft, "gender").trimmed().isEmpty()) draft.insert(QStringLiteral("gender"), id->genderCode());
}

QList<tessera::FieldError> checkCitizenId(const tessera::Record& draft, bool withGender, const QDate& today) {
    QList<tessera::FieldError> errors;
    const QString given = text(draft, "idNumber");
    if (given.isEmpty()) return errors;  // "is required" is the card's to say
    QString why;
    const auto id = parseCitizenId(given, &why, today);
    if (!id) {
        errors.append({QStringLiteral("idNumber"), tessera::text("'%1' is not a valid citizen ID number: %2", given, why)});
        return errors;
    }
    const QDate birth = date(draft, "birthDate");
    if (birth.isValid() && birth != id->birthDate)
        errors.append({QStringLiteral("birthDate"),
                       tessera::text("%1 differs from the birth date in the ID number, %2", iso(birth), iso(id->birthDate))});
    const QString gender = text(draft, "gender");
    if (withGender && !gender.isEmpty() && gender != id->genderCode())
        errors.append({QStringLiteral("gender"), tessera::text("the ID number is a %1's (its 17th digit is %2)", id->male ? tessera::text("man") : tessera::text("woman"), id->number.at(16))});
    return errors;
}

QDate probationEnds(const QDate& joined, int extendedMonths) { return joined.addYears(1).addMonths(extendedMonths); }

std::optional<int> probationExtension(const QDate& joined, const QDate& ends) {
    if (!joined.isValid() || !ends.isValid()) return std::nullopt;
    if (probationEnds(joined) == ends) return 0;
    for (int months = kLeastExtension; months <= kMostExtension; ++months)
        if (probationEnds(joined, months) == ends) return months;
    return std::nullopt;
}

void deriveMember(tessera::Record& draft, const tessera::Record* stored, const QDate& today) {
    deriveFromCitizenId(draft, true, today);
    if (text(draft, "status").trimmed().isEmpty()) draft.insert(QStringLiteral("status"), QStringLiteral("normal"));
    const QDate joined = date(draft, "joinDate");
    if (text(draft, "category") != QLatin1String("probationary") || !joined.isValid()) return;
    const QString given = text(draft, "probationEnds").trimmed();
    // A corrected join date moves the end derived from it, with its extension; an end the
    // writer changes too is theirs, and one not of the rule is the check's to refuse.
    if (const QDate storedJoin = stored ? date(*stored, "joinDate") : QDate();
        storedJoin.isValid() && storedJoin != joined && !given.isEmpty() && given == text(*stored, "probationEnds")) {
        if (const auto months = probationExtension(storedJoin, QDate::fromString(given, Qt::ISODate)))
            draft.insert(QStringLiteral("probationEnds"), iso(probationEnds(joined, *months)));
        return;
    }
    if (given.isEmpty()) draft.insert(QStringLiteral("probationEnds"), iso(probationEnds(joined)));
}

QList<tessera::FieldError> checkMember(const tessera::Record& m, const QDate& today) {
    QList<tessera::FieldError> errors = checkCitizenId(m, true, today);
    const QDate birth = date(m, "birthDate"), joined = date(m, "joinDate"), full = date(m, "fullDate");
    auto notFuture = [&](const QDate& d, const char* field) {
        if (d.isValid() && d > today) errors.append({QLatin1String(field), tessera::text("%1 is in the future", iso(d))});
    };
    auto required = [&](bool missing, const char* field, const char* when) {
        if (missing) errors.append({QLatin1String(field), tessera::text("is required %1", tessera::text(when))});
    };
    notFuture(joined, "joinDate");
    notFuture(full, "fullDate");
    if (joined.isValid() && birth.isValid() && ageOn(birth, joined) < kAdultAge)
        errors.append({QStringLiteral("joinDate"),
                       tessera::text("on %1 the member was %2; members join at 18 or older", iso(joined), ageOn(birth, joined))});
    if (text(m, "category") == QLatin1String("probationary") && full.isValid())
        errors.append({QStringLiteral("fullDate"), tessera::text("a probationary member has no full-membership date yet")});
    if (full.isValid() && joined.isValid() && full <= joined)
        errors.append({QStringLiteral("fullDate"), tessera::text("%1 is not after the join date %2", iso(full), iso(joined))});
    if (const QDate ends = date(m, "probationEnds"); ends.isValid() && joined.isValid() && !probationExtension(joined, ends))
        errors.append({QStringLiteral("probationEnds"),
                       tessera::text("%1 is not when a probation from %2 ends: a year later, %3, or extended once by 6 to 12 months, "
                                     "%4 to %5",
                                     iso(ends), iso(joined), iso(probationEnds(joined)), iso(probationEnds(joined, kLeastExtension)),
                                     iso(probationEnds(joined, kMostExtension)))});
    const bool normal = text(m, "status").isEmpty() || text(m, "status") == QLatin1String("normal");
    const QDate statusDate = date(m, "statusDate");
    required(!normal && !statusDate.isValid(), "statusDate", "when the status is not normal");
    required(!normal && text(m, "statusReason").isEmpty(), "statusReason", "when the status is not normal");
    notFuture(statusDate, "statusDate");
    const bool lost = m.value(QStringLiteral("lostContact")).toBool();
    const QDate lostSince = date(m, "lostContactDate");
    required(lost && !lostSince.isValid(), "lostContactDate", "when the member has lost contact");
    if (!lost && lostSince.isValid())
        errors.append({QStringLiteral("lostContactDate"), tessera::text("only a member who has lost contact has this date")});
    if (lostSince.isValid() && joined.isValid() && lostSince < joined)
        errors.append({QStringLiteral("lostContactDate"), tessera::text("%1 is before the join date %2", iso(lostSince), iso(joined))});
    notFuture(lostSince, "lostContactDate");
    // A decrease (减少) has its date and its reason, on or after joining.
    const QDate left = date(m, "leftDate");
    const bool reason = !text(m, "leftReason").isEmpty();
    required(left.isValid() && !reason, "leftReason", "with the decrease date");
    required(!left.isValid() && reason, "leftDate", "with the decrease reason");
    if (left.isValid() && joined.isValid() && left < joined)
        errors.append({QStringLiteral("leftDate"), tessera::text("%1 is before the join date %2", iso(left), iso(joined))});
    notFuture(left, "leftDate");
    return errors;
}

bool isOldEnoughToApply(const QDate& birth, const QDate& applied) { return ageOn(birth, applied) >= kAdultAge; }

QList<tessera::FieldError> checkApplicant(const tessera::Record& a, const QDate& today) {
    QList<tessera::FieldError> errors = checkCitizenId(a, false, today);
    const QDate birth = date(a, "birthDate"), applied = date(a, "applicationDate");
    if (applied.isValid() && applied > today)
        errors.append({QStringLiteral("applicationDate"), tessera::text("%1 is in the future", iso(applied))});
    if (birth.isValid() && applied.isValid() && !isOldEnoughToApply(birth, applied))
        errors.append({QStringLiteral("applicationDate"), tessera::text("on %1 the applicant was %2; one applies at 18 or older", iso(applied), ageOn(birth, applied))});
    return errors;
}

}  // namespace party::daily
