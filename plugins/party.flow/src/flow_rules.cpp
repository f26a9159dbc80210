#include "flow_rules.hpp"

#include <QDate>
#include <QJsonArray>

namespace party::flow {

namespace {

using tessera::FieldError;
using tessera::Record;

QString text(const Record& r, const char* field) { return r.value(QLatin1String(field)).toString().trimmed(); }
qint64 number(const Record& r, const char* field) { return r.value(QLatin1String(field)).toInteger(); }

}  // namespace

void deriveFlow(Record& draft, const Record* stored, tessera::Context& ctx) {
    const qint64 memberId = number(draft, "memberId");
    auto member = memberId > 0 ? ctx.records().read(kMemberCard, memberId) : tessera::Result<Record>(Record{});
    if (member && !member->isEmpty()) draft.insert(QStringLiteral("memberName"), member->value(QStringLiteral("name")));
    if (stored)
        draft.insert(QStringLiteral("unitId"), stored->value(QStringLiteral("unitId")));
    else if (member && !member->isEmpty())
        draft.insert(QStringLiteral("unitId"), member->value(QStringLiteral("unitId")));
}

QList<FieldError> checkFlow(const Record& draft, const Record* stored, const tessera::Request& r, tessera::Context& ctx) {
    QList<FieldError> errors;
    if (stored && text(*stored, "state") != u"out") {
        errors.append({QStringLiteral("state"), tessera::text("the member is back; the flow can no longer be changed")});
        return errors;
    }
    const qint64 memberId = number(draft, "memberId");
    if (stored && memberId != number(*stored, "memberId")) {
        errors.append({QStringLiteral("memberId"), tessera::text("the member of a flow cannot be changed; record another flow")});
        return errors;
    }
    auto member = ctx.records().read(kMemberCard, memberId);
    if (!member) return {{QStringLiteral("memberId"), tessera::text("could not be checked: %1", member.error().message)}};
    // A member the caller may not read: the engine says it does not exist.
    if (member->isEmpty() || !r.access || !r.access->scope(QStringLiteral("party.daily.read")).contains(number(*member, "unitId")))
        return errors;
    if (!text(*member, "leftDate").isEmpty())
        errors.append(
            {QStringLiteral("memberId"), tessera::text("%1 left the roll on %2", text(*member, "name"), text(*member, "leftDate"))});
    if (number(draft, "toUnitId") && number(draft, "toUnitId") == number(draft, "unitId"))
        errors.append({QStringLiteral("toUnitId"), tessera::text("is the member's own organisation; a flow goes elsewhere")});
    const QString left = text(draft, "leftOn"), back = text(draft, "expectedBack");
    if (!back.isEmpty() && !left.isEmpty() && back < left)
        errors.append({QStringLiteral("expectedBack"), tessera::text("%1 is before the member left (%2)", back, left)});
    auto away = ctx.database().queryOne(QStringLiteral("SELECT id FROM party_flows WHERE member_id = ?1 AND state = 'out' AND id <> ?2"),
                                        {memberId, number(draft, "id")});
    if (!away)
        errors.append({QStringLiteral("memberId"), tessera::text("could not be checked: %1", away.error().message)});
    else if (!away->isEmpty())
        errors.append({QStringLiteral("memberId"), tessera::text("%1 is away already (flow %2); check them back in first",
                                                                 text(*member, "name"), away->value(QStringLiteral("id")).toLongLong())});
    return errors;
}

QList<FieldError> warnFlow(const Record& saved, int months) {
    const QDate left = QDate::fromString(text(saved, "leftOn"), Qt::ISODate);
    const QDate back = QDate::fromString(text(saved, "expectedBack"), Qt::ISODate);
    if (!saved.value(QStringLiteral("fixedPlace")).toBool() || !left.isValid() || !back.isValid() || back < left.addMonths(months))
        return {};
    return {{QStringLiteral("expectedBack"),
             tessera::text("away %1 months or more at a fixed place: the member should transfer their membership there rather than flow",
                           months)}};
}

QList<FieldError> guardReturn(const Record& draft, const Record& stored) {
    const QString back = text(draft, "returnedOn");
    if (!back.isEmpty() && back < text(stored, "leftOn"))
        return {{QStringLiteral("returnedOn"), tessera::text("%1 is before the member left (%2)", back, text(stored, "leftOn"))}};
    return {};
}

tessera::Result<QJsonArray> memberFlows(qint64 memberId, const tessera::Request& r, tessera::Context& ctx) {
    tessera::Params params{memberId};
    const QString home = r.scope->condition(QStringLiteral("unit_id"), params);
    const QString host = r.scope->condition(QStringLiteral("to_unit_id"), params);
    auto rows = ctx.database().query(QStringLiteral("SELECT id, left_on, destination, to_unit_id, reason, returned_on FROM party_flows "
                                                    "WHERE member_id = ?1 AND (%1 OR %2) ORDER BY left_on DESC, id DESC")
                                         .arg(home, host),
                                     params);
    if (!rows) return rows.error();
    const auto reasons = ctx.dictionary(QStringLiteral("flow-reason"));
    QJsonArray out;
    for (const auto& row : *rows) {
        const QString hostPath = tessera::unitPath(ctx.units(), row.value(QStringLiteral("to_unit_id")).toLongLong());
        out.append(QJsonObject{{QStringLiteral("id"), row.value(QStringLiteral("id")).toLongLong()},
                               {QStringLiteral("leftOn"), row.value(QStringLiteral("left_on")).toString()},
                               {QStringLiteral("destination"), row.value(QStringLiteral("destination")).toString()},
                               {QStringLiteral("host"), hostPath},
                               {QStringLiteral("reason"), reasons.value(row.value(QStringLiteral("reason")).toString())},
                               {QStringLiteral("returnedOn"), row.value(QStringLiteral("returned_on")).toString()}});
    }
    return out;
}

}  // namespace party::flow
