#pragma once
// Statements that libpg_query accepts but that nest deeper than any recursive
// walk can follow (issue 16): the C++ side of scripts/deep-inputs, for tests
// that need the text in memory.

#include <string>
#include <string_view>

namespace pgadvisor::test {

// `text` written n times.
inline std::string repeated(std::string_view text, std::size_t n) {
    std::string out;
    out.reserve(text.size() * n);
    for (std::size_t i = 0; i < n; ++i) out += text;
    return out;
}

// The four chains of the issue, each `terms` long: 1+1+..., UNION ALL, casts, ||.
inline std::string deep_plus(std::size_t terms) { return "SELECT 1" + repeated("+1", terms); }
inline std::string deep_union(std::size_t terms) { return "SELECT 1" + repeated(" UNION ALL SELECT 1", terms); }
inline std::string deep_casts(std::size_t terms) { return "SELECT 1" + repeated("::int", terms); }
inline std::string deep_concat(std::size_t terms) { return "SELECT 'a'" + repeated("||'a'", terms); }

// 12,000 terms: 24 KB of `1+1+...`, the size that overflowed the stack.
inline constexpr std::size_t kDeepTerms = 12000;

}  // namespace pgadvisor::test
