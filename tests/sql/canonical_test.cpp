// The canonical expression form: what the server prints (pg_get_indexdef,
// pg_get_expr) and what DDL says must meet; different expressions must not.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "sql/canonical.hpp"
#include "catalog/live_loader.hpp"

using pgadvisor::sql::canonical_expr_text;

TEST_CASE("server-printed and hand-written expressions meet in one canonical form", "[sql][canonical]") {
    // Casts the server adds: to text for varchar arguments, on constants.
    CHECK(canonical_expr_text("lower((email)::text)") == canonical_expr_text("lower(email)"));
    CHECK(canonical_expr_text("(status = 'active'::text)") == canonical_expr_text("status = 'active'"));
    // IN lists: stored as = ANY(array), printed as an array literal or an ARRAY[] of casts.
    CHECK(canonical_expr_text("(status = ANY ('{new,paid}'::order_status[]))") ==
          canonical_expr_text("status IN ('new', 'paid')"));
    CHECK(canonical_expr_text("(kind = ANY (ARRAY['a'::text, 'b c'::text]))") ==
          canonical_expr_text("kind IN ('a', 'b c')"));
    CHECK(canonical_expr_text("(n = ANY ('{1,2}'::integer[]))") == canonical_expr_text("n IN (1, 2)"));
    // BETWEEN is stored as two comparisons; AND chains are flat.
    CHECK(canonical_expr_text("((rating >= 1) AND (rating <= 2))") == canonical_expr_text("rating BETWEEN 1 AND 2"));
    CHECK(canonical_expr_text("((a > 1) AND (b > 2) AND (c > 3))") ==
          canonical_expr_text("a > 1 AND (b > 2 AND c > 3)"));
    // Quoted identifiers stay quoted; type names are the catalog's.
    CHECK(canonical_expr_text("lower(\"userEmail\")") == "lower(\"userEmail\")");
    CHECK(canonical_expr_text("(created_at)::date") == "created_at::date");
    CHECK(canonical_expr_text("x::int") == "x::integer");
    CHECK(canonical_expr_text("(deleted_at IS NULL)") == "(deleted_at IS NULL)");
    CHECK(canonical_expr_text("NOT succeeded") == "(NOT succeeded)");
}

TEST_CASE("different expressions stay different", "[sql][canonical]") {
    CHECK(canonical_expr_text("lower(email)") != canonical_expr_text("upper(email)"));
    CHECK(canonical_expr_text("a::date") != canonical_expr_text("a"));  // only text casts are dropped
    CHECK(canonical_expr_text("status IN ('new', 'paid')") != canonical_expr_text("status IN ('new')"));
    CHECK(canonical_expr_text("status NOT IN ('new')") != canonical_expr_text("status IN ('new')"));
    CHECK(canonical_expr_text("a < 10") != canonical_expr_text("a <= 10"));
    CHECK(canonical_expr_text("\"A\"") != canonical_expr_text("a"));
    // A negative integer is itself: libpg_query's JSON tree prints -1 as it
    // prints 0 (tests/sql/compact_json_test.cpp), and these met.
    CHECK(canonical_expr_text("status = -1") != canonical_expr_text("status = 0"));
    CHECK(canonical_expr_text("status = -1") == "(status = -1)");
    CHECK(canonical_expr_text("(status = '-1'::integer)") == canonical_expr_text("status = -1"));
    CHECK(canonical_expr_text("this is not sql ((") == "");
}

TEST_CASE("passwords are redacted from any text, in URL and key=value forms", "[sql][live]") {
    using pgadvisor::catalog::describe_target;
    using pgadvisor::catalog::redact_password;
    CHECK(redact_password("FATAL: password authentication failed (pw=hunter2)", "host=db password=hunter2 user=bob") ==
          "FATAL: password authentication failed (pw=********)");
    CHECK(redact_password("x hunter2 y hunter2", "postgresql://bob:hunter2@db:6432/app") == "x ******** y ********");
    CHECK(describe_target("postgresql://bob:hunter2@db.example:6432/app") ==
          "host=db.example port=6432 dbname=app user=bob");
    CHECK(describe_target("host=10.0.0.5 port=5433 dbname=shop user=ro password=pw").find("pw") == std::string::npos);
}

TEST_CASE("a short password is redacted where it stands alone, never inside words", "[sql][live]") {
    using pgadvisor::catalog::redact_password;
    // Before: "c********necti******** refused", which also told where "on" occurs.
    CHECK(redact_password("connection refused", "host=db password=on") == "connection refused");
    CHECK(redact_password("auth failed for password=on (on)", "host=db password=on") ==
          "auth failed for password=******** (********)");
}

TEST_CASE("a connection string libpq cannot parse is never shown", "[sql][live]") {
    using pgadvisor::catalog::conninfo_parses;
    CHECK(conninfo_parses("postgresql://bob:hunter2@db:6432/app"));
    CHECK(conninfo_parses("host=db password=hunter2"));
    CHECK_FALSE(conninfo_parses("postgresql://bob:hun%zzter2@db/app"));  // a raw % in the password
    CHECK_FALSE(conninfo_parses("postgresql://bob:hunter2@[::1/app"));   // an unclosed IPv6 bracket
    CHECK_FALSE(conninfo_parses("host=db password='hunter2"));           // an unclosed quote
    const auto r = pgadvisor::catalog::load_live({"postgresql://bob:hun%zzter2@db/app"});
    REQUIRE(r.error);
    CHECK(r.error->connection);
    CHECK(r.error->message.find("hun") == std::string::npos);
    CHECK(r.error->message.find("does not parse") != std::string::npos);
}

TEST_CASE("a connection string gets connect_timeout=10 unless it or PGCONNECT_TIMEOUT sets one", "[sql][live]") {
    using pgadvisor::catalog::with_default_connect_timeout;
    if (std::getenv("PGCONNECT_TIMEOUT")) return;  // the user's own default wins
    CHECK(with_default_connect_timeout("host=db dbname=app") == "host=db dbname=app connect_timeout=10");
    CHECK(with_default_connect_timeout("") == "connect_timeout=10");
    CHECK(with_default_connect_timeout("postgresql://bob@db/app") == "postgresql://bob@db/app?connect_timeout=10");
    CHECK(with_default_connect_timeout("postgresql://db/app?sslmode=require") ==
          "postgresql://db/app?sslmode=require&connect_timeout=10");
    CHECK(with_default_connect_timeout("host=db connect_timeout=3") == "host=db connect_timeout=3");
    CHECK(with_default_connect_timeout("postgresql://db/app?connect_timeout=3") ==
          "postgresql://db/app?connect_timeout=3");
}
