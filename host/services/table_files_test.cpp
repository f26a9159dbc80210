// Table files: what the writers write, the readers read back; bad rows are reported with
// their line and reading goes on; big CSVs are read in chunks without cutting a record.

#include "services/table_files.hpp"

#include "test_support.hpp"

#include <QFile>
#include <QFileInfo>

#include <gtest/gtest.h>
#include <zip.h>

#include <sys/stat.h>

using tessera::TableFormat;
using tessera::host::HostTableFiles;
using tessera::test::english;
using tessera::test::TempDir;

namespace {

struct ReadBack {
    std::vector<tessera::TableRow> rows;
    QStringList problems;
};

ReadBack readAll(const QString& path, TableFormat format) {
    HostTableFiles files;
    ReadBack out;
    auto reader = files.open(path, format);
    // Problems and unreadable cells as an English reader reads them.
    if (!reader) {
        out.problems << english(reader.error().message);
        return out;
    }
    for (;;) {
        auto row = (*reader)->next();
        if (!row) {
            out.problems << english(row.error().message);
            continue;
        }
        if (!*row) break;
        for (auto it = (*row)->unreadable.begin(); it != (*row)->unreadable.end(); ++it) *it = english(*it);
        out.rows.push_back(**row);
    }
    return out;
}

const std::vector<QStringList> kTable{
    {QStringLiteral("姓名"), QStringLiteral("公民身份号码"), QStringLiteral("备注")},
    {QStringLiteral("张三"), QStringLiteral("11010519491231002X"), QStringLiteral("带逗号, \"引号\"\n和换行")},
    {QStringLiteral("李四"), QString(), QStringLiteral("=1+2")},
};

void write(const QString& path, TableFormat format) {
    HostTableFiles files;
    auto writer = files.create(path, format, QStringLiteral("党员"));
    ASSERT_TRUE(writer) << english(writer.error().message).toStdString();
    for (const auto& row : kTable) ASSERT_TRUE((*writer)->row(row));
    ASSERT_TRUE((*writer)->finish());
}

}  // namespace

TEST(TableFiles, CsvRoundTripsQuotesCommasLineBreaksAndGuardsFormulas) {
    TempDir dir;
    const QString path = dir.file(QStringLiteral("t.csv"));
    write(path, TableFormat::Csv);
    const ReadBack back = readAll(path, TableFormat::Csv);
    ASSERT_TRUE(back.problems.isEmpty()) << back.problems.join(QLatin1Char('\n')).toStdString();
    ASSERT_EQ(back.rows.size(), 3U);
    EXPECT_EQ(back.rows[0].cells, kTable[0]) << "the byte order mark is not part of the first cell";
    EXPECT_EQ(back.rows[1].cells, kTable[1]);
    EXPECT_EQ(back.rows[2].cells, (QStringList{QStringLiteral("李四"), QString(), QStringLiteral("=1+2")}))
        << "the ' written before a formula-like cell (so a spreadsheet shows it as text) goes again on reading";
    QFile raw(path);
    ASSERT_TRUE(raw.open(QIODevice::ReadOnly));
    EXPECT_TRUE(raw.readAll().contains("'=1+2")) << "the file has the guard";
    EXPECT_EQ(back.rows[1].line, 2);
    EXPECT_EQ(back.rows[2].line, 4) << "the note of row 2 spans two lines";
}

TEST(TableFiles, XlsxRoundTripsTheFirstSheet) {
    TempDir dir;
    const QString path = dir.file(QStringLiteral("t.xlsx"));
    write(path, TableFormat::Xlsx);
    const ReadBack back = readAll(path, TableFormat::Xlsx);
    ASSERT_TRUE(back.problems.isEmpty()) << back.problems.join(QLatin1Char('\n')).toStdString();
    ASSERT_EQ(back.rows.size(), 3U);
    EXPECT_EQ(back.rows[1].cells, kTable[1]);
    EXPECT_EQ(back.rows[2].cells, (QStringList{QStringLiteral("李四"), QString(), QStringLiteral("=1+2")})) << "an empty cell keeps its column";
    EXPECT_EQ(back.rows[2].line, 3);
}

TEST(TableFiles, ABadCsvRowIsReportedWithItsLineAndReadingGoesOn) {
    TempDir dir;
    const QString path = dir.write(QStringLiteral("bad.csv"), "a,b\n1,x\"y\n2,ok\n");
    const ReadBack back = readAll(path, TableFormat::Csv);
    ASSERT_EQ(back.problems.size(), 1);
    EXPECT_TRUE(back.problems[0].startsWith(QStringLiteral("line 2: quote inside an unquoted field"))) << back.problems[0].toStdString();
    ASSERT_EQ(back.rows.size(), 2U);
    EXPECT_EQ(back.rows[1].cells, (QStringList{QStringLiteral("2"), QStringLiteral("ok")}));
    EXPECT_EQ(back.rows[1].line, 3);
}

