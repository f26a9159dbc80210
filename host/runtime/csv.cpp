#include "runtime/csv.hpp"

#include <tessera/text.hpp>

#include <QStringDecoder>

#include <optional>

namespace tessera::host {

namespace {

// Decodes UTF-8 without a byte order mark; on invalid input returns nullopt and the line of
// the first bad byte sequence.
std::optional<QString> decodeUtf8(QByteArray bytes, int& badLine) {
    if (bytes.startsWith("\xEF\xBB\xBF")) bytes.remove(0, 3);
    QStringDecoder whole(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = whole.decode(bytes);
    if (!whole.hasError()) return text;
    const QList<QByteArray> lines = bytes.split('\n');
    badLine = 1;
    for (const QByteArray& line : lines) {
        QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        (void)QString(decoder.decode(line));
        if (decoder.hasError()) return std::nullopt;
        ++badLine;
    }
    badLine = 0;  // not reached: some line has the error
    return std::nullopt;
}

class CsvParser {
public:
    explicit CsvParser(const QString& text) : s_(text) {}

    CsvTable parse() {
        while (i_ < s_.size()) {
            if (atLineEnd()) {  // an empty line
                skipLineEnd();
                continue;
            }
            readRecord();
        }
        return std::move(table_);
    }

private:
    bool atLineEnd() const {
        return s_[i_] == u'\n' || (s_[i_] == u'\r' && i_ + 1 < s_.size() && s_[i_ + 1] == u'\n');
    }
    void skipLineEnd() {
        i_ += s_[i_] == u'\r' ? 2 : 1;
        ++line_;
    }
    // After a problem: drop the rest of the physical line.
    void skipRestOfLine() {
        while (i_ < s_.size() && s_[i_] != u'\n') ++i_;
        if (i_ < s_.size()) {
            ++i_;
            ++line_;
        }
    }
    void problem(int line, const QString& message) { table_.problems.push_back({line, message}); }

    void readRecord() {
        CsvRecord record;
        record.line = line_;
        while (true) {
            QString field;
            if (s_[i_] == u'"') {
                const int start = line_;
                ++i_;
                bool closed = false;
                while (i_ < s_.size()) {
                    const QChar c = s_[i_++];
                    if (c == u'"') {
                        if (i_ < s_.size() && s_[i_] == u'"') {
                            field += u'"';
                            ++i_;
                        } else {
                            closed = true;
                            break;
                        }
                    } else {
                        if (c == u'\n') ++line_;
                        field += c;
                    }
                }
                if (!closed) {
                    problem(start, tessera::text("quoted field is not closed: a \" is missing"));
                    return;
                }
                if (i_ < s_.size() && s_[i_] != u',' && !atLineEnd()) {
                    problem(line_, tessera::text("unexpected text after a closing quote (write \"\" for a "
                                                 "quote inside a quoted field)"));
                    skipRestOfLine();
                    return;
                }
            } else {
                const qsizetype start = i_;  // taken whole at its end: one allocation per field
                while (i_ < s_.size() && s_[i_] != u',' && !atLineEnd()) {
                    if (s_[i_] == u'"') {
                        problem(line_, tessera::text("quote inside an unquoted field (put the field in quotes "
                                                     "and write the quote as \"\")"));
                        skipRestOfLine();
                        return;
                    }
                    ++i_;
                }
                field = s_.mid(start, i_ - start);
            }
            record.fields.append(field);
            if (i_ >= s_.size()) break;
            if (s_[i_] == u',') {
                ++i_;
                if (i_ >= s_.size()) {  // "a," at the very end: a last, empty field
                    record.fields.append(QString());
                    break;
                }
                continue;
            }
            skipLineEnd();
            break;
        }
        table_.records.push_back(std::move(record));
    }

    const QString& s_;
    qsizetype i_ = 0;
    int line_ = 1;
    CsvTable table_;
};

}  // namespace

CsvTable parseCsv(const QByteArray& utf8) {
    int badLine = 0;
    const auto text = decodeUtf8(utf8, badLine);
    if (!text) {
        CsvTable table;
        table.problems.push_back({badLine, tessera::text("not valid UTF-8 text")});
        return table;
    }
    return CsvParser(*text).parse();
}

}  // namespace tessera::host
