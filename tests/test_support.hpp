#pragma once
// Shared helpers for the tests: temporary folders and files.

#include <QString>
#include <QTemporaryDir>

namespace tessera::test {

/// A fresh folder removed at the end of the test.
class TempDir {
public:
    TempDir();
    QString path() const { return dir_.path(); }
    QString file(const QString& name) const { return dir_.filePath(name); }
    /// Writes `content` to `name` (creating sub-folders) and returns its absolute path.
    QString write(const QString& name, const QByteArray& content) const;

private:
    QTemporaryDir dir_;
};

}  // namespace tessera::test
