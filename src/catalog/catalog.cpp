#include "catalog/catalog.hpp"

#include <algorithm>
#include <fmt/core.h>

#include "sql/text.hpp"

namespace pgadvisor::catalog {

const Column* Table::column(const std::string& col) const {
    for (const auto& c : columns)
        if (c.name == col) return &c;
    return nullptr;
}
Column* Table::column(const std::string& col) {
    for (auto& c : columns)
        if (c.name == col) return &c;
    return nullptr;
}

// Linear scans: catalogs are searched a few times per statement shape, and a
// loader that needs speed (live, 10,000 tables) builds its own maps.
Table* Catalog::find_table(const std::string& schema, const std::string& name) {
    for (auto& t : tables)
        if (t.name == name && t.schema == schema) return &t;
    return nullptr;
}
const Table* Catalog::find_table(const std::string& schema, const std::string& name) const {
    for (const auto& t : tables)
        if (t.name == name && t.schema == schema) return &t;
    return nullptr;
}
const Table* Catalog::find_table_on_path(const std::string& name, const std::vector<std::string>& path) const {
    for (const auto& s : path)
        if (const auto* t = find_table(s, name)) return t;
    return nullptr;
}
Index* Catalog::find_index(const std::string& schema, const std::string& name) {
    for (auto& i : indexes)
        if (i.name == name && i.schema == schema) return &i;
    return nullptr;
}
const Index* Catalog::find_index(const std::string& schema, const std::string& name) const {
    for (const auto& i : indexes)
        if (i.name == name && i.schema == schema) return &i;
    return nullptr;
}
std::vector<const Index*> Catalog::indexes_of(const Table& table) const {
    std::vector<const Index*> out;
    for (const auto& i : indexes)
        if (i.table == table.name && i.schema == table.schema) out.push_back(&i);
    return out;
}

IndexesByTable::IndexesByTable(const Catalog& cat) {
    for (const auto& i : cat.indexes) map_[i.schema + '\0' + i.table].push_back(&i);
}

const std::vector<const Index*>& IndexesByTable::of(const Table& table) const {
    auto it = map_.find(table.schema + '\0' + table.name);
    return it == map_.end() ? none_ : it->second;
}

bool Catalog::has_schema(const std::string& schema) const {
    return std::find(schemas.begin(), schemas.end(), schema) != schemas.end();
}
bool Catalog::relation_exists(const std::string& schema, const std::string& name) const {
    if (find_table(schema, name)) return true;
    for (const auto& i : indexes)
        if (i.name == name && i.schema == schema) return true;
    return false;
}

const char* to_string(ConstraintKind k) {
    switch (k) {
        case ConstraintKind::PrimaryKey: return "primary key";
        case ConstraintKind::Unique: return "unique";
        case ConstraintKind::ForeignKey: return "foreign key";
    }
    return "?";
}
const char* to_string(RowsSource s) {
    switch (s) {
        case RowsSource::Statistics: return "statistics";
        case RowsSource::Assumed: return "assumed (--assume-rows)";
        case RowsSource::LoggedPlans: return "logged plans";
        case RowsSource::LoggedDurations: return "inferred from logged durations";
        case RowsSource::Default: return "default (no statistics)";
    }
    return "?";
}

std::vector<std::string> structure_lines(const Catalog& catalog) {
    std::vector<std::string> out;
    for (const auto& t : catalog.tables) {
        const auto q = t.qualified_name();
        out.push_back(fmt::format("table {}{}{}", q, t.partitioned ? " partitioned" : "",
                                  t.partition_of.empty() ? "" : " partition of " + t.partition_of));
        for (std::size_t i = 0; i < t.columns.size(); ++i) {
            const auto& c = t.columns[i];
            out.push_back(
                fmt::format("column {} #{} {} {}{}", q, i + 1, c.name, c.type, c.not_null ? " not null" : ""));
        }
        for (const auto& c : t.constraints)
            out.push_back(fmt::format(
                "constraint {} {} {} ({}){}", q, c.name, to_string(c.kind), sql::join(c.columns, ","),
                c.kind == ConstraintKind::ForeignKey
                    ? fmt::format(" -> {}.{} ({})", c.ref_schema, c.ref_table, sql::join(c.ref_columns, ","))
                    : ""));
    }
    for (const auto& i : catalog.indexes) {
        std::string keys;
        for (const auto& k : i.keys)
            keys += fmt::format("{}{}{}{}{}", keys.empty() ? "" : ", ", k.column.empty() ? k.expression : k.column,
                                k.opclass.empty() ? "" : " " + k.opclass, k.descending ? " DESC" : "",
                                k.nulls_first != k.descending ? (k.nulls_first ? " NULLS FIRST" : " NULLS LAST") : "");
        out.push_back(fmt::format("index {}.{} on {} {}{}{} ({}){}{}", i.schema, i.name, i.table, i.method,
                                  i.unique ? " unique" : "", i.primary ? " primary" : "", keys,
                                  i.include.empty() ? "" : " include (" + sql::join(i.include, ",") + ")",
                                  i.predicate.empty() ? "" : " where " + i.predicate));
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace pgadvisor::catalog
