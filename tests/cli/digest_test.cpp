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
#include "cli/app.hpp"
#include "cli/digest_command.hpp"
#include "cli/digest_file.hpp"
#include "ingest/input.hpp"
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
    ingest::FileReport read;
    read.path = log.front().source.file;
    read.statements = d.ingest.statements;
    d.ingest.files.push_back(read);
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

// requests_log(sessions) written to dir/requests.log; its path.
std::string write_requests_log(const fs::path& dir, int sessions) {
    const std::string path = (dir / "requests.log").string();
    std::ofstream(path) << requests_log(sessions);
    return path;
}

}  // namespace

TEST_CASE("digest: parts of a log split at session boundaries, digested and merged, give the whole log's findings",
          "[cli][digest]") {
    TempDir tmp;
    const std::string generated = write_requests_log(tmp.path, 60);
    for (std::size_t k : {2, 3}) check_split(generated, "", k, tmp.path);
    // Captured logs whose sessions are independent. In the Prisma, Sequelize and Rails
    // captures a tagged request runs on several pooled connections, which ties every
    // session to the others: one server's log is one part (docs/digest-format.md).
    for (const char* example : {"django-app", "pgbench"})
        for (std::size_t k : {2, 3})
            check_split(example_dir(example) + "postgresql.log", example_dir(example) + "schema.sql", k, tmp.path);
}

TEST_CASE("digest: digests of digests merge like the logs' own", "[cli][digest]") {
    TempDir tmp;
    const std::string log = write_requests_log(tmp.path, 30);
    AnalysisOptions whole_options;
    whole_options.inputs = {log};
    whole_options.rules = rules::load_default_rules();
    const std::string whole = outcome(run_analysis(whole_options, "test"));

    const auto statements = statements_of(log);
    Parts parts(statements, 3);
    std::vector<std::string> digests;
    for (std::size_t part = 0; part < 3; ++part) digests.push_back(digest_part(statements, parts, part, 3, tmp.path));
    // `pgadvisor digest b.digest c.digest -o bc.digest`, then `analyze a.digest bc.digest`.
    DigestOptions o;
    o.inputs = {digests[1], digests[2]};
    o.output = (tmp.path / "bc.digest").string();
    o.jobs = 1;
    REQUIRE(run_digest(o) == 0);
    AnalysisOptions merged = whole_options;
    merged.inputs = {digests[0], o.output};
    CHECK(outcome(run_analysis(merged, "test")) == whole);
}

TEST_CASE("digest: a digest cut short is named and skipped; the other inputs are still read", "[cli][digest]") {
    TempDir tmp;
    const std::string log = write_requests_log(tmp.path, 10);
    DigestOptions o;
    o.inputs = {log};
    o.output = (tmp.path / "whole.digest").string();
    o.jobs = 1;
    REQUIRE(run_digest(o) == 0);
    std::string error;
    REQUIRE(read_digest(o.output, error));

    // The records without their last lines, compressed again: a file cut at a record boundary.
    const std::string cut = (tmp.path / "cut.digest").string();
    {
        ingest::WholeFile text = ingest::read_whole_file(o.output);
        REQUIRE(text.text);
        std::string records = *text.text;
        records.resize(records.rfind('\n', records.size() - 2) + 1);  // the trailer gone
        std::ofstream(cut) << records;
    }
    CHECK_FALSE(read_digest(cut, error));
    CHECK(error.find("line 10") != std::string::npos);  // the header, an input, the issues, 4 shapes, totals, 2 rules
    CHECK(error.find("cut short") != std::string::npos);

    AnalysisOptions a;
    a.inputs = {cut, log};
    a.rules = rules::load_default_rules();
    const Analysis read = run_analysis(a, "test");
    REQUIRE(read.error.empty());
    CHECK(read.workload.summary.statements == static_cast<long long>(statements_of(log).size()));
    const auto failed = std::find_if(read.ingest.files.begin(), read.ingest.files.end(),
                                     [&](const ingest::FileReport& f) { return f.path == cut; });
    REQUIRE(failed != read.ingest.files.end());
    CHECK(failed->error.find("cut short") != std::string::npos);
}

