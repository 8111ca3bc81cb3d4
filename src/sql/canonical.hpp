#pragma once
// Canonical text for expressions and types, built from libpg_query's parse
// tree, so an index or default read from DDL and the same one read from a live
// server (pg_get_indexdef / pg_get_expr text, parsed again) compare equal.
//
// The form: fully parenthesised operators "(a = 'x')", functions by their last
// name "lower(email)", AND/OR flattened, IN lists written as "= ANY(ARRAY[...])"
// and BETWEEN as two comparisons (how PostgreSQL stores them). Casts that the
// server adds on its own are dropped: casts of constants ('x'::text) and casts
// to text/varchar (lower((email)::text) for a varchar column). Other casts are
// kept: (created_at)::date stays "created_at::date". Unknown nodes fall back to
// their JSON with locations removed, which is still stable on both sides.
// Types are written as format_type() prints them: "integer", "character
// varying(20)", "numeric(10,2)", "timestamp with time zone", "text[]"; user
// types without schema; serial types become their integer types.
//
// Takes: expression text. Gives: its canonical text. The statements the sql
// stage reads (statements.hpp) carry their expressions and types in this form.

#include <string>
#include <string_view>

namespace pgadvisor::sql {

// Canonical text of expression source text (parsed with libpg_query);
// empty when it does not parse.
std::string canonical_expr_text(std::string_view expression);

}  // namespace pgadvisor::sql
