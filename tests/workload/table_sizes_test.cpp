// Table sizes from the log's own evidence (workload/table_sizes.hpp): logged
// plans count a table's rows, logged durations of statements that must read a
// table whole bound them, statistics and --assume-rows win over both, and the
// default guess stays where the log says nothing.
#include <catch2/catch.hpp>

#include <fmt/core.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "catalog/ddl_loader.hpp"
#include "ingest/explain.hpp"
#include "workload/table_sizes.hpp"
#include "workload/workload.hpp"

using namespace pgadvisor;
using namespace pgadvisor::workload;

namespace {

const char* kEventsDdl =
    "CREATE TABLE accounts (id bigint PRIMARY KEY, region text);\n"
    "CREATE TABLE events (id bigint PRIMARY KEY, account_id bigint, kind text, payload text);\n";

catalog::Catalog schema(const std::string& ddl, std::map<std::string, double> assumed = {}) {
    catalog::Catalog c;
    catalog::apply_ddl(c, ddl, "schema.sql");
    REQUIRE(c.errors.empty());
    catalog::OfflineOptions o;
    o.assume_rows = std::move(assumed);
    catalog::assume_rows(c, o);
    return c;
}

// One logged call: a statement text, its duration, optionally the plan auto_explain logged with it.
struct Call {
    std::string text;
    double ms = 0;
    std::shared_ptr<const ingest::Plan> plan{};
};

Workload workload_of(const std::vector<Call>& calls) {
    WorkloadBuilder builder;
    double at = 0;
    for (const auto& c : calls) {
        ingest::Statement st;
        st.session_id = "s1";
        st.epoch_ms = at += 1000;
        st.text = c.text;
        st.duration_ms = c.ms;
        st.plan = c.plan;
        builder.add(st);
    }
    return builder.finish();
}

// `n` calls of a lookup by events.account_id (no index on it), each taking `ms`.
std::vector<Call> account_lookups(int n, double ms) {
    std::vector<Call> calls;
    for (int i = 0; i < n; ++i)
        calls.push_back({fmt::format("SELECT id, kind FROM events WHERE account_id = {}", 100 + i), ms});
    return calls;
}

std::shared_ptr<const ingest::Plan> plan_of(const char* text) {
    auto parsed = ingest::parse_explain(text);
    REQUIRE(parsed.plans.size() == 1);
    return std::make_shared<ingest::Plan>(std::move(parsed.plans.front()));
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

const char* kEventsSeqScan =
    R"(Seq Scan on events  (cost=0.00..9000.00 rows=20 width=12) (actual time=0.010..380.000 rows=20 loops=1)
  Filter: (account_id = 7)
  Rows Removed by Filter: 2499980
Planning Time: 0.050 ms
Execution Time: 380.100 ms
)";

}  // namespace

TEST_CASE("a slow lookup by an unindexed column bounds its table's rows by its logged time",
          "[workload][table-sizes]") {
    const auto cat = schema(kEventsDdl);
    const Workload w = workload_of(account_lookups(10, 409));
    const TableSizes sizes = table_size_evidence(w, cat);
    REQUIRE(sizes.count("public.events") == 1);
    const TableRows& r = sizes.at("public.events");
    // 409 ms at the cost model's 0.0001 ms per row read: at most about 4.09 million rows.
    CHECK(r.rows == Approx(4.09e6));
    CHECK(r.source == catalog::RowsSource::LoggedDurations);
    CHECK(contains(r.basis, "inferred from the logged durations of 1 statement shape"));
    CHECK(contains(r.basis, "409.000 ms at 0.0001 ms per row read"));
    CHECK(rows_basis(r) == r.basis);
    // The table the log says nothing about keeps the default guess.
    CHECK(sizes.count("public.accounts") == 0);
    const TableRows accounts = table_rows(*cat.find_table("public", "accounts"), sizes);
    CHECK(accounts.rows == 1000);
    CHECK(accounts.source == catalog::RowsSource::Default);
    CHECK(rows_basis(accounts) == "a default guess");
    const TableRows events = table_rows(*cat.find_table("public", "events"), sizes);
    CHECK(events.rows == Approx(4.09e6));
    CHECK(events.source == catalog::RowsSource::LoggedDurations);
    // The report says which tables the estimates size from the log, and how to override it.
    const auto notes = size_notes(sizes, cat);
    REQUIRE(notes.size() == 1);
    CHECK(contains(notes[0], "public.events: about 4090000 rows by the log, at most, inferred from"));
    CHECK(contains(notes[0], "; --assume-rows events=N overrides it"));
}

TEST_CASE("a fast lookup says the table is small", "[workload][table-sizes]") {
    const auto cat = schema(kEventsDdl);
    const TableSizes sizes = table_size_evidence(workload_of(account_lookups(10, 0.05)), cat);
    REQUIRE(sizes.count("public.events") == 1);
    // 0.05 ms reads at most about 500 rows: less than the default guess of 1,000.
    CHECK(sizes.at("public.events").rows == Approx(500));
}

TEST_CASE("of several statements that read a table whole, the fastest bounds it", "[workload][table-sizes]") {
    const auto cat = schema(kEventsDdl);
    auto calls = account_lookups(3, 409);
    for (int i = 0; i < 3; ++i) calls.push_back({fmt::format("DELETE FROM events WHERE kind = 'k{}'", i), 100});
    const TableSizes sizes = table_size_evidence(workload_of(calls), cat);
    REQUIRE(sizes.count("public.events") == 1);
    CHECK(sizes.at("public.events").rows == Approx(1e6));
    CHECK(contains(sizes.at("public.events").basis, "2 statement shapes that read it whole"));
}

