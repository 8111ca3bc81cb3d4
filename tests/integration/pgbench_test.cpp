// pgbench's standard tpcb-like workload, captured on the throwaway server in
// each of its three protocols, is the negative control of the whole tool:
// each transaction UPDATEs an account and then SELECTs that account's
// balance, so the repeated SELECT is not an N+1 (each reads its own
// iteration's write), and every lookup is by primary key. `analyze`, offline
// with the schema and live with --db, must report nothing (issue 14).
#include <catch2/catch.hpp>

#include <pqxx/pqxx>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "throwaway_pg.hpp"

using namespace pgadvisor::test;
namespace fs = std::filesystem;

TEST_CASE("pgbench's tpcb-like workload, captured live, gives no finding offline or with --db",
          "[integration][pg][n-plus-one]") {
    const auto& pg = throwaway_pg();
    const std::string db = "pgbench_" + std::to_string(std::random_device{}() % 1000000);
    {
        pqxx::connection conn(pg.conninfo());
        pqxx::nontransaction tx(conn);
        tx.exec("CREATE DATABASE " + db);
    }
    const std::string env = "PGHOST=" + shell_quoted(pg.host) + " PGPORT=" + pg.port + " PGUSER=postgres ";
    const std::string pgbench = pg.bin_dir + "/pgbench";
    // The load is not the workload: not logged.
    auto init = run_command(env + "PGOPTIONS='-c log_min_duration_statement=-1' " + pgbench + " -q -i -s 1 " + db +
                            " 2>&1");
    REQUIRE(init.exit_code == 0);

    const fs::path dir = fs::temp_directory_path() / db;
    fs::create_directories(dir);
    const fs::path schema = dir / "schema.sql";
    REQUIRE(run_command(env + pg.bin_dir + "/pg_dump --schema-only -d " + db + " -f " + schema.string()).exit_code ==
            0);
    for (const std::string protocol : {"simple", "extended", "prepared"}) {
        DYNAMIC_SECTION("protocol " << protocol) {
            const std::size_t offset = file_size(pg.stderr_log);
            auto bench = run_command(env + pgbench + " -n -M " + protocol + " -c 2 -j 1 -t 100 " + db + " 2>&1");
            INFO(bench.output);
            REQUIRE(bench.exit_code == 0);
            const std::string marker = "pgbench-done-" + db + "-" + protocol;
            {
                pqxx::connection conn(pg.conninfo(db));
                pqxx::nontransaction tx(conn);
                tx.exec("SELECT '" + marker + "'");
            }
            REQUIRE(wait_for_log(pg.stderr_log, offset, marker) != "");
            const fs::path log = dir / (protocol + ".log");
            std::ofstream(log) << read_file(pg.stderr_log, offset);

            const std::string conninfo = pg.conninfo(db);
            for (const std::string& source : {"--db " + shell_quoted(conninfo), "--schema " + schema.string()}) {
                auto analyze = run_pgadvisor("analyze " + log.string() + " " + source);
                INFO(source << "\n" << analyze.output);
                CHECK(analyze.exit_code == 0);
                CHECK(analyze.output.find("0 recommendation(s), 0 finding(s)") != std::string::npos);
            }
        }
    }
    fs::remove_all(dir);
}
