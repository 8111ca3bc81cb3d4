#include "cli/rule_options.hpp"

#include <fmt/core.h>

#include <cstdio>
#include <filesystem>

namespace pgadvisor::cli {

rules::RuleSet load_rule_set(const std::vector<std::string>& overrides, const std::string& config_dir) {
    rules::RuleSet set = rules::load_default_rules();
    const auto config = std::filesystem::path(config_dir) / ".pgadvisor.toml";
    std::error_code ec;
    if (std::filesystem::is_regular_file(config, ec)) rules::apply_config_file(set, config.string());
    for (const auto& o : overrides) rules::apply_override(set, o);
    return set;
}

bool report_config_errors(const rules::RuleSet& set) {
    for (const auto& e : set.errors) {
        if (e.line > 0) fmt::print(stderr, "{}:{}: error: {}\n", e.source, e.line, e.message);
        else fmt::print(stderr, "{}: error: {}\n", e.source, e.message);
    }
    return !set.errors.empty();
}

}  // namespace pgadvisor::cli
