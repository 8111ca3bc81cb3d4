// pgadvisor analyze / check / verify end to end on the throwaway server: a
// workload with a filter on unindexed columns, an N+1 loop and a
// check-then-insert runs through libpqxx; the server's own log goes through
// the command line with --db; the recommendations carry HypoPG gains, the
// migrations it writes apply up, down and up again, verify builds and measures
// the indexes, and check fails on findings and passes with their baseline.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>

#include "throwaway_pg.hpp"

using namespace pgadvisor;
using namespace pgadvisor::test;
namespace fs = std::filesystem;

namespace {

// The command line's pgadvisor, as a user runs it.
CommandResult run_cli(const std::string& args, bool with_stderr = true) { return run_pgadvisor(args, with_stderr); }

std::string quoted(const std::string& s) { return shell_quoted(s); }

std::vector<std::string> index_names(const std::string& conninfo) {
    pqxx::connection conn(conninfo);
    pqxx::nontransaction tx(conn);
    std::vector<std::string> out;
    for (const auto& row : tx.exec("SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"))
        out.push_back(row[0].c_str());
    return out;
}

// The application: a filter on (customer_id, status) with no index for it,
// orders then their items one by one, add-to-cart as SELECT then INSERT.
void run_workload(const std::string& conninfo, const std::string& marker) {
    pqxx::connection conn(conninfo);
    conn.prepare("by_customer_status", "SELECT id, total FROM orders WHERE customer_id = $1 AND status = $2");
    conn.prepare("orders_of", "SELECT id FROM orders WHERE customer_id = $1 ORDER BY id LIMIT 8");
    conn.prepare("items_of", "SELECT product_id, quantity FROM order_items WHERE order_id = $1");
    conn.prepare("find_line", "SELECT quantity FROM cart_items WHERE cart_id = $1 AND product_id = $2");
    conn.prepare("add_line", "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES ($1, $2, $3)");
    const char* statuses[] = {"paid", "new", "shipped"};
    for (int i = 0; i < 40; ++i) {
        pqxx::nontransaction tx(conn);
        tx.exec_prepared("by_customer_status", 17 + i * 37 % 3000, statuses[i % 3]);
    }
    for (int c = 0; c < 3; ++c) {
        pqxx::nontransaction tx(conn);
        auto orders = tx.exec_prepared("orders_of", 100 + c);
        for (const auto& o : orders) tx.exec_prepared("items_of", o[0].as<int>());
    }
    for (int p = 1; p <= 6; ++p) {
        pqxx::work tx(conn);
        if (tx.exec_prepared("find_line", 9, p).empty()) tx.exec_prepared("add_line", 9, p, 1);
        tx.commit();
    }
    pqxx::nontransaction tx(conn);
    tx.exec("SELECT " + tx.quote(marker));
}

struct Captured {
    std::string conninfo;
    std::vector<std::string> indexes_before;
    fs::path dir;
    fs::path log;
};

// A database with the shop's tables and data (hypopg installed when asked),
// the workload run against it, and this workload's part of the server log.
Captured capture(bool with_hypopg) {
    const auto& pg = throwaway_pg();
    Captured c;
    const std::string db = "analyze_e2e_" + std::to_string(std::random_device{}() % 1000000);
    {
        pqxx::connection conn(pg.conninfo());
        pqxx::nontransaction tx(conn);
        tx.exec("CREATE DATABASE " + db);
    }
    c.conninfo = pg.conninfo(db);
    {
        pqxx::connection conn(c.conninfo);
        pqxx::nontransaction tx(conn);
        if (with_hypopg) tx.exec("CREATE EXTENSION hypopg");
        tx.exec(
            "CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, total numeric NOT NULL)");
        tx.exec(
            "INSERT INTO orders SELECT g, g % 3000, (ARRAY['paid','new','shipped','refunded'])[1 + g % 4], g % 500 "
            "FROM generate_series(1, 150000) g");
        tx.exec(
            "CREATE TABLE order_items (id serial PRIMARY KEY, order_id int NOT NULL, product_id int NOT NULL, quantity int NOT NULL)");
        tx.exec(
            "INSERT INTO order_items (order_id, product_id, quantity) SELECT 1 + g % 150000, g % 700, 1 "
            "FROM generate_series(1, 300000) g");
        tx.exec("CREATE TABLE cart_items (cart_id int NOT NULL, product_id int NOT NULL, quantity int NOT NULL)");
        tx.exec("ANALYZE");
    }
    c.indexes_before = index_names(c.conninfo);
    const std::size_t offset = file_size(pg.json_log);
    const std::string marker = "analyze-e2e-done-" + db;
    run_workload(c.conninfo, marker);
    REQUIRE(wait_for_log(pg.json_log, offset, marker) != "");
    c.dir = fs::temp_directory_path() / ("pgadvisor_" + db);
    fs::create_directories(c.dir);
    c.log = c.dir / "server.json";
    // This test's own part of the shared log: whole lines after the offset.
    std::string text = read_file(pg.json_log, offset);
    text.erase(text.rfind('\n') + 1);
    std::ofstream(c.log) << text;
    return c;
}

}  // namespace

