#include "runtime/log.hpp"

#include "runtime/messages.hpp"

#include <QFile>

#include <QDateTime>

#include <cstdio>

namespace tessera::host {

void Log::write(LogLevel level, const QString& message) {
    if (level < threshold_) return;
    static const char* const names[] = {"info", "warning", "error"};
    const QByteArray line = QStringLiteral("%1 %2 [%3] %4\n")
                                .arg(QDateTime::currentDateTimeUtc().toString(Qt::ISODate),
                                     QLatin1String(names[static_cast<int>(level)]), tag_,
                                     messages().render(message, Language::En))  // the log is in English
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

SystemClock::SystemClock() : file_(qEnvironmentVariable("TESSERA_TEST_CLOCK_FILE")) {}

QDateTime SystemClock::now() const {
    if (file_.isEmpty()) return QDateTime::currentDateTimeUtc();
    QFile f(file_);
    if (!f.open(QIODevice::ReadOnly)) return QDateTime::currentDateTimeUtc();
    const QDateTime t = QDateTime::fromString(QString::fromUtf8(f.readAll()).trimmed(), Qt::ISODateWithMs);
    return t.isValid() ? t.toUTC() : QDateTime::currentDateTimeUtc();
}

}  // namespace tessera::host
