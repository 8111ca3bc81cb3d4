// Every statement of the shared corpus yields a shape or a structured error,
// never a crash: pgBadger's log fixtures and the published EXPLAIN queries.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "sql/shape.hpp"

using namespace pgadvisor::sql;

namespace {

const std::filesystem::path kCorpus = PGADVISOR_SHARED_CORPUS;

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Test-only extraction (the real one belongs to the ingest stage): the text
// after "statement: " or "execute <name>: " to the end of the line, plus the
// following lines that start with a tab (stderr continuation lines). In CSV
// and JSON logs the text keeps the format's trailing fields; those fail to
// parse, which is the structured-error path this test also wants to see.
std::vector<std::string> extract_statements(const std::string& log) {
    std::vector<std::string> out;
    bool open = false;
    std::size_t pos = 0;
    while (pos < log.size()) {
        std::size_t eol = log.find('\n', pos);
        if (eol == std::string::npos) eol = log.size();
        std::string line = log.substr(pos, eol - pos);
        pos = eol + 1;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (open && !line.empty() && line[0] == '\t') {
            out.back().push_back('\n');
            out.back().append(line, 1, std::string::npos);
            continue;
        }
        open = false;
        std::size_t start = std::string::npos;
        if (auto s = line.find("statement: "); s != std::string::npos) {
            start = s + 11;
        } else if (auto e = line.find("execute "); e != std::string::npos) {
            auto colon = line.find(": ", e + 8);
            if (colon != std::string::npos && line.find(' ', e + 8) > colon) start = colon + 2;
        }
        if (start == std::string::npos) continue;
        out.push_back(line.substr(start));
        open = true;
    }
    return out;
}

struct Tally {
    std::size_t texts = 0, blank = 0, shaped = 0, errors = 0;
};

Tally shape_all(const std::vector<std::string>& texts) {
    Tally t;
    t.texts = texts.size();
    for (const auto& text : texts) {
        // rds.log has empty "statement: " lines: nothing to shape, no error.
        if (text.find_first_not_of(" \t;") == std::string::npos) ++t.blank;
        for (const auto& r : shape_statements(text)) {
            // Exactly one of shape and error.
            REQUIRE(r.shape.has_value() != r.error.has_value());
            if (r.shape) {
                ++t.shaped;
                CHECK(r.shape->offset + r.shape->length <= text.size());
                CHECK(text.compare(r.shape->offset, r.shape->length, r.shape->text) == 0);
                CHECK_FALSE(r.shape->node_type.empty());
                for (const auto& l : r.shape->literals) {
                    CHECK(l.location >= 0);
                    CHECK(static_cast<std::size_t>(l.location + l.length) <= r.shape->text.size());
                }
                for (const auto& p : r.shape->predicates)
                    CHECK(p.column.table < static_cast<int>(r.shape->tables.size()));
            } else {
                ++t.errors;
                CHECK_FALSE(r.error->message.empty());
                CHECK(r.error->line >= 1);
                CHECK(r.error->offset <= text.size());
            }
        }
    }
    return t;
}

}  // namespace

TEST_CASE("pgBadger log fixtures: every extracted statement shapes or fails cleanly", "[sql][shape][corpus]") {
    // Expected counts: grep -cE 'statement: |execute [^ ]*: ' <file> (each
    // such line starts one statement). min_shaped: statements that must
    // parse. CSV/JSON logs keep their trailing fields in this naive
    // extraction and fail; syslog splits long statements over [%l-N] lines
    // (3 fail); stmt_type.log logs a DECLARE CURSOR ... AS that PostgreSQL
    // itself rejects; logplex wraps one statement over two records.
    struct Expect {
        const char* file;
        std::size_t texts;
        std::size_t min_shaped;
    };
    const Expect files[] = {
        {"anonymize.log", 5, 0},
        {"cloudsql.log", 1, 0},
        {"cnpg.log", 400, 0},
        {"csv_statement_without_duration.log", 2, 0},
        {"light.postgres.log", 629, 629},
        {"logplex", 4, 3},
        {"multiline_param.log", 5, 5},
        {"pg-syslog.1", 19952, 19949},
        {"pg-timezones.log", 2, 2},
        {"postgresql_param_range.log", 3, 3},
        {"queryid.log", 20, 20},
        {"rds.log", 19990, 19987},
        {"stmt_type.log", 12, 11},
        {"tempfile_only.log", 65, 65},
        {"weeknumber.log", 6, 0},
    };
    for (const auto& f : files) {
        const auto path = kCorpus / "logs" / "pgbadger" / f.file;
        INFO(path.string());
        REQUIRE(std::filesystem::exists(path));
        const auto texts = extract_statements(slurp(path));
        CHECK(texts.size() == f.texts);
        const Tally t = shape_all(texts);
        UNSCOPED_INFO(f.file << ": " << t.texts << " texts, " << t.shaped << " shaped, " << t.errors << " errors");
        CHECK(t.shaped >= f.min_shaped);
        CHECK(t.shaped + t.errors + t.blank >= t.texts);
    }
}

TEST_CASE("published EXPLAIN queries: every statement shapes or fails cleanly", "[sql][shape][corpus]") {
    const auto dir = kCorpus / "explain" / "queries";
    REQUIRE(std::filesystem::is_directory(dir));
    std::size_t files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".sql") continue;
        ++files;
        INFO(entry.path().string());
        const Tally t = shape_all({slurp(entry.path())});
        UNSCOPED_INFO(entry.path().filename().string() << ": " << t.shaped << " shaped, " << t.errors << " errors");
        // 03.sql uses psycopg's %(name)s placeholders, which are not SQL.
        if (entry.path().filename() == "03.sql") {
            CHECK(t.shaped == 0);
            CHECK(t.errors == 1);
        } else {
            CHECK(t.shaped >= 1);
        }
    }
    CHECK(files == 9);  // ls *.sql | wc -l
}
