#include "exports.hpp"

#include "org.hpp"

#include <tessera/access.hpp>
#include <tessera/jobs.hpp>

#include <QJsonObject>

#include <functional>

namespace party::daily {

namespace {

using tessera::Context;
using tessera::Status;

const QString kRead = QStringLiteral("party.daily.read");
constexpr qint64 kBatch = 1000;

class Exporter {
public:
    Exporter(const tessera::Request& filter, const ListQuery& query, const Dictionaries& dictionaries, tessera::Job& job,
             Context& ctx)
        : filter_(filter), query_(query), dictionaries_(dictionaries), cells_(dictionaries), job_(job), ctx_(ctx),
          spec_(orgFields()), columns_(orgColumns()) {
        for (const FieldSpec& f : spec_) specOf_.insert(f.json, &f);
    }

    tessera::Result<QJsonObject> run(tessera::TableFormat format, const QString& formatName) {
        QList<tessera::FieldError> ignored;  // checked when the job was started
        where_ = listFilter(filter_, &job_.access().scope(kRead), query_, dictionaries_, params_, ignored);
        auto total = ctx_.database().queryOne(QStringLiteral("SELECT count(*) AS n FROM %1").arg(query_.table) + where_, params_);
        if (!total) return total.error();
        job_.setTotal(total->value(QStringLiteral("n")).toLongLong());
        if (auto s = loadOrgNames(); !s) return s.error();
        auto path = job_.outputFile(QStringLiteral("orgs.") + formatName, tessera::TableFiles::mediaType(format));
        if (!path) return path.error();
        auto out = ctx_.tables().create(*path, format, QStringLiteral("党组织"));
        if (!out) return out.error();
        writer_ = out->get();
        QStringList header;
        QSet<qsizetype> dates;
        for (const TableColumn& c : columns_) {
            if (const FieldSpec* f = specOf_.value(c.json); f && f->kind == Kind::Date) dates.insert(header.size());
            header << c.header;
        }
        writer_->setDateColumns(dates);
        if (auto s = writer_->row(header); !s) return s.error();
        if (auto s = orgs(); !s) return s.error();
        if (auto s = writer_->finish(); !s) return s.error();
        return QJsonObject{{QStringLiteral("rows"), done_}, {QStringLiteral("format"), formatName}};
    }

private:
    // Organisations are named by their code, or by their full name when they have none. Only
    // those the caller may read are loaded: a parent outside their scope is written as an
    // empty cell, which the import reads as "stays where it is" (or, for a new organisation,
    // "under the importer's own unit"), so the file names nothing the caller cannot see and
    // still imports again unchanged.
    Status loadOrgNames() {
        tessera::Params params;
        const QString inScope = job_.access().scope(kRead).condition(QStringLiteral("unit_id"), params);
        auto rows = ctx_.database().query(QStringLiteral("SELECT unit_id, code, full_name FROM party_orgs WHERE ") + inScope, params);
        if (!rows) return rows.error();
        for (const auto& r : *rows) {
            const QString code = r.value(QStringLiteral("code")).toString();
            orgName_.insert(r.value(QStringLiteral("unit_id")).toLongLong(), code.isEmpty() ? r.value(QStringLiteral("full_name")).toString() : code);
        }
        return {};
    }

    Status writeRecord(const tessera::Row& row, qint64 unitRef) {
        QStringList cells;
        for (const TableColumn& c : columns_) {
            if (c.json == QLatin1String("unitId") || c.json == QLatin1String("parentId")) {
                cells << orgName_.value(unitRef);
                continue;
            }
            const FieldSpec* f = specOf_.value(c.json);
            const QVariant v = f ? row.value(f->column) : QVariant();
            switch (f ? f->kind : Kind::Text) {
            case Kind::Code: cells << (v.toString().isEmpty() ? QString() : cells_.label(f->dictionary, v.toString())); break;
            case Kind::Bool: cells << (v.toLongLong() ? QStringLiteral("是") : QStringLiteral("否")); break;
            default: cells << v.toString();
            }
        }
        if (auto s = writer_->row(cells); !s) return s;
        if (++done_ % kBatch == 0) {
            if (job_.cancelRequested()) return tessera::Error{QStringLiteral("job.cancelled"), tessera::text("cancelled after %1 rows", done_)};
            job_.setProgress(done_, QStringLiteral("已导出 %1 行").arg(done_));
        }
        return {};
    }

