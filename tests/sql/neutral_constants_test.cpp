// A statement's neutral text (sql/neutral_constants.hpp) has no value of the
// statement in it and the statement's shape: what a digest keeps (issue 17).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "ingest/ingest.hpp"
#include "sql/neutral_constants.hpp"
#include "sql/shape.hpp"
#include "sql_corpus.hpp"

using namespace pgadvisor;
using sql::value_spans;
using sql::with_neutral_constants;

namespace {

std::string neutral(const std::string& statement) {
    auto n = with_neutral_constants(statement);
    REQUIRE(n);
    return *n;
}

// The parts of two shapes the rules read, equal; values and byte positions aside.
void check_same_shape(const sql::QueryShape& a, const sql::QueryShape& b) {
    CHECK(a.fingerprint_hex == b.fingerprint_hex);
    CHECK(a.kind == b.kind);
    CHECK(a.node_type == b.node_type);
    CHECK(a.transaction_kind == b.transaction_kind);
    CHECK(a.normalized == b.normalized);
    REQUIRE(a.literals.size() == b.literals.size());
    for (std::size_t i = 0; i < a.literals.size(); ++i) {
        CHECK(a.literals[i].kind == b.literals[i].kind);
        CHECK(a.literals[i].param_number == b.literals[i].param_number);
        CHECK(a.literals[i].is_null == b.literals[i].is_null);
    }
    REQUIRE(a.tables.size() == b.tables.size());
    for (std::size_t i = 0; i < a.tables.size(); ++i)
        CHECK(a.tables[i].qualified_name() == b.tables[i].qualified_name());
    REQUIRE(a.predicates.size() == b.predicates.size());
    for (std::size_t i = 0; i < a.predicates.size(); ++i) {
        const auto &p = a.predicates[i], &q = b.predicates[i];
        CHECK(p.column == q.column);
        CHECK(p.cls == q.cls);
        CHECK(p.op == q.op);
        CHECK(p.operand == q.operand);
        CHECK(p.literal_index == q.literal_index);
        CHECK(p.function == q.function);
    }
    CHECK(a.insert.has_value() == b.insert.has_value());
    if (a.insert && b.insert) {
        CHECK(a.insert->columns == b.insert->columns);
        CHECK(a.insert->value_literals == b.insert->value_literals);
        CHECK(a.insert->conflict_columns == b.insert->conflict_columns);
    }
    CHECK(a.set_columns == b.set_columns);
    CHECK(a.functions == b.functions);
    CHECK(a.has_limit == b.has_limit);
    CHECK(a.select_star == b.select_star);
}

}  // namespace

TEST_CASE("neutral constants: no value is left, each constant keeps its kind", "[sql][neutral-constants]") {
    CHECK(neutral("SELECT * FROM t WHERE a = 'secret' AND b = 42 AND c = 3.14 AND d = -7") ==
          "SELECT * FROM t WHERE a = 'x' AND b = 1 AND c = 1.0 AND d = -1");
    CHECK(neutral("SELECT 1e10, .5, B'0101', X'1F', E'it\\'s', $$dollar$$, $q$tagged$q$") ==
          "SELECT 1.0, 1.0, B'0', X'0', E'x', $$x$$, $q$x$q$");
    // A form not known here (U&'...' with its escapes) gives nothing rather than a text that may hold a value.
    CHECK_FALSE(with_neutral_constants("SELECT U&'d\\0061t'"));
    // Parameters, TRUE / FALSE / NULL and identifiers are not values of the log.
    CHECK(neutral("UPDATE \"Users\" SET ok = TRUE, x = NULL WHERE id = $1") ==
          "UPDATE \"Users\" SET ok = TRUE, x = NULL WHERE id = $1");
    // sqlcommenter tags carry trace ids and routes: gone.
    CHECK(neutral("SELECT a FROM t /*traceparent='00-4bf92f3577b34da6-00f067aa0ba902b7-01'*/") == "SELECT a FROM t  ");
    CHECK(neutral("SELECT a -- user 4411\nFROM t") == "SELECT a  \nFROM t");
    // A number that names an output column is no value: kept.
    CHECK(neutral("SELECT a, count(*) FROM t WHERE b > 10 GROUP BY 1 ORDER BY 2 DESC LIMIT 5") ==
          "SELECT a, count(*) FROM t WHERE b > 1 GROUP BY 1 ORDER BY 2 DESC LIMIT 1");
}

TEST_CASE("neutral constants: a LIKE pattern keeps where its wildcards are", "[sql][neutral-constants]") {
    CHECK(neutral("SELECT 1 FROM t WHERE name LIKE 'abc%'") == "SELECT 1 FROM t WHERE name LIKE 'x%'");
    CHECK(neutral("SELECT 1 FROM t WHERE name LIKE '%abc_d'") == "SELECT 1 FROM t WHERE name LIKE '%x_x'");
    CHECK(neutral("SELECT 1 FROM t WHERE name = ''") == "SELECT 1 FROM t WHERE name = ''");
    for (const char* statement : {"SELECT 1 FROM t WHERE name LIKE 'abc%'", "SELECT 1 FROM t WHERE name LIKE '%abc'",
                                  "SELECT 1 FROM t WHERE name ILIKE 'Ab_%'"}) {
        INFO(statement);
        auto original = sql::shape_statement(statement);
        auto rebuilt = sql::shape_statement(neutral(statement));
        REQUIRE(original.shape);
        REQUIRE(rebuilt.shape);
        check_same_shape(*original.shape, *rebuilt.shape);
    }
}

