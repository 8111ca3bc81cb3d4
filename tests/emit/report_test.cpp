// The four report formats over one hand-built analysis: findings of several
// rules, recommendations with every GainMethod, written migration files and
// input problems. Each test asserts what must be there first, then compares
// to a reviewed golden file (PGADVISOR_UPDATE_GOLDEN=1 rewrites them).

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "emit/report.hpp"
#include "emit/report_common.hpp"
#include "emit/rule_docs.hpp"
#include "rules/registry.hpp"

using namespace pgadvisor;
using nlohmann::json;

namespace {

const std::string kGoldenDir = std::string(PGADVISOR_TEST_FIXTURES) + "/emit/reports/";
// Values a workload sampled from the log: user data that no report may print.
const std::string kSampleEmail = "carol.secret@example.org";
const std::string kSampleCard = "4111-1111-1111-1111";

void check_golden(const std::string& name, const std::string& actual) {
    const std::string path = kGoldenDir + name;
    if (const char* update = std::getenv("PGADVISOR_UPDATE_GOLDEN"); update && std::string(update) == "1") {
        std::ofstream(path, std::ios::binary) << actual;
        WARN("rewrote " << path);
        return;
    }
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    std::stringstream expected;
    expected << in.rdbuf();
    CHECK(actual == expected.str());
}

rules::StatementEvidence evidence(const std::string& fp, const std::string& sql, long long calls, double mean,
                                  const std::string& file, long line) {
    rules::StatementEvidence e;
    e.fingerprint = fp;
    e.normalized = sql;
    e.calls = calls;
    e.mean_ms = mean;
    e.total_ms = mean * static_cast<double>(calls);
    e.p95_ms = mean * 2;
    e.max_ms = mean * 5;
    e.locations.push_back({file, line, line});
    return e;
}

rules::Finding finding(const std::string& rule, rules::Severity sev, const std::string& title, const std::string& key) {
    rules::Finding f;
    f.rule_id = rule;
    f.severity = sev;
    f.title = title;
    f.key = key;
    return f;
}

struct Fixture {
    ingest::IngestReport ingest;
    workload::Workload workload;
    std::vector<rules::Finding> findings;
    std::vector<advise::Recommendation> recommendations;
    emit::ReportInput input;

    Fixture() {
        build_ingest();
        build_workload();
        build_findings();
        build_recommendations();
        input.command = "check";
        input.tool_version = "0.1.0-test";
        input.inputs = {"logs/", "/var/log/postgresql/postgresql-15-main.log"};
        input.ingest = &ingest;
        input.workload = &workload;
        input.catalog_source = "schema.sql";
        input.findings = &findings;
        input.recommendations = &recommendations;
        input.migrations = {{"migrations/0001_orders_customer_id_idx.sql", emit::FileRole::Up, 0},
                            {"migrations/0001_orders_customer_id_idx.down.sql", emit::FileRole::Down, 0},
                            {"migrations/0002_users_email_key.sql", emit::FileRole::Up, 3},
                            {"migrations/review/0003_order_items_batch.sql", emit::FileRole::Review, 4}};
        input.notes = {"catalog: 2 tables have no statistics (ANALYZE not run)",
                       "advise: HypoPG not installed; offline estimates used"};
        input.baseline_suppressed = 3;
        input.fail_on = rules::Severity::Warning;
        input.failed = true;
    }

    void build_ingest() {
        ingest.files.push_back({"logs/app.log", ingest::Format::Auto, "", "%m [%p] ", 1200, 5000, ""});
        ingest.files.push_back({"logs/old.log.gz", ingest::Format::Auto, "gzip", "", 0, 0, "unexpected end of file"});
        ingest.statements = 1200;
        ingest.issues.add(ingest::issue::kPrefixMismatch, "logs/app.log", 17, "line skipped");
        ingest.issues.add(ingest::issue::kPrefixMismatch, "logs/app.log", 90, "line skipped");
        ingest.issues.add(ingest::issue::kTruncated, "logs/app.log", 5000, "statement cut at end of file");
    }

