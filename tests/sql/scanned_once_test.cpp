// A new shape is scanned once, and fingerprinted and parsed by one parse (issue 17):
// split_statements and normalize given the text's tokens must answer exactly what
// they answer when they scan it themselves, without_comments' shortcut (no "--" or
// "/*") what its scan gives, and fingerprint_statement's fingerprint and tree what
// each gives on its own. Checked over every file of the shared corpus and of
// tests/fixtures, whole and line by line.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "sql/parser.hpp"
#include "sql/relations.hpp"
#include "sql/scanner.hpp"
#include "sql/shape.hpp"
#include "sql/shape_json.hpp"
#include "sql_corpus.hpp"

#include <nlohmann/json.hpp>

using namespace pgadvisor::sql;

namespace {

using pgadvisor::test::corpus_texts;

bool same_spans(const std::vector<StatementSpan>& a, const std::vector<StatementSpan>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].offset != b[i].offset || a[i].length != b[i].length) return false;
    return true;
}

}  // namespace

TEST_CASE("split and normalize with the caller's tokens agree with their own scan over the corpus",
          "[sql][scanned-once][corpus]") {
    const auto texts = corpus_texts({PGADVISOR_SHARED_CORPUS, PGADVISOR_TEST_FIXTURES});
    REQUIRE(texts.size() > 5000);
    std::size_t scanned = 0, single = 0, normalized = 0;
    for (const auto& text : texts) {
        if (text.find('\0') != std::string::npos) continue;  // libpg_query reads C strings: shape_all cuts at NULs
        const auto tokens = scan_tokens(text);
        if (!tokens) continue;
        ++scanned;
        const auto own = split_statements(text);
        const auto given = split_statements(text, *tokens.value);
        REQUIRE(own.value.has_value() == given.value.has_value());
        if (own.value) {
            INFO(text);
            CHECK(same_spans(*own.value, *given.value));
            if (own.value->size() == 1) ++single;
        }
        const auto n_own = normalize(text);
        const auto n_given = normalize(text, *tokens.value);
        REQUIRE(n_own.value.has_value() == n_given.value.has_value());
        if (n_own.value) {
            ++normalized;
            CHECK(*n_own.value == *n_given.value);
        } else {
            CHECK(n_own.error->message == n_given.error->message);
        }
    }
    // The corpus exercises both paths: single statements and texts with several.
    CHECK(single > 1000);
    CHECK(normalized > 1000);
    CHECK(scanned > single);
}

TEST_CASE("without_comments: text with no comment marker comes back whole, with one only its comments go",
          "[sql][scanned-once]") {
    CHECK(without_comments("SELECT a - b / c FROM t WHERE x = '-' AND y = '/'") ==
          "SELECT a - b / c FROM t WHERE x = '-' AND y = '/'");
    CHECK(without_comments("SELECT 1 -- tail") == "SELECT 1");
    CHECK(without_comments("/* app */ SELECT 1") == "SELECT 1");
    // Markers inside a string are no comment: the scan says so.
    CHECK(without_comments("SELECT '--x', '/*y*/'") == "SELECT '--x', '/*y*/'");
    // Leading blanks still go (the scan's path), as before.
    CHECK(without_comments("  SELECT 1") == "SELECT 1");
}

TEST_CASE("a statement followed by a comment holding a semicolon shapes as before", "[sql][scanned-once]") {
    // The trailing ';' is inside the comment: split trims it, and the span's own scan must be used.
    const auto r = shape_statement("SELECT a FROM t WHERE id = 5 -- note;");
    REQUIRE(r.shape);
    CHECK(r.shape->text == "SELECT a FROM t WHERE id = 5 -- note");
    CHECK(r.shape->normalized == "SELECT a FROM t WHERE id = $1");
    REQUIRE(r.shape->literals.size() == 1);
    CHECK(r.shape->literals[0].value == "5");
    const auto two = shape_statements("SELECT 1; /* x */ SELECT interval '1 day'");
    REQUIRE(two.size() == 2);
    REQUIRE(two[1].shape);
    CHECK(two[1].shape->normalized == "SELECT $1::interval");
}

TEST_CASE("a shape's lists keep no spare capacity", "[sql][shape-memory]") {
    // Kept for the whole run, one per distinct statement: a third predicate must not take four slots.
    const auto r = shape_statement("SELECT a, b, c FROM t WHERE a = 1 AND b > 2 AND c = 'x'");
    REQUIRE(r.shape);
    CHECK(r.shape->predicates.size() == 3);
    CHECK(r.shape->predicates.capacity() == r.shape->predicates.size());
    CHECK(r.shape->literals.capacity() == r.shape->literals.size());
    CHECK(r.shape->output_columns.capacity() == r.shape->output_columns.size());
    CHECK(r.shape->tables.capacity() == r.shape->tables.size());
}

