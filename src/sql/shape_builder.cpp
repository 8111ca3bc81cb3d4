// Builds a QueryShape from libpg_query's JSON parse tree (PostgreSQL 15,
// libpg_query 15-4.0 format: nodes are {"NodeType": {...}}, fields holding
// their default value (0, false, "", empty list) are omitted).
//
// The walk keeps a chain of FROM scopes so a column can be resolved to the
// table it belongs to, searching outward for correlated subqueries.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sql/neutral_constants.hpp"
#include "sql/parse_tree.hpp"
#include "sql/scanner.hpp"
#include "sql/text.hpp"
#include "sql/shape.hpp"
#include "sql/value_expression.hpp"

namespace pgadvisor::sql {
namespace {

using json = nlohmann::json;

// ---- small readers over the JSON tree: sql/parse_tree.hpp's tree:: ----------

// A location of 0 is omitted by the JSON writer.
int location_of(const json& body) { return tree::integer(body, "location", 0); }

// The items of an expression list, which the writer wraps as {"List":{"items":[...]}}.
const json& list_items(const json& n) {
    static const json empty = json::array();
    if (n.is_array()) return n;
    if (const json* l = tree::node_as(n, "List")) return tree::items(*l, "items");
    return empty;
}

// Smallest source location in a subtree: where an expression starts (an A_Expr's
// own location is its operator's).
int min_location(const json& n) {
    int best = -1;
    if (n.is_object()) {
        for (auto it = n.begin(); it != n.end(); ++it) {
            if (std::string_view(it.key()) == "location" && it->is_number_integer()) {
                int l = it->get<int>();
                if (l >= 0 && (best < 0 || l < best)) best = l;
            } else if (it->is_structured()) {
                int l = min_location(*it);
                if (l >= 0 && (best < 0 || l < best)) best = l;
            }
        }
    } else if (n.is_array()) {
        for (const auto& e : n) {
            int l = min_location(e);
            if (l >= 0 && (best < 0 || l < best)) best = l;
        }
    }
    return best;
}

// ---- statement kinds --------------------------------------------------------

// TransactionStmt.kind ("TRANS_STMT_BEGIN") as the workload stage reads it ("begin").
std::string transaction_kind_of(const std::string& kind) {
    static constexpr std::string_view prefix = "TRANS_STMT_";
    std::string k = kind.rfind(prefix, 0) == 0 ? kind.substr(prefix.size()) : kind;
    for (auto& c : k) c = static_cast<char>(c == '_' ? '-' : std::tolower(static_cast<unsigned char>(c)));
    return k;
}

StatementKind kind_of(std::string_view type) {
    if (type == "SelectStmt") return StatementKind::Select;
    if (type == "InsertStmt") return StatementKind::Insert;
    if (type == "UpdateStmt") return StatementKind::Update;
    if (type == "DeleteStmt") return StatementKind::Delete;
    if (type == "MergeStmt") return StatementKind::Merge;
    // ALTER SYSTEM changes configuration, not schema.
    if (type == "AlterSystemStmt") return StatementKind::Utility;
    static constexpr std::array<std::string_view, 4> ddl_prefixes{"Create", "Alter", "Drop", "Define"};
    for (auto p : ddl_prefixes)
        if (type.substr(0, p.size()) == p) return StatementKind::Ddl;
    static constexpr std::array<std::string_view, 13> ddl{
        "IndexStmt",         "ViewStmt",          "RenameStmt",    "CommentStmt",
        "TruncateStmt",      "GrantStmt",         "GrantRoleStmt", "RuleStmt",
        "CompositeTypeStmt", "ReassignOwnedStmt", "SecLabelStmt",  "ImportForeignSchemaStmt",
        "RefreshMatViewStmt"};
    for (auto d : ddl)
        if (type == d) return StatementKind::Ddl;
    if (type.empty()) return StatementKind::Other;
    return StatementKind::Utility;
}

// ---- scopes -------------------------------------------------------------------

struct ScopeEntry {
    std::string name;       // alias, or the relation's own name when unaliased
    std::string qualified;  // schema.name when unaliased and schema-qualified
    int table = -1;         // -1: a CTE, subquery, function or EXCLUDED
};

struct Scope {
    const Scope* parent = nullptr;
    // A non-LATERAL subquery in FROM sees the CTEs of its parent query but not
    // the FROM items beside it.
    bool sees_parent_entries = true;
    std::vector<ScopeEntry> entries;
    std::vector<std::string> ctes;
};

bool cte_visible(const Scope* s, const std::string& name) {
    for (; s; s = s->parent)
        if (std::find(s->ctes.begin(), s->ctes.end(), name) != s->ctes.end()) return true;
    return false;
}

struct Resolved {
    ColumnRef ref;
    int depth = -1;  // 0: this query's FROM, 1+: an outer query, -1: not found
};

struct Operand {
    OperandKind kind = OperandKind::Expression;
    int location = -1;  // of the constant or $n compared with
    int param_number = 0;
    const json* column = nullptr;  // ColumnRef body when kind == Column
};

bool is_constant_like(const json& n) {
    auto [t, body] = tree::node(n);
    if (t == "A_Const") return true;
    if (t == "TypeCast") {
        const json* arg = tree::field(*body, "arg");
        return arg && is_constant_like(*arg);
    }
    return false;
}

Operand operand_of(const json& n) {
    auto [t, body] = tree::node(n);
    Operand o;
    if (!body) return o;
    if (t == "A_Const") {
        o.kind = OperandKind::Constant;
        o.location = location_of(*body);
    } else if (t == "ParamRef") {
        o.kind = OperandKind::Parameter;
        o.location = location_of(*body);
        o.param_number = tree::integer(*body, "number");
    } else if (t == "TypeCast") {
        // '2024-01-01'::date and $1::int compare like the value they cast.
        if (const json* arg = tree::field(*body, "arg")) {
            Operand inner = operand_of(*arg);
            if (inner.kind != OperandKind::Column) return inner;
        }
    } else if (t == "ColumnRef") {
        o.kind = OperandKind::Column;
        o.column = body;
    } else if (t == "A_ArrayExpr") {
        // ARRAY[1, 2] compares like its (constant) elements.
        const json& elems = tree::items(*body, "elements");
        bool all_const = !elems.empty();
        for (const auto& e : elems) all_const = all_const && is_constant_like(e);
        if (all_const) {
            o = operand_of(elems.front());
            o.kind = OperandKind::Constant;
        }
    }
    return o;
}

std::string flip_operator(const std::string& op) {
    if (op == "<") return ">";
    if (op == ">") return "<";
    if (op == "<=") return ">=";
    if (op == ">=") return "<=";
    return op;
}

PredicateClass class_of_operator(const std::string& op) {
    if (op == "=") return PredicateClass::Equality;
    if (op == "<" || op == "<=" || op == ">" || op == ">=") return PredicateClass::Range;
    return PredicateClass::Other;
}

// ---- the builder ------------------------------------------------------------

class Builder {
public:
    Builder(QueryShape& shape, std::string_view text, const std::vector<Token>& tokens)
        : s_(shape), text_(text), tokens_(tokens) {}

