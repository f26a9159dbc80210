// `tessera demo` with party.daily: a tree of the depth asked for, the number of organisations
// and members asked for, valid unique ID numbers, members only in branches, the same data for
// the same seed, and a refusal on a deployment that already has data.

#include "citizen_id.hpp"
#include "host_fixture.hpp"

#include <QJsonArray>
#include <QSet>

#include <gtest/gtest.h>

using namespace tessera::test;

namespace {

QString partyConfig(TempDir& dir, const QString& name = QStringLiteral("deployment.xml")) {
    return dir.write(name, RunningHost::deploymentXml({builtPluginDir()}, {{QStringLiteral("party.daily"), {}}}).toUtf8());
}

}  // namespace

TEST(DailyDemo, MakesTheTreeAndTheMembersAskedForWithValidUniqueIdNumbers) {
    TempDir dir;
    const QString config = partyConfig(dir);
    CliResult made = runTessera({QStringLiteral("demo"), QStringLiteral("--config"), config, QStringLiteral("--organisations"), QStringLiteral("40"),
                        QStringLiteral("--people"), QStringLiteral("300"), QStringLiteral("--depth"), QStringLiteral("4")});
    ASSERT_EQ(made.exitCode, 0) << made.err.toStdString();
    EXPECT_TRUE(made.out.startsWith(QStringLiteral("party.daily: 40 organisations"))) << made.out.toStdString();
    EXPECT_TRUE(made.out.contains(QStringLiteral("300 members"))) << made.out.toStdString();

    RunningHost host(config);
    auto c = host.client();
    auto orgs = c.get("/api/v1/party.daily/orgs?size=200");
    ASSERT_EQ(orgs.status, 200);
    EXPECT_EQ(orgs.json().value(QStringLiteral("total")).toInt(), 40);
    QSet<qint64> branches;
    for (const auto& o : orgs.json().value(QStringLiteral("items")).toArray())
        if (o.toObject().value(QStringLiteral("orgType")).toString() == QLatin1String("branch")) branches.insert(o.toObject().value(QStringLiteral("id")).toInteger());
    EXPECT_FALSE(branches.isEmpty());
    auto deepest = host.app().store().queryOne(QStringLiteral("SELECT max(depth) AS d FROM core_units"));
    ASSERT_TRUE(deepest);
    EXPECT_EQ(deepest->value(QStringLiteral("d")).toInt(), 4);

    QSet<QString> ids;
    for (int page = 1; page <= 2; ++page) {
        auto members = c.get("/api/v1/party.daily/members?size=200&page=" + QByteArray::number(page));
        ASSERT_EQ(members.status, 200);
        for (const auto& m : members.json().value(QStringLiteral("items")).toArray()) {
            const QJsonObject o = m.toObject();
            const QString id = o.value(QStringLiteral("idNumber")).toString();
            const auto parsed = party::daily::parseCitizenId(id);
            ASSERT_TRUE(parsed) << id.toStdString();
            EXPECT_EQ(parsed->birthDate.toString(Qt::ISODate), o.value(QStringLiteral("birthDate")).toString());
            EXPECT_EQ(parsed->genderCode(), o.value(QStringLiteral("gender")).toString());
            EXPECT_GE(party::daily::ageOn(parsed->birthDate, QDate::fromString(o.value(QStringLiteral("joinDate")).toString(), Qt::ISODate)), 18);
            EXPECT_TRUE(branches.contains(o.value(QStringLiteral("unitId")).toInteger())) << "members belong to branches";
            ids.insert(id);
        }
    }
    EXPECT_EQ(ids.size(), 300);

    // A second run refuses and changes nothing.
    host.stop();
    CliResult again = runTessera({QStringLiteral("demo"), QStringLiteral("--config"), config});
    EXPECT_EQ(again.exitCode, 1);
    EXPECT_TRUE(again.err.contains(QStringLiteral("already has data"))) << again.err.toStdString();
}

TEST(DailyDemo, TheSameSeedGivesTheSameDataAndBadArgumentsAreUsageErrors) {
    TempDir dir;
    auto dump = [&](const QString& config) {
        EXPECT_EQ(runTessera({QStringLiteral("demo"), QStringLiteral("--config"), config, QStringLiteral("--organisations"), QStringLiteral("10"),
                           QStringLiteral("--people"), QStringLiteral("50"), QStringLiteral("--seed"), QStringLiteral("7")})
                      .exitCode,
                  0);
        RunningHost host(config);
        return host.client().get("/api/v1/party.daily/members?size=50").json().value(QStringLiteral("items")).toArray().size() == 50
                   ? host.app().store().query(QStringLiteral("SELECT name, id_number, join_date FROM party_members ORDER BY id")).value()
                   : tessera::Rows{};
    };
    const auto first = dump(partyConfig(dir, QStringLiteral("a.xml")));
    TempDir other;
    const auto second = dump(partyConfig(other, QStringLiteral("b.xml")));
    ASSERT_EQ(first.size(), 50U);
    EXPECT_EQ(first, second);
    EXPECT_EQ(runTessera({QStringLiteral("demo"), QStringLiteral("--config"), QStringLiteral("x.xml"), QStringLiteral("--depth"), QStringLiteral("0")}).exitCode, 2);
    EXPECT_EQ(runTessera({QStringLiteral("demo")}).exitCode, 2);
}
