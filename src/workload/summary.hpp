#pragma once
// Per-shape aggregates: Statement records into a Summary of statements,
// distinct shapes (libpg_query fingerprints, each distinct ingest::shape_key
// parsed once), sessions, time span, errors and per-shape call/time statistics.
//
// Takes: ingest::Statement records. Gives: Summary (ShapeStats per shape),
// from an Aggregator or a BackgroundAggregator on its own thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ingest/record.hpp"
#include "ingest/shape_key.hpp"
#include "sql/parser.hpp"
#include "sql/query_shape.hpp"
#include "workload/duration_sketch.hpp"
#include "workload/new_shape.hpp"

namespace pgadvisor::workload {

// How many distinct keys (session ids, transaction or request keys) were seen,
// in 8 bytes a key however long it is: their 64-bit hashes, sorted and
// deduplicated as they accumulate (two keys of a million collide with odds of
// about 1 in 30 million). Keeps the first key itself, for a report that names
// it when it is the only one. What stays of a session once it has ended.
// FNV-1a 64 of a key: the same in every build and on every machine (std::hash is neither),
// so that digests written by different pgadvisor builds agree on what they hash (sessions, requests,
// the identity of a statement that does not parse).
std::uint64_t stable_hash(std::string_view key);

class DistinctKeys {
public:
    void add(std::string_view key);
    std::size_t size() const;
    bool empty() const { return hashes_.empty(); }
    const std::string& first() const { return first_; }
    bool operator==(const DistinctKeys& other) const;
    // The keys of both (a session never spans two logs' parts, so the union
    // counts each once); the first key stays this one's unless it had none.
    void merge(const DistinctKeys& other);
    // The keys' hashes, sorted and distinct, and a set rebuilt from them (a digest's sessions).
    const std::vector<std::uint64_t>& hashes() const;
    static DistinctKeys from_hashes(std::vector<std::uint64_t> hashes, std::string first);

private:
    void compact() const;
    // [0, unique_) sorted and distinct; the rest appended since.
    mutable std::vector<std::uint64_t> hashes_;
    mutable std::size_t unique_ = 0;
    std::string first_;
    // Hashes added lately, each at its low bits: a session adds its key with each of its
    // statements, and one found here is not appended again (appending and compacting
    // those repeats was 6% of analyze's calling thread, issue 17). Made at the first
    // compaction (kRecentSlots, 8 KB), so that sets of few keys stay small. 0 is never kept.
    static constexpr std::size_t kRecentSlots = 1024;
    mutable std::vector<std::uint64_t> recent_;
};

struct ShapeStats {
    std::string fingerprint;  // identity: fingerprint (hex)[/relation names] (summary.cpp); "unparsed:<hash>"
    std::string normalized;   // libpg_query's normalized text (constants as $n)
    long long calls = 0;
    long long errors = 0;
    double total_ms = 0;
    long long timed_calls = 0;  // calls that carried a duration
    // For percentiles, in bounded memory and mergeable (duration_sketch.hpp):
    // exact up to 4,096 durations, then within 1%.
    DurationSketch durations;
    bool parses = true;
    ingest::SourceLocation first_seen;

    double mean_ms() const { return timed_calls == 0 ? 0 : total_ms / static_cast<double>(timed_calls); }
    double p95_ms() const { return durations.percentile(0.95); }
    // Another part's statistics of the same shape (same fingerprint): counts and
    // times added, durations merged; first_seen stays this one's (the earlier part's).
    void merge(const ShapeStats& other);
};

struct Summary {
    long long statements = 0;  // records (a pgss row counts once)
    long long calls = 0;       // calls (pgss rows count their calls)
    long long errors = 0;
    long long with_duration = 0;
    long long with_plan = 0;
    long long parse_failures = 0;  // statements libpg_query could not parse
    long long keyed_fast = 0;      // statements whose shape came from the key cache
    long long libpg_calls = 0;     // fingerprint/normalize calls made
    DistinctKeys sessions;
    double first_ms = 0, last_ms = 0;
    std::string first_ts, last_ts;
    std::vector<ShapeStats> shapes;  // index = shape id; empty where the Aggregator was given a ShapeStatsStore

