#include "app/report_routes.hpp"

#include "runtime/content_disposition.hpp"
#include "runtime/language.hpp"
#include "runtime/messages.hpp"
#include "runtime/storage_error.hpp"

#include <tessera/params.hpp>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QUuid>

#include <algorithm>

namespace tessera::host {

namespace {

using tessera::Request;
using tessera::Response;

QString cellText(const QJsonValue& v, Language language) {
    if (v.isString()) return v.toString();
    if (v.isBool()) return messages().render(v.toBool() ? tessera::text("yes") : tessera::text("no"), language);
    if (v.isDouble()) {
        const double d = v.toDouble();
        const qint64 whole = v.toInteger();
        return static_cast<double>(whole) == d ? QString::number(whole) : QString::number(d, 'g', 15);
    }
    return {};
}

// A worksheet's name: at most 31 characters, none of []:*?/\ (Excel's rules).
QString sheetName(QString name) {
    for (QChar& c : name)
        if (QStringView(u"[]:*?/\\").contains(c)) c = u'_';
    return name.left(31).isEmpty() ? QStringLiteral("Sheet1") : name.left(31);
}

// A file name from a title: no path separators or characters file systems refuse.
QString fileName(QString title, tessera::TableFormat format) {
    for (QChar& c : title)
        if (QStringView(u"/\\:*?\"<>|").contains(c) || c.unicode() < 0x20) c = u'_';
    return title.trimmed() + (format == tessera::TableFormat::Csv ? QStringLiteral(".csv") : QStringLiteral(".xlsx"));
}

Response exportReport(const Request& r, const ReportDecl& report, const QString& pluginId, const tessera::Handler& handler,
                      tessera::Context& context, tessera::TableFiles& tables, const QString& workDir) {
    const QString formatName = r.queryValue(QStringLiteral("format"), QStringLiteral("xlsx"));
    const auto format = tessera::TableFiles::formatNamed(formatName);
    if (!format) return Response::invalid({{QStringLiteral("format"), tessera::text("must be csv or xlsx, not '%1'", formatName)}});
    // The plugin answers with the caller's own rights and parameters: what the page shows.
    Request inner = r;
    inner.query.remove(QStringLiteral("format"));
    inner.path = QStringLiteral("/api/v1/%1/%2").arg(pluginId, report.resource);
    inner.pathParams.clear();
    const Response answer = handler(inner, context);
    if (answer.status != 200) return answer;
    // The plugin's texts said in the caller's language, as the server does for a JSON answer.
    const Language language = preferredLanguage(r.header("accept-language"));
    const QJsonObject body = messages().render(answer.body, language).toObject();
    const QJsonValue items = body.value(QStringLiteral("items"));
    if (!items.isArray())
        return Response::error(500, tessera::text("Internal Server Error"),
                               tessera::text("the report %1 of %2 answered no items", report.id, pluginId));
    const bool english = language == Language::En;
    const QString label = english ? report.label.en : report.label.zhCN;
    const QString title = body.value(QStringLiteral("title")).toString(label);

    QDir().mkpath(workDir);
    const QString path = QDir(workDir).filePath(QStringLiteral("report-%1.%2").arg(QUuid::createUuid().toString(QUuid::Id128), formatName));
    auto writer = tables.create(path, *format, sheetName(label));
    if (!writer) return Response::storageFailure(writer.error(), tessera::text("the report could not be written"));
    QStringList header;
    QSet<qsizetype> numbers;
    for (qsizetype c = 0; c < qsizetype(report.columns.size()); ++c) {
        const auto& column = report.columns[std::size_t(c)];
        header << (english ? column.label.en : column.label.zhCN);
        if (column.kind != ReportColumnKind::Text) numbers.insert(c);
    }
    (*writer)->setNumberColumns(numbers);
    auto write = [&](const QJsonObject& item, bool totals) {
        QStringList cells;
        for (const auto& column : report.columns) cells << cellText(item.value(column.field), language);
        if (totals && !cells.isEmpty() && cells.front().isEmpty()) cells.front() = messages().render(tessera::text("total"), language);
        return (*writer)->row(cells);
    };
    Status written = (*writer)->row(header);
    for (const QJsonValue& item : items.toArray())
        if (written) written = write(item.toObject(), false);
    if (written && body.value(QStringLiteral("total")).isObject()) written = write(body.value(QStringLiteral("total")).toObject(), true);
    if (written) written = (*writer)->finish();
    if (!written) {
        QFile::remove(path);
        return Response::storageFailure(written.error(), tessera::text("the report could not be written"));
    }
    QFile file(path);
    QByteArray bytes;
    if (file.open(QIODevice::ReadOnly)) bytes = file.readAll();
    const bool read = file.error() == QFileDevice::NoError;
    file.close();
    QFile::remove(path);
    if (!read) return Response::error(500, tessera::text("Internal Server Error"), tessera::text("the report could not be read back"));
    return Response::raw(std::move(bytes), tessera::TableFiles::mediaType(*format))
        .withHeader("Content-Disposition", contentDisposition(fileName(title, *format)));
}

}  // namespace

std::vector<RecordRoute> reportRoutes(const Runtime& runtime, tessera::TableFiles& tables, const QString& workDir, QStringList& problems) {
    std::vector<RecordRoute> routes;
    const std::vector<DeclaredRoute> declared = runtime.routes();
    for (const PluginSpec& spec : runtime.plugins()) {
        if (spec.state != PluginState::Started || !spec.manifest) continue;
        for (const ReportDecl& report : spec.manifest->reports) {
            const auto served = std::find_if(declared.begin(), declared.end(), [&](const DeclaredRoute& d) {
                return d.pluginId == spec.id && d.route.method == tessera::Method::Get && d.route.pattern == report.resource;
            });
            if (served == declared.end()) {
                problems << QStringLiteral("%1: report %2 is not exported: the plugin serves no GET %3")
                                .arg(spec.id, report.id, report.resource);
                continue;
            }
            HostRoute route{tessera::Method::Get, QStringLiteral("/api/v1/reports/%1/%2/export").arg(spec.id, report.id),
                            served->route.permission,
                            [&tables, workDir, report, pluginId = spec.id, handler = served->route.handler, context = served->context](
                                const Request& r) { return exportReport(r, report, pluginId, handler, *context, tables, workDir); }};
            routes.push_back({spec.id, std::move(route)});
        }
    }
    return routes;
}

}  // namespace tessera::host
