// The shell's own endpoints: modules per user, reminders for the user's own unit only, and
// module tile pictures.

#include "host_fixture.hpp"

#include <QJsonArray>

#include <gtest/gtest.h>

using namespace tessera::test;

namespace {
QStringList moduleIds(const HttpReply& r) {
    QStringList ids;
    for (const auto& m : r.json().value(QStringLiteral("modules")).toArray()) ids << m.toObject().value(QStringLiteral("id")).toString();
    return ids;
}
}  // namespace

TEST(Shell, ListsTheModulesTheUserMayUseWithNamesAndMenus) {
    RunningHost host({builtPluginDir(), fixturePluginDir()}, {{QStringLiteral("biz.customers"), {}}, {QStringLiteral("fx.base"), {}}});
    auto admin = host.client().get("/api/v1/shell");
    ASSERT_EQ(admin.status, 200) << admin.body.toStdString();
    // fx.base declares no permission: no one "uses" it as a module.
    EXPECT_EQ(moduleIds(admin), QStringList{QStringLiteral("biz.customers")});
    const QJsonObject customers = admin.json().value(QStringLiteral("modules")).toArray()[0].toObject();
    EXPECT_EQ(customers.value(QStringLiteral("name")).toObject().value(QStringLiteral("zh-CN")).toString(), QStringLiteral("客户档案"));
    EXPECT_EQ(customers.value(QStringLiteral("menu")).toArray()[0].toObject().value(QStringLiteral("path")).toString(),
              QStringLiteral("/m/biz.customers/customers"));
    EXPECT_TRUE(admin.json().value(QStringLiteral("admin")).toObject().value(QStringLiteral("users")).toBool());

    const qint64 root = host.app().units().ensureRoot(QStringLiteral("t"))->id;
    HttpClient nobody = host.anonymousClient();
    nobody.setDefaultHeader("Authorization", "Bearer " + host.userToken(QStringLiteral("nobody"), {}, {}, root));
    auto none = nobody.get("/api/v1/shell");
    ASSERT_EQ(none.status, 200);
    EXPECT_TRUE(moduleIds(none).isEmpty());
    EXPECT_FALSE(none.json().value(QStringLiteral("admin")).toObject().value(QStringLiteral("users")).toBool());
}

TEST(Shell, RemindersCoverTheUsersOwnUnitOnly) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    auto admin = host.client();
    auto& units = host.app().units();
    const qint64 root = units.ensureRoot(QStringLiteral("t"))->id;
    const qint64 branch = units.create(root, QStringLiteral("支部"))->id;
    // Two customers without a phone in the branch, one in the root.
    for (qint64 unit : {branch, branch, root})
        ASSERT_EQ(admin.send("POST", "/api/v1/biz.customers/customers", QJsonObject{{QStringLiteral("name"), QStringLiteral("无电话")}, {QStringLiteral("unitId"), unit}}).status, 201);
    HttpClient officer = host.anonymousClient();
    officer.setDefaultHeader("Authorization", "Bearer " + host.userToken(QStringLiteral("officer"), tessera::host::kAdministratorRole, QStringLiteral("subtree"), root));
    auto r = officer.request("GET", "/api/v1/reminders?date=2026-11-25", {}, {{"Accept-Language", "zh-CN"}});
    ASSERT_EQ(r.status, 200) << r.body.toStdString();
    const QJsonArray items = r.json().value(QStringLiteral("items")).toArray();
    ASSERT_EQ(items.size(), 1);
    EXPECT_EQ(officer.get("/api/v1/reminders?date=2026-11-25").json().value(QStringLiteral("items")).toArray().at(0).toObject()
                  .value(QStringLiteral("text")).toString(),
              QStringLiteral("1 customers have no phone number")) << "in English to a reader who prefers it";
    // The root's own customer only, although the officer's scope covers the branch too.
    EXPECT_TRUE(items[0].toObject().value(QStringLiteral("text")).toString().startsWith(QStringLiteral("1 个客户")))
        << items[0].toObject().value(QStringLiteral("text")).toString().toStdString();
    EXPECT_EQ(items[0].toObject().value(QStringLiteral("plugin")).toString(), QStringLiteral("biz.customers"));
    EXPECT_EQ(officer.get("/api/v1/reminders?date=soon").status, 422);
}

