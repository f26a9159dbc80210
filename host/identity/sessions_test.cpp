#include "identity/sessions.hpp"

#include "identity/accounts.hpp"
#include "identity/secrets.hpp"
#include "store/migrations.hpp"
#include "store/sqlite_store.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <QFile>

#include <ostream>
#include <stdexcept>

static void PrintTo(const QString& s, std::ostream* os) { *os << '"' << s.toStdString() << '"'; }

using tessera::host::Accounts;
using tessera::host::ApiToken;
using tessera::host::LoginPolicy;
using tessera::host::SessionStart;
using tessera::host::Sessions;

namespace {

using tessera::test::english;
using tessera::test::FakeClock;
using tessera::test::ListedScope;
using tessera::test::must;

struct Event {
    QString action;
    qint64 userId = 0;
    QString username;
    QString address;
    QString detail;
};

// Small numbers so the rules are easy to read in the tests.
LoginPolicy smallPolicy() {
    LoginPolicy p;
    p.accountFailures = 3;
    p.addressFailures = 5;
    p.windowSeconds = 600;
    p.lockSeconds = 300;
    p.sessionIdleSeconds = 600;
    p.sessionMaxSeconds = 1800;
    return p;
}

const QString kAddress = QStringLiteral("192.0.2.1");
const QString kOtherAddress = QStringLiteral("198.51.100.7");
const QString kPassword = QStringLiteral("alice's password");

// A fresh database with the host's schema, one user "alice" and a recorder of security events.
struct World {
    explicit World(LoginPolicy policy = smallPolicy()) {
        store = must(tessera::host::SqliteStore::open(dir.file(QStringLiteral("sessions.db"))));
        (void)must(tessera::host::Migrations(*store).apply(tessera::host::kCoreMigrationOwner, QStringLiteral("test"),
                                                           tessera::host::coreMigrations()));
        accounts = std::make_unique<Accounts>(*store, clock);
        sessions = std::make_unique<Sessions>(*store, clock, policy);
        sessions->onSecurityEvent([this](const QString& action, qint64 userId, const QString& username, const QString& address,
                                         const QString& detail) { events.push_back({action, userId, username, address, detail}); });
        alice = must(accounts->addUser(QStringLiteral("alice"), QStringLiteral("Alice"), kPassword));
    }

    tessera::Result<SessionStart> login(const QString& password, const QString& address = kAddress) {
        return sessions->login(QStringLiteral("alice"), password, address);
    }

    std::optional<qint64> sessionUser(const QString& token) {
        auto s = must(sessions->session(token));
        if (!s) return std::nullopt;
        return s->userId;
    }

    std::optional<qint64> tokenUser(const QString& token) { return must(sessions->tokenUser(token)); }

    std::vector<Event> eventsNamed(const QString& action) const {
        std::vector<Event> out;
        for (const auto& e : events)
            if (e.action == action) out.push_back(e);
        return out;
    }

    qint64 count(const QString& table) {
        return must(store->queryOne(QStringLiteral("SELECT count(*) AS n FROM ") + table)).value(QStringLiteral("n")).toLongLong();
    }

    // Everything SQLite has written: the database file and its write-ahead log.
    QByteArray fileBytes() {
        QByteArray all;
        for (const QString& suffix : {QString(), QStringLiteral("-wal")}) {
            QFile f(store->path() + suffix);
            if (f.open(QIODevice::ReadOnly)) all += f.readAll();
        }
        return all;
    }

    tessera::test::TempDir dir;
    std::unique_ptr<tessera::host::SqliteStore> store;
    FakeClock clock;
    std::unique_ptr<Accounts> accounts;
    std::unique_ptr<Sessions> sessions;
    std::vector<Event> events;
    qint64 alice = 0;
};

}  // namespace

// --- logging in --------------------------------------------------------------------------

TEST(Sessions, LogsInWithTheRightPasswordGivingASessionTokenAndACsrfToken) {
    World w;
    const SessionStart start = must(w.login(kPassword));
    EXPECT_EQ(start.userId, w.alice);
    EXPECT_EQ(start.token.size(), 43);
    EXPECT_EQ(start.csrfToken.size(), 43);
    EXPECT_NE(start.token, start.csrfToken);
    EXPECT_EQ(start.expiresAt, w.clock.time.addSecs(w.sessions->policy().sessionIdleSeconds));

    auto info = must(w.sessions->session(start.token));
    ASSERT_TRUE(info);
    EXPECT_EQ(info->userId, w.alice);
    EXPECT_EQ(info->csrfToken, start.csrfToken);
}

