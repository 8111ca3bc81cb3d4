// unused-index: idx_scan = 0 from a live server. The real-statistics case is in
// tests/integration/hygiene_rules_test.cpp; here the catalog's fields are set by hand
// to pin down each condition.
#include "hygiene_support.hpp"

#include <memory>

#include "ingest/explain.hpp"
#include "sql/shape.hpp"
#include "workload/workload.hpp"

using namespace hygiene_test;

namespace {

pgadvisor::catalog::Catalog with_scans(long long status_scans) {
    auto cat = ddl(
        "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, status text, "
        "email text UNIQUE);\n"
        "CREATE INDEX orders_status ON orders (status);\n");
    for (auto& i : cat.indexes) {
        i.idx_scan = 0;  // as a fresh server reports every index
        i.size_bytes = 8192;
    }
    cat.find_index("public", "orders_status")->idx_scan = status_scans;
    cat.stats_age_days = 30;
    cat.stats_since = "reset at 2026-01-01";
    return cat;
}

}  // namespace

TEST_CASE("unused-index: live idx_scan = 0 on a plain index", "[rules][unused-index]") {
    auto f = on_catalog("unused-index", with_scans(0), true);
    // orders_pkey and orders_email_key enforce constraints: only the plain index.
    REQUIRE(f.size() == 1);
    CHECK(f[0].key == "public.orders_status");
    CHECK(f[0].title == "index orders_status on public.orders has never been scanned");
    CHECK(f[0].confidence == pgadvisor::rules::Confidence::High);
    CHECK(f[0].explanation.find("30.0 days (reset at 2026-01-01)") != std::string::npos);
    CHECK(f[0].fix_sql == "DROP INDEX CONCURRENTLY IF EXISTS public.orders_status;");
}

TEST_CASE("unused-index: offline it never fires", "[rules][unused-index]") {
    CHECK(on_catalog("unused-index", with_scans(0), false).empty());
}

TEST_CASE("unused-index: a scanned index stays quiet", "[rules][unused-index]") {
    CHECK(on_catalog("unused-index", with_scans(1), true).empty());
}

TEST_CASE("unused-index: unknown idx_scan stays quiet", "[rules][unused-index]") {
    CHECK(on_catalog("unused-index", with_scans(-1), true).empty());
}

TEST_CASE("unused-index: young statistics lower the confidence, unknown age says so", "[rules][unused-index]") {
    auto cat = with_scans(0);
    cat.stats_age_days = 0.5;
    auto f = on_catalog("unused-index", cat, true);
    REQUIRE(f.size() == 1);
    CHECK(f[0].confidence == pgadvisor::rules::Confidence::Low);
    CHECK(f[0].explanation.find("less than 7 days") != std::string::npos);
    cat.stats_age_days = -1;
    f = on_catalog("unused-index", cat, true);
    REQUIRE(f.size() == 1);
    CHECK(f[0].confidence == pgadvisor::rules::Confidence::Medium);
    CHECK(f[0].explanation.find("not known how long") != std::string::npos);
}

TEST_CASE("unused-index: unique, invalid and small indexes stay quiet", "[rules][unused-index]") {
    auto cat = with_scans(0);
    cat.find_index("public", "orders_status")->unique = true;  // enforces uniqueness even unscanned
    CHECK(on_catalog("unused-index", cat, true).empty());
    cat = with_scans(0);
    cat.find_index("public", "orders_status")->valid = false;  // a failed build: another problem
    CHECK(on_catalog("unused-index", cat, true).empty());
    cat = with_scans(0);
    CHECK(on_catalog("unused-index", cat, true, {"unused-index.min_size_bytes=16384"}).empty());
}

TEST_CASE("unused-index: an index serving a foreign key is kept unless asked", "[rules][unused-index]") {
    auto cat = ddl(
        "CREATE TABLE c (id int PRIMARY KEY);\n"
        "CREATE TABLE o (id int PRIMARY KEY, c_id int REFERENCES c (id));\n"
        "CREATE INDEX o_c_id ON o (c_id);\n");
    for (auto& i : cat.indexes) i.idx_scan = 0;
    CHECK(on_catalog("unused-index", cat, true).empty());
    auto f = on_catalog("unused-index", cat, true, {"unused-index.ignore_fk_indexes=false"});
    REQUIRE(f.size() == 1);
    CHECK(f[0].explanation.find("serves the foreign key o_c_id_fkey") != std::string::npos);
}

