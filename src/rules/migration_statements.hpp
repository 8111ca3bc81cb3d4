#pragma once
// The statements of a migration file, each parsed on its own by the sql stage
// (so one bad statement does not hide the others), with the line its first
// token is on, for the migration rules (index-not-concurrently,
// upsert-without-unique-index). A statement that does not parse is left out:
// the catalog's DDL loader reports it with file and line.

#include <string>
#include <string_view>
#include <vector>

#include "sql/statements.hpp"

namespace pgadvisor::rules {

struct MigrationStatement {
    sql::Statement statement;     // what the statement is (sql/statements.hpp)
    std::size_t span_offset = 0;  // where the parsed text starts in the file: RelationName::location counts from here
    std::size_t offset = 0;       // of the first token (past leading comments) in the file
    std::size_t end = 0;          // one past the statement's last byte
    int line = 0;                 // 1-based line of offset
};

std::vector<MigrationStatement> migration_statements(std::string_view text);

}  // namespace pgadvisor::rules
