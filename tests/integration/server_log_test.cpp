// The loop every later integration test uses: run statements against the
// throwaway server through libpqxx, then find them in the server's own log.
#include <catch2/catch.hpp>

#include <pqxx/pqxx>

#include <random>
#include <string>

#include "throwaway_pg.hpp"

using namespace pgadvisor::test;

TEST_CASE("statements run through libpqxx appear in the server's log", "[integration][pg]") {
    const auto& pg = throwaway_pg();
    const std::size_t before = file_size(pg.stderr_log);
    const std::string marker = "pgadvisor_marker_" + std::to_string(std::random_device{}());

    pqxx::connection conn(pg.conninfo());
    {
        pqxx::nontransaction tx(conn);
        tx.exec("SET application_name = 'pgadvisor-it'");
        tx.exec("CREATE TEMP TABLE " + marker + " (id int PRIMARY KEY, note text)");
        tx.exec("INSERT INTO " + marker + " SELECT g, 'n' || g FROM generate_series(1, 50) g");
    }
    conn.prepare("lookup", "SELECT note FROM " + marker + " WHERE id = $1");
    {
        pqxx::work tx(conn);
        auto r = tx.exec_prepared("lookup", 7);
        REQUIRE(r.size() == 1);
        CHECK(r[0][0].as<std::string>() == "n7");
        tx.commit();
    }

    // The extended-protocol execute is the last thing we did; wait for it.
    const std::string log = wait_for_log(pg.stderr_log, before, "execute lookup");
    INFO("log after offset " << before << ":\n" << read_file(pg.stderr_log, before));
    REQUIRE_FALSE(log.empty());

    // Simple-protocol statement, with the duration logged by log_min_duration_statement = 0.
    CHECK(log.find("statement: INSERT INTO " + marker) != std::string::npos);
    // Extended protocol: the execute line, its parameters on a DETAIL line.
    CHECK(log.find("execute lookup: SELECT note FROM " + marker + " WHERE id = $1") != std::string::npos);
    CHECK(log.find("DETAIL:  parameters: $1 = '7'") != std::string::npos);
    // The prefix carries user, database and application name.
    CHECK(log.find("user=postgres,db=postgres,app=pgadvisor-it") != std::string::npos);
    CHECK(log.find("duration: ") != std::string::npos);

    // csvlog and jsonlog are written beside the stderr log.
    CHECK(wait_for_log(pg.csv_log, 0, "execute lookup") != "");
    CHECK(wait_for_log(pg.json_log, 0, "execute lookup") != "");
}

TEST_CASE("the throwaway server preloads hypopg, auto_explain and pg_stat_statements", "[integration][pg]") {
    const auto& pg = throwaway_pg();
    pqxx::connection conn(pg.conninfo());
    pqxx::nontransaction tx(conn);
    CHECK(tx.exec1("SHOW shared_preload_libraries")[0].as<std::string>() == "hypopg,auto_explain,pg_stat_statements");
    CHECK(tx.exec1("SELECT current_setting('server_version_num')::int / 10000")[0].as<int>() == 15);
    tx.exec("CREATE EXTENSION IF NOT EXISTS hypopg");
    tx.exec("CREATE TABLE IF NOT EXISTS hypo_probe (a int, b int)");
    auto r = tx.exec1("SELECT count(*) FROM hypopg_create_index('CREATE INDEX ON hypo_probe (a)')");
    CHECK(r[0].as<int>() == 1);
    tx.exec("SELECT hypopg_reset()");
    tx.exec("DROP TABLE hypo_probe");
}
