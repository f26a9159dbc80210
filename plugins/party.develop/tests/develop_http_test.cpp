// party.develop over real HTTP, real SQLite and the host's clock moved by a file: the secretary
// of a branch records a person's development step by step, the higher committee pre-reviews
// and approves; every rule of 《中国共产党发展党员工作细则》 refuses its step with its reason on
// its field, and the day on the boundary is accepted; one person walks all 25 steps into a
// full member on party.daily's roll.

#include "../../party.daily/tests/daily_test_support.hpp"

#include <QDate>
#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <utility>
#include <vector>

namespace {

using party::daily::test::idNumber;
using party::daily::test::memberJson;
using tessera::test::fieldsOf;
using tessera::test::HttpClient;
using tessera::test::HttpReply;
using tessera::test::ifMatch;

// The steps up to full membership with the dates of one ordinary development, in order.
const std::vector<std::pair<QByteArray, QJsonObject>>& plan() {
    static const std::vector<std::pair<QByteArray, QJsonObject>> steps = {
        {"talk", {{"talkDate", "2024-03-20"}, {"talkBy", "支部书记 李强"}}},
        {"activist", {{"activistDate", "2024-06-01"}, {"recommendation", "党员推荐"}}},
        {"file-activist", {{"activistFiledDate", "2024-06-10"}}},
        {"contacts", {{"contactsDate", "2024-06-15"}}},  // contact1Id added by the fixture
        {"review", {{"lastReviewDate", "2024-12-15"}, {"reviewNotes", "表现良好"}}},
        {"candidate", {{"candidateDate", "2025-06-15"}}},
        {"file-candidate", {{"candidateFiledDate", "2025-06-20"}}},
        {"introducers", {{"introducersDate", "2025-06-25"}}},  // introducers added by the fixture
        {"political-review", {{"politicalReviewDate", "2025-07-01"}, {"politicalReviewResult", "合格"}}},
        {"training", {{"trainingFrom", "2025-07-05"}, {"trainingTo", "2025-07-07"}}},
        {"committee-review", {{"committeeReviewDate", "2025-07-15"}}},
        {"pre-review", {{"preReviewDate", "2025-07-20"}, {"noticeFrom", "2025-07-21"}, {"noticeTo", "2025-07-25"}}},
        {"form", {{"formDate", "2025-07-26"}}},
        {"vote",
         {{"branchMeetingDate", "2025-08-01"},
          {"votesEntitled", 8},
          {"votesPresent", 5},
          {"votesFor", 5},
          {"votesAgainst", 0},
          {"votesAbstaining", 0}}},
        {"higher-talk", {{"higherTalkDate", "2025-08-10"}, {"higherTalkBy", "组织委员 王芳"}}},
        {"approve", {{"approvalDate", "2025-09-01"}}},  // memberId added by the fixture
        {"file-department", {{"departmentFiledDate", "2025-09-10"}}},
        {"assign", {{"assignedDate", "2025-09-15"}, {"assignedTo", "第一党小组"}}},
        {"oath", {{"oathDate", "2025-10-01"}}},
        {"educate", {{"educationDate", "2026-01-15"}, {"educationNotes", "按期参加组织生活"}}},
        {"apply-full", {{"fullApplicationDate", "2026-07-15"}}},
    };
    return steps;
}

class DevelopSteps : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(dir.isValid());
        clockFile = dir.filePath(QStringLiteral("clock"));
        setClock(QDate(2026, 12, 1));
        qputenv("TESSERA_TEST_CLOCK_FILE", clockFile.toUtf8());
        host = std::make_unique<tessera::test::RunningHost>(
            QStringList{tessera::test::builtPluginDir()},
            std::vector<tessera::test::EnablePlugin>{{QStringLiteral("party.daily"), {}},
                                                     {QStringLiteral("party.develop"), developSettings}});
        for (const char* id : {"party.daily", "party.develop"}) {
            const auto* spec = host->app().runtime().plugin(QLatin1String(id));
            ASSERT_TRUE(spec && spec->state == tessera::host::PluginState::Started) << id << " did not start";
        }
        admin = std::make_unique<HttpClient>(host->client());
        auto& units = host->app().units();
        root = units.ensureRoot(QStringLiteral("t"))->id;
        committee = units.create(root, QStringLiteral("机关党委"))->id;
        branch = units.create(committee, QStringLiteral("第一党支部"))->id;
        role(QStringLiteral("secretary"), {QStringLiteral("party.develop.read"), QStringLiteral("party.develop.write")});
        role(QStringLiteral("officer"),
             {QStringLiteral("party.develop.read"), QStringLiteral("party.develop.write"), QStringLiteral("party.develop.approve")});
        secretary = party::daily::test::userClient(*host, QStringLiteral("sec"), QStringLiteral("secretary"), QStringLiteral("unit"),
                                                   branch, "zh-CN");
        officer = party::daily::test::userClient(*host, QStringLiteral("org"), QStringLiteral("officer"), QStringLiteral("subtree"),
                                                 committee, "zh-CN");
        fullA = newMember(memberJson(QStringLiteral("赵正"), branch, "19800101", "901"));
        fullB = newMember(memberJson(QStringLiteral("钱正"), branch, "19810101", "902"));
        QJsonObject card = memberJson(QStringLiteral("孙预备"), branch, "19950101", "903");
        card.insert(QStringLiteral("category"), QStringLiteral("probationary"));
        card.insert(QStringLiteral("joinDate"), QStringLiteral("2026-03-01"));
        card.remove(QStringLiteral("fullDate"));
        this->probationary = newMember(card);
    }
    void TearDown() override { qunsetenv("TESSERA_TEST_CLOCK_FILE"); }

    void setClock(const QDate& day) {
        QFile f(clockFile);
        ASSERT_TRUE(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(QDateTime(day, QTime(9, 0), Qt::UTC).toString(Qt::ISODate).toUtf8());
    }

    void role(const QString& name, QJsonArray develop) {
        develop.append(QStringLiteral("party.daily.read"));
        develop.append(QStringLiteral("party.daily.write"));
        auto r =
            admin->send("POST", "/api/v1/roles", QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("permissions"), develop}});
        ASSERT_EQ(r.status, 201) << r.body.toStdString();
    }

    qint64 newMember(const QJsonObject& body) {
        auto r = admin->send("POST", "/api/v1/party.daily/members", body);
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }

    // An applicant's card (born on `birth`, "20000315") and their development record.
    qint64 newApplicant(const QString& name, const QString& birth, const QString& sequence, const QString& applied, qint64 unit = 0) {
        auto r = admin->send("POST", "/api/v1/party.daily/applicants",
                             QJsonObject{{QStringLiteral("name"), name},
                                         {QStringLiteral("idNumber"), idNumber(birth, sequence)},
                                         {QStringLiteral("applicationDate"), applied},
                                         {QStringLiteral("unitId"), unit ? unit : branch}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }
    HttpReply apply(qint64 applicant, const QString& applied, HttpClient* as = nullptr) {
        return (as ? *as : *secretary)
            .send("POST", "/api/v1/party.develop/developments",
                  QJsonObject{{QStringLiteral("applicantId"), applicant}, {QStringLiteral("applicationDate"), applied}});
    }
    // A person who applied on 2024-03-01 (born 2000), their record's id.
    // (Or on `applied`, in `unit`, by `as`.)
    qint64 newDevelopment(const QString& name, const QString& sequence, const QString& applied = QStringLiteral("2024-03-01"),
                          qint64 unit = 0, HttpClient* as = nullptr) {
        auto r = apply(newApplicant(name, QStringLiteral("20000315"), sequence, applied, unit), applied, as);
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }

    QByteArray path(qint64 id, const QByteArray& tail = {}) {
        return "/api/v1/party.develop/developments/" + QByteArray::number(id) + tail;
    }
    QJsonObject record(qint64 id) { return admin->get(path(id)).json(); }

    // Takes `step` on the record's current version, as the branch (or the higher committee for
    // the steps that are theirs).
    HttpReply take(qint64 id, const QByteArray& step, const QJsonObject& body) {
        const bool higher = step == "pre-review" || step == "higher-talk" || step == "approve" || step == "file-department" ||
                            step == "full-approve" || step == "disqualify";
        HttpClient& as = higher || record(id).value(QStringLiteral("unitId")).toInteger() != branch ? *officer : *secretary;
        return as.send("POST", path(id, "/steps/" + step), body, ifMatch(record(id).value(QStringLiteral("version")).toInteger()));
    }
    // The plan's body of `step`, with the people the fixture made.
    QJsonObject planned(qint64 id, const QByteArray& step) {
        for (const auto& [name, body] : plan()) {
            if (name != step) continue;
            QJsonObject b = body;
            if (step == "contacts") b.insert(QStringLiteral("contact1Id"), fullA);
            if (step == "introducers") {
                b.insert(QStringLiteral("introducer1Id"), fullA);
                b.insert(QStringLiteral("introducer2Id"), fullB);
            }
            if (step == "approve") b.insert(QStringLiteral("memberId"), memberCardFor(id));
            return b;
        }
        ADD_FAILURE() << "no step " << step.toStdString() << " in the plan";
        return {};
    }
    // Takes the plan's steps in order from `from` up to, not including, `until` ("" for all
    // of them).
    void advance(qint64 id, const QByteArray& until, const QByteArray& from = "talk") {
        bool started = false;
        for (const auto& [step, body] : plan()) {
            if (step == until) return;
            started = started || step == from;
            if (!started) continue;
            auto r = take(id, step, planned(id, step));
            ASSERT_EQ(r.status, 200) << step.toStdString() << ": " << r.body.toStdString();
        }
    }
    // The member card made for the person at step 17 (the form's 新建), by the higher
    // committee: the name and ID number of the applicant; the step corrects what it decides.
    qint64 memberCardFor(qint64 id) {
        if (memberCards.contains(id)) return memberCards.value(id);
        const QJsonObject d = record(id);
        QJsonObject card{{QStringLiteral("name"), d.value(QStringLiteral("name"))},
                         {QStringLiteral("idNumber"), d.value(QStringLiteral("idNumber"))},
                         {QStringLiteral("unitId"), d.value(QStringLiteral("unitId"))},
                         {QStringLiteral("ethnicity"), QStringLiteral("01")},
                         {QStringLiteral("education"), QStringLiteral("21")},
                         {QStringLiteral("category"), QStringLiteral("probationary")},
                         {QStringLiteral("joinDate"), QStringLiteral("2025-09-01")}};
        auto r = officer->send("POST", "/api/v1/party.daily/members", card);
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        memberCards.insert(id, r.json().value(QStringLiteral("id")).toInteger());
        return memberCards.value(id);
    }

    // The branch meeting on full membership: 9 entitled, 6 present, 5 for (just more than half).
    static QJsonObject fullVote(int inFavour = 5) {
        return QJsonObject{{QStringLiteral("fullVotesEntitled"), 9},
                           {QStringLiteral("fullVotesPresent"), 6},
                           {QStringLiteral("fullVotesFor"), inFavour},
                           {QStringLiteral("fullVotesAgainst"), 1},
                           {QStringLiteral("fullVotesAbstaining"), 0}};
    }

    static QString messageOn(const HttpReply& r, const QString& field) {
        for (const QJsonValue& e : r.json().value(QStringLiteral("errors")).toArray())
            if (e.toObject().value(QStringLiteral("field")).toString() == field)
                return e.toObject().value(QStringLiteral("message")).toString();
        return QStringLiteral("(no error on %1: %2)").arg(field, QString::fromUtf8(r.body));
    }
    static QString warningOn(const HttpReply& r, const QString& field) {
        for (const QJsonValue& w : r.json().value(QStringLiteral("warnings")).toArray())
            if (w.toObject().value(QStringLiteral("field")).toString() == field)
                return w.toObject().value(QStringLiteral("message")).toString();
        return {};
    }
    // A refusal of exactly `field`, whose reason (in Chinese) says `why`.
    static void refused(const HttpReply& r, const QString& field, const QString& why) {
        EXPECT_EQ(r.status, 422) << r.body.toStdString();
        EXPECT_EQ(fieldsOf(r), QStringList{field}) << r.body.toStdString();
        EXPECT_TRUE(messageOn(r, field).contains(why)) << messageOn(r, field).toStdString() << " lacks " << why.toStdString();
        for (const QString& m : tessera::test::messagesOf(r)) EXPECT_FALSE(tessera::test::hasEnglishSentence(m)) << m.toStdString();
    }

    QString developSettings;  // party.develop's <setting>s, set before SetUp
    QTemporaryDir dir;
    QString clockFile;
    std::unique_ptr<tessera::test::RunningHost> host;
    std::unique_ptr<HttpClient> admin, secretary, officer;
    qint64 root = 0, committee = 0, branch = 0, fullA = 0, fullB = 0, probationary = 0;
    QHash<qint64, qint64> memberCards;  // development record -> the member card made at step 17
};

}  // namespace

