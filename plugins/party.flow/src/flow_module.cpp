// party.flow (流动党员): the flow card and its return step are declared in manifest.xml and
// served by the host (docs/records.md). This library adds the rules (flow_rules.hpp), the
// warning that a member long away at a fixed place should transfer, and the member card's
// flow section. Later modules read party_flows (state 'out', to_unit_id) for who takes part
// in a host organisation's life without a vote there.

#include "flow_rules.hpp"

namespace party::flow {

namespace {

class FlowModule final : public tessera::Module {
public:
    void declare(tessera::Declarations& d) override {
        tessera::RecordHooks rules;
        rules.derive = deriveFlow;
        rules.validate = checkFlow;
        rules.warn = [](const tessera::Record& saved, const tessera::Record*, const tessera::Request&, tessera::Context& ctx) {
            // A member checked back in (the return step) is no longer away: nothing to say.
            if (saved.value(QStringLiteral("state")).toString() != u"out") return QList<tessera::FieldError>{};
            return warnFlow(saved, ctx.setting(QStringLiteral("transfer-after-months")).toInt());
        };
        rules.guard = [](const QString&, const tessera::Record& draft, const tessera::Record& stored, const tessera::Request&,
                         tessera::Context&) { return guardReturn(draft, stored); };
        d.records(QStringLiteral("flow"), std::move(rules));
        d.cardSection(QStringLiteral("flows"), memberFlows);
    }
};

}  // namespace

}  // namespace party::flow

TESSERA_MODULE(party::flow::FlowModule)
