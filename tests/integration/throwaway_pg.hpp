#pragma once
// Connection settings of the throwaway PostgreSQL cluster that the ctest
// fixture `throwaway_pg` started (tests/pg/throwaway-pg), for integration tests.

#include <string>

namespace pgadvisor::test {

struct ThrowawayPg {
    std::string host;  // the socket directory
    std::string port;
    std::string data_dir;
    std::string bin_dir;
    std::string stderr_log;
    std::string csv_log;
    std::string json_log;

    // A libpq key=value connection string for database `dbname`.
    std::string conninfo(const std::string& dbname = "postgres") const;
};

// The running cluster; fails the test (REQUIRE) when the fixture did not start one.
const ThrowawayPg& throwaway_pg();

// A second cluster of the test's own, started by tests/pg/throwaway-pg with another
// shared_preload_libraries (PGADVISOR_PG_PRELOAD) and always stopped when it goes out
// of scope. Its settings are not exported: connect with pg().conninfo(). A few seconds.
class ExtraCluster {
public:
    explicit ExtraCluster(const std::string& preload);
    ~ExtraCluster();
    ExtraCluster(const ExtraCluster&) = delete;
    ExtraCluster& operator=(const ExtraCluster&) = delete;
    const ThrowawayPg& pg() const { return pg_; }

private:
    std::string env_file_;
    ThrowawayPg pg_;
};

// Bytes currently in a file; with read_from, the part after a byte offset
// (so a test reads only what the server logged after it started).
std::string read_file(const std::string& path, std::size_t read_from = 0);
std::size_t file_size(const std::string& path);

// Wait until the log file contains needle after offset (the logging collector
// writes asynchronously); returns the text read, empty when it never appeared.
std::string wait_for_log(const std::string& path, std::size_t offset, const std::string& needle, int timeout_ms = 5000);

// A shell command's exit code and its standard output (stderr too, when the
// command line folds it in with 2>&1).
struct CommandResult {
    int exit_code = -1;
    std::string output;
};
CommandResult run_command(const std::string& command);

// pgadvisor itself (PGADVISOR_BINARY) with these arguments; stderr folded into
// the output, or dropped (for output that must parse as JSON).
CommandResult run_pgadvisor(const std::string& args, bool with_stderr = true);

// A plain-layout migration file run as its header says: psql -v ON_ERROR_STOP=1 -f, autocommit
// (its \gexec is psql's); psql's output with stderr, messages with their SQLSTATE.
CommandResult run_psql_file(const std::string& conninfo, const std::string& path);

// 'text' for a shell command line (the tests' own strings hold no single quote).
inline std::string shell_quoted(const std::string& s) { return "'" + s + "'"; }

}  // namespace pgadvisor::test
