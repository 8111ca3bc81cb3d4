#pragma once
// libpg_query's JSON parse tree text, read into nlohmann's document faster than
// nlohmann's own parser: on a log of 50,000 distinct statements that parse was
// a fifth of all the instructions (docs/benchmarks.md, issue 17), most of it
// lexing one character at a time through an input adapter. libpg_query prints
// compact JSON (no spaces, integers only), and that is all this reader takes;
// anything else it hands back, and the caller reads the text with nlohmann.
// Same document either way: tests/sql/compact_json_test.cpp and
// fuzz/compact_json_fuzzer.cpp compare them.

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace pgadvisor::sql {

struct CompactJson {
    std::optional<nlohmann::json> document;
    // The text opens more than max_depth objects and arrays at once (the depth
    // json_nests_deeper_than counts): no document.
    bool too_deep = false;
};

// No document and not too deep: the text is not such compact JSON (or not JSON).
CompactJson read_compact_json(std::string_view text, int max_depth);

}  // namespace pgadvisor::sql
