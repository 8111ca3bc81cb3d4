#include "workload/table_sizes.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "catalog/index_serves.hpp"
#include "catalog/plan_relation.hpp"
#include "catalog/resolve.hpp"
#include "sql/quote.hpp"
#include "workload/workload.hpp"

namespace pgadvisor::workload {
namespace {

// ---- logged plans ------------------------------------------------------------

struct PlanEvidence {
    double rows = 0;  // the most rows one Seq Scan of the table read
    int plans = 0;    // plans with such a scan
};

// The rows one execution of a Seq Scan read: those it kept and those its
// filter removed. EXPLAIN gives both per loop; the loops of a parallel scan
// share one pass over the table, each loop of any other one is a pass of its own.
double rows_read(const ingest::PlanNode& scan) {
    const double per_loop = *scan.actual_rows + scan.rows_removed_by_filter.value_or(0);
    return scan.parallel_aware ? per_loop * scan.actual_loops.value_or(1) : per_loop;
}

// Adds the Seq Scans of one plan; each table counts the plan once.
void add_plan(const ingest::PlanNode& root, const catalog::Catalog& catalog, const sql::QueryShape* shape,
              const catalog::Resolution* resolution, std::map<const catalog::Table*, PlanEvidence>& out) {
    std::map<const catalog::Table*, double> most;
    auto walk = [&](const ingest::PlanNode& n, auto&& self) -> void {
        if (ingest::is_seq_scan(n) && n.actual_rows && !n.never_executed)
            if (const catalog::Table* t = catalog::resolve_plan_relation(catalog, shape, resolution, n.schema,
                                                                         n.relation, n.alias))
                most[t] = std::max(most[t], rows_read(n));
        for (const auto& c : n.children) self(c, self);
    };
    walk(root, walk);
    for (const auto& [table, rows] : most) {
        PlanEvidence& e = out[table];
        e.rows = std::max(e.rows, rows);
        ++e.plans;
    }
}

std::map<const catalog::Table*, PlanEvidence> plan_evidence(const Workload& w, const catalog::Catalog& catalog) {
    std::map<const catalog::Table*, PlanEvidence> out;
    for (const auto& plan : w.standalone_plans)
        if (plan) add_plan(plan->root, catalog, nullptr, nullptr, out);
    for (const auto& s : w.shapes) {
        if (!s.plan) continue;
        const sql::QueryShape* shape = s.shape ? &*s.shape : nullptr;
        std::optional<catalog::Resolution> resolution;
        if (shape) resolution = catalog::resolve(*shape, catalog, catalog.search_path);
        add_plan(s.plan->root, catalog, shape, resolution ? &*resolution : nullptr, out);
    }
    return out;
}

// ---- logged durations --------------------------------------------------------

struct DurationEvidence {
    double rows = -1;  // the smallest bound of the table's shapes
    double ms = 0;     // the time that bound came from
    int shapes = 0;    // shapes that bound it
};

// The index key a predicate's subject would need: lower(email) for lower(email) = $1, else the column.
catalog::IndexKey key_of(const sql::Predicate& p) {
    if (p.function.empty() || p.function.rfind("::", 0) == 0) return catalog::column_key(p.column.column);
    return catalog::expression_key(p.function + "(" + sql::quote_ident(p.column.column) + ")");
}

// Could an index of the table start a scan with this key? Counted generously,
// since a statement an index might serve is no evidence of a whole-table scan:
// a partial index as if its predicate held, and an index of a method the
// catalog does not model (gin, gist, brin) when any of its keys is this one.
bool an_index_could_serve(const catalog::Catalog& catalog, const catalog::Table& table, const catalog::IndexKey& key) {
    catalog::IndexAccess access;
    access.equality.push_back(key);
    for (const catalog::Index* ix : catalog.indexes_of(table)) {
        catalog::Index whole = *ix;
        whole.predicate.clear();
        if (catalog::index_serves(whole, access, catalog::ServeDepth::Leading)) return true;
        if (whole.method != "btree" && whole.method != "hash")
            for (const auto& k : whole.keys)
                if (catalog::same_index_key(k, key)) return true;
    }
    return false;
}

// The statement reads its one table whole: it filters only by predicates no
// index could serve, and nothing stops the scan early (LIMIT) or makes it
// wait on other sessions (FOR UPDATE). Its one table when so, else null.
const catalog::Table* scanned_whole(const ShapeInfo& s, const catalog::Catalog& catalog) {
    if (!s.shape) return nullptr;
    const sql::QueryShape& q = *s.shape;
    const bool reads = q.kind == sql::StatementKind::Select || q.kind == sql::StatementKind::Update ||
                       q.kind == sql::StatementKind::Delete;
    if (!reads || q.tables.size() != 1 || !q.cte_names.empty() || q.has_subquery || q.has_limit || q.for_update)
        return nullptr;
    const catalog::Table* table = catalog::resolve_table(catalog, q.tables[0].schema, q.tables[0].name);
    if (!table) return nullptr;
    bool filtered = false;
    for (const auto& p : q.predicates) {
        if (p.in_join || p.column.column.empty() || p.column.table > 0) continue;
        if (an_index_could_serve(catalog, *table, key_of(p))) return nullptr;
        filtered = true;
    }
    return filtered ? table : nullptr;
}

std::map<const catalog::Table*, DurationEvidence> duration_evidence(const Workload& w, const catalog::Catalog& catalog,
                                                                    const CostModel& model) {
    std::map<const catalog::Table*, DurationEvidence> out;
    for (const auto& s : w.shapes) {
        if (s.stats.timed_calls == 0) continue;
        const catalog::Table* table = scanned_whole(s, catalog);
        if (!table) continue;
        // The median when it is lower: a few calls that waited on a lock must not make the table look big.
        const double ms = s.p50_ms > 0 ? std::min(s.stats.mean_ms(), s.p50_ms) : s.stats.mean_ms();
        if (ms <= 0) continue;
        const double rows = ms / model.seq_row_ms;
        DurationEvidence& e = out[table];
        if (e.rows < 0 || rows < e.rows) e.rows = rows, e.ms = ms;
        ++e.shapes;
    }
    return out;
}

}  // namespace

TableSizes table_size_evidence(const Workload& workload, const catalog::Catalog& catalog, const CostModel& model) {
    TableSizes sizes;
    const auto plans = plan_evidence(workload, catalog);
    for (const auto& [table, e] : plans)
        sizes[table->qualified_name()] = {
            e.rows, catalog::RowsSource::LoggedPlans,
            fmt::format("the most rows a Seq Scan of it read in {} logged plan{} (rows kept plus rows removed by "
                        "its filter)",
                        e.plans, e.plans == 1 ? "" : "s")};
    for (const auto& [table, e] : duration_evidence(workload, catalog, model)) {
        if (plans.count(table)) continue;  // a plan counted its rows: better than a bound from a time
        sizes[table->qualified_name()] = {
            e.rows, catalog::RowsSource::LoggedDurations,
            fmt::format("at most, inferred from the logged durations of {} statement shape{} that read{} it whole "
                        "by predicates no index serves: {:.3f} ms at {} ms per row read",
                        e.shapes, e.shapes == 1 ? "" : "s", e.shapes == 1 ? "s" : "", e.ms, model.seq_row_ms)};
    }
    return sizes;
}

TableRows table_rows(const catalog::Table& table, const TableSizes& evidence) {
    const bool known = table.rows_source == catalog::RowsSource::Statistics ||
                       table.rows_source == catalog::RowsSource::Assumed;
    if (!known)
        if (auto it = evidence.find(table.qualified_name()); it != evidence.end()) return it->second;
    return {table.estimated_rows, table.rows_source, {}};
}

std::vector<std::string> size_notes(const TableSizes& evidence, const catalog::Catalog& catalog) {
    std::vector<std::string> notes;
    for (const auto& t : catalog.tables) {
        const TableRows rows = table_rows(t, evidence);
        if (rows.source != catalog::RowsSource::LoggedPlans && rows.source != catalog::RowsSource::LoggedDurations)
            continue;
        notes.push_back(fmt::format("{}: about {:.0f} rows by the log, {}; --assume-rows {}=N overrides it",
                                    t.qualified_name(), rows.rows, rows.basis, t.name));
    }
    return notes;
}

std::string rows_basis(const TableRows& rows) {
    switch (rows.source) {
        case catalog::RowsSource::Statistics: return "from the server's statistics";
        case catalog::RowsSource::Assumed: return "as given by --assume-rows";
        case catalog::RowsSource::LoggedPlans:
        case catalog::RowsSource::LoggedDurations: return rows.basis;
        case catalog::RowsSource::Default: return "a default guess";
    }
    return "?";
}

}  // namespace pgadvisor::workload
