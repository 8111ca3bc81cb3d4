// Offline, the log's durations are evidence of a table's size (issue 15): a
// stderr log whose lookup by an unindexed column takes 409 ms, against a DDL
// schema without statistics, gets a seq-scan finding and an index whose gain is
// a realistic share of those 409 ms, with the method naming the evidence; the
// same lookup at 0.05 ms gets nothing; --assume-rows overrides the evidence.
#include <catch2/catch.hpp>

#include <fmt/core.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "advise/advise.hpp"
#include "cli/analysis.hpp"

using namespace pgadvisor;
namespace fs = std::filesystem;

namespace {

const char* kSchema =
    "CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);\n"
    "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, status text NOT NULL, total numeric);\n";

// A stderr log (log_min_duration_statement = 0) of twenty requests, each its
// own session (no loop for n-plus-one to see): a customer looked up by its
// primary key, then its orders by customer_id, `ms` each.
std::string lookup_log(double ms) {
    std::string log;
    for (int i = 0; i < 20; ++i) {
        const int sec = 2 * i, pid = 5000 + i;
        log += fmt::format(
            "2026-01-01 00:00:{:02d}.000 UTC [{}] user=app,db=shop LOG:  duration: 0.040 ms  statement: SELECT "
            "name FROM customers WHERE id = {}\n",
            sec, pid, 1000 + i);
        log += fmt::format(
            "2026-01-01 00:00:{:02d}.500 UTC [{}] user=app,db=shop LOG:  duration: {:.3f} ms  statement: SELECT "
            "id, status, total FROM orders WHERE customer_id = {}\n",
            sec, pid, ms, 1000 + i);
    }
    return log;
}

struct Run {
    cli::Analysis analysis;
    advise::Advice advice;
};

Run analyze(double ms, std::vector<std::string> assume_rows = {}) {
    const fs::path dir = fs::temp_directory_path() /
                         fmt::format("pgadvisor-offline-evidence-{}-{}", ::getpid(), static_cast<long>(ms * 1000));
    fs::create_directories(dir);
    std::ofstream(dir / "postgresql.log") << lookup_log(ms);
    std::ofstream(dir / "schema.sql") << kSchema;
    cli::AnalysisOptions o;
    o.inputs = {(dir / "postgresql.log").string()};
    o.catalog.schema_file = (dir / "schema.sql").string();
    o.catalog.assume_rows = std::move(assume_rows);
    o.rules = rules::load_default_rules();
    Run run;
    run.analysis = cli::run_analysis(o, "test");
    REQUIRE(run.analysis.error.empty());
    advise::AdviceInput in;
    in.findings = &run.analysis.findings;
    in.workload = &run.analysis.workload;
    in.catalog = &*run.analysis.catalog.catalog;
    run.advice = advise::advise(in, {});
    fs::remove_all(dir);
    return run;
}

const rules::Finding* seq_scan_on(const Run& run, const std::string& table) {
    for (const auto& f : run.analysis.findings)
        if (f.rule_id == "seq-scan" && f.table == table) return &f;
    return nullptr;
}

const advise::Recommendation* index_on(const Run& run, const std::string& table) {
    for (const auto& r : run.advice.recommendations)
        if (r.kind != advise::RecommendationKind::RewriteStatement && r.index.table == table) return &r;
    return nullptr;
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("offline, a 409 ms lookup by an unindexed column is a seq-scan with a gain from its own time",
          "[cli][offline-evidence]") {
    const Run run = analyze(409);
    // Before: the table was assumed to hold 1,000 rows, below seq-scan's min_table_rows: no finding.
    const rules::Finding* f = seq_scan_on(run, "orders");
    REQUIRE(f);
    REQUIRE(f->index_needs.size() == 1);
    CHECK(f->index_needs[0].equality_columns == std::vector<std::string>{"customer_id"});
    CHECK(contains(f->explanation, "inferred from the logged durations"));
    CHECK(contains(f->explanation, "an inference from the schema and the logged durations"));

    const advise::Recommendation* r = index_on(run, "orders");
    REQUIRE(r);
    REQUIRE(r->index.keys.size() == 1);
    CHECK(r->index.keys[0].column == "customer_id");
    CHECK(r->gain.method == advise::GainMethod::CostModel);
    // Before: "0.06 ms per call". Now a realistic share of the 409 ms the log measured:
    // the scan of ~4 million rows goes, index lookups of its matching rows remain.
    CHECK(r->gain.ms_per_call > 0.25 * 409);
    CHECK(r->gain.ms_per_call < 0.95 * 409);
    CHECK(contains(r->gain.method_detail, "a Seq Scan of 4090000 rows (at most, inferred from the logged durations"));
    // The primary-key lookups are served already: no evidence, no finding, no index.
    CHECK_FALSE(seq_scan_on(run, "customers"));
    CHECK_FALSE(index_on(run, "customers"));
}

TEST_CASE("offline, a fast lookup by an unindexed column gets no invented gain", "[cli][offline-evidence]") {
    const Run run = analyze(0.05);
    // 0.05 ms reads at most ~500 rows: no table worth an index.
    CHECK(run.analysis.findings.empty());
    CHECK(run.advice.recommendations.empty());
}

TEST_CASE("offline, --assume-rows overrides the log's evidence", "[cli][offline-evidence]") {
    SECTION("a small table by the user's word: no finding, whatever the time") {
        const Run run = analyze(409, {"orders=1000"});
        CHECK_FALSE(seq_scan_on(run, "orders"));
        CHECK_FALSE(index_on(run, "orders"));
    }
    SECTION("a large one: the estimate uses the user's count and says so") {
        const Run run = analyze(409, {"orders=2000000"});
        const rules::Finding* f = seq_scan_on(run, "orders");
        REQUIRE(f);
        CHECK(contains(f->explanation, "about 2000000 rows (as given by --assume-rows)"));
        const advise::Recommendation* r = index_on(run, "orders");
        REQUIRE(r);
        CHECK(contains(r->gain.method_detail, "a Seq Scan of 2000000 rows (as given by --assume-rows)"));
        CHECK_FALSE(contains(r->gain.method_detail, "logged durations"));
    }
}

TEST_CASE("offline, a logged plan's Seq Scan sizes its table for the statements that have no plan",
          "[cli][offline-evidence]") {
    // The shop capture: an EXPLAIN ANALYZE of the daily_counters lookup read 14,624 rows; the
    // log's own UPDATE and SELECT of that table by (day, name) have no plan.
    const std::string captured = PGADVISOR_SOURCE_DIR "/examples/shop/captured";
    cli::AnalysisOptions o;
    o.inputs = {captured};
    o.catalog.schema_file = captured + "/schema.sql";
    o.rules = rules::load_default_rules();
    const cli::Analysis a = cli::run_analysis(o, "test");
    REQUIRE(a.error.empty());
    const auto sizes = a.workload.table_sizes.find("public.daily_counters");
    REQUIRE(sizes != a.workload.table_sizes.end());
    CHECK(sizes->second.source == catalog::RowsSource::LoggedPlans);
    CHECK(sizes->second.rows == 14624);
    int offline = 0;
    for (const auto& f : a.findings) {
        if (f.rule_id != "seq-scan" || f.table != "daily_counters" || f.key.rfind("offline:", 0) != 0) continue;
        ++offline;
        // Before: the default guess of 1,000 rows, below min_table_rows: no offline finding.
        CHECK(contains(f.title, "a table of about 14624 rows"));
        CHECK(contains(f.explanation, "the most rows a Seq Scan of it read in 1 logged plan"));
        CHECK(contains(f.explanation, "an inference from the schema and the logged plans"));
    }
    CHECK(offline == 2);
}