TEST(Sessions, EachLoginStartsItsOwnSession) {
    World w;
    const SessionStart first = must(w.login(kPassword));
    const SessionStart second = must(w.login(kPassword, kOtherAddress));
    EXPECT_NE(first.token, second.token);
    EXPECT_NE(first.csrfToken, second.csrfToken);
    EXPECT_EQ(w.sessionUser(first.token), w.alice);
    EXPECT_EQ(w.sessionUser(second.token), w.alice);
}

TEST(Sessions, StoresOnlyTheDigestOfTheSessionToken) {
    World w;
    const SessionStart start = must(w.login(kPassword));
    const auto row = must(w.store->queryOne(QStringLiteral("SELECT * FROM core_sessions")));
    EXPECT_EQ(row.value(QStringLiteral("token_hash")).toString(), tessera::host::tokenDigest(start.token));
    for (auto it = row.begin(); it != row.end(); ++it)
        EXPECT_FALSE(it.value().toString().contains(start.token)) << it.key().toStdString();
    // Nor anywhere else: not in the audit log, not in the write-ahead log.
    EXPECT_FALSE(w.fileBytes().contains(start.token.toLatin1()));
}

TEST(Sessions, AWrongPasswordAndAnUnknownUserGiveTheSameError) {
    World w;
    auto wrongPassword = w.login(QStringLiteral("not the password"));
    auto unknownUser = w.sessions->login(QStringLiteral("mallory"), kPassword, kAddress);
    ASSERT_FALSE(wrongPassword);
    ASSERT_FALSE(unknownUser);
    EXPECT_EQ(wrongPassword.error().code, QStringLiteral("auth.invalid"));
    EXPECT_EQ(unknownUser.error().code, wrongPassword.error().code);
    EXPECT_EQ(english(unknownUser.error().message), english(wrongPassword.error().message));
    EXPECT_EQ(w.count(QStringLiteral("core_sessions")), 0);
}

TEST(Sessions, LocksAnAccountAfterFiveFailuresEvenForTheRightPassword) {
    World w(LoginPolicy{});  // the defaults: 5 failures in 15 minutes lock for 15 minutes
    for (int i = 0; i < 4; ++i) {
        auto r = w.login(QStringLiteral("guess %1").arg(i));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, QStringLiteral("auth.invalid"));
    }
    auto fifth = w.login(QStringLiteral("guess 5"));
    ASSERT_FALSE(fifth);
    EXPECT_EQ(fifth.error().code, QStringLiteral("auth.invalid"));

    auto right = w.login(kPassword);
    ASSERT_FALSE(right);
    EXPECT_EQ(right.error().code, QStringLiteral("auth.locked"));
    EXPECT_TRUE(english(right.error().message).contains(QStringLiteral("15 minute"))) << english(right.error().message).toStdString();
    EXPECT_EQ(w.count(QStringLiteral("core_sessions")), 0);
}

TEST(Sessions, AnAccountLockEndsAfterTheLockTime) {
    World w;  // 3 failures lock for 300 s
    for (int i = 0; i < 3; ++i) ASSERT_FALSE(w.login(QStringLiteral("guess")));

    w.clock.advance(299);
    auto stillLocked = w.login(kPassword);
    ASSERT_FALSE(stillLocked);
    EXPECT_EQ(stillLocked.error().code, QStringLiteral("auth.locked"));
    EXPECT_TRUE(english(stillLocked.error().message).contains(QStringLiteral("1 minute"))) << english(stillLocked.error().message).toStdString();

    w.clock.advance(1);
    EXPECT_TRUE(w.login(kPassword));
}

TEST(Sessions, AttemptsDuringALockDoNotExtendIt) {
    World w;
    for (int i = 0; i < 3; ++i) ASSERT_FALSE(w.login(QStringLiteral("guess")));
    for (int i = 0; i < 5; ++i) {
        w.clock.advance(50);
        auto r = w.login(QStringLiteral("still guessing"));
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, QStringLiteral("auth.locked"));
    }
    w.clock.advance(50);  // 300 s after the lock began
    EXPECT_TRUE(w.login(kPassword));
}

