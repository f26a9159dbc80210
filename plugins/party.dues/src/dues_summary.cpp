// party.dues' reports (manifest <report>s summary and standing): a year's dues of the caller's
// scope, or of the unit picked in the tree, against what was due, in exact fen.

#include "dues_summary.hpp"

#include "dues_months.hpp"

#include <QDate>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <vector>

namespace party::dues {

namespace {

using tessera::FieldError;
using tessera::Params;
using tessera::Request;
using tessera::Response;

constexpr qint64 kMaxStandingRows = 20000;

// What a report was asked for: the year, its months to count, the unit picked.
struct Asked {
    int year = 0;
    int first = 0, last = 0;  // month counts: January, and December or the month it is now
    qint64 unit = 0;
    QString by;
};

std::optional<Asked> readParams(const Request& r, tessera::Context& ctx, bool withBy, QList<FieldError>& errors) {
    QStringList known{QStringLiteral("unit"), QStringLiteral("year")};
    if (withBy) known << QStringLiteral("by");
    tessera::refuseUnknownParams(r, known, errors);
    Asked a;
    a.unit = tessera::wholeNumberParam(r, QStringLiteral("unit"), 0, 1, std::numeric_limits<qint64>::max(), errors);
    const QDate today = ctx.clock().now().toLocalTime().date();
    a.year = static_cast<int>(tessera::wholeNumberParam(r, QStringLiteral("year"), today.year(), 1949, today.year(), errors));
    a.by = r.queryValue(QStringLiteral("by"), QStringLiteral("unit"));
    if (withBy && a.by != u"unit" && a.by != u"month")
        errors.append({QStringLiteral("by"), tessera::text("must be unit (by organisation) or month, not '%1'", a.by)});
    if (!errors.isEmpty()) return std::nullopt;
    a.first = a.year * 12;
    a.last = std::min(a.first + 11, monthOf(today));  // months to come are not due yet
    return a;
}

// The scope's condition on a unit column, narrowed to the unit picked.
QString inScope(const Request& r, const Asked& a, const QString& column, Params& params) {
    return a.unit ? r.scope->conditionWithin(column, a.unit, params) : r.scope->condition(column, params);
}

// One member's year: what each counted month was due and what was paid for it.
struct MemberYear {
    qint64 id = 0;
    QString name;
    qint64 unitId = 0;
    int from = 0, to = -1;  // the months counted: on the roll, and from the branch's start
    MemberDues dues;
    QString category;
    QString paidTo;
    int january = 0;                // the year's first month
    std::array<qint64, 12> paid{};  // fen paid for each month of the year
    void addPaid(int m, qint64 fen) {
        if (m >= january && m < january + 12) paid[static_cast<std::size_t>(m - january)] += fen;
    }
    qint64 due(int m) const { return m >= from && m <= to ? dues.dueFor(m).value_or(0) : 0; }
    qint64 paidFor(int m) const { return m >= from && m <= to && m >= january ? paid[static_cast<std::size_t>(m - january)] : 0; }
};

struct Year {
    std::vector<MemberYear> members;
    // Money received in the year by the unit that recorded it, by the month it was paid in.
    std::map<std::pair<qint64, int>, qint64> received, large;
};

// `limit`: at most that many members, else Error "dues.too_many" (before reading their dues).
tessera::Result<Year> readYear(const Request& r, const Asked& a, tessera::Context& ctx, qint64 limit = 0) {
    Year y;
    const QString yearStart = QStringLiteral("%1-01-01").arg(a.year), yearEnd = QStringLiteral("%1-12-31").arg(a.year);
    const QString firstMonth = monthText(a.first), lastMonth = monthText(a.last);
    // The members of the year: on the roll at some time in it.
    Params params{yearStart, yearEnd};
    const QString members =
        QStringLiteral("(p.left_date IS NULL OR p.left_date >= ?1) AND (p.join_date IS NULL OR p.join_date <= ?2) AND ") +
        inScope(r, a, QStringLiteral("p.unit_id"), params);
    auto rows = ctx.database().query(
        QStringLiteral("SELECT p.id, p.name, p.unit_id, p.left_date, s.start_month FROM party_members p "
                       "LEFT JOIN party_dues_starts s ON s.unit_id = p.unit_id WHERE %1 ORDER BY p.unit_id, p.name_sort, p.id%2")
            .arg(members, limit > 0 ? QStringLiteral(" LIMIT %1").arg(limit + 1) : QString()),
        params);
    if (!rows) return rows.error();
    if (limit > 0 && static_cast<qint64>(rows->size()) > limit)
        return tessera::Error{QStringLiteral("dues.too_many"),
                              tessera::text("more than %1 members for one table: pick an organisation in the tree", limit)};
    QHash<qint64, std::size_t> at;
    y.members.reserve(static_cast<std::size_t>(rows->size()));
    for (const auto& row : *rows) {
        MemberYear m;
        m.id = row.value(QStringLiteral("id")).toLongLong();
        m.name = row.value(QStringLiteral("name")).toString();
        m.unitId = row.value(QStringLiteral("unit_id")).toLongLong();
        m.january = a.first;
        m.from = std::max(a.first, monthIndex(row.value(QStringLiteral("start_month")).toString()).value_or(0));
        m.to = a.last;
        if (const QDate left = QDate::fromString(row.value(QStringLiteral("left_date")).toString(), Qt::ISODate); left.isValid())
            m.to = std::min(m.to, monthOf(left));
        at.insert(m.id, y.members.size());
        y.members.push_back(std::move(m));
    }
    auto each = [&](const QString& sql, const std::function<void(MemberYear&, const tessera::Row&)>& take) -> tessera::Status {
        auto found = ctx.database().query(sql.arg(members), params);
        if (!found) return found.error();
        for (const auto& row : *found)
            if (const auto i = at.constFind(row.value(QStringLiteral("member_id")).toLongLong()); i != at.constEnd())
                take(y.members[*i], row);
        return {};
    };
    auto bases = each(QStringLiteral("SELECT b.member_id, b.from_month, b.monthly, b.category FROM party_dues_profiles b "
                                     "JOIN party_members p ON p.id = b.member_id WHERE %1 ORDER BY b.from_month"),
                      [](MemberYear& m, const tessera::Row& row) {
                          if (const auto from = monthIndex(row.value(QStringLiteral("from_month")).toString())) {
                              m.dues.bases[*from] = Base{0, row.value(QStringLiteral("monthly")).toLongLong(), false};
                              m.category = row.value(QStringLiteral("category")).toString();  // the latest base's
                          }
                      });
    if (!bases) return bases.error();
    auto exemptions =
        each(QStringLiteral("SELECT e.member_id, e.from_month, e.to_month, e.kind, e.reduced_amount FROM party_dues_exemptions e "
                            "JOIN party_members p ON p.id = e.member_id WHERE %1"),
             [](MemberYear& m, const tessera::Row& row) {
                 const auto from = monthIndex(row.value(QStringLiteral("from_month")).toString());
                 const auto to = monthIndex(row.value(QStringLiteral("to_month")).toString());
                 if (from && to)
                     m.dues.exemptions.push_back({*from, *to, row.value(QStringLiteral("kind")).toString() == u"exempt",
                                                  row.value(QStringLiteral("reduced_amount")).toLongLong()});
             });
    if (!exemptions) return exemptions.error();
    // A payment's amount over its months: each month what it is due, the rest (none, unless
    // a base was changed by hand) on its last month, so that the sums are the money paid.
    params.push_back(firstMonth);
    params.push_back(lastMonth);
    const QString window = QStringLiteral(" AND y.to_month >= ?%1 AND y.from_month <= ?%2").arg(params.size() - 1).arg(params.size());
    auto payments = each(QStringLiteral("SELECT y.member_id, y.from_month, y.to_month, y.amount FROM party_dues_payments y "
                                        "JOIN party_members p ON p.id = y.member_id WHERE %1") +
                             window,
                         [](MemberYear& m, const tessera::Row& row) {
                             const auto from = monthIndex(row.value(QStringLiteral("from_month")).toString());
                             const auto to = monthIndex(row.value(QStringLiteral("to_month")).toString());
                             if (!from || !to || *to < *from) return;
                             qint64 rest = row.value(QStringLiteral("amount")).toLongLong();
                             for (int month = *from; month < *to; ++month) {
                                 const qint64 share = std::min(rest, m.dues.dueFor(month).value_or(0));
                                 m.addPaid(month, share);
                                 rest -= share;
                             }
                             m.addPaid(*to, rest);
                         });
    if (!payments) return payments.error();
    params.resize(params.size() - 2);
    auto paidTo = each(QStringLiteral("SELECT y.member_id, max(y.to_month) AS paid_to FROM party_dues_payments y "
                                      "JOIN party_members p ON p.id = y.member_id WHERE %1 GROUP BY y.member_id"),
                       [](MemberYear& m, const tessera::Row& row) { m.paidTo = row.value(QStringLiteral("paid_to")).toString(); });
    if (!paidTo) return paidTo.error();
    // Money received: ordinary dues and voluntary large dues apart, by who recorded them.
    for (auto [table, into] :
         {std::pair{QStringLiteral("party_dues_payments"), &y.received}, std::pair{QStringLiteral("party_dues_large"), &y.large}}) {
        Params p{yearStart, yearEnd};
        auto sums =
            ctx.database().query(QStringLiteral("SELECT unit_id, CAST(substr(paid_on, 6, 2) AS INTEGER) AS month, sum(amount) AS fen "
                                                "FROM %1 WHERE paid_on BETWEEN ?1 AND ?2 AND %2 GROUP BY 1, 2")
                                     .arg(table, inScope(r, a, QStringLiteral("unit_id"), p)),
                                 p);
        if (!sums) return sums.error();
        for (const auto& row : *sums)
            (*into)[{row.value(QStringLiteral("unit_id")).toLongLong(), a.first + row.value(QStringLiteral("month")).toInt() - 1}] +=
                row.value(QStringLiteral("fen")).toLongLong();
    }
    return y;
}

// Sums of a row: members counted, due, paid for those months, received, large dues.
struct Sums {
    qint64 members = 0, due = 0, paid = 0, received = 0, large = 0;
    void add(const Sums& o) {
        members += o.members;
        due += o.due;
        paid += o.paid;
        received += o.received;
        large += o.large;
    }
    QJsonObject json(const QString& label) const {
        QJsonObject o{{QStringLiteral("label"), label},
                      {QStringLiteral("members"), members},
                      {QStringLiteral("due"), yuan(due)},
                      {QStringLiteral("paid"), yuan(paid)},
                      {QStringLiteral("unpaid"), yuan(due - paid)},
                      {QStringLiteral("received"), yuan(received)},
                      {QStringLiteral("large"), yuan(large)}};
        if (due > 0) o.insert(QStringLiteral("rate"), tessera::formatDecimal(tessera::divideRoundingHalfUp(paid * 1000, due), 1));
        return o;
    }
};

}  // namespace

Response duesSummary(const Request& r, tessera::Context& ctx) {
    QList<FieldError> errors;
    const auto asked = readParams(r, ctx, true, errors);
    if (!asked) return Response::invalid(errors);
    auto year = readYear(r, *asked, ctx);
    if (!year) return Response::storageFailure(year.error(), tessera::text("the dues could not be summed"));
    QJsonArray items;
    Sums total;
    if (asked->by == u"month") {
        std::map<int, Sums> months;
        for (int m = asked->first; m <= asked->last; ++m) months[m];
        for (const MemberYear& member : year->members)
            for (int m = std::max(member.from, asked->first); m <= member.to; ++m) {
                if (!member.dues.dueFor(m)) continue;  // no base yet: not counted
                Sums& s = months[m];
                ++s.members;
                s.due += member.due(m);
                s.paid += member.paidFor(m);
            }
        for (const auto& [key, fen] : year->received) months[key.second].received += fen;
        for (const auto& [key, fen] : year->large) months[key.second].large += fen;
        for (const auto& [m, s] : months) {
            if (m > asked->last && s.received == 0 && s.large == 0) continue;
            items.append(s.json(monthText(m)));
            total.add(Sums{0, s.due, s.paid, s.received, s.large});
        }
        total.members = static_cast<qint64>(
            std::count_if(year->members.begin(), year->members.end(), [](const MemberYear& m) { return !m.dues.bases.empty(); }));
    } else {
        // By the organisation each member is in now; money received by the one that recorded it.
        std::map<qint64, Sums> units;
        for (const MemberYear& member : year->members) {
            Sums& s = units[member.unitId];
            ++s.members;
            for (int m = member.from; m <= member.to; ++m) {
                s.due += member.due(m);
                s.paid += member.paidFor(m);
            }
        }
        for (const auto& [key, fen] : year->received) units[key.first].received += fen;
        for (const auto& [key, fen] : year->large) units[key.first].large += fen;
        std::vector<std::pair<QString, qint64>> named;
        for (const auto& [unit, s] : units) named.push_back({tessera::unitPath(ctx.units(), unit), unit});
        std::sort(named.begin(), named.end());
        for (const auto& [path, unit] : named) {
            QJsonObject o = units[unit].json(path);
            o.insert(QStringLiteral("unitId"), unit);
            items.append(o);
            total.add(units[unit]);
        }
    }
    QJsonObject totals = total.json(tessera::text("total"));
    const QString by = asked->by == u"month" ? tessera::text("by month") : tessera::text("by organisation");
    const bool wholeYear = asked->last == asked->first + 11;
    return Response::json(QJsonObject{
        {QStringLiteral("title"), wholeYear
                                      ? tessera::text("dues collected in %1 (%2)", asked->year, by)
                                      : tessera::text("dues collected in %1 (%2, up to %3)", asked->year, by, monthText(asked->last))},
        {QStringLiteral("params"), QJsonObject{{QStringLiteral("year"), QString::number(asked->year)}, {QStringLiteral("by"), asked->by}}},
        {QStringLiteral("items"), items},
        {QStringLiteral("total"), totals}});
}

Response duesStanding(const Request& r, tessera::Context& ctx) {
    QList<FieldError> errors;
    const auto asked = readParams(r, ctx, false, errors);
    if (!asked) return Response::invalid(errors);
    auto year = readYear(r, *asked, ctx, kMaxStandingRows);
    if (!year && year.error().code == u"dues.too_many") return Response::invalid({{QStringLiteral("unit"), year.error().message}});
    if (!year) return Response::storageFailure(year.error(), tessera::text("the dues could not be summed"));
    const QHash<QString, QString> categories = ctx.dictionary(QStringLiteral("dues-category"));
    QJsonArray items;
    qint64 due = 0, paid = 0;
    QHash<qint64, QString> paths;
    for (const MemberYear& m : year->members) {
        qint64 memberDue = 0, memberPaid = 0, unpaidMonths = 0;
        for (int month = m.from; month <= m.to; ++month) {
            memberDue += m.due(month);
            memberPaid += m.paidFor(month);
            if (m.due(month) > 0 && m.paidFor(month) < m.due(month)) ++unpaidMonths;
        }
        due += memberDue;
        paid += memberPaid;
        auto path = paths.find(m.unitId);
        if (path == paths.end()) path = paths.insert(m.unitId, tessera::unitPath(ctx.units(), m.unitId));
        const Base* now = m.dues.bases.empty() ? nullptr : &std::prev(m.dues.bases.end())->second;
        QJsonObject o{{QStringLiteral("memberId"), m.id},
                      {QStringLiteral("name"), m.name},
                      {QStringLiteral("unit"), *path},
                      {QStringLiteral("unitId"), m.unitId},
                      {QStringLiteral("due"), yuan(memberDue)},
                      {QStringLiteral("paid"), yuan(memberPaid)},
                      {QStringLiteral("unpaid"), yuan(memberDue - memberPaid)},
                      {QStringLiteral("unpaidMonths"), unpaidMonths},
                      {QStringLiteral("paidTo"), m.paidTo}};
        if (!m.category.isEmpty()) o.insert(QStringLiteral("category"), categories.value(m.category, m.category));
        if (now) o.insert(QStringLiteral("monthly"), yuan(now->monthlyFen));
        items.append(o);
    }
    return Response::json(
        QJsonObject{{QStringLiteral("title"), asked->last == asked->first + 11
                                                  ? tessera::text("members' dues in %1", asked->year)
                                                  : tessera::text("members' dues in %1 (up to %2)", asked->year, monthText(asked->last))},
                    {QStringLiteral("params"), QJsonObject{{QStringLiteral("year"), QString::number(asked->year)}}},
                    {QStringLiteral("items"), items},
                    {QStringLiteral("total"), QJsonObject{{QStringLiteral("name"), tessera::text("total")},
                                                          {QStringLiteral("due"), yuan(due)},
                                                          {QStringLiteral("paid"), yuan(paid)},
                                                          {QStringLiteral("unpaid"), yuan(due - paid)}}}});
}

}  // namespace party::dues