    void build_workload() {
        workload::ShapeInfo shape;
        shape.fingerprint = "a1b2c3";
        shape.normalized = "SELECT * FROM users WHERE email = $1";
        shape.samples = {{workload::LiteralValue{kSampleEmail, true}}, {workload::LiteralValue{kSampleCard, true}}};
        workload.shapes.push_back(shape);
        workload.shapes.push_back(shape);
        workload.shapes.back().id = 1;
        workload.sessions = 12;
        workload.total_ms = 600'000;
        workload.span_ms = 3'600'000;
        // The app tags its framework and driver, as Django's sqlcommenter middleware does.
        workload::OrmDetector orm;
        for (int i = 0; i < 40; ++i) orm.add_execution({{"framework", "django:4.2"}, {"db_driver", "psycopg2"}}, "");
        workload.orm = orm.result();
    }

    void build_findings() {
        auto n1 = finding("n-plus-one", rules::Severity::Warning, "N+1: order_items looked up once per order",
                          "fp-items");
        n1.confidence = rules::Confidence::High;
        n1.explanation = "SELECT on order_items ran 50 times in one request, only order_id changing.";
        n1.statements.push_back(
            evidence("fp-items", "SELECT * FROM order_items WHERE order_id = $1", 5000, 0.8, "logs/app.log", 120));
        n1.locations.push_back({"logs/app.log", 120, 170});
        n1.request = "route=/orders";
        n1.fix = "Fetch all items in one statement with = ANY($1).";
        n1.rewrite_sql = "SELECT * FROM order_items WHERE order_id = ANY($1)";
        n1.estimated_gain_ms = 3500;
        n1.gain_method = "round trips saved";
        findings.push_back(n1);

        auto seq = finding("seq-scan", rules::Severity::Error, "Seq Scan on orders filtering customer_id", "fp-orders");
        seq.explanation = "The plan read 2,000,000 rows to return 3.";
        seq.statements.push_back(evidence("fp-orders", "SELECT id, total FROM orders WHERE customer_id = $1", 900, 95.0,
                                          "/var/log/postgresql/postgresql-15-main.log", 4410));
        seq.locations.push_back({"/var/log/postgresql/postgresql-15-main.log", 4410, 4422});
        seq.table = "orders";
        seq.fix = "Index orders (customer_id).";
        seq.fix_sql =
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders USING btree (customer_id);";
        rules::IndexNeed need;
        need.table = "orders";
        need.equality_columns = {"customer_id"};
        need.fingerprint = "fp-orders";
        seq.index_needs.push_back(need);
        findings.push_back(seq);

        auto cti = finding("check-then-insert", rules::Severity::Warning, "SELECT then INSERT on users by email",
                           "fp-users");
        cti.statements.push_back(
            evidence("fp-users", "SELECT id FROM users WHERE email = $1", 300, 1.5, "logs/app.log", 300));
        cti.fix = "Use INSERT ... ON CONFLICT (email) DO NOTHING.";
        cti.rewrite_sql = "INSERT INTO users (email) VALUES ($1) ON CONFLICT (email) DO NOTHING";
        findings.push_back(cti);

        auto dup = finding("duplicate-index", rules::Severity::Warning,
                           "Index users_email_idx duplicates users_email_key", "users_email_idx");
        dup.locations.push_back({"migrations/0007_add_email_idx.sql", 3, 0});
        dup.fix = "Drop users_email_idx.";
        dup.fix_sql = "DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;";
        findings.push_back(dup);

        auto conc = finding("index-not-concurrently", rules::Severity::Error,
                            "CREATE INDEX without CONCURRENTLY on existing table payments", "0008_payments.sql:2");
        conc.locations.push_back({"migrations/0008_payments.sql", 2, 2});
        conc.fix = "Add CONCURRENTLY; it cannot run inside a transaction.";
        conc.fix_sql = "CREATE INDEX CONCURRENTLY payments_user_id_idx ON payments (user_id);";
        findings.push_back(conc);

        // An explanation carrying an address: the report prints what findings carry, as given.
        auto fk = finding("fk-without-index", rules::Severity::Info, "Foreign key invoices.customer_id has no index",
                          "invoices_customer_id_fkey");
        fk.explanation = "Reported by owner dba@example.com in the schema comment.";
        fk.locations.push_back({"schema.sql", 40, 44});
        fk.fix = "Index invoices (customer_id).";
        findings.push_back(fk);
    }

