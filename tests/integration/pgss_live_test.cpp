// Issue 18, "Workloads without a log": `analyze --db URL` with no input reads
// the workload from the server's pg_stat_statements, plans its $n statements on
// their generic plans and advises; the report names the source and what it
// cannot show (sessions), and the logging that would. Also the roles that may
// not read other roles' statements, and servers without the extension.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <string>

#include "throwaway_pg.hpp"

using namespace pgadvisor::test;
using nlohmann::json;

namespace {

// A literal of the workload's statements that no report may show.
constexpr const char* kSecret = "kiwi-secret";

void recreate_database(const ThrowawayPg& pg, const std::string& name) {
    pqxx::connection conn(pg.conninfo());
    pqxx::nontransaction tx(conn);
    tx.exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    tx.exec("CREATE DATABASE " + name);
}

// events: 100,000 rows, 5,000 accounts of 20 rows each, no index on account_id.
void create_events(pqxx::nontransaction& tx) {
    tx.exec("CREATE TABLE events (id int PRIMARY KEY, account_id int NOT NULL, payload text)");
    tx.exec("INSERT INTO events SELECT n, n % 5000, 'event ' || n FROM generate_series(1, 100000) n");
    tx.exec("VACUUM ANALYZE events");
}

// Forget this database's statements so far (the setup's), keep other databases'.
void reset_statements(pqxx::nontransaction& tx) {
    tx.exec("SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)");
}

// The seq-scan-heavy lookup, 50 times with literals (pg_stat_statements normalizes them to $n).
void run_lookups(pqxx::nontransaction& tx, int times) {
    for (int i = 0; i < times; ++i)
        tx.exec("SELECT * FROM events WHERE account_id = " + std::to_string(4000 + i) + " AND payload <> '" + kSecret +
                "'");
}

// The database with the workload: the lookups are the only advisable statements since the reset.
std::string workload_database() {
    const auto& pg = throwaway_pg();
    const std::string name = "pgadvisor_pgss_live";
    recreate_database(pg, name);
    pqxx::connection conn(pg.conninfo(name));
    pqxx::nontransaction tx(conn);
    tx.exec("CREATE EXTENSION hypopg");
    tx.exec("CREATE EXTENSION pg_stat_statements");
    create_events(tx);
    reset_statements(tx);
    run_lookups(tx, 50);
    // A utility statement pg_stat_statements (PostgreSQL 15) keeps with its constant: left out, never shown.
    tx.exec(std::string("SET application_name = '") + kSecret + "'");
    return pg.conninfo(name);
}

std::string notes_of(const json& report) {
    std::string all;
    for (const auto& n : report["notes"]) all += n.get<std::string>() + "\n";
    return all;
}

json analyze_json(const std::string& conninfo) {
    const auto r = run_pgadvisor("analyze --db " + shell_quoted(conninfo) + " --format json", /*with_stderr=*/false);
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    return json::parse(r.output);
}

}  // namespace