// 年满十八岁: the application date is checked against the applicant's birth date; the 18th
// birthday itself is accepted. One record per applicant.
TEST_F(DevelopSteps, AnApplicantIsEighteenOnTheApplicationDate) {
    const qint64 applicant =
        newApplicant(QStringLiteral("周青"), QStringLiteral("20080601"), QStringLiteral("311"), QStringLiteral("2026-06-01"));
    refused(apply(applicant, QStringLiteral("2026-05-31")), QStringLiteral("applicationDate"), QStringLiteral("未满十八周岁"));
    auto made = apply(applicant, QStringLiteral("2026-06-01"));
    ASSERT_EQ(made.status, 201) << made.body.toStdString();
    const QJsonObject d = made.json();
    EXPECT_EQ(d.value(QStringLiteral("state")).toString(), QStringLiteral("applied"));
    EXPECT_EQ(d.value(QStringLiteral("name")).toString(), QStringLiteral("周青"));
    EXPECT_EQ(d.value(QStringLiteral("unitId")).toInteger(), branch) << "the applicant's organisation develops them";
    refused(apply(applicant, QStringLiteral("2026-06-02")), QStringLiteral("applicantId"), QStringLiteral("已有发展党员纪实"));
    // A new record is the application: the later steps' fields are theirs to record.
    const qint64 other =
        newApplicant(QStringLiteral("周红"), QStringLiteral("20000101"), QStringLiteral("312"), QStringLiteral("2026-01-05"));
    refused(secretary->send("POST", "/api/v1/party.develop/developments",
                            QJsonObject{{QStringLiteral("applicantId"), other},
                                        {QStringLiteral("applicationDate"), QStringLiteral("2026-01-05")},
                                        {QStringLiteral("approvalDate"), QStringLiteral("2026-01-06")}}),
            QStringLiteral("approvalDate"), QStringLiteral("由发展流程的相应步骤登记"));
    // What the steps record is theirs: a PUT corrects the application, nothing else.
    QJsonObject edit = d;
    edit.insert(QStringLiteral("talkDate"), QStringLiteral("2026-06-05"));
    auto put = secretary->send("PUT", path(d.value(QStringLiteral("id")).toInteger()), edit, ifMatch(1));
    refused(put, QStringLiteral("talkDate"), QStringLiteral("由发展流程的相应步骤登记"));
    edit = d;
    edit.insert(QStringLiteral("notes"), QStringLiteral("本人主动申请"));
    EXPECT_EQ(secretary->send("PUT", path(d.value(QStringLiteral("id")).toInteger()), edit, ifMatch(1)).status, 200);
}

