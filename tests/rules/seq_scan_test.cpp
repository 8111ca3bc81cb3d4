// seq-scan: positives from real and hand-written plans, look-alike negatives
// (each says why it must stay quiet), the doc page's own example, the corpus,
// and the offline source against a DDL catalog.
#include <catch2/catch.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <fstream>
#include <sstream>

#include "catalog/ddl_loader.hpp"
#include "ingest/explain.hpp"
#include "rules/config.hpp"
#include "rules/seq_scan.hpp"
#include "sql/parser.hpp"
#include "sql/shape.hpp"
#include "workload/workload.hpp"

using namespace pgadvisor;
using namespace pgadvisor::rules;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

RuleConfig config_with(std::initializer_list<const char*> overrides = {}) {
    auto set = load_default_rules();
    for (const char* o : overrides) apply_override(set, o);
    REQUIRE(set.errors.empty());
    const RuleConfig* c = set.find("seq-scan");
    REQUIRE(c);
    return *c;
}

// A workload holding the plans of one EXPLAIN document as standalone plans.
workload::Workload plans_workload(const std::string& doc, const std::string& source = "plan.txt:1") {
    workload::Workload w;
    auto parsed = ingest::parse_explain(doc);
    INFO("explain errors: " << parsed.errors.size());
    REQUIRE(!parsed.plans.empty());
    for (auto& p : parsed.plans) {
        w.standalone_plans.push_back(std::make_shared<ingest::Plan>(std::move(p)));
        w.plan_sources.push_back(source);
    }
    return w;
}

std::vector<Finding> run(const workload::Workload& w, const RuleConfig& config = config_with(),
                         const catalog::Catalog* cat = nullptr, bool show_literals = false) {
    auto rule = create_seq_scan(config);
    RuleInput in;
    in.workload = &w;
    in.catalog = cat;
    in.show_literals = show_literals;
    std::vector<Finding> out;
    rule->finish(in, out);
    return out;
}

