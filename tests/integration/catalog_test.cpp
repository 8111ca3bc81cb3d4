// The catalog three ways: the shop schema applied to the throwaway server and
// read live, read offline from the same DDL, and read offline from the
// server's own pg_dump --schema-only output. All three must agree.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <unistd.h>

#include "catalog/ddl_loader.hpp"
#include "catalog/live_loader.hpp"
#include "catalog/migrations.hpp"
#include "throwaway_pg.hpp"

using namespace pgadvisor::catalog;
using namespace pgadvisor::test;

namespace {

const std::string kFixtures = PGADVISOR_TEST_FIXTURES "/catalog/";
const std::string kDb = "pgadvisor_catalog_it";

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A dedicated database, so other integration tests never see these tables.
void create_shop_database() {
    const auto& pg = throwaway_pg();
    {
        pqxx::connection admin(pg.conninfo());
        pqxx::nontransaction tx(admin);
        tx.exec("DROP DATABASE IF EXISTS " + kDb + " WITH (FORCE)");
        tx.exec("CREATE DATABASE " + kDb);
    }
    pqxx::connection conn(pg.conninfo(kDb));
    pqxx::nontransaction tx(conn);
    tx.exec(slurp(kFixtures + "shop_schema.sql"));
    // Some rows and ANALYZE, so statistics exist for the live side.
    tx.exec(
        "INSERT INTO customers (email, full_name, country) "
        "SELECT 'c' || g || '@example.com', 'Customer ' || g, CASE WHEN g % 10 = 0 THEN 'FR' ELSE 'DE' END "
        "FROM generate_series(1, 2000) g");
    tx.exec("ANALYZE customers");
}

// Lines in a but not in b, for a readable failure.
std::string missing(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    std::string out;
    for (const auto& l : a)
        if (!std::binary_search(b.begin(), b.end(), l)) out += "  " + l + "\n";
    return out;
}

std::string pg_dump_schema(const ThrowawayPg& pg) {
    char tmpl[] = "/tmp/pgadvisor-catalog-dump.XXXXXX";
    const int fd = mkstemp(tmpl);
    REQUIRE(fd >= 0);
    close(fd);
    const std::string bin = pg.bin_dir.empty() ? "/usr/lib/postgresql/15/bin" : pg.bin_dir;
    const std::string cmd = bin + "/pg_dump --schema-only -h '" + pg.host + "' -p " + pg.port + " -U postgres -f '" +
                            tmpl + "' " + kDb;
    REQUIRE(std::system(cmd.c_str()) == 0);
    return tmpl;
}

}  // namespace

