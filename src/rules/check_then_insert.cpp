#include "rules/check_then_insert.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "catalog/index_serves.hpp"
#include "catalog/resolve.hpp"
#include "rules/evidence.hpp"
#include "rules/index_facts.hpp"
#include "rules/session_slots.hpp"
#include "sql/neutral_constants.hpp"
#include "sql/plpgsql.hpp"
#include "sql/quote.hpp"
#include "sql/rewrite.hpp"
#include "sql/shape.hpp"
#include "sql/text.hpp"
#include "workload/workload_digest.hpp"

namespace pgadvisor::rules {
namespace {

using sql::PredicateClass;
using sql::QueryShape;

// One column compared with = to a known value: a constant or bound parameter
// (user data: compared, never printed), or a ValueExpression such as
// CURRENT_DATE (its canonical text), which names the same value in the INSERT
// only within its stability (same_key).
struct KeyValue {
    std::string column;
    std::string value;
    std::optional<sql::ValueStability> expression;  // set when value is an expression's text
};

// Whether the INSERT's value for a key column is the SELECT's: the same constant
// or parameter value, or the same expression where it still has the same value
// (now() only in the SELECT's transaction; CURRENT_DATE in any, barring midnight).
bool same_key(const KeyValue& checked, const KeyValue& written, bool same_transaction) {
    if (checked.value != written.value || checked.expression != written.expression) return false;
    return !checked.expression || *checked.expression == sql::ValueStability::Day || same_transaction;
}

// An UPDATE of the checked row (same key values) seen after the SELECT.
struct UpdateSeen {
    std::string fingerprint, normalized;  // the shape's own, until the workload's are known
    std::vector<std::string> set_columns;
    long long count = 0;
};

// A SELECT waiting for the INSERT of its key.
struct Check {
    // What deciding whether it still waits reads (live), first, in one cache line: its session's
    // every statement asks that of every check, and the checks are in no cache by then.
    double at_ms = 0;
    std::size_t transaction_hash = 0;  // of transaction: most are told apart without reading the string
    std::size_t shape = 0;             // ShapeInfo::id; its texts are in select_texts_, once per shape
    std::string schema, table;
    std::vector<KeyValue> keys;  // in the SELECT's predicate order
    // Columns the SELECT also tests IS NULL (a soft delete's deleted_at): it looks among those rows
    // only, so the INSERT must leave them NULL, and the unique index is partial (key_scope).
    std::vector<std::string> null_columns;
    std::string session, transaction;
    std::size_t session_slot = 0;  // Execution::session_slot: the queue in sessions_ it waits in
    std::string request_id;        // request_tag_of: the same request on any pooled connection; empty when untagged
    long long serial = 0;          // tells this check apart in both of its queues (session, request)
    double duration_ms = 0;
    SourceLocation source;
};

// The SELECTs of a session (or request) waiting for their INSERT, oldest first:
// at most max_pending, so a vector, which unlike a deque allocates nothing while empty.
using Pending = std::vector<Check>;

// An INSERT of a tagged request that no waiting SELECT answered when it was read. The
// request's SELECT on another pooled connection may still be read after it, though it ran
// before: the reader passes an execute on at its connection's next line (auto_explain may
// log its plan after it), after later lines of other connections.
struct Unanswered {
    double at_ms = 0;
    std::size_t transaction_hash = 0;
    std::size_t shape = 0;  // the INSERT's ShapeInfo::id; its QueryShape is in insert_shapes_
    std::vector<workload::LiteralValue> values;
    std::string session, transaction, request, route;
    SourceLocation source;
};

// What a tagged request has waiting, across the connections of a pool.
struct RequestQueue {
    Pending checks;
    std::vector<Unanswered> inserts;  // oldest first, at most max_pending
    bool empty() const { return checks.empty() && inserts.empty(); }
};

// How late the reader may pass a statement on, after later ones of other sessions: an execute
// waits for its connection's next line, or for its session's end once quiet for 60 s (ingest
// ends quiet sessions past the rules' longest look back, checked every quarter of it). A
// request's SELECTs and INSERTs across sessions wait longer than window_ms for their other half
// by as late as the log has passed a statement on so far, plus kLateMarginMs, at most this;
// within one session the log's order is the order they ran in.
constexpr double kPassedOnLateMs = 90'000;
constexpr double kLateMarginMs = 1'000;

// One SELECT..INSERT of a pair: where each ran.
struct SeenAt {
    SourceLocation select, insert;
    bool operator<(const SeenAt& o) const {
        return std::tie(select.file, select.first_line, insert.file, insert.first_line) <
               std::tie(o.select.file, o.select.first_line, o.insert.file, o.insert.first_line);
    }
};
// Places kept per pair: the first by the SELECT's file and line, which is the same
// whichever order parts of the logs are read and merged in.
constexpr std::size_t kSeenAt = 5;

void keep_seen_at(std::vector<SeenAt>& kept, const SeenAt& one) {
    if (kept.size() >= kSeenAt && !(one < kept.back())) return;
    kept.insert(std::upper_bound(kept.begin(), kept.end(), one), one);
    if (kept.size() > kSeenAt) kept.pop_back();
}

// The places a finding lists: SELECT..INSERT as one range when in one file, else
// both; at most kSeenAt, and the statements' own places for those shown.
struct PairPlaces {
    std::vector<SourceLocation> examples, selects, inserts;
};

PairPlaces places_of(const std::vector<SeenAt>& seen) {
    PairPlaces out;
    for (const auto& [select, insert] : seen) {
        if (out.examples.size() >= kSeenAt) break;
        if (select.file == insert.file) out.examples.push_back({insert.file, select.first_line, insert.last_line});
        else {
            out.examples.push_back(select);
            out.examples.push_back(insert);
        }
        out.selects.push_back(select);
        out.inserts.push_back(insert);
    }
    return out;
}

struct Pair {
    std::size_t select_shape = 0, insert_shape = 0;
    std::string select_fp, select_normalized, insert_fp, insert_normalized;
    std::string schema, table;
    std::vector<std::string> keys;
    std::vector<std::string> null_columns;  // Check::null_columns of its SELECT
    long long count = 0;
    long long same_transaction = 0;
    long long same_request = 0;  // not in one transaction, but in one tagged request
    long long across_sessions = 0;
    double select_ms = 0;
    // The INSERT ran inside a PL/pgSQL body (sql::BodyStatement): insert_shape is
    // the statement that holds the body (CREATE FUNCTION, DO), these the INSERT itself.
    std::string routine;  // empty for a plain INSERT
    bool catches_unique_violation = false;
    std::optional<QueryShape> body_insert;
    std::string holder_fp, holder_normalized;  // the CREATE FUNCTION / DO statement's, as the workload has it
    std::vector<std::string> expression_keys;  // key columns given by a ValueExpression in both statements
    // Counted, not kept: a pair seen in every session of a long log must not hold every session's key.
    workload::DistinctKeys sessions, transactions, requests;
    std::set<std::string> routes;
    std::vector<SeenAt> seen_at;
};

// A pair as a digest keeps it (Rule::saved_state): counts, texts, places; no key
// value (the pair holds none). A PL/pgSQL body's INSERT is kept as its neutral text
// (sql/neutral_constants.hpp), from which its shape is built again.
nlohmann::json pair_json(const Pair& p, bool show_literals) {
    nlohmann::json seen = nlohmann::json::array();
    for (const auto& s : p.seen_at)
        seen.push_back({workload::location_json(s.select), workload::location_json(s.insert)});
    nlohmann::json j = {{"select_shape", p.select_shape},
                        {"insert_shape", p.insert_shape},
                        {"select_fp", p.select_fp},
                        {"select_normalized", p.select_normalized},
                        {"insert_fp", p.insert_fp},
                        {"insert_normalized", p.insert_normalized},
                        {"schema", p.schema},
                        {"table", p.table},
                        {"keys", p.keys},
                        {"null_columns", p.null_columns},
                        {"expression_keys", p.expression_keys},
                        {"count", p.count},
                        {"same_transaction", p.same_transaction},
                        {"same_request", p.same_request},
                        {"across_sessions", p.across_sessions},
                        {"select_ms", p.select_ms},
                        {"sessions", workload::keys_json(p.sessions)},
                        {"transactions", workload::keys_json(p.transactions)},
                        {"requests", workload::keys_json(p.requests)},
                        {"routes", p.routes},
                        {"seen_at", std::move(seen)}};
    if (p.body_insert) {
        const std::string text = show_literals
                                     ? p.body_insert->text
                                     : sql::with_neutral_constants(p.body_insert->text).value_or(p.insert_normalized);
        j["body"] = {{"routine", p.routine},
                     {"catches_unique_violation", p.catches_unique_violation},
                     {"insert", text},
                     {"holder_fp", p.holder_fp},
                     {"holder_normalized", p.holder_normalized}};
    }
    return j;
}

Pair pair_from(const nlohmann::json& j, const std::vector<std::size_t>& shape_ids) {
    Pair p;
    p.select_shape = shape_ids.at(workload::number_from<std::size_t>(j.at("select_shape")));
    p.insert_shape = shape_ids.at(workload::number_from<std::size_t>(j.at("insert_shape")));
    p.select_fp = j.at("select_fp").get<std::string>();
    p.select_normalized = j.at("select_normalized").get<std::string>();
    p.insert_fp = j.at("insert_fp").get<std::string>();
    p.insert_normalized = j.at("insert_normalized").get<std::string>();
    p.schema = j.at("schema").get<std::string>();
    p.table = j.at("table").get<std::string>();
    p.keys = j.at("keys").get<std::vector<std::string>>();
    // Digest format version 2; a version 1 digest's pairs test no column IS NULL (none was paired then).
    if (j.contains("null_columns")) p.null_columns = j.at("null_columns").get<std::vector<std::string>>();
    p.expression_keys = j.at("expression_keys").get<std::vector<std::string>>();
    p.count = workload::number_from<long long>(j.at("count"));
    p.same_transaction = workload::number_from<long long>(j.at("same_transaction"));
    p.same_request = workload::number_from<long long>(j.at("same_request"));
    p.across_sessions = workload::number_from<long long>(j.at("across_sessions"));
    p.select_ms = workload::number_from<double>(j.at("select_ms"));
    p.sessions = workload::keys_from(j.at("sessions"));
    p.transactions = workload::keys_from(j.at("transactions"));
    p.requests = workload::keys_from(j.at("requests"));
    p.routes = j.at("routes").get<std::set<std::string>>();
    for (const auto& s : j.at("seen_at"))
        p.seen_at.push_back({workload::location_from(s.at(0)), workload::location_from(s.at(1))});
    if (j.contains("body")) {
        const auto& b = j.at("body");
        p.routine = b.at("routine").get<std::string>();
        p.catches_unique_violation = b.at("catches_unique_violation").get<bool>();
        auto shaped = sql::shape_statement(b.at("insert").get<std::string>());
        if (!shaped.shape) throw std::runtime_error("a PL/pgSQL body's INSERT that does not parse");
        p.body_insert = std::move(*shaped.shape);
        p.holder_fp = b.at("holder_fp").get<std::string>();
        p.holder_normalized = b.at("holder_normalized").get<std::string>();
    }
    return p;
}

// Another part's occurrences of the same pair (same shapes): counted together.
void merge_pair(Pair& into, Pair&& part) {
    if (into.count == 0) {
        into = std::move(part);
        return;
    }
    into.count += part.count;
    into.same_transaction += part.same_transaction;
    into.same_request += part.same_request;
    into.across_sessions += part.across_sessions;
    into.select_ms += part.select_ms;
    into.sessions.merge(part.sessions);
    into.transactions.merge(part.transactions);
    into.requests.merge(part.requests);
    into.routes.insert(part.routes.begin(), part.routes.end());
    for (const auto& s : part.seen_at) keep_seen_at(into.seen_at, s);
}

// What the UPSERT replaces and writes: the UPDATE the application ran after
// the SELECT (if any), the columns DO UPDATE sets, those it cannot, and the statement.
struct Upsert {
    struct Update {
        const UpdateSeen* seen = nullptr;  // nullptr: no UPDATE of the checked row was seen
        std::size_t shape = 0;             // its ShapeInfo id
        std::string fingerprint, normalized;
    } update;
    std::vector<std::string> set_columns;  // set by the UPDATE and written by the INSERT: DO UPDATE SET
    std::vector<std::string> dropped;      // set by the UPDATE only: EXCLUDED does not have them
    std::vector<std::string> returning;    // what the SELECT returned ("*"): the caller used the row it found
    bool no_op_update = false;             // DO UPDATE SET k = EXCLUDED.k, only so that RETURNING gives the row
    sql::Parsed<std::string> statement;    // the INSERT ... ON CONFLICT, or why it could not be built
    std::string note;                      // what changes for the caller (Finding::rewrite_note)
};

// The columns a SELECT returns from the row it found ("*" for all), or none when
// it only checks that a row exists (SELECT 1, count(*)): what the UPSERT must
// return for an existing key so that the caller still gets the row it used.
std::vector<std::string> returned_columns(const QueryShape* select) {
    if (!select) return {};
    if (select->select_star) return {"*"};
    std::vector<std::string> out;
    for (const auto& c : select->output_columns)
        if (!c.column.empty() && std::find(out.begin(), out.end(), c.column) == out.end()) out.push_back(c.column);
    return out;
}

// Whether the pair's key columns have a unique index or constraint in the catalog.
enum class KeyState { Unique, Missing, Unknown /* no catalog, or the table is not in it */ };

bool same_table(const std::string& s1, const std::string& t1, const std::string& s2, const std::string& t2) {
    return t1 == t2 && (s1.empty() || s2.empty() || s1 == s2);
}

// The value of literal `index` in this execution, when it is known and not NULL.
const std::string* value_at(const std::vector<workload::LiteralValue>& values, int index) {
    if (index < 0 || static_cast<std::size_t>(index) >= values.size()) return nullptr;
    const auto& v = values[static_cast<std::size_t>(index)];
    return v.known && v.text ? &*v.text : nullptr;
}

// The value a predicate compares its column with in this execution: a known
// constant or parameter, or a ValueExpression (day = CURRENT_DATE) with its stability.
struct ComparedValue {
    const std::string* text = nullptr;
    std::optional<sql::ValueStability> expression;  // set when text is an expression's
};

std::optional<ComparedValue> compared_value(const workload::Execution& e, const sql::Predicate& p) {
    if (p.operand == sql::OperandKind::Expression && p.value_expression)
        return ComparedValue{&p.value_expression->text, p.value_expression->stability};
    if (p.operand != sql::OperandKind::Constant && p.operand != sql::OperandKind::Parameter) return std::nullopt;
    const std::string* v = value_at(e.values, p.literal_index);
    if (!v) return std::nullopt;
    return ComparedValue{v, std::nullopt};
}

// Equality predicates `col = constant/$n/value expression` on table ref `table`
// with known values, into `keys` (emptied first, its memory reused: most SELECTs are
// looked at); false when there is none, or when any predicate on the table is something
// else (a range, IN, a function of the column, ...): then the statement does not look one key up.
// With `null_columns`, `col IS NULL` tests are taken too, into it (sorted): the rows the key is
// looked up among (a soft delete's `deleted_at IS NULL`).
bool key_lookup(const workload::Execution& e, const QueryShape& q, int table, std::vector<KeyValue>& keys,
                std::vector<std::string>* null_columns = nullptr) {
    keys.clear();
    if (null_columns) null_columns->clear();
    for (const auto& p : q.predicates) {
        if (p.column.table != table) continue;
        if (null_columns && p.cls == PredicateClass::IsNull && p.function.empty() && !p.in_join &&
            !p.column.column.empty()) {
            null_columns->push_back(p.column.column);
            continue;
        }
        if (p.cls != PredicateClass::Equality || !p.function.empty() || p.in_join) return false;
        const auto v = compared_value(e, p);
        if (!v) return false;
        auto same = [&](const KeyValue& k) { return k.column == p.column.column; };
        auto it = std::find_if(keys.begin(), keys.end(), same);
        if (it == keys.end()) {
            KeyValue& k = keys.emplace_back();
            k.column = p.column.column;
            k.value = *v->text;
            k.expression = v->expression;
        } else if (it->value != *v->text || it->expression != v->expression) {
            return false;  // a = 1 AND a = 2: no row, no key
        }
    }
    if (null_columns) {
        std::sort(null_columns->begin(), null_columns->end());
        null_columns->erase(std::unique(null_columns->begin(), null_columns->end()), null_columns->end());
        for (const auto& k : keys)
            if (std::binary_search(null_columns->begin(), null_columns->end(), k.column))
                return false;  // a = 1 AND a IS NULL
    }
    return !keys.empty();
}

// The partial unique index's predicate for a key looked up among rows whose `null_columns` are
// NULL: what ON CONFLICT names to infer it; empty for none.
std::string key_scope(const std::vector<std::string>& null_columns) {
    std::vector<std::string> tests;
    for (const auto& c : null_columns) tests.push_back(sql::quote_ident(c) + " IS NULL");
    return sql::join(tests, " AND ");
}

using sql::join;

class CheckThenInsert final : public Rule {
public:
    explicit CheckThenInsert(const RuleConfig& config)
        : Rule(config),
          window_ms_(config.number("window_ms")),
          min_occurrences_(config.integer("min_occurrences")),
          max_pending_(static_cast<std::size_t>(std::max<std::int64_t>(1, config.integer("max_pending")))) {}

