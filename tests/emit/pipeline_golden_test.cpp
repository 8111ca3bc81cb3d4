// Golden output of the whole pipeline: the log captured from PostgreSQL 15 in
// tests/fixtures/workload/shop-session.log, with its schema offline, through
// ingest, workload, rules and advise, rendered in every migration layout.
// A change in any stage that changes what a user gets shows up here.
#include <catch2/catch.hpp>

#include <filesystem>

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

}  // namespace

TEST_CASE("pipeline: the shop session's migrations match their golden files in every layout",
          "[migrations][pipeline]") {
    // Relative paths, so locations do not depend on where the checkout is.
    CurrentDir cd(PGADVISOR_TEST_FIXTURES);
    cli::AnalysisOptions o;
    o.inputs = {"workload/shop-session.log"};
    o.catalog.schema_file = "advise/shop-session-schema.sql";
    o.catalog.assume_rows = {"orders=400000", "order_items=2000000", "customers=50000", "cart_items=100000"};
    o.rules = rules::load_default_rules();
    auto a = cli::run_analysis(o, "test");
    REQUIRE(a.error.empty());

    advise::AdviceInput in;
    in.findings = &a.findings;
    in.workload = &a.workload;
    in.catalog = &*a.catalog.catalog;
    auto advice = advise::advise(in, {});

    // What the files must hold, before any snapshot: the order_items lookup of
    // the N+1 loop is indexed and batched, the cart check-then-insert gets its
    // unique index with the UPSERT.
    bool items_index = false, batch = false, unique = false;
    for (const auto& r : advice.recommendations) {
        items_index |= r.kind == advise::RecommendationKind::CreateIndex && r.index.table == "order_items" &&
                       r.index.keys.size() == 1 && r.index.keys[0].column == "order_id";
        batch |= r.kind == advise::RecommendationKind::RewriteStatement &&
                 r.review_sql.find("ANY") != std::string::npos;
        unique |= r.kind == advise::RecommendationKind::CreateUniqueIndex && r.index.table == "cart_items" &&
                  r.review_sql.find("ON CONFLICT") != std::string::npos;
    }
    CHECK(items_index);
    CHECK(batch);
    CHECK(unique);

    for (auto layout : {catalog::MigrationLayout::Plain, catalog::MigrationLayout::Flyway,
                        catalog::MigrationLayout::GolangMigrate, catalog::MigrationLayout::Prisma}) {
        SECTION(catalog::to_string(layout)) {
            emit::MigrationOptions mo;
            mo.layout = layout;
            mo.timestamp = "20260101120000";
            mo.tool_version = "0.1.0-test";
            const auto files = emit::render_migrations(advice.recommendations, mo);
            for (const auto& f : files) CHECK(f.content.find("example.com") == std::string::npos);  // no literal leaks
            test::check_golden_dir(fs::path(PGADVISOR_TEST_FIXTURES) / "emit" / "pipeline" / catalog::to_string(layout),
                                   files);
        }
    }
}
