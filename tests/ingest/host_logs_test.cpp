// The logs hosts write (issue 18), read as pgBadger reads them, on pgBadger's own
// test fixtures (tests/fixtures/ingest/pgbadger/SOURCE.md): Heroku logplex, Google
// Cloud SQL's JSON wrapper, syslog with an empty log_line_prefix, bzip2 and xz
// files, and pgbouncer logs, which are named as such and not read. Every count
// below was taken from the fixture with grep (command in the comment).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_support.hpp"

using namespace pgadvisor::ingest;
using namespace pgadvisor::ingest::test;

namespace {
std::string pgbadger(const std::string& name) { return fixture("pgbadger/" + name); }

const Statement* find_text(const std::vector<Statement>& v, const std::string& needle) {
    for (const auto& s : v)
        if (s.text.find(needle) != std::string::npos) return &s;
    return nullptr;
}
long count_failed(const std::vector<Statement>& v) {
    return std::count_if(v.begin(), v.end(), [](const Statement& s) { return !s.severity.empty(); });
}
long count_timed(const std::vector<Statement>& v) {
    return std::count_if(v.begin(), v.end(), [](const Statement& s) { return s.duration_ms.has_value(); });
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream o;
    o << in.rdbuf();
    return o.str();
}
// The bytes of `from` under a name without any compression suffix.
std::string copy_without_suffix(const std::string& from, const std::string& name) {
    auto path = std::filesystem::temp_directory_path() / ("pgadvisor-host-logs-" + name);
    std::ofstream(path, std::ios::binary) << slurp(from);
    return path.string();
}
std::string write_temp(const std::string& name, const std::string& bytes) {
    auto path = std::filesystem::temp_directory_path() / ("pgadvisor-host-logs-" + name);
    std::ofstream(path, std::ios::binary) << bytes;
    return path.string();
}
}  // namespace

TEST_CASE("Heroku logplex: lines after [N-1] keep their prefix, so a failed statement is kept", "[ingest][host-logs]") {
    // Heroku's log_line_prefix starts with a space: "[19-10]  sql_error_code = 40P01 STATEMENT:  ...".
    auto r = ingest_path(pgbadger("logplex.gz"));
    CHECK(r.report.format == Format::Syslog);
    CHECK(r.report.prefix == "sql_error_code = %e ");
    // grep -c 'duration: [0-9.]* ms  statement:' = 4; one ERROR (deadlock detected, [19-1]) with its STATEMENT [19-10].
    REQUIRE(r.statements.size() == 5);
    CHECK(count_timed(r.statements) == 4);
    REQUIRE(count_failed(r.statements) == 1);
    const auto& failed = *std::find_if(r.statements.begin(), r.statements.end(),
                                       [](const Statement& s) { return !s.severity.empty(); });
    CHECK(failed.severity == "ERROR");
    CHECK(failed.error_message == "deadlock detected");
    CHECK(failed.sqlstate == "40P01");
    CHECK(failed.pid == 4849);
    CHECK(failed.source.first_line == 9);
    CHECK(failed.source.last_line == 18);
    CHECK(failed.text.rfind("WITH redacted_table as (select redacted_field_1, key FROM redacted_table_2", 0) == 0);
    CHECK(failed.timestamp == "2019-03-14T00:23:00+00:00");
    // The 2021 lines: an UPDATE over six [921320-N] lines, its continuations indented with spaces.
    const Statement* update = find_text(r.statements, "UPDATE \"checkers\"");
    REQUIRE(update);
    CHECK(update->source.first_line == 31);
    CHECK(update->source.last_line == 36);
    CHECK(update->text.find("\n          select COUNT(id) from missions\n") != std::string::npos);
    CHECK(update->pid == 5925);
    CHECK(r.issues.total() == 0);
}

