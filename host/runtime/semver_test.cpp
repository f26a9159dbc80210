#include "runtime/semver.hpp"

#include <gtest/gtest.h>

using tessera::host::Version;
using tessera::host::VersionRange;

namespace {

Version v(const char* text) {
    const auto parsed = Version::parse(QString::fromUtf8(text));
    if (!parsed) ADD_FAILURE() << "not a version: " << text;
    return parsed.value_or(Version{});
}

// Whether `range` contains `version`; a malformed range fails the test.
bool contains(const char* range, const char* version) {
    const auto parsed = VersionRange::parse(QString::fromUtf8(range));
    if (!parsed) {
        ADD_FAILURE() << "not a range: " << range;
        return false;
    }
    return parsed->contains(v(version));
}

}  // namespace

TEST(Version, ParsesMajorMinorPatch) {
    const auto parsed = Version::parse(QStringLiteral("1.20.300"));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->major, 1);
    EXPECT_EQ(parsed->minor, 20);
    EXPECT_EQ(parsed->patch, 300);
    EXPECT_TRUE(parsed->prerelease.isEmpty());
}

TEST(Version, ParsesPrereleaseAndDropsBuildMetadata) {
    const auto parsed = Version::parse(QStringLiteral("1.0.0-beta.2+exp.sha.5114f85"));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->prerelease, QStringLiteral("beta.2"));
    EXPECT_EQ(parsed->toString(), QStringLiteral("1.0.0-beta.2"));
    EXPECT_EQ(*parsed, v("1.0.0-beta.2"));
}

TEST(Version, AcceptsHyphensInPrereleaseIdentifiers) {
    EXPECT_TRUE(Version::parse(QStringLiteral("1.0.0-x-y-z.--")));
    EXPECT_TRUE(Version::parse(QStringLiteral("1.0.0-0A.is.legal")));
    EXPECT_TRUE(Version::parse(QStringLiteral("1.0.0+001")));  // build metadata may have leading zeros
}

TEST(Version, RejectsMalformedText) {
    for (const char* text : {"", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.03", "v1.2.3", " 1.2.3",
                             "1.2.3 ", "1.2.3-", "1.2.3+", "1.2.3-beta..1", "1.2.3-01", "1.2.3-beta_1",
                             "1.2.3+build..1", "-1.2.3", "1.-2.3", "a.b.c", "1.2.x", "2147483648.0.0",
                             "1..3"}) {
        EXPECT_FALSE(Version::parse(QString::fromUtf8(text))) << text;
    }
}

TEST(Version, AcceptsTheLargestInt) {
    const auto parsed = Version::parse(QStringLiteral("2147483647.0.0"));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->major, 2147483647);
}

TEST(Version, PrintsWithoutBuildMetadata) {
    EXPECT_EQ(v("1.2.3").toString(), QStringLiteral("1.2.3"));
    EXPECT_EQ(v("1.2.3-rc.1+b7").toString(), QStringLiteral("1.2.3-rc.1"));
}

TEST(Version, ComparesNumbersNumerically) {
    EXPECT_LT(v("1.2.3"), v("1.10.0"));
    EXPECT_LT(v("1.9.9"), v("2.0.0"));
    EXPECT_LT(v("1.2.9"), v("1.2.10"));
    EXPECT_GT(v("10.0.0"), v("9.99.99"));
}

TEST(Version, FollowsSemverPrecedenceForPrereleases) {
    // The example chain from semver.org, section 11.
    const char* ordered[] = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                             "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",      "1.0.0"};
    for (std::size_t i = 0; i + 1 < std::size(ordered); ++i) {
        EXPECT_LT(v(ordered[i]), v(ordered[i + 1])) << ordered[i] << " < " << ordered[i + 1];
        EXPECT_GT(v(ordered[i + 1]), v(ordered[i]));
    }
}

TEST(Version, ComparesNumericPrereleaseIdentifiersBelowAlphanumericOnes) {
    EXPECT_LT(v("1.0.0-1"), v("1.0.0-a"));
    EXPECT_LT(v("1.0.0-999"), v("1.0.0-0a"));
    EXPECT_LT(v("1.0.0-2"), v("1.0.0-10"));
    EXPECT_LT(v("1.0.0-99999999999999999999"), v("1.0.0-100000000000000000000"));
}

TEST(Version, IgnoresBuildMetadataWhenComparing) {
    EXPECT_EQ(v("1.0.0+a"), v("1.0.0+b"));
    EXPECT_EQ(compare(v("1.0.0+a"), v("1.0.0")), 0);
}

