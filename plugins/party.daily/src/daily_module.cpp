// party.daily: party organisations, members and applicants (日常管理).
// Its three cards are served by the host's record engine from the manifest (docs/records.md:
// list, get, create, update, delete, history, counts?by=, import, export); the organisation
// card is a card that is a unit of the tree (is-unit). This plugin adds their rules as hooks,
// and serves the rest itself:
//   GET    members/counts/{category|gender|ethnicity|education|age}?<the list's filters>   counts for
//                               the charts, of the members the list shows for the same query
// the organisation card's section of direct members and branch warnings, the home page's
// party reminders and the demo data.

#include "counts.hpp"
#include "demo_data.hpp"
#include "member.hpp"
#include "org.hpp"
#include "reminders.hpp"

#include <tessera/tessera.hpp>

#include <QJsonArray>

namespace party::daily {

namespace {

using tessera::Context;
using tessera::Method;
using tessera::Request;
using tessera::Response;

const QString kRead = QStringLiteral("party.daily.read");
const QString kWrite = QStringLiteral("party.daily.write");

// Today as people here count days (a join date "in the future" is after the local date).
QDate today(Context& ctx) { return ctx.clock().now().toLocalTime().date(); }

class DailyModule final : public tessera::Module {
public:
    void declare(tessera::Declarations& d) override {
        tessera::RecordHooks memberRules;
        memberRules.derive = [](tessera::Record& draft, const tessera::Record* stored, Context& ctx) {
            deriveMember(draft, stored, today(ctx));
        };
        memberRules.validate = [](const tessera::Record& draft, const tessera::Record*, const Request&, Context& ctx) {
            return checkMember(draft, today(ctx));
        };
        d.records(QStringLiteral("member"), std::move(memberRules));
        d.pureRules(QStringLiteral("member"));  // they read only the draft and the clock
        tessera::RecordHooks applicants;
        applicants.derive = [](tessera::Record& draft, const tessera::Record*, Context& ctx) { deriveFromCitizenId(draft, false, today(ctx)); };
        applicants.validate = [](const tessera::Record& draft, const tessera::Record*, const Request&, Context& ctx) {
            return checkApplicant(draft, today(ctx));
        };
        d.records(QStringLiteral("applicant"), std::move(applicants));
        d.pureRules(QStringLiteral("applicant"));
        tessera::RecordHooks orgRules;
        orgRules.derive = [](tessera::Record& draft, const tessera::Record*, Context&) { deriveOrg(draft); };
        orgRules.validate = [](const tessera::Record& draft, const tessera::Record*, const Request&, Context&) { return checkOrg(draft); };
        d.records(QStringLiteral("org"), std::move(orgRules));
        d.route(Method::Get, QStringLiteral("members/counts/{dimension}"), [](const Request& r, Context& c) { return memberCounts(r, c); }, kRead);
        d.demo(makeDemoData);
        // Home page: probation years ending, birthdays, members out of contact (reminders.hpp).
        d.subtreeReminders(kRead, partyReminders);
        // The organisation card's own section: its members and the branch warnings.
        d.cardSection(QStringLiteral("org-checks"), [](qint64 unitId, const Request&, Context& ctx) -> tessera::Result<QJsonArray> {
            auto card = ctx.database().queryOne(QStringLiteral("SELECT org_type FROM party_orgs WHERE id = ?1"), {unitId});
            if (!card) return card.error();
            auto counts = ctx.database().query(QStringLiteral("SELECT category, count(*) AS n FROM party_members WHERE unit_id = ?1 AND left_date IS NULL GROUP BY category"), {unitId});
            if (!counts) return counts.error();
            DirectMembers members;
            for (const auto& row : *counts)
                (row.value(QStringLiteral("category")).toString() == QLatin1String("formal") ? members.formal : members.probationary) =
                    row.value(QStringLiteral("n")).toLongLong();
            auto item = [](const QString& what, const QString& value) {
                return QJsonObject{{QStringLiteral("item"), what}, {QStringLiteral("value"), value}};
            };
            QJsonArray rows{item(QStringLiteral("正式党员"), QStringLiteral("%1人").arg(members.formal)),
                            item(QStringLiteral("预备党员"), QStringLiteral("%1人").arg(members.probationary))};
            for (const QString& w : branchWarnings(card->value(QStringLiteral("org_type")).toString(), members)) rows.append(item(QStringLiteral("提醒"), w));
            return rows;
        });
    }

    tessera::Status start(Context& ctx) override {
        // The national tables the counts and the demo data read: a deployment without them is refused.
        for (const char* id : {"ethnicity", "education", "education-group"})
            if (ctx.dictionary(QLatin1String(id)).isEmpty())
                return tessera::Error{QStringLiteral("party.dictionary"), tessera::text("the manifest's dictionary %1 has no items", QLatin1String(id))};
        return {};
    }
};

}  // namespace

}  // namespace party::daily

TESSERA_MODULE(party::daily::DailyModule)
