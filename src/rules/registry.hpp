#pragma once
// The one list of rules, and what each rule is. Adding a rule = one line in registry.cpp.
//
// Takes: a rule id. Gives: its entry: the factory, and the declarations the
// later stages act on (lint runs the catalog and migration rules, advise turns
// only the needs of index-proposing rules into index recommendations and
// titles a rewrite by its rule), so no stage lists rule ids.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rules/config.hpp"
#include "rules/rule.hpp"

namespace pgadvisor::rules {

using RuleFactory = std::unique_ptr<Rule> (*)(const RuleConfig&);

// What a rule judges.
enum class RuleKind {
    Workload,   // the statements of a log or plan (analyze)
    Catalog,    // the schema: its tables, indexes, constraints (analyze, and lint after each statement)
    Migration,  // the statements of migration files under review (lint)
};
const char* to_string(RuleKind);

struct RuleEntry {
    const char* id;  // kebab-case, as in rules/<id>.toml and docs/rules/<id>.md
    RuleFactory create;
    RuleKind kind;
    // Its findings' index needs become index recommendations (they have
    // statements to gain); otherwise they stay in its finding's fix.
    bool proposes_index = false;
    // A catalog rule that reads the server's statistics (idx_scan): it judges a
    // live catalog only, so lint, whose schemas are built from files, skips it.
    bool needs_live_statistics = false;
    // The title of the recommendation its rewrite_sql becomes, "{table}" standing
    // for the finding's table; nullptr when it writes no rewrite.
    const char* rewrite_title = nullptr;
    // It reads each session's statements in order (a loop, a SELECT then an
    // INSERT): a workload of per-statement totals (pg_stat_statements) gives it
    // nothing, and the report says so.
    bool needs_sessions = false;
};

// Every rule, alphabetical by id.
const std::vector<RuleEntry>& rule_registry();

// The entry of a rule id; nullptr for an id no rule has.
const RuleEntry* find_rule(std::string_view id);

// Whether lint runs a rule: the migration rules on the files' statements, the
// catalog rules on the schema they leave (those that need no live statistics).
bool runs_in_lint(const RuleEntry& entry);

// The title of the recommendation a finding's rewrite becomes: the rule's, or a plain one when it declares none.
std::string rewrite_title(const RuleEntry& entry, const std::string& table);

// Instances of the enabled rules of a configured set (unknown ids in the set are ignored).
std::vector<std::unique_ptr<Rule>> create_enabled_rules(const RuleSet& set);

// The longest Rule::session_lookback_ms of these rules: a session quiet this long is over for all of them.
double session_lookback_ms(const std::vector<std::unique_ptr<Rule>>& rules);

// snake_case of a rule id, as its source and test files are named: "n-plus-one" -> "n_plus_one".
std::string source_name(const std::string& rule_id);

}  // namespace pgadvisor::rules
