#include "rules/index_facts.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "sql/quote.hpp"

namespace pgadvisor::rules {

IndexesByTable::IndexesByTable(const catalog::Catalog& cat) {
    for (const auto& i : cat.indexes) map_[i.schema + '\0' + i.table].push_back(&i);
}

const std::vector<const catalog::Index*>& IndexesByTable::of(const catalog::Table& table) const {
    auto it = map_.find(table.schema + '\0' + table.name);
    return it == map_.end() ? none_ : it->second;
}

bool backs_constraint(const catalog::Table& table, const catalog::Index& index) {
    if (index.primary) return true;
    for (const auto& c : table.constraints)
        if (c.kind != catalog::ConstraintKind::ForeignKey && c.name == index.name) return true;
    return false;
}

bool keep_over(const catalog::Table& table, const catalog::Index& a, const catalog::Index& b) {
    auto score = [&](const catalog::Index& i) {
        return (i.primary ? 8 : 0) + (backs_constraint(table, i) ? 4 : 0) + (i.unique ? 2 : 0) + (i.valid ? 1 : 0);
    };
    const int sa = score(a), sb = score(b);
    return sa != sb ? sa > sb : a.name < b.name;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (const auto& s : v) out.append(out.empty() ? "" : sep).append(s);
    return out;
}

std::string keys_text(const catalog::Index& index) {
    std::vector<std::string> parts;
    for (const auto& k : index.keys) {
        std::string t = k.column.empty() ? k.expression : sql::quote_ident(k.column);
        if (k.descending) t += " DESC";
        if (k.nulls_first != k.descending) t += k.nulls_first ? " NULLS FIRST" : " NULLS LAST";
        parts.push_back(std::move(t));
    }
    return fmt::format("({})", join(parts));
}

std::string describe(const catalog::Index& index) {
    return fmt::format("{} ON {}{} {}{}{}", sql::quote_ident(index.name), sql::quote_qualified(index.schema, index.table),
                       index.method != "btree" ? " USING " + index.method : std::string(), keys_text(index),
                       index.include.empty() ? std::string() : fmt::format(" INCLUDE ({})", quoted_list(index.include)),
                       index.predicate.empty() ? std::string() : " WHERE " + index.predicate);
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

std::string quoted_list(const std::vector<std::string>& names) {
    std::vector<std::string> q;
    for (const auto& n : names) q.push_back(sql::quote_ident(n));
    return join(q);
}

std::string index_name_for(const std::string& table, const std::vector<std::string>& columns, const std::string& suffix) {
    // PostgreSQL's ChooseRelationName cuts the table and column parts so the
    // whole fits NAMEDATALEN - 1 = 63 bytes; cutting the joined text is close
    // enough for a suggestion (IF NOT EXISTS keeps a rerun harmless).
    std::string base = table;
    for (const auto& c : columns) base += "_" + c;
    const std::size_t room = 63 - suffix.size() - 1;
    if (base.size() > room) base.resize(room);
    return base + "_" + suffix;
}

std::string drop_index_sql(const catalog::Index& index) {
    return "DROP INDEX CONCURRENTLY IF EXISTS " + sql::quote_qualified(index.schema, index.name) + ";";
}

std::string create_index_sql(const std::string& schema, const std::string& table,
                             const std::vector<std::string>& columns, bool unique) {
    return fmt::format("CREATE {}INDEX CONCURRENTLY IF NOT EXISTS {} ON {} ({});", unique ? "UNIQUE " : "",
                       sql::quote_ident(index_name_for(table, columns, unique ? "key" : "idx")),
                       sql::quote_qualified(schema, table), quoted_list(columns));
}

}  // namespace pgadvisor::rules
