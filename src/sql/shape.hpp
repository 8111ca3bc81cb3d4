#pragma once
// SQL stage entry points: statement text in, QueryShape out.
//
// Takes: SQL text (one statement or many). Gives: one ShapeResult per
// statement, in source order, each either a QueryShape or a ParseError.
// Never throws on bad SQL and never aborts: libpg_query's errors are values.
//
// Semantics where SQL leaves a choice (see src/sql/shape_builder.cpp):
// - order_by, group_by, has_limit/has_offset, distinct, for_update describe the
//   outermost query, as do output_columns/select_star (SELECT only); tables, predicates and joins come from every subquery.
// - A table is deduplicated only within one FROM scope (same schema, name, alias).
// - Predicates come from top-level AND-ed conjuncts of WHERE / JOIN ON / MERGE
//   ON (and those of every subquery); HAVING is not read.
// - Between two columns the subject is the one of the query's own FROM; a
//   JoinEquality needs two different refs, at least one of them a real table.
// - JOIN USING equates the last item of the left side with the first of the
//   right; NATURAL JOIN records no equality (no catalog).
// - Invalid UTF-8 bytes are replaced by '?' in place; NUL bytes are reported.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql/parser.hpp"
#include "sql/query_shape.hpp"

namespace pgadvisor::sql {

// Split text into statements with libpg_query and shape each one.
std::vector<ShapeResult> shape_statements(std::string_view text);

// Shape text that holds a single statement (the first one if it holds more).
ShapeResult shape_statement(std::string_view statement);
// The same, for a caller that has fingerprinted the text already (the workload's
// aggregator, for each new shape), and may have kept its parse tree
// (fingerprint_statement): libpg_query is not asked for either again where the
// statement is all of the text (issue 17: each new shape parsed once).
ShapeResult shape_statement(std::string_view statement, const Fingerprint& fingerprint,
                            const StatementTree* tree = nullptr);

// A statement as reports show it (QueryShape::normalized): pg_query_normalize's
// text without comments, and for statements it does not normalize (DDL, utility:
// EXECUTE, CALL, COMMENT ... IS, NOTIFY, ...) with every constant masked too.
// nullopt when libpg_query cannot parse it: then nothing of it may be shown.
// `tree`: the caller's parse tree of the statement, when it kept one (fingerprint_statement).
std::optional<std::string> shown_statement(std::string_view statement, const StatementTree* tree = nullptr);

}  // namespace pgadvisor::sql
