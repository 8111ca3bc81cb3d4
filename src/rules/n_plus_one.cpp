#include "rules/n_plus_one.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

#include "catalog/index_serves.hpp"
#include "catalog/resolve.hpp"
#include "rules/evidence.hpp"
#include "rules/session_slots.hpp"
#include "sql/rewrite.hpp"
#include "sql/shape.hpp"
#include "workload/prefetch.hpp"
#include "workload/workload_digest.hpp"

namespace pgadvisor::rules {
namespace {

// How many statements of a session are remembered to name a loop's parent.
constexpr std::size_t kRecentStatements = 8;
// Request-scoped loops have no time window, but a request idle this long is over.
constexpr double kRequestIdleMs = 60'000;
// Open loops of traces (requests spread over sessions) are checked for their end every this many executions.
constexpr std::size_t kSweepEvery = 4096;
// No time: a session with no open loop has nothing to check.
constexpr double kNever = std::numeric_limits<double>::infinity();
// The statements of a session kept to read the gap between two calls of a
// loop; a longer gap is not one loop body repeating.
constexpr long long kGapStatements = 32;
// Distinct gap contents kept per loop; more are all counted as unlike.
constexpr std::size_t kGapKinds = 16;
// How many gaps of a loop are kept for its median gap.
constexpr std::size_t kGapSamples = 256;
// How many key writes (UPDATE/DELETE ... WHERE k = v, INSERT (k) VALUES (v)) of a session are remembered.
constexpr std::size_t kRecentWrites = 8;
// Logged loops kept per looped shape, and calls kept per loop, for the live check of
// the batched statement (server/rewrite_check.hpp): enough to catch a wrong batch, bounded.
constexpr std::size_t kSampleLoops = 20;
constexpr std::size_t kSampleCalls = 100;

bool loops_over(const sql::QueryShape& s) {
    return s.kind == sql::StatementKind::Select || s.kind == sql::StatementKind::Update ||
           s.kind == sql::StatementKind::Delete;
}

// The equality predicate whose compared value is literal `position`, if any.
const sql::Predicate* equality_at(const sql::QueryShape& s, int position) {
    for (const auto& p : s.predicates)
        if (p.literal_index == position && p.cls == sql::PredicateClass::Equality && p.column.table >= 0 &&
            p.function.empty() && !p.in_join &&
            (p.operand == sql::OperandKind::Constant || p.operand == sql::OperandKind::Parameter))
            return &p;
    return nullptr;
}

// The single equality predicate of a shape compared with a value, when there is exactly one.
const sql::Predicate* only_value_equality(const sql::QueryShape& s) {
    const sql::Predicate* found = nullptr;
    for (const auto& p : s.predicates) {
        if (p.cls != sql::PredicateClass::Equality || p.in_join) continue;
        if (p.operand != sql::OperandKind::Constant && p.operand != sql::OperandKind::Parameter) continue;
        if (found) return nullptr;
        found = &p;
    }
    return found && found->column.table >= 0 && found->function.empty() ? found : nullptr;
}

// Where a loop begins in the log, the same however the log is split into parts (a
// session never spans two, docs/digest-format.md): its first call's time, its session,
// and how many loops its session had begun before it. It orders a shape's loops
// whatever order they close in, and whichever part of the logs read them.
struct LoopOrder {
    double first_ms = 0;
    std::string session;
    long long in_session = 0;
    bool operator<(const LoopOrder& o) const {
        return std::tie(first_ms, session, in_session) < std::tie(o.first_ms, o.session, o.in_session);
    }
};

// The shapes a session ran last, most recent first, held inline: every run copies
// them at its first call, and most runs have no second (a statement in no loop).
class RecentShapes {
public:
    bool empty() const { return size_ == 0; }
    std::size_t front() const { return ids_[0]; }
    const std::size_t* begin() const { return ids_.data(); }
    const std::size_t* end() const { return ids_.data() + size_; }
    // The newest first; the oldest falls off past kRecentStatements.
    void push_front(std::size_t id) {
        if (size_ < ids_.size()) ++size_;
        std::move_backward(ids_.begin(), ids_.begin() + static_cast<std::ptrdiff_t>(size_ - 1),
                           ids_.begin() + static_cast<std::ptrdiff_t>(size_));
        ids_[0] = id;
    }
    // Read back oldest last, as written; false when full.
    bool push_back(std::size_t id) {
        if (size_ == ids_.size()) return false;
        ids_[size_++] = id;
        return true;
    }

private:
    std::array<std::size_t, kRecentStatements> ids_{};
    std::size_t size_ = 0;
};

// One loop in progress: consecutive calls of one shape in one scope.
struct Run {
    std::size_t shape_id = 0;
    LoopOrder order;  // its session is the loop's
    std::string request, route;
    long count = 0;
    double first_ms = 0;  // its last call's time is OpenRun's
    double sum_ms = 0;    // durations of the calls that logged one
    long timed = 0;
    std::vector<workload::LiteralValue> first_values;
    std::set<int> varying;     // literal positions whose value changed within the loop
    bool values_known = true;  // every value of every call could be read
    SourceLocation first_source, last_source;
    RecentShapes preceding;      // shapes run before the loop began, most recent first
    long long last_call_no = 0;  // the session's statement number of the latest call
    long after_own_write = 0;    // calls whose key the session wrote since the call before
    // What ran between two calls (a "gap"), for session loops: a loop body runs
    // the same statements between its calls; separate requests on a pooled
    // connection run whatever the next request needs, and commit in between.
    // A gap's shapes as a 64-bit set signature (one bit per shape id, hashed):
    // equal gaps have equal signatures, a subset's bits are a subset.
    std::vector<std::pair<std::uint64_t, long>> gaps;     // signature -> how many gaps had it
    long gaps_with_transaction_end = 0, unlike_gaps = 0;  // gaps with a boundary; gaps too long to compare
    std::vector<double> gap_ms;                           // time between calls (the first kGapSamples)
    // The first calls' values of a looped SELECT, in $n order of the normalized text (user data).
    std::vector<server::CallValues> calls;
    bool calls_complete = true;  // every kept call's values could be read

