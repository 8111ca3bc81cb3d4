#pragma once
// The catalog stage's model: what the rules and the advisor know about the
// schema, whether it came from a live server (live_loader.hpp) or from DDL
// files (ddl_loader.hpp). Plain structs; names are stored as PostgreSQL
// stores them (folded to lower case unless quoted).
//
// Takes: nothing from earlier stages but sql (offline DDL is parsed there).
// Gives: Catalog, with lookups by schema and name.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace pgadvisor::catalog {

// pg_stats for one column. Values of most_common_values are data from the
// user's tables: never print them unless asked (--show-literals).
struct ColumnStats {
    double null_frac = 0;
    double n_distinct = 0;  // > 0: distinct count; < 0: -fraction of rows (PostgreSQL's convention)
    std::vector<std::string> most_common_values;
    std::vector<double> most_common_freqs;
    std::optional<double> correlation;
};

struct Column {
    std::string name;
    // Canonical type text, as format_type() prints it ("character varying(20)",
    // "timestamp with time zone", "integer[]"); user types without schema.
    std::string type;
    bool not_null = false;
    std::string default_expr;  // canonical expression (sql/canonical.hpp), empty when none
    std::optional<ColumnStats> stats;
};

// One key of an index: a column, or an expression in canonical form.
struct IndexKey {
    std::string column;      // empty for an expression key
    std::string expression;  // canonical (sql/canonical.hpp); empty for a plain column
    bool descending = false;
    bool nulls_first = false;  // effective: PostgreSQL's default is NULLS FIRST only for DESC
    // A non-default operator class (Django's varchar_pattern_ops "_like" indexes); empty for the
    // type's default. Two keys with different classes answer different operators: not the same key.
    std::string opclass{};  // (a default initializer: aggregate initializations may leave it out)

    bool operator==(const IndexKey&) const = default;
};

// An ascending key on a column, or on a canonical expression, in the default operator class.
inline IndexKey column_key(std::string column) {
    IndexKey k;
    k.column = std::move(column);
    return k;
}
inline IndexKey expression_key(std::string expression) {
    IndexKey k;
    k.expression = std::move(expression);
    return k;
}

struct Index {
    std::string schema;  // an index lives in its table's schema; a proposed one may leave it empty (search_path)
    std::string name;
    std::string table;  // table name in the same schema
    std::string method = "btree";
    std::vector<IndexKey> keys;
    std::vector<std::string> include;  // INCLUDE columns
    std::string predicate;             // canonical WHERE of a partial index; empty when none
    bool unique = false;
    bool primary = false;
    bool valid = true;
    std::int64_t size_bytes = -1;  // relpages * block size, as of the last VACUUM/ANALYZE; -1 offline
    std::int64_t idx_scan = -1;    // -1 when unknown
};

enum class ConstraintKind { PrimaryKey, Unique, ForeignKey };

struct Constraint {
    std::string name;
    ConstraintKind kind = ConstraintKind::PrimaryKey;
    std::vector<std::string> columns;
    // Foreign keys: the referenced table and its columns.
    std::string ref_schema;
    std::string ref_table;
    std::vector<std::string> ref_columns;
};

// Where a table's row count comes from, strongest first. The catalog sets
// Statistics, Assumed and Default; the two Logged sources are the log's own
// evidence, which the workload stage reads (workload/table_sizes.hpp) and
// which counts only where neither statistics nor --assume-rows say.
enum class RowsSource {
    Statistics,       // reltuples of a live server
    Assumed,          // --assume-rows
    LoggedPlans,      // the rows Seq Scans of it read in logged plans
    LoggedDurations,  // inferred: the logged time of statements that must scan it whole
    Default,          // a guess (OfflineOptions::default_rows)
};

struct Table {
    std::string schema;
    std::string name;
    bool partitioned = false;
    std::string partition_of;  // "schema.parent" when this is a partition
    std::vector<Column> columns;
    std::vector<Constraint> constraints;

    // Size and activity; -1 when unknown.
    double estimated_rows = -1;
    RowsSource rows_source = RowsSource::Default;
    std::int64_t pages = -1;
    std::int64_t inserts = -1, updates = -1, deletes = -1;
    std::int64_t seq_scan = -1, idx_scan = -1;

    std::string qualified_name() const { return schema + "." + name; }
    const Column* column(const std::string& col) const;
    Column* column(const std::string& col);
};

// A statement that could not be read, with where it was.
struct LoadError {
    std::string file;
    int line = 0;
    std::string message;
};

struct Catalog {
    std::string source;      // "live: host=... port=... dbname=..." or the file/folder read
    int server_version = 0;  // server_version_num; 0 offline
    std::vector<std::string> search_path{"public"};
    std::vector<std::string> schemas;
    std::vector<Table> tables;
    std::vector<Index> indexes;
    bool has_statistics = false;
    // Live: how long the cumulative statistics (idx_scan, seq_scan) have been
    // counting: since pg_stat_database.stats_reset, else since the server started
    // (a lower bound: statistics survive a clean restart). -1 / empty when unknown.
    double stats_age_days = -1;
    std::string stats_since;         // timestamp text, with what it is ("reset 2024-..." / "server start ...")
    std::vector<std::string> notes;  // things the user should know (no stats, assumed rows, ...)
    std::vector<LoadError> errors;   // offline statements that did not parse or apply
    int statements_applied = 0;      // offline: statements that changed the schema
    int statements_passed_over = 0;  // offline: statements that do not change it

    Table* find_table(const std::string& schema, const std::string& name);
    const Table* find_table(const std::string& schema, const std::string& name) const;
    // An unqualified name looked up along search_path (as PostgreSQL does, pg_catalog aside).
    const Table* find_table_on_path(const std::string& name, const std::vector<std::string>& path) const;
    Index* find_index(const std::string& schema, const std::string& name);
    const Index* find_index(const std::string& schema, const std::string& name) const;
    std::vector<const Index*> indexes_of(const Table& table) const;
    bool has_schema(const std::string& schema) const;
    bool relation_exists(const std::string& schema, const std::string& name) const;
};

// Each table's indexes in catalog order, in one pass (Catalog::indexes_of
// walks every index each time: too slow for a 10,000-table dump checked
// after every statement of a migration, or printed table by table).
class IndexesByTable {
public:
    explicit IndexesByTable(const Catalog& cat);
    const std::vector<const Index*>& of(const Table& table) const;

private:
    std::unordered_map<std::string, std::vector<const Index*>> map_;
    std::vector<const Index*> none_;
};

const char* to_string(ConstraintKind);
const char* to_string(RowsSource);

// One sorted line per table, column, index and constraint, with every
// structural property (no sizes or statistics): two catalogs agree on the
// structure when these lines are equal. Used by tests and `schema --diff`-like checks.
std::vector<std::string> structure_lines(const Catalog& catalog);

}  // namespace pgadvisor::catalog
