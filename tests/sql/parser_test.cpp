// The libpg_query boundary: payloads and errors come back as values.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "sql/parse_tree.hpp"

using namespace pgadvisor::sql;

TEST_CASE("split_statements keeps each statement's offset in the source", "[sql][parser]") {
    const std::string text = "SELECT 1;\n  UPDATE t SET a = 2 WHERE id = 3;\nSELECT 'x;y'";
    auto r = split_statements(text);
    REQUIRE(r);
    REQUIRE(r.value->size() == 3);
    const auto& s = *r.value;
    CHECK(text.substr(s[0].offset, s[0].length) == "SELECT 1");
    CHECK(text.substr(s[1].offset, s[1].length) == "UPDATE t SET a = 2 WHERE id = 3");
    CHECK(text.substr(s[2].offset, s[2].length) == "SELECT 'x;y'");
}

TEST_CASE("split_statements splits text that would not parse", "[sql][parser]") {
    auto r = split_statements("SELEC 1; SELECT 2");
    REQUIRE(r);
    CHECK(r.value->size() == 2);
}

TEST_CASE("parse_tree returns libpg_query's error with its cursor", "[sql][parser]") {
    auto r = parse_tree("SELECT * FROM t WHERE\nAND x = 1");
    REQUIRE_FALSE(r);
    REQUIRE(r.error);
    CHECK(r.error->message == "syntax error at or near \"AND\"");
    CHECK(r.error->cursor == 23);
    CHECK(r.error->line == 2);
}

TEST_CASE("parse_tree gives the JSON tree", "[sql][parser]") {
    auto r = parse_tree("SELECT id FROM orders WHERE id = $1");
    REQUIRE(r);
    const auto& stmt = (*r.value)["stmts"][0]["stmt"];
    CHECK(stmt.contains("SelectStmt"));
    CHECK(stmt["SelectStmt"]["fromClause"][0]["RangeVar"]["relname"] == "orders");
}

TEST_CASE("fingerprints ignore literal values and IN-list length", "[sql][parser]") {
    auto a = fingerprint("SELECT * FROM t WHERE a = 1 AND b IN (1, 2)");
    auto b = fingerprint("select * from t where a = 42 and b in (7, 8, 9, 10)");
    auto c = fingerprint("SELECT * FROM t WHERE c = 1");
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(c);
    CHECK(a.value->value == b.value->value);
    CHECK(a.value->hex == b.value->hex);
    CHECK(a.value->value != c.value->value);
    CHECK(a.value->hex.size() == 16);
}

TEST_CASE("normalize replaces constants with numbered parameters", "[sql][parser]") {
    auto n = normalize("SELECT * FROM users WHERE email = 'a@b.c' AND id = $1");
    REQUIRE(n);
    CHECK(*n.value == "SELECT * FROM users WHERE email = $2 AND id = $1");
}

TEST_CASE("line_of_offset counts newlines before the offset", "[sql][parser]") {
    CHECK(line_of_offset("a\nb\nc", 0) == 1);
    CHECK(line_of_offset("a\nb\nc", 2) == 2);
    CHECK(line_of_offset("a\nb\nc", 4) == 3);
    CHECK(line_of_offset("a\nb\nc", 400) == 3);
}

TEST_CASE("split_statements keeps a statement the scanner would drop", "[sql][parser]") {
    const std::string text = "SELEC 1; SELECT 2; -- only a comment\n/* and another */";
    auto r = split_statements(text);
    REQUIRE(r);
    REQUIRE(r.value->size() == 2);
    CHECK(text.substr((*r.value)[0].offset, (*r.value)[0].length) == "SELEC 1");
    CHECK(text.substr((*r.value)[1].offset, (*r.value)[1].length) == "SELECT 2");
}

TEST_CASE("split_statements keeps the statements before an unterminated quote", "[sql][parser]") {
    const std::string text = "SELECT 1;\nSELECT 'x;y';\nSELECT 'unterminated; SELECT 4";
    auto r = split_statements(text);
    REQUIRE(r);
    REQUIRE(r.value->size() == 3);
    CHECK(text.substr((*r.value)[0].offset, (*r.value)[0].length) == "SELECT 1");
    CHECK(text.substr((*r.value)[1].offset, (*r.value)[1].length) == "SELECT 'x;y'");
    CHECK(text.substr((*r.value)[2].offset, (*r.value)[2].length) == "SELECT 'unterminated; SELECT 4");
    CHECK_FALSE(parse_tree(text.substr((*r.value)[2].offset)));
}

TEST_CASE("split_statements of nothing but comments and semicolons is empty", "[sql][parser]") {
    auto r = split_statements("  ;; -- x\n /* y /* nested */ */ ;");
    REQUIRE(r);
    CHECK(r.value->empty());
}

TEST_CASE("scan_tokens gives byte spans and kinds", "[sql][parser]") {
    const std::string text = "SELECT a FROM t WHERE b = 'x''y' AND c = -1.5 /* note */ AND d = $2";
    auto r = scan_tokens(text);
    REQUIRE(r);
    const auto& toks = *r.value;
    auto find = [&](std::string_view word) {
        for (const auto& t : toks)
            if (text.substr(t.start, t.end - t.start) == word) return t;
        FAIL("no token " << word);
        return Token{};
    };
    CHECK(find("SELECT").kind == TokenKind::Keyword);
    CHECK(find("a").kind == TokenKind::Identifier);
    CHECK(find("'x''y'").kind == TokenKind::Constant);
    CHECK(find("1.5").kind == TokenKind::Constant);
    CHECK(find("-").ascii == '-');
    CHECK(find("/* note */").kind == TokenKind::Comment);
    CHECK(find("$2").kind == TokenKind::Parameter);
    REQUIRE_FALSE(scan_tokens("SELECT 'open"));
}

TEST_CASE("split_statements recovers pieces that do not start with a keyword", "[sql][parser]") {
    const std::string text = "SELECT 1;\n  foo(1);\nSELECT 2; x";
    auto r = split_statements(text);
    REQUIRE(r);
    REQUIRE(r.value->size() == 4);
    const auto& s = *r.value;
    CHECK(text.substr(s[1].offset, s[1].length) == "foo(1)");
    CHECK(text.substr(s[2].offset, s[2].length) == "SELECT 2");
    CHECK(text.substr(s[3].offset, s[3].length) == "x");
}

TEST_CASE("psql_script_statements: meta-command lines end statements, \\gexec marks its query", "[sql][parser]") {
    const std::string script =
        "-- a plain-layout migration\n"
        "DO $x$ BEGIN PERFORM 1; END $x$;\n"
        "SELECT format('DROP INDEX CONCURRENTLY %s', 'i')\n"
        "  FROM pg_index WHERE false\n"
        "\\gexec\n"
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n";
    auto statements = psql_script_statements(script);
    REQUIRE(statements.value);
    REQUIRE(statements.value->size() == 3);
    CHECK_FALSE((*statements.value)[0].gexec);
    CHECK((*statements.value)[1].gexec);
    CHECK((*statements.value)[1].sql.find("SELECT format(") == 0);
    CHECK_FALSE((*statements.value)[2].gexec);
    CHECK((*statements.value)[2].sql.find("CREATE INDEX CONCURRENTLY") == 0);
    // Every statement is SQL libpg_query reads.
    for (const auto& s : *statements.value) CHECK(parses(s.sql));
}