TEST_CASE("digest: no value of the log is in a digest unless --show-literals", "[cli][digest]") {
    TempDir tmp;
    const std::string log = (tmp.path / "values.log").string();
    {
        // A loop over e-mail addresses and a check-then-insert of one: the rules keep state for both.
        std::ofstream out(log);
        long ms = 0;
        auto line = [&](const std::string& message) {
            out << fmt::format("2024-05-01 08:00:{:02}.{:03} UTC [42]: LOG:  {}\n", ms / 1000 % 60, ms % 1000, message);
            ms += 3;
        };
        for (int n = 0; n < 6; ++n)
            line(
                fmt::format("duration: 0.2 ms  statement: SELECT * FROM users WHERE email = 'zq{}@secret.example'", n));
        line("duration: 0.2 ms  statement: SELECT id FROM carts WHERE token = 'tok-unguessable-77'");
        line("duration: 0.4 ms  statement: INSERT INTO carts (token) VALUES ('tok-unguessable-77')");
    }
    auto digest_text = [&](bool show_literals) {
        DigestOptions o;
        o.inputs = {log};
        o.output = (tmp.path / (show_literals ? "with.digest" : "without.digest")).string();
        o.show_literals = show_literals;
        o.jobs = 1;
        REQUIRE(run_digest(o) == 0);
        auto text = ingest::read_whole_file(o.output);
        REQUIRE(text.text);
        return *text.text;
    };
    const std::string without = digest_text(false), with = digest_text(true);
    for (const char* value : {"secret.example", "tok-unguessable"}) {
        INFO(value);
        CHECK(without.find(value) == std::string::npos);
        CHECK(with.find(value) != std::string::npos);
    }
    // The rules' state is there all the same: the loop and the pair.
    CHECK(without.find("\"looped\":[{") != std::string::npos);
    CHECK(without.find("\"pairs\":[{") != std::string::npos);
}

TEST_CASE("digest: a digest of format version 1 written before keeps reading", "[cli][digest]") {
    // tests/fixtures/digest/SOURCE.md: the records of `pgadvisor digest requests.log`, decompressed.
    const std::string fixture = std::string(PGADVISOR_SOURCE_DIR) + "/tests/fixtures/digest/requests.digest.jsonl";
    std::string error;
    const auto digest = read_digest(fixture, error);
    REQUIRE(digest);
    CHECK(digest->ingest.statements == 96);
    CHECK(digest->workload.shapes.size() == 4);
    AnalysisOptions a;
    a.inputs = {fixture};
    a.rules = rules::load_default_rules();
    const Analysis read = run_analysis(a, "test");
    REQUIRE(read.error.empty());
    std::vector<std::string> found;
    for (const auto& f : read.findings) found.push_back(f.rule_id);
    std::sort(found.begin(), found.end());
    CHECK(found == std::vector<std::string>{"check-then-insert", "n-plus-one"});
}

namespace {

// The v1 fixture's records, and the same with `was` (which must be there) replaced by `is`, written to
// damaged.digest in `dir`; returns its path.
const std::string& fixture_records() {
    static const std::string records = *ingest::read_whole_file(std::string(PGADVISOR_SOURCE_DIR) +
                                                                "/tests/fixtures/digest/requests.digest.jsonl")
                                            .text;
    return records;
}

std::string write_damaged_digest(const fs::path& dir, const std::string& was, const std::string& is) {
    const auto at = fixture_records().find(was);
    REQUIRE(at != std::string::npos);
    std::string damaged = fixture_records();
    damaged.replace(at, was.size(), is);
    const std::string path = (dir / "damaged.digest").string();
    std::ofstream(path, std::ios::trunc) << damaged;
    return path;
}

}  // namespace

TEST_CASE("digest: a number out of range or of the wrong kind is refused, not read as another", "[cli][digest]") {
    // Found by fuzz/digest_fuzzer: nlohmann's get<T> turns 1e30 into a uint64 unchecked (undefined behaviour),
    // and an int that does not fit was read as another value. Each damage is one number of the v1 fixture.
    TempDir tmp;
    const std::vector<std::pair<std::string, std::string>> damages = {
        {"\"hashes\":[3370767057715743072", "\"hashes\":[1e30"},  // a float past uint64
        {"\"calls\":96,", "\"calls\":9.5e300,"},                  // a float past long long
        {"\"calls\":96,", "\"calls\":96.5,"},                     // a fraction where a count belongs
        {"\"position\":0,", "\"position\":4294967296,"},          // past int
        {"\"shape\":1,", "\"shape\":-1,"},                        // a negative shape id
        {"\"values\":[0.3", "\"values\":[1e39, 0.3"},             // a duration past float
        {"\"records\":10}", "\"records\":1e400}"},                // past double: no JSON number
    };
    for (const auto& [was, is] : damages) {
        INFO(is);
        const std::string path = write_damaged_digest(tmp.path, was, is);
        std::string error;
        if (read_digest(path, error)) {
            // The workload read: the damage is in a rule's state, which stops the run with the file's name.
            AnalysisOptions a;
            a.inputs = {path};
            a.rules = rules::load_default_rules();
            error = run_analysis(a, "test").error;
            CHECK(error.find("damaged.digest") != std::string::npos);
        }
        CHECK(error.find(is.find("e400") != std::string::npos ? "not a JSON record" : "out of range") !=
              std::string::npos);
    }
    // The undamaged records read, so each refusal above is its number's.
    const std::string path = (tmp.path / "whole.digest").string();
    std::ofstream(path, std::ios::trunc) << fixture_records();
    std::string error;
    CHECK(read_digest(path, error));
}

