#include "sql/canonical.hpp"

#include <cctype>
#include <map>
#include <optional>
#include <set>

#include "sql/parse_tree.hpp"
#include "sql/quote.hpp"

namespace pgadvisor::sql {
namespace {

using nlohmann::json;
using tree::last_name;
std::string str(const json& node) { return tree::string_node(node); }

std::string strip_locations(json j) {
    if (j.is_object()) {
        j.erase("location");
        for (auto& [k, v] : j.items()) v = json::parse(strip_locations(v));
    } else if (j.is_array()) {
        for (auto& v : j) v = json::parse(strip_locations(v));
    }
    return j.dump();
}

std::string list(const json& items, const char* sep = ", ") {
    std::string out;
    if (!items.is_array()) return out;
    for (const auto& i : items) out += (out.empty() ? "" : sep) + canonical_expr(i);
    return out;
}

void flatten_bool(const json& node, const std::string& op, std::vector<std::string>& out) {
    if (node.contains("BoolExpr") && node["BoolExpr"].value("boolop", "") == op) {
        for (const auto& a : node["BoolExpr"]["args"]) flatten_bool(a, op, out);
        return;
    }
    out.push_back(canonical_expr(node));
}

std::string const_text(const json& c) {
    if (c.value("isnull", false)) return "NULL";
    if (c.contains("ival")) return std::to_string(c["ival"].value("ival", 0));
    if (c.contains("fval")) return c["fval"].value("fval", "0");
    if (c.contains("boolval")) return c["boolval"].value("boolval", false) ? "true" : "false";
    if (c.contains("sval")) return quote_literal(c["sval"].value("sval", ""));
    if (c.contains("bsval")) return c["bsval"].value("bsval", "");
    return "NULL";
}

// The elements of an IN list or ANY/ALL array, every constant written as a
// quoted string: the server stores x IN (1, 2) as x = ANY ('{1,2}'::integer[])
// and x IN ('a', 'b') as ANY (ARRAY['a'::text, ...]), and both must meet the DDL's form.
std::string array_elements(const json& node) {
    std::vector<std::string> items;
    auto element = [&](const json& e) {
        const json* x = &e;
        while (x->contains("TypeCast")) x = &(*x)["TypeCast"]["arg"];
        if (x->contains("A_Const")) {
            const auto& c = (*x)["A_Const"];
            items.push_back(c.contains("sval") ? quote_literal(c["sval"].value("sval", ""))
                                               : quote_literal(const_text(c)));
        } else {
            items.push_back(canonical_expr(*x));
        }
    };
    const json* n = &node;
    while (n->contains("TypeCast")) {
        const auto& arg = (*n)["TypeCast"]["arg"];
        if (arg.contains("A_Const") && arg["A_Const"].contains("sval")) {
            // An array literal '{a,"b c"}': split on commas outside double quotes.
            const std::string lit = arg["A_Const"]["sval"].value("sval", "");
            if (lit.size() >= 2 && lit.front() == '{' && lit.back() == '}') {
                std::string cur;
                bool quoted = false;
                for (std::size_t i = 1; i + 1 < lit.size(); ++i) {
                    const char ch = lit[i];
                    if (ch == '\\' && i + 2 < lit.size()) cur += lit[++i];
                    else if (ch == '"') quoted = !quoted;
                    else if (ch == ',' && !quoted) {
                        items.push_back(quote_literal(cur));
                        cur.clear();
                    } else cur += ch;
                }
                if (lit.size() > 2) items.push_back(quote_literal(cur));
                std::string out;
                for (const auto& i : items) out.append(out.empty() ? "" : ", ").append(i);
                return out;
            }
        }
        n = &arg;
    }
    if (n->contains("List")) {
        for (const auto& e : (*n)["List"].value("items", json::array())) element(e);
    } else if (n->is_array()) {
        for (const auto& e : *n) element(e);
    } else if (n->contains("A_ArrayExpr")) {
        for (const auto& e : (*n)["A_ArrayExpr"].value("elements", json::array())) element(e);
    } else {
        return canonical_expr(*n);
    }
    std::string out;
    for (const auto& i : items) out.append(out.empty() ? "" : ", ").append(i);
    return out;
}

std::string op_name(const json& e) { return last_name(e.value("name", json::array())); }

std::string a_expr(const json& e) {
    const std::string kind = e.value("kind", "");
    const std::string op = op_name(e);
    const std::string l = e.contains("lexpr") ? canonical_expr(e["lexpr"]) : "";
    const std::string r = e.contains("rexpr") ? canonical_expr(e["rexpr"]) : "";
    if (kind == "AEXPR_IN") {
        // x IN (a, b) is stored as x = ANY (ARRAY[a, b]); NOT IN as <> ALL.
        return "(" + l + " " + op + (op == "=" ? " ANY" : " ALL") + "(ARRAY[" + array_elements(e["rexpr"]) + "]))";
    }
    if (kind == "AEXPR_OP_ANY") return "(" + l + " " + op + " ANY(ARRAY[" + array_elements(e["rexpr"]) + "]))";
    if (kind == "AEXPR_OP_ALL") return "(" + l + " " + op + " ALL(ARRAY[" + array_elements(e["rexpr"]) + "]))";
    if (kind == "AEXPR_BETWEEN" || kind == "AEXPR_NOT_BETWEEN") {
        const auto& bounds = e["rexpr"].contains("List") ? e["rexpr"]["List"]["items"] : e["rexpr"];
        if (bounds.is_array() && bounds.size() == 2) {
            if (kind == "AEXPR_BETWEEN")
                return "((" + l + " >= " + canonical_expr(bounds[0]) + ") AND (" + l +
                       " <= " + canonical_expr(bounds[1]) + "))";
            return "((" + l + " < " + canonical_expr(bounds[0]) + ") OR (" + l + " > " + canonical_expr(bounds[1]) +
                   "))";
        }
    }
    if (kind == "AEXPR_DISTINCT") return "(" + l + " IS DISTINCT FROM " + r + ")";
    if (kind == "AEXPR_NOT_DISTINCT") return "(" + l + " IS NOT DISTINCT FROM " + r + ")";
    if (kind == "AEXPR_NULLIF") return "NULLIF(" + l + ", " + r + ")";
    // AEXPR_OP, AEXPR_LIKE (~~), AEXPR_ILIKE (~~*), AEXPR_SIMILAR: the operator name is stored.
    if (l.empty()) return "(" + op + " " + r + ")";
    return "(" + l + " " + op + " " + r + ")";
}

bool implicit_cast(const json& tc) {
    const auto& arg = tc.value("arg", json::object());
    if (arg.contains("A_Const")) return true;
    const std::string t = last_name(tc["typeName"].value("names", json::array()));
    const bool is_array = tc["typeName"].contains("arrayBounds");
    return !is_array && (t == "text" || t == "varchar");
}

// The server prints a negative number as a string cast to its type
// ('-1'::integer, '-2.5'::numeric) and a positive one bare: a numeric string
// cast to a number type is that number, as written by hand.
std::optional<std::string> numeric_string(const json& tc) {
    static const std::set<std::string, std::less<>> number_types{"int2",    "int4",     "int8",   "int",
                                                                 "integer", "smallint", "bigint", "numeric",
                                                                 "decimal", "float4",   "float8", "real"};
    const json* value = tree::field(tree::object(tree::object(tc, "arg"), "A_Const"), "sval");
    const json& type_name = tree::object(tc, "typeName");
    if (!value || tree::field(type_name, "arrayBounds")) return std::nullopt;
    if (!number_types.count(last_name(tree::items(type_name, "names")))) return std::nullopt;
    const std::string v = tree::text(*value, "sval");
    std::size_t i = v.size() > 1 && v[0] == '-' ? 1 : 0;
    const std::size_t digits = i;
    while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i;
    if (i == digits) return std::nullopt;
    if (i < v.size() && v[i] == '.') {
        const std::size_t fraction = ++i;
        while (i < v.size() && std::isdigit(static_cast<unsigned char>(v[i]))) ++i;
        if (i == fraction) return std::nullopt;
    }
    if (i != v.size()) return std::nullopt;
    return v;
}

const std::map<std::string, std::string>& type_names() {
    static const std::map<std::string, std::string> m{
        {"int2", "smallint"},
        {"int4", "integer"},
        {"int8", "bigint"},
        {"int", "integer"},
        {"smallserial", "smallint"},
        {"serial", "integer"},
        {"bigserial", "bigint"},
        {"serial2", "smallint"},
        {"serial4", "integer"},
        {"serial8", "bigint"},
        {"float4", "real"},
        {"float8", "double precision"},
        {"bool", "boolean"},
        {"varchar", "character varying"},
        {"bpchar", "character"},
        {"varbit", "bit varying"},
        {"timestamptz", "timestamp with time zone"},
        {"timestamp", "timestamp without time zone"},
        {"timetz", "time with time zone"},
        {"time", "time without time zone"},
        {"decimal", "numeric"},
    };
    return m;
}

}  // namespace

std::string canonical_expr(const json& node) {
    if (node.is_array()) return list(node);
    if (!node.is_object() || node.empty()) return "";
    // The object has one member, the node type; items() is a temporary, so no reference into it.
    const auto member = node.begin();
    const std::string_view type = member.key();
    const json& n = member.value();
    if (type == "ColumnRef") {
        std::string out;
        for (const auto& f : n.value("fields", json::array()))
            out += (out.empty() ? "" : ".") + (f.contains("A_Star") ? std::string("*") : sql::quote_ident(str(f)));
        return out;
    }
    if (type == "A_Const") return const_text(n);
    if (type == "ParamRef") return "$" + std::to_string(n.value("number", 0));
    if (type == "TypeCast") {
        if (auto number = numeric_string(n)) return *number;
        if (implicit_cast(n)) return canonical_expr(n["arg"]);
        return canonical_expr(n["arg"]) + "::" + canonical_type(n["typeName"]);
    }
    if (type == "FuncCall") {
        std::string name = last_name(n.value("funcname", json::array()));
        if (n.value("agg_star", false)) return name + "(*)";
        return name + "(" + list(n.value("args", json::array())) + ")";
    }
    if (type == "A_Expr") return a_expr(n);
    if (type == "BoolExpr") {
        const std::string op = n.value("boolop", "");
        if (op == "NOT_EXPR") return "(NOT " + list(n["args"]) + ")";
        std::vector<std::string> parts;
        flatten_bool(node, op, parts);
        std::string out;
        for (const auto& p : parts) out += (out.empty() ? "" : op == "AND_EXPR" ? " AND " : " OR ") + p;
        return "(" + out + ")";
    }
    if (type == "NullTest")
        return "(" + canonical_expr(n["arg"]) +
               (n.value("nulltesttype", "") == "IS_NOT_NULL" ? " IS NOT NULL)" : " IS NULL)");
    if (type == "BooleanTest") {
        std::string t = n.value("booltesttype", "");
        if (t.rfind("IS_", 0) == 0) t = t.substr(3);
        for (auto& c : t)
            if (c == '_') c = ' ';
        return "(" + canonical_expr(n["arg"]) + " IS " + t + ")";
    }
    if (type == "A_ArrayExpr") return "ARRAY[" + list(n.value("elements", json::array())) + "]";
    if (type == "CoalesceExpr") return "COALESCE(" + list(n["args"]) + ")";
    if (type == "MinMaxExpr")
        return std::string(n.value("op", "") == "IS_GREATEST" ? "GREATEST(" : "LEAST(") + list(n["args"]) + ")";
    if (type == "SQLValueFunction") return n.value("op", "");
    if (type == "List") return list(n.value("items", json::array()));
    return std::string(type) + strip_locations(n);
}

std::string canonical_expr_text(std::string_view expression) {
    // The text is an expression, not a statement: let the parser see it as a SELECT list.
    auto tree = parse_tree("SELECT " + std::string(expression));
    if (!tree) return "";
    const auto& stmts = (*tree.value)["stmts"];
    if (stmts.empty()) return "";
    const auto& sel = stmts[0]["stmt"]["SelectStmt"];
    const auto& targets = sel.value("targetList", json::array());
    if (targets.size() != 1) return "";
    return canonical_expr(targets[0]["ResTarget"]["val"]);
}

std::string canonical_type(const json& tn) {
    const auto& names = tn.value("names", json::array());
    std::string base = last_name(names);
    if (auto it = type_names().find(base); it != type_names().end()) base = it->second;
    std::string mods;
    for (const auto& m : tn.value("typmods", json::array()))
        mods.append(mods.empty() ? "" : ",").append(canonical_expr(m));
    if (!mods.empty()) {
        // format_type() puts the precision of time types before the zone words.
        const auto pos = base.find(" with");
        if (base.rfind("time", 0) == 0 && pos != std::string::npos)
            base = base.substr(0, pos) + "(" + mods + ")" + base.substr(pos);
        else base += "(" + mods + ")";
    }
    // format_type() prints one [] whatever the declared dimensions (PostgreSQL does not enforce them).
    if (tn.contains("arrayBounds")) base += "[]";
    return base;
}

}  // namespace pgadvisor::sql
