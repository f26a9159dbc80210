#pragma once
// What party.dues' tests share: the role a branch's dues clerk holds.

#include "../../party.daily/tests/daily_test_support.hpp"

#include <QJsonArray>

namespace party::dues::test {

/// Adds the role "treasurer": reads members, reads and records dues.
inline void addTreasurerRole(tessera::test::HttpClient& admin) {
    auto role = admin.send(
        "POST", "/api/v1/roles",
        QJsonObject{{QStringLiteral("name"), QStringLiteral("treasurer")},
                    {QStringLiteral("permissions"), QJsonArray{QStringLiteral("party.daily.read"), QStringLiteral("party.dues.read"),
                                                               QStringLiteral("party.dues.write")}}});
    ASSERT_EQ(role.status, 201) << role.body.toStdString();
}

}  // namespace party::dues::test
