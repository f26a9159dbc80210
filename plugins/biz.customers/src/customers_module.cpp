// biz.customers: customer master data (客户档案) shared by the business modules.
//   GET    customers?q=&unit=&page=&size=   list, newest first, with search, unit subtree, paging
//   GET    customers/{id}             one customer, with ETag "<version>"
//   POST   customers                  create
//   PUT    customers/{id}             full update; needs If-Match "<version>" (412 when stale)
//                                     or "version" in the body (409 when stale)
//   POST   customers/export?format=&q=&unit=   export the list as filtered (CSV or xlsx), as a job (202)
//   GET    customers/stats/monthly?months=&q=&unit=   new customers per month, for the chart view
//   DELETE customers/{id}             delete; honours If-Match
// Every customer belongs to an organisation unit; a caller reaches only the customers of
// the units in their scope for the route's permission. Anything else answers 404. A query
// parameter a route does not know is a 422 naming the ones it does (a typo must not widen a list).

#include "customer.hpp"

#include <tessera/tessera.hpp>

#include <QJsonArray>
#include <QJsonObject>

#include <limits>

namespace biz::customers {

namespace {

using tessera::Context;
using tessera::Method;
using tessera::Request;
using tessera::Response;

const QString kColumns = QStringLiteral("id, unit_id, name, contact, phone, address, notes, created_at, updated_at, version");

// The scope condition for `column`; a request without a scope reaches nothing.
QString inScope(const Request& r, const QString& column, tessera::Params& params) {
    return r.scope ? r.scope->condition(column, params) : QStringLiteral("1=0");
}

// The unit a new or moved customer goes to: the given one, else the caller's own; it must
// lie in the caller's write scope.
std::optional<tessera::FieldError> checkUnit(const Request& r, qint64& unitId) {
    if (!unitId && r.access) unitId = r.access->caller().unitId;
    if (!unitId) return tessera::FieldError{QStringLiteral("unitId"), QStringLiteral("is required (you have no own unit)")};
    if (!r.scope || !r.scope->contains(unitId))
        return tessera::FieldError{QStringLiteral("unitId"), QStringLiteral("unit %1 is not one you may add customers to").arg(unitId)};
    return std::nullopt;
}

QJsonObject toJson(const tessera::Row& row) {
    return QJsonObject{{QStringLiteral("id"), row.value(QStringLiteral("id")).toLongLong()},
                       {QStringLiteral("unitId"), row.value(QStringLiteral("unit_id")).toLongLong()},
                       {QStringLiteral("name"), row.value(QStringLiteral("name")).toString()},
                       {QStringLiteral("contact"), row.value(QStringLiteral("contact")).toString()},
                       {QStringLiteral("phone"), row.value(QStringLiteral("phone")).toString()},
                       {QStringLiteral("address"), row.value(QStringLiteral("address")).toString()},
                       {QStringLiteral("notes"), row.value(QStringLiteral("notes")).toString()},
                       {QStringLiteral("createdAt"), row.value(QStringLiteral("created_at")).toString()},
                       {QStringLiteral("updatedAt"), row.value(QStringLiteral("updated_at")).toString()},
                       {QStringLiteral("version"), row.value(QStringLiteral("version")).toLongLong()}};
}


Response storageError(Context& ctx, const tessera::Error& e) {
    ctx.log().error(QStringLiteral("database: %1").arg(e.message));
    return Response::storageFailure(e, QStringLiteral("the customer store could not be read or written"));
}

Response noSuchCustomer(const QString& id) {
    return Response::notFound(QStringLiteral("customer %1 does not exist").arg(id));
}

// The query parameters of the list and what summarises or exports it: the filters below,
// and each route's own (paging, format, months). Anything else is a 422 naming these.
const QStringList kFilterParams{QStringLiteral("q"), QStringLiteral("unit")};

QStringList knownParams(const QStringList& own) { return kFilterParams + own; }

// The WHERE clause of a list or an export from its query parameters: the caller's scope,
// narrowed to the unit picked in the tree (`unit`), and the search text (`q`).
QString listFilter(const Request& r, const tessera::Scope* scope, Context& ctx, tessera::Params& params,
                   QList<tessera::FieldError>& errors) {
    const QString q = r.queryValue(QStringLiteral("q")).trimmed();
    if (!q.isEmpty() && !ctx.feature(QStringLiteral("search")))
        errors.append({QStringLiteral("q"), QStringLiteral("search is switched off in this deployment")});
    if (q.size() > 100) errors.append({QStringLiteral("q"), QStringLiteral("at most 100 characters")});
    const qint64 unit = tessera::wholeNumberParam(r, QStringLiteral("unit"), 0, 1, std::numeric_limits<qint64>::max(), errors);
    if (!errors.isEmpty()) return {};
    const QString column = QStringLiteral("unit_id");
    QString where = QStringLiteral(" WHERE ") +
                    (!scope ? QStringLiteral("1=0") : unit ? scope->conditionWithin(column, unit, params) : scope->condition(column, params));
    if (!q.isEmpty()) {
        // LIKE with our own escape character, so % and _ in the search text match literally.
        params.push_back(tessera::likeContaining(q));
        where += QStringLiteral(" AND (name LIKE ?%1 ESCAPE '\\' OR contact LIKE ?%1 ESCAPE '\\' OR phone LIKE ?%1 ESCAPE '\\')")
                     .arg(params.size());
    }
    return where;
}

Response list(const Request& r, Context& ctx) {
    QList<tessera::FieldError> errors;
    tessera::refuseUnknownParams(r, knownParams({QStringLiteral("page"), QStringLiteral("size")}), errors);
    const qint64 maxSize = ctx.setting(QStringLiteral("max-page-size")).toLongLong();
    const qint64 page = tessera::wholeNumberParam(r, QStringLiteral("page"), 1, 1, 1'000'000'000, errors);
    const qint64 size = tessera::wholeNumberParam(r, QStringLiteral("size"), std::min(ctx.setting(QStringLiteral("page-size")).toLongLong(), maxSize), 1,
                                    maxSize, errors);
    tessera::Params params;
    const QString where = listFilter(r, r.scope, ctx, params, errors);
    if (!errors.isEmpty()) return Response::invalid(errors);
    auto total = ctx.database().queryOne(QStringLiteral("SELECT count(*) AS n FROM biz_customers") + where, params);
    if (!total) return storageError(ctx, total.error());
    tessera::Params pageParams = params;
    pageParams.push_back(size);
    pageParams.push_back((page - 1) * size);
    const QString limit = QStringLiteral(" ORDER BY id DESC LIMIT ?%1 OFFSET ?%2").arg(params.size() + 1).arg(params.size() + 2);
    auto rows = ctx.database().query(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM biz_customers") + where + limit,
                                     pageParams);
    if (!rows) return storageError(ctx, rows.error());
    QJsonArray items;
    for (const auto& row : *rows) items.append(toJson(row));
    return Response::json(QJsonObject{{QStringLiteral("items"), items},
                                      {QStringLiteral("page"), page},
                                      {QStringLiteral("size"), size},
                                      {QStringLiteral("total"), total->value(QStringLiteral("n")).toLongLong()}});
}

// POST customers/export?format=csv|xlsx&q=&unit=  exports the list as filtered, as a job.
// Reads in batches by id (newest first), so it never holds the list in memory nor locks
// writers out; a customer changed during the export shows as it was when its batch was read.
Response exportList(const Request& r, Context& ctx) {
    QList<tessera::FieldError> errors;
    tessera::refuseUnknownParams(r, knownParams({QStringLiteral("format")}), errors);
    const QString formatName = r.queryValue(QStringLiteral("format"), QStringLiteral("csv"));
    const auto format = tessera::TableFiles::formatNamed(formatName);
    if (!format) errors.append({QStringLiteral("format"), QStringLiteral("must be csv or xlsx, not '%1'").arg(formatName)});
    tessera::Params probe;
    (void)listFilter(r, r.scope, ctx, probe, errors);  // checks the filter now, so a bad one is a 422, not a failed job
    if (!errors.isEmpty()) return Response::invalid(errors);

    const Request filter = [&] {
        Request f;
        f.query = r.query;  // the job outlives the request: keep only what it needs
        return f;
    }();
    auto started = ctx.jobs().start(r, QStringLiteral("export"), QStringLiteral("导出客户 (%1)").arg(formatName),
                                [filter, format = *format, formatName](tessera::Job& job, Context& c) -> tessera::Result<QJsonObject> {
        QList<tessera::FieldError> ignored;
        tessera::Params params;
        const QString where = listFilter(filter, &job.access().scope(QStringLiteral("biz.customers.read")), c, params, ignored);
        auto total = c.database().queryOne(QStringLiteral("SELECT count(*) AS n FROM biz_customers") + where, params);
        if (!total) return total.error();
        job.setTotal(total->value(QStringLiteral("n")).toLongLong());
        auto path = job.outputFile(QStringLiteral("customers.") + formatName, tessera::TableFiles::mediaType(format));
        if (!path) return path.error();
        auto out = c.tables().create(*path, format, QStringLiteral("客户"));
        if (!out) return out.error();
        if (auto s = (*out)->row({QStringLiteral("编号"), QStringLiteral("客户名称"), QStringLiteral("所属单位编号"), QStringLiteral("联系人"),
                                  QStringLiteral("电话"), QStringLiteral("地址"), QStringLiteral("备注"), QStringLiteral("创建时间"),
                                  QStringLiteral("更新时间")}); !s)
            return s.error();
        constexpr qint64 kBatch = 1000;
        qint64 done = 0, after = std::numeric_limits<qint64>::max();
        for (;;) {
            if (job.cancelRequested()) return tessera::Error{QStringLiteral("job.cancelled"), QStringLiteral("cancelled after %1 rows").arg(done)};
            tessera::Params batch = params;
            batch.push_back(after);
            batch.push_back(kBatch);
            auto rows = c.database().query(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM biz_customers") + where +
                                               QStringLiteral(" AND id < ?%1 ORDER BY id DESC LIMIT ?%2").arg(params.size() + 1).arg(params.size() + 2),
                                           batch);
            if (!rows) return rows.error();
            for (const auto& row : *rows) {
                auto text = [&](const char* column) { return row.value(QLatin1String(column)).toString(); };
                if (auto s = (*out)->row({text("id"), text("name"), text("unit_id"), text("contact"), text("phone"), text("address"),
                                          text("notes"), text("created_at"), text("updated_at")});
                    !s)
                    return s.error();
                after = row.value(QStringLiteral("id")).toLongLong();
            }
            done += static_cast<qint64>(rows->size());
            job.setProgress(done, QStringLiteral("已导出 %1 行").arg(done));
            if (static_cast<qint64>(rows->size()) < kBatch) break;
        }
        if (auto s = (*out)->finish(); !s) return s.error();
        return QJsonObject{{QStringLiteral("rows"), done}, {QStringLiteral("format"), formatName}};
    });
    if (!started) return Response::error(503, QStringLiteral("Service Unavailable"), started.error().message);
    return tessera::Jobs::accepted(*started);
}

// GET customers/stats/monthly?months=12&q=&unit=  new customers per month (by created_at),
// the last `months` months up to this one, oldest first, months without any included.
Response monthlyStats(const Request& r, Context& ctx) {
    QList<tessera::FieldError> errors;
    tessera::refuseUnknownParams(r, knownParams({QStringLiteral("months")}), errors);
    const qint64 months = tessera::wholeNumberParam(r, QStringLiteral("months"), 12, 1, 120, errors);
    tessera::Params params;
    QString where = listFilter(r, r.scope, ctx, params, errors);
    if (!errors.isEmpty()) return Response::invalid(errors);
    const QDate thisMonth = ctx.clock().now().date();
    const QDate first(thisMonth.addMonths(static_cast<int>(1 - months)).year(), thisMonth.addMonths(static_cast<int>(1 - months)).month(), 1);
    params.push_back(first.toString(Qt::ISODate));
    where += QStringLiteral(" AND created_at >= ?%1").arg(params.size());
    auto rows = ctx.database().query(QStringLiteral("SELECT substr(created_at, 1, 7) AS month, count(*) AS n FROM biz_customers") + where +
                                         QStringLiteral(" GROUP BY substr(created_at, 1, 7)"),
                                     params);
    if (!rows) return storageError(ctx, rows.error());
    QHash<QString, qint64> counts;
    for (const auto& row : *rows) counts.insert(row.value(QStringLiteral("month")).toString(), row.value(QStringLiteral("n")).toLongLong());
    QJsonArray items;
    qint64 total = 0;
    for (QDate m = first; m <= thisMonth; m = m.addMonths(1)) {
        const QString key = m.toString(QStringLiteral("yyyy-MM"));
        const qint64 n = counts.value(key);
        total += n;
        items.append(QJsonObject{{QStringLiteral("key"), key}, {QStringLiteral("label"), key}, {QStringLiteral("value"), n}});
    }
    return Response::json(QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("total"), total}});
}

// One customer, if it exists and lies in the request's scope (else an empty row).
tessera::Result<tessera::Row> fetch(const Request& r, Context& ctx, qint64 id) {
    tessera::Params params{id};
    const QString scope = inScope(r, QStringLiteral("unit_id"), params);
    return ctx.database().queryOne(QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM biz_customers WHERE id = ?1 AND ") + scope,
                                   params);
}

Response get(const Request& r, Context& ctx) {
    const auto id = tessera::idParam(r);
    if (!id) return noSuchCustomer(r.param(QStringLiteral("id")));
    auto row = fetch(r, ctx, *id);
    if (!row) return storageError(ctx, row.error());
    if (row->isEmpty()) return noSuchCustomer(r.param(QStringLiteral("id")));
    return Response::json(toJson(*row)).withHeader("ETag", tessera::versionETag(row->value(QStringLiteral("version")).toLongLong()));
}

Response create(const Request& r, Context& ctx) {
    CustomerInput in;
    auto errors = readCustomer(r.body, in);
    if (auto unitError = checkUnit(r, in.unitId)) errors.append(*unitError);
    if (!errors.isEmpty()) return Response::invalid(errors);
    const QString now = ctx.clock().now().toString(Qt::ISODateWithMs);
    qint64 id = 0;
    tessera::Status s = ctx.database().transaction([&]() -> tessera::Status {
        auto w = ctx.database().execute(
            QStringLiteral("INSERT INTO biz_customers(unit_id, name, contact, phone, address, notes, created_at, updated_at, version) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, 1)"),
            {in.unitId, in.name, in.contact, in.phone, in.address, in.notes, now});
        if (!w) return w.error();
        id = w->lastInsertId;
        return ctx.events().publish(QStringLiteral("biz.customer.created"), QJsonObject{{QStringLiteral("id"), id}});
    });
    if (!s) return storageError(ctx, s.error());
    auto row = fetch(r, ctx, id);
    if (!row || row->isEmpty()) return storageError(ctx, row ? tessera::Error{QStringLiteral("db.gone"), QStringLiteral("row vanished")} : row.error());
    return Response::created(toJson(*row))
        .withHeader("Location", QStringLiteral("/api/v1/biz.customers/customers/%1").arg(id).toUtf8())
        .withHeader("ETag", tessera::versionETag(1));
}

Response update(const Request& r, Context& ctx) {
    const auto id = tessera::idParam(r);
    if (!id) return noSuchCustomer(r.param(QStringLiteral("id")));
    CustomerInput in;
    auto errors = readCustomer(r.body, in);
    // The customer must be in scope before anything about it is revealed.
    auto existing = fetch(r, ctx, *id);
    if (!existing) return storageError(ctx, existing.error());
    if (existing->isEmpty()) return noSuchCustomer(r.param(QStringLiteral("id")));
    if (!in.unitId) in.unitId = existing->value(QStringLiteral("unit_id")).toLongLong();
    else if (auto unitError = checkUnit(r, in.unitId)) errors.append(*unitError);
    // The version the client edited: If-Match wins (412 when stale), else the body's (409).
    const auto matched = tessera::ifMatchVersion(r);
    std::optional<qint64> expected = matched;
    const QJsonValue bodyVersion = r.body.isObject() ? r.body.toObject().value(QStringLiteral("version")) : QJsonValue();
    if (matched && *matched < 0) errors.append({QStringLiteral("If-Match"), QStringLiteral("must be an ETag from GET, like \"3\"")});
    if (!expected && !bodyVersion.isUndefined()) {
        if (!bodyVersion.isDouble() || bodyVersion.toDouble() < 1 || bodyVersion.toDouble() != double(bodyVersion.toInteger()))
            errors.append({QStringLiteral("version"), QStringLiteral("must be the whole-number version you read")});
        else
            expected = bodyVersion.toInteger();
    }
    if (!errors.isEmpty()) return Response::invalid(errors);
    if (!expected) {
        return Response::error(428, QStringLiteral("Precondition Required"),
                               QStringLiteral("send If-Match with the ETag you read, or the \"version\" field, so a "
                                              "concurrent change is never overwritten"));
    }
    const QString now = ctx.clock().now().toString(Qt::ISODateWithMs);
    bool stale = false, missing = false;
    qint64 current = 0;
    tessera::Status s = ctx.database().transaction([&]() -> tessera::Status {
        auto w = ctx.database().execute(
            QStringLiteral("UPDATE biz_customers SET name = ?1, contact = ?2, phone = ?3, address = ?4, notes = ?5, "
                           "updated_at = ?6, version = version + 1, unit_id = ?9 WHERE id = ?7 AND version = ?8"),
            {in.name, in.contact, in.phone, in.address, in.notes, now, *id, *expected, in.unitId});
        if (!w) return w.error();
        if (w->changes == 1)
            return ctx.events().publish(QStringLiteral("biz.customer.updated"), QJsonObject{{QStringLiteral("id"), *id}});
        auto row = ctx.database().queryOne(QStringLiteral("SELECT version FROM biz_customers WHERE id = ?1"), {*id});
        if (!row) return row.error();
        missing = row->isEmpty();
        stale = !missing;
        current = row->value(QStringLiteral("version")).toLongLong();
        return {};
    });
    if (!s) return storageError(ctx, s.error());
    if (missing) return noSuchCustomer(r.param(QStringLiteral("id")));
    if (stale) {
        return Response::error(matched ? 412 : 409, matched ? QStringLiteral("Precondition Failed") : QStringLiteral("Conflict"),
                               QStringLiteral("customer %1 was changed by someone else (you edited version %2, it is now "
                                              "version %3); reload it and apply your change again")
                                   .arg(*id).arg(*expected).arg(current))
            .withHeader("ETag", tessera::versionETag(current));
    }
    auto row = fetch(r, ctx, *id);
    if (!row || row->isEmpty()) return noSuchCustomer(r.param(QStringLiteral("id")));
    return Response::json(toJson(*row)).withHeader("ETag", tessera::versionETag(row->value(QStringLiteral("version")).toLongLong()));
}

Response remove(const Request& r, Context& ctx) {
    const auto id = tessera::idParam(r);
    if (!id) return noSuchCustomer(r.param(QStringLiteral("id")));
    const auto matched = tessera::ifMatchVersion(r);
    if (matched && *matched < 0) return Response::invalid({{QStringLiteral("If-Match"), QStringLiteral("must be an ETag from GET, like \"3\"")}});
    bool missing = false, stale = false;
    qint64 current = 0;
    // The version is read and the row deleted in one writing transaction (which holds the
    // write lock from its start), and the DELETE itself names the version it checked: a
    // change committed between the check and the delete cannot be deleted unseen.
    tessera::Status s = ctx.database().transaction([&]() -> tessera::Status {
        auto row = fetch(r, ctx, *id);
        if (!row) return row.error();
        if (row->isEmpty()) return missing = true, tessera::Status();
        current = row->value(QStringLiteral("version")).toLongLong();
        if (matched && *matched != current) return stale = true, tessera::Status();
        auto w = ctx.database().execute(QStringLiteral("DELETE FROM biz_customers WHERE id = ?1 AND version = ?2"), {*id, current});
        if (!w) return w.error();
        if (w->changes != 1) return tessera::Error{QStringLiteral("db.changed"), QStringLiteral("customer %1 changed while it was deleted").arg(*id)};
        return ctx.events().publish(QStringLiteral("biz.customer.deleted"), QJsonObject{{QStringLiteral("id"), *id}});
    });
    if (!s) return storageError(ctx, s.error());
    if (missing) return noSuchCustomer(r.param(QStringLiteral("id")));
    if (stale)
        return Response::error(412, QStringLiteral("Precondition Failed"),
                               QStringLiteral("customer %1 is now version %2, not the one you read; reload before deleting")
                                   .arg(*id).arg(current));
    return Response::noContent();
}

class CustomersModule final : public tessera::Module {
public:
    void declare(tessera::Declarations& d) override {
        const QString read = QStringLiteral("biz.customers.read"), write = QStringLiteral("biz.customers.write");
        d.route(Method::Get, QStringLiteral("customers"), list, read);
        d.route(Method::Get, QStringLiteral("customers/{id}"), get, read);
        d.route(Method::Post, QStringLiteral("customers/export"), exportList, read);
        d.route(Method::Get, QStringLiteral("customers/stats/monthly"), monthlyStats, read);
        d.route(Method::Post, QStringLiteral("customers"), create, write);
        d.route(Method::Put, QStringLiteral("customers/{id}"), update, write);
        d.route(Method::Delete, QStringLiteral("customers/{id}"), remove, write);
        // Home page: customers of the user's own unit that cannot be phoned.
        d.reminders(read, [](qint64 unitId, const QDate&, Context& ctx) -> tessera::Result<std::vector<tessera::Reminder>> {
            std::vector<tessera::Reminder> out;
            if (!ctx.setting(QStringLiteral("remind-missing-phone")).toBool()) return out;
            auto n = ctx.database().queryOne(
                QStringLiteral("SELECT count(*) AS n FROM biz_customers WHERE unit_id = ?1 AND phone = ''"), {unitId});
            if (!n) return n.error();
            if (const qint64 count = n->value(QStringLiteral("n")).toLongLong(); count > 0)
                out.push_back({QStringLiteral("%1 个客户缺少联系电话 (%1 customers have no phone number)").arg(count),
                               QStringLiteral("info"), QStringLiteral("/m/biz.customers/customers"), {}});
            return out;
        });
        d.unitUsage(read, [](qint64 unitId, Context& ctx) -> tessera::Result<QString> {
            auto n = ctx.database().queryOne(QStringLiteral("SELECT count(*) AS n FROM biz_customers WHERE unit_id = ?1"), {unitId});
            if (!n) return n.error();
            const qint64 count = n->value(QStringLiteral("n")).toLongLong();
            return count ? QStringLiteral("%1 customer(s)").arg(count) : QString();
        });
    }
};

}  // namespace

}  // namespace biz::customers

TESSERA_MODULE(biz::customers::CustomersModule)
