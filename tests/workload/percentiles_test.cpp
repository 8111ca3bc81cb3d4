// Percentiles with flat memory that merge (issue 17, "Beyond one machine"):
// each shape keeps every duration up to a bound, then a log-bucketed sketch
// within 1%, so a 5 GB log costs no more memory per shape than a small one and
// the sketches of a log's parts merge into the sketch of the whole.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "workload/duration_sketch.hpp"
#include "workload/summary.hpp"

using pgadvisor::workload::DistinctKeys;
using pgadvisor::workload::DurationSketch;
using pgadvisor::workload::ShapeStats;

namespace {

// A skewed stream in an order that is not random: 1..1000 ms, repeated, with a long tail.
float skewed(int i) {
    const long long x = (static_cast<long long>(i) * 7919) % 1000;
    return static_cast<float>(x < 990 ? 1 + x : 1000 + (x - 989) * 250.5);
}

// The q-quantile as DurationSketch defines it, from every value: rank round(q * (n - 1)).
double true_percentile(std::vector<float> v, double q) {
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5)];
}

DurationSketch sketch_of(int from, int to) {
    DurationSketch s;
    for (int i = from; i < to; ++i) s.add(skewed(i));
    return s;
}

}  // namespace

TEST_CASE("durations: exact up to the bound, p95 the value itself", "[workload][summary][sketch]") {
    ShapeStats small;
    for (int i = 1; i <= 100; ++i) small.durations.add(static_cast<float>(i));
    REQUIRE(small.durations.exact());
    CHECK(small.durations.values().size() == 100);
    CHECK(small.p95_ms() == 95);
    CHECK(small.durations.percentile(0.5) == 51);

    DurationSketch at_limit = sketch_of(0, DurationSketch::kExactLimit);
    CHECK(at_limit.exact());
    at_limit.add(1);
    CHECK_FALSE(at_limit.exact());
    CHECK(at_limit.values().empty());  // the exact values are freed once bucketed
}

TEST_CASE("durations: past the bound, percentiles within the stated relative error", "[workload][summary][sketch]") {
    const int n = 1'000'000;
    std::vector<float> all;
    DurationSketch big;
    for (int i = 0; i < n; ++i) {
        all.push_back(skewed(i));
        big.add(all.back());
    }
    REQUIRE_FALSE(big.exact());
    CHECK(big.count() == n);
    for (double q : {0.0, 0.01, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0}) {
        INFO("q = " << q);
        const double truth = true_percentile(all, q);
        CHECK(std::abs(big.percentile(q) - truth) <= DurationSketch::kRelativeError * truth + 1e-9);
    }
    // Memory: one counter per bucket used; 1 ms .. 3.5 s spans ~410 buckets of 2%.
    CHECK(big.buckets().size() < 450);

    // Bounded however wide the range: 1 µs .. 3 hours.
    DurationSketch wide;
    for (double ms = 0.001; ms < 3 * 3600e3; ms *= 1.001) wide.add(static_cast<float>(ms));
    CHECK(wide.buckets().size() < 1300);
}

TEST_CASE("durations: merging parts gives the sketch of the whole, in any grouping", "[workload][summary][sketch]") {
    // Cuts that cross the exact bound at different places.
    for (auto [cut1, cut2, end] : {std::tuple{100, 300, 1000}, std::tuple{1000, 3000, 6000},
                                   std::tuple{3000, 4000, 4096}, std::tuple{10, 5000, 200000}}) {
        INFO("cuts " << cut1 << " " << cut2 << " " << end);
        const DurationSketch whole = sketch_of(0, end);
        const DurationSketch a = sketch_of(0, cut1), b = sketch_of(cut1, cut2), c = sketch_of(cut2, end);
        DurationSketch ab_c = a;
        ab_c.merge(b);
        ab_c.merge(c);
        DurationSketch bc = b;
        bc.merge(c);
        DurationSketch a_bc = a;
        a_bc.merge(bc);
        DurationSketch c_b_a = c;  // and in another order
        c_b_a.merge(b);
        c_b_a.merge(a);
        CHECK(ab_c == whole);
        CHECK(a_bc == whole);
        CHECK(c_b_a == whole);
        CHECK(ab_c.exact() == (end <= static_cast<int>(DurationSketch::kExactLimit)));
        for (double q : {0.5, 0.95, 0.99}) CHECK(a_bc.percentile(q) == whole.percentile(q));
    }
}

