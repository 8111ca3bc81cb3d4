#include "rules/registry.hpp"

#include <algorithm>

// One header per rule, alphabetical.
#include "rules/check_then_insert.hpp"
#include "rules/n_plus_one.hpp"

namespace pgadvisor::rules {

const std::vector<RuleEntry>& rule_registry() {
    static const std::vector<RuleEntry> entries = {
        {"check-then-insert", &create_check_then_insert},
        {"n-plus-one", &create_n_plus_one},
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