TEST(Sessions, TheAccountLockAppliesFromEveryAddressAndToEveryCaseOfTheName) {
    World w;
    for (int i = 0; i < 3; ++i) ASSERT_FALSE(w.login(QStringLiteral("guess"), QStringLiteral("203.0.113.%1").arg(i)));
    auto elsewhere = w.login(kPassword, kOtherAddress);
    ASSERT_FALSE(elsewhere);
    EXPECT_EQ(elsewhere.error().code, QStringLiteral("auth.locked"));
    auto upperCase = w.sessions->login(QStringLiteral("ALICE"), kPassword, kOtherAddress);
    ASSERT_FALSE(upperCase);
    EXPECT_EQ(upperCase.error().code, QStringLiteral("auth.locked"));
}

TEST(Sessions, FailuresWithinTheWindowAddUp) {
    World w;  // 3 failures within 600 s
    ASSERT_FALSE(w.login(QStringLiteral("guess")));
    w.clock.advance(300);
    ASSERT_FALSE(w.login(QStringLiteral("guess")));
    w.clock.advance(299);
    ASSERT_FALSE(w.login(QStringLiteral("guess")));
    auto r = w.login(kPassword);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, QStringLiteral("auth.locked"));
}

TEST(Sessions, FailuresOutsideTheWindowStartANewCount) {
    World w;  // 3 failures within 600 s
    ASSERT_FALSE(w.login(QStringLiteral("guess")));
    ASSERT_FALSE(w.login(QStringLiteral("guess")));
    w.clock.advance(600);
    ASSERT_FALSE(w.login(QStringLiteral("guess")));  // the first of a new window
    ASSERT_FALSE(w.login(QStringLiteral("guess")));
    EXPECT_TRUE(w.login(kPassword));
}

TEST(Sessions, ASuccessClearsTheAccountsFailures) {
    World w;  // 3 failures lock
    ASSERT_FALSE(w.login(QStringLiteral("guess")));
    ASSERT_FALSE(w.login(QStringLiteral("guess")));
    ASSERT_TRUE(w.login(kPassword));
    ASSERT_FALSE(w.login(QStringLiteral("guess")));
    ASSERT_FALSE(w.login(QStringLiteral("guess")));
    EXPECT_TRUE(w.login(kPassword));
}

TEST(Sessions, LocksAnAddressAfterFailuresAcrossDifferentUserNames) {
    World w;  // 5 failures from one address lock it
    for (int i = 0; i < 5; ++i) {
        auto r = w.sessions->login(QStringLiteral("user%1").arg(i), QStringLiteral("guess"), kAddress);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, QStringLiteral("auth.invalid"));
    }
    auto fromThere = w.login(kPassword, kAddress);
    ASSERT_FALSE(fromThere);
    EXPECT_EQ(fromThere.error().code, QStringLiteral("auth.locked"));

    EXPECT_TRUE(w.login(kPassword, kOtherAddress));

    w.clock.advance(300);
    EXPECT_TRUE(w.login(kPassword, kAddress));
}

TEST(Sessions, ASuccessDoesNotClearTheAddressFailures) {
    // Otherwise one account of their own would let an attacker guess others' passwords forever.
    World w;
    for (int i = 0; i < 4; ++i) ASSERT_FALSE(w.sessions->login(QStringLiteral("user%1").arg(i), QStringLiteral("guess"), kAddress));
    ASSERT_TRUE(w.login(kPassword, kAddress));
    ASSERT_FALSE(w.sessions->login(QStringLiteral("user9"), QStringLiteral("guess"), kAddress));
    auto r = w.login(kPassword, kAddress);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, QStringLiteral("auth.locked"));
}

TEST(Sessions, RefusesADisabledUserWithTheRightPassword) {
    World w;
    must(w.accounts->setDisabled(w.alice, true));
    auto r = w.login(kPassword);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, QStringLiteral("auth.disabled"));
    EXPECT_EQ(w.count(QStringLiteral("core_sessions")), 0);

    auto wrong = w.login(QStringLiteral("not the password"));
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, QStringLiteral("auth.invalid"));
}

