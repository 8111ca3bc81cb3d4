#pragma once
// Statements rewritten through libpg_query's own tree and deparser, never by
// string replacement: the fixes pgadvisor proposes for application code.
// Inputs are normalized statements (constants as $n), so no literal value
// from a log can reach a rewritten statement. The deparser quotes identifiers
// exactly as PostgreSQL needs.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql/parser.hpp"
#include "sql/query_shape.hpp"

namespace pgadvisor::sql {

// The batched form of an N+1 lookup: a statement run once per parent key
// (`... WHERE col = $k ...`) as one statement for an array of keys ($k), that
// returns, per key, exactly the rows the loop returned for it.
//
// - A plain row lookup becomes `col = ANY($k)`; the key column is added to a
//   SELECT list that lacks it, so the application can group the rows by key.
// - A SELECT that computes per call (aggregates or any function in its list,
//   GROUP BY, HAVING, DISTINCT, LIMIT/OFFSET, window, set operations) runs once
//   per key in a lateral join over unnest($k::key_type[]): `count(*)` gives one
//   row per key (0 included), `LIMIT 3` three rows per key. Needs key_type.
// - A comparison of two constants (an ORM's `1=1`, `$4 = $5` once normalized)
//   is dropped when the logged call's values show it always holds (equal
//   values); otherwise the statement is not batched. Remaining $n are numbered
//   without gaps, so the statement prepares as it is.
enum class BatchForm { AnyArray, LateralPerKey };
struct BatchOptions {
    int operand_location = -1;  // byte offset of $k in the normalized statement (a Literal's location)
    // $n from this number on stood for constants of the logged statement (0: none did).
    int first_constant_param = 0;
    // One logged call's value of each $n (index n - 1), when known: data, only compared, never written.
    std::vector<std::optional<std::string>> param_values;
    std::string key_type;  // SQL type of the key column ("integer", "uuid"); empty when unknown
};
struct BatchedLookup {
    std::string sql;
    BatchForm form = BatchForm::AnyArray;
    // $j of sql (index j - 1) takes the value of the normalized statement's $origin[j - 1]:
    // the key array's $j maps to $k, the loop's key; the others to the values every call shared.
    std::vector<int> origin;
    // Where the rows carry their key: the first column (LateralPerKey), the last (AnyArray, added
    // to the SELECT list), or somewhere in the statement's own list (AnyArray: `*` or the column).
    enum class KeyColumn { First, Last, InRow } key_column = KeyColumn::InRow;
};
Parsed<BatchedLookup> batch_lookup(std::string_view normalized_statement, const BatchOptions& options);

// INSERT ... -> INSERT ... ON CONFLICT (conflict_columns) DO NOTHING, or
// DO UPDATE SET c = EXCLUDED.c for each update column.
//
// With the application's own UPDATE (update_statement, normalized): a column
// the UPDATE computes from the row's current values (`value = value + $1`, a
// counter) keeps that computation, on the existing row (`value =
// daily_counters.value + $4`), its parameters numbered after the INSERT's, so
// the UPSERT does what the UPDATE did rather than overwrite the row. A column
// the UPDATE sets to a plain value stays EXCLUDED.c.
//
// returning: columns ("*" for all) added to a RETURNING clause, after those the
// INSERT already returns; with DO UPDATE they give the row for an existing key too.
//
// conflict_where: the predicate of a partial unique index to infer as the arbiter
// (ON CONFLICT (k) WHERE deleted_at IS NULL), SQL the caller builds from quoted
// identifiers; empty for a plain key.
Parsed<std::string> upsert_from_insert(std::string_view insert_statement,
                                       const std::vector<std::string>& conflict_columns, ConflictAction action,
                                       const std::vector<std::string>& update_columns,
                                       std::string_view update_statement = {},
                                       const std::vector<std::string>& returning = {},
                                       std::string_view conflict_where = {});

// Parse and deparse: libpg_query's canonical text of a statement.
Parsed<std::string> deparse(std::string_view statement);

}  // namespace pgadvisor::sql
