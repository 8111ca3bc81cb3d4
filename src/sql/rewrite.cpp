#include "sql/rewrite.hpp"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <set>

namespace pgadvisor::sql {
namespace {

// A statement's protobuf parse tree, unpacked so it can be edited, with the
// one free function of each libpg_query / protobuf-c result.
class ProtoTree {
public:
    explicit ProtoTree(std::string_view sql) : text_(sql) {
        detail::note_parser_use();
        raw_ = pg_query_parse_protobuf(text_.c_str());
        if (raw_.error) {
            error_ = ParseError{raw_.error->message ? raw_.error->message : "parse error", 0, raw_.error->cursorpos,
                                line_of_offset(sql, raw_.error->cursorpos > 0 ? raw_.error->cursorpos - 1 : 0)};
            return;
        }
        msg_ = pg_query__parse_result__unpack(nullptr, raw_.parse_tree.len,
                                              reinterpret_cast<const uint8_t*>(raw_.parse_tree.data));
        if (!msg_) error_ = ParseError{"libpg_query returned an unreadable parse tree", 0, 0, 1};
    }
    ~ProtoTree() {
        if (msg_) pg_query__parse_result__free_unpacked(msg_, nullptr);
        pg_query_free_protobuf_parse_result(raw_);
    }
    ProtoTree(const ProtoTree&) = delete;
    ProtoTree& operator=(const ProtoTree&) = delete;

    const std::optional<ParseError>& error() const { return error_; }
    PgQuery__ParseResult* tree() { return msg_; }

    // The first statement's node, when it is of the wanted kind.
    PgQuery__Node* first_statement() {
        if (!msg_ || msg_->n_stmts == 0 || !msg_->stmts[0]->stmt) return nullptr;
        return msg_->stmts[0]->stmt;
    }