TEST_CASE("unused-index: the doc page's example", "[rules][unused-index][doc]") {
    const auto fires = doc_example("unused-index", "fires");
    const auto quiet = doc_example("unused-index", "quiet");
    REQUIRE(!fires.empty());
    REQUIRE(!quiet.empty());
    for (const auto* text : {&fires, &quiet}) {
        auto cat = ddl(*text);
        for (auto& i : cat.indexes) i.idx_scan = 0;  // the page's premise: nothing scanned them
        CHECK(on_catalog("unused-index", cat, true).size() == (text == &fires ? 1u : 0u));
    }
}

namespace {

// A shape of the analysed workload with the plan its log carried (auto_explain text).
pgadvisor::workload::ShapeInfo logged_shape(const std::string& normalized, long long calls, const std::string& plan) {
    pgadvisor::workload::ShapeInfo s;
    auto r = pgadvisor::sql::shape_statement(normalized);
    REQUIRE(r.shape);
    s.shape = r.shape;
    s.fingerprint = r.shape->fingerprint_hex;
    s.normalized = r.shape->normalized;
    s.stats.calls = calls;
    if (!plan.empty()) {
        auto parsed = pgadvisor::ingest::parse_explain(plan);
        REQUIRE(parsed.plans.size() == 1);
        s.plan = std::make_shared<pgadvisor::ingest::Plan>(parsed.plans[0]);
    }
    return s;
}

std::vector<pgadvisor::rules::Finding> on_workload(const pgadvisor::catalog::Catalog& cat,
                                                   const pgadvisor::workload::Workload& w) {
    auto rule = make_rule("unused-index");
    pgadvisor::rules::RuleInput in;
    in.catalog = &cat;
    in.catalog_is_live = true;
    in.workload = &w;
    std::vector<pgadvisor::rules::Finding> out;
    rule->finish(in, out);
    return out;
}

}  // namespace

// issue 13, class 7: idx_scan = 0 (statistics reset, or another server ran the reads) while
// 40 statements of the analysed log read through the index: it is used, never a drop.
TEST_CASE("unused-index: an index the workload's own plans use is never proposed for dropping",
          "[rules][unused-index]") {
    const auto cat = with_scans(0);
    pgadvisor::workload::Workload w;
    w.shapes.push_back(logged_shape("SELECT * FROM orders WHERE status = $1", 40,
                                    "Bitmap Heap Scan on orders  (cost=4.18..12.64 rows=4 width=72)\n"
                                    "  Recheck Cond: (status = 'paid'::text)\n"
                                    "  ->  Bitmap Index Scan on orders_status  (cost=0.00..4.18 rows=4 width=0)\n"
                                    "        Index Cond: (status = 'paid'::text)\n"));
    CHECK(on_workload(cat, w).empty());

    // The same workload without that plan: still reported, and it says what was checked.
    pgadvisor::workload::Workload other;
    other.shapes.push_back(logged_shape("SELECT * FROM orders WHERE id = $1", 7,
                                        "Index Scan using orders_pkey on orders  (cost=0.15..8.17 rows=1 width=72)\n"
                                        "  Index Cond: (id = 1)\n"));
    other.shapes.push_back(logged_shape("SELECT * FROM orders WHERE customer_id = $1", 3, ""));
    auto f = on_workload(cat, other);
    REQUIRE(f.size() == 1);
    CHECK(f[0].key == "public.orders_status");
    CHECK(f[0].explanation.find("1 statement shape(s), 7 logged statement(s), checked (1 plan(s) from the inputs") !=
          std::string::npos);
    // The unplanned shape might be the one that uses it: said, and low confidence.
    CHECK(f[0].explanation.find("1 shape(s) could not be checked") != std::string::npos);
    CHECK(f[0].confidence == pgadvisor::rules::Confidence::Low);
}
