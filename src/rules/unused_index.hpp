#pragma once
// unused-index: an index the server's statistics show was never scanned
// (idx_scan = 0) and that enforces nothing. Live catalogs only.
// Doc: docs/rules/unused-index.md

#include <memory>

#include "rules/rule.hpp"

namespace pgadvisor::rules {

std::unique_ptr<Rule> create_unused_index(const RuleConfig& config);

}  // namespace pgadvisor::rules