catalog::Catalog schema(const std::string& ddl, std::map<std::string, double> rows) {
    catalog::Catalog c;
    catalog::apply_ddl(c, ddl, "schema.sql");
    REQUIRE(c.errors.empty());
    catalog::OfflineOptions o;
    o.assume_rows = std::move(rows);
    catalog::assume_rows(c, o);
    return c;
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("filter texts are read by libpg_query, EXPLAIN's casts included", "[rules][seq-scan]") {
    auto s = shape_plan_filter("", "orders", "", "((status)::text = 'refunded'::text)");
    REQUIRE(s);
    REQUIRE(s->predicates.size() == 1);
    CHECK(s->predicates[0].column.column == "status");
    CHECK(s->predicates[0].column.table == 0);
    CHECK(s->predicates[0].cls == sql::PredicateClass::Equality);
    CHECK(s->predicates[0].operand == sql::OperandKind::Constant);

    s = shape_plan_filter("public", "tenk1", "t1", "((t1.ten < 7) AND (t1.hundred = ANY ('{1,2}'::integer[])))");
    REQUIRE(s);
    REQUIRE(s->predicates.size() == 2);
    CHECK(s->predicates[0].column.column == "ten");
    CHECK(s->predicates[0].cls == sql::PredicateClass::Range);
    CHECK(s->predicates[1].column.column == "hundred");
    CHECK(s->predicates[1].cls == sql::PredicateClass::InList);
    CHECK(s->tables.at(0).schema == "public");
    CHECK(s->tables.at(0).alias == "t1");

    // A filter EXPLAIN prints with a subplan reference is not SQL: no shape, no crash.
    CHECK_FALSE(shape_plan_filter("", "orders", "", "(hashed SubPlan 1)"));
    CHECK_FALSE(shape_plan_filter("", "", "", "(a = 1)"));
}

TEST_CASE("sort keys are read as an ORDER BY over the plan's relations", "[rules][seq-scan]") {
    auto s = shape_sort_key({{"", "orders", "o"}, {"", "customers", "c"}}, "o.placed_at DESC, o.id");
    REQUIRE(s);
    REQUIRE(s->order_by.size() == 2);
    CHECK(s->order_by[0].column.column == "placed_at");
    CHECK(s->order_by[0].column.table == 0);
    CHECK(s->order_by[0].direction == sql::SortDirection::Desc);
    CHECK(s->order_by[1].column.column == "id");
    s = shape_sort_key({{"", "orders", "o"}}, "(count(*)) DESC");
    REQUIRE(s);
    REQUIRE(s->order_by.size() == 1);
    CHECK(s->order_by[0].column.column.empty());
}

TEST_CASE("the doc page's example fires with the evidence it describes", "[rules][seq-scan][doc]") {
    const std::string doc = slurp(PGADVISOR_SOURCE_DIR "/docs/rules/seq-scan.md");
    const auto example = doc.find("## Example");
    REQUIRE(example != std::string::npos);
    const auto open = doc.find("```text\n", example);
    REQUIRE(open != std::string::npos);
    const auto close = doc.find("```", open + 8);
    const std::string plan = doc.substr(open + 8, close - open - 8);

    const long line = 1 + static_cast<long>(std::count(doc.begin(), doc.begin() + static_cast<long>(open) + 8, '\n'));
    const auto findings = run(plans_workload(plan, "docs/rules/seq-scan.md:" + std::to_string(line)));
    REQUIRE(findings.size() == 1);
    const auto& f = findings[0];
    CHECK(f.rule_id == "seq-scan");
    CHECK(f.severity == Severity::Warning);
    CHECK(f.confidence == Confidence::High);
    CHECK(f.table == "orders");
    REQUIRE(f.index_needs.size() == 1);
    CHECK(f.index_needs[0].table == "orders");
    CHECK(f.index_needs[0].equality_columns == std::vector<std::string>{"status"});
    CHECK(f.index_needs[0].range_column.empty());
    CHECK(contains(f.explanation, "read 100000 rows over 1 loop(s)"));
    CHECK(contains(f.explanation, "removed 100.0%"));
    CHECK(contains(f.explanation, "14.310 ms"));
    // The filter is shown with its constant replaced: plan values are user data.
    CHECK(contains(f.explanation, "(Filter: ((status)::text = $1::text))"));
    CHECK_FALSE(contains(f.explanation, "refunded"));
    CHECK_FALSE(contains(f.title, "refunded"));
    // --show-literals shows the plan's text as it is.
    {
        auto rule = create_seq_scan(config_with());
        workload::Workload w = plans_workload(plan);
        RuleInput in;
        in.workload = &w;
        in.show_literals = true;
        std::vector<Finding> shown;
        rule->finish(in, shown);
        REQUIRE(shown.size() == 1);
        CHECK(contains(shown[0].explanation, "(Filter: ((status)::text = 'refunded'::text))"));
    }
    REQUIRE(f.locations.size() == 1);
    CHECK(f.locations[0].file == "docs/rules/seq-scan.md");
    CHECK(f.locations[0].first_line == line);
    CHECK(line > 1);
    CHECK(f.estimated_gain_ms == Approx(14.310));
    CHECK(contains(f.gain_method, "one execution"));
    CHECK(f.fix_sql == "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders USING btree (status);");
}

TEST_CASE("look-alike scans stay quiet", "[rules][seq-scan][negative]") {
    SECTION("a seq scan of a 50-row table, even if the filter keeps one row") {
        // Reading 50 rows is cheaper than any index lookup.
        auto w = plans_workload(
            R"(Seq Scan on countries  (cost=0.00..1.62 rows=1 width=20) (actual time=0.010..0.020 rows=1 loops=1)
  Filter: (code = 'fr'::bpchar)
  Rows Removed by Filter: 49
)");
        CHECK(run(w).empty());
    }
    SECTION("a filter that keeps most rows: the docs' tenk1 plan (corpus 28) keeps 70%") {
        // Reads exactly 10000 rows but removes only 30%: an index would not help.
        auto w = plans_workload(slurp(PGADVISOR_SHARED_CORPUS "/explain/28-docs-seqscan-rows-removed-by-filter.txt"));
        CHECK(run(w).empty());
    }
    SECTION("a seq scan without a filter feeding an aggregate over the whole table") {
        // count(*) wants every row: a sequential scan is the right plan.
        auto w = plans_workload(
            R"(Aggregate  (cost=2041.00..2041.01 rows=1 width=8) (actual time=20.1..20.1 rows=1 loops=1)
  ->  Seq Scan on orders  (cost=0.00..1791.00 rows=100000 width=0) (actual time=0.01..12.3 rows=100000 loops=1)
)");
        CHECK(run(w).empty());
    }
    SECTION("a table whose filter column already leads an index") {
        const std::string plan =
            R"(Seq Scan on orders  (cost=0.00..2041.00 rows=12 width=40) (actual time=0.021..14.310 rows=9 loops=1)
  Filter: (customer_id = 42)
  Rows Removed by Filter: 99991
)";
        auto cat = schema(
            "CREATE TABLE orders (id int PRIMARY KEY, customer_id int, status text);"
            "CREATE INDEX orders_customer ON orders (customer_id, status);",
            {{"orders", 100000}});
        // The same plan fires without the index (control), so the index is what keeps it quiet.
        CHECK(run(plans_workload(plan)).size() == 1);
        CHECK(run(plans_workload(plan), config_with(), &cat).empty());
    }
    SECTION("an external sort on an expression no index can give") {
        // Sorting by an aggregate's result: no index on any table returns that order.
        auto w = plans_workload(
            R"(Sort  (cost=9000.00..9100.00 rows=40000 width=16) (actual time=300.0..350.0 rows=40000 loops=1)
  Sort Key: (count(*)) DESC
  Sort Method: external merge  Disk: 1024kB
  ->  HashAggregate  (cost=5000.00..5400.00 rows=40000 width=16) (actual time=200.0..250.0 rows=40000 loops=1)
        Group Key: o.customer_id
        ->  Seq Scan on orders o  (cost=0.00..1791.00 rows=100000 width=4) (actual time=0.01..12.3 rows=100000 loops=1)
)");
        CHECK(run(w).empty());
    }
    SECTION("an external sort on columns of two tables") {
        auto w = plans_workload(
            R"(Sort  (cost=9000.00..9100.00 rows=40000 width=16) (actual time=300.0..350.0 rows=40000 loops=1)
  Sort Key: o.placed_at, c.name
  Sort Method: external merge  Disk: 2048kB
  ->  Hash Join  (cost=50.00..5400.00 rows=40000 width=16) (actual time=2.0..250.0 rows=40000 loops=1)
        Hash Cond: (o.customer_id = c.id)
        ->  Seq Scan on orders o  (cost=0.00..1791.00 rows=100000 width=4) (actual time=0.01..12.3 rows=100000 loops=1)
        ->  Hash  (cost=20.00..20.00 rows=1000 width=4) (actual time=1.0..1.0 rows=1000 loops=1)
              ->  Seq Scan on customers c  (cost=0.00..20.00 rows=1000 width=4) (actual time=0.01..0.5 rows=1000 loops=1)
)");
        CHECK(run(w).empty());
    }
    SECTION("a nested loop whose inner scan sits under a Materialize is scanned once") {
        auto w = plans_workload(
            R"(Nested Loop  (cost=0.00..9000.00 rows=100 width=8) (actual time=0.1..50.0 rows=100 loops=1)
  Join Filter: (a.x = b.x)
  Rows Removed by Join Filter: 99900
  ->  Seq Scan on a  (cost=0.00..2.00 rows=100 width=4) (actual time=0.01..0.05 rows=100 loops=1)
  ->  Materialize  (cost=0.00..25.00 rows=1000 width=4) (actual time=0.00..0.1 rows=1000 loops=100)
        ->  Seq Scan on b  (cost=0.00..20.00 rows=1000 width=4) (actual time=0.01..0.3 rows=1000 loops=1)
)");
        CHECK(run(w).empty());
    }
}

TEST_CASE("a parallel seq scan counts the leader and every worker", "[rules][seq-scan]") {
    // rows and Rows Removed are per process: (3 + 333330) x 3 = 999999 read.
    auto w = plans_workload(R"(Gather  (cost=1000.00..12000.00 rows=10 width=40) (actual time=1.0..80.0 rows=9 loops=1)
  Workers Planned: 2
  Workers Launched: 2
  ->  Parallel Seq Scan on events e  (cost=0.00..11000.00 rows=4 width=40) (actual time=5.0..75.500 rows=3 loops=3)
        Filter: ((e.kind)::text = 'signup'::text)
        Rows Removed by Filter: 333330
)");
    auto f = run(w);
    REQUIRE(f.size() == 1);
    INFO(f[0].explanation);
    CHECK(f[0].table == "events");
    CHECK(contains(f[0].explanation, "EXPLAIN file: Parallel Seq Scan on events: read 999999 rows over 3 loop(s)"));
    CHECK(f[0].index_needs.at(0).equality_columns == std::vector<std::string>{"kind"});
    CHECK(f[0].estimated_gain_ms == Approx(75.5 * 3));
}