    void statement(std::string_view type, const json& body) {
        if (type == "SelectStmt") {
            select(body, nullptr, true, true);
        } else if (type == "InsertStmt") {
            insert(body);
        } else if (type == "UpdateStmt") {
            update(body);
        } else if (type == "DeleteStmt") {
            remove(body);
        } else if (type == "MergeStmt") {
            merge(body);
        }
        collect_everywhere(body);
        finish_literals();
    }

    // The locations of the statement's output column numbers (GROUP BY 2), in order: integer
    // constants that are no values.
    std::vector<int> take_output_column_numbers() {
        std::sort(output_column_numbers_.begin(), output_column_numbers_.end());
        return std::move(output_column_numbers_);
    }

private:
    QueryShape& s_;
    std::string_view text_;
    const std::vector<Token>& tokens_;
    std::vector<int> predicate_value_location_;  // parallel to s_.predicates
    std::vector<int> output_column_numbers_;     // their locations (GROUP BY 2)

    // -- queries ----------------------------------------------------------------

    // Any query node that can appear as a subquery, CTE body or INSERT source.
    void query(const json& n, const Scope* parent, bool sees_parent_entries) {
        auto [t, body] = tree::node(n);
        if (!body) return;
        if (t == "SelectStmt") select(*body, parent, false, sees_parent_entries);
        // Data-modifying CTEs: WITH x AS (UPDATE ... RETURNING ...)
        else if (t == "InsertStmt") insert(*body, parent);
        else if (t == "UpdateStmt") update(*body, parent);
        else if (t == "DeleteStmt") remove(*body, parent);
    }

    void with_clause(const json& body, Scope& scope) {
        const json* with = tree::field(body, "withClause");
        if (!with) return;
        const bool recursive = tree::flag(*with, "recursive");
        if (recursive) s_.recursive_cte = true;
        std::vector<std::pair<std::string, const json*>> ctes;
        for (const auto& c : tree::items(*with, "ctes")) {
            const json* cte = tree::node_as(c, "CommonTableExpr");
            if (!cte) continue;
            std::string name = tree::text(*cte, "ctename");
            if (std::find(s_.cte_names.begin(), s_.cte_names.end(), name) == s_.cte_names.end())
                s_.cte_names.push_back(name);
            ctes.emplace_back(name, tree::field(*cte, "ctequery"));
        }
        // In WITH RECURSIVE every CTE sees every other; otherwise only the
        // earlier ones (WITH orders AS (SELECT * FROM orders) reads the table).
        if (recursive)
            for (const auto& [name, q] : ctes) scope.ctes.push_back(name);
        for (const auto& [name, q] : ctes) {
            if (q) query(*q, &scope, true);
            if (!recursive) scope.ctes.push_back(name);
        }
    }

    void select(const json& body, const Scope* parent, bool top, bool sees_parent_entries) {
        Scope scope;
        scope.parent = parent;
        scope.sees_parent_entries = sees_parent_entries;
        with_clause(body, scope);

        const std::string op = tree::text(body, "op");
        if (!op.empty() && op != "SETOP_NONE") {
            // UNION / INTERSECT / EXCEPT: larg and rarg are bare SelectStmt bodies.
            if (const json* l = tree::field(body, "larg")) select(*l, &scope, false, true);
            if (const json* r = tree::field(body, "rarg")) select(*r, &scope, false, true);
        }
        for (const auto& row : tree::items(body, "valuesLists")) walk(row, scope);
        for (const auto& item : tree::items(body, "fromClause")) from_item(item, scope);
        if (const json* w = tree::field(body, "whereClause")) where(*w, scope, false);
        walk(tree::items(body, "targetList"), scope);
        walk(tree::items(body, "groupClause"), scope);
        if (const json* h = tree::field(body, "havingClause")) walk(*h, scope);
        walk(tree::items(body, "sortClause"), scope);
        walk(tree::items(body, "distinctClause"), scope);
        if (const json* l = tree::field(body, "limitCount")) walk(*l, scope);
        if (const json* l = tree::field(body, "limitOffset")) walk(*l, scope);

        if (!top) return;
        for (const auto& sb : tree::items(body, "sortClause")) order_item(sb, scope, tree::items(body, "targetList"));
        for (const auto& g : tree::items(body, "groupClause"))
            if (const json* c = tree::node_as(g, "ColumnRef")) s_.group_by.push_back(resolve(*c, scope).ref);
        for (const auto& t : tree::items(body, "targetList"))
            if (const json* rt = tree::node_as(t, "ResTarget"))
                if (const json* val = tree::field(*rt, "val")) {
                    output_columns(*val, scope);
                    output_alias(*rt, *val, scope);
                }
        s_.has_limit = tree::field(body, "limitCount") != nullptr;
        s_.has_offset = tree::field(body, "limitOffset") != nullptr;
        const json& distinct = tree::items(body, "distinctClause");
        s_.distinct = !distinct.empty();
        // Plain DISTINCT is a list holding one empty node; DISTINCT ON lists expressions.
        for (const auto& d : distinct)
            if (!d.empty()) s_.distinct_on = true;
        s_.for_update = !tree::items(body, "lockingClause").empty();
    }

    void insert(const json& body, const Scope* parent = nullptr) {
        Scope scope;
        scope.parent = parent;
        with_clause(body, scope);
        InsertInfo info;
        if (const json* rel = tree::field(body, "relation")) info.table = add_table(*rel, scope, true);
        for (const auto& c : tree::items(body, "cols"))
            if (const json* rt = tree::node_as(c, "ResTarget")) info.columns.push_back(tree::text(*rt, "name"));
        if (const json* src = tree::field(body, "selectStmt")) {
            const json* sel = tree::node_as(*src, "SelectStmt");
            const std::string op = sel ? tree::text(*sel, "op") : "";
            if (sel && tree::field(*sel, "valuesLists") && !tree::field(*sel, "fromClause") &&
                (op.empty() || op == "SETOP_NONE")) {
                info.rows = static_cast<int>(tree::items(*sel, "valuesLists").size());
                for (const auto& row : tree::items(*sel, "valuesLists")) {
                    walk(row, scope);
                    // Locations now, literal indexes once the literals are sorted.
                    if (!parent) {
                        std::vector<int> at;
                        std::vector<std::optional<ValueExpression>> expressions;
                        for (const auto& item : list_items(row)) {
                            Operand o = operand_of(item);
                            const bool value = o.kind == OperandKind::Constant || o.kind == OperandKind::Parameter;
                            at.push_back(value ? o.location : -1);
                            expressions.push_back(value ? std::nullopt : value_expression(item));
                        }
                        info.value_literals.push_back(std::move(at));
                        info.value_expressions.push_back(std::move(expressions));
                    }
                }
            } else {
                info.from_select = true;
                // The source query does not see the target table.
                query(*src, &scope, false);
            }
        }
        if (const json* oc = tree::field(body, "onConflictClause")) {
            const std::string action = tree::text(*oc, "action");
            info.on_conflict = action == "ONCONFLICT_UPDATE"    ? ConflictAction::Update
                               : action == "ONCONFLICT_NOTHING" ? ConflictAction::Nothing
                                                                : ConflictAction::None;
            if (const json* infer = tree::field(*oc, "infer")) {
                for (const auto& e : tree::items(*infer, "indexElems"))
                    if (const json* ie = tree::node_as(e, "IndexElem")) {
                        std::string name = tree::text(*ie, "name");
                        if (!name.empty()) info.conflict_columns.push_back(name);
                    }
                info.conflict_constraint = tree::text(*infer, "conname");
            }
            Scope conflict_scope = scope;
            conflict_scope.entries.push_back({"excluded", "", -1});
            for (const auto& t : tree::items(*oc, "targetList")) {
                if (const json* rt = tree::node_as(t, "ResTarget")) {
                    info.conflict_update_columns.push_back(tree::text(*rt, "name"));
                    if (const json* v = tree::field(*rt, "val")) walk(*v, conflict_scope);
                }
            }
            if (const json* w = tree::field(*oc, "whereClause")) walk(*w, conflict_scope);
        }
        returning(body, scope);
        if (!parent) s_.insert = std::move(info);
    }