TEST_CASE("analyze --db: HypoPG gains, migrations that apply up/down/up, verify and check",
          "[integration][pg][analyze]") {
    const Captured cap = capture(true);
    const std::string& conninfo = cap.conninfo;
    const auto& indexes_before = cap.indexes_before;
    const fs::path& dir = cap.dir;
    const fs::path& log = cap.log;
    const fs::path out = dir / "migrations";
    const std::string common = log.string() + " --db " + quoted(conninfo);

    auto analyze = run_cli("analyze " + common + " --out " + out.string() +
                               " --timestamp 20260101000000 --format json --rule check-then-insert.window_ms=60000",
                           false);
    REQUIRE(analyze.exit_code == 0);
    const auto report = nlohmann::json::parse(analyze.output);
    REQUIRE(report["pgadvisor_report"] == 1);
    for (const auto& r : report["recommendations"])
        UNSCOPED_INFO("recommendation: " << r["title"] << " " << r["gain"]["method"]);
    for (const auto& f : report["findings"]) UNSCOPED_INFO("finding: " << f["title"]);
    for (const auto& n : report["notes"]) UNSCOPED_INFO("note: " << n);

    const nlohmann::json* orders_index = nullptr;
    const nlohmann::json* unique_index = nullptr;
    const nlohmann::json* batch = nullptr;
    for (const auto& r : report["recommendations"]) {
        if (r["kind"] == "create-index" && r["index"]["table"] == "orders") orders_index = &r;
        if (r["kind"] == "create-unique-index" && r["index"]["table"] == "cart_items") unique_index = &r;
        if (r["kind"] == "rewrite-statement" && r["rules"][0] == "n-plus-one") batch = &r;
    }
    REQUIRE(orders_index);
    // customer_id (3,000 values) before status (4 values); both compared with =.
    REQUIRE((*orders_index)["index"]["keys"].size() == 2);
    CHECK((*orders_index)["index"]["keys"][0]["column"] == "customer_id");
    CHECK((*orders_index)["index"]["keys"][1]["column"] == "status");
    // SELECT id, total: an integer and a numeric besides the keys, so an index-only scan (INCLUDE);
    // the migrations below apply it on the server.
    CHECK((*orders_index)["index"]["include"] == nlohmann::json::array({"id", "total"}));
    CHECK((*orders_index)["gain"]["method"] == "hypopg");
    CHECK((*orders_index)["gain"]["confidence"] == "high");
    CHECK((*orders_index)["gain"]["cost_after"].get<double>() <
          (*orders_index)["gain"]["cost_before"].get<double>() / 10);
    CHECK((*orders_index)["gain"]["ms_total"].get<double>() > 0);
    REQUIRE(unique_index);
    CHECK(unique_index->at("review_sql").get<std::string>().find("ON CONFLICT") != std::string::npos);
    REQUIRE(batch);
    CHECK(batch->at("review_sql").get<std::string>().find("ANY") != std::string::npos);
    // The order_items lookup of the N+1 loop gets its index too, planned with HypoPG.
    bool items_index = false;
    for (const auto& r : report["recommendations"])
        items_index |= r["kind"] == "create-index" && r["index"]["table"] == "order_items" &&
                       r["index"]["keys"][0]["column"] == "order_id" && r["gain"]["method"] == "hypopg";
    CHECK(items_index);
    // The ranking is by time saved.
    for (std::size_t i = 1; i < report["recommendations"].size(); ++i)
        CHECK(report["recommendations"][i - 1]["gain"]["ms_total"].get<double>() >=
              report["recommendations"][i]["gain"]["ms_total"].get<double>());

    // Nothing was changed on the server by analyze.
    CHECK(index_names(conninfo) == indexes_before);

    // verify builds each index for real, measures, and drops it again.
    auto verify_refused = run_cli("verify " + common);
    CHECK(verify_refused.exit_code == 2);
    CHECK(verify_refused.output.find("--yes") != std::string::npos);
    auto verify = run_cli("verify " + common + " --yes --drop-after --rule check-then-insert.window_ms=60000");
    INFO(verify.output);
    CHECK(verify.exit_code == 0);
    CHECK(verify.output.find("dropped again") != std::string::npos);
    CHECK(verify.output.find("statement_timeout 30 s") != std::string::npos);
    CHECK(index_names(conninfo) == indexes_before);
    // A unique index over duplicate keys cannot be built: the failed CONCURRENTLY build left an
    // INVALID index behind, which every write to the table then updated. verify drops it.
    {
        pqxx::connection conn(conninfo);
        pqxx::nontransaction tx(conn);
        tx.exec("INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (777001, 1, 1), (777001, 1, 2)");
    }
    auto duplicates = run_cli("verify " + common + " --yes --rule check-then-insert.window_ms=60000");
    INFO(duplicates.output);
    CHECK(duplicates.exit_code == 2);
    CHECK(duplicates.output.find("not built") != std::string::npos);
    CHECK(duplicates.output.find("the INVALID index the failed build may have left is dropped") != std::string::npos);
    {
        pqxx::connection conn(conninfo);
        pqxx::nontransaction tx(conn);
        CHECK(tx.exec("SELECT 1 FROM pg_index WHERE NOT indisvalid").empty());
        tx.exec("DELETE FROM cart_items WHERE cart_id = 777001");
    }
    // Without --drop-after the indexes that did build stay: drop them for what follows.
    for (const auto& name : index_names(conninfo))
        if (std::find(indexes_before.begin(), indexes_before.end(), name) == indexes_before.end()) {
            pqxx::connection conn(conninfo);
            pqxx::nontransaction tx(conn);
            tx.exec("DROP INDEX " + tx.quote_name(name));
        }
    CHECK(index_names(conninfo) == indexes_before);
    // A limit given is the limit (it was at least 30 s whatever was asked).
    auto limited = run_cli("verify " + common +
                           " --yes --drop-after --statement-timeout 2.5 --rule check-then-insert.window_ms=60000");
    INFO(limited.output);
    CHECK(limited.exit_code == 0);
    CHECK(limited.output.find("statement_timeout 2.5 s\n") != std::string::npos);
    CHECK(index_names(conninfo) == indexes_before);

    // Every up migration applies, then its down, then the up again.
    std::vector<fs::path> ups, downs;
    for (const auto& e : fs::directory_iterator(out)) {
        const std::string name = e.path().filename().string();
        if (!e.is_regular_file()) continue;
        if (name.size() > 9 && name.substr(name.size() - 9) == ".down.sql") downs.push_back(e.path());
        else if (name.size() > 4 && name.substr(name.size() - 4) == ".sql") ups.push_back(e.path());
    }
    std::sort(ups.begin(), ups.end());
    std::sort(downs.begin(), downs.end());
    REQUIRE(ups.size() >= 3);
    REQUIRE(ups.size() == downs.size());
    // The plain layout's files, run as their header says: psql -v ON_ERROR_STOP=1 -f.
    auto psql_ok = [&](const fs::path& file) {
        auto r = run_psql_file(conninfo, file.string());
        INFO(file.string() << "\n" << r.output);
        CHECK(r.exit_code == 0);
    };
    for (const auto& up : ups) psql_ok(up);
    const auto after_up = index_names(conninfo);
    CHECK(after_up.size() == indexes_before.size() + ups.size());
    for (auto it = downs.rbegin(); it != downs.rend(); ++it) psql_ok(*it);
    CHECK(index_names(conninfo) == indexes_before);
    for (const auto& up : ups) psql_ok(up);
    CHECK(index_names(conninfo) == after_up);

    // A second analyze into the same folder writes nothing over the first one's files.
    auto again = run_cli("analyze " + common + " --out " + out.string() + " --timestamp 20260101000000 --no-what-if",
                         false);
    (void)again;
    for (const auto& up : ups) CHECK(fs::exists(up));

    // check: findings fail the build; with their baseline, the same run passes.
    const std::string baseline = (dir / "baseline.json").string();
    auto check = run_cli("check " + log.string() + " --no-what-if --fail-on warning --write-baseline " + baseline +
                         " --report-sarif " + (dir / "out.sarif").string() + " --report-markdown " +
                         (dir / "out.md").string());
    CHECK(check.exit_code == 1);
    CHECK(fs::file_size(dir / "out.sarif") > 0);
    CHECK(fs::file_size(dir / "out.md") > 0);
    auto known = run_cli("check " + log.string() + " --no-what-if --fail-on warning --baseline " + baseline);
    INFO(known.output);
    CHECK(known.exit_code == 0);
    auto usage = run_cli("check " + log.string() + " --fail-on sometimes");
    CHECK(usage.exit_code == 2);
    fs::remove_all(dir);
}

