#include "app/unit_routes.hpp"

#include <tessera/params.hpp>

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

#include <cmath>
#include <limits>
#include <optional>

namespace tessera::host {

namespace {

using tessera::FieldError;
using tessera::Method;
using tessera::Request;
using tessera::Response;
using tessera::Scope;

constexpr int kDefaultSearchLimit = 20;
constexpr int kMaxSearchTextLength = 100;
constexpr qsizetype kMaxLabels = 200;

const QString kParentId = QStringLiteral("parentId");
const QString kName = QStringLiteral("name");
const QString kCode = QStringLiteral("code");
const QString kSortOrder = QStringLiteral("sortOrder");
const QString kVersion = QStringLiteral("version");
const QString kIfMatch = QStringLiteral("If-Match");

QJsonObject toJson(const Unit& u) {
    QJsonObject o{{QStringLiteral("id"), u.id},
                  {kParentId, u.parentId == 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(u.parentId)},
                  {kName, u.name},
                  {kCode, u.code},
                  {QStringLiteral("path"), u.path},
                  {QStringLiteral("depth"), u.depth},
                  {kSortOrder, u.sortOrder},
                  {QStringLiteral("createdAt"), u.createdAt.toString(Qt::ISODateWithMs)},
                  {QStringLiteral("updatedAt"), u.updatedAt.toString(Qt::ISODateWithMs)},
                  {kVersion, u.version}};
    if (u.childCount) o.insert(QStringLiteral("childCount"), *u.childCount);
    return o;
}

QJsonArray toJson(const std::vector<Unit>& units) {
    QJsonArray a;
    for (const Unit& u : units) a.append(toJson(u));
    return a;
}

Response items(const QJsonArray& list) { return Response::json(QJsonObject{{QStringLiteral("items"), list}}); }

QByteArray etag(qint64 version) { return '"' + QByteArray::number(version) + '"'; }

Response withUnit(const Unit& u, int status = 200) { return Response::json(toJson(u), status).withHeader("ETag", etag(u.version)); }

// Whether the caller may reach `id` (no scope: a test or internal call without auth).
bool inScope(const Scope* scope, qint64 id) { return !scope || scope->all() || scope->contains(id); }

Response noSuchUnit(const QString& id) { return Response::notFound(tessera::text("unit %1 does not exist", id)); }

QString unreachableParent(qint64 id) { return tessera::text("there is no unit %1 that you may change", id); }

// The id of the path, written as ids are; nullopt for anything else ("abc", "0", "+1", "01").
std::optional<qint64> idFrom(const Request& r) { return tessera::idParam(r); }

// A whole JSON number in [min, max]; nullopt for anything else (strings, 1.5, out of range).
std::optional<qint64> wholeNumber(const QJsonValue& v, qint64 min, qint64 max) {
    if (!v.isDouble()) return std::nullopt;
    const double d = v.toDouble();
    if (std::floor(d) != d || d < static_cast<double>(min) || d > static_cast<double>(max)) return std::nullopt;
    return static_cast<qint64>(d);
}

// The version a write expects. If-Match wins over the body's version; "*" means any.
struct ExpectedVersion {
    std::optional<qint64> version;
    bool fromIfMatch = false;
};

ExpectedVersion expectedVersion(const Request& r, const QJsonObject& body, QList<FieldError>& errors) {
    ExpectedVersion out;
    QByteArray header = r.header("if-match").trimmed();
    if (!header.isEmpty()) {
        out.fromIfMatch = true;
        if (header == "*") {
            out.version = UnitTree::kAnyVersion;
            return out;
        }
        if (header.startsWith("W/")) header = header.mid(2);
        bool ok = false;
        const qint64 v = header.size() >= 3 && header.startsWith('"') && header.endsWith('"')
                             ? header.mid(1, header.size() - 2).toLongLong(&ok)
                             : 0;
        if (!ok || v < 1) errors.append({kIfMatch, tessera::text("must be an ETag from GET, like \"3\"")});
        else out.version = v;
        return out;
    }
    const QJsonValue v = body.value(kVersion);
    if (v.isUndefined()) return out;
    if (auto n = wholeNumber(v, 1, std::numeric_limits<qint64>::max() / 2)) out.version = *n;
    else errors.append({kVersion, tessera::text("must be the whole-number version you read")});
    return out;
}

Response versionRequired() {
    return Response::error(428, tessera::text("Precondition Required"),
                           tessera::text("send If-Match with the ETag you read, or the \"version\" field, so a "
                                         "concurrent change is never overwritten"));
}

// The body as an object, listing unknown fields; `hints` explain some of them.
QJsonObject bodyObject(const Request& r, const QSet<QString>& known, QList<FieldError>& errors,
                       const QHash<QString, QString>& hints = {}) {
    if (!r.body.isObject()) {
        errors.append({QStringLiteral("(body)"), tessera::text("expected a JSON object with the unit's fields")});
        return {};
    }
    const QJsonObject o = r.body.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key())) errors.append({it.key(), hints.value(it.key(), tessera::text("unknown field"))});
    }
    return o;
}

