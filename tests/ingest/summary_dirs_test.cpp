// Aggregation (shapes, sessions, time span), the background aggregator, and
// directory expansion in time order.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "ingest/summary.hpp"
#include "test_support.hpp"

using namespace pgadvisor::ingest;
using namespace pgadvisor::ingest::test;
namespace fs = std::filesystem;

TEST_CASE("summary of a pgbench log: pgbench's 7 statement shapes, sessions, time span", "[ingest][summary]") {
    // pgbench's TPC-B script sends 7 statements: BEGIN, 3 UPDATEs, SELECT, INSERT, END.
    auto r = ingest_path(corpus("logs/pgbadger/light.postgres.log"));
    Aggregator agg;
    for (const auto& s : r.statements) agg.add(s);
    const auto& sum = agg.summary();
    CHECK(sum.statements == 629);
    CHECK(sum.shapes.size() == 7);
    CHECK(sum.libpg_calls == 7);         // one libpg_query call per distinct key
    CHECK(sum.keyed_fast == 629 - 7);
    CHECK(sum.first_ts == "2017-09-06 08:41:41 UTC");
    CHECK(sum.last_ts == "2017-09-06 09:01:28 UTC");  // tail -1 light.postgres.log
    long long calls = 0;
    for (const auto& s : sum.shapes) {
        calls += s.calls;
        CHECK(s.parses);
        CHECK(s.normalized.find("72639") == std::string::npos);  // a literal of line 3 is gone
    }
    CHECK(calls == 629);
    auto top = sum.top_by_total(1);
    REQUIRE(top.size() == 1);
    CHECK(top[0]->normalized == "UPDATE pgbench_tellers SET tbalance = tbalance + $1 WHERE tid = $2;");
    CHECK(top[0]->p95_ms() >= top[0]->mean_ms());
}

TEST_CASE("the background aggregator gives the same summary as the plain one", "[ingest][summary]") {
    auto r = ingest_path(fixture("pg15-workload.log"));
    Aggregator plain;
    for (const auto& s : r.statements) plain.add(s);
    BackgroundAggregator bg;
    for (auto s : r.statements) bg.add(std::move(s));
    const auto& a = plain.summary();
    const auto& b = bg.finish().summary();
    CHECK(a.statements == b.statements);
    CHECK(a.errors == b.errors);
    CHECK(a.with_plan == b.with_plan);
    CHECK(a.sessions == b.sessions);
    REQUIRE(a.shapes.size() == b.shapes.size());
    for (std::size_t i = 0; i < a.shapes.size(); ++i) {
        CHECK(a.shapes[i].fingerprint == b.shapes[i].fingerprint);
        CHECK(a.shapes[i].calls == b.shapes[i].calls);
        CHECK(a.shapes[i].total_ms == b.shapes[i].total_ms);
    }
}

TEST_CASE("syslog: [N-M] continuation lines and #011 tabs rebuild the statement", "[ingest][syslog]") {
    auto r = ingest_path(corpus("logs/pgbadger/pg-syslog.1"));
    // Lines 33-40 of pg-syslog.1: psql's \d query split over [7-1] .. [7-8].
    const Statement* s = nullptr;
    for (const auto& x : r.statements)
        if (x.source.first_line <= 40 && x.source.last_line >= 40) s = &x;
    REQUIRE(s);
    CHECK(s->text.find("ORDER BY 1;") != std::string::npos);
    CHECK(s->text.find("#011") == std::string::npos);
    CHECK(s->pid == 10825);
    CHECK(s->database == "postgres");
    CHECK(s->application == "psql");
    // Syslog's "Feb 11 13:15:41" has no year: the current one is assumed.
    REQUIRE(s->timestamp.size() == 19);
    CHECK(s->timestamp.substr(4) == "-02-11 13:15:41");
    CHECK(s->epoch_ms > 0);
}

TEST_CASE("directories are expanded recursively and read oldest file first", "[ingest][dirs]") {
    auto dir = fs::temp_directory_path() / "pgadvisor-ingest-dir-test";
    fs::remove_all(dir);
    fs::create_directories(dir / "sub");
    fs::copy_file(fixture("pg15-workload.csv"), dir / "sub" / "new.csv");
    fs::copy_file(fixture("small.log.gz"), dir / "old.log.gz");
    std::ofstream(dir / ".hidden") << "ignored";
    auto now = fs::file_time_type::clock::now();
    fs::last_write_time(dir / "old.log.gz", now - std::chrono::hours(48));
    fs::last_write_time(dir / "sub" / "new.csv", now - std::chrono::hours(1));
    Issues issues;
    auto files = expand_inputs({dir.string()}, issues);
    REQUIRE(files.size() == 2);
    CHECK(files[0] == (dir / "old.log.gz").string());
    CHECK(files[1] == (dir / "sub" / "new.csv").string());
    IngestOptions o;
    o.inputs = {dir.string()};
    long n = 0;
    auto rep = ingest(o, [&](Statement&&) { ++n; });
    CHECK(n == 89 * 2);
    CHECK(rep.files.size() == 2);
    CHECK(rep.files[0].compression == "gzip");
    CHECK(rep.files[1].format == Format::Csvlog);
    CHECK_FALSE(rep.nothing_read());
    fs::remove_all(dir);
}