    void observe(const workload::Execution& e) override {
        if (!e.shape.shape) return;
        const QueryShape& q = *e.shape.shape;
        const std::string request_id = request_tag_of(e);
        note_lateness(e.statement.epoch_ms);
        // Found, not made: most statements' sessions have no SELECT waiting. Found once:
        // the session's queue is pruned, added to and freed when empty through it.
        Pending* pending = sessions_.find(e.session_slot);
        if (pending && pending->empty()) pending = nullptr;
        if (pending) prune(*pending, e);
        sweep();
        switch (q.kind) {
            case sql::StatementKind::Select:
                if (Pending* joined = remember_select(e, q, request_id, pending)) pending = joined;
                break;
            case sql::StatementKind::Update:
                if (pending) match_update(*pending, e, q);
                break;
            case sql::StatementKind::Insert: match_insert(e, q, e.values, {}); break;
            default:
                if (sql::may_hold_plpgsql_body(q)) match_body_inserts(e);
                break;
        }
        if (pending && pending->empty()) Pending().swap(*pending);  // its memory too, as most sessions wait for nothing
        if (!request_id.empty())
            if (auto it = requests_.find(request_id); it != requests_.end() && it->second.empty()) requests_.erase(it);
    }

    // A check is joined to a later statement of its session within window_ms (or its transaction).
    double session_lookback_ms() const override { return window_ms_; }

