#include "rules/config.hpp"

#include <fmt/core.h>
#include <toml++/toml.h>

#include <fstream>
#include <sstream>

#include "ingest/input.hpp"
#include "rules/embedded_defaults.hpp"
#include "rules/finding.hpp"

namespace pgadvisor::rules {
namespace {

int line_of(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

const char* type_name(const OptionValue& v) {
    switch (v.index()) {
        case 0: return "a boolean";
        case 1: return "an integer";
        case 2: return "a number";
        default: return "a string";
    }
}

std::string value_text(const OptionValue& v) {
    return std::visit(
        [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, bool>) return x ? "true" : "false";
            else if constexpr (std::is_same_v<T, std::string>) {
                std::ostringstream out;
                out << toml::value<std::string>(x);
                return out.str();
            } else if constexpr (std::is_same_v<T, double>) {
                std::ostringstream out;
                out << toml::value<double>(x);
                return out.str();
            } else return std::to_string(x);
        },
        v);
}

std::optional<OptionValue> from_node(const toml::node& n) {
    if (auto b = n.as_boolean()) return OptionValue{b->get()};
    if (auto i = n.as_integer()) return OptionValue{i->get()};
    if (auto d = n.as_floating_point()) return OptionValue{d->get()};
    if (auto s = n.as_string()) return OptionValue{s->get()};
    return std::nullopt;
}

// A new value for an option must keep the default's type (an integer may be given for a number).
std::optional<OptionValue> coerce(const OptionValue& def, const OptionValue& given) {
    if (def.index() == given.index()) return given;
    if (std::holds_alternative<double>(def) && std::holds_alternative<std::int64_t>(given))
        return OptionValue{static_cast<double>(std::get<std::int64_t>(given))};
    return std::nullopt;
}

// Apply key = value to one rule; returns an error message or empty.
std::string set_key(RuleConfig& rule, const std::string& key, const OptionValue& value) {
    if (key == "enabled") {
        if (!std::holds_alternative<bool>(value)) return fmt::format("{}.enabled must be true or false", rule.id);
        rule.enabled = std::get<bool>(value);
        return {};
    }
    if (key == "severity") {
        auto s = std::holds_alternative<std::string>(value) ? severity_from_string(std::get<std::string>(value))
                                                            : std::nullopt;
        if (!s) return fmt::format("{}.severity must be \"info\", \"warning\" or \"error\"", rule.id);
        rule.severity = *s;
        return {};
    }
    auto it = rule.options.find(key);
    if (it == rule.options.end()) {
        std::string known = "enabled, severity";
        for (const auto& [k, v] : rule.options) known += ", " + k;
        return fmt::format("rule {} has no option '{}' (options: {})", rule.id, key, known);
    }
    auto v = coerce(it->second, value);
    if (!v) return fmt::format("{}.{} must be {}, got {}", rule.id, key, type_name(it->second), type_name(value));
    it->second = *v;
    return {};
}

// The value part of --rule ID.KEY=VALUE, read as a TOML value so types are the same as in files.
std::optional<OptionValue> parse_value_text(std::string_view text) {
    try {
        auto doc = toml::parse(fmt::format("v = {}", text));
        if (auto* n = doc.get("v")) return from_node(*n);
    } catch (const toml::parse_error&) {
    }
    // A bare word is taken as a string: --rule seq-scan.severity=error
    return OptionValue{std::string(text)};
}

}  // namespace

const char* to_string(Severity s) {
    switch (s) {
        case Severity::Info: return "info";
        case Severity::Warning: return "warning";
        case Severity::Error: return "error";
    }
    return "warning";
}

const char* to_string(Confidence c) {
    switch (c) {
        case Confidence::Low: return "low";
        case Confidence::Medium: return "medium";
        case Confidence::High: return "high";
    }
    return "medium";
}

std::optional<Severity> severity_from_string(std::string_view s) {
    if (s == "info") return Severity::Info;
    if (s == "warning") return Severity::Warning;
    if (s == "error") return Severity::Error;
    return std::nullopt;
}

std::int64_t RuleConfig::integer(const std::string& key) const { return std::get<std::int64_t>(options.at(key)); }

double RuleConfig::number(const std::string& key) const {
    const auto& v = options.at(key);
    if (auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    return std::get<double>(v);
}

bool RuleConfig::flag(const std::string& key) const { return std::get<bool>(options.at(key)); }

const std::string& RuleConfig::text(const std::string& key) const { return std::get<std::string>(options.at(key)); }

const RuleConfig* RuleSet::find(const std::string& id) const {
    auto it = rules.find(id);
    return it == rules.end() ? nullptr : &it->second;
}

std::optional<RuleConfig> parse_rule_defaults(std::string_view toml_text, const std::string& source,
                                              std::vector<ConfigError>& errors) {
    toml::table doc;
    try {
        doc = toml::parse(toml_text, source);
    } catch (const toml::parse_error& e) {
        errors.push_back({source, static_cast<int>(e.source().begin.line), std::string(e.description())});
        return std::nullopt;
    }
    RuleConfig rule;
    auto need_string = [&](const char* key) -> std::optional<std::string> {
        if (auto v = doc[key].value<std::string>()) return v;
        errors.push_back({source, 0, fmt::format("missing string '{}'", key)});
        return std::nullopt;
    };
    auto id = need_string("id");
    auto summary = need_string("summary");
    auto severity = need_string("severity");
    if (!id || !summary || !severity) return std::nullopt;
    rule.id = *id;
    rule.summary = *summary;
    if (auto s = severity_from_string(*severity)) rule.severity = *s;
    else {
        errors.push_back({source, line_of(*doc.get("severity")), "severity must be info, warning or error"});
        return std::nullopt;
    }
    rule.enabled = doc["enabled"].value_or(true);
    if (auto* options = doc["options"].as_table()) {
        for (const auto& [key, node] : *options) {
            auto v = from_node(node);
            if (!v) {
                errors.push_back({source, line_of(node), fmt::format("option '{}' must be a scalar", key.str())});
                return std::nullopt;
            }
            rule.options[std::string(key.str())] = *v;
        }
    }
    return rule;
}

RuleSet load_default_rules() {
    RuleSet set;
    for (const auto& file : embedded_rule_files()) {
        const std::string source = "rules/" + std::string(file.name);
        auto rule = parse_rule_defaults(file.text, source, set.errors);
        if (!rule) continue;
        if (rule->id + ".toml" != file.name)
            set.errors.push_back({source, 0, fmt::format("id '{}' does not match the file name", rule->id)});
        set.rules[rule->id] = std::move(*rule);
    }
    return set;
}

void apply_config_text(RuleSet& set, std::string_view toml_text, const std::string& source) {
    toml::table doc;
    try {
        doc = toml::parse(toml_text, source);
    } catch (const toml::parse_error& e) {
        set.errors.push_back({source, static_cast<int>(e.source().begin.line), std::string(e.description())});
        return;
    }
    for (const auto& [top, node] : doc) {
        if (top.str() != "rules") {
            set.errors.push_back(
                {source, line_of(node), fmt::format("unknown section '{}' (expected [rules.<id>])", top.str())});
            continue;
        }
        auto* rules = node.as_table();
        if (!rules) {
            set.errors.push_back({source, line_of(node), "'rules' must be a table: [rules.<id>] sections"});
            continue;
        }
        for (const auto& [id, rule_node] : *rules) {
            auto it = set.rules.find(std::string(id.str()));
            if (it == set.rules.end()) {
                set.errors.push_back({source, line_of(rule_node), fmt::format("unknown rule '{}'", id.str())});
                continue;
            }
            auto* keys = rule_node.as_table();
            if (!keys) {
                set.errors.push_back(
                    {source, line_of(rule_node), fmt::format("rules.{} must be a table of options", id.str())});
                continue;
            }
            for (const auto& [key, value_node] : *keys) {
                auto v = from_node(value_node);
                std::string err = v ? set_key(it->second, std::string(key.str()), *v)
                                    : fmt::format("{}.{} must be a scalar", id.str(), key.str());
                if (!err.empty()) set.errors.push_back({source, line_of(value_node), err});
            }
        }
    }
}

namespace {
constexpr std::size_t kMaxConfigBytes = 1u << 20;  // a .pgadvisor.toml is a few KB
}  // namespace

void apply_config_file(RuleSet& set, const std::string& path) {
    auto whole = ingest::read_whole_file(path, kMaxConfigBytes);  // binary input refused, size capped
    if (!whole.text) {
        set.errors.push_back({path, 0, "cannot read the file: " + whole.error});
        return;
    }
    apply_config_text(set, *whole.text, path);
}

void apply_override(RuleSet& set, std::string_view assignment) {
    const auto eq = assignment.find('=');
    const auto dot = assignment.substr(0, eq).find('.');
    if (eq == std::string_view::npos || dot == std::string_view::npos) {
        set.errors.push_back({"--rule", 0, fmt::format("'{}' is not ID.KEY=VALUE", assignment)});
        return;
    }
    const std::string id(assignment.substr(0, dot));
    const std::string key(assignment.substr(dot + 1, eq - dot - 1));
    auto it = set.rules.find(id);
    if (it == set.rules.end()) {
        set.errors.push_back({"--rule", 0, fmt::format("unknown rule '{}'", id)});
        return;
    }
    auto value = parse_value_text(assignment.substr(eq + 1));
    std::string err = set_key(it->second, key, *value);
    if (!err.empty()) set.errors.push_back({"--rule", 0, err});
}

std::string to_toml(const RuleSet& set) {
    std::string out;
    for (const auto& [id, rule] : set.rules) {
        out += fmt::format("[rules.{}]\n# {}\nenabled = {}\nseverity = \"{}\"\n", id, rule.summary,
                           rule.enabled ? "true" : "false", to_string(rule.severity));
        for (const auto& [key, value] : rule.options) out += fmt::format("{} = {}\n", key, value_text(value));
        out += "\n";
    }
    return out;
}

}  // namespace pgadvisor::rules