    // A run with no call, as new, but holding its strings' and vectors' memory for the
    // next (RunPool): field by field, as assigning a new Run cost more than the allocation.
    void reset() {
        shape_id = 0;
        order.first_ms = 0, order.session.clear(), order.in_session = 0;
        request.clear(), route.clear();
        count = 0;
        first_ms = sum_ms = 0;
        timed = 0;
        first_values.clear();
        varying.clear();
        values_known = true;
        first_source = last_source = {};
        preceding = {};
        last_call_no = 0;
        after_own_write = 0;
        gaps.clear();
        gaps_with_transaction_end = unlike_gaps = 0;
        gap_ms.clear();
        calls.clear();
        calls_complete = true;
    }
};
// Run::reset resets each field: a field added to Run changes its size, and must be reset there too.
static_assert(sizeof(Run) == 464, "Run has changed: reset each of its fields in Run::reset, then update this size");

// An open run with what the sweep reads of it: when its last call was, and whether it is a
// tagged request's (idle longer before it ends). Kept beside the run, so that the sweep,
// which looks at every open run, reads no run but those it closes.
struct OpenRun {
    double last_ms = 0;
    bool in_request = false;
    std::unique_ptr<Run> run;
};

// One scope's open loops (a session's or a request's), by shape id.
using Runs = std::unordered_map<std::size_t, OpenRun>;

// How many closed runs RunPool keeps at most (a run is under 1 KB).
constexpr std::size_t kSpareRuns = 256;

// Runs of closed loops, kept to begin new ones with: a run is begun for most
// statements and most never see a second call, and each new run was an
// allocation of over half a KB, its first values' another, and their frees
// came thousands at a time (a sweep), past the allocator's thread cache
// (n-plus-one was the largest rule, issue 17).
class RunPool {
public:
    // Reset here, not when given back: a run given back is cold by the time it is taken, and
    // taken to be written at once (begin_run), so its memory is read into the cache once.
    std::unique_ptr<Run> take() {
        if (spare_.empty()) return std::make_unique<Run>();
        std::unique_ptr<Run> run = std::move(spare_.back());
        spare_.pop_back();
        run->reset();
        prefetch_next();
        return run;
    }
    void give_back(std::unique_ptr<Run> run) {
        if (spare_.size() >= kSpareRuns) return;  // memory follows the loops open at once, as without the pool
        spare_.push_back(std::move(run));
    }

private:
    // On a log of mostly distinct statements a run is taken for nearly every statement, and
    // each came back cold (issue 17: resetting it was a third of observe's time). The next
    // two are loaded ahead: the next one's values, whose address is read off it (loaded by
    // the take before), and the one after it.
    void prefetch_next() const {
        const std::size_t n = spare_.size();
        if (n >= 2) workload::prefetch_bytes(spare_[n - 2].get(), sizeof(Run), /*for_write=*/true);
        if (n >= 1) workload::prefetch_items(spare_[n - 1]->first_values, 8 * workload::kCacheLineBytes, true);
    }

    std::vector<std::unique_ptr<Run>> spare_;
};

// Time saved by batching, in whole nanoseconds: loops close, and digests merge, in any
// order, and a sum of doubles depends on the order of its terms (its last digits did).
long long nanoseconds(double ms) { return std::llround(ms * 1e6); }
double milliseconds(long long ns) { return static_cast<double>(ns) / 1e6; }

// Closed loops of one shape that varied the same literal: what they add up to.
struct LoopTotals {
    long loops = 0;
    long long calls = 0;
    long longest = 0;
    long long saved_calls_ns = 0;     // sum over loops of (n - 1) x mean call time
    long long saved_round_trips = 0;  // sum over loops of (n - 1)
    bool values_verified = true;
    bool in_request = false;
    LoopOrder first;  // the earliest loop's place
    Run example;      // the longest loop, the earliest among equals; its preceding statements name the parent
    // The calls of the earliest kSampleLoops loops whose calls were all kept.
    std::vector<std::pair<LoopOrder, std::vector<server::CallValues>>> samples;

