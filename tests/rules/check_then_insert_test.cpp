// check-then-insert: the log captured from PostgreSQL 15 (tests/fixtures/workload/
// gen-shop-log.sh), hand-built sequences for the UPDATE variant and the window,
// look-alikes that must stay quiet, the catalog's unique index, and the doc page's example.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "catalog/ddl_loader.hpp"
#include "rule_test_support.hpp"

using namespace pgadvisor;
using namespace pgadvisor::test;

namespace {

const std::string kShopLog = std::string(PGADVISOR_TEST_FIXTURES) + "/workload/shop-session.log";

catalog::Catalog ddl(const std::string& text) {
    catalog::Catalog cat;
    catalog::apply_ddl(cat, text, "schema.sql");
    REQUIRE(cat.errors.empty());
    return cat;
}

const rules::Finding* on_select(const std::vector<rules::Finding>& findings, const std::string& select_start) {
    for (const auto& f : findings)
        if (!f.statements.empty() && f.statements[0].normalized.rfind(select_start, 0) == 0) return &f;
    return nullptr;
}

// Autocommit statements (no transaction key) of one session, `gap_ms` apart.
std::vector<ingest::Statement> sequence(const std::string& session, double start_ms, double gap_ms,
                                        const std::vector<std::string>& texts) {
    std::vector<ingest::Statement> out;
    double t = start_ms;
    long line = 1;
    for (const auto& text : texts) {
        out.push_back(statement(session, t, text, 0.4, "seq.log", line++));
        t += gap_ms;
    }
    return out;
}

}  // namespace

TEST_CASE("check-then-insert fires on the log captured from PostgreSQL", "[rules][check-then-insert]") {
    auto rule = make_rule("check-then-insert");
    auto run = run_rule_on_files(*rule, {kShopLog});
    // The BEGIN/COMMIT case (constants) and the pgbench case (bound parameters); the
    // look-alike SELECT (6, 2) then INSERT (6, 3) on other key values stays quiet.
    REQUIRE(run.findings.size() == 2);

    const rules::Finding* tx = on_select(run.findings, "SELECT $1 AS one FROM cart_items");
    REQUIRE(tx);
    CHECK(tx->rule_id == "check-then-insert");
    CHECK(tx->table == "cart_items");
    CHECK(tx->title ==
          "Check-then-insert on cart_items (cart_id, product_id): SELECT then INSERT of the same key, 1 time");
    CHECK(tx->confidence == rules::Confidence::High);  // inside BEGIN ... COMMIT
    CHECK(tx->request == "carts#add");
    CHECK_FALSE(tx->transaction.empty());
    REQUIRE(tx->locations.size() == 1);
    CHECK(tx->locations[0].file == kShopLog);
    CHECK(tx->locations[0].first_line == 20);  // the SELECT
    CHECK(tx->locations[0].last_line == 21);   // the INSERT
    REQUIRE(tx->statements.size() == 2);
    CHECK(tx->statements[1].normalized.rfind(
              "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES ($1, $2, $3)", 0) == 0);
    // psql's two INSERTs (constants) and pgbench's three ($1, $2 bound) share one shape.
    CHECK(tx->statements[1].calls == 5);
    // No catalog: the duplicate check and the unique index come first, then the UPSERT.
    CHECK(
        tx->fix_sql ==
        "-- Existing duplicates would make the unique index fail; find them first:\n"
        "SELECT cart_id, product_id, count(*) FROM cart_items WHERE cart_id IS NOT NULL AND product_id IS NOT NULL "
        "GROUP BY cart_id, product_id HAVING count(*) > 1 ORDER BY count(*) DESC LIMIT 100;\n"
        "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS cart_items_cart_id_product_id_key ON cart_items USING btree (cart_id, product_id);\n"
        "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES ($1, $2, $3) "
        "ON CONFLICT (cart_id, product_id) DO NOTHING;");
    REQUIRE(tx->index_needs.size() == 1);
    CHECK(tx->index_needs[0].unique);
    CHECK(tx->index_needs[0].table == "cart_items");
    CHECK(tx->index_needs[0].equality_columns == std::vector<std::string>{"cart_id", "product_id"});
    CHECK(tx->explanation.find("both see no row") != std::string::npos);
    CHECK(tx->estimated_gain_ms == Approx(0.427 + 0.3));

    const rules::Finding* bound = on_select(run.findings, "SELECT quantity FROM cart_items");
    REQUIRE(bound);
    // pgbench runs each statement in its own transaction: matched by the 1 s window.
    CHECK(bound->title ==
          "Check-then-insert on cart_items (cart_id, product_id): SELECT then INSERT of the same key, 3 times");
    CHECK(bound->confidence == rules::Confidence::Medium);
    CHECK(bound->transaction.empty());
    CHECK(bound->session.find("1f79") != std::string::npos);  // the cart pgbench session
    CHECK(bound->locations.size() == 3);
    // The same INSERT shape as above: its normalized text comes from the first one seen.
    CHECK(bound->statements[1].fingerprint == tx->statements[1].fingerprint);
    CHECK(bound->statements[0].fingerprint != tx->statements[0].fingerprint);
    // This SELECT returned quantity: the UPSERT returns it for an existing key too (a no-op DO UPDATE).
    CHECK(bound->fix_sql.find("INSERT INTO cart_items (cart_id, product_id, quantity) VALUES ($1, $2, $3) "
                              "ON CONFLICT (cart_id, product_id) DO UPDATE SET cart_id = excluded.cart_id "
                              "RETURNING quantity;") != std::string::npos);
    CHECK(bound->estimated_gain_ms > 3 * 0.3);

    // No literal value from the log reaches any finding.
    for (const auto& f : run.findings)
        for (const char* value : {"106", "58", "102", "47", "(5, 9", "= 5 "}) {
            CHECK(f.explanation.find(value) == std::string::npos);
            CHECK(f.fix_sql.find(value) == std::string::npos);
            CHECK(f.title.find(value) == std::string::npos);
        }
}