TEST(TableFiles, ABigCsvIsReadInChunksWithoutCuttingARecord) {
    TempDir dir;
    QByteArray csv = "n,text\n";
    const int rows = 60000;  // about 2.5 MB: several chunks
    for (int i = 1; i <= rows; ++i)
        csv += QByteArray::number(i) + (i % 997 == 0 ? ",\"two\nlines, and a \"\"quote\"\"\"\n" : ",some text for the row\n");
    const QString path = dir.write(QStringLiteral("big.csv"), csv);
    const ReadBack back = readAll(path, TableFormat::Csv);
    ASSERT_TRUE(back.problems.isEmpty()) << back.problems.first().toStdString();
    ASSERT_EQ(back.rows.size(), static_cast<std::size_t>(rows) + 1);
    qint64 line = 2;
    for (int i = 1; i <= rows; ++i) {
        const auto& row = back.rows[static_cast<std::size_t>(i)];
        ASSERT_EQ(row.cells.value(0), QString::number(i));
        ASSERT_EQ(row.line, line) << "row " << i;
        if (i % 997 == 0) {
            EXPECT_EQ(row.cells.value(1), QStringLiteral("two\nlines, and a \"quote\""));
        }
        line += i % 997 == 0 ? 2 : 1;
    }
}

TEST(TableFiles, AFileThatIsNotAnXlsxIsRefusedSayingWhyButNotWhereItLies) {
    TempDir dir;
    const QString path = dir.write(QStringLiteral("fake.xlsx"), "name,id\n");
    const ReadBack back = readAll(path, TableFormat::Xlsx);
    ASSERT_EQ(back.problems.size(), 1);
    EXPECT_TRUE(back.problems[0].contains(QStringLiteral("not an .xlsx file"))) << back.problems[0].toStdString();
    EXPECT_FALSE(back.problems[0].contains(dir.path())) << "an import's error reaches people; the server's path is not theirs";
    EXPECT_FALSE(readAll(dir.file(QStringLiteral("missing.csv")), TableFormat::Csv).problems.isEmpty());
}

TEST(TableFiles, AQuoteNeverClosedIsReportedWhereItStartsInsteadOfSwallowingTheFile) {
    TempDir dir;
    QByteArray text = "name,note\nok,fine\nbad,\"5 inch screen\n";
    const QByteArray filler(100, 'x');
    while (text.size() < (66 << 20)) text += filler + ",more\n";
    const QString path = dir.write(QStringLiteral("q.csv"), text);
    const ReadBack back = readAll(path, TableFormat::Csv);
    ASSERT_EQ(back.rows.size(), 2U) << "the rows before it";
    ASSERT_EQ(back.problems.size(), 1);
    EXPECT_TRUE(back.problems[0].startsWith(QStringLiteral("line 3: "))) << back.problems[0].toStdString();
    EXPECT_TRUE(back.problems[0].contains(QStringLiteral("a closing quote is missing"))) << back.problems[0].toStdString();
}

// /dev/full takes every write and fails it with ENOSPC when the data reaches it: a full disk
// that needs no mount. The writers reach it through a link named like an export file.
namespace {

QString fullDiskFile(const TempDir& dir, const QString& name) {
    const QString link = dir.file(name);
    EXPECT_TRUE(QFile::link(QStringLiteral("/dev/full"), link));
    return link;
}

bool devFullIsThere() {
    struct stat st {};
    return ::stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode);
}

}  // namespace

TEST(TableFiles, ASmallCsvOnAFullDiskFailsSayingTheDiskIsFullAndLeavesNoFile) {
    ASSERT_TRUE(devFullIsThere()) << "the test needs /dev/full (a character device on every Linux)";
    TempDir dir;
    const QString path = fullDiskFile(dir, QStringLiteral("customers.csv"));
    HostTableFiles files;
    auto writer = files.create(path, TableFormat::Csv, QStringLiteral("客户"));
    ASSERT_TRUE(writer) << english(writer.error().message).toStdString();
    // A few rows stay in the buffer: only the final flush meets the full disk.
    for (const auto& row : kTable) ASSERT_TRUE((*writer)->row(row));
    const auto finished = (*writer)->finish();
    ASSERT_FALSE(finished) << "a CSV the disk did not take must not count as written";
    EXPECT_EQ(finished.error().code, QStringLiteral("disk.full"));
    EXPECT_EQ(english(finished.error().message), QStringLiteral("服务器磁盘已满，请联系管理员"));
    EXPECT_FALSE(QFileInfo(path).isSymLink() || QFileInfo::exists(path)) << "the failed file is removed (here: the link to it)";
    EXPECT_TRUE(devFullIsThere()) << "and never what it pointed to";
}

