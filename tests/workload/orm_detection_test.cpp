// ORM detection (workload/orm_detection.hpp) on the example applications'
// captured logs: each names its ORM, and the logs of no ORM name none.
#include <catch2/catch.hpp>

#include <string>

#include "ingest/ingest.hpp"
#include "sql/shape.hpp"
#include "workload/workload.hpp"

using namespace pgadvisor;
using namespace pgadvisor::workload;

namespace {

Workload captured_workload(const std::string& example) {
    WorkloadBuilder builder;
    ingest::IngestOptions options;
    options.inputs = {std::string(PGADVISOR_SOURCE_DIR) + "/examples/" + example + "/captured/postgresql.log"};
    const auto report = ingest::ingest(options, [&](ingest::Statement&& s) { builder.add(s); });
    REQUIRE(report.statements > 0);
    return builder.finish();
}

bool has_signal(const OrmDetection& d, Orm orm, SignalStrength strength) {
    for (const auto& s : d.signals)
        if (s.orm == orm && s.strength == strength && s.count > 0) return true;
    return false;
}

OrmDetection detect_shapes(const std::vector<std::string>& statements) {
    OrmDetector detector;
    for (const auto& text : statements) {
        auto shaped = sql::shape_statement(text);
        REQUIRE(shaped.shape);
        detector.add_shape(*shaped.shape);
    }
    return detector.result();
}

}  // namespace

TEST_CASE("orm detection: each example application's log names its ORM", "[workload][orm]") {
    struct Case {
        const char* example;
        Orm orm;
        OrmConfidence confidence;
        SignalStrength deciding;
    };
    const Case cases[] = {
        // Prisma and Sequelize tag requests but not their framework: their SQL tells.
        {"prisma-blog", Orm::Prisma, OrmConfidence::High, SignalStrength::Dialect},
        {"sequelize-clinic", Orm::Sequelize, OrmConfidence::High, SignalStrength::Dialect},
        {"django-app", Orm::Django, OrmConfidence::High, SignalStrength::Tag},
        {"sqlalchemy-app", Orm::SqlAlchemy, OrmConfidence::High, SignalStrength::Tag},
        {"activerecord-app", Orm::ActiveRecord, OrmConfidence::High, SignalStrength::Tag},
    };
    for (const auto& c : cases) {
        INFO(c.example);
        const Workload w = captured_workload(c.example);
        INFO(w.orm.reason);
        CHECK(w.orm.orm == c.orm);
        CHECK(w.orm.confidence == c.confidence);
        CHECK(has_signal(w.orm, c.orm, c.deciding));
        CHECK(w.orm.reason.find(display_name(c.orm)) != std::string::npos);
    }
}

TEST_CASE("orm detection: the dialects of Django and SQLAlchemy agree with their framework tags", "[workload][orm]") {
    CHECK(has_signal(captured_workload("django-app").orm, Orm::Django, SignalStrength::Dialect));
    CHECK(has_signal(captured_workload("sqlalchemy-app").orm, Orm::SqlAlchemy, SignalStrength::Dialect));
    const OrmDetection django = captured_workload("django-app").orm;
    CHECK(django.driver == "psycopg2");
}

TEST_CASE("orm detection: a C++ driver's and pgbench's logs name no ORM", "[workload][orm]") {
    for (const char* example : {"shop", "pgbench"}) {
        INFO(example);
        const Workload w = captured_workload(example);
        INFO(w.orm.reason);
        CHECK(w.orm.orm == Orm::Unknown);
        CHECK(w.orm.confidence == OrmConfidence::None);
        CHECK(w.orm.signals.empty());
    }
}

TEST_CASE("orm detection: Knex's and hand-written SQL is not taken for an ORM's dialect", "[workload][orm]") {
    // What Knex sends for first(), where(), whereIn() and a join: unqualified
    // or table-qualified without schema, and no model aliases or labels.
    const OrmDetection d = detect_shapes({
        R"(select "orders".* from "orders" where "id" = $1 limit $2)",
        R"(select "order_items"."id", "order_items"."qty" from "order_items" where "order_id" in ($1, $2))",
        R"(select o.id, c.name from orders as o join customers as c on c.id = o.customer_id)",
        R"(select count(*) as total from orders)",
    });
    CHECK(d.orm == Orm::Unknown);
}

TEST_CASE("orm detection: only the driver named gives 'driver only', not an ORM", "[workload][orm]") {
    OrmDetector detector;
    detector.add_execution({{"db_driver", "pg"}, {"route", "/orders"}}, "shop");
    const OrmDetection d = detector.result();
    CHECK(d.orm == Orm::Unknown);
    CHECK(d.driver == "pg");
    CHECK(d.reason.find("only the driver") != std::string::npos);
}

TEST_CASE("orm detection: an application_name alone is a low-confidence guess", "[workload][orm]") {
    OrmDetector detector;
    detector.add_execution({}, "prisma-blog");
    const OrmDetection d = detector.result();
    CHECK(d.orm == Orm::Prisma);
    CHECK(d.confidence == OrmConfidence::Low);
}

TEST_CASE("orm detection: two frameworks tagged lower the confidence", "[workload][orm]") {
    OrmDetector detector;
    for (int i = 0; i < 3; ++i) detector.add_execution({{"framework", "django:4.2"}}, "");
    detector.add_execution({{"framework", "sqlalchemy:2.0"}}, "");
    const OrmDetection d = detector.result();
    CHECK(d.orm == Orm::Django);
    CHECK(d.confidence == OrmConfidence::Medium);
    CHECK(d.reason.find("also seen: SQLAlchemy") != std::string::npos);
}
