#pragma once
// The one list of rules. Adding a rule = one line in registry.cpp.

#include <memory>
#include <string>
#include <vector>

#include "rules/config.hpp"
#include "rules/rule.hpp"

namespace pgadvisor::rules {

using RuleFactory = std::unique_ptr<Rule> (*)(const RuleConfig&);

struct RuleEntry {
    const char* id;           // kebab-case, as in rules/<id>.toml and docs/rules/<id>.md
    RuleFactory create;
};

// Every rule, alphabetical by id.
const std::vector<RuleEntry>& rule_registry();

// Instances of the enabled rules of a configured set (unknown ids in the set are ignored).
std::vector<std::unique_ptr<Rule>> create_enabled_rules(const RuleSet& set);

// snake_case of a rule id, as its source and test files are named: "n-plus-one" -> "n_plus_one".
std::string source_name(const std::string& rule_id);

}  // namespace pgadvisor::rules
