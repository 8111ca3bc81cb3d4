// The command line as one set of definitions: a flag name means one thing in
// every command (--format is the report on stdout; the input's format is
// --input-format), and a command that does not take a flag says so (exit 2).
#include <catch2/catch.hpp>

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
    // lint takes --format like analyze does (text or json), not --json.
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
