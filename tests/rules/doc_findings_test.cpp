// Snapshot tests (squawk's habit): each rule's doc page shows, in its "Finding" block
// (```text finding), what the text report prints for the page's own example. Each test runs the
// example through the rule, first asserts that it fires once (so it cannot pass for the wrong
// reason), then compares the rendering with the block.
//
// After a deliberate change to a finding or to the text report, regenerate the blocks from the
// real code and review the diff of docs/rules/:
//   PGADVISOR_UPDATE_DOC_FINDINGS=1 build/pgadvisor_unit_tests "[doc-finding]"
// A page without a block gets one, after its example.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "catalog/ddl_loader.hpp"
#include "emit/report.hpp"
#include "ingest/explain.hpp"
#include "rule_test_support.hpp"

using namespace pgadvisor;

namespace {

const std::string kFindingFence = "```text finding\n";

std::string doc_path(const std::string& id) { return std::string(PGADVISOR_SOURCE_DIR) + "/docs/rules/" + id + ".md"; }

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A fenced block of a page: where its body starts and ends (byte offsets) and its first line (1-based).
struct Block {
    std::size_t body = 0;
    std::size_t end = 0;  // the closing fence
    long first_line = 0;
    std::string text(const std::string& page) const { return page.substr(body, end - body); }
};

// The first block whose opening fence is exactly `fence` ("```sql fires\n"), after `from`.
std::optional<Block> find_block(const std::string& page, const std::string& fence, std::size_t from = 0) {
    const auto open = page.find(fence, from);
    if (open == std::string::npos) return std::nullopt;
    Block b;
    b.body = open + fence.size();
    b.end = page.find("```", b.body);
    if (b.end == std::string::npos) return std::nullopt;
    b.first_line = 1 + static_cast<long>(std::count(page.begin(), page.begin() + static_cast<long>(b.body), '\n'));
    return b;
}

std::string doc_block(const std::string& id, const std::string& label) {
    const std::string page = slurp(doc_path(id));
    const auto b = find_block(page, "```sql " + label + "\n");
    INFO("docs/rules/" << id << ".md has no ```sql " << label << " block");
    REQUIRE(b);
    return b->text(page);
}

// The statements of a page's "sql fires" block, one per line, in one session `gap_ms` apart; each
// carries its line of the page as its source, so the rendering says where it came from.
std::vector<ingest::Statement> fires_statements(const std::string& id, double gap_ms) {
    const std::string page = slurp(doc_path(id));
    const auto b = find_block(page, "```sql fires\n");
    REQUIRE(b);
    std::istringstream lines(b->text(page));
    std::vector<ingest::Statement> out;
    std::string line;
    long number = b->first_line;
    double at = 10'000;
    for (; std::getline(lines, line); ++number) {
        if (line.empty() || line.rfind("--", 0) == 0) continue;
        out.push_back(test::statement("web-1", at, line, 0.5, "docs/rules/" + id + ".md", number));
        at += gap_ms;
    }
    return out;
}

catalog::Catalog ddl(const std::string& sql, const std::string& file) {
    catalog::Catalog c;
    catalog::apply_ddl(c, sql, file);
    INFO("DDL errors: " << (c.errors.empty() ? "" : c.errors[0].message));
    REQUIRE(c.errors.empty());
    return c;
}

std::vector<rules::Finding> finish(const std::string& id, rules::RuleInput in) {
    auto rule = test::make_rule(id);
    std::vector<rules::Finding> out;
    rule->finish(in, out);
    return out;
}

// The text report of these findings alone, from its "Findings" section on: what a user sees.
std::string rendered(const std::vector<rules::Finding>& findings) {
    emit::ReportInput in;
    in.command = "analyze";
    in.findings = &findings;
    const std::string report = emit::render_report(in, emit::ReportFormat::Text);
    const std::string heading = "Findings without a recommendation\n";
    const auto at = report.find(heading);
    REQUIRE(at != std::string::npos);
    std::string out = report.substr(at + heading.size());
    if (!out.empty() && out.front() == '\n') out.erase(0, 1);
    return out;
}

// Writes the block into the page: replaces the body of an existing one, or adds a paragraph and
// the block right after the example that fires.
void update_page(const std::string& id, const std::string& text, const std::string& fence) {
    std::string page = slurp(doc_path(id));
    if (const auto b = find_block(page, fence)) {
        page.replace(b->body, b->end - b->body, text);
    } else {
        auto fires = find_block(page, "```sql fires\n");
        if (!fires) fires = find_block(page, "```text\n", page.find("## Example"));
        REQUIRE(fires);
        const auto after = page.find('\n', fires->end) + 1;
        page.insert(after,
                    "\nFinding, as the text report prints it (generated from this example by\n"
                    "`tests/rules/doc_findings_test.cpp`):\n\n" +
                        kFindingFence + text + "```\n");
    }
    std::ofstream(doc_path(id), std::ios::binary) << page;
}

// The snapshot check itself: one finding, rendered exactly as the page shows it (in the block
// fenced `fence`: a page with a second example names its block, "```text finding join-key").
void check_against_page(const std::string& id, const std::vector<rules::Finding>& findings,
                        const std::string& fence = kFindingFence) {
    REQUIRE(findings.size() == 1);
    CHECK(findings[0].rule_id == id);
    const std::string text = rendered(findings);
    const char* update = std::getenv("PGADVISOR_UPDATE_DOC_FINDINGS");
    if (update && std::string(update) == "1") update_page(id, text, fence);
    const std::string page = slurp(doc_path(id));
    const auto block = find_block(page, fence);
    INFO("docs/rules/" << id << ".md has no ```text finding block (PGADVISOR_UPDATE_DOC_FINDINGS=1 adds it)");
    REQUIRE(block);
    INFO("regenerate with PGADVISOR_UPDATE_DOC_FINDINGS=1 if the change is deliberate");
    CHECK(block->text(page) == text);
}

// Index-hygiene rules read the schema alone: the page's "fires" block is the schema file.
void check_catalog_rule(const std::string& id, bool live = false) {
    auto cat = ddl(doc_block(id, "fires"), "schema.sql");
    if (live)
        for (auto& i : cat.indexes) i.idx_scan = 0;  // the page's premise: nothing scanned them
    rules::RuleInput in;
    in.catalog = &cat;
    in.catalog_is_live = live;
    check_against_page(id, finish(id, in));
}

// Migration rules: the page's "schema" block before, its "fires" block the migration file.
void check_migration_rule(const std::string& id) {
    const auto before = ddl(doc_block(id, "schema"), "schema.sql");
    const std::string migration = doc_block(id, "fires");
    catalog::Catalog after = before;
    catalog::apply_ddl(after, migration, "migration.sql");
    rules::RuleInput in;
    in.catalog = &after;
    in.migrations.push_back({"migration.sql", migration, &before});
    check_against_page(id, finish(id, in));
}

// Workload rules: the page's statements, `gap_ms` apart, as the pipeline feeds them.
void check_workload_rule(const std::string& id, double gap_ms) {
    auto rule = test::make_rule(id);
    const auto run = test::run_rule(*rule, fires_statements(id, gap_ms));
    check_against_page(id, run.findings);
}

}  // namespace

