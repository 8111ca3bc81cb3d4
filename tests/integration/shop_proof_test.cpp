// The proof (issue 7): the shop example (examples/shop: schema.sql, data.sql,
// driver.cpp) on the throwaway PostgreSQL 15, end to end.
//
//   1. run the workload, keep this run's part of the server log;
//   2. `pgadvisor analyze LOG --db DB --out DIR --format json` (HypoPG gains)
//      finds every planted problem and none of the negative controls;
//   3. the up migrations it wrote are applied, ANALYZE, the same workload (same
//      seed) runs again: each shape an index was proposed for takes at least 5x
//      less database time, and each index's estimated gain per call is within a
//      factor of 2 of the measured one (mean before minus mean after);
//   4. the driver runs pgadvisor's review statements (--mode rewritten): the
//      N+1 loops are one statement per request, the check-then-insert SELECTs are gone.
//
// The table of figures is printed (WARN) and recorded in docs/benchmarks.md.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "ingest/ingest.hpp"
#include "throwaway_pg.hpp"
#include "workload/workload.hpp"

using namespace pgadvisor;
using namespace pgadvisor::test;
namespace fs = std::filesystem;

namespace {

std::string quoted(const std::string& s) { return shell_quoted(s); }

std::string file_text(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// One run's figures per statement fingerprint, and per request.
struct Measured {
    long long calls = 0;
    double total_ms = 0;
    long long max_per_request = 0;  // most calls of this shape in one request
    std::string normalized;
    double mean() const { return calls ? total_ms / static_cast<double>(calls) : 0; }
};

struct Run {
    std::map<std::string, Measured> shapes;  // by fingerprint
    std::string driver_output;
    double seconds = 0;
    const Measured& at(const std::string& fingerprint) const {
        static const Measured none;
        auto it = shapes.find(fingerprint);
        return it == shapes.end() ? none : it->second;
    }
};

// Runs the driver against the database and reads this run's part of the
// server log through ingest + WorkloadBuilder.
Run run_driver(const std::string& conninfo, const fs::path& dir, const std::string& name, const std::string& extra) {
    const auto& pg = throwaway_pg();
    const std::size_t offset = file_size(pg.json_log);
    const auto start = std::chrono::steady_clock::now();
    Run run;
    auto d = run_command(std::string(PGADVISOR_SHOP_DRIVER) + " --conninfo " +
                         quoted(conninfo + " application_name=shop") + " --requests 400 --seed 42 " + extra + " 2>&1");
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    run.driver_output = d.output;
    INFO(d.output);
    REQUIRE(d.exit_code == 0);
    std::string text = wait_for_log(pg.json_log, offset, "shop-driver-done", 20000);
    REQUIRE(!text.empty());
    // Whole lines, up to the one with the driver's end marker.
    text.erase(text.rfind('\n', text.find("shop-driver-done")) + 1);
    const fs::path log = dir / (name + ".json");
    std::ofstream(log) << text;

    // By shape id: a ShapeInfo's fingerprint is filled in by finish().
    std::map<std::pair<std::size_t, std::string>, long long> per_request;
    workload::WorkloadBuilder builder({}, [&](const workload::Execution& e) {
        if (!e.request.empty()) ++per_request[{e.shape.id, e.request}];
    });
    ingest::IngestOptions options;
    options.inputs = {log.string()};
    auto report = ingest::ingest(options, [&](ingest::Statement&& s) { builder.add(s); });
    REQUIRE(report.statements > 0);
    const workload::Workload w = builder.finish();
    for (const auto& s : w.shapes) {
        Measured& m = run.shapes[s.fingerprint];
        m.calls = s.stats.calls;
        m.total_ms = s.stats.total_ms;
        m.normalized = s.normalized;
    }
    for (const auto& [key, n] : per_request) {
        Measured& m = run.shapes[w.shapes.at(key.first).fingerprint];
        m.max_per_request = std::max(m.max_per_request, n);
    }
    return run;
}

std::string keys_of(const nlohmann::json& r) {
    std::string s;
    for (const auto& k : r["index"]["keys"]) s += (s.empty() ? "" : ",") + k["column"].get<std::string>();
    return r["index"]["table"].get<std::string>() + "(" + s + ")";
}

std::string fmt_ms(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.3f", v);
    return b;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// The fingerprint of the shape whose normalized text contains every part.
std::string shape_with(const Run& run, std::initializer_list<const char*> parts) {
    for (const auto& [fp, m] : run.shapes) {
        bool all = true;
        for (const char* p : parts) all = all && contains(m.normalized, p);
        if (all) return fp;
    }
    return {};
}

}  // namespace

TEST_CASE("the proof: the shop example's advice applied on PostgreSQL 15 pays off as estimated",
          "[integration][pg][proof]") {
    const auto wall = std::chrono::steady_clock::now();
    const auto& pg = throwaway_pg();
    const std::string db = "shop_proof_" + std::to_string(std::random_device{}() % 1000000);
    {
        pqxx::connection conn(pg.conninfo());
        pqxx::nontransaction tx(conn);
        tx.exec("CREATE DATABASE " + db);
    }
    const std::string conninfo = pg.conninfo(db);
    const fs::path shop = PGADVISOR_SHOP_DIR;
    {
        pqxx::connection conn(conninfo);
        pqxx::nontransaction tx(conn);
        tx.exec("CREATE EXTENSION hypopg");
        tx.exec(file_text(shop / "schema.sql"));
        tx.exec(file_text(shop / "data.sql"));
        tx.exec("VACUUM ANALYZE");
    }
    const double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
    const fs::path dir = fs::temp_directory_path() / ("pgadvisor_" + db);
    fs::create_directories(dir);
    const fs::path out = dir / "migrations";

    // 1. The workload as the application runs it.
    const Run before = run_driver(conninfo, dir, "before", "--mode original");

    // 2. The advice, live.
    auto analyze = run_command(std::string(PGADVISOR_BINARY) + " analyze " + (dir / "before.json").string() + " --db " +
                               quoted(conninfo) + " --out " + out.string() +
                               " --timestamp 20260101000000 --format json 2>/dev/null");
    REQUIRE(analyze.exit_code == 0);
    const auto report = nlohmann::json::parse(analyze.output);
    for (const auto& r : report["recommendations"])
        UNSCOPED_INFO("recommendation: " << r["title"] << " " << r["gain"]["method"] << " "
                                         << r["gain"]["ms_per_call"]);
    for (const auto& n : report["notes"]) UNSCOPED_INFO("note: " << n);

    std::set<std::string> indexes, unique_indexes, batches, upserts;
    for (const auto& r : report["recommendations"]) {
        const std::string kind = r["kind"];
        const std::string sql = r.contains("review_sql") && r["review_sql"].is_string()
                                    ? r["review_sql"].get<std::string>()
                                    : "";
        if (kind == "create-index") {
            indexes.insert(keys_of(r));
            CHECK(r["gain"]["method"] == "hypopg");
        }
        if (kind == "create-unique-index") {
            unique_indexes.insert(keys_of(r));
            if (contains(sql, "ON CONFLICT")) upserts.insert(r["index"]["table"].get<std::string>());
        }
        if (kind == "rewrite-statement" && contains(sql, "= ANY($1)")) batches.insert(sql);
        CHECK(kind != "drop-index");
    }
    // Each unindexed filter (orders by customer and status, the created_at range, the
    // N+1's order_items lookup), each check-then-insert, each N+1 loop.
    CHECK(indexes ==
          std::set<std::string>{"order_items(order_id)", "orders(customer_id,status)", "orders(created_at)"});
    CHECK(unique_indexes == std::set<std::string>{"cart_items(cart_id,product_id)", "daily_counters(day,name)"});
    CHECK(upserts == std::set<std::string>{"cart_items", "daily_counters"});
    CHECK(batches ==
          std::set<std::string>{
              "SELECT id, product_id, quantity, unit_price, order_id FROM order_items WHERE order_id = ANY($1)",
              "SELECT id, sku, name, price FROM products WHERE id = ANY($1)"});
    // No negative control in any finding or recommendation.
    std::set<std::string> rules_seen;
    for (const auto* list : {&report["findings"], &report["recommendations"]})
        for (const auto& f : *list) {
            for (const auto& id : f.value("rules", nlohmann::json::array())) rules_seen.insert(id.get<std::string>());
            if (f.contains("rule")) rules_seen.insert(f["rule"].get<std::string>());
            for (const auto& s : f["statements"]) {
                const std::string n = s["normalized"];
                INFO(f["title"] << ": " << n);
                CHECK_FALSE(contains(n, "order_statuses"));
                CHECK_FALSE(contains(n, "sku ="));
                CHECK_FALSE(contains(n, "email ="));
            }
        }
    CHECK(rules_seen.count("n-plus-one"));
    CHECK(rules_seen.count("check-then-insert"));
    CHECK(rules_seen.count("seq-scan"));

    // 3. The up migrations, with psql as their header says; ANALYZE; the same workload.
    std::vector<fs::path> ups;
    for (const auto& e : fs::directory_iterator(out)) {
        const std::string name = e.path().filename().string();
        if (e.is_regular_file() && name.ends_with(".sql") && !name.ends_with(".down.sql")) ups.push_back(e.path());
    }
    std::sort(ups.begin(), ups.end());
    REQUIRE(ups.size() == indexes.size() + unique_indexes.size());
    for (const auto& up : ups) {
        auto r = run_psql_file(conninfo, up.string());  // as the plain layout's header says
        INFO(up.string() << "\n" << r.output);
        CHECK(r.exit_code == 0);
    }
    {
        pqxx::connection conn(conninfo);
        pqxx::nontransaction tx(conn);
        tx.exec("ANALYZE");
    }
    const Run after = run_driver(conninfo, dir, "after", "--mode original");

    // 4. pgadvisor's own statements instead of the loops and the check-then-inserts.
    const Run rewritten = run_driver(conninfo, dir, "rewritten", "--mode rewritten --review-dir " + out.string());

    // Per index: the shapes it serves (its evidence) before and after; the estimate against the measurement.
    std::ostringstream table;
    table << "| index | shape | calls | estimate ms/call | measured before ms/call | after ms/call | saved ms/call | "
             "total before ms | total after ms | factor |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const auto& r : report["recommendations"]) {
        const std::string kind = r["kind"];
        if (kind != "create-index" && kind != "create-unique-index") continue;
        const double estimate = r["gain"]["ms_per_call"];
        double saved_total = 0;
        long long calls = 0;
        for (const auto& s : r["statements"]) {
            const std::string fp = s["fingerprint"];
            const std::string n = s["normalized"];
            const Measured& b = before.at(fp);
            const Measured& a = after.at(fp);
            INFO(keys_of(r) << ": " << n);
            REQUIRE(b.calls > 0);
            // The evidence of the N+1's index also lists the loop's parent query (on orders):
            // the index serves the statements that read its own table.
            const std::string table_name = r["index"]["table"];
            if (!contains(n, "FROM " + table_name + " ") && !contains(n, "UPDATE " + table_name + " ") &&
                !contains(n, "INTO " + table_name + " "))
                continue;
            // SELECTs run as often in both runs (same seed, same statements); an UPDATE of the
            // daily counter runs where the first run's INSERT did (the rows exist now), so it is
            // compared per call; an INSERT gains nothing from an index: it pays for it.
            const bool select = n.rfind("SELECT", 0) == 0;
            const bool reads = select || n.rfind("UPDATE", 0) == 0 || n.rfind("DELETE", 0) == 0;
            const double factor = select ? (a.total_ms > 0 ? b.total_ms / a.total_ms : INFINITY)
                                         : (a.mean() > 0 ? b.mean() / a.mean() : INFINITY);
            table << "| " << keys_of(r) << " | `" << n.substr(0, n.find(" /*")).substr(0, 90) << "` | " << b.calls
                  << " | " << fmt_ms(estimate) << " | " << fmt_ms(b.mean()) << " | " << fmt_ms(a.mean()) << " | "
                  << fmt_ms(b.mean() - a.mean()) << " | " << fmt_ms(b.total_ms) << " | " << fmt_ms(a.total_ms) << " | "
                  << (reads ? fmt_ms(factor) + "x" + (select ? "" : " (per call)") : std::string("(INSERT)")) << " |\n";
            if (!reads) continue;
            if (select) CHECK(a.calls == b.calls);
            CHECK(factor >= 5);
            if (kind == "create-index") {
                saved_total += b.total_ms - static_cast<double>(b.calls) * a.mean();
                calls += b.calls;
            }
        }
        if (kind != "create-index") continue;
        // The unique indexes' gains are the UPSERT's round trips: checked below on the rewritten run.
        const double measured = calls ? saved_total / static_cast<double>(calls) : 0;
        INFO(keys_of(r) << ": estimated " << estimate << " ms per call, measured " << measured);
        CHECK(measured > 0);
        CHECK(estimate <= 2 * measured);
        CHECK(estimate >= measured / 2);
        table << "| " << keys_of(r) << " | **all its shapes** | " << calls << " | **" << fmt_ms(estimate)
              << "** | | | **" << fmt_ms(measured) << "** | | | " << fmt_ms(estimate / measured)
              << " (estimate/measured) |\n";
    }

    // The round trips of each N+1 loop and each check-then-insert disappear in the rewritten run.
    const std::string items_loop = shape_with(
        before, {"SELECT id, product_id, quantity, unit_price FROM order_items WHERE order_id = $1"});
    const std::string products_loop = shape_with(before, {"SELECT id, sku, name, price FROM products WHERE id = $1"});
    const std::string cart_check = shape_with(before, {"SELECT quantity FROM cart_items WHERE cart_id = $1"});
    const std::string counter_check = shape_with(before, {"SELECT value FROM daily_counters WHERE day = $1"});
    // libpg_query's fingerprint does not tell `col = $1` from `col = ANY($1)`: a batch that
    // selects the same columns has the loop's fingerprint (products: `id` is already selected);
    // one that adds the looked-up column (order_items: `order_id`) is a shape of its own, and
    // then the loop's shape must not run at all in the rewritten run.
    const std::string items_batch = shape_with(rewritten, {"FROM order_items WHERE order_id = ANY($1)"});
    const std::string products_batch = shape_with(rewritten, {"FROM products WHERE id = ANY($1)"});
    CHECK(products_batch == products_loop);
    CHECK(contains(rewritten.at(items_batch).normalized, "unit_price, order_id FROM order_items"));
    if (items_batch != items_loop) CHECK(rewritten.at(items_loop).calls == 0);
    const std::string cart_upsert = shape_with(rewritten, {"INSERT INTO cart_items", "ON CONFLICT"});
    const std::string counter_upsert = shape_with(rewritten, {"INSERT INTO daily_counters", "ON CONFLICT"});
    for (const auto* fp : {&items_loop, &products_loop, &cart_check, &counter_check, &items_batch, &products_batch,
                           &cart_upsert, &counter_upsert})
        REQUIRE_FALSE(fp->empty());
    // Before: loops (several calls in one request); rewritten: not one call of them,
    // the batch once per request, as often as the loop's route ran.
    CHECK(before.at(items_loop).max_per_request > 1);
    CHECK(before.at(products_loop).max_per_request > 1);
    for (const auto* fp : {&cart_check, &counter_check}) CHECK(rewritten.at(*fp).calls == 0);
    CHECK_FALSE(contains(rewritten.at(items_batch).normalized, "order_id = $1"));
    CHECK_FALSE(contains(rewritten.at(products_batch).normalized, "id = $1"));
    CHECK(rewritten.at(items_batch).max_per_request == 1);
    CHECK(rewritten.at(products_batch).max_per_request == 1);
    const std::string customer_orders = shape_with(
        before, {"SELECT id, status, total, created_at FROM orders WHERE customer_id = $1"});
    const std::string order_items_of_order = shape_with(
        before, {"SELECT product_id, quantity FROM order_items WHERE order_id = $1"});
    REQUIRE_FALSE(customer_orders.empty());
    REQUIRE_FALSE(order_items_of_order.empty());
    CHECK(rewritten.at(items_batch).calls <= rewritten.at(customer_orders).calls);
    CHECK(rewritten.at(products_batch).calls <= rewritten.at(order_items_of_order).calls);
    // Every check became one UPSERT: as many as the SELECTs before.
    CHECK(rewritten.at(cart_upsert).calls == before.at(cart_check).calls);
    CHECK(rewritten.at(counter_upsert).calls == before.at(counter_check).calls);
    // The UPSERTs' estimates (their unique index's gain, over the whole run): the database
    // time of the check, the INSERT and the UPDATE of that table before, less the UPSERT's in
    // the rewritten run, plus the modelled round trip (--rtt, 0.3 ms) of each check removed.
    for (const auto& r : report["recommendations"]) {
        if (r["kind"] != "create-unique-index") continue;
        const std::string t = r["index"]["table"];
        const std::string& check = t == "cart_items" ? cart_check : counter_check;
        const std::string& upsert = t == "cart_items" ? cart_upsert : counter_upsert;
        double before_ms = 0;
        for (const auto& [fp, m] : before.shapes)
            if (fp == check || m.normalized.rfind("INSERT INTO " + t + " ", 0) == 0 ||
                m.normalized.rfind("UPDATE " + t + " ", 0) == 0)
                before_ms += m.total_ms;
        const double measured = before_ms - rewritten.at(upsert).total_ms +
                                0.3 * static_cast<double>(before.at(check).calls);
        const double estimate = r["gain"]["ms_total"];
        INFO(t << " UPSERT: estimated " << estimate << " ms in all, measured " << measured);
        CHECK(measured > 0);
        CHECK(estimate <= 2 * measured);
        CHECK(estimate >= measured / 2);
        table << "| " << keys_of(r) << " (UPSERT) | **check + write before, UPSERT after, + round trips** | "
              << before.at(check).calls << " | **" << fmt_ms(estimate) << " in all** | | | **" << fmt_ms(measured)
              << " in all** | | | " << fmt_ms(estimate / measured) << " (estimate/measured) |\n";
    }

    long long before_statements = 0, rewritten_statements = 0;
    for (const auto& [fp, m] : before.shapes) before_statements += m.calls;
    for (const auto& [fp, m] : rewritten.shapes) rewritten_statements += m.calls;

    std::ostringstream trips;
    trips << "| loop or check | statement | run | calls | most calls in one request |\n|---|---|---|---:|---:|\n";
    auto trip = [&](const char* what, const std::string& fp, const Run& run, const char* run_name) {
        const Measured& m = run.at(fp);
        const std::string& n = m.normalized.empty() ? before.at(fp).normalized : m.normalized;
        trips << "| " << what << " | `" << n.substr(0, n.find(" /*")) << "` | " << run_name << " | " << m.calls << " | "
              << m.max_per_request << " |\n";
    };
    trip("N+1 /customers/:id/orders", items_loop, before, "original");
    trip("", items_batch, rewritten, "rewritten");
    trip("N+1 /orders/:id", products_loop, before, "original");
    trip("", products_batch, rewritten, "rewritten");
    trip("check-then-insert /cart/add", cart_check, before, "original");
    trip("", cart_check, rewritten, "rewritten");
    trip("", cart_upsert, rewritten, "rewritten");
    trip("check-then-insert daily counter", counter_check, before, "original");
    trip("", counter_check, rewritten, "rewritten");
    trip("", counter_upsert, rewritten, "rewritten");
    trips << "| all statements | | original / rewritten | " << before_statements << " / " << rewritten_statements
          << " | |\n";

    double load1 = 0;
    std::ifstream("/proc/loadavg") >> load1;
    WARN("The proof on database " << db << " (load " << fmt_ms(load_s) << " s, driver runs " << fmt_ms(before.seconds)
                                  << " / " << fmt_ms(after.seconds) << " / " << fmt_ms(rewritten.seconds)
                                  << " s, whole test "
                                  << fmt_ms(
                                         std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count())
                                  << " s, load average " << load1 << ")\n"
                                  << before.driver_output << after.driver_output << rewritten.driver_output << "\n"
                                  << table.str() << "\n"
                                  << trips.str());

    {
        pqxx::connection conn(pg.conninfo());
        pqxx::nontransaction tx(conn);
        tx.exec("DROP DATABASE " + db + " WITH (FORCE)");
    }
    fs::remove_all(dir);
}
