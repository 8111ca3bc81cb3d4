#include "sql/parser.hpp"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace pgadvisor::sql {
namespace {

// One RAII owner per libpg_query result type; each has exactly one free function.
template <typename Result, void (*Free)(Result)>
class Owned {
public:
    explicit Owned(Result r) : result_(r) {}
    ~Owned() { Free(result_); }
    Owned(const Owned&) = delete;
    Owned& operator=(const Owned&) = delete;
    const Result* operator->() const { return &result_; }

private:
    Result result_;
};

using OwnedParse = Owned<PgQueryParseResult, pg_query_free_parse_result>;
using OwnedSplit = Owned<PgQuerySplitResult, pg_query_free_split_result>;
using OwnedFingerprint = Owned<PgQueryFingerprintResult, pg_query_free_fingerprint_result>;
using OwnedNormalize = Owned<PgQueryNormalizeResult, pg_query_free_normalize_result>;
using OwnedScan = Owned<PgQueryScanResult, pg_query_free_scan_result>;

// The scan result is a protobuf message; libpg_query exports the protobuf-c
// runtime, so unpacking needs only the generated header.
struct UnpackedScan {
    PgQuery__ScanResult* msg;
    explicit UnpackedScan(PgQuery__ScanResult* m) : msg(m) {}
    ~UnpackedScan() {
        if (msg) pg_query__scan_result__free_unpacked(msg, nullptr);
    }
    UnpackedScan(const UnpackedScan&) = delete;
    UnpackedScan& operator=(const UnpackedScan&) = delete;
};

TokenKind token_kind(const PgQuery__ScanToken& t) {
    switch (t.token) {
        case PG_QUERY__TOKEN__SCONST:
        case PG_QUERY__TOKEN__USCONST:
        case PG_QUERY__TOKEN__FCONST:
        case PG_QUERY__TOKEN__ICONST:
        case PG_QUERY__TOKEN__BCONST:
        case PG_QUERY__TOKEN__XCONST: return TokenKind::Constant;
        case PG_QUERY__TOKEN__PARAM: return TokenKind::Parameter;
        case PG_QUERY__TOKEN__IDENT:
        case PG_QUERY__TOKEN__UIDENT: return TokenKind::Identifier;
        case PG_QUERY__TOKEN__SQL_COMMENT:
        case PG_QUERY__TOKEN__C_COMMENT: return TokenKind::Comment;
        default: break;
    }
    return t.keyword_kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD ? TokenKind::Keyword : TokenKind::Other;
}

ParseError to_error(const PgQueryError& e, std::string_view sql) {
    ParseError err;
    err.message = e.message ? e.message : "unknown libpg_query error";
    err.cursor = e.cursorpos;
    std::size_t at = e.cursorpos > 0 ? static_cast<std::size_t>(e.cursorpos - 1) : 0;
    err.line = line_of_offset(sql, std::min(at, sql.size()));
    return err;
}

}  // namespace

