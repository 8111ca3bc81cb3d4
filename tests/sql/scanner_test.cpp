#include <catch2/catch.hpp>

#include "sql/scanner.hpp"

using namespace pgadvisor::sql;

TEST_CASE("comments_of reads sqlcommenter, marginalia and line comments", "[sql][scanner]") {
    auto c = comments_of(
        "SELECT 1 /*controller='orders',action='index'*/ -- trailing\n"
        "/*application:Shop,controller:carts*/");
    REQUIRE(c.size() == 3);
    CHECK(c[0] == "controller='orders',action='index'");
    CHECK(c[1] == " trailing");
    CHECK(c[2] == "application:Shop,controller:carts");
}

TEST_CASE("a comment-like text inside a string is not a comment", "[sql][scanner]") {
    CHECK(comments_of("SELECT '/* not a comment */' AS x").empty());
}