    Parsed<std::string> deparse() {
        Parsed<std::string> out;
        const std::size_t size = pg_query__parse_result__get_packed_size(msg_);
        std::string buffer(size, '\0');
        pg_query__parse_result__pack(msg_, reinterpret_cast<uint8_t*>(buffer.data()));
        PgQueryProtobuf pb{size, buffer.data()};
        PgQueryDeparseResult r = pg_query_deparse_protobuf(pb);
        if (r.error) out.error = ParseError{r.error->message ? r.error->message : "deparse error", 0, 0, 1};
        else out.value = std::string(r.query ? r.query : "");
        pg_query_free_deparse_result(r);
        return out;
    }

private:
    std::string text_;
    PgQueryProtobufParseResult raw_{};
    PgQuery__ParseResult* msg_ = nullptr;
    std::optional<ParseError> error_;
};

// Visit every message of a tree, parents first, through protobuf-c's
// descriptors: no list of node types to keep in step with libpg_query.
void visit(ProtobufCMessage* msg, const std::function<void(ProtobufCMessage*)>& fn) {
    if (!msg) return;
    fn(msg);
    const ProtobufCMessageDescriptor* d = msg->descriptor;
    auto* base = reinterpret_cast<char*>(msg);
    for (unsigned i = 0; i < d->n_fields; ++i) {
        const ProtobufCFieldDescriptor& f = d->fields[i];
        if (f.type != PROTOBUF_C_TYPE_MESSAGE) continue;
        if (f.flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
            // Only the member the oneof's case names is set.
            if (*reinterpret_cast<uint32_t*>(base + f.quantifier_offset) != f.id) continue;
        }
        if (f.label == PROTOBUF_C_LABEL_REPEATED) {
            const std::size_t n = *reinterpret_cast<std::size_t*>(base + f.quantifier_offset);
            auto** items = *reinterpret_cast<ProtobufCMessage***>(base + f.offset);
            for (std::size_t k = 0; k < n; ++k) visit(items[k], fn);
        } else {
            visit(*reinterpret_cast<ProtobufCMessage**>(base + f.offset), fn);
        }
    }
}

bool is_param_at(const PgQuery__Node* n, int location) {
    return n && n->node_case == PG_QUERY__NODE__NODE_PARAM_REF && n->param_ref->location == location;
}

// Every identifier double-quoted: the template is parsed, and the deparser
// then writes each name with exactly the quoting PostgreSQL needs.
std::string quoted(const std::string& name) {
    std::string out = "\"";
    for (char c : name) {
        out += c;
        if (c == '"') out += '"';
    }
    return out + "\"";
}

}  // namespace

Parsed<std::string> deparse(std::string_view statement) {
    ProtoTree tree(statement);
    if (tree.error()) return {std::nullopt, tree.error()};
    return tree.deparse();
}

namespace {

bool is_op(const PgQuery__AExpr* e, std::string_view op) {
    return e->kind == PG_QUERY__A__EXPR__KIND__AEXPR_OP && e->n_name == 1 &&
           e->name[0]->node_case == PG_QUERY__NODE__NODE_STRING && op == e->name[0]->string->sval;
}

bool is_param(const PgQuery__Node* n) { return n && n->node_case == PG_QUERY__NODE__NODE_PARAM_REF; }

// `col = $k` with $k at operand_location, turned so that $k is on the right.
PgQuery__AExpr* find_lookup(ProtoTree& tree, int operand_location) {
    PgQuery__AExpr* found = nullptr;
    visit(&tree.tree()->base, [&](ProtobufCMessage* m) {
        if (found || m->descriptor != &pg_query__a__expr__descriptor) return;
        auto* e = reinterpret_cast<PgQuery__AExpr*>(m);
        if (!is_op(e, "=")) return;
        if (is_param_at(e->lexpr, operand_location)) std::swap(e->lexpr, e->rexpr);
        if (is_param_at(e->rexpr, operand_location) && e->lexpr &&
            e->lexpr->node_case == PG_QUERY__NODE__NODE_COLUMN_REF)
            found = e;
    });
    return found;
}

// A SELECT whose rows for many keys are the union of its rows for each key:
// nothing in it is computed over the rows of one call.
bool rows_are_per_row(const PgQuery__SelectStmt* s) {
    if (s->op != PG_QUERY__SET_OPERATION__SETOP_NONE || s->n_group_clause || s->having_clause || s->n_distinct_clause ||
        s->limit_count || s->limit_offset || s->n_window_clause)
        return false;
    bool calls_function = false;
    for (std::size_t i = 0; i < s->n_target_list; ++i)
        visit(&s->target_list[i]->base, [&](ProtobufCMessage* m) {
            if (m->descriptor == &pg_query__func_call__descriptor) calls_function = true;
        });
    return !calls_function;
}

// Removes `node` from the WHERE clause when it is the clause or one of its
// top-level AND-ed conjuncts; false when it sits deeper.
bool remove_conjunct(PgQuery__SelectStmt* s, const PgQuery__Node* node) {
    PgQuery__Node* where = s->where_clause;
    if (where == node) {
        pg_query__node__free_unpacked(where, nullptr);
        s->where_clause = nullptr;
        return true;
    }
    if (!where || where->node_case != PG_QUERY__NODE__NODE_BOOL_EXPR ||
        where->bool_expr->boolop != PG_QUERY__BOOL_EXPR_TYPE__AND_EXPR)
        return false;
    PgQuery__BoolExpr* all = where->bool_expr;
    for (std::size_t i = 0; i < all->n_args; ++i) {
        if (all->args[i] != node) continue;
        pg_query__node__free_unpacked(all->args[i], nullptr);
        std::copy(all->args + i + 1, all->args + all->n_args, all->args + i);
        --all->n_args;
        return true;
    }
    return false;
}

// Drops `$m = $n` where both stood for constants whose logged values are equal
// (an ORM's `1=1`); an error when such a comparison cannot be shown to hold.
std::optional<std::string> drop_constant_tautologies(PgQuery__SelectStmt* s, const BatchOptions& o) {
    if (o.first_constant_param <= 0 || !s->where_clause) return std::nullopt;
    auto value = [&](const PgQuery__Node* n) -> const std::optional<std::string>* {
        const int k = n->param_ref->number;
        if (k < o.first_constant_param || k > static_cast<int>(o.param_values.size())) return nullptr;
        return &o.param_values[static_cast<std::size_t>(k - 1)];
    };
    std::vector<PgQuery__Node*> tautologies;
    std::optional<std::string> error;
    auto scan = [&](PgQuery__Node* n) {
        if (!n || n->node_case != PG_QUERY__NODE__NODE_A_EXPR || !is_op(n->a_expr, "=")) return;
        if (!is_param(n->a_expr->lexpr) || !is_param(n->a_expr->rexpr)) return;
        const int first = std::min(n->a_expr->lexpr->param_ref->number, n->a_expr->rexpr->param_ref->number);
        if (first < o.first_constant_param) return;  // the application's own parameters
        const auto* a = value(n->a_expr->lexpr);
        const auto* b = value(n->a_expr->rexpr);
        if (a && b && a->has_value() && b->has_value() && **a == **b) tautologies.push_back(n);
        else error = "a comparison of two constants whose logged values do not show it always holds";
    };
    scan(s->where_clause);
    if (s->where_clause->node_case == PG_QUERY__NODE__NODE_BOOL_EXPR)
        for (std::size_t i = 0; i < s->where_clause->bool_expr->n_args; ++i) scan(s->where_clause->bool_expr->args[i]);
    if (error) return error;
    for (PgQuery__Node* n : tautologies)
        if (!remove_conjunct(s, n)) return "a comparison of two constants inside an OR or a subexpression";
    return std::nullopt;
}

// $n numbered 1..N in order of their old numbers: a statement with a gap does not prepare.
// Gives the old number of each new one (index new - 1).
std::vector<int> renumber_params(ProtobufCMessage* root) {
    std::map<int, int> numbers;
    visit(root, [&](ProtobufCMessage* m) {
        if (m->descriptor == &pg_query__param_ref__descriptor)
            numbers.emplace(reinterpret_cast<PgQuery__ParamRef*>(m)->number, 0);
    });
    int next = 0;
    for (auto& [old, renumbered] : numbers) renumbered = ++next;
    visit(root, [&](ProtobufCMessage* m) {
        if (m->descriptor == &pg_query__param_ref__descriptor) {
            auto* p = reinterpret_cast<PgQuery__ParamRef*>(m);
            p->number = numbers[p->number];
        }
    });
    std::vector<int> origin;
    for (const auto& entry : numbers) origin.push_back(entry.first);
    return origin;
}

std::vector<std::string> field_names(const PgQuery__ColumnRef* c) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < c->n_fields; ++i)
        out.push_back(c->fields[i]->node_case == PG_QUERY__NODE__NODE_STRING ? c->fields[i]->string->sval : "*");
    return out;
}