// Name, code and sort order from a body, checked by the tree's own rules.
struct UnitFields {
    QString name;
    QString code;
    int sortOrder = 0;
};

UnitFields readFields(const QJsonObject& o, QList<FieldError>& errors) {
    UnitFields f;
    const QJsonValue name = o.value(kName);
    if (name.isUndefined() || name.isNull()) errors.append({kName, tessera::text("is required")});
    else if (!name.isString()) errors.append({kName, tessera::text("must be a string")});
    else if (auto problem = UnitTree::checkName(name.toString())) errors.append({kName, *problem});
    else f.name = name.toString().trimmed();

    const QJsonValue code = o.value(kCode);
    if (!code.isUndefined() && !code.isNull()) {
        if (!code.isString()) errors.append({kCode, tessera::text("must be a string")});
        else if (auto problem = UnitTree::checkCode(code.toString())) errors.append({kCode, *problem});
        else f.code = code.toString().trimmed();
    }

    const QJsonValue sortOrder = o.value(kSortOrder);
    if (!sortOrder.isUndefined() && !sortOrder.isNull()) {
        if (auto n = wholeNumber(sortOrder, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()))
            f.sortOrder = static_cast<int>(*n);
        else
            errors.append({kSortOrder, tessera::text("must be a whole number")});
    }
    return f;
}

std::optional<qint64> readParentId(const QJsonObject& o, QList<FieldError>& errors) {
    const QJsonValue v = o.value(kParentId);
    if (v.isUndefined() || v.isNull()) {
        errors.append({kParentId, tessera::text("is required")});
        return std::nullopt;
    }
    auto id = wholeNumber(v, 1, std::numeric_limits<qint64>::max() / 2);
    if (!id) errors.append({kParentId, tessera::text("must be the id of a unit")});
    return id;
}

// Turns the tree's refusals into answers; anything else is a storage failure.
class Answers {
public:
    Answers(UnitTree& tree, tessera::Logger* log) : tree_(tree), log_(log) {}

    Response failure(const tessera::Error& e, const ExpectedVersion& expected = {}) const {
        const QString& code = e.code;
        if (code == u"unit.not_found") return Response::notFound(e.message);
        if (code == u"unit.invalid") return Response::error(422, tessera::text("Validation failed"), e.message);
        if (code == u"unit.cycle") return Response::invalid({{kParentId, e.message}});
        if (code == u"unit.root" || code == u"unit.not_empty") return Response::error(409, tessera::text("Conflict"), e.message);
        if (code == u"unit.forbidden") return Response::error(403, tessera::text("Forbidden"), e.message);
        if (code == u"unit.stale") {
            return expected.fromIfMatch ? Response::error(412, tessera::text("Precondition Failed"), e.message)
                                        : Response::error(409, tessera::text("Conflict"), e.message);
        }
        if (log_) log_->error(QStringLiteral("units: %1 (%2)").arg(e.message, e.code));
        if (code == u"unit.usage_check") return Response::error(500, tessera::text("Usage check failed"), e.message);
        return Response::error(500, tessera::text("Storage error"), tessera::text("the unit tree could not be read or written"));
    }

    // A stale write's answer carries the current ETag, so the client can reload and retry.
    Response failure(const tessera::Error& e, const ExpectedVersion& expected, qint64 id) const {
        Response r = failure(e, expected);
        if (e.code == u"unit.stale") {
            if (auto current = tree_.get(id)) r.withHeader("ETag", etag(current->version));
        }
        return r;
    }

private:
    UnitTree& tree_;
    tessera::Logger* log_;
};

}  // namespace