    // Its SELECTs wait no more (those of a tagged request stay in requests_ for the request's other sessions).
    void end_session(const std::string& /*session*/, std::size_t slot) override {
        if (Pending* pending = sessions_.find(slot)) Pending().swap(*pending);
    }

    nlohmann::json saved_state(bool show_literals) override {
        nlohmann::json pairs = nlohmann::json::array();
        for (const auto& [key, pair] : pairs_) {
            auto j = pair_json(pair, show_literals);
            j["body_key"] = std::get<2>(key);
            pairs.push_back(std::move(j));
        }
        nlohmann::json updates = nlohmann::json::array();
        for (const auto& [select, by_update] : updates_)
            for (const auto& [update, seen] : by_update)
                updates.push_back({select, update, seen.fingerprint, seen.normalized, seen.set_columns, seen.count});
        return {{"pairs", std::move(pairs)}, {"updates", std::move(updates)}};
    }

    bool merge_state(const nlohmann::json& state, const std::vector<std::size_t>& shape_ids,
                     std::string& error) override {
        try {
            for (const auto& j : state.at("pairs")) {
                Pair p = pair_from(j, shape_ids);
                auto& into = pairs_[{p.select_shape, p.insert_shape, j.at("body_key").get<std::string>()}];
                merge_pair(into, std::move(p));
            }
            for (const auto& u : state.at("updates")) {
                auto& seen = updates_[shape_ids.at(workload::number_from<std::size_t>(u.at(0)))]
                                     [shape_ids.at(workload::number_from<std::size_t>(u.at(1)))];
                seen.fingerprint = u.at(2).get<std::string>();
                seen.normalized = u.at(3).get<std::string>();
                seen.set_columns = u.at(4).get<std::vector<std::string>>();
                seen.count += workload::number_from<long long>(u.at(5));
            }
        } catch (const std::exception& e) {
            error = std::string("check-then-insert's pairs do not read: ") + e.what();
            return false;
        }
        return true;
    }

