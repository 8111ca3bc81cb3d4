#pragma once
// libpg_query's parse tree, read from its packed protobuf form into the JSON
// document parse_tree.hpp describes. libpg_query printing JSON and nlohmann
// lexing it again was a third of all the instructions on a log of 50,000
// distinct statements (docs/benchmarks.md); the packed form is read in one pass,
// with no message unpacked (protobuf-c's unpack takes kilobytes of stack per level).
// The document is the one pg_query_parse's JSON gives, key for key
// (tests/sql/tree_from_protobuf_test.cpp compares them on every statement of
// the test suite's SQL), but for one fix: a negative Integer keeps its value,
// which libpg_query 15-4.0's JSON printer drops ({"ival":{}} for -1).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace pgadvisor::sql {

namespace detail {
// A field's key in the JSON tree: pg_query.proto's json_name (generated at build
// time by cmake/embed_pg_query_json_names.cmake).
struct JsonFieldName {
    const char* message;  // "SelectStmt"
    const char* field;    // "target_list"
    const char* key;      // "targetList"
};
const std::vector<JsonFieldName>& pg_query_json_names();
}  // namespace detail

struct TreeFromProtobuf {
    std::optional<nlohmann::json> tree;  // nullopt: too deep, or not a packed ParseResult
    bool too_deep = false;               // the tree opens more than max_depth objects and arrays at once,
                                         // the depth json_nests_deeper_than counts on JSON text
};

// A packed PgQuery__ParseResult (pg_query_parse_protobuf's) as JSON.
TreeFromProtobuf tree_from_protobuf(std::string_view packed, int max_depth);

}  // namespace pgadvisor::sql
