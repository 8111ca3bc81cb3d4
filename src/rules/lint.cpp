#include "rules/lint.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <string_view>

#include <nlohmann/json.hpp>

#include "catalog/ddl_loader.hpp"
#include "rules/registry.hpp"
#include "sql/parser.hpp"
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
            catalog::apply_ddl(cat, file.text, file.path);
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
            catalog::apply_ddl(cat, body, file.path, first_line);
            if (cat.errors.size() > errors_before && sql::parses(body)) {
                // It parses: the schema lacks what it refers to. Keep it apart from bad input.
                result.not_applied.insert(result.not_applied.end(),
                                          cat.errors.begin() + static_cast<std::ptrdiff_t>(errors_before),
                                          cat.errors.end());
                cat.errors.resize(errors_before);
            }
            if (catalog_rules.empty() || cat.statements_applied == applied) continue;  // schema unchanged
            const int line = first_token_line(lines, span.offset, body);
            for (const auto& f : run_catalog_rules(catalog_rules, cat)) {
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
