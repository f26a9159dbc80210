// A full disk through a real host: uploads are answered 507 and leave nothing, an export whose
// file the disk refuses fails, and both say so in the user's language without a server path.
// The disk is "full" only under the folder a FullDisk names (see full_disk.hpp).

#include "full_disk.hpp"
#include "host_fixture.hpp"

#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

#include <ostream>

using namespace tessera::test;

// Readable failure messages for QString (gtest finds this by argument-dependent lookup).
QT_BEGIN_NAMESPACE
inline void PrintTo(const QString& s, std::ostream* os) { *os << '"' << s.toStdString() << '"'; }
QT_END_NAMESPACE

namespace {

const QString kZh = QStringLiteral("服务器磁盘已满，请联系管理员");
const QString kEn = QStringLiteral("The server's disk is full; please contact the administrator.");

QByteArray someBytes(int n) {
    QByteArray b;
    for (int i = 0; i < n; ++i) b += char((i * 7 + 3) & 0xff);
    return b;
}

QStringList filesIn(const QString& dir) { return QDir(dir).entryList(QDir::Files | QDir::System | QDir::Hidden); }

}  // namespace

TEST(DiskFull, AnUploadOnAFullDiskIsAnswered507InTheUsersLanguageAndLeavesNothing) {
    RunningHost host({fixturePluginDir()}, {});
    auto admin = host.client();
    admin.setDefaultHeader("Accept-Language", "");  // no preference: the server's own language, zh-CN
    const QString uploads = host.databasePath() + QStringLiteral(".uploads");
    const QString serverFolder = QFileInfo(host.databasePath()).absolutePath();
    const int refusedBefore = FullDisk::refused();
    {
        FullDisk full(uploads + QStringLiteral("/incoming"));
        auto zh = admin.request("POST", "/api/v1/files?name=a.csv", someBytes(300000));
        ASSERT_EQ(zh.status, 507) << zh.body.toStdString();
        EXPECT_TRUE(zh.header("Content-Type").startsWith("application/problem+json")) << zh.header("Content-Type").toStdString();
        EXPECT_EQ(zh.json().value(QStringLiteral("detail")).toString(), kZh);
        EXPECT_EQ(zh.json().value(QStringLiteral("code")).toString(), QStringLiteral("disk.full"));
        EXPECT_FALSE(zh.body.contains(serverFolder.toUtf8())) << zh.body.toStdString();

        auto en = admin.request("POST", "/api/v1/files?name=a.csv", someBytes(1000),
                                {{"Accept-Language", "en-GB,en;q=0.9,zh-CN;q=0.8"}});
        ASSERT_EQ(en.status, 507) << en.body.toStdString();
        EXPECT_EQ(en.json().value(QStringLiteral("detail")).toString(), kEn);

        auto zhFirst = admin.request("POST", "/api/v1/files?name=a.csv", someBytes(1000), {{"Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8"}});
        EXPECT_EQ(zhFirst.json().value(QStringLiteral("detail")).toString(), kZh);
    }
    EXPECT_GT(FullDisk::refused(), refusedBefore) << "the uploads met the full disk";
    EXPECT_TRUE(filesIn(uploads + QStringLiteral("/incoming")).isEmpty()) << filesIn(uploads + QStringLiteral("/incoming")).join(u' ').toStdString();
    EXPECT_TRUE(filesIn(uploads).isEmpty());

    // A quota that is used up is a full disk too; and once there is room, uploads work again.
    {
        FullDisk quota(uploads + QStringLiteral("/incoming"), EDQUOT);
        EXPECT_EQ(admin.request("POST", "/api/v1/files?name=a.csv", someBytes(1000)).status, 507);
    }
    auto fine = admin.request("POST", "/api/v1/files?name=a.csv", someBytes(1000));
    EXPECT_EQ(fine.status, 201) << fine.body.toStdString();
}

TEST(DiskFull, ASmallExportOnAFullDiskFailsSayingTheDiskIsFullInTheUsersLanguage) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    auto admin = host.client();
    admin.setDefaultHeader("Accept-Language", "");  // no preference: the server's own language, zh-CN
    const qint64 root = host.app().units().ensureRoot(QStringLiteral("t"))->id;
    for (const char* name : {"甲客户", "乙客户", "丙客户"}) {
        auto r = admin.send("POST", "/api/v1/biz.customers/customers", QJsonObject{{QStringLiteral("name"), QString::fromUtf8(name)}, {QStringLiteral("unitId"), root}});
        ASSERT_EQ(r.status, 201) << r.body.toStdString();
    }
    const QString serverFolder = QFileInfo(host.databasePath()).absolutePath();
    QJsonObject job;
    QByteArray href;
    {
        FullDisk full(host.databasePath() + QStringLiteral(".jobs"));
        auto started = admin.request("POST", "/api/v1/biz.customers/customers/export?format=csv");
        ASSERT_EQ(started.status, 202) << started.body.toStdString();
        href = started.json().value(QStringLiteral("href")).toString().toUtf8();
        job = waitForJob(admin, href);
    }
    EXPECT_EQ(job.value(QStringLiteral("state")).toString(), QStringLiteral("failed")) << QJsonDocument(job).toJson().toStdString();
    const QJsonObject error = job.value(QStringLiteral("error")).toObject();
    EXPECT_EQ(error.value(QStringLiteral("code")).toString(), QStringLiteral("disk.full"));
    EXPECT_EQ(error.value(QStringLiteral("message")).toString(), kZh);
    EXPECT_FALSE(job.contains(QStringLiteral("output")));
    EXPECT_EQ(admin.get(href + "/output").status, 404) << "no empty or cut file to download";
    EXPECT_TRUE(filesIn(host.databasePath() + QStringLiteral(".jobs")).isEmpty());

    // Whoever reads the job later reads it in their language; no answer names a server path.
    auto en = admin.request("GET", href, {}, {{"Accept-Language", "en"}});
    EXPECT_EQ(en.json().value(QStringLiteral("error")).toObject().value(QStringLiteral("message")).toString(), kEn);
    auto list = admin.request("GET", "/api/v1/jobs", {}, {{"Accept-Language", "en-US"}});
    EXPECT_TRUE(list.body.contains(kEn.toUtf8())) << list.body.toStdString();
    EXPECT_FALSE(list.body.contains(serverFolder.toUtf8())) << list.body.toStdString();

    // With room again, the same export succeeds.
    auto again = waitForJob(admin, admin.request("POST", "/api/v1/biz.customers/customers/export?format=csv").json().value(QStringLiteral("href")).toString().toUtf8());
    EXPECT_EQ(again.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded")) << QJsonDocument(again).toJson().toStdString();
}

