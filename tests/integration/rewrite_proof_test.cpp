// The live proof of issue 13: with --db every rewrite is prepared on the server and every
// batched N+1 lookup is compared, per key, with the rows its logged loops returned; a
// batch that returns other rows is caught. Then the shop example end to end: every up
// migration `analyze --db` writes applies with psql -v ON_ERROR_STOP=1 -f, HypoPG was
// given each up file's own CREATE INDEX text, and every review statement plans against
// the data once the migrations ran.
#include <catch2/catch.hpp>

#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <unistd.h>

#include "advise/advise.hpp"
#include "server/rewrite_check.hpp"
#include "sql/rewrite.hpp"
#include "sql/shape.hpp"
#include "throwaway_pg.hpp"

using namespace pgadvisor;
using namespace pgadvisor::test;
namespace fs = std::filesystem;
using KeyColumn = sql::BatchedLookup::KeyColumn;

namespace {

std::string new_database(const std::string& prefix) {
    const std::string db = prefix + std::to_string(std::random_device{}() % 1000000);
    pqxx::connection conn(throwaway_pg().conninfo());
    pqxx::nontransaction tx(conn);
    tx.exec("CREATE DATABASE " + db);
    return throwaway_pg().conninfo(db);
}

std::string text_of(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// What the n-plus-one rule hands advise: the batch sql::batch_lookup builds for the loop's
// statement (key $1), with the loops to compare on.
server::RewriteCheckRequest batched(const std::string& per_call, const std::string& key_type,
                                    std::vector<std::vector<server::CallValues>> loops) {
    auto shape = sql::shape_statement(per_call);
    REQUIRE(shape.shape);
    sql::BatchOptions o;
    for (const auto& l : shape.shape->literals)
        if (l.param_number == 1) o.operand_location = l.location;
    o.key_type = key_type;
    auto b = sql::batch_lookup(per_call, o);
    REQUIRE(b);
    server::BatchSamples s{per_call, 1, b.value->origin, b.value->key_column, key_type, std::move(loops)};
    return {b.value->sql, s};
}

// The same loops against a batch written by hand.
server::RewriteCheckRequest by_hand(const server::RewriteCheckRequest& right, std::string sql, std::vector<int> origin,
                                    KeyColumn key_column) {
    server::RewriteCheckRequest wrong = right;
    wrong.sql = std::move(sql);
    wrong.batch->origin = std::move(origin);
    wrong.batch->key_column = key_column;
    return wrong;
}

server::CallValues call(std::initializer_list<const char*> values) {
    server::CallValues out;
    for (const char* v : values) out.push_back(v ? std::optional<std::string>(v) : std::nullopt);
    return out;
}

}  // namespace

TEST_CASE("rewrite proof: a per-parent count and a per-parent LIMIT are checked per key",
          "[integration][pg][rewrite-proof]") {
    const std::string conninfo = new_database("rewrite_proof_");
    {
        pqxx::connection conn(conninfo);
        pqxx::nontransaction tx(conn);
        tx.exec("CREATE TABLE posts (id serial PRIMARY KEY, \"userId\" integer NOT NULL, title text)");
        // User 1: three posts, 2: one, 3: none, 4: two, 5: five.
        tx.exec(
            "INSERT INTO posts (\"userId\", title) SELECT u, 'p' || u || '-' || n FROM (VALUES (1, 3), (2, 1), "
            "(4, 2), (5, 5)) AS c(u, k), generate_series(1, k) AS n");
    }
    // Two logged loops each; a key twice in a loop is looked up once.
    const auto count = batched("SELECT count(*) FROM posts WHERE \"userId\" = $1", "integer",
                               {{call({"1"}), call({"2"}), call({"3"}), call({"1"})}, {call({"4"}), call({"5"})}});
    const auto limit = batched("SELECT id, title FROM posts WHERE \"userId\" = $1 ORDER BY id LIMIT $2", "integer",
                               {{call({"1", "2"}), call({"5", "2"}), call({"3", "2"})}, {call({"4", "2"})}});
    CHECK(count.batch->key_column == KeyColumn::First);
    // The batches pgadvisor wrote before issue 13: one total for all parents; one LIMIT for all.
    const auto one_total = by_hand(count, "SELECT count(*) FROM posts WHERE \"userId\" = ANY($1)", {1},
                                   KeyColumn::InRow);
    const auto one_limit = by_hand(
        limit, "SELECT id, title, \"userId\" FROM posts WHERE \"userId\" = ANY($1) ORDER BY id LIMIT $2", {1, 2},
        KeyColumn::Last);
    server::RewriteCheckRequest unknown_column{"SELECT nope FROM posts WHERE \"userId\" = ANY($1)", std::nullopt};

    const auto r = server::check_rewrites(conninfo, 5000, {count, limit, one_total, one_limit, unknown_column});
    REQUIRE(r.connection_error.empty());
    REQUIRE(r.outcomes.size() == 5);
    for (int i : {0, 1}) {
        INFO(i << ": " << r.outcomes[i].error << r.outcomes[i].server_message);
        CHECK(r.outcomes[i].prepared);
        CHECK(r.outcomes[i].error.empty());
        CHECK(r.outcomes[i].loops_equivalent == 2);
    }
    CHECK(r.outcomes[2].prepared);
    CHECK(r.outcomes[2].error ==
          "it returned other rows than the loop on logged loop 1 of 2: the loop's 3 calls returned 3 rows in all, "
          "the batch 1 row");
    CHECK(r.outcomes[2].loops_equivalent == 0);
    CHECK(r.outcomes[3].error ==
          "it returned other rows than the loop on logged loop 1 of 2: for key 2 of 3 in the loop, its call returned "
          "2 rows, the batch 0 rows");
    CHECK_FALSE(r.outcomes[4].prepared);
    CHECK(r.outcomes[4].error == "it does not prepare on the server");
    CHECK(r.outcomes[4].server_message.find("nope") != std::string::npos);
    CHECK(r.outcomes[0].keys_compared == 5);  // 1, 2, 3 and 4, 5: a key twice in a loop runs once

    // At most `calls` calls a rewrite: loops taken whole while their keys fit, a first loop
    // larger than that on its first keys; a wrong batch still fails on those.
    const auto limited = server::check_rewrites(conninfo, 5000, {count, count, one_total}, {20, 3});
    const auto first_only = server::check_rewrites(conninfo, 5000, {count, one_total}, {20, 2});
    REQUIRE(limited.outcomes.size() == 3);
    REQUIRE(first_only.outcomes.size() == 2);
    for (const auto* o : {&limited.outcomes[0], &first_only.outcomes[0]}) {
        INFO(o->error << o->server_message);
        CHECK(o->error.empty());
        CHECK(o->loops_equivalent == 1);
        CHECK(o->not_compared == "not compared on 1 more logged loop: at most " +
                                     std::to_string(o == &limited.outcomes[0] ? 3 : 2) + " calls are run per rewrite");
    }
    CHECK(limited.outcomes[0].keys_compared == 3);
    CHECK(limited.outcomes[1].keys_compared == 3);  // each rewrite has its own limit
    CHECK(first_only.outcomes[0].keys_compared == 2);
    CHECK(limited.outcomes[2].error ==
          "it returned other rows than the loop on logged loop 1 of 2: the loop's 3 calls returned 3 rows in all, "
          "the batch 1 row");
    CHECK(first_only.outcomes[1].error ==
          "it returned other rows than the loop on logged loop 1 of 2: the loop's 2 calls returned 2 rows in all, "
          "the batch 1 row");

    // Through advise: the wrong batch is not proposed and the notes say why; the right one is,
    // with its proof.
    std::vector<rules::Finding> findings(2);
    for (auto& f : findings) {
        f.rule_id = "n-plus-one";
        f.table = "posts";
        f.key = f.title = "loop " + std::to_string(&f - findings.data());
    }
    findings[0].rewrite_sql = count.sql;
    findings[0].batch_samples = count.batch;
    findings[1].rewrite_sql = one_total.sql;
    findings[1].batch_samples = one_total.batch;
    advise::AdviceInput in;
    in.findings = &findings;
    advise::AdviseOptions o;
    o.conninfo = conninfo;
    const auto advice = advise::advise(in, o);
    REQUIRE(advice.recommendations.size() == 1);
    CHECK(advice.recommendations[0].review_sql == count.sql);
    CHECK(advise::describe(advice.recommendations[0].rewrite_check) ==
          "prepared on the server; checked equivalent on 2 logged loops (5 keys)");
    REQUIRE(advice.notes.size() == 1);
    CHECK(advice.notes[0] ==
          "Batch the N+1 lookups on posts into one statement: the rewritten statement is not proposed: it returned "
          "other rows than the loop on logged loop 1 of 2: the loop's 3 calls returned 3 rows in all, the batch 1 "
          "row");
}

TEST_CASE("rewrite proof: the shop example's files apply with psql and its review statements plan on the data",
          "[integration][pg][rewrite-proof]") {
    const auto& pg = throwaway_pg();
    const std::string conninfo = new_database("rewrite_shop_");
    const fs::path shop = PGADVISOR_SHOP_DIR;
    {
        pqxx::connection conn(conninfo);
        pqxx::nontransaction tx(conn);
        tx.exec("CREATE EXTENSION hypopg");
        tx.exec(text_of(shop / "schema.sql"));
        tx.exec(text_of(shop / "data.sql"));
        tx.exec("VACUUM ANALYZE");
    }
    const fs::path out = fs::temp_directory_path() / ("pgadvisor_rewrite_proof_" + std::to_string(::getpid()));
    fs::remove_all(out);
    const std::size_t log_offset = file_size(pg.stderr_log);
    auto analyze = run_pgadvisor("analyze " + (shop / "captured" / "postgresql.log").string() + " --db " +
                                     shell_quoted(conninfo) + " --out " + out.string() +
                                     " --timestamp 20260101000000 --format json",
                                 false);
    REQUIRE(analyze.exit_code == 0);
    const auto report = nlohmann::json::parse(analyze.output);
    for (const auto& n : report["notes"]) UNSCOPED_INFO("note: " << n);

    // Each N+1 batch was compared with its logged loops; every rewrite prepared.
    int batches = 0;
    for (const auto& r : report["recommendations"]) {
        if (!r["review_sql"].is_string() || r["review_sql"].get<std::string>().empty()) continue;
        INFO(r["title"] << ": " << r["rewrite_check"]);
        const std::string status = r["rewrite_check"]["status"];
        CHECK(status != "offline");
        if (r["rules"][0] == "n-plus-one") {
            ++batches;
            CHECK(status == "equivalent");
            CHECK(r["rewrite_check"]["loops"].get<int>() > 0);
        }
    }
    CHECK(batches == 2);

    // Every up file, in order, as its header says: psql -v ON_ERROR_STOP=1 -f.
    std::vector<fs::path> ups, reviews;
    for (const auto& e : fs::recursive_directory_iterator(out)) {
        const std::string name = e.path().filename().string();
        if (!e.is_regular_file() || !name.ends_with(".sql")) continue;
        if (e.path().parent_path().filename() == "review") reviews.push_back(e.path());
        else if (!name.ends_with(".down.sql")) ups.push_back(e.path());
    }
    std::sort(ups.begin(), ups.end());
    REQUIRE(ups.size() >= 3);
    REQUIRE(reviews.size() >= 4);
    const std::string server_log = wait_for_log(pg.stderr_log, log_offset, "hypopg_create_index");
    for (const auto& up : ups) {
        INFO(up.string());
        const std::string text = text_of(up);
        // HypoPG was given this very statement (as a logged bind parameter), character for character.
        const auto create = text.find("\nCREATE ") + 1;
        REQUIRE(create != 0);
        const std::string statement = text.substr(create, text.find(';', create) + 1 - create);
        CHECK(server_log.find("= '" + statement + "'") != std::string::npos);
        auto psql = run_command(pg.bin_dir + "/psql -X -q -v ON_ERROR_STOP=1 -d " + shell_quoted(conninfo) + " -f " +
                                up.string() + " 2>&1");
        INFO(psql.output);
        CHECK(psql.exit_code == 0);
    }

    // Every review statement, now that its indexes exist: prepared and planned with NULL
    // for each parameter (EXPLAIN runs nothing), so an UPSERT finds its arbiter index.
    pqxx::connection conn(conninfo);
    for (const auto& review : reviews) {
        INFO(review.string());
        const std::string text = text_of(review);
        CHECK(text.find("-- Rewrite check (docs/migrations.md): prepared on the server") != std::string::npos);
        if (text.find("N+1") != std::string::npos) CHECK(text.find("checked equivalent on ") != std::string::npos);
        auto shapes = sql::shape_statements(text);
        REQUIRE(shapes.size() == 1);
        REQUIRE(shapes[0].shape);
        std::string statement = shapes[0].shape->text;
        while (!statement.empty() && (statement.back() == ';' || statement.back() == '\n')) statement.pop_back();
        pqxx::read_transaction tx(conn);
        tx.exec("PREPARE review AS " + statement);
        const int params =
            tx.exec("SELECT cardinality(parameter_types) FROM pg_prepared_statements WHERE name = 'review'")[0][0]
                .as<int>();
        std::string nulls;
        for (int i = 0; i < params; ++i) nulls += std::string(i ? ", " : "") + "NULL";
        CHECK_NOTHROW(tx.exec("EXPLAIN EXECUTE review" + (params ? "(" + nulls + ")" : std::string())));
        tx.exec("DEALLOCATE review");
        tx.abort();
    }
    fs::remove_all(out);
}

TEST_CASE("rewrite proof: a find-or-create among rows not deleted gets a partial unique index its UPSERT infers",
          "[integration][pg][rewrite-proof]") {
    const auto& pg = throwaway_pg();
    const std::string conninfo = new_database("soft_delete_");
    const fs::path dir = fs::temp_directory_path() / ("pgadvisor_soft_delete_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string schema =
        "CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL, name text, deleted_at timestamptz);\n";
    std::ofstream(dir / "schema.sql") << schema;
    {
        // Rails' paranoia, Django's safedelete: the default scope is in find_or_create_by's SELECT.
        std::ofstream log(dir / "app.log");
        for (int i = 0; i < 12; ++i)
            log << fmt::format(
                "2026-01-01 10:00:{0:02}.000 UTC [{1}] LOG:  duration: 0.400 ms  statement: SELECT id FROM users "
                "WHERE email = 'u{0}@x.io' AND deleted_at IS NULL LIMIT 1\n"
                "2026-01-01 10:00:{0:02}.002 UTC [{1}] LOG:  duration: 0.300 ms  statement: INSERT INTO users "
                "(email, name) VALUES ('u{0}@x.io', 'n{0}') RETURNING id\n",
                i * 4, 100 + i % 3);
    }
    auto analyze = run_pgadvisor("analyze --prefix '%m [%p] ' " + (dir / "app.log").string() + " --schema " +
                                     (dir / "schema.sql").string() + " --out " + (dir / "out").string() +
                                     " --timestamp 20260101000000",
                                 false);
    INFO(analyze.output);
    REQUIRE(analyze.exit_code <= 1);
    const fs::path up = dir / "out" / "0001_add_users_email_part_key.sql";
    const fs::path review = dir / "out" / "review" / "upsert_users_email_part_key.sql";
    REQUIRE(fs::exists(up));
    REQUIRE(fs::exists(review));

    pqxx::connection conn(conninfo);
    {
        pqxx::nontransaction tx(conn);
        tx.exec(schema);
        tx.exec("INSERT INTO users (email, name, deleted_at) VALUES ('gone@x.io', 'old', now())");
    }
    auto psql = run_command(pg.bin_dir + "/psql -X -q -v ON_ERROR_STOP=1 -d " + shell_quoted(conninfo) + " -f " +
                            up.string() + " 2>&1");
    INFO(psql.output);
    REQUIRE(psql.exit_code == 0);
    auto shapes = sql::shape_statements(text_of(review));
    REQUIRE(shapes.size() == 1);
    REQUIRE(shapes[0].shape);
    std::string upsert = shapes[0].shape->text;
    while (!upsert.empty() && (upsert.back() == ';' || upsert.back() == '\n')) upsert.pop_back();
    CHECK(upsert.find("ON CONFLICT (email) WHERE deleted_at IS NULL") != std::string::npos);
    pqxx::nontransaction tx(conn);
    tx.exec("PREPARE up(text, text) AS " + upsert);
    const auto first = tx.exec("EXECUTE up('a@x.io', 'A')");
    const auto again = tx.exec("EXECUTE up('a@x.io', 'B')");
    REQUIRE(first.size() == 1);
    REQUIRE(again.size() == 1);
    CHECK(first[0][0].as<long>() == again[0][0].as<long>());  // the existing row, not a second one
    tx.exec("EXECUTE up('gone@x.io', 'new')");                // a deleted row does not block a new one
    CHECK(tx.exec("SELECT count(*) FROM users WHERE email = 'a@x.io'")[0][0].as<int>() == 1);
    CHECK(tx.exec("SELECT count(*) FROM users WHERE email = 'gone@x.io' AND deleted_at IS NULL")[0][0].as<int>() == 1);
    fs::remove_all(dir);
}
