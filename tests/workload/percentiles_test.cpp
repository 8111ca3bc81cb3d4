// Percentiles with flat memory: each shape keeps every duration up to a
// bound, then a uniform reservoir sample, so a 5 GB log costs no more memory
// per shape than a small one and the percentiles stay close to the truth.
#include <catch2/catch.hpp>

#include "workload/summary.hpp"

using pgadvisor::workload::ShapeStats;

TEST_CASE("durations: exact up to the bound, a bounded sample past it, p95 close to the true one",
          "[workload][summary]") {
    ShapeStats small;
    for (int i = 1; i <= 100; ++i) small.add_duration(static_cast<float>(i));
    CHECK(small.durations.size() == 100);
    CHECK(small.p95_ms() == Approx(95).margin(1));

    ShapeStats big;
    const int n = 1'000'000;
    // A skewed distribution in an order that is not random: 1..1000 ms, repeated.
    for (int i = 0; i < n; ++i) big.add_duration(static_cast<float>(1 + (static_cast<long long>(i) * 7919) % 1000));
    CHECK(big.durations.size() == ShapeStats::kDurationSamples);
    CHECK(big.durations_seen == n);
    CHECK(big.p95_ms() == Approx(950).epsilon(0.03));

    // Deterministic: the same stream, the same sample.
    ShapeStats again;
    for (int i = 0; i < n; ++i) again.add_duration(static_cast<float>(1 + (static_cast<long long>(i) * 7919) % 1000));
    CHECK(again.durations == big.durations);
}
