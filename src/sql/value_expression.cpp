#include "sql/value_expression.hpp"

#include <string>
#include <string_view>

#include "sql/parse_tree.hpp"

namespace pgadvisor::sql {
namespace {

using nlohmann::json;

// SQLValueFunction ops that hold the transaction's start (PostgreSQL's
// "stable" date/time functions: the same value in every statement of a transaction).
std::optional<ValueStability> value_function(const json& body) {
    const std::string op = tree::text(body, "op");
    if (op == "SVFOP_CURRENT_DATE") return ValueStability::Day;
    if (op.rfind("SVFOP_CURRENT_TIMESTAMP", 0) == 0 || op.rfind("SVFOP_LOCALTIMESTAMP", 0) == 0 ||
        op.rfind("SVFOP_CURRENT_TIME", 0) == 0 || op.rfind("SVFOP_LOCALTIME", 0) == 0)
        return ValueStability::Transaction;
    return std::nullopt;  // CURRENT_USER and the like: not a key anyone writes twice
}

// now() and transaction_timestamp(), without arguments: the transaction's start time.
std::optional<ValueStability> clock_function(const json& body) {
    if (!tree::items(body, "args").empty() || tree::flag(body, "agg_star")) return std::nullopt;
    const json* name = tree::field(body, "funcname");
    const std::string fn = name ? tree::last_name(*name) : "";
    if (fn == "now" || fn == "transaction_timestamp") return ValueStability::Transaction;
    return std::nullopt;
}

std::optional<ValueStability> stability_of(const json& node) {
    auto [type, body] = tree::node(node);
    if (!body) return std::nullopt;
    if (type == "SQLValueFunction") return value_function(*body);
    if (type == "FuncCall") return clock_function(*body);
    if (type == "TypeCast") {
        const json* arg = tree::field(*body, "arg");
        auto inner = arg ? stability_of(*arg) : std::nullopt;
        if (!inner) return std::nullopt;
        const json* tn = tree::field(*body, "typeName");
        const std::string to = tn ? tree::last_name(tree::items(*tn, "names")) : "";
        // A timestamp cast to a date changes only at midnight: the same across transactions.
        return to == "date" ? ValueStability::Day : *inner;
    }
    return std::nullopt;
}

}  // namespace

std::optional<ValueExpression> value_expression(const nlohmann::json& node) {
    auto stability = stability_of(node);
    if (!stability) return std::nullopt;
    return ValueExpression{canonical_expr(node), *stability};
}

}  // namespace pgadvisor::sql