// --- security events ---------------------------------------------------------------------

TEST(Sessions, ReportsLoginsAndFailedLoginsWithUserAndAddress) {
    World w;
    ASSERT_TRUE(w.login(kPassword));
    ASSERT_FALSE(w.login(QStringLiteral("wrong"), kOtherAddress));
    ASSERT_FALSE(w.sessions->login(QStringLiteral("mallory"), QStringLiteral("guess"), kOtherAddress));

    const auto logins = w.eventsNamed(QStringLiteral("login"));
    ASSERT_EQ(logins.size(), 1u);
    EXPECT_EQ(logins[0].userId, w.alice);
    EXPECT_EQ(logins[0].username, QStringLiteral("alice"));
    EXPECT_EQ(logins[0].address, kAddress);

    const auto failed = w.eventsNamed(QStringLiteral("login.failed"));
    ASSERT_EQ(failed.size(), 2u);
    EXPECT_EQ(failed[0].userId, w.alice);
    EXPECT_EQ(failed[0].username, QStringLiteral("alice"));
    EXPECT_EQ(failed[0].address, kOtherAddress);
    EXPECT_EQ(failed[0].detail, QStringLiteral("wrong password"));
    EXPECT_EQ(failed[1].userId, 0);
    EXPECT_EQ(failed[1].username, QStringLiteral("mallory"));
    EXPECT_EQ(failed[1].address, kOtherAddress);
    EXPECT_EQ(failed[1].detail, QStringLiteral("no such user"));
}

TEST(Sessions, ReportsALockoutOnceWhenItBegins) {
    World w;
    for (int i = 0; i < 3; ++i) ASSERT_FALSE(w.login(QStringLiteral("guess")));
    ASSERT_FALSE(w.login(kPassword));  // refused while locked: no second lockout

    const auto lockouts = w.eventsNamed(QStringLiteral("lockout"));
    ASSERT_EQ(lockouts.size(), 1u);
    EXPECT_EQ(lockouts[0].userId, w.alice);
    EXPECT_EQ(lockouts[0].username, QStringLiteral("alice"));
    EXPECT_EQ(lockouts[0].address, kAddress);
    EXPECT_EQ(w.eventsNamed(QStringLiteral("login.failed")).size(), 3u);
    EXPECT_EQ(w.eventsNamed(QStringLiteral("login.refused")).size(), 1u);
}

TEST(Sessions, AFailureAfterALockEndsButWithinTheWindowLocksAgainAndIsReported) {
    World w;  // 3 failures within 600 s lock for 300 s
    for (int i = 0; i < 3; ++i) ASSERT_FALSE(w.login(QStringLiteral("guess")));
    w.clock.advance(300);  // the lock is over, the window (600 s) is not
    auto r = w.login(QStringLiteral("guess again"));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, QStringLiteral("auth.invalid"));
    auto right = w.login(kPassword);
    ASSERT_FALSE(right);
    EXPECT_EQ(right.error().code, QStringLiteral("auth.locked"));
    EXPECT_EQ(w.eventsNamed(QStringLiteral("lockout")).size(), 2u) << "every lock that begins is reported";
}

TEST(Sessions, ReportsAnAddressLockout) {
    World w;
    for (int i = 0; i < 5; ++i) ASSERT_FALSE(w.sessions->login(QStringLiteral("user%1").arg(i), QStringLiteral("guess"), kAddress));
    const auto lockouts = w.eventsNamed(QStringLiteral("lockout"));
    ASSERT_EQ(lockouts.size(), 1u);
    EXPECT_EQ(lockouts[0].address, kAddress);
    EXPECT_TRUE(lockouts[0].detail.contains(QStringLiteral("address"))) << lockouts[0].detail.toStdString();
}

TEST(Sessions, ReportsALogoutWithTheSessionsUserAndAddress) {
    World w;
    const SessionStart start = must(w.login(kPassword, kOtherAddress));
    must(w.sessions->logout(start.token));
    const auto logouts = w.eventsNamed(QStringLiteral("logout"));
    ASSERT_EQ(logouts.size(), 1u);
    EXPECT_EQ(logouts[0].userId, w.alice);
    EXPECT_EQ(logouts[0].username, QStringLiteral("alice"));
    EXPECT_EQ(logouts[0].address, kOtherAddress);
}