TEST_CASE("live, offline DDL and offline pg_dump catalogs agree on the shop schema", "[integration][catalog]") {
    const auto& pg = throwaway_pg();
    create_shop_database();

    LiveOptions lo;
    lo.conninfo = pg.conninfo(kDb);
    auto live = load_live(lo);
    INFO((live.error ? live.error->message : ""));
    REQUIRE(live.catalog);
    const Catalog& L = *live.catalog;
    CHECK(L.server_version / 10000 == 15);
    CHECK(L.tables.size() == 26);

    const Catalog ddl = load_schema_file(kFixtures + "shop_schema.sql");
    REQUIRE(ddl.errors.empty());

    const std::string dump_path = pg_dump_schema(pg);
    const Catalog dump = load_schema_file(dump_path);
    INFO("dump errors: " << dump.errors.size() << (dump.errors.empty() ? "" : " first: " + dump.errors[0].message));
    CHECK(dump.errors.empty());
    CHECK(dump.statements_passed_over > 10);  // SET, sequences, OWNED BY, COMMENT, GRANT... are passed over
    std::remove(dump_path.c_str());

    const auto live_lines = structure_lines(L);
    const auto ddl_lines = structure_lines(ddl);
    const auto dump_lines = structure_lines(dump);
    REQUIRE(live_lines.size() > 200);
    {
        INFO("live only:\n" << missing(live_lines, ddl_lines) << "DDL only:\n" << missing(ddl_lines, live_lines));
        CHECK(live_lines == ddl_lines);
    }
    {
        INFO("live only:\n" << missing(live_lines, dump_lines) << "pg_dump only:\n" << missing(dump_lines, live_lines));
        CHECK(live_lines == dump_lines);
    }

    // Field by field on a few things the lines also cover, so a failure here says what broke.
    const Index* lower_email = L.find_index("public", "customers_email_lower_key");
    REQUIRE(lower_email);
    CHECK(lower_email->keys[0].expression == "lower(email)");  // the server says lower((email)::text)
    // A non-default operator class, read live from pg_opclass (and offline from the DDL, by the lines above).
    const Index* like = L.find_index("inventory", "products_title_trgm_like");
    REQUIRE(like);
    CHECK(like->keys[0].opclass == "text_pattern_ops");
    const Index* open = L.find_index("public", "orders_open_idx");
    REQUIRE(open);
    CHECK(open->predicate ==
          "(status = ANY(ARRAY['new', 'paid']))");  // the server says ANY ('{new,paid}'::order_status[])
    const Index* stock = L.find_index("inventory", "stock_low_idx");
    REQUIRE(stock);
    CHECK(stock->include == std::vector<std::string>{"reserved"});
    CHECK(stock->size_bytes > 0);
    CHECK(stock->idx_scan == 0);
    const Table* events = L.find_table("Audit", "EventLog");
    REQUIRE(events);
    CHECK(events->columns[0].name == "Id");

    // Statistics: customers was analyzed, orders was not.
    const Table* customers = L.find_table("public", "customers");
    REQUIRE(customers);
    CHECK(customers->rows_source == RowsSource::Statistics);
    CHECK(customers->estimated_rows == 2000);
    CHECK(customers->inserts == 2000);
    CHECK(customers->seq_scan >= 1);
    REQUIRE(customers->column("country")->stats);
    const auto& st = *customers->column("country")->stats;
    CHECK(st.n_distinct == 2);
    REQUIRE(st.most_common_values.size() == 2);
    CHECK(st.most_common_values[0] == "DE");
    CHECK(st.most_common_freqs[0] == Approx(0.9));
    CHECK(st.correlation.has_value());
    CHECK(L.has_statistics);
    CHECK(L.find_table("public", "orders")->rows_source == RowsSource::Default);
    CHECK_FALSE(L.find_table("public", "orders")->column("id")->stats);
}

TEST_CASE("live: search_path from the connection is honoured", "[integration][catalog]") {
    const auto& pg = throwaway_pg();
    create_shop_database();
    LiveOptions lo;
    lo.conninfo = pg.conninfo(kDb) + " options='-c search_path=billing,public'";
    auto live = load_live(lo);
    REQUIRE(live.catalog);
    CHECK(live.catalog->search_path == std::vector<std::string>{"billing", "public"});
    CHECK(live.catalog->find_table_on_path("invoices", live.catalog->search_path));
}

TEST_CASE("live: without privilege on pg_stats the catalog loads and says so", "[integration][catalog]") {
    const auto& pg = throwaway_pg();
    create_shop_database();
    {
        pqxx::connection conn(pg.conninfo(kDb));
        pqxx::nontransaction tx(conn);
        tx.exec("DROP ROLE IF EXISTS pgadvisor_reader");
        tx.exec("CREATE ROLE pgadvisor_reader LOGIN");
        tx.exec("REVOKE SELECT ON pg_catalog.pg_stats FROM PUBLIC");  // this database's pg_catalog only
    }
    LiveOptions lo;
    lo.conninfo = "host=" + pg.host + " port=" + pg.port + " user=pgadvisor_reader dbname=" + kDb;
    auto live = load_live(lo);
    INFO((live.error ? live.error->message : ""));
    REQUIRE(live.catalog);
    CHECK(live.catalog->tables.size() == 26);
    CHECK_FALSE(live.catalog->has_statistics);
    REQUIRE(live.catalog->notes.size() == 1);
    CHECK(live.catalog->notes[0] == "no privilege to read pg_stats: continuing without column statistics");
    pqxx::connection conn(pg.conninfo());
    pqxx::nontransaction tx(conn);
    tx.exec("DROP DATABASE " + kDb + " WITH (FORCE)");
    tx.exec("DROP ROLE pgadvisor_reader");
}

TEST_CASE("live: an unreachable server names host and port and never the password", "[integration][catalog]") {
    // Port 1 on loopback: nothing listens there.
    LiveOptions lo;
    lo.conninfo = "postgresql://alice:s3cr3t-pw@127.0.0.1:1/shop?connect_timeout=3";
    auto live = load_live(lo);
    REQUIRE_FALSE(live.catalog);
    REQUIRE(live.error);
    CHECK(live.error->connection);
    INFO(live.error->message);
    CHECK(live.error->message.find("host=127.0.0.1 port=1") != std::string::npos);
    CHECK(live.error->message.find("Connection refused") != std::string::npos);
    CHECK(live.error->message.find("s3cr3t-pw") == std::string::npos);
    CHECK(redact_password("password s3cr3t-pw was wrong", lo.conninfo) == "password ******** was wrong");
}

