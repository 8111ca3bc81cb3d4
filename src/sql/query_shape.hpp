#pragma once
// The SQL stage's output: a plain description of one statement, built from
// libpg_query's parse tree. Later stages read it; nothing here knows them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sql/optional_box.hpp"

namespace pgadvisor::sql {

enum class StatementKind { Select, Insert, Update, Delete, Merge, Ddl, Utility, Other };

// A table the statement reads or writes. CTE names and subquery aliases are
// never tables; a reference to a CTE is recorded in QueryShape::cte_names.
struct TableRef {
    std::string schema;  // as written, empty when unqualified
    std::string name;
    std::string alias;     // empty when none
    bool written = false;  // target of INSERT/UPDATE/DELETE/MERGE

    std::string qualified_name() const { return schema.empty() ? name : schema + "." + name; }
};

// A column reference resolved against the FROM scope it appears in.
struct ColumnRef {
    int table = -1;         // index into QueryShape::tables; -1 when not resolvable to one table
    std::string qualifier;  // the alias or table name as written ("o" in o.id), may be empty
    std::string column;

    bool operator==(const ColumnRef&) const = default;
};

// An outermost SELECT list item with its AS name: the column it reads when the
// item is a bare column (column.column empty otherwise). ORMs name their output
// in their own ways ("Doctor"."id" AS "Doctor.id", patient.id AS patient_id),
// which the workload stage reads to tell which ORM wrote a statement.
struct OutputAlias {
    ColumnRef column;
    std::string alias;
};

enum class PredicateClass {
    Equality,  // col = x
    InList,    // col IN (...), col = ANY(...)
    Range,     // <, <=, >, >=, BETWEEN
    IsNull,
    IsNotNull,
    LikePrefix,  // LIKE / ILIKE with a constant prefix ('abc%')
    Other,       // <>, NOT IN, LIKE '%x', ~, @>, ...
};

enum class OperandKind { Constant, Parameter, Column, Expression, None };

// How long an expression without columns, constants or parameters keeps one
// value (value_expression.cpp says which expressions qualify):
// - Transaction: now(), CURRENT_TIMESTAMP, LOCALTIMESTAMP: the transaction's start time;
// - Day: CURRENT_DATE, now()::date: the same date in every transaction of that day
//   (in one session time zone).
// Volatile expressions (clock_timestamp(), random(), nextval()) are never a ValueExpression.
enum class ValueStability { Transaction, Day };

// A compared or inserted value that is such an expression, in canonical text
// (canonical.hpp): two statements that give a column the same text give it the
// same value within `stability`.
struct ValueExpression {
    std::string text;
    ValueStability stability = ValueStability::Transaction;

    bool operator==(const ValueExpression&) const = default;
};

struct Predicate {
    ColumnRef column;
    PredicateClass cls = PredicateClass::Other;
    std::string op;  // operator as written: "=", ">=", "~~", "BETWEEN", "IN", "IS NULL", ...
    OperandKind operand = OperandKind::None;
    int param_number = 0;    // $n when operand == Parameter
    int literal_index = -1;  // index into QueryShape::literals of the compared value (first one for lists)
    std::string function;    // "lower" when written as lower(col) = ...; empty for a bare column
    bool in_join = false;    // came from JOIN ... ON rather than WHERE
    // The compared value when operand == Expression and it is a ValueExpression (day = CURRENT_DATE).
    std::optional<ValueExpression> value_expression;
};

// t1.a = t2.b, from JOIN ... ON or from WHERE.
struct JoinEquality {
    ColumnRef left;
    ColumnRef right;
};

enum class SortDirection { Default, Asc, Desc };
enum class NullsOrder { Default, First, Last };

struct OrderItem {
    ColumnRef column;        // column.column empty when the key is an expression
    std::string expression;  // normalized text of a non-column key (e.g. "lower(name)")
    SortDirection direction = SortDirection::Default;
    NullsOrder nulls = NullsOrder::Default;
};

enum class ConflictAction { None, Nothing, Update };

struct InsertInfo {
    int table = -1;                    // index into tables
    std::vector<std::string> columns;  // empty when the statement names none
    int rows = 0;                      // VALUES rows; 0 for INSERT ... SELECT / DEFAULT VALUES
    // Per VALUES row, per item: the index into QueryShape::literals of the item
    // when it is a bare constant or $n (casts allowed), else -1. Lets a rule
    // read the value an execution inserts into a column.
    std::vector<std::vector<int>> value_literals;
    // Per VALUES row, per item: the item when it is a ValueExpression
    // (VALUES (CURRENT_DATE, $1)), else nullopt; same layout as value_literals.
    std::vector<std::vector<std::optional<ValueExpression>>> value_expressions;
    bool from_select = false;
    ConflictAction on_conflict = ConflictAction::None;
    std::vector<std::string> conflict_columns;
    std::string conflict_constraint;  // ON CONFLICT ON CONSTRAINT name
    std::vector<std::string> conflict_update_columns;
};

enum class LiteralKind { Constant, Parameter };

// A constant or $n parameter of the statement, with its place in the source,
// so later stages can compare the values of two statements of the same shape.
struct Literal {
    LiteralKind kind = LiteralKind::Constant;
    int location = -1;     // byte offset in the statement text (relative to the statement)
    int length = 0;        // byte length of the literal's text in the statement
    int param_number = 0;  // for parameters
    std::string value;     // constant's text (unquoted for strings); never printed unless asked
    bool is_null = false;
};

// A piece of a statement's text: byte offsets, `end` one past its last byte.
struct TextSpan {
    int start = 0;
    int end = 0;
};

struct QueryShape {
    StatementKind kind = StatementKind::Other;
    std::string node_type;  // libpg_query node name: "SelectStmt", "CreateStmt", ...
    // For TransactionStmt: "begin", "start", "commit", "rollback", "savepoint", "release",
    // "rollback-to", "prepare", "commit-prepared", "rollback-prepared"; empty otherwise.
    std::string transaction_kind;
    std::size_t offset = 0;  // byte offset of the statement in the source text
    std::size_t length = 0;  // byte length of the statement in the source text
    std::string text;        // the statement's own text

