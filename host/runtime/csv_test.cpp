#include "runtime/csv.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

using tessera::host::CsvTable;
using tessera::host::parseCsv;

namespace {

// The records as "line: field|field|...", and the problems as "line! message".
std::vector<std::string> read(const QByteArray& csv) {
    const CsvTable table = parseCsv(csv);
    std::vector<std::string> out;
    for (const auto& r : table.records) out.push_back(std::to_string(r.line) + ": " + r.fields.join(u'|').toStdString());
    for (const auto& p : table.problems) out.push_back(std::to_string(p.line) + "! " + tessera::test::english(p.message).toStdString());
    return out;
}

using Lines = std::vector<std::string>;

}  // namespace

TEST(Csv, ReadsPlainRecords) {
    EXPECT_EQ(read("a,b,c\n1,2,3\n"), (Lines{"1: a|b|c", "2: 1|2|3"}));
    EXPECT_EQ(read("a,b\n1,2"), (Lines{"1: a|b", "2: 1|2"}));  // no line break at the end
    EXPECT_EQ(read(""), Lines{});
}

TEST(Csv, AcceptsCrLfAndSkipsEmptyLinesAndTheBom) {
    EXPECT_EQ(read("\xEF\xBB\xBF" "code,en\r\n\r\n\n1,One\r\n"), (Lines{"1: code|en", "4: 1|One"}));
}

TEST(Csv, KeepsEmptyFieldsAndSpaces) {
    EXPECT_EQ(read(",a,\n x , y \n,\n"), (Lines{"1: |a|", "2:  x | y ", "3: |"}));
    EXPECT_EQ(read("a,"), (Lines{"1: a|"}));
}

TEST(Csv, ReadsQuotedFieldsWithCommasQuotesAndLineBreaks) {
    EXPECT_EQ(read("\"a,b\",\"say \"\"hi\"\"\",\"\"\n"), (Lines{"1: a,b|say \"hi\"|"}));
    EXPECT_EQ(read("1,\"two\nlines\",x\n2,y,z\n"), (Lines{"1: 1|two\nlines|x", "3: 2|y|z"}));
    EXPECT_EQ(read("\"\"\"\"\r\n"), (Lines{"1: \""}));
    EXPECT_EQ(read("\"中文\",汉字\n"), (Lines{"1: 中文|汉字"}));
}

TEST(Csv, ReportsBadQuotesAndGoesOn) {
    EXPECT_EQ(read("a\"b,c\nok,1\n"),
              (Lines{"2: ok|1",
                     "1! quote inside an unquoted field (put the field in quotes and write the quote as \"\")"}));
    EXPECT_EQ(read("\"a\"b,c\nok,1\n"),
              (Lines{"2: ok|1", "1! unexpected text after a closing quote (write \"\" for a quote inside a quoted field)"}));
    EXPECT_EQ(read("ok,1\n\"never\nclosed,2\n"), (Lines{"1: ok|1", "2! quoted field is not closed: a \" is missing"}));
}

TEST(Csv, CountsLinesInsideQuotedFieldsForLaterProblems) {
    EXPECT_EQ(read("\"a\nb\nc\"x\n"),
              (Lines{"3! unexpected text after a closing quote (write \"\" for a quote inside a quoted field)"}));
}

TEST(Csv, RefusesTextThatIsNotUtf8) {
    EXPECT_EQ(read("a,b\nc,\xc3\x28\n"), (Lines{"2! not valid UTF-8 text"}));
    EXPECT_EQ(read("\xfe"), (Lines{"1! not valid UTF-8 text"}));
}
