// A new shape worked out ahead (on a worker thread, new_shape.hpp) is what the
// Aggregator registers when the statement is the first of its key, and is
// dropped otherwise; the claims give each key to one worker (issue 17).
#include <catch2/catch.hpp>

#include <algorithm>

#include "../ingest/test_support.hpp"
#include "ingest/shape_key.hpp"
#include "workload/summary.hpp"

using namespace pgadvisor;
using namespace pgadvisor::ingest::test;
using namespace pgadvisor::workload;

namespace {

ingest::Statement statement(const std::string& text) {
    ingest::Statement s;
    s.text = text;
    return s;
}

// A NewShape whose shown text no real statement has: it shows which one the Aggregator registered.
NewShape worked_out(const std::string& text, const std::string& shown) {
    NewShape n;
    n.identity = identify_shape(text);
    n.description = describe_shape(text, n.identity, true);
    n.description->normalized = shown;
    return n;
}

}  // namespace

TEST_CASE("new shape: the claims give each hash to the first call that asks", "[workload][new-shape]") {
    NewShapeClaims claims;
    CHECK(claims.claim({1, 2, 1}) == std::vector<bool>{true, true, false});
    CHECK(claims.claim({2, 3}) == std::vector<bool>{false, true});
    CHECK(claims.claim({}).empty());
    // Past the table's first size (it grows), and a hash of 0 (which marks a free slot).
    std::vector<std::uint64_t> many;
    for (std::uint64_t h = 0; h < 5000; ++h) many.push_back(h * 0x9e3779b97f4a7c15ULL);
    NewShapeClaims fresh;
    const auto first = fresh.claim(many);
    CHECK(std::count(first.begin(), first.end(), true) == 5000);
    const auto again = fresh.claim(many);
    CHECK(std::count(again.begin(), again.end(), true) == 0);
}

TEST_CASE("new shape: identity and description are what the Aggregator gives alone", "[workload][new-shape]") {
    auto r = ingest_path(fixture("pg15-workload.log"));
    REQUIRE(r.statements.size() > 10);
    Aggregator alone(Aggregator::KeepShapes::Yes);
    for (const auto& s : r.statements) {
        if (s.text.empty()) continue;
        const auto before = alone.summary().shapes.size();
        const std::size_t id = *alone.add(s);
        if (id < before) continue;  // not new
        const ShapeIdentity identity = identify_shape(s.text);
        CHECK(identity.id == alone.summary().shapes[id].fingerprint);
        CHECK(describe_shape(s.text, identity, true).normalized == alone.summary().shapes[id].normalized);
        CHECK(describe_shape(s.text, identity, false).normalized == alone.summary().shapes[id].normalized);
    }
    CHECK(alone.summary().shapes.size() > 5);
}

TEST_CASE("new shape: the Aggregator registers a shape worked out ahead only for the first of its key",
          "[workload][new-shape]") {
    Aggregator agg(Aggregator::KeepShapes::Yes);
    const std::string first = "SELECT * FROM orders WHERE id = 1";
    const std::string second = "SELECT * FROM orders WHERE id = 2";
    NewShape ahead = worked_out(first, "worked out ahead");
    const auto id = agg.add(statement(first), ingest::shape_key(first), &ahead);
    REQUIRE(id);
    CHECK(agg.summary().shapes[*id].normalized == "worked out ahead");  // taken, not shaped again
    CHECK(agg.summary().libpg_calls == 1);                              // the worker's fingerprint, counted once
    auto kept = agg.take_shape(*id);
    REQUIRE(kept);
    REQUIRE(kept->shape);
    CHECK(kept->shape->text == first);

    // The key is known: a shape worked out from a later statement of it is dropped.
    NewShape late = worked_out(second, "a later statement's");
    CHECK(agg.add(statement(second), ingest::shape_key(second), &late) == id);
    CHECK(agg.summary().shapes.size() == 1);
    CHECK(agg.summary().shapes[*id].normalized == "worked out ahead");
    CHECK(agg.summary().libpg_calls == 1);
}

TEST_CASE("new shape: an identity another worker describes is described by the Aggregator when new here",
          "[workload][new-shape]") {
    const std::string text = "SELECT name FROM customers WHERE email = 'a@example.com'";
    Aggregator plain(Aggregator::KeepShapes::Yes), given(Aggregator::KeepShapes::Yes);
    const auto a = plain.add(statement(text));
    NewShape identified_only;
    identified_only.identity = identify_shape(text);
    const auto b = given.add(statement(text), ingest::shape_key(text), &identified_only);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(given.summary().shapes[*b].fingerprint == plain.summary().shapes[*a].fingerprint);
    CHECK(given.summary().shapes[*b].normalized == plain.summary().shapes[*a].normalized);
    CHECK(given.take_shape(*b));
}
