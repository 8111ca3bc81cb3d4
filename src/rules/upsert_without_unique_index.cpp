#include "rules/upsert_without_unique_index.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <set>
#include <variant>

#include "catalog/resolve.hpp"
#include "rules/index_facts.hpp"
#include "sql/text.hpp"
#include "rules/migration_statements.hpp"

namespace pgadvisor::rules {
namespace {

// The conflict target as the catalog writes index keys: a column name, or an
// expression in canonical form (sql/canonical.hpp), so lower(email) matches an
// index on lower(email) whether it came from DDL or from a live server.
struct Target {
    std::vector<std::string> keys;     // in the order written
    std::vector<std::string> columns;  // the plain-column keys, for the fix
    bool has_expression = false;
    std::string predicate;   // canonical ON CONFLICT (...) WHERE, empty when none
    std::string constraint;  // ON CONFLICT ON CONSTRAINT name
};

Target read_target(const sql::OnConflictTarget& infer) {
    Target t;
    for (const auto& k : infer.keys) {
        if (!k.column.empty()) {
            t.keys.push_back(k.column);
            t.columns.push_back(k.column);
        } else {
            t.keys.push_back(k.expression);
            t.has_expression = true;
        }
    }
    t.predicate = infer.predicate;
    t.constraint = infer.constraint;
    return t;
}

std::string key_of(const catalog::IndexKey& k) { return k.column.empty() ? k.expression : k.column; }

// PostgreSQL infers an arbiter index when it is unique and valid, its keys are
// exactly the target's (as a set), and its predicate, if any, is implied by the
// target's WHERE. Implication is approximated by equality of canonical texts;
// a non-partial unique index always qualifies.
bool arbiter_exists(const catalog::Catalog& cat, const catalog::Table& table, const Target& t) {
    const std::set<std::string> want(t.keys.begin(), t.keys.end());
    for (const auto* index : cat.indexes_of(table)) {
        if (!index->unique || !index->valid) continue;
        std::set<std::string> have;
        for (const auto& k : index->keys) have.insert(key_of(k));
        if (have != want || index->keys.size() != t.keys.size()) continue;
        if (index->predicate.empty() || index->predicate == t.predicate) return true;
    }
    return false;
}

bool constraint_exists(const catalog::Catalog& cat, const catalog::Table& table, const std::string& name) {
    for (const auto& c : table.constraints)
        if (c.name == name && c.kind != catalog::ConstraintKind::ForeignKey) return true;
    const auto* index = cat.find_index(table.schema, name);
    return index && index->unique;
}

class UpsertWithoutUniqueIndex : public Rule {
public:
    using Rule::Rule;

    void finish(const RuleInput& input, std::vector<Finding>& out) override {
        for (const auto& m : input.migrations) {
            // The schema as it stands after the files under review (an index created
            // later in the same change still counts), else as it stood before this file.
            const catalog::Catalog* cat = input.catalog ? input.catalog : m.before;
            if (!cat) continue;  // no schema: nothing to compare with
            for (const auto& s : migration_statements(m.text)) {
                const auto* insert = std::get_if<sql::Insert>(&s.statement);
                // No ON CONFLICT, or DO NOTHING without a target: no arbiter needed.
                if (!insert || !insert->conflict_target) continue;
                const sql::RelationName& rel = insert->relation;
                const catalog::Table* table = catalog::resolve_table(*cat, rel.schema, rel.name);
                if (!table) continue;  // unknown table: the rule cannot tell
                const Target t = read_target(*insert->conflict_target);
                if (!t.constraint.empty()) {
                    if (!constraint_exists(*cat, *table, t.constraint)) report(*cat, m, s, *table, t, out);
                } else if (!t.keys.empty() && !arbiter_exists(*cat, *table, t)) {
                    report(*cat, m, s, *table, t, out);
                }
            }
        }
    }

private:
    void report(const catalog::Catalog& cat, const MigrationInput& m, const MigrationStatement& s,
                const catalog::Table& table, const Target& t, std::vector<Finding>& out) const {
        Finding f = make_finding();
        f.schema = table.schema;
        f.table = table.name;
        const std::string target = t.constraint.empty() ? fmt::format("({})", sql::join(t.keys))
                                                        : "ON CONSTRAINT " + t.constraint;
        if (!t.constraint.empty()) {
            // It may be an exclusion constraint, which the catalog does not model.
            f.confidence = Confidence::Medium;
            f.title = fmt::format("INSERT ... ON CONFLICT ON CONSTRAINT {} on {}: no such unique constraint",
                                  t.constraint, table.qualified_name());
            f.explanation = fmt::format(
                "{} has no primary key, unique constraint or unique index named {}. PostgreSQL rejects the statement "
                "(constraint \"{}\" for table \"{}\" does not exist) unless it is an exclusion constraint.",
                table.qualified_name(), t.constraint, t.constraint, table.name);
            f.fix = "Name an existing unique constraint, or create it before this statement.";
        } else {
            f.confidence = Confidence::High;
            f.title = fmt::format("INSERT ... ON CONFLICT {} on {} has no unique index on exactly those keys", target,
                                  table.qualified_name());
            f.explanation = fmt::format(
                "ON CONFLICT {}{} needs a valid unique index or constraint on {} whose keys are exactly {} (in any "
                "order){}. There is none, so PostgreSQL rejects the statement: \"there is no unique or exclusion "
                "constraint matching the ON CONFLICT specification\". A unique index on more columns does not count: "
                "it does not make {} unique.",
                target, t.predicate.empty() ? "" : " WHERE " + t.predicate, table.qualified_name(), target,
                t.predicate.empty() ? "" : ", non-partial or partial with that same predicate", target);
            f.fix =
                "Create the unique index first (concurrently, after removing duplicate rows: the query below finds "
                "them), or change the conflict target to the keys of an existing unique index.";
            if (!t.has_expression && !t.columns.empty()) {
                IndexNeed need = unique_index_need(table.schema, table.name, t.columns, t.predicate);
                f.fix_sql = unique_index_fix_sql(&cat, need);
                f.index_needs.push_back(std::move(need));
            }
        }
        f.locations.push_back({m.file, s.line, s.line});
        f.key = fmt::format("{}:{}:{}", m.file, table.qualified_name(), target);
        out.push_back(std::move(f));
    }
};

}  // namespace

std::unique_ptr<Rule> create_upsert_without_unique_index(const RuleConfig& config) {
    return std::make_unique<UpsertWithoutUniqueIndex>(config);
}

}  // namespace pgadvisor::rules
