// The JSON writers against Qt's own: the same bytes for every kind of value.

#include "runtime/json_text.hpp"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using tessera::host::compactJson;
using tessera::host::JsonText;

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

TEST(JsonWriter, JsonTextWritesAsItGoesWhatQtWritesForTheSameObject) {
    const QString notes = QStringLiteral("年度框架协议客户，\"月结\" 30 天；\n发票\\寄送\u0001");
    const QJsonArray files{QJsonObject{{QStringLiteral("id"), 3}, {QStringLiteral("name"), QStringLiteral("合同.pdf")}}};
    JsonText text;
    text.beginObject();  // keys in Qt's (sorted) order, so the bytes can be compared
    text.key(u"a");
    text.value(files);
    text.key(u"empty");
    text.beginArray();
    text.endArray();
    text.key(u"id");
    text.integer(9007199254740993LL);
    text.key(u"labels");
    text.beginObject();
    text.key(u"customer");
    text.string(u"上海示例");
    text.key(u"none");
    text.null();
    text.endObject();
    text.key(u"list");
    text.beginArray();
    text.integer(-1);
    text.boolean(true);
    text.boolean(false);
    text.string(QString());
    text.endArray();
    text.key(u"notes");
    text.string(notes);
    text.key(u"z");
    text.value(QJsonValue(1.5));
    text.endObject();
    const QJsonObject same{{QStringLiteral("a"), files},
                           {QStringLiteral("empty"), QJsonArray{}},
                           {QStringLiteral("id"), 9007199254740993LL},
                           {QStringLiteral("labels"), QJsonObject{{QStringLiteral("customer"), QStringLiteral("上海示例")},
                                                                  {QStringLiteral("none"), QJsonValue::Null}}},
                           {QStringLiteral("list"), QJsonArray{-1, true, false, QString()}},
                           {QStringLiteral("notes"), notes},
                           {QStringLiteral("z"), 1.5}};
    EXPECT_EQ(text.take().toStdString(), byQt(same).toStdString());
    // A lone surrogate is Qt's to write, in place.
    text.beginArray();
    text.string(QString(QChar(0xD800)));
    text.endArray();
    EXPECT_EQ(text.take().toStdString(), byQt(QJsonArray{QString(QChar(0xD800))}).toStdString());
}
