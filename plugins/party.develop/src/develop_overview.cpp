#include "develop_overview.hpp"

#include "develop_rules.hpp"

#include <QDate>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <vector>

namespace party::develop {

namespace {

using tessera::FieldError;
using tessera::Params;
using tessera::Request;
using tessera::Response;
using tessera::Row;

QString iso(const QDate& d) { return d.toString(Qt::ISODate); }
QDate dateOf(const Row& row, const char* column) { return QDate::fromString(row.value(QLatin1String(column)).toString(), Qt::ISODate); }

// The five stages of the 《细则》, by the workflow's states; none for a finished or cancelled
// record.
enum Stage { Applied, Activist, Candidate, Admission, Probation, NoStage };
Stage stageOf(const QString& state) {
    static const QHash<QString, Stage> stages{
        {QStringLiteral("applied"), Applied},        {QStringLiteral("talked"), Applied},
        {QStringLiteral("activist"), Activist},      {QStringLiteral("activist-filed"), Activist},
        {QStringLiteral("cultivating"), Activist},   {QStringLiteral("reviewed"), Activist},
        {QStringLiteral("candidate"), Candidate},    {QStringLiteral("candidate-filed"), Candidate},
        {QStringLiteral("introduced"), Candidate},   {QStringLiteral("vetted"), Candidate},
        {QStringLiteral("trained"), Candidate},      {QStringLiteral("committee-reviewed"), Admission},
        {QStringLiteral("pre-reviewed"), Admission}, {QStringLiteral("form-filled"), Admission},
        {QStringLiteral("voted"), Admission},        {QStringLiteral("talked-higher"), Admission},
        {QStringLiteral("probationary"), Probation}, {QStringLiteral("filed"), Probation},
        {QStringLiteral("assigned"), Probation},     {QStringLiteral("sworn"), Probation},
        {QStringLiteral("educated"), Probation},     {QStringLiteral("full-applied"), Probation},
        {QStringLiteral("extended"), Probation},     {QStringLiteral("full-voted"), Probation},
    };
    return stages.value(state, NoStage);
}

// The deadline a record waits on next, by its state: the talk within a month of the
// application; a cultivation review every `reviewMonths` months from the last one (or from
// naming the contacts, or from becoming an activist); the approval within three months of
// the branch meeting; the decision on full membership when probation ends.
enum Kind { Talk, Review, Approval, ProbationEnd };
struct Deadline {
    Kind kind;
    QDate due;
};

const char* const kColumns =
    "id, name, unit_id, state, application_date, activist_date, contacts_date, last_review_date, branch_meeting_date, "
    "extension_months, full_approval_date";

std::optional<Deadline> deadlineOf(const Row& row, int reviewMonths) {
    const QString state = row.value(QStringLiteral("state")).toString();
    if (state == u"applied") return Deadline{Talk, dateOf(row, "application_date").addMonths(1)};
    if (state == u"activist" || state == u"activist-filed" || state == u"cultivating" || state == u"reviewed") {
        QDate last = dateOf(row, "last_review_date");
        if (!last.isValid()) last = dateOf(row, "contacts_date");
        if (!last.isValid()) last = dateOf(row, "activist_date");
        return Deadline{Review, last.addMonths(reviewMonths)};
    }
    if (state == u"voted" || state == u"talked-higher") return Deadline{Approval, dateOf(row, "branch_meeting_date").addMonths(3)};
    if (stageOf(state) == Probation && state != u"full-voted") {
        const QDate meeting = dateOf(row, "branch_meeting_date");
        return Deadline{ProbationEnd, meeting.addYears(1).addMonths(row.value(QStringLiteral("extension_months")).toInt())};
    }
    return std::nullopt;
}

QString whatIsDue(Kind kind) {
    switch (kind) {
        case Talk:
            return tessera::text("talk to the applicant (within a month of the application)");
        case Review:
            return tessera::text("review the activist's cultivation");
        case Approval:
            return tessera::text("approval by the higher committee (within three months of the branch meeting)");
        case ProbationEnd:
            return tessera::text("probation ends: decide on full membership");
    }
    return {};
}

struct Asked {
    qint64 unit = 0;
    int year = 0;
    QDate today;
};

std::optional<Asked> readParams(const Request& r, tessera::Context& ctx, bool withYear, QList<FieldError>& errors) {
    QStringList known{QStringLiteral("unit")};
    if (withYear) known << QStringLiteral("year");
    tessera::refuseUnknownParams(r, known, errors);
    Asked a;
    a.today = ctx.clock().now().toLocalTime().date();
    a.unit = tessera::wholeNumberParam(r, QStringLiteral("unit"), 0, 1, std::numeric_limits<qint64>::max(), errors);
    a.year = static_cast<int>(tessera::wholeNumberParam(r, QStringLiteral("year"), a.today.year(), 1949, a.today.year(), errors));
    if (!errors.isEmpty()) return std::nullopt;
    return a;
}

// The records of the unit picked and below, or of the whole scope, inside the caller's scope.
tessera::Result<tessera::Rows> recordsOf(const tessera::Scope& scope, qint64 unit, tessera::Context& ctx) {
    Params params;
    const QString where =
        unit ? scope.conditionWithin(QStringLiteral("unit_id"), unit, params) : scope.condition(QStringLiteral("unit_id"), params);
    return ctx.database().query(
        QStringLiteral("SELECT %1 FROM party_developments WHERE %2 ORDER BY id").arg(QLatin1String(kColumns), where), params);
}

struct Counts {
    qint64 stages[NoStage] = {};
    qint64 full = 0, overdue = 0;
    void add(const Counts& o) {
        for (int s = 0; s < NoStage; ++s) stages[s] += o.stages[s];
        full += o.full;
        overdue += o.overdue;
    }
    QJsonObject json(const QString& label) const {
        qint64 inProgress = 0;
        for (qint64 n : stages) inProgress += n;
        QJsonObject o{{QStringLiteral("label"), label},
                      {QStringLiteral("applied"), stages[Applied]},
                      {QStringLiteral("activists"), stages[Activist]},
                      {QStringLiteral("candidates"), stages[Candidate]},
                      {QStringLiteral("admission"), stages[Admission]},
                      {QStringLiteral("probation"), stages[Probation]},
                      {QStringLiteral("inProgress"), inProgress},
                      {QStringLiteral("full"), full},
                      {QStringLiteral("overdue"), overdue}};
        if (overdue > 0) o.insert(QStringLiteral("alert"), QJsonArray{QStringLiteral("overdue")});  // the shell shows it in red
        return o;
    }
};

// A timeline row: what the step was, its date and the people in it.
struct TimelineStep {
    const char* dateColumn;
    const char* zh;
    const char* en;
};
const TimelineStep kTimeline[] = {
    {"application_date", "1 递交入党申请书", "1 application"},
    {"talk_date", "2 谈话", "2 talk"},
    {"activist_date", "3 确定为入党积极分子", "3 activist"},
    {"activist_filed_date", "4 报上级党委备案", "4 filed"},
    {"contacts_date", "5 指定培养联系人", "5 contacts named"},
    {"last_review_date", "6 培养教育考察（最近一次）", "6 cultivation review (latest)"},
    {"candidate_date", "7 确定为发展对象", "7 candidate"},
    {"candidate_filed_date", "8 报上级党委备案", "8 filed"},
    {"introducers_date", "9 确定入党介绍人", "9 introducers named"},
    {"political_review_date", "10 政治审查", "10 political review"},
    {"training_from", "11 集中培训", "11 training"},
    {"committee_review_date", "12 支部委员会审查", "12 branch committee review"},
    {"pre_review_date", "13 上级党委预审", "13 pre-review"},
    {"form_date", "14 填写入党志愿书", "14 application form"},
    {"branch_meeting_date", "15 支部大会讨论", "15 branch meeting"},
    {"higher_talk_date", "16 上级党委派人谈话", "16 talk by the higher committee"},
    {"approval_date", "17 上级党委审批", "17 approval"},
    {"department_filed_date", "18 报上级组织部门备案", "18 filed with the organisation department"},
    {"assigned_date", "19 编入党支部和党小组", "19 assigned to a branch and group"},
    {"oath_date", "20 入党宣誓", "20 oath"},
    {"education_date", "21 继续教育考察（最近一次）", "21 continued education (latest)"},
    {"full_application_date", "22 提出转正申请", "22 application for full membership"},
    {"extended_on", "延长预备期", "probation extended"},
    {"full_meeting_date", "23 支部大会讨论转正", "23 branch meeting on full membership"},
    {"full_approval_date", "24 上级党委审批转正", "24 full membership approved"},
    {"archived_date", "25 材料归档", "25 archived"},
    {"disqualified_on", "取消预备党员资格", "probation cancelled"},
};

QString memberName(qint64 id, tessera::Context& ctx) {
    if (id <= 0) return {};
    auto row = ctx.database().queryOne(QStringLiteral("SELECT name FROM party_members WHERE id = ?1"), {id});
    return row ? row->value(QStringLiteral("name")).toString() : QString();
}

// The people and details of the step recorded on `column`'s date.
QString detailsOf(const QString& column, const Row& d, tessera::Context& ctx) {
    auto text = [&](const char* c) { return d.value(QLatin1String(c)).toString().trimmed(); };
    auto names = [&](const char* a, const char* b) {
        QStringList out;
        for (const char* c : {a, b})
            if (const QString n = memberName(d.value(QLatin1String(c)).toLongLong(), ctx); !n.isEmpty()) out << n;
        return out.join(tessera::localized(QStringLiteral("、"), QStringLiteral(", ")));
    };
    auto votes = [&](const char* prefix) {
        auto n = [&](const char* what) {
            return d.value(QStringLiteral("%1_%2").arg(QLatin1String(prefix), QLatin1String(what))).toLongLong();
        };
        return tessera::text("entitled %1, present %2, for %3, against %4, abstaining %5", n("entitled"), n("present"), n("for"),
                             n("against"), n("abstaining"));
    };
    if (column == u"talk_date") return text("talk_by");
    if (column == u"activist_date") return text("recommendation");
    if (column == u"contacts_date") return names("contact1_id", "contact2_id");
    if (column == u"last_review_date") return text("review_notes");
    if (column == u"introducers_date") return names("introducer1_id", "introducer2_id");
    if (column == u"political_review_date") return text("political_review_result");
    if (column == u"training_from") {
        const QString to = text("training_to");
        const qint64 hours = d.value(QStringLiteral("training_hours")).toLongLong();
        return hours > 0 ? tessera::text("until %1, %2 class hours", to, hours) : tessera::text("until %1", to);
    }
    if (column == u"pre_review_date" && !text("notice_from").isEmpty())
        return tessera::text("public notice %1 to %2", text("notice_from"), text("notice_to"));
    if (column == u"branch_meeting_date") return votes("votes");
    if (column == u"higher_talk_date") return text("higher_talk_by");
    if (column == u"assigned_date") return text("assigned_to");
    if (column == u"education_date") return text("education_notes");
    if (column == u"extended_on")
        return tessera::text("by %1 months: %2", d.value(QStringLiteral("extension_months")).toLongLong(), text("extension_reason"));
    if (column == u"full_meeting_date") return votes("full_votes");
    if (column == u"disqualified_on") return text("disqualification_reason");
    return {};
}

tessera::Result<QJsonArray> timeline(const QString& column, qint64 id, const Request& r, tessera::Context& ctx) {
    Params params{id};
    const QString where = r.scope->condition(QStringLiteral("unit_id"), params);
    auto found = ctx.database().query(
        QStringLiteral("SELECT * FROM party_developments WHERE %1 = ?1 AND %2 ORDER BY id").arg(column, where), params);
    if (!found) return found.error();
    QJsonArray rows;
    for (const Row& d : *found)
        for (const TimelineStep& step : kTimeline) {
            const QString date = d.value(QLatin1String(step.dateColumn)).toString();
            if (date.isEmpty()) continue;
            rows.append(QJsonObject{{QStringLiteral("step"), tessera::localized(QString::fromUtf8(step.zh), QString::fromUtf8(step.en))},
                                    {QStringLiteral("date"), date},
                                    {QStringLiteral("details"), detailsOf(QLatin1String(step.dateColumn), d, ctx)}});
        }
    return rows;
}

}  // namespace

Response pipelineReport(const Request& r, tessera::Context& ctx) {
    QList<FieldError> errors;
    const auto asked = readParams(r, ctx, true, errors);
    if (!asked) return Response::invalid(errors);
    auto found = recordsOf(*r.scope, asked->unit, ctx);
    if (!found) return Response::storageFailure(found.error(), tessera::text("the pipeline could not be counted"));
    const int reviewMonths = ctx.setting(QStringLiteral("review-months")).toInt();
    // By organisation: with a unit picked, each unit right below it (its subtree summed, so a
    // row drills down a level) and the unit itself; else each record's own.
    QHash<qint64, qint64> rowUnits;
    auto rowUnit = [&](qint64 unit) {
        if (!asked->unit) return unit;
        if (const auto known = rowUnits.constFind(unit); known != rowUnits.constEnd()) return *known;
        qint64 at = unit;
        for (int depth = 0; at > 0 && at != asked->unit && depth < 64; ++depth) {
            auto info = ctx.units().get(at);
            if (!info || info->parentId == asked->unit) break;
            at = info->parentId;
        }
        rowUnits.insert(unit, at);
        return at;
    };
    std::map<qint64, Counts> units;
    for (const Row& row : *found) {
        const Stage stage = stageOf(row.value(QStringLiteral("state")).toString());
        const qint64 unit = row.value(QStringLiteral("unit_id")).toLongLong();
        const QDate full = dateOf(row, "full_approval_date");
        const bool fullInYear = full.isValid() && full.year() == asked->year && stage == NoStage;
        if (stage == NoStage && !fullInYear) continue;
        Counts& c = units[rowUnit(unit)];
        if (stage != NoStage) ++c.stages[stage];
        if (fullInYear) ++c.full;
        if (const auto d = deadlineOf(row, reviewMonths); d && d->due.isValid() && d->due < asked->today) ++c.overdue;
    }
    std::vector<std::pair<QString, qint64>> named;
    for (const auto& [unit, c] : units) named.push_back({tessera::unitPath(ctx.units(), unit), unit});
    std::sort(named.begin(), named.end());
    QJsonArray items;
    Counts total;
    for (const auto& [path, unit] : named) {
        QJsonObject o = units[unit].json(path);
        o.insert(QStringLiteral("unitId"), unit);
        items.append(o);
        total.add(units[unit]);
    }
    return Response::json(QJsonObject{{QStringLiteral("title"), tessera::text("membership development on %1", iso(asked->today))},
                                      {QStringLiteral("params"), QJsonObject{{QStringLiteral("year"), QString::number(asked->year)}}},
                                      {QStringLiteral("items"), items},
                                      {QStringLiteral("total"), total.json(tessera::text("total"))}});
}

Response deadlinesReport(const Request& r, tessera::Context& ctx) {
    QList<FieldError> errors;
    const auto asked = readParams(r, ctx, false, errors);
    if (!asked) return Response::invalid(errors);
    auto found = recordsOf(*r.scope, asked->unit, ctx);
    if (!found) return Response::storageFailure(found.error(), tessera::text("the deadlines could not be read"));
    const int reviewMonths = ctx.setting(QStringLiteral("review-months")).toInt();
    const int days = ctx.setting(QStringLiteral("remind-days")).toInt();
    const QHash<QString, QString> states = ctx.dictionary(QStringLiteral("development-state"));
    struct Due {
        QDate due;
        QJsonObject item;
    };
    std::vector<Due> due;
    qint64 overdue = 0;
    QHash<qint64, QString> paths;
    for (const Row& row : *found) {
        const auto d = deadlineOf(row, reviewMonths);
        if (!d || !d->due.isValid() || d->due > asked->today.addDays(days)) continue;
        const qint64 unit = row.value(QStringLiteral("unit_id")).toLongLong();
        auto path = paths.find(unit);
        if (path == paths.end()) path = paths.insert(unit, tessera::unitPath(ctx.units(), unit));
        const QString state = row.value(QStringLiteral("state")).toString();
        const qint64 late = d->due.daysTo(asked->today);
        if (late > 0) ++overdue;
        QJsonObject item{
            {QStringLiteral("id"), row.value(QStringLiteral("id")).toLongLong()},
            {QStringLiteral("name"), row.value(QStringLiteral("name")).toString()},
            {QStringLiteral("unit"), *path},
            {QStringLiteral("unitId"), unit},
            {QStringLiteral("state"), states.value(state, state)},
            {QStringLiteral("deadline"), whatIsDue(d->kind)},
            {QStringLiteral("due"), iso(d->due)},
            {QStringLiteral("status"), late > 0 ? tessera::text("overdue by %1 days", late) : tessera::text("due in %1 days", -late)},
            {QStringLiteral("overdueDays"), std::max<qint64>(late, 0)}};
        if (late > 0) item.insert(QStringLiteral("alert"), QJsonArray{QStringLiteral("due"), QStringLiteral("status")});
        due.push_back({d->due, item});
    }
    std::stable_sort(due.begin(), due.end(), [](const Due& a, const Due& b) { return a.due < b.due; });
    QJsonArray items;
    for (const Due& d : due) items.append(d.item);
    return Response::json(QJsonObject{
        {QStringLiteral("title"), tessera::text("development deadlines overdue or due within %1 days of %2", days, iso(asked->today))},
        {QStringLiteral("params"), QJsonObject{}},
        {QStringLiteral("items"), items},
        {QStringLiteral("total"),
         QJsonObject{{QStringLiteral("name"), tessera::text("total")},
                     {QStringLiteral("deadline"), tessera::text("%1 people, %2 overdue", static_cast<qint64>(items.size()), overdue)}}}});
}

tessera::Result<std::vector<tessera::Reminder>> developReminders(const tessera::ReminderRequest& r, tessera::Context& ctx) {
    auto found = recordsOf(r.scope, r.unitId, ctx);
    if (!found) return found.error();
    const int reviewMonths = ctx.setting(QStringLiteral("review-months")).toInt();
    const int days = ctx.setting(QStringLiteral("remind-days")).toInt();
    struct Tally {
        qint64 overdue = 0, soon = 0;
        QDate next;
    };
    std::map<Kind, Tally> tallies;
    for (const Row& row : *found) {
        const auto d = deadlineOf(row, reviewMonths);
        // Probation ends are party.daily's reminder (the member card carries the end, extensions
        // included): one reminder for one person, whichever modules run.
        if (!d || d->kind == ProbationEnd || !d->due.isValid() || d->due > r.date.addDays(days)) continue;
        Tally& t = tallies[d->kind];
        if (d->due < r.date) {
            ++t.overdue;
        } else {
            ++t.soon;
            if (!t.next.isValid() || d->due < t.next) t.next = d->due;
        }
    }
    const QString link = QStringLiteral("/m/party.develop/deadlines?unit=%1").arg(r.unitId);
    std::vector<tessera::Reminder> out;
    for (const auto& [kind, t] : tallies) {
        QString late, soon;
        switch (kind) {
            case Talk:
                late = tessera::text("%1 applicants were not talked to within a month of applying", t.overdue);
                soon = tessera::text("%1 applicants are to be talked to within %2 days", t.soon, days);
                break;
            case Review:
                late = tessera::text("%1 activists have had no cultivation review for more than %2 months", t.overdue, reviewMonths);
                soon = tessera::text("%1 activists' cultivation review is due within %2 days", t.soon, days);
                break;
            case Approval:
                late = tessera::text("%1 people accepted by a branch meeting are not approved within three months", t.overdue);
                soon = tessera::text("%1 people accepted by a branch meeting are due for approval within %2 days", t.soon, days);
                break;
            case ProbationEnd:
                continue;  // not counted above
        }
        if (t.overdue > 0) out.push_back({late, QStringLiteral("urgent"), link, {}});
        if (t.soon > 0) out.push_back({soon, QStringLiteral("warning"), link, t.next});
    }
    return out;
}

tessera::Result<QJsonArray> applicantTimeline(qint64 applicantId, const Request& r, tessera::Context& ctx) {
    return timeline(QStringLiteral("applicant_id"), applicantId, r, ctx);
}

tessera::Result<QJsonArray> memberTimeline(qint64 memberId, const Request& r, tessera::Context& ctx) {
    return timeline(QStringLiteral("member_id"), memberId, r, ctx);
}

}  // namespace party::develop
