// The command line as one set of definitions: a flag name means one thing in
// every command (--format is the report on stdout; the input's format is
// --input-format), and a command that does not take a flag says so (exit 2).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli/app.hpp"

namespace {

int run_cli(std::vector<std::string> args) {
    args.insert(args.begin(), "pgadvisor");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    return pgadvisor::cli::run(static_cast<int>(argv.size()), argv.data());
}

const std::string kSql = std::string(PGADVISOR_TEST_FIXTURES) + "/catalog/shop_schema.sql";

}  // namespace

TEST_CASE("cli: --format is the report format, never the input's", "[cli][app]") {
    // ingest reads its input format from --input-format; --format is not an ingest flag.
    CHECK(run_cli({"ingest", "--format", "csvlog", kSql}) == pgadvisor::cli::kExitUsage);
    CHECK(run_cli({"ingest", "--input-format", "nope", kSql}) == pgadvisor::cli::kExitUsage);
    // lint takes --format like analyze and check do (text, json, markdown, sarif), not --json.
    CHECK(run_cli({"lint", kSql, "--json"}) == pgadvisor::cli::kExitUsage);
    CHECK(run_cli({"lint", kSql, "--format", "xml"}) == pgadvisor::cli::kExitUsage);
    CHECK(run_cli({"analyze", kSql, "--format", "xml"}) == pgadvisor::cli::kExitUsage);
}

TEST_CASE("cli: the schema source options are the same in every command", "[cli][app]") {
    // Two sources at once are refused alike; --statement-timeout is accepted by each command that takes --db.
    for (const char* cmd : {"schema", "lint", "analyze"}) {
        std::vector<std::string> args{cmd};
        if (std::string(cmd) != "schema") args.push_back(kSql);
        for (const char* a : {"--schema", "x.sql", "--migrations", "dir", "--statement-timeout", "2"})
            args.push_back(a);
        CAPTURE(cmd);
        CHECK(run_cli(args) == pgadvisor::cli::kExitUsage);
    }
}

TEST_CASE("cli: a bad option value is a usage error naming the option", "[cli][app]") {
    // issue 16: each of these was accepted (or, --timestamp with --out, aborted with exit 134).
    const std::string log = std::string(PGADVISOR_TEST_FIXTURES) + "/workload/shop-session.log";
    const std::vector<std::vector<std::string>> bad = {
        {"analyze", log, "--timestamp", "2026"},
        {"analyze", log, "--timestamp", "20261301000000"},  // month 13
        {"analyze", log, "--timestamp", "20260230120000"},  // 30 February
        {"analyze", log, "--rtt", "-1"},
        {"analyze", log, "--rtt", "nan"},
        {"check", log, "--rtt", "inf"},
        {"analyze", log, "--max-indexes-per-table", "-1"},
        {"analyze", log, "--statement-timeout", "nan"},
        {"analyze", log, "--statement-timeout", "inf"},
        {"analyze", log, "--statement-timeout", "1e10"},
        {"analyze", log, "--statement-timeout", "0"},  // PostgreSQL's "no limit": a hang, never a limit
        {"schema", "--schema", kSql, "--statement-timeout", "-5"},
        {"ingest", log, "--top", "-1"},
        {"ingest", log, "--top", "1.5"},
    };
    for (const auto& args : bad) {
        CAPTURE(args);
        CHECK(run_cli(args) == pgadvisor::cli::kExitUsage);
    }
    // The values they replace still work.
    CHECK(run_cli({"ingest", log, "--top", "0"}) == pgadvisor::cli::kExitOk);
    CHECK(run_cli({"analyze", log, "--rtt", "0.5", "--max-indexes-per-table", "2", "--timestamp", "20240229235959",
                   "--statement-timeout", "30"}) == pgadvisor::cli::kExitOk);
}

