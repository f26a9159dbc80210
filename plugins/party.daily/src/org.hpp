#pragma once
// Party organisation cards (党组织): declared in the manifest and served by the host as a card
// that is a unit of the tree (docs/records.md, is-unit): saving one makes, renames or moves
// its unit. These are the rules of their own, as the hooks the host calls.

#include <tessera/records.hpp>

#include <QDate>
#include <QList>
#include <QStringList>

namespace party::daily {

/// How many full and probationary members belong to a unit itself (not its subtree).
struct DirectMembers {
    qint64 formal = 0;
    qint64 probationary = 0;
};

/// The warnings of 《中国共产党支部工作条例（试行）》 (2018) for a branch-type organisation
/// (党支部, 联合党支部, 临时党支部): at least 3 full members, a committee from 7 full members
/// on, normally at most 50 members. Warnings, not refusals: a higher organisation may approve.
QStringList branchWarnings(const QString& orgType, const DirectMembers& members);

/// An organisation's status is normal unless given.
void deriveOrg(tessera::Record& draft);

/// A dissolved organisation has its dissolution date, not before it was set up, and only a
/// dissolved one has it (dates in the future the card itself refuses: not-future).
QList<tessera::FieldError> checkOrg(const tessera::Record& org);

}  // namespace party::daily
