#include "runtime/resolver.hpp"

#include <gtest/gtest.h>

using namespace tessera::host;

namespace {

struct Dep {
    const char* id;
    const char* range;
    bool optional = false;
};

PluginSpec plugin(const char* id, const char* version, std::vector<Dep> deps = {}, bool enabled = true,
                  std::vector<Dep> conflicts = {}) {
    PluginSpec s;
    s.id = QString::fromLatin1(id);
    s.enabled = enabled;
    s.state = enabled ? PluginState::Pending : PluginState::Disabled;
    Manifest m;
    m.id = s.id;
    m.file = QStringLiteral("/plugins/%1/manifest.xml").arg(s.id);
    m.version = *Version::parse(QString::fromLatin1(version));
    m.sdkApi = 1;
    for (const auto& d : deps)
        m.dependencies.push_back({QString::fromLatin1(d.id), *VersionRange::parse(QString::fromLatin1(d.range)), d.optional, 1});
    for (const auto& c : conflicts)
        m.conflicts.push_back({QString::fromLatin1(c.id), *VersionRange::parse(QString::fromLatin1(c.range)), 1});
    s.manifest = m;
    return s;
}

QStringList ids(const std::vector<PluginSpec*>& order) {
    QStringList out;
    for (auto* s : order) out << s->id;
    return out;
}

const PluginSpec& find(const std::vector<PluginSpec>& specs, const char* id) {
    for (const auto& s : specs)
        if (s.id == QLatin1String(id)) return s;
    throw std::runtime_error(id);
}

}  // namespace

TEST(Resolver, StartsDependenciesFirst) {
    std::vector<PluginSpec> specs{plugin("party.dues", "1.0.0", {{"party.daily", "^1.0.0"}}),
                                  plugin("party.daily", "1.3.0"),
                                  plugin("party.stats", "1.0.0", {{"party.dues", "1.x"}, {"party.daily", ">=1.2.0 <2.0.0"}})};
    auto order = Resolver(1).resolve(specs);
    EXPECT_EQ(ids(order), (QStringList{QStringLiteral("party.daily"), QStringLiteral("party.dues"), QStringLiteral("party.stats")}));
    for (const auto& s : specs) EXPECT_EQ(s.state, PluginState::Resolved);
}

TEST(Resolver, AbsentOptionalDependencyIsFine) {
    std::vector<PluginSpec> specs{plugin("biz.orders", "1.0.0", {{"biz.customers", "^1.0.0", true}})};
    auto order = Resolver(1).resolve(specs);
    EXPECT_EQ(ids(order), QStringList{QStringLiteral("biz.orders")});
}

TEST(Resolver, PresentOptionalDependencyIsStartedFirst) {
    std::vector<PluginSpec> specs{plugin("biz.orders", "1.0.0", {{"biz.customers", "^1.0.0", true}}),
                                  plugin("biz.customers", "1.1.0")};
    EXPECT_EQ(ids(Resolver(1).resolve(specs)), (QStringList{QStringLiteral("biz.customers"), QStringLiteral("biz.orders")}));
}

TEST(Resolver, OptionalDependencyInTheWrongVersionFails) {
    std::vector<PluginSpec> specs{plugin("biz.orders", "1.0.0", {{"biz.customers", "^2.0.0", true}}),
                                  plugin("biz.customers", "1.1.0")};
    (void)Resolver(1).resolve(specs);
    EXPECT_EQ(find(specs, "biz.orders").state, PluginState::Failed);
    EXPECT_TRUE(find(specs, "biz.orders").reason.contains(QStringLiteral("requires biz.customers ^2.0.0 (optional), but version 1.1.0 is enabled")));
}

TEST(Resolver, InstalledButDisabledDependencyIsNamedAsSuch) {
    std::vector<PluginSpec> specs{plugin("party.dues", "1.0.0", {{"party.daily", "^1.0.0"}}),
                                  plugin("party.daily", "1.0.0", {}, false)};
    (void)Resolver(1).resolve(specs);
    EXPECT_TRUE(find(specs, "party.dues").reason.contains(QStringLiteral("installed but not enabled")));
    EXPECT_EQ(find(specs, "party.daily").state, PluginState::Disabled);
}

