// Predicate::value_expression and InsertInfo::value_expressions: the values
// given as expressions that name the same value in two statements (CURRENT_DATE,
// now()), which check-then-insert compares as keys (issue 14).
#include <catch2/catch.hpp>

#include "sql/shape.hpp"

using namespace pgadvisor::sql;

namespace {

// The value expression compared with `column` in the statement's WHERE.
std::optional<ValueExpression> compared(const std::string& sql, const std::string& column) {
    auto r = shape_statement(sql);
    REQUIRE(r.shape);
    for (const auto& p : r.shape->predicates)
        if (p.column.column == column) return p.value_expression;
    FAIL("no predicate on " << column);
    return std::nullopt;
}

}  // namespace

TEST_CASE("value expressions in a WHERE: the clock of the transaction, and dates of it",
          "[sql][shape][value-expression]") {
    auto today = compared("SELECT id FROM visit_counter WHERE day = CURRENT_DATE AND doctor_id = 37", "day");
    REQUIRE(today);
    CHECK(today->stability == ValueStability::Day);
    CHECK_FALSE(compared("SELECT id FROM visit_counter WHERE day = CURRENT_DATE AND doctor_id = 37", "doctor_id"));

    auto now = compared("SELECT 1 FROM t WHERE at = now()", "at");
    REQUIRE(now);
    CHECK(now->stability == ValueStability::Transaction);
    auto ts = compared("SELECT 1 FROM t WHERE at = CURRENT_TIMESTAMP", "at");
    REQUIRE(ts);
    CHECK(ts->stability == ValueStability::Transaction);
    CHECK(ts->text != now->text);  // two spellings, two texts: not matched with each other

    // A timestamp of the transaction cast to a date holds for the whole day.
    auto day = compared("SELECT 1 FROM t WHERE d = now()::date", "d");
    REQUIRE(day);
    CHECK(day->stability == ValueStability::Day);
    CHECK(day->text != today->text);

    // Written the other way round, the same.
    auto flipped = compared("SELECT 1 FROM t WHERE CURRENT_DATE = day", "day");
    REQUIRE(flipped);
    CHECK(*flipped == *today);
}

TEST_CASE("value expressions: volatile functions, constants, parameters and columns are not",
          "[sql][shape][value-expression]") {
    // A new value every call.
    CHECK_FALSE(compared("SELECT 1 FROM t WHERE at = clock_timestamp()", "at"));
    CHECK_FALSE(compared("SELECT 1 FROM t WHERE at = statement_timestamp()", "at"));
    CHECK_FALSE(compared("SELECT 1 FROM t WHERE id = nextval('s')", "id"));
    // A constant inside: the shape's text is that of the first statement of the shape, not this one's.
    CHECK_FALSE(compared("SELECT 1 FROM t WHERE d = date_trunc('day', now())", "d"));
    CHECK_FALSE(compared("SELECT 1 FROM t WHERE d = now() - interval '1 day'", "d"));
    // Another column.
    CHECK_FALSE(compared("SELECT 1 FROM t WHERE d = other + 1", "d"));
    // A constant or a parameter, cast or not, is a literal (compared by value), not an expression.
    CHECK_FALSE(compared("SELECT 1 FROM t WHERE d = '2026-12-02'::date", "d"));
    CHECK_FALSE(compared("SELECT 1 FROM t WHERE d = $1::date", "d"));
}

TEST_CASE("value expressions in VALUES, beside the literals", "[sql][shape][value-expression]") {
    auto r = shape_statement(
        "INSERT INTO visit_counter (day, doctor_id, visits, at) VALUES (CURRENT_DATE, 37, 1, now()), "
        "(now()::date, $1, DEFAULT, clock_timestamp())");
    REQUIRE(r.shape);
    REQUIRE(r.shape->insert);
    const auto& ins = *r.shape->insert;
    REQUIRE(ins.value_expressions.size() == 2);
    const auto& row0 = ins.value_expressions[0];
    REQUIRE(row0.size() == 4);
    REQUIRE(row0[0]);
    CHECK(row0[0]->stability == ValueStability::Day);
    CHECK_FALSE(row0[1]);  // 37: a literal (value_literals)
    CHECK(ins.value_literals[0][1] >= 0);
    REQUIRE(row0[3]);
    CHECK(row0[3]->stability == ValueStability::Transaction);
    const auto& row1 = ins.value_expressions[1];
    REQUIRE(row1.size() == 4);
    REQUIRE(row1[0]);
    CHECK(row1[0]->stability == ValueStability::Day);
    CHECK_FALSE(row1[2]);  // DEFAULT
    CHECK_FALSE(row1[3]);  // clock_timestamp(): volatile

    // The SELECT's CURRENT_DATE and the INSERT's are the same text.
    auto select = shape_statement("SELECT id FROM visit_counter WHERE day = CURRENT_DATE");
    REQUIRE(select.shape);
    REQUIRE(select.shape->predicates.size() == 1);
    REQUIRE(select.shape->predicates[0].value_expression);
    CHECK(*select.shape->predicates[0].value_expression == *row0[0]);
}