TEST_CASE("the inner side of a nested loop scanned sequentially many times", "[rules][seq-scan]") {
    const std::string plan =
        R"(Nested Loop  (cost=0.00..90000.00 rows=200 width=8) (actual time=0.1..450.0 rows=200 loops=1)
  ->  Seq Scan on orders o  (cost=0.00..2.00 rows=200 width=8) (actual time=0.01..0.05 rows=200 loops=1)
  ->  Seq Scan on order_lines l  (cost=0.00..40.00 rows=1 width=4) (actual time=0.10..2.200 rows=1 loops=200)
        Filter: (order_id = o.id)
        Rows Removed by Filter: 1999
)";
    auto f = run(plans_workload(plan));
    REQUIRE(f.size() == 1);  // one finding: the rescan, not also a filtered-scan finding
    CHECK(f[0].table == "order_lines");
    CHECK(contains(f[0].title, "Nested Loop"));
    CHECK(contains(f[0].explanation, "scanned 200 time(s): 400000 rows read in all"));
    CHECK(f[0].index_needs.at(0).equality_columns == std::vector<std::string>{"order_id"});
    CHECK(f[0].estimated_gain_ms == Approx(2.2 * 200));

    // Fewer than min_inner_loops rescans: quiet (4 x 2000 = 8000 rows read is also under
    // min_rows_read, so the filtered-scan check stays quiet too).
    auto few = plan;
    few.replace(few.find("rows=1 loops=200"), 16, "rows=1 loops=4");
    CHECK(run(plans_workload(few)).empty());
}

TEST_CASE("an external sort on one table's columns asks for an index in that order", "[rules][seq-scan]") {
    auto f = run(plans_workload(
        R"(Sort  (cost=20000.00..20250.00 rows=100000 width=40) (actual time=120.0..160.250 rows=100000 loops=1)
  Sort Key: placed_at DESC
  Sort Method: external merge  Disk: 4096kB
  ->  Seq Scan on orders  (cost=0.00..1791.00 rows=100000 width=40) (actual time=0.01..12.3 rows=100000 loops=1)
)"));
    REQUIRE(f.size() == 1);
    CHECK(f[0].table == "orders");
    CHECK(f[0].confidence == Confidence::Medium);
    REQUIRE(f[0].index_needs.size() == 1);
    CHECK(f[0].index_needs[0].order_columns == std::vector<std::string>{"placed_at"});
    CHECK(f[0].index_needs[0].equality_columns.empty());
    CHECK(contains(f[0].explanation, "external merge"));
    CHECK(contains(f[0].explanation, "4096 kB of Disk"));
    CHECK(f[0].fix_sql ==
          "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_placed_at_idx ON orders USING btree (placed_at DESC);");

    // The same sort in memory on few rows: quiet (below min_sort_rows, no spill).
    CHECK(run(plans_workload(R"(Sort  (cost=200.00..202.50 rows=1000 width=40) (actual time=1.0..1.2 rows=1000 loops=1)
  Sort Key: placed_at DESC
  Sort Method: quicksort  Memory: 100kB
  ->  Seq Scan on orders  (cost=0.00..17.00 rows=1000 width=40) (actual time=0.01..0.3 rows=1000 loops=1)
)"))
              .empty());
}

TEST_CASE("a plan with estimates only fires at medium confidence from the catalog's row count", "[rules][seq-scan]") {
    const std::string plan = R"(Seq Scan on orders  (cost=0.00..2041.00 rows=12 width=40)
  Filter: (customer_id = 42)
)";
    auto cat = schema("CREATE TABLE orders (id int PRIMARY KEY, customer_id int, status text);", {{"orders", 100000}});
    auto f = run(plans_workload(plan), config_with(), &cat);
    REQUIRE(f.size() == 1);
    CHECK(f[0].confidence == Confidence::Medium);
    CHECK(contains(f[0].explanation, "estimates only"));
    CHECK(f[0].index_needs.at(0).equality_columns == std::vector<std::string>{"customer_id"});
    CHECK(f[0].schema == "public");
    // Without a catalog the rows read are unknown: quiet rather than a guess.
    CHECK(run(plans_workload(plan)).empty());
}

// Issue 15, stable advice: Dexter's user_id = 1 keeps 10% of the rows, right at
// min_removed_fraction; ANALYZE's sample made the estimate 9.97% or 10.03% and
// the finding came and went from one ANALYZE to the next.
TEST_CASE("an estimate at the threshold gives the same answer whichever way ANALYZE's sample moved it",
          "[rules][seq-scan][stable]") {
    auto cat = schema("CREATE TABLE posts (id int PRIMARY KEY, user_id int, blog_id int);", {{"posts", 100000}});
    for (const char* rows : {"9970", "10000", "10030"}) {
        INFO(rows << " rows estimated of 100000");
        const std::string plan = fmt::format(R"(Seq Scan on posts  (cost=0.00..1791.00 rows={} width=12)
  Filter: (user_id = 1)
)",
                                             rows);
        CHECK(run(plans_workload(plan), config_with(), &cat).size() == 1);
    }
    // Clearly more than 10% is quiet every time.
    CHECK(run(plans_workload(R"(Seq Scan on posts  (cost=0.00..1791.00 rows=10600 width=12)
  Filter: (user_id = 1)
)"),
              config_with(), &cat)
              .empty());
}

TEST_CASE("corpus plans: which fire at the defaults and which need lower thresholds", "[rules][seq-scan][corpus]") {
    const std::string dir = PGADVISOR_SHARED_CORPUS "/explain/";
    // 03 ("Three joins, missing an index"): question is scanned with 97.7% removed,
    // but reads only 2700 rows, under min_rows_read: quiet at the defaults...
    auto w03 = plans_workload(slurp(dir + "03-seqscan-rows-removed-hash-join-sort-missing-index.json"), "03.json:1");
    CHECK(run(w03).empty());
    // ...and it fires on question.exam_id once the threshold is lowered.
    auto f = run(w03, config_with({"seq-scan.min_rows_read=1000"}));
    REQUIRE(f.size() == 1);
    CHECK(f[0].table == "question");
    CHECK(f[0].index_needs.at(0).equality_columns == std::vector<std::string>{"exam_id"});
    CHECK(contains(f[0].explanation, "read 2700 rows"));
    CHECK(contains(f[0].explanation, "removed 97.7%"));

    // 28 keeps 70% of tenk1: quiet whatever min_rows_read is.
    auto w28 = plans_workload(slurp(dir + "28-docs-seqscan-rows-removed-by-filter.txt"));
    CHECK(run(w28, config_with({"seq-scan.min_rows_read=100"})).empty());
    // With a lower removed fraction it fires on ten (a range column).
    f = run(w28, config_with({"seq-scan.min_removed_fraction=0.25"}));
    REQUIRE(f.size() == 1);
    CHECK(f[0].index_needs.at(0).range_column == "ten");
}

