#include "advise/index_sql.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "rules/index_facts.hpp"
#include "sql/quote.hpp"

namespace pgadvisor::advise {
namespace {

// PostgreSQL's NAMEDATALEN - 1: a longer name is silently cut by the server,
// which would make two of our names collide after we checked they did not.
constexpr std::size_t kMaxNameBytes = 63;

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

std::string cut_utf8_prefix(const std::string& s, std::size_t max_bytes) {
    if (s.size() <= max_bytes) return s;
    std::size_t end = max_bytes;
    while (end > 0 && is_continuation(static_cast<unsigned char>(s[end]))) --end;
    return s.substr(0, end);
}

namespace {

std::string trim_underscores(std::string s) {
    while (!s.empty() && s.back() == '_') s.pop_back();
    std::size_t start = 0;
    while (start < s.size() && s[start] == '_') ++start;
    return s.substr(start);
}


std::uint32_t fnv1a(std::string_view s) {
    std::uint32_t h = 2166136261u;
    for (char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 16777619u;
    }
    return h;
}

std::string key_sql(const IndexKey& key) {
    std::string out = key.expression.empty() ? sql::quote_ident(key.column) : "(" + key.expression + ")";
    // nulls_first is the effective placement (as in catalog::IndexKey); it is
    // written only where it differs from the direction's default.
    if (key.descending) {
        out += " DESC";
        if (!key.nulls_first) out += " NULLS LAST";
    } else if (key.nulls_first) {
        out += " NULLS FIRST";
    }
    return out;
}

// A key as it appears in SELECT and GROUP BY: no direction.
std::string key_value_sql(const IndexKey& key) {
    return key.expression.empty() ? sql::quote_ident(key.column) : "(" + key.expression + ")";
}

std::string name_or_base(const IndexDefinition& index) {
    return index.name.empty() ? base_index_name(index) : index.name;
}

std::string qualified_table(const IndexDefinition& index) { return sql::quote_qualified(index.schema, index.table); }

std::string effective_schema(const std::string& schema, const catalog::Catalog* catalog) {
    if (!schema.empty()) return schema;
    if (catalog && !catalog->search_path.empty()) return catalog->search_path.front();
    return "public";
}

// Every relation name in the schema: tables and indexes share one namespace.
std::set<std::string> relation_names(const catalog::Catalog& catalog, const std::string& schema) {
    std::set<std::string> names;
    for (const auto& t : catalog.tables)
        if (t.schema == schema) names.insert(t.name);
    for (const auto& i : catalog.indexes)
        if (i.schema == schema) names.insert(i.name);
    return names;
}

}  // namespace

// A name part as a readable word: ASCII letters lower-cased, digits kept,
// non-ASCII letters kept as they are (their bytes are >= 0x80), everything
// else (spaces, quotes, parentheses, operators) one '_'. The result then
// needs no quoting in most cases, and never a doubled quote.
std::string name_word(std::string_view text) {
    std::string out;
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) out += ch;
        else if (!out.empty() && out.back() != '_') out += '_';
    }
    return trim_underscores(out);
}


std::string base_index_name(const IndexDefinition& index) {
    std::vector<std::string> parts{name_word(index.table)};
    for (const auto& key : index.keys) {
        std::string w = name_word(key.expression.empty() ? key.column : key.expression);
        if (!w.empty()) parts.push_back(w);
    }
    std::string stem = rules::join(parts, "_");
    std::string suffix = index.predicate.empty() ? "" : "_part";
    suffix += index.unique ? "_key" : "_idx";
    const std::string full = stem + suffix;
    if (full.size() <= kMaxNameBytes) return full;
    // Cut the readable part and say so with a hash of the whole: two long
    // names sharing a 50-byte prefix still differ.
    const std::string hash = fmt::format("_{:06x}", fnv1a(full) & 0xFFFFFFu);
    const std::string cut = trim_underscores(cut_utf8_prefix(stem, kMaxNameBytes - hash.size() - suffix.size()));
    return cut + hash + suffix;
}

void assign_index_names(std::vector<IndexDefinition*>& indexes, const catalog::Catalog* catalog) {
    std::map<std::string, std::set<std::string>> taken;  // by schema
    for (IndexDefinition* index : indexes) {
        const std::string schema = effective_schema(index->schema, catalog);
        auto [it, inserted] = taken.try_emplace(schema);
        if (inserted && catalog) it->second = relation_names(*catalog, schema);
        std::set<std::string>& used = it->second;
        const std::string base = base_index_name(*index);
        std::string name = base;
        for (int n = 1; used.count(name); ++n) {
            const std::string tail = fmt::format("_{}", n);
            name = trim_underscores(cut_utf8_prefix(base, kMaxNameBytes - tail.size())) + tail;
        }
        used.insert(name);
        index->name = name;
    }
}

std::string index_body_sql(const IndexDefinition& index) {
    std::vector<std::string> keys;
    for (const auto& k : index.keys) keys.push_back(key_sql(k));
    std::string out = fmt::format("({})", rules::join(keys));
    if (!index.include.empty()) out += " INCLUDE (" + rules::quoted_list(index.include) + ")";
    if (!index.predicate.empty()) out += " WHERE " + index.predicate;
    return out;
}

std::string create_index_sql(const IndexDefinition& index, CreateIndexStyle style) {
    return fmt::format("CREATE {}INDEX {}{}{} ON {} USING {} {};", index.unique ? "UNIQUE " : "",
                       style.concurrently ? "CONCURRENTLY " : "", style.if_not_exists ? "IF NOT EXISTS " : "",
                       sql::quote_ident(name_or_base(index)), qualified_table(index),
                       sql::quote_ident(index.method.empty() ? "btree" : index.method), index_body_sql(index));
}

std::string drop_index_sql(const IndexDefinition& index, bool concurrently) {
    return fmt::format("DROP INDEX {}IF EXISTS {};", concurrently ? "CONCURRENTLY " : "",
                       sql::quote_qualified(index.schema, name_or_base(index)));
}

std::string duplicates_check_sql(const IndexDefinition& index) {
    std::vector<std::string> values, conditions;
    for (const auto& k : index.keys) {
        values.push_back(key_value_sql(k));
        conditions.push_back(key_value_sql(k) + " IS NOT NULL");
    }
    if (!index.predicate.empty()) conditions.push_back("(" + index.predicate + ")");
    const std::string list = rules::join(values);
    return fmt::format("SELECT {}, count(*) FROM {} WHERE {} GROUP BY {} HAVING count(*) > 1 "
                       "ORDER BY count(*) DESC LIMIT 100;",
                       list, qualified_table(index), rules::join(conditions, " AND "), list);
}

}  // namespace pgadvisor::advise
