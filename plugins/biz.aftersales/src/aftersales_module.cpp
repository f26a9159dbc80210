// biz.aftersales (售后服务): the repair registration book, dispatch tickets with their
// technician's steps and maintenance contracts are declared in manifest.xml and served by the
// host (docs/records.md). This library adds the rules (aftersales_rules.hpp) and the home
// reminders of tickets past the response target and contracts about to end, and the sample
// data of `tessera demo` (aftersales_demo.hpp).

#include "aftersales_charts.hpp"
#include "aftersales_demo.hpp"
#include "aftersales_feedback.hpp"
#include "aftersales_rules.hpp"
#include "aftersales_worklog.hpp"

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
        tessera::RecordHooks worklog;
        worklog.derive = deriveWorklog;
        worklog.validate = checkWorklog;
        d.records(QStringLiteral("workday"), std::move(worklog));
        tessera::RecordHooks surveys;
        surveys.derive = deriveSurvey;
        surveys.validate = checkSurvey;
        surveys.afterSave = afterSurvey;
        d.records(QStringLiteral("survey"), std::move(surveys));
        tessera::RecordHooks complaints;
        complaints.derive = deriveComplaint;
        complaints.validate = checkComplaint;
        complaints.guard = [](const QString& step, const tessera::Record& draft, const tessera::Record& stored, const tessera::Request&,
                              tessera::Context&) { return guardComplaint(step, draft, stored); };
        complaints.refuseDelete = refuseComplaintDelete;
        d.records(QStringLiteral("complaint"), std::move(complaints));
        d.reminders(QStringLiteral("biz.aftersales.read"),
                    [](qint64 unitId, const QDate& date, tessera::Context& ctx) -> tessera::Result<std::vector<tessera::Reminder>> {
                        auto service = serviceReminders(unitId, date, ctx);
                        if (!service) return service;
                        auto feedback = feedbackReminders(unitId, date, ctx);
                        if (!feedback) return feedback;
                        service->insert(service->end(), feedback->begin(), feedback->end());
                        return service;
                    });
        d.route(tessera::Method::Get, QStringLiteral("statistics"), serviceStatistics, QStringLiteral("biz.aftersales.read"));
        d.route(tessera::Method::Get, QStringLiteral("weekly"), weeklySummary, QStringLiteral("biz.aftersales.read"));
        // The satisfaction survey's link: made by staff, answered by the customer without logging in.
        d.route(tessera::Method::Post, QStringLiteral("tickets/{id}/survey-link"), surveyLink, QStringLiteral("biz.aftersales.read"));
        d.route(tessera::Method::Get, QStringLiteral("survey/{token}"), surveyForm, tessera::kPublicRoute);
        d.route(tessera::Method::Post, QStringLiteral("survey/{token}"), answerSurvey, tessera::kPublicRoute);
        d.route(tessera::Method::Get, QStringLiteral("charts/classes"), ticketsByClass, QStringLiteral("biz.aftersales.read"));
        d.route(tessera::Method::Get, QStringLiteral("charts/technicians"), ticketsByTechnician, QStringLiteral("biz.aftersales.read"));
        d.route(tessera::Method::Get, QStringLiteral("charts/response"), responseTimes, QStringLiteral("biz.aftersales.read"));
        d.route(tessera::Method::Get, QStringLiteral("charts/satisfaction"), satisfactionByMonth, QStringLiteral("biz.aftersales.read"));
        d.demo(makeDemoAftersales);
    }
};

}  // namespace

}  // namespace biz::aftersales

TESSERA_MODULE(biz::aftersales::AftersalesModule)
