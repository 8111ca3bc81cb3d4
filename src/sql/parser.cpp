#include "sql/parser.hpp"
#include "sql/compact_json.hpp"
#include "sql/nesting.hpp"
#include "sql/parse_tree.hpp"
#include "sql/text.hpp"
#include "sql/relations.hpp"
#include "sql/typed_literals.hpp"

#include <pg_query.h>
#include <pg_query/pg_query.pb-c.h>

#include <nlohmann/json.hpp>

#include <pthread.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>

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

// Reads varints off packed protobuf bytes.
class Wire {
public:
    explicit Wire(const std::uint8_t* at, std::size_t size) : at_(at), end_(at + size) {}
    bool done() const { return at_ == end_; }

    bool varint(std::uint64_t& v) {
        v = 0;
        for (int shift = 0; shift < 64 && at_ < end_; shift += 7) {
            const std::uint8_t b = *at_++;
            v |= std::uint64_t{b & 0x7fu} << shift;
            if (!(b & 0x80)) return true;
        }
        return false;
    }

    // The bytes of a length-delimited field, as a Wire of their own.
    bool nested(Wire& out) {
        std::uint64_t n = 0;
        if (!varint(n) || n > static_cast<std::uint64_t>(end_ - at_)) return false;
        out = Wire(at_, static_cast<std::size_t>(n));
        at_ += n;
        return true;
    }

private:
    const std::uint8_t* at_;
    const std::uint8_t* end_;
};

// One packed ScanToken {int32 start = 1; int32 end = 2; Token token = 4; KeywordKind keyword_kind = 5}.
bool read_token(Wire w, Token& tok) {
    std::uint64_t start = 0, end = 0, token = 0, keyword_kind = 0;
    while (!w.done()) {
        std::uint64_t tag = 0, v = 0;
        if (!w.varint(tag) || (tag & 7) != 0 || !w.varint(v)) return false;  // every field is a varint
        switch (tag >> 3) {
            case 1: start = v; break;
            case 2: end = v; break;
            case 4: token = v; break;
            case 5: keyword_kind = v; break;
            default: break;
        }
    }
    tok.start = static_cast<std::size_t>(static_cast<std::uint32_t>(start));
    tok.end = static_cast<std::size_t>(static_cast<std::uint32_t>(end));
    tok.kind = detail::token_kind(token, keyword_kind);
    tok.ascii = token > 0 && token < 128 ? static_cast<char>(token) : 0;
    return true;
}

// pg_query_scan's packed ScanResult {int32 version = 1; repeated ScanToken tokens = 2},
// read straight off its bytes: protobuf-c's unpack allocated a message per token
// (a third of a new shape's scan, issue 17).
std::optional<std::vector<Token>> read_tokens(const PgQueryProtobuf& packed) {
    Wire w(reinterpret_cast<const std::uint8_t*>(packed.data), packed.len);
    std::vector<Token> tokens;
    tokens.reserve(packed.len / 8);  // a token takes 8 to 12 bytes
    while (!w.done()) {
        std::uint64_t tag = 0, v = 0;
        if (!w.varint(tag)) return std::nullopt;
        if (tag == (2 << 3 | 2)) {
            Wire token_bytes(nullptr, 0);
            if (!w.nested(token_bytes) || !read_token(token_bytes, tokens.emplace_back())) return std::nullopt;
        } else if ((tag & 7) != 0 || !w.varint(v)) {  // the version: a varint; nothing else is written
            return std::nullopt;
        }
    }
    return tokens;
}

// Whether the text libpg_query quoted in an error message is a value: it starts
// with a constant token, or does not scan at all (an unterminated string).
bool quotes_a_value(const std::string& quoted) {
    OwnedScan r(pg_query_scan(quoted.c_str()));
    if (r->error) return true;
    const auto tokens = read_tokens(r->pbuf);
    return !tokens || tokens->empty() || tokens->front().kind == TokenKind::Constant;
}

