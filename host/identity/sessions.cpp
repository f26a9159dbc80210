#include "identity/sessions.hpp"

#include "identity/secrets.hpp"

#include <tessera/text.hpp>

namespace tessera::host {

namespace {

QDateTime parseTime(const QVariant& v) { return QDateTime::fromString(v.toString(), Qt::ISODateWithMs); }

// Compared against when the user does not exist, so a wrong name costs as long as a wrong
// password and response times do not reveal which accounts exist.
const QString& dummyHash() {
    static const QString hash = hashPassword(randomToken(16)).value();
    return hash;
}

}  // namespace

Result<Sessions::Lock> Sessions::lockOf(const QString& key) {
    auto r = db_.queryOne(QStringLiteral("SELECT locked_until FROM core_login_attempts WHERE key = ?1"), {key});
    if (!r) return r.error();
    Lock lock;
    if (r->isEmpty() || r->value(QStringLiteral("locked_until")).isNull()) return lock;
    const qint64 left = clock_.now().secsTo(parseTime(r->value(QStringLiteral("locked_until"))));
    if (left > 0) lock = {true, left};
    return lock;
}

Result<bool> Sessions::countFailure(const QString& key, int limit) {
    bool startedLock = false;
    Status s = db_.transaction([&]() -> Status {
        auto r = db_.queryOne(QStringLiteral("SELECT failures, window_start FROM core_login_attempts WHERE key = ?1"), {key});
        if (!r) return r.error();
        const QDateTime nowTime = clock_.now();
        int failures = 1;
        QString windowStart = now();
        if (!r->isEmpty()) {
            const QDateTime start = parseTime(r->value(QStringLiteral("window_start")));
            if (start.secsTo(nowTime) < policy_.windowSeconds) {
                failures = r->value(QStringLiteral("failures")).toInt() + 1;
                windowStart = r->value(QStringLiteral("window_start")).toString();
            }
        }
        QVariant lockedUntil;
        if (failures >= limit) {
            lockedUntil = nowTime.addSecs(policy_.lockSeconds).toString(Qt::ISODateWithMs);
            // login() counts failures only while no lock is in force, so a failure that sets
            // one always starts a lock: also a renewed one after a lock ran out within the window.
            startedLock = true;
        }
        // Counters whose window and lock are over are forgotten, so guessing many names does
        // not grow the table without end.
        const QString stale = nowTime.addSecs(-std::max(policy_.windowSeconds, policy_.lockSeconds)).toString(Qt::ISODateWithMs);
        if (auto w = db_.execute(QStringLiteral("DELETE FROM core_login_attempts WHERE window_start < ?1 AND "
                                                "(locked_until IS NULL OR locked_until < ?2) AND key <> ?3"),
                                 {stale, now(), key});
            !w)
            return w.error();
        return db_.execute(QStringLiteral("INSERT INTO core_login_attempts(key, failures, window_start, locked_until) VALUES (?1, ?2, ?3, ?4) "
                                          "ON CONFLICT(key) DO UPDATE SET failures = ?2, window_start = ?3, locked_until = ?4"),
                           {key, failures, windowStart, lockedUntil});
    });
    if (!s) return s.error();
    return startedLock;
}

Result<SessionStart> Sessions::login(const QString& username, const QString& password, const QString& address) {
    const QString accountKey = QStringLiteral("account:") + username.toLower();
    const QString addressKey = QStringLiteral("address:") + address;
    for (const QString& key : {accountKey, addressKey}) {
        auto lock = lockOf(key);
        if (!lock) return lock.error();
        if (lock->locked) {
            report(QStringLiteral("login.refused"), 0, username, address,
                 QStringLiteral("%1 is locked for %2 more seconds").arg(key).arg(lock->secondsLeft));
            return Error{QStringLiteral("auth.locked"),
                         tessera::text("too many failed logins; try again in %1 minute(s)", (lock->secondsLeft + 59) / 60)};
        }
    }

    auto row = db_.queryOne(QStringLiteral("SELECT id, password_hash, disabled FROM core_users WHERE username = ?1"), {username});
    if (!row) return row.error();
    const bool known = !row->isEmpty();
    const bool passwordOk = verifyPassword(known ? row->value(QStringLiteral("password_hash")).toString() : dummyHash(), password);
    const qint64 userId = known ? row->value(QStringLiteral("id")).toLongLong() : 0;
    if (!known || !passwordOk) {
        auto accountLocked = countFailure(accountKey, policy_.accountFailures);
        if (!accountLocked) return accountLocked.error();
        auto addressLocked = countFailure(addressKey, policy_.addressFailures);
        if (!addressLocked) return addressLocked.error();
        report(QStringLiteral("login.failed"), userId, username, address,
             known ? QStringLiteral("wrong password") : QStringLiteral("no such user"));
        if (*accountLocked)
            report(QStringLiteral("lockout"), userId, username, address,
                 QStringLiteral("account locked for %1 s after %2 failed logins").arg(policy_.lockSeconds).arg(policy_.accountFailures));
        if (*addressLocked)
            report(QStringLiteral("lockout"), 0, username, address,
                 QStringLiteral("address locked for %1 s after %2 failed logins").arg(policy_.lockSeconds).arg(policy_.addressFailures));
        return Error{QStringLiteral("auth.invalid"), tessera::text("wrong user name or password")};
    }
    if (row->value(QStringLiteral("disabled")).toBool()) {
        report(QStringLiteral("login.refused"), userId, username, address, QStringLiteral("account disabled"));
        return Error{QStringLiteral("auth.disabled"), tessera::text("this account is disabled")};
    }

    SessionStart start;
    start.token = randomToken();
    start.csrfToken = randomToken();
    start.userId = userId;
    start.expiresAt = clock_.now().addSecs(std::min(policy_.sessionIdleSeconds, policy_.sessionMaxSeconds));
    Status s = db_.transaction([&]() -> Status {
        if (auto w = db_.execute(QStringLiteral("DELETE FROM core_login_attempts WHERE key = ?1"), {accountKey}); !w) return w.error();
        // Expired sessions are swept here rather than by a timer: logins are rare enough.
        if (auto w = db_.execute(QStringLiteral("DELETE FROM core_sessions WHERE expires_at < ?1"), {now()}); !w) return w.error();
        return db_.execute(QStringLiteral("INSERT INTO core_sessions(token_hash, user_id, csrf_token, address, created_at, last_seen_at, expires_at) "
                                          "VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6)"),
                           {tokenDigest(start.token), userId, start.csrfToken, address, now(),
                            start.expiresAt.toString(Qt::ISODateWithMs)});
    });
    if (!s) return s.error();
    report(QStringLiteral("login"), userId, username, address, {});
    return start;
}

Result<std::optional<SessionInfo>> Sessions::session(const QString& token) {
    if (token.isEmpty()) return std::optional<SessionInfo>();
    const QString digest = tokenDigest(token);
    auto r = db_.queryOne(QStringLiteral("SELECT s.user_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, u.disabled "
                                         "FROM core_sessions s JOIN core_users u ON u.id = s.user_id WHERE s.token_hash = ?1"),
                          {digest});
    if (!r) return r.error();
    if (r->isEmpty() || r->value(QStringLiteral("disabled")).toBool()) return std::optional<SessionInfo>();
    const QDateTime nowTime = clock_.now();
    if (parseTime(r->value(QStringLiteral("expires_at"))) <= nowTime) return std::optional<SessionInfo>();
    // Slide the idle expiry, at most once a minute so reads do not turn into writes.
    if (parseTime(r->value(QStringLiteral("last_seen_at"))).secsTo(nowTime) >= 60) {
        const QDateTime cap = parseTime(r->value(QStringLiteral("created_at"))).addSecs(policy_.sessionMaxSeconds);
        const QDateTime expires = std::min(nowTime.addSecs(policy_.sessionIdleSeconds), cap);
        // Skipped while a long import holds the write lock: a later request slides it.
        (void)db_.executeIfFree(QStringLiteral("UPDATE core_sessions SET last_seen_at = ?1, expires_at = ?2 WHERE token_hash = ?3"),
                                {now(), expires.toString(Qt::ISODateWithMs), digest});
    }
    return std::optional<SessionInfo>(SessionInfo{r->value(QStringLiteral("user_id")).toLongLong(),
                                                  r->value(QStringLiteral("csrf_token")).toString()});
}

Status Sessions::logout(const QString& token) {
    auto r = db_.queryOne(QStringLiteral("SELECT s.user_id, u.username, s.address FROM core_sessions s JOIN core_users u ON u.id = s.user_id "
                                         "WHERE s.token_hash = ?1"),
                          {tokenDigest(token)});
    if (!r) return r.error();
    if (r->isEmpty()) return {};
    if (auto w = db_.execute(QStringLiteral("DELETE FROM core_sessions WHERE token_hash = ?1"), {tokenDigest(token)}); !w) return w.error();
    report(QStringLiteral("logout"), r->value(QStringLiteral("user_id")).toLongLong(), r->value(QStringLiteral("username")).toString(),
         r->value(QStringLiteral("address")).toString(), {});
    return {};
}

Result<std::pair<ApiToken, QString>> Sessions::createToken(qint64 userId, const QString& name, std::optional<QDateTime> expiresAt) {
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty() || trimmed.size() > 100)
        return Error{QStringLiteral("token.invalid"), tessera::text("a token needs a name of 1-100 characters")};
    if (expiresAt && *expiresAt <= clock_.now())
        return Error{QStringLiteral("token.invalid"), tessera::text("the expiry must be in the future")};
    // "tsr_" makes a leaked token recognisable to secret scanners and to people.
    const QString token = QStringLiteral("tsr_") + randomToken();
    ApiToken t;
    t.userId = userId;
    t.name = trimmed;
    t.prefix = token.left(10);
    t.createdAt = now();
    t.expiresAt = expiresAt ? expiresAt->toString(Qt::ISODateWithMs) : QString();
    auto w = db_.execute(QStringLiteral("INSERT INTO core_api_tokens(user_id, name, token_hash, prefix, created_at, expires_at) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
                         {userId, t.name, tokenDigest(token), t.prefix, t.createdAt, expiresAt ? QVariant(t.expiresAt) : QVariant()});
    if (!w) return w.error();
    t.id = w->lastInsertId;
    report(QStringLiteral("token.created"), userId, {}, {}, QStringLiteral("token %1 '%2'").arg(t.id).arg(t.name));
    return std::make_pair(t, token);
}

Result<std::optional<qint64>> Sessions::tokenUser(const QString& token) {
    auto r = db_.queryOne(QStringLiteral("SELECT t.id, t.user_id, t.expires_at, t.revoked_at, t.last_used_at, u.disabled FROM core_api_tokens t "
                                         "JOIN core_users u ON u.id = t.user_id WHERE t.token_hash = ?1"),
                          {tokenDigest(token)});
    if (!r) return r.error();
    if (r->isEmpty() || !r->value(QStringLiteral("revoked_at")).isNull() || r->value(QStringLiteral("disabled")).toBool())
        return std::optional<qint64>();
    const QDateTime nowTime = clock_.now();
    if (!r->value(QStringLiteral("expires_at")).isNull() && parseTime(r->value(QStringLiteral("expires_at"))) <= nowTime)
        return std::optional<qint64>();
    if (r->value(QStringLiteral("last_used_at")).isNull() || parseTime(r->value(QStringLiteral("last_used_at"))).secsTo(nowTime) >= 60)
        (void)db_.executeIfFree(QStringLiteral("UPDATE core_api_tokens SET last_used_at = ?1 WHERE id = ?2"), {now(), r->value(QStringLiteral("id"))});
    return std::optional<qint64>(r->value(QStringLiteral("user_id")).toLongLong());
}

Status Sessions::revokeToken(qint64 userId, qint64 tokenId) {
    auto w = db_.execute(QStringLiteral("UPDATE core_api_tokens SET revoked_at = ?1 WHERE id = ?2 AND user_id = ?3 AND revoked_at IS NULL"),
                         {now(), tokenId, userId});
    if (!w) return w.error();
    if (w->changes == 0) return Error{QStringLiteral("token.not_found"), tessera::text("no live token %1 of yours", tokenId)};
    report(QStringLiteral("token.revoked"), userId, {}, {}, QStringLiteral("token %1").arg(tokenId));
    return {};
}

Result<std::vector<ApiToken>> Sessions::tokens(qint64 userId) {
    auto rows = db_.query(QStringLiteral("SELECT id, name, prefix, created_at, expires_at, last_used_at, revoked_at FROM core_api_tokens "
                                         "WHERE user_id = ?1 ORDER BY id"),
                          {userId});
    if (!rows) return rows.error();
    std::vector<ApiToken> out;
    for (const auto& r : *rows) {
        ApiToken t;
        t.id = r.value(QStringLiteral("id")).toLongLong();
        t.userId = userId;
        t.name = r.value(QStringLiteral("name")).toString();
        t.prefix = r.value(QStringLiteral("prefix")).toString();
        t.createdAt = r.value(QStringLiteral("created_at")).toString();
        t.expiresAt = r.value(QStringLiteral("expires_at")).toString();
        t.lastUsedAt = r.value(QStringLiteral("last_used_at")).toString();
        t.revokedAt = r.value(QStringLiteral("revoked_at")).toString();
        out.push_back(t);
    }
    return out;
}

}  // namespace tessera::host