TEST_CASE("check-then-insert: look-alikes stay quiet", "[rules][check-then-insert]") {
    auto quiet = [](const std::vector<ingest::Statement>& in) {
        auto rule = make_rule("check-then-insert");
        return run_rule(*rule, in).findings.size();
    };
    // Other key values.
    CHECK(quiet(sequence("s", 1000, 5,
                         {"SELECT id FROM users WHERE email = 'a@x.org'",
                          "INSERT INTO users (email, name) VALUES ('b@x.org', 'B')"})) == 0);
    // Another table.
    CHECK(quiet(sequence("s", 1000, 5,
                         {"SELECT id FROM users WHERE email = 'a@x.org'",
                          "INSERT INTO accounts (email, name) VALUES ('a@x.org', 'A')"})) == 0);
    // Far later than the window, outside any transaction.
    CHECK(quiet(sequence("s", 1000, 5000,
                         {"SELECT id FROM users WHERE email = 'a@x.org'",
                          "INSERT INTO users (email, name) VALUES ('a@x.org', 'A')"})) == 0);
    // A range predicate: a report, not a lookup of one key.
    CHECK(quiet(sequence("s", 1000, 5,
                         {"SELECT id FROM events WHERE day = 7 AND at > 100",
                          "INSERT INTO events (day, at) VALUES (7, 101)"})) == 0);
    // Another session.
    auto a = sequence("s1", 1000, 5, {"SELECT id FROM users WHERE email = 'a@x.org'"});
    auto b = sequence("s2", 1002, 5, {"INSERT INTO users (email, name) VALUES ('a@x.org', 'A')"});
    a.insert(a.end(), b.begin(), b.end());
    CHECK(quiet(a) == 0);
    // Already an UPSERT.
    CHECK(quiet(sequence("s", 1000, 5,
                         {"SELECT id FROM users WHERE email = 'a@x.org'",
                          "INSERT INTO users (email, name) VALUES ('a@x.org', 'A') ON CONFLICT (email) DO NOTHING"})) ==
          0);
    // The INSERT does not write every looked-up column.
    CHECK(quiet(sequence("s", 1000, 5,
                         {"SELECT 1 FROM cart_items WHERE cart_id = 5 AND product_id = 9",
                          "INSERT INTO cart_items (cart_id, quantity) VALUES (5, 1)"})) == 0);
    // The control: the same statements, 5 ms apart, do fire.
    CHECK(quiet(sequence("s", 1000, 5,
                         {"SELECT id FROM users WHERE email = 'a@x.org'",
                          "INSERT INTO users (email, name) VALUES ('a@x.org', 'A')"})) == 1);
}

