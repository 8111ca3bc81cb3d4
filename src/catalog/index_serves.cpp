#include "catalog/index_serves.hpp"

#include <algorithm>

#include "sql/canonical.hpp"

namespace pgadvisor::catalog {
namespace {

// Text that does not parse compares as written.
std::string canonical_or_text(const std::string& text) {
    if (text.empty()) return "";
    std::string c = sql::canonical_expr_text(text);
    return c.empty() ? text : c;
}

bool one_of(const IndexKey& key, const std::vector<IndexKey>& keys) {
    return std::any_of(keys.begin(), keys.end(), [&](const IndexKey& k) { return same_index_key(key, k); });
}

// A partial index is used only when the statement implies its predicate; the
// catalog cannot prove implication, so it asks for the same predicate.
bool predicate_fits(const Index& index, const IndexAccess& access) {
    return index.predicate.empty() || same_predicate(index.predicate, access.predicate);
}

// ON CONFLICT infers its arbiter from a unique index whose keys are exactly the target's.
bool arbiter_fits(const Index& index, const IndexAccess& access) {
    return index.unique && index.keys.size() == access.equality.size() &&
           leading_keys_are(index.keys, index.keys.size(), access.equality);
}

// A hash index has one key and answers = on it alone.
bool hash_serves(const Index& index, const IndexAccess& access, ServeDepth depth) {
    if (index.keys.size() != 1 || !one_of(index.keys[0], access.equality)) return false;
    return depth == ServeDepth::Leading || (access.equality.size() == 1 && !access.range && access.order.empty());
}

// The planner starts a btree scan on its first key: constrained by =, a range,
// or the first ORDER BY key (either direction: a backward scan).
bool btree_leads(const Index& index, const IndexAccess& access) {
    if (index.keys.empty()) return false;
    const IndexKey& first = index.keys.front();
    return one_of(first, access.equality) || (access.range && same_index_key(first, *access.range)) ||
           (!access.order.empty() && same_index_key(first, access.order.front()));
}

bool btree_whole(const Index& index, const IndexAccess& access) {
    const std::size_t n = access.equality.size();
    if (!leading_keys_are(index.keys, n, access.equality)) return false;
    if (access.range) return index.keys.size() > n && same_index_key(index.keys[n], *access.range);
    return keys_follow(index.keys, n, access.order);
}

}  // namespace

bool same_index_key(const IndexKey& a, const IndexKey& b) {
    if (a.column != b.column) return false;
    if (a.expression == b.expression) return true;
    if (a.expression.empty() || b.expression.empty()) return false;
    return canonical_or_text(a.expression) == canonical_or_text(b.expression);
}

bool same_predicate(const std::string& a, const std::string& b) { return canonical_or_text(a) == canonical_or_text(b); }

bool leading_keys_are(const std::vector<IndexKey>& keys, std::size_t n, const std::vector<IndexKey>& want) {
    if (n > keys.size() || want.size() != n) return false;
    const std::vector<IndexKey> leading(keys.begin(), keys.begin() + static_cast<long>(n));
    return std::all_of(want.begin(), want.end(), [&](const IndexKey& w) { return one_of(w, leading); });
}

bool keys_follow(const std::vector<IndexKey>& keys, std::size_t from, const std::vector<IndexKey>& tail) {
    if (from + tail.size() > keys.size()) return false;
    bool forward = true, backward = true;
    for (std::size_t i = 0; i < tail.size(); ++i) {
        const IndexKey& k = keys[from + i];
        if (!same_index_key(k, tail[i])) return false;
        forward &= k.descending == tail[i].descending && k.nulls_first == tail[i].nulls_first;
        backward &= k.descending != tail[i].descending && k.nulls_first != tail[i].nulls_first;
    }
    return forward || backward;
}

bool index_serves(const Index& index, const IndexAccess& access, ServeDepth depth) {
    if (!index.valid || !predicate_fits(index, access)) return false;
    if (access.unique) return arbiter_fits(index, access);
    if (index.method == "hash") return hash_serves(index, access, depth);
    if (index.method != "btree") return false;
    return depth == ServeDepth::Leading ? btree_leads(index, access) : btree_whole(index, access);
}

const Index* serving_index(const Catalog& catalog, const Table& table, const IndexAccess& access, ServeDepth depth) {
    for (const Index* index : catalog.indexes_of(table))
        if (index_serves(*index, access, depth)) return index;
    return nullptr;
}

}  // namespace pgadvisor::catalog
