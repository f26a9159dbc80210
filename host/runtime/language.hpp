#pragma once
// The language the host answers a person in: Chinese (zh-CN) unless their Accept-Language
// prefers English. The one place that chooses, until the host has message catalogues.

#include <QByteArray>
#include <QString>

namespace tessera::host {

/// A language the host has messages in.
enum class Language { ZhCN, En };

/// The language `acceptLanguage` (an Accept-Language header, RFC 9110 12.5.4) prefers among
/// ours: English when an "en" range has the highest weight, zh-CN otherwise (also when the
/// header is empty, malformed or names neither).
Language preferredLanguage(const QByteArray& acceptLanguage);

/// "服务器磁盘已满，请联系管理员" in `language`.
QString diskFullMessage(Language language);

}  // namespace tessera::host
