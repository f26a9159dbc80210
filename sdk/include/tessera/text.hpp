#pragma once
// Sentences for people, in their language. A plugin writes a message in English with its
// values as %1, %2, ... and ships its translations in a catalogue beside the manifest
// (messages/zh-CN.tsv: the English template, a tab, the translated template, one per line).
// The host says each message in the caller's language (Accept-Language; zh-CN by default)
// where it leaves the server: in every JSON answer, job result and reminder.
//
//   errors.append({"joinDate", tessera::text("on %1 the member was %2; members join at 18 or older", date, age)});
//
// The result is a QString that carries the template and its values (values may be texts
// themselves); log lines and other places outside an answer show it in English.

#include <QLatin1String>
#include <QString>
#include <QStringView>

#include <initializer_list>
#include <type_traits>

namespace tessera {

namespace detail {

// Markers of a text inside a QString: start, value separator, end (ASCII control characters
// that never occur in what people type, and that JSON carries as \u001e, \u001f, \u001d).
inline constexpr char16_t kTextStart = 0x1E;
inline constexpr char16_t kTextValue = 0x1F;
inline constexpr char16_t kTextEnd = 0x1D;

inline QString textValue(const QString& s) { return s; }
inline QString textValue(QStringView s) { return s.toString(); }
inline QString textValue(QLatin1String s) { return QString(s); }
inline QString textValue(const char* s) { return QString::fromUtf8(s); }
inline QString textValue(QChar c) { return QString(c); }
template <class N, std::enable_if_t<std::is_arithmetic_v<N> && !std::is_same_v<N, bool>, int> = 0>
QString textValue(N n) { return QString::number(n); }

inline QString encodeText(const QString& english, std::initializer_list<QString> values) {
    QString out{QChar(kTextStart)};
    out += english;
    for (const QString& v : values) {
        out += QChar(kTextValue);
        out += v;
    }
    out += QChar(kTextEnd);
    return out;
}

}  // namespace detail

/// A message for people: `english` with %1, %2, ... for `values` (strings, numbers or texts),
/// said in each caller's language from the catalogues.
template <class... Values>
QString text(const char* english, const Values&... values) {
    return detail::encodeText(QString::fromUtf8(english), {detail::textValue(values)...});
}

/// A message that is already a QString (an HTTP status's title): said as a text of its own.
inline QString textOf(const QString& english) { return english.contains(QChar(detail::kTextStart)) ? english : detail::encodeText(english, {}); }

/// A name people read in their language (a card's label): said as `zhCN` to a zh-CN reader
/// and as `en` to others (the template "%2", which catalogues say as "%1").
inline QString localized(const QString& zhCN, const QString& en) { return text("%2", zhCN, en); }

/// Whether `s` holds a text (tessera::text) anywhere.
inline bool hasText(QStringView s) { return s.contains(QChar(detail::kTextStart)); }

}  // namespace tessera