    void update(const json& body, const Scope* parent = nullptr) {
        Scope scope;
        scope.parent = parent;
        with_clause(body, scope);
        if (const json* rel = tree::field(body, "relation")) add_table(*rel, scope, true);
        for (const auto& item : tree::items(body, "fromClause")) from_item(item, scope);
        for (const auto& t : tree::items(body, "targetList")) {
            if (const json* rt = tree::node_as(t, "ResTarget")) {
                if (!parent) s_.set_columns.push_back(tree::text(*rt, "name"));
                if (const json* v = tree::field(*rt, "val")) walk(*v, scope);
            }
        }
        if (const json* w = tree::field(body, "whereClause")) where(*w, scope, false);
        returning(body, scope);
    }

    void remove(const json& body, const Scope* parent = nullptr) {
        Scope scope;
        scope.parent = parent;
        with_clause(body, scope);
        if (const json* rel = tree::field(body, "relation")) add_table(*rel, scope, true);
        for (const auto& item : tree::items(body, "usingClause")) from_item(item, scope);
        if (const json* w = tree::field(body, "whereClause")) where(*w, scope, false);
        returning(body, scope);
    }

    void merge(const json& body) {
        Scope scope;
        with_clause(body, scope);
        if (const json* rel = tree::field(body, "relation")) add_table(*rel, scope, true);
        if (const json* src = tree::field(body, "sourceRelation")) from_item(*src, scope);
        if (const json* on = tree::field(body, "joinCondition")) where(*on, scope, true);
        for (const auto& w : tree::items(body, "mergeWhenClauses")) {
            const json* mw = tree::node_as(w, "MergeWhenClause");
            if (!mw) continue;
            const bool is_update = tree::text(*mw, "commandType") == "CMD_UPDATE";
            for (const auto& t : tree::items(*mw, "targetList")) {
                if (const json* rt = tree::node_as(t, "ResTarget")) {
                    if (is_update) s_.set_columns.push_back(tree::text(*rt, "name"));
                    if (const json* v = tree::field(*rt, "val")) walk(*v, scope);
                }
            }
            walk(tree::items(*mw, "values"), scope);
            if (const json* c = tree::field(*mw, "condition")) walk(*c, scope);
        }
    }

    void returning(const json& body, Scope& scope) {
        const json& r = tree::items(body, "returningList");
        if (r.empty()) return;
        s_.has_returning = true;
        walk(r, scope);
    }

    // -- FROM -------------------------------------------------------------------

    int add_table(const json& rv, Scope& scope, bool written) {
        TableRef t;
        t.schema = tree::text(rv, "schemaname");
        t.name = tree::text(rv, "relname");
        if (const json* a = tree::field(rv, "alias")) t.alias = tree::text(*a, "aliasname");
        if (t.schema.empty() && cte_visible(&scope, t.name)) {
            scope.entries.push_back({t.alias.empty() ? t.name : t.alias, "", -1});
            return -1;
        }
        // The same table under the same alias in one scope is one reference.
        for (const auto& e : scope.entries) {
            if (e.table < 0) continue;
            auto& known = s_.tables[static_cast<std::size_t>(e.table)];
            if (known.schema == t.schema && known.name == t.name && known.alias == t.alias) {
                known.written = known.written || written;
                return e.table;
            }
        }
        t.written = written;
        const int index = static_cast<int>(s_.tables.size());
        ScopeEntry e;
        e.name = t.alias.empty() ? t.name : t.alias;
        if (t.alias.empty() && !t.schema.empty()) e.qualified = t.schema + "." + t.name;
        e.table = index;
        s_.tables.push_back(std::move(t));
        scope.entries.push_back(std::move(e));
        return index;
    }

    void from_item(const json& item, Scope& scope) {
        auto [t, body] = tree::node(item);
        if (!body) return;
        if (t == "RangeVar") {
            add_table(*body, scope, false);
        } else if (t == "JoinExpr") {
            const std::size_t before = scope.entries.size();
            if (const json* l = tree::field(*body, "larg")) from_item(*l, scope);
            const std::size_t mid = scope.entries.size();
            if (const json* r = tree::field(*body, "rarg")) from_item(*r, scope);
            const std::size_t after = scope.entries.size();
            if (const json* q = tree::field(*body, "quals")) where(*q, scope, true);
            using_join(*body, scope, before, mid, after);
        } else if (t == "RangeSubselect") {
            const bool lateral = tree::flag(*body, "lateral");
            if (const json* q = tree::field(*body, "subquery")) query(*q, &scope, lateral);
            if (const json* a = tree::field(*body, "alias"))
                scope.entries.push_back({tree::text(*a, "aliasname"), "", -1});
        } else if (t == "RangeFunction") {
            walk(tree::items(*body, "functions"), scope);
            std::string name;
            if (const json* a = tree::field(*body, "alias")) name = tree::text(*a, "aliasname");
            if (name.empty()) {
                // Unaliased: the function's name is the reference name.
                for (const auto& f : tree::items(*body, "functions"))
                    for (const auto& e : list_items(f))
                        if (const json* fc = tree::node_as(e, "FuncCall"); fc && name.empty())
                            name = tree::last_name(tree::items(*fc, "funcname"));
            }
            scope.entries.push_back({name, "", -1});
        } else if (t == "RangeTableSample") {
            if (const json* r = tree::field(*body, "relation")) from_item(*r, scope);
        } else {
            walk(item, scope);
        }
    }

    // JOIN ... USING (a, b): each column equates the left and right side. When
    // a side is itself a join, the column is taken from its last (left) or
    // first (right) item: without a catalog we cannot know which one has it.
    void using_join(const json& join, const Scope& scope, std::size_t before, std::size_t mid, std::size_t after) {
        const json& cols = tree::items(join, "usingClause");
        if (cols.empty() || before == mid || mid == after) return;
        const ScopeEntry& l = scope.entries[mid - 1];
        const ScopeEntry& r = scope.entries[mid];
        for (const auto& c : cols) {
            ColumnRef left;
            left.table = l.table;
            left.qualifier = l.name;
            left.column = tree::string_node(c);
            ColumnRef right = left;
            right.table = r.table;
            right.qualifier = r.name;
            Predicate p;
            p.column = right;
            p.cls = PredicateClass::Equality;
            p.op.push_back('=');  // not = "=": GCC 12 -Wrestrict false positive
            p.operand = OperandKind::Column;
            p.in_join = true;
            add_predicate(std::move(p), -1);
            s_.joins.push_back({left, right});
        }
    }