namespace {
struct Run {
    int exit_code = -1;
    std::string out;  // stdout and stderr together
};
Run run_cli(const std::string& args) {
    Run r;
    FILE* p = popen((std::string(PGADVISOR_BINARY) + " " + args + " 2>&1").c_str(), "r");
    REQUIRE(p);
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int status = pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}
}  // namespace

TEST_CASE("pgadvisor schema --db prints the live catalog and hides pg_stats values unless asked",
          "[integration][catalog][cli]") {
    const auto& pg = throwaway_pg();
    create_shop_database();
    const std::string db = "--db 'host=" + pg.host + " port=" + pg.port + " user=postgres dbname=" + kDb + "'";
    auto r = run_cli("schema " + db + " --json");
    INFO(r.out.substr(0, 2000));
    REQUIRE(r.exit_code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["tables"].size() == 26);
    CHECK(j["server_version"].get<int>() / 10000 == 15);
    bool saw_stats = false;
    for (const auto& t : j["tables"])
        for (const auto& c : t["columns"])
            if (c.contains("stats")) {
                saw_stats = true;
                CHECK_FALSE(c["stats"].contains("most_common_values"));
            }
    CHECK(saw_stats);
    CHECK(r.out.find("\"DE\"") == std::string::npos);  // a most-common value of customers.country

    r = run_cli("schema " + db + " --json --show-literals");
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("\"DE\"") != std::string::npos);

    // A partial index's constant is masked like any other value, shown when asked.
    r = run_cli("schema " + db);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find(
              "index        stock_low_idx btree (warehouse_code, quantity) INCLUDE (reserved) WHERE (quantity < $1)") !=
          std::string::npos);
    r = run_cli("schema " + db + " --show-literals");
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find(
              "index        stock_low_idx btree (warehouse_code, quantity) INCLUDE (reserved) WHERE (quantity < 10)") !=
          std::string::npos);
}

TEST_CASE("pgadvisor schema --db exits 2 with host, port and reason on an unreachable server",
          "[integration][catalog][cli]") {
    const auto r = run_cli("schema --db 'postgresql://alice:s3cr3t-pw@127.0.0.1:1/shop?connect_timeout=3'");
    INFO(r.out);
    CHECK(r.exit_code == 2);
    CHECK(r.out.find("host=127.0.0.1 port=1") != std::string::npos);
    CHECK(r.out.find("Connection refused") != std::string::npos);
    CHECK(r.out.find("s3cr3t-pw") == std::string::npos);
}

TEST_CASE("migration folders applied to the server in plan order give the catalog read offline",
          "[integration][catalog][migrations]") {
    const auto& pg = throwaway_pg();
    for (const std::string layout : {"plain", "flyway", "golang", "prisma"}) {
        INFO(layout);
        const std::string db = "pgadvisor_migrations_" + layout;
        {
            pqxx::connection admin(pg.conninfo());
            pqxx::nontransaction tx(admin);
            tx.exec("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            tx.exec("CREATE DATABASE " + db);
        }
        const std::string dir = kFixtures + "migrations/" + layout;
        const auto plan = plan_migrations(dir);
        REQUIRE_FALSE(plan.files.empty());
        {
            pqxx::connection conn(pg.conninfo(db));
            pqxx::nontransaction tx(conn);
            for (const auto& f : plan.files) tx.exec(slurp(f));  // in the wrong order, a rename would fail here
        }
        LiveOptions lo;
        lo.conninfo = pg.conninfo(db);
        auto live = load_live(lo);
        REQUIRE(live.catalog);
        const Catalog offline = load_migrations(dir);
        REQUIRE(offline.errors.empty());
        const auto a = structure_lines(*live.catalog);
        const auto b = structure_lines(offline);
        INFO("live only:\n" << missing(a, b) << "offline only:\n" << missing(b, a));
        CHECK(a == b);
        CHECK_FALSE(a.empty());
        pqxx::connection admin(pg.conninfo());
        pqxx::nontransaction tx(admin);
        tx.exec("DROP DATABASE " + db + " WITH (FORCE)");
    }
}
