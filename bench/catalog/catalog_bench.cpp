// Times the live catalog load (and, given a pg_dump file, the offline load).
//   pgadvisor_catalog_bench CONNINFO [RUNS] [DUMP.sql]     CONNINFO "-" skips the live load
// bench/catalog/run builds the 10,000-table schema and calls this; see docs/benchmarks.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "catalog/ddl_loader.hpp"
#include "catalog/live_loader.hpp"

using namespace pgadvisor::catalog;
using Clock = std::chrono::steady_clock;

namespace {
double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

void report(const char* what, std::vector<double> t, const Catalog& c) {
    std::sort(t.begin(), t.end());
    std::size_t columns = 0;
    for (const auto& table : c.tables) columns += table.columns.size();
    std::printf("%s: %zu tables, %zu columns, %zu indexes; runs=%zu min=%.3fs median=%.3fs max=%.3fs\n", what,
                c.tables.size(), columns, c.indexes.size(), t.size(), t.front(), t[t.size() / 2], t.back());
}
}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CONNINFO [RUNS] [DUMP.sql]\n", argv[0]);
        return 2;
    }
    const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
    LiveOptions o;
    o.conninfo = argv[1];
    o.statement_timeout_ms = 60000;
    std::vector<double> times;
    Catalog last;
    for (int i = 0; i < runs && o.conninfo != "-"; ++i) {
        const auto t0 = Clock::now();
        auto r = load_live(o);
        times.push_back(seconds_since(t0));
        if (!r.catalog) {
            std::fprintf(stderr, "%s\n", r.error->message.c_str());
            return 2;
        }
        last = std::move(*r.catalog);
    }
    if (!times.empty()) report("live", times, last);
    if (argc > 3) {
        times.clear();
        for (int i = 0; i < runs; ++i) {
            const auto t0 = Clock::now();
            last = load_schema_file(argv[3]);
            times.push_back(seconds_since(t0));
        }
        report("offline pg_dump", times, last);
        if (!last.errors.empty())
            std::printf("offline errors: %zu (first: %s)\n", last.errors.size(), last.errors[0].message.c_str());
    }
    return 0;
}
