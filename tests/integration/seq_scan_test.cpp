// seq-scan against the throwaway server: a plan captured there with
// EXPLAIN (ANALYZE, FORMAT JSON) fed through ingest, and live planning of
// shapes with their sample parameters (server/explain_live).
#include <catch2/catch.hpp>

#include <pqxx/pqxx>

#include "server/explain_live.hpp"
#include "catalog/live_loader.hpp"
#include "ingest/explain.hpp"
#include "rules/config.hpp"
#include "rules/seq_scan.hpp"
#include "sql/shape.hpp"
#include "throwaway_pg.hpp"

using namespace pgadvisor;
using namespace pgadvisor::test;

namespace {

// 100,000 orders; one in a thousand is 'refunded'; customer_id has 5,000 values.
void create_orders(const ThrowawayPg& pg) {
    pqxx::connection conn(pg.conninfo());
    pqxx::nontransaction tx(conn);
    tx.exec("DROP TABLE IF EXISTS seqscan_orders");
    tx.exec(
        "CREATE TABLE seqscan_orders (id int PRIMARY KEY, customer_id int NOT NULL, status varchar(20) NOT NULL, "
        "placed_at timestamptz NOT NULL)");
    tx.exec(
        "INSERT INTO seqscan_orders SELECT g, g % 5000, CASE WHEN g % 1000 = 0 THEN 'refunded' ELSE 'paid' END, "
        "timestamptz '2024-01-01' + g * interval '1 minute' FROM generate_series(1, 100000) g");
    tx.exec("ANALYZE seqscan_orders");
}

rules::RuleConfig seq_scan_config() {
    auto set = rules::load_default_rules();
    const rules::RuleConfig* c = set.find("seq-scan");
    REQUIRE(c);
    return *c;
}

workload::ShapeInfo shape_info(const std::string& text, std::vector<std::vector<workload::LiteralValue>> samples) {
    workload::ShapeInfo s;
    auto r = sql::shape_statement(text);
    REQUIRE(r.shape);
    s.shape = r.shape;
    s.fingerprint = r.shape->fingerprint_hex;
    s.normalized = r.shape->normalized;
    s.stats.calls = 100;
    s.stats.timed_calls = 100;
    s.stats.total_ms = 900;
    s.samples = std::move(samples);
    s.locations.push_back({"server.log", 7, 7});
    return s;
}

}  // namespace

TEST_CASE("seq-scan fires on an EXPLAIN ANALYZE plan captured from the server", "[integration][pg][seq-scan]") {
    const auto& pg = throwaway_pg();
    create_orders(pg);
    std::string json;
    {
        pqxx::connection conn(pg.conninfo());
        pqxx::nontransaction tx(conn);
        tx.exec("SET max_parallel_workers_per_gather = 0");  // one process: rows read must be exactly 100000
        auto r = tx.exec("EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM seqscan_orders WHERE status = 'refunded'");
        for (const auto& row : r) json += row[0].c_str();
    }
    auto parsed = ingest::parse_explain(json);
    REQUIRE(parsed.errors.empty());
    REQUIRE(parsed.plans.size() == 1);
    REQUIRE(parsed.plans[0].root.node_type == "Seq Scan");
    // EXPLAIN wrote the varchar comparison with casts: ((status)::text = 'refunded'::text).
    CHECK(parsed.plans[0].root.filter.find("::text") != std::string::npos);

    workload::Workload w;
    w.standalone_plans.push_back(std::make_shared<ingest::Plan>(parsed.plans[0]));
    w.plan_sources.push_back("captured.json:1");
    auto rule = rules::create_seq_scan(seq_scan_config());
    rules::RuleInput in;
    in.workload = &w;
    std::vector<rules::Finding> out;
    rule->finish(in, out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].table == "seqscan_orders");
    CHECK(out[0].confidence == rules::Confidence::High);
    CHECK(out[0].index_needs.at(0).equality_columns == std::vector<std::string>{"status"});
    CHECK(out[0].explanation.find("read 100000 rows over 1 loop(s), the filter removed 99.9%") != std::string::npos);
    CHECK(out[0].estimated_gain_ms > 0);

    // The same query on the primary key is an index scan: nothing to say.
    json.clear();
    {
        pqxx::connection conn(pg.conninfo());
        pqxx::nontransaction tx(conn);
        auto r = tx.exec("EXPLAIN (ANALYZE, FORMAT JSON) SELECT * FROM seqscan_orders WHERE id = 500");
        for (const auto& row : r) json += row[0].c_str();
    }
    parsed = ingest::parse_explain(json);
    REQUIRE(parsed.plans.size() == 1);
    w.standalone_plans = {std::make_shared<ingest::Plan>(parsed.plans[0])};
    out.clear();
    rules::create_seq_scan(seq_scan_config())->finish(in, out);
    CHECK(out.empty());
}

