#include "http/byte_range.hpp"

#include <gtest/gtest.h>

using tessera::host::http::ByteRange;
using tessera::host::http::byteRange;

TEST(ByteRange, APartOfTheFileByItsFirstAndLastByte) {
    const auto r = byteRange("bytes=0-99", 1000);
    EXPECT_EQ(r.kind, ByteRange::Kind::Partial);
    EXPECT_EQ(r.first, 0u);
    EXPECT_EQ(r.length, 100u);
    const auto past = byteRange("bytes=900-2000", 1000);  // a last byte past the end is the end
    EXPECT_EQ(past.kind, ByteRange::Kind::Partial);
    EXPECT_EQ(past.length, 100u);
}

TEST(ByteRange, FromAByteToTheEndAndTheLastBytes) {
    const auto open = byteRange("bytes=990-", 1000);
    EXPECT_EQ(open.first, 990u);
    EXPECT_EQ(open.length, 10u);
    const auto suffix = byteRange("bytes=-200", 1000);
    EXPECT_EQ(suffix.first, 800u);
    EXPECT_EQ(suffix.length, 200u);
    const auto more = byteRange("bytes=-5000", 1000);  // more than there is: all of it
    EXPECT_EQ(more.first, 0u);
    EXPECT_EQ(more.length, 1000u);
}

TEST(ByteRange, BeyondTheEndIsUnsatisfiable) {
    EXPECT_EQ(byteRange("bytes=1000-", 1000).kind, ByteRange::Kind::Unsatisfiable);
    EXPECT_EQ(byteRange("bytes=-0", 1000).kind, ByteRange::Kind::Unsatisfiable);
    EXPECT_EQ(byteRange("bytes=0-", 0).kind, ByteRange::Kind::Unsatisfiable);
}

TEST(ByteRange, WhatTheServerMayIgnoreGetsTheWholeFile) {
    for (const char* header : {"", "bytes=0-1,5-9", "items=0-9", "bytes=a-b", "bytes=9-3", "bytes=", "bytes=5"})
        EXPECT_EQ(byteRange(header, 1000).kind, ByteRange::Kind::Whole) << header;
}
