// Uploads (POST /api/v1/files) through a real host: the body streams to a file, belongs to
// its uploader, and nothing is stored for a refused or oversized upload.

#include "host_fixture.hpp"

#include <QDir>
#include <QFile>
#include <QJsonObject>

#include <gtest/gtest.h>

using namespace tessera::test;

namespace {

QStringList filesUnder(const QString& dir) {
    QStringList names;
    for (const QFileInfo& f : QDir(dir).entryInfoList(QDir::Files)) names << f.fileName();
    for (const QFileInfo& f : QDir(dir + QStringLiteral("/incoming")).entryInfoList(QDir::Files)) names << QStringLiteral("incoming/") + f.fileName();
    return names;
}

QByteArray someBytes(int n) {
    QByteArray b;
    for (int i = 0; i < n; ++i) b += char((i * 7 + 3) & 0xff);  // binary, NULs included
    return b;
}

}  // namespace

TEST(Uploads, AFileIsStoredAsSentAndOnlyItsUploaderSeesIt) {
    RunningHost host({fixturePluginDir()}, {});
    auto admin = host.client();
    const QByteArray bytes = someBytes(300000);
    auto up = admin.request("POST", "/api/v1/files?name=%E5%85%9A%E5%91%98.csv", bytes, {{"Content-Type", "text/csv"}});
    ASSERT_EQ(up.status, 201) << up.body.toStdString();
    const QJsonObject f = up.json();
    EXPECT_EQ(f.value(QStringLiteral("name")).toString(), QStringLiteral("党员.csv"));
    EXPECT_EQ(f.value(QStringLiteral("size")).toInteger(), bytes.size());
    EXPECT_EQ(f.value(QStringLiteral("contentType")).toString(), QStringLiteral("text/csv"));
    const QString id = f.value(QStringLiteral("id")).toString();
    EXPECT_EQ(up.header("Location"), "/api/v1/files/" + id.toUtf8());

    const QString dir = host.databasePath() + QStringLiteral(".uploads");
    QFile stored(dir + QLatin1Char('/') + id);
    ASSERT_TRUE(stored.open(QIODevice::ReadOnly));
    EXPECT_EQ(stored.readAll(), bytes);
    EXPECT_EQ(filesUnder(dir), QStringList{id}) << "no body file is left in incoming/";

    EXPECT_EQ(admin.get("/api/v1/files/" + id.toUtf8()).json().value(QStringLiteral("size")).toInteger(), bytes.size());
    HttpClient other(host.port());
    other.setDefaultHeader("Authorization", "Bearer " + host.userToken(QStringLiteral("wang")));
    auto hidden = other.get("/api/v1/files/" + id.toUtf8());
    EXPECT_EQ(hidden.status, 404) << "another user's upload is not there for them";
    EXPECT_EQ(other.request("DELETE", "/api/v1/files/" + id.toUtf8()).status, 404);

    EXPECT_EQ(admin.request("DELETE", "/api/v1/files/" + id.toUtf8()).status, 204);
    EXPECT_EQ(admin.get("/api/v1/files/" + id.toUtf8()).status, 404);
    EXPECT_TRUE(filesUnder(dir).isEmpty());
}

TEST(Uploads, RefusedAndOversizedUploadsLeaveNothingBehind) {
    RunningHost host({fixturePluginDir()}, {}, QStringLiteral("<limits max-upload-bytes=\"1000\"/>"));
    auto admin = host.client();
    const QString dir = host.databasePath() + QStringLiteral(".uploads");

    auto anonymous = host.anonymousClient().request("POST", "/api/v1/files?name=a.csv", someBytes(500));
    EXPECT_EQ(anonymous.status, 401) << anonymous.body.toStdString();

    auto big = admin.request("POST", "/api/v1/files?name=a.csv", someBytes(1001));
    EXPECT_EQ(big.status, 413) << big.body.toStdString();
    EXPECT_TRUE(big.json().value(QStringLiteral("detail")).toString().contains(QStringLiteral("1000 bytes")));

    for (const QByteArray& name : {QByteArray(""), QByteArray("..%2Fx.csv"), QByteArray("a%2Fb.csv"), QByteArray(".hidden")}) {
        auto bad = admin.request("POST", "/api/v1/files?name=" + name, someBytes(10));
        EXPECT_EQ(bad.status, 422) << name.toStdString() << ": " << bad.body.toStdString();
        EXPECT_TRUE(bad.body.contains("name")) << bad.body.toStdString();
    }
    auto empty = admin.request("POST", "/api/v1/files?name=a.csv");
    EXPECT_EQ(empty.status, 400) << empty.body.toStdString();
    EXPECT_TRUE(filesUnder(dir).isEmpty()) << filesUnder(dir).join(QLatin1Char(' ')).toStdString();

    // The server goes on serving on the same terms.
    auto fine = admin.request("POST", "/api/v1/files?name=a.csv", someBytes(1000));
    EXPECT_EQ(fine.status, 201) << fine.body.toStdString();
}

TEST(Uploads, AUserKeepsTheirNewestUploadsOnly) {
    RunningHost host({fixturePluginDir()}, {});
    auto admin = host.client();
    QStringList ids;
    for (int i = 0; i < tessera::host::UploadStore::kPerUser + 2; ++i) {
        auto up = admin.request("POST", "/api/v1/files?name=f.csv", QByteArray::number(i));
        ASSERT_EQ(up.status, 201) << up.body.toStdString();
        ids << up.json().value(QStringLiteral("id")).toString();
    }
    EXPECT_EQ(admin.get("/api/v1/files/" + ids[0].toUtf8()).status, 404);
    EXPECT_EQ(admin.get("/api/v1/files/" + ids[1].toUtf8()).status, 404);
    EXPECT_EQ(admin.get("/api/v1/files/" + ids[2].toUtf8()).status, 200);
    EXPECT_EQ(admin.get("/api/v1/files/" + ids.last().toUtf8()).status, 200);
}
