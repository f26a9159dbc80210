#include "http/json_writer.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QStringView>
#include <QVariant>

#include <cmath>

namespace tessera::host::http {

namespace {

// What Qt's writer does with every value it accepts; false where its choice is not obvious
// (a string that is not valid UTF-16, an undefined value), and the caller then lets Qt write
// the whole document.
bool appendValue(QByteArray& out, const QJsonValue& v);

bool appendString(QByteArray& out, QStringView s) {
    if (!s.isValidUtf16()) return false;  // Qt escapes lone surrogates its own way
    const QByteArray utf8 = s.toUtf8();
    out += '"';
    const char* run = utf8.constData();
    const char* const end = run + utf8.size();
    for (const char* p = run; p != end; ++p) {
        const auto c = static_cast<unsigned char>(*p);
        if (c >= 0x20 && c != '"' && c != '\\') continue;  // UTF-8 bytes of non-ASCII pass as they are
        out.append(run, p - run);
        run = p + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default: {
                static constexpr char hex[] = "0123456789abcdef";
                const char escape[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
                out.append(escape, sizeof escape);
            }
        }
    }
    out.append(run, end - run);
    out += '"';
    return true;
}

bool appendNumber(QByteArray& out, const QJsonValue& v) {
    // Integers and doubles are both "Double" to QJsonValue; Qt writes them differently
    // (1000000 and 1e+06), and only the variant tells which one is stored.
    const QVariant number = v.toVariant();
    if (number.typeId() == QMetaType::LongLong) {
        out += QByteArray::number(number.toLongLong());
        return true;
    }
    const double d = v.toDouble();
    out += std::isfinite(d) ? QByteArray::number(d, 'g', QLocale::FloatingPointShortest) : QByteArray("null");
    return true;
}

bool appendValue(QByteArray& out, const QJsonValue& v) {
    switch (v.type()) {
        case QJsonValue::Null: out += "null"; return true;
        case QJsonValue::Bool: out += v.toBool() ? "true" : "false"; return true;
        case QJsonValue::Double: return appendNumber(out, v);
        case QJsonValue::String: return appendString(out, v.toString());
        case QJsonValue::Array: {
            const QJsonArray a = v.toArray();
            out += '[';
            for (qsizetype i = 0; i < a.size(); ++i) {
                if (i) out += ',';
                if (!appendValue(out, a.at(i))) return false;
            }
            out += ']';
            return true;
        }
        case QJsonValue::Object: {
            const QJsonObject o = v.toObject();
            out += '{';
            bool first = true;
            for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
                if (!first) out += ',';
                first = false;
                if (!appendString(out, it.key())) return false;
                out += ':';
                if (!appendValue(out, it.value())) return false;
            }
            out += '}';
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
    QByteArray out;
    out.reserve(512);
    if (appendValue(out, value)) return out;
    return qtCompactJson(value);
}

}  // namespace tessera::host::http
