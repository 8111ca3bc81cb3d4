#pragma once
// Typed literals in prefix form (`interval '30 days'`, `date '2024-01-01'`,
// `timestamp with time zone '…'`) written as casts (`'30 days'::interval`), so
// that normalizing the statement gives `$3::interval` — a statement the server
// can plan — and not `interval $3`, a syntax error.
//
// Takes: one statement's text. Gives: the same statement, each prefix-form typed
// literal turned into a cast of the same constant; unchanged when it has none
// or does not parse. Read with libpg_query's parse tree and scanner.

#include <string>
#include <string_view>
#include <vector>

#include "sql/parser.hpp"

namespace pgadvisor::sql {

std::string prefix_casts_as_postfix(std::string_view statement);
// The same, with the statement's tokens already scanned (scan_tokens(statement)).
std::string prefix_casts_as_postfix(std::string_view statement, const std::vector<Token>& tokens);

}  // namespace pgadvisor::sql
