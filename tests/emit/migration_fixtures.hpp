#pragma once
// Recommendations built by hand for the emit tests: what the advise stage
// would give for a small shop workload (one of each kind).

#include <vector>

#include "advise/recommendation.hpp"
#include "emit/migrations.hpp"

namespace pgadvisor::test {

inline rules::StatementEvidence evidence(std::string normalized, long long calls, double total_ms) {
    rules::StatementEvidence e;
    e.fingerprint = "0123456789abcdef";
    e.normalized = std::move(normalized);
    e.calls = calls;
    e.total_ms = total_ms;
    e.mean_ms = calls ? total_ms / calls : 0;
    e.p95_ms = e.mean_ms * 2;
    e.max_ms = e.mean_ms * 5;
    return e;
}

inline advise::GainEstimate gain(advise::GainMethod method, std::string detail, double per_call, double per_hour,
                                 double share, rules::Confidence confidence) {
    advise::GainEstimate g;
    g.method = method;
    g.method_detail = std::move(detail);
    g.ms_per_call = per_call;
    g.ms_per_hour = per_hour;
    g.ms_total = per_hour / 2;
    g.share_of_db_time = share;
    g.confidence = confidence;
    return g;
}

// 0: composite, DESC, INCLUDE, partial.  1: expression lower(email).
// 2: unique (check-then-insert) with its UPSERT.  3: N+1 rewrite.  4: drop a duplicate index.
inline std::vector<advise::Recommendation> shop_recommendations() {
    std::vector<advise::Recommendation> recs;
    {
        advise::Recommendation r;
        r.kind = advise::RecommendationKind::CreateIndex;
        r.title = "Index orders (customer_id, created_at DESC) for open orders";
        r.rule_ids = {"seq-scan"};
        r.statements = {
            evidence("SELECT id, total FROM orders WHERE customer_id = $1 AND deleted_at IS NULL\n"
                     "ORDER BY created_at DESC LIMIT $2",
                     1200, 5400)};
        r.index.schema = "public";
        r.index.table = "orders";
        r.index.keys = {{"customer_id", "", false, false}, {"created_at", "", true, true}};
        r.index.include = {"total"};
        r.index.predicate = "deleted_at IS NULL";
        r.rationale = "customer_id is compared with =, created_at orders the result; total makes it index-only.";
        r.gain = gain(advise::GainMethod::HypoPG, "planner cost with the hypothetical index, scaled to the log's times",
                      4.2, 10080, 0.31, rules::Confidence::High);
        r.gain.cost_before = 18250.5;
        r.gain.cost_after = 12.75;
        r.write_cost = {36, "pg_stat_user_tables",
                        "each INSERT and each UPDATE of these columns also writes this index"};
        recs.push_back(r);
    }
    {
        advise::Recommendation r;
        r.kind = advise::RecommendationKind::CreateIndex;
        r.title = "Index customers (lower(email))";
        r.rule_ids = {"seq-scan"};
        r.statements = {evidence("SELECT id FROM customers WHERE lower(email) = lower($1)", 300, 2400)};
        r.index.schema = "public";
        r.index.table = "customers";
        r.index.keys = {{"", "lower(email)", false, false}};
        r.rationale = "the statement compares lower(email), which no index on email serves.";
        r.gain = gain(advise::GainMethod::PlanActualTimes, "the plan's actual Seq Scan time", 7.9, 4740, 0.14,
                      rules::Confidence::Medium);
        r.write_cost = {2, "observed in the log", "each INSERT also writes this index"};
        recs.push_back(r);
    }
    {
        advise::Recommendation r;
        r.kind = advise::RecommendationKind::CreateUniqueIndex;
        r.title = "Unique index on cart_items (cart_id, product_id) for an UPSERT";
        r.rule_ids = {"check-then-insert"};
        r.statements = {evidence("SELECT quantity FROM cart_items WHERE cart_id = $1 AND product_id = $2", 80, 96),
                        evidence("INSERT INTO cart_items (cart_id, product_id, quantity) VALUES ($1, $2, $3)", 80,
                                 120)};
        r.index.schema = "public";
        r.index.table = "cart_items";
        r.index.keys = {{"cart_id", "", false, false}, {"product_id", "", false, false}};
        r.index.unique = true;
        r.review_sql =
            "INSERT INTO cart_items (cart_id, product_id, quantity) VALUES ($1, $2, $3)\n"
            "ON CONFLICT (cart_id, product_id) DO NOTHING;";
        r.rationale = "the SELECT then INSERT of the same key races; ON CONFLICT needs a unique index on the key.";
        r.gain = gain(advise::GainMethod::RoundTrips, "one round trip instead of two per insert", 1.2, 192, 0.01,
                      rules::Confidence::High);
        r.write_cost = {160, "observed in the log", "each INSERT checks and writes this index"};
        recs.push_back(r);
    }
    {
        advise::Recommendation r;
        r.kind = advise::RecommendationKind::RewriteStatement;
        r.title = "Batch the N+1 lookup of order_lines by order_id";
        r.rule_ids = {"n-plus-one"};
        r.statements = {evidence("SELECT * FROM order_lines WHERE order_id = $1", 4000, 3200)};
        r.review_sql = "SELECT * FROM order_lines WHERE order_id = ANY($1);";
        r.rationale = "40 lookups per request with only the parameter changing.";
        r.gain = gain(advise::GainMethod::RoundTrips, "39 of 40 round trips per request saved", 0.75, 6000, 0.18,
                      rules::Confidence::Medium);
        r.write_cost = {0, "unknown", ""};
        recs.push_back(r);
    }
    return recs;
}

// The up migrations among a layout's files, in order.
inline std::vector<const emit::MigrationFile*> up_files(const std::vector<emit::MigrationFile>& files) {
    std::vector<const emit::MigrationFile*> ups;
    for (const auto& f : files)
        if (f.role == emit::FileRole::Up) ups.push_back(&f);
    return ups;
}

}  // namespace pgadvisor::test
