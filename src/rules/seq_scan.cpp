#include "rules/seq_scan.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "catalog/index_serves.hpp"
#include "sql/canonical.hpp"
#include "catalog/plan_relation.hpp"
#include "catalog/resolve.hpp"
#include "rules/evidence.hpp"
#include "ingest/explain.hpp"
#include "rules/index_facts.hpp"
#include "rules/live_plans.hpp"
#include "sql/quote.hpp"
#include "sql/shape.hpp"
#include "sql/text.hpp"

namespace pgadvisor::rules {
namespace {

using ingest::Plan;
using ingest::PlanNode;

// Plan texts give names as stored; quote_ident keeps them exact (mixed case, keywords).
std::string relation_sql(const std::string& schema, const std::string& relation, const std::string& alias) {
    std::string out = sql::quote_qualified(schema, relation);
    if (!alias.empty()) out += " AS " + sql::quote_ident(alias);
    return out;
}

using sql::join;

std::string fmt_rows(double v) { return fmt::format("{:.0f}", v); }

struct Options {
    double min_rows_read = 10000;
    double min_removed_fraction = 0.9;
    double min_inner_loops = 10;
    double min_inner_rows_per_loop = 1000;
    double min_table_rows = 10000;
    bool check_sorts = true;
    double min_sort_rows = 100000;
    bool live_explain = true;
    std::int64_t live_top_shapes = 20;
    std::int64_t live_timeout_ms = 2000;
};

// The columns an index could use, from a shaped filter or statement.
struct Columns {
    std::vector<std::string> equality;
    std::vector<std::string> expressions;  // equality on lower(col) / upper(col): SQL text of the index key
    std::string range;
    std::vector<std::string> all;                            // equality + expressions + range, for names and keys
    std::vector<const sql::Predicate*> constant_equalities;  // candidates for a partial index
};

void add_unique(std::vector<std::string>& v, const std::string& s) {
    if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

// Functions of one column that an expression index serves with =: immutable,
// one argument, and PostgreSQL matches lower((email)::text) to an index on
// lower(email) of a varchar column. Kept short on purpose (docs/rules/seq-scan.md).
bool indexable_function(const std::string& f) { return f == "lower" || f == "upper"; }

// Predicates an index on the column can serve. EXPLAIN adds casts the user
// never wrote ((status)::text for a varchar column): a cast is kept as the bare
// column when the text came from a plan (plan_text), since those casts are
// binary coercions an index on the column still serves; a function call is not.
Columns usable_columns(const sql::QueryShape& shape, int table_ref, bool plan_text) {
    Columns c;
    for (const auto& p : shape.predicates) {
        if (p.in_join || p.column.table != table_ref || p.column.column.empty()) continue;
        if (p.operand != sql::OperandKind::Constant && p.operand != sql::OperandKind::Parameter) continue;
        if (indexable_function(p.function)) {
            if (p.cls == sql::PredicateClass::Equality || p.cls == sql::PredicateClass::InList)
                add_unique(c.expressions, p.function + "(" + sql::quote_ident(p.column.column) + ")");
            continue;
        }
        if (!p.function.empty() && !(plan_text && p.function.rfind("::", 0) == 0)) continue;
        switch (p.cls) {
            case sql::PredicateClass::Equality:
            case sql::PredicateClass::InList:
                add_unique(c.equality, p.column.column);
                if (p.cls == sql::PredicateClass::Equality && p.operand == sql::OperandKind::Constant)
                    c.constant_equalities.push_back(&p);
                break;
            case sql::PredicateClass::Range:
            case sql::PredicateClass::LikePrefix:
                if (c.range.empty()) c.range = p.column.column;  // a btree uses at most one range column well
                break;
            default: break;
        }
    }
    // A column both compared with = and with a range is an equality column.
    if (std::find(c.equality.begin(), c.equality.end(), c.range) != c.equality.end()) c.range.clear();
    c.all = c.equality;
    for (const auto& e : c.expressions) c.all.push_back(e);
    if (!c.range.empty()) c.all.push_back(c.range);
    return c;
}

// Does an existing index serve these columns? One the planner could start a
// scan with (catalog/index_serves.hpp): then a seq scan is the planner's
// choice, a different problem from a missing index.
bool served_by_index(const catalog::Catalog& cat, const catalog::Table& table, const Columns& cols) {
    catalog::IndexAccess access;
    for (const auto& c : cols.equality) access.equality.push_back(catalog::column_key(c));
    for (const auto& e : cols.expressions) access.equality.push_back(catalog::expression_key(e));
    if (!cols.range.empty()) access.range = catalog::column_key(cols.range);
    return catalog::serving_index(cat, table, access, catalog::ServeDepth::Leading) != nullptr;
}

SourceLocation parse_source(const std::string& s) {
    SourceLocation loc;
    loc.file = s;
    const auto colon = s.rfind(':');
    if (colon != std::string::npos && colon + 1 < s.size() &&
        std::all_of(s.begin() + static_cast<long>(colon) + 1, s.end(),
                    [](char ch) { return ch >= '0' && ch <= '9'; })) {
        loc.file = s.substr(0, colon);
        loc.first_line = loc.last_line = std::stol(s.substr(colon + 1));
    }
    return loc;
}

// Where a plan came from, for evidence and confidence.
struct Origin {
    const workload::ShapeInfo* shape = nullptr;  // null for a standalone EXPLAIN file
    std::vector<SourceLocation> locations;
    const char* source = "plan";  // "EXPLAIN file", "auto_explain plan", "live EXPLAIN"
    // The planned statement's tables in the catalog: a plan node's relation is one of them.
    std::optional<catalog::Resolution> resolution;
};

bool analyzed(const PlanNode& n) { return n.actual_rows.has_value() && n.actual_loops.has_value(); }

double loops_of(const PlanNode& n) { return n.actual_loops.value_or(1); }

// Actual time spent in the node over all its loops (Actual Total Time is per loop).
double node_ms(const PlanNode& n) { return n.actual_total_ms.value_or(0) * loops_of(n); }

// EXPLAIN's text format says "Parallel Seq Scan"; JSON says "Seq Scan" with "Parallel Aware".
std::string display_type(const PlanNode& n) {
    if (n.parallel_aware && n.node_type.rfind("Parallel ", 0) != 0) return "Parallel " + n.node_type;
    return n.node_type;
}

using ingest::is_seq_scan;

std::string filter_prefix(const std::string& schema, const std::string& relation, const std::string& alias) {
    return "SELECT FROM " + relation_sql(schema, relation, alias) + " WHERE ";
}

class SeqScanRule : public Rule {
public:
    explicit SeqScanRule(const RuleConfig& config) : Rule(config) {
        o_.min_rows_read = config.number("min_rows_read");
        o_.min_removed_fraction = config.number("min_removed_fraction");
        o_.min_inner_loops = config.number("min_inner_loops");
        o_.min_inner_rows_per_loop = config.number("min_inner_rows_per_loop");
        o_.min_table_rows = config.number("min_table_rows");
        o_.check_sorts = config.flag("check_sorts");
        o_.min_sort_rows = config.number("min_sort_rows");
        o_.live_explain = config.flag("live_explain");
        o_.live_top_shapes = config.integer("live_top_shapes");
        o_.live_timeout_ms = config.integer("live_timeout_ms");
    }

    void finish(const RuleInput& in, std::vector<Finding>& out) override {
        if (!in.workload) return;
        in_ = &in;
        out_ = &out;
        const auto& w = *in.workload;
        for (std::size_t i = 0; i < w.standalone_plans.size(); ++i) {
            if (!w.standalone_plans[i]) continue;
            Origin o;
            o.source = "EXPLAIN file";
            if (i < w.plan_sources.size()) o.locations.push_back(parse_source(w.plan_sources[i]));
            analyze_plan(*w.standalone_plans[i], o);
        }
        for (const auto& s : w.shapes) {
            if (!s.plan) continue;
            Origin o;
            o.shape = &s;
            o.source = "auto_explain plan";
            o.locations = s.locations;
            analyze_plan(*s.plan, o);
        }
        if (o_.live_explain && !in.conninfo.empty()) live(w);
        offline(w);
        in_ = nullptr;
        out_ = nullptr;
    }

private:
    Options o_;
    const RuleInput* in_ = nullptr;
    std::vector<Finding>* out_ = nullptr;
    std::set<std::string> seen_;  // finding keys already reported
    std::set<const workload::ShapeInfo*>
        live_planned_;                      // shapes EXPLAINed live (plans from the inputs: ShapeInfo::plan)
    std::set<const PlanNode*> join_sides_;  // scans already reported as a join's side (a rescan or a join key)
    std::map<const PlanNode*, std::vector<std::string>> sort_order_;  // scans that feed a Sort: its columns

    // A plan's Filter as the finding shows it: its constants are values from the
    // user's data (a logged plan, or a live plan with a sample's values), so
    // they become $n unless --show-literals; libpg_query's normalize does that.
    std::string shown_filter(const PlanNode& n) const { return shown_condition(n, n.filter); }

    // Any condition read against a scan's relation (its Filter, a join's Hash Cond), shown the same way.
    std::string shown_condition(const PlanNode& n, const std::string& condition) const {
        if (in_->show_literals) return condition;
        auto shape = shape_plan_filter(n.schema, n.relation, n.alias, condition);
        const std::string prefix = filter_prefix(n.schema, n.relation, n.alias);
        if (shape && shape->normalized.rfind(prefix, 0) == 0) return shape->normalized.substr(prefix.size());
        return "not shown: it holds values and could not be normalized; --show-literals prints it";
    }

    void analyze_plan(const Plan& plan, Origin origin) {
        if (in_->catalog && origin.shape && origin.shape->shape)
            origin.resolution = catalog::resolve(*origin.shape->shape, *in_->catalog, in_->catalog->search_path);
        walk(plan.root, origin);
        join_sides_.clear();
        sort_order_.clear();
    }

    void walk(const PlanNode& n, const Origin& origin) {
        if (is_seq_scan(n)) check_filtered_scan(n, origin);
        if (n.node_type == "Nested Loop") check_nested_loop(n, origin);
        if (is_join(n)) check_join_sides(n, origin);
        if (n.node_type == "Sort") check_sort(n, origin);
        for (const auto& ch : n.children) walk(ch, origin);
    }

    // Rows the scan read over all loops, and the fraction its filter removed.
    // With ANALYZE: (rows + removed) x loops (EXPLAIN prints both per loop,
    // and a parallel node's loops count the leader and every worker). Without:
    // the catalog's row count against the planner's estimate of what is kept.
    struct ScanRows {
        double read = 0;
        double removed_fraction = 0;
        double loops = 1;
        bool estimate = false;
        bool known = false;
    };

    // The table a plan node scans: one of the planned statement's own tables
    // (catalog/plan_relation.hpp), never the bare name looked up along search_path.
    const catalog::Table* plan_table(const PlanNode& n, const Origin& origin) const {
        if (!in_->catalog) return nullptr;
        const sql::QueryShape* shape = origin.shape && origin.shape->shape ? &*origin.shape->shape : nullptr;
        return catalog::resolve_plan_relation(*in_->catalog, shape, origin.resolution ? &*origin.resolution : nullptr,
                                              n.schema, n.relation, n.alias);
    }

    // A planner's estimate of the share a filter keeps comes from ANALYZE's random
    // sample (30,000 rows by default) and moves by a few percent from one ANALYZE
    // to the next: Dexter's user_id = 1, 10% of the rows, was 9.97% or 10.03%, and
    // the finding came and went. Two significant digits make such a value compare
    // the same with the thresholds every time.
    static double sampling_stable(double share) {
        if (share <= 0) return 0;
        const double unit = std::pow(10.0, std::floor(std::log10(share)) - 1);
        return std::round(share / unit) * unit;
    }

    // a < b beyond floating-point noise: 1 - 0.10 is the threshold 0.9 itself.
    static bool below(double a, double b) { return a < b - 1e-9; }

    ScanRows scan_rows(const PlanNode& n, const Origin& origin, double estimated_loops = 1) const {
        ScanRows r;
        if (analyzed(n)) {
            if (n.never_executed) return r;
            const double kept = *n.actual_rows;
            const double removed = n.rows_removed_by_filter.value_or(0);
            r.loops = *n.actual_loops;
            r.read = (kept + removed) * r.loops;
            r.removed_fraction = kept + removed > 0 ? removed / (kept + removed) : 0;
            r.known = true;
            return r;
        }
        const catalog::Table* t = plan_table(n, origin);
        if (!t || t->estimated_rows < 0 || !n.plan_rows) return r;
        // A parallel scan's estimate is per process; the leader takes part too.
        const double processes = n.parallel_aware ? n.workers_planned.value_or(0) + 1.0 : 1.0;
        const double kept = std::min(t->estimated_rows, *n.plan_rows * processes);
        r.loops = estimated_loops;
        r.read = t->estimated_rows * estimated_loops;
        r.removed_fraction = t->estimated_rows > 0 ? 1.0 - sampling_stable(kept / t->estimated_rows) : 0;
        r.estimate = true;
        r.known = true;
        return r;
    }

    void check_filtered_scan(const PlanNode& n, const Origin& origin) {
        if (join_sides_.count(&n)) return;  // reported once, as a join's side
        if (n.filter.empty())
            return;  // no filter: the whole table is wanted (an aggregate over it, a join's hash side)
        const ScanRows r = scan_rows(n, origin);
        if (!r.known || r.read < o_.min_rows_read || below(r.removed_fraction, o_.min_removed_fraction)) return;
        // Repeated without being parallel (a SubPlan, a join's inner side): many loops of a
        // small table add up to many rows, but each loop is cheap.
        if (!n.parallel_aware && r.loops > 1 && r.read / r.loops < o_.min_inner_rows_per_loop) return;
        std::string evidence;
        if (r.estimate)
            evidence = fmt::format(
                "{}: {} on {} (estimates only, no ANALYZE): reads about {} rows and keeps about {:.1f}% of them "
                "(Filter: {})",
                origin.source, display_type(n), n.relation, fmt_rows(r.read), 100 * (1 - r.removed_fraction),
                shown_filter(n));
        else
            evidence = fmt::format(
                "{}: {} on {}: read {} rows over {} loop(s), the filter removed {:.1f}% of them, {:.3f} ms in the "
                "node (Filter: {})",
                origin.source, display_type(n), n.relation, fmt_rows(r.read), fmt_rows(r.loops),
                100 * r.removed_fraction, node_ms(n), shown_filter(n));
        report_scan(n, origin, r, "filtered", evidence);
    }

    void check_nested_loop(const PlanNode& n, const Origin& origin) {
        if (n.children.size() < 2) return;
        const PlanNode* outer = nullptr;
        const PlanNode* inner = nullptr;
        for (const auto& ch : n.children) {
            if (ch.parent_relationship == "Inner") inner = &ch;
            else if (ch.parent_relationship == "Outer") outer = &ch;
        }
        if (!inner) inner = &n.children[1];
        if (!outer) outer = &n.children[0];
        // Materialize / Memoize above the scan mean it is read once (or cached): not a rescan.
        if (!is_seq_scan(*inner)) return;
        const double est_loops = outer->plan_rows.value_or(0);
        const ScanRows r = scan_rows(*inner, origin, est_loops);
        // A small table rescanned often is cheap per loop: an index lookup would not beat reading 50 rows.
        if (!r.known || r.loops < o_.min_inner_loops || r.read < o_.min_rows_read ||
            r.read / std::max(1.0, r.loops) < o_.min_inner_rows_per_loop)
            return;
        std::string evidence = fmt::format(
            "{}: the inner side of a Nested Loop is a {} on {}, scanned {}{} time(s): {} rows read in all{}{}",
            origin.source, display_type(*inner), inner->relation, r.estimate ? "about " : "", fmt_rows(r.loops),
            fmt_rows(r.read), r.estimate ? "" : fmt::format(", {:.3f} ms in the node", node_ms(*inner)),
            inner->filter.empty() ? "" : " (Filter: " + shown_filter(*inner) + ")");
        join_sides_.insert(inner);
        // The inner side of a nested loop may be joined by a Join Filter instead of its own Filter.
        report_scan(*inner, origin, r, "nested-loop", evidence, n.join_filter);
    }

    // A join whose one side reads a big table sequentially while the other side
    // gives few rows, and which keeps few of the rows read: with an index on the
    // join column the planner could run a Nested Loop over an Index Scan instead,
    // one lookup per row of the small side (docs/rules/seq-scan.md, "Join keys").
    void check_join_sides(const PlanNode& join, const Origin& origin) {
        if (join.children.size() < 2 || join.join_type == "Full") return;  // no Nested Loop runs a full join
        const PlanNode& outer = side_of(join, "Outer", 0);
        const PlanNode& inner = side_of(join, "Inner", 1);
        check_join_side(join, inner, outer, origin, true);
        check_join_side(join, outer, inner, origin, false);
    }

    static const PlanNode& side_of(const PlanNode& join, const char* relationship, std::size_t fallback) {
        for (const auto& ch : join.children)
            if (ch.parent_relationship == relationship) return ch;
        return join.children[fallback];
    }

    static bool is_join(const PlanNode& n) {
        return n.node_type == "Hash Join" || n.node_type == "Merge Join" || n.node_type == "Nested Loop";
    }

    // The Seq Scan a join side reads its rows from: the side itself, or below
    // nodes that only hold, sort or gather them (the hash table, a merge join's
    // Sort, a Materialize). Null when the side is anything else.
    static const PlanNode* scan_feeding(const PlanNode& side) {
        static const std::set<std::string> holds_rows = {"Hash", "Sort", "Materialize", "Gather", "Gather Merge"};
        const PlanNode* n = &side;
        while (!is_seq_scan(*n) && holds_rows.count(n->node_type) && n->children.size() == 1) n = &n->children[0];
        return is_seq_scan(*n) ? n : nullptr;
    }

    // The join's own condition: Hash Cond, Merge Cond, or a Nested Loop's Join Filter.
    static const std::string& join_condition(const PlanNode& join) {
        if (!join.hash_cond.empty()) return join.hash_cond;
        if (!join.merge_cond.empty()) return join.merge_cond;
        return join.join_filter;
    }

    // Rows a plan node gives: with ANALYZE over all its loops, except a Nested
    // Loop's inner side, whose rows per loop are what one lookup set would be;
    // without, the planner's estimate.
    static std::optional<double> rows_given(const PlanNode& n, bool per_loop) {
        if (analyzed(n)) return *n.actual_rows * (per_loop ? 1 : loops_of(n));
        return n.plan_rows;
    }

    void check_join_side(const PlanNode& join, const PlanNode& side, const PlanNode& other, const Origin& origin,
                         bool side_is_inner) {
        const PlanNode* scan = scan_feeding(side);
        if (!scan || join_sides_.count(scan)) return;
        const bool nested_loop = join.node_type == "Nested Loop";
        const ScanRows r = scan_rows(*scan, origin, nested_loop && side_is_inner ? other.plan_rows.value_or(1) : 1);
        const auto other_rows = rows_given(other, nested_loop && !side_is_inner);
        const auto joined = rows_given(join, false);
        if (!r.known || r.read < o_.min_rows_read || !other_rows || !joined) return;
        // Each row of the other side would be one index lookup, as each loop of a rescanned
        // inner side would: it must replace as many rows read as such a loop must read.
        if (r.read < o_.min_inner_rows_per_loop * std::max(1.0, *other_rows)) return;
        // ...and the join must keep few of them, as a selective filter would.
        if (*joined > r.read * (1 - o_.min_removed_fraction)) return;
        const std::string& condition = join_condition(join);
        if (join_columns(*scan, condition).empty() && join_columns(*scan, scan->filter).empty()) return;
        const std::string evidence = fmt::format(
            "{}: a {} reads {} on {} in full, {}{} rows{}, to join them with {}{} row(s) of its other side on {}; "
            "the join keeps {}{} row(s){}",
            origin.source, join.node_type, display_type(*scan), scan->relation, r.estimate ? "about " : "",
            fmt_rows(r.read), r.estimate ? "" : fmt::format(" in {:.3f} ms", node_ms(*scan)),
            r.estimate ? "about " : "", fmt_rows(*other_rows), shown_condition(*scan, condition),
            r.estimate ? "about " : "", fmt_rows(*joined),
            scan->filter.empty() ? "" : " (Filter: " + shown_filter(*scan) + ")");
        join_sides_.insert(scan);
        report_scan(*scan, origin, r, "join-key", evidence, condition);
    }

    // The keys of a Sort whose rows come straight from one table's scan
    // (through nodes that keep their input's order), as plain columns of that
    // table. Empty when no index could give the order: a hash join or an
    // aggregate below the sort, a key that is an expression or of another table.
    struct SortedScan {
        const PlanNode* scan = nullptr;
        std::optional<sql::QueryShape> shape;
        std::vector<std::string> columns;
    };

    static SortedScan sorted_scan(const PlanNode& sort) {
        SortedScan out;
        if (sort.sort_key.empty() || sort.children.empty()) return out;
        const PlanNode* n = &sort.children.front();
        // Nested Loop and Merge Join return rows in their outer side's order;
        // Limit, Result, Materialize, Memoize, Unique pass their input's order on.
        static const std::set<std::string> keeps_order = {"Nested Loop", "Merge Join", "Limit", "Result",
                                                          "Materialize", "Memoize",    "Unique"};
        while (n->relation.empty() && keeps_order.count(n->node_type) && !n->children.empty()) {
            const PlanNode* next = &n->children.front();
            for (const auto& ch : n->children)
                if (ch.parent_relationship == "Outer") next = &ch;
            n = next;
        }
        // Only a table's own scan: a CTE Scan or Function Scan names no table an index could be built on.
        static const std::set<std::string> table_scans = {"Seq Scan", "Index Scan", "Index Only Scan",
                                                          "Bitmap Heap Scan"};
        std::string type = n->node_type;
        if (type.rfind("Parallel ", 0) == 0) type = type.substr(9);
        if (n->relation.empty() || !table_scans.count(type)) return out;
        out.shape = shape_sort_key({{n->schema, n->relation, n->alias}}, sort.sort_key);
        if (!out.shape || out.shape->order_by.empty()) return out;
        for (const auto& item : out.shape->order_by) {
            if (item.column.column.empty() || item.column.table != 0) return out;
            out.columns.push_back(item.column.column);
        }
        out.scan = n;
        return out;
    }

    // An index whose leading keys are the sort's columns already gives the order.
    bool index_gives_order(const catalog::Table* t, const std::vector<std::string>& cols) const {
        if (!t) return false;
        for (const catalog::Index* ix : in_->catalog->indexes_of(*t)) {
            if (!ix->valid || ix->method != "btree" || ix->keys.size() < cols.size()) continue;
            bool all = true;
            for (std::size_t i = 0; i < cols.size(); ++i) all = all && ix->keys[i].column == cols[i];
            if (all) return true;
        }
        return false;
    }

    void check_sort(const PlanNode& n, const Origin& origin) {
        if (n.sort_key.empty()) return;
        SortedScan ss = sorted_scan(n);
        if (!ss.scan) return;
        // The scan below may fire too: its index need then carries the order.
        sort_order_[ss.scan] = ss.columns;
        const bool external = n.sort_method.find("external") != std::string::npos || n.sort_space_type == "Disk";
        const double rows = n.actual_rows ? *n.actual_rows * loops_of(n) : n.plan_rows.value_or(0);
        if (!o_.check_sorts || (!external && rows < o_.min_sort_rows)) return;
        const catalog::Table* table = plan_table(*ss.scan, origin);
        if (index_gives_order(table, ss.columns)) return;
        const auto& shape = ss.shape;
        const auto& cols = ss.columns;
        const auto& tref = shape->tables.front();
        const std::string schema = table ? table->schema : tref.schema;  // else as the plan gave it
        Finding f = make_finding();
        f.confidence = n.actual_rows && external ? Confidence::Medium : Confidence::Low;
        f.schema = schema;
        f.table = tref.name;
        IndexNeed need;
        need.schema = schema;
        need.table = tref.name;
        need.order_columns = cols;
        if (origin.shape) need.fingerprint = origin.shape->fingerprint;
        f.index_needs.push_back(need);
        f.title = fmt::format("{}sort on {} ({}) that an index could provide", external ? "external " : "", tref.name,
                              join(cols));
        const std::string space = n.sort_space_kb ? fmt::format(", {} kB of {}", *n.sort_space_kb,
                                                                n.sort_space_type.empty() ? "space" : n.sort_space_type)
                                                  : "";
        f.explanation = fmt::format(
            "{}: a Sort on {} ({} method{}) of {}{} rows{}. An index on {} ({}) returns rows in that order, so "
            "the planner can skip the sort (above all with a LIMIT, or when the sort spills to disk); the rows reach "
            "the sort straight from {}'s scan, so such an index can give the order.",
            origin.source, n.sort_key, n.sort_method.empty() ? "unknown" : n.sort_method, space,
            n.actual_rows ? "" : "about ", fmt_rows(rows),
            n.actual_total_ms ? fmt::format(", {:.3f} ms in the node", node_ms(n)) : "", tref.name, join(cols),
            tref.name);
        f.fix = fmt::format("Create an index on {} ({}) in the sort's order.", tref.name, join(cols));
        catalog::Index index = index_for_need(need);
        index.keys.clear();  // the sort's own keys, in its directions
        for (const auto& item : shape->order_by) {
            const bool desc = item.direction == sql::SortDirection::Desc;
            index.keys.push_back({item.column.column, "", desc, desc});
        }
        f.fix_sql = create_index_fix_sql(in_->catalog, index);
        finish_finding(f, n, origin, "sort");
    }

    // The index a scan's or a statement's columns ask for: equality columns and expressions, then the range.
    static IndexNeed need_for(const std::string& schema, const std::string& table, const Columns& cols,
                              const std::string& fingerprint) {
        IndexNeed need;
        need.schema = schema;
        need.table = table;
        need.equality_columns = cols.equality;
        need.equality_expressions = cols.expressions;
        need.range_column = cols.range;
        need.fingerprint = fingerprint;
        return need;
    }

    // Common part of the scan findings: the columns and the index need.
    void report_scan(const PlanNode& scan, const Origin& origin, const ScanRows& r, const char* kind,
                     const std::string& evidence, const std::optional<std::string>& joined_on = std::nullopt) {
        Finding f = make_finding();
        f.confidence = r.estimate ? Confidence::Medium : Confidence::High;
        f.schema = scan.schema;
        f.table = scan.relation;
        // A join's side (joined_on: its condition, maybe empty) asks for its join columns first.
        const bool join_side = joined_on.has_value();
        const Columns cols = scan_columns(scan, join_side ? *joined_on : std::string(), join_side);
        const catalog::Table* t = plan_table(scan, origin);
        if (t && !cols.all.empty() && served_by_index(*in_->catalog, *t, cols)) {
            // An index exists and the planner did not use it: a different problem (statistics, types, cost settings).
            return;
        }
        if (t) f.schema = t->schema;

        IndexNeed need = need_for(f.schema, scan.relation, cols, origin.shape ? origin.shape->fingerprint : "");
        // A Sort above this scan: an index (equality columns, sort columns) also
        // returns the rows in order, unless a range column must come first.
        if (auto it = sort_order_.find(&scan); it != sort_order_.end() && !cols.equality.empty() &&
                                               (cols.range.empty() || cols.range == it->second.front())) {
            need.order_columns = it->second;
            if (cols.range == it->second.front()) need.range_column.clear();
        }
        // Only a scan's own filter speaks for a value's rarity, not a join condition.
        const std::string partial_note = join_side ? std::string() : partial_predicate(need, cols, r, origin);

        const std::string what = cols.all.empty() ? "its filter" : "(" + join_cols(cols) + ")";
        f.title = fmt::format("{} on {} {}; no index on {}", display_type(scan), scan.relation,
                              what_the_scan_does(kind), what);
        f.explanation = evidence + ". ";
        if (cols.all.empty())
            f.explanation += "The filter could not be read as column comparisons an index serves; look at it by hand.";
        else if (std::string(kind) == "join-key")
            f.explanation += fmt::format(
                "An index on {} ({}) would let the planner look up the matching rows for each row of the join's "
                "other side (a Nested Loop over an Index Scan) instead of reading all of {}.",
                scan.relation, join_cols(cols), scan.relation);
        else if (need.predicate.empty())
            f.explanation += fmt::format("An index on {} ({}) would let the planner read only the matching rows.",
                                         scan.relation, join_cols(cols));
        else
            f.explanation += fmt::format(
                "A partial index on {} ({}) WHERE {} would let the planner read only the "
                "matching rows.",
                scan.relation, need_keys(need), need.predicate);
        if (r.estimate)
            f.explanation +=
                " The row counts are the planner's estimates (no EXPLAIN ANALYZE), hence medium confidence.";
        f.explanation += partial_note;
        if (!need.equality_columns.empty() || !need.equality_expressions.empty() || !need.range_column.empty() ||
            !need.predicate.empty()) {
            f.fix = need.predicate.empty() ? fmt::format("Create an index on {} ({}).", scan.relation, join_cols(cols))
                                           : fmt::format("Create a partial index on {} ({}) WHERE {}.", scan.relation,
                                                         need_keys(need), need.predicate);
            f.index_needs.push_back(need);
            f.fix_sql = create_index_fix_sql(in_->catalog, index_for_need(need));
        } else {
            f.fix = "Rewrite the filter so that it compares plain columns, or add an expression index.";
        }
        finish_finding(f, scan, origin, kind);
    }

    static std::string join_cols(const Columns& c) { return join(c.all); }

    static const char* what_the_scan_does(const std::string& kind) {
        if (kind == "nested-loop") return "repeated on the inner side of a Nested Loop";
        if (kind == "join-key") return "read in full to join a few rows";
        return "discards most rows";
    }

    // The columns an index on the scanned table could use. For a join's side
    // the join columns lead (each row of the other side becomes one lookup on
    // them), then the scan's own filter columns.
    static Columns scan_columns(const PlanNode& scan, const std::string& join_condition, bool join_side) {
        Columns own;
        if (auto shape = shape_plan_filter(scan.schema, scan.relation, scan.alias, scan.filter))
            own = usable_columns(*shape, 0, true);
        if (!join_side) return own;
        Columns cols;
        cols.equality = join_columns(scan, join_condition);
        for (const auto& c : join_columns(scan, scan.filter)) add_unique(cols.equality, c);
        for (const auto& c : own.equality) add_unique(cols.equality, c);
        cols.expressions = own.expressions;
        if (std::find(cols.equality.begin(), cols.equality.end(), own.range) == cols.equality.end())
            cols.range = own.range;
        cols.all = cols.equality;
        for (const auto& e : cols.expressions) cols.all.push_back(e);
        if (!cols.range.empty()) cols.all.push_back(cols.range);
        return cols;
    }

    // The scanned table's columns that a join condition (Hash Cond, Merge Cond,
    // Join Filter, or a rescanned scan's own Filter) compares with = to a column
    // of the other side: what an index lookup per row of that side would use.
    static std::vector<std::string> join_columns(const PlanNode& scan, const std::string& condition) {
        std::vector<std::string> out;
        if (condition.empty()) return out;
        const auto shape = shape_plan_filter(scan.schema, scan.relation, scan.alias, condition);
        if (!shape) return out;
        for (const auto& p : shape->predicates) {
            // EXPLAIN's casts on a join column ((o.id)::bigint) are binary coercions an index still serves.
            const bool plain = p.function.empty() || p.function.rfind("::", 0) == 0;
            if (p.column.table == 0 && plain && p.cls == sql::PredicateClass::Equality &&
                p.operand == sql::OperandKind::Column)
                add_unique(out, p.column.column);
        }
        return out;
    }

    // A need's index keys as the fix text names them (index_for_need's order).
    static std::string need_keys(const IndexNeed& n) {
        std::vector<std::string> keys;
        for (const auto& k : index_for_need(n).keys) keys.push_back(k.expression.empty() ? k.column : k.expression);
        return join(keys);
    }

    // The evidence that a partial index on `col = value` fits a scan: the plan
    // showed the filter keeps few rows (`kept_fraction`), and that filter's
    // only equality is on `column`, so the rarity is that value's own.
    struct Rarity {
        std::string column;
        double kept_fraction = 1;
    };

    std::optional<Rarity> rare_equality(const Columns& cols, const ScanRows& r) const {
        if (!r.known || below(r.removed_fraction, o_.min_removed_fraction)) return std::nullopt;
        if (cols.equality.size() != 1 || !cols.expressions.empty() || !cols.range.empty()) return std::nullopt;
        return Rarity{cols.equality.front(), 1 - r.removed_fraction};
    }

    // The statement's own `column = value` (a constant or a bound parameter) on the scanned table.
    static const sql::Predicate* equality_on(const sql::QueryShape& shape, const std::string& table,
                                             const std::string& column) {
        for (const auto& p : shape.predicates) {
            if (p.in_join || p.cls != sql::PredicateClass::Equality || !p.function.empty() || p.literal_index < 0 ||
                p.column.column != column)
                continue;
            if (p.operand != sql::OperandKind::Constant && p.operand != sql::OperandKind::Parameter) continue;
            const bool this_table = p.column.table >= 0 &&
                                            static_cast<std::size_t>(p.column.table) < shape.tables.size()
                                        ? shape.tables[static_cast<std::size_t>(p.column.table)].name == table
                                        : shape.tables.size() == 1;
            if (this_table) return &p;
        }
        return nullptr;
    }

    // Why the value may not be written without --show-literals; empty when it may
    // (docs/rules/seq-scan.md, "Partial indexes and literal values").
    std::string literal_withheld_because(const workload::ShapeInfo& shape, const workload::ConstantLiteral& c) const {
        if (c.token)  // never the value itself: a digest without --show-literals kept a stand-in
            return in_->show_literals ? "the digest it was read from was written without --show-literals"
                                      : "the value does not look like a code constant (a short lowercase word or a "
                                        "small flag), so it may be user data";
        if (in_->show_literals) return {};
        return workload::constant_withheld_because(shape, *c.value);
    }

    // A partial index instead of an equality key: when a rare equality's value
    // was the same in every call of the shape. Writes need.predicate (and takes
    // the column out of the keys) when the literal policy allows writing the
    // value; otherwise returns a sentence saying what --show-literals would add.
    // Literal hiding never puts a placeholder into SQL.
    std::string partial_predicate(IndexNeed& need, const Columns& cols, const ScanRows& r, const Origin& origin) const {
        const workload::ShapeInfo* info = origin.shape;
        if (!info || !info->shape) return {};
        const std::optional<Rarity> rare = rare_equality(cols, r);
        if (!rare) return {};
        const sql::Predicate* p = equality_on(*info->shape, need.table, rare->column);
        if (!p) return {};
        const auto at = static_cast<std::size_t>(p->literal_index);
        if (at >= info->constant_literals.size() || !info->constant_literals[at].constant() ||
            info->spread.calls < workload::kMinCallsToShowConstant)
            return {};
        const workload::ConstantLiteral& constant = info->constant_literals[at];
        const std::string& value = *constant.value;
        const std::string kept = fmt::format("{:.2g}%", 100 * rare->kept_fraction);
        if (const std::string why = literal_withheld_because(*info, constant); !why.empty())
            return fmt::format(
                " All {} calls compare {} with the same value, and the plan shows it is rare (the filter keeps {} of "
                "the rows): a partial index WHERE {} = <that value> would be much smaller. It is not written because "
                "{}; --show-literals writes it.",
                info->spread.calls, rare->column, kept, rare->column, why);
        // The column becomes the predicate; it stays a key only when no other key remains.
        const bool other_keys = !need.range_column.empty() || !need.order_columns.empty() ||
                                !need.equality_expressions.empty() || need.equality_columns.size() > 1;
        if (other_keys) std::erase(need.equality_columns, rare->column);
        need.predicate = sql::quote_ident(rare->column) + " = " + sql::quote_literal(value);
        need.predicate_fraction = rare->kept_fraction;
        return fmt::format(
            " All {} calls compare {} with the same value, which the plan shows is rare (the filter keeps {} of the "
            "rows), so the index is partial (WHERE {}): it holds only the rows these calls can return.",
            info->spread.calls, rare->column, kept, need.predicate);
    }

    // Locations, statements, gain and key; then append unless already reported.
    void finish_finding(Finding& f, const PlanNode& node, const Origin& origin, const char* kind) {
        f.locations = origin.locations;
        double calls = 1;
        if (origin.shape) {
            f.statements.push_back(evidence_of(*origin.shape));
            calls = std::max<double>(1, static_cast<double>(origin.shape->stats.calls));
        }
        if (node.actual_total_ms) {
            f.estimated_gain_ms = node_ms(node) * calls;
            f.gain_method = origin.shape ? fmt::format(
                                               "the plan node's actual time ({:.3f} ms) x the shape's {} call(s); an "
                                               "upper bound, the index scan that replaces it costs something too",
                                               node_ms(node), fmt_rows(calls))
                                         : fmt::format(
                                               "the plan node's actual time ({:.3f} ms), one execution (a standalone "
                                               "plan has no call count); an upper bound",
                                               node_ms(node));
        } else if (origin.shape) {
            f.estimated_gain_ms = origin.shape->stats.total_ms;
            f.gain_method = "the shape's total time over its calls (the plan has no actual times); an upper bound";
        } else {
            f.gain_method = "not estimated: the plan has no actual times and no call count";
        }
        std::vector<std::string> cols;
        for (const auto& n : f.index_needs) {
            for (const auto& c : n.equality_columns) cols.push_back(c);
            for (const auto& e : n.equality_expressions) cols.push_back(e);
            if (!n.range_column.empty()) cols.push_back(n.range_column);
            for (const auto& c : n.order_columns) cols.push_back(c);
        }
        f.key = fmt::format("{}:{}{}({}){}", kind, f.schema.empty() ? "" : f.schema + ".", f.table, join(cols, ","),
                            origin.shape ? "@" + origin.shape->fingerprint
                                         : (origin.locations.empty() ? "" : "@" + origin.locations.front().file.str()));
        if (!seen_.insert(f.key).second) return;
        out_->push_back(std::move(f));
    }

    // EXPLAIN the top shapes (by total time) that have no plan, with a real
    // parameter set each, and read those plans like the others.
    void live(const workload::Workload& w) {
        std::vector<const workload::ShapeInfo*> top;
        for (const auto& s : w.shapes) {
            if (s.plan || !s.shape || s.normalized.empty()) continue;
            const auto k = s.shape->kind;
            if (k != sql::StatementKind::Select && k != sql::StatementKind::Update && k != sql::StatementKind::Delete)
                continue;
            top.push_back(&s);
        }
        std::sort(top.begin(), top.end(), [](auto* a, auto* b) { return a->stats.total_ms > b->stats.total_ms; });
        if (top.size() > static_cast<std::size_t>(std::max<std::int64_t>(0, o_.live_top_shapes)))
            top.resize(static_cast<std::size_t>(o_.live_top_shapes));
        // The rule's own limit, never more than --statement-timeout.
        const int timeout = static_cast<int>(std::min<std::int64_t>(o_.live_timeout_ms, in_->statement_timeout_ms));
        const auto live = explain_shapes(top, in_->conninfo, timeout);
        for (const auto& planned : live.plans) {
            live_planned_.insert(planned.shape);
            Origin o;
            o.shape = planned.shape;
            o.source = "live EXPLAIN";
            o.locations = planned.shape->locations;
            analyze_plan(planned.plan, o);
        }
    }

    // Offline: predicates on large tables that no index serves, and join
    // columns that link a large table to a row the statement narrows to one.
    // No plan says the planner would scan; the catalog only says it has no better choice.
    void offline(const workload::Workload& w) {
        if (!in_->catalog) return;
        for (const auto& s : w.shapes) {
            // A plan, logged or live, says how the planner reads the shape: when it
            // found no scan to report, the catalog's guess must not report one.
            if (!s.shape || s.plan || live_planned_.count(&s)) continue;
            const auto k = s.shape->kind;
            if (k != sql::StatementKind::Select && k != sql::StatementKind::Update && k != sql::StatementKind::Delete)
                continue;
            const auto res = catalog::resolve(*s.shape, *in_->catalog, in_->catalog->search_path);
            const std::vector<bool> one_row = one_row_tables(*s.shape, res, *in_->catalog);
            for (std::size_t ti = 0; ti < res.tables.size(); ++ti) {
                const catalog::Table* t = res.tables[ti];
                if (!t) continue;
                const workload::TableRows rows = workload::table_rows(*t, w.table_sizes);
                if (rows.rows < o_.min_table_rows) continue;
                const std::vector<JoinKey> keys = join_keys_to_one_row(*s.shape, ti, one_row);
                Columns cols = usable_columns(*s.shape, static_cast<int>(ti), false);
                lead_with_join_keys(cols, keys);
                if (cols.all.empty() || served_by_index(*in_->catalog, *t, cols)) continue;
                report_offline(s, *t, rows, cols, keys);
            }
        }
    }

    // A column of one table compared with = to a column of another that gives one row.
    struct JoinKey {
        std::string column;
        std::string other_table;
    };

    // The join columns lead, the table's own equality columns follow (docs/rules/seq-scan.md, "Join keys").
    static void lead_with_join_keys(Columns& cols, const std::vector<JoinKey>& keys) {
        if (keys.empty()) return;
        std::vector<std::string> equality;
        for (const auto& k : keys) add_unique(equality, k.column);
        for (const auto& c : cols.equality) add_unique(equality, c);
        if (std::find(equality.begin(), equality.end(), cols.range) != equality.end()) cols.range.clear();
        cols.equality = std::move(equality);
        cols.all = cols.equality;
        for (const auto& e : cols.expressions) cols.all.push_back(e);
        if (!cols.range.empty()) cols.all.push_back(cols.range);
    }

    static bool table_of(const sql::ColumnRef& c, std::size_t ti) {
        return c.table >= 0 && static_cast<std::size_t>(c.table) == ti && !c.column.empty();
    }

    // The statement's tables that give at most one row per call, from the schema
    // alone: every column of a unique key (a primary key's or a unique index's)
    // is compared with = to a constant or a parameter in WHERE, or joined with =
    // to a table that itself gives one row. A comparison in JOIN ON is not
    // counted: on an outer join's nullable side it does not narrow the result.
    static std::vector<bool> one_row_tables(const sql::QueryShape& shape, const catalog::Resolution& res,
                                            const catalog::Catalog& cat) {
        std::vector<bool> one(res.tables.size(), false);
        for (bool changed = true; changed;) {
            changed = false;
            for (std::size_t ti = 0; ti < res.tables.size(); ++ti) {
                if (one[ti] || !res.tables[ti]) continue;
                std::vector<std::string> bound;
                for (const auto& p : shape.predicates)
                    if (table_of(p.column, ti) && !p.in_join && p.function.empty() &&
                        p.cls == sql::PredicateClass::Equality &&
                        (p.operand == sql::OperandKind::Constant || p.operand == sql::OperandKind::Parameter))
                        add_unique(bound, p.column.column);
                for (const auto& k : join_keys_to_one_row(shape, ti, one)) add_unique(bound, k.column);
                if (catalog::unique_index_within(cat, *res.tables[ti], bound)) one[ti] = changed = true;
            }
        }
        return one;
    }

    // Columns of table `ti` the statement joins with = to a column of a table that gives one row.
    static std::vector<JoinKey> join_keys_to_one_row(const sql::QueryShape& shape, std::size_t ti,
                                                     const std::vector<bool>& one_row) {
        std::vector<JoinKey> out;
        auto gives_one_row = [&](const sql::ColumnRef& c) {
            return c.table >= 0 && static_cast<std::size_t>(c.table) < one_row.size() &&
                   static_cast<std::size_t>(c.table) != ti && one_row[static_cast<std::size_t>(c.table)];
        };
        auto add = [&](const sql::ColumnRef& mine, const sql::ColumnRef& other) {
            if (!table_of(mine, ti) || !gives_one_row(other)) return;
            for (const auto& k : out)
                if (k.column == mine.column) return;
            out.push_back({mine.column, shape.tables[static_cast<std::size_t>(other.table)].name});
        };
        for (const auto& j : shape.joins) add(j.left, j.right), add(j.right, j.left);
        return out;
    }

    // What the offline finding says about the columns: the predicates, or the joins.
    static std::string offline_reason(const catalog::Table& t, const workload::TableRows& rows, const Columns& cols,
                                      const std::vector<JoinKey>& keys) {
        const std::string size = fmt::format("the table has about {} rows ({})", fmt_rows(rows.rows),
                                             workload::rows_basis(rows));
        if (keys.empty())
            return fmt::format(
                "The statement compares {} of {} with constants or parameters, and no index of {} starts with any "
                "of them; {}.",
                join(cols.all), t.name, t.name, size);
        std::vector<std::string> joins;
        for (const auto& k : keys) joins.push_back(fmt::format("{}.{} to {}", t.name, k.column, k.other_table));
        return fmt::format(
            "The statement joins {}, and narrows each of those to one row (a primary or unique key compared with "
            "constants or parameters, or joined to such a row); no index of {} starts with any of ({}), and {}. "
            "Without one the planner reads all of {} to find the few rows that join; with an index on {} ({}) it "
            "looks them up (a Nested Loop over an Index Scan).",
            join(joins), t.name, join(cols.all), size, t.name, t.name, join(cols.all));
    }

    void report_offline(const workload::ShapeInfo& s, const catalog::Table& t, const workload::TableRows& rows,
                        const Columns& cols, const std::vector<JoinKey>& keys) {
        Finding f = make_finding();
        f.confidence = Confidence::Low;
        f.schema = t.schema;
        f.table = t.name;
        IndexNeed need = need_for(t.schema, t.name, cols, s.fingerprint);
        Origin o;
        o.shape = &s;
        // No plan, so nothing shows a value is rare: never partial here (ScanRows unknown).
        const std::string partial_note = partial_predicate(need, cols, ScanRows{}, o);
        f.index_needs.push_back(need);
        f.title = keys.empty() ? fmt::format("no index on {} ({}) for a predicate on a table of about {} rows", t.name,
                                             join(cols.all), fmt_rows(rows.rows))
                               : fmt::format(
                                     "no index on {} ({}) to join a row the statement narrows to one; the "
                                     "table has about {} rows",
                                     t.name, join(cols.all), fmt_rows(rows.rows));
        f.explanation = offline_reason(t, rows, cols, keys) +
                        fmt::format(
                            " Without a plan this is an inference from the schema {} (low confidence): the "
                            "planner may still choose another path, or the table may be smaller than assumed.",
                            rows.source == catalog::RowsSource::LoggedPlans       ? "and the logged plans"
                            : rows.source == catalog::RowsSource::LoggedDurations ? "and the logged durations"
                                                                                  : "alone");
        f.explanation += partial_note;
        f.fix = fmt::format("Create an index on {} ({}).", t.name, join(cols.all));
        const catalog::Index index = index_for_need(need);
        if (!index.keys.empty()) f.fix_sql = create_index_fix_sql(in_->catalog, index);
        f.statements.push_back(evidence_of(s));
        f.locations = s.locations;
        f.estimated_gain_ms = s.stats.total_ms;
        f.gain_method = "the shape's total time over its calls (no plan, so no scan time); an upper bound";
        f.key = fmt::format("offline:{}.{}({})@{}", t.schema, t.name, join(cols.all, ","), s.fingerprint);
        if (seen_.insert(f.key).second) out_->push_back(std::move(f));
    }
};

}  // namespace

std::optional<sql::QueryShape> shape_plan_filter(const std::string& schema, const std::string& relation,
                                                 const std::string& alias, const std::string& filter) {
    if (relation.empty() || filter.empty()) return std::nullopt;
    // No target list ("SELECT FROM" is valid): the only constants are the filter's own,
    // so the normalized text is this prefix followed by the normalized filter.
    const std::string text = filter_prefix(schema, relation, alias) + filter;
    auto r = sql::shape_statement(text);
    if (!r.shape || r.error) return std::nullopt;
    return r.shape;
}

std::optional<sql::QueryShape> shape_sort_key(const std::vector<PlanRelation>& relations, const std::string& sort_key) {
    if (relations.empty() || sort_key.empty()) return std::nullopt;
    std::string from;
    std::set<std::string> names;
    for (const auto& r : relations) {
        // The same alias twice would be an error in a FROM list; the first one wins.
        const std::string ref = r.alias.empty() ? r.relation : r.alias;
        if (!names.insert(ref).second) continue;
        from += (from.empty() ? "" : ", ") + relation_sql(r.schema, r.relation, r.alias);
    }
    auto r = sql::shape_statement("SELECT 1 FROM " + from + " ORDER BY " + sort_key);
    if (!r.shape || r.error) return std::nullopt;
    return r.shape;
}

std::unique_ptr<Rule> create_seq_scan(const RuleConfig& config) { return std::make_unique<SeqScanRule>(config); }

}  // namespace pgadvisor::rules
