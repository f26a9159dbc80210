// party.daily: party organisations, members and applicants (日常管理).
// The member and applicant cards are served by the host's record engine from the manifest
// (docs/records.md: list, get, create, update, delete, history, counts?by=, import, export);
// this plugin adds their rules as hooks, and serves the rest itself:
//   GET    members/counts/{category|gender|ethnicity|education|age}?<the list's filters>   counts for
//                               the charts, of the members the list shows for the same query
//   GET    orgs?q=&unit=        party organisation cards, in pinyin order of the full name
//   POST   orgs/import          a job importing party organisations (matched by code; imports.hpp)
//   POST   orgs/export?format=csv|xlsx&<list query>: a job writing the list as filtered, in the
//                               import's columns (see exports.hpp)
//   GET    orgs/{unitId}        the card of an organisation unit
//   POST   orgs                 a new organisation: creates the unit under parentId and its card
//   PUT    orgs/{unitId}        updates the card (renames and moves the unit along); a unit
//                               without a card (the root) gets one
//   DELETE orgs/{unitId}        deletes card and unit; refused while members, applicants or
//                               child organisations still belong to it (the refusal names them)
// Every record belongs to an organisation unit; a caller reaches only those in their scope,
// everything else answers 404.

#include "counts.hpp"
#include "demo_data.hpp"
#include "exports.hpp"
#include "imports.hpp"
#include "member.hpp"
#include "org.hpp"
#include "records.hpp"
#include "reminders.hpp"

#include <tessera/tessera.hpp>

#include <QJsonArray>
#include <QJsonDocument>

#include <limits>

namespace party::daily {

namespace {

using tessera::Context;
using tessera::FieldError;
using tessera::Method;
using tessera::Request;
using tessera::Response;

const QString kRead = QStringLiteral("party.daily.read");
const QString kWrite = QStringLiteral("party.daily.write");

Response storageError(Context& ctx, const tessera::Error& e) {
    ctx.log().error(tessera::text("database: %1", e.message));
    return Response::storageFailure(e, tessera::text("the party organisation store could not be read or written"));
}


// Party organisation cards: one per organisation unit, keyed by the unit's id.
class OrgCards {
public:
    void setDictionaries(Dictionaries d) { dictionaries_ = std::move(d); }

    Response list(const Request& r, Context& ctx) const {
        return listPage(r, ctx, orgListQuery(), dictionaries_, [&](const tessera::Row& row) { return toJson(row, ctx); });
    }

    Response get(const Request& r, Context& ctx) const {
        const auto id = tessera::idParam(r);
        if (!id || !r.scope || !r.scope->contains(*id)) return notFound(r);
        auto row = ctx.database().queryOne(QStringLiteral("SELECT * FROM party_orgs WHERE unit_id = ?1"), {*id});
        if (!row) return storageError(ctx, row.error());
        if (row->isEmpty()) return notFound(r);
        return Response::json(toJson(*row, ctx)).withHeader("ETag", etag(row->value(QStringLiteral("version")).toLongLong()));
    }

    Response create(const Request& r, Context& ctx) const {
        ReadRecord in = readRecord(withoutParent(r.body), orgFields(), dictionaries_);
        const qint64 parentId = parentOf(r.body, in.errors);
        if (parentId && (!r.scope || !r.scope->contains(parentId) || !ctx.units().get(parentId)))
            in.errors.append({QStringLiteral("parentId"), parentRefusal(tessera::text("unit %1", parentId), false)});
        checkOrg(in.values, ctx.clock().now().date(), in.errors);
        if (!in.errors.isEmpty()) return Response::invalid(in.errors);
        qint64 unitId = 0;
        QList<FieldError> refused;
        auto s = ctx.database().transaction([&]() -> tessera::Status {
            auto unit = ctx.units().create(parentId, orgUnitName(in.values), in.values.value(QStringLiteral("code")).toString());
            if (!unit) return refuse(unit.error(), refused);
            unitId = unit->id;
            if (auto outside = placementRefusal(*r.scope, unitId, parentId)) {
                refused.append(*outside);
                return tessera::Error{QStringLiteral("party.refused"), QStringLiteral("refused")};
            }
            return insertCard(unitId, in.values, ctx);
        });
        if (!refused.isEmpty()) return Response::invalid(refused);
        if (!s) return codeTaken(s.error(), in.values) ? codeTakenResponse(in.values) : storageError(ctx, s.error());
        auto row = ctx.database().queryOne(QStringLiteral("SELECT * FROM party_orgs WHERE unit_id = ?1"), {unitId});
        if (!row || row->isEmpty()) return storageError(ctx, row ? tessera::Error{QStringLiteral("db.gone"), tessera::text("row vanished")} : row.error());
        return Response::created(toJson(*row, ctx))
            .withHeader("Location", QStringLiteral("/api/v1/party.daily/orgs/%1").arg(unitId).toUtf8())
            .withHeader("ETag", etag(1));
    }

