#pragma once
// The statements of a migration file, each parsed on its own by libpg_query
// (so one bad statement does not hide the others), with the line its first
// token is on, for the migration rules (index-not-concurrently,
// upsert-without-unique-index). A statement that does not parse is left out:
// the catalog's DDL loader reports it with file and line.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace pgadvisor::rules {

struct MigrationStatement {
    std::string node_type;  // "IndexStmt", "InsertStmt", ...
    nlohmann::json node;    // the statement node's fields
    std::size_t span_offset = 0;  // where the parsed text starts in the file: node locations count from here
    std::size_t offset = 0; // of the first token (past leading comments) in the file
    std::size_t end = 0;    // one past the statement's last byte
    int line = 0;           // 1-based line of offset
};

std::vector<MigrationStatement> migration_statements(std::string_view text);

// "schema.name" of a RangeVar node (schema empty when unqualified).
struct RelationName {
    std::string schema;
    std::string name;
};
RelationName relation_name(const nlohmann::json& range_var);

}  // namespace pgadvisor::rules
