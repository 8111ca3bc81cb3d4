#pragma once
// Rule configuration: each rule's defaults live in rules/<id>.toml (embedded
// into the binary at build time), and users change them with a
// .pgadvisor.toml in the working directory or `--rule ID.KEY=VALUE`.
// Every override is checked against the defaults: an unknown rule or key, or
// a value of the wrong type, is an error naming where it came from.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace pgadvisor::rules {

enum class Severity { Info, Warning, Error };
const char* to_string(Severity);
std::optional<Severity> severity_from_string(std::string_view);

using OptionValue = std::variant<bool, std::int64_t, double, std::string>;

struct RuleConfig {
    std::string id;       // kebab-case, same as the file name and the doc page
    std::string summary;  // one sentence
    Severity severity = Severity::Warning;
    bool enabled = true;
    std::map<std::string, OptionValue> options;  // thresholds, by snake_case key

    // Typed reads; the defaults file guarantees the key exists with this type.
    std::int64_t integer(const std::string& key) const;
    double number(const std::string& key) const;  // integers widen to double
    bool flag(const std::string& key) const;
    const std::string& text(const std::string& key) const;
};

struct ConfigError {
    std::string source;  // file name, or "--rule"
    int line = 0;        // 0 when not from a file
    std::string message;
};

struct RuleSet {
    std::map<std::string, RuleConfig> rules;
    std::vector<ConfigError> errors;

    const RuleConfig* find(const std::string& id) const;
};

// One rule's defaults from the text of rules/<id>.toml.
std::optional<RuleConfig> parse_rule_defaults(std::string_view toml_text, const std::string& source,
                                              std::vector<ConfigError>& errors);

// The defaults of every rule, from the rules/*.toml files embedded at build time.
RuleSet load_default_rules();

// A user config (.pgadvisor.toml): [rules.<id>] tables with enabled, severity and option keys.
void apply_config_text(RuleSet& set, std::string_view toml_text, const std::string& source);
void apply_config_file(RuleSet& set, const std::string& path);

// One `--rule ID.KEY=VALUE` (e.g. n-plus-one.min_repeats=3, seq-scan.enabled=false).
void apply_override(RuleSet& set, std::string_view assignment);

// The effective configuration as TOML, for `pgadvisor rules --show-config`.
std::string to_toml(const RuleSet& set);

}  // namespace pgadvisor::rules
