#include "sql/quote.hpp"

#include "sql/text.hpp"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

namespace pgadvisor::sql {
namespace {

bool plain_shape(std::string_view name) {
    if (name.empty()) return false;
    const char first = name.front();
    if (!(first == '_' || (first >= 'a' && first <= 'z'))) return false;
    for (char c : name)
        if (!(c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
    return true;
}

// PostgreSQL's quote_ident() quotes every keyword except the unreserved ones
// (a column named "name" or "type" stays bare, "order" and "user" do not).
// The scanner knows the keyword list of the parser we build against.
bool needs_keyword_quotes(std::string_view name) {
    const std::string text(name);
    PgQueryScanResult result = pg_query_scan(text.c_str());
    bool quote = false;
    if (result.error) {
        quote = true;  // cannot tell: quoting is always correct
    } else {
        PgQuery__ScanResult* scan = pg_query__scan_result__unpack(nullptr, result.pbuf.len,
                                                                  reinterpret_cast<const uint8_t*>(result.pbuf.data));
        if (!scan || scan->n_tokens != 1) quote = true;
        else {
            const auto kind = scan->tokens[0]->keyword_kind;
            quote = kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD && kind != PG_QUERY__KEYWORD_KIND__UNRESERVED_KEYWORD;
        }
        if (scan) pg_query__scan_result__free_unpacked(scan, nullptr);
    }
    pg_query_free_scan_result(result);
    return quote;
}

}  // namespace

std::string quote_ident(std::string_view name) {
    if (plain_shape(name) && !needs_keyword_quotes(name)) return std::string(name);
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string quote_qualified(std::string_view schema, std::string_view name) {
    if (schema.empty()) return quote_ident(name);
    return quote_ident(schema) + "." + quote_ident(name);
}

std::string quote_ident_list(const std::vector<std::string>& names) {
    std::vector<std::string> quoted;
    for (const auto& n : names) quoted.push_back(quote_ident(n));
    return join(quoted);
}

std::string quote_literal(std::string_view text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') out += '\'';
        out += c;
    }
    return out + "'";
}

}  // namespace pgadvisor::sql
