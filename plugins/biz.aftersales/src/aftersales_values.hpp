#pragma once
// What biz.aftersales' rules, reports and charts read the same way: a record's values as the
// API shows them, local times, and the year and scope a statistic is asked for.

#include <tessera/tessera.hpp>

#include <QDateTime>

#include <optional>

namespace biz::aftersales {

inline QString text(const tessera::Record& r, const char* field) { return r.value(QLatin1String(field)).toString().trimmed(); }
inline qint64 number(const tessera::Record& r, const char* field) { return r.value(QLatin1String(field)).toInteger(); }
/// A stored moment ("2026-06-10T09:00:00") as the local time it is.
inline QDateTime localTime(const QString& iso) {
    QDateTime t = QDateTime::fromString(iso, Qt::ISODate);
    t.setTimeSpec(Qt::LocalTime);
    return t;
}

/// Today on the deployment's clock, as a date field holds it ("2026-06-10").
inline QString today(tessera::Context& ctx) { return ctx.clock().now().toLocalTime().date().toString(Qt::ISODate); }

/// GET ...?year=&unit=: the year asked for (default this year, 2000 at the earliest), and an
/// SQL condition on `unit_id` for the caller's scope (within `unit` and below when given),
/// with the year as ?1 and the condition's own parameters after it.
struct YearInScope {
    qint64 year = 0;
    QString inScope;
    tessera::Params params;
};
/// nullopt, with the 422 in `refused`, for a bad year or unit or any other parameter.
std::optional<YearInScope> yearInScope(const tessera::Request& r, tessera::Context& ctx, tessera::Response& refused);

}  // namespace biz::aftersales
