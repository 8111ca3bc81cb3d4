#include "workload/workload_digest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <future>
#include <vector>

#include "ingest/explain.hpp"
#include "sql/neutral_constants.hpp"
#include "sql/shape.hpp"
#include "workload/json_line.hpp"
#include "workload/parallel_for.hpp"

namespace pgadvisor::workload {
namespace {

using nlohmann::json;

constexpr const char* kMagic = "pgadvisor-digest";
// A digest's shapes are written and read a round at a time (held at once: about a KB each), each
// round on the --jobs threads (a shape's text is a parse either way); fewer take no thread.
constexpr std::size_t kShapesPerRound = 1024, kShapesAlone = 256;

// A key (a session or request key) as a stable hash: two parts tell the same key from another without naming it.
std::string key_hash(const std::string& key) {
    if (key.empty()) return "";
    return fmt::format("{:016x}", stable_hash(key));
}

void write_durations(JsonLine& out, const DurationSketch& d) {
    out.open_object();
    if (d.exact()) {
        out.key("values").open_array();
        for (float v : d.values()) out.number(static_cast<double>(v));
        out.close_array();
    } else {
        out.key("offset").number(d.bucket_offset()).key("buckets").open_array();
        for (auto b : d.buckets()) out.number(b);
        out.close_array().key("zeros").number(d.zeros());
    }
    out.close_object();
}

// An enumerator written as its number; throws on one past `last`, which the enum does not have.
template <class E>
E enum_from(const json& j, E last) {
    const int v = number_from<int>(j);
    if (v < 0 || v > static_cast<int>(last)) throw std::out_of_range("an enumerator this version does not know");
    return static_cast<E>(v);
}

DurationSketch durations_from(const json& j) {
    DurationSketch d;
    const bool ok = j.contains("values") ? DurationSketch::from_values(numbers_from<float>(j.at("values")), d)
                                         : DurationSketch::from_buckets(number_from<int>(j.at("offset")),
                                                                        numbers_from<std::uint64_t>(j.at("buckets")),
                                                                        number_from<long long>(j.at("zeros")), d);
    if (!ok) throw std::runtime_error("durations that make no sketch");
    return d;
}

// The text a shape is rebuilt from: its own with show_literals, else its neutral text ("" when there is none).
std::string shape_text(const ShapeInfo& s, bool show_literals) {
    if (!s.shape) return "";
    if (show_literals) return s.shape->text;
    // Shaped already: where its values are is known, without scanning and parsing it again.
    if (!s.shape->value_spans) return "";
    return sql::with_neutral_constants(s.shape->text, *s.shape->value_spans).value_or("");
}

// A plan's condition (Filter, Index Cond, a Sort Key) read as the clause `clause` ("SELECT WHERE ",
// "SELECT ORDER BY "), with each constant made neutral; nullopt when it does not read.
std::optional<std::string> neutral_clause(const std::string& condition, std::string_view clause) {
    if (condition.empty()) return condition;
    auto text = sql::with_neutral_constants(std::string(clause) + condition);
    if (!text || text->rfind(clause, 0) != 0) return std::nullopt;
    return text->substr(clause.size());
}

// The node's conditions made neutral, its children's too; false when one does not read.
bool neutralize(ingest::PlanNode& n) {
    for (std::string* condition :
         {&n.filter, &n.index_cond, &n.join_filter, &n.hash_cond, &n.recheck_cond, &n.merge_cond}) {
        auto neutral = neutral_clause(*condition, "SELECT WHERE ");
        if (!neutral) return false;
        *condition = std::move(*neutral);
    }
    auto sort_key = neutral_clause(n.sort_key, "SELECT ORDER BY ");
    if (!sort_key) return false;
    n.sort_key = std::move(*sort_key);
    return std::all_of(n.children.begin(), n.children.end(), [](ingest::PlanNode& c) { return neutralize(c); });
}

// A logged plan as a digest keeps it: EXPLAIN JSON, its conditions' constants
// neutral and its query text left out unless show_literals; null when its
// conditions do not read (it is then dropped: they hold values).
json plan_json(const ingest::Plan& plan, bool show_literals) {
    ingest::Plan kept = plan;
    if (!show_literals) {
        kept.query_text.clear();
        if (!neutralize(kept.root)) return nullptr;
    }
    return {{"explain", ingest::explain_json(kept)}, {"format", kept.format}};
}

std::shared_ptr<const ingest::Plan> plan_from(const json& j) {
    auto parsed = ingest::parse_explain_json(j.at("explain").get<std::string>());
    if (parsed.plans.size() != 1) throw std::runtime_error("a plan that does not read");
    parsed.plans[0].format = j.at("format").get<std::string>();
    return std::make_shared<const ingest::Plan>(std::move(parsed.plans[0]));
}

// location_json's array, written into a line.
void write_location(JsonLine& out, const ingest::SourceLocation& l) {
    out.open_array().string(l.file.str()).number(l.first_line).number(l.last_line).close_array();
}

// A shape's record, written as its line (JsonLine: there are as many as the log has shapes).
std::string shape_line(const ShapeInfo& s, bool show_literals) {
    JsonLine out;
    out.open_object().key("shape").open_object();
    out.key("fingerprint").string(s.fingerprint);
    out.key("normalized").string(s.normalized);
    out.key("text").string(shape_text(s, show_literals));
    out.key("parse_error").boolean(s.parse_error.has_value());
    out.key("too_deep").boolean(s.parse_error && s.parse_error->too_deep);
    out.key("parses").boolean(s.stats.parses);
    out.key("calls").number(s.stats.calls);
    out.key("errors").number(s.stats.errors);
    out.key("total_ms").number(s.stats.total_ms);
    out.key("timed_calls").number(s.stats.timed_calls);
    write_durations(out.key("durations"), s.stats.durations);
    write_location(out.key("first_seen"), s.stats.first_seen);
    out.key("max_ms").number(s.max_ms);
    out.key("first_ms").number(s.first_ms);
    out.key("last_ms").number(s.last_ms);
    out.key("locations").open_array();
    for (const auto& l : s.locations) write_location(out, l);
    out.close_array();
    out.key("constants").open_array();
    for (const auto& c : s.constant_literals) {
        out.open_object().key("varies").boolean(c.varies).key("has_value").boolean(c.value.has_value());
        // A code constant ('queued') is kept: seq-scan's partial index needs it, and whether a
        // report shows it is decided on the merged calls' spread (constant_withheld_because). Any
        // other value becomes a token that only tells it from others, so that parts still agree
        // on whether the whole log had one value.
        if (c.value) {
            const bool kept = show_literals || c.token || sql::looks_like_code_constant(*c.value);
            out.key("value").string(kept ? *c.value : fmt::format("#{:016x}", stable_hash(*c.value)));
            if (!kept || c.token) out.key("token").boolean(true);
        }
        out.close_object();
    }
    out.close_array();
    out.key("spread").open_array();
    out.number(s.spread.calls).number(s.spread.sessions).number(s.spread.requests);
    out.string(key_hash(s.spread.first_session)).string(key_hash(s.spread.first_request));
    out.close_array();
    if (s.plan) out.key("plan").document(plan_json(*s.plan, show_literals));
    else out.key("plan").null();
    out.key("plan_ms").number(s.plan_ms);
    if (show_literals) {
        out.key("samples").open_array();
        for (const auto& sample : s.samples) out.document(values_json(sample, true));
        out.close_array();
    }
    out.close_object().close_object();
    return out.take();
}

// The shape a record's text gives ("": none, a statement that did not parse), or why there is
// none. Apart from the rest of the record: it is a parse, made on several threads for a round
// of shapes (WorkloadRecords).
void shape_again(ShapeInfo& s, const std::string& text, bool too_deep) {
    if (!text.empty()) {
        auto shaped = sql::shape_statement(text);
        if (shaped.shape) s.shape = std::move(shaped.shape);
    }
    if (!s.shape) {
        s.parse_error = sql::ParseError{"statement text not kept in the digest", 0, 0, 1};
        s.parse_error->too_deep = too_deep;
    }
}

// A shape record read, all but its shape: its text and whether it was too deep, for shape_again.
ShapeInfo shape_from(const json& r, std::size_t id, std::string& text, bool& too_deep) {
    ShapeInfo s;
    s.id = id;
    s.fingerprint = r.at("fingerprint").get<std::string>();
    s.normalized = r.at("normalized").get<std::string>();
    s.stats.fingerprint = s.fingerprint;
    s.stats.normalized = s.normalized;
    text = r.at("text").get<std::string>();
    if (r.at("parse_error").get<bool>()) text.clear();
    too_deep = r.at("too_deep").get<bool>();
    s.stats.parses = r.at("parses").get<bool>();
    s.stats.calls = number_from<long long>(r.at("calls"));
    s.stats.errors = number_from<long long>(r.at("errors"));
    s.stats.total_ms = number_from<double>(r.at("total_ms"));
    s.stats.timed_calls = number_from<long long>(r.at("timed_calls"));
    s.stats.durations = durations_from(r.at("durations"));
    s.stats.first_seen = location_from(r.at("first_seen"));
    s.set_percentiles();
    s.max_ms = number_from<double>(r.at("max_ms"));
    s.first_ms = number_from<double>(r.at("first_ms"));
    s.last_ms = number_from<double>(r.at("last_ms"));
    s.plan_ms = number_from<double>(r.at("plan_ms"));
    if (const json& plan = r.at("plan"); !plan.is_null()) s.plan = plan_from(plan);
    for (const auto& l : r.at("locations")) s.locations.push_back(location_from(l));
    for (const auto& c : r.at("constants")) {
        ConstantLiteral one;
        one.varies = c.at("varies").get<bool>();
        if (c.contains("value")) one.value = c.at("value").get<std::string>();
        one.token = c.value("token", false);
        s.constant_literals.push_back(std::move(one));
    }
    const json& spread = r.at("spread");
    s.spread.calls = number_from<std::size_t>(spread.at(0));
    s.spread.sessions = number_from<int>(spread.at(1));
    s.spread.requests = number_from<int>(spread.at(2));
    s.spread.first_session = spread.at(3).get<std::string>();
    s.spread.first_request = spread.at(4).get<std::string>();
    if (r.contains("samples"))
        for (const auto& sample : r.at("samples")) s.samples.push_back(values_from(sample));
    return s;
}

json totals_record(const Workload& w, bool show_literals) {
    const Summary& sum = w.summary;
    json signals = json::array();
    for (const auto& s : w.orm.signals)
        signals.push_back({static_cast<int>(s.orm), static_cast<int>(s.strength), s.what, s.count});
    return {{"workload",
             {{"statements", sum.statements},
              {"calls", sum.calls},
              {"errors", sum.errors},
              {"with_duration", sum.with_duration},
              {"with_plan", sum.with_plan},
              {"parse_failures", sum.parse_failures},
              {"keyed_fast", sum.keyed_fast},
              {"libpg_calls", sum.libpg_calls},
              {"session_ids", keys_json(sum.sessions)},
              {"first_ms", sum.first_ms},
              {"last_ms", sum.last_ms},
              {"first_ts", sum.first_ts},
              {"last_ts", sum.last_ts},
              {"sessions", w.sessions},
              {"transactions", w.transactions},
              {"requests", w.requests},
              {"total_ms", w.total_ms},
              {"span_ms", w.span_ms},
              {"issues", issues_json(w.issues, show_literals)},
              {"standalone_plans_dropped", w.standalone_plans.size()},
              {"orm_signals", std::move(signals)},
              {"orm_drivers", w.orm.drivers}}}};
}

void totals_from(const json& r, Workload& w) {
    Summary& sum = w.summary;
    sum.statements = number_from<long long>(r.at("statements"));
    sum.calls = number_from<long long>(r.at("calls"));
    sum.errors = number_from<long long>(r.at("errors"));
    sum.with_duration = number_from<long long>(r.at("with_duration"));
    sum.with_plan = number_from<long long>(r.at("with_plan"));
    sum.parse_failures = number_from<long long>(r.at("parse_failures"));
    sum.keyed_fast = number_from<long long>(r.at("keyed_fast"));
    sum.libpg_calls = number_from<long long>(r.at("libpg_calls"));
    sum.sessions = keys_from(r.at("session_ids"));
    sum.first_ms = number_from<double>(r.at("first_ms"));
    sum.last_ms = number_from<double>(r.at("last_ms"));
    sum.first_ts = r.at("first_ts").get<std::string>();
    sum.last_ts = r.at("last_ts").get<std::string>();
    w.sessions = number_from<long long>(r.at("sessions"));
    w.transactions = number_from<long long>(r.at("transactions"));
    w.requests = number_from<long long>(r.at("requests"));
    w.total_ms = number_from<double>(r.at("total_ms"));
    w.span_ms = number_from<double>(r.at("span_ms"));
    issues_from(r.at("issues"), w.issues);
    // The ORM: the executions' signals as recorded, the dialect's read again off the shapes.
    OrmDetection executions;
    for (const auto& s : r.at("orm_signals"))
        executions.signals.push_back({enum_from<Orm>(s.at(0), Orm::ActiveRecord),
                                      enum_from<SignalStrength>(s.at(1), SignalStrength::Application),
                                      s.at(2).get<std::string>(), number_from<long long>(s.at(3))});
    for (const auto& d : r.at("orm_drivers"))
        executions.drivers.emplace_back(d.at(0).get<std::string>(), number_from<long long>(d.at(1)));
    OrmDetector orm;
    orm.add_executions_of(executions);
    for (const auto& s : w.shapes)
        if (s.shape) orm.add_shape(*s.shape);
    w.orm = orm.result();
}

}  // namespace

json location_json(const ingest::SourceLocation& l) { return json::array({l.file, l.first_line, l.last_line}); }

ingest::SourceLocation location_from(const json& j) {
    ingest::SourceLocation l;
    l.file = j.at(0).get<std::string>();
    l.first_line = number_from<long>(j.at(1));
    l.last_line = number_from<long>(j.at(2));
    return l;
}

json keys_json(const DistinctKeys& keys) { return {{"first", keys.first()}, {"hashes", keys.hashes()}}; }

DistinctKeys keys_from(const json& j) {
    return DistinctKeys::from_hashes(numbers_from<std::uint64_t>(j.at("hashes")), j.at("first").get<std::string>());
}

json issues_json(const ingest::Issues& issues, bool show_literals) {
    json kinds = json::object();
    for (const auto& [kind, k] : issues.kinds())
        kinds[kind] = {{"count", k.count}, {"examples", show_literals ? json(k.examples) : json::array()}};
    return kinds;
}

void issues_from(const json& j, ingest::Issues& issues) {
    for (const auto& [kind, k] : j.items())
        issues.add_counted(kind, number_from<long>(k.at("count")), k.at("examples").get<std::vector<std::string>>());
}

json values_json(const std::vector<LiteralValue>& values, bool show_literals) {
    json out = json::array();
    std::vector<const std::string*> seen;  // distinct texts, for their tokens
    for (const auto& v : values) {
        if (!v.text) {
            out.push_back({v.known, nullptr});
            continue;
        }
        if (show_literals) {
            out.push_back({v.known, *v.text});
            continue;
        }
        auto it = std::find_if(seen.begin(), seen.end(), [&](const std::string* t) { return *t == *v.text; });
        if (it == seen.end()) it = seen.insert(seen.end(), &*v.text);
        out.push_back({v.known, fmt::format("={}", it - seen.begin() + 1)});
    }
    return out;
}

std::vector<LiteralValue> values_from(const json& j) {
    std::vector<LiteralValue> out;
    for (const auto& v : j) {
        LiteralValue one;
        one.known = v.at(0).get<bool>();
        if (!v.at(1).is_null()) one.text = v.at(1).get<std::string>();
        out.push_back(std::move(one));
    }
    return out;
}

json digest_header(bool show_literals) {
    return {{"format", kMagic}, {"version", kDigestFormatVersion}, {"literals", show_literals}};
}

std::string digest_header_problem(const json& header) {
    if (!header.is_object() || header.value("format", "") != kMagic) return "not a pgadvisor digest";
    const int version = header.value("version", 0);
    if (version < kOldestDigestFormatVersion || version > kDigestFormatVersion)
        return fmt::format(
            "a digest of format version {}; this pgadvisor reads versions {} to {} (digest the logs again "
            "with this version)",
            version, kOldestDigestFormatVersion, kDigestFormatVersion);
    return "";
}

std::string record_line(const json& record) { return record.dump(-1, ' ', false, json::error_handler_t::replace); }

void write_workload_lines(const Workload& workload, bool show_literals, unsigned jobs,
                          const std::function<void(const std::string&)>& line) {
    const std::size_t n = workload.shapes.size();
    if (n < kShapesAlone) jobs = 1;
    // A round's lines are handed to `line` (compressed, in a digest) on a thread of their own
    // while the next round is made, where the other threads waited for it (-j 1: in turn).
    std::vector<std::string> lines, handed;
    std::future<void> handing;
    const auto hand = [&] {
        for (const auto& l : handed) line(l);
    };
    for (std::size_t from = 0; from < n; from += kShapesPerRound) {
        const std::size_t to = std::min(n, from + kShapesPerRound);
        lines.assign(to - from, std::string());
        for_each_on_threads(to - from, jobs,
                            [&](std::size_t i) { lines[i] = shape_line(workload.shapes[from + i], show_literals); });
        if (handing.valid()) handing.get();
        handed.swap(lines);
        if (jobs > 1) handing = std::async(std::launch::async, hand);
        else hand();
    }
    if (handing.valid()) handing.get();
    line(record_line(totals_record(workload, show_literals)));
}

bool WorkloadRecords::add(const json& record, std::string& error) {
    try {
        if (record.contains("shape")) {
            std::string text;
            bool too_deep = false;
            workload_.shapes.push_back(shape_from(record.at("shape"), workload_.shapes.size(), text, too_deep));
            to_shape_.push_back({workload_.shapes.size() - 1, std::move(text), too_deep});
            if (to_shape_.size() >= kShapesPerRound) shape_round();
        } else if (record.contains("workload") && !totals_) {
            totals_ = true;
            shape_round();  // the totals read the dialect off the shapes read before them
            totals_from(record.at("workload"), workload_);
        } else {
            error = "a record that is neither a shape nor the workload's totals";
            return false;
        }
    } catch (const std::exception& e) {
        error = std::string("a record that does not read: ") + e.what();
        return false;
    }
    return true;
}

void WorkloadRecords::shape_round() {
    const unsigned jobs = to_shape_.size() < kShapesAlone ? 1 : jobs_;
    for_each_on_threads(to_shape_.size(), jobs, [&](std::size_t i) {
        const ToShape& t = to_shape_[i];
        shape_again(workload_.shapes[t.id], t.text, t.too_deep);
    });
    to_shape_.clear();
}

std::optional<Workload> WorkloadRecords::finish(std::string& error) {
    try {
        shape_round();
    } catch (const std::exception& e) {
        error = std::string("a shape's text that does not read: ") + e.what();
        return std::nullopt;
    }
    if (!totals_) {
        error = "no workload totals record (the digest is cut short)";
        return std::nullopt;
    }
    return std::move(workload_);
}

}  // namespace pgadvisor::workload