TEST_CASE("every corpus plan: exactly these fire at the defaults", "[rules][seq-scan][corpus]") {
    // Keys are kind:table(columns). Why each fires:
    //  06: Sort of 2.5M rows of t1 spilling 215 MB, straight from Seq Scan on t1 (a merge join's input);
    //      the other external sort there reads a CTE Scan: no index can be built on a CTE (quiet).
    //  11: external Sort on tb.x fed by tb's Bitmap Heap Scan; the one on tabb reads a CTE (quiet).
    //  13: TPC-H Q12, Parallel Seq Scan on lineitem removing 99.5% of 60M rows; its Sort sits above
    //      a hash join, so no index gives that order (quiet).
    //  18/19: the same plan in two formats, part_0 filtered on added_by, 99.9% of 13220 removed.
    //  25: tenk1 unique1 < 1000 removes exactly 90% of 10000 rows (the boundary counts).
    //  27: parallel tenk1 scan, 4 processes of 2500 rows each, fivethous = $1 keeps none.
    // 22's inner Nested Loop scan of existing_aspects reads 7 rows per loop: under
    // min_inner_rows_per_loop, quiet. 21's external sort reads an Append of partitions: quiet.
    const std::map<std::string, std::vector<std::string>> expected = {
        {"06", {"sort:public.t1(i)"}},
        {"11", {"sort:public.tb(x)"}},
        {"13", {"filtered:lineitem(l_shipmode,l_receiptdate)"}},
        {"18", {"filtered:part_0(added_by)"}},
        {"19", {"filtered:part_0(added_by)"}},
        {"25", {"filtered:tenk1(unique1)"}},
        {"27", {"filtered:tenk1(fivethous)"}},
    };
    int files = 0;
    for (const auto& e : std::filesystem::directory_iterator(PGADVISOR_SHARED_CORPUS "/explain")) {
        const std::string name = e.path().filename().string();
        if (!e.is_regular_file() || e.path().extension() == ".md") continue;
        ++files;
        INFO(name);
        auto parsed = ingest::parse_explain(slurp(e.path().string()));
        REQUIRE(!parsed.plans.empty());
        auto f = run(plans_workload(slurp(e.path().string()), name + ":1"));
        std::vector<std::string> keys;
        for (const auto& x : f) keys.push_back(x.key.substr(0, x.key.find('@')));
        auto it = expected.find(name.substr(0, 2));
        CHECK(keys == (it == expected.end() ? std::vector<std::string>{} : it->second));
        for (const auto& x : f) {
            CHECK(x.locations.at(0).file == name);
            CHECK(x.estimated_gain_ms > 0);
        }
    }
    CHECK(files == 30);
}

TEST_CASE("a Sort above a filtered scan puts its columns in the scan's index need", "[rules][seq-scan]") {
    const std::string plan = R"(Limit  (cost=2100.00..2100.03 rows=10 width=40) (actual time=15.0..15.1 rows=10 loops=1)
  ->  Sort  (cost=2100.00..2100.30 rows=120 width=40) (actual time=15.0..15.0 rows=10 loops=1)
        Sort Key: placed_at DESC
        Sort Method: top-N heapsort  Memory: 26kB
        ->  Seq Scan on orders  (cost=0.00..2041.00 rows=120 width=40) (actual time=0.02..14.9 rows=100 loops=1)
              Filter: (customer_id = 42)
              Rows Removed by Filter: 99900
)";
    auto f = run(plans_workload(plan));
    REQUIRE(f.size() == 1);  // the sort itself is small and in memory: only the scan fires
    const auto& need = f[0].index_needs.at(0);
    CHECK(need.equality_columns == std::vector<std::string>{"customer_id"});
    CHECK(need.order_columns == std::vector<std::string>{"placed_at"});

    // An external sort that an existing index already orders: the planner chose to sort anyway; quiet.
    const std::string sort =
        R"(Sort  (cost=20000.00..20250.00 rows=100000 width=40) (actual time=120.0..160.250 rows=100000 loops=1)
  Sort Key: placed_at
  Sort Method: external merge  Disk: 4096kB
  ->  Seq Scan on orders  (cost=0.00..1791.00 rows=100000 width=40) (actual time=0.01..12.3 rows=100000 loops=1)
)";
    auto cat = schema(
        "CREATE TABLE orders (id int PRIMARY KEY, customer_id int, placed_at timestamptz);"
        "CREATE INDEX ON orders (placed_at, id);",
        {{"orders", 100000}});
    CHECK(run(plans_workload(sort)).size() == 1);  // control: fires without the index
    CHECK(run(plans_workload(sort), config_with(), &cat).empty());
}

TEST_CASE("a 50-row table on the inner side of a nested loop stays quiet however often it is scanned",
          "[rules][seq-scan][negative]") {
    // 1000 loops x 50 rows = 50000 rows read, but each loop reads 50 rows: an index would not beat that.
    auto w = plans_workload(
        R"(Nested Loop  (cost=0.00..9000.00 rows=1000 width=8) (actual time=0.1..30.0 rows=1000 loops=1)
  ->  Seq Scan on orders o  (cost=0.00..20.00 rows=1000 width=8) (actual time=0.01..0.2 rows=1000 loops=1)
  ->  Seq Scan on countries c  (cost=0.00..1.62 rows=1 width=4) (actual time=0.01..0.025 rows=1 loops=1000)
        Filter: (id = o.country_id)
        Rows Removed by Filter: 49
)");
    CHECK(run(w).empty());
    // Lowering the per-loop floor makes it fire: that floor is what keeps it quiet.
    CHECK(run(w, config_with({"seq-scan.min_inner_rows_per_loop=10"})).size() == 1);
}

