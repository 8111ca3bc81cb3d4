#pragma once
// What the workload tests of issue 17 share: an example log's statements, a
// part of them split at session boundaries, and the check that a workload
// (merged from parts, or read back from a digest) is the whole log's.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "ingest/ingest.hpp"
#include "sql/neutral_constants.hpp"
#include "workload/workload.hpp"

namespace pgadvisor::workload::testing {

inline std::vector<ingest::Statement> read_log(const std::string& example) {
    ingest::IngestOptions options;
    options.inputs = {std::string(PGADVISOR_SOURCE_DIR) + "/examples/" + example + "/captured/postgresql.log"};
    std::vector<ingest::Statement> out;
    ingest::ingest(options, [&](ingest::Statement&& s) { out.push_back(std::move(s)); });
    REQUIRE(!out.empty());
    return out;
}

// The session a statement belongs to, as the workload keys it (id, else pid): parts never split one.
inline std::string session_of(const ingest::Statement& s) {
    return !s.session_id.empty() ? s.session_id : std::to_string(s.pid) + "@" + s.database;
}

// Part `part` of `k`: the statements of every k-th session (by a hash of its key), in log order.
inline Workload build(const std::vector<ingest::Statement>& log, std::size_t part, std::size_t k) {
    WorkloadBuilder builder;
    for (const auto& s : log)
        if (std::hash<std::string>{}(session_of(s)) % k == part) builder.add(s);
    return builder.finish();
}

// `literals`: whether the constant literals' values were kept (a digest without --show-literals keeps none).
inline void check_same(const Workload& merged, const Workload& whole, bool literals = true) {
    CHECK(merged.summary.statements == whole.summary.statements);
    CHECK(merged.summary.calls == whole.summary.calls);
    CHECK(merged.summary.errors == whole.summary.errors);
    CHECK(merged.summary.with_duration == whole.summary.with_duration);
    CHECK(merged.summary.with_plan == whole.summary.with_plan);
    CHECK(merged.summary.parse_failures == whole.summary.parse_failures);
    CHECK(merged.summary.sessions.size() == whole.summary.sessions.size());
    CHECK(merged.summary.first_ts == whole.summary.first_ts);
    CHECK(merged.summary.last_ts == whole.summary.last_ts);
    CHECK(merged.sessions == whole.sessions);
    CHECK(merged.transactions == whole.transactions);
    CHECK(merged.requests == whole.requests);
    CHECK(merged.total_ms == Approx(whole.total_ms));
    CHECK(merged.span_ms == whole.span_ms);
    CHECK(merged.orm.orm == whole.orm.orm);
    CHECK(merged.orm.confidence == whole.orm.confidence);
    CHECK(merged.orm.driver == whole.orm.driver);
    REQUIRE(merged.shapes.size() == whole.shapes.size());
    for (const auto& w : whole.shapes) {
        INFO(w.normalized);
        const ShapeInfo* m = merged.find(w.fingerprint);
        REQUIRE(m);
        // Not compared: the normalized text. Statements that differ only in an IN list's length are one
        // shape, shown by the first text seen, which is the first part's first: another length may show.
        CHECK(m->shape.has_value() == w.shape.has_value());
        CHECK(m->stats.calls == w.stats.calls);
        CHECK(m->stats.errors == w.stats.errors);
        CHECK(m->stats.timed_calls == w.stats.timed_calls);
        CHECK(m->stats.total_ms == Approx(w.stats.total_ms));
        CHECK(m->stats.durations == w.stats.durations);
        CHECK(m->p50_ms == w.p50_ms);
        CHECK(m->p95_ms == w.p95_ms);
        CHECK(m->max_ms == w.max_ms);
        CHECK(m->first_ms == w.first_ms);
        CHECK(m->last_ms == w.last_ms);
        CHECK(m->plan_ms == w.plan_ms);
        // Which call is "first" follows the reading order, which a part cannot know (a statement is
        // emitted when its record is complete, not always in line order): where every call's location
        // is kept, the same locations, and the first one among them.
        CHECK(m->locations.size() == w.locations.size());
        if (w.stats.calls <= static_cast<long long>(WorkloadOptions{}.locations_per_shape)) {
            std::vector<int> mine, theirs;
            for (const auto& l : m->locations) mine.push_back(static_cast<int>(l.first_line));
            for (const auto& l : w.locations) theirs.push_back(static_cast<int>(l.first_line));
            std::sort(mine.begin(), mine.end());
            std::sort(theirs.begin(), theirs.end());
            CHECK(mine == theirs);
            CHECK(std::find(theirs.begin(), theirs.end(), static_cast<int>(m->stats.first_seen.first_line)) !=
                  theirs.end());
        }
        auto any_constant = [](const ShapeInfo& s) {
            return std::any_of(s.constant_literals.begin(), s.constant_literals.end(),
                               [](const ConstantLiteral& c) { return c.constant(); });
        };
        if (m->constant_literals.size() != w.constant_literals.size()) {
            // Shown by texts with IN lists of other lengths: calls did not line up, in the whole as in the parts.
            CHECK_FALSE(any_constant(*m));
            CHECK_FALSE(any_constant(w));
        } else {
            for (std::size_t i = 0; i < w.constant_literals.size(); ++i) {
                CHECK(m->constant_literals[i].varies == w.constant_literals[i].varies);
                if (literals) CHECK(m->constant_literals[i].value == w.constant_literals[i].value);
                // Without literals a value is kept only when it looks like a code constant, which the reports
                // may show; any other becomes a token (a hash) that only tells equal values apart.
                const auto& read_back = m->constant_literals[i];
                const auto& own = w.constant_literals[i];
                if (!literals && read_back.value) {
                    REQUIRE(own.value);
                    CHECK(read_back.token != sql::looks_like_code_constant(*own.value));
                    CHECK((read_back.token ? read_back.value != own.value : read_back.value == own.value));
                }
            }
        }
        CHECK(m->spread.calls == w.spread.calls);
        CHECK(m->spread.sessions == w.spread.sessions);
        CHECK(m->spread.requests == w.spread.requests);
    }
}

}  // namespace pgadvisor::workload::testing
