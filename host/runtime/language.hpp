#pragma once
// The language the host answers a person in: their own setting when they have one, else
// Chinese (zh-CN) unless their Accept-Language prefers English.

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <optional>

namespace tessera::host {

/// A language the host has messages in.
enum class Language { ZhCN, En };

/// The language `acceptLanguage` (an Accept-Language header, RFC 9110 12.5.4) prefers among
/// ours: English when an "en" range has the highest weight, zh-CN otherwise (also when the
/// header is empty, malformed or names neither).
Language preferredLanguage(const QByteArray& acceptLanguage);

/// The language a stored setting names: exactly "zh-CN" or "en"; nullopt for anything else
/// (a user's empty setting: follow the browser).
std::optional<Language> languageNamed(QStringView name);
/// "zh-CN" or "en": the setting, and the Accept-Language the host hands a handler.
QString languageName(Language language);

/// "服务器磁盘已满，请联系管理员" in `language`.
QString diskFullMessage(Language language);

}  // namespace tessera::host