TEST_CASE("analyze --db with no input advises on pg_stat_statements' workload, on generic plans",
          "[integration][pg][pgss-live]") {
    const std::string conninfo = workload_database();
    const json report = analyze_json(conninfo);

    json index;
    for (const auto& r : report["recommendations"])
        if (r["kind"] == "create-index") index = r;
    INFO(report.dump(2));
    REQUIRE(index.is_object());
    CHECK(index["index"]["table"] == "events");
    CHECK(index["index"]["keys"].dump().find("account_id") != std::string::npos);
    const json& gain = index["gain"];
    CHECK(gain["method"] == "hypopg");
    CHECK(gain["method_detail"].get<std::string>().find("generic plan") != std::string::npos);
    // Timed by pg_stat_statements: its mean time per call, scaled over its 50 calls.
    CHECK(gain["ms_per_call"].get<double>() > 0);
    CHECK(gain["ms_total"].get<double>() > 0);
    CHECK(gain["ms_per_hour"].get<double>() > 0);  // over the time since pg_stat_statements' reset

    const std::string notes = notes_of(report);
    CHECK(notes.find("workload: pg_stat_statements of database pgadvisor_pgss_live since ") != std::string::npos);
    CHECK(notes.find("1 statement, 50 calls (the top 100 by total time") != std::string::npos);
    CHECK(notes.find("check-then-insert and n-plus-one need each session") != std::string::npos);
    // The throwaway server logs every statement with %c %v %x, and loads auto_explain with no plan logged.
    CHECK(notes.find("for a complete next run: auto_explain is loaded but auto_explain.log_min_duration is -1") !=
          std::string::npos);
    CHECK(notes.find("log_line_prefix") == std::string::npos);
    CHECK(report.dump().find(kSecret) == std::string::npos);
    {
        // The check above can fail: pg_stat_statements does hold the constant (in the SET).
        pqxx::connection conn(conninfo);
        pqxx::nontransaction tx(conn);
        CHECK(tx.exec1(std::string("SELECT count(*) FROM pg_stat_statements WHERE strpos(query, '") + kSecret +
                       "') > 0")[0]
                  .as<int>() > 0);
    }

    // check reads it the same way and fails on the finding.
    const auto check = run_pgadvisor("check --db " + shell_quoted(conninfo) + " --fail-on warning");
    INFO(check.output);
    CHECK(check.exit_code == 1);
    // The first run's own reads of pg_stat_statements (public.pg_stat_statements) are not workload.
    CHECK(check.output.find("1 statement, 50 calls") != std::string::npos);
    CHECK(check.output.find(kSecret) == std::string::npos);
}

TEST_CASE("pg_stat_statements: other roles' statements a role may not read are skipped and counted",
          "[integration][pg][pgss-live]") {
    const std::string conninfo = workload_database();
    const std::string role = "pgadvisor_pgss_reader";
    {
        pqxx::connection conn(conninfo);
        pqxx::nontransaction tx(conn);
        tx.exec("DROP ROLE IF EXISTS " + role);
        tx.exec("CREATE ROLE " + role + " LOGIN");
        tx.exec("GRANT SELECT ON events TO " + role);
    }
    const std::string as_role = conninfo + " user=" + role;  // the later user= wins in libpq
    {
        pqxx::connection conn(as_role);
        pqxx::nontransaction tx(conn);
        run_lookups(tx, 3);  // its own statements, which it may read
    }
    const json report = analyze_json(as_role);
    const std::string notes = notes_of(report);
    INFO(notes);
    // postgres's lookups and its setup statements are hidden from the role.
    CHECK(notes.find("statements of other roles skipped: this role sees them as <insufficient privilege> (GRANT "
                     "pg_read_all_stats TO it") != std::string::npos);
    CHECK(notes.find("1 statement, 3 calls") != std::string::npos);
    CHECK(report.dump().find(kSecret) == std::string::npos);
}

TEST_CASE("pg_stat_statements missing: exit 2 with what to do", "[integration][pg][pgss-live]") {
    const auto& pg = throwaway_pg();
    const std::string name = "pgadvisor_pgss_missing";
    recreate_database(pg, name);  // preloaded by the server, but no CREATE EXTENSION here
    const auto r = run_pgadvisor("analyze --db " + shell_quoted(pg.conninfo(name)));
    INFO(r.output);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find("pg_stat_statements is not installed in database pgadvisor_pgss_missing: run CREATE "
                        "EXTENSION pg_stat_statements;") != std::string::npos);

    // Without --db and without inputs there is nothing to read.
    const auto none = run_pgadvisor("analyze");
    CHECK(none.exit_code == 2);
    CHECK(none.output.find("--db URL alone to read the server's pg_stat_statements") != std::string::npos);
}

TEST_CASE("pg_stat_statements installed but not preloaded: exit 2 with what to do", "[integration][pg][pgss-live]") {
    ExtraCluster cluster("hypopg,auto_explain");
    {
        pqxx::connection conn(cluster.pg().conninfo());
        pqxx::nontransaction tx(conn);
        tx.exec("CREATE EXTENSION pg_stat_statements");  // allowed: only reading the view needs the library
    }
    const auto r = run_pgadvisor("analyze --db " + shell_quoted(cluster.pg().conninfo()));
    INFO(r.output);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find("pg_stat_statements is installed but the server did not load it: add pg_stat_statements to "
                        "shared_preload_libraries") != std::string::npos);
}
