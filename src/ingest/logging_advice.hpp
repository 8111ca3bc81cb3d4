#pragma once
// What a server's logging settings let the next run read, and what to set so
// that it reads everything: the readers of this stage need each statement with
// its duration, its session (%c), its transactions (%v, %x) and, for plans,
// auto_explain. Used when the workload came from pg_stat_statements, which
// keeps per-statement totals only (no sessions, no order, no parameters).
//
// Takes: the settings as pg_settings shows them (read by server/pgss_live.hpp).
// Gives: one sentence per setting that is missing or incomplete, with the value
// to set; none when the server already writes a complete log.

#include <optional>
#include <string>
#include <vector>

namespace pgadvisor::ingest {

struct LoggingSettings {
    std::string log_min_duration_statement = "-1";  // pg_settings.setting: milliseconds, -1 off
    std::string log_transaction_sample_rate = "0";  // 0 to 1
    std::string log_line_prefix;
    std::string log_destination = "stderr";
    std::string shared_preload_libraries;
    std::string session_preload_libraries;
    std::optional<std::string> auto_explain_log_min_duration;  // absent when auto_explain is not loaded
    std::vector<std::string> unreadable;  // settings pg_settings hides from the role (pg_read_all_settings shows them)
};

// The escapes of a log_line_prefix that the session rules need and it lacks ("%c", "%v", "%x").
std::vector<std::string> missing_session_escapes(const std::string& log_line_prefix);

// What to set for a complete next run, one sentence per setting; empty when nothing is missing.
std::vector<std::string> logging_advice(const LoggingSettings& settings);

}  // namespace pgadvisor::ingest
