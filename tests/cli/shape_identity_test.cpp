// Tables whose names differ only in digits (partitions, numbered tables)
// through the whole analysis: libpg_query's fingerprint ignores those runs of
// digits, and the analysis once merged orders_2024, orders_2025 and orders_2026
// into one shape, proposed one index for the first table with all the others'
// time, and none for the rest (issue 13, class 6).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>

#include "advise/advise.hpp"
#include "cli/analysis.hpp"

using namespace pgadvisor;
namespace fs = std::filesystem;

namespace {

// A stderr log (the shop fixture's prefix) of `calls` lookups on `table`, each taking `ms`.
void write_lookups(std::ofstream& log, int& line, const std::string& table, int calls, double ms) {
    for (int i = 0; i < calls; ++i, ++line)
        log << "2026-11-23 09:13:" << 10 + line % 50 << ".055 UTC [8049] 6b0403bf.1f71 " << line
            << " 3/0 0 user=postgres,db=shop,app=shop-web,client=[local] LOG:  duration: " << ms
            << " ms  statement: SELECT id, cust FROM " << table << " WHERE cust = " << 17 + i << ";\n";
}

}  // namespace

TEST_CASE("analysis: one index per numbered table, each with its own statements' time",
          "[cli][analysis][shape-identity]") {
    const fs::path dir = fs::temp_directory_path() / "pgadvisor-shape-identity-test";
    fs::create_directories(dir);
    const std::map<std::string, std::pair<int, double>> tables = {{"orders_2024", {30, 3.0}},
                                                                  {"orders_2025", {20, 2.0}},
                                                                  {"orders_2026", {10, 1.0}}};
    {
        std::ofstream schema(dir / "schema.sql");
        std::ofstream log(dir / "server.log");
        int line = 1;
        for (const auto& [table, load] : tables) {
            schema << "CREATE TABLE " << table << " (id int PRIMARY KEY, cust int NOT NULL);\n";
            write_lookups(log, line, table, load.first, load.second);
        }
    }
    cli::AnalysisOptions o;
    o.inputs = {(dir / "server.log").string()};
    o.catalog.schema_file = (dir / "schema.sql").string();
    o.catalog.assume_rows = {"orders_2024=100000", "orders_2025=100000", "orders_2026=100000"};
    o.rules = rules::load_default_rules();
    auto a = cli::run_analysis(o, "test");
    REQUIRE(a.error.empty());

    // One shape per table, with that table's calls and time.
    std::map<std::string, const workload::ShapeInfo*> shape_of;
    for (const auto& s : a.workload.shapes)
        if (s.shape && s.shape->tables.size() == 1) shape_of[s.shape->tables[0].name] = &s;
    REQUIRE(shape_of.size() == 3);
    for (const auto& [table, load] : tables) {
        INFO(table);
        REQUIRE(shape_of.count(table));
        CHECK(shape_of[table]->stats.calls == load.first);
        CHECK(shape_of[table]->stats.total_ms == Approx(load.first * load.second));
    }

    advise::AdviceInput in;
    in.findings = &a.findings;
    in.workload = &a.workload;
    in.catalog = &*a.catalog.catalog;
    auto advice = advise::advise(in, {});
    std::map<std::string, const advise::Recommendation*> index_on;
    for (const auto& r : advice.recommendations) {
        if (r.kind != advise::RecommendationKind::CreateIndex) continue;
        INFO(r.title);
        CHECK_FALSE(index_on.count(r.index.table));  // one index per table
        index_on[r.index.table] = &r;
    }
    REQUIRE(index_on.size() == 3);
    for (const auto& [table, load] : tables) {
        INFO(table);
        REQUIRE(index_on.count(table));
        const auto& r = *index_on[table];
        REQUIRE(r.index.keys.size() == 1);
        CHECK(r.index.keys[0].column == "cust");
        // It serves its own table's statements only.
        REQUIRE(r.statements.size() == 1);
        CHECK(r.statements[0].calls == load.first);
        CHECK(r.statements[0].normalized.find(table) != std::string::npos);
    }
    fs::remove_all(dir);
}