// libpg_query quotes the token it stopped at ("syntax error at or near
// "'secret'"", "unterminated quoted string at or near "'secret;""): when that
// token is a value its text must not reach any output (shape, lint, schema,
// ingest), so the quote is replaced; an identifier or keyword stays, it says where.
std::string without_quoted_value(std::string message) {
    static constexpr std::string_view marker = "at or near \"";
    const auto open = message.find(marker);
    const auto close = message.rfind('"');
    if (open == std::string::npos || close == std::string::npos || close < open + marker.size()) return message;
    if (quotes_a_value(message.substr(open + marker.size(), close - open - marker.size())))
        message.replace(open, close + 1 - open, "at or near a constant");
    return message;
}

ParseError to_error(const PgQueryError& e, std::string_view sql) {
    ParseError err;
    err.message = without_quoted_value(e.message ? e.message : "unknown libpg_query error");
    err.cursor = e.cursorpos;
    std::size_t at = e.cursorpos > 0 ? static_cast<std::size_t>(e.cursorpos - 1) : 0;
    err.line = line_of_offset(sql, std::min(at, sql.size()));
    return err;
}

// libpg_query recurses once per level of the tree it builds, prints or
// normalizes, and this build never checks its stack depth (its
// stack_is_too_deep() returns false): `SELECT 1+1+...` with 2,600 terms
// overflows a 1 MB stack in pg_query_normalize (about 200 bytes of stack per
// byte of SQL, the worst measured; docs/libraries.md). The depth of a tree is
// bounded by the length of its text, so a long statement is parsed on a thread
// whose stack grows with that length, with a margin of 2.5.
constexpr std::size_t kSmallStatementBytes = 4096;  // at most ~1 MB of stack: any thread has that
constexpr std::size_t kParserStackPerByte = 512;
constexpr std::size_t kParserStackBase = std::size_t{8} << 20;
constexpr std::size_t kParserStackMax = std::size_t{4} << 30;  // virtual; only what is touched is used

struct ParserCall {
    const std::function<void()>* call;
    std::exception_ptr error;
};

void* run_parser_call(void* arg) {
    auto* c = static_cast<ParserCall*>(arg);
    try {
        (*c->call)();
    } catch (...) {
        c->error = std::current_exception();
    }
    return nullptr;
}

// Runs `call` (which enters libpg_query with `sql`) where the stack is deep
// enough for any tree that text can hold; false when no such thread could be
// started. libpg_query frees a thread's memory when the thread ends.
bool with_parser_stack(std::string_view sql, const std::function<void()>& call) {
    if (sql.size() <= kSmallStatementBytes) {
        call();
        return true;
    }
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0) return false;
    const std::size_t wanted = kParserStackBase + kParserStackPerByte * sql.size();
    pthread_attr_setstacksize(&attr, std::min(wanted, kParserStackMax));
    ParserCall c{&call, nullptr};
    pthread_t thread;
    const bool started = pthread_create(&thread, &attr, run_parser_call, &c) == 0;
    pthread_attr_destroy(&attr);
    if (!started) return false;
    pthread_join(thread, nullptr);
    if (c.error) std::rethrow_exception(c.error);
    return true;
}

ParseError no_stack_error(std::string_view sql) {
    return ParseError{"statement of " + std::to_string(sql.size()) + " bytes: no memory for the stack its parse needs",
                      0, 0, 1};
}

}  // namespace

