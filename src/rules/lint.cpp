#include "rules/lint.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "catalog/ddl_loader.hpp"
#include "rules/registry.hpp"
#include "sql/parser.hpp"
#include "sql/statements.hpp"
#include "sql/text.hpp"

namespace pgadvisor::rules {
namespace {

std::string identity(const Finding& f) { return f.rule_id + "\n" + f.key; }

std::vector<Finding> run_catalog_rules(const std::vector<std::unique_ptr<Rule>>& rules, const catalog::Catalog& cat) {
    RuleInput input;
    input.catalog = &cat;
    std::vector<Finding> out;
    for (const auto& r : rules) r->finish(input, out);
    return out;
}

struct LintRules {
    std::vector<std::unique_ptr<Rule>> catalog;     // judge the schema after each statement
    std::vector<std::unique_ptr<Rule>> statements;  // judge the files' statements
};

// The enabled rules lint runs, by the kind the registry declares.
LintRules lint_rules(const RuleSet& set) {
    LintRules out;
    for (auto& rule : create_enabled_rules(set)) {
        const RuleEntry* entry = find_rule(rule->id());
        if (!entry || !runs_in_lint(*entry)) continue;
        (entry->kind == RuleKind::Catalog ? out.catalog : out.statements).push_back(std::move(rule));
    }
    return out;
}

// ---- what one statement can have changed ------------------------------
// Judging the whole schema after each statement made lint quadratic (one file of
// 3,000 tables: 21 s). A statement that creates or alters a table, or creates or
// drops an index, changes only that table (and its partitions): the catalog rules
// judge each table by itself, so only those tables can gain a finding.

using TableNames = std::set<std::string>;  // bare names: a table of that name in any schema

void add_relation(TableNames& names, const sql::RelationName& r) { names.insert(r.name); }

// The table of each index of that name, in any schema: a dropped index is gone after.
void add_tables_of_indexes(TableNames& names, const catalog::Catalog& before, const std::string& index) {
    for (const auto& i : before.indexes)
        if (i.name == index) names.insert(i.table);
}

struct ChangedTables {
    const catalog::Catalog& before;
    TableNames names;
    bool any = false;  // it may have changed any table: judge the whole schema

