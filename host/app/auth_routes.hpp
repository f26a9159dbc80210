#pragma once
// Login, logout, the caller's own profile, and their API tokens:
//   POST /api/v1/auth/login {username, password}   public; sets the session cookie
//   POST /api/v1/auth/logout                       ends the session, clears the cookie
//   GET  /api/v1/auth/me                            user, permissions, assignments, csrfToken
//   GET|POST /api/v1/auth/tokens, DELETE /api/v1/auth/tokens/{id}   API tokens

#include "app/host_route.hpp"
#include "identity/accounts.hpp"
#include "identity/sessions.hpp"

namespace tessera::host {

inline const QByteArray kSessionCookie = "tessera_session";

/// The session cookie's value in a Cookie header, or empty.
QString sessionCookie(const QByteArray& cookieHeader);

/// `secureCookies`: the deployment is served over HTTPS (Deployment::servedOverHttps).
HostRoutes authRoutes(Accounts& accounts, Sessions& sessions, bool secureCookies);

}  // namespace tessera::host
