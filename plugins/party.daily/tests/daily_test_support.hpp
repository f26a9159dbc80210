#pragma once
// What party.daily's tests share: valid ID numbers, and a host serving party.daily alone
// with an administrator's client.

#include "citizen_id.hpp"
#include "host_fixture.hpp"

#include <QJsonObject>
#include <QStringList>

#include <gtest/gtest.h>

#include <memory>

namespace party::daily::test {

/// A valid ID number of area 110105 with the given birth date and sequence (check digit computed).
inline QString idNumber(const QString& birth, const QString& sequence = QStringLiteral("123")) {
    const QString first17 = QStringLiteral("110105") + birth + sequence;
    return first17 + citizenIdCheckDigit(first17);
}

/// A formal member's card as the API takes it, born on `birth` ("19800101").
inline QJsonObject memberJson(const QString& name, qint64 unit, const QString& birth = QStringLiteral("19800101"),
                              const QString& sequence = QStringLiteral("123")) {
    return QJsonObject{{QStringLiteral("name"), name},
                       {QStringLiteral("idNumber"), idNumber(birth, sequence)},
                       {QStringLiteral("unitId"), unit},
                       {QStringLiteral("ethnicity"), QStringLiteral("01")},
                       {QStringLiteral("education"), QStringLiteral("21")},
                       {QStringLiteral("category"), QStringLiteral("formal")},
                       {QStringLiteral("joinDate"), QStringLiteral("2005-07-01")},
                       {QStringLiteral("fullDate"), QStringLiteral("2006-07-01")}};
}

/// A CSV file's bytes (UTF-8 with BOM, CRLF) from rows of cells (no quoting needed in tests).
inline QByteArray csv(const QList<QStringList>& rows) {
    QByteArray out = "\xEF\xBB\xBF";
    for (const QStringList& r : rows) out += r.join(QLatin1Char(',')).toUtf8() + "\r\n";
    return out;
}

/// A host serving the built plugins `ids` (party.daily and those built on it); a test failure
/// names any that did not start, and why.
inline std::unique_ptr<tessera::test::RunningHost> hostWith(const QStringList& ids) {
    using namespace tessera::test;
    std::vector<EnablePlugin> plugins;
    for (const QString& id : ids) plugins.push_back({id, {}});
    auto host = std::make_unique<RunningHost>(QStringList{builtPluginDir()}, plugins);
    for (const QString& id : ids) {
        const auto* spec = host->app().runtime().plugin(id);
        if (!spec || spec->state != tessera::host::PluginState::Started)
            ADD_FAILURE() << id.toStdString() << " did not start: " << (spec ? spec->reason.toStdString() : std::string("not found"));
    }
    return host;
}

/// A client for a new user `name` of unit `unit` holding `role` with `scope` ("unit", "subtree").
inline std::unique_ptr<tessera::test::HttpClient> userClient(tessera::test::RunningHost& host, const QString& name, const QString& role,
                                                             const QString& scope, qint64 unit, const char* language = "en") {
    auto client = std::make_unique<tessera::test::HttpClient>(host.anonymousClient());
    client->setDefaultHeader("Authorization", "Bearer " + host.userToken(name, role, scope, unit));
    client->setLanguage(language);
    return client;
}

/// A party organisation's card (and so its unit) of `type` ("committee", "branch") under
/// `parent`, set up in 2010; its id, which is its unit's.
inline qint64 newOrg(tessera::test::HttpClient& admin, const QString& name, const QString& type, qint64 parent) {
    auto r = admin.send("POST", "/api/v1/party.daily/orgs",
                        QJsonObject{{QStringLiteral("fullName"), name},
                                    {QStringLiteral("orgType"), type},
                                    {QStringLiteral("parentId"), parent},
                                    {QStringLiteral("setupDate"), QStringLiteral("2010-01-01")}});
    EXPECT_EQ(r.status, 201) << r.body.toStdString();
    return r.json().value(QStringLiteral("id")).toInteger();
}

/// A running host with party.daily started, the administrator's client and the root unit.
class PartyDailyHost : public ::testing::Test {
protected:
    void SetUp() override {
        using namespace tessera::test;
        host = std::make_unique<RunningHost>(QStringList{builtPluginDir()}, std::vector<EnablePlugin>{{QStringLiteral("party.daily"), {}}});
        const auto* spec = host->app().runtime().plugin(QStringLiteral("party.daily"));
        ASSERT_EQ(spec->state, tessera::host::PluginState::Started) << spec->reason.toStdString();
        admin = std::make_unique<tessera::test::HttpClient>(host->client());
        root = host->app().units().ensureRoot(QStringLiteral("t"))->id;
    }

    std::unique_ptr<tessera::test::RunningHost> host;
    std::unique_ptr<tessera::test::HttpClient> admin;
    qint64 root = 0;
};

}  // namespace party::daily::test
