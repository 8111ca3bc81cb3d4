// No value of the input reaches the output of any command unless --show-literals
// (issue 16, leaks): utility and DDL statements, comments, parse errors, and the
// constants of a schema (DEFAULT, partial-index predicates). The binary itself,
// on files: no server needed.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "throwaway_pg.hpp"

using namespace pgadvisor::test;
namespace fs = std::filesystem;

namespace {

// Every statement here kept a value in some output before (the hostile tester's list).
constexpr const char* kStatements =
    "EXECUTE ps('secret01');\n"
    "CALL proc('secret02');\n"
    "COMMENT ON TABLE t IS 'secret03';\n"
    "CREATE TABLE t (a text DEFAULT 'secret04' CHECK (a <> 'secret05'), b int);\n"
    "CREATE INDEX t_b ON t (b) WHERE a = 'secret06';\n"
    "NOTIFY ch, 'secret07';\n"
    "ALTER SYSTEM SET work_mem = 'secret08';\n"
    "SELECT b FROM t WHERE b = 1 /* email='secret09' */;\n"
    "SELECT * FROM t WHERE a = 'secret10' 'x';\n";

fs::path values_file() {
    const fs::path dir = fs::temp_directory_path() / "pgadvisor_redaction_test";
    fs::create_directories(dir);
    const fs::path file = dir / "values.sql";
    std::ofstream(file) << kStatements;
    return file;
}

}  // namespace

TEST_CASE("no command prints a value of its input without --show-literals", "[integration][redaction]") {
    const std::string file = values_file().string();
    for (const std::string& args : {"shape " + file, "shape --json " + file, "ingest " + file, "lint " + file,
                                    "schema --schema " + file, "schema --json --schema " + file}) {
        INFO("pgadvisor " << args);
        const auto r = run_pgadvisor(args);
        INFO(r.output);
        CHECK(r.exit_code != -1);
        CHECK(r.output.find("secret") == std::string::npos);
        CHECK(r.output.find("Segmentation") == std::string::npos);
    }
    // The statements are still all there, shown with their values masked.
    const auto shape = run_pgadvisor("shape " + file);
    CHECK(shape.output.find("EXECUTE ps($1)") != std::string::npos);
    CHECK(shape.output.find("syntax error at or near a constant") != std::string::npos);
    // Asked for, the schema's own constants are shown.
    const auto shown = run_pgadvisor("schema --show-literals --schema " + file);
    CHECK(shown.output.find("DEFAULT 'secret04'") != std::string::npos);
    CHECK(shown.output.find("WHERE (a = 'secret06')") != std::string::npos);
}
