#include "ingest/limits.hpp"

#include <fmt/format.h>

#include "ingest/input.hpp"

namespace pgadvisor::ingest {

std::string size_text(std::size_t bytes) {
    if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
    if (bytes >= (1u << 10) && bytes % (1u << 10) == 0) return fmt::format("{} KiB", bytes >> 10);
    return fmt::format("{} bytes", bytes);
}

namespace {
bool is_text_control(unsigned char c) { return c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x1b; }
}  // namespace

bool block_is_binary(std::string_view block) {
    if (block.empty()) return false;
    std::size_t strange = 0;
    for (unsigned char c : block)
        if ((c < 0x20 && !is_text_control(c)) || c == 0x7f) ++strange;
    // Each byte where UTF-8 breaks counts once; the block may end inside a character.
    for (std::size_t at = 0; at < block.size();) {
        std::size_t bad = find_invalid_utf8(block.substr(at));
        if (bad == std::string_view::npos || at + bad + 4 > block.size()) break;
        ++strange;
        at += bad + 1;
    }
    return strange * 3 >= block.size();
}

std::string binary_data_error(std::size_t probed) {
    return "binary data, not text (a third or more of its first " + size_text(probed) +
           " is control bytes or invalid UTF-8), not read";
}

}  // namespace pgadvisor::ingest