TEST(Sessions, ReportsCreatedAndRevokedTokensWithTheirUser) {
    World w;
    const auto created = must(w.sessions->createToken(w.alice, QStringLiteral("backup script"), std::nullopt));
    must(w.sessions->revokeToken(w.alice, created.first.id));

    const auto createdEvents = w.eventsNamed(QStringLiteral("token.created"));
    ASSERT_EQ(createdEvents.size(), 1u);
    EXPECT_EQ(createdEvents[0].userId, w.alice);
    EXPECT_TRUE(createdEvents[0].detail.contains(QStringLiteral("backup script")));
    EXPECT_FALSE(createdEvents[0].detail.contains(created.second)) << "the token itself must not reach the audit log";
    const auto revokedEvents = w.eventsNamed(QStringLiteral("token.revoked"));
    ASSERT_EQ(revokedEvents.size(), 1u);
    EXPECT_EQ(revokedEvents[0].userId, w.alice);
    EXPECT_TRUE(revokedEvents[0].detail.contains(QString::number(created.first.id)));
}

// --- sessions ----------------------------------------------------------------------------

TEST(Sessions, ANonexistentOrEmptyTokenHasNoSession) {
    World w;
    EXPECT_FALSE(must(w.sessions->session(QString())));
    EXPECT_FALSE(must(w.sessions->session(tessera::host::randomToken())));
}

TEST(Sessions, LoggingOutEndsTheSession) {
    World w;
    const SessionStart start = must(w.login(kPassword));
    const SessionStart other = must(w.login(kPassword));
    must(w.sessions->logout(start.token));
    EXPECT_FALSE(w.sessionUser(start.token));
    EXPECT_EQ(w.sessionUser(other.token), w.alice);
    // Logging out twice, or with a made-up token, is harmless and reports nothing.
    must(w.sessions->logout(start.token));
    must(w.sessions->logout(QStringLiteral("made up")));
    EXPECT_EQ(w.eventsNamed(QStringLiteral("logout")).size(), 1u);
}

TEST(Sessions, ASessionUnusedForTheIdleTimeExpires) {
    World w;  // idle 600 s
    const SessionStart start = must(w.login(kPassword));
    w.clock.advance(600);
    EXPECT_FALSE(w.sessionUser(start.token));
}

TEST(Sessions, UsingASessionSlidesItsIdleExpiry) {
    World w;  // idle 600 s
    const SessionStart start = must(w.login(kPassword));
    w.clock.advance(599);
    EXPECT_EQ(w.sessionUser(start.token), w.alice);
    w.clock.advance(599);  // 1198 s after login: alive because it was used at 599 s
    EXPECT_EQ(w.sessionUser(start.token), w.alice);
    w.clock.advance(600);  // unused for the idle time
    EXPECT_FALSE(w.sessionUser(start.token));
}

TEST(Sessions, ASessionNeverOutlivesTheAbsoluteMaximumHoweverOftenItIsUsed) {
    World w;  // idle 600 s, at most 1800 s
    const SessionStart start = must(w.login(kPassword));
    for (int t = 500; t < 1800; t += 500) {
        w.clock.advance(500);
        EXPECT_EQ(w.sessionUser(start.token), w.alice) << "at " << t << " s";
    }
    w.clock.advance(1799 - 1500);
    EXPECT_EQ(w.sessionUser(start.token), w.alice) << "at 1799 s";
    const auto row = must(w.store->queryOne(QStringLiteral("SELECT expires_at FROM core_sessions")));
    EXPECT_EQ(QDateTime::fromString(row.value(QStringLiteral("expires_at")).toString(), Qt::ISODateWithMs),
              QDateTime(QDate(2026, 3, 1), QTime(10, 0), Qt::UTC));
    w.clock.advance(1);
    EXPECT_FALSE(w.sessionUser(start.token)) << "at 1800 s";
}

TEST(Sessions, AnIdleTimeLongerThanTheMaximumIsCappedAtLogin) {
    LoginPolicy p = smallPolicy();
    p.sessionIdleSeconds = 7200;
    p.sessionMaxSeconds = 600;
    World w(p);
    const SessionStart start = must(w.login(kPassword));
    EXPECT_EQ(start.expiresAt, w.clock.time.addSecs(600));
    w.clock.advance(600);
    EXPECT_FALSE(w.sessionUser(start.token));
}