TEST_CASE("neutral constants: text the scanner cannot read gives nothing", "[sql][neutral-constants]") {
    CHECK_FALSE(with_neutral_constants("SELECT 'unterminated"));
}

TEST_CASE("neutral constants: every statement of the example logs keeps its shape", "[sql][neutral-constants]") {
    std::size_t checked = 0, with_constants = 0;
    for (const char* example :
         {"shop", "prisma-blog", "sequelize-clinic", "django-app", "sqlalchemy-app", "activerecord-app", "pgbench"}) {
        ingest::IngestOptions options;
        options.inputs = {std::string(PGADVISOR_SOURCE_DIR) + "/examples/" + example + "/captured/postgresql.log"};
        std::vector<std::string> texts;
        ingest::ingest(options, [&](ingest::Statement&& s) {
            if (!s.text.empty()) texts.push_back(std::move(s.text));
        });
        REQUIRE(!texts.empty());
        for (const auto& text : texts) {
            auto original = sql::shape_statement(text);
            if (!original.shape) continue;
            INFO(example << ": " << original.shape->normalized);
            auto n = with_neutral_constants(original.shape->text);
            REQUIRE(n);
            auto rebuilt = sql::shape_statement(*n);
            REQUIRE(rebuilt.shape);
            check_same_shape(*original.shape, *rebuilt.shape);
            // No quoted constant's value survives (SET x TO warning's "warning" is a word, not a quoted value).
            for (const auto& lit : original.shape->literals) {
                const std::string source = original.shape->text.substr(
                    static_cast<std::size_t>(std::max(lit.location, 0)), static_cast<std::size_t>(lit.length));
                if (lit.kind == sql::LiteralKind::Constant && !lit.is_null && lit.value.size() > 3 &&
                    source.find('\'') != std::string::npos)
                    CHECK(n->find("'" + lit.value) == std::string::npos);
            }
            with_constants += original.shape->literals.empty() ? 0 : 1;
            ++checked;
        }
    }
    CHECK(checked > 1000);
    CHECK(with_constants > 100);
}

TEST_CASE("neutral constants: a shaped statement's own column numbers give the text its parse gives",
          "[sql][neutral-constants]") {
    // The digest writes each shape's neutral text from the shape's value_spans, without the scan
    // and parse the one-argument form makes to find them: both must give the same text.
    std::vector<std::string> texts = {
        "SELECT c_a, count(*) FROM customers WHERE f_a = 9906821 GROUP BY c_a ORDER BY 2 DESC LIMIT 7078674",
        "SELECT a, b FROM t GROUP BY 1, 2 ORDER BY 2, 1 DESC NULLS LAST",
        "SELECT DISTINCT ON (1) a, b FROM t WHERE c = 5 ORDER BY 1, b",
        "SELECT * FROM (SELECT a FROM t ORDER BY 1 LIMIT 3) s WHERE a > 7 ORDER BY a + 1",
        "SELECT a FROM t UNION SELECT b FROM u ORDER BY 1",
        "INSERT INTO t (a) SELECT b FROM u WHERE c = 'x' ORDER BY 1",
        "SELECT sum(a) OVER (ORDER BY 1) FROM t GROUP BY a ORDER BY coalesce(a, 1)",
        "SELECT 1, 'one' FROM t ORDER BY 2",
    };
    std::size_t with_numbers = 0;
    for (const char* example :
         {"shop", "prisma-blog", "sequelize-clinic", "django-app", "sqlalchemy-app", "activerecord-app", "pgbench"}) {
        ingest::IngestOptions options;
        options.inputs = {std::string(PGADVISOR_SOURCE_DIR) + "/examples/" + example + "/captured/postgresql.log"};
        ingest::ingest(options, [&](ingest::Statement&& s) {
            if (!s.text.empty()) texts.push_back(std::move(s.text));
        });
    }
    for (auto& statement : test::sql_corpus_statements()) texts.push_back(std::move(statement));
    std::size_t checked = 0;
    for (const auto& text : texts) {
        auto r = sql::shape_statement(text);
        if (!r.shape) continue;
        INFO(r.shape->text);
        REQUIRE(r.shape->value_spans);
        CHECK(with_neutral_constants(r.shape->text, *r.shape->value_spans) == with_neutral_constants(r.shape->text));
        // Spans for fewer than all its constants and comments: an output column number kept.
        auto tokens = sql::scan_tokens(r.shape->text);
        REQUIRE(tokens);
        with_numbers += r.shape->value_spans->size() < value_spans(*tokens.value, {}).size() ? 1 : 0;
        ++checked;
    }
    CHECK(checked > 2000);
    CHECK(with_numbers >= 7);  // the statements above at least, but the one whose numbers are no column's
}