    void finish(const RuleInput& input, std::vector<Finding>& out) override {
        for (auto& [key, pair] : pairs_) {
            if (pair.count < min_occurrences_ || default_out_of_scope(input.catalog, pair)) continue;
            final_text(input, pair.select_shape, pair.select_fp, pair.select_normalized);
            // A body's INSERT keeps its own text: the workload's is that of the CREATE FUNCTION / DO.
            if (!pair.body_insert) final_text(input, pair.insert_shape, pair.insert_fp, pair.insert_normalized);
            else final_text(input, pair.insert_shape, pair.holder_fp, pair.holder_normalized);
            out.push_back(finding_for(input, pair));
        }
        sessions_.clear();
        requests_.clear();
    }

private:
    double window_ms_;
    std::int64_t min_occurrences_;
    std::size_t max_pending_;
    long long next_serial_ = 0;
    double last_sweep_ms_ = 0;
    double latest_ms_ = 0, max_late_ms_ = 0;  // note_lateness
    // SELECTs waiting for their INSERT, by session (its slot, Execution::session_slot), and by
    // request tag for a request whose statements a connection pool spreads over several sessions.
    BySessionSlot<Pending> sessions_;
    std::unordered_map<std::string, RequestQueue> requests_;
    // The QueryShape of each INSERT shape an Unanswered names, kept once per shape.
    std::unordered_map<std::size_t, QueryShape> insert_shapes_;
    std::vector<KeyValue> keys_;             // a statement's keys (key_lookup), kept for its memory
    std::vector<std::string> null_columns_;  // and the columns it tests IS NULL
    // A checking SELECT shape's fingerprint and normalized text (the shape's own, until the
    // workload's are known), kept once per shape rather than in each of its waiting Checks.
    std::unordered_map<std::size_t, std::pair<std::string, std::string>> select_texts_;
    // Keyed by ShapeInfo ids (select, insert) and, for an INSERT inside a PL/pgSQL
    // body, the INSERT's own fingerprint: fingerprints and normalized texts are only final in the Workload.
    std::map<std::tuple<std::size_t, std::size_t, std::string>, Pair> pairs_;
    std::map<std::size_t, std::map<std::size_t, UpdateSeen>> updates_;  // select -> update -> what it sets

    // The request a statement belongs to on any connection of a pool: a
    // request_id tag (sqlcommenter, marginalia) or a traceparent's trace id.
    // The workload's own request key is per session, since untagged
    // statements and other tags only group within one connection.
    static std::string request_tag_of(const workload::Execution& e) {
        static const std::string kRequestId = "request_id";
        if (!e.tags.empty()) {
            auto r = e.tags.find(kRequestId);
            if (r != e.tags.end() && !r->second.empty()) return "id:" + r->second;
        }
        if (workload::is_trace_request(e.request)) return e.request;
        return {};
    }

    // The workload's fingerprint and normalized text of a shape (the ingest
    // stage's, shared by every statement of the shape) once it is known.
    static void final_text(const RuleInput& input, std::size_t id, std::string& fp, std::string& normalized) {
        if (!input.workload || id >= input.workload->shapes.size()) return;
        const auto& info = input.workload->shapes[id];
        if (!info.fingerprint.empty()) fp = info.fingerprint;
        if (!info.normalized.empty()) normalized = info.normalized;
    }

    // The INSERT (or UPDATE) `e` may still belong to `c`: same transaction, or close enough in time.
    bool live(const Check& c, const workload::Execution& e) const {
        return live(c, e.transaction, std::hash<std::string>{}(e.transaction), e.statement.epoch_ms);
    }
    bool live(const Check& c, const std::string& transaction, std::size_t transaction_hash, double now) const {
        // The times first: a string compare is the dearer test, and most checks pass on time.
        if (c.at_ms > 0 && now > 0 && now >= c.at_ms && now - c.at_ms <= window_ms_) return true;
        return c.transaction_hash == transaction_hash && !c.transaction.empty() && c.transaction == transaction;
    }

    void prune(Pending& pending, const workload::Execution& e) {
        const std::size_t transaction_hash = std::hash<std::string>{}(e.transaction);
        pending.erase(std::remove_if(pending.begin(), pending.end(),
                                     [&](const Check& c) {
                                         return !live(c, e.transaction, transaction_hash, e.statement.epoch_ms);
                                     }),
                      pending.end());
    }

    // The log's latest time, and how far behind it a statement has been read.
    void note_lateness(double at_ms) {
        if (at_ms <= 0) return;
        if (at_ms > latest_ms_) latest_ms_ = at_ms;
        else max_late_ms_ = std::max(max_late_ms_, latest_ms_ - at_ms);
    }

    // Requests that never come back would keep their checks and INSERTs: once per window, drop
    // those whose other half can no longer come, read late as it may be (kPassedOnLateMs). A
    // transaction of the check's own session still finds it in the session's queue.
    void sweep() {
        const double now = latest_ms_;
        if (now <= 0 || now - last_sweep_ms_ < window_ms_) return;
        last_sweep_ms_ = now;
        const double late = std::min(kPassedOnLateMs, max_late_ms_ + kLateMarginMs);
        const auto over = [&](double at_ms) { return at_ms <= 0 || now - at_ms > window_ms_ + late; };
        for (auto it = requests_.begin(); it != requests_.end();) {
            auto& [checks, inserts] = it->second;
            std::erase_if(checks, [&](const Check& c) { return over(c.at_ms); });
            std::erase_if(inserts, [&](const Unanswered& i) { return over(i.at_ms); });
            it = it->second.empty() ? requests_.erase(it) : std::next(it);
        }
    }

    // The session's queue the SELECT joined (`pending` when it had one), or null when it is no key lookup.
    Pending* remember_select(const workload::Execution& e, const QueryShape& q, const std::string& request_id,
                             Pending* pending) {
        // One table read: a lookup of one row, not a join or a report.
        if (q.tables.size() != 1 || q.has_window || !q.group_by.empty()) return nullptr;
        if (!key_lookup(e, q, 0, keys_, &null_columns_)) return nullptr;
        select_texts_.try_emplace(e.shape.id, q.fingerprint_hex, q.normalized);
        Pending& session = pending ? *pending : sessions_.at(e.session_slot);
        // Made in place at the queue's end; the oldest goes once it is kept (below).
        Check& c = session.emplace_back();
        c.shape = e.shape.id;
        c.schema = q.tables[0].schema;
        c.table = q.tables[0].name;
        c.keys = keys_;
        c.null_columns = null_columns_;
        c.session = e.session;
        c.session_slot = e.session_slot;
        c.transaction = e.transaction;
        c.transaction_hash = std::hash<std::string>{}(e.transaction);
        c.request_id = request_id;
        c.serial = ++next_serial_;
        c.at_ms = e.statement.epoch_ms;
        c.duration_ms = e.statement.duration_ms.value_or(0);
        c.source = e.statement.source;
        if (!request_id.empty()) {
            RequestQueue& request = requests_[request_id];
            if (answer_from_read_inserts(c, request)) {
                session.pop_back();  // answered: it waits for no other INSERT
                return &session;
            }
            push_bounded(request.checks, c);
        }
        if (session.size() > max_pending_) session.erase(session.begin());
        return &session;
    }

    template <typename T>
    void push_bounded(std::vector<T>& queue, T item) const {
        queue.push_back(std::move(item));
        if (queue.size() > max_pending_) queue.erase(queue.begin());
    }

