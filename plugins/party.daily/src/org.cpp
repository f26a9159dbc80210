#include "org.hpp"

namespace party::daily {

namespace {

using tessera::FieldError;

FieldSpec field(const char* json, const char* column, Kind kind, int maxLength = 0, bool required = false, const char* dictionary = "",
                std::vector<FieldSpec> rows = {}) {
    return FieldSpec{QLatin1String(json), QLatin1String(column), kind, maxLength, required, QLatin1String(dictionary), std::move(rows)};
}

}  // namespace

QStringList branchWarnings(const QString& orgType, const DirectMembers& members) {
    QStringList warnings;
    const bool branch = orgType == QLatin1String("branch");
    if (!branch && orgType != QLatin1String("joint-branch") && orgType != QLatin1String("temporary-branch")) return warnings;
    const qint64 all = members.formal + members.probationary;
    if (branch && members.formal < 3)
        warnings << QStringLiteral("党支部应有正式党员3人以上（现有%1人）；不足3人的，可与邻近单位党员联合成立联合党支部").arg(members.formal);
    if (members.formal >= 7)
        warnings << QStringLiteral("正式党员7人以上（现有%1人）的党支部应设立支部委员会，由3至5人组成，一般不超过7人").arg(members.formal);
    if (all > 50) warnings << QStringLiteral("党支部党员人数一般不超过50人（现有%1人），可考虑分设党支部").arg(all);
    return warnings;
}

QString orgUnitName(const QVariantMap& values) {
    const QString shortName = values.value(QStringLiteral("short_name")).toString();
    return shortName.isEmpty() ? values.value(QStringLiteral("full_name")).toString() : shortName;
}

ListQuery orgListQuery() {
    return {QStringLiteral("party_orgs"), QStringLiteral("unit_id"),
            {QStringLiteral("full_name"), QStringLiteral("short_name"), QStringLiteral("code")}, orgFields()};
}

std::vector<FieldSpec> orgFields() {
    return {
        field("fullName", "full_name", Kind::Text, 100, true),
        field("shortName", "short_name", Kind::Text, 50),
        field("code", "code", Kind::Text, 50),
        field("orgType", "org_type", Kind::Code, 0, true, "org-type"),
        field("unitSituation", "unit_situation", Kind::Text, 200),
        field("setupDate", "setup_date", Kind::Date),
        field("setupDocument", "setup_document", Kind::Text, 100),
        field("retirementBranch", "retirement_branch", Kind::Bool),
        field("secretary", "secretary", Kind::Text, 50),
        field("contact", "contact", Kind::Text, 50),
        field("phone", "phone", Kind::Text, 30),
        field("address", "address", Kind::Text, 200),
        field("status", "status", Kind::Code, 0, false, "org-status"),
        field("dissolvedDate", "dissolved_date", Kind::Date),
        field("unitInfo", "unit_info", Kind::Subform, 0, false, "",
              {field("unitName", "", Kind::Text, 200, true), field("unitKind", "", Kind::Text, 100), field("employees", "", Kind::Number)}),
        field("awards", "awards", Kind::Subform, 0, false, "",
              {field("date", "", Kind::Date, 0, true), field("title", "", Kind::Text, 200, true), field("authority", "", Kind::Text, 100)}),
    };
}

QString parentRefusal(const QString& parent, bool moving) {
    return moving ? tessera::text("%1 is not one you may move an organisation under", parent)
                  : tessera::text("%1 is not one you may add an organisation under", parent);
}

std::optional<FieldError> placementRefusal(const tessera::Scope& scope, qint64 unitId, qint64 parentId) {
    if (scope.contains(unitId)) return std::nullopt;
    return FieldError{QStringLiteral("parentId"),
                      tessera::text("an organisation under unit %1 would be outside your scope", parentId)};
}

QString codeTakenRefusal(const QString& code) { return tessera::text("%1 is already the code of another organisation", code); }

// The unit tree's errors carry no field: its messages start with what they are about.
QString unitRefusalField(const tessera::Error& e) {
    return e.message.contains(QLatin1String("code"))   ? QStringLiteral("code")
           : e.message.contains(QLatin1String("name")) ? QStringLiteral("fullName")
                                                       : QStringLiteral("parentId");
}

// An organisation's own rules: a dissolved one has its date, not before it was set up.
void checkOrg(QVariantMap& values, const QDate& today, QList<FieldError>& errors) {
    if (values.value(QStringLiteral("status")).toString().isEmpty()) values.insert(QStringLiteral("status"), QStringLiteral("normal"));
    if (values.value(QStringLiteral("code")).toString().isEmpty()) values.insert(QStringLiteral("code"), QVariant());
    const bool dissolved = values.value(QStringLiteral("status")).toString() == QLatin1String("dissolved");
    const QDate setup = dateOf(values.value(QStringLiteral("setup_date")));
    const QDate ended = dateOf(values.value(QStringLiteral("dissolved_date")));
    if (dissolved && !ended.isValid()) errors.append({QStringLiteral("dissolvedDate"), tessera::text("is required for a dissolved organisation")});
    if (!dissolved && ended.isValid()) errors.append({QStringLiteral("dissolvedDate"), tessera::text("only a dissolved organisation has this date")});
    if (ended.isValid() && setup.isValid() && ended < setup)
        errors.append({QStringLiteral("dissolvedDate"), tessera::text("%1 is before the setup date %2", ended.toString(Qt::ISODate), setup.toString(Qt::ISODate))});
    for (const auto& [d, name] : {std::pair{setup, "setupDate"}, std::pair{ended, "dissolvedDate"}})
        if (d.isValid() && d > today) errors.append({QLatin1String(name), tessera::text("%1 is in the future", d.toString(Qt::ISODate))});
}

}  // namespace party::daily
