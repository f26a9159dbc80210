// party.develop (发展党员): the development record and its 25 steps are declared in
// manifest.xml and served by the host (docs/records.md, "Workflows"). This library adds the
// rules of 《中国共产党发展党员工作细则》 (develop_rules.hpp) and what steps 17 and 24 do to
// the person's member card on party.daily's roll, and the overview: the pipeline and
// deadline reports, the home page's reminders and the steps on the person's cards.

#include "develop_overview.hpp"
#include "develop_rules.hpp"

namespace party::develop {

namespace {

class DevelopModule final : public tessera::Module {
public:
    void declare(tessera::Declarations& d) override {
        tessera::RecordHooks rules;
        rules.derive = deriveDevelopment;
        rules.validate = checkDevelopment;
        rules.warn = [](const tessera::Record& saved, const tessera::Record* before, const tessera::Request&, tessera::Context&) {
            return warnDevelopment(saved, before);
        };
        rules.guard = guardStep;
        rules.afterStep = [](const QString& step, const tessera::Record& saved, const tessera::Record&, const tessera::Request&,
                             tessera::Context& ctx) { return afterStep(step, saved, ctx); };
        rules.refuseDelete = [](const tessera::Record& development, tessera::Context&) -> tessera::Result<QString> {
            return whyKept(development);
        };
        d.records(QStringLiteral("development"), std::move(rules));
        // The overview (develop_overview.hpp): the reports, the home page's reminders and
        // each person's steps on their cards.
        const QString read = QStringLiteral("party.develop.read");
        d.route(tessera::Method::Get, QStringLiteral("pipeline"), pipelineReport, read);
        d.route(tessera::Method::Get, QStringLiteral("deadlines"), deadlinesReport, read);
        d.subtreeReminders(read, developReminders);
        d.cardSection(QStringLiteral("applicant-steps"), applicantTimeline);
        d.cardSection(QStringLiteral("member-steps"), memberTimeline);
    }
};

}  // namespace

}  // namespace party::develop

TESSERA_MODULE(party::develop::DevelopModule)
