// check-then-insert against a real server: run the pattern through libpqxx,
// read the server's own log (ingest -> WorkloadBuilder -> the rule), then
// apply the finding's fix there: the duplicate check finds the duplicate the
// race leaves, the unique index builds once it is gone, and the UPSERT runs.
#include <catch2/catch.hpp>

#include <pqxx/pqxx>

#include <random>
#include <string>

#include "ingest/ingest.hpp"
#include "rules/config.hpp"
#include "rules/registry.hpp"
#include "sql/parser.hpp"
#include "sql/rewrite.hpp"
#include "throwaway_pg.hpp"
#include "workload/workload.hpp"

using namespace pgadvisor;
using namespace pgadvisor::test;

TEST_CASE("check-then-insert: found in a live server's log, and its fix applies there", "[integration][pg][rules]") {
    const auto& pg = throwaway_pg();
    const std::string table = "cti_cart_" + std::to_string(std::random_device{}() % 1000000);
    {
        pqxx::connection conn(pg.conninfo());
        pqxx::nontransaction tx(conn);
        tx.exec("CREATE TABLE " + table + " (cart_id int NOT NULL, product_id int NOT NULL, quantity int NOT NULL)");
    }
    // The application's pattern: look the key up, insert it when absent.
    {
        pqxx::connection conn(pg.conninfo());
        conn.prepare("find", "SELECT quantity FROM " + table + " WHERE cart_id = $1 AND product_id = $2");
        conn.prepare("add", "INSERT INTO " + table + " (cart_id, product_id, quantity) VALUES ($1, $2, $3)");
        for (int product : {3, 4, 5}) {
            pqxx::work tx(conn);  // BEGIN ... COMMIT around both
            auto found = tx.exec_prepared("find", 7, product);
            if (found.empty()) tx.exec_prepared("add", 7, product, 1);
            tx.commit();
        }
        // The race's result, as a second session would have left it: a duplicate key.
        pqxx::nontransaction tx(conn);
        tx.exec("INSERT INTO " + table + " VALUES (7, 3, 2)");
        tx.exec("SELECT 'cti-done-" + table + "'");
    }
    REQUIRE(wait_for_log(pg.csv_log, 0, "cti-done-" + table) != "");

    // The log, as pgadvisor reads it.
    auto set = rules::load_default_rules();
    std::unique_ptr<rules::Rule> rule;
    for (const auto& entry : rules::rule_registry())
        if (std::string(entry.id) == "check-then-insert") rule = entry.create(*set.find(entry.id));
    REQUIRE(rule);
    workload::WorkloadBuilder builder({}, [&](const workload::Execution& e) { rule->observe(e); });
    ingest::IngestOptions options;
    options.inputs = {pg.csv_log};
    ingest::ingest(options, [&](ingest::Statement&& s) { builder.add(s); });
    workload::Workload w = builder.finish();
    rules::RuleInput input;
    input.workload = &w;
    std::vector<rules::Finding> findings;
    rule->finish(input, findings);

    const rules::Finding* f = nullptr;
    for (const auto& x : findings)
        if (x.table == table) f = &x;
    REQUIRE(f);
    CHECK(f->title ==
          "Check-then-insert on " + table + " (cart_id, product_id): SELECT then INSERT of the same key, 3 times");
    CHECK(f->confidence == rules::Confidence::High);  // each pair inside one transaction
    REQUIRE(f->index_needs.size() == 1);
    CHECK(f->index_needs[0].unique);
    CHECK(f->index_needs[0].equality_columns == std::vector<std::string>{"cart_id", "product_id"});
    REQUIRE(f->locations.size() == 3);
    CHECK(f->locations[0].file == pg.csv_log);
    INFO(f->fix_sql);

    // The fix, statement by statement, split by libpg_query.
    auto spans = sql::split_statements(f->fix_sql);
    REQUIRE(spans.value);
    std::vector<std::string> statements;
    for (const auto& s : *spans.value) statements.push_back(f->fix_sql.substr(s.offset, s.length));
    REQUIRE(statements.size() == 3);
    CHECK(statements[0].find("HAVING count(*) > 1") != std::string::npos);
    CHECK(statements[1].find("CREATE UNIQUE INDEX CONCURRENTLY") != std::string::npos);
    // The SELECT returned quantity, so the UPSERT returns the row for an existing key too.
    CHECK(statements[2].find("ON CONFLICT (cart_id, product_id) DO UPDATE SET cart_id = excluded.cart_id "
                             "RETURNING quantity") != std::string::npos);
    // The review statement is the fix's, byte for byte.
    CHECK(statements[2] == f->rewrite_sql);

    pqxx::connection conn(pg.conninfo());
    pqxx::nontransaction tx(conn);  // CREATE INDEX CONCURRENTLY refuses a transaction block
    // 1. The duplicate check finds the duplicate, and the index cannot be built over it.
    auto dups = tx.exec(statements[0]);
    REQUIRE(dups.size() == 1);
    CHECK(dups[0][0].as<int>() == 7);
    CHECK(dups[0][1].as<int>() == 3);
    CHECK(dups[0][2].as<int>() == 2);
    CHECK_THROWS_AS(tx.exec(statements[1]), pqxx::sql_error);
    // The invalid leftover, under the name the fix gave it (IF NOT EXISTS would skip a rerun otherwise).
    tx.exec("DROP INDEX IF EXISTS " + table + "_cart_id_product_id_key");
    tx.exec("DELETE FROM " + table + " WHERE quantity = 2");
    CHECK(tx.exec(statements[0]).empty());
    // 2. Now it builds.
    tx.exec(statements[1]);
    auto unique = tx.exec_params(
        "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid "
        "WHERE c.relname = $1 AND i.indisunique AND i.indisvalid",
        table);
    CHECK(unique[0][0].as<int>() == 1);
    // 3. The UPSERT: an existing key is left alone and its row comes back, as the
    // application's SELECT gave it; a new key is inserted and its row comes back.
    conn.prepare("upsert", f->rewrite_sql);
    auto existing = tx.exec_prepared("upsert", 7, 3, 9);
    REQUIRE(existing.size() == 1);
    CHECK(existing[0][0].as<int>() == 1);  // the existing row's quantity, not the 9 proposed
    auto added = tx.exec_prepared("upsert", 7, 6, 1);
    REQUIRE(added.size() == 1);
    CHECK(added[0][0].as<int>() == 1);
    auto again = tx.exec_prepared("upsert", 7, 6, 5);
    REQUIRE(again.size() == 1);
    CHECK(again[0][0].as<int>() == 1);
    CHECK(tx.exec1("SELECT count(*) FROM " + table)[0].as<int>() == 4);
    CHECK(tx.exec1("SELECT quantity FROM " + table + " WHERE cart_id = 7 AND product_id = 3")[0].as<int>() == 1);
    // DO NOTHING, what an existence check (SELECT 1) gets, returns no row for an existing key.
    auto nothing = sql::upsert_from_insert(
        "INSERT INTO " + table + " (cart_id, product_id, quantity) VALUES ($1, $2, $3)", {"cart_id", "product_id"},
        sql::ConflictAction::Nothing, {}, {}, {"quantity"});
    REQUIRE(nothing.value);
    conn.prepare("nothing", *nothing.value);
    CHECK(tx.exec_prepared("nothing", 7, 3, 9).empty());
    CHECK(tx.exec_prepared("nothing", 7, 8, 2).size() == 1);
    tx.exec("DROP TABLE " + table);
}