// The talk within a month of the application: past it, the step is taken with a warning.
TEST_F(DevelopSteps, TheTalkLaterThanAMonthIsAWarningNotARefusal) {
    const qint64 onTime = newDevelopment(QStringLiteral("吴一"), QStringLiteral("321"));
    auto inTime =
        take(onTime, "talk",
             QJsonObject{{QStringLiteral("talkDate"), QStringLiteral("2024-04-01")}, {QStringLiteral("talkBy"), QStringLiteral("李强")}});
    ASSERT_EQ(inTime.status, 200) << inTime.body.toStdString();
    EXPECT_FALSE(inTime.json().contains(QStringLiteral("warnings"))) << "a month to the day is in time: " << inTime.body.toStdString();
    const qint64 late = newDevelopment(QStringLiteral("吴二"), QStringLiteral("322"));
    auto lateTalk =
        take(late, "talk",
             QJsonObject{{QStringLiteral("talkDate"), QStringLiteral("2024-04-02")}, {QStringLiteral("talkBy"), QStringLiteral("李强")}});
    ASSERT_EQ(lateTalk.status, 200) << lateTalk.body.toStdString();
    EXPECT_EQ(lateTalk.json().value(QStringLiteral("state")).toString(), QStringLiteral("talked"));
    EXPECT_TRUE(warningOn(lateTalk, QStringLiteral("talkDate")).contains(QStringLiteral("应在一个月内（2024-04-01前）谈话")))
        << lateTalk.body.toStdString();
    // A date before the application is refused, and the steps go in order.
    const qint64 early = newDevelopment(QStringLiteral("吴三"), QStringLiteral("323"));
    refused(
        take(early, "talk",
             QJsonObject{{QStringLiteral("talkDate"), QStringLiteral("2024-02-29")}, {QStringLiteral("talkBy"), QStringLiteral("李强")}}),
        QStringLiteral("talkDate"), QStringLiteral("早于递交入党申请书日期（2024-03-01）"));
    EXPECT_EQ(take(early, "activist", planned(early, "activist")).status, 409) << "step 3 waits for step 2";
}

// 培养联系人 and 入党介绍人 are full members: a 预备党员 cannot introduce; exactly two introducers.
TEST_F(DevelopSteps, ContactsAndIntroducersAreFullMembersAndTheIntroducersExactlyTwo) {
    const qint64 id = newDevelopment(QStringLiteral("郑一"), QStringLiteral("331"));
    advance(id, "contacts");
    QJsonObject contacts = planned(id, "contacts");
    contacts.insert(QStringLiteral("contact1Id"), probationary);
    refused(take(id, "contacts", contacts), QStringLiteral("contact1Id"), QStringLiteral("孙预备是预备党员"));
    // A step's reference is checked as an edit's: a member of another branch is not the
    // secretary's to name (nor to learn of), nor is one that does not exist.
    const qint64 elsewhere = newMember(
        memberJson(QStringLiteral("李外"), host->app().units().create(committee, QStringLiteral("第二党支部"))->id, "19820101", "904"));
    for (const qint64 stranger : {elsewhere, qint64(999999)}) {
        contacts.insert(QStringLiteral("contact1Id"), stranger);
        const auto r = take(id, "contacts", contacts);
        refused(r, QStringLiteral("contact1Id"), QStringLiteral("不存在"));
        EXPECT_FALSE(QString::fromUtf8(r.body).contains(QStringLiteral("李外"))) << r.body.toStdString();
    }
    advance(id, "introducers", "contacts");
    QJsonObject one = planned(id, "introducers");
    one.remove(QStringLiteral("introducer2Id"));
    refused(take(id, "introducers", one), QStringLiteral("introducer2Id"), QStringLiteral("时必须填写"));
    QJsonObject twice = planned(id, "introducers");
    twice.insert(QStringLiteral("introducer2Id"), fullA);
    refused(take(id, "introducers", twice), QStringLiteral("introducer2Id"), QStringLiteral("同一人"));
    QJsonObject withProbationary = planned(id, "introducers");
    withProbationary.insert(QStringLiteral("introducer2Id"), probationary);
    refused(take(id, "introducers", withProbationary), QStringLiteral("introducer2Id"),
            QStringLiteral("孙预备是预备党员；此处只能由正式党员担任"));
    auto two = take(id, "introducers", planned(id, "introducers"));
    ASSERT_EQ(two.status, 200) << two.body.toStdString();
    EXPECT_EQ(two.json().value(QStringLiteral("labels")).toObject().value(QStringLiteral("introducer2Id")).toString(),
              QStringLiteral("钱正"));
}

// A year as an activist before becoming a candidate (step 7): the anniversary is accepted.
TEST_F(DevelopSteps, ACandidateAfterAYearAsActivist) {
    const qint64 id = newDevelopment(QStringLiteral("冯一"), QStringLiteral("341"));
    advance(id, "review");
    ASSERT_EQ(take(id, "review", QJsonObject{{QStringLiteral("lastReviewDate"), QStringLiteral("2025-05-20")}}).status, 200);
    refused(take(id, "candidate", QJsonObject{{QStringLiteral("candidateDate"), QStringLiteral("2025-05-31")}}),
            QStringLiteral("candidateDate"), QStringLiteral("不满一年；2025-06-01起方可确定为发展对象"));
    EXPECT_EQ(take(id, "candidate", QJsonObject{{QStringLiteral("candidateDate"), QStringLiteral("2025-06-01")}}).status, 200);
}

