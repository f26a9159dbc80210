#pragma once
// What a file is, from its bytes (magic numbers), never from its name or what a client says:
// the type of an attachment (docs/records.md, "Attachments"). Images: JPEG, PNG, GIF, WebP;
// video: MP4, QuickTime, WebM, Matroska, Ogg video; audio: MP3, M4A, WAV, Ogg, FLAC;
// documents: PDF, Word, Excel and PowerPoint (OOXML, checked by the zip's entries, and the
// older compound files), plain UTF-8 text.

#include <QString>
#include <QStringList>

#include <optional>

namespace tessera::host {

/// The four kinds an attachment field accepts.
enum class FileKind { Image, Video, Audio, Document };

/// "image", "video", "audio", "document".
QString fileKindName(FileKind kind);
std::optional<FileKind> fileKindFromName(const QString& name);
/// Every kind's name, as a manifest's accept="..." lists them.
QStringList fileKindNames();

/// A file's type as its bytes say.
struct FileType {
    FileKind kind = FileKind::Document;
    QString mime;         // "image/png"
    QString description;  // for people: "a PNG image", a tessera::text
    /// Whether a browser shows it in place (images, video, audio, PDF) rather than saving it.
    bool inline_() const { return kind != FileKind::Document || mime == u"application/pdf"; }
};

/// What the file at `path` is; nullopt when its bytes are of no type attachments take (then
/// `unknown` says what it looks like, for the refusal: "a ZIP archive", "not a type we know").
std::optional<FileType> sniffFileType(const QString& path, QString* unknown = nullptr);

}  // namespace tessera::host
