#pragma once
// Small text helpers every stage uses to write messages, names and SQL lists.
// One definition each, so that two stages never join or cut text differently.
//
// Takes: plain strings. Gives: strings.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pgadvisor::sql {

// A count and its noun, plural unless it is one: "1 statement", "0 statements".
std::string counted(long long count, std::string_view noun);

// The items with sep between them ("a, b, c"); empty for no items.
std::string join(const std::vector<std::string>& items, std::string_view sep = ", ");

// The longest prefix of at most max_bytes that ends on a UTF-8 character
// boundary: a cut name never ends in half a character.
std::string cut_utf8_prefix(const std::string& s, std::size_t max_bytes);

// For display: a multi-line statement on one line (each run of spaces, tabs and
// line breaks becomes one space; none at either end).
std::string one_line(std::string_view text);

// s without '_' at either end: a name part cut short must not end in a separator.
std::string trim_underscores(std::string s);

// A name part as a readable word: ASCII letters lower-cased, digits and
// visible non-ASCII characters kept, every other run of bytes (punctuation,
// controls, bidi overrides, invalid UTF-8) one '_', no '_' at the ends.
// Used for index names and migration file names alike.
std::string name_word(std::string_view text);

// The length of the valid UTF-8 sequence at s[i] (1 to 4), or 0 when the bytes
// there are not UTF-8 (a stray continuation byte, an overlong form, a surrogate,
// a sequence cut short).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

// One JSON string escape, s[i] being the character after the backslash: what it
// stands for is appended to out (a \u escape as UTF-8, a surrogate pair's two
// escapes as one character) and i moves past it. False when it is none: an
// unknown letter, \u without four hex digits, a high surrogate without its low
// one, and, when strict, a lone low surrogate (nlohmann refuses it; a lenient
// reader writes its three bytes).
bool append_json_escape(std::string_view s, std::size_t& i, std::string& out, bool strict);

// Whether a character shows nothing of its own or changes how the text around
// it shows: C0 and C1 controls, DEL, zero-width and bidi format characters
// (U+200B-U+200F, U+2028-U+202E, U+2060-U+206F, U+FEFF, soft hyphen).
bool invisible_character(char32_t c);

// Text for a terminal or a Markdown page: every invisible character (an escape
// sequence's ESC, a right-to-left override) and every byte that is not UTF-8
// written as an escape (\x1b, \u202e); newlines and tabs kept. Identifiers
// from a schema or a log can hold them. With keep_colors, SGR colour sequences
// (ESC [ digits/; m, what a coloured report adds) pass: they can only colour text.
std::string terminal_safe(std::string_view text, bool keep_colors = false);

// A psql script read as SQL: each line that starts with a backslash is a psql
// meta-command (\gexec in a plain-layout migration, \restrict in pg_dump 15.14+),
// not SQL. It becomes ';' followed by blanks, so every offset and line number stays
// where it was and the statement typed before it ends there, as psql ends it at
// \g or \gexec. `meta_commands`, when given, counts them.
std::string psql_script_as_sql(std::string_view script, std::size_t* meta_commands = nullptr);

}  // namespace pgadvisor::sql
