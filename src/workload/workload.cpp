#include "workload/workload.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cctype>
#include <unordered_map>

#include "ingest/shape_key.hpp"
#include "sql/neutral_constants.hpp"
#include "sql/parser.hpp"
#include "sql/scanner.hpp"
#include "sql/shape.hpp"
#include "workload/prefetch.hpp"

namespace pgadvisor::workload {
namespace {

// push_back into a vector that holds at most `cap` items (the caller checks): its
// buffer grows by doubling but never past `cap`, so a shape's five locations take
// five slots, not eight (issue 17: memory per shape).
template <typename T>
void push_back_capped(std::vector<T>& v, const T& item, std::size_t cap) {
    if (v.size() == v.capacity()) v.reserve(std::min(cap, std::max<std::size_t>(1, 2 * v.size())));
    v.push_back(item);
}

// A statement's session key, into `key`: written for every statement, so into a string
// whose memory is reused, not made of temporaries.
void write_session_key(const ingest::Statement& s, std::string& key) {
    if (!s.session_id.empty()) {
        key = s.session_id;
    } else if (s.pid != 0) {
        char digits[24];
        const auto written = std::to_chars(digits, digits + sizeof digits, s.pid);
        key.assign("pid:").append(digits, written.ptr).append(1, '@').append(s.database);
    } else {
        key.assign("file:").append(s.source.file);
    }
}

// The trace id of a W3C traceparent ("00-<trace>-<span>-<flags>"), which names one request.
std::string trace_id(const std::string& traceparent) {
    const auto a = traceparent.find('-');
    const auto b = a == std::string::npos ? a : traceparent.find('-', a + 1);
    return b == std::string::npos ? traceparent : traceparent.substr(a + 1, b - a - 1);
}

// A traceparent's request key: this, then the trace id (is_trace_request).
constexpr std::string_view kTracePrefix = "trace:";

// Counts a key up to two distinct ones: the first is kept, any other makes two.
void count_distinct(int& count, std::string& first, const std::string& key) {
    if (key.empty() || count >= 2) return;
    if (count == 0) first = key, count = 1;
    else if (key != first) count = 2;
}

// One more call's values: a literal stays constant while every call gives it
// the same known, non-NULL value.
void track_constant_literals(ShapeInfo& info, const std::vector<LiteralValue>& values, const std::string& session,
                             const std::string& request) {
    if (info.constant_literals.empty()) info.constant_literals.resize(values.size());
    if (info.constant_literals.size() != values.size()) {
        // A call whose values do not line up with the first one's: nothing is known to be constant.
        for (auto& c : info.constant_literals) c.varies = true, c.value.reset();
        return;
    }
    const bool first_call = info.spread.calls == 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        ConstantLiteral& c = info.constant_literals[i];
        if (c.varies) continue;
        const LiteralValue& v = values[i];
        if (!v.known || !v.text || (!first_call && c.value != v.text)) {
            c.varies = true;
            c.value.reset();
        } else if (first_call) {
            c.value = v.text;
        }
    }
    ++info.spread.calls;
    count_distinct(info.spread.sessions, info.spread.first_session, session);
    count_distinct(info.spread.requests, info.spread.first_request, request);
}

}  // namespace

RequestTags comment_tags(const std::string& text) {
    // Most statements have no comment: no scan for them.
    if (text.find("/*") == std::string::npos && text.find("--") == std::string::npos) return {};
    return request_tags_of(text);
}

