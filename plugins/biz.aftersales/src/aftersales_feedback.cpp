// biz.aftersales' satisfaction surveys, their single-use links and the suggestions and
// complaints book: see aftersales_feedback.hpp.

#include "aftersales_feedback.hpp"
#include "aftersales_values.hpp"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QRandomGenerator>

#include <algorithm>
#include <array>
#include <optional>
#include <variant>

namespace biz::aftersales {

using tessera::FieldError;
using tessera::Record;
using tessera::Response;

namespace {

const QString kTicketCard = QStringLiteral("biz.aftersales/ticket");
const QString kSurveyCard = QStringLiteral("biz.aftersales/survey");
const QString kComplaintCard = QStringLiteral("biz.aftersales/complaint");
// The four questions of the survey, in the order the form asks them.
constexpr std::array<const char*, 4> kDimensions{"attitude", "skill", "timeliness", "promise"};

QString nowText(tessera::Context& ctx) { return ctx.clock().now().toLocalTime().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")); }
// A moment as people write it: 2026-12-04 17:41.
QString shown(const QString& iso) { return iso.left(16).replace(u'T', u' '); }
bool isCaller(const tessera::Request& r) { return r.access && r.access->caller().userId > 0; }

QString tokenHash(const QString& token) {
    return QString::fromLatin1(QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256).toHex());
}

// A new token: 32 bytes from the system's random source, base64url without padding.
QString newToken() {
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->generate(reinterpret_cast<quint32*>(bytes.data()), reinterpret_cast<quint32*>(bytes.data() + bytes.size()));
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

// A survey's or complaint's ticket, read as the system (the engine checked the caller reads it).
Record ticketOf(qint64 id, tessera::Context& ctx) {
    if (id <= 0) return {};
    auto ticket = ctx.records().read(kTicketCard, id);
    return ticket ? *ticket : Record{};
}

}  // namespace

void deriveSurvey(Record& draft, const Record* stored, tessera::Context& ctx) {
    (void)stored;
    const Record ticket = ticketOf(number(draft, "ticketId"), ctx);
    if (!ticket.isEmpty())
        for (const char* field : {"ticketNo", "customerId", "customerName", "unitId", "technician", "serviceClass"})
            draft.insert(QLatin1String(field), ticket.value(QLatin1String(field)));
    if (text(draft, "surveyedOn").isEmpty()) draft.insert(QStringLiteral("surveyedOn"), today(ctx));
}

QList<FieldError> checkSurvey(const Record& draft, const Record* stored, const tessera::Request& r, tessera::Context& ctx) {
    QList<FieldError> errors;
    const Record ticket = ticketOf(number(draft, "ticketId"), ctx);
    if (!ticket.isEmpty() && text(ticket, "state") != u"closed" && (!stored || number(*stored, "ticketId") != number(draft, "ticketId")))
        errors.append({QStringLiteral("ticketId"),
                       tessera::text("ticket %1 is not closed yet: the survey comes after the work", text(ticket, "ticketNo"))});
    // What the customer answered through the link is theirs: staff neither type it in as
    // theirs nor change it.
    const bool online = stored && text(*stored, "source") == u"online";
    if (isCaller(r) && text(draft, "source") == u"online" && !online)
        errors.append(
            {QStringLiteral("source"), tessera::text("is the customer's own, through the survey link; staff choose how they asked")});
    if (isCaller(r) && online) {
        for (const char* field : {"attitude", "skill", "timeliness", "promise", "suggestions", "complaint", "source", "surveyedOn"})
            if (text(draft, field) != text(*stored, field))
                errors.append(
                    {QLatin1String(field), tessera::text("was answered by the customer through the survey link and is not changed")});
    }
    return errors;
}

tessera::Status afterSurvey(const Record& saved, const Record* before, tessera::Context& ctx) {
    // Comments go to the suggestions and complaints book, once: a complaint with a 不满意
    // among the answers is serious and goes straight to the manager.
    bool dissatisfied = false;
    for (const char* d : kDimensions) dissatisfied = dissatisfied || text(saved, d) == u"1";
    const struct {
        const char* field;
        const char* kind;
    } comments[] = {{"complaint", "complaint"}, {"suggestions", "suggestion"}};
    for (const auto& c : comments) {
        if (text(saved, c.field).isEmpty() || (before && !text(*before, c.field).isEmpty())) continue;
        const bool serious = QLatin1String(c.kind) == u"complaint" && dissatisfied;
        auto made = ctx.records().create(
            kComplaintCard, Record{{QStringLiteral("customerId"), saved.value(QStringLiteral("customerId"))},
                                   {QStringLiteral("unitId"), saved.value(QStringLiteral("unitId"))},
                                   {QStringLiteral("ticketId"), saved.value(QStringLiteral("ticketId"))},
                                   {QStringLiteral("surveyId"), saved.value(QStringLiteral("id"))},
                                   {QStringLiteral("kind"), QLatin1String(c.kind)},
                                   {QStringLiteral("severity"), serious ? QStringLiteral("serious") : QStringLiteral("general")},
                                   {QStringLiteral("content"), text(saved, c.field)},
                                   {QStringLiteral("receivedOn"), saved.value(QStringLiteral("surveyedOn"))}});
        if (!made) return made.error();
    }
    return {};
}

void deriveComplaint(Record& draft, const Record* stored, tessera::Context& ctx) {
    const Record ticket = ticketOf(number(draft, "ticketId"), ctx);
    if (number(draft, "customerId") <= 0 && !ticket.isEmpty())
        draft.insert(QStringLiteral("customerId"), ticket.value(QStringLiteral("customerId")));
    if (auto customer = ctx.records().read(kCustomerCard, number(draft, "customerId")); customer && !customer->isEmpty())
        draft.insert(QStringLiteral("customerName"), customer->value(QStringLiteral("name")));
    if (text(draft, "receivedOn").isEmpty()) draft.insert(QStringLiteral("receivedOn"), today(ctx));
    // A serious complaint is the manager's from the start.
    if (!stored && text(draft, "severity") == u"serious") draft.insert(QStringLiteral("state"), QStringLiteral("escalated"));
}

QList<FieldError> checkComplaint(const Record& draft, const Record* stored, const tessera::Request&, tessera::Context& ctx) {
    (void)stored;
    QList<FieldError> errors;
    const Record ticket = ticketOf(number(draft, "ticketId"), ctx);
    if (!ticket.isEmpty() && number(ticket, "customerId") != number(draft, "customerId"))
        errors.append({QStringLiteral("ticketId"), tessera::text("ticket %1 is %2's, not %3's", text(ticket, "ticketNo"),
                                                                 text(ticket, "customerName"), text(draft, "customerName"))});
    return errors;
}

QList<FieldError> guardComplaint(const QString& step, const Record& draft, const Record& stored) {
    (void)stored;
    if (step == u"reply" && text(draft, "severity") == u"serious")
        return {{QStringLiteral("(step)"), tessera::text("a serious complaint is handled by the service manager: escalate it first")}};
    return {};
}

tessera::Result<QString> refuseComplaintDelete(const Record& complaint, tessera::Context&) {
    if (text(complaint, "state") == u"replied") return tessera::text("the customer has had the reply: it is part of their service history");
    return QString();
}

tessera::Result<std::vector<tessera::Reminder>> feedbackReminders(qint64 unitId, const QDate& date, tessera::Context& ctx) {
    (void)date;
    std::vector<tessera::Reminder> out;
    auto rows = ctx.database().query(QStringLiteral("SELECT state, count(*) AS n FROM biz_as_complaints WHERE unit_id = ?1 AND "
                                                    "state IN ('open', 'escalated') GROUP BY state"),
                                     {unitId});
    if (!rows) return rows.error();
    for (const auto& row : *rows) {
        const qint64 n = row.value(QStringLiteral("n")).toLongLong();
        if (row.value(QStringLiteral("state")).toString() == u"escalated")
            out.push_back({tessera::text("%1 serious complaints wait for the service manager's handling and reply", n),
                           QStringLiteral("urgent"),
                           QStringLiteral("/m/biz.aftersales/complaints?state=escalated"),
                           {}});
        else
            out.push_back({tessera::text("%1 suggestions and complaints wait for a reply to the customer", n),
                           QStringLiteral("warning"),
                           QStringLiteral("/m/biz.aftersales/complaints?state=open"),
                           {}});
    }
    return out;
}

// POST tickets/{id}/survey-link.
Response surveyLink(const tessera::Request& r, tessera::Context& ctx) {
    const auto id = tessera::idParam(r);
    if (!id) return Response::notFound(tessera::text("there is no dispatch ticket %1", r.param(QStringLiteral("id"))));
    tessera::Params params{*id};
    const QString inScope = r.scope->condition(QStringLiteral("unit_id"), params);
    auto ticket = ctx.database().queryOne(
        QStringLiteral("SELECT ticket_no, unit_id, state, technician FROM biz_as_tickets WHERE id = ?1 AND %1").arg(inScope), params);
    if (!ticket) return Response::storageFailure(ticket.error(), tessera::text("the ticket could not be read"));
    if (ticket->isEmpty()) return Response::notFound(tessera::text("there is no dispatch ticket %1", *id));
    const QString ticketNo = ticket->value(QStringLiteral("ticket_no")).toString();
    const qint64 unit = ticket->value(QStringLiteral("unit_id")).toLongLong();
    const qint64 me = r.access->caller().userId;
    const bool staff = r.access->scope(QStringLiteral("biz.aftersales.register")).contains(unit) ||
                       r.access->scope(QStringLiteral("biz.aftersales.dispatch")).contains(unit);
    const bool technician = ticket->value(QStringLiteral("technician")).toLongLong() == me &&
                            r.access->scope(QStringLiteral("biz.aftersales.work")).contains(unit);
    if (!staff && !technician)
        return Response::error(
            403, tessera::text("Forbidden"),
            tessera::text("only the service desk, the manager or the ticket's technician sends ticket %1's survey link", ticketNo));
    if (ticket->value(QStringLiteral("state")).toString() != u"closed")
        return Response::error(409, tessera::text("Conflict"),
                               tessera::text("ticket %1 is not closed yet: the survey comes after the work", ticketNo));
    const int days = ctx.setting(QStringLiteral("survey-link-days")).toInt();
    const QString token = newToken();
    const QDateTime now = ctx.clock().now().toLocalTime();
    const QString expires = now.addDays(days).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
    bool surveyed = false;
    tessera::Status s = ctx.database().transaction([&]() -> tessera::Status {
        auto done = ctx.database().queryOne(QStringLiteral("SELECT 1 AS x FROM biz_as_surveys WHERE ticket_id = ?1"), {*id});
        if (!done) return done.error();
        if (!done->isEmpty()) {
            surveyed = true;
            return {};
        }
        // One live link per ticket: the new one retires those before it.
        if (auto retired = ctx.database().execute(QStringLiteral("UPDATE biz_as_survey_links SET expires_at = ?2 WHERE ticket_id = ?1 AND "
                                                                 "used_at IS NULL AND expires_at > ?2"),
                                                  {*id, nowText(ctx)});
            !retired)
            return retired.error();
        auto added =
            ctx.database().execute(QStringLiteral("INSERT INTO biz_as_survey_links (ticket_id, token_hash, created_at, created_by, "
                                                  "expires_at) VALUES (?1, ?2, ?3, ?4, ?5)"),
                                   {*id, tokenHash(token), nowText(ctx), me, expires});
        if (!added) return added.error();
        return {};
    });
    if (!s) return Response::storageFailure(s.error(), tessera::text("the survey link could not be made"));
    if (surveyed)
        return Response::error(409, tessera::text("Conflict"), tessera::text("ticket %1 already has its satisfaction survey", ticketNo));
    return Response::created(QJsonObject{{QStringLiteral("path"), QStringLiteral("/p/biz.aftersales/survey/") + token},
                                         {QStringLiteral("token"), token},
                                         {QStringLiteral("expiresAt"), shown(expires)}});
}

namespace {

// The link behind a token, if it may still be used: its ticket id, or the answer to give.
std::variant<qint64, Response> usableLink(const QString& token, tessera::Context& ctx) {
    auto link =
        ctx.database().queryOne(QStringLiteral("SELECT l.ticket_id, l.expires_at, l.used_at, s.id AS survey FROM biz_as_survey_links l "
                                               "LEFT JOIN biz_as_surveys s ON s.ticket_id = l.ticket_id WHERE l.token_hash = ?1"),
                                {tokenHash(token)});
    if (!link) return Response::storageFailure(link.error(), tessera::text("the survey could not be read"));
    if (link->isEmpty())
        return Response::notFound(
            tessera::text("this survey link is not valid: check that it was copied whole, or ask the service desk for a new one"));
    if (!link->value(QStringLiteral("used_at")).isNull() || !link->value(QStringLiteral("survey")).isNull())
        return Response::error(410, tessera::text("Gone"), tessera::text("this survey has been answered already: thank you"));
    if (link->value(QStringLiteral("expires_at")).toString() <= nowText(ctx))
        return Response::error(410, tessera::text("Gone"),
                               tessera::text("this survey link expired on %1: ask the service desk for a new one",
                                             shown(link->value(QStringLiteral("expires_at")).toString())));
    return link->value(QStringLiteral("ticket_id")).toLongLong();
}

}  // namespace

// GET survey/{token}: public.
Response surveyForm(const tessera::Request& r, tessera::Context& ctx) {
    auto link = usableLink(r.param(QStringLiteral("token")), ctx);
    if (auto* refused = std::get_if<Response>(&link)) return std::move(*refused);
    const Record ticket = ticketOf(std::get<qint64>(link), ctx);
    QString technician;
    if (const qint64 who = number(ticket, "technician"); who > 0)
        if (auto names = ctx.records().userNames({who})) technician = names->value(who);
    const QHash<QString, QString> levels = ctx.dictionary(QStringLiteral("satisfaction"));
    QJsonArray levelList;
    for (const QString& code : {QStringLiteral("4"), QStringLiteral("3"), QStringLiteral("2"), QStringLiteral("1")})
        levelList.append(QJsonObject{{QStringLiteral("code"), code}, {QStringLiteral("label"), levels.value(code, code)}});
    const QString questions[] = {tessera::text("How was the technician's attitude?"), tessera::text("How was the technician's skill?"),
                                 tessera::text("Did the technician arrive in time?"), tessera::text("Did we keep our promises?")};
    QJsonArray questionList;
    for (std::size_t i = 0; i < kDimensions.size(); ++i)
        questionList.append(QJsonObject{{QStringLiteral("field"), QLatin1String(kDimensions[i])}, {QStringLiteral("label"), questions[i]}});
    return Response::json(QJsonObject{{QStringLiteral("ticketNo"), text(ticket, "ticketNo")},
                                      {QStringLiteral("customerName"), text(ticket, "customerName")},
                                      {QStringLiteral("technician"), technician},
                                      {QStringLiteral("closedAt"), shown(text(ticket, "closedAt"))},
                                      {QStringLiteral("questions"), questionList},
                                      {QStringLiteral("levels"), levelList}});
}

// POST survey/{token}: public.
Response answerSurvey(const tessera::Request& r, tessera::Context& ctx) {
    const QString token = r.param(QStringLiteral("token"));
    const QJsonObject body = r.body.toObject();
    QList<FieldError> errors;
    Record answers;
    for (auto it = body.constBegin(); it != body.constEnd(); ++it) {
        const bool known =
            std::any_of(kDimensions.begin(), kDimensions.end(), [&](const char* d) { return it.key() == QLatin1String(d); }) ||
            it.key() == u"suggestions" || it.key() == u"complaint";
        if (!known)
            errors.append({it.key(), tessera::text("is not a question of the survey")});
        else
            answers.insert(it.key(), it.value());
    }
    if (!errors.isEmpty()) return Response::invalid(errors);
    std::optional<Response> refused;
    tessera::Status s = ctx.database().transaction([&]() -> tessera::Status {
        auto link = usableLink(token, ctx);
        if (auto* no = std::get_if<Response>(&link)) {
            refused = std::move(*no);
            return {};
        }
        // Used once: the first answer that marks it wins, a second finds it used.
        auto used =
            ctx.database().execute(QStringLiteral("UPDATE biz_as_survey_links SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL"),
                                   {tokenHash(token), nowText(ctx)});
        if (!used) return used.error();
        if (used->changes != 1) {
            refused = Response::error(410, tessera::text("Gone"), tessera::text("this survey has been answered already: thank you"));
            return {};
        }
        answers.insert(QStringLiteral("ticketId"), std::get<qint64>(link));
        answers.insert(QStringLiteral("source"), QStringLiteral("online"));
        auto made = ctx.records().create(kSurveyCard, answers);
        if (!made) return made.error();  // undoes the marking: the link still works once the answer is right
        return {};
    });
    if (refused) return std::move(*refused);
    if (!s)
        return s.error().field.isEmpty() ? Response::storageFailure(s.error(), tessera::text("the answers could not be saved"))
                                         : Response::invalid({{s.error().field, s.error().message}});
    return Response::created(QJsonObject{{QStringLiteral("message"), tessera::text("thank you: your answers have been received")}});
}

}  // namespace biz::aftersales

namespace biz::aftersales {

tessera::Response satisfactionByMonth(const tessera::Request& r, tessera::Context& ctx) {
    Response refused;
    auto asked = yearInScope(r, ctx, refused);
    if (!asked) return refused;
    const QDate today = ctx.clock().now().toLocalTime().date();
    const qint64 year = asked->year;
    // The dictionary's codes are the scores: 4 很满意 ... 1 不满意.
    QString sums;
    for (const char* d : kDimensions) sums += QStringLiteral(", sum(CAST(%1 AS INTEGER)) AS %1").arg(QLatin1String(d));
    auto rows = ctx.database().query(QStringLiteral("SELECT substr(surveyed_on, 6, 2) AS month, count(*) AS n%1 FROM biz_as_surveys "
                                                    "WHERE substr(surveyed_on, 1, 4) = ?1 AND %2 GROUP BY 1")
                                         .arg(sums, asked->inScope),
                                     asked->params);
    if (!rows) return Response::storageFailure(rows.error(), tessera::text("the surveys could not be counted"));
    // An average score to two decimals, half up, from whole sums: exact, then a JSON number to draw.
    auto average = [](qint64 sum, qint64 n) { return QJsonValue(double(tessera::divideRoundingHalfUp(sum * 100, n)) / 100.0); };
    QHash<int, tessera::Row> byMonth;
    for (const auto& row : *rows) byMonth.insert(row.value(QStringLiteral("month")).toInt(), row);
    QJsonArray items;
    qint64 surveys = 0;
    std::array<qint64, kDimensions.size()> totals{};
    const int last = year == today.year() ? today.month() : 12;
    for (int month = 1; month <= last; ++month) {
        QJsonObject item{{QStringLiteral("key"), QStringLiteral("%1-%2").arg(year).arg(month, 2, 10, QLatin1Char('0'))},
                         {QStringLiteral("label"), tessera::text("%1/%2", year, month)}};
        const auto found = byMonth.constFind(month);
        const qint64 n = found == byMonth.constEnd() ? 0 : found->value(QStringLiteral("n")).toLongLong();
        item.insert(QStringLiteral("surveys"), n);
        for (std::size_t i = 0; i < kDimensions.size(); ++i) {
            const QLatin1String d(kDimensions[i]);
            const qint64 sum = n ? found->value(d).toLongLong() : 0;
            item.insert(d, n ? average(sum, n) : QJsonValue());  // no survey that month: a gap, not a zero
            totals[i] += sum;
        }
        surveys += n;
        items.append(item);
    }
    QJsonObject total{{QStringLiteral("surveys"), surveys}};
    for (std::size_t i = 0; i < kDimensions.size(); ++i)
        total.insert(QLatin1String(kDimensions[i]), surveys ? average(totals[i], surveys) : QJsonValue());
    return Response::json(
        QJsonObject{{QStringLiteral("title"), tessera::text("satisfaction in %1: the average score of each question by month "
                                                            "(4 very satisfied, 1 dissatisfied)",
                                                            year)},
                    {QStringLiteral("params"), QJsonObject{{QStringLiteral("year"), QString::number(year)}}},
                    {QStringLiteral("items"), items},
                    {QStringLiteral("total"), total}});
}

}  // namespace biz::aftersales
