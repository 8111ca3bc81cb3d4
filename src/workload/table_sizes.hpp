#pragma once
// How many rows a table holds, by the log's own evidence, for the estimates
// that need it when no statistics say (docs/gain-model.md, "Table sizes"):
//
// - logged plans: the most rows a Seq Scan of the table read in any logged
//   plan (rows kept plus rows removed by its filter), when a plan names it;
// - else logged durations: a statement that reads only that table, by
//   predicates no existing index could serve and without LIMIT, reads it
//   whole, so its time divided by the cost model's time per row read bounds
//   the table's rows from above. An inference, and said so.
//
// The catalog's statistics and --assume-rows win over both; the catalog's
// default guess stays only where the log has no evidence. The catalog itself
// is not changed: the evidence rides in the Workload.
//
// Takes: the Workload (shapes with their times and plans, standalone plans),
// the Catalog and the cost model. Gives: TableRows per table.

#include <map>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "workload/cost_model.hpp"

namespace pgadvisor::workload {

struct Workload;

// A table's row count with where it comes from.
struct TableRows {
    double rows = -1;  // -1 when unknown
    catalog::RowsSource source = catalog::RowsSource::Default;
    std::string basis;  // the evidence in words, for the Logged sources (no values from the log)
};

// The log's evidence, by catalog::Table::qualified_name(); tables without evidence are absent.
using TableSizes = std::map<std::string, TableRows>;

TableSizes table_size_evidence(const Workload& workload, const catalog::Catalog& catalog, const CostModel& model = {});

// The row count the estimates use for a table: the catalog's when it comes
// from statistics or --assume-rows, else the log's evidence, else the
// catalog's default guess.
TableRows table_rows(const catalog::Table& table, const TableSizes& evidence);

// One note per table whose rows the estimates take from the log rather than
// the catalog's default guess, in catalog order, for the report's notes.
std::vector<std::string> size_notes(const TableSizes& evidence, const catalog::Catalog& catalog);

// Where the count comes from, as findings and gain details say it:
// "from the server's statistics", "as given by --assume-rows", the evidence, "a default guess".
std::string rows_basis(const TableRows& rows);

}  // namespace pgadvisor::workload
