// Every file of the shared corpus (PGADVISOR_SHARED_CORPUS, docs/libraries.md) is read; each count below
// was established with grep/awk on the file itself (command in the comment), not by running pgadvisor.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "ingest/plan.hpp"
#include "test_support.hpp"

using namespace pgadvisor::ingest;
using namespace pgadvisor::ingest::test;

namespace {
struct LogCase {
    const char* file;
    Format format;
    long statements;  // records
    long errors;      // records with a severity
    long with_duration;
};

long count_if_dur(const std::vector<Statement>& v) {
    long n = 0;
    for (const auto& s : v) n += s.duration_ms.has_value();
    return n;
}
long count_errors(const std::vector<Statement>& v) {
    long n = 0;
    for (const auto& s : v) n += !s.severity.empty();
    return n;
}
std::string slurp(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream o;
    o << in.rdbuf();
    return o.str();
}
long count_substr(const std::string& s, const std::string& needle) {
    long n = 0;
    for (std::size_t p = s.find(needle); p != std::string::npos; p = s.find(needle, p + needle.size())) ++n;
    return n;
}
}  // namespace

TEST_CASE("every pgBadger fixture log is read with its independently counted statements", "[ingest][corpus]") {
    // D = grep -cE 'duration: [0-9.]+ ms +(statement|execute [^:]*):' FILE
    // E = ERROR/FATAL messages that carry a STATEMENT (grep -B1 'STATEMENT:' and look; counted by hand)
    const LogCase cases[] = {
        {"anonymize.log", Format::Csvlog, 5, 0, 5},  // D=5 (3 rows are connection/other messages)
        {"begin_end.log", Format::Stderr, 0, 0, 0},  // connections only: D=0, no statement: lines
        {"cloudsql.log", Format::Jsonlog, 1, 0, 0},  // grep -c '"textPayload":"[^"]*LOG:  statement:' = 1
        {"cnpg.log", Format::Jsonlog, 404, 4, 400},  // D=400; grep -c '"error_severity":"ERROR"' = 4, each with "query"
        {"csv_statement_without_duration.log", Format::Csvlog, 2, 0,
         1},                                                      // 2 rows: one duration+execute, one bare statement:
        {"light.postgres.log", Format::Stderr, 629, 0, 629},      // D=629
        {"multiline_param.log", Format::Stderr, 5, 0, 5},         // D=5 (parse/bind lines are not statements)
        {"pg-timezones.log", Format::Stderr, 2, 0, 2},            // D=2 (one space after LOG: and ms)
        {"pg_rawcsv.log", Format::Stderr, 2, 2, 0},               // grep -c 'STATEMENT:' = 2, both after ERROR
        {"pg_vacuums.log", Format::Stderr, 0, 0, 0},              // autovacuum only: D=0
        {"pg_vacuums.json", Format::Jsonlog, 0, 0, 0},            // same events as pg_vacuums.log
        {"postgresql_param_range.log", Format::Stderr, 3, 0, 3},  // D=3, CRLF
        {"queryid.log", Format::Stderr, 23, 3, 20},               // D=20; 3 ERROR lines each followed by STATEMENT
        {"rds.log", Format::Stderr, 19990, 0, 19990},             // D=19990 (3 have an empty statement)
        {"stmt_type.log", Format::Stderr, 12, 0, 12},             // D=12
        {"tempfile_only.log", Format::Stderr, 65, 0, 65},  // D=65 (the 5 STATEMENT: lines belong to temp-file LOGs)
        {"weeknumber.log", Format::Csvlog, 6, 0, 6},       // D=6
        {"logplex", Format::Syslog, 5, 1, 4},              // D=4; the deadlock ERROR [19-1] with its STATEMENT [19-10]
        {"pg-syslog.1", Format::Syslog, 19952, 0, 19952},  // D=19952
    };
    for (const auto& c : cases) {
        INFO(c.file);
        auto r = ingest_path(corpus(std::string("logs/pgbadger/") + c.file));
        CHECK(r.report.error.empty());
        CHECK(r.report.format == c.format);
        CHECK(static_cast<long>(r.statements.size()) == c.statements);
        CHECK(count_errors(r.statements) == c.errors);
        CHECK(count_if_dur(r.statements) == c.with_duration);
    }
}