TEST(VersionRange, ExactVersionMatchesOnlyItself) {
    EXPECT_TRUE(contains("1.2.3", "1.2.3"));
    EXPECT_FALSE(contains("1.2.3", "1.2.4"));
    EXPECT_TRUE(contains("=1.2.3", "1.2.3"));
    EXPECT_FALSE(contains("=1.2.3", "1.2.2"));
}

TEST(VersionRange, ComparatorsSeparatedBySpacesMustAllHold) {
    EXPECT_TRUE(contains(">=1.2.0 <2.0.0", "1.2.0"));
    EXPECT_TRUE(contains(">=1.2.0 <2.0.0", "1.99.0"));
    EXPECT_FALSE(contains(">=1.2.0 <2.0.0", "2.0.0"));
    EXPECT_FALSE(contains(">=1.2.0 <2.0.0", "1.1.9"));
    EXPECT_TRUE(contains(">1.2.0", "1.2.1"));
    EXPECT_FALSE(contains(">1.2.0", "1.2.0"));
    EXPECT_TRUE(contains("<=1.2.0", "1.2.0"));
    EXPECT_FALSE(contains("<=1.2.0", "1.2.1"));
    EXPECT_TRUE(contains("  >=1.0.0    <1.1.0  ", "1.0.5"));
}

TEST(VersionRange, CaretAllowsChangesThatKeepTheLeftmostNonZeroPart) {
    EXPECT_TRUE(contains("^1.2.0", "1.2.0"));
    EXPECT_TRUE(contains("^1.2.0", "1.9.9"));
    EXPECT_FALSE(contains("^1.2.0", "2.0.0"));
    EXPECT_FALSE(contains("^1.2.0", "1.1.9"));
    EXPECT_TRUE(contains("^0.3.1", "0.3.9"));
    EXPECT_FALSE(contains("^0.3.1", "0.4.0"));
    EXPECT_FALSE(contains("^0.3.1", "0.3.0"));
    EXPECT_TRUE(contains("^0.0.3", "0.0.3"));
    EXPECT_FALSE(contains("^0.0.3", "0.0.4"));
}

TEST(VersionRange, CaretWithPartialVersions) {
    EXPECT_TRUE(contains("^1.x", "1.0.0"));
    EXPECT_FALSE(contains("^1.x", "2.0.0"));
    EXPECT_TRUE(contains("^0.x", "0.9.0"));
    EXPECT_FALSE(contains("^0.x", "1.0.0"));
    EXPECT_TRUE(contains("^0.0", "0.0.9"));
    EXPECT_FALSE(contains("^0.0", "0.1.0"));
    EXPECT_TRUE(contains("^1.2", "1.9.0"));
    EXPECT_TRUE(contains("^*", "7.0.0"));
}

TEST(VersionRange, TildeAllowsPatchChanges) {
    EXPECT_TRUE(contains("~1.2.0", "1.2.9"));
    EXPECT_FALSE(contains("~1.2.0", "1.3.0"));
    EXPECT_FALSE(contains("~1.2.3", "1.2.2"));
    EXPECT_TRUE(contains("~1.2", "1.2.0"));
    EXPECT_TRUE(contains("~1", "1.9.0"));
    EXPECT_FALSE(contains("~1", "2.0.0"));
}

TEST(VersionRange, XRangesLeaveTheMarkedPartsOpen) {
    EXPECT_TRUE(contains("1.x", "1.0.0"));
    EXPECT_TRUE(contains("1.x", "1.99.3"));
    EXPECT_FALSE(contains("1.x", "2.0.0"));
    EXPECT_FALSE(contains("1.x", "0.9.0"));
    EXPECT_TRUE(contains("1.2.x", "1.2.7"));
    EXPECT_FALSE(contains("1.2.x", "1.3.0"));
    EXPECT_TRUE(contains("1.2.X", "1.2.7"));
    EXPECT_TRUE(contains("1.2.*", "1.2.7"));
    EXPECT_TRUE(contains("1", "1.4.0"));
    EXPECT_TRUE(contains("1.2", "1.2.4"));
    EXPECT_FALSE(contains("1.2", "1.3.0"));
}

TEST(VersionRange, StarMatchesEveryVersion) {
    EXPECT_TRUE(contains("*", "0.0.0"));
    EXPECT_TRUE(contains("*", "99.1.2"));
    EXPECT_TRUE(contains("x", "3.0.0"));
    EXPECT_TRUE(VersionRange::any().contains(v("5.6.7")));
    EXPECT_EQ(VersionRange::any().toString(), QStringLiteral("*"));
}

