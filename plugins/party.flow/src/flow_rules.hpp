#pragma once
// party.flow's rules (流动党员), as the record engine's hooks call them. The flow card and its
// return step are declared in manifest.xml; these are what the card cannot say.

#include <tessera/tessera.hpp>

namespace party::flow {

inline const QString kMemberCard = QStringLiteral("party.daily/member");

/// Fills what a flow takes from its member: the name, and the home organisation (the
/// member's own when the flow starts; kept after).
void deriveFlow(tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);

/// A flow: a member on the roll without another flow under way, a return not before leaving,
/// a host organisation other than the home one; changes only while the member is away.
QList<tessera::FieldError> checkFlow(const tessera::Record& draft, const tessera::Record* stored, const tessera::Request& r, tessera::Context& ctx);

/// The warning on the outflow form: away `months` or more at a fixed place, the member should
/// transfer rather than flow (《党员教育管理工作条例》 2019, 第二十五条).
QList<tessera::FieldError> warnFlow(const tessera::Record& saved, int months);

/// The return step: not before the member left.
QList<tessera::FieldError> guardReturn(const tessera::Record& draft, const tessera::Record& stored);

/// The member card's section: the member's flows the caller may read, newest first.
tessera::Result<QJsonArray> memberFlows(qint64 memberId, const tessera::Request& r, tessera::Context& ctx);

}  // namespace party::flow
