#pragma once
// Files that appear whole or not at all: written to a temporary file in the
// same directory, flushed, then linked into place; an existing file is never
// replaced (unless the caller asks), and a failure leaves nothing behind.

#include <string>

namespace pgadvisor::emit {

enum class Overwrite { Never, Replace };

// Creates parent directories as needed. false with `error` naming the path on failure
// (EEXIST with Overwrite::Never: "already exists, not overwritten").
bool write_file_atomically(const std::string& path, const std::string& content, Overwrite overwrite,
                           std::string& error);

}  // namespace pgadvisor::emit