namespace {

// The key, value tokens and tags of a text, read off it.
void prepare_text(PreparedStatement& p) {
    // The keying pass's value tokens where it is sure they are libpg_query's, else the scanner's.
    ingest::ValueScan scan;
    p.key = ingest::shape_key(p.statement.text, &scan);
    p.tokens = scan.sure ? std::move(scan.tokens) : value_tokens(p.statement.text);
    p.tags = comment_tags(p.statement.text);
}

// Texts a thread prepared lately, with what was read off them: a statement's key, value
// tokens and tags depend on its text alone, and texts repeat. An ORM's statements carry
// their values as bind parameters, so each call of a statement has the same text, and
// small lookups repeat their constants too (42% of the 1M-statement bench log's statements
// repeat an earlier text). A text is kept from its second sighting on, so that a log of
// texts that never repeat pays a hash a statement, not a copy (issue 17).
class PreparedTexts {
public:
    // Fills p from a text met before; false (and p untouched) when it is not kept.
    bool recall(PreparedStatement& p, std::size_t hash) const {
        const Known& known = known_[hash % kSlots];
        if (known.hash != hash || known.text != p.statement.text) return false;
        p.key = known.key;
        p.tokens = known.tokens;
        p.tags = known.tags;
        return true;
    }
    // Remembers a text just prepared, if it was seen before.
    void remember(const PreparedStatement& p, std::size_t hash) {
        std::size_t& seen = seen_[hash % kSeenSlots];
        if (seen != hash) {
            seen = hash;
            return;
        }
        Known& known = known_[hash % kSlots];
        known.hash = hash;
        known.text = p.statement.text;
        known.key = p.key;
        known.tokens = p.tokens;
        known.tags = p.tags;
    }
    // Longer texts are read each time: the memory kept stays under a few MB a thread.
    static constexpr std::size_t kMaxTextBytes = 2048;

private:
    static constexpr std::size_t kSlots = 1024, kSeenSlots = 8192;
    struct Known {
        std::size_t hash = 0;
        std::string text;
        std::optional<std::string> key;
        std::vector<ValueToken> tokens;
        RequestTags tags;
    };
    std::vector<Known> known_ = std::vector<Known>(kSlots);
    std::vector<std::size_t> seen_ = std::vector<std::size_t>(kSeenSlots);
};

}  // namespace

bool is_trace_request(std::string_view request) { return request.starts_with(kTracePrefix); }

void prepare_statement(PreparedStatement& p) {
    const std::string& text = p.statement.text;
    if (text.empty()) return;
    if (text.size() > PreparedTexts::kMaxTextBytes) return prepare_text(p);
    thread_local PreparedTexts texts;
    const std::size_t hash = std::hash<std::string_view>{}(text);
    if (texts.recall(p, hash)) return;
    prepare_text(p);
    texts.remember(p, hash);
}

std::vector<LiteralValue> literal_values(const sql::QueryShape& shape, const ingest::Statement& statement) {
    return literal_values_by(value_reference(shape, value_tokens(shape.text)), value_tokens(statement.text), statement);
}

const ShapeInfo* Workload::find(const std::string& fingerprint) const {
    for (const auto& s : shapes)
        if (s.fingerprint == fingerprint) return &s;
    return nullptr;
}

// The aggregator keeps each shape's statistics in its ShapeInfo (ShapeStatsStore).
struct WorkloadBuilder::State : ShapeStatsStore {
    WorkloadOptions options;
    ExecutionSink sink;
    ShapeList shapes;  // index = the aggregator's shape id
    Aggregator aggregator{Aggregator::KeepShapes::Yes, this};

    std::size_t size() const override { return shapes.size(); }
    ShapeStats& at(std::size_t id) override { return shapes[id].stats; }
    void push_back(ShapeStats&& stats) override {
        ShapeInfo& info = shapes.emplace_back();
        info.id = shapes.size() - 1;
        info.stats = std::move(stats);
    }

    // Each shape's value tokens in its own text, scanned once: scanning them again
    // for every statement was half of analyze's time (issue 17).
    std::vector<std::shared_ptr<const ValueReference>> references;  // index = shape id; null: no literals
    ValueReferences published;                                      // by key, for the workers
    // The value tokens the aggregator's keying pass found in the statement being added.
    ingest::ValueScan keyed_values;
    std::vector<ValueToken> scanned_values;  // where the keying pass was not sure
    // The statement's value tokens when a worker read them (PreparedStatement), else null.
    const std::vector<ValueToken>* given_tokens = nullptr;

