#include "catalog/resolve.hpp"
#include "catalog/plan_relation.hpp"

#include <algorithm>
#include <fmt/core.h>

namespace pgadvisor::catalog {
namespace {

// System columns exist on every table without being in pg_attribute's user range.
bool system_column(const std::string& c) {
    return c == "ctid" || c == "xmin" || c == "xmax" || c == "cmin" || c == "cmax" || c == "tableoid";
}

class Resolver {
public:
    Resolver(const sql::QueryShape& s, const Catalog& c, const std::vector<std::string>& path)
        : shape_(s), cat_(c), path_(path) {}

    Resolution run() {
        for (const auto& t : shape_.tables) {
            const Table* found = resolve_table(cat_, t.schema, t.name, path_);
            if (!found) {
                if (!t.schema.empty() && !cat_.has_schema(t.schema))
                    note(fmt::format("schema mismatch: schema \"{}\" of table {} is not in the catalog", t.schema,
                                     t.qualified_name()));
                else
                    note(fmt::format("schema mismatch: table {} is not in the catalog{}", t.qualified_name(),
                                     t.schema.empty() ? fmt::format(" (search_path: {})", joined(path_)) : ""));
            }
            out_.tables.push_back(found);
        }
        for (const auto& p : shape_.predicates) column(p.column, p.in_join ? ColumnRole::Join : ColumnRole::Predicate);
        for (const auto& j : shape_.joins) {
            column(j.left, ColumnRole::Join);
            column(j.right, ColumnRole::Join);
        }
        for (const auto& o : shape_.order_by)
            if (!o.column.column.empty()) column(o.column, ColumnRole::OrderBy);
        for (const auto& g : shape_.group_by) column(g, ColumnRole::GroupBy);
        if (shape_.insert)
            for (const auto& c : shape_.insert->columns) column({shape_.insert->table, "", c}, ColumnRole::Insert);
        if (!shape_.set_columns.empty()) {
            int written = -1;
            for (std::size_t i = 0; i < shape_.tables.size(); ++i)
                if (shape_.tables[i].written) written = static_cast<int>(i);
            for (const auto& c : shape_.set_columns) column({written, "", c}, ColumnRole::Set);
        }
        return std::move(out_);
    }

private:
    const sql::QueryShape& shape_;
    const Catalog& cat_;
    const std::vector<std::string>& path_;
    Resolution out_;

    static std::string joined(const std::vector<std::string>& v) {
        std::string s;
        for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
        return s;
    }

    void note(std::string n) {
        if (std::find(out_.notes.begin(), out_.notes.end(), n) == out_.notes.end()) out_.notes.push_back(std::move(n));
    }

    int by_qualifier(const std::string& q) const {
        for (std::size_t i = 0; i < shape_.tables.size(); ++i) {
            const auto& t = shape_.tables[i];
            if (t.alias == q || (t.alias.empty() && (t.name == q || t.qualified_name() == q)))
                return static_cast<int>(i);
        }
        return -1;
    }

