// sql::parse_tree reads libpg_query's JSON text with its own compact reader
// (issue 17: nlohmann's parse was a fifth of the work on a log of distinct
// statements) and falls back to nlohmann for anything else. Every reader of the
// tree was written against nlohmann's document, so it must be the same, key for
// key (but for negative integers, which libpg_query's JSON drops and parse_tree
// restores from the text): checked here against nlohmann on every statement of the repository's SQL
// files, the shared corpus's queries and the edge cases below, on JSON text the
// compact reader must hand back, and on the depth limit.
#include <catch2/catch.hpp>

#include <pg_query.h>

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "deep_inputs.hpp"
#include "sql_corpus.hpp"
#include "sql/compact_json.hpp"
#include "sql/nesting.hpp"
#include "sql/parse_tree.hpp"
#include "sql/parser.hpp"

using namespace pgadvisor::sql;
using nlohmann::json;

namespace {

// What the JSON route gave: the tree, or nullopt for a parse error; `too_deep`
// when its text nests deeper than the readers follow.
struct JsonRoute {
    std::optional<json> tree;
    bool too_deep = false;
};

JsonRoute json_route(const std::string& sql) {
    JsonRoute out;
    PgQueryParseResult r = pg_query_parse(sql.c_str());
    if (!r.error) {
        out.too_deep = json_nests_deeper_than(r.parse_tree);
        if (!out.too_deep) out.tree = json::parse(r.parse_tree);
    }
    pg_query_free_parse_result(r);
    return out;
}

// libpg_query 15-4.0's JSON printer writes an Integer only when positive
// ({"ival":{}} for -1); parse_tree restores the value from the text. The one
// difference, taken out before comparing.
void drop_negative_integers(json& n) {
    if (n.is_object()) {
        if (auto it = n.find("ival"); it != n.end() && it->is_number_integer() && it->get<long long>() < 0) n.erase(it);
        for (auto& [key, child] : n.items()) drop_negative_integers(child);
    } else if (n.is_array()) {
        for (auto& child : n) drop_negative_integers(child);
    }
}

// Compares the two routes on one statement; false (with the difference
// reported) when they disagree.
bool same_tree(const std::string& sql) {
    CAPTURE(sql.substr(0, 300));
    const JsonRoute expected = json_route(sql);
    Parsed<json> got = parse_tree(sql);
    if (!expected.tree) {
        CHECK_FALSE(got.value);
        if (expected.too_deep) CHECK((got.error && got.error->too_deep));
        return !got.value;
    }
    REQUIRE(got.value);
    drop_negative_integers(*got.value);
    if (*got.value == *expected.tree) return true;
    CHECK(got.value->dump() == expected.tree->dump());
    return false;
}

}  // namespace

TEST_CASE("compact json: the JSON tree of every statement of the repository's and the corpus's SQL files",
          "[sql][tree]") {
    std::size_t compared = 0, differing = 0;
    for (const std::string& sql : pgadvisor::test::sql_corpus_statements()) {
        ++compared;
        if (!same_tree(sql)) ++differing;
    }
    CHECK(compared > 500);  // the files are there: a path mistake would compare nothing
    CHECK(differing == 0);
}

TEST_CASE("compact json: constants, NULLs in lists, enums, options and utility statements", "[sql][tree]") {
    for (const char* sql : {
             "SELECT '', 0, 1, 1.5, true, false, B'101', X'ff', NULL, $1, 'x'::text, E'a\\nb'",
             "SELECT a[1:], a[:2], a[1:2], (a).b, b.* FROM t",
             "SELECT * FROM t WHERE a IN (1, 2) AND b = '' AND c IS NOT NULL AND d BETWEEN 1 AND 2",
             "SELECT count(*) FILTER (WHERE a > 1) OVER (PARTITION BY b ORDER BY c ROWS 2 PRECEDING) FROM t",
             "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r LIMIT 5 OFFSET 2",
             "INSERT INTO t (a, b) VALUES (1, DEFAULT), (2, 'x') ON CONFLICT (a) DO UPDATE SET b = EXCLUDED.b "
             "RETURNING *",
             "UPDATE t SET (a, b) = (SELECT 1, 2) FROM u WHERE t.id = u.id",
             "DELETE FROM t USING u WHERE t.id = u.id RETURNING t.id",
             "MERGE INTO t USING u ON t.id = u.id WHEN MATCHED THEN UPDATE SET a = 1 WHEN NOT MATCHED THEN INSERT "
             "VALUES (1)",
             "CREATE TABLE x (a int DEFAULT '', b numeric(10, 2) NOT NULL, c text[] CHECK (c <> '{}'), "
             "PRIMARY KEY (a)) PARTITION BY RANGE (a)",
             "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t USING gin (lower(a) gin_trgm_ops) WHERE b IS NULL",
             "ALTER TABLE t ADD COLUMN d int, ALTER COLUMN a SET DEFAULT 0, DROP CONSTRAINT c",
             "SET search_path TO a, b; SET statement_timeout = '5s'",
             "COPY t (a) FROM STDIN WITH (FORMAT csv, NULL '')",
             "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS '' ",
             "SELECT * FROM t JOIN u USING (id) AS j LEFT JOIN LATERAL (SELECT 1) s ON true",
             "SELECT xmlelement(name a), CURRENT_DATE, CURRENT_TIMESTAMP(3), interval '1 day' hour",
             "EXPLAIN (ANALYZE, BUFFERS) SELECT 1",
             "VALUES (1, NULL), (NULL, 2)",
             "SELECT -1, -2147483648, 9223372036854775807, 1e400, 'caf\u00e9 \u65e5\u672c', U&'\\0041'",
             "SELECT 'a\tb\nc\\d\"e', $$dollar ' \" $$, E'\\x01', 'ctl\x01' 'char', \"Quoted \"\"Name\"",
         }) {
        for (const std::string& one : pgadvisor::test::statements_of(sql)) CHECK(same_tree(one));
    }
}