    void operator()(const sql::OtherStatement&) {}
    void operator()(const sql::CreateTableAs&) {}
    void operator()(const sql::Insert&) {}
    void operator()(const sql::SetSearchPath&) {}
    void operator()(const sql::CreateSchema& s) {
        for (const auto& e : s.elements) std::visit(*this, e);
    }
    void operator()(const sql::CreateTable& s) {
        add_relation(names, s.relation);
        for (const auto& p : s.parents) add_relation(names, p);
    }
    void operator()(const sql::CreateIndex& s) { add_relation(names, s.relation); }
    void operator()(const sql::AlterTable& s) {
        if (!s.on_table) {
            any = true;  // ALTER INDEX ... ATTACH PARTITION and the like
            return;
        }
        add_relation(names, s.relation);
        for (const auto& c : s.commands)
            if (!c.partition.name.empty()) add_relation(names, c.partition);
    }
    void operator()(const sql::Drop& s) {
        if (s.kind != sql::ObjectKind::Index) {
            any = true;  // a table or schema, CASCADE: what depended on it anywhere
            return;
        }
        for (const auto& o : s.objects) add_tables_of_indexes(names, before, o.name);
    }
    void operator()(const sql::Rename&) { any = true; }
    void operator()(const sql::SetSchema&) { any = true; }
};

// The tables a statement can change, read before it is applied; nullopt: any.
std::optional<TableNames> tables_changed_by(std::string_view body, const catalog::Catalog& before) {
    auto read = sql::read_statements(body);
    if (!read) return std::nullopt;
    ChangedTables changed{before, {}, false};
    for (const auto& stmt : *read.value) std::visit(changed, stmt);
    if (changed.any) return std::nullopt;
    return std::move(changed.names);
}

// The part of the schema the catalog rules need to judge those tables: the tables,
// their partitions and parents, the tables their foreign keys reference, and the
// indexes on all of them. Built without copying the rest of the schema.
catalog::Catalog slice_of(const catalog::Catalog& cat, const TableNames& names) {
    // Each pass is one short string comparison per table for the one or two names a
    // statement gives, so lint stays near linear (6,000 tables: 1 s) without a name map.
    const std::vector<std::string> wanted(names.begin(), names.end());
    auto named = [&](const std::string& name) { return std::find(wanted.begin(), wanted.end(), name) != wanted.end(); };
    using Name = std::pair<std::string, std::string>;  // schema, table
    std::set<Name> keep;
    std::set<std::string> named_qualified, parents;  // as Table::partition_of spells them
    bool partitions = false;
    for (const auto& t : cat.tables) {
        if (!named(t.name)) continue;
        keep.emplace(t.schema, t.name);
        named_qualified.insert(t.qualified_name());
        if (!t.partition_of.empty()) parents.insert(t.partition_of);
        partitions = partitions || t.partitioned || !t.partition_of.empty();
        for (const auto& c : t.constraints)
            if (c.kind == catalog::ConstraintKind::ForeignKey) keep.emplace(c.ref_schema, c.ref_table);
    }
    if (partitions)  // a partition's indexes and keys come from its parent, and go to its children
        for (const auto& t : cat.tables) {
            const bool child = !t.partition_of.empty() && named_qualified.count(t.partition_of);
            if (child || parents.count(t.qualified_name())) keep.emplace(t.schema, t.name);
        }
    std::vector<std::string> kept_names;
    for (const auto& [_, name] : keep)
        if (std::find(kept_names.begin(), kept_names.end(), name) == kept_names.end()) kept_names.push_back(name);
    auto kept = [&](const std::string& schema, const std::string& name) {
        return std::find(kept_names.begin(), kept_names.end(), name) != kept_names.end() && keep.count({schema, name});
    };
    catalog::Catalog slice;
    slice.source = cat.source;
    slice.server_version = cat.server_version;
    slice.search_path = cat.search_path;
    slice.schemas = cat.schemas;
    slice.has_statistics = cat.has_statistics;
    slice.stats_age_days = cat.stats_age_days;
    for (const auto& t : cat.tables)
        if (kept(t.schema, t.name)) slice.tables.push_back(t);
    for (const auto& i : cat.indexes)
        if (kept(i.schema, i.table)) slice.indexes.push_back(i);
    return slice;
}

// Where a statement starts for a reader: its first token past blanks and comments.
int first_token_line(sql::LineCounter& lines, std::size_t offset, std::string_view body) {
    if (auto tokens = sql::scan_tokens(body))
        for (const auto& t : *tokens.value)
            if (t.kind != sql::TokenKind::Comment) return lines.line_of(offset + t.start);
    return lines.line_of(offset);
}

// Files in the order given (their apply order), then lines, then rule.
void sort_by_place(std::vector<Finding>& findings, const std::vector<LintFile>& files) {
    std::map<std::string, std::size_t> order;
    for (std::size_t i = 0; i < files.size(); ++i) order.emplace(files[i].path, i);
    auto where = [&](const Finding& f) {
        if (f.locations.empty()) return std::make_pair(files.size(), 0L);
        auto it = order.find(f.locations[0].file);
        return std::make_pair(it == order.end() ? files.size() : it->second, f.locations[0].first_line);
    };
    std::stable_sort(findings.begin(), findings.end(), [&](const Finding& a, const Finding& b) {
        const auto wa = where(a), wb = where(b);
        if (wa != wb) return wa < wb;
        return a.rule_id < b.rule_id;
    });
}

}  // namespace

const std::vector<std::string>& lint_rule_ids() {
    static const std::vector<std::string> ids = [] {
        std::vector<std::string> v;
        for (const auto& entry : rule_registry())
            if (runs_in_lint(entry)) v.push_back(entry.id);
        return v;  // the registry is alphabetical
    }();
    return ids;
}

LintResult lint_migrations(const catalog::Catalog& base, const std::vector<LintFile>& files, const RuleSet& set) {
    const LintRules run = lint_rules(set);
    const auto& catalog_rules = run.catalog;

    LintResult result;
    std::set<std::string> before_files;
    for (const auto& f : run_catalog_rules(catalog_rules, base)) before_files.insert(identity(f));

    catalog::Catalog cat = base;
    catalog::DdlApplier applier(cat);
    const std::size_t base_errors = cat.errors.size();
    std::deque<catalog::Catalog> befores;  // stable addresses for MigrationInput::before
    std::vector<MigrationInput> migrations;
    std::map<std::string, SourceLocation> first_seen;  // identity -> statement that introduced it

    for (const auto& file : files) {
        // Each file runs in its own session: a search_path it sets does not carry over.
        const auto path_before = cat.search_path;
        befores.push_back(cat);
        migrations.push_back({file.path, file.text, &befores.back()});
        // A plain migration may hold psql meta-commands (\gexec): the SQL around them, same offsets.
        const std::string text = sql::psql_script_as_sql(file.text);
        auto spans = sql::split_statements(text);
        if (!spans) {
            applier.apply(file.text, file.path);
            cat.search_path = path_before;
            continue;
        }
        sql::LineCounter lines(text);
        for (const auto& span : *spans.value) {
            // Each statement alone, at its line, so the loader's error lines are the file's lines.
            const std::string_view body = std::string_view(text).substr(span.offset, span.length);
            const int first_line = lines.line_of(span.offset);
            const int applied = cat.statements_applied;
            const std::size_t errors_before = cat.errors.size();
            const auto changed = catalog_rules.empty() ? std::nullopt : tables_changed_by(body, cat);
            applier.apply(body, file.path, first_line);
            if (cat.errors.size() > errors_before && sql::parses(body)) {
                // It parses: the schema lacks what it refers to. Keep it apart from bad input.
                result.not_applied.insert(result.not_applied.end(),
                                          cat.errors.begin() + static_cast<std::ptrdiff_t>(errors_before),
                                          cat.errors.end());
                cat.errors.resize(errors_before);
            }
            if (catalog_rules.empty() || cat.statements_applied == applied) continue;  // schema unchanged
            const int line = first_token_line(lines, span.offset, body);
            const auto judged = changed ? run_catalog_rules(catalog_rules, slice_of(cat, *changed))
                                        : run_catalog_rules(catalog_rules, cat);
            for (const auto& f : judged) {
                const std::string id = identity(f);
                if (!before_files.count(id) && !first_seen.count(id)) first_seen[id] = {file.path, line, line};
            }
        }
        cat.search_path = path_before;
    }

    // The schema as the files leave it: findings that are new and still there.
    for (auto& f : run_catalog_rules(catalog_rules, cat)) {
        auto it = first_seen.find(identity(f));
        if (before_files.count(identity(f))) continue;
        f.locations.clear();
        if (it != first_seen.end()) f.locations.push_back(it->second);
        result.findings.push_back(std::move(f));
    }

    RuleInput input;
    input.catalog = &cat;
    input.migrations = migrations;
    for (const auto& r : run.statements) r->finish(input, result.findings);

    result.errors.assign(cat.errors.begin() + static_cast<std::ptrdiff_t>(base_errors), cat.errors.end());
    sort_by_place(result.findings, files);
    return result;
}

}  // namespace pgadvisor::rules
