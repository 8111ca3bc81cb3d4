#include "catalog/ddl_loader.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fmt/core.h>
#include <fstream>
#include <iterator>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include "ingest/input.hpp"
#include "sql/parser.hpp"
#include "sql/statements.hpp"
#include "sql/text.hpp"

// The catalog applies the statements the sql stage reads (sql/statements.hpp);
// it never looks at libpg_query's tree itself.

namespace pgadvisor::catalog {
namespace {

constexpr std::size_t kMaxIdentifier = 63;  // NAMEDATALEN - 1

// PostgreSQL's makeObjectName(): name1_name2_label, shortening the longer of
// name1/name2 until the whole fits in 63 bytes.
std::string make_object_name(std::string name1, std::string name2, const std::string& label) {
    std::size_t n1 = name1.size(), n2 = name2.size();
    const std::size_t total = n1 + (name2.empty() ? 0 : n2 + 1) + (label.empty() ? 0 : label.size() + 1);
    std::size_t overflow = total > kMaxIdentifier ? total - kMaxIdentifier : 0;
    while (overflow > 0) {
        if (n1 > n2) --n1;
        else --n2;
        --overflow;
    }
    std::string out = name1.substr(0, n1);
    // append() rather than "_" + ...: g++ 12 warns falsely (-Wrestrict) on the latter.
    if (!name2.empty()) out.append("_").append(name2, 0, n2);
    if (!label.empty()) out.append("_").append(label);
    return out;
}

class Applier {
public:
    explicit Applier(Catalog& catalog) : cat_(catalog) {}

    // Applies one text's statements. The name maps live on to the next call: lint applies
    // a file one statement at a time, and a map rebuilt per statement was quadratic.
    void run(std::string_view text, std::string file, int first_line) {
        text_ = text;
        file_ = std::move(file);
        line_base_ = first_line - 1;
        offset_ = span_length_ = 0;
        // psql meta-commands (pg_dump 15.14+ writes "\restrict KEY" and "\unrestrict KEY", a plain
        // migration "\gexec") are psql's, not SQL: each ends the statement before it, as in psql.
        std::size_t meta_commands = 0;
        cleaned_ = sql::psql_script_as_sql(text_, &meta_commands);
        cat_.statements_passed_over += static_cast<int>(meta_commands);
        text_ = cleaned_;
        lines_.emplace(text_);
        auto spans = sql::split_statements(text_);
        if (!spans) {
            error(line_base_ + spans.error->line, "cannot split into statements: " + spans.error->message);
            return;
        }
        for (const auto& span : *spans.value) {
            const std::string_view stmt = text_.substr(span.offset, span.length);
            offset_ = span.offset;
            span_length_ = span.length;
            auto read = sql::read_statements(stmt);
            if (!read) {
                const int cursor_line = read.error->cursor > 0
                                            ? line_at(span.offset + static_cast<std::size_t>(read.error->cursor - 1))
                                            : line_at(first_token(span));
                error(cursor_line, "cannot parse: " + read.error->message);
                continue;
            }
            for (const auto& s : *read.value) {
                // A statement this code cannot apply is this statement's error, not the file's end.
                try {
                    apply(s);
                } catch (const std::exception& e) {
                    stmt_error(std::string("cannot apply statement: ") + e.what());
                }
            }
        }
    }

private:
    Catalog& cat_;
    std::string_view text_;
    std::string cleaned_;  // text_ points here once run() has blanked meta-commands
    std::string file_;
    std::size_t offset_ = 0;
    std::size_t span_length_ = 0;
    int line_base_ = 0;                      // lines of the file before text_
    std::optional<sql::LineCounter> lines_;  // over text_, once run() has set it
    bool only_ = false;                      // ALTER TABLE ONLY: constraints are not cloned into partitions

    // ---- name lookups ---------------------------------------------------
    // A pg_dump of 10,000 tables makes linear lookups the bulk of the load, so names
    // are mapped to positions. The catalog's vectors only grow at the end, except in
    // the statements that erase or rename, which call forget_names(); a hit is still
    // checked against the element, and a stale one rebuilds the map.
    std::unordered_map<std::string, std::size_t> table_pos_, index_pos_;
    std::size_t tables_seen_ = 0, indexes_seen_ = 0;

    static std::string name_key(const std::string& schema, const std::string& name) {
        std::string k = schema;
        k.push_back('\0');
        return k.append(name);
    }
    void forget_names() {
        table_pos_.clear();
        index_pos_.clear();
        tables_seen_ = indexes_seen_ = 0;
    }
    void sync_names() {
        if (tables_seen_ > cat_.tables.size() || indexes_seen_ > cat_.indexes.size()) forget_names();
        for (; tables_seen_ < cat_.tables.size(); ++tables_seen_)
            table_pos_.emplace(name_key(cat_.tables[tables_seen_].schema, cat_.tables[tables_seen_].name),
                               tables_seen_);
        for (; indexes_seen_ < cat_.indexes.size(); ++indexes_seen_)
            index_pos_.emplace(name_key(cat_.indexes[indexes_seen_].schema, cat_.indexes[indexes_seen_].name),
                               indexes_seen_);
    }
    Table* find_table(const std::string& schema, const std::string& name) {
        sync_names();
        auto it = table_pos_.find(name_key(schema, name));
        if (it == table_pos_.end()) return nullptr;
        Table& t = cat_.tables[it->second];
        if (t.schema == schema && t.name == name) return &t;
        forget_names();
        return cat_.find_table(schema, name);
    }
    Index* find_index(const std::string& schema, const std::string& name) {
        sync_names();
        auto it = index_pos_.find(name_key(schema, name));
        if (it == index_pos_.end()) return nullptr;
        Index& i = cat_.indexes[it->second];
        if (i.schema == schema && i.name == name) return &i;
        forget_names();
        return cat_.find_index(schema, name);
    }
    bool relation_exists(const std::string& schema, const std::string& name) {
        return find_table(schema, name) || find_index(schema, name);
    }

