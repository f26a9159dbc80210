// party.daily's cards name units by the path people know them by (issue 12, item 3): two
// branches called 第1党支部 are told apart, and a secretary scoped to a committee is told
// nothing of what lies above it, on the member list, the organisation card and in exports.

#include "daily_test_support.hpp"

#include <QJsonArray>

#include <gtest/gtest.h>

#include <ostream>

static void PrintTo(const QString& s, std::ostream* os) { *os << '"' << s.toStdString() << '"'; }

using namespace tessera::test;

namespace {

// 某省 (the root) ── 中共某市委员会 ── 甲总支 ── 第1党支部
//                                └── 乙总支 ── 第1党支部
class PartyUnitPaths : public party::daily::test::PartyDailyHost {
protected:
    void SetUp() override {
        PartyDailyHost::SetUp();
        ASSERT_TRUE(host->app().units().rename(root, QStringLiteral("某省"), {}, 0, tessera::host::UnitTree::kAnyVersion));
        committee = org(QStringLiteral("中共某市委员会"), QStringLiteral("市委"), root, QStringLiteral("committee"));
        const qint64 a = org(QStringLiteral("中共某市甲党总支"), QStringLiteral("甲总支"), committee, QStringLiteral("general-branch"));
        const qint64 b = org(QStringLiteral("中共某市乙党总支"), QStringLiteral("乙总支"), committee, QStringLiteral("general-branch"));
        branchA = org(QStringLiteral("中共某市甲党总支第一支部"), QStringLiteral("第1党支部"), a, QStringLiteral("branch"));
        branchB = org(QStringLiteral("中共某市乙党总支第一支部"), QStringLiteral("第1党支部"), b, QStringLiteral("branch"));
        for (const auto& [name, unit, sequence] : {std::tuple{QStringLiteral("张甲"), branchA, QStringLiteral("123")},
                                                   std::tuple{QStringLiteral("张乙"), branchB, QStringLiteral("124")}}) {
            auto r = admin->send("POST", "/api/v1/party.daily/members", party::daily::test::memberJson(name, unit, QStringLiteral("19800101"), sequence));
            ASSERT_EQ(r.status, 201) << r.body.toStdString();
        }
        secretary = std::make_unique<HttpClient>(host->port());
        secretary->setDefaultHeader("Authorization", "Bearer " + host->userToken(QStringLiteral("secretary"), QStringLiteral("admin"),
                                                                                 QStringLiteral("subtree"), committee));
        rootName = host->app().units().get(root)->name;
    }