TEST(DiskFull, ARecordSavedOnAFullDiskIsAnswered507InTheUsersLanguageAndNothingIsStored) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    auto admin = host.client();
    admin.setDefaultHeader("Accept-Language", "");  // no preference: the server's own language, zh-CN
    const qint64 root = host.app().units().ensureRoot(QStringLiteral("t"))->id;
    const QJsonObject customer{{QStringLiteral("name"), QStringLiteral("满盘客户")}, {QStringLiteral("unitId"), root}};
    const QString serverFolder = QFileInfo(host.databasePath()).absolutePath();
    {
        FullDisk full(serverFolder);
        const int refusedBefore = FullDisk::refused();
        auto zh = admin.send("POST", "/api/v1/biz.customers/customers", customer);
        EXPECT_EQ(zh.status, 507) << zh.body.toStdString();
        EXPECT_EQ(zh.json().value(QStringLiteral("code")).toString(), QStringLiteral("disk.full"));
        EXPECT_EQ(zh.json().value(QStringLiteral("detail")).toString(), kZh);
        EXPECT_FALSE(zh.body.contains(serverFolder.toUtf8()));
        auto en = admin.send("POST", "/api/v1/biz.customers/customers", customer, {{"Accept-Language", "en-GB,en;q=0.9"}});
        EXPECT_EQ(en.status, 507);
        EXPECT_EQ(en.json().value(QStringLiteral("detail")).toString(), kEn);
        EXPECT_GT(FullDisk::refused(), refusedBefore) << "the database met the full disk";
    }
    auto list = admin.get("/api/v1/biz.customers/customers");
    ASSERT_EQ(list.status, 200) << list.body.toStdString();
    EXPECT_EQ(list.json().value(QStringLiteral("total")).toInt(), 0) << "nothing half-written";
    EXPECT_EQ(admin.send("POST", "/api/v1/biz.customers/customers", customer).status, 201) << "with room again, it saves";
}

TEST(DiskFull, AnAttachmentOnAFullDiskIsAnswered507AndNothingIsHalfWritten) {
    RunningHost host({fixturePluginDir()}, {{QStringLiteral("fx.attachments"), {}}});
    auto admin = host.client();
    admin.setDefaultHeader("Accept-Language", "");
    ASSERT_TRUE(host.app().units().ensureRoot(QStringLiteral("t")));
    auto made = admin.send("POST", "/api/v1/fx.attachments/meetings", QJsonObject{{QStringLiteral("topic"), QStringLiteral("满盘")}});
    ASSERT_EQ(made.status, 201) << made.body.toStdString();
    const QByteArray meeting = "/api/v1/fx.attachments/meetings/" + QByteArray::number(made.json().value(QStringLiteral("id")).toInteger());
    auto uploadPdf = [&](const QByteArray& tail) {
        auto up = admin.request("POST", "/api/v1/files?name=a.pdf", "%PDF-1.4\n" + someBytes(5000) + tail);
        EXPECT_EQ(up.status, 201) << up.body.toStdString();
        return up.json().value(QStringLiteral("id")).toString();
    };
    const QString upload = uploadPdf("1");
    const QString serverFolder = QFileInfo(host.databasePath()).absolutePath();
    const QString store = host.databasePath() + QStringLiteral(".files");
    {
        FullDisk full(serverFolder);
        const int refusedBefore = FullDisk::refused();
        auto refused = admin.send("POST", meeting + "/attachments/papers", QJsonObject{{QStringLiteral("upload"), upload}});
        ASSERT_EQ(refused.status, 507) << refused.body.toStdString();
        EXPECT_EQ(refused.json().value(QStringLiteral("code")).toString(), QStringLiteral("disk.full"));
        EXPECT_EQ(refused.json().value(QStringLiteral("detail")).toString(), kZh);
        EXPECT_FALSE(refused.body.contains(serverFolder.toUtf8()));
        EXPECT_GT(FullDisk::refused(), refusedBefore) << "the store met the full disk";
    }
    QDirIterator left(store, QDir::Files, QDirIterator::Subdirectories);
    EXPECT_FALSE(left.hasNext()) << "nothing half-written: " << left.next().toStdString();
    EXPECT_TRUE(admin.get(meeting).json().value(QStringLiteral("papers")).toArray().isEmpty());
    auto again = admin.send("POST", meeting + "/attachments/papers", QJsonObject{{QStringLiteral("upload"), uploadPdf("2")}});
    EXPECT_EQ(again.status, 201) << "with room again, it is kept: " << again.body.toStdString();
}
