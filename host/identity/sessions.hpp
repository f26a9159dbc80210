#pragma once
// Logins (with throttling per account and per address), browser sessions and API tokens.
// Tokens are random 256-bit values; only their SHA-256 is stored.

#include "store/sqlite_store.hpp"

#include <tessera/context.hpp>
#include <tessera/database.hpp>
#include <tessera/result.hpp>

#include <QDateTime>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace tessera::host {

/// Limits for logins and sessions.
struct LoginPolicy {
    int accountFailures = 5;        // failed logins of one account within the window lock it
    int addressFailures = 20;       // failed logins from one address within the window lock it
    int windowSeconds = 15 * 60;
    int lockSeconds = 15 * 60;
    int sessionIdleSeconds = 2 * 3600;    // a session unused this long expires
    int sessionMaxSeconds = 12 * 3600;    // and none lives longer than this
};

struct SessionStart {
    QString token;      // the cookie value; shown to the client once
    QString csrfToken;  // must accompany every unsafe request of this session
    qint64 userId = 0;
    QDateTime expiresAt;
};

struct SessionInfo {
    qint64 userId = 0;
    QString csrfToken;
};

struct ApiToken {
    qint64 id = 0;
    qint64 userId = 0;
    QString name;
    QString prefix;
    QString createdAt;
    QString expiresAt;
    QString lastUsedAt;
    QString revokedAt;
};

/// Something worth an audit entry: action ("login", "login.failed", "lockout", "logout",
/// "token.created", "token.revoked"), user, address and a detail for people.
using SecurityEventSink = std::function<void(const QString& action, qint64 userId, const QString& username,
                                             const QString& address, const QString& detail)>;

class Sessions {
public:
    Sessions(SqliteStore& db, const tessera::Clock& clock, LoginPolicy policy = {})
        : db_(db), clock_(clock), policy_(policy) {}
    void onSecurityEvent(SecurityEventSink sink) { sink_ = std::move(sink); }
    const LoginPolicy& policy() const { return policy_; }

    /// Errors: "auth.invalid" (wrong name or password, never saying which), "auth.locked"
    /// (message says for how long), "auth.disabled".
    Result<SessionStart> login(const QString& username, const QString& password, const QString& address);
    /// The live session for a cookie value, extending its idle expiry; nullopt if none.
    Result<std::optional<SessionInfo>> session(const QString& token);
    Status logout(const QString& token);

    /// Creates an API token; the returned token text is the only time it is visible.
    Result<std::pair<ApiToken, QString>> createToken(qint64 userId, const QString& name, std::optional<QDateTime> expiresAt);
    /// The user of a live (not revoked, not expired) API token; nullopt if none.
    Result<std::optional<qint64>> tokenUser(const QString& token);
    /// Error "token.not_found" when the user has no such token.
    Status revokeToken(qint64 userId, qint64 tokenId);
    Result<std::vector<ApiToken>> tokens(qint64 userId);

private:
    struct Lock {
        bool locked = false;
        qint64 secondsLeft = 0;
    };
    Result<Lock> lockOf(const QString& key);
    /// Counts a failure; true when this failure started a lock.
    Result<bool> countFailure(const QString& key, int limit);
    QString now() const { return clock_.now().toString(Qt::ISODateWithMs); }
    void report(const QString& action, qint64 userId, const QString& username, const QString& address, const QString& detail) {
        if (sink_) sink_(action, userId, username, address, detail);
    }

    SqliteStore& db_;
    const tessera::Clock& clock_;
    LoginPolicy policy_;
    SecurityEventSink sink_;
};

}  // namespace tessera::host
