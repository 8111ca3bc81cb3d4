// Size caps (issue 16, "Memory"): the binary on /dev/zero, a zstd bomb and a log
// whose one entry has two million continuation lines. Each used to grow until
// std::bad_alloc (or hold the whole entry); now each finishes at once or in bounded
// memory, names the file (and line), and reads the other inputs. No server needed.
#include <catch2/catch.hpp>
#include <zstd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "throwaway_pg.hpp"

namespace fs = std::filesystem;
using pgadvisor::test::run_command;

namespace {

const fs::path& caps_dir() {
    static const fs::path dir = [] {
        const fs::path d = fs::temp_directory_path() / ("pgadvisor-caps-" + std::to_string(::getpid()));
        fs::remove_all(d);
        fs::create_directories(d);
        std::ofstream(d / "good.log") << "2024-01-01 10:00:00.000 UTC [1] LOG:  duration: 1.000 ms  statement: "
                                         "SELECT id FROM orders WHERE customer_id = 42\n";
        return d;
    }();
    return dir;
}

bool has(const std::string& output, const std::string& text) { return output.find(text) != std::string::npos; }

// pgadvisor in the folder of the inputs, within 1 GB of address space and 60 s. Under
// AddressSanitizer (the binary is built as this test is) its shadow maps terabytes of
// address space, so the bound is ASan's own on resident memory instead.
#if defined(PGADVISOR_SANITIZED)
const std::string kMemoryBound = "export ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=1500\"";
#else
const std::string kMemoryBound = "ulimit -v 1000000";
#endif

pgadvisor::test::CommandResult run_capped(const std::string& args) {
    return run_command("cd " + caps_dir().string() + " && " + kMemoryBound + " && timeout 60 " + PGADVISOR_BINARY +
                       " " + args + " 2>&1");
}

std::string zstd_frame(const std::string& data) {
    std::string out(ZSTD_compressBound(data.size()), '\0');
    const std::size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 19);
    REQUIRE_FALSE(ZSTD_isError(n));
    out.resize(n);
    return out;
}

}  // namespace

TEST_CASE("size caps: /dev/zero stops at once, named, and the other inputs are read", "[integration][caps]") {
    for (const char* command : {"ingest", "analyze"}) {
        CAPTURE(command);
        const auto alone = run_capped(std::string(command) + " /dev/zero");
        INFO(alone.output.substr(0, 2000));
        CHECK(alone.exit_code == 2);  // nothing could be read: an input error
        CHECK(has(alone.output, "/dev/zero"));
        CHECK(has(alone.output, "binary data, not text"));

        const auto with_log = run_capped(std::string(command) + " /dev/zero good.log");
        INFO(with_log.output.substr(0, 2000));
        CHECK(with_log.exit_code == 0);
        CHECK(has(with_log.output, command == std::string("ingest") ? "statements       1" : "1 statement,"));
    }
    const auto shape = run_capped("shape /dev/zero");
    INFO(shape.output.substr(0, 2000));
    CHECK(shape.exit_code == 2);
    CHECK(has(shape.output, "/dev/zero: cannot read: binary data, not text"));
    const auto schema = run_capped("schema --schema /dev/zero");
    INFO(schema.output.substr(0, 2000));
    CHECK(schema.exit_code == 2);
    CHECK(has(schema.output, "/dev/zero:0: error: cannot read: binary data, not text"));
}

TEST_CASE("size caps: a zstd bomb of one 1 GiB line is skipped in bounded memory", "[integration][caps]") {
    // 1,024 frames of 1 MiB of 'a' without a newline: a few hundred KB on disk.
    const fs::path bomb = caps_dir() / "bomb.log.zst";
    {
        std::ofstream out(bomb, std::ios::binary);
        out << zstd_frame(
            "2024-01-01 10:00:00.000 UTC [1] LOG:  duration: 1.000 ms  statement: SELECT 1\n"
            "2024-01-01 10:00:01.000 UTC [1] LOG:  duration: 1.000 ms  statement: SELECT ");
        const std::string frame = zstd_frame(std::string(1u << 20, 'a'));
        for (int i = 0; i < 1024; ++i) out << frame;
        out << zstd_frame("\n2024-01-01 10:00:02.000 UTC [1] LOG:  duration: 1.000 ms  statement: SELECT 3\n");
    }
    CHECK(fs::file_size(bomb) < 1u << 20);
    for (const char* command : {"ingest", "analyze"}) {
        CAPTURE(command);
        const auto r = run_capped(std::string(command) + " bomb.log.zst");
        INFO(r.output.substr(0, 2000));
        CHECK(r.exit_code == 0);
        CHECK(has(r.output, "bomb.log.zst:2: line longer than the 16 MiB cap, skipped"));
        CHECK(has(r.output, command == std::string("ingest") ? "statements       2" : "2 statements"));
    }
    fs::remove(bomb);
}

TEST_CASE("size caps: an entry of two million continuation lines is skipped, the next statement read",
          "[integration][caps]") {
    const fs::path log = caps_dir() / "continuations.log";
    {
        std::ofstream out(log);
        out << "2024-01-01 10:00:00.000 UTC [1] LOG:  duration: 1.000 ms  statement: SELECT * FROM t WHERE b = 2\n";
        const std::string chunk = [] {
            std::string c;
            for (int i = 0; i < 1000; ++i) c += "\tAND a = 1\n";
            return c;
        }();
        for (int i = 0; i < 2000; ++i) out << chunk;
        out << "2024-01-01 10:00:01.000 UTC [1] LOG:  duration: 1.000 ms  statement: SELECT * FROM t WHERE c = 3\n";
    }
    for (const char* command : {"ingest", "analyze"}) {
        CAPTURE(command);
        const auto r = run_capped(std::string(command) + " continuations.log");
        INFO(r.output.substr(0, 2000));
        CHECK(r.exit_code == 0);
        CHECK(has(r.output, "continuations.log:1: a message with its continuation lines longer than the 16 MiB cap"));
        CHECK(has(r.output, command == std::string("ingest") ? "statements       1" : "1 statement,"));
    }
    fs::remove(log);  // 22 MB
}
