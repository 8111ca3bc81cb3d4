// InsertInfo::value_literals: which literal each VALUES item is, so a rule can
// read the value an execution inserts into a given column.
#include <catch2/catch.hpp>

#include <string>

#include "sql/shape.hpp"

using namespace pgadvisor::sql;

TEST_CASE("VALUES items map to their literals, row by row", "[sql][shape][insert]") {
    // The CTE's constant comes first in the text, so literal indexes are not item positions.
    auto r = shape_statement(
        "WITH x AS (SELECT 42) INSERT INTO t (a, b, c, d) VALUES ($2, 'k', now(), -3), ($1, NULL, 7, 8)");
    REQUIRE(r.shape);
    const auto& s = *r.shape;
    REQUIRE(s.insert);
    REQUIRE(s.insert->value_literals.size() == 2);
    const auto& row0 = s.insert->value_literals[0];
    REQUIRE(row0.size() == 4);
    REQUIRE(row0[0] >= 0);
    CHECK(s.literals[row0[0]].kind == LiteralKind::Parameter);
    CHECK(s.literals[row0[0]].param_number == 2);
    REQUIRE(row0[1] >= 0);
    CHECK(s.literals[row0[1]].value == "k");
    CHECK(row0[2] == -1);  // now() is an expression
    REQUIRE(row0[3] >= 0);
    CHECK(s.literals[row0[3]].value == "-3");
    const auto& row1 = s.insert->value_literals[1];
    REQUIRE(row1.size() == 4);
    CHECK(s.literals[row1[0]].param_number == 1);
    CHECK(s.literals[row1[1]].is_null);
    CHECK(s.literals[row1[2]].value == "7");
    CHECK(s.literals[row1[3]].value == "8");
    CHECK(s.literals[0].value == "42");  // the CTE's constant
}

TEST_CASE("INSERT ... SELECT and nested INSERTs have no value_literals", "[sql][shape][insert]") {
    auto sel = shape_statement("INSERT INTO t (a) SELECT 1");
    REQUIRE(sel.shape);
    REQUIRE(sel.shape->insert);
    CHECK(sel.shape->insert->value_literals.empty());
    auto plain = shape_statement("SELECT 1 FROM t WHERE a = 1");
    REQUIRE(plain.shape);
    CHECK_FALSE(plain.shape->insert);
}

TEST_CASE("a VALUES list of 20,000 rows maps every item to its own literal", "[sql][shape][insert]") {
    // Issue 16, "Time": each item used to be found by a walk of every literal (quadratic:
    // 200,000 rows took 80 s); tests/hostile-sizes/check times the large case. Here: the
    // mapping stays right at size, row k holding the literals k and k * 3.
    constexpr int kRows = 20000;
    std::string sql = "INSERT INTO t (a, b) VALUES ";
    for (int k = 0; k < kRows; ++k) sql += (k ? ", (" : "(") + std::to_string(k) + ", " + std::to_string(k * 3) + ")";
    auto r = shape_statement(sql);
    REQUIRE(r.shape);
    REQUIRE(r.shape->insert);
    const auto& rows = r.shape->insert->value_literals;
    REQUIRE(rows.size() == kRows);
    for (int k = 0; k < kRows; k += 997) {
        const auto& row = rows[static_cast<std::size_t>(k)];
        REQUIRE(row.size() == 2);
        REQUIRE(row[0] >= 0);
        REQUIRE(row[1] >= 0);
        CHECK(r.shape->literals[static_cast<std::size_t>(row[0])].value == std::to_string(k));
        CHECK(r.shape->literals[static_cast<std::size_t>(row[1])].value == std::to_string(k * 3));
    }
}
