#pragma once
// The host's one logger: timestamped lines on stderr, tagged with who wrote them.

#include <tessera/context.hpp>

#include <QString>

#include <exception>

namespace tessera::host {

enum class LogLevel { Info, Warning, Error, Quiet };

/// Writes "2026-11-25T12:00:00Z warning [biz.customers] message" to stderr.
class Log final : public tessera::Logger {
public:
    explicit Log(QString tag = QStringLiteral("host"), LogLevel threshold = LogLevel::Info)
        : tag_(std::move(tag)), threshold_(threshold) {}
    Log tagged(const QString& tag) const { return Log(tag, threshold_); }

    void info(const QString& message) override { write(LogLevel::Info, message); }
    void warning(const QString& message) override { write(LogLevel::Warning, message); }
    void error(const QString& message) override { write(LogLevel::Error, message); }
    void setThreshold(LogLevel level) { threshold_ = level; }

private:
    void write(LogLevel level, const QString& message);
    QString tag_;
    LogLevel threshold_;
};

/// What an exception caught with catch (...) says, for logs and failure reasons.
QString describeException(const std::exception_ptr& e);

/// The real clock.
class SystemClock final : public tessera::Clock {
public:
    /// With TESSERA_TEST_CLOCK_FILE set (tests only: the SDK's tessera::testing kit sets it),
    /// the time is read from that file (an ISO date-time; its last write wins), so a test can
    /// move the host's clock; else the system's.
    SystemClock();
    QDateTime now() const override;
    bool fromFile() const { return !file_.isEmpty(); }

private:
    QString file_;
};

}  // namespace tessera::host