// Training of at least 3 days or 24 class hours; the public notice as long as the setting
// says (5 days); the application form after it.
TEST_F(DevelopSteps, TrainingLengthAndThePublicNotice) {
    const qint64 id = newDevelopment(QStringLiteral("陈一"), QStringLiteral("351"));
    advance(id, "training");
    auto training = [&](const char* to, int hours) {
        return take(id, "training",
                    QJsonObject{{QStringLiteral("trainingFrom"), QStringLiteral("2025-07-05")},
                                {QStringLiteral("trainingTo"), QString::fromLatin1(to)},
                                {QStringLiteral("trainingHours"), hours}});
    };
    refused(training("2025-07-06", 23), QStringLiteral("trainingHours"), QStringLiteral("集中培训2天、23学时"));
    refused(training("2025-07-04", 30), QStringLiteral("trainingTo"), QStringLiteral("早于培训开始日期"));
    ASSERT_EQ(training("2025-07-06", 24).status, 200) << "24 class hours in two days suffice";
    advance(id, "pre-review", "committee-review");
    QJsonObject notice = planned(id, "pre-review");
    notice.insert(QStringLiteral("noticeTo"), QStringLiteral("2025-07-24"));
    refused(take(id, "pre-review", notice), QStringLiteral("noticeTo"), QStringLiteral("公示4天；公示期至少5天，即至2025-07-25"));
    ASSERT_EQ(take(id, "pre-review", planned(id, "pre-review")).status, 200);
    refused(take(id, "form", QJsonObject{{QStringLiteral("formDate"), QStringLiteral("2025-07-25")}}), QStringLiteral("formDate"),
            QStringLiteral("尚在公示期内"));
    EXPECT_EQ(take(id, "form", QJsonObject{{QStringLiteral("formDate"), QStringLiteral("2025-07-26")}}).status, 200);
}

// The branch meeting's vote, as counts: more than half of the 8 entitled present (5, not 4),
// more than half of them in favour (5, not 4), no more votes than those present.
TEST_F(DevelopSteps, TheBranchMeetingVoteNeedsMoreThanHalf) {
    const qint64 id = newDevelopment(QStringLiteral("褚一"), QStringLiteral("361"));
    advance(id, "vote");
    auto vote = [&](int entitled, int present, int inFavour, int against, int abstaining) {
        QJsonObject b = planned(id, "vote");
        b.insert(QStringLiteral("votesEntitled"), entitled);
        b.insert(QStringLiteral("votesPresent"), present);
        b.insert(QStringLiteral("votesFor"), inFavour);
        b.insert(QStringLiteral("votesAgainst"), against);
        b.insert(QStringLiteral("votesAbstaining"), abstaining);
        return take(id, "vote", b);
    };
    // Half present is not more than half; so too few can vote for, and both are said.
    auto half = vote(8, 4, 4, 0, 0);
    EXPECT_EQ(fieldsOf(half), (QStringList{QStringLiteral("votesPresent"), QStringLiteral("votesFor")})) << half.body.toStdString();
    EXPECT_EQ(messageOn(half, QStringLiteral("votesPresent")),
              QStringLiteral("应到会有表决权的正式党员8人，实到4人；到会人数须超过半数，至少5人"));
    refused(vote(8, 5, 4, 0, 1), QStringLiteral("votesFor"), QStringLiteral("赞成4票"));
    refused(vote(8, 9, 5, 0, 0), QStringLiteral("votesPresent"), QStringLiteral("多于应到会有表决权的8人"));
    refused(vote(8, 6, 4, 1, 1), QStringLiteral("votesFor"),
            QStringLiteral("赞成4票；须超过应到会有表决权的正式党员（8人）的半数，至少5票"));
    refused(vote(8, 5, 5, 1, 0), QStringLiteral("votesFor"), QStringLiteral("合计6票，多于实到会的5人"));
    refused(vote(0, 0, 0, 0, 0), QStringLiteral("votesEntitled"), QStringLiteral("无法表决"));
    auto passed = vote(8, 5, 5, 0, 0);
    ASSERT_EQ(passed.status, 200) << passed.body.toStdString();
    EXPECT_EQ(passed.json().value(QStringLiteral("state")).toString(), QStringLiteral("voted"));
}

// Approval within three months of the branch meeting, six at most: beyond six refused, up
// to six accepted with a warning; the member card must be the person's.
TEST_F(DevelopSteps, ApprovalWithinSixMonthsOfTheBranchMeeting) {
    const qint64 id = newDevelopment(QStringLiteral("卫一"), QStringLiteral("371"));
    advance(id, "approve");
    QJsonObject late = planned(id, "approve");
    late.insert(QStringLiteral("approvalDate"), QStringLiteral("2026-02-02"));
    refused(take(id, "approve", late), QStringLiteral("approvalDate"), QStringLiteral("已超过六个月；最迟应于2026-02-01前审批"));
    QJsonObject someoneElse = planned(id, "approve");
    someoneElse.insert(QStringLiteral("memberId"), fullA);
    refused(take(id, "approve", someoneElse), QStringLiteral("memberId"), QStringLiteral("是赵正的信息卡"));
    EXPECT_EQ(secretary
                  ->send("POST", path(id, "/steps/approve"), planned(id, "approve"),
                         ifMatch(record(id).value(QStringLiteral("version")).toInteger()))
                  .status,
              403)
        << "the higher committee approves, not the branch";
    QJsonObject lastDay = planned(id, "approve");
    lastDay.insert(QStringLiteral("approvalDate"), QStringLiteral("2026-02-01"));
    auto approved = take(id, "approve", lastDay);
    ASSERT_EQ(approved.status, 200) << approved.body.toStdString();
    EXPECT_TRUE(warningOn(approved, QStringLiteral("approvalDate")).contains(QStringLiteral("应在三个月内（2025-11-01前）审批")))
        << approved.body.toStdString();
    // The record put the person on the roll: it stays, as their history.
    auto gone = secretary->request("DELETE", path(id));
    EXPECT_EQ(gone.status, 409) << gone.body.toStdString();
}

