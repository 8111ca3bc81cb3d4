#pragma once
// An execution plan as a tree of plain nodes, built from EXPLAIN text or JSON
// (standalone, or logged by auto_explain). Fields are empty/-1 when the plan
// did not say (a plan without ANALYZE has no actual_* values).

#include <optional>
#include <string>
#include <vector>

namespace pgadvisor::ingest {

struct PlanBuffers {
    long long shared_hit = 0, shared_read = 0, shared_dirtied = 0, shared_written = 0;
    long long local_hit = 0, local_read = 0, temp_read = 0, temp_written = 0;
    bool present = false;
};

struct PlanNode {
    std::string node_type;            // "Seq Scan", "Hash Join", "Index Scan", ... (JSON's names)
    std::string join_type;            // "Inner", "Left", "Semi", ... for joins
    std::string parent_relationship;  // "Outer", "Inner", "InitPlan", "SubPlan", ...
    std::string relation;             // table name
    std::string schema;
    std::string alias;
    std::string index_name;
    std::string filter;
    std::string index_cond;
    std::string join_filter;
    std::string hash_cond;
    std::string recheck_cond;
    std::string merge_cond;
    std::optional<double> startup_cost, total_cost;
    std::optional<double> plan_rows;  // estimated rows
    std::optional<double> actual_rows;
    std::optional<double> actual_loops;
    std::optional<double> actual_startup_ms, actual_total_ms;
    bool never_executed = false;
    std::optional<double> rows_removed_by_filter;
    std::optional<double> rows_removed_by_join_filter;
    std::optional<double> rows_removed_by_index_recheck;
    PlanBuffers buffers;
    std::optional<int> workers_planned, workers_launched;
    bool parallel_aware = false;
    std::string sort_key;     // "t.a, t.b DESC": the Sort's keys as EXPLAIN prints them, comma-joined
    std::string sort_method;  // "quicksort", "external merge", ...
    std::optional<long long> sort_space_kb;
    std::string sort_space_type;  // "Memory" / "Disk"
    std::vector<PlanNode> children;
};

struct Plan {
    PlanNode root;
    std::string query_text;  // auto_explain "Query Text", when given
    std::optional<double> planning_ms, execution_ms;
    std::string format;  // "text" or "json"
};

// A Seq Scan, parallel or not: EXPLAIN's text format says "Parallel Seq Scan",
// JSON says "Seq Scan" with "Parallel Aware".
inline bool is_seq_scan(const PlanNode& n) { return n.node_type == "Seq Scan" || n.node_type == "Parallel Seq Scan"; }

// Depth-first count of nodes, for tests and summaries.
inline int plan_node_count(const PlanNode& n) {
    int c = 1;
    for (const auto& ch : n.children) c += plan_node_count(ch);
    return c;
}

}  // namespace pgadvisor::ingest
