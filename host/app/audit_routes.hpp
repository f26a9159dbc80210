#pragma once
// GET /api/v1/audit: the audit log for administrators (permission kAuditRead), newest
// first, filtered by query parameters:
//   user    a user id (digits; 0 is the system) or a username
//   plugin  plugin id          table   table name          record  record id (with table)
//   action  insert, update, delete, bulk, login, login.failed, ...
//   from    ISO date or date-time, inclusive; without an offset it is UTC
//   to      likewise, inclusive; a date alone means the end of that day
//   page    from 1             size    1 to 200, default 20
// An auditor whose kAuditRead reaches only some units reads only the entries of records
// in those units (each entry's unit is recorded at write time); entries of unknown unit
// (roles, logins, bulk summaries, entries older than host migration 0009) only auditors of
// all units read. Bad values: 422 listing every bad parameter. There is deliberately no
// route that writes: the log cannot be changed through the API (other methods get 405).

#include "app/host_route.hpp"
#include "store/audit_log.hpp"

namespace tessera::host {

HostRoutes auditRoutes(AuditLog& log);

}  // namespace tessera::host
