#pragma once
// What party.dues' rules and summaries share: a record's values as text and fen, months as
// counts ("2026-11" <-> 2026*12+10), and a member's dues month by month from their bases and
// their reductions and exemptions. Money is integer fen throughout.

#include <tessera/tessera.hpp>

#include <QDate>

#include <iterator>
#include <map>
#include <optional>
#include <vector>

namespace party::dues {

inline QString text(const tessera::Record& r, const char* field) { return r.value(QLatin1String(field)).toString().trimmed(); }
inline qint64 number(const tessera::Record& r, const char* field) { return r.value(QLatin1String(field)).toInteger(); }
inline std::optional<qint64> fen(const tessera::Record& r, const char* field) {
    const QString t = text(r, field);
    return t.isEmpty() ? std::nullopt : tessera::parseDecimal(t, 2);
}
inline QString yuan(qint64 fen) { return tessera::formatDecimal(fen, 2); }

/// A month "2026-11" as a count of months (and back), to step through a payment's months.
inline std::optional<int> monthIndex(const QString& month) {
    const QDate d = QDate::fromString(month + QStringLiteral("-01"), Qt::ISODate);
    if (!d.isValid() || month.size() != 7) return std::nullopt;
    return d.year() * 12 + d.month() - 1;
}
inline QString monthText(int index) { return QStringLiteral("%1-%2").arg(index / 12).arg(index % 12 + 1, 2, 10, QLatin1Char('0')); }
inline int monthOf(const QDate& d) { return d.year() * 12 + d.month() - 1; }

/// Categories whose dues are a rate of a monthly base (the others pay a fixed amount).
inline bool hasBase(const QString& category) {
    return category == u"employed" || category == u"annual-salary" || category == u"self-employed" || category == u"retired";
}

/// A member's base from the month it applies: what each month from then is due.
struct Base {
    qint64 id = 0;
    qint64 monthlyFen = 0;
    bool quarterly = false;
};
/// The base that applies in `month`: the latest from that month or before; none before the first.
inline const Base* baseFor(const std::map<int, Base>& bases, int month) {
    auto it = bases.upper_bound(month);
    return it == bases.begin() ? nullptr : &std::prev(it)->second;
}

/// A reduction or exemption (少交/免交), approved: what the member owes in those months.
struct Exemption {
    int from = 0, to = 0;
    bool exempt = false;
    qint64 reducedFen = 0;
};

/// A member's dues: bases by the month each applies from, and reductions and exemptions.
struct MemberDues {
    std::map<int, Base> bases;
    std::vector<Exemption> exemptions;
    /// What month `m` is due, in fen; nullopt when the member has no base then (and no exemption).
    std::optional<qint64> dueFor(int m) const {
        for (const Exemption& e : exemptions)
            if (m >= e.from && m <= e.to) return e.exempt ? 0 : e.reducedFen;
        const Base* base = baseFor(bases, m);
        return base ? std::optional<qint64>(base->monthlyFen) : std::nullopt;
    }
};

}  // namespace party::dues
