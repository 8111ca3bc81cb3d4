#include "server/explain_live.hpp"

#include <fmt/core.h>
#include <pqxx/pqxx>

#include "catalog/live_loader.hpp"

namespace pgadvisor::server {

using catalog::redact_password;

LiveExplainResult explain_live(const LiveExplainOptions& options, const std::vector<ExplainRequest>& requests) {
    LiveExplainResult result;
    const auto conn = catalog::connect_to(options.conninfo, result.connection_error);
    if (!conn) return result;
    // A server without auto_explain accepts the SET as a placeholder setting;
    // a server that refuses it still plans, so a failure here is not fatal.
    try {
        pqxx::nontransaction tx(*conn);
        tx.exec("SET auto_explain.log_min_duration = -1");
    } catch (const std::exception&) {
    }

    int counter = 0;
    for (const auto& request : requests) {
        ExplainOutcome out;
        const std::string name = fmt::format("pgadvisor_explain_{}", ++counter);
        try {
            // read-only: EXPLAIN without ANALYZE executes nothing, and a
            // read-only transaction makes sure of it even for UPDATE/DELETE.
            pqxx::read_transaction tx(*conn);
            tx.exec(fmt::format("SET LOCAL statement_timeout = {}", options.statement_timeout_ms));
            // A protocol-level prepared statement: the server infers the
            // parameter types, and the first executions get custom plans
            // built for these very values (plan_cache_mode = auto).
            // VERBOSE: each scan names its table's schema, so the plan maps back to the
            // statement's own tables (catalog::resolve_plan_relation), not to a table of
            // the same name found along search_path.
            conn->prepare(name, "EXPLAIN (VERBOSE, FORMAT JSON) " + request.statement);
            // NULL travels as a null pointer (libpqxx 6.4 has no pqxx::params).
            std::vector<const char*> values;
            for (const auto& p : request.params) values.push_back(p ? p->c_str() : nullptr);
            pqxx::result r = tx.exec_prepared(name, pqxx::prepare::make_dynamic_params(values));
            if (!r.empty() && !r[0].empty() && !r[0][0].is_null()) {
                // JSON format returns one row; text rows would be one per line.
                for (const auto& row : r) out.plan_json += row[0].c_str();
            } else {
                out.error = "EXPLAIN returned no plan";
            }
        } catch (const std::exception& e) {
            out.error = redact_password(e.what(), options.conninfo);
            out.plan_json.clear();
        }
        try {
            conn->unprepare(name);
        } catch (const std::exception&) {
        }
        result.outcomes.push_back(std::move(out));
    }
    return result;
}

}  // namespace pgadvisor::server