TEST_CASE("offline: a predicate on a large table that no index serves, at low confidence",
          "[rules][seq-scan][offline]") {
    const std::string ddl =
        "CREATE TABLE orders (id int PRIMARY KEY, customer_id int, status text, placed_at timestamptz);";
    auto shape_info = [](const std::string& text) {
        workload::ShapeInfo s;
        auto r = sql::shape_statement(text);
        REQUIRE(r.shape);
        s.shape = r.shape;
        s.fingerprint = r.shape->fingerprint_hex;
        s.normalized = r.shape->normalized;
        s.stats.calls = 40;
        s.stats.timed_calls = 40;
        s.stats.total_ms = 400;
        s.locations.push_back({"app.log", 10, 10});
        return s;
    };
    workload::Workload w;
    w.shapes.push_back(shape_info("SELECT * FROM orders WHERE customer_id = $1 AND placed_at >= $2"));

    auto big = schema(ddl, {{"orders", 50000}});
    auto f = run(w, config_with(), &big);
    REQUIRE(f.size() == 1);
    CHECK(f[0].confidence == Confidence::Low);
    CHECK(contains(f[0].explanation, "low confidence"));
    CHECK(contains(f[0].explanation, "--assume-rows"));
    CHECK(f[0].index_needs.at(0).equality_columns == std::vector<std::string>{"customer_id"});
    CHECK(f[0].index_needs.at(0).range_column == "placed_at");
    REQUIRE(f[0].statements.size() == 1);
    CHECK(f[0].statements[0].calls == 40);
    CHECK(f[0].estimated_gain_ms == Approx(400));
    CHECK(f[0].locations.at(0).file == "app.log");

    // A small table (the default offline row count is 1000): quiet.
    auto small = schema(ddl, {});
    CHECK(run(w, config_with(), &small).empty());
    // An index led by one of the columns serves it: quiet.
    auto indexed = schema(ddl + "CREATE INDEX ON orders (customer_id);", {{"orders", 50000}});
    CHECK(run(w, config_with(), &indexed).empty());
    // A logged plan that reads the table another way (the Prisma feed: an index on the ORDER BY
    // column, the filter applied on the way) spoke for the shape: the catalog's guess stays quiet.
    auto planned = w;
    auto plan = ingest::parse_explain(
        R"(Limit  (cost=0.42..9.50 rows=20 width=40) (actual time=0.05..0.40 rows=20 loops=1)
  ->  Index Scan Backward using orders_placed_at_idx on orders  (cost=0.42..4500.00 rows=9000 width=40) (actual time=0.04..0.38 rows=20 loops=1)
        Index Cond: (placed_at >= now())
        Filter: (customer_id = 7)
        Rows Removed by Filter: 3
)");
    REQUIRE(plan.plans.size() == 1);
    planned.shapes[0].plan = std::make_shared<ingest::Plan>(std::move(plan.plans[0]));
    CHECK(run(planned, config_with(), &big).empty());
    // A primary-key lookup is served by the primary key: quiet.
    workload::Workload pk;
    pk.shapes.push_back(shape_info("SELECT * FROM orders WHERE id = $1"));
    CHECK(run(pk, config_with(), &big).empty());
}

// The job queue of examples/sequelize-clinic: 400 queued jobs of 400,000, the
// oldest 20 first. The plan is the auto_explain plan of one of the calls.
const char* kQueuePlan = R"(Limit  (cost=8000.00..8000.05 rows=20 width=40) (actual time=50.100..50.200 rows=20 loops=1)
  ->  Sort  (cost=8000.00..8001.00 rows=400 width=40) (actual time=50.100..50.150 rows=20 loops=1)
        Sort Key: run_at
        Sort Method: top-N heapsort  Memory: 27kB
        ->  Seq Scan on jobs  (cost=0.00..7000.00 rows=400 width=40) (actual time=0.020..49.900 rows=400 loops=1)
              Filter: ((status)::text = 'queued'::text)
              Rows Removed by Filter: 399600
Planning Time: 0.100 ms
Execution Time: 50.300 ms
)";

const char* kJobsDdl = "CREATE TABLE jobs (id int PRIMARY KEY, status varchar(20), run_at timestamptz, owner text);";

// Calls of one statement through the WorkloadBuilder, as the pipeline runs them:
// `values[i]` is the status compared in call i, call i runs in session `sessions[i]`,
// and the first call carries the plan. With `bound` the value is a $1 parameter
// (Prisma), else an inlined literal (Sequelize, Django, SQLAlchemy with psycopg2).
workload::Workload queue_calls(const std::vector<std::string>& values, const std::vector<std::string>& sessions,
                               bool bound, const char* plan_text = kQueuePlan) {
    auto parsed = ingest::parse_explain(plan_text);
    REQUIRE(parsed.plans.size() == 1);
    auto plan = std::make_shared<ingest::Plan>(std::move(parsed.plans.front()));
    workload::WorkloadBuilder builder;
    for (std::size_t i = 0; i < values.size(); ++i) {
        ingest::Statement st;
        st.session_id = sessions[i];
        st.epoch_ms = 1000.0 * static_cast<double>(i);
        st.duration_ms = 50;
        st.source = {"postgresql.log", static_cast<long>(i + 1), static_cast<long>(i + 1)};
        if (bound) {
            st.text = "SELECT id, run_at FROM jobs WHERE status = $1 ORDER BY run_at LIMIT $2";
            st.parameters = {{1, values[i]}, {2, std::string("20")}};
        } else {
            st.text = "SELECT id, run_at FROM jobs WHERE status = '" + values[i] + "' ORDER BY run_at LIMIT 20";
        }
        if (i == 0) st.plan = plan;
        builder.add(st);
    }
    return builder.finish();
}

const Finding& only_jobs_finding(const std::vector<Finding>& f) {
    REQUIRE(f.size() == 1);
    REQUIRE(f[0].table == "jobs");
    REQUIRE(f[0].index_needs.size() == 1);
    return f[0];
}

TEST_CASE("a rare value the same in every call becomes a partial index on the other keys", "[rules][seq-scan]") {
    auto cat = schema(kJobsDdl, {{"jobs", 400000}});
    for (const bool bound : {false, true}) {
        INFO((bound ? "bound parameter" : "inlined literal"));
        const auto w = queue_calls({"queued", "queued", "queued", "queued"}, {"s1", "s2", "s1", "s2"}, bound);
        const auto f = run(w, config_with(), &cat);
        const Finding& finding = only_jobs_finding(f);
        const auto& need = finding.index_needs[0];
        // Before: status stayed an equality key, (status, run_at), whatever the evidence.
        CHECK(need.predicate == "status = 'queued'");
        CHECK(need.equality_columns.empty());
        CHECK(need.order_columns == std::vector<std::string>{"run_at"});
        CHECK(need.predicate_fraction == Approx(0.001));
        CHECK(contains(finding.fix_sql, "(run_at) WHERE status = 'queued'"));
        CHECK(sql::parses(finding.fix_sql));
        CHECK(contains(finding.explanation, "All 4 calls compare status with the same value"));
        CHECK(contains(finding.explanation, "A partial index on jobs (run_at) WHERE status = 'queued' would let"));
        CHECK_FALSE(contains(finding.explanation, "An index on jobs (status)"));
    }
}