    struct Session {
        std::string key;
        std::size_t slot = 0;  // Execution::session_slot
        bool in_explicit = false;
        std::string transaction;
        std::string last_vxid;
        RequestTags last_tags;
        std::string request;
    };
    // Open sessions only: an ended one is erased (end_session); session_keys counts them all.
    std::unordered_map<std::string, Session> sessions;
    std::vector<std::size_t> free_slots;  // of ended sessions, given to new ones first
    std::size_t slots = 0;                // slots ever given: the next new one
    DistinctKeys session_keys;
    std::string session_key;  // the statement's (write_session_key), its memory reused
    SessionKeySink ended;
    // Numbered across the workload, not per session: a session key begun again
    // after its end (a pid's next session) must not reuse "key#tx1" or "key#req1".
    long long transactions = 0;
    long long requests = 0;
    std::vector<std::shared_ptr<const ingest::Plan>> standalone_plans;
    std::vector<std::string> plan_sources;
    ingest::Issues issues;
    OrmDetector orm;

    // The statement's value tokens: from the keying pass when it is sure, else libpg_query's scanner.
    const std::vector<ValueToken>& statement_value_tokens(const ingest::Statement& s) {
        if (given_tokens) return *given_tokens;
        if (keyed_values.sure) return keyed_values.tokens;
        scanned_values = value_tokens(s.text);
        return scanned_values;
    }

    // A new shape's value tokens in its own text: the keying pass's when the
    // shape's text is the whole statement (not after a leading comment or
    // before a second statement), so a new shape is not scanned again.
    std::vector<ValueToken> shape_value_tokens(const sql::QueryShape& shape, const ingest::Statement& s) const {
        const bool whole = shape.offset == 0 && shape.text == s.text;
        if (whole && given_tokens) return *given_tokens;
        if (whole && keyed_values.sure) return keyed_values.tokens;
        return value_tokens(shape.text);
    }

    ShapeInfo& shape_for(std::size_t id, const ingest::Statement& s) {
        ShapeInfo& info = shapes[id];  // the aggregator added it (push_back)
        if (!info.shape && !info.parse_error) {
            // The aggregator shaped the text when the shape was new (each new shape parsed once).
            auto kept = aggregator.take_shape(id);
            auto r = kept ? std::move(*kept) : sql::shape_statement(s.text);
            if (r.shape) info.shape = std::move(r.shape);
            else info.parse_error = r.error ? std::move(*r.error) : sql::ParseError{"not a statement", 0, 0, 1};
            // A statement PostgreSQL ran but pgadvisor cannot follow is the input's problem, said with
            // file:line; a statement that does not parse at all was never run (an error log line).
            if (info.parse_error && info.parse_error->too_deep)
                issues.add(ingest::issue::kTooDeep, s.source.file, s.source.first_line, info.parse_error->message);
            references.resize(shapes.size());
            if (info.shape && !info.shape->literals.empty())
                references[id] = std::make_shared<const ValueReference>(
                    value_reference(*info.shape, shape_value_tokens(*info.shape, s)));
        }
        return info;
    }

    // The transaction a statement belongs to. The virtual transaction id is
    // the truth when the log has it (BEGIN may be filtered out by
    // log_min_duration_statement); otherwise BEGIN ... COMMIT in the session.
    void track_transaction(Session& session, const ingest::Statement& s, const ShapeInfo& info) {
        static const std::string kNone;
        const std::string& kind = info.shape ? info.shape->transaction_kind : kNone;
        const bool begins = !kind.empty() && (kind == "begin" || kind == "start");
        if (!s.vxid.empty() && s.vxid.size() > 2 && s.vxid.compare(s.vxid.size() - 2, 2, "/0") != 0) {
            if (s.vxid != session.last_vxid) {
                session.last_vxid = s.vxid;
                session.transaction = session.key + "/" + s.vxid;
                if (begins) ++transactions;
            }
            return;
        }
        if (begins) {
            session.in_explicit = true;
            ++transactions;
            session.transaction = session.key + "#tx" + std::to_string(transactions);
        } else if (!session.in_explicit) {
            session.transaction.clear();
        }
    }

