// Bad option values (issue 16, "CLI values"): the binary says which option and
// why, and exits 2, before it reads anything. No server needed.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "throwaway_pg.hpp"

using pgadvisor::test::run_pgadvisor;

namespace {
const std::string kLog = std::string(PGADVISOR_TEST_FIXTURES) + "/workload/shop-session.log";
}

TEST_CASE("cli values: each bad value names its option and exits 2", "[integration][cli-values]") {
    struct Case {
        std::string args;
        std::string option;
    };
    const std::vector<Case> cases = {
        {"analyze " + kLog + " --out /tmp/pgadvisor-never --timestamp 2026", "--timestamp"},
        {"analyze " + kLog + " --timestamp 20260230120000", "--timestamp"},
        {"analyze " + kLog + " --rtt nan", "--rtt"},
        {"check " + kLog + " --rtt -1", "--rtt"},
        {"analyze " + kLog + " --max-indexes-per-table -1", "--max-indexes-per-table"},
        {"verify " + kLog + " --db postgresql://nowhere.invalid/x --repetitions -3", "--repetitions"},
        {"ingest " + kLog + " --top -1", "--top"},
        {"analyze --db postgresql://nowhere.invalid/x --pgss-top 0", "--pgss-top"},
        {"analyze " + kLog + " --statement-timeout nan", "--statement-timeout"},
        {"analyze " + kLog + " --statement-timeout inf", "--statement-timeout"},
        {"schema --schema " + kLog + " --statement-timeout 1e10", "--statement-timeout"},
        {"analyze " + kLog + " /nonexistent/pgadvisor.log", "/nonexistent/pgadvisor.log: no such file or folder"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.args);
        const auto r = run_pgadvisor(c.args);
        INFO(r.output);
        CHECK(r.exit_code == 2);
        CHECK(r.output.find(c.option) != std::string::npos);
    }
}
