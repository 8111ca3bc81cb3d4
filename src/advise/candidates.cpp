#include "advise/candidates.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <set>

#include "catalog/index_serves.hpp"
#include "catalog/resolve.hpp"
#include "sql/canonical.hpp"
#include "sql/quote.hpp"
#include "sql/text.hpp"

namespace pgadvisor::advise {
namespace {

const catalog::Table* find_table(const catalog::Catalog* cat, const std::string& schema, const std::string& name) {
    if (!cat || name.empty()) return nullptr;
    return catalog::resolve_table(*cat, schema, name);
}

// Distinct values of a column, from pg_stats (n_distinct < 0 is a fraction of the rows).
std::optional<double> distinct_values(const catalog::Table* t, const std::string& column) {
    if (!t) return std::nullopt;
    const catalog::Column* c = t->column(column);
    if (!c || !c->stats || c->stats->n_distinct == 0) return std::nullopt;
    if (c->stats->n_distinct > 0) return c->stats->n_distinct;
    if (t->estimated_rows <= 0) return std::nullopt;
    return -c->stats->n_distinct * t->estimated_rows;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

using sql::join;

// The shape behind a need, for what the need does not carry (directions, IS NULL).
const sql::QueryShape* shape_of(const workload::Workload* w, const std::string& fingerprint) {
    if (!w || fingerprint.empty()) return nullptr;
    const workload::ShapeInfo* s = w->find(fingerprint);
    return s && s->shape ? &*s->shape : nullptr;
}

// Predicates that are the same constant in every call by their very form:
// `col IS NULL` / `col IS NOT NULL` on the need's table. A partial index on
// them is smaller and is still used by every call.
// Whether a predicate is one of those null tests.
bool partial_null_test(const sql::Predicate& p, const sql::QueryShape& shape, const std::string& table,
                       const std::vector<std::string>& key_columns) {
    return !p.in_join && !p.column.column.empty() && p.column.table >= 0 &&
           static_cast<std::size_t>(p.column.table) < shape.tables.size() &&
           shape.tables[static_cast<std::size_t>(p.column.table)].name == table && p.function.empty() &&
           (p.cls == sql::PredicateClass::IsNull || p.cls == sql::PredicateClass::IsNotNull) &&
           !contains(key_columns, p.column.column);
}

std::vector<std::string> null_tests(const sql::QueryShape& shape, const std::string& table,
                                    const std::vector<std::string>& key_columns) {
    std::vector<std::string> out;
    for (const auto& p : shape.predicates) {
        if (!partial_null_test(p, shape, table, key_columns)) continue;
        out.push_back(sql::quote_ident(p.column.column) +
                      (p.cls == sql::PredicateClass::IsNull ? " IS NULL" : " IS NOT NULL"));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

// Keys match by column or canonical expression text (catalog/index_serves.hpp).
using catalog::keys_follow;
using catalog::leading_keys_are;
using catalog::same_index_key;
using catalog::same_predicate;

IndexKey column_key(const std::string& column) {
    IndexKey k;
    k.column = column;
    return k;
}

IndexKey expression_key(const std::string& expression) {
    IndexKey k;
    k.expression = expression;
    return k;
}

constexpr std::size_t kMaxInclude = 2;

// Types narrow enough to carry in every index entry: fixed width, numeric, or a short varchar.
bool narrow_type(const std::string& type) {
    static const std::set<std::string> fixed = {"integer",
                                                "bigint",
                                                "smallint",
                                                "boolean",
                                                "date",
                                                "numeric",
                                                "uuid",
                                                "timestamp without time zone",
                                                "timestamp with time zone"};
    if (fixed.count(type)) return true;
    if (type.rfind("numeric(", 0) == 0) return true;
    if (type.rfind("timestamp(", 0) == 0 && type.find("[]") == std::string::npos) return true;
    const std::string vc = "character varying(";
    if (type.rfind(vc, 0) == 0 && type.size() > vc.size() + 1 && type.back() == ')') {
        const std::string n = type.substr(vc.size(), type.size() - vc.size() - 1);
        if (n.empty() || !std::all_of(n.begin(), n.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) return false;
        return n.size() <= 3 && std::stoi(n) <= 64;
    }
    return false;
}

// The columns of `table` a SELECT reads besides `keys`, when they are few
// (at most kMaxInclude), all of narrow types, and the statement reads nothing
// else of the table an index could not hold: then an index with them as
// INCLUDE columns answers it with an index-only scan. Empty otherwise.
// A column the statement only tests with IS [NOT] NULL, where the test is the partial
// index's own predicate (`partial`: null_tests made it), is not read from the index:
// PostgreSQL's index-only scan leaves out the quals the index predicate implies.
std::vector<std::string> include_columns(const sql::QueryShape& shape, const catalog::Table& table,
                                         const std::vector<std::string>& keys, bool partial) {
    if (shape.kind != sql::StatementKind::Select || shape.select_star || shape.has_subquery || !shape.cte_names.empty())
        return {};
    int ref = -1;
    for (std::size_t i = 0; i < shape.tables.size(); ++i) {
        const auto& t = shape.tables[i];
        if (t.name != table.name || (!t.schema.empty() && t.schema != table.schema)) continue;
        if (ref >= 0) return {};  // the table twice (a self-join): which columns each side reads is not tracked here
        ref = static_cast<int>(i);
    }
    if (ref < 0) return {};
    std::vector<std::string> read;
    bool unknown = false;
    auto add = [&](const sql::ColumnRef& c) {
        if (c.column.empty()) return;
        if (c.table == -1 && shape.tables.size() > 1) unknown = true;  // unqualified in a join: might be this table's
        if (c.table != ref) return;
        if (!contains(read, c.column)) read.push_back(c.column);
    };
    for (const auto& c : shape.output_columns) add(c);
    for (const auto& p : shape.predicates)
        if (!partial || !partial_null_test(p, shape, table.name, keys)) add(p.column);
    for (const auto& j : shape.joins) add(j.left), add(j.right);
    for (const auto& o : shape.order_by) {
        if (o.column.column.empty()) return {};  // an ORDER BY expression may read any column
        add(o.column);
    }
    for (const auto& g : shape.group_by) add(g);
    if (unknown) return {};
    std::vector<std::string> out;
    for (const auto& c : read) {
        if (contains(keys, c)) continue;
        const catalog::Column* col = table.column(c);
        if (!col || !narrow_type(col->type)) return {};
        out.push_back(c);
    }
    if (out.size() > kMaxInclude) return {};
    return out;
}

}  // namespace

std::string keys_display(const IndexDefinition& index) {
    std::vector<std::string> parts;
    for (const auto& k : index.keys)
        parts.push_back((k.expression.empty() ? k.column : k.expression) + (k.descending ? " DESC" : ""));
    return fmt::format("({})", join(parts));
}

namespace {

// Equality columns, most selective first: the index narrows fastest that way.
// A unique index's columns keep the ON CONFLICT order: any order works for it,
// and that one reads as written.
std::vector<std::string> order_equality_columns(const rules::IndexNeed& need, Candidate& c) {
    std::vector<std::string> eq = need.equality_columns;
    if (need.unique) return eq;
    std::vector<std::pair<std::optional<double>, std::size_t>> order;
    for (std::size_t i = 0; i < eq.size(); ++i) order.push_back({distinct_values(c.table, eq[i]), i});
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
        if (a.first && b.first) return *a.first > *b.first;
        return a.first.has_value() && !b.first.has_value();  // known before unknown; unknown keep their order
    });
    std::vector<std::string> sorted;
    std::vector<std::string> known;
    for (const auto& [d, i] : order) {
        sorted.push_back(eq[i]);
        if (d) known.push_back(fmt::format("{} ~{:.0f}", eq[i], *d));
    }
    if (sorted.size() > 1)
        c.rationale.push_back(
            known.size() == sorted.size()
                ? fmt::format("Equality columns first, the most selective first (distinct values from pg_stats: {}).",
                              join(known))
            : known.empty() ? std::string("Equality columns first, in the order the statement compares them (no "
                                          "pg_stats to rank them by selectivity).")
                            : fmt::format("Equality columns first, those with statistics by selectivity ({}), "
                                          "then the others in statement order.",
                                          join(known)));
    return sorted;
}

// Expression keys (lower(email)) compare with = too; pg_stats has nothing on
// an expression until its index exists, so they follow the plain columns, in the need's order.
void add_expression_keys(const rules::IndexNeed& need, const std::vector<std::string>& eq, Candidate& c) {
    std::vector<std::string> exprs;
    for (const auto& e : need.equality_expressions)
        if (!contains(exprs, e)) exprs.push_back(e);
    for (const auto& e : exprs) c.index.keys.push_back(expression_key(e));
    if (!exprs.empty())
        c.rationale.push_back(fmt::format(
            "{} ({}): the statement compares {} with =; an index on the bare column cannot serve that, an index on "
            "the expression can{}.",
            exprs.size() == 1 ? "An expression key" : "Expression keys", join(exprs), exprs.size() == 1 ? "it" : "them",
            eq.empty() ? ""
                       : " (after the plain equality columns: pg_stats knows nothing of an expression before its "
                         "index exists)"));
    c.equality_keys = eq.size() + exprs.size();
    c.filter_keys = c.equality_keys;
}

// An ORDER BY column as a key in the statement's direction and NULLS placement.
IndexKey order_key(const std::string& col, const sql::QueryShape* shape) {
    IndexKey k = column_key(col);
    if (shape)
        for (const auto& item : shape->order_by)
            if (item.column.column == col) {
                k.descending = item.direction == sql::SortDirection::Desc;
                // Effective NULLS placement; PostgreSQL's default is NULLS FIRST only for DESC.
                k.nulls_first = item.nulls == sql::NullsOrder::Default ? k.descending
                                                                       : item.nulls == sql::NullsOrder::First;
                break;
            }
    return k;
}

// After the equality keys a B-tree serves one range, or else gives the ORDER BY.
void add_range_or_order_keys(const rules::IndexNeed& need, const std::vector<std::string>& eq,
                             const sql::QueryShape* shape, Candidate& c) {
    if (!need.range_column.empty() && !contains(eq, need.range_column)) {
        c.index.keys.push_back(column_key(need.range_column));
        c.filter_keys = c.equality_keys + 1;
        c.rationale.push_back(
            fmt::format("Then the range column {}: a B-tree serves one range well, after the "
                        "equality columns.",
                        need.range_column));
    } else if (!need.order_columns.empty()) {
        // ORDER BY keys, in the statement's directions, so the index gives the order and the Sort goes.
        for (const auto& col : need.order_columns)
            if (!contains(eq, col)) c.index.keys.push_back(order_key(col, shape));
        c.rationale.push_back(
            fmt::format("Then the ORDER BY columns ({}) in the statement's directions: the index "
                        "returns rows in that order, so the Sort goes{}.",
                        join(need.order_columns), shape && shape->has_limit ? " and the LIMIT stops early" : ""));
    }
}

// Partial index: the rule's constant predicate (only with --show-literals),
// and IS [NOT] NULL tests, which are the same in every call by their form.
void add_partial_predicate(const rules::IndexNeed& need, const sql::QueryShape* shape, Candidate& c) {
    std::vector<std::string> preds;
    if (!need.predicate.empty()) preds.push_back(need.predicate);
    if (shape && !need.unique) {
        std::vector<std::string> key_cols;
        for (const auto& k : c.index.keys) key_cols.push_back(k.column);
        for (auto& p : null_tests(*shape, need.table, key_cols)) preds.push_back(std::move(p));
    }
    if (preds.empty()) return;
    c.index.predicate = join(preds, " AND ");
    c.rationale.push_back(
        fmt::format("Partial (WHERE {}): every call has this predicate, so the index holds only "
                    "the rows those statements can return.",
                    c.index.predicate));
    if (!need.predicate.empty() && need.predicate_fraction < 1) {
        c.predicate_fraction = need.predicate_fraction;
        c.rationale.push_back(fmt::format(
            "The plan's filter kept about {:.2g}% of the table's rows, so the index is about that share of a full "
            "one's size.",
            100 * need.predicate_fraction));
    }
}

// INCLUDE: the few narrow columns the statement reads besides the keys, for an index-only scan.
void add_include_columns(const rules::IndexNeed& need, const sql::QueryShape& shape, const catalog::Catalog& catalog,
                         Candidate& c) {
    std::vector<std::string> key_cols;
    for (const auto& k : c.index.keys)
        if (!k.column.empty()) key_cols.push_back(k.column);
    c.index.include = include_columns(shape, *c.table, key_cols, !c.index.predicate.empty());
    if (c.index.include.empty()) return;
    std::string pk;
    for (const catalog::Index* ix : catalog.indexes_of(*c.table))
        if (ix->primary && ix->keys.size() == 1 && contains(c.index.include, ix->keys[0].column))
            pk = ix->keys[0].column;
    c.rationale.push_back(fmt::format(
        "INCLUDE ({}): besides the keys the statement reads only {} of {}, all of narrow types, so an "
        "index-only scan can answer it without visiting the table (as long as VACUUM keeps the visibility "
        "map current){}.",
        join(c.index.include), c.index.include.size() == 1 ? "this column" : "these columns", need.table,
        pk.empty() ? ""
                   : fmt::format("; {} is the primary key, yet PostgreSQL's indexes point at row locations, "
                                 "not at the primary key, so it must be included too",
                                 pk)));
}

}  // namespace

std::optional<Candidate> candidate_from_need(const rules::IndexNeed& need, std::size_t finding,
                                             const workload::Workload* workload, const catalog::Catalog* catalog) {
    if (need.table.empty() || (need.equality_columns.empty() && need.equality_expressions.empty() &&
                               need.range_column.empty() && need.order_columns.empty()))
        return std::nullopt;
    Candidate c;
    c.table = find_table(catalog, need.schema, need.table);
    static const workload::TableSizes kNoEvidence;
    if (c.table) c.rows = workload::table_rows(*c.table, workload ? workload->table_sizes : kNoEvidence);
    c.index.schema = c.table ? c.table->schema : need.schema;
    c.index.table = need.table;
    c.index.unique = need.unique;
    c.findings.push_back(finding);
    if (!need.fingerprint.empty()) c.fingerprints.push_back(need.fingerprint);
    const sql::QueryShape* shape = shape_of(workload, need.fingerprint);

    const std::vector<std::string> eq = order_equality_columns(need, c);
    for (const auto& col : eq) c.index.keys.push_back(column_key(col));
    add_expression_keys(need, eq, c);
    add_range_or_order_keys(need, eq, shape, c);
    add_partial_predicate(need, shape, c);
    if (!need.unique && shape && c.table && catalog) add_include_columns(need, *shape, *catalog, c);
    if (need.unique && need.predicate.empty())
        c.rationale.push_back(
            fmt::format("Unique on exactly ({}): INSERT ... ON CONFLICT ({}) needs a unique index or "
                        "constraint on these columns to infer its arbiter.",
                        join(eq), join(eq)));
    else if (need.unique)
        c.rationale.push_back(
            fmt::format("Unique on exactly ({}) among the rows WHERE {}: INSERT ... ON CONFLICT ({}) WHERE {} "
                        "infers it as its arbiter, and a row outside them does not block a new one.",
                        join(eq), need.predicate, join(eq), need.predicate));
    return c;
}

bool serves(Candidate& wide, const Candidate& narrow, bool merge) {
    if (wide.index.table != narrow.index.table || wide.index.schema != narrow.index.schema) return false;
    if (!same_predicate(wide.index.predicate, narrow.index.predicate)) return false;
    if (narrow.index.unique && !(wide.index.unique && wide.index.keys.size() == narrow.index.keys.size() &&
                                 leading_keys_are(wide.index.keys, wide.index.keys.size(), narrow.index.keys)))
        return false;
    const std::size_t n = narrow.equality_keys;
    const std::vector<IndexKey> eq(narrow.index.keys.begin(), narrow.index.keys.begin() + static_cast<long>(n));
    const std::vector<IndexKey> tail(narrow.index.keys.begin() + static_cast<long>(n), narrow.index.keys.end());

    std::vector<IndexKey> keys = wide.index.keys;
    if (n > 0) {
        if (n <= wide.equality_keys && n >= wide.locked) {
            // The narrow statement's columns must all be among wide's free equality keys (after the locked ones).
            const std::vector<IndexKey> locked(keys.begin(), keys.begin() + static_cast<long>(wide.locked));
            for (const auto& l : locked)
                if (std::none_of(eq.begin(), eq.end(), [&](const IndexKey& k) { return same_index_key(k, l); }))
                    return false;
            std::vector<IndexKey> reordered = locked;
            for (const auto& k : eq)
                if (std::none_of(locked.begin(), locked.end(), [&](const IndexKey& l) { return same_index_key(k, l); }))
                    reordered.push_back(k);
            for (std::size_t i = wide.locked; i < wide.equality_keys; ++i)
                if (std::none_of(reordered.begin(), reordered.end(),
                                 [&](const IndexKey& r) { return same_index_key(r, keys[i]); }))
                    reordered.push_back(keys[i]);
            if (reordered.size() != wide.equality_keys) return false;  // a narrow column is not an equality key of wide
            std::copy(reordered.begin(), reordered.end(), keys.begin());
        } else if (!leading_keys_are(keys, n, eq)) {
            return false;
        }
    }
    if (!keys_follow(keys, n, tail)) return false;
    if (!merge) return true;
    if (keys != wide.index.keys) {
        IndexDefinition reordered = wide.index;
        reordered.keys = keys;
        wide.rationale.push_back(fmt::format(
            "Its equality columns then reordered to {}: the statements that need {} use it too (serving them "
            "matters more than the selectivity order).",
            keys_display(reordered), keys_display(narrow.index)));
    }
    wide.index.keys = keys;
    wide.locked = std::max(wide.locked, std::min(n, wide.equality_keys));
    for (auto f : narrow.findings)
        if (std::find(wide.findings.begin(), wide.findings.end(), f) == wide.findings.end()) wide.findings.push_back(f);
    for (const auto& fp : narrow.fingerprints)
        if (!contains(wide.fingerprints, fp)) wide.fingerprints.push_back(fp);
    // INCLUDE: the union when it stays within the cap (never on a unique index);
    // otherwise wide keeps its own and narrow's statement reads the table.
    if (!wide.index.unique && !narrow.index.include.empty()) {
        std::vector<std::string> include = wide.index.include;
        for (const auto& col : narrow.index.include)
            if (!contains(include, col) &&
                std::none_of(keys.begin(), keys.end(), [&](const IndexKey& k) { return k.column == col; }))
                include.push_back(col);
        if (include.size() <= kMaxInclude && include != wide.index.include) {
            wide.index.include = include;
            wide.rationale.push_back(
                fmt::format("INCLUDE ({}) covers the merged statements' reads too.", join(include)));
        }
    }
    if (narrow.index.keys.size() < wide.index.keys.size()) {
        // Once per kind of statement served, however many shapes need it.
        std::string sentence = fmt::format("Also serves the statements that need {}: a leading part of this index.",
                                           keys_display(narrow.index));
        if (!contains(wide.rationale, sentence)) wide.rationale.push_back(std::move(sentence));
    }
    return true;
}

namespace {

// The candidate as what its statements ask of an index: its equality keys,
// then its range key, or else its ORDER BY keys.
catalog::IndexAccess access_of(const Candidate& candidate) {
    const auto& keys = candidate.index.keys;
    const auto eq_end = keys.begin() + static_cast<long>(candidate.equality_keys);
    catalog::IndexAccess access;
    access.equality.assign(keys.begin(), eq_end);
    if (candidate.filter_keys > candidate.equality_keys && eq_end != keys.end()) access.range = *eq_end;
    else access.order.assign(eq_end, keys.end());
    access.predicate = candidate.index.predicate;
    access.unique = candidate.index.unique;
    return access;
}

}  // namespace

const catalog::Index* existing_index_serving(const catalog::Catalog& catalog, const Candidate& candidate) {
    if (!candidate.table) return nullptr;
    return catalog::serving_index(catalog, *candidate.table, access_of(candidate), catalog::ServeDepth::Whole);
}

bool index_serves_candidate(const IndexDefinition& index, const Candidate& candidate) {
    if (index.table != candidate.index.table || index.schema != candidate.index.schema) return false;
    return catalog::index_serves(index, access_of(candidate), catalog::ServeDepth::Whole);
}

std::vector<Candidate> merge_candidates(std::vector<Candidate> candidates) {
    // Unique ones first (they must exist as asked), then the widest, so narrower ones fold into them.
    std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
        if (a.index.unique != b.index.unique) return a.index.unique;
        return a.index.keys.size() > b.index.keys.size();
    });
    std::vector<Candidate> kept;
    for (auto& c : candidates) {
        bool merged = false;
        for (auto& k : kept)
            if (serves(k, c, true)) {
                merged = true;
                break;
            }
        if (!merged) kept.push_back(std::move(c));
    }
    return kept;
}

}  // namespace pgadvisor::advise
