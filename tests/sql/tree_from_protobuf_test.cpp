// sql::parse_tree reads libpg_query's packed protobuf tree (issue 17: the JSON
// text round trip was a third of the work on a log of distinct statements).
// Every reader of the tree was written against pg_query_parse's JSON, so the
// document must be that JSON's, key for key: checked here against libpg_query's
// own JSON on every statement of the repository's SQL files, the shared
// corpus's queries and the edge cases below, and on the depth limit.
#include <catch2/catch.hpp>

#include <pg_query.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "deep_inputs.hpp"
#include "sql/nesting.hpp"
#include "sql/parse_tree.hpp"
#include "sql/parser.hpp"

using namespace pgadvisor::sql;
using nlohmann::json;

namespace {

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

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
// ({"ival":{}} for -1); the protobuf tree keeps the value. The one difference,
// taken out before comparing.
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

std::vector<std::string> statements_of(const std::string& text) {
    std::vector<std::string> out;
    auto spans = split_statements(text);
    if (!spans) return out;
    for (const auto& s : *spans.value) out.emplace_back(text.substr(s.offset, s.length));
    return out;
}

std::vector<std::filesystem::path> sql_files(const std::filesystem::path& root) {
    std::vector<std::filesystem::path> out;
    if (!std::filesystem::exists(root)) return out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root))
        if (e.is_regular_file() && e.path().extension() == ".sql") out.push_back(e.path());
    return out;
}

}  // namespace

TEST_CASE("protobuf tree: the JSON tree of every statement of the repository's and the corpus's SQL files",
          "[sql][tree]") {
    const std::filesystem::path source = PGADVISOR_SOURCE_DIR;
    std::vector<std::filesystem::path> files;
    for (const char* dir : {"tests", "examples", "migrations", "docs"})
        for (auto& f : sql_files(source / dir)) files.push_back(f);
    for (auto& f : sql_files(PGADVISOR_SHARED_CORPUS)) files.push_back(f);
    std::size_t compared = 0, differing = 0;
    for (const auto& file : files) {
        CAPTURE(file.string());
        for (const std::string& sql : statements_of(slurp(file))) {
            ++compared;
            if (!same_tree(sql)) ++differing;
        }
    }
    CHECK(compared > 500);  // the files are there: a path mistake would compare nothing
    CHECK(differing == 0);
}

TEST_CASE("protobuf tree: constants, NULLs in lists, enums, options and utility statements", "[sql][tree]") {
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
         }) {
        for (const std::string& one : statements_of(sql)) CHECK(same_tree(one));
    }
}

TEST_CASE("protobuf tree: a negative integer keeps its value (libpg_query's JSON printer dropped it)", "[sql][tree]") {
    auto t = parse_tree("SELECT -1, 0, 7");
    REQUIRE(t.value);
    const json& targets = (*t.value)["stmts"][0]["stmt"]["SelectStmt"]["targetList"];
    auto ival = [&](int i) { return targets[i]["ResTarget"]["val"]["A_Const"]["ival"]; };
    CHECK(ival(0) == json{{"ival", -1}});
    CHECK(ival(1) == json::object());
    CHECK(ival(2) == json{{"ival", 7}});
}

TEST_CASE("protobuf tree: too deep exactly where the JSON text is", "[sql][tree][nesting]") {
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
