#pragma once
// What a rule reports: a Finding carries its own evidence, explanation and
// suggested fix (as squawk's Violation does), so the advise and emit stages
// never have to ask a rule again.

#include <string>
#include <vector>

#include <optional>

#include "ingest/source_location.hpp"
#include "rules/config.hpp"
#include "server/rewrite_check.hpp"

namespace pgadvisor::rules {

enum class Confidence { Low, Medium, High };
const char* to_string(Confidence);

// Where in the inputs: ingest's type, so a statement's place passes into a
// finding as it is.
using ingest::SourceLocation;

// A statement shape behind a finding, with its measured cost. Normalized text
// only: literal values never appear here.
struct StatementEvidence {
    std::string fingerprint;  // the shape's identity (workload::ShapeStats::fingerprint)
    std::string normalized;
    long long calls = 0;
    double total_ms = 0;
    double mean_ms = 0;
    double p95_ms = 0;
    double max_ms = 0;
    std::vector<SourceLocation> locations;  // a few
    // n-plus-one: the query whose rows the loop iterates over, shown for context. The batched
    // lookup replaces the loop's calls, not it: review files list it apart.
    bool loop_parent = false;
};

// An index a rule believes is missing. The advise stage orders columns,
// merges suggestions across findings and checks existing indexes; a rule
// states what it saw.
struct IndexNeed {
    std::string schema;  // empty when unqualified and unresolved
    std::string table;
    std::vector<std::string> equality_columns;  // compared with = or IN / = ANY
    // Expressions compared with = or IN, as SQL text an expression index key
    // takes: "lower(email)", the column quoted as needed (sql::quote_ident).
    // Only immutable functions of one column an index can serve (seq-scan's
    // allow-list: lower, upper).
    std::vector<std::string> equality_expressions;
    std::string range_column;                // compared with < <= > >= BETWEEN, LIKE 'x%'
    std::vector<std::string> order_columns;  // ORDER BY keys, when an index could provide the order
    bool unique = false;                     // needed as a unique index (ON CONFLICT target)
    std::string predicate;                   // constant predicate for a partial index, if any
    double predicate_fraction = 1;           // share of the table's rows the predicate keeps (from a plan)
    std::string fingerprint;                 // the statement shape it serves
};

// The application change a finding's rewrite_sql stands for, in the terms an
// ORM's fix is written in (advise/orm_fix.hpp): which rows it reads or writes, by
// which columns. Names only, never values.
struct AppChange {
    enum class Kind { None, BatchLookup, Upsert };
    Kind kind = Kind::None;
    // BatchLookup: the column the loop varies; Upsert: the conflict key, in the rule's order.
    std::vector<std::string> key_columns;
    // BatchLookup: the column is a foreign key (the loop loads each parent's children,
    // a to-many relation); otherwise the table's own key (each row's parent, a to-one).
    bool key_is_foreign = false;
    std::string parent_table;  // BatchLookup: the probable parent's table; "" when none was found
    // Upsert: the columns DO UPDATE sets; empty for DO NOTHING (or a no-op update for RETURNING).
    std::vector<std::string> update_columns;
    // Upsert: the partial unique index's predicate ON CONFLICT names ("deleted_at IS NULL": the key
    // is unique among rows not deleted); empty for a plain unique key.
    std::string key_scope;
};

struct Finding {
    std::string rule_id;
    Severity severity = Severity::Warning;
    Confidence confidence = Confidence::Medium;
    std::string title;        // one line, no literal values
    std::string explanation;  // plain text: what was seen, why it matters
    std::vector<StatementEvidence> statements;
    std::vector<SourceLocation> locations;  // where in the inputs (logs, plans, migrations)
    std::string session;                    // where it happened, when it is a sequence
    std::string transaction;
    std::string request;  // route / controller#action / trace id
    std::string schema;   // main relation, when there is one
    std::string table;
    std::string fix;      // what to do, one paragraph
    std::string fix_sql;  // rewritten statement or DDL, normalized (no literals)
    // The statement the application should run instead (the batched N+1
    // lookup, the UPSERT), normalized; the advise stage turns it into a review file.
    std::string rewrite_sql;
    // A batched rewrite_sql's logged loops, for advise to check it on a live server
    // (issue 13). Holds logged values: user data, never printed, never in JSON.
    std::optional<server::BatchSamples> batch_samples;
    // What changes for the caller when it runs rewrite_sql instead (rows it
    // returns, locks it takes), one paragraph; printed beside it wherever it is.
    std::string rewrite_note;
    AppChange app_change;  // what rewrite_sql changes in the application, for its ORM's form of the fix
    std::vector<IndexNeed> index_needs;
    double estimated_gain_ms = 0;  // over the observed workload
    std::string gain_method;       // how estimated_gain_ms was computed, in words
    // Stable identity for baselines: rule + this key (a fingerprint, an index name, a file).
    std::string key;
};

}  // namespace pgadvisor::rules
