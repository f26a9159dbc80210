// party.transfer (关系接转): the transfer card, its workflow (confirm, return, return slip,
// resend, cancel) and its introduction letter, and the whole-organisation transfer card
// (整建制转移), are declared in manifest.xml and served by the host (docs/records.md,
// "Workflows" and "Documents"). This library adds the rules (transfer_rules.hpp), the member
// card's transfer section and the reminder of lapsed letters. Transfers in from outside the
// system (the intake card) put the person on the receiving roll.

#include "transfer_rules.hpp"

namespace party::transfer {

namespace {

class TransferModule final : public tessera::Module {
public:
    void declare(tessera::Declarations& d) override {
        tessera::RecordHooks rules;
        rules.derive = deriveTransfer;
        rules.validate = checkTransfer;
        rules.guard = [](const QString& step, const tessera::Record& draft, const tessera::Record& stored, const tessera::Request&,
                         tessera::Context& ctx) { return guardStep(step, draft, stored, ctx); };
        rules.afterStep = [](const QString& step, const tessera::Record& saved, const tessera::Record&, const tessera::Request&,
                             tessera::Context& ctx) { return afterStep(step, saved, ctx); };
        rules.refuseDelete = [](const tessera::Record& transfer, tessera::Context&) -> tessera::Result<QString> {
            // A transfer that moved someone is their history; only an open one entered by mistake goes.
            const QString state = transfer.value(QStringLiteral("state")).toString();
            return state == u"confirmed" || state == u"arrived" ? tessera::text("it is part of the member's history") : QString();
        };
        d.records(QStringLiteral("transfer"), std::move(rules));
        tessera::RecordHooks moves;
        moves.derive = deriveOrgMove;
        moves.validate = [](const tessera::Record& draft, const tessera::Record* stored, const tessera::Request&, tessera::Context& ctx) {
            return checkOrgMove(draft, stored, ctx);
        };
        moves.afterSave = moveOrg;
        moves.refuseDelete = [](const tessera::Record&, tessera::Context&) -> tessera::Result<QString> {
            return tessera::text("the organisation was moved: the record is its history");
        };
        d.records(QStringLiteral("org-move"), std::move(moves));
        tessera::RecordHooks intakes;
        intakes.derive = deriveIntake;
        intakes.validate = checkIntake;
        intakes.afterSave = receiveIntake;
        intakes.refuseDelete = [](const tessera::Record&, tessera::Context&) -> tessera::Result<QString> {
            return tessera::text("it is how the person came onto the roll: correct it instead");
        };
        d.records(QStringLiteral("intake"), std::move(intakes));
        d.cardSection(QStringLiteral("transfers"), memberTransfers);
        d.reminders(QStringLiteral("party.transfer.read"), lapsedLetters);
    }
};

}  // namespace

}  // namespace party::transfer

TESSERA_MODULE(party::transfer::TransferModule)
