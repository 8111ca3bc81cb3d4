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

// A key in a pattern operator class (text_pattern_ops, varchar_pattern_ops, ...)
// answers = and LIKE 'prefix%' but neither ranges nor ORDER BY in the
// database's collation; any other non-default class answers operators the
// catalog does not know, so it is taken to answer none of these.
bool pattern_class(const IndexKey& key) {
    const std::string suffix = "_pattern_ops";
    return key.opclass.size() > suffix.size() &&
           key.opclass.compare(key.opclass.size() - suffix.size(), suffix.size(), suffix) == 0;
}
bool answers_equality(const IndexKey& key) { return key.opclass.empty() || pattern_class(key); }
bool answers_order(const IndexKey& key) { return key.opclass.empty(); }

// The planner starts a btree scan on its first key: constrained by =, a range,
// or the first ORDER BY key (either direction: a backward scan).
bool btree_leads(const Index& index, const IndexAccess& access) {
    if (index.keys.empty()) return false;
    const IndexKey& first = index.keys.front();
    return (answers_equality(first) && one_of(first, access.equality)) ||
           (answers_order(first) && access.range && same_index_key(first, *access.range)) ||
           (answers_order(first) && !access.order.empty() && same_index_key(first, access.order.front()));
}

bool btree_whole(const Index& index, const IndexAccess& access) {
    const std::size_t n = access.equality.size();
    if (!leading_keys_are(index.keys, n, access.equality)) return false;
    if (!std::all_of(index.keys.begin(), index.keys.begin() + static_cast<long>(n), answers_equality)) return false;
    if (access.range)
        return index.keys.size() > n && answers_order(index.keys[n]) && same_index_key(index.keys[n], *access.range);
    if (!keys_follow(index.keys, n, access.order)) return false;
    return std::all_of(index.keys.begin() + static_cast<long>(n),
                       index.keys.begin() + static_cast<long>(std::min(index.keys.size(), n + access.order.size())),
                       answers_order);
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

const Index* unique_index_within(const Catalog& catalog, const Table& table, const std::vector<std::string>& columns) {
    auto among = [&](const IndexKey& k) {
        return k.expression.empty() && std::find(columns.begin(), columns.end(), k.column) != columns.end();
    };
    for (const Index* index : catalog.indexes_of(table))
        if (index->unique && index->valid && index->predicate.empty() && !index->keys.empty() &&
            std::all_of(index->keys.begin(), index->keys.end(), among))
            return index;
    return nullptr;
}

}  // namespace pgadvisor::catalog
