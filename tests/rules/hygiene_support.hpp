#pragma once
// Helpers for the index-hygiene rule tests: a catalog from DDL text, one rule
// run with its shipped defaults (plus --rule style overrides), and the SQL
// examples of a rule's doc page.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "catalog/ddl_loader.hpp"
#include "rules/config.hpp"
#include "rules/registry.hpp"
#include "rules/rule.hpp"

namespace hygiene_test {

using namespace pgadvisor;

inline catalog::Catalog ddl(const std::string& sql) {
    catalog::Catalog c;
    catalog::apply_ddl(c, sql, "schema.sql");
    INFO("DDL errors: " << (c.errors.empty() ? "" : c.errors[0].message));
    REQUIRE(c.errors.empty());
    return c;
}

inline std::unique_ptr<rules::Rule> make_rule(const std::string& id, const std::vector<std::string>& overrides = {}) {
    auto set = rules::load_default_rules();
    for (const auto& o : overrides) rules::apply_override(set, o);
    REQUIRE(set.errors.empty());
    for (const auto& e : rules::rule_registry())
        if (id == e.id) return e.create(*set.find(id));
    FAIL("no rule " << id);
    return nullptr;
}

// The rule on a catalog alone (offline unless live is set).
inline std::vector<rules::Finding> on_catalog(const std::string& id, const catalog::Catalog& cat, bool live = false,
                                              const std::vector<std::string>& overrides = {}) {
    auto rule = make_rule(id, overrides);
    rules::RuleInput in;
    in.catalog = &cat;
    in.catalog_is_live = live;
    std::vector<rules::Finding> out;
    rule->finish(in, out);
    return out;
}

// The rule on one migration file applied to `before`; the catalog after it is what the rules see as the schema.
inline std::vector<rules::Finding> on_migration(const std::string& id, const catalog::Catalog* before,
                                                const std::string& text,
                                                const std::vector<std::string>& overrides = {}) {
    auto rule = make_rule(id, overrides);
    catalog::Catalog after = before ? *before : catalog::Catalog{};
    catalog::apply_ddl(after, text, "migration.sql");
    rules::RuleInput in;
    in.catalog = before ? &after : nullptr;
    in.migrations.push_back({"migration.sql", text, before});
    std::vector<rules::Finding> out;
    rule->finish(in, out);
    return out;
}

inline std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The fenced block of docs/rules/<id>.md whose info string is "sql <label>"
// (labels: schema, fires, quiet). Empty when the page has none.
inline std::string doc_example(const std::string& id, const std::string& label) {
    const std::string text = slurp(std::string(PGADVISOR_SOURCE_DIR) + "/docs/rules/" + id + ".md");
    const std::string fence = "```sql " + label + "\n";
    const auto start = text.find(fence);
    if (start == std::string::npos) return {};
    const auto body = start + fence.size();
    const auto end = text.find("```", body);
    return text.substr(body, end == std::string::npos ? std::string::npos : end - body);
}

}  // namespace hygiene_test
