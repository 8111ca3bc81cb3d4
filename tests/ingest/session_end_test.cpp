// Session lifetime in the assembler (issue 16): a session ends at its
// disconnection, when its pid begins another session, or after a quiet gap
// longer than the rules look back; its held records go out first, then its end,
// and the assembler keeps nothing for it afterwards.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "ingest/assembler.hpp"

using namespace pgadvisor::ingest;

namespace {

LogEntry log_line(long long pid, const std::string& session, double at_ms, const std::string& message) {
    LogEntry e;
    e.file = "test.log";
    e.pid = pid;
    e.session_id = session;
    e.epoch_ms = at_ms;
    e.severity = "LOG";
    e.message = message;
    return e;
}

// An execute of the extended protocol: held until the pid's next record, as auto_explain may log its plan next.
LogEntry statement_line(long long pid, const std::string& session, double at_ms, const std::string& sql) {
    return log_line(pid, session, at_ms, "duration: 0.500 ms  execute <unnamed>: " + sql);
}

// What came out of the assembler, in order: "S:<text>" for a statement, "E:<session>" for an end.
struct Recorder {
    std::vector<std::string> events;
    std::vector<double> durations;
    Assembler assembler(bool tracking, double idle_ms = 0) {
        SessionTracking t;
        t.enabled = tracking;
        t.idle_ms = idle_ms;
        t.sink = [this](const SessionEnd& end) { events.push_back("E:" + end.session_id); };
        return Assembler(
            [this](Statement&& s) {
                events.push_back("S:" + s.text);
                if (s.duration_ms) durations.push_back(*s.duration_ms);
            },
            issues, t);
    }
    Issues issues;
};

}  // namespace

TEST_CASE("a disconnection sends the session's held statement, then its end, and frees it", "[ingest][sessions]") {
    Recorder r;
    auto a = r.assembler(true);
    a.add(statement_line(700, "s1.2bc", 1000, "SELECT 1"));
    a.add(statement_line(701, "s2.2bd", 1001, "SELECT 2"));
    // A statement with its duration waits for a plan that may follow it: it is still held.
    CHECK(r.events.empty());
    CHECK(a.open_sessions() == 2);
    a.add(log_line(700, "s1.2bc", 1002, "disconnection: session time: 0:00:00.002 user=app database=shop"));
    CHECK(r.events == std::vector<std::string>{"S:SELECT 1", "E:s1.2bc"});
    CHECK(a.open_sessions() == 1);  // pid 701 still runs
    a.flush();
    // The end of a file ends no session: a rotated log goes on in the next one.
    CHECK(r.events == std::vector<std::string>{"S:SELECT 1", "E:s1.2bc", "S:SELECT 2"});
}

TEST_CASE("without session tracking the assembler keeps every pid to the end of input", "[ingest][sessions]") {
    Recorder r;
    auto a = r.assembler(false);
    a.add(statement_line(700, "s1.2bc", 1000, "SELECT 1"));
    a.add(log_line(700, "s1.2bc", 1002, "disconnection: session time: 0:00:00.002 user=app database=shop"));
    CHECK(r.events.empty());
    CHECK(a.open_sessions() == 1);
}

TEST_CASE("a pid that begins another session ends the one it ran before", "[ingest][sessions]") {
    SECTION("another %c session id on the same pid") {
        Recorder r;
        auto a = r.assembler(true);
        a.add(statement_line(700, "aaa.2bc", 1000, "SELECT 1"));
        a.add(statement_line(700, "bbb.2bc", 5000, "SELECT 2"));
        CHECK(r.events == std::vector<std::string>{"S:SELECT 1", "E:aaa.2bc"});
        CHECK(a.open_sessions() == 1);
    }
    SECTION("connection received on the pid, without %c in the prefix") {
        Recorder r;
        auto a = r.assembler(true);
        a.add(statement_line(700, "", 1000, "SELECT 1"));
        a.add(log_line(700, "", 5000, "connection received: host=10.0.0.1 port=5000"));
        CHECK(r.events == std::vector<std::string>{"S:SELECT 1", "E:pid:700"});
        CHECK(a.open_sessions() == 0);
    }
}

TEST_CASE("a session quiet longer than the rules look back is over", "[ingest][sessions]") {
    Recorder r;
    auto a = r.assembler(true, 60'000);
    a.add(statement_line(700, "", 1'000, "SELECT 1"));
    a.add(statement_line(700, "", 30'000, "SELECT 2"));  // quiet 29 s: the same session
    CHECK(r.events == std::vector<std::string>{"S:SELECT 1"});
    // Records resume 61 s later: the earlier ones are not joined to them.
    a.add(statement_line(700, "", 91'000, "SELECT 3"));
    CHECK(r.events == std::vector<std::string>{"S:SELECT 1", "S:SELECT 2", "E:pid:700"});
    // Other pids' records close quiet sessions too, so memory follows the sessions open at once.
    for (int pid = 800; pid < 900; ++pid) a.add(statement_line(pid, "", 100'000 + pid, "SELECT 4"));
    CHECK(a.open_sessions() == 101);
    a.add(statement_line(999, "", 170'000, "SELECT 5"));
    CHECK(a.open_sessions() == 1);
}

TEST_CASE("a session running a long statement is not quiet, however long it runs", "[ingest][sessions]") {
    Recorder r;
    auto a = r.assembler(true, 60'000);
    // log_statement = all and log_duration = on: the statement when it starts, its duration when it ends.
    a.add(log_line(700, "", 1'000, "statement: SELECT pg_sleep(120)"));
    a.add(statement_line(800, "", 100'000, "SELECT 1"));  // checks for quiet sessions
    CHECK(r.events.empty());
    a.add(log_line(700, "", 121'000, "duration: 120000.123 ms"));
    REQUIRE(r.events == std::vector<std::string>{"S:SELECT pg_sleep(120)"});
    CHECK(r.durations == std::vector<double>{120000.123});
}

TEST_CASE("a simple query is passed on at once; an execute waits for the plan that may follow it",
          "[ingest][sessions]") {
    Recorder r;
    auto a = r.assembler(true);
    // auto_explain logs a simple query's plan before its duration line, nothing after it: held
    // until the pid's next line, it came after later statements of other sessions.
    a.add(log_line(700, "s1.2bc", 1000, "duration: 0.500 ms  statement: SELECT 1"));
    CHECK(r.events == std::vector<std::string>{"S:SELECT 1"});
    // An execute's plan is logged when its portal is dropped, at the session's next message.
    a.add(statement_line(701, "s2.2bd", 1001, "SELECT 2"));
    CHECK(r.events == std::vector<std::string>{"S:SELECT 1"});
    a.add(log_line(701, "s2.2bd", 1002, "duration: 0.010 ms  bind <unnamed>: SELECT 3"));
    a.add(log_line(701, "s2.2bd", 1003, "duration: 0.500 ms  execute <unnamed>: SELECT 3"));
    CHECK(r.events == std::vector<std::string>{"S:SELECT 1", "S:SELECT 2"});
}