TEST_CASE("check-then-insert: the window, and a transaction that outlasts it", "[rules][check-then-insert]") {
    const std::vector<std::string> texts = {"SELECT id FROM users WHERE email = $1",
                                            "INSERT INTO users (email, name) VALUES ($1, $2)"};
    auto with_params = [&](double gap_ms) {
        auto in = sequence("s", 1000, gap_ms, texts);
        in[0].parameters = {{1, std::string("a@x.org")}};
        in[1].parameters = {{1, std::string("a@x.org")}, {2, std::string("A")}};
        return in;
    };
    {
        auto rule = make_rule("check-then-insert");
        CHECK(run_rule(*rule, with_params(900)).findings.size() == 1);
    }
    {
        auto rule = make_rule("check-then-insert");
        CHECK(run_rule(*rule, with_params(1100)).findings.empty());
    }
    {
        auto rule = make_rule("check-then-insert", {"window_ms=2000"});
        CHECK(run_rule(*rule, with_params(1100)).findings.size() == 1);
    }
    {
        // Bound values that differ: quiet.
        auto in = with_params(10);
        in[1].parameters[0].value = "b@x.org";
        auto rule = make_rule("check-then-insert");
        CHECK(run_rule(*rule, in).findings.empty());
    }
    {
        // BEGIN ... COMMIT: 5 s between the SELECT and the INSERT still counts.
        auto in = sequence("s", 1000, 5000,
                           {"BEGIN", "SELECT id FROM users WHERE email = 'a@x.org'",
                            "INSERT INTO users (email, name) VALUES ('a@x.org', 'A')", "COMMIT"});
        auto rule = make_rule("check-then-insert");
        auto run = run_rule(*rule, in);
        REQUIRE(run.findings.size() == 1);
        CHECK(run.findings[0].confidence == rules::Confidence::High);
        CHECK(run.findings[0].locations[0].first_line == 2);
        CHECK(run.findings[0].locations[0].last_line == 3);
    }
    {
        // min_occurrences: one occurrence is not enough when 2 are asked for.
        auto rule = make_rule("check-then-insert", {"min_occurrences=2"});
        CHECK(run_rule(*rule, with_params(10)).findings.empty());
    }
}

TEST_CASE("check-then-insert: SELECT then UPDATE or INSERT suggests DO UPDATE", "[rules][check-then-insert]") {
    // The app's upsert by hand: found -> UPDATE, not found -> INSERT, over three keys.
    auto in = sequence("web", 1000, 3,
                       {"SELECT quantity FROM cart_items WHERE cart_id = 1 AND product_id = 2",
                        "UPDATE cart_items SET quantity = 4, note = 'x' WHERE cart_id = 1 AND product_id = 2",
                        "SELECT quantity FROM cart_items WHERE cart_id = 1 AND product_id = 3",
                        "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (1, 3, 1)",
                        // UPDATE found no row, then INSERT: one sequence of three.
                        "SELECT quantity FROM cart_items WHERE cart_id = 2 AND product_id = 3",
                        "UPDATE cart_items SET quantity = 2, note = 'y' WHERE cart_id = 2 AND product_id = 3",
                        "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES (2, 3, 1)",
                        // An UPDATE of another row does not count.
                        "SELECT quantity FROM cart_items WHERE cart_id = 9 AND product_id = 9",
                        "UPDATE cart_items SET quantity = 2 WHERE cart_id = 9 AND product_id = 8"});
    auto rule = make_rule("check-then-insert");
    auto run = run_rule(*rule, in);
    REQUIRE(run.findings.size() == 1);
    const auto& f = run.findings[0];
    CHECK(f.title ==
          "Check-then-insert on cart_items (cart_id, product_id): SELECT then INSERT of the same key, 2 times");
    REQUIRE(f.statements.size() == 3);
    CHECK(f.statements[2].normalized ==
          "UPDATE cart_items SET quantity = $1, note = $2 WHERE cart_id = $3 AND product_id = $4");
    // quantity is written by the INSERT: EXCLUDED.quantity; note is not, so it is left to the user.
    CHECK(f.fix_sql.find("INSERT INTO cart_items (cart_id, product_id, quantity) VALUES ($1, $2, $3) "
                         "ON CONFLICT (cart_id, product_id) DO UPDATE SET quantity = excluded.quantity "
                         "RETURNING quantity;") != std::string::npos);
    CHECK(f.explanation.find("also sets note") != std::string::npos);
    CHECK(f.confidence == rules::Confidence::Medium);  // by time, no transaction
}

