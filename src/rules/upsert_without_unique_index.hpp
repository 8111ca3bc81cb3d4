#pragma once
// upsert-without-unique-index: INSERT ... ON CONFLICT (target) where no unique
// index or constraint on the table has exactly the target's keys.
// Doc: docs/rules/upsert-without-unique-index.md

#include <memory>

#include "rules/rule.hpp"

namespace pgadvisor::rules {

std::unique_ptr<Rule> create_upsert_without_unique_index(const RuleConfig& config);

}  // namespace pgadvisor::rules
