#pragma once
// The only door to libpg_query. Every call returns its payload or a
// ParseError by value; the C results are freed by RAII owners in parser.cpp.
// No other folder includes pg_query.h.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sql/query_shape.hpp"

namespace pgadvisor::sql {

template <typename T>
struct Parsed {
    std::optional<T> value;
    std::optional<ParseError> error;
    explicit operator bool() const { return value.has_value(); }
};

// Whether text parses (the tree itself is read only inside src/sql: parse_tree.hpp).
bool parses(std::string_view sql);

struct StatementSpan {
    std::size_t offset = 0;
    std::size_t length = 0;
};
// Statement boundaries found by libpg_query's scanner: cheap, and it also
// splits text that would not parse, so each statement can fail on its own.
Parsed<std::vector<StatementSpan>> split_statements(std::string_view sql);

// A psql script (a plain-layout migration) as the statements psql runs: meta-command
// lines end the statement before them (text.hpp: psql_script_as_sql), and a
// statement ended by \gexec is a query whose every result value psql runs in turn.
struct ScriptStatement {
    std::string sql;
    bool gexec = false;
};
Parsed<std::vector<ScriptStatement>> psql_script_statements(std::string_view script);

struct Fingerprint {
    std::uint64_t value = 0;
    std::string hex;
};
Parsed<Fingerprint> fingerprint(std::string_view sql);

// libpg_query's parse tree of a statement, as fingerprint_statement keeps it for
// shape_statement (shape.hpp) and relation_names (relations.hpp); read inside src/sql only.
struct StatementTree;

// The fingerprint of `sql` and, where `wants_tree(fingerprint)` says so, its parse
// tree, from one libpg_query parse: the workload fingerprints each statement of a
// new key and shapes the ones whose fingerprint is new, which parsed each of those
// twice (issue 17: each new shape parsed once). `wants_tree` is called inside that
// parse, so it must not call libpg_query itself.
struct FingerprintedStatement {
    Parsed<Fingerprint> fingerprint;
    std::shared_ptr<const StatementTree> tree;  // null unless wanted (and the text parses)
};
FingerprintedStatement fingerprint_statement(std::string_view sql,
                                             const std::function<bool(const Fingerprint&)>& wants_tree);

// Constants replaced by $n (numbered after the statement's own parameters).
Parsed<std::string> normalize(std::string_view sql);

// One token of libpg_query's scanner, with byte offsets into the scanned text.
// The shape builder uses it to find where a constant ends (the parse tree only
// gives where it starts) and to cut ORDER BY expressions out of the source.
enum class TokenKind { Constant, Parameter, Keyword, Identifier, Comment, Other };
struct Token {
    std::size_t start = 0;
    std::size_t end = 0;  // one past the last byte
    TokenKind kind = TokenKind::Other;
    char ascii = 0;  // the character for one-character tokens such as ( ) , - ; else 0
};
Parsed<std::vector<Token>> scan_tokens(std::string_view sql);

// split_statements for a caller that has scanned the text already (`tokens`:
// scan_tokens(sql)): where no ';' token but trailing ones (with comments) is among
// them the text is one statement, trimmed as split_statements trims it, and
// libpg_query is not asked to split it again (issue 17: a new shape scanned
// once); else split_statements.
Parsed<std::vector<StatementSpan>> split_statements(std::string_view sql, const std::vector<Token>& tokens);

// normalize for a caller that has scanned the text already (`tokens`:
// scan_tokens(sql)), so its look for typed literals needs no scan of its own.
Parsed<std::string> normalize(std::string_view sql, const std::vector<Token>& tokens);

// Release libpg_query's per-thread memory, just before the process exits: only
// from the main thread (a worker that calls it aborts with a double free,
// docs/libraries.md), and never before more parsing (libpg_query 15-4.0
// crashes in palloc when used again after it).
void release_parser_memory_on_main_thread();

namespace detail {
// Called by every function of the sql stage that enters libpg_query.
void note_parser_use();
// How many calls into libpg_query this thread has made (tests count a new shape's).
std::uint64_t parser_calls_on_this_thread();
// The kind of a scanned token from libpg_query's token number and keyword kind
// (its ScanToken's fields; tests/sql/scan_tokens_test.cpp reads them another way).
TokenKind token_kind(std::uint64_t token, std::uint64_t keyword_kind);
}  // namespace detail

// 1-based line number of a byte offset in text.
int line_of_offset(std::string_view text, std::size_t offset);

// 1-based line numbers of many offsets in one text, counted once for offsets that
// ascend (as a file's statements do): line_of_offset for each statement of a file
// rescans it from the start, quadratic in a file of 100,000 statements. An offset
// before the last one asked counts again from the start.
class LineCounter {
public:
    explicit LineCounter(std::string_view text) : text_(text) {}
    int line_of(std::size_t offset);

private:
    std::string_view text_;
    std::size_t counted_to_ = 0;
    int line_ = 1;
};

}  // namespace pgadvisor::sql
