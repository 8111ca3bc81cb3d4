#pragma once
// Comments of a statement, read with PostgreSQL's own lexer (scan_tokens in
// parser.hpp), so a comment-like text inside a string literal is never taken
// for one. The workload stage reads sqlcommenter / marginalia tags from them.

#include <string>
#include <string_view>
#include <vector>

namespace pgadvisor::sql {

// The text of every comment in the statement (`/* ... */` and `-- ...`), delimiters removed.
std::vector<std::string> comments_of(std::string_view sql);

// The statement without its comments (and the blanks just before each), for
// showing it: sqlcommenter tags carry trace ids and other per-request values
// that say nothing about the statement's shape. Unchanged when it cannot be scanned.
std::string without_comments(std::string_view sql);

// The statement with every constant the lexer sees (strings, numbers, bit
// strings) replaced by $n, numbered after its highest $n: for showing the
// statements pg_query_normalize leaves alone (it normalizes queries, not
// EXECUTE, CALL, COMMENT ... IS, CREATE INDEX ... WHERE, DEFAULT, NOTIFY, ALTER
// SYSTEM), whose constants are values too. Unchanged when it cannot be scanned.
std::string with_constants_masked(std::string_view sql);

// An SQL expression from a schema (a DEFAULT, an index predicate or key
// expression) as `schema` shows it: constants masked unless the user asked for
// them with --show-literals, since a schema's constants can be data too.
std::string shown_expression(std::string_view expression, bool show_literals);

// A token that can hold a value in a statement: a constant, a $n parameter, or
// one of the keywords TRUE / FALSE / NULL (constants in the parse tree too).
// Its bytes [start, end) in the statement; a negative number's '-' is a token of its own.
struct ValueToken {
    std::size_t start = 0, end = 0;
    bool parameter = false;
    bool operator==(const ValueToken&) const = default;
};

// The value tokens of a statement, by libpg_query's scanner; empty when it cannot be scanned.
std::vector<ValueToken> value_tokens(std::string_view sql);

// Whether text is the keyword `word` (given in lower case), in any case: ASCII only, as PostgreSQL's keywords.
bool keyword_is(std::string_view text, std::string_view word);

// Whether a word is one of the keywords that are values: TRUE, FALSE, NULL (any case).
bool is_value_keyword(std::string_view word);

}  // namespace pgadvisor::sql