    void column(const sql::ColumnRef& ref, ColumnRole role) {
        ResolvedColumn rc;
        rc.role = role;
        rc.column = ref.column;
        rc.table_ref = ref.table;
        if (rc.table_ref < 0 && !ref.qualifier.empty()) rc.table_ref = by_qualifier(ref.qualifier);
        if (rc.table_ref >= 0 && static_cast<std::size_t>(rc.table_ref) < shape_.tables.size()) {
            rc.table = out_.tables[static_cast<std::size_t>(rc.table_ref)];
            if (rc.table) {
                rc.catalog_column = rc.table->column(ref.column);
                if (!rc.catalog_column && !system_column(ref.column))
                    note(fmt::format("schema mismatch: column {} is not in table {}", ref.column,
                                     rc.table->qualified_name()));
            }
            // An unknown table already has its note.
        } else if (!ref.qualifier.empty()) {
            // A qualifier that is no table of this statement: a CTE or subquery alias, not a catalog matter.
        } else {
            // Unqualified and not placed by the shape builder: the one table of the statement that has it.
            std::vector<int> owners;
            bool unknown_table = false;
            for (std::size_t i = 0; i < out_.tables.size(); ++i) {
                if (!out_.tables[i]) unknown_table = true;
                else if (out_.tables[i]->column(ref.column)) owners.push_back(static_cast<int>(i));
            }
            if (owners.size() == 1) {
                rc.table_ref = owners[0];
                rc.table = out_.tables[static_cast<std::size_t>(owners[0])];
                rc.catalog_column = rc.table->column(ref.column);
            } else if (owners.size() > 1) {
                note(fmt::format("column {} is in more than one table of the statement", ref.column));
            } else if (!unknown_table && !system_column(ref.column) &&
                       (role == ColumnRole::Predicate || role == ColumnRole::Join) && !out_.tables.empty() &&
                       shape_.cte_names.empty() && !shape_.has_subquery) {
                // ORDER BY / GROUP BY may name an output alias, and CTEs or subqueries
                // bring columns of their own: only a plain statement's predicate is a sure mismatch.
                note(fmt::format("schema mismatch: column {} is in none of the statement's tables", ref.column));
            }
        }
        out_.columns.push_back(std::move(rc));
    }
};

}  // namespace

const char* to_string(ColumnRole r) {
    switch (r) {
        case ColumnRole::Predicate: return "predicate";
        case ColumnRole::Join: return "join";
        case ColumnRole::OrderBy: return "order by";
        case ColumnRole::GroupBy: return "group by";
        case ColumnRole::Insert: return "insert";
        case ColumnRole::Set: return "set";
    }
    return "?";
}

const Table* resolve_table(const Catalog& catalog, const std::string& schema, const std::string& name,
                           const std::vector<std::string>& search_path) {
    return schema.empty() ? catalog.find_table_on_path(name, search_path) : catalog.find_table(schema, name);
}

const Table* resolve_table(const Catalog& catalog, const std::string& schema, const std::string& name) {
    return resolve_table(catalog, schema, name, catalog.search_path);
}

namespace {

// The one table that fits, or nullptr when none or several do.
template <typename Fits>
const Table* only(const std::vector<const Table*>& tables, Fits fits) {
    const Table* found = nullptr;
    for (const Table* t : tables) {
        if (!t || !fits(*t) || t == found) continue;
        if (found) return nullptr;
        found = t;
    }
    return found;
}

// A table the statement does not name itself (a partition of one it names, a view's table).
const Table* unnamed_relation(const Catalog& catalog, const std::vector<const Table*>& statement_tables,
                              const std::string& relation) {
    std::vector<const Table*> beside;  // partitions live beside their parent, as a rule
    for (const Table* t : statement_tables)
        if (t) beside.push_back(catalog.find_table(t->schema, relation));
    if (const Table* t = only(beside, [](const Table&) { return true; })) return t;
    std::vector<const Table*> all;
    for (const auto& t : catalog.tables) all.push_back(&t);
    return only(all, [&](const Table& t) { return t.name == relation; });
}

}  // namespace

const Table* resolve_plan_relation(const Catalog& catalog, const sql::QueryShape* shape, const Resolution* resolution,
                                   const std::string& schema, const std::string& relation, const std::string& alias) {
    if (relation.empty()) return nullptr;
    if (!shape || !resolution) return resolve_table(catalog, schema, relation);
    const auto& tables = resolution->tables;
    // The statement's tables of this name, with the name they go by in the plan.
    std::vector<const Table*> named, aliased;
    for (std::size_t i = 0; i < tables.size() && i < shape->tables.size(); ++i) {
        const Table* t = tables[i];
        if (!t || t->name != relation || (!schema.empty() && t->schema != schema)) continue;
        named.push_back(t);
        const auto& ref = shape->tables[i];
        if ((ref.alias.empty() ? ref.name : ref.alias) == alias) aliased.push_back(t);
    }
    if (const Table* t = only(named, [](const Table&) { return true; })) return t;
    if (const Table* t = only(aliased, [](const Table&) { return true; })) return t;
    if (!named.empty()) return nullptr;  // the statement names several: the plan does not say which
    if (!schema.empty()) return catalog.find_table(schema, relation);
    return unnamed_relation(catalog, tables, relation);
}

Resolution resolve(const sql::QueryShape& shape, const Catalog& catalog, const std::vector<std::string>& search_path) {
    return Resolver(shape, catalog, search_path).run();
}

}  // namespace pgadvisor::catalog
