// An interrupted run leaves whole files or none: SIGTERM and SIGINT arrive
// while a process is writing large files with write_file_atomically, and what
// is left in the folder is only complete files, never a temporary one.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

#include "emit/atomic_file.hpp"

namespace fs = std::filesystem;

namespace {

void interrupt_while_writing(int sig) {
    const fs::path dir = fs::temp_directory_path() /
                         ("pgadvisor-sig-" + std::to_string(::getpid()) + "-" + std::to_string(sig));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string content(8 << 20, 'x');  // 8 MiB: each write takes long enough to be caught in the middle
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        pgadvisor::emit::remove_temp_file_on_signal();
        for (int i = 0;; ++i) {
            std::string error;
            pgadvisor::emit::write_file_atomically((dir / ("f" + std::to_string(i) + ".sql")).string(), content,
                                                   pgadvisor::emit::Overwrite::Never, error);
        }
    }
    // Wait until the child has written a few files, so the signal lands mid-stream.
    for (int waited = 0; waited < 2000; waited += 5) {
        std::size_t n = 0;
        for (const auto& e : fs::directory_iterator(dir)) n += e.path().extension() == ".sql";
        if (n >= 3) break;
        ::usleep(5000);
    }
    ::kill(child, sig);
    int status = 0;
    ::waitpid(child, &status, 0);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == sig);  // it still dies of the signal, as without the handler
    std::size_t whole = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
        INFO(e.path());
        CHECK(e.path().filename().string().find(".tmp.") == std::string::npos);
        CHECK(fs::file_size(e.path()) == content.size());
        ++whole;
    }
    CHECK(whole >= 3);
    fs::remove_all(dir);
}

}  // namespace

TEST_CASE("atomic files: SIGTERM while writing leaves no temporary and no partial file", "[emit][signal]") {
    for (int round = 0; round < 3; ++round) interrupt_while_writing(SIGTERM);
}

TEST_CASE("atomic files: SIGINT while writing leaves no temporary and no partial file", "[emit][signal]") {
    for (int round = 0; round < 3; ++round) interrupt_while_writing(SIGINT);
}
