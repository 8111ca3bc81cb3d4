// plpgsql_body_statements: the SQL statements inside DO blocks and CREATE
// FUNCTION ... LANGUAGE plpgsql bodies, read with libpg_query's PL/pgSQL parser
// (issue 14: Sequelize's findOrCreate sends its INSERT inside one).
#include <catch2/catch.hpp>

#include "sql/plpgsql.hpp"

using namespace pgadvisor::sql;

namespace {

// What Sequelize 6 sent for DailySlot.findOrCreate (examples/sequelize-clinic/captured/postgresql.log):
// one log entry holding the CREATE FUNCTION, the SELECT that calls it and the DROP.
const std::string kFindOrCreate =
    "CREATE OR REPLACE FUNCTION pg_temp.testfunc(OUT response \"daily_slots\", OUT sequelize_caught_exception text) "
    "RETURNS RECORD AS $func_f4a261fcdd5245289680df0decbd6f49$ BEGIN INSERT INTO \"daily_slots\" "
    "(\"id\",\"day\",\"capacity\",\"booked\",\"created_at\",\"updated_at\",\"doctor_id\") VALUES "
    "(DEFAULT,'2026-12-05',16,0,'2026-12-02 07:22:12.671 +00:00','2026-12-02 07:22:12.671 +00:00',18) RETURNING * "
    "INTO response; EXCEPTION WHEN unique_violation THEN GET STACKED DIAGNOSTICS sequelize_caught_exception = "
    "PG_EXCEPTION_DETAIL; END $func_f4a261fcdd5245289680df0decbd6f49$ LANGUAGE plpgsql; SELECT "
    "(testfunc.response).\"id\", testfunc.sequelize_caught_exception FROM pg_temp.testfunc(); DROP FUNCTION IF "
    "EXISTS pg_temp.testfunc() /*request_id='req-14-5',route='%2Fdoctors%2F%3Aid%2Fslots'*/;";

// The value a VALUES item of the statement's first row holds.
std::string inserted(const BodyStatement& b, const std::string& column) {
    const auto& ins = *b.shape.insert;
    for (std::size_t i = 0; i < ins.columns.size(); ++i)
        if (ins.columns[i] == column) {
            const int at = ins.value_literals[0][i];
            REQUIRE(at >= 0);
            return b.shape.literals[static_cast<std::size_t>(at)].value;
        }
    FAIL("no column " << column);
    return {};
}

}  // namespace

TEST_CASE("plpgsql: Sequelize's findOrCreate function gives its INSERT with the values written in it",
          "[sql][plpgsql]") {
    auto body = plpgsql_body_statements(kFindOrCreate);
    REQUIRE(body.size() == 1);
    CHECK(body[0].routine == "pg_temp.testfunc");
    CHECK(body[0].catches_unique_violation);
    const auto& s = body[0].shape;
    CHECK(s.kind == StatementKind::Insert);
    REQUIRE(s.insert);
    REQUIRE(s.tables.size() == 1);
    CHECK(s.tables[0].name == "daily_slots");
    CHECK(s.insert->columns ==
          std::vector<std::string>{"id", "day", "capacity", "booked", "created_at", "updated_at", "doctor_id"});
    CHECK(s.has_returning);  // RETURNING * INTO response: PL/pgSQL's INTO is not part of the statement
    CHECK(inserted(body[0], "day") == "2026-12-05");
    CHECK(inserted(body[0], "doctor_id") == "18");
    // The normalized text has no value of the body.
    CHECK(s.normalized.find("2026-12-05") == std::string::npos);
    CHECK(s.normalized.rfind("INSERT INTO \"daily_slots\"", 0) == 0);
}

TEST_CASE("plpgsql: DO blocks, nested blocks, and routines in other languages", "[sql][plpgsql]") {
    auto do_block = plpgsql_body_statements(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM tags WHERE name = 'x') THEN INSERT INTO tags (name) VALUES ('x'); "
        "END IF; END $$");
    REQUIRE(do_block.size() == 1);  // the IF condition is an expression, not a statement of the body
    CHECK(do_block[0].routine == "DO");
    CHECK_FALSE(do_block[0].catches_unique_violation);
    CHECK(do_block[0].shape.kind == StatementKind::Insert);

    // Two routines in one text: the SQL one has no body to read, the PL/pgSQL one keeps its own name.
    auto two = plpgsql_body_statements(
        "CREATE FUNCTION one() RETURNS int AS 'SELECT 1' LANGUAGE sql; CREATE FUNCTION app.two() RETURNS int "
        "LANGUAGE plpgsql AS $$ BEGIN UPDATE t SET a = 1 WHERE id = 2; INSERT INTO t (id) VALUES (3); RETURN 1; END $$");
    REQUIRE(two.size() == 2);
    CHECK(two[0].routine == "app.two");
    CHECK(two[0].shape.kind == StatementKind::Update);
    CHECK(two[1].shape.kind == StatementKind::Insert);

    CHECK(plpgsql_body_statements("DO LANGUAGE plperl $$ 1; $$").empty());
    CHECK(plpgsql_body_statements("SELECT 1").empty());
    CHECK(plpgsql_body_statements("CREATE FUNCTION f() RETURNS int AS 'SELECT 1' LANGUAGE sql").empty());
}

TEST_CASE("plpgsql: a body that does not parse gives nothing, and no exception", "[sql][plpgsql]") {
    CHECK(plpgsql_body_statements("CREATE FUNCTION f() RETURNS int AS $$ BEGIN INSERT INTO ; END $$ LANGUAGE plpgsql")
              .empty());
    CHECK(plpgsql_body_statements("CREATE FUNCTION f( RETURNS").empty());
    CHECK(plpgsql_body_statements("").empty());
}

TEST_CASE("plpgsql: a deeply nested body is read without exhausting the stack", "[sql][plpgsql]") {
    // 2,000 nested IF blocks around an INSERT: the walk stops at its depth limit, the
    // INSERT inside is not reported, and nothing crashes.
    std::string body;
    for (int i = 0; i < 2000; ++i) body += "IF true THEN ";
    body += "INSERT INTO t (a) VALUES (1); ";
    for (int i = 0; i < 2000; ++i) body += "END IF; ";
    auto deep = plpgsql_body_statements("DO $$ BEGIN " + body + "END $$");
    CHECK(deep.empty());
    // A few levels are read.
    auto shallow = plpgsql_body_statements(
        "DO $$ BEGIN IF true THEN IF true THEN INSERT INTO t (a) VALUES (1); END IF; END IF; END $$");
    CHECK(shallow.size() == 1);
}
