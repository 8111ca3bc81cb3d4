#pragma once
// A statement's literal values, read by aligning its value tokens with its
// shape's (issue 17): literal k of the shape is the j-th value token of the
// shape's first text, and another statement of the same shape has the same
// token structure, so its j-th value token holds literal k's value there.
// Differing structure (an IN list of another length) leaves the values
// unknown rather than wrong.
//
// A ValueReference holds what that needs of a shape, so that a worker thread
// can read the values of the statements it prepares (parallel_read.hpp) while
// the builder's thread adds earlier ones: taking them there was the largest
// entry of the builder's thread on the 1M-statement log. ValueReferences is
// where the builder publishes them, by cheap key, for the workers.
//
// Takes: a shape and its first text's value tokens; a statement and its value
// tokens. Gives: the statement's values of the shape's literals.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ingest/record.hpp"
#include "sql/query_shape.hpp"
#include "sql/scanner.hpp"
#include "workload/literal_samples.hpp"

namespace pgadvisor::workload {

struct ValueReference {
    static constexpr std::size_t kNoToken = static_cast<std::size_t>(-1);
    struct Literal {
        std::size_t token = kNoToken;  // the value token of the shape's first text that holds it
        bool minus = false;            // the parse tree's constant starts at a '-' before that token (-1)
        bool dash_before = false;      // a '-' right before that token, folded into the constant or not
    };
    std::vector<Literal> literals;  // the shape's, in QueryShape::literals order
    std::size_t token_count = 0;    // value tokens in the shape's first text
};

// The reference of a shape whose first text has these value tokens.
ValueReference value_reference(const sql::QueryShape& shape, std::vector<sql::ValueToken> tokens);

// The values of the reference's literals in a statement of that shape whose value tokens are `tokens`;
// bound parameters ($n) come from the record. One value per literal, unknown where they do not line up.
// The cheap key folds a '-' before a number into the constant, so "a = -1" and "a = 5" share a shape
// and a token structure: a value whose '-' is there in one and not in the other is left unknown
// (whether that '-' is a sign or an operator, only a parse tells), never read with the wrong sign.
std::vector<LiteralValue> literal_values_by(const ValueReference& reference, const std::vector<sql::ValueToken>& tokens,
                                            const ingest::Statement& statement);

// The references by cheap key (ingest::shape_key), published by the builder's thread as it meets
// new keys, found by the workers a batch at a time (one lock a batch, as NewShapeClaims: a lock
// and a node-based map's cache misses for each statement cost the 50,000-shape log more than
// reading the values saved). A key and its reference are never changed or removed while the
// ValueReferences lives, and the key's string is the publisher's (the aggregator's key map keeps
// it): a found reference stays valid. Keys are looked up by hash_key, which the workers compute
// once a statement (parallel_read.cpp claims keys by it too), and compared whole on a match.
// A key the builder has met: its shape's id, and the reference of the shape's literals
// (null when it has none, or does not parse).
struct PublishedKey {
    std::size_t shape_id = 0;
    const ValueReference* reference = nullptr;
};

class ValueReferences {
public:
    static std::uint64_t hash_key(std::string_view key) { return std::hash<std::string_view>{}(key); }

    void publish(const std::string& key, std::size_t shape_id, std::shared_ptr<const ValueReference> reference);
    // For each (hash, key): what was published of it, or nullopt when it was not. `load_ahead`:
    // ask every key's slot, entry and reference into the cache before reading any (prefetch.hpp).
    std::vector<std::optional<PublishedKey>> find(const std::vector<std::uint64_t>& hashes,
                                                  const std::vector<std::string_view>& keys,
                                                  bool load_ahead = false) const;
    std::size_t size() const;  // keys published

private:
    struct Entry {
        std::string_view key;
        std::size_t shape_id = 0;
        std::shared_ptr<const ValueReference> reference;
    };
    void insert_slot(std::uint64_t hash, std::uint32_t entry);
    mutable std::mutex mu_;
    std::vector<Entry> entries_;
    // Open addressing, at most half full: a key's hash and its entry's index + 1 (0: a free slot).
    std::vector<std::pair<std::uint64_t, std::uint32_t>> slots_ = std::vector<std::pair<std::uint64_t, std::uint32_t>>(
        1024);
};

}  // namespace pgadvisor::workload
