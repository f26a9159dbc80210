#pragma once
// Semantic versions (https://semver.org) and the version ranges dependencies use.

#include <QString>

#include <optional>
#include <vector>

namespace tessera::host {

/// MAJOR.MINOR.PATCH[-prerelease][+build]; build metadata is ignored when comparing.
struct Version {
    int major = 0;
    int minor = 0;
    int patch = 0;
    QString prerelease;  // e.g. "beta.2"; empty for a release

    static std::optional<Version> parse(const QString& text);
    QString toString() const;
    /// Semver precedence: 1.0.0-alpha < 1.0.0-alpha.1 < 1.0.0-beta < 1.0.0.
    friend int compare(const Version& a, const Version& b);
    friend bool operator==(const Version& a, const Version& b) { return compare(a, b) == 0; }
    friend bool operator<(const Version& a, const Version& b) { return compare(a, b) < 0; }
    friend bool operator<=(const Version& a, const Version& b) { return compare(a, b) <= 0; }
    friend bool operator>(const Version& a, const Version& b) { return compare(a, b) > 0; }
    friend bool operator>=(const Version& a, const Version& b) { return compare(a, b) >= 0; }
};

/// A set of versions, written as in npm: "1.2.3" (exact), ">=1.2.0 <2.0.0" (all must hold),
/// "^1.2.0" (>=1.2.0 <2.0.0; ^0.3.1 is >=0.3.1 <0.4.0), "~1.2.0" (>=1.2.0 <1.3.0),
/// "1.x" / "1.2.x", "*" (any), and alternatives joined with "||".
/// A prerelease version only matches a comparator that names a prerelease of the same
/// MAJOR.MINOR.PATCH, as in npm.
class VersionRange {
public:
    static std::optional<VersionRange> parse(const QString& text);
    static VersionRange any();
    bool contains(const Version& v) const;
    QString toString() const { return text_; }

private:
    enum class Op { Eq, Lt, Le, Gt, Ge };
    struct Comparator {
        Op op;
        Version version;
    };
    static bool appendComparators(QStringView simple, std::vector<Comparator>& out);

    QString text_;
    std::vector<std::vector<Comparator>> alternatives_;  // OR of ANDs
};

}  // namespace tessera::host
