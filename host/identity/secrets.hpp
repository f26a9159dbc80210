#pragma once
// Passwords (argon2id through libsodium), random tokens and their stored digests.

#include <tessera/result.hpp>

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace tessera::host {

/// The rule a new password must follow; empty when it does, else what is wrong.
QString passwordProblem(const QString& password);
/// An argon2id hash in libsodium's self-describing string format (salt and cost included).
Result<QString> hashPassword(const QString& password);
/// Constant-time check of `password` against a hash from hashPassword().
bool verifyPassword(const QString& hash, const QString& password);
/// `bytes` random bytes as URL-safe base64 without padding (cookies, API tokens, CSRF).
QString randomToken(int bytes = 32);
/// Hex SHA-256, how tokens are stored: a stolen database does not reveal usable tokens.
QString tokenDigest(const QString& token);
/// The same SHA-256 as 32 raw bytes (libsodium's, faster than formatting the hex): a key for
/// finding a token in memory without keeping the token itself.
QByteArray tokenKey(QByteArrayView token);

}  // namespace tessera::host
