#include "emit/atomic_file.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pgadvisor::emit {
namespace {

std::string reason(int err) { return std::strerror(err); }

// The temporary file being written, for the signal handler: a fixed buffer
// (a handler may not allocate) and a flag that says whether it holds a name.
// One file is written at a time.
char in_flight_path[PATH_MAX + 1];
volatile sig_atomic_t in_flight = 0;

struct InFlight {
    explicit InFlight(const std::string& temp) {
        if (temp.size() > PATH_MAX) return;
        std::memcpy(in_flight_path, temp.c_str(), temp.size() + 1);
        in_flight = 1;
    }
    ~InFlight() { in_flight = 0; }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;
};

// The written file whose partner is pending (hold_partner_file), the same way.
char partner_path[PATH_MAX + 1];
volatile sig_atomic_t partner_held = 0;

extern "C" void remove_in_flight_and_die(int sig) {
    if (in_flight) ::unlink(in_flight_path);  // async-signal-safe
    if (partner_held) ::unlink(partner_path);
    ::signal(sig, SIG_DFL);
    ::raise(sig);
}

// Unique within the process (counter) and across processes (pid); the leading
// dot keeps it out of the migration tools' file patterns while it exists.
std::string temp_path_for(const std::filesystem::path& target) {
    static std::atomic<unsigned> counter{0};
    std::string name = ".";  // built with += : g++ 12 -O3 warns falsely (-Wrestrict) on "." + string
    name += target.filename().string();
    name += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
    return (target.parent_path() / name).string();
}

bool write_all(int fd, const std::string& content) {
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

// The new directory entry survives a crash only once the directory is flushed too.
void sync_directory(const std::filesystem::path& dir) {
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);  // best effort: the file itself is complete either way
    ::close(fd);
}

// Writes and flushes the temporary file; on failure it is removed.
bool write_temp(const std::string& temp, const std::string& content, std::string& error) {
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
        error = "cannot create temporary file " + temp + ": " + reason(errno);
        return false;
    }
    bool ok = write_all(fd, content);
    if (!ok) error = "cannot write " + temp + ": " + reason(errno);
    if (ok && ::fsync(fd) != 0) {
        ok = false;
        error = "cannot flush " + temp + ": " + reason(errno);
    }
    if (::close(fd) != 0 && ok) {
        ok = false;
        error = "cannot close " + temp + ": " + reason(errno);
    }
    if (!ok) ::unlink(temp.c_str());
    return ok;
}

}  // namespace

bool write_file_atomically(const std::string& path, const std::string& content, Overwrite overwrite,
                           std::string& error) {
    const std::filesystem::path target(path);
    const auto dir = target.parent_path();
    if (!dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        if (ec) {
            error = "cannot create directory " + dir.string() + " for " + path + ": " + ec.message();
            return false;
        }
    }
    const std::string temp = temp_path_for(target);
    const InFlight guard(temp);
    if (!write_temp(temp, content, error)) return false;

    // link() fails with EEXIST when the name is taken, in one step: no window
    // between a check and a rename where another writer's file would be clobbered.
    const int rc = overwrite == Overwrite::Never ? ::link(temp.c_str(), path.c_str())
                                                 : ::rename(temp.c_str(), path.c_str());
    const int err = errno;
    // After link() the temporary name is a second name of the file; after a
    // failed rename() it is still the only one. Either way it goes.
    if (overwrite == Overwrite::Never || rc != 0) ::unlink(temp.c_str());
    if (rc != 0) {
        error = err == EEXIST ? path + ": already exists, not overwritten"
                              : "cannot create " + path + ": " + reason(err);
        return false;
    }
    sync_directory(dir);
    return true;
}

namespace {

// The pid in ".<file>.tmp.<pid>.<n>", or 0 when the name is not one of ours.
pid_t temp_file_owner(const std::string& name) {
    if (name.size() < 2 || name[0] != '.') return 0;
    const auto at = name.rfind(".tmp.");
    if (at == std::string::npos || at == 0) return 0;
    const std::string rest = name.substr(at + 5);  // "<pid>.<n>"
    const auto dot = rest.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == rest.size()) return 0;
    const auto digits = [](const std::string& t) {
        return !t.empty() && t.size() <= 10 &&
               std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (!digits(rest.substr(0, dot)) || !digits(rest.substr(dot + 1))) return 0;
    return static_cast<pid_t>(std::stoll(rest.substr(0, dot)));
}

bool process_is_gone(pid_t pid) { return pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH; }

}  // namespace

std::vector<std::string> remove_stale_temp_files(const std::string& dir) {
    std::vector<std::string> removed;
    std::error_code ec;
    // Two levels: the layouts with a folder per migration (Prisma) write one level down.
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (it.depth() > 1) it.disable_recursion_pending();
        if (!it->is_regular_file(ec)) continue;
        const std::string name = it->path().filename().string();
        if (!process_is_gone(temp_file_owner(name))) continue;
        if (std::filesystem::remove(it->path(), ec)) removed.push_back(it->path().string());
        ec.clear();
    }
    return removed;
}

void hold_partner_file(const std::string& path) {
    partner_held = 0;
    if (path.size() > PATH_MAX) return;
    std::memcpy(partner_path, path.c_str(), path.size() + 1);
    partner_held = 1;
}

void release_partner_file() { partner_held = 0; }

void remove_temp_file_on_signal() {
    struct sigaction sa {};
    sa.sa_handler = remove_in_flight_and_die;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(sig, &sa, nullptr);
}

}  // namespace pgadvisor::emit
