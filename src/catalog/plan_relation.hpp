#pragma once
// The table a plan node scans, mapped back through the statement that was
// planned, never through a fresh search_path lookup of the bare name: a plan
// names a table as stored, with its schema only under EXPLAIN VERBOSE, and
// public.orders is not the s2.orders the statement named.
//
// Takes: the plan node's schema (may be empty), relation and alias, the
// planned statement's QueryShape and its Resolution. Gives: a catalog table.

#include <string>

#include "catalog/resolve.hpp"

namespace pgadvisor::catalog {

// Among the statement's resolved tables (`resolution` of `shape`): the one of
// the plan's schema when it gives one, else the one of that name when only one
// table of the statement has it, else the one the plan's alias names. A table
// the statement does not name (a partition, a view's table): by the plan's
// schema, else in the schema of one of the statement's tables, else the one
// table of that name in the catalog. nullptr when none or more than one fits.
// Without a statement (a standalone EXPLAIN file) the plan's names are all
// there is: resolve_table along the catalog's search_path.
const Table* resolve_plan_relation(const Catalog& catalog, const sql::QueryShape* shape, const Resolution* resolution,
                                   const std::string& schema, const std::string& relation, const std::string& alias);

}  // namespace pgadvisor::catalog
