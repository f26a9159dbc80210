#include "identity/unit_tree.hpp"

#include <tessera/text.hpp>

#include <QHash>
#include <QSet>

#include <algorithm>
#include <exception>

namespace tessera::host {

namespace {

using tessera::Error;
using tessera::Params;
using tessera::Row;

const QString kColumns = QStringLiteral(
    "u.id, u.parent_id, u.name, u.code, u.path, u.depth, u.sort_order, u.created_at, u.updated_at, u.version");

// How many child names a "still has children" refusal lists before "and N more".
constexpr int kChildNamesShown = 3;

Error notFound(qint64 id) {
    return {QStringLiteral("unit.not_found"), tessera::text("unit %1 does not exist", id)};
}

// `field` names what is wrong ("name", "code"): a card that is a unit puts it on its own field.
Error invalid(const QString& message, const QString& field = {}) { return {QStringLiteral("unit.invalid"), message, field}; }

Error stale(const Unit& unit, qint64 expectedVersion) {
    return {QStringLiteral("unit.stale"),
            tessera::text("unit \"%1\" (%2) was changed by someone else: you read version %3, it is now version %4; "
                          "reload it and try again",
                          unit.name, unit.id, expectedVersion, unit.version)};
}

bool isStale(const Unit& unit, qint64 expectedVersion) {
    return expectedVersion != UnitTree::kAnyVersion && expectedVersion != unit.version;
}

// A unit as a refusal names it: "一支部" (5).
QString named(const Unit& unit) { return tessera::text("\"%1\" (%2)", unit.name, unit.id); }

QString timestamp(const QDateTime& t) { return t.toUTC().toString(Qt::ISODateWithMs); }

Unit unitFrom(const Row& row) {
    Unit u;
    u.id = row.value(QStringLiteral("id")).toLongLong();
    u.parentId = row.value(QStringLiteral("parent_id")).toLongLong();  // NULL (the root) reads as 0
    u.name = row.value(QStringLiteral("name")).toString();
    u.code = row.value(QStringLiteral("code")).toString();
    u.path = row.value(QStringLiteral("path")).toString();
    u.depth = row.value(QStringLiteral("depth")).toInt();
    u.sortOrder = row.value(QStringLiteral("sort_order")).toInt();
    if (row.contains(QStringLiteral("child_count"))) u.childCount = row.value(QStringLiteral("child_count")).toLongLong();
    u.createdAt = QDateTime::fromString(row.value(QStringLiteral("created_at")).toString(), Qt::ISODateWithMs);
    u.updatedAt = QDateTime::fromString(row.value(QStringLiteral("updated_at")).toString(), Qt::ISODateWithMs);
    u.version = row.value(QStringLiteral("version")).toLongLong();
    return u;
}

// The ids on a path, root first: "/1/5/12/" -> 1, 5, 12.
std::vector<qint64> idsOnPath(const QString& path) {
    std::vector<qint64> ids;
    for (const QStringView part : QStringView(path).split(QLatin1Char('/'), Qt::SkipEmptyParts)) ids.push_back(part.toLongLong());
    return ids;
}

// " AND (<condition>)" restricting `column` to the scope; nothing when it holds every unit.
QString scopeFilter(const tessera::Scope* within, Params& params, const QString& column = QStringLiteral("u.id")) {
    if (!within || within->all()) return {};
    return QStringLiteral(" AND (") + within->condition(column, params) + QLatin1Char(')');
}

bool nothingIn(const tessera::Scope* within) { return within && !within->all() && within->empty(); }

// "?3, ?4, ?5" for `values`, appended to `params`.
QString placeholders(const std::vector<qint64>& values, Params& params) {
    QStringList marks;
    for (const qint64 v : values) {
        params.push_back(v);
        marks << QStringLiteral("?%1").arg(params.size());
    }
    return marks.join(QStringLiteral(", "));
}

}  // namespace

UnitTree::UnitTree(tessera::Database& db, const tessera::Clock& clock) : db_(db), clock_(clock) {}

std::optional<QString> UnitTree::checkName(const QString& name) {
    const QString trimmed = name.trimmed();
    if (trimmed.isEmpty()) return tessera::text("a unit needs a name");
    if (trimmed.size() > kMaxNameLength)
        return tessera::text("is %1 characters long; at most %2 are allowed", trimmed.size(), kMaxNameLength);
    return std::nullopt;
}

std::optional<QString> UnitTree::checkCode(const QString& code) {
    const QString trimmed = code.trimmed();
    if (trimmed.size() > kMaxCodeLength)
        return tessera::text("is %1 characters long; at most %2 are allowed", trimmed.size(), kMaxCodeLength);
    return std::nullopt;
}

QString UnitTree::rangeEnd(const QString& pathPrefix) {
    // Paths hold only digits and '/', and '0' is the character right after '/': the paths
    // starting with "/1/5/" are exactly those from "/1/5/" up to, not including, "/1/50".
    if (!pathPrefix.endsWith(QLatin1Char('/'))) return pathPrefix + QLatin1Char('0');
    return pathPrefix.left(pathPrefix.size() - 1) + QLatin1Char('0');
}

Result<std::vector<Unit>> UnitTree::units(const QString& sqlAfterSelect, Params params) const {
    auto rows = db_.query(QStringLiteral("SELECT ") + kColumns + QLatin1Char(' ') + sqlAfterSelect, params);
    if (!rows) return rows.error();
    std::vector<Unit> out;
    out.reserve(rows->size());
    for (const Row& row : *rows) out.push_back(unitFrom(row));
    return out;
}

Result<Unit> UnitTree::find(qint64 id) const {
    auto found = units(QStringLiteral("FROM core_units u WHERE u.id = ?1"), {id});
    if (!found) return found.error();
    return found->empty() ? Unit{} : found->front();
}

Result<Unit> UnitTree::get(qint64 id) const {
    auto unit = find(id);
    if (!unit) return unit.error();
    if (unit->id == 0) return notFound(id);
    return unit;
}

Result<Unit> UnitTree::ensureRoot(const QString& name) {
    const QString trimmed = name.trimmed();
    if (auto problem = checkName(trimmed)) return invalid(tessera::text("root unit name: %1", *problem));
    Unit root;
    Status s = db_.transaction([&]() -> Status {
        auto existingRoot = units(QStringLiteral("FROM core_units u WHERE u.parent_id IS NULL"), {});
        if (!existingRoot) return existingRoot.error();
        if (!existingRoot->empty()) {
            root = existingRoot->front();
            return {};
        }
        const QString now = timestamp(clock_.now());
        // The path needs the id, which the insert chooses: insert with a placeholder path
        // (unique, and only ever seen inside this transaction), then set the real one.
        auto inserted = db_.execute(
            QStringLiteral("INSERT INTO core_units(parent_id, name, code, path, depth, sort_order, created_at, updated_at, "
                           "version) VALUES (NULL, ?1, '', '/new/', 0, 0, ?2, ?2, 1)"),
            {trimmed, now});
        if (!inserted) return inserted.error();
        const qint64 id = inserted->lastInsertId;
        auto pathSet = db_.execute(QStringLiteral("UPDATE core_units SET path = ?1 WHERE id = ?2"),
                                   {QStringLiteral("/%1/").arg(id), id});
        if (!pathSet) return pathSet.error();
        auto created = get(id);
        if (!created) return created.error();
        root = *created;
        return {};
    });
    if (!s) return s.error();
    return root;
}

Result<Unit> UnitTree::create(qint64 parentId, const QString& name, const QString& code, int sortOrder) {
    const QString trimmedName = name.trimmed(), trimmedCode = code.trimmed();
    if (auto problem = checkName(trimmedName)) return invalid(tessera::text("name: %1", *problem), QStringLiteral("name"));
    if (auto problem = checkCode(trimmedCode)) return invalid(tessera::text("code: %1", *problem), QStringLiteral("code"));
    if (parentId <= 0) return invalid(tessera::text("a new unit needs a parent unit; the root is made by ensureRoot()"));
    Unit created;
    Status s = db_.transaction([&]() -> Status {
        auto parent = find(parentId);
        if (!parent) return parent.error();
        if (parent->id == 0) return invalid(tessera::text("parent unit %1 does not exist", parentId));
        const QString now = timestamp(clock_.now());
        auto inserted = db_.execute(
            QStringLiteral("INSERT INTO core_units(parent_id, name, code, path, depth, sort_order, created_at, updated_at, "
                           "version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, 1)"),
            {parentId, trimmedName, trimmedCode, parent->path + QStringLiteral("new/"), parent->depth + 1, sortOrder, now});
        if (!inserted) return inserted.error();
        const qint64 id = inserted->lastInsertId;
        auto pathSet = db_.execute(QStringLiteral("UPDATE core_units SET path = ?1 WHERE id = ?2"),
                                   {parent->path + QStringLiteral("%1/").arg(id), id});
        if (!pathSet) return pathSet.error();
        auto fresh = get(id);
        if (!fresh) return fresh.error();
        created = *fresh;
        return {};
    });
    if (!s) return s.error();
    return created;
}

Result<Unit> UnitTree::rename(qint64 id, const QString& name, const QString& code, int sortOrder, qint64 expectedVersion) {
    const QString trimmedName = name.trimmed(), trimmedCode = code.trimmed();
    if (auto problem = checkName(trimmedName)) return invalid(tessera::text("name: %1", *problem), QStringLiteral("name"));
    if (auto problem = checkCode(trimmedCode)) return invalid(tessera::text("code: %1", *problem), QStringLiteral("code"));
    Unit renamed;
    Status s = db_.transaction([&]() -> Status {
        auto unit = get(id);
        if (!unit) return unit.error();
        if (isStale(*unit, expectedVersion)) return stale(*unit, expectedVersion);
        auto updated = db_.execute(
            QStringLiteral("UPDATE core_units SET name = ?1, code = ?2, sort_order = ?3, updated_at = ?4, "
                           "version = version + 1 WHERE id = ?5"),
            {trimmedName, trimmedCode, sortOrder, timestamp(clock_.now()), id});
        if (!updated) return updated.error();
        auto fresh = get(id);
        if (!fresh) return fresh.error();
        renamed = *fresh;
        return {};
    });
    if (!s) return s.error();
    return renamed;
}

Result<QString> UnitTree::namedFor(const Unit& unit, const tessera::Access* viewer) const {
    if (!viewer) return named(unit);
    auto label = labelsFor(*viewer, kReadPermission).label(unit.id);
    if (!label) return label.error();
    return tessera::text("\"%1\"", *label ? (*label)->shown() : unit.name);
}

Result<Unit> UnitTree::move(qint64 id, qint64 newParentId, qint64 expectedVersion, const tessera::Scope* within,
                            const tessera::Access* viewer) {
    Unit moved;
    Status s = db_.transaction([&]() -> Status {
        auto unit = get(id);
        if (!unit) return unit.error();
        if (isStale(*unit, expectedVersion)) return stale(*unit, expectedVersion);
        if (unit->parentId == 0) return Error{QStringLiteral("unit.root"), tessera::text("the root unit cannot be moved")};
        if (within && !within->all()) {
            // A move carries the whole subtree: one unit of it the mover may not change, and
            // they would rearrange what they cannot see. Checked here, in the writing
            // transaction, so a unit added below meanwhile is counted too.
            Params params{unit->path, rangeEnd(unit->path)};
            const QString inScope = within->condition(QStringLiteral("u.id"), params);
            auto outside = db_.queryOne(QStringLiteral("SELECT count(*) AS n FROM core_units u WHERE u.path >= ?1 AND u.path < ?2 AND NOT (") +
                                            inScope + QLatin1Char(')'),
                                        params);
            if (!outside) return outside.error();
            if (outside->value(QStringLiteral("n")).toLongLong() > 0) {
                auto name = namedFor(*unit, viewer);
                if (!name) return name.error();
                return Error{QStringLiteral("unit.forbidden"),
                             tessera::text("unit %1 cannot be moved: units below it lie outside the units you may change, and a "
                                           "move carries the whole subtree",
                                           *name)};
            }
        }
        auto parent = find(newParentId);
        if (!parent) return parent.error();
        if (parent->id == 0) return invalid(tessera::text("the new parent unit %1 does not exist", newParentId));
        if (parent->path.startsWith(unit->path)) {
            auto name = namedFor(*unit, viewer);
            if (!name) return name.error();
            if (parent->id == unit->id)
                return Error{QStringLiteral("unit.cycle"), tessera::text("unit %1 cannot be moved under itself", *name)};
            auto parentName = namedFor(*parent, viewer);
            if (!parentName) return parentName.error();
            return Error{QStringLiteral("unit.cycle"),
                         tessera::text("unit %1 cannot be moved under %2, which lies inside it", *name, *parentName)};
        }
        if (parent->id == unit->parentId) {
            moved = *unit;  // already there: nothing to rewrite
            return {};
        }
        const QString now = timestamp(clock_.now());
        const QString oldPrefix = unit->path;
        const QString newPrefix = parent->path + QStringLiteral("%1/").arg(id);
        // One range on the path index: exactly the subtree's rows, each rewritten once. No
        // new path can collide with an old one, as a path ends with its own row's id.
        auto rewritten = db_.execute(
            QStringLiteral("UPDATE core_units SET path = ?1 || substr(path, ?2), depth = depth + ?3, updated_at = ?4 "
                           "WHERE path >= ?5 AND path < ?6"),
            {newPrefix, static_cast<qint64>(oldPrefix.size()) + 1, parent->depth + 1 - unit->depth, now, oldPrefix,
             rangeEnd(oldPrefix)});
        if (!rewritten) return rewritten.error();
        auto reparented = db_.execute(
            QStringLiteral("UPDATE core_units SET parent_id = ?1, version = version + 1 WHERE id = ?2"), {newParentId, id});
        if (!reparented) return reparented.error();
        auto fresh = get(id);
        if (!fresh) return fresh.error();
        moved = *fresh;
        return {};
    });
    if (!s) return s.error();
    return moved;
}

Status UnitTree::remove(qint64 id, qint64 expectedVersion, const tessera::Access* viewer) {
    return db_.transaction([&]() -> Status {
        auto unit = get(id);
        if (!unit) return unit.error();
        if (isStale(*unit, expectedVersion)) return stale(*unit, expectedVersion);
        if (unit->parentId == 0) return Error{QStringLiteral("unit.root"), tessera::text("the root unit cannot be removed")};
        // The viewer is told which unit by the path they know it by: many units share a name.
        auto shown = namedFor(*unit, viewer);
        if (!shown) return shown.error();
        const QString name = *shown;
        if (auto unused = checkUnused(*unit, name, viewer); !unused) return unused;
        auto deleted = db_.execute(QStringLiteral("DELETE FROM core_units WHERE id = ?1"), {id});
        if (!deleted && deleted.error().code == QStringLiteral("db.constraint")) {
            // A table with a foreign key to core_units, whose owner registered no usage check.
            return Error{QStringLiteral("unit.not_empty"),
                         viewer ? tessera::text("unit %1 cannot be removed: other records still belong to it", name)
                                : tessera::text("unit %1 cannot be removed: other records still belong to it (%2)", name, deleted.error().message)};
        }
        return deleted;
    });
}

Status UnitTree::checkUnused(const Unit& unit, const QString& name, const tessera::Access* viewer) {
    // A viewer is told what they may read and, of anything else, only that it exists: never
    // what it is nor how many (a refusal must not be a way to read outside one's scope).
    auto count = db_.queryOne(QStringLiteral("SELECT count(*) AS n FROM core_units WHERE parent_id = ?1"), {unit.id});
    if (!count) return count.error();
    const qint64 childCount = count->value(QStringLiteral("n")).toLongLong();
    if (childCount > 0) {
        Params params{unit.id};
        const tessera::Scope* seen = viewer ? &viewer->scope(kReadPermission) : nullptr;
        const QString filter = scopeFilter(seen, params, QStringLiteral("id"));
        auto visibleCount = db_.queryOne(QStringLiteral("SELECT count(*) AS n FROM core_units WHERE parent_id = ?1") + filter, params);
        if (!visibleCount) return visibleCount.error();
        const qint64 visible = visibleCount->value(QStringLiteral("n")).toLongLong();
        const bool hidden = visible < childCount;
        if (visible == 0) {
            return Error{QStringLiteral("unit.not_empty"),
                         tessera::text("unit %1 still has child units outside your view; they must be moved or removed first", name)};
        }
        params.push_back(kChildNamesShown);
        auto first = db_.query(QStringLiteral("SELECT name FROM core_units WHERE parent_id = ?1") + filter +
                                   QStringLiteral(" ORDER BY sort_order, id LIMIT ?%1").arg(params.size()),
                               params);
        if (!first) return first.error();
        QStringList names;
        for (const Row& row : *first) names << row.value(QStringLiteral("name")).toString();
        QString listed = names.join(QStringLiteral(", "));
        if (visible > kChildNamesShown) listed = tessera::text("%1 and %2 more", listed, visible - kChildNamesShown);
        if (hidden) listed = tessera::text("%1, and units outside your view", listed);
        // Hidden children leave at least two: one the viewer sees, one they do not.
        return Error{QStringLiteral("unit.not_empty"),
                     hidden            ? tessera::text("unit %1 still has child units (%2); move or remove them first", name, listed)
                     : childCount == 1 ? tessera::text("unit %1 still has 1 child unit (%2); move or remove it first", name, listed)
                                       : tessera::text("unit %1 still has %2 child units (%3); move or remove them first", name,
                                                       childCount, listed)};
    }

    std::vector<UsageCheck> checks;
    {
        std::lock_guard lock(checksMutex_);
        checks = checks_;
    }
    QStringList uses;
    bool hiddenUse = false;
    for (const auto& [owner, readPermission, check] : checks) {
        Result<QString> use = Error{};
        try {
            use = check(unit.id);
        } catch (const std::exception& e) {
            use = Error{QStringLiteral("exception"), QString::fromLocal8Bit(e.what())};
        } catch (...) {
            use = Error{QStringLiteral("exception"), QStringLiteral("an unknown exception")};
        }
        if (!use) {
            return Error{QStringLiteral("unit.usage_check"),
                         tessera::text("cannot tell whether %1 still uses unit %2: %3", owner, name, use.error().message)};
        }
        if (use->trimmed().isEmpty()) continue;
        if (!viewer || (viewer->can(readPermission) && viewer->scope(readPermission).contains(unit.id)))
            uses << use->trimmed();  // it names its records (1 条党员信息卡); a plugin's id is no one's word
        else
            hiddenUse = true;
    }
    if (hiddenUse) uses << tessera::text("records outside your view");
    if (!uses.isEmpty()) {
        return Error{QStringLiteral("unit.not_empty"),
                     tessera::text("unit %1 is still in use: %2; move or remove those first", name, uses.join(QStringLiteral(", ")))};
    }
    return {};
}

Result<std::vector<Unit>> UnitTree::children(qint64 parentId, const tessera::Scope* within) const {
    auto parent = get(parentId);
    if (!parent) return parent.error();
    if (nothingIn(within)) return std::vector<Unit>{};
    // childCount counts only the children within the scope too: it must not tell of units
    // the caller cannot see.
    Params params;
    const QString childFilter = scopeFilter(within, params, QStringLiteral("c.id"));
    params.push_back(parentId);
    const QString parentParam = QStringLiteral("?%1").arg(params.size());
    const QString filter = scopeFilter(within, params);
    auto rows = db_.query(QStringLiteral("SELECT ") + kColumns +
                              QStringLiteral(", (SELECT count(*) FROM core_units c WHERE c.parent_id = u.id") + childFilter +
                              QStringLiteral(") AS child_count FROM core_units u WHERE u.parent_id = ") + parentParam +
                              filter + QStringLiteral(" ORDER BY u.sort_order, u.id"),
                          params);
    if (!rows) return rows.error();
    std::vector<Unit> out;
    out.reserve(rows->size());
    for (const Row& row : *rows) out.push_back(unitFrom(row));
    return out;
}

Result<std::vector<Unit>> UnitTree::subtree(qint64 id, const tessera::Scope* within) const {
    auto top = get(id);
    if (!top) return top.error();
    if (nothingIn(within)) return std::vector<Unit>{};
    Params params{top->path, rangeEnd(top->path)};
    const QString filter = scopeFilter(within, params);
    return units(QStringLiteral("FROM core_units u WHERE u.path >= ?1 AND u.path < ?2") + filter +
                     QStringLiteral(" ORDER BY u.path"),
                 std::move(params));
}

Result<std::vector<Unit>> UnitTree::ancestors(qint64 id, const tessera::Scope* within) const {
    auto unit = get(id);
    if (!unit) return unit.error();
    std::vector<qint64> above = idsOnPath(unit->path);
    if (!above.empty()) above.pop_back();
    if (above.empty() || nothingIn(within)) return std::vector<Unit>{};
    Params params;
    const QString ids = placeholders(above, params);
    const QString filter = scopeFilter(within, params);
    return units(QStringLiteral("FROM core_units u WHERE u.id IN (") + ids + QLatin1Char(')') + filter +
                     QStringLiteral(" ORDER BY u.depth"),
                 std::move(params));
}

Result<std::vector<UnitMatch>> UnitTree::search(const QString& text, int limit, const tessera::Scope* within) const {
    const QString needle = text.trimmed();
    if (needle.isEmpty()) return invalid(tessera::text("search text is empty"));
    if (nothingIn(within)) return std::vector<UnitMatch>{};
    limit = std::clamp(limit, 1, kMaxSearchResults);
    // LIKE with our own escape character, so that % and _ in the text match literally.
    QString pattern = needle;
    pattern.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('%'), QStringLiteral("\\%"))
        .replace(QLatin1Char('_'), QStringLiteral("\\_"));
    Params params{QLatin1Char('%') + pattern + QLatin1Char('%')};
    const QString filter = scopeFilter(within, params);
    params.push_back(limit);
    auto hits = units(QStringLiteral("FROM core_units u WHERE (u.name LIKE ?1 ESCAPE '\\' OR u.code LIKE ?1 ESCAPE '\\')") +
                          filter + QStringLiteral(" ORDER BY u.path LIMIT ?%1").arg(params.size()),
                      params);
    if (!hits) return hits.error();
    if (hits->empty()) return std::vector<UnitMatch>{};