TEST_CASE("a partial index needs the same value in every call, a rare one, and enough calls", "[rules][seq-scan]") {
    auto cat = schema(kJobsDdl, {{"jobs", 400000}});
    auto plain_status_key = [](const Finding& f) {
        CHECK(f.index_needs[0].predicate.empty());
        CHECK(f.index_needs[0].equality_columns == std::vector<std::string>{"status"});
    };
    SECTION("one call with another value: status is a key (the queue polls several states)") {
        plain_status_key(only_jobs_finding(
            run(queue_calls({"queued", "queued", "failed", "queued"}, {"s1", "s2", "s1", "s2"}, false), config_with(),
                &cat, /*show_literals=*/true)));
    }
    SECTION("two calls say too little, even with --show-literals") {
        plain_status_key(
            only_jobs_finding(run(queue_calls({"queued", "queued"}, {"s1", "s2"}, false), config_with(), &cat, true)));
    }
    SECTION("a filter with a second equality: the plan's rarity is not that value's own") {
        const std::string plan = std::string(kQueuePlan)
                                     .replace(std::string(kQueuePlan).find("((status)::text = 'queued'::text)"),
                                              std::string("((status)::text = 'queued'::text)").size(),
                                              "(((status)::text = 'queued'::text) AND (owner = 'x'::text))");
        const auto f = run(queue_calls({"queued", "queued", "queued"}, {"s1", "s2", "s3"}, false, plan.c_str()),
                           config_with(), &cat, true);
        REQUIRE(f.size() == 1);
        CHECK(f[0].index_needs[0].predicate.empty());
    }
    SECTION("no plan (offline): nothing shows the value is rare") {
        workload::Workload w = queue_calls({"queued", "queued", "queued"}, {"s1", "s2", "s3"}, false);
        w.shapes[0].plan.reset();
        const auto f = run(w, config_with(), &cat, true);
        REQUIRE(f.size() == 1);
        CHECK(f[0].confidence == Confidence::Low);
        CHECK(f[0].index_needs[0].predicate.empty());
    }
}

TEST_CASE("a partial index's value is written without --show-literals only when it is a code constant seen widely",
          "[rules][seq-scan]") {
    auto cat = schema(kJobsDdl, {{"jobs", 400000}});
    auto withheld = [](const Finding& f, const std::string& value, const std::string& why) {
        CHECK(f.index_needs[0].predicate.empty());
        CHECK(f.index_needs[0].equality_columns == std::vector<std::string>{"status"});
        CHECK(contains(f.explanation, "--show-literals writes it"));
        CHECK(contains(f.explanation, why));
        // Neither the value nor a placeholder reaches the SQL or the text.
        CHECK_FALSE(contains(f.explanation, value));
        CHECK_FALSE(contains(f.fix_sql, value));
        CHECK_FALSE(contains(f.fix_sql, "<"));
        CHECK(sql::parses(f.fix_sql));
    };
    SECTION("a value that may be user data") {
        const auto w = queue_calls({"Alice Martin", "Alice Martin", "Alice Martin"}, {"s1", "s2", "s3"}, true);
        withheld(only_jobs_finding(run(w, config_with(), &cat)), "Alice", "does not look like a code constant");
        // --show-literals: any value seen in every call may be written, quoted as a literal.
        const auto shown = only_jobs_finding(run(w, config_with(), &cat, true));
        CHECK(shown.index_needs[0].predicate == "status = 'Alice Martin'");
    }
    SECTION("a code constant from one session only") {
        const auto w = queue_calls({"queued", "queued", "queued"}, {"s1", "s1", "s1"}, false);
        withheld(only_jobs_finding(run(w, config_with(), &cat)), "queued", "from one session");
        CHECK(only_jobs_finding(run(w, config_with(), &cat, true)).index_needs[0].predicate == "status = 'queued'");
    }
    SECTION("a one-digit flag from several sessions is a code constant") {
        const auto w = queue_calls({"1", "1", "1"}, {"s1", "s2", "s3"}, true);
        CHECK(only_jobs_finding(run(w, config_with(), &cat)).index_needs[0].predicate == "status = '1'");
    }
}

TEST_CASE("lower(col) = $1 asks for an expression index; an existing one keeps it quiet",
          "[rules][seq-scan][offline]") {
    const std::string ddl = "CREATE TABLE users (id int PRIMARY KEY, email varchar(200), name text);";
    workload::Workload w;
    workload::ShapeInfo s;
    auto r = sql::shape_statement("SELECT id FROM users WHERE lower(email) = $1");
    REQUIRE(r.shape);
    s.shape = r.shape;
    s.fingerprint = r.shape->fingerprint_hex;
    s.normalized = r.shape->normalized;
    s.stats.calls = 10;
    s.stats.total_ms = 100;
    w.shapes.push_back(s);

    auto big = schema(ddl, {{"users", 200000}});
    auto f = run(w, config_with(), &big);
    REQUIRE(f.size() == 1);
    const auto& need = f[0].index_needs.at(0);
    CHECK(need.equality_columns.empty());
    CHECK(need.equality_expressions == std::vector<std::string>{"lower(email)"});
    CHECK(contains(f[0].fix_sql, "((lower(email)))"));
    CHECK(contains(f[0].title, "lower(email)"));

    // The expression index exists: quiet. So does one written with the cast the server prints.
    CHECK(run(w, config_with(), &(big = schema(ddl + "CREATE INDEX ON users (lower(email));", {{"users", 200000}})))
              .empty());
    CHECK(run(w, config_with(),
              &(big = schema(ddl + "CREATE INDEX ON users (lower((email)::text));", {{"users", 200000}})))
              .empty());
    // An index on the bare column does not serve lower(email): still fires.
    CHECK(run(w, config_with(), &(big = schema(ddl + "CREATE INDEX ON users (email);", {{"users", 200000}}))).size() ==
          1);
    // upper() on the other index does not serve lower(): still fires.
    CHECK(run(w, config_with(), &(big = schema(ddl + "CREATE INDEX ON users (upper(email));", {{"users", 200000}})))
              .size() == 1);

    // A function outside the allow-list (md5 is immutable, but not one we propose): no need.
    workload::Workload other;
    auto r2 = sql::shape_statement("SELECT id FROM users WHERE md5(name) = $1");
    REQUIRE(r2.shape);
    s.shape = r2.shape;
    s.fingerprint = r2.shape->fingerprint_hex;
    other.shapes.push_back(s);
    CHECK(run(other, config_with(), &(big = schema(ddl, {{"users", 200000}}))).empty());
}

