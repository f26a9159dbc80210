// The host answers every person in their language: its own refusals (every route, the server's
// answers before any route, the identity store's, the unit tree's ...) reach a Chinese reader
// in Chinese with no English sentence left in them, and an English reader who asks in English.
// A user's own language setting wins over what their browser asks for.

#include "host_fixture.hpp"

#include "runtime/messages.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <gtest/gtest.h>

using namespace tessera::test;

namespace {

const QString kPassword = QStringLiteral("correct horse battery");

QString said(const HttpReply& r) { return messagesOf(r).join(u'\n'); }

QByteArray json(const QJsonObject& o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

// The first field error of a 422 (field and message).
QPair<QString, QString> fieldError(const HttpReply& r) {
    const QJsonObject e = r.json().value(QStringLiteral("errors")).toArray().at(0).toObject();
    return {e.value(QStringLiteral("field")).toString(), e.value(QStringLiteral("message")).toString()};
}

// One request, as one of the callers below sends it.
struct Refusal {
    QByteArray who;  // "anonymous", "admin", "clerk" (no user management), "manager" (of a branch), "stranger" (a bogus token)
    QByteArray method, target, body;
    QList<QPair<QByteArray, QByteArray>> headers;
};

class HostLanguages : public ::testing::Test {
protected:
    // Small limits, so that too large a body or upload is cheap to send.
    RunningHost host{{builtPluginDir()}, {}, QStringLiteral("<limits max-body-bytes=\"4096\" max-upload-bytes=\"1000\"/>")};
    QByteArray adminToken = host.adminToken();
    qint64 root = host.app().units().ensureRoot(QStringLiteral("test")).value().id;
    qint64 branch = host.app().units().create(root, QStringLiteral("一支部")).value().id;
    qint64 group = host.app().units().create(branch, QStringLiteral("一组")).value().id;
    // A clerk who may only read units; a manager of users of the branch and below; a user of
    // the branch who holds a role on every unit (beyond the manager's reach).
    qint64 readerRole = host.app().accounts().createRole(QStringLiteral("reader"), QStringLiteral("查看组织机构"),
                                                         {QStringLiteral("core.units.read")}).value();
    QByteArray clerkToken = host.userToken(QStringLiteral("clerk"), QStringLiteral("reader"), QStringLiteral("subtree"), branch);
    QByteArray managerToken = host.userToken(QStringLiteral("manager"), QStringLiteral("admin"), QStringLiteral("subtree"), branch);
    QByteArray wideToken = host.userToken(QStringLiteral("wide"), QStringLiteral("admin"), QStringLiteral("all"), branch);

    HttpClient as(const QByteArray& who, const QByteArray& language) {
        HttpClient c(host.port());
        c.setLanguage(language);
        const QByteArray token = who == "admin"     ? adminToken
                                 : who == "clerk"   ? clerkToken
                                 : who == "manager" ? managerToken
                                 : who == "stranger" ? QByteArray("tsr_not-a-token")
                                                    : QByteArray();
        if (!token.isEmpty()) c.setDefaultHeader("Authorization", "Bearer " + token);
        return c;
    }

    qint64 userId(const QString& name) {
        return host.app().accounts().userByName(name).value().id;
    }

    HttpReply send(const Refusal& r, const QByteArray& language) {
        auto headers = r.headers;
        if (!r.body.isEmpty() && std::none_of(headers.begin(), headers.end(), [](const auto& h) { return h.first == "Content-Type"; }))
            headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
        return as(r.who, language).request(r.method, r.target, r.body, headers);
    }
};

}  // namespace

TEST_F(HostLanguages, EveryRefusalOfTheHostsOwnRoutesReachesAChineseReaderInChinese) {
    const QByteArray rootId = QByteArray::number(root), branchId = QByteArray::number(branch);
    const QByteArray wideId = QByteArray::number(userId(QStringLiteral("wide")));
    // Five failed logins lock an account: the sixth is refused for that.
    for (int i = 0; i < 5; ++i)
        as("anonymous", "en").send("POST", "/api/v1/auth/login", QJsonObject{{QStringLiteral("username"), QStringLiteral("locked")},
                                                                              {QStringLiteral("password"), QStringLiteral("wrong one")}});
    const Refusal refused[] = {
        // Who is calling.
        {"anonymous", "POST", "/api/v1/auth/login", json({{"username", "admin"}, {"password", "not the password"}}), {}},
        {"anonymous", "POST", "/api/v1/auth/login", json({{"username", "locked"}, {"password", "not the password"}}), {}},
        {"anonymous", "POST", "/api/v1/auth/login", json({}), {}},
        {"anonymous", "GET", "/api/v1/units", {}, {}},
        {"stranger", "GET", "/api/v1/units", {}, {}},
        {"clerk", "GET", "/api/v1/users", {}, {}},
        {"clerk", "GET", "/api/v1/jobs?all=1", {}, {}},
        {"clerk", "POST", "/api/v1/auth/tokens", json({{"name", ""}, {"expiresAt", "tomorrow"}, {"scope", "all"}}), {}},
        {"clerk", "DELETE", "/api/v1/auth/tokens/999", {}, {}},
        {"clerk", "PATCH", "/api/v1/auth/me", json({{"language", "fr"}, {"displayName", "x"}}), {}},
        // Users, roles, assignments.
        {"admin", "GET", "/api/v1/users/999", {}, {}},
        {"admin", "POST", "/api/v1/users", json({{"username", "Bad-Name!"}, {"password", "12345678"}, {"unitId", root}}), {}},
        {"admin", "POST", "/api/v1/users", json({{"username", "li"}, {"password", "short"}, {"unitId", root}}), {}},
        {"admin", "POST", "/api/v1/users", json({{"unitId", root}, {"language", "fr"}}), {}},
        {"admin", "POST", "/api/v1/users", json({{"username", "admin"}, {"password", "long enough"}, {"unitId", root}}), {}},
        {"admin", "PUT", "/api/v1/users/" + wideId, json({{"disabled", "yes"}}), {}},
        {"admin", "PUT", "/api/v1/users/" + wideId, json({{"version", 1}, {"unitId", branch}, {"language", "EN"}}), {}},
        {"admin", "PUT", "/api/v1/users/" + wideId, json({{"version", 99}, {"unitId", branch}}), {}},
        {"admin", "POST", "/api/v1/users/" + wideId + "/password", json({{"password", "        "}}), {}},
        {"admin", "POST", "/api/v1/users/" + wideId + "/assignments", json({{"role", "nosuch"}, {"scope", "everywhere"}}), {}},
        {"admin", "POST", "/api/v1/users/" + wideId + "/assignments", json({{"role", "admin"}, {"scope", "all"}}), {}},
        {"admin", "DELETE", "/api/v1/users/" + wideId + "/assignments/999", {}, {}},
        {"admin", "POST", "/api/v1/roles", json({{"name", "Bad-Name"}, {"permissions", QJsonArray{"no.such"}}}), {}},
        {"admin", "POST", "/api/v1/roles", json({{"name", "x"}, {"permissions", "all"}}), {}},
        {"admin", "POST", "/api/v1/roles", json({{"name", "admin"}, {"permissions", QJsonArray{}}}), {}},
        {"admin", "DELETE", "/api/v1/roles/999", {}, {}},
        {"manager", "PUT", "/api/v1/users/" + wideId, json({{"version", 1}, {"unitId", branch}}), {}},
        {"manager", "POST", "/api/v1/roles", json({{"name", "clerk2"}, {"permissions", QJsonArray{}}}), {}},
        {"manager", "POST", "/api/v1/users", json({{"username", "zhao"}, {"password", "long enough"}, {"unitId", root}}), {}},
        // Units.
        {"admin", "GET", "/api/v1/units/abc", {}, {}},
        {"admin", "GET", "/api/v1/units?parent=abc", {}, {}},
        {"admin", "GET", "/api/v1/units/search", {}, {}},
        {"admin", "GET", "/api/v1/units/search?q=x&limit=0", {}, {}},
        {"admin", "POST", "/api/v1/units", json({{"name", ""}, {"parentId", "x"}, {"colour", "red"}}), {}},
        {"admin", "POST", "/api/v1/units", json({{"name", QString(101, u'x')}, {"code", 7}, {"parentId", 999999}}), {}},
        {"admin", "PUT", "/api/v1/units/" + rootId, json({{"name", "x"}, {"parentId", branch}}), {}},
        {"admin", "PUT", "/api/v1/units/" + rootId, json({{"name", "x"}}), {}},
        {"admin", "PUT", "/api/v1/units/" + branchId, json({{"name", "x"}}), {{"If-Match", "\"99\""}}},
        {"admin", "PUT", "/api/v1/units/" + branchId, json({{"name", "x"}, {"version", 99}}), {}},
        {"admin", "POST", "/api/v1/units/" + rootId + "/move", json({{"parentId", branch}, {"version", 1}}), {}},
        {"admin", "POST", "/api/v1/units/" + branchId + "/move", json({{"parentId", group}, {"version", 1}}), {}},
        {"admin", "DELETE", "/api/v1/units/" + rootId, {}, {}},
        {"admin", "DELETE", "/api/v1/units/" + branchId, {}, {}},
        {"clerk", "POST", "/api/v1/units", json({{"name", "x"}, {"parentId", branch}}), {}},
        // Audit, jobs, uploads.
        {"admin", "GET", "/api/v1/audit?from=yesterday&page=0&plugin=Bad!&to=2020-01-01&user=" + QByteArray(101, 'x'), {}, {}},
        {"admin", "GET", "/api/v1/jobs?all=2", {}, {}},
        {"admin", "GET", "/api/v1/jobs/nope", {}, {}},
        {"admin", "POST", "/api/v1/jobs/nope/cancel", {}, {}},
        {"admin", "GET", "/api/v1/jobs/nope/output", {}, {}},
        {"admin", "GET", "/api/v1/files/nope", {}, {}},
        {"admin", "POST", "/api/v1/files?name=a.csv", QByteArray(1001, 'x'), {{"Content-Type", "text/csv"}}},
        {"admin", "POST", "/api/v1/files?name=..%2Fa.csv", QByteArray(10, 'x'), {{"Content-Type", "text/csv"}}},
        {"admin", "POST", "/api/v1/files?name=a.csv", {}, {}},
        // Plugins, the shell.
        {"admin", "GET", "/api/v1/plugins/nope", {}, {}},
        {"admin", "PUT", "/api/v1/plugins/nope/features/x", json({{"enabled", true}}), {}},
        {"admin", "GET", "/api/v1/reminders?date=yesterday", {}, {}},
        {"admin", "GET", "/api/v1/cards/nope/card/1/sections", {}, {}},
        {"admin", "GET", "/api/v1/shell/tiles/nope/image", {}, {}},
        {"admin", "PUT", "/api/v1/shell/tiles/nope/image", json({{"data", "x"}}), {}},
        // The server, before any route.
        {"admin", "GET", "/api/v1/nowhere", {}, {}},
        {"admin", "DELETE", "/api/v1/health", {}, {}},
        {"admin", "POST", "/api/v1/units", "{\"name\": \"x\"", {}},
        {"admin", "POST", "/api/v1/units", "[1, 2", {}},
        {"admin", "POST", "/api/v1/units", "\"\\ud800\"", {}},
        {"admin", "POST", "/api/v1/units", "1 2", {}},
        {"admin", "POST", "/api/v1/units", QByteArray(5000, ' '), {}},
        {"admin", "POST", "/api/v1/units", "name=x", {{"Content-Type", "application/x-www-form-urlencoded"}}},
        {"anonymous", "GET", "/assets/no-such-file.js", {}, {}},
    };
    // The session's own refusal: a browser's unsafe request without its CSRF token.
    auto login = as("anonymous", {}).send("POST", "/api/v1/auth/login", QJsonObject{{QStringLiteral("username"), QStringLiteral("clerk")},
                                                                                      {QStringLiteral("password"), kPassword}});
    ASSERT_EQ(login.status, 200) << login.body.toStdString();
    const QByteArray cookie = login.header("Set-Cookie").left(login.header("Set-Cookie").indexOf(';'));

    for (const auto& r : refused) {
        for (const QByteArray& language : {QByteArray(), QByteArray("zh-CN"), QByteArray("zh-CN,zh;q=0.9,en;q=0.8"), QByteArray("fr, de")}) {
            auto reply = send(r, language);
            ASSERT_GE(reply.status, 400) << r.method.toStdString() << ' ' << r.target.toStdString() << ": " << reply.body.toStdString();
            for (const QString& m : messagesOf(reply))
                EXPECT_FALSE(hasEnglishSentence(m)) << r.who.toStdString() << ' ' << r.method.toStdString() << ' ' << r.target.toStdString()
                                                    << " [" << language.toStdString() << "]: " << m.toStdString();
            EXPECT_FALSE(reply.body.contains("\\u001e")) << "a text left unsaid: " << reply.body.toStdString();
        }
        auto english = send(r, "en");
        EXPECT_TRUE(hasEnglishSentence(said(english))) << r.method.toStdString() << ' ' << r.target.toStdString() << ": " << english.body.toStdString();
    }
    for (const QByteArray& language : {QByteArray(), QByteArray("zh-CN")}) {
        auto noCsrf = as("anonymous", language).send("POST", "/api/v1/units", QJsonObject{{QStringLiteral("name"), QStringLiteral("x")}},
                                                      {{"Cookie", cookie}});
        ASSERT_EQ(noCsrf.status, 403);
        EXPECT_FALSE(hasEnglishSentence(said(noCsrf))) << said(noCsrf).toStdString();
    }
    // The words, in Chinese.
    const Refusal wrongPassword{"anonymous", "POST", "/api/v1/auth/login", json({{"username", "nobody"}, {"password", "not the password"}}), {}};
    EXPECT_EQ(said(send(wrongPassword, {})), QStringLiteral("未登录\n用户名或密码错误"));
    EXPECT_EQ(said(send({"admin", "GET", "/api/v1/nowhere", {}, {}}, {})), QStringLiteral("不存在\n没有 GET /api/v1/nowhere 这个接口"));
    // The unit by the path the caller knows it by (here below the root: its name), not by its id.
    EXPECT_TRUE(said(send({"admin", "DELETE", "/api/v1/units/" + branchId, {}, {}}, {})).contains(QStringLiteral("单位“一支部”还有 1 个下级单位（一组）")));
    EXPECT_TRUE(said(send({"manager", "PUT", "/api/v1/users/" + wideId, json({{"version", 1}, {"unitId", branch}}), {}}, {}))
                    .contains(QStringLiteral("用户“wide”在全部单位上拥有角色“admin”")));
    EXPECT_TRUE(tessera::host::messages().missing().isEmpty())
        << "templates without a Chinese translation: " << tessera::host::messages().missing().join(QStringLiteral(" | ")).toStdString();
}

TEST_F(HostLanguages, EnglishOnRequestAndChineseByDefault) {
    const Refusal noUser{"admin", "GET", "/api/v1/users/999", {}, {}};
    EXPECT_EQ(said(send(noUser, "en")), QStringLiteral("Not Found\nno user 999"));
    EXPECT_EQ(said(send(noUser, "en-GB,en;q=0.9,zh-CN;q=0.8")), QStringLiteral("Not Found\nno user 999"));
    EXPECT_EQ(said(send(noUser, {})), QStringLiteral("不存在\n没有用户 999"));
    EXPECT_EQ(said(send(noUser, "zh-CN,zh;q=0.9,en;q=0.8")), QStringLiteral("不存在\n没有用户 999"));
}

TEST_F(HostLanguages, AUsersOwnLanguageWinsOverWhatTheirBrowserAsksFor) {
    const Refusal noUnit{"clerk", "GET", "/api/v1/units/abc", {}, {}};
    ASSERT_EQ(said(send(noUnit, "en")), QStringLiteral("Not Found\nunit abc does not exist"));

    // The clerk sets English for themselves: a browser asking for Chinese gets English now.
    auto set = as("clerk", "zh-CN").send("PATCH", "/api/v1/auth/me", QJsonObject{{QStringLiteral("language"), QStringLiteral("en")}});
    ASSERT_EQ(set.status, 200) << set.body.toStdString();
    EXPECT_EQ(set.json().value(QStringLiteral("user")).toObject().value(QStringLiteral("language")).toString(), QStringLiteral("en"));
    EXPECT_EQ(said(send(noUnit, "zh-CN")), QStringLiteral("Not Found\nunit abc does not exist"));
    EXPECT_EQ(said(send(noUnit, {})), QStringLiteral("Not Found\nunit abc does not exist"));
    EXPECT_EQ(as("clerk", {}).get("/api/v1/auth/me").json().value(QStringLiteral("user")).toObject().value(QStringLiteral("language")).toString(),
              QStringLiteral("en"));
    EXPECT_EQ(as("clerk", {}).get("/api/v1/shell").json().value(QStringLiteral("user")).toObject().value(QStringLiteral("language")).toString(),
              QStringLiteral("en"));

    // Chinese, whatever the browser asks for.
    ASSERT_EQ(as("clerk", "en").send("PATCH", "/api/v1/auth/me", QJsonObject{{QStringLiteral("language"), QStringLiteral("zh-CN")}}).status, 200);
    EXPECT_EQ(said(send(noUnit, "en")), QStringLiteral("不存在\n单位 abc 不存在"));

    // Empty: the browser's again.
    ASSERT_EQ(as("clerk", "en").send("PATCH", "/api/v1/auth/me", QJsonObject{{QStringLiteral("language"), QString()}}).status, 200);
    EXPECT_EQ(said(send(noUnit, "en")), QStringLiteral("Not Found\nunit abc does not exist"));
    EXPECT_EQ(said(send(noUnit, {})), QStringLiteral("不存在\n单位 abc 不存在"));
    EXPECT_EQ(as("clerk", {}).get("/api/v1/auth/me").json().value(QStringLiteral("user")).toObject().value(QStringLiteral("language")).toString(),
              QString());
}

TEST_F(HostLanguages, ABrowsersSessionSpeaksTheUsersLanguageFromLoginOn) {
    ASSERT_EQ(as("clerk", {}).send("PATCH", "/api/v1/auth/me", QJsonObject{{QStringLiteral("language"), QStringLiteral("en")}}).status, 200);
    auto login = as("anonymous", "zh-CN").send("POST", "/api/v1/auth/login", QJsonObject{{QStringLiteral("username"), QStringLiteral("clerk")},
                                                                                          {QStringLiteral("password"), kPassword}});
    ASSERT_EQ(login.status, 200) << login.body.toStdString();
    EXPECT_EQ(login.json().value(QStringLiteral("user")).toObject().value(QStringLiteral("language")).toString(), QStringLiteral("en"))
        << "the shell switches to it at once";
    const QByteArray cookie = login.header("Set-Cookie").left(login.header("Set-Cookie").indexOf(';'));
    // Refused before the route runs (no CSRF token), and by the route: both in English.
    auto noCsrf = as("anonymous", "zh-CN").send("POST", "/api/v1/units", QJsonObject{{QStringLiteral("name"), QStringLiteral("x")}}, {{"Cookie", cookie}});
    EXPECT_EQ(said(noCsrf), QStringLiteral("Forbidden\nmissing or wrong X-CSRF-Token header: send the csrfToken you got at login"));
    auto notThere = as("anonymous", "zh-CN").request("GET", "/api/v1/units/abc", {}, {{"Cookie", cookie}});
    EXPECT_EQ(said(notThere), QStringLiteral("Not Found\nunit abc does not exist"));
}

TEST_F(HostLanguages, ALanguageSettingOtherThanZhCnEnOrEmptyIsRefusedOnItsField) {
    for (const QJsonValue& bad : {QJsonValue(QStringLiteral("fr")), QJsonValue(QStringLiteral("EN")), QJsonValue(QStringLiteral("zh")), QJsonValue(42)}) {
        auto mine = as("clerk", "en").send("PATCH", "/api/v1/auth/me", QJsonObject{{QStringLiteral("language"), bad}});
        ASSERT_EQ(mine.status, 422) << mine.body.toStdString();
        EXPECT_EQ(fieldError(mine).first, QStringLiteral("language"));
        EXPECT_TRUE(fieldError(mine).second.startsWith(QStringLiteral("must be zh-CN, en or empty (follow the browser)"))) << mine.body.toStdString();
    }
    auto fr = as("clerk", "en").send("PATCH", "/api/v1/auth/me", QJsonObject{{QStringLiteral("language"), QStringLiteral("fr")}});
    EXPECT_EQ(fieldError(fr).second, QStringLiteral("must be zh-CN, en or empty (follow the browser), not 'fr'"));
    EXPECT_EQ(fieldError(as("clerk", {}).send("PATCH", "/api/v1/auth/me", QJsonObject{{QStringLiteral("language"), QStringLiteral("fr")}})).second,
              QStringLiteral("应为 zh-CN、en 或空（跟随浏览器），而不是“fr”"));
    auto other = as("clerk", "en").send("PATCH", "/api/v1/auth/me", QJsonObject{{QStringLiteral("displayName"), QStringLiteral("x")}});
    EXPECT_EQ(other.status, 422);
    EXPECT_EQ(fieldError(other), qMakePair(QStringLiteral("displayName"), QStringLiteral("cannot be changed here")));

    auto created = as("admin", "en").send("POST", "/api/v1/users",
                                          QJsonObject{{QStringLiteral("username"), QStringLiteral("li")}, {QStringLiteral("password"), kPassword},
                                                      {QStringLiteral("unitId"), root}, {QStringLiteral("language"), QStringLiteral("de")}});
    ASSERT_EQ(created.status, 422) << created.body.toStdString();
    EXPECT_EQ(fieldError(created).first, QStringLiteral("language"));
    const QByteArray clerk = "/api/v1/users/" + QByteArray::number(userId(QStringLiteral("clerk")));
    auto put = as("admin", "en").send("PUT", clerk, QJsonObject{{QStringLiteral("version"), 1}, {QStringLiteral("unitId"), branch},
                                                                  {QStringLiteral("language"), true}});
    ASSERT_EQ(put.status, 422) << put.body.toStdString();
    EXPECT_EQ(fieldError(put).first, QStringLiteral("language"));
    EXPECT_EQ(as("admin", "en").get(clerk).json().value(QStringLiteral("language")).toString(), QString()) << "nothing was changed";
}

TEST_F(HostLanguages, AnAdministratorSetsOthersLanguagesWithinTheirRights) {
    // A new user with English from the start; a user's answer shows the setting.
    auto created = as("manager", "en").send("POST", "/api/v1/users",
                                            QJsonObject{{QStringLiteral("username"), QStringLiteral("li")}, {QStringLiteral("password"), kPassword},
                                                        {QStringLiteral("unitId"), group}, {QStringLiteral("language"), QStringLiteral("en")}});
    ASSERT_EQ(created.status, 201) << created.body.toStdString();
    EXPECT_EQ(created.json().value(QStringLiteral("language")).toString(), QStringLiteral("en"));
    const QByteArray li = "/api/v1/users/" + QByteArray::number(created.json().value(QStringLiteral("id")).toInteger());

    // The manager of the branch changes it for a user of theirs; a PUT without it keeps it.
    auto put = as("manager", "en").send("PUT", li, QJsonObject{{QStringLiteral("version"), 1}, {QStringLiteral("displayName"), QStringLiteral("李")},
                                                               {QStringLiteral("unitId"), group}, {QStringLiteral("language"), QStringLiteral("zh-CN")}});
    ASSERT_EQ(put.status, 200) << put.body.toStdString();
    EXPECT_EQ(put.json().value(QStringLiteral("language")).toString(), QStringLiteral("zh-CN"));
    const qint64 version = put.json().value(QStringLiteral("version")).toInteger();
    auto kept = as("manager", "en").send("PUT", li, QJsonObject{{QStringLiteral("version"), version}, {QStringLiteral("displayName"), QStringLiteral("李四")},
                                                                {QStringLiteral("unitId"), group}});
    ASSERT_EQ(kept.status, 200) << kept.body.toStdString();
    EXPECT_EQ(kept.json().value(QStringLiteral("language")).toString(), QStringLiteral("zh-CN"));
    EXPECT_EQ(as("admin", "en").get(li).json().value(QStringLiteral("language")).toString(), QStringLiteral("zh-CN"));

    // Not for a user who holds more than the manager (403 with the reason), nor one outside
    // their units (404, as if there were none).
    const QByteArray wide = "/api/v1/users/" + QByteArray::number(userId(QStringLiteral("wide")));
    auto beyond = as("manager", "en").send("PUT", wide, QJsonObject{{QStringLiteral("version"), 1}, {QStringLiteral("unitId"), branch},
                                                                    {QStringLiteral("language"), QStringLiteral("en")}});
    EXPECT_EQ(beyond.status, 403) << beyond.body.toStdString();
    const QByteArray admin = "/api/v1/users/" + QByteArray::number(userId(QStringLiteral("admin")));
    auto outside = as("manager", "en").send("PUT", admin, QJsonObject{{QStringLiteral("version"), 1}, {QStringLiteral("unitId"), root},
                                                                      {QStringLiteral("language"), QStringLiteral("en")}});
    EXPECT_EQ(outside.status, 404) << outside.body.toStdString();
    EXPECT_EQ(as("admin", "en").get(wide).json().value(QStringLiteral("language")).toString(), QString());
    EXPECT_EQ(as("admin", "en").get(admin).json().value(QStringLiteral("language")).toString(), QString());
}
