#include "services/file_types.hpp"

#include <tessera/text.hpp>

#include <QFile>
#include <QStringDecoder>

#include <zip.h>

#include <array>
#include <cstring>

namespace tessera::host {

namespace {

constexpr std::array<std::pair<FileKind, const char16_t*>, 4> kKinds{
    {{FileKind::Image, u"image"}, {FileKind::Video, u"video"}, {FileKind::Audio, u"audio"}, {FileKind::Document, u"document"}}};

bool startsWith(const QByteArray& head, const char* magic, qsizetype at = 0) {
    const auto n = static_cast<qsizetype>(std::strlen(magic));
    return head.size() >= at + n && std::memcmp(head.constData() + at, magic, static_cast<std::size_t>(n)) == 0;
}

FileType typed(FileKind kind, const char* mime, QString description) {
    return FileType{kind, QString::fromLatin1(mime), std::move(description)};
}

// An MPEG audio frame header: sync, a layer, a bitrate and a sample rate that exist.
bool mpegAudioFrame(const QByteArray& h) {
    if (h.size() < 4) return false;
    const auto b1 = static_cast<unsigned char>(h[1]), b2 = static_cast<unsigned char>(h[2]);
    return static_cast<unsigned char>(h[0]) == 0xFF && (b1 & 0xE0) == 0xE0 && ((b1 >> 1) & 3) != 0 && ((b1 >> 3) & 3) != 1 &&
           (b2 >> 4) != 0xF && (b2 >> 4) != 0 && ((b2 >> 2) & 3) != 3;
}

// ISO base media (ftyp box): MP4 and M4A, QuickTime; HEIF images are not for browsers.
std::optional<FileType> isoMedia(const QByteArray& head, QString* unknown) {
    const QByteArray brand = head.mid(8, 4);
    if (brand == "M4A " || brand == "M4B " || brand == "M4P ")
        return typed(FileKind::Audio, "audio/mp4", tessera::text("an M4A audio file"));
    if (brand == "qt  ") return typed(FileKind::Video, "video/quicktime", tessera::text("a QuickTime video"));
    if (brand == "heic" || brand == "heix" || brand == "mif1" || brand == "msf1" || brand == "avif") {
        if (unknown) *unknown = tessera::text("a HEIF or AVIF image, which browsers do not show (save it as JPEG)");
        return std::nullopt;
    }
    return typed(FileKind::Video, "video/mp4", tessera::text("an MP4 video"));
}

// An Office Open XML document is a zip whose entries say which.
std::optional<FileType> officeOpenXml(const QString& path, QString* unknown) {
    int error = 0;
    zip_t* zip = zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY, &error);
    auto has = [&](const char* name) { return zip && zip_name_locate(zip, name, 0) >= 0; };
    std::optional<FileType> out;
    if (has("[Content_Types].xml")) {
        if (has("word/document.xml"))
            out = typed(FileKind::Document, "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        tessera::text("a Word document"));
        else if (has("xl/workbook.xml"))
            out = typed(FileKind::Document, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        tessera::text("an Excel workbook"));
        else if (has("ppt/presentation.xml"))
            out = typed(FileKind::Document, "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                        tessera::text("a PowerPoint presentation"));
    }
    if (zip) zip_discard(zip);
    if (!out && unknown) *unknown = tessera::text("a ZIP archive");
    return out;
}

// An older Office file (a compound file): its first directory sector names the streams.
std::optional<FileType> compoundFile(QFile& f) {
    const QByteArray header = (f.seek(0), f.read(512));
    auto u32 = [](const QByteArray& b, int at) {
        return static_cast<quint32>(static_cast<unsigned char>(b[at])) | static_cast<quint32>(static_cast<unsigned char>(b[at + 1])) << 8 |
               static_cast<quint32>(static_cast<unsigned char>(b[at + 2])) << 16 |
               static_cast<quint32>(static_cast<unsigned char>(b[at + 3])) << 24;
    };
    QString mime = QStringLiteral("application/x-ole-storage");
    QString description = tessera::text("an older Office document");
    if (header.size() == 512) {
        const int shift = static_cast<unsigned char>(header[0x1E]);
        const quint32 firstDirectory = u32(header, 0x30);
        if ((shift == 9 || shift == 12) && firstDirectory < 0xFFFFFFFA) {
            const qint64 sector = qint64{1} << shift;
            if (f.seek((qint64{firstDirectory} + 1) * sector)) {
                const QByteArray directory = f.read(sector);
                for (int at = 0; at + 128 <= directory.size(); at += 128) {
                    const int bytes = std::min<int>(64, static_cast<unsigned char>(directory[at + 64]));
                    const QString name =
                        QString::fromUtf16(reinterpret_cast<const char16_t*>(directory.constData() + at), std::max(0, bytes / 2 - 1));
                    if (name == u"WordDocument")
                        mime = QStringLiteral("application/msword"), description = tessera::text("a Word document");
                    else if (name == u"Workbook" || name == u"Book")
                        mime = QStringLiteral("application/vnd.ms-excel"), description = tessera::text("an Excel workbook");
                    else if (name == u"PowerPoint Document")
                        mime = QStringLiteral("application/vnd.ms-powerpoint"), description = tessera::text("a PowerPoint presentation");
                }
            }
        }
    }
    return FileType{FileKind::Document, mime, description};
}

// Plain text: UTF-8 (an incomplete character where the sample ends is fine), no control
// characters but tabs, line and page breaks.
bool plainText(QByteArray sample, bool whole) {
    if (sample.isEmpty()) return false;
    if (!whole) {
        // Drop a character the sample cut in two.
        qsizetype lead = sample.size() - 1;
        while (lead > 0 && sample.size() - lead < 4 && (static_cast<unsigned char>(sample[lead]) & 0xC0) == 0x80) --lead;
        const auto b = static_cast<unsigned char>(sample[lead]);
        const qsizetype need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        if (sample.size() - lead < need) sample.truncate(lead);
    }
    for (char c : sample) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && u != '\t' && u != '\n' && u != '\r' && u != '\f') || u == 0x7F) return false;
    }
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = utf8.decode(sample);
    Q_UNUSED(decoded);
    return !utf8.hasError();
}

}  // namespace

