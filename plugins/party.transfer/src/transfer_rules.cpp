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

QString unitPath(qint64 id, tessera::Context& ctx) { return tessera::unitPath(ctx.units(), id); }

// Who a transfer moves: a member, or an applicant or activist (they transfer too).
struct Person {
    QString card;  // kMemberCard or kApplicantCard
    qint64 id = 0;
};
Person personOf(const Record& transfer) {
    if (const qint64 applicant = number(transfer, "applicantId"); applicant > 0 && number(transfer, "memberId") <= 0)
        return {kApplicantCard, applicant};
    return {kMemberCard, number(transfer, "memberId")};
}

}  // namespace

void deriveTransfer(Record& draft, const Record* stored, tessera::Context& ctx) {
    const Person person = personOf(draft);
    auto member = person.id > 0 ? ctx.records().read(person.card, person.id) : tessera::Result<Record>(Record{});
    if (member && !member->isEmpty()) draft.insert(QStringLiteral("memberName"), member->value(QStringLiteral("name")));
    // The sending organisation is the member's when the transfer starts, and stays: the member
    // moves on confirmation, the transfer does not.
    if (stored)
        draft.insert(QStringLiteral("unitId"), stored->value(QStringLiteral("unitId")));
    else if (member && !member->isEmpty())
        draft.insert(QStringLiteral("unitId"), member->value(QStringLiteral("unitId")));
    if (text(draft, "kind") == u"out" && number(draft, "validDays") <= 0)
        draft.insert(QStringLiteral("validDays"), ctx.setting(QStringLiteral("letter-valid-days")).toInt());
    // 党费交至 left empty: the month party.dues has the member paid up to, where it runs here.
    if (text(draft, "duesPaidTo").isEmpty() && number(draft, "memberId") > 0)
        if (auto paid = ctx.records().fact(QStringLiteral("party.dues/paid-up-to"), number(draft, "memberId")); paid && *paid && (**paid).isString())
            draft.insert(QStringLiteral("duesPaidTo"), (**paid).toString());
}

QList<FieldError> checkTransfer(const Record& draft, const Record* stored, const tessera::Request& r, tessera::Context& ctx) {
    QList<FieldError> errors;
    if (stored && !isOpen(text(*stored, "state"))) {
        errors.append({QStringLiteral("state"),
                       tessera::text("a transfer that is %1 can no longer be changed",
                                     text(*stored, "state") == u"cancelled" ? tessera::text("cancelled") : tessera::text("completed"))});
        return errors;
    }
    const bool isMember = number(draft, "memberId") > 0, isApplicant = number(draft, "applicantId") > 0;
    if (isMember == isApplicant) {
        errors.append({QStringLiteral("memberId"), isMember
                                                       ? tessera::text("a transfer moves one person: a member or an applicant, not both")
                                                       : tessera::text("name the member, or the applicant or activist, to transfer")});
        return errors;
    }
    const Person person = personOf(draft);
    const QString personField = isMember ? QStringLiteral("memberId") : QStringLiteral("applicantId");
    if (stored &&
        (number(draft, "memberId") != number(*stored, "memberId") || number(draft, "applicantId") != number(*stored, "applicantId"))) {
        errors.append({personField, tessera::text("the member of a transfer cannot be changed; cancel it and start another")});
        return errors;
    }
    const qint64 memberId = person.id;
    // The person must be one the caller may read; the engine says "does not exist" otherwise.
    auto member = ctx.records().read(person.card, memberId);
    if (!member) return {{personField, tessera::text("could not be checked: %1", member.error().message)}};
    const qint64 from = number(draft, "unitId");
    if (member->isEmpty() || !r.access || !r.access->scope(QStringLiteral("party.daily.read")).contains(number(*member, "unitId")))
        return errors;
    if (!text(*member, "leftDate").isEmpty())
        errors.append({personField, tessera::text("%1 left the roll on %2 and cannot be transferred", text(*member, "name"),
                                                  text(*member, "leftDate"))});
    const QString kind = text(draft, "kind");
    if (isApplicant && kind != u"within")
        errors.append(
            {QStringLiteral("kind"),
             tessera::text(
                 "an applicant or activist transfers within the system; out of it, their file goes with a letter of the organisation")});
    const qint64 to = number(draft, "toUnitId");
    if (kind == u"within") {
        if (!to)
            errors.append({QStringLiteral("toUnitId"), tessera::text("is required for a transfer within the system")});
        else if (to == from)
            errors.append({QStringLiteral("toUnitId"), tessera::text("is the organisation the member is in already")});
        if (!text(draft, "toOrgName").isEmpty())
            errors.append({QStringLiteral("toOrgName"),
                           tessera::text("is only for a transfer out of the system; name the organisation in the system instead")});
    } else if (kind == u"out") {
        if (to) errors.append({QStringLiteral("toUnitId"), tessera::text("is only for a transfer within the system")});
        if (text(draft, "toOrgName").isEmpty())
            errors.append({QStringLiteral("toOrgName"), tessera::text("is required for a transfer out of the system")});
        if (text(draft, "duesPaidTo").isEmpty())
            errors.append({QStringLiteral("duesPaidTo"), tessera::text("is required on an introduction letter")});
    }
    // One open transfer per member at a time.
    auto open = ctx.database().queryOne(
        QStringLiteral("SELECT id FROM party_transfers WHERE %1 = ?1 AND state IN ('pending', 'returned') AND id <> ?2")
            .arg(isMember ? QStringLiteral("member_id") : QStringLiteral("applicant_id")),
        {memberId, number(draft, "id")});
    if (!open)
        errors.append({personField, tessera::text("could not be checked: %1", open.error().message)});
    else if (!open->isEmpty())
        errors.append({personField, tessera::text("%1 already has a transfer being handled (%2); finish or cancel it first",
                                                  text(*member, "name"), open->value(QStringLiteral("id")).toLongLong())});
    return errors;
}

