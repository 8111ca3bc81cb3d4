#pragma once
// Facts about indexes and tables that several hygiene rules share
// (duplicate-index, redundant-index, unused-index, fk-without-index,
// upsert-without-unique-index). Their DDL comes from catalog/index_sql.hpp.

#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "rules/finding.hpp"

namespace pgadvisor::rules {

// The index is a primary key's or a unique constraint's own index (PostgreSQL
// names the index after the constraint): it cannot be dropped on its own.
bool backs_constraint(const catalog::Table& table, const catalog::Index& index);

// Of two identical indexes, whether `a` is the one to keep: the primary key's,
// then a constraint's, then a unique one, then a valid one, then the name
// that sorts first (not catalog order: a live catalog and a DDL file list
// indexes differently, and a finding's key must not depend on the source).
bool keep_over(const catalog::Table& table, const catalog::Index& a, const catalog::Index& b);

// A partition's indexes and keys are copies of its parent's; rules report on the parent.
inline bool is_partition(const catalog::Table& table) { return !table.partition_of.empty(); }

// Appends a hygiene finding about `index` (duplicate, redundant, unused): its table,
// the DROP as the migrations write it (unless the rule set another fix), the schema
// source as its place, the index as its baseline key.
void add_index_finding(Finding f, const catalog::Catalog& cat, const catalog::Table& table, const catalog::Index& index,
                       std::vector<Finding>& out);

// "(a, lower(b) DESC)": keys as PostgreSQL prints them.
std::string keys_text(const catalog::Index& index);
// "name ON schema.table USING method (keys) INCLUDE (...) WHERE ...", for explanations.
std::string describe(const catalog::Index& index);

// Sorted set of an index's INCLUDE columns.
std::vector<std::string> sorted(std::vector<std::string> v);

// The index a need asks for, keys in the need's own order: equality columns,
// equality expressions, then the range column or else the ORDER BY columns
// (ascending). The advise stage may order and widen it; a fix states the need.
catalog::Index index_for_need(const IndexNeed& need);

// The fix for a missing index: CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS,
// written and named by catalog/index_sql.hpp exactly as a migration for the same
// index is (the name avoids the catalog's relations; cat may be null).
std::string create_index_fix_sql(const catalog::Catalog* cat, catalog::Index index);

// The need for a unique index on exactly these columns: an ON CONFLICT arbiter.
IndexNeed unique_index_need(const std::string& schema, const std::string& table,
                            const std::vector<std::string>& columns, const std::string& predicate = "");

// The fix for a missing unique index: the query that finds the rows that would
// make it fail (catalog::duplicates_check_sql), then create_index_fix_sql, one per line.
std::string unique_index_fix_sql(const catalog::Catalog* cat, const IndexNeed& need);

}  // namespace pgadvisor::rules
