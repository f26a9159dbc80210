#pragma once
// party.elections' rules (换届选举), as the record engine's hooks call them. The term and post
// cards are declared in manifest.xml; these are what the cards cannot say.

#include <tessera/tessera.hpp>

namespace party::elections {

inline const QString kMemberCard = QStringLiteral("party.daily/member");
inline const QString kOrgCard = QStringLiteral("party.daily/org");
inline const QString kTermCard = QStringLiteral("party.elections/term");

/// A term's name (中共…第3届委员会), its length by the kind of organisation when none is
/// given (the settings), and the date it expires: its start plus its years, moved by an
/// approved extension or advance.
void deriveTerm(tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);
/// A term is of a party organisation, one per number, its terms in the order of their
/// numbers; an extension or advance is of at most a year (the manifest) and needs who
/// approved it and when; the organisation stays its own.
QList<tessera::FieldError> checkTerm(const tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);
/// A length other than the usual one for the kind of organisation.
QList<tessera::FieldError> warnTerm(const tessera::Record& saved, tessera::Context& ctx);

/// Marks each organisation's current term (its highest number) after a term is written or
/// deleted, in that transaction: derived, like a sort key, for the 本届 filter and reminders.
tessera::Status markLatest(tessera::Context& ctx);

/// A post's organisation is its term's, and its holder's name is kept.
void derivePost(tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);
/// Only a full member on the roll, of the organisation or below it, holds a post; from no
/// earlier than the term began, to no earlier than they took it; one secretary at a time;
/// one post per member in a term at a time; the term and the member stay.
QList<tessera::FieldError> checkPost(const tessera::Record& draft, const tessera::Record* stored, const tessera::Request& r,
                                     tessera::Context& ctx);
/// A committee above its usual size, or above the largest without a higher committee's
/// approval.
QList<tessera::FieldError> warnPost(const tessera::Record& saved, tessera::Context& ctx);

/// The home reminder of an organisation and those below it: elected committees whose term
/// expires within the notice days, and those expired without a new term.
tessera::Result<std::vector<tessera::Reminder>> expiringTerms(const tessera::ReminderRequest& r, tessera::Context& ctx);

/// The organisation card's section: its terms, newest first, with who holds which post.
tessera::Result<QJsonArray> orgTerms(qint64 orgId, const tessera::Request& r, tessera::Context& ctx);
/// The member card's section: the posts they held, newest first.
tessera::Result<QJsonArray> memberPosts(qint64 memberId, const tessera::Request& r, tessera::Context& ctx);

}  // namespace party::elections