TEST_CASE("check-then-insert: with a unique index in the catalog the fix is the UPSERT alone",
          "[rules][check-then-insert]") {
    auto in = sequence("s", 1000, 5,
                       {"SELECT id FROM \"Users\" WHERE \"Email\" = 'a@x.org'",
                        "INSERT INTO \"Users\" (\"Email\", name) VALUES ('a@x.org', 'A')"});
    {
        auto cat = ddl("CREATE TABLE \"Users\" (id serial PRIMARY KEY, \"Email\" text, name text);");
        rules::RuleInput input;
        input.catalog = &cat;
        auto rule = make_rule("check-then-insert");
        auto run = run_rule(*rule, in, input);
        REQUIRE(run.findings.size() == 1);
        const auto& f = run.findings[0];
        // Identifiers that need quotes get them.
        CHECK(
            f.fix_sql.find(
                "SELECT \"Email\", count(*) FROM \"Users\" WHERE \"Email\" IS NOT NULL GROUP BY \"Email\" HAVING count(*) > 1 "
                "ORDER BY count(*) DESC LIMIT 100;") != std::string::npos);
        CHECK(
            f.fix_sql.find(
                "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email_key ON \"Users\" USING btree (\"Email\");") !=
            std::string::npos);
        CHECK(f.explanation.find("has no unique index") != std::string::npos);
        CHECK(f.index_needs.size() == 1);
    }
    {
        auto cat = ddl(
            "CREATE TABLE \"Users\" (id serial PRIMARY KEY, \"Email\" text, name text);\n"
            "CREATE UNIQUE INDEX users_email ON \"Users\" (\"Email\");");
        rules::RuleInput input;
        input.catalog = &cat;
        auto rule = make_rule("check-then-insert");
        auto run = run_rule(*rule, in, input);
        REQUIRE(run.findings.size() == 1);
        const auto& f = run.findings[0];
        // The SELECT returned id: so does the UPSERT, for an existing key too.
        CHECK(f.fix_sql ==
              "INSERT INTO \"Users\" (\"Email\", name) VALUES ($1, $2) ON CONFLICT (\"Email\") "
              "DO UPDATE SET \"Email\" = excluded.\"Email\" RETURNING id;");
        CHECK(f.index_needs.empty());
        CHECK(f.explanation.find("unique-violation error") != std::string::npos);
    }
    {
        // A partial unique index does not serve ON CONFLICT (K): the index is still needed.
        auto cat = ddl(
            "CREATE TABLE \"Users\" (id serial PRIMARY KEY, \"Email\" text, name text);\n"
            "CREATE UNIQUE INDEX users_email ON \"Users\" (\"Email\") WHERE name IS NOT NULL;");
        rules::RuleInput input;
        input.catalog = &cat;
        auto rule = make_rule("check-then-insert");
        auto run = run_rule(*rule, in, input);
        REQUIRE(run.findings.size() == 1);
        CHECK(run.findings[0].index_needs.size() == 1);
    }
}

