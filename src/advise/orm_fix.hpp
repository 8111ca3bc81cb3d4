#pragma once
// A finding's fix in the terms of the ORM that wrote the workload (issue 18):
// next to the SQL rewrite of an N+1 loop or a check-then-insert, the ORM call
// that sends it (Prisma include / findMany in, Django select_related /
// bulk_create(update_conflicts=True), ...). One table per ORM in orm_fix.cpp.
//
// Takes: a finding (its AppChange, table), the workload's ORM detection and
// statement shapes (Sequelize's model aliases). Gives: an OrmFix, or nothing
// when the finding changes no application code, when no ORM was detected or
// only with low confidence (a wrong ORM's code is worse than none), or when a
// name could not be written in that ORM's code. Model and column names come
// from the finding; never a value from the log.

#include <optional>
#include <string>
#include <string_view>

#include "rules/finding.hpp"
#include "workload/workload.hpp"

namespace pgadvisor::advise {

struct OrmFix {
    workload::Orm orm = workload::Orm::Unknown;
    std::string code;  // the ORM's calls, a few lines, in the application's language
    std::string note;  // which names are guessed and how, and the ORM's caveats, one paragraph
};

// snake_case to CamelCase (daily_checkouts -> DailyCheckouts), as ActiveRecord's
// camelize and the model class names of Django and Prisma write a table's name.
std::string camel_case(std::string_view snake);

std::optional<OrmFix> orm_fix_for(const rules::Finding& finding, const workload::Workload& workload);

}  // namespace pgadvisor::advise
