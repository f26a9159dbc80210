#pragma once
// party.transfer's rules (关系接转), as the record engine's hooks call them. The transfer card,
// its workflow and its letter are declared in manifest.xml; these are what the card cannot say.

#include <tessera/tessera.hpp>

namespace party::transfer {

inline const QString kMemberCard = QStringLiteral("party.daily/member");
inline const QString kOrgCard = QStringLiteral("party.daily/org");
inline const QString kApplicantCard = QStringLiteral("party.daily/applicant");

/// Fills what a transfer takes from its member: the name, the sending organisation (the
/// member's own, kept once the transfer exists), and the letter's validity by default.
void deriveTransfer(tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);

/// A new or changed transfer: a member on the roll without another open transfer, a
/// destination as its kind needs, changes only while it is open and never of its member.
QList<tessera::FieldError> checkTransfer(const tessera::Record& draft, const tessera::Record* stored, const tessera::Request& r,
                                         tessera::Context& ctx);

/// A step: confirming and returning are for transfers within the system, the return slip
/// for those out of it; the member must still be where the transfer found them.
QList<tessera::FieldError> guardStep(const QString& step, const tessera::Record& draft, const tessera::Record& stored,
                                     tessera::Context& ctx);

/// What a step means for the member: confirmed, they move to the receiving organisation;
/// the return slip recorded, they leave the sending one's roll as transferred out.
tessera::Status afterStep(const QString& step, const tessera::Record& saved, tessera::Context& ctx);

/// 整建制转移: the organisation moved must be a party organisation (its card), the old parent
/// is taken from the tree, and a move that took place is history: never changed after.
void deriveOrgMove(tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);
QList<tessera::FieldError> checkOrgMove(const tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);
/// Moves the organisation, with everything below it and every member in it, under the new
/// parent, in the record's transaction; the tree's refusal (under itself) is on toParentId.
tessera::Status moveOrg(const tessera::Record& saved, const tessera::Record* before, tessera::Context& ctx);

/// 系统外转入: the name from the person the letter brings; a recorded transfer in stays on the
/// person and the organisation it brought them to.
void deriveIntake(tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);
/// The person must be of the kind named, and either just entered on the receiving
/// organisation's roll (a card created from the form) or a member who once transferred out of
/// the system (off the roll for that reason); never someone on another organisation's roll,
/// who transfers within the system instead, nor someone who left the party.
QList<tessera::FieldError> checkIntake(const tessera::Record& draft, const tessera::Record* stored, const tessera::Request& r,
                                       tessera::Context& ctx);
/// A member who comes back is put on the receiving organisation's roll again, in the same
/// transaction.
tessera::Status receiveIntake(const tessera::Record& saved, const tessera::Record* before, tessera::Context& ctx);

/// The home reminder of the sending organisation: introduction letters out of the system
/// whose validity lapsed on `date` without their return slip.
tessera::Result<std::vector<tessera::Reminder>> lapsedLetters(qint64 unitId, const QDate& date, tessera::Context& ctx);

/// The member card's section: the member's transfers the caller may read, newest first.
tessera::Result<QJsonArray> memberTransfers(qint64 memberId, const tessera::Request& r, tessera::Context& ctx);

}  // namespace party::transfer
