// Access control end to end, over real HTTP against the real host and plugins:
// - the permission matrix: every route of every built plugin and of the host, called by users
//   with each kind of role on different branches of the unit tree, gets exactly the expected
//   verdict; a route missing from the table below fails the test, so a new route cannot slip
//   in without a declared and reviewed permission;
// - leaks: records of another branch stay invisible, also by guessing ids;
// - CSRF, logout, token revocation, login throttling, and that changes of roles,
//   assignments and the tree apply to the very next request.

#include "host_fixture.hpp"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QSet>
#include <QUrl>

#include <gtest/gtest.h>

#include <map>

using namespace tessera;
using namespace tessera::test;

namespace {

const QString kAuthenticated = QStringLiteral("authenticated");

// Every route served, with the permission it must require. Keep in step with the code: a
// route that is served but not listed here, or listed but not served, fails the test.
const std::map<QString, QString> kExpectedRoutes = {
    {QStringLiteral("GET /api/v1/health"), kPublicRoute},
    {QStringLiteral("GET /api/v1/plugins"), kAuthenticated},
    {QStringLiteral("GET /api/v1/plugins/{id}"), kAuthenticated},
    {QStringLiteral("POST /api/v1/auth/login"), kPublicRoute},
    {QStringLiteral("POST /api/v1/auth/logout"), kAuthenticated},
    {QStringLiteral("GET /api/v1/auth/me"), kAuthenticated},
    {QStringLiteral("PATCH /api/v1/auth/me"), kAuthenticated},
    {QStringLiteral("GET /api/v1/auth/tokens"), kAuthenticated},
    {QStringLiteral("POST /api/v1/auth/tokens"), kAuthenticated},
    {QStringLiteral("DELETE /api/v1/auth/tokens/{id}"), kAuthenticated},
    {QStringLiteral("GET /api/v1/users"), QStringLiteral("core.users.manage")},
    {QStringLiteral("POST /api/v1/users"), QStringLiteral("core.users.manage")},
    {QStringLiteral("GET /api/v1/users/{id}"), QStringLiteral("core.users.manage")},
    {QStringLiteral("PUT /api/v1/users/{id}"), QStringLiteral("core.users.manage")},
    {QStringLiteral("POST /api/v1/users/{id}/password"), QStringLiteral("core.users.manage")},
    {QStringLiteral("POST /api/v1/users/{id}/assignments"), QStringLiteral("core.users.manage")},
    {QStringLiteral("DELETE /api/v1/users/{id}/assignments/{assignment}"), QStringLiteral("core.users.manage")},
    {QStringLiteral("GET /api/v1/roles"), QStringLiteral("core.users.manage")},
    {QStringLiteral("POST /api/v1/roles"), QStringLiteral("core.users.manage")},
    {QStringLiteral("PUT /api/v1/roles/{id}"), QStringLiteral("core.users.manage")},
    {QStringLiteral("DELETE /api/v1/roles/{id}"), QStringLiteral("core.users.manage")},
    {QStringLiteral("GET /api/v1/permissions"), QStringLiteral("core.users.manage")},
    {QStringLiteral("GET /api/v1/units"), QStringLiteral("core.units.read")},
    {QStringLiteral("GET /api/v1/units/search"), QStringLiteral("core.units.read")},
    {QStringLiteral("GET /api/v1/units/labels"), QStringLiteral("core.units.read")},
    {QStringLiteral("GET /api/v1/units/{id}"), QStringLiteral("core.units.read")},
    {QStringLiteral("GET /api/v1/units/{id}/subtree"), QStringLiteral("core.units.read")},
    {QStringLiteral("POST /api/v1/units"), QStringLiteral("core.units.write")},
    {QStringLiteral("PUT /api/v1/units/{id}"), QStringLiteral("core.units.write")},
    {QStringLiteral("POST /api/v1/units/{id}/move"), QStringLiteral("core.units.write")},
    {QStringLiteral("DELETE /api/v1/units/{id}"), QStringLiteral("core.units.write")},
    {QStringLiteral("GET /api/v1/audit"), QStringLiteral("core.audit.read")},
    {QStringLiteral("GET /api/v1/shell"), kAuthenticated},
    {QStringLiteral("GET /api/v1/reminders"), kAuthenticated},
    {QStringLiteral("GET /api/v1/todo"), kAuthenticated},
    {QStringLiteral("GET /api/v1/units/lookup"), kAuthenticated},
    {QStringLiteral("GET /api/v1/shell/tiles/{id}/image"), kAuthenticated},
    {QStringLiteral("PUT /api/v1/shell/tiles/{id}/image"), QStringLiteral("core.plugins.manage")},
    {QStringLiteral("DELETE /api/v1/shell/tiles/{id}/image"), QStringLiteral("core.plugins.manage")},
    {QStringLiteral("PUT /api/v1/plugins/{id}/features/{name}"), QStringLiteral("core.plugins.manage")},
    {QStringLiteral("DELETE /api/v1/plugins/{id}/features/{name}"), QStringLiteral("core.plugins.manage")},
    {QStringLiteral("GET /api/v1/cards/{plugin}/{card}/{id}/sections"), kAuthenticated},
    {QStringLiteral("GET /api/v1/jobs"), kAuthenticated},
    {QStringLiteral("GET /api/v1/jobs/{id}"), kAuthenticated},
    {QStringLiteral("POST /api/v1/jobs/{id}/cancel"), kAuthenticated},
    {QStringLiteral("GET /api/v1/jobs/{id}/output"), kAuthenticated},
    {QStringLiteral("POST /api/v1/files"), kAuthenticated},
    {QStringLiteral("GET /api/v1/files/{id}"), kAuthenticated},
    {QStringLiteral("DELETE /api/v1/files/{id}"), kAuthenticated},
    {QStringLiteral("GET /api/v1/biz.customers/customers"), QStringLiteral("biz.customers.read")},
    {QStringLiteral("POST /api/v1/biz.customers/customers/export"), QStringLiteral("biz.customers.read")},
    {QStringLiteral("GET /api/v1/biz.customers/customers/stats/monthly"), QStringLiteral("biz.customers.read")},
    {QStringLiteral("GET /api/v1/biz.customers/customers/{id}"), QStringLiteral("biz.customers.read")},
    {QStringLiteral("GET /api/v1/biz.customers/customers/counts"), QStringLiteral("biz.customers.read")},
    {QStringLiteral("POST /api/v1/biz.customers/customers/import"), QStringLiteral("biz.customers.write")},
    {QStringLiteral("GET /api/v1/biz.customers/customers/{id}/history"), QStringLiteral("biz.customers.read")},
    {QStringLiteral("POST /api/v1/biz.customers/customers"), QStringLiteral("biz.customers.write")},
    {QStringLiteral("PUT /api/v1/biz.customers/customers/{id}"), QStringLiteral("biz.customers.write")},
    {QStringLiteral("DELETE /api/v1/biz.customers/customers/{id}"), QStringLiteral("biz.customers.write")},
    {QStringLiteral("GET /api/v1/party.daily/members"), QStringLiteral("party.daily.read")},
    {QStringLiteral("GET /api/v1/party.daily/members/counts/{dimension}"), QStringLiteral("party.daily.read")},
    {QStringLiteral("POST /api/v1/party.daily/members/import"), QStringLiteral("party.daily.write")},
    {QStringLiteral("POST /api/v1/party.daily/orgs/import"), QStringLiteral("party.daily.write")},
    {QStringLiteral("POST /api/v1/party.daily/members/export"), QStringLiteral("party.daily.read")},
    {QStringLiteral("POST /api/v1/party.daily/orgs/export"), QStringLiteral("party.daily.read")},
    {QStringLiteral("GET /api/v1/party.daily/members/{id}"), QStringLiteral("party.daily.read")},
    {QStringLiteral("POST /api/v1/party.daily/members"), QStringLiteral("party.daily.write")},
    {QStringLiteral("PUT /api/v1/party.daily/members/{id}"), QStringLiteral("party.daily.write")},
    {QStringLiteral("DELETE /api/v1/party.daily/members/{id}"), QStringLiteral("party.daily.write")},
    {QStringLiteral("GET /api/v1/party.daily/applicants"), QStringLiteral("party.daily.read")},
    {QStringLiteral("GET /api/v1/party.daily/applicants/{id}"), QStringLiteral("party.daily.read")},
    {QStringLiteral("POST /api/v1/party.daily/applicants"), QStringLiteral("party.daily.write")},
    {QStringLiteral("PUT /api/v1/party.daily/applicants/{id}"), QStringLiteral("party.daily.write")},
    {QStringLiteral("DELETE /api/v1/party.daily/applicants/{id}"), QStringLiteral("party.daily.write")},
    {QStringLiteral("GET /api/v1/party.daily/members/counts"), QStringLiteral("party.daily.read")},
    {QStringLiteral("GET /api/v1/party.daily/members/{id}/history"), QStringLiteral("party.daily.read")},
    {QStringLiteral("GET /api/v1/party.daily/applicants/counts"), QStringLiteral("party.daily.read")},
    {QStringLiteral("GET /api/v1/party.daily/applicants/{id}/history"), QStringLiteral("party.daily.read")},
    {QStringLiteral("POST /api/v1/party.daily/applicants/export"), QStringLiteral("party.daily.read")},
    {QStringLiteral("POST /api/v1/party.daily/applicants/import"), QStringLiteral("party.daily.write")},
    {QStringLiteral("GET /api/v1/party.daily/orgs"), QStringLiteral("party.daily.read")},
    {QStringLiteral("GET /api/v1/party.daily/orgs/{id}"), QStringLiteral("party.daily.read")},
    {QStringLiteral("POST /api/v1/party.daily/orgs"), QStringLiteral("party.daily.write")},
    {QStringLiteral("PUT /api/v1/party.daily/orgs/{id}"), QStringLiteral("party.daily.write")},
    {QStringLiteral("DELETE /api/v1/party.daily/orgs/{id}"), QStringLiteral("party.daily.write")},
    {QStringLiteral("GET /api/v1/party.daily/orgs/counts"), QStringLiteral("party.daily.read")},
    {QStringLiteral("GET /api/v1/party.daily/orgs/{id}/history"), QStringLiteral("party.daily.read")},
    // party.transfer: the transfer card, its steps (each checks its own permission at the
    // record's unit too) and its letter.
    {QStringLiteral("GET /api/v1/party.transfer/transfers"), QStringLiteral("party.transfer.read")},
    {QStringLiteral("GET /api/v1/party.transfer/transfers/counts"), QStringLiteral("party.transfer.read")},
    {QStringLiteral("POST /api/v1/party.transfer/transfers/export"), QStringLiteral("party.transfer.read")},
    {QStringLiteral("POST /api/v1/party.transfer/transfers/import"), QStringLiteral("party.transfer.send")},
    {QStringLiteral("GET /api/v1/party.transfer/transfers/{id}"), QStringLiteral("party.transfer.read")},
    {QStringLiteral("GET /api/v1/party.transfer/transfers/{id}/history"), QStringLiteral("party.transfer.read")},
    {QStringLiteral("POST /api/v1/party.transfer/transfers"), QStringLiteral("party.transfer.send")},
    {QStringLiteral("PUT /api/v1/party.transfer/transfers/{id}"), QStringLiteral("party.transfer.send")},
    {QStringLiteral("DELETE /api/v1/party.transfer/transfers/{id}"), QStringLiteral("party.transfer.send")},
    {QStringLiteral("GET /api/v1/party.transfer/transfers/{id}/steps"), QStringLiteral("party.transfer.read")},
    {QStringLiteral("POST /api/v1/party.transfer/transfers/{id}/steps/{step}"), QStringLiteral("party.transfer.read")},
    {QStringLiteral("GET /api/v1/party.transfer/transfers/{id}/documents"), QStringLiteral("party.transfer.read")},
    {QStringLiteral("POST /api/v1/party.transfer/transfers/{id}/documents/{document}"), QStringLiteral("party.transfer.read")},
    {QStringLiteral("GET /api/v1/party.transfer/transfers/{id}/printed/{copy}"), QStringLiteral("party.transfer.read")},
    // Transfers in from outside the system, and their return slip.
    {QStringLiteral("GET /api/v1/party.transfer/intakes"), QStringLiteral("party.transfer.read")},
    {QStringLiteral("GET /api/v1/party.transfer/intakes/counts"), QStringLiteral("party.transfer.read")},
    {QStringLiteral("POST /api/v1/party.transfer/intakes/export"), QStringLiteral("party.transfer.read")},
    {QStringLiteral("POST /api/v1/party.transfer/intakes/import"), QStringLiteral("party.transfer.receive")},
    {QStringLiteral("GET /api/v1/party.transfer/intakes/{id}"), QStringLiteral("party.transfer.read")},
    {QStringLiteral("GET /api/v1/party.transfer/intakes/{id}/history"), QStringLiteral("party.transfer.read")},
    {QStringLiteral("POST /api/v1/party.transfer/intakes"), QStringLiteral("party.transfer.receive")},
    {QStringLiteral("PUT /api/v1/party.transfer/intakes/{id}"), QStringLiteral("party.transfer.receive")},
    {QStringLiteral("DELETE /api/v1/party.transfer/intakes/{id}"), QStringLiteral("party.transfer.receive")},
    {QStringLiteral("GET /api/v1/party.transfer/intakes/{id}/documents"), QStringLiteral("party.transfer.read")},
    {QStringLiteral("POST /api/v1/party.transfer/intakes/{id}/documents/{document}"), QStringLiteral("party.transfer.read")},
    {QStringLiteral("GET /api/v1/party.transfer/intakes/{id}/printed/{copy}"), QStringLiteral("party.transfer.read")},
    {QStringLiteral("GET /api/v1/party.transfer/org-moves"), QStringLiteral("party.transfer.read")},
    {QStringLiteral("GET /api/v1/party.transfer/org-moves/counts"), QStringLiteral("party.transfer.read")},
    {QStringLiteral("POST /api/v1/party.transfer/org-moves/export"), QStringLiteral("party.transfer.read")},
    {QStringLiteral("POST /api/v1/party.transfer/org-moves/import"), QStringLiteral("party.transfer.send")},
    {QStringLiteral("GET /api/v1/party.transfer/org-moves/{id}"), QStringLiteral("party.transfer.read")},
    {QStringLiteral("GET /api/v1/party.transfer/org-moves/{id}/history"), QStringLiteral("party.transfer.read")},
    {QStringLiteral("POST /api/v1/party.transfer/org-moves"), QStringLiteral("party.transfer.send")},
    {QStringLiteral("PUT /api/v1/party.transfer/org-moves/{id}"), QStringLiteral("party.transfer.send")},
    {QStringLiteral("DELETE /api/v1/party.transfer/org-moves/{id}"), QStringLiteral("party.transfer.send")},
    // party.elections: committee terms and posts.
    {QStringLiteral("GET /api/v1/party.elections/terms"), QStringLiteral("party.elections.read")},
    {QStringLiteral("GET /api/v1/party.elections/terms/counts"), QStringLiteral("party.elections.read")},
    {QStringLiteral("POST /api/v1/party.elections/terms/export"), QStringLiteral("party.elections.read")},
    {QStringLiteral("POST /api/v1/party.elections/terms/import"), QStringLiteral("party.elections.write")},
    {QStringLiteral("GET /api/v1/party.elections/terms/{id}"), QStringLiteral("party.elections.read")},
    {QStringLiteral("GET /api/v1/party.elections/terms/{id}/history"), QStringLiteral("party.elections.read")},
    {QStringLiteral("POST /api/v1/party.elections/terms"), QStringLiteral("party.elections.write")},
    {QStringLiteral("PUT /api/v1/party.elections/terms/{id}"), QStringLiteral("party.elections.write")},
    {QStringLiteral("DELETE /api/v1/party.elections/terms/{id}"), QStringLiteral("party.elections.write")},
    {QStringLiteral("GET /api/v1/party.elections/posts"), QStringLiteral("party.elections.read")},
    {QStringLiteral("GET /api/v1/party.elections/posts/counts"), QStringLiteral("party.elections.read")},
    {QStringLiteral("POST /api/v1/party.elections/posts/export"), QStringLiteral("party.elections.read")},
    {QStringLiteral("POST /api/v1/party.elections/posts/import"), QStringLiteral("party.elections.write")},
    {QStringLiteral("GET /api/v1/party.elections/posts/{id}"), QStringLiteral("party.elections.read")},
    {QStringLiteral("GET /api/v1/party.elections/posts/{id}/history"), QStringLiteral("party.elections.read")},
    {QStringLiteral("POST /api/v1/party.elections/posts"), QStringLiteral("party.elections.write")},
    {QStringLiteral("PUT /api/v1/party.elections/posts/{id}"), QStringLiteral("party.elections.write")},
    {QStringLiteral("DELETE /api/v1/party.elections/posts/{id}"), QStringLiteral("party.elections.write")},
    // party.life: meetings and their statistics.
    {QStringLiteral("GET /api/v1/party.life/meetings"), QStringLiteral("party.life.read")},
    {QStringLiteral("GET /api/v1/party.life/meetings/counts"), QStringLiteral("party.life.read")},
    {QStringLiteral("POST /api/v1/party.life/meetings/export"), QStringLiteral("party.life.read")},
    {QStringLiteral("POST /api/v1/party.life/meetings/import"), QStringLiteral("party.life.write")},
    {QStringLiteral("GET /api/v1/party.life/meetings/{id}"), QStringLiteral("party.life.read")},
    {QStringLiteral("GET /api/v1/party.life/meetings/{id}/history"), QStringLiteral("party.life.read")},
    {QStringLiteral("POST /api/v1/party.life/meetings"), QStringLiteral("party.life.write")},
    {QStringLiteral("PUT /api/v1/party.life/meetings/{id}"), QStringLiteral("party.life.write")},
    {QStringLiteral("DELETE /api/v1/party.life/meetings/{id}"), QStringLiteral("party.life.write")},
    // A meeting's files: read to reach them; a change also needs party.life.write at the
    // meeting's own unit, checked by the route (docs/records.md, "Attachments").
    {QStringLiteral("GET /api/v1/party.life/meetings/{id}/attachments/{field}"), QStringLiteral("party.life.read")},
    {QStringLiteral("POST /api/v1/party.life/meetings/{id}/attachments/{field}"), QStringLiteral("party.life.read")},
    {QStringLiteral("GET /api/v1/party.life/meetings/{id}/attachments/{field}/{attachment}"), QStringLiteral("party.life.read")},
    {QStringLiteral("DELETE /api/v1/party.life/meetings/{id}/attachments/{field}/{attachment}"), QStringLiteral("party.life.read")},
    {QStringLiteral("GET /api/v1/party.life/meetings/stats/by-kind"), QStringLiteral("party.life.read")},
    {QStringLiteral("GET /api/v1/party.life/meetings/stats/by-quarter"), QStringLiteral("party.life.read")},
    // party.dues: dues bases and payments.
    {QStringLiteral("GET /api/v1/party.dues/profiles"), QStringLiteral("party.dues.read")},
    {QStringLiteral("GET /api/v1/party.dues/profiles/counts"), QStringLiteral("party.dues.read")},
    {QStringLiteral("POST /api/v1/party.dues/profiles/export"), QStringLiteral("party.dues.read")},
    {QStringLiteral("POST /api/v1/party.dues/profiles/import"), QStringLiteral("party.dues.write")},
    {QStringLiteral("GET /api/v1/party.dues/profiles/{id}"), QStringLiteral("party.dues.read")},
    {QStringLiteral("GET /api/v1/party.dues/profiles/{id}/history"), QStringLiteral("party.dues.read")},
    {QStringLiteral("POST /api/v1/party.dues/profiles"), QStringLiteral("party.dues.write")},
    {QStringLiteral("PUT /api/v1/party.dues/profiles/{id}"), QStringLiteral("party.dues.write")},
    {QStringLiteral("DELETE /api/v1/party.dues/profiles/{id}"), QStringLiteral("party.dues.write")},
    {QStringLiteral("GET /api/v1/party.dues/payments"), QStringLiteral("party.dues.read")},
    {QStringLiteral("GET /api/v1/party.dues/payments/counts"), QStringLiteral("party.dues.read")},
    {QStringLiteral("POST /api/v1/party.dues/payments/export"), QStringLiteral("party.dues.read")},
    {QStringLiteral("POST /api/v1/party.dues/payments/import"), QStringLiteral("party.dues.write")},
    {QStringLiteral("GET /api/v1/party.dues/payments/{id}"), QStringLiteral("party.dues.read")},
    {QStringLiteral("GET /api/v1/party.dues/payments/{id}/history"), QStringLiteral("party.dues.read")},
    {QStringLiteral("POST /api/v1/party.dues/payments"), QStringLiteral("party.dues.write")},
    {QStringLiteral("PUT /api/v1/party.dues/payments/{id}"), QStringLiteral("party.dues.write")},
    {QStringLiteral("DELETE /api/v1/party.dues/payments/{id}"), QStringLiteral("party.dues.write")},
    {QStringLiteral("GET /api/v1/party.dues/exemptions"), QStringLiteral("party.dues.read")},
    {QStringLiteral("GET /api/v1/party.dues/exemptions/counts"), QStringLiteral("party.dues.read")},
    {QStringLiteral("POST /api/v1/party.dues/exemptions/export"), QStringLiteral("party.dues.read")},
    {QStringLiteral("POST /api/v1/party.dues/exemptions/import"), QStringLiteral("party.dues.write")},
    {QStringLiteral("GET /api/v1/party.dues/exemptions/{id}"), QStringLiteral("party.dues.read")},
    {QStringLiteral("GET /api/v1/party.dues/exemptions/{id}/history"), QStringLiteral("party.dues.read")},
    {QStringLiteral("POST /api/v1/party.dues/exemptions"), QStringLiteral("party.dues.write")},
    {QStringLiteral("PUT /api/v1/party.dues/exemptions/{id}"), QStringLiteral("party.dues.write")},
    {QStringLiteral("DELETE /api/v1/party.dues/exemptions/{id}"), QStringLiteral("party.dues.write")},
    {QStringLiteral("GET /api/v1/party.dues/large"), QStringLiteral("party.dues.read")},
    {QStringLiteral("GET /api/v1/party.dues/large/counts"), QStringLiteral("party.dues.read")},
    {QStringLiteral("POST /api/v1/party.dues/large/export"), QStringLiteral("party.dues.read")},
    {QStringLiteral("POST /api/v1/party.dues/large/import"), QStringLiteral("party.dues.write")},
    {QStringLiteral("GET /api/v1/party.dues/large/{id}"), QStringLiteral("party.dues.read")},
    {QStringLiteral("GET /api/v1/party.dues/large/{id}/history"), QStringLiteral("party.dues.read")},
    {QStringLiteral("POST /api/v1/party.dues/large"), QStringLiteral("party.dues.write")},
    {QStringLiteral("PUT /api/v1/party.dues/large/{id}"), QStringLiteral("party.dues.write")},
    {QStringLiteral("DELETE /api/v1/party.dues/large/{id}"), QStringLiteral("party.dues.write")},
    {QStringLiteral("GET /api/v1/party.dues/starts"), QStringLiteral("party.dues.read")},
    {QStringLiteral("GET /api/v1/party.dues/starts/counts"), QStringLiteral("party.dues.read")},
    {QStringLiteral("POST /api/v1/party.dues/starts/export"), QStringLiteral("party.dues.read")},
    {QStringLiteral("POST /api/v1/party.dues/starts/import"), QStringLiteral("party.dues.write")},
    {QStringLiteral("GET /api/v1/party.dues/starts/{id}"), QStringLiteral("party.dues.read")},
    {QStringLiteral("GET /api/v1/party.dues/starts/{id}/history"), QStringLiteral("party.dues.read")},
    {QStringLiteral("POST /api/v1/party.dues/starts"), QStringLiteral("party.dues.write")},
    {QStringLiteral("PUT /api/v1/party.dues/starts/{id}"), QStringLiteral("party.dues.write")},
    {QStringLiteral("DELETE /api/v1/party.dues/starts/{id}"), QStringLiteral("party.dues.write")},
    {QStringLiteral("GET /api/v1/party.dues/arrears"), QStringLiteral("party.dues.read")},
    {QStringLiteral("GET /api/v1/party.dues/summary"), QStringLiteral("party.dues.read")},
    {QStringLiteral("GET /api/v1/party.dues/standing"), QStringLiteral("party.dues.read")},
    {QStringLiteral("GET /api/v1/reports/party.dues/summary/export"), QStringLiteral("party.dues.read")},
    {QStringLiteral("GET /api/v1/reports/party.dues/standing/export"), QStringLiteral("party.dues.read")},
    // party.flow: the flow card and its return step.
    {QStringLiteral("GET /api/v1/party.flow/flows"), QStringLiteral("party.flow.read")},
    {QStringLiteral("GET /api/v1/party.flow/flows/counts"), QStringLiteral("party.flow.read")},
    {QStringLiteral("POST /api/v1/party.flow/flows/export"), QStringLiteral("party.flow.read")},
    {QStringLiteral("POST /api/v1/party.flow/flows/import"), QStringLiteral("party.flow.write")},
    {QStringLiteral("GET /api/v1/party.flow/flows/{id}"), QStringLiteral("party.flow.read")},
    {QStringLiteral("GET /api/v1/party.flow/flows/{id}/history"), QStringLiteral("party.flow.read")},
    {QStringLiteral("POST /api/v1/party.flow/flows"), QStringLiteral("party.flow.write")},
    {QStringLiteral("PUT /api/v1/party.flow/flows/{id}"), QStringLiteral("party.flow.write")},
    {QStringLiteral("DELETE /api/v1/party.flow/flows/{id}"), QStringLiteral("party.flow.write")},
    {QStringLiteral("GET /api/v1/party.flow/flows/{id}/steps"), QStringLiteral("party.flow.read")},
    {QStringLiteral("POST /api/v1/party.flow/flows/{id}/steps/{step}"), QStringLiteral("party.flow.read")},
    // party.develop: the development record and its 25 steps.
    {QStringLiteral("GET /api/v1/party.develop/developments"), QStringLiteral("party.develop.read")},
    {QStringLiteral("GET /api/v1/party.develop/developments/counts"), QStringLiteral("party.develop.read")},
    {QStringLiteral("POST /api/v1/party.develop/developments/export"), QStringLiteral("party.develop.read")},
    {QStringLiteral("POST /api/v1/party.develop/developments/import"), QStringLiteral("party.develop.write")},
    {QStringLiteral("GET /api/v1/party.develop/developments/{id}"), QStringLiteral("party.develop.read")},
    {QStringLiteral("GET /api/v1/party.develop/developments/{id}/history"), QStringLiteral("party.develop.read")},
    {QStringLiteral("POST /api/v1/party.develop/developments"), QStringLiteral("party.develop.write")},
    {QStringLiteral("PUT /api/v1/party.develop/developments/{id}"), QStringLiteral("party.develop.write")},
    {QStringLiteral("DELETE /api/v1/party.develop/developments/{id}"), QStringLiteral("party.develop.write")},
    {QStringLiteral("GET /api/v1/party.develop/developments/{id}/steps"), QStringLiteral("party.develop.read")},
    {QStringLiteral("POST /api/v1/party.develop/developments/{id}/steps/{step}"), QStringLiteral("party.develop.read")},
    {QStringLiteral("GET /api/v1/party.develop/pipeline"), QStringLiteral("party.develop.read")},
    {QStringLiteral("GET /api/v1/party.develop/deadlines"), QStringLiteral("party.develop.read")},
    {QStringLiteral("GET /api/v1/reports/party.develop/pipeline/export"), QStringLiteral("party.develop.read")},
    {QStringLiteral("GET /api/v1/reports/party.develop/deadlines/export"), QStringLiteral("party.develop.read")},
    // biz.aftersales: calls, dispatch tickets with the technician's steps, contracts.
    {QStringLiteral("GET /api/v1/biz.aftersales/registrations"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/biz.aftersales/registrations/counts"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("POST /api/v1/biz.aftersales/registrations/export"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("POST /api/v1/biz.aftersales/registrations/import"), QStringLiteral("biz.aftersales.register")},
    {QStringLiteral("GET /api/v1/biz.aftersales/registrations/{id}"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/biz.aftersales/registrations/{id}/history"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("POST /api/v1/biz.aftersales/registrations"), QStringLiteral("biz.aftersales.register")},
    {QStringLiteral("PUT /api/v1/biz.aftersales/registrations/{id}"), QStringLiteral("biz.aftersales.register")},
    {QStringLiteral("DELETE /api/v1/biz.aftersales/registrations/{id}"), QStringLiteral("biz.aftersales.register")},
    {QStringLiteral("GET /api/v1/biz.aftersales/tickets"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/biz.aftersales/tickets/counts"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("POST /api/v1/biz.aftersales/tickets/export"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("POST /api/v1/biz.aftersales/tickets/import"), QStringLiteral("biz.aftersales.dispatch")},
    {QStringLiteral("GET /api/v1/biz.aftersales/tickets/people/{field}"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/biz.aftersales/tickets/{id}"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/biz.aftersales/tickets/{id}/history"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("POST /api/v1/biz.aftersales/tickets"), QStringLiteral("biz.aftersales.dispatch")},
    {QStringLiteral("PUT /api/v1/biz.aftersales/tickets/{id}"), QStringLiteral("biz.aftersales.dispatch")},
    {QStringLiteral("DELETE /api/v1/biz.aftersales/tickets/{id}"), QStringLiteral("biz.aftersales.dispatch")},
    {QStringLiteral("GET /api/v1/biz.aftersales/contracts"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/biz.aftersales/contracts/counts"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("POST /api/v1/biz.aftersales/contracts/export"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("POST /api/v1/biz.aftersales/contracts/import"), QStringLiteral("biz.aftersales.dispatch")},
    {QStringLiteral("GET /api/v1/biz.aftersales/contracts/{id}"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/biz.aftersales/contracts/{id}/history"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("POST /api/v1/biz.aftersales/contracts"), QStringLiteral("biz.aftersales.dispatch")},
    {QStringLiteral("PUT /api/v1/biz.aftersales/contracts/{id}"), QStringLiteral("biz.aftersales.dispatch")},
    {QStringLiteral("DELETE /api/v1/biz.aftersales/contracts/{id}"), QStringLiteral("biz.aftersales.dispatch")},
    {QStringLiteral("GET /api/v1/biz.aftersales/tickets/{id}/steps"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("POST /api/v1/biz.aftersales/tickets/{id}/steps/{step}"), QStringLiteral("biz.aftersales.read")},
    // The 派工单 and 收货单: read to find the ticket; the document's permission (and its
    // required fields) is checked by the engine at the ticket's unit.
    {QStringLiteral("GET /api/v1/biz.aftersales/tickets/{id}/documents"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("POST /api/v1/biz.aftersales/tickets/{id}/documents/{document}"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/biz.aftersales/tickets/{id}/printed/{copy}"), QStringLiteral("biz.aftersales.read")},
    // 客户签字: read to find the ticket; adding or removing it needs the field's write
    // (biz.aftersales.work) at the ticket's own unit, checked by the engine.
    {QStringLiteral("GET /api/v1/biz.aftersales/tickets/{id}/attachments/{field}"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("POST /api/v1/biz.aftersales/tickets/{id}/attachments/{field}"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/biz.aftersales/tickets/{id}/attachments/{field}/{attachment}"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("DELETE /api/v1/biz.aftersales/tickets/{id}/attachments/{field}/{attachment}"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/biz.aftersales/statistics"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/reports/biz.aftersales/statistics/export"), QStringLiteral("biz.aftersales.read")},
    // The work log, satisfaction surveys, suggestions and complaints, the weekly summary.
    {QStringLiteral("GET /api/v1/biz.aftersales/worklog"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/biz.aftersales/worklog/counts"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("POST /api/v1/biz.aftersales/worklog/export"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("POST /api/v1/biz.aftersales/worklog/import"), QStringLiteral("biz.aftersales.work")},
    {QStringLiteral("GET /api/v1/biz.aftersales/worklog/people/{field}"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/biz.aftersales/worklog/{id}"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/biz.aftersales/worklog/{id}/history"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("POST /api/v1/biz.aftersales/worklog"), QStringLiteral("biz.aftersales.work")},
    {QStringLiteral("PUT /api/v1/biz.aftersales/worklog/{id}"), QStringLiteral("biz.aftersales.work")},
    {QStringLiteral("DELETE /api/v1/biz.aftersales/worklog/{id}"), QStringLiteral("biz.aftersales.work")},
    {QStringLiteral("GET /api/v1/biz.aftersales/surveys"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/biz.aftersales/surveys/counts"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("POST /api/v1/biz.aftersales/surveys/export"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("POST /api/v1/biz.aftersales/surveys/import"), QStringLiteral("biz.aftersales.register")},
    {QStringLiteral("GET /api/v1/biz.aftersales/surveys/{id}"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/biz.aftersales/surveys/{id}/history"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("POST /api/v1/biz.aftersales/surveys"), QStringLiteral("biz.aftersales.register")},
    {QStringLiteral("PUT /api/v1/biz.aftersales/surveys/{id}"), QStringLiteral("biz.aftersales.register")},
    {QStringLiteral("DELETE /api/v1/biz.aftersales/surveys/{id}"), QStringLiteral("biz.aftersales.register")},
    {QStringLiteral("GET /api/v1/biz.aftersales/complaints"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/biz.aftersales/complaints/counts"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("POST /api/v1/biz.aftersales/complaints/export"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("POST /api/v1/biz.aftersales/complaints/import"), QStringLiteral("biz.aftersales.register")},
    {QStringLiteral("GET /api/v1/biz.aftersales/complaints/{id}"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/biz.aftersales/complaints/{id}/history"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("POST /api/v1/biz.aftersales/complaints"), QStringLiteral("biz.aftersales.register")},
    {QStringLiteral("PUT /api/v1/biz.aftersales/complaints/{id}"), QStringLiteral("biz.aftersales.register")},
    {QStringLiteral("DELETE /api/v1/biz.aftersales/complaints/{id}"), QStringLiteral("biz.aftersales.register")},
    {QStringLiteral("GET /api/v1/biz.aftersales/complaints/{id}/steps"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("POST /api/v1/biz.aftersales/complaints/{id}/steps/{step}"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/biz.aftersales/weekly"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/reports/biz.aftersales/weekly/export"), QStringLiteral("biz.aftersales.read")},
    // A closed ticket's survey link: read to find the ticket; the service desk, the manager
    // or the ticket's own technician make it (checked by the plugin at the ticket's unit).
    {QStringLiteral("POST /api/v1/biz.aftersales/tickets/{id}/survey-link"), QStringLiteral("biz.aftersales.read")},
    // The customer answers through the link without logging in: the token is the key, to
    // that one ticket's survey and nothing else.
    {QStringLiteral("GET /api/v1/biz.aftersales/survey/{token}"), kPublicRoute},
    {QStringLiteral("POST /api/v1/biz.aftersales/survey/{token}"), kPublicRoute},
    {QStringLiteral("GET /api/v1/biz.aftersales/charts/classes"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/biz.aftersales/charts/technicians"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/biz.aftersales/charts/response"), QStringLiteral("biz.aftersales.read")},
    {QStringLiteral("GET /api/v1/biz.aftersales/charts/satisfaction"), QStringLiteral("biz.aftersales.read")},
    // biz.orders: products, orders with their workflow, lines, returns and exchanges; reports.
    {QStringLiteral("GET /api/v1/biz.orders/products"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("GET /api/v1/biz.orders/products/counts"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("POST /api/v1/biz.orders/products/export"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("POST /api/v1/biz.orders/products/import"), QStringLiteral("biz.orders.products")},
    {QStringLiteral("GET /api/v1/biz.orders/products/{id}"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("GET /api/v1/biz.orders/products/{id}/history"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("POST /api/v1/biz.orders/products"), QStringLiteral("biz.orders.products")},
    {QStringLiteral("PUT /api/v1/biz.orders/products/{id}"), QStringLiteral("biz.orders.products")},
    {QStringLiteral("DELETE /api/v1/biz.orders/products/{id}"), QStringLiteral("biz.orders.products")},
    {QStringLiteral("GET /api/v1/biz.orders/orders"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("GET /api/v1/biz.orders/orders/counts"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("POST /api/v1/biz.orders/orders/export"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("POST /api/v1/biz.orders/orders/import"), QStringLiteral("biz.orders.sell")},
    {QStringLiteral("GET /api/v1/biz.orders/orders/{id}"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("GET /api/v1/biz.orders/orders/{id}/history"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("POST /api/v1/biz.orders/orders"), QStringLiteral("biz.orders.sell")},
    {QStringLiteral("PUT /api/v1/biz.orders/orders/{id}"), QStringLiteral("biz.orders.sell")},
    {QStringLiteral("DELETE /api/v1/biz.orders/orders/{id}"), QStringLiteral("biz.orders.sell")},
    {QStringLiteral("GET /api/v1/biz.orders/orders/people/{field}"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("GET /api/v1/biz.orders/lines/choices/{field}"), QStringLiteral("biz.orders.sell")},
    {QStringLiteral("GET /api/v1/biz.orders/returns/choices/{field}"), QStringLiteral("biz.orders.returns")},
    {QStringLiteral("GET /api/v1/biz.orders/lines"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("GET /api/v1/biz.orders/lines/counts"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("POST /api/v1/biz.orders/lines/export"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("POST /api/v1/biz.orders/lines/import"), QStringLiteral("biz.orders.sell")},
    {QStringLiteral("GET /api/v1/biz.orders/lines/{id}"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("GET /api/v1/biz.orders/lines/{id}/history"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("POST /api/v1/biz.orders/lines"), QStringLiteral("biz.orders.sell")},
    {QStringLiteral("PUT /api/v1/biz.orders/lines/{id}"), QStringLiteral("biz.orders.sell")},
    {QStringLiteral("DELETE /api/v1/biz.orders/lines/{id}"), QStringLiteral("biz.orders.sell")},
    {QStringLiteral("GET /api/v1/biz.orders/returns"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("GET /api/v1/biz.orders/returns/counts"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("POST /api/v1/biz.orders/returns/export"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("POST /api/v1/biz.orders/returns/import"), QStringLiteral("biz.orders.returns")},
    {QStringLiteral("GET /api/v1/biz.orders/returns/{id}"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("GET /api/v1/biz.orders/returns/{id}/history"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("POST /api/v1/biz.orders/returns"), QStringLiteral("biz.orders.returns")},
    {QStringLiteral("PUT /api/v1/biz.orders/returns/{id}"), QStringLiteral("biz.orders.returns")},
    {QStringLiteral("DELETE /api/v1/biz.orders/returns/{id}"), QStringLiteral("biz.orders.returns")},
    {QStringLiteral("GET /api/v1/biz.orders/orders/{id}/steps"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("POST /api/v1/biz.orders/orders/{id}/steps/{step}"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("GET /api/v1/biz.orders/returns/{id}/steps"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("POST /api/v1/biz.orders/returns/{id}/steps/{step}"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("GET /api/v1/biz.orders/summary"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("GET /api/v1/biz.orders/sales"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("GET /api/v1/reports/biz.orders/summary/export"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("GET /api/v1/reports/biz.orders/sales/export"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("GET /api/v1/biz.orders/charts/monthly"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("GET /api/v1/biz.orders/charts/products"), QStringLiteral("biz.orders.read")},
    {QStringLiteral("GET /api/v1/biz.orders/charts/customers"), QStringLiteral("biz.orders.read")},
};

QByteArray methodBytes(Method m) { return methodName(m).toLatin1(); }

struct Person {
    QString name;
    QByteArray token;            // empty: anonymous
    QSet<QString> permissions;  // what their roles grant ("*" = all)

    bool holds(const QString& p) const { return permissions.contains(p) || permissions.contains(QStringLiteral("*")); }
};

QStringList fieldsIn(const HttpReply& r) {
    QStringList fields;
    for (const auto& e : r.json().value(QStringLiteral("errors")).toArray()) fields << e.toObject().value(QStringLiteral("field")).toString();
    return fields;
}

// The tree: root -> 甲支部 (A) -> 甲一小组 (A1); root -> 乙支部 (B). Customers in A, A1, B.
class AccessTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        // Every built plugin's routes are in the matrix: every plugin the build staged runs.
        std::vector<EnablePlugin> plugins;
        for (const QString& id : QDir(builtPluginDir()).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
            if (QFileInfo::exists(builtPluginDir() + u'/' + id + QStringLiteral("/manifest.xml"))) plugins.push_back({id, {}});
        host_ = new RunningHost({builtPluginDir()}, plugins);
        auto& units = host_->app().units();
        root_ = units.ensureRoot(QStringLiteral("test"))->id;
        a_ = units.create(root_, QStringLiteral("甲支部"))->id;
        a1_ = units.create(a_, QStringLiteral("甲一小组"))->id;
        b_ = units.create(root_, QStringLiteral("乙支部"))->id;
        admin_ = host_->client();

        // Roles: an officer holds every plugin permission and may edit units; a reader may
        // only read. Built from the deployment's permission catalog.
        QJsonArray officerPerms, readerPerms;
        for (const auto& p : admin_.get("/api/v1/permissions").json().value(QStringLiteral("items")).toArray()) {
            const QString id = p.toObject().value(QStringLiteral("id")).toString();
            if (id == QStringLiteral("core.users.manage") || id == QStringLiteral("core.audit.read") ||
                id == QStringLiteral("core.plugins.manage"))
                continue;
            officerPerms.append(id);
            if (id.endsWith(QStringLiteral(".read"))) readerPerms.append(id);
        }
        EXPECT_EQ(admin_.send("POST", "/api/v1/roles", QJsonObject{{QStringLiteral("name"), QStringLiteral("officer")},
                                                                    {QStringLiteral("permissions"), officerPerms}}).status, 201);
        EXPECT_EQ(admin_.send("POST", "/api/v1/roles", QJsonObject{{QStringLiteral("name"), QStringLiteral("reader")},
                                                                    {QStringLiteral("permissions"), readerPerms}}).status, 201);
        auto set = [](const QJsonArray& a) {
            QSet<QString> s;
            for (const auto& v : a) s.insert(v.toString());
            return s;
        };
        people_ = {
            {QStringLiteral("admin"), host_->adminToken(), {QStringLiteral("*")}},
            {QStringLiteral("officer of A and below"), host_->userToken(QStringLiteral("sub"), QStringLiteral("officer"), QStringLiteral("subtree"), a_), set(officerPerms)},
            {QStringLiteral("officer of A only"), host_->userToken(QStringLiteral("only"), QStringLiteral("officer"), QStringLiteral("unit"), a_), set(officerPerms)},
            {QStringLiteral("reader of A and below"), host_->userToken(QStringLiteral("reader"), QStringLiteral("reader"), QStringLiteral("subtree"), a_), set(readerPerms)},
            {QStringLiteral("user without a role"), host_->userToken(QStringLiteral("nobody"), {}, {}, a_), {}},
            {QStringLiteral("anonymous"), {}, {}},
        };
        customerA_ = createCustomer(admin_, QStringLiteral("甲客户"), a_);
        customerA1_ = createCustomer(admin_, QStringLiteral("甲一客户"), a1_);
        customerB_ = createCustomer(admin_, QStringLiteral("乙客户"), b_);
    }
    static void TearDownTestSuite() {
        delete host_;
        host_ = nullptr;
    }

    static qint64 createCustomer(HttpClient& c, const QString& name, qint64 unit) {
        auto r = c.send("POST", "/api/v1/biz.customers/customers", QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("unitId"), unit}});
        EXPECT_EQ(r.status, 201) << r.body.toStdString();
        return r.json().value(QStringLiteral("id")).toInteger();
    }
    static HttpClient as(const Person& p) {
        HttpClient c = host_->anonymousClient();
        if (!p.token.isEmpty()) c.setDefaultHeader("Authorization", "Bearer " + p.token);
        return c;
    }
    static const Person& person(const QString& name) {
        for (const auto& p : people_)
            if (p.name == name) return p;
        throw std::runtime_error(name.toStdString());
    }
    static QByteArray customer(qint64 id) { return "/api/v1/biz.customers/customers/" + QByteArray::number(id); }

    static RunningHost* host_;
    static HttpClient admin_;
    static qint64 root_, a_, a1_, b_, customerA_, customerA1_, customerB_;
    static std::vector<Person> people_;
};

RunningHost* AccessTest::host_ = nullptr;
HttpClient AccessTest::admin_{0};
qint64 AccessTest::root_ = 0, AccessTest::a_ = 0, AccessTest::a1_ = 0, AccessTest::b_ = 0;
qint64 AccessTest::customerA_ = 0, AccessTest::customerA1_ = 0, AccessTest::customerB_ = 0;
std::vector<Person> AccessTest::people_;

}  // namespace

TEST_F(AccessTest, EveryServedRouteIsInTheMatrixWithItsPermission) {
    std::map<QString, QString> served;
    for (const auto& r : host_->app().routes()) served[methodName(r.method) + QLatin1Char(' ') + r.pattern] = r.permission;
    for (const auto& [route, permission] : served) {
        auto it = kExpectedRoutes.find(route);
        EXPECT_NE(it, kExpectedRoutes.end()) << route.toStdString() << " (permission " << permission.toStdString()
                                             << ") is served but not in the access matrix: add it with its permission";
        if (it != kExpectedRoutes.end()) {
            EXPECT_EQ(permission, it->second) << route.toStdString();
        }
    }
    for (const auto& [route, permission] : kExpectedRoutes) {
        // A plugin left out of this build (TESSERA_PLUGINS) serves nothing: its rows are skipped.
        const QString owner = route.section(QLatin1Char('/'), 3, 3);
        const auto* plugin = host_->app().runtime().plugin(owner);
        if (owner.contains(QLatin1Char('.')) && (!plugin || plugin->state != tessera::host::PluginState::Started)) continue;
        EXPECT_TRUE(served.count(route)) << route.toStdString() << " is in the matrix but not served";
    }
}

TEST_F(AccessTest, EveryRouteGivesEachKindOfUserExactlyTheExpectedVerdict) {
    // Parameters: records in branch A where reading is harmless; ids that do not exist for
    // deletes, so the matrix changes nothing.
    const QByteArray nobodyId = QByteArray::number(host_->app().accounts().userByName(QStringLiteral("nobody"))->id);
    const QByteArray readerRole = QByteArray::number(host_->app().accounts().roleByName(QStringLiteral("reader"))->id);
    for (const auto& r : host_->app().routes()) {
        const bool isDelete = r.method == Method::Delete;
        QString path = r.pattern;
        if (path.startsWith(QStringLiteral("/api/v1/biz.customers/")))
            path.replace(QStringLiteral("{id}"), isDelete ? QStringLiteral("999999") : QString::number(customerA_));
        else if (path.startsWith(QStringLiteral("/api/v1/units")))
            path.replace(QStringLiteral("{id}"), isDelete ? QStringLiteral("999999") : QString::number(a_));
        else if (path.startsWith(QStringLiteral("/api/v1/users")))
            path.replace(QStringLiteral("{id}"), QString::fromLatin1(nobodyId));
        else if (path.startsWith(QStringLiteral("/api/v1/roles")))
            path.replace(QStringLiteral("{id}"), isDelete ? QStringLiteral("999999") : QString::fromLatin1(readerRole));
        else if (path.startsWith(QStringLiteral("/api/v1/plugins")) || path.startsWith(QStringLiteral("/api/v1/shell/tiles")))
            path.replace(QStringLiteral("{id}"), QStringLiteral("biz.customers"));
        path.replace(QStringLiteral("{id}"), QStringLiteral("999999")).replace(QStringLiteral("{assignment}"), QStringLiteral("999999"));
        // The login route is public by design; logging in with an empty body stays harmless.
        for (const auto& p : people_) {
            HttpClient c = as(p);
            const HttpReply reply = r.method == Method::Get ? c.get(path.toUtf8())
                                                            : c.send(methodBytes(r.method), path.toUtf8(), QJsonObject{});
            const std::string where = (methodName(r.method) + QLatin1Char(' ') + path + QStringLiteral(" as ") + p.name).toStdString();
            if (r.permission == kPublicRoute) {
                EXPECT_NE(reply.status, 401) << where;
                EXPECT_NE(reply.status, 403) << where;
            } else if (p.token.isEmpty()) {
                EXPECT_EQ(reply.status, 401) << where;
            } else if (r.permission != kAuthenticated && !p.holds(r.permission)) {
                EXPECT_EQ(reply.status, 403) << where << ": " << reply.body.toStdString();
            } else {
                EXPECT_NE(reply.status, 401) << where << ": " << reply.body.toStdString();
                EXPECT_NE(reply.status, 403) << where << ": " << reply.body.toStdString();
            }
            EXPECT_LT(reply.status, 500) << where << ": " << reply.body.toStdString();
        }
    }
}

TEST_F(AccessTest, ListsShowOnlyTheCallersBranch) {
    auto names = [](const HttpReply& r) {
        QStringList out;
        for (const auto& i : r.json().value(QStringLiteral("items")).toArray()) out << i.toObject().value(QStringLiteral("name")).toString();
        out.sort();
        return out;
    };
    EXPECT_EQ(names(as(person(QStringLiteral("officer of A and below"))).get("/api/v1/biz.customers/customers")),
              (QStringList{QStringLiteral("甲一客户"), QStringLiteral("甲客户")}));
    EXPECT_EQ(names(as(person(QStringLiteral("officer of A only"))).get("/api/v1/biz.customers/customers")),
              QStringList{QStringLiteral("甲客户")});
    EXPECT_EQ(names(as(person(QStringLiteral("reader of A and below"))).get("/api/v1/biz.customers/customers")),
              (QStringList{QStringLiteral("甲一客户"), QStringLiteral("甲客户")}));
    EXPECT_EQ(as(person(QStringLiteral("officer of A and below"))).get("/api/v1/biz.customers/customers").json().value(QStringLiteral("total")).toInt(), 2);
    EXPECT_EQ(names(admin_.get("/api/v1/biz.customers/customers")).size(), 3);
}

TEST_F(AccessTest, TheUnitPickedInTheTreeNarrowsTheListWithinTheScope) {
    auto names = [](const HttpReply& r) {
        QStringList out;
        for (const auto& i : r.json().value(QStringLiteral("items")).toArray()) out << i.toObject().value(QStringLiteral("name")).toString();
        out.sort();
        return out;
    };
    auto list = [](qint64 unit) { return "/api/v1/biz.customers/customers?unit=" + QByteArray::number(unit); };
    EXPECT_EQ(names(admin_.get(list(a_))), (QStringList{QStringLiteral("甲一客户"), QStringLiteral("甲客户")}));
    EXPECT_EQ(names(admin_.get(list(a1_))), QStringList{QStringLiteral("甲一客户")});
    EXPECT_EQ(names(admin_.get(list(b_))), QStringList{QStringLiteral("乙客户")});
    EXPECT_EQ(admin_.get(list(root_)).json().value(QStringLiteral("total")).toInt(), 3);
    // Picking a unit never widens the scope: the other branch, or the root, shows only what the scope allows.
    auto only = as(person(QStringLiteral("officer of A only")));
    EXPECT_EQ(names(only.get(list(b_))), QStringList{});
    EXPECT_EQ(names(only.get(list(root_))), QStringList{QStringLiteral("甲客户")});
    EXPECT_EQ(names(only.get(list(a1_))), QStringList{});
    EXPECT_EQ(names(as(person(QStringLiteral("officer of A and below"))).get(list(a1_))), QStringList{QStringLiteral("甲一客户")});
    // A unit that does not exist is an empty subtree; a malformed one is a field error.
    EXPECT_EQ(admin_.get(list(999999)).json().value(QStringLiteral("total")).toInt(), 0);
    auto bad = admin_.get("/api/v1/biz.customers/customers?unit=abc");
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(fieldsIn(bad), QStringList{QStringLiteral("unit")});
}

TEST_F(AccessTest, SearchFindsNothingInAnotherBranch) {
    auto c = as(person(QStringLiteral("officer of A and below")));
    auto r = c.get("/api/v1/biz.customers/customers?q=" + QUrl::toPercentEncoding(QStringLiteral("乙")));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.json().value(QStringLiteral("total")).toInt(), 0);
}

TEST_F(AccessTest, RecordsOfAnotherBranchAre404ForEveryOperation) {
    auto c = as(person(QStringLiteral("officer of A and below")));
    EXPECT_EQ(c.get(customer(customerB_)).status, 404);
    EXPECT_EQ(c.send("PUT", customer(customerB_), QJsonObject{{QStringLiteral("name"), QStringLiteral("改")}, {QStringLiteral("version"), 1}}).status, 404);
    EXPECT_EQ(c.request("DELETE", customer(customerB_)).status, 404);
    auto still = admin_.get(customer(customerB_));
    ASSERT_EQ(still.status, 200);
    EXPECT_EQ(still.json().value(QStringLiteral("name")).toString(), QStringLiteral("乙客户"));
    EXPECT_EQ(still.json().value(QStringLiteral("version")).toInt(), 1);
}

TEST_F(AccessTest, GuessingIdsRevealsNothingOutsideTheScope) {
    auto c = as(person(QStringLiteral("officer of A only")));
    for (qint64 id = 1; id <= customerB_ + 5; ++id) {
        const int status = c.get(customer(id)).status;
        EXPECT_EQ(status, id == customerA_ ? 200 : 404) << "customer " << id;
    }
}

TEST_F(AccessTest, AUnitOnlyScopeDoesNotReachChildUnits) {
    EXPECT_EQ(as(person(QStringLiteral("officer of A only"))).get(customer(customerA1_)).status, 404);
    EXPECT_EQ(as(person(QStringLiteral("officer of A and below"))).get(customer(customerA1_)).status, 200);
}

TEST_F(AccessTest, AChildUnitNeverImpliesItsParent) {
    const QByteArray token = host_->userToken(QStringLiteral("child"), QStringLiteral("officer"), QStringLiteral("subtree"), a1_);
    HttpClient c = host_->anonymousClient();
    c.setDefaultHeader("Authorization", "Bearer " + token);
    EXPECT_EQ(c.get(customer(customerA1_)).status, 200);
    EXPECT_EQ(c.get(customer(customerA_)).status, 404);
    EXPECT_EQ(c.get("/api/v1/biz.customers/customers").json().value(QStringLiteral("total")).toInt(), 1);
}

TEST_F(AccessTest, CreatingInAnotherBranchIsRefusedOnTheUnitField) {
    auto c = as(person(QStringLiteral("officer of A and below")));
    auto r = c.send("POST", "/api/v1/biz.customers/customers", QJsonObject{{QStringLiteral("name"), QStringLiteral("越权")}, {QStringLiteral("unitId"), b_}});
    EXPECT_EQ(r.status, 422);
    EXPECT_EQ(fieldsIn(r), QStringList{QStringLiteral("unitId")});
    auto moved = c.send("PUT", customer(customerA_), QJsonObject{{QStringLiteral("name"), QStringLiteral("甲客户")}, {QStringLiteral("unitId"), b_}, {QStringLiteral("version"), 1}});
    EXPECT_EQ(moved.status, 422);
    EXPECT_EQ(admin_.get(customer(customerA_)).json().value(QStringLiteral("unitId")).toInteger(), a_);
}

TEST_F(AccessTest, ReadOnlyUsersCannotWrite) {
    auto c = as(person(QStringLiteral("reader of A and below")));
    EXPECT_EQ(c.get(customer(customerA_)).status, 200);
    EXPECT_EQ(c.send("POST", "/api/v1/biz.customers/customers", QJsonObject{{QStringLiteral("name"), QStringLiteral("x")}, {QStringLiteral("unitId"), a_}}).status, 403);
    EXPECT_EQ(c.request("DELETE", customer(customerA_)).status, 403);
}

// Changes apply to the next request: no new login, no cache to wait for.
TEST(AccessChanges, RevokingAnAssignmentAppliesToTheNextRequest) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    auto admin = host.client();
    const qint64 root = host.app().units().ensureRoot(QStringLiteral("t"))->id;
    const QByteArray token = host.userToken(QStringLiteral("clerk"), host::kAdministratorRole, QStringLiteral("unit"), root);
    HttpClient clerk = host.anonymousClient();
    clerk.setDefaultHeader("Authorization", "Bearer " + token);
    EXPECT_EQ(clerk.get("/api/v1/biz.customers/customers").status, 200);
    const qint64 userId = host.app().accounts().userByName(QStringLiteral("clerk"))->id;
    const qint64 assignment = host.app().accounts().assignments(userId)->front().id;
    EXPECT_EQ(admin.request("DELETE", "/api/v1/users/" + QByteArray::number(userId) + "/assignments/" + QByteArray::number(assignment)).status, 204);
    EXPECT_EQ(clerk.get("/api/v1/biz.customers/customers").status, 403);
}

TEST(AccessChanges, ARevocationByTheCliOnALiveServerAppliesToTheNextRequest) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    const qint64 root = host.app().units().ensureRoot(QStringLiteral("t"))->id;
    HttpClient clerk = host.anonymousClient();
    clerk.setDefaultHeader("Authorization", "Bearer " + host.userToken(QStringLiteral("clerk"), host::kAdministratorRole, QStringLiteral("unit"), root));
    EXPECT_EQ(clerk.get("/api/v1/biz.customers/customers").status, 200);  // now cached
    QProcess cli;
    cli.start(QStringLiteral(TESSERA_CLI), {QStringLiteral("user"), QStringLiteral("revoke"), QStringLiteral("clerk"),
                                            QStringLiteral("admin"), QStringLiteral("--config"), host.configPath()});
    ASSERT_TRUE(cli.waitForFinished(30000));
    ASSERT_EQ(cli.exitCode(), 0) << cli.readAllStandardError().toStdString();
    EXPECT_EQ(clerk.get("/api/v1/biz.customers/customers").status, 403);
}

TEST(AccessChanges, DisablingAUserRefusesTheirCachedTokenOnTheNextRequest) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    const qint64 root = host.app().units().ensureRoot(QStringLiteral("t"))->id;
    HttpClient clerk = host.anonymousClient();
    clerk.setDefaultHeader("Authorization", "Bearer " + host.userToken(QStringLiteral("clerk"), host::kAdministratorRole, QStringLiteral("unit"), root));
    EXPECT_EQ(clerk.get("/api/v1/biz.customers/customers").status, 200);  // token, rights and scope now cached
    const qint64 userId = host.app().accounts().userByName(QStringLiteral("clerk"))->id;
    ASSERT_TRUE(host.app().accounts().setDisabled(userId, true));
    EXPECT_EQ(clerk.get("/api/v1/biz.customers/customers").status, 401);
    // Enabling the user again does not bring the token back: disabling revoked it for good.
    ASSERT_TRUE(host.app().accounts().setDisabled(userId, false));
    EXPECT_EQ(clerk.get("/api/v1/biz.customers/customers").status, 401);
}

TEST(AccessChanges, NarrowingAnAssignmentInTheDatabaseAppliesToTheNextRequest) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    auto admin = host.client();
    auto& units = host.app().units();
    const qint64 root = units.ensureRoot(QStringLiteral("t"))->id;
    const qint64 a = units.create(root, QStringLiteral("A"))->id;
    const qint64 a1 = units.create(a, QStringLiteral("A1"))->id;
    auto created = admin.send("POST", "/api/v1/biz.customers/customers", QJsonObject{{QStringLiteral("name"), QStringLiteral("c")}, {QStringLiteral("unitId"), a1}});
    ASSERT_EQ(created.status, 201) << created.body.toStdString();
    const QByteArray path = "/api/v1/biz.customers/customers/" + QByteArray::number(created.json().value(QStringLiteral("id")).toInteger());
    HttpClient officer = host.anonymousClient();
    officer.setDefaultHeader("Authorization", "Bearer " + host.userToken(QStringLiteral("oa"), host::kAdministratorRole, QStringLiteral("subtree"), a));
    EXPECT_EQ(officer.get(path).status, 200);  // the subtree scope is now worked out and cached
    // Written straight to the database, as another process (the CLI) would.
    ASSERT_TRUE(host.app().store().execute(QStringLiteral("UPDATE core_assignments SET scope = 'unit' WHERE user_id = "
                                                          "(SELECT id FROM core_users WHERE username = 'oa')")));
    EXPECT_EQ(officer.get(path).status, 404);
}

TEST(AccessChanges, MovingAUnitChangesWhoReachesItsDataAtOnce) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    auto admin = host.client();
    auto& units = host.app().units();
    const qint64 root = units.ensureRoot(QStringLiteral("t"))->id;
    const qint64 a = units.create(root, QStringLiteral("A"))->id;
    const qint64 a1 = units.create(a, QStringLiteral("A1"))->id;
    const qint64 b = units.create(root, QStringLiteral("B"))->id;
    auto created = admin.send("POST", "/api/v1/biz.customers/customers", QJsonObject{{QStringLiteral("name"), QStringLiteral("c")}, {QStringLiteral("unitId"), a1}});
    const QByteArray path = "/api/v1/biz.customers/customers/" + QByteArray::number(created.json().value(QStringLiteral("id")).toInteger());
    HttpClient officerA = host.anonymousClient();
    officerA.setDefaultHeader("Authorization", "Bearer " + host.userToken(QStringLiteral("oa"), host::kAdministratorRole, QStringLiteral("subtree"), a));
    HttpClient officerB = host.anonymousClient();
    officerB.setDefaultHeader("Authorization", "Bearer " + host.userToken(QStringLiteral("ob"), host::kAdministratorRole, QStringLiteral("subtree"), b));
    EXPECT_EQ(officerA.get(path).status, 200);
    EXPECT_EQ(officerB.get(path).status, 404);
    auto moved = admin.send("POST", "/api/v1/units/" + QByteArray::number(a1) + "/move", QJsonObject{{QStringLiteral("parentId"), b}, {QStringLiteral("version"), 1}});
    ASSERT_EQ(moved.status, 200) << moved.body.toStdString();
    EXPECT_EQ(officerA.get(path).status, 404);
    EXPECT_EQ(officerB.get(path).status, 200);
}

TEST(AccessChanges, ChangingARolesPermissionsAppliesToTheNextRequest) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    auto admin = host.client();
    const qint64 root = host.app().units().ensureRoot(QStringLiteral("t"))->id;
    auto role = admin.send("POST", "/api/v1/roles", QJsonObject{{QStringLiteral("name"), QStringLiteral("viewer")},
                                                               {QStringLiteral("permissions"), QJsonArray{QStringLiteral("biz.customers.read")}}});
    ASSERT_EQ(role.status, 201);
    HttpClient viewer = host.anonymousClient();
    viewer.setDefaultHeader("Authorization", "Bearer " + host.userToken(QStringLiteral("viewer1"), QStringLiteral("viewer"), QStringLiteral("subtree"), root));
    EXPECT_EQ(viewer.get("/api/v1/biz.customers/customers").status, 200);
    auto changed = admin.send("PUT", "/api/v1/roles/" + QByteArray::number(role.json().value(QStringLiteral("id")).toInteger()),
                              QJsonObject{{QStringLiteral("permissions"), QJsonArray{}}});
    ASSERT_EQ(changed.status, 200) << changed.body.toStdString();
    EXPECT_EQ(viewer.get("/api/v1/biz.customers/customers").status, 403);
}

namespace {
struct Browser {
    HttpClient http;
    QByteArray cookie;
    QByteArray csrf;
};

Browser logIn(RunningHost& host, const QString& user, const QString& password, int expectStatus = 200) {
    Browser b{host.anonymousClient(), {}, {}};
    auto r = b.http.send("POST", "/api/v1/auth/login", QJsonObject{{QStringLiteral("username"), user}, {QStringLiteral("password"), password}});
    EXPECT_EQ(r.status, expectStatus) << r.body.toStdString();
    const QByteArray setCookie = r.header("Set-Cookie");
    b.cookie = setCookie.left(setCookie.indexOf(';'));
    b.csrf = r.json().value(QStringLiteral("csrfToken")).toString().toLatin1();
    return b;
}
}  // namespace

TEST(Sessions, CookieIsHttpOnlyAndSameSiteStrict) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    (void)host.adminToken();
    auto r = host.anonymousClient().send("POST", "/api/v1/auth/login",
                                         QJsonObject{{QStringLiteral("username"), QStringLiteral("admin")}, {QStringLiteral("password"), QStringLiteral("correct horse battery")}});
    ASSERT_EQ(r.status, 200);
    const QByteArray cookie = r.header("Set-Cookie");
    EXPECT_TRUE(cookie.contains("HttpOnly"));
    EXPECT_TRUE(cookie.contains("SameSite=Strict"));
    EXPECT_FALSE(r.json().value(QStringLiteral("csrfToken")).toString().isEmpty());
}

TEST(Sessions, UnsafeRequestsNeedTheCsrfToken) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    (void)host.adminToken();
    Browser b = logIn(host, QStringLiteral("admin"), QStringLiteral("correct horse battery"));
    const QJsonObject customer{{QStringLiteral("name"), QStringLiteral("网页客户")}};
    EXPECT_EQ(b.http.request("GET", "/api/v1/biz.customers/customers", {}, {{"Cookie", b.cookie}}).status, 200);
    auto none = b.http.send("POST", "/api/v1/biz.customers/customers", customer, {{"Cookie", b.cookie}});
    EXPECT_EQ(none.status, 403);
    EXPECT_TRUE(none.json().value(QStringLiteral("detail")).toString().contains(QStringLiteral("CSRF")));
    EXPECT_EQ(b.http.send("POST", "/api/v1/biz.customers/customers", customer, {{"Cookie", b.cookie}, {"X-CSRF-Token", "forged"}}).status, 403);
    EXPECT_EQ(b.http.send("POST", "/api/v1/biz.customers/customers", customer, {{"Cookie", b.cookie}, {"X-CSRF-Token", b.csrf}}).status, 201);
    EXPECT_EQ(host.client().get("/api/v1/biz.customers/customers").json().value(QStringLiteral("total")).toInt(), 1);
}

TEST(Sessions, LogoutEndsTheSession) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    (void)host.adminToken();
    Browser b = logIn(host, QStringLiteral("admin"), QStringLiteral("correct horse battery"));
    EXPECT_EQ(b.http.request("GET", "/api/v1/auth/me", {}, {{"Cookie", b.cookie}}).status, 200);
    auto out = b.http.request("POST", "/api/v1/auth/logout", {}, {{"Cookie", b.cookie}, {"X-CSRF-Token", b.csrf}});
    EXPECT_EQ(out.status, 204);
    EXPECT_TRUE(out.header("Set-Cookie").contains("Max-Age=0"));
    EXPECT_EQ(b.http.request("GET", "/api/v1/auth/me", {}, {{"Cookie", b.cookie}}).status, 401);
}

TEST(Sessions, WrongPasswordAndUnknownUserLookTheSame) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    (void)host.adminToken();
    auto c = host.anonymousClient();
    auto wrong = c.send("POST", "/api/v1/auth/login", QJsonObject{{QStringLiteral("username"), QStringLiteral("admin")}, {QStringLiteral("password"), QStringLiteral("nope-nope-nope")}});
    auto unknown = c.send("POST", "/api/v1/auth/login", QJsonObject{{QStringLiteral("username"), QStringLiteral("ghost")}, {QStringLiteral("password"), QStringLiteral("nope-nope-nope")}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(wrong.json().value(QStringLiteral("detail")), unknown.json().value(QStringLiteral("detail")));
}

TEST(Sessions, RepeatedFailuresLockTheAccountEvenForTheRightPassword) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    (void)host.adminToken();
    auto c = host.anonymousClient();
    for (int i = 0; i < host.app().sessions().policy().accountFailures; ++i)
        EXPECT_EQ(c.send("POST", "/api/v1/auth/login", QJsonObject{{QStringLiteral("username"), QStringLiteral("admin")}, {QStringLiteral("password"), QStringLiteral("guess-%1").arg(i)}}).status, 401);
    auto locked = c.send("POST", "/api/v1/auth/login", QJsonObject{{QStringLiteral("username"), QStringLiteral("admin")}, {QStringLiteral("password"), QStringLiteral("correct horse battery")}});
    EXPECT_EQ(locked.status, 429);
    EXPECT_FALSE(locked.header("Retry-After").isEmpty());
    // Scripts with a token are not locked out by someone guessing the password.
    EXPECT_EQ(host.client().get("/api/v1/auth/me").status, 200);
}

TEST(Sessions, RepeatedFailuresFromOneAddressLockThatAddress) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    (void)host.adminToken();
    auto c = host.anonymousClient();
    // Spread over many names so no single account locks first.
    for (int i = 0; i < host.app().sessions().policy().addressFailures; ++i)
        EXPECT_EQ(c.send("POST", "/api/v1/auth/login", QJsonObject{{QStringLiteral("username"), QStringLiteral("user%1").arg(i)}, {QStringLiteral("password"), QStringLiteral("whatever-123")}}).status, 401);
    EXPECT_EQ(c.send("POST", "/api/v1/auth/login", QJsonObject{{QStringLiteral("username"), QStringLiteral("admin")}, {QStringLiteral("password"), QStringLiteral("correct horse battery")}}).status, 429);
}

TEST(ApiTokens, ARevokedTokenStopsWorkingAtOnce) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    auto admin = host.client();
    auto created = admin.send("POST", "/api/v1/auth/tokens", QJsonObject{{QStringLiteral("name"), QStringLiteral("nightly export")}});
    ASSERT_EQ(created.status, 201);
    const QByteArray token = created.json().value(QStringLiteral("token")).toString().toLatin1();
    EXPECT_TRUE(token.startsWith("tsr_"));
    HttpClient script = host.anonymousClient();
    script.setDefaultHeader("Authorization", "Bearer " + token);
    EXPECT_EQ(script.get("/api/v1/biz.customers/customers").status, 200);
    // Listing shows the token without its secret.
    auto list = admin.get("/api/v1/auth/tokens");
    EXPECT_FALSE(list.body.contains(token));
    EXPECT_EQ(admin.request("DELETE", "/api/v1/auth/tokens/" + QByteArray::number(created.json().value(QStringLiteral("id")).toInteger())).status, 204);
    EXPECT_EQ(script.get("/api/v1/biz.customers/customers").status, 401);
}

TEST(ApiTokens, AnUnknownTokenIs401) {
    RunningHost host({builtPluginDir()}, {{QStringLiteral("biz.customers"), {}}});
    HttpClient c = host.anonymousClient();
    c.setDefaultHeader("Authorization", "Bearer tsr_not-a-real-token");
    EXPECT_EQ(c.get("/api/v1/biz.customers/customers").status, 401);
}
