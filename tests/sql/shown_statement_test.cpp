// What reports show of a statement never holds its values (issue 16, leaks):
// pg_query_normalize leaves the constants of utility and DDL statements alone,
// comments carry sqlcommenter values, and a parse error quotes the token it stopped at.
#include <catch2/catch.hpp>

#include <string>

#include "sql/scanner.hpp"
#include "sql/shape.hpp"

using namespace pgadvisor::sql;

namespace {

bool holds_secret(const std::string& text) { return text.find("secret") != std::string::npos; }

}  // namespace

TEST_CASE("every statement kind is shown with its constants masked", "[sql][shape][redaction]") {
    // Each of these kept its value after pg_query_normalize (the hostile tester's list).
    const char* statements[] = {
        "EXECUTE ps('secret1', 42)",
        "CALL proc('secret2')",
        "COMMENT ON TABLE t IS 'secret3'",
        "CREATE INDEX i ON t (a) WHERE b = 'secret4'",
        "CREATE TABLE t2 (a text DEFAULT 'secret5' CHECK (a <> 'secret6'))",
        "COPY t FROM PROGRAM 'secret7'",
        "NOTIFY ch, 'secret8'",
        "ALTER SYSTEM SET work_mem = 'secret9'",
        "PREPARE p AS SELECT * FROM t WHERE a = 'secret11'",
        "CREATE POLICY p ON t USING (owner = 'secret12')",
        "DO $$BEGIN PERFORM 'secret13'; END$$",
        "SELECT $1 /* email='secret10' */",
        "UPDATE t SET a = E'secret14' WHERE b = $1 -- token=secret15",
    };
    for (const char* s : statements) {
        INFO(s);
        const auto r = shape_statement(s);
        REQUIRE(r.shape);
        CHECK_FALSE(holds_secret(r.shape->normalized));
        const auto shown = shown_statement(s);
        REQUIRE(shown);
        CHECK(*shown == r.shape->normalized);
    }
    CHECK(shape_statement("EXECUTE ps('secret1', 42)").shape->normalized == "EXECUTE ps($1, $2)");
    // Numbered after the statement's own parameters, so no two values share a number.
    CHECK(*shown_statement("CALL proc($1, 'secret')") == "CALL proc($1, $2)");
    // A query keeps pg_query_normalize's text: its type modifiers stay, so it still plans.
    CHECK(*shown_statement("SELECT a::varchar(20) FROM t WHERE b = 'secret' /* route='x' */") ==
          "SELECT a::varchar(20) FROM t WHERE b = $1");
    // Nothing of a statement libpg_query cannot parse is shown.
    CHECK_FALSE(shown_statement("SELEC 'secret' FROM t"));
}

TEST_CASE("a parse error never quotes a constant, terminated or not", "[sql][shape][redaction]") {
    auto all = shape_statements("SELECT 1;\nSELECT * FROM users WHERE password = 'secret;\n");
    REQUIRE_FALSE(all.empty());
    bool saw_error = false;
    for (const auto& r : all) {
        if (!r.error) continue;
        saw_error = true;
        INFO(r.error->message);
        CHECK_FALSE(holds_secret(r.error->message));
        CHECK(r.error->message == "unterminated quoted string at or near a constant");
    }
    CHECK(saw_error);
    // An identifier or keyword is not a value: still quoted, it says where the error is.
    auto k = shape_statement("SELECT * FROM users WHERE WHERE");
    REQUIRE(k.error);
    CHECK(k.error->message == "syntax error at or near \"WHERE\"");
}

TEST_CASE("with_constants_masked replaces each lexer constant", "[sql][scanner][redaction]") {
    CHECK(with_constants_masked("NOTIFY ch, 'x'") == "NOTIFY ch, $1");
    CHECK(with_constants_masked("SELECT $2, 'a', 1.5, B'101', X'ff', $$q$$") == "SELECT $2, $3, $4, $5, $6, $7");
    CHECK(with_constants_masked("SELECT 'a' AS \"quoted 'id'\"") == "SELECT $1 AS \"quoted 'id'\"");
}
