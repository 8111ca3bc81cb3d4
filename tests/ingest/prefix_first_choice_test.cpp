// The reader's fast paths (issue 17): LinePrefix::match takes every field's first
// choice in one pass and searches only when that fails; find_severity visits the
// colons only. Both must read every line as the byte-by-byte search did.
#include <catch2/catch.hpp>

#include <cctype>

#include "ingest/prefix.hpp"

using namespace pgadvisor::ingest;

namespace {

constexpr const char* kBenchPrefix = "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ";

// find_severity as it was before the colons-only walk: every upper-case word from the left.
std::size_t find_severity_bytewise(std::string_view line, std::string_view& severity, std::size_t& message_start) {
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] < 'A' || line[i] > 'Z') continue;
        if (i > 0 && (std::isalnum(static_cast<unsigned char>(line[i - 1])) || line[i - 1] == '_')) continue;
        std::size_t j = i;
        while (j < line.size() && ((line[j] >= 'A' && line[j] <= 'Z') || (line[j] >= '0' && line[j] <= '9'))) ++j;
        if (j < line.size() && line[j] == ':') {
            std::string_view w = line.substr(i, j - i);
            if (is_severity(w) || is_secondary_label(w)) {
                std::size_t m = j + 1;
                if (m < line.size() && line[m] != ' ') continue;
                while (m < line.size() && line[m] == ' ') ++m;
                severity = w;
                message_start = m;
                return i;
            }
        }
        i = j;
    }
    return std::string_view::npos;
}

}  // namespace

TEST_CASE("find_severity: the colons-only walk finds what the byte-by-byte walk found", "[ingest][prefix]") {
    const std::vector<std::string> lines = {
        "duration: 1.2 ms  statement: SELECT 1",
        "duration: 1.2 ms  statement: SELECT 'ERROR:  fake'",
        "xLOG:  inside a word",
        "_ERROR:  after an underscore",
        "9LOG: after a digit",
        "LOG1: not a severity",
        "ERROR:no space after",
        "ERROR:",
        "STATEMENT:  SELECT a::int",
        "SELECT x::text, y:: LOG:  then a marker",
        "a:b:c::d: FATAL:  late",
        "LOGX: PANIC:  second",
        "DETAIL:  parameters: $1 = 'a'",
        "",
        ":",
        "::::",
        "HINT:",
        " WARNING:   spaced",
    };
    for (const auto& l : lines) {
        std::string_view s1, s2;
        std::size_t m1 = 0, m2 = 0;
        const auto a = find_severity(l, s1, m1);
        const auto b = find_severity_bytewise(l, s2, m2);
        INFO(l);
        CHECK(a == b);
        if (a != std::string_view::npos && a == b) {
            CHECK(s1 == s2);
            CHECK(m1 == m2);
        }
    }
}

TEST_CASE("a line the one-pass match cannot read is still read by the search", "[ingest][prefix]") {
    auto p = LinePrefix::compile(kBenchPrefix);
    // application_name holds the next literal (",client=") and a space: the first choice
    // cuts it at the first ",client=", leaving a host with a space, so the search goes on.
    const std::string line =
        "2024-05-01 08:00:00 UTC [42]: [1-1] user=web,db=shop,app=a,client=b c,client=10.0.0.1 LOG:  statement: SELECT 1";
    LogEntry e;
    auto msg = p.match(line, e);
    REQUIRE(msg);
    CHECK(line.substr(*msg) == "statement: SELECT 1");
    CHECK(e.application == "a,client=b c");
    CHECK(e.user == "web");
    CHECK(e.database == "shop");
    CHECK(e.pid == 42);
    CHECK(e.severity == "LOG");
}

TEST_CASE("the one-pass match reads the first choice, as the search does", "[ingest][prefix]") {
    auto p = LinePrefix::compile(kBenchPrefix);
    // A host with the next literal's text after it: the first space ends it (shortest run).
    LogEntry e;
    auto msg = p.match(
        "2024-05-01 08:00:00 UTC [7]: [2-1] user=u,db=d,app=x,client=10.0.0.7 ERROR:  boom at character 3", e);
    REQUIRE(msg);
    CHECK(e.severity == "ERROR");
    CHECK(e.application == "x");
    CHECK(e.timestamp == "2024-05-01 08:00:00 UTC");
    CHECK(e.epoch_ms == Approx(1714550400000.0));

    // %q with a background process: nothing after %q, found by the search.
    auto q = LinePrefix::compile("%m [%p] %q%u@%d ");
    LogEntry b;
    REQUIRE(q.match("2025-01-21 18:37:49.783 CET [78776] LOG:  checkpoint starting: time", b));
    CHECK(b.user.empty());
    CHECK(b.pid == 78776);
    // The shortest run for each free-text field: the space after %u ends the user name.
    auto u = LinePrefix::compile("%m %u %d [%p] ");
    LogEntry c;
    REQUIRE(u.match("2024-05-01 10:00:00.123 UTC john smith shop [42] LOG:  x", c));
    CHECK(c.user == "john");
    CHECK(c.database == "smith shop");
}
