#include "catalog/ddl_loader.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fmt/core.h>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>

#include "catalog/canonical.hpp"
#include "sql/parser.hpp"

namespace pgadvisor::catalog {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxIdentifier = 63;  // NAMEDATALEN - 1

std::string str(const json& node) {
    if (node.contains("String")) return node["String"].value("sval", "");
    return "";
}

std::vector<std::string> strings(const json& list) {
    std::vector<std::string> out;
    if (list.is_array())
        for (const auto& n : list) out.push_back(str(n));
    return out;
}

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

// FigureColname() as ChooseIndexColumnNames uses it: a column's name, a
// function's name, a cast's argument name, else "expr".
std::string figure_colname(const json& expr) {
    if (expr.contains("ColumnRef")) {
        const auto fields = expr["ColumnRef"].value("fields", json::array());
        if (!fields.empty()) return str(fields.back());
    }
    if (expr.contains("FuncCall")) {
        const auto names = strings(expr["FuncCall"]["funcname"]);
        if (!names.empty()) return names.back();
    }
    if (expr.contains("TypeCast")) {
        std::string inner = figure_colname(expr["TypeCast"]["arg"]);
        if (inner != "expr") return inner;
        const auto names = strings(expr["TypeCast"]["typeName"].value("names", json::array()));
        if (!names.empty()) return names.back();
    }
    return "expr";
}

class Applier {
public:
    Applier(Catalog& catalog, std::string_view text, std::string file)
        : cat_(catalog), text_(text), file_(std::move(file)) {}

