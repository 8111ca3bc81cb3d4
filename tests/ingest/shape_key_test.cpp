// The shape key is a cache key in front of libpg_query: statements with the
// same key must have the same libpg_query fingerprint, and the value tokens its
// pass finds, where it says it is sure, must be libpg_query's scanner's. Checked
// over every statement of the corpus logs and fixtures, and over generated variants.
#include <catch2/catch.hpp>

#include <cctype>
#include <map>
#include <random>

#include "ingest/shape_key.hpp"
#include "sql/parser.hpp"
#include "sql/relations.hpp"
#include "sql/scanner.hpp"
#include "test_support.hpp"

using namespace pgadvisor;
using namespace pgadvisor::ingest;
using namespace pgadvisor::ingest::test;

namespace {
// key -> (fingerprint, example); fails on the first disagreement.
struct Agreement {
    std::map<std::string, std::pair<std::string, std::string>> seen;
    long keyed = 0, unsure = 0, compared = 0, values_sure = 0;
    void add(const std::string& text) {
        ValueScan values;
        auto k = shape_key(text, &values);
        CHECK(shape_key(text) == k);  // asking for values does not change the key
        if (values.sure) {
            ++values_sure;
            INFO("statement: " << text);
            CHECK(values.tokens == sql::value_tokens(text));
        }
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
    // Block comments (sqlcommenter tags) are blanks; they nest.
    CHECK(*shape_key("SELECT a FROM t /*traceparent='00-0af7-01'*/") == *shape_key("SELECT a FROM t"));
    CHECK(*shape_key("SELECT a/* x /* y */ z */FROM t") == *shape_key("SELECT a FROM t"));
    CHECK(*shape_key("SELECT a-/**/1") == *shape_key("SELECT a - 1"));
    // What must stay apart.
    CHECK(*shape_key("SELECT * FROM t WHERE id = $1") != *shape_key("SELECT * FROM t WHERE id = 1"));
    CHECK(*shape_key("SELECT \"Id\" FROM t") != *shape_key("SELECT id FROM t"));
    CHECK(*shape_key("SELECT a FROM t") != *shape_key("SELECT b FROM t"));
    CHECK(*shape_key("INSERT INTO t VALUES (1, 2)") != *shape_key("INSERT INTO t VALUES (1)"));
    CHECK(*shape_key("SELECT a @ -b") != *shape_key("SELECT a @- b"));
    // Where the scanner is unsure it says so, and the caller asks libpg_query.
    CHECK_FALSE(shape_key("SELECT $$x$$"));
    CHECK_FALSE(shape_key("SELECT E'a\\'b'"));
    CHECK_FALSE(shape_key("SELECT /* unterminated 1"));
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
    CHECK(a.values_sure > 40000);
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
        "SELECT * FROM t /* app=%N */ WHERE x = %N /*route=%S,nested /* %N */ */",
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
    CHECK(a.values_sure > 2000);
}

// The key's pass gives a statement's value tokens, so analyze need not run
// libpg_query's scanner on every statement for its constants (issue 17).
TEST_CASE("shape key: value tokens from the key's own pass, or not sure", "[ingest][shape_key]") {
    auto scan = [](std::string_view text) {
        ValueScan v;
        shape_key(text, &v);
        return v;
    };
    const std::string text = "SELECT * FROM t WHERE a = -12 AND b IN ('x', 'it''s') AND c = $3 AND d IS NOT NULL";
    auto v = scan(text);
    REQUIRE(v.sure);
    REQUIRE(v.tokens.size() == 5);
    CHECK(text.substr(v.tokens[0].start, v.tokens[0].end - v.tokens[0].start) == "12");  // '-' is its own token
    CHECK(text.substr(v.tokens[2].start, v.tokens[2].end - v.tokens[2].start) == "'it''s'");
    CHECK(v.tokens[3].parameter);
    CHECK(text.substr(v.tokens[4].start, v.tokens[4].end - v.tokens[4].start) == "NULL");
    CHECK(v.tokens == sql::value_tokens(text));
    for (const char* sure : {"SELECT 1.5e-3, .5, 7., true, FALSE FROM t /* 'x' 12 */ -- $1\n",
                             "SELECT a.\"null\", x FROM t WHERE y = 'été'"}) {
        INFO(sure);
        auto w = scan(sure);
        CHECK(w.sure);
        CHECK(w.tokens == sql::value_tokens(sure));
    }
    // Where PostgreSQL's lexer may cut the text otherwise, the caller asks libpg_query.
    CHECK_FALSE(scan("SELECT 'a'\n'b'").sure);  // one constant for the lexer
    CHECK_FALSE(scan("SELECT 0x1F, 1").sure);   // "0" and "x1F" in PostgreSQL 15
    CHECK_FALSE(scan("SELECT 1_000").sure);
    CHECK_FALSE(scan("SELECT 1e").sure);
    CHECK_FALSE(scan("SELECT $1abc").sure);
    CHECK_FALSE(scan("SELECT E'a'").sure);                     // the key itself is unsure
    CHECK_FALSE(scan(std::string("SELECT 'a\xff'")).sure);     // not UTF-8
    CHECK_FALSE(scan(std::string("SELECT 1\0, 2", 12)).sure);  // libpg_query reads up to the NUL
}

// libpg_query's fingerprint ignores runs of digits in relation names, so the
// workload adds the relation names to a shape's identity where this says one
// may hold such a run (issue 13, class 6). It must never say no for such a text.
TEST_CASE("shape key: which texts may name a table with a run of digits", "[ingest][shape_key]") {
    CHECK(may_have_numbered_identifier("SELECT * FROM orders_2024 WHERE cust = $1"));
    CHECK(may_have_numbered_identifier("select * from t10"));
    CHECK(may_have_numbered_identifier("SELECT * FROM s.t299 x"));
    CHECK(may_have_numbered_identifier("SELECT * FROM \"Orders 12\""));
    CHECK(may_have_numbered_identifier("SELECT * FROM a$12"));
    CHECK(may_have_numbered_identifier("/* t1 */ SELECT * FROM t12 -- x\n"));
    CHECK(may_have_numbered_identifier(*shape_key("SELECT * FROM orders_2025 WHERE cust = 42")));
    // Numbers, parameters, strings and comments name no table.
    CHECK_FALSE(may_have_numbered_identifier("SELECT * FROM orders WHERE id = 42 AND x > 1.5e10 LIMIT 100"));
    CHECK_FALSE(may_have_numbered_identifier("SELECT * FROM t1 WHERE a = $12 AND b = 'x2024'"));
    CHECK_FALSE(may_have_numbered_identifier("SELECT 'it''s t12' FROM t -- t12\n"));
    CHECK_FALSE(may_have_numbered_identifier(
        "SELECT id FROM orders WHERE customer_id = 7 "
        "/*route='%2Fc',traceparent='00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'*/"));
    CHECK_FALSE(may_have_numbered_identifier("SELECT /* a /* nested t12 */ still t12 */ 1 FROM t"));
    // What this scanner does not model answers yes: libpg_query then reads the names.
    CHECK(may_have_numbered_identifier("SELECT $$t$$ FROM t"));
    CHECK(may_have_numbered_identifier("SELECT E'\\'' FROM t"));
    CHECK(may_have_numbered_identifier("SELECT 'unterminated FROM t"));
    CHECK(may_have_numbered_identifier("SELECT /* unterminated FROM t"));
}

TEST_CASE("shape key: no corpus statement naming a numbered table is missed", "[ingest][shape_key][corpus]") {
    long numbered = 0, checked = 0;
    auto check = [&](const std::string& text) {
        auto names = sql::relation_names(text);
        if (!names) return;
        bool has_run = false;
        for (const auto& t : *names.value)
            for (std::size_t k = 1; k < t.name.size(); ++k)
                has_run |= std::isdigit(static_cast<unsigned char>(t.name[k - 1])) &&
                           std::isdigit(static_cast<unsigned char>(t.name[k]));
        ++checked;
        if (!has_run) return;
        ++numbered;
        INFO(text);
        CHECK(may_have_numbered_identifier(text));
        if (auto k = shape_key(text)) CHECK(may_have_numbered_identifier(*k));
    };
    std::map<std::string, int> seen;  // each distinct text once: the corpus repeats them
    for (const char* f : {"light.postgres.log", "rds.log", "pg-syslog.1", "queryid.log", "stmt_type.log",
                          "multiline_param.log", "cnpg.log", "anonymize.log", "weeknumber.log"}) {
        auto r = ingest_path(corpus(std::string("logs/pgbadger/") + f));
        for (const auto& s : r.statements)
            if (seen.emplace(s.text, 0).second) check(s.text);
    }
    for (int n = 10; n < 300; n += 7) check("SELECT * FROM t" + std::to_string(n) + " WHERE cust = $1");
    CHECK(checked > 100);
    CHECK(numbered >= 41);
}
