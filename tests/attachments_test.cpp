// Attachments bound to records (docs/records.md, "Attachments"), through a real host: the
// fixture fx.attachments has a meeting card with photos (images, at most 3 of 1 MB), recordings
// (video and audio, 2 MB) and papers (documents, at most 5). Files are made here, small and real.

#include "host_fixture.hpp"

#include <QBuffer>
#include <QDirIterator>
#include <QImage>
#include <QJsonArray>
#include <QtEndian>

#include <gtest/gtest.h>

using namespace tessera::test;

namespace {

QByteArray png(int width, int height, QRgb colour) {
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(colour);
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

QByteArray pdf() { return QByteArrayLiteral("%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"); }

// A WAV of `samples` 16-bit mono samples at 8 kHz: a rising saw, so every byte range differs.
QByteArray wav(int samples) {
    QByteArray data;
    for (int i = 0; i < samples; ++i) {
        const qint16 s = static_cast<qint16>((i * 97) % 30000);
        data.append(reinterpret_cast<const char*>(&s), 2);
    }
    auto le32 = [](quint32 v) { return QByteArray(reinterpret_cast<const char*>(&v), 4); };
    auto le16 = [](quint16 v) { return QByteArray(reinterpret_cast<const char*>(&v), 2); };
    return "RIFF" + le32(static_cast<quint32>(36 + data.size())) + "WAVEfmt " + le32(16) + le16(1) + le16(1) + le32(8000) + le32(16000) +
           le16(2) + le16(16) + "data" + le32(static_cast<quint32>(data.size())) + data;
}

QByteArray mp4() {
    return QByteArray(
               "\0\0\0\x18"
               "ftypisom\0\0\x02\0isomiso2",
               24) +
           QByteArray(64, '\0');
}

// The files in the store, thumbnails left out.
QStringList storedFiles(const QString& dir) {
    QStringList out;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString f = it.next();
        if (!f.endsWith(QStringLiteral(".thumb.jpg"))) out << f;
    }
    return out;
}

class Attachments : public ::testing::Test {
protected:
    void start(const QString& filesXml = {}) {
        host = std::make_unique<RunningHost>(QStringList{fixturePluginDir()},
                                             std::vector<EnablePlugin>{{QStringLiteral("fx.attachments"), {}}}, filesXml);
        ASSERT_EQ(host->app().runtime().plugin(QStringLiteral("fx.attachments"))->state, tessera::host::PluginState::Started)
            << host->app().runtime().plugin(QStringLiteral("fx.attachments"))->reason.toStdString();
        auto& units = host->app().units();
        root = units.ensureRoot(QStringLiteral("总部"))->id;
        east = units.create(root, QStringLiteral("东区"))->id;
        west = units.create(root, QStringLiteral("西区"))->id;
        admin = std::make_unique<HttpClient>(host->client());
        role(QStringLiteral("secretary"), {QStringLiteral("fx.attachments.read"), QStringLiteral("fx.attachments.write")});
        role(QStringLiteral("reader"), {QStringLiteral("fx.attachments.read")});
        writer = user(QStringLiteral("wang"), QStringLiteral("secretary"), east);
        reader = user(QStringLiteral("li"), QStringLiteral("reader"), east);
        stranger = user(QStringLiteral("zhao"), QStringLiteral("secretary"), west);
    }
    void SetUp() override {}

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

