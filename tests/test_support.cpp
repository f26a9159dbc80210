#include "test_support.hpp"

#include "runtime/messages.hpp"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <stdexcept>

namespace tessera::test {

QString english(const QString& message) { return host::messages().render(message, host::Language::En); }

TempDir::TempDir() : dir_(QDir::tempPath() + QStringLiteral("/tessera-test-XXXXXX")) {
    if (!dir_.isValid()) throw std::runtime_error("cannot create a temporary folder");
}

QString TempDir::write(const QString& name, const QByteArray& content) const {
    const QString path = dir_.filePath(name);
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) throw std::runtime_error("cannot write " + path.toStdString());
    f.write(content);
    return path;
}

}  // namespace tessera::test
