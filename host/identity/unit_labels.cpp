#include "identity/unit_labels.hpp"

#include "identity/access_control.hpp"
#include "identity/unit_tree.hpp"

#include <algorithm>
#include <vector>

namespace tessera::host {

namespace {

using tessera::Params;
using tessera::Row;

// Ids per IN list: well below SQLite's limit of bound values, with room for the scope's own.
constexpr qsizetype kIdsPerQuery = 500;
// relative() of more levels than this is shown with its middle elided.
constexpr qsizetype kShownLevels = 3;

// The ids on a path, root first: "/1/5/12/" -> 1, 5, 12.
QList<qint64> idsOnPath(const QString& path) {
    QList<qint64> ids;
    for (const QStringView part : QStringView(path).split(QLatin1Char('/'), Qt::SkipEmptyParts)) ids.push_back(part.toLongLong());
    return ids;
}

// " AND (<condition>)" restricting `column` to `known`; nothing when it holds every unit.
QString knownFilter(const tessera::Scope* known, const QString& column, Params& params) {
    if (!known || known->all()) return {};
    return QStringLiteral(" AND (") + known->condition(column, params) + QLatin1Char(')');
}

// "?1, ?2, ..." for `ids`, appended to `params`.
QString placeholders(const QList<qint64>& ids, Params& params) {
    QStringList marks;
    for (const qint64 id : ids) {
        params.push_back(id);
        marks << QStringLiteral("?%1").arg(params.size());
    }
    return marks.join(QStringLiteral(", "));
}

// Column `column` (path, name) of the units `ids`, by id, a few hundred ids per query.
Result<QHash<qint64, QString>> unitColumn(tessera::Database& db, const QList<qint64>& ids, const QString& column) {
    QHash<qint64, QString> out;
    for (qsizetype at = 0; at < ids.size(); at += kIdsPerQuery) {
        Params params;
        const QString marks = placeholders(ids.mid(at, kIdsPerQuery), params);
        auto rows = db.query(QStringLiteral("SELECT id, %1 AS v FROM core_units WHERE id IN (%2)").arg(column, marks), params);
        if (!rows) return rows.error();
        for (const Row& row : *rows) out.insert(row.value(QStringLiteral("id")).toLongLong(), row.value(QStringLiteral("v")).toString());
    }
    return out;
}

}  // namespace

QString UnitLabel::relative() const {
    if (names.size() <= 1 || topNamed) return names.join(kSeparator);
    return names.mid(1).join(kSeparator);
}

QString UnitLabel::shown() const {
    const QStringList levels = names.size() <= 1 || topNamed ? names : names.mid(1);
    if (levels.size() <= kShownLevels) return levels.join(kSeparator);
    return QStringList{levels.first(), kElision, levels.at(levels.size() - 2), levels.last()}.join(kSeparator);
}

QString UnitLabel::full() const { return names.join(kSeparator); }

std::shared_ptr<const tessera::Scope> knownUnits(tessera::Database& db, const tessera::Access& access, const QString& permission) {
    if (const auto* caller = dynamic_cast<const CallerAccess*>(&access)) {
        std::vector<Grant> grants;
        for (const Grant& g : caller->grants())
            if (g.grants(permission) || g.grants(UnitTree::kReadPermission)) grants.push_back(g);
        return std::make_shared<GrantScope>(db, std::move(grants));
    }
    // Rights of another kind: no more than the permission's own scope, which `access` keeps.
    return std::shared_ptr<const tessera::Scope>(std::shared_ptr<const tessera::Scope>(), &access.scope(permission));
}

UnitLabels::UnitLabels(tessera::Database& db, const tessera::Access& access, const QString& permission)
    : db_(db), caller_(dynamic_cast<const CallerAccess*>(&access)), permission_(permission), known_(knownUnits(db, access, permission)) {}

UnitLabels::UnitLabels(tessera::Database& db, std::shared_ptr<const tessera::Scope> known) : db_(db), known_(std::move(known)) {}

Result<bool> UnitLabels::severalTops() {
    if (severalTops_) return *severalTops_;
    if (!known_ || known_->all() || known_->empty()) {
        severalTops_ = false;
    } else if (const auto* grants = dynamic_cast<const GrantScope*>(known_.get())) {
        severalTops_ = grants->topUnitCount() > 1;
    } else {
        // Any other scope: ask the tree for a second unit whose parent lies outside it.
        Params params;
        const QString inScope = known_->condition(QStringLiteral("u.id"), params);
        const QString parentInScope = known_->condition(QStringLiteral("u.parent_id"), params);
        auto tops = db_.query(QStringLiteral("SELECT u.id FROM core_units u WHERE (") + inScope +
                                  QStringLiteral(") AND (u.parent_id IS NULL OR NOT (") + parentInScope + QStringLiteral(")) LIMIT 2"),
                              params);
        if (!tops) return tops.error();
        severalTops_ = tops->size() > 1;
    }
    return *severalTops_;
}

bool UnitLabels::knows(qint64 id, const QString& path) const {
    if (!known_ || known_->all()) return true;
    if (const auto* grants = dynamic_cast<const GrantScope*>(known_.get())) return grants->containsPath(id, path);
    return known_->contains(id);
}

std::optional<UnitLabel> UnitLabels::labelOf(qint64 id, bool topNamed) const {
    const auto path = paths_.constFind(id);
    if (path == paths_.constEnd() || !names_.contains(id)) return std::nullopt;
    // Up from the unit while the viewer may know of the unit above: where that stops is their top.
    const QList<qint64> ids = idsOnPath(*path);
    qsizetype top = ids.size() - 1;
    while (top > 0 && names_.contains(ids.at(top - 1))) --top;
    UnitLabel label;
    label.topNamed = topNamed;
    for (qsizetype i = top; i < ids.size(); ++i) label.names << names_.value(ids.at(i));
    return label;
}

Result<QHash<qint64, UnitLabel>> UnitLabels::labels(const QList<qint64>& ids) {
    if (!caller_) return readLabels(ids);
    QHash<qint64, UnitLabel> out;
    QList<qint64> rest;
    for (const qint64 id : ids) {
        if (const auto kept = caller_->keptLabel(permission_, id)) {
            if (*kept) out.insert(id, **kept);
        } else if (id > 0) {
            rest << id;
        }
    }
    if (rest.isEmpty()) return out;
    auto read = readLabels(rest);
    if (!read) return read.error();
    for (const qint64 id : rest) {
        const auto label = read->constFind(id);
        caller_->keepLabel(permission_, id, label == read->constEnd() ? std::nullopt : std::optional<UnitLabel>(*label));
    }
    out.insert(*read);
    return out;
}

Result<QHash<qint64, UnitLabel>> UnitLabels::readLabels(const QList<qint64>& ids) {
    QList<qint64> unread;
    QSet<qint64> seen;
    for (const qint64 id : ids)
        if (id > 0 && !paths_.contains(id) && !seen.contains(id)) {
            seen.insert(id);
            unread << id;
        }
    // The paths of the units not read before, then the names along them; which of those the
    // viewer may know of is decided on the paths (knows()), not by the scope's SQL, which
    // would read a large scope whole for a page of twenty records.
    auto paths = unitColumn(db_, unread, QStringLiteral("path"));
    if (!paths) return paths.error();
    paths_.insert(*paths);
    QList<qint64> onPaths;
    seen.clear();
    for (const qint64 id : unread) {
        for (const qint64 pathId : idsOnPath(paths_.value(id)))
            if (!names_.contains(pathId) && !unknown_.contains(pathId) && !seen.contains(pathId)) {
                seen.insert(pathId);
                onPaths << pathId;
            }
    }
    auto names = unitColumn(db_, onPaths, QStringLiteral("name"));
    if (!names) return names.error();
    const QHash<qint64, QString>& read = *names;
    for (const qint64 id : unread) {
        QString prefix = QStringLiteral("/");  // the path of each unit along the way: "/1/", "/1/5/", ...
        for (const qint64 pathId : idsOnPath(paths_.value(id))) {
            prefix += QString::number(pathId) + QLatin1Char('/');
            if (names_.contains(pathId) || unknown_.contains(pathId)) continue;
            if (read.contains(pathId) && knows(pathId, prefix)) names_.insert(pathId, read.value(pathId));
            else unknown_.insert(pathId);
        }
    }
    return labelsKnown(ids);
}

Result<QHash<qint64, UnitLabel>> UnitLabels::labelsKnown(const QList<qint64>& ids) {
    auto several = severalTops();
    if (!several) return several.error();
    QHash<qint64, UnitLabel> out;
    for (const qint64 id : ids)
        if (auto label = labelOf(id, *several)) out.insert(id, std::move(*label));
    return out;
}

Result<std::optional<UnitLabel>> UnitLabels::label(qint64 id) {
    auto found = labels({id});
    if (!found) return found.error();
    const auto it = found->constFind(id);
    return it == found->constEnd() ? std::nullopt : std::optional<UnitLabel>(*it);
}

Result<QHash<qint64, UnitLabel>> UnitLabels::everyLabel() {
    Params params;
    auto rows = db_.query(QStringLiteral("SELECT u.id, u.name, u.path FROM core_units u WHERE 1=1") +
                              knownFilter(known_.get(), QStringLiteral("u.id"), params),
                          params);
    if (!rows) return rows.error();
    QList<qint64> ids;
    for (const Row& row : *rows) {
        const qint64 id = row.value(QStringLiteral("id")).toLongLong();
        paths_.insert(id, row.value(QStringLiteral("path")).toString());
        names_.insert(id, row.value(QStringLiteral("name")).toString());
        unknown_.remove(id);
        ids << id;
    }
    // Every unit the viewer may know of is in names_ now: the others on the paths are not theirs.
    return labelsKnown(ids);
}

}  // namespace tessera::host
