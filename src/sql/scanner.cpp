#include "sql/scanner.hpp"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <memory>

namespace pgadvisor::sql {
namespace {

TokenKind kind_of(const PgQuery__ScanToken& t) {
    switch (t.token) {
        case PG_QUERY__TOKEN__SQL_COMMENT:
        case PG_QUERY__TOKEN__C_COMMENT: return TokenKind::Comment;
        case PG_QUERY__TOKEN__SCONST:
        case PG_QUERY__TOKEN__USCONST:
        case PG_QUERY__TOKEN__BCONST:
        case PG_QUERY__TOKEN__XCONST: return TokenKind::String;
        case PG_QUERY__TOKEN__ICONST:
        case PG_QUERY__TOKEN__FCONST: return TokenKind::Number;
        case PG_QUERY__TOKEN__PARAM: return TokenKind::Parameter;
        case PG_QUERY__TOKEN__IDENT:
        case PG_QUERY__TOKEN__UIDENT: return TokenKind::Identifier;
        case PG_QUERY__TOKEN__Op: return TokenKind::Operator;
        default: break;
    }
    if (t.keyword_kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD) return TokenKind::Keyword;
    return TokenKind::Other;
}

struct ScanOwner {
    PgQueryScanResult r;
    ~ScanOwner() { pg_query_free_scan_result(r); }
};
struct UnpackedOwner {
    PgQuery__ScanResult* m;
    ~UnpackedOwner() {
        if (m) pg_query__scan_result__free_unpacked(m, nullptr);
    }
};

}  // namespace

Parsed<std::vector<Token>> scan_tokens(std::string_view sql) {
    const std::string text(sql);
    ScanOwner scan{pg_query_scan(text.c_str())};
    Parsed<std::vector<Token>> out;
    if (scan.r.error) {
        ParseError e;
        e.message = scan.r.error->message ? scan.r.error->message : "scan error";
        e.cursor = scan.r.error->cursorpos;
        e.line = line_of_offset(sql, e.cursor > 0 ? static_cast<std::size_t>(e.cursor - 1) : 0);
        out.error = std::move(e);
        return out;
    }
    UnpackedOwner unpacked{pg_query__scan_result__unpack(nullptr, scan.r.pbuf.len,
                                                         reinterpret_cast<const uint8_t*>(scan.r.pbuf.data))};
    if (!unpacked.m) {
        out.error = ParseError{"libpg_query returned an unreadable token stream", 0, 0, 1};
        return out;
    }
    std::vector<Token> tokens;
    tokens.reserve(unpacked.m->n_tokens);
    for (std::size_t i = 0; i < unpacked.m->n_tokens; ++i) {
        const auto& t = *unpacked.m->tokens[i];
        tokens.push_back({kind_of(t), t.start, t.end});
    }
    out.value = std::move(tokens);
    return out;
}

std::vector<std::string> comments_of(std::string_view sql) {
    std::vector<std::string> out;
    auto tokens = scan_tokens(sql);
    if (!tokens) return out;
    for (const auto& t : *tokens.value) {
        if (t.kind != TokenKind::Comment) continue;
        std::string_view c = sql.substr(static_cast<std::size_t>(t.start), static_cast<std::size_t>(t.end - t.start));
        if (c.starts_with("/*")) {
            c.remove_prefix(2);
            if (c.ends_with("*/")) c.remove_suffix(2);
        } else if (c.starts_with("--")) {
            c.remove_prefix(2);
        }
        out.emplace_back(c);
    }
    return out;
}

}  // namespace pgadvisor::sql
