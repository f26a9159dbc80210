#pragma once
// Imports of party organisations from CSV or Excel files, as jobs (members and applicants
// are imported by the host's record engine).
//
// The whole file is read and checked row by row inside one bulk transaction; every row with
// a problem is reported (row, column, reason) and, when there is any (or on a dry run),
// everything is rolled back: an import is all or nothing, and a dry run says exactly what
// the real one would do. Organisations are matched by their code: a new key creates a record, a known one updates the columns the
// file has, and a row equal to what is stored changes nothing, so importing the same file
// twice changes nothing the second time.

#include "table_columns.hpp"

#include <tessera/context.hpp>
#include <tessera/jobs.hpp>
#include <tessera/table_files.hpp>

#include <QJsonObject>

namespace party::daily {

struct ImportFile {
    QString path;
    QString name;  // as uploaded, for the audit log and the job's title
    tessera::TableFormat format = tessera::TableFormat::Csv;
    bool dryRun = false;
};

/// The job's work. Its result: {dryRun, committed, file, sheet (of an .xlsx), rows, created,
/// updated, unchanged, errorCount, errors: [{row, column, field, reason}], warningCount,
/// warnings (the same; they do not stop the import)}, each list the first kReportedErrors;
/// with errors, the job's output file errors.csv lists them all.
tessera::Result<QJsonObject> runImport(const ImportFile& file, const Dictionaries& dictionaries, tessera::Job& job,
                                       tessera::Context& ctx);

/// POST orgs/import {"file": upload id, "dryRun": bool}: checks the request and starts the
/// job (202), or answers 422 naming what is wrong.
tessera::Response startImport(const tessera::Request& r, tessera::Context& ctx, const Dictionaries& dictionaries);

inline constexpr int kReportedErrors = 200;

}  // namespace party::daily
