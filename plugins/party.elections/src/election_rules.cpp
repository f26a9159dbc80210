#include "election_rules.hpp"

#include <QDate>
#include <QJsonArray>
#include <QUrlQuery>

namespace party::elections {

namespace {

using tessera::FieldError;
using tessera::Record;

QString text(const Record& r, const char* field) { return r.value(QLatin1String(field)).toString().trimmed(); }
qint64 number(const Record& r, const char* field) { return r.value(QLatin1String(field)).toInteger(); }
QDate date(const Record& r, const char* field) { return QDate::fromString(text(r, field), Qt::ISODate); }
QString iso(const QDate& d) { return d.toString(Qt::ISODate); }

QString unitPath(qint64 id, tessera::Context& ctx) { return tessera::unitPath(ctx.units(), id); }

// The usual length of a term for an organisation of `orgType` (the settings): 5 years for a
// grassroots committee, 3 for a general branch or a branch, 5 for all in villages and
// communities.
int usualYears(const QString& orgType, bool community, tessera::Context& ctx) {
    if (community) return ctx.setting(QStringLiteral("term-years-community")).toInt();
    if (orgType == u"committee") return ctx.setting(QStringLiteral("term-years-committee")).toInt();
    if (orgType == u"general-branch") return ctx.setting(QStringLiteral("term-years-general-branch")).toInt();
    return ctx.setting(QStringLiteral("term-years-branch")).toInt();
}

// The overlap of a post from `from` to `to` (empty: still held) with the term's other posts,
// as SQL over party_posts: a post that ended on the day another began does not overlap it.
const char* kOverlaps = "(to_date IS NULL OR to_date > ?3) AND (?4 = '' OR from_date < ?4)";

}  // namespace

void deriveTerm(Record& draft, const Record* stored, tessera::Context& ctx) {
    if (stored) draft.insert(QStringLiteral("unitId"), stored->value(QStringLiteral("unitId")));
    const qint64 unitId = number(draft, "unitId");
    auto org = unitId > 0 ? ctx.records().read(kOrgCard, unitId) : tessera::Result<Record>(Record{});
    if (!org || org->isEmpty()) return;
    if (number(draft, "years") <= 0)
        draft.insert(QStringLiteral("years"), usualYears(text(*org, "orgType"), draft.value(QStringLiteral("community")).toBool(), ctx));
    auto unit = ctx.units().get(unitId);
    if (number(draft, "number") > 0)
        draft.insert(QStringLiteral("title"),
                     tessera::text("%1, term %2", unit ? unit->name : text(*org, "fullName"), number(draft, "number")));
    const QDate start = date(draft, "startedOn");
    if (!start.isValid()) return;
    QDate ends = start.addYears(static_cast<int>(number(draft, "years")));
    const int months = static_cast<int>(number(draft, "adjustMonths"));
    if (text(draft, "adjustment") == u"extended") ends = ends.addMonths(months);
    if (text(draft, "adjustment") == u"advanced") ends = ends.addMonths(-months);
    draft.insert(QStringLiteral("endsOn"), iso(ends));
}

QList<FieldError> checkTerm(const Record& draft, const Record* stored, tessera::Context& ctx) {
    QList<FieldError> errors;
    const qint64 unitId = number(draft, "unitId");
    auto org = ctx.records().read(kOrgCard, unitId);
    if (!org) return {{QStringLiteral("unitId"), tessera::text("could not be checked: %1", org.error().message)}};
    if (org->isEmpty()) return {{QStringLiteral("unitId"), tessera::text("has no party organisation card")}};
    // An extension or advance is approved by the higher committee: who, when, and by how much.
    if (!text(draft, "adjustment").isEmpty()) {
        for (const char* needed : {"adjustMonths", "approvedBy", "approvedOn"})
            if (text(draft, needed).isEmpty() && number(draft, needed) <= 0)
                errors.append({QLatin1String(needed), tessera::text("is required for an extension or advance of the term")});
        if (!text(draft, "approvedOn").isEmpty() && text(draft, "approvedOn") < text(draft, "startedOn"))
            errors.append({QStringLiteral("approvedOn"),
                           tessera::text("%1 is before the term began (%2)", text(draft, "approvedOn"), text(draft, "startedOn"))});
    } else {
        for (const char* only : {"adjustMonths", "approvedBy", "approvedOn", "approvalDocument"})
            if (!text(draft, only).isEmpty() && !(number(draft, only) == 0 && draft.value(QLatin1String(only)).isDouble()))
                errors.append({QLatin1String(only), tessera::text("is only for an extension or advance of the term; choose which first")});
    }
    // One term per number, and the terms in the order of their numbers.
    const qint64 id = number(draft, "id"), n = number(draft, "number");
    auto around = ctx.database().queryOne(
        QStringLiteral("SELECT (SELECT started_on FROM party_terms WHERE unit_id = ?1 AND number = ?2 AND id <> ?3) AS same, "
                       "(SELECT max(started_on) FROM party_terms WHERE unit_id = ?1 AND number < ?2 AND id <> ?3) AS before, "
                       "(SELECT min(started_on) FROM party_terms WHERE unit_id = ?1 AND number > ?2 AND id <> ?3) AS after"),
        {unitId, n, id});
    if (!around) return {{QStringLiteral("number"), tessera::text("could not be checked: %1", around.error().message)}};
    const QString started = text(draft, "startedOn");
    if (const QString same = around->value(QStringLiteral("same")).toString(); !same.isEmpty())
        errors.append(
            {QStringLiteral("number"), tessera::text("term %1 of this organisation is recorded already (it began on %2)", n, same)});
    else if (const QString before = around->value(QStringLiteral("before")).toString(); !before.isEmpty() && started <= before)
        errors.append({QStringLiteral("startedOn"), tessera::text("%1 is not after the previous term began (%2)", started, before)});
    else if (const QString after = around->value(QStringLiteral("after")).toString(); !after.isEmpty() && started >= after)
        errors.append({QStringLiteral("startedOn"), tessera::text("%1 is not before the next term began (%2)", started, after)});
    // Its posts were taken after it began.
    if (stored && started != text(*stored, "startedOn")) {
        auto early = ctx.database().queryOne(QStringLiteral("SELECT min(from_date) AS first FROM party_posts WHERE term_id = ?1"), {id});
        if (!early) return {{QStringLiteral("startedOn"), tessera::text("could not be checked: %1", early.error().message)}};
        if (const QString first = early->value(QStringLiteral("first")).toString(); !first.isEmpty() && first < started)
            errors.append({QStringLiteral("startedOn"), tessera::text("a post of this term was taken on %1, before it", first)});
    }
    return errors;
}

QList<FieldError> warnTerm(const Record& saved, tessera::Context& ctx) {
    auto org = ctx.records().read(kOrgCard, number(saved, "unitId"));
    if (!org || org->isEmpty()) return {};
    const int usual = usualYears(text(*org, "orgType"), saved.value(QStringLiteral("community")).toBool(), ctx);
    if (number(saved, "years") == usual) return {};
    return {{QStringLiteral("years"), tessera::text("a term of such an organisation is usually %1 years", usual)}};
}

void derivePost(Record& draft, const Record* stored, tessera::Context& ctx) {
    if (stored) {  // a post is of one member in one term
        draft.insert(QStringLiteral("termId"), stored->value(QStringLiteral("termId")));
        draft.insert(QStringLiteral("memberId"), stored->value(QStringLiteral("memberId")));
    }
    if (const qint64 termId = number(draft, "termId"); termId > 0) {
        auto term = ctx.records().read(kTermCard, termId);
        if (term && !term->isEmpty()) draft.insert(QStringLiteral("unitId"), term->value(QStringLiteral("unitId")));
    }
    if (const qint64 memberId = number(draft, "memberId"); memberId > 0) {
        auto member = ctx.records().read(kMemberCard, memberId);
        if (member && !member->isEmpty()) draft.insert(QStringLiteral("memberName"), member->value(QStringLiteral("name")));
    }
}

QList<FieldError> checkPost(const Record& draft, const Record* stored, const tessera::Request& r, tessera::Context& ctx) {
    (void)stored;
    QList<FieldError> errors;
    auto term = ctx.records().read(kTermCard, number(draft, "termId"));
    if (!term) return {{QStringLiteral("termId"), tessera::text("could not be checked: %1", term.error().message)}};
    if (term->isEmpty()) return errors;  // the engine refuses a term that does not exist
    const QString from = text(draft, "fromDate"), to = text(draft, "toDate");
    if (!from.isEmpty() && from < text(*term, "startedOn"))
        errors.append({QStringLiteral("fromDate"), tessera::text("%1 is before the term began (%2)", from, text(*term, "startedOn"))});
    if (!to.isEmpty() && to < from)
        errors.append({QStringLiteral("toDate"), tessera::text("%1 is before the post was taken (%2)", to, from)});
    if (!to.isEmpty() && text(draft, "endReason").isEmpty())
        errors.append({QStringLiteral("endReason"), tessera::text("is required when the post ended")});
    if (to.isEmpty() && !text(draft, "endReason").isEmpty())
        errors.append({QStringLiteral("toDate"), tessera::text("is required with the reason the post ended")});

    auto member = ctx.records().read(kMemberCard, number(draft, "memberId"));
    if (!member) return {{QStringLiteral("memberId"), tessera::text("could not be checked: %1", member.error().message)}};
    // A member the caller may not read: the engine says it does not exist.
    if (member->isEmpty() || !r.access || !r.access->scope(QStringLiteral("party.daily.read")).contains(number(*member, "unitId")))
        return errors;
    const QString name = text(*member, "name");
    if (text(*member, "category") == u"probationary")
        errors.append({QStringLiteral("memberId"),
                       tessera::text("%1 is a probationary member, who cannot be elected or hold a committee post", name)});
    const qint64 org = number(*term, "unitId");
    if (to.isEmpty()) {  // who holds a post now is on the roll, in the organisation or below it
        if (!text(*member, "leftDate").isEmpty())
            errors.append({QStringLiteral("memberId"), tessera::text("%1 left the roll on %2", name, text(*member, "leftDate"))});
        else if (!tessera::unitWithin(ctx.units(), number(*member, "unitId"), org))
            errors.append({QStringLiteral("memberId"), tessera::text("%1 is a member of %2, not of %3 or an organisation below it", name,
                                                                     unitPath(number(*member, "unitId"), ctx), unitPath(org, ctx))});
    }
    // One secretary at a time, and one post per member, in a term.
    const QString overlaps = QString::fromLatin1(kOverlaps);
    const tessera::Params params{number(draft, "termId"), number(draft, "id"), from, to};
    if (text(draft, "post") == u"secretary") {
        auto other = ctx.database().queryOne(
            QStringLiteral("SELECT member_name, from_date FROM party_posts WHERE term_id = ?1 AND id <> ?2 AND post = 'secretary' AND ") +
                overlaps,
            params);
        if (!other)
            errors.append({QStringLiteral("post"), tessera::text("could not be checked: %1", other.error().message)});
        else if (!other->isEmpty())
            errors.append({QStringLiteral("post"), tessera::text("%1 is the term's secretary from %2; record when that post ended first",
                                                                 other->value(QStringLiteral("member_name")).toString(),
                                                                 other->value(QStringLiteral("from_date")).toString())});
    }
    tessera::Params mine = params;
    mine.push_back(number(draft, "memberId"));
    auto held = ctx.database().queryOne(
        QStringLiteral("SELECT post, from_date FROM party_posts WHERE term_id = ?1 AND id <> ?2 AND member_id = ?5 AND ") + overlaps, mine);
    if (!held)
        errors.append({QStringLiteral("memberId"), tessera::text("could not be checked: %1", held.error().message)});
    else if (!held->isEmpty())
        errors.append({QStringLiteral("memberId"),
                       tessera::text("%1 holds the post of %2 in this term from %3 already", name,
                                     ctx.dictionary(QStringLiteral("post")).value(held->value(QStringLiteral("post")).toString()),
                                     held->value(QStringLiteral("from_date")).toString())});
    return errors;
}

QList<FieldError> warnPost(const Record& saved, tessera::Context& ctx) {
    auto n = ctx.database().queryOne(QStringLiteral("SELECT count(*) AS n FROM party_posts WHERE term_id = ?1 AND to_date IS NULL"),
                                     {number(saved, "termId")});
    if (!n) return {};
    const qint64 members = n->value(QStringLiteral("n")).toLongLong();
    const int most = ctx.setting(QStringLiteral("committee-max")).toInt();
    const int usualMin = ctx.setting(QStringLiteral("committee-usual-min")).toInt();
    const int usualMax = ctx.setting(QStringLiteral("committee-usual-max")).toInt();
    if (members > most)
        return {{QStringLiteral("termId"),
                 tessera::text("the committee has %1 members, more than %2: that needs the higher committee's approval", members, most)}};
    if (members > usualMax)
        return {{QStringLiteral("termId"),
                 tessera::text("the committee has %1 members; it usually has %2 to %3", members, usualMin, usualMax)}};
    return {};
}

tessera::Status markLatest(tessera::Context& ctx) {
    // Which term of each organisation is its current one (the highest number): derived, kept
    // beside the record like a sort key, for the list's 本届 filter and the reminders.
    auto done = ctx.database().execute(
        QStringLiteral("UPDATE party_terms SET latest = NOT EXISTS (SELECT 1 FROM party_terms n WHERE n.unit_id = party_terms.unit_id "
                       "AND n.number > party_terms.number) WHERE latest IS NOT (NOT EXISTS (SELECT 1 FROM party_terms n "
                       "WHERE n.unit_id = party_terms.unit_id AND n.number > party_terms.number))"));
    if (!done) return done.error();
    return {};
}

tessera::Result<std::vector<tessera::Reminder>> expiringTerms(const tessera::ReminderRequest& r, tessera::Context& ctx) {
    const int days = ctx.setting(QStringLiteral("expiry-notice-days")).toInt();
    tessera::Params params{iso(r.date), iso(r.date.addDays(days))};
    const QString where = r.scope.conditionWithin(QStringLiteral("unit_id"), r.unitId, params);
    auto row =
        ctx.database().queryOne(QStringLiteral("SELECT coalesce(sum(CASE WHEN ends_on < ?1 THEN 1 ELSE 0 END), 0) AS expired, "
                                               "coalesce(sum(CASE WHEN ends_on >= ?1 AND ends_on <= ?2 THEN 1 ELSE 0 END), 0) AS expiring "
                                               "FROM party_terms WHERE latest = 1 AND how = 'elected' AND ") +
                                    where,
                                params);
    if (!row) return row.error();
    auto list = [&](const QString& from, const QString& to) {
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("unit"), QString::number(r.unitId));
        q.addQueryItem(QStringLiteral("latest"), QStringLiteral("1"));
        q.addQueryItem(QStringLiteral("how"), QStringLiteral("elected"));
        if (!from.isEmpty()) q.addQueryItem(QStringLiteral("endsOnFrom"), from);
        q.addQueryItem(QStringLiteral("endsOnTo"), to);
        return QStringLiteral("/m/party.elections/terms?") + q.toString(QUrl::FullyEncoded);
    };
    std::vector<tessera::Reminder> out;
    if (const qint64 expired = row->value(QStringLiteral("expired")).toLongLong())
        out.push_back({tessera::text("%1 committees' terms have expired without a new election", expired),
                       QStringLiteral("urgent"),
                       list({}, iso(r.date.addDays(-1))),
                       {}});
    if (const qint64 expiring = row->value(QStringLiteral("expiring")).toLongLong())
        out.push_back({tessera::text("%1 committees' terms expire within %2 days", expiring, days),
                       QStringLiteral("warning"),
                       list(iso(r.date), iso(r.date.addDays(days))),
                       {}});
    return out;
}

