#include "dues_rules.hpp"

#include "dues_months.hpp"

#include <QDate>
#include <QJsonArray>

#include <algorithm>
#include <array>
#include <map>
#include <vector>

namespace party::dues {

namespace {

using tessera::FieldError;
using tessera::Record;

tessera::Result<std::map<int, Base>> basesOf(qint64 memberId, tessera::Context& ctx) {
    auto rows = ctx.database().query(
        QStringLiteral("SELECT id, from_month, monthly, quarterly FROM party_dues_profiles WHERE member_id = ?1"), {memberId});
    if (!rows) return rows.error();
    std::map<int, Base> out;
    for (const auto& row : *rows)
        if (const auto m = monthIndex(row.value(QStringLiteral("from_month")).toString()))
            out[*m] = Base{row.value(QStringLiteral("id")).toLongLong(), row.value(QStringLiteral("monthly")).toLongLong(),
                           row.value(QStringLiteral("quarterly")).toBool()};
    return out;
}

tessera::Result<MemberDues> duesOf(qint64 memberId, qint64 exceptExemption, tessera::Context& ctx) {
    auto bases = basesOf(memberId, ctx);
    if (!bases) return bases.error();
    MemberDues out{std::move(*bases), {}};
    auto rows = ctx.database().query(QStringLiteral("SELECT from_month, to_month, kind, reduced_amount FROM party_dues_exemptions "
                                                    "WHERE member_id = ?1 AND id <> ?2"),
                                     {memberId, exceptExemption});
    if (!rows) return rows.error();
    for (const auto& row : *rows) {
        const auto from = monthIndex(row.value(QStringLiteral("from_month")).toString());
        const auto to = monthIndex(row.value(QStringLiteral("to_month")).toString());
        if (from && to)
            out.exemptions.push_back({*from, *to, row.value(QStringLiteral("kind")).toString() == u"exempt",
                                      row.value(QStringLiteral("reduced_amount")).toLongLong()});
    }
    return out;
}

// The name and organisation a record of a member's dues takes from the member (kept theirs).
void fillMember(Record& draft, const Record* stored, tessera::Context& ctx) {
    if (stored) draft.insert(QStringLiteral("memberId"), stored->value(QStringLiteral("memberId")));
    auto member = ctx.records().read(kMemberCard, number(draft, "memberId"));
    if (member && !member->isEmpty()) {
        draft.insert(QStringLiteral("memberName"), member->value(QStringLiteral("name")));
        draft.insert(QStringLiteral("unitId"), member->value(QStringLiteral("unitId")));
    }
}

// A payment's member: the name, and the member's organisation (memberUnitId), which is also the
// payment's own (unitId, who collected it) unless the engine finds the member flowing in to
// the recorder's organisation and sets that (<through> in the manifest). An edit keeps both.
void fillPaymentMember(Record& draft, const Record* stored, tessera::Context& ctx) {
    if (stored) {
        for (const char* field : {"memberId", "memberUnitId", "unitId"})
            draft.insert(QLatin1String(field), stored->value(QLatin1String(field)));
        return;
    }
    auto member = ctx.records().read(kMemberCard, number(draft, "memberId"));
    if (member && !member->isEmpty()) {
        draft.insert(QStringLiteral("memberName"), member->value(QStringLiteral("name")));
        draft.insert(QStringLiteral("memberUnitId"), member->value(QStringLiteral("unitId")));
        draft.insert(QStringLiteral("unitId"), member->value(QStringLiteral("unitId")));
    }
}

// The first payment of a member over any of the months from..to: {from, to, paid on}.
using PaidMonths = std::optional<std::array<QString, 3>>;
tessera::Result<PaidMonths> paidWithin(qint64 memberId, qint64 except, const QString& from, const QString& to, tessera::Context& ctx) {
    auto paid = ctx.database().queryOne(QStringLiteral("SELECT from_month, to_month, paid_on FROM party_dues_payments WHERE member_id = ?1 "
                                                       "AND id <> ?2 AND from_month <= ?4 AND to_month >= ?3 ORDER BY from_month LIMIT 1"),
                                        {memberId, except, from, to});
    if (!paid) return paid.error();
    if (paid->isEmpty()) return PaidMonths();
    return PaidMonths(std::array<QString, 3>{paid->value(QStringLiteral("from_month")).toString(),
                                             paid->value(QStringLiteral("to_month")).toString(),
                                             paid->value(QStringLiteral("paid_on")).toString()});
}

// The last month a member has paid up to ("" when none), leaving payment `except` out.
tessera::Result<QString> paidTo(qint64 memberId, qint64 except, tessera::Context& ctx) {
    auto row = ctx.database().queryOne(
        QStringLiteral("SELECT max(to_month) AS m FROM party_dues_payments WHERE member_id = ?1 AND id <> ?2"), {memberId, except});
    if (!row) return row.error();
    return row->value(QStringLiteral("m")).toString();
}

// The first month a member has not paid: after the last paid, from their first base and their
// branch's start month, whichever is latest; nullopt when it cannot be read.
std::optional<int> firstUnpaid(qint64 memberId, qint64 unitId, qint64 except, const MemberDues& dues, tessera::Context& ctx) {
    auto paid = paidTo(memberId, except, ctx);
    auto start = ctx.database().queryOne(QStringLiteral("SELECT start_month FROM party_dues_starts WHERE unit_id = ?1"), {unitId});
    if (!paid || !start || dues.bases.empty()) return std::nullopt;
    int first = dues.bases.begin()->first;
    if (const auto p = monthIndex(*paid)) first = std::max(first, *p + 1);
    if (const auto s = monthIndex(start->value(QStringLiteral("start_month")).toString())) first = std::max(first, *s);
    return first;
}

// The member a record is about, read as the system; empty when there is none, or when the
// caller may not read them (the engine refuses the reference then).
tessera::Result<Record> memberOf(const Record& draft, const tessera::Request* r, tessera::Context& ctx) {
    auto member = ctx.records().read(kMemberCard, number(draft, "memberId"));
    if (!member) return member.error();
    if (r && (!r->access || !r->access->scope(QStringLiteral("party.daily.read")).contains(number(*member, "unitId")))) return Record{};
    return member;
}

}  // namespace

std::optional<int> ratePerMille(const QString& category, qint64 baseFen) {
    if (category == u"retired") return baseFen <= 500000 ? 5 : 10;
    if (!hasBase(category)) return std::nullopt;
    if (baseFen <= 300000) return 5;
    if (baseFen <= 500000) return 10;
    if (baseFen <= 1000000) return 15;
    return 20;
}

std::optional<qint64> monthlyFen(const QString& category, std::optional<qint64> baseFen, std::optional<qint64> fixedFen) {
    if (hasBase(category)) {
        if (!baseFen) return std::nullopt;
        return tessera::divideRoundingHalfUp(*baseFen * *ratePerMille(category, *baseFen), 1000);
    }
    if (category == u"farmer") return fixedFen;
    if (category == u"student" || category == u"unemployed" || category == u"relief") return 20;
    return std::nullopt;
}

void deriveProfile(Record& draft, const Record* stored, tessera::Context& ctx) {
    fillMember(draft, stored, ctx);
    const QString category = text(draft, "category");
    const auto base = fen(draft, "base");
    const auto rate = base ? ratePerMille(category, *base) : std::nullopt;
    draft.insert(QStringLiteral("ratePercent"), rate ? QJsonValue(tessera::formatDecimal(*rate, 1)) : QJsonValue());
    const auto monthly = monthlyFen(category, base, fen(draft, "fixedAmount"));
    draft.insert(QStringLiteral("monthly"), monthly ? QJsonValue(yuan(*monthly)) : QJsonValue());
}

QList<FieldError> checkProfile(const Record& draft, const Record* stored, const tessera::Request& r, tessera::Context& ctx) {
    QList<FieldError> errors;
    const QString category = text(draft, "category");
    if (hasBase(category)) {
        if (!fen(draft, "base"))
            errors.append(
                {QStringLiteral("base"), tessera::text("is required for this category: the monthly income dues are counted from")});
        if (fen(draft, "fixedAmount"))
            errors.append({QStringLiteral("fixedAmount"), tessera::text("is only for farmers, who choose 0.20 to 1.00 yuan a month")});
    } else {
        if (fen(draft, "base"))
            errors.append({QStringLiteral("base"), tessera::text("is not counted for this category: it pays a fixed amount")});
        if (category == u"farmer" && !fen(draft, "fixedAmount"))
            errors.append({QStringLiteral("fixedAmount"), tessera::text("is required for a farmer: 0.20 to 1.00 yuan a month")});
        if (category != u"farmer" && fen(draft, "fixedAmount"))
            errors.append({QStringLiteral("fixedAmount"), tessera::text("is only for farmers, who choose 0.20 to 1.00 yuan a month")});
    }
    auto member = memberOf(draft, &r, ctx);
    if (!member) return {{QStringLiteral("memberId"), tessera::text("could not be checked: %1", member.error().message)}};
    if (member->isEmpty()) return errors;
    const qint64 memberId = number(draft, "memberId");
    const QString from = text(draft, "fromMonth");
    const auto fromIndex = monthIndex(from);
    if (!fromIndex) return errors;  // the pattern says what is wrong
    // Dues are due from the month the member joined (a probationary member: from the branch
    // general meeting's approval, the join date on the member card).
    const QDate joined = QDate::fromString(text(*member, "joinDate"), Qt::ISODate);
    if (joined.isValid() && *fromIndex < monthOf(joined))
        errors.append({QStringLiteral("fromMonth"), tessera::text("%1 joined the party on %2: dues are due from %3", text(*member, "name"),
                                                                  text(*member, "joinDate"), monthText(monthOf(joined)))});
    auto paid = paidTo(memberId, 0, ctx);
    if (!paid) return {{QStringLiteral("fromMonth"), tessera::text("could not be checked: %1", paid.error().message)}};
    const bool changesDues = !stored || text(*stored, "fromMonth") != from || text(*stored, "category") != category ||
                             text(*stored, "base") != text(draft, "base") || text(*stored, "fixedAmount") != text(draft, "fixedAmount");
    if (changesDues && !paid->isEmpty()) {
        // A base applies from the month it is first paid: never to months paid already, and a
        // base months were paid at stays.
        if (from <= *paid)
            errors.append({QStringLiteral("fromMonth"), tessera::text("dues up to %1 are paid; a new base applies from %2 at the earliest",
                                                                      *paid, monthText(*monthIndex(*paid) + 1))});
        else if (stored && text(*stored, "fromMonth") <= *paid)
            errors.append({QStringLiteral("fromMonth"), tessera::text("dues were paid at this base; record a new base from %1 instead",
                                                                      monthText(*monthIndex(*paid) + 1))});
    }
    auto same =
        ctx.database().queryOne(QStringLiteral("SELECT id FROM party_dues_profiles WHERE member_id = ?1 AND from_month = ?2 AND id <> ?3"),
                                {memberId, from, number(draft, "id")});
    if (!same)
        errors.append({QStringLiteral("fromMonth"), tessera::text("could not be checked: %1", same.error().message)});
    else if (!same->isEmpty())
        errors.append(
            {QStringLiteral("fromMonth"), tessera::text("%1 has a base from %2 already; change that one", text(*member, "name"), from)});
    return errors;
}

void derivePayment(Record& draft, const Record* stored, tessera::Context& ctx) {
    fillPaymentMember(draft, stored, ctx);
    auto dues = duesOf(number(draft, "memberId"), 0, ctx);
    // Months left empty: from the first month not paid, to that month (or to the month given).
    if (text(draft, "fromMonth").isEmpty() && dues && !dues->bases.empty()) {
        auto first = firstUnpaid(number(draft, "memberId"), number(draft, "memberUnitId"), number(draft, "id"), *dues, ctx);
        if (first) draft.insert(QStringLiteral("fromMonth"), monthText(*first));
    }
    if (text(draft, "toMonth").isEmpty() && !text(draft, "fromMonth").isEmpty())
        draft.insert(QStringLiteral("toMonth"), text(draft, "fromMonth"));
    const auto from = monthIndex(text(draft, "fromMonth")), to = monthIndex(text(draft, "toMonth"));
    draft.insert(QStringLiteral("expected"), QJsonValue());
    if (!from || !to || *to < *from || *to - *from >= 120 || !dues) return;
    qint64 total = 0;
    for (int m = *from; m <= *to; ++m) {
        const auto due = dues->dueFor(m);
        if (!due) return;
        total += *due;
    }
    draft.insert(QStringLiteral("expected"), yuan(total));
    // An amount left empty is what the months are due.
    if (text(draft, "amount").isEmpty()) draft.insert(QStringLiteral("amount"), yuan(total));
}

QList<FieldError> checkPayment(const Record& draft, const Record* stored, const tessera::Request&, tessera::Context& ctx) {
    (void)stored;
    QList<FieldError> errors;
    // The engine checked that the member is within the recorder's reach (their own, or
    // flowing in to them) before these rules.
    auto member = memberOf(draft, nullptr, ctx);
    if (!member) return {{QStringLiteral("memberId"), tessera::text("could not be checked: %1", member.error().message)}};
    if (member->isEmpty()) return errors;
    const QString name = text(*member, "name");
    if (text(draft, "fromMonth").isEmpty())  // not given, and no base to count from
        return {{QStringLiteral("fromMonth"), tessera::text("%1 has no dues base: record the base first", name)}};
    const auto from = monthIndex(text(draft, "fromMonth")), to = monthIndex(text(draft, "toMonth"));
    if (!from || !to) return errors;  // the pattern says what is wrong
    if (*to < *from) {
        // Left to the server, the first month comes after those paid: say that they are paid.
        auto paid = paidTo(number(draft, "memberId"), number(draft, "id"), ctx);
        if (paid && !paid->isEmpty() && *paid >= text(draft, "toMonth"))
            return {{QStringLiteral("toMonth"), tessera::text("%1 has paid up to %2 already", name, *paid)}};
        return {{QStringLiteral("toMonth"), tessera::text("%1 is before %2", text(draft, "toMonth"), text(draft, "fromMonth"))}};
    }
    if (*to - *from >= 120) return {{QStringLiteral("toMonth"), tessera::text("a payment covers at most 120 months")}};
    auto dues = duesOf(number(draft, "memberId"), 0, ctx);
    if (!dues) return {{QStringLiteral("fromMonth"), tessera::text("could not be checked: %1", dues.error().message)}};
    qint64 due = 0;
    for (int m = *from; m <= *to; ++m) {
        const auto owed = dues->dueFor(m);
        if (!owed) {
            errors.append(
                {QStringLiteral("fromMonth"), tessera::text("%1 has no dues base for %2: record the base first", name, monthText(m))});
            return errors;
        }
        due += *owed;
    }
    if (const auto amount = fen(draft, "amount"); amount && *amount != due)
        errors.append({QStringLiteral("amount"), tessera::text("%1 to %2 are due %3 yuan; the payment says %4", text(draft, "fromMonth"),
                                                               text(draft, "toMonth"), yuan(due), yuan(*amount))});
    // Not in advance: up to the month paid in, or the rest of its quarter with the branch's consent.
    const QDate paidOn = QDate::fromString(text(draft, "paidOn"), Qt::ISODate);
    if (paidOn.isValid() && *to > monthOf(paidOn)) {
        const Base* base = baseFor(dues->bases, monthOf(paidOn));  // the consent is the base's
        const int quarterEnd = monthOf(paidOn) - (paidOn.month() - 1) % 3 + 2;
        if (!base || !base->quarterly || *to > quarterEnd)
            errors.append({QStringLiteral("toMonth"),
                           base && base->quarterly
                               ? tessera::text("%1 is after the quarter paid in: dues are paid in advance only to its end (%2)",
                                               text(draft, "toMonth"), monthText(quarterEnd))
                               : tessera::text("%1 is after the month paid in: dues are not paid in advance unless the branch "
                                               "agreed to payment by the quarter",
                                               text(draft, "toMonth"))});
    }
    // Not twice, nor after the member left the roll.
    auto paid = paidWithin(number(draft, "memberId"), number(draft, "id"), text(draft, "fromMonth"), text(draft, "toMonth"), ctx);
    if (!paid)
        errors.append({QStringLiteral("fromMonth"), tessera::text("could not be checked: %1", paid.error().message)});
    else if (*paid)
        errors.append(
            {QStringLiteral("fromMonth"), tessera::text("%1 to %2 are paid already (on %3)", (**paid)[0], (**paid)[1], (**paid)[2])});
    const QDate left = QDate::fromString(text(*member, "leftDate"), Qt::ISODate);
    if (left.isValid() && *to > monthOf(left))
        errors.append({QStringLiteral("toMonth"), tessera::text("%1 left the roll on %2", name, text(*member, "leftDate"))});
    return errors;
}

QList<FieldError> warnPayment(const Record& saved, tessera::Context& ctx) {
    const auto from = monthIndex(text(saved, "fromMonth"));
    const QDate paidOn = QDate::fromString(text(saved, "paidOn"), Qt::ISODate);
    const int allowed = ctx.setting(QStringLiteral("back-payment-months")).toInt();
    if (!from || !paidOn.isValid()) return {};
    const int back = monthOf(paidOn) - *from;
    if (back <= allowed) return {};
    return {{QStringLiteral("fromMonth"), tessera::text("pays %1 months back; back payment is normally at most %2 months", back, allowed)}};
}

void deriveExemption(Record& draft, const Record* stored, tessera::Context& ctx) { fillMember(draft, stored, ctx); }

QList<FieldError> checkExemption(const Record& draft, const Record* stored, const tessera::Request& r, tessera::Context& ctx) {
    (void)stored;
    QList<FieldError> errors;
    const auto from = monthIndex(text(draft, "fromMonth")), to = monthIndex(text(draft, "toMonth"));
    if (from && to && *to < *from)
        errors.append({QStringLiteral("toMonth"), tessera::text("%1 is before %2", text(draft, "toMonth"), text(draft, "fromMonth"))});
    if (text(draft, "approvedOn") < text(draft, "decidedOn"))
        errors.append({QStringLiteral("approvedOn"),
                       tessera::text("%1 is before the branch decided (%2): the higher committee approves the branch's decision",
                                     text(draft, "approvedOn"), text(draft, "decidedOn"))});
    const bool reduce = text(draft, "kind") == u"reduce";
    const auto reduced = fen(draft, "reducedAmount");
    if (reduce && !reduced) errors.append({QStringLiteral("reducedAmount"), tessera::text("is required for a reduction")});
    if (!reduce && reduced)
        errors.append({QStringLiteral("reducedAmount"), tessera::text("is only for a reduction: an exempt member pays nothing")});
    auto member = memberOf(draft, &r, ctx);
    if (!member) return {{QStringLiteral("memberId"), tessera::text("could not be checked: %1", member.error().message)}};
    if (member->isEmpty() || !from || !to || *to < *from) return errors;
    const qint64 memberId = number(draft, "memberId");
    auto dues = duesOf(memberId, number(draft, "id"), ctx);
    if (!dues) return {{QStringLiteral("fromMonth"), tessera::text("could not be checked: %1", dues.error().message)}};
    for (const Exemption& e : dues->exemptions)
        if (e.from <= *to && e.to >= *from) {
            errors.append(
                {QStringLiteral("fromMonth"), tessera::text("%1 to %2 are reduced or exempt already", monthText(e.from), monthText(e.to))});
            break;
        }
    // A reduction is less than what the months are due.
    if (reduce && reduced)
        for (int m = *from; m <= *to; ++m)
            if (const Base* base = baseFor(dues->bases, m); base && *reduced >= base->monthlyFen) {
                errors.append({QStringLiteral("reducedAmount"),
                               tessera::text("is not less than the %1 yuan due in %2", yuan(base->monthlyFen), monthText(m))});
                break;
            }
    auto paid = paidWithin(memberId, 0, text(draft, "fromMonth"), text(draft, "toMonth"), ctx);
    if (!paid)
        errors.append({QStringLiteral("fromMonth"), tessera::text("could not be checked: %1", paid.error().message)});
    else if (*paid)
        errors.append(
            {QStringLiteral("fromMonth"), tessera::text("%1 to %2 are paid already (on %3)", (**paid)[0], (**paid)[1], (**paid)[2])});
    return errors;
}

void deriveLarge(Record& draft, const Record* stored, tessera::Context& ctx) { fillMember(draft, stored, ctx); }

QList<FieldError> checkLarge(const Record& draft) {
    const QString remitted = text(draft, "remittedOn");
    if (!remitted.isEmpty() && remitted < text(draft, "paidOn"))
        return {{QStringLiteral("remittedOn"), tessera::text("%1 is before it was paid (%2)", remitted, text(draft, "paidOn"))}};
    return {};
}

QList<FieldError> checkStart(const Record& draft, tessera::Context& ctx) {
    auto other = ctx.database().queryOne(QStringLiteral("SELECT start_month FROM party_dues_starts WHERE unit_id = ?1 AND id <> ?2"),
                                         {number(draft, "unitId"), number(draft, "id")});
    if (!other) return {{QStringLiteral("unitId"), tessera::text("could not be checked: %1", other.error().message)}};
    if (!other->isEmpty())
        return {{QStringLiteral("unitId"), tessera::text("records dues from %1 already; change that record",
                                                         other->value(QStringLiteral("start_month")).toString())}};
    return {};
}

namespace {
// A "2026-11" column as a count of months, in SQL.
QString monthSql(const QString& column) {
    return QStringLiteral("(CAST(substr(%1, 1, 4) AS INTEGER) * 12 + CAST(substr(%1, 6, 2) AS INTEGER) - 1)").arg(column);
}
}  // namespace

tessera::Result<std::vector<Arrears>> arrears(const QString& scopeWhere, tessera::Params params, const QDate& date, tessera::Context& ctx) {
    const int last = monthOf(date) - 1;  // the last whole month
    const qint64 months = ctx.setting(QStringLiteral("arrears-months")).toInt();
    params.push_back(last);
    const QString lastParam = QStringLiteral("?%1").arg(params.size());
    params.push_back(months);
    const QString monthsParam = QStringLiteral("?%1").arg(params.size());
    // From the month after the last paid, the first base, or the branch's start, whichever is
    // latest, to the last whole month; less the exempt months in between. Each lookup turns its
    // month into a number inside its own subquery, so that each runs once per member: a column
    // of m used twice (as monthSql does) would run its subquery twice, since SQLite copies m's
    // expressions into the outer query. max() is NULL for a member without a base. The last
    // month paid is one look in the index the payment card declares (indexes="memberId toMonth").
    const QString sql =
        QStringLiteral(
            "WITH m AS (SELECT p.id, p.name, p.unit_id, max("
            "  (SELECT %2 FROM party_dues_profiles b WHERE b.member_id = p.id), "
            "  coalesce((SELECT %3 + 1 FROM party_dues_payments y WHERE y.member_id = p.id), 0), "
            "  coalesce((SELECT %4 FROM party_dues_starts s WHERE s.unit_id = p.unit_id), 0)) AS from_i "
            "  FROM party_members p WHERE p.left_date IS NULL AND %1), "
            "u AS (SELECT id, name, unit_id, %5 - from_i + 1 - coalesce((SELECT sum(min(%6, %5) - max(%7, m.from_i) + 1) "
            "  FROM party_dues_exemptions e WHERE e.member_id = m.id AND e.kind = 'exempt' AND %6 >= m.from_i AND %7 <= %5), 0) AS unpaid "
            "  FROM m WHERE from_i <= %5 + 1 - %8) "
            "SELECT id, name, unit_id, unpaid FROM u WHERE unpaid >= %8 ORDER BY unpaid DESC, id")
            .arg(scopeWhere, monthSql(QStringLiteral("min(b.from_month)")), monthSql(QStringLiteral("max(y.to_month)")),
                 monthSql(QStringLiteral("s.start_month")), lastParam, monthSql(QStringLiteral("e.to_month")),
                 monthSql(QStringLiteral("e.from_month")), monthsParam);
    auto rows = ctx.database().query(sql, params);
    if (!rows) return rows.error();
    std::vector<Arrears> out;
    out.reserve(static_cast<size_t>(rows->size()));
    for (const auto& row : *rows)
        out.push_back({row.value(QStringLiteral("id")).toLongLong(), row.value(QStringLiteral("name")).toString(),
                       row.value(QStringLiteral("unit_id")).toLongLong(), row.value(QStringLiteral("unpaid")).toLongLong()});
    return out;
}

tessera::Response arrearsList(const tessera::Request& r, tessera::Context& ctx) {
    QList<FieldError> errors;
    tessera::refuseUnknownParams(r, {QStringLiteral("unit"), QStringLiteral("date")}, errors);
    const qint64 unit = tessera::wholeNumberParam(r, QStringLiteral("unit"), 0, 1, std::numeric_limits<qint64>::max(), errors);
    QDate date = ctx.clock().now().toLocalTime().date();
    if (const QString d = r.queryValue(QStringLiteral("date")); !d.isEmpty()) {
        date = QDate::fromString(d, Qt::ISODate);
        if (!date.isValid()) errors.append({QStringLiteral("date"), tessera::text("must be a date like 2026-11-25")});
    }
    if (!errors.isEmpty()) return tessera::Response::invalid(errors);
    tessera::Params params;
    const QString where = unit ? r.scope->conditionWithin(QStringLiteral("p.unit_id"), unit, params)
                               : r.scope->condition(QStringLiteral("p.unit_id"), params);
    auto found = arrears(where, params, date, ctx);
    if (!found) return tessera::Response::storageFailure(found.error(), tessera::text("the arrears could not be counted"));
    QJsonArray items;
    for (const Arrears& a : *found)
        items.append(
            QJsonObject{{QStringLiteral("key"), QString::number(a.memberId)},
                        {QStringLiteral("label"), QStringLiteral("%1（%2）").arg(a.name, tessera::unitPath(ctx.units(), a.unitId))},
                        {QStringLiteral("value"), a.months}});
    return tessera::Response::json(
        QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("total"), static_cast<qint64>(found->size())}});
}

