#pragma once
// duplicate-index: two indexes on one table with the same method, keys,
// INCLUDE columns and predicate. Doc: docs/rules/duplicate-index.md

#include <memory>

#include "rules/rule.hpp"

namespace pgadvisor::rules {

std::unique_ptr<Rule> create_duplicate_index(const RuleConfig& config);

}  // namespace pgadvisor::rules
