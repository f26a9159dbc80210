#pragma once
// Serves the web shell's built files from one folder: exact files with their content type,
// index.html for paths without an extension (the shell's own routes), nothing outside the
// folder. Hashed assets (assets/*) may be cached for good; everything else is revalidated.

#include <tessera/http.hpp>

#include <QString>

namespace tessera::host::http {

class StaticFiles {
public:
    explicit StaticFiles(QString root);
    bool available() const;  // the folder exists and holds index.html
    const QString& root() const { return root_; }
    tessera::Response serve(const QString& urlPath) const;

private:
    QString root_;
};

}  // namespace tessera::host::http
