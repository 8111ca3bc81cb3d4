// The shared analysis pipeline and the baseline, on a log captured from PostgreSQL 15.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/analysis.hpp"
#include "cli/baseline.hpp"

using namespace pgadvisor;
using namespace pgadvisor::cli;

namespace {

const std::string kShopLog = std::string(PGADVISOR_TEST_FIXTURES) + "/workload/shop-session.log";

AnalysisOptions options_for(const std::vector<std::string>& inputs) {
    AnalysisOptions o;
    o.inputs = inputs;
    o.rules = rules::load_default_rules();
    return o;
}

}  // namespace

TEST_CASE("analysis reads the log, runs the rules and sorts the findings", "[cli][analysis]") {
    auto a = run_analysis(options_for({kShopLog}), "test");
    REQUIRE(a.error.empty());
    CHECK(a.ingest.statements >= 30);
    CHECK(a.workload.sessions == 4);
    REQUIRE_FALSE(a.findings.empty());
    bool n_plus_one = false;
    for (const auto& f : a.findings) n_plus_one |= f.rule_id == "n-plus-one" && f.table == "order_items";
    CHECK(n_plus_one);
    for (std::size_t i = 1; i < a.findings.size(); ++i) CHECK(a.findings[i - 1].severity >= a.findings[i].severity);
    CHECK(count_at_or_above(a.findings, rules::Severity::Info) == a.findings.size());
}

TEST_CASE("a disabled rule reports nothing", "[cli][analysis]") {
    auto o = options_for({kShopLog});
    rules::apply_override(o.rules, "n-plus-one.enabled=false");
    REQUIRE(o.rules.errors.empty());
    auto a = run_analysis(o, "test");
    for (const auto& f : a.findings) CHECK(f.rule_id != "n-plus-one");
}

TEST_CASE("a bad schema source stops the analysis with a usage error", "[cli][analysis]") {
    auto o = options_for({kShopLog});
    o.catalog.schema_file = "a.sql";
    o.catalog.migrations_dir = "dir";
    auto a = run_analysis(o, "check");
    CHECK(a.error == "pgadvisor check: give at most one of --db, --schema, --migrations");
}

TEST_CASE("a baseline written from a run suppresses exactly those findings", "[cli][baseline]") {
    auto a = run_analysis(options_for({kShopLog}), "test");
    REQUIRE_FALSE(a.findings.empty());
    const auto path = (std::filesystem::temp_directory_path() / "pgadvisor-baseline-test.json").string();
    std::string error;
    REQUIRE(write_baseline(path, a.findings, error));
    auto b = read_baseline(path, error);
    REQUIRE(b);
    CHECK(b->known.size() == a.findings.size());

    auto again = a.findings;
    rules::Finding fresh;
    fresh.rule_id = "n-plus-one";
    fresh.key = "0000000000000000";
    again.push_back(fresh);
    CHECK(remove_known(again, *b) == a.findings.size());
    REQUIRE(again.size() == 1);
    CHECK(again[0].key == "0000000000000000");
    std::remove(path.c_str());
}

TEST_CASE("a broken baseline is an error naming the file", "[cli][baseline]") {
    const auto path = (std::filesystem::temp_directory_path() / "pgadvisor-broken-baseline.json").string();
    std::ofstream(path) << "{\"findings\": 3}";
    std::string error;
    CHECK_FALSE(read_baseline(path, error));
    CHECK(error == path + ": not a pgadvisor baseline (write one with --write-baseline)");
    CHECK_FALSE(read_baseline(path + ".missing", error));
    CHECK(error.find(path + ".missing: cannot read") == 0);
    std::remove(path.c_str());
}

// Issue 16, files: the baseline went through "<path>.tmp" with a plain open, so
// a link planted there wrote the baseline into whatever it pointed at.
TEST_CASE("baseline: written whole, never through a link planted beside or at its path", "[cli][baseline]") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / "pgadvisor-baseline-links";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path victim = dir / "victim.txt";
    std::ofstream(victim) << "keep me\n";
    const fs::path path = dir / "baseline.json";
    fs::create_symlink(victim, dir / "baseline.json.tmp");
    std::string error;
    REQUIRE(write_baseline(path.string(), {}, error));
    fs::create_symlink(victim, dir / "second.json");
    REQUIRE(write_baseline((dir / "second.json").string(), {}, error));
    std::ifstream in(victim);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(text == "keep me\n");
    CHECK(read_baseline(path.string(), error));
    CHECK(read_baseline((dir / "second.json").string(), error));
    fs::remove_all(dir);
}