// Probation is a year from the branch meeting, extended once by 6 to 12 months; full
// membership is not decided before it ends, and is from the day it ends.
TEST_F(DevelopSteps, ProbationExtendedOnceAndFullMembershipNotBeforeItEnds) {
    const qint64 id = newDevelopment(QStringLiteral("蒋一"), QStringLiteral("381"));
    advance(id, "");
    auto extend = [&](int months) {
        return take(id, "extend",
                    QJsonObject{{QStringLiteral("extendedOn"), QStringLiteral("2026-08-01")},
                                {QStringLiteral("extensionMonths"), months},
                                {QStringLiteral("extensionReason"), QStringLiteral("考察期间表现有待提高")}});
    };
    EXPECT_EQ(fieldsOf(extend(5)), QStringList{QStringLiteral("extensionMonths")});
    EXPECT_EQ(fieldsOf(extend(13)), QStringList{QStringLiteral("extensionMonths")});
    auto memberCard = [&] {
        return admin->get("/api/v1/party.daily/members/" + QByteArray::number(record(id).value(QStringLiteral("memberId")).toInteger()))
            .json();
    };
    EXPECT_EQ(memberCard().value(QStringLiteral("probationEnds")).toString(), QStringLiteral("2026-08-01"));
    ASSERT_EQ(extend(6).status, 200);
    EXPECT_EQ(extend(6).status, 409) << "extended only once";
    EXPECT_EQ(memberCard().value(QStringLiteral("probationEnds")).toString(), QStringLiteral("2027-02-01"))
        << "the roll's reminder has the extension";
    // A year and six months from 2025-08-01: 2027-02-01. The meeting's date is today's.
    refused(take(id, "full-vote", fullVote()), QStringLiteral("fullMeetingDate"),
            QStringLiteral("2026-12-01早于预备期满之日（2027-02-01）"));
    setClock(QDate(2027, 2, 1));
    auto voted = take(id, "full-vote", fullVote());
    ASSERT_EQ(voted.status, 200) << voted.body.toStdString();
    EXPECT_EQ(voted.json().value(QStringLiteral("fullMeetingDate")).toString(), QStringLiteral("2027-02-01"));
    ASSERT_EQ(take(id, "full-approve", QJsonObject{}).status, 200);
    const QJsonObject member =
        admin->get("/api/v1/party.daily/members/" + QByteArray::number(record(id).value(QStringLiteral("memberId")).toInteger())).json();
    EXPECT_EQ(member.value(QStringLiteral("category")).toString(), QStringLiteral("formal"));
    EXPECT_EQ(member.value(QStringLiteral("fullDate")).toString(), QStringLiteral("2027-02-01"));
}

// One person through all 25 steps: an applicant, then a 预备党员 on the roll from the branch
// meeting's date, then a full member from the day the year of probation ended; the clock
// moves to that day.
TEST_F(DevelopSteps, OnePersonWalksAllTwentyFiveStepsIntoAFullMember) {
    setClock(QDate(2026, 7, 20));
    const qint64 id = newDevelopment(QStringLiteral("王小明"), QStringLiteral("391"));
    advance(id, "approve");
    // The branch has waited for the higher committee since its meeting: the to-do list says so.
    EXPECT_EQ(officer->get("/api/v1/todo").json().value(QStringLiteral("total")).toInteger(), 1);
    auto approved = take(id, "approve", planned(id, "approve"));
    ASSERT_EQ(approved.status, 200) << approved.body.toStdString();
    EXPECT_FALSE(approved.json().contains(QStringLiteral("warnings"))) << "a month after the meeting is in time";
    const QByteArray memberPath =
        "/api/v1/party.daily/members/" + QByteArray::number(approved.json().value(QStringLiteral("memberId")).toInteger());
    QJsonObject member = secretary->get(memberPath).json();
    EXPECT_EQ(member.value(QStringLiteral("category")).toString(), QStringLiteral("probationary"));
    EXPECT_EQ(member.value(QStringLiteral("joinDate")).toString(), QStringLiteral("2025-08-01")) << "the branch meeting's date";
    EXPECT_TRUE(member.value(QStringLiteral("fullDate")).isNull());
    EXPECT_EQ(member.value(QStringLiteral("unitId")).toInteger(), branch);
    for (const QByteArray step : {"file-department", "assign", "oath", "educate", "apply-full"}) {
        auto r = take(id, step, planned(id, step));
        ASSERT_EQ(r.status, 200) << step.toStdString() << ": " << r.body.toStdString();
    }
    // 2026-07-20: the year from 2025-08-01 is not over.
    refused(take(id, "full-vote", fullVote()), QStringLiteral("fullMeetingDate"), QStringLiteral("早于预备期满之日（2026-08-01）"));
    setClock(QDate(2026, 8, 1));
    refused(take(id, "full-vote", fullVote(4)), QStringLiteral("fullVotesFor"),
            QStringLiteral("赞成4票；须超过应到会有表决权的正式党员（9人）的半数，至少5票"));
    ASSERT_EQ(take(id, "full-vote", fullVote()).status, 200);
    auto full = take(id, "full-approve", QJsonObject{});
    ASSERT_EQ(full.status, 200) << full.body.toStdString();
    EXPECT_EQ(full.json().value(QStringLiteral("fullApprovalDate")).toString(), QStringLiteral("2026-08-01"));
    auto archived = take(id, "archive", QJsonObject{});
    ASSERT_EQ(archived.status, 200) << archived.body.toStdString();
    EXPECT_EQ(archived.json().value(QStringLiteral("state")).toString(), QStringLiteral("archived"));
    member = secretary->get(memberPath).json();
    EXPECT_EQ(member.value(QStringLiteral("category")).toString(), QStringLiteral("formal"));
    EXPECT_EQ(member.value(QStringLiteral("joinDate")).toString(), QStringLiteral("2025-08-01"));
    EXPECT_EQ(member.value(QStringLiteral("fullDate")).toString(), QStringLiteral("2026-08-01")) << "党龄 counts from the end of probation";
    // Every step is in the record's history, with who took it; the dates of all 25 are on it.
    const QJsonArray history = secretary->get(path(id, "/steps")).json().value(QStringLiteral("history")).toArray();
    EXPECT_EQ(history.size(), 24) << "steps 2 to 25; step 1 made the record";
    EXPECT_EQ(history[15].toObject().value(QStringLiteral("by")).toString(), QStringLiteral("org")) << "step 17, the approval";
    const QJsonObject done = record(id);
    for (const char* field :
         {"applicationDate", "talkDate",           "activistDate",      "activistFiledDate",   "contactsDate",    "lastReviewDate",
          "candidateDate",   "candidateFiledDate", "introducersDate",   "politicalReviewDate", "trainingFrom",    "committeeReviewDate",
          "preReviewDate",   "formDate",           "branchMeetingDate", "higherTalkDate",      "approvalDate",    "departmentFiledDate",
          "assignedDate",    "oathDate",           "educationDate",     "fullApplicationDate", "fullMeetingDate", "fullApprovalDate",
          "archivedDate"})
        EXPECT_FALSE(done.value(QLatin1String(field)).toString().isEmpty()) << field;
    // The list finds them by stage.
    EXPECT_EQ(secretary->get("/api/v1/party.develop/developments?state=archived").json().value(QStringLiteral("total")).toInteger(), 1);
}

