#include "server/whatif.hpp"

#include <algorithm>
#include <exception>
#include <map>
#include <memory>
#include <optional>

#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "catalog/live_loader.hpp"
#include "sql/quote.hpp"
#include "sql/shape.hpp"
#include "sql/text.hpp"
#include "sql/statements.hpp"

namespace pgadvisor::server {

using catalog::redact_password;

namespace {

using nlohmann::json;

// ---- connection and session ---------------------------------------------------

using catalog::connect_to;

// Session settings that are best effort: a server without auto_explain takes
// the SET as a placeholder, and one that refuses it still plans. Says whether it took.
bool try_session_setting(pqxx::connection& conn, const std::string& sql) {
    try {
        pqxx::nontransaction tx(conn);
        tx.exec(sql);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

// Whether auto_explain was switched off for the session (false: the role may not SET it).
bool prepare_session(pqxx::connection& conn) {
    // With auto_explain on, EXPLAIN after hypopg_create_index fails with
    // "cache lookup failed for index" (docs/libraries.md).
    const bool quiet = try_session_setting(conn, "SET auto_explain.log_min_duration = -1");
    // Plans are for the very values of the log, never a generic plan.
    try_session_setting(conn, "SET plan_cache_mode = force_custom_plan");
    return quiet;
}

void set_local_timeout(pqxx::transaction_base& tx, int statement_timeout_ms) {
    tx.exec(fmt::format("SET LOCAL statement_timeout = {}", std::max(1, statement_timeout_ms)));
}

// ---- plans ----------------------------------------------------------------------

// The statement's text with its parameters bound through the protocol (an
// unnamed prepared statement: parse, bind, execute; so every run gets a
// custom plan for these values, and nothing named outlives an aborted
// transaction). NULL travels as a null pointer (libpqxx 6.4 has no pqxx::params).
json run_explain(pqxx::transaction_base& tx, const std::string& explain_prefix, const std::string& statement,
                 const ParamSet& params) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    pqxx::result r = tx.exec_params(explain_prefix + statement, pqxx::prepare::make_dynamic_params(values));
    std::string text;
    // JSON format returns one row; text rows would be one per line.
    for (const auto& row : r)
        if (!row.empty() && !row[0].is_null()) text += row[0].c_str();
    if (text.empty()) throw std::runtime_error("EXPLAIN returned no plan");
    json plan = json::parse(text, nullptr, false);
    if (plan.is_discarded() || !plan.is_array() || plan.empty() || !plan[0].contains("Plan"))
        throw std::runtime_error("EXPLAIN returned a plan that is not the expected JSON");
    return plan[0];
}

void collect_index_names(const json& node, std::vector<std::string>& names) {
    if (node.is_object()) {
        auto it = node.find("Index Name");
        if (it != node.end() && it->is_string() &&
            std::find(names.begin(), names.end(), it->get<std::string>()) == names.end())
            names.push_back(it->get<std::string>());
        for (const auto& [key, value] : node.items()) collect_index_names(value, names);
    } else if (node.is_array()) {
        for (const auto& value : node) collect_index_names(value, names);
    }
}

double number_at(const json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_number() ? it->get<double>() : 0.0;
}

// Parameter sets to plan with: an empty list plans once without parameters.
std::vector<ParamSet> sets_of(const WhatIfStatement& s) {
    return s.param_sets.empty() ? std::vector<ParamSet>{ParamSet{}} : s.param_sets;
}

struct CostSummary {
    double mean_cost = 0;
    double mean_cost_unlimited = 0;  // a top Limit's input's cost instead of the Limit's (see unlimited_cost)
    std::vector<std::string> indexes;
};

// The generic plan: the statement prepared under a name of its own (a PREPARE
// outlives a failed transaction, so a name is never reused), planned as
// force_generic_plan makes EXECUTE plan it whatever the values, then deallocated.
json generic_plan(pqxx::transaction_base& tx, const WhatIfStatement& s) {
    static int counter = 0;
    const std::string name = fmt::format("pgadvisor_generic_{}", ++counter);
    tx.exec("SET LOCAL plan_cache_mode = force_generic_plan");
    tx.exec("PREPARE " + name + " AS " + s.statement);
    std::string nulls;
    for (std::size_t i = 0; i < s.generic_parameters; ++i) nulls += i ? ", NULL" : "NULL";
    json plan = run_explain(tx, "EXPLAIN (FORMAT JSON) ", "EXECUTE " + name + "(" + nulls + ")", {});
    tx.exec("DEALLOCATE " + name);
    tx.exec("SET LOCAL plan_cache_mode = force_custom_plan");
    return plan;
}

// The plan's cost without a top Limit's early stop: its input's whole cost. The Limit's
// own cost assumes the rows it takes are spread evenly at the planner's estimated share.
double unlimited_cost(const json& top) {
    auto it = top.find("Node Type");
    if (it == top.end() || *it != "Limit") return number_at(top, "Total Cost");
    auto children = top.find("Plans");
    if (children == top.end() || !children->is_array() || children->empty()) return number_at(top, "Total Cost");
    return std::max(number_at(top, "Total Cost"), number_at(children->front(), "Total Cost"));
}

// Mean "Total Cost" of the top node over the parameter sets, in the given
// transaction; throws on the first set the server refuses.
CostSummary plan_cost(pqxx::transaction_base& tx, const WhatIfStatement& s) {
    CostSummary out;
    if (s.generic_parameters > 0 && s.param_sets.empty()) {
        json plan = generic_plan(tx, s);
        out.mean_cost = number_at(plan["Plan"], "Total Cost");
        out.mean_cost_unlimited = unlimited_cost(plan["Plan"]);
        collect_index_names(plan["Plan"], out.indexes);
        return out;
    }
    const auto sets = sets_of(s);
    for (const auto& params : sets) {
        json plan = run_explain(tx, "EXPLAIN (FORMAT JSON) ", s.statement, params);
        out.mean_cost += number_at(plan["Plan"], "Total Cost");
        out.mean_cost_unlimited += unlimited_cost(plan["Plan"]);
        collect_index_names(plan["Plan"], out.indexes);
    }
    out.mean_cost /= static_cast<double>(sets.size());
    out.mean_cost_unlimited /= static_cast<double>(sets.size());
    return out;
}

struct Planned {
    std::optional<CostSummary> cost;
    std::string error;
};

// Plans in a read-only transaction of its own, so a failure (a timeout, bad
// SQL) ends only this statement, and EXPLAIN could not write even if it tried.
Planned plan_read_only(pqxx::connection& conn, const WhatIfStatement& s, const WhatIfOptions& options) {
    Planned out;
    try {
        pqxx::read_transaction tx(conn);
        set_local_timeout(tx, options.statement_timeout_ms);
        out.cost = plan_cost(tx, s);
    } catch (const std::exception& e) {
        out.error = redact_password(e.what(), options.conninfo);
    }
    return out;
}

// Inside the real-index transaction: a savepoint per statement, so one
// statement's error does not abort the transaction the others need.
Planned plan_in_savepoint(pqxx::dbtransaction& tx, const WhatIfStatement& s, const std::string& conninfo) {
    Planned out;
    try {
        pqxx::subtransaction sub(tx, "pgadvisor_whatif_plan");
        out.cost = plan_cost(sub, s);
        sub.commit();
    } catch (const std::exception& e) {
        out.error = redact_password(e.what(), conninfo);
    }
    return out;
}

bool names_index(const std::vector<std::string>& used, const std::string& index_name) {
    return !index_name.empty() && std::find(used.begin(), used.end(), index_name) != used.end();
}

// ---- the CREATE INDEX text ---------------------------------------------------------

// A real index is built inside a transaction, which refuses CONCURRENTLY, and IF NOT
// EXISTS would quietly try nothing: say so plainly instead of passing the server's
// message on. hypopg_create_index takes the migration's own text (HypoPG 1.3 ignores
// both keywords, docs/libraries.md). Read from libpg_query's tree.
std::string check_create_index(const std::string& sql, WhatIfMode mode) {
    auto read = sql::read_statements(sql);
    if (!read) return "cannot parse the CREATE INDEX statement: " + (read.error ? read.error->message : "");
    if (read.value->size() != 1) return "expected exactly one CREATE INDEX statement";
    const auto* index = std::get_if<sql::CreateIndex>(&read.value->front());
    if (!index) return "not a CREATE INDEX statement";
    if (mode == WhatIfMode::HypoPG) return {};
    if (index->concurrent) return "CREATE INDEX CONCURRENTLY cannot be built in a transaction: pass plain CREATE INDEX";
    if (index->if_not_exists) return "CREATE INDEX IF NOT EXISTS might build nothing: pass plain CREATE INDEX";
    return {};
}

// Whether the index has an expression key (lower(email)): the server has no statistics on
// the expression until the index is built and analyzed. The statement was checked already.
bool indexes_an_expression(const std::string& create_index_sql) {
    auto read = sql::read_statements(create_index_sql);
    if (!read || read.value->size() != 1) return false;
    const auto* index = std::get_if<sql::CreateIndex>(&read.value->front());
    return index && std::any_of(index->keys.begin(), index->keys.end(),
                                [](const sql::IndexElement& k) { return !k.expression.empty(); });
}

// ---- HypoPG ----------------------------------------------------------------------------

struct HypoState {
    bool installed = false;
    std::string reason;  // when not installed
};

HypoState probe_hypopg(pqxx::connection& conn, const WhatIfOptions& options) {
    HypoState st;
    try {
        pqxx::read_transaction tx(conn);
        set_local_timeout(tx, options.statement_timeout_ms);
        auto r = tx.exec(
            "SELECT (SELECT count(*) FROM pg_extension WHERE extname = 'hypopg'), "
            "(SELECT count(*) FROM pg_available_extensions WHERE name = 'hypopg')");
        const bool installed = r[0][0].as<long>() > 0;
        const bool available = r[0][1].as<long>() > 0;
        if (installed) {
            st.installed = true;
        } else if (available) {
            // Not created for the user: an extension in their database is a
            // change they should make themselves (a session-only one would need
            // one long transaction around every plan).
            st.reason =
                "hypopg is available but not installed in this database: CREATE EXTENSION hypopg; "
                "(it only adds functions)";
        } else {
            st.reason =
                "hypopg is not available on this server (install the package, e.g. postgresql-NN-hypopg, "
                "then CREATE EXTENSION hypopg;)";
        }
    } catch (const std::exception& e) {
        st.reason = "could not check for hypopg: " + redact_password(e.what(), options.conninfo);
    }
    return st;
}

void hypopg_reset(pqxx::connection& conn) {
    try {
        pqxx::nontransaction tx(conn);
        tx.exec("SELECT hypopg_reset()");
    } catch (const std::exception&) {
    }
}

// What HypoPG's conflict with auto_explain looks like: an elog() message, which the
// server never translates, so it reads the same whatever lc_messages is.
constexpr const char* kAutoExplainConflict = "cache lookup failed for index";

std::string auto_explain_conflict_reason(bool auto_explain_switched_off, const std::string& role) {
    const std::string conflict = fmt::format(
        "auto_explain is active in this session and the server loaded it before hypopg, so every EXPLAIN that "
        "uses a hypothetical index fails with \"{} N\"",
        kAutoExplainConflict);
    const std::string preload =
        "preload hypopg before auto_explain (shared_preload_libraries = 'hypopg,auto_explain,...', then restart)";
    // The session did switch auto_explain off and it still fails: only the preload order helps.
    if (auto_explain_switched_off)
        return fmt::format("{}, even with SET auto_explain.log_min_duration = -1. Fix: {}", conflict, preload);
    return fmt::format(
        "{}, and role {} may not switch it off (SET auto_explain.log_min_duration = -1 needs a superuser or the "
        "privilege to set it). Either {} or let the role switch auto_explain off (GRANT SET ON PARAMETER "
        "auto_explain.log_min_duration TO {}, PostgreSQL 15+)",
        conflict, sql::quote_ident(role), preload, sql::quote_ident(role));
}

// Can a plan use a hypothetical index in this session? One probe per connection: a
// hypothetical index on pg_class (which every role may read, so nothing of the user's
// is needed or touched) and an EXPLAIN made to use it. Only the auto_explain conflict
// makes HypoPG unavailable; any other failure leaves the trials to report their own.
// Gives the reason it cannot, or nothing.
std::string probe_hypothetical_plan(pqxx::connection& conn, const WhatIfOptions& options,
                                    bool auto_explain_switched_off) {
    std::string failure, role;
    try {
        pqxx::read_transaction tx(conn);
        set_local_timeout(tx, options.statement_timeout_ms);
        role = tx.exec("SELECT current_user")[0][0].c_str();
        tx.exec("SELECT hypopg_create_index('CREATE INDEX ON pg_catalog.pg_class (relpages)')");
        tx.exec("SET LOCAL enable_seqscan = off");
        tx.exec("EXPLAIN SELECT 1 FROM pg_catalog.pg_class WHERE relpages = 1");
    } catch (const std::exception& e) {
        failure = e.what();
    }
    hypopg_reset(conn);
    if (failure.find(kAutoExplainConflict) == std::string::npos) return {};
    return auto_explain_conflict_reason(auto_explain_switched_off, role);
}

// The hypothetical index's name (HypoPG names it "<oid>btree_table_cols"), or throws.
std::string create_hypothetical(pqxx::connection& conn, const std::string& create_index_sql,
                                const WhatIfOptions& options) {
    // hypopg_create_index writes nothing to the catalog; the transaction is
    // read-only for that reason, and it still lives on in the session.
    pqxx::read_transaction tx(conn);
    set_local_timeout(tx, options.statement_timeout_ms);
    auto r = tx.exec_params("SELECT indexname FROM hypopg_create_index($1)", create_index_sql);
    if (r.empty()) throw std::runtime_error("hypopg_create_index created no index");
    std::string name = r[0][0].c_str();
    tx.commit();
    return name;
}

// ---- the trials ------------------------------------------------------------------------

// Before-costs are planned once per statement and shared by every trial.
class BeforeCosts {
public:
    BeforeCosts(pqxx::connection& conn, const std::vector<WhatIfStatement>& statements, const WhatIfOptions& options)
        : conn_(conn), statements_(statements), options_(options) {}

    const Planned& get(std::size_t i) {
        auto it = cache_.find(i);
        if (it == cache_.end()) it = cache_.emplace(i, plan_read_only(conn_, statements_[i], options_)).first;
        return it->second;
    }

private:
    pqxx::connection& conn_;
    const std::vector<WhatIfStatement>& statements_;
    const WhatIfOptions& options_;
    std::map<std::size_t, Planned> cache_;
};

// An expression index's before-cost under a LIMIT: without statistics on the expression the
// planner guesses that 0.5% of the rows match an equality on it (DEFAULT_EQ_SEL), and plans
// the LIMIT over the filtering scan to stop after a couple of hundred rows. A lookup by such
// an expression (lower(email)) matches a row or none, so the scan reads most of the table:
// on the examples, 5.0 planned of the scan's 2,522, and the estimate came out 3x under the
// measured saving (bench/orm-scorecard --prove). The scan's whole cost is what the index saves.
constexpr const char* kUnlimitedBefore =
    "before: the LIMIT's input's whole cost (the planner has no statistics on the expression yet and "
    "plans the LIMIT to stop early on a guess)";

std::vector<std::size_t> positions_used(const std::vector<std::string>& plan_indexes,
                                        const std::vector<std::string>& set_names) {
    std::vector<std::size_t> uses;
    for (std::size_t k = 0; k < set_names.size(); ++k)
        if (names_index(plan_indexes, set_names[k])) uses.push_back(k);
    return uses;
}

// A statement's costs before and with a set of indexes, and which of them its
// plan uses. A plan that uses an expression index is weighed against its LIMIT's
// input's whole cost before (kUnlimitedBefore).
SetStatementCost set_cost(const Planned& before, const Planned& after, const std::vector<std::string>& set_names,
                          const std::vector<bool>& expression) {
    SetStatementCost c;
    if (!before.error.empty()) {
        c.error = "before: " + before.error;
    } else if (!after.error.empty()) {
        c.error = "after: " + after.error;
    } else {
        c.before = before.cost->mean_cost;
        c.after = after.cost->mean_cost;
        c.uses = positions_used(after.cost->indexes, set_names);
        const bool uses_expression = std::any_of(c.uses.begin(), c.uses.end(),
                                                 [&](std::size_t k) { return expression[k]; });
        if (uses_expression && before.cost->mean_cost_unlimited > c.before) {
            c.before = before.cost->mean_cost_unlimited;
            c.basis = kUnlimitedBefore;
        }
    }
    return c;
}

// One index: a set of one.
StatementCost combine(const Planned& before, const Planned& after, const std::string& index_name,
                      bool expression_index) {
    const SetStatementCost s = set_cost(before, after, {index_name}, {expression_index});
    StatementCost c;
    c.before = s.before;
    c.after = s.after;
    c.uses_index = !s.uses.empty();
    c.basis = s.basis;
    c.error = s.error;
    return c;
}

StatementCost out_of_range(std::size_t i) {
    StatementCost c;
    c.error = fmt::format("statement index {} is out of range", i);
    return c;
}

TrialOutcome hypopg_trial(pqxx::connection& conn, BeforeCosts& before, const std::vector<WhatIfStatement>& statements,
                          const WhatIfTrial& trial, const WhatIfOptions& options) {
    TrialOutcome out;
    // Before-costs first, without any hypothetical index in the session.
    for (std::size_t i : trial.statements)
        if (i < statements.size()) before.get(i);
    std::string index_name;
    out.error = check_create_index(trial.create_index_sql, WhatIfMode::HypoPG);
    const bool expression = out.error.empty() && indexes_an_expression(trial.create_index_sql);
    if (out.error.empty()) {
        try {
            index_name = create_hypothetical(conn, trial.create_index_sql, options);
        } catch (const std::exception& e) {
            out.error = "cannot create the hypothetical index: " + redact_password(e.what(), options.conninfo);
        }
    }
    for (std::size_t i : trial.statements) {
        if (i >= statements.size()) {
            out.costs.push_back(out_of_range(i));
        } else if (!out.error.empty()) {
            out.costs.push_back(
                combine(before.get(i), Planned{std::nullopt, "the index could not be created"}, "", false));
        } else {
            out.costs.push_back(
                combine(before.get(i), plan_read_only(conn, statements[i], options), index_name, expression));
        }
    }
    hypopg_reset(conn);  // always: the next trial starts from the real catalog
    return out;
}

// The name of the index this transaction created (the trial's SQL may leave
// the name to the server): the pg_class row the current transaction wrote.
std::string index_created_here(pqxx::dbtransaction& tx) {
    auto r = tx.exec(
        "SELECT relname FROM pg_class WHERE relkind IN ('i', 'I') AND xmin = pg_current_xact_id()::xid "
        "ORDER BY oid DESC LIMIT 1");
    return r.empty() ? std::string() : std::string(r[0][0].c_str());
}

TrialOutcome real_index_trial(pqxx::connection& conn, BeforeCosts& before,
                              const std::vector<WhatIfStatement>& statements, const WhatIfTrial& trial,
                              const WhatIfOptions& options) {
    TrialOutcome out;
    for (std::size_t i : trial.statements)
        if (i < statements.size()) before.get(i);
    std::map<std::size_t, Planned> after;
    std::string index_name;
    out.error = check_create_index(trial.create_index_sql, WhatIfMode::RealIndexRolledBack);
    const bool expression = out.error.empty() && indexes_an_expression(trial.create_index_sql);
    if (out.error.empty()) {
        try {
            // Not read-only: it builds the index. It is never committed; the
            // pqxx::work destructor rolls it back, also when anything throws.
            pqxx::work tx(conn);
            set_local_timeout(tx, options.statement_timeout_ms);
            // Never wait behind the application's locks (nor make it wait behind ours for long).
            tx.exec("SET LOCAL lock_timeout = '1s'");
            tx.exec(trial.create_index_sql);
            index_name = index_created_here(tx);
            for (std::size_t i : trial.statements)
                if (i < statements.size() && !after.count(i))
                    after.emplace(i, plan_in_savepoint(tx, statements[i], options.conninfo));
            tx.abort();
        } catch (const std::exception& e) {
            out.error = "cannot create the index: " + redact_password(e.what(), options.conninfo);
        }
    }
    for (std::size_t i : trial.statements) {
        if (i >= statements.size()) out.costs.push_back(out_of_range(i));
        else if (!out.error.empty())
            out.costs.push_back(
                combine(before.get(i), Planned{std::nullopt, "the index could not be created"}, "", false));
        else out.costs.push_back(combine(before.get(i), after.at(i), index_name, expression));
    }
    return out;
}

// ---- the set ---------------------------------------------------------------------------

std::vector<bool> expression_indexes(const std::vector<std::string>& sqls) {
    std::vector<bool> out;
    for (const auto& sql : sqls) out.push_back(indexes_an_expression(sql));
    return out;
}

// All of the set as hypothetical indexes, then every statement planned once more.
void plan_hypopg_set(pqxx::connection& conn, BeforeCosts& before, const std::vector<WhatIfStatement>& statements,
                     const std::vector<std::string>& sqls, const WhatIfOptions& options, SetOutcome& out) {
    for (std::size_t i = 0; i < statements.size(); ++i) before.get(i);
    std::vector<std::string> names(sqls.size());
    for (std::size_t k = 0; k < sqls.size(); ++k) {
        out.index_errors[k] = check_create_index(sqls[k], WhatIfMode::HypoPG);
        if (!out.index_errors[k].empty()) continue;
        try {
            names[k] = create_hypothetical(conn, sqls[k], options);
        } catch (const std::exception& e) {
            out.index_errors[k] = "cannot create the hypothetical index: " +
                                  redact_password(e.what(), options.conninfo);
        }
    }
    for (std::size_t i = 0; i < statements.size(); ++i)
        out.costs.push_back(
            set_cost(before.get(i), plan_read_only(conn, statements[i], options), names, expression_indexes(sqls)));
    hypopg_reset(conn);
}

// All of the set built for real in one transaction, always rolled back (an
// index that fails to build ends the transaction: every statement says why).
void plan_real_set(pqxx::connection& conn, BeforeCosts& before, const std::vector<WhatIfStatement>& statements,
                   const std::vector<std::string>& sqls, const WhatIfOptions& options, SetOutcome& out) {
    for (std::size_t i = 0; i < statements.size(); ++i) before.get(i);
    std::vector<std::string> names(sqls.size());
    std::vector<Planned> after(statements.size(), Planned{std::nullopt, "the set could not be built"});
    try {
        pqxx::work tx(conn);
        set_local_timeout(tx, options.statement_timeout_ms);
        tx.exec("SET LOCAL lock_timeout = '1s'");
        for (std::size_t k = 0; k < sqls.size(); ++k) {
            out.index_errors[k] = check_create_index(sqls[k], WhatIfMode::RealIndexRolledBack);
            if (!out.index_errors[k].empty()) continue;
            // Each was built alone in its trial already; one that fails now fails the set.
            tx.exec(sqls[k]);
            names[k] = index_created_here(tx);
        }
        for (std::size_t i = 0; i < statements.size(); ++i)
            after[i] = plan_in_savepoint(tx, statements[i], options.conninfo);
        tx.abort();
    } catch (const std::exception& e) {
        for (auto& a : after) a = Planned{std::nullopt, redact_password(e.what(), options.conninfo)};
    }
    for (std::size_t i = 0; i < statements.size(); ++i)
        out.costs.push_back(set_cost(before.get(i), after[i], names, expression_indexes(sqls)));
}

// ---- measure ------------------------------------------------------------------------

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

bool is_write(sql::StatementKind k) {
    return k == sql::StatementKind::Insert || k == sql::StatementKind::Update || k == sql::StatementKind::Delete ||
           k == sql::StatementKind::Merge;
}

// SQLSTATE 25006: the server refused a write in a read-only transaction (a
// data-modifying CTE, SELECT ... FOR UPDATE, a volatile function that writes).
bool refused_as_write(const pqxx::sql_error& e) { return e.sqlstate() == "25006"; }

struct Runs {
    std::vector<double> execution;
    std::vector<double> planning;
};

// EXPLAIN ANALYZE of one parameter set, `repetitions` times, in tx.
void analyze_runs(pqxx::transaction_base& tx, const std::string& statement, const ParamSet& params, int repetitions,
                  Runs& runs, std::vector<std::string>& indexes) {
    for (int r = 0; r < std::max(1, repetitions); ++r) {
        json plan = run_explain(tx, "EXPLAIN (ANALYZE, FORMAT JSON) ", statement, params);
        runs.execution.push_back(number_at(plan, "Execution Time"));
        runs.planning.push_back(number_at(plan, "Planning Time"));
        collect_index_names(plan["Plan"], indexes);
    }
}

// One transaction per parameter set. A read: read-only, committed (it wrote
// nothing). A write: read-write and always rolled back (pqxx::work's
// destructor aborts what is not committed).
template <typename Tx>
Measurement measure_sets(pqxx::connection& conn, const WhatIfStatement& s, const MeasureOptions& options) {
    Measurement m;
    double exec_sum = 0, plan_sum = 0;
    const auto sets = sets_of(s);
    for (const auto& params : sets) {
        Runs runs;
        {
            Tx tx(conn);
            set_local_timeout(tx, options.statement_timeout_ms);
            analyze_runs(tx, s.statement, params, options.repetitions, runs, m.indexes_used);
            tx.abort();
        }
        exec_sum += median(runs.execution);
        plan_sum += median(runs.planning);
    }
    m.execution_ms = exec_sum / static_cast<double>(sets.size());
    m.planning_ms = plan_sum / static_cast<double>(sets.size());
    return m;
}

Measurement skipped(std::string why) {
    Measurement m;
    m.skipped = std::move(why);
    return m;
}

Measurement measure_write(pqxx::connection& conn, const WhatIfStatement& s, const MeasureOptions& options,
                          const std::string& what) {
    if (!options.analyze_writes)
        return skipped(what + ": not executed without analyze_writes (it would run inside a rolled-back transaction)");
    return measure_sets<pqxx::work>(conn, s, options);
}

// The functions of `called` that pg_proc says are volatile in some overload:
// they may act outside the transaction (pg_terminate_backend, lo_import,
// dblink_exec, pg_sleep, nextval), which neither read-only nor rollback stops.
std::vector<std::string> volatile_functions(pqxx::connection& conn, const std::vector<std::string>& called) {
    std::vector<std::string> out;
    pqxx::read_transaction tx(conn);
    for (const auto& f : called)
        if (!tx.exec_params("SELECT 1 FROM pg_proc WHERE proname = $1 AND provolatile = 'v' LIMIT 1", f).empty())
            out.push_back(f);
    return out;
}

Measurement measure_one(pqxx::connection& conn, const WhatIfStatement& s, const MeasureOptions& options) {
    auto shape = sql::shape_statement(s.statement);
    if (!shape.shape) return skipped("cannot parse the statement: " + (shape.error ? shape.error->message : ""));
    const sql::StatementKind kind = shape.shape->kind;
    try {
        if (const auto v = volatile_functions(conn, shape.shape->functions); !v.empty())
            return skipped("calls volatile " + std::string(v.size() == 1 ? "function " : "functions ") + sql::join(v) +
                           ": not run (it could act outside the transaction that is rolled back: end a session, "
                           "write a file, wait)");
        if (is_write(kind))
            return measure_write(conn, s, options,
                                 std::string("a data-modifying statement (") + sql::to_string(kind) + ")");
        if (kind != sql::StatementKind::Select)
            return skipped(std::string("not a query (") + sql::to_string(kind) + "): not measured");
        try {
            // The server, not a parser, decides whether it writes: a read-only
            // transaction refuses a data-modifying CTE or FOR UPDATE.
            return measure_sets<pqxx::read_transaction>(conn, s, options);
        } catch (const pqxx::sql_error& e) {
            if (!refused_as_write(e)) throw;
            return measure_write(conn, s, options, "the server refused it in a read-only transaction");
        }
    } catch (const std::exception& e) {
        return skipped(redact_password(e.what(), options.conninfo));
    }
}

}  // namespace

namespace {

// A session ready for what-if planning, or why there is none: no connection,
// or (HypoPG mode) HypoPG not installed or unusable in this session.
struct Session {
    std::unique_ptr<pqxx::connection> conn;
    std::string connection_error;
    std::string unavailable_reason;
    bool ready() const { return conn && unavailable_reason.empty(); }
};

Session open_session(const WhatIfOptions& options) {
    Session s;
    s.conn = connect_to(options.conninfo, s.connection_error);
    if (!s.conn) return s;
    const bool auto_explain_off = prepare_session(*s.conn);
    if (options.mode != WhatIfMode::HypoPG) return s;
    HypoState hypo = probe_hypopg(*s.conn, options);
    if (!hypo.installed) {
        s.unavailable_reason = hypo.reason;
        return s;
    }
    hypopg_reset(*s.conn);  // nothing from before in this session (a pooled one could hold some)
    s.unavailable_reason = probe_hypothetical_plan(*s.conn, options, auto_explain_off);
    return s;
}

}  // namespace

WhatIfResult what_if(const WhatIfOptions& options, const std::vector<WhatIfStatement>& statements,
                     const std::vector<WhatIfTrial>& trials) {
    WhatIfResult result;
    Session session = open_session(options);
    result.connection_error = session.connection_error;
    result.unavailable_reason = session.unavailable_reason;
    result.hypopg_available = options.mode == WhatIfMode::HypoPG && session.ready();
    if (!session.ready()) return result;
    auto& conn = session.conn;
    BeforeCosts before(*conn, statements, options);
    for (const auto& trial : trials) {
        result.trials.push_back(options.mode == WhatIfMode::HypoPG
                                    ? hypopg_trial(*conn, before, statements, trial, options)
                                    : real_index_trial(*conn, before, statements, trial, options));
    }
    return result;
}

SetOutcome what_if_set(const WhatIfOptions& options, const std::vector<WhatIfStatement>& statements,
                       const std::vector<std::string>& create_index_sqls) {
    SetOutcome out;
    Session session = open_session(options);
    out.connection_error = session.connection_error;
    out.unavailable_reason = session.unavailable_reason;
    if (!session.ready()) return out;
    auto& conn = session.conn;
    out.index_errors.assign(create_index_sqls.size(), "");
    BeforeCosts before(*conn, statements, options);
    if (options.mode == WhatIfMode::HypoPG) plan_hypopg_set(*conn, before, statements, create_index_sqls, options, out);
    else plan_real_set(*conn, before, statements, create_index_sqls, options, out);
    out.planned = true;
    return out;
}

MeasureResult measure(const MeasureOptions& options, const std::vector<WhatIfStatement>& statements) {
    MeasureResult result;
    auto conn = connect_to(options.conninfo, result.connection_error);
    if (!conn) return result;
    try_session_setting(*conn, "SET auto_explain.log_min_duration = -1");
    for (const auto& s : statements) result.measurements.push_back(measure_one(*conn, s, options));
    return result;
}

}  // namespace pgadvisor::server
