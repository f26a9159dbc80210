// party.elections over real HTTP: the committee's officer records its branches' terms and who
// holds which post; every rule refuses on its field; terms that expire are a reminder of the
// committee and of the branch; the organisation and member cards show terms and posts.

#include "../../party.daily/tests/daily_test_support.hpp"

#include <QDate>
#include <QJsonArray>

namespace {

using party::daily::test::memberJson;
using tessera::test::fieldsOf;
using tessera::test::HttpClient;
using tessera::test::HttpReply;
using tessera::test::ifMatch;

QString day(qint64 fromToday) { return QDate::currentDate().addDays(fromToday).toString(Qt::ISODate); }

class Elections : public ::testing::Test {
protected:
    void SetUp() override {
        host = party::daily::test::hostWith({QStringLiteral("party.daily"), QStringLiteral("party.elections")});
        admin = std::make_unique<HttpClient>(host->client());
        root = host->app().units().ensureRoot(QStringLiteral("t"))->id;
        committee = org(QStringLiteral("机关党委"), QStringLiteral("committee"), root);
        branch = org(QStringLiteral("第一党支部"), QStringLiteral("branch"), committee);
        other = org(QStringLiteral("北区党支部"), QStringLiteral("branch"), root);
        for (const auto& [name, perms] :
             {std::pair{QStringLiteral("officer"), QJsonArray{QStringLiteral("party.daily.read"), QStringLiteral("party.elections.read"),
                                                              QStringLiteral("party.elections.write")}},
              std::pair{QStringLiteral("reader"),
                        QJsonArray{QStringLiteral("party.daily.read"), QStringLiteral("party.elections.read")}}}) {
            auto role =
                admin->send("POST", "/api/v1/roles", QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("permissions"), perms}});
            ASSERT_EQ(role.status, 201) << role.body.toStdString();
        }
        officer = user(QStringLiteral("org-k"), QStringLiteral("officer"), QStringLiteral("subtree"), committee);
        secretary = user(QStringLiteral("sec-a"), QStringLiteral("reader"), QStringLiteral("unit"), branch);
        outsider = user(QStringLiteral("sec-n"), QStringLiteral("officer"), QStringLiteral("unit"), other);
    }

    qint64 org(const QString& name, const QString& type, qint64 parent) { return party::daily::test::newOrg(*admin, name, type, parent); }

    std::unique_ptr<HttpClient> user(const QString& name, const QString& role, const QString& scope, qint64 unit) {
        return party::daily::test::userClient(*host, name, role, scope, unit, "zh-CN");
    }

    qint64 member(const QString& name, qint64 unit, int n, const QString& category = QStringLiteral("formal")) {
        QJsonObject body = memberJson(name, unit, QStringLiteral("19800101"), QString::number(100 + n));
        body.insert(QStringLiteral("category"), category);
        if (category == u"probationary") body.remove(QStringLiteral("fullDate"));
        if (category == u"probationary") body.insert(QStringLiteral("joinDate"), day(-100));
        auto r = admin->send("POST", "/api/v1/party.daily/members", body);
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }

    HttpReply term(qint64 unit, int number, const QString& started, QJsonObject more = {}) {
        more.insert(QStringLiteral("unitId"), unit);
        more.insert(QStringLiteral("number"), number);
        more.insert(QStringLiteral("startedOn"), started);
        if (!more.contains(QStringLiteral("how"))) more.insert(QStringLiteral("how"), QStringLiteral("elected"));
        return officer->send("POST", "/api/v1/party.elections/terms", more);
    }

    HttpReply post(qint64 termId, qint64 memberId, const QString& post, const QString& from, QJsonObject more = {}) {
        more.insert(QStringLiteral("termId"), termId);
        more.insert(QStringLiteral("memberId"), memberId);
        more.insert(QStringLiteral("post"), post);
        more.insert(QStringLiteral("fromDate"), from);
        if (!more.contains(QStringLiteral("how"))) more.insert(QStringLiteral("how"), QStringLiteral("elected"));
        return officer->send("POST", "/api/v1/party.elections/posts", more);
    }

    QStringList reminders(HttpClient& as, qint64 fromToday) {
        QStringList out;
        for (const auto& r : as.get("/api/v1/reminders?date=" + day(fromToday).toUtf8()).json().value(QStringLiteral("items")).toArray())
            out << r.toObject().value(QStringLiteral("text")).toString();
        return out;
    }

    static qint64 idOf(const HttpReply& r) { return r.json().value(QStringLiteral("id")).toInteger(); }

    std::unique_ptr<tessera::test::RunningHost> host;
    std::unique_ptr<HttpClient> admin, officer, secretary, outsider;
    qint64 root = 0, committee = 0, branch = 0, other = 0;
};

}  // namespace

