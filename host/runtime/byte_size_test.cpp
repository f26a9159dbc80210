#include "runtime/byte_size.hpp"

#include <gtest/gtest.h>

using tessera::host::formatByteSize;
using tessera::host::parseByteSize;

TEST(ByteSize, ReadsSizesAsPeopleWriteThem) {
    EXPECT_EQ(parseByteSize(QStringLiteral("200MB")), qint64{200} << 20);
    EXPECT_EQ(parseByteSize(QStringLiteral("2 gb")), qint64{2} << 30);
    EXPECT_EQ(parseByteSize(QStringLiteral("512K")), qint64{512} << 10);
    EXPECT_EQ(parseByteSize(QStringLiteral("1048576")), qint64{1} << 20);
    EXPECT_EQ(parseByteSize(QStringLiteral("1TB")), qint64{1} << 40);
    for (const char* bad : {"", "0MB", "big", "1.5GB", "-1MB", "10PB", "5000000TB"})
        EXPECT_FALSE(parseByteSize(QString::fromUtf8(bad))) << bad;
}

TEST(ByteSize, WritesSizesAsPeopleReadThem) {
    EXPECT_EQ(formatByteSize(300), QStringLiteral("300 B"));
    EXPECT_EQ(formatByteSize(qint64{200} << 20), QStringLiteral("200 MB"));
    EXPECT_EQ(formatByteSize(qint64{20} << 30), QStringLiteral("20 GB"));
    EXPECT_EQ(formatByteSize((qint64{3} << 29)), QStringLiteral("1.5 GB"));
    EXPECT_EQ(formatByteSize(1500), QStringLiteral("1.5 KB"));
}