QList<FieldError> guardStep(const QString& step, const Record& draft, const Record& stored, tessera::Context& ctx) {
    QList<FieldError> errors;
    const QString kind = text(stored, "kind");
    if ((step == u"confirm" || step == u"return") && kind != u"within")
        errors.append({QStringLiteral("(step)"),
                       tessera::text("only a transfer within the system is confirmed or returned by the receiving organisation")});
    if (step == u"receipt" && kind != u"out")
        errors.append({QStringLiteral("(step)"), tessera::text("only a transfer out of the system has a return slip")});
    if (step == u"confirm" || step == u"receipt") {
        // The person must still be on the sending organisation's roll, where the transfer found them.
        const Person person = personOf(stored);
        auto member = ctx.records().read(person.card, person.id);
        if (!member) return {{QStringLiteral("(step)"), tessera::text("could not be checked: %1", member.error().message)}};
        if (member->isEmpty() || !text(*member, "leftDate").isEmpty() || number(*member, "unitId") != number(stored, "unitId"))
            errors.append({QStringLiteral("(step)"),
                           tessera::text("%1 is no longer on the roll of the sending organisation", text(stored, "memberName"))});
        const QString on = text(draft, step == u"confirm" ? "confirmedOn" : "receiptOn");
        if (!on.isEmpty() && on < text(stored, "startedOn"))
            errors.append({step == u"confirm" ? QStringLiteral("confirmedOn") : QStringLiteral("receiptOn"),
                           tessera::text("%1 is before the transfer began (%2)", on, text(stored, "startedOn"))});
    }
    return errors;
}