TEST_F(Elections, ATermLastsAsItsOrganisationsKindAndItsExpiryIsAReminderUntilANewTerm) {
    // A grassroots committee's term is 5 years, a branch's 3, unless said otherwise.
    auto first = term(committee, 1, QStringLiteral("2022-06-01"));
    ASSERT_EQ(first.status, 201) << first.body.toStdString();
    EXPECT_EQ(first.json().value(QStringLiteral("years")).toInteger(), 5);
    EXPECT_EQ(first.json().value(QStringLiteral("endsOn")).toString(), QStringLiteral("2027-06-01"));
    EXPECT_EQ(first.json().value(QStringLiteral("title")).toString(), QStringLiteral("机关党委第1届委员会"));
    // The branch's term began three years ago less ten days: it expires in ten days.
    const QString began = QDate::currentDate().addYears(-3).addDays(10).toString(Qt::ISODate);
    auto branchTerm = term(branch, 4, began);
    ASSERT_EQ(branchTerm.status, 201) << branchTerm.body.toStdString();
    EXPECT_EQ(branchTerm.json().value(QStringLiteral("years")).toInteger(), 3);
    EXPECT_EQ(branchTerm.json().value(QStringLiteral("endsOn")).toString(), day(10));
    EXPECT_TRUE(branchTerm.json().value(QStringLiteral("latest")).toBool());

    // The committee's officer and the branch's secretary are reminded; the outsider is not.
    EXPECT_TRUE(reminders(*officer, 0).contains(QStringLiteral("1个党组织委员会任期将在30天内届满")))
        << reminders(*officer, 0).join(u'|').toStdString();
    EXPECT_TRUE(reminders(*secretary, 0).contains(QStringLiteral("1个党组织委员会任期将在30天内届满")));
    EXPECT_TRUE(reminders(*outsider, 0).filter(QStringLiteral("任期")).isEmpty());
    EXPECT_TRUE(reminders(*officer, -30).filter(QStringLiteral("任期")).isEmpty()) << "not yet within the notice";
    const QStringList later = reminders(*officer, 11);
    EXPECT_TRUE(later.contains(QStringLiteral("1个党组织委员会任期已届满，尚未换届"))) << later.join(u'|').toStdString();
    // The reminder's link lists what it counts.
    const QJsonArray items = officer->get("/api/v1/reminders?date=" + day(11).toUtf8()).json().value(QStringLiteral("items")).toArray();
    QString link;
    for (const auto& r : items)
        if (r.toObject().value(QStringLiteral("text")).toString().contains(QStringLiteral("已届满")))
            link = r.toObject().value(QStringLiteral("link")).toString();
    ASSERT_TRUE(link.startsWith(QStringLiteral("/m/party.elections/terms?"))) << link.toStdString();
    auto listed = officer->get("/api/v1/party.elections/terms?" + link.section(u'?', 1).toUtf8());
    ASSERT_EQ(listed.status, 200) << listed.body.toStdString();
    EXPECT_EQ(listed.json().value(QStringLiteral("total")).toInteger(), 1);

    // A new term ends the reminder; the old one is past.
    auto next = term(branch, 5, day(0));
    ASSERT_EQ(next.status, 201) << next.body.toStdString();
    EXPECT_TRUE(reminders(*officer, 11).filter(QStringLiteral("任期")).isEmpty());
    EXPECT_FALSE(officer->get("/api/v1/party.elections/terms/" + QByteArray::number(idOf(branchTerm)))
                     .json()
                     .value(QStringLiteral("latest"))
                     .toBool());
    EXPECT_EQ(officer->get("/api/v1/party.elections/terms?latest=1").json().value(QStringLiteral("total")).toInteger(), 2);
    // Deleting the new term by mistake makes the old one current again.
    EXPECT_EQ(officer->request("DELETE", "/api/v1/party.elections/terms/" + QByteArray::number(idOf(next))).status, 204);
    EXPECT_TRUE(officer->get("/api/v1/party.elections/terms/" + QByteArray::number(idOf(branchTerm)))
                    .json()
                    .value(QStringLiteral("latest"))
                    .toBool());
    // An appointed committee is not "due for election".
    EXPECT_TRUE(reminders(*officer, 11).contains(QStringLiteral("1个党组织委员会任期已届满，尚未换届")));

    // The outsider sees none of it.
    EXPECT_EQ(outsider->get("/api/v1/party.elections/terms").json().value(QStringLiteral("total")).toInteger(), 0);
    EXPECT_EQ(outsider->get("/api/v1/party.elections/terms/" + QByteArray::number(idOf(branchTerm))).status, 404);
    // The branch's secretary reads, and may not write.
    EXPECT_EQ(secretary->get("/api/v1/party.elections/terms/" + QByteArray::number(idOf(branchTerm))).status, 200);
    EXPECT_EQ(secretary->send("POST", "/api/v1/party.elections/terms", QJsonObject{}).status, 403);
}

