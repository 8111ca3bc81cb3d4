#include "cli/ingest_command.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cstdio>

#include "cli/print_safe.hpp"
#include "cli/analysis.hpp"
#include "cli/digest_file.hpp"
#include "cli/app.hpp"
#include "ingest/ingest.hpp"
#include "rules/registry.hpp"
#include "workload/summary.hpp"
#include "sql/parser.hpp"
#include "sql/text.hpp"

namespace pgadvisor::cli {
namespace {

// One line of normalized SQL for the table (the text has no literals: libpg_query replaced them).
std::string one_line(const std::string& s, std::size_t width) {
    std::string out = sql::one_line(s);
    if (out.size() > width) out = sql::cut_utf8_prefix(out, width - 3) + "...";
    return out;
}

std::string span_text(double ms) {
    long long s = static_cast<long long>(ms / 1000);
    return fmt::format("{}h {}m {}s", s / 3600, s % 3600 / 60, s % 60);
}

// Every input through the aggregator thread, with a progress line on a terminal.
ingest::IngestReport read_inputs(const IngestCommandOptions& o, ingest::Format format,
                                 workload::BackgroundAggregator& background) {
    ingest::IngestOptions io;
    io.inputs = o.inputs;
    io.format = format;
    io.prefix = o.prefix;
    // The assembler frees a session's held records when it ends, as analyze's does (issue 16).
    io.sessions.enabled = true;
    io.sessions.idle_ms = rules::session_lookback_ms(rules::create_enabled_rules(rules::load_default_rules()));
    const bool progress = isatty(STDERR_FILENO) && !o.json;
    long long n = 0;
    auto report = ingest::ingest(io, [&](ingest::Statement&& s) {
        background.add(std::move(s));
        if (progress && ++n % 100000 == 0) fmt::print(stderr, "\r{} statements read...", n);
    });
    if (progress && n >= 100000) fmt::print(stderr, "\r\033[K");
    return report;
}

void print_json(const ingest::IngestReport& report, const workload::Summary& sum, int top) {
    nlohmann::json j;
    j["statements"] = sum.statements;
    j["calls"] = sum.calls;
    j["distinct_shapes"] = sum.shapes.size();
    j["sessions"] = sum.sessions.size();
    j["errors"] = sum.errors;
    j["with_duration"] = sum.with_duration;
    j["with_plan"] = sum.with_plan;
    j["parse_failures"] = sum.parse_failures;
    j["libpg_query_calls"] = sum.libpg_calls;
    j["keyed_from_cache"] = sum.keyed_fast;
    j["first_timestamp"] = sum.first_ts;
    j["last_timestamp"] = sum.last_ts;
    j["span_seconds"] = (sum.last_ms - sum.first_ms) / 1000.0;
    for (const auto& f : report.files)
        j["files"].push_back({{"path", f.path},
                              {"format", ingest::format_name(f.format)},
                              {"compression", f.compression},
                              {"prefix", f.prefix},
                              {"statements", f.statements},
                              {"lines", f.lines},
                              {"error", f.error}});
    j["notes"] = report.notes;
    j["skipped"] = nlohmann::json::object();
    for (const auto& [kind, k] : report.issues.kinds())
        j["skipped"][kind] = {{"count", k.count}, {"examples", k.examples}};
    j["top_shapes"] = nlohmann::json::array();
    for (const auto* s : sum.top_by_total(static_cast<std::size_t>(top)))
        j["top_shapes"].push_back({{"fingerprint", s->fingerprint},
                                   {"normalized", s->normalized},
                                   {"calls", s->calls},
                                   {"errors", s->errors},
                                   {"total_ms", s->total_ms},
                                   {"mean_ms", s->mean_ms()},
                                   {"p95_ms", s->p95_ms()}});
    fmt::print("{}\n", j.dump(2));
}

void print_text(const ingest::IngestReport& report, const workload::Summary& sum, int top_n) {
    for (const auto& f : report.files) {
        if (!f.error.empty()) continue;
        print_safe("{}: {}{}{}, {} lines, {} statements\n", f.path, ingest::format_name(f.format),
                   f.compression.empty() ? "" : " (" + f.compression + ")",
                   f.prefix.empty() ? "" : ", log_line_prefix '" + f.prefix + "'", f.lines, f.statements);
    }
    print_safe("\n");
    print_safe("statements       {}\n", sum.statements);
    if (sum.calls != sum.statements) print_safe("calls            {}\n", sum.calls);
    print_safe("distinct shapes  {}\n", sum.shapes.size());
    print_safe("sessions         {}\n", sum.sessions.size());
    if (sum.first_ms != 0)
        print_safe("time span        {} .. {} ({})\n", sum.first_ts, sum.last_ts,
                   span_text(sum.last_ms - sum.first_ms));
    print_safe("errors           {}\n", sum.errors);
    print_safe("with duration    {}\n", sum.with_duration);
    print_safe("with plan        {}\n", sum.with_plan);
    if (sum.parse_failures) print_safe("not parsable     {} (kept as their own shapes)\n", sum.parse_failures);
    print_safe("skipped          {}\n", report.issues.total());
    auto top = sum.top_by_total(static_cast<std::size_t>(top_n));
    if (!top.empty()) {
        print_safe("\ntop shapes by total time\n");
        print_safe("{:>10} {:>12} {:>10} {:>10}  {}\n", "calls", "total ms", "mean ms", "p95 ms", "query");
        for (const auto* s : top)
            print_safe("{:>10} {:>12.3f} {:>10.3f} {:>10.3f}  {}\n", s->calls, s->total_ms, s->mean_ms(), s->p95_ms(),
                       one_line(s->normalized, 100));
    }
    if (!report.notes.empty()) {
        fmt::print("\nnotes:\n");
        for (const auto& n : report.notes) fmt::print("  {}\n", n);
    }
    // The closing summary: what was skipped, by kind, with the first file:line examples.
    if (report.issues.total() > 0) {
        print_safe("\nskipped {} input item{}:\n", report.issues.total(), report.issues.total() == 1 ? "" : "s");
        for (const auto& [kind, k] : report.issues.kinds()) {
            print_safe("  {} x {}\n", k.count, kind);
            for (const auto& e : k.examples) print_safe("    {}\n", e);
        }
    }
}

}  // namespace

int run_ingest(const IngestCommandOptions& o) {
    auto format = parse_input_format(o.input_format, "ingest");
    if (!format) return kExitUsage;
    for (const auto& input : o.inputs)
        if (is_digest_file(input)) {
            fmt::print(stderr,
                       "pgadvisor ingest: {} is a pgadvisor digest: analyze reads digests (ingest reads logs)\n",
                       sql::terminal_safe(input));
            return kExitUsage;
        }
    workload::BackgroundAggregator background;
    const auto report = read_inputs(o, *format, background);
    auto& agg = background.finish();
    // libpg_query ran on the aggregation thread: its memory is per thread, and
    // pg_query_exit() on the main thread crashes when the main thread never
    // parsed. The process ends right after this; the OS takes the memory back.
    const auto& sum = agg.summary();
    if (report.nothing_read()) print_nothing_read(report, "ingest");
    if (o.json) print_json(report, sum, o.top);
    else print_text(report, sum, o.top);
    return report.nothing_read() ? kExitUsage : kExitOk;
}

}  // namespace pgadvisor::cli
