#include "identity/secrets.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <QByteArray>
#include <QRegularExpression>
#include <QSet>

#include <ostream>
#include <stdexcept>

static void PrintTo(const QString& s, std::ostream* os) { *os << '"' << s.toStdString() << '"'; }

using tessera::host::hashPassword;
using tessera::host::passwordProblem;
using tessera::test::english;
using tessera::host::randomToken;
using tessera::host::tokenDigest;
using tessera::host::verifyPassword;

namespace {

QString mustHash(const QString& password) {
    auto hash = hashPassword(password);
    if (!hash) throw std::runtime_error(hash.error().message.toStdString());
    return *hash;
}

bool isUrlSafe(const QString& text) {
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_-]*$"));
    return re.match(text).hasMatch();
}

}  // namespace

// One hash serves the checks that only read it: each argon2id hash costs ~64 MiB and a
// noticeable fraction of a second.
TEST(Secrets, AHashVerifiesTheRightPasswordAndNoOther) {
    const QString hash = mustHash(QStringLiteral("correct horse battery"));
    EXPECT_TRUE(verifyPassword(hash, QStringLiteral("correct horse battery")));
    EXPECT_FALSE(verifyPassword(hash, QStringLiteral("correct horse battery ")));
    EXPECT_FALSE(verifyPassword(hash, QStringLiteral("Correct horse battery")));
    EXPECT_FALSE(verifyPassword(hash, QStringLiteral("correct horse")));
    EXPECT_FALSE(verifyPassword(hash, QString()));
}

TEST(Secrets, HashesAreArgon2idInLibsodiumsSelfDescribingFormat) {
    const QString hash = mustHash(QStringLiteral("correct horse battery"));
    EXPECT_TRUE(hash.startsWith(QStringLiteral("$argon2id$v=19$m="))) << hash.toStdString();
    EXPECT_FALSE(hash.contains(QStringLiteral("correct"))) << "the password must not appear in its hash";
}

TEST(Secrets, TwoHashesOfOnePasswordDifferBecauseEachHasItsOwnSalt) {
    const QString first = mustHash(QStringLiteral("same password"));
    const QString second = mustHash(QStringLiteral("same password"));
    EXPECT_NE(first, second);
    EXPECT_TRUE(verifyPassword(first, QStringLiteral("same password")));
    EXPECT_TRUE(verifyPassword(second, QStringLiteral("same password")));
}

TEST(Secrets, NonAsciiPasswordsAreHashedAsUtf8) {
    const QString hash = mustHash(QStringLiteral("密码是很长的一句话"));
    EXPECT_TRUE(verifyPassword(hash, QStringLiteral("密码是很长的一句话")));
    EXPECT_FALSE(verifyPassword(hash, QStringLiteral("密码是很长的一句")));
}

TEST(Secrets, AMalformedOrEmptyHashVerifiesNothing) {
    EXPECT_FALSE(verifyPassword(QString(), QStringLiteral("anything at all")));
    EXPECT_FALSE(verifyPassword(QString(), QString()));
    EXPECT_FALSE(verifyPassword(QStringLiteral("not a hash"), QStringLiteral("not a hash")));
    EXPECT_FALSE(verifyPassword(QStringLiteral("$argon2id$v=19$m=65536,t=2,p=1$"), QStringLiteral("x")));
}

TEST(Secrets, APasswordNeedsAtLeastEightCharacters) {
    EXPECT_EQ(english(passwordProblem(QString())), QStringLiteral("must have at least 8 characters"));
    EXPECT_EQ(english(passwordProblem(QStringLiteral("1234567"))), QStringLiteral("must have at least 8 characters"));
    EXPECT_EQ(passwordProblem(QStringLiteral("12345678")), QString());
}

TEST(Secrets, APasswordHasAtMost256Characters) {
    EXPECT_EQ(passwordProblem(QString(256, QLatin1Char('a'))), QString());
    EXPECT_EQ(english(passwordProblem(QString(257, QLatin1Char('a')))), QStringLiteral("must have at most 256 characters"));
}

TEST(Secrets, APasswordOfOnlyWhitespaceIsBlank) {
    EXPECT_EQ(english(passwordProblem(QStringLiteral("        "))), QStringLiteral("must not be blank"));
    EXPECT_EQ(english(passwordProblem(QStringLiteral("\t\t\t\n\n\n  "))), QStringLiteral("must not be blank"));
    // Spaces inside a pass phrase are fine.
    EXPECT_EQ(passwordProblem(QStringLiteral("  a b c   ")), QString());
}

TEST(Secrets, TokensAreUrlSafeBase64WithoutPadding) {
    const QString token = randomToken();
    EXPECT_EQ(token.size(), 43);  // 32 bytes -> ceil(32 * 4 / 3) characters, no '='
    EXPECT_TRUE(isUrlSafe(token)) << token.toStdString();
    EXPECT_EQ(QByteArray::fromBase64(token.toLatin1(), QByteArray::Base64UrlEncoding).size(), 32);

    const QString shortToken = randomToken(16);
    EXPECT_EQ(shortToken.size(), 22);
    EXPECT_TRUE(isUrlSafe(shortToken));
    EXPECT_EQ(QByteArray::fromBase64(shortToken.toLatin1(), QByteArray::Base64UrlEncoding).size(), 16);
}

TEST(Secrets, TokensAreRandom) {
    QSet<QString> seen;
    for (int i = 0; i < 1000; ++i) seen.insert(randomToken());
    EXPECT_EQ(seen.size(), 1000);
    // Over many tokens every one of the 64 URL-safe characters turns up, '-' and '_' included.
    QSet<QChar> characters;
    for (const QString& t : seen)
        for (const QChar c : t) characters.insert(c);
    EXPECT_EQ(characters.size(), 64);
}

TEST(Secrets, ATokenDigestIsTheLowerCaseHexSha256OfTheToken) {
    EXPECT_EQ(tokenDigest(QStringLiteral("abc")), QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    EXPECT_EQ(tokenDigest(QString()), QStringLiteral("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
}

TEST(Secrets, ATokenDigestIsStableAndDiffersBetweenTokens) {
    const QString token = randomToken();
    const QString digest = tokenDigest(token);
    EXPECT_EQ(digest, tokenDigest(token));
    EXPECT_EQ(digest.size(), 64);
    EXPECT_TRUE(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")).match(digest).hasMatch());
    EXPECT_NE(digest, tokenDigest(randomToken()));
    EXPECT_FALSE(digest.contains(token));
}

TEST(Secrets, ATokensKeyIsTheRawFormOfItsStoredDigest) {
    EXPECT_EQ(tessera::host::tokenKey("abc").toHex(), tokenDigest(QStringLiteral("abc")).toLatin1());
    const QString token = tessera::host::randomToken();
    EXPECT_EQ(tessera::host::tokenKey(token.toUtf8()).toHex(), tokenDigest(token).toLatin1());
}
