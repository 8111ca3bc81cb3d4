#pragma once
// A cheap literal-stripping key for a statement, so libpg_query parses each
// distinct statement shape once instead of every statement. Numbers and
// quoted strings become '?', constant IN lists collapse to one '?', unquoted
// words are lower-cased, whitespace and comments collapsed. The key is only a cache key:
// same key must mean same libpg_query fingerprint (tests/ingest/shape_key_test.cpp
// checks this over the corpus), different keys may still share one.
// Where the scanner is unsure (dollar quotes, E'' strings, ...)
// it returns nullopt and the caller asks libpg_query directly.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql/scanner.hpp"

namespace pgadvisor::ingest {

// A statement's value tokens (constants, $n, TRUE/FALSE/NULL), found by the
// key's own pass so that most statements need no run of libpg_query's scanner
// for their values (issue 17). `sure`: the tokens are exactly those
// sql::value_tokens gives (tests/ingest/shape_key_test.cpp checks this over the
// corpus); false where this scanner might place them otherwise (adjacent
// strings, a number or $n run into a word, bytes that are not UTF-8, a NUL,
// anything the key itself is unsure of): then ask sql::value_tokens.
struct ValueScan {
    std::vector<sql::ValueToken> tokens;
    bool sure = false;
};

// The key; with `values`, the statement's value tokens as well (its buffer is reused).
std::optional<std::string> shape_key(std::string_view sql, ValueScan* values = nullptr);

// Whether an identifier in the text (or in a key of it) may hold a run of two
// or more digits: orders_2024, t10, "T12". libpg_query's fingerprint ignores
// such runs in relation names, so only then does a shape's identity need the
// statement's relation names (workload/summary.cpp). Never false for such a
// text: strings, comments, numbers and $n are skipped, and what this scanner
// does not model (dollar quotes, E'' strings, an unterminated quote) answers true.
bool may_have_numbered_identifier(std::string_view sql);

}  // namespace pgadvisor::ingest
