#include "runtime/sort_key.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

using tessera::host::zhSortKey;

TEST(SortKeys, OrderChineseNamesByPinyin) {
    QStringList names{QStringLiteral("赵敏"), QStringLiteral("王芳"), QStringLiteral("阿依古丽"), QStringLiteral("李娜"),
                      QStringLiteral("张伟"), QStringLiteral("蔡文"), QStringLiteral("李明")};
    std::sort(names.begin(), names.end(), [](const QString& a, const QString& b) { return zhSortKey(a) < zhSortKey(b); });
    EXPECT_EQ(names, (QStringList{QStringLiteral("阿依古丽"), QStringLiteral("蔡文"), QStringLiteral("李明"), QStringLiteral("李娜"),
                                  QStringLiteral("王芳"), QStringLiteral("张伟"), QStringLiteral("赵敏")}));
}

TEST(SortKeys, AreStableAcrossThreadsAndHaveNoTrailingZero) {
    const QByteArray here = zhSortKey(QStringLiteral("中国共产党"));
    QByteArray there;
    std::thread([&] { there = zhSortKey(QStringLiteral("中国共产党")); }).join();
    EXPECT_EQ(here, there);
    EXPECT_FALSE(here.isEmpty());
    EXPECT_NE(here.back(), '\0');
    EXPECT_LT(zhSortKey(QString()), zhSortKey(QStringLiteral("阿")));
    // A long name needs a key longer than the first guess.
    EXPECT_LT(zhSortKey(QString(40, QChar(0x4E2D))), zhSortKey(QString(41, QChar(0x4E2D))));
}
