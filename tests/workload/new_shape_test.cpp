// A new shape worked out ahead (on a worker thread, new_shape.hpp) is what the
// Aggregator registers when the statement is the first of its key, and is
// dropped otherwise; the claims give each key to one worker (issue 17).
#include <catch2/catch.hpp>

#include <algorithm>

#include "../ingest/test_support.hpp"
#include "ingest/shape_key.hpp"
#include "sql/shape.hpp"
#include "sql/shape_json.hpp"

#include <nlohmann/json.hpp>
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
    CHECK(!claims.claim_one(3));
    CHECK(claims.claim_one(4));
    CHECK(claims.claim({4, 5}) == std::vector<bool>{false, true});
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

// A new shape's text is fingerprinted and shaped from one parse (issue 17): the identity keeps
// the parse tree where the caller's is_new says the identity is new, and the description read
// off it is the one the text gives on its own.
TEST_CASE("new shape: the identity keeps its parse tree where it is new, and describes from it as without",
          "[workload][new-shape]") {
    for (const std::string text : {"SELECT * FROM orders WHERE id = 1", "SELECT * FROM orders_2024 o WHERE o.id = -5",
                                   "/* app */ SELECT name FROM t2024 WHERE id IN (1, 2, 3);", "SELECT 1; SELECT 2",
                                   "SELEC 1", "UPDATE accounts SET balance = balance - 10.5 WHERE id = 42"}) {
        INFO(text);
        std::vector<std::string> asked;
        const ShapeIdentity fresh = identify_shape(text, [&](const std::string& id) {
            asked.push_back(id);
            return true;
        });
        const ShapeIdentity alone = identify_shape(text);
        REQUIRE(asked.size() == 1);  // asked once, with the identity itself
        CHECK(asked[0] == alone.id);
        CHECK(fresh.id == alone.id);
        CHECK(fresh.is_new);
        CHECK(!alone.is_new);
        CHECK(!alone.tree);
        CHECK(static_cast<bool>(fresh.tree) == alone.fingerprint.has_value());
        const ShapeIdentity known = identify_shape(text, [](const std::string&) { return false; });
        CHECK(known.id == alone.id);
        CHECK(!known.tree);
        for (bool keep : {true, false}) {
            const ShapeDescription from_tree = describe_shape(text, fresh, keep);
            const ShapeDescription parsed = describe_shape(text, alone, keep);
            CHECK(from_tree.normalized == parsed.normalized);
            REQUIRE(from_tree.kept.has_value() == parsed.kept.has_value());
            if (parsed.kept && parsed.kept->shape) {
                REQUIRE(from_tree.kept->shape);
                CHECK(sql::to_json(*from_tree.kept->shape, true) == sql::to_json(*parsed.kept->shape, true));
            }
        }
    }
}

TEST_CASE("new shape: the Aggregator fingerprints and shapes a new statement with one parse", "[workload][new-shape]") {
    Aggregator agg(Aggregator::KeepShapes::Yes);
    const std::string text = "SELECT name FROM customers WHERE email = 'a@example.com' ORDER BY name";
    const auto fingerprint_only = [&] {
        const auto before = sql::detail::parser_calls_on_this_thread();
        REQUIRE(sql::fingerprint(text));
        return sql::detail::parser_calls_on_this_thread() - before;
    }();
    const auto shape_given_fingerprint = [&] {
        const auto fp = sql::fingerprint(text);
        const auto before = sql::detail::parser_calls_on_this_thread();
        REQUIRE(sql::shape_statement(text, *fp.value).shape);
        return sql::detail::parser_calls_on_this_thread() - before;
    }();
    const auto before = sql::detail::parser_calls_on_this_thread();
    REQUIRE(agg.add(statement(text)));
    const auto calls = sql::detail::parser_calls_on_this_thread() - before;
    // The fingerprint's parse also gives the tree: one call fewer than fingerprinting and shaping apart.
    CHECK(calls == fingerprint_only + shape_given_fingerprint - 1);
    REQUIRE(agg.take_shape(0));
}