    void end_transaction_if_closing(Session& session, const ShapeInfo& info) {
        if (!info.shape || info.shape->transaction_kind.empty()) return;  // most statements
        const std::string& kind = info.shape->transaction_kind;
        if (kind == "commit" || kind == "rollback" || kind == "prepare") {
            session.in_explicit = false;
            if (session.last_vxid.empty()) session.transaction.clear();
        }
    }

    // A request: statements carrying the same tags one after another in a
    // session; a traceparent names the request outright.
    // `tags`: comment_tags of the statement's text.
    void track_request(Session& session, const ingest::Statement& s, RequestTags tags) {
        if (tags.empty()) {
            session.last_tags.clear();
            session.request.clear();
            return;
        }
        if (!s.application.empty()) tags.emplace("application_name", s.application);
        if (auto it = tags.find("traceparent"); it != tags.end()) {
            std::string req = std::string(kTracePrefix) + trace_id(it->second);
            if (req != session.request) ++requests;
            session.request = std::move(req);
        } else if (tags != session.last_tags || session.request.empty()) {
            ++requests;
            session.request = session.key + "#req" + std::to_string(requests);
        }
        session.last_tags = std::move(tags);
    }
};

WorkloadBuilder::WorkloadBuilder(WorkloadOptions options, ExecutionSink sink, SessionKeySink ended)
    : state_(std::make_unique<State>()) {
    state_->options = options;
    state_->sink = std::move(sink);
    state_->ended = std::move(ended);
}

void WorkloadBuilder::end_session(const ingest::SessionEnd& end) {
    // The Assembler's session ids are the keys session_key gives its statements.
    const std::string& key = end.session_id;
    if (key.empty()) return;
    // A session with no statement here has nothing kept for it by the rules either.
    auto it = state_->sessions.find(key);
    if (it == state_->sessions.end()) return;
    const std::size_t slot = it->second.slot;
    state_->sessions.erase(it);
    if (state_->ended) state_->ended(key, slot);
    state_->free_slots.push_back(slot);  // only once the rules have let go of it
}

std::size_t WorkloadBuilder::open_sessions() const { return state_->sessions.size(); }

WorkloadBuilder::~WorkloadBuilder() = default;

void WorkloadBuilder::add(const ingest::Statement& s) { add_statement(s, nullptr); }

void WorkloadBuilder::add(PreparedStatement& p) { add_statement(p.statement, &p); }

ValueReferences& WorkloadBuilder::value_references() { return state_->published; }

