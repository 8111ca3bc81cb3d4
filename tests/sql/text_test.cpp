// The small text helpers every stage shares: joins, UTF-8-safe cuts, name words.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sql/parser.hpp"
#include "sql/quote.hpp"
#include "sql/text.hpp"

using namespace pgadvisor;

TEST_CASE("join puts the separator between items only", "[sql][text]") {
    CHECK(sql::join({}) == "");
    CHECK(sql::join({"a"}) == "a");
    CHECK(sql::join({"a", "b", "c"}) == "a, b, c");
    CHECK(sql::join({"a", "b"}, " AND ") == "a AND b");
    CHECK(sql::join({"a", "b"}, ",") == "a,b");
    // An empty item still has its place: the separators say how many there were.
    CHECK(sql::join({"", "b"}, "|") == "|b");
}

TEST_CASE("quote_ident_list quotes each name as PostgreSQL needs", "[sql][text]") {
    CHECK(sql::quote_ident_list({"cart_id", "Email", "select"}) == "cart_id, \"Email\", \"select\"");
    CHECK(sql::quote_ident_list({}) == "");
}

TEST_CASE("cut_utf8_prefix never splits a character", "[sql][text]") {
    CHECK(sql::cut_utf8_prefix("abcdef", 3) == "abc");
    CHECK(sql::cut_utf8_prefix("abc", 10) == "abc");
    // "größe": g r ö(2 bytes) ß(2 bytes) e; a cut at 3 bytes would split the ö.
    CHECK(sql::cut_utf8_prefix("größe", 3) == "gr");
    CHECK(sql::cut_utf8_prefix("größe", 4) == "grö");
}

TEST_CASE("one_line puts a multi-line statement on one line", "[sql][text]") {
    // SQLAlchemy's statements span lines; verify's table and ingest's list show them on one.
    CHECK(sql::one_line("SELECT appointment.id \nFROM appointment \nWHERE appointment.room = $1") ==
          "SELECT appointment.id FROM appointment WHERE appointment.room = $1");
    CHECK(sql::one_line("\t  SELECT\r\n 1  ") == "SELECT 1");
    CHECK(sql::one_line("") == "");
}

TEST_CASE("name_word makes a readable name part", "[sql][text]") {
    CHECK(sql::name_word("Customer_ID") == "customer_id");
    CHECK(sql::name_word("lower((email)::text)") == "lower_email_text");
    CHECK(sql::name_word("größe") == "größe");
    CHECK(sql::name_word("  --  ") == "");
    CHECK(sql::trim_underscores("__a_b__") == "a_b");
}

TEST_CASE("psql_script_as_sql: a meta-command line ends the statement before it, offsets kept", "[sql][text]") {
    // A plain migration: psql runs the SELECT at \gexec, then the CREATE INDEX on its own.
    const std::string script =
        "SELECT format('DROP INDEX CONCURRENTLY %s', 'x')\n"
        "\\gexec\n"
        "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n"
        "\\restrict KEY\r\n";
    std::size_t meta = 0;
    const std::string text = sql::psql_script_as_sql(script, &meta);
    CHECK(meta == 2);
    REQUIRE(text.size() == script.size());
    CHECK(text.find('\\') == std::string::npos);
    CHECK(text.substr(text.find("\n;") + 1, 7) == ";     \n");
    CHECK(text.substr(text.size() - 2) == "\r\n");
    auto spans = sql::split_statements(text);
    REQUIRE(spans.value);
    std::vector<std::string> statements;
    for (const auto& s : *spans.value)
        if (sql::parses(text.substr(s.offset, s.length)))
            statements.push_back(text.substr(s.offset, s.length).substr(0, 6));
    CHECK(statements == std::vector<std::string>{"SELECT", "CREATE"});
    // A backslash inside a line is not a meta-command line.
    CHECK(sql::psql_script_as_sql("SELECT 'a\\b';\n") == "SELECT 'a\\b';\n");
}

TEST_CASE("quote_literal doubles quotes and keeps backslashes", "[sql][text]") {
    CHECK(sql::quote_literal("it's") == "'it''s'");
    CHECK(sql::quote_literal("a\\b") == "'a\\b'");
    CHECK(sql::quote_literal("") == "''");
}

TEST_CASE("names hold no invisible characters: escape sequences and bidi overrides become '_'", "[sql][text]") {
    // Before: the right-to-left override (U+202E) stayed in index and migration file names.
    CHECK(sql::name_word("ord\x1b[2Jers\xe2\x80\xae"
                         "evil") == "ord_2jers_evil");
    CHECK(sql::name_word("caf\xc3\xa9") == "caf\xc3\xa9");  // a visible letter stays
    CHECK(sql::name_word("a\xe2\x80\x8b"
                         "b") == "a_b");  // zero-width space
    CHECK(sql::name_word("a\xc2\x9b"
                         "b") == "a_b");  // C1 control (CSI)
    CHECK(sql::name_word("a\xff\xfe"
                         "b") == "a_b");  // not UTF-8
}

TEST_CASE("terminal_safe shows control characters and bidi overrides as escapes", "[sql][text]") {
    CHECK(sql::terminal_safe("ord\x1b[2Jers") == "ord\\x1b[2Jers");
    CHECK(sql::terminal_safe("a\xe2\x80\xae"
                             "b") == "a\\u202eb");
    CHECK(sql::terminal_safe("a\rb\x7f"
                             "c\xff") == "a\\x0db\\x7fc\\xff");
    CHECK(sql::terminal_safe("line 1\n\tline 2 caf\xc3\xa9") == "line 1\n\tline 2 caf\xc3\xa9");
    // A coloured report keeps its colours (SGR sequences only); anything else is still escaped.
    CHECK(sql::terminal_safe("\x1b[1;31mFAILED\x1b[0m", true) == "\x1b[1;31mFAILED\x1b[0m");
    CHECK(sql::terminal_safe("\x1b[2J\x1b]0;title\x07", true) == "\\x1b[2J\\x1b]0;title\\x07");
    CHECK(sql::terminal_safe("\x1b[1;31mFAILED", false) == "\\x1b[1;31mFAILED");
}

TEST_CASE("counted: a count and its noun agree", "[sql][text]") {
    CHECK(sql::counted(1, "statement") == "1 statement");
    CHECK(sql::counted(0, "statement") == "0 statements");
    CHECK(sql::counted(2, "call") == "2 calls");
    CHECK(sql::counted(-1, "row") == "-1 rows");
}
