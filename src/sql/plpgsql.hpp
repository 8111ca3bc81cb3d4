#pragma once
// The SQL statements inside PL/pgSQL bodies: DO blocks and CREATE FUNCTION /
// PROCEDURE ... LANGUAGE plpgsql, read with libpg_query's PL/pgSQL parser
// (pg_query_parse_plpgsql). Sequelize's findOrCreate, for one, sends its INSERT
// inside such a body (CREATE OR REPLACE FUNCTION pg_temp.testfunc() ... BEGIN
// INSERT ... EXCEPTION WHEN unique_violation ...), which a statement's own
// shape reduces to one constant ($1).
//
// Takes: statement text, one statement or many (a log entry may hold the CREATE
// FUNCTION, the SELECT that calls it and the DROP). Gives: each SQL statement of
// each body (also inside IF, loops and exception blocks), shaped on its own by
// shape_statement: its literals carry the values written in this body, user
// data that is never printed unless --show-literals. A $n in a body is the
// routine's argument, whose value the text does not give. Dynamic SQL
// (EXECUTE 'text') is not read. Empty when the text or a body does not parse.

#include <string>
#include <string_view>
#include <vector>

#include "sql/query_shape.hpp"

namespace pgadvisor::sql {

struct BodyStatement {
    std::string routine;                    // "pg_temp.testfunc" as written; "DO" for a DO block
    bool catches_unique_violation = false;  // the body has EXCEPTION WHEN unique_violation
    QueryShape shape;                       // the statement alone (offset/length within its own text)
};

std::vector<BodyStatement> plpgsql_body_statements(std::string_view text);

// Whether a statement of this shape may hold a PL/pgSQL body (CREATE FUNCTION /
// PROCEDURE, DO): the cheap test before reading its text again with the above.
bool may_hold_plpgsql_body(const QueryShape& shape);

}  // namespace pgadvisor::sql