    qint64 org(const QString& fullName, const QString& shortName, qint64 parent, const QString& type) {
        auto r = admin->send("POST", "/api/v1/party.daily/orgs",
                             QJsonObject{{QStringLiteral("fullName"), fullName}, {QStringLiteral("shortName"), shortName},
                                         {QStringLiteral("orgType"), type}, {QStringLiteral("parentId"), parent},
                                         {QStringLiteral("setupDate"), QStringLiteral("2010-07-01")}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }

    // The member list's unit labels by member name: "unitName | unitPath".
    static QHash<QString, QString> unitsOf(const HttpReply& list) {
        QHash<QString, QString> out;
        for (const auto& v : list.json().value(QStringLiteral("items")).toArray()) {
            const QJsonObject o = v.toObject();
            out.insert(o.value(QStringLiteral("name")).toString(),
                       o.value(QStringLiteral("unitName")).toString() + QStringLiteral(" | ") + o.value(QStringLiteral("unitPath")).toString());
        }
        return out;
    }

    std::unique_ptr<HttpClient> secretary;
    qint64 committee = 0, branchA = 0, branchB = 0;
    QString rootName;
};

}  // namespace

TEST_F(PartyUnitPaths, TwoBranchesOfOneNameAreToldApartByTheirPath) {
    const auto all = unitsOf(admin->get("/api/v1/party.daily/members"));
    EXPECT_EQ(all.value(QStringLiteral("张甲")), QStringLiteral("市委/甲总支/第1党支部 | %1/市委/甲总支/第1党支部").arg(rootName));
    EXPECT_EQ(all.value(QStringLiteral("张乙")), QStringLiteral("市委/乙总支/第1党支部 | %1/市委/乙总支/第1党支部").arg(rootName));

    const auto own = unitsOf(secretary->get("/api/v1/party.daily/members"));
    EXPECT_EQ(own.value(QStringLiteral("张甲")), QStringLiteral("甲总支/第1党支部 | 市委/甲总支/第1党支部"));
    EXPECT_EQ(own.value(QStringLiteral("张乙")), QStringLiteral("乙总支/第1党支部 | 市委/乙总支/第1党支部"));
}

TEST_F(PartyUnitPaths, ASecretarysOwnOrganisationCardNamesNoParentAboveTheirScope) {
    auto own = secretary->get("/api/v1/party.daily/orgs/" + QByteArray::number(committee));
    ASSERT_EQ(own.status, 200) << own.body.toStdString();
    EXPECT_TRUE(own.json().value(QStringLiteral("unitName")).isNull()) << own.body.toStdString();
    EXPECT_TRUE(own.json().value(QStringLiteral("unitPath")).isNull()) << own.body.toStdString();
    EXPECT_FALSE(QString::fromUtf8(own.body).contains(rootName)) << own.body.toStdString();

    auto branch = secretary->get("/api/v1/party.daily/orgs/" + QByteArray::number(branchB));
    ASSERT_EQ(branch.status, 200) << branch.body.toStdString();
    EXPECT_EQ(branch.json().value(QStringLiteral("unitName")).toString(), QStringLiteral("乙总支")) << "the parent, below the secretary's committee";
    EXPECT_EQ(branch.json().value(QStringLiteral("unitPath")).toString(), QStringLiteral("市委/乙总支"));

    // Counted by parent, the committee's parent is a unit outside the secretary's view.
    auto counts = secretary->get("/api/v1/party.daily/orgs/counts?by=parentId");
    ASSERT_EQ(counts.status, 200) << counts.body.toStdString();
    QSet<QString> labels;
    for (const auto& v : counts.json().value(QStringLiteral("items")).toArray()) labels << v.toObject().value(QStringLiteral("label")).toString();
    EXPECT_EQ(labels, (QSet<QString>{QStringLiteral("a unit outside your view"), QStringLiteral("市委"), QStringLiteral("乙总支"), QStringLiteral("甲总支")}));

    auto asAdmin = admin->get("/api/v1/party.daily/orgs/" + QByteArray::number(committee));
    EXPECT_EQ(asAdmin.json().value(QStringLiteral("unitName")).toString(), rootName) << "the administrator's top unit, by its name";
}

TEST_F(PartyUnitPaths, ASecretarysMemberExportNamesBranchesBelowTheirCommitteeAndNothingAbove) {
    auto started = secretary->request("POST", "/api/v1/party.daily/members/export?format=csv");
    ASSERT_EQ(started.status, 202) << started.body.toStdString();
    const QJsonObject job = waitForJob(*secretary, started.json().value(QStringLiteral("href")).toString().toUtf8());
    ASSERT_EQ(job.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded")) << QJsonDocument(job).toJson().toStdString();
    const QString text = QString::fromUtf8(secretary->get(job.value(QStringLiteral("output")).toObject().value(QStringLiteral("href")).toString().toUtf8()).body);
    EXPECT_TRUE(text.contains(QStringLiteral(",甲总支/第1党支部,"))) << text.toStdString();
    EXPECT_TRUE(text.contains(QStringLiteral(",乙总支/第1党支部,"))) << text.toStdString();
    EXPECT_FALSE(text.contains(rootName + QLatin1Char('/'))) << text.toStdString();
}