    // The columns of the table CREATE TABLE is building, by name: each new column is
    // checked against all before it, which Table::column's walk made quadratic (a table
    // of 100,000 columns took a minute). Only for the one statement: ALTER TABLE adds
    // one column at a time, and renames and drops would leave the map stale.
    struct NewTableColumns {
        std::size_t table = SIZE_MAX;
        std::unordered_map<std::string, std::size_t> positions;
    } new_columns_;

    Column* column_of(std::size_t at, const std::string& name) {
        Table& t = cat_.tables[at];
        if (at != new_columns_.table) return t.column(name);
        auto it = new_columns_.positions.find(name);
        return it == new_columns_.positions.end() ? nullptr : &t.columns[it->second];
    }
    void push_column(std::size_t at, Column c) {
        Table& t = cat_.tables[at];
        if (at == new_columns_.table) new_columns_.positions.emplace(c.name, t.columns.size());
        t.columns.push_back(std::move(c));
    }

    // The statement's first token: past blanks and comments (the scanner's span starts
    // right after the previous semicolon, so a statement's leading comment is inside it).
    std::size_t first_token(std::size_t at, std::size_t end) const {
        end = std::min(end, text_.size());
        while (at < end) {
            if (std::isspace(static_cast<unsigned char>(text_[at]))) {
                ++at;
            } else if (text_.compare(at, 2, "--") == 0) {
                const auto nl = text_.find('\n', at);
                at = nl == std::string_view::npos ? end : nl + 1;
            } else if (text_.compare(at, 2, "/*") == 0) {
                const auto close = text_.find("*/", at + 2);
                at = close == std::string_view::npos ? end : close + 2;
            } else {
                break;
            }
        }
        return std::min(at, end);
    }
    std::size_t first_token(const sql::StatementSpan& span) const {
        return first_token(span.offset, span.offset + span.length);
    }

    // The file's line of an offset in text_ (which starts at line line_base_ + 1).
    int line_at(std::size_t offset) { return line_base_ + lines_->line_of(offset); }
    void error(int line, std::string message) { cat_.errors.push_back({file_, line, std::move(message)}); }
    void stmt_error(std::string message) {
        error(line_at(first_token(offset_, offset_ + span_length_)), std::move(message));
    }

    // ---- names ----------------------------------------------------------
    std::string creation_schema() const {
        for (const auto& s : cat_.search_path)
            if (s != "$user" && s != "pg_catalog") return s;
        return "";
    }

    // Schema a relation names or, unqualified, where it is found on the path
    // (for an existing table) or would be created.
    std::string schema_of(const sql::RelationName& rv, bool existing) {
        if (!rv.schema.empty()) return rv.schema;
        if (existing)
            for (const auto& s : cat_.search_path)
                if (relation_exists(s, rv.name)) return s;
        return creation_schema();
    }

    Table* table_of(const sql::RelationName& rv) { return find_table(schema_of(rv, true), rv.name); }

    std::string choose_relation_name(const std::string& schema, const std::string& n1, const std::string& n2,
                                     const std::string& label) {
        std::string name = make_object_name(n1, n2, label);
        for (int pass = 1; relation_exists(schema, name); ++pass)
            name = make_object_name(n1, n2, label + std::to_string(pass));
        return name;
    }

    bool constraint_name_taken(const std::string& schema, const std::string& name) const {
        for (const auto& t : cat_.tables)
            if (t.schema == schema)
                for (const auto& c : t.constraints)
                    if (c.name == name) return true;
        return false;
    }

    std::string choose_constraint_name(const std::string& schema, const std::string& n1, const std::string& n2,
                                       const std::string& label) const {
        std::string name = make_object_name(n1, n2, label);
        for (int pass = 1; constraint_name_taken(schema, name); ++pass)
            name = make_object_name(n1, n2, label + std::to_string(pass));
        return name;
    }

    static std::string joined(const std::vector<std::string>& names) {
        std::string out;
        for (const auto& n : names) out += (out.empty() ? "" : "_") + n;
        return out;
    }

    // ---- statements -----------------------------------------------------
    void apply(const sql::Statement& stmt) {
        // Statements that erase or rename leave the name maps stale (see forget_names).
        const bool renames = std::holds_alternative<sql::Drop>(stmt) || std::holds_alternative<sql::Rename>(stmt) ||
                             std::holds_alternative<sql::SetSchema>(stmt);
        if (renames) forget_names();
        bool changes = true;
        const std::optional<std::string> err = std::visit([&](const auto& s) { return apply_one(s, changes); }, stmt);
        if (renames) forget_names();
        if (err) {
            stmt_error(*err);
            return;
        }
        if (changes) ++cat_.statements_applied;
        else ++cat_.statements_passed_over;
    }

