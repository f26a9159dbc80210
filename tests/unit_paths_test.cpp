// Units named so that people recognise them (issue 12): many units share a name, so records,
// counts, exports, refusals and GET /api/v1/units/labels name a unit by its path below the
// caller's top unit, with the whole path they may see beside it; nothing above their scope
// is ever named. Over real HTTP, on fx.records' visit card.

#include "host_fixture.hpp"

#include <QJsonArray>

#include <gtest/gtest.h>

#include <ostream>

static void PrintTo(const QString& s, std::ostream* os) { *os << '"' << s.toStdString() << '"'; }

using namespace tessera::test;

namespace {

class UnitPaths : public ::testing::Test {
protected:
    // 总部
    // ├── 东区 ── 街道3 ── 第1党支部
    // │                └── 社区5 ── 网格2 ── 第1党支部 (deep)
    // └── 西区 ── 街道3 ── 第1党支部
    void SetUp() override {
        host = std::make_unique<RunningHost>(QStringList{fixturePluginDir(), builtPluginDir()},
                                             std::vector<EnablePlugin>{{QStringLiteral("biz.customers"), {}}, {QStringLiteral("fx.records"), {}}});
        ASSERT_EQ(host->app().runtime().plugin(QStringLiteral("fx.records"))->state, tessera::host::PluginState::Started);
        auto& units = host->app().units();
        root = units.ensureRoot(QStringLiteral("总部"))->id;
        ASSERT_TRUE(units.rename(root, QStringLiteral("总部"), {}, 0, tessera::host::UnitTree::kAnyVersion));  // the host's own may be first
        east = units.create(root, QStringLiteral("东区"))->id;
        eastStreet = units.create(east, QStringLiteral("街道3"))->id;
        eastBranch = units.create(eastStreet, QStringLiteral("第1党支部"))->id;
        const qint64 community = units.create(eastStreet, QStringLiteral("社区5"))->id;
        const qint64 grid = units.create(community, QStringLiteral("网格2"))->id;
        deep = units.create(grid, QStringLiteral("第1党支部"))->id;
        west = units.create(root, QStringLiteral("西区"))->id;
        const qint64 westStreet = units.create(west, QStringLiteral("街道3"))->id;
        westBranch = units.create(westStreet, QStringLiteral("第1党支部"))->id;
        admin = std::make_unique<HttpClient>(host->client());
        visit(QStringLiteral("东区访"), eastBranch);
        visit(QStringLiteral("西区访"), westBranch);
        visit(QStringLiteral("网格访"), deep);
    }

    void visit(const QString& subject, qint64 unit) {
        auto r = admin->send("POST", "/api/v1/fx.records/visits",
                             QJsonObject{{QStringLiteral("subject"), subject}, {QStringLiteral("unitId"), unit},
                                         {QStringLiteral("visitDate"), QStringLiteral("2026-01-05")}});
        ASSERT_EQ(r.status, 201) << r.body.toStdString();
    }

    // A client of a user holding the administrator's role on `unit` and below.
    HttpClient officer(const QString& name, qint64 unit) {
        HttpClient c = host->anonymousClient();
        c.setDefaultHeader("Authorization", "Bearer " + host->userToken(name, QStringLiteral("admin"), QStringLiteral("subtree"), unit));
        return c;
    }

    // The list's items by subject: {unitName, unitPath}.
    static QHash<QString, QPair<QString, QString>> unitsOf(const HttpReply& list) {
        QHash<QString, QPair<QString, QString>> out;
        for (const auto& v : list.json().value(QStringLiteral("items")).toArray()) {
            const QJsonObject o = v.toObject();
            out.insert(o.value(QStringLiteral("subject")).toString(),
                       {o.value(QStringLiteral("unitName")).toString(), o.value(QStringLiteral("unitPath")).toString()});
        }
        return out;
    }

