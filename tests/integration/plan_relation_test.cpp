// A plan names a table as stored ("Relation Name": orders), with its schema only
// under EXPLAIN VERBOSE. analyze --db once looked the bare name up along
// search_path: a statement on s2.orders, planned live, got an index proposed on
// public.orders, which no statement of the log reads (issue 13, class 5). A plan
// node now maps back to the planned statement's own tables.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <filesystem>
#include <fstream>
#include <random>

#include "throwaway_pg.hpp"

using namespace pgadvisor;
using namespace pgadvisor::test;
namespace fs = std::filesystem;

TEST_CASE("analyze --db proposes the index on the schema the statement names, not on search_path's table",
          "[integration][pg][analyze][seq-scan]") {
    const auto& pg = throwaway_pg();
    const std::string db = "plan_relation_" + std::to_string(std::random_device{}() % 1000000);
    {
        pqxx::connection conn(pg.conninfo());
        pqxx::nontransaction tx(conn);
        tx.exec("CREATE DATABASE " + db);
    }
    const std::string conninfo = pg.conninfo(db);
    {
        // Two tables named orders, both large, neither with an index on cust;
        // public comes first on search_path, the application reads s2's.
        pqxx::connection conn(conninfo);
        pqxx::nontransaction tx(conn);
        tx.exec("CREATE EXTENSION hypopg");
        tx.exec("CREATE SCHEMA s2");
        for (const char* t : {"public.orders", "s2.orders"}) {
            tx.exec(std::string("CREATE TABLE ") + t + " (id int PRIMARY KEY, cust int NOT NULL, total int NOT NULL)");
            tx.exec(std::string("INSERT INTO ") + t + " SELECT g, g % 5000, g % 100 FROM generate_series(1, 100000) g");
        }
        tx.exec("ANALYZE");
    }
    const std::size_t offset = file_size(pg.json_log);
    const std::string marker = "plan-relation-done-" + db;
    {
        pqxx::connection conn(conninfo);
        conn.prepare("by_cust", "SELECT * FROM s2.orders WHERE cust = $1");
        for (int i = 0; i < 30; ++i) {
            pqxx::nontransaction tx(conn);
            tx.exec_prepared("by_cust", 17 + i);
        }
        pqxx::nontransaction tx(conn);
        tx.exec("SELECT " + tx.quote(marker));
    }
    REQUIRE(wait_for_log(pg.json_log, offset, marker) != "");
    const fs::path dir = fs::temp_directory_path() / ("pgadvisor_" + db);
    fs::create_directories(dir);
    const fs::path log = dir / "server.json";
    std::string text = read_file(pg.json_log, offset);
    text.erase(text.rfind('\n') + 1);
    std::ofstream(log) << text;

    auto analyze = run_pgadvisor("analyze " + log.string() + " --db " + shell_quoted(conninfo) + " --format json",
                                 false);
    INFO(analyze.output);
    REQUIRE(analyze.exit_code == 0);
    const auto report = nlohmann::json::parse(analyze.output);
    // The live plan was read (the finding says so), and every index is on s2.orders.
    bool live_finding = false;
    for (const auto& f : report["findings"]) {
        if (f["rule"] != "seq-scan") continue;
        UNSCOPED_INFO("finding: " << f["title"] << " on " << f["schema"] << "." << f["table"]);
        live_finding |= f["explanation"].get<std::string>().find("live EXPLAIN") != std::string::npos;
        CHECK(f["schema"] == "s2");
        for (const auto& n : f["index_needs"]) CHECK(n["schema"] == "s2");
    }
    CHECK(live_finding);
    int indexes = 0;
    for (const auto& r : report["recommendations"]) {
        if (r["kind"] != "create-index") continue;
        ++indexes;
        UNSCOPED_INFO("recommendation: " << r["title"]);
        CHECK(r["index"]["schema"] == "s2");
        CHECK(r["index"]["table"] == "orders");
        CHECK(r["index"]["keys"][0]["column"] == "cust");
    }
    CHECK(indexes == 1);
    fs::remove_all(dir);
}