int line_of_offset(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

int LineCounter::line_of(std::size_t offset) {
    offset = std::min(offset, text_.size());
    if (offset < counted_to_) {
        counted_to_ = 0;
        line_ = 1;
    }
    line_ += static_cast<int>(std::count(text_.begin() + static_cast<std::ptrdiff_t>(counted_to_),
                                         text_.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
    counted_to_ = offset;
    return line_;
}

namespace {

// The value of the integer constant written at sql[at]: a '-', then the integer
// token (comments and opening parentheses between: the grammar folds -(1) too);
// nullopt for anything else.
std::optional<int> negative_integer_at(std::string_view sql, std::size_t at) {
    // A window, not the rest of the text: a statement of many negative
    // constants is not scanned to its end for each.
    static constexpr std::size_t kWindow = 256;
    const std::string_view window = sql.substr(at, kWindow);
    auto tokens = scan_tokens(window);
    if (!tokens || tokens.value->empty() || tokens.value->front().ascii != '-') return std::nullopt;
    auto it = tokens.value->begin() + 1;
    while (it != tokens.value->end() && (it->kind == TokenKind::Comment || it->ascii == '(')) ++it;
    if (it == tokens.value->end() || it->kind != TokenKind::Constant) return std::nullopt;
    const Token& number = *it;
    if (number.end >= window.size() && window.size() == kWindow) return std::nullopt;  // cut by the window
    long long v = 0;
    for (std::size_t i = number.start; i < number.end; ++i) {
        if (window[i] < '0' || window[i] > '9') return std::nullopt;  // 1.5, 0x1F, '1': not an Integer
        v = v * 10 + (window[i] - '0');
        if (v > 2147483648LL) return std::nullopt;
    }
    return static_cast<int>(-v);
}

// `left`: how many such constants the text holds; the walk stops when all are found.
void restore_negative_integers(nlohmann::json& n, std::string_view sql, std::size_t& left) {
    if (n.is_object()) {
        if (auto c = n.find("A_Const"); c != n.end() && c->is_object()) {
            auto ival = c->find("ival");
            auto location = c->find("location");
            if (ival != c->end() && ival->is_object() && ival->empty() && location != c->end() &&
                location->is_number_unsigned()) {
                const auto at = location->get<std::size_t>();
                if (at < sql.size() && sql[at] == '-') {
                    if (auto v = negative_integer_at(sql, at); v && *v != 0) (*ival)["ival"] = *v;
                    --left;
                }
            }
        }
    } else if (!n.is_array()) {
        return;
    }
    for (auto& child : n) {  // an object's values, an array's items
        if (left == 0) return;
        if (child.is_structured()) restore_negative_integers(child, sql, left);
    }
}

// libpg_query 15-4.0's JSON printer writes an Integer's value only when it is
// positive (its _outInteger): -1 comes out as {"ival":{}}, as 0 does, and
// `status = -1` read as `status = 0` (canonical text, partial index predicates).
// A constant keeps the location of its minus sign (the grammar folds "- 1" into
// the constant), so where such an empty value stands at a '-' in the text, the
// value is the integer after it. Only trees whose text holds such a value
// are walked: the JSON text says where (libpg_query prints an A_Const's "ival"
// before its "location"); zeros are common, a '-' at their location is not.
void restore_negative_integers(std::string_view tree_text, std::string_view sql, nlohmann::json& tree) {
    static constexpr std::string_view marker = R"("ival":{},"location":)";
    if (sql.find('-') == std::string_view::npos) return;
    // memmem, not string_view::find: that one stops at every '"' of the JSON.
    const auto find_marker = [&](std::size_t from) {
        const void* p = from >= tree_text.size()
                            ? nullptr
                            : memmem(tree_text.data() + from, tree_text.size() - from, marker.data(), marker.size());
        return p ? static_cast<std::size_t>(static_cast<const char*>(p) - tree_text.data()) : std::string_view::npos;
    };
    std::size_t negative = 0;
    for (auto at = find_marker(0); at != std::string_view::npos; at = find_marker(at + 1)) {
        std::size_t i = at + marker.size(), location = 0;
        const std::size_t digits = i;
        while (i < tree_text.size() && tree_text[i] >= '0' && tree_text[i] <= '9' && location <= sql.size())
            location = location * 10 + static_cast<std::size_t>(tree_text[i++] - '0');
        if (i > digits && location < sql.size() && sql[location] == '-') ++negative;
    }
    if (negative > 0) restore_negative_integers(tree, sql, negative);
}

// The document of libpg_query's JSON parse tree `tree_text` of `sql`.
Parsed<nlohmann::json> tree_document(std::string_view tree_text, std::string_view sql) {
    Parsed<nlohmann::json> out;
    // Every reader of the tree recurses over it: a tree deeper than they can
    // follow is an input problem, found before the document is built.
    CompactJson compact = read_compact_json(tree_text, kMaxJsonDepth);
    if (compact.document) {
        out.value = std::move(compact.document);
    } else if (compact.too_deep || json_nests_deeper_than(tree_text)) {
        out.error = ParseError{nested_too_deeply("statement"), 0, 0, 1, /*too_deep=*/true};
        return out;
    } else {
        out.value = nlohmann::json::parse(tree_text, nullptr, /*allow_exceptions=*/false);
        if (out.value->is_discarded()) {
            out.value.reset();
            out.error = ParseError{"libpg_query returned a parse tree that is not valid JSON", 0, 0, 1};
            return out;
        }
    }
    restore_negative_integers(tree_text, sql, *out.value);
    return out;
}

}  // namespace

Parsed<nlohmann::json> parse_tree(std::string_view sql) {
    const std::string text(sql);  // libpg_query wants a NUL-terminated string
    std::optional<OwnedParse> r;
    if (!with_parser_stack(sql, [&] {
            detail::note_parser_use();
            r.emplace(pg_query_parse(text.c_str()));
        }))
        return {std::nullopt, no_stack_error(sql)};
    if ((*r)->error) return {std::nullopt, to_error(*(*r)->error, sql)};
    return tree_document((*r)->parse_tree, sql);
}

Parsed<nlohmann::json> parse_tree(const StatementTree& tree, std::string_view sql) {
    if (tree.sql != sql) return parse_tree(sql);
    return tree_document(tree.json, sql);
}

namespace {
// Every RangeVar below `n`, in document order.
void collect_relations(const nlohmann::json& n, std::vector<TableRef>& out) {
    if (const nlohmann::json* rv = tree::node_as(n, "RangeVar")) {
        TableRef t;
        t.schema = tree::text(*rv, "schemaname");
        t.name = tree::text(*rv, "relname");
        t.alias = tree::text(tree::object(*rv, "alias"), "aliasname");
        out.push_back(std::move(t));
        return;
    }
    if (n.is_object() || n.is_array())
        for (const auto& child : n) collect_relations(child, out);
}

Parsed<std::vector<TableRef>> relations_in(Parsed<nlohmann::json> tree) {
    Parsed<std::vector<TableRef>> out;
    if (!tree) {
        out.error = std::move(tree.error);
        return out;
    }
    out.value.emplace();
    collect_relations(*tree.value, *out.value);
    return out;
}
}  // namespace

Parsed<std::vector<TableRef>> relation_names(std::string_view sql) { return relations_in(parse_tree(sql)); }

Parsed<std::vector<TableRef>> relation_names(const StatementTree& tree, std::string_view sql) {
    return relations_in(parse_tree(tree, sql));
}

bool parses(std::string_view sql) {
    const std::string text(sql);
    bool ok = false;
    with_parser_stack(sql, [&] {
        detail::note_parser_use();
        OwnedParse r(pg_query_parse(text.c_str()));
        ok = r->error == nullptr;
    });
    return ok;
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
    // PostgreSQL's lexer cuts the gap at its semicolons; pieces that hold
    // nothing but comments are no statements.
    const std::string_view text = sql.substr(gap.offset, gap.length);
    auto tokens = scan_tokens(text);
    if (!tokens) {
        out.push_back(gap);
        return;
    }
    std::size_t piece_begin = 0;
    bool piece_has_code = false;
    auto flush = [&](std::size_t piece_end) {
        if (piece_has_code) {
            StatementSpan piece = trimmed(sql, gap.offset + piece_begin, gap.offset + piece_end);
            if (piece.length > 0) out.push_back(piece);
        }
        piece_has_code = false;
    };
    for (const Token& t : *tokens.value) {
        if (t.ascii == ';') {
            flush(t.start);
            piece_begin = t.end;
        } else if (t.kind != TokenKind::Comment) {
            piece_has_code = true;
        }
    }
    flush(text.size());
}

std::vector<StatementSpan> split_spans(std::string_view sql, int depth) {
    detail::note_parser_use();
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

Parsed<std::vector<StatementSpan>> split_statements(std::string_view sql, const std::vector<Token>& tokens) {
    // One statement when its ';' tokens are all trailing (only ';' and comments after the first):
    // the split gives the text before that ';', and drops what follows as comments only.
    const auto first_semicolon = std::find_if(tokens.begin(), tokens.end(),
                                              [](const Token& t) { return t.ascii == ';'; });
    if (std::any_of(first_semicolon, tokens.end(),
                    [](const Token& t) { return t.ascii != ';' && t.kind != TokenKind::Comment; }))
        return split_statements(sql);
    Parsed<std::vector<StatementSpan>> out;
    out.value.emplace();
    // Text of nothing but comments is no statement (add_gap's rule).
    if (std::all_of(tokens.begin(), first_semicolon, [](const Token& t) { return t.kind == TokenKind::Comment; }))
        return out;
    const std::size_t end = first_semicolon == tokens.end() ? sql.size() : first_semicolon->start;
    const StatementSpan statement = trimmed(sql, 0, end);
    if (statement.length > 0) out.value->push_back(statement);
    return out;
}

Parsed<Fingerprint> fingerprint(std::string_view sql) {
    const std::string text(sql);
    std::optional<OwnedFingerprint> r;
    if (!with_parser_stack(sql, [&] {
            detail::note_parser_use();
            r.emplace(pg_query_fingerprint(text.c_str()));
        }))
        return {std::nullopt, no_stack_error(sql)};
    Parsed<Fingerprint> out;
    if ((*r)->error) {
        out.error = to_error(*(*r)->error, sql);
        return out;
    }
    out.value = Fingerprint{(*r)->fingerprint, (*r)->fingerprint_str ? (*r)->fingerprint_str : ""};
    return out;
}

namespace {

// libpg_query's own steps below pg_query_fingerprint and pg_query_parse: its archive and
// shared library export them, and its pg_query_internal.h declares them, but that header
// needs PostgreSQL's server headers; here the tree and the memory context stay opaque.
extern "C" {
struct RawParse {
    void* tree;  // List *
    char* stderr_buffer;
    PgQueryError* error;
};
RawParse pg_query_raw_parse(const char* input);
void* pg_query_enter_memory_context();
void pg_query_exit_memory_context(void* context);
void pg_query_free_error(PgQueryError* error);
std::uint64_t pg_query_fingerprint_node(const void* node);
char* pg_query_nodes_to_json(const void* node);
}

// One raw parse in a memory context of its own, freed with it (pg_query_fingerprint's steps).
class RawParseInContext {
public:
    explicit RawParseInContext(const char* text)
        : context_(pg_query_enter_memory_context()), parse_(pg_query_raw_parse(text)) {}
    ~RawParseInContext() {
        std::free(parse_.stderr_buffer);
        if (parse_.error) pg_query_free_error(parse_.error);
        pg_query_exit_memory_context(context_);
    }
    RawParseInContext(const RawParseInContext&) = delete;
    RawParseInContext& operator=(const RawParseInContext&) = delete;
    const RawParse& operator*() const { return parse_; }

private:
    void* context_;
    RawParse parse_;
};

// The fingerprint as pg_query_fingerprint gives it: the hash, and its bytes in hex, most significant first.
Fingerprint fingerprint_of(std::uint64_t hash) {
    static constexpr char kHex[] = "0123456789abcdef";
    Fingerprint f{hash, std::string(16, '0')};
    for (int i = 15; i >= 0; --i, hash >>= 4) f.hex[static_cast<std::size_t>(i)] = kHex[hash & 0xf];
    return f;
}

}  // namespace

FingerprintedStatement fingerprint_statement(std::string_view sql,
                                             const std::function<bool(const Fingerprint&)>& wants_tree) {
    const std::string text(sql);
    FingerprintedStatement out;
    if (!with_parser_stack(sql, [&] {
            detail::note_parser_use();
            RawParseInContext parse(text.c_str());
            if ((*parse).error) {
                out.fingerprint.error = to_error(*(*parse).error, sql);
                return;
            }
            out.fingerprint.value = fingerprint_of(pg_query_fingerprint_node((*parse).tree));
            if (!wants_tree || !wants_tree(*out.fingerprint.value)) return;
            // The memory context frees the printed text with the tree.
            auto tree = std::make_shared<StatementTree>();
            tree->sql = text;
            tree->json = pg_query_nodes_to_json((*parse).tree);
            out.tree = std::move(tree);
        }))
        return {{std::nullopt, no_stack_error(sql)}, nullptr};
    return out;
}

namespace {

// pg_query_normalize of `text`: the statement `sql` with its typed literals already written as casts.
Parsed<std::string> normalized(std::string_view sql, const std::string& text) {
    std::optional<OwnedNormalize> r;
    if (!with_parser_stack(text, [&] {
            detail::note_parser_use();
            r.emplace(pg_query_normalize(text.c_str()));
        }))
        return {std::nullopt, no_stack_error(sql)};
    Parsed<std::string> out;
    if ((*r)->error) {
        out.error = to_error(*(*r)->error, sql);
        return out;
    }
    out.value = std::string((*r)->normalized_query ? (*r)->normalized_query : "");
    return out;
}

}  // namespace

// `interval '1 day'` would come out as `interval $3`, which does not parse: typed literals become casts first.
Parsed<std::string> normalize(std::string_view sql) { return normalized(sql, prefix_casts_as_postfix(sql)); }

Parsed<std::string> normalize(std::string_view sql, const std::vector<Token>& tokens) {
    return normalized(sql, prefix_casts_as_postfix(sql, tokens));
}

Parsed<std::vector<Token>> scan_tokens(std::string_view sql) {
    detail::note_parser_use();
    const std::string text(sql);
    OwnedScan r(pg_query_scan(text.c_str()));
    Parsed<std::vector<Token>> out;
    if (r->error) {
        out.error = to_error(*r->error, sql);
        return out;
    }
    auto tokens = read_tokens(r->pbuf);
    if (!tokens) {
        out.error = ParseError{"libpg_query returned a scan result that could not be decoded", 0, 0, 1};
        return out;
    }
    out.value = std::move(tokens);
    return out;
}

namespace {
// Whether this thread has called into libpg_query: pg_query_exit() on a thread
// that never parsed crashes (libpg_query 15-4.0).
thread_local bool tl_parser_used = false;
thread_local std::uint64_t tl_parser_calls = 0;
}  // namespace

void detail::note_parser_use() {
    tl_parser_used = true;
    ++tl_parser_calls;
}

std::uint64_t detail::parser_calls_on_this_thread() { return tl_parser_calls; }

TokenKind detail::token_kind(std::uint64_t token, std::uint64_t keyword_kind) {
    switch (token) {
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
    return keyword_kind != PG_QUERY__KEYWORD_KIND__NO_KEYWORD ? TokenKind::Keyword : TokenKind::Other;
}

void release_parser_memory_on_main_thread() {
    if (tl_parser_used) pg_query_exit();
    tl_parser_used = false;
}

Parsed<std::vector<ScriptStatement>> psql_script_statements(std::string_view script) {
    const std::string sql = psql_script_as_sql(script);
    auto spans = split_statements(sql);
    if (!spans.value) return {std::nullopt, spans.error};
    std::vector<ScriptStatement> out;
    for (const auto& span : *spans.value) {
        ScriptStatement s{sql.substr(span.offset, span.length), false};
        // psql_script_as_sql left the offsets alone: what ends this statement in the script?
        std::size_t end = span.offset + span.length;
        while (end < script.size() && std::isspace(static_cast<unsigned char>(script[end]))) ++end;
        s.gexec = script.substr(end, 6) == "\\gexec" &&
                  (end + 6 == script.size() || std::isspace(static_cast<unsigned char>(script[end + 6])));
        if (s.sql.find_first_not_of(" \t\r\n;") != std::string::npos) out.push_back(std::move(s));
    }
    return {std::move(out), std::nullopt};
}

}  // namespace pgadvisor::sql