std::string column_text(const std::vector<std::string>& fields) {
    std::string out;
    for (const auto& f : fields) out += (out.empty() ? "" : ".") + quoted(f);
    return out;
}

// The SELECT list already returns the key: `*`, `key's table.*`, or the column itself.
bool selects_key(const PgQuery__SelectStmt* s, const std::vector<std::string>& key) {
    for (std::size_t i = 0; i < s->n_target_list; ++i) {
        const PgQuery__ResTarget* t = s->target_list[i]->res_target;
        if (!t || !t->val || t->val->node_case != PG_QUERY__NODE__NODE_COLUMN_REF) continue;
        const auto fields = field_names(t->val->column_ref);
        if (fields == key) return true;
        if (fields.back() != "*") continue;
        if (fields.size() == 1) return true;
        if (fields.size() == 2 && key.size() >= 2 && fields[0] == key[key.size() - 2]) return true;
    }
    return false;
}

// Appends `key` to the SELECT list (parsed from a template, grafted on).
bool add_key_to_select(PgQuery__SelectStmt* s, const std::vector<std::string>& key) {
    ProtoTree donor("SELECT " + column_text(key));
    if (donor.error()) return false;
    PgQuery__SelectStmt* d = donor.first_statement()->select_stmt;
    auto** list = static_cast<PgQuery__Node**>(
        realloc(s->target_list, (s->n_target_list + 1) * sizeof(PgQuery__Node*)));
    if (!list) return false;
    s->target_list = list;
    s->target_list[s->n_target_list++] = d->target_list[0];
    d->n_target_list = 0;  // the node now belongs to s
    return true;
}

Parsed<BatchedLookup> refuse(std::string why) { return {std::nullopt, ParseError{std::move(why), 0, 0, 1}}; }

