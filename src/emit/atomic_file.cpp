#include "emit/atomic_file.hpp"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pgadvisor::emit {
namespace {

std::string reason(int err) { return std::strerror(err); }

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
        error = err == EEXIST ? path + ": already exists, not overwritten" : "cannot create " + path + ": " + reason(err);
        return false;
    }
    sync_directory(dir);
    return true;
}

}  // namespace pgadvisor::emit
