#pragma once
// The advise stage's output: what to change, why, and what it is worth.
//
// Takes: rules::Finding (with IndexNeeds and rewritten statements), the
// Workload (shapes, samples, times) and the catalog. Gives: Recommendations,
// ranked by total time saved, each with its gain estimate and the method
// behind it. The emit stage writes them as migrations and reports.

#include <cstddef>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "rules/finding.hpp"

namespace pgadvisor::advise {

// A proposed index is an index as the catalog models one (one key type, one
// renderer: catalog/index_sql.hpp). Its schema may be empty (unqualified, found
// along search_path), its name is assigned by catalog::assign_index_names, its
// predicate is SQL text built from the statement's tree; the live-only fields
// (primary, size_bytes, idx_scan) keep their defaults.
using IndexDefinition = catalog::Index;
using catalog::IndexKey;

enum class GainMethod { HypoPG, RealIndexRolledBack, PlanActualTimes, CostModel, RoundTrips, None };
const char* to_string(GainMethod);

struct GainEstimate {
    GainMethod method = GainMethod::None;
    std::string method_detail;    // how it was computed, in words, for every output
    double ms_per_call = 0;       // time saved per call of the affected statements
    double ms_total = 0;          // over the observed workload
    double ms_per_hour = 0;       // ms_total scaled to one hour of the observed span
    double share_of_db_time = 0;  // ms_total / all database time seen, 0..1
    rules::Confidence confidence = rules::Confidence::Low;
    double cost_before = 0;  // planner cost units, when planned (HypoPG); 0 otherwise
    double cost_after = 0;
    // Planner cost saved per call on statements that carried no duration (a
    // statement given alone in a .sql file): their gain is in these units, not ms.
    double untimed_cost_saved = 0;
};

struct WriteCost {
    double writes_per_hour = 0;  // INSERT/UPDATE/DELETE on the table, observed or from pg_stat
    std::string source;          // "observed in the log", "pg_stat_user_tables", "unknown"
    std::string note;            // what the index costs each write, in words
    // Writes and reads both observed in the log, more writes per hour than
    // reads: the table gets one new index fewer than the per-table cap.
    bool written_more_than_read = false;
};

// A gain measured in planner cost alone (its statements carried no duration):
// "planner cost 2041.00 -> 40.22 per call, 98% of its cost; no duration was
// logged, so no time figure". Empty when the gain has a time.
std::string cost_only_gain(const GainEstimate&);

enum class RecommendationKind {
    CreateIndex,        // a new index (seq-scan, n-plus-one lookups)
    CreateUniqueIndex,  // the unique index an UPSERT needs (check-then-insert)
    RewriteStatement,   // application change: batched statement or UPSERT (a review file)
    // No DropIndex: duplicate / redundant / unused indexes stay findings whose
    // fix_sql is the DROP; dropping is a judgement a migration should not make.
};
const char* to_string(RecommendationKind);

// What a live server said of a review statement before it was proposed (the proof of
// issue 13, server/rewrite_check.hpp). A statement that did not prepare, or a batch
// that returned other rows than its loop, is never proposed, so neither is a status.
struct RewriteCheck {
    enum class Status { Offline, Prepared, Equivalent };
    Status status = Status::Offline;
    int loops = 0;       // Equivalent: logged loops on which it returned, per key, the loop's rows
    int keys = 0;        // Equivalent: those loops' distinct keys, each looked up by its own call
    std::string detail;  // Prepared: why no logged loop was compared; Equivalent: why no further one
};
const char* to_string(RewriteCheck::Status);  // "offline", "prepared", "equivalent"
// One line for the review file and the reports: "checked equivalent on 3 logged loops (24 keys)", ...
std::string describe(const RewriteCheck&);

struct Recommendation {
    RecommendationKind kind = RecommendationKind::CreateIndex;
    std::string title;                                 // one line, no literal values
    std::vector<std::size_t> findings;                 // indexes into the findings vector given to advise()
    std::vector<std::string> rule_ids;                 // of those findings
    std::vector<rules::StatementEvidence> statements;  // the shapes it helps, with calls and times
    IndexDefinition index;             // CreateIndex / CreateUniqueIndex; the table of a RewriteStatement
    std::string duplicates_check_sql;  // CreateUniqueIndex: finds rows that would violate it
    // The statement for the application code (RewriteStatement; CreateUniqueIndex: the UPSERT
    // it serves), a finding's rewrite_sql byte for byte, and what changes for its caller.
    std::string review_sql;
    std::string review_note;
    RewriteCheck rewrite_check;  // what the server said of review_sql (with --db)
    std::string rationale;       // why these columns, in this order
    GainEstimate gain;
    WriteCost write_cost;
    std::string key;  // stable identity for baselines
};

// The proposed indexes as one set: what they save together. A statement two
// of them could serve is counted once (for the index its plan uses with the
// whole set, or offline the one that saves it most), so this is not the sum of
// what each would save alone.
struct IndexSetSummary {
    std::size_t indexes = 0;
    double ms_total = 0;
    double ms_per_hour = 0;
    double share_of_db_time = 0;
    std::string method;  // how the set was chosen and its savings counted, in words
};

}  // namespace pgadvisor::advise