TEST_CASE("analyze --db without HypoPG: offline gains and a note, or a real index rolled back when allowed",
          "[integration][pg][analyze]") {
    const Captured cap = capture(false);
    const std::string common = cap.log.string() + " --db " + quoted(cap.conninfo) + " --format json";
    auto method_of_orders_index = [](const nlohmann::json& report) {
        for (const auto& r : report["recommendations"])
            if (r["kind"] == "create-index" && r["index"]["table"] == "orders")
                return r["gain"]["method"].get<std::string>();
        return std::string("none found");
    };
    auto offline = run_cli("analyze " + common, false);
    REQUIRE(offline.exit_code == 0);
    const auto a = nlohmann::json::parse(offline.output);
    CHECK(method_of_orders_index(a) != "hypopg");
    bool noted = false;
    for (const auto& n : a["notes"]) noted |= n.get<std::string>().find("HypoPG is not available") != std::string::npos;
    CHECK(noted);

    auto real = run_cli("analyze " + common + " --allow-real-index", false);
    REQUIRE(real.exit_code == 0);
    const auto b = nlohmann::json::parse(real.output);
    CHECK(method_of_orders_index(b) == "real-index-rolled-back");
    // Built inside a transaction that was rolled back: nothing is left.
    CHECK(index_names(cap.conninfo) == cap.indexes_before);
    fs::remove_all(cap.dir);
}

