// biz.aftersales (售后服务): the repair registration book, dispatch tickets with their
// technician's steps and maintenance contracts are declared in manifest.xml and served by the
// host (docs/records.md). This library adds the rules (aftersales_rules.hpp) and the home
// reminders of tickets past the response target and contracts about to end.

#include "aftersales_charts.hpp"
#include "aftersales_rules.hpp"

namespace biz::aftersales {

namespace {

class AftersalesModule final : public tessera::Module {
public:
    void declare(tessera::Declarations& d) override {
        tessera::RecordHooks registrations;
        registrations.derive = deriveRegistration;
        d.records(QStringLiteral("registration"), std::move(registrations));
        tessera::RecordHooks tickets;
        tickets.derive = deriveTicket;
        tickets.validate = checkTicket;
        tickets.guard = [](const QString& step, const tessera::Record& draft, const tessera::Record& stored, const tessera::Request&,
                           tessera::Context&) { return guardTicket(step, draft, stored); };
        tickets.warn = [](const tessera::Record& saved, const tessera::Record* before, const tessera::Request&, tessera::Context& ctx) {
            return warnTicket(saved, before, ctx.setting(QStringLiteral("response-hours")).toInt());
        };
        tickets.refuseDelete = [](const tessera::Record& ticket, tessera::Context&) -> tessera::Result<QString> {
            // Work done is the customer's service history (and, for class A, what was charged).
            return ticket.value(QStringLiteral("state")).toString() == u"dispatched" ? QString()
                                                                                     : tessera::text("a technician has worked on it");
        };
        d.records(QStringLiteral("ticket"), std::move(tickets));
        tessera::RecordHooks contracts;
        contracts.derive = deriveContract;
        contracts.validate = checkContract;
        d.records(QStringLiteral("contract"), std::move(contracts));
        d.reminders(QStringLiteral("biz.aftersales.read"), serviceReminders);
        d.route(tessera::Method::Get, QStringLiteral("statistics"), serviceStatistics, QStringLiteral("biz.aftersales.read"));
        d.route(tessera::Method::Get, QStringLiteral("charts/classes"), ticketsByClass, QStringLiteral("biz.aftersales.read"));
        d.route(tessera::Method::Get, QStringLiteral("charts/technicians"), ticketsByTechnician, QStringLiteral("biz.aftersales.read"));
        d.route(tessera::Method::Get, QStringLiteral("charts/response"), responseTimes, QStringLiteral("biz.aftersales.read"));
    }
};

}  // namespace

}  // namespace biz::aftersales

TESSERA_MODULE(biz::aftersales::AftersalesModule)