    // Other loops' totals: the same sums, whatever order loops close in or parts merge in.
    void add(const LoopTotals& o) {
        if (o.loops == 0) return;
        if (loops == 0 || o.first < first) first = o.first;
        loops += o.loops;
        calls += o.calls;
        saved_calls_ns += o.saved_calls_ns;
        saved_round_trips += o.saved_round_trips;
        values_verified = values_verified && o.values_verified;
        in_request = in_request || o.in_request;
        if (o.longest > longest || (o.longest == longest && o.example.order < example.order)) {
            longest = o.longest;
            example = o.example;
        }
        samples.insert(samples.end(), o.samples.begin(), o.samples.end());
        std::stable_sort(samples.begin(), samples.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        if (samples.size() > kSampleLoops) samples.resize(kSampleLoops);
    }
};

// A looped shape as its finding counts it: the loops that varied the literal the
// earliest loop with known values varied (varying_position; -1 when no loop's values
// were all known), plus those whose values were not all known. Loops that varied
// another literal are another access pattern, left out.
struct LoopedShape : LoopTotals {
    std::size_t shape_id = 0;
    int varying_position = -1;
};

// What the rule keeps per looped shape: its closed loops' totals by the literal
// position they varied (-1: values not all known), so that the choice above
// does not depend on the order loops close in or parts merge in.
using LoopsByPosition = std::map<int, LoopTotals>;

LoopedShape looped_shape(std::size_t shape_id, const LoopsByPosition& by_position) {
    LoopedShape l;
    l.shape_id = shape_id;
    const LoopTotals* earliest = nullptr;
    for (const auto& [position, totals] : by_position)
        if (position >= 0 && (!earliest || totals.first < earliest->first)) {
            earliest = &totals;
            l.varying_position = position;
        }
    if (earliest) l.add(*earliest);
    if (auto unknown = by_position.find(-1); unknown != by_position.end()) l.add(unknown->second);
    return l;
}

// A digest's record of loops (Rule::saved_state): what a finding shows of them and
// what its batch needs; call values only with show_literals, the first call's as
// equality tokens otherwise (the batch only compares them).
nlohmann::json order_json(const LoopOrder& o) { return {o.first_ms, o.session, o.in_session}; }

LoopOrder order_from(const nlohmann::json& j) {
    return {workload::number_from<double>(j.at(0)), j.at(1).get<std::string>(),
            workload::number_from<long long>(j.at(2))};
}

nlohmann::json example_json(const Run& r, bool show_literals) {
    return {{"order", order_json(r.order)},
            {"session", r.order.session},
            {"request", r.request},
            {"route", r.route},
            {"first_source", workload::location_json(r.first_source)},
            {"last_source", workload::location_json(r.last_source)},
            {"preceding", std::vector<std::size_t>(r.preceding.begin(), r.preceding.end())},
            {"first_values", workload::values_json(r.first_values, show_literals)}};
}

Run example_from(const nlohmann::json& j, std::size_t shape_id, const std::vector<std::size_t>& shape_ids) {
    Run r;
    r.shape_id = shape_id;
    r.order = order_from(j.at("order"));
    if (j.at("session").get<std::string>() != r.order.session)
        throw std::invalid_argument("a loop's session is not its order's");
    r.request = j.at("request").get<std::string>();
    r.route = j.at("route").get<std::string>();
    r.first_source = workload::location_from(j.at("first_source"));
    r.last_source = workload::location_from(j.at("last_source"));
    for (const auto& id : j.at("preceding"))
        if (!r.preceding.push_back(shape_ids.at(workload::number_from<std::size_t>(id))))
            throw std::invalid_argument("a loop has more preceding statements than are kept");
    r.first_values = workload::values_from(j.at("first_values"));
    return r;
}

// Loops' call values (user data: written only with show_literals), NULL as null.
nlohmann::json calls_json(const std::vector<server::CallValues>& calls) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& call : calls) {
        nlohmann::json values = nlohmann::json::array();
        for (const auto& v : call) values.push_back(v ? nlohmann::json(*v) : nlohmann::json(nullptr));
        out.push_back(std::move(values));
    }
    return out;
}

std::vector<server::CallValues> calls_from(const nlohmann::json& j) {
    std::vector<server::CallValues> out;
    for (const auto& call : j) {
        server::CallValues values;
        for (const auto& v : call)
            values.push_back(v.is_null() ? std::nullopt : std::optional<std::string>(v.get<std::string>()));
        out.push_back(std::move(values));
    }
    return out;
}

nlohmann::json totals_json(std::size_t shape_id, int position, const LoopTotals& t, bool show_literals) {
    nlohmann::json j = {{"shape", shape_id},
                        {"position", position},
                        {"loops", t.loops},
                        {"calls", t.calls},
                        {"longest", t.longest},
                        {"saved_calls_ms", milliseconds(t.saved_calls_ns)},
                        {"saved_round_trips", t.saved_round_trips},
                        {"values_verified", t.values_verified},
                        {"in_request", t.in_request},
                        {"first", order_json(t.first)},
                        {"example", example_json(t.example, show_literals)}};
    if (show_literals) {
        nlohmann::json samples = nlohmann::json::array();
        for (const auto& [order, calls] : t.samples) samples.push_back({order_json(order), calls_json(calls)});
        j["samples"] = std::move(samples);
    }
    return j;
}

LoopTotals totals_from(const nlohmann::json& j, std::size_t shape_id, const std::vector<std::size_t>& shape_ids) {
    LoopTotals t;
    t.loops = workload::number_from<long>(j.at("loops"));
    t.calls = workload::number_from<long long>(j.at("calls"));
    t.longest = workload::number_from<long>(j.at("longest"));
    t.saved_calls_ns = nanoseconds(workload::number_from<double>(j.at("saved_calls_ms")));
    t.saved_round_trips = workload::number_from<long long>(j.at("saved_round_trips"));
    t.values_verified = j.at("values_verified").get<bool>();
    t.in_request = j.at("in_request").get<bool>();
    t.first = order_from(j.at("first"));
    t.example = example_from(j.at("example"), shape_id, shape_ids);
    t.example.count = t.longest;
    if (j.contains("samples"))
        for (const auto& sample : j.at("samples"))
            t.samples.push_back({order_from(sample.at(0)), calls_from(sample.at(1))});
    return t;
}

// The lookup a loop repeats: its shape, the equality predicate whose value
// changes from call to call, and that predicate's table and column.
struct Lookup {
    const workload::ShapeInfo* info = nullptr;
    const sql::Predicate* predicate = nullptr;
    const sql::TableRef* table = nullptr;
    std::string column;
};

// The statement that probably drives a loop, when one was found.
struct Parent {
    std::optional<std::size_t> id;     // its shape id
    std::optional<std::string> table;  // the table it reads that the lookup is tied to (a foreign key, a name)
};

// The looped shape's varying equality predicate (the one whose value changed,
// else its only one compared with a value); nullopt when there is none.
std::optional<Lookup> lookup_of(const LoopedShape& l, const workload::ShapeList& shapes) {
    if (l.shape_id >= shapes.size()) return std::nullopt;
    const workload::ShapeInfo& info = shapes[l.shape_id];
    if (!info.shape) return std::nullopt;
    const sql::QueryShape& s = *info.shape;
    const sql::Predicate* p = l.varying_position >= 0 ? equality_at(s, l.varying_position) : only_value_equality(s);
    if (!p) return std::nullopt;
    return Lookup{&info, p, &s.tables[static_cast<std::size_t>(p->column.table)], p->column.column};
}

// The key column's type from the schema, for a per-key batch; empty when unknown.
std::string key_type(const RuleInput& input, const sql::TableRef& t, const std::string& column) {
    if (!input.catalog) return {};
    const catalog::Table* table = catalog::resolve_table(*input.catalog, t.schema, t.name);
    const catalog::Column* c = table ? table->column(column) : nullptr;
    return c ? c->type : std::string();
}

// The loop as one statement and the $n of the key it replaces.
struct Batch {
    sql::BatchedLookup lookup;
    int key_param = 0;
};

// The loop as one statement, built on the normalized statement's own tree
// (sql::batch_lookup); nullopt when it cannot be batched so that every key
// gets exactly the rows its own call returned.
std::optional<Batch> batched_statement(const workload::ShapeInfo& info, const Run& example, const std::string& column,
                                       const std::string& key_type) {
    auto normalized_shape = sql::shape_statement(info.normalized);
    if (!normalized_shape.shape || !info.shape) return std::nullopt;
    sql::BatchOptions options;
    options.key_type = key_type;
    int own_params = 0;
    for (const auto& lit : info.shape->literals)
        if (lit.kind == sql::LiteralKind::Parameter) own_params = std::max(own_params, lit.param_number);
    options.first_constant_param = own_params + 1;
    if (auto values = workload::parameter_values(*info.shape, example.first_values)) options.param_values = *values;
    for (const auto& np : normalized_shape.shape->predicates) {
        if (np.cls != sql::PredicateClass::Equality || np.column.column != column ||
            np.operand != sql::OperandKind::Parameter || np.literal_index < 0)
            continue;
        const auto& literal = normalized_shape.shape->literals[static_cast<std::size_t>(np.literal_index)];
        options.operand_location = literal.location;
        if (auto batched = sql::batch_lookup(info.normalized, options))
            return Batch{std::move(*batched.value), literal.param_number};
    }
    return std::nullopt;
}

// What the live check of the batch needs: the per-call statement, how the batch's $n map
// onto its own, and the loops of the log (a SELECT's only: the check runs read-only).
std::optional<server::BatchSamples> samples_of(const workload::ShapeInfo& info, const Batch& batch,
                                               const std::string& key_type, const LoopedShape& l) {
    if (!info.shape || info.shape->kind != sql::StatementKind::Select) return std::nullopt;
    server::BatchSamples out;
    out.per_call_sql = info.normalized;
    out.key_param = batch.key_param;
    out.origin = batch.lookup.origin;
    out.key_column = batch.lookup.key_column;
    out.key_type = key_type;
    for (const auto& [order, calls] : l.samples) out.loops.push_back(calls);
    return out;
}

// A value the session wrote to a key column: the WHERE k = v of an UPDATE or
// DELETE, or the v an INSERT put into k.
struct KeyWrite {
    std::string schema, table, column, value;  // schema as written, empty when unqualified
    long long statement_no = 0;
};

// The last kRecentWrites key writes of a session, in a ring: once it is full, a
// write's strings are assigned into the oldest slot's, with no allocation.
class RecentWrites {
public:
    const std::vector<KeyWrite>& all() const { return slots_; }  // in no particular order
    KeyWrite& next_slot() {
        if (slots_.size() < kRecentWrites) return slots_.emplace_back();
        KeyWrite& oldest = slots_[next_];
        next_ = (next_ + 1) % kRecentWrites;
        return oldest;
    }

private:
    std::vector<KeyWrite> slots_;
    std::size_t next_ = 0;  // the oldest slot once full
};

// The last statements of a session, most recent first.
struct Recent {
    // At most kRecentStatements and kRecentWrites: vectors, as a deque allocates
    // over half a KB even when empty, and every open session has these.
    RecentShapes shapes;
    RecentWrites writes;
    long long statement_no = 0;  // statements seen in the session
    long long loops_begun = 0;   // loops the session began (LoopOrder::in_session)
    // The last kGapStatements statements, a byte each (every open session has them): the position
    // of its signature bit (signature_position) and, in kBoundaryFlag, whether it is BEGIN/COMMIT/....
    std::array<std::uint8_t, kGapStatements> ring{};
    double last_ms = 0;
    Runs runs;  // the session's open loops outside any tagged request
    // The session's current tagged request, which may have loops open (open_'s scope), to close
    // them when the session moves on or ends.
    std::string request_scope;
    // No loop of the session (its own or its requests') can be over before this time.
    double check_at_ms = kNever;
};

// "public.User" and "User" are one table unless both name different schemas.
bool same_table(const sql::TableRef& t, const KeyWrite& w) {
    return t.name == w.table && (t.schema.empty() || w.schema.empty() || t.schema == w.schema);
}

// The key values an execution of a write statement sets or targets, into the session's recent writes.
void remember_key_writes(const workload::Execution& e, long long statement_no, RecentWrites& writes) {
    const auto remember = [&](const sql::TableRef& t, const std::string& column, const std::string& value) {
        KeyWrite& w = writes.next_slot();
        w.schema = t.schema;
        w.table = t.name;
        w.column = column;
        w.value = value;
        w.statement_no = statement_no;
    };
    const sql::QueryShape& s = *e.shape.shape;
    auto value_at = [&](int literal) -> const std::optional<std::string>* {
        if (literal < 0 || static_cast<std::size_t>(literal) >= e.values.size()) return nullptr;
        const auto& v = e.values[static_cast<std::size_t>(literal)];
        return v.known && v.text ? &v.text : nullptr;
    };
    if (s.kind == sql::StatementKind::Update || s.kind == sql::StatementKind::Delete) {
        for (const auto& p : s.predicates)
            if (p.cls == sql::PredicateClass::Equality && p.column.table >= 0 && p.function.empty() && !p.in_join)
                if (const auto* v = value_at(p.literal_index))
                    remember(s.tables[static_cast<std::size_t>(p.column.table)], p.column.column, **v);
    } else if (s.kind == sql::StatementKind::Insert && s.insert && s.insert->table >= 0 &&
               !s.insert->value_literals.empty()) {
        const auto& row = s.insert->value_literals.front();
        for (std::size_t c = 0; c < s.insert->columns.size() && c < row.size(); ++c)
            if (const auto* v = value_at(row[c]))
                remember(s.tables[static_cast<std::size_t>(s.insert->table)], s.insert->columns[c], **v);
    }
}

// Whether the session wrote one of this call's looked-up keys after `since`:
// the call then reads back what its own iteration just wrote (pgbench's
// UPDATE of an account, then SELECT of its balance), which no batch can do.
bool reads_own_write(const workload::Execution& e, const Recent& recent, long long since) {
    const sql::QueryShape& s = *e.shape.shape;
    for (const auto& p : s.predicates) {
        if (p.cls != sql::PredicateClass::Equality || p.column.table < 0 || p.literal_index < 0 ||
            static_cast<std::size_t>(p.literal_index) >= e.values.size())
            continue;
        const auto& v = e.values[static_cast<std::size_t>(p.literal_index)];
        if (!v.known || !v.text) continue;
        for (const auto& w : recent.writes.all())
            if (w.statement_no > since && w.column == p.column.column && *v.text == w.value &&
                same_table(s.tables[static_cast<std::size_t>(p.column.table)], w))
                return true;
    }
    return false;
}

class NPlusOne final : public Rule {
public:
    explicit NPlusOne(const RuleConfig& config)
        : Rule(config),
          min_repeats_(config.integer("min_repeats")),
          window_ms_(config.number("window_ms")),
          max_median_gap_ms_(config.number("max_median_gap_ms")) {}

