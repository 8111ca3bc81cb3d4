#include "workload/workload_merge.hpp"

#include <algorithm>
#include <unordered_map>

namespace pgadvisor::workload {
namespace {

// Two counts of distinct keys up to 2 (CallSpread), as one: the first key stays the first part's.
void merge_distinct(int& count, std::string& first, int other_count, const std::string& other_first) {
    if (other_count == 0) return;
    if (count == 0) {
        count = other_count;
        first = other_first;
        return;
    }
    if (count >= 2 || other_count >= 2 || first != other_first) count = 2;
}

// A literal is constant in the whole when it was in both parts, with the same value.
void merge_constant_literals(ShapeInfo& into, const ShapeInfo& part) {
    if (part.spread.calls == 0 || part.constant_literals.empty()) return;
    if (into.spread.calls == 0 || into.constant_literals.empty()) {
        into.constant_literals = part.constant_literals;
        return;
    }
    if (into.constant_literals.size() != part.constant_literals.size()) {
        for (auto& c : into.constant_literals) c.varies = true, c.value.reset();
        return;
    }
    for (std::size_t i = 0; i < into.constant_literals.size(); ++i) {
        ConstantLiteral& c = into.constant_literals[i];
        const ConstantLiteral& p = part.constant_literals[i];
        if (c.varies || p.varies || c.value != p.value) c.varies = true, c.value.reset();
        c.token = c.value && (c.token || p.token);
    }
}

void merge_shape(ShapeInfo& into, ShapeInfo&& part, const WorkloadOptions& options) {
    if (!into.shape && !into.parse_error) {
        into.shape = std::move(part.shape);
        into.parse_error = std::move(part.parse_error);
    }
    into.stats.merge(part.stats);
    into.set_percentiles();
    into.max_ms = std::max(into.max_ms, part.max_ms);
    if (part.first_ms != 0 && (into.first_ms == 0 || part.first_ms < into.first_ms)) into.first_ms = part.first_ms;
    into.last_ms = std::max(into.last_ms, part.last_ms);
    // The first locations of the whole: files in the order first seen, the earliest lines of each.
    for (auto& l : part.locations) into.locations.push_back(std::move(l));
    std::unordered_map<std::string, std::size_t> file_rank;
    for (const auto& l : into.locations) file_rank.emplace(l.file, file_rank.size());
    std::stable_sort(into.locations.begin(), into.locations.end(),
                     [&](const ingest::SourceLocation& a, const ingest::SourceLocation& b) {
                         const std::size_t ra = file_rank[a.file], rb = file_rank[b.file];
                         return ra != rb ? ra < rb : a.first_line < b.first_line;
                     });
    if (into.locations.size() > options.locations_per_shape) into.locations.resize(options.locations_per_shape);
    for (auto& sample : part.samples) {
        if (into.samples.size() >= options.samples_per_shape) break;
        if (std::find(into.samples.begin(), into.samples.end(), sample) == into.samples.end())
            into.samples.push_back(std::move(sample));
    }
    merge_constant_literals(into, part);
    into.spread.calls += part.spread.calls;
    merge_distinct(into.spread.sessions, into.spread.first_session, part.spread.sessions, part.spread.first_session);
    merge_distinct(into.spread.requests, into.spread.first_request, part.spread.requests, part.spread.first_request);
    // A digest keeps the slowest plan's time but not the plan (its filters hold values).
    if (part.plan && (!into.plan || part.plan_ms > into.plan_ms)) into.plan = std::move(part.plan);
    into.plan_ms = std::max(into.plan_ms, part.plan_ms);
}

void merge_summary(Summary& into, Summary&& part) {
    into.statements += part.statements;
    into.calls += part.calls;
    into.errors += part.errors;
    into.with_duration += part.with_duration;
    into.with_plan += part.with_plan;
    into.parse_failures += part.parse_failures;
    into.keyed_fast += part.keyed_fast;
    into.libpg_calls += part.libpg_calls;
    into.sessions.merge(part.sessions);
    if (part.first_ms != 0 && (into.first_ms == 0 || part.first_ms < into.first_ms)) {
        into.first_ms = part.first_ms;
        into.first_ts = std::move(part.first_ts);
    }
    if (part.last_ms > into.last_ms) {
        into.last_ms = part.last_ms;
        into.last_ts = std::move(part.last_ts);
    }
}

}  // namespace

std::vector<std::size_t> merge_workload(Workload& into, Workload&& part, const WorkloadOptions& options) {
    std::unordered_map<std::string, std::size_t> by_identity;
    for (const auto& s : into.shapes) by_identity.emplace(s.fingerprint, s.id);
    std::vector<std::size_t> ids(part.shapes.size());
    for (auto& s : part.shapes) {
        const std::size_t from = s.id;
        auto [it, added] = by_identity.emplace(s.fingerprint, into.shapes.size());
        ids[from] = it->second;
        if (added) {
            s.id = it->second;
            into.shapes.push_back(std::move(s));
        } else {
            merge_shape(into.shapes[it->second], std::move(s), options);
        }
    }
    into.total_ms += part.total_ms;
    into.sessions += part.sessions;
    into.transactions += part.transactions;
    into.requests += part.requests;
    merge_summary(into.summary, std::move(part.summary));
    into.span_ms = into.summary.last_ms > into.summary.first_ms ? into.summary.last_ms - into.summary.first_ms : 0;
    for (auto& p : part.standalone_plans) into.standalone_plans.push_back(std::move(p));
    for (auto& p : part.plan_sources) into.plan_sources.push_back(std::move(p));
    into.issues.merge(part.issues);
    // Table sizes are read from the merged workload once the catalog is known (table_size_evidence).
    OrmDetector orm;
    orm.add_executions_of(into.orm);
    orm.add_executions_of(part.orm);
    for (const auto& s : into.shapes)
        if (s.shape) orm.add_shape(*s.shape);
    into.orm = orm.result();
    return ids;
}

}  // namespace pgadvisor::workload
