#pragma once
// HTTP range requests (RFC 9110, section 14) for files sent from disk: a video or a song
// seeks in the browser by asking for the bytes from where it jumps to.

#include <cstdint>
#include <string_view>

namespace tessera::host::http {

/// What to send for a Range header over a body of `size` bytes.
struct ByteRange {
    enum class Kind {
        Whole,          // no range, or one the server may ignore (several ranges, a unit other than bytes, bad syntax): 200
        Partial,        // 206 with Content-Range: bytes first-(first+length-1)/size
        Unsatisfiable,  // 416 with Content-Range: bytes */size
    } kind = Kind::Whole;
    std::uint64_t first = 0;
    std::uint64_t length = 0;
};

/// `header` as sent ("bytes=0-99", "bytes=500-", "bytes=-200"); empty: the whole body.
ByteRange byteRange(std::string_view header, std::uint64_t size);

}  // namespace tessera::host::http