    Response update(const Request& r, Context& ctx) const {
        const auto id = tessera::idParam(r);
        if (!id || !r.scope || !r.scope->contains(*id)) return notFound(r);
        auto unit = ctx.units().get(*id);
        if (!unit) return unit.error().code == QLatin1String("unit.not_found") ? notFound(r) : storageError(ctx, unit.error());
        auto existing = ctx.database().queryOne(QStringLiteral("SELECT * FROM party_orgs WHERE unit_id = ?1"), {*id});
        if (!existing) return storageError(ctx, existing.error());
        ReadRecord in = readRecord(withoutParent(r.body), orgFields(), dictionaries_);
        // The root has no parent and stays where it is; any other unit may move.
        const qint64 parentId = unit->parentId ? parentOf(r.body, in.errors, unit->parentId) : 0;
        if (parentId != unit->parentId && (!r.scope->contains(parentId) || !ctx.units().get(parentId)))
            in.errors.append({QStringLiteral("parentId"), parentRefusal(tessera::text("unit %1", parentId), true)});
        checkOrg(in.values, ctx.clock().now().date(), in.errors);
        // The version the client edited (If-Match, else the body's); a unit without a card yet needs none.
        const std::optional<qint64> matched = tessera::ifMatchVersion(r);
        std::optional<qint64> expected = matched;
        if (matched && *matched < 0) in.errors.append({QStringLiteral("If-Match"), tessera::text("must be an ETag from GET, like \"3\"")});
        if (const QJsonValue v = r.body.toObject().value(QStringLiteral("version")); !expected && !v.isUndefined()) {
            if (!v.isDouble() || v.toDouble() < 1 || v.toDouble() != double(v.toInteger()))
                in.errors.append({QStringLiteral("version"), tessera::text("must be the whole-number version you read")});
            else
                expected = v.toInteger();
        }
        if (!in.errors.isEmpty()) return Response::invalid(in.errors);
        const bool hasCard = !existing->isEmpty();
        if (hasCard && !expected)
            return Response::error(428, tessera::text("Precondition Required"),
                                   tessera::text("send If-Match with the ETag you read, or the \"version\" field"));
        const qint64 current = hasCard ? existing->value(QStringLiteral("version")).toLongLong() : 0;
        if (hasCard && *expected != current)
            return Response::error(matched ? 412 : 409, matched ? tessera::text("Precondition Failed") : QStringLiteral("Conflict"),
                                   QStringLiteral("organisation %1 was changed by someone else (you edited version %2, it is now version %3); "
                                                  "reload it and apply your change again")
                                       .arg(*id).arg(*expected).arg(current))
                .withHeader("ETag", etag(current));
        QList<FieldError> refused;
        bool stale = false;
        auto s = ctx.database().transaction([&]() -> tessera::Status {
            if (parentId != unit->parentId) {
                if (auto moved = ctx.units().move(*id, parentId); !moved) return refuse(moved.error(), refused);
                if (auto outside = placementRefusal(*r.scope, *id, parentId)) {
                    refused.append(*outside);
                    return tessera::Error{QStringLiteral("party.refused"), QStringLiteral("refused")};
                }
            }
            if (auto renamed = ctx.units().rename(*id, orgUnitName(in.values), in.values.value(QStringLiteral("code")).toString()); !renamed)
                return refuse(renamed.error(), refused);
            if (!hasCard) return insertCard(*id, in.values, ctx);
            in.values.insert(QStringLiteral("name_key"), ctx.sortKey(in.values.value(QStringLiteral("full_name")).toString()));
            in.values.insert(QStringLiteral("updated_at"), ctx.clock().now().toString(Qt::ISODateWithMs));
            auto w = updateRow(ctx.database(), QStringLiteral("party_orgs"), in.values, QStringLiteral("unit_id"), *id, current);
            if (!w) return w.error();
            if (w->changes != 1) {
                stale = true;
                return tessera::Error{QStringLiteral("party.stale"), tessera::text("changed meanwhile")};
            }
            return ctx.events().publish(QStringLiteral("party.org.updated"), QJsonObject{{QStringLiteral("unitId"), *id}});
        });
        if (!refused.isEmpty()) return Response::invalid(refused);
        if (stale)
            return Response::error(412, tessera::text("Precondition Failed"),
                                   tessera::text("organisation %1 was changed by someone else meanwhile; reload it", *id));
        if (!s) return codeTaken(s.error(), in.values) ? codeTakenResponse(in.values) : storageError(ctx, s.error());
        auto row = ctx.database().queryOne(QStringLiteral("SELECT * FROM party_orgs WHERE unit_id = ?1"), {*id});
        if (!row || row->isEmpty()) return storageError(ctx, row ? tessera::Error{QStringLiteral("db.gone"), tessera::text("row vanished")} : row.error());
        const qint64 version = row->value(QStringLiteral("version")).toLongLong();
        Response out = Response::json(toJson(*row, ctx), hasCard ? 200 : 201);
        return out.withHeader("ETag", etag(version));
    }

