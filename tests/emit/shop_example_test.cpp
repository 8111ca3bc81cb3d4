// The bundled example, end to end offline: examples/shop/captured (the log of
// examples/shop/driver.cpp against PostgreSQL 15, its pg_dump schema and plans,
// see its SOURCE.md) through the whole pipeline must find every planted
// problem, none of the negative controls, and give exactly the reviewed
// migrations committed in migrations/ (what `pgadvisor analyze
// examples/shop/captured/ --out migrations --timestamp 20260101000000` wrote).
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "advise/advise.hpp"
#include "cli/analysis.hpp"
#include "golden_files.hpp"

using namespace pgadvisor;
namespace fs = std::filesystem;

namespace {

struct CurrentDir {
    fs::path saved = fs::current_path();
    explicit CurrentDir(const fs::path& to) { fs::current_path(to); }
    ~CurrentDir() { fs::current_path(saved); }
};

std::string keys_of(const advise::Recommendation& r) {
    std::string s;
    for (const auto& k : r.index.keys) {
        if (!s.empty()) s += ",";
        s += k.column;
    }
    return s;
}

}  // namespace

TEST_CASE("shop example: every planted problem is advised, no control is, and migrations/ is its golden output",
          "[migrations][example]") {
    // From the repository root, with the same relative paths as the command
    // line, so the evidence's file:line locations match the committed files.
    CurrentDir cd(PGADVISOR_SOURCE_DIR);
    cli::AnalysisOptions o;
    // What `analyze examples/shop/captured/` reads: schema.sql as the schema,
    // the other entries in name order (SOURCE.md is a note, not a log).
    o.inputs = {"examples/shop/captured/plans", "examples/shop/captured/postgresql.log"};
    o.catalog.schema_file = "examples/shop/captured/schema.sql";
    o.rules = rules::load_default_rules();
    auto a = cli::run_analysis(o, "test");
    REQUIRE(a.error.empty());
    CHECK(a.ingest.issues.total() == 0);  // every line of the capture was read

    advise::AdviceInput in;
    in.findings = &a.findings;
    in.workload = &a.workload;
    in.catalog = &*a.catalog.catalog;
    advise::AdviseOptions ao;
    ao.max_new_indexes_per_table = 3;  // the command line's defaults
    ao.round_trip_ms = 0.3;
    const auto advice = advise::advise(in, ao);

    std::set<std::string> indexes, unique_indexes, batches, upserts;
    for (const auto& r : advice.recommendations) {
        INFO(r.title);
        switch (r.kind) {
            case advise::RecommendationKind::CreateIndex: indexes.insert(r.index.table + "(" + keys_of(r) + ")"); break;
            case advise::RecommendationKind::CreateUniqueIndex:
                unique_indexes.insert(r.index.table + "(" + keys_of(r) + ")");
                if (r.review_sql.find("ON CONFLICT") != std::string::npos) upserts.insert(r.index.table);
                break;
            case advise::RecommendationKind::RewriteStatement:
                if (r.review_sql.find("= ANY($1)") != std::string::npos) batches.insert(r.review_sql);
                break;
        }
    }
    // The planted unindexed filters: orders (customer_id, status), orders
    // created_at range + ORDER BY, order_items by order_id (also the N+1's lookup).
    CHECK(indexes ==
          std::set<std::string>{"order_items(order_id)", "orders(customer_id,status)", "orders(created_at)"});
    // The two check-then-inserts: their unique indexes and UPSERTs.
    CHECK(unique_indexes == std::set<std::string>{"cart_items(cart_id,product_id)", "daily_counters(day,name)"});
    CHECK(upserts == std::set<std::string>{"cart_items", "daily_counters"});
    // The two N+1 loops, batched; products needs no index (its primary key serves the lookup).
    CHECK(batches ==
          std::set<std::string>{
              "SELECT id, product_id, quantity, unit_price, order_id FROM order_items WHERE order_id = ANY($1)",
              "SELECT id, sku, name, price FROM products WHERE id = ANY($1)"});

    // The negative controls are in no finding: the 10-row order_statuses scan,
    // products by sku (indexed), customers by email (unique), once per request.
    std::set<std::string> rules_seen;
    for (const auto& f : a.findings) {
        rules_seen.insert(f.rule_id);
        for (const auto& s : f.statements) {
            INFO(f.rule_id << ": " << f.title);
            CHECK(s.normalized.find("order_statuses") == std::string::npos);
            CHECK(s.normalized.find("sku =") == std::string::npos);
            CHECK(s.normalized.find("email =") == std::string::npos);
        }
    }
    CHECK(rules_seen.count("n-plus-one"));
    CHECK(rules_seen.count("check-then-insert"));
    CHECK(rules_seen.count("seq-scan"));

    emit::MigrationOptions mo;
    mo.layout = catalog::MigrationLayout::Plain;
    mo.timestamp = "20260101000000";
    mo.tool_version = PGADVISOR_VERSION;
    const auto files = emit::render_migrations(advice.recommendations, mo);
    for (const auto& f : files) CHECK(f.content.find("@example.com") == std::string::npos);  // no literal leaks
    test::check_golden_dir(fs::path(PGADVISOR_SOURCE_DIR) / "migrations", files);
}
