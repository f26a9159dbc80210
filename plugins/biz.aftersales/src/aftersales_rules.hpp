#pragma once
// biz.aftersales' rules (售后服务), as the record engine's hooks call them. The registration,
// ticket and contract cards are declared in manifest.xml; these are what the cards cannot say.

#include <tessera/tessera.hpp>

namespace biz::aftersales {

inline const QString kCustomerCard = QStringLiteral("biz.customers/customer");
inline const QString kRegistrationCard = QStringLiteral("biz.aftersales/registration");

/// A call: the customer's name, and their address and phone where the call gives none; the
/// time received (now when left empty) and its day, which numbers it.
void deriveRegistration(tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);

/// A ticket takes the customer, address, phone, situation and time of its call; class B finds
/// the customer's contract covering the call's day when none is named; the total of the fees.
void deriveTicket(tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);

/// Class B needs a contract of the call's customer covering its day, and only B names one;
/// only class A is charged and invoiced; an issued invoice has its number and date.
QList<tessera::FieldError> checkTicket(const tessera::Record& draft, const tessera::Record* stored, const tessera::Request& r,
                                       tessera::Context& ctx);

/// The technician's steps: arrival not before the call, closing not before the arrival.
QList<tessera::FieldError> guardTicket(const QString& step, const tessera::Record& draft, const tessera::Record& stored);

/// An arrival later than the response target (`hours` after the call) is saved with a warning.
QList<tessera::FieldError> warnTicket(const tessera::Record& saved, const tessera::Record* before, int hours);

/// A contract ends after it starts.
QList<tessera::FieldError> checkContract(const tessera::Record& draft, const tessera::Record* stored, const tessera::Request& r,
                                         tessera::Context& ctx);
void deriveContract(tessera::Record& draft, const tessera::Record* stored, tessera::Context& ctx);

/// The home reminders of a unit: tickets waiting for a technician past the response target,
/// contracts ending within the notice days.
tessera::Result<std::vector<tessera::Reminder>> serviceReminders(qint64 unitId, const QDate& date, tessera::Context& ctx);

/// GET statistics?year=&by=class|month&unit=: the tickets of a year (by the call's time) in the
/// caller's scope (the picked unit and below) by service class or month: tickets, closed,
/// arrived, on time (within the response target), the rate, the average response in hours
/// and what class A work charged, with the totals; a report the shell draws and exports.
tessera::Response serviceStatistics(const tessera::Request& r, tessera::Context& ctx);

}  // namespace biz::aftersales
