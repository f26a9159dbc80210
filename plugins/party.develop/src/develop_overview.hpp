#pragma once
// party.develop's overview (issue 16, item 4): the pipeline of a branch or a subtree as stage
// counts by organisation (the `pipeline` report), the deadlines due or overdue (the
// `deadlines` report and the home page's reminders), and each person's development steps on
// their applicant and member cards (the `timeline` card sections).

#include <tessera/tessera.hpp>

namespace party::develop {

/// GET pipeline?unit=&year=: for each organisation of the unit picked (the caller's scope
/// when none), the people at each of the five stages now, the full members approved in the
/// year, and how many have a step overdue.
tessera::Response pipelineReport(const tessera::Request& r, tessera::Context& ctx);

/// GET deadlines?unit=: each person whose next deadline (the talk, a cultivation review, the
/// approval, the end of probation) is past or within the setting's days, earliest first.
tessera::Response deadlinesReport(const tessera::Request& r, tessera::Context& ctx);

/// The home page's reminders for the user's unit and below: deadlines overdue (urgent) and
/// due within the setting's days (warning), by kind, each linking to the deadlines report.
tessera::Result<std::vector<tessera::Reminder>> developReminders(const tessera::ReminderRequest& r, tessera::Context& ctx);

/// The development steps of the applicant (`applicant`) or member card `recordId`: each
/// step taken with its date and the people in it.
tessera::Result<QJsonArray> applicantTimeline(qint64 applicantId, const tessera::Request& r, tessera::Context& ctx);
tessera::Result<QJsonArray> memberTimeline(qint64 memberId, const tessera::Request& r, tessera::Context& ctx);

}  // namespace party::develop
