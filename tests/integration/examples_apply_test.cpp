// Every file pgadvisor writes for every bundled example (the shop, pgbench and
// the ORM applications of issue 14) applies on PostgreSQL 15 (issue 13, "Done
// when"): each example's captured pg_dump schema in a fresh database, then
// `analyze` offline, offline with --show-literals, and live with --db; every up
// migration runs with psql -v ON_ERROR_STOP=1 -f, as its header says, and every
// review statement is prepared and planned on that schema.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include "sql/shape.hpp"
#include "throwaway_pg.hpp"

using namespace pgadvisor;
using namespace pgadvisor::test;
namespace fs = std::filesystem;

namespace {

const fs::path kExamples = fs::path(PGADVISOR_SHOP_DIR).parent_path();

// The examples with a committed capture: examples/<name>/captured/{postgresql.log,schema.sql}.
std::vector<fs::path> captured_examples() {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(kExamples))
        if (fs::exists(e.path() / "captured" / "postgresql.log") && fs::exists(e.path() / "captured" / "schema.sql"))
            out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

// A fresh database holding the example's schema, as pg_dump wrote it.
std::string database_with_schema(const fs::path& example) {
    const std::string db = "examples_" + std::to_string(std::random_device{}() % 1000000);
    {
        pqxx::connection conn(throwaway_pg().conninfo());
        pqxx::nontransaction tx(conn);
        tx.exec("CREATE DATABASE " + db);
    }
    const std::string conninfo = throwaway_pg().conninfo(db);
    auto schema = run_psql_file(conninfo, (example / "captured" / "schema.sql").string());
    INFO(schema.output);
    REQUIRE(schema.exit_code == 0);
    pqxx::connection conn(conninfo);
    pqxx::nontransaction tx(conn);
    tx.exec("CREATE EXTENSION IF NOT EXISTS hypopg");
    return conninfo;
}

// The up migrations in apply order and the review files of an --out folder.
void files_of(const fs::path& out, std::vector<fs::path>& ups, std::vector<fs::path>& reviews) {
    for (const auto& e : fs::recursive_directory_iterator(out)) {
        const std::string name = e.path().filename().string();
        if (!e.is_regular_file() || !name.ends_with(".sql")) continue;
        if (e.path().parent_path().filename() == "review") reviews.push_back(e.path());
        else if (!name.ends_with(".down.sql")) ups.push_back(e.path());
    }
    std::sort(ups.begin(), ups.end());
}

// Prepared and planned with NULL for each parameter: EXPLAIN runs nothing.
void plan_review_statements(const std::string& conninfo, const fs::path& review) {
    INFO(review.string());
    pqxx::connection conn(conninfo);
    int n = 0;
    for (const auto& s : sql::shape_statements(read_file(review.string()))) {
        REQUIRE(s.shape);
        std::string statement = s.shape->text;
        while (!statement.empty() && (statement.back() == ';' || statement.back() == '\n')) statement.pop_back();
        pqxx::read_transaction tx(conn);
        const std::string name = "review_" + std::to_string(n++);
        CHECK_NOTHROW(tx.exec("PREPARE " + name + " AS " + statement));
        const int params = tx.exec("SELECT cardinality(parameter_types) FROM pg_prepared_statements WHERE name = " +
                                   tx.quote(name))[0][0]
                               .as<int>();
        std::string nulls;
        for (int i = 0; i < params; ++i) nulls += std::string(i ? ", " : "") + "NULL";
        CHECK_NOTHROW(tx.exec("EXPLAIN EXECUTE " + name + (params ? "(" + nulls + ")" : std::string())));
        tx.abort();
    }
    CHECK(n > 0);
}

}  // namespace

TEST_CASE("examples: every migration and review file applies on PostgreSQL 15, offline and live",
          "[integration][pg][examples]") {
    const auto examples = captured_examples();
    REQUIRE(examples.size() >= 5);
    for (const auto& example : examples) {
        for (const std::string mode : {"offline", "show-literals", "live"}) {
            DYNAMIC_SECTION(example.filename().string() << " " << mode) {
                const std::string conninfo = database_with_schema(example);
                const fs::path out = fs::temp_directory_path() / ("pgadvisor_examples_" + example.filename().string() +
                                                                  "_" + mode + "_" + std::to_string(::getpid()));
                fs::remove_all(out);
                const fs::path captured = example / "captured";
                std::string args = "analyze ";
                if (mode == "live") args += (captured / "postgresql.log").string() + " --db " + shell_quoted(conninfo);
                else args += captured.string();
                if (mode == "show-literals") args += " --show-literals";
                auto analyze = run_pgadvisor(args + " --out " + out.string() + " --timestamp 20260101000000");
                INFO(analyze.output);
                REQUIRE(analyze.exit_code == 0);
                if (!fs::exists(out)) continue;  // nothing to advise (pgbench)
                std::vector<fs::path> ups, reviews;
                files_of(out, ups, reviews);
                for (const auto& up : ups) {
                    auto psql = run_psql_file(conninfo, up.string());
                    INFO(up.string() << "\n" << psql.output);
                    CHECK(psql.exit_code == 0);
                }
                for (const auto& review : reviews) plan_review_statements(conninfo, review);
                fs::remove_all(out);
            }
        }
    }
}
