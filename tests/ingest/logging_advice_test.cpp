// What to set for a complete next run, from a server's logging settings
// (ingest/logging_advice.hpp): pg_stat_statements workloads print it.
#include <catch2/catch.hpp>

#include "ingest/logging_advice.hpp"

using namespace pgadvisor::ingest;

namespace {

// A sentence of the advice that names a setting, or "" when none does.
std::string advice_on(const std::vector<std::string>& advice, const std::string& setting) {
    for (const auto& a : advice)
        if (a.find(setting) != std::string::npos) return a;
    return "";
}

// PostgreSQL 15's defaults: nothing logged, prefix '%m [%p] ', no auto_explain.
LoggingSettings server_defaults() {
    LoggingSettings s;
    s.log_min_duration_statement = "-1";
    s.log_transaction_sample_rate = "0";
    s.log_line_prefix = "%m [%p] ";
    s.log_destination = "stderr";
    return s;
}

}  // namespace

TEST_CASE("logging advice: a server with PostgreSQL's defaults is told every setting", "[ingest][logging-advice]") {
    const auto advice = logging_advice(server_defaults());
    REQUIRE(advice.size() == 3);
    CHECK(advice_on(advice, "log_min_duration_statement is -1").find("set it to 0") != std::string::npos);
    CHECK(advice_on(advice, "log_min_duration_statement").find("log_transaction_sample_rate = 0.01") !=
          std::string::npos);
    const std::string prefix = advice_on(advice, "log_line_prefix");
    CHECK(prefix.find("lacks %c %v %x") != std::string::npos);
    CHECK(prefix.find("log_line_prefix = '%m [%p] %c %v %x '") != std::string::npos);
    CHECK(advice_on(advice, "auto_explain").find("shared_preload_libraries") != std::string::npos);
}

TEST_CASE("logging advice: a complete log's settings get none", "[ingest][logging-advice]") {
    // The throwaway test cluster's settings (tests/pg/throwaway-pg) with auto_explain logging plans.
    LoggingSettings s;
    s.log_min_duration_statement = "0";
    s.log_line_prefix = "%m [%p] %c %l %v %x user=%u,db=%d,app=%a,client=%h ";
    s.shared_preload_libraries = "hypopg,auto_explain,pg_stat_statements";
    s.auto_explain_log_min_duration = "100";
    CHECK(logging_advice(s).empty());
}

TEST_CASE("logging advice: what is partly set is named with its value", "[ingest][logging-advice]") {
    auto s = server_defaults();
    s.log_min_duration_statement = "250";  // only slow statements
    s.log_transaction_sample_rate = "0.05";
    s.log_line_prefix = "%m [%p] %c %%x ";  // %% then x: not %x
    s.shared_preload_libraries = "auto_explain";
    s.auto_explain_log_min_duration = "-1";
    const auto advice = logging_advice(s);
    REQUIRE(advice.size() == 3);
    const std::string duration = advice_on(advice, "log_min_duration_statement");
    CHECK(duration.find("= 250 ms logs only slower statements") != std::string::npos);
    CHECK(duration.find("log_transaction_sample_rate = 0.05 already logs") != std::string::npos);
    CHECK(advice_on(advice, "log_line_prefix").find("lacks %v %x") != std::string::npos);
    CHECK(advice_on(advice, "auto_explain").find("log_min_duration is -1") != std::string::npos);
}

TEST_CASE("logging advice: jsonlog and csvlog carry the session ids, padded escapes count",
          "[ingest][logging-advice]") {
    auto s = server_defaults();
    s.log_destination = "stderr,jsonlog";
    CHECK(advice_on(logging_advice(s), "log_line_prefix").empty());
    CHECK(missing_session_escapes("%-12c %10v %x").empty());
    CHECK(missing_session_escapes("") == std::vector<std::string>{"%c", "%v", "%x"});
}

TEST_CASE("logging advice: settings the role may not read are named, not guessed", "[ingest][logging-advice]") {
    auto s = server_defaults();
    s.unreadable = {"log_min_duration_statement", "shared_preload_libraries"};
    const auto advice = logging_advice(s);
    CHECK(advice_on(advice, "is -1").empty());  // its value is unknown: no advice on it
    CHECK(advice_on(advice, "could not be read").find("log_min_duration_statement, shared_preload_libraries") !=
          std::string::npos);
}
