#pragma once
// `pgadvisor lint MIGRATION... [--schema FILE | --migrations DIR | --db URL]`:
// the migration rules on the files' statements, and the schema rules on the
// schema the files leave behind (rules/lint.hpp). Output like a compiler:
// file:line: severity[rule-id]: title, then note/help/fix lines; or
// --format json (each finding as in the JSON report, emit/finding_json.hpp),
// markdown (a PR comment) or sarif (code scanning), by emit/report.hpp.
// Also `pgadvisor rules [--show-config]`.

#include <string>
#include <vector>

#include "cli/catalog_source.hpp"

namespace pgadvisor::cli {

struct LintOptions {
    std::vector<std::string> files;   // in apply order
    CatalogSource catalog;            // the schema before the files; assume_rows unused (no statistics)
    std::string format = "text";      // text | json | markdown | sarif
    std::string fail_on = "warning";  // info | warning | error | none
    std::vector<std::string> rules;   // --rule ID.KEY=VALUE
};

int run_lint(const LintOptions& options);

struct RulesOptions {
    bool show_config = false;
    std::vector<std::string> rules;  // --rule ID.KEY=VALUE
};

int run_rules(const RulesOptions& options);

}  // namespace pgadvisor::cli
