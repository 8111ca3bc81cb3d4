#pragma once
// What-if planning on a live server: the planner's cost of statements before
// and after one candidate index, without building it (HypoPG), or by building
// it inside a transaction that is rolled back (only when the user allows it:
// CREATE INDEX takes a SHARE lock on the table, blocking its writes while it
// builds). Also the measuring half of `pgadvisor verify`.
//
// Takes: a connection string, statements with $n placeholders and real
// parameter sets from the log, CREATE INDEX statements (HypoPG: the migration's own
// text, CONCURRENTLY IF NOT EXISTS included; a real index: without either).
// Gives: costs (planner units) and whether the plan used the new index.
//
// Safety: EXPLAIN without ANALYZE executes nothing; each statement runs in a
// read-only transaction (the real-index mode: one that is always rolled
// back) with a statement_timeout; parameters are bound through the protocol,
// never spliced into text; auto_explain is switched off in the session
// (SET auto_explain.log_min_duration = -1: with it on, EXPLAIN after
// hypopg_create_index fails, docs/libraries.md); a role that may not switch it
// off gets HypoPG reported unavailable, with why, after one probe per
// connection, instead of a failed plan per statement; hypothetical indexes
// live in the session and hypopg_reset() clears them after each trial.

#include <optional>
#include <string>
#include <vector>

namespace pgadvisor::server {

using ParamSet = std::vector<std::optional<std::string>>;  // text values for $1..$n; nullopt = NULL

struct WhatIfStatement {
    std::string statement;             // normalized text, $1..$n
    std::vector<ParamSet> param_sets;  // one or more; an empty list plans once with no parameters
    // No parameter values were logged for a statement with $1..$n: its generic
    // plan (PREPARE, plan_cache_mode = force_generic_plan, EXPLAIN EXECUTE), the
    // plan the server uses for it once it stops planning per value. 0: not generic.
    std::size_t generic_parameters = 0;
};

enum class WhatIfMode { HypoPG, RealIndexRolledBack };

struct WhatIfOptions {
    std::string conninfo;
    WhatIfMode mode = WhatIfMode::HypoPG;
    int statement_timeout_ms = 5000;
};

// One candidate index and the statements (indexes into the statements given) it should help.
struct WhatIfTrial {
    std::string create_index_sql;  // CREATE [UNIQUE] INDEX ...; a real index: no CONCURRENTLY, no IF NOT EXISTS
    std::vector<std::size_t> statements;
};

struct StatementCost {
    double before = 0;  // mean total cost over the parameter sets, planner units
    double after = 0;
    bool uses_index = false;  // the plan after names the trial's index
    std::string error;        // this statement could not be planned (before or after); costs are 0 then
    std::string basis;        // when the costs are not the plans' top costs: what they are, in words
};

struct TrialOutcome {
    std::vector<StatementCost> costs;  // parallel to WhatIfTrial::statements
    std::string error;                 // the index could not be created (hypothetical or real)
};

struct WhatIfResult {
    std::string connection_error;      // could not connect: names host and port, never the password
    bool hypopg_available = false;     // mode HypoPG: the extension exists and a plan can use a hypothetical index
    std::string unavailable_reason;    // mode HypoPG and not available: why, and how to fix it (for the notes)
    std::vector<TrialOutcome> trials;  // parallel to the trials given; empty when nothing could run
};

WhatIfResult what_if(const WhatIfOptions& options, const std::vector<WhatIfStatement>& statements,
                     const std::vector<WhatIfTrial>& trials);

// ---- the chosen set, planned together ---------------------------------------

// Every statement planned with all the set's indexes present at once: which of
// them its plan uses, and at what cost. Two indexes that each help a statement
// alone compete for it together; the planner picks one (or combines them), and
// the other is only write cost for that statement.
struct SetStatementCost {
    double before = 0;              // mean total cost without any of the set
    double after = 0;               // with the whole set
    std::vector<std::size_t> uses;  // positions in the set of the indexes its plan uses
    std::string basis;              // as StatementCost::basis
    std::string error;
};

struct SetOutcome {
    std::string connection_error;
    bool planned = false;  // false: HypoPG unavailable (see unavailable_reason) or no connection
    std::string unavailable_reason;
    std::vector<std::string> index_errors;  // parallel to the set: "" or why it could not be created
    std::vector<SetStatementCost> costs;    // parallel to the statements given
};

// The indexes as create_index_sql texts (HypoPG: the migration's own; a real
// index: plain CREATE INDEX, all built in one transaction that is rolled back).
SetOutcome what_if_set(const WhatIfOptions& options, const std::vector<WhatIfStatement>& statements,
                       const std::vector<std::string>& create_index_sqls);

// ---- verify: real measurements ----------------------------------------------

struct MeasureOptions {
    std::string conninfo;
    int statement_timeout_ms = 30000;
    int repetitions = 3;          // EXPLAIN ANALYZE runs per parameter set; the median is kept
    bool analyze_writes = false;  // INSERT/UPDATE/DELETE: EXPLAIN ANALYZE inside a rolled-back transaction
};

struct Measurement {
    double execution_ms = 0;  // median "Execution Time" over repetitions, mean over parameter sets
    double planning_ms = 0;
    std::vector<std::string> indexes_used;  // index names in the plan
    std::string skipped;                    // why not measured (a write without analyze_writes, a timeout, an error)
};

struct MeasureResult {
    std::string connection_error;
    std::vector<Measurement> measurements;  // parallel to the statements given
};

// EXPLAIN (ANALYZE, FORMAT JSON) of each statement with its parameter sets.
// SELECTs run in read-only transactions; writes only with analyze_writes, and rolled back.
MeasureResult measure(const MeasureOptions& options, const std::vector<WhatIfStatement>& statements);

}  // namespace pgadvisor::server