TEST_CASE("digest: a loop that n-plus-one could not have written is refused, not read as another", "[cli][digest]") {
    // A run keeps at most 8 preceding statements inline, and a loop's session is its order's:
    // a digest that says otherwise stops the run with the file's name.
    TempDir tmp;
    const std::vector<std::pair<std::string, std::string>> damages = {
        {"\"preceding\":[0]", "\"preceding\":[0,0,0,0,0,0,0,0,0]"},
        {"\"session\":\"pid:102\"}", "\"session\":\"pid:103\"}"},
    };
    for (const auto& [was, is] : damages) {
        INFO(is);
        AnalysisOptions a;
        a.inputs = {write_damaged_digest(tmp.path, was, is)};
        a.rules = rules::load_default_rules();
        const std::string error = run_analysis(a, "test").error;
        CHECK(error.find("damaged.digest") != std::string::npos);
        CHECK(error.find("n-plus-one's loops do not read") != std::string::npos);
    }
}

TEST_CASE("digest: the command line: digest -o, analyze of digests, ingest refuses one", "[cli][digest]") {
    TempDir tmp;
    auto run_cli = [](std::vector<std::string> args) {
        args.insert(args.begin(), "pgadvisor");
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        return run(static_cast<int>(argv.size()), argv.data());
    };
    const std::string log = std::string(PGADVISOR_SOURCE_DIR) + "/tests/fixtures/digest/requests.log";
    const std::string digest = (tmp.path / "out" / "host1.digest").string();
    CHECK(run_cli({"digest", log}) == kExitUsage);  // -o is required
    REQUIRE(run_cli({"digest", log, "-o", digest, "-j", "1"}) == kExitOk);
    // Written again: replaced whole (a digest is re-made on every run of a cron job).
    REQUIRE(run_cli({"digest", log, "-o", digest, "-j", "1"}) == kExitOk);
    const std::string report = (tmp.path / "report.json").string();
    CHECK(run_cli({"analyze", digest, "--format", "json", "--report-json", report}) == kExitOk);
    CHECK(fs::file_size(report) > 0);
    CHECK(run_cli({"ingest", digest}) == kExitUsage);
    // An empty file named .digest (an ssh that failed) is refused by name, not read as an empty log.
    const std::string empty = (tmp.path / "host2.digest").string();
    std::ofstream{empty};
    CHECK(run_cli({"analyze", empty}) == kExitUsage);
}

namespace {
// The bytes this process has read so far (/proc/self/io's rchar: every read(2), any thread).
long long bytes_read_so_far() {
    std::ifstream io("/proc/self/io");
    std::string key;
    long long value = 0;
    while (io >> key >> value)
        if (key == "rchar:") return value;
    return -1;
}
}  // namespace

TEST_CASE("digest: asking whether an input is a digest reads its first block only", "[cli][digest]") {
    // Every input of analyze and ingest is asked. /dev/zero has no newline: the question read a
    // record's 1 GiB of it (1 GB of memory, 2.4 s) before ingest named it binary data.
    TempDir tmp;
    const std::string log = std::string(PGADVISOR_SOURCE_DIR) + "/tests/fixtures/digest/requests.log";
    const std::string digest = (tmp.path / "probe.digest").string();
    const char* args[] = {"pgadvisor", "digest", log.c_str(), "-o", digest.c_str(), "-j", "1"};
    REQUIRE(run(7, const_cast<char**>(args)) == kExitOk);
    CHECK(is_digest_file(digest));
    CHECK_FALSE(is_digest_file(log));

    const long long before = bytes_read_so_far();
    REQUIRE(before >= 0);
    CHECK_FALSE(is_digest_file("/dev/zero"));
    CHECK(bytes_read_so_far() - before < (4 << 20));
}