TEST_CASE("split with the caller's tokens: trailing semicolons and comments after them", "[sql][scanned-once]") {
    for (const std::string text :
         {"SELECT 1;", "SELECT 1 ;  ", "SELECT 1; -- done", "SELECT 1;;", "SELECT 1 -- c\n;", "/* c */ ;", ";",
          "SELECT 1; SELECT 2", "SELECT 1; /* x */ SELECT 2;", "SELECT ';' FROM t;", "  ", ""}) {
        INFO(text);
        const auto tokens = scan_tokens(text);
        REQUIRE(tokens);
        const auto own = split_statements(text);
        const auto given = split_statements(text, *tokens.value);
        REQUIRE(own.value);
        REQUIRE(given.value);
        CHECK(same_spans(*own.value, *given.value));
    }
}

// A new shape's fingerprint and parse tree come from one parse (issue 17): what
// fingerprint_statement gives, and what shape_statement, shown_statement and
// relation_names read off the tree it kept, must be what each gives on its own.
TEST_CASE("fingerprint_statement's fingerprint and kept tree agree with their own parse over the corpus",
          "[sql][parsed-once][corpus]") {
    auto texts = corpus_texts({PGADVISOR_SHARED_CORPUS, PGADVISOR_TEST_FIXTURES});
    REQUIRE(texts.size() > 5000);
    // Past the size parsed on a thread with a larger stack (parser.cpp), and negative integers
    // (whose value parse_tree restores from the text).
    std::string long_in_list = "SELECT * FROM t WHERE id IN (0";
    for (int i = 1; i < 2000; ++i) long_in_list += ", " + std::to_string(i);
    texts.insert(long_in_list + ") AND status = -1");
    texts.insert("SELECT a FROM t WHERE b = -7 AND c > -2147483648");
    std::size_t shaped = 0;
    for (const auto& text : texts) {
        if (text.find('\0') != std::string::npos) continue;  // libpg_query reads C strings: shape_all cuts at NULs
        INFO(text.substr(0, 300));
        int asked = 0;
        const auto kept = fingerprint_statement(text, [&](const Fingerprint&) { return ++asked > 0; });
        const auto own = fingerprint(text);
        REQUIRE(kept.fingerprint.value.has_value() == own.value.has_value());
        if (!own.value) {
            CHECK(kept.fingerprint.error->message == own.error->message);
            CHECK(asked == 0);
            CHECK(!kept.tree);
            continue;
        }
        CHECK(kept.fingerprint.value->value == own.value->value);
        CHECK(kept.fingerprint.value->hex == own.value->hex);
        CHECK(asked == 1);
        REQUIRE(kept.tree);
        CHECK(!fingerprint_statement(text, [](const Fingerprint&) { return false; }).tree);

        const auto plain = shape_statement(text);
        const auto from_tree = shape_statement(text, *own.value, kept.tree.get());
        REQUIRE(plain.shape.has_value() == from_tree.shape.has_value());
        if (plain.shape) {
            ++shaped;
            CHECK(to_json(*from_tree.shape, true) == to_json(*plain.shape, true));
        }
        CHECK(shown_statement(text, kept.tree.get()) == shown_statement(text));
        const auto names = relation_names(*kept.tree, text);
        const auto own_names = relation_names(text);
        REQUIRE(names.value.has_value() == own_names.value.has_value());
        if (names.value) {
            REQUIRE(names.value->size() == own_names.value->size());
            for (std::size_t i = 0; i < names.value->size(); ++i) {
                CHECK((*names.value)[i].schema == (*own_names.value)[i].schema);
                CHECK((*names.value)[i].name == (*own_names.value)[i].name);
                CHECK((*names.value)[i].alias == (*own_names.value)[i].alias);
            }
        }
    }
    CHECK(shaped > 1000);
}

TEST_CASE("a kept tree is used only for the text it was parsed from", "[sql][parsed-once]") {
    const std::string text = "SELECT a FROM t WHERE b = 1";
    const auto kept = fingerprint_statement(text, [](const Fingerprint&) { return true; });
    REQUIRE(kept.tree);
    const std::string other = "SELECT c FROM u WHERE d = 2";
    const auto r = shape_statement(other, *fingerprint(other).value, kept.tree.get());
    REQUIRE(r.shape);
    CHECK(r.shape->text == other);
    REQUIRE(r.shape->tables.size() == 1);
    CHECK(r.shape->tables[0].name == "u");
    // Its first statement of two is not all of the text: parsed on its own.
    const std::string two = "SELECT a FROM t; SELECT c FROM u";
    const auto both = fingerprint_statement(two, [](const Fingerprint&) { return true; });
    const auto first = shape_statement(two, *both.fingerprint.value, both.tree.get());
    REQUIRE(first.shape);
    CHECK(first.shape->text == "SELECT a FROM t");
}
