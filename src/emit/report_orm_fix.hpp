#pragma once
// Private to the report renderers (report_*.cpp): the ORM form of a finding's
// fix (advise/orm_fix.hpp), found once for a finding or for the recommendation
// that carries its rewrite, so the four formats show the same code.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "advise/orm_fix.hpp"
#include "emit/report.hpp"

namespace pgadvisor::emit::report_detail {

// None without a workload, or when orm_fix_for gives none.
std::optional<advise::OrmFix> orm_fix_of(const ReportInput& input, const rules::Finding& finding);
// A recommendation with application code (review_sql): the first of its findings that has one.
std::optional<advise::OrmFix> orm_fix_of(const ReportInput& input, const advise::Recommendation& recommendation);
// "In Prisma", "In Django": the heading above the code.
std::string orm_fix_heading(const advise::OrmFix& fix);
// The code's language, for a Markdown fence: "js", "python", "ruby".
const char* orm_fix_language(const advise::OrmFix& fix);
// {"orm": "prisma", "code": ..., "note": ...} (docs/report-format.md), null when there is none.
nlohmann::json orm_fix_json(const std::optional<advise::OrmFix>& fix);

}  // namespace pgadvisor::emit::report_detail