    // A check whose INSERT, on another connection of its request, was read before it: the
    // first such INSERT after it in time, as match_insert would have paired them in that order.
    bool answer_from_read_inserts(const Check& c, RequestQueue& request) {
        auto first = request.inserts.end();
        for (auto it = request.inserts.begin(); it != request.inserts.end(); ++it) {
            const QueryShape& q = insert_shapes_.at(it->shape);
            const auto& target = q.tables[static_cast<std::size_t>(q.insert->table)];
            if (!same_table(c.schema, c.table, target.schema, target.name)) continue;
            if (!live(c, it->transaction, it->transaction_hash, it->at_ms)) continue;
            const bool one_tx = !c.transaction.empty() && c.transaction == it->transaction;
            if (!inserts_key(c, it->values, *q.insert, one_tx)) continue;
            if (first == request.inserts.end() || it->at_ms < first->at_ms) first = it;
        }
        if (first == request.inserts.end()) return false;
        const QueryShape& q = insert_shapes_.at(first->shape);
        record(c,
               InsertSeen{first->shape, q, nullptr, nullptr, first->session, first->transaction, first->request,
                          first->route, first->source},
               /*same_request=*/true);
        request.inserts.erase(first);
        return true;
    }

    // An INSERT of a tagged request that answered no check, for a SELECT read after it (Unanswered).
    void keep_unanswered(const workload::Execution& e, const QueryShape& q, const std::string& request_id) {
        insert_shapes_.try_emplace(e.shape.id, q);
        Unanswered u;
        u.at_ms = e.statement.epoch_ms;
        u.transaction_hash = std::hash<std::string>{}(e.transaction);
        u.shape = e.shape.id;
        u.values = e.values;
        u.session = e.session;
        u.transaction = e.transaction;
        u.request = e.request;
        u.route = workload::route_of(e.tags);
        u.source = e.statement.source;
        push_bounded(requests_[request_id].inserts, std::move(u));
    }

    void match_update(Pending& pending, const workload::Execution& e, const QueryShape& q) {
        if (q.tables.empty() || !q.tables[0].written || q.set_columns.empty()) return;
        if (!key_lookup(e, q, 0, keys_)) return;
        const std::vector<KeyValue>& keys = keys_;
        for (auto it = pending.rbegin(); it != pending.rend(); ++it) {
            if (!same_table(it->schema, it->table, q.tables[0].schema, q.tables[0].name)) continue;
            // The UPDATE addresses exactly the row the SELECT looked up.
            const bool one_tx = !it->transaction.empty() && it->transaction == e.transaction;
            bool same = keys.size() == it->keys.size();
            for (const auto& k : it->keys) {
                auto hit = std::find_if(keys.begin(), keys.end(),
                                        [&](const KeyValue& u) { return u.column == k.column; });
                same = same && hit != keys.end() && same_key(k, *hit, one_tx);
            }
            if (!same) continue;
            auto& seen = updates_[it->shape][e.shape.id];
            seen.fingerprint = q.fingerprint_hex;
            seen.normalized = q.normalized;
            seen.set_columns = q.set_columns;
            ++seen.count;
            return;  // the SELECT may still be followed by an INSERT (UPDATE found no row)
        }
    }

    // The INSERTs of the PL/pgSQL bodies this statement creates or runs (a
    // CREATE FUNCTION, a DO block), with the values written in the body.
    void match_body_inserts(const workload::Execution& e) {
        for (const auto& body : sql::plpgsql_body_statements(e.statement.text)) {
            if (body.shape.kind != sql::StatementKind::Insert) continue;
            std::vector<workload::LiteralValue> values;
            for (const auto& l : body.shape.literals) {
                // A $n in a body is the routine's argument: its value is not in the text.
                const bool known = l.kind == sql::LiteralKind::Constant && !l.is_null;
                values.push_back({known ? std::optional<std::string>(l.value) : std::nullopt, known});
            }
            match_insert(e, body.shape, values, &body);
        }
    }

    // A SELECT waiting in this session, or in this request on another session of
    // the pool, that the INSERT answers; then it answers no other INSERT.
    void match_insert(const workload::Execution& e, const QueryShape& q,
                      const std::vector<workload::LiteralValue>& values, const sql::BodyStatement* body) {
        const auto& ins = q.insert;
        if (!ins || ins->from_select || ins->on_conflict != sql::ConflictAction::None || ins->table < 0 ||
            ins->columns.empty())
            return;
        const auto& target = q.tables[static_cast<std::size_t>(ins->table)];
        const std::string request_id = request_tag_of(e);
        for (auto* pending : {sessions_.find(e.session_slot), request_checks(request_id)}) {
            if (!pending) continue;
            for (auto it = pending->rbegin(); it != pending->rend(); ++it) {
                if (!same_table(it->schema, it->table, target.schema, target.name)) continue;
                // Two requests that share a pooled connection: tagged apart, never one sequence.
                if (!it->request_id.empty() && !request_id.empty() && it->request_id != request_id) continue;
                if (!live(*it, e)) continue;
                const bool one_tx = !it->transaction.empty() && it->transaction == e.transaction;
                if (!inserts_key(*it, values, *ins, one_tx)) continue;
                const Check c = *it;
                forget(c);
                record(c,
                       InsertSeen{e.shape.id, q, body, e.shape.shape ? &*e.shape.shape : nullptr, e.session,
                                  e.transaction, e.request, workload::route_of(e.tags), e.statement.source},
                       !request_id.empty() && c.request_id == request_id);
                return;
            }
        }
        // A body's INSERT runs in its holder's session: its SELECT came before it in this session.
        if (!request_id.empty() && !body) keep_unanswered(e, q, request_id);
    }

    // The checks a tagged request has waiting; null when untagged or none.
    Pending* request_checks(const std::string& request_id) {
        if (request_id.empty()) return nullptr;
        auto it = requests_.find(request_id);
        return it == requests_.end() ? nullptr : &it->second.checks;
    }

    // One SELECT answers one INSERT: take it out of both of its queues.
    void forget(const Check& c) {
        auto drop = [&](Pending* q) {
            if (!q) return;
            auto same = [&](const Check& other) { return other.serial == c.serial; };
            q->erase(std::remove_if(q->begin(), q->end(), same), q->end());
        };
        // Its session's queue, unless the session ended (then a later session's, where it is not).
        drop(sessions_.find(c.session_slot));
        drop(request_checks(c.request_id));
    }

    // Some VALUES row gives every key column of the check the value the SELECT looked for.
    static bool inserts_key(const Check& c, const std::vector<workload::LiteralValue>& values,
                            const sql::InsertInfo& ins, bool same_transaction) {
        for (std::size_t r = 0; r < ins.value_literals.size(); ++r) {
            // The new row must be among those the SELECT looked at: a column it tested IS NULL is
            // left out (its default) or written NULL (Rails 7 writes every column).
            bool all = std::all_of(c.null_columns.begin(), c.null_columns.end(), [&](const std::string& n) {
                auto col = std::find(ins.columns.begin(), ins.columns.end(), n);
                return col == ins.columns.end() ||
                       writes_null(values, ins, r, static_cast<std::size_t>(col - ins.columns.begin()));
            });
            for (const auto& k : c.keys) {
                auto col = std::find(ins.columns.begin(), ins.columns.end(), k.column);
                if (col == ins.columns.end()) return false;  // the INSERT does not write the key
                const auto pos = static_cast<std::size_t>(col - ins.columns.begin());
                const auto written = written_value(values, ins, r, pos);
                all = all && written && same_key(k, *written, same_transaction);
            }
            if (all) return true;
        }
        return false;
    }

