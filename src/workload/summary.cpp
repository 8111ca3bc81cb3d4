#include "workload/summary.hpp"

#include <algorithm>

#include "ingest/shape_key.hpp"

namespace pgadvisor::workload {

std::uint64_t stable_hash(std::string_view key) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : key) h = (h ^ c) * 1099511628211ull;
    return h;
}

void DistinctKeys::add(std::string_view key) {
    if (hashes_.empty()) first_ = std::string(key);
    const std::uint64_t hash = stable_hash(key);
    if (!recent_.empty()) {
        std::uint64_t& recent = recent_[hash % kRecentSlots];
        if (recent == hash && hash != 0) return;  // in hashes_ already
        recent = hash;
    }
    hashes_.push_back(hash);
    // Compacting when the unsorted tail is as long as the sorted part keeps adding amortized O(log n).
    if (hashes_.size() - unique_ > std::max<std::size_t>(unique_, 1024)) compact();
}

void DistinctKeys::compact() const {
    if (recent_.empty() && hashes_.size() > kRecentSlots) recent_.assign(kRecentSlots, 0);
    const auto middle = hashes_.begin() + static_cast<std::ptrdiff_t>(unique_);
    std::sort(middle, hashes_.end());
    std::inplace_merge(hashes_.begin(), middle, hashes_.end());
    hashes_.erase(std::unique(hashes_.begin(), hashes_.end()), hashes_.end());
    unique_ = hashes_.size();
}

std::size_t DistinctKeys::size() const {
    if (unique_ != hashes_.size()) compact();
    return unique_;
}

bool DistinctKeys::operator==(const DistinctKeys& other) const {
    return size() == other.size() && other.hashes_ == hashes_ && first_ == other.first_;
}

void DistinctKeys::merge(const DistinctKeys& other) {
    if (other.hashes_.empty()) return;
    if (hashes_.empty()) first_ = other.first_;
    other.compact();
    hashes_.insert(hashes_.end(), other.hashes_.begin(), other.hashes_.end());
    compact();
}

const std::vector<std::uint64_t>& DistinctKeys::hashes() const {
    compact();
    return hashes_;
}

DistinctKeys DistinctKeys::from_hashes(std::vector<std::uint64_t> hashes, std::string first) {
    DistinctKeys keys;
    keys.hashes_ = std::move(hashes);
    keys.compact();
    if (!keys.hashes_.empty()) keys.first_ = std::move(first);
    return keys;
}

void ShapeStats::merge(const ShapeStats& other) {
    if (calls == 0 && other.calls != 0) first_seen = other.first_seen;
    calls += other.calls;
    errors += other.errors;
    total_ms += other.total_ms;
    timed_calls += other.timed_calls;
    durations.merge(other.durations);
    parses = parses && other.parses;
}

std::vector<const ShapeStats*> Summary::top_by_total(std::size_t n) const {
    std::vector<const ShapeStats*> v;
    for (const auto& s : shapes) v.push_back(&s);
    std::sort(v.begin(), v.end(), [](const ShapeStats* a, const ShapeStats* b) {
        if (a->total_ms != b->total_ms) return a->total_ms > b->total_ms;
        if (a->calls != b->calls) return a->calls > b->calls;
        return a->normalized < b->normalized;
    });
    if (v.size() > n) v.resize(n);
    return v;
}

Aggregator::Aggregator(KeepShapes keep, ShapeStatsStore* store)
    : keep_shapes_(keep == KeepShapes::Yes), stats_(store ? store : &summary_shapes_) {}

// A shape's identity, and for a new one its description: worked out ahead on a
// worker thread (`given`, new_shape.hpp) or here.
std::size_t Aggregator::shape_by_fingerprint(const std::string& text, NewShape* given) {
    ShapeIdentity identity = given ? std::move(given->identity) : identify_shape(text, [&](const std::string& id) {
        return !by_fingerprint_.contains(id);
    });
    sum_.libpg_calls += identity.libpg_calls;
    auto it = by_fingerprint_.find(identity.id);
    if (it != by_fingerprint_.end()) return it->second;
    const std::size_t id = stats_->size();
    ShapeDescription d = given && given->description ? std::move(*given->description)
                                                     : describe_shape(text, identity, keep_shapes_);
    if (d.kept) kept_.emplace(id, std::move(*d.kept));
    ShapeStats st;
    st.fingerprint = identity.id;
    st.parses = identity.fingerprint.has_value();
    st.normalized = std::move(d.normalized);
    stats_->push_back(std::move(st));
    by_fingerprint_.emplace(std::move(identity.id), id);
    return id;
}

std::optional<sql::ShapeResult> Aggregator::take_shape(std::size_t id) {
    auto it = kept_.find(id);
    if (it == kept_.end()) return std::nullopt;
    sql::ShapeResult r = std::move(it->second);
    kept_.erase(it);
    return r;
}

