#pragma once
// The statements pgadvisor applies or checks, read from libpg_query's tree
// into plain structs: the DDL the offline catalog applies (CREATE SCHEMA /
// TABLE / INDEX, ALTER TABLE, DROP, RENAME, SET SCHEMA, search_path), and
// what the migration rules look at (CREATE TABLE AS, INSERT ... ON CONFLICT).
//
// Takes: the text of one statement (a span from split_statements). Gives: a
// Statement per parsed statement, or the ParseError. A statement of another
// kind is OtherStatement: the readers say what it is, never what to do with it.
// Expressions and types are canonical text (canonical.hpp); names are as
// PostgreSQL stores them (folded, unquoted).

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sql/parser.hpp"

namespace pgadvisor::sql {

// A relation as written: schema empty when unqualified.
struct RelationName {
    std::string schema;
    std::string name;
    bool only = false;  // ONLY name: this table, not its partitions or children
    int location = -1;  // byte offset of the name in the statement text; -1 unknown
};

// One key of an index or of an ON CONFLICT target: a column or an expression.
struct IndexElement {
    std::string column;      // empty for an expression
    std::string expression;  // canonical text, empty for a column
    std::string name_hint;   // the name PostgreSQL derives for the key (FigureColname): column, function, "expr"
    bool descending = false;
    bool nulls_first = false;  // the effective order: NULLS FIRST, or DESC without NULLS LAST
    std::string opclass;       // operator class as written (varchar_pattern_ops), dotted when qualified; empty: default
};

struct CreateIndex {
    RelationName relation;
    std::string name;  // empty: PostgreSQL chooses one
    std::string method = "btree";
    bool unique = false;
    bool primary = false;
    bool concurrent = false;
    bool if_not_exists = false;
    std::vector<IndexElement> keys;
    std::vector<std::string> include;
    std::string predicate;  // canonical WHERE, empty when none
};

// A column or table constraint (also the NULL / DEFAULT / IDENTITY clauses of a column).
enum class ConstraintType { NotNull, Null, Default, Identity, PrimaryKey, Unique, ForeignKey, Other };
struct Constraint {
    ConstraintType type = ConstraintType::Other;
    std::string name;                      // empty: PostgreSQL chooses one
    std::vector<std::string> keys;         // PRIMARY KEY / UNIQUE (table form)
    std::vector<std::string> include;      // INCLUDE (...)
    std::string using_index;               // ADD CONSTRAINT ... USING INDEX name
    std::string default_expr;              // DEFAULT, canonical
    std::vector<std::string> fk_columns;   // FOREIGN KEY (...) (table form)
    RelationName references;               // REFERENCES table
    std::vector<std::string> ref_columns;  // REFERENCES table (...), empty: its primary key
};

struct ColumnDefinition {
    std::string name;
    std::string type;       // canonical, empty when not given (a partition's WITH OPTIONS)
    std::string type_name;  // the type's last name as written: "serial", "int4", ...
    bool not_null = false;
    std::vector<Constraint> constraints;
};

struct LikeClause {
    RelationName relation;
};

// CREATE TABLE's elements in the order written: columns and LIKE first take
// their place, table constraints come after them all.
using TableElement = std::variant<ColumnDefinition, Constraint, LikeClause>;

struct CreateTable {
    RelationName relation;
    bool if_not_exists = false;
    bool partitioned = false;           // PARTITION BY
    bool partition_bound = false;       // PARTITION OF ... FOR VALUES
    std::vector<RelationName> parents;  // INHERITS / PARTITION OF
    std::vector<TableElement> elements;
};

struct CreateTableAs {  // also CREATE MATERIALIZED VIEW, SELECT INTO
    RelationName relation;
};

enum class AlterTableAction {
    AddColumn,
    DropColumn,
    AddConstraint,
    DropConstraint,
    SetNotNull,
    DropNotNull,
    AlterColumnType,
    ColumnDefault,
    AttachPartition,
    DetachPartition,
    Other  // OWNER TO, SET (storage), ENABLE TRIGGER, ...: not the schema's shape
};
struct AlterTableCommand {
    AlterTableAction action = AlterTableAction::Other;
    std::string name;  // the column or constraint named
    bool missing_ok = false;
    ColumnDefinition column;   // AddColumn; AlterColumnType (its type)
    Constraint constraint;     // AddConstraint
    std::string default_expr;  // ColumnDefault: canonical, empty for DROP DEFAULT
    RelationName partition;    // Attach / DetachPartition
};

struct AlterTable {
    RelationName relation;
    bool on_table = true;  // ALTER TABLE (not ALTER INDEX / SEQUENCE / VIEW ...)
    bool missing_ok = false;
    std::vector<AlterTableCommand> commands;
};

enum class ObjectKind { Table, Index, Column, TableConstraint, Schema, Other };

struct Drop {
    ObjectKind kind = ObjectKind::Other;
    bool missing_ok = false;
    std::vector<RelationName> objects;  // a schema: its name in .name
};

struct Rename {
    ObjectKind kind = ObjectKind::Other;
    RelationName relation;  // the table (or index) renamed, or holding the column / constraint
    std::string old_name;   // column, constraint or schema
    std::string new_name;
    bool missing_ok = false;
};

struct SetSchema {  // ALTER ... SET SCHEMA
    ObjectKind kind = ObjectKind::Other;
    RelationName relation;
    std::string new_schema;
};

// SET search_path (TO DEFAULT, RESET) or pg_dump's SELECT set_config('search_path', ...).
struct SetSearchPath {
    bool to_default = false;
    std::vector<std::string> path;
};

struct OnConflictTarget {  // ON CONFLICT (keys) [WHERE ...] or ON CONSTRAINT name
    std::vector<IndexElement> keys;
    std::string predicate;  // canonical, empty when none
    std::string constraint;
};

struct Insert {
    RelationName relation;
    std::optional<OnConflictTarget> conflict_target;  // only when ON CONFLICT names one
};

struct CreateSchema;
struct OtherStatement {};

using Statement = std::variant<OtherStatement, CreateSchema, CreateTable, CreateTableAs, CreateIndex, AlterTable, Drop,
                               Rename, SetSchema, SetSearchPath, Insert>;

struct CreateSchema {
    std::string name;
    bool if_not_exists = false;
    std::vector<Statement> elements;  // CREATE SCHEMA s CREATE TABLE ...
};

// The statements of one statement's text (a span holds one; text with more gives them all).
// A tree of an unexpected shape is the ParseError of that text, never an exception.
Parsed<std::vector<Statement>> read_statements(std::string_view sql);

}  // namespace pgadvisor::sql
