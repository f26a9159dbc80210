#pragma once
// Party organisation cards (党组织): their fields and their own rules.

#include "records.hpp"

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

/// A status defaults to normal and an empty code is none; a dissolved organisation has its
/// date, not before it was set up; no date is in the future.
void checkOrg(QVariantMap& values, const QDate& today, QList<tessera::FieldError>& errors);

}  // namespace party::daily
