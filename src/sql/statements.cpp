// Reads the statements of statements.hpp out of libpg_query's JSON tree.
// Each reader takes one node's body and fills one plain struct; what the
// catalog or a rule does with it is theirs.

#include "sql/statements.hpp"

#include <algorithm>
#include <cctype>
#include <exception>

#include "sql/parse_tree.hpp"
#include "sql/text.hpp"

namespace pgadvisor::sql {
namespace {

using nlohmann::json;
using namespace tree;

RelationName range_var(const json& rv) {
    RelationName r;
    r.schema = text(rv, "schemaname");
    r.name = text(rv, "relname");
    r.only = !flag(rv, "inh");
    r.location = integer(rv, "location", -1);
    return r;
}

// A qualified name list as DROP writes it ({"List":{"items":[String...]}}).
RelationName qualified_name(const json& list_node) {
    const json* l = node_as(list_node, "List");
    const auto names = strings(l ? items(*l, "items") : json::array());
    RelationName r;
    if (names.size() >= 2) r.schema = names[names.size() - 2];
    if (!names.empty()) r.name = names.back();
    return r;
}

ObjectKind object_kind(const std::string& kind) {
    if (kind == "OBJECT_TABLE") return ObjectKind::Table;
    if (kind == "OBJECT_INDEX") return ObjectKind::Index;
    if (kind == "OBJECT_COLUMN") return ObjectKind::Column;
    if (kind == "OBJECT_TABCONSTRAINT") return ObjectKind::TableConstraint;
    if (kind == "OBJECT_SCHEMA") return ObjectKind::Schema;
    return ObjectKind::Other;
}

// FigureColname() as ChooseIndexColumnNames uses it: a column's name, a
// function's name, a cast's argument name, else "expr".
std::string figure_colname(const json& expr) {
    if (const json* c = node_as(expr, "ColumnRef")) {
        const auto& fields = items(*c, "fields");
        if (!fields.empty()) return string_node(fields.back());
    }
    if (const json* f = node_as(expr, "FuncCall")) {
        const auto names = strings(items(*f, "funcname"));
        if (!names.empty()) return names.back();
    }
    if (const json* tc = node_as(expr, "TypeCast")) {
        std::string inner = figure_colname(object(*tc, "arg"));
        if (inner != "expr") return inner;
        const auto names = strings(items(object(*tc, "typeName"), "names"));
        if (!names.empty()) return names.back();
    }
    return "expr";
}

IndexElement index_element(const json& elem) {
    const json& e = object(elem, "IndexElem");
    IndexElement k;
    if (field(e, "name")) {
        k.column = text(e, "name");
        k.name_hint = k.column;
    } else {
        const json* expr = field(e, "expr");
        k.expression = expr ? canonical_expr(*expr) : "";
        k.name_hint = expr ? figure_colname(*expr) : "expr";
    }
    k.opclass = join(strings(items(e, "opclass")), ".");
    k.descending = text(e, "ordering") == "SORTBY_DESC";
    const std::string nulls = text(e, "nulls_ordering");
    k.nulls_first = nulls == "SORTBY_NULLS_FIRST" || (nulls != "SORTBY_NULLS_LAST" && k.descending);
    return k;
}

std::string canonical_field(const json& obj, const char* key) {
    const json* v = field(obj, key);
    return v ? canonical_expr(*v) : "";
}

CreateIndex create_index(const json& n) {
    CreateIndex c;
    c.relation = range_var(object(n, "relation"));
    c.name = text(n, "idxname");
    if (const json* m = field(n, "accessMethod"); m && m->is_string()) c.method = m->get<std::string>();
    c.unique = flag(n, "unique");
    c.primary = flag(n, "primary");
    c.concurrent = flag(n, "concurrent");
    c.if_not_exists = flag(n, "if_not_exists");
    for (const auto& p : items(n, "indexParams")) c.keys.push_back(index_element(p));
    for (const auto& p : items(n, "indexIncludingParams")) c.include.push_back(text(object(p, "IndexElem"), "name"));
    c.predicate = canonical_field(n, "whereClause");
    return c;
}

ConstraintType constraint_type(const std::string& contype) {
    if (contype == "CONSTR_NOTNULL") return ConstraintType::NotNull;
    if (contype == "CONSTR_NULL") return ConstraintType::Null;
    if (contype == "CONSTR_DEFAULT") return ConstraintType::Default;
    if (contype == "CONSTR_IDENTITY") return ConstraintType::Identity;
    if (contype == "CONSTR_PRIMARY") return ConstraintType::PrimaryKey;
    if (contype == "CONSTR_UNIQUE") return ConstraintType::Unique;
    if (contype == "CONSTR_FOREIGN") return ConstraintType::ForeignKey;
    return ConstraintType::Other;  // CHECK, EXCLUDE, deferrability attributes
}

Constraint constraint(const json& k) {
    Constraint c;
    c.type = constraint_type(text(k, "contype"));
    c.name = text(k, "conname");
    c.keys = strings(items(k, "keys"));
    c.include = strings(items(k, "including"));
    c.using_index = text(k, "indexname");
    c.default_expr = canonical_field(k, "raw_expr");
    c.fk_columns = strings(items(k, "fk_attrs"));
    c.references = range_var(object(k, "pktable"));
    c.ref_columns = strings(items(k, "pk_attrs"));
    return c;
}

ColumnDefinition column_definition(const json& def) {
    ColumnDefinition c;
    c.name = text(def, "colname");
    if (const json* type = field(def, "typeName")) {
        c.type = canonical_type(*type);
        c.type_name = last_name(items(*type, "names"));
    }
    c.not_null = flag(def, "is_not_null");
    for (const auto& k : items(def, "constraints")) c.constraints.push_back(constraint(object(k, "Constraint")));
    return c;
}

CreateTable create_table(const json& n) {
    CreateTable t;
    t.relation = range_var(object(n, "relation"));
    t.if_not_exists = flag(n, "if_not_exists");
    t.partitioned = field(n, "partspec") != nullptr;
    t.partition_bound = field(n, "partbound") != nullptr;
    for (const auto& parent : items(n, "inhRelations")) {
        const json* rv = node_as(parent, "RangeVar");
        t.parents.push_back(range_var(rv ? *rv : parent));
    }
    for (const auto& elt : items(n, "tableElts")) {
        if (const json* def = node_as(elt, "ColumnDef")) t.elements.emplace_back(column_definition(*def));
        else if (const json* k = node_as(elt, "Constraint")) t.elements.emplace_back(constraint(*k));
        else if (const json* like = node_as(elt, "TableLikeClause"))
            t.elements.emplace_back(LikeClause{range_var(object(*like, "relation"))});
    }
    return t;
}

AlterTableAction alter_action(const std::string& subtype) {
    static const std::pair<const char*, AlterTableAction> kActions[] = {
        {"AT_AddColumn", AlterTableAction::AddColumn},
        {"AT_DropColumn", AlterTableAction::DropColumn},
        {"AT_AddConstraint", AlterTableAction::AddConstraint},
        {"AT_DropConstraint", AlterTableAction::DropConstraint},
        {"AT_SetNotNull", AlterTableAction::SetNotNull},
        {"AT_DropNotNull", AlterTableAction::DropNotNull},
        {"AT_AlterColumnType", AlterTableAction::AlterColumnType},
        {"AT_ColumnDefault", AlterTableAction::ColumnDefault},
        {"AT_AttachPartition", AlterTableAction::AttachPartition},
        {"AT_DetachPartition", AlterTableAction::DetachPartition},
    };
    for (const auto& [name, action] : kActions)
        if (subtype == name) return action;
    return AlterTableAction::Other;
}

AlterTableCommand alter_command(const json& cmd) {
    AlterTableCommand c;
    c.action = alter_action(text(cmd, "subtype"));
    c.name = text(cmd, "name");
    c.missing_ok = flag(cmd, "missing_ok");
    const json& def = object(cmd, "def");
    if (const json* col = node_as(def, "ColumnDef")) c.column = column_definition(*col);
    if (const json* k = node_as(def, "Constraint")) c.constraint = constraint(*k);
    if (const json* part = node_as(def, "PartitionCmd")) c.partition = range_var(object(*part, "name"));
    if (c.action == AlterTableAction::ColumnDefault) c.default_expr = canonical_field(cmd, "def");
    return c;
}

AlterTable alter_table(const json& n) {
    AlterTable a;
    a.relation = range_var(object(n, "relation"));
    a.on_table = text(n, "objtype") == "OBJECT_TABLE";
    a.missing_ok = flag(n, "missing_ok");
    for (const auto& item : items(n, "cmds")) a.commands.push_back(alter_command(object(item, "AlterTableCmd")));
    return a;
}

Drop drop(const json& n) {
    Drop d;
    d.kind = object_kind(text(n, "removeType"));
    d.missing_ok = flag(n, "missing_ok");
    for (const auto& o : items(n, "objects")) {
        if (d.kind == ObjectKind::Schema) d.objects.push_back(RelationName{"", string_node(o)});
        else d.objects.push_back(qualified_name(o));
    }
    return d;
}

Rename rename(const json& n) {
    Rename r;
    r.kind = object_kind(text(n, "renameType"));
    r.relation = range_var(object(n, "relation"));
    r.old_name = text(n, "subname");
    r.new_name = text(n, "newname");
    r.missing_ok = flag(n, "missing_ok");
    return r;
}

SetSchema set_schema(const json& n) {
    SetSchema s;
    s.kind = object_kind(text(n, "objectType"));
    s.relation = range_var(object(n, "relation"));
    s.new_schema = text(n, "newschema");
    return s;
}

// A GUC list ("a, \"B\", public"), not SQL: split on commas, trim, unquote.
std::vector<std::string> path_from_string(const std::string& value) {
    std::vector<std::string> path;
    std::string cur;
    bool quoted = false;
    auto flush = [&] {
        auto b = cur.find_first_not_of(" \t");
        auto e = cur.find_last_not_of(" \t");
        std::string item = b == std::string::npos ? "" : cur.substr(b, e - b + 1);
        if (item.size() >= 2 && item.front() == '"' && item.back() == '"') item = item.substr(1, item.size() - 2);
        else std::transform(item.begin(), item.end(), item.begin(), [](unsigned char ch) { return std::tolower(ch); });
        if (!item.empty()) path.push_back(item);
        cur.clear();
    };
    for (char ch : value) {
        if (ch == '"') quoted = !quoted;
        if (ch == ',' && !quoted) flush();
        else cur += ch;
    }
    flush();
    return path;
}

// A string constant's text, or nullopt for any other node.
std::optional<std::string> string_constant(const json& n) {
    const json* c = node_as(n, "A_Const");
    if (!c || !field(*c, "sval")) return std::nullopt;
    return text(object(*c, "sval"), "sval");
}

Statement set_variable(const json& n) {
    if (text(n, "name") != "search_path") return OtherStatement{};
    SetSearchPath s;
    const std::string kind = text(n, "kind");
    s.to_default = kind == "VAR_SET_DEFAULT" || kind == "VAR_RESET";
    if (!s.to_default)
        for (const auto& a : items(n, "args"))
            if (auto v = string_constant(a)) s.path.push_back(*v);
    return s;
}

// pg_dump's SELECT pg_catalog.set_config('search_path', '', false).
Statement select_set_config(const json& n) {
    const auto& targets = items(n, "targetList");
    if (targets.size() != 1) return OtherStatement{};
    const json* call = node_as(object(object(targets[0], "ResTarget"), "val"), "FuncCall");
    if (!call) return OtherStatement{};
    const auto names = strings(items(*call, "funcname"));
    const auto& args = items(*call, "args");
    if (names.empty() || names.back() != "set_config" || args.size() < 2) return OtherStatement{};
    if (string_constant(args[0]).value_or("?") != "search_path") return OtherStatement{};
    SetSearchPath s;
    s.path = path_from_string(string_constant(args[1]).value_or("?"));
    return s;
}

Insert insert(const json& n) {
    Insert i;
    i.relation = range_var(object(n, "relation"));
    const json* infer = field(object(n, "onConflictClause"), "infer");
    if (!infer) return i;  // no ON CONFLICT, or DO NOTHING without a target
    OnConflictTarget t;
    for (const auto& elem : items(*infer, "indexElems")) {
        const json& e = object(elem, "IndexElem");
        if (field(e, "name") || field(e, "expr")) t.keys.push_back(index_element(elem));
    }
    t.predicate = canonical_field(*infer, "whereClause");
    t.constraint = text(*infer, "conname");
    i.conflict_target = std::move(t);
    return i;
}

Statement statement(const json& stmt);

CreateSchema create_schema(const json& n) {
    CreateSchema s;
    s.name = text(n, "schemaname");
    s.if_not_exists = flag(n, "if_not_exists");
    for (const auto& e : items(n, "schemaElts"))
        if (node(e).second) s.elements.push_back(statement(e));
    return s;
}

Statement statement(const json& stmt) {
    auto [type, n] = node(stmt);
    if (type == "CreateSchemaStmt") return create_schema(*n);
    if (type == "CreateStmt") return create_table(*n);
    if (type == "CreateTableAsStmt") return CreateTableAs{range_var(object(object(*n, "into"), "rel"))};
    if (type == "IndexStmt") return create_index(*n);
    if (type == "AlterTableStmt") return alter_table(*n);
    if (type == "DropStmt") return drop(*n);
    if (type == "RenameStmt") return rename(*n);
    if (type == "AlterObjectSchemaStmt") return set_schema(*n);
    if (type == "VariableSetStmt") return set_variable(*n);
    if (type == "SelectStmt") return select_set_config(*n);
    if (type == "InsertStmt") return insert(*n);
    return OtherStatement{};  // COMMENT, OWNER, GRANT, sequences, functions, extensions, other DML...
}

}  // namespace

Parsed<std::vector<Statement>> read_statements(std::string_view sql) {
    Parsed<std::vector<Statement>> out;
    auto tree = parse_tree(sql);
    if (!tree) {
        out.error = tree.error;
        return out;
    }
    try {
        std::vector<Statement> statements;
        for (const auto& s : items(*tree.value, "stmts"))
            if (const json& stmt = object(s, "stmt"); node(stmt).second) statements.push_back(statement(stmt));
        out.value = std::move(statements);
    } catch (const std::exception& e) {
        // A tree shape these readers did not expect: this text's error, not the caller's end.
        out.error = ParseError{std::string("cannot read the parse tree: ") + e.what(), 0, 0, 1};
    }
    return out;
}

}  // namespace pgadvisor::sql