    Response remove(const Request& r, Context& ctx) const {
        const auto id = tessera::idParam(r);
        if (!id || !r.scope || !r.scope->contains(*id)) return notFound(r);
        const auto matched = tessera::ifMatchVersion(r);
        if (matched && *matched < 0)
            return Response::invalid({{QStringLiteral("If-Match"), tessera::text("must be an ETag from GET, like \"3\"")}});
        QString refusal;
        bool missing = false, stale = false;
        qint64 current = 0;
        // The version is read inside the writing transaction: an edit that commits between
        // the check and the delete would otherwise be deleted unseen.
        auto s = ctx.database().transaction([&]() -> tessera::Status {
            auto existing = ctx.database().queryOne(QStringLiteral("SELECT version FROM party_orgs WHERE unit_id = ?1"), {*id});
            if (!existing) return existing.error();
            if (existing->isEmpty()) return missing = true, tessera::Status();
            current = existing->value(QStringLiteral("version")).toLongLong();
            if (matched && *matched != current) return stale = true, tessera::Status();
            if (auto w = ctx.database().execute(QStringLiteral("DELETE FROM party_orgs WHERE unit_id = ?1"), {*id}); !w) return w.error();
            // The host asks every plugin (this one counts members and applicants) and refuses,
            // naming them, while anything still belongs to the unit.
            if (auto removed = ctx.units().remove(*id); !removed) {
                if (removed.error().code == QLatin1String("unit.not_empty") || removed.error().code == QLatin1String("unit.root"))
                    refusal = removed.error().message;
                return removed;
            }
            return ctx.events().publish(QStringLiteral("party.org.deleted"), QJsonObject{{QStringLiteral("unitId"), *id}});
        });
        if (!refusal.isEmpty())
            return Response::error(409, QStringLiteral("Conflict"), tessera::text("organisation %1 cannot be deleted: %2", *id, refusal));
        if (!s) return storageError(ctx, s.error());
        if (missing) return notFound(r);
        if (stale)
            return Response::error(412, tessera::text("Precondition Failed"),
                                   tessera::text("organisation %1 is now version %2, not the one you read; reload before deleting", *id, current))
                .withHeader("ETag", etag(current));
        return Response::noContent();
    }

private:
    static Response notFound(const Request& r) {
        return Response::notFound(tessera::text("organisation %1 has no party organisation card", r.param(QStringLiteral("id"))));
    }
    // The unit is named by the short name when there is one (as the tree shows it).
    static QJsonValue withoutParent(const QJsonValue& body) {
        if (!body.isObject()) return body;
        QJsonObject o = body.toObject();
        o.remove(QStringLiteral("parentId"));
        return o;
    }
    static qint64 parentOf(const QJsonValue& body, QList<FieldError>& errors, qint64 fallback = 0) {
        const QJsonValue v = body.toObject().value(QStringLiteral("parentId"));
        if (v.isUndefined() || v.isNull()) {
            if (!fallback) errors.append({QStringLiteral("parentId"), tessera::text("is required")});
            return fallback;
        }
        if (!v.isDouble() || v.toDouble() < 1 || v.toDouble() != double(v.toInteger())) {
            errors.append({QStringLiteral("parentId"), tessera::text("must be a unit id")});
            return fallback;
        }
        return v.toInteger();
    }
    // A unit service refusal as a field error (bad parent, a move under itself, a bad name).
    static tessera::Status refuse(const tessera::Error& e, QList<FieldError>& refused) {
        if (e.code.startsWith(QLatin1String("unit."))) refused.append({unitRefusalField(e), e.message});
        return e;
    }
    static bool codeTaken(const tessera::Error& e, const QVariantMap& values) {
        return e.code == QLatin1String("db.constraint") && !values.value(QStringLiteral("code")).isNull();
    }
    static Response codeTakenResponse(const QVariantMap& values) {
        return Response::invalid({{QStringLiteral("code"), codeTakenRefusal(values.value(QStringLiteral("code")).toString())}});
    }
    static tessera::Status insertCard(qint64 unitId, QVariantMap values, Context& ctx) {
        const QString now = ctx.clock().now().toString(Qt::ISODateWithMs);
        values.insert(QStringLiteral("unit_id"), unitId);
        values.insert(QStringLiteral("name_key"), ctx.sortKey(values.value(QStringLiteral("full_name")).toString()));
        values.insert(QStringLiteral("created_at"), now);
        values.insert(QStringLiteral("updated_at"), now);
        if (auto w = insertRow(ctx.database(), QStringLiteral("party_orgs"), values); !w) return w.error();
        return ctx.events().publish(QStringLiteral("party.org.created"), QJsonObject{{QStringLiteral("unitId"), unitId}});
    }
    QJsonObject toJson(const tessera::Row& row, Context& ctx) const {
        QJsonObject o = recordJson(row, orgFields(), QStringLiteral("unit_id"));
        if (auto unit = ctx.units().get(row.value(QStringLiteral("unit_id")).toLongLong()))
            o.insert(QStringLiteral("parentId"), unit->parentId ? QJsonValue(unit->parentId) : QJsonValue(QJsonValue::Null));
        return o;
    }

