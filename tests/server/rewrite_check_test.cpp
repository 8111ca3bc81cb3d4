// The comparison behind the live proof of a batched N+1 rewrite (issue 13): the rows
// of a loop's calls against the batch's, as multisets grouped by key.
#include <catch2/catch.hpp>

#include "server/rewrite_check.hpp"

using namespace pgadvisor::server;
using KeyColumn = pgadvisor::sql::BatchedLookup::KeyColumn;

namespace {

Row row(std::initializer_list<const char*> values) {
    Row r;
    for (const char* v : values) r.push_back(v ? std::optional<std::string>(v) : std::nullopt);
    return r;
}

}  // namespace

TEST_CASE("rewrite check: a per-key batch with the loop's rows in another order is equivalent",
          "[server][rewrite-check]") {
    const std::vector<KeyRows> calls{{"1", {row({"a"}), row({"b"})}}, {"2", {}}, {"3", {row({"a"})}}};
    // Lateral form: the key first; any order of rows.
    CHECK_FALSE(compare_loop(calls, {row({"3", "a"}), row({"1", "b"}), row({"1", "a"})}, KeyColumn::First));
    // = ANY form with the key added last.
    CHECK_FALSE(compare_loop(calls, {row({"a", "1"}), row({"a", "3"}), row({"b", "1"})}, KeyColumn::Last));
}

TEST_CASE("rewrite check: rows moved to another key, lost or doubled are caught", "[server][rewrite-check]") {
    const std::vector<KeyRows> calls{{"1", {row({"a"}), row({"b"})}}, {"2", {row({"a"})}}};
    // The same multiset of rows overall, but "b" belongs to key 1, not 2: only grouping by key tells.
    auto moved = compare_loop(calls, {row({"1", "a"}), row({"2", "b"}), row({"2", "a"})}, KeyColumn::First);
    REQUIRE(moved);
    CHECK(*moved == "for key 1 of 2 in the loop, its call returned 2 rows, the batch 1 row");
    auto doubled = compare_loop(calls, {row({"1", "a"}), row({"1", "a"}), row({"1", "b"}), row({"2", "a"})},
                                KeyColumn::First);
    REQUIRE(doubled);
    CHECK(*doubled == "for key 1 of 2 in the loop, its call returned 2 rows, the batch 3 rows");
    auto other = compare_loop(calls, {row({"1", "a"}), row({"1", "c"}), row({"2", "a"})}, KeyColumn::First);
    REQUIRE(other);
    CHECK(*other == "for key 1 of 2 in the loop, its call returned 2 rows, the batch 2 rows (other rows)");
    auto extra = compare_loop(calls, {row({"1", "a"}), row({"1", "b"}), row({"2", "a"}), row({"9", "a"})},
                              KeyColumn::First);
    REQUIRE(extra);
    CHECK(*extra == "the batch returned rows for keys the loop did not look up");
}

TEST_CASE("rewrite check: one total for a per-parent count is not equivalent", "[server][rewrite-check]") {
    // The old batch `SELECT count(*) ... = ANY($1)`: no key column, one row for all parents.
    const std::vector<KeyRows> calls{{"1", {row({"3"})}}, {"2", {row({"5"})}}};
    auto total = compare_loop(calls, {row({"8"})}, KeyColumn::InRow);
    REQUIRE(total);
    CHECK(*total == "the loop's 2 calls returned 2 rows in all, the batch 1 row");
    // Rows that carry their key themselves (`*`) compare as whole rows.
    CHECK_FALSE(compare_loop(calls, {row({"5"}), row({"3"})}, KeyColumn::InRow));
    // NULLs are values like any other, and differ from the text "NULL".
    CHECK_FALSE(compare_loop({{"1", {row({nullptr})}}}, {row({"1", nullptr})}, KeyColumn::First));
    CHECK(compare_loop({{"1", {row({nullptr})}}}, {row({"1", "NULL"})}, KeyColumn::First));
}

TEST_CASE("rewrite check: a batch with other columns is caught", "[server][rewrite-check]") {
    const std::vector<KeyRows> calls{{"1", {row({"a", "x"})}}};
    auto r = compare_loop(calls, {row({"1", "a"})}, KeyColumn::First);
    REQUIRE(r);
    CHECK(*r == "the batch returns 1 column besides its key where the loop's statement returns 2");
}

TEST_CASE("rewrite check: the keys travel as one array literal", "[server][rewrite-check]") {
    CHECK(array_literal({std::string("1"), std::string("2")}) == "{\"1\",\"2\"}");
    CHECK(array_literal({std::string("a\"b\\c"), std::nullopt, std::string("")}) == "{\"a\\\"b\\\\c\",NULL,\"\"}");
    CHECK(array_literal({}) == "{}");
}
