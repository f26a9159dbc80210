#include "transfer_rules.hpp"

#include <QDate>
#include <QJsonArray>

namespace party::transfer {

namespace {

using tessera::FieldError;
using tessera::Record;

QString text(const Record& r, const char* field) { return r.value(QLatin1String(field)).toString().trimmed(); }
qint64 number(const Record& r, const char* field) { return r.value(QLatin1String(field)).toInteger(); }

// The states in which a transfer is still being handled (and may be edited by its sender).
bool isOpen(const QString& state) { return state == u"pending" || state == u"returned"; }

// A unit by its path below the top of the tree, for the member card's section.
QString unitPath(qint64 id, tessera::Context& ctx) {
    if (!id) return {};
    auto names = ctx.units().pathNames(id);
    if (!names || names->isEmpty()) return {};
    return names->size() > 1 ? names->mid(1).join(u'/') : names->front();
}

}  // namespace

void deriveTransfer(Record& draft, const Record* stored, tessera::Context& ctx) {
    const qint64 memberId = number(draft, "memberId");
    auto member = memberId > 0 ? ctx.records().read(kMemberCard, memberId) : tessera::Result<Record>(Record{});
    if (member && !member->isEmpty()) draft.insert(QStringLiteral("memberName"), member->value(QStringLiteral("name")));
    // The sending organisation is the member's when the transfer starts, and stays: the member
    // moves on confirmation, the transfer does not.
    if (stored) draft.insert(QStringLiteral("unitId"), stored->value(QStringLiteral("unitId")));
    else if (member && !member->isEmpty()) draft.insert(QStringLiteral("unitId"), member->value(QStringLiteral("unitId")));
    if (text(draft, "kind") == u"out" && number(draft, "validDays") <= 0)
        draft.insert(QStringLiteral("validDays"), ctx.setting(QStringLiteral("letter-valid-days")).toInt());
}

QList<FieldError> checkTransfer(const Record& draft, const Record* stored, const tessera::Request& r, tessera::Context& ctx) {
    QList<FieldError> errors;
    if (stored && !isOpen(text(*stored, "state"))) {
        errors.append({QStringLiteral("state"), tessera::text("a transfer that is %1 can no longer be changed",
                                                              text(*stored, "state") == u"cancelled" ? tessera::text("cancelled") : tessera::text("completed"))});
        return errors;
    }
    const qint64 memberId = number(draft, "memberId");
    if (stored && memberId != number(*stored, "memberId")) {
        errors.append({QStringLiteral("memberId"), tessera::text("the member of a transfer cannot be changed; cancel it and start another")});
        return errors;
    }
    // The member must be one the caller may read; the engine says "does not exist" otherwise.
    auto member = ctx.records().read(kMemberCard, memberId);
    if (!member) return {{QStringLiteral("memberId"), tessera::text("could not be checked: %1", member.error().message)}};
    const qint64 from = number(draft, "unitId");
    if (member->isEmpty() || !r.access || !r.access->scope(QStringLiteral("party.daily.read")).contains(number(*member, "unitId"))) return errors;
    if (!text(*member, "leftDate").isEmpty())
        errors.append({QStringLiteral("memberId"), tessera::text("%1 left the roll on %2 and cannot be transferred", text(*member, "name"), text(*member, "leftDate"))});
    const QString kind = text(draft, "kind");
    const qint64 to = number(draft, "toUnitId");
    if (kind == u"within") {
        if (!to) errors.append({QStringLiteral("toUnitId"), tessera::text("is required for a transfer within the system")});
        else if (to == from) errors.append({QStringLiteral("toUnitId"), tessera::text("is the organisation the member is in already")});
        if (!text(draft, "toOrgName").isEmpty())
            errors.append({QStringLiteral("toOrgName"), tessera::text("is only for a transfer out of the system; name the organisation in the system instead")});
    } else if (kind == u"out") {
        if (to) errors.append({QStringLiteral("toUnitId"), tessera::text("is only for a transfer within the system")});
        if (text(draft, "toOrgName").isEmpty()) errors.append({QStringLiteral("toOrgName"), tessera::text("is required for a transfer out of the system")});
        if (text(draft, "duesPaidTo").isEmpty())
            errors.append({QStringLiteral("duesPaidTo"), tessera::text("is required on an introduction letter")});
    }
    // One open transfer per member at a time.
    auto open = ctx.database().queryOne(QStringLiteral("SELECT id FROM party_transfers WHERE member_id = ?1 AND state IN ('pending', 'returned') AND id <> ?2"),
                                        {memberId, number(draft, "id")});
    if (!open) errors.append({QStringLiteral("memberId"), tessera::text("could not be checked: %1", open.error().message)});
    else if (!open->isEmpty())
        errors.append({QStringLiteral("memberId"), tessera::text("%1 already has a transfer being handled (%2); finish or cancel it first", text(*member, "name"),
                                                                 open->value(QStringLiteral("id")).toLongLong())});
    return errors;
}

QList<FieldError> guardStep(const QString& step, const Record& draft, const Record& stored, tessera::Context& ctx) {
    QList<FieldError> errors;
    const QString kind = text(stored, "kind");
    if ((step == u"confirm" || step == u"return") && kind != u"within")
        errors.append({QStringLiteral("(step)"), tessera::text("only a transfer within the system is confirmed or returned by the receiving organisation")});
    if (step == u"receipt" && kind != u"out")
        errors.append({QStringLiteral("(step)"), tessera::text("only a transfer out of the system has a return slip")});
    if (step == u"confirm" || step == u"receipt") {
        // The member must still be on the sending organisation's roll, where the transfer found them.
        auto member = ctx.records().read(kMemberCard, number(stored, "memberId"));
        if (!member) return {{QStringLiteral("(step)"), tessera::text("could not be checked: %1", member.error().message)}};
        if (member->isEmpty() || !text(*member, "leftDate").isEmpty() || number(*member, "unitId") != number(stored, "unitId"))
            errors.append({QStringLiteral("(step)"), tessera::text("%1 is no longer on the roll of the sending organisation", text(stored, "memberName"))});
        const QString on = text(draft, step == u"confirm" ? "confirmedOn" : "receiptOn");
        if (!on.isEmpty() && on < text(stored, "startedOn"))
            errors.append({step == u"confirm" ? QStringLiteral("confirmedOn") : QStringLiteral("receiptOn"),
                           tessera::text("%1 is before the transfer began (%2)", on, text(stored, "startedOn"))});
    }
    return errors;
}

tessera::Status afterStep(const QString& step, const Record& saved, tessera::Context& ctx) {
    const qint64 memberId = number(saved, "memberId");
    if (step == u"confirm") return ctx.records().change(kMemberCard, memberId, Record{{QStringLiteral("unitId"), saved.value(QStringLiteral("toUnitId"))}});
    if (step == u"receipt")
        return ctx.records().change(kMemberCard, memberId,
                                    Record{{QStringLiteral("leftDate"), saved.value(QStringLiteral("receiptOn"))},
                                           {QStringLiteral("leftReason"), QStringLiteral("transferred-out")}});
    return {};
}

void deriveOrgMove(Record& draft, const Record* stored, tessera::Context& ctx) {
    if (stored) {
        draft.insert(QStringLiteral("fromParentId"), stored->value(QStringLiteral("fromParentId")));
        return;
    }
    auto org = ctx.records().read(kOrgCard, number(draft, "unitId"));
    if (org && !org->isEmpty()) draft.insert(QStringLiteral("fromParentId"), org->value(QStringLiteral("parentId")));
}

QList<FieldError> checkOrgMove(const Record& draft, const Record* stored, tessera::Context& ctx) {
    if (stored) return {{QStringLiteral("unitId"), tessera::text("a whole-organisation transfer that took place cannot be changed; record another one")}};
    auto org = ctx.records().read(kOrgCard, number(draft, "unitId"));
    if (!org) return {{QStringLiteral("unitId"), tessera::text("could not be checked: %1", org.error().message)}};
    if (org->isEmpty()) return {{QStringLiteral("unitId"), tessera::text("has no party organisation card")}};
    if (org->value(QStringLiteral("parentId")).isNull()) return {{QStringLiteral("unitId"), tessera::text("is the top of the tree, which has no parent to leave")}};
    if (number(draft, "toParentId") == number(*org, "parentId"))
        return {{QStringLiteral("toParentId"), tessera::text("is the organisation's parent already")}};
    return {};
}

tessera::Status moveOrg(const Record& saved, const Record* before, tessera::Context& ctx) {
    if (before) return {};
    auto moved = ctx.records().change(kOrgCard, number(saved, "unitId"), Record{{QStringLiteral("parentId"), saved.value(QStringLiteral("toParentId"))}});
    if (!moved) return tessera::Error{moved.error().code, moved.error().message, QStringLiteral("toParentId")};
    return {};
}

tessera::Result<std::vector<tessera::Reminder>> lapsedLetters(qint64 unitId, const QDate& date, tessera::Context& ctx) {
    auto rows = ctx.database().query(QStringLiteral("SELECT started_on, valid_days FROM party_transfers WHERE unit_id = ?1 AND kind = 'out' AND state = 'pending'"),
                                     {unitId});
    if (!rows) return rows.error();
    qint64 lapsed = 0;
    for (const auto& row : *rows) {
        const QDate started = QDate::fromString(row.value(QStringLiteral("started_on")).toString(), Qt::ISODate);
        if (started.isValid() && started.addDays(row.value(QStringLiteral("valid_days")).toLongLong()) < date) ++lapsed;
    }
    std::vector<tessera::Reminder> out;
    if (lapsed)
        out.push_back({tessera::text("%1 introduction letters have lapsed without their return slip", lapsed), QStringLiteral("warning"),
                       QStringLiteral("/m/party.transfer/transfers?kind=out&state=pending"), {}});
    return out;
}

tessera::Result<QJsonArray> memberTransfers(qint64 memberId, const tessera::Request& r, tessera::Context& ctx) {
    tessera::Params params{memberId};
    const QString from = r.scope->condition(QStringLiteral("unit_id"), params);
    const QString to = r.scope->condition(QStringLiteral("to_unit_id"), params);
    auto rows = ctx.database().query(QStringLiteral("SELECT id, started_on, kind, unit_id, to_unit_id, to_org_name, state FROM party_transfers "
                                                    "WHERE member_id = ?1 AND (%1 OR %2) ORDER BY started_on DESC, id DESC")
                                         .arg(from, to),
                                     params);
    if (!rows) return rows.error();
    const auto kinds = ctx.dictionary(QStringLiteral("transfer-kind"));
    const auto states = ctx.dictionary(QStringLiteral("transfer-state"));
    QJsonArray out;
    for (const auto& row : *rows) {
        const qint64 toUnit = row.value(QStringLiteral("to_unit_id")).toLongLong();
        out.append(QJsonObject{{QStringLiteral("id"), row.value(QStringLiteral("id")).toLongLong()},
                               {QStringLiteral("startedOn"), row.value(QStringLiteral("started_on")).toString()},
                               {QStringLiteral("kind"), kinds.value(row.value(QStringLiteral("kind")).toString())},
                               {QStringLiteral("from"), unitPath(row.value(QStringLiteral("unit_id")).toLongLong(), ctx)},
                               {QStringLiteral("to"), toUnit ? unitPath(toUnit, ctx) : row.value(QStringLiteral("to_org_name")).toString()},
                               {QStringLiteral("state"), states.value(row.value(QStringLiteral("state")).toString())}});
    }
    return out;
}

}  // namespace party::transfer
