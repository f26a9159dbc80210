#include "identity/access_control.hpp"

#include "identity/secrets.hpp"
#include "identity/unit_tree.hpp"

#include <tessera/text.hpp>

#include <QStringList>

#include <algorithm>

namespace tessera::host {

QString pathRangeEnd(const QString& path) { return UnitTree::rangeEnd(path); }

GrantScope::GrantScope(tessera::Database& db, std::vector<Grant> grants) : db_(db) {
    for (const auto& g : grants)
        if (g.kind == Grant::Kind::All) all_ = true;
    if (all_) return;
    // Drop a grant that another subtree grant already covers (its unit lies in that subtree;
    // of two equal subtree grants the first stays): fewer conditions in every query.
    for (std::size_t i = 0; i < grants.size(); ++i) {
        bool covered = false;
        for (std::size_t j = 0; j < grants.size() && !covered; ++j) {
            const Grant& other = grants[j];
            if (i == j || other.kind != Grant::Kind::Subtree || !grants[i].unitPath.startsWith(other.unitPath)) continue;
            const bool same = grants[i].unitPath == other.unitPath && grants[i].kind == Grant::Kind::Subtree;
            covered = !same || j < i;
        }
        if (!covered) grants_.push_back(grants[i]);
    }
}

QString GrantScope::condition(const QString& unitColumn, tessera::Params& params) const {
    if (all_) return QStringLiteral("1=1");
    if (grants_.empty()) return QStringLiteral("1=0");
    QStringList parts;
    for (const auto& g : grants_) {
        if (g.kind == Grant::Kind::Unit) {
            params.push_back(g.unitId);
            parts << QStringLiteral("%1 = ?%2").arg(unitColumn).arg(params.size());
        } else {
            params.push_back(g.unitPath);
            params.push_back(UnitTree::rangeEnd(g.unitPath));
            parts << QStringLiteral("%1 IN (SELECT id FROM core_units WHERE path >= ?%2 AND path < ?%3)")
                         .arg(unitColumn)
                         .arg(params.size() - 1)
                         .arg(params.size());
        }
    }
    return QLatin1Char('(') + parts.join(QStringLiteral(" OR ")) + QLatin1Char(')');
}

QString GrantScope::conditionWithin(const QString& unitColumn, qint64 unitId, tessera::Params& params) const {
    const QString scope = condition(unitColumn, params);
    params.push_back(unitId);
    // The picked unit's subtree as one range on the path index (see UnitTree::rangeEnd).
    return QStringLiteral("(%1 AND %2 IN (SELECT u.id FROM core_units t JOIN core_units u ON u.path >= t.path AND "
                          "u.path < substr(t.path, 1, length(t.path) - 1) || '0' WHERE t.id = ?%3))")
        .arg(scope, unitColumn)
        .arg(params.size());
}

bool GrantScope::contains(qint64 unitId) const {
    if (all_) return true;
    if (grants_.empty() || unitId <= 0) return false;
    for (const auto& g : grants_)
        if (g.unitId == unitId) return true;
    return containsSubtree(unitId);
}

bool GrantScope::containsSubtree(qint64 unitId) const {
    if (all_) return true;
    if (unitId <= 0) return false;
    QString path;  // read once, and only when a subtree grant needs it
    for (const auto& g : grants_) {
        if (g.kind != Grant::Kind::Subtree) continue;
        if (path.isEmpty()) {
            auto row = db_.queryOne(QStringLiteral("SELECT path FROM core_units WHERE id = ?1"), {unitId});
            if (!row || row->isEmpty()) return false;
            path = row->value(QStringLiteral("path")).toString();
        }
        if (path.startsWith(g.unitPath)) return true;
    }
    return false;
}

bool GrantScope::containsPath(qint64 unitId, const QString& path) const {
    if (all_) return true;
    return std::any_of(grants_.begin(), grants_.end(), [&](const Grant& g) {
        return g.kind == Grant::Kind::Subtree ? path.startsWith(g.unitPath) : g.unitId == unitId;
    });
}

int GrantScope::topUnitCount() const {
    if (all_) return 1;
    // A top unit is a granted one (any other unit of the scope lies below a subtree grant, and
    // so does its parent) whose parent no grant reaches.
    QSet<QString> tops;
    for (const auto& g : grants_) {
        const QString parentPath = g.unitPath.left(g.unitPath.lastIndexOf(QLatin1Char('/'), -2) + 1);  // "/1/5/" -> "/1/"
        const bool parentReached = std::any_of(grants_.begin(), grants_.end(), [&](const Grant& other) {
            return other.kind == Grant::Kind::Subtree ? parentPath.startsWith(other.unitPath) : parentPath == other.unitPath;
        });
        if (!parentReached) tops.insert(g.unitPath);
    }
    return static_cast<int>(tops.size());
}

bool coversSubtree(const tessera::Scope& scope, qint64 unitId) {
    if (scope.all()) return true;
    const auto* grants = dynamic_cast<const GrantScope*>(&scope);
    return grants && grants->containsSubtree(unitId);  // a scope of another kind: fail closed
}

std::optional<Grant::Kind> grantKind(const QString& scope) {
    if (scope == QStringLiteral("all")) return Grant::Kind::All;
    if (scope == QStringLiteral("subtree")) return Grant::Kind::Subtree;
    if (scope == QStringLiteral("unit")) return Grant::Kind::Unit;
    return std::nullopt;
}

bool CallerAccess::can(const QString& permission) const {
    return std::any_of(grants_.begin(), grants_.end(), [&](const Grant& g) { return g.grants(permission); });
}

const tessera::Scope& CallerAccess::scope(const QString& permission) const {
    std::lock_guard lock(scopesMutex_);
    auto& slot = scopes_[permission];
    if (!slot) {
        std::vector<Grant> matching;
        for (const auto& g : grants_)
            if (g.grants(permission)) matching.push_back(g);
        slot = std::make_shared<GrantScope>(db_, std::move(matching));
    }
    return *slot;
}

std::optional<std::optional<UnitLabel>> CallerAccess::keptLabel(const QString& permission, qint64 unit) const {
    std::lock_guard lock(labelsMutex_);
    const auto labels = labels_.constFind(permission);
    if (labels == labels_.constEnd()) return std::nullopt;
    const auto label = labels->constFind(unit);
    if (label == labels->constEnd()) return std::nullopt;
    return *label;
}

void CallerAccess::keepLabel(const QString& permission, qint64 unit, std::optional<UnitLabel> label) const {
    constexpr qsizetype kKept = 256;  // per permission: the units of the pages and cards a user opens, not of an export
    std::lock_guard lock(labelsMutex_);
    auto& labels = labels_[permission];
    if (labels.size() < kKept) labels.insert(unit, std::move(label));
}

QStringList CallerAccess::permissions() const {
    QSet<QString> all;
    for (const auto& g : grants_) all.unite(g.permissions);
    QStringList list(all.begin(), all.end());
    list.sort();
    return list;
}

QString languageSettingOf(const tessera::Access& access) {
    const auto* caller = dynamic_cast<const CallerAccess*>(&access);
    const auto own = caller ? caller->language() : std::nullopt;
    return own ? languageName(*own) : QString();
}

Result<std::unique_ptr<CallerAccess>> loadAccess(tessera::Database& db, qint64 userId) {
    auto user = db.queryOne(QStringLiteral("SELECT username, display_name, unit_id, disabled, language FROM core_users WHERE id = ?1"), {userId});
    if (!user) return user.error();
    if (user->isEmpty() || user->value(QStringLiteral("disabled")).toBool())
        return Error{QStringLiteral("auth.unknown_user"), tessera::text("the account no longer exists or is disabled")};
    tessera::Caller caller{userId, user->value(QStringLiteral("username")).toString(),
                           user->value(QStringLiteral("display_name")).toString(), user->value(QStringLiteral("unit_id")).toLongLong()};

    auto rows = db.query(QStringLiteral("SELECT a.id, a.scope, a.unit_id, u.path, p.permission FROM core_assignments a "
                                        "JOIN core_role_permissions p ON p.role_id = a.role_id "
                                        "LEFT JOIN core_units u ON u.id = a.unit_id WHERE a.user_id = ?1 ORDER BY a.id"),
                         {userId});
    if (!rows) return rows.error();
    std::vector<Grant> grants;
    qint64 current = -1;
    bool skipping = false;
    for (const auto& r : *rows) {
        const qint64 id = r.value(QStringLiteral("id")).toLongLong();
        if (id != current) {
            current = id;
            Grant g;
            // Fail closed: a scope this code does not know exactly ('', 'Subtree', 'all ',
            // NULL) grants nothing, never "this unit only".
            const QVariant scope = r.value(QStringLiteral("scope"));
            const auto kind = grantKind(scope.typeId() == QMetaType::QString ? scope.toString() : QString());
            g.unitId = r.value(QStringLiteral("unit_id")).toLongLong();
            g.unitPath = r.value(QStringLiteral("path")).toString();
            // A unit grant without its unit would read as "everything" in a path range: drop it.
            skipping = !kind || (*kind != Grant::Kind::All && g.unitPath.isEmpty());
            if (kind) g.kind = *kind;
            if (!skipping) grants.push_back(g);
        }
        if (!skipping) grants.back().permissions.insert(r.value(QStringLiteral("permission")).toString());
    }
    return std::make_unique<CallerAccess>(db, std::move(caller), std::move(grants),
                                          languageNamed(user->value(QStringLiteral("language")).toString()));
}

namespace {
constexpr std::size_t kMaxCacheEntries = 10000;
constexpr qint64 kTokenCacheMs = 60 * 1000;
}  // namespace

Result<qint64> RightsCache::stamp() {
    // Read on every request: one cached statement and one value, no row of named columns.
    static const QString sql = QStringLiteral("SELECT stamp FROM core_identity_stamp WHERE id = 1");
    auto stmt = db_.prepare(sql);
    if (!stmt) return stmt.error();
    auto row = (*stmt)->step();
    if (!row) return row.error();
    const qint64 stamp = *row ? (*stmt)->value(0).toLongLong() : 0;
    // Stepped to the end, so the read transaction ends before the statement goes back.
    if (*row) {
        if (auto done = (*stmt)->step(); !done) return done.error();
    }
    return stamp;
}

Result<std::shared_ptr<const Rights>> RightsCache::rights(qint64 userId, qint64 stamp) {
    {
        std::lock_guard lock(mutex_);
        if (auto it = rights_.find(userId); it != rights_.end() && it->second.first == stamp) return it->second.second;
    }
    auto loaded = loadAccess(db_, userId);
    if (!loaded) return loaded.error();
    std::shared_ptr<const CallerAccess> access = std::move(*loaded);
    auto rights = std::make_shared<const Rights>(Rights{access->caller(), access->grants(), access});
    std::lock_guard lock(mutex_);
    if (rights_.size() >= kMaxCacheEntries) rights_.clear();
    rights_[userId] = {stamp, rights};
    return rights;
}

Result<std::optional<qint64>> RightsCache::tokenUser(const QString& token, qint64 stamp,
                                                     const std::function<Result<std::optional<qint64>>(const QString&)>& lookup) {
    const QByteArray key = tokenKey(token.toUtf8());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    {
        std::lock_guard lock(mutex_);
        if (auto it = tokens_.constFind(key); it != tokens_.cend() && it->stamp == stamp && now - it->cachedAtMs < kTokenCacheMs)
            return it->userId;
    }
    auto user = lookup(token);
    if (!user) return user.error();
    std::lock_guard lock(mutex_);
    if (static_cast<std::size_t>(tokens_.size()) >= kMaxCacheEntries) tokens_.clear();
    tokens_[key] = TokenEntry{*user, stamp, now};
    return *user;
}

std::unique_ptr<CallerAccess> anonymousAccess(tessera::Database& db) {
    return std::make_unique<CallerAccess>(db, tessera::Caller{}, std::vector<Grant>{});
}

namespace {
thread_local const tessera::Access* current = nullptr;
}  // namespace

const tessera::Access* currentAccess() { return current; }

CurrentAccessScope::CurrentAccessScope(const tessera::Access& access) : previous_(current) { current = &access; }

CurrentAccessScope::~CurrentAccessScope() { current = previous_; }

}  // namespace tessera::host