    // -- columns ------------------------------------------------------------------

    // The columns an outermost SELECT list item reads (not inside a subquery).
    void output_columns(const json& n, const Scope& scope) {
        if (n.is_array()) {
            for (const auto& e : n) output_columns(e, scope);
            return;
        }
        if (!n.is_object()) return;
        for (auto it = n.begin(); it != n.end(); ++it) {
            const std::string_view k = it.key();
            if (k == "SubLink" || k == "SelectStmt") continue;
            if (k == "ColumnRef") {
                const json& fields = tree::items(*it, "fields");
                if (!fields.empty() && tree::node_as(fields.back(), "A_Star")) {
                    s_.select_star = true;
                    continue;
                }
                ColumnRef c = resolve(*it, scope).ref;
                if (!c.column.empty() &&
                    std::find(s_.output_columns.begin(), s_.output_columns.end(), c) == s_.output_columns.end())
                    s_.output_columns.push_back(std::move(c));
            } else if (it->is_structured()) {
                output_columns(*it, scope);
            }
        }
    }

    // A SELECT list item's AS name, with the column when the item is a bare one.
    void output_alias(const json& target, const json& val, const Scope& scope) {
        std::string alias = tree::text(target, "name");
        if (alias.empty()) return;
        OutputAlias a;
        a.alias = std::move(alias);
        if (const json* c = tree::node_as(val, "ColumnRef")) a.column = resolve(*c, scope).ref;
        s_.output_aliases.push_back(std::move(a));
    }

    Resolved resolve(const json& cref, const Scope& scope) const {
        std::vector<std::string> names;
        for (const auto& f : tree::items(cref, "fields")) {
            if (tree::node_as(f, "A_Star")) names.emplace_back("*");
            else names.push_back(tree::string_node(f));
        }
        Resolved r;
        if (names.empty()) return r;
        r.ref.column = names.back();
        names.pop_back();
        if (names.empty()) {
            // Unqualified: the nearest scope with FROM items decides; it must
            // hold exactly one, otherwise we cannot know without a catalog.
            int depth = 0;
            bool entries_visible = true;
            for (const Scope* s = &scope; s; s = s->parent, ++depth) {
                if (entries_visible && !s->entries.empty()) {
                    if (s->entries.size() == 1) {
                        r.ref.table = s->entries.front().table;
                        r.depth = depth;
                    }
                    return r;
                }
                entries_visible = s->sees_parent_entries;
            }
            return r;
        }
        std::string qualifier;
        for (const auto& n : names) qualifier += (qualifier.empty() ? "" : ".") + n;
        r.ref.qualifier = qualifier;
        // db.schema.table.column: the database part names nothing we track.
        const std::string table_name = names.back();
        const std::string schema_table = names.size() >= 2 ? names[names.size() - 2] + "." + names.back()
                                                           : std::string();
        int depth = 0;
        bool entries_visible = true;
        for (const Scope* s = &scope; s; s = s->parent, ++depth) {
            if (entries_visible) {
                for (const auto& e : s->entries) {
                    const bool match = names.size() == 1 ? e.name == table_name
                                                         : (!e.qualified.empty() && e.qualified == schema_table);
                    if (match) {
                        r.ref.table = e.table;
                        r.depth = depth;
                        return r;
                    }
                }
            }
            entries_visible = s->sees_parent_entries;
        }
        return r;
    }

    // -- predicates -----------------------------------------------------------------

    void add_predicate(Predicate p, int value_location) {
        s_.predicates.push_back(std::move(p));
        predicate_value_location_.push_back(value_location);
    }

    void where(const json& expr, Scope& scope, bool in_join) {
        conjuncts(expr, scope, in_join);
        walk(expr, scope);
    }

    // Only top-level AND-ed conjuncts are index predicates: a term under OR or
    // NOT does not restrict the rows on its own.
    void conjuncts(const json& expr, const Scope& scope, bool in_join) {
        auto [t, body] = tree::node(expr);
        if (!body) return;
        if (t == "BoolExpr") {
            if (tree::text(*body, "boolop") == "AND_EXPR")
                for (const auto& a : tree::items(*body, "args")) conjuncts(a, scope, in_join);
            return;
        }
        if (t == "A_Expr") a_expr(*body, scope, in_join);
        else if (t == "NullTest") null_test(*body, scope, in_join);
        else if (t == "SubLink") in_subquery(*body, scope, in_join);
        else if (t == "BooleanTest") boolean_test(*body, scope, in_join);
        else if (t == "ColumnRef") {
            // WHERE is_active
            Predicate p;
            if (!subject(expr, scope, p)) return;
            p.cls = PredicateClass::Other;
            p.op = "IS TRUE";
            p.in_join = in_join;
            add_predicate(std::move(p), -1);
        }
    }

    // A cast to text, varchar or char(n): what EXPLAIN adds around a varchar column.
    static bool text_cast(const json& type_cast) {
        const json* tn = tree::field(type_cast, "typeName");
        if (!tn) return false;
        const std::string type = tree::last_name(tree::items(*tn, "names"));
        return type == "text" || type == "varchar" || type == "bpchar";
    }

    // The column side of a comparison: col, lower(col), col::type. Fills
    // column and function; false when the expression holds no single column.
    bool subject(const json& n, const Scope& scope, Predicate& p, int* depth = nullptr) const {
        auto [t, body] = tree::node(n);
        if (!body) return false;
        if (t == "ColumnRef") {
            Resolved r = resolve(*body, scope);
            p.column = r.ref;
            if (depth) *depth = r.depth;
            return true;
        }
        if (t == "FuncCall") {
            const json* only = nullptr;
            int columns = 0;
            for (const auto& a : tree::items(*body, "args")) {
                const json* arg = &a;
                // EXPLAIN prints lower(email) on a varchar column as lower((email)::text):
                // a cast to a text type is a binary coercion, the same column.
                if (const json* tc = tree::node_as(a, "TypeCast"))
                    if (const json* inner = tree::field(*tc, "arg");
                        inner && tree::node_as(*inner, "ColumnRef") && text_cast(*tc))
                        arg = inner;
                if (tree::node_as(*arg, "ColumnRef")) {
                    only = arg;
                    ++columns;
                } else if (tree::node_as(*arg, "TypeCast") && !is_constant_like(*arg)) {
                    return false;  // lower(col::int): not the function of the column
                }
            }
            if (columns != 1) return false;
            if (!subject(*only, scope, p, depth)) return false;
            const json* fname = tree::field(*body, "funcname");
            p.function = fname ? tree::last_name(*fname) : "";
            return true;
        }
        if (t == "TypeCast") {
            const json* arg = tree::field(*body, "arg");
            if (!arg || !tree::node_as(*arg, "ColumnRef")) return false;
            if (!subject(*arg, scope, p, depth)) return false;
            // An index on col does not serve col::type; say so.
            std::string type;
            if (const json* tn = tree::field(*body, "typeName")) type = tree::last_name(tree::items(*tn, "names"));
            p.function = "::" + type;
            return true;
        }
        return false;
    }

