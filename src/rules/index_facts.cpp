#include "rules/index_facts.hpp"

#include <fmt/core.h>

#include <algorithm>

#include "catalog/index_sql.hpp"
#include "sql/quote.hpp"
#include "sql/text.hpp"

namespace pgadvisor::rules {

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

std::string keys_text(const catalog::Index& index) {
    std::vector<std::string> parts;
    for (const auto& k : index.keys) {
        std::string t = k.column.empty() ? k.expression : sql::quote_ident(k.column);
        if (!k.opclass.empty()) t += " " + k.opclass;
        if (k.descending) t += " DESC";
        if (k.nulls_first != k.descending) t += k.nulls_first ? " NULLS FIRST" : " NULLS LAST";
        parts.push_back(std::move(t));
    }
    return fmt::format("({})", sql::join(parts));
}

std::string describe(const catalog::Index& index) {
    return fmt::format("{} ON {}{} {}{}{}", sql::quote_ident(index.name),
                       sql::quote_qualified(index.schema, index.table),
                       index.method != "btree" ? " USING " + index.method : std::string(), keys_text(index),
                       index.include.empty() ? std::string()
                                             : fmt::format(" INCLUDE ({})", sql::quote_ident_list(index.include)),
                       index.predicate.empty() ? std::string() : " WHERE " + index.predicate);
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

catalog::Index index_for_need(const IndexNeed& need) {
    catalog::Index index;
    index.schema = need.schema;
    index.table = need.table;
    for (const auto& c : need.equality_columns) index.keys.push_back(catalog::column_key(c));
    for (const auto& e : need.equality_expressions) index.keys.push_back(catalog::expression_key(e));
    if (!need.range_column.empty()) index.keys.push_back(catalog::column_key(need.range_column));
    else
        for (const auto& c : need.order_columns) index.keys.push_back(catalog::column_key(c));
    index.unique = need.unique;
    index.predicate = need.predicate;
    return index;
}

std::string create_index_fix_sql(const catalog::Catalog* cat, catalog::Index index) {
    index.name = catalog::proposed_index_name(index, cat);
    return catalog::create_index_sql(index);
}

IndexNeed unique_index_need(const std::string& schema, const std::string& table,
                            const std::vector<std::string>& columns, const std::string& predicate) {
    IndexNeed need;
    need.schema = schema;
    need.table = table;
    need.equality_columns = columns;
    need.unique = true;
    need.predicate = predicate;
    return need;
}

std::string unique_index_fix_sql(const catalog::Catalog* cat, const IndexNeed& need) {
    const catalog::Index index = index_for_need(need);
    return "-- Existing duplicates would make the unique index fail; find them first:\n" +
           catalog::duplicates_check_sql(index) + "\n" + create_index_fix_sql(cat, index);
}

void add_index_finding(Finding f, const catalog::Catalog& cat, const catalog::Table& table, const catalog::Index& index,
                       std::vector<Finding>& out) {
    f.schema = table.schema;
    f.table = table.name;
    if (f.fix_sql.empty()) f.fix_sql = catalog::drop_index_sql(index);
    f.locations.push_back({cat.source, 0, 0});
    f.key = index.schema + "." + index.name;
    out.push_back(std::move(f));
}

}  // namespace pgadvisor::rules
