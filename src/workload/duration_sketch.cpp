#include "workload/duration_sketch.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace pgadvisor::workload {
namespace {

const double kGamma = (1 + DurationSketch::kRelativeError) / (1 - DurationSketch::kRelativeError);
const double kLogGamma = std::log(kGamma);

// The bucket of a positive duration: (gamma^(i-1), gamma^i].
int bucket_of(double ms) { return static_cast<int>(std::ceil(std::log(ms) / kLogGamma)); }

// The buckets a float duration can fall in; a digest's buckets outside them are not a sketch's.
const int kFirstBucket = bucket_of(std::numeric_limits<float>::denorm_min());
const int kLastBucket = bucket_of(std::numeric_limits<float>::max());
// More durations than any log holds; keeps sums of merged counts far from overflow.
constexpr std::uint64_t kMaxCount = std::uint64_t{1} << 53;

// The value a bucket stands for: within kRelativeError of every value in it.
double bucket_value(int i) { return 2 * std::pow(kGamma, i) / (kGamma + 1); }

// The rank (0-based, in sorted order) of the q-quantile of n values.
std::size_t rank_of(double q, long long n) {
    return static_cast<std::size_t>(std::clamp(q, 0.0, 1.0) * static_cast<double>(n - 1) + 0.5);
}

}  // namespace

void DurationSketch::add(float ms) {
    // A log's "duration: 1e999 ms" reads as infinity, which has no bucket (and JSON has no infinity);
    // NaN would break sorting the exact values: infinity is taken as the largest float, NaN and -infinity as 0.
    if (!std::isfinite(ms)) ms = ms > 0 ? std::numeric_limits<float>::max() : 0;
    ++count_;
    if (!bucketed_) {
        values_.push_back(ms);
        if (values_.size() > kExactLimit) to_buckets();
        return;
    }
    add_to_bucket(ms, 1);
}

void DurationSketch::add_to_bucket(float ms, std::uint64_t n) {
    // NaN, zero and negative durations have no logarithm: counted as zero.
    if (!(ms > 0)) {
        zeros_ += static_cast<long long>(n);
        return;
    }
    add_count(bucket_of(ms), n);
}

void DurationSketch::add_count(int bucket, std::uint64_t n) {
    if (buckets_.empty()) {
        offset_ = bucket;
    } else if (bucket < offset_) {
        buckets_.insert(buckets_.begin(), static_cast<std::size_t>(offset_ - bucket), 0);
        offset_ = bucket;
    }
    const auto at = static_cast<std::size_t>(bucket - offset_);
    if (at >= buckets_.size()) buckets_.resize(at + 1, 0);
    buckets_[at] += n;
}

void DurationSketch::to_buckets() {
    bucketed_ = true;
    for (float v : values_) add_to_bucket(v, 1);
    values_ = {};
}

void DurationSketch::merge(const DurationSketch& other) {
    if (other.count_ == 0) return;
    if (!bucketed_ && !other.bucketed_ && values_.size() + other.values_.size() <= kExactLimit) {
        values_.insert(values_.end(), other.values_.begin(), other.values_.end());
        count_ += other.count_;
        return;
    }
    if (!bucketed_) to_buckets();
    count_ += other.count_;
    if (!other.bucketed_) {
        for (float v : other.values_) add_to_bucket(v, 1);
        return;
    }
    zeros_ += other.zeros_;
    for (std::size_t j = 0; j < other.buckets_.size(); ++j)
        if (other.buckets_[j] != 0) add_count(other.offset_ + static_cast<int>(j), other.buckets_[j]);
}

double DurationSketch::percentile(double q) const {
    if (count_ == 0) return 0;
    const std::size_t k = rank_of(q, count_);
    if (!bucketed_) {
        std::vector<float> d = values_;
        std::nth_element(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(k), d.end());
        return d[k];
    }
    std::uint64_t seen = static_cast<std::uint64_t>(zeros_);
    if (k < seen) return 0;
    for (std::size_t j = 0; j < buckets_.size(); ++j) {
        seen += buckets_[j];
        if (k < seen) return bucket_value(offset_ + static_cast<int>(j));
    }
    return buckets_.empty() ? 0 : bucket_value(offset_ + static_cast<int>(buckets_.size()) - 1);
}

bool DurationSketch::from_values(std::vector<float> values, DurationSketch& out) {
    if (values.size() > kExactLimit) return false;
    out = DurationSketch{};
    out.count_ = static_cast<long long>(values.size());
    out.values_ = std::move(values);
    return true;
}

bool DurationSketch::from_buckets(int offset, std::vector<std::uint64_t> buckets, long long zeros,
                                  DurationSketch& out) {
    if (zeros < 0 || static_cast<std::uint64_t>(zeros) > kMaxCount) return false;
    if (offset < kFirstBucket ||
        static_cast<long long>(offset) + static_cast<long long>(buckets.size()) - 1 > kLastBucket)
        return false;
    std::uint64_t n = static_cast<std::uint64_t>(zeros);
    for (auto b : buckets) {
        if (b > kMaxCount - n) return false;
        n += b;
    }
    // A bucketed sketch holds more than kExactLimit durations (else it would be exact).
    if (n <= kExactLimit) return false;
    out = DurationSketch{};
    out.bucketed_ = true;
    out.offset_ = offset;
    out.buckets_ = std::move(buckets);
    out.zeros_ = zeros;
    out.count_ = static_cast<long long>(n);
    return true;
}

bool DurationSketch::operator==(const DurationSketch& other) const {
    if (count_ != other.count_ || bucketed_ != other.bucketed_) return false;
    if (!bucketed_) {
        std::vector<float> a = values_, b = other.values_;
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        return a == b;
    }
    // Leading or trailing empty buckets do not change the multiset.
    auto trimmed = [](const DurationSketch& s) {
        std::size_t first = 0, last = s.buckets_.size();
        while (first < last && s.buckets_[first] == 0) ++first;
        while (last > first && s.buckets_[last - 1] == 0) --last;
        return std::make_pair(s.offset_ + static_cast<int>(first),
                              std::vector<std::uint64_t>(s.buckets_.begin() + static_cast<std::ptrdiff_t>(first),
                                                         s.buckets_.begin() + static_cast<std::ptrdiff_t>(last)));
    };
    return zeros_ == other.zeros_ && trimmed(*this) == trimmed(other);
}

}  // namespace pgadvisor::workload
