// The shape key is a cache key in front of libpg_query: statements with the
// same key must have the same libpg_query fingerprint. Checked over every
// statement of the corpus logs and fixtures, and over generated variants.
#include <catch2/catch.hpp>

#include <map>
#include <random>

#include "ingest/shape_key.hpp"
#include "sql/parser.hpp"
#include "test_support.hpp"

using namespace pgadvisor;
using namespace pgadvisor::ingest;
using namespace pgadvisor::ingest::test;

namespace {
// key -> (fingerprint, example); fails on the first disagreement.
struct Agreement {
    std::map<std::string, std::pair<std::string, std::string>> seen;
    long keyed = 0, unsure = 0, compared = 0;
    void add(const std::string& text) {
        auto k = shape_key(text);
        if (!k) {
            ++unsure;
            return;
        }
        ++keyed;
        auto fp = sql::fingerprint(text);
        if (!fp) return;  // not SQL libpg_query accepts: it gets its own shape by key
        auto [it, fresh] = seen.emplace(*k, std::make_pair(fp.value->hex, text));
        if (!fresh) {
            ++compared;
            INFO("key: " << *k << "\nfirst: " << it->second.second << "\nnow:   " << text);
            CHECK(it->second.first == fp.value->hex);
        }
    }
};
}  // namespace

TEST_CASE("shape key: literals, case, whitespace and IN-list length do not matter", "[ingest][shape_key]") {
    CHECK(*shape_key("SELECT * FROM t WHERE id = 42") == *shape_key("select *  from t\n where id=7;"));
    CHECK(*shape_key("SELECT * FROM t WHERE name = 'bob'") == *shape_key("SELECT * FROM t WHERE name = 'o''brien'"));
    CHECK(*shape_key("SELECT * FROM t WHERE id IN (1, 2, 3)") == *shape_key("SELECT * FROM t WHERE id IN (4)"));
    CHECK(*shape_key("SELECT 1.5e3, .5") == *shape_key("SELECT 2, 3"));
    CHECK(*shape_key("UPDATE t SET a = a + -4897 WHERE id = -1") == *shape_key("UPDATE t SET a = a + 12 WHERE id = 7"));
    CHECK(*shape_key("SELECT a - 1") != *shape_key("SELECT a, -1"));
    CHECK(*shape_key("SELECT a -- a comment\nFROM t") == *shape_key("SELECT a FROM t"));
    // What must stay apart.
    CHECK(*shape_key("SELECT * FROM t WHERE id = $1") != *shape_key("SELECT * FROM t WHERE id = 1"));
    CHECK(*shape_key("SELECT \"Id\" FROM t") != *shape_key("SELECT id FROM t"));
    CHECK(*shape_key("SELECT a FROM t") != *shape_key("SELECT b FROM t"));
    CHECK(*shape_key("INSERT INTO t VALUES (1, 2)") != *shape_key("INSERT INTO t VALUES (1)"));
    CHECK(*shape_key("SELECT a @ -b") != *shape_key("SELECT a @- b"));
    // Where the scanner is unsure it says so, and the caller asks libpg_query.
    CHECK_FALSE(shape_key("SELECT $$x$$"));
    CHECK_FALSE(shape_key("SELECT E'a\\'b'"));
    CHECK_FALSE(shape_key("SELECT /* c */ 1"));
    CHECK_FALSE(shape_key("SELECT 'unterminated"));
    CHECK_FALSE(shape_key("SELECT U&'d\\0061t'"));
}

TEST_CASE("shape key agrees with libpg_query's fingerprint over the corpus", "[ingest][shape_key][corpus]") {
    Agreement a;
    for (const char* f : {"light.postgres.log", "rds.log", "pg-syslog.1", "queryid.log", "stmt_type.log",
                          "tempfile_only.log", "multiline_param.log", "cnpg.log", "anonymize.log", "weeknumber.log"}) {
        auto r = ingest_path(corpus(std::string("logs/pgbadger/") + f));
        for (const auto& s : r.statements) a.add(s.text);
    }
    for (const char* f : {"pg15-workload.log"}) {
        auto r = ingest_path(fixture(f));
        for (const auto& s : r.statements) a.add(s.text);
    }
    CHECK(a.keyed > 40000);
    CHECK(a.compared > 40000);  // most statements share a key with an earlier one
}

TEST_CASE("shape key agrees with libpg_query on generated literal variants", "[ingest][shape_key]") {
    const char* templates[] = {
        "SELECT * FROM orders WHERE id = %N",
        "SELECT * FROM orders WHERE customer_id IN (%L) AND status = %S",
        "UPDATE accounts SET balance = balance + %N WHERE id = %N",
        "INSERT INTO events (kind, payload, at) VALUES (%S, %S, now())",
        "select o.id,o.total from orders o join customers c on c.id=o.customer_id where c.email=%S limit %N",
        "SELECT count(*) FROM t WHERE created_at > %S::timestamptz - interval %S",
        "DELETE FROM sessions WHERE expires < %N OR user_id = $1",
        "SELECT * FROM t WHERE x BETWEEN %N AND %N ORDER BY 1 OFFSET %N",
    };
    std::mt19937 rng(12345);
    auto num = [&] {
        static const char* forms[] = {"0", "42", "-7", "3.25", "1e6", ".5", "99999999999"};
        return std::string(forms[rng() % 7]);
    };
    auto str = [&] {
        static const char* forms[] = {"'a'", "''", "'it''s'", "'multi\nline'", "'%_x'", "'ünï'"};
        return std::string(forms[rng() % 6]);
    };
    Agreement a;
    for (int round = 0; round < 300; ++round) {
        for (const char* t : templates) {
            std::string out;
            for (const char* p = t; *p; ++p) {
                if (*p == '%' && p[1] == 'N') {
                    out += num();
                    ++p;
                } else if (*p == '%' && p[1] == 'S') {
                    out += str();
                    ++p;
                } else if (*p == '%' && p[1] == 'L') {
                    int n = 1 + static_cast<int>(rng() % 5);
                    for (int k = 0; k < n; ++k) out += (k ? ", " : "") + num();
                    ++p;
                } else {
                    char c = *p;
                    // Vary keyword case and spacing.
                    if (rng() % 4 == 0 && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
                    out += c;
                    if (c == ' ' && rng() % 5 == 0) out += "\n\t";
                }
            }
            a.add(out);
        }
    }
    CHECK(a.compared > 2000);
}
