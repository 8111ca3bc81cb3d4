// Every rule is one source file + one test + one doc page + one config, same id
// everywhere, one registry (CONTRIBUTING.md). This test fails when a rule
// lacks any of them or when a config or doc page has no rule.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "rules/config.hpp"
#include "rules/registry.hpp"

namespace fs = std::filesystem;
using namespace pgadvisor::rules;

namespace {

const fs::path kRoot = PGADVISOR_SOURCE_DIR;

std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::set<std::string> stems(const fs::path& dir, const std::string& ext) {
    std::set<std::string> out;
    if (!fs::exists(dir)) return out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ext) out.insert(e.path().stem().string());
    return out;
}

}  // namespace

TEST_CASE("every registered rule has its source, test, doc page and config", "[rules][registry]") {
    const auto defaults = load_default_rules();
    INFO("errors in rules/*.toml: " << defaults.errors.size());
    CHECK(defaults.errors.empty());
    std::string previous;
    for (const auto& entry : rule_registry()) {
        const std::string id = entry.id;
        INFO("rule " << id);
        CHECK(id > previous);  // alphabetical, one line each
        previous = id;
        const std::string snake = source_name(id);
        CHECK(fs::exists(kRoot / "src/rules" / (snake + ".cpp")));
        CHECK(fs::exists(kRoot / "tests/rules" / (snake + "_test.cpp")));
        CHECK(fs::exists(kRoot / "rules" / (id + ".toml")));
        const fs::path doc = kRoot / "docs/rules" / (id + ".md");
        REQUIRE(fs::exists(doc));
        // The doc page names its rule and has the sections a user needs.
        const std::string text = slurp(doc);
        CHECK(text.rfind("# " + id, 0) == 0);
        for (const char* section : {"## What it finds", "## Why it matters", "## Example", "## Fix", "## Options",
                                    "## Known false positives"})
            CHECK(text.find(section) != std::string::npos);
        // Its defaults are compiled in and every option is documented on the page.
        const RuleConfig* config = defaults.find(id);
        REQUIRE(config);
        for (const auto& [key, value] : config->options) CHECK(text.find("`" + key + "`") != std::string::npos);
        // The factory builds it with that config.
        auto rule = entry.create(*config);
        REQUIRE(rule);
        CHECK(rule->id() == id);
    }
}

TEST_CASE("no config or doc page exists without a registered rule", "[rules][registry]") {
    std::set<std::string> registered;
    for (const auto& entry : rule_registry()) registered.insert(entry.id);
    for (const auto& id : stems(kRoot / "rules", ".toml")) {
        INFO("rules/" << id << ".toml");
        CHECK(registered.count(id) == 1);
    }
    for (const auto& id : stems(kRoot / "docs/rules", ".md")) {
        INFO("docs/rules/" << id << ".md");
        CHECK(registered.count(id) == 1);
    }
    CHECK(load_default_rules().rules.size() == registered.size());
}
