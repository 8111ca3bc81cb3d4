#pragma once
// What a command built, left for the process's end to take back. At the end of
// `analyze` on the 50,000-shape log, freeing its workload and the builder's
// state object by object took 70 of the run's last 100 ms, single-threaded
// (issue 17, docs/benchmarks.md); the kernel takes the whole heap back at exit
// at once. Only where main() says the process ends after the command: tests run
// commands one after another in one process, and there objects are destroyed as
// usual. A kept object stays reachable from a global, so leak checkers do not
// report it (clang's -disable-free does the same with its compiler state).
//
// Takes: an object about to go out of scope. Gives: nothing; the object lives on.

#include <memory>
#include <type_traits>
#include <utility>

namespace pgadvisor::cli {

// main(): this process exits once its command returns (true), or not (false: the default).
void set_process_ends_after_command(bool ends);
bool process_ends_after_command();

void keep_alive(std::shared_ptr<void> object);

// `object` moved into the kept set when the process ends after the command; else
// left alone, for its scope's end to destroy.
template <class T>
void keep_until_exit(T&& object) {
    static_assert(!std::is_lvalue_reference_v<T>, "keep_until_exit takes the object (std::move it)");
    if (process_ends_after_command()) keep_alive(std::make_shared<T>(std::move(object)));
}

}  // namespace pgadvisor::cli