TEST(VersionRange, StarAndAnyAlsoAdmitPrereleases) {
    EXPECT_TRUE(contains("*", "1.0.0-beta"));
    EXPECT_TRUE(VersionRange::any().contains(v("1.0.0-beta")));
}

TEST(VersionRange, PartialVersionsInComparatorsAreCompletedAsInNpm) {
    EXPECT_TRUE(contains(">=1.2", "1.2.0"));  // >=1.2.0
    EXPECT_FALSE(contains(">=1.2", "1.1.9"));
    EXPECT_FALSE(contains(">1.2", "1.2.5"));  // >=1.3.0
    EXPECT_TRUE(contains(">1.2", "1.3.0"));
    EXPECT_FALSE(contains(">1", "1.9.0"));  // >=2.0.0
    EXPECT_TRUE(contains(">1", "2.0.0"));
    EXPECT_FALSE(contains("<1.2", "1.2.0"));  // <1.2.0
    EXPECT_TRUE(contains("<1.2", "1.1.9"));
    EXPECT_TRUE(contains("<=1.2", "1.2.9"));  // <1.3.0
    EXPECT_FALSE(contains("<=1.2", "1.3.0"));
    EXPECT_TRUE(contains(">=1.x", "1.0.0"));
    EXPECT_TRUE(contains(">=*", "0.0.1"));
    EXPECT_FALSE(contains(">*", "1.0.0"));
    EXPECT_FALSE(contains("<*", "1.0.0"));
}

TEST(VersionRange, AlternativesJoinedByOrMatchIfAnyDoes) {
    EXPECT_TRUE(contains("1.x || >=3.0.0", "1.5.0"));
    EXPECT_TRUE(contains("1.x || >=3.0.0", "3.1.0"));
    EXPECT_FALSE(contains("1.x || >=3.0.0", "2.0.0"));
    EXPECT_TRUE(contains("1.x||2.x", "2.1.0"));
    EXPECT_TRUE(contains("^1.0.0 || ^2.0.0 || ^3.0.0", "3.4.0"));
}

TEST(VersionRange, PrereleaseMatchesOnlyAComparatorNamingTheSameVersion) {
    EXPECT_FALSE(contains("^1.2.0", "1.3.0-beta"));
    EXPECT_FALSE(contains(">=1.0.0", "2.0.0-beta"));
    EXPECT_TRUE(contains(">=1.3.0-alpha <1.4.0", "1.3.0-beta"));
    EXPECT_FALSE(contains(">=1.3.0-alpha <1.4.0", "1.3.1-beta"));
    EXPECT_TRUE(contains("^1.2.3-beta.2", "1.2.3-beta.4"));
    EXPECT_TRUE(contains("^1.2.3-beta.2", "1.9.0"));
    EXPECT_FALSE(contains("^1.2.3-beta.2", "1.2.3-beta.1"));
    EXPECT_FALSE(contains("^1.2.3-beta.2", "1.3.0-beta.3"));
    EXPECT_TRUE(contains("1.0.0-rc.1", "1.0.0-rc.1"));
}

TEST(VersionRange, UpperBoundsExcludePrereleasesOfTheBound) {
    EXPECT_FALSE(contains("^1.2.3-beta", "2.0.0-alpha"));
    EXPECT_FALSE(contains("~1.2.3-beta", "1.3.0-alpha"));
}

TEST(VersionRange, KeepsItsTextForMessages) {
    const auto range = VersionRange::parse(QStringLiteral(">=1.2.0 <2.0.0"));
    ASSERT_TRUE(range);
    EXPECT_EQ(range->toString(), QStringLiteral(">=1.2.0 <2.0.0"));
}

TEST(VersionRange, RejectsMalformedText) {
    for (const char* text : {"", " ", "||", "1.x ||", "|| 1.x", "1.x | 2.x", ">= 1.2.0", ">>1.2.0", "=>1.2.0",
                             "1.2.3.4", "01.2.3", "1.x.3", "x.1", "v1.2.3", "1.2-beta", "1.2.3-", "^", "~",
                             ">", "latest", "1.2.3 - 2.0.0", "~>1.2", "1.2.3,1.2.4", "2147483648"}) {
        EXPECT_FALSE(VersionRange::parse(QString::fromUtf8(text))) << '"' << text << '"';
    }
}

TEST(VersionRange, RejectsBoundsPastTheLargestVersionNumber) {
    EXPECT_FALSE(VersionRange::parse(QStringLiteral("^2147483647.0.0")));
    EXPECT_TRUE(VersionRange::parse(QStringLiteral(">=2147483647.0.0")));
}