    // Whether VALUES row `r` writes a known NULL at position `pos` (NULL, or a parameter bound to NULL).
    static bool writes_null(const std::vector<workload::LiteralValue>& values, const sql::InsertInfo& ins,
                            std::size_t r, std::size_t pos) {
        const auto& row = ins.value_literals[r];
        if (pos >= row.size() || row[pos] < 0 || static_cast<std::size_t>(row[pos]) >= values.size()) return false;
        const auto& v = values[static_cast<std::size_t>(row[pos])];
        return v.known && !v.text;
    }

    // What VALUES row `r` writes at position `pos`: a literal's known value or a
    // value expression's text; nullopt when neither is known (DEFAULT, a function of a column).
    static std::optional<KeyValue> written_value(const std::vector<workload::LiteralValue>& values,
                                                 const sql::InsertInfo& ins, std::size_t r, std::size_t pos) {
        const auto& row = ins.value_literals[r];
        if (const std::string* v = pos < row.size() ? value_at(values, row[pos]) : nullptr)
            return KeyValue{{}, *v, std::nullopt};
        if (r < ins.value_expressions.size() && pos < ins.value_expressions[r].size())
            if (const auto& x = ins.value_expressions[r][pos]) return KeyValue{{}, x->text, x->stability};
        return std::nullopt;
    }

    // The INSERT half of a pair: the statement read now (match_insert), or one read before its
    // SELECT and kept (Unanswered).
    struct InsertSeen {
        std::size_t shape = 0;  // ShapeInfo::id of the statement: the INSERT, or the body's holder
        const QueryShape& insert;
        const sql::BodyStatement* body = nullptr;  // the PL/pgSQL body the INSERT is in, if any
        const QueryShape* holder = nullptr;        // the statement holding the body
        const std::string &session, &transaction, &request, route;
        SourceLocation source;
    };

    void record(const Check& c, const InsertSeen& i, bool same_request) {
        const QueryShape& insert = i.insert;
        const sql::BodyStatement* body = i.body;
        Pair& p = pairs_[{c.shape, i.shape, body ? insert.fingerprint_hex : std::string()}];
        if (p.count == 0) {
            p.select_shape = c.shape;
            p.insert_shape = i.shape;
            const auto& [fingerprint, normalized] = select_texts_.at(c.shape);
            p.select_fp = fingerprint;
            p.select_normalized = normalized;
            p.insert_fp = insert.fingerprint_hex;
            p.insert_normalized = insert.normalized;
            p.schema = c.schema;
            p.table = c.table;
            p.null_columns = c.null_columns;
            for (const auto& k : c.keys) {
                p.keys.push_back(k.column);
                if (k.expression) p.expression_keys.push_back(k.column);
            }
            if (body) {
                p.routine = body->routine;
                p.catches_unique_violation = body->catches_unique_violation;
                p.body_insert = insert;
                p.holder_fp = i.holder->fingerprint_hex;
                p.holder_normalized = i.holder->normalized;
            }
        }
        ++p.count;
        const bool one_tx = !c.transaction.empty() && c.transaction == i.transaction;
        if (one_tx) {
            ++p.same_transaction;
            p.transactions.add(i.transaction);
        } else if (same_request) {
            ++p.same_request;
        }
        if (c.session != i.session) ++p.across_sessions;
        p.select_ms += c.duration_ms;
        p.sessions.add(c.session);
        p.sessions.add(i.session);
        if (!i.request.empty()) p.requests.add(i.request);
        if (!i.route.empty()) p.routes.insert(i.route);
        keep_seen_at(p.seen_at, {c.source, i.source});
    }

    // A column the SELECT tested IS NULL that the catalog gives a default other than NULL: an INSERT
    // that leaves it out makes a row the SELECT did not look among, so it was no check for it.
    static bool default_out_of_scope(const catalog::Catalog* cat, const Pair& p) {
        const catalog::Table* t = cat && !p.null_columns.empty() ? catalog::resolve_table(*cat, p.schema, p.table)
                                                                 : nullptr;
        if (!t) return false;
        for (const auto& n : p.null_columns)
            if (const catalog::Column* c = t->column(n); c && !c->default_expr.empty() && c->default_expr != "NULL")
                return true;
        return false;
    }

    // A unique index (valid, plain columns, no predicate) or a primary key /
    // unique constraint on exactly the key columns: what ON CONFLICT (K) needs. For a key
    // looked up among rows tested IS NULL, a partial unique index on that predicate does too
    // (ON CONFLICT (K) WHERE ... infers either).
    static KeyState unique_key(const catalog::Catalog* cat, const Pair& p) {
        const catalog::Table* t = cat ? catalog::resolve_table(*cat, p.schema, p.table) : nullptr;
        if (!t) return KeyState::Unknown;
        const std::set<std::string> want(p.keys.begin(), p.keys.end());
        for (const auto& c : t->constraints)
            if ((c.kind == catalog::ConstraintKind::PrimaryKey || c.kind == catalog::ConstraintKind::Unique) &&
                std::set<std::string>(c.columns.begin(), c.columns.end()) == want && c.columns.size() == want.size())
                return KeyState::Unique;
        for (const catalog::Index* i : cat->indexes_of(*t)) {
            if (!i->unique || !i->valid || i->keys.size() != want.size()) continue;
            if (!i->predicate.empty() &&
                (p.null_columns.empty() || !catalog::same_predicate(i->predicate, key_scope(p.null_columns))))
                continue;
            std::set<std::string> cols;
            for (const auto& k : i->keys)
                if (k.expression.empty()) cols.insert(k.column);
            if (cols == want) return KeyState::Unique;
        }
        return KeyState::Missing;
    }

    // A finding for one SELECT-then-INSERT pair, in named steps.
    Finding finding_for(const RuleInput& input, const Pair& p) const {
        Finding f = make_finding();
        f.schema = p.schema;
        f.table = p.table;
        f.key = p.select_fp + ":" + p.insert_fp;
        const Upsert upsert = upsert_for(input, p);
        const KeyState key = unique_key(input.catalog, p);
        add_evidence(f, input, p, upsert);
        describe_scope(f, p);
        explain(f, p, upsert, key);
        add_fix(f, p, upsert, key == KeyState::Unique, input.catalog);
        estimate_gain(f, p, upsert, input.round_trip_ms);
        return f;
    }

    // The UPDATE seen most often after the pair's SELECT, with its final text.
    Upsert::Update most_frequent_update(const RuleInput& input, std::size_t select_shape) const {
        Upsert::Update out;
        if (auto u = updates_.find(select_shape); u != updates_.end())
            for (const auto& [id, seen] : u->second)
                if (!out.seen || seen.count > out.seen->count) {
                    out.seen = &seen;
                    out.shape = id;
                }
        if (out.seen) {
            out.fingerprint = out.seen->fingerprint;
            out.normalized = out.seen->normalized;
            final_text(input, out.shape, out.fingerprint, out.normalized);
        }
        return out;
    }

    static const QueryShape* shape_of(const RuleInput& input, std::size_t id) {
        if (!input.workload || id >= input.workload->shapes.size() || !input.workload->shapes[id].shape) return nullptr;
        return &*input.workload->shapes[id].shape;
    }