    // Organisations parents first (so the file imports in one pass), siblings in pinyin order.
    Status orgs() {
        auto rows = ctx_.database().query(QStringLiteral("SELECT * FROM party_orgs") + where_ + QStringLiteral(" ORDER BY name_key, unit_id"), params_);
        if (!rows) return rows.error();
        QHash<qint64, qint64> parentOf;
        QHash<qint64, std::vector<std::size_t>> children;
        for (std::size_t i = 0; i < rows->size(); ++i) {
            const qint64 id = (*rows)[i].value(QStringLiteral("unit_id")).toLongLong();
            auto unit = ctx_.units().get(id);
            if (!unit) return unit.error();
            parentOf.insert(id, unit->parentId);
        }
        std::vector<std::size_t> tops;
        for (std::size_t i = 0; i < rows->size(); ++i) {
            const qint64 parent = parentOf.value((*rows)[i].value(QStringLiteral("unit_id")).toLongLong());
            if (parentOf.contains(parent)) children[parent].push_back(i);
            else tops.push_back(i);
        }
        std::function<Status(std::size_t)> visit = [&](std::size_t i) -> Status {
            const qint64 id = (*rows)[i].value(QStringLiteral("unit_id")).toLongLong();
            if (auto s = writeRecord((*rows)[i], parentOf.value(id)); !s) return s;
            for (std::size_t child : children.value(id))
                if (auto s = visit(child); !s) return s;
            return {};
        };
        for (std::size_t i : tops)
            if (auto s = visit(i); !s) return s;
        job_.setProgress(done_, QStringLiteral("已导出 %1 行").arg(done_));
        return {};
    }

    const tessera::Request& filter_;
    const ListQuery& query_;
    const Dictionaries& dictionaries_;
    CellReader cells_;
    tessera::Job& job_;
    Context& ctx_;
    const std::vector<FieldSpec> spec_;
    const std::vector<TableColumn>& columns_;
    QHash<QString, const FieldSpec*> specOf_;
    QHash<qint64, QString> orgName_;
    QString where_;
    tessera::Params params_;
    tessera::TableWriter* writer_ = nullptr;
    qint64 done_ = 0;
};

}  // namespace

tessera::Response startExport(const tessera::Request& r, Context& ctx, const ListQuery& query, const Dictionaries& dictionaries) {
    QList<tessera::FieldError> errors;
    const QString formatName = r.queryValue(QStringLiteral("format"), QStringLiteral("csv"));
    const auto format = tessera::TableFiles::formatNamed(formatName);
    if (!format) errors.append({QStringLiteral("format"), tessera::text("must be csv or xlsx, not '%1'", formatName)});
    tessera::Params probe;
    (void)listFilter(r, r.scope, query, dictionaries, probe, errors);
    if (!errors.isEmpty()) return tessera::Response::invalid(errors);
    tessera::Request filter;
    filter.query = r.query;  // the job outlives the request: keep only what it needs
    const QString title = QStringLiteral("导出党组织 (%1)").arg(formatName);
    auto started = ctx.jobs().start(r, QStringLiteral("export"), title,
                                    [filter, query, dictionaries, format = *format, formatName](tessera::Job& job, Context& c) {
                                        return Exporter(filter, query, dictionaries, job, c).run(format, formatName);
                                    });
    if (!started) return tessera::Response::error(503, tessera::text("Service Unavailable"), started.error().message);
    return tessera::Jobs::accepted(*started);
}

}  // namespace party::daily
