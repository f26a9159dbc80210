#include "http/byte_range.hpp"

#include <charconv>
#include <optional>

namespace tessera::host::http {

namespace {

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::optional<std::uint64_t> number(std::string_view s) {
    if (s.empty()) return std::nullopt;
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return n;
}

}  // namespace

ByteRange byteRange(std::string_view header, std::uint64_t size) {
    ByteRange whole;
    header = trimmed(header);
    constexpr std::string_view unit = "bytes=";
    if (header.size() <= unit.size() || header.substr(0, unit.size()) != unit) return whole;
    const std::string_view spec = trimmed(header.substr(unit.size()));
    // One range only: several would need a multipart answer, which no player asks for.
    if (spec.find(',') != std::string_view::npos) return whole;
    const auto dash = spec.find('-');
    if (dash == std::string_view::npos) return whole;
    const auto from = trimmed(spec.substr(0, dash)), to = trimmed(spec.substr(dash + 1));
    ByteRange r;
    if (from.empty()) {  // the last N bytes
        const auto n = number(to);
        if (!n) return whole;
        if (*n == 0 || size == 0) return ByteRange{ByteRange::Kind::Unsatisfiable, 0, 0};
        r.length = std::min(*n, size);
        r.first = size - r.length;
    } else {
        const auto first = number(from);
        if (!first) return whole;
        std::uint64_t last = size ? size - 1 : 0;
        if (!to.empty()) {
            const auto l = number(to);
            if (!l || *l < *first) return whole;
            last = std::min(*l, last);
        }
        if (*first >= size) return ByteRange{ByteRange::Kind::Unsatisfiable, 0, 0};
        r.first = *first;
        r.length = last - *first + 1;
    }
    r.kind = ByteRange::Kind::Partial;
    return r;
}

}  // namespace tessera::host::http
