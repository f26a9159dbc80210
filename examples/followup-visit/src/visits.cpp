// crm.visits: customer follow-up visits. The host serves the visit card (manifest.xml); this
// library adds the home reminder of the user's unit: visits that still need a follow-up.
#include <tessera/tessera.hpp>

class VisitsModule final : public tessera::Module {
public:
    void declare(tessera::Declarations& d) override {
        d.reminders(QStringLiteral("crm.visits.read"), [](qint64 unitId, const QDate&, tessera::Context& ctx)
                        -> tessera::Result<std::vector<tessera::Reminder>> {
            auto n = ctx.database().queryOne(QStringLiteral("SELECT count(*) AS n FROM crm_visits WHERE unit_id = ?1 AND follow_up = 1"), {unitId});
            if (!n) return n.error();
            const qint64 count = n->value(QStringLiteral("n")).toLongLong();
            if (count == 0) return std::vector<tessera::Reminder>{};
            return std::vector<tessera::Reminder>{{QStringLiteral("%1 次客户回访需要跟进").arg(count), QStringLiteral("warning"),
                                                   QStringLiteral("/m/crm.visits/visits?followUp=true"), {}}};
        });
    }
};

TESSERA_MODULE(VisitsModule)
