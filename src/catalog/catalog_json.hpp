#pragma once
// Catalog as JSON, for `pgadvisor schema --json` and the JSON report.

#include <nlohmann/json_fwd.hpp>

#include "catalog/catalog.hpp"

namespace pgadvisor::catalog {

// Most-common values are data from the user's tables: left out (count only)
// unless show_literals is true.
nlohmann::json to_json(const Catalog& catalog, bool show_literals = false);

}  // namespace pgadvisor::catalog
