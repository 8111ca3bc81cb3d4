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

Parsed<std::string> batch_equality_to_any(std::string_view statement, int operand_location) {
    ProtoTree tree(statement);
    if (tree.error()) return {std::nullopt, tree.error()};
    bool rewritten = false;
    visit(&tree.tree()->base, [&](ProtobufCMessage* m) {
        if (rewritten || m->descriptor != &pg_query__a__expr__descriptor) return;
        auto* e = reinterpret_cast<PgQuery__AExpr*>(m);
        if (e->kind != PG_QUERY__A__EXPR__KIND__AEXPR_OP || e->n_name != 1) return;
        const PgQuery__Node* op = e->name[0];
        if (op->node_case != PG_QUERY__NODE__NODE_STRING || std::string_view(op->string->sval) != "=") return;
        if (is_param_at(e->lexpr, operand_location)) std::swap(e->lexpr, e->rexpr);  // ANY must be on the right
        if (!is_param_at(e->rexpr, operand_location)) return;
        e->kind = PG_QUERY__A__EXPR__KIND__AEXPR_OP_ANY;
        rewritten = true;
    });
    if (!rewritten)
        return {std::nullopt, ParseError{"no `column = $n` comparison at that place in the statement", 0, 0, 1}};
    return tree.deparse();
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
std::optional<std::string> self_referencing_set(ProtoTree& update, const std::string& column,
                                                const std::string& table, int param_offset) {
    PgQuery__Node* stmt = update.first_statement();
    if (!stmt || stmt->node_case != PG_QUERY__NODE__NODE_UPDATE_STMT) return std::nullopt;
    PgQuery__UpdateStmt* u = stmt->update_stmt;
    for (std::size_t i = 0; i < u->n_target_list; ++i) {
        PgQuery__Node* t = u->target_list[i];
        if (t->node_case != PG_QUERY__NODE__NODE_RES_TARGET || !t->res_target->name ||
            column != t->res_target->name || !t->res_target->val)
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
                auto [it, fresh] = renumbered.try_emplace(p->number, param_offset + static_cast<int>(renumbered.size()) + 1);
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

Parsed<std::string> upsert_from_insert(std::string_view insert_statement,
                                       const std::vector<std::string>& conflict_columns, ConflictAction action,
                                       const std::vector<std::string>& update_columns,
                                       std::string_view update_statement) {
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
    clause += ") DO ";
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
    ProtoTree donor(clause);
    if (donor.error()) return {std::nullopt, donor.error()};
    PgQuery__InsertStmt* target = stmt->insert_stmt;
    PgQuery__InsertStmt* source = donor.first_statement()->insert_stmt;
    if (target->on_conflict_clause) pg_query__on_conflict_clause__free_unpacked(target->on_conflict_clause, nullptr);
    target->on_conflict_clause = source->on_conflict_clause;
    source->on_conflict_clause = nullptr;  // now owned by the target tree
    return tree.deparse();
}

}  // namespace pgadvisor::sql