    // COMMENT, OWNER, GRANT, sequences, functions, extensions, DML...: not the schema's shape.
    std::optional<std::string> apply_one(const sql::OtherStatement&, bool& changes) { return passed_over(changes); }
    std::optional<std::string> apply_one(const sql::CreateTableAs&, bool& changes) { return passed_over(changes); }
    std::optional<std::string> apply_one(const sql::Insert&, bool& changes) { return passed_over(changes); }
    std::optional<std::string> apply_one(const sql::CreateSchema& s, bool&) { return create_schema(s); }
    std::optional<std::string> apply_one(const sql::CreateTable& s, bool&) { return create_table(s); }
    std::optional<std::string> apply_one(const sql::CreateIndex& s, bool&) { return create_index(s); }
    std::optional<std::string> apply_one(const sql::AlterTable& s, bool& changes) { return alter_table(s, changes); }
    std::optional<std::string> apply_one(const sql::Drop& s, bool& changes) { return drop(s, changes); }
    std::optional<std::string> apply_one(const sql::Rename& s, bool& changes) { return rename(s, changes); }
    std::optional<std::string> apply_one(const sql::SetSchema& s, bool& changes) { return set_schema(s, changes); }
    std::optional<std::string> apply_one(const sql::SetSearchPath& s, bool&) {
        cat_.search_path = s.to_default ? std::vector<std::string>{"$user", "public"} : s.path;
        return std::nullopt;
    }
    // The statement (or command) changes nothing the model holds.
    static std::optional<std::string> passed_over(bool& changes) {
        changes = false;
        return std::nullopt;
    }

    std::optional<std::string> create_schema(const sql::CreateSchema& n) {
        if (!cat_.has_schema(n.name)) cat_.schemas.push_back(n.name);
        else if (!n.if_not_exists) return fmt::format("schema \"{}\" already exists", n.name);
        // CREATE SCHEMA s CREATE TABLE ...: the elements are created in s.
        if (!n.elements.empty()) {
            auto saved = cat_.search_path;
            cat_.search_path = {n.name};
            for (const auto& e : n.elements) apply(e);
            cat_.search_path = saved;
        }
        return std::nullopt;
    }

    void ensure_schema(const std::string& schema) {
        // DDL may create tables in public (or a schema made elsewhere) without CREATE SCHEMA.
        if (!schema.empty() && !cat_.has_schema(schema)) cat_.schemas.push_back(schema);
    }

    std::optional<std::string> create_table(const sql::CreateTable& n) {
        const std::string schema = schema_of(n.relation, false);
        const std::string& name = n.relation.name;
        if (schema.empty())
            return fmt::format("no schema selected to create table \"{}\" in (search_path is empty)", name);
        if (find_table(schema, name)) {
            if (n.if_not_exists) return std::nullopt;
            return fmt::format("relation \"{}.{}\" already exists", schema, name);
        }
        ensure_schema(schema);
        Table t;
        t.schema = schema;
        t.name = name;
        t.partitioned = n.partitioned;
        // INHERITS / PARTITION OF: the parent's columns come first.
        std::unordered_set<std::string> inherited;
        for (const auto& prv : n.parents) {
            const Table* parent = table_of(prv);
            if (!parent) return fmt::format("parent table \"{}\" not found", prv.name);
            for (const auto& c : parent->columns) {
                Column copy = c;
                copy.stats.reset();
                if (inherited.insert(c.name).second) t.columns.push_back(copy);
            }
            if (n.partition_bound) t.partition_of = parent->qualified_name();
        }
        cat_.tables.push_back(std::move(t));
        const std::size_t at = cat_.tables.size() - 1;
        // The map lives for this statement only, even when applying it throws.
        struct Forget {
            NewTableColumns& columns;
            ~Forget() {
                columns.table = SIZE_MAX;
                columns.positions.clear();
            }
        } forget{new_columns_};
        new_columns_.table = at;
        for (std::size_t i = 0; i < cat_.tables[at].columns.size(); ++i)
            new_columns_.positions.emplace(cat_.tables[at].columns[i].name, i);
        return add_table_elements(at, n);
    }

    // CREATE TABLE's columns, LIKE clauses and constraints, into the table at `at`.
    std::optional<std::string> add_table_elements(std::size_t at, const sql::CreateTable& n) {
        std::vector<const sql::Constraint*> table_constraints;  // after the columns: they may name any of them
        for (const auto& elt : n.elements) {
            if (const auto* def = std::get_if<sql::ColumnDefinition>(&elt)) {
                if (auto e = add_column(at, *def)) return e;
            } else if (const auto* k = std::get_if<sql::Constraint>(&elt)) {
                table_constraints.push_back(k);
            } else if (const auto* like_clause = std::get_if<sql::LikeClause>(&elt)) {
                const Table* like = table_of(like_clause->relation);
                if (!like) return fmt::format("LIKE table \"{}\" not found", like_clause->relation.name);
                const auto cols = like->columns;
                for (auto c : cols) {
                    c.stats.reset();
                    // LIKE copies NOT NULL always, defaults only with INCLUDING DEFAULTS; keep it simple.
                    if (!column_of(at, c.name)) push_column(at, c);
                }
            }
        }
        only_ = false;
        for (const auto* c : table_constraints)
            if (auto e = add_constraint(at, *c, "")) return e;
        if (!cat_.tables[at].partition_of.empty()) clone_parent_indexes(at);
        return std::nullopt;
    }

