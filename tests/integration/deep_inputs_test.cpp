// Deep inputs (issue 16, "Crashes"): the binary on the files scripts/deep-inputs
// writes. Each command used to die with SIGSEGV on one such statement or
// document; now it names it at file:line and reads the rest. No server needed.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include <unistd.h>

#include "throwaway_pg.hpp"

namespace fs = std::filesystem;
using pgadvisor::test::run_command;

namespace {

// The generated inputs, once per test run.
const fs::path& deep_dir() {
    static const fs::path dir = [] {
        const fs::path d = fs::temp_directory_path() / ("pgadvisor-deep-" + std::to_string(::getpid()));
        fs::remove_all(d);
        const auto r = run_command(std::string(PGADVISOR_SOURCE_DIR) + "/scripts/deep-inputs " + d.string());
        REQUIRE(r.exit_code == 0);
        return d;
    }();
    return dir;
}

bool has(const std::string& output, const std::string& text) { return output.find(text) != std::string::npos; }

// Runs pgadvisor in the folder of the deep inputs, so messages name files as given.
pgadvisor::test::CommandResult run_in_deep_dir(const std::string& args) {
    return run_command("cd " + deep_dir().string() + " && " + PGADVISOR_BINARY + " " + args + " 2>&1");
}

}  // namespace

TEST_CASE("deep inputs: shape names each deep statement and shapes the one after it", "[integration][deep]") {
    for (const char* file : {"deep-plus.sql", "deep-union.sql", "deep-casts.sql", "deep-concat.sql"}) {
        CAPTURE(file);
        const auto r = run_in_deep_dir(std::string("shape ") + file);
        INFO(r.output.substr(0, 2000));
        CHECK(r.exit_code != 139);
        CHECK(has(r.output, std::string(file) + ":1: error: statement nested too deeply"));
        CHECK(has(r.output, "SELECT id FROM orders WHERE customer_id = $1"));
    }
}

TEST_CASE("deep inputs: analyze, check and ingest of a log go on past deep statements", "[integration][deep]") {
    for (const char* command : {"analyze", "check"}) {
        CAPTURE(command);
        const auto r = run_in_deep_dir(std::string(command) + " deep-statements.log");
        INFO(r.output.substr(0, 2000));
        CHECK(r.exit_code == 0);
        CHECK(has(r.output, "6 statements"));
        CHECK(has(r.output, "nested too deeply: 4"));
        CHECK(has(r.output, "deep-statements.log:2: statement nested too deeply"));
    }
    const auto r = run_in_deep_dir("ingest deep-statements.log");
    INFO(r.output.substr(0, 2000));
    CHECK(r.exit_code == 0);
    CHECK(has(r.output, "6 statements"));
}

TEST_CASE("deep inputs: schema, lint and analyze --schema go on past a deep DEFAULT and CHECK", "[integration][deep]") {
    const auto schema = run_in_deep_dir("schema --schema deep-schema.sql");
    INFO(schema.output.substr(0, 2000));
    CHECK(schema.exit_code == 0);
    CHECK(has(schema.output, "deep-schema.sql:2: error: cannot parse: statement nested too deeply"));
    CHECK(has(schema.output, "deep-schema.sql:3: error"));
    CHECK(has(schema.output, "orders_customer"));  // the index after them was read

    const auto migrations = run_in_deep_dir("schema --migrations migrations");
    CHECK(migrations.exit_code == 0);
    CHECK(has(migrations.output, "migrations/001_deep.sql:2: error: cannot parse: statement nested too deeply"));
    CHECK(has(migrations.output, "orders_id_customer"));

    const auto lint = run_in_deep_dir("lint migrations/001_deep.sql migrations/002_index.sql");
    INFO(lint.output.substr(0, 2000));
    CHECK(lint.exit_code != 139);
    CHECK(has(lint.output, "migrations/001_deep.sql:2: note: cannot parse: statement nested too deeply"));
    CHECK(has(lint.output, "in 2 files"));

    const auto analyze = run_in_deep_dir("analyze deep-plus.sql --schema deep-schema.sql");
    CHECK(analyze.exit_code == 0);
    CHECK(has(analyze.output, "deep-schema.sql:2: schema statement skipped"));
}

TEST_CASE("deep inputs: a jsonlog value and JSON plans nested tens of thousands deep", "[integration][deep]") {
    for (const char* command : {"ingest", "analyze"}) {
        CAPTURE(command);
        const auto json = run_in_deep_dir(std::string(command) + " deep-value.json");
        INFO(json.output.substr(0, 2000));
        CHECK(json.exit_code == 0);
        CHECK(has(json.output, "deep-value.json:1: a JSON value nested too deeply"));

        const auto plan = run_in_deep_dir(std::string(command) + " deep-plan.json");
        INFO(plan.output.substr(0, 2000));
        CHECK(plan.exit_code == 0);
        CHECK(has(plan.output, "deep-plan.json:1: the plan starting at byte 0 nested too deeply"));

        const auto auto_explain = run_in_deep_dir(std::string(command) + " deep-auto-explain.log");
        INFO(auto_explain.output.substr(0, 2000));
        CHECK(auto_explain.exit_code == 0);
        CHECK(has(auto_explain.output, "deep-auto-explain.log:1: the plan starting at byte 0 nested too deeply"));
    }
}

TEST_CASE("deep inputs: just inside the limit every command reads them whole", "[integration][deep]") {
    // 240 terms and JSON 490 levels deep: below sql::kMaxJsonDepth, so each walk runs at
    // the deepest it can be asked to, in every command (and in the AddressSanitizer build).
    const fs::path dir = fs::temp_directory_path() / ("pgadvisor-near-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    REQUIRE(run_command(std::string(PGADVISOR_SOURCE_DIR) + "/scripts/deep-inputs " + dir.string() + " 240 490 240")
                .exit_code == 0);
    for (const std::string args :
         {"shape deep-plus.sql deep-union.sql deep-casts.sql deep-concat.sql", "analyze deep-statements.log",
          "check deep-statements.log", "ingest deep-statements.log deep-value.json deep-plan.json",
          "schema --schema deep-schema.sql", "lint migrations/001_deep.sql migrations/002_index.sql",
          "analyze deep-auto-explain.log deep-plan.json --schema deep-schema.sql"}) {
        CAPTURE(args);
        const auto r = run_command("cd " + dir.string() + " && " + PGADVISOR_BINARY + " " + args + " 2>&1");
        INFO(r.output.substr(0, 2000));
        CHECK((r.exit_code == 0 || r.exit_code == 1));
        CHECK_FALSE(has(r.output, "nested too deeply"));
    }
    fs::remove_all(dir);
}
