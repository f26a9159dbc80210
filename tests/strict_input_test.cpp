// Input the host refuses rather than misreads, and session cookies marked for HTTPS, over real
// HTTP against the real host.

#include "host_fixture.hpp"

#include <QJsonArray>

#include <gtest/gtest.h>

using namespace tessera;
using namespace tessera::test;

TEST(StrictInput, JsonWithALoneSurrogateEscapeIsRefusedAndNothingIsStored) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    auto admin = host.client();
    for (const QByteArray& body : {QByteArray(R"({"name":"\ud800"})"), QByteArray(R"({"name":"a\udc00b"})"),
                                   QByteArray(R"({"name":"ok","contact":"\ud83d x"})"), QByteArray(R"({"\udfff":"key"})")}) {
        auto r = admin.request("POST", "/api/v1/biz.customers/customers", body, {{"Content-Type", "application/json"}});
        EXPECT_EQ(r.status, 400) << body.toStdString();
        EXPECT_TRUE(r.json().value(QStringLiteral("detail")).toString().contains(QStringLiteral("surrogate"))) << r.body.toStdString();
    }
    EXPECT_EQ(admin.get("/api/v1/biz.customers/customers").json().value(QStringLiteral("total")).toInt(), 0);
    // A proper pair (an emoji written as two escapes) is text.
    auto pair = admin.request("POST", "/api/v1/biz.customers/customers", R"({"name":"客户\ud83d\ude00"})", {{"Content-Type", "application/json"}});
    EXPECT_EQ(pair.status, 201) << pair.body.toStdString();
    EXPECT_EQ(pair.json().value(QStringLiteral("name")).toString(), QStringLiteral("客户😀"));
}

TEST(StrictInput, SessionCookiesAreSecureWhenTheDeploymentIsServedOverHttps) {
    TempDir dir;
    QString xml = RunningHost::deploymentXml({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    xml.replace(QStringLiteral("port=\"0\"/>"), QStringLiteral("port=\"0\" public-url=\"https://party.example.cn/\"/>"));
    RunningHost host(dir.write(QStringLiteral("deployment.xml"), xml.toUtf8()));
    (void)host.adminToken();
    const QJsonObject login{{QStringLiteral("username"), QStringLiteral("admin")}, {QStringLiteral("password"), QStringLiteral("correct horse battery")}};
    auto r = host.anonymousClient().send("POST", "/api/v1/auth/login", login);
    ASSERT_EQ(r.status, 200);
    EXPECT_TRUE(r.header("Set-Cookie").contains("; Secure;")) << r.header("Set-Cookie").toStdString();
    EXPECT_TRUE(r.header("Set-Cookie").contains("HttpOnly"));

    // Served over plain HTTP (no public-url): a Secure cookie would never come back.
    RunningHost plain({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    (void)plain.adminToken();
    auto p = plain.anonymousClient().send("POST", "/api/v1/auth/login", login);
    ASSERT_EQ(p.status, 200);
    EXPECT_FALSE(p.header("Set-Cookie").contains("Secure"));
}

TEST(StrictInput, ASessionWithoutACsrfTokenAcceptsNoUnsafeRequest) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    (void)host.adminToken();
    auto login = host.anonymousClient().send("POST", "/api/v1/auth/login",
                                             QJsonObject{{QStringLiteral("username"), QStringLiteral("admin")},
                                                         {QStringLiteral("password"), QStringLiteral("correct horse battery")}});
    ASSERT_EQ(login.status, 200);
    const QByteArray setCookie = login.header("Set-Cookie");
    const QByteArray cookie = setCookie.left(setCookie.indexOf(';'));
    // Data the host does not expect (an empty token) must not match an absent header.
    ASSERT_TRUE(host.app().store().execute(QStringLiteral("UPDATE core_sessions SET csrf_token = ''")));
    auto c = host.anonymousClient();
    EXPECT_EQ(c.get("/api/v1/biz.customers/customers").status, 401);  // no cookie: not logged in
    auto r = c.send("POST", "/api/v1/biz.customers/customers", QJsonObject{{QStringLiteral("name"), QStringLiteral("x")}}, {{"Cookie", cookie}});
    EXPECT_EQ(r.status, 403) << r.body.toStdString();
    auto empty = c.send("POST", "/api/v1/biz.customers/customers", QJsonObject{{QStringLiteral("name"), QStringLiteral("x")}},
                        {{"Cookie", cookie}, {"X-CSRF-Token", ""}});
    EXPECT_EQ(empty.status, 403);
    EXPECT_EQ(host.client().get("/api/v1/biz.customers/customers").json().value(QStringLiteral("total")).toInt(), 0);
}

TEST(StrictInput, UnitIdsAreWrittenAsIdsOrNotFound) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    auto admin = host.client();
    const qint64 root = host.app().units().ensureRoot(QStringLiteral("t"))->id;
    const QByteArray id = QByteArray::number(root);
    EXPECT_EQ(admin.get("/api/v1/units/" + id).status, 200);
    for (const QByteArray& odd : {"+" + id, "0" + id, id + ".0", "-" + id}) {
        EXPECT_EQ(admin.get("/api/v1/units/" + odd).status, 404) << odd.toStdString();
        EXPECT_EQ(admin.get("/api/v1/units?parent=" + odd).status, 422) << odd.toStdString();
    }
}
