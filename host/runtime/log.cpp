#include "runtime/log.hpp"

#include <QDateTime>

#include <cstdio>

namespace tessera::host {

void Log::write(LogLevel level, const QString& message) {
    if (level < threshold_) return;
    static const char* const names[] = {"info", "warning", "error"};
    const QByteArray line = QStringLiteral("%1 %2 [%3] %4\n")
                                .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate),
                                     QLatin1String(names[static_cast<int>(level)]), tag_, message)
                                .toUtf8();
    std::fwrite(line.constData(), 1, static_cast<std::size_t>(line.size()), stderr);
}

QString describeException(const std::exception_ptr& e) {
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        return QString::fromUtf8(ex.what());
    } catch (...) {
        return QStringLiteral("unknown exception");
    }
}

}  // namespace tessera::host
