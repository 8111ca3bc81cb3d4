// log_line_prefix escapes, prefix detection, pg_stat_statements CSV and .sql files.
#include <catch2/catch.hpp>

#include "ingest/prefix.hpp"
#include "test_support.hpp"

using namespace pgadvisor::ingest;
using namespace pgadvisor::ingest::test;

TEST_CASE("every documented log_line_prefix escape is matched and fills its field", "[ingest][prefix]") {
    auto p = LinePrefix::compile("%m|%t|%n|%p|%P|%l|%s|%v|%x|%c|%e|%Q|%a|%u|%d|%r|%h|%b|%i|%%|");
    const std::string line =
        "2024-05-01 10:00:00.123 CEST|2024-05-01 10:00:00 CEST|1714557600.123|4242||7|2024-05-01 09:59:00 CEST|3/14|"
        "901|66320000.1092|42P01|-8112313845396740087|my app|alice|shop|10.0.0.1(5432)|10.0.0.1|client backend|SELECT|%|"
        "ERROR:  relation \"x\" does not exist";
    LogEntry e;
    auto msg = p.match(line, e);
    REQUIRE(msg);
    CHECK(line.substr(*msg) == "relation \"x\" does not exist");
    CHECK(e.severity == "ERROR");
    CHECK(e.pid == 4242);
    CHECK(e.vxid == "3/14");
    CHECK(e.xid == 901);
    CHECK(e.session_id == "66320000.1092");
    CHECK(e.sqlstate == "42P01");
    CHECK(e.query_id == -8112313845396740087LL);
    CHECK(e.application == "my app");
    CHECK(e.user == "alice");
    CHECK(e.database == "shop");
    CHECK(e.epoch_ms == Approx(1714557600123.0));  // %n is the last timestamp escape matched
}

TEST_CASE("%q: background processes stop the prefix there", "[ingest][prefix]") {
    auto p = LinePrefix::compile("%m [%p] %q%u@%d ");
    LogEntry a, b;
    CHECK(p.match("2025-01-21 18:37:49.783 CET [78776] LOG:  listening on IPv4", a));
    CHECK(a.user.empty());
    REQUIRE(p.match("2025-01-21 18:38:06.453 CET [78790] bob@shop ERROR:  boom", b));
    CHECK(b.user == "bob");
    CHECK(b.database == "shop");
    CHECK(b.epoch_ms == Approx(1737481086453.0));  // zone abbreviations are read as UTC
}

TEST_CASE("a line that does not fit the prefix is refused", "[ingest][prefix]") {
    auto p = LinePrefix::compile("%m [%p] ");
    LogEntry e;
    CHECK_FALSE(p.match("2024-05-01 10:00:00 UTC [42] LOG:  x", e));         // %m needs milliseconds
    CHECK_FALSE(p.match("2024-05-01 10:00:00.1 UTC [abc] LOG:  x", e));      // %p is a number
    CHECK_FALSE(p.match("2024-05-01 10:00:00.1 UTC [42] NOTAWORD:  x", e));  // not a severity
    CHECK_FALSE(p.match("\tcontinuation line", e));
}

TEST_CASE("prefix detection from sample lines", "[ingest][prefix]") {
    CHECK(detect_prefix({"2024-05-01 10:00:00.123 UTC [42] LOG:  duration: 1 ms  statement: SELECT 1"}) == "%m [%p] ");
    // Not in the list of common prefixes: inferred from the line.
    CHECK(detect_prefix({"2024-05-01 10:00:00 UTC [42]: [3-1] app=x,user=u,db=d LOG:  statement: SELECT 1",
                         "2024-05-01 10:00:01 UTC [42]: [4-1] app=x,user=u,db=d LOG:  statement: SELECT 2"}) ==
          "%t [%p]: [%l-1] app=%a,user=%u,db=%d ");
    CHECK_FALSE(detect_prefix({"hello world", "no severity here"}));
}

TEST_CASE("pg_stat_statements CSV: columns by header name, PostgreSQL 13+ and 12 names", "[ingest][pgss]") {
    auto r = ingest_path(fixture("pgss-pg13.csv"));
    CHECK(r.report.format == Format::Pgss);
    REQUIRE(r.statements.size() == 3);  // 3 data rows (one spans 3 lines)
    CHECK(r.statements[0].text == "SELECT * FROM orders WHERE customer_id = $1");
    CHECK(r.statements[0].calls == 1200);
    CHECK(*r.statements[0].duration_ms == Approx(845.5));
    CHECK(r.statements[0].query_id == -4382563471882716563LL);
    CHECK(r.statements[1].text == "UPDATE accounts\n   SET balance = balance + $1\n WHERE id = $2");
    CHECK(r.statements[1].source.first_line == 3);
    CHECK(r.statements[1].source.last_line == 5);
    CHECK(r.statements[2].text == "SELECT \"Quoted\", 'it''s' FROM t");
    auto old = ingest_path(fixture("pgss-pg12.csv"));
    REQUIRE(old.statements.size() == 1);  // the second row has an extra column
    CHECK(*old.statements[0].duration_ms == Approx(2.5));
    CHECK(old.issues.count(issue::kCsvColumns) == 1);
}

TEST_CASE(".sql files: one record per statement, with its lines", "[ingest][sql]") {
    auto r = ingest_path(fixture("queries.sql"));
    CHECK(r.report.format == Format::Sql);
    REQUIRE(r.statements.size() == 4);  // counted by hand, see the file's first line
    CHECK(r.statements[0].text == "SELECT id FROM orders WHERE note = 'a;b'");
    CHECK(r.statements[0].source.first_line == 2);
    CHECK(r.statements[1].text == "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$");
    CHECK(r.statements[2].source.last_line == 7);
    CHECK(r.statements[3].text == "DELETE FROM orders WHERE id IN (1, 2, 3)");
    for (const auto& s : r.statements) {
        CHECK_FALSE(s.duration_ms);
        CHECK(s.source.first_line >= 1);
        CHECK(s.source.last_line >= s.source.first_line);
    }
}

TEST_CASE("a hostile line cannot make prefix matching explode", "[ingest][prefix]") {
    // Four free-text fields separated by one character, on a line of that character only.
    auto p = LinePrefix::compile("%u,%d,%a,%h,%i ");
    std::string line(4000, ',');
    LogEntry e;
    CHECK_FALSE(p.match(line, e));  // returns (quickly) instead of trying 256^4 splits
}