TEST_F(Elections, EveryRuleOfATermRefusesOnItsField) {
    ASSERT_EQ(term(branch, 2, QStringLiteral("2020-03-01")).status, 201);
    // An extension needs its months and who approved it when.
    auto unapproved = term(branch, 3, QStringLiteral("2023-03-01"),
                           {{QStringLiteral("adjustment"), QStringLiteral("extended")}, {QStringLiteral("adjustMonths"), 6}});
    EXPECT_EQ(fieldsOf(unapproved), (QStringList{QStringLiteral("approvedBy"), QStringLiteral("approvedOn")}))
        << unapproved.body.toStdString();
    EXPECT_TRUE(unapproved.body.contains("延期或提前换届时必填")) << unapproved.body.toStdString();
    EXPECT_EQ(fieldsOf(term(branch, 3, QStringLiteral("2023-03-01"),
                            {{QStringLiteral("adjustment"), QStringLiteral("extended")}, {QStringLiteral("adjustMonths"), 13}})),
              QStringList{QStringLiteral("adjustMonths")})
        << "at most a year";
    EXPECT_EQ(fieldsOf(term(branch, 3, QStringLiteral("2023-03-01"), {{QStringLiteral("approvedBy"), QStringLiteral("区委组织部")}})),
              QStringList{QStringLiteral("approvedBy")});
    auto extended = term(branch, 3, QStringLiteral("2023-03-01"),
                         {{QStringLiteral("adjustment"), QStringLiteral("extended")},
                          {QStringLiteral("adjustMonths"), 6},
                          {QStringLiteral("approvedBy"), QStringLiteral("区委组织部")},
                          {QStringLiteral("approvedOn"), QStringLiteral("2025-12-01")}});
    ASSERT_EQ(extended.status, 201) << extended.body.toStdString();
    EXPECT_EQ(extended.json().value(QStringLiteral("endsOn")).toString(), QStringLiteral("2026-09-01"));
    // One term per number, in the order of their numbers.
    auto twice = term(branch, 3, QStringLiteral("2024-01-01"));
    EXPECT_EQ(fieldsOf(twice), QStringList{QStringLiteral("number")});
    EXPECT_TRUE(twice.body.contains("该党组织第3届已登记（2023-03-01开始）")) << twice.body.toStdString();
    EXPECT_EQ(fieldsOf(term(branch, 4, QStringLiteral("2022-01-01"))), QStringList{QStringLiteral("startedOn")});
    EXPECT_EQ(fieldsOf(term(branch, 1, QStringLiteral("2021-01-01"))), QStringList{QStringLiteral("startedOn")});
    // Another length than the usual is kept, with a warning.
    auto longer = term(other, 1, QStringLiteral("2024-01-01"), {{QStringLiteral("years"), 4}});
    EXPECT_EQ(longer.status, 422) << "the outsider's officer is not this officer's";
    auto warned = term(committee, 1, QStringLiteral("2024-01-01"), {{QStringLiteral("years"), 4}});
    ASSERT_EQ(warned.status, 201) << warned.body.toStdString();
    const QJsonArray warnings = warned.json().value(QStringLiteral("warnings")).toArray();
    ASSERT_EQ(warnings.size(), 1) << warned.body.toStdString();
    EXPECT_EQ(warnings[0].toObject().value(QStringLiteral("message")).toString(), QStringLiteral("此类党组织每届任期一般为5年"));
    // A village's or community's committee: 5 years.
    const qint64 village = org(QStringLiteral("某村党支部"), QStringLiteral("branch"), committee);
    auto community = term(village, 1, QStringLiteral("2024-01-01"), {{QStringLiteral("community"), true}});
    ASSERT_EQ(community.status, 201) << community.body.toStdString();
    EXPECT_EQ(community.json().value(QStringLiteral("years")).toInteger(), 5);
    // A unit that is not a party organisation has no committee.
    const qint64 bare = host->app().units().create(committee, QStringLiteral("某科室"))->id;
    EXPECT_EQ(fieldsOf(term(bare, 1, QStringLiteral("2024-01-01"))), QStringList{QStringLiteral("unitId")});
}

