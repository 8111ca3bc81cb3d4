#include "catalog/catalog_json.hpp"

#include <nlohmann/json.hpp>

#include "sql/scanner.hpp"

namespace pgadvisor::catalog {

namespace {
using nlohmann::json;

json opt(std::int64_t v) { return v < 0 ? json(nullptr) : json(v); }

json column_json(const Column& c, bool show_literals) {
    json j{{"name", c.name}, {"type", c.type}, {"not_null", c.not_null}};
    if (!c.default_expr.empty()) j["default"] = sql::shown_expression(c.default_expr, show_literals);
    if (c.stats) {
        const auto& s = *c.stats;
        json st{{"null_frac", s.null_frac},
                {"n_distinct", s.n_distinct},
                {"most_common_count", s.most_common_values.size()},
                {"most_common_freqs", s.most_common_freqs}};
        if (show_literals) st["most_common_values"] = s.most_common_values;
        st["correlation"] = s.correlation ? json(*s.correlation) : json(nullptr);
        j["stats"] = std::move(st);
    }
    return j;
}
}  // namespace

json to_json(const Catalog& cat, bool show_literals) {
    json out{{"source", cat.source},
             {"server_version", cat.server_version == 0 ? json(nullptr) : json(cat.server_version)},
             {"search_path", cat.search_path},
             {"schemas", cat.schemas},
             {"has_statistics", cat.has_statistics},
             {"notes", cat.notes}};
    json errors = json::array();
    for (const auto& e : cat.errors) errors.push_back({{"file", e.file}, {"line", e.line}, {"message", e.message}});
    out["errors"] = std::move(errors);
    json tables = json::array();
    for (const auto& t : cat.tables) {
        json jt{{"schema", t.schema},
                {"name", t.name},
                {"partitioned", t.partitioned},
                {"estimated_rows", t.estimated_rows < 0 ? json(nullptr) : json(t.estimated_rows)},
                {"rows_source", to_string(t.rows_source)},
                {"pages", opt(t.pages)},
                {"inserts", opt(t.inserts)},
                {"updates", opt(t.updates)},
                {"deletes", opt(t.deletes)},
                {"seq_scan", opt(t.seq_scan)},
                {"idx_scan", opt(t.idx_scan)}};
        if (!t.partition_of.empty()) jt["partition_of"] = t.partition_of;
        json cols = json::array();
        for (const auto& c : t.columns) cols.push_back(column_json(c, show_literals));
        jt["columns"] = std::move(cols);
        json cons = json::array();
        for (const auto& c : t.constraints) {
            json jc{{"name", c.name}, {"kind", to_string(c.kind)}, {"columns", c.columns}};
            if (c.kind == ConstraintKind::ForeignKey) {
                jc["ref_schema"] = c.ref_schema;
                jc["ref_table"] = c.ref_table;
                jc["ref_columns"] = c.ref_columns;
            }
            cons.push_back(std::move(jc));
        }
        jt["constraints"] = std::move(cons);
        json idx = json::array();
        for (const auto* i : cat.indexes_of(t)) {
            json keys = json::array();
            for (const auto& k : i->keys) {
                json jk{{"descending", k.descending}, {"nulls_first", k.nulls_first}};
                if (k.column.empty()) jk["expression"] = sql::shown_expression(k.expression, show_literals);
                else jk["column"] = k.column;
                keys.push_back(std::move(jk));
            }
            json ji{{"name", i->name},
                    {"method", i->method},
                    {"keys", std::move(keys)},
                    {"include", i->include},
                    {"unique", i->unique},
                    {"primary", i->primary},
                    {"valid", i->valid},
                    {"size_bytes", opt(i->size_bytes)},
                    {"idx_scan", opt(i->idx_scan)}};
            if (!i->predicate.empty()) ji["predicate"] = sql::shown_expression(i->predicate, show_literals);
            idx.push_back(std::move(ji));
        }
        jt["indexes"] = std::move(idx);
        tables.push_back(std::move(jt));
    }
    out["tables"] = std::move(tables);
    return out;
}

}  // namespace pgadvisor::catalog
