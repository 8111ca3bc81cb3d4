#pragma once
// An IndexDefinition written as SQL, and its name: readable, deterministic,
// at most 63 bytes (PostgreSQL's NAMEDATALEN - 1), unique among the proposals
// and against the catalog's existing relations.
//
// Takes: IndexDefinitions. Gives: names and DDL text with every identifier
// quoted exactly when PostgreSQL needs it (sql::quote_ident).

#include <string>
#include <string_view>
#include <vector>

#include "advise/recommendation.hpp"
#include "catalog/catalog.hpp"

namespace pgadvisor::advise {

// A name part as a readable word: ASCII letters lower-cased, digits and
// non-ASCII letters kept, every other run of bytes one '_', no '_' at the ends.
// Used for index names and migration file names alike.
std::string name_word(std::string_view text);

// The longest prefix of at most max_bytes that ends on a UTF-8 character boundary.
std::string cut_utf8_prefix(const std::string& s, std::size_t max_bytes);

// <table>_<key>_<key>..._idx (uniq suffix _key for unique indexes, _part for partial ones),
// keys from column names or the expression's words, lower-case, cut at 63 bytes on
// a UTF-8 character boundary with a short stable hash so two long names never collide.
std::string base_index_name(const IndexDefinition& index);

// Fills index->name for each, distinct from one another and from every relation in
// the catalog (when given) in the index's schema; deterministic for the same input.
void assign_index_names(std::vector<IndexDefinition*>& indexes, const catalog::Catalog* catalog);

// "(a, lower((b)::text) DESC) INCLUDE (c) WHERE ...": the part after ON table.
std::string index_body_sql(const IndexDefinition& index);

// CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name ON [ONLY] schema.table USING method (...) ...;
struct CreateIndexStyle {
    bool concurrently = true;
    bool if_not_exists = true;
};
std::string create_index_sql(const IndexDefinition& index, CreateIndexStyle style = {});

// DROP INDEX [CONCURRENTLY] IF EXISTS schema.name;
std::string drop_index_sql(const IndexDefinition& index, bool concurrently = true);

// A unique index: the query that lists key values held by more than one row
// (rows with a NULL key never conflict, so they are left out), most frequent first.
std::string duplicates_check_sql(const IndexDefinition& index);

}  // namespace pgadvisor::advise
