#pragma once
// Statements rewritten through libpg_query's own tree and deparser, never by
// string replacement: the fixes pgadvisor proposes for application code.
// Inputs are normalized statements (constants as $n), so no literal value
// from a log can reach a rewritten statement. The deparser quotes identifiers
// exactly as PostgreSQL needs.

#include <string>
#include <string_view>
#include <vector>

#include "sql/parser.hpp"
#include "sql/query_shape.hpp"

namespace pgadvisor::sql {

// `col = $k` -> `col = ANY($k)`: the batched form of an N+1 lookup. operand_location
// is the byte offset of the $k parameter (a Literal's location in the statement).
Parsed<std::string> batch_equality_to_any(std::string_view statement, int operand_location);

// INSERT ... -> INSERT ... ON CONFLICT (conflict_columns) DO NOTHING, or
// DO UPDATE SET c = EXCLUDED.c for each update column.
//
// With the application's own UPDATE (update_statement, normalized): a column
// the UPDATE computes from the row's current values (`value = value + $1`, a
// counter) keeps that computation, on the existing row (`value =
// daily_counters.value + $4`), its parameters numbered after the INSERT's, so
// the UPSERT does what the UPDATE did rather than overwrite the row. A column
// the UPDATE sets to a plain value stays EXCLUDED.c.
Parsed<std::string> upsert_from_insert(std::string_view insert_statement,
                                       const std::vector<std::string>& conflict_columns, ConflictAction action,
                                       const std::vector<std::string>& update_columns,
                                       std::string_view update_statement = {});

// Parse and deparse: libpg_query's canonical text of a statement.
Parsed<std::string> deparse(std::string_view statement);

}  // namespace pgadvisor::sql
