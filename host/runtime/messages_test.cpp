// Message catalogues: texts said in the reader's language, values in their places.

#include "runtime/messages.hpp"

#include <tessera/text.hpp>

#include <QJsonArray>
#include <QJsonObject>

#include <gtest/gtest.h>

using tessera::host::Catalogue;
using tessera::host::Language;

TEST(Messages, ATextIsSaidInTheReadersLanguageWithItsValuesInTheirPlaces) {
    Catalogue c;
    ASSERT_TRUE(c.loadText("# comment\n\n%1 is before the join date %2\t%1 早于入党日期 %2\r\n"
                           "moved %1 to %2\t把 %2 移到了 %1\nman\t男\n",
                           QStringLiteral("test.tsv"), Language::ZhCN));
    const QString t = tessera::text("%1 is before the join date %2", QStringLiteral("2001-01-01"), QStringLiteral("2005-07-01"));
    EXPECT_EQ(c.render(t, Language::ZhCN), QStringLiteral("2001-01-01 早于入党日期 2005-07-01"));
    EXPECT_EQ(c.render(t, Language::En), QStringLiteral("2001-01-01 is before the join date 2005-07-01"));
    EXPECT_EQ(c.render(tessera::text("moved %1 to %2", 1, 2), Language::ZhCN), QStringLiteral("把 2 移到了 1")) << "values in any order";
    // Texts inside texts, texts among plain words, numbers; %10 is the tenth value.
    EXPECT_EQ(c.render(QStringLiteral("问题：") + tessera::text("the ID number is a %1's", tessera::text("man")), Language::ZhCN),
              QStringLiteral("问题：the ID number is a 男's")) << "a template without a translation is said in English";
    EXPECT_EQ(c.missing(), QStringList{QStringLiteral("the ID number is a %1's")});
    EXPECT_EQ(c.render(tessera::text("%10 and %1", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), Language::En), QStringLiteral("10 and 1"));
    EXPECT_EQ(c.render(tessera::text("100% of %1", 3), Language::En), QStringLiteral("100% of 3"));
    EXPECT_EQ(c.render(QStringLiteral("plain"), Language::ZhCN), QStringLiteral("plain"));
    // Names in the reader's language.
    Catalogue names;
    ASSERT_TRUE(names.loadText("%2\t%1\n", QStringLiteral("n.tsv"), Language::ZhCN));
    EXPECT_EQ(names.render(tessera::localized(QStringLiteral("党员"), QStringLiteral("Member")), Language::ZhCN), QStringLiteral("党员"));
    EXPECT_EQ(names.render(tessera::localized(QStringLiteral("党员"), QStringLiteral("Member")), Language::En), QStringLiteral("Member"));
}

TEST(Messages, EveryStringOfAnAnswerIsRenderedAndABadCatalogueLineIsNamed) {
    Catalogue c;
    c.add(QStringLiteral("is required"), QStringLiteral("必填"), Language::ZhCN);
    const QJsonObject answer{{QStringLiteral("errors"), QJsonArray{QJsonObject{{QStringLiteral("field"), QStringLiteral("name")},
                                                                              {QStringLiteral("message"), tessera::text("is required")}}}},
                             {QStringLiteral("status"), 422}};
    const QJsonObject zh = c.render(answer, Language::ZhCN).toObject();
    EXPECT_EQ(zh.value(QStringLiteral("errors")).toArray().at(0).toObject().value(QStringLiteral("message")).toString(), QStringLiteral("必填"));
    EXPECT_EQ(zh.value(QStringLiteral("status")).toInt(), 422);
    const QJsonObject plain{{QStringLiteral("a"), QStringLiteral("b")}};
    EXPECT_EQ(c.render(plain, Language::ZhCN).toObject(), plain);
    auto bad = c.loadText("ok\t好\nno tab here\n", QStringLiteral("messages/zh-CN.tsv"), Language::ZhCN);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message, QStringLiteral("messages/zh-CN.tsv:2: expected the English template, one tab and the translation"));
}