TEST_CASE("check-then-insert: the doc page's example fires as documented", "[rules][check-then-insert]") {
    std::ifstream doc(std::string(PGADVISOR_SOURCE_DIR) + "/docs/rules/check-then-insert.md");
    REQUIRE(doc);
    std::stringstream text;
    text << doc.rdbuf();
    const std::string page = text.str();
    auto block = [&](const std::string& tag) {
        const auto begin = page.find("```" + tag);
        REQUIRE(begin != std::string::npos);
        const auto body = page.find('\n', begin) + 1;
        const auto end = page.find("```", body);
        std::istringstream lines(page.substr(body, end - body));
        std::vector<std::string> out;
        std::string line;
        while (std::getline(lines, line))
            if (!line.empty() && line.rfind("--", 0) != 0) out.push_back(line);
        return out;
    };
    auto fires = block("sql fires");
    REQUIRE(fires.size() == 4);
    auto rule = make_rule("check-then-insert");
    auto run = run_rule(*rule, sequence("web-1", 10'000, 2, fires));
    REQUIRE(run.findings.size() == 1);
    const auto& f = run.findings[0];
    // The page shows the finding's title; its whole rendering (fix_sql indented under `fix:`) is
    // compared with the page's Finding block by tests/rules/doc_findings_test.cpp.
    CHECK(page.find(f.title) != std::string::npos);

    // Each quiet pair in its own session (together, a later INSERT could answer an earlier SELECT).
    auto quiet = block("sql quiet");
    REQUIRE(quiet.size() == 6);
    for (std::size_t i = 0; i + 1 < quiet.size(); i += 2) {
        INFO(quiet[i] << "\n" << quiet[i + 1]);
        auto rule2 = make_rule("check-then-insert");
        CHECK(run_rule(*rule2, sequence("web-1", 10'000, 2, {quiet[i], quiet[i + 1]})).findings.empty());
    }
}

TEST_CASE("check-then-insert: multi-row VALUES, schema-qualified tables, NULL keys, max_pending",
          "[rules][check-then-insert]") {
    {
        // The key sits in the second row of a multi-row INSERT; the table is qualified in both.
        auto rule = make_rule("check-then-insert");
        auto run = run_rule(*rule, sequence("s", 1000, 5,
                                            {"SELECT 1 FROM shop.tags WHERE name = 'red'",
                                             "INSERT INTO shop.tags (name) VALUES ('blue'), ('red')"}));
        REQUIRE(run.findings.size() == 1);
        const auto& f = run.findings[0];
        CHECK(f.schema == "shop");
        CHECK(f.table == "tags");
        CHECK(f.fix_sql.find(
                  "SELECT name, count(*) FROM shop.tags WHERE name IS NOT NULL GROUP BY name HAVING count(*) > 1 "
                  "ORDER BY count(*) DESC LIMIT 100;") != std::string::npos);
        CHECK(f.fix_sql.find("INSERT INTO shop.tags (name) VALUES ($1), ($2) ON CONFLICT (name) DO NOTHING;") !=
              std::string::npos);
        REQUIRE(f.index_needs.size() == 1);
        CHECK(f.index_needs[0].schema == "shop");
    }
    {
        // Unqualified on one side, qualified on the other: the same table as far as the log can tell.
        auto rule = make_rule("check-then-insert");
        CHECK(run_rule(*rule, sequence("s", 1000, 5,
                                       {"SELECT 1 FROM tags WHERE name = 'red'",
                                        "INSERT INTO shop.tags (name) VALUES ('red')"}))
                  .findings.size() == 1);
    }
    {
        // Another schema: another table.
        auto rule = make_rule("check-then-insert");
        CHECK(run_rule(*rule, sequence("s", 1000, 5,
                                       {"SELECT 1 FROM archive.tags WHERE name = 'red'",
                                        "INSERT INTO shop.tags (name) VALUES ('red')"}))
                  .findings.empty());
    }
    {
        // A NULL inserted is never "the same value" (and = NULL finds no row anyway).
        auto in = sequence("s", 1000, 5, {"SELECT 1 FROM tags WHERE name = $1", "INSERT INTO tags (name) VALUES ($1)"});
        in[0].parameters = {{1, std::nullopt}};
        in[1].parameters = {{1, std::nullopt}};
        auto rule = make_rule("check-then-insert");
        CHECK(run_rule(*rule, in).findings.empty());
    }
    {
        // Three other lookups between the SELECT and its INSERT: remembered with the default
        // max_pending, forgotten with max_pending=2.
        const std::vector<std::string> texts = {"SELECT 1 FROM tags WHERE name = 'red'",
                                                "SELECT 1 FROM users WHERE id = 1", "SELECT 1 FROM users WHERE id = 2",
                                                "SELECT 1 FROM users WHERE id = 3",
                                                "INSERT INTO tags (name) VALUES ('red')"};
        auto keep = make_rule("check-then-insert");
        CHECK(run_rule(*keep, sequence("s", 1000, 5, texts)).findings.size() == 1);
        auto forget = make_rule("check-then-insert", {"max_pending=2"});
        CHECK(run_rule(*forget, sequence("s", 1000, 5, texts)).findings.empty());
    }
}

TEST_CASE("check-then-insert: reserved words are quoted, unreserved ones are not", "[rules][check-then-insert]") {
    auto rule = make_rule("check-then-insert");
    auto run = run_rule(*rule, sequence("s", 1000, 5,
                                        {"SELECT 1 FROM \"user\" WHERE name = 'x' AND \"select\" = 2",
                                         "INSERT INTO \"user\" (name, \"select\") VALUES ('x', 2)"}));
    REQUIRE(run.findings.size() == 1);
    const auto& f = run.findings[0];
    INFO(f.fix_sql);
    CHECK(f.fix_sql.find(
              "SELECT name, \"select\", count(*) FROM \"user\" WHERE name IS NOT NULL AND \"select\" IS NOT NULL "
              "GROUP BY name, \"select\" HAVING count(*) > 1 ORDER BY count(*) DESC LIMIT 100;") != std::string::npos);
    CHECK(
        f.fix_sql.find(
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS user_name_select_key ON \"user\" USING btree (name, \"select\");") !=
        std::string::npos);
    CHECK(f.fix_sql.find("ON CONFLICT (name, \"select\") DO NOTHING;") != std::string::npos);
}

TEST_CASE("check-then-insert: what the SELECT returned decides what the UPSERT returns (issue 13, class 4)",
          "[rules][check-then-insert]") {
    auto upsert_after = [](const std::string& select, const std::string& insert) {
        auto in = sequence("s", 1000, 5, {select, insert});
        auto rule = make_rule("check-then-insert");
        auto run = run_rule(*rule, in);
        REQUIRE(run.findings.size() == 1);
        return run.findings[0];
    };
    const std::string insert = "INSERT INTO tags (name, color) VALUES ('a', 'red')";
    // An existence check: DO NOTHING, and the caller is told it gets no row for an existing key.
    for (const char* check : {"SELECT 1 FROM tags WHERE name = 'a'", "SELECT count(*) FROM tags WHERE name = 'a'"}) {
        const auto f = upsert_after(check, insert);
        INFO(check);
        CHECK(f.rewrite_sql == "INSERT INTO tags (name, color) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING");
        CHECK(f.rewrite_note.find("returns no row when the key exists; the caller must not expect one") !=
              std::string::npos);
        CHECK(f.fix.find(f.rewrite_note) != std::string::npos);
    }
    // The row itself: a no-op DO UPDATE so that RETURNING gives the existing row, and its cost said.
    {
        const auto f = upsert_after("SELECT id, color FROM tags WHERE name = 'a'", insert);
        CHECK(f.rewrite_sql ==
              "INSERT INTO tags (name, color) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET name = excluded.name "
              "RETURNING id, color");
        CHECK(f.rewrite_note.find("locks the existing row and writes a new version") != std::string::npos);
    }
    {
        const auto f = upsert_after("SELECT * FROM tags WHERE name = 'a'", insert);
        CHECK(f.rewrite_sql ==
              "INSERT INTO tags (name, color) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET name = excluded.name "
              "RETURNING *");
    }
    // The INSERT's own RETURNING stays first; the SELECT's columns it lacks follow.
    {
        const auto f = upsert_after("SELECT id, color FROM tags WHERE name = 'a'",
                                    "INSERT INTO tags (name, color) VALUES ('a', 'red') RETURNING id");
        CHECK(f.rewrite_sql ==
              "INSERT INTO tags (name, color) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET name = excluded.name "
              "RETURNING id, color");
    }
}
