// party.transfer (关系接转): the transfer card, its workflow (confirm, return, return slip,
// resend, cancel) and its introduction letter are declared in manifest.xml and served by the
// host (docs/records.md, "Workflows" and "Documents"). This library adds the rules
// (transfer_rules.hpp) and the member card's transfer section.

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
        d.cardSection(QStringLiteral("transfers"), memberTransfers);
        d.reminders(QStringLiteral("party.transfer.read"), lapsedLetters);
    }
};

}  // namespace

}  // namespace party::transfer

TESSERA_MODULE(party::transfer::TransferModule)