    void run() {
        // psql meta-commands (pg_dump 15.14+ writes "\restrict KEY" and "\unrestrict KEY") are
        // psql's, not SQL: blank those lines, keeping every offset and line number where it was.
        cleaned_.assign(text_);
        std::string& cleaned = cleaned_;
        for (std::size_t at = 0; at < cleaned.size();) {
            std::size_t end = cleaned.find('\n', at);
            if (end == std::string::npos) end = cleaned.size();
            if (cleaned[at] == '\\') {
                std::fill(cleaned.begin() + static_cast<std::ptrdiff_t>(at), cleaned.begin() + static_cast<std::ptrdiff_t>(end), ' ');
                ++cat_.statements_passed_over;
            }
            at = end + 1;
        }
        text_ = cleaned_;
        auto spans = sql::split_statements(text_);
        if (!spans) {
            error(spans.error->line, "cannot split into statements: " + spans.error->message);
            return;
        }
        for (const auto& span : *spans.value) {
            const std::string_view stmt = text_.substr(span.offset, span.length);
            offset_ = span.offset;
            span_length_ = span.length;
            auto tree = sql::parse_tree(stmt);
            if (!tree) {
                const int cursor_line = tree.error->cursor > 0
                                            ? sql::line_of_offset(text_, span.offset + static_cast<std::size_t>(tree.error->cursor - 1))
                                            : sql::line_of_offset(text_, first_token(span));
                error(cursor_line, "cannot parse: " + tree.error->message);
                continue;
            }
            for (const auto& s : (*tree.value)["stmts"]) {
                // A parse-tree shape this code did not expect is this statement's error, not the file's end.
                try {
                    apply(s["stmt"]);
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
    bool only_ = false;  // ALTER TABLE ONLY: constraints are not cloned into partitions

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
            table_pos_.emplace(name_key(cat_.tables[tables_seen_].schema, cat_.tables[tables_seen_].name), tables_seen_);
        for (; indexes_seen_ < cat_.indexes.size(); ++indexes_seen_)
            index_pos_.emplace(name_key(cat_.indexes[indexes_seen_].schema, cat_.indexes[indexes_seen_].name), indexes_seen_);
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
    std::size_t first_token(const sql::StatementSpan& span) const { return first_token(span.offset, span.offset + span.length); }

    void error(int line, std::string message) { cat_.errors.push_back({file_, line, std::move(message)}); }
    void stmt_error(std::string message) {
        error(sql::line_of_offset(text_, first_token(offset_, offset_ + span_length_)), std::move(message));
    }

    // ---- names ----------------------------------------------------------
    std::string creation_schema() const {
        for (const auto& s : cat_.search_path)
            if (s != "$user" && s != "pg_catalog") return s;
        return "";
    }

    // Schema a RangeVar names or, unqualified, where it is found on the path
    // (for an existing table) or would be created.
    std::string schema_of(const json& rv, bool existing) {
        const std::string schema = rv.value("schemaname", "");
        if (!schema.empty()) return schema;
        const std::string name = rv.value("relname", "");
        if (existing)
            for (const auto& s : cat_.search_path)
                if (relation_exists(s, name)) return s;
        return creation_schema();
    }

    Table* table_of(const json& rv) {
        return find_table(schema_of(rv, true), rv.value("relname", ""));
    }

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
    void apply(const json& stmt) {
        if (!stmt.is_object() || stmt.empty()) return;
        const auto member = stmt.begin();
        const std::string& type = member.key();
        const json& n = member.value();
        std::optional<std::string> err;
        bool changes = true;
        if (type == "DropStmt" || type == "RenameStmt" || type == "AlterObjectSchemaStmt") forget_names();
        if (type == "CreateSchemaStmt") err = create_schema(n);
        else if (type == "CreateStmt") err = create_table(n);
        else if (type == "IndexStmt") err = create_index(n);
        else if (type == "AlterTableStmt") err = alter_table(n, changes);
        else if (type == "DropStmt") err = drop(n, changes);
        else if (type == "RenameStmt") err = rename(n, changes);
        else if (type == "AlterObjectSchemaStmt") err = set_schema(n, changes);
        else if (type == "VariableSetStmt") changes = set_variable(n);
        else if (type == "SelectStmt") changes = select_set_config(n);
        else changes = false;  // COMMENT, OWNER, GRANT, sequences, functions, extensions, DML...
        if (type == "DropStmt" || type == "RenameStmt" || type == "AlterObjectSchemaStmt") forget_names();
        if (err) {
            stmt_error(*err);
            return;
        }
        if (changes) ++cat_.statements_applied;
        else ++cat_.statements_passed_over;
    }

    std::optional<std::string> create_schema(const json& n) {
        const std::string name = n.value("schemaname", "");
        if (!cat_.has_schema(name)) cat_.schemas.push_back(name);
        else if (!n.value("if_not_exists", false)) return fmt::format("schema \"{}\" already exists", name);
        // CREATE SCHEMA s CREATE TABLE ...: the elements are created in s.
        if (n.contains("schemaElts")) {
            auto saved = cat_.search_path;
            cat_.search_path = {name};
            for (const auto& e : n["schemaElts"]) apply(e);
            cat_.search_path = saved;
        }
        return std::nullopt;
    }

    void ensure_schema(const std::string& schema) {
        // DDL may create tables in public (or a schema made elsewhere) without CREATE SCHEMA.
        if (!schema.empty() && !cat_.has_schema(schema)) cat_.schemas.push_back(schema);
    }

    std::optional<std::string> create_table(const json& n) {
        const auto& rv = n["relation"];
        const std::string schema = schema_of(rv, false);
        const std::string name = rv.value("relname", "");
        if (schema.empty()) return fmt::format("no schema selected to create table \"{}\" in (search_path is empty)", name);
        if (find_table(schema, name)) {
            if (n.value("if_not_exists", false)) return std::nullopt;
            return fmt::format("relation \"{}.{}\" already exists", schema, name);
        }
        ensure_schema(schema);
        Table t;
        t.schema = schema;
        t.name = name;
        t.partitioned = n.contains("partspec");
        // INHERITS / PARTITION OF: the parent's columns come first.
        for (const auto& parent_rv : n.value("inhRelations", json::array())) {
            const auto& prv = parent_rv.contains("RangeVar") ? parent_rv["RangeVar"] : parent_rv;
            const Table* parent = table_of(prv);
            if (!parent) return fmt::format("parent table \"{}\" not found", prv.value("relname", ""));
            for (const auto& c : parent->columns) {
                Column copy = c;
                copy.stats.reset();
                if (!t.column(c.name)) t.columns.push_back(copy);
            }
            if (n.contains("partbound")) t.partition_of = parent->qualified_name();
        }
        cat_.tables.push_back(std::move(t));
        const std::size_t at = cat_.tables.size() - 1;
        std::vector<const json*> table_constraints;  // after the columns: they may name any of them
        static const json kNone = json::array();
        for (const auto& elt : n.contains("tableElts") ? n["tableElts"] : kNone) {
            if (elt.contains("ColumnDef")) {
                if (auto e = add_column(at, elt["ColumnDef"])) return e;
            } else if (elt.contains("Constraint")) {
                table_constraints.push_back(&elt["Constraint"]);
            } else if (elt.contains("TableLikeClause")) {
                const Table* like = table_of(elt["TableLikeClause"]["relation"]);
                if (!like) return fmt::format("LIKE table \"{}\" not found", elt["TableLikeClause"]["relation"].value("relname", ""));
                const auto cols = like->columns;
                for (auto c : cols) {
                    c.stats.reset();
                    // LIKE copies NOT NULL always, defaults only with INCLUDING DEFAULTS; keep it simple.
                    if (!cat_.tables[at].column(c.name)) cat_.tables[at].columns.push_back(c);
                }
            }
        }
        only_ = false;
        for (const auto* c : table_constraints)
            if (auto e = add_constraint(at, *c, "")) return e;
        if (!cat_.tables[at].partition_of.empty()) clone_parent_indexes(at);
        return std::nullopt;
    }

    std::optional<std::string> add_column(std::size_t at, const json& def) {
        Column c;
        c.name = def.value("colname", "");
        if (def.contains("typeName")) {
            c.type = canonical_type(def["typeName"]);
            const auto names = strings(def["typeName"].value("names", json::array()));
            const std::string base = names.empty() ? "" : names.back();
            if (base.find("serial") != std::string::npos) {
                // serial = integer NOT NULL DEFAULT nextval('<table>_<col>_seq').
                c.not_null = true;
                c.default_expr = fmt::format("nextval('{}')", make_object_name(cat_.tables[at].name, c.name, "seq"));
            }
        }
        if (def.contains("is_not_null") && def.value("is_not_null", false)) c.not_null = true;
        if (cat_.tables[at].column(c.name)) {
            // A partition's own column definition (PARTITION OF ... (col WITH OPTIONS ...)) adds nothing new.
            if (!cat_.tables[at].partition_of.empty()) {
                for (const auto& k : def.value("constraints", json::array()))
                    if (auto e = add_constraint(at, k["Constraint"], c.name)) return e;
                return std::nullopt;
            }
            return fmt::format("column \"{}\" specified more than once", c.name);
        }
        cat_.tables[at].columns.push_back(c);
        for (const auto& k : def.value("constraints", json::array()))
            if (auto e = add_constraint(at, k["Constraint"], c.name)) return e;
        return std::nullopt;
    }

    std::optional<std::string> add_constraint(std::size_t at, const json& k, const std::string& inline_column) {
        const std::string type = k.value("contype", "");
        Table& t = cat_.tables[at];
        if (type == "CONSTR_IDENTITY") {  // GENERATED ... AS IDENTITY implies NOT NULL
            if (auto* c = t.column(inline_column)) c->not_null = true;
            return std::nullopt;
        }
        if (type == "CONSTR_NOTNULL" || type == "CONSTR_NULL") {
            if (auto* c = t.column(inline_column)) c->not_null = type == "CONSTR_NOTNULL";
            return std::nullopt;
        }
        if (type == "CONSTR_DEFAULT") {
            if (auto* c = t.column(inline_column)) c->default_expr = canonical_expr(k["raw_expr"]);
            return std::nullopt;
        }
        if (type == "CONSTR_PRIMARY" || type == "CONSTR_UNIQUE") {
            const bool primary = type == "CONSTR_PRIMARY";
            std::vector<std::string> cols = inline_column.empty() ? strings(k.value("keys", json::array()))
                                                                  : std::vector<std::string>{inline_column};
            for (const auto& col : cols)
                if (!t.column(col)) return fmt::format("column \"{}\" named in key does not exist", col);
            if (primary) {
                for (const auto& c : t.constraints)
                    if (c.kind == ConstraintKind::PrimaryKey)
                        return fmt::format("multiple primary keys for table \"{}\" are not allowed", t.name);
                for (const auto& col : cols) t.column(col)->not_null = true;
            }
            std::string name = k.value("conname", "");
            if (name.empty())
                name = primary ? choose_relation_name(t.schema, t.name, "", "pkey")
                               : choose_relation_name(t.schema, t.name, joined(cols), "key");
            const std::string using_index = k.value("indexname", "");
            if (!using_index.empty()) {
                // ADD CONSTRAINT ... USING INDEX: the index is renamed to the constraint and becomes its key.
                Index* idx = find_index(t.schema, using_index);
                if (!idx) return fmt::format("index \"{}\" does not exist", using_index);
                forget_names();
                idx->name = name;
                idx->primary = primary;
                idx->unique = true;
                cols.clear();
                for (const auto& key : idx->keys) cols.push_back(key.column);
            } else {
                Index idx;
                idx.schema = t.schema;
                idx.name = name;
                idx.table = t.name;
                idx.unique = true;
                idx.primary = primary;
                for (const auto& col : cols) idx.keys.push_back({col, "", false, false});
                idx.include = strings(k.value("including", json::array()));
                cat_.indexes.push_back(idx);
            }
            Constraint c;
            c.name = name;
            c.kind = primary ? ConstraintKind::PrimaryKey : ConstraintKind::Unique;
            c.columns = cols;
            cat_.tables[at].constraints.push_back(std::move(c));
            if (cat_.tables[at].partitioned && !only_)
                if (const Index* made = find_index(cat_.tables[at].schema, name)) clone_into_partitions(Index(*made));
            return std::nullopt;
        }
        if (type == "CONSTR_FOREIGN") {
            Constraint c;
            c.kind = ConstraintKind::ForeignKey;
            c.columns = inline_column.empty() ? strings(k.value("fk_attrs", json::array()))
                                              : std::vector<std::string>{inline_column};
            const auto& prv = k["pktable"];
            c.ref_schema = schema_of(prv, true);
            c.ref_table = prv.value("relname", "");
            c.ref_columns = strings(k.value("pk_attrs", json::array()));
            const Table* ref = (c.ref_schema == t.schema && c.ref_table == t.name) ? &t
                                                                                   : find_table(c.ref_schema, c.ref_table);
            if (!ref) return fmt::format("referenced table \"{}\" not found", c.ref_table);
            if (c.ref_columns.empty()) {
                for (const auto& rc : ref->constraints)
                    if (rc.kind == ConstraintKind::PrimaryKey) c.ref_columns = rc.columns;
                if (c.ref_columns.empty())
                    return fmt::format("there is no primary key for referenced table \"{}\"", c.ref_table);
            }
            c.name = k.value("conname", "");
            if (c.name.empty()) c.name = choose_constraint_name(t.schema, t.name, joined(c.columns), "fkey");
            cat_.tables[at].constraints.push_back(std::move(c));
            return std::nullopt;
        }
        return std::nullopt;  // CHECK, EXCLUDE, deferrability attributes: not part of the model
    }

    // ---- partitions --------------------------------------------------------
    // Column names as ChooseIndexColumnNames() gives them for an index's keys
    // (the expression forms are canonical text: "lower(x)" -> lower, "x::date" -> x).
    static std::vector<std::string> index_colnames(const Index& i) {
        std::vector<std::string> names;
        auto add = [&](std::string n) {
            std::string name = n;
            for (int k = 1; std::find(names.begin(), names.end(), name) != names.end(); ++k) name = n + std::to_string(k);
            names.push_back(name);
        };
        for (const auto& k : i.keys) {
            if (!k.column.empty()) add(k.column);
            else if (auto paren = k.expression.find('('); paren != std::string::npos && paren > 0 &&
                     std::all_of(k.expression.begin(), k.expression.begin() + static_cast<std::ptrdiff_t>(paren),
                                 [](char c) { return std::islower(static_cast<unsigned char>(c)) || c == '_'; }))
                add(k.expression.substr(0, paren));
            else if (auto cast = k.expression.find("::"); cast != std::string::npos && k.expression.find_first_of("( ") > cast)
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
        const std::string name =
            p.primary ? choose_relation_name(child.schema, child.name, "", "pkey")
                      : choose_relation_name(child.schema, child.name, joined(index_colnames(p)), backs ? "key" : "idx");
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

    std::optional<std::string> create_index(const json& n) {
        const auto& rv = n["relation"];
        Table* t = table_of(rv);
        if (!t) return fmt::format("table \"{}\" for index does not exist", rv.value("relname", ""));
        Index idx;
        idx.schema = t->schema;
        idx.table = t->name;
        idx.method = n.value("accessMethod", "btree");
        idx.unique = n.value("unique", false);
        idx.primary = n.value("primary", false);
        std::vector<std::string> colnames;
        for (const auto& p : n.value("indexParams", json::array())) {
            const auto& e = p["IndexElem"];
            IndexKey key;
            if (e.contains("name")) {
                key.column = e.value("name", "");
                if (!t->column(key.column)) return fmt::format("column \"{}\" does not exist", key.column);
                colnames.push_back(key.column);
            } else {
                key.expression = canonical_expr(e["expr"]);
                colnames.push_back(figure_colname(e["expr"]));
            }
            key.descending = e.value("ordering", "") == "SORTBY_DESC";
            const std::string nulls = e.value("nulls_ordering", "");
            key.nulls_first = nulls == "SORTBY_NULLS_FIRST" || (nulls != "SORTBY_NULLS_LAST" && key.descending);
            idx.keys.push_back(std::move(key));
        }
        for (const auto& p : n.value("indexIncludingParams", json::array())) {
            idx.include.push_back(p["IndexElem"].value("name", ""));
            colnames.push_back(idx.include.back());
        }
        if (n.contains("whereClause")) idx.predicate = canonical_expr(n["whereClause"]);
        idx.name = n.value("idxname", "");
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
            if (n.value("if_not_exists", false)) return std::nullopt;
            return fmt::format("relation \"{}\" already exists", idx.name);
        }
        const bool recurse = t->partitioned && rv.value("inh", false);  // CREATE INDEX ON ONLY: this table alone
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

    std::optional<std::string> alter_table(const json& n, bool& changes) {
        if (n.value("objtype", "") != "OBJECT_TABLE") {
            changes = false;  // ALTER INDEX/SEQUENCE/VIEW ... (ALTER INDEX ATTACH PARTITION, SET STATISTICS, ...)
            return std::nullopt;
        }
        static const std::vector<std::string> kShaping = {
            "AT_AddColumn", "AT_DropColumn", "AT_AddConstraint", "AT_DropConstraint", "AT_SetNotNull",
            "AT_DropNotNull", "AT_AlterColumnType", "AT_ColumnDefault", "AT_AttachPartition", "AT_DetachPartition"};
        bool shaping = false;
        for (const auto& item : n.value("cmds", json::array()))
            shaping |= std::find(kShaping.begin(), kShaping.end(), item["AlterTableCmd"].value("subtype", "")) != kShaping.end();
        if (!shaping) {
            // OWNER TO, SET (...), ENABLE TRIGGER; pg_dump also writes ALTER TABLE for sequences and views.
            changes = false;
            return std::nullopt;
        }
        Table* t = table_of(n["relation"]);
        if (!t) {
            if (n.value("missing_ok", false)) return std::nullopt;
            return fmt::format("relation \"{}\" does not exist", n["relation"].value("relname", ""));
        }
        const std::size_t at = static_cast<std::size_t>(t - cat_.tables.data());
        only_ = !n["relation"].value("inh", false);
        bool any = false;
        for (const auto& item : n.value("cmds", json::array())) {
            const auto& cmd = item["AlterTableCmd"];
            const std::string sub = cmd.value("subtype", "");
            const std::string name = cmd.value("name", "");
            Table& tab = cat_.tables[at];
            if (sub == "AT_AddColumn") {
                if (tab.column(cmd["def"]["ColumnDef"].value("colname", "")) && cmd.value("missing_ok", false)) continue;
                if (auto e = add_column(at, cmd["def"]["ColumnDef"])) return e;
            } else if (sub == "AT_DropColumn") {
                auto it = std::find_if(tab.columns.begin(), tab.columns.end(), [&](const Column& c) { return c.name == name; });
                if (it == tab.columns.end()) {
                    if (cmd.value("missing_ok", false)) continue;
                    return fmt::format("column \"{}\" of relation \"{}\" does not exist", name, tab.name);
                }
                tab.columns.erase(it);
                drop_column_dependents(tab, name);
            } else if (sub == "AT_AddConstraint") {
                if (auto e = add_constraint(at, cmd["def"]["Constraint"], "")) return e;
            } else if (sub == "AT_DropConstraint") {
                auto it = std::find_if(tab.constraints.begin(), tab.constraints.end(),
                                       [&](const Constraint& c) { return c.name == name; });
                if (it == tab.constraints.end()) {
                    if (cmd.value("missing_ok", false)) continue;
                    continue;  // a CHECK constraint: not in the model, nothing to drop
                }
                forget_names();
                if (it->kind != ConstraintKind::ForeignKey)
                    std::erase_if(cat_.indexes, [&](const Index& i) { return i.schema == tab.schema && i.name == name; });
                tab.constraints.erase(it);
            } else if (sub == "AT_SetNotNull" || sub == "AT_DropNotNull") {
                auto* c = tab.column(name);
                if (!c) return fmt::format("column \"{}\" of relation \"{}\" does not exist", name, tab.name);
                c->not_null = sub == "AT_SetNotNull";
            } else if (sub == "AT_AlterColumnType") {
                auto* c = tab.column(name);
                if (!c) return fmt::format("column \"{}\" of relation \"{}\" does not exist", name, tab.name);
                c->type = canonical_type(cmd["def"]["ColumnDef"]["typeName"]);
            } else if (sub == "AT_ColumnDefault") {
                auto* c = tab.column(name);
                if (!c) return fmt::format("column \"{}\" of relation \"{}\" does not exist", name, tab.name);
                c->default_expr = cmd.contains("def") ? canonical_expr(cmd["def"]) : "";
            } else if (sub == "AT_AttachPartition") {
                Table* child = table_of(cmd["def"]["PartitionCmd"]["name"]);
                if (!child) return "partition to attach does not exist";
                child->partition_of = cat_.tables[at].qualified_name();
                clone_parent_indexes(static_cast<std::size_t>(child - cat_.tables.data()));
            } else if (sub == "AT_DetachPartition") {
                if (Table* child = table_of(cmd["def"]["PartitionCmd"]["name"])) child->partition_of.clear();
            } else {
                continue;  // OWNER TO, SET (storage), ENABLE TRIGGER, ...: not the schema's shape
            }
            any = true;
        }
        changes = any;
        return std::nullopt;
    }

    static std::pair<std::string, std::string> qualified(const json& list_node) {
        const auto names = strings(list_node.contains("List") ? list_node["List"].value("items", json::array()) : json::array());
        if (names.size() >= 2) return {names[names.size() - 2], names.back()};
        return {"", names.empty() ? "" : names.back()};
    }

    std::optional<std::string> drop(const json& n, bool& changes) {
        const std::string kind = n.value("removeType", "");
        const bool missing_ok = n.value("missing_ok", false);
        if (kind == "OBJECT_TABLE") {
            for (const auto& o : n.value("objects", json::array())) {
                // Not a structured binding: clang 14 cannot capture one in a lambda (the fuzz build).
                auto qn = qualified(o);
                std::string& schema = qn.first;
                std::string& name = qn.second;
                if (schema.empty())
                    for (const auto& s : cat_.search_path)
                        if (find_table(s, name)) { schema = s; break; }
                Table* t = find_table(schema, name);
                if (!t) {
                    if (missing_ok) continue;
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
        if (kind == "OBJECT_INDEX") {
            for (const auto& o : n.value("objects", json::array())) {
                // Not a structured binding: clang 14 cannot capture one in a lambda (the fuzz build).
                auto qn = qualified(o);
                std::string& schema = qn.first;
                std::string& name = qn.second;
                if (schema.empty())
                    for (const auto& s : cat_.search_path)
                        if (find_index(s, name)) { schema = s; break; }
                if (!find_index(schema, name)) {
                    if (missing_ok) continue;
                    return fmt::format("index \"{}\" does not exist", name);
                }
                std::erase_if(cat_.indexes, [&](const Index& i) { return i.schema == schema && i.name == name; });
            }
            return std::nullopt;
        }
        if (kind == "OBJECT_SCHEMA") {
            for (const auto& o : n.value("objects", json::array())) {
                const std::string schema = str(o);
                std::erase_if(cat_.indexes, [&](const Index& i) { return i.schema == schema; });
                std::erase_if(cat_.tables, [&](const Table& x) { return x.schema == schema; });
                std::erase_if(cat_.schemas, [&](const std::string& s) { return s == schema; });
            }
            return std::nullopt;
        }
        changes = false;
        return std::nullopt;
    }

    std::optional<std::string> rename(const json& n, bool& changes) {
        const std::string kind = n.value("renameType", "");
        const std::string newname = n.value("newname", "");
        if (kind == "OBJECT_TABLE") {
            Table* t = table_of(n["relation"]);
            if (!t) return n.value("missing_ok", false) ? std::nullopt
                                                        : std::optional<std::string>(fmt::format("relation \"{}\" does not exist", n["relation"].value("relname", "")));
            const std::string old = t->name;
            for (auto& i : cat_.indexes)
                if (i.schema == t->schema && i.table == old) i.table = newname;
            for (auto& other : cat_.tables)
                for (auto& c : other.constraints)
                    if (c.ref_schema == t->schema && c.ref_table == old) c.ref_table = newname;
            t->name = newname;
            return std::nullopt;
        }
        if (kind == "OBJECT_COLUMN") {
            Table* t = table_of(n["relation"]);
            const std::string old = n.value("subname", "");
            Column* c = t ? t->column(old) : nullptr;
            if (!c) return fmt::format("column \"{}\" does not exist", old);
            c->name = newname;
            // Index keys and constraint column lists follow the rename. Expression
            // keys keep their old text: a known limit of the offline model.
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
        if (kind == "OBJECT_INDEX") {
            const auto& rv = n["relation"];
            const std::string schema = schema_of(rv, true);
            Index* i = find_index(schema, rv.value("relname", ""));
            if (!i) return fmt::format("index \"{}\" does not exist", rv.value("relname", ""));
            // An index backing a constraint renames the constraint too.
            if (Table* t = find_table(i->schema, i->table))
                for (auto& c : t->constraints)
                    if (c.name == i->name && c.kind != ConstraintKind::ForeignKey) c.name = newname;
            i->name = newname;
            return std::nullopt;
        }
        if (kind == "OBJECT_TABCONSTRAINT") {
            Table* t = table_of(n["relation"]);
            if (!t) return "relation for constraint rename does not exist";
            const std::string old = n.value("subname", "");
            for (auto& c : t->constraints)
                if (c.name == old) {
                    if (c.kind != ConstraintKind::ForeignKey)
                        if (Index* i = find_index(t->schema, old)) i->name = newname;
                    c.name = newname;
                }
            return std::nullopt;
        }
        if (kind == "OBJECT_SCHEMA") {
            const std::string old = n.value("subname", "");
            for (auto& s : cat_.schemas)
                if (s == old) s = newname;
            for (auto& t : cat_.tables) {
                if (t.schema == old) t.schema = newname;
                for (auto& c : t.constraints)
                    if (c.ref_schema == old) c.ref_schema = newname;
            }
            for (auto& i : cat_.indexes)
                if (i.schema == old) i.schema = newname;
            return std::nullopt;
        }
        changes = false;
        return std::nullopt;
    }

    std::optional<std::string> set_schema(const json& n, bool& changes) {
        if (n.value("objectType", "") != "OBJECT_TABLE") {
            changes = false;
            return std::nullopt;
        }
        Table* t = table_of(n["relation"]);
        if (!t) return fmt::format("relation \"{}\" does not exist", n["relation"].value("relname", ""));
        const std::string to = n.value("newschema", "");
        for (auto& i : cat_.indexes)
            if (i.schema == t->schema && i.table == t->name) i.schema = to;
        for (auto& other : cat_.tables)
            for (auto& c : other.constraints)
                if (c.ref_schema == t->schema && c.ref_table == t->name) c.ref_schema = to;
        t->schema = to;
        return std::nullopt;
    }

    void set_path_from_string(const std::string& value) {
        // A GUC list ("a, \"B\", public"), not SQL: split on commas, trim, unquote.
        std::vector<std::string> path;
        std::string cur;
        bool quoted = false;
        auto flush = [&] {
            auto b = cur.find_first_not_of(" \t");
            auto e = cur.find_last_not_of(" \t");
            std::string item = b == std::string::npos ? "" : cur.substr(b, e - b + 1);
            if (item.size() >= 2 && item.front() == '"' && item.back() == '"') item = item.substr(1, item.size() - 2);
            else
                std::transform(item.begin(), item.end(), item.begin(), [](unsigned char ch) { return std::tolower(ch); });
            if (!item.empty()) path.push_back(item);
            cur.clear();
        };
        for (char ch : value) {
            if (ch == '"') quoted = !quoted;
            if (ch == ',' && !quoted) flush();
            else cur += ch;
        }
        flush();
        cat_.search_path = path;
    }

    bool set_variable(const json& n) {
        if (n.value("name", "") != "search_path") return false;
        const std::string kind = n.value("kind", "");
        if (kind == "VAR_SET_DEFAULT" || kind == "VAR_RESET") {
            cat_.search_path = {"$user", "public"};
            return true;
        }
        std::vector<std::string> path;
        for (const auto& a : n.value("args", json::array()))
            if (a.contains("A_Const") && a["A_Const"].contains("sval")) path.push_back(a["A_Const"]["sval"].value("sval", ""));
        cat_.search_path = path;
        return true;
    }

    // pg_dump's SELECT pg_catalog.set_config('search_path', '', false).
    bool select_set_config(const json& n) {
        const auto& targets = n.value("targetList", json::array());
        if (targets.size() != 1) return false;
        const auto& val = targets[0]["ResTarget"].value("val", json::object());
        if (!val.contains("FuncCall")) return false;
        const auto names = strings(val["FuncCall"]["funcname"]);
        const auto& args = val["FuncCall"].value("args", json::array());
        if (names.empty() || names.back() != "set_config" || args.size() < 2) return false;
        auto arg_text = [](const json& a) {
            return a.contains("A_Const") && a["A_Const"].contains("sval") ? a["A_Const"]["sval"].value("sval", "") : std::string("?");
        };
        if (arg_text(args[0]) != "search_path") return false;
        set_path_from_string(arg_text(args[1]));
        return true;
    }
};

}  // namespace

void apply_ddl(Catalog& catalog, std::string_view text, const std::string& file) {
    Applier(catalog, text, file).run();
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
            "offline schema: no statistics; {} table(s) assumed to have {} rows (set --assume-rows TABLE=N)",
            defaulted, options.default_rows));
}

Catalog load_schema_file(const std::string& path, const OfflineOptions& options) {
    Catalog cat;
    cat.source = path;
    cat.search_path = {"$user", "public"};
    cat.schemas = {"public"};
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        cat.errors.push_back({path, 0, std::string("cannot read: ") + std::strerror(errno)});
        return cat;
    }
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // The file runs in its own session: a search_path it sets (pg_dump sets '') does not
    // carry over to the application's sessions, which resolve names on the default path.
    const auto path_before = cat.search_path;
    apply_ddl(cat, text, path);
    cat.search_path = path_before;
    assume_rows(cat, options);
    return cat;
}

}  // namespace pgadvisor::catalog
