#pragma once
// check-then-insert: a SELECT that looks a row up by equality on columns K,
// followed in the same session (same transaction, or within window_ms) by an
// INSERT into the same table with the same values for K; with an UPDATE of
// that row seen after the same SELECT, the fix becomes DO UPDATE.
// Doc: docs/rules/check-then-insert.md

#include <memory>

#include "rules/rule.hpp"

namespace pgadvisor::rules {

std::unique_ptr<Rule> create_check_then_insert(const RuleConfig& config);

}  // namespace pgadvisor::rules