// `col = $k` becomes `col = ANY($k)`, and the key joins the SELECT list.
Parsed<BatchedLookup> any_array(ProtoTree& tree, PgQuery__AExpr* lookup, PgQuery__SelectStmt* select) {
    lookup->kind = PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY;
    BatchedLookup out{"", BatchForm::AnyArray, {}, BatchedLookup::KeyColumn::InRow};
    if (select) {
        const auto key = field_names(lookup->lexpr->column_ref);
        if (!selects_key(select, key)) {
            if (!add_key_to_select(select, key)) return refuse("the key column could not be added to the SELECT list");
            out.key_column = BatchedLookup::KeyColumn::Last;
        }
    }
    auto text = tree.deparse();
    if (!text) return {std::nullopt, text.error};
    out.sql = *text.value;
    return {std::move(out), std::nullopt};
}

// The statement once per key: `col = "pgadvisor_keys"."key"` inside a lateral
// join over the array's elements.
Parsed<BatchedLookup> lateral_per_key(ProtoTree& tree, PgQuery__AExpr* lookup, const std::string& key_type) {
    if (key_type.empty())
        return refuse("the key column's type is not known (no schema), so unnest($n) cannot be typed");
    const int k = lookup->rexpr->param_ref->number;
    ProtoTree donor("SELECT \"pgadvisor_keys\".\"key\"");
    if (donor.error()) return {std::nullopt, donor.error()};
    PgQuery__ResTarget* rt = donor.first_statement()->select_stmt->target_list[0]->res_target;
    pg_query__node__free_unpacked(lookup->rexpr, nullptr);
    lookup->rexpr = rt->val;
    rt->val = nullptr;  // now owned by the statement's tree
    auto inner = tree.deparse();
    if (!inner) return {std::nullopt, inner.error};
    const std::string outer = "SELECT \"pgadvisor_keys\".\"key\", \"per_key\".* FROM unnest($" + std::to_string(k) +
                              "::" + key_type + "[]) AS \"pgadvisor_keys\"(\"key\") CROSS JOIN LATERAL (" +
                              *inner.value + ") AS \"per_key\"";
    ProtoTree whole(outer);
    if (whole.error()) return refuse("the per-key statement does not parse (key type " + key_type + ")");
    auto text = whole.deparse();
    if (!text) return {std::nullopt, text.error};
    return {BatchedLookup{*text.value, BatchForm::LateralPerKey, {}, BatchedLookup::KeyColumn::First}, std::nullopt};
}

}  // namespace

Parsed<BatchedLookup> batch_lookup(std::string_view normalized_statement, const BatchOptions& options) {
    ProtoTree tree(normalized_statement);
    if (tree.error()) return {std::nullopt, tree.error()};
    PgQuery__Node* stmt = tree.first_statement();
    PgQuery__SelectStmt* select = stmt && stmt->node_case == PG_QUERY__NODE__NODE_SELECT_STMT ? stmt->select_stmt
                                                                                              : nullptr;
    PgQuery__AExpr* lookup = find_lookup(tree, options.operand_location);
    if (!lookup) return refuse("no `column = $n` comparison at that place in the statement");
    std::vector<int> origin;
    Parsed<BatchedLookup> out;
    if (select) {
        if (auto why = drop_constant_tautologies(select, options)) return refuse(*why);
        origin = renumber_params(&tree.tree()->base);
        if (!rows_are_per_row(select)) out = lateral_per_key(tree, lookup, options.key_type);
    }
    if (!out.value && !out.error) out = any_array(tree, lookup, select);
    if (out.value) {
        if (!select) {  // not renumbered: each $n is its own
            int highest = 0;
            visit(&tree.tree()->base, [&](ProtobufCMessage* m) {
                if (m->descriptor == &pg_query__param_ref__descriptor)
                    highest = std::max(highest, reinterpret_cast<PgQuery__ParamRef*>(m)->number);
            });
            for (int n = 1; n <= highest; ++n) origin.push_back(n);
        }
        out.value->origin = std::move(origin);
    }
    return out;
}