tessera::Result<std::vector<tessera::Reminder>> arrearsReminder(const tessera::ReminderRequest& r, tessera::Context& ctx) {
    tessera::Params params;
    const QString where = r.scope.conditionWithin(QStringLiteral("p.unit_id"), r.unitId, params);
    auto found = arrears(where, params, r.date, ctx);
    if (!found) return found.error();
    std::vector<tessera::Reminder> out;
    if (!found->empty())
        out.push_back({tessera::text("%1 members have paid no dues for %2 months or more in a row", static_cast<qint64>(found->size()),
                                     ctx.setting(QStringLiteral("arrears-months")).toInt()),
                       QStringLiteral("warning"),
                       QStringLiteral("/m/party.dues/arrears?unit=%1").arg(r.unitId),
                       {}});
    return out;
}

tessera::Result<QString> checkArrears(const QString& period, tessera::Context& ctx) {
    const QDate first = QDate::fromString(period + QStringLiteral("-01"), Qt::ISODate);
    if (!first.isValid()) return tessera::Error{QStringLiteral("dues.period"), QStringLiteral("not a month: %1").arg(period)};
    qint64 count = 0;
    auto s = ctx.database().transaction([&]() -> tessera::Status {
        auto found = arrears(QStringLiteral("1=1"), {}, first, ctx);
        if (!found) return found.error();
        if (auto gone = ctx.database().execute(QStringLiteral("DELETE FROM party_dues_arrears WHERE month = ?1"), {period}); !gone)
            return gone.error();
        for (const Arrears& a : *found)
            if (auto in = ctx.database().execute(
                    QStringLiteral("INSERT INTO party_dues_arrears (month, member_id, unit_id, months) VALUES (?1, ?2, ?3, ?4)"),
                    {period, a.memberId, a.unitId, a.months});
                !in)
                return in.error();
        count = static_cast<qint64>(found->size());
        return {};
    });
    if (!s) return s.error();
    return tessera::text("%1 members in arrears when %2 began", count, period);
}