    QString exported(HttpClient& as) {
        auto started = as.request("POST", "/api/v1/fx.records/visits/export?format=csv");
        EXPECT_EQ(started.status, 202) << started.body.toStdString();
        const QJsonObject job = waitForJob(as, started.json().value(QStringLiteral("href")).toString().toUtf8());
        EXPECT_EQ(job.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded")) << QJsonDocument(job).toJson().toStdString();
        return QString::fromUtf8(as.get(job.value(QStringLiteral("output")).toObject().value(QStringLiteral("href")).toString().toUtf8()).body);
    }

    std::unique_ptr<RunningHost> host;
    std::unique_ptr<HttpClient> admin;
    qint64 root = 0, east = 0, eastStreet = 0, eastBranch = 0, deep = 0, west = 0, westBranch = 0;
};

using Pair = QPair<QString, QString>;

}  // namespace

TEST_F(UnitPaths, AnAdministratorTellsTwoBranchesOfOneNameApartByTheirPathBelowTheRoot) {
    auto list = admin->get("/api/v1/fx.records/visits");
    ASSERT_EQ(list.status, 200) << list.body.toStdString();
    const auto units = unitsOf(list);
    EXPECT_EQ(units.value(QStringLiteral("东区访")), Pair(QStringLiteral("东区/街道3/第1党支部"), QStringLiteral("总部/东区/街道3/第1党支部")));
    EXPECT_EQ(units.value(QStringLiteral("西区访")), Pair(QStringLiteral("西区/街道3/第1党支部"), QStringLiteral("总部/西区/街道3/第1党支部")));
    EXPECT_EQ(units.value(QStringLiteral("网格访")), Pair(QStringLiteral("东区/…/网格2/第1党支部"), QStringLiteral("总部/东区/街道3/社区5/网格2/第1党支部")))
        << "more than three levels: the first and the last two";

    const qint64 id = list.json().value(QStringLiteral("items")).toArray().first().toObject().value(QStringLiteral("id")).toInteger();
    auto one = admin->get("/api/v1/fx.records/visits/" + QByteArray::number(id));
    ASSERT_EQ(one.status, 200);
    EXPECT_FALSE(one.json().value(QStringLiteral("unitName")).toString().isEmpty());
    EXPECT_EQ(one.json().value(QStringLiteral("unitId")).toInteger() > 0, true) << "the id stays beside its label";

    // A record read back with its labels saves as it is: they are not fields.
    QJsonObject body = one.json();
    body.insert(QStringLiteral("notes"), QStringLiteral("改"));
    auto saved = admin->send("PUT", "/api/v1/fx.records/visits/" + QByteArray::number(id), body);
    EXPECT_EQ(saved.status, 200) << saved.body.toStdString();
}

TEST_F(UnitPaths, AScopedUserSeesPathsBelowTheirTopUnitAndNothingAboveIt) {
    HttpClient officer = this->officer(QStringLiteral("east"), east);
    auto list = officer.get("/api/v1/fx.records/visits");
    ASSERT_EQ(list.status, 200) << list.body.toStdString();
    const auto units = unitsOf(list);
    EXPECT_EQ(units.size(), 2);
    EXPECT_EQ(units.value(QStringLiteral("东区访")), Pair(QStringLiteral("街道3/第1党支部"), QStringLiteral("东区/街道3/第1党支部")));
    EXPECT_EQ(units.value(QStringLiteral("网格访")), Pair(QStringLiteral("街道3/…/网格2/第1党支部"), QStringLiteral("东区/街道3/社区5/网格2/第1党支部")));
    const QString body = QString::fromUtf8(list.body);
    EXPECT_FALSE(body.contains(QStringLiteral("总部"))) << "the unit above the officer's scope is never named";
    EXPECT_FALSE(body.contains(QStringLiteral("西区")));

    auto counts = officer.get("/api/v1/fx.records/visits/counts?by=unitId");
    ASSERT_EQ(counts.status, 200) << counts.body.toStdString();
    QStringList labels;
    for (const auto& v : counts.json().value(QStringLiteral("items")).toArray()) labels << v.toObject().value(QStringLiteral("label")).toString();
    labels.sort();
    EXPECT_EQ(labels, (QStringList{QStringLiteral("街道3/…/网格2/第1党支部"), QStringLiteral("街道3/第1党支部")}));
    EXPECT_FALSE(QString::fromUtf8(counts.body).contains(QStringLiteral("总部")));
}

// A user's labels are kept with their rights between requests (CallerAccess::keepLabel): a
// unit renamed or moved, through the API or by another process, is named anew at once.
TEST_F(UnitPaths, LabelsKeptBetweenRequestsFollowARenameAndAMove) {
    HttpClient officer = this->officer(QStringLiteral("east"), east);
    auto labelOf = [&](const QString& subject) { return unitsOf(officer.get("/api/v1/fx.records/visits")).value(subject).first; };
    ASSERT_EQ(labelOf(QStringLiteral("东区访")), QStringLiteral("街道3/第1党支部"));
    ASSERT_EQ(labelOf(QStringLiteral("东区访")), QStringLiteral("街道3/第1党支部")) << "asked twice: the kept label";
    admin->setDefaultHeader("If-Match", "*");
    auto renamed = admin->send("PUT", "/api/v1/units/" + QByteArray::number(eastStreet),
                               QJsonObject{{QStringLiteral("name"), QStringLiteral("东街道")}});
    ASSERT_EQ(renamed.status, 200) << renamed.body.toStdString();
    EXPECT_EQ(labelOf(QStringLiteral("东区访")), QStringLiteral("东街道/第1党支部"));
    // Renamed by another connection (as the CLI would), then moved out of the officer's reach.
    ASSERT_TRUE(host->app().units().rename(eastBranch, QStringLiteral("第一支部"), {}, 0, tessera::host::UnitTree::kAnyVersion));
    EXPECT_EQ(labelOf(QStringLiteral("东区访")), QStringLiteral("东街道/第一支部"));
    ASSERT_TRUE(host->app().units().move(eastBranch, west, tessera::host::UnitTree::kAnyVersion));
    EXPECT_EQ(labelOf(QStringLiteral("东区访")), QString()) << "out of the officer's scope: not listed, not named";
    EXPECT_EQ(unitsOf(admin->get("/api/v1/fx.records/visits")).value(QStringLiteral("东区访")).first, QStringLiteral("西区/第一支部"));
}

TEST_F(UnitPaths, ExportsWriteThePathBelowTheExportersTopUnitAndImportAgainUnchanged) {
    const QString all = exported(*admin);
    EXPECT_TRUE(all.contains(QStringLiteral(",东区访,东区/街道3/第1党支部,"))) << all.toStdString();
    EXPECT_TRUE(all.contains(QStringLiteral(",西区访,西区/街道3/第1党支部,"))) << all.toStdString();
    EXPECT_TRUE(all.contains(QStringLiteral(",网格访,东区/街道3/社区5/网格2/第1党支部,"))) << "exports write the path whole";

    HttpClient officer = this->officer(QStringLiteral("east"), east);
    const QString own = exported(officer);
    EXPECT_TRUE(own.contains(QStringLiteral(",东区访,街道3/第1党支部,"))) << own.toStdString();
    EXPECT_FALSE(own.contains(QStringLiteral("总部"))) << own.toStdString();
    EXPECT_FALSE(own.contains(QStringLiteral("西区"))) << own.toStdString();

    // The officer's own file imports again: its paths are read below their top unit.
    auto up = officer.request("POST", "/api/v1/files?name=visits.csv", own.toUtf8());
    ASSERT_EQ(up.status, 201) << up.body.toStdString();
    auto started = officer.send("POST", "/api/v1/fx.records/visits/import", QJsonObject{{QStringLiteral("file"), up.json().value(QStringLiteral("id"))}});
    ASSERT_EQ(started.status, 202) << started.body.toStdString();
    const QJsonObject result = waitForJob(officer, started.json().value(QStringLiteral("href")).toString().toUtf8()).value(QStringLiteral("result")).toObject();
    EXPECT_TRUE(result.value(QStringLiteral("committed")).toBool()) << QJsonDocument(result).toJson().toStdString();
    EXPECT_EQ(result.value(QStringLiteral("unchanged")).toInt(), 2) << QJsonDocument(result).toJson().toStdString();
}

TEST_F(UnitPaths, UnitLabelsNameOnlyTheUnitsTheCallerMayKnowOf) {
    const QByteArray ids = QStringLiteral("%1,%2,%3,%4").arg(root).arg(east).arg(eastBranch).arg(westBranch).toUtf8();
    auto all = admin->get("/api/v1/units/labels?ids=" + ids);
    ASSERT_EQ(all.status, 200) << all.body.toStdString();
    const QJsonArray items = all.json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(items.size(), 4);
    EXPECT_EQ(items[0].toObject(), (QJsonObject{{QStringLiteral("id"), root}, {QStringLiteral("name"), QStringLiteral("总部")}, {QStringLiteral("path"), QStringLiteral("总部")}}));
    EXPECT_EQ(items[3].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("西区/街道3/第1党支部"));

    HttpClient officer = this->officer(QStringLiteral("east"), east);
    auto own = officer.get("/api/v1/units/labels?ids=" + ids);
    ASSERT_EQ(own.status, 200) << own.body.toStdString();
    EXPECT_EQ(own.json().value(QStringLiteral("items")).toArray(),
              (QJsonArray{QJsonObject{{QStringLiteral("id"), east}, {QStringLiteral("name"), QStringLiteral("东区")}, {QStringLiteral("path"), QStringLiteral("东区")}},
                          QJsonObject{{QStringLiteral("id"), eastBranch}, {QStringLiteral("name"), QStringLiteral("街道3/第1党支部")},
                                      {QStringLiteral("path"), QStringLiteral("东区/街道3/第1党支部")}}}))
        << "the parent of their top unit and the other district's branch are left out";
    EXPECT_EQ(officer.get("/api/v1/units/labels?ids=1,x").status, 422);
    EXPECT_EQ(officer.get("/api/v1/units/labels").status, 422);
}

TEST_F(UnitPaths, ARefusalNamesAUnitTheCallerKnowsByItsPathAndNoOtherUnitAtAll) {
    // Reads 东区 and below, adds records to the east branch only.
    auto& accounts = host->app().accounts();
    const qint64 reader = *accounts.createRole(QStringLiteral("reader"), QString(), {QStringLiteral("fx.records.read"), QStringLiteral("core.units.read")});
    HttpClient clerk = host->anonymousClient();
    clerk.setDefaultHeader("Authorization", "Bearer " + host->userToken(QStringLiteral("clerk"), QStringLiteral("admin"), QStringLiteral("unit"), eastBranch));
    ASSERT_TRUE(accounts.grant(accounts.userByName(QStringLiteral("clerk"))->id, reader, tessera::host::ScopeKind::Subtree, east));

    auto known = clerk.send("POST", "/api/v1/fx.records/visits",
                            QJsonObject{{QStringLiteral("subject"), QStringLiteral("越权")}, {QStringLiteral("unitId"), eastStreet},
                                        {QStringLiteral("visitDate"), QStringLiteral("2026-01-05")}});
    ASSERT_EQ(known.status, 422) << known.body.toStdString();
    EXPECT_EQ(messageOf(known, QStringLiteral("unitId")), QStringLiteral("there is no unit 街道3 you may add Visit to"));

    auto other = clerk.send("POST", "/api/v1/fx.records/visits",
                            QJsonObject{{QStringLiteral("subject"), QStringLiteral("越权")}, {QStringLiteral("unitId"), westBranch},
                                        {QStringLiteral("visitDate"), QStringLiteral("2026-01-05")}});
    ASSERT_EQ(other.status, 422) << other.body.toStdString();
    EXPECT_EQ(messageOf(other, QStringLiteral("unitId")), QStringLiteral("there is no unit %1 you may add Visit to").arg(westBranch))
        << "a unit the caller may not know of is the id they sent, as one that does not exist";
}

TEST_F(UnitPaths, ARefusedUnitDeletionNamesTheUnitByItsPath) {
    auto refused = admin->request("DELETE", "/api/v1/units/" + QByteArray::number(eastStreet));
    ASSERT_EQ(refused.status, 409) << refused.body.toStdString();
    const QString detail = refused.json().value(QStringLiteral("detail")).toString();
    EXPECT_TRUE(detail.contains(QStringLiteral("\"东区/街道3\""))) << detail.toStdString();
    EXPECT_FALSE(detail.contains(QStringLiteral("(%1)").arg(eastStreet))) << detail.toStdString();

    HttpClient officer = this->officer(QStringLiteral("east"), east);
    auto theirs = officer.request("DELETE", "/api/v1/units/" + QByteArray::number(eastStreet));
    ASSERT_EQ(theirs.status, 409) << theirs.body.toStdString();
    EXPECT_TRUE(theirs.json().value(QStringLiteral("detail")).toString().contains(QStringLiteral("\"街道3\""))) << theirs.body.toStdString();
}

TEST_F(UnitPaths, ARefusedMoveNamesBothUnitsByTheirPaths) {
    // 街道3 of 东区 under its own deep 第1党支部: both named by the path the caller knows them by.
    const QByteArray target = "/api/v1/units/" + QByteArray::number(eastStreet) + "/move";
    const QJsonObject body{{QStringLiteral("parentId"), deep}, {QStringLiteral("version"), 1}};
    auto refused = admin->send("POST", target, body);
    ASSERT_EQ(refused.status, 422) << refused.body.toStdString();
    EXPECT_EQ(messageOf(refused, QStringLiteral("parentId")),
              QStringLiteral("unit \"东区/街道3\" cannot be moved under \"东区/…/网格2/第1党支部\", which lies inside it"));

    HttpClient officer = this->officer(QStringLiteral("east"), east);
    auto theirs = officer.send("POST", target, body);
    ASSERT_EQ(theirs.status, 422) << theirs.body.toStdString();
    EXPECT_EQ(messageOf(theirs, QStringLiteral("parentId")),
              QStringLiteral("unit \"街道3\" cannot be moved under \"街道3/…/网格2/第1党支部\", which lies inside it"));
}