tessera::Result<QJsonArray> orgTerms(qint64 orgId, const tessera::Request& r, tessera::Context& ctx) {
    tessera::Params params{orgId};
    const QString inScope = r.scope->condition(QStringLiteral("unit_id"), params);
    auto terms = ctx.database().query(
        QStringLiteral("SELECT id, title, started_on, ends_on, latest FROM party_terms WHERE unit_id = ?1 AND %1 ORDER BY number DESC")
            .arg(inScope),
        params);
    if (!terms) return terms.error();
    const auto posts = ctx.dictionary(QStringLiteral("post"));
    const QString today = iso(ctx.clock().now().toLocalTime().date());
    QJsonArray out;
    for (const auto& t : *terms) {
        const qint64 id = t.value(QStringLiteral("id")).toLongLong();
        auto held = ctx.database().query(
            QStringLiteral("SELECT member_name, post FROM party_posts WHERE term_id = ?1 AND to_date IS NULL "
                           "ORDER BY CASE post WHEN 'secretary' THEN 0 WHEN 'deputy' THEN 1 ELSE 2 END, from_date, id"),
            {id});
        if (!held) return held.error();
        QStringList committee;
        for (const auto& p : *held)
            committee << posts.value(p.value(QStringLiteral("post")).toString()) + u' ' + p.value(QStringLiteral("member_name")).toString();
        const bool latest = t.value(QStringLiteral("latest")).toBool();
        const QString ends = t.value(QStringLiteral("ends_on")).toString();
        out.append(QJsonObject{{QStringLiteral("id"), id},
                               {QStringLiteral("title"), t.value(QStringLiteral("title")).toString()},
                               {QStringLiteral("startedOn"), t.value(QStringLiteral("started_on")).toString()},
                               {QStringLiteral("endsOn"), ends},
                               {QStringLiteral("state"), !latest        ? tessera::text("past term")
                                                         : ends < today ? tessera::text("expired, not yet re-elected")
                                                                        : tessera::text("current term")},
                               {QStringLiteral("committee"), committee.join(QStringLiteral("、"))}});
    }
    return out;
}

