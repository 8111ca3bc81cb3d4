#include "ingest/shape_key.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "sql/text.hpp"

namespace pgadvisor::ingest {
namespace {

// Character classes by table: the key's pass reads every byte of every statement (issue 17).
enum : unsigned char { kWordStart = 1, kWordChar = 2, kDigit = 4, kBlank = 8, kOperator = 16 };
constexpr std::array<unsigned char, 256> kClasses = [] {
    std::array<unsigned char, 256> classes{};
    // PostgreSQL's operator characters: two adjacent ones may form one operator,
    // so a space between them is kept.
    constexpr std::string_view operators = "+-*/<>=~!@#%^&|`?";
    for (int c = 0; c < 256; ++c) {
        unsigned char k = 0;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80) k |= kWordStart | kWordChar;
        if (c >= '0' && c <= '9') k |= kDigit | kWordChar;
        if (c == '$') k |= kWordChar;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') k |= kBlank;
        if (c < 0x80 && operators.find(static_cast<char>(c)) != std::string_view::npos) k |= kOperator;
        classes[static_cast<std::size_t>(c)] = k;
    }
    return classes;
}();
// A word character as the key writes it (lower-cased), 0 for any other byte: a word is
// read, tested and written in one table lookup a byte.
constexpr std::array<char, 256> kWordCharLowered = [] {
    std::array<char, 256> lowered{};
    for (int c = 0; c < 256; ++c)
        if (kClasses[static_cast<std::size_t>(c)] & kWordChar)
            lowered[static_cast<std::size_t>(c)] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
    return lowered;
}();

bool has_class(unsigned char c, unsigned char k) { return (kClasses[c] & k) != 0; }
bool word_start(unsigned char c) { return has_class(c, kWordStart); }
bool word_char(unsigned char c) { return has_class(c, kWordChar); }
bool digit(unsigned char c) { return has_class(c, kDigit); }
bool blank(unsigned char c) { return has_class(c, kBlank); }
bool op_char(unsigned char c) { return has_class(c, kOperator); }

// One past the end of the block comment that opens at s[i] (they nest); npos when unterminated.
std::size_t block_comment_end(std::string_view s, std::size_t i) {
    int depth = 0;
    for (std::size_t k = i; k + 1 < s.size(); ++k) {
        if (s[k] == '/' && s[k + 1] == '*') {
            ++depth;
            ++k;
        } else if (s[k] == '*' && s[k + 1] == '/') {
            if (--depth == 0) return k + 2;
            ++k;
        }
    }
    return std::string_view::npos;
}

// A numeric constant as PostgreSQL 15's lexer reads it whole: digits, an
// optional fraction, an optional exponent with digits ("1", "1.", ".5", "1e-3").
bool plain_number(std::string_view t) {
    std::size_t k = 0, digits = 0;
    while (k < t.size() && digit(static_cast<unsigned char>(t[k]))) ++k, ++digits;
    if (k < t.size() && t[k] == '.') {
        ++k;
        while (k < t.size() && digit(static_cast<unsigned char>(t[k]))) ++k, ++digits;
    }
    if (digits == 0) return false;
    if (k < t.size() && (t[k] == 'e' || t[k] == 'E')) {
        ++k;
        if (k < t.size() && (t[k] == '+' || t[k] == '-')) ++k;
        const std::size_t exponent = k;
        while (k < t.size() && digit(static_cast<unsigned char>(t[k]))) ++k;
        if (k == exponent) return false;
    }
    return k == t.size();
}

// Whether libpg_query's scanner reads the text as this key's pass does: it
// reads a C string (a NUL ends it) and expects UTF-8.
bool scannable_alike(std::string_view s) {
    std::size_t i = 0;
    // 8 bytes at a time while none is a NUL or outside ASCII (most statements throughout).
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, s.data() + i, 8);
        const bool has_nul = ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL) != 0;
        if (has_nul || (w & 0x8080808080808080ULL) != 0) break;
    }
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == 0) return false;
        if (c < 0x80) {
            ++i;
            continue;
        }
        const std::size_t n = sql::utf8_sequence_length(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

enum class Last { None, Word, Op, Punct };

// Writes the key one token at a time. Each token reader returns false where
// the text uses something this scanner does not model (the caller then asks
// libpg_query): so every "give up" is in the reader of its token.
//
// The key is never longer than the text (a token is written as long as it is or
// shorter, a space only for blanks or a comment read), so it is written through a
// cursor into a buffer of the text's size: appending a byte at a time, with the
// string's checks of its size, was half of the key's instructions (issue 17).
class KeyWriter {
public:
    // With `values`, also the statement's value tokens (ValueScan).
    KeyWriter(std::string_view s, ValueScan* values) : s_(s), n_(s.size()), values_(values) {
        out_.resize(n_);
        w_ = out_.data();
        if (values_) {
            values_->tokens.clear();
            // Room for a statement's usual few values at once, not grown from 1 by doubling.
            values_->tokens.reserve(8);
        }
    }

    // Whether the value tokens recorded are exactly libpg_query's.
    bool values_sure() const { return values_sure_; }

    // The key before IN lists are collapsed; nullopt: ask libpg_query.
    std::optional<std::string> scan() {
        while (i_ < n_) {
            if (!token()) return std::nullopt;
        }
        // A trailing semicolon does not change the statement.
        while (w_ != out_.data() && (w_[-1] == ';' || w_[-1] == ' ')) --w_;
        out_.resize(static_cast<std::size_t>(w_ - out_.data()));
        return std::move(out_);
    }

private:
    unsigned char at(std::size_t k) const { return static_cast<unsigned char>(s_[k]); }
    bool is(std::size_t k, char c) const { return k < n_ && s_[k] == c; }
    bool digit_at(std::size_t k) const { return k < n_ && digit(at(k)); }

    // Emit a token, with a single space where one is needed to keep tokens apart.
    void sep(Last kind) {
        if (space_pending_ && last_ != Last::None && kind == last_ && kind != Last::Punct) *w_++ = ' ';
        space_pending_ = false;
        last_ = kind;
        last_was_string_ = false;
    }

    void value(std::size_t start, std::size_t end, bool parameter) {
        if (values_) values_->tokens.push_back({start, end, parameter});
    }

    // One token (or a run of blanks, or a comment) at i_.
    bool token() {
        const unsigned char c = at(i_);
        if (word_start(c)) return word();  // the most common token, and no other starts with such a byte
        if (blank(c)) {
            space_pending_ = true;
            while (++i_ < n_ && blank(at(i_))) {
            }
            return true;
        }
        if (c == '-' && is(i_ + 1, '-')) return line_comment();
        if (c == '/' && is(i_ + 1, '*')) return block_comment();
        if (c == '\'') return string_constant();
        if (c == '"') return quoted_identifier();
        if (c == '$') return parameter();
        if (number_ahead(c)) return number();
        if (op_char(c)) return operator_char(c);
        return punctuation(c);
    }

    bool line_comment() {
        while (i_ < n_ && s_[i_] != '\n') ++i_;
        space_pending_ = true;
        return true;
    }

    // A block comment (they nest) is a blank, as for PostgreSQL's lexer; the
    // fingerprint ignores comments, so sqlcommenter tags do not split a key.
    bool block_comment() {
        const std::size_t end = block_comment_end(s_, i_);
        if (end == std::string_view::npos) return false;  // unterminated: libpg_query says what it is
        i_ = end;
        space_pending_ = true;
        return true;
    }

    // A standard string; '' is an escaped quote. Backslashes are plain
    // characters (standard_conforming_strings), adjacent strings separated by
    // a newline are one constant: both end as '?'.
    bool string_constant() {
        // Strings separated only by blanks with a newline are one constant for
        // PostgreSQL's lexer, two here: not sure of the values then.
        if (last_was_string_) values_sure_ = false;
        const std::size_t start = i_++;
        for (;;) {
            if (i_ >= n_) return false;  // unterminated
            if (s_[i_] == '\'') {
                if (is(i_ + 1, '\'')) {
                    i_ += 2;
                    continue;
                }
                ++i_;
                break;
            }
            ++i_;
        }
        sep(Last::Word);
        *w_++ = '?';
        value(start, i_, false);
        last_was_string_ = true;
        return true;
    }

    // A quoted identifier, kept verbatim.
    bool quoted_identifier() {
        const std::size_t start = i_++;
        while (i_ < n_ && !(s_[i_] == '"' && !is(i_ + 1, '"'))) i_ += (s_[i_] == '"') ? 2 : 1;
        if (i_ >= n_) return false;
        ++i_;
        sep(Last::Word);
        write(start, i_);
        return true;
    }

    // $n parameters keep their number (a parameter is not a constant for
    // libpg_query); any other '$' starts dollar quoting.
    bool parameter() {
        if (!digit_at(i_ + 1)) return false;
        const std::size_t start = i_++;
        while (digit_at(i_)) ++i_;
        if (i_ < n_ && word_char(at(i_))) values_sure_ = false;  // "$1abc": PostgreSQL's lexer splits it its own way
        sep(Last::Word);
        write(start, i_);
        value(start, i_, true);
        return true;
    }

    // A number starts here. A minus sign in front of a number after an
    // operator, '(' or ',' is part of the constant (the grammar folds it:
    // "+ -1" parses like "+ 1").
    bool number_ahead(unsigned char c) const {
        std::size_t k = i_;
        if (c == '-' && (last_ == Last::Op || last_ == Last::Punct || last_ == Last::None)) ++k;
        else if (c == '-') return false;
        return digit_at(k) || (is(k, '.') && digit_at(k + 1));
    }

    // Numeric constant: digits, '.', exponent, underscores (PG16), hex/oct/bin prefixes.
    bool number() {
        if (s_[i_] == '-') ++i_;  // the '-' is an operator token for the lexer: the value starts after it
        const std::size_t start = i_;
        while (i_ < n_) {
            const unsigned char d = at(i_);
            if (!(digit(d) || d == '.' || d == '_' || (d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z'))) break;
            if ((d == 'e' || d == 'E') && (is(i_ + 1, '+') || is(i_ + 1, '-'))) ++i_;
            ++i_;
        }
        // What this loop takes as one number (0x1F, 1_000, 1.2.3, 1abc) the lexer may split.
        if (!plain_number(s_.substr(start, i_ - start)) || is(i_, '$')) values_sure_ = false;
        sep(Last::Word);
        *w_++ = '?';
        value(start, i_, false);
        return true;
    }

    // A keyword or identifier, lower-cased.
    bool word() {
        const std::size_t start = i_;
        sep(Last::Word);
        char* const written = w_;
        // On locals: a store through the cursor may alias the members, which were then
        // read again for every character.
        const char* in = s_.data() + i_;
        const char* const end = s_.data() + n_;
        char* w = w_;
        for (char c; in != end && (c = kWordCharLowered[static_cast<unsigned char>(*in)]) != 0; ++in) *w++ = c;
        i_ = static_cast<std::size_t>(in - s_.data());
        w_ = w;
        // E'..', B'..', X'..', U&'..', N'..' strings have their own escape rules.
        if (is(i_, '\'') || (is(i_, '&') && (is(i_ + 1, '\'') || is(i_ + 1, '"')))) return false;
        if (values_ && i_ - start <= 5 && sql::is_value_keyword(std::string_view(written, i_ - start)))
            value(start, i_, false);
        return true;
    }

    bool operator_char(unsigned char c) {
        sep(Last::Op);
        *w_++ = static_cast<char>(c);
        ++i_;
        return true;
    }

    // Everything else is one character of punctuation; psql meta-commands are
    // not SQL, and '::' casts are one token (a ':variable' stays two).
    bool punctuation(unsigned char c) {
        if (c == '\\') return false;
        sep(Last::Punct);
        if (c == ':' && is(i_ + 1, ':')) {
            *w_++ = ':';
            *w_++ = ':';
            i_ += 2;
            return true;
        }
        *w_++ = static_cast<char>(c);
        ++i_;
        return true;
    }

    // The text's characters [start, end) as they are.
    void write(std::size_t start, std::size_t end) {
        std::memcpy(w_, s_.data() + start, end - start);
        w_ += end - start;
    }

    std::string_view s_;
    std::size_t i_ = 0, n_;
    std::string out_;
    char* w_ = nullptr;  // where the key's next character goes, in out_
    Last last_ = Last::None;
    bool space_pending_ = false;
    ValueScan* values_ = nullptr;
    bool values_sure_ = true;
    bool last_was_string_ = false;  // the last token was a string constant (comments and blanks between)
};

// At out[k] == '(': the index of the ')' closing a list of only '?' ("(?,?,?)"), or 0.
std::size_t constant_list_end(const std::string& out, std::size_t k) {
    if (!(k + 2 < out.size() && out[k + 1] == '?' && (out[k + 2] == ',' || out[k + 2] == ')'))) return 0;
    std::size_t j = k + 1;
    while (j < out.size() && out[j] == '?') {
        if (j + 1 < out.size() && out[j + 1] == ')') return j + 1;
        if (j + 1 < out.size() && out[j + 1] == ',') j += 2;
        else break;
    }
    return 0;
}

// Whether the key written so far ends with the word IN (before blanks).
bool ends_with_in(std::string_view before) {
    while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
    return before.size() >= 2 && before.substr(before.size() - 2) == "in" &&
           (before.size() == 2 || !word_char(static_cast<unsigned char>(before[before.size() - 3])));
}

// "IN (?,?,?)" -> "IN (?)": libpg_query's fingerprint ignores IN-list length.
// Only after IN: a VALUES row or a function call keeps its arity.
std::string collapse_in_lists(std::string out) {
    // A key without "(?" has no list to collapse: most keys, kept as they are, not copied.
    if (out.find("(?") == std::string::npos) return out;
    std::string collapsed;
    collapsed.reserve(out.size());
    for (std::size_t k = 0; k < out.size(); ++k) {
        if (out[k] == '(') {
            const std::size_t close = constant_list_end(out, k);
            if (close != 0 && ends_with_in(collapsed)) {
                collapsed += "(?)";
                k = close;
                continue;
            }
        }
        collapsed += out[k];
    }
    return collapsed;
}

bool has_digit_pair(std::string_view s) {
    for (std::size_t k = 1; k < s.size(); ++k)
        if (digit(static_cast<unsigned char>(s[k - 1])) && digit(static_cast<unsigned char>(s[k]))) return true;
    return false;
}

// One past the quote closing the run that opens at s[i] (a doubled quote is
// part of it); npos when unterminated.
std::size_t quoted_end(std::string_view s, std::size_t i, char quote) {
    for (std::size_t k = i + 1; k < s.size(); ++k) {
        if (s[k] != quote) continue;
        if (k + 1 < s.size() && s[k + 1] == quote) {
            ++k;
            continue;
        }
        return k + 1;
    }
    return std::string_view::npos;
}

// One past a numeric constant starting at s[i]: digits, fraction, exponent
// (PostgreSQL 15's forms); letters right after it start a token of their own.
std::size_t number_end(std::string_view s, std::size_t i) {
    auto digit_at = [&](std::size_t k) { return k < s.size() && digit(static_cast<unsigned char>(s[k])); };
    while (digit_at(i) || (i < s.size() && s[i] == '.')) ++i;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        std::size_t k = i + 1;
        if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
        if (digit_at(k)) {
            i = k;
            while (digit_at(i)) ++i;
        }
    }
    return i;
}

// One past the token at s[i] for may_have_numbered_identifier, or npos to answer true.
std::size_t skip_token(std::string_view s, std::size_t i) {
    constexpr auto npos = std::string_view::npos;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const bool pair_next = i + 1 < s.size() && s[i + 1] == static_cast<char>(c);
    if (c == '\'') {
        // E'..', B'..', U&'..' have their own escapes: a word or & right before the quote.
        if (i > 0 && (word_char(static_cast<unsigned char>(s[i - 1])) || s[i - 1] == '&')) return npos;
        return quoted_end(s, i, '\'');
    }
    if (c == '"') {
        const std::size_t end = quoted_end(s, i, '"');
        return end == npos || has_digit_pair(s.substr(i, end - i)) ? npos : end;
    }
    if (c == '-' && pair_next) return std::min(s.find('\n', i), s.size());
    if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') return block_comment_end(s, i);
    if (c == '$') {
        if (!(i + 1 < s.size() && digit(static_cast<unsigned char>(s[i + 1])))) return npos;  // dollar quoting
        return number_end(s, i + 1);
    }
    if (digit(c)) return number_end(s, i);
    if (word_start(c)) {
        std::size_t end = i + 1;
        while (end < s.size() && word_char(static_cast<unsigned char>(s[end]))) ++end;
        return has_digit_pair(s.substr(i, end - i)) ? npos : end;
    }
    return i + 1;
}

}  // namespace

bool may_have_numbered_identifier(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        i = skip_token(s, i);
        if (i == std::string_view::npos) return true;
    }
    return false;
}

std::optional<std::string> shape_key(std::string_view s, ValueScan* values) {
    KeyWriter writer(s, values);
    auto key = writer.scan();
    if (values) values->sure = key && writer.values_sure() && scannable_alike(s);
    if (!key) return std::nullopt;
    return collapse_in_lists(std::move(*key));
}

}  // namespace pgadvisor::ingest