TEST(TableFiles, ABigCsvOnAFullDiskFailsAtTheFirstWriteThatReachesTheDisk) {
    ASSERT_TRUE(devFullIsThere());
    TempDir dir;
    HostTableFiles files;
    auto writer = files.create(fullDiskFile(dir, QStringLiteral("big.csv")), TableFormat::Csv, QStringLiteral("客户"));
    ASSERT_TRUE(writer) << english(writer.error().message).toStdString();
    tessera::Status status;
    int rows = 0;
    for (; rows < 100000 && status; ++rows) status = (*writer)->row({QString(100, QLatin1Char('x')), QString::number(rows)});
    ASSERT_FALSE(status) << "100000 rows of 100 bytes never reached the disk";
    EXPECT_EQ(status.error().code, QStringLiteral("disk.full"));
    EXPECT_LT(rows, 2000) << "the writer stops at the first write the disk refuses";
}

TEST(TableFiles, AnXlsxOnAFullDiskFailsSayingTheDiskIsFull) {
    ASSERT_TRUE(devFullIsThere());
    TempDir dir;
    const QString path = fullDiskFile(dir, QStringLiteral("customers.xlsx"));
    HostTableFiles files;
    auto writer = files.create(path, TableFormat::Xlsx, QStringLiteral("客户"));
    ASSERT_TRUE(writer) << english(writer.error().message).toStdString();
    for (const auto& row : kTable) ASSERT_TRUE((*writer)->row(row));
    const auto finished = (*writer)->finish();
    ASSERT_FALSE(finished);
    EXPECT_EQ(finished.error().code, QStringLiteral("disk.full")) << english(finished.error().message).toStdString();
    EXPECT_FALSE(english(finished.error().message).contains(dir.path()));
    EXPECT_FALSE(QFileInfo(path).isSymLink() || QFileInfo::exists(path));
    EXPECT_TRUE(devFullIsThere());
}

// Files saved by the tools people use (tests/data/spreadsheets/make.py made them).
namespace {

QString spreadsheet(const char* name) { return QStringLiteral(TESSERA_SOURCE_DIR "/tests/data/spreadsheets/") + QLatin1String(name); }

}  // namespace

TEST(TableFiles, AWorkbookInThe1904DateSystemReadsItsDatesOnTheirDay) {
    const ReadBack back = readAll(spreadsheet("date1904.xlsx"), TableFormat::Xlsx);
    ASSERT_TRUE(back.problems.isEmpty()) << back.problems.join(QLatin1Char('\n')).toStdString();
    ASSERT_EQ(back.rows.size(), 2U);
    EXPECT_EQ(back.rows[1].cells.value(1), QStringLiteral("2024-05-01")) << "not 1462 days early";
}

TEST(TableFiles, DateCellsReadAsIsoDatesAndDateTimesKeepTheirTime) {
    for (const char* file : {"cells-openpyxl.xlsx", "cells-libreoffice.xlsx"}) {
        const ReadBack back = readAll(spreadsheet(file), TableFormat::Xlsx);
        ASSERT_EQ(back.rows.size(), 3U) << file;
        EXPECT_EQ(back.rows[1].cells.value(3), QStringLiteral("2024-05-01 08:30:00")) << file;
        EXPECT_EQ(back.rows[1].cells.value(4), QStringLiteral("1990-07-01")) << file;
        EXPECT_EQ(back.rows[1].cells.value(5), QStringLiteral("1012345678")) << file;
        EXPECT_TRUE(back.rows[1].numbers.contains(5)) << file << ": a number, whose leading zeros a spreadsheet drops";
        EXPECT_FALSE(back.rows[1].numbers.contains(4)) << file << ": a date is no number";
        EXPECT_FALSE(back.rows[1].numbers.contains(0)) << file;
    }
}