void WorkloadBuilder::add_statement(const ingest::Statement& s, PreparedStatement* prepared) {
    State& st = *state_;
    const std::optional<std::string>* cheap_key = prepared ? &prepared->key : nullptr;
    const RequestTags* tags = prepared ? &prepared->tags : nullptr;
    std::optional<std::vector<LiteralValue>>* given_values = prepared ? &prepared->values : nullptr;
    if (s.text.empty()) {
        // A plan without its statement (a standalone EXPLAIN without query text).
        if (s.plan) {
            st.standalone_plans.push_back(s.plan);
            st.plan_sources.push_back(s.source.file.str() + ":" + std::to_string(s.source.first_line));
        }
        st.aggregator.add(s);
        return;
    }
    // A statement with text always has a shape.
    st.given_tokens = prepared ? &prepared->tokens : nullptr;
    st.keyed_values.sure = false;
    const std::string* new_key = nullptr;
    NewShape* new_shape = prepared && prepared->new_shape ? &*prepared->new_shape : nullptr;
    const std::size_t id = cheap_key ? *st.aggregator.add(s, *cheap_key, new_shape, &new_key, prepared->shape_id)
                                     : *st.aggregator.add(s, &st.keyed_values);
    ShapeInfo& info = st.shape_for(id, s);
    // Sized by shape_for; null for a shape without literals or that does not parse.
    const std::shared_ptr<const ValueReference>& reference = st.references.at(id);
    if (new_key) st.published.publish(*new_key, id, reference);

    if (info.locations.size() < st.options.locations_per_shape)
        push_back_capped(info.locations, s.source, st.options.locations_per_shape);
    if (s.epoch_ms != 0) {
        if (info.first_ms == 0 || s.epoch_ms < info.first_ms) info.first_ms = s.epoch_ms;
        info.last_ms = std::max(info.last_ms, s.epoch_ms);
    }
    if (s.duration_ms) info.max_ms = std::max(info.max_ms, *s.duration_ms);
    if (s.plan) {
        const double ms = s.plan->execution_ms.value_or(s.duration_ms.value_or(0));
        if (!info.plan || ms > info.plan_ms) {
            info.plan = s.plan;
            info.plan_ms = ms;
        }
    }

    // Every call's values: the sequence rules read them, and constant_literals
    // must see every call to say a value never changed.
    std::vector<LiteralValue> values;
    if (given_values && *given_values) values = std::move(**given_values);
    else if (reference) values = literal_values_by(*reference, st.statement_value_tokens(s), s);
    if (info.shape && info.samples.size() < st.options.samples_per_shape && !values.empty()) {
        if (std::find(info.samples.begin(), info.samples.end(), values) == info.samples.end())
            info.samples.push_back(values);
    }

    write_session_key(s, st.session_key);
    const std::string& key = st.session_key;
    auto [it, inserted] = st.sessions.try_emplace(key);
    State::Session& session = it->second;
    if (inserted) {
        session.key = key;
        if (st.free_slots.empty()) {
            session.slot = st.slots++;
        } else {
            session.slot = st.free_slots.back();
            st.free_slots.pop_back();
        }
        // A record with neither session id nor pid (a pg_stat_statements row, a .sql file) is
        // keyed by its file for the sequence rules, but is no session the server had: not counted.
        if (!s.session_id.empty() || s.pid != 0) st.session_keys.add(key);
    }
    st.track_transaction(session, s, info);
    st.track_request(session, s, tags ? *tags : comment_tags(s.text));
    if (!values.empty()) track_constant_literals(info, values, session.key, session.request);
    static const RequestTags kNoTags;
    st.orm.add_execution(session.request.empty() ? kNoTags : session.last_tags, s.application);

    if (st.sink) {
        const Execution e{s,
                          info,
                          session.key,
                          session.slot,
                          session.transaction,
                          session.request,
                          session.request.empty() ? kNoTags : session.last_tags,
                          values};
        st.sink(e);
    }
    st.end_transaction_if_closing(session, info);
}

std::size_t WorkloadBuilder::shape_count() const { return state_->shapes.size(); }

void WorkloadBuilder::prefetch(const PreparedStatement& prepared, PrefetchStage stage) const {
    const State& st = *state_;
    if (!prepared.shape_id || *prepared.shape_id >= st.shapes.size()) return;
    const ShapeInfo& info = st.shapes[*prepared.shape_id];
    if (stage == PrefetchStage::Shape) {
        prefetch_bytes(&info, sizeof info);
        prefetch_bytes(&st.references[*prepared.shape_id], 1);
        return;
    }
    if (!info.shape) return;
    const sql::QueryShape& s = *info.shape;
    prefetch_items(s.predicates, 4 * kCacheLineBytes);
    prefetch_items(s.tables, 2 * kCacheLineBytes);
    prefetch_items(s.literals, 2 * kCacheLineBytes);
    prefetch_items(info.constant_literals, 2 * kCacheLineBytes);
    prefetch_items(info.locations, 2 * kCacheLineBytes);
    prefetch_items(info.samples.packed(), 4 * kCacheLineBytes);
    // Where the next duration goes.
    const auto& durations = info.stats.durations.values();
    prefetch_bytes(durations.data() + durations.size(), sizeof(float), /*for_write=*/true);
}

