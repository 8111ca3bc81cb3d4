#include "server/apply_sql.hpp"

#include <fmt/core.h>
#include <pqxx/pqxx>

#include <optional>

#include "catalog/live_loader.hpp"

namespace pgadvisor::server {

using catalog::redact_password;

ApplyResult apply_statements(const std::string& conninfo, const std::vector<sql::ScriptStatement>& statements,
                             int statement_timeout_ms, int lock_timeout_ms) {
    ApplyResult r;
    const auto conn = catalog::connect_to(conninfo, r.error);
    if (!conn) return r;
    try {
        pqxx::nontransaction setup(*conn);
        setup.exec(fmt::format("SET statement_timeout = {}", statement_timeout_ms));
        setup.exec(fmt::format("SET lock_timeout = {}", lock_timeout_ms));
    } catch (const std::exception& e) {
        r.error = redact_password(e.what(), conninfo);
        return r;
    }
    // Our own statements should not land in the user's auto_explain output.
    try {
        pqxx::nontransaction quiet(*conn);
        quiet.exec("SET auto_explain.log_min_duration = -1");
    } catch (const std::exception&) {
    }
    for (const auto& s : statements) {
        try {
            // nontransaction: CREATE INDEX CONCURRENTLY refuses to run inside a transaction block.
            std::vector<std::string> generated;
            {
                pqxx::nontransaction tx(*conn);
                const pqxx::result result = tx.exec(s.sql);
                if (s.gexec)
                    for (const auto& row : result)
                        for (const auto& field : row)
                            if (!field.is_null()) generated.push_back(field.c_str());
            }
            for (const auto& g : generated) {
                pqxx::nontransaction tx(*conn);
                tx.exec(g);
            }
            ++r.applied;
        } catch (const std::exception& e) {
            r.error = redact_password(e.what(), conninfo);
            break;
        }
    }
    return r;
}

}  // namespace pgadvisor::server
