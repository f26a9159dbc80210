#pragma once
// Turns a user into their rights for one request: the permissions of every role assignment
// and the units each reaches. Loaded per request, so a change to roles, assignments or the
// unit tree applies to the very next request without logging in again.

#include "identity/unit_labels.hpp"
#include "runtime/language.hpp"

#include <tessera/access.hpp>
#include <tessera/database.hpp>
#include <tessera/result.hpp>

#include <QHash>
#include <QSet>
#include <QString>

#include <QDateTime>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace tessera::host {

/// One assignment as far as access goes: what it grants and where.
struct Grant {
    enum class Kind { Unit, Subtree, All } kind = Kind::Unit;
    qint64 unitId = 0;
    QString unitPath;          // materialized path of the unit ("/1/5/")
    QSet<QString> permissions;  // may contain "*"

    bool grants(const QString& permission) const {
        return permissions.contains(permission) || permissions.contains(QStringLiteral("*"));
    }
};

/// The units reached through a set of grants.
class GrantScope final : public tessera::Scope {
public:
    GrantScope(tessera::Database& db, std::vector<Grant> grants);
    bool all() const override { return all_; }
    bool empty() const override { return !all_ && grants_.empty(); }
    QString condition(const QString& unitColumn, tessera::Params& params) const override;
    bool contains(qint64 unitId) const override;
    QString conditionWithin(const QString& unitColumn, qint64 unitId, tessera::Params& params) const override;
    /// Whether `unitId` and every unit below it, now and later, lie in the scope: a grant on
    /// all units or on the subtree of the unit or of one above it.
    bool containsSubtree(qint64 unitId) const;
    /// contains() for a unit whose materialized path the caller has read ("/1/5/12/"),
    /// without reading it again.
    bool containsPath(qint64 unitId, const QString& path) const;
    /// How many units are at the top of the scope (in it, their parent not): 1 for all units
    /// (the root), 0 for none. Worked out from the grants, without reading the tree.
    int topUnitCount() const;

private:
    tessera::Database& db_;
    std::vector<Grant> grants_;  // without the ones another subtree grant already covers
    bool all_ = false;
};

/// GrantScope::containsSubtree for any scope; false for a scope that is not the host's.
bool coversSubtree(const tessera::Scope& scope, qint64 unitId);

/// The grant an assignment's stored scope text makes; nullopt (grants nothing) for any text
/// but exactly "unit", "subtree" or "all".
std::optional<Grant::Kind> grantKind(const QString& scope);

/// A caller's rights: for one request, or shared by the requests of one user while their
/// rights stand (RightsCache), so scope() may be called from several threads at once.
class CallerAccess final : public tessera::Access {
public:
    CallerAccess(tessera::Database& db, tessera::Caller caller, std::vector<Grant> grants,
                 std::optional<Language> language = std::nullopt)
        : db_(db), caller_(std::move(caller)), grants_(std::move(grants)), language_(language) {}
    /// The same rights; the copy works out its scopes anew.
    CallerAccess(const CallerAccess& other)
        : db_(other.db_), caller_(other.caller_), grants_(other.grants_), language_(other.language_) {}
    CallerAccess& operator=(const CallerAccess&) = delete;
    const tessera::Caller& caller() const override { return caller_; }
    bool can(const QString& permission) const override;
    const tessera::Scope& scope(const QString& permission) const override;
    const std::vector<Grant>& grants() const { return grants_; }
    /// Every permission held somewhere ("*" for administrators).
    QStringList permissions() const;
    /// The language the caller set for themselves; nullopt: their browser's (Accept-Language).
    std::optional<Language> language() const { return language_; }
    /// The label of unit `unit` this caller was given with `permission` at hand (UnitLabels):
    /// nullopt when not worked out yet, an empty label when they may not know of the unit.
    /// Labels stay with these rights, which a change to the tree's shape or names ends (the
    /// identity stamp). Thread-safe, as scope() is.
    std::optional<std::optional<UnitLabel>> keptLabel(const QString& permission, qint64 unit) const;
    void keepLabel(const QString& permission, qint64 unit, std::optional<UnitLabel> label) const;

private:
    tessera::Database& db_;
    tessera::Caller caller_;
    std::vector<Grant> grants_;
    std::optional<Language> language_;
    mutable std::mutex scopesMutex_;
    mutable QHash<QString, std::shared_ptr<GrantScope>> scopes_;  // by permission; entries never change
    mutable std::mutex labelsMutex_;
    mutable QHash<QString, QHash<qint64, std::optional<UnitLabel>>> labels_;  // permission -> unit -> label
};

/// The language setting of `access`'s caller as the API shows it: "zh-CN", "en", or "" (their
/// browser's); "" for an Access that is not the host's.
QString languageSettingOf(const tessera::Access& access);

/// Loads a user's rights (and their language setting): the user row and one query over their assignments.
/// Error "auth.unknown_user" when the user is gone or disabled.
Result<std::unique_ptr<CallerAccess>> loadAccess(tessera::Database& db, qint64 userId);

/// The end of the range of paths under `path` (UnitTree::rangeEnd, the one rule for it).
QString pathRangeEnd(const QString& path);

/// A caller's rights as loaded from the database, shared between requests.
struct Rights {
    tessera::Caller caller;
    std::vector<Grant> grants;
    /// The same rights as the Access a request gets, with the scopes it has asked for so far.
    std::shared_ptr<const CallerAccess> access;
};

/// Caches rights per user and the owners of API tokens, valid while the identity stamp
/// (core_identity_stamp, bumped by triggers on every change that can alter rights, also by
/// other processes) is unchanged. Saves three queries per request for one primary-key read.
class RightsCache {
public:
    explicit RightsCache(tessera::Database& db) : db_(db) {}
    /// The current stamp.
    Result<qint64> stamp();
    /// The user's rights at `stamp`, loaded on a miss. Error "auth.unknown_user" as loadAccess.
    Result<std::shared_ptr<const Rights>> rights(qint64 userId, qint64 stamp);
    /// The owner of an API token at `stamp`; `lookup` asks the token store on a miss. Entries
    /// also age out after a minute, so expiry and last-use times stay within a minute.
    Result<std::optional<qint64>> tokenUser(const QString& token, qint64 stamp,
                                            const std::function<Result<std::optional<qint64>>(const QString&)>& lookup);

private:
    struct TokenEntry {
        std::optional<qint64> userId;
        qint64 stamp;
        qint64 cachedAtMs;
    };
    tessera::Database& db_;
    std::mutex mutex_;
    std::unordered_map<qint64, std::pair<qint64, std::shared_ptr<const Rights>>> rights_;  // user -> (stamp, rights)
    QHash<QByteArray, TokenEntry> tokens_;                                                 // tokenKey() -> owner
};

/// An anonymous caller (public routes): no grants.
std::unique_ptr<CallerAccess> anonymousAccess(tessera::Database& db);

/// The rights of the request or job running on this thread, or nullptr outside one (the
/// CLI, start-up). For services a plugin reaches through the SDK without passing its request
/// (a plugin deleting a unit), so that what they answer is limited to what the caller may read.
const tessera::Access* currentAccess();

/// Makes `access` current on this thread for its lifetime (restores the previous one after).
class CurrentAccessScope {
public:
    explicit CurrentAccessScope(const tessera::Access& access);
    ~CurrentAccessScope();
    CurrentAccessScope(const CurrentAccessScope&) = delete;
    CurrentAccessScope& operator=(const CurrentAccessScope&) = delete;

private:
    const tessera::Access* previous_;
};

}  // namespace tessera::host