TEST_CASE("compact json: too deep exactly where the JSON text is", "[sql][tree][nesting]") {
    using pgadvisor::test::deep_casts;
    using pgadvisor::test::deep_plus;
    using pgadvisor::test::deep_union;
    std::size_t deep = 0;
    for (std::size_t terms = 120; terms <= 260; ++terms)
        for (const std::string& sql : {deep_plus(terms), deep_union(terms), deep_casts(terms)}) {
            CAPTURE(terms);
            CHECK(same_tree(sql));
            deep += parse_tree(sql).error && parse_tree(sql).error->too_deep;
        }
    CHECK(deep > 0);  // the range crosses the limit
}

TEST_CASE("compact json: what is not libpg_query's compact form is handed back, not misread", "[sql][tree]") {
    // Read: what libpg_query prints.
    for (const char* text :
         {R"({"a":[1,-2,{"b":"x\"y\\z\n\t/\u003e\u00e9\u65e5\ud83d\ude00"}],"c":true,"d":false,"e":null,"f":{}})",
          R"([])", "\"caf\xc3\xa9\"", R"({"a":18446744073709551600,"b":-9223372036854775807})"}) {
        CAPTURE(text);
        CompactJson c = read_compact_json(text, kMaxJsonDepth);
        REQUIRE(c.document);
        CHECK(*c.document == json::parse(text));
        CHECK(c.document->dump() == json::parse(text).dump());
    }
    // Handed back: valid JSON in another form, and what is not JSON at all.
    for (const char* text :
         {R"({"a": 1})", R"({"a":1.5})", R"({"a":1e3})", R"({"a":"\ud800"})", R"({"a":"\u00g9"})", R"({"a":01})",
          "{\"a\":\"\x01\"}", "{\"a\":\"\xc3\"}", "{\"a\":\"\xed\xa0\x80\"}", R"({"a":1,})", R"({"a":1)", R"({"a":1}x)",
          R"({"a":tru})", R"(-)", R"({"a":99999999999999999999})"}) {
        CAPTURE(text);
        CompactJson c = read_compact_json(text, kMaxJsonDepth);
        CHECK_FALSE(c.document);
        CHECK_FALSE(c.too_deep);
    }
}

TEST_CASE("compact json: too deep exactly where json_nests_deeper_than says", "[sql][tree][nesting]") {
    using pgadvisor::test::repeated;
    for (int levels = 1; levels <= 5; ++levels) {
        const std::string objects = repeated("{\"a\":", levels) + "1" + repeated("}", levels);
        const std::string lists = repeated("[", levels) + repeated("]", levels);
        const std::string mixed = "{\"a\":[" + objects + "," + lists + "],\"c\":{}}";
        for (const std::string& text : {objects, lists, mixed})
            for (int limit = 1; limit <= 7; ++limit) {
                CAPTURE(text, limit);
                CompactJson c = read_compact_json(text, limit);
                CHECK(c.too_deep == json_nests_deeper_than(text, limit));
                CHECK(c.document.has_value() == !c.too_deep);
            }
    }
}

TEST_CASE("compact json: libpg_query's own output is read without nlohmann", "[sql][tree]") {
    PgQueryParseResult r = pg_query_parse(
        "SELECT o.id, 'x\ty' FROM orders o JOIN users u ON u.id = o.user_id WHERE o.total > -5 ORDER BY 1 LIMIT 10");
    REQUIRE(r.error == nullptr);
    CompactJson c = read_compact_json(r.parse_tree, kMaxJsonDepth);
    const json expected = json::parse(r.parse_tree);
    pg_query_free_parse_result(r);
    REQUIRE(c.document);
    CHECK(*c.document == expected);
}

TEST_CASE("compact json: a negative integer constant keeps its value (libpg_query's JSON printer dropped it)",
          "[sql][tree]") {
    auto t = parse_tree("SELECT -1, 0, 7, - /* c */ 42, -1.5, -(3), 5 - 2 FROM t WHERE a = -2147483647");
    REQUIRE(t.value);
    const json& stmt = (*t.value)["stmts"][0]["stmt"]["SelectStmt"];
    const json& targets = stmt["targetList"];
    auto constant = [&](int i) { return targets[i]["ResTarget"]["val"]["A_Const"]; };
    CHECK(constant(0)["ival"] == json{{"ival", -1}});
    CHECK(constant(1)["ival"] == json::object());
    CHECK(constant(2)["ival"] == json{{"ival", 7}});
    CHECK(constant(3)["ival"] == json{{"ival", -42}});
    CHECK(constant(4)["fval"] == json{{"fval", "-1.5"}});
    CHECK(constant(5)["ival"] == json{{"ival", -3}});
    CHECK(targets[6]["ResTarget"]["val"]["A_Expr"]["rexpr"]["A_Const"]["ival"] == json{{"ival", 2}});
    CHECK(stmt["whereClause"]["A_Expr"]["rexpr"]["A_Const"]["ival"] == json{{"ival", -2147483647}});
}