int line_of_offset(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

Parsed<nlohmann::json> parse_tree(std::string_view sql) {
    const std::string text(sql);  // libpg_query wants a NUL-terminated string
    OwnedParse r(pg_query_parse(text.c_str()));
    Parsed<nlohmann::json> out;
    if (r->error) {
        out.error = to_error(*r->error, sql);
        return out;
    }
    out.value = nlohmann::json::parse(r->parse_tree, nullptr, /*allow_exceptions=*/false);
    if (out.value->is_discarded()) {
        out.value.reset();
        out.error = ParseError{"libpg_query returned a parse tree that is not valid JSON", 0, 0, 1};
    }
    return out;
}

Parsed<std::vector<StatementSpan>> split_statements(std::string_view sql) {
    const std::string text(sql);
    OwnedSplit r(pg_query_split_with_scanner(text.c_str()));
    Parsed<std::vector<StatementSpan>> out;
    if (r->error) {
        out.error = to_error(*r->error, sql);
        return out;
    }
    // libpg_query's spans start right after the previous ';', so they carry
    // the whitespace in between: trim it.
    std::vector<StatementSpan> spans;
    spans.reserve(static_cast<std::size_t>(r->n_stmts));
    for (int i = 0; i < r->n_stmts; ++i) {
        const auto* s = r->stmts[i];
        StatementSpan span{static_cast<std::size_t>(s->stmt_location), static_cast<std::size_t>(s->stmt_len)};
        while (span.length > 0 && span.offset < sql.size() &&
               std::isspace(static_cast<unsigned char>(sql[span.offset]))) {
            ++span.offset;
            --span.length;
        }
        if (span.length > 0) spans.push_back(span);
    }
    // The splitter also silently drops a piece that does not start with a
    // keyword ("SELEC 1; SELECT 2" gives one span). Every run of tokens no
    // span covers, up to the next ';', becomes a span of its own so it can
    // fail on its own.
    if (auto tokens = scan_tokens(sql)) {
        const auto covered = spans;  // sorted by offset, like the tokens
        const auto& toks = *tokens.value;
        std::size_t i = 0, c = 0;
        while (i < toks.size()) {
            const Token& t = toks[i];
            while (c < covered.size() && covered[c].offset + covered[c].length <= t.start) ++c;
            const bool inside = c < covered.size() && t.start >= covered[c].offset;
            if (inside || t.kind == TokenKind::Comment || t.ascii == ';') {
                ++i;
                continue;
            }
            std::size_t end = t.end;
            while (i < toks.size() && toks[i].ascii != ';') end = toks[i++].end;
            spans.push_back({t.start, end - t.start});
        }
        std::sort(spans.begin(), spans.end(),
                  [](const StatementSpan& a, const StatementSpan& b) { return a.offset < b.offset; });
    }
    out.value = std::move(spans);
    return out;
}

Parsed<Fingerprint> fingerprint(std::string_view sql) {
    const std::string text(sql);
    OwnedFingerprint r(pg_query_fingerprint(text.c_str()));
    Parsed<Fingerprint> out;
    if (r->error) {
        out.error = to_error(*r->error, sql);
        return out;
    }
    out.value = Fingerprint{r->fingerprint, r->fingerprint_str ? r->fingerprint_str : ""};
    return out;
}

Parsed<std::string> normalize(std::string_view sql) {
    const std::string text(sql);
    OwnedNormalize r(pg_query_normalize(text.c_str()));
    Parsed<std::string> out;
    if (r->error) {
        out.error = to_error(*r->error, sql);
        return out;
    }
    out.value = std::string(r->normalized_query ? r->normalized_query : "");
    return out;
}

Parsed<std::vector<Token>> scan_tokens(std::string_view sql) {
    const std::string text(sql);
    OwnedScan r(pg_query_scan(text.c_str()));
    Parsed<std::vector<Token>> out;
    if (r->error) {
        out.error = to_error(*r->error, sql);
        return out;
    }
    UnpackedScan scan(pg_query__scan_result__unpack(nullptr, r->pbuf.len,
                                                    reinterpret_cast<const std::uint8_t*>(r->pbuf.data)));
    if (!scan.msg) {
        out.error = ParseError{"libpg_query returned a scan result that could not be decoded", 0, 0, 1};
        return out;
    }
    std::vector<Token> tokens;
    tokens.reserve(scan.msg->n_tokens);
    for (std::size_t i = 0; i < scan.msg->n_tokens; ++i) {
        const auto& t = *scan.msg->tokens[i];
        Token tok;
        tok.start = static_cast<std::size_t>(t.start);
        tok.end = static_cast<std::size_t>(t.end);
        tok.kind = token_kind(t);
        if (t.token > 0 && t.token < 128) tok.ascii = static_cast<char>(t.token);
        tokens.push_back(tok);
    }
    out.value = std::move(tokens);
    return out;
}

void release_parser_memory_on_main_thread() { pg_query_exit(); }

}  // namespace pgadvisor::sql
