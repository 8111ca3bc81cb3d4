#pragma once
// The ingest stage's output: one Statement record per statement PostgreSQL ran
// (or that a .sql file / pg_stat_statements export lists). Plain data; the
// readers fill what their format carries and leave the rest empty.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ingest/plan.hpp"
#include "ingest/source_location.hpp"

namespace pgadvisor::ingest {

struct BindParameter {
    int number = 0;                    // $n
    std::optional<std::string> value;  // nullopt for NULL
};

struct Statement {
    SourceLocation source;
    std::string timestamp;  // as logged
    double epoch_ms = 0;    // timestamp as ms since 1970 (0 when unknown); zone abbreviations are read as UTC
    long long pid = 0;
    std::string session_id;  // %c / session_id; derived from pid when absent
    std::string vxid;        // virtual transaction id
    long long xid = 0;       // real transaction id (0 when none)
    std::string user, database, application;
    std::optional<double> duration_ms;
    std::string text;           // the statement as logged
    std::string prepared_name;  // extended protocol: the statement name after execute
    std::vector<BindParameter> parameters;
    std::string severity;  // empty for a statement that ran; "ERROR"/"FATAL" for failures
    std::string error_message;
    std::string sqlstate;
    long long query_id = 0;
    long long calls = 1;               // pg_stat_statements rows stand for many calls
    std::shared_ptr<const Plan> plan;  // auto_explain plan, or a standalone EXPLAIN
};

}  // namespace pgadvisor::ingest
