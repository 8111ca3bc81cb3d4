#pragma once
// n-plus-one: one statement shape run min_repeats times or more in one
// request (or one session, calls at most window_ms apart) where only the
// value of one equality predicate changes. Doc: docs/rules/n-plus-one.md

#include <memory>

#include "rules/rule.hpp"

namespace pgadvisor::rules {

std::unique_ptr<Rule> create_n_plus_one(const RuleConfig& config);

}  // namespace pgadvisor::rules
