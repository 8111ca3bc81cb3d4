#pragma once
// redundant-index: a btree index whose keys are a leading prefix of another
// btree index's keys with the same predicate, and that enforces nothing.
// Doc: docs/rules/redundant-index.md

#include <memory>

#include "rules/rule.hpp"

namespace pgadvisor::rules {

std::unique_ptr<Rule> create_redundant_index(const RuleConfig& config);

}  // namespace pgadvisor::rules