TEST_CASE("pgBadger fixtures: prefixes are detected and fields filled", "[ingest][corpus]") {
    auto r = ingest_path(corpus("logs/pgbadger/light.postgres.log"));
    CHECK(r.report.prefix == "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ");
    REQUIRE(r.statements.size() == 629);
    const auto& s = r.statements.front();  // line 2: [36]: [121-1] ... duration: 2.280 ms  statement: END;
    CHECK(s.source.first_line == 2);
    CHECK(s.pid == 36);
    CHECK(s.user == "postgres");
    CHECK(s.database == "postgres");
    CHECK(s.application == "pgbench");
    CHECK(s.timestamp == "2017-09-06 08:41:41 UTC");
    CHECK(*s.duration_ms == Approx(2.280));
    CHECK(s.text == "END;");
    CHECK(r.issues.total() == 0);

    auto rds = ingest_path(corpus("logs/pgbadger/rds.log"));
    CHECK(rds.report.prefix.find("%u@%d:[%p]:") != std::string::npos);
    auto q = ingest_path(corpus("logs/pgbadger/queryid.log"));
    // Written with %q upstream; every line here has user@db, so both spellings fit.
    CHECK(q.report.prefix.find("%m [%p] [queryid=%Q] ") == 0);
    CHECK(q.report.prefix.find("%u@%d ") != std::string::npos);
    // A multi-line statement keeps its lines (tab continuation removed) and its line range.
    REQUIRE(q.statements.size() > 1);
    CHECK(q.statements[1].source.first_line == 2);
    CHECK(q.statements[1].source.last_line == 14);
    CHECK(q.statements[1].text.find("\n  c.relname as \"Name\",") != std::string::npos);
    CHECK(q.statements[1].query_id == 4266247047529477710LL);
}

TEST_CASE("pg_rawcsv.log: the two pg_ctl lines are reported with file:line and the rest is read", "[ingest][corpus]") {
    auto r = ingest_path(corpus("logs/pgbadger/pg_rawcsv.log"));
    CHECK(r.issues.count(issue::kPrefixMismatch) == 2);
    const auto& ex = r.issues.kinds().at(issue::kPrefixMismatch).examples;
    REQUIRE(ex.size() == 2);
    CHECK(ex[0].find("pg_rawcsv.log:3: does not match log_line_prefix '%m [%p] %q%u@%d '") != std::string::npos);
    REQUIRE(r.statements.size() == 2);
    CHECK(r.statements[0].severity == "ERROR");
    CHECK(r.statements[0].error_message.find("function to_date(unknown, unknown) does not exist") == std::string::npos);
}

TEST_CASE("every EXPLAIN sample in the corpus gives one plan with its node count", "[ingest][corpus][explain]") {
    const char* files[] = {
        "01-nested-loop-left-join-bitmap-buffers.txt",
        "02-nested-loop-left-join-bitmap.json",
        "03-seqscan-rows-removed-hash-join-sort-missing-index.json",
        "04-aggregate-four-joins-seqscans-limit.json",
        "05-nested-loops-subplan-quoted-lines.txt",
        "06-cte-scan-sort-buffers.txt",
        "07-append-cte-limit-no-costs.txt",
        "08-many-ctes-nested-loop-index-scan.json",
        "09-very-large-plan-object.json",
        "10-delete-triggers-psql-header-footer.txt",
        "11-merge-verbose-buffers-wal-serialize-memory.txt",
        "12-parallel-gather-seqscan-verbose.json",
        "13-parallel-seq-scan-4-workers-hash-join.txt",
        "14-partitions-append-seqscan-indexscan.txt",
        "15-memoize-nested-loop-index-scan.txt",
        "16-hash-join-batches-io-timings-rows-removed.txt",
        "17-line-wrapped-parallel-hash-semi-join.txt",
        "18-psql-unicode-frame-nested-loop-seqscans.txt",
        "19-psql-ascii-frame-json-plan.txt",
        "20-dbeaver-delete-seqscan-wal.txt",
        "21-psql-session-sort-external-merge-localized.txt",
        "22-recursive-cte-external-merge-wrapped-header.txt",
        "23-nested-loop-hash-join-io-timings.txt",
        "24-autoexplain-json-insert-on-conflict-upsert.json",
        "25-autoexplain-json-memoize-nested-loop.json",
        "26-autoexplain-json-insert-select-nested-loop.json",
        "27-autoexplain-json-parallel-gather-append.json",
        "28-docs-seqscan-rows-removed-by-filter.txt",
        "29-docs-nested-loop-bitmap-index-scan-loops.txt",
        "30-docs-sort-hash-join-seqscan-buckets.txt",
    };
    for (const char* f : files) {
        INFO(f);
        const std::string path = corpus(std::string("explain/") + f);
        auto r = ingest_path(path);
        CHECK(r.report.format == Format::Explain);
        REQUIRE(r.statements.size() == 1);  // one plan per file (each has one "Execution Time" / "Plan")
        REQUIRE(r.statements[0].plan);
        // Independent node count: text plans mark each child with "->", JSON plans
        // have one "Node Type" per node.
        const std::string text = slurp(path);
        long expected = count_substr(text, "\"Node Type\"");
        if (expected == 0) expected = count_substr(text, "->") + 1;
        CHECK(plan_node_count(r.statements[0].plan->root) == expected);
        CHECK(r.issues.total() == 0);
    }
}