    std::optional<std::string> add_column(std::size_t at, const sql::ColumnDefinition& def) {
        Column c;
        c.name = def.name;
        c.type = def.type;
        if (def.type_name.find("serial") != std::string::npos) {
            // serial = integer NOT NULL DEFAULT nextval('<table>_<col>_seq').
            c.not_null = true;
            c.default_expr = fmt::format("nextval('{}')", make_object_name(cat_.tables[at].name, c.name, "seq"));
        }
        if (def.not_null) c.not_null = true;
        if (column_of(at, c.name)) {
            // A partition's own column definition (PARTITION OF ... (col WITH OPTIONS ...)) adds nothing new.
            if (!cat_.tables[at].partition_of.empty()) {
                for (const auto& k : def.constraints)
                    if (auto e = add_constraint(at, k, c.name)) return e;
                return std::nullopt;
            }
            return fmt::format("column \"{}\" specified more than once", c.name);
        }
        push_column(at, c);
        for (const auto& k : def.constraints)
            if (auto e = add_constraint(at, k, c.name)) return e;
        return std::nullopt;
    }

    // ---- constraints --------------------------------------------------------
    std::optional<std::string> add_constraint(std::size_t at, const sql::Constraint& k,
                                              const std::string& inline_column) {
        switch (k.type) {
            case sql::ConstraintType::Identity:
            case sql::ConstraintType::NotNull:
            case sql::ConstraintType::Null:
            case sql::ConstraintType::Default: set_column_clause(column_of(at, inline_column), k); return std::nullopt;
            case sql::ConstraintType::PrimaryKey:
            case sql::ConstraintType::Unique: return add_key(at, k, inline_column);
            case sql::ConstraintType::ForeignKey: return add_foreign_key(at, k, inline_column);
            case sql::ConstraintType::Other: break;
        }
        return std::nullopt;  // CHECK, EXCLUDE, deferrability attributes: not part of the model
    }

    // A column's NULL / NOT NULL / DEFAULT / IDENTITY clause (IDENTITY implies NOT NULL).
    static void set_column_clause(Column* c, const sql::Constraint& k) {
        if (!c) return;
        if (k.type == sql::ConstraintType::Default) c->default_expr = k.default_expr;
        else c->not_null = k.type != sql::ConstraintType::Null;
    }

    // PRIMARY KEY / UNIQUE: the constraint, the index that backs it, and its copies in the partitions.
    std::optional<std::string> add_key(std::size_t at, const sql::Constraint& k, const std::string& inline_column) {
        const bool primary = k.type == sql::ConstraintType::PrimaryKey;
        Table& t = cat_.tables[at];
        std::vector<std::string> cols = inline_column.empty() ? k.keys : std::vector<std::string>{inline_column};
        for (const auto& col : cols)
            if (!column_of(at, col)) return fmt::format("column \"{}\" named in key does not exist", col);
        if (primary) {
            for (const auto& c : t.constraints)
                if (c.kind == ConstraintKind::PrimaryKey)
                    return fmt::format("multiple primary keys for table \"{}\" are not allowed", t.name);
            for (const auto& col : cols) column_of(at, col)->not_null = true;
        }
        std::string name = k.name;
        if (name.empty())
            name = primary ? choose_relation_name(t.schema, t.name, "", "pkey")
                           : choose_relation_name(t.schema, t.name, joined(cols), "key");
        if (auto e = back_key_with_index(t, k, name, primary, cols)) return e;
        Constraint c;
        c.name = name;
        c.kind = primary ? ConstraintKind::PrimaryKey : ConstraintKind::Unique;
        c.columns = cols;
        cat_.tables[at].constraints.push_back(std::move(c));
        if (cat_.tables[at].partitioned && !only_)
            if (const Index* made = find_index(cat_.tables[at].schema, name)) clone_into_partitions(Index(*made));
        return std::nullopt;
    }

    // The key's index: a new one, or with USING INDEX an existing one, renamed to the
    // constraint and made its key (cols then become that index's columns).
    std::optional<std::string> back_key_with_index(const Table& t, const sql::Constraint& k, const std::string& name,
                                                   bool primary, std::vector<std::string>& cols) {
        if (!k.using_index.empty()) {
            Index* idx = find_index(t.schema, k.using_index);
            if (!idx) return fmt::format("index \"{}\" does not exist", k.using_index);
            forget_names();
            idx->name = name;
            idx->primary = primary;
            idx->unique = true;
            cols.clear();
            for (const auto& key : idx->keys) cols.push_back(key.column);
            return std::nullopt;
        }
        Index idx;
        idx.schema = t.schema;
        idx.name = name;
        idx.table = t.name;
        idx.unique = true;
        idx.primary = primary;
        for (const auto& col : cols) idx.keys.push_back(column_key(col));
        idx.include = k.include;
        cat_.indexes.push_back(idx);
        return std::nullopt;
    }

