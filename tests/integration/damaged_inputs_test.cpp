// Nothing is lost: a folder of inputs with every kind of damage beside one
// good log. pgadvisor analyze finishes, says what it skipped with file:line,
// and still analyses the good log (its N+1 loop is found).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/stat.h>
#include <unistd.h>

#include "throwaway_pg.hpp"

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void spit(const fs::path& p, const std::string& content) { std::ofstream(p, std::ios::binary) << content; }

const std::string kLine = "2026-01-01 10:00:00.000 UTC [77] user=app,db=shop LOG:  duration: 1.000 ms  statement: ";

}  // namespace

TEST_CASE("damaged inputs: the run finishes, names what it skipped with file:line and analyses the rest",
          "[integration][bad-input]") {
    const fs::path fixtures(PGADVISOR_TEST_FIXTURES);
    const fs::path dir = fs::temp_directory_path() / ("pgadvisor-damaged-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);

    // The good one: a log captured from PostgreSQL with an N+1 loop on order_items.
    fs::copy_file(fixtures / "workload" / "shop-session.log", dir / "good.log");
    // Cut in the middle of a multi-line statement (no newline at the end).
    spit(dir / "cut-statement.log", kLine + "SELECT 1;\n" + kLine + "SELECT a,\n\tb FROM t WHERE x = 'unfinish");
    // A csvlog cut inside a quoted field.
    const std::string csv = slurp(fixtures / "ingest" / "pg15-workload.csv");
    const auto in_quote = csv.find("LOG,00000,\"", csv.size() / 3);
    REQUIRE(in_quote != std::string::npos);
    spit(dir / "cut-quote.csv", csv.substr(0, in_quote + 20));
    // Invalid UTF-8 and NUL bytes inside statements.
    spit(dir / "bad-bytes.log", kLine + "SELECT '\xff\xfe\xc3' AS x;\n" + kLine +
                                    std::string("SELECT 1\0\0 AS y;\n", 18) + kLine + "SELECT 2;\n");
    // A 10 MB single line.
    spit(dir / "long-line.log", kLine + "SELECT '" + std::string(10 << 20, 'a') + "';\n" + kLine + "SELECT 3;\n");
    // An EXPLAIN plan cut in half.
    const std::string plans = slurp(fixtures / "ingest" / "two-json-plans.json");
    spit(dir / "half-plan.json", plans.substr(0, plans.size() / 2));
    // An empty file, and a file name that leads nowhere.
    spit(dir / "empty.log", "");
    fs::create_symlink(dir / "does-not-exist.log", dir / "dangling.log");
    // Unreadable by permissions (root reads it anyway: then it is just another log).
    spit(dir / "locked.log", kLine + "SELECT 4;\n");
    ::chmod((dir / "locked.log").c_str(), 0);

    auto r = pgadvisor::test::run_pgadvisor("analyze " + dir.string() + " --format json", false);
    REQUIRE(r.exit_code == 0);
    const auto report = nlohmann::json::parse(r.output);

    // The rest was analysed: the good log's N+1 loop is there.
    bool n_plus_one = false;
    for (const auto& f : report["findings"]) n_plus_one |= f["rule"] == "n-plus-one";
    CHECK(n_plus_one);

    // Every damaged file is named, with a line where one makes sense.
    std::string problems;
    for (const auto& p : report["input_problems"])
        for (const auto& e : p["examples"]) problems += e.get<std::string>() + "\n";
    INFO(problems);
    CHECK(problems.find("cut-statement.log:") != std::string::npos);
    CHECK(problems.find("cut-quote.csv:") != std::string::npos);
    CHECK(problems.find("bad-bytes.log:") != std::string::npos);
    CHECK(problems.find("half-plan.json") != std::string::npos);
    CHECK(problems.find("dangling.log") != std::string::npos);
    if (::geteuid() != 0) CHECK(problems.find("locked.log") != std::string::npos);
    // Nothing of the damaged statements' text is printed.
    CHECK(r.output.find("unfinish") == std::string::npos);
    CHECK(r.output.find(std::string(64, 'a')) == std::string::npos);
    fs::remove_all(dir);
}
