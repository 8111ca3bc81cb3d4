#include "catalog/index_sql.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <string_view>

#include <fmt/format.h>

#include "sql/quote.hpp"
#include "sql/text.hpp"

namespace pgadvisor::catalog {
namespace {

// PostgreSQL's NAMEDATALEN - 1: a longer name is silently cut by the server,
// which would make two of our names collide after we checked they did not.
constexpr std::size_t kMaxNameBytes = 63;

using sql::trim_underscores;

std::uint32_t fnv1a(std::string_view s) {
    std::uint32_t h = 2166136261u;
    for (char c : s) {
        h ^= static_cast<unsigned char>(c);
        h *= 16777619u;
    }
    return h;
}

// A dotted operator class name, each part quoted where it needs it.
std::string opclass_sql(const std::string& opclass) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t dot; (dot = opclass.find('.', start)) != std::string::npos; start = dot + 1)
        parts.push_back(sql::quote_ident(opclass.substr(start, dot - start)));
    parts.push_back(sql::quote_ident(opclass.substr(start)));
    return sql::join(parts, ".");
}

std::string key_sql(const IndexKey& key) {
    std::string out = key.expression.empty() ? sql::quote_ident(key.column) : "(" + key.expression + ")";
    if (!key.opclass.empty()) {
        out += ' ';
        out += opclass_sql(key.opclass);
    }
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

std::string qualified_table(const Index& index) { return sql::quote_qualified(index.schema, index.table); }

std::string effective_schema(const std::string& schema, const Catalog* catalog) {
    if (!schema.empty()) return schema;
    if (catalog && !catalog->search_path.empty()) return catalog->search_path.front();
    return "public";
}

// Every relation name in the schema: tables and indexes share one namespace.
std::set<std::string> relation_names(const Catalog& catalog, const std::string& schema) {
    std::set<std::string> names;
    for (const auto& t : catalog.tables)
        if (t.schema == schema) names.insert(t.name);
    for (const auto& i : catalog.indexes)
        if (i.schema == schema) names.insert(i.name);
    return names;
}

}  // namespace

std::string base_index_name(const Index& index) {
    std::vector<std::string> parts{sql::name_word(index.table)};
    for (const auto& key : index.keys) {
        std::string w = sql::name_word(key.expression.empty() ? key.column : key.expression);
        if (!w.empty()) parts.push_back(w);
    }
    std::string stem = sql::join(parts, "_");
    std::string suffix = index.predicate.empty() ? "" : "_part";
    suffix += index.unique ? "_key" : "_idx";
    const std::string full = stem + suffix;
    if (full.size() <= kMaxNameBytes) return full;
    // Cut the readable part and say so with a hash of the whole: two long
    // names sharing a 50-byte prefix still differ.
    const std::string hash = fmt::format("_{:06x}", fnv1a(full) & 0xFFFFFFu);
    const std::string cut = trim_underscores(sql::cut_utf8_prefix(stem, kMaxNameBytes - hash.size() - suffix.size()));
    return cut + hash + suffix;
}

std::string index_name(const Index& index) { return index.name.empty() ? base_index_name(index) : index.name; }

void assign_index_names(std::vector<Index*>& indexes, const Catalog* catalog) {
    std::map<std::string, std::set<std::string>> taken;  // by schema
    for (Index* index : indexes) {
        const std::string schema = effective_schema(index->schema, catalog);
        auto [it, inserted] = taken.try_emplace(schema);
        if (inserted && catalog) it->second = relation_names(*catalog, schema);
        std::set<std::string>& used = it->second;
        const std::string base = base_index_name(*index);
        std::string name = base;
        for (int n = 1; used.count(name); ++n) {
            const std::string tail = fmt::format("_{}", n);
            name = trim_underscores(sql::cut_utf8_prefix(base, kMaxNameBytes - tail.size())) + tail;
        }
        used.insert(name);
        index->name = name;
    }
}

std::string proposed_index_name(const Index& index, const Catalog* catalog) {
    Index copy = index;
    std::vector<Index*> one{&copy};
    assign_index_names(one, catalog);
    return copy.name;
}

std::string index_body_sql(const Index& index) {
    std::vector<std::string> keys;
    for (const auto& k : index.keys) keys.push_back(key_sql(k));
    std::string out = fmt::format("({})", sql::join(keys));
    if (!index.include.empty()) out += " INCLUDE (" + sql::quote_ident_list(index.include) + ")";
    if (!index.predicate.empty()) out += " WHERE " + index.predicate;
    return out;
}

std::string create_index_sql(const Index& index, CreateIndexStyle style) {
    return fmt::format("CREATE {}INDEX {}{}{} ON {} USING {} {};", index.unique ? "UNIQUE " : "",
                       style.concurrently ? "CONCURRENTLY " : "", style.if_not_exists ? "IF NOT EXISTS " : "",
                       sql::quote_ident(index_name(index)), qualified_table(index),
                       sql::quote_ident(index.method.empty() ? "btree" : index.method), index_body_sql(index));
}

std::string drop_index_sql(const Index& index, bool concurrently) {
    return fmt::format("DROP INDEX {}IF EXISTS {};", concurrently ? "CONCURRENTLY " : "",
                       sql::quote_qualified(index.schema, index_name(index)));
}

std::string drop_invalid_index_psql(const Index& index) {
    return fmt::format(
        "SELECT format('DROP INDEX CONCURRENTLY %s', i.indexrelid::regclass)\n"
        "  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid\n"
        " WHERE i.indrelid = to_regclass({}) AND c.relname = {} AND NOT i.indisvalid\n"
        "\\gexec\n",
        sql::quote_literal(qualified_table(index)), sql::quote_literal(index_name(index)));
}

std::string duplicates_check_sql(const Index& index) {
    std::vector<std::string> values, conditions;
    for (const auto& k : index.keys) {
        values.push_back(key_value_sql(k));
        conditions.push_back(key_value_sql(k) + " IS NOT NULL");
    }
    if (!index.predicate.empty()) conditions.push_back("(" + index.predicate + ")");
    const std::string list = sql::join(values);
    return fmt::format(
        "SELECT {}, count(*) FROM {} WHERE {} GROUP BY {} HAVING count(*) > 1 "
        "ORDER BY count(*) DESC LIMIT 100;",
        list, qualified_table(index), sql::join(conditions, " AND "), list);
}

}  // namespace pgadvisor::catalog
