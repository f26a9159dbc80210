#include "org.hpp"

#include <tessera/text.hpp>

namespace party::daily {

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

void deriveOrg(tessera::Record& draft) {
    if (draft.value(QStringLiteral("status")).toString().isEmpty()) draft.insert(QStringLiteral("status"), QStringLiteral("normal"));
}

QList<tessera::FieldError> checkOrg(const tessera::Record& org) {
    QList<tessera::FieldError> errors;
    const bool dissolved = org.value(QStringLiteral("status")).toString() == QLatin1String("dissolved");
    const QString setupText = org.value(QStringLiteral("setupDate")).toString(), endedText = org.value(QStringLiteral("dissolvedDate")).toString();
    const QDate setup = QDate::fromString(setupText, Qt::ISODate), ended = QDate::fromString(endedText, Qt::ISODate);
    if (dissolved && !ended.isValid()) errors.append({QStringLiteral("dissolvedDate"), tessera::text("is required for a dissolved organisation")});
    if (!dissolved && ended.isValid()) errors.append({QStringLiteral("dissolvedDate"), tessera::text("only a dissolved organisation has this date")});
    if (ended.isValid() && setup.isValid() && ended < setup)
        errors.append({QStringLiteral("dissolvedDate"), tessera::text("%1 is before the setup date %2", endedText, setupText)});
    return errors;
}

}  // namespace party::daily
