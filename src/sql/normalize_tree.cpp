// pg_query_normalize's text from a parse already made (issue 17: each new shape
// parsed once). pg_query_normalize parses the statement again, walks the raw tree
// for constants (const_record_walker, pg_query_normalize.c), numbers them in the
// order it walks, finds where each ends with the scanner, and writes $n over
// them. This file takes the same walk over the JSON tree of that raw tree, in the
// walker's order (raw_expression_tree_walker, nodeFuncs.c, PostgreSQL 15), and
// the ends from the scan the shape builder has. Where it could differ from
// pg_query_normalize it says so (no text), and the caller asks libpg_query:
// statements other than SELECT / INSERT / UPDATE / DELETE, node types it does not
// list, GROUP BY items with constants (pg_query_normalize matches them to the
// SELECT list by fingerprint), a constant twice at one place, U&'' strings.
// tests/sql/normalize_tree_test.cpp compares both over every corpus statement.

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sql/parse_tree.hpp"
#include "sql/typed_literals.hpp"

namespace pgadvisor::sql {
namespace {

using tree::json;

// One field of a node as the walker visits it. The JSON writer wraps a field
// typed Node* ({"A_Const":{...}}) but not one typed with a struct (SelectStmt's
// withClause is {"ctes":[...]}): `body` names that struct, and "-" a field
// that holds no constant the walker records (Alias, RangeVar, TypeName).
struct Field {
    std::string_view name;
    std::string_view body = {};
};

// Each node type's fields in the order raw_expression_tree_walker visits them
// (the JSON writer's order differs: SelectStmt's sortClause, JoinExpr's quals).
// A node type missing here makes the walk unsure.
const std::unordered_map<std::string_view, std::vector<Field>>& walked_fields() {
    static const std::unordered_map<std::string_view, std::vector<Field>> fields = {
        // Nothing below them holds a constant the walker records.
        {"SetToDefault", {}},
        {"SQLValueFunction", {}},
        {"A_Star", {}},
        {"ColumnRef", {}},
        {"String", {}},
        {"RangeVar", {}},
        {"GroupingFunc", {{"args"}}},
        {"SubLink", {{"testexpr"}, {"subselect"}}},
        {"CaseExpr", {{"arg"}, {"args"}, {"defresult"}}},
        {"CaseWhen", {{"expr"}, {"result"}}},  // walked by CaseExpr in this order
        {"RowExpr", {{"args"}}},
        {"CoalesceExpr", {{"args"}}},
        {"MinMaxExpr", {{"args"}}},
        {"NullTest", {{"arg"}}},
        {"BooleanTest", {{"arg"}}},
        {"JoinExpr", {{"larg"}, {"rarg"}, {"quals"}, {"alias", "-"}}},
        {"InsertStmt",
         {{"relation", "-"},
          {"cols"},
          {"selectStmt"},
          {"onConflictClause", "OnConflictClause"},
          {"returningList"},
          {"withClause", "WithClause"}}},
        {"DeleteStmt",
         {{"relation", "-"}, {"usingClause"}, {"whereClause"}, {"returningList"}, {"withClause", "WithClause"}}},
        {"UpdateStmt",
         {{"relation", "-"},
          {"targetList"},
          {"whereClause"},
          {"fromClause"},
          {"returningList"},
          {"withClause", "WithClause"}}},
        {"A_Expr", {{"lexpr"}, {"rexpr"}}},
        {"BoolExpr", {{"args"}}},
        {"FuncCall", {{"args"}, {"agg_order"}, {"agg_filter"}, {"over", "WindowDef"}}},
        {"NamedArgExpr", {{"arg"}}},
        {"A_Indices", {{"lidx"}, {"uidx"}}},
        {"A_Indirection", {{"arg"}, {"indirection"}}},
        {"A_ArrayExpr", {{"elements"}}},
        {"ResTarget", {{"indirection"}, {"val"}}},
        {"MultiAssignRef", {{"source"}}},
        {"TypeCast", {{"arg"}, {"typeName", "-"}}},
        {"CollateClause", {{"arg"}}},
        {"SortBy", {{"node"}}},
        {"WindowDef", {{"partitionClause"}, {"orderClause"}, {"startOffset"}, {"endOffset"}}},
        {"RangeSubselect", {{"subquery"}, {"alias", "-"}}},
        {"IndexElem", {{"expr"}}},
        {"GroupingSet", {{"content"}}},
        {"LockingClause", {{"lockedRels"}}},
        {"WithClause", {{"ctes"}}},
        {"InferClause", {{"indexElems"}, {"whereClause"}}},
        {"OnConflictClause", {{"infer", "InferClause"}, {"targetList"}, {"whereClause"}}},
        {"CommonTableExpr", {{"ctequery"}}},
        {"List", {{"items"}}},
    };
    return fields;
}

struct Constant {
    int location = 0;
    int nth = 0;  // the n-th constant recorded: $(the statement's highest own $n + nth)
};

class ConstantWalk {
public:
    // False when the walk cannot be sure to match pg_query_normalize's.
    bool statement(const json& stmt) {
        auto [type, body] = tree::node(stmt);
        if (!body || (type != "SelectStmt" && type != "InsertStmt" && type != "UpdateStmt" && type != "DeleteStmt"))
            return false;
        return walk(stmt);
    }

