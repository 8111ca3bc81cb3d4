// Rule configuration: defaults from a rule's TOML, then the user's file, then --rule.
#include <catch2/catch.hpp>

#include "rules/config.hpp"

using namespace pgadvisor::rules;

namespace {

const char* kDefaults = R"(
id = "sample-rule"
summary = "A rule used to test configuration."
severity = "warning"

[options]
min_repeats = 5
window_ms = 1000.0
check_joins = true
mode = "strict"
)";

RuleSet sample_set() {
    RuleSet set;
    auto rule = parse_rule_defaults(kDefaults, "rules/sample-rule.toml", set.errors);
    REQUIRE(rule);
    set.rules[rule->id] = *rule;
    return set;
}

}  // namespace

TEST_CASE("a rule's defaults are read with their types", "[rules][config]") {
    auto set = sample_set();
    const auto& r = set.rules.at("sample-rule");
    CHECK(r.summary == "A rule used to test configuration.");
    CHECK(r.severity == Severity::Warning);
    CHECK(r.enabled);
    CHECK(r.integer("min_repeats") == 5);
    CHECK(r.number("window_ms") == Approx(1000.0));
    CHECK(r.flag("check_joins"));
    CHECK(r.text("mode") == "strict");
    CHECK(set.errors.empty());
}

TEST_CASE("overrides given with --rule are type-checked against the defaults", "[rules][config]") {
    auto set = sample_set();
    apply_override(set, "sample-rule.min_repeats=3");
    apply_override(set, "sample-rule.window_ms=250");  // an integer is fine for a number
    apply_override(set, "sample-rule.severity=error");
    apply_override(set, "sample-rule.mode=\"loose\"");
    const auto& r = set.rules.at("sample-rule");
    CHECK(set.errors.empty());
    CHECK(r.integer("min_repeats") == 3);
    CHECK(r.number("window_ms") == Approx(250.0));
    CHECK(r.severity == Severity::Error);
    CHECK(r.text("mode") == "loose");

    apply_override(set, "sample-rule.min_repeats=lots");
    apply_override(set, "sample-rule.no_such=1");
    apply_override(set, "other-rule.enabled=false");
    apply_override(set, "garbage");
    REQUIRE(set.errors.size() == 4);
    CHECK(set.errors[0].message == "sample-rule.min_repeats must be an integer, got a string");
    CHECK(set.errors[1].message.find("has no option 'no_such'") != std::string::npos);
    CHECK(set.errors[2].message == "unknown rule 'other-rule'");
    CHECK(set.errors[3].source == "--rule");
    CHECK(r.integer("min_repeats") == 3);  // unchanged by the bad override
}

TEST_CASE(".pgadvisor.toml disables rules and sets thresholds, errors carry the line", "[rules][config]") {
    auto set = sample_set();
    apply_config_text(set,
                      "[rules.sample-rule]\n"
                      "enabled = false\n"
                      "min_repeats = 8\n"
                      "check_joins = \"yes\"\n",
                      ".pgadvisor.toml");
    const auto& r = set.rules.at("sample-rule");
    CHECK_FALSE(r.enabled);
    CHECK(r.integer("min_repeats") == 8);
    CHECK(r.flag("check_joins"));
    REQUIRE(set.errors.size() == 1);
    CHECK(set.errors[0].source == ".pgadvisor.toml");
    CHECK(set.errors[0].line == 4);
}

TEST_CASE("a broken config file is an error with its line, not a crash", "[rules][config]") {
    auto set = sample_set();
    apply_config_text(set, "[rules.sample-rule\nmin_repeats = 2\n", "broken.toml");
    REQUIRE(set.errors.size() == 1);
    CHECK(set.errors[0].source == "broken.toml");
    CHECK(set.errors[0].line == 1);
    CHECK(set.rules.at("sample-rule").integer("min_repeats") == 5);
}

TEST_CASE("rules that are not tables are errors with their line, not silently ignored", "[rules][config]") {
    // issue 16: `rules = 5` was read as no configuration at all.
    auto set = sample_set();
    apply_config_text(set, "rules = 5\n", ".pgadvisor.toml");
    REQUIRE(set.errors.size() == 1);
    CHECK(set.errors[0].line == 1);
    CHECK(set.errors[0].message.find("'rules' must be a table") != std::string::npos);

    auto nested = sample_set();
    apply_config_text(nested, "[rules]\nsample-rule = false\n", ".pgadvisor.toml");
    REQUIRE(nested.errors.size() == 1);
    CHECK(nested.errors[0].line == 2);
    CHECK(nested.errors[0].message == "rules.sample-rule must be a table of options");
    CHECK(nested.rules.at("sample-rule").enabled);  // unchanged
}

TEST_CASE("the effective configuration prints as TOML that reads back the same", "[rules][config]") {
    auto set = sample_set();
    apply_override(set, "sample-rule.min_repeats=7");
    apply_override(set, "sample-rule.enabled=false");
    const std::string text = to_toml(set);
    CHECK(text.find("[rules.sample-rule]") != std::string::npos);
    CHECK(text.find("min_repeats = 7") != std::string::npos);

    auto fresh = sample_set();
    apply_config_text(fresh, text, "printed.toml");
    CHECK(fresh.errors.empty());
    CHECK(fresh.rules.at("sample-rule").integer("min_repeats") == 7);
    CHECK_FALSE(fresh.rules.at("sample-rule").enabled);
}
