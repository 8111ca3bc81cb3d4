#include "sql/parser.hpp"

#include "sql/scanner.hpp"

#include <pg_query.h>

#include <nlohmann/json.hpp>

#include <algorithm>

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

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Narrow a span to exclude surrounding whitespace and stray semicolons.
StatementSpan trimmed(std::string_view sql, std::size_t begin, std::size_t end) {
    while (begin < end && (is_space(sql[begin]) || sql[begin] == ';')) ++begin;
    while (end > begin && (is_space(sql[end - 1]) || sql[end - 1] == ';')) --end;
    return {begin, end - begin};
}

// libpg_query's scanner split, as spans with leading whitespace removed.
// Its split silently drops a statement whose first token is not a keyword
// ("SELEC 1; SELECT 2" gives one statement), so the text between the spans
// it returns is kept as a span of its own when it holds more than comments:
// that statement then fails to parse with a proper error instead of vanishing.
// When the scanner fails (an unterminated quote), the text before the failing
// statement is split again and the rest becomes one span that will fail to parse.
std::vector<StatementSpan> split_spans(std::string_view sql, int depth);

void add_gap(std::string_view sql, std::size_t begin, std::size_t end, std::vector<StatementSpan>& out) {
    StatementSpan gap = trimmed(sql, begin, end);
    if (gap.length == 0) return;
    // A gap PostgreSQL's lexer reads as nothing but comments holds no statement.
    const std::string_view text = sql.substr(gap.offset, gap.length);
    if (auto tokens = scan_tokens(text)) {
        const bool only_comments = std::all_of(tokens.value->begin(), tokens.value->end(), [&](const Token& t) {
            return t.kind == TokenKind::Comment || text.substr(static_cast<std::size_t>(t.start), 1) == ";";
        });
        if (only_comments) return;
    }
    out.push_back(gap);
}

std::vector<StatementSpan> split_spans(std::string_view sql, int depth) {
    const std::string text(sql);
    OwnedSplit r(pg_query_split_with_scanner(text.c_str()));
    std::vector<StatementSpan> out;
    if (r->error) {
        // Split what precedes the failing token, then keep the rest as one span.
        std::size_t fail_at = r->error->cursorpos > 0 ? static_cast<std::size_t>(r->error->cursorpos - 1) : 0;
        fail_at = std::min(fail_at, sql.size());
        std::size_t rest_from = 0;
        if (fail_at > 0 && depth < 8) {
            // The failing statement starts after the last semicolon outside quotes before
            // fail_at; the scanner split of the prefix tells us where statements end.
            auto head = split_spans(sql.substr(0, fail_at), depth + 1);
            if (!head.empty()) head.pop_back();  // the statement the failure is in
            for (const auto& s : head) {
                out.push_back(s);
                rest_from = s.offset + s.length;
            }
        }
        add_gap(sql, rest_from, sql.size(), out);
        return out;
    }
    std::size_t covered = 0;
    for (int i = 0; i < r->n_stmts; ++i) {
        const auto* s = r->stmts[i];
        const std::size_t begin = static_cast<std::size_t>(s->stmt_location);
        const std::size_t end = std::min(sql.size(), begin + static_cast<std::size_t>(s->stmt_len));
        if (begin > covered) add_gap(sql, covered, begin, out);
        StatementSpan span = trimmed(sql, begin, end);
        if (span.length > 0) out.push_back(span);
        covered = std::max(covered, end);
    }
    if (covered < sql.size()) add_gap(sql, covered, sql.size(), out);
    return out;
}

}  // namespace

Parsed<std::vector<StatementSpan>> split_statements(std::string_view sql) {
    Parsed<std::vector<StatementSpan>> out;
    out.value = split_spans(sql, 0);
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

void release_parser_memory_on_main_thread() { pg_query_exit(); }

}  // namespace pgadvisor::sql
