#pragma once
// fk-without-index: a foreign key whose columns are not the leading columns of
// any index on the referencing table. Doc: docs/rules/fk-without-index.md

#include <memory>

#include "rules/rule.hpp"

namespace pgadvisor::rules {

std::unique_ptr<Rule> create_fk_without_index(const RuleConfig& config);

}  // namespace pgadvisor::rules