tessera::Result<QJsonValue> paidUpTo(qint64 memberId, tessera::Context& ctx) {
    auto paid = paidTo(memberId, 0, ctx);
    if (!paid) return paid.error();
    return paid->isEmpty() ? QJsonValue() : QJsonValue(*paid);
}

tessera::Result<QJsonArray> memberDues(qint64 memberId, const tessera::Request& r, tessera::Context& ctx) {
    tessera::Params params{memberId};
    const QString inScope = r.scope->condition(QStringLiteral("unit_id"), params);
    tessera::Params paymentParams{memberId};
    // Payments the member's organisation reads: those it collected, and those collected where the member flowed.
    const QString paidInScope = u'(' + r.scope->condition(QStringLiteral("unit_id"), paymentParams) + QStringLiteral(" OR ") +
                                r.scope->condition(QStringLiteral("member_unit_id"), paymentParams) + u')';
    auto base = ctx.database().queryOne(
        QStringLiteral("SELECT category, base, rate_percent, monthly, from_month FROM party_dues_profiles WHERE member_id = ?1 AND %1 "
                       "ORDER BY from_month DESC LIMIT 1")
            .arg(inScope),
        params);
    if (!base) return base.error();
    auto last = ctx.database().queryOne(
        QStringLiteral(
            "SELECT max(to_month) AS paid_to, (SELECT paid_on || ' ' || to_month FROM party_dues_payments p WHERE p.member_id = ?1 "
            "ORDER BY paid_on DESC, id DESC LIMIT 1) AS last FROM party_dues_payments WHERE member_id = ?1 AND %1")
            .arg(paidInScope),
        paymentParams);
    if (!last) return last.error();
    QJsonArray out;
    auto row = [&](const QString& item, const QString& value) {
        if (!value.isEmpty()) out.append(QJsonObject{{QStringLiteral("item"), item}, {QStringLiteral("value"), value}});
    };
    if (!base->isEmpty()) {
        row(tessera::text("category"),
            ctx.dictionary(QStringLiteral("dues-category")).value(base->value(QStringLiteral("category")).toString()));
        if (!base->value(QStringLiteral("base")).isNull())
            row(tessera::text("monthly base"), tessera::text("%1 yuan", yuan(base->value(QStringLiteral("base")).toLongLong())));
        if (!base->value(QStringLiteral("rate_percent")).isNull())
            row(tessera::text("rate"), tessera::formatDecimal(base->value(QStringLiteral("rate_percent")).toLongLong(), 1) + u'%');
        row(tessera::text("due each month"), tessera::text("%1 yuan, from %2", yuan(base->value(QStringLiteral("monthly")).toLongLong()),
                                                           base->value(QStringLiteral("from_month")).toString()));
    }
    row(tessera::text("paid up to"), last->value(QStringLiteral("paid_to")).toString());
    auto checked = ctx.database().queryOne(QStringLiteral("SELECT month, months FROM party_dues_arrears WHERE member_id = ?1 AND %1 "
                                                          "AND month = (SELECT max(month) FROM party_dues_arrears) ")
                                               .arg(inScope),
                                           params);
    if (!checked) return checked.error();
    if (!checked->isEmpty())
        row(tessera::text("in arrears"),
            tessera::text("%1 months unpaid in a row when %2 began", checked->value(QStringLiteral("months")).toLongLong(),
                          checked->value(QStringLiteral("month")).toString()));
    return out;
}

}  // namespace party::dues
