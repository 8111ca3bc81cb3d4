// The stderr reader reads every line into one LogEntry and every entry into another,
// their strings' buffers reused (issue 17: the reader thread's allocations). Nothing of
// an earlier line or entry may carry over into a later one: these logs put a field in
// one line and leave it out of the next.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>

#include "ingest/prefix.hpp"
#include "test_support.hpp"

using namespace pgadvisor::ingest;
using namespace pgadvisor::ingest::test;

namespace {
std::string write_temp(const std::string& name, const std::string& bytes) {
    auto dir = std::filesystem::temp_directory_path() / "pgadvisor-reused-entry-tests";
    std::filesystem::create_directories(dir);
    auto p = (dir / name).string();
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
}
}  // namespace

TEST_CASE("LinePrefix::match into the same entry again: every prefix field is the new line's",
          "[ingest][prefix][reused-entry]") {
    auto p = LinePrefix::compile("%m [%p] %c %q%u@%d ");
    LogEntry e;
    REQUIRE(p.match("2024-05-01 08:00:00.123 UTC [10] 6630a.1 alice@shop LOG:  a", e));
    CHECK(e.user == "alice");
    CHECK(e.database == "shop");
    CHECK(e.session_id == "6630a.1");
    const double first_ms = e.epoch_ms;
    CHECK(first_ms == parse_timestamp_ms("2024-05-01 08:00:00.123 UTC"));

    // A background process prints nothing after %q: the names are gone, not alice's.
    REQUIRE(p.match("2024-05-01 08:00:00.123 UTC [11] 6630b.2 LOG:  b", e));
    CHECK(e.user.empty());
    CHECK(e.database.empty());
    CHECK(e.pid == 11);
    CHECK(e.session_id == "6630b.2");
    CHECK(e.epoch_ms == first_ms);  // the same timestamp: its time is the one parsed before

    REQUIRE(p.match("2024-05-01 08:00:01.500 UTC [12] 6630c.3 bob@crm ERROR:  c", e));
    CHECK(e.timestamp == "2024-05-01 08:00:01.500 UTC");
    CHECK(e.epoch_ms == parse_timestamp_ms("2024-05-01 08:00:01.500 UTC"));
    CHECK(e.severity == "ERROR");

    // A line the prefix does not match leaves the entry as it was.
    CHECK_FALSE(p.match("\tcontinued", e));
    CHECK(e.user == "bob");
    CHECK(e.pid == 12);

    // Another prefix (the server reconfigured): the fields it lacks are emptied.
    auto other = LinePrefix::compile("user=%u ");
    REQUIRE(other.match("user=carol LOG:  d", e));
    CHECK(e.user == "carol");
    CHECK(e.timestamp.empty());
    CHECK(e.epoch_ms == 0);
    CHECK(e.pid == 0);
    CHECK(e.session_id.empty());
    CHECK(e.database.empty());
}

TEST_CASE("stderr: an entry's DETAIL, STATEMENT and error do not pass to the next entry", "[ingest][reused-entry]") {
    const std::string log =
        "2024-05-01 08:00:00.000 UTC [10] LOG:  duration: 1.000 ms  execute S_1: SELECT $1\n"
        "2024-05-01 08:00:00.000 UTC [10] DETAIL:  parameters: $1 = '7'\n"
        "2024-05-01 08:00:00.000 UTC [11] ERROR:  relation \"nope\" does not exist at character 15\n"
        "2024-05-01 08:00:00.000 UTC [11] STATEMENT:  SELECT * FROM nope\n"
        "2024-05-01 08:00:00.001 UTC [10] LOG:  duration: 2.000 ms  execute S_1: SELECT $1\n"
        "2024-05-01 08:00:00.002 UTC [11] LOG:  duration: 3.000 ms  statement: SELECT 2\n"
        "2024-05-01 08:00:00.003 UTC [10] LOG:  duration: 4.000 ms  statement: SELECT 3\n";
    auto r = ingest_path(write_temp("detail-then-none.log", log), Format::Stderr, std::string("%m [%p] "));
    REQUIRE(r.statements.size() == 5u);
    auto find = [&](const std::string& text, double ms) -> const Statement& {
        for (const auto& s : r.statements)
            if (s.text == text && s.duration_ms.value_or(0) == ms) return s;
        throw std::runtime_error("no statement " + text);
    };
    const Statement& with_params = find("SELECT $1", 1.0);
    REQUIRE(with_params.parameters.size() == 1u);
    CHECK(with_params.parameters[0].value == "7");
    // The same statement again, logged without a DETAIL line: no parameters of the first's.
    CHECK(find("SELECT $1", 2.0).parameters.empty());

    const Statement* failed = nullptr;
    for (const auto& s : r.statements)
        if (s.severity == "ERROR") failed = &s;
    REQUIRE(failed);
    CHECK(failed->text == "SELECT * FROM nope");
    CHECK(failed->pid == 11);

    const Statement& after_error = find("SELECT 2", 3.0);
    CHECK(after_error.severity.empty());
    CHECK(after_error.error_message.empty());
    CHECK(after_error.pid == 11);
    CHECK(after_error.timestamp == "2024-05-01 08:00:00.002 UTC");
    CHECK(find("SELECT 3", 4.0).pid == 10);
}

TEST_CASE("syslog: the header's pid and time go to their own line's entry only", "[ingest][reused-entry]") {
    // log_line_prefix = '': the pid and the time come from syslog's header (the hints).
    const std::string log =
        "Feb 11 13:15:39 host postgres[10808]: [1-1] LOG:  duration: 1.000 ms  statement: SELECT 1\n"
        "Feb 11 13:15:40 host postgres[10809]: [1-1] LOG:  duration: 2.000 ms  statement: SELECT 2\n"
        "Feb 11 13:15:41 host postgres[10808]: [2-1] LOG:  duration: 3.000 ms  statement: SELECT 3\n";
    auto r = ingest_path(write_temp("syslog-hints.log", log), Format::Syslog, std::string(""));
    REQUIRE(r.statements.size() == 3u);
    const std::map<std::string, std::pair<long long, std::string>> expected = {{"SELECT 1", {10808, "13:15:39"}},
                                                                               {"SELECT 2", {10809, "13:15:40"}},
                                                                               {"SELECT 3", {10808, "13:15:41"}}};
    for (const auto& s : r.statements) {
        INFO(s.text);
        REQUIRE(expected.count(s.text));
        CHECK(s.pid == expected.at(s.text).first);
        CHECK(s.timestamp.view().find(expected.at(s.text).second) != std::string::npos);
    }
}

TEST_CASE("stderr: after an entry of more than 64 KiB the next entries read as before", "[ingest][reused-entry]") {
    const std::string big(100 << 10, 'x');
    const std::string log = "2024-05-01 08:00:00.000 UTC [10] LOG:  duration: 1.000 ms  statement: SELECT '" + big +
                            "'\n"
                            "2024-05-01 08:00:00.001 UTC [10] LOG:  duration: 2.000 ms  statement: SELECT 2\n"
                            "2024-05-01 08:00:00.002 UTC [10] LOG:  duration: 3.000 ms  statement: SELECT 3\n";
    auto r = ingest_path(write_temp("big-entry.log", log), Format::Stderr, std::string("%m [%p] "));
    REQUIRE(r.statements.size() == 3u);
    CHECK(r.statements[0].text.size() == big.size() + 9);
    CHECK(r.statements[1].text == "SELECT 2");
    CHECK(r.statements[2].text == "SELECT 3");
    CHECK(r.statements[2].source.first_line == 3);
}
