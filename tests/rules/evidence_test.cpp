// The one evidence builder: a shape's text and measured cost, as every rule
// reports them (n-plus-one, seq-scan, check-then-insert).
#include <catch2/catch.hpp>

#include "rules/evidence.hpp"

using namespace pgadvisor;

namespace {

workload::ShapeInfo measured_shape() {
    workload::ShapeInfo s;
    s.fingerprint = "a1b2c3d4e5f60718";
    s.normalized = "SELECT * FROM orders WHERE customer_id = $1";
    s.stats.calls = 12;
    s.stats.timed_calls = 4;  // 8 calls logged no duration
    s.stats.total_ms = 10;
    s.p95_ms = 4.5;
    s.max_ms = 6;
    s.locations = {{"app.log", 3, 3}, {"app.log", 9, 11}};
    return s;
}

}  // namespace

TEST_CASE("evidence_of: text and statistics of the shape, cited where it was first seen", "[rules][evidence]") {
    const auto e = rules::evidence_of(measured_shape());
    CHECK(e.fingerprint == "a1b2c3d4e5f60718");
    CHECK(e.normalized == "SELECT * FROM orders WHERE customer_id = $1");
    CHECK(e.calls == 12);
    CHECK(e.total_ms == 10);
    CHECK(e.mean_ms == Approx(2.5));  // over the 4 timed calls, not the 12
    CHECK(e.p95_ms == 4.5);
    CHECK(e.max_ms == 6);
    REQUIRE(e.locations.size() == 2);
    CHECK(e.locations[1].file == "app.log");
    CHECK(e.locations[1].first_line == 9);
    CHECK(e.locations[1].last_line == 11);
}

TEST_CASE("evidence_of: the places a rule matched replace the shape's own", "[rules][evidence]") {
    const auto e = rules::evidence_of(measured_shape(), {{"other.log", 40, 42}});
    REQUIRE(e.locations.size() == 1);
    CHECK(e.locations[0].file == "other.log");
    CHECK(e.calls == 12);
    CHECK(rules::evidence_of(measured_shape(), {}).locations.empty());
}

TEST_CASE("evidence_of: a shape without timed calls has a mean of 0, not a division by zero", "[rules][evidence]") {
    workload::ShapeInfo s;
    s.stats.calls = 3;
    const auto e = rules::evidence_of(s);
    CHECK(e.calls == 3);
    CHECK(e.mean_ms == 0);
    CHECK(e.locations.empty());
}
