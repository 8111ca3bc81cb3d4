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

namespace pgadvisor::ingest {

std::optional<std::string> shape_key(std::string_view sql);

// Whether an identifier in the text (or in a key of it) may hold a run of two
// or more digits: orders_2024, t10, "T12". libpg_query's fingerprint ignores
// such runs in relation names, so only then does a shape's identity need the
// statement's relation names (workload/summary.cpp). Never false for such a
// text: strings, comments, numbers and $n are skipped, and what this scanner
// does not model (dollar quotes, E'' strings, an unterminated quote) answers true.
bool may_have_numbered_identifier(std::string_view sql);

}  // namespace pgadvisor::ingest
