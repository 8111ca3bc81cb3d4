// Integration test runner: loads the throwaway cluster's settings (written by
// tests/pg/throwaway-pg) into the environment, so libpq and libpqxx find it
// through PGHOST/PGPORT/PGUSER. PGADVISOR_SKIP_PG=1 skips every test (exit 77).
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

#include "throwaway_pg.hpp"

namespace pgadvisor::test {
namespace {

ThrowawayPg g_pg;
bool g_loaded = false;
std::string g_load_error;

// The settings tests/pg/throwaway-pg wrote; with export_them, also into the
// environment (libpq and libpqxx read PGHOST/PGPORT/PGUSER). False when none were read.
bool read_env_file(const std::string& path, ThrowawayPg& pg, bool export_them) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        std::string key = line.substr(0, eq), value = line.substr(eq + 1);
        if (export_them) setenv(key.c_str(), value.c_str(), 1);
        if (key == "PGHOST") pg.host = value;
        else if (key == "PGPORT") pg.port = value;
        else if (key == "PGADVISOR_PG_DATA") pg.data_dir = value;
        else if (key == "PGADVISOR_PG_BIN") pg.bin_dir = value;
        else if (key == "PGADVISOR_PG_LOG") pg.stderr_log = value;
        else if (key == "PGADVISOR_PG_CSVLOG") pg.csv_log = value;
        else if (key == "PGADVISOR_PG_JSONLOG") pg.json_log = value;
    }
    return !pg.host.empty() && !pg.port.empty();
}

void load_env_file() {
    const char* path = std::getenv("PGADVISOR_PG_ENV");
    if (!path) {
        g_load_error = "PGADVISOR_PG_ENV is not set: run integration tests through ctest (fixture throwaway_pg)";
        return;
    }
    if (!std::ifstream(path)) {
        g_load_error = std::string("no throwaway cluster settings at ") + path + " (did throwaway_pg_start fail?)";
        return;
    }
    g_loaded = read_env_file(path, g_pg, true);
    if (!g_loaded) g_load_error = std::string("incomplete settings in ") + path;
}

std::string throwaway_pg_script() { return std::string(PGADVISOR_SOURCE_DIR) + "/tests/pg/throwaway-pg"; }

}  // namespace

std::string ThrowawayPg::conninfo(const std::string& dbname) const {
    return "host=" + host + " port=" + port + " user=postgres dbname=" + dbname;
}

const ThrowawayPg& throwaway_pg() {
    INFO(g_load_error);
    REQUIRE(g_loaded);
    return g_pg;
}

ExtraCluster::ExtraCluster(const std::string& preload) {
    char name[] = "/tmp/pgadvisor-pg-extra-env.XXXXXX";
    const int fd = mkstemp(name);
    REQUIRE(fd >= 0);
    ::close(fd);
    env_file_ = name;
    auto started = run_command("PGADVISOR_PG_PRELOAD=" + shell_quoted(preload) + " " + throwaway_pg_script() +
                               " start " + env_file_ + " 2>&1");
    INFO(started.output);
    REQUIRE(started.exit_code == 0);
    REQUIRE(read_env_file(env_file_, pg_, false));
}

ExtraCluster::~ExtraCluster() {
    // Stops the server and removes its directory and the settings file.
    const int status = std::system((throwaway_pg_script() + " stop " + env_file_ + " >/dev/null 2>&1").c_str());
    (void)status;  // nothing to do about a failed stop in a destructor; the script is safe to rerun
}

std::string read_file(const std::string& path, std::size_t read_from) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {};
    in.seekg(static_cast<std::streamoff>(read_from));
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::size_t file_size(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    return in ? static_cast<std::size_t>(in.tellg()) : 0;
}

std::string wait_for_log(const std::string& path, std::size_t offset, const std::string& needle, int timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
        std::string text = read_file(path, offset);
        if (text.find(needle) != std::string::npos) return text;
        if (std::chrono::steady_clock::now() > deadline) return {};
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

CommandResult run_command(const std::string& command) {
    CommandResult r;
    FILE* p = popen(command.c_str(), "r");
    REQUIRE(p);
    char buf[65536];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
    const int status = pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

CommandResult run_psql_file(const std::string& conninfo, const std::string& path) {
    return run_command("psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -d " + shell_quoted(conninfo) + " -f " +
                       shell_quoted(path) + " 2>&1");
}

CommandResult run_pgadvisor(const std::string& args, bool with_stderr) {
    return run_command(std::string(PGADVISOR_BINARY) + " " + args + (with_stderr ? " 2>&1" : " 2>/dev/null"));
}

}  // namespace pgadvisor::test

int main(int argc, char** argv) {
    bool listing = false;
    for (int i = 1; i < argc; ++i)
        if (std::strncmp(argv[i], "--list", 6) == 0) listing = true;
    if (!listing) {
        const char* skip = std::getenv("PGADVISOR_SKIP_PG");
        if (skip && std::strcmp(skip, "1") == 0) {
            std::fprintf(stderr, "PGADVISOR_SKIP_PG=1: integration test skipped\n");
            return 77;
        }
        pgadvisor::test::load_env_file();
    }
    return Catch::Session().run(argc, argv);
}
