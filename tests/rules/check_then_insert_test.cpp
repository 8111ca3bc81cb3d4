// check-then-insert: the log captured from PostgreSQL 15 (tests/fixtures/workload/
// gen-shop-log.sh), hand-built sequences for the UPDATE variant and the window,
// look-alikes that must stay quiet, the catalog's unique index, and the doc page's example.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
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

TEST_CASE("check-then-insert: a key looked up among rows not deleted gets a partial unique index",
          "[rules][check-then-insert]") {
    // Rails' paranoia, Django's safedelete: find_or_create_by's SELECT carries the default scope.
    const std::string select = "SELECT id FROM users WHERE email = 'a@x.org' AND \"deletedAt\" IS NULL LIMIT 1";
    const std::string schema = "CREATE TABLE users (id serial PRIMARY KEY, email text, \"deletedAt\" timestamptz);";
    auto found = [&](const std::string& insert, const std::string& ddl_text) {
        auto cat = ddl(ddl_text);
        rules::RuleInput input;
        input.catalog = &cat;
        auto rule = make_rule("check-then-insert");
        return run_rule(*rule, sequence("s", 1000, 5, {select, insert}), input).findings;
    };
    const auto findings = found("INSERT INTO users (email) VALUES ('a@x.org')", schema);
    REQUIRE(findings.size() == 1);
    const auto& f = findings[0];
    REQUIRE(f.index_needs.size() == 1);
    CHECK(f.index_needs[0].unique);
    CHECK(f.index_needs[0].equality_columns == std::vector<std::string>{"email"});
    CHECK(f.index_needs[0].predicate == "\"deletedAt\" IS NULL");
    CHECK(f.rewrite_sql ==
          "INSERT INTO users (email) VALUES ($1) ON CONFLICT (email) WHERE \"deletedAt\" IS NULL "
          "DO UPDATE SET email = excluded.email RETURNING id");
    CHECK(f.fix_sql.find("WHERE email IS NOT NULL AND (\"deletedAt\" IS NULL) GROUP BY email") != std::string::npos);
    CHECK(f.fix_sql.find("ON users USING btree (email) WHERE \"deletedAt\" IS NULL;") != std::string::npos);
    CHECK(f.explanation.find("only among rows where \"deletedAt\" IS NULL") != std::string::npos);
    CHECK(f.app_change.key_scope == "\"deletedAt\" IS NULL");

    // A partial unique index on that predicate, or a whole one, is there: the UPSERT alone.
    CHECK(found("INSERT INTO users (email) VALUES ('a@x.org')",
                schema + "CREATE UNIQUE INDEX ON users (email) WHERE (\"deletedAt\" IS NULL);")[0]
              .index_needs.empty());
    CHECK(found("INSERT INTO users (email) VALUES ('a@x.org')", schema + "CREATE UNIQUE INDEX ON users (email);")[0]
              .index_needs.empty());
    // One on another predicate does not serve it.
    CHECK(found("INSERT INTO users (email) VALUES ('a@x.org')",
                schema + "CREATE UNIQUE INDEX ON users (email) WHERE id > 0;")[0]
              .index_needs.size() == 1);
    // Written NULL (Rails 7 writes every column), it is the same row; written otherwise, or left to a
    // default that is not NULL, the new row is none the SELECT looked among: no pair.
    CHECK(found("INSERT INTO users (email, \"deletedAt\") VALUES ('a@x.org', NULL)", schema).size() == 1);
    CHECK(found("INSERT INTO users (email, \"deletedAt\") VALUES ('a@x.org', now())", schema).empty());
    CHECK(found("INSERT INTO users (email) VALUES ('a@x.org')",
                "CREATE TABLE users (id serial PRIMARY KEY, email text, \"deletedAt\" timestamptz DEFAULT now());")
              .empty());
    // Only IS NULL scopes a key: IS NOT NULL is not what a new row has.
    auto rule = make_rule("check-then-insert");
    CHECK(run_rule(*rule, sequence("s", 1000, 5,
                                   {"SELECT id FROM users WHERE email = 'a@x.org' AND \"deletedAt\" IS NOT NULL",
                                    "INSERT INTO users (email) VALUES ('a@x.org')"}))
              .findings.empty());

    // Its digest keeps the scope: a pair read back from its saved state gives the same fix.
    auto cat = ddl(schema);
    rules::RuleInput input;
    input.catalog = &cat;
    auto written = make_rule("check-then-insert");
    auto first = run_rule(*written, sequence("s", 1000, 5, {select, "INSERT INTO users (email) VALUES ('a@x.org')"}),
                          input);
    const auto state = written->saved_state(false);
    REQUIRE(state.at("pairs").size() == 1);
    CHECK(state.at("pairs")[0].at("null_columns") == nlohmann::json::array({"deletedAt"}));
    auto merged = make_rule("check-then-insert");
    std::string error;
    REQUIRE(merged->merge_state(state, {0, 1, 2, 3}, error));
    std::vector<rules::Finding> again;
    merged->finish(input, again);
    REQUIRE(again.size() == 1);
    REQUIRE(again[0].index_needs.size() == 1);
    CHECK(again[0].index_needs[0].predicate == "\"deletedAt\" IS NULL");
    CHECK(again[0].rewrite_sql.find("ON CONFLICT (email) WHERE \"deletedAt\" IS NULL") != std::string::npos);
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

// ---- issue 14: what the ORMs send ----------------------------------------------

namespace {

// Statements of one session in one transaction (its virtual transaction id), `gap_ms` apart.
std::vector<ingest::Statement> in_transaction(const std::string& session, const std::string& vxid, double start_ms,
                                              double gap_ms, const std::vector<std::string>& texts) {
    auto out = sequence(session, start_ms, gap_ms, texts);
    for (auto& s : out) s.vxid = vxid;
    return out;
}

// What Sequelize 6's DailySlot.findOrCreate sent (examples/sequelize-clinic/captured/postgresql.log):
// the SELECT, then one log entry with the function holding the INSERT, its call and its DROP.
const std::string kSlotSelect =
    "SELECT \"id\", \"day\", \"capacity\", \"booked\", \"doctor_id\" AS \"doctorId\" FROM \"daily_slots\" AS "
    "\"DailySlot\" WHERE \"DailySlot\".\"day\" = '2026-12-05' AND \"DailySlot\".\"doctor_id\" = 18 LIMIT 1";

std::string slot_function(const std::string& day, int doctor) {
    return "CREATE OR REPLACE FUNCTION pg_temp.testfunc(OUT response \"daily_slots\", OUT sequelize_caught_exception "
           "text) RETURNS RECORD AS $func_f4a2$ BEGIN INSERT INTO \"daily_slots\" "
           "(\"id\",\"day\",\"capacity\",\"booked\",\"created_at\",\"updated_at\",\"doctor_id\") VALUES "
           "(DEFAULT,'" +
           day + "',16,0,'2026-12-02 07:22:12.671 +00:00','2026-12-02 07:22:12.671 +00:00'," + std::to_string(doctor) +
           ") RETURNING * INTO response; EXCEPTION WHEN unique_violation THEN GET STACKED DIAGNOSTICS "
           "sequelize_caught_exception = PG_EXCEPTION_DETAIL; END $func_f4a2$ LANGUAGE plpgsql; SELECT "
           "(testfunc.response).\"id\", testfunc.sequelize_caught_exception FROM pg_temp.testfunc(); DROP FUNCTION "
           "IF EXISTS pg_temp.testfunc();";
}

bool mentions(const rules::Finding& f, const std::string& text) {
    if (f.explanation.find(text) != std::string::npos || f.fix.find(text) != std::string::npos ||
        f.fix_sql.find(text) != std::string::npos || f.rewrite_sql.find(text) != std::string::npos)
        return true;
    for (const auto& s : f.statements)
        if (s.normalized.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("check-then-insert: keys given by the same expression (CURRENT_DATE) in both statements",
          "[rules][check-then-insert]") {
    // SQLAlchemy's checkin (examples/sqlalchemy-app): day = CURRENT_DATE in the SELECT and in VALUES.
    const std::string select =
        "SELECT visit_counter.id, visit_counter.day, visit_counter.doctor_id, visit_counter.visits FROM visit_counter "
        "WHERE visit_counter.day = CURRENT_DATE AND visit_counter.doctor_id = 37";
    const std::string insert =
        "INSERT INTO visit_counter (day, doctor_id, visits) VALUES (CURRENT_DATE, 37, 1) RETURNING visit_counter.id";
    {
        auto rule = make_rule("check-then-insert");
        auto run = run_rule(*rule, in_transaction("s", "6/2", 1000, 25, {select, insert}));
        REQUIRE(run.findings.size() == 1);
        const auto& f = run.findings[0];
        CHECK(f.title ==
              "Check-then-insert on visit_counter (day, doctor_id): SELECT then INSERT of the same key, 1 time");
        CHECK(f.confidence == rules::Confidence::High);
        CHECK(f.explanation.find("The value of day is the same expression in both statements") != std::string::npos);
        CHECK(f.fix_sql.find("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS visit_counter_day_doctor_id_key ON "
                             "visit_counter USING btree (day, doctor_id);") != std::string::npos);
        CHECK(f.rewrite_sql.find("VALUES (current_date, $1, $2) ON CONFLICT (day, doctor_id)") != std::string::npos);
    }
    {
        // Autocommit, 25 ms apart: CURRENT_DATE is the same date (it changes only at midnight).
        auto rule = make_rule("check-then-insert");
        CHECK(run_rule(*rule, sequence("s", 1000, 25, {select, insert})).findings.size() == 1);
    }
    {
        // Another doctor: another key.
        auto rule = make_rule("check-then-insert");
        auto other = insert;
        other.replace(other.find("37"), 2, "38");
        CHECK(run_rule(*rule, in_transaction("s", "6/2", 1000, 25, {select, other})).findings.empty());
    }
    {
        // A date given as a value in the INSERT is not "the same expression": quiet (the
        // value may or may not be today's date; nothing in the log says).
        auto rule = make_rule("check-then-insert");
        const std::string dated = "INSERT INTO visit_counter (day, doctor_id, visits) VALUES ('2026-12-02', 37, 1)";
        CHECK(run_rule(*rule, in_transaction("s", "6/2", 1000, 25, {select, dated})).findings.empty());
    }
    {
        // now()::date is another expression than CURRENT_DATE (same value, other text): not matched.
        auto rule = make_rule("check-then-insert");
        const std::string cast = "INSERT INTO visit_counter (day, doctor_id, visits) VALUES (now()::date, 37, 1)";
        CHECK(run_rule(*rule, in_transaction("s", "6/2", 1000, 25, {select, cast})).findings.empty());
    }
}

TEST_CASE("check-then-insert: now() is the same key only within one transaction, clock_timestamp() never",
          "[rules][check-then-insert]") {
    const std::string select = "SELECT id FROM ticks WHERE at = now() AND source = 3";
    const std::string insert = "INSERT INTO ticks (at, source) VALUES (now(), 3)";
    {
        auto rule = make_rule("check-then-insert");
        CHECK(run_rule(*rule, in_transaction("s", "4/7", 1000, 5, {select, insert})).findings.size() == 1);
    }
    {
        // Two autocommit statements: two transactions, two values of now().
        auto rule = make_rule("check-then-insert");
        CHECK(run_rule(*rule, sequence("s", 1000, 5, {select, insert})).findings.empty());
    }
    {
        auto rule = make_rule("check-then-insert");
        auto in = in_transaction("s", "4/7", 1000, 5,
                                 {"SELECT id FROM ticks WHERE at = clock_timestamp() AND source = 3",
                                  "INSERT INTO ticks (at, source) VALUES (clock_timestamp(), 3)"});
        CHECK(run_rule(*rule, in).findings.empty());
    }
}

TEST_CASE("check-then-insert: Sequelize's findOrCreate, its INSERT inside a PL/pgSQL function",
          "[rules][check-then-insert]") {
    {
        // In a managed transaction: START TRANSACTION, SAVEPOINT, SELECT, the function, RELEASE is not logged.
        auto in = in_transaction(
            "s", "7/7", 1000, 50,
            {"START TRANSACTION", "SAVEPOINT \"2e9f-sp-1\"", kSlotSelect, slot_function("2026-12-05", 18),
             "UPDATE \"daily_slots\" SET \"booked\"=\"booked\"+ 1 WHERE \"id\" = 50002 RETURNING *", "COMMIT"});
        auto rule = make_rule("check-then-insert");
        auto run = run_rule(*rule, in);
        REQUIRE(run.findings.size() == 1);
        const auto& f = run.findings[0];
        CHECK(f.table == "daily_slots");
        CHECK(f.title ==
              "Check-then-insert on daily_slots (day, doctor_id): SELECT then INSERT of the same key, 1 time");
        CHECK(f.confidence == rules::Confidence::High);
        // The evidence names the SELECT and the INSERT inside the function (not the CREATE FUNCTION).
        REQUIRE(f.statements.size() == 2);
        CHECK(f.statements[0].normalized.rfind("SELECT \"id\", \"day\"", 0) == 0);
        CHECK(f.statements[1].normalized.rfind("INSERT INTO \"daily_slots\" (\"id\",\"day\"", 0) == 0);
        CHECK(f.statements[1].calls == 1);  // the statement that created and ran the function
        CHECK(f.explanation.find("inside the PL/pgSQL body of pg_temp.testfunc, which catches unique_violation") !=
              std::string::npos);
        CHECK(f.fix.find("Sequelize's findOrCreate") != std::string::npos);
        CHECK(f.rewrite_sql.rfind("INSERT INTO daily_slots (id, day, capacity, booked, created_at, updated_at, "
                                  "doctor_id) VALUES (DEFAULT, $1, $2, $3, $4, $5, $6) ON CONFLICT (day, doctor_id)",
                                  0) == 0);
        CHECK(f.fix_sql.find("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS daily_slots_day_doctor_id_key") !=
              std::string::npos);
        // The body's values are compared, never printed.
        CHECK_FALSE(mentions(f, "2026-12-05"));
        CHECK_FALSE(mentions(f, "07:22:12"));
    }
    {
        // Another doctor in the body: another key, quiet.
        auto rule = make_rule("check-then-insert");
        CHECK(run_rule(*rule, in_transaction("s", "7/8", 1000, 50, {kSlotSelect, slot_function("2026-12-05", 19)}))
                  .findings.empty());
    }
    {
        // A DO block that inserts the looked-up key (no Sequelize wording for it).
        auto in = in_transaction("s", "3/1", 1000, 5,
                                 {"SELECT id FROM tags WHERE name = 'x'",
                                  "DO $$ BEGIN INSERT INTO tags (name) VALUES ('x'); END $$"});
        auto rule = make_rule("check-then-insert");
        auto run = run_rule(*rule, in);
        REQUIRE(run.findings.size() == 1);
        CHECK(run.findings[0].fix.find("inside the PL/pgSQL body of DO") != std::string::npos);
        CHECK(run.findings[0].fix.find("Sequelize") == std::string::npos);
    }
}

TEST_CASE("check-then-insert: a request spread over pooled connections pairs by its request_id tag",
          "[rules][check-then-insert]") {
    // Sequelize's countVisit (examples/sequelize-clinic): findOne on one pooled connection,
    // create on another, 377 ms later; both tagged with the request's id.
    const std::string tag = " /*request_id='req-14-12',route='%2Fvisits'*/";
    const std::string select =
        "SELECT \"id\", \"day\", \"visits\" FROM \"doctor_daily_stats\" AS \"DoctorDailyStat\" WHERE "
        "\"DoctorDailyStat\".\"day\" = CURRENT_DATE AND \"DoctorDailyStat\".\"doctor_id\" = 22 LIMIT 1";
    const std::string insert =
        "INSERT INTO \"doctor_daily_stats\" (\"id\",\"day\",\"visits\",\"doctor_id\") VALUES (DEFAULT,CURRENT_DATE,$1,$2) "
        "RETURNING \"id\"";
    auto run_with = [&](const std::string& select_tag, const std::string& insert_session,
                        const std::string& insert_tag) {
        std::vector<ingest::Statement> in = {statement("conn-a", 1000, select + select_tag, 0.9, "pool.log", 1),
                                             statement(insert_session, 1377, insert + insert_tag, 0.9, "pool.log", 2)};
        in[1].parameters = {{1, std::string("1")}, {2, std::string("22")}};
        auto rule = make_rule("check-then-insert");
        return run_rule(*rule, in).findings;
    };
    {
        auto findings = run_with(tag, "conn-b", tag);
        REQUIRE(findings.size() == 1);
        const auto& f = findings[0];
        CHECK(f.title ==
              "Check-then-insert on doctor_daily_stats (day, doctor_id): SELECT then INSERT of the same key, 1 time");
        CHECK(f.confidence == rules::Confidence::High);  // one request, by its own id
        CHECK(f.explanation.find("in the same request, by its request_id / traceparent tag") != std::string::npos);
        CHECK(f.session == "2 sessions");
    }
    // Untagged on two connections: nothing ties them (an honest false negative).
    CHECK(run_with("", "conn-b", "").empty());
    // Another request's INSERT on another connection: quiet.
    CHECK(run_with(tag, "conn-b", " /*request_id='req-14-13',route='%2Fvisits'*/").empty());
    // Another request on the same pooled connection, within the window: tagged apart, quiet.
    CHECK(run_with(tag, "conn-a", " /*request_id='req-14-13',route='%2Fvisits'*/").empty());
    // The same connection, untagged: paired by time, as before (medium confidence).
    auto by_time = run_with("", "conn-a", "");
    REQUIRE(by_time.size() == 1);
    CHECK(by_time[0].confidence == rules::Confidence::Medium);
}

TEST_CASE("check-then-insert: SAVEPOINT, RELEASE and ROLLBACK TO inside the transaction still pair",
          "[rules][check-then-insert]") {
    // Django's get_or_create in atomic(), Prisma's interactive $transaction: no virtual
    // transaction id in the log, BEGIN ... COMMIT tells the transaction; 2 s gaps.
    for (const std::string between : {"SAVEPOINT s1", "RELEASE SAVEPOINT s1", "ROLLBACK TO SAVEPOINT s1"}) {
        CAPTURE(between);
        auto in = sequence("s", 1000, 2000,
                           {"BEGIN", "SAVEPOINT s1", "SELECT id FROM tags WHERE name = 'x'", between,
                            "INSERT INTO tags (name) VALUES ('x')", "COMMIT"});
        auto rule = make_rule("check-then-insert");
        auto run = run_rule(*rule, in);
        REQUIRE(run.findings.size() == 1);
        CHECK(run.findings[0].confidence == rules::Confidence::High);
    }
}

TEST_CASE("check-then-insert: the ORM captures' find-or-create and find-then-update-or-create (issue 14)",
          "[rules][check-then-insert]") {
    const std::string examples = std::string(PGADVISOR_SOURCE_DIR) + "/examples/";
    auto on_table = [](const std::vector<rules::Finding>& findings, const std::string& table) {
        std::vector<const rules::Finding*> out;
        for (const auto& f : findings)
            if (f.table == table) out.push_back(&f);
        return out;
    };
    {
        // Sequelize: findOrCreate (INSERT in pg_temp.testfunc()), and findOne then create with
        // day = CURRENT_DATE, half of them on two pooled connections of one tagged request.
        auto rule = make_rule("check-then-insert");
        auto run = run_rule_on_files(*rule, {examples + "sequelize-clinic/captured/postgresql.log"});
        auto slots = on_table(run.findings, "daily_slots");
        REQUIRE(slots.size() == 1);
        CHECK(std::set<std::string>(slots[0]->index_needs.at(0).equality_columns.begin(),
                                    slots[0]->index_needs.at(0).equality_columns.end()) ==
              std::set<std::string>{"day", "doctor_id"});
        CHECK(slots[0]->confidence == rules::Confidence::High);  // findOrCreate runs in one transaction
        CHECK(slots[0]->fix.find("Sequelize's findOrCreate") != std::string::npos);
        auto stats = on_table(run.findings, "doctor_daily_stats");
        REQUIRE(stats.size() == 1);
        CHECK(stats[0]->explanation.find("on another pooled connection") != std::string::npos);
        // The native upsert (Model.upsert: INSERT ... ON CONFLICT) is a control.
        CHECK(on_table(run.findings, "patient_preferences").empty());
        CHECK(run.findings.size() == 2);
    }
    {
        // SQLAlchemy: the drug query-then-add and the visit counter keyed by CURRENT_DATE.
        auto rule = make_rule("check-then-insert");
        auto run = run_rule_on_files(*rule, {examples + "sqlalchemy-app/captured/postgresql.log"});
        auto counter = on_table(run.findings, "visit_counter");
        REQUIRE(counter.size() == 1);
        CHECK(counter[0]->explanation.find("The value of day is the same expression") != std::string::npos);
        CHECK(on_table(run.findings, "drug").size() == 1);
        CHECK(on_table(run.findings, "doctor_rating").empty());  // on_conflict_do_update: a control
        CHECK(run.findings.size() == 2);
    }
}

TEST_CASE("check-then-insert: a SELECT is not joined to an INSERT of the pid's next session",
          "[rules][check-then-insert]") {
    // No %c in the prefix: both sessions are "pid:700", 10 ms apart (within window_ms).
    const std::string log =
        "2024-05-01 08:00:00.100 UTC [700]: LOG:  duration: 0.100 ms  statement: SELECT id FROM carts WHERE user_id = "
        "5\n"
        "2024-05-01 08:00:00.105 UTC [700]: LOG:  disconnection: session time: 0:00:00.040 user=app database=shop "
        "host=10.0.0.1 port=5000\n"
        "2024-05-01 08:00:00.107 UTC [700]: LOG:  connection received: host=10.0.0.1 port=5001\n"
        "2024-05-01 08:00:00.110 UTC [700]: LOG:  duration: 0.100 ms  statement: INSERT INTO carts (user_id) VALUES "
        "(5)\n";
    const auto path = test::write_log("check-then-insert-pid-reuse.log", log);
    auto rule = test::make_rule("check-then-insert");
    CHECK(test::run_rule_streaming(*rule, path, "%m [%p]: ").findings.empty());
    // Kept to the end of input, the two sessions were one (what issue 16 changed).
    auto kept = test::make_rule("check-then-insert");
    CHECK(test::run_rule_streaming(*kept, path, "%m [%p]: ", /*close_sessions=*/false).findings.size() == 1);
}

TEST_CASE("check-then-insert: a request on pooled connections is paired whichever connection logs first",
          "[rules][check-then-insert]") {
    // The SELECT on pid 101, the INSERT on pid 102, one request_id. Which connection writes its
    // next line first is up to the pool: the pair is the same either way. The reader passes an
    // execute on at its connection's next line (its plan may follow), so the INSERT can be read
    // before the SELECT it answers; a simple query was held so too.
    const auto line = [](const std::string& at, int pid, const std::string& verb, const std::string& sql) {
        return "2024-05-01 08:00:00." + at + " UTC [" + std::to_string(pid) + "]: LOG:  duration: 0.100 ms  " + verb +
               ": " + sql + "\n";
    };
    for (const std::string verb : {"statement", "execute <unnamed>"}) {
        const std::string select = line("100", 101, verb,
                                        "SELECT * FROM users WHERE email = 'a@x.io' /*request_id='r1'*/");
        const auto insert_at = [&](const std::string& at) {
            return line(at, 102, verb, "INSERT INTO users (email) VALUES ('a@x.io') /*request_id='r1'*/");
        };
        const std::string next_101 = line("300", 101, verb, "SELECT 2");
        const std::string next_102 = line("200", 102, verb, "SELECT 1");
        const auto findings = [&](const std::string& name, const std::string& log) {
            const auto path = test::write_log("check-then-insert-pool-" + name + ".log", log);
            auto rule = test::make_rule("check-then-insert");
            return test::run_rule_streaming(*rule, path, "%m [%p]: ").findings;
        };
        CAPTURE(verb);
        for (const auto& [name, log] :
             {std::pair{"select-connection-first", select + insert_at("110") + next_101 + next_102},
              std::pair{"insert-connection-first", select + insert_at("110") + next_102 + next_101}}) {
            CAPTURE(name);
            const auto found = findings(name, log);
            REQUIRE(found.size() == 1);
            CHECK(found[0].session == "2 sessions");
            CHECK(found[0].explanation.find("on another pooled connection") != std::string::npos);
        }
        // An INSERT that ran before the SELECT answers nothing, whichever is read first.
        CHECK(findings("insert-before-select", insert_at("090") + select + next_102 + next_101).empty());
    }
    // A later statement of the request on a third connection, read before the INSERT (which its
    // connection holds): it does not end the SELECT's wait, the INSERT ran within window_ms of it.
    const std::string later_in_request =
        "2024-05-01 08:00:01.500 UTC [103]: LOG:  duration: 0.100 ms  statement: SELECT * FROM audit WHERE id = 1 "
        "/*request_id='r1'*/\n";
    const std::string log = line("100", 101, "statement",
                                 "SELECT * FROM users WHERE email = 'a@x.io' /*request_id='r1'*/") +
                            line("110", 102, "execute <unnamed>",
                                 "INSERT INTO users (email) VALUES ('a@x.io') /*request_id='r1'*/") +
                            later_in_request +
                            "2024-05-01 08:00:01.600 UTC [102]: LOG:  duration: 0.100 ms  statement: SELECT 1\n";
    const auto path = test::write_log("check-then-insert-pool-later-statement.log", log);
    auto rule = test::make_rule("check-then-insert");
    CHECK(test::run_rule_streaming(*rule, path, "%m [%p]: ").findings.size() == 1);
}
