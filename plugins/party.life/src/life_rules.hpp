#pragma once
// party.life's rules (组织生活), as the record engine's hooks and the plugin's routes call them.
// The meeting card is declared in manifest.xml; these are what the card cannot say. They read
// party.daily's members and organisations (party_members, party_orgs) and party.flow's flows
// (party_flows: state 'out', to_unit_id) for who may attend.

#include <tessera/tessera.hpp>

namespace party::life {

inline const QString kMemberCard = QStringLiteral("party.daily/member");

/// The roster of a new meeting left without one: the organisation's members on its roll and
/// the members flowing in to it (they attend without a vote), all present; each row's name
/// and whether they flow in; and the counts (应到, 实到, 请假, 缺席) over its own members.
void deriveMeeting(tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);
/// Who attends is a member of the organisation (or below it) on the roll, or flowing in to
/// it; once each; leave has its reason; the chair and the recorder were present; the
/// organisation of a meeting stays its own.
QList<tessera::FieldError> checkMeeting(const tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);

/// GET meetings/stats/by-kind?unit=&year=  and  meetings/stats/by-quarter?unit=&year=&kind=:
/// the meetings of a year in the caller's scope (the picked unit and below), for the charts.
tessera::Response meetingsByKind(const tessera::Request& r, tessera::Context& ctx);
tessera::Response meetingsByQuarter(const tessera::Request& r, tessera::Context& ctx);

/// The organisation card's section: its meetings (and those of the units below it) this year
/// per kind and quarter, and the latest of each kind.
tessera::Result<QJsonArray> orgRhythm(qint64 orgId, const tessera::Request& r, tessera::Context& ctx);
/// The member card's section: the meetings they were listed at, newest first.
tessera::Result<QJsonArray> memberMeetings(qint64 memberId, const tessera::Request& r, tessera::Context& ctx);

/// The home reminder of an organisation and those below it: branches that held no meeting of
/// a kind in the last whole period the settings ask for (三会一课).
tessera::Result<std::vector<tessera::Reminder>> branchesBehind(const tessera::ReminderRequest& r, tessera::Context& ctx);

}  // namespace party::life