tessera::Result<QJsonArray> memberPosts(qint64 memberId, const tessera::Request& r, tessera::Context& ctx) {
    tessera::Params params{memberId};
    const QString inScope = r.scope->condition(QStringLiteral("p.unit_id"), params);
    auto rows = ctx.database().query(
        QStringLiteral(
            "SELECT p.id, p.unit_id, t.title, p.post, p.from_date, p.to_date FROM party_posts p JOIN party_terms t ON t.id = p.term_id "
            "WHERE p.member_id = ?1 AND %1 ORDER BY p.from_date DESC, p.id DESC")
            .arg(inScope),
        params);
    if (!rows) return rows.error();
    const auto posts = ctx.dictionary(QStringLiteral("post"));
    QJsonArray out;
    for (const auto& row : *rows)
        out.append(QJsonObject{{QStringLiteral("id"), row.value(QStringLiteral("id")).toLongLong()},
                               {QStringLiteral("organisation"), unitPath(row.value(QStringLiteral("unit_id")).toLongLong(), ctx)},
                               {QStringLiteral("term"), row.value(QStringLiteral("title")).toString()},
                               {QStringLiteral("post"), posts.value(row.value(QStringLiteral("post")).toString())},
                               {QStringLiteral("fromDate"), row.value(QStringLiteral("from_date")).toString()},
                               {QStringLiteral("toDate"), row.value(QStringLiteral("to_date")).toString()}});
    return out;
}

}  // namespace party::elections
