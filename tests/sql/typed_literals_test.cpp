// Typed literals in prefix form normalize to casts of parameters, which the server can plan.
#include <catch2/catch.hpp>

#include "sql/parser.hpp"
#include "sql/typed_literals.hpp"

using namespace pgadvisor::sql;

namespace {

std::string normalized(const std::string& sql) {
    auto n = normalize(sql);
    REQUIRE(n);
    INFO(*n.value);
    CHECK(parses(*n.value));  // before: `interval $1` — a syntax error, so no what-if planning
    return *n.value;
}

}  // namespace

TEST_CASE("interval, date, time and timestamp literals normalize to $n::type", "[sql][normalize]") {
    CHECK(normalized("SELECT * FROM orders WHERE created_at > now() - interval '30 days'") ==
          "SELECT * FROM orders WHERE created_at > now() - $1::interval");
    CHECK(normalized("SELECT * FROM t WHERE d = date '2024-01-01' AND a = 5") ==
          "SELECT * FROM t WHERE d = $1::date AND a = $2");
    CHECK(normalized("SELECT * FROM t WHERE ts < timestamp with time zone '2024-01-01 00:00+00'") ==
          "SELECT * FROM t WHERE ts < $1::timestamp with time zone");
    CHECK(normalized("SELECT * FROM t WHERE at > time '10:00' AND at < TIME '11:00'") ==
          "SELECT * FROM t WHERE at > $1::time AND at < $2::TIME");
}

TEST_CASE("interval fields and precision stay with the type", "[sql][normalize]") {
    CHECK(normalized("SELECT now() - interval '1' day") == "SELECT now() - $1::interval day");
    CHECK(normalized("SELECT now() - interval '1:02' minute to second(3)") ==
          "SELECT now() - $1::interval minute to second(3)");
    CHECK(normalized("SELECT now() - interval(2) '1 day', numeric(10,2) '1.5'") ==
          "SELECT now() - $1::interval(2), $2::numeric(10,2)");
}

TEST_CASE("statements without prefix casts normalize as before", "[sql][normalize]") {
    CHECK(normalized("SELECT * FROM t WHERE a = 'x' AND b LIKE 'y%' AND c = '1'::int") ==
          "SELECT * FROM t WHERE a = $1 AND b LIKE $2 AND c = $3::int");
    CHECK(prefix_casts_as_postfix("SELEC broken 'x'") == "SELEC broken 'x'");
}
