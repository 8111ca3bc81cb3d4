// The ORM form of a fix for the report renderers (report_orm_fix.hpp).

#include "emit/report_orm_fix.hpp"

#include "emit/report_common.hpp"

namespace pgadvisor::emit::report_detail {

std::optional<advise::OrmFix> orm_fix_of(const ReportInput& input, const rules::Finding& finding) {
    if (!input.workload) return std::nullopt;
    return advise::orm_fix_for(finding, *input.workload);
}

std::optional<advise::OrmFix> orm_fix_of(const ReportInput& input, const advise::Recommendation& recommendation) {
    if (recommendation.review_sql.empty()) return std::nullopt;
    const auto& findings = findings_of(input);
    for (std::size_t i : recommendation.findings)
        if (i < findings.size())
            if (auto fix = orm_fix_of(input, findings[i])) return fix;
    return std::nullopt;
}

std::string orm_fix_heading(const advise::OrmFix& fix) { return std::string("In ") + workload::display_name(fix.orm); }

const char* orm_fix_language(const advise::OrmFix& fix) {
    switch (fix.orm) {
        case workload::Orm::Prisma:
        case workload::Orm::Sequelize: return "js";
        case workload::Orm::Django:
        case workload::Orm::SqlAlchemy: return "python";
        case workload::Orm::ActiveRecord: return "ruby";
        case workload::Orm::Unknown: break;
    }
    return "";
}

nlohmann::json orm_fix_json(const std::optional<advise::OrmFix>& fix) {
    if (!fix) return nullptr;
    return {{"orm", workload::to_string(fix->orm)}, {"code", fix->code}, {"note", fix->note}};
}

}  // namespace pgadvisor::emit::report_detail
