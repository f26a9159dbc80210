#pragma once
// biz.aftersales' satisfaction surveys (客户满意度调查), the links customers answer them through
// without logging in, and the suggestions and complaints book (建议与投诉), as the record
// engine's hooks and the plugin's routes call them. The cards are declared in manifest.xml.

#include "aftersales_rules.hpp"

namespace biz::aftersales {

/// A survey takes its ticket's customer, department, technician and class; today when no
/// day is given.
void deriveSurvey(tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);

/// Only a closed ticket is surveyed; "online" is only the customer's own answer through the
/// link, which staff then leave as it is.
QList<tessera::FieldError> checkSurvey(const tessera::Record& draft, const tessera::Record* stored, const tessera::Request& r,
                                       tessera::Context& ctx);

/// A survey's complaint and suggestions become records of the book, once; a complaint with a
/// 不满意 among the answers is serious.
tessera::Status afterSurvey(const tessera::Record& saved, const tessera::Record* before, tessera::Context& ctx);

/// The customer's name (from the ticket when only it is named); today when no day is given;
/// a serious complaint starts with the manager (escalated).
void deriveComplaint(tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);
/// The ticket named is the customer's.
QList<tessera::FieldError> checkComplaint(const tessera::Record& draft, const tessera::Record* stored, const tessera::Request& r,
                                          tessera::Context& ctx);
/// The desk replies to a general one; a serious one is the manager's (escalate, then answer).
QList<tessera::FieldError> guardComplaint(const QString& step, const tessera::Record& draft, const tessera::Record& stored);
/// A complaint the customer had the reply to stays.
tessera::Result<QString> refuseComplaintDelete(const tessera::Record& complaint, tessera::Context& ctx);

/// Home reminders of a department: complaints waiting for a reply, serious ones for the manager.
tessera::Result<std::vector<tessera::Reminder>> feedbackReminders(qint64 unitId, const QDate& date, tessera::Context& ctx);

/// POST tickets/{id}/survey-link: a closed ticket's single-use link for the customer, made by
/// the service desk, the manager or the ticket's technician; `{path: "/p/biz.aftersales/survey/<token>"`
/// (the shell's public form),
/// token, expiresAt}` valid for the setting survey-link-days; a new link retires the older.
tessera::Response surveyLink(const tessera::Request& r, tessera::Context& ctx);

/// GET survey/{token} (public): the ticket's number, customer, technician and closing, with
/// the questions and levels; 404 for an unknown token, 410 once used, answered or expired.
tessera::Response surveyForm(const tessera::Request& r, tessera::Context& ctx);

/// POST survey/{token} (public): the four answers with suggestions and complaint, saved as a
/// survey "online" and the link used, in one transaction; a bad answer leaves the link usable.
tessera::Response answerSurvey(const tessera::Request& r, tessera::Context& ctx);

}  // namespace biz::aftersales
