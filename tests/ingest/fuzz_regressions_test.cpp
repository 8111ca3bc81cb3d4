// Inputs the fuzzers (fuzz/, docs/fuzzing.md) found crashing, kept in
// tests/fixtures/fuzz-regressions/, and the behaviour that replaced the crash.
#include <catch2/catch.hpp>

#include <climits>
#include <fstream>
#include <sstream>
#include <vector>

#include "ingest/explain.hpp"
#include "ingest/ingest.hpp"

using namespace pgadvisor::ingest;

namespace {
std::string regression(const std::string& name) {
    std::ifstream in(std::string(PGADVISOR_TEST_FIXTURES) + "/fuzz-regressions/" + name, std::ios::binary);
    REQUIRE(in);
    std::ostringstream o;
    o << in.rdbuf();
    return o.str();
}
const PlanNode* find_node(const PlanNode& n, const std::string& type) {
    if (n.node_type == type) return &n;
    for (const auto& c : n.children)
        if (auto* f = find_node(c, type)) return f;
    return nullptr;
}
}  // namespace

TEST_CASE("fuzz: an EXPLAIN text Buffers count beyond long long saturates (was a UB cast)", "[ingest][fuzz]") {
    // The crash input: a mutated plan whose Buffers lines carry a 3e117 count.
    auto r = parse_explain(regression("explain_text-buffers-count-out-of-range.txt"));
    REQUIRE_FALSE(r.plans.empty());
    CHECK(r.plans[0].format == "text");

    // The same defect, minimal: huge, nan and infinite counts, and worker numbers.
    auto m = parse_explain_text(
        "Gather  (cost=0.00..1.00 rows=1 width=4)\n"
        "  Workers Planned: 1e30\n"
        "  Workers Launched: nan\n"
        "  ->  Parallel Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)\n"
        "        Buffers: shared hit=3.1e117 read=nan dirtied=-1e300 written=12, temp read=inf\n");
    REQUIRE(m.plans.size() == 1);
    const auto& g = m.plans[0].root;
    CHECK(g.node_type == "Gather");
    CHECK(g.workers_planned == INT_MAX);
    CHECK(g.workers_launched == 0);
    const PlanNode* scan = find_node(g, "Seq Scan");
    REQUIRE(scan != nullptr);
    CHECK(scan->buffers.present);
    CHECK(scan->buffers.shared_hit == LLONG_MAX);
    CHECK(scan->buffers.shared_read == 0);
    CHECK(scan->buffers.shared_dirtied == LLONG_MIN);
    CHECK(scan->buffers.shared_written == 12);
    CHECK(scan->buffers.temp_read == LLONG_MAX);
}

TEST_CASE("fuzz: EXPLAIN JSON counts beyond their type saturate too", "[ingest][fuzz]") {
    auto r = parse_explain_json(R"([{"Plan": {"Node Type": "Sort", "Sort Space Used": 1e300,
        "Workers Planned": -1e20, "Shared Hit Blocks": 1e19, "Shared Read Blocks": 7}}])");
    REQUIRE(r.plans.size() == 1);
    const auto& n = r.plans[0].root;
    CHECK(n.sort_space_kb == LLONG_MAX);
    CHECK(n.workers_planned == INT_MIN);
    CHECK(n.buffers.shared_hit == LLONG_MAX);
    CHECK(n.buffers.shared_read == 7);
}

TEST_CASE("fuzz: a pg_stat_statements header naming a column twice cannot let a short row through",
          "[ingest][fuzz][pgss]") {
    const std::string path = std::string(PGADVISOR_TEST_FIXTURES) + "/fuzz-regressions/pgss-repeated-header-column.csv";
    std::vector<Statement> got;
    Issues issues;
    ingest_file(path, Format::Pgss, std::nullopt, issues, [&](Statement&& s) { got.push_back(std::move(s)); });
    // The 3-field row is one short of the header's 4 fields: refused at its line.
    // The 4-field row is read, `calls` from the first column of that name.
    REQUIRE(got.size() == 1);
    CHECK(got[0].text == "SELECT * FROM t WHERE id = $1");
    CHECK(got[0].calls == 3);
    CHECK(*got[0].duration_ms == Approx(1.5));
    REQUIRE(issues.count(issue::kCsvColumns) == 1);
    CHECK(issues.kinds().at(issue::kCsvColumns).examples.front() == path + ":2: 3 columns, the header has 4");
}

TEST_CASE("fuzz: the pgss crash input as libFuzzer wrote it is read without touching a missing field",
          "[ingest][fuzz][pgss]") {
    const std::string path = std::string(PGADVISOR_TEST_FIXTURES) +
                             "/fuzz-regressions/pgss-crash-5775595acb2a84c82836b7324f7a8222d36d5933.csv";
    std::vector<Statement> got;
    Issues issues;
    ingest_file(path, Format::Pgss, std::nullopt, issues, [&](Statement&& s) { got.push_back(std::move(s)); });
    // Its header has 16 fields (12 distinct names); no row has 16 fields.
    CHECK(got.empty());
    CHECK(issues.count(issue::kCsvColumns) >= 1);
}