namespace {

int max_param(ProtobufCMessage* root) {
    int n = 0;
    visit(root, [&](ProtobufCMessage* m) {
        if (m->descriptor == &pg_query__param_ref__descriptor)
            n = std::max(n, reinterpret_cast<PgQuery__ParamRef*>(m)->number);
    });
    return n;
}

PgQuery__Node* string_node(const std::string& value) {
    auto* n = static_cast<PgQuery__Node*>(malloc(sizeof(PgQuery__Node)));
    pg_query__node__init(n);
    n->node_case = PG_QUERY__NODE__NODE_STRING;
    n->string = static_cast<PgQuery__String*>(malloc(sizeof(PgQuery__String)));
    pg_query__string__init(n->string);
    n->string->sval = strdup(value.c_str());
    return n;
}

// The SET expression of `column` in an UPDATE, as SQL text over the existing
// row (`table.col`) with its $n shifted by param_offset; nullopt when the
// UPDATE sets the column to something that reads no column (then EXCLUDED.col
// says the same) or does not set it.
std::optional<std::string> self_referencing_set(ProtoTree& update, const std::string& column, const std::string& table,
                                                int param_offset) {
    PgQuery__Node* stmt = update.first_statement();
    if (!stmt || stmt->node_case != PG_QUERY__NODE__NODE_UPDATE_STMT) return std::nullopt;
    PgQuery__UpdateStmt* u = stmt->update_stmt;
    for (std::size_t i = 0; i < u->n_target_list; ++i) {
        PgQuery__Node* t = u->target_list[i];
        if (t->node_case != PG_QUERY__NODE__NODE_RES_TARGET || !t->res_target->name || column != t->res_target->name ||
            !t->res_target->val)
            continue;
        bool reads_row = false;
        visit(&t->res_target->val->base, [&](ProtobufCMessage* m) {
            if (m->descriptor == &pg_query__column_ref__descriptor) reads_row = true;
        });
        if (!reads_row) return std::nullopt;
        // Every column reference to the existing row, by the table's name (its
        // alias, if the UPDATE had one, means nothing in the INSERT); its $n
        // become the next numbers after the INSERT's, in order of appearance.
        std::map<int, int> renumbered;
        visit(&t->res_target->val->base, [&](ProtobufCMessage* m) {
            if (m->descriptor == &pg_query__param_ref__descriptor) {
                auto* p = reinterpret_cast<PgQuery__ParamRef*>(m);
                auto [it, fresh] = renumbered.try_emplace(p->number,
                                                          param_offset + static_cast<int>(renumbered.size()) + 1);
                p->number = it->second;
            } else if (m->descriptor == &pg_query__column_ref__descriptor) {
                auto* c = reinterpret_cast<PgQuery__ColumnRef*>(m);
                if (c->n_fields == 2) {
                    pg_query__node__free_unpacked(c->fields[0], nullptr);
                    c->fields[0] = string_node(table);
                } else if (c->n_fields == 1) {
                    auto** fields = static_cast<PgQuery__Node**>(malloc(2 * sizeof(PgQuery__Node*)));
                    fields[0] = string_node(table);
                    fields[1] = c->fields[0];
                    free(c->fields);
                    c->fields = fields;
                    c->n_fields = 2;
                }
            }
        });
        // Deparsed alone as the target of a SELECT: libpg_query has no expression deparser.
        ProtoTree select("SELECT 1");
        if (select.error()) return std::nullopt;
        PgQuery__ResTarget* rt = select.first_statement()->select_stmt->target_list[0]->res_target;
        pg_query__node__free_unpacked(rt->val, nullptr);
        rt->val = t->res_target->val;
        t->res_target->val = nullptr;  // now owned by the SELECT's tree
        auto text = select.deparse();
        if (!text.value || text.value->rfind("SELECT ", 0) != 0) return std::nullopt;
        return text.value->substr(7);
    }
    return std::nullopt;
}

}  // namespace

