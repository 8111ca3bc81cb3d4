// Digests (issue 17, "Beyond one machine"): a log split at session boundaries
// into k parts, each part digested alone (its workload and its session rules'
// state written to a digest file), and the digests analysed together give the
// findings, recommendations' evidence and statistics of analyze on the whole log.
#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "../workload/workload_compare.hpp"
#include "cli/analysis.hpp"
#include "cli/digest_file.hpp"
#include "emit/finding_json.hpp"
#include "rules/registry.hpp"
#include "workload/request_tags.hpp"

using namespace pgadvisor;
using namespace pgadvisor::cli;

namespace fs = std::filesystem;

namespace {

std::string example_dir(const std::string& example) {
    return std::string(PGADVISOR_SOURCE_DIR) + "/examples/" + example + "/captured/";
}

// Times are sums of doubles, which parts add in another order: equal to 9 significant digits.
void round_numbers(nlohmann::json& j) {
    if (j.is_number_float()) j = std::stod(fmt::format("{:.9g}", j.get<double>()));
    else if (j.is_structured())
        for (auto& child : j) round_numbers(child);
}

// What analyze reports of a run, as one text: the counts and every finding with its evidence.
std::string outcome(const Analysis& a) {
    REQUIRE(a.error.empty());
    std::string out = "statements " + std::to_string(a.workload.summary.statements) + ", calls " +
                      std::to_string(a.workload.summary.calls) + ", sessions " + std::to_string(a.workload.sessions) +
                      ", transactions " + std::to_string(a.workload.transactions) + ", requests " +
                      std::to_string(a.workload.requests) + ", shapes " + std::to_string(a.workload.shapes.size()) +
                      "\n";
    for (const auto& f : a.findings) {
        auto j = emit::finding_json(f);
        round_numbers(j);
        out += j.dump(1) + "\n";
    }
    return out;
}

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("pgadvisor-digest-test-" + std::to_string(::getpid()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() { fs::remove_all(path); }
};

// Which part each session goes to: sessions that share a tagged request (a
// request_id tag, a traceparent's trace id: one request on several pooled
// connections of one server) stay together, as they do in one server's log;
// the groups are dealt out to k parts.
class Parts {
public:
    Parts(const std::vector<ingest::Statement>& log, std::size_t k) : k_(k) {
        for (const auto& s : log) {
            const auto tags = workload::request_tags_of(s.text);
            std::string request;
            if (auto r = tags.find("request_id"); r != tags.end()) request = r->second;
            else if (auto t = tags.find("traceparent"); t != tags.end()) request = t->second.substr(0, 35);
            if (!request.empty()) join(workload::testing::session_of(s), "request " + request);
        }
    }
    // Groups in order of their first statement, dealt out to the parts in turn.
    std::size_t part_of(const ingest::Statement& s) {
        const auto group = groups_.try_emplace(root(workload::testing::session_of(s)), groups_.size()).first->second;
        return group % k_;
    }

private:
    std::string root(const std::string& key) {
        auto it = parent_.find(key);
        if (it == parent_.end() || it->second == key) return key;
        return it->second = root(it->second);
    }
    void join(const std::string& a, const std::string& b) {
        const std::string ra = root(a), rb = root(b);
        if (ra != rb) parent_[std::max(ra, rb)] = std::min(ra, rb);
    }
    std::size_t k_;
    std::map<std::string, std::string> parent_;
    std::map<std::string, std::size_t> groups_;
};

// Part `part` of the log, read by the rules as analyze reads it, written as a digest file.
std::string digest_part(const std::vector<ingest::Statement>& log, Parts& parts, std::size_t part, std::size_t k,
                        const fs::path& dir) {
    auto enabled = rules::create_enabled_rules(rules::load_default_rules());
    workload::WorkloadBuilder builder({}, [&](const workload::Execution& e) {
        for (auto& rule : enabled) rule->observe(e);
    });
    Digest d;
    for (const auto& s : log)
        if (parts.part_of(s) == part) {
            builder.add(s);
            ++d.ingest.statements;
        }
    d.workload = builder.finish();
    CHECK(d.ingest.statements > 0);  // every part has something to merge
    for (auto& rule : enabled)
        if (auto state = rule->saved_state(false); !state.is_null())
            d.rules.push_back({rule->id(), rule_options_json(rule->config()), std::move(state)});
    const std::string path = (dir / ("part" + std::to_string(part) + "of" + std::to_string(k) + ".digest")).string();
    std::string error;
    REQUIRE(write_digest(path, d, error));
    return path;
}

std::vector<ingest::Statement> statements_of(const std::string& log) {
    ingest::IngestOptions options;
    options.inputs = {log};
    std::vector<ingest::Statement> out;
    ingest::ingest(options, [&](ingest::Statement&& s) { out.push_back(std::move(s)); });
    REQUIRE(!out.empty());
    return out;
}

// The log analysed whole, and split into k parts digested alone then merged (in
// two orders): the same report.
void check_split(const std::string& log_path, const std::string& schema, std::size_t k, const fs::path& dir) {
    INFO(log_path << ", k = " << k);
    auto options = [&](std::vector<std::string> inputs) {
        AnalysisOptions o;
        o.inputs = std::move(inputs);
        o.catalog.schema_file = schema;
        o.rules = rules::load_default_rules();
        return o;
    };
    const std::string whole = outcome(run_analysis(options({log_path}), "test"));
    const auto log = statements_of(log_path);
    Parts parts(log, k);
    std::vector<std::string> digests;
    for (std::size_t part = 0; part < k; ++part) digests.push_back(digest_part(log, parts, part, k, dir));
    CHECK(outcome(run_analysis(options(digests), "test")) == whole);
    // In another order: merging is associative and commutative in what it reports.
    std::reverse(digests.begin(), digests.end());
    CHECK(outcome(run_analysis(options(digests), "test")) == whole);
}

// Web requests each on a connection of their own, pids used again: a parent, a loop
// of lookups, a SELECT then an INSERT of the same key; some requests run the loop
// with another literal varying (an order-dependent choice before issue 17).
std::string requests_log(int sessions) {
    std::string log;
    for (int i = 0; i < sessions; ++i) {
        long ms = i * 700L;  // sessions overlap: each lasts longer than the gap to the next
        const std::string pid = " [" + std::to_string(100 + i % 7) + "]: ";
        auto line = [&](const std::string& message) {
            log += fmt::format("2024-05-01 08:{:02}:{:02}.{:03} UTC{}LOG:  {}\n", ms / 60000 % 60, ms / 1000 % 60,
                               ms % 1000, pid, message);
            ms += 3;
        };
        line("connection received: host=10.0.0.1 port=5000");
        line(fmt::format("duration: 0.300 ms  statement: SELECT id FROM orders WHERE customer_id = {}", i));
        for (int n = 0; n < 4 + i % 5; ++n)
            line(i % 4 == 3 ? fmt::format("duration: 0.200 ms  statement: SELECT * FROM order_items WHERE order_id = "
                                          "7 AND warehouse_id = {}",
                                          n)
                            : fmt::format("duration: 0.{} ms  statement: SELECT * FROM order_items WHERE order_id = {} "
                                          "AND warehouse_id = 7",
                                          2 + n % 3, i * 10 + n));
        line(fmt::format("duration: 0.200 ms  statement: SELECT id FROM carts WHERE user_id = {}", i));
        line(fmt::format("duration: 0.400 ms  statement: INSERT INTO carts (user_id) VALUES ({})", i));
        line("disconnection: session time: 0:00:00.030 user=app database=shop");
    }
    return log;
}

}  // namespace

TEST_CASE("digest: parts of a log split at session boundaries, digested and merged, give the whole log's findings",
          "[cli][digest]") {
    TempDir tmp;
    const std::string generated = (tmp.path / "requests.log").string();
    {
        std::ofstream out(generated);
        out << requests_log(60);
    }
    for (std::size_t k : {2, 3}) check_split(generated, "", k, tmp.path);
    // Captured logs whose sessions are independent. In the Prisma, Sequelize and Rails
    // captures a tagged request runs on several pooled connections, which ties every
    // session to the others: one server's log is one part (docs/digest-format.md).
    for (const char* example : {"django-app", "pgbench"})
        for (std::size_t k : {2, 3})
            check_split(example_dir(example) + "postgresql.log", example_dir(example) + "schema.sql", k, tmp.path);
}
