#include "member.hpp"

#include "citizen_id.hpp"

namespace party::daily {

namespace {

FieldSpec text(const char* json, const char* column, int maxLength, bool required = false) {
    return FieldSpec{QLatin1String(json), QLatin1String(column), Kind::Text, maxLength, required, {}, {}};
}
FieldSpec date(const char* json, const char* column, bool required = false) {
    return FieldSpec{QLatin1String(json), QLatin1String(column), Kind::Date, 0, required, {}, {}};
}
FieldSpec code(const char* json, const char* column, const char* dictionary, bool required = false) {
    return FieldSpec{QLatin1String(json), QLatin1String(column), Kind::Code, 0, required, QLatin1String(dictionary), {}};
}
FieldSpec subform(const char* json, const char* column, std::vector<FieldSpec> rows) {
    return FieldSpec{QLatin1String(json), QLatin1String(column), Kind::Subform, 0, false, {}, std::move(rows)};
}
FieldSpec unitField() { return FieldSpec{QStringLiteral("unitId"), QStringLiteral("unit_id"), Kind::Unit, 0, false, {}, {}}; }

constexpr int kAdultAge = 18;

}  // namespace

std::vector<FieldSpec> memberFields() {
    return {
        text("name", "name", 50, true),
        text("idNumber", "id_number", 18, true),
        code("gender", "gender", "gender"),
        date("birthDate", "birth_date"),
        code("ethnicity", "ethnicity", "ethnicity"),
        text("nativePlace", "native_place", 100),
        code("education", "education", "education"),
        text("degree", "degree", 50),
        unitField(),
        code("category", "category", "member-category", true),
        date("joinDate", "join_date", true),
        date("fullDate", "full_date"),
        code("status", "status", "member-status"),
        date("statusDate", "status_date"),
        text("statusReason", "status_reason", 200),
        FieldSpec{QStringLiteral("lostContact"), QStringLiteral("lost_contact"), Kind::Bool, 0, false, {}, {}},
        date("lostContactDate", "lost_contact_date"),
        date("leftDate", "left_date"),
        code("leftReason", "left_reason", "member-decrease"),
        text("job", "job", 100),
        text("phone", "phone", 30),
        text("mobile", "mobile", 30),
        text("address", "address", 200),
        subform("awards", "awards",
                {date("date", "", true), code("kind", "", "award-kind", true), text("title", "", 200, true), text("authority", "", 100)}),
        subform("workHistory", "work_history",
                {date("from", "", true), date("to", ""), text("employer", "", 200, true), text("position", "", 100)}),
        subform("family", "family", {text("relation", "", 20, true), text("name", "", 50, true), text("employer", "", 200)}),
        text("notes", "notes", 2000),
    };
}

std::vector<FieldSpec> applicantFields() {
    return {
        text("name", "name", 50, true),
        text("idNumber", "id_number", 18, true),
        date("birthDate", "birth_date"),
        date("applicationDate", "application_date", true),
        unitField(),
        text("notes", "notes", 2000),
    };
}

void checkCitizenId(QVariantMap& values, bool withGender, const QDate& today, QList<tessera::FieldError>& errors) {
    const QString given = values.value(QStringLiteral("id_number")).toString();
    if (given.isEmpty()) return;  // "is required" already said
    QString why;
    const auto id = parseCitizenId(given, &why, today);
    if (!id) {
        errors.append({QStringLiteral("idNumber"), QStringLiteral("'%1' is not a valid citizen ID number: %2").arg(given, why)});
        return;
    }
    values.insert(QStringLiteral("id_number"), id->number);
    const QDate birth = dateOf(values.value(QStringLiteral("birth_date")));
    if (!birth.isValid()) {
        values.insert(QStringLiteral("birth_date"), id->birthDate.toString(Qt::ISODate));
    } else if (birth != id->birthDate) {
        errors.append({QStringLiteral("birthDate"), QStringLiteral("%1 differs from the birth date in the ID number, %2")
                                                        .arg(birth.toString(Qt::ISODate), id->birthDate.toString(Qt::ISODate))});
    }
    if (!withGender) return;
    const QString gender = values.value(QStringLiteral("gender")).toString();
    if (gender.isEmpty()) {
        values.insert(QStringLiteral("gender"), id->genderCode());
    } else if (gender != id->genderCode()) {
        errors.append({QStringLiteral("gender"), QStringLiteral("the ID number is a %1's (its 17th digit is %2)")
                                                     .arg(id->male ? QStringLiteral("man") : QStringLiteral("woman"))
                                                     .arg(id->number.at(16))});
    }
}

void checkMember(QVariantMap& values, const QDate& today, QList<tessera::FieldError>& errors) {
    checkCitizenId(values, true, today, errors);
    if (values.value(QStringLiteral("status")).toString().isEmpty()) values.insert(QStringLiteral("status"), QStringLiteral("normal"));
    const QDate birth = dateOf(values.value(QStringLiteral("birth_date")));
    const QDate joined = dateOf(values.value(QStringLiteral("join_date")));
    const QDate full = dateOf(values.value(QStringLiteral("full_date")));
    const QString category = values.value(QStringLiteral("category")).toString();
    auto notFuture = [&](const QDate& d, const char* field) {
        if (d.isValid() && d > today)
            errors.append({QLatin1String(field), QStringLiteral("%1 is in the future").arg(d.toString(Qt::ISODate))});
    };
    notFuture(joined, "joinDate");
    notFuture(full, "fullDate");
    if (joined.isValid() && birth.isValid() && ageOn(birth, joined) < kAdultAge)
        errors.append({QStringLiteral("joinDate"), QStringLiteral("on %1 the member was %2; members join at 18 or older")
                                                       .arg(joined.toString(Qt::ISODate))
                                                       .arg(ageOn(birth, joined))});
    if (category == QLatin1String("probationary") && full.isValid())
        errors.append({QStringLiteral("fullDate"), QStringLiteral("a probationary member has no full-membership date yet")});
    if (full.isValid() && joined.isValid() && full <= joined)
        errors.append({QStringLiteral("fullDate"), QStringLiteral("%1 is not after the join date %2")
                                                       .arg(full.toString(Qt::ISODate), joined.toString(Qt::ISODate))});
    const QString status = values.value(QStringLiteral("status")).toString();
    const QDate statusDate = dateOf(values.value(QStringLiteral("status_date")));
    if (status != QLatin1String("normal") && !statusDate.isValid())
        errors.append({QStringLiteral("statusDate"), QStringLiteral("is required when the status is not normal")});
    if (status != QLatin1String("normal") && values.value(QStringLiteral("status_reason")).toString().isEmpty())
        errors.append({QStringLiteral("statusReason"), QStringLiteral("is required when the status is not normal")});
    notFuture(statusDate, "statusDate");
    const bool lost = values.value(QStringLiteral("lost_contact")).toLongLong() != 0;
    const QDate lostSince = dateOf(values.value(QStringLiteral("lost_contact_date")));
    if (lost && !lostSince.isValid())
        errors.append({QStringLiteral("lostContactDate"), QStringLiteral("is required when the member has lost contact")});
    if (!lost && lostSince.isValid())
        errors.append({QStringLiteral("lostContactDate"), QStringLiteral("only a member who has lost contact has this date")});
    if (lostSince.isValid() && joined.isValid() && lostSince < joined)
        errors.append({QStringLiteral("lostContactDate"), QStringLiteral("%1 is before the join date %2")
                                                              .arg(lostSince.toString(Qt::ISODate), joined.toString(Qt::ISODate))});
    notFuture(lostSince, "lostContactDate");
    // A decrease (减少) has its date and its reason, on or after joining.
    const QDate left = dateOf(values.value(QStringLiteral("left_date")));
    const bool reason = !values.value(QStringLiteral("left_reason")).toString().isEmpty();
    if (left.isValid() && !reason) errors.append({QStringLiteral("leftReason"), QStringLiteral("is required with the decrease date")});
    if (!left.isValid() && reason) errors.append({QStringLiteral("leftDate"), QStringLiteral("is required with the decrease reason")});
    if (left.isValid() && joined.isValid() && left < joined)
        errors.append({QStringLiteral("leftDate"), QStringLiteral("%1 is before the join date %2").arg(left.toString(Qt::ISODate), joined.toString(Qt::ISODate))});
    notFuture(left, "leftDate");
}

bool isOldEnoughToApply(const QDate& birth, const QDate& applied) { return ageOn(birth, applied) >= kAdultAge; }

void checkApplicant(QVariantMap& values, const QDate& today, QList<tessera::FieldError>& errors) {
    checkCitizenId(values, false, today, errors);
    const QDate birth = dateOf(values.value(QStringLiteral("birth_date")));
    const QDate applied = dateOf(values.value(QStringLiteral("application_date")));
    if (applied.isValid() && applied > today)
        errors.append({QStringLiteral("applicationDate"), QStringLiteral("%1 is in the future").arg(applied.toString(Qt::ISODate))});
    if (birth.isValid() && applied.isValid() && !isOldEnoughToApply(birth, applied))
        errors.append({QStringLiteral("applicationDate"), QStringLiteral("on %1 the applicant was %2; one applies at 18 or older")
                                                              .arg(applied.toString(Qt::ISODate))
                                                              .arg(ageOn(birth, applied))});
}

}  // namespace party::daily
