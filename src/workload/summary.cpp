#include "workload/summary.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "ingest/shape_key.hpp"
#include "sql/parser.hpp"
#include "sql/quote.hpp"
#include "sql/relations.hpp"
#include "sql/shape.hpp"
#include "sql/text.hpp"

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

namespace {

// A shape's identity (ShapeStats::fingerprint). libpg_query's fingerprint
// ignores runs of two or more digits in relation names (orders_2024 and
// orders_2025, t10 and t299 fingerprint alike), so a shape is the fingerprint
// plus the relation names as written (resolving them through search_path is
// the catalog's). The names are read only where one may hold such a run (the
// text says), once per distinct key: other statements pay nothing more, and
// their identity stays the bare fingerprint.
std::string identity(const std::string& fingerprint_hex, const std::string& text, long long& libpg_calls) {
    if (!ingest::may_have_numbered_identifier(text)) return fingerprint_hex;
    ++libpg_calls;
    auto relations = sql::relation_names(text);
    if (!relations) return fingerprint_hex;
    std::vector<std::string> names;
    bool numbered = false;
    for (const auto& r : *relations.value) {
        numbered = numbered || ingest::may_have_numbered_identifier(sql::quote_ident(r.name));
        names.push_back(sql::quote_qualified(r.schema, r.name));
    }
    return numbered ? fingerprint_hex + "/" + sql::join(names, ",") : fingerprint_hex;
}

}  // namespace

std::size_t Aggregator::shape_by_fingerprint(const std::string& text) {
    ++sum_.libpg_calls;
    auto fp = sql::fingerprint(text);
    std::string id;
    bool parses = static_cast<bool>(fp);
    if (parses) {
        id = identity(fp.value->hex, text, sum_.libpg_calls);
    } else {
        // Not SQL libpg_query accepts (truncated, another dialect): its own shape
        // by key, or by a hash of the text (never the text: it holds literals).
        auto k = ingest::shape_key(text);
        id = "unparsed:" + fmt::format("{:016x}", stable_hash(k ? *k : text));
    }
    auto it = by_fingerprint_.find(id);
    if (it != by_fingerprint_.end()) return it->second;
    ShapeStats st;
    st.fingerprint = id;
    st.parses = parses;
    if (parses) {
        // Never the text itself: it holds the values.
        st.normalized = shown_text_of_new_shape(text, *fp.value, sum_.shapes.size());
    } else {
        auto k = ingest::shape_key(text);
        st.normalized = k ? *k : std::string("(unparsed statement)");
    }
    sum_.shapes.push_back(std::move(st));
    by_fingerprint_.emplace(id, sum_.shapes.size() - 1);
    return sum_.shapes.size() - 1;
}

// sql::shown_statement's text for a new shape. With shapes kept, the text is
// shaped once here; where the shape is the whole text its normalized text is
// what shown_statement gives (the same normalize, the same statement kind), so
// libpg_query need not parse and normalize the text a second time.
std::string Aggregator::shown_text_of_new_shape(const std::string& text, const sql::Fingerprint& fingerprint,
                                                std::size_t id) {
    std::optional<std::string> shown;
    if (keep_shapes_) {
        sql::ShapeResult r = sql::shape_statement(text, fingerprint);
        if (r.shape && r.shape->offset == 0 && r.shape->text == text && !r.shape->normalized.empty())
            shown = r.shape->normalized;
        kept_.emplace(id, std::move(r));
    }
    if (!shown) shown = sql::shown_statement(text);
    return shown ? *shown : std::string("(a statement that could not be normalized)");
}

std::optional<sql::ShapeResult> Aggregator::take_shape(std::size_t id) {
    auto it = kept_.find(id);
    if (it == kept_.end()) return std::nullopt;
    sql::ShapeResult r = std::move(it->second);
    kept_.erase(it);
    return r;
}

std::size_t Aggregator::shape_of(const std::string& text, ingest::ValueScan* values) {
    return shape_of_keyed(text, ingest::shape_key(text, values));
}

// The key is copied only when it is new: a copy for every statement was 2% of analyze's calling thread.
std::size_t Aggregator::shape_of_keyed(const std::string& text, const std::optional<std::string>& key) {
    if (!key) return shape_by_fingerprint(text);
    auto it = by_key_.find(*key);
    if (it != by_key_.end()) {
        ++sum_.keyed_fast;
        return it->second;
    }
    std::size_t id = shape_by_fingerprint(text);
    by_key_.emplace(*key, id);
    return id;
}

std::optional<std::size_t> Aggregator::add(const ingest::Statement& s, ingest::ValueScan* values) {
    if (values) values->sure = false;
    return add_keyed(s, nullptr, values);
}

std::optional<std::size_t> Aggregator::add(const ingest::Statement& s, const std::optional<std::string>& key) {
    return add_keyed(s, &key, nullptr);
}

// `key`: the text's shape_key when already read, nullptr to read it here (with
// `values`, the value tokens from the same pass).
std::optional<std::size_t> Aggregator::add_keyed(const ingest::Statement& s, const std::optional<std::string>* key,
                                                 ingest::ValueScan* values) {
    ++sum_.statements;
    sum_.calls += s.calls;
    if (!s.severity.empty()) ++sum_.errors;
    if (s.plan) ++sum_.with_plan;
    if (!s.session_id.empty()) sum_.sessions.add(s.session_id);
    if (s.epoch_ms != 0) {
        if (sum_.first_ms == 0 || s.epoch_ms < sum_.first_ms) {
            sum_.first_ms = s.epoch_ms;
            sum_.first_ts = s.timestamp;
        }
        if (s.epoch_ms > sum_.last_ms) {
            sum_.last_ms = s.epoch_ms;
            sum_.last_ts = s.timestamp;
        }
    }
    if (s.duration_ms) ++sum_.with_duration;
    if (s.text.empty()) return std::nullopt;
    std::size_t id = key ? shape_of_keyed(s.text, *key) : shape_of(s.text, values);
    ShapeStats& st = sum_.shapes[id];
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