    std::optional<std::string> add_foreign_key(std::size_t at, const sql::Constraint& k,
                                               const std::string& inline_column) {
        const Table& t = cat_.tables[at];
        Constraint c;
        c.kind = ConstraintKind::ForeignKey;
        c.columns = inline_column.empty() ? k.fk_columns : std::vector<std::string>{inline_column};
        c.ref_schema = schema_of(k.references, true);
        c.ref_table = k.references.name;
        c.ref_columns = k.ref_columns;
        const Table* ref = (c.ref_schema == t.schema && c.ref_table == t.name) ? &t
                                                                               : find_table(c.ref_schema, c.ref_table);
        if (!ref) return fmt::format("referenced table \"{}\" not found", c.ref_table);
        if (c.ref_columns.empty()) {
            for (const auto& rc : ref->constraints)
                if (rc.kind == ConstraintKind::PrimaryKey) c.ref_columns = rc.columns;
            if (c.ref_columns.empty())
                return fmt::format("there is no primary key for referenced table \"{}\"", c.ref_table);
        }
        c.name = k.name;
        if (c.name.empty()) c.name = choose_constraint_name(t.schema, t.name, joined(c.columns), "fkey");
        cat_.tables[at].constraints.push_back(std::move(c));
        return std::nullopt;
    }

    // ---- partitions --------------------------------------------------------
    // Column names as ChooseIndexColumnNames() gives them for an index's keys
    // (the expression forms are canonical text: "lower(x)" -> lower, "x::date" -> x).
    static std::vector<std::string> index_colnames(const Index& i) {
        std::vector<std::string> names;
        auto add = [&](std::string n) {
            std::string name = n;
            for (int k = 1; std::find(names.begin(), names.end(), name) != names.end(); ++k)
                name = n + std::to_string(k);
            names.push_back(name);
        };
        for (const auto& k : i.keys) {
            if (!k.column.empty()) add(k.column);
            else if (auto paren = k.expression.find('(');
                     paren != std::string::npos && paren > 0 &&
                     std::all_of(k.expression.begin(), k.expression.begin() + static_cast<std::ptrdiff_t>(paren),
                                 [](char c) { return std::islower(static_cast<unsigned char>(c)) || c == '_'; }))
                add(k.expression.substr(0, paren));
            else if (auto cast = k.expression.find("::");
                     cast != std::string::npos && k.expression.find_first_of("( ") > cast)
                add(k.expression.substr(0, cast));
            else add("expr");
        }
        for (const auto& c : i.include) add(c);
        return names;
    }

    bool equivalent_exists(const Index& p, const std::string& schema, const std::string& table) {
        for (const auto& i : cat_.indexes)
            if (i.schema == schema && i.table == table && i.keys == p.keys && i.include == p.include &&
                i.predicate == p.predicate && i.method == p.method && i.unique == p.unique)
                return true;
        return false;
    }

    // PostgreSQL gives each partition its own copy of a partitioned table's
    // index (and of the constraint it backs), named from the partition.
    void clone_index(Index p, const std::string& parent_name, std::size_t child_at) {
        Table& child = cat_.tables[child_at];
        if (equivalent_exists(p, child.schema, child.name)) return;
        const Table* parent = find_table(p.schema, parent_name);
        const Constraint* backs = nullptr;
        if (parent)
            for (const auto& c : parent->constraints)
                if (c.name == p.name && c.kind != ConstraintKind::ForeignKey) backs = &c;
        const std::string name = p.primary ? choose_relation_name(child.schema, child.name, "", "pkey")
                                           : choose_relation_name(child.schema, child.name, joined(index_colnames(p)),
                                                                  backs ? "key" : "idx");
        if (backs) {
            Constraint c = *backs;
            c.name = name;
            cat_.tables[child_at].constraints.push_back(std::move(c));
        }
        p.name = name;
        p.schema = cat_.tables[child_at].schema;
        p.table = cat_.tables[child_at].name;
        cat_.indexes.push_back(std::move(p));
    }

    void clone_into_partitions(const Index& p) {
        const std::string parent = p.schema + "." + p.table;
        for (std::size_t i = 0; i < cat_.tables.size(); ++i)
            if (cat_.tables[i].partition_of == parent) clone_index(p, p.table, i);
    }

    void clone_parent_indexes(std::size_t child_at) {
        const std::string parent_q = cat_.tables[child_at].partition_of;
        std::vector<Index> parent_indexes;
        for (const auto& i : cat_.indexes)
            if (i.schema + "." + i.table == parent_q) parent_indexes.push_back(i);
        for (auto& i : parent_indexes) {
            const std::string parent_name = i.table;
            clone_index(std::move(i), parent_name, child_at);
        }
    }

