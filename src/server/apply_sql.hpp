#pragma once
// Runs statements for real, one by one, each in its own implicit transaction
// (autocommit), as a migration tool does with a file that holds CREATE INDEX
// CONCURRENTLY. Only `pgadvisor verify --yes` uses it: everything else in
// pgadvisor is read-only.
//
// Takes: a connection string and statements. Gives: where it stopped and why.

#include <string>
#include <vector>

#include "sql/parser.hpp"

namespace pgadvisor::server {

struct ApplyResult {
    std::size_t applied = 0;  // statements that ran
    std::string error;        // the first failure (password redacted); empty when all ran
};

// Stops at the first failing statement; lock_timeout keeps it from queueing
// behind the application's locks for long. A \gexec statement runs, then each
// value it returns runs as a statement, as psql does.
ApplyResult apply_statements(const std::string& conninfo, const std::vector<sql::ScriptStatement>& statements,
                             int statement_timeout_ms = 0, int lock_timeout_ms = 5000);

}  // namespace pgadvisor::server
