#pragma once
// EXPLAIN output -> Plan trees: text as psql prints it (with or without the
// QUERY PLAN header, `+` continuations, frames, quoted lines) and JSON (an
// array of plans, one plan object, or auto_explain's object with "Query Text").

#include <string>
#include <string_view>
#include <vector>

#include "ingest/plan.hpp"

namespace pgadvisor::ingest {

struct ExplainResult {
    std::vector<Plan> plans;
    std::vector<std::string> errors;  // one line each, e.g. "broken JSON at byte 120: ..."
};

// A whole EXPLAIN document (a file's content): every plan in it, text or JSON.
ExplainResult parse_explain(std::string_view doc);

// One plan in text format (lines as EXPLAIN prints them, the first node line
// being the root). Lines before the root that are not node lines are skipped;
// auto_explain's "Query Text: ..." is kept in query_text.
ExplainResult parse_explain_text(std::string_view text);

// JSON format: [ {"Plan": ...}, ... ] or {"Plan": ...} or {"Query Text": ..., "Plan": ...}.
ExplainResult parse_explain_json(std::string_view json);

// A plan as EXPLAIN (FORMAT JSON) writes it, with what Plan holds: parse_explain_json
// reads it back to the same Plan (a digest's plans, issue 17).
std::string explain_json(const Plan& plan);

}  // namespace pgadvisor::ingest