TEST(Sessions, ASessionOfADisabledUserEnds) {
    World w;
    const SessionStart start = must(w.login(kPassword));
    must(w.accounts->setDisabled(w.alice, true));
    EXPECT_FALSE(w.sessionUser(start.token));
    must(w.accounts->setDisabled(w.alice, false));
    EXPECT_FALSE(w.sessionUser(start.token)) << "enabling the user again does not revive the session";
}

TEST(Sessions, ANewPasswordEndsTheUsersSessions) {
    World w;
    const SessionStart start = must(w.login(kPassword));
    must(w.accounts->setPassword(w.alice, QStringLiteral("a brand new password")));
    EXPECT_FALSE(w.sessionUser(start.token));
    EXPECT_FALSE(w.login(kPassword));
    EXPECT_TRUE(w.login(QStringLiteral("a brand new password")));
}

TEST(Sessions, ALoginSweepsAwayExpiredSessions) {
    World w;
    (void)must(w.login(kPassword));
    (void)must(w.login(kPassword));
    w.clock.advance(601);
    const SessionStart fresh = must(w.login(kPassword));
    EXPECT_EQ(w.count(QStringLiteral("core_sessions")), 1);
    EXPECT_EQ(w.sessionUser(fresh.token), w.alice);
}

// --- API tokens --------------------------------------------------------------------------

TEST(Sessions, ACreatedApiTokenAuthenticatesItsUser) {
    World w;
    const auto [info, token] = must(w.sessions->createToken(w.alice, QStringLiteral("  backup script "), std::nullopt));
    EXPECT_TRUE(token.startsWith(QStringLiteral("tsr_")));
    EXPECT_EQ(info.prefix, token.left(10));
    EXPECT_EQ(info.name, QStringLiteral("backup script"));
    EXPECT_EQ(info.userId, w.alice);
    EXPECT_GT(info.id, 0);
    EXPECT_TRUE(info.expiresAt.isEmpty());
    EXPECT_EQ(w.tokenUser(token), w.alice);

    // A session cookie is not an API token, nor the other way round.
    EXPECT_FALSE(w.sessionUser(token));
    const SessionStart start = must(w.login(kPassword));
    EXPECT_FALSE(w.tokenUser(start.token));
}

TEST(Sessions, StoresOnlyTheDigestOfAnApiToken) {
    World w;
    const auto created = must(w.sessions->createToken(w.alice, QStringLiteral("ci"), std::nullopt));
    const auto row = must(w.store->queryOne(QStringLiteral("SELECT * FROM core_api_tokens")));
    EXPECT_EQ(row.value(QStringLiteral("token_hash")).toString(), tessera::host::tokenDigest(created.second));
    for (auto it = row.begin(); it != row.end(); ++it)
        EXPECT_FALSE(it.value().toString().contains(created.second)) << it.key().toStdString();
    EXPECT_FALSE(w.fileBytes().contains(created.second.toLatin1()));
}

TEST(Sessions, AnUnknownApiTokenAuthenticatesNobody) {
    World w;
    EXPECT_FALSE(w.tokenUser(QString()));
    EXPECT_FALSE(w.tokenUser(QStringLiteral("tsr_") + tessera::host::randomToken()));
}

TEST(Sessions, ARevokedApiTokenNoLongerAuthenticates) {
    World w;
    const auto [info, token] = must(w.sessions->createToken(w.alice, QStringLiteral("ci"), std::nullopt));
    must(w.sessions->revokeToken(w.alice, info.id));
    EXPECT_FALSE(w.tokenUser(token));

    auto again = w.sessions->revokeToken(w.alice, info.id);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, QStringLiteral("token.not_found"));
}

TEST(Sessions, AnExpiredApiTokenNoLongerAuthenticates) {
    World w;
    const auto [info, token] = must(w.sessions->createToken(w.alice, QStringLiteral("ci"), w.clock.time.addSecs(3600)));
    EXPECT_EQ(QDateTime::fromString(info.expiresAt, Qt::ISODateWithMs), w.clock.time.addSecs(3600));
    w.clock.advance(3599);
    EXPECT_EQ(w.tokenUser(token), w.alice);
    w.clock.advance(1);
    EXPECT_FALSE(w.tokenUser(token));
}