Workload WorkloadBuilder::finish() {
    State& st = *state_;
    Workload w;
    Summary& sum = st.aggregator.summary();
    for (ShapeInfo& info : st.shapes) {
        info.fingerprint = info.stats.fingerprint;
        // Shown in every report and migration header: sql::shown_statement's text,
        // without comments (sqlcommenter tags belong to one execution) or constants.
        info.normalized = info.stats.normalized;
        info.set_percentiles();
        if (info.shape) st.orm.add_shape(*info.shape);
        w.total_ms += info.stats.total_ms;
    }
    w.shapes = std::move(st.shapes);
    w.sessions = static_cast<long long>(st.session_keys.size());
    w.transactions = st.transactions;
    w.requests = st.requests;
    w.issues = std::move(st.issues);
    w.span_ms = sum.last_ms > sum.first_ms ? sum.last_ms - sum.first_ms : 0;
    w.standalone_plans = std::move(st.standalone_plans);
    w.plan_sources = std::move(st.plan_sources);
    w.summary = std::move(sum);
    w.orm = st.orm.result();
    return w;
}

std::optional<std::vector<std::optional<std::string>>> parameter_values(const sql::QueryShape& shape,
                                                                        const std::vector<LiteralValue>& sample) {
    if (sample.size() != shape.literals.size()) return std::nullopt;
    int max_param = 0;
    std::size_t constants = 0;
    for (const auto& l : shape.literals) {
        if (l.kind == sql::LiteralKind::Parameter) max_param = std::max(max_param, l.param_number);
        else ++constants;
    }
    for (const auto& v : sample)
        if (!v.known) return std::nullopt;
    // Sized once (n-plus-one asks this of every call it keeps: growing it was half of its cost).
    std::vector<std::optional<std::string>> out;
    out.reserve(static_cast<std::size_t>(max_param) + constants);
    out.resize(static_cast<std::size_t>(max_param));
    std::vector<bool> filled(out.size(), false);  // the $n slots; the constants are filled as they come
    for (std::size_t i = 0; i < shape.literals.size(); ++i) {
        const auto& l = shape.literals[i];
        if (l.kind == sql::LiteralKind::Parameter) {
            if (l.param_number < 1) return std::nullopt;
            out[static_cast<std::size_t>(l.param_number - 1)] = sample[i].text;
            filled[static_cast<std::size_t>(l.param_number - 1)] = true;
        } else {
            out.push_back(sample[i].text);
        }
    }
    if (std::find(filled.begin(), filled.end(), false) != filled.end()) return std::nullopt;
    return out;
}

std::vector<std::vector<std::optional<std::string>>> parameter_sets(const ShapeInfo& shape, std::size_t max) {
    std::vector<std::vector<std::optional<std::string>>> sets;
    if (!shape.shape) return sets;
    if (shape.shape->literals.empty()) sets.emplace_back();
    for (const auto& sample : shape.samples) {
        if (sets.size() >= max) break;
        if (auto p = parameter_values(*shape.shape, sample)) sets.push_back(std::move(*p));
    }
    return sets;
}

std::string constant_withheld_because(const ShapeInfo& shape, const std::string& value) {
    if (!sql::looks_like_code_constant(value))
        return "the value does not look like a code constant (a short lowercase word or a small flag), so it may "
               "be user data";
    if (shape.spread.calls < kMinCallsToShowConstant)
        return fmt::format("it was seen in only {} call(s), fewer than {}", shape.spread.calls,
                           kMinCallsToShowConstant);
    if (shape.spread.sessions < 2 && shape.spread.requests < 2)
        return "every call came from one session, so it may be that session's data";
    return {};
}

}  // namespace pgadvisor::workload
