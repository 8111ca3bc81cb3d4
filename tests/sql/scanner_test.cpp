#include <catch2/catch.hpp>

#include "sql/scanner.hpp"

using namespace pgadvisor::sql;

TEST_CASE("scan_tokens gives kinds and byte ranges", "[sql][scanner]") {
    const std::string q = "SELECT * FROM t WHERE a = 'x''y' AND b = $2 AND c > 1.5 /* hi */";
    auto r = scan_tokens(q);
    REQUIRE(r);
    std::vector<std::string> strings, params, numbers;
    for (const auto& t : *r.value) {
        auto text = q.substr(static_cast<std::size_t>(t.start), static_cast<std::size_t>(t.end - t.start));
        if (t.kind == TokenKind::String) strings.push_back(text);
        if (t.kind == TokenKind::Parameter) params.push_back(text);
        if (t.kind == TokenKind::Number) numbers.push_back(text);
    }
    CHECK(strings == std::vector<std::string>{"'x''y'"});
    CHECK(params == std::vector<std::string>{"$2"});
    CHECK(numbers == std::vector<std::string>{"1.5"});
    CHECK(r.value->front().kind == TokenKind::Keyword);
}

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