TEST(Resolver, ConflictFailsTheDeclaringPlugin) {
    std::vector<PluginSpec> specs{plugin("biz.crm", "1.0.0", {}, true, {{"biz.customers", "<2.0.0"}}),
                                  plugin("biz.customers", "1.0.0")};
    (void)Resolver(1).resolve(specs);
    EXPECT_EQ(find(specs, "biz.crm").state, PluginState::Failed);
    EXPECT_TRUE(find(specs, "biz.crm").reason.contains(QStringLiteral("conflicts with biz.customers 1.0.0")));
    EXPECT_EQ(find(specs, "biz.customers").state, PluginState::Resolved);
}

TEST(Resolver, ConflictOutsideItsRangeIsFine) {
    std::vector<PluginSpec> specs{plugin("biz.crm", "1.0.0", {}, true, {{"biz.customers", "<1.0.0"}}),
                                  plugin("biz.customers", "1.0.0")};
    EXPECT_EQ(Resolver(1).resolve(specs).size(), 2u);
}

TEST(Resolver, SkipsDependentsOfAFailedPluginTransitively) {
    std::vector<PluginSpec> specs{plugin("a.top", "1.0.0", {{"b.middle", "*"}}), plugin("b.middle", "1.0.0", {{"c.bottom", "*"}}),
                                  plugin("c.bottom", "1.0.0", {{"x.missing", "*"}}), plugin("d.other", "1.0.0")};
    auto order = Resolver(1).resolve(specs);
    EXPECT_EQ(ids(order), QStringList{QStringLiteral("d.other")});
    EXPECT_EQ(find(specs, "c.bottom").state, PluginState::Failed);
    EXPECT_EQ(find(specs, "b.middle").state, PluginState::Skipped);
    EXPECT_TRUE(find(specs, "b.middle").reason.startsWith(QStringLiteral("required plugin c.bottom failed")));
    EXPECT_EQ(find(specs, "a.top").state, PluginState::Skipped);
    EXPECT_TRUE(find(specs, "a.top").reason.startsWith(QStringLiteral("required plugin b.middle was skipped")));
}

TEST(Resolver, SelfDependencyIsACycle) {
    std::vector<PluginSpec> specs{plugin("a.self", "1.0.0", {{"a.self", "*"}})};
    (void)Resolver(1).resolve(specs);
    EXPECT_EQ(find(specs, "a.self").state, PluginState::Failed);
    EXPECT_TRUE(find(specs, "a.self").reason.contains(QStringLiteral("dependency cycle")));
}

TEST(Resolver, ThreeWayCycleIsNamedInOrderAndItsDependentSkipped) {
    std::vector<PluginSpec> specs{plugin("c.one", "1.0.0", {{"c.two", "*"}}), plugin("c.two", "1.0.0", {{"c.three", "*"}}),
                                  plugin("c.three", "1.0.0", {{"c.one", "*"}}), plugin("d.user", "1.0.0", {{"c.two", "*"}})};
    (void)Resolver(1).resolve(specs);
    for (const char* id : {"c.one", "c.two", "c.three"}) {
        EXPECT_EQ(find(specs, id).state, PluginState::Failed);
        EXPECT_TRUE(find(specs, id).reason.contains(QStringLiteral("dependency cycle: c.one -> c.two -> c.three -> c.one")))
            << find(specs, id).reason.toStdString();
    }
    EXPECT_EQ(find(specs, "d.user").state, PluginState::Skipped);
}

TEST(Resolver, RefusesAnotherSdkApi) {
    std::vector<PluginSpec> specs{plugin("a.old", "1.0.0")};
    specs[0].manifest->sdkApi = 2;
    (void)Resolver(1).resolve(specs);
    EXPECT_EQ(find(specs, "a.old").reason, QStringLiteral("manifest says sdk-api 2, host provides SDK API 1"));
}

TEST(Resolver, SkipDependentsOfALateFailure) {
    std::vector<PluginSpec> specs{plugin("a.top", "1.0.0", {{"b.base", "*"}}), plugin("b.base", "1.0.0"),
                                  plugin("c.opt", "1.0.0", {{"b.base", "*", true}})};
    (void)Resolver(1).resolve(specs);
    PluginSpec& base = const_cast<PluginSpec&>(find(specs, "b.base"));
    base.fail(QStringLiteral("start threw: boom"));
    Resolver::skipDependentsOf(base, specs);
    EXPECT_EQ(find(specs, "a.top").state, PluginState::Skipped);
    EXPECT_TRUE(find(specs, "a.top").reason.contains(QStringLiteral("start threw: boom")));
    EXPECT_EQ(find(specs, "c.opt").state, PluginState::Resolved);
}