    std::vector<TableRef> tables;
    std::vector<std::string> cte_names;
    bool recursive_cte = false;
    std::vector<Predicate> predicates;
    std::vector<JoinEquality> joins;
    std::vector<OrderItem> order_by;
    std::vector<ColumnRef> group_by;
    // Columns the outermost SELECT list reads, each once, in order: bare ones
    // and those inside expressions (sum(total) reads total), not those of a
    // subquery in the list. select_star: the list has * or t.* (then the
    // columns read are not known without a catalog).
    std::vector<ColumnRef> output_columns;
    bool select_star = false;
    std::vector<OutputAlias> output_aliases;  // the outermost SELECT list's AS names, in order
    bool has_limit = false;
    bool has_offset = false;
    bool distinct = false;
    bool distinct_on = false;
    bool for_update = false;  // any row-locking clause (FOR UPDATE/SHARE/...)
    bool has_returning = false;
    bool has_window = false;
    bool has_subquery = false;
    // Every function the statement calls, by its name (the last part of a
    // qualified one), each once: what verify asks pg_proc about before it runs
    // a logged SELECT (a volatile function may act outside the transaction).
    std::vector<std::string> functions;
    std::vector<std::string> set_columns;  // UPDATE ... SET
    OptionalBox<InsertInfo> insert;        // on the heap: most shapes are no INSERT (optional_box.hpp)

    std::uint64_t fingerprint = 0;
    std::string fingerprint_hex;
    std::string normalized;  // pg_query_normalize: constants replaced by $n
    std::vector<Literal> literals;
    // What the statement's neutral text replaces (neutral_constants.hpp), in text order: each
    // constant token but the integers that name an output column (GROUP BY 2), and each comment.
    // From the scan that shaped it; nullopt when it was not scanned (nothing is then known to be
    // free of values).
    std::optional<std::vector<TextSpan>> value_spans;
};

// libpg_query's error for a statement it could not parse.
struct ParseError {
    std::string message;
    std::size_t offset = 0;  // where the failing statement starts in the source
    int cursor = 0;          // 1-based position in the statement libpg_query points at; 0 when none
    int line = 0;            // 1-based line in the source of the cursor (or of the statement)
    bool too_deep = false;   // it parses, but nests deeper than pgadvisor follows (nesting.hpp)
};

struct ShapeResult {
    std::optional<QueryShape> shape;
    std::optional<ParseError> error;
};

const char* to_string(StatementKind);
const char* to_string(PredicateClass);
const char* to_string(OperandKind);
const char* to_string(SortDirection);
const char* to_string(NullsOrder);
const char* to_string(ConflictAction);

}  // namespace pgadvisor::sql