    const std::vector<Constant>& constants() const { return constants_; }
    int highest_parameter() const { return highest_parameter_; }

private:
    std::vector<Constant> constants_;
    int next_id_ = 1;
    int highest_parameter_ = 0;

    void record(const json& a_const) {
        // The JSON writer leaves out a location of 0; -1 (unknown) is not recorded.
        const int location = tree::integer(a_const, "location", 0);
        if (location < 0) return;
        constants_.push_back({location, next_id_});
        ++next_id_;
    }

    // A field's value: a node, a list of nodes, or nothing.
    bool walk_value(const json& v) {
        if (v.is_array()) {
            for (const json& item : v)
                if (!walk(item)) return false;
            return true;
        }
        return !v.is_object() || walk(v);
    }

    bool walk_fields(const json& body, const std::vector<Field>& fields) {
        for (const Field& f : fields) {
            const json* v = tree::field(body, f.name);
            if (!v || f.body == "-") continue;
            if (!(f.body.empty() ? walk_value(*v) : walk_body(f.body, *v))) return false;
        }
        return true;
    }

    // A struct-typed field's value, written without its type: walked as that type's node.
    bool walk_body(std::string_view type, const json& body) {
        if (!body.is_object()) return false;
        if (type == "SelectStmt") return select(body);
        const auto& fields = walked_fields();
        auto it = fields.find(type);
        return it != fields.end() && walk_fields(body, it->second);
    }

    bool walk(const json& n) {
        // A NULL in a list: the JSON writes SELECT DISTINCT's one-NULL list as [{}].
        if (n.is_object() && n.empty()) return true;
        auto [type, body] = tree::node(n);
        if (!body) return false;
        if (type == "A_Const") {
            record(*body);
            return true;
        }
        if (type == "ParamRef") {
            highest_parameter_ = std::max(highest_parameter_, tree::integer(*body, "number"));
            return true;
        }
        if (type == "TypeName") return true;  // constants in typmods and array bounds stay as written
        return walk_body(type, *body);
    }

    static bool is_integer_constant(const json& n) {
        const json* c = tree::node_as(n, "A_Const");
        return c && tree::field(*c, "ival");
    }