TEST_CASE("Cloud SQL: the time comes from the JSON wrapper when the textPayload has none", "[ingest][host-logs]") {
    auto r = ingest_path(pgbadger("cloudsql.log.gz"));
    CHECK(r.report.format == Format::Jsonlog);
    // grep -c '"textPayload":"[^"]*LOG:  statement:' = 1, line 993: "[202]: [2-1] db=test,user=cloudsqladmin LOG:  statement: SELECT *  FROM t1"
    REQUIRE(r.statements.size() == 1);
    const auto& s = r.statements.front();
    CHECK(s.source.first_line == 993);
    CHECK(s.pid == 202);
    CHECK(s.database == "test");
    CHECK(s.timestamp == "2020-05-02T13:43:20.415426Z");  // its "timestamp"; "receiveTimestamp" is 2 s later
    CHECK(s.epoch_ms == Approx(1588427000415.426));       // python3: datetime(2020,5,2,13,43,20,415426,utc)
}

TEST_CASE("Cloud SQL: receiveTimestamp stands in when the wrapper has no timestamp", "[ingest][host-logs]") {
    const std::string line =
        R"({"receiveTimestamp":"2020-05-02T13:43:22.371577458Z","severity":"INFO","textPayload":"[202]: [2-1] db=test,user=u LOG:  duration: 1.000 ms  statement: SELECT 1"})";
    auto r = ingest_path(write_temp("cloudsql-receive.json", line + "\n"));
    REQUIRE(r.statements.size() == 1);
    CHECK(r.statements[0].timestamp == "2020-05-02T13:43:22.371577458Z");
    CHECK(r.statements[0].epoch_ms > 0);
}

TEST_CASE("syslog with an empty log_line_prefix is read", "[ingest][host-logs]") {
    // pgBadger's pg-syslog.1 (first 400 lines) with the prefix's "db=..,user=..,app=..,client=.. " taken out.
    auto r = ingest_path(pgbadger("syslog-empty-prefix.log"));
    CHECK(r.report.error.empty());
    CHECK(r.report.format == Format::Syslog);
    CHECK(r.report.prefix.empty());
    // grep -cE 'duration: [0-9.]+ ms +statement' = 352
    REQUIRE(r.statements.size() == 352);
    CHECK(count_timed(r.statements) == 352);
    // Lines 11-18: psql's \l, continued over [7-2]..[7-8] with #011 (a tab). Records leave the
    // assembler by session, not in line order: found by pid.
    auto listing = std::find_if(r.statements.begin(), r.statements.end(),
                                [](const Statement& s) { return s.pid == 10819; });
    REQUIRE(listing != r.statements.end());
    const Statement& first = *listing;
    CHECK(first.source.first_line == 11);
    CHECK(first.source.last_line == 18);
    CHECK(first.text.rfind("SELECT d.datname as \"Name\",\n       pg_catalog.pg_get_userbyid(d.datdba) as \"Owner\",",
                           0) == 0);
    CHECK(first.text.find("\nORDER BY 1;") != std::string::npos);
    CHECK(*first.duration_ms == Approx(13.997));
    CHECK(first.epoch_ms > 0);
    // Only the three systemd lines are set apart.
    CHECK(r.issues.total() == 3);
    CHECK(r.issues.count(issue::kOtherProgram) == 3);
}