    // The app also updates the row it found: DO UPDATE with the columns it sets
    // that the INSERT writes too (EXCLUDED only holds what the INSERT gives).
    // The app used the row it found (its SELECT returned columns): RETURNING them,
    // with DO UPDATE (a no-op one when nothing else is set), since DO NOTHING
    // returns no row for an existing key.
    Upsert upsert_for(const RuleInput& input, const Pair& p) const {
        Upsert u;
        u.update = most_frequent_update(input, p.select_shape);
        const QueryShape* insert_shape = p.body_insert ? &*p.body_insert : shape_of(input, p.insert_shape);
        if (u.update.seen)
            for (const auto& c : u.update.seen->set_columns) {
                const bool written = insert_shape && insert_shape->insert &&
                                     std::count(insert_shape->insert->columns.begin(),
                                                insert_shape->insert->columns.end(), c);
                const bool is_key = std::count(p.keys.begin(), p.keys.end(), c) > 0;
                if (is_key) continue;
                (written ? u.set_columns : u.dropped).push_back(c);
            }
        u.returning = returned_columns(shape_of(input, p.select_shape));
        u.no_op_update = u.set_columns.empty() && !u.returning.empty();
        const std::string scope = key_scope(p.null_columns);
        if (u.no_op_update)
            u.statement = sql::upsert_from_insert(p.insert_normalized, p.keys, sql::ConflictAction::Update,
                                                  {p.keys.front()}, {}, u.returning, scope);
        else if (!u.set_columns.empty())
            u.statement = sql::upsert_from_insert(p.insert_normalized, p.keys, sql::ConflictAction::Update,
                                                  u.set_columns, u.update.normalized, u.returning, scope);
        else
            u.statement = sql::upsert_from_insert(p.insert_normalized, p.keys, sql::ConflictAction::Nothing, {}, {}, {},
                                                  scope);
        u.note = caller_note(p, u);
        return u;
    }

    // What the caller gets back from the UPSERT, against what it got from its SELECT.
    static std::string caller_note(const Pair& p, const Upsert& u) {
        const std::string cols = u.returning == std::vector<std::string>{"*"} ? "the whole row"
                                                                              : join(u.returning, ", ");
        if (u.returning.empty())
            return "DO NOTHING returns no row when the key exists; the caller must not expect one (the logged "
                   "SELECT returned no column of the row, only whether it exists).";
        if (u.no_op_update)
            return fmt::format(
                "The logged SELECT returned {0} of the row it found, so the caller may use it: DO UPDATE SET {1} = "
                "EXCLUDED.{1} changes no value and makes RETURNING give the existing row for an existing key (and "
                "the new row otherwise). Unlike DO NOTHING, it locks the existing row and writes a new version of "
                "it (update triggers fire, a dead tuple for vacuum); with DO NOTHING instead, no row comes back "
                "when the key exists.",
                cols, p.keys.front());
        return fmt::format(
            "RETURNING gives {} for an existing key too, as DO UPDATE leaves it (the logged SELECT read it before "
            "the update).",
            cols);
    }

    // Evidence: the two (or three) statements, with their measured cost, and
    // the places the pair was seen.
    static void add_evidence(Finding& f, const RuleInput& input, const Pair& p, const Upsert& u) {
        auto evidence = [&](std::size_t id, const std::string& fp, const std::string& normalized,
                            const std::vector<SourceLocation>& where) {
            StatementEvidence s;
            if (input.workload && id < input.workload->shapes.size())
                s = evidence_of(input.workload->shapes[id], where);
            else s.locations = where;
            s.fingerprint = fp;  // the workload's once known (final_text), else the shape's own
            s.normalized = normalized;
            return s;
        };
        const PairPlaces places = places_of(p.seen_at);
        f.statements.push_back(evidence(p.select_shape, p.select_fp, p.select_normalized, places.selects));
        // An INSERT inside a PL/pgSQL body: its own text, with the calls, times and
        // identity of the statement that ran it (the workload's shape).
        f.statements.push_back(
            evidence(p.insert_shape, p.body_insert ? p.holder_fp : p.insert_fp, p.insert_normalized, places.inserts));
        if (u.update.seen)
            f.statements.push_back(evidence(u.update.shape, u.update.fingerprint, u.update.normalized, {}));
        f.locations = places.examples;
    }

    // Sessions, transactions and requests the pair ran in: one named, else how many.
    static void describe_scope(Finding& f, const Pair& p) {
        f.session = p.sessions.size() == 1 ? p.sessions.first() : fmt::format("{} sessions", p.sessions.size());
        if (p.transactions.size() == 1) f.transaction = p.transactions.first();
        else if (!p.transactions.empty()) f.transaction = fmt::format("{} transactions", p.transactions.size());
        if (!p.routes.empty()) f.request = join(std::vector<std::string>(p.routes.begin(), p.routes.end()), ", ");
        else if (p.requests.size() == 1) f.request = p.requests.first();
        else if (!p.requests.empty()) f.request = fmt::format("{} requests", p.requests.size());
        // Same transaction or same tagged request every time: certainly one code
        // path. By time alone in one session: likely (a pooled connection serves other requests too).
        f.confidence = p.same_transaction + p.same_request == p.count ? Confidence::High : Confidence::Medium;
    }

    // How the pairs were matched: one transaction, one tagged request (on any
    // connection of a pool), or one session within window_ms.
    std::string how_matched(const Pair& p) const {
        const long long by_time = p.count - p.same_transaction - p.same_request;
        if (p.same_transaction == p.count) return "in the same transaction";
        if (p.same_request == 0 && p.same_transaction == 0)
            return fmt::format("within {:g} ms in the same session", window_ms_);
        if (p.same_request == 0)
            return fmt::format("in the same transaction ({} times) or within {:g} ms in the same session",
                               p.same_transaction, window_ms_);
        std::vector<std::string> ways;
        if (p.same_transaction) ways.push_back(fmt::format("in the same transaction ({} times)", p.same_transaction));
        if (p.same_request)
            ways.push_back(
                fmt::format("in the same request, by its request_id / traceparent tag, within {:g} ms "
                            "({} times, {} of them on another pooled connection than the SELECT's)",
                            window_ms_, p.same_request, p.across_sessions));
        if (by_time) ways.push_back(fmt::format("within {:g} ms in the same session ({} times)", window_ms_, by_time));
        return join(ways, " or ");
    }