    // The names along every hit's path, in one query (within the scope, like the hits).
    std::vector<qint64> onPaths;
    QSet<qint64> seen;
    for (const Unit& u : *hits) {
        for (const qint64 pathId : idsOnPath(u.path)) {
            if (!seen.contains(pathId)) {
                seen.insert(pathId);
                onPaths.push_back(pathId);
            }
        }
    }
    Params nameParams;
    const QString ids = placeholders(onPaths, nameParams);
    const QString nameFilter = scopeFilter(within, nameParams);
    auto rows = db_.query(QStringLiteral("SELECT u.id, u.name FROM core_units u WHERE u.id IN (") + ids + QLatin1Char(')') +
                              nameFilter,
                          nameParams);
    if (!rows) return rows.error();
    QHash<qint64, QString> names;
    for (const Row& row : *rows) names.insert(row.value(QStringLiteral("id")).toLongLong(), row.value(QStringLiteral("name")).toString());

    std::vector<UnitMatch> out;
    out.reserve(hits->size());
    for (Unit& u : *hits) {
        UnitMatch match{std::move(u), {}};
        for (const qint64 pathId : idsOnPath(match.unit.path)) {
            if (names.contains(pathId)) match.pathNames << names.value(pathId);
        }
        out.push_back(std::move(match));
    }
    return out;
}

