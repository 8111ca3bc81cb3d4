// n-plus-one: positives, look-alikes that must stay quiet, the doc page's example,
// and a log captured from PostgreSQL 15 (tests/fixtures/workload/gen-shop-log.sh).
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "catalog/ddl_loader.hpp"
#include "rule_test_support.hpp"

using namespace pgadvisor;
using namespace pgadvisor::test;

namespace {

const std::string kShopLog = std::string(PGADVISOR_TEST_FIXTURES) + "/workload/shop-session.log";

// A loop: the parent query, then one lookup per parent row, 2 ms apart.
std::vector<ingest::Statement> loop(const std::string& session, double start_ms, int n,
                                    const std::string& lookup = "SELECT * FROM order_items WHERE order_id = ") {
    std::vector<ingest::Statement> out;
    out.push_back(statement(session, start_ms, "SELECT id FROM orders WHERE customer_id = 42", 1.0));
    for (int i = 0; i < n; ++i)
        out.push_back(statement(session, start_ms + 2.0 * (i + 1), lookup + std::to_string(100 + i), 0.5));
    return out;
}

}  // namespace

TEST_CASE("n-plus-one fires on the loops of a log captured from PostgreSQL", "[rules][n-plus-one]") {
    auto rule = make_rule("n-plus-one");
    auto run = run_rule_on_files(*rule, {kShopLog});
    REQUIRE(run.findings.size() == 1);
    const auto& f = run.findings[0];
    CHECK(f.rule_id == "n-plus-one");
    CHECK(f.table == "order_items");
    // The psql request loop (8 calls, constants) and the pgbench session loop (7 calls, $1 bound).
    CHECK(f.title == "N+1: order_items runs once per order_id (2 loops, up to 8 calls each)");
    CHECK(f.confidence == rules::Confidence::High);
    CHECK(f.fix_sql == "SELECT * FROM order_items WHERE order_id = ANY($1)");
    // The loops' logged keys ride along (in the process only) for the live check of the batch
    // (issue 13): both loops, every call, the constants' values and the bound $1's alike.
    REQUIRE(f.batch_samples);
    CHECK(f.batch_samples->per_call_sql.rfind("SELECT * FROM order_items WHERE order_id = $1", 0) == 0);
    CHECK(f.batch_samples->key_param == 1);
    CHECK(f.batch_samples->origin == std::vector<int>{1});
    std::multiset<std::size_t> sizes;
    std::set<std::string> keys;
    for (const auto& l : f.batch_samples->loops) {
        sizes.insert(l.size());
        for (const auto& call : l) {
            REQUIRE(call.size() == 1);
            keys.insert(call[0].value_or("NULL"));
        }
    }
    CHECK(sizes == std::multiset<std::size_t>{7, 8});
    CHECK(keys.count("6"));
    CHECK(keys.count("356"));
    CHECK(f.request == "/customers/:id/orders");
    // Probable parent: the statement before the loop that reads orders (order_id -> orders).
    REQUIRE(f.statements.size() == 2);
    CHECK(f.statements[1].normalized.find("FROM orders WHERE customer_id = $1") != std::string::npos);
    // The looped lookup is what the batch replaces; the parent is there for context.
    CHECK_FALSE(f.statements[0].loop_parent);
    CHECK(f.statements[1].loop_parent);
    CHECK(f.explanation.find("Probable parent (a heuristic") != std::string::npos);
    // Gain: (N - 1) x (mean + 0.3 ms) over both loops: at least the 13 round trips.
    CHECK(f.estimated_gain_ms > 13 * 0.3);
    CHECK(f.gain_method.find("summed over the 2 loops") != std::string::npos);
    // No catalog given: no evidence that the column lacks an index (it may be a primary key, as
    // pgbench's aid is), so no index is asked for (issue 13, class 7; before: an index on order_id).
    CHECK(f.index_needs.empty());
    REQUIRE(f.locations.size() == 1);
    CHECK(f.locations[0].file == kShopLog);
    CHECK(f.locations[0].first_line > 0);
    CHECK(f.locations[0].last_line > f.locations[0].first_line);
    // No literal value from the log reaches the finding.
    for (const char* value : {"= 6 ", "= 56", "= 356", "'321'"}) {
        CHECK(f.explanation.find(value) == std::string::npos);
        CHECK(f.fix_sql.find(value) == std::string::npos);
        CHECK(f.statements[0].normalized.find(value) == std::string::npos);
    }
}

