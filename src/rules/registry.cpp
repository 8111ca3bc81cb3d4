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

const std::vector<RuleEntry>& rule_registry() {
    static const std::vector<RuleEntry> entries = {
        {"check-then-insert", &create_check_then_insert},
        {"duplicate-index", &create_duplicate_index},
        {"fk-without-index", &create_fk_without_index},
        {"index-not-concurrently", &create_index_not_concurrently},
        {"n-plus-one", &create_n_plus_one},
        {"redundant-index", &create_redundant_index},
        {"seq-scan", &create_seq_scan},
        {"unused-index", &create_unused_index},
        {"upsert-without-unique-index", &create_upsert_without_unique_index},
    };
    return entries;
}

std::vector<std::unique_ptr<Rule>> create_enabled_rules(const RuleSet& set) {
    std::vector<std::unique_ptr<Rule>> out;
    for (const auto& entry : rule_registry()) {
        const RuleConfig* config = set.find(entry.id);
        if (config && config->enabled) out.push_back(entry.create(*config));
    }
    return out;
}

std::string source_name(const std::string& rule_id) {
    std::string out = rule_id;
    std::replace(out.begin(), out.end(), '-', '_');
    return out;
}

}  // namespace pgadvisor::rules
