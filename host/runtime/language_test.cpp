// The language the host answers in: zh-CN unless Accept-Language prefers English.

#include "runtime/language.hpp"
#include "runtime/storage_error.hpp"

#include <gtest/gtest.h>

#include <cerrno>

using tessera::host::Language;
using tessera::host::preferredLanguage;

TEST(Language, ChineseUnlessEnglishIsPreferred) {
    EXPECT_EQ(preferredLanguage(""), Language::ZhCN);
    EXPECT_EQ(preferredLanguage("zh-CN"), Language::ZhCN);
    EXPECT_EQ(preferredLanguage("fr-FR, de"), Language::ZhCN) << "neither of ours: the default";
    EXPECT_EQ(preferredLanguage("*"), Language::ZhCN);
    EXPECT_EQ(preferredLanguage("en"), Language::En);
    EXPECT_EQ(preferredLanguage("EN-us"), Language::En);
    EXPECT_EQ(preferredLanguage("fr;q=0.9, en;q=0.5"), Language::En);
}

TEST(Language, TheHighestWeightWinsAndATieKeepsTheFirst) {
    EXPECT_EQ(preferredLanguage("en-GB,en;q=0.9,zh-CN;q=0.8"), Language::En);
    EXPECT_EQ(preferredLanguage("zh-CN,zh;q=0.9,en;q=0.8"), Language::ZhCN);
    EXPECT_EQ(preferredLanguage("zh;q=0.5, en;q=0.7"), Language::En);
    EXPECT_EQ(preferredLanguage("en, zh"), Language::En);
    EXPECT_EQ(preferredLanguage("zh, en"), Language::ZhCN);
    EXPECT_EQ(preferredLanguage("en;q=0, zh;q=0.1"), Language::ZhCN) << "q=0 means not acceptable";
}

TEST(Language, AMalformedHeaderIsTheDefaultNeverAFailure) {
    EXPECT_EQ(preferredLanguage(";;;,,,q="), Language::ZhCN);
    EXPECT_EQ(preferredLanguage("en;q=abc"), Language::ZhCN);
    EXPECT_EQ(preferredLanguage("en;q=7"), Language::ZhCN);
    EXPECT_EQ(preferredLanguage(QByteArray(100000, ',')), Language::ZhCN);
}

TEST(StorageError, AFullDiskOrQuotaIsDiskFullAndOtherFailuresSayWhyButNotWhere) {
    const auto full = tessera::host::storageError(ENOSPC, QStringLiteral("x.write"), QStringLiteral("cannot write"));
    EXPECT_EQ(full.code, QStringLiteral("disk.full"));
    EXPECT_EQ(full.message, QStringLiteral("服务器磁盘已满，请联系管理员"));
    EXPECT_EQ(tessera::host::storageError(EDQUOT, QStringLiteral("x.write"), QStringLiteral("cannot write")).code, QStringLiteral("disk.full"));
    const auto other = tessera::host::storageError(EIO, QStringLiteral("x.write"), QStringLiteral("cannot write"));
    EXPECT_EQ(other.code, QStringLiteral("x.write"));
    EXPECT_TRUE(other.message.startsWith(QStringLiteral("cannot write: "))) << other.message.toStdString();
    const auto answer = tessera::host::diskFullResponse(Language::En);
    EXPECT_EQ(answer.status, 507);
    EXPECT_TRUE(answer.problem);
    EXPECT_EQ(answer.body.toObject().value(QStringLiteral("code")).toString(), QStringLiteral("disk.full"));
    EXPECT_EQ(answer.body.toObject().value(QStringLiteral("detail")).toString(), QStringLiteral("The server's disk is full; please contact the administrator."));
}