// 取消预备党员资格: the probationary member leaves the roll with that reason on that day; the
// record is their history, and no step follows.
TEST_F(DevelopSteps, ACancelledProbationTakesTheMemberOffTheRoll) {
    const qint64 id = newDevelopment(QStringLiteral("沈一"), QStringLiteral("395"));
    advance(id, "oath");
    EXPECT_EQ(take(id, "disqualify", QJsonObject{{QStringLiteral("disqualifiedOn"), QStringLiteral("2026-03-01")}}).status, 422)
        << "the reason is required";
    EXPECT_EQ(fieldsOf(take(id, "disqualify",
                            QJsonObject{{QStringLiteral("disqualifiedOn"), QStringLiteral("2025-09-14")},
                                        {QStringLiteral("disqualificationReason"), QStringLiteral("不履行党员义务")}})),
              QStringList{QStringLiteral("disqualifiedOn")})
        << "not before the steps already taken";
    auto cancelled = take(id, "disqualify",
                          QJsonObject{{QStringLiteral("disqualifiedOn"), QStringLiteral("2026-03-01")},
                                      {QStringLiteral("disqualificationReason"), QStringLiteral("不履行党员义务")}});
    ASSERT_EQ(cancelled.status, 200) << cancelled.body.toStdString();
    EXPECT_EQ(cancelled.json().value(QStringLiteral("state")).toString(), QStringLiteral("disqualified"));
    const QJsonObject member =
        admin->get("/api/v1/party.daily/members/" + QByteArray::number(cancelled.json().value(QStringLiteral("memberId")).toInteger()))
            .json();
    EXPECT_EQ(member.value(QStringLiteral("leftDate")).toString(), QStringLiteral("2026-03-01"));
    EXPECT_EQ(member.value(QStringLiteral("leftReason")).toString(), QStringLiteral("disqualified"));
    EXPECT_EQ(take(id, "oath", planned(id, "oath")).status, 409);
    EXPECT_EQ(secretary->request("DELETE", path(id)).status, 409);
}

// The overview (issue 16, item 4) on 2026-12-01: 机关党委 has two branches and 另一党委 one.
// 第一党支部: 甲 applied on 2026-10-01 and was never talked to (overdue since 2026-11-01), 乙
// applied on 2026-11-15 (the talk is due by 2026-12-15), 丙's probation ended on 2026-08-01
// with no branch meeting on it (overdue), 丁 became a full member today. 第二党支部: 戊 an
// activist whose contacts were named on 2024-06-15 and never reviewed (overdue since
// 2024-12-15), 己 accepted by the branch meeting on 2025-08-01 and not approved (overdue since
// 2025-11-01). 另一党委/第三党支部: 庚, applied on 2026-10-01, outside the officer's reach.
namespace {

class DevelopOverview : public DevelopSteps {
protected:
    void SetUp() override {
        DevelopSteps::SetUp();
        auto& units = host->app().units();
        second = units.create(committee, QStringLiteral("第二党支部"))->id;
        otherCommittee = units.create(root, QStringLiteral("另一党委"))->id;
        third = units.create(otherCommittee, QStringLiteral("第三党支部"))->id;
        newDevelopment(QStringLiteral("甲"), QStringLiteral("401"), QStringLiteral("2026-10-01"));
        newDevelopment(QStringLiteral("乙"), QStringLiteral("402"), QStringLiteral("2026-11-15"));
        const qint64 bing = newDevelopment(QStringLiteral("丙"), QStringLiteral("403"));
        advance(bing, "");
        ding = newDevelopment(QStringLiteral("丁"), QStringLiteral("404"));
        advance(ding, "");
        ASSERT_EQ(take(ding, "full-vote", fullVote()).status, 200);
        ASSERT_EQ(take(ding, "full-approve", QJsonObject{}).status, 200);
        const qint64 wu = newDevelopment(QStringLiteral("戊"), QStringLiteral("405"), QStringLiteral("2024-03-01"), second, officer.get());
        advance(wu, "review");
        const qint64 ji = newDevelopment(QStringLiteral("己"), QStringLiteral("406"), QStringLiteral("2024-03-01"), second, officer.get());
        advance(ji, "approve");
        newDevelopment(QStringLiteral("庚"), QStringLiteral("407"), QStringLiteral("2026-10-01"), third, admin.get());
    }

    // The report's row whose label is `label`, or an empty object.
    static QJsonObject row(const QJsonObject& report, const QString& label) {
        for (const QJsonValue& item : report.value(QStringLiteral("items")).toArray())
            if (item.toObject().value(QStringLiteral("label")).toString() == label) return item.toObject();
        return {};
    }
    static QStringList labels(const QJsonObject& report, const QString& field = QStringLiteral("label")) {
        QStringList out;
        for (const QJsonValue& item : report.value(QStringLiteral("items")).toArray()) out << item.toObject().value(field).toString();
        return out;
    }
    // The counts of a row or the total: applied, activists, candidates, admission, probation,
    // in progress, full members in the year, overdue.
    static QList<qint64> counts(const QJsonObject& o) {
        QList<qint64> out;
        for (const char* f : {"applied", "activists", "candidates", "admission", "probation", "inProgress", "full", "overdue"})
            out << o.value(QLatin1String(f)).toInteger();
        return out;
    }
    QStringList reminders(HttpClient& as) {
        QStringList texts;
        for (const QJsonValue& r : as.get("/api/v1/reminders").json().value(QStringLiteral("items")).toArray())
            texts << r.toObject().value(QStringLiteral("text")).toString();
        return texts;
    }

    qint64 second = 0, otherCommittee = 0, third = 0, ding = 0;
};

// Reviews every month, reminders 10 days ahead.
class DevelopOverviewTuned : public DevelopOverview {
protected:
    void SetUp() override {
        developSettings = QStringLiteral("<setting name=\"review-months\" value=\"1\"/><setting name=\"remind-days\" value=\"10\"/>");
        DevelopOverview::SetUp();
    }
};

}  // namespace

