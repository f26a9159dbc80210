// The response writer against Qt's own: the same bytes for every kind of value.

#include "http/json_writer.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using tessera::host::http::compactJson;

namespace {

QByteArray byQt(const QJsonValue& v) {
    if (v.isObject()) return QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
    if (v.isArray()) return QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
    const QByteArray wrapped = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

void expectAsQtWritesIt(const QJsonValue& v) {
    EXPECT_EQ(compactJson(v).toStdString(), byQt(v).toStdString());
    // Inside an object and an array too, where the fast path runs.
    const QJsonObject inObject{{QStringLiteral("v"), v}};
    EXPECT_EQ(compactJson(inObject).toStdString(), byQt(inObject).toStdString());
    const QJsonArray inArray{v, v};
    EXPECT_EQ(compactJson(inArray).toStdString(), byQt(inArray).toStdString());
}

}  // namespace

TEST(JsonWriter, WritesACardAsQtDoes) {
    expectAsQtWritesIt(QJsonObject{{QStringLiteral("id"), 7},
                                   {QStringLiteral("name"), QStringLiteral("上海示例贸易有限公司")},
                                   {QStringLiteral("notes"), QStringLiteral("年度框架协议客户，月结 30 天；发票寄送财务部。")},
                                   {QStringLiteral("empty"), QString()},
                                   {QStringLiteral("version"), qint64{1}},
                                   {QStringLiteral("tags"), QJsonArray{1, QStringLiteral("a"), QJsonObject{}, QJsonArray{}}}});
}

TEST(JsonWriter, EscapesStringsAsQtDoes) {
    QString controls;
    for (char16_t c = 0; c < 0x80; ++c) controls += QChar(c);
    expectAsQtWritesIt(controls);
    expectAsQtWritesIt(QStringLiteral("quote \" backslash \\ slash / tab\tline\nend"));
    expectAsQtWritesIt(QString::fromUtf8("é ü 中文 😀 \u2028 \u2029 \u00a0 \ufeff \uffff"));
    expectAsQtWritesIt(QJsonObject{{QStringLiteral("key \"quoted\"\n"), 1}, {QString::fromUtf8("键"), 2}});
}

TEST(JsonWriter, LeavesStringsThatAreNotValidUtf16ToQt) {
    QString lone;
    lone += QChar(0xd800);
    lone += QLatin1String("x");
    expectAsQtWritesIt(lone);
    QString lowFirst;
    lowFirst += QChar(0xdc00);
    lowFirst += QChar(0xd800);
    expectAsQtWritesIt(lowFirst);
}

TEST(JsonWriter, WritesIntegersAndDoublesAsQtDoes) {
    for (const qint64 n : {qint64{0}, qint64{-1}, qint64{42}, qint64{1000000}, qint64{1} << 53, (qint64{1} << 53) + 1,
                           std::numeric_limits<qint64>::max(), std::numeric_limits<qint64>::min()})
        expectAsQtWritesIt(QJsonValue(n));
    for (const double d : {0.0, -0.0, 0.1, 1.5, 3.0, 1e6, 1e15, 1e20, 1e300, 1e-7, -2.5e-300, 123456789.125,
                           std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()})
        expectAsQtWritesIt(QJsonValue(d));
    expectAsQtWritesIt(QJsonValue(7));
}

TEST(JsonWriter, WritesNullBooleansAndUndefinedAsQtDoes) {
    expectAsQtWritesIt(QJsonValue(QJsonValue::Null));
    expectAsQtWritesIt(true);
    expectAsQtWritesIt(false);
    expectAsQtWritesIt(QJsonValue(QJsonValue::Undefined));
}