    void observe(const workload::Execution& e) override {
        const double now = e.statement.epoch_ms;
        if (++seen_ % kSweepEvery == 0) sweep_traces(now);
        Recent& recent = sessions_.at(e.session_slot);
        if (now > recent.check_at_ms) close_ended_loops(recent, now);
        // A session quiet this long has ended or begins anew (new loops, new parents); the loops
        // it may still have open are still its.
        if (quiet_for_long(recent.last_ms, now)) {
            Recent open_loops;
            std::swap(open_loops.runs, recent.runs);
            std::swap(open_loops.request_scope, recent.request_scope);
            open_loops.check_at_ms = recent.check_at_ms;
            recent = std::move(open_loops);
        }
        ++recent.statement_no;
        if (e.shape.shape && loops_over(*e.shape.shape)) track(e, now, recent);
        remember_statement(e, recent);
        if (e.shape.shape) remember_key_writes(e, recent.statement_no, recent.writes);
        // Remember the statement for the parents of loops that start later.
        if (recent.shapes.empty() || recent.shapes.front() != e.shape.id) recent.shapes.push_front(e.shape.id);
        recent.last_ms = now;
    }

    // A parent is looked for this far back; a session loop's calls are at most window_ms apart.
    double session_lookback_ms() const override { return std::max(window_ms_, kRequestIdleMs); }