TEST_CASE("explain_live plans with bound parameters and reports errors per statement", "[integration][pg][seq-scan]") {
    const auto& pg = throwaway_pg();
    create_orders(pg);
    server::LiveExplainOptions o;
    o.conninfo = pg.conninfo();
    // A value with a quote: bound as a parameter, it cannot break the statement.
    auto result = server::explain_live(o, {{"SELECT * FROM seqscan_orders WHERE status = $1", {std::string("it's")}},
                                           {"SELECT * FROM no_such_table WHERE id = $1", {std::string("1")}},
                                           {"SELECT * FROM seqscan_orders WHERE id = $1", {std::string("5")}}});
    CHECK(result.connection_error.empty());
    REQUIRE(result.outcomes.size() == 3);
    CHECK(result.outcomes[0].error.empty());
    CHECK(result.outcomes[0].plan_json.find("\"Seq Scan\"") != std::string::npos);
    CHECK(result.outcomes[1].plan_json.empty());
    CHECK(result.outcomes[1].error.find("no_such_table") != std::string::npos);
    // The failed statement did not stop the next one.
    CHECK(result.outcomes[2].plan_json.find("\"Index Scan\"") != std::string::npos);

    // Nothing was executed and auto_explain stayed quiet: the read-only transactions changed nothing.
    pqxx::connection conn(pg.conninfo());
    pqxx::nontransaction tx(conn);
    CHECK(tx.exec1("SELECT count(*) FROM seqscan_orders")[0].as<long>() == 100000);

    server::LiveExplainOptions bad;
    bad.conninfo = "host=127.0.0.1 port=1 dbname=x password=s3cret connect_timeout=2";
    auto failed = server::explain_live(bad, {{"SELECT 1", {}}});
    CHECK(failed.outcomes.empty());
    CHECK_FALSE(failed.connection_error.empty());
    CHECK(failed.connection_error.find("s3cret") == std::string::npos);
}

TEST_CASE("seq-scan plans the top shapes live with their sample values", "[integration][pg][seq-scan]") {
    const auto& pg = throwaway_pg();
    create_orders(pg);
    auto live = catalog::load_live({pg.conninfo()});
    REQUIRE(live.catalog);

    auto lit = [](const char* v) { return workload::LiteralValue{std::string(v), true}; };
    workload::Workload w;
    // A constant in the text (normalized to $1) and a bound parameter: both planned with real values.
    w.shapes.push_back(shape_info("SELECT * FROM seqscan_orders WHERE customer_id = 42", {{lit("42")}}));
    w.shapes.push_back(shape_info("SELECT id FROM seqscan_orders WHERE status = $1", {{lit("refunded")}}));
    w.shapes.push_back(shape_info("SELECT * FROM seqscan_orders WHERE id = 9", {{lit("9")}}));  // primary key: quiet

    rules::RuleInput in;
    in.workload = &w;
    in.catalog = &*live.catalog;
    in.catalog_is_live = true;
    in.conninfo = pg.conninfo();
    std::vector<rules::Finding> out;
    rules::create_seq_scan(seq_scan_config())->finish(in, out);
    REQUIRE(out.size() == 2);
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    for (const auto& f : out) {
        INFO(f.explanation);
        CHECK(f.table == "seqscan_orders");
        CHECK(f.confidence == rules::Confidence::Medium);  // estimates: no ANALYZE on the user's server
        CHECK(f.explanation.find("live EXPLAIN") != std::string::npos);
        CHECK(f.explanation.find("estimates only") != std::string::npos);
        REQUIRE(f.statements.size() == 1);
        CHECK(f.statements[0].calls == 100);
        CHECK(f.locations.at(0).file == "server.log");
    }
    const auto need0 = out[0].index_needs.at(0).equality_columns;
    const auto need1 = out[1].index_needs.at(0).equality_columns;
    CHECK(((need0 == std::vector<std::string>{"customer_id"} && need1 == std::vector<std::string>{"status"}) ||
           (need1 == std::vector<std::string>{"customer_id"} && need0 == std::vector<std::string>{"status"})));

    // Once an index serves customer_id the planner uses it: that shape goes quiet.
    {
        pqxx::connection conn(pg.conninfo());
        pqxx::nontransaction tx(conn);
        tx.exec("CREATE INDEX seqscan_orders_customer ON seqscan_orders (customer_id)");
        tx.exec("ANALYZE seqscan_orders");
    }
    live = catalog::load_live({pg.conninfo()});
    REQUIRE(live.catalog);
    in.catalog = &*live.catalog;
    out.clear();
    rules::create_seq_scan(seq_scan_config())->finish(in, out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].index_needs.at(0).equality_columns == std::vector<std::string>{"status"});

    // With live planning switched off, the offline source speaks instead, at low confidence.
    auto set = rules::load_default_rules();
    rules::apply_override(set, "seq-scan.live_explain=false");
    out.clear();
    rules::create_seq_scan(*set.find("seq-scan"))->finish(in, out);
    REQUIRE(out.size() == 1);
    CHECK(out[0].confidence == rules::Confidence::Low);
}