std::size_t Aggregator::shape_of(const std::string& text, ingest::ValueScan* values) {
    return shape_of_keyed(text, ingest::shape_key(text, values), nullptr);
}

// The key is copied only when it is new: a copy for every statement was 2% of analyze's calling thread.
std::size_t Aggregator::shape_of_keyed(const std::string& text, const std::optional<std::string>& key, NewShape* given,
                                       const std::string** new_key, std::optional<std::size_t> known_shape) {
    if (new_key) *new_key = nullptr;
    if (!key) return shape_by_fingerprint(text, given);
    if (known_shape) {
        ++sum_.keyed_fast;
        return *known_shape;
    }
    auto it = by_key_.find(*key);
    if (it != by_key_.end()) {
        ++sum_.keyed_fast;
        return it->second;
    }
    std::size_t id = shape_by_fingerprint(text, given);
    // A node's key stays where it is while the map grows: new_key may point at it.
    auto added = by_key_.emplace(*key, id).first;
    if (new_key) *new_key = &added->first;
    return id;
}

std::optional<std::size_t> Aggregator::add(const ingest::Statement& s, ingest::ValueScan* values) {
    if (values) values->sure = false;
    return add_keyed(s, nullptr, values, nullptr, nullptr);
}

std::optional<std::size_t> Aggregator::add(const ingest::Statement& s, const std::optional<std::string>& key,
                                           NewShape* new_shape, const std::string** new_key,
                                           std::optional<std::size_t> known_shape) {
    return add_keyed(s, &key, nullptr, new_shape, new_key, known_shape);
}

// `key`: the text's shape_key when already read, nullptr to read it here (with
// `values`, the value tokens from the same pass); `given`: the shape worked out ahead, or nullptr.
std::optional<std::size_t> Aggregator::add_keyed(const ingest::Statement& s, const std::optional<std::string>* key,
                                                 ingest::ValueScan* values, NewShape* given,
                                                 const std::string** new_key, std::optional<std::size_t> known_shape) {
    ++sum_.statements;
    sum_.calls += s.calls;
    if (!s.severity.empty()) ++sum_.errors;
    if (s.plan) ++sum_.with_plan;
    if (!s.session_id.empty()) sum_.sessions.add(s.session_id);
    if (s.epoch_ms != 0) {
        if (sum_.first_ms == 0 || s.epoch_ms < sum_.first_ms) {
            sum_.first_ms = s.epoch_ms;
            sum_.first_ts = s.timestamp.view();
        }
        if (s.epoch_ms > sum_.last_ms) {
            sum_.last_ms = s.epoch_ms;
            sum_.last_ts = s.timestamp.view();
        }
    }
    if (s.duration_ms) ++sum_.with_duration;
    if (s.text.empty()) return std::nullopt;
    std::size_t id = key ? shape_of_keyed(s.text, *key, given, new_key, known_shape) : shape_of(s.text, values);
    ShapeStats& st = stats_->at(id);
    if (!st.parses) ++sum_.parse_failures;
    if (st.calls == 0) st.first_seen = s.source;
    st.calls += s.calls;
    if (!s.severity.empty()) ++st.errors;
    if (s.duration_ms) {
        st.total_ms += *s.duration_ms;
        st.timed_calls += s.calls;
        st.durations.add(
            static_cast<float>(s.calls > 1 ? *s.duration_ms / static_cast<double>(s.calls) : *s.duration_ms));
    }
    return id;
}

}  // namespace pgadvisor::workload

namespace pgadvisor::workload {

BackgroundAggregator::BackgroundAggregator() : worker_([this] { run(); }) { batch_.reserve(kBatch); }

BackgroundAggregator::~BackgroundAggregator() { finish(); }

void BackgroundAggregator::push_batch() {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return queue_.size() < kMaxQueued; });
    queue_.push_back(std::move(batch_));
    batch_ = {};
    batch_.reserve(kBatch);
    not_empty_.notify_one();
}

void BackgroundAggregator::add(ingest::Statement&& s) {
    batch_.push_back(std::move(s));
    if (batch_.size() >= kBatch) push_batch();
}

void BackgroundAggregator::run() {
    for (;;) {
        std::vector<ingest::Statement> b;
        {
            std::unique_lock lock(mu_);
            not_empty_.wait(lock, [&] { return !queue_.empty() || done_; });
            if (queue_.empty()) return;
            b = std::move(queue_.front());
            queue_.pop_front();
            not_full_.notify_one();
        }
        for (const auto& s : b) agg_.add(s);
    }
}

Aggregator& BackgroundAggregator::finish() {
    if (!finished_) {
        finished_ = true;
        if (!batch_.empty()) push_batch();
        {
            std::lock_guard lock(mu_);
            done_ = true;
        }
        not_empty_.notify_one();
        worker_.join();
    }
    return agg_;
}

}  // namespace pgadvisor::workload
