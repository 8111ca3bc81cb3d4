#pragma once
// libpg_query's parse tree as JSON, and the small readers over it, for the
// code of src/sql only: the other stages read the plain structs the sql stage
// builds from it (statements.hpp, canonical.hpp, shape.hpp).
// scripts/check-architecture fails when a file outside src/sql includes this
// header or names a parse-tree node.
//
// Format (PostgreSQL 15, libpg_query 15-4.0): nodes are {"NodeType": {...}};
// fields holding their default value (0, false, "", empty list) are omitted.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sql/parser.hpp"

namespace pgadvisor::sql {

// The raw parse tree ({"version":..., "stmts":[{"stmt":{...}, "stmt_location":..}]}).
Parsed<nlohmann::json> parse_tree(std::string_view sql);

// What fingerprint_statement (parser.hpp) keeps of one parse: libpg_query's JSON text of the tree.
struct StatementTree {
    std::string sql;   // the text parsed
    std::string json;  // pg_query_nodes_to_json's
};
// parse_tree(sql) read off `tree` when it is the tree of `sql`, else parsed anew.
Parsed<nlohmann::json> parse_tree(const StatementTree& tree, std::string_view sql);

// pg_query_normalize(sql) read off `parse_tree`, the tree of `sql`, and `tokens`, its scan
// (normalize_tree.cpp): no second parse. nullopt where it might differ from libpg_query's.
std::optional<std::string> normalized_from_tree(std::string_view sql, const std::vector<Token>& tokens,
                                                const nlohmann::json& parse_tree);
// normalize(sql, tokens) (parser.hpp) from the tree where normalized_from_tree is sure, else libpg_query's.
Parsed<std::string> normalize(std::string_view sql, const std::vector<Token>& tokens, const nlohmann::json& parse_tree);

namespace tree {

using nlohmann::json;

// A member of an object, or nullptr (also when obj is not an object).
const json* field(const json& obj, std::string_view key);
std::string text(const json& obj, std::string_view key);               // "" when absent
bool flag(const json& obj, std::string_view key);                      // false when absent
int integer(const json& obj, std::string_view key, int fallback = 0);  // fallback when absent
const json& items(const json& obj, std::string_view key);              // a list field, or an empty list
const json& object(const json& obj, std::string_view key);             // an object field, or an empty object

// {"Type": {...}} -> ("Type", body); anything else -> ("", nullptr).
std::pair<std::string_view, const json*> node(const json& n);
// The body of a node of this type, or nullptr.
const json* node_as(const json& n, std::string_view type);

std::string string_node(const json& n);              // {"String":{"sval":"x"}} -> "x"
std::vector<std::string> strings(const json& list);  // a list of String nodes
std::string last_name(const json& names);            // the last of a qualified name list

// The locations of the integer constants of a GROUP BY, ORDER BY or DISTINCT ON
// list (`items`) that name an output column by position (GROUP BY 2, ORDER BY 1):
// no values, and another number would make another statement. Appended to `out`.
void add_output_column_numbers(const json& items, std::vector<int>& out);

}  // namespace tree

// Canonical text (canonical.hpp) of one expression node / of a TypeName node.
std::string canonical_expr(const nlohmann::json& node);
std::string canonical_type(const nlohmann::json& type_name);

}  // namespace pgadvisor::sql