    // Title and explanation: the race, how the pair was matched, and what the
    // race costs given the unique key the catalog has (or may have).
    void explain(Finding& f, const Pair& p, const Upsert& u, KeyState key) const {
        f.title = fmt::format("Check-then-insert on {} ({}): SELECT then INSERT of the same key, {} time{}", p.table,
                              join(p.keys, ", "), p.count, p.count == 1 ? "" : "s");
        std::string where;
        if (!f.locations.empty()) {
            const PairPlaces places = places_of(p.seen_at);
            std::vector<std::string> l;
            for (const auto& r : places.examples) l.push_back(ingest::location_text(r));
            where = " Seen at " + join(l, ", ") +
                    (p.count > static_cast<long long>(places.selects.size()) ? ", ..." : "") + ".";
        }
        const std::string how = how_matched(p);
        f.explanation = fmt::format(
            "A SELECT on {} looks a row up by {} and an INSERT into {} with the same value{} for {} follows {} "
            "({} time{}, {} session{}).{} This is a race: two sessions can both run the SELECT, both see no row "
            "and both INSERT; {}. A transaction does not prevent it (the SELECT locks no row that does not exist "
            "yet). One INSERT ... ON CONFLICT does the check and the write atomically, in one round trip.",
            p.table, join(p.keys, ", "), p.table, p.keys.size() == 1 ? "" : "s", join(p.keys, ", "), how, p.count,
            p.count == 1 ? "" : "s", p.sessions.size(), p.sessions.size() == 1 ? "" : "s", where,
            key == KeyState::Unique    ? "a unique index exists on these columns, so the loser gets a unique-violation "
                                         "error the application must handle"
            : key == KeyState::Missing ? "the catalog has no unique index or constraint on these columns, "
                                         "so the table gets duplicate rows"
                                       : "without a unique index on these columns (no catalog was given to "
                                         "check) the table gets duplicate rows, with one the loser gets a "
                                         "unique-violation error");
        if (!p.null_columns.empty())
            f.explanation += fmt::format(
                " The SELECT looks the key up only among rows where {0} (rows it treats as deleted are not its "
                "concern), and the INSERT leaves {1} NULL: the unique index that closes the race is partial, WHERE "
                "{0}, so a deleted row does not block a new one, and ON CONFLICT names that predicate to use it.",
                key_scope(p.null_columns), join(p.null_columns, ", "));
        if (!p.expression_keys.empty())
            f.explanation += fmt::format(
                " The value of {} is the same expression in both statements (not a parameter, see the texts "
                "below), a value that holds for the whole transaction or day.",
                join(p.expression_keys, ", "));
        if (p.body_insert)
            f.explanation += fmt::format(
                " The INSERT runs inside the PL/pgSQL body of {}{}; its calls and times below are those of the statement "
                "that runs it.",
                p.routine,
                p.catches_unique_violation
                    ? ", which catches unique_violation (with a unique index the loser's INSERT fails quietly inside "
                      "it and the ORM reads the winner's row; without one both INSERTs succeed)"
                    : "");
        if (u.update.seen)
            f.explanation += fmt::format(
                " After the same SELECT the application also updates the row it found ({}), "
                "so the fix is DO UPDATE.",
                u.update.normalized);
        if (!u.dropped.empty())
            f.explanation += fmt::format(
                " The UPDATE also sets {}, which the INSERT does not write: keep that "
                "in the DO UPDATE SET by hand.",
                join(u.dropped, ", "));
    }

    // The fix: find duplicates, build the unique index, then the UPSERT.
    static void add_fix(Finding& f, const Pair& p, const Upsert& u, bool unique, const catalog::Catalog* catalog) {
        std::vector<std::string> sql;
        const std::string scope = key_scope(p.null_columns);
        const std::string where = scope.empty() ? "" : " WHERE " + scope;
        if (!unique) {
            IndexNeed need = unique_index_need(p.schema, p.table, p.keys, scope);
            need.fingerprint = p.body_insert ? p.holder_fp : p.insert_fp;
            sql.push_back(unique_index_fix_sql(catalog, need));
            f.index_needs.push_back(std::move(need));
        }
        if (u.statement.value) {
            sql.push_back(*u.statement.value + ";");
            f.rewrite_sql = *u.statement.value;
            f.rewrite_note = u.note;
        }
        f.fix_sql = join(sql, "\n");
        f.app_change.kind = AppChange::Kind::Upsert;
        f.app_change.key_columns = p.keys;
        f.app_change.key_scope = scope;
        if (!u.no_op_update) f.app_change.update_columns = u.set_columns;
        const std::string returning = u.returning.empty()
                                          ? ""
                                          : " RETURNING " +
                                                (u.returning.front() == "*" ? "*" : join(u.returning, ", "));
        f.fix = fmt::format(
            "Replace the SELECT and the INSERT with one INSERT ... ON CONFLICT ({}){} {}{}.{}{}{}", join(p.keys, ", "),
            where,
            u.no_op_update          ? "DO UPDATE SET " + p.keys.front() + " = EXCLUDED." + p.keys.front()
            : u.set_columns.empty() ? "DO NOTHING"
                                    : "DO UPDATE SET " + join(u.set_columns, ", ") + " = EXCLUDED...",
            returning,
            u.update.seen ? " Check the DO UPDATE SET expressions against what the UPDATE computes (EXCLUDED is the "
                            "row the INSERT proposed)."
            : u.no_op_update
                ? " If the application changes the row it found, set those columns in DO UPDATE SET instead."
                : " Use DO UPDATE SET ... instead when the application changes the row it found.",
            u.statement.value ? " " + u.note : std::string(),
            unique
                ? ""
                : fmt::format(" ON CONFLICT needs a unique index or constraint on exactly ({}){}: remove existing "
                              "duplicates, then create it (CONCURRENTLY, outside a transaction).",
                              join(p.keys, ", "), scope.empty() ? "" : fmt::format(" (here a partial one,{})", where)));
        if (p.body_insert) f.fix += fmt::format(" {}", body_fix(p));
        if (!u.statement.value && u.statement.error)
            f.fix += " (The UPSERT could not be generated: " + u.statement.error->message + ".)";
    }

    // What the application changes when its INSERT sits in a PL/pgSQL body: the
    // ORM call that creates the function, not a statement of its own code.
    static std::string body_fix(const Pair& p) {
        // pg_temp.testfunc() catching unique_violation is how Sequelize's findOrCreate sends its INSERT.
        if (p.routine == "pg_temp.testfunc" && p.catches_unique_violation)
            return "The INSERT is the one Sequelize's findOrCreate runs inside pg_temp.testfunc(): replace the "
                   "findOrCreate call (its SELECT, the function it creates, calls and drops, and its SAVEPOINT) "
                   "with this one INSERT ... ON CONFLICT (a raw query, or Model.upsert with conflictFields when "
                   "the row may be updated).";
        return fmt::format(
            "The INSERT runs inside the PL/pgSQL body of {}: replace the SELECT and that body's INSERT with this "
            "one INSERT ... ON CONFLICT.",
            p.routine);
    }

    // The UPSERT also replaces each SELECT-then-UPDATE of the same key: its
    // SELECT (at the SELECT's mean time) and one round trip go too.
    static void estimate_gain(Finding& f, const Pair& p, const Upsert& u, double rtt) {
        const long long updated = u.update.seen ? u.update.seen->count : 0;
        const double select_mean = p.count ? p.select_ms / static_cast<double>(p.count) : 0;
        f.estimated_gain_ms = p.select_ms + static_cast<double>(p.count) * rtt +
                              static_cast<double>(updated) * (select_mean + rtt);
        f.gain_method = fmt::format(
            "the SELECT's logged time plus one round trip ({:g} ms) per occurrence, {} "
            "SELECT-then-INSERT{}{}: the UPSERT makes the SELECT unnecessary",
            rtt, p.count, p.count == 1 ? "" : "s",
            updated ? fmt::format(" and {} SELECT-then-UPDATE{} (the SELECT at its mean time)", updated,
                                  updated == 1 ? "" : "s")
                    : "");
    }
};

}  // namespace

std::unique_ptr<Rule> create_check_then_insert(const RuleConfig& config) {
    return std::make_unique<CheckThenInsert>(config);
}

}  // namespace pgadvisor::rules
