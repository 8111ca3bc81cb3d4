// The shared rule configuration: defaults, then .pgadvisor.toml in the working
// directory, then --rule, each error naming where it came from.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "cli/rule_options.hpp"

using namespace pgadvisor;
namespace fs = std::filesystem;

namespace {
fs::path temp_dir(const std::string& name) {
    auto d = fs::temp_directory_path() / ("pgadvisor_rule_options_" + name);
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}
}  // namespace

TEST_CASE("rule options: defaults when there is no .pgadvisor.toml", "[cli][rule-options]") {
    auto set = cli::load_rule_set({}, temp_dir("none").string());
    CHECK(set.errors.empty());
    REQUIRE(set.find("unused-index"));
    CHECK(set.find("unused-index")->integer("min_size_bytes") == 0);
}

TEST_CASE("rule options: .pgadvisor.toml then --rule, the later wins", "[cli][rule-options]") {
    auto dir = temp_dir("file");
    std::ofstream(dir / ".pgadvisor.toml") << "[rules.unused-index]\nmin_size_bytes = 8192\n"
                                              "[rules.fk-without-index]\nenabled = false\nseverity = \"error\"\n";
    auto set = cli::load_rule_set({"unused-index.min_size_bytes=65536"}, dir.string());
    CHECK(set.errors.empty());
    CHECK(set.find("unused-index")->integer("min_size_bytes") == 65536);
    CHECK_FALSE(set.find("fk-without-index")->enabled);
    CHECK(set.find("fk-without-index")->severity == rules::Severity::Error);
    auto file_only = cli::load_rule_set({}, dir.string());
    CHECK(file_only.find("unused-index")->integer("min_size_bytes") == 8192);
}

TEST_CASE("rule options: errors name the file and line or --rule", "[cli][rule-options]") {
    auto dir = temp_dir("bad");
    std::ofstream(dir / ".pgadvisor.toml") << "[rules.unused-index]\n\nmin_size_bytes = \"big\"\n";
    auto set = cli::load_rule_set({"nope.enabled=false"}, dir.string());
    REQUIRE(set.errors.size() == 2);
    CHECK(set.errors[0].source == (dir / ".pgadvisor.toml").string());
    CHECK(set.errors[0].line == 3);
    CHECK(set.errors[1].source == "--rule");
    CHECK(cli::report_config_errors(set));
}
