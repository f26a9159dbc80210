#include "services/file_types.hpp"

#include "test_support.hpp"

#include <zip.h>

#include <gtest/gtest.h>

using tessera::host::FileKind;
using tessera::host::sniffFileType;
using tessera::test::english;
using tessera::test::TempDir;

namespace {

QString mimeOf(const TempDir& dir, const QByteArray& bytes) {
    const auto type = sniffFileType(dir.write(QStringLiteral("f.bin"), bytes));
    return type ? type->mime : QString();
}

// A zip holding `names` (each with a line of text), as Office and archivers write them.
QString zipWith(const TempDir& dir, const QString& name, const QStringList& names) {
    const QString path = dir.file(name);
    int error = 0;
    zip_t* zip = zip_open(QFile::encodeName(path).constData(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    static const char text[] = "<x/>";
    for (const QString& n : names) {
        zip_source_t* source = zip_source_buffer(zip, text, sizeof text - 1, 0);
        zip_file_add(zip, n.toUtf8().constData(), source, ZIP_FL_OVERWRITE);
    }
    zip_close(zip);
    return path;
}

}  // namespace

TEST(FileTypes, ImagesVideoAndAudioByTheirMagicNumbers) {
    TempDir dir;
    EXPECT_EQ(mimeOf(dir, QByteArray("\xFF\xD8\xFF\xE0", 4) + QByteArray(100, 'x')), QStringLiteral("image/jpeg"));
    EXPECT_EQ(mimeOf(dir, "GIF89a" + QByteArray(20, '\0')), QStringLiteral("image/gif"));
    EXPECT_EQ(mimeOf(dir, QByteArray("RIFF\x10\0\0\0WEBPVP8 ", 16) + QByteArray(20, '\0')), QStringLiteral("image/webp"));
    EXPECT_EQ(mimeOf(dir, QByteArray("\0\0\0\x20"
                                     "ftypM4A \0\0\0\0",
                                     16)),
              QStringLiteral("audio/mp4"));
    EXPECT_EQ(mimeOf(dir, QByteArray("\0\0\0\x14"
                                     "ftypqt  \0\0\0\0",
                                     16)),
              QStringLiteral("video/quicktime"));
    EXPECT_EQ(mimeOf(dir, QByteArray("\x1A\x45\xDF\xA3\x9F\x42\x82\x84webm", 12)), QStringLiteral("video/webm"));
    EXPECT_EQ(mimeOf(dir, "OggS" + QByteArray(24, '\0') + "\x01vorbis"), QStringLiteral("audio/ogg"));
    EXPECT_EQ(mimeOf(dir, "fLaC" + QByteArray(30, '\0')), QStringLiteral("audio/flac"));
    EXPECT_EQ(mimeOf(dir, "ID3\x04" + QByteArray(30, '\0')), QStringLiteral("audio/mpeg"));
    EXPECT_EQ(mimeOf(dir, QByteArray("\xFF\xFB\x90\x64", 4) + QByteArray(400, '\0')), QStringLiteral("audio/mpeg"));  // a frame, no tag
}

TEST(FileTypes, OfficeFilesByWhatTheyHoldAndAPlainZipIsNone) {
    TempDir dir;
    const auto docx =
        sniffFileType(zipWith(dir, QStringLiteral("a.docx"), {QStringLiteral("[Content_Types].xml"), QStringLiteral("word/document.xml")}));
    ASSERT_TRUE(docx);
    EXPECT_EQ(docx->kind, FileKind::Document);
    EXPECT_EQ(docx->mime, QStringLiteral("application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
    const auto xlsx =
        sniffFileType(zipWith(dir, QStringLiteral("b.xlsx"), {QStringLiteral("[Content_Types].xml"), QStringLiteral("xl/workbook.xml")}));
    ASSERT_TRUE(xlsx);
    EXPECT_EQ(xlsx->mime, QStringLiteral("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    QString what;
    EXPECT_FALSE(sniffFileType(zipWith(dir, QStringLiteral("c.docx"), {QStringLiteral("readme.txt")}), &what));
    EXPECT_EQ(english(what), QStringLiteral("a ZIP archive"));
    // An older Word file: a compound file whose directory names a WordDocument stream.
    QByteArray cfb("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
    cfb += QByteArray(512 - 8, '\0');
    cfb[0x1E] = 9;  // 512-byte sectors
    cfb[0x30] = 0;  // the directory starts at sector 0, right after the header
    QByteArray entry(128, '\0');
    const QString stream = QStringLiteral("WordDocument");
    for (int i = 0; i < stream.size(); ++i) entry[2 * i] = static_cast<char>(stream[i].unicode());
    entry[64] = static_cast<char>((stream.size() + 1) * 2);
    cfb += entry + QByteArray(512 - 128, '\0');
    EXPECT_EQ(mimeOf(dir, cfb), QStringLiteral("application/msword"));
}

TEST(FileTypes, TextIsUtf8WithoutControlCharactersAndTheRestSaysWhatItIs) {
    TempDir dir;
    EXPECT_EQ(mimeOf(dir, QStringLiteral("会议纪要\r\n\t到会 12 人").toUtf8()), QStringLiteral("text/plain"));
    EXPECT_EQ(mimeOf(dir, QByteArray("\xC4\xE3\xBA\xC3", 4)), QString());  // GBK, not UTF-8
    QString what;
    EXPECT_FALSE(sniffFileType(dir.write(QStringLiteral("b.bmp"), "BM" + QByteArray(60, '\0')), &what));
    EXPECT_EQ(english(what), QStringLiteral("a BMP image, which attachments do not take (save it as PNG or JPEG)"));
    EXPECT_FALSE(sniffFileType(dir.write(QStringLiteral("e"), QByteArray()), &what));
    EXPECT_EQ(english(what), QStringLiteral("empty"));
}
