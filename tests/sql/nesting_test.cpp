// Deep trees (issue 16): a statement libpg_query accepts but that nests deeper
// than pgadvisor follows is an error at its line, the statements after it are
// still read, and nothing overflows the stack on the way (libpg_query's own
// recursion included).
#include <catch2/catch.hpp>

#include <string>

#include "deep_inputs.hpp"
#include "sql/nesting.hpp"
#include "sql/parser.hpp"
#include "sql/shape.hpp"

using namespace pgadvisor::sql;
using namespace pgadvisor::test;

TEST_CASE("nesting: brackets inside JSON strings do not count", "[sql][nesting]") {
    CHECK_FALSE(json_nests_deeper_than(R"({"a":[1,{"b":2}]})", 3));
    CHECK(json_nests_deeper_than(R"({"a":[1,{"b":[2]}]})", 3));
    CHECK_FALSE(json_nests_deeper_than(R"({"a":"[[[[{{{{","b":"\"[[[["})", 1));
    CHECK(json_nests_deeper_than(repeated("[", 70000) + repeated("]", 70000)));
}

TEST_CASE("nesting: each deep chain is an error at its line and the next statement is shaped", "[sql][nesting]") {
    for (const std::string& deep :
         {deep_plus(kDeepTerms), deep_union(kDeepTerms), deep_casts(kDeepTerms), deep_concat(kDeepTerms)}) {
        CAPTURE(deep.substr(0, 40));
        const auto all = shape_statements("SELECT 1;\n" + deep + ";\nSELECT id FROM orders WHERE id = 1;\n");
        REQUIRE(all.size() == 3);
        CHECK(all[0].shape);
        REQUIRE(all[1].error);
        CHECK(all[1].error->too_deep);
        CHECK(all[1].error->line == 2);
        CHECK(all[1].error->message ==
              "statement nested too deeply (more than " + std::to_string(kMaxJsonDepth) + " levels)");
        REQUIRE(all[2].shape);
        CHECK(all[2].shape->normalized == "SELECT id FROM orders WHERE id = $1");
    }
}

TEST_CASE("nesting: chains below the limit are shaped as before", "[sql][nesting]") {
    // 240 terms, two levels each: just inside kMaxJsonDepth, so every walk of the shape
    // builder runs at the deepest it can be asked to (also in the AddressSanitizer build).
    for (const std::string& deep : {deep_plus(240), deep_union(240), deep_casts(240), deep_concat(240)}) {
        CAPTURE(deep.substr(0, 40));
        const auto r = shape_statement(deep);
        REQUIRE(r.shape);
        CHECK_FALSE(r.shape->normalized.empty());
    }
}

TEST_CASE("nesting: libpg_query's own recursion gets the stack a long statement needs", "[sql][nesting]") {
    // 40,000 terms: pg_query_normalize overflowed an 8 MB stack from about 20,000.
    const std::string deep = deep_plus(40000);
    const auto n = normalize(deep);
    REQUIRE(n);
    CHECK(n.value->rfind("SELECT $1+$2+", 0) == 0);
    CHECK(fingerprint(deep));
    CHECK(parses(deep));
    const auto r = shape_statement(deep);
    REQUIRE(r.error);
    CHECK(r.error->too_deep);
}