TEST_CASE("bzip2 and xz files are read like the plain file, found by their magic bytes", "[ingest][host-logs]") {
    auto bz2 = ingest_path(pgbadger("light.postgres.log.bz2"));
    auto xz = ingest_path(pgbadger("light.postgres.log.xz"));
    CHECK(bz2.report.compression == "bzip2");
    CHECK(xz.report.compression == "xz");
    // grep -c 'duration: [0-9.]* ms  statement:' = 629 (tests/ingest/corpus_test.cpp reads the plain file)
    REQUIRE(bz2.statements.size() == 629);
    REQUIRE(xz.statements.size() == 629);
    for (std::size_t i = 0; i < bz2.statements.size(); ++i) {
        CHECK(bz2.statements[i].text == xz.statements[i].text);
        CHECK(bz2.statements[i].source.first_line == xz.statements[i].source.first_line);
    }
    CHECK(bz2.report.prefix == "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ");
    CHECK(bz2.issues.total() == 0);
    CHECK(xz.issues.total() == 0);
    // The name does not matter: the first bytes do.
    auto renamed = ingest_path(copy_without_suffix(pgbadger("light.postgres.log.xz"), "light-xz"));
    CHECK(renamed.report.compression == "xz");
    CHECK(renamed.statements.size() == 629);
    auto renamed_bz2 = ingest_path(copy_without_suffix(pgbadger("light.postgres.log.bz2"), "light-bz2"));
    CHECK(renamed_bz2.report.compression == "bzip2");
    CHECK(renamed_bz2.statements.size() == 629);
}

TEST_CASE("truncated bzip2 and xz files say so and keep what came before", "[ingest][host-logs]") {
    for (const char* name : {"light.postgres.log.bz2", "light.postgres.log.xz"}) {
        CAPTURE(name);
        const std::string bytes = slurp(pgbadger(name));
        auto r = ingest_path(write_temp(std::string("cut-") + name, bytes.substr(0, bytes.size() / 2)));
        CHECK(r.statements.size() < 629);
        // xz gives out what it has decoded; bzip2 decodes whole blocks (up to 900 kB of text), and
        // this log (118 kB) is one block: none of it comes out of half the file.
        if (std::string(name).find("xz") != std::string::npos) CHECK(r.statements.size() > 100);
        REQUIRE(r.issues.count(issue::kTruncated) >= 1);
        const std::string what = std::string(name).find("bz2") != std::string::npos ? "bzip2" : "xz";
        CHECK(r.issues.kinds().at(issue::kTruncated).examples.front().find(what + " data ends early") !=
              std::string::npos);
    }
}

TEST_CASE("a pgbouncer log is named as such and not read; other inputs still are", "[ingest][host-logs]") {
    const std::string said = "this is a pgbouncer log, not a PostgreSQL server log: pgadvisor reads the server's log";
    // pgbouncer 1.9 ("<time> <pid> LOG ...") and 1.21 ("<time> <zone> [<pid>] LOG ...").
    for (const char* name : {"pgbouncer-1.9.log", "pgbouncer-1.21.log"}) {
        CAPTURE(name);
        auto r = ingest_path(pgbadger(name));
        CHECK(r.report.format == Format::Pgbouncer);
        CHECK(r.report.error == said);
        CHECK(r.statements.empty());
        CHECK(r.issues.count(issue::kNotServerLog) == 1);
    }
    IngestOptions alone;
    alone.inputs = {pgbadger("pgbouncer-1.9.log")};
    auto only = ingest(alone, [](Statement&&) {});
    CHECK(only.nothing_read());  // exit 2, as for input that is not recognised
    IngestOptions both;
    both.inputs = {pgbadger("pgbouncer-1.21.log"), pgbadger("light.postgres.log.bz2")};
    auto mixed = ingest(both, [](Statement&&) {});
    CHECK(mixed.statements == 629);
    CHECK_FALSE(mixed.nothing_read());
}

TEST_CASE("a PostgreSQL log that mentions pgbouncer is still a PostgreSQL log", "[ingest][host-logs]") {
    // Quiet: connections through pgbouncer show up in the server's log as application_name or host.
    const std::string log =
        "2018-09-12 16:08:54.775 UTC [3392] LOG:  connection authorized: user=pgbouncer database=app\n"
        "2018-09-12 16:08:54.776 UTC [3392] LOG:  duration: 0.100 ms  statement: SELECT 1\n";
    auto r = ingest_path(write_temp("mentions-pgbouncer.log", log));
    CHECK(r.report.format == Format::Stderr);
    CHECK(r.statements.size() == 1);
}
