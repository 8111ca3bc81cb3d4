#pragma once
// The one writer of CREATE / DROP INDEX text and of index names, for the
// rules' fix_sql and the advisor's migrations alike, so a finding and the
// migration built from it name the same index the same way. Names are
// readable, deterministic, at most 63 bytes (PostgreSQL's NAMEDATALEN - 1),
// and unique among the proposals and against the catalog's relations.
//
// Takes: catalog::Index (an existing index, or a proposed one whose schema may
// be empty: unqualified, found along search_path). Gives: names and DDL text
// with every identifier quoted exactly when PostgreSQL needs it (sql::quote_ident).

#include <string>
#include <vector>

#include "catalog/catalog.hpp"

namespace pgadvisor::catalog {

// <table>_<key>_<key>..._idx (uniq suffix _key for unique indexes, _part for partial ones),
// keys from column names or the expression's words, lower-case, cut at 63 bytes on
// a UTF-8 character boundary with a short stable hash so two long names never collide.
std::string base_index_name(const Index& index);

// index.name, or its base name while none is assigned.
std::string index_name(const Index& index);

// Fills index->name for each, distinct from one another and from every relation in
// the catalog (when given) in the index's schema; deterministic for the same input.
void assign_index_names(std::vector<Index*>& indexes, const Catalog* catalog);

// The name assign_index_names gives one index alone: what a rule's fix_sql calls
// the index that the migration (named with the same function) creates.
std::string proposed_index_name(const Index& index, const Catalog* catalog);

// "(a, lower((b)::text) DESC) INCLUDE (c) WHERE ...": the part after ON table.
std::string index_body_sql(const Index& index);

// CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name ON schema.table USING method (...) ...;
struct CreateIndexStyle {
    bool concurrently = true;
    bool if_not_exists = true;
};
std::string create_index_sql(const Index& index, CreateIndexStyle style = {});

// DROP INDEX [CONCURRENTLY] IF EXISTS schema.name;
std::string drop_index_sql(const Index& index, bool concurrently = true);

// psql only (a plain migration run with psql -f): a query and "\gexec" that drop an INVALID
// index of this name on this table, left by a CONCURRENTLY build that failed or was cancelled,
// so that a retry builds it where IF NOT EXISTS would keep the broken one. A valid index of
// that name stays. \gexec runs the DROP INDEX CONCURRENTLY it generates as a statement of its
// own: it cannot run inside a function, a DO block or a transaction.
std::string drop_invalid_index_psql(const Index& index);

// A unique index: the query that lists key values held by more than one row
// (rows with a NULL key never conflict, so they are left out), most frequent first.
std::string duplicates_check_sql(const Index& index);

}  // namespace pgadvisor::catalog
