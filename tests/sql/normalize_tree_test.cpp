// A new shape's normalized text read off the parse tree it already has (issue 17:
// each new shape parsed once) must be pg_query_normalize's, byte for byte: over
// every text of the shared corpus and of tests/fixtures, and on the cases where
// the walk's order is not the text's (a WITH query's constants are numbered last).
// Where the reading is not sure it gives nothing and libpg_query is asked.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sql/parse_tree.hpp"
#include "sql/parser.hpp"
#include "sql/shape.hpp"
#include "sql/typed_literals.hpp"
#include "sql_corpus.hpp"

using namespace pgadvisor::sql;

namespace {

struct Both {
    std::optional<std::string> from_tree;
    std::optional<std::string> libpg_query;
};

// Typed literals (date '2024-01-01') are normalized as casts, from a text of their
// own (typed_literals.hpp): the tree is read only for texts without them.
Both normalized_both(const std::string& text) {
    Both b;
    const auto tokens = scan_tokens(text);
    const auto tree = parse_tree(text);
    if (tokens && tree && prefix_casts_as_postfix(text, *tokens.value) == text)
        b.from_tree = normalized_from_tree(text, *tokens.value, *tree.value);
    if (auto n = normalize(text)) b.libpg_query = *n.value;
    if (tokens && tree) {
        // What the shape builder calls: the tree's text where it is sure, libpg_query's otherwise.
        const auto either = normalize(text, *tokens.value, *tree.value);
        CHECK(either.value == b.libpg_query);
    }
    return b;
}

}  // namespace

TEST_CASE("normalized from the tree is pg_query_normalize's text over the corpus", "[sql][parsed-once][corpus]") {
    const auto texts = pgadvisor::test::corpus_texts({PGADVISOR_SHARED_CORPUS, PGADVISOR_TEST_FIXTURES});
    REQUIRE(texts.size() > 5000);
    std::size_t from_tree = 0, with_constants = 0, dml = 0;
    for (const auto& text : texts) {
        if (text.find('\0') != std::string::npos) continue;  // libpg_query reads C strings
        const auto tree = parse_tree(text);
        if (!tree) continue;
        const auto b = normalized_both(text);
        if (!b.from_tree) continue;
        INFO(text);
        ++from_tree;
        REQUIRE(b.libpg_query);
        CHECK(*b.from_tree == *b.libpg_query);
        if (*b.from_tree != text) ++with_constants;
    }
    // Most of the corpus's queries are read off the tree, and most of those have constants.
    for (const auto& text : texts)
        if (text.rfind("SELECT", 0) == 0 || text.rfind("INSERT", 0) == 0 || text.rfind("UPDATE", 0) == 0 ||
            text.rfind("DELETE", 0) == 0 || text.rfind("WITH", 0) == 0)
            ++dml;
    WARN("from the tree: " << from_tree << " of " << dml << " queries, " << with_constants << " with constants");
    CHECK(from_tree > dml * 8 / 10);
    CHECK(with_constants > 500);
}

TEST_CASE("normalized from the tree numbers constants in libpg_query's walk order", "[sql][parsed-once]") {
    for (const std::string text : {
             // WITH is walked after the main query: its constant is numbered last.
             "WITH recent AS (SELECT id FROM orders WHERE created_at > '2024-01-01') "
             "SELECT * FROM recent r JOIN customers c ON c.id = r.id WHERE c.tier = 3",
             // ORDER BY before HAVING, LIMIT after both; ORDER BY 1 and GROUP BY 1 stay.
             "SELECT status, count(*) FROM orders WHERE total > 10 GROUP BY 1 HAVING count(*) > 5 "
             "ORDER BY 1, abs(sum(total) - 7) LIMIT 20 OFFSET 40",
             // JOIN's ON after both sides; negative constants and the statement's own $n.
             "SELECT * FROM a JOIN b ON b.x = a.x AND b.k = 'k' WHERE a.v = -5 AND a.w = $2 AND a.z IN (1, -2, 3)",
             // Typmods stay as written; a cast's argument does not.
             "SELECT '12.5'::numeric(10, 2), CAST(7 AS varchar(20)) FROM t WHERE x = ANY('{1,2}'::int[])",
             // INSERT ... ON CONFLICT, UPDATE ... FROM, DELETE ... USING, RETURNING.
             "INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y') ON CONFLICT (a) DO UPDATE SET b = 'z' WHERE t.a > 0 "
             "RETURNING a",
             "UPDATE t SET a = a + 1, b = 'q' FROM u WHERE u.id = t.id AND u.flag = true RETURNING t.id",
             "DELETE FROM t USING u WHERE u.id = t.id AND u.k = 99",
             // Window frames, CASE, COALESCE, sub-selects, UNION's two sides.
             "SELECT sum(x) OVER (PARTITION BY y ORDER BY z ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), "
             "CASE WHEN a = 1 THEN 'one' WHEN a = 2 THEN 'two' ELSE 'many' END, coalesce(b, 0) FROM t "
             "WHERE c IN (SELECT c FROM u WHERE d = 4) UNION ALL SELECT 1, 'x', 2 FROM v WHERE e = 5",
             // Comments between tokens, a constant right before the end.
             "SELECT /* a */ a FROM t WHERE b = -3 /* c */ AND c = 'it''s' AND d = 4 -- tail",
             "SELECT 1",
             // DISTINCT's list holds one NULL (written {}), DISTINCT ON's the expressions.
             "SELECT DISTINCT status FROM orders WHERE total > 10",
             "SELECT DISTINCT ON (a, lower(b)) a, b FROM t WHERE c = 'k' ORDER BY a, lower(b), d DESC LIMIT 3",
         }) {
        INFO(text);
        const auto b = normalized_both(text);
        REQUIRE(b.from_tree);
        REQUIRE(b.libpg_query);
        CHECK(*b.from_tree == *b.libpg_query);
    }
}

TEST_CASE("normalized from the tree gives nothing where libpg_query would decide otherwise", "[sql][parsed-once]") {
    for (const std::string text : {
             // GROUP BY items with constants take the numbers of the SELECT list item they match.
             "SELECT date_trunc('day', t), count(*) FROM e GROUP BY date_trunc('day', t)",
             // Not a query: libpg_query's own rules (options, utility statements).
             "SET statement_timeout = 5000",
             "EXPLAIN SELECT * FROM t WHERE a = 1",
             // A comment between a minus and its number: libpg_query replaces up to the comment's end.
             "SELECT a FROM t WHERE b = - /* minus */ 3",
             // U&'' strings: the scanner's end there is not the token's.
             "SELECT * FROM t WHERE a = U&'d\\0061t\\+000061'",
         }) {
        INFO(text);
        const auto b = normalized_both(text);
        CHECK_FALSE(b.from_tree);
        CHECK(b.libpg_query);
    }
}

TEST_CASE("a shape's normalized text comes from its one parse, and is the same as before", "[sql][parsed-once]") {
    const std::string text = "WITH r AS (SELECT id FROM o WHERE x = 1) SELECT * FROM r WHERE id > 2";
    const std::size_t before = detail::parser_calls_on_this_thread();
    const auto r = shape_statement(text);
    const std::size_t calls = detail::parser_calls_on_this_thread() - before;
    REQUIRE(r.shape);
    CHECK(r.shape->normalized == "WITH r AS (SELECT id FROM o WHERE x = $2) SELECT * FROM r WHERE id > $1");
    // A scan, a parse for the tree, a fingerprint: pg_query_normalize's parse is not among them.
    CHECK(calls == 3);
}
