#pragma once
// A shape's call durations, for its percentiles, in bounded memory and
// mergeable: two sketches of two parts of a log merge into the sketch of the
// whole (issue 17, "Beyond one machine": digests of many servers' logs merge).
//
// Exact while few: every duration up to kExactLimit, so a small log's p50/p95
// are the values themselves (and reports do not change). Past that, a
// DDSketch-style log-bucketed histogram: a duration d falls in bucket
// ceil(log_gamma(d)), gamma = (1 + a) / (1 - a), and stands for the bucket's
// middle value, within relative error a = kRelativeError of d. Memory is then
// one counter per bucket used: at most ~1,200 from 1 µs to 3 hours.
//
// The state is a function of the multiset of durations added (exact when it
// holds at most kExactLimit of them, else buckets of all of them), so merging
// is associative and commutative, and adding values one by one or merging
// sketches of parts gives the same sketch.
//
// Takes: durations (ms). Gives: percentiles (ms).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace pgadvisor::workload {

class DurationSketch {
public:
    static constexpr std::size_t kExactLimit = 4096;
    static constexpr double kRelativeError = 0.01;  // past kExactLimit: |estimate - true| <= 1% of true

    void add(float ms);
    void merge(const DurationSketch& other);

    long long count() const { return count_; }
    bool exact() const { return !bucketed_; }
    // The q-quantile (0..1): the value of rank round(q * (count - 1)) in sorted
    // order; exact while exact(), else within kRelativeError of it. 0 when empty.
    double percentile(double q) const;

    // The exact values (while exact()), in the order added; for serializing.
    const std::vector<float>& values() const { return values_; }
    // Past kExactLimit: the count of each bucket from bucket_offset() on, and
    // the durations at or below zero (no logarithm); for serializing.
    const std::vector<std::uint64_t>& buckets() const { return buckets_; }
    int bucket_offset() const { return offset_; }
    long long zeros() const { return zeros_; }
    // Rebuilds a sketch from what values() / buckets() gave; false when they do not make one.
    static bool from_values(std::vector<float> values, DurationSketch& out);
    static bool from_buckets(int offset, std::vector<std::uint64_t> buckets, long long zeros, DurationSketch& out);

    // The same multiset of durations (exact: in any order; bucketed: the same counts).
    bool operator==(const DurationSketch& other) const;

private:
    void to_buckets();
    void add_to_bucket(float ms, std::uint64_t n);
    void add_count(int bucket, std::uint64_t n);
    std::vector<float> values_;
    std::vector<std::uint64_t> buckets_;  // buckets_[i]: count of bucket offset_ + i
    int offset_ = 0;
    long long zeros_ = 0;
    long long count_ = 0;
    bool bucketed_ = false;
};

}  // namespace pgadvisor::workload