    void a_expr(const json& e, const Scope& scope, bool in_join) {
        const std::string kind = tree::text(e, "kind");
        const json* name = tree::field(e, "name");
        std::string op = name ? tree::last_name(*name) : "";
        const json* lexpr = tree::field(e, "lexpr");
        const json* rexpr = tree::field(e, "rexpr");
        if (!lexpr || !rexpr) return;

        Predicate p;
        p.in_join = in_join;
        if (kind == "AEXPR_OP") {
            int ldepth = -1, rdepth = -1;
            Predicate left = p, right = p;
            const bool lcol = subject(*lexpr, scope, left, &ldepth);
            const bool rcol = subject(*rexpr, scope, right, &rdepth);
            if (!lcol && !rcol) return;
            Operand lop = operand_of(*lexpr);
            Operand rop = operand_of(*rexpr);
            // Put the column on the left (5 = col -> col = 5), and between two
            // columns prefer the one of this query's own FROM.
            auto score = [](bool is_col, const Predicate& pr, int depth) {
                if (!is_col) return 0;
                if (pr.column.table < 0) return 1;
                return depth == 0 ? 3 : 2;
            };
            const bool swap = score(rcol, right, rdepth) > score(lcol, left, ldepth);
            Predicate& subj = swap ? right : left;
            const Operand& other = swap ? lop : rop;
            const json* other_node = swap ? lexpr : rexpr;
            subj.op = swap ? flip_operator(op) : op;
            subj.cls = class_of_operator(subj.op);
            subj.operand = other.kind;
            subj.param_number = other.param_number;
            if (other.kind == OperandKind::Expression) subj.value_expression = value_expression(*other_node);
            if (other.kind == OperandKind::Column) {
                Predicate other_col;
                if (subject(*other_node, scope, other_col) && subj.op == "=" && subj.function.empty() &&
                    other_col.function.empty()) {
                    const ColumnRef& a = subj.column;
                    const ColumnRef& b = other_col.column;
                    const bool different = a.table != b.table || (a.table < 0 && a.qualifier != b.qualifier);
                    if (different && (a.table >= 0 || b.table >= 0)) s_.joins.push_back({a, b});
                }
            }
            add_predicate(std::move(subj), other.location);
            return;
        }

        if (!subject(*lexpr, scope, p)) return;
        Operand value;
        if (kind == "AEXPR_IN") {
            const json& items = list_items(*rexpr);
            p.op = op == "=" ? "IN" : "NOT IN";
            p.cls = op == "=" ? PredicateClass::InList : PredicateClass::Other;
            if (!items.empty()) value = operand_of(items.front());
        } else if (kind == "AEXPR_OP_ANY" || kind == "AEXPR_OP_ALL") {
            const bool any = kind == "AEXPR_OP_ANY";
            p.op = op + (any ? " ANY" : " ALL");
            p.cls = any && op == "=" ? PredicateClass::InList : PredicateClass::Other;
            value = operand_of(*rexpr);
        } else if (kind == "AEXPR_BETWEEN" || kind == "AEXPR_BETWEEN_SYM" || kind == "AEXPR_NOT_BETWEEN" ||
                   kind == "AEXPR_NOT_BETWEEN_SYM") {
            const json& items = list_items(*rexpr);
            p.op = op;
            p.cls = kind.find("NOT") == std::string::npos ? PredicateClass::Range : PredicateClass::Other;
            if (!items.empty()) value = operand_of(items.front());
        } else if (kind == "AEXPR_LIKE" || kind == "AEXPR_ILIKE") {
            p.op = op;
            value = operand_of(*rexpr);
            p.cls = (op == "~~" || op == "~~*") && like_prefix(*rexpr) ? PredicateClass::LikePrefix
                                                                       : PredicateClass::Other;
        } else if (kind == "AEXPR_DISTINCT") {
            p.op = "IS DISTINCT FROM";
            value = operand_of(*rexpr);
        } else if (kind == "AEXPR_NOT_DISTINCT") {
            p.op = "IS NOT DISTINCT FROM";
            value = operand_of(*rexpr);
        } else if (kind == "AEXPR_SIMILAR") {
            p.op = op == "~" ? "SIMILAR TO" : "NOT SIMILAR TO";
            value = operand_of(*rexpr);
        } else {
            p.op = op;
            value = operand_of(*rexpr);
        }
        p.operand = value.kind;
        p.param_number = value.param_number;
        add_predicate(std::move(p), value.location);
    }

    // 'ab%' has a prefix an index can range-scan; '%ab', '_b' and $1 do not.
    static bool like_prefix(const json& pattern) {
        const json* n = &pattern;
        while (const json* tc = tree::node_as(*n, "TypeCast")) {
            const json* arg = tree::field(*tc, "arg");
            if (!arg) return false;
            n = arg;
        }
        const json* c = tree::node_as(*n, "A_Const");
        if (!c) return false;
        const json* sv = tree::field(*c, "sval");
        if (!sv) return false;
        const std::string s = tree::text(*sv, "sval");
        return !s.empty() && s[0] != '%' && s[0] != '_';
    }

    void null_test(const json& e, const Scope& scope, bool in_join) {
        const json* arg = tree::field(e, "arg");
        Predicate p;
        if (!arg || !subject(*arg, scope, p)) return;
        const bool is_null = tree::text(e, "nulltesttype") == "IS_NULL";
        p.cls = is_null ? PredicateClass::IsNull : PredicateClass::IsNotNull;
        p.op = is_null ? "IS NULL" : "IS NOT NULL";
        p.operand = OperandKind::None;
        p.in_join = in_join;
        add_predicate(std::move(p), -1);
    }

    void boolean_test(const json& e, const Scope& scope, bool in_join) {
        const json* arg = tree::field(e, "arg");
        Predicate p;
        if (!arg || !subject(*arg, scope, p)) return;
        std::string test = tree::text(e, "booltesttype");  // IS_TRUE, IS_NOT_FALSE, ...
        std::replace(test.begin(), test.end(), '_', ' ');
        p.cls = PredicateClass::Other;
        p.op = test;
        p.operand = OperandKind::None;
        p.in_join = in_join;
        add_predicate(std::move(p), -1);
    }

    // col IN (SELECT ...) / col = ANY (SELECT ...): a list of values that a
    // subquery produces.
    void in_subquery(const json& e, const Scope& scope, bool in_join) {
        if (tree::text(e, "subLinkType") != "ANY_SUBLINK") return;
        const json* test = tree::field(e, "testexpr");
        Predicate p;
        if (!test || !subject(*test, scope, p)) return;
        const json* oper = tree::field(e, "operName");
        const std::string op = oper ? tree::last_name(*oper) : "=";
        p.op = op == "=" ? "IN" : op + " ANY";
        p.cls = op == "=" ? PredicateClass::InList : PredicateClass::Other;
        p.operand = OperandKind::Expression;
        p.in_join = in_join;
        add_predicate(std::move(p), -1);
    }

    // -- ORDER BY -------------------------------------------------------------------

