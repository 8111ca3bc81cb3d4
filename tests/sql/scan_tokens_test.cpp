// sql::scan_tokens reads pg_query_scan's packed result straight off its bytes
// (issue 17: protobuf-c's unpack allocated a message per token). Compared here
// with protobuf-c's own unpack of the same result, token by token, on every
// statement of the repository's and the shared corpus's SQL files and on
// texts that hold every kind of token.
#include <catch2/catch.hpp>

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <string>
#include <vector>

#include "sql/parser.hpp"
#include "sql_corpus.hpp"

using namespace pgadvisor::sql;

namespace {

// What protobuf-c's unpack says of each token: start, end, token number, keyword kind.
struct Unpacked {
    std::size_t start, end;
    int token, keyword_kind;
};

std::vector<Unpacked> unpacked_tokens(const std::string& sql) {
    std::vector<Unpacked> out;
    PgQueryScanResult r = pg_query_scan(sql.c_str());
    if (!r.error) {
        PgQuery__ScanResult* scan = pg_query__scan_result__unpack(nullptr, r.pbuf.len,
                                                                  reinterpret_cast<const std::uint8_t*>(r.pbuf.data));
        REQUIRE(scan);
        for (std::size_t i = 0; i < scan->n_tokens; ++i) {
            const auto& t = *scan->tokens[i];
            out.push_back(
                {static_cast<std::size_t>(t.start), static_cast<std::size_t>(t.end), t.token, t.keyword_kind});
        }
        pg_query__scan_result__free_unpacked(scan, nullptr);
    }
    pg_query_free_scan_result(r);
    return out;
}

bool same_tokens(const std::string& sql) {
    CAPTURE(sql.substr(0, 200));
    const std::vector<Unpacked> expected = unpacked_tokens(sql);
    auto got = scan_tokens(sql);
    if (!got) return expected.empty();
    REQUIRE(got.value->size() == expected.size());
    bool same = true;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const Token& t = (*got.value)[i];
        const Unpacked& u = expected[i];
        const char ascii = u.token > 0 && u.token < 128 ? static_cast<char>(u.token) : 0;
        same = same && t.start == u.start && t.end == u.end &&
               t.kind == detail::token_kind(static_cast<std::uint64_t>(u.token),
                                            static_cast<std::uint64_t>(u.keyword_kind)) &&
               t.ascii == ascii;
    }
    return same;
}

}  // namespace

TEST_CASE("scan tokens: each token of every corpus statement as protobuf-c unpacks it", "[sql][scanner]") {
    std::size_t compared = 0, differing = 0;
    for (const std::string& sql : pgadvisor::test::sql_corpus_statements()) {
        ++compared;
        if (!same_tokens(sql)) ++differing;
    }
    CHECK(compared > 500);
    CHECK(differing == 0);
}

TEST_CASE("scan tokens: every kind of token, and offsets past 127", "[sql][scanner]") {
    const std::string long_name(300, 'x');
    for (const std::string& sql :
         {std::string(
              "SELECT a, 'b', 1, 1.5, B'1', X'f', U&'d', $1, \"Q\", U&\"q\" FROM t -- c\n/* d */ WHERE a <> $2;"),
          "SELECT " + long_name + " FROM " + long_name + " WHERE " + long_name + " >= 100000000000", std::string(""),
          std::string("   "), std::string("SELECT 1; SELECT 2")}) {
        CHECK(same_tokens(sql));
    }
    auto t = scan_tokens("SELECT (1)");
    REQUIRE(t.value);
    REQUIRE(t.value->size() == 4);
    CHECK((*t.value)[0].kind == TokenKind::Keyword);
    CHECK((*t.value)[1].ascii == '(');
    CHECK((*t.value)[2].kind == TokenKind::Constant);
    CHECK((*t.value)[2].start == 8);
    CHECK((*t.value)[2].end == 9);
}