TEST_CASE("a few calls that waited do not make a table look big: the median bounds it", "[workload][table-sizes]") {
    const auto cat = schema(kEventsDdl);
    auto calls = account_lookups(9, 2);
    calls.push_back({"SELECT id, kind FROM events WHERE account_id = 5", 5000});  // a lock wait, say
    const TableSizes sizes = table_size_evidence(workload_of(calls), cat);
    REQUIRE(sizes.count("public.events") == 1);
    // The mean is 501.8 ms; the median 2 ms.
    CHECK(sizes.at("public.events").rows == Approx(2e4));
}

TEST_CASE("statements that need not read the table whole are no evidence of its size", "[workload][table-sizes]") {
    SECTION("an index serves the predicate: the time says nothing of a scan") {
        for (const char* index : {"CREATE INDEX ON events (account_id);", "CREATE INDEX ON events (account_id, kind);",
                                  // Partial: the statements may well hold its predicate.
                                  "CREATE INDEX ON events (account_id) WHERE kind = 'click';",
                                  "CREATE INDEX ON events USING hash (account_id);"}) {
            INFO(index);
            const auto cat = schema(std::string(kEventsDdl) + index);
            CHECK(table_size_evidence(workload_of(account_lookups(10, 409)), cat).empty());
        }
    }
    SECTION("one of the predicates is served, another is not: the index may be used") {
        const auto cat = schema(std::string(kEventsDdl) + "CREATE INDEX ON events (kind);");
        const Workload w = workload_of({{"SELECT id FROM events WHERE account_id = 5 AND kind = 'click'", 409}});
        CHECK(table_size_evidence(w, cat).empty());
    }
    SECTION("LIMIT may stop the scan early; a join's time is two tables'; FOR UPDATE waits on locks") {
        const auto cat = schema(kEventsDdl);
        const Workload w = workload_of({
            {"SELECT id FROM events WHERE account_id = 5 LIMIT 10", 409},
            {"SELECT e.id FROM events e JOIN accounts a ON a.id = e.account_id WHERE a.region = 'eu'", 409},
            {"SELECT id FROM events WHERE kind = 'x' FOR UPDATE", 409},
            {"SELECT id FROM events WHERE account_id IN (SELECT id FROM accounts WHERE region = 'eu')", 409},
        });
        CHECK(table_size_evidence(w, cat).empty());
    }
    SECTION("no predicate, no duration, or a write without one") {
        const auto cat = schema(kEventsDdl);
        const Workload w = workload_of({
            {"SELECT count(*) FROM events", 409},
            {"SELECT id FROM events WHERE kind = 'x'", 0},
            {"INSERT INTO events (id, account_id, kind) VALUES (1, 2, 'x')", 409},
        });
        CHECK(table_size_evidence(w, cat).empty());
    }
}

TEST_CASE("a logged plan's Seq Scan counts the table's rows, before any duration", "[workload][table-sizes]") {
    const auto cat = schema(kEventsDdl);
    auto calls = account_lookups(3, 409);
    calls[0].plan = plan_of(kEventsSeqScan);
    const TableSizes sizes = table_size_evidence(workload_of(calls), cat);
    REQUIRE(sizes.count("public.events") == 1);
    const TableRows& r = sizes.at("public.events");
    // 20 rows kept plus 2,499,980 removed by the filter: the plan counted them.
    CHECK(r.rows == 2500000);
    CHECK(r.source == catalog::RowsSource::LoggedPlans);
    CHECK(contains(r.basis, "the most rows a Seq Scan of it read in 1 logged plan"));
}

TEST_CASE("a parallel Seq Scan's loops share one pass over the table", "[workload][table-sizes]") {
    const auto cat = schema(kEventsDdl);
    const char* parallel =
        R"(Gather  (cost=1000.00..9000.00 rows=20 width=12) (actual time=0.300..150.000 rows=20 loops=1)
  Workers Planned: 2
  Workers Launched: 2
  ->  Parallel Seq Scan on events  (cost=0.00..8000.00 rows=8 width=12) (actual time=0.010..140.000 rows=7 loops=3)
        Filter: (account_id = 7)
        Rows Removed by Filter: 833327
Planning Time: 0.050 ms
Execution Time: 150.100 ms
)";
    auto calls = account_lookups(1, 150);
    calls[0].plan = plan_of(parallel);
    const TableSizes sizes = table_size_evidence(workload_of(calls), cat);
    REQUIRE(sizes.count("public.events") == 1);
    CHECK(sizes.at("public.events").rows == Approx((7 + 833327) * 3.0));
}

TEST_CASE("statistics and --assume-rows win over the log's evidence", "[workload][table-sizes]") {
    const auto cat = schema(kEventsDdl, {{"events", 5000}});
    const TableSizes sizes = table_size_evidence(workload_of(account_lookups(10, 409)), cat);
    REQUIRE(sizes.count("public.events") == 1);  // the evidence is there...
    const TableRows r = table_rows(*cat.find_table("public", "events"), sizes);
    CHECK(r.rows == 5000);  // ...and the user's word wins
    CHECK(r.source == catalog::RowsSource::Assumed);
    CHECK(rows_basis(r) == "as given by --assume-rows");
    CHECK(size_notes(sizes, cat).empty());

    catalog::Table live = *cat.find_table("public", "events");
    live.estimated_rows = 123456;
    live.rows_source = catalog::RowsSource::Statistics;
    CHECK(table_rows(live, sizes).rows == 123456);
    CHECK(rows_basis(table_rows(live, sizes)) == "from the server's statistics");
}
