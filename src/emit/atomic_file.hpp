#pragma once
// Files that appear whole or not at all: written to a temporary file in the
// same directory, flushed, then linked into place; an existing file is never
// replaced (unless the caller asks), and a failure leaves nothing behind.

#include <string>
#include <vector>

namespace pgadvisor::emit {

enum class Overwrite { Never, Replace };

// Creates parent directories as needed. false with `error` naming the path on failure
// (EEXIST with Overwrite::Never: "already exists, not overwritten").
bool write_file_atomically(const std::string& path, const std::string& content, Overwrite overwrite,
                           std::string& error);

// Temporary files of this writer (".<file>.tmp.<pid>.<n>") left in dir and the
// folders below it by a process that no longer runs (killed with SIGKILL, or
// the machine stopped): removed; gives their paths.
std::vector<std::string> remove_stale_temp_files(const std::string& dir);

// A file just written whose partner is not yet (an up migration before its
// down): the signal handlers remove it too until release_partner_file(), so an
// interrupted run never leaves an up without its down. One at a time.
void hold_partner_file(const std::string& path);
void release_partner_file();

// SIGINT, SIGTERM and SIGHUP handlers that remove the temporary file being
// written at that moment, then end the process by the same signal as before:
// an interrupted run leaves whole files or none, never a half-written one.
// Call once at start-up (the CLI does).
void remove_temp_file_on_signal();

}  // namespace pgadvisor::emit