TEST_CASE("doc finding: check-then-insert", "[rules][check-then-insert][doc-finding]") {
    check_workload_rule("check-then-insert", 2);  // "one session, 2 ms apart"
}

TEST_CASE("doc finding: duplicate-index", "[rules][duplicate-index][doc-finding]") {
    check_catalog_rule("duplicate-index");
}

TEST_CASE("doc finding: fk-without-index", "[rules][fk-without-index][doc-finding]") {
    check_catalog_rule("fk-without-index");
}

TEST_CASE("doc finding: index-not-concurrently", "[rules][index-not-concurrently][doc-finding]") {
    check_migration_rule("index-not-concurrently");
}

TEST_CASE("doc finding: n-plus-one", "[rules][n-plus-one][doc-finding]") {
    check_workload_rule("n-plus-one", 3);  // "one session, 3 ms apart"
}

TEST_CASE("doc finding: redundant-index", "[rules][redundant-index][doc-finding]") {
    check_catalog_rule("redundant-index");
}

namespace {

// The first ```text block after `section` of a rule's page, a plan, as a standalone
// EXPLAIN file read at its line of the page.
workload::Workload page_plan_workload(const std::string& rule, const std::string& section) {
    const std::string page = slurp(doc_path(rule));
    const auto plan = find_block(page, "```text\n", page.find(section));
    REQUIRE(plan);
    auto parsed = ingest::parse_explain(plan->text(page));
    REQUIRE(parsed.plans.size() == 1);
    workload::Workload w;
    w.standalone_plans.push_back(std::make_shared<ingest::Plan>(std::move(parsed.plans[0])));
    w.plan_sources.push_back("docs/rules/" + rule + ".md:" + std::to_string(plan->first_line));
    return w;
}

}  // namespace

TEST_CASE("doc finding: seq-scan", "[rules][seq-scan][doc-finding]") {
    // The page's example is a plan (the first ```text block of its Example section), read as a
    // standalone EXPLAIN file at its line of the page.
    const workload::Workload w = page_plan_workload("seq-scan", "## Example");
    rules::RuleInput in;
    in.workload = &w;
    check_against_page("seq-scan", finish("seq-scan", in));
}

TEST_CASE("doc finding: seq-scan join keys", "[rules][seq-scan][doc-finding]") {
    // The page's join-key example: the first ```text block of its "Join keys" section, a plan.
    const workload::Workload w = page_plan_workload("seq-scan", "### Join keys");
    rules::RuleInput in;
    in.workload = &w;
    check_against_page("seq-scan", finish("seq-scan", in), "```text finding join-key\n");
}

TEST_CASE("doc finding: unused-index", "[rules][unused-index][doc-finding]") {
    check_catalog_rule("unused-index", /*live=*/true);
}

TEST_CASE("doc finding: upsert-without-unique-index", "[rules][upsert-without-unique-index][doc-finding]") {
    check_migration_rule("upsert-without-unique-index");
}

TEST_CASE("doc finding: every registered rule has a snapshot test above", "[rules][doc-finding]") {
    // A new rule (scripts/new-rule) must add its TEST_CASE here: its page needs a Finding block.
    for (const auto& entry : rules::rule_registry()) {
        INFO("rule " << entry.id);
        CHECK(slurp(doc_path(entry.id)).find(kFindingFence) != std::string::npos);
    }
}