Result<std::vector<Unit>> UnitTree::topUnits(const tessera::Scope* within) const {
    if (!within || within->all()) return units(QStringLiteral("FROM core_units u WHERE u.parent_id IS NULL"), {});
    if (within->empty()) return std::vector<Unit>{};
    Params params;
    const QString inScope = within->condition(QStringLiteral("u.id"), params);
    const QString parentInScope = within->condition(QStringLiteral("u.parent_id"), params);
    return units(QStringLiteral("FROM core_units u WHERE (") + inScope + QStringLiteral(") AND (u.parent_id IS NULL OR NOT (") +
                     parentInScope + QStringLiteral(")) ORDER BY u.path"),
                 std::move(params));
}

Result<bool> UnitTree::contains(qint64 ancestorId, qint64 unitId) const {
    auto ancestor = get(ancestorId);
    if (!ancestor) return ancestor.error();
    auto unit = get(unitId);
    if (!unit) return unit.error();
    return unit->path.startsWith(ancestor->path);
}

void UnitTree::addUsageCheck(const QString& owner, const QString& readPermission, UnitUsageCheck check) {
    std::lock_guard lock(checksMutex_);
    checks_.push_back({owner, readPermission, std::move(check)});
}

void UnitTree::removeUsageChecks(const QString& owner) {
    std::lock_guard lock(checksMutex_);
    std::erase_if(checks_, [&](const UsageCheck& entry) { return entry.owner == owner; });
}

}  // namespace tessera::host
