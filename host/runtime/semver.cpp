#include "runtime/semver.hpp"

#include <QList>

#include <algorithm>
#include <climits>

namespace tessera::host {

namespace {

bool isDigit(QChar c) { return c >= u'0' && c <= u'9'; }
bool isIdentifierChar(QChar c) {
    return isDigit(c) || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'-';
}
bool isAllDigits(QStringView s) { return !s.isEmpty() && std::all_of(s.begin(), s.end(), isDigit); }

// A numeric part: digits without a leading zero, at most INT_MAX.
std::optional<int> numericPart(QStringView s) {
    if (!isAllDigits(s) || (s.size() > 1 && s.front() == u'0')) return std::nullopt;
    bool ok = false;
    const qint64 n = s.toLongLong(&ok);
    if (!ok || n > INT_MAX) return std::nullopt;
    return static_cast<int>(n);
}

// Dot-separated identifiers of [0-9A-Za-z-]; numeric ones in a prerelease have no leading zero.
bool validIdentifiers(QStringView s, bool numericWithoutLeadingZero) {
    for (QStringView id : s.split(u'.')) {
        if (id.isEmpty() || !std::all_of(id.begin(), id.end(), isIdentifierChar)) return false;
        if (numericWithoutLeadingZero && isAllDigits(id) && id.size() > 1 && id.front() == u'0')
            return false;
    }
    return true;
}

// Numeric identifiers compare as numbers (of any length), the others in ASCII order, and a
// numeric identifier is lower than an alphanumeric one.
int compareIdentifiers(QStringView a, QStringView b) {
    const bool aNumeric = isAllDigits(a), bNumeric = isAllDigits(b);
    if (aNumeric && bNumeric) {
        if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
        return a.compare(b);
    }
    if (aNumeric != bNumeric) return aNumeric ? -1 : 1;
    return a.compare(b);
}

int comparePrerelease(const QString& a, const QString& b) {
    if (a.isEmpty() || b.isEmpty()) return a.isEmpty() == b.isEmpty() ? 0 : (a.isEmpty() ? 1 : -1);
    const auto as = QStringView(a).split(u'.'), bs = QStringView(b).split(u'.');
    for (qsizetype i = 0; i < std::min(as.size(), bs.size()); ++i)
        if (int c = compareIdentifiers(as[i], bs[i]); c != 0) return c < 0 ? -1 : 1;
    if (as.size() == bs.size()) return 0;
    return as.size() < bs.size() ? -1 : 1;
}

bool isRangeSpace(QChar c) { return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r'; }

// Splits on runs of spaces (and the other XML white-space characters).
std::vector<QStringView> words(QStringView s) {
    std::vector<QStringView> out;
    qsizetype start = -1;
    for (qsizetype i = 0; i <= s.size(); ++i) {
        if (i == s.size() || isRangeSpace(s[i])) {
            if (start >= 0) out.push_back(s.mid(start, i - start));
            start = -1;
        } else if (start < 0) {
            start = i;
        }
    }
    return out;
}

// A version with some trailing parts left open: "1" / "1.x" (given 1), "1.2" / "1.2.x" (given 2),
// "*" (given 0) or a full version (given 3).
struct PartialVersion {
    int given = 0;
    Version version;
};

std::optional<PartialVersion> parsePartial(QStringView text) {
    if (auto full = Version::parse(text.toString())) return PartialVersion{3, *full};
    const auto parts = text.split(u'.');
    if (parts.size() > 3) return std::nullopt;
    PartialVersion p;
    int* numbers[] = {&p.version.major, &p.version.minor, &p.version.patch};
    bool wildcardSeen = false;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QStringView part = parts[i];
        if (part == u"x" || part == u"X" || part == u"*") {
            wildcardSeen = true;
            continue;
        }
        const auto n = numericPart(part);
        if (!n || wildcardSeen) return std::nullopt;  // "1.x.3" is not a range
        *numbers[i] = *n;
        p.given = static_cast<int>(i) + 1;
    }
    return p;
}

// A release version, or nullopt when a bound computed from a range goes past INT_MAX.
std::optional<Version> release(qint64 major, qint64 minor, qint64 patch) {
    if (major > INT_MAX || minor > INT_MAX || patch > INT_MAX) return std::nullopt;
    return Version{static_cast<int>(major), static_cast<int>(minor), static_cast<int>(patch), {}};
}

// M.m.p-0: the lowest version with that MAJOR.MINOR.PATCH, used as an exclusive upper bound
// so that prereleases of the bound are excluded too.
std::optional<Version> lowest(qint64 major, qint64 minor, qint64 patch) {
    auto v = release(major, minor, patch);
    if (v) v->prerelease = QStringLiteral("0");
    return v;
}

}  // namespace

std::optional<Version> Version::parse(const QString& text) {
    QStringView rest(text);
    if (const auto plus = rest.indexOf(u'+'); plus >= 0) {
        if (!validIdentifiers(rest.mid(plus + 1), false)) return std::nullopt;
        rest = rest.left(plus);
    }
    Version v;
    if (const auto dash = rest.indexOf(u'-'); dash >= 0) {
        if (!validIdentifiers(rest.mid(dash + 1), true)) return std::nullopt;
        v.prerelease = rest.mid(dash + 1).toString();
        rest = rest.left(dash);
    }
    const auto parts = rest.split(u'.');
    if (parts.size() != 3) return std::nullopt;
    const auto majorPart = numericPart(parts[0]), minorPart = numericPart(parts[1]),
               patchPart = numericPart(parts[2]);
    if (!majorPart || !minorPart || !patchPart) return std::nullopt;
    v.major = *majorPart;
    v.minor = *minorPart;
    v.patch = *patchPart;
    return v;
}

QString Version::toString() const {
    QString s = QStringLiteral("%1.%2.%3").arg(major).arg(minor).arg(patch);
    if (!prerelease.isEmpty()) s += QLatin1Char('-') + prerelease;
    return s;
}

int compare(const Version& a, const Version& b) {
    if (a.major != b.major) return a.major < b.major ? -1 : 1;
    if (a.minor != b.minor) return a.minor < b.minor ? -1 : 1;
    if (a.patch != b.patch) return a.patch < b.patch ? -1 : 1;
    return comparePrerelease(a.prerelease, b.prerelease);
}

std::optional<VersionRange> VersionRange::parse(const QString& text) {
    VersionRange range;
    range.text_ = text;
    for (QStringView alternative : QStringView(text).split(u"||")) {
        const auto simples = words(alternative);
        if (simples.empty()) return std::nullopt;
        std::vector<Comparator> all;
        for (QStringView simple : simples)
            if (!appendComparators(simple, all)) return std::nullopt;
        range.alternatives_.push_back(std::move(all));
    }
    return range;
}

// Expands one "simple" range (an operator and a possibly partial version) into comparators,
// the way npm does: ">1.2" is ">=1.3.0", "<=1.2" is "<1.3.0-0", "^0.2.3" is ">=0.2.3 <0.3.0-0".
bool VersionRange::appendComparators(QStringView simple, std::vector<Comparator>& out) {
    enum class Written { Exact, Lt, Le, Gt, Ge, Caret, Tilde };
    static constexpr std::pair<const char16_t*, Written> operators[] = {
        {u">=", Written::Ge}, {u"<=", Written::Le}, {u">", Written::Gt},     {u"<", Written::Lt},
        {u"=", Written::Exact}, {u"^", Written::Caret}, {u"~", Written::Tilde}};
    Written op = Written::Exact;
    for (const auto& [spelling, written] : operators) {
        if (simple.startsWith(QStringView(spelling))) {
            op = written;
            simple = simple.mid(QStringView(spelling).size());
            break;
        }
    }
    const auto partial = parsePartial(simple);
    if (!partial) return false;
    const Version& v = partial->version;
    const qint64 major = v.major, minor = v.minor, patch = v.patch;

    auto add = [&out](Op o, std::optional<Version> bound) {
        if (!bound) return false;
        out.push_back({o, *bound});
        return true;
    };
    // The exclusive upper bound when the parts after the first `given` ones are open.
    auto nextAfter = [&](int given) {
        return given == 1 ? lowest(major + 1, 0, 0) : lowest(major, minor + 1, 0);
    };

    if (partial->given == 3) {
        switch (op) {
        case Written::Exact: return add(Op::Eq, v);
        case Written::Gt: return add(Op::Gt, v);
        case Written::Ge: return add(Op::Ge, v);
        case Written::Lt: return add(Op::Lt, v);
        case Written::Le: return add(Op::Le, v);
        case Written::Tilde: return add(Op::Ge, v) && add(Op::Lt, lowest(major, minor + 1, 0));
        case Written::Caret:
            return add(Op::Ge, v) && add(Op::Lt, major > 0   ? lowest(major + 1, 0, 0)
                                                 : minor > 0 ? lowest(0, minor + 1, 0)
                                                             : lowest(0, 0, patch + 1));
        }
        return false;
    }
    if (partial->given == 0) {  // "*": any version; ">*" and "<*": none
        if (op == Written::Gt || op == Written::Lt) return add(Op::Lt, lowest(0, 0, 0));
        return true;
    }
    const int given = partial->given;
    const auto lower = release(major, minor, 0);
    switch (op) {
    case Written::Exact:
    case Written::Tilde: return add(Op::Ge, lower) && add(Op::Lt, nextAfter(given));
    case Written::Gt: return add(Op::Ge, given == 1 ? release(major + 1, 0, 0) : release(major, minor + 1, 0));
    case Written::Ge: return add(Op::Ge, lower);
    case Written::Lt: return add(Op::Lt, lowest(major, minor, 0));
    case Written::Le: return add(Op::Lt, nextAfter(given));
    case Written::Caret:
        return add(Op::Ge, lower) &&
               add(Op::Lt, major > 0 || given == 1 ? lowest(major + 1, 0, 0) : lowest(0, minor + 1, 0));
    }
    return false;
}

VersionRange VersionRange::any() {
    VersionRange range;
    range.text_ = QStringLiteral("*");
    range.alternatives_.emplace_back();
    return range;
}

bool VersionRange::contains(const Version& v) const {
    for (const auto& all : alternatives_) {
        const bool holds = std::all_of(all.begin(), all.end(), [&v](const Comparator& c) {
            const int cmp = compare(v, c.version);
            switch (c.op) {
            case Op::Eq: return cmp == 0;
            case Op::Lt: return cmp < 0;
            case Op::Le: return cmp <= 0;
            case Op::Gt: return cmp > 0;
            case Op::Ge: return cmp >= 0;
            }
            return false;
        });
        if (!holds) continue;
        // As in npm, a prerelease needs a comparator naming a prerelease of the same
        // MAJOR.MINOR.PATCH, so "^1.2.0" does not pick up 1.3.0-beta. An alternative
        // without comparators ("*", or no version given) admits every version.
        if (v.prerelease.isEmpty() || all.empty()) return true;
        const bool named = std::any_of(all.begin(), all.end(), [&v](const Comparator& c) {
            return !c.version.prerelease.isEmpty() && c.version.major == v.major &&
                   c.version.minor == v.minor && c.version.patch == v.patch;
        });
        if (named) return true;
    }
    return false;
}

}  // namespace tessera::host
