#pragma once
// seq-scan: sequential scans and sorts an index would avoid (docs/rules/seq-scan.md).
//
// Takes: plans (standalone EXPLAIN files and the slowest plan of each shape),
// live EXPLAINs of the top shapes when RuleInput::conninfo is set, and the
// shapes' predicates against the catalog. Gives: one Finding per table and
// column set, with an IndexNeed for the advise stage.
//
// The helpers below read plan node texts (Filter, Sort Key) with libpg_query
// by wrapping them in a SELECT; they are public for the tests.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rules/rule.hpp"
#include "sql/query_shape.hpp"

namespace pgadvisor::rules {

std::unique_ptr<Rule> create_seq_scan(const RuleConfig& config);

// A plan node's Filter text as the WHERE of `SELECT 1 FROM <relation> <alias>`,
// shaped by libpg_query. nullopt when the text does not parse (SubPlan
// references, "(hashed SubPlan 1)", ...).
std::optional<sql::QueryShape> shape_plan_filter(const std::string& schema, const std::string& relation,
                                                 const std::string& alias, const std::string& filter);

// A relation a Sort's keys may refer to: its name and the alias the plan uses.
struct PlanRelation {
    std::string schema;
    std::string relation;
    std::string alias;
};

// A Sort Key text ("t1.a, t1.b DESC") as the ORDER BY of a SELECT over those
// relations. nullopt when it does not parse.
std::optional<sql::QueryShape> shape_sort_key(const std::vector<PlanRelation>& relations, const std::string& sort_key);

}  // namespace pgadvisor::rules
