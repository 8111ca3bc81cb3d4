#pragma once
// SQL stage entry points: statement text in, QueryShape out.
//
// Takes: SQL text (one statement or many). Gives: one ShapeResult per
// statement, in source order, each either a QueryShape or a ParseError.
// Never throws on bad SQL and never aborts: libpg_query's errors are values.

#include <string_view>
#include <vector>

#include "sql/query_shape.hpp"

namespace pgadvisor::sql {

// Split text into statements with libpg_query and shape each one.
std::vector<ShapeResult> shape_statements(std::string_view text);

// Shape text that holds a single statement (the first one if it holds more).
ShapeResult shape_statement(std::string_view statement);

}  // namespace pgadvisor::sql
