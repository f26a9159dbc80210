// party.dues (党费管理): the dues base and payment cards are declared in manifest.xml and served
// by the host (docs/records.md). This library adds the brackets and rules (dues_rules.hpp) and
// the member card's dues section.

#include "dues_rules.hpp"
#include "dues_summary.hpp"

namespace party::dues {

namespace {

class DuesModule final : public tessera::Module {
public:
    void declare(tessera::Declarations& d) override {
        tessera::RecordHooks profiles;
        profiles.derive = deriveProfile;
        profiles.validate = checkProfile;
        d.records(QStringLiteral("profile"), std::move(profiles));
        tessera::RecordHooks payments;
        payments.derive = derivePayment;
        payments.validate = checkPayment;
        payments.warn = [](const tessera::Record& saved, const tessera::Record*, const tessera::Request&, tessera::Context& ctx) {
            return warnPayment(saved, ctx);
        };
        d.records(QStringLiteral("payment"), std::move(payments));
        tessera::RecordHooks exemptions;
        exemptions.derive = deriveExemption;
        exemptions.validate = checkExemption;
        d.records(QStringLiteral("exemption"), std::move(exemptions));
        tessera::RecordHooks large;
        large.derive = deriveLarge;
        large.validate = [](const tessera::Record& draft, const tessera::Record*, const tessera::Request&, tessera::Context&) {
            return checkLarge(draft);
        };
        d.records(QStringLiteral("large-dues"), std::move(large));
        tessera::RecordHooks starts;
        starts.validate = [](const tessera::Record& draft, const tessera::Record*, const tessera::Request&, tessera::Context& ctx) {
            return checkStart(draft, ctx);
        };
        d.records(QStringLiteral("start"), std::move(starts));
        d.route(tessera::Method::Get, QStringLiteral("arrears"), arrearsList, QStringLiteral("party.dues.read"));
        d.route(tessera::Method::Get, QStringLiteral("summary"), duesSummary, QStringLiteral("party.dues.read"));
        d.route(tessera::Method::Get, QStringLiteral("standing"), duesStanding, QStringLiteral("party.dues.read"));
        d.subtreeReminders(QStringLiteral("party.dues.read"), arrearsReminder);
        d.schedule(QStringLiteral("arrears-check"), tessera::Every::Month, checkArrears);
        d.cardSection(QStringLiteral("dues"), memberDues);
    }
};

}  // namespace

}  // namespace party::dues

TESSERA_MODULE(party::dues::DuesModule)
