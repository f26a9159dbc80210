#pragma once
// Party organisation cards (党组织): their fields and their own rules.

#include "records.hpp"

#include <tessera/access.hpp>

#include <QDate>

namespace party::daily {

/// The organisation card's fields (the parent is not one: it is the unit's place in the tree).
std::vector<FieldSpec> orgFields();

/// What the organisation list reads: cards in pinyin order of the full name, searched by
/// name and code.
ListQuery orgListQuery();

/// The name of an organisation's unit (as the tree shows it): the short name, else the full name.
QString orgUnitName(const QVariantMap& values);

/// How many full and probationary members belong to a unit itself (not its subtree).
struct DirectMembers {
    qint64 formal = 0;
    qint64 probationary = 0;
};

/// The warnings of 《中国共产党支部工作条例（试行）》 (2018) for a branch-type organisation
/// (党支部, 联合党支部, 临时党支部): at least 3 full members, a committee from 7 full members
/// on, normally at most 50 members. Warnings, not refusals: a higher organisation may approve.
QStringList branchWarnings(const QString& orgType, const DirectMembers& members);

// Where an organisation may go: the one rule the card API (POST and PUT orgs) and the
// organisation import apply, with the same refusals on the same field.

/// Refusal of a parent the writer may not write in (or that does not exist: the same words,
/// so nothing is said about units outside the writer's scope). `parent` names it as the
/// writer did: "unit 7", or "the party organisation P01" in an import.
QString parentRefusal(const QString& parent, bool moving);

/// A new or moved organisation must lie in the writer's scope afterwards: a writer of one
/// unit only may not add (or move) an organisation to where they could no longer see it.
/// Checked after the unit is created or moved, inside the writing transaction; the refusal
/// is on parentId.
std::optional<tessera::FieldError> placementRefusal(const tessera::Scope& scope, qint64 unitId, qint64 parentId);

/// Refusal of a code another organisation has (whether or not the writer may see it).
QString codeTakenRefusal(const QString& code);

/// The card field a refusal of the unit tree (a bad name or code, a move under itself) is about.
QString unitRefusalField(const tessera::Error& e);

/// A status defaults to normal and an empty code is none; a dissolved organisation has its
/// date, not before it was set up; no date is in the future.
void checkOrg(QVariantMap& values, const QDate& today, QList<tessera::FieldError>& errors);

}  // namespace party::daily