HostRoutes unitRoutes(UnitTree& tree, tessera::Logger* log) {
    const Answers answers(tree, log);
    HostRoutes routes;

    routes.push_back({Method::Get, QStringLiteral("/api/v1/units"), kUnitsRead, [&tree, answers](const Request& r) {
        const QString parentText = r.queryValue(QStringLiteral("parent"));
        if (parentText.isEmpty()) {
            auto tops = tree.topUnits(r.scope);
            if (!tops) return answers.failure(tops.error());
            return items(toJson(*tops));
        }
        const auto parentId = tessera::parseId(parentText);
        const qint64 parent = parentId.value_or(0);
        if (!parentId)
            return Response::invalid({{QStringLiteral("parent"), tessera::text("must be a unit id, not '%1'", parentText)}});
        if (!inScope(r.scope, parent)) return noSuchUnit(parentText);
        auto children = tree.children(parent, r.scope);
        if (!children) return answers.failure(children.error());
        return items(toJson(*children));
    }});

    routes.push_back({Method::Get, QStringLiteral("/api/v1/units/search"), kUnitsRead, [&tree, answers](const Request& r) {
        QList<FieldError> errors;
        const QString q = r.queryValue(QStringLiteral("q")).trimmed();
        if (q.isEmpty()) errors.append({QStringLiteral("q"), tessera::text("is required: the text to look for in names and codes")});
        if (q.size() > kMaxSearchTextLength)
            errors.append({QStringLiteral("q"), tessera::text("at most %1 characters", kMaxSearchTextLength)});
        int limit = kDefaultSearchLimit;
        if (const QString text = r.queryValue(QStringLiteral("limit")); !text.isEmpty()) {
            bool ok = false;
            limit = text.toInt(&ok);
            if (!ok || limit < 1 || limit > UnitTree::kMaxSearchResults) {
                errors.append({QStringLiteral("limit"), tessera::text("must be a whole number from 1 to %1, not '%2'", UnitTree::kMaxSearchResults, text)});
            }
        }
        if (!errors.isEmpty()) return Response::invalid(errors);
        auto found = tree.search(q, limit, r.scope);
        if (!found) return answers.failure(found.error());
        QJsonArray list;
        for (const UnitMatch& m : *found) {
            QJsonObject o = toJson(m.unit);
            o.insert(QStringLiteral("pathNames"), QJsonArray::fromStringList(m.pathNames));
            list.append(o);
        }
        return items(list);
    }});

    // Units as the caller may name them (UnitLabels): the shell's one source of unit names.
    routes.push_back({Method::Get, QStringLiteral("/api/v1/units/labels"), kUnitsRead, [&tree, answers](const Request& r) {
        const QString text = r.queryValue(QStringLiteral("ids"));
        const QStringList parts = text.split(QLatin1Char(','), Qt::SkipEmptyParts);
        QList<qint64> ids;
        for (const QString& part : parts) {
            if (const auto id = tessera::parseId(part.trimmed())) ids << *id;
            else return Response::invalid({{QStringLiteral("ids"), tessera::text("must be unit ids separated by commas, not '%1'", part)}});
        }
        if (ids.isEmpty()) return Response::invalid({{QStringLiteral("ids"), tessera::text("is required: the unit ids to name, separated by commas")}});
        if (ids.size() > kMaxLabels)
            return Response::invalid({{QStringLiteral("ids"), tessera::text("at most %1 units at a time", kMaxLabels)}});
        if (!r.access) return items({});
        auto labels = tree.labelsFor(*r.access, kUnitsRead).labels(ids);
        if (!labels) return answers.failure(labels.error());
        QJsonArray list;
        QSet<qint64> listed;
        for (const qint64 id : ids) {
            const auto label = labels->constFind(id);
            if (label == labels->constEnd() || listed.contains(id)) continue;
            listed.insert(id);
            list.append(QJsonObject{{QStringLiteral("id"), id}, {kName, label->shown()}, {QStringLiteral("path"), label->full()}});
        }
        return items(list);
    }});

    routes.push_back({Method::Get, QStringLiteral("/api/v1/units/{id}"), kUnitsRead, [&tree, answers](const Request& r) {
        const auto id = idFrom(r);
        if (!id || !inScope(r.scope, *id)) return noSuchUnit(r.param(QStringLiteral("id")));
        auto unit = tree.get(*id);
        if (!unit) return answers.failure(unit.error());
        auto above = tree.ancestors(*id, r.scope);
        if (!above) return answers.failure(above.error());
        QJsonObject o = toJson(*unit);
        o.insert(QStringLiteral("ancestors"), toJson(*above));
        return Response::json(o).withHeader("ETag", etag(unit->version));
    }});

    routes.push_back({Method::Get, QStringLiteral("/api/v1/units/{id}/subtree"), kUnitsRead, [&tree, answers](const Request& r) {
        const auto id = idFrom(r);
        if (!id || !inScope(r.scope, *id)) return noSuchUnit(r.param(QStringLiteral("id")));
        auto units = tree.subtree(*id, r.scope);
        if (!units) return answers.failure(units.error());
        return items(toJson(*units));
    }});

    routes.push_back({Method::Post, QStringLiteral("/api/v1/units"), kUnitsWrite, [&tree, answers](const Request& r) {
        QList<FieldError> errors;
        const QJsonObject o = bodyObject(r, {kParentId, kName, kCode, kSortOrder}, errors);
        if (!r.body.isObject()) return Response::invalid(errors);
        const auto parentId = readParentId(o, errors);
        const UnitFields f = readFields(o, errors);
        if (parentId && !inScope(r.scope, *parentId)) errors.append({kParentId, unreachableParent(*parentId)});
        if (!errors.isEmpty()) return Response::invalid(errors);
        auto created = tree.create(*parentId, f.name, f.code, f.sortOrder);
        if (!created) {
            // The only input the tree can still refuse after the checks above is the parent.
            if (created.error().code == u"unit.invalid") return Response::invalid({{kParentId, created.error().message}});
            return answers.failure(created.error());
        }
        return withUnit(*created, 201).withHeader("Location", QStringLiteral("/api/v1/units/%1").arg(created->id).toUtf8());
    }});

    routes.push_back({Method::Put, QStringLiteral("/api/v1/units/{id}"), kUnitsWrite, [&tree, answers](const Request& r) {
        const auto id = idFrom(r);
        if (!id || !inScope(r.scope, *id)) return noSuchUnit(r.param(QStringLiteral("id")));
        QList<FieldError> errors;
        const QJsonObject o = bodyObject(
            r, {kName, kCode, kSortOrder, kVersion}, errors,
            {{kParentId, tessera::text("cannot be changed here: move the unit with POST /api/v1/units/%1/move", *id)}});
        if (!r.body.isObject()) return Response::invalid(errors);
        const UnitFields f = readFields(o, errors);
        const ExpectedVersion expected = expectedVersion(r, o, errors);
        if (!errors.isEmpty()) return Response::invalid(errors);
        if (!expected.version) return versionRequired();
        auto renamed = tree.rename(*id, f.name, f.code, f.sortOrder, *expected.version);
        if (!renamed) return answers.failure(renamed.error(), expected, *id);
        return withUnit(*renamed);
    }});

    routes.push_back({Method::Post, QStringLiteral("/api/v1/units/{id}/move"), kUnitsWrite, [&tree, answers](const Request& r) {
        const auto id = idFrom(r);
        if (!id || !inScope(r.scope, *id)) return noSuchUnit(r.param(QStringLiteral("id")));
        QList<FieldError> errors;
        const QJsonObject o = bodyObject(r, {kParentId, kVersion}, errors);
        if (!r.body.isObject()) return Response::invalid(errors);
        const auto parentId = readParentId(o, errors);
        if (parentId && !inScope(r.scope, *parentId)) errors.append({kParentId, unreachableParent(*parentId)});
        const ExpectedVersion expected = expectedVersion(r, o, errors);
        if (!errors.isEmpty()) return Response::invalid(errors);
        if (!expected.version) return versionRequired();
        auto moved = tree.move(*id, *parentId, *expected.version, r.scope, r.access);
        if (!moved) {
            if (moved.error().code == u"unit.invalid") return Response::invalid({{kParentId, moved.error().message}});
            return answers.failure(moved.error(), expected, *id);
        }
        return withUnit(*moved);
    }});

    routes.push_back({Method::Delete, QStringLiteral("/api/v1/units/{id}"), kUnitsWrite, [&tree, answers](const Request& r) {
        const auto id = idFrom(r);
        if (!id || !inScope(r.scope, *id)) return noSuchUnit(r.param(QStringLiteral("id")));
        QList<FieldError> errors;
        ExpectedVersion expected = expectedVersion(r, QJsonObject(), errors);
        if (!errors.isEmpty()) return Response::invalid(errors);
        if (auto removed = tree.remove(*id, expected.version.value_or(UnitTree::kAnyVersion), r.access); !removed)
            return answers.failure(removed.error(), expected, *id);
        return Response::noContent();
    }});

    return routes;
}

}  // namespace tessera::host