    std::optional<std::string> create_index(const sql::CreateIndex& n) {
        Table* t = table_of(n.relation);
        if (!t) return fmt::format("table \"{}\" for index does not exist", n.relation.name);
        Index idx;
        idx.schema = t->schema;
        idx.table = t->name;
        idx.method = n.method;
        idx.unique = n.unique;
        idx.primary = n.primary;
        std::vector<std::string> colnames;
        for (const auto& e : n.keys) {
            IndexKey key;
            if (!e.column.empty()) {
                key.column = e.column;
                if (!t->column(key.column)) return fmt::format("column \"{}\" does not exist", key.column);
            } else {
                key.expression = e.expression;
            }
            colnames.push_back(e.name_hint);
            key.descending = e.descending;
            key.nulls_first = e.nulls_first;
            key.opclass = e.opclass;
            idx.keys.push_back(std::move(key));
        }
        for (const auto& c : n.include) {
            idx.include.push_back(c);
            colnames.push_back(c);
        }
        idx.predicate = n.predicate;
        idx.name = n.name;
        if (idx.name.empty()) {
            // ChooseIndexColumnNames(): duplicate column names get a number.
            std::vector<std::string> unique_names;
            for (const auto& c : colnames) {
                std::string name = c;
                for (int i = 1; std::find(unique_names.begin(), unique_names.end(), name) != unique_names.end(); ++i)
                    name = c + std::to_string(i);
                unique_names.push_back(name);
            }
            idx.name = choose_relation_name(t->schema, t->name, joined(unique_names), idx.primary ? "pkey" : "idx");
        } else if (relation_exists(t->schema, idx.name)) {
            if (n.if_not_exists) return std::nullopt;
            return fmt::format("relation \"{}\" already exists", idx.name);
        }
        const bool recurse = t->partitioned && !n.relation.only;  // CREATE INDEX ON ONLY: this table alone
        cat_.indexes.push_back(idx);
        if (recurse) clone_into_partitions(idx);
        return std::nullopt;
    }

    void drop_column_dependents(Table& t, const std::string& col) {
        forget_names();
        // PostgreSQL drops indexes and constraints that use the column (with or without CASCADE for these).
        std::erase_if(cat_.indexes, [&](const Index& i) {
            if (i.schema != t.schema || i.table != t.name) return false;
            for (const auto& k : i.keys)
                if (k.column == col) return true;
            return std::find(i.include.begin(), i.include.end(), col) != i.include.end();
        });
        std::erase_if(t.constraints, [&](const Constraint& c) {
            return std::find(c.columns.begin(), c.columns.end(), col) != c.columns.end();
        });
        for (auto& other : cat_.tables)
            std::erase_if(other.constraints, [&](const Constraint& c) {
                return c.kind == ConstraintKind::ForeignKey && c.ref_schema == t.schema && c.ref_table == t.name &&
                       std::find(c.ref_columns.begin(), c.ref_columns.end(), col) != c.ref_columns.end();
            });
    }

    std::optional<std::string> alter_table(const sql::AlterTable& n, bool& changes) {
        if (!n.on_table) {
            changes = false;  // ALTER INDEX/SEQUENCE/VIEW ... (ALTER INDEX ATTACH PARTITION, SET STATISTICS, ...)
            return std::nullopt;
        }
        const bool shaping = std::any_of(n.commands.begin(), n.commands.end(), [](const sql::AlterTableCommand& c) {
            return c.action != sql::AlterTableAction::Other;
        });
        if (!shaping) {
            // OWNER TO, SET (...), ENABLE TRIGGER; pg_dump also writes ALTER TABLE for sequences and views.
            changes = false;
            return std::nullopt;
        }
        Table* t = table_of(n.relation);
        if (!t) {
            if (n.missing_ok) return std::nullopt;
            return fmt::format("relation \"{}\" does not exist", n.relation.name);
        }
        const std::size_t at = static_cast<std::size_t>(t - cat_.tables.data());
        only_ = n.relation.only;
        bool any = false;
        for (const auto& cmd : n.commands) {
            bool applied = true;
            if (auto e = alter_command(at, cmd, applied)) return e;
            any |= applied;
        }
        changes = any;
        return std::nullopt;
    }

    // One command of ALTER TABLE; applied is false when it changes nothing the model holds.
    std::optional<std::string> alter_command(std::size_t at, const sql::AlterTableCommand& cmd, bool& applied) {
        using Action = sql::AlterTableAction;
        Table& tab = cat_.tables[at];
        const std::string& name = cmd.name;
        auto no_column = [&] { return fmt::format("column \"{}\" of relation \"{}\" does not exist", name, tab.name); };
        switch (cmd.action) {
            case Action::AddColumn:
                if (tab.column(cmd.column.name) && cmd.missing_ok) return passed_over(applied);
                return add_column(at, cmd.column);
            case Action::DropColumn: {
                auto it = std::find_if(tab.columns.begin(), tab.columns.end(),
                                       [&](const Column& c) { return c.name == name; });
                if (it == tab.columns.end()) {
                    if (cmd.missing_ok) return passed_over(applied);
                    return no_column();
                }
                tab.columns.erase(it);
                drop_column_dependents(tab, name);
                return std::nullopt;
            }
            case Action::AddConstraint: return add_constraint(at, cmd.constraint, "");
            case Action::DropConstraint: {
                auto it = std::find_if(tab.constraints.begin(), tab.constraints.end(),
                                       [&](const Constraint& c) { return c.name == name; });
                // Missing: IF EXISTS, or a CHECK constraint (not in the model, nothing to drop).
                if (it == tab.constraints.end()) return passed_over(applied);
                forget_names();
                if (it->kind != ConstraintKind::ForeignKey)
                    std::erase_if(cat_.indexes,
                                  [&](const Index& i) { return i.schema == tab.schema && i.name == name; });
                tab.constraints.erase(it);
                return std::nullopt;
            }
            case Action::SetNotNull:
            case Action::DropNotNull:
            case Action::AlterColumnType:
            case Action::ColumnDefault: {
                Column* c = tab.column(name);
                if (!c) return no_column();
                if (cmd.action == Action::AlterColumnType) c->type = cmd.column.type;
                else if (cmd.action == Action::ColumnDefault) c->default_expr = cmd.default_expr;
                else c->not_null = cmd.action == Action::SetNotNull;
                return std::nullopt;
            }
            case Action::AttachPartition: {
                Table* child = table_of(cmd.partition);
                if (!child) return "partition to attach does not exist";
                child->partition_of = cat_.tables[at].qualified_name();
                clone_parent_indexes(static_cast<std::size_t>(child - cat_.tables.data()));
                return std::nullopt;
            }
            case Action::DetachPartition:
                if (Table* child = table_of(cmd.partition)) child->partition_of.clear();
                return std::nullopt;
            case Action::Other: break;  // OWNER TO, SET (storage), ENABLE TRIGGER, ...: not the schema's shape
        }
        applied = false;
        return std::nullopt;
    }

