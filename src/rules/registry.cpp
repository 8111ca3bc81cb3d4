#include "rules/registry.hpp"

#include <algorithm>

// One header per rule, alphabetical.
#include "rules/check_then_insert.hpp"
#include "rules/duplicate_index.hpp"
#include "rules/fk_without_index.hpp"
#include "rules/index_not_concurrently.hpp"
#include "rules/n_plus_one.hpp"
#include "rules/redundant_index.hpp"
#include "rules/seq_scan.hpp"
#include "rules/unused_index.hpp"
#include "rules/upsert_without_unique_index.hpp"

namespace pgadvisor::rules {

const char* to_string(RuleKind k) {
    switch (k) {
        case RuleKind::Workload: return "workload";
        case RuleKind::Catalog: return "catalog";
        case RuleKind::Migration: return "migration";
    }
    return "workload";
}

const std::vector<RuleEntry>& rule_registry() {
    using K = RuleKind;
    // id, factory, kind, proposes an index, needs live statistics, rewrite title, needs sessions
    static const std::vector<RuleEntry> entries = {
        {"check-then-insert", &create_check_then_insert, K::Workload, true, false,
         "Replace the SELECT-then-INSERT on {table} with one INSERT ... ON CONFLICT", true},
        {"duplicate-index", &create_duplicate_index, K::Catalog},
        {"fk-without-index", &create_fk_without_index, K::Catalog},  // its need's evidence is the schema alone
        {"index-not-concurrently", &create_index_not_concurrently, K::Migration},
        {"n-plus-one", &create_n_plus_one, K::Workload, true, false,
         "Batch the N+1 lookups on {table} into one statement", true},
        {"redundant-index", &create_redundant_index, K::Catalog},
        {"seq-scan", &create_seq_scan, K::Workload, true},
        {"unused-index", &create_unused_index, K::Catalog, false, true},
        {"upsert-without-unique-index", &create_upsert_without_unique_index, K::Migration, true},
    };
    return entries;
}

const RuleEntry* find_rule(std::string_view id) {
    for (const auto& entry : rule_registry())
        if (id == entry.id) return &entry;
    return nullptr;
}

bool runs_in_lint(const RuleEntry& entry) {
    return entry.kind == RuleKind::Migration || (entry.kind == RuleKind::Catalog && !entry.needs_live_statistics);
}

std::string rewrite_title(const RuleEntry& entry, const std::string& table) {
    std::string out = entry.rewrite_title ? entry.rewrite_title : "Rewrite the statement on {table}";
    const std::string_view placeholder = "{table}";
    if (auto at = out.find(placeholder); at != std::string::npos) out.replace(at, placeholder.size(), table);
    return out;
}

std::vector<std::unique_ptr<Rule>> create_enabled_rules(const RuleSet& set) {
    std::vector<std::unique_ptr<Rule>> out;
    for (const auto& entry : rule_registry()) {
        const RuleConfig* config = set.find(entry.id);
        if (config && config->enabled) out.push_back(entry.create(*config));
    }
    return out;
}

double session_lookback_ms(const std::vector<std::unique_ptr<Rule>>& rules) {
    double longest = 0;
    for (const auto& rule : rules) longest = std::max(longest, rule->session_lookback_ms());
    return longest;
}

std::string source_name(const std::string& rule_id) {
    std::string out = rule_id;
    std::replace(out.begin(), out.end(), '-', '_');
    return out;
}

}  // namespace pgadvisor::rules
