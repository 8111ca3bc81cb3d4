#pragma once
// The command line: CLI11 parsing lives in app.cpp alone (it is slow to
// compile); each command's work lives in its own *_command.cpp.

namespace pgadvisor::cli {

// Exit codes promised in docs: 0 clean, 1 findings at or above --fail-on, 2 usage or input error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2;

int run(int argc, char** argv);

}  // namespace pgadvisor::cli