TEST(Sessions, RefusesATokenThatWouldBeBornExpiredOrHasNoName) {
    World w;
    for (const QDateTime& at : {w.clock.time, w.clock.time.addSecs(-1)}) {
        auto r = w.sessions->createToken(w.alice, QStringLiteral("ci"), at);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, QStringLiteral("token.invalid"));
    }
    for (const QString& name : {QString(), QStringLiteral("   "), QString(101, QLatin1Char('x'))}) {
        auto r = w.sessions->createToken(w.alice, name, std::nullopt);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, QStringLiteral("token.invalid"));
    }
    EXPECT_EQ(w.count(QStringLiteral("core_api_tokens")), 0);
}

TEST(Sessions, AnApiTokenOfADisabledUserStaysRevokedWhenTheUserIsEnabledAgain) {
    World w;
    const auto created = must(w.sessions->createToken(w.alice, QStringLiteral("ci"), std::nullopt));
    must(w.accounts->setDisabled(w.alice, true));
    EXPECT_FALSE(w.tokenUser(created.second));
    must(w.accounts->setDisabled(w.alice, false));
    EXPECT_FALSE(w.tokenUser(created.second));
    const auto tokens = must(w.sessions->tokens(w.alice));
    ASSERT_EQ(tokens.size(), 1u);
    EXPECT_FALSE(tokens.front().revokedAt.isEmpty());
    const auto fresh = must(w.sessions->createToken(w.alice, QStringLiteral("ci again"), std::nullopt));
    EXPECT_EQ(w.tokenUser(fresh.second), w.alice);
}

TEST(Sessions, NobodyCanRevokeAnotherUsersToken) {
    World w;
    const qint64 bob = must(w.store->execute(QStringLiteral("INSERT INTO core_users(username, password_hash, created_at, updated_at) "
                                                            "VALUES ('bob', 'x', 'now', 'now')")))
                           .lastInsertId;
    const auto created = must(w.sessions->createToken(w.alice, QStringLiteral("ci"), std::nullopt));
    auto r = w.sessions->revokeToken(bob, created.first.id);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, QStringLiteral("token.not_found"));
    EXPECT_EQ(w.tokenUser(created.second), w.alice);
    EXPECT_TRUE(w.eventsNamed(QStringLiteral("token.revoked")).empty());
}

TEST(Sessions, ListsAUsersTokensWithoutTheirSecrets) {
    World w;
    const auto first = must(w.sessions->createToken(w.alice, QStringLiteral("first"), std::nullopt));
    w.clock.advance(10);
    const auto second = must(w.sessions->createToken(w.alice, QStringLiteral("second"), w.clock.time.addDays(30)));
    w.clock.advance(10);
    ASSERT_EQ(w.tokenUser(first.second), w.alice);
    must(w.sessions->revokeToken(w.alice, second.first.id));

    const std::vector<ApiToken> list = must(w.sessions->tokens(w.alice));
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].id, first.first.id);
    EXPECT_EQ(list[0].name, QStringLiteral("first"));
    EXPECT_EQ(list[0].prefix, first.second.left(10));
    EXPECT_FALSE(list[0].createdAt.isEmpty());
    EXPECT_TRUE(list[0].expiresAt.isEmpty());
    EXPECT_EQ(QDateTime::fromString(list[0].lastUsedAt, Qt::ISODateWithMs), w.clock.time);
    EXPECT_TRUE(list[0].revokedAt.isEmpty());

    EXPECT_EQ(list[1].id, second.first.id);
    EXPECT_FALSE(list[1].expiresAt.isEmpty());
    EXPECT_TRUE(list[1].lastUsedAt.isEmpty());
    EXPECT_EQ(QDateTime::fromString(list[1].revokedAt, Qt::ISODateWithMs), w.clock.time);

    for (const ApiToken& t : list) {
        for (const QString& field : {t.name, t.prefix, t.createdAt, t.expiresAt, t.lastUsedAt, t.revokedAt}) {
            EXPECT_FALSE(field.contains(first.second));
            EXPECT_FALSE(field.contains(second.second));
        }
    }
    EXPECT_TRUE(must(w.sessions->tokens(42)).empty());
}
