#include "sql/shape_json.hpp"

#include <nlohmann/json.hpp>

namespace pgadvisor::sql {
namespace {

nlohmann::json column_json(const ColumnRef& c) {
    return {{"table", c.table}, {"qualifier", c.qualifier}, {"column", c.column}};
}

}  // namespace

nlohmann::json to_json(const QueryShape& s, bool show_literals) {
    using nlohmann::json;
    json j;
    j["kind"] = to_string(s.kind);
    j["node_type"] = s.node_type;
    j["offset"] = s.offset;
    j["length"] = s.length;
    // The statement text holds literal values; the normalized text does not.
    if (show_literals) j["text"] = s.text;

    json tables = json::array();
    for (const auto& t : s.tables)
        tables.push_back({{"schema", t.schema}, {"name", t.name}, {"alias", t.alias}, {"written", t.written}});
    j["tables"] = std::move(tables);
    j["cte_names"] = s.cte_names;
    j["recursive_cte"] = s.recursive_cte;

    json preds = json::array();
    for (const auto& p : s.predicates) {
        json pj{{"column", column_json(p.column)},
                {"cls", to_string(p.cls)},
                {"op", p.op},
                {"operand", to_string(p.operand)},
                {"literal_index", p.literal_index},
                {"function", p.function},
                {"in_join", p.in_join}};
        if (p.operand == OperandKind::Parameter) pj["param_number"] = p.param_number;
        preds.push_back(std::move(pj));
    }
    j["predicates"] = std::move(preds);

    json joins = json::array();
    for (const auto& jn : s.joins) joins.push_back({{"left", column_json(jn.left)}, {"right", column_json(jn.right)}});
    j["joins"] = std::move(joins);

    json order = json::array();
    for (const auto& o : s.order_by) {
        json oj{{"direction", to_string(o.direction)}, {"nulls", to_string(o.nulls)}};
        if (o.column.column.empty()) oj["expression"] = o.expression;
        else oj["column"] = column_json(o.column);
        order.push_back(std::move(oj));
    }
    j["order_by"] = std::move(order);
    json group = json::array();
    for (const auto& g : s.group_by) group.push_back(column_json(g));
    j["group_by"] = std::move(group);

    j["has_limit"] = s.has_limit;
    j["has_offset"] = s.has_offset;
    j["distinct"] = s.distinct;
    j["distinct_on"] = s.distinct_on;
    j["for_update"] = s.for_update;
    j["has_returning"] = s.has_returning;
    j["has_window"] = s.has_window;
    j["has_subquery"] = s.has_subquery;
    j["set_columns"] = s.set_columns;
    if (s.insert) {
        const auto& i = *s.insert;
        j["insert"] = {{"table", i.table},
                       {"columns", i.columns},
                       {"rows", i.rows},
                       {"from_select", i.from_select},
                       {"on_conflict", to_string(i.on_conflict)},
                       {"conflict_columns", i.conflict_columns},
                       {"conflict_constraint", i.conflict_constraint},
                       {"conflict_update_columns", i.conflict_update_columns}};
    } else {
        j["insert"] = nullptr;
    }
    j["fingerprint"] = s.fingerprint;
    j["fingerprint_hex"] = s.fingerprint_hex;
    j["normalized"] = s.normalized;

    json lits = json::array();
    for (const auto& l : s.literals) {
        json lj{{"kind", l.kind == LiteralKind::Parameter ? "parameter" : "constant"},
                {"location", l.location},
                {"length", l.length}};
        if (l.kind == LiteralKind::Parameter) lj["param_number"] = l.param_number;
        if (show_literals && l.kind == LiteralKind::Constant) {
            if (l.is_null) lj["is_null"] = true;
            else lj["value"] = l.value;
        }
        lits.push_back(std::move(lj));
    }
    j["literals"] = std::move(lits);
    return j;
}

nlohmann::json to_json(const ParseError& e) {
    return {{"error", e.message}, {"offset", e.offset}, {"cursor", e.cursor}, {"line", e.line}};
}

}  // namespace pgadvisor::sql
