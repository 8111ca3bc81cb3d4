#pragma once
// Index candidates: what a rule's IndexNeed asks for, as an ordered key list,
// merged across statements, and checked against the indexes that exist.
//
// Takes: rules::IndexNeed, the workload's shapes (ORDER BY directions,
// IS NULL predicates) and the catalog (n_distinct, existing indexes).
// Gives: Candidates, each with the findings and statement shapes it serves.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "advise/recommendation.hpp"
#include "catalog/catalog.hpp"
#include "rules/finding.hpp"
#include "workload/workload.hpp"

namespace pgadvisor::advise {

struct Candidate {
    IndexDefinition index;                  // keys in their final order; name assigned later
    std::size_t equality_keys = 0;          // the leading keys compared with = (their order is free...)
    std::size_t locked = 0;                 // ...except the first `locked`, which a merged statement relies on
    std::size_t filter_keys = 0;            // equality keys plus the range key, if any (ORDER BY keys do not filter)
    std::vector<std::size_t> findings;      // indexes into the findings given to advise()
    std::vector<std::string> fingerprints;  // statement shapes it serves
    std::vector<std::string> rationale;     // sentences: why these columns in this order
    const catalog::Table* table = nullptr;  // null offline without the table in the schema
    workload::TableRows rows;               // the table's rows and their source (workload/table_sizes.hpp)
    double predicate_fraction = 1;          // share of the table's rows a partial index holds (1: all, or unknown)
};

// The candidate for one need; nullopt when it asks for no key.
std::optional<Candidate> candidate_from_need(const rules::IndexNeed& need, std::size_t finding,
                                             const workload::Workload* workload, const catalog::Catalog* catalog);

// Does `wide` serve what `narrow` was built for (a leading prefix of its keys,
// equality keys in any order, then the range or order keys in sequence, the
// same partial predicate)? When `merge` is set and it does, `wide` takes
// narrow's findings and statements and fixes its key order to serve both.
bool serves(Candidate& wide, const Candidate& narrow, bool merge);

// An existing index that already serves the candidate's statements as a whole
// (catalog::index_serves: valid, btree or a one-key hash, same partial predicate).
const catalog::Index* existing_index_serving(const catalog::Catalog& catalog, const Candidate& candidate);

// Whether a proposed index on the candidate's table serves its statements as a whole
// (catalog::index_serves, as for an existing index): false on another table.
bool index_serves_candidate(const IndexDefinition& index, const Candidate& candidate);

// Wider candidates absorb the narrower ones they serve; equal ones become one.
std::vector<Candidate> merge_candidates(std::vector<Candidate> candidates);

// "(a, b DESC)" for messages, unquoted names.
std::string keys_display(const IndexDefinition& index);

}  // namespace pgadvisor::advise