    // Its loops can grow no more: close them now, and forget its statements (its slot is
    // given to a later session).
    void end_session(const std::string& /*session*/, std::size_t slot) override {
        Recent* recent = sessions_.find(slot);
        if (!recent) return;
        close_runs(recent->runs);
        if (!recent->request_scope.empty()) close_scope(recent->request_scope);
        *recent = Recent{};
    }

    nlohmann::json saved_state(bool show_literals) override {
        close_open_loops();
        nlohmann::json looped = nlohmann::json::array();
        for (const auto& [shape_id, by_position] : looped_)
            for (const auto& [position, totals] : by_position)
                looped.push_back(totals_json(shape_id, position, totals, show_literals));
        return {{"looped", std::move(looped)}};
    }

    bool merge_state(const nlohmann::json& state, const std::vector<std::size_t>& shape_ids,
                     std::string& error) override {
        try {
            for (const auto& j : state.at("looped")) {
                const std::size_t id = shape_ids.at(workload::number_from<std::size_t>(j.at("shape")));
                looped_[id][workload::number_from<int>(j.at("position"))].add(totals_from(j, id, shape_ids));
            }
        } catch (const std::exception& e) {
            error = std::string("n-plus-one's loops do not read: ") + e.what();
            return false;
        }
        return true;
    }

    void finish(const RuleInput& input, std::vector<Finding>& out) override {
        close_open_loops();
        if (!input.workload) return;
        for (const auto& [shape_id, by_position] : looped_)
            if (auto f = finding_for(looped_shape(shape_id, by_position), input)) out.push_back(std::move(*f));
    }

private:
    // The stream is over: no loop grows any more.
    void close_open_loops() {
        for (auto& recent : sessions_) close_runs(recent.runs);
        for (auto& [scope, runs] : open_) close_runs(runs);
        open_.clear();
        traces_due_.clear();
    }

    // A shape's bit in a gap's 64-bit signature: its position, 0-63, from a hash of its id.
    static std::uint8_t signature_position(std::size_t shape_id) {
        return static_cast<std::uint8_t>((shape_id * 0x9E3779B97F4A7C15ull) >> 58);
    }
    static constexpr std::uint8_t kBoundaryFlag = 64;

    // Remember the statement in the session's ring, for the gaps of its loops.
    static void remember_statement(const workload::Execution& e, Recent& recent) {
        const bool boundary = e.shape.shape && !e.shape.shape->transaction_kind.empty();
        recent.ring[static_cast<std::size_t>(recent.statement_no % kGapStatements)] = signature_position(e.shape.id) |
                                                                                      (boundary ? kBoundaryFlag : 0);
    }

    // A call of a session loop closes the gap since its previous call: what ran in between, from the ring.
    static void close_gap(Run& run, const Recent& recent) {
        if (run.count == 0 || !run.request.empty()) return;
        const long long first = run.last_call_no + 1, last = recent.statement_no - 1;
        if (last - first + 1 > kGapStatements) {
            ++run.unlike_gaps;
            return;
        }
        std::uint64_t signature = 0;
        bool boundary = false;
        for (long long no = first; no <= last; ++no) {
            const std::uint8_t statement = recent.ring[static_cast<std::size_t>(no % kGapStatements)];
            signature |= std::uint64_t{1} << (statement & (kBoundaryFlag - 1));
            boundary = boundary || (statement & kBoundaryFlag) != 0;
        }
        run.gaps_with_transaction_end += boundary;
        for (auto& [known, n] : run.gaps)
            if (known == signature) {
                ++n;
                return;
            }
        if (run.gaps.size() < kGapKinds) run.gaps.push_back({signature, 1});
        else ++run.unlike_gaps;
    }

    void close_runs(Runs& runs) {
        for (auto& [shape, open] : runs) {
            close(*open.run);
            pool_.give_back(std::move(open.run));
        }
        runs.clear();
    }

    void close_scope(const std::string& scope) {
        auto it = open_.find(scope);
        if (it == open_.end()) return;
        close_runs(it->second);
        open_.erase(it);
    }

    // A request of this session only (not a trace, which a pool spreads over sessions), remembered
    // while it may have loops open. The workload names each run of a session's tags anew
    // (Execution::request): once the session has moved on to another request, the one before
    // gets no more calls, and its loops are over. Kept open for the 60 s of a request's idle
    // time instead, a session's requests piled up: a log of 1,000 tagged requests a second
    // took 56 s for 400,000 lines, each new request looking through the session's last minute.
    void remember_request_scope(const workload::Execution& e, Recent& recent) {
        if (e.request.empty() || workload::is_trace_request(e.request)) return;
        if (recent.request_scope == e.request) return;
        if (!recent.request_scope.empty()) close_scope(recent.request_scope);
        recent.request_scope = e.request;
    }

    void track(const workload::Execution& e, double now, Recent& recent) {
        remember_request_scope(e, recent);
        // A session's loops are kept with the session, found by its slot; a request's by its key.
        Runs& runs = e.request.empty() ? recent.runs : request_runs(e, now);
        auto [it, fresh] = runs.try_emplace(e.shape.id);
        OpenRun& open = it->second;
        if (fresh) {
            open.run = pool_.take();
            open.in_request = !e.request.empty();
        }
        Run& run = *open.run;
        // A session's loop ends after window_ms without a call; a request's has no window, but ends
        // once the request has been idle kRequestIdleMs, whether or not a sweep has come by since.
        const bool continues = !expired(open, now);
        if (!fresh && !continues) {
            close(run);
            run.reset();
            fresh = true;
        }
        if (fresh) begin_run(run, e, now, recent);
        if (run.count > 0 && now != 0 && open.last_ms != 0 && run.gap_ms.size() < kGapSamples)
            run.gap_ms.push_back(now - open.last_ms);
        close_gap(run, recent);
        const long long since = run.count == 0 ? recent.statement_no - static_cast<long long>(kRecentStatements)
                                               : run.last_call_no;
        ++run.count;
        if (reads_own_write(e, recent, since)) ++run.after_own_write;
        run.last_call_no = recent.statement_no;
        open.last_ms = now;
        if (now != 0) recent.check_at_ms = std::min(recent.check_at_ms, now + limit_of(open));
        run.last_source = e.statement.source;
        if (e.statement.duration_ms) {
            run.sum_ms += *e.statement.duration_ms;
            ++run.timed;
        }
        note_varying_values(run, e, fresh);
        keep_call(run, e);
    }

