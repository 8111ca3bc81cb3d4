#pragma once
// Identifiers written back as SQL (fix_sql, migration files): quoted exactly
// when PostgreSQL needs it, as its quote_ident() does.
//
// Takes: a name as PostgreSQL stores it (already case-folded). Gives: SQL text.

#include <string>
#include <string_view>
#include <vector>

namespace pgadvisor::sql {

// name unchanged when it is lower case [a-z_][a-z0-9_$]* and not a keyword
// that needs quoting (any but an unreserved one, asked of libpg_query's
// scanner); otherwise in double quotes with embedded quotes doubled.
std::string quote_ident(std::string_view name);

// "schema.name", each part quoted as needed; the schema is left out when empty.
std::string quote_qualified(std::string_view schema, std::string_view name);

// 'text' as a standard string literal, embedded quotes doubled (standard_conforming_strings
// is on since PostgreSQL 9.1: a backslash is an ordinary character).
std::string quote_literal(std::string_view text);

// "a, b" with each name quoted as needed: a column list in DDL or DML.
std::string quote_ident_list(const std::vector<std::string>& names);

}  // namespace pgadvisor::sql