    Dictionaries dictionaries_;
};

// Today as people here count days (a join date "in the future" is after the local date).
QDate today(Context& ctx) { return ctx.clock().now().toLocalTime().date(); }

class DailyModule final : public tessera::Module {
public:
    void declare(tessera::Declarations& d) override {
        tessera::RecordHooks memberRules;
        memberRules.derive = [](tessera::Record& draft, const tessera::Record*, Context& ctx) { deriveMember(draft, today(ctx)); };
        memberRules.validate = [](const tessera::Record& draft, const tessera::Record*, const Request&, Context& ctx) {
            return checkMember(draft, today(ctx));
        };
        d.records(QStringLiteral("member"), std::move(memberRules));
        tessera::RecordHooks applicants;
        applicants.derive = [](tessera::Record& draft, const tessera::Record*, Context& ctx) { deriveFromCitizenId(draft, false, today(ctx)); };
        applicants.validate = [](const tessera::Record& draft, const tessera::Record*, const Request&, Context& ctx) {
            return checkApplicant(draft, today(ctx));
        };
        d.records(QStringLiteral("applicant"), std::move(applicants));
        d.route(Method::Get, QStringLiteral("members/counts/{dimension}"), [](const Request& r, Context& c) { return memberCounts(r, c); }, kRead);
        d.route(Method::Post, QStringLiteral("orgs/export"),
                [this](const Request& r, Context& c) { return startExport(r, c, orgListQuery(), dictionaries_); }, kRead);
        d.route(Method::Post, QStringLiteral("orgs/import"),
                [this](const Request& r, Context& c) { return startImport(r, c, dictionaries_); }, kWrite);
        d.route(Method::Get, QStringLiteral("orgs"), [this](const Request& r, Context& c) { return orgs_.list(r, c); }, kRead);
        d.route(Method::Get, QStringLiteral("orgs/{id}"), [this](const Request& r, Context& c) { return orgs_.get(r, c); }, kRead);
        d.route(Method::Post, QStringLiteral("orgs"), [this](const Request& r, Context& c) { return orgs_.create(r, c); }, kWrite);
        d.route(Method::Put, QStringLiteral("orgs/{id}"), [this](const Request& r, Context& c) { return orgs_.update(r, c); }, kWrite);
        d.route(Method::Delete, QStringLiteral("orgs/{id}"), [this](const Request& r, Context& c) { return orgs_.remove(r, c); }, kWrite);
        d.demo(makeDemoData);
        // Home page: probation years ending, birthdays, members out of contact (reminders.hpp).
        d.subtreeReminders(kRead, partyReminders);
        // The organisation card's own section: its members and the branch warnings.
        d.cardSection(QStringLiteral("org-checks"), [](qint64 unitId, const Request&, Context& ctx) -> tessera::Result<QJsonArray> {
            auto card = ctx.database().queryOne(QStringLiteral("SELECT org_type FROM party_orgs WHERE unit_id = ?1"), {unitId});
            if (!card) return card.error();
            auto counts = ctx.database().query(QStringLiteral("SELECT category, count(*) AS n FROM party_members WHERE unit_id = ?1 AND left_date IS NULL GROUP BY category"), {unitId});
            if (!counts) return counts.error();
            DirectMembers members;
            for (const auto& row : *counts)
                (row.value(QStringLiteral("category")).toString() == QLatin1String("formal") ? members.formal : members.probationary) =
                    row.value(QStringLiteral("n")).toLongLong();
            auto item = [](const QString& what, const QString& value) {
                return QJsonObject{{QStringLiteral("item"), what}, {QStringLiteral("value"), value}};
            };
            QJsonArray rows{item(QStringLiteral("正式党员"), QStringLiteral("%1人").arg(members.formal)),
                            item(QStringLiteral("预备党员"), QStringLiteral("%1人").arg(members.probationary))};
            for (const QString& w : branchWarnings(card->value(QStringLiteral("org_type")).toString(), members)) rows.append(item(QStringLiteral("提醒"), w));
            return rows;
        });
        // A unit keeps its card: deleting it is refused, naming it (the host names the
        // members and applicants that still belong to it).
        d.unitUsage(kRead, [](qint64 unitId, Context& ctx) -> tessera::Result<QString> {
            auto card = ctx.database().queryOne(QStringLiteral("SELECT full_name FROM party_orgs WHERE unit_id = ?1"), {unitId});
            if (!card) return card.error();
            if (card->isEmpty()) return QString();
            return tessera::text("the party organisation card of %1", card->value(QStringLiteral("full_name")).toString());
        });
    }

    tessera::Status start(Context& ctx) override {
        for (const char* id : {"ethnicity", "education", "education-group", "gender", "member-category", "member-status", "org-type", "org-status", "award-kind", "member-decrease"}) {
            const QString name = QLatin1String(id);
            dictionaries_.insert(name, ctx.dictionary(name));
            if (dictionaries_.value(name).isEmpty())
                return tessera::Error{QStringLiteral("party.dictionary"), tessera::text("the manifest's dictionary %1 has no items", name)};
        }
        orgs_.setDictionaries(dictionaries_);
        return {};
    }

private:
    Dictionaries dictionaries_;
    OrgCards orgs_;
};

}  // namespace

}  // namespace party::daily

TESSERA_MODULE(party::daily::DailyModule)