    // ORDER BY 2: the second item of the SELECT list, when it is one.
    static const json* positional_target(const json& key, const json& targets) {
        const json* c = tree::node_as(key, "A_Const");
        const json* i = c ? tree::field(*c, "ival") : nullptr;
        if (!i) return nullptr;
        const int n = tree::integer(*i, "ival");
        if (n < 1 || !targets.is_array() || static_cast<std::size_t>(n) > targets.size()) return nullptr;
        // SELECT * leaves the list's columns to the catalog: the position names no item here.
        for (const auto& t : targets) {
            const json* rt = tree::node_as(t, "ResTarget");
            const json* val = rt ? tree::field(*rt, "val") : nullptr;
            const json* ref = val ? tree::node_as(*val, "ColumnRef") : nullptr;
            if (ref && !tree::items(*ref, "fields").empty() &&
                tree::node_as(tree::items(*ref, "fields").back(), "A_Star"))
                return nullptr;
        }
        const json* rt = tree::node_as(targets[static_cast<std::size_t>(n - 1)], "ResTarget");
        return rt ? tree::field(*rt, "val") : nullptr;
    }

    void order_item(const json& sb, const Scope& scope, const json& targets) {
        const json* body = tree::node_as(sb, "SortBy");
        if (!body) return;
        OrderItem item;
        const std::string dir = tree::text(*body, "sortby_dir");
        item.direction = dir == "SORTBY_ASC"    ? SortDirection::Asc
                         : dir == "SORTBY_DESC" ? SortDirection::Desc
                                                : SortDirection::Default;
        const std::string nulls = tree::text(*body, "sortby_nulls");
        item.nulls = nulls == "SORTBY_NULLS_FIRST"  ? NullsOrder::First
                     : nulls == "SORTBY_NULLS_LAST" ? NullsOrder::Last
                                                    : NullsOrder::Default;
        const json* key = tree::field(*body, "node");
        if (!key) return;
        if (const json* target = positional_target(*key, targets)) key = target;
        if (const json* c = tree::node_as(*key, "ColumnRef")) {
            item.column = resolve(*c, scope).ref;
        } else {
            item.expression = expression_text(*key);
        }
        s_.order_by.push_back(std::move(item));
    }