QString fileKindName(FileKind kind) {
    for (const auto& [k, name] : kKinds)
        if (k == kind) return QString::fromUtf16(name);
    return {};
}

std::optional<FileKind> fileKindFromName(const QString& name) {
    for (const auto& [k, n] : kKinds)
        if (name == QStringView(n)) return k;
    return std::nullopt;
}

QStringList fileKindNames() {
    QStringList out;
    for (const auto& [k, name] : kKinds) out << QString::fromUtf16(name);
    return out;
}

std::optional<FileType> sniffFileType(const QString& path, QString* unknown) {
    if (unknown) *unknown = tessera::text("of no type we know");
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return std::nullopt;
    constexpr qint64 kSample = 64 * 1024;
    const QByteArray head = f.read(kSample);
    if (head.isEmpty()) {
        if (unknown) *unknown = tessera::text("empty");
        return std::nullopt;
    }
    if (startsWith(head, "\xFF\xD8\xFF")) return typed(FileKind::Image, "image/jpeg", tessera::text("a JPEG image"));
    if (startsWith(head, "\x89PNG\r\n\x1A\n")) return typed(FileKind::Image, "image/png", tessera::text("a PNG image"));
    if (startsWith(head, "GIF87a") || startsWith(head, "GIF89a")) return typed(FileKind::Image, "image/gif", tessera::text("a GIF image"));
    if (startsWith(head, "RIFF") && startsWith(head, "WEBP", 8)) return typed(FileKind::Image, "image/webp", tessera::text("a WebP image"));
    if (startsWith(head, "RIFF") && startsWith(head, "WAVE", 8))
        return typed(FileKind::Audio, "audio/wav", tessera::text("a WAV audio file"));
    if (startsWith(head, "ftyp", 4)) return isoMedia(head, unknown);
    if (startsWith(head, "\x1A\x45\xDF\xA3")) {
        if (head.left(64).contains("webm")) return typed(FileKind::Video, "video/webm", tessera::text("a WebM video"));
        return typed(FileKind::Video, "video/x-matroska", tessera::text("a Matroska video"));
    }
    if (startsWith(head, "OggS")) {
        if (head.left(512).contains("\x80theora")) return typed(FileKind::Video, "video/ogg", tessera::text("an Ogg video"));
        return typed(FileKind::Audio, "audio/ogg", tessera::text("an Ogg audio file"));
    }
    if (startsWith(head, "fLaC")) return typed(FileKind::Audio, "audio/flac", tessera::text("a FLAC audio file"));
    if (startsWith(head, "ID3") || mpegAudioFrame(head)) return typed(FileKind::Audio, "audio/mpeg", tessera::text("an MP3 audio file"));
    if (startsWith(head, "%PDF-")) return typed(FileKind::Document, "application/pdf", tessera::text("a PDF document"));
    if (startsWith(head, "PK\x03\x04")) return officeOpenXml(path, unknown);
    if (startsWith(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")) return compoundFile(f);
    if (plainText(head, f.atEnd())) return typed(FileKind::Document, "text/plain", tessera::text("a text file"));
    if (unknown) {
        if (startsWith(head, "BM"))
            *unknown = tessera::text("a BMP image, which attachments do not take (save it as PNG or JPEG)");
        else if (head.startsWith(QByteArray("II*\0", 4)) || head.startsWith(QByteArray("MM\0*", 4)))
            *unknown = tessera::text("a TIFF image, which attachments do not take (save it as PNG or JPEG)");
        else if (startsWith(head, "RIFF") && startsWith(head, "AVI ", 8))
            *unknown = tessera::text("an AVI video, which browsers do not play (save it as MP4)");
        else if (startsWith(head,
                            "\x7F"
                            "ELF") ||
                 startsWith(head, "MZ"))
            *unknown = tessera::text("a program");
    }
    return std::nullopt;
}

}  // namespace tessera::host
