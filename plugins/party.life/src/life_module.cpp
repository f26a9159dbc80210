// party.life (组织生活): the meeting card is declared in manifest.xml and served by the host
// (docs/records.md). This library adds the roster and rules (life_rules.hpp), the statistics
// for the charts, the organisation and member cards' sections, and the 三会一课 reminder.

#include "life_rules.hpp"

namespace party::life {

namespace {

class LifeModule final : public tessera::Module {
public:
    void declare(tessera::Declarations& d) override {
        const QString read = QStringLiteral("party.life.read");
        tessera::RecordHooks meetings;
        meetings.derive = deriveMeeting;
        meetings.validate = [](const tessera::Record& draft, const tessera::Record* stored, const tessera::Request&,
                               tessera::Context& ctx) { return checkMeeting(draft, stored, ctx); };
        d.records(QStringLiteral("meeting"), std::move(meetings));
        d.route(tessera::Method::Get, QStringLiteral("meetings/stats/by-kind"), meetingsByKind, read);
        d.route(tessera::Method::Get, QStringLiteral("meetings/stats/by-quarter"), meetingsByQuarter, read);
        d.cardSection(QStringLiteral("rhythm"), orgRhythm);
        d.cardSection(QStringLiteral("attended"), memberMeetings);
        d.subtreeReminders(read, branchesBehind);
    }
};

}  // namespace

}  // namespace party::life

TESSERA_MODULE(party::life::LifeModule)