    // Which literals this call changed against the run's first; whether all its values are known.
    // The first call is compared with nothing: it is the first values (most runs have only it).
    static void note_varying_values(Run& run, const workload::Execution& e, bool first_call) {
        if (first_call) {
            for (const auto& v : e.values) run.values_known = run.values_known && v.known;
            return;
        }
        for (std::size_t k = 0; k < e.values.size() && k < run.first_values.size(); ++k) {
            if (!e.values[k].known || !run.first_values[k].known) {
                run.values_known = false;
                continue;
            }
            if (e.values[k].text != run.first_values[k].text) run.varying.insert(static_cast<int>(k));
        }
        if (e.values.size() != run.first_values.size()) run.values_known = false;
    }

    // A run's first call, built in place in its scope's map: a run is begun for most
    // statements, and most never see a second call.
    void begin_run(Run& run, const workload::Execution& e, double now, Recent& recent) {
        run.shape_id = e.shape.id;
        // Field by field: the run is a reused one (RunPool), whose strings keep their memory.
        run.order.first_ms = now;
        run.order.session = e.session;
        run.order.in_session = ++recent.loops_begun;
        run.request = e.request;
        if (e.tags.empty()) run.route.clear();
        else run.route = workload::route_of(e.tags);
        run.first_ms = now;
        run.first_values = e.values;
        run.first_source = e.statement.source;
        run.preceding = recent.shapes;
    }

    // A looped SELECT's first calls' values, kept for the live check of its batch. The first
    // call's are its first_values, taken with the second call: most runs never have one
    // (a statement not in a loop), and keeping them was an allocation per statement.
    static void keep_call(Run& run, const workload::Execution& e) {
        if (run.count < 2 || !e.shape.shape || e.shape.shape->kind != sql::StatementKind::Select) return;
        if (run.count == 2) keep_values(run, *e.shape.shape, run.first_values);
        keep_values(run, *e.shape.shape, e.values);
    }

    static void keep_values(Run& run, const sql::QueryShape& shape, const std::vector<workload::LiteralValue>& values) {
        if (!run.calls_complete || run.calls.size() >= kSampleCalls) return;
        if (auto kept = workload::parameter_values(shape, values)) run.calls.push_back(std::move(*kept));
        else run.calls_complete = false;
    }

    // Loops are closed when no later call can continue them, so that closing one sooner or later
    // changes nothing found. A session's statements come in time order, but not a log's: the reader
    // passes an execute on when its session's next line comes (ingest/assembler.hpp), after later
    // ones of other sessions. So a session's loops, and its requests', are closed on its own clock,
    // at its next statement past their window (a session that ends closes them all: end_session;
    // analyze ends those quiet past session_lookback_ms). On the time of the last statement,
    // another session's, they were closed while a call was still to come (docs/rules/n-plus-one.md).
    void close_ended_loops(Recent& recent, double now) {
        double next = close_ended_loops_in(recent.runs, now);
        if (!recent.request_scope.empty()) next = std::min(next, close_ended_loops_of(recent.request_scope, now));
        recent.check_at_ms = next;
    }

    // Closes a request's loops that are over at `now`; when the first of the others can be.
    double close_ended_loops_of(const std::string& scope, double now) {
        auto it = open_.find(scope);
        if (it == open_.end()) return kNever;
        const double next = close_ended_loops_in(it->second, now);
        if (it->second.empty()) open_.erase(it);
        return next;
    }

    double close_ended_loops_in(Runs& runs, double now) {
        double next = kNever;
        for (auto r = runs.begin(); r != runs.end();) {
            OpenRun& open = r->second;
            if (expired(open, now)) {
                close(*open.run);
                pool_.give_back(std::move(open.run));
                r = runs.erase(r);
                continue;
            }
            if (open.last_ms != 0) next = std::min(next, open.last_ms + limit_of(open));
            ++r;
        }
        return next;
    }

    // A tagged request's open loops; a trace's (a request a pool spreads over sessions) is given a
    // time to be looked at by sweep_traces when it opens.
    Runs& request_runs(const workload::Execution& e, double now) {
        auto [scope, opened] = open_.try_emplace(e.request);
        if (opened && workload::is_trace_request(e.request)) trace_due(now + kRequestIdleMs, e.request);
        return scope->second;
    }

    // A trace is looked at again once `at_ms` has passed (traces_due_, earliest first).
    void trace_due(double at_ms, std::string scope) {
        traces_due_.push_back({at_ms, std::move(scope)});
        std::push_heap(traces_due_.begin(), traces_due_.end(), std::greater<>());
    }

    // A trace's request runs on any session of a pool: its loops end on the log's clock, the time
    // of the latest statement. Only the traces whose time has come are looked at: with a thousand
    // traces a second, each sweep looked at the last minute's 60,000 (half of analyze's time on
    // a log of them, issue 17). Out of line: it runs once per kSweepEvery statements.
    [[gnu::noinline]] void sweep_traces(double now) {
        if (now == 0) return;
        while (!traces_due_.empty() && traces_due_.front().at_ms < now) {
            std::pop_heap(traces_due_.begin(), traces_due_.end(), std::greater<>());
            TraceDue due = std::move(traces_due_.back());
            traces_due_.pop_back();
            // When its first loop still open can end; kNever when none is (the trace is closed).
            const double next = close_ended_loops_of(due.scope, now);
            if (next != kNever) trace_due(next, std::move(due.scope));
        }
    }

    // Whether an open run can have no more calls at `now`: its window (a request's idle time) has passed.
    bool expired(const OpenRun& open, double now) const {
        return now != 0 && open.last_ms != 0 && now - open.last_ms > limit_of(open);
    }
    double limit_of(const OpenRun& open) const { return open.in_request ? kRequestIdleMs : window_ms_; }

    static bool quiet_for_long(double last_ms, double now) {
        return now != 0 && last_ms != 0 && now - last_ms > kRequestIdleMs;
    }

