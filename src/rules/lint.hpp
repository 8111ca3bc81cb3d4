#pragma once
// `pgadvisor lint`'s work: migration files applied in order on top of a base
// schema, the migration rules run on their statements, and the catalog
// rules run on the schema they leave behind.
//
// Takes: a base Catalog (live, a DDL file, a migrations folder, or empty), the
// files' text, the configured rules. Gives: findings and load errors.
//
// Which rules: those the registry declares as migration rules, and as catalog
// rules that need no live statistics (rules::runs_in_lint).
//
// Semantics: catalog rules report only what the files introduce: a finding
// whose key was already present on the base schema is left out (it is not
// this change's doing), and each new finding points at the statement after
// which it first appeared.

#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "rules/config.hpp"
#include "rules/finding.hpp"

namespace pgadvisor::rules {

struct LintFile {
    std::string path;
    std::string text;
};

struct LintResult {
    std::vector<Finding> findings;           // sorted by file, line, rule
    std::vector<catalog::LoadError> errors;  // statements libpg_query could not parse: bad input
    // Statements that parse but could not be applied to the schema (a table the
    // schema given does not have, as when lint runs without one): the schema
    // rules do not see their effect; not an input error.
    std::vector<catalog::LoadError> not_applied;
};

// The rules lint runs, when enabled in the set, alphabetical.
const std::vector<std::string>& lint_rule_ids();

LintResult lint_migrations(const catalog::Catalog& base, const std::vector<LintFile>& files, const RuleSet& rules);

}  // namespace pgadvisor::rules
