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

// The items with sep between them ("a, b, c"); empty for no items.
std::string join(const std::vector<std::string>& items, std::string_view sep = ", ");

// The longest prefix of at most max_bytes that ends on a UTF-8 character
// boundary: a cut name never ends in half a character.
std::string cut_utf8_prefix(const std::string& s, std::size_t max_bytes);

// s without '_' at either end: a name part cut short must not end in a separator.
std::string trim_underscores(std::string s);

// A name part as a readable word: ASCII letters lower-cased, digits and
// non-ASCII letters kept, every other run of bytes one '_', no '_' at the ends.
// Used for index names and migration file names alike.
std::string name_word(std::string_view text);

}  // namespace pgadvisor::sql
