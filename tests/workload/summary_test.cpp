// Per-shape aggregation (shapes, sessions, time span) and the background
// aggregator, over logs read by the ingest stage.
#include <catch2/catch.hpp>

#include "../ingest/test_support.hpp"
#include "workload/summary.hpp"

using namespace pgadvisor::ingest::test;
using namespace pgadvisor::workload;

TEST_CASE("summary of a pgbench log: pgbench's 7 statement shapes, sessions, time span", "[workload][summary]") {
    // pgbench's TPC-B script sends 7 statements: BEGIN, 3 UPDATEs, SELECT, INSERT, END.
    auto r = ingest_path(corpus("logs/pgbadger/light.postgres.log"));
    Aggregator agg;
    for (const auto& s : r.statements) agg.add(s);
    const auto& sum = agg.summary();
    CHECK(sum.statements == 629);
    CHECK(sum.shapes.size() == 7);
    CHECK(sum.libpg_calls == 7);  // one libpg_query call per distinct key
    CHECK(sum.keyed_fast == 629 - 7);
    CHECK(sum.first_ts == "2017-09-06 08:41:41 UTC");
    CHECK(sum.last_ts == "2017-09-06 09:01:28 UTC");  // tail -1 light.postgres.log
    long long calls = 0;
    for (const auto& s : sum.shapes) {
        calls += s.calls;
        CHECK(s.parses);
        CHECK(s.normalized.find("72639") == std::string::npos);  // a literal of line 3 is gone
    }
    CHECK(calls == 629);
    auto top = sum.top_by_total(1);
    REQUIRE(top.size() == 1);
    CHECK(top[0]->normalized == "UPDATE pgbench_tellers SET tbalance = tbalance + $1 WHERE tid = $2;");
    CHECK(top[0]->p95_ms() >= top[0]->mean_ms());
}

TEST_CASE("the background aggregator gives the same summary as the plain one", "[workload][summary]") {
    auto r = ingest_path(fixture("pg15-workload.log"));
    Aggregator plain;
    for (const auto& s : r.statements) plain.add(s);
    BackgroundAggregator bg;
    for (auto s : r.statements) bg.add(std::move(s));
    const auto& a = plain.summary();
    const auto& b = bg.finish().summary();
    CHECK(a.statements == b.statements);
    CHECK(a.errors == b.errors);
    CHECK(a.with_plan == b.with_plan);
    CHECK(a.sessions == b.sessions);
    REQUIRE(a.shapes.size() == b.shapes.size());
    for (std::size_t i = 0; i < a.shapes.size(); ++i) {
        CHECK(a.shapes[i].fingerprint == b.shapes[i].fingerprint);
        CHECK(a.shapes[i].calls == b.shapes[i].calls);
        CHECK(a.shapes[i].total_ms == b.shapes[i].total_ms);
    }
}