TEST_CASE("durations: a sketch rebuilt from what it gives is the same sketch", "[workload][summary][sketch]") {
    const DurationSketch exact = sketch_of(0, 500), bucketed = sketch_of(0, 50000);
    DurationSketch back;
    REQUIRE(DurationSketch::from_values(exact.values(), back));
    CHECK(back == exact);
    REQUIRE(DurationSketch::from_buckets(bucketed.bucket_offset(), bucketed.buckets(), bucketed.zeros(), back));
    CHECK(back == bucketed);
    CHECK(back.percentile(0.95) == bucketed.percentile(0.95));
    // Refused: more exact values than the bound, or buckets of so few that they would be exact.
    CHECK_FALSE(DurationSketch::from_values(std::vector<float>(DurationSketch::kExactLimit + 1, 1.0f), back));
    CHECK_FALSE(DurationSketch::from_buckets(0, {3, 4}, 0, back));
    CHECK_FALSE(DurationSketch::from_buckets(0, {5000}, -1, back));
    // Refused (digest fuzzer): buckets no float duration falls in, whose offsets overflow an int when merged,
    // and counts whose sum wraps.
    CHECK_FALSE(DurationSketch::from_buckets(std::numeric_limits<int>::max() - 1, {5000, 1}, 0, back));
    CHECK_FALSE(DurationSketch::from_buckets(std::numeric_limits<int>::min(), {5000}, 0, back));
    CHECK_FALSE(DurationSketch::from_buckets(0, {~std::uint64_t{0}, 5000}, 0, back));
}

TEST_CASE("durations: infinity and NaN are kept as durations a digest can write", "[workload][summary][sketch]") {
    // A log's "duration: 1e999 ms" reads as infinity: it has no bucket, and JSON no infinity.
    for (const bool bucketed : {false, true}) {
        DurationSketch s;
        if (bucketed)
            for (int i = 0; i < 5000; ++i) s.add(1.0f);
        s.add(std::numeric_limits<float>::infinity());
        s.add(std::numeric_limits<float>::quiet_NaN());
        s.add(-std::numeric_limits<float>::infinity());
        CHECK(s.exact() != bucketed);
        CHECK(std::isfinite(s.percentile(1.0)));
        CHECK(s.percentile(1.0) >= std::numeric_limits<float>::max() * (1 - DurationSketch::kRelativeError));
        CHECK(s.percentile(0.0) == 0);
        for (float v : s.values()) CHECK(std::isfinite(v));
    }
}

TEST_CASE("durations: zero durations count, at the bottom", "[workload][summary][sketch]") {
    DurationSketch s;
    for (int i = 0; i < 6000; ++i) s.add(i % 2 == 0 ? 0.0f : 10.0f);
    REQUIRE_FALSE(s.exact());
    CHECK(s.zeros() == 3000);
    CHECK(s.percentile(0.25) == 0);
    CHECK(s.percentile(0.75) == Approx(10).epsilon(DurationSketch::kRelativeError));
}

TEST_CASE("shape statistics and session keys of two parts merge into the whole's", "[workload][summary]") {
    ShapeStats first, second;
    first.calls = 3, first.errors = 1, first.total_ms = 6, first.timed_calls = 3;
    first.first_seen.file = "a.log";
    for (float ms : {1.0f, 2.0f, 3.0f}) first.durations.add(ms);
    second.calls = 2, second.total_ms = 9, second.timed_calls = 2;
    second.first_seen.file = "b.log";
    for (float ms : {4.0f, 5.0f}) second.durations.add(ms);
    first.merge(second);
    CHECK(first.calls == 5);
    CHECK(first.errors == 1);
    CHECK(first.total_ms == 15);
    CHECK(first.timed_calls == 5);
    CHECK(first.durations.count() == 5);
    CHECK(first.p95_ms() == 5);
    CHECK(first.first_seen.file == "a.log");

    DistinctKeys a, b, whole;
    for (int i = 0; i < 3000; ++i) {
        const std::string key = "session-" + std::to_string(i);
        (i < 2000 ? a : b).add(key);
        whole.add(key);
    }
    a.merge(b);
    CHECK(a.size() == 3000);
    CHECK(a == whole);
    CHECK(a.first() == "session-0");
    DistinctKeys none;
    none.merge(b);
    CHECK(none.first() == "session-2000");
}

TEST_CASE("DistinctKeys: keys added again and again, interleaved, count once", "[workload][distinct-keys]") {
    // A log's sessions add their keys with every statement, 500 of them interleaved (the
    // repeats the recent-hash slots skip), then new ones keep coming after the slots are made.
    DistinctKeys keys, once;
    for (int round = 0; round < 40; ++round)
        for (int s = 0; s < 500; ++s) keys.add("pid:" + std::to_string(10000 + (s * 7 + round) % 500));
    for (int s = 0; s < 500; ++s) once.add("pid:" + std::to_string(10000 + s));
    CHECK(keys.size() == 500);
    CHECK(keys.hashes() == once.hashes());
    for (int s = 500; s < 3000; ++s) {
        keys.add("pid:" + std::to_string(10000 + s));
        keys.add("pid:" + std::to_string(10000 + s % 700));
    }
    CHECK(keys.size() == 3000);
}
