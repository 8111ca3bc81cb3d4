#pragma once
// Which value expressions name the same value in two statements: CURRENT_DATE,
// now()::date, CURRENT_TIMESTAMP, now(). Private to src/sql (reads the parse
// tree); the shape builder stores the result in Predicate::value_expression and
// InsertInfo::value_expressions (query_shape.hpp).
//
// Takes: one expression node. Gives: its canonical text and how long its value
// holds, or nullopt when it is not such an expression: it reads a column, holds
// a constant or a parameter (the shape is shared by statements with other
// values, so its text would not be this statement's), or calls anything but the
// transaction-stable clock functions (clock_timestamp(), statement_timestamp(),
// random(), nextval() give a new value each time).

#include <optional>

#include <nlohmann/json.hpp>

#include "sql/query_shape.hpp"

namespace pgadvisor::sql {

std::optional<ValueExpression> value_expression(const nlohmann::json& node);

}  // namespace pgadvisor::sql