namespace {

// Every table's rows (as text, sorted) and every index definition: equal
// before and after means the database was not changed.
std::string database_checksum(const std::string& conninfo) {
    pqxx::connection conn(conninfo);
    pqxx::nontransaction tx(conn);
    std::string sum;
    for (const auto& t : tx.exec("SELECT format('%I.%I', schemaname, tablename) FROM pg_tables "
                                 "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1")) {
        const std::string name = t[0].c_str();
        auto r = tx.exec("SELECT count(*), md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM " + name +
                         " x");
        sum += name + ":" + r[0][0].c_str() + ":" + r[0][1].c_str() + "\n";
    }
    for (const auto& i : tx.exec("SELECT indexdef FROM pg_indexes WHERE schemaname NOT IN ('pg_catalog') ORDER BY 1"))
        sum += std::string(i[0].c_str()) + "\n";
    return sum;
}

}  // namespace

TEST_CASE("analyze and check change nothing: a read-only role works, verify says why it cannot, checksums hold",
          "[integration][pg][analyze]") {
    const Captured cap = capture(true);
    const std::string role = "pgadvisor_ro_" + std::to_string(std::random_device{}() % 1000000);
    {
        pqxx::connection conn(cap.conninfo);
        pqxx::nontransaction tx(conn);
        tx.exec("CREATE ROLE " + role + " LOGIN");
        tx.exec("GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);
        tx.exec("GRANT pg_read_all_stats TO " + role);
    }
    const std::string ro = cap.conninfo + " user=" + role;  // the later user= wins in libpq
    const std::string before = database_checksum(cap.conninfo);

    auto analyze = run_cli("analyze " + cap.log.string() + " --db " + quoted(ro) + " --format json", false);
    REQUIRE(analyze.exit_code == 0);
    const auto report = nlohmann::json::parse(analyze.output);
    bool hypopg = false;
    for (const auto& r : report["recommendations"]) hypopg |= r["gain"]["method"] == "hypopg";
    CHECK(hypopg);  // HypoPG's functions need no privilege beyond SELECT
    auto check = run_cli("check " + cap.log.string() + " --db " + quoted(ro) + " --fail-on warning");
    CHECK(check.exit_code == 1);

    auto verify = run_cli("verify " + cap.log.string() + " --db " + quoted(ro) + " --yes");
    INFO(verify.output);
    CHECK(verify.exit_code == 2);
    CHECK(verify.output.find("must be owner") != std::string::npos);

    // As the superuser: analyze and check with every live feature leave every row and index as they were.
    run_cli("analyze " + cap.log.string() + " --db " + quoted(cap.conninfo) + " --out " + (cap.dir / "m").string());
    run_cli("check " + cap.log.string() + " --db " + quoted(cap.conninfo) + " --allow-real-index");
    CHECK(database_checksum(cap.conninfo) == before);
    {
        pqxx::connection conn(cap.conninfo);
        pqxx::nontransaction tx(conn);
        tx.exec("DROP OWNED BY " + role);
        tx.exec("DROP ROLE " + role);
    }
    fs::remove_all(cap.dir);
}

TEST_CASE("a password in a connection string that fails to connect appears in no output", "[integration][analyze]") {
    const fs::path log = fs::temp_directory_path() / ("pgadvisor-pw-" + std::to_string(::getpid()) + ".log");
    std::ofstream(log) << "2026-01-01 00:00:00.000 UTC [1] LOG:  duration: 1.000 ms  statement: SELECT 1\n";
    for (const std::string db : {"'host=127.0.0.1 port=1 user=app password=hunter2secret dbname=shop'",
                                 "'postgresql://app:hunter2secret@127.0.0.1:1/shop'",
                                 "'postgresql://app:hunter2secret@127.0.0.1:1/shop?sslmode=disable'"}) {
        for (const std::string cmd : {"analyze", "check", "verify --yes"}) {
            for (const std::string format : {"text", "json", "sarif", "markdown"}) {
                auto r = run_cli(cmd + " " + log.string() + " --db " + db + " --format " + format);
                INFO(cmd << " " << db << ": " << r.output);
                CHECK(r.exit_code == 2);
                CHECK(r.output.find("hunter2") == std::string::npos);
                CHECK(r.output.find("127.0.0.1") != std::string::npos);  // it does say where it tried
            }
        }
    }
    fs::remove(log);
}

TEST_CASE("statement_timeout is honoured: a shape the server cannot plan in time gets a note, the run goes on",
          "[integration][pg][analyze]") {
    const auto& pg = throwaway_pg();
    const std::string db = "analyze_timeout_" + std::to_string(std::random_device{}() % 1000000);
    {
        pqxx::connection conn(pg.conninfo());
        pqxx::nontransaction tx(conn);
        tx.exec("CREATE DATABASE " + db);
    }
    const std::string conninfo = pg.conninfo(db);
    {
        pqxx::connection conn(conninfo);
        pqxx::nontransaction tx(conn);
        tx.exec("CREATE EXTENSION hypopg");
        tx.exec("CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL)");
        tx.exec(
            "INSERT INTO orders SELECT g, g % 3000, (ARRAY['paid','new'])[1 + g % 2] FROM generate_series(1, 100000) g");
        tx.exec("ANALYZE orders");
        // IMMUTABLE: the planner evaluates it on a custom plan's constants. It sleeps only
        // in sessions with app.slow on, which pgadvisor's get once the workload has run.
        tx.exec(
            "CREATE FUNCTION slow_true(text) RETURNS boolean IMMUTABLE LANGUAGE plpgsql AS $$ BEGIN "
            "IF current_setting('app.slow', true) = 'on' THEN PERFORM pg_sleep(30); END IF; RETURN true; END $$");
    }
    const std::size_t offset = file_size(pg.json_log);
    const std::string marker = "timeout-done-" + db;
    {
        pqxx::connection conn(conninfo);
        conn.prepare("slow", "SELECT id FROM orders WHERE customer_id = $1 AND slow_true($2)");
        conn.prepare("fast", "SELECT id FROM orders WHERE status = $1 AND customer_id = $2");
        pqxx::nontransaction tx(conn);
        for (int i = 0; i < 20; ++i) {
            tx.exec_prepared("slow", 10 + i, "x");
            tx.exec_prepared("fast", i % 2 ? "paid" : "new", 20 + i);
        }
        tx.exec("SELECT " + tx.quote(marker));
    }
    REQUIRE(wait_for_log(pg.json_log, offset, marker) != "");
    {
        pqxx::connection conn(pg.conninfo());
        pqxx::nontransaction tx(conn);
        tx.exec("ALTER DATABASE " + db + " SET app.slow = 'on'");
    }
    const fs::path log = fs::temp_directory_path() / ("pgadvisor_" + db + ".json");
    {
        std::string text = read_file(pg.json_log, offset);
        text.erase(text.rfind('\n') + 1);
        std::ofstream(log) << text;
    }
    const auto started = std::chrono::steady_clock::now();
    auto r = run_cli("analyze " + log.string() + " --db " + quoted(conninfo) +
                         " --statement-timeout 1 --rule seq-scan.live_timeout_ms=1000 --format json",
                     false);
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    REQUIRE(r.exit_code == 0);
    CHECK(seconds < 25);  // no statement ran its 30 s
    const auto report = nlohmann::json::parse(r.output);
    for (const auto& n : report["notes"]) UNSCOPED_INFO("note: " << n);
    for (const auto& rec : report["recommendations"])
        UNSCOPED_INFO("rec: " << rec["title"] << " " << rec["gain"]["method"]);
    for (const auto& f : report["findings"]) UNSCOPED_INFO("finding: " << f["title"]);
    bool timeout_note = false;
    for (const auto& n : report["notes"]) {
        const auto text = n.get<std::string>();
        timeout_note |= text.find("could not be planned on the server") != std::string::npos &&
                        text.find("statement timeout") != std::string::npos;
    }
    CHECK(timeout_note);
    // The other shape was still planned live (the recommendation that serves both names
    // the weaker method; its detail says how each statement was estimated).
    bool fast_live = false;
    for (const auto& rec : report["recommendations"]) {
        const auto detail = rec["gain"]["method_detail"].get<std::string>();
        fast_live |= detail.find("with the real parameter values from the log") != std::string::npos &&
                     detail.find("HypoPG") != std::string::npos;
    }
    CHECK(fast_live);
    fs::remove(log);
}