    std::optional<std::string> drop(const sql::Drop& n, bool& changes) {
        if (n.kind == sql::ObjectKind::Table) {
            for (const auto& o : n.objects) {
                std::string schema = o.schema;
                const std::string& name = o.name;
                if (schema.empty())
                    for (const auto& s : cat_.search_path)
                        if (find_table(s, name)) {
                            schema = s;
                            break;
                        }
                Table* t = find_table(schema, name);
                if (!t) {
                    if (n.missing_ok) continue;
                    return fmt::format("table \"{}\" does not exist", name);
                }
                std::erase_if(cat_.indexes, [&](const Index& i) { return i.schema == schema && i.table == name; });
                for (auto& other : cat_.tables)
                    std::erase_if(other.constraints, [&](const Constraint& c) {
                        return c.kind == ConstraintKind::ForeignKey && c.ref_schema == schema && c.ref_table == name;
                    });
                std::erase_if(cat_.tables, [&](const Table& x) { return x.schema == schema && x.name == name; });
            }
            return std::nullopt;
        }
        if (n.kind == sql::ObjectKind::Index) {
            for (const auto& o : n.objects) {
                std::string schema = o.schema;
                const std::string& name = o.name;
                if (schema.empty())
                    for (const auto& s : cat_.search_path)
                        if (find_index(s, name)) {
                            schema = s;
                            break;
                        }
                if (!find_index(schema, name)) {
                    if (n.missing_ok) continue;
                    return fmt::format("index \"{}\" does not exist", name);
                }
                std::erase_if(cat_.indexes, [&](const Index& i) { return i.schema == schema && i.name == name; });
            }
            return std::nullopt;
        }
        if (n.kind == sql::ObjectKind::Schema) {
            for (const auto& o : n.objects) {
                const std::string& schema = o.name;
                std::erase_if(cat_.indexes, [&](const Index& i) { return i.schema == schema; });
                std::erase_if(cat_.tables, [&](const Table& x) { return x.schema == schema; });
                std::erase_if(cat_.schemas, [&](const std::string& s) { return s == schema; });
            }
            return std::nullopt;
        }
        changes = false;
        return std::nullopt;
    }

    // ---- renames ------------------------------------------------------------
    std::optional<std::string> rename(const sql::Rename& n, bool& changes) {
        switch (n.kind) {
            case sql::ObjectKind::Table: return rename_table(n);
            case sql::ObjectKind::Column: return rename_column(n);
            case sql::ObjectKind::Index: return rename_index(n);
            case sql::ObjectKind::TableConstraint: return rename_constraint(n);
            case sql::ObjectKind::Schema: rename_schema(n.old_name, n.new_name); return std::nullopt;
            case sql::ObjectKind::Other: break;
        }
        changes = false;
        return std::nullopt;
    }

    // Indexes and the foreign keys that point at the table follow it.
    std::optional<std::string> rename_table(const sql::Rename& n) {
        Table* t = table_of(n.relation);
        if (!t) {
            if (n.missing_ok) return std::nullopt;
            return fmt::format("relation \"{}\" does not exist", n.relation.name);
        }
        const std::string old = t->name;
        for (auto& i : cat_.indexes)
            if (i.schema == t->schema && i.table == old) i.table = n.new_name;
        for (auto& other : cat_.tables)
            for (auto& c : other.constraints)
                if (c.ref_schema == t->schema && c.ref_table == old) c.ref_table = n.new_name;
        t->name = n.new_name;
        return std::nullopt;
    }

    // Index keys and constraint column lists follow the rename. Expression
    // keys keep their old text: a known limit of the offline model.
    std::optional<std::string> rename_column(const sql::Rename& n) {
        Table* t = table_of(n.relation);
        const std::string& old = n.old_name;
        const std::string& newname = n.new_name;
        Column* c = t ? t->column(old) : nullptr;
        if (!c) return fmt::format("column \"{}\" does not exist", old);
        c->name = newname;
        for (auto& i : cat_.indexes)
            if (i.schema == t->schema && i.table == t->name) {
                for (auto& k : i.keys)
                    if (k.column == old) k.column = newname;
                for (auto& inc : i.include)
                    if (inc == old) inc = newname;
            }
        for (auto& col : t->constraints)
            for (auto& x : col.columns)
                if (x == old) x = newname;
        for (auto& other : cat_.tables)
            for (auto& con : other.constraints)
                if (con.ref_schema == t->schema && con.ref_table == t->name)
                    for (auto& x : con.ref_columns)
                        if (x == old) x = newname;
        return std::nullopt;
    }

