#include "server/rewrite_check.hpp"

#include "sql/text.hpp"

#include <fmt/core.h>
#include <pqxx/pqxx>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "catalog/live_loader.hpp"

namespace pgadvisor::server {

using catalog::redact_password;
using KeyColumn = sql::BatchedLookup::KeyColumn;

// ---- the comparison --------------------------------------------------------------

namespace {

using Multiset = std::map<std::pair<std::string, Row>, long>;  // (key, row) -> how many times

std::string rows_word(long n) { return sql::counted(n, "row"); }

}  // namespace

std::optional<std::string> compare_loop(const std::vector<KeyRows>& calls, const std::vector<Row>& batched,
                                        KeyColumn key_column) {
    const bool keyed = key_column != KeyColumn::InRow;
    Multiset expected, got;
    std::size_t width = 0;
    long expected_rows = 0;
    for (const auto& call : calls)
        for (const auto& row : call.rows) {
            width = row.size();
            ++expected[{keyed ? call.key : std::string(), row}];
            ++expected_rows;
        }
    for (const auto& row : batched) {
        if (keyed && row.empty()) return "the batch returned a row without its key column";
        Row rest = row;
        std::string key;
        if (keyed) {
            const auto& k = key_column == KeyColumn::First ? row.front() : row.back();
            key = k ? *k : std::string("NULL");
            rest.erase(key_column == KeyColumn::First ? rest.begin() : rest.end() - 1);
        }
        if (expected_rows > 0 && rest.size() != width)
            return fmt::format("the batch returns {} besides its key where the loop's statement returns {}",
                               sql::counted(static_cast<long long>(rest.size()), "column"), width);
        ++got[{key, std::move(rest)}];
    }
    if (got == expected) return std::nullopt;
    if (!keyed)
        return fmt::format("the loop's {} calls returned {} in all, the batch {}{}", calls.size(),
                           rows_word(expected_rows), rows_word(static_cast<long>(batched.size())),
                           expected_rows == static_cast<long>(batched.size()) ? " (other rows)" : "");
    // Per key: the first key (in loop order) whose rows differ, by its place in the loop.
    for (std::size_t i = 0; i < calls.size(); ++i) {
        long mine = static_cast<long>(calls[i].rows.size()), theirs = 0;
        bool same = true;
        for (const auto& [entry, n] : got)
            if (entry.first == calls[i].key) theirs += n;
        for (const auto& [entry, n] : expected)
            if (entry.first == calls[i].key) {
                auto it = got.find(entry);
                same = same && it != got.end() && it->second == n;
            }
        if (!same || mine != theirs)
            return fmt::format("for key {} of {} in the loop, its call returned {}, the batch {}{}", i + 1,
                               calls.size(), rows_word(mine), rows_word(theirs), mine == theirs ? " (other rows)" : "");
    }
    return std::string("the batch returned rows for keys the loop did not look up");
}

std::string array_literal(const std::vector<std::optional<std::string>>& values) {
    std::string out = "{";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) out += ',';
        if (!values[i]) {
            out += "NULL";
            continue;
        }
        out += '"';
        for (char c : *values[i]) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

// ---- on the server -----------------------------------------------------------------

namespace {

// Read only, and one snapshot for a loop's calls and the batch that replaces them.
using CheckTransaction = pqxx::transaction<pqxx::isolation_level::repeatable_read, pqxx::readwrite_policy::read_only>;

std::vector<Row> run(pqxx::transaction_base& tx, const std::string& sql, const CallValues& values) {
    std::vector<const char*> params;
    for (const auto& v : values) params.push_back(v ? v->c_str() : nullptr);
    pqxx::result r = tx.exec_params(sql, pqxx::prepare::make_dynamic_params(params));
    std::vector<Row> rows;
    for (const auto& row : r) {
        Row out;
        for (const auto& field : row)
            out.push_back(field.is_null() ? std::nullopt : std::optional<std::string>(field.c_str()));
        rows.push_back(std::move(out));
    }
    return rows;
}

// PREPARE runs parse analysis only (nothing is planned or executed); DEALLOCATE
// at once, as a prepared statement outlives the transaction that made it.
void prepare(pqxx::transaction_base& tx, const std::string& sql) {
    std::string text = sql;
    while (!text.empty() && (text.back() == ';' || text.back() == ' ' || text.back() == '\n')) text.pop_back();
    tx.exec("PREPARE pgadvisor_rewrite_check AS " + text);
    tx.exec("DEALLOCATE pgadvisor_rewrite_check");
}

// A key of a loop, and the call that first looked it up.
struct KeyCall {
    std::optional<std::string> key;
    const CallValues* call = nullptr;
};

// The loop's distinct keys in log order.
std::vector<KeyCall> distinct_calls(const std::vector<CallValues>& loop, int key_param) {
    std::vector<KeyCall> out;
    std::set<std::optional<std::string>> seen;
    const auto k = static_cast<std::size_t>(key_param - 1);
    for (const auto& call : loop)
        if (k < call.size() && seen.insert(call[k]).second) out.push_back({call[k], &call});
    return out;
}

std::vector<std::optional<std::string>> keys_of(const std::vector<KeyCall>& calls) {
    std::vector<std::optional<std::string>> keys;
    for (const auto& c : calls) keys.push_back(c.key);
    return keys;
}

// The keys as the server prints them in the key's type ('007' is 7 as an integer), so the
// batch's key column compares with them; as logged when the type is unknown.
std::vector<std::string> printed_keys(pqxx::transaction_base& tx, const std::vector<std::optional<std::string>>& keys,
                                      const std::string& key_type) {
    std::vector<std::string> out;
    if (key_type.empty()) {
        for (const auto& k : keys) out.push_back(k ? *k : "NULL");
        return out;
    }
    const std::string array = array_literal(keys);
    pqxx::result r = tx.exec_params(
        "SELECT k::text FROM unnest($1::" + key_type + "[]) WITH ORDINALITY AS t(k, n) ORDER BY n", array);
    for (const auto& row : r) out.push_back(row[0].is_null() ? "NULL" : row[0].c_str());
    return out;
}

// One loop's distinct keys: each key's call, then the batch for all of them; nullopt when they agree.
std::optional<std::string> check_loop(pqxx::transaction_base& tx, const std::string& batched_sql, const BatchSamples& b,
                                      const std::vector<KeyCall>& calls) {
    if (calls.empty()) return std::nullopt;
    const auto keys = keys_of(calls);
    const auto printed = printed_keys(tx, keys, b.key_type);
    std::vector<KeyRows> expected;
    for (std::size_t i = 0; i < calls.size(); ++i)
        expected.push_back({printed[i], run(tx, b.per_call_sql, *calls[i].call)});
    const CallValues& first = *calls[0].call;
    CallValues batch_values;
    for (int n : b.origin) {
        if (n == b.key_param) batch_values.push_back(array_literal(keys));
        else
            batch_values.push_back(n >= 1 && static_cast<std::size_t>(n) <= first.size()
                                       ? first[static_cast<std::size_t>(n - 1)]
                                       : std::nullopt);
    }
    return compare_loop(expected, run(tx, batched_sql, batch_values), b.key_column);
}

// The logged loops in order, while their keys fit in the limits (see CompareLimits).
void compare_loops(pqxx::transaction_base& tx, const RewriteCheckRequest& request, const CompareLimits& limits,
                   RewriteCheckOutcome& out) {
    const BatchSamples& b = *request.batch;
    const std::size_t to_compare = std::min(limits.loops, b.loops.size());
    std::size_t calls_left = limits.calls;
    for (std::size_t l = 0; l < to_compare; ++l) {
        auto calls = distinct_calls(b.loops[l], b.key_param);
        if (calls.size() > calls_left) {
            if (l > 0) {
                out.not_compared = fmt::format("not compared on {}: at most {} calls are run per rewrite",
                                               sql::counted(static_cast<long>(to_compare - l), "more logged loop"),
                                               limits.calls);
                return;
            }
            calls.resize(calls_left);
        }
        calls_left -= calls.size();
        if (auto differs = check_loop(tx, request.sql, b, calls)) {
            out.error = fmt::format("it returned other rows than the loop on logged loop {} of {}: {}", l + 1,
                                    to_compare, *differs);
            return;
        }
        ++out.loops_equivalent;
        out.keys_compared += static_cast<int>(calls.size());
    }
}

RewriteCheckOutcome check_one(pqxx::connection& conn, const std::string& conninfo, int timeout_ms,
                              const RewriteCheckRequest& request, const CompareLimits& limits) {
    RewriteCheckOutcome out;
    try {
        CheckTransaction tx(conn);
        tx.exec(fmt::format("SET LOCAL statement_timeout = {}", std::max(1, timeout_ms)));
        prepare(tx, request.sql);
        out.prepared = true;
        if (!request.batch || request.batch->loops.empty()) {
            out.not_compared = request.batch ? "no logged loop with all of its values" : "not a batched lookup";
            return out;  // the destructor rolls back
        }
        compare_loops(tx, request, limits, out);
        tx.abort();
    } catch (const std::exception& e) {
        out.server_message = redact_password(e.what(), conninfo);
        if (!out.prepared) out.error = "it does not prepare on the server";
        else out.not_compared = "the comparison stopped on a server error";
    }
    return out;
}

}  // namespace

RewriteCheckResult check_rewrites(const std::string& conninfo, int statement_timeout_ms,
                                  const std::vector<RewriteCheckRequest>& requests, CompareLimits limits) {
    RewriteCheckResult result;
    std::unique_ptr<pqxx::connection> conn = catalog::connect_to(conninfo, result.connection_error);
    if (!conn) return result;
    try {
        pqxx::nontransaction quiet(*conn);
        quiet.exec("SET auto_explain.log_min_duration = -1");  // our statements stay out of the user's plans
    } catch (const std::exception&) {
    }
    for (const auto& r : requests)
        result.outcomes.push_back(check_one(*conn, conninfo, statement_timeout_ms, r, limits));
    return result;
}

}  // namespace pgadvisor::server