// Stage counts by organisation, a level below the unit picked: the top shows the two
// committees, a committee its branches; each row names its unit for the shell to drill down.
TEST_F(DevelopOverview, ThePipelineCountsStagesByOrganisationWithDrillDown) {
    auto top = admin->get("/api/v1/party.develop/pipeline?unit=" + QByteArray::number(root));
    ASSERT_EQ(top.status, 200) << top.body.toStdString();
    const QJsonObject all = top.json();
    EXPECT_EQ(labels(all), (QStringList{QStringLiteral("另一党委"), QStringLiteral("机关党委")}));
    EXPECT_EQ(row(all, QStringLiteral("机关党委")).value(QStringLiteral("unitId")).toInteger(), committee);
    EXPECT_EQ(counts(row(all, QStringLiteral("机关党委"))), (QList<qint64>{2, 1, 0, 1, 1, 5, 1, 4}));
    EXPECT_EQ(counts(row(all, QStringLiteral("另一党委"))), (QList<qint64>{1, 0, 0, 0, 0, 1, 0, 1}));
    EXPECT_EQ(counts(all.value(QStringLiteral("total")).toObject()), (QList<qint64>{3, 1, 0, 1, 1, 6, 1, 5}));
    EXPECT_EQ(all.value(QStringLiteral("total")).toObject().value(QStringLiteral("label")).toString(), QStringLiteral("total"))
        << "in the administrator's language, English";
    EXPECT_EQ(all.value(QStringLiteral("params")).toObject().value(QStringLiteral("year")).toString(), QStringLiteral("2026"));
    // The committee's officer drills down to its branches, named by their path.
    const QJsonObject down = officer->get("/api/v1/party.develop/pipeline?unit=" + QByteArray::number(committee)).json();
    EXPECT_EQ(labels(down), (QStringList{QStringLiteral("机关党委/第一党支部"), QStringLiteral("机关党委/第二党支部")}));
    EXPECT_EQ(counts(row(down, QStringLiteral("机关党委/第一党支部"))), (QList<qint64>{2, 0, 0, 0, 1, 3, 1, 2}));
    EXPECT_EQ(counts(row(down, QStringLiteral("机关党委/第二党支部"))), (QList<qint64>{0, 1, 0, 1, 0, 2, 0, 2}));
    EXPECT_EQ(row(down, QStringLiteral("机关党委/第二党支部")).value(QStringLiteral("unitId")).toInteger(), second);
    EXPECT_EQ(row(down, QStringLiteral("机关党委/第二党支部")).value(QStringLiteral("alert")).toArray(),
              QJsonArray{QStringLiteral("overdue")})
        << "overdue steps stand out";
    EXPECT_EQ(down.value(QStringLiteral("total")).toObject().value(QStringLiteral("label")).toString(), QStringLiteral("合计"));
    EXPECT_EQ(down.value(QStringLiteral("title")).toString(), QStringLiteral("发展党员情况（2026-12-01）"));
    const QJsonObject branchOnly = officer->get("/api/v1/party.develop/pipeline?unit=" + QByteArray::number(second)).json();
    EXPECT_EQ(labels(branchOnly), QStringList{QStringLiteral("机关党委/第二党支部")});
    // The full members of another year: none.
    const QJsonObject lastYear = officer->get("/api/v1/party.develop/pipeline?year=2025").json();
    EXPECT_EQ(counts(lastYear.value(QStringLiteral("total")).toObject())[6], 0);
    EXPECT_EQ(fieldsOf(officer->get("/api/v1/party.develop/pipeline?year=2027")), QStringList{QStringLiteral("year")});
    EXPECT_EQ(fieldsOf(officer->get("/api/v1/party.develop/pipeline?stage=x")), QStringList{QStringLiteral("stage")});
}

// A branch secretary sees their branch alone, whatever unit they pick: no counts and no names
// from elsewhere, in the reports or their exports.
TEST_F(DevelopOverview, ABranchSecretarySeesOnlyTheirBranch) {
    for (const QByteArray& query : {QByteArray(), "?unit=" + QByteArray::number(committee), "?unit=" + QByteArray::number(root)}) {
        const QJsonObject mine = secretary->get("/api/v1/party.develop/pipeline" + query).json();
        EXPECT_EQ(counts(mine.value(QStringLiteral("total")).toObject()), (QList<qint64>{2, 0, 0, 0, 1, 3, 1, 2})) << query.toStdString();
        EXPECT_EQ(mine.value(QStringLiteral("items")).toArray().size(), 1) << query.toStdString();
    }
    const QJsonObject deadlines = secretary->get("/api/v1/party.develop/deadlines").json();
    EXPECT_EQ(labels(deadlines, QStringLiteral("name")), (QStringList{QStringLiteral("丙"), QStringLiteral("甲"), QStringLiteral("乙")}));
    auto csv = secretary->get("/api/v1/reports/party.develop/deadlines/export?format=csv");
    ASSERT_EQ(csv.status, 200) << csv.body.toStdString();
    const QString text = QString::fromUtf8(csv.body);
    for (const char* name : {"甲", "乙", "丙"}) EXPECT_TRUE(text.contains(QString::fromUtf8(name))) << text.toStdString();
    for (const char* name : {"戊", "己", "庚", "第二党支部", "另一党委"})
        EXPECT_FALSE(text.contains(QString::fromUtf8(name))) << text.toStdString();
}

// What is overdue or due within 30 days, earliest first, with what is due and by when.
TEST_F(DevelopOverview, TheDeadlinesReportListsOverdueAndDueSoon) {
    const QJsonObject report = officer->get("/api/v1/party.develop/deadlines?unit=" + QByteArray::number(committee)).json();
    EXPECT_EQ(labels(report, QStringLiteral("name")),
              (QStringList{QStringLiteral("戊"), QStringLiteral("己"), QStringLiteral("丙"), QStringLiteral("甲"), QStringLiteral("乙")}));
    EXPECT_EQ(labels(report, QStringLiteral("due")),
              (QStringList{QStringLiteral("2024-12-15"), QStringLiteral("2025-11-01"), QStringLiteral("2026-08-01"),
                           QStringLiteral("2026-11-01"), QStringLiteral("2026-12-15")}));
    EXPECT_EQ(labels(report, QStringLiteral("deadline")),
              (QStringList{QStringLiteral("入党积极分子培养考察"), QStringLiteral("上级党委审批（支部大会后三个月内）"),
                           QStringLiteral("预备期满，讨论转正"), QStringLiteral("谈话（递交申请后一个月内）"),
                           QStringLiteral("谈话（递交申请后一个月内）")}));
    EXPECT_EQ(labels(report, QStringLiteral("status")).mid(3), (QStringList{QStringLiteral("已超期30天"), QStringLiteral("14天后到期")}));
    EXPECT_EQ(labels(report, QStringLiteral("unit"))[0], QStringLiteral("机关党委/第二党支部"));
    EXPECT_EQ(report.value(QStringLiteral("total")).toObject().value(QStringLiteral("deadline")).toString(),
              QStringLiteral("5人，其中超期4人"));
    // Reviewed since: 戊's next review is six months on, beyond the 30 days.
    const qint64 wu = report.value(QStringLiteral("items")).toArray()[0].toObject().value(QStringLiteral("id")).toInteger();
    ASSERT_EQ(take(wu, "review", QJsonObject{{QStringLiteral("lastReviewDate"), QStringLiteral("2026-11-20")}}).status, 200);
    const QJsonObject after = officer->get("/api/v1/party.develop/deadlines?unit=" + QByteArray::number(committee)).json();
    EXPECT_FALSE(labels(after, QStringLiteral("name")).contains(QStringLiteral("戊")));
}