    // An index backing a constraint renames the constraint too.
    std::optional<std::string> rename_index(const sql::Rename& n) {
        const std::string schema = schema_of(n.relation, true);
        Index* i = find_index(schema, n.relation.name);
        if (!i) return fmt::format("index \"{}\" does not exist", n.relation.name);
        if (Table* t = find_table(i->schema, i->table))
            for (auto& c : t->constraints)
                if (c.name == i->name && c.kind != ConstraintKind::ForeignKey) c.name = n.new_name;
        i->name = n.new_name;
        return std::nullopt;
    }

    // A key constraint renames its index too.
    std::optional<std::string> rename_constraint(const sql::Rename& n) {
        Table* t = table_of(n.relation);
        if (!t) return "relation for constraint rename does not exist";
        for (auto& c : t->constraints)
            if (c.name == n.old_name) {
                if (c.kind != ConstraintKind::ForeignKey)
                    if (Index* i = find_index(t->schema, n.old_name)) i->name = n.new_name;
                c.name = n.new_name;
            }
        return std::nullopt;
    }

    void rename_schema(const std::string& old, const std::string& newname) {
        for (auto& s : cat_.schemas)
            if (s == old) s = newname;
        for (auto& t : cat_.tables) {
            if (t.schema == old) t.schema = newname;
            for (auto& c : t.constraints)
                if (c.ref_schema == old) c.ref_schema = newname;
        }
        for (auto& i : cat_.indexes)
            if (i.schema == old) i.schema = newname;
    }

    std::optional<std::string> set_schema(const sql::SetSchema& n, bool& changes) {
        if (n.kind != sql::ObjectKind::Table) {
            changes = false;
            return std::nullopt;
        }
        Table* t = table_of(n.relation);
        if (!t) return fmt::format("relation \"{}\" does not exist", n.relation.name);
        const std::string& to = n.new_schema;
        for (auto& i : cat_.indexes)
            if (i.schema == t->schema && i.table == t->name) i.schema = to;
        for (auto& other : cat_.tables)
            for (auto& c : other.constraints)
                if (c.ref_schema == t->schema && c.ref_table == t->name) c.ref_schema = to;
        t->schema = to;
        return std::nullopt;
    }
};

}  // namespace

void apply_ddl(Catalog& catalog, std::string_view text, const std::string& file, int first_line) {
    Applier(catalog).run(text, file, first_line);
}

class DdlApplier::Impl : public Applier {
public:
    using Applier::Applier;
};

DdlApplier::DdlApplier(Catalog& catalog) : impl_(std::make_unique<Impl>(catalog)) {}
DdlApplier::~DdlApplier() = default;

void DdlApplier::apply(std::string_view text, const std::string& file, int first_line) {
    impl_->run(text, file, first_line);
}

void assume_rows(Catalog& catalog, const OfflineOptions& options) {
    int assumed = 0;
    std::vector<std::string> used;
    for (auto& t : catalog.tables) {
        auto it = options.assume_rows.find(t.qualified_name());
        if (it == options.assume_rows.end()) it = options.assume_rows.find(t.name);
        if (it != options.assume_rows.end()) {
            t.estimated_rows = it->second;
            t.rows_source = RowsSource::Assumed;
            used.push_back(it->first);
            ++assumed;
        } else {
            t.estimated_rows = options.default_rows;
            t.rows_source = RowsSource::Default;
        }
    }
    for (const auto& [name, rows] : options.assume_rows)
        if (std::find(used.begin(), used.end(), name) == used.end())
            catalog.notes.push_back(fmt::format("--assume-rows {}={}: no such table in the schema", name, rows));
    const int defaulted = static_cast<int>(catalog.tables.size()) - assumed;
    if (defaulted > 0)
        catalog.notes.push_back(fmt::format(
            "offline schema: no statistics; {} table(s) assumed to have {} rows (set --assume-rows TABLE=N)", defaulted,
            options.default_rows));
}

Catalog load_schema_file(const std::string& path, const OfflineOptions& options) {
    Catalog cat;
    cat.source = path;
    cat.search_path = {"$user", "public"};
    cat.schemas = {"public"};
    // Capped and checked for binary data as every input is (ingest/limits.hpp); .gz and .zst read too.
    auto whole = ingest::read_whole_file(path);
    if (!whole.text) {
        cat.errors.push_back({path, 0, "cannot read: " + whole.error});
        return cat;
    }
    const std::string& text = *whole.text;
    // The file runs in its own session: a search_path it sets (pg_dump sets '') does not
    // carry over to the application's sessions, which resolve names on the default path.
    const auto path_before = cat.search_path;
    apply_ddl(cat, text, path);
    cat.search_path = path_before;
    assume_rows(cat, options);
    return cat;
}

}  // namespace pgadvisor::catalog
