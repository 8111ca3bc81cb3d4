#pragma once
// QueryShape as JSON, for `pgadvisor shape --json` and the JSON report.

#include <nlohmann/json_fwd.hpp>

#include "sql/query_shape.hpp"

namespace pgadvisor::sql {

// Literal values are left out unless show_literals is true.
nlohmann::json to_json(const QueryShape& shape, bool show_literals = false);
nlohmann::json to_json(const ParseError& error);

}  // namespace pgadvisor::sql