TEST(TableFiles, AFormulaReadsAsItsSavedResultAndOneSavedWithoutIsUnreadable) {
    const ReadBack calculated = readAll(spreadsheet("cells-libreoffice.xlsx"), TableFormat::Xlsx);
    ASSERT_EQ(calculated.rows.size(), 3U);
    EXPECT_EQ(calculated.rows[1].cells.value(1), QStringLiteral("abc"));
    EXPECT_EQ(calculated.rows[2].cells.value(1), QStringLiteral("2"));
    EXPECT_FALSE(calculated.rows[1].unreadable.contains(1));

    const ReadBack uncalculated = readAll(spreadsheet("cells-openpyxl.xlsx"), TableFormat::Xlsx);
    ASSERT_EQ(uncalculated.rows.size(), 3U);
    EXPECT_EQ(uncalculated.rows[2].cells.value(1), QString());
    EXPECT_TRUE(uncalculated.rows[2].unreadable.value(1).contains(QStringLiteral("=1+1 has no value saved")))
        << uncalculated.rows[2].unreadable.value(1).toStdString();
}

TEST(TableFiles, ErrorValuesAreUnreadableCellsNotText) {
    for (const char* file : {"cells-openpyxl.xlsx", "cells-libreoffice.xlsx"}) {
        const ReadBack back = readAll(spreadsheet(file), TableFormat::Xlsx);
        ASSERT_EQ(back.rows.size(), 3U) << file;
        EXPECT_EQ(back.rows[1].cells.value(2), QString()) << file;
        EXPECT_EQ(back.rows[1].unreadable.value(2), QStringLiteral("#N/A is an error value in the spreadsheet")) << file;
        EXPECT_EQ(back.rows[2].unreadable.value(2), QStringLiteral("#VALUE! is an error value in the spreadsheet")) << file;
        for (qsizetype other : {0, 3, 4, 5}) EXPECT_FALSE(back.rows[1].unreadable.contains(other)) << file << ": the other cells read";
    }
}

TEST(TableFiles, PhoneticGuidesAreNotPartOfTheText) {
    const ReadBack back = readAll(spreadsheet("phonetic.xlsx"), TableFormat::Xlsx);
    ASSERT_EQ(back.rows.size(), 3U);
    EXPECT_EQ(back.rows[1].cells.value(0), QStringLiteral("東京"));
    EXPECT_EQ(back.rows[2].cells.value(0), QStringLiteral("张伟")) << "rich text runs are joined, their readings left out";
}

TEST(TableFiles, ReadingStartsAtTheHeaderOnTheFirstSheetThatHasIt) {
    HostTableFiles files;
    const tessera::HeaderTest isHeader = [](const QStringList& cells) { return cells.contains(QStringLiteral("name*")); };
    auto reader = files.open(spreadsheet("sheets.xlsx"), TableFormat::Xlsx, isHeader);
    ASSERT_TRUE(reader) << english(reader.error().message).toStdString();
    EXPECT_EQ((*reader)->sheet(), QStringLiteral("名单")) << "the sheet of notes before it is passed over";
    auto header = (*reader)->next();
    ASSERT_TRUE(header && *header);
    EXPECT_EQ((*header)->line, 3) << "below a title row and an empty row";
    EXPECT_EQ((*header)->cells, (QStringList{QStringLiteral("name*"), QStringLiteral("code")}));
    auto row = (*reader)->next();
    ASSERT_TRUE(row && *row);
    EXPECT_EQ((*row)->line, 4);

    // Without a sheet that has it, the first sheet from its first row: the importer says what is missing.
    auto none = files.open(spreadsheet("sheets.xlsx"), TableFormat::Xlsx, [](const QStringList&) { return false; });
    ASSERT_TRUE(none);
    EXPECT_EQ((*none)->sheet(), QStringLiteral("填写说明"));
    auto first = (*none)->next();
    ASSERT_TRUE(first && *first);
    EXPECT_EQ((*first)->line, 1);

    // A CSV the same way.
    TempDir dir;
    const QString path = dir.write(QStringLiteral("titled.csv"), "党员名册,,\r\n,,\r\nname*,code\r\na,1\r\n");
    auto csvReader = files.open(path, TableFormat::Csv, isHeader);
    ASSERT_TRUE(csvReader);
    auto csvHeader = (*csvReader)->next();
    ASSERT_TRUE(csvHeader && *csvHeader);
    EXPECT_EQ((*csvHeader)->line, 3);
    EXPECT_EQ((*csvHeader)->cells.value(0), QStringLiteral("name*"));
}

