// The index-hygiene rules against the throwaway PostgreSQL server: DDL applied
// there, the catalog read live (with real idx_scan statistics for
// unused-index), and each fix run on the server to show it is valid SQL that
// makes the finding go away. `pgadvisor lint` end to end as well.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "catalog/live_loader.hpp"
#include "rules/config.hpp"
#include "rules/registry.hpp"
#include "sql/shape.hpp"
#include "workload/workload.hpp"
#include "throwaway_pg.hpp"

using namespace pgadvisor;
using namespace pgadvisor::test;

namespace {

const std::string kDb = "pgadvisor_hygiene_it";

// A fresh database with this schema.
void fresh_database(const std::string& ddl) {
    const auto& pg = throwaway_pg();
    {
        pqxx::connection admin(pg.conninfo());
        pqxx::nontransaction tx(admin);
        tx.exec("DROP DATABASE IF EXISTS " + kDb + " WITH (FORCE)");
        tx.exec("CREATE DATABASE " + kDb);
    }
    pqxx::connection conn(pg.conninfo(kDb));
    pqxx::nontransaction tx(conn);
    tx.exec(ddl);
}

void exec(const std::string& sql) {
    pqxx::connection conn(throwaway_pg().conninfo(kDb));
    pqxx::nontransaction tx(conn);  // CREATE/DROP INDEX CONCURRENTLY refuse a transaction block
    tx.exec(sql);
}

catalog::Catalog live() {
    catalog::LiveOptions o;
    o.conninfo = throwaway_pg().conninfo(kDb);
    auto r = catalog::load_live(o);
    INFO((r.error ? r.error->message : ""));
    REQUIRE(r.catalog);
    return std::move(*r.catalog);
}

std::vector<rules::Finding> run(const std::string& id, const rules::RuleInput& in) {
    auto set = rules::load_default_rules();
    for (const auto& e : rules::rule_registry())
        if (id == e.id) {
            auto rule = e.create(*set.find(id));
            std::vector<rules::Finding> out;
            rule->finish(in, out);
            return out;
        }
    FAIL("no rule " << id);
    return {};
}

std::vector<rules::Finding> on_live(const std::string& id, const catalog::Catalog& cat) {
    rules::RuleInput in;
    in.catalog = &cat;
    in.catalog_is_live = true;
    return run(id, in);
}

std::vector<rules::Finding> on_migration(const std::string& id, const catalog::Catalog& before,
                                         const std::string& text) {
    rules::RuleInput in;
    in.catalog = &before;
    in.migrations.push_back({"migration.sql", text, &before});
    return run(id, in);
}

struct CliResult {
    int exit_code = -1;
    std::string output;
};

// A shell command line, with stderr folded into the output.
CliResult shell(const std::string& command) {
    CliResult r;
    FILE* p = popen((command + " 2>&1").c_str(), "r");
    REQUIRE(p);
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
    const int status = pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

CliResult pgadvisor_cli(const std::string& args) { return shell(std::string(PGADVISOR_BINARY) + " " + args); }

std::string write_temp(const std::string& name, const std::string& text) {
    const std::string path = "/tmp/pgadvisor_hygiene_" + name;
    std::ofstream(path) << text;
    return path;
}

const std::string kShop =
    "CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);\n"
    "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id),"
    "  status text, created_at timestamptz, note text);\n"
    "CREATE INDEX orders_status ON orders (status);\n"
    "CREATE INDEX orders_status_created ON orders (status, created_at);\n"
    "CREATE INDEX orders_status_copy ON orders (status, created_at);\n"
    "CREATE INDEX orders_open ON orders (status) WHERE created_at IS NULL;\n"
    "CREATE INDEX orders_note ON orders (note);\n";

}  // namespace

TEST_CASE("hygiene live: duplicate, redundant and fk-without-index on a real catalog, fixed by their own SQL",
          "[integration][rules][hygiene]") {
    fresh_database(kShop);
    auto cat = live();

    auto dup = on_live("duplicate-index", cat);
    REQUIRE(dup.size() == 1);
    // Of two identical indexes the name that sorts first is kept, whatever order the server lists them in.
    CHECK(dup[0].key == "public.orders_status_created");
    auto red = on_live("redundant-index", cat);
    REQUIRE(red.size() == 1);  // orders_status; the partial orders_open is not the same predicate
    CHECK(red[0].key == "public.orders_status");
    auto fk = on_live("fk-without-index", cat);
    REQUIRE(fk.size() == 1);
    CHECK(fk[0].key == "public.orders.orders_customer_id_fkey");

    // The fixes are valid SQL on the server, and the findings go away.
    exec(dup[0].fix_sql);
    exec(red[0].fix_sql);
    exec(fk[0].fix_sql);
    cat = live();
    CHECK(on_live("duplicate-index", cat).empty());
    CHECK(on_live("redundant-index", cat).empty());
    CHECK(on_live("fk-without-index", cat).empty());
    CHECK(cat.find_index("public", "orders_customer_id_idx"));
}

TEST_CASE("hygiene live: unused-index from real idx_scan statistics", "[integration][rules][hygiene]") {
    fresh_database(kShop);
    {
        pqxx::connection conn(throwaway_pg().conninfo(kDb));
        pqxx::nontransaction tx(conn);
        tx.exec("INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 100) g");
        tx.exec(
            "INSERT INTO orders (id, customer_id, status, note) "
            "SELECT g, 1 + g % 100, 's' || (g % 50), 'n' || g FROM generate_series(1, 5000) g");
        tx.exec("ANALYZE");
        tx.exec("SET enable_seqscan = off");
        // Uses orders_status_created (or orders_status): a real index scan the statistics count.
        tx.exec("SELECT count(*) FROM orders WHERE status = 's7' AND created_at IS NOT NULL");
        tx.exec("SELECT count(*) FROM orders WHERE status = 's7'");
        tx.exec("SELECT pg_stat_force_next_flush()");
    }
    auto cat = live();
    REQUIRE(cat.stats_age_days >= 0);
    CHECK(!cat.stats_since.empty());
    std::int64_t scanned = 0;
    for (const auto& i : cat.indexes)
        if (i.table == "orders" && i.idx_scan > 0) ++scanned;
    REQUIRE(scanned >= 1);  // the statistics are real

    auto f = on_live("unused-index", cat);
    std::vector<std::string> keys;
    for (const auto& x : f) keys.push_back(x.key);
    INFO("unused: " << keys.size());
    // orders_note was never scanned: reported. The primary keys never either, but they enforce a key.
    CHECK(std::find(keys.begin(), keys.end(), "public.orders_note") != keys.end());
    CHECK(std::find(keys.begin(), keys.end(), "public.orders_pkey") == keys.end());
    CHECK(std::find(keys.begin(), keys.end(), "public.customers_pkey") == keys.end());
    for (const auto& x : f) {
        const auto* index = cat.find_index("public", x.key.substr(7));
        REQUIRE(index);
        CHECK(index->idx_scan == 0);  // never an index that was used
        // A fresh server: statistics younger than the default 7 days, so low confidence, said so.
        CHECK(x.confidence == rules::Confidence::Low);
        CHECK(x.explanation.find("statistics have been collected for") != std::string::npos);
    }
    // Offline, the same catalog says nothing: idx_scan is only trusted live.
    rules::RuleInput offline;
    offline.catalog = &cat;
    CHECK(run("unused-index", offline).empty());
}

// issue 13, class 7: live, unused-index advised dropping an index that 40 statements of the
// analysed log use. After a statistics reset idx_scan is 0 for every index; the log's
// statement, planned on the server with its logged value, reads through orders_note.
TEST_CASE("hygiene live: unused-index never proposes dropping an index the log's statements use",
          "[integration][rules][hygiene]") {
    fresh_database(kShop);
    {
        pqxx::connection conn(throwaway_pg().conninfo(kDb));
        pqxx::nontransaction tx(conn);
        tx.exec("INSERT INTO customers SELECT g, 'c' || g FROM generate_series(1, 100) g");
        tx.exec(
            "INSERT INTO orders (id, customer_id, status, note) "
            "SELECT g, 1 + g % 100, 's' || (g % 50), 'n' || g FROM generate_series(1, 5000) g");
        tx.exec("ANALYZE");
        // The server itself would read orders_note for the log's statement: the test means something.
        auto plan = tx.exec("EXPLAIN (FORMAT JSON) SELECT id FROM orders WHERE note = 'n42'");
        REQUIRE(std::string(plan[0][0].c_str()).find("\"Index Name\": \"orders_note\"") != std::string::npos);
        tx.exec("SELECT pg_stat_reset()");
        tx.exec("SELECT pg_stat_force_next_flush()");
    }
    auto cat = live();
    const auto* note = cat.find_index("public", "orders_note");
    REQUIRE(note);
    REQUIRE(note->idx_scan == 0);  // what the rule used to read as "never used"

    workload::Workload w;
    workload::ShapeInfo s;
    auto shaped = sql::shape_statement("SELECT id FROM orders WHERE note = 'n42'");
    REQUIRE(shaped.shape);
    s.shape = shaped.shape;
    s.fingerprint = shaped.shape->fingerprint_hex;
    s.normalized = shaped.shape->normalized;
    s.stats.calls = 40;
    s.samples.push_back({workload::LiteralValue{std::string("n42"), true}});
    w.shapes.push_back(s);

    rules::RuleInput in;
    in.catalog = &cat;
    in.catalog_is_live = true;
    in.workload = &w;
    in.conninfo = throwaway_pg().conninfo(kDb);
    auto f = run("unused-index", in);
    std::vector<std::string> keys;
    for (const auto& x : f) keys.push_back(x.key);
    CHECK(std::find(keys.begin(), keys.end(), "public.orders_note") == keys.end());
    // The indexes no plan uses are still reported, saying how many statements were checked.
    REQUIRE(std::find(keys.begin(), keys.end(), "public.orders_open") != keys.end());
    for (const auto& x : f)
        CHECK(x.explanation.find("1 statement shape(s), 40 logged statement(s), checked (0 plan(s) from the "
                                 "inputs, 1 planned live") != std::string::npos);

    // Without --db nothing plans the statement: orders_note is reported, and the finding says
    // that one shape could not be checked (low confidence).
    in.conninfo.clear();
    f = run("unused-index", in);
    const rules::Finding* unchecked = nullptr;
    for (const auto& x : f)
        if (x.key == "public.orders_note") unchecked = &x;
    REQUIRE(unchecked);
    CHECK(unchecked->confidence == rules::Confidence::Low);
    CHECK(unchecked->explanation.find("1 shape(s) could not be checked") != std::string::npos);
}

TEST_CASE("hygiene live: index-not-concurrently against the live schema, its fix runs outside a transaction",
          "[integration][rules][hygiene]") {
    fresh_database(kShop);
    const auto before = live();
    const std::string migration =
        "CREATE INDEX orders_created ON orders (created_at);\n"
        "CREATE TABLE refunds (id int PRIMARY KEY, order_id bigint);\n"
        "CREATE INDEX refunds_order ON refunds (order_id);\n";
    auto f = on_migration("index-not-concurrently", before, migration);
    REQUIRE(f.size() == 1);
    CHECK(f[0].confidence == rules::Confidence::High);
    CHECK(f[0].locations[0].first_line == 1);
    exec(f[0].fix_sql);
    exec(f[0].fix_sql);  // IF NOT EXISTS: a rerun is harmless
    CHECK(live().find_index("public", "orders_created"));
}

TEST_CASE("hygiene live: upsert-without-unique-index agrees with the server's arbiter inference",
          "[integration][rules][hygiene]") {
    fresh_database(
        "CREATE TABLE users (id bigint PRIMARY KEY, tenant int, email text, name text, deleted_at timestamptz);\n"
        "CREATE UNIQUE INDEX users_tenant_email ON users (tenant, email);\n"
        "CREATE UNIQUE INDEX users_live_name ON users (name) WHERE deleted_at IS NULL;\n");
    const auto cat = live();
    const char* statements[] = {
        "INSERT INTO users (id, tenant, email) VALUES (1, 1, 'a') ON CONFLICT (email) DO NOTHING",
        "INSERT INTO users (id, tenant, email) VALUES (2, 1, 'b') ON CONFLICT (email, tenant) DO NOTHING",
        "INSERT INTO users (id, name) VALUES (3, 'n') ON CONFLICT (name) DO NOTHING",
        "INSERT INTO users (id, name) VALUES (4, 'm') ON CONFLICT (name) WHERE deleted_at IS NULL DO NOTHING",
        "INSERT INTO users (id) VALUES (5) ON CONFLICT (id) DO UPDATE SET tenant = excluded.tenant",
        "INSERT INTO users (id) VALUES (6) ON CONFLICT ON CONSTRAINT users_nope DO NOTHING",
    };
    for (const char* s : statements) {
        INFO(s);
        const bool fires = !on_migration("upsert-without-unique-index", cat, s).empty();
        bool server_rejects = false;
        std::string why;
        try {
            exec(s);
        } catch (const pqxx::sql_error& e) {
            server_rejects = true;
            why = e.what();
        }
        INFO("server: " << why);
        CHECK(fires == server_rejects);
    }
}

TEST_CASE("hygiene live: pgadvisor lint --db, text and JSON, exit codes", "[integration][cli][lint]") {
    fresh_database(
        "CREATE TABLE customers (id bigint PRIMARY KEY, email text);\n"
        "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));\n");
    const std::string file = write_temp("0002.sql",
                                        "-- the orders page\n"
                                        "CREATE INDEX orders_customer ON orders (customer_id);\n"
                                        "INSERT INTO customers (id, email) VALUES (1, 'secret@example.com')\n"
                                        "  ON CONFLICT (email) DO NOTHING;\n");
    const std::string db = "\"" + throwaway_pg().conninfo(kDb) + "\"";
    auto r = pgadvisor_cli("lint " + file + " --db " + db);
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(r.output.find(file + ":2: warning[index-not-concurrently]: CREATE INDEX orders_customer on existing table "
                               "public.orders without CONCURRENTLY") != std::string::npos);
    CHECK(r.output.find(file + ":3: error[upsert-without-unique-index]:") != std::string::npos);
    CHECK(r.output.find("secret@example.com") == std::string::npos);  // literals stay out of reports
    // The base schema's own unindexed key was there before the file (and the file indexes it): not reported.
    CHECK(r.output.find("fk-without-index") == std::string::npos);

    // --fail-on error: the error still fails; disabling that rule leaves only a warning: exit 0.
    CHECK(pgadvisor_cli("lint " + file + " --db " + db + " --fail-on error").exit_code == 1);
    CHECK(pgadvisor_cli("lint " + file + " --db " + db +
                        " --fail-on error --rule upsert-without-unique-index.enabled=false")
              .exit_code == 0);

    auto j = pgadvisor_cli("lint " + file + " --db " + db + " --format json");
    CHECK(j.exit_code == 1);
    const auto doc = nlohmann::json::parse(j.output);
    REQUIRE(doc["findings"].size() == 2);
    CHECK(doc["findings"][0]["rule"] == "index-not-concurrently");
    CHECK(doc["findings"][0]["locations"][0]["first_line"] == 2);
    CHECK(doc["findings"][1]["rule"] == "upsert-without-unique-index");
    CHECK(doc["findings"][1]["index_needs"][0]["unique"] == true);

    // Bad input: an unreadable file and a bad --rule are exit 2, with a message naming them.
    auto bad = pgadvisor_cli("lint /nonexistent/x.sql " + file + " --db " + db);
    CHECK(bad.exit_code == 2);
    CHECK(bad.output.find("/nonexistent/x.sql: error: cannot read the file") != std::string::npos);
    CHECK(bad.output.find("index-not-concurrently") != std::string::npos);  // the rest still checked
    auto badrule = pgadvisor_cli("lint " + file + " --rule nope.enabled=false");
    CHECK(badrule.exit_code == 2);
    CHECK(badrule.output.find("unknown rule 'nope'") != std::string::npos);
}

TEST_CASE("pgadvisor rules lists every rule and prints the effective config", "[integration][cli][rules]") {
    auto list = pgadvisor_cli("rules");
    CHECK(list.exit_code == 0);
    for (const auto& e : rules::rule_registry()) CHECK(list.output.find(e.id) != std::string::npos);
    CHECK(list.output.find("upsert-without-unique-index    error") != std::string::npos);

    auto config = pgadvisor_cli(
        "rules --show-config --rule unused-index.min_size_bytes=65536 --rule redundant-index.enabled=false");
    INFO(config.output);
    CHECK(config.exit_code == 0);
    CHECK(config.output.find("[rules.unused-index]") != std::string::npos);
    CHECK(config.output.find("min_size_bytes = 65536") != std::string::npos);
    CHECK(config.output.find("[rules.redundant-index]\n# ") != std::string::npos);
    // The effective config reads back as a .pgadvisor.toml.
    const std::string dir = "/tmp/pgadvisor_hygiene_cfg";
    REQUIRE(shell("rm -rf " + dir + " && mkdir -p " + dir).exit_code == 0);
    std::ofstream(dir + "/.pgadvisor.toml") << config.output;
    auto again = shell("cd " + dir + " && " + PGADVISOR_BINARY + " rules --show-config");
    CHECK(again.exit_code == 0);
    CHECK(again.output.find("min_size_bytes = 65536") != std::string::npos);

    auto bad = pgadvisor_cli("rules --rule unused-index.min_size_bytes=big");
    CHECK(bad.exit_code == 2);
    CHECK(bad.output.find("--rule: error: unused-index.min_size_bytes must be an integer") != std::string::npos);
}

TEST_CASE("pgadvisor lint FILE --migrations DIR: the files under review are not part of the base",
          "[integration][cli][lint]") {
    const std::string dir = "/tmp/pgadvisor_hygiene_migrations";
    REQUIRE(shell("rm -rf " + dir + " && mkdir -p " + dir).exit_code == 0);
    std::ofstream(dir + "/001_init.sql") << "CREATE TABLE orders (id bigint PRIMARY KEY, status text);\n";
    std::ofstream(dir + "/002_status.sql") << "SELECT 1;\n\nCREATE INDEX orders_status ON orders (status);\n";
    // 002 is under review: orders exists (from 001), so its index needs CONCURRENTLY; were 002
    // also applied as part of the base, its index would exist twice and nothing would look new.
    auto r = pgadvisor_cli("lint " + dir + "/002_status.sql --migrations " + dir);
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(r.output.find(dir + "/002_status.sql:3: warning[index-not-concurrently]") != std::string::npos);
    CHECK(r.output.find("duplicate-index") == std::string::npos);
    CHECK(r.output.find("1 finding in 1 file") != std::string::npos);
}

TEST_CASE("pgadvisor lint --format sarif and markdown: file:line regions, rule help, a PR comment",
          "[integration][cli][lint]") {
    // issue 18: lint took only text and json, so a migration PR had nothing for code scanning.
    const std::string dir = "/tmp/pgadvisor_hygiene_formats";
    REQUIRE(shell("rm -rf " + dir + " && mkdir -p " + dir).exit_code == 0);
    std::ofstream(dir + "/001_init.sql") << "CREATE TABLE orders (id bigint PRIMARY KEY, status text);\n";
    std::ofstream(dir + "/002_status.sql") << "SELECT 1;\n\nCREATE INDEX orders_status ON orders (status);\n";
    const std::string lint = "cd " + dir + " && " + PGADVISOR_BINARY + " lint 002_status.sql --migrations . ";

    auto sarif = shell("(" + lint + "--format sarif 2>/dev/null)");
    CHECK(sarif.exit_code == 1);  // --fail-on warning, as with text
    const auto doc = nlohmann::json::parse(sarif.output);
    const auto& run = doc.at("runs").at(0);
    REQUIRE(run.at("results").size() == 1);
    const auto& result = run.at("results")[0];
    CHECK(result.at("ruleId") == "index-not-concurrently");
    CHECK(result.at("level") == "warning");
    const auto& where = result.at("locations")[0].at("physicalLocation");
    CHECK(where.at("artifactLocation").at("uri") == "002_status.sql");  // relative to the checkout
    CHECK(where.at("region").at("startLine") == 3);
    const auto& rule = run.at("tool").at("driver").at("rules").at(result.at("ruleIndex").get<std::size_t>());
    CHECK(rule.at("id") == "index-not-concurrently");
    CHECK(rule.at("help").at("markdown").get<std::string>().rfind("# index-not-concurrently", 0) == 0);

    auto markdown = shell("(" + lint + "--format markdown 2>/dev/null)");
    INFO(markdown.output);
    CHECK(markdown.exit_code == 1);
    CHECK(markdown.output.rfind("## pgadvisor lint\n\n**Lint failed** at `--fail-on warning`: 1 finding in 1", 0) == 0);
    CHECK(markdown.output.find("` index-not-concurrently `") != std::string::npos);
    CHECK(markdown.output.find("` 002_status.sql:3 `") != std::string::npos);

    // Nothing at or above --fail-on: exit 0, and the comment says the lint passed.
    auto passed = shell("(" + lint + "--format markdown --fail-on error 2>/dev/null)");
    CHECK(passed.exit_code == 0);
    CHECK(passed.output.find("**Lint passed** at `--fail-on error`") != std::string::npos);
}