    // Whether a session loop's calls look like one loop body repeating: its
    // calls come back to back (median gap at most max_median_gap_ms), at
    // least 3 in 4 gaps hold nothing or only statements of the most common
    // gap (a nested loop runs k inner lookups, k >= 0), and fewer than half
    // hold a transaction boundary. Tagged request loops need no such proof.
    bool iterations_alike(const Run& run) const {
        if (!run.request.empty()) return true;
        const long total = run.count - 1;
        if (total <= 0) return true;
        if (run.gaps_with_transaction_end * 2 >= total) return false;
        if (!run.gap_ms.empty()) {
            std::vector<double> gaps = run.gap_ms;
            auto middle = gaps.begin() + static_cast<std::ptrdiff_t>(gaps.size() / 2);
            std::nth_element(gaps.begin(), middle, gaps.end());
            if (*middle > max_median_gap_ms_) return false;
        }
        std::uint64_t body = 0;  // the most common gap that holds something
        long most = 0;
        for (const auto& [signature, n] : run.gaps)
            if (signature != 0 && n > most) most = n, body = signature;
        long alike = 0;
        for (const auto& [signature, n] : run.gaps)
            if ((signature & ~body) == 0) alike += n;  // empty, the body, or part of it
        return alike * 4 >= total * 3;
    }

    void close(const Run& run) {
        if (run.count < min_repeats_) return;
        // Separate requests of a pooled connection, not one loop: see iterations_alike.
        if (!iterations_alike(run)) return;
        // Most iterations read back a key they had just written: each depends
        // on its own write, so the reads cannot be fetched together up front.
        if (run.after_own_write * 2 >= run.count) return;
        // Only the value of one equality predicate may change; identical
        // repeats are a caching question, several changing values are not a lookup loop.
        int position = -1;
        if (run.values_known) {
            if (run.varying.size() != 1) return;
            position = *run.varying.begin();
        }
        LoopTotals loop;
        loop.loops = 1;
        loop.calls = run.count;
        loop.longest = run.count;
        const double mean = run.timed ? run.sum_ms / static_cast<double>(run.timed) : 0;
        loop.saved_calls_ns = nanoseconds(static_cast<double>(run.count - 1) * mean);
        loop.saved_round_trips = run.count - 1;
        loop.values_verified = run.values_known;
        loop.in_request = !run.request.empty();
        loop.first = run.order;
        loop.example = run;
        if (run.calls_complete && !run.calls.empty()) loop.samples.push_back({run.order, run.calls});
        looped_[run.shape_id][position].add(loop);
    }

    // The table the looped-up column points at: a foreign key in the catalog,
    // else the naming convention <table>_id.
    static std::optional<std::string> referenced_table(const sql::QueryShape& s, const sql::Predicate& p,
                                                       const RuleInput& input) {
        const auto& t = s.tables[static_cast<std::size_t>(p.column.table)];
        if (input.catalog) {
            if (const catalog::Table* table = catalog::resolve_table(*input.catalog, t.schema, t.name))
                for (const auto& c : table->constraints)
                    if (c.kind == catalog::ConstraintKind::ForeignKey && c.columns.size() == 1 &&
                        c.columns[0] == p.column.column)
                        return c.ref_table;
        }
        const std::string& col = p.column.column;
        if (col.size() > 3 && col.compare(col.size() - 3, 3, "_id") == 0) return col.substr(0, col.size() - 3);
        return std::nullopt;
    }

    // The table of s that `name` refers to: "order" matches orders or order, "category" categories.
    static std::optional<std::string> table_read(const sql::QueryShape& s, const std::string& name) {
        for (const auto& t : s.tables) {
            if (t.name == name || t.name == name + "s" || t.name == name + "es") return t.name;
            if (name.size() > 1 && name.back() == 'y' && t.name == name.substr(0, name.size() - 1) + "ies")
                return t.name;
        }
        return std::nullopt;
    }

    static bool served_by_index(const RuleInput& input, const sql::TableRef& t, const std::string& column) {
        if (!input.catalog) return false;
        const catalog::Table* table = catalog::resolve_table(*input.catalog, t.schema, t.name);
        if (!table) return false;
        catalog::IndexAccess access;
        access.equality.push_back(catalog::column_key(column));
        return catalog::serving_index(*input.catalog, *table, access, catalog::ServeDepth::Whole) != nullptr;
    }

    // A finding for one looped shape, in named steps; nullopt when the loop
    // varies no single equality predicate (then it is not a lookup loop).
    std::optional<Finding> finding_for(const LoopedShape& l, const RuleInput& input) const {
        const auto lookup = lookup_of(l, input.workload->shapes);
        if (!lookup) return std::nullopt;
        Finding f = make_finding();
        describe_scope(f, l, *lookup, input.round_trip_ms);
        const Parent parent = probable_parent(l, *lookup, input);
        add_evidence(f, l, *lookup, parent, input.workload->shapes);
        explain(f, l, *lookup, parent, input.workload->shapes);
        const std::string type = key_type(input, *lookup->table, lookup->column);
        if (auto batch = batched_statement(*lookup->info, l.example, lookup->column, type)) {
            f.fix_sql = batch->lookup.sql;
            f.batch_samples = samples_of(*lookup->info, *batch, type, l);
        }
        f.rewrite_sql = f.fix_sql;
        add_fix(f, *lookup, input);
        describe_app_change(f, *lookup, parent, input);
        return f;
    }

    // The batched lookup as the application sees it: which column, and whether it
    // loads each parent's children (a foreign key) or each row's parent (its own key).
    static void describe_app_change(Finding& f, const Lookup& lookup, const Parent& parent, const RuleInput& input) {
        f.app_change.kind = AppChange::Kind::BatchLookup;
        f.app_change.key_columns = {lookup.column};
        f.app_change.key_is_foreign = referenced_table(*lookup.info->shape, *lookup.predicate, input).has_value();
        if (parent.table) f.app_change.parent_table = *parent.table;
    }

    // Who ran the loop and what batching it saves: the loops' own measurements,
    // so the confidence says how sure the values are.
    void describe_scope(Finding& f, const LoopedShape& l, const Lookup& lookup, double rtt) const {
        // Without request tags the loop was told from separate requests by its session's
        // timing alone (iterations_alike): good evidence, not proof.
        f.confidence = !l.values_verified ? Confidence::Low : l.in_request ? Confidence::High : Confidence::Medium;
        f.schema = lookup.table->schema;
        f.table = lookup.table->name;
        f.key = lookup.info->fingerprint;
        f.session = l.example.order.session;
        f.request = l.example.request.empty() ? l.example.route
                    : l.example.route.empty() ? l.example.request
                                              : l.example.route;
        f.estimated_gain_ms = milliseconds(l.saved_calls_ns) + static_cast<double>(l.saved_round_trips) * rtt;
        f.gain_method = fmt::format(
            "(N - 1) x (mean statement time + {:.1f} ms round trip), summed over the {} loop{} seen", rtt, l.loops,
            l.loops == 1 ? "" : "s");
    }