TEST(TableFiles, CsvLinesMayEndInCrLfOrCrAlone) {
    const ReadBack back = readAll(spreadsheet("cr-only.csv"), TableFormat::Csv);
    ASSERT_TRUE(back.problems.isEmpty()) << back.problems.join(QLatin1Char('\n')).toStdString();
    ASSERT_EQ(back.rows.size(), 3U);
    EXPECT_EQ(back.rows[1].cells, (QStringList{QStringLiteral("张伟"), QStringLiteral("P01")}));
    EXPECT_EQ(back.rows[2].line, 3);
    TempDir dir;
    const ReadBack mixed = readAll(dir.write(QStringLiteral("m.csv"), "a,b\r1,\"x\r\ny\"\n2,z\r\n3,w"), TableFormat::Csv);
    ASSERT_TRUE(mixed.problems.isEmpty()) << mixed.problems.join(QLatin1Char('\n')).toStdString();
    ASSERT_EQ(mixed.rows.size(), 4U);
    EXPECT_EQ(mixed.rows[1].cells.value(1), QStringLiteral("x\ny"));
    EXPECT_EQ(mixed.rows[2].line, 4);
    EXPECT_EQ(mixed.rows[3].cells.value(1), QStringLiteral("w"));
}

TEST(TableFiles, ACsvInGb18030IsReadAsExcelOnChineseWindowsSavesIt) {
    const ReadBack back = readAll(spreadsheet("gb18030.csv"), TableFormat::Csv);
    ASSERT_TRUE(back.problems.isEmpty()) << back.problems.join(QLatin1Char('\n')).toStdString();
    ASSERT_EQ(back.rows.size(), 4U);
    EXPECT_EQ(back.rows[0].cells, (QStringList{QStringLiteral("姓名"), QStringLiteral("代码")}));
    EXPECT_EQ(back.rows[2].cells.value(0), QStringLiteral("李娜"));
    EXPECT_EQ(back.rows[3].cells.value(0), QStringLiteral("𠀀镕")) << "four-byte GB18030 too";
}

TEST(TableFiles, CellNamesAreAsSpreadsheetsShowThem) {
    EXPECT_EQ(tessera::TableFiles::cellName(5, 2), QStringLiteral("C5"));
    EXPECT_EQ(tessera::TableFiles::cellName(1, 25), QStringLiteral("Z1"));
    EXPECT_EQ(tessera::TableFiles::cellName(7, 26), QStringLiteral("AA7"));
    EXPECT_EQ(tessera::TableFiles::cellName(2, 16383), QStringLiteral("XFD2"));
}

namespace {

// A part of an .xlsx as its XML text.
QByteArray xlsxPart(const QString& path, const char* name) {
    int error = 0;
    zip_t* zip = zip_open(QFile::encodeName(path).constData(), ZIP_RDONLY, &error);
    if (!zip) return {};
    QByteArray out;
    zip_stat_t st;
    if (zip_stat(zip, name, 0, &st) == 0)
        if (zip_file_t* f = zip_fopen(zip, name, 0)) {
            out.resize(static_cast<qsizetype>(st.size));
            out.resize(static_cast<qsizetype>(std::max<zip_int64_t>(0, zip_fread(f, out.data(), st.size))));
            zip_fclose(f);
        }
    zip_close(zip);
    return out;
}

}  // namespace

TEST(TableFiles, AnXlsxWritesDatesAsDateCells) {
    TempDir dir;
    const QString path = dir.file(QStringLiteral("dates.xlsx"));
    HostTableFiles files;
    auto writer = files.create(path, TableFormat::Xlsx, QStringLiteral("党员"));
    ASSERT_TRUE(writer);
    (*writer)->setDateColumns({1, 2});
    ASSERT_TRUE((*writer)->row({QStringLiteral("姓名"), QStringLiteral("入党日期"), QStringLiteral("转正日期")}));
    ASSERT_TRUE((*writer)->row({QStringLiteral("张三"), QStringLiteral("2024-05-01"), QStringLiteral("not yet")}));
    ASSERT_TRUE((*writer)->finish());
    const QByteArray sheet = xlsxPart(path, "xl/worksheets/sheet1.xml");
    ASSERT_FALSE(sheet.isEmpty());
    EXPECT_TRUE(sheet.contains(R"(<c r="B2" s="1"><v>45413</v></c>)")) << "a number with a date format:\n" << sheet.toStdString();
    EXPECT_TRUE(xlsxPart(path, "xl/styles.xml").contains("yyyy-mm-dd"));
    const ReadBack back = readAll(path, TableFormat::Xlsx);
    ASSERT_EQ(back.rows.size(), 2U);
    EXPECT_EQ(back.rows[1].cells, (QStringList{QStringLiteral("张三"), QStringLiteral("2024-05-01"), QStringLiteral("not yet")}))
        << "it reads back as it was written; text in a date column stays text";
}
