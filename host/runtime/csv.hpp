#pragma once
// A small CSV reader (RFC 4180) for the data files plugins ship, such as dictionaries:
// fields separated by ',', records by LF or CRLF; a field in double quotes may hold ',',
// line breaks and "" (one quote character). Internal to runtime/.

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <vector>

namespace tessera::host {

struct CsvRecord {
    int line = 0;  // 1-based line the record starts on
    QStringList fields;
};

struct CsvProblem {
    int line = 0;  // 1-based
    QString message;
};

struct CsvTable {
    std::vector<CsvRecord> records;    // the good records, in file order
    std::vector<CsvProblem> problems;  // in line order; a record with a problem is left out
};

/// Parses UTF-8 CSV text. A leading UTF-8 byte order mark is skipped and empty lines are
/// ignored; fields are kept exactly as written (no trimming). Problems: text that is not
/// UTF-8 (then nothing is read), a quote inside an unquoted field, text after a closing
/// quote, and a quoted field that never ends.
CsvTable parseCsv(const QByteArray& utf8);

}  // namespace tessera::host
