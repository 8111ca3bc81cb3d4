// Closing ended sessions early (issue 16) frees memory and changes no finding:
// the same logs analysed with and without it give the same findings and counts.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli/analysis.hpp"
#include "emit/finding_json.hpp"
#include "rules/registry.hpp"

using namespace pgadvisor;
using namespace pgadvisor::cli;

namespace {

// Everything analyze reports of a run that sessions could change, as one text.
std::string outcome(const std::string& log, const std::optional<std::string>& prefix, bool close_sessions) {
    AnalysisOptions o;
    o.inputs = {log};
    o.prefix = prefix;
    o.rules = rules::load_default_rules();
    o.close_sessions = close_sessions;
    auto a = run_analysis(o, "test");
    REQUIRE(a.error.empty());
    std::string out = "sessions " + std::to_string(a.workload.sessions) + ", transactions " +
                      std::to_string(a.workload.transactions) + ", requests " + std::to_string(a.workload.requests) +
                      "\n";
    for (const auto& f : a.findings) out += emit::finding_json(f).dump() + "\n";
    return out;
}

// Sessions like a web request each on its own connection (bench/gen-sessions-log
// writes the same at scale): a parent, a loop of lookups, a SELECT then an INSERT
// of a cart; with or without connection lines, pids used again and again.
std::string sessions_log(int sessions, bool connection_lines) {
    std::string log;
    auto stamp = [](long ms) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "2024-05-01 08:%02ld:%02ld.%03ld UTC", ms / 60000 % 60, ms / 1000 % 60,
                      ms % 1000);
        return std::string(buf);
    };
    for (int i = 0; i < sessions; ++i) {
        const long start = i * 2000L;  // sessions one after another; pid 100-104, each reused every 10 s
        const std::string pid = " [" + std::to_string(100 + i % 5) + "]: ";
        long ms = start;
        auto line = [&](const std::string& message) {
            log += stamp(ms) + pid + "LOG:  " + message + "\n";
            ms += 3;
        };
        if (connection_lines) line("connection received: host=10.0.0.1 port=5000");
        line("duration: 0.300 ms  statement: SELECT id FROM orders WHERE customer_id = " + std::to_string(i));
        for (int k = 0; k < 6; ++k)
            line("duration: 0.200 ms  statement: SELECT * FROM order_items WHERE order_id = " +
                 std::to_string(i * 10 + k));
        line("duration: 0.200 ms  statement: SELECT id FROM carts WHERE user_id = " + std::to_string(i));
        line("duration: 0.400 ms  statement: INSERT INTO carts (user_id) VALUES (" + std::to_string(i) + ")");
        if (connection_lines) line("disconnection: session time: 0:00:00.030 user=app database=shop");
    }
    return log;
}

std::string write_log(const std::string& name, const std::string& text) {
    const auto dir = std::filesystem::temp_directory_path() / "pgadvisor-session-close-tests";
    std::filesystem::create_directories(dir);
    const auto path = (dir / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

}  // namespace

TEST_CASE("closing ended sessions changes no finding on the bundled example logs", "[cli][sessions]") {
    const auto examples = std::filesystem::path(PGADVISOR_SOURCE_DIR) / "examples";
    int logs = 0;
    for (const auto& dir : std::filesystem::directory_iterator(examples)) {
        const auto log = dir.path() / "captured" / "postgresql.log";
        if (!std::filesystem::exists(log)) continue;
        ++logs;
        INFO(log.string());
        CHECK(outcome(log.string(), std::nullopt, true) == outcome(log.string(), std::nullopt, false));
    }
    CHECK(logs >= 6);
}

TEST_CASE("closing ended sessions changes no finding on many short sessions", "[cli][sessions]") {
    for (bool connection_lines : {true, false}) {
        INFO("connection lines: " << connection_lines);
        const auto path = write_log(connection_lines ? "connections.log" : "idle.log",
                                    sessions_log(40, connection_lines));
        const auto closed = outcome(path, "%m [%p]: ", true);
        // The findings exist (so the comparison means something) and are the same.
        CHECK(closed.find("\"rule\":\"n-plus-one\"") != std::string::npos);
        CHECK(closed.find("\"rule\":\"check-then-insert\"") != std::string::npos);
        CHECK(closed == outcome(path, "%m [%p]: ", false));
    }
}