TEST_CASE("n-plus-one: a threshold above the loop size keeps it quiet", "[rules][n-plus-one]") {
    auto rule = make_rule("n-plus-one", {"min_repeats=9"});
    CHECK(run_rule_on_files(*rule, {kShopLog}).findings.empty());
}

TEST_CASE("n-plus-one fires on a session loop within the window", "[rules][n-plus-one]") {
    auto rule = make_rule("n-plus-one");
    auto run = run_rule(*rule, loop("s1", 1'000'000, 6));
    REQUIRE(run.findings.size() == 1);
    CHECK(run.findings[0].title == "N+1: order_items runs once per order_id (1 loop, up to 6 calls each)");
    CHECK(run.findings[0].confidence == rules::Confidence::Medium);  // one loop, no request tags
    // 5 saved calls of 0.5 ms plus 5 round trips of 0.3 ms.
    CHECK(run.findings[0].estimated_gain_ms == Approx(5 * (0.5 + 0.3)));
}

TEST_CASE("n-plus-one: untagged loops stay at medium confidence and say how to tag requests", "[rules][n-plus-one]") {
    // Two loops in one untagged session: many loops, but each told from separate requests
    // by timing alone (before: high confidence from the number of loops).
    auto statements = loop("s1", 1'000'000, 6);
    const auto later = loop("s1", 1'060'000, 6);
    statements.insert(statements.end(), later.begin(), later.end());
    auto rule = make_rule("n-plus-one");
    auto run = run_rule(*rule, statements);
    REQUIRE(run.findings.size() == 1);
    const auto& f = run.findings[0];
    CHECK(f.title == "N+1: order_items runs once per order_id (2 loops, up to 6 calls each)");
    CHECK(f.confidence == rules::Confidence::Medium);
    CHECK(f.explanation.find("The calls carry no request tag") != std::string::npos);
    CHECK(f.explanation.find("@prisma/sqlcommenter-query-tags") != std::string::npos);
    // The same loops inside a tagged request: certain, and no tagging advice.
    for (auto& s : statements) s.text += " /*route='%2Forders'*/";
    auto tagged_rule = make_rule("n-plus-one");
    auto tagged = run_rule(*tagged_rule, statements);
    REQUIRE(tagged.findings.size() == 1);
    CHECK(tagged.findings[0].confidence == rules::Confidence::High);
    CHECK(tagged.findings[0].explanation.find("no request tag") == std::string::npos);
}

