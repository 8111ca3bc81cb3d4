#pragma once
// What the Aggregator (summary.hpp) registers for a shape it has not seen: the
// shape's identity and, where that identity is new, its shown text and its
// shaped text, all read off the first statement of the shape. Pure functions of
// the text, so a worker thread of parallel_read.hpp computes them ahead of the
// calling thread, which then only registers the result (issue 17: 50,000 new
// shapes were shaped on one core). NewShapeClaims lets the workers share that
// work out: each key and each identity is worked on by the first worker that
// claims it.
//
// Takes: a statement's text. Gives: ShapeIdentity, ShapeDescription, NewShape.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sql/parser.hpp"
#include "sql/query_shape.hpp"

namespace pgadvisor::workload {

// Which shape a text belongs to: ShapeStats::fingerprint.
struct ShapeIdentity {
    // libpg_query's fingerprint (hex), plus the relation names where one may hold a
    // run of digits (which the fingerprint ignores); "unparsed:<hash>" when it does not parse.
    std::string id;
    std::optional<sql::Fingerprint> fingerprint;  // nullopt when libpg_query cannot parse the text
    long long libpg_calls = 0;                    // libpg_query calls made (Summary::libpg_calls)
    bool is_new = false;                          // what the caller's is_new said of `id`
    // The text's parse tree from the parse that fingerprinted it, kept where the identity
    // is new: describe_shape then shapes the text without parsing it again.
    std::shared_ptr<const sql::StatementTree> tree;
};
// `is_new(id)`, asked once per text: whether the caller has no shape of that identity
// yet (a lookup, or a claim of NewShapeClaims). Without it nothing is kept.
using IsNewIdentity = std::function<bool(const std::string& id)>;
ShapeIdentity identify_shape(const std::string& text, const IsNewIdentity& is_new = {});

// What a new shape shows and how it is shaped, from its first text.
struct ShapeDescription {
    std::string normalized;                // ShapeStats::normalized; never the text itself (it holds values)
    std::optional<sql::ShapeResult> kept;  // sql::shape_statement of the text, when asked to keep it
};
// `keep_shape`: shape the text (it parses) and give the shown text from that result.
ShapeDescription describe_shape(const std::string& text, const ShapeIdentity& identity, bool keep_shape);

// A shape worked out ahead, on a worker thread: its identity, and its description when
// the worker was the first to claim that identity. The calling thread uses it only where
// the statement is the first of its key in input order, so what it registers is what
// one thread would have.
struct NewShape {
    ShapeIdentity identity;
    std::optional<ShapeDescription> description;
};

// Keys and identities the workers have claimed, by 64-bit hash. A collision only
// means a shape is not worked out ahead: the calling thread then does it itself.
class NewShapeClaims {
public:
    // For each hash, whether this call claimed it (no call did before); one lock for all.
    std::vector<bool> claim(const std::vector<std::uint64_t>& hashes);
    bool claim_one(std::uint64_t hash);

private:
    bool insert(std::uint64_t hash);
    std::mutex mu_;
    // Open addressing, at most half full: 16 bytes a claim where a node set took about 40
    // (two sets of 50,000 on the many-shapes log; issue 17, memory). 0 marks a free slot.
    std::vector<std::uint64_t> slots_ = std::vector<std::uint64_t>(1024);
    std::size_t used_ = 0;
};

}  // namespace pgadvisor::workload
