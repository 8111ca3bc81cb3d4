#pragma once
// "Does an existing index already serve this?" answered once, the way
// PostgreSQL 15's planner decides, for every rule and the advisor alike:
//
// - an invalid index (a failed CREATE INDEX CONCURRENTLY) serves nothing;
// - a partial index serves only statements known to have its predicate
//   (canonical texts compared; without a known predicate, none);
// - btree answers =, ranges and ORDER BY on its leading keys; hash answers
//   only = on its one key; other methods (gin, gist, brin, ...) depend on
//   operator classes the catalog does not model, and are not counted;
// - keys match by column, or by canonical text for expression keys
//   (lower(email) and lower((email)::text) are the same key);
// - the equality keys may come in any order among the index's leading keys;
//   a range key must follow them (in either direction); ORDER BY keys must
//   follow them in sequence, all in the statement's directions or all reversed
//   (a backward scan);
// - an ON CONFLICT arbiter needs a unique index on exactly the equality keys.
//
// Takes: catalog::Index and what a statement asks of it. Gives: yes or no.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"

namespace pgadvisor::catalog {

// What a statement asks of an index on one table.
struct IndexAccess {
    std::vector<IndexKey> equality;  // compared with = or IN (columns or expression keys)
    std::optional<IndexKey> range;   // compared with < <= > >= BETWEEN LIKE 'x%'
    std::vector<IndexKey> order;     // ORDER BY keys with their directions (when no range key)
    std::string predicate;           // the statement's constant conditions as SQL text; empty when none is known
    bool unique = false;             // needs a unique index on exactly the equality keys (ON CONFLICT)
};

enum class ServeDepth {
    Leading,  // the planner can start an index scan with it: its first key is one the statement constrains
    Whole,    // every key the statement asks for is an index condition or the index's order
};

bool index_serves(const Index& index, const IndexAccess& access, ServeDepth depth);

// The first of the table's indexes (catalog order) that serves the access; null when none does.
const Index* serving_index(const Catalog& catalog, const Table& table, const IndexAccess& access, ServeDepth depth);

// A unique index that proves at most one row has given values in `columns`:
// valid, not partial, every key a plain column among them (a primary key's
// index included). Null when there is none.
const Index* unique_index_within(const Catalog& catalog, const Table& table, const std::vector<std::string>& columns);

// The building blocks, for the advisor's merging of two proposals.

// Same key: the same column, or expressions with the same canonical text.
bool same_index_key(const IndexKey& a, const IndexKey& b);
// Same partial-index predicate (canonical texts; both empty is the same).
bool same_predicate(const std::string& a, const std::string& b);
// The first n keys, as a set, are exactly `want`.
bool leading_keys_are(const std::vector<IndexKey>& keys, std::size_t n, const std::vector<IndexKey>& want);
// keys[from...] are `tail` in sequence, in the same directions or all reversed.
bool keys_follow(const std::vector<IndexKey>& keys, std::size_t from, const std::vector<IndexKey>& tail);

}  // namespace pgadvisor::catalog