namespace {

// The column a RETURNING item names when it is a plain column ("*" for a star), else "".
std::string returned_column(const PgQuery__Node* item) {
    if (!item || item->node_case != PG_QUERY__NODE__NODE_RES_TARGET || !item->res_target->val) return "";
    const PgQuery__Node* v = item->res_target->val;
    if (v->node_case != PG_QUERY__NODE__NODE_COLUMN_REF || v->column_ref->n_fields == 0) return "";
    const PgQuery__Node* last = v->column_ref->fields[v->column_ref->n_fields - 1];
    if (last->node_case == PG_QUERY__NODE__NODE_A_STAR) return "*";
    return last->node_case == PG_QUERY__NODE__NODE_STRING ? last->string->sval : "";
}

// The donor's RETURNING items move to the target: all of them when the INSERT
// had none, else those it does not return yet (the INSERT's own stay first, so
// the application reads what it read before). The arrays are protobuf-c's, malloc'd.
void graft_returning(PgQuery__InsertStmt& target, PgQuery__InsertStmt& source) {
    if (source.n_returning_list == 0) return;
    std::vector<PgQuery__Node*> keep(target.returning_list, target.returning_list + target.n_returning_list);
    std::set<std::string> have;
    for (auto* item : keep) have.insert(returned_column(item));
    std::vector<PgQuery__Node*> left;  // the donor's items not moved: freed with the donor
    for (std::size_t i = 0; i < source.n_returning_list; ++i) {
        PgQuery__Node* item = source.returning_list[i];
        const std::string column = returned_column(item);
        if (have.count("*") || have.count(column)) left.push_back(item);
        else keep.push_back(item);
    }
    auto** list = static_cast<PgQuery__Node**>(
        std::realloc(target.returning_list, keep.size() * sizeof(PgQuery__Node*)));
    if (!list) return;  // out of memory: the INSERT keeps its own RETURNING
    std::copy(keep.begin(), keep.end(), list);
    target.returning_list = list;
    target.n_returning_list = keep.size();
    std::copy(left.begin(), left.end(), source.returning_list);
    source.n_returning_list = left.size();
}

}  // namespace

Parsed<std::string> upsert_from_insert(std::string_view insert_statement,
                                       const std::vector<std::string>& conflict_columns, ConflictAction action,
                                       const std::vector<std::string>& update_columns,
                                       std::string_view update_statement, const std::vector<std::string>& returning,
                                       std::string_view conflict_where) {
    ProtoTree tree(insert_statement);
    if (tree.error()) return {std::nullopt, tree.error()};
    PgQuery__Node* stmt = tree.first_statement();
    if (!stmt || stmt->node_case != PG_QUERY__NODE__NODE_INSERT_STMT)
        return {std::nullopt, ParseError{"not an INSERT statement", 0, 0, 1}};
    if (conflict_columns.empty()) return {std::nullopt, ParseError{"no conflict columns given", 0, 0, 1}};
    if (action == ConflictAction::Update && update_columns.empty())
        return {std::nullopt, ParseError{"DO UPDATE needs at least one column to set", 0, 0, 1}};

    // The ON CONFLICT clause is parsed from a template and grafted onto the
    // statement's own tree, so PostgreSQL's grammar builds every node.
    std::string clause = "INSERT INTO t VALUES (1) ON CONFLICT (";
    for (std::size_t i = 0; i < conflict_columns.size(); ++i) clause += (i ? ", " : "") + quoted(conflict_columns[i]);
    clause += ")";
    if (!conflict_where.empty()) clause += " WHERE " + std::string(conflict_where);
    clause += " DO ";
    if (action == ConflictAction::Update) {
        std::optional<ProtoTree> update;
        if (!update_statement.empty()) update.emplace(update_statement);
        const std::string table = stmt->insert_stmt->relation && stmt->insert_stmt->relation->relname
                                      ? stmt->insert_stmt->relation->relname
                                      : "";
        const int offset = max_param(&tree.tree()->base);
        clause += "UPDATE SET ";
        for (std::size_t i = 0; i < update_columns.size(); ++i) {
            std::optional<std::string> computed;
            if (update && !update->error() && !table.empty())
                computed = self_referencing_set(*update, update_columns[i], table, offset);
            clause += (i ? ", " : "") + quoted(update_columns[i]) + " = " +
                      (computed ? *computed : "EXCLUDED." + quoted(update_columns[i]));
        }
    } else {
        clause += "NOTHING";
    }
    for (std::size_t i = 0; i < returning.size(); ++i)
        clause += (i ? ", " : " RETURNING ") + (returning[i] == "*" ? std::string("*") : quoted(returning[i]));
    ProtoTree donor(clause);
    if (donor.error()) return {std::nullopt, donor.error()};
    PgQuery__InsertStmt* target = stmt->insert_stmt;
    PgQuery__InsertStmt* source = donor.first_statement()->insert_stmt;
    if (target->on_conflict_clause) pg_query__on_conflict_clause__free_unpacked(target->on_conflict_clause, nullptr);
    target->on_conflict_clause = source->on_conflict_clause;
    source->on_conflict_clause = nullptr;  // now owned by the target tree
    graft_returning(*target, *source);
    return tree.deparse();
}

}  // namespace pgadvisor::sql
