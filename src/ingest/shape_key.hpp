#pragma once
// A cheap literal-stripping key for a statement, so libpg_query parses each
// distinct statement shape once instead of every statement. Numbers and
// quoted strings become '?', constant IN lists collapse to one '?', unquoted
// words are lower-cased and whitespace collapsed. The key is only a cache key:
// same key must mean same libpg_query fingerprint (tests/ingest/shape_key_test.cpp
// checks this over the corpus), different keys may still share one.
// Where the scanner is unsure (dollar quotes, E'' strings, block comments, ...)
// it returns nullopt and the caller asks libpg_query directly.

#include <optional>
#include <string>
#include <string_view>

namespace pgadvisor::ingest {

std::optional<std::string> shape_key(std::string_view sql);

}  // namespace pgadvisor::ingest
