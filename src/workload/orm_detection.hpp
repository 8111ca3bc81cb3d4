#pragma once
// Which ORM wrote the workload's statements, from what the log carries: the
// sqlcommenter `framework` / `db_driver` tags, Rails' marginalia
// (application, controller, action), application_name, and each ORM's SQL
// dialect as the sql stage's QueryShape shows it (never the text itself).
// docs/ecosystem.md explains the signals and the confidence.
//
// Takes: each statement's request tags and application_name (once per
// execution), each distinct statement shape (once per shape). Gives: one
// OrmDetection per workload: the ORM, how sure, and the signals counted.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sql/query_shape.hpp"
#include "workload/request_tags.hpp"

namespace pgadvisor::workload {

enum class Orm { Unknown, Prisma, Sequelize, Django, SqlAlchemy, ActiveRecord };
const char* to_string(Orm);     // "prisma", "sequelize", "django", "sqlalchemy", "activerecord", "unknown"
const char* display_name(Orm);  // "Prisma", "Sequelize", "Django", "SQLAlchemy", "ActiveRecord", "unknown"

// How a signal ties a statement to an ORM, strongest first.
enum class SignalStrength {
    Tag,          // the application names its framework: sqlcommenter framework=, marginalia
    Dialect,      // a statement shape only that ORM writes
    Application,  // application_name holds the ORM's name (set by the user, so weakest)
};
const char* to_string(SignalStrength);

struct OrmSignal {
    Orm orm = Orm::Unknown;
    SignalStrength strength = SignalStrength::Tag;
    std::string what;     // "sqlcommenter framework tag", "\"Model.column\" output aliases", ...
    long long count = 0;  // statements (tags, application_name) or distinct shapes (dialect)
};

enum class OrmConfidence { None, Low, Medium, High };
const char* to_string(OrmConfidence);  // "none", "low", "medium", "high"

struct OrmDetection {
    Orm orm = Orm::Unknown;
    OrmConfidence confidence = OrmConfidence::None;
    std::string driver;  // the db_driver tag's most frequent value ("psycopg2"), "" when none
    std::vector<std::pair<std::string, long long>> drivers;  // every db_driver value with its count, first seen first
    std::vector<OrmSignal> signals;  // every signal seen, for any ORM, strongest and most counted first
    std::string reason;              // one sentence: why this ORM and this confidence
};

class OrmDetector {
public:
    // One execution's tags (request_tags_of, may be empty) and application_name.
    void add_execution(const RequestTags& tags, std::string_view application_name);
    // One distinct statement shape (each shape once, however often it ran).
    void add_shape(const sql::QueryShape& shape);
    // What another part of the log showed of its executions (tags, application_name,
    // drivers), for a workload merged from parts (workload_merge.hpp); its shapes
    // are added once each with add_shape, since a shape may be in several parts.
    void add_executions_of(const OrmDetection& part);
    OrmDetection result() const;

private:
    void add_tags(const RequestTags& tags);  // an execution's sqlcommenter / marginalia tags
    void count(Orm orm, SignalStrength strength, std::string_view what, long long n = 1);
    std::vector<OrmSignal> signals_;
    std::vector<std::pair<std::string, long long>> drivers_;
    std::string last_application_;
    Orm last_application_orm_ = Orm::Unknown;
};

}  // namespace pgadvisor::workload
