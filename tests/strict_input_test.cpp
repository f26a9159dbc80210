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