#include <filesystem>
#include <fstream>

#include "cli/analysis.hpp"
#include "ingest/ingest.hpp"

TEST_CASE("seq-scan end to end: a server log through ingest and WorkloadBuilder", "[integration][pg][seq-scan]") {
    const auto& pg = throwaway_pg();
    {
        pqxx::connection conn(pg.conninfo());
        pqxx::nontransaction tx(conn);
        tx.exec("DROP TABLE IF EXISTS seqscan_e2e");
        tx.exec("CREATE TABLE seqscan_e2e (id int PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL)");
        tx.exec(
            "INSERT INTO seqscan_e2e SELECT g, g % 5000, CASE WHEN g % 1000 = 0 THEN 'refunded' ELSE 'paid' END "
            "FROM generate_series(1, 100000) g");
        tx.exec("ANALYZE seqscan_e2e");
    }
    const std::size_t before = file_size(pg.stderr_log);
    {
        // Session 1: auto_explain logs each plan with actual rows (as a production server with
        // auto_explain.log_analyze would), three calls of one shape.
        pqxx::connection conn(pg.conninfo());
        pqxx::nontransaction tx(conn);
        tx.exec("SET max_parallel_workers_per_gather = 0");
        tx.exec("SET auto_explain.log_min_duration = 0");
        tx.exec("SET auto_explain.log_analyze = on");
        tx.exec("SET auto_explain.log_format = 'json'");
        for (int i = 0; i < 3; ++i) tx.exec("SELECT id FROM seqscan_e2e WHERE status = 'refunded'");
    }
    {
        // Session 2: a bound parameter, no plan in the log: only live planning can see the scan.
        pqxx::connection conn(pg.conninfo());
        conn.prepare("by_customer", "SELECT id FROM seqscan_e2e WHERE customer_id = $1");
        pqxx::nontransaction tx(conn);
        for (int c : {42, 43, 44}) tx.exec_prepared("by_customer", c);
        tx.exec("SELECT 'seqscan_e2e_done'");
    }
    const std::string log = wait_for_log(pg.stderr_log, before, "seqscan_e2e_done");
    REQUIRE_FALSE(log.empty());
    const auto dir = std::filesystem::temp_directory_path() / ("pgadvisor-seqscan-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "postgresql.log").string();
    std::ofstream(path, std::ios::binary) << log;

    workload::WorkloadBuilder builder;
    ingest::IngestOptions options;
    options.inputs = {path};
    auto report = ingest::ingest(options, [&](ingest::Statement&& s) { builder.add(s); });
    INFO("log:\n" << log);
    REQUIRE(report.statements > 0);
    const workload::Workload w = builder.finish();

    const workload::ShapeInfo* refunded = nullptr;
    const workload::ShapeInfo* by_customer = nullptr;
    for (const auto& s : w.shapes) {
        if (s.normalized.find("seqscan_e2e WHERE status") != std::string::npos) refunded = &s;
        if (s.normalized.find("seqscan_e2e WHERE customer_id") != std::string::npos) by_customer = &s;
    }
    REQUIRE(refunded);
    REQUIRE(by_customer);
    CHECK(refunded->plan);  // the auto_explain plan reached the shape
    CHECK_FALSE(by_customer->plan);
    CHECK(by_customer->samples.size() == 3);

    auto live = catalog::load_live({pg.conninfo()});
    REQUIRE(live.catalog);
    rules::RuleInput in;
    in.workload = &w;
    in.catalog = &*live.catalog;
    in.catalog_is_live = true;
    in.conninfo = pg.conninfo();
    std::vector<rules::Finding> out;
    rules::create_seq_scan(seq_scan_config())->finish(in, out);

    const rules::Finding* from_plan = nullptr;
    const rules::Finding* from_live = nullptr;
    for (const auto& f : out) {
        if (f.table != "seqscan_e2e" || f.statements.empty()) continue;
        if (f.statements[0].fingerprint == refunded->fingerprint) from_plan = &f;
        if (f.statements[0].fingerprint == by_customer->fingerprint) from_live = &f;
    }
    REQUIRE(from_plan);
    CHECK(from_plan->confidence == rules::Confidence::High);
    CHECK(from_plan->explanation.find("auto_explain plan: Seq Scan on seqscan_e2e: read 100000 rows") !=
          std::string::npos);
    CHECK(from_plan->statements[0].calls == 3);
    CHECK(from_plan->index_needs.at(0).equality_columns == std::vector<std::string>{"status"});
    REQUIRE_FALSE(from_plan->locations.empty());
    CHECK(from_plan->locations[0].file == path);
    CHECK(from_plan->locations[0].first_line > 0);
    // The logged plan's filter holds a value from the log: shown as $1 unless --show-literals.
    CHECK(from_plan->explanation.find("refunded") == std::string::npos);
    INFO(from_plan->explanation);
    CHECK(from_plan->explanation.find("(Filter: (status = $1::text))") != std::string::npos);

    REQUIRE(from_live);
    CHECK(from_live->confidence == rules::Confidence::Medium);
    CHECK(from_live->explanation.find("live EXPLAIN") != std::string::npos);
    CHECK(from_live->statements[0].calls == 3);
    CHECK(from_live->index_needs.at(0).equality_columns == std::vector<std::string>{"customer_id"});

    // The same log through the CLI's analysis pipeline with --db: the live planning is wired in.
    cli::AnalysisOptions options_cli;
    options_cli.inputs = {path};
    options_cli.catalog.db = pg.conninfo();
    options_cli.rules = rules::load_default_rules();
    const cli::Analysis a = cli::run_analysis(options_cli, "analyze");
    REQUIRE(a.error.empty());
    bool live_seen = false;
    for (const auto& f : a.findings)
        if (f.rule_id == "seq-scan" && f.explanation.find("live EXPLAIN: Seq Scan on seqscan_e2e") != std::string::npos)
            live_seen = true;
    CHECK(live_seen);
    std::filesystem::remove_all(dir);
}

#include <nlohmann/json.hpp>
#include <random>

namespace {

// supabase/index_advisor's four-table join (test/sql/multi_index.sql) restated with data:
// 1,000 authors, 100 publishers, 30,000 books, 300,000 reviews (ten per book).
const char* kFourTableJoin =
    "SELECT book.id, book.title, publisher.name AS publisher_name, author.name AS author_name, "
    "review.body AS review_body FROM book JOIN publisher ON book.publisher_id = publisher.id "
    "JOIN author ON book.author_id = author.id JOIN review ON book.id = review.book_id "
    "WHERE author.id = {} AND publisher.id = {}";

std::string four_table_join(int author, int publisher) {
    std::string q = kFourTableJoin;
    q.replace(q.find("{}"), 2, std::to_string(author));
    q.replace(q.find("{}"), 2, std::to_string(publisher));
    return q;
}

void create_bookstore(const std::string& conninfo) {
    pqxx::connection conn(conninfo);
    pqxx::nontransaction tx(conn);
    tx.exec("CREATE EXTENSION hypopg");
    tx.exec("CREATE TABLE author (id serial PRIMARY KEY, name text NOT NULL)");
    tx.exec("CREATE TABLE publisher (id serial PRIMARY KEY, name text NOT NULL, corporate_address text)");
    tx.exec(
        "CREATE TABLE book (id serial PRIMARY KEY, author_id int NOT NULL REFERENCES author (id), "
        "publisher_id int NOT NULL REFERENCES publisher (id), title text)");
    tx.exec("CREATE TABLE review (id serial PRIMARY KEY, book_id int REFERENCES book (id), body text NOT NULL)");
    tx.exec("INSERT INTO author (name) SELECT 'author ' || g FROM generate_series(1, 1000) g");
    tx.exec("INSERT INTO publisher (name) SELECT 'publisher ' || g FROM generate_series(1, 100) g");
    tx.exec(
        "INSERT INTO book (author_id, publisher_id, title) SELECT 1 + g % 1000, 1 + (g / 1000) % 100, 'title ' || g "
        "FROM generate_series(1, 30000) g");
    tx.exec(
        "INSERT INTO review (book_id, body) SELECT 1 + g % 30000, 'review ' || g FROM generate_series(1, 300000) g");
    tx.exec("VACUUM ANALYZE");
}

}  // namespace

TEST_CASE("join keys: analyze --db proposes the inner join key of index_advisor's four-table join",
          "[integration][pg][seq-scan][join-key]") {
    const auto& pg = throwaway_pg();
    const std::string db = "join_keys_" + std::to_string(std::random_device{}() % 1000000);
    {
        pqxx::connection conn(pg.conninfo());
        pqxx::nontransaction tx(conn);
        tx.exec("CREATE DATABASE " + db);
    }
    const std::string conninfo = pg.conninfo(db);
    create_bookstore(conninfo);

    // The application runs the join for a few author and publisher pairs; the server logs each call.
    const std::size_t offset = file_size(pg.stderr_log);
    const std::string marker = "join-keys-done-" + db;
    {
        pqxx::connection conn(conninfo);
        pqxx::nontransaction tx(conn);
        for (int i = 1; i <= 5; ++i) CHECK(tx.exec(four_table_join(7 * i, 2 + i)).size() == 10);
        tx.exec("SELECT " + tx.quote(marker));
    }
    std::string log = wait_for_log(pg.stderr_log, offset, marker);
    REQUIRE_FALSE(log.empty());
    const auto dir = std::filesystem::temp_directory_path() / ("pgadvisor_" + db);
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "postgresql.log").string();
    std::ofstream(path, std::ios::binary) << log;

    const auto analyze = run_pgadvisor("analyze " + path + " --db " + shell_quoted(conninfo) + " --format json", false);
    REQUIRE(analyze.exit_code == 0);
    const auto report = nlohmann::json::parse(analyze.output);
    const nlohmann::json* review = nullptr;
    for (const auto& r : report["recommendations"]) {
        UNSCOPED_INFO("recommendation: " << r["title"] << " " << r["gain"]["method_detail"]);
        if (r["kind"] == "create-index" && r["index"]["table"] == "review") review = &r;
    }
    for (const auto& f : report["findings"]) UNSCOPED_INFO("finding: " << f["title"]);
    // The inner join key, proposed by seq-scan from the live plan (a Hash Join over a Seq Scan of review)...
    REQUIRE(review);
    REQUIRE((*review)["index"]["keys"].size() == 1);
    CHECK((*review)["index"]["keys"][0]["column"] == "book_id");
    CHECK(std::find((*review)["rules"].begin(), (*review)["rules"].end(), "seq-scan") != (*review)["rules"].end());
    // ...and HypoPG's plan uses it: the planner cost falls by more than five times (what remains is
    // mostly book's own Seq Scan, which the other recommendation serves).
    CHECK((*review)["gain"]["method"] == "hypopg");
    const std::string how = (*review)["gain"]["method_detail"];
    CHECK(how.find("would not use") == std::string::npos);
    CHECK((*review)["gain"]["cost_after"].get<double>() < (*review)["gain"]["cost_before"].get<double>() / 5);
    CHECK((*review)["gain"]["ms_per_call"].get<double>() > 0);

    // The same, seen from the server directly: with the hypothetical index the plan reads review by it.
    {
        pqxx::connection conn(conninfo);
        pqxx::nontransaction tx(conn);
        const std::string create = "CREATE INDEX ON " + (*review)["index"]["schema"].get<std::string>() + ".review (" +
                                   (*review)["index"]["keys"][0]["column"].get<std::string>() + ")";
        tx.exec("SELECT * FROM hypopg_create_index(" + tx.quote(create) + ")");
        std::string plan;
        for (const auto& row : tx.exec("EXPLAIN (FORMAT JSON) " + four_table_join(7, 3))) plan += row[0].c_str();
        INFO(plan);
        CHECK(plan.find("btree_review_book_id") != std::string::npos);
        CHECK(plan.find("\"Relation Name\": \"review\"") != std::string::npos);
    }
    std::filesystem::remove_all(dir);
}
