// party.daily answers a zh-CN reader in Chinese: every refusal of the member card (the
// engine's checks and the plugin's rules) and of the organisation card, with no English
// sentence left in it; English to a reader who asks for it.

#include "daily_test_support.hpp"

#include "runtime/messages.hpp"

#include <QJsonArray>
#include <QRegularExpression>

#include <gtest/gtest.h>

using namespace tessera::test;
using party::daily::test::idNumber;
using party::daily::test::memberJson;

namespace {

class ChineseReaders : public party::daily::test::PartyDailyHost {
protected:
    HttpReply as(const QByteArray& language, const QByteArray& method, const QByteArray& path, const QJsonObject& body = {}) {
        return admin->request(method, path, body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact),
                              {{"Accept-Language", language}, {"Content-Type", "application/json"}});
    }
};

}  // namespace

TEST_F(ChineseReaders, EveryRefusalOfTheMemberCardReachesAChineseReaderInChinese) {
    QJsonObject bad = memberJson(QStringLiteral("张三"), root);
    bad.insert(QStringLiteral("shoeSize"), 42);
    bad.insert(QStringLiteral("ethnicity"), QStringLiteral("99"));
    bad.insert(QStringLiteral("nativePlace"), QString(101, QLatin1Char('x')));
    bad.insert(QStringLiteral("awards"), QJsonArray{QJsonObject{{QStringLiteral("date"), QStringLiteral("2019-13-01")}}});
    QJsonObject wrongId = memberJson(QStringLiteral("张三"), root);
    QString mistyped = idNumber(QStringLiteral("19800101"));
    mistyped[17] = mistyped[17] == QLatin1Char('1') ? QLatin1Char('2') : QLatin1Char('1');
    wrongId.insert(QStringLiteral("idNumber"), mistyped);
    QJsonObject rules = memberJson(QStringLiteral("张三"), root);
    rules.insert(QStringLiteral("category"), QStringLiteral("probationary"));
    rules.insert(QStringLiteral("joinDate"), QStringLiteral("1995-07-01"));
    rules.insert(QStringLiteral("birthDate"), QStringLiteral("1980-02-01"));
    rules.insert(QStringLiteral("status"), QStringLiteral("stopped"));
    rules.insert(QStringLiteral("lostContact"), true);
    rules.insert(QStringLiteral("leftReason"), QStringLiteral("died"));
    QJsonObject fine = memberJson(QStringLiteral("张三"), root);
    const auto made = admin->send("POST", "/api/v1/party.daily/orgs",
                                  QJsonObject{{QStringLiteral("fullName"), QStringLiteral("甲支部")}, {QStringLiteral("orgType"), QStringLiteral("branch")},
                                              {QStringLiteral("parentId"), root}});
    ASSERT_EQ(made.status, 201) << made.body.toStdString();
    const qint64 branch = made.json().value(QStringLiteral("id")).toInteger();
    const struct {
        QByteArray method, path;
        QJsonObject body;
    } refused[] = {
        {"POST", "/api/v1/party.daily/members", bad},
        {"POST", "/api/v1/party.daily/members", wrongId},
        {"POST", "/api/v1/party.daily/members", rules},
        {"GET", "/api/v1/party.daily/members?categroy=formal&size=0&sort=shoe", {}},
        {"GET", "/api/v1/party.daily/members?roll=gone&joinDateFrom=2008&category=x", {}},
        {"GET", "/api/v1/party.daily/members/999", {}},
        {"GET", "/api/v1/party.daily/members/counts/shoe-size", {}},
        {"GET", "/api/v1/party.daily/members/counts/age?page=2", {}},
        {"POST", "/api/v1/party.daily/orgs",
         QJsonObject{{QStringLiteral("fullName"), QStringLiteral("x")}, {QStringLiteral("orgType"), QStringLiteral("club")},
                     {QStringLiteral("status"), QStringLiteral("dissolved")}, {QStringLiteral("parentId"), 999999}}},
        {"GET", "/api/v1/party.daily/orgs/999999", {}},
        // The organisation card is a unit: its own rules, and the root that cannot move.
        {"POST", "/api/v1/party.daily/orgs",
         QJsonObject{{QStringLiteral("fullName"), QStringLiteral("x")}, {QStringLiteral("orgType"), QStringLiteral("branch")},
                     {QStringLiteral("status"), QStringLiteral("dissolved")}, {QStringLiteral("parentId"), root}}},
        {"PUT", "/api/v1/party.daily/orgs/" + QByteArray::number(root),
         QJsonObject{{QStringLiteral("fullName"), QStringLiteral("x")}, {QStringLiteral("orgType"), QStringLiteral("committee")},
                     {QStringLiteral("parentId"), root}}},
        // A unit still in use: the tree's refusal, naming what is in it.
        {"DELETE", "/api/v1/party.daily/orgs/" + QByteArray::number(branch), {}},
    };
    ASSERT_EQ(as("zh-CN", "POST", "/api/v1/party.daily/members", fine).status, 201);
    auto again = as("zh-CN", "POST", "/api/v1/party.daily/members", fine);  // the ID number is taken
    ASSERT_EQ(again.status, 422);
    EXPECT_TRUE(messagesOf(again).join(u'\n').contains(QStringLiteral("已被 张三（编号 1）使用"))) << again.body.toStdString();
    ASSERT_EQ(admin->send("POST", "/api/v1/party.daily/members", memberJson(QStringLiteral("李四"), branch, QStringLiteral("19810101"))).status, 201);
    for (const auto& r : refused) {
        for (const QByteArray& language : {QByteArray("zh-CN"), QByteArray("zh-CN,zh;q=0.9,en;q=0.8"), QByteArray()}) {
            auto reply = as(language, r.method, r.path, r.body);
            ASSERT_GE(reply.status, 400) << r.path.toStdString();
            for (const QString& m : messagesOf(reply))
                EXPECT_FALSE(hasEnglishSentence(m)) << r.method.toStdString() << ' ' << r.path.toStdString() << " [" << language.toStdString()
                                                    << "]: " << m.toStdString();
        }
        auto english = as("en", r.method, r.path, r.body);
        EXPECT_TRUE(hasEnglishSentence(messagesOf(english).join(u'\n'))) << english.body.toStdString();
    }
    // The rules' words, in Chinese.
    const QString said = messagesOf(as("zh-CN", "POST", "/api/v1/party.daily/members", wrongId)).join(u'\n');
    EXPECT_TRUE(said.contains(QStringLiteral("号码可能输错了，请逐位与身份证核对"))) << said.toStdString();
    const QString rulesSaid = messagesOf(as("zh-CN", "POST", "/api/v1/party.daily/members", rules)).join(u'\n');
    EXPECT_TRUE(rulesSaid.contains(QStringLiteral("党籍状态不正常时必填"))) << rulesSaid.toStdString();
    EXPECT_TRUE(tessera::host::messages().missing().isEmpty())
        << "templates without a Chinese translation: " << tessera::host::messages().missing().join(QStringLiteral(" | ")).toStdString();
}