TEST_CASE("n-plus-one stays quiet on look-alikes", "[rules][n-plus-one]") {
    auto rule = make_rule("n-plus-one");
    std::vector<ingest::Statement> in;
    // Below the threshold: 4 lookups.
    for (auto& s : loop("short", 1'000'000, 4)) in.push_back(s);
    // The same statement spread over minutes: a repeated query, not a loop.
    for (int i = 0; i < 8; ++i)
        in.push_back(
            statement("slow", 2'000'000 + 120'000.0 * i, "SELECT * FROM products WHERE id = " + std::to_string(i)));
    // A loop over different tables: each statement once.
    for (const char* t : {"a", "b", "c", "d", "e", "f"})
        in.push_back(statement("tables", 3'000'000, std::string("SELECT * FROM ") + t + " WHERE id = 7"));
    // The identical statement repeated: a caching question, nothing to batch.
    for (int i = 0; i < 8; ++i)
        in.push_back(statement("same", 4'000'000 + i, "SELECT * FROM settings WHERE key = 'tz'"));
    // Two values change at once: not a lookup by one key.
    for (int i = 0; i < 8; ++i)
        in.push_back(statement("two", 5'000'000 + i,
                               "SELECT * FROM cart_items WHERE cart_id = " + std::to_string(i) +
                                   " AND product_id = " + std::to_string(i * 3)));
    // A range predicate changing: not an equality lookup.
    for (int i = 0; i < 8; ++i)
        in.push_back(statement("range", 6'000'000 + i, "SELECT * FROM events WHERE id > " + std::to_string(i * 100)));
    // INSERTs in a loop are a batching question for another rule.
    for (int i = 0; i < 8; ++i)
        in.push_back(statement("ins", 7'000'000 + i, "INSERT INTO events (id) VALUES (" + std::to_string(i) + ")"));
    auto run = run_rule(*rule, in);
    for (const auto& f : run.findings) INFO(f.title);
    CHECK(run.findings.empty());
}

TEST_CASE("n-plus-one with a catalog: the foreign key names the parent, an index is not asked twice",
          "[rules][n-plus-one]") {
    catalog::Catalog cat;
    catalog::apply_ddl(cat,
                       "CREATE TABLE purchases (id int PRIMARY KEY, buyer int);\n"
                       "CREATE TABLE lines (id int PRIMARY KEY, purchase int REFERENCES purchases (id));\n"
                       "CREATE INDEX lines_purchase ON lines (purchase);\n",
                       "schema.sql");
    REQUIRE(cat.errors.empty());
    std::vector<ingest::Statement> in;
    in.push_back(statement("s", 1000, "SELECT * FROM audit_log WHERE id = 1"));
    in.push_back(statement("s", 1001, "SELECT id FROM purchases WHERE buyer = 9"));
    in.push_back(statement("s", 1002, "SELECT now()"));
    for (int i = 0; i < 7; ++i)
        in.push_back(statement("s", 1003 + i, "SELECT * FROM lines WHERE purchase = " + std::to_string(i)));
    rules::RuleInput input;
    input.catalog = &cat;
    auto rule = make_rule("n-plus-one");
    auto run = run_rule(*rule, in, input);
    REQUIRE(run.findings.size() == 1);
    const auto& f = run.findings[0];
    // `purchase` does not end in _id: only the foreign key can name purchases as the parent.
    REQUIRE(f.statements.size() == 2);
    CHECK(f.statements[1].normalized == "SELECT id FROM purchases WHERE buyer = $1");
    CHECK(f.index_needs.empty());  // lines_purchase serves the lookup
    CHECK(f.fix.find("no index") == std::string::npos);
}

TEST_CASE("n-plus-one: the doc page's example fires as documented", "[rules][n-plus-one]") {
    // docs/rules/n-plus-one.md, section Example: the statements of the "fires" block, one per line.
    std::ifstream doc(std::string(PGADVISOR_SOURCE_DIR) + "/docs/rules/n-plus-one.md");
    REQUIRE(doc);
    std::stringstream text;
    text << doc.rdbuf();
    const std::string page = text.str();
    const auto begin = page.find("```sql fires");
    REQUIRE(begin != std::string::npos);
    const auto body = page.find('\n', begin) + 1;
    const auto end = page.find("```", body);
    std::istringstream lines(page.substr(body, end - body));
    std::vector<ingest::Statement> in;
    std::string line;
    double t = 10'000;
    while (std::getline(lines, line))
        if (!line.empty() && line.rfind("--", 0) != 0) in.push_back(statement("web-1", t += 3, line));
    REQUIRE(in.size() >= 6);
    auto rule = make_rule("n-plus-one");
    auto run = run_rule(*rule, in);
    REQUIRE(run.findings.size() == 1);
    CHECK(run.findings[0].fix_sql ==
          "SELECT id, product_id, quantity, order_id FROM order_items WHERE order_id = ANY($1)");
    CHECK(page.find(run.findings[0].fix_sql) != std::string::npos);  // the page shows the real fix
}

TEST_CASE("n-plus-one: a lookup that reads back its own iteration's write is not a loop to batch",
          "[rules][n-plus-one]") {
    // pgbench's tpcb-like transaction, 8 times in one session (without its
    // BEGIN/END, which alone would make the iterations separate units of
    // work): UPDATE the account, SELECT its balance, then another write. Each
    // SELECT depends on the UPDATE just before it: no batch can run them up front.
    auto iteration = [](std::vector<ingest::Statement>& in, double at, int aid, const std::string& write_key) {
        in.push_back(statement("bench", at + 1,
                               "UPDATE accounts SET balance = balance + " + std::to_string(aid % 7) + " WHERE " +
                                   write_key + " = " + std::to_string(aid)));
        in.push_back(statement("bench", at + 2, "SELECT balance FROM accounts WHERE aid = " + std::to_string(aid)));
        in.push_back(statement("bench", at + 3,
                               "INSERT INTO history (aid, delta) VALUES (" + std::to_string(aid) + ", " +
                                   std::to_string(aid % 7) + ")"));
    };
    auto rule = make_rule("n-plus-one");
    std::vector<ingest::Statement> in;
    for (int i = 0; i < 8; ++i) iteration(in, 1'000'000 + 10.0 * i, 1000 + 37 * i, "aid");
    CHECK(run_rule(*rule, in).findings.empty());

    // The control: the write in each iteration touches another column's key,
    // so the SELECTs are still a loop of independent lookups.
    auto control = make_rule("n-plus-one");
    std::vector<ingest::Statement> other;
    for (int i = 0; i < 8; ++i) iteration(other, 2'000'000 + 10.0 * i, 1000 + 37 * i, "branch_id");
    auto run = run_rule(*control, other);
    REQUIRE(run.findings.size() == 1);
    CHECK(run.findings[0].table == "accounts");

    // A loop whose INSERT of the key comes first reads back its own insert too.
    auto inserted = make_rule("n-plus-one");
    std::vector<ingest::Statement> ins;
    for (int i = 0; i < 8; ++i) {
        const std::string id = std::to_string(500 + i);
        ins.push_back(
            statement("ins", 3'000'000 + 3.0 * i, "INSERT INTO accounts (aid, balance) VALUES (" + id + ", 0)"));
        ins.push_back(statement("ins", 3'000'001 + 3.0 * i, "SELECT balance FROM accounts WHERE aid = " + id));
    }
    CHECK(run_rule(*inserted, ins).findings.empty());
}

TEST_CASE("n-plus-one: pgbench's tpcb-like workload, captured from PostgreSQL 15, gives no finding",
          "[rules][n-plus-one]") {
    // examples/pgbench/captured: 300 transactions of two clients (examples/pgbench/run).
    const std::string dir = std::string(PGADVISOR_SOURCE_DIR) + "/examples/pgbench/captured/";
    catalog::Catalog cat;
    std::ifstream schema(dir + "schema.sql");
    std::stringstream ddl;
    ddl << schema.rdbuf();
    catalog::apply_ddl(cat, ddl.str(), "schema.sql");
    rules::RuleInput input;
    input.catalog = &cat;
    auto rule = make_rule("n-plus-one");
    auto run = run_rule_on_files(*rule, {dir + "postgresql.log"}, input);
    CHECK(run.workload.summary.statements > 2000);
    for (const auto& f : run.findings) INFO(f.title);
    CHECK(run.findings.empty());
}

TEST_CASE("n-plus-one: separate requests on one pooled connection are not a loop", "[rules][n-plus-one]") {
    // Untagged requests that each look a post up by id, sent over one pooled
    // connection one after another. Each request also runs other statements.
    const char* others[] = {"SELECT * FROM categories ORDER BY name", "SELECT * FROM users WHERE email = 'a@b'",
                            "SELECT count(*) FROM comments WHERE post_id = 3",
                            "UPDATE posts SET views = views + 1 WHERE id = 9", "SELECT * FROM tags WHERE name = 'x'"};
    auto by_id = [](int id) { return "SELECT * FROM posts WHERE id = " + std::to_string(id); };

    SECTION("a different mix of statements between the lookups") {
        std::vector<ingest::Statement> in;
        for (int i = 0; i < 8; ++i) {
            in.push_back(statement("pool", 1'000'000 + 20.0 * i, by_id(100 + 13 * i)));
            for (int k = 0; k <= i % 3; ++k)
                in.push_back(statement("pool", 1'000'005 + 20.0 * i + k, others[(i + k) % 5]));
        }
        auto rule = make_rule("n-plus-one");
        CHECK(run_rule(*rule, in).findings.empty());
    }
    SECTION("a transaction boundary between the lookups") {
        std::vector<ingest::Statement> in;
        for (int i = 0; i < 8; ++i) {
            in.push_back(statement("pool", 1'000'000 + 20.0 * i, "BEGIN"));
            in.push_back(statement("pool", 1'000'001 + 20.0 * i, by_id(100 + 13 * i)));
            in.push_back(statement("pool", 1'000'002 + 20.0 * i, "COMMIT"));
        }
        auto rule = make_rule("n-plus-one");
        CHECK(run_rule(*rule, in).findings.empty());
    }
    SECTION("lookups hundreds of ms apart, nothing in between") {
        std::vector<ingest::Statement> in;
        for (int i = 0; i < 8; ++i) in.push_back(statement("pool", 1'000'000 + 300.0 * i, by_id(100 + 13 * i)));
        auto rule = make_rule("n-plus-one");
        CHECK(run_rule(*rule, in).findings.empty());
        // Tagged as one request, the same calls are one loop however far apart.
        std::vector<ingest::Statement> tagged;
        for (int i = 0; i < 8; ++i)
            tagged.push_back(statement("pool", 1'000'000 + 300.0 * i,
                                       by_id(100 + 13 * i) + " /*route='/feed',traceparent='00-abc-def-01'*/"));
        auto again = make_rule("n-plus-one");
        CHECK(run_rule(*again, tagged).findings.size() == 1);
    }
    SECTION("the controls: a loop body repeating, with or without a nested lookup") {
        std::vector<ingest::Statement> in;
        for (int i = 0; i < 8; ++i) {
            in.push_back(statement("loop", 1'000'000 + 5.0 * i, by_id(100 + 13 * i)));
            for (int k = 0; k < i % 3; ++k)  // 0, 1 or 2 inner lookups per post
                in.push_back(statement("loop", 1'000'001 + 5.0 * i + k,
                                       "SELECT * FROM users WHERE id = " + std::to_string(7 * i + k)));
        }
        auto rule = make_rule("n-plus-one");
        auto run = run_rule(*rule, in);
        std::set<std::string> tables;
        for (const auto& f : run.findings) tables.insert(f.table);
        CHECK(tables.count("posts") == 1);
    }
}

TEST_CASE("n-plus-one: a trace's loop lasts across sweeps while it has calls, and ends after a minute idle",
          "[rules][n-plus-one]") {
    // Other sessions' statements every 25 ms for 5 minutes: the rule looks at the traces due
    // every 4,096 statements, about every 100 s of this log.
    std::vector<ingest::Statement> in;
    for (int i = 0; i < 12'000; ++i) in.push_back(statement("s" + std::to_string(i % 7), 25.0 * i, "SELECT now()"));
    auto call = [&](const std::string& trace, double at_ms, int id) {
        in.push_back(statement("c" + std::to_string(id % 5), at_ms,
                               "SELECT * FROM posts WHERE id = " + std::to_string(id) + " /*traceparent='00-" + trace +
                                   "-b7ad6b7169203331-01'*/"));
    };
    // One trace's calls 40 s apart on different connections, over several sweeps: one loop of 6.
    for (int i = 0; i < 6; ++i) call("0af7651916cd43dd8448eb211c80319c", 10'000 + 40'000.0 * i, 100 + i);
    // Another's: 5 calls, then 70 s without any, then 5 more: two loops.
    for (int i = 0; i < 5; ++i) call("4bf92f3577b34da6a3ce929d0e0e4736", 20'000 + 10.0 * i, 200 + i);
    for (int i = 0; i < 5; ++i) call("4bf92f3577b34da6a3ce929d0e0e4736", 90'100 + 10.0 * i, 300 + i);
    std::stable_sort(in.begin(), in.end(), [](const auto& a, const auto& b) { return a.epoch_ms < b.epoch_ms; });
    auto rule = make_rule("n-plus-one");
    auto run = run_rule(*rule, in);
    REQUIRE(run.findings.size() == 1);
    CHECK(run.findings[0].title == "N+1: posts runs once per id (3 loops, up to 6 calls each)");
}

TEST_CASE("n-plus-one: the parent is a statement tied to the lookup, never just the one before",
          "[rules][n-plus-one]") {
    // Lazy loading ticket.customer: each ticket's customer by primary key.
    catalog::Catalog cat;
    catalog::apply_ddl(cat,
                       "CREATE TABLE customers (id int PRIMARY KEY, name text);\n"
                       "CREATE TABLE tickets (id int PRIMARY KEY, customer int REFERENCES customers (id));\n"
                       "CREATE TABLE audit (id int PRIMARY KEY, at timestamptz);\n",
                       "schema.sql");
    REQUIRE(cat.errors.empty());
    auto run_with = [&](const std::string& before_loop) {
        std::vector<ingest::Statement> in;
        in.push_back(statement("s", 1000, before_loop));
        for (int i = 0; i < 6; ++i)
            in.push_back(statement("s", 1001 + i, "SELECT * FROM customers WHERE id = " + std::to_string(10 + i)));
        rules::RuleInput input;
        input.catalog = &cat;
        auto rule = make_rule("n-plus-one");
        auto run = run_rule(*rule, in, input);
        REQUIRE(run.findings.size() == 1);
        return run.findings[0];
    };
    // The tickets were read just before: their foreign key names them the parent.
    const auto tied = run_with("SELECT id, customer FROM tickets WHERE id > 5");
    REQUIRE(tied.statements.size() == 2);
    CHECK(tied.statements[1].normalized == "SELECT id, customer FROM tickets WHERE id > $1");
    CHECK(tied.explanation.find("that reads tickets") != std::string::npos);
    // An unrelated statement just before the loop is not named (it used to be).
    const auto unrelated = run_with("SELECT * FROM audit WHERE at > now()");
    CHECK(unrelated.statements.size() == 1);
    CHECK(unrelated.explanation.find("Probable parent") == std::string::npos);
}

TEST_CASE("n-plus-one: a pid's next session does not continue the loop of the one before", "[rules][n-plus-one]") {
    // No %c in the prefix: both sessions are "pid:700". Three lookups in each,
    // 10 ms apart, across a disconnection: two loops of three, not one of six.
    std::string log;
    auto line = [&](int ms, const std::string& message) {
        log += "2024-05-01 08:00:00." + std::to_string(100 + ms) + " UTC [700]: LOG:  " + message + "\n";
    };
    line(0, "connection received: host=10.0.0.1 port=5000");
    for (int i = 1; i <= 3; ++i)
        line(i * 10, "duration: 0.100 ms  statement: SELECT * FROM order_items WHERE order_id = " + std::to_string(i));
    line(40, "disconnection: session time: 0:00:00.040 user=app database=shop host=10.0.0.1 port=5000");
    line(45, "connection received: host=10.0.0.1 port=5001");
    for (int i = 4; i <= 6; ++i)
        line(i * 10 + 20,
             "duration: 0.100 ms  statement: SELECT * FROM order_items WHERE order_id = " + std::to_string(i));
    const auto path = test::write_log("n-plus-one-pid-reuse.log", log);
    auto rule = test::make_rule("n-plus-one");
    CHECK(test::run_rule_streaming(*rule, path, "%m [%p]: ").findings.empty());
    // Kept to the end of input, the two sessions were one loop of six (what issue 16 changed).
    auto kept = test::make_rule("n-plus-one");
    const auto joined = test::run_rule_streaming(*kept, path, "%m [%p]: ", /*close_sessions=*/false);
    REQUIRE(joined.findings.size() == 1);
    CHECK(joined.findings[0].table == "order_items");
}

namespace {
// Cloud SQL's log as Cloud Logging exports it (tests/fixtures/ingest/pgbadger/cloudsql.log.gz): one
// JSON wrapper per line, the stderr line in textPayload without a time ('[%p]: [%l-1] db=%d,user=%u '),
// the time in the wrapper. Eight lookups by one backend, `gap_ms` apart.
std::string cloud_sql_lookups(double gap_ms) {
    std::string out;
    for (int i = 0; i < 8; ++i) {
        const int ms = static_cast<int>(gap_ms * i);
        fmt::format_to(
            std::back_inserter(out),
            R"({{"logName":"projects/p/logs/cloudsql.googleapis.com%2Fpostgres.log","receiveTimestamp":"2024-05-02T13:00:09.000Z",)"
            R"("resource":{{"type":"cloudsql_database"}},"severity":"INFO","textPayload":"[301]: [{}-1] db=shop,user=app )"
            R"(LOG:  duration: 0.100 ms  statement: SELECT id, name FROM customers WHERE id = {}",)"
            R"("timestamp":"2024-05-02T13:00:0{}.{:03}Z"}})"
            "\n",
            i + 1, 100 + 13 * i, ms / 1000, ms % 1000);
    }
    return out;
}
}  // namespace

TEST_CASE("n-plus-one on Cloud SQL: the wrapper's time keeps spaced lookups out of the window", "[rules][n-plus-one]") {
    // Without the wrapper's time every record had none, every gap read as 0 ms, and these fired.
    const std::vector<std::string> spaced_log{write_log("cloudsql-spaced.json", cloud_sql_lookups(300))};
    auto spaced = make_rule("n-plus-one");
    CHECK(run_rule_on_files(*spaced, spaced_log).findings.empty());
    // The control: the same lookups 2 ms apart are a loop.
    const std::vector<std::string> loop_log{write_log("cloudsql-loop.json", cloud_sql_lookups(2))};
    auto loop = make_rule("n-plus-one");
    CHECK(run_rule_on_files(*loop, loop_log).findings.size() == 1);
}

TEST_CASE("n-plus-one: the time saved is the same whatever order loops close in", "[rules][n-plus-one]") {
    // Three loops of one lookup in three sessions, each closed by a call after the window, in one
    // order and in the reverse: their saved times (0.1, 0.2, 0.3 ms) add up to the same gain.
    auto loops_closed_in = [](const std::vector<int>& order) {
        std::vector<ingest::Statement> statements;
        for (int s = 1; s <= 3; ++s)
            for (int i = 0; i < 5; ++i)
                statements.push_back(statement("s" + std::to_string(s), 1'000 * s + 2.0 * i,
                                               "SELECT * FROM order_items WHERE order_id = " + std::to_string(i),
                                               0.025 * s));
        for (int s : order)
            statements.push_back(
                statement("s" + std::to_string(s), 100'000 + s, "SELECT * FROM order_items WHERE order_id = 9"));
        auto rule = make_rule("n-plus-one");
        rules::RuleInput no_round_trips;  // the saved statement time alone
        no_round_trips.round_trip_ms = 0;
        const auto run = run_rule(*rule, statements, no_round_trips);
        REQUIRE(run.findings.size() == 1);
        return run.findings[0].estimated_gain_ms;
    };
    const double forward = loops_closed_in({1, 2, 3}), backward = loops_closed_in({3, 2, 1});
    CHECK(forward == backward);  // exactly: a report, a digest and a merge of digests show the same digits
    CHECK(forward == Approx(0.6));
}

TEST_CASE("n-plus-one: a loop is over on its own session's clock, not on a later session's statement",
          "[rules][n-plus-one]") {
    // The reader passes a statement on when its session's next line comes, so another session's
    // later statements can come between two calls of a loop. Eight lookups 10 ms apart in s1, with
    // statements of s2, a minute later, between the fourth and the fifth, more of them than a sweep
    // of open loops waited for: one loop of eight, not two of four (below min_repeats), as when
    // loops were swept on the time of the last statement.
    std::vector<ingest::Statement> statements;
    auto lookup = [&](int i) {
        statements.push_back(statement("s1", 10'000 + 10.0 * i,
                                       "SELECT * FROM order_items WHERE order_id = " + std::to_string(100 + i)));
    };
    for (int i = 0; i < 4; ++i) lookup(i);
    for (int i = 0; i < 5000; ++i)
        statements.push_back(statement("s2", 70'000, "INSERT INTO events (kind) VALUES (1)"));
    for (int i = 4; i < 8; ++i) lookup(i);
    auto rule = make_rule("n-plus-one");
    const auto run = run_rule(*rule, statements);
    REQUIRE(run.findings.size() == 1);
    CHECK(run.findings[0].title == "N+1: order_items runs once per order_id (1 loop, up to 8 calls each)");
}
