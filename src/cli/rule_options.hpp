#pragma once
// The rule configuration every command that runs rules shares: the compiled-in
// defaults (rules/<id>.toml), then .pgadvisor.toml in the working directory
// when there is one, then each --rule ID.KEY=VALUE in order.

#include <string>
#include <vector>

#include "rules/config.hpp"

namespace pgadvisor::cli {

// Errors (unknown rule or key, wrong type, bad TOML) are in the set's errors.
rules::RuleSet load_rule_set(const std::vector<std::string>& overrides, const std::string& config_dir = ".");

// Prints each configuration error as "source:line: error: message" on stderr;
// returns true when there was any (the command should exit 2).
bool report_config_errors(const rules::RuleSet& set);

}  // namespace pgadvisor::cli
