#pragma once
// The live proof of a rewrite before it is proposed (issue 13): the statement
// prepares on the server (every table, column, function and parameter type
// resolves), and a batched N+1 lookup returns, per key, exactly the rows the
// loop's own calls returned, on loops taken from the log.
//
// Takes: a connection string and the review statements, each with the logged
// loops to compare on when it is a batched lookup. Gives: per statement,
// whether it prepared and on how many loops it returned the same rows.
//
// Safety: read-only. Each statement is checked in one READ ONLY REPEATABLE
// READ transaction (one snapshot for a loop's calls and their batch) that is
// always rolled back, under a statement_timeout; values are bound as protocol
// parameters, never spliced into text; auto_explain is off in the session.
// Logged values are user data: outcomes name loops and row counts, never values.

#include <optional>
#include <string>
#include <vector>

#include "sql/rewrite.hpp"

namespace pgadvisor::server {

using Row = std::vector<std::optional<std::string>>;         // one result row as text; nullopt = NULL
using CallValues = std::vector<std::optional<std::string>>;  // one call's values of $1..$n

// A batched lookup and the loops of the log to compare it on.
struct BatchSamples {
    std::string per_call_sql;  // the looped statement, normalized ($n): a SELECT
    int key_param = 0;         // its $n whose value changed from call to call
    std::vector<int> origin;   // the batch's $j takes the per-call $origin[j - 1] (key_param: the keys' array)
    sql::BatchedLookup::KeyColumn key_column = sql::BatchedLookup::KeyColumn::InRow;
    std::string key_type;  // SQL type of the key, for the keys' array; empty when unknown
    // Each loop's calls, in log order, each with all of its values: user data, never printed.
    std::vector<std::vector<CallValues>> loops;
};

struct RewriteCheckRequest {
    std::string sql;                    // the review statement, $n placeholders
    std::optional<BatchSamples> batch;  // a batched lookup: compare it on these loops
};

struct RewriteCheckOutcome {
    bool prepared = false;
    std::string error;           // why it failed: did not prepare, or returned other rows (no values)
    int loops_equivalent = 0;    // logged loops on which the batch returned the loop's rows, per key
    int keys_compared = 0;       // the distinct keys of those loops, each looked up by its own call
    std::string not_compared;    // why no loop, or no further loop, was compared (no values)
    std::string server_message;  // the server's error behind error or not_compared: it may quote values
};

struct RewriteCheckResult {
    std::string connection_error;               // names host and port, never the password
    std::vector<RewriteCheckOutcome> outcomes;  // parallel to the requests
};

// How much of the log a batched lookup is compared on. Each key's own call runs, and the loop
// being advised is often a sequential scan per call (the shop example: 24 ms a call, 432 calls
// in 20 loops, 10 of analyze --db's 13 s): loops are taken whole, in log order, while their keys
// fit in `calls`; a first loop larger than that is compared on its first `calls` keys.
struct CompareLimits {
    std::size_t loops = 20;
    std::size_t calls = 64;
};

RewriteCheckResult check_rewrites(const std::string& conninfo, int statement_timeout_ms,
                                  const std::vector<RewriteCheckRequest>& requests, CompareLimits limits = {});

// ---- the comparison, pure (unit-tested) ------------------------------------

// One distinct key of a loop and the rows its own call returned.
struct KeyRows {
    std::string key;  // the key as the server prints it (cast to the key's type), else as logged
    std::vector<Row> rows;
};

// Compares the rows of a loop's calls with the batch's rows as multisets grouped by key:
// the batch's key column (first or last) against each call's key, the other columns
// against the call's row; with the key inside the row, the rows of all calls against the
// batch's. nullopt when equal, else what differs, in counts (no values).
std::optional<std::string> compare_loop(const std::vector<KeyRows>& calls, const std::vector<Row>& batched,
                                        sql::BatchedLookup::KeyColumn key_column);

// A PostgreSQL array literal ({"a","b\"c",NULL}) of text values, to bind as one parameter.
std::string array_literal(const std::vector<std::optional<std::string>>& values);

}  // namespace pgadvisor::server
