#pragma once
// party.develop's rules (发展党员, 《中国共产党发展党员工作细则》2014), as the record engine's
// hooks call them. The development record, its 25 steps and their fields are declared in
// manifest.xml; these are what the card cannot say. Every refusal is on the field it is about.

#include <tessera/tessera.hpp>

#include <QDate>

namespace party::develop {

inline const QString kApplicantCard = QStringLiteral("party.daily/applicant");
inline const QString kMemberCard = QStringLiteral("party.daily/member");

/// The day probation ends: a year from the branch meeting that accepted the person (step 15),
/// and the months it was extended by, if it was. Invalid while there was no meeting.
QDate probationEnd(const tessera::Record& development);

/// Whether someone born on `birth` is 18 or older on `day` (born on 29 February: from 28
/// February of the year they turn 18, as QDate::addYears counts).
bool isEighteenOn(const QDate& birth, const QDate& day);

/// Fills what the record takes from the applicant's card: the name, the ID number and the
/// organisation (kept as it was once the record exists).
void deriveDevelopment(tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);

/// POST, PUT and import rows: one record per applicant, who is 18 or older on the
/// application date; the applicant stays, and what the steps record is set by no one but the
/// steps (a new record is the application alone).
QList<tessera::FieldError> checkDevelopment(const tessera::Record& draft, const tessera::Record* stored, const tessera::Request& r,
                                            tessera::Context& ctx);

/// A step's rules, on the record as the step leaves it: its dates in order, and each step's
/// own (a year as activist, two full members as introducers, the training's length, the
/// public notice, the branch meeting's vote, approval within six months, the probation's
/// year before full membership).
QList<tessera::FieldError> guardStep(const QString& step, const tessera::Record& draft, const tessera::Record& stored,
                                     const tessera::Request& r, tessera::Context& ctx);

/// What a step does to the person's member card: approved (step 17), 预备党员 on the roll with
/// the branch meeting's date as join date; full membership approved (step 24), 正式党员 from
/// the day probation ended.
tessera::Status afterStep(const QString& step, const tessera::Record& saved, tessera::Context& ctx);

/// Saved all the same, with a warning: the talk more than a month after the application, the
/// approval more than three months after the branch meeting.
QList<tessera::FieldError> warnDevelopment(const tessera::Record& saved, const tessera::Record* before);

/// A record that put its person on the roll is their history; one entered by mistake before
/// that may go.
QString whyKept(const tessera::Record& development);

}  // namespace party::develop