    // The probable parent: the statement before the loop that reads the
    // table the looked-up column refers to (orders for order_items.order_id), or
    // for a lookup by the table's own key, a table whose foreign key refers to it
    // (tickets for customers.id: lazy loading ticket.customer). None otherwise: the
    // statement just before a loop is as often another request's as the parent.
    static Parent probable_parent(const LoopedShape& l, const Lookup& lookup, const RuleInput& input) {
        const auto& shapes = input.workload->shapes;
        const auto referenced = referenced_table(*lookup.info->shape, *lookup.predicate, input);
        Parent parent;
        for (std::size_t id : l.example.preceding) {
            if (id == l.shape_id || id >= shapes.size() || !shapes[id].shape) continue;
            if (shapes[id].shape->kind != sql::StatementKind::Select) continue;
            if (referenced) parent.table = table_read(*shapes[id].shape, *referenced);
            else parent.table = referring_table_read(*shapes[id].shape, *lookup.table, input);
            if (parent.table) {
                parent.id = id;
                break;
            }
        }
        return parent;
    }

    // The table of s with a foreign key to `looked_up`, when the catalog says so.
    static std::optional<std::string> referring_table_read(const sql::QueryShape& s, const sql::TableRef& looked_up,
                                                           const RuleInput& input) {
        if (!input.catalog) return std::nullopt;
        for (const auto& t : s.tables) {
            const catalog::Table* table = catalog::resolve_table(*input.catalog, t.schema, t.name);
            if (!table) continue;
            for (const auto& c : table->constraints)
                if (c.kind == catalog::ConstraintKind::ForeignKey && c.ref_table == looked_up.name) return t.name;
        }
        return std::nullopt;
    }

    // The looped statement with its cost and the loop's place in the inputs;
    // the parent's text and cost (not its places: they are not this loop's).
    static void add_evidence(Finding& f, const LoopedShape& l, const Lookup& lookup, const Parent& parent,
                             const workload::ShapeList& shapes) {
        f.statements.push_back(evidence_of(*lookup.info));
        SourceLocation loop = l.example.first_source;  // from its first call's line to its last's
        loop.last_line = l.example.last_source.last_line;
        f.locations.push_back(std::move(loop));
        if (parent.id) {
            f.statements.push_back(evidence_of(shapes[*parent.id], {}));
            f.statements.back().loop_parent = true;
        }
    }

    // Title and explanation: what repeated, where, and the parent when one was found.
    void explain(Finding& f, const LoopedShape& l, const Lookup& lookup, const Parent& parent,
                 const workload::ShapeList& shapes) const {
        const sql::TableRef& table = *lookup.table;
        const std::string where = l.example.request.empty()
                                      ? fmt::format("one session, calls at most {:.0f} ms apart", window_ms_)
                                      : (l.example.route.empty() ? "one request" : "request " + l.example.route);
        f.title = fmt::format("N+1: {} runs once per {} ({} loop{}, up to {} calls each)", table.qualified_name(),
                              lookup.column, l.loops, l.loops == 1 ? "" : "s", l.longest);
        f.explanation = fmt::format(
            "The statement below ran {} times in {} loop{} ({}), each time with another value for {}.{} only. "
            "Every call is a round trip to the server and a separate plan and execution; one batched statement "
            "does the same work once.{}{}",
            l.calls, l.loops, l.loops == 1 ? "" : "s", where, table.name, lookup.column,
            parent.id ? "\nProbable parent (a heuristic: the statement before the loop" +
                            std::string(parent.table ? " that reads " + *parent.table : "") +
                            "): " + shapes[*parent.id].normalized
                      : std::string(),
            l.values_verified ? ""
                              : "\nThe logged values could not all be read, so that only this value changes "
                                "is assumed from the statement's single equality predicate.");
        if (!l.in_request) f.explanation += untagged_note();
    }

    // A loop outside any tagged request: how each ORM tags its statements, so that
    // the next run scopes loops to requests instead of inferring them from timing.
    static std::string untagged_note() {
        return "\nThe calls carry no request tag: on a pooled connection, separate requests look alike, so "
               "the loop was told from the session's timing (calls close together, nothing else between "
               "them), hence medium confidence. Tag each request's statements and the next run is certain: "
               "Prisma with @prisma/sqlcommenter-query-tags, Sequelize with a beforeQuery hook appending "
               "/*route='...'*/, Django and SQLAlchemy with sqlcommenter, Rails with query_log_tags "
               "(ActiveRecord::QueryLogs) or marginalia (docs/rules/n-plus-one.md, \"Pooled connections\").";
    }

    // What to do: batch the lookup (the statement below, when it could be
    // built), and index the column when no index of the schema serves it.
    static void add_fix(Finding& f, const Lookup& lookup, const RuleInput& input) {
        const sql::TableRef& table = *lookup.table;
        const std::string& column = lookup.column;
        const bool indexed = served_by_index(input, table, column);
        f.fix = fmt::format(
            "Fetch all the rows in one statement{}: collect the {} values the loop iterates over and pass them as "
            "one array parameter, then group the rows by {} in the application. Or join {} to the parent query.{}",
            f.fix_sql.empty() ? "" : " (below)", column, column, table.name,
            input.catalog ? (indexed ? ""
                                     : fmt::format(" Index {}({}): no index of the schema serves the lookup.",
                                                   table.qualified_name(), column))
                          : "");
        // An index is asked for only on the schema's evidence: without one, nothing says the
        // column is not already a primary key (pgbench's aid) or indexed.
        if (input.catalog && !indexed) {
            IndexNeed need;
            need.schema = table.schema;
            need.table = table.name;
            need.equality_columns = {column};
            need.fingerprint = lookup.info->fingerprint;
            f.index_needs.push_back(std::move(need));
        }
    }

    const long min_repeats_;
    const double window_ms_;
    const double max_median_gap_ms_;
    std::size_t seen_ = 0;
    // Open sessions, by slot (Execution::session_slot), with their loops outside any tagged request.
    BySessionSlot<Recent> sessions_;
    std::unordered_map<std::string, Runs> open_;  // tagged requests' open loops, by request key
    // open_'s requests that are traces, by when sweep_traces looks at them next (a heap, earliest first).
    struct TraceDue {
        double at_ms = 0;
        std::string scope;
        bool operator>(const TraceDue& o) const { return at_ms > o.at_ms; }  // for std::greater: a min-heap
    };
    std::vector<TraceDue> traces_due_;
    RunPool pool_;                                   // closed runs, to begin new ones with
    std::map<std::size_t, LoopsByPosition> looped_;  // by shape id
};

}  // namespace

std::unique_ptr<Rule> create_n_plus_one(const RuleConfig& config) { return std::make_unique<NPlusOne>(config); }

}  // namespace pgadvisor::rules
