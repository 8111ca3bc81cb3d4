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

TEST_CASE("without_comments drops sqlcommenter tags and keeps the statement, strings untouched", "[sql][scanner]") {
    using pgadvisor::sql::without_comments;
    CHECK(without_comments("SELECT * FROM t WHERE id = $1 /*route='%2Fa',traceparent='00-0af7'*/;") ==
          "SELECT * FROM t WHERE id = $1;");
    CHECK(without_comments("/* app */ SELECT 1") == "SELECT 1");
    CHECK(without_comments("SELECT a/*x*/FROM t -- tail") == "SELECT a FROM t");
    CHECK(without_comments("SELECT '/* not a comment */' AS s") == "SELECT '/* not a comment */' AS s");
    CHECK(without_comments("SELECT 1") == "SELECT 1");
}
