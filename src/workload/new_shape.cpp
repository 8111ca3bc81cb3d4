#include "workload/new_shape.hpp"

#include <fmt/format.h>

#include "ingest/shape_key.hpp"
#include "sql/quote.hpp"
#include "sql/relations.hpp"
#include "sql/shape.hpp"
#include "sql/text.hpp"
#include "workload/summary.hpp"

namespace pgadvisor::workload {
namespace {

// libpg_query's fingerprint ignores runs of two or more digits in relation names
// (orders_2024 and orders_2025, t10 and t299 fingerprint alike), so a shape is the
// fingerprint plus the relation names as written (resolving them through
// search_path is the catalog's). The names are read only where one may hold such
// a run (the text says), once per distinct key: other statements pay nothing more,
// and their identity stays the bare fingerprint.
// `tree`: the text's, when the parse that fingerprinted it kept it.
std::string with_numbered_relations(const std::string& fingerprint_hex, const std::string& text,
                                    const sql::StatementTree* tree, long long& libpg_calls) {
    if (!tree) ++libpg_calls;
    auto relations = tree ? sql::relation_names(*tree, text) : sql::relation_names(text);
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

// One parse gives the fingerprint and, for a new identity, the tree describe_shape shapes
// (issue 17: each new shape parsed once). Where the relation names are part of the identity
// they are read off that tree too, so it is kept whatever the fingerprint.
ShapeIdentity identify_shape(const std::string& text, const IsNewIdentity& is_new) {
    ShapeIdentity identity;
    ++identity.libpg_calls;
    const bool numbered = ingest::may_have_numbered_identifier(text);
    bool asked = false;
    auto parsed = sql::fingerprint_statement(text, [&](const sql::Fingerprint& fp) {
        if (numbered) return true;
        if (!is_new) return false;
        asked = true;
        identity.is_new = is_new(fp.hex);
        return identity.is_new;
    });
    if (parsed.fingerprint) {
        const std::string& hex = parsed.fingerprint.value->hex;
        identity.id = numbered ? with_numbered_relations(hex, text, parsed.tree.get(), identity.libpg_calls) : hex;
        identity.fingerprint = std::move(*parsed.fingerprint.value);
    } else {
        // Not SQL libpg_query accepts (truncated, another dialect): its own shape
        // by key, or by a hash of the text (never the text: it holds literals).
        auto k = ingest::shape_key(text);
        identity.id = "unparsed:" + fmt::format("{:016x}", stable_hash(k ? *k : text));
    }
    if (is_new && !asked) identity.is_new = is_new(identity.id);
    if (identity.is_new) identity.tree = std::move(parsed.tree);
    return identity;
}

// The shown text is sql::shown_statement's. With the shape kept, where the shape
// is the whole text its normalized text is what shown_statement gives (the same
// normalize, the same statement kind), so libpg_query need not parse and
// normalize the text a second time.
ShapeDescription describe_shape(const std::string& text, const ShapeIdentity& identity, bool keep_shape) {
    ShapeDescription d;
    if (!identity.fingerprint) {
        auto k = ingest::shape_key(text);
        d.normalized = k ? *k : std::string("(unparsed statement)");
        return d;
    }
    std::optional<std::string> shown;
    if (keep_shape) {
        sql::ShapeResult r = sql::shape_statement(text, *identity.fingerprint, identity.tree.get());
        if (r.shape && r.shape->offset == 0 && r.shape->text == text && !r.shape->normalized.empty())
            shown = r.shape->normalized;
        d.kept = std::move(r);
    }
    if (!shown) shown = sql::shown_statement(text, identity.tree.get());
    d.normalized = shown ? std::move(*shown) : std::string("(a statement that could not be normalized)");
    return d;
}

std::vector<bool> NewShapeClaims::claim(const std::vector<std::uint64_t>& hashes) {
    std::vector<bool> claimed(hashes.size());
    std::lock_guard lock(mu_);
    for (std::size_t i = 0; i < hashes.size(); ++i) claimed[i] = insert(hashes[i]);
    return claimed;
}

bool NewShapeClaims::claim_one(std::uint64_t hash) {
    std::lock_guard lock(mu_);
    return insert(hash);
}

bool NewShapeClaims::insert(std::uint64_t hash) {
    if (hash == 0) hash = 1;  // 0 marks a free slot; a hash of 0 shares 1's claim (a collision, harmless)
    if (2 * (used_ + 1) > slots_.size()) {
        std::vector<std::uint64_t> old(2 * slots_.size());
        old.swap(slots_);
        used_ = 0;
        for (std::uint64_t h : old)
            if (h != 0) insert(h);
    }
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t at = hash & mask;; at = (at + 1) & mask) {
        if (slots_[at] == hash) return false;
        if (slots_[at] == 0) {
            slots_[at] = hash;
            ++used_;
            return true;
        }
    }
}

}  // namespace pgadvisor::workload