TEST_CASE("cli: an input that does not exist is a usage error, even among others", "[cli][app]") {
    const std::string log = std::string(PGADVISOR_TEST_FIXTURES) + "/workload/shop-session.log";
    CHECK(run_cli({"analyze", log, "/nonexistent/pgadvisor.log"}) == pgadvisor::cli::kExitUsage);
    CHECK(run_cli({"ingest", "/nonexistent/pgadvisor.log", log}) == pgadvisor::cli::kExitUsage);
    CHECK(run_cli({"shape", "/nonexistent/q.sql"}) == pgadvisor::cli::kExitUsage);
    CHECK(run_cli({"lint", "/nonexistent/001.sql"}) == pgadvisor::cli::kExitUsage);
}

TEST_CASE("cli: lint of a folder lints its migrations, and a folder without any is an error", "[cli][app]") {
    const std::string migrations = std::string(PGADVISOR_TEST_FIXTURES) + "/catalog/migrations/plain";
    CHECK(run_cli({"lint", migrations, "--fail-on", "none"}) == pgadvisor::cli::kExitOk);
    // issue 16: a folder with no .sql file said "0 findings in 1 file" and exited 0.
    const std::string empty = std::string(PGADVISOR_TEST_FIXTURES) + "/fuzz-regressions";
    CHECK(run_cli({"lint", empty}) == pgadvisor::cli::kExitUsage);
}

// Issue 16, files: --report-json named the log itself and replaced it with the report.
TEST_CASE("cli: a report file that is one of the inputs is refused, the input untouched", "[cli][app]") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / "pgadvisor-report-over-input";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path log = dir / "shop.log";
    fs::copy_file(std::string(PGADVISOR_TEST_FIXTURES) + "/workload/shop-session.log", log);
    const auto size = fs::file_size(log);
    fs::create_symlink(log, dir / "alias.json");  // the same file by another name
    for (const char* report : {"--report-json", "--report-markdown"}) {
        CHECK(run_cli({"analyze", log.string(), report, log.string()}) == pgadvisor::cli::kExitUsage);
        CHECK(run_cli({"check", log.string(), report, (dir / "alias.json").string()}) == pgadvisor::cli::kExitUsage);
        CHECK(fs::file_size(log) == size);
    }
    // Another file is written as before.
    CHECK(run_cli({"analyze", log.string(), "--report-json", (dir / "report.json").string()}) == 0);
    CHECK(fs::file_size(dir / "report.json") > 0);
    fs::remove_all(dir);
}

TEST_CASE("cli: the readers' notes reach analyze's report, as ingest prints them", "[cli][app]") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / "pgadvisor-ingest-notes";
    fs::remove_all(dir);
    fs::create_directories(dir);
    // The server's log_line_prefix changes at line 3.
    const fs::path log = dir / "reconfigured.log";
    std::ofstream(log) << "2026-11-23 08:00:00.000 UTC [10] LOG:  duration: 1.000 ms  statement: SELECT 1\n"
                          "2026-11-23 08:00:01.000 UTC [10] LOG:  duration: 1.000 ms  statement: SELECT 2\n"
                          "2026-11-23 09:00:00 UTC [20]: [1-1] user=app,db=shop LOG:  duration: 2.000 ms  "
                          "statement: SELECT 3\n"
                          "2026-11-23 09:00:01 UTC [20]: [2-1] user=app,db=shop LOG:  duration: 2.000 ms  "
                          "statement: SELECT 4\n";
    const fs::path report = dir / "report.json";
    REQUIRE(run_cli({"analyze", log.string(), "--report-json", report.string()}) == 0);
    std::ifstream in(report);
    const auto doc = nlohmann::json::parse(in);
    bool noted = false;
    for (const auto& n : doc["notes"])
        noted = noted || n.get<std::string>().find("reconfigured.log:3: log_line_prefix changed") != std::string::npos;
    CHECK(noted);
    fs::remove_all(dir);
}

TEST_CASE("cli: lint's files and a baseline are read within the caps: /dev/zero is refused at once", "[cli][app]") {
    // Before, each was read whole by an unbounded stream: /dev/zero grew until bad_alloc.
    CHECK(run_cli({"lint", "/dev/zero"}) == pgadvisor::cli::kExitUsage);
    const std::string log = std::string(PGADVISOR_TEST_FIXTURES) + "/workload/shop-session.log";
    CHECK(run_cli({"check", log, "--baseline", "/dev/zero"}) == pgadvisor::cli::kExitUsage);
}
