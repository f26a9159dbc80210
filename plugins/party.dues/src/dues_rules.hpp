#pragma once
// party.dues' rules (党费管理), as the record engine's hooks call them: the official brackets,
// and what a payment must be. Money is exact: integer fen (tessera/decimal.hpp), rounded half
// up to the fen where a rate makes a fraction of one.

#include <tessera/tessera.hpp>

#include <optional>

namespace party::dues {

inline const QString kMemberCard = QStringLiteral("party.daily/member");

/// The rate of a category's base in per mille (5 = 0.5%), from the brackets: employed,
/// annual-salary and self-employed members 0.5% up to 3000.00 yuan, 1% up to 5000.00, 1.5% up
/// to 10000.00 and 2% above (a bound belongs to the lower bracket); retired members 0.5% of a
/// pension up to 5000.00 and 1% above. nullopt for categories with a fixed amount.
std::optional<int> ratePerMille(const QString& category, qint64 baseFen);
/// What a member of `category` owes a month, in fen: the base at its rate, rounded half up;
/// a farmer's chosen amount; 0.20 yuan for students, the unemployed and those on relief.
std::optional<qint64> monthlyFen(const QString& category, std::optional<qint64> baseFen, std::optional<qint64> fixedFen);

/// A base's member's name and organisation, its rate and monthly dues.
void deriveProfile(tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);
/// The base or amount its category needs (and no other); from the month the member joined,
/// and from a month not yet paid (a new base applies from the month it is first paid); a base
/// months were paid at stays as it is.
QList<tessera::FieldError> checkProfile(const tessera::Record& draft, const tessera::Record* stored, const tessera::Request& r,
                                        tessera::Context& ctx);

/// A payment's member's name and organisation, and what its months are due.
void derivePayment(tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);
/// Months with a base, not paid before, not after the month paid in (except the quarter, with
/// the branch's consent), and the amount exactly what they are due.
QList<tessera::FieldError> checkPayment(const tessera::Record& draft, const tessera::Record* stored, const tessera::Request& r,
                                        tessera::Context& ctx);
/// Back payment beyond the months normally allowed (a warning: saved all the same).
QList<tessera::FieldError> warnPayment(const tessera::Record& saved, tessera::Context& ctx);

/// 少交/免交: decided by the branch, approved by the higher committee after it; a reduction
/// names the smaller monthly amount, less than what is due; never over months reduced,
/// exempt or paid already. Exempt months are due nothing (and are no arrears).
void deriveExemption(tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);
QList<tessera::FieldError> checkExemption(const tessera::Record& draft, const tessera::Record* stored, const tessera::Request& r,
                                          tessera::Context& ctx);

/// Voluntary large dues (one payment of 1000 yuan or more, the manifest's min): kept apart
/// from the ordinary payments and remitted whole, not before they were paid.
void deriveLarge(tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);
QList<tessera::FieldError> checkLarge(const tessera::Record& draft);

/// A branch's dues recording starts once: one start month per unit.
QList<tessera::FieldError> checkStart(const tessera::Record& draft, tessera::Context& ctx);

/// Members in arrears on `date`: on the roll, with a base, and no payment for at least the
/// `arrears-months` setting's months in a row up to the last whole month, not counting exempt
/// months, months before their first base or before their branch's start month. One set
/// query; `scopeWhere` narrows party_members (alias p) with its params first.
struct Arrears {
    qint64 memberId = 0;
    QString name;
    qint64 unitId = 0;
    qint64 months = 0;
};
tessera::Result<std::vector<Arrears>> arrears(const QString& scopeWhere, tessera::Params params, const QDate& date, tessera::Context& ctx);
/// GET arrears?unit=  the members in arrears in the caller's scope, most months first, for the chart view.
tessera::Response arrearsList(const tessera::Request& r, tessera::Context& ctx);
/// The home reminder of an organisation and those below it: how many of their members are in arrears.
tessera::Result<std::vector<tessera::Reminder>> arrearsReminder(const tessera::ReminderRequest& r, tessera::Context& ctx);

/// The monthly arrears check (scheduled by the host): the members in arrears when `period`
/// ("2026-12") began, kept in party_dues_arrears for that month (again if run again).
tessera::Result<QString> checkArrears(const QString& period, tessera::Context& ctx);

/// The fact "paid-up-to" (Records::fact "party.dues/paid-up-to"): the last month a member has
/// paid up to, "2026-11" (交至年月, which a transfer letter states); null when none.
tessera::Result<QJsonValue> paidUpTo(qint64 memberId, tessera::Context& ctx);

/// The member card's section: the base, rate and monthly dues now, paid up to, the last payment.
tessera::Result<QJsonArray> memberDues(qint64 memberId, const tessera::Request& r, tessera::Context& ctx);

}  // namespace party::dues