tessera::Status afterStep(const QString& step, const Record& saved, tessera::Context& ctx) {
    const Person person = personOf(saved);
    if (step == u"confirm")
        return ctx.records().change(person.card, person.id, Record{{QStringLiteral("unitId"), saved.value(QStringLiteral("toUnitId"))}});
    if (step == u"receipt")
        return ctx.records().change(kMemberCard, person.id,
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
    if (stored)
        return {{QStringLiteral("unitId"),
                 tessera::text("a whole-organisation transfer that took place cannot be changed; record another one")}};
    auto org = ctx.records().read(kOrgCard, number(draft, "unitId"));
    if (!org) return {{QStringLiteral("unitId"), tessera::text("could not be checked: %1", org.error().message)}};
    if (org->isEmpty()) return {{QStringLiteral("unitId"), tessera::text("has no party organisation card")}};
    if (org->value(QStringLiteral("parentId")).isNull())
        return {{QStringLiteral("unitId"), tessera::text("is the top of the tree, which has no parent to leave")}};
    if (number(draft, "toParentId") == number(*org, "parentId"))
        return {{QStringLiteral("toParentId"), tessera::text("is the organisation's parent already")}};
    return {};
}

tessera::Status moveOrg(const Record& saved, const Record* before, tessera::Context& ctx) {
    if (before) return {};
    auto moved = ctx.records().change(kOrgCard, number(saved, "unitId"),
                                      Record{{QStringLiteral("parentId"), saved.value(QStringLiteral("toParentId"))}});
    if (!moved) return tessera::Error{moved.error().code, moved.error().message, QStringLiteral("toParentId")};
    return {};
}

namespace {
Person intakePerson(const Record& intake) {
    return text(intake, "kind") == u"applicant" ? Person{kApplicantCard, number(intake, "applicantId")}
                                                : Person{kMemberCard, number(intake, "memberId")};
}
QString personField(const Person& p) { return p.card == kApplicantCard ? QStringLiteral("applicantId") : QStringLiteral("memberId"); }
}  // namespace

void deriveIntake(Record& draft, const Record* stored, tessera::Context& ctx) {
    if (stored) {  // who came, and where to, is what the record is about
        for (const char* kept : {"kind", "memberId", "applicantId", "unitId"})
            draft.insert(QLatin1String(kept), stored->value(QLatin1String(kept)));
    }
    const Person person = intakePerson(draft);
    if (person.id <= 0) return;
    auto found = ctx.records().read(person.card, person.id);
    if (found && !found->isEmpty()) draft.insert(QStringLiteral("memberName"), found->value(QStringLiteral("name")));
}

QList<FieldError> checkIntake(const Record& draft, const Record* stored, const tessera::Request& r, tessera::Context& ctx) {
    QList<FieldError> errors;
    const QString letterDate = text(draft, "letterDate"), arrived = text(draft, "arrivedOn");
    if (!letterDate.isEmpty() && !arrived.isEmpty() && arrived < letterDate)
        errors.append({QStringLiteral("arrivedOn"), tessera::text("%1 is before the letter was written (%2)", arrived, letterDate)});
    if (stored) return errors;  // the person was checked, and received, when it was recorded
    const Person person = intakePerson(draft);
    const QString field = personField(person);
    const QString other = person.card == kApplicantCard ? QStringLiteral("memberId") : QStringLiteral("applicantId");
    if (number(draft, other.toLatin1().constData()) > 0)
        errors.append(
            {other, tessera::text("is not for this kind of person; name them in %1",
                                  person.card == kApplicantCard ? tessera::text("applicant or activist") : tessera::text("member"))});
    if (person.id <= 0) {
        errors.append({field, tessera::text("is required: pick the person, or create their card here")});
        return errors;
    }
    auto found = ctx.records().read(person.card, person.id);
    if (!found) return {{field, tessera::text("could not be checked: %1", found.error().message)}};
    // Someone the caller may not read the engine refuses as not existing; say nothing more.
    if (found->isEmpty() || !r.access || !r.access->scope(QStringLiteral("party.daily.read")).contains(number(*found, "unitId")))
        return errors;
    const QString name = text(*found, "name");
    const qint64 unit = number(draft, "unitId"), at = number(*found, "unitId");
    if (!text(*found, "leftDate").isEmpty()) {
        if (text(*found, "leftReason") != u"transferred-out")
            errors.append({field, tessera::text("%1 left the roll on %2 for another reason than a transfer out, and cannot be "
                                                "transferred in",
                                                name, text(*found, "leftDate"))});
    } else if (unit && at != unit) {
        errors.append({field, tessera::text("%1 is on the roll of %2; a transfer within the system moves them", name, unitPath(at, ctx))});
    } else {
        // On the receiving roll already: a card made for this letter, not one with a transfer in.
        auto earlier = ctx.database().queryOne(QStringLiteral("SELECT letter_no FROM party_transfer_intakes WHERE %1 = ?1")
                                                   .arg(field == u"memberId" ? "member_id" : "applicant_id"),
                                               {person.id});
        if (!earlier)
            errors.append({field, tessera::text("could not be checked: %1", earlier.error().message)});
        else if (!earlier->isEmpty())
            errors.append({field, tessera::text("%1 was already received with letter %2", name,
                                                earlier->value(QStringLiteral("letter_no")).toString())});
    }
    return errors;
}

tessera::Status receiveIntake(const Record& saved, const Record* before, tessera::Context& ctx) {
    if (before) return {};
    const Person person = intakePerson(saved);
    auto found = ctx.records().read(person.card, person.id);
    if (!found) return found.error();
    if (found->isEmpty() || text(*found, "leftDate").isEmpty()) return {};  // on the roll already
    auto back = ctx.records().change(person.card, person.id,
                                     Record{{QStringLiteral("leftDate"), QJsonValue()},
                                            {QStringLiteral("leftReason"), QJsonValue()},
                                            {QStringLiteral("unitId"), saved.value(QStringLiteral("unitId"))}});
    if (!back) return tessera::Error{back.error().code, back.error().message, personField(person)};
    return {};
}

tessera::Result<std::vector<tessera::Reminder>> lapsedLetters(qint64 unitId, const QDate& date, tessera::Context& ctx) {
    auto rows = ctx.database().query(
        QStringLiteral("SELECT started_on, valid_days FROM party_transfers WHERE unit_id = ?1 AND kind = 'out' AND state = 'pending'"),
        {unitId});
    if (!rows) return rows.error();
    qint64 lapsed = 0;
    for (const auto& row : *rows) {
        const QDate started = QDate::fromString(row.value(QStringLiteral("started_on")).toString(), Qt::ISODate);
        if (started.isValid() && started.addDays(row.value(QStringLiteral("valid_days")).toLongLong()) < date) ++lapsed;
    }
    std::vector<tessera::Reminder> out;
    if (lapsed)
        out.push_back({tessera::text("%1 introduction letters have lapsed without their return slip", lapsed),
                       QStringLiteral("warning"),
                       QStringLiteral("/m/party.transfer/transfers?kind=out&state=pending"),
                       {}});
    return out;
}

tessera::Result<QJsonArray> memberTransfers(qint64 memberId, const tessera::Request& r, tessera::Context& ctx) {
    tessera::Params params{memberId};
    const QString from = r.scope->condition(QStringLiteral("unit_id"), params);
    const QString to = r.scope->condition(QStringLiteral("to_unit_id"), params);
    auto rows =
        ctx.database().query(QStringLiteral("SELECT id, started_on, kind, unit_id, to_unit_id, to_org_name, state FROM party_transfers "
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
    // Transfers in from outside the system, at the organisations the caller reads, among them.
    tessera::Params inParams{memberId};
    const QString at = r.scope->condition(QStringLiteral("unit_id"), inParams);
    auto intakes = ctx.database().query(
        QStringLiteral("SELECT id, arrived_on, unit_id, from_org_name FROM party_transfer_intakes WHERE member_id = ?1 AND %1").arg(at),
        inParams);
    if (!intakes) return intakes.error();
    for (const auto& row : *intakes) {
        const QString on = row.value(QStringLiteral("arrived_on")).toString();
        const QJsonObject o{{QStringLiteral("id"), row.value(QStringLiteral("id")).toLongLong()},
                            {QStringLiteral("startedOn"), on},
                            {QStringLiteral("kind"), tessera::text("in from outside the system")},
                            {QStringLiteral("from"), row.value(QStringLiteral("from_org_name")).toString()},
                            {QStringLiteral("to"), unitPath(row.value(QStringLiteral("unit_id")).toLongLong(), ctx)},
                            {QStringLiteral("state"), states.value(QStringLiteral("confirmed"))}};
        qsizetype i = 0;  // newest first, as the transfers are
        while (i < out.size() && out[i].toObject().value(QStringLiteral("startedOn")).toString() > on) ++i;
        out.insert(i, o);
    }
    return out;
}

}  // namespace party::transfer
