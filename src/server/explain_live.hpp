#pragma once
// Live planning: EXPLAIN (VERBOSE, FORMAT JSON, without ANALYZE) of normalized
// statements with real parameter values, for the seq-scan rule's "ask the
// server what it would do" source.
//
// Takes: a connection string and statements with $n placeholders plus one
// parameter set each. Gives: the server's plan as JSON text, or an error per
// statement (a statement that fails never stops the others).
//
// Safety: nothing is executed. Each EXPLAIN runs in its own read-only
// transaction with a statement_timeout; values are bound as protocol
// parameters (never spliced into the text); auto_explain is switched off for
// the session so our EXPLAINs neither flood the user's log nor, with HypoPG
// loaded, fail (docs/libraries.md).

#include <optional>
#include <string>
#include <vector>

namespace pgadvisor::server {

struct ExplainRequest {
    std::string statement;                           // one statement, $1..$n placeholders
    std::vector<std::optional<std::string>> params;  // text values for $1..$n; nullopt = NULL
};

struct ExplainOutcome {
    std::string plan_json;  // EXPLAIN (VERBOSE, FORMAT JSON) output; empty on error
    std::string error;      // the server's message (password redacted); empty on success
};

struct LiveExplainOptions {
    std::string conninfo;
    int statement_timeout_ms = 2000;
};

struct LiveExplainResult {
    std::vector<ExplainOutcome> outcomes;  // parallel to the requests; empty when connection failed
    std::string connection_error;          // could not connect; names host and port, never the password
};

LiveExplainResult explain_live(const LiveExplainOptions& options, const std::vector<ExplainRequest>& requests);

}  // namespace pgadvisor::server
