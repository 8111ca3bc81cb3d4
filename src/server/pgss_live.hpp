#pragma once
// The workload a live server recorded in pg_stat_statements, for `analyze --db`
// without a log: the top rows of the current database by total time, as the
// same ingest::Statement records the CSV export reader gives
// (ingest/pgss_row.hpp), and the server's logging settings, so the report can
// say what to set for a run with sessions (ingest/logging_advice.hpp).
//
// Takes: a connection string, a cap on rows, a statement_timeout. Gives: the
// statements, counts of what was left out and why, or an error that names what
// to do (the extension missing or not preloaded; the CLI exits 2).
//
// Safety: one read-only transaction with a statement_timeout; nothing is
// planned or run here. Row texts are pg_stat_statements' normalized ones; they
// go through the workload's normalization like every other input, so a
// constant it kept is masked in reports as anywhere else.

#include <cstddef>
#include <string>
#include <vector>

#include "ingest/logging_advice.hpp"
#include "ingest/record.hpp"

namespace pgadvisor::server {

// The location every pg_stat_statements statement carries (no file, no line).
inline constexpr const char* kPgssSource = "pg_stat_statements";

struct PgssLiveOptions {
    std::string conninfo;
    std::size_t top = 100;  // rows kept, by total time
    int statement_timeout_ms = 5000;
};

struct PgssWorkload {
    std::string error;                          // could not read (connection, extension); exit 2
    std::vector<ingest::Statement> statements;  // most total time first
    std::string database;
    std::string stats_reset;                 // pg_stat_statements_info.stats_reset (14+); "" when unknown
    double since_reset_ms = 0;               // now() - stats_reset: the time the counts cover; 0 when unknown
    long long calls = 0;                     // of the statements kept
    std::size_t insufficient_privilege = 0;  // other roles' rows this role may not read
    std::size_t not_advisable = 0;           // utility statements, and statements on system catalogs only or no table
                                             // (pgadvisor's own catalog reads among them)
    std::size_t beyond_top = 0;              // advisable rows left out by the cap
    ingest::LoggingSettings logging;
};

PgssWorkload read_pgss_live(const PgssLiveOptions& options);

}  // namespace pgadvisor::server