    qint64 meeting(HttpClient& c, const QString& topic) {
        auto r = c.send("POST", "/api/v1/fx.attachments/meetings", QJsonObject{{QStringLiteral("topic"), topic}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }
    QString upload(HttpClient& c, const QString& name, const QByteArray& bytes) {
        auto r = c.request("POST", "/api/v1/files?name=" + QUrl::toPercentEncoding(name), bytes, {{"Content-Type", "image/jpeg"}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toString();
    }
    QByteArray path(qint64 id, const QByteArray& tail = {}) { return "/api/v1/fx.attachments/meetings/" + QByteArray::number(id) + tail; }
    // Uploads `bytes` as `name` and attaches them to `field` of meeting `id`.
    HttpReply attach(HttpClient& c, qint64 id, const QByteArray& field, const QString& name, const QByteArray& bytes) {
        const QString up = upload(c, name, bytes);
        return c.send("POST", path(id, "/attachments/" + field), QJsonObject{{QStringLiteral("upload"), up}});
    }
    QString store() const { return host->databasePath() + QStringLiteral(".files"); }

    std::unique_ptr<RunningHost> host;
    std::unique_ptr<HttpClient> admin, writer, reader, stranger;
    qint64 root = 0, east = 0, west = 0;
};

QString messageOf(const HttpReply& r) {
    const auto errors = r.json().value(QStringLiteral("errors")).toArray();
    return errors.isEmpty() ? r.json().value(QStringLiteral("detail")).toString()
                            : errors.first().toObject().value(QStringLiteral("message")).toString();
}

}  // namespace

TEST_F(Attachments, EachKindIsTypedByItsBytesAndShownOnTheRecord) {
    start();
    const qint64 id = meeting(*writer, QStringLiteral("支部党员大会"));
    const QString photoUpload = upload(*writer, QStringLiteral("合影.png"), png(640, 480, qRgb(200, 30, 30)));
    auto photo = writer->send("POST", path(id, "/attachments/photos"), QJsonObject{{QStringLiteral("upload"), photoUpload}});
    ASSERT_EQ(photo.status, 201) << photo.body.toStdString();
    const QJsonObject p = photo.json();
    EXPECT_EQ(p.value(QStringLiteral("type")).toString(), QStringLiteral("image/png"));  // the upload said image/jpeg
    EXPECT_EQ(p.value(QStringLiteral("kind")).toString(), QStringLiteral("image"));
    EXPECT_EQ(p.value(QStringLiteral("name")).toString(), QStringLiteral("合影.png"));
    EXPECT_EQ(p.value(QStringLiteral("uploadedBy")).toString(), QStringLiteral("wang"));
    EXPECT_FALSE(p.value(QStringLiteral("uploadedAt")).toString().isEmpty());
    EXPECT_TRUE(p.value(QStringLiteral("thumbUrl")).toString().endsWith(QStringLiteral("?thumb=1")));
    EXPECT_EQ(photo.header("Location"), p.value(QStringLiteral("url")).toString().toUtf8());
    // The upload is used up: it is now the record's file.
    EXPECT_EQ(writer->get("/api/v1/files/" + photoUpload.toUtf8()).status, 404);

    struct Case {
        QByteArray field;
        QString name;
        QByteArray bytes;
        QString type, kind;
    };
    for (const Case& c : {Case{"recordings", QStringLiteral("讲话.wav"), wav(2000), QStringLiteral("audio/wav"), QStringLiteral("audio")},
                          Case{"recordings", QStringLiteral("现场.mp4"), mp4(), QStringLiteral("video/mp4"), QStringLiteral("video")},
                          Case{"papers", QStringLiteral("决议.pdf"), pdf(), QStringLiteral("application/pdf"), QStringLiteral("document")},
                          Case{"papers", QStringLiteral("记录.txt"), QStringLiteral("会议记录：到会 12 人。\n").toUtf8(),
                               QStringLiteral("text/plain"), QStringLiteral("document")}}) {
        auto r = attach(*writer, id, c.field, c.name, c.bytes);
        ASSERT_EQ(r.status, 201) << c.name.toStdString() << ": " << r.body.toStdString();
        EXPECT_EQ(r.json().value(QStringLiteral("type")).toString(), c.type);
        EXPECT_EQ(r.json().value(QStringLiteral("kind")).toString(), c.kind);
        EXPECT_FALSE(r.json().contains(QStringLiteral("thumbUrl")));
    }
    auto record = writer->get(path(id));
    ASSERT_EQ(record.status, 200);
    const QJsonObject json = record.json();
    EXPECT_EQ(json.value(QStringLiteral("photos")).toArray().size(), 1);
    EXPECT_EQ(json.value(QStringLiteral("recordings")).toArray().size(), 2);
    EXPECT_EQ(json.value(QStringLiteral("papers")).toArray().size(), 2);
    EXPECT_EQ(writer->get(path(id, "/attachments/papers")).json().value(QStringLiteral("items")).toArray().size(), 2);
    // A PUT of the record as it was read leaves its files alone.
    auto put = writer->send("PUT", path(id), json, ifMatch(1));
    ASSERT_EQ(put.status, 200) << put.body.toStdString();
    EXPECT_EQ(put.json().value(QStringLiteral("recordings")).toArray().size(), 2);
}

TEST_F(Attachments, AFileWhoseBytesAreNotOfAnAcceptedKindIsRefusedWithWhatItIs) {
    start();
    const qint64 id = meeting(*writer, QStringLiteral("党课"));
    const QString disguised = upload(*writer, QStringLiteral("photo.jpg"), "just some text, not a photo\n");
    auto refused = writer->send("POST", path(id, "/attachments/photos"), QJsonObject{{QStringLiteral("upload"), disguised}});
    ASSERT_EQ(refused.status, 422) << refused.body.toStdString();
    EXPECT_EQ(fieldsOf(refused), QStringList{QStringLiteral("upload")});
    EXPECT_EQ(messageOf(refused), QStringLiteral("photo.jpg is a text file; Photos takes images"));
    auto zh = writer->send("POST", path(id, "/attachments/recordings"),
                           QJsonObject{{QStringLiteral("upload"), upload(*writer, QStringLiteral("图.png"), png(10, 10, qRgb(0, 0, 0)))}},
                           {{"Accept-Language", "zh-CN"}});
    ASSERT_EQ(zh.status, 422) << zh.body.toStdString();
    EXPECT_EQ(messageOf(zh), QStringLiteral("图.png 是PNG 图片；音视频只收视频 / 音频"));
    auto unknown = attach(*writer, id, "papers", QStringLiteral("a.bin"), QByteArray("\x01\x02\x03\x04\x00\xff", 6));
    EXPECT_EQ(unknown.status, 422);
    EXPECT_EQ(messageOf(unknown), QStringLiteral("a.bin is of no type we know; Papers takes documents"));
    // Nothing was kept: neither in the store nor as an upload.
    EXPECT_TRUE(storedFiles(store()).isEmpty());
    EXPECT_EQ(writer->get("/api/v1/files/" + disguised.toUtf8()).status, 404);
    EXPECT_EQ(writer->get(path(id)).json().value(QStringLiteral("photos")).toArray().size(), 0);
    // Not an upload of theirs, not an upload at all, or another field.
    auto foreign = writer->send("POST", path(id, "/attachments/photos"),
                                QJsonObject{{QStringLiteral("upload"), QStringLiteral("0123456789abcdef0123456789abcdef")}});
    EXPECT_EQ(foreign.status, 422);
    EXPECT_EQ(writer->send("POST", path(id, "/attachments/photos"), QJsonObject{{QStringLiteral("file"), QStringLiteral("x")}}).status,
              422);
    EXPECT_EQ(writer->send("POST", path(id, "/attachments/topic"), QJsonObject{{QStringLiteral("upload"), QStringLiteral("x")}}).status,
              404);
}

TEST_F(Attachments, MediaAreReadInRangesSoThatPlayersSeek) {
    start();
    const qint64 id = meeting(*writer, QStringLiteral("组织生活会"));
    const QByteArray sound = wav(3000);
    auto added = attach(*writer, id, "recordings", QStringLiteral("录音 一.wav"), sound);
    ASSERT_EQ(added.status, 201) << added.body.toStdString();
    const QByteArray url = added.json().value(QStringLiteral("url")).toString().toUtf8();
    const QByteArray size = QByteArray::number(sound.size());

    auto whole = reader->get(url);
    ASSERT_EQ(whole.status, 200) << whole.body.toStdString();
    EXPECT_EQ(whole.body, sound);
    EXPECT_EQ(whole.header("Content-Type"), "audio/wav");
    EXPECT_EQ(whole.header("Accept-Ranges"), "bytes");
    EXPECT_EQ(whole.header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(whole.header("Content-Disposition"), "inline; filename=\"__ _.wav\"; filename*=UTF-8''%E5%BD%95%E9%9F%B3%20%E4%B8%80.wav");
    const QByteArray etag = whole.header("ETag");
    EXPECT_FALSE(etag.isEmpty());

    struct Case {
        QByteArray range;
        qsizetype first, length;
    };
    for (const Case& c : {Case{"bytes=0-9", 0, 10}, Case{"bytes=1000-1999", 1000, 1000}, Case{"bytes=-100", sound.size() - 100, 100},
                          Case{"bytes=5000-", 5000, sound.size() - 5000}}) {
        auto part = reader->request("GET", url, {}, {{"Range", c.range}});
        ASSERT_EQ(part.status, 206) << c.range.toStdString();
        EXPECT_EQ(part.body, sound.mid(c.first, c.length)) << c.range.toStdString();
        EXPECT_EQ(part.header("Content-Range"),
                  "bytes " + QByteArray::number(c.first) + "-" + QByteArray::number(c.first + c.length - 1) + "/" + size);
        EXPECT_EQ(part.header("Content-Length"), QByteArray::number(c.length));
    }
    auto beyond = reader->request("GET", url, {}, {{"Range", "bytes=" + QByteArray::number(sound.size()) + "-"}});
    EXPECT_EQ(beyond.status, 416);
    EXPECT_EQ(beyond.header("Content-Range"), "bytes */" + size);
    // If-Range: the range only while the file is the one the player has.
    EXPECT_EQ(reader->request("GET", url, {}, {{"Range", "bytes=0-9"}, {"If-Range", etag}}).status, 206);
    auto changed = reader->request("GET", url, {}, {{"Range", "bytes=0-9"}, {"If-Range", "\"something-else\""}});
    EXPECT_EQ(changed.status, 200);
    EXPECT_EQ(changed.body.size(), sound.size());
    // Documents download; a PDF shows in the browser.
    auto text = attach(*writer, id, "papers", QStringLiteral("notes.txt"), "minutes\n");
    auto pdfFile = attach(*writer, id, "papers", QStringLiteral("决议.pdf"), pdf());
    EXPECT_TRUE(
        reader->get(text.json().value(QStringLiteral("url")).toString().toUtf8()).header("Content-Disposition").startsWith("attachment;"));
    EXPECT_TRUE(
        reader->get(pdfFile.json().value(QStringLiteral("url")).toString().toUtf8()).header("Content-Disposition").startsWith("inline;"));
}

TEST_F(Attachments, FilesFollowTheRecordsScopeAndOnlyWritersOfItsUnitChangeThem) {
    start();
    const qint64 id = meeting(*writer, QStringLiteral("主题党日"));
    auto added = attach(*writer, id, "photos", QStringLiteral("a.png"), png(20, 20, qRgb(1, 2, 3)));
    ASSERT_EQ(added.status, 201);
    const QByteArray url = added.json().value(QStringLiteral("url")).toString().toUtf8();
    // Another unit's secretary: nothing of it exists.
    EXPECT_EQ(stranger->get(url).status, 404);
    EXPECT_EQ(stranger->get(url + "?thumb=1").status, 404);
    EXPECT_EQ(stranger->get(path(id, "/attachments/photos")).status, 404);
    const QString theirs = upload(*stranger, QStringLiteral("b.png"), png(20, 20, qRgb(9, 9, 9)));
    EXPECT_EQ(stranger->send("POST", path(id, "/attachments/photos"), QJsonObject{{QStringLiteral("upload"), theirs}}).status, 404);
    EXPECT_EQ(stranger->request("DELETE", url).status, 404);
    // A reader of the unit reads them but neither adds nor removes one.
    EXPECT_EQ(reader->get(url).status, 200);
    auto add = attach(*reader, id, "photos", QStringLiteral("c.png"), png(20, 20, qRgb(7, 7, 7)));
    EXPECT_EQ(add.status, 403) << add.body.toStdString();
    EXPECT_EQ(reader->request("DELETE", url).status, 403);
    // The writer removes it: gone from the record, the store and the audit log says so.
    auto removed = writer->request("DELETE", url);
    EXPECT_EQ(removed.status, 204) << removed.body.toStdString();
    EXPECT_EQ(writer->get(url).status, 404);
    EXPECT_TRUE(storedFiles(store()).isEmpty());
    auto audit = admin->get("/api/v1/audit?table=core_attachments");
    ASSERT_EQ(audit.status, 200) << audit.body.toStdString();
    QStringList actions;
    for (const auto& e : audit.json().value(QStringLiteral("items")).toArray())
        actions << e.toObject().value(QStringLiteral("action")).toString();
    EXPECT_EQ(actions, (QStringList{QStringLiteral("delete"), QStringLiteral("insert")}));
}

TEST_F(Attachments, AFieldTakesSoManyFilesOfSoMuch) {
    start();
    const qint64 id = meeting(*writer, QStringLiteral("委员会"));
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(attach(*writer, id, "photos", QStringLiteral("%1.png").arg(i), png(10 + i, 10, qRgb(i, 0, 0))).status, 201);
    auto fourth = attach(*writer, id, "photos", QStringLiteral("3.png"), png(40, 10, qRgb(0, 0, 0)));
    EXPECT_EQ(fourth.status, 422) << fourth.body.toStdString();
    EXPECT_EQ(messageOf(fourth), QStringLiteral("Photos takes no more files: it holds 3 files already, the most it takes"));
    auto tooBig = attach(*writer, id, "recordings", QStringLiteral("big.wav"), wav(1100 * 1024));
    EXPECT_EQ(tooBig.status, 413) << tooBig.body.toStdString();
    EXPECT_EQ(messageOf(tooBig), QStringLiteral("big.wav is 2.1 MB; Recordings takes files of at most 2 MB"));
}

TEST_F(Attachments, TheSameContentTwiceIsOneFileInTheStore) {
    start();
    const QByteArray bytes = png(64, 64, qRgb(10, 200, 10));
    const qint64 a = meeting(*writer, QStringLiteral("一")), b = meeting(*writer, QStringLiteral("二"));
    ASSERT_EQ(attach(*writer, a, "photos", QStringLiteral("x.png"), bytes).status, 201);
    ASSERT_EQ(attach(*writer, b, "photos", QStringLiteral("y.png"), bytes).status, 201);
    const QStringList files = storedFiles(store());
    ASSERT_EQ(files.size(), 1);
    // Named by its SHA-256 in two levels of folders.
    const QString sha = QFileInfo(files.first()).fileName();
    EXPECT_EQ(sha.size(), 64);
    EXPECT_TRUE(files.first().endsWith(sha.left(2) + u'/' + sha.mid(2, 2) + u'/' + sha)) << files.first().toStdString();
    // Removing it from one record keeps it for the other.
    const QByteArray url = writer->get(path(a))
                               .json()
                               .value(QStringLiteral("photos"))
                               .toArray()
                               .first()
                               .toObject()
                               .value(QStringLiteral("url"))
                               .toString()
                               .toUtf8();
    ASSERT_EQ(writer->request("DELETE", url).status, 204);
    EXPECT_EQ(storedFiles(store()).size(), 1);
    EXPECT_EQ(writer->get(path(b)).json().value(QStringLiteral("photos")).toArray().size(), 1);
}

TEST_F(Attachments, ADeletedRecordsFilesStayForAWhileThenTheSweepLeavesNothing) {
    start(QStringLiteral("<files keep-deleted-days=\"0\"/>"));
    const qint64 id = meeting(*writer, QStringLiteral("旧会议"));
    ASSERT_EQ(attach(*writer, id, "photos", QStringLiteral("x.png"), png(300, 200, qRgb(5, 5, 5))).status, 201);
    const QByteArray url = writer->get(path(id))
                               .json()
                               .value(QStringLiteral("photos"))
                               .toArray()
                               .first()
                               .toObject()
                               .value(QStringLiteral("url"))
                               .toString()
                               .toUtf8();
    ASSERT_EQ(writer->get(url + "?thumb=1").status, 200);
    ASSERT_EQ(writer->request("DELETE", path(id)).status, 204);
    EXPECT_EQ(writer->get(url).status, 404);
    EXPECT_EQ(storedFiles(store()).size(), 1);  // kept while the record's history is
    host->app().attachments().sweep();
    QDirIterator left(store(), QDir::Files, QDirIterator::Subdirectories);
    EXPECT_FALSE(left.hasNext()) << left.next().toStdString();
    auto rows = host->app().store().queryOne(
        QStringLiteral("SELECT (SELECT count(*) FROM core_files) + (SELECT count(*) FROM core_attachments) AS n"));
    ASSERT_TRUE(rows);
    EXPECT_EQ(rows->value(QStringLiteral("n")).toLongLong(), 0);
}

TEST_F(Attachments, QuotasOfTheDeploymentAndOfEachUnitAnswer507NamingThem) {
    start(QStringLiteral("<files quota=\"10KB\"/>"));
    const qint64 id = meeting(*writer, QStringLiteral("大会"));
    ASSERT_EQ(attach(*writer, id, "recordings", QStringLiteral("a.wav"), wav(3000)).status, 201);  // 6 KB
    auto full = attach(*writer, id, "recordings", QStringLiteral("b.wav"), wav(3001));
    ASSERT_EQ(full.status, 507) << full.body.toStdString();
    EXPECT_EQ(full.json().value(QStringLiteral("code")).toString(), QStringLiteral("files.quota"));
    EXPECT_TRUE(messageOf(full).startsWith(QStringLiteral("the deployment's files would exceed their quota of 10 KB")))
        << messageOf(full).toStdString();
    EXPECT_EQ(storedFiles(store()).size(), 1);
    // The same content again takes no more room.
    EXPECT_EQ(attach(*writer, id, "recordings", QStringLiteral("a again.wav"), wav(3000)).status, 201);
}

TEST_F(Attachments, AUnitsQuotaNamesTheUnitByItsPath) {
    start(QStringLiteral("<files unit-quota=\"10KB\"/>"));
    const qint64 id = meeting(*writer, QStringLiteral("大会"));
    ASSERT_EQ(attach(*writer, id, "recordings", QStringLiteral("a.wav"), wav(3000)).status, 201);
    auto full = attach(*writer, id, "recordings", QStringLiteral("b.wav"), wav(3001));
    ASSERT_EQ(full.status, 507) << full.body.toStdString();
    EXPECT_EQ(full.json().value(QStringLiteral("code")).toString(), QStringLiteral("files.quota"));
    EXPECT_TRUE(messageOf(full).startsWith(QStringLiteral("the files of 东区 would exceed the quota of each unit, 10 KB")))
        << messageOf(full).toStdString();
    // Another unit's records have their own.
    const qint64 theirs = meeting(*stranger, QStringLiteral("西区大会"));
    EXPECT_EQ(attach(*stranger, theirs, "recordings", QStringLiteral("c.wav"), wav(3002)).status, 201);
}

TEST_F(Attachments, ImagesHaveThumbnailsMadeOnce) {
    start();
    const qint64 id = meeting(*writer, QStringLiteral("合影"));
    auto added = attach(*writer, id, "photos", QStringLiteral("wide.png"), png(1000, 500, qRgb(0, 120, 255)));
    ASSERT_EQ(added.status, 201);
    const QByteArray thumbUrl = added.json().value(QStringLiteral("thumbUrl")).toString().toUtf8();
    auto thumb = reader->get(thumbUrl);
    ASSERT_EQ(thumb.status, 200) << thumb.body.toStdString();
    EXPECT_EQ(thumb.header("Content-Type"), "image/jpeg");
    QImage image;
    ASSERT_TRUE(image.loadFromData(thumb.body, "JPEG"));
    EXPECT_EQ(image.size(), QSize(320, 160));
    QStringList thumbs;
    QDirIterator it(store(), {QStringLiteral("*.thumb.jpg")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) thumbs << it.next();
    ASSERT_EQ(thumbs.size(), 1);
    const auto made = QFileInfo(thumbs.first()).lastModified();
    EXPECT_EQ(reader->get(thumbUrl).body, thumb.body);
    EXPECT_EQ(QFileInfo(thumbs.first()).lastModified(), made);
    EXPECT_EQ(reader->get(QByteArray(thumbUrl).replace("thumb=1", "thumb=big")).status, 422);
}

TEST_F(Attachments, TheViewsTellAShellWhatAnUploaderTakes) {
    start();
    auto shell = writer->get("/api/v1/shell");
    ASSERT_EQ(shell.status, 200);
    QJsonObject photos;
    for (const auto& p : shell.json().value(QStringLiteral("modules")).toArray())
        for (const auto& c : p.toObject().value(QStringLiteral("views")).toObject().value(QStringLiteral("cards")).toArray())
            for (const auto& s : c.toObject().value(QStringLiteral("sections")).toArray())
                for (const auto& f : s.toObject().value(QStringLiteral("fields")).toArray())
                    if (f.toObject().value(QStringLiteral("name")).toString() == u"photos") photos = f.toObject();
    ASSERT_FALSE(photos.isEmpty()) << shell.body.left(2000).toStdString();
    EXPECT_EQ(photos.value(QStringLiteral("kind")).toString(), QStringLiteral("attachments"));
    EXPECT_EQ(photos.value(QStringLiteral("accept")).toArray(), QJsonArray{QStringLiteral("image")});
    EXPECT_EQ(photos.value(QStringLiteral("maxCount")).toInteger(), 3);
    EXPECT_EQ(photos.value(QStringLiteral("maxSize")).toInteger(), 1 << 20);
}
