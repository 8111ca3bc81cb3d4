#include "server/pgss_live.hpp"

#include <fmt/format.h>

#include <pqxx/pqxx>

#include <algorithm>
#include <map>
#include <utility>

#include "catalog/live_loader.hpp"
#include "ingest/pgss_row.hpp"
#include "sql/quote.hpp"
#include "sql/shape.hpp"

namespace pgadvisor::server {
namespace {

// What pg_stat_statements shows for another role's statement to a role
// without pg_read_all_stats (its queryid is NULL then too).
constexpr const char* kInsufficientPrivilege = "<insufficient privilege>";

// SQLSTATE 55000 (object_not_in_prerequisite_state): the view's functions
// refuse to run when the library was not preloaded.
constexpr const char* kNotPreloadedState = "55000";

bool is_system_table(const sql::TableRef& t) {
    if (t.schema == "pg_catalog" || t.schema == "information_schema") return true;
    // PostgreSQL's catalogs and statistics views all carry the pg_ prefix, and so do
    // the extensions' views in any schema (public.pg_stat_statements, which
    // pgadvisor itself reads); a user table named pg_* is taken for one too.
    return t.name.rfind("pg_", 0) == 0;
}

// A statement an index can help: a query or data change that reads a user
// table. Utility statements (SET, BEGIN, EXPLAIN, PREPARE: pgadvisor's own
// among them), statements on system catalogs only (pgadvisor's and monitoring
// tools' catalog reads) and statements on no table are not.
bool advisable(const std::string& query) {
    const auto shaped = sql::shape_statement(query);
    if (!shaped.shape) return true;  // unparsable: the workload reports it like any input's
    const auto kind = shaped.shape->kind;
    if (kind != sql::StatementKind::Select && kind != sql::StatementKind::Insert &&
        kind != sql::StatementKind::Update && kind != sql::StatementKind::Delete && kind != sql::StatementKind::Merge)
        return false;
    const auto& tables = shaped.shape->tables;
    return std::any_of(tables.begin(), tables.end(), [](const sql::TableRef& t) { return !is_system_table(t); });
}

// The schema the extension lives in, or "" when it is not installed in this database.
std::string extension_schema(pqxx::transaction_base& tx) {
    const auto r = tx.exec(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
        " WHERE e.extname = 'pg_stat_statements'");
    return r.empty() ? "" : r[0][0].as<std::string>();
}

std::string missing_extension_message(const std::string& database) {
    return fmt::format(
        "pg_stat_statements is not installed in database {0}: run CREATE EXTENSION pg_stat_statements; in {0} "
        "(the server must also load it: shared_preload_libraries = 'pg_stat_statements', then a restart), or give "
        "analyze a log instead",
        database);
}

constexpr const char* kNotPreloadedMessage =
    "pg_stat_statements is installed but the server did not load it: add pg_stat_statements to "
    "shared_preload_libraries in postgresql.conf and restart the server, or give analyze a log instead";

// The rows of the current database, most total time first.
pqxx::result read_rows(pqxx::transaction_base& tx, const std::string& schema, int server_version) {
    const char* total = server_version >= 130000 ? "total_exec_time" : "total_time";
    return tx.exec(
        fmt::format("SELECT s.query, s.calls, s.{0}, s.queryid, r.rolname"
                    "  FROM {1} s LEFT JOIN pg_roles r ON r.oid = s.userid"
                    " WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
                    " ORDER BY s.{0} DESC",
                    total, sql::quote_qualified(schema, "pg_stat_statements")));
}

void keep_rows(const pqxx::result& rows, const PgssLiveOptions& options, PgssWorkload& out) {
    for (const auto& r : rows) {
        const std::string query = r[0].as<std::string>("");
        if (query == kInsufficientPrivilege || r[0].is_null()) {
            ++out.insufficient_privilege;
            continue;
        }
        if (!advisable(query)) {
            ++out.not_advisable;
            continue;
        }
        if (out.statements.size() >= options.top) {
            ++out.beyond_top;
            continue;
        }
        ingest::PgssRow row;
        row.query = query;
        row.calls = r[1].as<long long>(0);
        row.total_ms = r[2].as<double>(0);
        row.query_id = r[3].as<long long>(0);
        row.user = r[4].as<std::string>("");
        row.database = out.database;
        out.calls += row.calls;
        out.statements.push_back(ingest::statement_from_pgss(std::move(row), {kPgssSource, 0, 0}));
    }
}

// pg_stat_statements_info (14+) says since when the statistics count, and so
// over how long a time the calls were made.
void read_stats_reset(pqxx::transaction_base& tx, const std::string& schema, int server_version, PgssWorkload& out) {
    if (server_version < 140000) return;
    const auto r = tx.exec(
        fmt::format("SELECT stats_reset::text, extract(epoch FROM now() - stats_reset) * 1000 FROM {}",
                    sql::quote_qualified(schema, "pg_stat_statements_info")));
    if (r.empty()) return;
    out.stats_reset = r[0][0].as<std::string>("");
    out.since_reset_ms = r[0][1].as<double>(0);
}

// pg_settings hides what a role may not read (shared_preload_libraries without
// pg_read_all_settings): those names are listed, not guessed.
void read_logging_settings(pqxx::transaction_base& tx, PgssWorkload& out) {
    const std::pair<const char*, std::string*> wanted[] = {
        {"log_min_duration_statement", &out.logging.log_min_duration_statement},
        {"log_transaction_sample_rate", &out.logging.log_transaction_sample_rate},
        {"log_line_prefix", &out.logging.log_line_prefix},
        {"log_destination", &out.logging.log_destination},
        {"shared_preload_libraries", &out.logging.shared_preload_libraries},
        {"session_preload_libraries", &out.logging.session_preload_libraries},
    };
    std::map<std::string, std::string> seen;
    for (const auto& r :
         tx.exec("SELECT name, setting FROM pg_settings WHERE name IN ('log_min_duration_statement',"
                 " 'log_transaction_sample_rate', 'log_line_prefix', 'log_destination', 'shared_preload_libraries',"
                 " 'session_preload_libraries', 'auto_explain.log_min_duration')"))
        seen[r[0].as<std::string>()] = r[1].as<std::string>("");
    for (const auto& [name, field] : wanted) {
        if (auto it = seen.find(name); it != seen.end()) *field = it->second;
        else out.logging.unreadable.push_back(name);
    }
    if (auto it = seen.find("auto_explain.log_min_duration"); it != seen.end())
        out.logging.auto_explain_log_min_duration = it->second;
}

}  // namespace

PgssWorkload read_pgss_live(const PgssLiveOptions& options) {
    PgssWorkload out;
    const auto conn = catalog::connect_to(options.conninfo, out.error);
    if (!conn) return out;
    try {
        pqxx::read_transaction tx(*conn);
        tx.exec(fmt::format("SET LOCAL statement_timeout = {}", options.statement_timeout_ms));
        out.database = tx.exec1("SELECT current_database()")[0].as<std::string>();
        const std::string schema = extension_schema(tx);
        if (schema.empty()) {
            out.error = missing_extension_message(out.database);
            return out;
        }
        read_logging_settings(tx, out);
        try {
            keep_rows(read_rows(tx, schema, conn->server_version()), options, out);
            read_stats_reset(tx, schema, conn->server_version(), out);
        } catch (const pqxx::sql_error& e) {
            if (e.sqlstate() != kNotPreloadedState) throw;
            out.error = kNotPreloadedMessage;
        }
    } catch (const std::exception& e) {
        out.error = fmt::format("reading pg_stat_statements from {} failed: {}",
                                catalog::describe_target(options.conninfo),
                                catalog::redact_password(e.what(), options.conninfo));
    }
    return out;
}

}  // namespace pgadvisor::server
