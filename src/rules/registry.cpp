#include "rules/registry.hpp"

#include <algorithm>

namespace pgadvisor::rules {

// One factory per rule, declared by the rule's own source file.
std::unique_ptr<Rule> create_seq_scan(const RuleConfig&);

const std::vector<RuleEntry>& rule_registry() {
    static const std::vector<RuleEntry> entries = {
        // {"rule-id", &create_rule_id},   one line per rule, alphabetical
        {"seq-scan", &create_seq_scan},
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
