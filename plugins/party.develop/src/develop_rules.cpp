#include "develop_rules.hpp"

#include <QJsonArray>

#include <optional>

namespace party::develop {

namespace {

using tessera::FieldError;
using tessera::Record;

QString text(const Record& r, const QString& field) { return r.value(field).toString().trimmed(); }
qint64 number(const Record& r, const QString& field) { return r.value(field).toInteger(); }
QDate date(const Record& r, const QString& field) { return QDate::fromString(text(r, field), Qt::ISODate); }
QString iso(const QDate& d) { return d.toString(Qt::ISODate); }

// The dates of the steps in the order the 《细则》 takes them, each named as a sentence names it.
struct StepDate {
    QString field;
    const char* zh;
    const char* en;
};
const StepDate kDates[] = {
    {QStringLiteral("applicationDate"), "递交入党申请书", "the application"},
    {QStringLiteral("talkDate"), "谈话", "the talk"},
    {QStringLiteral("activistDate"), "确定为入党积极分子", "becoming an activist"},
    {QStringLiteral("activistFiledDate"), "入党积极分子备案", "filing the activist"},
    {QStringLiteral("contactsDate"), "指定培养联系人", "naming the contacts"},
    {QStringLiteral("lastReviewDate"), "培养教育考察", "the review"},
    {QStringLiteral("candidateDate"), "确定为发展对象", "becoming a candidate"},
    {QStringLiteral("candidateFiledDate"), "发展对象备案", "filing the candidate"},
    {QStringLiteral("introducersDate"), "确定入党介绍人", "naming the introducers"},
    {QStringLiteral("politicalReviewDate"), "政治审查", "the political review"},
    {QStringLiteral("trainingFrom"), "集中培训", "the training"},
    {QStringLiteral("committeeReviewDate"), "支部委员会审查", "the branch committee's review"},
    {QStringLiteral("preReviewDate"), "上级党委预审", "the pre-review"},
    {QStringLiteral("formDate"), "填写入党志愿书", "the application form"},
    {QStringLiteral("branchMeetingDate"), "支部大会讨论", "the branch meeting"},
    {QStringLiteral("higherTalkDate"), "上级党委派人谈话", "the higher committee's talk"},
    {QStringLiteral("approvalDate"), "上级党委审批", "the approval"},
    {QStringLiteral("departmentFiledDate"), "报组织部门备案", "filing with the organisation department"},
    {QStringLiteral("assignedDate"), "编入党支部和党小组", "the assignment to a group"},
    {QStringLiteral("oathDate"), "入党宣誓", "the oath"},
    {QStringLiteral("educationDate"), "继续教育考察", "the review in probation"},
    {QStringLiteral("fullApplicationDate"), "提出转正申请", "the application for full membership"},
    {QStringLiteral("extendedOn"), "延长预备期", "the extension"},
    {QStringLiteral("fullMeetingDate"), "支部大会讨论转正", "the branch meeting on full membership"},
    {QStringLiteral("fullApprovalDate"), "上级党委审批转正", "the approval of full membership"},
    {QStringLiteral("archivedDate"), "材料归档", "archiving"},
    {QStringLiteral("disqualifiedOn"), "取消预备党员资格", "cancelling the probation"},
};

// What the steps record, changed by the steps alone (a PUT corrects the application only).
const QStringList kStepFields = {
    QStringLiteral("talkDate"),
    QStringLiteral("talkBy"),
    QStringLiteral("activistDate"),
    QStringLiteral("recommendation"),
    QStringLiteral("activistFiledDate"),
    QStringLiteral("contactsDate"),
    QStringLiteral("contact1Id"),
    QStringLiteral("contact2Id"),
    QStringLiteral("lastReviewDate"),
    QStringLiteral("reviewNotes"),
    QStringLiteral("candidateDate"),
    QStringLiteral("candidateFiledDate"),
    QStringLiteral("introducersDate"),
    QStringLiteral("introducer1Id"),
    QStringLiteral("introducer2Id"),
    QStringLiteral("politicalReviewDate"),
    QStringLiteral("politicalReviewResult"),
    QStringLiteral("trainingFrom"),
    QStringLiteral("trainingTo"),
    QStringLiteral("trainingHours"),
    QStringLiteral("committeeReviewDate"),
    QStringLiteral("preReviewDate"),
    QStringLiteral("noticeFrom"),
    QStringLiteral("noticeTo"),
    QStringLiteral("formDate"),
    QStringLiteral("branchMeetingDate"),
    QStringLiteral("votesEntitled"),
    QStringLiteral("votesPresent"),
    QStringLiteral("votesFor"),
    QStringLiteral("votesAgainst"),
    QStringLiteral("votesAbstaining"),
    QStringLiteral("higherTalkDate"),
    QStringLiteral("higherTalkBy"),
    QStringLiteral("approvalDate"),
    QStringLiteral("memberId"),
    QStringLiteral("departmentFiledDate"),
    QStringLiteral("assignedDate"),
    QStringLiteral("assignedTo"),
    QStringLiteral("oathDate"),
    QStringLiteral("educationDate"),
    QStringLiteral("educationNotes"),
    QStringLiteral("fullApplicationDate"),
    QStringLiteral("extendedOn"),
    QStringLiteral("extensionMonths"),
    QStringLiteral("extensionReason"),
    QStringLiteral("fullMeetingDate"),
    QStringLiteral("fullVotesEntitled"),
    QStringLiteral("fullVotesPresent"),
    QStringLiteral("fullVotesFor"),
    QStringLiteral("fullVotesAgainst"),
    QStringLiteral("fullVotesAbstaining"),
    QStringLiteral("disqualifiedOn"),
    QStringLiteral("disqualificationReason"),
    QStringLiteral("fullApprovalDate"),
    QStringLiteral("archivedDate"),
};

// Two values of a field are the same, empty being empty however it is written.
bool same(const QJsonValue& a, const QJsonValue& b) {
    auto empty = [](const QJsonValue& v) { return v.isNull() || v.isUndefined() || (v.isString() && v.toString().isEmpty()); };
    return (empty(a) && empty(b)) || a == b;
}

// The states from which the person is on the roll (step 17 taken).
const QStringList kOnTheRoll = {QStringLiteral("probationary"), QStringLiteral("filed"),       QStringLiteral("assigned"),
                                QStringLiteral("sworn"),        QStringLiteral("educated"),    QStringLiteral("full-applied"),
                                QStringLiteral("extended"),     QStringLiteral("full-voted"),  QStringLiteral("full-member"),
                                QStringLiteral("archived"),     QStringLiteral("disqualified")};

// The dates a save or a step changed must keep the steps' order: none before an earlier
// step's date, none after a later one's.
void checkOrder(const Record& draft, const Record* stored, QList<FieldError>& errors) {
    constexpr qsizetype n = sizeof(kDates) / sizeof(kDates[0]);
    for (qsizetype i = 0; i < n; ++i) {
        const QString& field = kDates[i].field;
        const QDate d = date(draft, field);
        if (!d.isValid() || (stored && text(*stored, field) == text(draft, field))) continue;
        bool refused = false;
        for (qsizetype j = i - 1; j >= 0 && !refused; --j)
            if (const QDate earlier = date(draft, kDates[j].field); earlier.isValid() && d < earlier) {
                errors.append({field, tessera::text("%1 is before %2 (%3)", iso(d),
                                                    tessera::localized(QString::fromUtf8(kDates[j].zh), QString::fromUtf8(kDates[j].en)),
                                                    iso(earlier))});
                refused = true;
            }
        for (qsizetype j = i + 1; j < n && !refused; ++j)
            if (const QDate later = date(draft, kDates[j].field); later.isValid() && d > later) {
                errors.append({field, tessera::text("%1 is after %2 (%3)", iso(d),
                                                    tessera::localized(QString::fromUtf8(kDates[j].zh), QString::fromUtf8(kDates[j].en)),
                                                    iso(later))});
                refused = true;
            }
    }
}

// The member card a step names (a contact, an introducer, the person themselves), read as the
// system and shown only where the caller may read it: otherwise, as the engine says of
// references, it does not exist.
std::optional<Record> namedMember(const Record& draft, const QString& field, const tessera::Request& r, tessera::Context& ctx,
                                  QList<FieldError>& errors) {
    const qint64 id = number(draft, field);
    if (id <= 0) return std::nullopt;
    auto member = ctx.records().read(kMemberCard, id);
    if (!member) {
        errors.append({field, tessera::text("could not be checked: %1", member.error().message)});
        return std::nullopt;
    }
    if (member->isEmpty() || !r.access ||
        !r.access->scope(QStringLiteral("party.daily.read")).contains(number(*member, QStringLiteral("unitId")))) {
        errors.append({field, tessera::text("member card %1 does not exist", id)});
        return std::nullopt;
    }
    return *member;
}

// Contacts (培养联系人) and introducers (入党介绍人) are full members on the roll: a
// probationary member neither introduces, nor votes, nor is elected.
void checkFullMember(const Record& draft, const QString& field, const tessera::Request& r, tessera::Context& ctx,
                     QList<FieldError>& errors) {
    const auto member = namedMember(draft, field, r, ctx, errors);
    if (!member) return;
    const QString name = text(*member, QStringLiteral("name"));
    if (!text(*member, QStringLiteral("leftDate")).isEmpty())
        errors.append({field, tessera::text("%1 left the roll on %2", name, text(*member, QStringLiteral("leftDate")))});
    else if (text(*member, QStringLiteral("category")) != u"formal")
        errors.append({field, tessera::text("%1 is a probationary member; only a full member may be named here", name)});
}

void checkTwo(const Record& draft, const QString& first, const QString& second, QList<FieldError>& errors) {
    if (number(draft, first) > 0 && number(draft, first) == number(draft, second))
        errors.append({second, tessera::text("is the same person as the first; name two different members")});
}

// The branch meeting's vote (《细则》第二十四条): more than half of the full members entitled
// to vote present, and more than half of them (of those entitled, not of those present) in
// favour; the votes cast add up to no more than those present.
// `prefix` names the meeting's fields: "votes" (step 15), "fullVotes" (step 23).
void checkVote(const Record& draft, const QString& prefix, QList<FieldError>& errors) {
    const QString entitledField = prefix + QStringLiteral("Entitled"), presentField = prefix + QStringLiteral("Present");
    const QString forField = prefix + QStringLiteral("For");
    const qint64 entitled = number(draft, entitledField), present = number(draft, presentField);
    const qint64 inFavour = number(draft, forField), against = number(draft, prefix + QStringLiteral("Against"));
    const qint64 abstaining = number(draft, prefix + QStringLiteral("Abstaining"));
    const qint64 half = entitled / 2 + 1;  // more than half of them
    if (entitled <= 0) {
        errors.append({entitledField, tessera::text("no full member entitled to vote: the branch meeting cannot vote")});
        return;
    }
    if (present > entitled)
        errors.append({presentField, tessera::text("%1 present is more than the %2 entitled to vote", present, entitled)});
    else if (present < half)
        errors.append(
            {presentField, tessera::text("%1 of the %2 full members entitled to vote were present; the meeting needs more than half, at "
                                         "least %3",
                                         present, entitled, half)});
    if (inFavour + against + abstaining > present)
        errors.append({forField, tessera::text("for, against and abstaining add up to %1, more than the %2 present",
                                               inFavour + against + abstaining, present)});
    else if (inFavour < half)
        errors.append({forField, tessera::text("%1 voted for: it needs more than half of the %2 full members entitled to vote, at least %3",
                                               inFavour, entitled, half)});
}

// The ID number's birth date, when the applicant's card has none.
QDate birthOf(const Record& applicant) {
    if (const QDate d = date(applicant, QStringLiteral("birthDate")); d.isValid()) return d;
    const QString id = text(applicant, QStringLiteral("idNumber"));
    return id.size() == 18 ? QDate::fromString(id.mid(6, 8), QStringLiteral("yyyyMMdd")) : QDate();
}

}  // namespace

QDate probationEnd(const Record& development) {
    const QDate meeting = date(development, QStringLiteral("branchMeetingDate"));
    if (!meeting.isValid()) return {};
    return meeting.addYears(1).addMonths(static_cast<int>(number(development, QStringLiteral("extensionMonths"))));
}

bool isEighteenOn(const QDate& birth, const QDate& day) { return birth.isValid() && day.isValid() && birth.addYears(18) <= day; }

void deriveDevelopment(Record& draft, const Record* stored, tessera::Context& ctx) {
    if (stored) draft.insert(QStringLiteral("applicantId"), stored->value(QStringLiteral("applicantId")));
    const qint64 applicantId = number(draft, QStringLiteral("applicantId"));
    auto applicant = applicantId > 0 ? ctx.records().read(kApplicantCard, applicantId) : tessera::Result<Record>(Record{});
    if (applicant && !applicant->isEmpty()) {
        draft.insert(QStringLiteral("name"), applicant->value(QStringLiteral("name")));
        draft.insert(QStringLiteral("idNumber"), applicant->value(QStringLiteral("idNumber")));
    }
    // The organisation developing the person is the applicant's when the record is made, and
    // stays: a transfer of the applicant does not move the record's history.
    if (stored)
        draft.insert(QStringLiteral("unitId"), stored->value(QStringLiteral("unitId")));
    else if (applicant && !applicant->isEmpty())
        draft.insert(QStringLiteral("unitId"), applicant->value(QStringLiteral("unitId")));
}

QList<FieldError> checkDevelopment(const Record& draft, const Record* stored, const tessera::Request& r, tessera::Context& ctx) {
    QList<FieldError> errors;
    // A new record is the application (step 1); the other steps record the rest.
    for (const QString& field : kStepFields)
        if (!same(draft.value(field), stored ? stored->value(field) : QJsonValue()))
            errors.append({field, tessera::text("is recorded by its step of the workflow, not by editing the record")});
    if (!errors.isEmpty()) return errors;
    checkOrder(draft, stored, errors);
    const qint64 applicantId = number(draft, QStringLiteral("applicantId"));
    auto applicant = ctx.records().read(kApplicantCard, applicantId);
    if (!applicant) return {{QStringLiteral("applicantId"), tessera::text("could not be checked: %1", applicant.error().message)}};
    // Someone the caller may not read the engine refuses as not existing; say nothing more.
    if (applicant->isEmpty() || !r.access ||
        !r.access->scope(QStringLiteral("party.daily.read")).contains(number(*applicant, QStringLiteral("unitId"))))
        return errors;
    const QString name = text(*applicant, QStringLiteral("name"));
    // 《中国共产党章程》第一条: 年满十八岁.
    const QDate applied = date(draft, QStringLiteral("applicationDate")), birth = birthOf(*applicant);
    if (applied.isValid() && birth.isValid() && !isEighteenOn(birth, applied))
        errors.append({QStringLiteral("applicationDate"),
                       tessera::text("%1 was born on %2 and was not yet 18 on %3; one applies at 18 or older, from %4", name, iso(birth),
                                     iso(applied), iso(birth.addYears(18)))});
    auto other = ctx.database().queryOne(QStringLiteral("SELECT id FROM party_developments WHERE applicant_id = ?1 AND id <> ?2"),
                                         {applicantId, number(draft, QStringLiteral("id"))});
    if (!other)
        errors.append({QStringLiteral("applicantId"), tessera::text("could not be checked: %1", other.error().message)});
    else if (!other->isEmpty())
        errors.append({QStringLiteral("applicantId"),
                       tessera::text("%1 has a development record already (%2)", name, other->value(QStringLiteral("id")).toLongLong())});
    return errors;
}

QList<FieldError> guardStep(const QString& step, const Record& draft, const Record& stored, const tessera::Request& r,
                            tessera::Context& ctx) {
    QList<FieldError> errors;
    checkOrder(draft, &stored, errors);
    if (step == u"contacts") {
        checkFullMember(draft, QStringLiteral("contact1Id"), r, ctx, errors);
        checkFullMember(draft, QStringLiteral("contact2Id"), r, ctx, errors);
        checkTwo(draft, QStringLiteral("contact1Id"), QStringLiteral("contact2Id"), errors);
    } else if (step == u"candidate") {
        // 《细则》第十四条: a year of cultivation as an activist, at least.
        const QDate activist = date(draft, QStringLiteral("activistDate")), candidate = date(draft, QStringLiteral("candidateDate"));
        if (activist.isValid() && candidate.isValid() && candidate < activist.addYears(1))
            errors.append({QStringLiteral("candidateDate"),
                           tessera::text("%1 is less than a year after becoming an activist (%2); a candidate is decided on from %3",
                                         iso(candidate), iso(activist), iso(activist.addYears(1)))});
    } else if (step == u"introducers") {
        // 《细则》第十八条: two full members, exactly.
        checkFullMember(draft, QStringLiteral("introducer1Id"), r, ctx, errors);
        checkFullMember(draft, QStringLiteral("introducer2Id"), r, ctx, errors);
        checkTwo(draft, QStringLiteral("introducer1Id"), QStringLiteral("introducer2Id"), errors);
    } else if (step == u"training") {
        // 《细则》第二十条: at least three days, or 24 class hours.
        const QDate from = date(draft, QStringLiteral("trainingFrom")), to = date(draft, QStringLiteral("trainingTo"));
        const qint64 hours = number(draft, QStringLiteral("trainingHours"));
        if (from.isValid() && to.isValid() && to < from)
            errors.append({QStringLiteral("trainingTo"), tessera::text("%1 is before the training began (%2)", iso(to), iso(from))});
        else if (from.isValid() && to.isValid() && from.daysTo(to) + 1 < 3 && hours < 24)
            errors.append({QStringLiteral("trainingHours"),
                           tessera::text("the training lasted %1 days and %2 class hours; it takes at least 3 days or 24 class hours",
                                         from.daysTo(to) + 1, hours)});
    } else if (step == u"pre-review") {
        const QDate reviewed = date(draft, QStringLiteral("preReviewDate"));
        const QDate from = date(draft, QStringLiteral("noticeFrom")), to = date(draft, QStringLiteral("noticeTo"));
        const int days = ctx.setting(QStringLiteral("notice-days")).toInt();
        if (reviewed.isValid() && from.isValid() && from < reviewed)
            errors.append({QStringLiteral("noticeFrom"),
                           tessera::text("%1 is before the pre-review (%2); the notice follows it", iso(from), iso(reviewed))});
        if (from.isValid() && to.isValid() && to < from)
            errors.append({QStringLiteral("noticeTo"), tessera::text("%1 is before the notice began (%2)", iso(to), iso(from))});
        else if (from.isValid() && to.isValid() && from.daysTo(to) + 1 < days)
            errors.append({QStringLiteral("noticeTo"), tessera::text("the notice lasts %1 days; it lasts at least %2, until %3",
                                                                     from.daysTo(to) + 1, days, iso(from.addDays(days - 1)))});
    } else if (step == u"form") {
        const QDate notice = date(draft, QStringLiteral("noticeTo")), form = date(draft, QStringLiteral("formDate"));
        if (notice.isValid() && form.isValid() && form <= notice)
            errors.append({QStringLiteral("formDate"),
                           tessera::text("%1 is within the public notice, which runs until %2; the form is filled in after it", iso(form),
                                         iso(notice))});
    } else if (step == u"vote") {
        checkVote(draft, QStringLiteral("votes"), errors);
    } else if (step == u"approve") {
        // 《细则》第二十六条: within three months of the branch meeting, six at most.
        const QDate meeting = date(draft, QStringLiteral("branchMeetingDate")), approved = date(draft, QStringLiteral("approvalDate"));
        if (meeting.isValid() && approved.isValid() && approved > meeting.addMonths(6))
            errors.append({QStringLiteral("approvalDate"),
                           tessera::text("%1 is more than six months after the branch meeting (%2); approval is due by %3 at the latest",
                                         iso(approved), iso(meeting), iso(meeting.addMonths(6)))});
        // The person's member card: theirs (the same ID number), at the organisation that
        // developed them, on the roll and not a full member already.
        if (const auto member = namedMember(draft, QStringLiteral("memberId"), r, ctx, errors)) {
            const QString name = text(*member, QStringLiteral("name"));
            if (text(*member, QStringLiteral("idNumber")) != text(draft, QStringLiteral("idNumber")))
                errors.append({QStringLiteral("memberId"),
                               tessera::text("is the card of %1, whose ID number is not %2's", name, text(draft, QStringLiteral("name")))});
            else if (number(*member, QStringLiteral("unitId")) != number(draft, QStringLiteral("unitId")))
                errors.append({QStringLiteral("memberId"),
                               tessera::text("%1 is on the roll of %2; the card belongs to the organisation that developed them", name,
                                             tessera::unitPath(ctx.units(), number(*member, QStringLiteral("unitId"))))});
            else if (!text(*member, QStringLiteral("leftDate")).isEmpty())
                errors.append(
                    {QStringLiteral("memberId"), tessera::text("%1 left the roll on %2", name, text(*member, QStringLiteral("leftDate")))});
            else if (text(*member, QStringLiteral("category")) == u"formal")
                errors.append({QStringLiteral("memberId"), tessera::text("%1 is a full member already", name)});
        }
    } else if (step == u"extend") {
        // 《细则》第三十二条: extended once, by six months to a year.
        const qint64 months = number(draft, QStringLiteral("extensionMonths"));
        if (number(stored, QStringLiteral("extensionMonths")) > 0)
            errors.append(
                {QStringLiteral("extensionMonths"), tessera::text("the probation was extended once already; it is extended only once")});
        else if (months < 6 || months > 12)
            errors.append({QStringLiteral("extensionMonths"), tessera::text("is %1; a probation is extended by 6 to 12 months", months)});
    } else if (step == u"disqualify") {
        // The probationary member leaves the roll (取消预备党员资格), their history kept.
        if (const auto member = namedMember(draft, QStringLiteral("memberId"), r, ctx, errors);
            member &&
            (text(*member, QStringLiteral("category")) != u"probationary" || !text(*member, QStringLiteral("leftDate")).isEmpty()))
            errors.append({QStringLiteral("(step)"),
                           tessera::text("%1 is not a probationary member on the roll", text(*member, QStringLiteral("name")))});
    } else if (step == u"full-vote" || step == u"full-approve") {
        if (step == u"full-vote") checkVote(draft, QStringLiteral("fullVotes"), errors);
        // 《细则》第三十一条: not before the probation ends.
        const QString field = step == u"full-vote" ? QStringLiteral("fullMeetingDate") : QStringLiteral("fullApprovalDate");
        const QDate on = date(draft, field), end = probationEnd(draft);
        if (on.isValid() && end.isValid() && on < end)
            errors.append({field, tessera::text("%1 is before the probation ends on %2; full membership is decided from then on", iso(on),
                                                iso(end))});
    }
    return errors;
}

tessera::Status afterStep(const QString& step, const Record& saved, tessera::Context& ctx) {
    const qint64 member = number(saved, QStringLiteral("memberId"));
    tessera::Status changed;
    if (step == u"approve")
        changed = ctx.records().change(kMemberCard, member,
                                       Record{{QStringLiteral("category"), QStringLiteral("probationary")},
                                              {QStringLiteral("joinDate"), saved.value(QStringLiteral("branchMeetingDate"))},
                                              {QStringLiteral("probationEnds"), iso(probationEnd(saved))},
                                              {QStringLiteral("fullDate"), QJsonValue()}});
    else if (step == u"extend")  // the member card's 预备期满日期, which party.daily reminds of
        changed = ctx.records().change(kMemberCard, member, Record{{QStringLiteral("probationEnds"), iso(probationEnd(saved))}});
    else if (step == u"disqualify")
        changed = ctx.records().change(kMemberCard, member,
                                       Record{{QStringLiteral("leftDate"), saved.value(QStringLiteral("disqualifiedOn"))},
                                              {QStringLiteral("leftReason"), QStringLiteral("disqualified")}});
    else if (step == u"full-approve")
        changed = ctx.records().change(
            kMemberCard, member,
            Record{{QStringLiteral("category"), QStringLiteral("formal")}, {QStringLiteral("fullDate"), iso(probationEnd(saved))}});
    if (!changed) return tessera::Error{changed.error().code, changed.error().message, QStringLiteral("memberId")};
    return {};
}

QList<FieldError> warnDevelopment(const Record& saved, const Record* before) {
    QList<FieldError> warnings;
    auto changed = [&](const QString& field) { return !before || text(*before, field) != text(saved, field); };
    const QDate applied = date(saved, QStringLiteral("applicationDate")), talk = date(saved, QStringLiteral("talkDate"));
    if (changed(QStringLiteral("talkDate")) && applied.isValid() && talk.isValid() && talk > applied.addMonths(1))
        warnings.append({QStringLiteral("talkDate"),
                         tessera::text("the talk on %1 was more than a month after the application (%2); it is due within a month, by %3",
                                       iso(talk), iso(applied), iso(applied.addMonths(1)))});
    const QDate meeting = date(saved, QStringLiteral("branchMeetingDate")), approved = date(saved, QStringLiteral("approvalDate"));
    if (changed(QStringLiteral("approvalDate")) && meeting.isValid() && approved.isValid() && approved > meeting.addMonths(3))
        warnings.append({QStringLiteral("approvalDate"),
                         tessera::text("approved on %1, more than three months after the branch meeting (%2); approval is due within "
                                       "three months, by %3",
                                       iso(approved), iso(meeting), iso(meeting.addMonths(3)))});
    return warnings;
}

QString whyKept(const Record& development) {
    if (!kOnTheRoll.contains(text(development, QStringLiteral("state")))) return {};
    return tessera::text("it put %1 on the roll and is their history", text(development, QStringLiteral("name")));
}

}  // namespace party::develop