    std::vector<const ShapeStats*> top_by_total(std::size_t n) const;
};

// Where an Aggregator keeps its shapes' statistics (index = shape id): the
// Summary's list unless a caller keeps them elsewhere. A WorkloadBuilder keeps
// them in its ShapeInfo, so that a shape has one ShapeStats, not an empty one
// there until the end beside the Aggregator's (issue 17: memory per shape).
class ShapeStatsStore {
public:
    virtual ~ShapeStatsStore() = default;
    virtual std::size_t size() const = 0;
    virtual ShapeStats& at(std::size_t id) = 0;
    virtual void push_back(ShapeStats&& stats) = 0;
};

class Aggregator {
public:
    // KeepShapes::Yes: each new shape's text is shaped (sql::shape_statement)
    // here, once, its shown text taken from that result, and the result kept
    // for take_shape, so the workload does not parse the text again (issue 17).
    // `ingest` needs no shapes and keeps none.
    enum class KeepShapes { No, Yes };
    // `store`: where the shapes' statistics go; nullptr: summary().shapes.
    explicit Aggregator(KeepShapes keep = KeepShapes::No, ShapeStatsStore* store = nullptr);
    // It points into itself (summary_shapes_): neither copied nor moved.
    Aggregator(const Aggregator&) = delete;
    Aggregator& operator=(const Aggregator&) = delete;
    // The shaped text of a new shape, once (KeepShapes::Yes; nullopt when not kept).
    std::optional<sql::ShapeResult> take_shape(std::size_t id);
    // Counts the statement in; gives its shape id (nullopt for a record without
    // text), so a caller keys each statement once. With `values`, the statement's
    // value tokens from the same keying pass (not sure when it had none).
    std::optional<std::size_t> add(const ingest::Statement& s, ingest::ValueScan* values = nullptr);
    // The same with the text's ingest::shape_key already read (on a worker thread: parallel_read.hpp),
    // and with the shape worked out there when the worker found it new (taken from it when used).
    // `new_key`, when given, is set to the aggregator's own copy of the key when this statement was
    // the first with it (else null): it lives as long as the aggregator, unchanged. `known_shape`: the
    // key's shape id as this aggregator gave it before (ValueReferences), so the key is not looked up again.
    std::optional<std::size_t> add(const ingest::Statement& s, const std::optional<std::string>& key,
                                   NewShape* new_shape = nullptr, const std::string** new_key = nullptr,
                                   std::optional<std::size_t> known_shape = std::nullopt);
    Summary& summary() { return sum_; }
    const Summary& summary() const { return sum_; }
    // Shape id of a statement text (computed through the key cache).
    std::size_t shape_of(const std::string& text, ingest::ValueScan* values = nullptr);

private:
    std::size_t shape_by_fingerprint(const std::string& text, NewShape* given);
    bool keep_shapes_ = false;
    std::unordered_map<std::size_t, sql::ShapeResult> kept_;  // new shapes not yet taken
    std::size_t shape_of_keyed(const std::string& text, const std::optional<std::string>& key, NewShape* given,
                               const std::string** new_key = nullptr,
                               std::optional<std::size_t> known_shape = std::nullopt);
    std::optional<std::size_t> add_keyed(const ingest::Statement& s, const std::optional<std::string>* key,
                                         ingest::ValueScan* values, NewShape* given, const std::string** new_key,
                                         std::optional<std::size_t> known_shape = std::nullopt);
    Summary sum_;
    // summary().shapes as a ShapeStatsStore, for an Aggregator given none.
    struct SummaryShapes : ShapeStatsStore {
        explicit SummaryShapes(std::vector<ShapeStats>& v) : shapes(v) {}
        std::size_t size() const override { return shapes.size(); }
        ShapeStats& at(std::size_t id) override { return shapes[id]; }
        void push_back(ShapeStats&& stats) override { shapes.push_back(std::move(stats)); }
        std::vector<ShapeStats>& shapes;
    };
    SummaryShapes summary_shapes_{sum_.shapes};
    ShapeStatsStore* stats_;
    std::unordered_map<std::string, std::size_t> by_key_;
    std::unordered_map<std::string, std::size_t> by_fingerprint_;
};

}  // namespace pgadvisor::workload

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace pgadvisor::workload {

// An Aggregator on its own thread: the reading thread hands over batches of
// records, so keying and aggregation run on a second core while the next
// lines are parsed. The queue is bounded (memory stays flat). libpg_query
// runs on the worker; its memory is released by the main thread at exit.
class BackgroundAggregator {
public:
    BackgroundAggregator();
    ~BackgroundAggregator();
    BackgroundAggregator(const BackgroundAggregator&) = delete;
    BackgroundAggregator& operator=(const BackgroundAggregator&) = delete;
    void add(ingest::Statement&& s);
    // Waits for every record to be aggregated; the summary is complete after it.
    Aggregator& finish();

private:
    void push_batch();
    void run();
    static constexpr std::size_t kBatch = 2048, kMaxQueued = 16;
    Aggregator agg_;
    std::vector<ingest::Statement> batch_;
    std::deque<std::vector<ingest::Statement>> queue_;
    std::mutex mu_;
    std::condition_variable not_empty_, not_full_;
    bool done_ = false, finished_ = false;
    std::thread worker_;
};

}  // namespace pgadvisor::workload
