#include "identity/secrets.hpp"

#include <tessera/text.hpp>

#include <sodium.h>

#include <QByteArray>
#include <QCryptographicHash>


namespace tessera::host {

namespace {
bool sodiumReady() {
    static const bool ready = sodium_init() >= 0;
    return ready;
}
}  // namespace

QString passwordProblem(const QString& password) {
    if (password.size() < 8) return tessera::text("must have at least 8 characters");
    if (password.size() > 256) return tessera::text("must have at most 256 characters");
    if (password.trimmed().isEmpty()) return tessera::text("must not be blank");
    return {};
}

Result<QString> hashPassword(const QString& password) {
    if (!sodiumReady()) return Error{QStringLiteral("crypto.init"), QStringLiteral("libsodium could not be initialised")};
    const QByteArray pw = password.toUtf8();
    char out[crypto_pwhash_STRBYTES];
    // Interactive limits: ~64 MiB and a few passes, tuned by libsodium for logins.
    if (crypto_pwhash_str_alg(out, pw.constData(), static_cast<unsigned long long>(pw.size()),
                              crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return Error{QStringLiteral("crypto.hash"), QStringLiteral("out of memory while hashing the password")};
    }
    return QString::fromLatin1(out);
}

bool verifyPassword(const QString& hash, const QString& password) {
    if (!sodiumReady()) return false;
    const QByteArray h = hash.toLatin1();
    const QByteArray pw = password.toUtf8();
    return crypto_pwhash_str_verify(h.constData(), pw.constData(), static_cast<unsigned long long>(pw.size())) == 0;
}

QString randomToken(int bytes) {
    (void)sodiumReady();
    QByteArray buf(bytes, Qt::Uninitialized);
    randombytes_buf(buf.data(), static_cast<size_t>(buf.size()));
    return QString::fromLatin1(buf.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QByteArray tokenKey(QByteArrayView token) {
    QByteArray key(crypto_hash_sha256_BYTES, Qt::Uninitialized);
    crypto_hash_sha256(reinterpret_cast<unsigned char*>(key.data()), reinterpret_cast<const unsigned char*>(token.data()),
                       static_cast<unsigned long long>(token.size()));
    return key;
}

QString tokenDigest(const QString& token) {
    return QString::fromLatin1(QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256).toHex());
}

}  // namespace tessera::host