    advise::Recommendation rec(advise::RecommendationKind kind, const std::string& title, advise::GainMethod method,
                               double ms_total, std::size_t finding_index) {
        advise::Recommendation r;
        r.kind = kind;
        r.title = title;
        r.findings = {finding_index};
        r.rule_ids = {findings[finding_index].rule_id};
        r.statements = findings[finding_index].statements;
        r.gain.method = method;
        r.gain.method_detail = std::string("estimated by ") + advise::to_string(method);
        r.gain.ms_total = ms_total;
        r.gain.ms_per_hour = ms_total;  // one hour observed
        r.gain.share_of_db_time = ms_total / 600'000;
        r.gain.ms_per_call = ms_total / 1000;
        r.gain.confidence = rules::Confidence::Medium;
        r.key = title;
        return r;
    }

    advise::IndexDefinition index(const std::string& table, const std::string& name, const std::string& column,
                                  bool unique = false) {
        advise::IndexDefinition d;
        d.table = table;
        d.name = name;
        d.keys.push_back({column, "", false, false});
        d.unique = unique;
        return d;
    }

    void build_recommendations() {
        using K = advise::RecommendationKind;
        using M = advise::GainMethod;
        auto a = rec(K::CreateIndex, "Index orders (customer_id)", M::HypoPG, 80'000, 1);
        a.index = index("orders", "orders_customer_id_idx", "customer_id");
        a.gain.cost_before = 41234.5;
        a.gain.cost_after = 8.4;
        a.gain.confidence = rules::Confidence::High;
        a.write_cost = {120, "observed in the log", "one more index entry per INSERT"};
        a.rationale = "customer_id is compared with =";
        recommendations.push_back(a);

        auto b = rec(K::CreateIndex, "Index order_items (order_id) | covering `total`", M::RealIndexRolledBack, 9'000,
                     0);
        b.index = index("order_items", "order_items_order_id_idx", "order_id");
        b.index.include = {"total"};
        b.index.predicate = "deleted_at IS NULL";
        recommendations.push_back(b);

        auto c = rec(K::CreateIndex, "Index orders (created_at DESC)", M::PlanActualTimes, 1'200, 1);
        c.index = index("orders", "orders_created_at_idx", "created_at");
        c.index.keys[0].descending = true;
        recommendations.push_back(c);

        auto d = rec(K::CreateUniqueIndex, "Unique index users (email) for ON CONFLICT", M::CostModel, 700, 2);
        d.index = index("users", "users_email_key", "email", true);
        d.duplicates_check_sql =
            "SELECT email, count(*) FROM users WHERE email IS NOT NULL GROUP BY email HAVING count(*) > 1";
        recommendations.push_back(d);

        auto e = rec(K::RewriteStatement, "Batch the order_items lookups", M::RoundTrips, 3'500, 0);
        // A statement with a fence inside must not close the Markdown code block.
        e.review_sql = "SELECT /* ``` */ * FROM order_items WHERE order_id = ANY($1)";
        e.findings = {0};
        recommendations.push_back(e);
    }
};

bool has_esc(const std::string& s) { return s.find('\x1b') != std::string::npos; }

}  // namespace

TEST_CASE("report formats are named on the command line", "[report]") {
    CHECK(emit::report_format_from_string("text") == emit::ReportFormat::Text);
    CHECK(emit::report_format_from_string("json") == emit::ReportFormat::Json);
    CHECK(emit::report_format_from_string("markdown") == emit::ReportFormat::Markdown);
    CHECK(emit::report_format_from_string("sarif") == emit::ReportFormat::Sarif);
    CHECK_FALSE(emit::report_format_from_string("html"));
}

TEST_CASE("text report: summary, recommendations by impact, findings, problems, verdict", "[report]") {
    Fixture fx;
    const std::string out = emit::render_report(fx.input, emit::ReportFormat::Text);
    REQUIRE(fx.findings.size() == 6);
    CHECK(out.find("2 input(s) read, 1200 statements, 2 shapes, 12 sessions, 10.0 min of database time") !=
          std::string::npos);
    const auto high = out.find("High impact"), medium = out.find("Medium impact"), low = out.find("Low impact");
    REQUIRE(high != std::string::npos);
    REQUIRE(medium != std::string::npos);
    REQUIRE(low != std::string::npos);
    CHECK(high < medium);
    CHECK(medium < low);
    CHECK(out.find("method: hypopg — estimated by hypopg") != std::string::npos);
    CHECK(out.find("wrote migrations/0001_orders_customer_id_idx.sql (up)") != std::string::npos);
    CHECK(out.find("at migrations/0008_payments.sql:2") != std::string::npos);
    CHECK(out.find("logs/app.log:17: line skipped") != std::string::npos);
    CHECK(out.find("logs/old.log.gz: unexpected end of file") != std::string::npos);
    CHECK(out.find("check FAILED: --fail-on warning; 3 finding(s) suppressed by the baseline") != std::string::npos);
    // Findings a recommendation covers are not listed again in full: one line, what fixes them.
    CHECK(out.find("[seq-scan]\n    fixed by migrations/0001_orders_customer_id_idx.sql") != std::string::npos);
    CHECK(out.find("Index orders (customer_id).") == std::string::npos);  // the seq-scan finding's own fix
    CHECK_FALSE(has_esc(out));
    check_golden("report.txt", out);
}

TEST_CASE("each finding a recommendation fixes names what fixes it, in every format (issue 18)", "[report]") {
    Fixture fx;
    // The seq-scan finding: the migration that builds its index, and a recommendation with no file (its key).
    const std::string seq_fixes = "migrations/0001_orders_customer_id_idx.sql, Index orders (created_at DESC)";
    const std::string text = emit::render_report(fx.input, emit::ReportFormat::Text);
    const auto fixed = text.find("Findings a recommendation fixes");
    const auto without = text.find("Findings without a recommendation");
    REQUIRE(fixed != std::string::npos);
    REQUIRE(without != std::string::npos);
    const std::string fixed_part = text.substr(fixed, without - fixed);
    CHECK(fixed_part.find("Seq Scan on orders filtering customer_id [seq-scan]\n    fixed by " + seq_fixes) !=
          std::string::npos);
    CHECK(fixed_part.find("fixed by migrations/0002_users_email_key.sql") != std::string::npos);
    CHECK(fixed_part.find("migrations/review/0003_order_items_batch.sql") != std::string::npos);
    // A finding no recommendation fixes stays where it was, and only there.
    CHECK(fixed_part.find("[duplicate-index]") == std::string::npos);
    CHECK(text.substr(without).find("[duplicate-index]") != std::string::npos);
    CHECK(text.substr(without).find("[seq-scan]") == std::string::npos);

    const json doc = json::parse(emit::render_report(fx.input, emit::ReportFormat::Json));
    CHECK(doc.at("findings")[1].at("fixed_by") ==
          json::array({"migrations/0001_orders_customer_id_idx.sql", "Index orders (created_at DESC)"}));
    CHECK(doc.at("findings")[3].at("fixed_by") == json::array());

    const std::string md = emit::render_report(fx.input, emit::ReportFormat::Markdown);
    CHECK(md.find("### Findings a recommendation fixes") != std::string::npos);
    CHECK(
        md.find("Seq Scan on orders filtering customer_id — fixed by ` migrations/0001_orders_customer_id_idx.sql `") !=
        std::string::npos);

    const json sarif = json::parse(emit::render_report(fx.input, emit::ReportFormat::Sarif));
    const json& result = sarif.at("runs")[0].at("results")[1];
    CHECK(result.at("properties").at("fixedBy")[0] == "migrations/0001_orders_customer_id_idx.sql");
    CHECK(result.at("message").at("text").get<std::string>().find("Fixed by " + seq_fixes + ".") != std::string::npos);
}

TEST_CASE("the summary says 1 session, and sessions unknown where the statements name none (issue 18)", "[report]") {
    Fixture fx;
    fx.workload.sessions = 1;
    CHECK(emit::render_report(fx.input, emit::ReportFormat::Text).find(" shapes, 1 session, ") != std::string::npos);
    fx.workload.shapes.resize(1);
    fx.ingest.statements = 1;
    CHECK(emit::render_report(fx.input, emit::ReportFormat::Text).find(" 1 statement, 1 shape, 1 session, ") !=
          std::string::npos);
    // pg_stat_statements rows carry no session: the workload counts none.
    fx.workload.sessions = 0;
    const std::string text = emit::render_report(fx.input, emit::ReportFormat::Text);
    CHECK(text.find(" 1 shape, sessions unknown, ") != std::string::npos);
    CHECK(text.find("0 sessions") == std::string::npos);
    const json doc = json::parse(emit::render_report(fx.input, emit::ReportFormat::Json));
    CHECK(doc.at("summary").at("sessions_known") == false);
    CHECK(emit::render_report(fx.input, emit::ReportFormat::Markdown).find("| 2 | 1 | 1 | unknown |") !=
          std::string::npos);
}

TEST_CASE("text report is coloured only when asked", "[report]") {
    Fixture fx;
    emit::RenderOptions color;
    color.color = true;
    const std::string out = emit::render_report(fx.input, emit::ReportFormat::Text, color);
    CHECK(has_esc(out));
    CHECK(out.find("\x1b[1;31mFAILED\x1b[0m") != std::string::npos);
}

TEST_CASE("json report: versioned, complete, findings and recommendations linked", "[report]") {
    Fixture fx;
    const std::string out = emit::render_report(fx.input, emit::ReportFormat::Json);
    const json doc = json::parse(out);
    REQUIRE(doc.at("findings").size() == 6);
    CHECK(doc.at("pgadvisor_report") == 1);
    CHECK(doc.at("tool").at("version") == "0.1.0-test");
    CHECK(doc.at("summary").at("db_time_ms") == 600000.0);
    const auto& recs = doc.at("recommendations");
    REQUIRE(recs.size() == 5);
    std::set<std::string> methods;
    for (std::size_t r = 0; r < recs.size(); ++r) {
        methods.insert(recs[r].at("gain").at("method").get<std::string>());
        for (const auto& fi : recs[r].at("findings")) {
            const auto& f = doc.at("findings").at(fi.get<std::size_t>());
            CHECK(f.at("rule") == recs[r].at("rules").at(0));
            bool back = false;
            for (const auto& ri : f.at("recommendations")) back |= ri.get<std::size_t>() == r;
            CHECK(back);
        }
        for (const auto& mi : recs[r].at("migrations"))
            CHECK(doc.at("migrations").at(mi.get<std::size_t>()).at("recommendation") == r);
    }
    CHECK(methods.size() == 5);
    CHECK(recs[0].at("sql") ==
          "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_id_idx ON orders USING btree (customer_id);");
    CHECK(doc.at("findings")[1].at("index_needs")[0].at("equality_columns")[0] == "customer_id");
    CHECK(doc.at("input_problems").size() == 3);
    CHECK(doc.at("check").at("failed") == true);
    CHECK(doc.at("check").at("baseline_suppressed") == 3);
    check_golden("report.json", out);
}

TEST_CASE("json report of analyze has no check verdict", "[report]") {
    Fixture fx;
    fx.input.command = "analyze";
    const json doc = json::parse(emit::render_report(fx.input, emit::ReportFormat::Json));
    CHECK(doc.at("check").is_null());
}

TEST_CASE("sarif report: rules from the registry with their doc pages, results point at them", "[report]") {
    Fixture fx;
    const std::string out = emit::render_report(fx.input, emit::ReportFormat::Sarif);
    json doc = json::parse(out);
    CHECK(doc.at("version") == "2.1.0");
    CHECK(doc.at("$schema") == "https://json.schemastore.org/sarif-2.1.0.json");
    REQUIRE(doc.at("runs").size() == 1);
    auto& run = doc.at("runs")[0];
    auto& rules_json = run.at("tool").at("driver").at("rules");
    REQUIRE(rules_json.size() == rules::rule_registry().size());
    for (std::size_t i = 0; i < rules_json.size(); ++i) {
        const std::string id = rules::rule_registry()[i].id;
        CHECK(rules_json[i].at("id") == id);
        CHECK_FALSE(emit::rule_doc(id).empty());
        CHECK(rules_json[i].at("help").at("text") == std::string(emit::rule_doc(id)));
        CHECK_FALSE(rules_json[i].at("shortDescription").at("text").get<std::string>().empty());
        const std::string full = rules_json[i].at("fullDescription").at("text");
        CHECK_FALSE(full.empty());
        CHECK(full.front() != '#');  // the first paragraph, not the heading
        CHECK(std::string(emit::rule_doc(id)).find(full.substr(0, 20)) != std::string::npos);
        CHECK(rules_json[i].at("help").at("markdown") == std::string(emit::rule_doc(id)));
        // The project has no public address: no helpUri pointing at a made-up one (issue 18).
        CHECK_FALSE(rules_json[i].contains("helpUri"));
    }
    CHECK_FALSE(run.at("tool").at("driver").contains("informationUri"));
    const auto& results = run.at("results");
    REQUIRE(results.size() == 6);
    const char* levels[] = {"warning", "error", "warning", "warning", "error", "note"};
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto& r = results[i];
        CHECK(rules_json.at(r.at("ruleIndex").get<std::size_t>()).at("id") == r.at("ruleId"));
        CHECK(r.at("level") == levels[i]);
        CHECK(r.at("partialFingerprints").at("pgadvisorKey/v1") == fx.findings[i].rule_id + ":" + fx.findings[i].key);
    }
    const auto& n1_loc = results[0].at("locations")[0].at("physicalLocation");
    CHECK(n1_loc.at("artifactLocation").at("uri") == "logs/app.log");
    CHECK(n1_loc.at("region").at("startLine") == 120);
    CHECK(n1_loc.at("region").at("endLine") == 170);
    CHECK(results[1].at("locations")[0].at("physicalLocation").at("artifactLocation").at("uri") ==
          "file:///var/log/postgresql/postgresql-15-main.log");
    // The check-then-insert finding has no location of its own: its statement's is used.
    CHECK(results[2].at("locations")[0].at("physicalLocation").at("region").at("startLine") == 300);
    CHECK(results[1].at("properties").at("recommendations")[0].at("method") == "hypopg");
    // The doc pages change on their own; the snapshot keeps everything else.
    for (auto& rule : rules_json) {
        rule["fullDescription"]["text"] = "<first paragraph of docs/rules/" + rule.at("id").get<std::string>() + ".md>";
        rule["help"] = {{"text", "<docs page>"}, {"markdown", "<docs page>"}};
    }
    check_golden("report.sarif", doc.dump(2) + "\n");
}

TEST_CASE("markdown report: tables, details with SQL fences, escapes", "[report]") {
    Fixture fx;
    const std::string out = emit::render_report(fx.input, emit::ReportFormat::Markdown);
    REQUIRE(fx.recommendations.size() == 5);
    CHECK(out.find("## pgadvisor check") == 0);
    CHECK(out.find("| High | Index orders (customer_id) | 1.3 min | hypopg |") != std::string::npos);
    CHECK(out.find("order_items (order_id) \\| covering \\`total\\`") != std::string::npos);
    CHECK(std::count(out.begin(), out.end(), '\n') > 50);
    CHECK(out.find("<details>") != std::string::npos);
    // The statement holding ``` is fenced with four backticks.
    CHECK(out.find("````sql\nSELECT /* ``` */ * FROM order_items WHERE order_id = ANY($1)\n````") != std::string::npos);
    CHECK(out.find("left out") == std::string::npos);
    check_golden("report.md", out);
}

TEST_CASE("markdown report of lint: its verdict and findings, no workload table", "[report][lint]") {
    // lint reads migration files: no log, no recommendations (issue 18: lint --format markdown).
    Fixture fx;
    std::vector<rules::Finding> lint_findings = {fx.findings[3], fx.findings[4]};
    emit::ReportInput input;
    input.command = "lint";
    input.inputs = {"db/migrations/0042_orders.sql"};
    input.findings = &lint_findings;
    input.fail_on = rules::Severity::Warning;
    input.failed = true;
    const std::string out = emit::render_report(input, emit::ReportFormat::Markdown);
    REQUIRE(!lint_findings.empty());
    CHECK(out.find("## pgadvisor lint\n\n**Lint failed** at `--fail-on warning`: 2 findings in 1 migration file") == 0);
    CHECK(out.find("Statements") == std::string::npos);  // the workload table is check's and analyze's
    CHECK(out.find("### Findings\n") != std::string::npos);
    CHECK(out.find("without a recommendation") == std::string::npos);
    for (const auto& f : lint_findings) CHECK(out.find("` " + f.rule_id + " `") != std::string::npos);
}

TEST_CASE("markdown report stays under its limit with 2,000 findings", "[report]") {
    Fixture fx;
    for (int i = 0; i < 2000; ++i) {
        auto f = fx.findings[3];
        f.key = "idx_" + std::to_string(i);
        f.title = "Index idx_" + std::to_string(i) + " duplicates another index";
        fx.findings.push_back(f);
    }
    REQUIRE(fx.findings.size() == 2006);
    const std::string full = emit::render_report(fx.input, emit::ReportFormat::Markdown, {false, 10'000'000});
    REQUIRE(full.size() > 65000);
    const std::string out = emit::render_report(fx.input, emit::ReportFormat::Markdown);
    CHECK(out.size() <= 65000);
    CHECK(out.size() > 60000);  // it fills the room it has
    CHECK(out.find("more item(s) left out") != std::string::npos);
    CHECK(out.find("See the JSON, SARIF or text report") != std::string::npos);
    // Shown + left out = every item.
    std::size_t shown = 0;
    for (std::size_t p = 0; (p = out.find("duplicates another index", p)) != std::string::npos; ++p) ++shown;
    const auto at = out.rfind("cut to fit a comment: ");
    REQUIRE(at != std::string::npos);
    const std::size_t left = std::stoul(out.substr(at + 22));
    // Left out: the copies not shown, the info finding (sorted after the warnings),
    // the 3 input problems and the 2 notes.
    CHECK(shown + left == 2000 + 1 + 3 + 2);
    for (std::size_t limit : {50u, 400u, 2000u, 20000u}) {
        const std::string small = emit::render_report(fx.input, emit::ReportFormat::Markdown, {false, limit});
        CHECK(small.size() <= limit);
    }
}

TEST_CASE("reports never print the literal values a workload sampled", "[report]") {
    Fixture fx;
    for (auto format : {emit::ReportFormat::Text, emit::ReportFormat::Json, emit::ReportFormat::Markdown,
                        emit::ReportFormat::Sarif}) {
        const std::string out = emit::render_report(fx.input, format, {true, 65000});
        CHECK(out.find(kSampleEmail) == std::string::npos);
        CHECK(out.find(kSampleCard) == std::string::npos);
        // What a finding itself carries is printed as given (SARIF's message is title + fix).
        if (format != emit::ReportFormat::Sarif) CHECK(out.find("dba@example.com") != std::string::npos);
    }
}

TEST_CASE("a file that could not be opened is one input problem, not two", "[report]") {
    // issue 16: ingest records it both as the file's error and as an "unreadable file" issue.
    ingest::IngestReport ingest;
    ingest.files.push_back({"good.log", ingest::Format::Auto, "", "", 10, 10, ""});
    ingest.files.push_back({"missing.log", ingest::Format::Auto, "", "", 0, 0, "No such file or directory"});
    ingest.issues.add(ingest::issue::kUnreadable, "missing.log", 0, "No such file or directory");
    ingest.issues.add(ingest::issue::kUnreadable, "dir/link.log", 0, "a symbolic link to nothing, skipped");
    emit::ReportInput input;
    input.ingest = &ingest;
    const auto problems = emit::report_detail::input_problems(input);
    std::vector<std::string> examples;
    long count = 0;
    for (const auto& p : problems) {
        count += p.count;
        examples.insert(examples.end(), p.examples.begin(), p.examples.end());
    }
    CHECK(count == 2);
    CHECK(examples == std::vector<std::string>{"missing.log: No such file or directory",
                                               "dir/link.log: a symbolic link to nothing, skipped"});
}
