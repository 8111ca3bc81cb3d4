// Misleading input (issue 16): a stderr line whose client-controlled prefix
// fields (%a, %u, %d) hold a fake "LOG:  duration: ..." message, a
// log_line_prefix changed in the middle of a file, and old Mac line endings.
// Each log is crafted here, small, next to what it must give.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "test_support.hpp"

using namespace pgadvisor::ingest;
using namespace pgadvisor::ingest::test;

namespace {
std::string write_temp(const std::string& name, const std::string& bytes) {
    auto dir = std::filesystem::temp_directory_path() / "pgadvisor-misleading-tests";
    std::filesystem::create_directories(dir);
    auto p = (dir / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
}
std::string examples(const Issues& i, const char* kind) {
    std::string all;
    auto it = i.kinds().find(kind);
    if (it != i.kinds().end())
        for (const auto& e : it->second.examples) all += e + "\n";
    return all;
}
bool has_note(const FileReport& f, std::string_view part) {
    for (const auto& n : f.notes)
        if (n.find(part) != std::string::npos) return true;
    return false;
}

// The prefix of the PostgreSQL 15 fixture (tests/fixtures/ingest/pg15-workload.log).
constexpr const char* kFixturePrefix = "%m [%p] %c %l %v %x user=%u,db=%d,app=%a,client=%h ";
std::string fixture_line(int n, const std::string& app, const std::string& message) {
    return "2026-11-23 08:42:23." + std::to_string(100 + n) + " UTC [12626] 6b03fc6f.3152 " + std::to_string(n) +
           " 3/0 0 user=postgres,db=shop,app=" + app + ",client=[local] LOG:  " + message + "\n";
}
}  // namespace

TEST_CASE("stderr: an application_name that holds a fake duration line does not replace the real statement",
          "[ingest][misleading]") {
    // What a client gets with SET application_name = '<fake>': the server prints the
    // name inside the prefix, then its own severity and message.
    const std::string fake = "x,client=h LOG:  duration: 9999.000 ms  statement: SELECT 1--";
    REQUIRE(fake.size() <= 63);  // the server cuts application_name to 63 bytes
    std::string log = fixture_line(1, "psql", "duration: 0.500 ms  statement: SELECT 0") +
                      fixture_line(2, fake, "duration: 0.042 ms  statement: SELECT id FROM orders WHERE id = 7");
    auto path = write_temp("fake-app-duration.log", log);

    for (bool detected : {false, true}) {
        INFO((detected ? "prefix detected" : "prefix given"));
        auto r = detected ? ingest_path(path) : ingest_path(path, Format::Auto, std::string(kFixturePrefix));
        REQUIRE(r.statements.size() == 2);
        CHECK(r.statements[1].text == "SELECT id FROM orders WHERE id = 7");
        CHECK(r.statements[1].duration_ms == Approx(0.042));
        CHECK(r.statements[1].application == fake);
        // Flagged with file:line, without the values it holds.
        CHECK(r.issues.count(issue::kTwoSeverityMarkers) == 1);
        std::string ex = examples(r.issues, issue::kTwoSeverityMarkers);
        CHECK(ex.find("fake-app-duration.log:2: ") != std::string::npos);
        CHECK(ex.find("9999") == std::string::npos);
        CHECK(ex.find("SELECT") == std::string::npos);
        CHECK(has_note(r.report, "%a"));
        CHECK(has_note(r.report, "csvlog"));
    }
}

TEST_CASE("stderr: the fake message of the issue ('9999 ms', no decimals) is not a message PostgreSQL writes",
          "[ingest][misleading]") {
    const std::string fake = "x,client=h LOG:  duration: 9999 ms  statement: SELECT 1 --";
    auto r = ingest_path(write_temp("fake-app-no-decimals.log",
                                    fixture_line(1, fake, "statement: SELECT name FROM customers WHERE id = 3")),
                         Format::Auto, std::string(kFixturePrefix));
    REQUIRE(r.statements.size() == 1);
    CHECK(r.statements[0].text == "SELECT name FROM customers WHERE id = 3");
    CHECK(r.statements[0].application == fake);
}

TEST_CASE("stderr: a database name with spaces and 'LOG:' in a %u@%d prefix", "[ingest][misleading]") {
    // CREATE DATABASE "shop LOG:  duration: 5000.000 ms  statement: SELECT 1 --": identifiers are free text too.
    const std::string db = "shop LOG:  duration: 5000.000 ms  statement: SELECT 1 --";
    std::string log =
        "2026-11-23 08:42:23.100 UTC [7] alice@shop LOG:  duration: 0.100 ms  statement: SELECT 0\n"
        "2026-11-23 08:42:23.200 UTC [8] alice@" +
        db + " LOG:  duration: 0.050 ms  statement: SELECT 2\n";
    auto path = write_temp("fake-db.log", log);
    for (bool detected : {false, true}) {
        INFO((detected ? "prefix detected" : "prefix given"));
        auto r = detected ? ingest_path(path) : ingest_path(path, Format::Auto, std::string("%m [%p] %q%u@%d "));
        REQUIRE(r.statements.size() == 2);
        CHECK(r.statements[1].text == "SELECT 2");
        CHECK(r.statements[1].duration_ms == Approx(0.05));
        CHECK(r.statements[1].database == db);
        CHECK(r.issues.count(issue::kTwoSeverityMarkers) == 1);
    }
}

TEST_CASE("stderr: a statement that quotes 'LOG:  ' keeps its text (the one well-formed reading)",
          "[ingest][misleading]") {
    // Read the other way the client host (%h) would be "[local] LOG:  duration: ... SELECT 'a" and the
    // message "x'", which is no message PostgreSQL writes. A host name holds no space either.
    auto r = ingest_path(write_temp("quoted-log-marker.log",
                                    fixture_line(1, "psql", "duration: 1.000 ms  statement: SELECT 'a LOG:  x'")),
                         Format::Auto, std::string(kFixturePrefix));
    REQUIRE(r.statements.size() == 1);
    CHECK(r.statements[0].text == "SELECT 'a LOG:  x'");
    CHECK(r.statements[0].application == "psql");
    CHECK(r.issues.count(issue::kTwoSeverityMarkers) == 0);

    // With %u@%d the database could end before the quoted marker: two readings, the well-formed one wins.
    auto u = ingest_path(
        write_temp("quoted-log-marker-db.log",
                   "2026-11-23 08:42:23.100 UTC [7] alice@shop LOG:  duration: 1.000 ms  statement: SELECT 'a LOG:  "
                   "x'\n"),
        Format::Auto, std::string("%m [%p] %q%u@%d "));
    REQUIRE(u.statements.size() == 1);
    CHECK(u.statements[0].text == "SELECT 'a LOG:  x'");
    CHECK(u.statements[0].database == "shop");
    CHECK(u.issues.count(issue::kTwoSeverityMarkers) == 1);
}

TEST_CASE("stderr: an application_name longer than the server allows is not a reading", "[ingest][misleading]") {
    // The second "LOG:" would make the application 90+ bytes: the server cuts names to 63, so
    // only one reading is left and the line is not flagged.
    std::string msg =
        "duration: 1.000 ms  statement: INSERT INTO log_lines VALUES ('x,client=[local] LOG:  "
        "duration: 2.000 ms  statement: SELECT 1')";
    auto r = ingest_path(write_temp("long-second-reading.log", fixture_line(1, "psql", msg)), Format::Auto,
                         std::string(kFixturePrefix));
    REQUIRE(r.statements.size() == 1);
    CHECK(r.statements[0].text.rfind("INSERT INTO log_lines", 0) == 0);
    CHECK(r.issues.count(issue::kTwoSeverityMarkers) == 0);
}

TEST_CASE("csvlog and jsonlog: the same application_name stays a field", "[ingest][misleading]") {
    const std::string fake = "x LOG:  duration: 9999.000 ms  statement: SELECT 1 --";
    std::string csv =
        "2026-11-23 08:42:23.310 UTC,\"postgres\",\"shop\",12626,\"[local]\",6b03fc6f.3152,1,\"SELECT\","
        "2026-11-23 08:42:23 UTC,3/0,0,LOG,00000,\"duration: 0.042 ms  statement: SELECT id FROM orders WHERE id = "
        "7\",,,,,,,,,\"" +
        fake + "\",\"client backend\",,0\n";
    std::string json =
        "{\"timestamp\":\"2026-11-23 08:42:23.310 UTC\",\"user\":\"postgres\",\"dbname\":\"shop\",\"pid\":12626,"
        "\"error_severity\":\"LOG\",\"message\":\"duration: 0.042 ms  statement: SELECT id FROM orders WHERE id = "
        "7\",\"application_name\":\"" +
        fake + "\"}\n";
    for (auto [name, bytes] : {std::pair{"fake-app.csv", csv}, std::pair{"fake-app.json", json}}) {
        INFO(name);
        auto r = ingest_path(write_temp(name, bytes));
        REQUIRE(r.statements.size() == 1);
        CHECK(r.statements[0].text == "SELECT id FROM orders WHERE id = 7");
        CHECK(r.statements[0].duration_ms == Approx(0.042));
        CHECK(r.statements[0].application == fake);
        CHECK(r.issues.total() == 0);
    }
}

namespace {
// n lines of "%m [%p] " from line `first` on, then m lines of "%t [%p]: [%l-1] user=%u,db=%d ".
std::string reconfigured_log(int n, int m) {
    std::string log;
    for (int i = 0; i < n; ++i)
        log += "2026-11-23 08:00:00.000 UTC [10] LOG:  duration: 1.000 ms  statement: SELECT " + std::to_string(i) +
               "\n";
    for (int i = 0; i < m; ++i) {
        log += "2026-11-23 09:00:00 UTC [20]: [" + std::to_string(i + 1) +
               "-1] user=app,db=shop LOG:  duration: 2.000 ms  statement: SELECT " + std::to_string(100 + i) + "\n";
        if (i % 5 == 0) log += "\tFROM t\n";  // a continuation line right after the change must follow its line
    }
    return log;
}
}  // namespace

TEST_CASE("stderr: a log_line_prefix changed in the middle of a file is detected again", "[ingest][misleading]") {
    // 250 lines first: the prefix is detected from the first 200, all before the change.
    for (int after : {40, 3}) {  // well past the re-detection window, and a short tail at the end of the file
        INFO(after << " lines after the change");
        auto path = write_temp("prefix-change-" + std::to_string(after) + ".log", reconfigured_log(250, after));
        auto r = ingest_path(path);
        REQUIRE(r.statements.size() == static_cast<std::size_t>(250 + after));
        // Records come per backend (the assembler holds each pid's last one), so look them up.
        auto by_text = [&](const std::string& text) {
            return std::find_if(r.statements.begin(), r.statements.end(),
                                [&](const Statement& s) { return s.text == text; });
        };
        CHECK(by_text("SELECT 249") != r.statements.end());
        auto first_after = by_text("SELECT 100\nFROM t");
        REQUIRE(first_after != r.statements.end());
        CHECK(first_after->user == "app");
        CHECK(first_after->source.first_line == 251);
        CHECK(by_text("SELECT " + std::to_string(100 + after - 1)) != r.statements.end());
        CHECK(r.issues.count(issue::kPrefixMismatch) == 0);
        CHECK(has_note(r.report, ":251: log_line_prefix changed from '%m [%p] ' to '%t [%p]: [%l-1] user=%u,db=%d '"));
    }
}

TEST_CASE("stderr: a prefix change among the first lines (the detection sample) loses no line",
          "[ingest][misleading]") {
    auto r = ingest_path(write_temp("prefix-change-early.log", reconfigured_log(5, 30)));
    CHECK(r.statements.size() == 35u);
    CHECK(r.issues.count(issue::kPrefixMismatch) == 0);
    CHECK(has_note(r.report, ":6: log_line_prefix changed from '%m [%p] '"));
}

TEST_CASE("stderr: stray lines that match no prefix are still reported, not taken for a prefix change",
          "[ingest][misleading]") {
    std::string log =
        "2026-11-23 08:00:00.000 UTC [10] LOG:  duration: 1.000 ms  statement: SELECT 1\n"
        "garbage without any prefix\n"
        "2026-11-23 08:00:01.000 UTC [10] LOG:  duration: 1.000 ms  statement: SELECT 2\n";
    auto r = ingest_path(write_temp("stray.log", log), Format::Auto, std::string("%m [%p] "));
    REQUIRE(r.statements.size() == 2);
    CHECK(r.issues.count(issue::kPrefixMismatch) == 1);
    CHECK(examples(r.issues, issue::kPrefixMismatch).find("stray.log:2: ") != std::string::npos);
    CHECK(!has_note(r.report, "log_line_prefix changed"));
}

TEST_CASE("input: a lone CR is a line break, CR LF is one break", "[ingest][misleading]") {
    std::string cr =
        "2026-11-23 08:00:00.000 UTC [10] LOG:  duration: 1.000 ms  statement: SELECT 1\r"
        "\tFROM a\r"
        "2026-11-23 08:00:01.000 UTC [10] LOG:  duration: 2.000 ms  statement: SELECT 2\r";
    std::string crlf;
    for (char c : cr) crlf += c == '\r' ? std::string("\r\n") : std::string(1, c);
    for (auto [name, bytes] : {std::pair{"mac.log", cr}, std::pair{"dos.log", crlf}}) {
        INFO(name);
        auto r = ingest_path(write_temp(name, bytes));
        REQUIRE(r.statements.size() == 2);
        CHECK(r.statements[0].text == "SELECT 1\nFROM a");
        CHECK(r.statements[1].text == "SELECT 2");
        CHECK(r.statements[1].source.first_line == 3);
        CHECK(r.report.lines == 3);
        CHECK(r.issues.total() == 0);
    }
}
