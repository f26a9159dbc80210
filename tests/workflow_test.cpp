// Workflows of served cards (docs/records.md, "Workflows"): fx.workflow declares a handover
// sent by one unit (unitId) to another (toUnitId), with steps taken by each side. Two officers
// of different units act on the same record, each within their scope; a third sees nothing.

#include "host_fixture.hpp"

#include <QDate>
#include <QJsonArray>
#include <QJsonDocument>

#include <thread>

#include <gtest/gtest.h>

using namespace tessera::test;

namespace {

QStringList stepIds(const QJsonArray& steps) {
    QStringList ids;
    for (const auto& s : steps) ids << s.toObject().value(QStringLiteral("id")).toString();
    return ids;
}

class Workflow : public ::testing::Test {
protected:
    void SetUp() override {
        host =
            std::make_unique<RunningHost>(QStringList{fixturePluginDir()}, std::vector<EnablePlugin>{{QStringLiteral("fx.workflow"), {}}});
        ASSERT_EQ(host->app().runtime().plugin(QStringLiteral("fx.workflow"))->state, tessera::host::PluginState::Started)
            << host->app().runtime().plugin(QStringLiteral("fx.workflow"))->reason.toStdString();
        auto& units = host->app().units();
        root = units.ensureRoot(QStringLiteral("总部"))->id;
        east = units.create(root, QStringLiteral("东区"))->id;
        west = units.create(root, QStringLiteral("西区"))->id;
        north = units.create(root, QStringLiteral("北区"))->id;
        admin = std::make_unique<HttpClient>(host->client());
        // An officer sends from their unit and receives there; a clerk may only send.
        role(QStringLiteral("officer"),
             {QStringLiteral("fx.workflow.read"), QStringLiteral("fx.workflow.send"), QStringLiteral("fx.workflow.receive")});
        role(QStringLiteral("clerk"), {QStringLiteral("fx.workflow.read"), QStringLiteral("fx.workflow.send")});
        alice = user(QStringLiteral("alice"), QStringLiteral("clerk"), east);
        bob = user(QStringLiteral("bob"), QStringLiteral("officer"), west);
        carol = user(QStringLiteral("carol"), QStringLiteral("officer"), north);
    }

    void role(const QString& name, const QStringList& permissions) {
        auto r = admin->send(
            "POST", "/api/v1/roles",
            QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("permissions"), QJsonArray::fromStringList(permissions)}});
        ASSERT_EQ(r.status, 201) << r.body.toStdString();
    }

    std::unique_ptr<HttpClient> user(const QString& name, const QString& roleName, qint64 unit) {
        auto c = std::make_unique<HttpClient>(host->anonymousClient());
        c->setDefaultHeader("Authorization", "Bearer " + host->userToken(name, roleName, QStringLiteral("unit"), unit));
        return c;
    }

    // A handover from east to west, sent by alice; returns its id.
    qint64 send(const QString& subject) {
        auto r = alice->send(
            "POST", "/api/v1/fx.workflow/handovers",
            QJsonObject{{QStringLiteral("subject"), subject}, {QStringLiteral("unitId"), east}, {QStringLiteral("toUnitId"), west}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }

    QByteArray path(qint64 id, const QByteArray& tail = {}) { return "/api/v1/fx.workflow/handovers/" + QByteArray::number(id) + tail; }

    std::unique_ptr<RunningHost> host;
    std::unique_ptr<HttpClient> admin, alice, bob, carol;
    qint64 root = 0, east = 0, west = 0, north = 0;
};

}  // namespace

