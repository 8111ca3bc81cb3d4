#pragma once
// One pg_stat_statements row as the ingest stage's Statement record: the one
// definition both sources use, the CSV export reader (readers.cpp, read_pgss)
// and the live reader of a server's view (server/pgss_live.hpp).
//
// Takes: the row's columns that pgadvisor reads. Gives: a Statement that stands
// for `calls` executions, with the row's total time as its duration (the
// workload's aggregates divide it by calls for the mean, workload/summary.cpp).

#include <optional>
#include <string>

#include "ingest/record.hpp"

namespace pgadvisor::ingest {

struct PgssRow {
    std::string query;               // normalized by pg_stat_statements ($n for constants)
    long long calls = 0;             // calls
    std::optional<double> total_ms;  // total_exec_time (PostgreSQL 13+), total_time before
    long long query_id = 0;          // queryid
    std::string user;                // the role's name (or oid, as an export gives it)
    std::string database;            // the database's name (or oid)
};

Statement statement_from_pgss(PgssRow row, SourceLocation source);

}  // namespace pgadvisor::ingest
