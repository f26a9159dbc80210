#include "runtime/json_text.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QStringEncoder>
#include <QStringView>
#include <QVariant>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace tessera::host {

namespace {

using Output = JsonBytes;

bool needsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// Writes the escaped form of UTF-8 `text` at `p`, which has room for 6 bytes per byte.
char* escaped(char* p, const QByteArray& text) {
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (!needsEscape(c)) {  // bytes of non-ASCII characters pass as they are
            *p++ = ch;
            continue;
        }
        *p++ = '\\';
        switch (c) {
            case '"': *p++ = '"'; break;
            case '\\': *p++ = '\\'; break;
            case '\b': *p++ = 'b'; break;
            case '\f': *p++ = 'f'; break;
            case '\n': *p++ = 'n'; break;
            case '\r': *p++ = 'r'; break;
            case '\t': *p++ = 't'; break;
            default: {
                static constexpr char hex[] = "0123456789abcdef";
                *p++ = 'u';
                *p++ = '0';
                *p++ = '0';
                *p++ = hex[c >> 4];
                *p++ = hex[c & 0xf];
            }
        }
    }
    return p;
}

// Encodes straight into the output (no UTF-8 copy of each string), then escapes in a second
// pass only when the text holds a quote, a backslash or a control character. False for a
// string that is not valid UTF-16: Qt escapes lone surrogates its own way.
bool appendString(Output& out, QStringView s) {
    if (!s.isValidUtf16()) return false;
    QStringEncoder utf8(QStringEncoder::Utf8, QStringConverter::Flag::Stateless);
    // Room for the encoded text escaped (6 bytes per byte at most) and the quotes.
    char* const start = out.room(6 * utf8.requiredSpace(s.size()) + 2) + 1;
    start[-1] = '"';
    char* end = utf8.appendToBuffer(start, s);
    if (std::any_of(start, end, [](char c) { return needsEscape(static_cast<unsigned char>(c)); })) {
        const QByteArray plain(start, end - start);
        end = escaped(start, plain);
    }
    *end++ = '"';
    out.wrote(end);
    return true;
}

bool appendNumber(Output& out, const QJsonValue& v) {
    // Integers and doubles are both "Double" to QJsonValue; Qt writes them differently
    // (1000000 and 1e+06), and only the variant tells which one is stored.
    const QVariant number = v.toVariant();
    if (number.typeId() == QMetaType::LongLong) {
        out.put(QByteArray::number(number.toLongLong()));
        return true;
    }
    const double d = v.toDouble();
    if (std::isfinite(d)) out.put(QByteArray::number(d, 'g', QLocale::FloatingPointShortest));
    else out.put("null", 4);
    return true;
}

// What Qt's writer does with every value it accepts; false where its choice is not obvious
// (a string that is not valid UTF-16, an undefined value), and the caller then lets Qt write
// the whole document.
bool appendValue(Output& out, const QJsonValue& v) {
    switch (v.type()) {
        case QJsonValue::Null: out.put("null", 4); return true;
        case QJsonValue::Bool:
            if (v.toBool()) out.put("true", 4);
            else out.put("false", 5);
            return true;
        case QJsonValue::Double: return appendNumber(out, v);
        case QJsonValue::String: return appendString(out, v.toString());
        case QJsonValue::Array: {
            const QJsonArray a = v.toArray();
            out.put('[');
            for (qsizetype i = 0; i < a.size(); ++i) {
                if (i) out.put(',');
                if (!appendValue(out, a.at(i))) return false;
            }
            out.put(']');
            return true;
        }
        case QJsonValue::Object: {
            const QJsonObject o = v.toObject();
            out.put('{');
            bool first = true;
            for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
                if (!first) out.put(',');
                first = false;
                if (!appendString(out, it.key())) return false;
                out.put(':');
                if (!appendValue(out, it.value())) return false;
            }
            out.put('}');
            return true;
        }
        case QJsonValue::Undefined: return false;
    }
    return false;
}

QByteArray qtCompactJson(const QJsonValue& v) {
    if (v.isObject()) return QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
    if (v.isArray()) return QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
    const QByteArray wrapped = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

}  // namespace

QByteArray compactJson(const QJsonValue& value) {
    Output out;
    if (appendValue(out, value)) return out.take();
    return qtCompactJson(value);
}

JsonText::JsonText() = default;

void JsonText::beforeValue() {
    if (keyed_) {
        keyed_ = false;
        return;
    }
    if (!first_.empty()) {
        if (!first_.back()) out_.put(',');
        first_.back() = false;
    }
}

void JsonText::beginObject() {
    beforeValue();
    out_.put('{');
    first_.push_back(true);
}

void JsonText::endObject() {
    out_.put('}');
    first_.pop_back();
}

void JsonText::beginArray() {
    beforeValue();
    out_.put('[');
    first_.push_back(true);
}

void JsonText::endArray() {
    out_.put(']');
    first_.pop_back();
}

void JsonText::key(QStringView name) {
    string(name);
    out_.put(':');
    keyed_ = true;
}

void JsonText::string(QStringView s) {
    beforeValue();
    if (!appendString(out_, s)) out_.put(qtCompactJson(s.toString()));
}

void JsonText::integer(qint64 n) {
    beforeValue();
    char digits[24];
    const int length = std::snprintf(digits, sizeof digits, "%lld", static_cast<long long>(n));
    out_.put(digits, length);
}

void JsonText::boolean(bool b) {
    beforeValue();
    if (b) out_.put("true", 4);
    else out_.put("false", 5);
}

void JsonText::null() {
    beforeValue();
    out_.put("null", 4);
}

void JsonText::value(const QJsonValue& v) {
    beforeValue();
    if (v.isUndefined()) {
        out_.put("null", 4);  // the key is written already: it gets a value
        return;
    }
    const qsizetype mark = out_.size();
    if (appendValue(out_, v)) return;
    out_.truncate(mark);  // what our writer leaves to Qt, Qt writes whole
    out_.put(qtCompactJson(v));
}

QByteArray JsonText::take() {
    first_.clear();
    keyed_ = false;
    return out_.take();
}

}  // namespace tessera::host