TEST_CASE("a plan's lower((email)::text) filter on a varchar column asks for (lower(email))", "[rules][seq-scan]") {
    auto w = plans_workload(
        R"(Seq Scan on users  (cost=0.00..4200.00 rows=1 width=4) (actual time=0.020..30.100 rows=1 loops=1)
  Filter: (lower((email)::text) = 'ann@example.com'::text)
  Rows Removed by Filter: 199999
)");
    auto f = run(w);
    REQUIRE(f.size() == 1);
    REQUIRE(f[0].index_needs.size() == 1);
    CHECK(f[0].index_needs[0].equality_expressions == std::vector<std::string>{"lower(email)"});
    CHECK(contains(f[0].fix_sql, "((lower(email)))"));
    CHECK_FALSE(contains(f[0].explanation, "ann@example.com"));  // a value from the plan: only with --show-literals
}

// ---- join keys ---------------------------------------------------------------
// index_advisor's four-table join with data (tests/fixtures/rules/seq-scan/SOURCE.md):
// 1,000,000 reviews, 100,000 books, one book by author 7 with publisher 3.

namespace {

const std::string kJoinFixtures = PGADVISOR_TEST_FIXTURES "/rules/seq-scan/";

const Finding* finding_on(const std::vector<Finding>& f, const std::string& table) {
    for (const auto& x : f)
        if (x.table == table) return &x;
    return nullptr;
}

const char* kBookstoreDdl =
    "CREATE TABLE author (id serial PRIMARY KEY, name text NOT NULL);"
    "CREATE TABLE publisher (id serial PRIMARY KEY, name text NOT NULL, corporate_address text);"
    "CREATE TABLE book (id serial PRIMARY KEY, author_id int NOT NULL REFERENCES author (id),"
    "  publisher_id int NOT NULL REFERENCES publisher (id), title text);"
    "CREATE TABLE review (id serial PRIMARY KEY, book_id int REFERENCES book (id), body text NOT NULL);";

}  // namespace

TEST_CASE("join keys: a Hash Join that reads a big table to join one row asks for its join column",
          "[rules][seq-scan][join-key]") {
    // The server's own plan: a Parallel Seq Scan of review (no filter: every row is probed
    // against the hash of one book) under a Gather; the book side is a filtered Seq Scan.
    const auto f = run(plans_workload(slurp(kJoinFixtures + "fires_hash_join_one_book.json"), "join.json:1"));
    REQUIRE(f.size() == 2);
    const Finding* review = finding_on(f, "review");
    REQUIRE(review);
    INFO(review->explanation);
    CHECK(review->confidence == Confidence::High);
    CHECK(contains(review->title, "Seq Scan on review read in full to join a few rows; no index on (book_id)"));
    CHECK(contains(review->explanation,
                   "EXPLAIN file: a Hash Join reads Parallel Seq Scan on review in full, 999999 rows in "));
    CHECK(contains(review->explanation, "to join them with 3 row(s) of its other side on (review.book_id = book.id)"));
    CHECK(contains(review->explanation, "Nested Loop over an Index Scan"));
    REQUIRE(review->index_needs.size() == 1);
    CHECK(review->index_needs[0].equality_columns == std::vector<std::string>{"book_id"});
    CHECK(review->fix_sql ==
          "CREATE INDEX CONCURRENTLY IF NOT EXISTS review_book_id_idx ON review USING btree (book_id);");
    CHECK(review->estimated_gain_ms > 0);
    CHECK(contains(review->key, "join-key:review(book_id)"));
    // The book side is the filtered scan it always was: its own filter's columns.
    const Finding* book = finding_on(f, "book");
    REQUIRE(book);
    CHECK(contains(book->title, "discards most rows"));
    CHECK(book->index_needs.at(0).equality_columns == std::vector<std::string>{"publisher_id", "author_id"});
}

TEST_CASE("join keys: a Nested Loop that reads a big table once is a join side too", "[rules][seq-scan][join-key]") {
    // enable_hashjoin = off: review is the inner side, scanned once (loops=1, under
    // min_inner_loops), and the Join Filter keeps 10 of its 1,000,000 rows.
    const auto f = run(plans_workload(slurp(kJoinFixtures + "fires_nested_loop_once.json")));
    const Finding* review = finding_on(f, "review");
    REQUIRE(review);
    INFO(review->explanation);
    CHECK(contains(review->explanation, "a Nested Loop reads Seq Scan on review in full, 1000000 rows"));
    CHECK(contains(review->explanation, "with 1 row(s) of its other side on (book.id = review.book_id)"));
    CHECK(contains(review->explanation, "the join keeps 10 row(s)"));
    CHECK(review->index_needs.at(0).equality_columns == std::vector<std::string>{"book_id"});
}

TEST_CASE("join keys: quiet when the other side is big, the join keeps many rows, or an index exists",
          "[rules][seq-scan][join-key][negative]") {
    SECTION("every book with its reviews") {
        // 100,000 books against 1,000,000 reviews: 10 rows read per lookup, and the join keeps all of
        // them. A Hash Join is the right plan.
        const auto w = plans_workload(slurp(kJoinFixtures + "quiet_hash_join_all_books.json"));
        CHECK(run(w).empty());
        // Both thresholds keep it quiet: lowering one alone is not enough.
        CHECK(run(w, config_with({"seq-scan.min_inner_rows_per_loop=5"})).empty());
        CHECK(run(w, config_with({"seq-scan.min_removed_fraction=0"})).empty());
        const auto f = run(w, config_with({"seq-scan.min_inner_rows_per_loop=5", "seq-scan.min_removed_fraction=0"}));
        REQUIRE(f.size() == 1);
        CHECK(f[0].table == "review");
    }
    SECTION("an index on the join column exists: the planner's choice, another problem") {
        const auto w = plans_workload(slurp(kJoinFixtures + "fires_hash_join_one_book.json"));
        auto without = schema(kBookstoreDdl, {{"review", 1000000}, {"book", 100000}});
        CHECK(finding_on(run(w, config_with(), &without), "review"));  // control: fires without the index
        auto with = schema(std::string(kBookstoreDdl) + "CREATE INDEX ON review (book_id);",
                           {{"review", 1000000}, {"book", 100000}});
        CHECK_FALSE(finding_on(run(w, config_with(), &with), "review"));
    }
    SECTION("a full join, which no Nested Loop can run") {
        auto w = plans_workload(
            R"(Hash Full Join  (cost=8.30..20000.00 rows=10 width=8) (actual time=0.1..150.0 rows=10 loops=1)
  Hash Cond: (r.book_id = b.id)
  ->  Seq Scan on review r  (cost=0.00..17352.00 rows=1000000 width=4) (actual time=0.01..100.0 rows=1000000 loops=1)
  ->  Hash  (cost=8.29..8.29 rows=1 width=4) (actual time=0.02..0.02 rows=1 loops=1)
        ->  Index Scan using book_pkey on book b  (cost=0.28..8.29 rows=1 width=4) (actual time=0.01..0.01 rows=1 loops=1)
              Index Cond: (id = 7)
)");
        CHECK(run(w).empty());
        // The same plan as an inner join fires: the join type is what keeps it quiet.
        auto inner = plans_workload(
            R"(Hash Join  (cost=8.30..20000.00 rows=10 width=8) (actual time=0.1..150.0 rows=10 loops=1)
  Hash Cond: (r.book_id = b.id)
  ->  Seq Scan on review r  (cost=0.00..17352.00 rows=1000000 width=4) (actual time=0.01..100.0 rows=1000000 loops=1)
  ->  Hash  (cost=8.29..8.29 rows=1 width=4) (actual time=0.02..0.02 rows=1 loops=1)
        ->  Index Scan using book_pkey on book b  (cost=0.28..8.29 rows=1 width=4) (actual time=0.01..0.01 rows=1 loops=1)
              Index Cond: (id = 7)
)");
        const auto f = run(inner);
        REQUIRE(f.size() == 1);
        CHECK(f[0].index_needs.at(0).equality_columns == std::vector<std::string>{"book_id"});
    }
}