    // const_record_walker's own order for SELECT, with GROUP BY 1 and ORDER BY 1 left as written.
    bool select(const json& s) {
        if (tree::field(s, "intoClause")) return false;  // SELECT INTO: not a query pgadvisor shapes
        if (!walk_fields(s, {{"distinctClause"}, {"targetList"}, {"fromClause"}, {"whereClause"}})) return false;
        for (const json& item : tree::items(s, "groupClause")) {
            if (is_integer_constant(item)) continue;
            const std::size_t before = constants_.size();
            if (!walk(item)) return false;
            // pg_query_normalize gives such an item the numbers of the SELECT list item
            // with its fingerprint: not followed here.
            if (constants_.size() != before) return false;
        }
        for (const json& item : tree::items(s, "sortClause")) {
            const json* sort_by = tree::node_as(item, "SortBy");
            if (sort_by && tree::field(*sort_by, "node") && is_integer_constant(*tree::field(*sort_by, "node")))
                continue;
            if (!walk(item)) return false;
        }
        return walk_fields(s, {{"havingClause"},
                               {"windowClause"},
                               {"valuesLists"},
                               {"limitOffset"},
                               {"limitCount"},
                               {"lockingClause"},
                               {"withClause", "WithClause"},
                               {"larg", "SelectStmt"},
                               {"rarg", "SelectStmt"}});
    }
};

// Where each constant ends, as fill_in_constant_lengths finds it: the first token
// at or after its location, the one after a leading '-'. nullopt when unsure.
std::optional<std::vector<std::pair<int, int>>> constant_spans(std::string_view sql, std::vector<Constant>& constants,
                                                               const std::vector<Token>& tokens) {
    std::sort(constants.begin(), constants.end(),
              [](const Constant& a, const Constant& b) { return a.location < b.location; });
    std::vector<std::pair<int, int>> spans;  // start, end
    std::size_t t = 0;
    for (std::size_t i = 0; i < constants.size(); ++i) {
        const auto location = static_cast<std::size_t>(constants[i].location);
        // Two constants at one place: which number pg_query_normalize keeps depends on its sort.
        if (i > 0 && constants[i - 1].location == constants[i].location) return std::nullopt;
        while (t < tokens.size() && (tokens[t].kind == TokenKind::Comment || tokens[t].start < location)) ++t;
        if (t == tokens.size() || location >= sql.size()) return std::nullopt;
        std::size_t end = tokens[t].end;
        if (sql[location] == '-') {
            // "-5": the number is the next token. With anything between them ("- /* c */ 5")
            // libpg_query's length is not that token's end.
            if (t + 1 == tokens.size() || tokens[t + 1].start != tokens[t].end) return std::nullopt;
            end = tokens[t + 1].end;
        }
        // U&'...' strings: the scanner's end there is not the token's (pg_query_normalize trims it).
        if (sql[location] == 'u' || sql[location] == 'U') return std::nullopt;
        if (end <= location) return std::nullopt;
        spans.emplace_back(static_cast<int>(location), static_cast<int>(end));
    }
    return spans;
}

}  // namespace

std::optional<std::string> normalized_from_tree(std::string_view sql, const std::vector<Token>& tokens,
                                                const nlohmann::json& parse_tree) {
    const json& stmts = tree::items(parse_tree, "stmts");
    if (stmts.empty()) return std::nullopt;
    ConstantWalk walk;
    for (const json& raw : stmts) {
        const json* stmt = tree::field(raw, "stmt");
        if (!stmt || !walk.statement(*stmt)) return std::nullopt;
    }
    std::vector<Constant> constants = walk.constants();
    const auto spans = constant_spans(sql, constants, tokens);
    if (!spans) return std::nullopt;

    std::string out;
    out.reserve(sql.size() + constants.size() * 4);
    std::size_t copied = 0;
    for (std::size_t i = 0; i < constants.size(); ++i) {
        const auto [start, end] = (*spans)[i];
        if (static_cast<std::size_t>(start) < copied) return std::nullopt;  // spans overlap: not a case to guess at
        out.append(sql.substr(copied, static_cast<std::size_t>(start) - copied));
        const int id = walk.highest_parameter() + constants[i].nth;
        out += '$';
        out += std::to_string(id);
        copied = static_cast<std::size_t>(end);
    }
    out.append(sql.substr(copied));
    return out;
}

// A typed literal (interval '1 day') is normalized as the cast it is rewritten to,
// a text of its own: libpg_query parses that one.
Parsed<std::string> normalize(std::string_view sql, const std::vector<Token>& tokens,
                              const nlohmann::json& parse_tree) {
    if (prefix_casts_as_postfix(sql, tokens) == sql)
        if (auto n = normalized_from_tree(sql, tokens, parse_tree)) return {std::move(n), std::nullopt};
    return normalize(sql, tokens);
}

}  // namespace pgadvisor::sql
