#pragma once
// PostgreSQL's own lexer (pg_query_scan): token kinds and byte ranges, for
// the few jobs that need tokens rather than a tree, such as reading the
// sqlcommenter / marginalia comments an application puts in its statements.

#include <string>
#include <string_view>
#include <vector>

#include "sql/parser.hpp"

namespace pgadvisor::sql {

enum class TokenKind { Comment, String, Number, Parameter, Keyword, Identifier, Operator, Other };

struct Token {
    TokenKind kind = TokenKind::Other;
    int start = 0;  // byte offset in the scanned text
    int end = 0;    // one past the last byte
};

Parsed<std::vector<Token>> scan_tokens(std::string_view sql);

// The text of every comment in the statement (`/* ... */` and `-- ...`), delimiters removed.
std::vector<std::string> comments_of(std::string_view sql);

}  // namespace pgadvisor::sql