TEST_CASE("join keys offline: a big table joined to a row the statement narrows to one",
          "[rules][seq-scan][join-key]") {
    auto shape_info = [](const std::string& text) {
        workload::ShapeInfo s;
        auto r = sql::shape_statement(text);
        REQUIRE(r.shape);
        s.shape = r.shape;
        s.fingerprint = r.shape->fingerprint_hex;
        s.normalized = r.shape->normalized;
        s.stats.calls = 6;
        s.stats.timed_calls = 6;
        s.stats.total_ms = 1000;
        return s;
    };
    auto run_one = [&](const std::string& text, const catalog::Catalog& cat) {
        workload::Workload w;
        w.shapes.push_back(shape_info(text));
        return run(w, config_with(), &cat);
    };
    const std::map<std::string, double> rows = {
        {"author", 1000}, {"publisher", 100}, {"book", 100000}, {"review", 1000000}};
    const auto cat = schema(kBookstoreDdl, rows);

    SECTION("index_advisor's four-table join: book joins one author and one publisher") {
        // author.id and publisher.id are primary keys compared with parameters: one row each. book
        // joins both on columns no index starts with. review joins book, which may give many rows
        // (author_id is no unique key): nothing says review's side is small, so it stays quiet.
        const auto f = run_one(
            "SELECT book.id, book.title, publisher.name, author.name, review.body FROM book "
            "JOIN publisher ON book.publisher_id = publisher.id JOIN author ON book.author_id = author.id "
            "JOIN review ON book.id = review.book_id WHERE author.id = $1 AND publisher.id = $2",
            cat);
        REQUIRE(f.size() == 1);
        INFO(f[0].explanation);
        CHECK(f[0].table == "book");
        CHECK(f[0].confidence == Confidence::Low);
        CHECK(f[0].index_needs.at(0).equality_columns == std::vector<std::string>{"publisher_id", "author_id"});
        CHECK(contains(f[0].title, "to join a row the statement narrows to one"));
        CHECK(contains(f[0].explanation, "joins book.publisher_id to publisher, book.author_id to author"));
        CHECK(contains(f[0].explanation, "low confidence"));
    }
    SECTION("one order, then its lines, then the product of one line: the join follows unique keys") {
        auto shop = schema(
            "CREATE TABLE orders (id int PRIMARY KEY, customer_id int);"
            "CREATE TABLE order_lines (id int PRIMARY KEY, order_id int, product_id int, status text);"
            "CREATE TABLE customers (id int PRIMARY KEY, name text);"
            "CREATE TABLE addresses (id int PRIMARY KEY, customer_id int, city text);",
            {{"orders", 100000}, {"order_lines", 500000}, {"customers", 50000}, {"addresses", 80000}});
        // orders gives one row (its primary key); customers too (joined on its primary key to that row);
        // so addresses.customer_id and order_lines.order_id are join keys, the latter with its own filter.
        const auto f = run_one(
            "SELECT * FROM orders o JOIN customers c ON c.id = o.customer_id JOIN addresses a ON a.customer_id = c.id "
            "JOIN order_lines l ON l.order_id = o.id WHERE o.id = $1 AND l.status = $2",
            shop);
        REQUIRE(f.size() == 2);
        const Finding* lines = finding_on(f, "order_lines");
        const Finding* addresses = finding_on(f, "addresses");
        REQUIRE(lines);
        REQUIRE(addresses);
        CHECK(lines->index_needs.at(0).equality_columns == std::vector<std::string>{"order_id", "status"});
        CHECK(addresses->index_needs.at(0).equality_columns == std::vector<std::string>{"customer_id"});
    }
    SECTION("look-alikes stay quiet") {
        // The narrowing value is in JOIN ON: on a LEFT JOIN's nullable side it keeps every book.
        CHECK(run_one("SELECT * FROM review r LEFT JOIN book b ON b.id = r.book_id AND b.id = $1", cat).empty());
        // A non-unique column compared with a parameter says nothing of how many rows it keeps.
        CHECK(run_one("SELECT * FROM book b JOIN review r ON r.book_id = b.id WHERE b.author_id = $1", cat).size() ==
              1);
        // ...that one finding is book's own predicate, not a join key on review.
        CHECK(run_one("SELECT * FROM book b JOIN review r ON r.book_id = b.id WHERE b.author_id = $1", cat)[0].table ==
              "book");
        // An index that starts with the join column serves it.
        auto indexed = schema(std::string(kBookstoreDdl) + "CREATE INDEX ON review (book_id);", rows);
        CHECK(run_one("SELECT r.body FROM book b JOIN review r ON r.book_id = b.id WHERE b.id = $1", indexed).empty());
        // Control: without that index the same statement fires on review (book_id).
        const auto f = run_one("SELECT r.body FROM book b JOIN review r ON r.book_id = b.id WHERE b.id = $1", cat);
        REQUIRE(f.size() == 1);
        CHECK(f[0].index_needs.at(0).equality_columns == std::vector<std::string>{"book_id"});
        // A small table (under min_table_rows) joined to one row: quiet.
        auto small = schema(kBookstoreDdl, {{"review", 5000}});
        CHECK(run_one("SELECT r.body FROM book b JOIN review r ON r.book_id = b.id WHERE b.id = $1", small).empty());
    }
}
