#pragma once
// The relations a statement names, read from its parse tree: for a shape's
// identity (workload/summary.cpp), since libpg_query's fingerprint ignores
// runs of two or more digits in relation names (orders_2024 and orders_2025,
// t10 and t299 fingerprint alike).
//
// Takes: one statement's text. Gives: its RangeVars, or libpg_query's error.

#include <string_view>
#include <vector>

#include "sql/parser.hpp"
#include "sql/query_shape.hpp"

namespace pgadvisor::sql {

// Every relation the statement names (FROM items, DML targets, DDL objects,
// CTE references), schema and alias as written, in one fixed order of the
// parse tree (the same for two statements of the same structure).
Parsed<std::vector<TableRef>> relation_names(std::string_view sql);
// The same, read off the tree fingerprint_statement kept of `sql` (parser.hpp): no parse of its own.
Parsed<std::vector<TableRef>> relation_names(const StatementTree& tree, std::string_view sql);

}  // namespace pgadvisor::sql
