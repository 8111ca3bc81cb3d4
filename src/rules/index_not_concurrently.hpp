#pragma once
// index-not-concurrently: a migration builds an index without CONCURRENTLY on
// a table that existed before the migration file. Doc: docs/rules/index-not-concurrently.md

#include <memory>

#include "rules/rule.hpp"

namespace pgadvisor::rules {

std::unique_ptr<Rule> create_index_not_concurrently(const RuleConfig& config);

}  // namespace pgadvisor::rules