// The settings: reviewed every month, 戊's review of 2026-11-05 is due on 2026-12-05, within the
// 10 days reminded of; 乙's talk, due in 14 days, is beyond them.
TEST_F(DevelopOverviewTuned, ReviewIntervalAndHorizonAreSettings) {
    const QJsonObject before = officer->get("/api/v1/party.develop/deadlines?unit=" + QByteArray::number(committee)).json();
    EXPECT_FALSE(labels(before, QStringLiteral("name")).contains(QStringLiteral("乙"))) << QJsonDocument(before).toJson().toStdString();
    const qint64 wu = before.value(QStringLiteral("items")).toArray()[0].toObject().value(QStringLiteral("id")).toInteger();
    ASSERT_EQ(take(wu, "review", QJsonObject{{QStringLiteral("lastReviewDate"), QStringLiteral("2026-11-05")}}).status, 200);
    const QJsonObject after = officer->get("/api/v1/party.develop/deadlines?unit=" + QByteArray::number(committee)).json();
    EXPECT_EQ(labels(after, QStringLiteral("due")).last(), QStringLiteral("2026-12-05")) << QJsonDocument(after).toJson().toStdString();
    EXPECT_EQ(labels(after, QStringLiteral("status")).last(), QStringLiteral("4天后到期"));
    const QStringList texts = reminders(*officer);
    EXPECT_TRUE(texts.contains(QStringLiteral("1名入党积极分子的培养考察在10天内到期"))) << texts.join(u'|').toStdString();
    EXPECT_FALSE(texts.join(u'|').contains(QStringLiteral("天内谈话"))) << texts.join(u'|').toStdString();
}

// The home page: the branch secretary is reminded of their branch, the committee's officer of
// its branches too; overdue is urgent, due soon a warning with the day; the link opens the
// deadlines of the user's unit.
TEST_F(DevelopOverview, HomeRemindersOfWhatIsDueOrOverdue) {
    const QStringList mine = reminders(*secretary);
    EXPECT_TRUE(mine.contains(QStringLiteral("1名入党申请人递交申请后一个月内未谈话"))) << mine.join(u'|').toStdString();
    EXPECT_TRUE(mine.contains(QStringLiteral("1名入党申请人应在30天内谈话"))) << mine.join(u'|').toStdString();
    // A probation's end is reminded of once, by party.daily from the member card's date.
    EXPECT_EQ(mine.filter(QStringLiteral("预备期已满")), QStringList{QStringLiteral("1 名预备党员预备期已满，尚未转正")})
        << mine.join(u'|').toStdString();
    for (const QString& t : mine)
        EXPECT_FALSE(t.contains(QStringLiteral("入党积极分子")) || t.contains(QStringLiteral("审批"))) << t.toStdString();
    const QStringList theirs = reminders(*officer);
    EXPECT_TRUE(theirs.contains(QStringLiteral("1名入党积极分子超过6个月未进行培养考察"))) << theirs.join(u'|').toStdString();
    EXPECT_TRUE(theirs.contains(QStringLiteral("1名经支部大会通过的发展对象超过三个月未审批"))) << theirs.join(u'|').toStdString();
    EXPECT_TRUE(theirs.contains(QStringLiteral("1名入党申请人递交申请后一个月内未谈话"))) << "甲 alone: 庚 is not theirs";
    for (const QJsonValue& v : officer->get("/api/v1/reminders").json().value(QStringLiteral("items")).toArray()) {
        const QJsonObject r = v.toObject();
        if (r.value(QStringLiteral("text")).toString() == QStringLiteral("1名入党申请人应在30天内谈话")) {
            EXPECT_EQ(r.value(QStringLiteral("level")).toString(), QStringLiteral("warning"));
            EXPECT_EQ(r.value(QStringLiteral("link")).toString(), QStringLiteral("/m/party.develop/deadlines?unit=%1").arg(committee));
        }
        if (r.value(QStringLiteral("text")).toString() == QStringLiteral("1名经支部大会通过的发展对象超过三个月未审批")) {
            EXPECT_EQ(r.value(QStringLiteral("level")).toString(), QStringLiteral("urgent"));
        }
    }
    // A week after the month-end: 乙's talk is overdue too.
    setClock(QDate(2026, 12, 16));
    EXPECT_TRUE(reminders(*secretary).contains(QStringLiteral("2名入党申请人递交申请后一个月内未谈话")));
}

// Each person's steps on their cards: dates with the people named (the introducers by name,
// the votes as counts); the applicant card has them as well.
TEST_F(DevelopOverview, TheStepsAreOnThePersonsCards) {
    const QJsonObject d = record(ding);
    auto sections = secretary->get("/api/v1/cards/party.daily/member/" +
                                   QByteArray::number(d.value(QStringLiteral("memberId")).toInteger()) + "/sections");
    ASSERT_EQ(sections.status, 200) << sections.body.toStdString();
    const QString body = QString::fromUtf8(sections.body);
    for (const QString& shown : {QStringLiteral("9 确定入党介绍人"), QStringLiteral("赵正、钱正"), QStringLiteral("2025-06-25"),
                                 QStringLiteral("应到8人，实到5人，赞成5票，反对0票，弃权0票"), QStringLiteral("支部书记 李强"),
                                 QStringLiteral("24 上级党委审批转正"), QStringLiteral("2026-12-01")})
        EXPECT_TRUE(body.contains(shown)) << shown.toStdString() << " not in " << body.toStdString();
    auto applicant = secretary->get("/api/v1/cards/party.daily/applicant/" +
                                    QByteArray::number(d.value(QStringLiteral("applicantId")).toInteger()) + "/sections");
    ASSERT_EQ(applicant.status, 200) << applicant.body.toStdString();
    EXPECT_TRUE(QString::fromUtf8(applicant.body).contains(QStringLiteral("5 指定培养联系人"))) << applicant.body.toStdString();
    // Another branch's secretary sees none of it.
    auto other =
        party::daily::test::userClient(*host, QStringLiteral("sec2"), QStringLiteral("secretary"), QStringLiteral("unit"), second, "zh-CN");
    auto theirs = other->get("/api/v1/cards/party.daily/applicant/" +
                             QByteArray::number(d.value(QStringLiteral("applicantId")).toInteger()) + "/sections");
    EXPECT_FALSE(QString::fromUtf8(theirs.body).contains(QStringLiteral("赵正"))) << theirs.body.toStdString();
}

// The host exports the pipeline as Excel as the caller sees it.
TEST_F(DevelopOverview, ThePipelineExportsAsExcel) {
    auto xlsx = officer->get("/api/v1/reports/party.develop/pipeline/export?format=xlsx&unit=" + QByteArray::number(committee));
    ASSERT_EQ(xlsx.status, 200) << xlsx.body.toStdString();
    EXPECT_TRUE(xlsx.body.startsWith("PK"));
    auto csv = officer->get("/api/v1/reports/party.develop/pipeline/export?format=csv&unit=" + QByteArray::number(committee));
    ASSERT_EQ(csv.status, 200) << csv.body.toStdString();
    const QStringList lines = QString::fromUtf8(csv.body).remove(QChar(0xFEFF)).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
    ASSERT_EQ(lines.size(), 4) << csv.body.toStdString();
    EXPECT_EQ(lines[0], QStringLiteral("党组织,入党申请人,入党积极分子,发展对象,接收预备党员中,预备党员,在发展中合计,本年度转正,超期未办"));
    EXPECT_EQ(lines[1], QStringLiteral("机关党委/第一党支部,2,0,0,0,1,3,1,2"));
    EXPECT_EQ(lines[3], QStringLiteral("合计,2,1,0,1,1,5,1,4"));
}