TEST(Shell, RemindersFollowThePluginSetting) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), QStringLiteral("<setting name=\"remind-missing-phone\" value=\"false\"/>")}});
    auto admin = host.client();
    ASSERT_EQ(admin.send("POST", "/api/v1/biz.customers/customers", QJsonObject{{QStringLiteral("name"), QStringLiteral("无电话")}}).status, 201);
    EXPECT_TRUE(admin.get("/api/v1/reminders").json().value(QStringLiteral("items")).toArray().isEmpty());
}

TEST(Shell, AnAdministratorReplacesAndResetsATilePicture) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    auto admin = host.client();
    const QByteArray png = QByteArray::fromBase64(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
    const QByteArray path = "/api/v1/shell/tiles/biz.customers/image";
    EXPECT_EQ(admin.get(path).status, 404);
    EXPECT_EQ(admin.send("PUT", path, QJsonObject{{QStringLiteral("contentType"), QStringLiteral("image/png")},
                                                 {QStringLiteral("data"), QString::fromLatin1(png.toBase64())}}).status, 204);
    auto got = admin.get(path);
    EXPECT_EQ(got.status, 200);
    EXPECT_EQ(got.header("Content-Type"), "image/png");
    EXPECT_EQ(got.body, png);
    EXPECT_FALSE(admin.get("/api/v1/shell").json().value(QStringLiteral("modules")).toArray()[0].toObject().value(QStringLiteral("tileImage")).isNull());
    EXPECT_EQ(admin.request("DELETE", path).status, 204);
    EXPECT_EQ(admin.get(path).status, 404);
}

TEST(Shell, RefusesTilePicturesThatAreNotImagesOrTooLarge) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}}, QStringLiteral("<limits max-body-bytes=\"2000000\"/>"));
    auto admin = host.client();
    const QByteArray path = "/api/v1/shell/tiles/biz.customers/image";
    const QByteArray svg = "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>";
    EXPECT_EQ(admin.send("PUT", path, QJsonObject{{QStringLiteral("data"), QString::fromLatin1(svg.toBase64())}}).status, 422);
    EXPECT_EQ(admin.send("PUT", path, QJsonObject{{QStringLiteral("data"), QStringLiteral("not base64 !!")}}).status, 422);
    QByteArray huge = "\x89PNG\r\n\x1a\n";
    huge.append(QByteArray(600 * 1024, 'x'));
    auto big = admin.send("PUT", path, QJsonObject{{QStringLiteral("data"), QString::fromLatin1(huge.toBase64())}});
    EXPECT_EQ(big.status, 422);
    EXPECT_TRUE(big.body.contains("at most 512 KiB"));
    EXPECT_EQ(admin.send("PUT", "/api/v1/shell/tiles/no.such/image", QJsonObject{{QStringLiteral("data"), QStringLiteral("AAAA")}}).status, 404);
    EXPECT_EQ(admin.get(path).status, 404);  // nothing stored
}

TEST(Shell, ModulesCarryTheirDeclaredViews) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    auto shell = host.client().get("/api/v1/shell").json();
    const QJsonObject views = shell.value(QStringLiteral("modules")).toArray()[0].toObject().value(QStringLiteral("views")).toObject();
    const QJsonObject list = views.value(QStringLiteral("lists")).toArray()[0].toObject();
    EXPECT_EQ(list.value(QStringLiteral("resource")).toString(), QStringLiteral("customers"));
    EXPECT_EQ(list.value(QStringLiteral("card")).toString(), QStringLiteral("customer"));
    const QJsonObject card = views.value(QStringLiteral("cards")).toArray()[0].toObject();
    const QJsonObject name = card.value(QStringLiteral("sections")).toArray()[0].toObject().value(QStringLiteral("fields")).toArray()[0].toObject();
    EXPECT_EQ(name.value(QStringLiteral("name")).toString(), QStringLiteral("name"));
    EXPECT_EQ(name.value(QStringLiteral("required")).toString(), QStringLiteral("system"));
    EXPECT_EQ(name.value(QStringLiteral("label")).toObject().value(QStringLiteral("zh-CN")).toString(), QStringLiteral("客户名称"));
}