    // The source text of an expression, cut out with the scanner's tokens:
    // from its first location to the end of the sort key (a comma, closing
    // parenthesis or keyword at depth 0). Whitespace is collapsed and constant
    // values become '?' so no literal is ever printed from here.
    std::string expression_text(const json& n) const {
        int start = min_location(n);
        if (start < 0) start = 0;
        auto it = std::lower_bound(tokens_.begin(), tokens_.end(), static_cast<std::size_t>(start),
                                   [](const Token& t, std::size_t at) { return t.start < at; });
        const bool positional = tree::node_as(n, "A_Const") != nullptr;  // ORDER BY 2
        // Where an ORDER BY item ends, and a SELECT list item (ORDER BY 2 names one).
        static constexpr std::array<std::string_view, 19> stops{"asc",    "desc",  "nulls",     "using",  "limit",
                                                                "offset", "fetch", "for",       "window", "from",
                                                                "into",   "where", "group",     "order",  "having",
                                                                "as",     "union", "intersect", "except"};
        std::string out;
        int depth = 0;
        std::size_t prev_end = static_cast<std::size_t>(start);
        for (; it != tokens_.end(); ++it) {
            const Token& t = *it;
            if (t.kind == TokenKind::Comment) continue;
            if (t.ascii == '(' || t.ascii == '[') ++depth;
            if (t.ascii == ')' || t.ascii == ']') {
                if (depth == 0) break;
                --depth;
            }
            if (depth == 0 && (t.ascii == ',' || t.ascii == ';')) break;
            std::string_view word = text_.substr(t.start, t.end - t.start);
            if (depth == 0 && t.kind == TokenKind::Keyword) {
                std::string lower(word);
                std::transform(lower.begin(), lower.end(), lower.begin(),
                               [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
                if (std::find(stops.begin(), stops.end(), lower) != stops.end()) break;
            }
            if (!out.empty() && t.start > prev_end) out += ' ';
            out += t.kind == TokenKind::Constant && !positional ? std::string_view("?") : word;
            prev_end = t.end;
        }
        return out;
    }

    // -- generic walk -------------------------------------------------------------------

    // Visit an expression for the subqueries it holds (EXISTS, IN (SELECT),
    // scalar subqueries), each shaped in a scope whose parent is this one.
    void walk(const json& n, const Scope& scope) {
        if (n.is_array()) {
            for (const auto& e : n) walk(e, scope);
            return;
        }
        if (!n.is_object()) return;
        for (auto it = n.begin(); it != n.end(); ++it) {
            const std::string_view k = it.key();
            if (k == "SubLink") {
                if (const json* test = tree::field(*it, "testexpr")) walk(*test, scope);
                if (const json* sub = tree::field(*it, "subselect")) query(*sub, &scope, true);
            } else if (k == "SelectStmt") {
                select(*it, &scope, false, true);
            } else if (it->is_structured()) {
                walk(*it, scope);
            }
        }
    }

    // Flags and literals that do not depend on scope, from the whole tree.
    void collect_everywhere(const json& n) {
        if (n.is_array()) {
            for (const auto& e : n) collect_everywhere(e);
            return;
        }
        if (!n.is_object()) return;
        for (auto it = n.begin(); it != n.end(); ++it) {
            const std::string_view k = it.key();
            if (k == "sortClause" || k == "groupClause" || k == "distinctClause")
                tree::add_output_column_numbers(*it, output_column_numbers_);
            if (k == "sortClause" || k == "groupClause") {
                positional_items(*it);
                continue;
            }
            if (k == "A_Const") add_constant(*it);
            else if (k == "ParamRef") add_parameter(*it);
            else if (k == "SubLink" || k == "RangeSubselect") s_.has_subquery = true;
            else if (k == "FuncCall") called(*it);
            else if (k == "windowClause" && it->is_array() && !it->empty()) s_.has_window = true;
            if (it->is_structured()) collect_everywhere(*it);
        }
    }

    void called(const json& call) {
        if (tree::field(call, "over")) s_.has_window = true;
        const json* name = tree::field(call, "funcname");
        const std::string f = name ? tree::last_name(*name) : std::string();
        if (!f.empty() && std::find(s_.functions.begin(), s_.functions.end(), f) == s_.functions.end())
            s_.functions.push_back(f);
    }

    // ORDER BY 1 / GROUP BY 1 name a SELECT list item by position: libpg_query's
    // normalize keeps them as written (they are not values, and $1 there would
    // mean something else), so they are no literals either, or the normalized
    // text and the parameter sets disagree on how many values there are.
    void positional_items(const json& items) {
        if (!items.is_array()) return collect_everywhere(items);
        for (const auto& item : items) {
            if (tree::node_as(item, "A_Const")) continue;
            if (const json* sb = tree::node_as(item, "SortBy")) {
                const json* key = tree::field(*sb, "node");
                if (key && tree::node_as(*key, "A_Const")) continue;
            }
            collect_everywhere(item);
        }
    }

    // -- literals ---------------------------------------------------------------------

    const Token* token_at(std::size_t at) const {
        auto it = std::lower_bound(tokens_.begin(), tokens_.end(), at,
                                   [](const Token& t, std::size_t a) { return t.start < a; });
        if (it == tokens_.end() || it->start != at) return nullptr;
        return &*it;
    }

    // The source span of the literal at `location`: one token, or two for a
    // negative number (the parser folds "-" into the constant and points at it).
    std::pair<std::size_t, std::size_t> literal_span(int location) const {
        if (location < 0) return {0, 0};
        const Token* t = token_at(static_cast<std::size_t>(location));
        if (!t) return {static_cast<std::size_t>(location), static_cast<std::size_t>(location)};
        if (t->ascii == '-' && t + 1 < tokens_.data() + tokens_.size() && (t + 1)->kind == TokenKind::Constant)
            return {t->start, (t + 1)->end};
        return {t->start, t->end};
    }

    void add_constant(const json& c) {
        Literal l;
        l.kind = LiteralKind::Constant;
        l.location = location_of(c);
        auto [from, to] = literal_span(l.location);
        l.length = static_cast<int>(to - from);
        std::string source(text_.substr(std::min(from, text_.size()), to - from));
        source.erase(std::remove_if(source.begin(), source.end(), [](unsigned char ch) { return std::isspace(ch); }),
                     source.end());
        if (tree::flag(c, "isnull")) {
            l.is_null = true;
        } else if (const json* v = tree::field(c, "sval")) {
            l.value = tree::text(*v, "sval");
        } else if (const json* f = tree::field(c, "fval")) {
            l.value = tree::text(*f, "fval");
        } else if (const json* b = tree::field(c, "boolval")) {
            l.value = tree::flag(*b, "boolval") ? "true" : "false";
        } else if (const json* bs = tree::field(c, "bsval")) {
            l.value = tree::text(*bs, "bsval");
        } else if (const json* i = tree::field(c, "ival")) {
            // libpg_query 15-4.0 writes a negative integer as {} (like 0), so
            // the digits come from the source text when there is one.
            l.value = !source.empty() ? source : std::to_string(tree::integer(*i, "ival"));
        }
        s_.literals.push_back(std::move(l));
    }

    void add_parameter(const json& p) {
        Literal l;
        l.kind = LiteralKind::Parameter;
        l.location = location_of(p);
        l.param_number = tree::integer(p, "number");
        auto [from, to] = literal_span(l.location);
        l.length = static_cast<int>(to - from);
        s_.literals.push_back(std::move(l));
    }

    void finish_literals() {
        std::stable_sort(s_.literals.begin(), s_.literals.end(),
                         [](const Literal& a, const Literal& b) { return a.location < b.location; });
        for (std::size_t i = 0; i < s_.predicates.size(); ++i)
            if (const int index = literal_at(predicate_value_location_[i]); index >= 0)
                s_.predicates[i].literal_index = index;
        // insert() left source locations in value_literals: turn them into indexes.
        if (s_.insert)
            for (auto& row : s_.insert->value_literals)
                for (int& at : row) at = literal_at(at);
    }

    // The index of the first literal at source location `at` in the sorted literals, or -1.
    // A binary search: a VALUES list of 200,000 rows holds 400,000 literals, and a walk of
    // them per value took minutes (issue 16, "Time").
    int literal_at(int at) const {
        if (at < 0) return -1;
        const auto& lits = s_.literals;
        const auto it = std::lower_bound(lits.begin(), lits.end(), at,
                                         [](const Literal& l, int location) { return l.location < location; });
        return it != lits.end() && it->location == at ? static_cast<int>(it - lits.begin()) : -1;
    }
};

ParseError located_error(ParseError e, std::string_view whole, std::size_t offset) {
    e.offset = offset;
    const std::size_t at = offset + (e.cursor > 0 ? static_cast<std::size_t>(e.cursor - 1) : 0);
    e.line = line_of_offset(whole, at);
    return e;
}

// What reports show of a statement: pg_query_normalize's text without its
// comments (sqlcommenter tags carry per-request values), and for the statements
// it does not normalize (DDL, utility) with every constant masked as well.
std::string shown_form(const std::string& normalized, StatementKind kind) {
    std::string shown = without_comments(normalized);
    const bool query = kind == StatementKind::Select || kind == StatementKind::Insert ||
                       kind == StatementKind::Update || kind == StatementKind::Delete || kind == StatementKind::Merge;
    return query ? shown : with_constants_masked(shown);
}

// A shape is kept for as long as the workload runs, one per distinct statement
// (50,000 on a large log): its lists lose the spare capacity their growth left
// (a third predicate takes four slots of 216 bytes). Issue 17: memory per shape.
void fit(QueryShape& s) {
    s.tables.shrink_to_fit();
    s.cte_names.shrink_to_fit();
    s.predicates.shrink_to_fit();
    s.joins.shrink_to_fit();
    s.order_by.shrink_to_fit();
    s.group_by.shrink_to_fit();
    s.output_columns.shrink_to_fit();
    s.output_aliases.shrink_to_fit();
    s.functions.shrink_to_fit();
    s.set_columns.shrink_to_fit();
    s.literals.shrink_to_fit();
    s.text.shrink_to_fit();
    s.normalized.shrink_to_fit();
}

// Whether the span [offset, offset + length) is all of `whole` but trailing blanks and semicolons,
// which the fingerprint ignores.
bool span_is_whole(std::string_view whole, std::size_t offset, std::size_t length) {
    return offset == 0 && whole.find_first_not_of(" \t\r\n\f\v;", length) == std::string_view::npos;
}

// Shape one statement span of `whole`; nothing when it holds only comments.
// `known`: the caller's fingerprint of `whole`, used where the span is all of it.
// `parsed`: the caller's parse tree of `whole`, used where the span is all of it.
// `scanned`: the span's tokens when the caller has them (offsets from the span's start), else scanned here.
std::optional<ShapeResult> shape_span(std::string_view whole, std::size_t offset, std::size_t length,
                                      const Fingerprint* known, const StatementTree* parsed,
                                      Parsed<std::vector<Token>> scanned) {
    std::string_view text = whole.substr(offset, length);
    if (!scanned) scanned = scan_tokens(text);
    std::vector<Token> tokens;
    if (scanned) {
        // Leading comments (Rails puts /*controller:...*/ there) are not the statement.
        auto first = std::find_if(scanned.value->begin(), scanned.value->end(),
                                  [](const Token& t) { return t.kind != TokenKind::Comment; });
        if (first == scanned.value->end()) return std::nullopt;
        const std::size_t skip = first->start;
        tokens.reserve(static_cast<std::size_t>(scanned.value->end() - first));
        for (auto it = first; it != scanned.value->end(); ++it)
            tokens.push_back({it->start - skip, it->end - skip, it->kind, it->ascii});
        offset += skip;
        length -= skip;
        text = whole.substr(offset, length);
    } else {
        const auto ws = text.find_first_not_of(" \t\r\n\f\v");
        if (ws == std::string_view::npos) return std::nullopt;
        offset += ws;
        length -= ws;
        text = whole.substr(offset, length);
    }

    ShapeResult result;
    auto tree = parsed ? parse_tree(*parsed, text) : parse_tree(text);
    if (!tree) {
        ParseError e = tree.error ? *tree.error : ParseError{"parse failed", 0, 0, 0};
        result.error = located_error(std::move(e), whole, offset);
        return result;
    }
    const json& stmts = tree::items(*tree.value, "stmts");
    if (stmts.empty() || !tree::field(stmts.front(), "stmt")) return std::nullopt;
    const json& stmt = *tree::field(stmts.front(), "stmt");
    auto [type, body] = tree::node(stmt);

    QueryShape shape;
    shape.node_type = std::string(type);
    shape.kind = kind_of(type);
    shape.offset = offset;
    shape.length = length;
    shape.text = std::string(text);
    if (body && type == "TransactionStmt") shape.transaction_kind = transaction_kind_of(tree::text(*body, "kind"));
    std::vector<int> output_column_numbers;
    if (body) {
        Builder builder(shape, text, tokens);
        builder.statement(type, *body);
        output_column_numbers = builder.take_output_column_numbers();
    }
    // Its values: its constant tokens but the output column numbers. Not known when not scanned.
    if (scanned) shape.value_spans = value_spans(tokens, output_column_numbers);
    if (known && span_is_whole(whole, offset, length)) {
        shape.fingerprint = known->value;
        shape.fingerprint_hex = known->hex;
    } else if (auto fp = fingerprint(text)) {
        shape.fingerprint = fp.value->value;
        shape.fingerprint_hex = fp.value->hex;
    }
    // The tokens are the text's own (its leading comments cut off above): normalize need not scan
    // it again, and reads the constants off the tree (issue 17: each new shape parsed once).
    if (auto n = scanned ? normalize(text, tokens, *tree.value) : normalize(text))
        shape.normalized = shown_form(*n.value, shape.kind);
    fit(shape);
    result.shape = std::move(shape);
    return result;
}

// The tokens of `span` of a text scanned whole, offsets from the span's start, when
// they are what a scan of the span alone gives: no token crosses its ends.
Parsed<std::vector<Token>> tokens_of_span(const Parsed<std::vector<Token>>& whole, const StatementSpan& span) {
    Parsed<std::vector<Token>> out;
    if (!whole) return out;
    const std::size_t end = span.offset + span.length;
    std::vector<Token> tokens;
    for (const Token& t : *whole.value) {
        if (t.end <= span.offset || t.start >= end) continue;
        if (t.start < span.offset || t.end > end) return out;
        tokens.push_back({t.start - span.offset, t.end - span.offset, t.kind, t.ascii});
    }
    out.value = std::move(tokens);
    return out;
}

// Shape the statements of one NUL-free segment of the input. A segment that may be
// one statement is scanned once: the scan tells whether libpg_query must split it
// (a ';' token before its end), and a single statement is shaped with the same
// tokens (issue 17: each new shape scanned once).
void shape_segment(std::string_view whole, std::size_t base, std::size_t size, std::vector<ShapeResult>& out,
                   const Fingerprint* known, const StatementTree* parsed) {
    const std::string_view segment = whole.substr(base, size);
    // A ';' before the statement's last character: most likely several statements, which
    // libpg_query splits and each span scans on its own (no scan of the whole first).
    const std::size_t last = segment.find_last_not_of(" \t\r\n\f\v;");
    const bool maybe_one = last == std::string_view::npos || segment.find(';') > last;
    const auto scanned = maybe_one ? scan_tokens(segment) : Parsed<std::vector<Token>>{};
    auto spans = scanned ? split_statements(segment, *scanned.value) : split_statements(segment);
    if (!spans) {
        // The scanner stopped (e.g. an unterminated quoted string): nothing
        // after that point can be split reliably.
        ShapeResult r;
        r.error = located_error(spans.error ? *spans.error : ParseError{"split failed", 0, 0, 0}, whole, base);
        out.push_back(std::move(r));
        return;
    }
    const bool one = spans.value->size() == 1;
    for (const auto& span : *spans.value) {
        if (span.offset > size) continue;
        const std::size_t length = std::min(span.length, size - span.offset);
        if (auto r = shape_span(whole, base + span.offset, length, known, parsed,
                                one ? tokens_of_span(scanned, {span.offset, length}) : Parsed<std::vector<Token>>{}))
            out.push_back(std::move(*r));
    }
}

// libpg_query expects UTF-8 (its scanner stops and its JSON output breaks on
// other bytes). Logs of LATIN1 databases carry such bytes in literals: each
// invalid byte becomes '?', which keeps every offset in place.
std::optional<std::string> utf8_sanitized(std::string_view text) {
    std::optional<std::string> fixed;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = utf8_sequence_length(text, i);
        if (n > 0) {
            i += n;
            continue;
        }
        if (!fixed) fixed.emplace(text);
        (*fixed)[i] = '?';
        ++i;
    }
    return fixed;
}

// `known`, `parsed`: the caller's fingerprint and parse tree of the input, used where a statement is all of it.
std::vector<ShapeResult> shape_all(std::string_view input, const Fingerprint* known, const StatementTree* parsed) {
    std::vector<ShapeResult> out;
    const std::optional<std::string> sanitized = utf8_sanitized(input);
    if (sanitized) {  // the caller fingerprinted and parsed other bytes
        known = nullptr;
        parsed = nullptr;
    }
    const std::string_view text = sanitized ? std::string_view(*sanitized) : input;
    // libpg_query reads C strings: a NUL byte would silently end the input.
    // Shape the text between NULs and report each run of NULs.
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t nul = text.find('\0', start);
        const std::size_t end = nul == std::string_view::npos ? text.size() : nul;
        const bool all = start == 0 && nul == std::string_view::npos;
        if (end > start) shape_segment(text, start, end - start, out, all ? known : nullptr, all ? parsed : nullptr);
        if (nul == std::string_view::npos) break;
        ShapeResult r;
        r.error = ParseError{"input contains a NUL byte", nul, 0, line_of_offset(text, nul)};
        out.push_back(std::move(r));
        start = text.find_first_not_of('\0', nul);
        if (start == std::string_view::npos) break;
    }
    return out;
}

}  // namespace

std::vector<ShapeResult> shape_statements(std::string_view input) { return shape_all(input, nullptr, nullptr); }

std::optional<std::string> shown_statement(std::string_view statement, const StatementTree* parsed) {
    auto tree = parsed ? parse_tree(*parsed, statement) : parse_tree(statement);
    if (!tree) return std::nullopt;
    const json& stmts = tree::items(*tree.value, "stmts");
    const json* stmt = stmts.empty() ? nullptr : tree::field(stmts.front(), "stmt");
    auto normalized = normalize(statement);
    if (!stmt || !normalized) return std::nullopt;
    return shown_form(*normalized.value, kind_of(tree::node(*stmt).first));
}

ShapeResult shape_statement(std::string_view statement) {
    auto all = shape_all(statement, nullptr, nullptr);
    if (!all.empty()) return std::move(all.front());
    ShapeResult r;
    r.error = ParseError{"no SQL statement in the input", 0, 0, 1};
    return r;
}

ShapeResult shape_statement(std::string_view statement, const Fingerprint& known, const StatementTree* parsed) {
    auto all = shape_all(statement, &known, parsed);
    if (!all.empty()) return std::move(all.front());
    ShapeResult r;
    r.error = ParseError{"no SQL statement in the input", 0, 0, 1};
    return r;
}

}  // namespace pgadvisor::sql
