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

namespace {
pgadvisor::ingest::Statement statement(const std::string& text, double ms) {
    pgadvisor::ingest::Statement s;
    s.text = text;
    s.duration_ms = ms;
    return s;
}
}  // namespace

// libpg_query's fingerprint ignores runs of two or more digits in relation
// names: orders_2024 and orders_2025, t10 ... t299 fingerprint alike. They are
// different tables, so different shapes with their own statistics (issue 13, class 6).
TEST_CASE("tables whose names differ only in digits are different shapes", "[workload][summary]") {
    Aggregator agg;
    for (int i = 0; i < 3; ++i) agg.add(statement("SELECT * FROM orders_2024 WHERE cust = $1", 2.0));
    agg.add(statement("SELECT * FROM orders_2025 WHERE cust = $1", 5.0));
    agg.add(statement("SELECT * FROM orders WHERE cust = $1", 1.0));
    agg.add(statement("select * from ORDERS_2025 where cust = $1", 5.0));  // the same table: the same shape
    for (int n = 10; n < 300; ++n) agg.add(statement("SELECT * FROM t" + std::to_string(n) + " WHERE cust = 7", n));
    const auto& sum = agg.summary();
    REQUIRE(sum.shapes.size() == 3 + 290);
    CHECK(sum.shapes[0].calls == 3);
    CHECK(sum.shapes[0].total_ms == 6.0);
    CHECK(sum.shapes[0].normalized.find("orders_2024") != std::string::npos);
    CHECK(sum.shapes[1].calls == 2);
    CHECK(sum.shapes[1].total_ms == 10.0);
    CHECK(sum.shapes[1].normalized.find("orders_2025") != std::string::npos);
    CHECK(sum.shapes[2].calls == 1);
    // The identity: the fingerprint, then the names where one holds a run of digits.
    const std::string fp = sum.shapes[0].fingerprint.substr(0, 16);
    CHECK(sum.shapes[0].fingerprint == fp + "/orders_2024");
    CHECK(sum.shapes[1].fingerprint == fp + "/orders_2025");
    CHECK(sum.shapes[2].fingerprint.find('/') == std::string::npos);  // no digits: the bare fingerprint
    for (int n = 10; n < 300; ++n) {
        const auto& s = sum.shapes[static_cast<std::size_t>(3 + n - 10)];
        CHECK(s.calls == 1);
        CHECK(s.total_ms == n);
        CHECK(s.normalized.find("t" + std::to_string(n) + " ") != std::string::npos);
    }
}

TEST_CASE("shape identity: relation names in their order, schema as written", "[workload][summary]") {
    Aggregator agg;
    const auto a = agg.shape_of("SELECT * FROM t12 JOIN t13 ON t12.id = t13.id");
    const auto b = agg.shape_of("SELECT * FROM t13 JOIN t12 ON t12.id = t13.id");
    const auto c = agg.shape_of("SELECT * FROM s1.t12 JOIN t13 ON t12.id = t13.id");
    // E'' strings are not keyed: these take the path past the key cache.
    const auto d = agg.shape_of("SELECT * FROM \"T12\" WHERE a = E'x'");
    const auto e = agg.shape_of("SELECT * FROM \"T13\" WHERE a = E'x'");
    const auto f = agg.shape_of("SELECT * FROM \"T13\" WHERE a = E'y' /* the same shape */");
    CHECK(a != b);
    CHECK(a != c);
    CHECK(d != e);
    CHECK(e == f);
    CHECK(agg.summary().shapes[c].fingerprint.find("/s1.t12,t13") != std::string::npos);
    CHECK(agg.summary().shapes[e].fingerprint.find("/\"T13\"") != std::string::npos);
    // orders12 fingerprints like orders: the one with digits carries its names.
    const auto plain = agg.shape_of("SELECT * FROM orders");
    const auto numbered = agg.shape_of("SELECT * FROM orders12");
    CHECK(plain != numbered);
    CHECK(agg.summary().shapes[numbered].fingerprint == agg.summary().shapes[plain].fingerprint + "/orders12");
}

// With shapes kept, a new shape is shaped once, by the aggregator, and the
// workload takes it from there (issue 17): the summary must not change.
TEST_CASE("keeping shapes gives the same summary, and each new shape once", "[workload][summary]") {
    for (const std::string& path : {corpus("logs/pgbadger/light.postgres.log"), fixture("pg15-workload.log")}) {
        auto r = ingest_path(path);
        Aggregator plain, keeping(Aggregator::KeepShapes::Yes);
        std::size_t taken = 0;
        for (const auto& s : r.statements) {
            plain.add(s);
            const auto before = keeping.summary().shapes.size();
            auto id = keeping.add(s);
            if (!id) continue;
            auto kept = keeping.take_shape(*id);
            // A shape is kept only when it is new, and once.
            if (*id < before) CHECK_FALSE(kept);
            if (kept) ++taken;
            CHECK_FALSE(keeping.take_shape(*id));
        }
        const auto& a = plain.summary().shapes;
        const auto& b = keeping.summary().shapes;
        REQUIRE(a.size() == b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            CHECK(a[i].fingerprint == b[i].fingerprint);
            CHECK(a[i].normalized == b[i].normalized);
            CHECK(a[i].calls == b[i].calls);
        }
        CHECK(taken > 0);
        CHECK(taken <= b.size());
    }
}

// A WorkloadBuilder keeps the statistics in its ShapeInfo: an Aggregator given a
// store counts into it, and its summary holds no second copy (issue 17: memory).
TEST_CASE("an Aggregator given a ShapeStatsStore keeps the shapes' statistics there only", "[workload][summary]") {
    struct Store : ShapeStatsStore {
        std::size_t size() const override { return stats.size(); }
        ShapeStats& at(std::size_t id) override { return stats[id]; }
        void push_back(ShapeStats&& s) override { stats.push_back(std::move(s)); }
        std::vector<ShapeStats> stats;
    } store;
    auto r = ingest_path(corpus("logs/pgbadger/light.postgres.log"));
    Aggregator plain, stored(Aggregator::KeepShapes::No, &store);
    for (const auto& s : r.statements) {
        plain.add(s);
        stored.add(s);
    }
    CHECK(stored.summary().shapes.empty());
    CHECK(stored.summary().statements == 629);
    REQUIRE(store.stats.size() == 7);
    REQUIRE(plain.summary().shapes.size() == 7);
    for (std::size_t i = 0; i < 7; ++i) {
        CHECK(store.stats[i].fingerprint == plain.summary().shapes[i].fingerprint);
        CHECK(store.stats[i].normalized == plain.summary().shapes[i].normalized);
        CHECK(store.stats[i].calls == plain.summary().shapes[i].calls);
        CHECK(store.stats[i].total_ms == plain.summary().shapes[i].total_ms);
    }
}
