#include "sql/plpgsql.hpp"

#include <pg_query.h>

#include <nlohmann/json.hpp>

#include "sql/parse_tree.hpp"
#include "sql/shape.hpp"
#include "sql/text.hpp"

namespace pgadvisor::sql {
namespace {

using nlohmann::json;

// The one owner of a PL/pgSQL parse result (its one free function).
class OwnedPlpgsqlParse {
public:
    explicit OwnedPlpgsqlParse(const std::string& text) : result_(pg_query_parse_plpgsql(text.c_str())) {}
    ~OwnedPlpgsqlParse() { pg_query_free_plpgsql_parse_result(result_); }
    OwnedPlpgsqlParse(const OwnedPlpgsqlParse&) = delete;
    OwnedPlpgsqlParse& operator=(const OwnedPlpgsqlParse&) = delete;
    const PgQueryPlpgsqlParseResult* operator->() const { return &result_; }

private:
    PgQueryPlpgsqlParseResult result_;
};

struct Routine {
    std::string name;
    bool plpgsql = false;
};

// The language a CREATE FUNCTION's options or a DO's args name ("" when none).
std::string language_of(const json& defelems) {
    for (const auto& d : defelems)
        if (const json* de = tree::node_as(d, "DefElem"); de && tree::text(*de, "defname") == "language")
            if (const json* arg = tree::field(*de, "arg")) return tree::string_node(*arg);
    return "";
}

// The CREATE FUNCTION / PROCEDURE and DO statements of the text, in order:
// pg_query_parse_plpgsql gives one function for each of them, in this order
// (an empty one for another language).
std::vector<Routine> routines_of(const json& tree_root) {
    std::vector<Routine> out;
    for (const auto& raw : tree::items(tree_root, "stmts")) {
        const json& stmt = tree::object(raw, "stmt");
        if (const json* f = tree::node_as(stmt, "CreateFunctionStmt")) {
            out.push_back({join(tree::strings(tree::items(*f, "funcname")), "."),
                           language_of(tree::items(*f, "options")) == "plpgsql"});
        } else if (const json* d = tree::node_as(stmt, "DoStmt")) {
            const std::string language = language_of(tree::items(*d, "args"));
            out.push_back({"DO", language.empty() || language == "plpgsql"});
        }
    }
    return out;
}

// How deep the walks below go into a function's JSON: a body nested deeper
// (hundreds of blocks inside blocks, never an ORM's) is read down to there
// only, so that no input can exhaust the stack.
constexpr int kMaxDepth = 400;

// Every PLpgSQL_stmt_execsql's query text below `n`, in body order.
void collect_queries(const json& n, std::vector<std::string>& out, int depth = 0) {
    if (depth > kMaxDepth) return;
    if (const json* exec = tree::node_as(n, "PLpgSQL_stmt_execsql")) {
        if (const json* expr = tree::node_as(tree::object(*exec, "sqlstmt"), "PLpgSQL_expr"))
            out.push_back(tree::text(*expr, "query"));
        return;
    }
    if (n.is_object() || n.is_array())
        for (const auto& child : n) collect_queries(child, out, depth + 1);
}

bool catches_unique_violation(const json& n, int depth = 0) {
    if (depth > kMaxDepth) return false;
    if (const json* c = tree::node_as(n, "PLpgSQL_condition")) return tree::text(*c, "condname") == "unique_violation";
    if (n.is_object() || n.is_array())
        for (const auto& child : n)
            if (catches_unique_violation(child, depth + 1)) return true;
    return false;
}

}  // namespace

std::vector<BodyStatement> plpgsql_body_statements(std::string_view text) {
    std::vector<BodyStatement> out;
    auto tree_root = parse_tree(text);
    if (!tree_root) return out;
    const std::vector<Routine> routines = routines_of(*tree_root.value);
    if (routines.empty()) return out;
    detail::note_parser_use();
    const OwnedPlpgsqlParse parsed{std::string(text)};
    if (parsed->error || !parsed->plpgsql_funcs) return out;
    const json functions = json::parse(parsed->plpgsql_funcs, nullptr, /*allow_exceptions=*/false);
    if (!functions.is_array() || functions.size() != routines.size()) return out;
    for (std::size_t i = 0; i < routines.size(); ++i) {
        if (!routines[i].plpgsql) continue;
        std::vector<std::string> queries;
        collect_queries(functions[i], queries);
        const bool catches = catches_unique_violation(functions[i]);
        for (const auto& q : queries) {
            auto shaped = shape_statement(q);
            if (shaped.shape) out.push_back({routines[i].name, catches, std::move(*shaped.shape)});
        }
    }
    return out;
}

bool may_hold_plpgsql_body(const QueryShape& shape) {
    return shape.node_type == "CreateFunctionStmt" || shape.node_type == "DoStmt";
}

}  // namespace pgadvisor::sql
