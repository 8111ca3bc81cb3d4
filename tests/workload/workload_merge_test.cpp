// A log split at session boundaries into k parts, each part's workload built
// alone and the workloads merged (workload_merge.hpp), gives the workload of the
// whole log (issue 17, "Beyond one machine"): the same shapes, statistics,
// percentiles, constant literals, sessions, transactions and requests.
#include <catch2/catch.hpp>

#include <string>

#include "workload/workload.hpp"
#include "workload/workload_merge.hpp"
#include "workload_compare.hpp"

using namespace pgadvisor;
using namespace pgadvisor::workload;
using namespace pgadvisor::workload::testing;

TEST_CASE("workload merge: parts split at session boundaries merge into the whole log's workload",
          "[workload][workload-merge]") {
    for (const char* example :
         {"shop", "prisma-blog", "sequelize-clinic", "django-app", "sqlalchemy-app", "activerecord-app", "pgbench"}) {
        INFO(example);
        const auto log = read_log(example);
        const Workload whole = build(log, 0, 1);
        {
            INFO("k = 2");
            Workload merged = build(log, 0, 2);
            merge_workload(merged, build(log, 1, 2));
            check_same(merged, whole);
        }
        {
            INFO("k = 3, merged as (a b) c");
            Workload merged = build(log, 0, 3);
            merge_workload(merged, build(log, 1, 3));
            merge_workload(merged, build(log, 2, 3));
            check_same(merged, whole);
        }
        {
            INFO("k = 3, merged as a (b c)");
            Workload bc = build(log, 1, 3);
            merge_workload(bc, build(log, 2, 3));
            Workload merged = build(log, 0, 3);
            merge_workload(merged, std::move(bc));
            check_same(merged, whole);
        }
    }
}

TEST_CASE("workload merge: a part's shape ids are remapped to the merged workload's", "[workload][workload-merge]") {
    auto statement = [](const std::string& text, const std::string& session) {
        ingest::Statement s;
        s.text = text;
        s.session_id = session;
        s.duration_ms = 1.5;
        return s;
    };
    WorkloadBuilder a, b;
    a.add(statement("SELECT * FROM users WHERE id = 1", "s1"));
    b.add(statement("SELECT * FROM orders WHERE id = 7", "s2"));
    b.add(statement("SELECT * FROM users WHERE id = 2", "s2"));
    Workload into = a.finish();
    const auto ids = merge_workload(into, b.finish());
    REQUIRE(into.shapes.size() == 2);
    REQUIRE(ids.size() == 2);
    CHECK(ids[1] == 0);  // users: the first part's shape
    CHECK(ids[0] == 1);  // orders: new, appended
    CHECK(into.shapes[1].id == 1);
    CHECK(into.shapes[0].stats.calls == 2);
    CHECK(into.shapes[0].spread.sessions == 2);
    CHECK(into.sessions == 2);
    // The users lookup was 1 in one part and 2 in the other: not constant in the whole.
    REQUIRE(into.shapes[0].constant_literals.size() == 1);
    CHECK_FALSE(into.shapes[0].constant_literals[0].constant());
    REQUIRE(into.shapes[1].constant_literals.size() == 1);
    CHECK(into.shapes[1].constant_literals[0].constant());
}