TEST_F(Elections, PostsAreHeldByFullMembersOneSecretaryAtATimeAndTheCardsShowThem) {
    auto made = term(branch, 1, QStringLiteral("2024-01-10"));
    ASSERT_EQ(made.status, 201) << made.body.toStdString();
    const qint64 t = idOf(made);
    std::vector<qint64> members;
    const QString stems = QStringLiteral("甲乙丙丁戊己庚辛壬");
    for (int i = 0; i < 9; ++i) members.push_back(member(QStringLiteral("成员") + stems[i], branch, i));
    const qint64 probationary = member(QStringLiteral("预备甲"), branch, 20, QStringLiteral("probationary"));
    const qint64 elsewhere = member(QStringLiteral("北区甲"), other, 21);

    auto secretaryPost = post(t, members[0], QStringLiteral("secretary"), QStringLiteral("2024-01-10"));
    ASSERT_EQ(secretaryPost.status, 201) << secretaryPost.body.toStdString();
    EXPECT_EQ(secretaryPost.json().value(QStringLiteral("unitId")).toInteger(), branch) << "the term's organisation";
    // Each rule on its field.
    auto early = post(t, members[1], QStringLiteral("member"), QStringLiteral("2024-01-09"));
    EXPECT_EQ(fieldsOf(early), QStringList{QStringLiteral("fromDate")});
    auto notYet = post(t, probationary, QStringLiteral("member"), QStringLiteral("2024-01-10"));
    EXPECT_EQ(fieldsOf(notYet), QStringList{QStringLiteral("memberId")});
    EXPECT_TRUE(notYet.body.contains("预备甲是预备党员，没有被选举权")) << notYet.body.toStdString();
    auto outside = post(t, elsewhere, QStringLiteral("member"), QStringLiteral("2024-01-10"));
    EXPECT_EQ(fieldsOf(outside), QStringList{QStringLiteral("memberId")}) << "the officer cannot read the other branch's member";
    auto adminOutside = admin->send("POST", "/api/v1/party.elections/posts",
                                    QJsonObject{{QStringLiteral("termId"), t},
                                                {QStringLiteral("memberId"), elsewhere},
                                                {QStringLiteral("post"), QStringLiteral("member")},
                                                {QStringLiteral("how"), QStringLiteral("elected")},
                                                {QStringLiteral("fromDate"), QStringLiteral("2024-01-10")}});
    EXPECT_EQ(fieldsOf(adminOutside), QStringList{QStringLiteral("memberId")});
    auto twoSecretaries = post(t, members[1], QStringLiteral("secretary"), QStringLiteral("2024-05-01"));
    EXPECT_EQ(fieldsOf(twoSecretaries), QStringList{QStringLiteral("post")});
    EXPECT_TRUE(twoSecretaries.body.contains("成员甲自2024-01-10起任本届书记")) << twoSecretaries.body.toStdString();
    EXPECT_EQ(fieldsOf(post(t, members[0], QStringLiteral("member"), QStringLiteral("2024-02-01"))),
              QStringList{QStringLiteral("memberId")});
    auto noReason = post(t, members[1], QStringLiteral("member"), QStringLiteral("2024-01-10"),
                         {{QStringLiteral("toDate"), QStringLiteral("2024-01-01")}});
    EXPECT_EQ(fieldsOf(noReason), (QStringList{QStringLiteral("toDate"), QStringLiteral("endReason")})) << noReason.body.toStdString();

    // The secretary resigns; a by-election names the next one from that day.
    QJsonObject resigned = secretaryPost.json();
    resigned.insert(QStringLiteral("toDate"), QStringLiteral("2025-03-01"));
    resigned.insert(QStringLiteral("endReason"), QStringLiteral("resigned"));
    ASSERT_EQ(officer->send("PUT", "/api/v1/party.elections/posts/" + QByteArray::number(idOf(secretaryPost)), resigned, ifMatch(1)).status,
              200);
    auto byElection = post(t, members[1], QStringLiteral("secretary"), QStringLiteral("2025-03-01"),
                           {{QStringLiteral("how"), QStringLiteral("by-election")}});
    ASSERT_EQ(byElection.status, 201) << byElection.body.toStdString();
    EXPECT_TRUE(byElection.json().value(QStringLiteral("warnings")).toArray().isEmpty());

    // The committee grows: above 5 a warning, above 7 one that needs approval; saved all the same.
    QString last;
    for (int i = 2; i < 9; ++i) {
        auto added = post(t, members[static_cast<size_t>(i)], i == 2 ? QStringLiteral("deputy") : QStringLiteral("member"),
                          QStringLiteral("2024-01-10"));
        ASSERT_EQ(added.status, 201) << added.body.toStdString();
        const QJsonArray w = added.json().value(QStringLiteral("warnings")).toArray();
        last = w.isEmpty() ? QString() : w[0].toObject().value(QStringLiteral("message")).toString();
        if (i == 5) {
            EXPECT_EQ(last, QString()) << "five is usual";
        } else if (i == 6) {
            EXPECT_EQ(last, QStringLiteral("委员会现有6人；一般为3至5人"));
        }
    }
    EXPECT_EQ(last, QStringLiteral("委员会现有8人，超过7人，须经上级党组织批准"));

    // The organisation card shows its terms with the committee; the member card the posts.
    auto terms = secretary->get("/api/v1/cards/party.daily/org/" + QByteArray::number(branch) + "/sections");
    ASSERT_EQ(terms.status, 200) << terms.body.toStdString();
    EXPECT_TRUE(terms.body.contains("书记 成员乙、副书记 成员丙")) << terms.body.toStdString();
    EXPECT_TRUE(terms.body.contains("第一党支部第1届委员会")) << terms.body.toStdString();
    auto posts = secretary->get("/api/v1/cards/party.daily/member/" + QByteArray::number(members[0]) + "/sections");
    EXPECT_TRUE(posts.body.contains("书记") && posts.body.contains("2025-03-01")) << posts.body.toStdString();
    EXPECT_EQ(outsider->get("/api/v1/party.elections/posts").json().value(QStringLiteral("total")).toInteger(), 0);
    // A term with posts stays while they refer to it.
    EXPECT_EQ(officer->request("DELETE", "/api/v1/party.elections/terms/" + QByteArray::number(t)).status, 409);
}