TEST_CASE("plan fields: text and JSON forms of the same plan agree", "[ingest][explain]") {
    auto t = ingest_path(corpus("explain/01-nested-loop-left-join-bitmap-buffers.txt"));
    auto j = ingest_path(corpus("explain/02-nested-loop-left-join-bitmap.json"));
    REQUIRE(t.statements.size() == 1);
    REQUIRE(j.statements.size() == 1);
    const auto& a = t.statements[0].plan->root;
    const auto& b = j.statements[0].plan->root;
    CHECK(a.node_type == "Nested Loop");
    CHECK(b.node_type == "Nested Loop");
    CHECK(a.children.size() == b.children.size());
    CHECK(plan_node_count(a) == plan_node_count(b));
    REQUIRE(a.actual_rows);
    REQUIRE(b.actual_rows);
    CHECK(*a.actual_rows == *b.actual_rows);
    CHECK(*a.plan_rows == *b.plan_rows);
}

TEST_CASE("plan fields from the PostgreSQL docs sample", "[ingest][explain]") {
    // 28: Seq Scan on tenk1 ... Filter: (ten < 7), Rows Removed by Filter: 3000
    auto r = ingest_path(corpus("explain/28-docs-seqscan-rows-removed-by-filter.txt"));
    REQUIRE(r.statements.size() == 1);
    const auto& n = r.statements[0].plan->root;
    CHECK(n.node_type == "Seq Scan");
    CHECK(n.relation == "tenk1");
    CHECK(n.filter == "(ten < 7)");
    REQUIRE(n.rows_removed_by_filter);
    CHECK(*n.rows_removed_by_filter == 3000);
    REQUIRE(n.actual_rows);
    CHECK(*n.actual_rows == 7000);
    CHECK(*n.actual_loops == 1);
    // 29: inner Index Scan using tenk2_unique2 on tenk2 t2 ... loops=10
    auto r2 = ingest_path(corpus("explain/29-docs-nested-loop-bitmap-index-scan-loops.txt"));
    REQUIRE(r2.statements.size() == 1);
    const auto& root = r2.statements[0].plan->root;
    REQUIRE(root.children.size() == 2);
    const auto& inner = root.children[1];
    CHECK(inner.node_type == "Index Scan");
    CHECK(inner.index_name == "tenk2_unique2");
    CHECK(inner.relation == "tenk2");
    CHECK(inner.alias == "t2");
    CHECK(inner.index_cond == "(unique2 = t1.unique2)");
    CHECK(*inner.actual_loops == 10);
    const auto& bitmap_heap = root.children[0];
    CHECK(bitmap_heap.node_type == "Bitmap Heap Scan");
    CHECK(bitmap_heap.recheck_cond == "(unique1 < 10)");
    REQUIRE(bitmap_heap.children.size() == 1);
    CHECK(bitmap_heap.children[0].node_type == "Bitmap Index Scan");
    CHECK(bitmap_heap.children[0].index_name == "tenk1_unique1");
}

TEST_CASE("several plans in one file, text and JSON", "[ingest][explain]") {
    auto t = ingest_path(fixture("two-text-plans.txt"));  // corpus 28 + 29
    REQUIRE(t.statements.size() == 2);
    CHECK(t.statements[0].plan->root.node_type == "Seq Scan");
    CHECK(t.statements[1].plan->root.node_type == "Nested Loop");
    CHECK(plan_node_count(t.statements[1].plan->root) == 4);
    auto j = ingest_path(fixture("two-json-plans.json"));  // corpus 24 + 25, auto_explain style
    REQUIRE(j.statements.size() == 2);
    CHECK(j.statements[0].text.find("on conflict") != std::string::npos);
    CHECK(j.statements[0].plan->root.node_type == "ModifyTable");
    CHECK(j.statements[1].plan->root.node_type == "Aggregate");  // first "Node Type" in 25
    CHECK_FALSE(j.statements[1].text.empty());
    CHECK(t.issues.total() + j.issues.total() == 0);
}