TEST_F(Workflow, ANewRecordStartsInTheDeclaredStateWhichOnlyStepsChange) {
    auto made = alice->send("POST", "/api/v1/fx.workflow/handovers",
                            QJsonObject{{QStringLiteral("subject"), QStringLiteral("档案")},
                                        {QStringLiteral("unitId"), east},
                                        {QStringLiteral("toUnitId"), west},
                                        {QStringLiteral("state"), QStringLiteral("accepted")}});
    ASSERT_EQ(made.status, 201) << made.body.toStdString();
    const auto record = made.json();
    EXPECT_EQ(record.value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
    // The receiver is named to the sender, though it lies outside the sender's scope.
    EXPECT_EQ(record.value(QStringLiteral("labels")).toObject().value(QStringLiteral("toUnitId")).toString(), QStringLiteral("西区"));
    const qint64 id = record.value(QStringLiteral("id")).toInteger();
    // An update cannot set the state either.
    auto put = alice->send("PUT", path(id),
                           QJsonObject{{QStringLiteral("subject"), QStringLiteral("档案二")},
                                       {QStringLiteral("toUnitId"), west},
                                       {QStringLiteral("state"), QStringLiteral("accepted")}},
                           ifMatch(1));
    ASSERT_EQ(put.status, 200) << put.body.toStdString();
    EXPECT_EQ(put.json().value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
    // A destination that does not exist is refused on its field.
    auto nowhere = alice->send("POST", "/api/v1/fx.workflow/handovers",
                               QJsonObject{{QStringLiteral("subject"), QStringLiteral("档案")}, {QStringLiteral("toUnitId"), 99999}});
    EXPECT_EQ(nowhere.status, 422);
    EXPECT_EQ(fieldsOf(nowhere), QStringList{QStringLiteral("toUnitId")});
}

TEST_F(Workflow, BothUnitsOfARecordSeeItAndEachTakesOnlyItsOwnSteps) {
    const qint64 id = send(QStringLiteral("组织关系"));
    // Both ends list and read it; the third unit sees nothing of it.
    for (auto* c : {alice.get(), bob.get()}) {
        auto list = c->get("/api/v1/fx.workflow/handovers");
        ASSERT_EQ(list.status, 200);
        EXPECT_EQ(list.json().value(QStringLiteral("total")).toInteger(), 1);
        EXPECT_EQ(c->get(path(id)).status, 200);
    }
    EXPECT_EQ(bob->get("/api/v1/fx.workflow/handovers?unit=" + QByteArray::number(west)).json().value(QStringLiteral("total")).toInteger(),
              1);
    EXPECT_EQ(carol->get("/api/v1/fx.workflow/handovers").json().value(QStringLiteral("total")).toInteger(), 0);
    EXPECT_EQ(carol->get(path(id)).status, 404);
    EXPECT_EQ(carol->get(path(id, "/steps")).status, 404);
    EXPECT_EQ(
        carol->send("POST", path(id, "/steps/accept"), QJsonObject{{QStringLiteral("receiptNo"), QStringLiteral("R1")}}, ifMatch(1)).status,
        404);
    // The receiver names the sender by its path, as the sender names the receiver.
    EXPECT_EQ(bob->get(path(id)).json().value(QStringLiteral("unitName")).toString(), QStringLiteral("东区"));
    // Only the record's own unit edits or deletes it: the receiver may send, but not this.
    EXPECT_EQ(bob->send("PUT", path(id), QJsonObject{{QStringLiteral("subject"), QStringLiteral("改")}}, ifMatch(1)).status, 404);
    EXPECT_EQ(bob->request("DELETE", path(id)).status, 404);
    // The list says so row by row, as the record does, so a row offers only what the server takes.
    for (auto [c, may] : {std::pair{alice.get(), true}, std::pair{bob.get(), false}}) {
        const QJsonObject row = c->get("/api/v1/fx.workflow/handovers").json().value(QStringLiteral("items")).toArray().first().toObject();
        const QJsonObject expected{{QStringLiteral("edit"), may}, {QStringLiteral("delete"), may}};
        EXPECT_EQ(row.value(QStringLiteral("may")).toObject(), expected) << QJsonDocument(row).toJson().toStdString();
        EXPECT_EQ(c->get(path(id)).json().value(QStringLiteral("may")).toObject(), expected);
    }

    // Each sees the steps that are theirs.
    auto bobs = bob->get(path(id, "/steps"));
    ASSERT_EQ(bobs.status, 200) << bobs.body.toStdString();
    EXPECT_EQ(bobs.json().value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
    EXPECT_EQ(stepIds(bobs.json().value(QStringLiteral("steps")).toArray()),
              (QStringList{QStringLiteral("accept"), QStringLiteral("give-back")}));
    EXPECT_EQ(stepIds(alice->get(path(id, "/steps")).json().value(QStringLiteral("steps")).toArray()),
              QStringList{QStringLiteral("withdraw")});

    // The sender may not take the receiver's step; the refusal says who may, and where.
    auto notHers =
        alice->send("POST", path(id, "/steps/accept"), QJsonObject{{QStringLiteral("receiptNo"), QStringLiteral("R1")}}, ifMatch(1));
    EXPECT_EQ(notHers.status, 403);
    EXPECT_TRUE(notHers.body.contains("receive handovers")) << notHers.body.toStdString();
    EXPECT_TRUE(notHers.body.contains("西区")) << notHers.body.toStdString();
    EXPECT_EQ(alice->send("POST", path(id, "/steps/fly"), QJsonObject{}, ifMatch(1)).status, 404);
}

TEST_F(Workflow, AStepChecksItsFieldsItsGuardAndTheVersionAndIsRecorded) {
    const qint64 id = send(QStringLiteral("党员档案"));
    // Its required fields, its own fields only, the plugin's guard: all reported at once.
    auto missing = bob->send("POST", path(id, "/steps/accept"), QJsonObject{{QStringLiteral("subject"), QStringLiteral("改")}}, ifMatch(1));
    EXPECT_EQ(missing.status, 422);
    EXPECT_EQ(fieldsOf(missing), (QStringList{QStringLiteral("subject"), QStringLiteral("receiptNo")}));
    EXPECT_EQ(messageOf(missing, QStringLiteral("receiptNo")), QStringLiteral("is required to accept"));
    auto guarded =
        bob->send("POST", path(id, "/steps/accept"), QJsonObject{{QStringLiteral("receiptNo"), QStringLiteral("X9")}}, ifMatch(1));
    EXPECT_EQ(guarded.status, 422);
    EXPECT_EQ(fieldsOf(guarded), QStringList{QStringLiteral("receiptNo")});
    auto future = bob->send("POST", path(id, "/steps/accept"),
                            QJsonObject{{QStringLiteral("receiptNo"), QStringLiteral("R1")},
                                        {QStringLiteral("acceptedOn"), QDate::currentDate().addDays(3).toString(Qt::ISODate)}},
                            ifMatch(1));
    EXPECT_EQ(fieldsOf(future), QStringList{QStringLiteral("acceptedOn")});
    // Without the version read, nothing is taken; with an old one, 412 and the current ETag.
    EXPECT_EQ(bob->send("POST", path(id, "/steps/accept"), QJsonObject{{QStringLiteral("receiptNo"), QStringLiteral("R1")}}).status, 428);
    ASSERT_EQ(
        alice
            ->send("PUT", path(id),
                   QJsonObject{{QStringLiteral("subject"), QStringLiteral("党员档案(补)")}, {QStringLiteral("toUnitId"), west}}, ifMatch(1))
            .status,
        200);
    auto stale = bob->send("POST", path(id, "/steps/accept"), QJsonObject{{QStringLiteral("receiptNo"), QStringLiteral("R1")}}, ifMatch(1));
    EXPECT_EQ(stale.status, 412);
    EXPECT_EQ(stale.header("ETag"), QByteArray("\"2\""));
    auto staleBody = bob->send("POST", path(id, "/steps/accept"),
                               QJsonObject{{QStringLiteral("receiptNo"), QStringLiteral("R1")}, {QStringLiteral("version"), 1}});
    EXPECT_EQ(staleBody.status, 409);
    // A refusal after the step (the afterStep hook) undoes all of it.
    auto undone =
        bob->send("POST", path(id, "/steps/accept"), QJsonObject{{QStringLiteral("receiptNo"), QStringLiteral("FAIL")}}, ifMatch(2));
    EXPECT_EQ(undone.status, 422);
    EXPECT_EQ(fieldsOf(undone), QStringList{QStringLiteral("receiptNo")});
    EXPECT_EQ(bob->get(path(id)).json().value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
    EXPECT_TRUE(bob->get(path(id, "/steps")).json().value(QStringLiteral("history")).toArray().isEmpty());

    auto taken = bob->send(
        "POST", path(id, "/steps/accept"),
        QJsonObject{{QStringLiteral("receiptNo"), QStringLiteral("R1")}, {QStringLiteral("comment"), QStringLiteral("收到")}}, ifMatch(2));
    ASSERT_EQ(taken.status, 200) << taken.body.toStdString();
    EXPECT_EQ(taken.json().value(QStringLiteral("state")).toString(), QStringLiteral("accepted"));
    EXPECT_EQ(taken.json().value(QStringLiteral("acceptedOn")).toString(), QDate::currentDate().toString(Qt::ISODate));  // the step's date
    EXPECT_EQ(taken.json().value(QStringLiteral("version")).toInteger(), 3);
    EXPECT_EQ(taken.header("ETag"), QByteArray("\"3\""));
    auto steps = alice->get(path(id, "/steps"));
    const QJsonArray history = steps.json().value(QStringLiteral("history")).toArray();
    ASSERT_EQ(history.size(), 1);
    const QJsonObject h = history[0].toObject();
    EXPECT_EQ(h.value(QStringLiteral("step")).toString(), QStringLiteral("accept"));
    EXPECT_EQ(h.value(QStringLiteral("from")).toString(), QStringLiteral("pending"));
    EXPECT_EQ(h.value(QStringLiteral("toLabel")).toString(), QStringLiteral("accepted"));
    EXPECT_EQ(h.value(QStringLiteral("by")).toString(), QStringLiteral("bob"));
    EXPECT_EQ(h.value(QStringLiteral("comment")).toString(), QStringLiteral("收到"));
    EXPECT_EQ(h.value(QStringLiteral("at")).toString().size(), 19);                // 2026-12-05 08:30:00, local time
    EXPECT_TRUE(steps.json().value(QStringLiteral("steps")).toArray().isEmpty());  // nothing leaves accepted
    // The record's history (the audit log) has the step's change too.
    auto audit = alice->get(path(id, "/history"));
    EXPECT_TRUE(audit.body.contains("accepted")) << audit.body.toStdString();
    // A step from a state the record is not in: 409, saying where it is.
    auto again =
        bob->send("POST", path(id, "/steps/give-back"), QJsonObject{{QStringLiteral("returnReason"), QStringLiteral("错")}}, ifMatch(3));
    EXPECT_EQ(again.status, 409);
    EXPECT_TRUE(again.body.contains("is accepted; the step return is taken only from pending")) << again.body.toStdString();
}

TEST_F(Workflow, CommentsAreAskedForRefusedOrFreeAsTheStepSays) {
    const qint64 id = send(QStringLiteral("介绍信"));
    auto noComment = bob->send(
        "POST", path(id, "/steps/give-back"),
        QJsonObject{{QStringLiteral("returnReason"), QStringLiteral("信息不全")}, {QStringLiteral("comment"), QStringLiteral("见原因")}},
        ifMatch(1));
    EXPECT_EQ(fieldsOf(noComment), QStringList{QStringLiteral("comment")});
    ASSERT_EQ(bob->send("POST", path(id, "/steps/give-back"), QJsonObject{{QStringLiteral("returnReason"), QStringLiteral("信息不全")}},
                        ifMatch(1))
                  .status,
              200);
    auto needsOne = alice->send("POST", path(id, "/steps/withdraw"), QJsonObject{}, ifMatch(2));
    EXPECT_EQ(fieldsOf(needsOne), QStringList{QStringLiteral("comment")});
    // Sent again: back to pending, with the date of sending filled in.
    auto resent = alice->send("POST", path(id, "/steps/resend"), QJsonObject{}, ifMatch(2));
    ASSERT_EQ(resent.status, 200) << resent.body.toStdString();
    EXPECT_EQ(resent.json().value(QStringLiteral("state")).toString(), QStringLiteral("pending"));
    EXPECT_EQ(resent.json().value(QStringLiteral("sentOn")).toString(), QDate::currentDate().toString(Qt::ISODate));
    auto withdrawn =
        alice->send("POST", path(id, "/steps/withdraw"), QJsonObject{{QStringLiteral("comment"), QStringLiteral("不转了")}}, ifMatch(3));
    ASSERT_EQ(withdrawn.status, 200) << withdrawn.body.toStdString();
    EXPECT_EQ(alice->get(path(id, "/steps")).json().value(QStringLiteral("history")).toArray().size(), 3);
}

TEST_F(Workflow, TheToDoListAndTheHomeRemindersShowWhatWaitsForEachCaller) {
    const qint64 first = send(QStringLiteral("第一件"));
    const qint64 second = send(QStringLiteral("第二件"));
    auto todo = bob->get("/api/v1/todo");
    ASSERT_EQ(todo.status, 200) << todo.body.toStdString();
    EXPECT_EQ(todo.json().value(QStringLiteral("total")).toInteger(), 2);
    const QJsonArray items = todo.json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(items.size(), 2);
    const QJsonObject item = items[0].toObject();  // what has waited longest first
    EXPECT_EQ(item.value(QStringLiteral("id")).toInteger(), first);
    EXPECT_EQ(item.value(QStringLiteral("title")).toString(), QStringLiteral("第一件"));
    EXPECT_EQ(item.value(QStringLiteral("plugin")).toString(), QStringLiteral("fx.workflow"));
    EXPECT_EQ(item.value(QStringLiteral("resource")).toString(), QStringLiteral("handovers"));
    EXPECT_EQ(item.value(QStringLiteral("stateLabel")).toString(), QStringLiteral("pending"));
    EXPECT_EQ(item.value(QStringLiteral("unitName")).toString(), QStringLiteral("东区"));
    EXPECT_EQ(stepIds(item.value(QStringLiteral("steps")).toArray()), (QStringList{QStringLiteral("accept"), QStringLiteral("give-back")}));
    EXPECT_EQ(bob->get("/api/v1/todo?size=1&page=2")
                  .json()
                  .value(QStringLiteral("items"))
                  .toArray()[0]
                  .toObject()
                  .value(QStringLiteral("id"))
                  .toInteger(),
              second);
    EXPECT_EQ(bob->get("/api/v1/todo?size=0").status, 422);
    EXPECT_EQ(bob->get("/api/v1/todo?colour=red").status, 422);
    // The sender waits for nothing (withdrawing is no to-do); the third unit sees nothing.
    EXPECT_EQ(alice->get("/api/v1/todo").json().value(QStringLiteral("total")).toInteger(), 0);
    EXPECT_EQ(carol->get("/api/v1/todo").json().value(QStringLiteral("total")).toInteger(), 0);
    // The receiver's unit is reminded on the home page, in the reader's language.
    bob->setLanguage("zh-CN");
    auto home = bob->get("/api/v1/reminders");
    ASSERT_EQ(home.status, 200);
    const QJsonArray reminders = home.json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(reminders.size(), 1) << home.body.toStdString();
    EXPECT_EQ(reminders[0].toObject().value(QStringLiteral("text")).toString(), QStringLiteral("2 条交接待接收，待您处理"));
    EXPECT_EQ(reminders[0].toObject().value(QStringLiteral("link")).toString(), QStringLiteral("/todo"));
    EXPECT_TRUE(carol->get("/api/v1/reminders").json().value(QStringLiteral("items")).toArray().isEmpty());
    // Returned, it waits for the sender instead.
    ASSERT_EQ(
        bob->send("POST", path(first, "/steps/give-back"), QJsonObject{{QStringLiteral("returnReason"), QStringLiteral("错")}}, ifMatch(1))
            .status,
        200);
    EXPECT_EQ(bob->get("/api/v1/todo").json().value(QStringLiteral("total")).toInteger(), 1);
    auto hers = alice->get("/api/v1/todo");
    EXPECT_EQ(hers.json().value(QStringLiteral("total")).toInteger(), 1);
    EXPECT_EQ(stepIds(hers.json().value(QStringLiteral("items")).toArray()[0].toObject().value(QStringLiteral("steps")).toArray()),
              QStringList{QStringLiteral("resend")});
}

TEST_F(Workflow, EveryRefusalOfAStepReachesAChineseReaderInChinese) {
    const qint64 id = send(QStringLiteral("档案"));
    alice->setLanguage("zh-CN");
    bob->setLanguage("zh-CN");
    std::vector<HttpReply> replies{
        alice->send("POST", path(id, "/steps/accept"), QJsonObject{}, ifMatch(1)),
        alice->send("POST", path(id, "/steps/fly"), QJsonObject{}, ifMatch(1)),
        bob->send("POST", path(id, "/steps/accept"),
                  QJsonObject{{QStringLiteral("subject"), QStringLiteral("x")}, {QStringLiteral("comment"), 3}}, ifMatch(1)),
        bob->send("POST", path(id, "/steps/accept"), QJsonObject{{QStringLiteral("receiptNo"), QStringLiteral("R")}}),
        bob->send("POST", path(id, "/steps/give-back"),
                  QJsonObject{{QStringLiteral("returnReason"), QStringLiteral("x")}, {QStringLiteral("comment"), QStringLiteral("y")}},
                  ifMatch(1)),
        bob->send("POST", path(id, "/steps/accept"), QJsonObject{{QStringLiteral("receiptNo"), QStringLiteral("R")}}, ifMatch(7)),
    };
    ASSERT_EQ(
        bob->send("POST", path(id, "/steps/accept"), QJsonObject{{QStringLiteral("receiptNo"), QStringLiteral("R")}}, ifMatch(1)).status,
        200);
    replies.push_back(
        bob->send("POST", path(id, "/steps/accept"), QJsonObject{{QStringLiteral("receiptNo"), QStringLiteral("R")}}, ifMatch(2)));
    replies.push_back(bob->get("/api/v1/todo?size=x"));
    for (const auto& r : replies) {
        EXPECT_GE(r.status, 400) << r.body.toStdString();
        const QStringList messages = messagesOf(r);
        EXPECT_FALSE(messages.isEmpty()) << r.body.toStdString();
        for (const QString& m : messages) EXPECT_FALSE(hasEnglishSentence(m)) << r.status << ": " << m.toStdString();
    }
    auto steps = bob->get(path(id, "/steps")).json();
    EXPECT_EQ(steps.value(QStringLiteral("stateLabel")).toString(), QStringLiteral("已接收"));
    EXPECT_EQ(steps.value(QStringLiteral("history")).toArray()[0].toObject().value(QStringLiteral("label")).toString(),
              QStringLiteral("接收"));
}

TEST_F(Workflow, ADocumentIsNumberedPerUnitAndYearFilledWithTextAndKept) {
    auto made = alice->send("POST", "/api/v1/fx.workflow/handovers",
                            QJsonObject{{QStringLiteral("subject"), QStringLiteral("<b>档案</b>")},
                                        {QStringLiteral("unitId"), east},
                                        {QStringLiteral("toUnitId"), west}});
    ASSERT_EQ(made.status, 201);
    const qint64 id = made.json().value(QStringLiteral("id")).toInteger();
    const QString year = QString::number(QDate::currentDate().year());
    auto listed = alice->get(path(id, "/documents"));
    ASSERT_EQ(listed.status, 200) << listed.body.toStdString();
    const QJsonObject slip = listed.json().value(QStringLiteral("documents")).toArray()[0].toObject();
    EXPECT_EQ(slip.value(QStringLiteral("id")).toString(), QStringLiteral("slip"));
    EXPECT_TRUE(slip.value(QStringLiteral("canPrint")).toBool());
    const QJsonObject refused = bob->get(path(id, "/documents")).json().value(QStringLiteral("documents")).toArray()[0].toObject();
    EXPECT_FALSE(refused.value(QStringLiteral("canPrint")).toBool());
    // Why not, naming the permission and the unit, before the user tries.
    EXPECT_TRUE(refused.value(QStringLiteral("why")).toString().startsWith(QStringLiteral("only someone who may")))
        << refused.value(QStringLiteral("why")).toString().toStdString();
    EXPECT_FALSE(slip.contains(QStringLiteral("why")));

    auto printed = alice->send("POST", path(id, "/documents/slip"), QJsonObject{});
    ASSERT_EQ(printed.status, 201) << printed.body.toStdString();
    const QJsonObject copy = printed.json();
    EXPECT_EQ(copy.value(QStringLiteral("number")).toString(), QStringLiteral("交字%1第001号").arg(year));
    EXPECT_EQ(copy.value(QStringLiteral("by")).toString(), QStringLiteral("alice"));
    EXPECT_EQ(copy.value(QStringLiteral("printedOn")).toString(), QDate::currentDate().toString(Qt::ISODate));
    const QString html = copy.value(QStringLiteral("html")).toString();
    EXPECT_TRUE(html.contains(QStringLiteral("事项：&lt;b&gt;档案&lt;/b&gt;"))) << "values are text, never HTML";
    EXPECT_FALSE(html.contains(QStringLiteral("<b>档案")));
    EXPECT_TRUE(html.contains(QStringLiteral("发出单位：东区　接收单位：%1/西区</p>").arg(host->app().units().get(root)->name)))
        << html.toStdString();
    EXPECT_TRUE(html.contains(QStringLiteral("状态：待接收"))) << "a dropdown by its label, in the document's language";
    EXPECT_TRUE(html.contains(QStringLiteral("编号：交字%1第001号").arg(year)));
    const QDate today = QDate::currentDate();
    EXPECT_TRUE(html.contains(QStringLiteral("开具日期：%1年%2月%3日").arg(today.year()).arg(today.month()).arg(today.day())));
    EXPECT_TRUE(html.contains(QStringLiteral("接收日期：</p>"))) << "an empty field prints empty";
    EXPECT_FALSE(html.contains(QStringLiteral("{{")));
    // The next copy of the same unit and year takes the next number; another unit starts its own.
    EXPECT_EQ(alice->send("POST", path(id, "/documents/slip"), QJsonObject{}).json().value(QStringLiteral("number")).toString(),
              QStringLiteral("交字%1第002号").arg(year));
    auto carols = carol->send("POST", "/api/v1/fx.workflow/handovers",
                              QJsonObject{{QStringLiteral("subject"), QStringLiteral("北区档案")},
                                          {QStringLiteral("unitId"), north},
                                          {QStringLiteral("toUnitId"), west}});
    ASSERT_EQ(carols.status, 201);
    const qint64 other = carols.json().value(QStringLiteral("id")).toInteger();
    EXPECT_EQ(carol->send("POST", path(other, "/documents/slip"), QJsonObject{}).json().value(QStringLiteral("number")).toString(),
              QStringLiteral("交字%1第001号").arg(year));

    // The receiver reads the copies, but prints only where it may; the third unit sees nothing.
    auto notHis = bob->send("POST", path(id, "/documents/slip"), QJsonObject{});
    EXPECT_EQ(notHis.status, 403);
    EXPECT_TRUE(notHis.body.contains("send handovers") && notHis.body.contains("东区")) << notHis.body.toStdString();
    EXPECT_EQ(carol->get(path(id, "/documents")).status, 404);
    EXPECT_EQ(carol->send("POST", path(id, "/documents/slip"), QJsonObject{}).status, 404);
    const qint64 copyId = copy.value(QStringLiteral("id")).toInteger();
    EXPECT_EQ(carol->get(path(id, "/printed/" + QByteArray::number(copyId))).status, 404);
    EXPECT_EQ(carol->get(path(other, "/printed/" + QByteArray::number(copyId))).status, 404) << "a copy of another record";
    auto kept = bob->get(path(id, "/printed/" + QByteArray::number(copyId)));
    ASSERT_EQ(kept.status, 200);
    EXPECT_EQ(kept.json().value(QStringLiteral("html")).toString(), html) << "kept as it was printed";
    const QJsonArray copies = bob->get(path(id, "/documents")).json().value(QStringLiteral("printed")).toArray();
    ASSERT_EQ(copies.size(), 2);
    EXPECT_EQ(copies[1].toObject().value(QStringLiteral("number")).toString(), QStringLiteral("交字%1第002号").arg(year));
    EXPECT_FALSE(copies[0].toObject().contains(QStringLiteral("html")));
    EXPECT_EQ(alice->send("POST", path(id, "/documents/letter"), QJsonObject{}).status, 404);
    EXPECT_EQ(alice->send("POST", path(id, "/documents/slip"), QJsonObject{{QStringLiteral("number"), 7}}).status, 422);
}

TEST_F(Workflow, CopiesPrintedAtOnceNeverShareANumber) {
    const qint64 id = send(QStringLiteral("并发"));
    constexpr int kPrinters = 8;
    const QByteArray token = host->userToken(QStringLiteral("dave"), QStringLiteral("clerk"), QStringLiteral("unit"), east);
    std::vector<QString> numbers(kPrinters);
    std::vector<std::thread> threads;
    for (int i = 0; i < kPrinters; ++i)
        threads.emplace_back([&, i] {
            HttpClient c = host->anonymousClient();
            c.setDefaultHeader("Authorization", "Bearer " + token);
            auto r = c.send("POST", path(id, "/documents/slip"), QJsonObject{});
            numbers[std::size_t(i)] = r.status == 201 ? r.json().value(QStringLiteral("number")).toString() : QString::number(r.status);
        });
    for (auto& t : threads) t.join();
    const QString year = QString::number(QDate::currentDate().year());
    QStringList expected;
    for (int i = 1; i <= kPrinters; ++i) expected << QStringLiteral("交字%1第%2号").arg(year).arg(i, 3, 10, QLatin1Char('0'));
    QStringList got(numbers.begin(), numbers.end());
    got.sort();
    EXPECT_EQ(got, expected);
}

// A numbered field (number="JJ{date}-{seq:3}" number-date="sentOn"): the engine numbers each
// new record by its day, restarting each day, never twice even when eight clients create
// records at once; the client cannot set or change it, and a deleted record's number is gone.
TEST_F(Workflow, RecordsAreNumberedPerDayOnceAndNeverTwice) {
    constexpr int kClients = 8;
    const QByteArray token = host->userToken(QStringLiteral("dave"), QStringLiteral("clerk"), QStringLiteral("unit"), east);
    const QString today = QDate::currentDate().toString(QStringLiteral("yyyyMMdd"));
    std::vector<QString> numbers(kClients * 3);
    std::vector<std::thread> threads;
    for (int i = 0; i < kClients; ++i)
        threads.emplace_back([&, i] {
            HttpClient c = host->anonymousClient();
            c.setDefaultHeader("Authorization", "Bearer " + token);
            for (int k = 0; k < 3; ++k) {
                auto r = c.send("POST", "/api/v1/fx.workflow/handovers",
                                QJsonObject{{QStringLiteral("subject"), QStringLiteral("并发%1-%2").arg(i).arg(k)},
                                            {QStringLiteral("unitId"), east},
                                            {QStringLiteral("toUnitId"), west},
                                            {QStringLiteral("handoverNo"), QStringLiteral("JJ-mine")}});
                numbers[std::size_t(i * 3 + k)] =
                    r.status == 201 ? r.json().value(QStringLiteral("handoverNo")).toString() : QString::number(r.status) + r.body;
            }
        });
    for (auto& t : threads) t.join();
    QStringList expected;
    for (int i = 1; i <= kClients * 3; ++i) expected << QStringLiteral("JJ%1-%2").arg(today).arg(i, 3, 10, QLatin1Char('0'));
    QStringList got(numbers.begin(), numbers.end());
    got.sort();
    EXPECT_EQ(got, expected) << "the client's own number is ignored; none is given twice";

    // By the record's day: another day's sequence starts at 1; the next of today goes on.
    auto earlier = alice->send("POST", "/api/v1/fx.workflow/handovers",
                               QJsonObject{{QStringLiteral("subject"), QStringLiteral("补登")},
                                           {QStringLiteral("unitId"), east},
                                           {QStringLiteral("toUnitId"), west},
                                           {QStringLiteral("sentOn"), QStringLiteral("2026-03-02")}});
    ASSERT_EQ(earlier.status, 201) << earlier.body.toStdString();
    EXPECT_EQ(earlier.json().value(QStringLiteral("handoverNo")).toString(), QStringLiteral("JJ20260302-001"));
    const qint64 last = send(QStringLiteral("最后"));
    auto lastRecord = alice->get(path(last));
    EXPECT_EQ(lastRecord.json().value(QStringLiteral("handoverNo")).toString(), QStringLiteral("JJ%1-025").arg(today));
    // An edit keeps it whatever the body says; a deleted record's number is not given again.
    QJsonObject edit = lastRecord.json();
    edit.insert(QStringLiteral("handoverNo"), QStringLiteral("JJ0"));
    edit.insert(QStringLiteral("subject"), QStringLiteral("最后（改）"));
    auto edited = alice->send("PUT", path(last), edit, {{"If-Match", "\"1\""}});
    ASSERT_EQ(edited.status, 200) << edited.body.toStdString();
    EXPECT_EQ(edited.json().value(QStringLiteral("handoverNo")).toString(), QStringLiteral("JJ%1-025").arg(today));
    ASSERT_EQ(alice->request("DELETE", path(last), {}, {{"If-Match", "\"2\""}}).status, 204);
    EXPECT_EQ(alice->get(path(send(QStringLiteral("又一个")))).json().value(QStringLiteral("handoverNo")).toString(),
              QStringLiteral("JJ%1-026").arg(today));
    // Found by its number.
    auto found = alice->get("/api/v1/fx.workflow/handovers?q=" + QStringLiteral("JJ%1-026").arg(today).toUtf8());
    EXPECT_EQ(found.json().value(QStringLiteral("total")).toInteger(), 1) << found.body.toStdString();
}

TEST_F(Workflow, AFieldThatReachesTheWholeTreeLooksUpAnyUnitForWhoMayWriteTheCard) {
    auto found = alice->get("/api/v1/units/lookup?field=fx.workflow/handover/toUnitId&q=%E8%A5%BF");  // 西
    ASSERT_EQ(found.status, 200) << found.body.toStdString();
    const QJsonArray items = found.json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(items.size(), 1) << found.body.toStdString();
    EXPECT_EQ(items[0].toObject().value(QStringLiteral("id")).toInteger(), west);
    EXPECT_EQ(items[0].toObject().value(QStringLiteral("name")).toString(), QStringLiteral("西区"));
    EXPECT_TRUE(items[0].toObject().value(QStringLiteral("path")).toString().endsWith(QStringLiteral("/西区")));
    // Only a field that reaches the whole tree, only for who may write its card.
    EXPECT_EQ(alice->get("/api/v1/units/lookup?field=fx.workflow/handover/unitId&q=x").status, 422);
    EXPECT_EQ(alice->get("/api/v1/units/lookup?field=fx.workflow/handover/toUnitId").status, 422);
    EXPECT_EQ(alice->get("/api/v1/units/lookup?field=fx.workflow/handover/toUnitId&q=x&depth=2").status, 422);
    role(QStringLiteral("reader"), {QStringLiteral("fx.workflow.read")});
    auto reader = user(QStringLiteral("rita"), QStringLiteral("reader"), east);
    EXPECT_EQ(reader->get("/api/v1/units/lookup?field=fx.workflow/handover/toUnitId&q=%E8%A5%BF").status, 403);
}

TEST_F(Workflow, AnExportNamesEveryUnitOfARecordToBothOfItsUnits) {
    send(QStringLiteral("出口"));
    for (auto* c : {alice.get(), bob.get()}) {
        auto started = c->request("POST", "/api/v1/fx.workflow/handovers/export");
        ASSERT_EQ(started.status, 202) << started.body.toStdString();
        const QJsonObject job = waitForJob(*c, started.json().value(QStringLiteral("href")).toString().toUtf8());
        ASSERT_EQ(job.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        const QString csv = QString::fromUtf8(
            c->get(job.value(QStringLiteral("output")).toObject().value(QStringLiteral("href")).toString().toUtf8()).body.mid(3));
        const QStringList lines = csv.split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
        ASSERT_EQ(lines.size(), 2) << csv.toStdString();
        EXPECT_TRUE(lines[1].contains(QStringLiteral("出口,")) && lines[1].contains(QStringLiteral("东区")) &&
                    lines[1].contains(QStringLiteral("西区")))
            << "the sender and the receiver, never an empty cell or an id: " << lines[1].toStdString();
    }
}

// A user field (kind="user"): someone holding a duty where the record belongs. The picker lists
// only them, to writers there; the engine refuses anyone else in the same words for a user who
// does not exist; lists, counts, exports and the history name them; "me" filters the caller's own.
TEST_F(Workflow, AUserFieldTakesOnlySomeoneHoldingItsDutyAtTheRecordsUnit) {
    role(QStringLiteral("courier"), {QStringLiteral("fx.workflow.read"), QStringLiteral("fx.workflow.carry")});
    auto dave = user(QStringLiteral("dave"), QStringLiteral("courier"), east);
    auto erin = user(QStringLiteral("erin"), QStringLiteral("courier"), west);
    auto ids = [&](HttpClient& as) {
        return as.get("/api/v1/auth/me").json().value(QStringLiteral("user")).toObject().value(QStringLiteral("id")).toInteger();
    };
    const qint64 daveId = ids(*dave), erinId = ids(*erin);
    ASSERT_GT(daveId, 0);

    // The picker: east's couriers for a writer at east; west is not alice's to write to.
    auto people = alice->get("/api/v1/fx.workflow/handovers/people/courier?unit=" + QByteArray::number(east));
    ASSERT_EQ(people.status, 200) << people.body.toStdString();
    EXPECT_EQ(people.json().value(QStringLiteral("items")).toArray(),
              (QJsonArray{QJsonObject{{QStringLiteral("id"), daveId}, {QStringLiteral("name"), QStringLiteral("dave")}}}));
    EXPECT_EQ(alice->get("/api/v1/fx.workflow/handovers/people/courier?q=da").json().value(QStringLiteral("items")).toArray().size(), 1)
        << "her own unit by default, searched by name";
    EXPECT_EQ(alice->get("/api/v1/fx.workflow/handovers/people/courier?q=zz").json().value(QStringLiteral("items")).toArray().size(), 0);
    EXPECT_EQ(alice->get("/api/v1/fx.workflow/handovers/people/courier?unit=" + QByteArray::number(west)).status, 403);
    EXPECT_EQ(alice->get("/api/v1/fx.workflow/handovers/people/subject").status, 404);
    EXPECT_EQ(alice->get("/api/v1/fx.workflow/handovers/people/courier?who=x").status, 422);
    EXPECT_EQ(dave->get("/api/v1/fx.workflow/handovers/people/courier").status, 403) << "a courier does not write handovers";

    auto sendWith = [&](const QJsonValue& courier) {
        return alice->send("POST", "/api/v1/fx.workflow/handovers",
                           QJsonObject{{QStringLiteral("subject"), QStringLiteral("档案")},
                                       {QStringLiteral("unitId"), east},
                                       {QStringLiteral("toUnitId"), west},
                                       {QStringLiteral("courier"), courier}});
    };
    auto sent = sendWith(daveId);
    ASSERT_EQ(sent.status, 201) << sent.body.toStdString();
    const qint64 id = sent.json().value(QStringLiteral("id")).toInteger();
    EXPECT_EQ(sent.json().value(QStringLiteral("labels")).toObject().value(QStringLiteral("courier")).toString(), QStringLiteral("dave"));
    // West's courier, a user who does not exist, not a user id: refused on the field, the first two alike.
    alice->setLanguage("zh-CN");
    for (const qint64 wrong : {erinId, qint64(987654)}) {
        auto refused = sendWith(wrong);
        ASSERT_EQ(refused.status, 422) << refused.body.toStdString();
        EXPECT_EQ(messageOf(refused, QStringLiteral("courier")), QStringLiteral("不是在 东区 担任“递送交接”的人员，请从列表中选择"))
            << refused.body.toStdString();
    }
    EXPECT_EQ(sendWith(QStringLiteral("dave")).status, 422);
    // A courier lists their own; the counts name them.
    auto mine = dave->get("/api/v1/fx.workflow/handovers?courier=me");
    ASSERT_EQ(mine.status, 200) << mine.body.toStdString();
    EXPECT_EQ(mine.json().value(QStringLiteral("total")).toInteger(), 1);
    EXPECT_EQ(admin->get("/api/v1/fx.workflow/handovers?courier=me").json().value(QStringLiteral("total")).toInteger(), 0);
    EXPECT_EQ(alice->get("/api/v1/fx.workflow/handovers?courier=someone").status, 422);
    auto counts = admin->get("/api/v1/fx.workflow/handovers/counts?by=courier");
    ASSERT_EQ(counts.status, 200) << counts.body.toStdString();
    EXPECT_EQ(counts.json().value(QStringLiteral("items")).toArray()[0].toObject().value(QStringLiteral("label")).toString(),
              QStringLiteral("dave"));
    // Unchanged, the courier stays valid on any save; taken off the duty, they are refused when named anew.
    auto record = alice->get(path(id)).json();
    record.insert(QStringLiteral("subject"), QStringLiteral("档案二"));
    auto saved = alice->send("PUT", path(id), record);
    ASSERT_EQ(saved.status, 200) << saved.body.toStdString();
    auto history = admin->get(path(id, "/history"));
    EXPECT_TRUE(QString::fromUtf8(history.body).contains(QStringLiteral("\"afterLabel\":\"dave\""))) << history.body.toStdString();
}

// An import names a user field's person by display name or username, among those holding its
// duty; anyone else is refused on the cell, with nothing stored and nothing said of others.
TEST_F(Workflow, AnImportNamesAUserFieldsPersonAmongThoseHoldingItsDuty) {
    role(QStringLiteral("courier"), {QStringLiteral("fx.workflow.read"), QStringLiteral("fx.workflow.carry")});
    auto dave = user(QStringLiteral("dave"), QStringLiteral("courier"), east);
    auto erin = user(QStringLiteral("erin"), QStringLiteral("courier"), west);
    alice->setLanguage("zh-CN");
    auto import = [&](const QString& csv) {
        auto up = alice->request("POST", "/api/v1/files?name=handovers.csv", csv.toUtf8(), {{"Content-Type", "application/octet-stream"}});
        EXPECT_EQ(up.status, 201) << up.body.toStdString();
        auto started = alice->send("POST", "/api/v1/fx.workflow/handovers/import",
                                   QJsonObject{{QStringLiteral("file"), up.json().value(QStringLiteral("id")).toString()}});
        EXPECT_EQ(started.status, 202) << started.body.toStdString();
        return waitForJob(*alice, started.json().value(QStringLiteral("href")).toString().toUtf8())
            .value(QStringLiteral("result"))
            .toObject();
    };
    auto reasons = [](const QJsonObject& result) {
        QStringList out;
        for (const auto& e : result.value(QStringLiteral("errors")).toArray())
            out << QStringLiteral("%1:%2")
                       .arg(e.toObject().value(QStringLiteral("row")).toInt())
                       .arg(e.toObject().value(QStringLiteral("reason")).toString());
        return out;
    };
    // alice (a clerk) and a user of no such name: neither is a courier; erin is, but at west.
    const QJsonObject refused =
        import(QStringLiteral("事项,发出单位,接收单位,递送人\n"
                              "一,东区,西区,alice\n"
                              "二,东区,西区,nobody\n"
                              "三,东区,西区,erin\n"));
    EXPECT_FALSE(refused.value(QStringLiteral("committed")).toBool());
    EXPECT_EQ(reasons(refused), (QStringList{QStringLiteral("2:没有名为“alice”、担任“递送交接”的人员"),
                                             QStringLiteral("3:没有名为“nobody”、担任“递送交接”的人员"),
                                             QStringLiteral("4:不是在 东区 担任“递送交接”的人员，请从列表中选择")}))
        << QJsonDocument(refused).toJson().toStdString();
    EXPECT_EQ(admin->get("/api/v1/fx.workflow/handovers").json().value(QStringLiteral("total")).toInteger(), 0);
    const QJsonObject done = import(QStringLiteral("事项,发出单位,接收单位,递送人\n一,东区,西区,dave\n"));
    ASSERT_TRUE(done.value(QStringLiteral("committed")).toBool()) << QJsonDocument(done).toJson().toStdString();
    EXPECT_EQ(dave->get("/api/v1/fx.workflow/handovers?courier=me").json().value(QStringLiteral("total")).toInteger(), 1);
    EXPECT_EQ(erin->get("/api/v1/fx.workflow/handovers?courier=me").json().value(QStringLiteral("total")).toInteger(), 0);
}
