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

/// A status defaults to normal and an empty code is none; a dissolved organisation has its
/// date, not before it was set up; no date is in the future.
void checkOrg(QVariantMap& values, const QDate& today, QList<tessera::FieldError>& errors);

}  // namespace party::daily
