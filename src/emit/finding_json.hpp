#pragma once
// The one JSON form of a rules::Finding (docs/report-format.md, "findings"):
// the JSON report's findings and `pgadvisor lint --format json` print it alike.
//
// Takes: findings, or a finding's statement evidence. Gives: nlohmann::json
// values (the callers put them in their documents).

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rules/finding.hpp"

namespace pgadvisor::emit {

// recommendations: indexes into the report's recommendations that act on the finding (none in lint);
// fixed_by: what fixes it, a file or a recommendation's key per recommendation (report_common's fixed_by).
nlohmann::json finding_json(const rules::Finding& finding, const std::vector<std::size_t>& recommendations = {},
                            const std::vector<std::string>& fixed_by = {});

// Each statement: fingerprint, normalized text, calls and times, locations.
nlohmann::json statements_json(const std::vector<rules::StatementEvidence>& statements);

}  // namespace pgadvisor::emit
