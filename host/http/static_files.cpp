#include "http/static_files.hpp"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QUrl>

namespace tessera::host::http {

namespace {

QByteArray contentType(const QString& suffix) {
    static const QHash<QString, QByteArray> types{
        {QStringLiteral("html"), "text/html; charset=utf-8"},
        {QStringLiteral("js"), "text/javascript; charset=utf-8"},
        {QStringLiteral("mjs"), "text/javascript; charset=utf-8"},
        {QStringLiteral("css"), "text/css; charset=utf-8"},
        {QStringLiteral("json"), "application/json"},
        {QStringLiteral("svg"), "image/svg+xml"},
        {QStringLiteral("png"), "image/png"},
        {QStringLiteral("jpg"), "image/jpeg"},
        {QStringLiteral("jpeg"), "image/jpeg"},
        {QStringLiteral("gif"), "image/gif"},
        {QStringLiteral("webp"), "image/webp"},
        {QStringLiteral("ico"), "image/x-icon"},
        {QStringLiteral("woff"), "font/woff"},
        {QStringLiteral("woff2"), "font/woff2"},
        {QStringLiteral("ttf"), "font/ttf"},
        {QStringLiteral("txt"), "text/plain; charset=utf-8"},
        {QStringLiteral("map"), "application/json"},
    };
    return types.value(suffix.toLower(), "application/octet-stream");
}

}  // namespace

StaticFiles::StaticFiles(QString root) : root_(QDir::cleanPath(QFileInfo(root).absoluteFilePath())) {}

bool StaticFiles::available() const { return QFileInfo::exists(root_ + QStringLiteral("/index.html")); }

tessera::Response StaticFiles::serve(const QString& urlPath) const {
    const QString decoded = QUrl::fromPercentEncoding(urlPath.toUtf8());
    if (decoded.contains(QChar(0)) || decoded.contains(QStringLiteral("..")))
        return tessera::Response::notFound(tessera::text("no such file"));
    QString path = QDir::cleanPath(root_ + QLatin1Char('/') + decoded);
    if (path != root_ && !path.startsWith(root_ + QLatin1Char('/'))) return tessera::Response::notFound(tessera::text("no such file"));
    QFileInfo info(path);
    const bool isShellRoute = info.suffix().isEmpty();
    if (info.isDir() || (!info.exists() && isShellRoute)) info = QFileInfo(root_ + QStringLiteral("/index.html"));
    if (!info.isFile()) return tessera::Response::notFound(tessera::text("no file %1", urlPath));
    QFile f(info.filePath());
    if (!f.open(QIODevice::ReadOnly)) return tessera::Response::notFound(tessera::text("no file %1", urlPath));
    auto r = tessera::Response::raw(f.readAll(), contentType(info.suffix()));
    const bool immutable = info.filePath().startsWith(root_ + QStringLiteral("/assets/"));
    r.withHeader("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
    r.withHeader("X-Content-Type-Options", "nosniff");
    if (info.suffix() == QStringLiteral("html")) {
        // The shell talks only to its own origin.
        r.withHeader("Content-Security-Policy",
                     "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");
    }
    return r;
}

}  // namespace tessera::host::http
