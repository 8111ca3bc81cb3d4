#include "workload/literal_values.hpp"

#include "workload/prefetch.hpp"

#include <algorithm>
#include <mutex>
#include <optional>

namespace pgadvisor::workload {
namespace {

// The value a constant token stands for: strings unquoted ('it''s' -> it's).
std::optional<std::string> token_value(std::string_view tok) {
    if (sql::keyword_is(tok, "null")) return std::nullopt;
    if (tok.size() >= 2 && tok.front() == '\'' && tok.back() == '\'') {
        std::string v;
        v.reserve(tok.size() - 2);
        for (std::size_t i = 1; i + 1 < tok.size(); ++i) {
            v += tok[i];
            if (tok[i] == '\'' && tok[i + 1] == '\'') ++i;
        }
        return v;
    }
    return std::string(tok);
}

// A statement's bind parameters by number, the last one logged for a number winning, made
// once: a walk of them for each literal made 65,535 parameters take seconds (issue 16, "Time").
// PostgreSQL logs them as $1, $2, ... in order, and then $n is the n-th: a map of them, built
// for every statement with parameters, was a sixth of this function's time (perf, issue 17).
class ParametersByNumber {
public:
    explicit ParametersByNumber(const std::vector<ingest::BindParameter>& parameters) : parameters_(parameters) {
        for (std::size_t i = 0; i < parameters.size(); ++i)
            if (parameters[i].number != static_cast<int>(i) + 1) {
                in_order_ = false;
                by_number_.reserve(parameters.size());
                for (const auto& p : parameters) by_number_[p.number] = &p;
                break;
            }
    }
    // $n's parameter; null when none was logged.
    const ingest::BindParameter* find(int n) const {
        if (in_order_)
            return n >= 1 && static_cast<std::size_t>(n) <= parameters_.size() ? &parameters_[n - 1] : nullptr;
        const auto it = by_number_.find(n);
        return it == by_number_.end() ? nullptr : it->second;
    }

private:
    const std::vector<ingest::BindParameter>& parameters_;
    bool in_order_ = true;
    std::unordered_map<int, const ingest::BindParameter*> by_number_;  // when they are not in order
};

}  // namespace

ValueReference value_reference(const sql::QueryShape& shape, std::vector<sql::ValueToken> tokens) {
    ValueReference r;
    r.token_count = tokens.size();
    r.literals.reserve(shape.literals.size());
    std::size_t j = 0;
    for (const auto& lit : shape.literals) {
        const auto location = static_cast<std::size_t>(std::max(lit.location, 0));
        while (j < tokens.size() && tokens[j].end <= location) ++j;
        ValueReference::Literal l;
        if (j < tokens.size()) {
            l.token = j;
            const std::size_t start = tokens[j].start;
            l.minus = lit.location >= 0 && tokens[j].start > location && location < shape.text.size() &&
                      shape.text[location] == '-';
            l.dash_before = start > 0 && start <= shape.text.size() && shape.text[start - 1] == '-';
        }
        r.literals.push_back(l);
    }
    return r;
}

std::vector<LiteralValue> literal_values_by(const ValueReference& reference, const std::vector<sql::ValueToken>& tokens,
                                            const ingest::Statement& statement) {
    const auto& literals = reference.literals;
    std::vector<LiteralValue> out(literals.size());
    if (literals.empty() || reference.token_count != tokens.size()) return out;
    // Made at the first $n only: most statements have none (issue 17).
    std::optional<ParametersByNumber> parameters;
    const std::string_view whole = statement.text;
    for (std::size_t k = 0; k < literals.size(); ++k) {
        const ValueReference::Literal& lit = literals[k];
        if (lit.token == ValueReference::kNoToken) continue;
        const auto& tok = tokens[lit.token];
        const std::string_view text = whole.substr(tok.start, tok.end - tok.start);
        LiteralValue v;
        if (tok.parameter) {
            int n = 0;
            for (char c : text.substr(1)) n = n * 10 + (c - '0');
            if (!parameters) parameters.emplace(statement.parameters);
            if (const ingest::BindParameter* p = parameters->find(n)) {
                v.text = p->value;
                v.known = true;
            }
        } else {
            const bool dash_before = tok.start > 0 && tok.start <= whole.size() && whole[tok.start - 1] == '-';
            if (dash_before != lit.dash_before) continue;  // a sign here and not there: unknown (see the header)
            v.text = token_value(text);
            if (v.text && lit.minus) v.text = "-" + *v.text;
            v.known = true;
        }
        out[k] = std::move(v);
    }
    return out;
}

void ValueReferences::publish(const std::string& key, std::size_t shape_id,
                              std::shared_ptr<const ValueReference> reference) {
    const std::uint64_t hash = hash_key(key);
    std::lock_guard lock(mu_);
    entries_.push_back({key, shape_id, std::move(reference)});
    insert_slot(hash, static_cast<std::uint32_t>(entries_.size()));
}

void ValueReferences::insert_slot(std::uint64_t hash, std::uint32_t entry) {
    if (2 * (entries_.size() + 1) > slots_.size()) {
        std::vector<std::pair<std::uint64_t, std::uint32_t>> old(2 * slots_.size());
        old.swap(slots_);
        for (const auto& [h, e] : old)
            if (e != 0) insert_slot(h, e);
    }
    const std::size_t mask = slots_.size() - 1;
    std::size_t at = hash & mask;
    while (slots_[at].second != 0) at = (at + 1) & mask;
    slots_[at] = {hash, entry};
}

std::size_t ValueReferences::size() const {
    std::lock_guard lock(mu_);
    return entries_.size();
}

std::vector<std::optional<PublishedKey>> ValueReferences::find(const std::vector<std::uint64_t>& hashes,
                                                               const std::vector<std::string_view>& keys,
                                                               bool load_ahead) const {
    std::vector<std::optional<PublishedKey>> found(hashes.size());
    std::lock_guard lock(mu_);
    const std::size_t mask = slots_.size() - 1;
    // A batch's slots, entries, keys and references lie far apart, in no cache on a log of many
    // shapes (issue 17): each pass asks for the next of them for every statement before any is
    // read, so that the loads overlap instead of waiting one after the other.
    if (load_ahead) {
        for (const std::uint64_t hash : hashes) prefetch_bytes(&slots_[hash & mask], 1);
        for (const std::uint64_t hash : hashes)
            if (const auto& slot = slots_[hash & mask]; slot.second != 0) prefetch_bytes(&entries_[slot.second - 1], 1);
        for (const std::uint64_t hash : hashes) {
            const auto& slot = slots_[hash & mask];
            if (slot.second == 0 || slot.first != hash) continue;
            const Entry& e = entries_[slot.second - 1];
            prefetch_bytes(e.key.data(), 1);
            prefetch_bytes(e.reference.get(), 1);
        }
    }
    for (std::size_t i = 0; i < hashes.size(); ++i) {
        for (std::size_t at = hashes[i] & mask; slots_[at].second != 0; at = (at + 1) & mask) {
            if (slots_[at].first != hashes[i]) continue;
            const Entry& e = entries_[slots_[at].second - 1];
            if (e.key == keys[i]) {
                found[i] = PublishedKey{e.shape_id, e.reference.get()};
                break;
            }
        }
    }
    return found;
}

}  // namespace pgadvisor::workload
